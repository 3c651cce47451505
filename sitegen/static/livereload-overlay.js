// Live reload and error overlay for `sitegen serve`. The dev server adds this script to the
// pages it serves (never to the files of the site) as an external file, so it runs under the
// site's Content-Security-Policy (script-src 'self'). It listens to the server's event
// stream: after a good build it updates the page if the page changed; while the site has
// errors it shows them (file:line: message) over the last good version of the page.
//
// Updating: when only this page's HTML changed, the new page is fetched and its <body> and
// title are put in place of the old ones. A full navigation (location.reload) costs about
// 100 ms more (issue 4: save -> change on screen under 100 ms) and loses the scroll position;
// it is still used whenever a swap could show something different from a fresh load.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.EventSource) return;
  var root = document.documentElement;
  var scriptUrl = new URL(script.src);
  var generation = scriptUrl.searchParams.get("g");
  var overlay = null;
  var leaving = false;
  var canSwap = !!(window.fetch && window.DOMParser && window.Promise);

  // Files a page loads (styles, scripts, images, fonts, media): the new build must be loaded
  // from scratch, since a browser keeps the old ones in memory for the life of the document.
  var LOADED = /\.(css|m?js|json|png|jpe?g|gif|svg|webp|avif|ico|woff2?|ttf|otf|mp3|m4a|ogg|oga|mp4|webm|vtt)$/i;
  // Files a page only links to (and the sitemap, robots.txt): their change alone does not show.
  var NOT_LOADED = /\.(html?|xml|txt|pdf|csv|ics|vcf|docx|xlsx|pptx|odt|ods|odp)$/i;
  // Script types that the browser runs; any other type is a data block.
  var JS_TYPES = /^(|text\/javascript|application\/javascript|text\/ecmascript|application\/ecmascript|module)$/i;

  var WORDS = {
    en: { title: "The site has errors. Your browser shows the last version that worked.",
          help: "Fix the file and save it: this message goes away by itself.", hide: "Hide" },
    fr: { title: "Le site contient des erreurs. Le navigateur montre la dernière version qui fonctionnait.",
          help: "Corrigez le fichier et enregistrez-le : ce message disparaîtra tout seul.", hide: "Masquer" },
    de: { title: "Die Website enthält Fehler. Der Browser zeigt die letzte Version, die funktioniert hat.",
          help: "Korrigieren Sie die Datei und speichern Sie sie: Diese Meldung verschwindet von selbst.", hide: "Ausblenden" }
  };

  // The output file of this page, as the server names changed files ("fr/cours/index.html").
  function pageFile() {
    var path = decodeURIComponent(location.pathname).replace(/^\/+/, "");
    return path === "" || path.slice(-1) === "/" ? path + "index.html" : path;
  }

  // "none": nothing on this page changed; "swap": only its HTML did; "reload" otherwise,
  // including when the build cannot say exactly what changed since this page was served.
  function plan(state) {
    if (state.previous !== generation || !state.changed) return "reload";
    var here = pageFile(), mine = false, unknown = false;
    for (var i = 0; i < state.changed.length; i++) {
      var file = state.changed[i];
      if (LOADED.test(file)) return "reload";
      if (file === here) mine = true;
      else if (!NOT_LOADED.test(file)) unknown = true;
    }
    if (!mine) return "none";
    return unknown || !canSwap ? "reload" : "swap";
  }

  function reload() {
    leaving = true;
    events.close();
    location.reload();
  }

  function isDevScript(el) {
    return el.tagName === "SCRIPT" && el.hasAttribute("src") &&
      new URL(el.getAttribute("src"), location.href).pathname === scriptUrl.pathname;
  }

  // What a fresh load of the new page would have that a swap would not: the head is kept as
  // it is (styles and scripts already loaded), so it must be the same apart from the title
  // and this script's generation. A head that gained elements since the load (a script that
  // loaded another one, as search-loader.js does) cannot be compared: reload. Nor can a head
  // with scripts: they may have wired the old body, and running them again would repeat
  // whatever they did to the head and the window.
  // Link previews (Open Graph, Twitter card: issue 11) repeat the title and summary for
  // other programs; nothing on screen shows them, so a new title does not need a reload.
  function describesOnly(el) {
    var name = el.tagName === "META" ? el.getAttribute("property") || el.getAttribute("name") || "" : "";
    return /^(og|twitter):/.test(name);
  }

  function sameHead(oldHead, newHead) {
    function kept(head) {
      var out = [];
      for (var el = head.firstElementChild; el; el = el.nextElementSibling) {
        if (el.tagName !== "TITLE" && !isDevScript(el) && !describesOnly(el)) out.push(el);
      }
      return out;
    }
    var a = kept(oldHead), b = kept(newHead);
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) {
      if (!a[i].isEqualNode(b[i]) || (b[i].tagName === "SCRIPT" && runs(b[i]))) return false;
    }
    return true;
  }

  function scriptKey(el) {
    return [el.getAttribute("src"), el.getAttribute("type"), el.hasAttribute("async"), el.hasAttribute("defer"),
            el.hasAttribute("nomodule")].join("|");
  }

  function runs(el) {
    return JS_TYPES.test((el.getAttribute("type") || "").trim());
  }

  // The body's scripts wired the old body's elements; after a swap they must run again on the
  // new ones, as on a load. That is only the same as a load when the new body has the same
  // external classic scripts as the old one: an inline script is refused by the CSP when
  // re-created, and a module runs once per document whatever is inserted.
  function bodyScriptsRerunnable(oldBody, newBody) {
    var before = [], after = [];
    Array.prototype.forEach.call(oldBody.getElementsByTagName("script"), function (el) {
      if (runs(el)) before.push(scriptKey(el));
    });
    var ok = true;
    Array.prototype.forEach.call(newBody.getElementsByTagName("script"), function (el) {
      if (!runs(el)) return;
      if (!el.hasAttribute("src") || /^module$/i.test((el.getAttribute("type") || "").trim()) || isDevScript(el)) ok = false;
      after.push(scriptKey(el));
    });
    return ok && before.join("\n") === after.join("\n");
  }

  // Where the focused element sits, so that its counterpart in the new body gets the focus:
  // a keyboard or screen reader user keeps their place instead of starting again at the top.
  function focusPath() {
    var el = document.activeElement;
    if (!el || el === document.body || !document.body.contains(el)) return null;
    if (el.id) return { id: el.id, tag: el.tagName };
    var path = [];
    for (var node = el; node !== document.body; node = node.parentElement) {
      path.unshift(Array.prototype.indexOf.call(node.parentElement.children, node));
    }
    return { path: path, tag: el.tagName };
  }

  function refocus(where) {
    if (!where) return;
    var el = null;
    if (where.id) {
      el = document.getElementById(where.id);
    } else {
      el = document.body;
      for (var i = 0; el && i < where.path.length; i++) el = el.children[where.path[i]];
    }
    // Not found: the focus stays on the body, as after a reload.
    if (el && el.tagName === where.tag) el.focus({ preventScroll: true });
  }

  function syncAttributes(target, source, keep) {
    var i, name;
    for (i = target.attributes.length - 1; i >= 0; i--) {
      name = target.attributes[i].name;
      if (!keep.test(name) && !source.hasAttribute(name)) target.removeAttribute(name);
    }
    for (i = 0; i < source.attributes.length; i++) {
      name = source.attributes[i].name;
      if (target.getAttribute(name) !== source.attributes[i].value) target.setAttribute(name, source.attributes[i].value);
    }
  }

  // Resolves to false (and changes nothing) when only a full load can show the new page right.
  function swap() {
    return fetch(location.href, { cache: "no-store", credentials: "same-origin" }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || response.redirected || !/^text\/html\b/i.test(type)) return false;
      return response.text().then(function (text) {
        var doc = new DOMParser().parseFromString(text, "text/html");
        var dev = null;
        for (var el = doc.head.firstElementChild; el; el = el.nextElementSibling) {
          if (isDevScript(el)) dev = el;
        }
        if (!dev || !doc.body || !sameHead(document.head, doc.head) || !bodyScriptsRerunnable(document.body, doc.body)) return false;
        var next = new URL(dev.getAttribute("src"), location.href).searchParams.get("g");
        if (!next) return false;

        var x = window.scrollX, y = window.scrollY, focus = focusPath();
        var fresh = document.createDocumentFragment();
        while (doc.body.firstChild) fresh.appendChild(document.adoptNode(doc.body.firstChild));
        document.title = doc.title;
        syncAttributes(root, doc.documentElement, /^data-sitegen-/);
        syncAttributes(document.body, doc.body, /^$/);
        document.body.textContent = "";
        document.body.appendChild(fresh);
        // Layout is done with the new content before scrolling, so a page that got shorter
        // ends at its bottom, as after a reload; a smooth scroll-behavior would animate it.
        var behavior = root.style.scrollBehavior;
        root.style.scrollBehavior = "auto";
        window.scrollTo(x, y);
        root.style.scrollBehavior = behavior;
        refocus(focus);
        generation = next; // the next event's `previous` names the build this page now shows
        // Parsed scripts never run; copies made here do, in document order (async = false).
        Array.prototype.slice.call(document.body.getElementsByTagName("script")).forEach(function (old) {
          if (!runs(old)) return;
          var copy = document.createElement("script");
          for (var i = 0; i < old.attributes.length; i++) copy.setAttribute(old.attributes[i].name, old.attributes[i].value);
          copy.async = old.hasAttribute("async");
          old.parentNode.replaceChild(copy, old);
        });
        return true;
      });
    });
  }

  // For the benchmark (bench/serve_bench.py): when the new content has been rendered. A
  // requestAnimationFrame callback runs just before the browser renders a frame; the task
  // queued from it runs once that frame is produced.
  function markShown() {
    if (!window.requestAnimationFrame || !window.performance || !performance.timeOrigin) return;
    requestAnimationFrame(function () {
      setTimeout(function () {
        root.setAttribute("data-sitegen-shown", String(performance.timeOrigin + performance.now()));
      }, 0);
    });
  }

  function style(el, rules) {
    // Property by property (CSSOM): allowed by style-src 'self', unlike a style attribute.
    for (var name in rules) el.style[name] = rules[name];
    return el;
  }

  function showErrors(errors) {
    hideErrors();
    // Read now: a swap may have changed the page's language.
    var lang = (root.lang || "en").split("-")[0];
    var words = WORDS[lang] || WORDS.en;
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

  // Tells tests and the benchmark that this page listens, and to which build; absent while a
  // swap is under way, as it is while a reloaded page loads.
  function markLive(value) {
    if (value === null) root.removeAttribute("data-sitegen-live");
    else root.setAttribute("data-sitegen-live", value);
  }

  function handle(state) {
    if (leaving) return;
    if (state.errors.length) {
      markLive(state.generation);
      showErrors(state.errors);
      return;
    }
    hideErrors();
    if (state.generation === generation) {
      markLive(state.generation);
      return;
    }
    var next = plan(state);
    if (next === "none") {
      generation = state.generation; // this page is the same in the new build
      markLive(generation);
    } else if (next === "reload") {
      reload();
    } else {
      markLive(null);
      return swap().then(function (done) {
        if (!done) {
          reload();
          return;
        }
        markLive(generation);
        markShown();
      });
    }
  }

  var events = new EventSource("/_sitegen/events");
  // One state at a time: a swap is asynchronous, and the generation it leaves decides how the
  // next state is read.
  var queue = canSwap ? Promise.resolve() : null;
  events.addEventListener("state", function (message) {
    var state = JSON.parse(message.data);
    if (!queue) {
      handle(state);
      return;
    }
    queue = queue.then(function () {
      return handle(state);
    }).catch(function (error) {
      // The fetch failed (the server stopped or restarts) or the swap hit something this
      // script does not expect: a reload shows whatever the server has.
      if (window.console) console.warn("sitegen: reloading, the page could not be updated in place:", error);
      reload();
    });
  });
  markShown();
})();
