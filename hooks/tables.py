"""Decision tables on pages: the ``/// decision-table`` block and its build-time checks.

``/// decision-table | ID`` shows a table from src/aihcalc/tables/ (the very table a calculator
evaluates in the browser); ``/// decision-table`` with a TOML body shows a page-only table. Both
go through aihcalc's parser and analyser, so a gap, an overlap or an unreachable rule is found
when the site is built (``find_table_problems``, logged as errors by hooks/main.py), and the
page shows what the code runs.

Citations in notes read as the rest of the page's do: superscript numbers linking to the page's
reference list. The page's citation renderer runs first (hooks/main.py): ``page_citations`` tells
it where each table cites what, so the tables' sources are numbered into the page's list with
back-links to their rows, and ``CitationNumbers`` hands the numbers to the blocks. A table shown
without a page (the tests, a page without the renderer) numbers its own sources 1, 2, ... and
links to its list of sources under it, which gives each source's DOI and PubMed links.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aihcalc
from aihcalc import decisions
from aihcalc.decisions import DecisionTable, Finding, TableError
from aihcalc.tables import load_table, table_ids, table_origin, table_source
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markdown import Markdown
from markupsafe import Markup, escape
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block, type_boolean

from . import scan
from .citations import BlockCitations
from .problems import Problem, error
from .references import Bibliography, Entry

TEMPLATES = Path(__file__).parent / "templates"
NAME = "decision-table"
OPTIONS = ("try",)
COVERAGE = {
    "UNIQUE": "every combination of values in the stated ranges matches exactly one rule",
    "ANY": "every combination of values in the stated ranges matches a rule, and rules that "
    "overlap give the same answer",
    "FIRST": "every combination of values in the stated ranges matches a rule, and every rule "
    "can be reached",
    "COLLECT": "every combination of values in the stated ranges matches at least one rule",
}
# How to read the table, in words (the policy's name stays in data-hit-policy for scripts).
POLICY_WORDS = {
    "UNIQUE": "Only one rule can match.",
    "ANY": "Rules overlap only where they give the same answer: any matching rule applies.",
    "FIRST": "Rules are read from the top: the first matching rule applies.",
    "COLLECT": "Every matching rule applies; all of them are listed, in table order.",
}

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


# ---------------------------------------------------------------------------------------------
# Finding the blocks in a page and checking them (build time, python -m hooks.check)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableBlock:
    """One ``/// decision-table`` block as written in a page (lines are 1-based page lines)."""

    line: int
    argument: str
    body: str
    body_line: int
    options: Mapping[str, str] = field(default_factory=dict)
    closed: bool = True


def find_blocks(markdown: str) -> list[TableBlock]:
    """Every decision-table block of a page, outside code, with its options and body."""
    return [
        TableBlock(b.line, b.argument or "", b.body, b.body_line, b.options, b.closed)
        for b in scan.blocks(markdown)
        if b.name == NAME
    ]


def calculator_lines(markdown: str) -> dict[str, list[int]]:
    """Where each ``/// calculator | ID`` block starts, outside code."""
    found: dict[str, list[int]] = {}
    for block in scan.blocks(markdown):
        if block.name == "calculator" and block.argument:
            found.setdefault(block.argument, []).append(block.line)
    return found


def find_table_problems(
    markdown: str, path: str, bibliography: Bibliography | Collection[str] | None = None
) -> list[Problem]:
    """Every problem of every decision-table block in a page, each at the page line to fix.

    Lines count from the first line of ``markdown``: a caller that strips front-matter adds
    those lines back (hooks/checks.py does). ``bibliography``: the bibliography or its keys,
    against which the rules' citations are checked (None: not checked).
    """
    known = bibliography.entries if isinstance(bibliography, Bibliography) else bibliography
    problems: list[Problem] = []
    calculators = calculator_lines(markdown)
    for block in find_blocks(markdown):
        problems += _block_problems(block, path, known, calculators)
    return problems


def table_citations(markdown: str) -> list[str]:
    """Bibliography keys cited by the page's decision tables, in order of first citation."""
    keys: list[str] = []
    for block in find_blocks(markdown):
        try:
            table = _table_of(block)
        except (KeyError, TableError):
            continue
        for rule in table.rules:
            keys += [k for k in rule_citations(rule) if k not in keys]
    return keys


@dataclass
class CitationNumbers:
    """The current page's reference numbers (key -> number), set by the page's citation renderer.

    Shared by the extension and hooks/main.py; empty when a table is shown without a page.
    """

    numbers: dict[str, int] = field(default_factory=dict)


