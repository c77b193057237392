// The session page, enhanced: a gentle timer, and unsaved notes kept in this browser until they are saved.
// Ticking agenda steps and saving notes in place is htmx's (hx-post on those forms). Progressive
// enhancement only: the page works without it.
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

  function setUpDrafts(root, sessionId) {
    root.querySelectorAll("textarea[data-draft]:not([data-draft-ready])").forEach(function (area) {
      area.setAttribute("data-draft-ready", "");
      var key = "session-" + sessionId + "-" + area.getAttribute("data-draft") + "-draft";
      var store;
      // sessionStorage: a draft survives a reload or a crash of the page, never the end of the tab (no
      // private note lingers on a shared computer).
      try { store = window.sessionStorage; store.getItem(key); } catch (e) { return; }
      var saved = store.getItem(key);
      if (saved && saved !== area.value) {
        var restore = document.createElement("button");
        restore.type = "button";
        restore.className = "btn btn-secondary btn-sm secondary";
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
    setUpDrafts(root, sessionId);
    // A section htmx swapped in (a conflict or an error shown in place) brings a new text box.
    document.body.addEventListener("htmx:afterSettle", function () { setUpDrafts(root, sessionId); });
  });
})();
