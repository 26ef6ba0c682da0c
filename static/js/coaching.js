// The objective form: only the fields of the chosen way of measuring show. Without
// JavaScript every group stays visible, each under its own heading.
(function () {
  "use strict";
  function sync(form) {
    var chosen = form.querySelector("input[name=measure]:checked");
    form.querySelectorAll("[data-measure]").forEach(function (group) {
      group.hidden = !chosen || group.getAttribute("data-measure") !== chosen.value;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-measure-form]").forEach(function (form) {
      sync(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "measure") {
          sync(form);
        }
      });
    });
  });
})();
