  // ------------------------------------------------------------------ index
  /* engine.js: the index as sitegen/search/index.py writes it (decoding, postings, synonyms, facets),
   * preparing a query, scoring and ranking. Needs text.js; touches no page. */
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

