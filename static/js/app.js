// Small behaviours shared by every page. No inline script anywhere, so a strict CSP holds.
(function () {
  "use strict";

  // A select marked data-autosubmit submits its form on change (the form also has a
  // <noscript> button, so it works without JavaScript).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) {
      el.form.requestSubmit();
    }
  });

  // Buttons with data-confirm ask before their form is sent.
  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // The team's menu folds on a phone, and stays open on a wider screen (the summary is
  // hidden there by the stylesheet). Without JavaScript it is open everywhere.
  var wide = window.matchMedia("(min-width: 800px)");
  function fitTeamMenu() {
    document.querySelectorAll("[data-team-menu]").forEach(function (menu) {
      menu.open = wide.matches;
    });
  }
  fitTeamMenu();
  wide.addEventListener("change", fitTeamMenu);

  // Let htmx swap form fragments re-rendered with errors (status 200 by convention) and
  // show a readable message when the server refuses a change.
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("messages");
    if (!box) return;
    var p = document.createElement("p");
    p.className = "message error";
    p.textContent = event.detail.xhr.status === 403
      ? box.dataset.forbidden || "You are not allowed to do this."
      : box.dataset.failed || "Something went wrong. Please try again.";
    box.replaceChildren(p);
  });
})();
