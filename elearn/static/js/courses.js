// Live server-side preview of lesson Markdown (same renderer as learners see). Without JS the Preview button works.
(function () {
  "use strict";
  var form = document.querySelector("form.lesson-editor[data-preview-url]");
  var target = document.getElementById("live-preview");
  if (!form || !target) { return; }
  var source = form.querySelector("textarea[name=source]");
  var token = form.querySelector("input[name=csrf_token]");
  var status = document.getElementById("preview-status");
  var timer = null;
  var sent = 0;
  var announced = null;
  function refresh() {
    var body = new FormData();
    body.append("source", source.value);
    if (token) { body.append("csrf_token", token.value); }
    var mine = ++sent;
    fetch(form.getAttribute("data-preview-url"), { method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        // The server returns sanitised HTML (nh3 allowlist); an older answer never replaces a newer one.
        if (data && typeof data.html === "string" && mine === sent) {
          target.innerHTML = data.html;
          // One short status per burst of typing, not the whole lesson (the preview region is not aria-live).
          if (status) {
            window.clearTimeout(announced);
            status.textContent = "";
            announced = window.setTimeout(function () { status.textContent = form.getAttribute("data-preview-updated") || ""; }, 100);
          }
        }
      })
      .catch(function () { /* the Preview button still works */ });
  }
  source.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  });

  // Warn ten minutes before the page's security token runs out (WCAG 2.2.1). Sending it late is safe too: the
  // server re-renders the form with the text kept, but the warning saves a second round.
  var limit = parseInt(form.getAttribute("data-expires-in"), 10);
  var warning = document.getElementById("expiry-warning");
  if (limit > 0 && warning) {
    window.setTimeout(function () {
      warning.textContent = form.getAttribute("data-expiry-warning") || "";
      warning.hidden = false;
    }, Math.max(0, limit - 600) * 1000);
  }
})();
