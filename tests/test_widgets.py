"""The calculator block: markup contract, build-time answers, fallback, and block errors."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

import aihcalc
from hooks import widgets
from hooks.references import Bibliography

ROOT = Path(__file__).resolve().parent.parent
BIB = Bibliography.load(ROOT / "content" / "bibliography.yaml")
IDS = [c.id for c in aihcalc.all_calculators()]


class Tags(HTMLParser):
    """Collects every start tag with its attributes, and the text inside <output> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.outputs: dict[str, str] = {}
        self._output: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag == "output":
            self._output = attributes.get("data-output")
            self.outputs[self._output or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "output":
            self._output = None

    def handle_data(self, data: str) -> None:
        if self._output is not None:
            self.outputs[self._output] += data

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def parse(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def test_registry_holds_the_first_calculators() -> None:
    assert {"azathioprine-dose", "prednisolone-taper", "meld", "meld-na", "meld-3", "child-pugh"} <= set(IDS)


@pytest.mark.parametrize("calc_id", IDS)
def test_form_follows_the_markup_contract(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    page = parse(widgets.render_calculator(calc_id, BIB))
    (form,) = page.find("form")
    assert form["data-calculator"] == calc_id and form["data-state"] == "loading"
    named = {a["name"] for t, a in page.tags if t in ("input", "select") and "name" in a}
    assert named == {i.name for i in calc.inputs}
    for item in calc.inputs:
        field_id = f"{calc_id}-{item.name}"
        assert page.find("label", **{"for": field_id}), f"{item.name} has no label"
        assert page.find("p", **{"data-message-for": item.name, "aria-live": "polite"})
    assert "value" in page.outputs
    for out in calc.outputs:
        if out.columns:
            assert page.find("div", **{"data-table": out.name})
        else:
            assert out.name in page.outputs


@pytest.mark.parametrize("calc_id", IDS)
def test_build_time_answer_is_the_python_answer_for_the_defaults(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    result = calc.calculate(widgets.form_defaults(calc))
    page = parse(widgets.render_calculator(calc_id, BIB))
    assert page.outputs["value"] == (result.display["value"] or "—")
    for out in calc.outputs:
        if not out.columns and out.name in result.display:
            assert page.outputs[out.name] == (result.display[out.name] or "—")


@pytest.mark.parametrize("calc_id", IDS)
def test_fallback_cells_are_computed_by_calculate(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    fb = widgets.fallback(calc)
    if fb.kind == "example":
        assert fb.example is not None and fb.example.working, "an explained example shows its working"
        return
    grid = calc.fallback
    assert grid is not None
    assert len(fb.rows) == len(grid.row_values)
    for (_, cells), row_value in zip(fb.rows, grid.row_values):
        for cell, col_value in zip(cells, grid.column_values):
            inputs = {**widgets.form_defaults(calc), **grid.fixed, grid.rows: row_value, grid.columns: col_value}
            expected = calc.calculate(inputs).display.get(grid.cell) or "—"
            assert cell == expected


def test_azathioprine_fallback_is_a_dose_table_by_weight_and_tpmt() -> None:
    calc = aihcalc.get("azathioprine-dose")
    assert calc.fallback is not None
    assert {calc.fallback.rows, calc.fallback.columns} == {"weight_kg", "tpmt"}


def test_references_listed_with_links() -> None:
    html = widgets.render_calculator("meld-3", BIB)
    assert "https://doi.org/10.1053/j.gastro.2021.08.050" in html
    assert "PubMed 34481845" in html


def test_block_renders_inside_markdown() -> None:
    md = markdown.Markdown(extensions=[widgets.CalculatorExtension(bibliography=BIB)])
    html = md.convert("Intro.\n\n/// calculator | meld\n///\n\nAfter.")
    assert 'data-calculator="meld"' in html
    assert html.index("Intro.") < html.index("data-calculator") < html.index("After.")
    assert widgets.page_has_calculator(html)
    assert not widgets.page_has_calculator(md.convert("No tool here."))


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("# T\n\n/// calculator | nope\n///\n", 3, "unknown calculator 'nope'"),
        ("a\n/// calculator\n///\n", 2, "needs an id"),
        ("a\n\nb\n//// calculator |   \n////\n", 4, "needs an id"),
    ],
)
def test_problems_name_the_line(text: str, line: int, message: str) -> None:
    (problem,) = widgets.find_problems(text)
    assert problem.line == line
    assert message in problem.message


def test_known_blocks_are_not_problems() -> None:
    assert widgets.find_problems("/// calculator | meld\n///\n/// admonition | x\n///\n") == []


def test_examples_inside_code_fences_are_not_blocks() -> None:
    text = "```markdown\n/// calculator | not-a-real-one\n///\n```\n\n~~~~\n/// calculator\n~~~~\n"
    assert widgets.find_problems(text) == []
    assert [p.line for p in widgets.find_problems(text + "/// calculator | nope\n")] == [9]
