// Small progressive enhancements; every action also works without JavaScript (no inline scripts: CSP).
(function () {
  "use strict";

  // --- focus on load (WCAG 3.3.1, 4.1.3) ---------------------------------------------------------------------
  // What arrived with the page and must be heard first: the error summary of a re-rendered form, else a result
  // or message marked data-announce (flash messages, "no match", a quiz result).
  function announced() {
    return document.querySelector(".error-summary") || document.querySelector("[data-announce]");
  }
  function focusAnnounced() {
    var target = announced();
    if (!target) { return; }
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus();
  }
  // A "#main" left in the address by the skip link would make the browser move focus to <main> once the page
  // has loaded, taking it away from the summary: drop the fragment and focus again after the browser's own move.
  if (announced() && window.location.hash === "#main" && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  focusAnnounced();
  window.addEventListener("load", function () {
    var target = announced();
    if (target && document.activeElement !== target) { focusAnnounced(); }
  });

  // The skip link moves focus itself, so the address keeps no "#main" for later form submissions to carry.
  var skip = document.querySelector(".skip-link");
  if (skip) {
    skip.addEventListener("click", function (event) {
      var main = document.getElementById("main");
      if (!main) { return; }
      event.preventDefault();
      main.focus();
      main.scrollIntoView();
    });
  }

  // Ask before destructive actions marked with data-confirm.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
})();
