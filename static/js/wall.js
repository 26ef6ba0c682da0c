// A wall screen reloads itself to show the latest values (data-reload-seconds on <body>).
// A script rather than <meta http-equiv="refresh">: the page keeps its place in the
// history and assistive technology is not interrupted by an unannounced reload.
(function () {
  "use strict";
  var seconds = parseInt(document.body.dataset.reloadSeconds || "0", 10);
  if (seconds > 0) {
    window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
  }
})();
