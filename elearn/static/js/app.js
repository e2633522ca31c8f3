// Small progressive enhancements; every action also works without JavaScript (no inline scripts: CSP).
(function () {
  "use strict";
  // Move focus to the error summary so keyboard and screen-reader users hear what to fix.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
  // Ask before destructive actions marked with data-confirm.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
})();
