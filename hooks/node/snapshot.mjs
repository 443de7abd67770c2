// Build-time: a memory snapshot of Pyodide with aihcalc imported and warmed, and its check.
//
// usage: node snapshot.mjs make   <pyodide dir> <wheel> <warm.py> <snapshot out> <report out>
//        node snapshot.mjs verify <pyodide dir> <wheel> <packed snapshot> <empty zip> <report out>
//
// make: boots Pyodide, unpacks the wheel, runs warm.py's exercise() (every calculator's example,
// unit switch and export), seeds the random generators, zeroes the heap's free space and writes
// the snapshot. The report (JSON) holds the answers, the image's size, the Python version and
// what the zeroing did.
// verify: reads the snapshot from the file the site serves (gzip of the packed image:
// hooks/snapshot_image.py) with the browser's own reader (the static data put back from the
// WebAssembly file's data segments), restores it over an empty standard
// library with no wheel on disk, runs restored() and answers the same requests again, as the
// browser does; then checks the safety net (a module the snapshot lacks imports once the real
// library is written). hooks/snapshot.py compares.
//
// Both runs see the same fixed clock and fixed entropy, and the hash seed is 0, so two builds
// write the same bytes and the answers (some are dated) can be compared. The browser restores
// with its real clock and reseeds the generators (warm.py's restored()).
import nodeCrypto from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { dataSegments, readImage } from "../assets/snapshot-image.js";

// 2000-01-01: a date no schedule is ever built for, so a dated answer that leaked into the
// snapshot would stand out.
const EPOCH_MS = 946684800000;

function fixTheClockAndEntropy() {
  let ticks = 0;
  performance.now = () => (ticks += 0.001);
  Date.now = () => EPOCH_MS + Math.floor(ticks);
  let state = 0x2545f491;
  const fill = (view) => {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    for (let i = 0; i < bytes.length; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      bytes[i] = state & 0xff;
    }
    return view;
  };
  nodeCrypto.randomFillSync = fill;
  try {
    globalThis.crypto.getRandomValues = fill;
  } catch {
    // read-only in some Node versions; Pyodide uses randomFillSync under Node
  }
}

async function boot(pyodideDir, options) {
  const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
  const lock = JSON.parse(readFileSync(path.join(pyodideDir, "pyodide-lock.json"), "utf8"));
  return loadPyodide({
    indexURL: pyodideDir + path.sep,
    lockFileContents: { info: lock.info, packages: {} },
    env: { PYTHONHASHSEED: "0" },
    // The program's name (sys.executable, argv[0], the environment's "_") as in the browser, not
    // this script's path: the image then holds no path of the machine that built it, and builds
    // in two checkouts give the same bytes.
    _sysExecutable: "./this.program",
    stdout: (line) => process.stderr.write(`[python] ${line}\n`),
    stderr: (line) => process.stderr.write(`[python] ${line}\n`),
    ...options,
  });
}

// As the browser does: the package's files (its tables and evidence are read from them).
function install(pyodide, wheelPath) {
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
  pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel", { extractDir: sitePackages });
  return sitePackages;
}

// The heap's free space still holds whatever freed objects left there (about 1.8 MB of it), and
// it would travel in the snapshot like live data. So the allocator is asked for every free
// stretch it can give without taking new memory, each is filled with zeros and handed back:
// the allocator's own bookkeeping stays its own, nothing the interpreter uses is touched, and
// the packed image (hooks/snapshot_image.py) leaves the zeros out. Returns what it did, for the
// report: the free bytes before, the bytes zeroed, the image's non-zero bytes before and after.
function zeroFreeMemory(module) {
  const brk = () => module.HEAPU32[module._emscripten_get_sbrk_ptr() >>> 2];
  const nonZero = () => {
    let count = 0;
    for (const byte of module.HEAPU8) if (byte !== 0) count++;
    return count;
  };
  const info = module._malloc(64);
  module._mallinfo(info); // struct mallinfo: fordblks (free bytes) is its ninth int
  const before = module.HEAP32[(info >>> 2) + 8];
  module._free(info);
  const nonZeroBefore = nonZero();
  const held = [];
  let zeroed = 0;
  for (let size = 1 << 20; size >= 16; size >>= 1) {
    for (;;) {
      const end = brk();
      if (end + size + 65536 > module.HEAPU8.length) break; // the memory itself never grows
      const block = module._malloc(size);
      if (!block) break;
      if (brk() !== end) {
        module._free(block); // new space, zero already: nothing free of this size is left
        break;
      }
      module.HEAPU8.fill(0, block, block + size);
      held.push(block);
      zeroed += size;
    }
  }
  for (const block of held) module._free(block);
  return { before, zeroed, nonZeroBefore, nonZeroAfter: nonZero() };
}

