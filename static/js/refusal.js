// Error pages: "Go back" only shows when there is a page to go back to.
(function () {
  "use strict";
  if (window.history.length < 2) return;
  document.querySelectorAll("[data-history-back-item]").forEach(function (item) {
    item.hidden = false;
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-history-back]")) {
      window.history.back();
    }
  });
})();
