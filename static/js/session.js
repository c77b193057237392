// The session page, enhanced: a gentle timer, ticking agenda steps without a reload, and unsaved notes
// kept in this browser until they are saved. Progressive enhancement only: the page works without it.
(function () {
  "use strict";

  function minutesText(elapsed, planned) {
    var text = elapsed + " of " + planned + " minutes";
    if (elapsed > planned) {
      text += " — " + (elapsed - planned) + " over; time to wrap up and debrief?";
    } else if (planned - elapsed <= 5) {
      text += " — about " + (planned - elapsed) + " left";
    }
    return text;
  }

  function setUpTimer(box, sessionId) {
    var planned = parseInt(box.getAttribute("data-planned-minutes"), 10);
    if (!planned) { return; }
    var text = box.querySelector("[data-timer-text]");
    var toggle = box.querySelector("[data-timer-toggle]");
    var key = "session-timer-" + sessionId;
    var startsAt = box.getAttribute("data-starts-at");
    var scheduled = startsAt ? Date.parse(startsAt) : NaN;
    var started = null;
    try { started = parseInt(window.sessionStorage.getItem(key), 10) || null; } catch (e) { started = null; }
    var now = Date.now();
    // During the planned time the clock needs no button: it counts from the agreed start.
    if (!started && !isNaN(scheduled) && now >= scheduled && now <= scheduled + planned * 2 * 60000) {
      started = scheduled;
    }
    var last = null;
    function render() {
      if (!started) {
        text.textContent = "Planned: " + planned + " minutes";
        toggle.textContent = "Start the timer";
        box.classList.remove("over");
        return;
      }
      var elapsed = Math.max(0, Math.floor((Date.now() - started) / 60000));
      if (elapsed !== last) {  // one update a minute keeps screen readers calm
        text.textContent = minutesText(elapsed, planned);
        last = elapsed;
      }
      box.classList.toggle("over", elapsed > planned);
      toggle.textContent = "Reset the timer";
    }
    toggle.addEventListener("click", function () {
      started = started ? null : Date.now();
      last = null;
      try {
        if (started) { window.sessionStorage.setItem(key, String(started)); }
        else { window.sessionStorage.removeItem(key); }
      } catch (e) { /* private mode: the timer just does not survive a reload */ }
      render();
    });
    box.hidden = false;
    render();
    window.setInterval(render, 15000);
  }

  function setUpTicks(root) {
    root.querySelectorAll("form[data-tick-form]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.fetch) { return; }
        event.preventDefault();
        var button = form.querySelector("button.tick");
        var done = form.querySelector("input[name=done]");
        button.disabled = true;
        window.fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch" }
        }).then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          var nowDone = done.value === "1";
          done.value = nowDone ? "0" : "1";
          form.closest(".agenda-step").classList.toggle("done", nowDone);
          button.setAttribute("aria-pressed", nowDone ? "true" : "false");
          button.querySelector("[aria-hidden]").textContent = nowDone ? "\u2611" : "\u2610";
          button.querySelector(".visually-hidden").textContent = nowDone ? "Untick:" : "Tick:";
        }).catch(function () {
          form.submit();  // let the server answer the ordinary way
        }).then(function () { button.disabled = false; });
      });
    });
  }

  function setUpDrafts(root, sessionId) {
    root.querySelectorAll("textarea[data-draft]").forEach(function (area) {
      var key = "session-" + sessionId + "-" + area.getAttribute("data-draft") + "-draft";
      var store;
      // sessionStorage: a draft survives a reload or a crash of the page, never the end of the tab (no
      // private note lingers on a shared computer).
      try { store = window.sessionStorage; store.getItem(key); } catch (e) { return; }
      var saved = store.getItem(key);
      if (saved && saved !== area.value) {
        var restore = document.createElement("button");
        restore.type = "button";
        restore.className = "secondary";
        restore.textContent = "Restore the text you had not saved";
        restore.addEventListener("click", function () {
          area.value = saved;
          restore.remove();
          area.focus();
        });
        area.insertAdjacentElement("afterend", restore);
      } else if (saved) {
        store.removeItem(key);
      }
      area.addEventListener("input", function () { store.setItem(key, area.value); });
      area.form.addEventListener("submit", function () { store.removeItem(key); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-session]");
    if (!root) { return; }
    var sessionId = root.getAttribute("data-session");
    var timer = root.querySelector("[data-session-timer]");
    if (timer) { setUpTimer(timer, sessionId); }
    setUpTicks(root);
    setUpDrafts(root, sessionId);
  });
})();
