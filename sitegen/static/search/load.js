  // ------------------------------------------------------------------ loading
  /* load.js: index files are scripts that call sgSearch(name, data), added as <script>
   * elements, so that the search works from file:// where fetch() fails. */
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

