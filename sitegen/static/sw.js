/* Service worker (issue 11), registered by offline.js only after the visitor chose to save a
 * region or to keep visited pages; published at the site's root so that its scope is the
 * whole site under any sub-path. Network first: online, every page is fresh; offline, a
 * saved copy is served. A new page is stored on a visit only while "Keep pages I visit" is on. */
"use strict";
var scope = self.registration.scope;
var PAGES = "sitegen-pages " + scope, SETTINGS = "sitegen-settings " + scope, KEEP = scope + "sitegen-keep-visited";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

// Kept: while "Keep pages I visit" is on, or when the page was saved before (a saved region
// stays as fresh as the visitor's last visit online).
function keepCopy(request, copy) {
  return Promise.all([caches.match(KEEP, { cacheName: SETTINGS }), caches.match(request, { cacheName: PAGES })]).then(function (found) {
    if (found[0] || found[1]) return caches.open(PAGES).then(function (cache) { return cache.put(request, copy); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.url.indexOf(scope) !== 0) return;
  // An event stream (sitegen serve's live reload) never ends: it is passed through, not kept.
  if ((request.headers.get("Accept") || "").indexOf("text/event-stream") !== -1) return;
  event.respondWith(fetch(request).then(function (response) {
    // The page is shown at once; the copy is stored beside it.
    if (response.ok) event.waitUntil(keepCopy(request, response.clone()));
    return response;
  }, function (error) {
    // A search page keeps its query in the URL: any saved copy of the page will do.
    // Shared links and QR codes name a folder (x/), saved copies its file (x/index.html).
    var options = { cacheName: PAGES, ignoreSearch: request.mode === "navigate" };
    return caches.match(request, options).then(function (hit) {
      if (hit) return hit;
      var url = new URL(request.url);
      if (!url.pathname.endsWith("/")) throw error;
      url.pathname += "index.html";
      return caches.match(url.href, options).then(function (page) {
        if (page) return page;
        throw error;
      });
    });
  }));
});
