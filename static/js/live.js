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

// Push, with polling as the fallback. A live area (data-live-poll) fetches itself on
// "sse:changed", sent by the stream its page opened (an element with sse-connect, through
// the vendored htmx-ext-sse), and on "live:poll", which this script dispatches every 2 s
// only while no stream is open: before it opens, while it reconnects, on a page without
// streams (no Redis), and for good once it failed FAILURES times in a row over a minute.
// A stream that opens again after a break fetches once (what was missed); a tab that
// becomes visible with its stream down reconnects at once instead of waiting for the
// next retry.
// Tests switch polling off with <html data-live-poll="off">.
(function () {
  "use strict";

  var FAILURES = 8;
  var GIVE_UP_MS = 60000;
  var POLL_MS = 2000;

  // No cookies needed: the address carries a signed token, and a stream served from
  // another origin (make run) then needs no credentialed CORS.
  if (window.htmx) {
    htmx.createEventSource = function (url) { return new EventSource(url); };
  }

  function state(holder) {
    if (!holder._live) holder._live = { open: false, failures: 0, opened: false, source: null };
    return holder._live;
  }

  function streamOf(area) {
    var holder = area.closest("[data-live-stream]");
    if (!holder || !holder.hasAttribute("sse-connect")) return null;
    return holder;
  }

  function poll(area) { htmx.trigger(area, "live:poll"); }

  document.addEventListener("htmx:sseOpen", function (event) {
    var holder = event.target;
    var s = state(holder);
    var again = s.opened;
    s.open = true;
    s.opened = true;
    s.failures = 0;
    s.source = event.detail.source;
    holder.dataset.liveStream = "open";
    // Back after a break: fetch what the stream could not tell while it was down.
    if (again) holder.querySelectorAll("[data-live-poll]").forEach(poll);
  });

  document.addEventListener("htmx:sseError", function (event) {
    var holder = event.target;
    var s = state(holder);
    s.open = false;
    s.source = event.detail.source;
    holder.dataset.liveStream = "down";
    // A hidden tab's stream may be cut by the browser: that is no reason to give up.
    if (document.visibilityState === "visible") {
      if (!s.failures) s.failingSince = Date.now();
      s.failures += 1;
    }
    // Repeated failures over a minute: a stream server restarting takes seconds.
    if (s.failures >= FAILURES && Date.now() - s.failingSince > GIVE_UP_MS) {
      // Polling for good: without sse-connect, the extension's retry opens nothing.
      if (s.source) s.source.close();
      holder.removeAttribute("sse-connect");
      holder.dataset.liveStream = "off";
    }
  });

  setInterval(function () {
    if (document.documentElement.dataset.livePoll === "off") return;
    document.querySelectorAll("[data-live-poll]").forEach(function (area) {
      var holder = streamOf(area);
      if (!holder || !state(holder).open) poll(area);
    });
  }, POLL_MS);

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "visible") return;
    document.querySelectorAll("[data-live-stream][sse-connect]").forEach(function (holder) {
      var s = state(holder);
      if (s.open) return;
      if (s.source) s.source.close();
      // A changed attribute makes htmx process the holder and its live areas afresh:
      // the extension opens a new stream and the areas listen to it.
      var round = String(Number(holder.dataset.liveRound || 0) + 1);
      holder.dataset.liveRound = round;
      holder.querySelectorAll("[data-live-poll]").forEach(function (area) {
        area.dataset.liveRound = round;
      });
      htmx.process(holder);
      holder.querySelectorAll("[data-live-poll]").forEach(poll);
    });
  });
})();
