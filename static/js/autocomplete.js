// Searchable pickers, all on one ARIA 1.2 combobox (an input with a listbox popup: arrow keys move, Enter
// picks, Escape closes; a live region announces the results).
//
// 1. <input data-skill-autocomplete data-autocomplete-url="/skills/autocomplete/">: one skill, suggested
//    from the server as you type.
// 2. <select multiple data-multi-picker data-picker-label="Add a language">: a searchable multi-select;
//    the chosen options show as chips with a remove button. The options are filtered in the page.
// 3. <div data-skill-slots> around the skill_1 … skill_N text boxes of a form: one "Add a skill" box and
//    chips; each chip fills the next empty box, so the server receives exactly what it would without
//    JavaScript. A box with an error stays visible as typed, next to its message.
//
// Progressive enhancement: without this file each of these is a plain text box, a <select multiple> or a
// row of text boxes, and the server resolves what was typed (names and aliases alike).
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;
  var MAX_LOCAL_RESULTS = 8;
  var counter = 0;

  function nextId(prefix) {
    counter += 1;
    return prefix + "-" + counter;
  }

  function serverSource(url) {
    var controller = null;
    return function (query) {
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      var target = url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
      return fetch(target, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { return data.results || []; });
    };
  }

  // The combobox behaviour. options.source(query) returns a promise of items {name, label, status?};
  // options.onChoose(item) is called when one is picked (default: the input takes its name).
  function attach(input, options) {
    if (input.dataset.autocompleteReady) { return; }
    input.dataset.autocompleteReady = "1";
    var source = options.source;
    var onChoose = options.onChoose || function (item) {
      input.value = item.name;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    };
    var id = input.id || nextId("autocomplete");
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
    var lastQuery = null;
    var pending = false;  // a search is waiting for its debounce or its answer
    var generation = 0;   // answers to an older search are ignored

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
        generation += 1;
        lastQuery = null;  // that search never finished: typing the same text again searches again
        pending = false;
      }
      close();
    }

    function setActive(index) {
      var items = list.querySelectorAll("[role=option]");
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      items.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var item = results[index];
      if (!item) { return; }
      close();
      status.textContent = item.name + " selected";
      onChoose(item);
      // A picker clears its box after a choice: the next search starts from nothing.
      lastQuery = input.value.trim();
      results = input.value ? results : [];
    }

    function render(items) {
      results = items;
      list.textContent = "";
      items.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = list.id + "-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = item.label || item.name;
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
        status.textContent = input.value.trim() ? (options.noMatch || "No matching skill.") : "";
      }
    }

    function search() {
      var query = input.value.trim();
      if (query === lastQuery) { pending = false; return; }
      lastQuery = query;
      if (!query) { pending = false; render([]); return; }
      generation += 1;
      var mine = generation;
      source(query)
        .then(function (items) {
          if (mine !== generation) { return; }
          pending = false;
          if (input.value.trim() === query) { render(items); }
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
        // Only swallow Enter when picking a suggestion; otherwise the form submits as usual (or the
        // picker takes the typed text, see options.onEnter).
        if (open && active >= 0) {
          event.preventDefault();
          choose(active);
        } else if (options.onEnter && options.onEnter(event)) {
          event.preventDefault();
          dismiss();
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
    return { status: status, anchor: anchor };
  }

  function enhanceSkillInput(input) {
    var url = input.getAttribute("data-autocomplete-url") || "/skills/autocomplete/";
    attach(input, { source: serverSource(url) });
  }

  // --- Chips ---------------------------------------------------------------------------------------

  function chipList(labelText) {
    var list = document.createElement("ul");
    list.className = "chip-list";
    list.setAttribute("aria-label", labelText);
    return list;
  }

  function addChip(list, name, onRemove) {
    var item = document.createElement("li");
    item.className = "chip";
    var text = document.createElement("span");
    text.textContent = name;
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "chip-remove";
    remove.setAttribute("aria-label", "Remove " + name);
    remove.textContent = "×";
    remove.addEventListener("click", onRemove);
    item.appendChild(text);
    item.appendChild(remove);
    list.appendChild(item);
  }

  function pickerInput(labelText, placeholder) {
    var wrapper = document.createElement("div");
    wrapper.className = "picker-add";
    var input = document.createElement("input");
    input.type = "text";
    input.id = nextId("picker");
    input.className = "picker-input";
    if (placeholder) { input.placeholder = placeholder; }
    var label = document.createElement("label");
    label.htmlFor = input.id;
    label.className = "visually-hidden";
    label.textContent = labelText;
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    return { wrapper: wrapper, input: input, label: label };
  }

  // --- <select multiple data-multi-picker> ---------------------------------------------------------

  function enhanceMultiSelect(select) {
    if (select.dataset.pickerReady) { return; }
    select.dataset.pickerReady = "1";
    var noun = select.getAttribute("data-picker-label") || "Add";
    var picker = document.createElement("div");
    picker.className = "picker";
    var chips = chipList(select.getAttribute("data-picker-chosen") || "Chosen");
    var added = pickerInput(noun, select.getAttribute("data-picker-placeholder") || "Type to search");
    picker.appendChild(chips);
    picker.appendChild(added.wrapper);
    select.insertAdjacentElement("afterend", picker);
    select.hidden = true;  // still submitted with the form: hidden is not disabled
    var noScriptHint = select.parentNode.querySelector("[data-no-js-hint]");
    if (noScriptHint) { noScriptHint.hidden = true; }
    // The field's own label now names the search box.
    document.querySelectorAll("label[for='" + select.id + "']").forEach(function (label) {
      label.htmlFor = added.input.id;
    });
    var describedBy = select.getAttribute("aria-describedby");
    if (describedBy) { added.input.setAttribute("aria-describedby", describedBy); }
    if (select.getAttribute("aria-invalid")) { added.input.setAttribute("aria-invalid", "true"); }

    function changed() {
      select.dispatchEvent(new Event("change", { bubbles: true }));
      render();
    }

    function render() {
      chips.textContent = "";
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.selected) { return; }
        addChip(chips, option.text, function () {
          option.selected = false;
          changed();
          added.input.focus();
        });
      });
      chips.hidden = !chips.children.length;
    }

    function source(query) {
      var lowered = query.toLowerCase();
      var starts = [];
      var contains = [];
      Array.prototype.forEach.call(select.options, function (option) {
        if (option.selected) { return; }
        var text = option.text.toLowerCase();
        var item = { name: option.text, label: option.text, value: option.value };
        if (text.indexOf(lowered) === 0 || option.value.toLowerCase() === lowered) {
          starts.push(item);
        } else if (text.indexOf(lowered) !== -1) {
          contains.push(item);
        }
      });
      return Promise.resolve(starts.concat(contains).slice(0, MAX_LOCAL_RESULTS));
    }

    attach(added.input, {
      source: source,
      noMatch: "No match.",
      onChoose: function (item) {
        Array.prototype.forEach.call(select.options, function (option) {
          if (option.value === item.value) { option.selected = true; }
        });
        added.input.value = "";
        changed();
      }
    });
    added.input.addEventListener("keydown", function (event) {
      if (event.key !== "Backspace" || added.input.value) { return; }
      var chosen = Array.prototype.filter.call(select.options, function (option) { return option.selected; });
      if (!chosen.length) { return; }
      chosen[chosen.length - 1].selected = false;
      changed();
    });
    render();
  }

  // --- <div data-skill-slots> ----------------------------------------------------------------------

  function enhanceSkillSlots(box) {
    if (box.dataset.pickerReady) { return; }
    box.dataset.pickerReady = "1";
    var inputs = Array.prototype.slice.call(box.querySelectorAll("input[data-skill-autocomplete]"));
    if (!inputs.length) { return; }
    var url = inputs[0].getAttribute("data-autocomplete-url") || "/skills/autocomplete/";
    var slots = [];
    inputs.forEach(function (input) {
      var field = input.closest("[data-skill-slot]") || input.parentNode;
      var hasError = !!field.querySelector(".errorlist") || input.getAttribute("aria-invalid") === "true";
      if (hasError && input.value.trim()) {
        // What was typed stays in its box, with its message, so it can be corrected or cleared.
        enhanceSkillInput(input);
        return;
      }
      input.dataset.autocompleteReady = "1";  // a hidden slot is filled through the picker
      var errors = field.querySelector(".errorlist");
      if (errors) { box.setAttribute("data-slot-errors", "1"); }
      field.hidden = true;
      slots.push({ input: input, field: field, errors: errors });
    });

    var picker = document.createElement("div");
    picker.className = "picker";
    var chips = chipList(box.getAttribute("data-picker-chosen") || "Chosen skills");
    var added = pickerInput(box.getAttribute("data-picker-label") || "Add a skill",
      box.getAttribute("data-picker-placeholder") || "Start typing, e.g. Python");
    added.label.classList.remove("visually-hidden");
    var full = document.createElement("p");
    full.className = "muted picker-full";
    full.textContent = box.getAttribute("data-picker-full") || "That is the most skills an ask can have.";
    picker.appendChild(chips);
    picker.appendChild(added.wrapper);
    picker.appendChild(full);
    // An error of a hidden (empty) slot, e.g. "Add at least one skill", moves next to the picker.
    var describedBy = [];
    slots.forEach(function (slot) {
      if (!slot.errors) { return; }
      slot.errors.id = slot.errors.id || nextId("slot-error");
      describedBy.push(slot.errors.id);
      picker.appendChild(slot.errors);
    });
    var movedErrors = slots.map(function (slot) { return slot.errors; }).filter(Boolean);
    if (describedBy.length) {
      added.input.setAttribute("aria-describedby", describedBy.join(" "));
      added.input.setAttribute("aria-invalid", "true");
    }
    var help = box.querySelector("[data-picker-help]");
    if (help) {
      help.id = help.id || nextId("picker-help");
      var ids = (added.input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      ids.unshift(help.id);
      added.input.setAttribute("aria-describedby", ids.join(" "));
    }
    box.appendChild(picker);

    function names() {
      return inputs.map(function (input) { return input.value.trim().toLowerCase(); })
        .filter(Boolean);
    }

    function render() {
      chips.textContent = "";
      slots.forEach(function (slot) {
        var name = slot.input.value.trim();
        if (!name) { return; }
        addChip(chips, name, function () {
          slot.input.value = "";
          compact();
          slot.input.dispatchEvent(new Event("change", { bubbles: true }));
          render();
          added.input.focus();
        });
      });
      chips.hidden = !chips.children.length;
      // "Choose at least one skill" is answered once a skill is chosen; it comes back if all are removed.
      movedErrors.forEach(function (errors) { errors.hidden = !chips.hidden; });
      if (movedErrors.length) {
        if (chips.hidden) { added.input.setAttribute("aria-invalid", "true"); }
        else { added.input.removeAttribute("aria-invalid"); }
      }
      var isFull = !slots.some(function (slot) { return !slot.input.value.trim(); });
      added.wrapper.hidden = isFull;
      full.hidden = !isFull;
    }

    // Chips keep the order they were added in: close the gap a removed one leaves.
    function compact() {
      var values = slots.map(function (slot) { return slot.input.value.trim(); }).filter(Boolean);
      slots.forEach(function (slot, i) { slot.input.value = values[i] || ""; });
    }

    function take(name) {
      name = name.trim();
      if (!name) { return false; }
      if (names().indexOf(name.toLowerCase()) !== -1) { added.input.value = ""; return true; }
      var empty = slots.filter(function (slot) { return !slot.input.value.trim(); })[0];
      if (!empty) { return false; }
      empty.input.value = name;
      added.input.value = "";
      empty.input.dispatchEvent(new Event("change", { bubbles: true }));
      render();
      return true;
    }

    attach(added.input, {
      source: serverSource(url),
      onChoose: function (item) { take(item.name); },
      // Enter on typed text that was not picked from the list: take it as typed (the server resolves
      // aliases such as "k8s", and says so next to the box when it knows no such skill).
      onEnter: function () { return take(added.input.value); }
    });
    var form = box.closest("form");
    if (form) {
      form.addEventListener("submit", function () { take(added.input.value); });
    }
    // Another script (a suggested skill added with one click) may fill a slot: show it as a chip.
    box.addEventListener("change", function (event) {
      if (event.target !== added.input) { render(); }
    });
    render();
  }

  function init(root) {
    root = root || document;
    root.querySelectorAll("[data-skill-slots]").forEach(enhanceSkillSlots);
    root.querySelectorAll("select[data-multi-picker]").forEach(enhanceMultiSelect);
    root.querySelectorAll("input[data-skill-autocomplete]").forEach(enhanceSkillInput);
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
