// The calculator worker: boots Pyodide from the site itself, unpacks the aihcalc wheel and
// answers {id, inputs} requests through aihcalc.bridge. It holds no medical logic: every
// number comes from the Python package.

let bridge = null;
let booting = null;

function progress(step, text) {
  self.postMessage({ type: "progress", step, total: 4, text });
}

async function boot({ pyodideBase, wheelUrl }) {
  progress(1, "Downloading the Python runtime…");
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
  progress(2, "Starting Python…");
  const bytes = new Uint8Array(await wheelBytes);
  progress(3, "Loading the calculators…");
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
  pyodide.unpackArchive(bytes, "wheel", { extractDir: sitePackages });
  bridge = pyodide.pyimport("aihcalc.bridge");
  const version = pyodide.runPython("import aihcalc, sys; f'aihcalc {aihcalc.__version__} on Python {sys.version.split()[0]}'");
  progress(4, "Ready");
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
