// Preselect (never redirect to) the visitor's preferred language on the root page:
// a shared phone's browser language is not always its reader's.
(function () {
  var links = document.querySelectorAll(".choose-language a[data-lang]");
  var wanted = (navigator.languages || [navigator.language || ""]).map(function (l) { return l.toLowerCase().split("-")[0]; });
  for (var i = 0; i < wanted.length; i++) {
    for (var j = 0; j < links.length; j++) {
      if (links[j].getAttribute("data-lang").toLowerCase().split("-")[0] === wanted[i]) {
        links[j].classList.add("preferred");
        links[j].focus();
        return;
      }
    }
  }
})();