async function make([pyodideDir, wheelPath, warmPath, snapshotPath, reportPath]) {
  const pyodide = await boot(pyodideDir, { _makeSnapshot: true });
  const sitePackages = install(pyodide, wheelPath);
  // warm.py becomes a module of its own, so the snapshot keeps restored() for the browser.
  pyodide.FS.writeFile(`${sitePackages}/_aihcalc_snapshot.py`, readFileSync(warmPath, "utf8"));
  pyodide.runPython("import importlib; importlib.invalidate_caches()");
  const report = JSON.parse(
    pyodide.runPython(`
import json, sys
import _aihcalc_snapshot as warm
json.dumps({"answers": warm.exercise(), "modules": len(sys.modules), "python": sys.version.split()[0]})
`),
  );
  report.generators = pyodide.runPython("warm.settle()");
  report.free = zeroFreeMemory(pyodide._module);
  const snapshot = pyodide.makeMemorySnapshot();
  writeFileSync(snapshotPath, snapshot);
  report.bytes = snapshot.byteLength;
  writeFileSync(reportPath, JSON.stringify(report));
}

// Some module of the standard library that the snapshot has not imported.
const UNLOADED = ["colorsys", "graphlib", "textwrap", "shlex"];

async function verify([pyodideDir, wheelPath, snapshotPath, emptyZipPath, reportPath]) {
  const packed = new Blob([readFileSync(snapshotPath)]).stream();
  // The static data is put back from the WebAssembly file's data segments, as in the browser.
  const wasm = new Blob([readFileSync(path.join(pyodideDir, "pyodide.asm.wasm"))]).stream();
  const snapshot = await readImage(packed.pipeThrough(new DecompressionStream("gzip")), dataSegments(wasm));
  const pyodide = await boot(pyodideDir, { _loadSnapshot: snapshot, stdLibURL: emptyZipPath });
  // What the browser's worker runs after a restore (hooks/assets/worker.js), which writes the
  // wheel's files only after the first answer: the answers must not need them.
  const generators = pyodide.runPython("import _aihcalc_snapshot; _aihcalc_snapshot.restored()");
  const report = JSON.parse(
    pyodide.runPython(`
import json, sys
import _aihcalc_snapshot as warm
json.dumps({"answers": warm.exercise(), "python": sys.version.split()[0]})
`),
  );
  report.generators = generators;
  install(pyodide, wheelPath);
  // The safety net: a module the snapshot lacks is missing until the real standard library is
  // written over the empty one, then it imports.
  pyodide.globals.set("candidates", UNLOADED);
  const missing = pyodide.runPython(`
name = next(n for n in candidates.to_py() if n not in sys.modules)
try:
    __import__(name)
    missing = None
except ModuleNotFoundError:
    missing = name
missing
`);
  const [major, minor] = pyodide.runPython("list(sys.version_info[:2])").toJs();
  pyodide.FS.writeFile(`/lib/python${major}${minor}.zip`, new Uint8Array(readFileSync(path.join(pyodideDir, "python_stdlib.zip"))));
  pyodide.runPython("warm.refresh_imports()");
  report.missingThenFound = missing ? pyodide.runPython(`__import__(missing).__name__`) : null;
  writeFileSync(reportPath, JSON.stringify(report));
}

const [command, ...args] = process.argv.slice(2);
fixTheClockAndEntropy();
if (command === "make" && args.length === 5) await make(args.map((a) => path.resolve(a)));
else if (command === "verify" && args.length === 5) await verify(args.map((a) => path.resolve(a)));
else {
  process.stderr.write("usage: node snapshot.mjs make|verify ... (see the comment at the top)\n");
  process.exit(2);
}
