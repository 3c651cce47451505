  // ------------------------------------------------------------------ UI
  /* ui.js: the search page and the header's search panel: results, facets, languages. */
  var PAGE = 10, PANEL = 5;

  function messages(el) {
    var get = function (key, fallback) { return (el && el.getAttribute("data-msg-" + key)) || fallback; };
    return {
      one: get("one", "1 result"), many: get("many", "{n} results"), none: get("none", "No results"),
      other: get("other", "Results in other languages"), all: get("all", "All results and filters"),
      more: get("more", "More results"), error: get("error", "Search is not available right now.")
    };
  }

  function countText(msg, n) { return n === 0 ? msg.none : n === 1 ? msg.one : msg.many.replace("{n}", String(n)); }

  function highlight(el, text, isMatch) {
    var parts = text.split(SPLIT_RE);
    parts.forEach(function (part) {
      if (!part) return;
      var hit = isMatch && !SEP_RE.test(part.charAt(0)) && tokenize(normalize(part)).some(isMatch);
      if (hit) { var mark = global.document.createElement("mark"); mark.textContent = part; el.appendChild(mark); }
      else el.appendChild(global.document.createTextNode(part));
    });
  }

  function href(url) { return rootUrl() + (url === "" || url.slice(-1) === "/" ? url + "index.html" : url); }

  function renderResult(list, doc, index, isMatch, langNames) {
    var d = global.document, li = d.createElement("li"), a = d.createElement("a");
    li.className = "search-result";
    a.href = href(doc.url);
    highlight(a, doc.title, isMatch);
    if (doc.lang !== (d.documentElement.getAttribute("data-lang") || index.lang)) {
      li.lang = doc.lang;
      a.hreflang = doc.lang;
    }
    li.appendChild(a);
    var meta = [];
    if (doc.lang !== (d.documentElement.getAttribute("data-lang") || "")) meta.push(langNames[doc.lang] || doc.lang.toUpperCase());
    index.facets.forEach(function (f) {
      if (f.id !== "kind" && f.id !== "commune" && f.id !== "level") return;
      f.values.forEach(function (v) { if (hasDoc(v.docs, doc.id)) meta.push(v.label); });
    });
    if (meta.length) {
      var m = d.createElement("span");
      m.className = "search-meta";
      m.textContent = meta.join(" · ");
      li.appendChild(m);
    }
    if (doc.excerpt) {
      var p = d.createElement("p");
      highlight(p, doc.excerpt, isMatch);
      li.appendChild(p);
    }
    list.appendChild(li);
  }

  function hasDoc(ids, id) {
    var lo = 0, hi = ids.length - 1;
    while (lo <= hi) { var mid = (lo + hi) >> 1; if (ids[mid] === id) return true; if (ids[mid] < id) lo = mid + 1; else hi = mid - 1; }
    return false;
  }

  function languageNames(index) {
    var names = {};
    index.facets.forEach(function (f) { if (f.id === "language") f.values.forEach(function (v) { names[v.id] = v.label; }); });
    var app = global.document.getElementById("search-app");
    if (app && app.getAttribute("data-lang-names")) {
      var given = JSON.parse(app.getAttribute("data-lang-names"));
      Object.keys(given).forEach(function (k) { names[k] = given[k]; });
    }
    return names;
  }

  /* The site's other languages, from the language switcher and alternate links, when the
   * index was built without the list. */
  function pageLanguages(current) {
    var out = [];
    Array.prototype.forEach.call(global.document.querySelectorAll("[hreflang]"), function (el) {
      var code = el.getAttribute("hreflang");
      if (code !== current && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(code) && out.indexOf(code) < 0) out.push(code);
    });
    return out;
  }

  /* Results in the other languages when the page's language finds fewer than 3, or
   * leaves a word of the query unmatched (a German word on the French site). */
  async function otherLanguages(index, text, filters, found) {
    var p = found.prepared, langs = index.other.length ? index.other : pageLanguages(index.lang);
    if (!text.trim() || !langs.length || (found.total >= 3 && p && !p.missing && !p.partial)) return [];
    var out = [];
    for (var i = 0; i < langs.length; i++) {
      try {
        var other = await openIndex(langs[i]);
        var r = await query(other, text, filters);
        if (r.total) out.push(r);
      } catch (e) { /* a missing language index is no reason to fail the search */ }
    }
    // The language that understood every word first ("Deutschkurs" on the English site).
    var rank = function (r) { return r.prepared.missing || r.prepared.partial ? 1 : 0; };
    return out.sort(function (a, b) { return rank(a) - rank(b) || b.total - a.total; });
  }

  /* A page or offer already found in the page's language is no new result in another one
   * (issue 17 item 13). Every language tree holds every page (a missing translation is a
   * fallback page) and every offer, in the same order (search/index.py's _doc_order sorts by
   * language-independent keys): where two indexes hold as many of each, document d of one
   * is document d of the other, counted from the first page or from the first offer. */
  function repeatsLeftOut(index, found, others) {
    var seen = {};
    var slot = function (ix, d) {
      if (d < ix.firstOffer) return ix.firstOffer === index.firstOffer ? "p" + d : null;
      return ix.n - ix.firstOffer === index.n - index.firstOffer ? "o" + (d - ix.firstOffer) : null;
    };
    found.hits.forEach(function (d) { seen[slot(index, d)] = true; });
    return others.map(function (o) {
      var hits = o.hits.filter(function (d) { var k = slot(o.index, d); return k === null || !seen[k]; });
      hits.forEach(function (d) { seen[slot(o.index, d)] = true; });
      return Object.assign({}, o, { hits: hits, total: hits.length });
    }).filter(function (o) { return o.total > 0; });
  }

  /* The language switcher leads to the same search in the other language (issue 17 item
   * 13): facet values are ids, the same in every language. */
  function carryQuery(search) {
    Array.prototype.forEach.call(global.document.querySelectorAll("nav.languages a[hreflang]"), function (a) {
      var plain = a.getAttribute("data-href") || a.getAttribute("href");
      a.setAttribute("data-href", plain);
      a.setAttribute("href", plain + (search ? "?" + search : ""));
    });
  }

  function Controller(input, box, status, opts) {
    this.input = input;
    this.box = box;
    this.status = status;
    this.opts = opts;
    this.seq = 0;
    this.timer = null;
    this.msg = messages(opts.msgEl);
    this.lang = global.document.documentElement.getAttribute("data-lang") || "en";
  }

  Controller.prototype.schedule = function () {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.run(); }, 60);
  };

  Controller.prototype.run = async function () {
    var seq = ++this.seq, text = this.input.value, filters = this.opts.filters ? this.opts.filters() : {};
    var d = global.document;
    try {
      var index = await openIndex(this.lang);
      if (seq !== this.seq) return;
      var r = await query(index, text, filters);
      var limit = this.opts.limit, shown = r.hits.slice(0, limit);
      var docs = await documents(index, shown);
      var others = repeatsLeftOut(index, r, await otherLanguages(index, text, filters, r));
      var otherDocs = await Promise.all(others.map(function (o) { return documents(o.index, o.hits.slice(0, PANEL)); }));
      if (seq !== this.seq) return;
      var names = languageNames(index), box = this.box;
      box.textContent = "";
      this.status.textContent = "";
      if (text.trim() || r.total) {
        var list = d.createElement("ol");
        list.className = "search-list";
        var isMatch = r.prepared ? index.marker(r.prepared) : null;
        docs.forEach(function (doc) { renderResult(list, doc, index, isMatch, names); });
        if (docs.length) box.appendChild(list);
        // After "More results", keyboard focus goes to the first new result, not to the top.
        if (this.focusFrom && list.children[this.focusFrom]) list.children[this.focusFrom].querySelector("a").focus();
        this.focusFrom = 0;
        if (r.total > shown.length) this.opts.more(box, r, text);
        var extra = 0;
        others.forEach(function (o, i) {
          var h = d.createElement("h2");
          h.className = "search-other";
          h.textContent = this.msg.other + " (" + (names[o.index.lang] || o.index.lang.toUpperCase()) + ")";
          box.appendChild(h);
          var ol = d.createElement("ol");
          ol.className = "search-list";
          ol.lang = o.index.lang;
          var mark = o.prepared ? o.index.marker(o.prepared) : null;
          otherDocs[i].forEach(function (doc) { renderResult(ol, doc, o.index, mark, names); });
          box.appendChild(ol);
          extra += o.total;
        }, this);
        this.status.textContent = countText(this.msg, r.total) + (extra ? " · " + this.msg.other + ": " + extra : "");
      }
      box.setAttribute("data-query", text);  // which query the list answers (tests wait on it)
      if (this.opts.onResult) this.opts.onResult(r, text, filters);
    } catch (e) {
      if (seq === this.seq) this.status.textContent = this.msg.error;
    }
  };

  function filtersOf(form) {
    var out = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox]:checked"), function (el) {
      (out[el.name] = out[el.name] || []).push(el.value);
    });
    return out;
  }

  function setupPage(app) {
    var d = global.document, form = d.getElementById("search-form"), input = d.getElementById("search-q");
    var box = d.getElementById("search-results"), status = d.getElementById("search-status");
    var params = new URLSearchParams(global.location.search), limit = PAGE;
    form.hidden = false;  // hidden without JavaScript, where it could not search (search.html says so)
    input.value = params.get("q") || "";
    Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox]"), function (el) {
      el.checked = params.getAll(el.name).indexOf(el.value) >= 0;
      if (el.checked) { var det = form.querySelector("details"); if (det) det.open = true; }
    });
    var ctl = new Controller(input, box, status, {
      msgEl: app, limit: PAGE,
      filters: function () { return filtersOf(form); },
      more: function (container, r) {
        var b = d.createElement("button");
        b.type = "button";
        b.className = "search-more";
        b.textContent = ctl.msg.more;
        b.addEventListener("click", function () { ctl.focusFrom = limit; limit += PAGE; ctl.opts.limit = limit; ctl.run(); });
        container.appendChild(b);
      },
      onResult: function (r, text, filters) {
        Array.prototype.forEach.call(form.querySelectorAll(".facet-count"), function (el) {
          // The label's checkbox names the facet and the value (no copies in the page: issue 17's 14 KB).
          var box = el.parentNode.querySelector("input"), c = r.counts[box.name];
          var n = c ? c[box.value] || 0 : 0;
          el.textContent = "(" + n + ")";
          el.parentNode.classList.toggle("facet-empty", n === 0);
        });
        var q = new URLSearchParams();
        if (text.trim()) q.set("q", text);
        Object.keys(filters).forEach(function (k) { filters[k].forEach(function (v) { q.append(k, v); }); });
        var s = q.toString(), url = global.location.pathname + (s ? "?" + s : "");
        try { global.history.replaceState(null, "", url); } catch (e) { /* some file:// setups refuse */ }
        carryQuery(s);
      }
    });
    var again = function () { limit = PAGE; ctl.opts.limit = PAGE; ctl.schedule(); };
    form.addEventListener("input", again);
    form.addEventListener("change", again);
    form.addEventListener("submit", function (e) { e.preventDefault(); again(); });
    var header = d.getElementById("site-search-q");
    if (header) {
      header.addEventListener("input", function () { input.value = header.value; again(); });
      var hf = header.form;
      if (hf) hf.addEventListener("submit", function (e) { e.preventDefault(); input.value = header.value; input.focus(); again(); });
    }
    ctl.run();
  }

  function setupPanel(form) {
    var d = global.document, input = form.querySelector("input[name=q]");
    if (!input || form.getAttribute("data-search-ready")) return;
    form.setAttribute("data-search-ready", "1");
    var panel = d.createElement("div");
    panel.className = "search-panel";
    panel.id = "site-search-panel";
    panel.hidden = true;
    var status = d.createElement("p");
    status.className = "search-status";
    status.setAttribute("role", "status");
    var box = d.createElement("div");
    box.className = "search-panel-results";
    panel.appendChild(status);
    panel.appendChild(box);
    form.parentNode.insertBefore(panel, form.nextSibling);
    input.setAttribute("aria-controls", panel.id);
    var ctl = new Controller(input, box, status, {
      msgEl: form, limit: PANEL,
      more: function () {},
      onResult: function (r, text) { panel.hidden = !text.trim(); link(text); }
    });
    var link = function (text) {
      var a = d.createElement("a");
      a.className = "search-all";
      a.href = form.getAttribute("action") + "?q=" + encodeURIComponent(text);
      a.textContent = ctl.msg.all;
      box.appendChild(a);
    };
    input.addEventListener("input", function () { ctl.schedule(); });
    input.addEventListener("keydown", function (e) { if (e.key === "Escape") { panel.hidden = true; } });
    if (input.value) ctl.run();
  }

  function boot() {
    var d = global.document;
    global.sgSearch = register;
    openIndex(d.documentElement.getAttribute("data-lang") || "en").catch(function () {});
    var app = d.getElementById("search-app");
    if (app) setupPage(app);
    else Array.prototype.forEach.call(d.querySelectorAll("form.site-search"), setupPanel);
  }

