// Today (the personal home): keyboard focus after an offer is answered in place with htmx.
// Progressive enhancement only: without JavaScript the forms post and the page reloads.
(function () {
  "use strict";
  var answered = null;
  // The button that was pressed disappears with the card it was in: move focus to the new card's
  // heading so keyboard and screen-reader users keep their place.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    answered = target && target.hasAttribute("data-offer-card") ? target.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!answered) { return; }
    var card = document.getElementById(answered);
    answered = null;
    var heading = card && card.querySelector("h3[tabindex]");
    if (heading) { heading.focus(); }
  });
})();
