"""Calculator widgets: the ``/// calculator | ID`` block, rendered from the declaration.

The form, its labels, units, ranges and hints come from ``aihcalc``'s declaration; the
values shown before (or without) JavaScript are computed at build time by the same
``calculate`` the browser runs, so the page answers with scripts off.

The form starts from each input's declared default only, never from the calculator's example,
and never with a choice made for the reader: a choice or yes/no starts on an empty "Choose…"
and is asked for, even when it has a default (which serves callers that leave it out), unless
its default only records that nothing is known yet (``Input.opens_chosen``, ``preselect``).
The example feeds the fallback table and the worked example. A field that applies only
to some choices (``Input.applies_when``) carries its condition as a data attribute, and the
generic front end hides and disables it while the condition is not met.
"""

from __future__ import annotations

import functools
import json
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aihcalc
from aihcalc.dates import human_date
from aihcalc.spec import Calculator, Input, InputError, Result, fmt_number
from jinja2 import Environment, FileSystemLoader, Template, select_autoescape
from markdown import Markdown
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block

from . import result_citations, scan
from .problems import Problem, error
from .references import Bibliography

TEMPLATES = Path(__file__).parent / "templates"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def find_problems(markdown: str) -> list[Problem]:
    """Every ``/// calculator`` block naming no calculator or an unknown one, with its line."""
    known = {c.id for c in aihcalc.all_calculators()}
    problems = []
    for block in scan.blocks(markdown):
        if block.name != "calculator":
            continue
        calc_id = block.argument or ""
        outer = [name for name, count in zip(block.within, block.within_slashes) if count <= block.slashes]
        if outer:
            # Python-Markdown's blocks render a calculator inside a block opened with as few
            # slashes as nothing at all: the page would silently lose the calculator.
            problems.append(
                error(
                    block.line,
                    f"a calculator inside a '{outer[-1]}' block renders empty unless the outer block has "
                    f"more slashes: open and close the '{outer[-1]}' block with '{'/' * (block.slashes + 1)}', "
                    "or move the calculator after it",
                )
            )
        if not calc_id:
            problems.append(error(block.line, "a calculator block needs an id: write '/// calculator | ID'"))
        elif calc_id not in known:
            problems.append(
                error(
                    block.line,
                    f"unknown calculator {calc_id!r}; use one of {', '.join(sorted(known))} "
                    "(python -m aihcalc list)",
                )
            )
    return problems


def template(name: str) -> Template:
    """A template of hooks/templates/, with the widgets' settings (HTML autoescaped)."""
    return _env.get_template(name)


def render_calculator(calc_id: str, bibliography: Bibliography, *, new_tab: bool = False) -> str:
    """The whole widget: live form, build-time answer for its defaults, and the fallback.

    ``new_tab``: links that leave the widget (its sources' DOI and PubMed) open a new tab, for
    the embed page, where following one inside the iframe would lose the calculator.
    """
    calc = aihcalc.get(calc_id)
    defaults = form_defaults(calc)
    result = build_answer(calc)
    shown = calc.applicable(as_sent(defaults))
    # A key the bibliography lacks is reported by hooks/checks.py; the page still builds.
    listed = [key for key in calc.references if key in bibliography.entries]
    return _env.get_template("calculator.html").render(
        calc=calc,
        fields=[_field(calc, item, defaults[item.name], shown[item.name]) for item in calc.inputs],
        result=result,
        prompt=PROMPT,
        value_table=_table_rows(calc.value.columns, result.value) if result else None,
        output_tables={
            out.name: _table_rows(out.columns, result.outputs.get(out.name)) if result else None
            for out in calc.outputs
            if out.columns
        },
        fallback=fallback(calc),
        references=[bibliography.entries[key] for key in listed],
        cite=functools.partial(result_citations.cite, calc_id=calc.id, keys=listed),
        source_anchor=functools.partial(result_citations.source_anchor, calc.id),
        version=aihcalc.__version__,
        version_line=version_line(calc.version, aihcalc.__version__),
        new_tab=new_tab,
    )


def version_line(calculator_version: str, package_version: str) -> str:
    """The line beside an answer that says which code gave it (calculators.js writes the same)."""
    return f"Calculator version {calculator_version} (aihcalc {package_version})"


# What the form says where no answer can be given yet (nothing is chosen for the reader).
PROMPT = "Fill in the form to see the answer."


def form_defaults(calc: Calculator) -> dict[str, Any]:
    """The values the form starts with: each input's declared default where the form may show
    it (``Input.opens_chosen``), else nothing.

    Never the calculator's example: a clinical choice the reader has not made is never shown
    as made (the example feeds the fallback table and the worked example instead).
    """
    return {i.name: i.default if i.opens_chosen else None for i in calc.inputs}


