"""The evidence page: the whole evidence register as one page a clinician can read and filter.

Generated at build time from ``src/aihcalc/evidence.toml``, so it cannot drift from what the
calculators declare. Each figure gets one table row, reachable as ``evidence.md#<entry id>``
(the row's HTML id), with its source in full, how far that source was checked and where the
site uses it: guideline pages that tie a figure to it with an ``[=id]`` mark or show a
calculator that rests on it, and those calculators' own pages.

The table is HTML, since Markdown tables carry no row ids; its "where used" cells are Markdown
(``markdown="span"``, the md_in_html extension) so MkDocs resolves and validates their links to
the .md files like any other. The status filter is radio buttons and CSS (content.css): it
works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

import aihcalc
from aihcalc.dates import human_date
from aihcalc.evidence import STATUS_DEFINITIONS, STATUS_WORDS, STATUSES, Evidence, register
from aihcalc.spec import Calculator

from . import frontmatter, reference_pages, scan
from .references import Bibliography

PAGE = "evidence.md"
TITLE = "Evidence behind the figures"
QUESTION = "What does each figure on this site rest on, and how far has its source been checked?"
SUMMARY = (
    "Every dose, threshold and score point the calculators and pages use, with its source, where "
    "in the source it was found, how far that source was checked, and where the site uses it."
)
TEMPLATES = Path(__file__).parent / "templates"
# Pages that are not guidance: contributors' examples, and the generated calculator pages
# (listed as calculators instead).
_NOT_GUIDANCE = ("contributing/", f"{reference_pages.FOLDER}/")

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Use:
    """Where a figure is used: a guideline page or a calculator's page (a path under content/)."""

    title: str
    path: str
    kind: str  # "page" or "calculator"


def evidence_uses(docs_dir: Path, calculators: Iterable[Calculator] | None = None) -> dict[str, list[Use]]:
    """For each entry id, the guideline pages and then the calculators that use it.

    A page uses an entry when its text marks a figure with ``[=id]`` or when it shows a
    calculator (a block, or a decision table bound to one) that declares the entry. Pages come
    in path order, calculators in title order, each once. ``calculators`` defaults to them all.
    """
    calcs = sorted(aihcalc.all_calculators() if calculators is None else calculators, key=lambda c: c.title)
    declared = {c.id: c.evidence for c in calcs}
    shown = reference_pages.calculator_uses(docs_dir)  # calculator id -> pages showing it
    by_page: dict[str, set[str]] = {}
    for calc_id, pages in shown.items():
        for page in pages:
            by_page.setdefault(page.path, set()).update(declared.get(calc_id, ()))
    titles = {page.path: page.title for pages in shown.values() for page in pages}
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        if rel.startswith(_NOT_GUIDANCE):
            continue
        text = path.read_text(encoding="utf-8-sig")
        marked = {m.id for m in scan.evidence_marks(text) if m.well_formed}
        if marked:
            by_page.setdefault(rel, set()).update(marked)
            titles.setdefault(rel, str(frontmatter.parse(text).data.get("title") or rel))
    uses: dict[str, list[Use]] = {}
    for rel in sorted(by_page):
        for entry_id in sorted(by_page[rel]):
            uses.setdefault(entry_id, []).append(Use(titles[rel], rel, "page"))
    for calc in calcs:
        for entry_id in dict.fromkeys(calc.evidence):
            uses.setdefault(entry_id, []).append(Use(calc.title, reference_pages.page_path(calc.id), "calculator"))
    return uses


def evidence_markdown(
    register: Mapping[str, Evidence],
    uses: Mapping[str, list[Use]],
    bibliography: Bibliography,
    today: dt.date,
) -> str:
    """The register as a page: what it is, what the statuses mean, then one row per figure."""
    counts = Counter(entry.status for entry in register.values())
    rows = [_row(entry, uses.get(entry.id, []), bibliography) for entry in register.values()]
    table = _env.get_template("evidence_table.html").render(
        rows=rows,
        total=len(rows),
        statuses=[{"status": s, "words": STATUS_WORDS[s], "count": counts[s]} for s in STATUSES],
    )
    lines = [
        *_front_matter(today),
        f"# {TITLE}",
        "",
        "Each dose, threshold and score point that this site's calculators and pages use is "
        "recorded here once: the figure, its source and where in the source it was found, how "
        "far that source was checked, and where the site uses it. Check the figures you rely on, "
        "above all those not yet confirmed in the original source.",
        "",
        "## How far each figure was checked",
        "",
        *[f"- **{STATUS_WORDS[s]}.** {STATUS_DEFINITIONS[s]}" for s in STATUSES],
        "",
        "## The figures",
        "",
        _counts_sentence(len(rows), counts),
        "",
        table,
        "",
    ]
    return "\n".join(lines)


def page_markdown(docs_dir: Path, bibliography: Bibliography, today: dt.date) -> str:
    """The page as the build adds it: the register, its uses in ``docs_dir``, every calculator."""
    return evidence_markdown(register(), evidence_uses(docs_dir), bibliography, today)


def _front_matter(today: dt.date) -> list[str]:
    return [
        "---",
        f"title: {_yaml(TITLE)}",
        f"question: {_yaml(QUESTION)}",
        f"summary: {_yaml(SUMMARY)}",
        "tags: [evidence]",
        "hide: [toc]",  # two headings; the table needs the width
        "review:",
        "  status: draft",
        f"last_updated: {today.isoformat()}",
        "---",
        "",
    ]


def _counts_sentence(total: int, counts: Mapping[str, int]) -> str:
    parts = [f"{counts.get(s, 0)} {_counted(s, counts.get(s, 0))}" for s in STATUSES]
    listed = ", ".join(parts[:-1]) + " and " + parts[-1]
    noun = "figure" if total == 1 else "figures"
    return f"This page lists {total} {noun}: {listed}. Choose which to show below."


def _counted(status: str, count: int) -> str:
    """A status's words after a number: "10 confirmed in the primary source"."""
    verb = "is" if count == 1 else "are"
    return {
        "confirmed": f"{verb} confirmed in the primary source",
        "secondary": f"{'was' if count == 1 else 'were'} seen only in a secondary source",
        "unverified": f"{verb} not confirmed",
    }.get(status, f"{verb} {STATUS_WORDS.get(status, status).lower()}")


def _row(entry: Evidence, uses: list[Use], bibliography: Bibliography) -> dict[str, Any]:
    sources = []
    for key in entry.sources:
        found = bibliography.entries.get(key)
        sources.append(
            {
                "citation": found.citation if found else "A source not yet in the bibliography.",
                "doi": found.doi if found else "",
                "doi_url": found.doi_url if found else "",
                "pmid": found.pmid if found else "",
                "pubmed_url": found.pubmed_url if found else "",
                "url": found.url if found and not found.doi else "",
            }
        )
    return {
        "id": entry.id,
        "status": entry.status,
        "statement": entry.statement,
        "value": entry.value,
        "sources": sources,
        "locator": entry.locator,
        "status_words": STATUS_WORDS.get(entry.status, entry.status),
        "checked": human_date(entry.checked) if entry.checked else "",
        "note": entry.note,
        "pages": [_link(use) for use in uses if use.kind == "page"],
        "calculators": [_link(use) for use in uses if use.kind == "calculator"],
    }


def _link(use: Use) -> str:
    """A Markdown link from the page (at the top of content/) to the use's .md file."""
    return f"[{_md(use.title)}]({use.path})"


def _md(text: str) -> str:
    """Plain text inside Markdown: the characters that would start markup, escaped."""
    for char in "\\`*_[]":
        text = text.replace(char, "\\" + char)
    return text


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
