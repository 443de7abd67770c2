// The calculator worker: boots Pyodide from the site itself, unpacks the aihcalc wheel and
// answers {id, inputs} requests through aihcalc.bridge. It holds no medical logic: every
// number comes from the Python package.

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

async function boot({ pyodideBase, wheelUrl, expectedBytes }) {
  download.expected = expectedBytes || 0;
  self.fetch = countBytes(self.fetch.bind(self));
  progress(1, "downloading Python");
  // Start fetching the wheel while Pyodide boots: the two downloads overlap.
  const wheelBytes = fetch(wheelUrl).then((response) => {
    if (!response.ok) throw new Error(`the calculators (${wheelUrl}) answered HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  const { loadPyodide } = await import(pyodideBase + "pyodide.mjs");
  const pyodide = await loadPyodide({
    indexURL: pyodideBase,
    stdout: () => {},
    stderr: (line) => console.warn("[python]", line),
  });
  progress(2, "starting Python");
  const bytes = new Uint8Array(await wheelBytes);
  progress(3, "loading the calculators");
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
  pyodide.unpackArchive(bytes, "wheel", { extractDir: sitePackages });
  bridge = pyodide.pyimport("aihcalc.bridge");
  const version = pyodide.runPython("import aihcalc, sys; f'aihcalc {aihcalc.__version__} on Python {sys.version.split()[0]}'");
  progress(4, "ready");
  return version;
}

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type === "boot") {
    if (!booting) booting = boot(message);
    try {
      const version = await booting;
      self.postMessage({ type: "ready", version });
    } catch (error) {
      self.postMessage({ type: "failed", text: String(error && error.message ? error.message : error) });
    }
    return;
  }
  if (message.type === "convert" || message.type === "export") {
    const answer = bridge
      ? bridge[message.type](JSON.stringify(message.request))
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
        answer = bridge.handle(JSON.stringify({ id: message.id, inputs: message.inputs }));
      } catch (error) {
        answer = JSON.stringify({ ok: false, error: { field: null, reason: `internal error: ${error.message}` } });
      }
    }
    self.postMessage({ type: "result", seq: message.seq, answer });
  }
};
