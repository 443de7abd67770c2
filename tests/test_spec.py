"""The declarative core (aihcalc.spec): parsing, ranges, defaults, results, describe, display.

These tests declare their own small calculators and call ``calc.calculate`` directly; they
never touch the global registry.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from typing import Any

import pytest

import aihcalc
from aihcalc import Calculator, Change, Choice, Input, InputError, Outcome, Output, Result, Working
from aihcalc.spec import fmt_number
from aihcalc.units import BILIRUBIN_SI
from tests.conftest import PUBLISHED

# --- test calculators -----------------------------------------------------------------

DOSE = Input("dose", "Dose", unit="mg", allowed=(0, 500), plausible=(10, 200), step=5)
BILI = Input("bili", "Bilirubin", unit="mg/dL", allowed=(0.1, 80), plausible=(0.1, 40), conversions=BILIRUBIN_SI)
COUNT = Input("count", "Count", integer=True, allowed=(0, 10), default=0)
GRADE = Input(
    "grade",
    "Grade",
    kind="choice",
    choices=(Choice("none", "None"), Choice("mild", "Mild"), Choice("moderate", "Moderate")),
    default="none",
)
FLAG = Input("flag", "Flag", kind="boolean", default=False)
START = Input("start", "Start date", kind="date", default="2026-01-05")
RATIO = Input("ratio", "Ratio", allowed=(0, 1), plausible=(0.1, 0.8), default=0.5)


def _compute(values: dict[str, Any], work: Working) -> Outcome:
    work.step(f"dose {values['dose']} + bili {values['bili']}")
    total = values["dose"] + values["bili"]
    return Outcome(
        value=total,
        outputs={
            "grade": values["grade"],
            "flag": values["flag"],
            "start": values["start"],
            "count": values["count"],
            "rows": [{"day": 1, "mg": total}],
        },
    )


CALC = Calculator(
    id="test-sum",
    title="Test sum",
    summary="Adds a dose and a bilirubin; echoes the rest.",
    inputs=(DOSE, BILI, COUNT, GRADE, FLAG, START, RATIO),
    value=Output("value", "Total", unit="mg"),
    outputs=(
        Output("grade", "Grade"),
        Output("flag", "Flag"),
        Output("count", "Count", unit="tablets"),
        Output("rows", "Rows", columns=(("day", "Day"), ("mg", "mg"))),
    ),
    compute=_compute,
    references=("ref-a", "ref-b"),
    **PUBLISHED,
    example={"dose": 50, "bili": 2},
)

OK = {"dose": 50, "bili": 2}


def _single(value: Any, unit: str = "mg", display: dict[str, str] | None = None, outputs: dict[str, Any] | None = None) -> Calculator:
    """A calculator whose compute returns ``value`` as it is."""
    return Calculator(
        id="test-single",
        title="Single",
        summary="Returns a fixed value.",
        inputs=(Input("x", "X", allowed=(0, 10), default=1),),
        value=Output("value", "Value", unit=unit),
        outputs=tuple(Output(name, name, unit="u") for name in (outputs or {})),
        compute=lambda values, work: Outcome(value=value, outputs=outputs or {}, display=display or {}),
        references=("ref",),
        **PUBLISHED,
    )


def _error(calc: Calculator, inputs: dict[str, Any]) -> InputError:
    with pytest.raises(InputError) as info:
        calc.calculate(inputs)
    return info.value


# --- numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (50, 50.0),
        (12.5, 12.5),
        ("50", 50.0),
        (" 12.5 ", 12.5),
        ("+7", 7.0),
        (".5", 0.5),
        ("5.", 5.0),
        ("1e2", 100.0),
        ("1.5E1", 15.0),
        ("0", 0.0),
        ("500", 500.0),
        ("20 mg", 20.0),
        ("20mg", 20.0),
        ("20 MG", 20.0),
    ],
)
def test_number_parsing(raw: Any, expected: float) -> None:
    value = DOSE.parse(raw)
    assert value == expected
    assert type(value) is float


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2 mg/dL", 2.0),
        ("2 MG/DL", 2.0),
        ("2mg/dl", 2.0),
        ("34.2 µmol/L", 2.0),
        ("34.2 umol/L", 2.0),
        ("34.2 μmol/L", 2.0),
        ("34.2 UMOL/L", 2.0),
        ("34.2 µmol / L", 2.0),
        ("171 µmol/L", 10.0),
    ],
)
def test_number_with_units_converts_to_the_inputs_unit(raw: str, expected: float) -> None:
    assert BILI.parse(raw) == pytest.approx(expected, rel=1e-12)


def test_si_input_flows_into_the_result() -> None:
    result = CALC.calculate({"dose": 50, "bili": "34.2 µmol/L"})
    assert result.value == pytest.approx(52.0)
    assert result.inputs["bili"] == pytest.approx(2.0)


@pytest.mark.parametrize("raw", ["1,5", "1,000", "2,0 mg"])
def test_comma_decimals_are_rejected(raw: str) -> None:
    with pytest.raises(InputError) as info:
        DOSE.parse(raw)
    assert info.value.field == "dose"
    assert "comma" in info.value.reason
    assert repr(raw) in info.value.reason


@pytest.mark.parametrize("raw", [True, False, None])
def test_bool_and_none_are_not_numbers(raw: Any) -> None:
    with pytest.raises(InputError) as info:
        DOSE.parse(raw)
    assert info.value.field == "dose"
    assert "type a number in mg" in info.value.reason


@pytest.mark.parametrize("raw", ["abc", "mg", "", "1 2", "--1", "1..2", "0x10", "½"])
def test_text_that_is_not_a_number_is_rejected(raw: str) -> None:
    with pytest.raises(InputError) as info:
        DOSE.parse(raw)
    assert info.value.field == "dose"


def test_unknown_unit_is_rejected_naming_the_accepted_ones() -> None:
    with pytest.raises(InputError) as info:
        BILI.parse("2 g/L")
    assert info.value.field == "bili"
    assert "'g/L'" in info.value.reason
    assert "type it in mg/dL or µmol/L" in info.value.reason


@pytest.mark.parametrize("raw", [500.0001, 501, -0.5, "600", "-1 mg", 1e9])
def test_outside_allowed_range_is_rejected_naming_field_and_range(raw: Any) -> None:
    error = _error(CALC, {**OK, "dose": raw})
    assert error.field == "dose"
    assert "outside the accepted range 0–500 mg" in error.reason
    assert str(error).startswith("dose: ")


def test_allowed_range_uses_the_converted_value() -> None:
    # 2000 µmol/L is 117 mg/dL: above the allowed 80 mg/dL even though 2000 < 80 is false
    error = _error(CALC, {**OK, "bili": "2000 µmol/L"})
    assert error.field == "bili"
    assert "116.959 mg/dL is outside the accepted range 0.1–80 mg/dL" in error.reason


@pytest.mark.parametrize("raw", [0, 500, "0", "500 mg"])
def test_allowed_range_ends_are_accepted(raw: Any) -> None:
    assert CALC.calculate({**OK, "dose": raw}).inputs["dose"] == int(str(raw).split()[0])


@pytest.mark.parametrize("raw", [0, 5, 201, 500])
def test_outside_plausible_range_gives_a_warning(raw: Any) -> None:
    result = CALC.calculate({**OK, "dose": raw})
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert warning.startswith(f"Dose {raw} mg is outside the usual range 10–200 mg")
    assert "unit" in warning


@pytest.mark.parametrize("raw", [10, 100, 200])
def test_inside_plausible_range_gives_no_warning(raw: Any) -> None:
    assert CALC.calculate({**OK, "dose": raw}).warnings == []


def test_each_implausible_input_warns_once_in_declaration_order() -> None:
    result = CALC.calculate({"dose": 300, "bili": 50, "ratio": 0.95})
    assert [w.split()[0] for w in result.warnings] == ["Dose", "Bilirubin", "Ratio"]


@pytest.mark.parametrize("raw", [math.nan, math.inf, -math.inf])
def test_nan_and_inf_floats_are_rejected(raw: float) -> None:
    with pytest.raises(InputError) as info:
        DOSE.parse(raw)
    assert info.value.field == "dose"
    assert info.value.reason == "type an ordinary number (this one is too large, or not a number)"


@pytest.mark.parametrize("raw", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "-1e999"])
def test_nan_and_inf_text_is_rejected(raw: str) -> None:
    with pytest.raises(InputError) as info:
        DOSE.parse(raw)
    assert info.value.field == "dose"


def test_huge_integer_is_an_input_error_not_a_crash() -> None:
    with pytest.raises(InputError) as info:
        DOSE.parse(10**400)
    assert info.value.field == "dose"


@pytest.mark.parametrize(("raw", "expected"), [(3, 3.0), ("4", 4.0), (5.0, 5.0), ("1e1", 10.0), (0, 0.0)])
def test_integer_inputs_accept_whole_numbers(raw: Any, expected: float) -> None:
    assert COUNT.parse(raw) == expected


@pytest.mark.parametrize("raw", [2.5, "2.5", 0.1, "9.999"])
def test_integer_inputs_reject_fractions(raw: Any) -> None:
    with pytest.raises(InputError) as info:
        COUNT.parse(raw)
    assert info.value.field == "count"
    assert info.value.reason == "type a whole number, without decimals"


def test_integer_inputs_check_the_range_first() -> None:
    with pytest.raises(InputError) as info:
        COUNT.parse(11)
    assert "outside the accepted range 0–10" in info.value.reason


# --- choices ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"), [("mild", "mild"), ("Mild", "mild"), (" MODERATE ", "moderate"), ("none", "none")]
)
def test_choices_are_case_insensitive(raw: str, expected: str) -> None:
    assert GRADE.parse(raw) == expected
    assert CALC.calculate({**OK, "grade": raw}).outputs["grade"] == expected


@pytest.mark.parametrize("raw", ["severe", "mild ish", "", 1, True, False])
def test_unknown_choice_is_rejected_with_the_list(raw: Any) -> None:
    with pytest.raises(InputError) as info:
        GRADE.parse(raw)
    assert info.value.field == "grade"
    assert info.value.reason.startswith("choose one of: ")
    assert "(typed as none, mild or moderate; you gave " in info.value.reason
    assert repr(raw) in info.value.reason


# --- booleans ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        ("false", False),
        ("TRUE", True),
        (" False ", False),
        ("yes", True),
        ("no", False),
        ("Yes", True),
        ("1", True),
        ("0", False),
        (1, True),
        (0, False),
        ("on", True),
        ("off", False),
    ],
)
def test_booleans(raw: Any, expected: bool) -> None:
    assert FLAG.parse(raw) is expected


@pytest.mark.parametrize("raw", ["maybe", "2", 2, "y", "n", "t", "truthy", "-1", 0.5])
def test_junk_booleans_are_rejected(raw: Any) -> None:
    with pytest.raises(InputError) as info:
        FLAG.parse(raw)
    assert info.value.field == "flag"
    assert info.value.reason == f"answer yes or no (you gave {raw!r})"


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-01-05", "2026-01-05"),
        (" 2026-01-05 ", "2026-01-05"),
        ("2024-02-29", "2024-02-29"),
        (dt.date(2026, 3, 1), "2026-03-01"),
    ],
)
def test_iso_dates(raw: Any, expected: str) -> None:
    assert START.parse(raw) == expected
    assert CALC.calculate({**OK, "start": raw}).outputs["start"] == expected


@pytest.mark.parametrize("raw", ["2026-02-30", "2023-02-29", "2026-13-01", "05/01/2026", "tomorrow", "2026-1-5", "2026/01/05", 5])
def test_invalid_dates_are_rejected(raw: Any) -> None:
    with pytest.raises(InputError) as info:
        START.parse(raw)
    assert info.value.field == "start"
    assert info.value.reason == f"type a date as year-month-day, e.g. 2026-01-05 (you typed {raw!r})"


def test_a_datetime_gives_its_date() -> None:
    assert START.parse(dt.datetime(2026, 1, 5, 10, 30)) == "2026-01-05"


# --- defaults, missing and unknown inputs --------------------------------------------------


def test_defaults_fill_omitted_inputs() -> None:
    result = CALC.calculate(OK)
    assert result.inputs == {
        "dose": 50,
        "bili": 2,
        "count": 0,
        "grade": "none",
        "flag": False,
        "start": "2026-01-05",
        "ratio": 0.5,
    }


def test_none_takes_the_default() -> None:
    result = CALC.calculate({**OK, "grade": None, "start": None, "ratio": None, "count": None, "flag": None})
    assert result.inputs["grade"] == "none"
    assert result.inputs["start"] == "2026-01-05"
    assert result.inputs["ratio"] == 0.5
    assert result.inputs["count"] == 0 and result.inputs["flag"] is False


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
@pytest.mark.parametrize(
    ("name", "usual"),
    [("grade", "None"), ("start", "2026-01-05"), ("ratio", "0.5"), ("count", "0"), ("dose", None)],
)
def test_an_emptied_value_is_an_error_not_the_default(blank: str, name: str, usual: str | None) -> None:
    """A cleared field never hides the value used: an input with a default says what to enter;
    a choice left unmade is asked for, like a required input, and never becomes its default."""
    error = _error(CALC, {**OK, name: blank})
    assert error.field == name
    if usual is None or name == "grade":
        assert error.reason == "is required"
    else:
        assert error.reason == f"is empty: enter a value (the usual value is {usual})"
        assert str(error) == f"{name}: is empty: enter a value (the usual value is {usual})"


def test_an_emptied_value_names_the_default_with_its_unit() -> None:
    calc = _with_inputs(Input("dose", "Dose", unit="mg/kg/day", allowed=(0, 5), default=2))
    error = _error(calc, {"dose": ""})
    assert error.reason == "is empty: enter a value (the usual value is 2 mg/kg/day)"
    assert calc.calculate({}).inputs["dose"] == 2


# --- inputs that apply only for some choices; optional inputs; aliases -------------------------


def _with_inputs(*inputs: Input) -> Calculator:
    return Calculator(
        id="test-inputs",
        title="Inputs",
        summary="Echoes its inputs.",
        inputs=inputs,
        value=Output("value", "Value"),
        compute=lambda values, work: Outcome(value=0, outputs=dict(values)),
        references=("ref",),
        **PUBLISHED,
    )


MODE = Input("mode", "Mode", kind="choice", choices=(Choice("a", "A"), Choice("b", "B")))
EXTRA = Input("extra", "Extra", allowed=(0, 10), default=5, applies_when=(("mode", ("b",)),))
NOTE = Input("note", "Note", allowed=(0, 10), optional=True)
APPLIES = _with_inputs(MODE, EXTRA, NOTE)


@pytest.mark.parametrize("sent", [7, 99, "nan", "", "junk", None])
def test_an_input_that_does_not_apply_is_ignored(sent: Any) -> None:
    values = APPLIES.parse({"mode": "a", "extra": sent})
    assert values["extra"] == 5  # its default, whatever was sent


def test_an_input_that_applies_is_parsed_and_checked() -> None:
    assert APPLIES.parse({"mode": "b", "extra": 7})["extra"] == 7
    assert APPLIES.parse({"mode": "b"})["extra"] == 5
    assert _error(APPLIES, {"mode": "b", "extra": 99}).field == "extra"
    assert _error(APPLIES, {"mode": "b", "extra": ""}).reason == "is empty: enter a value (the usual value is 5)"


def test_an_optional_input_may_be_left_empty() -> None:
    for empty in (None, "", "  "):
        inputs = {"mode": "a"} if empty is None else {"mode": "a", "note": empty}
        assert APPLIES.parse(inputs)["note"] is None
    assert APPLIES.parse({"mode": "a", "note": 3})["note"] == 3
    assert _error(APPLIES, {"mode": "a", "note": 11}).field == "note"
    assert APPLIES.calculate({"mode": "a"}).inputs["note"] is None


def test_an_optional_input_cannot_have_a_default() -> None:
    with pytest.raises(ValueError, match="an optional input has no default"):
        Input("x", "X", allowed=(0, 1), optional=True, default=0.5)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Input("x", "X", kind="boolean", default=False, preselect=True),
        lambda: Input("x", "X", kind="choice", choices=(Choice("a", "A"),), preselect=True),
        lambda: Input("x", "X", allowed=(0, 1), default=0.5, preselect=True),
    ],
)
def test_only_a_choice_with_a_default_may_open_chosen(make: Any) -> None:
    with pytest.raises(ValueError, match="only a choice with a default can open chosen"):
        make()


def test_a_form_opens_on_a_default_only_for_a_number_or_a_not_known_choice() -> None:
    assert Input("x", "X", allowed=(0, 1), default=0.5).opens_chosen
    assert not Input("x", "X", allowed=(0, 1)).opens_chosen
    assert not Input("x", "X", kind="boolean", default=False).opens_chosen
    unknown = (Choice("unknown", "Not known"), Choice("a", "A"))
    assert not Input("x", "X", kind="choice", choices=unknown, default="unknown").opens_chosen
    assert Input("x", "X", kind="choice", choices=unknown, default="unknown", preselect=True).opens_chosen


def test_a_choice_sent_empty_is_unmade_not_its_default() -> None:
    """A form sends a choice left on "Choose…" as "": that is asked for, and a field that
    depends on it does not apply, while a choice left out entirely takes its default."""
    mode = Input("mode", "Mode", kind="choice", choices=(Choice("a", "A"), Choice("b", "B")), default="b")
    calc = _with_inputs(mode, EXTRA)
    assert _error(calc, {"mode": ""}).reason == "is required"
    values, applies = calc.settled({"mode": ""})
    assert values["mode"] is None and applies["extra"] is False
    values, applies = calc.settled({})
    assert values["mode"] == "b" and applies["extra"] is True
    assert calc.parse({})["mode"] == "b"


def test_applies_when_must_name_an_earlier_input() -> None:
    with pytest.raises(ValueError, match="must be an input declared before it"):
        _with_inputs(EXTRA, MODE)
    with pytest.raises(ValueError, match="must be an input declared before it"):
        _with_inputs(Input("y", "Y", allowed=(0, 1), default=0, applies_when=(("nothing", ("x",)),)))


@pytest.mark.parametrize(("raw", "value"), [("absent", "none"), ("ABSENT", "none"), (" nil ", "none"), ("mild", "mild")])
def test_choice_aliases(raw: str, value: str) -> None:
    item = Input("g", "G", kind="choice", choices=(Choice("none", "None", aliases=("absent", "Nil")), Choice("mild", "Mild")))
    assert item.parse(raw) == value


def test_describe_has_applies_when_optional_and_aliases() -> None:
    item = Input("g", "G", kind="choice", choices=(Choice("none", "None", aliases=("absent",)),))
    data = _with_inputs(MODE, EXTRA, NOTE, item).describe()
    mode, extra, note, g = data["inputs"]
    assert mode["applies_when"] == {} and mode["optional"] is False
    assert extra["applies_when"] == {"mode": ["b"]} and extra["default"] == 5
    assert note["optional"] is True and note["default"] is None
    assert g["choices"] == [{"value": "none", "label": "None", "aliases": ["absent"]}]
    assert data["limits"] == []


def test_supplied_values_override_defaults() -> None:
    result = CALC.calculate({**OK, "grade": "mild", "flag": "yes", "count": "3", "start": "2026-02-01"})
    assert result.outputs["grade"] == "mild"
    assert result.outputs["flag"] is True
    assert result.outputs["count"] == 3.0
    assert result.outputs["start"] == "2026-02-01"


@pytest.mark.parametrize("missing", ["dose", "bili"])
@pytest.mark.parametrize("how", ["omitted", "none", "blank"])
def test_missing_required_input(missing: str, how: str) -> None:
    inputs: dict[str, Any] = dict(OK)
    if how == "omitted":
        del inputs[missing]
    else:
        inputs[missing] = None if how == "none" else " "
    error = _error(CALC, inputs)
    assert error.field == missing
    assert error.reason == "is required"
    assert str(error) == f"{missing}: is required"


def test_unknown_input_name_is_rejected_listing_the_inputs() -> None:
    error = _error(CALC, {**OK, "weight": 70})
    assert error.field == "weight"
    assert error.reason == (
        "is not an input of test-sum; its inputs are bili, count, dose, flag, grade, ratio, start"
    )


def test_unknown_name_is_reported_before_missing_ones() -> None:
    assert _error(CALC, {"dosage": 50}).field == "dosage"


def test_input_error_to_dict() -> None:
    error = InputError("dose", "is required")
    assert isinstance(error, ValueError)
    assert error.to_dict() == {"field": "dose", "reason": "is required", "message": "dose: is required"}


# --- declarations -----------------------------------------------------------------------


def test_declaration_checks() -> None:
    with pytest.raises(ValueError, match="needs an allowed range"):
        Input("x", "X")
    with pytest.raises(ValueError, match="needs choices"):
        Input("x", "X", kind="choice")
    with pytest.raises(ValueError, match="belong to numbers"):
        Input("x", "X", kind="boolean", allowed=(0, 1))
    with pytest.raises(ValueError, match="duplicate input names"):
        Calculator("c", "C", "s", (DOSE, DOSE), Output("value", "V"), _compute, ("ref",), **PUBLISHED)
    with pytest.raises(ValueError, match="cite at least one reference"):
        Calculator("c", "C", "s", (DOSE,), Output("value", "V"), _compute, (), **PUBLISHED)


def test_input_lookup() -> None:
    assert CALC.input("bili") is BILI
    with pytest.raises(KeyError):
        CALC.input("nope")


# --- results ----------------------------------------------------------------------------


def test_result_fields() -> None:
    result = CALC.calculate({"dose": "50", "bili": 2.5, "grade": "MILD"})
    assert isinstance(result, Result)
    assert result.calculator == "test-sum"
    assert result.value == 52.5
    assert result.working == ["dose 50.0 + bili 2.5"]
    assert result.references == ["ref-a", "ref-b"]
    assert result.warnings == []
    # whole floats are echoed as ints; others stay floats
    assert result.inputs["dose"] == 50 and type(result.inputs["dose"]) is int
    assert result.inputs["bili"] == 2.5


def test_result_to_json_round_trip() -> None:
    result = CALC.calculate({"dose": 300, "bili": "34.2 µmol/L", "grade": "mild", "flag": True})
    text = result.to_json()
    assert json.loads(text) == result.to_dict()
    # canonical: sorted keys, no ASCII escaping (the warning holds an en dash)
    assert list(json.loads(text)) == sorted(result.to_dict())
    assert "–" in text and "\\u2013" not in text
    assert text == json.dumps(result.to_dict(), sort_keys=True, ensure_ascii=False)
    assert set(result.to_dict()) == {
        "calculator", "value", "outputs", "display", "warnings", "working", "references", "inputs", "version"
    }
    # Which code gave it: the package, and the calculator's own version.
    assert result.to_dict()["version"] == {"package": aihcalc.__version__, "calculator": "1.0"}


def test_to_json_refuses_nan() -> None:
    result = Result("c", math.nan, {}, {}, [], [], ["ref"], {})
    with pytest.raises(ValueError):
        result.to_json()
    nested = Result("c", 1, {"rows": [{"mg": math.inf}]}, {}, [], [], ["ref"], {})
    with pytest.raises(ValueError):
        nested.to_json()


@pytest.mark.parametrize(
    ("value", "outputs"),
    [
        (math.nan, {}),
        (math.inf, {}),
        (1.0, {"o": -math.inf}),
        (1.0, {"rows": [{"mg": math.nan}]}),
        (1.0, {"pair": (1.0, math.nan)}),
    ],
)
def test_compute_returning_non_finite_is_a_defect(value: Any, outputs: dict[str, Any]) -> None:
    calc = Calculator(
        id="test-broken",
        title="Broken",
        summary="Returns NaN.",
        inputs=(Input("x", "X", allowed=(0, 10), default=1),),
        value=Output("value", "Value"),
        compute=lambda values, work: Outcome(value=value, outputs=outputs),
        references=("ref",),
        **PUBLISHED,
    )
    with pytest.raises(ArithmeticError, match="test-broken produced a non-finite number"):
        calc.calculate({})


def test_working_warn_deduplicates_and_keeps_order() -> None:
    work = Working()
    work.warn("b")
    work.warn("a")
    work.warn("b")
    work.step("s1")
    work.step("s1")
    assert work.warnings == ["b", "a"]
    assert work.steps == ["s1", "s1"]


def test_compute_warnings_follow_plausibility_warnings() -> None:
    def compute(values: dict[str, Any], work: Working) -> Outcome:
        work.warn("from compute")
        return Outcome(value=values["dose"])

    calc = Calculator("w", "W", "s", (DOSE,), Output("value", "V", unit="mg"), compute, ("ref",), **PUBLISHED)
    assert calc.calculate({"dose": 1}).warnings[1:] == ["from compute"]
    assert calc.calculate({"dose": 1}).warnings[0].startswith("Dose 1 mg is outside the usual range")


# --- describe ---------------------------------------------------------------------------


def test_describe_shape() -> None:
    data = CALC.describe()
    json.dumps(data, allow_nan=False)  # JSON-ready
    assert set(data) == {
        "id", "title", "summary", "references", "value", "outputs", "inputs", "exports", "limits", "details", "evidence",
        "version", "changes",
    }
    assert data["version"] == "1.0"
    assert data["changes"] == [
        {"date": "2026-11-22", "version": "1.0", "what": "First published.", "why": "A test calculator."}
    ]
    assert data["limits"] == []  # no dose rules declared
    assert data["details"] == []  # every output shown with the answer
    assert data["evidence"] == []  # no register entries declared
    assert data["exports"] == []
    assert data["id"] == "test-sum"
    assert data["references"] == ["ref-a", "ref-b"]
    assert data["value"] == {"name": "value", "label": "Total", "unit": "mg", "columns": []}
    assert [o["name"] for o in data["outputs"]] == ["grade", "flag", "count", "rows"]
    assert data["outputs"][3]["columns"] == [["day", "Day"], ["mg", "mg"]]
    assert [i["name"] for i in data["inputs"]] == ["dose", "bili", "count", "grade", "flag", "start", "ratio"]
    keys = {
        "name", "label", "kind", "unit", "allowed", "plausible", "choices", "default", "preselect", "step", "hint",
        "units", "applies_when", "optional",
    }
    assert all(set(i) == keys for i in data["inputs"])
    dose, bili, count, grade, flag, start, ratio = data["inputs"]
    assert dose == {
        "name": "dose", "label": "Dose", "kind": "number", "unit": "mg", "allowed": [0, 500],
        "plausible": [10, 200], "choices": [], "default": None, "preselect": False, "step": 5, "hint": "",
        "units": ["mg"], "applies_when": {}, "optional": False,
    }
    assert bili["units"] == ["mg/dL", "µmol/L"]
    assert count["plausible"] is None and count["default"] == 0
    assert grade["kind"] == "choice" and grade["default"] == "none"
    assert grade["choices"] == [
        {"value": "none", "label": "None", "aliases": []},
        {"value": "mild", "label": "Mild", "aliases": []},
        {"value": "moderate", "label": "Moderate", "aliases": []},
    ]
    assert grade["allowed"] is None and grade["units"] == []
    assert flag["kind"] == "boolean" and flag["default"] is False
    assert start["kind"] == "date"
    assert ratio["unit"] == "" and ratio["units"] == []


# --- display ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (2.0, "mg", "2 mg"),
        (2, "mg", "2 mg"),
        (2.5, "mg", "2.5 mg"),
        (1 / 3, "mg", "0.333 mg"),
        (2 / 3, "", "0.667"),
        (100, "mg", "100 mg"),
        (1500.0, "mg", "1500 mg"),
        (0, "mg", "0 mg"),
        (-0.0001, "", "0"),
        (-2.5, "", "-2.5"),
        (None, "mg", "—"),
        (True, "mg", "yes"),
        (False, "", "no"),
        ("class B", "mg", "class B"),
        ([1, 2], "mg", ""),
    ],
)
def test_display_of_the_value(value: Any, unit: str, expected: str) -> None:
    assert _single(value, unit).calculate({}).display["value"] == expected


def test_display_of_outputs_and_overrides() -> None:
    result = CALC.calculate({**OK, "count": 2, "flag": True})
    assert result.display == {"value": "52 mg", "grade": "none", "flag": "yes", "count": "2 tablets"}
    # table outputs (with columns) get no display text
    assert "rows" not in result.display
    # an explicit display from compute wins
    calc = _single(7.0, "mg", display={"value": "seven mg", "extra": "x"}, outputs={"o": 1.25})
    assert calc.calculate({}).display == {"value": "seven mg", "o": "1.25 u", "extra": "x"}


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(1.23456, 3, "1.235"), (1.5, 1, "1.5"), (2.0, 3, "2"), (10, 3, "10"), (0.0004, 3, "0"), (-0.0, 3, "0"), (1.25, 1, "1.2")],
)
def test_fmt_number(value: float, decimals: int, expected: str) -> None:
    assert fmt_number(value, decimals) == expected


@pytest.mark.parametrize(("value", "expected"), [(150, "150"), (1000.4, "1000"), (10, "10")])
def test_fmt_number_with_no_decimals_keeps_trailing_zeros(value: float, expected: str) -> None:
    assert fmt_number(value, 0) == expected


def test_messages_for_unitless_inputs_have_no_stray_space() -> None:
    with pytest.raises(InputError) as info:
        RATIO.parse(5)
    assert " ;" not in info.value.reason
    warning = RATIO.plausibility_warning(0.9)
    assert warning is not None and " :" not in warning


def test_details_must_name_outputs() -> None:
    """A typo in ``details`` would silently show an intermediate value as the answer: refused."""
    with pytest.raises(ValueError, match="details names no output"):
        dataclasses.replace(CALC, details=("no_such_output",))
    assert dataclasses.replace(CALC, details=("grade",)).describe()["details"] == ["grade"]


# --- version and change list --------------------------------------------------------------

FIRST = Change("2026-11-22", "1.0", "First published.", "A test calculator.")


def _versioned(version: str, changes: tuple[Change, ...]) -> Calculator:
    return Calculator(
        "test-versioned", "V", "s", (DOSE,), Output("value", "V"), _compute, ("ref",),
        version=version, changes=changes,
    )


def test_a_calculator_carries_its_version_and_dated_changes() -> None:
    later = Change("2026-12-04", "1.1", "A new warning.", "Typos live there.")
    calc = _versioned("1.1", (FIRST, later))
    assert calc.version == "1.1" and calc.changes == (FIRST, later)
    # The same day twice is fine: dates never go back, versions always rise.
    _versioned("2.0", (FIRST, Change("2026-11-22", "2.0", "Rounded down.", "Under the ceiling.")))
    assert later.describe() == {"date": "2026-12-04", "version": "1.1", "what": "A new warning.", "why": "Typos live there."}


@pytest.mark.parametrize(
    ("version", "changes", "message"),
    [
        ("1.0", (), "list at least one change"),
        ("1.1", (FIRST,), "version '1.1' is not its latest change's version '1.0'"),
        (
            "1.1",
            (Change("2026-12-04", "1.0", "a", "b"), Change("2026-11-22", "1.1", "c", "d")),
            r"changes must be in date order: 1.1 \(2026-11-22\) is dated before 1.0 \(2026-12-04\)",
        ),
        ("1.0", (FIRST, Change("2026-12-04", "1.0", "c", "d")), r"versions must rise: 1.0 \(2026-12-04\) follows 1.0"),
        ("1.9", (Change("2026-11-22", "1.10", "a", "b"), Change("2026-12-04", "1.9", "c", "d")), "versions must rise: 1.9"),
    ],
)
def test_a_change_list_that_contradicts_itself_is_refused(version: str, changes: tuple[Change, ...], message: str) -> None:
    with pytest.raises(ValueError, match=f"calculator 'test-versioned': {message}"):
        _versioned(version, changes)


@pytest.mark.parametrize(
    ("date", "version", "what", "why", "message"),
    [
        ("22/11/2026", "1.0", "a", "b", "date '22/11/2026' is not an ISO date"),
        ("2026-02-30", "1.0", "a", "b", "date '2026-02-30' is not an ISO date"),
        ("2026-11-22", "1", "a", "b", "version '1' is not MAJOR.MINOR"),
        ("2026-11-22", "v1.0", "a", "b", "version 'v1.0' is not MAJOR.MINOR"),
        ("2026-11-22", "1.01", "a", "b", "version '1.01' is not MAJOR.MINOR"),
        ("2026-11-22", "1.0.1", "a", "b", "version '1.0.1' is not MAJOR.MINOR"),
        ("2026-11-22", "1.0", " ", "b", "say what changed and why"),
        ("2026-11-22", "1.0", "a", "", "say what changed and why"),
    ],
)
def test_a_malformed_change_is_refused(date: str, version: str, what: str, why: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Change(date, version, what, why)


def test_versions_compare_as_numbers() -> None:
    assert Change("2026-11-22", "1.10", "a", "b").number > Change("2026-11-22", "1.9", "a", "b").number
