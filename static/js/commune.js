// The commune picker (templates/_commune.html): the list follows the province and the
// letters as they are typed, without a page load. Without this script the Find button
// does the same by a GET search.
(function () {
  "use strict";
  function picker(box) {
    var form = box.querySelector(".commune-find");
    var list = box.querySelector(".commune-options");
    var status = box.querySelector(".commune-status");
    var template = box.querySelector("template.commune-option");
    var button = box.querySelector(".commune-find-button");
    if (!form || !list || !template || !window.fetch) return;
    var timer = null;
    var asked = 0;
    button.hidden = true;
    function show(data, checked) {
      var items = data.communes.map(function (commune) {
        var item = template.content.firstElementChild.cloneNode(true);
        var input = item.querySelector("input");
        input.value = commune.id;
        input.checked = String(commune.id) === checked || (!checked && data.communes.length === 1);
        item.querySelector(".name").textContent = commune.name;
        item.querySelector(".meta").textContent = commune.province;
        return item;
      });
      list.replaceChildren.apply(list, items);
      status.textContent = data.status;
    }
    function search() {
      var chosen = list.querySelector("input:checked");
      var checked = chosen ? chosen.value : "";
      var query = new URLSearchParams(new FormData(form));
      if (checked) query.set("chosen", checked);
      var url = box.dataset.search + "&" + query.toString();
      var mine = ++asked;
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && mine === asked) show(data, checked); })
        .catch(function () { button.hidden = false; });  // offline: the Find button still works
    }
    function soon() {
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    }
    form.addEventListener("input", soon);
    form.addEventListener("change", soon);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      search();
    });
  }
  document.querySelectorAll(".commune-picker[data-search]").forEach(picker);
})();
