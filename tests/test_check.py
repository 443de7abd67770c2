"""``python -m hooks.check``: every broken fixture gives exactly its file, line and message.

Each folder under tests/fixtures/broken/ holds a small content tree with one mistake and an
``expected.txt`` (see the README there). A few of them also go through a real
``mkdocs build --strict``, which must fail with the same message.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from hooks import check
from hooks.references import Bibliography
from tests.conftest import PROJECT_ROOT

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = sorted(p for p in (FIXTURES / "broken").iterdir() if p.is_dir())
TODAY = dt.date(2026, 11, 22)
IN_BUILD = ["front-matter-not-yaml", "approved-without-reviewers", "unknown-citation-key", "no-patient-summary", "calculator-inside-a-block"]


def expected(case: Path) -> list[str]:
    return (case / "expected.txt").read_text(encoding="utf-8").splitlines()


def test_there_are_enough_cases_and_each_says_what_it_breaks() -> None:
    assert len(BROKEN) >= 20
    for case in BROKEN:
        assert (case / "README").read_text(encoding="utf-8").strip(), case.name
        assert expected(case), f"{case.name}: expected.txt is empty"


@pytest.mark.parametrize("case", BROKEN, ids=[c.name for c in BROKEN])
def test_broken_fixture_gives_exactly_its_problems(case: Path) -> None:
    problems, pages = check.check_tree(case / "content", today=TODAY, calculators=[])
    assert [str(p) for p in problems] == expected(case)
    assert pages >= 1


def test_the_command_prints_the_problems_and_exits_1_on_an_error() -> None:
    case = FIXTURES / "broken" / "unknown-citation-key"
    proc = run_cli("--no-calculators", "--today", "2026-11-22", str(case / "content"))
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == expected(case)
    assert "1 pages checked" in proc.stderr and "1 error(s), 0 warning(s)" in proc.stderr


def test_warnings_alone_exit_0_unless_strict() -> None:
    case = FIXTURES / "broken" / "unused-bibliography-entry"
    assert run_cli("--no-calculators", str(case / "content")).returncode == 0
    assert run_cli("--no-calculators", "--strict", str(case / "content")).returncode == 1


def test_a_valid_tree_using_every_feature_has_no_problems() -> None:
    proc = run_cli("--no-calculators", "--today", "2026-11-22", str(FIXTURES / "valid" / "content"))
    assert (proc.returncode, proc.stdout) == (0, "")


def test_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_cli(str(tmp_path / "nowhere"))
    assert proc.returncode == 2 and "no such folder" in proc.stderr


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    # This tree's src/, not whichever aihcalc the interpreter has installed.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    return subprocess.run(
        [sys.executable, "-m", "hooks.check", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, env=env
    )


@dataclass(frozen=True)
class FakeCalculator:
    id: str
    references: tuple[str, ...]


def test_calculator_references_must_exist_and_count_as_cited() -> None:
    content = FIXTURES / "broken" / "unused-bibliography-entry" / "content"
    calcs = [FakeCalculator("dose", ("roe2019",)), FakeCalculator("score", ("doe2020", "nope2000"))]
    problems, _ = check.check_tree(content, today=TODAY, calculators=calcs)
    assert [str(p) for p in problems] == [
        "content/bibliography.yaml:1: error: calculator 'score' cites nope2000, which the bibliography does not hold: "
        "add the entry, or fix the key in the calculator's declaration (src/aihcalc)"
    ]


def test_the_build_side_checks_renders_and_collects_what_is_cited(tmp_path: Path) -> None:
    content = FIXTURES / "broken" / "unknown-citation-key" / "content"
    bib_path = content / "bibliography.yaml"
    build = check.Build(Bibliography.load(bib_path), bib_path, "content/bibliography.yaml", today=TODAY)
    assert build.bibliography_problems() == []
    source = (content / "page.md").read_text(encoding="utf-8")
    body = source.split("---\n", 2)[2].lstrip("\n")  # what MkDocs hands the hook
    problems, rendered = build.page(source, body, file="content/page.md", page="page.md", known_pages={"page.md"})
    assert [str(p) for p in problems] == expected(FIXTURES / "broken" / "unknown-citation-key")
    assert rendered.keys == ["doe2020"] and '<sup class="citation">' in rendered.markdown
    assert "doe2020" in build.cited and "nosuchsource1999" in build.cited
    assert build.unused() == []  # (the calculators' keys count as cited; none is in this bibliography)


def test_the_project_content_has_no_errors() -> None:
    problems, pages = check.check_tree(PROJECT_ROOT / "content")
    assert pages >= 3
    assert [str(p) for p in problems if p.level == "error"] == []


@pytest.mark.parametrize("name", IN_BUILD)
def test_the_strict_build_fails_with_the_same_message(tmp_path: Path, name: str) -> None:
    from tests.test_build import build, project_copy

    project = project_copy(tmp_path)
    case = FIXTURES / "broken" / name
    shutil.copy2(case / "content" / "page.md", project / "content" / "page.md")
    proc = build(project)
    assert proc.returncode != 0
    for line in expected(case):
        file_line, level, message = line.split(": ", 2)
        assert level == "error"
        assert f"{file_line}: {message}" in proc.stderr, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
