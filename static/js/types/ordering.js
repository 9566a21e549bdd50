// Put the steps in order: Up/Down buttons and dragging move a step; the "Position"
// lists follow, so the same form is sent. Without this file the lists alone work.
(function () {
  "use strict";
  document.querySelectorAll(".ordering").forEach(function (list) {
    var field = list.closest("fieldset");
    var status = field.querySelector(".ordering-status");
    field.querySelectorAll("[hidden]").forEach(function (el) { el.hidden = false; });
    list.classList.add("enhanced");

    function items() { return Array.prototype.slice.call(list.children); }

    // The order on screen is the answer: number every list after it.
    function sync() {
      var all = items();
      all.forEach(function (item, index) {
        item.querySelector("select").value = String(index + 1);
        item.querySelectorAll(".move").forEach(function (button) {
          var edge = button.dataset.move === "-1" ? index === 0 : index === all.length - 1;
          button.setAttribute("aria-disabled", edge ? "true" : "false");
        });
      });
    }

    function announce(item) {
      var label = item.querySelector(".order-position").firstChild.textContent.trim();
      var text = item.querySelector(".order-text").textContent.trim();
      status.textContent = text + " — " + label + " " + (items().indexOf(item) + 1);
    }

    // Put ``item`` at ``index`` (0-based) among the others.
    function place(item, index) {
      var others = items().filter(function (other) { return other !== item; });
      list.insertBefore(item, others[Math.max(0, Math.min(index, others.length))] || null);
    }

    // Move ``item`` to ``index``, then keep the keyboard where it was.
    function moveTo(item, index, focus) {
      place(item, index);
      sync();
      announce(item);
      if (focus) focus.focus();
    }

    list.addEventListener("click", function (event) {
      var button = event.target.closest(".move");
      if (!button || button.getAttribute("aria-disabled") === "true") return;
      var item = button.closest(".order-step");
      moveTo(item, items().indexOf(item) + Number(button.dataset.move), button);
    });

    list.addEventListener("change", function (event) {
      var select = event.target.closest("select");
      if (!select) return;
      moveTo(select.closest(".order-step"), Number(select.value) - 1, select);
    });

    // Dragging by the handle, with a finger or a mouse (pointer events cover both).
    // The dragged step stays in the page; its neighbours hop over it.
    list.addEventListener("pointerdown", function (event) {
      var handle = event.target.closest(".drag-handle");
      if (!handle || event.button > 0) return;
      var item = handle.closest(".order-step");
      event.preventDefault();
      handle.setPointerCapture(event.pointerId);
      item.classList.add("dragging");

      function middle(el) {
        var box = el.getBoundingClientRect();
        return box.top + box.height / 2;
      }
      function move(e) {
        var before = item.previousElementSibling;
        var after = item.nextElementSibling;
        if (before && e.clientY < middle(before)) {
          list.insertBefore(before, item.nextElementSibling);
        } else if (after && e.clientY > middle(after)) {
          list.insertBefore(after, item);
        }
        if (e.clientY < 48) window.scrollBy(0, -16);
        else if (e.clientY > window.innerHeight - 48) window.scrollBy(0, 16);
      }
      function end() {
        handle.removeEventListener("pointermove", move);
        handle.removeEventListener("pointerup", end);
        handle.removeEventListener("pointercancel", end);
        item.classList.remove("dragging");
        sync();
        announce(item);
      }
      handle.addEventListener("pointermove", move);
      handle.addEventListener("pointerup", end);
      handle.addEventListener("pointercancel", end);
    });

    // Positions chosen before this file ran (on a slow phone) are kept: each chosen step
    // goes to its position, lowest first, as if it had been chosen with this file.
    items().filter(function (item) {
      var select = item.querySelector("select");
      return !select.options[select.selectedIndex].defaultSelected;
    }).sort(function (a, b) {
      return a.querySelector("select").value - b.querySelector("select").value;
    }).forEach(function (item) {
      place(item, Number(item.querySelector("select").value) - 1);
    });
    sync();
  });
})();