def page_citations(markdown: str) -> list[BlockCitations]:
    """Where each decision table of the page cites what, for the page's reference list.

    Each cited key comes with the id of the first row citing it in that table (the reference
    list's back-link); the ids are those ``render_block`` gives, a repeated table included.
    """
    found = []
    seen: dict[str, int] = {}
    starts = _line_starts(markdown)
    for block in find_blocks(markdown):
        try:
            table = _table_of(block)
        except (KeyError, TableError, ValueError):
            continue
        html_id = _html_id(table.id, seen)
        cites: dict[str, str] = {}
        for rule in table.rules:
            for key in rule_citations(rule):
                cites.setdefault(key, f"{html_id}-rule-{rule.number}")
        if cites:
            found.append(BlockCitations(starts[block.line - 1], tuple(cites.items())))
    return found


def rule_citations(rule: decisions.Rule) -> list[str]:
    """The keys a rule's note cites, read as a page's citations are (hooks/scan.py)."""
    return scan.cited_keys(scan.citations(rule.annotation))


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts


def _html_id(table_id: str, seen: dict[str, int]) -> str:
    """``dt-ID``, then ``dt-ID-2``... for the same table shown again on a page."""
    seen[table_id] = seen.get(table_id, 0) + 1
    return f"dt-{table_id}" + (f"-{seen[table_id]}" if seen[table_id] > 1 else "")


def _table_of(block: TableBlock) -> DecisionTable:
    if block.argument:
        return load_table(block.argument)
    return decisions.parse_table(block.body, origin="inline", line_offset=block.body_line - 1)


def _block_problems(
    block: TableBlock, path: str, known: Collection[str] | None, calculators: dict[str, list[int]]
) -> list[Problem]:
    def problem(message: str, line: int = block.line, **extra: Any) -> Problem:
        return error(line, message, path, **extra)

    found = []
    if not block.closed:
        found.append(problem("this decision-table block is never closed: end it with a line of ///"))
    for key, value in block.options.items():
        if key not in OPTIONS:
            found.append(
                problem(f"unknown option {key!r} of a decision-table block: the only option is try: false")
            )
        elif value.lower() not in ("true", "false"):
            found.append(problem(f"option {key}: write true or false (got {value!r})"))
    if block.argument and block.body.strip():
        found.append(
            problem(
                f"a decision-table block takes a table id or a TOML body, not both: remove the body "
                f"or the '| {block.argument}'"
            )
        )
        return found
    if block.argument:
        table, findings = _shipped(block, problem)
    else:
        table, findings = _inline(block, path)
    found += findings
    if table is not None:
        found += _binding_problems(table, block, calculators, problem)
        found += _citation_problems(table, block, path, known)
    return found


def _shipped(block: TableBlock, problem: Any) -> tuple[DecisionTable | None, list[Problem]]:
    """A table from src/aihcalc/tables: its findings point at the page block and the TOML line."""
    table_id = block.argument
    if table_id not in table_ids():
        known = ", ".join(table_ids())
        message = f"unknown decision table {table_id!r}; use one of {known} (src/aihcalc/tables/)"
        return None, [problem(message)]
    origin = table_origin(table_id)
    findings = decisions.check(table_source(table_id), origin=origin)
    reported = [
        problem(f"{origin}{f':{f.line}' if f.line else ''}: {f}", example=f.example, kind=f.kind)
        for f in findings
    ]
    try:
        return load_table(table_id), reported
    except (TableError, ValueError):
        return None, reported


def _inline(block: TableBlock, path: str) -> tuple[DecisionTable | None, list[Problem]]:
    """A page-only table: its lines are page lines (block start + line inside the body)."""
    offset = block.body_line - 1
    try:
        table = decisions.parse_table(block.body, origin=path, line_offset=offset)
    except TableError as exc:
        return None, [_from_finding(f, block, path) for f in exc.findings]
    return table, [_from_finding(f, block, path) for f in decisions.analyse(table)]


def _from_finding(finding: Finding, block: TableBlock, path: str) -> Problem:
    return error(finding.line or block.line, str(finding), path, example=finding.example, kind=finding.kind)


def _binding_problems(
    table: DecisionTable, block: TableBlock, calculators: dict[str, list[int]], problem: Any
) -> list[Problem]:
    """A bound calculator must exist, and its form must not appear twice on the page.

    A calculator shown above the table makes the block leave its form out by itself; only one
    shown further down needs ``try: false``.
    """
    if table.calculator is None:
        return []
    known = {c.id for c in aihcalc.all_calculators()}
    if table.calculator not in known:
        return [
            problem(
                f"table {table.id!r} names calculator {table.calculator!r}, which is not "
                f"registered; use one of {', '.join(sorted(known))}"
            )
        ]
    below = [n for n in calculators.get(table.calculator, []) if n > block.line]
    if below and block.options.get("try", "true").lower() != "false":
        return [
            problem(
                f"the {table.calculator} calculator is also shown further down this page (line "
                f"{below[0]}), and the table would add a second form with the same ids: write "
                "'    try: false' on the line after the decision-table line"
            )
        ]
    return []


