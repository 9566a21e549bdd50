// The presenter view's keys (progressive enhancement: the links work without this).
// → PageDown Space: next · ← PageUp Shift+Space: back · Home/End: first/last · Esc: leave.
// A long step is also made a little smaller until it fits the screen (never under 18 px).
(function () {
  "use strict";
  var body = document.body;
  var root = document.documentElement;
  function fit() {
    root.style.fontSize = "";
    var size = parseFloat(getComputedStyle(root).fontSize);
    while (root.scrollHeight > window.innerHeight && size > 18) {
      size = Math.max(18, size * 0.94);
      root.style.fontSize = size + "px";
    }
  }
  var waiting;
  window.addEventListener("resize", function () {
    clearTimeout(waiting);
    waiting = setTimeout(fit, 100);
  });
  window.addEventListener("load", fit);
  fit();
  function go(which) {
    if (which === "first" || which === "last") return new URL(body.dataset[which], location.href).href;
    var link = document.querySelector("a[data-go=" + which + "]");
    return link && link.href;
  }
  var keys = {
    ArrowRight: "next", PageDown: "next", " ": "next",
    ArrowLeft: "prev", PageUp: "prev",
    Home: "first", End: "last", Escape: "exit"
  };
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    if (event.target.closest && event.target.closest("input, select, textarea, button")) return;
    var which = event.key === " " && event.shiftKey ? "prev" : keys[event.key];
    var target = which && go(which);
    if (!target) return;
    event.preventDefault();
    if (target !== location.href) location.href = target;
  });
})();
