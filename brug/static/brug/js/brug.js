/*
 * Brug's small page behaviours (deferred). No inline handlers anywhere: the
 * Content-Security-Policy forbids them, so behaviour hangs off data attributes.
 *
 *   [data-brug-theme-toggle]   switches light/dark and remembers it (localStorage)
 *   form[data-brug-confirm]    asks for confirmation before submitting
 */
(function () {
  "use strict";
  var KEY = "brug-theme";
  var root = document.documentElement;
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return value === "dark" || value === "light" ? value : null;
    } catch (e) {
      return null;
    }
  }

  function apply(theme) {
    root.setAttribute("data-bs-theme", theme);
    var toggles = document.querySelectorAll("[data-brug-theme-toggle]");
    for (var i = 0; i < toggles.length; i++) {
      toggles[i].setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
    }
  }

  function toggle() {
    var next = root.getAttribute("data-bs-theme") === "dark" ? "light" : "dark";
    try {
      window.localStorage.setItem(KEY, next);
    } catch (e) {
      /* private mode: the choice lasts for this page only */
    }
    apply(next);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-brug-theme-toggle]");
    if (button) {
      event.preventDefault();
      toggle();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-brug-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Follow the system while the person has not chosen.
  if (media && media.addEventListener) {
    media.addEventListener("change", function (event) {
      if (!stored()) {
        apply(event.matches ? "dark" : "light");
      }
    });
  }

  apply(root.getAttribute("data-bs-theme") || "light");
})();
