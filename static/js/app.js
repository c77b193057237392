// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
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
