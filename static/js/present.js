// Presenter screens. The workshop's screen: its timer (end visible and audible), and
// keyboard shortcuts for a one-laptop room and a clicker (PageDown/PageUp), which post to
// the facilitator's endpoints (the server decides who may drive), then refresh at once.
// "Present the charter": the arrows and the clicker follow the previous/next links.
(function () {
  "use strict";

  var audio = null;
  var beeped = {};
  var counting = {};

  function unlockAudio() {
    // Browsers let a page make sound only after a click or a key press.
    if (!audio && (window.AudioContext || window.webkitAudioContext)) {
      audio = new (window.AudioContext || window.webkitAudioContext)();
    }
  }
  document.addEventListener("click", unlockAudio, true);
  document.addEventListener("keydown", unlockAudio, true);

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
    document.querySelectorAll("[data-present-timer]").forEach(function (el) {
      if (el.dataset.seconds === "") return;
      if (!el.dataset.deadline) {
        el.dataset.deadline = String(Date.now() + Number(el.dataset.seconds) * 1000);
      }
      var left = Number(el.dataset.seconds);
      if (el.dataset.running === "1") {
        left = Math.max(0, Math.round((Number(el.dataset.deadline) - Date.now()) / 1000));
      }
      var key = el.dataset.timerKey;
      if (left === 0) {
        el.textContent = el.dataset.doneLabel || "00:00";
        el.classList.add("ended");
        // Beep once per countdown, and only for one this screen saw running.
        if (counting[key] && !beeped[key]) {
          beeped[key] = true;
          beep();
        }
      } else {
        if (el.dataset.running === "1") counting[key] = true;
        el.textContent = pad(Math.floor(left / 60)) + ":" + pad(left % 60);
        el.classList.remove("ended");
      }
    });
  }
  setInterval(tick, 250);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);

  // Fitting -------------------------------------------------------------------------------
  // Text stays large, so a long list may not fit the wall: the last items give way to an
  // "and N more" line (the server already leaves out what no screen could hold: extra).

  function fit() {
    document.querySelectorAll(".screen-body").forEach(function (body) {
      var more = body.querySelector("[data-fit-more]");
      if (!more) return;
      var lists = body.querySelectorAll("[data-fit]");
      var items = [];
      var extra = 0;
      lists.forEach(function (list) {
        extra += Math.max(0, Number(list.dataset.extra || 0));
        Array.prototype.forEach.call(list.children, function (item) {
          item.hidden = false;
          items.push(item);
        });
        var group = list.closest("[data-fit-group]");
        if (group) group.hidden = false;
      });
      var cut = 0;
      function label() {
        more.hidden = cut + extra === 0;
        more.textContent = more.dataset.label.replace("__N__", String(cut + extra));
      }
      label();
      while (body.scrollHeight > body.clientHeight + 1 && items.length > 1) {
        items.pop().hidden = true;
        cut += 1;
        label();
      }
      lists.forEach(function (list) {
        var group = list.closest("[data-fit-group]");
        var shown = Array.prototype.some.call(list.children, function (item) { return !item.hidden; });
        if (group && !shown) group.hidden = true;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", fit);
  document.addEventListener("htmx:afterSettle", fit);
  window.addEventListener("resize", fit);

  // Actions -------------------------------------------------------------------------------

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  var noticeTimer = null;
  function notice(kind) {
    var el = document.getElementById("present-notice");
    if (!el) return;
    el.textContent = kind ? el.dataset[kind] || "" : "";
    window.clearTimeout(noticeTimer);
    if (kind) noticeTimer = window.setTimeout(function () { el.textContent = ""; }, 5000);
  }

  function refresh() {
    document.body.dispatchEvent(new CustomEvent("present:refresh"));
  }

  function post(url, fields) {
    var body = new FormData();
    Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
    // Without the htmx header the endpoints answer a plain form post: a redirect when the
    // action is done, a page (200) when it was refused or needs confirming, 403 for
    // anyone but the facilitator. The redirect is not followed: the poll shows the result.
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      if (response.type === "opaqueredirect") notice("");
      else notice(response.status === 403 ? "forbidden" : "refused");
      refresh();
    });
  }

  function step(screen, delta) {
    var from = Number(screen.dataset.step);
    var to = from + delta;
    if (screen.dataset.finished === "1" || to < 1 || to > Number(screen.dataset.lastStep)) return;
    post(screen.dataset.stepUrl, { from: from, to: to });
  }

  // The gap-analysis meeting: one control endpoint; no way back, and closing the meeting
  // stays on the facilitator's screen (it asks to confirm).
  function gapAct(screen, action) {
    var url = screen.dataset.controlUrl;
    if (action === "next" && screen.dataset.canNext === "1") post(url, { action: "next" });
    else if (action === "timer") post(url, { action: "pause" });
    else if (action === "add") post(url, { action: "add_time" });
    else if (action === "reveal" && screen.dataset.canReveal === "1") {
      post(url, { action: "reveal", question: screen.dataset.question });
    }
  }

  var KEYS = {
    ArrowRight: "next", PageDown: "next", " ": "next", n: "next",
    ArrowLeft: "back", PageUp: "back", p: "back",
    t: "timer", "+": "add", "=": "add", r: "reveal", f: "fullscreen", "?": "help",
  };

  function helpDialog() { return document.getElementById("shortcuts"); }

  function openHelp() {
    var dialog = helpDialog();
    if (dialog && !dialog.open) dialog.showModal();
  }

  function act(action) {
    if (action === "help") return openHelp();
    if (action === "fullscreen") {
      if (document.fullscreenElement) document.exitFullscreen();
      else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
      return;
    }
    // Present the charter: the keys follow the links.
    var link = document.querySelector(action === "next" ? "[data-key-next]" : "[data-key-prev]");
    if ((action === "next" || action === "back") && link) {
      window.location.assign(link.href);
      return;
    }
    var screen = document.querySelector(".screen[data-step]");
    if (!screen) return;
    if (screen.dataset.kind === "gap") return gapAct(screen, action);
    if (action === "next") step(screen, 1);
    else if (action === "back") step(screen, -1);
    else if (action === "timer") {
      post(screen.dataset.timerUrl, { action: screen.dataset.running === "1" ? "pause" : "start" });
    } else if (action === "add") post(screen.dataset.timerUrl, { action: "add" });
    else if (action === "reveal" && screen.dataset.canReveal === "1") {
      post(screen.dataset.revealUrl, {});
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var dialog = helpDialog();
    if (dialog && dialog.open) return; // the dialog handles Escape and its own button
    var target = event.target;
    if (target && target.matches && target.matches("input, select, textarea, button, a")) {
      // A focused control keeps Space and Enter; the arrows and the clicker still drive.
      if (event.key === " ") return;
    }
    var action = KEYS[event.key] || KEYS[event.key.toLowerCase()];
    if (!action) return;
    event.preventDefault();
    act(action);
  });

  document.addEventListener("click", function (event) {
    var opener = event.target.closest ? event.target.closest("[data-help-open]") : null;
    if (opener) openHelp();
  });
})();
