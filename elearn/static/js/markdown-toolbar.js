// Loaded on every page: the one formatting toolbar, over every textarea rendered as Markdown (the form_field macro
// adds the toolbar to core.forms.MarkdownField; the lesson editor places it itself).
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
