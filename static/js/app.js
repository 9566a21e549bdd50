// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var synth = window.speechSynthesis;
  // Read aloud: speak the main content in the page's language.
  document.querySelectorAll(".read-aloud").forEach(function (button) {
    if (!synth || !window.SpeechSynthesisUtterance) return;
    button.hidden = false;
    var startLabel = button.textContent;
    button.addEventListener("click", function () {
      if (synth.speaking) {
        synth.cancel();
        return;
      }
      var root = document.querySelector(button.dataset.read) || document.body;
      var parts = [];
      root.querySelectorAll("h1, p, li, legend, label, blockquote, .admonition-title").forEach(function (el) {
        if (!el.closest(".read-aloud, nav, .sr-only") && el.offsetParent !== null) parts.push(el.innerText);
      });
      var utterance = new SpeechSynthesisUtterance(parts.join(". \n"));
      utterance.lang = document.documentElement.lang === "vi" ? "vi-VN" : "en-GB";
      utterance.rate = 0.9;
      utterance.onend = utterance.onerror = function () { button.textContent = startLabel; };
      button.textContent = button.dataset.stopLabel;
      synth.speak(utterance);
    });
  });
  // A double tap must not send a form twice (the server also records each answer once).
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      setTimeout(function () {
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form button").forEach(function (b) { b.disabled = false; });
  });
  // Arrow keys move between steps on a keyboard.
  var rel = { ArrowRight: "next", ArrowLeft: "prev" };
  document.addEventListener("keydown", function (event) {
    if (!rel[event.key] || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest("input, select, textarea, button")) return;
    var link = document.querySelector("a[rel=" + rel[event.key] + "]");
    if (link) link.click();
  });
})();
