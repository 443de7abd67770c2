"""Validate the content tree without building the site: ``python -m hooks.check [content_dir]``.

Every check in hooks/checks.py (front-matter, citations, the bibliography, related links,
audience blocks, calculator blocks, decision tables and the uncited-figure lint), run exactly
as the MkDocs hook runs them (hooks/build.py is the hook's side). Prints ``file:line: level: message``,
paths relative to the project (the content folder's parent), and exits 1 when there is any error (with ``--strict``, any warning).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import aihcalc

from hooks import checks, citations
from hooks.build import Build  # noqa: F401  (the hook's side of the same checks)
from hooks.problems import Problem, ordered

PROJECT = Path(__file__).resolve().parent.parent
BIBLIOGRAPHY = checks.BIBLIOGRAPHY


def check_tree(
    content_dir: Path,
    *,
    today: dt.date | None = None,
    calculators: Sequence[Any] | None = None,
) -> tuple[list[Problem], int]:
    """All problems in a content folder, and how many pages it holds.

    ``calculators`` defaults to every ``aihcalc`` calculator: their references count as cited,
    and must be in the bibliography.
    """
    today = today or dt.date.today()
    calcs = list(aihcalc.all_calculators() if calculators is None else calculators)
    folder = content_dir.resolve().name
    bib_file = checks.shown(folder, BIBLIOGRAPHY)
    bib = citations.check_bibliography(content_dir / BIBLIOGRAPHY)
    problems = [p.at(bib_file) for p in bib.problems]
    problems += checks.calculator_references(calcs, bib.key_lines, bib_file)
    pages = sorted(content_dir.rglob("*.md"))
    known = {p.relative_to(content_dir).as_posix() for p in pages} | generated_pages(calcs)
    context = checks.Context(bib.keys, known, today)
    cited: set[str] = {key for calc in calcs for key in calc.references}
    for path in pages:
        rel = path.relative_to(content_dir).as_posix()
        report = checks.check_page(path.read_text(encoding="utf-8-sig"), checks.shown(folder, rel), rel, context)
        problems += report.problems
        cited.update(report.cited)
    problems += checks.unused_entries(bib, cited, bib_file)
    return ordered(problems), len(pages)


def generated_pages(calculators: Iterable[Any]) -> set[str]:
    """Pages the build adds: from the calculator declarations (hooks/reference_pages.py), if
    any, and the evidence page (hooks/evidence_page.py), always."""
    try:
        from hooks import evidence_page, reference_pages
    except ImportError:
        return set()
    pages = {reference_pages.page_path(c.id) for c in calculators}
    extra = {f"{reference_pages.FOLDER}/index.md", reference_pages.CONTRIBUTOR_PAGE}
    return (pages | extra if pages else pages) | {evidence_page.PAGE}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hooks.check", description=__doc__.splitlines()[0])
    parser.add_argument("content_dir", nargs="?", type=Path, help="the content folder (default: ./content, else the project's)")
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="check review dates as of this day (YYYY-MM-DD)")
    parser.add_argument(
        "--no-calculators",
        action="store_true",
        help="leave out the calculators' own references (for a partial tree, such as a test fixture)",
    )
    args = parser.parse_args(argv)
    content = args.content_dir or (Path("content") if Path("content").is_dir() else PROJECT / "content")
    if not content.is_dir():
        print(f"{content}: no such folder: pass the content folder, e.g. python -m hooks.check content", file=sys.stderr)
        return 2
    started = time.perf_counter()
    problems, count = check_tree(content, today=args.today, calculators=[] if args.no_calculators else None)
    for problem in problems:
        print(problem)
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    elapsed = time.perf_counter() - started
    print(f"{count} pages checked in {elapsed:.2f} s: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


if __name__ == "__main__":
    sys.exit(main())
