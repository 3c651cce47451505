/* Service worker (issue 11), registered by offline.js only after the visitor chose to save a
 * region or to keep visited pages; published at the site's root so that its scope is the
 * whole site under any sub-path. Network first: online, every page is fresh; offline, a
 * saved copy is served. A new page is stored on a visit only while "Keep pages I visit" is on. */
"use strict";
var scope = self.registration.scope;
var PAGES = "sitegen-pages " + scope, SETTINGS = "sitegen-settings " + scope, KEEP = scope + "sitegen-keep-visited";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.url.indexOf(scope) !== 0) return;
  event.respondWith(fetch(request).then(function (response) {
    if (!response.ok) return response;
    // Kept: while "Keep pages I visit" is on, or when the page was saved before (a saved
    // region stays as fresh as the visitor's last visit online).
    return Promise.all([caches.match(KEEP, { cacheName: SETTINGS }), caches.match(request, { cacheName: PAGES })]).then(function (found) {
      if (!found[0] && !found[1]) return response;
      var copy = response.clone();
      return caches.open(PAGES).then(function (cache) { return cache.put(request, copy); }).then(function () { return response; });
    });
  }, function (error) {
    // A search page keeps its query in the URL: any saved copy of the page will do.
    return caches.match(request, { cacheName: PAGES, ignoreSearch: request.mode === "navigate" }).then(function (hit) {
      if (hit) return hit;
      throw error;
    });
  }));
});
