"""The calculator block: markup contract, build-time answers, fallback, and block errors."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

import aihcalc
from aihcalc.spec import Calculator, Choice, Input, InputError, Outcome, Output, Working
from tests.conftest import PUBLISHED
from hooks import widgets
from hooks.references import Bibliography

ROOT = Path(__file__).resolve().parent.parent
BIB = Bibliography.load(ROOT / "content" / "bibliography.yaml")
IDS = [c.id for c in aihcalc.all_calculators()]


class Tags(HTMLParser):
    """Every start tag with its attributes, the text of <output>s and of message boxes, and
    each named select's options as (value, label, selected)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.outputs: dict[str, str] = {}
        self.messages: dict[str, str] = {}
        self.options: dict[str, list[tuple[str, str, bool]]] = {}
        self._output: str | None = None
        self._message: str | None = None
        self._select: str | None = None
        self._option: list | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: ("" if v is None else v) for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag == "output":
            self._output = attributes.get("data-output")
            self.outputs[self._output or ""] = ""
        if "data-message-for" in attributes:
            self._message = attributes["data-message-for"]
            self.messages[self._message] = ""
        if tag == "select" and "name" in attributes:
            self._select = attributes["name"]
            self.options[self._select] = []
        if tag == "option" and self._select is not None:
            self._option = [attributes.get("value", ""), "", "selected" in attributes]

    def handle_endtag(self, tag: str) -> None:
        if tag == "output":
            self._output = None
        if tag == "p":
            self._message = None
        if tag == "option" and self._option is not None and self._select is not None:
            self.options[self._select].append((self._option[0], self._option[1].strip(), self._option[2]))
            self._option = None
        if tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._output is not None:
            self.outputs[self._output] += data
        if self._message is not None:
            self.messages[self._message] += data
        if self._option is not None:
            self._option[1] += data

    def selected(self, name: str) -> tuple[str, str]:
        """The option a browser shows selected on load: the last marked one, else the first."""
        options = self.options[name]
        marked = [o for o in options if o[2]]
        value, label, _ = marked[-1] if marked else options[0]
        return value, label

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
    html = widgets.render_calculator(calc_id, BIB)
    page = parse(html)
    try:
        result = calc.calculate({k: v for k, v in widgets.form_defaults(calc).items() if v is not None})
    except InputError:
        # The defaults alone give no answer: a dash everywhere and a calm prompt, no crash.
        assert widgets.build_answer(calc) is None
        assert set(page.outputs.values()) == {"—"}
        assert page.messages[""] == widgets.PROMPT
        assert page.find("p", **{"data-message-for": "", "data-kind": "prompt"})
        warnings = html.split("data-warnings>", 1)[1].split("</ul>", 1)[0]
        assert "<li>" not in warnings, "no warning is shown without an answer"
        return
    assert page.outputs["value"] == (result.display["value"] or "—")
    for out in calc.outputs:
        if not out.columns and out.name in result.display:
            assert page.outputs[out.name] == (result.display[out.name] or "—")


@pytest.mark.parametrize("calc_id", IDS)
def test_form_starts_from_the_defaults_never_the_example(calc_id: str) -> None:
    """No clinical choice is made for the reader: only declared defaults are filled in, and a
    choice or yes/no only when its default records that nothing is known yet ("not tested")."""
    calc = aihcalc.get(calc_id)
    page = parse(widgets.render_calculator(calc_id, BIB))
    for item in calc.inputs:
        if item.kind in ("choice", "boolean"):
            value, label = page.selected(item.name)
            if not item.preselect:
                assert value == "", f"{item.name}: nothing may be pre-selected"
                assert page.options[item.name][0][0] == ""
            else:
                assert item.default is not None and "not" in label.lower(), f"{item.name}: {label}"
                assert value == widgets.form_text(item.default)
                if item.kind == "choice":
                    assert label == next(c.label for c in item.choices if c.value == item.default)
                assert all(v != "" for v, _, _ in page.options[item.name]), "a default needs no placeholder"
        else:
            (control,) = page.find("input", name=item.name)
            expected = "" if item.default is None else widgets.form_text(item.default)
            assert control["value"] == expected, f"{item.name} starts at {control['value']!r}"
        (control,) = [a for t, a in page.tags if t in ("input", "select") and a.get("name") == item.name]
        assert ("required" in control) == (not item.optional), item.name


@pytest.mark.parametrize(("calc_id", "name"), [("meld-3", "dialysis"), ("meld-3", "age_group"), ("aih-simplified-score", "sla")])
def test_a_finding_with_a_default_is_asked_for_not_shown_chosen(calc_id: str, name: str) -> None:
    """MELD's dialysis and age group and the score's anti-SLA have defaults for callers that
    leave them out; the form opens on "Choose…" and gives no answer until they are chosen."""
    calc = aihcalc.get(calc_id)
    assert calc.input(name).default is not None
    page = parse(widgets.render_calculator(calc_id, BIB))
    assert page.selected(name)[0] == ""
    assert widgets.form_defaults(calc)[name] is None
    example = {**widgets.example_inputs(calc), name: ""}
    with pytest.raises(aihcalc.InputError) as caught:
        calc.calculate(example)
    assert caught.value.field == name and caught.value.reason == "is required"


