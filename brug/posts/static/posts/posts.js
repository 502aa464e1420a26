/*
 * Behaviour of the posts pages (deferred; no inline script anywhere, the CSP
 * forbids it):
 *
 *   textarea[data-brug-mentions]   @-mention autocomplete: asks the server
 *                                  (GET <url>?q=&space_id=) for the people who
 *                                  may read the space, as an HTML listbox
 *   form[data-brug-swap-errors]    lets htmx swap 422/429 answers (form errors,
 *                                  "slow down") into the form instead of
 *                                  dropping them
 *   input[data-brug-file-list]     shows the names of the chosen files
 */
(function () {
  "use strict";

  // -- htmx: show form errors ------------------------------------------------
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if ((status === 422 || status === 429 || status === 413) && source && source.closest &&
        source.closest("[data-brug-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After a reaction, close any open reaction picker.
  document.addEventListener("htmx:afterSwap", function () {
    var open = document.querySelectorAll("details.brug-react-picker[open]");
    for (var i = 0; i < open.length; i++) {
      open[i].removeAttribute("open");
    }
  });

  // -- chosen files --------------------------------------------------------------
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-brug-file-list]")) {
      return;
    }
    var out = document.getElementById(input.getAttribute("data-brug-file-list"));
    if (!out) {
      return;
    }
    var names = [];
    for (var i = 0; i < input.files.length; i++) {
      names.push(input.files[i].name);
    }
    out.textContent = names.join(", ");
  });

  // -- mention autocomplete --------------------------------------------------------
  var TOKEN = /(^|[^\w@.\/+-])@([\w.\-]{0,40})$/;
  var counter = 0;

  function Mentions(textarea) {
    this.textarea = textarea;
    this.url = textarea.getAttribute("data-brug-mentions");
    counter += 1;
    this.menu = document.createElement("div");
    this.menu.className = "brug-mention-menu";
    this.menu.id = (textarea.id || "brug-textarea-" + counter) + "-mentions";
    this.menu.hidden = true;
    (textarea.closest(".brug-mention-host") || textarea.parentNode).appendChild(this.menu);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", this.menu.id);
    // No aria-expanded: a textarea is a textbox, which may not carry it (WCAG 4.1.2).
    this.token = null;
    this.active = -1;
    this.timer = null;
    this.asked = 0;
    var self = this;
    textarea.addEventListener("input", function () { self.schedule(); });
    textarea.addEventListener("click", function () { self.schedule(); });
    textarea.addEventListener("keydown", function (event) { self.key(event); });
    textarea.addEventListener("blur", function () {
      window.setTimeout(function () { self.close(); }, 150);
    });
    this.menu.addEventListener("mousedown", function (event) {
      var option = event.target.closest("[data-handle]");
      event.preventDefault();
      if (option) {
        self.choose(option.getAttribute("data-handle"));
      }
    });
  }

  Mentions.prototype.spaceId = function () {
    var fixed = this.textarea.getAttribute("data-space-id");
    if (fixed) {
      return fixed;
    }
    var field = document.getElementById(this.textarea.getAttribute("data-space-field") || "");
    return field ? field.value : "";
  };

  Mentions.prototype.current = function () {
    var textarea = this.textarea;
    if (textarea.selectionStart !== textarea.selectionEnd) {
      return null;
    }
    var before = textarea.value.slice(0, textarea.selectionStart);
    var match = TOKEN.exec(before);
    if (!match) {
      return null;
    }
    return { start: before.length - match[2].length - 1, end: before.length, q: match[2] };
  };

  Mentions.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.ask(); }, 120);
  };

  Mentions.prototype.ask = function () {
    var self = this;
    this.token = this.current();
    if (!this.token) {
      this.close();
      return;
    }
    var ticket = ++this.asked;
    var url = this.url + "?q=" + encodeURIComponent(this.token.q) +
      "&space_id=" + encodeURIComponent(this.spaceId());
    window.fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (ticket !== self.asked) {
          return;  // an older answer arriving late
        }
        if (!html) {
          self.close();
          return;
        }
        self.menu.innerHTML = html;
        self.active = -1;
        self.open();
        self.highlight(0);
      })
      .catch(function () { self.close(); });
  };

  Mentions.prototype.options = function () {
    return this.menu.querySelectorAll("[data-handle]");
  };

  Mentions.prototype.open = function () {
    this.menu.hidden = false;
  };

  Mentions.prototype.close = function () {
    this.menu.hidden = true;
    this.textarea.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  Mentions.prototype.highlight = function (index) {
    var options = this.options();
    if (!options.length) {
      return;
    }
    index = (index + options.length) % options.length;
    for (var i = 0; i < options.length; i++) {
      options[i].setAttribute("aria-selected", i === index ? "true" : "false");
    }
    this.active = index;
    this.textarea.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  };

  Mentions.prototype.key = function (event) {
    if (this.menu.hidden) {
      return;
    }
    var options = this.options();
    if (event.key === "ArrowDown") {
      event.preventDefault();
      this.highlight(this.active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      this.highlight(this.active - 1);
    } else if ((event.key === "Enter" || event.key === "Tab") && options.length && this.active >= 0) {
      event.preventDefault();
      this.choose(options[this.active].getAttribute("data-handle"));
    } else if (event.key === "Escape") {
      event.preventDefault();
      this.close();
    }
  };

  Mentions.prototype.choose = function (handle) {
    var token = this.current() || this.token;
    if (!token || !handle) {
      return;
    }
    var textarea = this.textarea;
    var text = "@" + handle + " ";
    textarea.value = textarea.value.slice(0, token.start) + text + textarea.value.slice(token.end);
    var caret = token.start + text.length;
    textarea.focus();
    textarea.setSelectionRange(caret, caret);
    this.close();
  };

  function setup(root) {
    var areas = (root || document).querySelectorAll("textarea[data-brug-mentions]");
    for (var i = 0; i < areas.length; i++) {
      if (!areas[i].brugMentions) {
        areas[i].brugMentions = new Mentions(areas[i]);
      }
    }
  }

  setup(document);
  // Forms that htmx swaps in (a fresh comment form, reply forms) get it too.
  document.addEventListener("htmx:load", function (event) { setup(event.target); });
})();
