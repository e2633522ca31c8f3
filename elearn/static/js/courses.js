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

// The course address is made from the title as it is typed (Polish letters transliterated as the server does),
// until the trainer edits the address; the server makes one from the title when the field is left empty.
(function () {
  "use strict";
  var slug = document.querySelector("input[data-slug-from]");
  if (!slug) { return; }
  var title = document.getElementById(slug.getAttribute("data-slug-from"));
  if (!title) { return; }
  var edited = slug.value !== "";
  function slugify(text) {
    return text.replace(/ł/g, "l").replace(/Ł/g, "L").normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60).replace(/-+$/, "");
  }
  slug.addEventListener("input", function () { edited = slug.value !== ""; });
  title.addEventListener("input", function () {
    if (!edited) { slug.value = slugify(title.value); }
  });
})();

// "Insert into the text": upload the chosen file (its description is required for an image) and insert its Markdown
// where the cursor was. Without JavaScript the same button uploads it and the server adds it at the end.
(function () {
  "use strict";
  var box = document.querySelector(".image-insert[data-upload-url]");
  if (!box) { return; }
  var form = box.closest("form");
  var area = form.querySelector("textarea[name=source]");
  var file = box.querySelector("input[type=file]");
  var alt = box.querySelector("input[name=image_alt]");
  var button = box.querySelector("[name=insert_image]");
  var status = box.querySelector("[data-upload-status]");
  var token = form.querySelector("input[name=csrf_token]");
  var cursor = { start: area.value.length, end: area.value.length };
  ["keyup", "mouseup", "select", "blur", "input"].forEach(function (name) {
    area.addEventListener(name, function () { cursor = { start: area.selectionStart, end: area.selectionEnd }; });
  });
  button.addEventListener("click", function (event) {
    event.preventDefault();
    if (!file.files.length) { file.focus(); status.textContent = box.dataset.missing || ""; return; }
    var body = new FormData();
    body.append("file", file.files[0]);
    body.append("alt", alt.value);
    if (token) { body.append("csrf_token", token.value); }
    status.textContent = "…";
    fetch(box.getAttribute("data-upload-url"), { method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data && data.snippet) {
          var before = area.value.slice(0, cursor.start);
          var pad = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
          area.focus();
          area.setSelectionRange(cursor.start, cursor.end);
          var after = area.value.slice(cursor.end);
          var tail = after === "" ? "\n" : (/^\n\n/.test(after) ? "" : (/^\n/.test(after) ? "\n" : "\n\n"));
          var text = pad + data.snippet + tail;
          if (!document.execCommand || !document.execCommand("insertText", false, text)) {
            area.setRangeText(text, cursor.start, cursor.end, "end");
            area.dispatchEvent(new Event("input", { bubbles: true }));
          }
          file.value = "";
          alt.value = "";
          status.textContent = box.dataset.inserted || "";
        } else {
          status.textContent = (data && data.errors || []).join(" ");
          (data && data.field === "alt" ? alt : file).focus();
        }
      })
      .catch(function () { form.requestSubmit(button); });
  });
})();
