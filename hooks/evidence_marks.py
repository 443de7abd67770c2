"""Figures in the prose tied to the evidence register, and what a page's evidence allows.

An author writes ``30 mg/day [=taper-aasld2010]``: the mark names a register entry
(src/aihcalc/evidence.toml). The build renders it as the entry's sources, cited like ``[@key]``,
followed by a small tag saying how far the figure was checked, linked to the entry's row on
the evidence page. A page's evidence is its marks plus its calculators' declared entries: it
fills the page's "Verification pending" box and bounds the review status the page may claim.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

import aihcalc
from aihcalc.evidence import Evidence

from .problems import Problem, error
from .review_statuses import BY_KEY
from .scan import blocks, evidence_marks

EVIDENCE_PAGE = "evidence.md"  # the generated register page (hooks/evidence_page.py), under content/
# The tag after a marked figure: short, because it sits in running text.
TAGS = {"confirmed": "confirmed", "secondary": "secondary source", "unverified": "unverified"}
TAG_TITLES = {
    "confirmed": "Checked in the primary source",
    "secondary": "Seen only in a secondary source, not yet in the primary one",
    "unverified": "Not found in the source's text: use with caution",
}


def check(markdown: str, register: Mapping[str, Evidence]) -> list[Problem]:
    """A mark whose id is malformed or names no register entry."""
    problems = []
    for mark in evidence_marks(markdown):
        if not mark.well_formed:
            problems.append(error(mark.line, f"evidence mark '[={mark.id}]' is malformed: write [=entry-id] with a lower-case id from the evidence register (src/aihcalc/evidence.toml)"))
        elif mark.id not in register:
            problems.append(error(mark.line, f"evidence mark '[={mark.id}]' names no entry of the evidence register: add the entry to src/aihcalc/evidence.toml, or fix the id"))
    return problems


def used(markdown: str) -> list[str]:
    """The register ids a page rests on, in page order: its marks, then its calculators' entries."""
    ids = [m.id for m in evidence_marks(markdown) if m.well_formed]
    known = {c.id: c for c in aihcalc.all_calculators()}
    for block in blocks(markdown):
        calc = known.get((block.argument or "").strip()) if block.name == "calculator" else None
        if calc is not None:
            ids += list(calc.evidence)
    return list(dict.fromkeys(ids))


def sources(markdown: str, register: Mapping[str, Evidence]) -> list[str]:
    """The bibliography keys the page's marks cite (their entries' sources)."""
    keys = [k for m in evidence_marks(markdown) if m.id in register for k in register[m.id].sources]
    return list(dict.fromkeys(keys))


def expand(markdown: str, register: Mapping[str, Evidence], page: str) -> str:
    """Each known mark as its entry's citation and a status tag linked to the evidence page.

    ``page``: the page's path under content/, so the link is relative and MkDocs checks it.
    Unknown marks stay as written (``check`` reports them).
    """
    link = posixpath.relpath(EVIDENCE_PAGE, posixpath.dirname(page) or ".")
    pieces, last = [], 0
    for mark in evidence_marks(markdown):
        entry = register.get(mark.id)
        if entry is None:
            continue
        cite = "[" + "; ".join(f"@{key}" for key in entry.sources) + "]"
        # A Markdown link (attr_list adds the classes), so MkDocs rewrites and checks it.
        tag = f'[{TAGS[entry.status]}]({link}#{entry.id}){{: .aih-ev .aih-ev--{entry.status} title="{TAG_TITLES[entry.status]}" }}'

        pieces += [markdown[last:mark.start], cite, " ", tag]
        last = mark.end
    pieces.append(markdown[last:])
    return "".join(pieces) if pieces[:-1] else markdown


@dataclass(frozen=True)
class Pending:
    """A figure the page uses that is not confirmed in a primary source."""

    entry: Evidence
    url: str  # its row on the evidence page, relative to the page


def pending(ids: Iterable[str], register: Mapping[str, Evidence], evidence_url: str) -> list[Pending]:
    """The page's entries not confirmed, for its Verification pending box."""
    return [
        Pending(register[i], f"{evidence_url}#{i}" if evidence_url else "")
        for i in ids
        if i in register and register[i].status != "confirmed"
    ]


def status_problems(status: object, ids: Collection[str], register: Mapping[str, Evidence], line: int) -> list[Problem]:
    """A review status that claims more than the page's evidence supports."""
    definition = BY_KEY.get(status) if isinstance(status, str) else None
    if definition is None or not definition.needs_confirmed_evidence:
        return []
    weak = [register[i] for i in ids if i in register and register[i].status != "confirmed"]
    if not weak:
        return []
    listed = "; ".join(f"{e.statement} ({TAGS[e.status]})" for e in weak[:3])
    more = f"; and {len(weak) - 3} more" if len(weak) > 3 else ""
    return [error(line, f"review.status is {status}, which needs every figure confirmed in a primary source, but the page uses {len(weak)} that are not: {listed}{more}: set status to draft, or confirm the entries in the evidence register")]

