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
