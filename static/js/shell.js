// The app shell, progressively enhanced: every menu is a <details> that works without this file.
// Here: one menu open at a time, closed by a click outside or Escape; the phone menu button's
// aria-expanded; "/" focuses the header search and Escape leaves it. (The bell's count and name follow
// the notification centre in place: notifications/static/notifications/notifications.js.)
(function () {
  "use strict";
  var DESKTOP = window.matchMedia("(min-width: 768px)");

  function navMenu() { return document.querySelector("[data-nav-menu]"); }
  function openMenus() { return document.querySelectorAll("details[data-menu][open]"); }

  function close(details, focusSummary) {
    details.open = false;
    if (focusSummary) {
      var summary = details.querySelector("summary");
      if (summary) { summary.focus(); }
    }
  }

  // The phone menu: the groups live inside it; on a desktop they sit in the header line, so keep it open
  // there (CSS already shows its content; this covers browsers without ::details-content).
  function syncNavMenu() {
    var menu = navMenu();
    if (!menu) { return; }
    if (DESKTOP.matches) { menu.open = true; } else if (!menu.contains(document.activeElement)) { menu.open = false; }
    syncExpanded(menu);
  }
  function syncExpanded(menu) {
    var summary = menu.querySelector("summary");
    if (summary) { summary.setAttribute("aria-expanded", menu.open ? "true" : "false"); }
  }

  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!(details instanceof HTMLDetailsElement)) { return; }
    if (details.hasAttribute("data-nav-menu")) {
      syncExpanded(details);
      if (details.open && !DESKTOP.matches) {
        // Open the group of the current page, so the phone panel starts where the person is.
        var current = details.querySelector(".nav-group-summary.is-current");
        if (current) { current.parentElement.open = true; }
      }
      return;
    }
    if (details.hasAttribute("data-menu") && details.open) {
      openMenus().forEach(function (other) {
        // Inside the phone panel the groups are an accordion: several may stay open.
        if (other !== details && !(other.closest("[data-nav-menu]") && !DESKTOP.matches)) { other.open = false; }
      });
    }
  }, true);

  document.addEventListener("click", function (event) {
    openMenus().forEach(function (details) {
      if (!details.contains(event.target) && !(details.closest("[data-nav-menu]") && !DESKTOP.matches)) {
        details.open = false;
      }
    });
    var menu = navMenu();
    if (menu && menu.open && !DESKTOP.matches && !menu.contains(event.target)) {
      menu.open = false;
    }
  });

  function isTyping(element) {
    if (!element) { return false; }
    var tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable;
  }

  function visible(element) {
    return element && element.getClientRects().length > 0 && getComputedStyle(element).visibility !== "hidden";
  }

  function focusSearch() {
    var header = document.querySelector("[data-search-shortcut]");
    var page = document.querySelector("[data-search-input]");
    var target = visible(header) ? header : (visible(page) ? page : null);
    if (target) {
      target.focus();
      target.select();
    } else if (header && header.form) {
      window.location.assign(header.form.action);  // on a phone the header shows only the search icon
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "/" && !isTyping(event.target)) {
      event.preventDefault();
      focusSearch();
      return;
    }
    if (event.key !== "Escape") { return; }
    if (event.target.matches && event.target.matches("[data-search-shortcut], [data-search-input]")) {
      event.target.blur();
      return;
    }
    var open = openMenus();
    if (open.length) {
      var innermost = open[open.length - 1];
      close(innermost, innermost.contains(document.activeElement));
      return;
    }
    var menu = navMenu();
    if (menu && menu.open && !DESKTOP.matches) { close(menu, true); }
  });

  function start() {
    syncNavMenu();
    if (DESKTOP.addEventListener) { DESKTOP.addEventListener("change", syncNavMenu); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