def _citation_problems(
    table: DecisionTable, block: TableBlock, path: str, known: Collection[str] | None
) -> list[Problem]:
    """Every cited key must be in the bibliography (reported at the rule, or at the block)."""
    if known is None:
        return []
    found = []
    for rule in table.rules:
        missing = sorted(set(rule_citations(rule)) - set(known))
        if missing:
            where = f"{table.origin}:{rule.line}: " if block.argument and rule.line else ""
            line = rule.line if not block.argument and rule.line else block.line
            found.append(
                error(
                    line,
                    f"{where}table {table.id!r}: {rule.where()} cites {', '.join(missing)}, which "
                    "the bibliography does not hold: add the entry or fix the key",
                    path,
                    kind="citation",
                )
            )
    return found


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def render_table(
    table: DecisionTable,
    bibliography: Bibliography | None = None,
    *,
    try_it: bool = True,
    findings: list[Finding] | None = None,
    html_id: str = "",
    numbers: Mapping[str, int] | None = None,
) -> str:
    """The accessible HTML table, its sources, and (for a bound table) a live "try it" form.

    ``numbers``: the page's reference numbers; a citation then links to the page's list
    (``#ref-N``). Without them, or when they lack a key, the table numbers its own sources.
    """
    findings = decisions.analyse(table) if findings is None else findings
    html_id = html_id or f"dt-{table.id}"
    keys = _cited(table)
    known = bibliography.entries if bibliography is not None else {}
    on_page = bool(keys) and numbers is not None and all(k in numbers for k in keys)
    cites = {
        key: _Cite(numbers[key] if on_page and numbers else n, known.get(key), on_page, html_id, key)
        for n, key in enumerate(keys, start=1)
    }
    return _env.get_template("decision_table.html").render(
        table=table,
        html_id=html_id,
        policy_text=POLICY_WORDS[table.hit_policy],
        coverage=COVERAGE[table.hit_policy] if not findings else "",
        findings=findings,
        inputs=[_header(c) for c in table.inputs],
        rows=[_row(table, rule, html_id, cites) for rule in table.rules],
        sources=sorted(cites.values(), key=lambda c: c.number),
        try_it=_try_it(table, bibliography) if try_it else None,
    )


def render_block(
    argument: str,
    body: str,
    bibliography: Bibliography | None,
    *,
    try_it: bool = True,
    seen: dict[str, int] | None = None,
    numbers: Mapping[str, int] | None = None,
) -> str:
    """What the block shows: the table, or a visible error (the build log names the line).

    ``seen`` counts the tables already on the page, so a table shown twice gets distinct ids;
    ``numbers`` are the page's reference numbers (see ``render_table``).
    """
    try:
        if argument:
            table = load_table(argument)
        else:
            table = decisions.parse_table(body, origin="inline")
    except KeyError:
        return _error_html(f"Unknown decision table {argument!r}.", [])
    except TableError as exc:
        return _error_html("This decision table cannot be read.", [str(f) for f in exc.findings])
    html_id = _html_id(table.id, {} if seen is None else seen)
    return render_table(table, bibliography, try_it=try_it, html_id=html_id, numbers=numbers)


def _error_html(title: str, details: list[str]) -> str:
    return _env.get_template("decision_table.html").render(error=title, details=details)


def _header(column: decisions.Column) -> dict[str, str]:
    if column.type == "number":
        assert column.domain is not None
        low, high = (decisions.number_text(v) for v in column.domain)
        whole = "whole numbers " if column.integer else ""
        domain = f"{whole}{low} to {high}"
    elif column.type == "choice":
        domain = ""
    else:
        domain = "yes or no"
    return {"label": column.label, "unit": column.unit, "domain": domain, "name": column.name}


def _row(table: DecisionTable, rule: decisions.Rule, html_id: str, cites: Mapping[str, "_Cite"]) -> dict[str, Any]:
    cells = []
    for column in table.inputs:
        cond = rule.conditions[column.name]
        cells.append({"text": _condition_text(column, cond), "any": cond.any, "written": cond.text})
    outputs = [_output_text(rule.outputs.get(o.name)) for o in table.outputs]
    return {
        "number": rule.number,
        "id": f"{html_id}-rule-{rule.number}",
        "cells": cells,
        "outputs": outputs,
        "annotation": _annotation(rule.annotation, cites),
    }


def _condition_text(column: decisions.Column, cond: decisions.Condition) -> str:
    if cond.any:
        return "any"
    if cond.interval is not None:
        return number_condition_words(cond.interval)
    values = [v for v in column.values() if v in cond.values]
    return ", ".join(column.label_of(v) for v in values)


