"""The state of one ``mkdocs build``, typed: what hooks/main.py's events share.

The bibliography, what pages and calculators cite, each page's checks and rendered citations,
the current page's reference numbers (for its decision tables) and MkDocs' files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import aihcalc

import aihcalc.evidence

from . import checks, citations, evidence_marks, tables
from .problems import Problem
from .references import Bibliography, BibliographyError

if TYPE_CHECKING:
    from mkdocs.structure.files import Files


@dataclass
class Build:
    """One ``mkdocs build``: the bibliography, the checks page by page, what is cited, the pages.

    Knows nothing of MkDocs' objects but the files (kept to resolve links): the hook passes
    text and paths and logs what comes back.
    """

    bibliography: Bibliography
    bib_path: Path
    bib_file: str
    today: dt.date = field(default_factory=dt.date.today)
    cited: set[str] = field(default_factory=set)
    pages: dict[str, checks.PageReport] = field(default_factory=dict)
    rendered: dict[str, citations.Rendered] = field(default_factory=dict)  # by content path
    numbers: tables.CitationNumbers = field(default_factory=tables.CitationNumbers)  # the current page's
    files: Files | None = None

    @classmethod
    def for_content(cls, docs_dir: Path) -> Build:
        """The build of one content folder; a bibliography that cannot be loaded counts as empty."""
        path = docs_dir / checks.BIBLIOGRAPHY
        try:
            bibliography = Bibliography.load(path)
        except (OSError, BibliographyError):
            bibliography = Bibliography({}, path)  # the checks report why, by line
        return cls(bibliography, path, checks.shown(docs_dir.name, checks.BIBLIOGRAPHY))

    def __post_init__(self) -> None:
        self._bib = citations.check_bibliography(self.bib_path)
        self._calculators = list(aihcalc.all_calculators())
        for calc in self._calculators:
            self.cited.update(calc.references)

    def bibliography_problems(self) -> list[Problem]:
        """The bibliography file's own problems."""
        return [p.at(self.bib_file) for p in self._bib.problems]

    def calculator_problems(self) -> list[Problem]:
        """Calculators citing keys the bibliography lacks."""
        return checks.calculator_references(self._calculators, self._bib.key_lines, self.bib_file)

    def page(
        self,
        source: str,
        markdown: str,
        *,
        file: str,
        page: str,
        known_pages: Collection[str],
        lint_figures: bool = True,
        blocks: Iterable[citations.BlockCitations] = (),
    ) -> tuple[list[Problem], citations.Rendered]:
        """Check a page's source; render the citations of the Markdown MkDocs hands over.

        ``blocks``: what the page's decision tables cite, numbered into its reference list.
        """
        context = checks.Context(self._bib.keys, known_pages, self.today)
        report = checks.check_page(source, file, page, context, lint_figures=lint_figures)
        self.pages[page] = report
        self.cited.update(report.cited)
        markdown = evidence_marks.expand(markdown, aihcalc.evidence.register(), page)  # [=id] -> its sources
        rendered = citations.render(markdown, self.bibliography, blocks=blocks)
        self.rendered[page] = rendered
        self.numbers.numbers = {key: n for n, key in enumerate(rendered.keys, start=1)}
        return report.problems, rendered

    def unused(self) -> list[Problem]:
        """Bibliography entries nothing cited, once every page is done."""
        return checks.unused_entries(self._bib, self.cited, self.bib_file)
