"""Calculator reference pages, generated from the declarations so they cannot drift.

One page per calculator (inputs, units, ranges, outputs, notes, sources, version, an example
with its command line) and an index of them all. They are Markdown, so they go through the
same citation, calculator-block and validation steps as written pages.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from typing import Any

import aihcalc
from aihcalc.spec import Calculator, Input, Output, fmt_number

FOLDER = "calculators"
_KEY_IN_BRACKETS = re.compile(r"\[([A-Za-z0-9_][\w:.+/-]*)\]")


def page_path(calc_id: str) -> str:
    return f"{FOLDER}/{calc_id}.md"


def reference_markdown(calc: Calculator, today: dt.date) -> str:
    result = calc.calculate(dict(calc.example))
    given = _given(calc, result.inputs)
    command = " ".join(
        ["python -m aihcalc", calc.id]
        + [shlex.quote(f"{k}={_cli_value(v)}") for k, v in given.items()]
        + ["--json"]
    )
    lines = [
        "---",
        f"title: {_yaml(calc.title)}",
        f"question: {_yaml(f'What does the {calc.title} calculator compute, and from what?')}",
        f"summary: {_yaml(calc.summary)}",
        f"tags: [calculator, {calc.id}]",
        "review:",
        "  status: draft",
        f"last_updated: {today.isoformat()}",
        "---",
        "",
        f"# {calc.title}",
        "",
        calc.summary,
        "",
        f"/// calculator | {calc.id}",
        "///",
        "",
        "## Inputs",
        "",
        "| Input | Name | Unit | Accepted | Usual range | Choices | Default |",
        "|---|---|---|---|---|---|---|",
        *[_input_row(item) for item in calc.inputs],
        "",
        "Values outside *Accepted* are refused with a message; values outside the *usual range* "
        "are computed with a warning to check them. *Default* is what an input left out becomes: "
        "an input marked *required* must be given (the form starts with it empty), and an "
        "*optional* one may be left out.",
        "",
        *_conditions(calc),
        "## Outputs",
        "",
        "| Output | Name | Unit |",
        "|---|---|---|",
        *[_output_row(out) for out in (calc.value, *calc.outputs)],
        "",
    ]
    if calc.dose_rules is not None and calc.dose_rules.limits:
        lines += _dose_limits(calc)
    if calc.notes:
        lines += ["## Notes", "", *[f"- {_md(note)}" for note in calc.notes], ""]
    lines += [
        "## Example",
        "",
        f"For {_describe(calc, given)}, the answer is **{_md(result.display['value'])}**.",
        "",
        *[f"1. {_md(step)}" for step in result.working],
        "",
        "The same from the command line:",
        "",
        "```sh",
        command,
        "```",
        "",
        "## Sources",
        "",
        "This calculator rests on " + "; ".join(f"[@{key}]" for key in calc.references) + ".",
        "",
        f"Calculator id `{calc.id}` (stable), aihcalc {aihcalc.__version__}.",
        "",
    ]
    return "\n".join(lines)


def index_markdown(calculators: list[Calculator], today: dt.date) -> str:
    lines = [
        "---",
        "title: Calculators",
        "question: Which calculators does this site offer, and what does each compute?",
        "summary: Every calculator on the site, with its inputs, evidence and a live form.",
        "tags: [calculator]",
        "review:",
        "  status: draft",
        f"last_updated: {today.isoformat()}",
        "---",
        "",
        "# Calculators",
        "",
        "Every calculator is declared once in the `aihcalc` Python package; this list and the "
        "pages it links to are generated from those declarations when the site is built.",
        "",
        "| Calculator | Id | What it computes | Inputs |",
        "|---|---|---|---|",
    ]
    for calc in calculators:
        names = ", ".join(f"`{i.name}`" for i in calc.inputs)
        lines.append(f"| [{_md(calc.title)}]({calc.id}.md) | `{calc.id}` | {_md(calc.summary)} | {names} |")
    return "\n".join(lines) + "\n"


def _input_row(item: Input) -> str:
    accepted = usual = choices = ""
    if item.allowed:
        accepted = f"{fmt_number(item.allowed[0])}–{fmt_number(item.allowed[1])}"
    if item.plausible:
        usual = f"{fmt_number(item.plausible[0])}–{fmt_number(item.plausible[1])}"
    if item.choices:
        choices = ", ".join(f"`{c.value}` ({_md(c.label)})" for c in item.choices)
    elif item.kind == "boolean":
        choices = "`true`, `false`"
    elif item.kind == "date":
        choices = "YYYY-MM-DD"
    unit = item.unit + ("".join(f", {c.unit}" for c in item.conversions))
    return (
        f"| {_md(item.label)} | `{item.name}` | {unit} | {accepted} | {usual} | {choices} "
        f"| {_md(default_text(item))} |"
    )


def default_text(item: Input) -> str:
    """What an input left out becomes, in a clinician's words (as the form starts it)."""
    if item.optional:
        return "optional"
    if item.default is None:
        return "required (no default)"
    return _shown(item, item.default)


def _conditions(calc: Calculator) -> list[str]:
    """A list of the inputs that apply only to some choices, if any."""
    rows = []
    for item in calc.inputs:
        if not item.applies_when:
            continue
        parts = []
        for name, allowed in item.applies_when:
            values = " or ".join(f"`{_cli_value(v)}`" for v in allowed)
            parts.append(f"*{_md(calc.input(name).label)}* (`{name}`) is {values}")
        rows.append(f"- *{_md(item.label)}* (`{item.name}`) only when {' and '.join(parts)}.")
    if not rows:
        return []
    return [
        "Some inputs apply only to some choices; otherwise the form hides them and the "
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
        lines.append(
            f"| {name} | {_md(figure)} | {meaning} | {_cited_text(calc, limit.source)} "
            f"| {_md(limit.status)} | {_md(limit.note)} |"
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
    kind = " (table)" if out.columns else ""
    return f"| {_md(out.label)}{kind} | `{out.name}` | {out.unit} |"


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
