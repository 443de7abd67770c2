// The calculator worker: restores Python from the build's memory snapshot (or, failing that,
// boots Pyodide), all from the site itself, unpacks the aihcalc wheel and answers {id, inputs}
// requests through aihcalc.bridge. It holds no medical logic: every number comes from the
// Python package.

// The runtime (where Python's files are, and their sizes): the build writes it here in place of
// an import of runtime.js (hooks/bundle.py: worker_script), so that the worker asks for nothing
// before Python's own files.
import runtime from "./runtime.js";
import { readImage, dataSegments } from "./snapshot-image.js";

let bridge = null;
let booting = null;
// When each step of the boot ended, in milliseconds since the epoch (the page's clock and the
// worker's have different origins): benchmarks/boot.py prints where the time goes.
const marks = { worker: performance.timeOrigin + performance.now() };
const mark = (name) => (marks[name] = performance.timeOrigin + performance.now());
let phase = "";
const download = { received: 0, expected: 0 };
let lastReport = 0;

function progress(step, text) {
  phase = text;
  self.postMessage({ type: "progress", step, total: 4, text, ...download });
}

// The wasm is compiled as it downloads from the first moment of the boot. Pyodide would fetch
// and compile it only once the snapshot is in (it waits for the snapshot before it
// instantiates), so its own fetch of the file gets a placeholder, and its instantiation takes
// the module compiled here. With no early compile, both pass straight through.
const EARLY_WASM = "x-aihcalc-early-wasm";
let earlyWasm = null; // { url, module: Promise<WebAssembly.Module> }

// With a snapshot to restore, the download is also read for the file's data segments, which
// put the snapshot's static data back (snapshot-image.js): the promise of them is returned.
function compileEarly(url, fetchWasm, withSegments) {
  const download = fetchWasm(url); // before earlyWasm is set: this one fetch is real
  const split = download.then((response) => {
    if (!withSegments || !response.ok || !response.body) return { response, scan: null };
    const [compile, scan] = response.body.tee();
    const { status, statusText, headers } = response;
    return { response: new Response(compile, { status, statusText, headers }), scan };
  });
  const module = WebAssembly.compileStreaming(split.then(({ response }) => response));
  module.then(() => mark("wasm compiled"), () => {}); // on failure, Pyodide's own fetch goes ahead and reports it
  const segments = split.then(({ scan }) => {
    if (!scan) throw new Error("the WebAssembly file could not be read for the snapshot");
    return dataSegments(scan);
  });
  segments.catch(() => {}); // reported by the snapshot's reader, which then gives way to a start
  earlyWasm = { url, module };
  const instantiateStreaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const response = await source;
    if (!response.headers || !response.headers.get(EARLY_WASM)) return instantiateStreaming(response, imports);
    const compiled = await earlyWasm.module;
    return { module: compiled, instance: await WebAssembly.instantiate(compiled, imports) };
  };
  return segments;
}

function placeholderFor(url) {
  if (!earlyWasm || String(url) !== earlyWasm.url) return null;
  return earlyWasm.module.then(
    () => new Response("", { headers: { [EARLY_WASM]: "1", "Content-Type": "application/wasm" } }),
    () => null,
  );
}

