// Offline use: registers the site's service worker (sw.js, at the site root) and says in the page
// header whether this page is the copy saved on this device, and which version it is.
//
// The first visit saves the whole site (pages, calculators, Python) once the page's own
// calculators have started, so the two downloads do not compete. A newer version is saved in the
// background; it takes over at once, and the page reloads from it, unless the reader is typing
// into this page: then it takes over when they open another page, in full (never by the theme's
// instant navigation, which would put a page of the new version into this page of the old one).
// <meta name="aih-offline" content="on"> (overrides/main.html) turns it on; under `mkdocs serve`
// it reads "off", and a copy saved from a built site on the same address is forgotten.
// The status line is [data-offline-status] (role status), hidden until there is something to say.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="aih-offline"]');
  var script = document.currentScript;
  if (!meta || !script || !("serviceWorker" in navigator)) return;
  var ROOT = new URL("../../", script.src).href; // this file is assets/aihcalc/offline.js
  var container = navigator.serviceWorker;
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  if (meta.content !== "on") {
    container.getRegistration(ROOT).then(function (found) {
      if (found && found.scope === ROOT) found.unregister();
    }).catch(function () {});
    return;
  }

  var registration = null;
  var current = null; // the saved copy this page runs on: {version, package, saved, complete, bytes}
  var newer = null; // a newer version, saved and waiting to take over: {version, ...}
  var saving = null; // the first copy, while it downloads: {bytes}
  var failed = false; // the first copy could not be saved
  var reachable = navigator.onLine; // false once the site could not be reached
  var edited = false; // the reader has typed into this page: never reload it under them
  var stale = false; // a newer version took over while this page was in use
  var leaving = null; // the address to open once the newer version has taken over
  var unasked = null; // a waiting worker to ask for its version once this page's own is known
  var controlled = Boolean(container.controller);
  var started = false;

  function when(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return "";
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getDate() + " " + MONTHS[d.getMonth()] + " " + d.getFullYear() + ", " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function versionText(copy) {
    return "site version " + copy.version + ", aihcalc " + copy.package;
  }

  function words() {
    if (current && current.complete) {
      var which = versionText(current) + ", saved " + when(current.saved);
      if (!reachable) return ["offline", "Offline: showing the copy saved on this device (" + which + ")."];
      if (newer || stale) {
        var next = newer ? " (site version " + newer.version + ")" : "";
        return ["update", "An updated version of this site" + next + " is saved on this device; it shows when you open another page. This page: " + versionText(current) + "."];
      }
      return ["available", "Available offline: this site is saved on this device (" + which + ")."];
    }
    if (!reachable) return ["offline", "Offline: this site is not yet saved on this device, so pages you have not opened, and the calculators, may not load."];
    if (saving) return ["saving", "Saving a copy of this site on this device for use offline (" + (saving.bytes / 1e6).toFixed(1) + " MB)…"];
    if (failed) return ["failed", "Not saved for use offline: the download did not complete. It will be tried again when you next open a page."];
    return ["", ""];
  }

  function render() {
    var line = document.querySelector("[data-offline-status]");
    if (!line) return;
    var said = words();
    if (line.textContent !== said[1]) line.textContent = said[1]; // set before it shows: not read out on load
    line.setAttribute("data-offline", said[0]);
    line.hidden = !said[1];
  }

  function ask(worker) {
    if (worker) worker.postMessage({ type: "status" });
  }

  function running() {
    return container.controller || (registration && registration.active);
  }

  container.addEventListener("message", function (event) {
    var message = event.data || {};
    if (message.type === "status") {
      // A page keeps the version it was loaded with; any other saved version is the newer one.
      if (current && current.complete && message.version !== current.version) newer = message.complete ? message : newer;
      else current = message;
      if (current.complete) {
        saving = null;
        if (unasked) ask(unasked); // asked only now, so its reply cannot pass for this page's version
        unasked = null;
      }
    } else if (message.type === "saving" && !(current && current.complete)) {
      saving = message;
      failed = false;
    } else if (message.type === "failed" && !(current && current.complete)) {
      saving = null;
      failed = true;
    }
    render();
  });
  container.startMessages();

  // A newer version is saved: take over now, unless the reader is busy with this page.
  function offer(worker) {
    if (current && current.complete) ask(worker);
    else unasked = worker;
    if (!edited) worker.postMessage({ type: "activate" });
    render();
  }

  function follow(worker) {
    if (!worker) return;
    worker.addEventListener("statechange", function () {
      if (worker.state === "installed" && container.controller) offer(worker);
    });
  }

  function watch(found) {
    if (!found) return; // a browser that blocks service workers may resolve with nothing
    registration = found;
    ask(running());
    if (found.waiting && controlled) offer(found.waiting);
    follow(found.installing); // the browser may have found it while this page loaded
    found.addEventListener("updatefound", function () { follow(found.installing); });
    check();
  }

  container.addEventListener("controllerchange", function () {
    var first = !controlled;
    controlled = true;
    if (first) {
      ask(container.controller); // the first copy is saved; this page stays as it is
    } else if (leaving) {
      window.location.assign(leaving);
    } else if (!edited) {
      window.location.reload(); // every file again, from the new version's copy
    } else {
      stale = true;
      ask(container.controller);
    }
  });

  // Asking the browser to look for a newer sw.js is also the test of whether the site answers.
  // A refusal means the site did not answer only while this page's registration still exists:
  // when a first copy fails to save (a file that did not match its checksum), the browser drops
  // the registration and refuses ("not found"), with the site there all along, and the reader
  // is told the copy was not saved, not that they are offline.
  function check() {
    if (!registration) return;
    registration.update().then(
      function () { reachable = true; render(); },
      function () {
        container.getRegistration(ROOT).then(function (found) {
          if (!found) return;
          reachable = false;
          render();
        }, function () {});
      },
    );
  }

  window.addEventListener("online", check);
  window.addEventListener("offline", function () {
    reachable = false;
    render();
  });
  document.addEventListener("input", function () { edited = true; }, true);

  // While a newer version waits, or after it took over this page in use, a link opens in full.
  window.addEventListener("click", function (event) {
    var waiting = registration && registration.waiting && controlled;
    if (!(waiting || stale) || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || link.target || link.hasAttribute("download")) return;
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin) return;
    if (url.pathname === window.location.pathname && url.search === window.location.search) return; // same page
    event.stopImmediatePropagation(); // not the theme's instant navigation
    if (!waiting) return; // stale: the browser opens the link, from the new version
    event.preventDefault();
    leaving = url.href;
    registration.waiting.postMessage({ type: "activate" });
    window.setTimeout(function () { window.location.assign(url.href); }, 3000);
  }, true);
  window.addEventListener("popstate", function () {
    if (stale) window.location.reload();
  });

  // The first copy waits until this page's calculators have started (or failed), or 2 minutes.
  function start() {
    if (started) return;
    started = true;
    // Refused (storage blocked, a private window): nothing is said, as without this script.
    container.register(ROOT + "sw.js").then(watch, function () {});
  }

  function whenQuiet() {
    if (controlled) return start();
    var root = document.documentElement;
    var busy = function () {
      return document.querySelector('form[data-calculator][data-state="loading"]') && !root.hasAttribute("data-aihcalc-runtime");
    };
    var go = function () {
      if (!busy()) return start();
      var observer = new MutationObserver(function () {
        if (busy()) return;
        observer.disconnect();
        start();
      });
      observer.observe(root, { attributes: true, subtree: true, attributeFilter: ["data-aihcalc-runtime", "data-state"] });
      window.setTimeout(function () { observer.disconnect(); start(); }, 120000);
    };
    if (document.readyState === "complete") go();
    else window.addEventListener("load", go, { once: true });
  }

  // Every page, the first and each one instant navigation swaps in.
  function bind() {
    edited = false;
    render();
    if (!started) whenQuiet();
    else if (registration && registration.waiting && controlled) offer(registration.waiting);
    else check();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(bind);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
