"""Calculator pages, generated from the declarations so they cannot drift.

For clinicians: one page per calculator (what it answers, where the guideline uses it, what to
enter, what it gives, its dose limits, a worked example) and an index grouped by what the
calculators do. For contributors: one page with what code needs (ids, input names and kinds,
units, the command line, the JSON contract). They are Markdown, so they go through the same
citation, calculator-block and validation steps as written pages.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

import aihcalc
from aihcalc.dates import day_month_year, human_date
from aihcalc.evidence import STATUS_WORDS
from aihcalc.spec import Calculator, Input, Output, fmt_number

from . import frontmatter, tables

FOLDER = "calculators"
CONTRIBUTOR_PAGE = "contributing/calculators.md"
_KEY_IN_BRACKETS = re.compile(r"\[([A-Za-z0-9_][\w:.+/-]*)\]")
# The index's groups, by the module that declares a calculator; any other module: "Other".
GROUPS = (
    ("Scores and diagnostic criteria", ("aih_score", "liver_scores", "fibrosis")),
    (
        "Doses and tapers",
        (
            "azathioprine",
            "prednisolone_taper",
            "paediatric_prednisolone",
            "budesonide",
            "acute_severe",
            "steroid_conversion",
            "second_line",
        ),
    ),
    ("Decisions", ("treatment_response",)),
)
OTHER_GROUP = "Other calculators"


@dataclass(frozen=True)
class Use:
    """A guideline page that shows a calculator: its title and its path under content/."""

    title: str
    path: str


def page_path(calc_id: str) -> str:
    return f"{FOLDER}/{calc_id}.md"


def calculator_uses(content_dir: Path) -> dict[str, list[Use]]:
    """Which guideline pages show each calculator: a calculator block, or a table bound to it.

    Contributor pages (content/contributing/) are examples, not guidance, and are left out.
    """
    uses: dict[str, list[Use]] = {}
    for path in sorted(content_dir.rglob("*.md")):
        rel = path.relative_to(content_dir).as_posix()
        if rel.startswith(("contributing/", f"{FOLDER}/")):
            continue
        text = path.read_text(encoding="utf-8-sig")
        ids = list(tables.calculator_lines(text))
        for block in tables.find_blocks(text):
            bound = _bound_calculator(block.argument)
            if bound:
                ids.append(bound)
        title = str(frontmatter.parse(text).data.get("title") or rel)
        for calc_id in dict.fromkeys(ids):
            uses.setdefault(calc_id, []).append(Use(title, rel))
    return uses


def _bound_calculator(table_id: str) -> str | None:
    if not table_id:
        return None
    try:
        return tables.load_table(table_id).calculator
    except (KeyError, ValueError, tables.TableError):
        return None


def reference_markdown(calc: Calculator, today: dt.date, uses: Iterable[Use] = ()) -> str:
    """The clinician's page: what the calculator answers and from what, in clinical words."""
    result = calc.calculate(dict(calc.example))
    given = _given(calc, result.inputs)
    lines = [
        *_front_matter(calc.title, f"What does the {calc.title} calculator answer, and from what?", calc.summary, today),
        f"# {calc.title}",
        "",
        _used_on(uses, prefix="../"),
        "",
        f"/// calculator | {calc.id}",
        "///",
        "",
        "## What you enter",
        "",
        "| Input | Unit | Accepted | Usual range | Choices | If left out |",
        "|---|---|---|---|---|---|",
        *[_input_row(item) for item in calc.inputs],
        "",
        "Values outside *Accepted* are refused with a message; values outside the *usual range* "
        "are computed with a warning to check them. *If left out* says what an input left out "
        "becomes: a *required* one must be filled in, an *optional* one may stay empty. The form "
        "never makes a clinical choice for you: a choice it asks for has a value here just for a "
        "request (an embedder's, the command line) that leaves it out.",
        "",
        *_conditions(calc),
        "## What it gives",
        "",
        "| Result | Unit |",
        "|---|---|",
        *[_output_row(out) for out in (calc.value, *calc.outputs)],
        "",
    ]
    if calc.dose_rules is not None and calc.dose_rules.limits:
        lines += _dose_limits(calc)
    if calc.evidence:
        lines += _evidence(calc)
    if calc.fallback is not None:  # otherwise the calculator block already shows this example
        lines += [
            "## Worked example",
            "",
            f"For {_describe(calc, given)}, the answer is **{_md(result.display['value'])}**.",
            "",
            *[f"1. {_md(step)}" for step in result.working],
            "",
        ]
    lines += _changes(calc)
    return "\n".join(lines)


