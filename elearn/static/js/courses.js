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

// Formatting toolbar over a Markdown textarea: one tab stop, arrow keys / Home / End between the buttons (ARIA
// toolbar pattern); each button changes the text at the cursor or around the selection and returns focus there.
(function () {
  "use strict";
  function insert(area, start, end, text, selectFrom, selectTo) {
    area.focus();
    area.setSelectionRange(start, end);
    // execCommand keeps the browser's undo history; setRangeText is the fallback.
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      area.setRangeText(text, start, end, "end");
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }
    area.setSelectionRange(start + selectFrom, start + selectTo);
  }
  function lineStart(value, index) { return value.lastIndexOf("\n", index - 1) + 1; }
  function block(area, start, text) {
    // a block starts on its own line, after an empty line
    var before = area.value.slice(0, start);
    var gap = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
    return gap + text;
  }
  var actions = {
    heading: function (area, bar, start, end, selected) {
      var from = lineStart(area.value, start);
      var line = area.value.slice(from, end).replace(/^#+\s*/, "") || bar.dataset.mdHeading;
      var text = "### " + line;
      insert(area, from, Math.max(end, from + area.value.slice(from).split("\n")[0].length), text, 4, text.length);
    },
    bold: function (area, bar, start, end, selected) {
      var inner = selected || bar.dataset.mdBold;
      insert(area, start, end, "**" + inner + "**", 2, 2 + inner.length);
    },
    list: function (area, bar, start, end, selected) {
      var from = lineStart(area.value, start);
      var lines = (area.value.slice(from, end) || bar.dataset.mdItem).split("\n");
      var text = lines.map(function (l) { return "- " + l.replace(/^[-*]\s+/, ""); }).join("\n");
      insert(area, from, end, text, 2, text.length);
    },
    link: function (area, bar, start, end, selected) {
      var label = selected || bar.dataset.mdLink;
      var text = "[" + label + "](https://)";
      insert(area, start, end, text, label.length + 3, text.length - 1);
    },
    table: function (area, bar, start, end) {
      var c = bar.dataset.mdColumn;
      var table = "| " + c + " 1 | " + c + " 2 |\n|---|---|\n|  |  |\n";
      var text = block(area, start, table);
      insert(area, start, end, text, text.length - table.length + 2, text.length - table.length + 2 + c.length + 2);
    },
    callout: function (area, bar, start, end, selected) {
      var body = (selected || bar.dataset.mdCalloutText).split("\n").map(function (l) { return "    " + l; }).join("\n");
      var box = "!!! uwaga \"" + bar.dataset.mdCalloutTitle + "\"\n" + body + "\n";
      var text = block(area, start, box);
      var offset = text.length - box.length + box.indexOf("\n") + 5;
      insert(area, start, end, text, offset, text.length - 1);
    }
  };
  Array.prototype.forEach.call(document.querySelectorAll("[data-md-toolbar]"), function (bar) {
    var area = document.getElementById(bar.getAttribute("data-md-toolbar"));
    if (!area) { return; }
    var buttons = Array.prototype.slice.call(bar.querySelectorAll("button[data-md]"));
    bar.hidden = false;
    function run(name) {
      var start = area.selectionStart, end = area.selectionEnd;
      actions[name](area, bar, start, end, area.value.slice(start, end));
    }
    function move(to) {
      buttons.forEach(function (b) { b.tabIndex = -1; });
      buttons[to].tabIndex = 0;
      buttons[to].focus();
    }
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-md]");
      if (button) { move(buttons.indexOf(button)); run(button.getAttribute("data-md")); }
    });
    bar.addEventListener("keydown", function (event) {
      var index = buttons.indexOf(document.activeElement);
      if (index < 0) { return; }
      var keys = { ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1, ArrowUp: index - 1, Home: 0, End: buttons.length - 1 };
      if (!(event.key in keys)) { return; }
      event.preventDefault();
      move((keys[event.key] + buttons.length) % buttons.length);
    });
    area.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "b") {
        event.preventDefault();
        run("bold");
      }
    });
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
