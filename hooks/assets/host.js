// Optional helper for a page that shows calculators from this site in iframes. MIT licence.
//
// <script src=".../embed/<version>/host.js" defer></script>, once per page (or a copy of this
// file on your own site: the calculators' origin is written in below when the site is built).
// It sizes each calculator iframe to its content, so no scroll bar shows inside it: on a
// {type: "aihcalc:resize", height} message it sets the height of the iframe that sent it. And it
// passes each {type: "aihcalc:result", ...} on as a DOM event "aihcalc:result" on that iframe
// (event.detail is the message), for a page that wants the answers without its own listener.
//
// A message counts only if it comes from the calculators' origin (event.origin), from the
// window of an iframe on this page (event.source), and that iframe's src has that origin too.
// The calculators' origin is the site's, written in when it was built, or the origin this script
// was loaded from (an intranet serving the offline embed kit).
(function () {
  "use strict";
  var SITE = "__AIHCALC_SITE_ORIGIN__";
  var script = document.currentScript;
  var OWN = script && script.src ? new URL(script.src, document.baseURI).origin : SITE;
  var MAX_HEIGHT = 20000; // CSS px: a sane ceiling, whatever a message says

  function sender(event) {
    if (event.origin !== SITE && event.origin !== OWN) return null;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      try {
        return new URL(frame.src, document.baseURI).origin === event.origin ? frame : null;
      } catch (e) {
        return null;
      }
    }
    return null;
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || typeof data.type !== "string") return;
    if (data.type !== "aihcalc:resize" && data.type !== "aihcalc:result") return;
    var frame = sender(event);
    if (!frame) return;
    if (data.type === "aihcalc:resize") {
      var height = Number(data.height);
      if (isFinite(height) && height > 0) frame.style.height = Math.min(Math.ceil(height), MAX_HEIGHT) + "px";
    } else {
      frame.dispatchEvent(new CustomEvent("aihcalc:result", { bubbles: true, detail: data }));
    }
  });
})();
