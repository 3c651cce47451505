// Live reload and error overlay for `sitegen serve`. The dev server adds this script to the
// pages it serves (never to the files of the site) as an external file, so it runs under the
// site's Content-Security-Policy (script-src 'self'). It listens to the server's event
// stream: after a good build it reloads the page if the page changed; while the site has
// errors it shows them (file:line: message) over the last good version of the page.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.EventSource) return;
  var generation = new URL(script.src).searchParams.get("g");
  var overlay = null;

  var WORDS = {
    en: { title: "The site has errors. Your browser shows the last version that worked.",
          help: "Fix the file and save it: this message goes away by itself.", hide: "Hide" },
    fr: { title: "Le site contient des erreurs. Le navigateur montre la dernière version qui fonctionnait.",
          help: "Corrigez le fichier et enregistrez-le : ce message disparaîtra tout seul.", hide: "Masquer" },
    de: { title: "Die Website enthält Fehler. Der Browser zeigt die letzte Version, die funktioniert hat.",
          help: "Korrigieren Sie die Datei und speichern Sie sie: Diese Meldung verschwindet von selbst.", hide: "Ausblenden" }
  };
  var lang = (document.documentElement.lang || "en").split("-")[0];
  var words = WORDS[lang] || WORDS.en;

  // The output file of this page, as the server names changed files ("fr/cours/index.html").
  function pageFile() {
    var path = decodeURIComponent(location.pathname).replace(/^\/+/, "");
    return path === "" || path.slice(-1) === "/" ? path + "index.html" : path;
  }

  // Reload unless the build says exactly what changed and none of it shows on this page.
  function affected(state) {
    if (state.previous !== generation || !state.changed) return true;
    var here = pageFile();
    return state.changed.some(function (file) {
      return file === here || /\.(css|js|png|jpe?g|gif|svg|webp|avif|woff2?)$/i.test(file);
    });
  }

  function style(el, rules) {
    // Property by property (CSSOM): allowed by style-src 'self', unlike a style attribute.
    for (var name in rules) el.style[name] = rules[name];
    return el;
  }

  function showErrors(errors) {
    hideErrors();
    overlay = style(document.createElement("section"), {
      position: "fixed", insetInline: "0", insetBlockStart: "0", maxBlockSize: "80vh", overflow: "auto", zIndex: "2147483647",
      background: "#fff8f6", color: "#1b1b1b", borderBlockEnd: "4px solid #b00020", padding: "1rem 1.25rem",
      font: "1rem/1.5 system-ui, sans-serif", boxShadow: "0 4px 16px rgba(0,0,0,.3)"
    });
    overlay.id = "sitegen-overlay";
    overlay.setAttribute("role", "alert");
    overlay.setAttribute("lang", WORDS[lang] ? lang : "en");
    var title = style(document.createElement("h2"), { margin: "0 0 .5rem", fontSize: "1.2rem", color: "#b00020" });
    title.textContent = words.title;
    overlay.appendChild(title);
    var list = style(document.createElement("ul"), { margin: "0", paddingInlineStart: "1.25rem" });
    errors.forEach(function (problem) {
      var item = style(document.createElement("li"), { marginBlock: ".4rem" });
      var where = document.createElement("code");
      where.textContent = problem.path + (problem.line ? ":" + problem.line : "");
      style(where, { fontWeight: "700" });
      item.appendChild(where);
      item.appendChild(document.createTextNode(" " + problem.message));
      if (problem.hint) {
        var hint = style(document.createElement("div"), { color: "#4a4a4a" });
        hint.textContent = "→ " + problem.hint;
        item.appendChild(hint);
      }
      list.appendChild(item);
    });
    overlay.appendChild(list);
    var help = style(document.createElement("p"), { margin: ".5rem 0 0" });
    help.textContent = words.help + " ";
    var hide = document.createElement("button");
    hide.type = "button";
    hide.textContent = words.hide;
    hide.addEventListener("click", hideErrors);
    help.appendChild(hide);
    overlay.appendChild(help);
    document.body.appendChild(overlay);
  }

  function hideErrors() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  var events = new EventSource("/_sitegen/events");
  events.addEventListener("state", function (message) {
    var state = JSON.parse(message.data);
    // Tells tests and the benchmark that this page listens (and to which build).
    document.documentElement.setAttribute("data-sitegen-live", state.generation);
    if (state.errors.length) {
      showErrors(state.errors);
      return;
    }
    hideErrors();
    if (state.generation === generation) return;
    if (affected(state)) {
      events.close();
      location.reload();
    } else {
      generation = state.generation; // this page is the same in the new build
    }
  });
})();
