// Live server-side preview of lesson Markdown (same renderer as learners see). Without JS the Preview button works.
(function () {
  "use strict";
  var form = document.querySelector("form.lesson-editor[data-preview-url]");
  var target = document.getElementById("live-preview");
  if (!form || !target) { return; }
  var source = form.querySelector("textarea[name=source]");
  var token = form.querySelector("input[name=csrf_token]");
  var timer = null;
  var sent = 0;
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
        if (data && typeof data.html === "string" && mine === sent) { target.innerHTML = data.html; }
      })
      .catch(function () { /* the Preview button still works */ });
  }
  source.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  });
})();
