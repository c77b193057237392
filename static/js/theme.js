// Light / dark / system theme. Progressive enhancement of templates/includes/theme_switch.html: without
// this file the switch posts to /theme/ (core.views.set_theme), which sets the same `theme` cookie.
// The server renders <html data-theme="…"> from that cookie, so there is no flash of the wrong theme;
// this file keeps localStorage and the cookie in step, switches without a reload, and follows a choice
// made in another tab. "system" removes data-theme: prefers-color-scheme decides (static/css/app.css).
(function () {
  "use strict";

  var KEY = "theme";
  var CHOICES = ["light", "dark", "system"];
  var YEAR = 365 * 24 * 60 * 60;
  var root = document.documentElement;

  function readCookie() {
    var match = document.cookie.match(/(?:^|;\s*)theme=(light|dark)(?:;|$)/);
    return match ? match[1] : null;
  }

  function readStored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }

  function store(choice) {
    try {
      if (choice === "system") { window.localStorage.removeItem(KEY); } else { window.localStorage.setItem(KEY, choice); }
    } catch (e) { /* private mode: the cookie is enough */ }
    var secure = window.location.protocol === "https:" ? "; Secure" : "";
    if (choice === "system") {
      document.cookie = KEY + "=; Path=/; Max-Age=0; SameSite=Lax" + secure;
    } else {
      document.cookie = KEY + "=" + choice + "; Path=/; Max-Age=" + YEAR + "; SameSite=Lax" + secure;
    }
  }

  function paint(choice) {
    if (choice === "light" || choice === "dark") {
      root.setAttribute("data-theme", choice);
    } else {
      root.removeAttribute("data-theme");
    }
    document.querySelectorAll("[data-theme-switch] button[name=theme]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === choice ? "true" : "false");
    });
  }

  function apply(choice) {
    if (CHOICES.indexOf(choice) === -1) { return; }
    store(choice);
    paint(choice);
  }

  // The cookie is what the server rendered; localStorage wins only when the cookie has gone (cleared or
  // expired) but the browser still remembers a choice.
  var fromCookie = readCookie();
  var stored = readStored();
  if (!fromCookie && (stored === "light" || stored === "dark")) {
    apply(stored);
  } else if (fromCookie && stored !== fromCookie) {
    try { window.localStorage.setItem(KEY, fromCookie); } catch (e) { /* ignore */ }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-theme-switch]")) { return; }
    var button = event.submitter;
    if (!button || button.name !== "theme") { return; }
    event.preventDefault();
    apply(button.value);
  });

  window.addEventListener("storage", function (event) {
    if (event.key === KEY) { paint(event.newValue || "system"); }
  });

  function syncSwitches() { paint(root.getAttribute("data-theme") || "system"); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", syncSwitches);
  } else {
    syncSwitches();
  }
})();
