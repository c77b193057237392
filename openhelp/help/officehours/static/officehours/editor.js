// The office-hours editor's live preview. Progressive enhancement: without this script the
// "Update the preview" button does the same with a full page load.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-oh-editor]");
    if (!form || !window.fetch) { return; }
    var timer = null;
    var latest = 0;  // only the newest request's answer is shown: an older one may arrive after it
    var pending = null;
    function refresh() {
      var params = new URLSearchParams(new FormData(form));
      params.delete("csrfmiddlewaretoken");
      var ticket = ++latest;
      if (pending) { pending.abort(); }
      pending = window.AbortController ? new AbortController() : null;
      fetch(form.dataset.previewUrl + "?" + params.toString(), {
        credentials: "same-origin",
        signal: pending ? pending.signal : undefined
      })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          var current = document.getElementById("oh-preview");
          if (html && current && ticket === latest) { current.outerHTML = html; }
        })
        .catch(function () { /* aborted, or offline: the button still works */ });
    }
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 250);
    });
    form.addEventListener("change", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 50);
    });
  });
})();
