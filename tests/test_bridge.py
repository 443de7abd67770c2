"""aihcalc.bridge.handle: the JSON-in, JSON-out function the browser worker calls.

Framework cases use a test calculator swapped in for ``bridge.get``; the vector cases run
every derived vector (tests/vectors.py) for every registered calculator through CPython.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

import aihcalc
from aihcalc import Calculator, Input, InputError, Outcome, Output, Working, bridge
from tests.vectors import MAX_VECTORS, request_json, vectors
from tests.conftest import PUBLISHED


def _compute(values: dict[str, Any], work: Working) -> Outcome:
    if values["dose"] == 13:
        raise KeyError("lookup")  # a calculator defect: a table lookup that misses
    if values["dose"] == 7:
        return Outcome(value=math.nan)  # a calculator defect: NaN
    if values["dose"] == 11:
        raise InputError("dose", "cannot be 11 with this regimen")  # a cross-field rule
    work.step("halved")
    return Outcome(value=values["dose"] / 2, outputs={"label": "µ–half"})


TEST_CALC = Calculator(
    id="test-half",
    title="Test half",
    summary="Halves a dose.",
    inputs=(Input("dose", "Dose", unit="mg", allowed=(0, 500), plausible=(10, 200)),),
    value=Output("value", "Half", unit="mg"),
    outputs=(Output("label", "Label"),),
    compute=_compute,
    references=("ref-x",),
    **PUBLISHED,
)


@pytest.fixture
def fake_get(monkeypatch: pytest.MonkeyPatch) -> None:
    def get(calc_id: str) -> Calculator:
        if calc_id == TEST_CALC.id:
            return TEST_CALC
        raise KeyError(f"no calculator {calc_id!r}; known: {TEST_CALC.id}")

    monkeypatch.setattr(bridge, "get", get)


# Every answer names the versions that gave it; a refusal for no known calculator names none.
TEST_VERSION = {"package": aihcalc.__version__, "calculator": "1.0"}
NO_CALCULATOR = {"package": aihcalc.__version__, "calculator": None}


def ask(request: Any) -> dict[str, Any]:
    text = bridge.handle(request if isinstance(request, str) else json.dumps(request))
    assert isinstance(text, str)
    return json.loads(text)


# --- the envelope -----------------------------------------------------------------------


def test_ok_envelope_is_the_result(fake_get: None) -> None:
    text = bridge.handle(json.dumps({"id": "test-half", "inputs": {"dose": "300 mg"}}))
    result = TEST_CALC.calculate({"dose": "300 mg"})
    assert json.loads(text) == {"ok": True, "result": result.to_dict()}
    # canonical bytes: sorted keys, UTF-8 kept as is
    assert text == json.dumps({"ok": True, "result": result.to_dict()}, sort_keys=True, ensure_ascii=False)
    assert "µ–half" in text
    assert json.loads(text)["result"]["warnings"], "300 mg is implausible: the warning travels"
    assert json.loads(text)["result"]["version"] == TEST_VERSION


def test_inputs_may_be_omitted(fake_get: None) -> None:
    answer = ask({"id": "test-half"})
    assert answer == {
        "ok": False,
        "error": {"field": "dose", "reason": "is required", "message": "dose: is required"},
        "version": TEST_VERSION,
    }


@pytest.mark.parametrize(
    ("inputs", "field", "reason"),
    [
        ({"dose": 600}, "dose", "600 mg is outside the accepted range 0–500 mg; check the value and its unit"),
        ({"dose": "abc"}, "dose", "type a number in mg (you typed 'abc')"),
        ({"dose": True}, "dose", "type a number in mg"),
        ({"dose": [1]}, "dose", "type a number in mg (you typed '[1]')"),
        ({"dose": "nan"}, "dose", "type a number in mg (you typed 'nan')"),
        ({}, "dose", "is required"),
        ({"dose": 5, "extra": 1}, "extra", "is not an input of test-half; its inputs are dose"),
        ({"dose": 11}, "dose", "cannot be 11 with this regimen"),
    ],
)
def test_input_error_envelope(fake_get: None, inputs: dict[str, Any], field: str, reason: str) -> None:
    answer = ask({"id": "test-half", "inputs": inputs})
    assert answer == {
        "ok": False,
        "error": {"field": field, "reason": reason, "message": f"{field}: {reason}"},
        "version": TEST_VERSION,
    }


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_json_numbers_are_input_errors(fake_get: None, literal: str) -> None:
    answer = ask('{"id": "test-half", "inputs": {"dose": %s}}' % literal)
    assert answer["ok"] is False
    assert answer["error"]["field"] == "dose"
    assert answer["error"]["reason"] == "type an ordinary number (this one is too large, or not a number)"


def test_huge_json_integer_is_an_input_error(fake_get: None) -> None:
    answer = ask('{"id": "test-half", "inputs": {"dose": 1%s}}' % ("0" * 400))
    assert answer["ok"] is False
    assert answer["error"]["field"] == "dose"


@pytest.mark.parametrize(
    "request_text",
    [
        "",
        "not json",
        "{",
        "[]",
        "null",
        "42",
        '"test-half"',
        "{}",
        '{"inputs": {"dose": 5}}',
        '{"id": "test-half", "inputs": []}',
        '{"id": "test-half", "inputs": "dose=5"}',
        '{"id": "test-half", "inputs": 5}',
    ],
)
def test_malformed_requests_give_ok_false(fake_get: None, request_text: str) -> None:
    answer = ask(request_text)
    assert answer["ok"] is False
    assert answer["error"]["field"] is None
    assert answer["error"]["reason"].startswith("malformed request: ")
    assert answer["version"] == NO_CALCULATOR


@pytest.mark.parametrize("calc_id", [5, None])
def test_non_string_id_is_a_malformed_request(fake_get: None, calc_id: Any) -> None:
    answer = ask({"id": calc_id, "inputs": {"dose": 5}})
    assert answer == {
        "ok": False,
        "error": {"field": None, "reason": "malformed request: id must be a string"},
        "version": NO_CALCULATOR,
    }


@pytest.mark.parametrize("calc_id", ["no-such-calculator", "", "TEST-HALF"])
def test_unknown_id_gives_ok_false(fake_get: None, calc_id: Any) -> None:
    answer = ask({"id": calc_id, "inputs": {"dose": 5}})
    assert answer == {
        "ok": False,
        "error": {"field": None, "reason": f"no calculator {calc_id!r}; known: test-half"},
        "version": NO_CALCULATOR,
    }


@pytest.mark.parametrize("calc_id", [["meld"], {"id": "meld"}])
def test_unhashable_id_gives_ok_false(calc_id: Any) -> None:
    answer = ask({"id": calc_id, "inputs": {}})
    assert answer["ok"] is False


def test_unknown_id_with_the_real_registry_lists_the_known_ids() -> None:
    answer = ask({"id": "no-such-calculator", "inputs": {}})
    ids = ", ".join(c.id for c in aihcalc.all_calculators())
    assert answer == {
        "ok": False,
        "error": {"field": None, "reason": f"no calculator 'no-such-calculator'; known: {ids}"},
        "version": NO_CALCULATOR,
    }


def test_non_finite_result_is_a_loud_defect(fake_get: None) -> None:
    with pytest.raises(ArithmeticError, match="test-half produced a non-finite number"):
        bridge.handle(json.dumps({"id": "test-half", "inputs": {"dose": 7}}))


def test_a_keyerror_inside_compute_is_not_reported_as_an_unknown_calculator(fake_get: None) -> None:
    with pytest.raises(KeyError):
        bridge.handle(json.dumps({"id": "test-half", "inputs": {"dose": 13}}))


def test_catalogue_describes_every_registered_calculator() -> None:
    data = json.loads(bridge.catalogue())
    assert data == [json.loads(json.dumps(c.describe())) for c in aihcalc.all_calculators()]


# --- every registered calculator, through the vectors -------------------------------------

VECTORS = vectors()


def test_vectors_are_deterministic_and_cover_every_calculator() -> None:
    again = vectors()
    assert [request_json(v) for v in again] == [request_json(v) for v in VECTORS]
    assert {v["id"] for v in VECTORS} == {c.id for c in aihcalc.all_calculators()}
    assert len(VECTORS) <= MAX_VECTORS


@pytest.mark.parametrize("vector", VECTORS, ids=[v["label"] for v in VECTORS])
def test_vector_in_cpython(vector: dict[str, Any]) -> None:
    calc = aihcalc.get(vector["id"])
    answer = ask(request_json(vector))  # raises if handle raises: no vector may crash
    if vector["expect"] == "ok":
        assert answer["ok"] is True, answer
        assert answer["result"] == calc.calculate(vector["inputs"]).to_dict()
    elif vector["expect"] == "valid":
        calc.parse(vector["inputs"])  # each input is acceptable on its own
        if not answer["ok"]:  # only a cross-field rule of the calculator may refuse it
            assert answer["error"]["field"] in {i.name for i in calc.inputs}, answer
    else:
        assert answer["ok"] is False, answer
        assert answer["error"]["field"] == vector["field"], answer


# --- the vector generator itself, on a test calculator -------------------------------------

GEN_CALC = Calculator(
    id="test-gen",
    title="Generator",
    summary="Every kind of input.",
    inputs=(
        Input("bili", "Bilirubin", unit="mg/dL", allowed=(0.1, 80), plausible=(0.3, 40),
              conversions=aihcalc.units.BILIRUBIN_SI),
        Input("n", "N", integer=True, allowed=(0, 10), default=2),
        Input("grade", "Grade", kind="choice",
              choices=(aihcalc.Choice("none", "None"), aihcalc.Choice("mild", "Mild"))),
        Input("flag", "Flag", kind="boolean"),
        Input("start", "Start", kind="date", default="2026-01-05"),
    ),
    value=Output("value", "V"),
    compute=lambda values, work: Outcome(value=values["bili"] * values["n"]),
    references=("ref",),
    **PUBLISHED,
)


def test_generator_covers_each_kind_of_input() -> None:
    vs = vectors([GEN_CALC])
    assert vs == vectors([GEN_CALC])
    assert vs[0]["expect"] == "ok" and vs[0]["inputs"] == {"bili": 20.15, "grade": "none", "flag": False}
    values = {name: [v["inputs"].get(name) for v in vs] for name in ("bili", "n", "grade", "flag", "start")}
    assert {0.1, 80, "nan", "1,5"} <= set(values["bili"])
    assert any(isinstance(x, str) and x.endswith("µmol/L") for x in values["bili"])
    assert any(isinstance(x, str) and "umol/l" in x for x in values["bili"])
    assert any(isinstance(x, str) and "μmol/l" in x for x in values["bili"])
    assert {0, 10, 5} <= set(values["n"])
    assert {"none", "mild", "MILD", "definitely-not-a-choice"} <= set(values["grade"])
    assert {True, False, "yes", "0", "maybe"} <= set(values["flag"])
    assert {"2024-02-29", "2026-02-30"} <= set(values["start"])
    assert any(v["field"] == "bili" and "bili" not in v["inputs"] for v in vs), "missing required input"
    assert any(v["field"] == "not_an_input" for v in vs)
    fields = {v["field"] for v in vs if v["expect"] == "error"}
    assert fields == {"bili", "n", "grade", "flag", "start", "not_an_input"}


# Inputs that apply only for one choice, and an optional one: the generator must not expect an
# error from an input the calculator ignores, and must vary it where it does apply.
APPLIES_CALC = Calculator(
    id="test-applies",
    title="Applies",
    summary="An input that applies only for one mode, and an optional one.",
    inputs=(
        Input("mode", "Mode", kind="choice",
              choices=(aihcalc.Choice("plain", "Plain"), aihcalc.Choice("scaled", "Scaled"))),
        Input("factor", "Factor", allowed=(1, 10), default=2, applies_when=(("mode", ("scaled",)),)),
        Input("level", "Level", kind="choice", default="low",
              choices=(aihcalc.Choice("low", "Low"), aihcalc.Choice("high", "High")),
              applies_when=(("mode", ("scaled",)),)),
        Input("boost", "Boost", allowed=(0, 5), default=1,
              applies_when=(("mode", ("scaled",)), ("level", ("high",)))),
        Input("note", "Note", allowed=(0, 100), optional=True),
    ),
    value=Output("value", "V"),
    compute=lambda values, work: Outcome(value=values["factor"] * values["boost"]),
    references=("ref",),
    **PUBLISHED,
    example={"mode": "plain", "note": 50},
)


def test_generator_varies_an_input_only_where_it_applies() -> None:
    vs = vectors([APPLIES_CALC])
    assert vs[0] == {"id": "test-applies", "inputs": {"mode": "plain", "note": 50}, "label": "test-applies: example",
                     "expect": "ok", "field": None}
    for name, needs in (("factor", {"mode": "scaled"}), ("level", {"mode": "scaled"}),
                        ("boost", {"mode": "scaled", "level": "high"})):
        errors = [v for v in vs if v["expect"] == "error" and v["field"] == name]
        assert errors, name
        assert all(v["inputs"].items() >= needs.items() for v in errors), name
        ignored = [v for v in vs if v["label"].endswith(f"{name} ignored where it does not apply")]
        assert len(ignored) == 1 and ignored[0]["expect"] == "valid"
        assert ignored[0]["inputs"]["mode"] == "plain"
    note = {v["label"].split(": ", 1)[1]: v["expect"] for v in vs if "note" in v["label"]}
    assert note["note left out (optional)"] == "valid"
    assert note["note left empty (optional)"] == "valid"
    assert note["note above allowed"] == "error"
    assert {"mode missing", "mode empty"} <= {v["label"].split(": ", 1)[1] for v in vs if v["field"] == "mode"}
    emptied = [v for v in vs if "emptied (has a default)" in v["label"]]
    assert {v["field"] for v in emptied} == {"factor", "level", "boost"}


@pytest.mark.parametrize("calc", [GEN_CALC, APPLIES_CALC], ids=lambda c: c.id)
def test_generator_expectations_hold_on_the_test_calculator(calc: Calculator) -> None:
    for v in vectors([calc]):
        if v["expect"] == "error":
            with pytest.raises(InputError) as info:
                calc.calculate(v["inputs"])
            assert info.value.field == v["field"], v["label"]
        else:
            calc.calculate(v["inputs"])


def test_no_error_vector_for_an_input_that_does_not_apply() -> None:
    """On the real calculators: each "error" vector's field applies given its other inputs, and
    every "ok" or "valid" vector sends every required input."""
    from tests.vectors import applies_in

    for v in VECTORS:
        calc = aihcalc.get(v["id"])
        names = {i.name for i in calc.inputs}
        if v["expect"] == "error" and v["field"] in names:
            assert applies_in(calc, v["inputs"], calc.input(v["field"])), v["label"]
        if v["expect"] in ("ok", "valid"):
            for item in calc.inputs:
                if item.default is None and not item.optional and applies_in(calc, v["inputs"], item):
                    assert item.name in v["inputs"], (v["label"], item.name)


@pytest.mark.parametrize(
    ("calc_id", "name", "text", "to", "expected"),
    [
        ("meld", "bilirubin", "2", "µmol/L", "34.2"),
        ("meld", "bilirubin", "34.2 µmol/L", "mg/dL", "2"),
        ("meld", "bilirubin", "34.2 umol/L", "µmol/L", "34.2"),
        ("meld", "creatinine", "1.2", "µmol/L", "106.1"),
        ("meld", "creatinine", "106.1 µmol/L", "mg/dL", "1.2"),
        ("meld-3", "albumin", "3.5", "g/L", "35"),
    ],
)
def test_convert_re_expresses_a_value_in_another_unit(
    calc_id: str, name: str, text: str, to: str, expected: str
) -> None:
    answer = json.loads(bridge.convert(json.dumps({"id": calc_id, "input": name, "text": text, "to": to})))
    assert answer == {"ok": True, "text": expected}


def test_convert_reports_a_bad_value_with_its_field() -> None:
    answer = json.loads(bridge.convert(json.dumps({"id": "meld", "input": "bilirubin", "text": "-3", "to": "µmol/L"})))
    assert answer["ok"] is False and answer["error"]["field"] == "bilirubin"


@pytest.mark.parametrize("request_text", ['{"id": "meld", "input": "bilirubin", "text": "2", "to": "furlongs"}', "{}", "nonsense"])
def test_convert_never_raises(request_text: str) -> None:
    answer = json.loads(bridge.convert(request_text))
    assert answer["ok"] is False


# --- versions, with the real calculators -------------------------------------------------


@pytest.mark.parametrize("calc", aihcalc.all_calculators(), ids=lambda c: c.id)
def test_every_answer_names_the_package_and_calculator_version(calc: Calculator) -> None:
    versions = {"package": aihcalc.__version__, "calculator": calc.version}
    answer = ask({"id": calc.id, "inputs": dict(calc.example)})
    assert answer["ok"] is True and answer["result"]["version"] == versions
    # A refusal too: the version that judged the input.
    refused = ask({"id": calc.id, "inputs": {**calc.example, "not_an_input": 1}})
    assert refused["ok"] is False and refused["error"]["field"] == "not_an_input"
    assert refused["version"] == versions