def as_sent(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values as the form sends them: an empty field as "", never left out (a left
    out input takes its default)."""
    return {k: "" if v is None else v for k, v in values.items()}


def build_answer(calc: Calculator) -> Result | None:
    """The answer the form shows before JavaScript: for the values it opens with, if they give
    one. An empty field is sent empty, as the form sends it, so a default never fills it."""
    try:
        return calc.calculate(as_sent(form_defaults(calc)))
    except InputError:
        return None  # something is still to be filled in: the form asks for it


def example_inputs(calc: Calculator) -> dict[str, Any]:
    """The calculator's worked example (complete by declaration) for fallbacks and grids."""
    return dict(calc.example)


def condition_attribute(item: Input) -> str:
    """``applies_when`` as the JSON of a data attribute: input name -> values as form text."""
    return json.dumps(
        {name: [form_text(v) for v in allowed] for name, allowed in item.applies_when},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def form_text(value: Any) -> str:
    """A value as a form control holds it: booleans 'true'/'false', numbers as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return fmt_number(value)
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Fallback:
    kind: str  # "grid" or "example"
    caption: str
    column_heads: list[str]
    rows: list[tuple[str, list[str]]]
    example: Result | None = None
    example_inputs: list[tuple[str, str]] | None = None


def fallback(calc: Calculator) -> Fallback:
    """What the page shows without JavaScript, computed by the same Python."""
    grid = calc.fallback
    if grid is None:
        example = calc.calculate(example_inputs(calc))
        shown = [
            (item.label, _show_input(item, example.inputs[item.name]))
            for item in calc.inputs
            if item.name in example.inputs and item.applies(example.inputs)
        ]
        return Fallback("example", f"Worked example: {calc.title}", [], [], example, shown)
    row_input, col_input = calc.input(grid.rows), calc.input(grid.columns)
    heads = [_show_input(col_input, v) for v in grid.column_values]
    rows = []
    for row_value in grid.row_values:
        cells = []
        for col_value in grid.column_values:
            inputs = example_inputs(calc)
            inputs.update(grid.fixed)
            inputs[grid.rows] = row_value
            inputs[grid.columns] = col_value
            cells.append(_cell(calc.calculate(inputs), grid.cell))
        rows.append((_show_input(row_input, row_value), cells))
    fixed = ", ".join(
        f"{calc.input(k).label} {_show_input(calc.input(k), v)}" for k, v in grid.fixed.items()
    )
    caption = (
        f"{calc.value.label} by {_in_sentence(row_input.label)} (rows) and "
        f"{_in_sentence(col_input.label)} (columns)" + (f", with {fixed}" if fixed else "")
    )
    return Fallback("grid", caption, heads, rows)


def _in_sentence(label: str) -> str:
    """'Body weight' -> 'body weight', but 'TPMT status' stays as it is."""
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def _cell(result: Result, cell: str) -> str:
    if cell == "value":
        text = result.display.get("value", "")
    else:
        text = result.display.get(cell, "")
    return text or "—"


def _show_input(item: Input, value: Any) -> str:
    if value is None:
        return "not given"
    if item.kind == "choice":
        for choice in item.choices:
            if choice.value == value:
                return choice.label
    if item.kind == "boolean":
        return "yes" if value in (True, "true") else "no"
    if item.kind == "number" and isinstance(value, (int, float)):
        return f"{fmt_number(value)} {item.unit}".strip()
    if item.kind == "date":
        return human_date(value)
    return str(value)


def _field(calc: Calculator, item: Input, value: Any, applies: bool = True) -> dict[str, Any]:
    hint = [item.hint] if item.hint else []
    if item.kind == "number" and item.allowed:
        low, high = item.allowed
        hint.append(f"Accepted {fmt_number(low)}–{fmt_number(high)} {item.unit}".rstrip() + ".")
        unmentioned = [c.unit for c in item.conversions if c.unit not in item.hint]
        if unmentioned:
            hint.append(f"Also accepts {', '.join(unmentioned)}: type the unit after the number.")
    if item.optional:
        hint.append("Optional: may be left empty.")
    return {
        "input": item,
        "id": f"{calc.id}-{item.name}",
        "value": form_text(value),
        "default": None if item.default is None else form_text(item.default),
        # Nothing clinical is chosen for the reader: a select starts on an empty placeholder
        # unless its default only says that nothing is known yet.
        "placeholder": item.is_choice and not item.opens_chosen,
        "required": not item.optional,
        "applies_when": condition_attribute(item) if item.applies_when else None,
        "applies": applies,
        "hint": " ".join(hint),
    }


def _table_rows(columns: tuple[tuple[str, str], ...], rows: Any) -> list[list[str]] | None:
    if not columns or not isinstance(rows, list):
        return None
    return [[_cell_text(row.get(key)) for key, _ in columns] for row in rows]


def _cell_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) or isinstance(value, int):
        return fmt_number(value)
    return str(value)


class CalculatorBlock(Block):
    """``/// calculator | ID``: the block's body, if any, is ignored (the declaration says it all)."""

    NAME = "calculator"
    ARGUMENT = True

    def on_markdown(self) -> str:
        return "raw"

    def on_create(self, parent: etree.Element) -> etree.Element:
        """The widget inside a box labelled for the clinical team (folded in the patient view)."""
        from .audience import team_fold  # the audience views own the fold and its label

        box = team_fold(parent, "calculator")
        return etree.SubElement(box, "div", {"class": "aihcalc-widget"})

    def on_end(self, block: etree.Element) -> None:
        bibliography: Bibliography = self.config["bibliography"]
        calc_id = str(self.argument).strip()
        try:
            html = render_calculator(calc_id, bibliography)
        except KeyError:
            # find_problems reports this with the file and line; keep the page buildable.
            html = f'<p class="aihcalc-missing">Unknown calculator {calc_id}</p>'
        else:
            # Where the site's address is known (hooks/embed.py's Site), the "Embed this
            # calculator" panel follows the widget.
            site = self.config.get("embed")
            if site:
                html += site.panel(calc_id)
        block.text = self.md.htmlStash.store(html)
        self.tracker.setdefault("ids", []).append(calc_id)


class CalculatorExtension(BlocksExtension):
    """Python-Markdown extension registering the ``calculator`` block."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.config = {"bibliography": ["", "a hooks.references.Bibliography"]}
        super().__init__(*args, **kwargs)

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: Any) -> None:
        block_mgr.register(CalculatorBlock, self.getConfigs())


def page_has_calculator(html: str) -> bool:
    return "data-calculator=" in html


def script_tag(asset_url: str) -> str:
    """The one module script, added only to pages that hold a calculator (async: boot early)."""
    return f'<script type="module" async src="{asset_url}"></script>'