def index_markdown(
    calculators: list[Calculator], today: dt.date, uses: Mapping[str, list[Use]] | None = None
) -> str:
    """The clinician's index: each calculator's question, in words, and where the guideline uses it."""
    uses = uses or {}
    lines = [
        *_front_matter(
            "Calculators",
            "Which calculators does this site offer, and what does each answer?",
            "Every calculator on the site: what it answers, and the guideline pages that use it.",
            today,
        ),
        "# Calculators",
        "",
        "Each calculator shows its working and its sources. Open one to use it, or go to the "
        "guideline page where it is used, which explains when it applies.",
        "",
    ]
    for group, members in _grouped(calculators):
        lines += [f"## {group}", "", "| Calculator | What it answers | Used on |", "|---|---|---|"]
        for calc in members:
            used = _used_on(uses.get(calc.id, []), prefix="../", sentence=False)
            lines.append(f"| [{_md(calc.title)}]({calc.id}.md) | {_md(calc.summary)} | {used} |")
        lines.append("")
    return "\n".join(lines)


def contributor_markdown(calculators: list[Calculator], today: dt.date) -> str:
    """The developer's view: ids, input names and kinds, units, commands and the JSON contract."""
    lines = [
        *_front_matter(
            "Contributing: calculator reference",
            "How is each calculator named and called from a page, the command line and code?",
            "Every calculator's id, input names, kinds and units, outputs, and an example command, "
            "generated from the declarations in src/aihcalc.",
            today,
        ),
        "# Contributing: calculator reference",
        "",
        "Generated from the declarations in `src/aihcalc` when the site is built. Clinicians read "
        "the [calculator pages](../calculators/index.md); this page is for placing, calling and "
        "embedding them. Ids and input names are stable: pages, embedders and tests use them.",
        "",
        "- On a page: `/// calculator | ID` then `///` (see CONTRIBUTING.md).",
        "- Command line: `python -m aihcalc list`, `python -m aihcalc describe ID` (the declaration "
        "as JSON), `python -m aihcalc ID name=value ... --json` (the answer as JSON).",
        "- JSON contract: `aihcalc.bridge` answers `{\"ok\": true, ...}` with the result, or "
        "`{\"ok\": false, \"error\": {\"field\", \"reason\"}}`; either carries `version` "
        "(`{\"package\", \"calculator\"}`), and `describe` lists each calculator's `changes`; "
        "the form's HTML contract is in README.md, \"The calculator markup\"; to show a calculator "
        "on another site, see [Embedding the calculators](../embedding.md).",
        "",
    ]
    for calc in calculators:
        lines += _contributor_section(calc)
    return "\n".join(lines)


def _contributor_section(calc: Calculator) -> list[str]:
    result = calc.calculate(dict(calc.example))
    given = _given(calc, result.inputs)
    command = " ".join(
        ["python -m aihcalc", calc.id]
        + [shlex.quote(f"{k}={_cli_value(v)}") for k, v in given.items()]
        + ["--json"]
    )
    return [
        f"## {_md(calc.title)}",
        "",
        f"Id `{calc.id}` (stable), aihcalc {aihcalc.__version__}, calculator version {calc.version}; "
        "the clinician's page: "
        f"[{_md(calc.title)}](../{page_path(calc.id)}).",
        "",
        "| Name | Input | Kind | Unit | Other units | Accepted | Values | Default |",
        "|---|---|---|---|---|---|---|---|",
        *[_developer_input_row(item) for item in calc.inputs],
        "",
        "| Name | Output | Unit | Table columns |",
        "|---|---|---|---|",
        *[
            f"| `{out.name}` | {_md(out.label)} | {out.unit} | "
            f"{', '.join(f'`{key}`' for key, _ in out.columns)} |"
            for out in (calc.value, *calc.outputs)
        ],
        "",
        "```sh",
        command,
        "```",
        "",
        f"gives the answer **{_md(result.display['value'])}**.",
        "",
    ]


