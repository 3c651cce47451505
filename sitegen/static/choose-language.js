// Preselect (never redirect to) the visitor's preferred language on the root page and on
// the 404 page: a shared phone's browser language is not always its reader's. A list
// marked data-preferred-first also moves that language to the top (the 404 page).
(function () {
  var links = document.querySelectorAll(".choose-language a[data-lang]");
  var wanted = (navigator.languages || [navigator.language || ""]).map(function (l) { return l.toLowerCase().split("-")[0]; });
  for (var i = 0; i < wanted.length; i++) {
    for (var j = 0; j < links.length; j++) {
      if (links[j].getAttribute("data-lang").toLowerCase().split("-")[0] === wanted[i]) {
        var item = links[j].parentNode, list = item.parentNode;
        if (list.hasAttribute("data-preferred-first")) list.insertBefore(item, list.firstChild);
        links[j].classList.add("preferred");
        links[j].focus();
        return;
      }
    }
  }
})();
