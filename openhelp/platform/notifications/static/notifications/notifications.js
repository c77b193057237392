// Progressive enhancement for the notification centre. htmx marks notifications read in place (the forms
// work without it); the answer carries the new unread count as an "notifications:unread" event, and this
// keeps the header's bell in step with it.
(function () {
  "use strict";
  function setCount(count) {
    document.querySelectorAll("[data-unread-count]").forEach(function (el) {
      el.textContent = count;
      el.hidden = count === 0;
    });
    document.querySelectorAll("[data-bell]").forEach(function (bell) {
      bell.setAttribute("aria-label", "Notifications, " + count + " unread");
    });
  }
  document.addEventListener("notifications:unread", function (event) {
    var count = event.detail && typeof event.detail.count === "number" ? event.detail.count : null;
    if (count !== null) { setCount(count); }
  });
})();
