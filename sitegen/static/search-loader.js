/* Loads the search engine (assets/search.js) only when a visitor focuses or types in a
 * search box, or opens the search page; the rest of the time search costs these bytes. */
(function () {
  "use strict";
  var d = document, started = false;
  function start() {
    if (started) return;
    started = true;
    var s = d.createElement("script");
    s.src = (d.documentElement.getAttribute("data-root") || "") + "assets/search.js";
    d.head.appendChild(s);
  }
  if (d.getElementById("search-app")) { start(); return; }
  var boxes = d.querySelectorAll("form.site-search input[name=q]");
  for (var i = 0; i < boxes.length; i++) {
    boxes[i].addEventListener("focus", start);
    boxes[i].addEventListener("input", start);
    if (boxes[i].value || d.activeElement === boxes[i]) start();
  }
})();
