/* "Save this region" and "Keep pages I visit" (issue 11). Nothing is stored and no service
 * worker is registered until the visitor asks for it here; "Delete" removes both. Runs only
 * where a service worker can (http or https), never from a folder (file://). The cache names
 * carry the site's folder, so two sites under one host never share a cache. */
(function () {
  "use strict";
  var box = document.querySelector("section[data-offline-list]");
  if (!box || !/^https?:$/.test(location.protocol) || !("serviceWorker" in navigator) || !window.caches) return;
  var swUrl = new URL(box.getAttribute("data-sw"), location.href).href;
  var scope = new URL(".", swUrl).href;
  var PAGES = "sitegen-pages " + scope, SETTINGS = "sitegen-settings " + scope, KEEP = scope + "sitegen-keep-visited";
  function q(sel) { return box.querySelector(sel); }
  var status = q("[data-offline-status]"), confirmBox = q("[data-offline-confirm]"), keep = q("[data-offline-keep]"), files = null;
  function say(name) { status.textContent = box.getAttribute("data-msg-" + name); }
  function register() {
    return navigator.serviceWorker.register(swUrl, { scope: scope }).then(function () { return navigator.serviceWorker.ready; });
  }
  function failed() { say("failed"); }
  function ownFiles() {
    var urls = [location.href.split("#")[0]], found = document.querySelectorAll("script[src], link[rel=stylesheet]");
    for (var i = 0; i < found.length; i++) urls.push(found[i].src || found[i].href);
    return urls;
  }
  // caches.match creates no cache (caches.open would): reading the switch stores nothing.
  caches.match(KEEP, { cacheName: SETTINGS }).then(function (hit) { keep.checked = !!hit; });
  box.hidden = false;

  q("[data-offline-save]").addEventListener("click", function () {
    fetch(new URL(box.getAttribute("data-offline-list"), location.href).href).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (list) {
      files = list.files;
      q("[data-offline-size]").textContent = list.message;
      confirmBox.hidden = false;
      q("[data-offline-yes]").focus();
    }).catch(failed);
  });
  q("[data-offline-no]").addEventListener("click", function () { confirmBox.hidden = true; files = null; });
  q("[data-offline-yes]").addEventListener("click", function () {
    if (!files) return;
    var urls = files.map(function (f) { return new URL(f, scope).href; });
    confirmBox.hidden = true;
    register().then(function () { return caches.open(PAGES); }).then(function (c) { return c.addAll(urls); })
      .then(function () { say("saved"); }, failed);
  });
  keep.addEventListener("change", function () {
    if (!keep.checked) {
      caches.delete(SETTINGS).then(function () { say("nokeep"); });
      return;
    }
    register().then(function () { return caches.open(SETTINGS); })
      .then(function (c) { return c.put(KEEP, new Response("1")); })
      // This page and its files were loaded before the worker: keep them too.
      .then(function () { return caches.open(PAGES); }).then(function (c) { return c.addAll(ownFiles()); })
      .then(function () { say("keep"); }, failed);
  });
  q("[data-offline-delete]").addEventListener("click", function () {
    Promise.all([caches.delete(PAGES), caches.delete(SETTINGS)]).then(function () {
      return navigator.serviceWorker.getRegistration(scope);
    }).then(function (reg) { return reg && reg.unregister(); }).then(function () {
      keep.checked = false;
      say("deleted");
    });
  });
})();
