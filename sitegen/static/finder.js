// Course finder (issue 11): with JavaScript, the filter links become checkboxes that narrow
// the list on this page by several facets at once (any value within a facet, every facet
// checked). Cards carry their values in data-level, data-time, data-free, data-childcare.
// Without JavaScript each link leads to a pre-built page with one filter.
(function () {
  "use strict";
  var box = document.querySelector(".finder-filters");
  var cards = Array.prototype.slice.call(document.querySelectorAll(".finder-results > li"));
  var status = document.querySelector(".finder-count");
  if (!box || !status) return;
  var form = document.createElement("form");
  form.className = "finder-form";
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  Array.prototype.forEach.call(box.querySelectorAll("nav[data-facet]"), function (nav) {
    var fieldset = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.textContent = nav.querySelector("h2").textContent;
    fieldset.appendChild(legend);
    Array.prototype.forEach.call(nav.querySelectorAll("a[data-value]"), function (link) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "checkbox";
      input.name = nav.getAttribute("data-facet");
      input.value = link.getAttribute("data-value");
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + link.textContent));
      fieldset.appendChild(label);
    });
    form.appendChild(fieldset);
    nav.hidden = true;
  });
  box.insertBefore(form, box.firstChild);
  function update() {
    var chosen = {};
    Array.prototype.forEach.call(form.querySelectorAll("input:checked"), function (input) {
      (chosen[input.name] = chosen[input.name] || []).push(input.value);
    });
    var shown = 0;
    cards.forEach(function (card) {
      var ok = Object.keys(chosen).every(function (facet) {
        var values = (card.getAttribute("data-" + facet) || "").split(" ");
        return chosen[facet].some(function (v) { return values.indexOf(v) >= 0; });
      });
      card.hidden = !ok;
      if (ok) shown++;
    });
    status.textContent = shown === 1 ? box.getAttribute("data-msg-one") : box.getAttribute("data-msg-many").replace("{n}", shown);
  }
  form.addEventListener("change", update);
})();
