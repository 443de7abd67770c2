"""The check and the strict build report the same findings on every broken fixture, word for word.

Each fixture's content folder is built by MkDocs with this project's mkdocs.yml and hooks, in
this process, with the calculators left out (as ``python -m hooks.check --no-calculators``
does: the fixtures' small bibliographies do not hold their references) and the Pyodide bundling
skipped (it reads no content). What the hooks log is read back as (file, line, level, message).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import types
from pathlib import Path

import aihcalc
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from hooks import bundle, check, snapshot
from tests.conftest import PROJECT_ROOT

BROKEN = sorted(p for p in (Path(__file__).parent / "fixtures" / "broken").iterdir() if p.is_dir())
LOGGED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?:(?P<warning>warning): )?(?P<message>.*)$", re.DOTALL)

Finding = tuple[str, int, str, str]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.findings: list[Finding] = []
        self.other: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        match = LOGGED.match(record.getMessage())
        if match is None:
            self.other.append(record.getMessage())
            return
        level = "warning" if match["warning"] else "error"
        assert (record.levelno >= logging.ERROR) == (level == "error"), record.getMessage()
        self.findings.append((match["file"], int(match["line"]), level, match["message"]))


def build_findings(content: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    """What a strict ``mkdocs build`` of ``content`` logs as findings (file, line, level, message)."""
    monkeypatch.setattr(aihcalc, "all_calculators", lambda: [])
    monkeypatch.setattr(bundle, "pyodide_version", lambda node_modules: "0")
    monkeypatch.setattr(bundle, "build_wheel", lambda project, cache: types.SimpleNamespace(name="wheel"))
    runtime = bundle.Runtime("0", "assets/pyodide/0", f"{bundle.ASSET_DIR}/wheel")  # nothing copied
    monkeypatch.setattr(bundle, "bundle_runtime", lambda *args: runtime)
    monkeypatch.setattr(snapshot, "make", lambda *args: types.SimpleNamespace(image_bytes=0))  # no Python here
    collect = _Collect()
    logger = logging.getLogger("mkdocs.hooks.aihcalc")
    logger.addHandler(collect)
    level = logger.level
    logger.setLevel(logging.INFO)  # warnings are logged at INFO: shown, but not failing --strict
    try:
        config = load_config(str(PROJECT_ROOT / "mkdocs.yml"), docs_dir=str(content), site_dir=str(site), strict=True)
        try:
            build(config)
        except Abort:
            pass  # strict: an error fails it (as do MkDocs' own warnings about the small tree)
    finally:
        logger.removeHandler(collect)
        logger.setLevel(level)
    return collect.findings


@pytest.mark.parametrize("case", BROKEN, ids=[c.name for c in BROKEN])
def test_check_and_strict_build_report_the_same_findings(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = dt.date.today()  # the build checks review dates as of today
    monkeypatch.setattr(aihcalc, "all_calculators", lambda: [])  # both sides see the same (empty) registry
    problems, _ = check.check_tree(case / "content", today=today, calculators=[])
    checked = sorted((p.file, p.line, p.level, p.message) for p in problems)
    built = sorted(build_findings(case / "content", tmp_path / "site", monkeypatch))
    assert checked, f"{case.name}: the check finds nothing"
    assert built == checked
