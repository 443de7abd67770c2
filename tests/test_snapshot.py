"""The Python memory snapshot: what runs before it is taken and after it is restored (under
CPython here), and the build step that makes and checks it (under Node, with the site's own
Pyodide)."""

from __future__ import annotations

import gzip
import json
import random
import sys
import zipfile
from pathlib import Path

import pytest

import aihcalc
from hooks import snapshot, snapshot_image, snapshot_warm
from tests.conftest import PROJECT_ROOT, NodePyodide


def test_exercise_answers_every_calculator_and_export() -> None:
    answers = snapshot_warm.exercise()
    calculators = aihcalc.all_calculators()
    exports = sum(len(c.exports) for c in calculators)
    assert len(answers) >= len(calculators) + exports + 1
    parsed = [json.loads(a) for a in answers[:-1]]
    # Each calculator's example gives a result, not a refusal: the snapshot has computed them all.
    assert sum(1 for a in parsed if a.get("ok") and "result" in a) == len(calculators)
    assert all(a.get("ok") for a in parsed), [a for a in parsed if not a.get("ok")][:2]
    assert [c["id"] for c in json.loads(answers[-1])] == [c.id for c in calculators]


def test_settle_fixes_and_restored_reseeds_the_random_generators() -> None:
    state = random.getstate()
    try:
        assert snapshot_warm.settle() >= 1
        seeded = random.random()
        random.seed(0)
        assert seeded == random.random()  # settle seeded the module's generator with 0
        snapshot_warm.settle()
        assert snapshot_warm.restored() >= 1
        draws = {random.random() for _ in range(3)}
        random.seed(0)
        assert random.random() not in draws  # reseeded from the system's entropy, not 0
    finally:
        random.setstate(state)


def _zip(path: Path, files: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)


def test_refresh_imports_sees_a_zip_written_over_another(tmp_path: Path) -> None:
    """As in the browser: the library zip's path is first an empty zip, then the real one."""
    library = tmp_path / "library.zip"
    _zip(library, {})
    sys.path.insert(0, str(library))
    try:
        with pytest.raises(ModuleNotFoundError):
            __import__("snapshot_probe_module")
        _zip(library, {"padding.py": "x = 1\n" * 500, "snapshot_probe_module.py": "VALUE = 42\n"})
        snapshot_warm.refresh_imports()
        assert __import__("snapshot_probe_module").VALUE == 42
    finally:
        sys.path.remove(str(library))
        sys.modules.pop("snapshot_probe_module", None)
        sys.path_importer_cache.pop(str(library), None)


def test_compare_names_the_first_answer_that_differs() -> None:
    good = {"answers": ["a", "b"], "generators": 2, "missingThenFound": "colorsys"}
    snapshot.compare({"answers": ["a", "b"]}, good)
    with pytest.raises(snapshot.SnapshotError, match="request 1 differently"):
        snapshot.compare({"answers": ["a", "c"]}, good)
    with pytest.raises(snapshot.SnapshotError, match="answered 2 requests, not 3"):
        snapshot.compare({"answers": ["a", "b", "c"]}, good)
    with pytest.raises(snapshot.SnapshotError, match="reseeded"):
        snapshot.compare({"answers": ["a", "b"]}, {**good, "generators": 0})
    with pytest.raises(snapshot.SnapshotError, match="did not import"):
        snapshot.compare({"answers": ["a", "b"]}, {**good, "missingThenFound": None})


def test_without_node_the_build_says_what_to_install(
    tmp_path: Path, aihcalc_wheel: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot.shutil, "which", lambda name: None)
    with pytest.raises(snapshot.SnapshotError, match="node is not on PATH"):
        snapshot.make(tmp_path, aihcalc_wheel, tmp_path / "cache")


