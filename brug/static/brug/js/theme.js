/*
 * Set the colour mode before the page paints (loaded without defer in <head>):
 * the person's stored choice, else the system's prefers-color-scheme.
 * A separate file because the Content-Security-Policy forbids inline scripts.
 */
(function () {
  "use strict";
  var stored = null;
  try {
    stored = window.localStorage.getItem("brug-theme");
  } catch (e) {
    stored = null;
  }
  var theme = stored === "dark" || stored === "light" ? stored : null;
  if (!theme) {
    theme = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  document.documentElement.setAttribute("data-bs-theme", theme);
})();
