// Searchable combobox over a native <select data-combobox> (WAI-ARIA 1.2 combobox with a listbox popup).
// The select stays in the form, hidden, and carries the chosen value; without JavaScript it is the grouped select.
// Keys: type to filter (words match the name, its initials or the powiat, letters with or without Polish accents),
// Down/Up move through the list (Alt+Down opens it), Enter chooses, Escape closes (a second Escape clears).
(function () {
  "use strict";

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ł/g, "l");
  }

  // "Gminny ośrodek pomocy społecznej – gmina wiejska Lubicz" is found by "gops lubicz": the initials of the name
  // before the dash are searchable, as people call institutions by them (GOPS, MOPS, PCPR, ROPS).
  function initials(text) {
    var name = text.split(" – ")[0];
    var words = name.split(/[\s-]+/).filter(Boolean);
    return words.map(function (word) { return word.charAt(0); }).join("");
  }

  function enhance(select, index) {
    var baseId = select.id || "combobox-" + index;
    var label = document.querySelector('label[for="' + baseId + '"]');
    var wrapper = document.createElement("div");
    var input = document.createElement("input");
    var listbox = document.createElement("ul");
    var status = document.createElement("p");
    var items = [];
    var visible = [];
    var active = -1;

    wrapper.className = "combobox";
    input.type = "text";
    input.id = baseId + "-combobox";
    input.className = "combobox-input";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", baseId + "-listbox");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) { input.setAttribute(name, select.getAttribute(name)); }
    });
    if (select.required) { input.setAttribute("aria-required", "true"); select.required = false; }
    if (label) { label.setAttribute("for", input.id); label.id = label.id || baseId + "-label"; }
    listbox.id = baseId + "-listbox";
    listbox.className = "combobox-listbox";
    listbox.setAttribute("role", "listbox");
    if (label) { listbox.setAttribute("aria-labelledby", label.id); }
    listbox.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.placeholder = select.options.length && select.options[0].value === "" ? select.options[0].text : "";

    Array.prototype.forEach.call(select.options, function (option, i) {
      if (option.value === "") { return; }
      var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
      items.push({
        option: option, group: group, id: baseId + "-option-" + i,
        key: fold(option.text + " " + group + " " + initials(option.text))
      });
    });

    function chosenText() {
      var option = select.options[select.selectedIndex];
      return option && option.value !== "" ? option.text : "";
    }

    function setActive(position) {
      var previous = listbox.querySelector('[aria-selected="true"]');
      if (previous) { previous.setAttribute("aria-selected", "false"); }
      active = position;
      if (position < 0 || position >= visible.length) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      var node = document.getElementById(visible[position].id);
      node.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", node.id);
      node.scrollIntoView({ block: "nearest" });
    }

    function render() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var lastGroup = null;
      var groupList = null;
      listbox.textContent = "";
      visible = items.filter(function (item) {
        return words.every(function (word) { return item.key.indexOf(word) !== -1; });
      });
      visible.forEach(function (item, position) {
        if (item.group !== lastGroup) {
          var groupItem = document.createElement("li");
          var heading = document.createElement("span");
          groupItem.setAttribute("role", "presentation");
          heading.className = "combobox-group";
          heading.id = item.id + "-group";
          heading.setAttribute("role", "presentation");
          heading.textContent = item.group;
          groupList = document.createElement("ul");
          groupList.setAttribute("role", "group");
          groupList.setAttribute("aria-labelledby", heading.id);
          groupItem.appendChild(heading);
          groupItem.appendChild(groupList);
          listbox.appendChild(groupItem);
          lastGroup = item.group;
        }
        var li = document.createElement("li");
        li.id = item.id;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "combobox-option";
        li.textContent = item.option.text;
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });
        li.addEventListener("click", function () { choose(position); });
        groupList.appendChild(li);
      });
      status.textContent = visible.length
        ? (visible.length === 1 ? select.getAttribute("data-one-result") || "1"
          : (select.getAttribute("data-results") || "%n").replace("%n", visible.length))
        : select.getAttribute("data-no-results") || "0";
      active = -1;
      input.removeAttribute("aria-activedescendant");
    }

    function open() {
      if (!listbox.hidden) { return; }
      render();
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(position) {
      var item = visible[position];
      if (!item) { return; }
      select.value = item.option.value;
      input.value = item.option.text;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      close();
    }

    input.addEventListener("input", function () {
      if (input.value !== chosenText()) { select.value = ""; }
      listbox.hidden = true;
      open();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (listbox.hidden) { open(); if (event.altKey) { return; } }
        setActive(Math.min(active + 1, visible.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (!listbox.hidden) { setActive(Math.max(active - 1, 0)); }
      } else if (event.key === "Enter") {
        if (!listbox.hidden && active >= 0) { event.preventDefault(); choose(active); }
      } else if (event.key === "Escape") {
        if (!listbox.hidden) { close(); } else { input.value = ""; select.value = ""; }
      }
    });
    input.addEventListener("blur", function () {
      close();
      if (select.value !== "") { input.value = chosenText(); }
    });
    input.addEventListener("click", open);

    input.value = chosenText();
    select.hidden = true;
    select.setAttribute("tabindex", "-1");
    select.parentNode.insertBefore(wrapper, select);
    wrapper.appendChild(input);
    wrapper.appendChild(listbox);
    wrapper.appendChild(status);
  }

  Array.prototype.forEach.call(document.querySelectorAll("select[data-combobox]"), enhance);
})();

// The picker's entry "not on the list? propose one" (value "brak-<type>-<powiat>") shows the fieldset that asks for
// the proposed institution's name and gmina, offering only the gminas of the entry's powiat (the optgroup of the
// same label); any other choice hides it again. Without JavaScript the server shows it when such an entry is sent.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("fieldset[data-missing-for]"), function (fieldset) {
    var select = document.getElementById(fieldset.getAttribute("data-missing-for"));
    var gmina = fieldset.querySelector("select");
    if (!select) { return; }
    function update() {
      var option = select.options[select.selectedIndex];
      var missing = Boolean(option && option.value.indexOf("brak-") === 0);
      fieldset.hidden = !missing;
      // Its fields are required exactly while it is shown (a hidden required field would block the form).
      Array.prototype.forEach.call(fieldset.querySelectorAll("input, select"), function (field) {
        field.required = missing;
        var mark = field.parentNode.querySelector(".required");
        if (mark) { mark.hidden = !missing; }
      });
      if (!missing || !gmina) { return; }
      var powiat = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
      var offered = [];
      Array.prototype.forEach.call(gmina.querySelectorAll("optgroup"), function (group) {
        var mine = group.label === powiat;
        group.hidden = !mine;
        group.disabled = !mine;
        if (mine) { offered = Array.prototype.slice.call(group.querySelectorAll("option")); }
      });
      var chosen = gmina.options[gmina.selectedIndex];
      if (offered.length === 1) { gmina.value = offered[0].value; }
      else if (chosen && chosen.parentNode.tagName === "OPTGROUP" && chosen.parentNode.label !== powiat) { gmina.value = ""; }
    }
    select.addEventListener("change", update);
    update();
  });
})();
