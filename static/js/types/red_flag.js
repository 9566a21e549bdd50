// Tap the red flag: mark the tap and send it measured precisely. Works without this file.
(function () {
  "use strict";
  document.querySelectorAll(".red-flag").forEach(function (root) {
    var image = root.querySelector(".red-flag-image");
    var marker = root.querySelector(".red-flag-marker .marker");
    var list = root.querySelector(".red-flag-list");
    var form = image.form;
    var sent = false;

    function hidden(name) {
      var input = form.querySelector('input[type="hidden"][name="' + name + '"]');
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        form.appendChild(input);
      }
      return input;
    }

    image.addEventListener("click", function (event) {
      event.preventDefault();
      if (event.detail === 0) {
        // Enter or Space cannot point at a place: offer the list instead.
        list.open = true;
        list.querySelector("button").focus();
        return;
      }
      if (sent) return;
      // The same CSS pixels the browser would send, as if shown at its own size.
      var width = Number(image.getAttribute("width"));
      var height = Number(image.getAttribute("height"));
      var box = image.getBoundingClientRect();
      var x = Math.min(Math.max((event.clientX - box.left) * width / box.width, 0), width);
      var y = Math.min(Math.max((event.clientY - box.top) * height / box.height, 0), height);
      var view = image.dataset.viewBox.split(" ").map(Number);
      var svgX = view[0] + x * view[2] / width;
      var svgY = view[1] + y * view[3] / height;
      marker.setAttribute("transform", "translate(" + svgX + " " + svgY + ")");
      marker.removeAttribute("hidden");
      hidden("tap.x").value = x.toFixed(2);
      hidden("tap.y").value = y.toFixed(2);
      sent = true;
      // Let the marker be drawn before the page starts to change.
      requestAnimationFrame(function () {
        requestAnimationFrame(function () { form.submit(); });
      });
    });

    window.addEventListener("pageshow", function () { sent = false; });
  });
})();
