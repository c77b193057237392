// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // A person's own avatar colour: the markup carries it as data-avatar-colour, because the
  // Content-Security-Policy forbids style="" attributes; setting it through the CSSOM is allowed.
  // (Without JavaScript the avatar keeps the default colour.)
  function paintAvatars() {
    document.querySelectorAll("[data-avatar-colour]").forEach(function (el) {
      var colour = el.getAttribute("data-avatar-colour");
      if (/^#[0-9a-fA-F]{6}$/.test(colour)) { el.style.backgroundColor = colour; }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", paintAvatars);
  } else {
    paintAvatars();
  }

  // A form that posts says it is on its way: its button shows it is busy and takes no second press (a
  // double press on "Confirm the booking" booked the slot, then answered the second press with "taken").
  // Disabled only after the submit event, so the button's own name and value still go with the form.
  // Forms htmx sends stay as they are (the page does not change, the button would stay disabled), and so
  // does a form another script stopped. Coming back to the page (the back button) frees the buttons again.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post") { return; }
    if (form.target || form.closest("[hx-post], [hx-get], [hx-boost], [data-theme-switch], [data-no-busy]")) { return; }
    var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
    if (!button) { return; }
    button.setAttribute("aria-busy", "true");
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("button[aria-busy='true']").forEach(function (button) {
      button.removeAttribute("aria-busy");
      button.disabled = false;
    });
  });

  // Time zone capture: fill empty timezone fields marked data-detect-timezone with the browser's zone.
  document.addEventListener("DOMContentLoaded", function () {
    var tz;
    try { tz = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { tz = null; }
    if (tz) {
      document.querySelectorAll("[data-detect-timezone]").forEach(function (el) {
        if (!el.value || el.value === "UTC") { el.value = tz; }
      });
    }
  });
})();
