// The site's service worker: after one visit, every page and calculator works without a network.
//
// The build (hooks/offline.py) writes this file to the site root with the manifest filled in:
// the site version (a hash of every file's contents) and each file's address, size and SHA-256.
// All of a version's files live in one cache named after it, and every response this worker
// gives comes from that one cache, so a page never mixes files from two versions:
//
// - install: save every file, each fetched with its integrity (the bytes must be this
//   version's) or copied from an older version's cache when it has not changed;
// - a new version waits until the page says it may take over (assets/aihcalc/offline.js asks
//   at once unless the reader is typing into a calculator), then deletes every older cache
//   and the pages reload from the new one;
// - fetch: same-origin GETs of listed files come from the cache (pages too: the version check
//   is this file itself, which the browser fetches anew on every navigation and whenever
//   offline.js asks); anything else goes to the network untouched. Nothing is cached at run
//   time, and a response that is not OK is never saved.
//
// Under `mkdocs serve` the build writes this file with {"retire": true}: it deletes the saved
// copy and unregisters, so the live preview is never hidden behind a copy of a built site.

const OFFLINE = null;

const SCOPE = self.registration.scope;
const PREFIX = `aih-offline ${SCOPE} `; // one origin may host several sites: keep to ours
const CACHE = PREFIX + (OFFLINE.version || "retired");
const STATUS = new URL("aih-offline-status.json", SCOPE).href; // written last: the copy is complete
const FILES = new Map((OFFLINE.files || []).map((file) => [new URL(file.url, SCOPE).href, file]));
const PARALLEL = 4;

self.addEventListener("install", (event) => {
  if (OFFLINE.retire) {
    self.skipWaiting();
    return;
  }
  event.waitUntil(
    save().catch((error) => {
      tell({ type: "failed", version: OFFLINE.version, reason: String((error && error.message) || error) });
      throw error; // the install fails; the browser tries again on a later visit
    }),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name)));
      if (OFFLINE.retire) {
        await caches.delete(CACHE);
        await self.registration.unregister();
        const pages = await self.clients.matchAll({ type: "window" });
        await Promise.all(pages.map((page) => page.navigate(page.url).catch(() => null)));
        return;
      }
      await self.clients.claim();
      tell({ type: "status", ...(await status()) });
    })(),
  );
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "activate") {
    self.skipWaiting(); // the page is ready to reload from this version
  } else if (message.type === "status" && event.source) {
    event.waitUntil(status().then((found) => event.source.postMessage({ type: "status", ...found })));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (OFFLINE.retire || request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(SCOPE)) return;
  const navigate = request.mode === "navigate";
  const key = saved(url);
  if (!key && !navigate) return; // not part of the copy: the network, as without this worker
  event.respondWith(answer(request, key, navigate));
});

// The listed address a request stands for: the query (?h= from search) and fragment do not
// change the file; a page's folder may be asked for as .../index.html.
function saved(url) {
  const bare = url.origin + url.pathname;
  if (FILES.has(bare)) return bare;
  if (bare.endsWith("/index.html") && FILES.has(bare.slice(0, -"index.html".length))) return bare.slice(0, -"index.html".length);
  return null;
}

async function answer(request, key, navigate) {
  const url = new URL(request.url);
  if (!key && navigate && FILES.has(url.origin + url.pathname + "/")) {
    return Response.redirect(url.origin + url.pathname + "/" + url.search, 301); // a folder asked for without its slash
  }
  if (key) {
    const copy = await caches.open(CACHE).then((cache) => cache.match(key));
    if (copy) return copy;
  }
  try {
    return await fetch(request); // not saved (yet, or the browser cleared it): as without this worker
  } catch (error) {
    if (navigate) return notSaved(url);
    throw error;
  }
}

async function save() {
  const cache = await caches.open(CACHE);
  tell({ type: "saving", version: OFFLINE.version, bytes: OFFLINE.bytes });
  const older = await olderCopies();
  const queue = Array.from(FILES.entries());
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [href, file] = next;
      if (await cache.match(href)) continue; // saved by an earlier, interrupted install of this version
      const kept = await unchanged(older, href, file.integrity);
      await cache.put(href, kept || (await download(href, file.integrity)));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const files = Object.fromEntries(Array.from(FILES, ([href, file]) => [href, file.integrity])); // for the next version
  const done = { version: OFFLINE.version, package: OFFLINE.package, bytes: OFFLINE.bytes, saved: new Date().toISOString(), files };
  await cache.put(STATUS, new Response(JSON.stringify(done), { headers: { "Content-Type": "application/json" } }));
}

// The HTTP cache may already hold the file (the page has just fetched it); if that copy is not
// this version's, the integrity check fails and the network is asked for a fresh one.
async function download(href, integrity) {
  let failure = null;
  for (const cache of ["default", "reload"]) {
    try {
      const response = await fetch(href, { integrity, cache, credentials: "same-origin" });
      if (!response.ok) throw new Error(`${href} answered HTTP ${response.status}`);
      const body = await response.blob(); // checked against the integrity as it is read
      // A fresh response: never marked as redirected (a page navigation would refuse it), and
      // without the transfer's encoding and length, which the decoded body no longer has.
      const headers = new Headers(response.headers);
      headers.delete("Content-Encoding");
      headers.delete("Content-Length");
      return new Response(body, { status: 200, statusText: "OK", headers });
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}

// Older versions' copies on this device, with what each file held, to copy what is unchanged.
async function olderCopies() {
  const found = [];
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const cache = await caches.open(name);
    const listed = await cache.match(STATUS);
    const files = listed ? (await listed.json()).files : null;
    if (files) found.push({ cache, files });
  }
  return found;
}

async function unchanged(older, href, integrity) {
  for (const { cache, files } of older) {
    if (files[href] !== integrity) continue;
    const copy = await cache.match(href);
    if (copy) return copy;
  }
  return null;
}

async function status() {
  const cache = await caches.open(CACHE);
  const listed = await cache.match(STATUS);
  const done = listed ? await listed.json() : null;
  return { version: OFFLINE.version, package: OFFLINE.package, bytes: OFFLINE.bytes, complete: Boolean(done), saved: done ? done.saved : null };
}

async function tell(message) {
  const pages = await self.clients.matchAll({ includeUncontrolled: true });
  pages.forEach((page) => page.postMessage(message));
}

// A page that is not in the saved copy, asked for without a network: say so, in words.
function notSaved(url) {
  const home = SCOPE;
  const body = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Not saved on this device</title>
<body style="font-family: system-ui, sans-serif; max-width: 36em; margin: 2em auto; padding: 0 1em; line-height: 1.5">
<h1>Not saved on this device</h1>
<p>You are offline, and <code>${url.pathname.replace(/[<>&"]/g, "")}</code> is not part of the copy of this site saved on this device.</p>
<p><a href="${home}">Go to the home page</a>: every page listed there, and every calculator, works offline.</p>
</body></html>`;
  return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}
