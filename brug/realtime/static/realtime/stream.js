/*
 * Brug's live updates over Server-Sent Events (/events/stream). Loaded with
 * `defer` from realtime/stream_script.html; no inline script (CSP).
 *
 *   a.brug-bell #brug-unread-badge   the unread badge in the navigation (created when
 *                                     the count goes from 0 to 1)
 *   [data-brug-unread]               any other element showing the unread count
 *   [data-brug-notification-list]    an open list of notifications: new lines on top
 *   [data-brug-new-posts]            a feed's "N new posts — Show" banner
 *                                     (data-space-id: only that space; empty: any)
 *
 * Every event is also dispatched on `document` as a DOM event "brug:<kind>"
 * (detail: the event's data), so other pages can react without their own
 * connection. The browser reconnects by itself, sending Last-Event-ID, and the
 * server replays what was missed.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.EventSource) {
    return;
  }
  var url = script.getAttribute("data-stream-url");
  var me = script.getAttribute("data-user-id");
  var unreadLabel = script.getAttribute("data-unread-label") || "unread";
  var newPosts = 0;

  function badgeText(count) {
    return count > 99 ? "99+" : String(count);
  }

  function setUnread(count) {
    count = Math.max(0, parseInt(count, 10) || 0);
    document.documentElement.setAttribute("data-brug-unread-count", String(count));
    var badge = document.getElementById("brug-unread-badge");
    if (!badge && count > 0) {
      var bell = document.querySelector("a.brug-bell");
      if (bell) {
        badge = document.createElement("span");
        badge.className = "brug-badge";
        badge.id = "brug-unread-badge";
        bell.appendChild(badge);
      }
    }
    if (badge) {
      badge.hidden = count === 0;
      badge.textContent = badgeText(count);
      var label = document.createElement("span");
      label.className = "visually-hidden";
      label.textContent = " " + unreadLabel;
      badge.appendChild(label);
    }
    var others = document.querySelectorAll("[data-brug-unread]");
    for (var i = 0; i < others.length; i++) {
      others[i].textContent = count > 0 ? badgeText(count) : "";
      others[i].hidden = count === 0;
    }
  }

  function prependNotification(data) {
    if (!data.html) {
      return;
    }
    var lists = document.querySelectorAll("[data-brug-notification-list]");
    for (var i = 0; i < lists.length; i++) {
      var list = lists[i];
      var old = list.querySelector('[data-notification-id="' + String(data.id) + '"]');
      if (old) {
        old.parentNode.removeChild(old);
      }
      // The line was rendered (and escaped) by the server for this person.
      var holder = document.createElement("template");
      holder.innerHTML = data.html.trim();
      list.insertBefore(holder.content, list.firstChild);
      list.hidden = false;
    }
    var empties = document.querySelectorAll("[data-brug-notification-empty]");
    for (var j = 0; j < empties.length; j++) {
      empties[j].hidden = true;
    }
  }

  function showNewPosts(data) {
    if (me && data.author_id !== undefined && String(data.author_id) === me) {
      return;
    }
    var banners = document.querySelectorAll("[data-brug-new-posts]");
    var counted = false;
    for (var i = 0; i < banners.length; i++) {
      var banner = banners[i];
      var space = banner.getAttribute("data-space-id");
      if (space && String(data.space_id) !== space) {
        continue;
      }
      if (!counted) {
        newPosts += 1;
        counted = true;
      }
      var template = newPosts === 1
        ? banner.getAttribute("data-label-one")
        : banner.getAttribute("data-label-many");
      var text = banner.querySelector("[data-brug-new-posts-text]") || banner;
      text.textContent = (template || "%(count)s").replace("%(count)s", String(newPosts));
      banner.hidden = false;
    }
  }

  function parse(event) {
    try {
      return JSON.parse(event.data || "{}");
    } catch (e) {
      return {};
    }
  }

  function dispatch(kind, data) {
    var custom;
    try {
      custom = new CustomEvent("brug:" + kind, { detail: data });
    } catch (e) {
      return;
    }
    document.dispatchEvent(custom);
  }

  var source = new EventSource(url);
  document.documentElement.setAttribute("data-brug-stream", "connecting");
  source.addEventListener("open", function () {
    document.documentElement.setAttribute("data-brug-stream", "open");
  });
  source.addEventListener("error", function () {
    document.documentElement.setAttribute("data-brug-stream", "reconnecting");
  });
  source.addEventListener("notification", function (event) {
    var data = parse(event);
    if (data.unread !== undefined) {
      setUnread(data.unread);
    }
    prependNotification(data);
    dispatch("notification", data);
  });
  source.addEventListener("notifications_read", function (event) {
    var data = parse(event);
    if (data.unread !== undefined) {
      setUnread(data.unread);
    }
    dispatch("notifications_read", data);
  });
  source.addEventListener("post_created", function (event) {
    var data = parse(event);
    showNewPosts(data);
    dispatch("post_created", data);
  });
  ["answer_created", "membership_changed"].forEach(function (kind) {
    source.addEventListener(kind, function (event) {
      dispatch(kind, parse(event));
    });
  });
  // htmx fragments (marking read) tell the new count in an HX-Trigger header.
  document.body.addEventListener("brug:unread", function (event) {
    var detail = event.detail;
    setUnread(detail && detail.value !== undefined ? detail.value : detail);
  });
  window.addEventListener("pagehide", function () {
    source.close();
  });
})();
