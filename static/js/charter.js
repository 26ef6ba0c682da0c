// Workshop screens: the shared timer (with a visible and audible end), pausing the live
// poll while someone is filling a field, and the charter's print button.
(function () {
  "use strict";

  var audio = null;
  var beeped = {};
  var counting = {};

  function unlockAudio() {
    // Browsers only let a page make sound after a click: create the context then.
    if (!audio && (window.AudioContext || window.webkitAudioContext)) {
      audio = new (window.AudioContext || window.webkitAudioContext)();
    }
  }
  document.addEventListener("click", unlockAudio, true);

  function beep() {
    if (!audio) return;
    [0, 0.35, 0.7].forEach(function (offset) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.25, audio.currentTime + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + offset + 0.3);
      osc.connect(gain).connect(audio.destination);
      osc.start(audio.currentTime + offset);
      osc.stop(audio.currentTime + offset + 0.3);
    });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    document.querySelectorAll("[data-timer]").forEach(function (el) {
      if (el.dataset.seconds === "") return;
      if (!el.dataset.deadline) {
        el.dataset.deadline = String(Date.now() + Number(el.dataset.seconds) * 1000);
      }
      var left = Number(el.dataset.seconds);
      if (el.dataset.running === "1") {
        left = Math.max(0, Math.round((Number(el.dataset.deadline) - Date.now()) / 1000));
      }
      if (left === 0) {
        el.textContent = el.dataset.doneLabel || "00:00";
        el.classList.add("ended");
        var key = el.dataset.timerKey;
        // Beep once per countdown, and only for one this screen saw running.
        if (el.hasAttribute("data-beep") && counting[key] && !beeped[key]) {
          beeped[key] = true;
          beep();
        }
      } else {
        if (el.dataset.running === "1") counting[el.dataset.timerKey] = true;
        el.textContent = pad(Math.floor(left / 60)) + ":" + pad(left % 60);
        el.classList.remove("ended");
      }
    });
  }
  setInterval(tick, 250);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);

  // A poll must not wipe what someone is choosing or typing in the live area.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var live = event.detail.elt;
    if (live.id !== "live" || event.detail.requestConfig.verb !== "get") return;
    var active = document.activeElement;
    if (active && live.contains(active) && active.matches("input, select, textarea")) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-print]") : null;
    if (el) {
      event.preventDefault();
      window.print();
    }
  });
})();
