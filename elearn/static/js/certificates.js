// Bulk issuance page: poll the job's JSON status and update the progress bar without reloading.
// Without JavaScript the page still works: the "Refresh" link reloads it.
(function () {
  "use strict";
  var box = document.getElementById("bulk-job");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  var text = box.querySelector(".progress-text");
  var state = box.querySelector(".job-state");
  function update(data) {
    if (bar) { bar.value = data.percent; bar.textContent = data.percent + "%"; }
    if (text) { text.textContent = data.percent + "%"; }
    box.querySelector(".job-done").textContent = data.done;
    box.querySelector(".job-total").textContent = data.total;
    box.querySelector(".job-failed").textContent = data.failed;
    if (data.zip_url) { box.querySelector(".job-zip").hidden = false; }
    return data.state === "finished" || data.state === "failed";
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (update(data)) { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  var initial = state ? state.getAttribute("data-state") : "";
  if (initial === "queued" || initial === "running") { window.setTimeout(poll, 500); }
})();
