"""Lint: a figure a clinician might act on (a dose, a percentage, a threshold, a duration, a
score value or an equation's coefficient) needs a source.

A paragraph, list item or table that states one and cites nothing (no ``[@key]``, no
``[=entry-id]``) is an error at the line of the figure: it fails the strict build. What counts as its paragraph:

- a paragraph: the lines between blank lines;
- a list item: the item itself (each bullet carries its own citation, as in the guidelines);
- a table: the table, or the paragraph right before it (the sentence that introduces it) or
  right after it (its legend).

Headings, code, HTML comments and calculator or decision-table blocks are not linted: the
calculators carry their own references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .scan import BLOCK_RE, CITATION_RE, EVIDENCE_RE, mask
from .problems import Problem, error

NUMBER = r"(?<![\w.,/])\d+(?:[.,]\d+)?"
RANGE = rf"{NUMBER}(?:\s*(?:-|–|—|to)\s*\d+(?:[.,]\d+)?)?"
UNIT = (
    r"%|mg/kg(?:/d(?:ay)?)?|mg/m(?:2|²)|mg/d(?:ay)?|mg/dL|mg/L|mg|g/d(?:ay)?|g/dL|g/L|g|µg|μg|mcg"
    r"|ng/mL|µmol/L|μmol/L|mmol/L|IU/L|U/L|IU"
    r"|[×x]\s*(?:the\s+)?ULN|times\s+(?:the\s+)?(?:ULN|upper\s+limit(?:\s+of\s+normal)?)"
    r"|(?:points?|weeks?|months?|years?|days?|hours?)\b"  # durations and score points
    r"|per\s*cent|percent"
)
# A figure without a unit that still carries clinical weight: a score value or cut-off
# ("a score of 7", "MELD 15 or more"), an equation coefficient (0.957, 1.32), a bare range.
BARE = (
    r"(?:score|MELD(?:-Na)?(?!\s+3\.0)|MELD 3\.0|FIB-4|APRI|Child-Pugh|class)\s+(?:of\s+)?(?:above\s+|below\s+|over\s+|under\s+)?"
    rf"{NUMBER}(?![\w.])"
    r"|(?<![\w.,/])\d+\.\d{2,}(?![\w.])"
    r"|(?<![\w.,/])\d+(?:[.,]\d+)?\s*[–—]\s*\d+(?:[.,]\d+)?(?![\w.])"  # a bare range: 6–40
)
CLAIM_RE = re.compile(
    rf"(?P<figure>{RANGE}\s*(?:{UNIT})(?![\w/])"  # 30 mg/day, 1–2 mg/kg, 80%, 2 × ULN
    rf"|(?<![-=<>])(?:[<>≤≥]=?|&[lg]t;)\s*{NUMBER}"  # >15, ≤ 3, &lt;50
    rf"|{BARE})"
)
AGE_RE = re.compile(r"\baged?\s+(?:of\s+)?\d+(?:\s*(?:-|–|to)\s*\d+)?(?:\s*years?)?", re.IGNORECASE)  # who, not what
HEADING_RE = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
ITEM_RE = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
TABLE_RE = re.compile(r"^[ \t]*\|")
SEPARATOR_RE = re.compile(r"^[ \t]*(?:[!?]{3}\+?(?:[ \t]|$)|<[a-zA-Z/])")  # admonitions, HTML blocks


@dataclass
class Unit:
    """A stretch of text whose figures one citation can support."""

    kind: str  # "para", "item" or "table"
    lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.lines)

    def cites(self) -> bool:
        """A citation, or an evidence mark (it renders as its entry's citations)."""
        return CITATION_RE.search(self.text) is not None or EVIDENCE_RE.search(self.text) is not None


def units(markdown: str) -> list[Unit | None]:
    """The page cut into units; ``None`` marks a heading (nothing carries across it)."""
    out: list[Unit | None] = []
    current: Unit | None = None
    for number, line in enumerate(mask(markdown).split("\n"), start=1):
        if not line.strip() or BLOCK_RE.match(line) or SEPARATOR_RE.match(line):
            current = None
            continue
        if HEADING_RE.match(line):
            current = None
            out.append(None)
            continue
        kind = "table" if TABLE_RE.match(line) else "item" if ITEM_RE.match(line) else "para"
        if current is None or kind == "item" or (kind == "table") != (current.kind == "table"):
            current = Unit(kind)
            out.append(current)
        current.lines.append((number, line))
    return out


def lint(markdown: str) -> list[Problem]:
    """Warnings for uncited figures, with the line of the first figure in each unit."""
    problems = []
    found = units(markdown)
    for index, unit in enumerate(found):
        if unit is None:
            continue
        claims = _claims(unit)
        if not claims or unit.cites() or (unit.kind == "table" and _neighbour_cites(found, index)):
            continue
        line, figure = claims[0]
        more = f" (and {len(claims) - 1} more)" if len(claims) > 1 else ""
        why = {
            "table": "neither this table nor the paragraph just before or after it cites a source",
            "item": "its list item cites no source",
            "para": "its paragraph cites no source",
        }[unit.kind]
        message = f"'{figure}'{more} states a figure (a dose, percentage, threshold, duration or score), but {why}: add a citation such as [@key], or an evidence mark such as [=entry-id]"
        problems.append(error(line, message))
    return problems


def _neighbour_cites(found: list[Unit | None], index: int) -> bool:
    """A table's source may sit in the sentence that introduces it or in its legend below."""
    neighbours = [found[i] for i in (index - 1, index + 1) if 0 <= i < len(found)]
    return any(n is not None and n.kind == "para" and n.cites() for n in neighbours)


def _claims(unit: Unit) -> list[tuple[int, str]]:
    found = []
    for number, line in unit.lines:
        text = CITATION_RE.sub(lambda m: " " * len(m.group()), line)
        text = AGE_RE.sub(lambda m: " " * len(m.group()), EVIDENCE_RE.sub(lambda m: " " * len(m.group()), text))
        found += [(number, " ".join(m["figure"].split())) for m in CLAIM_RE.finditer(text)]
    return found
