  // ------------------------------------------------------------------ text (parity)
  /* text.js: normalise, tokenise, stem, split compounds, edit distance. Mirrors
   * sitegen/search/text.py rule for rule: tests/test_search_parity.py runs both on one
   * table of cases. Change the two together. */
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

