"""Calculator reference pages, generated from the declarations so they cannot drift.

One page per calculator (inputs, units, ranges, outputs, notes, sources, version, an example
with its command line) and an index of them all. They are Markdown, so they go through the
same citation, calculator-block and validation steps as written pages.
"""

from __future__ import annotations

import datetime as dt
import shlex
from typing import Any

import aihcalc
from aihcalc.spec import Calculator, Input, Output, fmt_number

FOLDER = "calculators"


def page_path(calc_id: str) -> str:
    return f"{FOLDER}/{calc_id}.md"


def reference_markdown(calc: Calculator, today: dt.date) -> str:
    example = {**{i.name: i.default for i in calc.inputs}, **calc.example}
    result = calc.calculate(example)
    command = " ".join(
        ["python -m aihcalc", calc.id]
        + [shlex.quote(f"{k}={_cli_value(v)}") for k, v in result.inputs.items()]
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
        "are computed with a warning to check them.",
        "",
        "## Outputs",
        "",
        "| Output | Name | Unit |",
        "|---|---|---|",
        *[_output_row(out) for out in (calc.value, *calc.outputs)],
        "",
    ]
    if calc.notes:
        lines += ["## Notes", "", *[f"- {_md(note)}" for note in calc.notes], ""]
    lines += [
        "## Example",
        "",
        f"For {_describe(calc, result.inputs)}, the answer is **{_md(result.display['value'])}**.",
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
    default = "" if item.default is None else f"`{_cli_value(item.default)}`"
    return f"| {_md(item.label)} | `{item.name}` | {unit} | {accepted} | {usual} | {choices} | {default} |"


def _output_row(out: Output) -> str:
    kind = " (table)" if out.columns else ""
    return f"| {_md(out.label)}{kind} | `{out.name}` | {out.unit} |"


def _describe(calc: Calculator, inputs: dict[str, Any]) -> str:
    parts = []
    for name, value in inputs.items():
        item = calc.input(name)
        parts.append(f"{item.label.lower() if item.label[1:2].islower() else item.label} {_shown(item, value)}")
    return _md(", ".join(parts))


def _shown(item: Input, value: Any) -> str:
    if item.kind == "choice":
        return next((c.label for c in item.choices if c.value == value), str(value))
    if item.kind == "boolean":
        return "yes" if value else "no"
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
