// Schedule form: show the custom rule only for a custom recurrence, and the participant
// list only when the whole team does not take part. Without JavaScript both stay visible.
(function () {
  "use strict";

  function fieldOf(input) {
    return input ? input.closest(".field") : null;
  }

  function update(form) {
    var custom = form.querySelector("input[name=frequency][value=custom]");
    var rule = fieldOf(form.querySelector("[name=custom_rule]"));
    if (custom && rule) rule.hidden = !custom.checked && !rule.classList.contains("has-error");
    var everyone = form.querySelector("[name=everyone]");
    var people = fieldOf(form.querySelector("[name=participants]"));
    if (everyone && people) people.hidden = everyone.checked && !people.classList.contains("has-error");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.meeting-form").forEach(function (form) {
      update(form);
      form.addEventListener("change", function () { update(form); });
    });
  });
})();
