// Charter pages: the charter's print button, and keyword fields: suggestions from the
// team's vocabulary for the word being typed, and one-tap keywords. (The live screen's
// timer and polling: live.js.)
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-print]") : null;
    if (el) {
      event.preventDefault();
      window.print();
    }
  });

  // Keyword fields ------------------------------------------------------------------------
  // A field marked data-keywords holds words separated by commas and names a <datalist>
  // of the team's vocabulary. Without JavaScript the browser offers the datalist for the
  // whole value; with it, the field becomes an ARIA combobox suggesting words for the last
  // one being typed, and buttons marked data-keyword-add toggle a word in the field.

  var MAX_SUGGESTIONS = 8;
  var uid = 0;

  function normalise(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function splitWords(value) {
    return value.replace(/;/g, ",").split(",");
  }

  function wordsIn(input) {
    return splitWords(input.value).map(normalise).filter(Boolean);
  }

  function enhanceKeywordField(input) {
    var list = input.list || document.getElementById(input.getAttribute("list") || "");
    if (!list) return;
    var vocabulary = Array.prototype.map.call(list.options, function (o) { return o.value; });
    var box = document.createElement("ul");
    box.id = "keyword-suggestions-" + (++uid);
    box.className = "suggest-list";
    box.setAttribute("role", "listbox");
    box.setAttribute("aria-label", input.dataset.suggestLabel || "Suggestions");
    box.hidden = true;
    input.removeAttribute("list");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", box.id);
    var wrap = document.createElement("div");
    wrap.className = "suggest";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(box);
    var active = -1;

    function options() { return box.querySelectorAll("[role=option]"); }

    function close() {
      box.hidden = true;
      box.replaceChildren();
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach(function (el, i) { el.setAttribute("aria-selected", String(i === active)); });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function choose(label) {
      var parts = splitWords(input.value);
      parts[parts.length - 1] = (parts.length > 1 ? " " : "") + label;
      input.value = parts.join(",") + ", ";
      close();
      input.focus();
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function suggest() {
      var parts = splitWords(input.value);
      var typed = normalise(parts[parts.length - 1]);
      if (!typed) { close(); return; }
      var taken = parts.slice(0, -1).map(normalise);
      var starts = [], contains = [];
      vocabulary.forEach(function (label) {
        var key = normalise(label);
        if (key === typed || taken.indexOf(key) !== -1) return;
        var at = key.indexOf(typed);
        if (at === 0) starts.push(label);
        else if (at > 0) contains.push(label);
      });
      var found = starts.concat(contains).slice(0, MAX_SUGGESTIONS);
      if (!found.length) { close(); return; }
      box.replaceChildren();
      found.forEach(function (label, i) {
        var li = document.createElement("li");
        li.id = box.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = label;
        box.appendChild(li);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      box.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    input.addEventListener("input", function (event) {
      if (event.isTrusted !== false) suggest();
    });
    input.addEventListener("keydown", function (event) {
      var open = !box.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!open) suggest();
        if (event.key === "ArrowDown") highlight(active + 1);
        else highlight(active < 0 ? -1 : active - 1);
        event.preventDefault();
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();  // choose the word, do not send the form yet
        choose(options()[active].textContent);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    // Keep the focus (and the phone's keyboard) on the field while an option is tapped.
    box.addEventListener("mousedown", function (event) { event.preventDefault(); });
    box.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) choose(option.textContent);
    });
  }

  function syncKeywordButtons(input) {
    var words = wordsIn(input);
    document.querySelectorAll('[data-keyword-add][data-for="' + input.id + '"]').forEach(function (b) {
      b.setAttribute("aria-pressed", String(words.indexOf(normalise(b.dataset.keywordAdd)) !== -1));
    });
  }

  function toggleKeyword(input, label) {
    var key = normalise(label);
    var parts = splitWords(input.value).map(function (p) { return p.trim(); }).filter(Boolean);
    var kept = parts.filter(function (p) { return normalise(p) !== key; });
    if (kept.length === parts.length) kept.push(label);
    input.value = kept.length ? kept.join(", ") + ", " : "";
    syncKeywordButtons(input);
  }

  function setUpKeywordFields(root) {
    root.querySelectorAll("input[data-keywords]:not([data-enhanced])").forEach(function (input) {
      input.setAttribute("data-enhanced", "");
      enhanceKeywordField(input);
      input.addEventListener("input", function () { syncKeywordButtons(input); });
      document.querySelectorAll('[data-keyword-picks="' + input.id + '"]').forEach(function (el) {
        el.hidden = false;
      });
      syncKeywordButtons(input);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-keyword-add]") : null;
    var input = button && document.getElementById(button.dataset.for);
    if (!input) return;
    event.preventDefault();
    toggleKeyword(input, button.dataset.keywordAdd);
  });

  document.addEventListener("DOMContentLoaded", function () { setUpKeywordFields(document); });
  document.addEventListener("htmx:afterSwap", function (event) { setUpKeywordFields(event.target); });
})();
