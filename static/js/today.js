// Today (the personal home): keyboard focus after an offer is answered in place with htmx.
// Progressive enhancement only: without JavaScript the forms post and the page reloads.
(function () {
  "use strict";
  // The button that was pressed disappears with the card it was in: move focus to the new card's
  // heading so keyboard and screen-reader users keep their place. The answer also refreshes the
  // "helping" and "upcoming" sections, whose swaps may land between the card's swap and its settle:
  // they must not forget the card that is waiting for focus.
  var waiting = {};
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.hasAttribute("data-offer-card")) { waiting[target.id] = true; }
  });
  document.addEventListener("htmx:afterSettle", function () {
    Object.keys(waiting).forEach(function (id) {
      var card = document.getElementById(id);
      var heading = card && card.querySelector("h3[tabindex]");
      if (!heading) { return; }
      delete waiting[id];
      heading.focus();
    });
  });
})();
