// <dialog class="dialog"> helpers. Progressive enhancement: a button with data-dialog-open="<id>" opens
// that dialog as a modal (it is hidden until this file runs, so without JavaScript nothing offers a
// dialog that cannot open); a button with data-dialog-close inside closes it. A <form method="dialog">
// inside a dialog closes it natively too. Escape closes a modal dialog in every browser.
(function () {
  "use strict";
  function ready() {
    document.querySelectorAll("[data-dialog-open]").forEach(function (button) {
      var dialog = document.getElementById(button.getAttribute("data-dialog-open"));
      if (!dialog || typeof dialog.showModal !== "function") { return; }
      button.hidden = false;
      button.addEventListener("click", function () { dialog.showModal(); });
    });
    document.addEventListener("click", function (event) {
      var close = event.target.closest && event.target.closest("[data-dialog-close]");
      if (close) {
        var dialog = close.closest("dialog");
        if (dialog) { dialog.close(); }
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
