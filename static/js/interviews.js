// Interview mode: notes saved as the interviewer types, never lost.
// Each keystroke keeps the text in localStorage first; a debounced POST sends it, and
// the copy is dropped only once the server has that exact text. A failed save (network
// down, server away) keeps the copy and tries again every few seconds and as soon as
// the browser is back online; a page opened later sends any copy left behind.
// Also: "Keep as a quote" takes the words selected in the notes, and the timer counts.
(function () {
  "use strict";

  var DEBOUNCE_MS = 700;
  var RETRY_MS = 4000;

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setup(form) {
    var area = form.querySelector("textarea");
    var state = form.querySelector("[data-save-state]");
    var key = form.dataset.key;
    var texts = {
      saved: form.querySelector("[data-text-saved]").textContent,
      saving: form.querySelector("[data-text-saving]").textContent,
      offline: form.querySelector("[data-text-offline]").textContent,
    };
    var timer = null;
    var inFlight = false;

    function show(kind, text) {
      state.textContent = text;
      state.classList.toggle("is-saved", kind === "saved");
      state.classList.toggle("is-waiting", kind === "waiting");
    }

    function keep(value) {
      try { localStorage.setItem(key, value); } catch (e) { /* private mode: the POST still runs */ }
    }

    function kept() {
      try { return localStorage.getItem(key); } catch (e) { return null; }
    }

    function send() {
      timer = null;
      if (inFlight) { timer = setTimeout(send, 300); return; }
      var value = area.value;
      var data = new FormData(form);
      data.set("body", value);
      inFlight = true;
      show("", texts.saving);
      fetch(form.action, {
        method: "POST",
        body: data,
        headers: { "Accept": "application/json", "X-CSRFToken": csrf(form) },
        credentials: "same-origin",
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        inFlight = false;
        if (!result.ok) {
          show("waiting", result.body.error || texts.offline);
          return;
        }
        if (kept() === value) {
          try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
        }
        if (area.value === value) show("saved", texts.saved);
      }).catch(function () {
        inFlight = false;
        show("waiting", texts.offline);
        if (!timer) timer = setTimeout(send, RETRY_MS);
      });
    }

    function schedule(delay) {
      if (timer) clearTimeout(timer);
      timer = setTimeout(send, delay);
    }

    area.addEventListener("input", function () {
      keep(area.value);
      schedule(DEBOUNCE_MS);
    });
    window.addEventListener("online", function () {
      if (kept() !== null) schedule(0);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      keep(area.value);
      schedule(0);
    });
    // Leaving the page with a save pending: send it now (the copy stays until it lands).
    window.addEventListener("pagehide", function () {
      if (timer) { clearTimeout(timer); send(); }
    });

    var left = kept();
    if (left !== null && left !== area.value) {
      area.value = left;
      schedule(0);
    }

    var quote = document.querySelector(".quote-form textarea");
    if (quote) {
      area.addEventListener("select", function () {
        var picked = area.value.substring(area.selectionStart, area.selectionEnd).trim();
        if (picked) quote.value = picked;
      });
    }
  }

  function tick() {
    document.querySelectorAll("[data-elapsed]").forEach(function (el) {
      if (!el._start) el._start = Date.now() - parseInt(el.dataset.elapsed, 10) * 1000;
      var seconds = Math.max(0, Math.round((Date.now() - el._start) / 1000));
      var text = Math.floor(seconds / 60) + ":" + (seconds % 60 < 10 ? "0" : "") + (seconds % 60);
      var clock = el.querySelector("[data-elapsed-clock]");
      if (clock && clock.textContent !== text) clock.textContent = text;
      el.classList.toggle("over", seconds > parseInt(el.dataset.minutes, 10) * 60);
    });
  }

  document.querySelectorAll("form[data-autosave]").forEach(setup);
  tick();
  setInterval(tick, 1000);
})();
