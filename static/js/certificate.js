// The certificate pages' Print button (hidden without JavaScript and on paper).
(function () {
  "use strict";
  document.querySelectorAll(".print-button").forEach(function (button) {
    if (!window.print) return;
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
