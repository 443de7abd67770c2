// Run request vectors through aihcalc.bridge.handle inside Pyodide under Node.
//
// usage: node run_vectors.mjs <pyodide dir> <wheel path> <vectors.json> <out.json>
//
// vectors.json holds a list whose items are request JSON strings (sent as they are) or
// request objects (sent as JSON.stringify of the object). out.json receives the list of
// answers, one string per vector, in order. Stdout gets one JSON line describing the
// runtime (Python and Pyodide versions, where aihcalc was imported from, the count).
// No network: Pyodide loads from the local npm package and the wheel from disk.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

async function main(argv) {
  if (argv.length !== 4) {
    throw new Error("usage: node run_vectors.mjs <pyodide dir> <wheel path> <vectors.json> <out.json>");
  }
  const [pyodideDir, wheelPath, vectorsPath, outPath] = argv.map((p) => path.resolve(p));
  const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
  // Pyodide may print on startup; keep stdout for our one line of JSON.
  const pyodide = await loadPyodide({
    indexURL: pyodideDir + path.sep,
    stdout: (msg) => process.stderr.write(`[pyodide stdout] ${msg}\n`),
    stderr: (msg) => process.stderr.write(`[pyodide stderr] ${msg}\n`),
  });

  const sitePackages = pyodide.runPython(
    "import sysconfig\n" +
      "try:\n" +
      "    import site; _sp = site.getsitepackages()[0]\n" +
      "except Exception:\n" +
      "    _sp = sysconfig.get_paths()['purelib']\n" +
      "_sp",
  );
  // Under Node, unpackArchive wants a Uint8Array, not a Buffer.
  const wheel = new Uint8Array(readFileSync(wheelPath));
  pyodide.unpackArchive(wheel, "wheel", { extractDir: sitePackages });

  pyodide.runPython(`
import importlib, sys
importlib.invalidate_caches()
import aihcalc
from aihcalc.bridge import handle

def _answer(request_json):
    # The same wrapper runs on the CPython side: an exception becomes a comparable string.
    try:
        return handle(request_json)
    except Exception as exc:
        return "!exception " + type(exc).__name__ + ": " + str(exc)
`);
  const answer = pyodide.globals.get("_answer");

  const vectors = JSON.parse(readFileSync(vectorsPath, "utf8"));
  if (!Array.isArray(vectors)) throw new Error(`${vectorsPath}: expected a JSON list of requests`);
  const answers = [];
  for (const vector of vectors) {
    const request = typeof vector === "string" ? vector : JSON.stringify(vector);
    answers.push(answer(request));
  }
  answer.destroy();
  writeFileSync(outPath, JSON.stringify(answers));

  const info = {
    python: pyodide.runPython("import sys; sys.version"),
    platform: pyodide.runPython("import sys; sys.platform"),
    pyodide: pyodide.version,
    aihcalc_file: pyodide.runPython("aihcalc.__file__"),
    aihcalc_version: pyodide.runPython("aihcalc.__version__"),
    site_packages: sitePackages,
    count: answers.length,
  };
  process.stdout.write(JSON.stringify(info) + "\n");
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`run_vectors.mjs: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  },
);