def _developer_input_row(item: Input) -> str:
    accepted = values = ""
    if item.allowed:
        accepted = f"{fmt_number(item.allowed[0])}–{fmt_number(item.allowed[1])}"
    if item.choices:
        values = ", ".join(f"`{c.value}`" for c in item.choices)
    elif item.kind == "boolean":
        values = "`true`, `false`"
    elif item.kind == "date":
        values = "YYYY-MM-DD"
    other = ", ".join(c.unit for c in item.conversions)
    default = "" if item.default is None else f"`{_cli_value(item.default)}`"
    if item.optional:
        default = "optional"
    return (
        f"| `{item.name}` | {_md(item.label)} | {item.kind} | {item.unit} | {other} | {accepted} "
        f"| {values} | {default} |"
    )


def _front_matter(title: str, question: str, summary: str, today: dt.date) -> list[str]:
    return [
        "---",
        f"title: {_yaml(title)}",
        f"question: {_yaml(question)}",
        f"summary: {_yaml(summary)}",
        "tags: [calculator]",
        "review:",
        "  status: draft",
        f"last_updated: {today.isoformat()}",
        "---",
        "",
    ]


def _used_on(uses: Iterable[Use], prefix: str, sentence: bool = True) -> str:
    links = [f"[{_md(use.title)}]({prefix}{use.path})" for use in uses]
    if not links:
        return "Not yet used on a guideline page." if sentence else "—"
    joined = links[0] if len(links) == 1 else ", ".join(links[:-1]) + " and " + links[-1]
    return f"Used on {joined}." if sentence else joined


def _grouped(calculators: list[Calculator]) -> list[tuple[str, list[Calculator]]]:
    groups: dict[str, list[Calculator]] = {name: [] for name, _ in GROUPS}
    for calc in calculators:
        module = getattr(calc.compute, "__module__", "").rsplit(".", 1)[-1]
        name = next((g for g, modules in GROUPS if module in modules), OTHER_GROUP)
        groups.setdefault(name, []).append(calc)
    return [(name, members) for name, members in groups.items() if members]


def _input_row(item: Input) -> str:
    accepted = usual = choices = ""
    if item.allowed:
        accepted = f"{fmt_number(item.allowed[0])}–{fmt_number(item.allowed[1])}"
    if item.plausible:
        usual = f"{fmt_number(item.plausible[0])}–{fmt_number(item.plausible[1])}"
    if item.choices:
        choices = "; ".join(_md(c.label) for c in item.choices)
    elif item.kind == "boolean":
        choices = "yes or no"
    elif item.kind == "date":
        choices = "a date"
    unit = item.unit + ("".join(f" or {c.unit}" for c in item.conversions))
    return (
        f"| {_md(item.label)} | {unit} | {accepted} | {usual} | {choices} "
        f"| {_md(default_text(item))} |"
    )


def default_text(item: Input) -> str:
    """What an input left out becomes, in a clinician's words, and whether the form asks for it."""
    if item.optional:
        return "optional"
    if item.default is None:
        return "required (no default)"
    if not item.opens_chosen:  # a choice the form asks for
        return f"asked for on the form (left out of a request: {_shown(item, item.default)})"
    return _shown(item, item.default)


def _conditions(calc: Calculator) -> list[str]:
    """A list of the inputs that apply only to some choices, if any."""
    rows = []
    for item in calc.inputs:
        if not item.applies_when:
            continue
        parts = []
        for name, allowed in item.applies_when:
            other = calc.input(name)
            values = " or ".join(_md(_shown(other, v)) for v in allowed)
            parts.append(f"*{_md(other.label)}* is {values}")
        rows.append(f"- *{_md(item.label)}* only when {' and '.join(parts)}.")
    if not rows:
        return []
    return [
        "Some inputs apply only to some choices; otherwise the form switches them off and the "
        "calculator ignores them:",
        "",
        *rows,
        "",
    ]


_LIMIT_KINDS = {
    "ceiling": ("Ceiling", "never exceeded: doses are rounded down rather than past it"),
    "studied-maximum": (
        "Largest dose studied",
        "a dose above it is computed, with a warning that names it",
    ),
    "review-prompt": (
        "Review prompt (not a limit)",
        "no source gave a maximum; above it the result asks for the weight and dose to be checked",
    ),
}