def number_condition_words(interval: decisions.Interval) -> str:
    """A numeric condition as readers write it: ``≥ 50``, ``5 to 6``, ``> 2 and ≤ 3``."""
    low, high = decisions.number_text(interval.low), decisions.number_text(interval.high)
    if interval.low == interval.high:
        return low
    lower = ("≥ " if interval.low_closed else "> ") + low
    upper = ("≤ " if interval.high_closed else "< ") + high
    if interval.low == float("-inf"):
        return upper
    if interval.high == float("inf"):
        return lower
    if interval.low_closed and interval.high_closed:
        return f"{low} to {high}"
    return f"{lower} and {upper}"


def _output_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return decisions.number_text(value)
    return str(value)


@dataclass(frozen=True)
class _Cite:
    """One source of a table: its number, entry, and where a citation of it links."""

    number: int
    entry: Entry | None
    on_page: bool  # numbered in the page's reference list
    html_id: str
    key: str

    @property
    def id(self) -> str:
        return f"{self.html_id}-src-{self.key}"

    @property
    def href(self) -> str:
        return f"#ref-{self.number}" if self.on_page else f"#{self.id}"


def _annotation(text: str, cites: Mapping[str, _Cite]) -> Markup:
    """The note with each ``[@key]`` as the page shows citations: linked superscript numbers."""
    pieces: list[Markup] = []
    last = 0
    for match in scan.CITATION_RE.finditer(text):
        pieces.append(escape(text[last:match.start()].rstrip(" \t")))
        pieces.append(_superscript(match.group(0), cites))
        last = match.end()
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)


def _superscript(bracket: str, cites: Mapping[str, _Cite]) -> Markup:
    links: list[tuple[int, Markup]] = []
    items = scan.cites(bracket[1:-1])
    for item in items or (None,):
        cite = cites.get(item.key) if item else None
        if item is None or cite is None:
            return Markup('<span class="citation--missing">{}</span>').format(bracket)
        title = cite.entry.citation if cite.entry else "Not in the bibliography"
        locator = item.locator
        link = Markup('<a href="{}" title="{}">{}</a>').format(cite.href, title, cite.number)
        if locator:
            link += Markup('<span class="citation__locator"> ({})</span>').format(locator)
        links.append((cite.number, link))
    ordered = [link for _, link in sorted(links, key=lambda pair: pair[0])]  # as the page orders them
    return Markup('<sup class="citation">{}</sup>').format(Markup(",").join(ordered))


def _cited(table: DecisionTable) -> list[str]:
    keys: list[str] = []
    for rule in table.rules:
        keys += [k for k in rule_citations(rule) if k not in keys]
    return keys


def _try_it(table: DecisionTable, bibliography: Bibliography | None) -> Markup | None:
    if table.calculator is None or bibliography is None:
        return None
    from .widgets import render_calculator  # local: widgets is the calculators' module

    try:
        return Markup(render_calculator(table.calculator, bibliography))
    except KeyError:
        return None


# ---------------------------------------------------------------------------------------------
# The Python-Markdown block
# ---------------------------------------------------------------------------------------------


class DecisionTableBlock(Block):
    """``/// decision-table | ID`` (a shipped table) or ``/// decision-table`` with a TOML body."""

    NAME = NAME
    ARGUMENT = None
    OPTIONS = {"try": (True, type_boolean)}

    def on_markdown(self) -> str:
        return "raw"

    def on_create(self, parent: etree.Element) -> etree.Element:
        return etree.SubElement(parent, "div", {"class": "aihdt-block"})

    def on_end(self, block: etree.Element) -> None:
        bibliography: Bibliography | None = self.config.get("bibliography") or None
        page: CitationNumbers | None = self.config.get("numbers") or None
        argument = str(self.argument or "").strip()
        try_it = bool(self.options.get("try", True)) and not self._calculator_shown(argument)
        seen = self.tracker.setdefault("seen", {})
        numbers = page.numbers if page is not None else None
        html = render_block(argument, block.text or "", bibliography, try_it=try_it, seen=seen, numbers=numbers)
        block.text = self.md.htmlStash.store(html)
        self.tracker.setdefault("ids", []).append(argument or "inline")

    def _calculator_shown(self, argument: str) -> bool:
        """A calculator already rendered on this page: a second form would repeat its ids."""
        try:
            calc_id = load_table(argument).calculator if argument else None
        except (KeyError, TableError):
            return False
        marker = f'data-calculator="{calc_id}"'
        return calc_id is not None and any(marker in str(raw) for raw in self.md.htmlStash.rawHtmlBlocks)


class DecisionTableExtension(BlocksExtension):
    """Python-Markdown extension registering the ``decision-table`` block."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.config = {
            "bibliography": ["", "a hooks.references.Bibliography"],
            "numbers": ["", "a CitationNumbers: the current page's reference numbers"],
        }
        super().__init__(*args, **kwargs)

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: Any) -> None:
        block_mgr.register(DecisionTableBlock, self.getConfigs())
