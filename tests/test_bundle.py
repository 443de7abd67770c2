"""Bundling: the wheel and the Pyodide runtime land in versioned paths of the site."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from hooks import bundle
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
    for name in bundle.BROWSER_ASSETS + ("runtime.js",):
        assert (tmp_path / bundle.ASSET_DIR / name).is_file(), name
    module = (tmp_path / bundle.ASSET_DIR / "runtime.js").read_text()
    data = json.loads(module.removeprefix("export default ").rstrip().rstrip(";"))
    # Paths are relative to assets/aihcalc/, where the module lives.
    assert (tmp_path / bundle.ASSET_DIR / data["pyodide"] / "pyodide.mjs").resolve().is_file()
    assert (tmp_path / bundle.ASSET_DIR / data["wheel"]).is_file()
    # The progress total is what the boot fetches: the wasm, the standard library, the lock
    # file and the wheel (the two .mjs modules are imported, not fetched through the counter).
    fetched = ["pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]
    expected = sum((tmp_path / runtime.pyodide_dir / n).stat().st_size for n in fetched) + aihcalc_wheel.stat().st_size
    assert data["bytes"] == expected == runtime.bytes


def test_two_wheel_builds_are_byte_identical(tmp_path: Path, aihcalc_wheel: Path) -> None:
    """Zip timestamps come from a fixed epoch, not the clock: a rebuild changes no byte."""
    import time

    time.sleep(2.1)  # a zip timestamp has 2-second resolution: a clock-stamped rebuild would differ
    again = bundle.build_wheel(PROJECT_ROOT, tmp_path / "again")
    assert again.read_bytes() == aihcalc_wheel.read_bytes()
