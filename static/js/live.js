// Live screens of facilitated sessions (workshops, gap-analysis meetings): one file, so a
// fix lands once.
// - The shared timer (templates/facilitation/_timer.html): the server sends the seconds
//   left (so clocks that disagree do not matter); polling replaces the element whenever
//   the facilitator changes the timer, and this script counts down in between. When time
//   is up it shows the "time is up" badge and, on a screen marked data-beep that saw the
//   countdown running, beeps once.
// - A live area marked data-live-hold does not poll while someone is choosing or typing
//   in one of its fields: the poll would wipe what they are doing.
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
    var now = Date.now();
    document.querySelectorAll("[data-timer]").forEach(function (el) {
      if (el.dataset.seconds === "") return;  // stopped
      var running = el.dataset.running === "1";
      // The element is new after each swap: its deadline is counted from its arrival.
      if (!el._deadline) el._deadline = now + Number(el.dataset.seconds) * 1000;
      var left = running
        ? Math.max(0, Math.round((el._deadline - now) / 1000))
        : Number(el.dataset.seconds);
      var clock = el.querySelector("[data-timer-clock]");
      var text = Math.floor(left / 60) + ":" + pad(left % 60);
      if (clock && clock.textContent !== text) clock.textContent = text;
      var over = running && left === 0;
      el.classList.toggle("over", over);
      var badge = el.querySelector("[data-timer-over]");
      if (badge) badge.hidden = !over;
      var key = el.dataset.timerKey;
      if (running && left > 0) counting[key] = true;
      // Beep once per countdown, and only for one this screen saw running.
      if (over && el.hasAttribute("data-beep") && counting[key] && !beeped[key]) {
        beeped[key] = true;
        beep();
      }
    });
  }
  tick();
  setInterval(tick, 250);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", tick);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var live = event.detail.elt;
    if (!live.hasAttribute("data-live-hold") || event.detail.requestConfig.verb !== "get") return;
    var active = document.activeElement;
    if (active && live.contains(active) && active.matches("input, select, textarea")) {
      event.preventDefault();
    }
  });
})();
