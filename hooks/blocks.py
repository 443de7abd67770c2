"""The page blocks as one Python-Markdown extension: calculator, decision-table, patient, clinician, embed.

It needs no MkDocs, so the blocks render the same in the site, in tests and in any tool:

    markdown.markdown(text, extensions=["hooks.blocks"])
    markdown.markdown(text, extensions=["hooks.blocks"],
                      extension_configs={"hooks.blocks": {"bibliography": "content/bibliography.yaml"}})

mkdocs.yml lists it under ``markdown_extensions`` with the bibliography's path (``pip install -e
hooks`` makes the name importable). The MkDocs hook (hooks/main.py) then hands it the build's
loaded bibliography, the current page's reference numbers and the site's address (for the
embed panels), which only the build knows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markdown import Markdown
from pymdownx.blocks import BlocksExtension

from .audience import ClinicianBlock, PatientBlock
from .embed import EmbedBlock, EmbedKitBlock
from .references import Bibliography, Entry
from .review_statuses import ReviewStatusesBlock
from .tables import CitationNumbers, DecisionTableBlock
from .widgets import CalculatorBlock


class PageBlocksExtension(BlocksExtension):
    """``/// calculator | ID``, ``/// decision-table``, ``/// patient``, ``/// clinician``,
    ``/// review-statuses``, ``/// embed | ID``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.config = {
            "bibliography": ["", "a hooks.references.Bibliography, or the path of a bibliography.yaml"],
            "numbers": ["", "a CitationNumbers: the current page's reference numbers"],
            "embed": ["", "a hooks.embed.Site (the site's address): the embed panels and blocks"],
        }
        super().__init__(*args, **kwargs)

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: Any) -> None:  # noqa: N802 (Python-Markdown's name)
        bibliography = bibliography_of(self.getConfig("bibliography"))
        numbers = self.getConfig("numbers") or CitationNumbers()
        embed_site = self.getConfig("embed") or None
        block_mgr.register(CalculatorBlock, {"bibliography": bibliography, "embed": embed_site})
        block_mgr.register(DecisionTableBlock, {"bibliography": bibliography, "numbers": numbers})
        block_mgr.register(PatientBlock, {})
        block_mgr.register(ClinicianBlock, {})
        block_mgr.register(ReviewStatusesBlock, {})
        block_mgr.register(EmbedBlock, {"site": embed_site})
        block_mgr.register(EmbedKitBlock, {"site": embed_site})


def bibliography_of(value: Bibliography | str | Path | None) -> Bibliography:
    """The bibliography given, or the one at a path; an empty one when there is none."""
    if isinstance(value, Bibliography):
        return value
    if value:
        return BibliographyFile(Path(value))
    return Bibliography({})


class BibliographyFile(Bibliography):
    """A bibliography read when a block first needs it.

    MkDocs builds every listed extension once while it validates mkdocs.yml, before the hook
    supplies the loaded bibliography; reading the file then would only make the working
    directory matter. A relative path is read against the working directory.
    """

    def __init__(self, path: Path) -> None:  # noqa: D107  (no super(): entries is read lazily)
        self.path = path
        self._entries: dict[str, Entry] | None = None

    @property  # type: ignore[override]
    def entries(self) -> dict[str, Entry]:
        if self._entries is None:
            self._entries = Bibliography.load(self.path).entries
        return self._entries


def makeExtension(**kwargs: Any) -> PageBlocksExtension:  # noqa: N802 (Python-Markdown's name)
    return PageBlocksExtension(**kwargs)
