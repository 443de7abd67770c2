"""Validate the content tree without building the site: ``python -m hooks.check [content_dir]``.

Front-matter, citations, the bibliography, related links, audience blocks, calculator block
ids and the uncited-figure lint, with the same functions the MkDocs hook calls (``Build`` is
the hook's side). Prints ``file:line: level: message``, paths relative to the project (the
content folder's parent), and exits 1 when there is any error (with ``--strict``, any warning).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The checked-out ``hooks`` and ``aihcalc`` come first (as hooks/main.py does), run as a file or
# with -m, so the check reads this tree's code rather than an installed copy of another.
for _path in (Path(__file__).resolve().parent.parent / "src", Path(__file__).resolve().parent.parent):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import aihcalc  # noqa: E402

from hooks import audience, citations, frontmatter, lint, widgets  # noqa: E402
from hooks.frontmatter import FrontMatter  # noqa: E402
from hooks.problems import Problem, error, ordered  # noqa: E402
from hooks.references import Bibliography  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
BIBLIOGRAPHY = "bibliography.yaml"


@dataclass
class PageReport:
    """One page checked: its problems (lines in the page file), front-matter and cited keys."""

    problems: list[Problem]
    front: FrontMatter
    cited: list[str]


def check_page(
    text: str,
    file: str,
    page: str,
    *,
    keys: Collection[str] | None,
    known_pages: Collection[str] | None,
    today: dt.date,
    lint_figures: bool = True,
    calculator_blocks: bool = True,
) -> PageReport:
    """Every check on one page's source. ``file`` is how messages name it; ``page`` its content/ path.

    ``keys``: the bibliography's keys, or None when it could not be read (keys go unchecked).
    """
    front = frontmatter.parse(text)
    problems = front.problems + frontmatter.validate(front, today=today, known_pages=known_pages, page=page)
    body = front.body
    listed = front.data.get("audience")
    found = citations.check(body, keys)
    found += audience.find_problems(body, listed if isinstance(listed, list) else None)
    if calculator_blocks:
        found += widgets.find_problems(body)
    if lint_figures:
        found += lint.lint(body)
    problems += [p.at(file, front.offset) for p in found]
    problems = [p.at(file) for p in problems]
    return PageReport(_sorted(problems), front, citations.cited_keys(citations.scan(body)))


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
    shown = content_dir.resolve().name
    bib_file = f"{shown}/{BIBLIOGRAPHY}"
    bib = citations.check_bibliography(content_dir / BIBLIOGRAPHY)
    problems = [p.at(bib_file) for p in bib.problems]
    pages = sorted(content_dir.rglob("*.md"))
    known = {p.relative_to(content_dir).as_posix() for p in pages} | generated_pages(calcs)
    cited: set[str] = set()
    for calc in calcs:
        missing = sorted(set(calc.references) - set(bib.key_lines))
        if missing and bib.key_lines:
            problems.append(error(1, f"calculator '{calc.id}' cites {', '.join(missing)}, which the bibliography does not hold: add the entry, or fix the key in the calculator's declaration (src/aihcalc)", file=bib_file))
        cited.update(calc.references)
    for path in pages:
        rel = path.relative_to(content_dir).as_posix()
        report = check_page(
            path.read_text(encoding="utf-8-sig"),
            f"{shown}/{rel}",
            rel,
            keys=bib.keys,
            known_pages=known,
            today=today,
        )
        problems += report.problems
        cited.update(report.cited)
    problems += [p.at(bib_file) for p in citations.unused_entries(bib.key_lines, cited)]
    return _sorted(problems), len(pages)


def generated_pages(calculators: Iterable[Any]) -> set[str]:
    """Pages the build adds from the calculator declarations (hooks/reference_pages.py), if any."""
    try:
        from hooks import reference_pages
    except ImportError:
        return set()
    pages = {reference_pages.page_path(c.id) for c in calculators}
    extra = {f"{reference_pages.FOLDER}/index.md", reference_pages.CONTRIBUTOR_PAGE}
    return pages | extra if pages else pages


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    return ordered(problems)


@dataclass
class Build:
    """The hook's side of the checks, for one ``mkdocs build``: page by page, then the whole.

    Knows nothing of MkDocs: the hook passes text and paths and logs what comes back.
    """

    bibliography: Bibliography
    bib_path: Path
    bib_file: str
    today: dt.date = field(default_factory=dt.date.today)
    cited: set[str] = field(default_factory=set)
    pages: dict[str, PageReport] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._bib = citations.check_bibliography(self.bib_path)
        for calc in aihcalc.all_calculators():
            self.cited.update(calc.references)

    def bibliography_problems(self) -> list[Problem]:
        return [p.at(self.bib_file) for p in self._bib.problems]

    def page(
        self,
        source: str,
        markdown: str,
        *,
        file: str,
        page: str,
        known_pages: Collection[str],
        lint_figures: bool = True,
        calculator_blocks: bool = True,
        blocks: Iterable[citations.BlockCitations] = (),
    ) -> tuple[list[Problem], citations.Rendered]:
        """Check a page's source; render the citations of the Markdown MkDocs hands over.

        ``blocks``: what the page's decision tables cite, numbered into its reference list.
        """
        keys = (self._bib.keys or set()) | set(self.bibliography.entries)
        report = check_page(
            source, file, page, keys=keys, known_pages=known_pages, today=self.today,
            lint_figures=lint_figures, calculator_blocks=calculator_blocks,
        )
        self.pages[page] = report
        self.cited.update(report.cited)
        return report.problems, citations.render(markdown, self.bibliography, blocks=blocks)

    def unused(self) -> list[Problem]:
        return [p.at(self.bib_file) for p in citations.unused_entries(self._bib.key_lines, self.cited)]


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
