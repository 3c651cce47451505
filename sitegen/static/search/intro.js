/* sitegen search engine and UI (issue 3). Loaded by search-loader.js when a visitor
 * focuses a search box. Dependency-free ES2017. The index files are scripts calling
 * sgSearch(name, data), so everything works from file:// where fetch() fails.
 * The text functions mirror sitegen/search/text.py: tests/test_search_parity.py checks
 * them on one table of cases in both languages. docs/search.md explains the design.
 *
 * Written as sitegen/static/search/{intro,text,engine,load,ui,outro}.js, joined in that
 * order into the one classic script assets/search.js (sitegen/assets.py) and minified:
 * one function scope holds them all, so no module loader is needed (and file:// works).
 * This part opens that scope; outro.js returns the API and closes it. */
(function (root, factory) {
  "use strict";
  var api = factory(root);
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else if (root.document) { root.sitegenSearch = api; api.boot(); }
})(typeof self !== "undefined" ? self : this, function (global) {
  "use strict";