// Every download of the boot (the wasm, the standard library, the wheel...) passes through this
// fetch, which counts bytes as they arrive, so the page can show real progress and tell a slow
// link (bytes still arriving) from a dead one.
function countBytes(realFetch) {
  return async (...args) => {
    const placeholder = await placeholderFor(args[0]);
    if (placeholder) return placeholder;
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

// The snapshot is a gzip the build made of the memory image's non-zero stretches, inflated and
// put in place here as it arrives, so it travels small whatever the host's compression. (A host
// that sent it with Content-Encoding has inflated it already: then its first bytes are the
// packed image's own, not gzip's.)
async function fetchSnapshot(url, segments) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the Python snapshot (${url}) answered HTTP ${response.status}`);
  const reader = response.body.getReader();
  const first = await reader.read();
  if (first.done) throw new Error(`the Python snapshot (${url}) is empty`);
  mark("snapshot first bytes");
  const body = new ReadableStream({
    start(controller) {
      controller.enqueue(first.value);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  const gzipped = first.value[0] === 0x1f && first.value[1] === 0x8b;
  const stream = gzipped ? body.pipeThrough(new DecompressionStream("gzip")) : body;
  const image = await readImage(stream, segments);
  mark("snapshot inflated");
  return image;
}

let pyodide = null;
let fullStdlib = null; // the standard library, once fetched after a restore (see withRuntime)
let stdlibUrl = "";
let wheelBytes = null;
let unpacked = null; // the wheel's files written, once asked for (see unpackSoon)

function unpack() {
  unpacked ??= wheelBytes.then((bytes) => {
    const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
    pyodide.unpackArchive(new Uint8Array(bytes), "wheel", { extractDir: sitePackages });
  });
  return unpacked;
}

// A restored interpreter has imported the calculators and read their data already, so the
// wheel's files are written after the first answer, not before it (withRuntime covers a
// request that needs them sooner).
function unpackSoon() {
  if (!unpacked && pyodide) setTimeout(() => unpack().catch(() => {}), 0);
}

// Python restored from the build's memory snapshot (aihcalc already imported and warmed: see
// hooks/snapshot.py), over an empty standard library. False when it cannot be used (no
// snapshot, a failed download, a Pyodide build it does not fit): the caller starts Python.
async function restore(loadPyodide, common, config, image) {
  if (!image) return false;
  try {
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
  const segments = compileEarly(config.pyodideBase + "pyodide.asm.wasm", self.fetch, Boolean(config.snapshotUrl));
  stdlibUrl = config.pyodideBase + "python_stdlib.zip";
  progress(1, "downloading Python");
  // Everything at once: the wasm (above), the calculators, the snapshot and Pyodide's two
  // modules download together.
  wheelBytes = fetchBytes(config.wheelUrl, "the calculators");
  const image = config.snapshotUrl ? fetchSnapshot(config.snapshotUrl, segments) : null;
  const emscripten = import(config.pyodideBase + "pyodide.asm.mjs");
  for (const pending of [wheelBytes, image, emscripten]) pending?.catch(() => {}); // reported where awaited
  const { loadPyodide } = await import(config.pyodideBase + "pyodide.mjs");
  mark("pyodide.mjs");
  const common = {
    indexURL: config.pyodideBase,
    createPyodideModule: (await emscripten).default,
    lockFileContents: config.lock, // inline: no request for the 120 kB lock file
    stdout: () => {},
    stderr: (line) => console.warn("[python]", line),
  };
  const restored = await restore(loadPyodide, common, config, image);
  if (!restored) {
    download.expected = download.received + (config.freshBytes || 0);
    pyodide = await loadPyodide(common);
    fullStdlib = Promise.resolve(); // a started interpreter has the whole library
  }
  mark("python");
  progress(2, "starting Python");
  if (restored) {
    await wheelBytes; // a missing wheel fails the boot here, as when Python is started
    pyodide.runPython("import _aihcalc_snapshot; _aihcalc_snapshot.restored()"); // reseeds random
  } else {
    progress(3, "loading the calculators");
    await unpack();
  }
  bridge = pyodide.pyimport("aihcalc.bridge");
  mark("calculators");
  const version = pyodide.runPython("import aihcalc, sys; f'aihcalc {aihcalc.__version__} on Python {sys.version.split()[0]}'");
  progress(4, "ready");
  return { version, how: restored ? "restored" : "started" };
}

// A restored interpreter has every module and file the calculators' examples use, but no
// standard library and (until after the first answer) no wheel on disk. Should a rare path need
// a file or module it lacks, write the wheel, fetch the library, make both visible and answer
// again.
async function withRuntime(call) {
  try {
    return call();
  } catch (error) {
    const missing = error && (error.type === "ModuleNotFoundError" || error.type === "FileNotFoundError");
    if (!missing || (unpacked && fullStdlib)) throw error;
    await unpack();
    fullStdlib ??= fetchBytes(stdlibUrl, "the standard library").then((bytes) => {
      const [major, minor] = pyodide.runPython("import sys; list(sys.version_info[:2])").toJs();
      pyodide.FS.writeFile(`/lib/python${major}${minor}.zip`, new Uint8Array(bytes));
    });
    await fullStdlib;
    pyodide.runPython("import _aihcalc_snapshot; _aihcalc_snapshot.refresh_imports()");
    return call();
  }
}

// Where the runtime is, relative to this script (the build wrote it in, above).
function configuration() {
  const address = (path) => (path ? new URL(path, import.meta.url).href : "");
  return {
    pyodideBase: address(runtime.pyodide),
    wheelUrl: address(runtime.wheel),
    snapshotUrl: address(runtime.snapshot),
    emptyStdlibUrl: address(runtime.emptyStdlib),
    lock: runtime.lock,
    expectedBytes: runtime.bytes ?? 0,
    freshBytes: runtime.freshBytes ?? 0,
  };
}

// The boot starts as soon as the worker exists (a calculator page creates it from its head,
// before the page is parsed); the page learns the outcome by sending "boot", whenever it is
// ready to listen, so no answer is lost to a page that was still loading.
booting = boot(configuration());
booting.catch(() => {}); // reported in answer to "boot"

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type === "boot") {
    try {
      const { version, how } = await booting;
      self.postMessage({ type: "ready", version, how, marks });
    } catch (error) {
      self.postMessage({ type: "failed", text: String(error && error.message ? error.message : error) });
    }
    return;
  }
  if (message.type === "convert" || message.type === "export") {
    const answer = bridge
      ? await withRuntime(() => bridge[message.type](JSON.stringify(message.request)))
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
        answer = await withRuntime(() => bridge.handle(JSON.stringify({ id: message.id, inputs: message.inputs })));
      } catch (error) {
        answer = JSON.stringify({ ok: false, error: { field: null, reason: `internal error: ${error.message}` } });
      }
    }
    self.postMessage({ type: "result", seq: message.seq, answer });
    unpackSoon();
  }
};
