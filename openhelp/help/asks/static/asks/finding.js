// Progressive enhancement of a just-published ask: the worker offers it to experts within seconds, so the
// page asks the API where it stands (every 2 s, then less often, for at most 5 minutes) and shows the
// answer. It reloads by itself only when nothing was typed on the page; otherwise it offers a link, so a
// half-written message is never lost. Without JavaScript the status says what happens, and a reload shows it.
(function () {
  "use strict";
  var status = document.querySelector("[data-finding-experts]");
  if (!status || !window.fetch) { return; }
  var url = status.getAttribute("data-finding-experts");
  var started = Date.now();
  var delay = 2000;

  function typedSomething() {
    return Array.prototype.some.call(document.querySelectorAll("textarea, input[type=text]"), function (el) {
      return el.value !== el.defaultValue;
    });
  }

  function show(text) {
    status.textContent = text + " ";
    var link = document.createElement("a");
    link.href = window.location.pathname;
    link.textContent = "Show it";
    status.appendChild(link);
  }

  function look() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (ask) {
        if (ask && ask.state && ask.state !== "open") {
          if (typedSomething()) { show(ask.status || "Your ask moved on."); } else { window.location.reload(); }
          return;
        }
        again();
      })
      .catch(again);
  }

  function again() {
    if (Date.now() - started > 5 * 60 * 1000) { return; }
    window.setTimeout(look, delay);
    delay = Math.min(delay * 1.5, 15000);
  }

  again();
})();
