// "These may already answer it": while a mentee writes an ask, list library entries on the skills typed so
// far. Progressive enhancement: without this file the list is rendered by the server when the form is shown.
(function () {
  "use strict";

  var DEBOUNCE_MS = 400;

  function render(box, results) {
    box.textContent = "";
    if (!results.length) { return; }
    var intro = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = "These may already answer it";
    intro.appendChild(strong);
    intro.appendChild(document.createTextNode(" — takeaways from earlier sessions on these skills:"));
    var list = document.createElement("ul");
    results.forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = entry.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = entry.title;
      item.appendChild(link);
      if (entry.takeaways.length) {
        var first = entry.takeaways[0];
        item.appendChild(document.createTextNode(" — " + (first.length > 120 ? first.slice(0, 119) + "…" : first)));
      }
      list.appendChild(item);
    });
    box.appendChild(intro);
    box.appendChild(list);
  }

  function enhance(box) {
    var form = box.closest("form");
    if (!form) { return; }
    var timer = null;
    var last = null;
    function refresh() {
      var params = new URLSearchParams();
      form.querySelectorAll("input[name^='skill_']").forEach(function (input) {
        var value = input.value.trim();
        if (value) { params.append("skill", value); }
      });
      var query = params.toString();
      if (query === last) { return; }
      last = query;
      fetch(box.getAttribute("data-url") + "?" + query, {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) { render(box, data.results); } })
        .catch(function () { /* the server-rendered list still shows */ });
    }
    function schedule(event) {
      if ((event.target.name || "").indexOf("skill_") !== 0) { return; }
      clearTimeout(timer);
      timer = setTimeout(refresh, DEBOUNCE_MS);
    }
    form.addEventListener("change", schedule);
    form.addEventListener("input", schedule);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("library-suggestions");
    if (box) { enhance(box); }
  });
})();
