// "Mark each one" questions, made a little kinder: a count of what is marked, and instead of
// the browser's small bubble, a clear note on each item not marked yet. Works without it.
(function () {
  "use strict";
  var box = document.querySelector("[data-marking]");
  var form = box && box.closest("form");
  if (!form) return;
  var items = Array.prototype.slice.call(form.querySelectorAll(".mark-item"));
  var count = form.querySelector(".mark-count");
  var need = form.querySelector(".mark-need");
  var open = function () {
    return items.filter(function (item) { return !item.querySelector("input:checked"); });
  };
  var update = function () {
    var left = open();
    items.forEach(function (item) {
      var missing = item.querySelector(".mark-missing");
      if (missing && left.indexOf(item) < 0) missing.hidden = true;
    });
    if (count) count.textContent = count.dataset.text.replace("#", items.length - left.length);
    if (!left.length && need) need.textContent = "";
  };
  form.noValidate = true;
  if (count && items.length > 1) count.hidden = false;
  form.addEventListener("change", update);
  // Capture runs before app.js's "disable the buttons" on the form, which must not run
  // when the answer is not sent.
  document.addEventListener("submit", function (event) {
    var left = open();
    if (event.target !== form || !left.length) return;
    event.preventDefault();
    event.stopPropagation();
    left.forEach(function (item) {
      var missing = item.querySelector(".mark-missing");
      if (missing) missing.hidden = false;
    });
    if (need) need.textContent = need.dataset.text;
    left[0].querySelector("input").focus();
  }, true);
  update();
})();
