// The calculator worker: restores Python from the build's memory snapshot (or, failing that,
// boots Pyodide), all from the site itself, unpacks the aihcalc wheel and answers {id, inputs}
// requests through aihcalc.bridge. It holds no medical logic: every number comes from the
// Python package.

let bridge = null;
let booting = null;
let phase = "";
const download = { received: 0, expected: 0 };
let lastReport = 0;

function progress(step, text) {
  phase = text;
  self.postMessage({ type: "progress", step, total: 4, text, ...download });
}

// Every download of the boot (the wasm, the standard library, the wheel...) passes through this
// fetch, which counts bytes as they arrive, so the page can show real progress and tell a slow
// link (bytes still arriving) from a dead one.
function countBytes(realFetch) {
  return async (...args) => {
    const response = await realFetch(...args);
    if (!response.ok || !response.body) return response;
    const reader = response.body.getReader();
    const body = new ReadableStream({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          if (download.expected && download.received >= download.expected) {
            // Every byte is in: what is left is this device's work, so say so (not "downloading").
            self.postMessage({ type: "progress", text: "starting Python", ...download });
          }
          return;
        }
        download.received += value.byteLength;
        const now = Date.now();
        if (now - lastReport > 100) {
          lastReport = now;
          self.postMessage({ type: "progress", text: phase, ...download });
        }
        controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

function fetchBytes(url, what) {
  return fetch(url).then((response) => {
    if (!response.ok) throw new Error(`${what} (${url}) answered HTTP ${response.status}`);
    return response.arrayBuffer();
  });
}

// The snapshot is a gzip the build made; inflated here, so it arrives small whatever the host's
// compression. (A host that sent it with Content-Encoding has inflated it already.)
async function inflate(bytes) {
  const data = new Uint8Array(bytes);
  if (data[0] !== 0x1f || data[1] !== 0x8b) return data;
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

let pyodide = null;
let fullStdlib = null; // the standard library, once fetched after a restore (see withStdlib)
let stdlibUrl = "";

function unpack(bytes) {
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
  pyodide.unpackArchive(bytes, "wheel", { extractDir: sitePackages });
}

// Python restored from the build's memory snapshot (aihcalc already imported and warmed: see
// hooks/snapshot.py), over an empty standard library. False when it cannot be used (no
// snapshot, a failed download, a Pyodide build it does not fit): the caller starts Python.
async function restore(loadPyodide, common, config) {
  if (!config.snapshotUrl) return false;
  try {
    const image = fetchBytes(config.snapshotUrl, "the Python snapshot").then(inflate);
    pyodide = await loadPyodide({ ...common, _loadSnapshot: image, stdLibURL: config.emptyStdlibUrl });
    return true;
  } catch (error) {
    console.warn("The Python snapshot could not be used, so Python starts as usual:", error);
    return false;
  }
}

async function boot(config) {
  download.expected = config.expectedBytes || 0;
  self.fetch = countBytes(self.fetch.bind(self));
  stdlibUrl = config.pyodideBase + "python_stdlib.zip";
  progress(1, "downloading Python");
  // Start fetching the wheel while Pyodide boots: the downloads overlap.
  const wheelBytes = fetchBytes(config.wheelUrl, "the calculators");
  wheelBytes.catch(() => {}); // reported where it is awaited
  const { loadPyodide } = await import(config.pyodideBase + "pyodide.mjs");
  const common = {
    indexURL: config.pyodideBase,
    lockFileContents: config.lock, // inline: no request for the 120 kB lock file
    stdout: () => {},
    stderr: (line) => console.warn("[python]", line),
  };
  const restored = await restore(loadPyodide, common, config);
  if (!restored) {
    download.expected = download.received + (config.freshBytes || 0);
    pyodide = await loadPyodide(common);
    fullStdlib = Promise.resolve(); // a started interpreter has the whole library
  }
  progress(2, "starting Python");
  const bytes = new Uint8Array(await wheelBytes);
  progress(3, "loading the calculators");
  unpack(bytes);
  if (restored) pyodide.runPython("import _aihcalc_snapshot; _aihcalc_snapshot.restored()"); // reseeds random
  bridge = pyodide.pyimport("aihcalc.bridge");
  const version = pyodide.runPython("import aihcalc, sys; f'aihcalc {aihcalc.__version__} on Python {sys.version.split()[0]}'");
  progress(4, "ready");
  return { version, how: restored ? "restored" : "started" };
}

// A restored interpreter has every module the calculators' examples use, but no standard
// library on disk. Should a rare path import a module the snapshot lacks, fetch the library,
// make it visible and answer again.
async function withStdlib(call) {
  try {
    return call();
  } catch (error) {
    if (!error || error.type !== "ModuleNotFoundError" || fullStdlib) throw error;
    fullStdlib = fetchBytes(stdlibUrl, "the standard library").then((bytes) => {
      const [major, minor] = pyodide.runPython("import sys; list(sys.version_info[:2])").toJs();
      pyodide.FS.writeFile(`/lib/python${major}${minor}.zip`, new Uint8Array(bytes));
      pyodide.runPython("import _aihcalc_snapshot; _aihcalc_snapshot.refresh_imports()");
    });
    await fullStdlib;
    return call();
  }
}

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type === "boot") {
    if (!booting) booting = boot(message);
    try {
      const { version, how } = await booting;
      self.postMessage({ type: "ready", version, how });
    } catch (error) {
      self.postMessage({ type: "failed", text: String(error && error.message ? error.message : error) });
    }
    return;
  }
  if (message.type === "convert" || message.type === "export") {
    const answer = bridge
      ? await withStdlib(() => bridge[message.type](JSON.stringify(message.request)))
      : JSON.stringify({ ok: false, error: { field: null, reason: "Python is not ready yet" } });
    self.postMessage({ type: "result", seq: message.seq, answer });
    return;
  }
  if (message.type === "compute") {
    let answer;
    if (!bridge) {
      answer = JSON.stringify({ ok: false, error: { field: null, reason: "Python is not ready yet" } });
    } else {
      try {
        answer = await withStdlib(() => bridge.handle(JSON.stringify({ id: message.id, inputs: message.inputs })));
      } catch (error) {
        answer = JSON.stringify({ ok: false, error: { field: null, reason: `internal error: ${error.message}` } });
      }
    }
    self.postMessage({ type: "result", seq: message.seq, answer });
  }
};
