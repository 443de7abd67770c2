// Loads the theme's bundle and the site's page scripts without holding up the page or Python.
//
// The build (hooks/theme_loading.py) replaces the theme's script tags at the end of each page
// with this one async script; data-scripts lists them, in order. They are fetched at once and
// run in that order, but:
// - not before DOMContentLoaded's time: the page is shown and usable before they run;
// - on a page with a calculator, not before the calculator's first live answer (or its
//   failure), so the theme's start-up work does not compete with Python's on a small device.
//   Any touch, click, key or focus loads them at once, as does a wait of LATEST_MS. A click on
//   a link of this site before the theme has run and read the site's list of pages waits for
//   that, and is made again unless the theme has taken it itself, so the theme's instant
//   navigation takes it (and Python, already running, is kept).
// The theme saves the scroll offset into the current history entry 100 ms after the last scroll,
// and restores an entry's offset when it has one; see keepFreshEntriesFresh for when that undoes
// a jump within the page.
// The theme waits for DOMContentLoaded before it starts; when it runs later than that, it is
// told at once (see lateReady). When the bundle has run, "aihcalc:theme" is dispatched on the
// document (calculators.js then follows instant navigation).
(() => {
  const script = document.currentScript;
  if (!script) return;
  const sources = JSON.parse(script.dataset.scripts || "[]");
  const LATEST_MS = 4000;
  const SETTLE_MS = 300;
  let started = false;
  let ready = false; // the theme's bundle has run
  let pending = null; // a link clicked before then

  // A DOMContentLoaded listener added after the event has fired is called at once (soon after).
  function lateReady() {
    const add = document.addEventListener;
    document.addEventListener = function (type, listener, options) {
      if (type === "DOMContentLoaded" && document.readyState !== "loading" && listener) {
        queueMicrotask(() => (typeof listener === "function" ? listener.call(document, new Event(type)) : listener.handleEvent(new Event(type))));
        return undefined;
      }
      return add.call(this, type, listener, options);
    };
    return () => (document.addEventListener = add);
  }

  function run() {
    if (started) return;
    started = true;
    const restore = lateReady();
    sources.forEach((src, index) => {
      const tag = document.createElement("script");
      tag.src = src;
      tag.async = false; // inserted scripts run in insertion order
      if (index === 0) {
        tag.addEventListener("load", () => {
          restore();
          ready = true;
          document.dispatchEvent(new Event("aihcalc:theme"));
          if (pending) clickWhenNavigable(pending);
          pending = null;
        });
        tag.addEventListener("error", () => {
          restore();
          ready = true;
          if (pending) location.assign(pending.href);
          pending = null;
        });
      }
      document.body.append(tag);
    });
  }

  // The theme takes a click on one of the site's links only once it has read sitemap.xml (its
  // list of the site's pages); until then the click would load the page anew. Wait for that,
  // but not for long: then the click is made as it is, and the page loads anew.
  const sitemapRead = () => performance.getEntriesByType("resource").some((e) => e.name.endsWith("/sitemap.xml"));
  const here = (url) => url.pathname === location.pathname && url.search === location.search;
  const RETRIES = 10; // a replayed click the theme did not take is tried again this often, 100 ms apart
  let released = null; // a held link, clicked again: let that click through
  let themeTakes = false; // the theme has taken a click on a link: it has read the list
  function clickWhenNavigable(link) {
    let waited = 0;
    const attempt = () => {
      if (sitemapRead() || waited >= 1500) return setTimeout(() => replay(link, RETRIES), 100);
      waited += 50;
      setTimeout(attempt, 50);
    };
    attempt();
  }

  // A click the theme saw (its bundle had run) it keeps until it has read the list, then takes
  // itself: the address has changed, and the held link may be gone with the old page (a
  // detached link, clicked, loads its page anew). Otherwise the click is made again; the list
  // having arrived does not mean the theme has read it (a busy device takes a moment longer).
  // The theme cancels a click it takes, on the body; one that reaches the window uncancelled
  // was not taken, so it is held and tried again, and only the last try goes through as is.
  function replay(link, retries) {
    if (!link.isConnected || here(new URL(link.href, location.href))) return;
    const taken = (event) => {
      if (event.defaultPrevented) themeTakes = true;
      if (event.defaultPrevented || retries <= 0) return;
      event.preventDefault();
      setTimeout(() => replay(link, retries - 1), 100);
    };
    window.addEventListener("click", taken, { once: true });
    released = link;
    link.click(); // dispatched at once: taken has run, unless a listener stopped the click on its way
    released = null;
    window.removeEventListener("click", taken);
  }

  // The list having arrived does not mean the theme has read it: it reads it a moment later,
  // and a click it sees before then it takes only then, too late to stop the browser loading
  // the page anew (seen in a test run: the list in at 663 ms, shown to this script at 760 ms,
  // a click at 768 ms, the theme taking it at 783 ms). So until the theme has taken a click,
  // one that reaches the window untaken is held and made again, as a replayed one is.
  function unlessTaken(event, link) {
    window.addEventListener("click", (seen) => {
      if (seen !== event) return;
      if (event.defaultPrevented) {
        themeTakes = true;
        return;
      }
      event.preventDefault();
      setTimeout(() => replay(link, RETRIES), 100);
    }, { once: true });
  }

  // A plain left click on a link to another page of this site, made before the theme has run.
  // Held too after the theme has run, until it has read the site's list of pages.
  function holdClick(event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!link || link === released || link.target || link.hasAttribute("download")) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || here(url)) return;
    if (ready && sitemapRead()) return themeTakes ? undefined : unlessTaken(event, link);
    event.preventDefault();
    if (ready) return clickWhenNavigable(link);
    pending = link;
    run();
  }

  // A link to a place on this page, followed within 100 ms of a scroll: the theme's delayed save
  // of the offset can land on the entry the link has just made (its own, or the browser's jump),
  // and the theme, which first fetches the page again, then finds an offset there and scrolls back
  // to it instead of to the place (a reference, say). Likely on a slow link or a busy device. An
  // offset written into an entry that has none yet, and on which the page has not scrolled since
  // it was made, is the old entry's: it is not written.
  function keepFreshEntriesFresh() {
    let entered = -1; // when this page last made or went to another entry (never, yet)
    let scrolled = -1; // when the page last scrolled
    window.addEventListener("scroll", (event) => {
      if (event.target === document) scrolled = performance.now();
    }, { capture: true, passive: true });
    window.addEventListener("popstate", () => (entered = performance.now()), true);
    const push = history.pushState;
    const replace = history.replaceState;
    const isOffset = (state) => state !== null && typeof state === "object" && Object.keys(state).length === 2
      && typeof state.x === "number" && typeof state.y === "number";
    history.pushState = function (...args) {
      entered = performance.now();
      return push.apply(this, args);
    };
    history.replaceState = function (state, ...rest) {
      if (isOffset(state) && history.state === null && scrolled < entered) return undefined;
      return replace.call(this, state, ...rest);
    };
  }

  const hasCalculator = () => Boolean(globalThis.aihcalcWorker || document.querySelector("form[data-calculator]"));
  function start() {
    document.addEventListener("click", holdClick, true);
    if (!hasCalculator() || globalThis.aihcalcSettled) return run();
    document.addEventListener("aihcalc:settled", run, { once: true }); // calculators.js: answered or failed
    // Not at the very moment of the reader's first touch or key: that may be the start of a
    // jump within the page, and the theme, starting while the jump's events are still being
    // delivered, would take it for a navigation and load the page again.
    const soon = () => setTimeout(run, SETTLE_MS);
    for (const type of ["pointerdown", "keydown", "focusin", "wheel", "touchstart"]) {
      window.addEventListener(type, soon, { once: true, passive: true, capture: true });
    }
    setTimeout(run, LATEST_MS);
  }

  keepFreshEntriesFresh();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
