"""The four review statuses, defined once: the badge, the index, the editorial policy and the
build's checks all read them from here, so no two pages can define a status differently.
"""

from __future__ import annotations

from dataclasses import dataclass

import xml.etree.ElementTree as etree

from markupsafe import escape
from pymdownx.blocks.block import Block


@dataclass(frozen=True)
class ReviewStatus:
    key: str  # the front-matter value
    label: str  # what the badge shows
    note: str  # the badge's one-line caution
    meaning: str  # the full definition, as the index and the editorial policy state it
    needs_confirmed_evidence: bool  # every figure tied to the register checked in a primary source


DEFINITIONS: tuple[ReviewStatus, ...] = (
    ReviewStatus(
        "draft",
        "Draft",
        "Being written; not yet checked by a clinical reviewer. Use with caution.",
        "The page is being written, or holds figures not yet confirmed against a primary "
        "source (each is marked where it stands and listed under Verification pending). "
        "No clinical reviewer has checked it.",
        needs_confirmed_evidence=False,
    ),
    ReviewStatus(
        "submitted",
        "Submitted",
        "Every figure checked against its primary source; waiting for a clinical reviewer. Use with caution.",
        "The author considers the page complete, and every figure it ties to the evidence "
        "register (its calculators' figures included) has been confirmed in a primary source. "
        "It waits for a named clinical reviewer and has not yet been signed off.",
        needs_confirmed_evidence=True,
    ),
    ReviewStatus(
        "under-review",
        "Under review",
        "A clinical reviewer is checking this page; not yet signed off. Use with caution.",
        "A named clinical reviewer is checking the page against its sources. Its figures are "
        "confirmed in primary sources, as for Submitted; it is not yet signed off.",
        needs_confirmed_evidence=True,
    ),
    ReviewStatus(
        "approved",
        "Approved",
        "Checked against its sources and signed off by clinical reviewers.",
        "Named reviewers, each with their clinical role, checked the page against its sources "
        "and signed it off on the date shown. The page shows when its next review is due, and "
        "says so plainly once that date has passed.",
        needs_confirmed_evidence=True,
    ),
)

BY_KEY: dict[str, ReviewStatus] = {s.key: s for s in DEFINITIONS}
STATUSES: tuple[str, ...] = tuple(BY_KEY)
STATUS_LABELS: dict[str, str] = {s.key: s.label for s in DEFINITIONS}
STATUS_NOTES: dict[str, str] = {s.key: s.note for s in DEFINITIONS}


def definitions_html() -> str:
    """The statuses as a definition list, for the ``/// review-statuses`` block."""
    items = "".join(
        f'<dt id="status-{s.key}">{escape(s.label)}</dt>\n<dd>{escape(s.meaning)}</dd>\n' for s in DEFINITIONS
    )
    return f'<dl class="aih-review-statuses">\n{items}</dl>'


class ReviewStatusesBlock(Block):
    """``/// review-statuses``: the definitions above, where a page explains the statuses."""

    NAME = "review-statuses"
    ARGUMENT = False

    def on_markdown(self) -> str:
        return "raw"

    def on_create(self, parent: etree.Element) -> etree.Element:
        return etree.SubElement(parent, "div", {"class": "aih-review-statuses-box"})

    def on_end(self, block: etree.Element) -> None:
        block.text = self.md.htmlStash.store(definitions_html())
