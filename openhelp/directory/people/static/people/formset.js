// "Add another" without a round trip: clone the empty row. Without JavaScript the button posts the
// form and the server adds the row, so this is only a shortcut.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) { return; }
    var prefix = button.getAttribute("data-add-row");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty-row");
    var rows = document.querySelector('[data-formset="' + prefix + '"]');
    if (!total || !template || !rows) { return; }
    event.preventDefault();
    var index = parseInt(total.value, 10) || 0;
    // A table row only parses inside a table body.
    var wrapper = document.createElement(rows.tagName === "TBODY" ? "tbody" : "div");
    wrapper.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = wrapper.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("input, select, textarea");
    if (first) { first.focus(); }
    row.dispatchEvent(new CustomEvent("formset:added", { bubbles: true }));
  });
})();
