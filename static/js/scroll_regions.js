// A box that scrolls inside itself (a code block, a wide table in .table-wrap) must be reachable from the
// keyboard, or a keyboard user cannot scroll it (WCAG 2.1.1; axe's "scrollable-region-focusable").
// Give each one that actually overflows tabindex="0", on load, on resize and after an htmx swap.
// Without JavaScript, Chromium and Firefox make such boxes focusable themselves.
(function () {
  "use strict";
  var SELECTOR = "pre, .table-wrap, details.data-table, main table, .note-text, [data-scroll-region]";

  function mark() {
    document.querySelectorAll(SELECTOR).forEach(function (box) {
      if (box.hasAttribute("tabindex") && !box.hasAttribute("data-scroll-focus")) { return; }
      var overflows = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (overflows) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-focus", "");
      } else if (box.hasAttribute("data-scroll-focus")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-focus");
      }
    });
  }

  var timer = null;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(mark, 150);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
  window.addEventListener("resize", later);
  // Pages drawn by a script after load (the API docs' Swagger UI) are watched as they change.
  var drawn = document.querySelector("[data-scroll-watch], #swagger-ui");
  if (drawn && window.MutationObserver) {
    new MutationObserver(later).observe(drawn, { childList: true, subtree: true });
  }
  document.addEventListener("htmx:afterSettle", later);
  document.addEventListener("toggle", later, true);  // a <details> opened
})();
