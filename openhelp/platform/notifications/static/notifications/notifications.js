// Progressive enhancement: mark notifications read without a page load. The forms work without this.
(function () {
  "use strict";
  function setCount(count) {
    document.querySelectorAll("[data-unread-count]").forEach(function (el) {
      el.textContent = count;
      el.hidden = count === 0;
    });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-notification-form]");
    if (!form || !window.fetch) { return; }
    event.preventDefault();
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (data) {
      var items = form.dataset.notificationForm === "all"
        ? document.querySelectorAll(".notification.unread")
        : [form.closest(".notification")];
      items.forEach(function (item) {
        item.classList.remove("unread");
        var badge = item.querySelector(".badge.new");
        if (badge) { badge.remove(); }
        var itemForm = item.querySelector("[data-notification-form]");
        if (itemForm) { itemForm.remove(); }
      });
      if (form.dataset.notificationForm === "all") { form.remove(); }
      setCount(data.unread_count);
    }).catch(function () { form.submit(); });
  });
})();
