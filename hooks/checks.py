"""The content checks: one list, run the same way by the build and by ``python -m hooks.check``.

A page check takes a page (its front-matter split off) and what it is checked against, and
returns problems at lines of the page file. The build (hooks/main.py) and the check
(hooks/check.py) both call ``check_page`` and the whole-tree checks below, so a page that
passes one passes the other, with the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import aihcalc.evidence

from . import audience, citations, embed, evidence_marks, frontmatter, lint, tables, widgets
from .frontmatter import FrontMatter
from .problems import Problem, error, ordered

BIBLIOGRAPHY = "bibliography.yaml"


@dataclass(frozen=True)
class Context:
    """What every page is checked against."""

    keys: Collection[str] | None  # the bibliography's keys; None when it cannot be read
    known_pages: Collection[str] | None  # paths under content/ a related link may name
    today: dt.date


@dataclass(frozen=True)
class Page:
    """One page's source as a contributor wrote it."""

    file: str  # how messages name it: content/aih/x.md
    path: str  # its path under content/: aih/x.md
    front: FrontMatter
    lint_figures: bool = True  # generated pages restate their calculator's figures

    @property
    def body(self) -> str:
        return self.front.body


PageCheck = Callable[[Page, Context], list[Problem]]


def _in_file(page: Page, found: Iterable[Problem]) -> list[Problem]:
    """Problems at body lines, placed at their lines in the page file."""
    return [p.at(page.file, page.front.offset) for p in found]


def front_matter(page: Page, context: Context) -> list[Problem]:
    """Front-matter that does not parse, breaks the schema, is overdue or links nowhere."""
    found = page.front.problems + frontmatter.validate(
        page.front, today=context.today, known_pages=context.known_pages, page=page.path
    )
    return [p.at(page.file) for p in found]


def citation_marks(page: Page, context: Context) -> list[Problem]:
    """Malformed citations, unknown keys, a hand-written References list."""
    return _in_file(page, citations.check(page.body, context.keys))


def audience_blocks(page: Page, context: Context) -> list[Problem]:
    """Titled or nested audience blocks; the patient summary a patient page opens with."""
    listed = page.front.data.get("audience")
    return _in_file(page, audience.find_problems(page.body, listed if isinstance(listed, list) else None))


def calculator_blocks(page: Page, context: Context) -> list[Problem]:
    """A calculator block without an id, or naming no registered calculator."""
    return _in_file(page, widgets.find_problems(page.body))


def embed_blocks(page: Page, context: Context) -> list[Problem]:
    """An embed block without an id, or naming no registered calculator."""
    return _in_file(page, embed.find_problems(page.body))


def decision_tables(page: Page, context: Context) -> list[Problem]:
    """Unknown, unreadable, gapped or overlapping decision tables, and what their rules cite."""
    return _in_file(page, tables.find_table_problems(page.body, page.file, context.keys))


def evidence(page: Page, context: Context) -> list[Problem]:
    """Evidence marks naming no register entry; a review status its evidence does not support."""
    register = aihcalc.evidence.register()
    found = _in_file(page, evidence_marks.check(page.body, register))
    review = page.front.data.get("review")
    status = review.get("status") if isinstance(review, dict) else None
    line = page.front.lines.get(("review", "status"), 1)
    return found + [p.at(page.file) for p in evidence_marks.status_problems(status, evidence_marks.used(page.body), register, line)]


def uncited_figures(page: Page, context: Context) -> list[Problem]:
    """A dose, percentage or threshold with no source nearby (warnings)."""
    return _in_file(page, lint.lint(page.body)) if page.lint_figures else []


PAGE_CHECKS: tuple[PageCheck, ...] = (
    front_matter,
    citation_marks,
    audience_blocks,
    calculator_blocks,
    embed_blocks,
    decision_tables,
    evidence,
    uncited_figures,
)


@dataclass
class PageReport:
    """One page checked: its problems (lines in the page file), front-matter and cited keys."""

    problems: list[Problem]
    front: FrontMatter
    cited: list[str]
    evidence: list[str]  # the register entries it rests on: its marks, then its calculators'


def check_page(text: str, file: str, path: str, context: Context, *, lint_figures: bool = True) -> PageReport:
    """Every page check on one page's source; the keys its text and decision tables cite."""
    page = Page(file, path, frontmatter.parse(text), lint_figures)
    problems = [p for check in PAGE_CHECKS for p in check(page, context)]
    cited = citations.cited_keys(citations.scan(page.body))
    cited += [k for k in evidence_marks.sources(page.body, aihcalc.evidence.register()) if k not in cited]
    cited += [k for k in tables.table_citations(page.body) if k not in cited]
    return PageReport(ordered(problems), page.front, cited, evidence_marks.used(page.body))


# --- The whole tree -----------------------------------------------------------------------


def shown(folder_name: str, path: str) -> str:
    """How messages name a file under the content folder: ``content/aih/x.md``."""
    return f"{folder_name}/{path}"


def calculator_references(calculators: Sequence[Any], key_lines: Collection[str], bib_file: str) -> list[Problem]:
    """Every key a calculator's declaration cites must be in the bibliography."""
    if not key_lines:
        return []  # unreadable or empty: reported on its own
    problems = []
    for calc in calculators:
        missing = sorted(set(calc.references) - set(key_lines))
        if missing:
            problems.append(error(1, f"calculator '{calc.id}' cites {', '.join(missing)}, which the bibliography does not hold: add the entry, or fix the key in the calculator's declaration (src/aihcalc)", bib_file))
    return problems


def unused_entries(bib: citations.BibliographyCheck, cited: Collection[str], bib_file: str) -> list[Problem]:
    """Bibliography entries no page, decision table or calculator cites (warnings)."""
    return [p.at(bib_file) for p in citations.unused_entries(bib.key_lines, cited)]
