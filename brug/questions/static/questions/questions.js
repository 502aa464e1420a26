/*
 * Behaviour of the "Durf te vragen" pages (deferred; no inline script: the CSP
 * forbids it).
 *
 *   [data-question-answers]     the answers of an open question: an answer that
 *                               appears (the realtime event "brug:answer_created",
 *                               dispatched by realtime/stream.js) is fetched as a
 *                               fragment, rendered for this viewer, and added once
 *   [data-answer-heading]       "N answers" above them, kept in step (data-label-one,
 *                               data-label-many: the translated texts)
 *   select[data-anonymous-spaces]  the "ask anonymously" switch is shown only for
 *                               spaces that take anonymous questions
 */
(function () {
  "use strict";

  function answerList() {
    return document.querySelector("[data-question-answers]");
  }

  function updateCount(list) {
    var count = list.querySelectorAll("[data-answer-id]").length;
    var heading = document.querySelector("[data-answer-heading]");
    if (heading && count > (parseInt(heading.getAttribute("data-count"), 10) || 0)) {
      var label = count === 1
        ? heading.getAttribute("data-label-one")
        : heading.getAttribute("data-label-many");
      heading.textContent = (label || "%(count)s").replace("%(count)s", String(count));
      heading.setAttribute("data-count", String(count));
    }
    var empty = list.querySelector("[data-no-answers]");
    if (empty && count > 0) {
      empty.parentNode.removeChild(empty);
    }
  }

  // Keep one copy of each answer: the htmx answer and the live one may both arrive.
  function dedupe(list) {
    var seen = {};
    var answers = list.querySelectorAll("[data-answer-id]");
    for (var i = 0; i < answers.length; i++) {
      var id = answers[i].getAttribute("data-answer-id");
      if (seen[id]) {
        answers[i].parentNode.removeChild(answers[i]);
      } else {
        seen[id] = true;
      }
    }
    updateCount(list);
  }

  document.addEventListener("brug:answer_created", function (event) {
    var data = event.detail || {};
    var list = answerList();
    if (!list || String(data.question_id) !== list.getAttribute("data-question-id")) {
      return;
    }
    var id = parseInt(data.answer_id, 10);
    if (!id || document.getElementById("answer-" + id)) {
      return;
    }
    var url = list.getAttribute("data-answer-url").replace(/\/0$/, "/" + id);
    fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        if (!html || document.getElementById("answer-" + id)) {
          return;
        }
        var holder = document.createElement("template");
        holder.innerHTML = html.trim();
        var node = holder.content.firstElementChild;
        if (!node) {
          return;
        }
        node.classList.add("is-new");
        list.appendChild(node);
        if (window.htmx) {
          window.htmx.process(node);
        }
        dedupe(list);
      })
      .catch(function () {});
  });

  document.addEventListener("htmx:afterSwap", function () {
    var list = answerList();
    if (list) {
      dedupe(list);
    }
  });

  // -- the anonymous switch follows the chosen space ---------------------------
  function syncAnonymous(select) {
    var allowed = (select.getAttribute("data-anonymous-spaces") || "").split(",");
    var box = document.querySelector("[data-anonymous-choice]");
    if (!box) {
      return;
    }
    var ok = allowed.indexOf(select.value) !== -1;
    box.hidden = !ok;
    if (!ok) {
      var input = box.querySelector("input[type=checkbox]");
      if (input) {
        input.checked = false;
      }
    }
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-anonymous-spaces]")) {
      syncAnonymous(event.target);
    }
  });

  function init() {
    var select = document.querySelector("select[data-anonymous-spaces]");
    if (select) {
      syncAnonymous(select);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
