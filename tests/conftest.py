"""Shared fixtures: the project root, the aihcalc wheel (built once per session), and Node + Pyodide.

Also the Hypothesis profiles: under CI (see ``running_in_ci``) the "ci" profile, derandomised so
that every run tries the same examples and a failure reproduces, without the example database
and without deadlines (a slow shared runner is not a defect); elsewhere the "dev" profile,
randomised and with the database, so each run on a developer's machine explores new examples
and replays the ones that failed before. HYPOTHESIS_PROFILE=ci (or dev) chooses one explicitly.
Tests that set their own ``max_examples`` keep it under either profile.

Keep this file small; fixtures that only one test module needs belong in that module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from aihcalc import Change

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The version and change list a test calculator declares (every Calculator must): **PUBLISHED.
PUBLISHED = {"version": "1.0", "changes": (Change("2026-11-22", "1.0", "First published.", "A test calculator."),)}


def running_in_ci() -> bool:
    """CI=true (or any value but empty/0/false): a missing prerequisite fails instead of skipping."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if running_in_ci() else "dev"))


def skip_or_fail(reason: str) -> None:
    """Skip on a developer machine; fail under CI, where every prerequisite must be present."""
    if running_in_ci():
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def aihcalc_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The aihcalc wheel, built from src/ with the PyPA build front end, once per session."""
    from hooks.bundle import build_wheel

    return build_wheel(PROJECT_ROOT, tmp_path_factory.mktemp("wheel"))


@dataclass(frozen=True)
class NodePyodide:
    """Node and the local Pyodide npm package; ``run`` starts a Node script with them."""

    node: str
    pyodide_dir: Path

    def run(self, script: Path, *args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.node, str(script), *map(str, args)],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=PROJECT_ROOT,
        )


@pytest.fixture(scope="session")
def node_pyodide() -> NodePyodide:
    """Skips (fails under CI) when node or node_modules/pyodide is missing."""
    node = shutil.which("node")
    if node is None:
        skip_or_fail("node is not on PATH: install Node 20 to run the Pyodide tests")
    pyodide_dir = PROJECT_ROOT / "node_modules" / "pyodide"
    if not (pyodide_dir / "pyodide.mjs").is_file() or not (pyodide_dir / "pyodide.asm.wasm").is_file():
        skip_or_fail(f"{pyodide_dir} is missing or incomplete: run npm ci in {PROJECT_ROOT}")
    return NodePyodide(node=str(node), pyodide_dir=pyodide_dir)
