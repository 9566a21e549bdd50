// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Read aloud: sentence by sentence, in a voice of the page's language, the sentence
  // being read highlighted. With no such voice, say how to add one (a foreign voice
  // reading Vietnamese cannot be understood).
  var synth = window.speechSynthesis;
  var box = document.querySelector(".read-aloud-box");
  if (box && synth && window.SpeechSynthesisUtterance) readAloud(box);

  function readAloud(box) {
    var button = box.querySelector(".read-aloud");
    var slower = box.querySelector(".read-slower");
    var help = box.querySelector(".read-aloud-help");
    var startLabel = button.textContent;
    var lang = (document.documentElement.lang || "vi").toLowerCase().slice(0, 2);
    var RATES = { normal: 0.9, slower: 0.7 };
    var SLOWER_KEY = "hocso-read-slower";
    var voice = null;
    var ready = false; // voices loaded, or waited long enough for them
    var pressed = false; // pressed before that: start once ready
    var sentences = null; // [{text, spans}], wrapped in the page on first reading
    var index = 0;
    var current = null; // the utterance being spoken; events of any other are stale

    function code(v) {
      return (v.lang || "").toLowerCase().replace("_", "-");
    }
    function findVoice() {
      var best = lang === "vi" ? "vi-vn" : lang + "-gb";
      var ours = synth.getVoices().filter(function (v) {
        return code(v) === lang || code(v).indexOf(lang + "-") === 0;
      });
      voice = ours.filter(function (v) { return code(v) === best; })[0] || ours[0] || null;
      if (voice) help.hidden = true;
    }
    function settle() {
      findVoice();
      ready = true;
      if (pressed) {
        pressed = false;
        read();
      }
    }
    function slow() {
      try {
        return localStorage.getItem(SLOWER_KEY) === "1";
      } catch (e) {
        return false;
      }
    }
    function mark(i) {
      sentences.forEach(function (sentence, n) {
        sentence.spans.forEach(function (span) { span.classList.toggle("reading", n === i); });
      });
    }
    function speak() {
      var utterance = new SpeechSynthesisUtterance(sentences[index].text);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      utterance.rate = slow() ? RATES.slower : RATES.normal;
      utterance.onend = function () {
        if (utterance !== current) return;
        index += 1;
        if (index < sentences.length) speak();
        else stop();
      };
      utterance.onerror = function () {
        if (utterance === current) stop();
      };
      current = utterance;
      mark(index);
      synth.speak(utterance);
    }
    function stop() {
      current = null;
      synth.cancel();
      if (sentences) mark(-1);
      button.textContent = startLabel;
    }
    function read() {
      findVoice();
      if (!voice) {
        help.hidden = false;
        return;
      }
      if (!sentences) sentences = wrapSentences(document.querySelector(button.dataset.read) || document.body);
      if (!sentences.length) return;
      index = 0;
      slower.hidden = false; // offered once reading has begun, then kept in view
      button.textContent = button.dataset.stopLabel;
      speak();
    }

    button.hidden = false;
    slower.setAttribute("aria-pressed", String(slow()));
    button.addEventListener("click", function () {
      if (current) stop();
      else if (ready) read();
      else pressed = true;
    });
    slower.addEventListener("click", function () {
      var on = !slow();
      try {
        localStorage.setItem(SLOWER_KEY, on ? "1" : "0");
      } catch (e) {
        /* kept for this page only */
      }
      slower.setAttribute("aria-pressed", String(on));
      if (current) {
        current = null; // say the sentence again at the new speed
        synth.cancel();
        speak();
      }
    });
    // Voices may load late (Chrome, Android): wait for them, but not for ever.
    synth.addEventListener("voiceschanged", settle);
    if (synth.getVoices().length) settle();
    else setTimeout(settle, 1500);
    window.addEventListener("pagehide", function () { if (current) stop(); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && current) stop();
    });
  }

  // The text to read, cut into sentences, each wrapped in <span class="sentence">s (one
  // per text node it covers) so the one being read can be highlighted.
  function wrapSentences(root) {
    var blocks = [];
    root.querySelectorAll("h1, h2, h3, p, li, legend, label, blockquote, figcaption, .admonition-title").forEach(function (el) {
      var last = blocks[blocks.length - 1];
      if (el.closest(".where, .read-aloud-box, .flash, nav, .sr-only") || el.offsetParent === null) return;
      if (!last || !last.contains(el)) blocks.push(el);
    });
    var sentences = [];
    blocks.forEach(function (block) {
      var nodes = [], starts = [], text = "";
      var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        var node = walker.currentNode;
        if (node.parentElement.closest(".sr-only, svg, script, style")) continue;
        nodes.push(node);
        starts.push(text.length);
        text += node.data;
      }
      var ranges = [], from = 0, end, m;
      var stops = /[.!?…]+["'”’»)\]]*\s+/g;
      while ((m = stops.exec(text))) {
        ranges.push([from, m.index + m[0].length]);
        from = stops.lastIndex;
      }
      ranges.push([from, text.length]);
      var found = [];
      ranges.forEach(function (range) {
        var words = text.slice(range[0], range[1]);
        if (!/[\p{L}\p{N}]/u.test(words)) return;
        from = range[0] + words.search(/\S/);
        end = range[0] + words.replace(/\s+$/, "").length;
        found.push({ text: text.slice(from, end).replace(/\s+/g, " "), from: from, end: end, spans: [] });
      });
      // Last sentence and text node first: a split keeps the start of a node in place.
      for (var s = found.length - 1; s >= 0; s--) {
        for (var n = nodes.length - 1; n >= 0; n--) {
          var a = Math.max(found[s].from, starts[n]) - starts[n];
          var b = Math.min(found[s].end, starts[n] + nodes[n].length) - starts[n];
          if (a >= b || !/\S/.test(nodes[n].data.slice(a, b))) continue;
          if (b < nodes[n].length) nodes[n].splitText(b);
          var part = a > 0 ? nodes[n].splitText(a) : nodes[n];
          var span = document.createElement("span");
          span.className = "sentence";
          part.parentNode.replaceChild(span, part);
          span.appendChild(part);
          found[s].spans.unshift(span);
        }
      }
      sentences = sentences.concat(found);
    });
    return sentences;
  }

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