def test_a_runtime_whose_data_segments_cannot_be_read_fails_the_build_and_says_so(
    tmp_path: Path, aihcalc_wheel: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pyodide_dir = tmp_path / "pyodide"
    pyodide_dir.mkdir()
    for name in ("pyodide.asm.mjs", "python_stdlib.zip", "pyodide-lock.json"):
        (pyodide_dir / name).write_bytes(b"x")
    (pyodide_dir / "pyodide.asm.wasm").write_bytes(b"\0asm\x01\0\0\0" + bytes([11, 4, 1, 3, 0, 0]))  # a data segment of kind 3

    def made(node: str, command: str, *args: Path) -> None:
        assert command == "make", "the snapshot was checked although it could not be written"
        args[3].write_bytes(b"\x00snp" + bytes(100))
        args[4].write_text(json.dumps({"answers": [], "bytes": 104}), encoding="utf-8")

    monkeypatch.setattr(snapshot, "_node", made)
    with pytest.raises(snapshot.SnapshotError, match="pyodide.asm.wasm .a data segment of kind 3"):
        snapshot.make(pyodide_dir, aihcalc_wheel, tmp_path / "cache", node="node")
    assert not list((tmp_path / "cache").glob("*/report.json"))


@pytest.mark.node
def test_the_snapshot_is_made_checked_cached_and_the_same_twice(
    node_pyodide: NodePyodide, aihcalc_wheel: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = snapshot.make(node_pyodide.pyodide_dir, aihcalc_wheel, tmp_path / "one", node=node_pyodide.node)
    packed = gzip.decompress(made.image.read_bytes())
    image = snapshot_image.unpack(packed, snapshot_image.data_segments((node_pyodide.pyodide_dir / "pyodide.asm.wasm").read_bytes()))
    assert len(image) == made.image_bytes > 10_000_000
    assert image[:4] == b"\x00snp"  # Pyodide's snapshot magic
    # The long runs of zero bytes stay out of the file, and so does the static data the
    # WebAssembly file holds too (it travels XORed with it, zeros where it did not change).
    assert len(packed) < 0.4 * len(image)
    with pytest.raises(snapshot_image.ImageError, match="needs the WebAssembly file"):
        snapshot_image.unpack(packed)
    # Nothing of the machine that built it: a build in another folder gives the same bytes.
    assert str(PROJECT_ROOT).encode() not in image and str(tmp_path).encode() not in image
    assert zipfile.ZipFile(made.empty_zip).namelist() == []
    report = json.loads((made.folder / "report.json").read_text())
    assert report["python"].startswith("3.14") and report["generators"] >= 1
    # The heap's free space was zeroed before the snapshot: what freed objects had left there
    # (at least a quarter of the free bytes, here) no longer travels.
    free = report["free"]
    assert free["before"] > 0 and free["zeroed"] >= free["before"]
    assert free["nonZeroAfter"] < free["nonZeroBefore"] - free["before"] // 4

    again = snapshot.make(node_pyodide.pyodide_dir, aihcalc_wheel, tmp_path / "two", node=node_pyodide.node)
    assert again.key == made.key
    assert again.image.read_bytes() == made.image.read_bytes()  # fixed clock, entropy and hash seed

    # A second build with the same inputs takes it from the cache: Node is not run.
    monkeypatch.setattr(snapshot, "_node", lambda *args: pytest.fail("the cached snapshot was made again"))
    cached = snapshot.make(node_pyodide.pyodide_dir, aihcalc_wheel, tmp_path / "one", node=node_pyodide.node)
    assert cached.image == made.image


@pytest.mark.node
def test_a_snapshot_that_answers_differently_fails_the_build(
    node_pyodide: NodePyodide, aihcalc_wheel: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = snapshot.compare

    def tampered(made: dict, restored: dict) -> None:
        restored["answers"][0] = restored["answers"][0].replace('"ok": true', '"ok": false')
        real(made, restored)

    monkeypatch.setattr(snapshot, "compare", tampered)
    with pytest.raises(snapshot.SnapshotError, match="request 0 differently"):
        snapshot.make(node_pyodide.pyodide_dir, aihcalc_wheel, tmp_path / "cache", node=node_pyodide.node)
    assert not list((tmp_path / "cache").glob("*/report.json"))  # nothing cached
