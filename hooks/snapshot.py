"""The Python memory snapshot: an interpreter with aihcalc imported, restored in the browser
instead of started.

Starting CPython in WebAssembly and importing the calculators takes the browser about two
seconds on a small machine; restoring a snapshot of the same memory takes a fraction of that
(benchmarks/boot.py measures both). Pyodide's snapshot API is private: a snapshot fits only
the exact Pyodide build that made it, and the browser falls back to an ordinary start when
one cannot be used (hooks/assets/worker.js). So the build:

1. runs hooks/node/snapshot.mjs under Node with the site's own Pyodide: boot, unpack the wheel,
   answer every calculator's example (hooks/snapshot_warm.py), zero the heap's free space (what
   freed objects left there would otherwise travel too), take the snapshot;
2. writes the file the site serves: the memory image (about 31 MB) without its long runs of
   zero bytes, its static data XORed with the WebAssembly file's data segments (which the
   browser downloads anyway and XORs back), gzipped (about 4.5 MB; hooks/snapshot_image.py).
   The browser inflates it itself, so the saving does not depend on the host's compression,
   and inflates only the 11 MB that are not zeros;
3. reads that file back with the browser's own reader, restores it over an empty standard
   library, as the browser does (every module the answers need is in memory; the browser
   fetches the real library only if a rare path imports a module the snapshot lacks), answers
   the same requests again and fails the build unless every answer is the same and that
   safety net works.

Two builds give the same bytes (fixed clock, entropy and hash seed while the snapshot is made);
results are cached under build/snapshot/ by a hash of everything they depend on.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import snapshot_image

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "node" / "snapshot.mjs"
WARM = HERE / "snapshot_warm.py"
PACKER = HERE / "snapshot_image.py"
READER = HERE / "assets" / "snapshot-image.js"
IMAGE = "python.snapshot"  # gzip of the packed memory image (not named .gz: no host may re-encode it)
EMPTY_ZIP = "empty.zip"  # the standard library the snapshot is restored over


class SnapshotError(RuntimeError):
    """The snapshot could not be made or did not answer as the interpreter it was taken from."""


@dataclass(frozen=True)
class Snapshot:
    """A snapshot's two files, in ``folder``, and what the build learnt making it."""

    folder: Path
    key: str
    image_bytes: int  # the memory image, inflated

    @property
    def image(self) -> Path:
        return self.folder / IMAGE

    @property
    def empty_zip(self) -> Path:
        return self.folder / EMPTY_ZIP

    def files(self) -> tuple[Path, Path]:
        return self.image, self.empty_zip


def key_of(pyodide_dir: Path, wheel: Path) -> str:
    """Everything a snapshot depends on: the runtime, the calculators and the two scripts."""
    digest = hashlib.sha256()
    for path in (
        pyodide_dir / "pyodide.asm.wasm", pyodide_dir / "pyodide.asm.mjs", pyodide_dir / "python_stdlib.zip",
        pyodide_dir / "pyodide-lock.json", wheel, WARM, SCRIPT, PACKER, READER,
    ):
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def make(pyodide_dir: Path, wheel: Path, cache_dir: Path, node: str | None = None) -> Snapshot:
    """The snapshot for this Pyodide and this wheel, from the cache or made and verified now."""
    node = node or shutil.which("node")
    if node is None:
        raise SnapshotError("node is not on PATH: the build needs Node 20 (it also installs Pyodide with npm ci)")
    key = key_of(pyodide_dir, wheel)
    folder = cache_dir / key
    done = folder / "report.json"
    if done.is_file():
        report = json.loads(done.read_text(encoding="utf-8"))
        return Snapshot(folder, key, report["bytes"])
    for old in cache_dir.glob("*"):
        shutil.rmtree(old, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="aihcalc-snapshot-") as tmp:
        work = Path(tmp)
        raw, made = work / "memory.bin", work / "made.json"
        _node(node, "make", pyodide_dir, wheel, WARM, raw, made)
        report = json.loads(made.read_text(encoding="utf-8"))
        staged = work / "out"
        staged.mkdir()
        write_empty_zip(staged / EMPTY_ZIP)
        try:
            base = snapshot_image.data_segments((pyodide_dir / "pyodide.asm.wasm").read_bytes())
        except snapshot_image.ImageError as exc:
            raise SnapshotError(f"the snapshot's static data cannot be left to pyodide.asm.wasm ({exc}): "
                                "this Pyodide lays out its data segments in a way hooks/snapshot_image.py does not read") from None
        snapshot_image.write(raw, staged / IMAGE, base=base)
        checked = work / "verified.json"
        _node(node, "verify", pyodide_dir, wheel, staged / IMAGE, staged / EMPTY_ZIP, checked)
        compare(report, json.loads(checked.read_text(encoding="utf-8")))
        summary = {k: report[k] for k in ("bytes", "modules", "python", "generators", "free")}
        (staged / "report.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
        folder.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staged), folder)
    return Snapshot(folder, key, report["bytes"])


def _node(node: str, *args: str | Path) -> None:
    cmd = [node, str(SCRIPT), *map(str, args)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise SnapshotError(f"making the Python snapshot failed ({' '.join(cmd[:3])}):\n{proc.stderr[-3000:]}")


def compare(made: dict, restored: dict) -> None:
    """Every answer of the restored interpreter equals the one given before the snapshot."""
    before, after = made["answers"], restored["answers"]
    if len(before) != len(after):
        raise SnapshotError(f"the restored snapshot answered {len(after)} requests, not {len(before)}")
    for index, (a, b) in enumerate(zip(before, after)):
        if a != b:
            raise SnapshotError(f"the restored snapshot answers request {index} differently:\nbefore: {a[:400]}\nafter:  {b[:400]}")
    if restored.get("generators", 0) < 1:
        raise SnapshotError("no random generator was reseeded after the restore")
    if not restored.get("missingThenFound"):
        raise SnapshotError("a module the snapshot lacks did not import once the standard library was written")


def write_empty_zip(out: Path) -> None:
    """A zip with no entries (22 bytes): the standard library the snapshot starts with."""
    with zipfile.ZipFile(out, "w"):
        pass

