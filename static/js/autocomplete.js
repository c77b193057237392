// Skill autocomplete for <input data-skill-autocomplete data-autocomplete-url="/skills/autocomplete/">.
// Progressive enhancement: without this file the input is a plain text box and the server resolves
// what was typed (names and aliases alike). With it, the input becomes an ARIA 1.2 combobox with a
// listbox popup: arrow keys move, Enter picks, Escape closes; a live region announces the results.
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;
  var counter = 0;

  function enhance(input) {
    if (input.dataset.autocompleteReady) { return; }
    input.dataset.autocompleteReady = "1";
    var url = input.getAttribute("data-autocomplete-url") || "/skills/autocomplete/";
    var id = input.id || "skill-autocomplete-" + (++counter);
    input.id = id;

    var list = document.createElement("ul");
    list.id = id + "-listbox";
    list.className = "autocomplete-list";
    list.setAttribute("role", "listbox");
    var label = input.labels && input.labels[0];
    if (label) {
      label.id = label.id || id + "-label";
      list.setAttribute("aria-labelledby", label.id);
    }
    list.hidden = true;

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    // The list floats over the page below the input (see .autocomplete in app.css) instead of taking
    // room in the form: a list in the flow shrank the form when blur closed it, so a button moved away
    // between its mousedown and its mouseup and the first click on it (e.g. "Search") was lost.
    var anchor = document.createElement("div");
    anchor.className = "autocomplete";
    var hadFocus = document.activeElement === input;
    input.insertAdjacentElement("beforebegin", anchor);
    anchor.appendChild(input);
    anchor.appendChild(list);
    anchor.insertAdjacentElement("afterend", status);
    if (hadFocus) { input.focus(); }
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    var results = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastQuery = null;
    var pending = false;  // a search is waiting for its debounce or its answer

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    // Escape, Tab or leaving the box: close, and also drop a search still waiting or on its way, so a
    // late answer never reopens a list the person has just dismissed.
    function dismiss() {
      clearTimeout(timer);
      if (pending) {
        if (controller) { controller.abort(); controller = null; }
        lastQuery = null;  // that search never finished: typing the same text again searches again
        pending = false;
      }
      close();
    }

    function setActive(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) { return; }
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var item = results[index];
      if (!item) { return; }
      input.value = item.name;
      close();
      status.textContent = item.name + " selected";
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function render(items) {
      results = items;
      list.textContent = "";
      items.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = list.id + "-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = item.label;
        if (item.status === "proposed") {
          var note = document.createElement("span");
          note.className = "muted";
          note.textContent = " (waiting for approval)";
          option.appendChild(note);
        }
        // mousedown, not click: it fires before the input's blur would close the list.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        list.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = items.length + (items.length === 1 ? " suggestion" : " suggestions") +
          ". Use the up and down arrows to choose.";
      } else {
        close();
        status.textContent = input.value.trim() ? "No matching skill." : "";
      }
    }

    function search() {
      var query = input.value.trim();
      if (query === lastQuery) { pending = false; return; }
      lastQuery = query;
      if (!query) { pending = false; render([]); return; }
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      var target = url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
      fetch(target, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          pending = false;
          if (input.value.trim() === query) { render(data.results || []); }
        })
        .catch(function () { /* aborted or offline: the plain text box still works */ });
    }

    input.addEventListener("input", function () {
      pending = true;
      clearTimeout(timer);
      timer = setTimeout(search, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open && results.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        setActive(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (open) { setActive(active - 1); }
      } else if (event.key === "Enter") {
        // Only swallow Enter when picking a suggestion; otherwise the form submits as usual.
        if (open && active >= 0) {
          event.preventDefault();
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); }
        dismiss();
      } else if (event.key === "Tab") {
        dismiss();
      }
    });

    input.addEventListener("blur", function () { dismiss(); });
    input.addEventListener("focus", function () {
      if (results.length && input.value.trim() === lastQuery) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    });
  }

  function init(root) {
    (root || document).querySelectorAll("input[data-skill-autocomplete]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(); });
  } else {
    init();
  }
  // Rows added later: people/formset.js announces them with "formset:added"; other scripts can call
  // window.OpenToHelp.enhanceSkillInputs(container).
  document.addEventListener("formset:added", function (event) { init(event.target); });
  window.OpenToHelp = window.OpenToHelp || {};
  window.OpenToHelp.enhanceSkillInputs = init;
})();
