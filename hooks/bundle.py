"""Bundling: the aihcalc wheel and the Pyodide runtime, copied into the site.

Everything the browser needs is served by the site itself, under versioned paths, so a
page never asks a third party for anything and a new release never meets a stale cache.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hooks.snapshot import Snapshot

PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
ASSET_DIR = "assets/aihcalc"
BROWSER_ASSETS = ("calculators.js", "audience.js", "offline.js", "copy.js", "theme-loader.js")
# Python's worker is written with the runtime's paths and sizes in place of its import of
# runtime.js: on a first visit that import was one more round trip before any of Python's files
# was asked for (benchmarks/boot.py --latency 150: the first answer about 140 ms sooner).
WORKER = "worker.js"
RUNTIME_IMPORT = 'import runtime from "./runtime.js";'
# Modules the worker imports that are written into it, for the same reason (each is also
# imported as it is by the build's Node scripts: one copy of the code for both).
WORKER_MODULES = ("snapshot-image.js",)
# The site's own styles, kept in three files by subject and served as one (mkdocs.yml's
# extra_css names it): two requests fewer on every page. Over HTTP/1.1 a page's first requests
# had outnumbered the six connections a browser opens to a host, and Python's worker script
# waited a round trip for one (benchmarks/boot.py --latency 150: a first visit's first answer
# about 140 ms sooner; no change on a local server). Embed pages take calculators.css on its own
# (hooks/embed.py).
STYLESHEET = "site.css"
STYLESHEET_PARTS = ("theme.css", "calculators.css", "content.css")
# Everything the build puts in assets/aihcalc/ besides the wheel: copied, joined or written.
OWN_FILES = (*BROWSER_ASSETS, STYLESHEET, WORKER)


class BundleError(RuntimeError):
    """A build prerequisite is missing; the message says which command fixes it."""


@dataclass(frozen=True)
class Runtime:
    """Where the browser finds Python and the calculators, relative to the site root.

    ``snapshot`` and ``empty_stdlib`` (hooks/snapshot.py) are empty when the build made no
    snapshot; the worker then starts Python as usual.
    """

    pyodide_version: str
    pyodide_dir: str
    wheel: str
    bytes: int = 0  # what the boot downloads by fetch (not the two .mjs modules): the progress total
    snapshot: str = ""
    empty_stdlib: str = ""
    fresh_bytes: int = 0  # the same when Python starts without the snapshot
    lock_info: dict[str, str] = field(default_factory=dict)  # pyodide-lock.json's "info"

    def data(self, module_dir: str = ASSET_DIR) -> dict[str, Any]:
        """Where the worker in ``module_dir`` finds everything (the site's assets, or an embed's own).

        Paths are relative to the worker script itself, so any page depth works. The lock file
        travels inside: no package is installed, so its 120 kB list of packages is left out.
        """
        def rel(path: str) -> str:
            return posixpath.relpath(path, module_dir) if path else ""

        return {
            "pyodideVersion": self.pyodide_version,
            "pyodide": rel(self.pyodide_dir) + "/",
            "wheel": rel(self.wheel),
            "bytes": self.bytes,
            "snapshot": rel(self.snapshot),
            "emptyStdlib": rel(self.empty_stdlib),
            "freshBytes": self.fresh_bytes,
            "lock": {"info": self.lock_info, "packages": {}},
        }

    def files(self) -> list[str]:
        """Every file of the runtime, relative to the site root: what a calculator needs offline."""
        own = [f"{ASSET_DIR}/{name}" for name in OWN_FILES]
        snapshot = [f for f in (self.snapshot, self.empty_stdlib) if f]
        return [*(f"{self.pyodide_dir}/{name}" for name in PYODIDE_FILES), self.wheel, *snapshot, *own]

    def moved(self, folder: str) -> "Runtime":
        """The same runtime copied under ``folder`` (an embed version's own copy)."""
        def under(path: str) -> str:
            return f"{folder}/{path}" if path else ""

        return replace(
            self, pyodide_dir=under(self.pyodide_dir), wheel=under(self.wheel),
            snapshot=under(self.snapshot), empty_stdlib=under(self.empty_stdlib),
        )


def pyodide_version(node_modules: Path) -> str:
    package = node_modules / "pyodide" / "package.json"
    if not package.is_file():
        raise BundleError(
            f"{package} is missing: the Pyodide runtime is not installed; run npm ci "
            "(or make build, which runs it) in the project folder"
        )
    return str(json.loads(package.read_text(encoding="utf-8"))["version"])


WHEEL_EPOCH = "315532800"  # 1980-01-01, the earliest time a zip entry can hold


def build_wheel(project_dir: Path, out_dir: Path) -> Path:
    """Build the aihcalc wheel with the PyPA ``build`` front end.

    No isolation (the build runs offline, with the venv's setuptools), and from a copy of the
    sources, so concurrent builds never share ``build/`` or ``*.egg-info`` in the work tree.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("aihcalc-*.whl"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="aihcalc-wheel-") as tmp:
        staging = Path(tmp)
        for name in ("pyproject.toml", "README.md"):
            if (project_dir / name).is_file():
                shutil.copy2(project_dir / name, staging / name)
        shutil.copytree(
            project_dir / "src", staging / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
        )
        cmd = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out_dir.resolve())]
        # Zip entries take this time instead of the clock's, so two builds give the same bytes.
        env = {**os.environ, "SOURCE_DATE_EPOCH": WHEEL_EPOCH}
        proc = subprocess.run(cmd, cwd=staging, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise BundleError(f"building the aihcalc wheel failed:\n{proc.stdout}\n{proc.stderr}")
    wheels = sorted(out_dir.glob("aihcalc-*.whl"))
    if len(wheels) != 1:
        raise BundleError(f"expected one aihcalc wheel in {out_dir}, found {len(wheels)}")
    return wheels[0]


SNAPSHOT_DIR = "assets/python"


def bundle_runtime(project_dir: Path, site_dir: Path, wheel: Path, snapshot: Snapshot | None = None) -> Runtime:
    """Copy Pyodide, the wheel, the snapshot (if any) and the browser assets into ``site_dir``."""
    node_modules = project_dir / "node_modules"
    version = pyodide_version(node_modules)
    pyodide_dir = f"assets/pyodide/{version}"
    target = site_dir / pyodide_dir
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        source = node_modules / "pyodide" / name
        if not source.is_file():
            raise BundleError(f"{source} is missing from the Pyodide package; run npm ci")
        copy_if_changed(source, target / name)
    assets = site_dir / ASSET_DIR
    assets.mkdir(parents=True, exist_ok=True)
    copy_if_changed(wheel, assets / wheel.name)
    for name in BROWSER_ASSETS:
        copy_if_changed(Path(__file__).parent / "assets" / name, assets / name)
    write_if_changed(assets / STYLESHEET, stylesheet(Path(__file__).parent / "assets"))
    size = {name: (target / name).stat().st_size for name in PYODIDE_FILES}
    fresh = size["pyodide.asm.wasm"] + size["python_stdlib.zip"] + wheel.stat().st_size  # the lock is inline
    lock = json.loads((target / "pyodide-lock.json").read_text(encoding="utf-8"))
    runtime = Runtime(version, pyodide_dir, f"{ASSET_DIR}/{wheel.name}", fresh, fresh_bytes=fresh, lock_info=lock["info"])
    if snapshot is not None:
        # Named by the hash of what it was made from: a new build never meets a stale copy.
        folder = f"{SNAPSHOT_DIR}/{snapshot.key}"
        (site_dir / folder).mkdir(parents=True, exist_ok=True)
        for old in (site_dir / SNAPSHOT_DIR).iterdir():
            if old.name != snapshot.key:
                shutil.rmtree(old)
        for path in snapshot.files():
            copy_if_changed(path, site_dir / folder / path.name)
        image, empty = (f"{folder}/{path.name}" for path in snapshot.files())
        restored = size["pyodide.asm.wasm"] + snapshot.image.stat().st_size + snapshot.empty_zip.stat().st_size + wheel.stat().st_size
        runtime = replace(runtime, snapshot=image, empty_stdlib=empty, bytes=restored)
    write_if_changed(assets / WORKER, worker_script(runtime.data()))
    return runtime


def worker_script(runtime: dict[str, Any], source: Path = Path(__file__).parent / "assets" / WORKER) -> str:
    """hooks/assets/worker.js with ``runtime`` written in place of its import of runtime.js, and
    each of WORKER_MODULES (beside it) in place of its import."""
    text = source.read_text(encoding="utf-8")
    if text.count(RUNTIME_IMPORT) != 1:
        raise BundleError(f"{source} must hold the line {RUNTIME_IMPORT!r} once: the build writes the runtime there")
    text = text.replace(RUNTIME_IMPORT, f"const runtime = {json.dumps(runtime, indent=2)};")
    for name in WORKER_MODULES:
        line = re.compile(rf'^import \{{[\w, ]+\}} from "\./{re.escape(name)}";$', re.MULTILINE)
        if len(line.findall(text)) != 1:
            raise BundleError(f'{source} must import {name} once (import {{ ... }} from "./{name}";): the build writes it there')
        body = inlined_module(source.parent / name)
        text = line.sub(lambda _: body, text)
    return text


def inlined_module(path: Path) -> str:
    """A module's text as plain declarations: its ``export`` keywords dropped. It may import
    nothing, since nothing else is written in with it."""
    text = path.read_text(encoding="utf-8")
    if re.search(r"^\s*import[\s{*]", text, re.MULTILINE):
        raise BundleError(f"{path} imports another module: the worker cannot take it in as it is")
    return re.sub(r"^export (?=(async )?function |const |let |class )", "", text, flags=re.MULTILINE).rstrip("\n")


def runtime_of(worker: str) -> dict[str, Any]:
    """The runtime a built worker script carries (for tests and benchmarks)."""
    found = re.search(r"^const runtime = (\{.*?^\});$", worker, re.MULTILINE | re.DOTALL)
    if not found:
        raise ValueError("no runtime in this worker script")
    return json.loads(found[1])


def stylesheet(source_dir: Path) -> str:
    """The site's stylesheet: its parts in order (later rules win, as when they were three
    files), each under a comment naming the file to edit."""
    return "".join(
        f"/* {name} (hooks/assets/{name}) */\n{(source_dir / name).read_text(encoding='utf-8').rstrip()}\n\n"
        for name in STYLESHEET_PARTS
    )


def write_if_changed(target: Path, text: str) -> None:
    """Write unless the target already holds ``text``: rebuilds stay quick."""
    if not (target.exists() and target.read_text(encoding="utf-8") == text):
        target.write_text(text, encoding="utf-8")


def copy_if_changed(source: Path, target: Path) -> None:
    """Copy unless the target is already this file (same size, not older): rebuilds stay quick."""
    if target.exists():
        s, t = source.stat(), target.stat()
        if s.st_size == t.st_size and s.st_mtime <= t.st_mtime:
            return
    shutil.copy2(source, target)
