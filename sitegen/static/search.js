/* sitegen search engine and UI (issue 3). Loaded by search-loader.js when a visitor
 * focuses a search box. Dependency-free ES2017. The index files are scripts calling
 * sgSearch(name, data), so everything works from file:// where fetch() fails.
 * The text functions mirror sitegen/search/text.py: tests/test_search_parity.py checks
 * them on one table of cases in both languages. docs/search.md explains the design. */
(function (root, factory) {
  "use strict";
  var api = factory(root);
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else if (root.document) { root.sitegenSearch = api; api.boot(); }
})(typeof self !== "undefined" ? self : this, function (global) {
  "use strict";

  // ------------------------------------------------------------------ text (parity)
  var STRIP_RE = /[\u00ad\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\ufeff]/g;
  var FOLD = {
    "\u00df": "ss", "\u00e6": "ae", "\u0153": "oe", "\u00f8": "o", "\u0111": "d", "\u00f0": "d",
    "\u00fe": "th", "\u0142": "l", "\u0131": "i", "\u03c2": "\u03c3",
    "\u0671": "\u0627", "\u0649": "\u064a", "\u0629": "\u0647", "\u06cc": "\u064a", "\u06a9": "\u0643"
  };
  for (var digit = 0; digit < 10; digit++) {
    FOLD[String.fromCharCode(0x0660 + digit)] = String(digit);
    FOLD[String.fromCharCode(0x06f0 + digit)] = String(digit);
  }
  var FOLD_RE = new RegExp("[" + Object.keys(FOLD).join("") + "]", "g");
  var SEP_RE = /[\u0000-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00bf\u00d7\u00f7\u037e\u0387\u055a-\u055f\u0589\u05be\u05c0\u05c3\u05c6\u05f3\u05f4\u060c\u061b\u061f\u066a-\u066d\u06d4\u0964\u0965\u104a\u104b\u1361-\u1368\u166d\u166e\u2000-\u206f\u20a0-\u20cf\u2100-\u214f\u2190-\u2bff\u2e00-\u2e7f\u3000-\u303f\ufe10-\ufe1f\ufe30-\ufe6f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\ufff0-\uffff\ud800-\udfff]+/;
  var SPLIT_RE = new RegExp("(" + SEP_RE.source + ")");
  var MAX_TOKEN = 40, MIN_PART = 3, MIN_COMPOUND = 7, DIGIT_RE = /[0-9]/;

  function foldChar(c) { return FOLD[c]; }

  function normalize(text) {
    return text.normalize("NFKD").toLowerCase().replace(FOLD_RE, foldChar)
      .replace(STRIP_RE, "").normalize("NFC");
  }

  function tokenize(text) {
    return text.split(SEP_RE).filter(function (t) { return t.length > 1 && t.length <= MAX_TOKEN; });
  }

  function applyStep(word, rules) {
    for (var i = 0; i < rules.length; i++) {
      var suffix = rules[i][0], replacement = rules[i][1], shortest = rules[i][2];
      if (word.length >= suffix.length && word.slice(word.length - suffix.length) === suffix &&
          word.length - suffix.length + replacement.length >= shortest) {
        return word.slice(0, word.length - suffix.length) + replacement;
      }
    }
    return null;
  }

  function stem(word, rules) {
    if (!rules || DIGIT_RE.test(word)) return word;
    var steps = rules.stem;
    for (var s = 0; s < steps.length; s++) {
      for (;;) {
        var result = applyStep(word, steps[s].rules);
        if (result === null || result === word) break;
        word = result;
        if (!steps[s].repeat) break;
      }
    }
    return word;
  }

  function words(text, rules) {
    var stops = rules && rules.stop ? rules.stop : [];
    return tokenize(normalize(text)).filter(function (t) { return stops.indexOf(t) < 0; });
  }

  function splitCompound(word, rules, known) {
    if (!rules || !rules.compound || word.length < MIN_COMPOUND || DIGIT_RE.test(word)) return null;
    return split(word, rules, known, 3);
  }

  function split(word, rules, known, depth) {
    var best = null, linkers = rules.compound;
    for (var cut = word.length - MIN_PART; cut >= MIN_PART; cut--) {
      var head = word.slice(0, cut), tail = word.slice(cut), tailStem = stem(tail, rules);
      var rest = known(tailStem) ? [tailStem] : null;
      if (rest === null && depth > 1 && tail.length >= MIN_COMPOUND) rest = split(tail, rules, known, depth - 1);
      if (rest === null) continue;
      for (var l = 0; l < linkers.length; l++) {
        var link = linkers[l];
        if (link && head.slice(head.length - link.length) !== link) continue;
        var left = link ? head.slice(0, head.length - link.length) : head;
        if (left.length < MIN_PART) continue;
        var leftStem = stem(left, rules);
        if (known(leftStem)) {
          var candidate = [leftStem].concat(rest);
          if (best === null || candidate.length < best.length) best = candidate;
          break;
        }
      }
      if (best !== null && best.length === 2) return best;
    }
    return best;
  }

  /* Optimal string alignment distance (a transposition is one edit), or max + 1 when
   * larger. With `prefix`, `b` may continue after the match: the word is being typed.
   * Only the diagonal band |i - j| <= max is computed, in rows allocated once. */
  var ROWS = [new Int32Array(MAX_TOKEN + 8), new Int32Array(MAX_TOKEN + 8), new Int32Array(MAX_TOKEN + 8)];

  function distance(a, b, max, prefix) {
    var m = a.length, n = b.length, big = max + 1;
    if (!prefix && Math.abs(m - n) > max) return big;
    if (n > m + max) n = m + max;
    if (m > MAX_TOKEN || n > MAX_TOKEN + 2) return big;
    var p2 = ROWS[0], p = ROWS[1], c = ROWS[2], t, i, j;
    for (j = 0; j <= n; j++) p[j] = j <= max ? j : big;
    for (i = 1; i <= m; i++) {
      var lo = i - max > 1 ? i - max : 1, hi = i + max < n ? i + max : n, rowMin = big, ai = a.charCodeAt(i - 1);
      c[lo - 1] = lo === 1 && i <= max ? i : big;
      for (j = lo; j <= hi; j++) {
        var bj = b.charCodeAt(j - 1), v = p[j - 1] + (ai === bj ? 0 : 1), x = p[j] + 1;
        if (x < v) v = x;
        x = c[j - 1] + 1;
        if (x < v) v = x;
        if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) {
          x = p2[j - 2] + 1;
          if (x < v) v = x;
        }
        if (v > big) v = big;
        c[j] = v;
        if (v < rowMin) rowMin = v;
      }
      if (hi < n) c[hi + 1] = big;
      if (rowMin > max) return big;
      t = p2; p2 = p; p = c; c = t;
    }
    if (!prefix) return p[n] > big ? big : p[n];
    var best = big;
    for (j = m - max > 0 ? m - max : 0; j <= n; j++) if (p[j] < best) best = p[j];
    return best;
  }

  function letterMask(word) {
    var mask = 0;
    for (var i = 0; i < word.length; i++) mask |= 1 << (word.charCodeAt(i) % 31);
    return mask;
  }

  function bitCount(x) {
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }

  function maxEdits(word) { return word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0; }

  // ------------------------------------------------------------------ index
  var T = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz$_";
  var C = "!#%&'()*+-./:;<=>?@[]^`{|}~";
  var CODE = new Int16Array(128).fill(-1);
  for (var t = 0; t < 64; t++) CODE[T.charCodeAt(t)] = t;
  for (var c = 0; c < 27; c++) CODE[C.charCodeAt(c)] = 64 + c;

  function decodeNumbers(s) {
    var out = [], acc = 0;
    for (var i = 0; i < s.length; i++) {
      var v = CODE[s.charCodeAt(i)];
      if (v >= 64) acc = acc * 27 + (v - 64);
      else { out.push(acc * 64 + v); acc = 0; }
    }
    return out;
  }

  function decodeIds(s) {
    var nums = decodeNumbers(s), ids = new Int32Array(nums.length), prev = -1;
    for (var i = 0; i < nums.length; i++) { prev += nums[i] + 1; ids[i] = prev; }
    return ids;
  }

  var WEIGHT = [1, 1.5, 3, 4.5]; // body, body often, summary/headings/keywords, title
  var OFFER_BOOST = 1.3;

  function Index(core) {
    this.lang = core.lang;
    this.n = core.n;
    this.langs = core.langs;
    this.rules = core.rules;
    this.pc = core.pc;
    this.dc = core.dc;
    this.other = core.other;
    this.firstOffer = core.fo;
    var terms = [], prev = "";
    if (core.terms) {
      var entries = core.terms.split(",");
      for (var i = 0; i < entries.length; i++) {
        prev = prev.slice(0, parseInt(entries[i][0], 36)) + entries[i].slice(1);
        terms.push(prev);
      }
    }
    this.terms = terms;
    this.chunks = {};
    this.postings = {};
    this.facets = core.facets.map(function (f) {
      return { id: f[0], values: f[1].map(function (v) { return { id: v[0], label: v[1], docs: decodeIds(v[2]) }; }) };
    });
    var self = this;
    this.stemLangs = this.langs.filter(function (l) { return self.rules[l]; });
    // Stems of facet labels ("Sion", "Cours de langue"): a query word naming an offer's
    // commune, kind, region, language or level counts for that offer.
    this.facets.forEach(function (f) {
      f.values.forEach(function (v) {
        v.stems = {};
        if (f.id === "free" || f.id === "childcare") return;
        (self.stemLangs.length ? self.stemLangs : [self.lang]).forEach(function (l) {
          words(v.label + " " + v.id, self.rules[l]).forEach(function (w) { v.stems[stem(w, self.rules[l])] = true; });
        });
      });
    });
    this.syn = core.syn.map(function (group, number) {
      var forms = [];
      group.forEach(function (member) {
        (self.stemLangs.length ? self.stemLangs : [self.lang]).forEach(function (l) {
          var seq = words(member, self.rules[l]).map(function (w) { return stem(w, self.rules[l]); });
          if (seq.length) forms.push(seq);
        });
      });
      return { term: "~" + number, forms: forms };
    });
  }

  Index.prototype.find = function (term) {
    var lo = 0, hi = this.terms.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (this.terms[mid] < term) lo = mid + 1; else hi = mid; }
    return lo;
  };
  Index.prototype.lookup = function (term) {
    var i = this.find(term);
    return i < this.terms.length && this.terms[i] === term ? i : -1;
  };
  Index.prototype.chunkOf = function (starts, i) {
    var lo = 0, hi = starts.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (starts[mid] <= i) lo = mid; else hi = mid - 1; }
    return lo;
  };
  Index.prototype.addChunk = function (k, data) {
    this.chunks[k] = data.split(",");
  };
  Index.prototype.docsOf = function (termIndex) {
    var cached = this.postings[termIndex];
    if (cached) return cached;
    var k = this.chunkOf(this.pc, termIndex), nums = decodeNumbers(this.chunks[k][termIndex - this.pc[k]]);
    var docs = new Int32Array(nums.length), cls = new Uint8Array(nums.length), prev = -1;
    for (var i = 0; i < nums.length; i++) { prev += (nums[i] >> 2) + 1; docs[i] = prev; cls[i] = nums[i] & 3; }
    return (this.postings[termIndex] = { docs: docs, cls: cls });
  };

  /* Turn a query into clauses (one per word, all required), each a map from term index to
   * match quality, and list the postings chunks they need. Needs only the core. */
  Index.prototype.prepare = function (query) {
    var self = this, typing = !/[\s,.;:!?]$/.test(query);
    var raw = tokenize(normalize(query)), stops = [];
    this.stemLangs.forEach(function (l) { stops = stops.concat(self.rules[l].stop || []); });
    var ws = raw.filter(function (w) { return stops.indexOf(w) < 0; });
    if (!ws.length) ws = raw;
    var langs = this.stemLangs.length ? this.stemLangs : [this.lang];
    var stemsOf = function (w) {
      var out = [w];
      langs.forEach(function (l) { var s = stem(w, self.rules[l]); if (out.indexOf(s) < 0) out.push(s); });
      return out;
    };
    var seqs = ws.map(stemsOf), clauses = [], used = [], missing = 0;
    // Synonym phrases first: a matched member becomes one clause on the group's term.
    this.syn.forEach(function (group) {
      var ti = self.lookup(group.term);
      if (ti < 0) return;
      group.forms.forEach(function (form) {
        for (var i = 0; i + form.length <= ws.length; i++) {
          var ok = true;
          for (var j = 0; j < form.length && ok; j++) ok = !used[i + j] && seqs[i + j].indexOf(form[j]) >= 0;
          if (!ok) continue;
          var clause = { words: ws.slice(i, i + form.length), alts: {}, prefix: [] };
          clause.alts[ti] = 0.95;
          if (form.length === 1) self.expand(clause, ws[i], seqs[i], typing && i === ws.length - 1);
          for (j = 0; j < form.length; j++) used[i + j] = true;
          clauses.push(clause);
        }
      });
    });
    var known = function (s) { return s.length >= MIN_PART && self.lookup(s) >= 0; };
    ws.forEach(function (w, i) {
      if (used[i]) return;
      var typingThis = typing && i === ws.length - 1;
      var clause = { words: [w], alts: {}, prefix: [] };
      var found = self.expand(clause, w, seqs[i], typingThis);
      // A compound ("deutschkurs") also finds its parts written apart ("Deutsch-Kurs",
      // "Deutsch ... Kurs"): each part becomes a required word, the whole an alternative.
      for (var l = 0; l < langs.length; l++) {
        var parts = splitCompound(w, self.rules[langs[l]], known);
        if (parts) {
          parts.forEach(function (p) {
            var c = { words: [w], alts: {}, prefix: clause.prefix };
            Object.keys(clause.alts).forEach(function (k) { c.alts[k] = clause.alts[k]; });
            c.alts[self.lookup(p)] = 0.9;
            clauses.push(c);
          });
          return;
        }
      }
      if (!found) self.fuzzy(clause, w, seqs[i], typingThis);
      if (Object.keys(clause.alts).length) clauses.push(clause);
      else missing++;
    });
    var need = {};
    clauses.forEach(function (cl) { Object.keys(cl.alts).forEach(function (ti) { need[self.chunkOf(self.pc, +ti)] = true; }); });
    return { clauses: clauses, chunks: Object.keys(need).map(Number), words: ws, missing: missing };
  };

  Index.prototype.expand = function (clause, w, forms, typing) {
    var found = false, self = this;
    forms.forEach(function (f) {
      var ti = self.lookup(f);
      if (ti >= 0) { clause.alts[ti] = Math.max(clause.alts[ti] || 0, 1); found = true; }
    });
    // Words being typed match as prefixes: of the word as typed, not of its stem
    // ("cours" must not find "courrier" through "cour").
    if ((typing || !found) && w.length >= 2) {
      var added = 0;
      for (var i = this.find(w); i < this.terms.length && added < 40; i++) {
        var term = this.terms[i];
        if (term.slice(0, w.length) !== w) break;
        if (term !== w) {
          var q = 0.55 + 0.35 * w.length / term.length;
          if ((clause.alts[i] || 0) < q) { clause.alts[i] = q; added++; }
        }
      }
      clause.prefix.push(w);
      found = found || added > 0;
    }
    return found;
  };

  Index.prototype.fuzzy = function (clause, w, forms, typing) {
    var max = maxEdits(w);
    if (!max) return;
    // A stem shorter than its word gets the edits of its own length: "kur" is no "dur".
    var limits = forms.map(function (f) { return Math.min(max, maxEdits(f)); });
    var terms = this.terms, minLen = Math.min.apply(null, forms.map(function (f) { return f.length; })) - max;
    // Each edit takes away at most one of the word's letters: a term missing more of the
    // letters of every form is out of reach, without computing a distance.
    var masks = this.masks || (this.masks = Int32Array.from(terms, letterMask));
    var formMasks = forms.map(letterMask);
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i];
      if (term.length < minLen || term.charCodeAt(0) === 126) continue;
      var near = false;
      for (var fm = 0; fm < formMasks.length && !near; fm++) near = limits[fm] > 0 && bitCount(formMasks[fm] & ~masks[i]) <= limits[fm];
      if (!near) continue;
      var best = max + 1;
      for (var f = 0; f < forms.length && best > 0; f++) {
        if (!limits[f]) continue;
        var lim = Math.min(limits[f], best - 1), d;
        if (typing && f === 0) {
          // The word as typed may be the start of a longer word: a prefix within reach
          // (never more than the whole word's distance, so that test comes first).
          d = distance(w, term, lim, true);
          if (d <= lim) { var whole = distance(w, term, lim, false); d = whole <= lim ? whole : d + 0.5; }
        } else d = distance(forms[f], term, lim, false);
        if (d <= lim && d < best) best = d;
      }
      if (best <= max) clause.alts[i] = Math.max(clause.alts[i] || 0, 0.95 - 0.15 * Math.ceil(best));
    }
    clause.fuzzy = true;
  };

  /* Score the documents matching every clause (or, when none does, most clauses). */
  Index.prototype.score = function (prepared) {
    var n = this.n, clauses = prepared.clauses, need = clauses.length, self = this;
    var total = new Float64Array(n), hits = new Uint8Array(n), strong = new Uint8Array(n), named = new Uint8Array(n);
    clauses.forEach(function (cl) {
      var best = new Float64Array(n), top = new Uint8Array(n), keys = Object.keys(cl.alts), common = 0;
      // Guesses (prefixes, typos) weigh no more than the most common of them: a rare
      // near-miss must not outrank the word the visitor most likely meant.
      keys.forEach(function (key) { if (cl.alts[key] < 1) common = Math.max(common, self.docsOf(+key).docs.length); });
      keys.forEach(function (key) {
        var p = self.docsOf(+key), df = cl.alts[key] < 1 ? Math.max(common, p.docs.length) : p.docs.length;
        var q = cl.alts[key] * Math.log(1 + n / df);
        for (var i = 0; i < p.docs.length; i++) {
          var v = WEIGHT[p.cls[i]] * q, doc = p.docs[i];
          if (v > best[doc]) best[doc] = v;
          if (p.cls[i] >= 2) top[doc] = 1;
        }
      });
      // A word naming an offer's commune, kind, region, language or level.
      var terms = keys.map(function (k) { return self.terms[+k]; }), mark = new Uint8Array(n);
      self.facets.forEach(function (f) {
        f.values.forEach(function (v) {
          if (terms.some(function (t) { return v.stems[t]; })) for (var i = 0; i < v.docs.length; i++) mark[v.docs[i]] = 1;
        });
      });
      for (var d = 0; d < n; d++) {
        if (best[d] > 0) { total[d] += best[d]; hits[d]++; strong[d] += top[d]; }
        named[d] += mark[d];
      }
    });
    var all = false;
    for (var d = 0; d < n && !all; d++) if (hits[d] === need) all = true;
    prepared.partial = !all;
    for (d = 0; d < n; d++) {
      if (!hits[d] || (all && hits[d] !== need)) { total[d] = 0; continue; }
      // All words in titles, summaries or keywords beat some there and the rest in the body.
      total[d] *= (1 + 0.5 * strong[d] / need) * (1 + 0.3 * named[d] / need);
      // Offers are what newcomers look for most ("cours francais sion"): a light prior.
      if (d >= this.firstOffer) total[d] *= OFFER_BOOST;
      if (!all) total[d] *= (hits[d] / need) * (hits[d] / need);
    }
    return total;
  };

  /* Ranked hits and live facet counts. `filters` maps facet id -> selected value ids;
   * values of one facet are alternatives, facets combine. Without clauses every offer
   * matches (browsing by facets). */
  Index.prototype.search = function (prepared, filters) {
    // Words that match nothing at all leave nothing: they do not turn into browsing.
    var n = this.n, scores = prepared ? (prepared.clauses.length ? this.score(prepared) : new Float64Array(n)) : null;
    var active = this.facets.filter(function (f) { return filters[f.id] && filters[f.id].length; });
    if (!scores && !active.length) return { hits: [], counts: this.counts(null, []), total: 0 };
    var masks = active.map(function (f) {
      var m = new Uint8Array(n);
      f.values.forEach(function (v) { if (filters[f.id].indexOf(v.id) >= 0) for (var i = 0; i < v.docs.length; i++) m[v.docs[i]] = 1; });
      return m;
    });
    var base = new Uint8Array(n);
    if (scores) { for (var d = 0; d < n; d++) base[d] = scores[d] > 0 ? 1 : 0; }
    else {
      // Browsing: only offers carry facets; every offer has a kind.
      this.facets.forEach(function (f) { f.values.forEach(function (v) { for (var i = 0; i < v.docs.length; i++) base[v.docs[i]] = 1; }); });
    }
    var hits = [];
    for (d = 0; d < n; d++) {
      if (!base[d]) continue;
      var ok = true;
      for (var k = 0; k < masks.length && ok; k++) ok = masks[k][d] === 1;
      if (ok) hits.push(d);
    }
    if (scores) hits.sort(function (a, b) { return scores[b] - scores[a] || a - b; });
    return { hits: hits, counts: this.counts(base, active.map(function (f, i) { return [f.id, masks[i]]; })), total: hits.length, scores: scores };
  };

  Index.prototype.counts = function (base, masks) {
    var out = {};
    this.facets.forEach(function (f) {
      var others = masks.filter(function (m) { return m[0] !== f.id; }).map(function (m) { return m[1]; });
      out[f.id] = {};
      f.values.forEach(function (v) {
        var count = 0;
        for (var i = 0; i < v.docs.length; i++) {
          var d = v.docs[i];
          if (base && !base[d]) continue;
          var ok = true;
          for (var k = 0; k < others.length && ok; k++) ok = others[k][d] === 1;
          if (ok) count++;
        }
        out[f.id][v.id] = count;
      });
    });
    return out;
  };

  /* Words of the query as they matched, to mark them in titles and excerpts. */
  Index.prototype.marker = function (prepared) {
    var self = this, exact = {}, prefixes = [];
    prepared.clauses.forEach(function (cl) {
      Object.keys(cl.alts).forEach(function (k) { var term = self.terms[+k]; if (term[0] !== "~") exact[term] = true; });
      prefixes = prefixes.concat(cl.prefix);
      cl.words.forEach(function (w) { exact[w] = true; });
    });
    var langs = this.stemLangs, compound = langs.some(function (l) { return self.rules[l].compound; });
    var long = Object.keys(exact).filter(function (term) { return term.length >= 4; });
    return function (token) {
      if (exact[token]) return true;
      for (var l = 0; l < langs.length; l++) if (exact[stem(token, self.rules[langs[l]])]) return true;
      for (var p = 0; p < prefixes.length; p++) if (token.slice(0, prefixes[p].length) === prefixes[p]) return true;
      if (compound) for (var i = 0; i < long.length; i++) if (token.indexOf(long[i]) >= 0) return true;
      return false;
    };
  };

  // ------------------------------------------------------------------ loading
  var registry = {}, waiting = {}, indexes = {};

  function register(name, data) {
    registry[name] = data;
    (waiting[name] || []).forEach(function (cb) { cb[0](data); });
    delete waiting[name];
  }

  function rootUrl() { return global.document.documentElement.getAttribute("data-root") || ""; }

  function load(name) {
    if (name in registry) return Promise.resolve(registry[name]);
    return new Promise(function (resolve, reject) {
      if (!waiting[name]) {
        waiting[name] = [];
        var s = global.document.createElement("script");
        s.src = rootUrl() + "assets/search/" + name + ".js";
        s.async = true;
        s.onerror = function () {
          (waiting[name] || []).forEach(function (cb) { cb[1](new Error("cannot load " + name)); });
          delete waiting[name];
        };
        global.document.head.appendChild(s);
      }
      waiting[name].push([resolve, reject]);
    });
  }

  function openIndex(lang, loader) {
    loader = loader || load;
    if (!indexes[lang]) indexes[lang] = loader(lang + "/core").then(function (core) { return new Index(core); });
    return indexes[lang];
  }

  async function query(index, text, filters, loader) {
    loader = loader || load;
    var prepared = text.trim() ? index.prepare(text) : null;
    if (prepared) {
      await Promise.all(prepared.chunks.filter(function (k) { return !index.chunks[k]; }).map(function (k) {
        return loader(index.lang + "/p" + k).then(function (data) { index.addChunk(k, data); });
      }));
    }
    var result = index.search(prepared, filters);
    result.prepared = prepared;
    result.index = index;
    return result;
  }

  async function documents(index, ids, loader) {
    loader = loader || load;
    var wanted = {};
    ids.forEach(function (d) { wanted[index.chunkOf(index.dc, d)] = true; });
    var loaded = await Promise.all(Object.keys(wanted).map(function (k) {
      return loader(index.lang + "/d" + k).then(function (data) { return [+k, data]; });
    }));
    var byChunk = {};
    loaded.forEach(function (pair) { byChunk[pair[0]] = pair[1]; });
    return ids.map(function (d) {
      var k = index.chunkOf(index.dc, d), rec = byChunk[k][d - index.dc[k]];
      return { id: d, url: rec[0], title: rec[1], excerpt: rec[2], lang: rec[3] || index.lang };
    });
  }

  // ------------------------------------------------------------------ UI
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

  return {
    normalize: normalize, tokenize: tokenize, stem: stem, words: words, splitCompound: splitCompound,
    distance: distance, maxEdits: maxEdits, decodeNumbers: decodeNumbers, Index: Index,
    query: query, documents: documents, register: register, boot: boot
  };
});