def test_azathioprine_form_says_not_known_for_tpmt_and_nudt15() -> None:
    page = parse(widgets.render_calculator("azathioprine-dose", BIB))
    calc = aihcalc.get("azathioprine-dose")
    for name in ("tpmt", "nudt15"):
        default = calc.input(name).default
        if default is None:
            assert page.selected(name)[0] == ""
        else:
            assert page.selected(name) == (default, next(c.label for c in calc.input(name).choices if c.value == default))
    assert page.find("input", name="weight_kg")[0]["value"] == ""


@pytest.mark.parametrize("calc_id", IDS)
def test_fields_carry_their_conditions_and_defaults(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    page = parse(widgets.render_calculator(calc_id, BIB))
    described = {i["name"]: i for i in calc.describe()["inputs"]}
    shown = calc.applicable(widgets.form_defaults(calc))
    for item in calc.inputs:
        (wrapper,) = page.find("div", **{"data-field": item.name})
        rule = described[item.name]["applies_when"]
        if rule:
            as_text = {k: [("true" if v is True else "false" if v is False else str(v)) for v in vs] for k, vs in rule.items()}
            assert json.loads(wrapper["data-applies-when"]) == as_text
        else:
            assert "data-applies-when" not in wrapper
        if item.default is None:
            assert "data-default" not in wrapper
        else:
            assert wrapper["data-default"] == widgets.form_text(item.default)
        (control,) = [a for t, a in page.tags if t in ("input", "select") and a.get("name") == item.name]
        assert ("hidden" in wrapper) == (not shown[item.name]) == ("disabled" in control), item.name


@pytest.mark.parametrize("calc_id", IDS)
def test_applicable_agrees_with_python(calc_id: str) -> None:
    """Calculator.applicable, which the form uses, reads applies_when as Calculator.parse does."""
    calc = aihcalc.get(calc_id)
    parsed = calc.calculate(dict(calc.example)).inputs
    shown = calc.applicable(dict(calc.example))
    assert shown == {i.name: i.applies(parsed) for i in calc.inputs}


def _toy(monkeypatch: pytest.MonkeyPatch) -> Calculator:
    """A small calculator with every kind of field the form must handle, registered for a test."""

    def compute(values: dict, work: Working) -> Outcome:
        work.step("added")
        return Outcome(value=values["dose"] + (values["extra"] or 0))

    calc = Calculator(
        id="toy-form",
        title="Toy",
        summary="A toy.",
        inputs=(
            Input("kind", "Kind", kind="choice", choices=(Choice("a", "Kind A"), Choice("b", "Kind B"))),
            Input("severe", "Severe", kind="boolean"),
            Input("dose", "Dose", unit="mg", allowed=(0, 100), default=10),
            Input("extra", "Extra", unit="mg", allowed=(0, 100), optional=True),
            Input("note", "Grade", kind="choice", choices=(Choice("x", "X"), Choice("y", "Y")), default="x",
                  applies_when=(("kind", ("b",)), ("severe", (True,)))),
            Input("when", "When", kind="date", applies_when=(("severe", (False,)),)),
        ),
        value=Output("value", "Total", "mg"),
        compute=compute,
        references=("manns2010",),
        **PUBLISHED,
        example={"kind": "a", "severe": False, "dose": 10, "when": "2026-01-01"},
    )
    real_get = aihcalc.get
    monkeypatch.setattr(aihcalc, "get", lambda calc_id: calc if calc_id == "toy-form" else real_get(calc_id))
    return calc


def test_toy_form_on_load(monkeypatch: pytest.MonkeyPatch) -> None:
    _toy(monkeypatch)
    html = widgets.render_calculator("toy-form", BIB)
    page = parse(html)
    assert page.selected("kind") == ("", "Choose…")
    assert page.selected("severe") == ("", "Choose…")
    assert [v for v, _, _ in page.options["severe"]] == ["", "false", "true"]
    assert page.find("input", name="dose")[0]["value"] == "10"
    (extra,) = page.find("input", name="extra")
    assert extra["value"] == "" and "required" not in extra
    assert "Optional" in html.split('id="toy-form-extra-hint">', 1)[1].split("</p>", 1)[0]
    (note,) = page.find("div", **{"data-field": "note"})
    assert json.loads(note["data-applies-when"]) == {"kind": ["b"], "severe": ["true"]}
    assert "hidden" in note and "disabled" in page.find("select", name="note")[0]
    (when,) = page.find("div", **{"data-field": "when"})
    assert json.loads(when["data-applies-when"]) == {"severe": ["false"]}
    assert "hidden" in when, "severe is not chosen yet, so 'when' does not apply"
    assert page.outputs["value"] == "—" and page.messages[""] == widgets.PROMPT


def test_toy_conditions_follow_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    calc = _toy(monkeypatch)
    for values in ({"kind": "b", "severe": True}, {"kind": "b", "severe": "false"}, {"kind": "a", "severe": "true"}, {}):
        shown = calc.applicable(values)
        assert shown["note"] == (values.get("kind") == "b" and values.get("severe") in (True, "true"))
        assert shown["when"] == (values.get("severe") in (False, "false"))


def test_toy_fallback_example_lists_only_what_applies(monkeypatch: pytest.MonkeyPatch) -> None:
    calc = _toy(monkeypatch)
    fb = widgets.fallback(calc)
    assert fb.kind == "example" and fb.example_inputs is not None
    labels = [label for label, _ in fb.example_inputs]
    assert "Grade" not in labels  # does not apply to kind A
    assert ("Extra", "not given") in fb.example_inputs


@pytest.mark.parametrize("calc_id", IDS)
def test_fallback_cells_are_computed_by_calculate(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    fb = widgets.fallback(calc)
    if fb.kind == "example":
        assert fb.example is not None and fb.example.working, "an explained example shows its working"
        assert fb.example.inputs == calc.calculate(dict(calc.example)).inputs
        return
    grid = calc.fallback
    assert grid is not None
    assert len(fb.rows) == len(grid.row_values)
    for (_, cells), row_value in zip(fb.rows, grid.row_values):
        for cell, col_value in zip(cells, grid.column_values):
            inputs = {**calc.example, **grid.fixed, grid.rows: row_value, grid.columns: col_value}
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
    # folded in the patient view, open (and labelled) without JavaScript
    assert (
        '<details class="aih-team" data-audience-fold="team" open="open">\n'
        '<summary class="audience__label">For your clinical team: calculator</summary>\n'
        '<div class="aihcalc-widget">'
    ) in html
    assert html.index('<div class="aihcalc-widget">') < html.index("data-calculator") < html.index("</details>")
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


def test_intermediate_values_sit_under_details_after_the_answer() -> None:
    """The answer, what to check and the outputs acted on come first; ``details`` fold away."""
    for calc in aihcalc.all_calculators():
        html = widgets.render_calculator(calc.id, BIB)
        value_at = html.index('data-output="value"')
        folded = html.split('<details class="aihcalc__details">', 1)
        for out in calc.outputs:
            marker = f'data-output="{out.name}"' if not out.columns else f'data-table="{out.name}"'
            at = html.index(marker)
            assert at > value_at, f"{calc.id}.{out.name} comes before the answer"
            assert (out.name in calc.details) == (len(folded) == 2 and marker in folded[1].split("</details>", 1)[0]), (
                f"{calc.id}.{out.name}: under Details if and only if declared a detail"
            )
        assert html.index("data-warnings-box") < html.index("aihcalc__outputs") if calc.outputs else True


def test_no_javascript_text_names_the_fallback_the_page_really_has() -> None:
    for calc in aihcalc.all_calculators():
        html = widgets.render_calculator(calc.id, BIB)
        status = html.split("data-status", 1)[1].split("</p>", 1)[0]
        if calc.fallback:
            assert "the table after the form" in status and 'class="aihcalc__grid"' in html
            assert 'data-fallback="table"' in html
        else:
            assert "the worked example after the form" in status and "Worked example:" in html
            assert 'data-fallback="worked example"' in html


def test_a_calculator_nested_in_a_block_needs_the_outer_block_to_have_more_slashes() -> None:
    nested = "/// clinician\nText.\n\n/// calculator | meld\n///\n///\n"
    assert [(p.line, "more slashes" in p.message) for p in widgets.find_problems(nested)] == [(4, True)]
    assert widgets.find_problems(nested.replace("/// clinician", "//// clinician").rstrip("\n") + "/\n") == []
    assert widgets.find_problems("/// clinician\nx\n///\n\n/// calculator | meld\n///\n") == []
    # and the rule is real: the same-slash nesting renders no calculator at all
    md = markdown.Markdown(extensions=[widgets.CalculatorExtension(bibliography=BIB), "pymdownx.blocks.details"])
    assert "data-calculator" not in md.convert(nested.replace("clinician", "details | x"))
    assert "data-calculator" in md.reset().convert(nested.replace("/// clinician", "//// details | x").rstrip("\n") + "/\n")


@pytest.mark.parametrize("calc_id", IDS)
def test_the_answer_and_the_fallback_say_which_version_gave_them(calc_id: str) -> None:
    """The line beside the build-time answer and the fallback: the same words calculators.js writes."""
    calc = aihcalc.get(calc_id)
    html = widgets.render_calculator(calc_id, BIB)
    line = f"Calculator version {calc.version} (aihcalc {aihcalc.__version__})"
    assert widgets.version_line(calc.version, aihcalc.__version__) == line
    form, after = html.split('<div class="aihcalc__fallback"', 1)
    answer_area = form.split('<div class="aihcalc__result">', 1)[1]
    fallback = after.split('<div class="aihcalc__sources">', 1)[0]
    for part in (answer_area, fallback):
        attrs = {"class": "aihcalc__version", "data-version": calc.version, "data-package": aihcalc.__version__}
        assert len(parse(part).find("p", **attrs)) == 1
        assert f">{line}</p>" in part
