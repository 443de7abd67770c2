"""Cross-runtime: the same vectors through CPython and through Pyodide under Node, byte for byte.

The wheel is built from src/ (as the site build does), unpacked into Pyodide's site-packages
and driven by tests/node/run_vectors.mjs; Pyodide boots once for all vectors. Without node or
node_modules/pyodide the test skips, except under CI, where it fails.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import aihcalc
from aihcalc.bridge import handle
from tests.conftest import NodePyodide, skip_or_fail
from tests.vectors import request_json, vectors

SCRIPT = Path(__file__).resolve().parent / "node" / "run_vectors.mjs"

# Envelope cases that hold no calculator; their messages are our own, not Python's.
EXTRA_REQUESTS = [
    json.dumps({"id": "no-such-calculator", "inputs": {}}),
]


def answer(request: str) -> str:
    """The CPython twin of ``_answer`` in run_vectors.mjs: an exception becomes a comparable string."""
    try:
        return handle(request)
    except Exception as exc:  # noqa: BLE001  (compared across runtimes, then reported)
        return "!exception " + type(exc).__name__ + ": " + str(exc)


def _first_difference(a: str, b: str) -> str:
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"first difference at character {i}: CPython …{a[max(0, i - 60):i + 60]!r}… Pyodide …{b[max(0, i - 60):i + 60]!r}…"


@pytest.mark.node
def test_cpython_and_pyodide_give_identical_json(
    node_pyodide: NodePyodide, aihcalc_wheel: Path, tmp_path: Path
) -> None:
    if not aihcalc.all_calculators():
        skip_or_fail("no calculator is registered, so there is nothing to compare")
    vs: list[dict[str, Any]] = vectors()
    assert len(vs) > 0
    requests = [request_json(v) for v in vs] + EXTRA_REQUESTS
    labels = [v["label"] for v in vs] + ["unknown calculator id"]

    expected = [answer(r) for r in requests]
    crashes = [(label, a) for label, a in zip(labels, expected) if a.startswith("!exception ")]

    vectors_file = tmp_path / "vectors.json"
    vectors_file.write_text(json.dumps(requests, ensure_ascii=False), encoding="utf-8")
    out_file = tmp_path / "answers.json"
    proc = node_pyodide.run(SCRIPT, node_pyodide.pyodide_dir, aihcalc_wheel, vectors_file, out_file)
    assert proc.returncode == 0, f"run_vectors.mjs failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}"

    info = json.loads(proc.stdout.strip().splitlines()[-1])
    assert info["python"].startswith("3.14"), f"not Pyodide's Python: {info}"
    assert info["platform"] == "emscripten", info
    assert info["aihcalc_file"].startswith(info["site_packages"]), f"aihcalc not loaded from the wheel: {info}"
    assert info["aihcalc_version"] == aihcalc.__version__
    assert info["count"] == len(requests)

    got = json.loads(out_file.read_text(encoding="utf-8"))
    assert len(got) == len(requests)
    for index, (label, request, mine, theirs) in enumerate(zip(labels, requests, expected, got)):
        if mine != theirs:
            pytest.fail(
                f"vector {index} ({label}) differs between CPython and Pyodide\n"
                f"request: {request}\nCPython: {mine}\nPyodide: {theirs}\n{_first_difference(mine, theirs)}",
                pytrace=False,
            )
    assert not crashes, f"{len(crashes)} vectors crash bridge.handle (identically in both runtimes): {crashes[:3]}"
    # the comparison was not vacuous: real results came back, not only errors
    assert sum(json.loads(a)["ok"] for a in got) >= len(aihcalc.all_calculators())