def _dose_limits(calc: Calculator) -> list[str]:
    """The declared dose limits, each with its figure, its source and how well it was checked."""
    assert calc.dose_rules is not None
    limits = calc.dose_rules.limits
    lines = [
        "## Dose limits",
        "",
        "Every result is held to these limits, declared with the calculator:",
        "",
        "| Limit | Figure | What happens | Source | Checked | Note |",
        "|---|---|---|---|---|---|",
    ]
    for limit in limits:
        name, meaning = _LIMIT_KINDS.get(limit.kind, (limit.kind, ""))
        figure = f"{fmt_number(limit.value)} {limit.basis}"
        if limit.drug:
            figure = f"{limit.drug}: {figure}"
        checked = _md(limit.status)
        if limit.evidence:  # the register entry the figure rests on: its row on the evidence page
            checked = f"[{checked}](../evidence.md#{limit.evidence})"
        lines.append(
            f"| {name} | {_md(figure)} | {meaning} | {_cited_text(calc, limit.source)} "
            f"| {checked} | {_md(limit.note)} |"
        )
    lines.append("")
    return lines


def _evidence(calc: Calculator) -> list[str]:
    """What the calculator's figures rest on, from the project's evidence register."""
    lines = [
        "## Evidence",
        "",
        "Each figure this calculator uses, its source and how far that source was checked:",
        "",
        "| Figure | Value | Source | Checked |",
        "|---|---|---|---|",
    ]
    for entry in calc.describe()["evidence"]:
        sources = "; ".join(f"[@{key}]" for key in entry["sources"])
        where = f" ({_md(entry['locator'])})" if entry.get("locator") else ""
        lines.append(
            f"| {_md(entry['statement'])} | {_md(entry['value'])} | {sources}{where} "
            f"| {STATUS_WORDS.get(entry['status'], _md(entry['status']))} |"
        )
    lines.append("")
    return lines


def _changes(calc: Calculator) -> list[str]:
    """The calculator's change list, newest first: a printed answer names its version, and this
    says what has changed since."""
    lines = [
        "## Changes",
        "",
        f"This calculator is at version {calc.version}; every answer names the version that gave "
        "it. What changed that a clinician would see, newest first:",
        "",
        "| Date | Version | What changed | Why |",
        "|---|---|---|---|",
    ]
    for change in reversed(calc.changes):
        lines.append(
            f"| {day_month_year(change.date)} | {change.version} | {_md(change.what)} | {_md(change.why)} |"
        )
    lines.append("")
    return lines


def _cited_text(calc: Calculator, text: str) -> str:
    """Text whose ``[key]`` brackets name this calculator's sources, as citations."""
    pieces = []
    last = 0
    for match in _KEY_IN_BRACKETS.finditer(text):
        key = match.group(1)
        if key not in calc.references:
            continue
        pieces.append(_md(text[last:match.start()]) + f"[@{key}]")
        last = match.end()
    pieces.append(_md(text[last:]))
    return "".join(pieces)


def _given(calc: Calculator, inputs: dict[str, Any]) -> dict[str, Any]:
    """The parsed inputs that were used: those that apply and hold a value."""
    return {
        name: value
        for name, value in inputs.items()
        if value is not None and calc.input(name).applies(inputs)
    }


def _label(item: Input) -> str:
    return item.label.lower() if item.label[1:2].islower() else item.label


def _output_row(out: Output) -> str:
    kind = " (a table: " + ", ".join(_md(label) for _, label in out.columns) + ")" if out.columns else ""
    return f"| {_md(out.label)}{kind} | {out.unit} |"


def _describe(calc: Calculator, inputs: dict[str, Any]) -> str:
    parts = []
    for name, value in inputs.items():
        item = calc.input(name)
        parts.append(f"{_label(item)} {_shown(item, value)}")
    return _md(", ".join(parts))


def _shown(item: Input, value: Any) -> str:
    if item.kind == "choice":
        return next((c.label for c in item.choices if c.value == value), str(value))
    if item.kind == "boolean":
        return "yes" if value in (True, "true") else "no"
    if isinstance(value, (int, float)):
        return f"{fmt_number(value)} {item.unit}".strip()
    if item.kind == "date":
        return human_date(value)
    return str(value)


def _cli_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return fmt_number(value)
    return str(value)


def _md(text: str) -> str:
    """Plain text into a Markdown table cell or list item: pipes and stray markup escaped."""
    return text.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;")


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
