"""The page blocks as one Python-Markdown extension: calculator, decision-table, patient, clinician.

It needs no MkDocs, so the blocks render the same in the site, in tests and in any tool:

    markdown.markdown(text, extensions=["hooks.blocks"])
    markdown.markdown(text, extensions=[PageBlocksExtension(bibliography="content/bibliography.yaml")])

The MkDocs hook (hooks/main.py) adds it with the build's bibliography and the current page's
reference numbers, which only the build knows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markdown import Markdown
from pymdownx.blocks import BlocksExtension

from .audience import ClinicianBlock, PatientBlock
from .references import Bibliography
from .tables import CitationNumbers, DecisionTableBlock
from .widgets import CalculatorBlock


class PageBlocksExtension(BlocksExtension):
    """``/// calculator | ID``, ``/// decision-table``, ``/// patient`` and ``/// clinician``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.config = {
            "bibliography": ["", "a hooks.references.Bibliography, or the path of a bibliography.yaml"],
            "numbers": ["", "a CitationNumbers: the current page's reference numbers"],
        }
        super().__init__(*args, **kwargs)

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: Any) -> None:  # noqa: N802 (Python-Markdown's name)
        bibliography = bibliography_of(self.getConfig("bibliography"))
        numbers = self.getConfig("numbers") or CitationNumbers()
        block_mgr.register(CalculatorBlock, {"bibliography": bibliography})
        block_mgr.register(DecisionTableBlock, {"bibliography": bibliography, "numbers": numbers})
        block_mgr.register(PatientBlock, {})
        block_mgr.register(ClinicianBlock, {})


def bibliography_of(value: Bibliography | str | Path | None) -> Bibliography:
    """The bibliography given, or loaded from its path; an empty one when there is none."""
    if isinstance(value, Bibliography):
        return value
    if value:
        return Bibliography.load(Path(value))
    return Bibliography({})


def makeExtension(**kwargs: Any) -> PageBlocksExtension:  # noqa: N802 (Python-Markdown's name)
    return PageBlocksExtension(**kwargs)
