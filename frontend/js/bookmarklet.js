// The "Send to workbench" bookmarklet, around captureDocument (capture-page.js, inlined before it
// when the workbench builds the bookmarklet; __WORKBENCH_ORIGIN__, __WINDOW_URL__ and
// __MAX_BYTES__ are filled in then). It loads nothing into the page: it serialises the page,
// opens the workbench window and, once that window has said it is ready (from the workbench's
// origin, with its nonce), hands it the capture by postMessage addressed to the workbench's origin
// only. The window posts it with the reader's session.
(function () {
  "use strict";
  var WORKBENCH = "__WORKBENCH_ORIGIN__";
  var capture = captureDocument();
  if (capture.html.length > __MAX_BYTES__) {
    window.alert("This page is too large to send to the workbench (over " + Math.round(__MAX_BYTES__ / 1048576) + " MB).");
    return;
  }
  var target = "__WINDOW_URL__" + "?origin=" + encodeURIComponent(location.origin);
  var opened = window.open(target, "_blank");
  if (!opened) {
    window.alert("The workbench window was blocked: allow pop-ups for this page and try again.");
    return;
  }
  var listener = function (event) {
    if (event.source !== opened || event.origin !== WORKBENCH) return;
    var data = event.data;
    if (!data || data.type !== "workbench-capture-ready" || typeof data.nonce !== "string") return;
    window.removeEventListener("message", listener);
    opened.postMessage({ type: "workbench-capture", nonce: data.nonce, capture: capture }, WORKBENCH);
  };
  window.addEventListener("message", listener);
})();
