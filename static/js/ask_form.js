// Writing an ask: suggested skills for the text and a live count of experts who could take it this week.
// Progressive enhancement: without this file the "Check" button asks the server for the same help, and
// each suggestion is a submit button that adds the skill to the first empty skill box. With it, the
// "Check" button is hidden and a suggestion fills the first empty box, which autocomplete.js shows as a
// chip.
(function () {
  "use strict";

  var DEBOUNCE_MS = 400;

  function debounce(fn) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, DEBOUNCE_MS);
    };
  }

  function skillInputs(form) {
    return Array.prototype.slice.call(form.querySelectorAll("input[name^='skill_']"));
  }

  function chosenSkills(form) {
    return skillInputs(form)
      .map(function (input) { return input.value.trim(); })
      .filter(function (value) { return value !== ""; });
  }

  function addSkill(form, name) {
    var inputs = skillInputs(form);
    var lowered = name.toLowerCase();
    if (inputs.some(function (input) { return input.value.trim().toLowerCase() === lowered; })) { return; }
    var empty = inputs.filter(function (input) { return input.value.trim() === ""; })[0];
    if (!empty) { return; }
    empty.value = name;
    empty.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function renderSuggestions(form, box, results) {
    box.textContent = "";
    if (!results.length) { return; }
    var intro = document.createElement("p");
    intro.textContent = "Skills your text mentions — add with one click:";
    var list = document.createElement("ul");
    list.className = "tags list-plain cluster";
    results.forEach(function (skill) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-secondary btn-sm secondary";
      button.textContent = "Add " + skill.name;
      button.setAttribute("data-add-skill", skill.name);
      item.appendChild(button);
      list.appendChild(item);
    });
    box.appendChild(intro);
    box.appendChild(list);
  }

  function renderPreview(region, data) {
    region.textContent = "";
    var main = document.createElement("p");
    main.textContent = data.text;
    region.appendChild(main);
    if (data.estimated_wait_text) {
      var wait = document.createElement("p");
      wait.className = "muted";
      wait.textContent = data.estimated_wait_text;
      region.appendChild(wait);
    }
  }

  function checkedValue(form, name) {
    var checked = form.querySelector("input[name='" + name + "']:checked");
    return checked ? checked.value : "";
  }

  function enhance(form) {
    var csrf = form.querySelector("input[name='csrfmiddlewaretoken']");
    var box = document.getElementById("skill-suggestions");
    var region = document.getElementById("candidate-preview");
    if (!csrf || !box || !region) { return; }
    // The count and the suggestions follow the form as it changes: the server round trip is not needed.
    var check = form.querySelector("[data-check-button]");
    if (check) { check.hidden = true; }

    var suggest = debounce(function () {
      var body = new URLSearchParams();
      var text = ["title", "objective", "context"].map(function (name) {
        var field = form.elements[name];
        return field ? field.value : "";
      }).join(" ");
      body.append("text", text);
      chosenSkills(form).forEach(function (name) { body.append("chosen", name); });
      fetch(form.getAttribute("data-suggest-url"), {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf.value, "Accept": "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) { renderSuggestions(form, box, data.results); } })
        .catch(function () { /* the Check button still works */ });
    });

    var preview = debounce(function () {
      var params = new URLSearchParams();
      chosenSkills(form).forEach(function (name) { params.append("skill", name); });
      var languages = form.elements.languages;
      if (languages && languages.options) {
        Array.prototype.forEach.call(languages.options, function (option) {
          if (option.selected) { params.append("language", option.value); }
        });
      }
      params.append("urgency", checkedValue(form, "urgency"));
      fetch(form.getAttribute("data-preview-url") + "?" + params.toString(), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) { renderPreview(region, data); } })
        .catch(function () { /* the Check button still works */ });
    });

    ["title", "objective", "context"].forEach(function (name) {
      var field = form.elements[name];
      if (field) { field.addEventListener("input", suggest); }
    });
    form.addEventListener("change", function (event) {
      var name = event.target.name || "";
      if (name.indexOf("skill_") === 0 || name === "languages" || name === "urgency") {
        preview();
        suggest();
      }
    });
    form.addEventListener("click", function (event) {
      var button = event.target.closest("[data-add-skill]");
      if (!button) { return; }
      event.preventDefault();
      addSkill(form, button.getAttribute("data-add-skill"));
      var item = button.closest("li");
      if (item) { item.remove(); }
    });
    if (chosenSkills(form).length) { preview(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("ask-form");
    if (form) { enhance(form); }
  });
})();
