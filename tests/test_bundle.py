"""Bundling: the wheel and the Pyodide runtime land in versioned paths of the site."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from hooks import bundle, snapshot
from tests.conftest import PROJECT_ROOT, skip_or_fail

ROOT = Path(__file__).resolve().parent.parent


def test_missing_node_modules_says_run_npm_ci(tmp_path: Path) -> None:
    with pytest.raises(bundle.BundleError, match="run npm ci"):
        bundle.pyodide_version(tmp_path / "node_modules")


def test_pyodide_version_is_the_pinned_one() -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    pinned = lock["packages"]["node_modules/pyodide"]["version"]
    assert pinned == "314.0.7"
    if (ROOT / "node_modules" / "pyodide").is_dir():
        assert bundle.pyodide_version(ROOT / "node_modules") == pinned


def test_wheel_holds_the_package_and_only_it(aihcalc_wheel: Path) -> None:
    names = zipfile.ZipFile(aihcalc_wheel).namelist()
    assert "aihcalc/spec.py" in names and "aihcalc/bridge.py" in names
    assert any(n.startswith("aihcalc/calculators/") for n in names)
    assert not [n for n in names if n.startswith(("hooks/", "tests/"))]


def test_bundle_runtime_copies_everything_the_browser_needs(tmp_path: Path, aihcalc_wheel: Path) -> None:
    if not (ROOT / "node_modules" / "pyodide").is_dir():
        skip_or_fail("node_modules missing: run npm ci")
    runtime = bundle.bundle_runtime(ROOT, tmp_path, aihcalc_wheel)
    assert runtime.pyodide_dir == f"assets/pyodide/{runtime.pyodide_version}"
    for name in bundle.PYODIDE_FILES:
        assert (tmp_path / runtime.pyodide_dir / name).is_file(), name
    assert (tmp_path / runtime.wheel).is_file()
    for name in bundle.OWN_FILES:
        assert (tmp_path / bundle.ASSET_DIR / name).is_file(), name
    # The worker carries the runtime: it imports nothing before Python's own files.
    worker = (tmp_path / bundle.ASSET_DIR / bundle.WORKER).read_text()
    assert not re.search(r"^import ", worker, re.MULTILINE) and not (tmp_path / bundle.ASSET_DIR / "runtime.js").exists()
    data = bundle.runtime_of(worker)
    # Paths are relative to assets/aihcalc/, where the module lives.
    assert (tmp_path / bundle.ASSET_DIR / data["pyodide"] / "pyodide.mjs").resolve().is_file()
    assert (tmp_path / bundle.ASSET_DIR / data["wheel"]).is_file()
    # The progress total is what the boot fetches: the wasm, the standard library and the wheel
    # (the two .mjs modules are imported, not fetched through the counter; the lock is inline).
    fetched = ["pyodide.asm.wasm", "python_stdlib.zip"]
    expected = sum((tmp_path / runtime.pyodide_dir / n).stat().st_size for n in fetched) + aihcalc_wheel.stat().st_size
    assert data["bytes"] == expected == runtime.bytes == data["freshBytes"]
    # Without a snapshot the worker starts Python; the lock file travels without its packages.
    assert data["snapshot"] == "" and data["emptyStdlib"] == ""
    lock = json.loads((tmp_path / runtime.pyodide_dir / "pyodide-lock.json").read_text())
    assert data["lock"] == {"info": lock["info"], "packages": {}}


def test_a_snapshot_is_copied_under_its_hash_and_counted(tmp_path: Path, aihcalc_wheel: Path) -> None:
    if not (ROOT / "node_modules" / "pyodide").is_dir():
        skip_or_fail("node_modules missing: run npm ci")
    made = tmp_path / "made" / "0123456789abcdef"
    made.mkdir(parents=True)
    (made / snapshot.IMAGE).write_bytes(b"\x1f\x8b" + bytes(1000))
    snapshot.write_empty_zip(made / snapshot.EMPTY_ZIP)
    image = snapshot.Snapshot(made, "0123456789abcdef", 31_000_000)
    site = tmp_path / "site"
    (site / bundle.SNAPSHOT_DIR / "stale0000000000").mkdir(parents=True)  # an older build's
    runtime = bundle.bundle_runtime(ROOT, site, aihcalc_wheel, image)
    assert runtime.snapshot == f"{bundle.SNAPSHOT_DIR}/0123456789abcdef/{snapshot.IMAGE}"
    assert (site / runtime.snapshot).read_bytes() == (made / snapshot.IMAGE).read_bytes()
    assert (site / runtime.empty_stdlib).stat().st_size == 22
    assert not (site / bundle.SNAPSHOT_DIR / "stale0000000000").exists()
    assert runtime.snapshot in runtime.files() and runtime.empty_stdlib in runtime.files()  # offline too
    data = bundle.runtime_of((site / bundle.ASSET_DIR / bundle.WORKER).read_text())
    assert (site / bundle.ASSET_DIR / data["snapshot"]).resolve() == (site / runtime.snapshot).resolve()
    # Restored: the wasm, the snapshot, the empty library and the wheel; no standard library.
    wasm = (site / runtime.pyodide_dir / "pyodide.asm.wasm").stat().st_size
    assert data["bytes"] == wasm + 1002 + 22 + aihcalc_wheel.stat().st_size
    assert data["freshBytes"] > data["bytes"] - 1002  # starting Python fetches the library instead
    moved = runtime.moved("embed/0.1.0")
    assert moved.snapshot == f"embed/0.1.0/{runtime.snapshot}" and moved.bytes == runtime.bytes


def test_two_wheel_builds_are_byte_identical(tmp_path: Path, aihcalc_wheel: Path) -> None:
    """Zip timestamps come from a fixed epoch, not the clock: a rebuild changes no byte."""
    import time

    time.sleep(2.1)  # a zip timestamp has 2-second resolution: a clock-stamped rebuild would differ
    again = bundle.build_wheel(PROJECT_ROOT, tmp_path / "again")
    assert again.read_bytes() == aihcalc_wheel.read_bytes()


def test_the_stylesheet_holds_its_parts_in_order_each_under_its_name(tmp_path: Path) -> None:
    """Served as one file, the rules cascade as they did from three: theme, calculators, content."""
    for name, rule in zip(bundle.STYLESHEET_PARTS, (".a { order: 1; }", ".b { order: 2; }", ".c { order: 3; }")):
        (tmp_path / name).write_text(f"{rule}\n\n", encoding="utf-8")
    text = bundle.stylesheet(tmp_path)
    assert text == (
        "/* theme.css (hooks/assets/theme.css) */\n.a { order: 1; }\n\n"
        "/* calculators.css (hooks/assets/calculators.css) */\n.b { order: 2; }\n\n"
        "/* content.css (hooks/assets/content.css) */\n.c { order: 3; }\n\n"
    )


def test_the_stylesheet_is_rewritten_only_when_it_changes(tmp_path: Path) -> None:
    target = tmp_path / bundle.STYLESHEET
    bundle.write_if_changed(target, "a {}\n")
    os.utime(target, (1, 1))
    bundle.write_if_changed(target, "a {}\n")
    assert target.stat().st_mtime == 1, "an unchanged stylesheet was written again"
    bundle.write_if_changed(target, "b {}\n")
    assert target.read_text(encoding="utf-8") == "b {}\n"


def test_a_worker_source_without_its_runtime_import_stops_the_build(tmp_path: Path) -> None:
    source = tmp_path / "worker.js"
    (tmp_path / "snapshot-image.js").write_text("// reader\nexport async function readImage(s) {\n  return s;\n}\n", encoding="utf-8")
    source.write_text("const x = 1;\n", encoding="utf-8")
    with pytest.raises(bundle.BundleError, match="runtime.js"):
        bundle.worker_script({"bytes": 1}, source)
    source.write_text('// before\nimport runtime from "./runtime.js";\nrun(runtime);\n', encoding="utf-8")
    with pytest.raises(bundle.BundleError, match="must import snapshot-image.js once"):
        bundle.worker_script({"bytes": 1}, source)
    source.write_text(
        '// before\nimport runtime from "./runtime.js";\nimport { readImage } from "./snapshot-image.js";\nrun(runtime);\n',
        encoding="utf-8",
    )
    written = bundle.worker_script({"bytes": 1, "wheel": "a.whl"}, source)
    assert written.startswith("// before\nconst runtime = {")
    assert written.endswith("};\n// reader\nasync function readImage(s) {\n  return s;\n}\nrun(runtime);\n")
    assert bundle.runtime_of(written) == {"bytes": 1, "wheel": "a.whl"}


def test_a_module_written_into_the_worker_may_not_import_another(tmp_path: Path) -> None:
    module = tmp_path / "snapshot-image.js"
    module.write_text('import { x } from "./x.js";\nexport const y = x;\n', encoding="utf-8")
    with pytest.raises(bundle.BundleError, match="imports another module"):
        bundle.inlined_module(module)


def test_the_built_worker_holds_the_snapshot_reader_and_imports_nothing() -> None:
    written = bundle.worker_script({"bytes": 1})
    assert "async function readImage(stream, segments" in written and "async function dataSegments(stream)" in written
    assert not re.search(r"^\s*(import|export)\b", written, re.MULTILINE)
