// Progressive enhancement for the QR payment rehearsal: as on a real phone, the banking
// app's screen (and the choice to send or not) appears only after "Scan the code".
// Without this file the screen is simply shown at once.
(function () {
  "use strict";
  document.querySelectorAll(".qr-pay[data-scan-first]").forEach(function (box) {
    var scan = box.querySelector(".qr-scan");
    var after = box.querySelector(".qr-after-scan");
    if (!scan || !after) return;
    after.hidden = true;
    scan.hidden = false;
    scan.addEventListener("click", function () {
      after.hidden = false;
      scan.hidden = true;
      var title = after.querySelector(".qr-screen-title");
      if (title) {
        title.focus();
        title.scrollIntoView({ block: "start" });
      }
    });
  });
})();
