/* Share button (issue 11): the phone's own share sheet (Web Share API) where it has one,
 * otherwise copy the page's online address and say so in the status region (aria-live).
 * Without JavaScript the button stays hidden; the e-mail and WhatsApp links still work. */
(function () {
  "use strict";
  var b = document.querySelector("button[data-share-url]"), status = document.querySelector(".share-status");
  if (!b || !status) return;
  var url = b.getAttribute("data-share-url"), title = b.getAttribute("data-share-title");
  var copy = navigator.clipboard && navigator.clipboard.writeText;
  if (!navigator.share && !copy) return;
  if (!navigator.share) b.textContent = b.getAttribute("data-label-copy");
  b.hidden = false;
  b.addEventListener("click", function () {
    status.textContent = "";
    if (navigator.share) {
      // A visitor who closes the share sheet rejects the promise: nothing to report.
      navigator.share({ title: title, url: url }).catch(function () {});
      return;
    }
    navigator.clipboard.writeText(url).then(function () {
      status.textContent = b.getAttribute("data-msg-copied");
    }, function () {
      status.textContent = b.getAttribute("data-msg-failed");
    });
  });
})();
