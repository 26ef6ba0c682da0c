// The shared timer of a gap-analysis meeting. The server sends the seconds left (so
// clocks that disagree do not matter); polling replaces the element whenever the
// facilitator changes the timer, and this script counts down in between.
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-timer]").forEach(function (el) {
      if (!el._deadline) {
        el._deadline = now + parseInt(el.dataset.remaining || "0", 10) * 1000;
      }
      var left = el.hasAttribute("data-paused")
        ? parseInt(el.dataset.remaining || "0", 10)
        : Math.max(0, Math.round((el._deadline - now) / 1000));
      var clock = el.querySelector("[data-timer-clock]");
      var text = Math.floor(left / 60) + ":" + pad(left % 60);
      if (clock && clock.textContent !== text) clock.textContent = text;
      var over = left === 0 && !el.hasAttribute("data-paused");
      el.classList.toggle("over", over);
      var badge = el.querySelector("[data-timer-over]");
      if (badge) badge.hidden = !over;
    });
  }

  tick();
  setInterval(tick, 500);
  document.addEventListener("htmx:afterSettle", tick);
})();
