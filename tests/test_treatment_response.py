"""treatment-response: the IAIHG definitions at and around every boundary, units, warnings, bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aihcalc
from aihcalc import InputError
from aihcalc.calculators.treatment_response import derived_inputs
from aihcalc.tables import load_table

CALC = "treatment-response"
BASE = {"alt_baseline": 400, "alt_week4": 120, "alt_month6": 30, "alt_uln": 40, "igg_month6": 14, "igg_uln": 16}
NON, INSUFFICIENT, COMPLETE = "non-response", "insufficient-response", "complete-biochemical-response"


def run(**changes: Any) -> aihcalc.Result:
    return aihcalc.calculate(CALC, {**BASE, **changes})


# (changes to BASE, expected value, rule, why)
WORKED = [
    ({}, COMPLETE, 2, "70 % fall; ALT 0.75 and IgG 0.875 × ULN"),
    ({"alt_week4": 200}, COMPLETE, 2, "a fall of exactly 50 % is a response"),
    ({"alt_week4": 200.04}, NON, 1, "49.99 % is less than 50 %"),
    ({"alt_week4": 201}, NON, 1, "49.75 %"),
    ({"alt_week4": 199}, COMPLETE, 2, "50.25 %"),
    ({"alt_week4": 400}, NON, 1, "no fall at all"),
    ({"alt_week4": 800}, NON, 1, "a rise"),
    ({"alt_month6": 40}, COMPLETE, 2, "ALT exactly at the ULN counts as normal"),
    ({"alt_month6": 40.01}, INSUFFICIENT, 3, "ALT just above the ULN"),
    ({"alt_month6": 80}, INSUFFICIENT, 3, "ALT twice the ULN"),
    ({"igg_month6": 16}, COMPLETE, 2, "IgG exactly at the ULN counts as normal"),
    ({"igg_month6": 16.1}, INSUFFICIENT, 4, "IgG just above the ULN"),
    ({"alt_month6": 80, "igg_month6": 30}, INSUFFICIENT, 3, "both raised"),
    ({"alt_week4": 300, "alt_month6": 80}, NON, 1, "week-4 failure and raised at month 6"),
    ({"alt_week4": 300}, NON, 1, "week-4 non-response stands though month 6 is normal"),
]


@pytest.mark.parametrize("changes,value,rule,why", WORKED, ids=[w[-1] for w in WORKED])
def test_worked_examples(changes: dict[str, Any], value: str, rule: int, why: str) -> None:
    result = run(**changes)
    assert result.value == value, why
    assert result.outputs["rule"] == rule
    assert result.display["value"] == value.replace("-", " ").replace("non response", "non-response")
    assert "[pape2022]" in result.outputs["definition"]


def test_every_rule_of_the_table_is_reachable_from_the_form() -> None:
    reached = {run(**changes).outputs["rule"] for changes, *_ in WORKED}
    assert reached == {r.number for r in load_table(CALC).rules}


@pytest.mark.parametrize(
    "values,fall,alt,igg",
    [
        ({"alt_baseline": 400, "alt_week4": 200}, 50.0, 0.75, 0.875),
        ({"alt_baseline": 123, "alt_week4": 61.5}, 50.0, 0.75, 0.875),
        ({"alt_baseline": 3, "alt_week4": 1.5}, 50.0, 0.75, 0.875),
        ({"alt_baseline": 0.7 * 100, "alt_week4": 35}, 50.0, 0.75, 0.875),
        ({"alt_month6": 33, "alt_uln": 33}, 70.0, 1.0, 0.875),
        ({"igg_month6": 15.7, "igg_uln": 15.7}, 70.0, 0.75, 1.0),
    ],
)
def test_derived_inputs_are_exact_at_the_boundaries(values: dict[str, Any], fall: float, alt: float, igg: float) -> None:
    derived = derived_inputs({**BASE, **values})
    assert derived == {"alt_fall_week4_percent": fall, "alt_month6_over_uln": alt, "igg_month6_over_uln": igg}


def test_working_shows_the_arithmetic_and_the_rule() -> None:
    assert run(alt_week4=201).working == [
        "Fall in ALT by week 4: 100 × (1 − 201 / 400) = 49.75 %.",
        "ALT at month 6: 30 / 40 U/L = 0.75 × ULN.",
        "IgG at month 6: 14 / 16 g/L = 0.875 × ULN.",
        "Table \"Biochemical response to first-line treatment\", rule 1: non-response.",
    ]
    assert run(alt_week4=800).working[0] == "Fall in ALT by week 4: 100 × (1 − 800 / 400) = -100 % (a rise)."


def test_a_value_just_off_a_boundary_is_never_shown_on_it() -> None:
    result = run(alt_baseline=20000, alt_week4=10000.2)  # a fall of 49.999 %
    assert result.value == NON
    assert result.display["alt_fall_week4_percent"] == "49.999 %"
    assert run(alt_month6=40.0004).display["alt_month6_over_uln"] == "1.00001 × ULN"


@pytest.mark.parametrize(
    "changes,warning,present",
    [
        ({"alt_week4": 300}, "the week-4 non-response stands", True),
        ({"alt_week4": 300, "alt_month6": 80}, "the week-4 non-response stands", False),
        ({"alt_baseline": 40}, "was not above its upper limit of normal", True),
        ({"alt_baseline": 41, "alt_week4": 20}, "was not above its upper limit of normal", False),
        ({"alt_month6": 40}, "equals its upper limit of normal exactly", True),
        ({"igg_month6": 16}, "equals its upper limit of normal exactly", True),
        ({}, "equals its upper limit of normal exactly", False),
    ],
)
def test_warnings(changes: dict[str, Any], warning: str, present: bool) -> None:
    assert any(warning in w for w in run(**changes).warnings) is present


def test_example_has_no_warnings() -> None:
    calc = aihcalc.get(CALC)
    result = calc.calculate(calc.example)
    assert result.value == COMPLETE and result.warnings == []


@pytest.mark.parametrize(
    "changes,value",
    [
        ({"alt_baseline": "6.667 µkat/L", "alt_week4": "120 IU/L"}, COMPLETE),  # 400 U/L
        ({"igg_month6": "1400 mg/dL", "igg_uln": "1600 mg/dL"}, COMPLETE),
        ({"igg_month6": "1700 mg/dL"}, INSUFFICIENT),
        ({"alt_month6": " 41 U/L "}, INSUFFICIENT),
    ],
)
def test_units(changes: dict[str, Any], value: str) -> None:
    assert run(**changes).value == value


BAD = [
    ({"alt_baseline": 0}, "alt_baseline"),
    ({"alt_baseline": 20001}, "alt_baseline"),
    ({"alt_week4": "abc"}, "alt_week4"),
    ({"alt_month6": float("nan")}, "alt_month6"),
    ({"alt_uln": 4}, "alt_uln"),
    ({"igg_month6": 0.4}, "igg_month6"),
    ({"igg_uln": 41}, "igg_uln"),
    ({"igg_uln": "16 mmol/L"}, "igg_uln"),
    ({"alt_uln": None}, "alt_uln"),
    ({"ast": 40}, "ast"),
]


@pytest.mark.parametrize("changes,field", BAD)
def test_bad_input_names_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as caught:
        run(**changes)
    assert caught.value.field == field


ALT = st.floats(min_value=1, max_value=20000)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    alt_baseline=ALT,
    alt_week4=ALT,
    alt_month6=ALT,
    alt_uln=st.floats(min_value=5, max_value=500),
    igg_month6=st.floats(min_value=0.5, max_value=100),
    igg_uln=st.floats(min_value=5, max_value=40),
)
def test_any_accepted_input_lands_inside_the_table_and_agrees_with_the_definitions(**values: float) -> None:
    result = aihcalc.calculate(CALC, values)
    fall = 100 * (1 - values["alt_week4"] / values["alt_baseline"])
    alt = values["alt_month6"] / values["alt_uln"]
    igg = values["igg_month6"] / values["igg_uln"]
    near = lambda x, edge: abs(x - edge) < 1e-9 * max(1.0, abs(edge))  # noqa: E731
    if near(fall, 50) or near(alt, 1) or near(igg, 1):
        return  # float and decimal arithmetic may differ in the last bit; boundaries are tested above
    if fall < 50:
        assert result.value == NON
    elif alt <= 1 and igg <= 1:
        assert result.value == COMPLETE
    else:
        assert result.value == INSUFFICIENT
    json.loads(result.to_json())


def test_fallback_grid_shows_the_boundaries() -> None:
    calc = aihcalc.get(CALC)
    grid = calc.fallback
    assert grid is not None
    cells = [
        [calc.calculate({**calc.example, **grid.fixed, grid.rows: r, grid.columns: c}).value for c in grid.column_values]
        for r in grid.row_values
    ]
    assert cells == [
        [COMPLETE, COMPLETE, INSUFFICIENT, INSUFFICIENT],  # week 4 = 100: a 75 % fall
        [COMPLETE, COMPLETE, INSUFFICIENT, INSUFFICIENT],  # 200: exactly 50 %
        [NON, NON, NON, NON],  # 201: 49.75 %
        [NON, NON, NON, NON],  # 300
    ]


def test_declaration_follows_design() -> None:
    calc = aihcalc.get(CALC)
    assert [i.name for i in calc.inputs] == ["alt_baseline", "alt_week4", "alt_month6", "alt_uln", "igg_month6", "igg_uln"]
    assert calc.references == ("pape2022",)
    assert load_table(CALC).calculator == CALC
    assert set(load_table(CALC).outputs[0].choices) == {NON, INSUFFICIENT, COMPLETE}


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    from aihcalc.__main__ import main

    args = [f"{k}={v}" for k, v in BASE.items()]
    assert main([CALC, *args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["value"] == COMPLETE
    assert main([CALC, *args[:-1], "igg_uln=nope", "--json"]) == 2
    assert "igg_uln" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# Before month 6: the month-6 values left empty
# ---------------------------------------------------------------------------------------------

WEEK4 = {"alt_baseline": 400, "alt_week4": 120, "alt_uln": 40}
MONTH6 = ("alt_month6", "igg_month6", "igg_uln")


def early(**changes: Any) -> aihcalc.Result:
    return aihcalc.calculate(CALC, {**WEEK4, **changes})


def test_the_month6_inputs_are_optional_and_the_others_required() -> None:
    calc = aihcalc.get(CALC)
    assert {i.name for i in calc.inputs if i.optional} == set(MONTH6)
    for name in ("alt_baseline", "alt_week4", "alt_uln"):
        with pytest.raises(InputError) as caught:
            early(**{name: None})
        assert caught.value.field == name


def test_week4_non_response_is_judged_without_month6() -> None:
    result = early(alt_week4=201)  # a fall of 49.75 %
    assert result.value == NON
    assert result.outputs["rule"] == 1
    assert result.outputs["week4_non_response"] is True
    assert result.outputs["alt_month6_over_uln"] is None and result.outputs["igg_month6_over_uln"] is None
    assert result.display["alt_month6_over_uln"] == "—"
    assert result.working == [
        "Fall in ALT by week 4: 100 × (1 − 201 / 400) = 49.75 %.",
        "Table \"Biochemical response to first-line treatment\", rule 1: non-response.",
        "Not entered: ALT at month 6, IgG at month 6 and IgG upper limit of normal. The response "
        "at 6 months cannot be judged yet; the week-4 non-response stands whatever the month-6 "
        "values show.",
    ]
    assert result.warnings == []


@pytest.mark.parametrize("week4", [200, 120, 1])  # a fall of exactly 50 % is not non-response
def test_without_month6_a_response_at_week4_is_not_yet_judged(week4: float) -> None:
    result = early(alt_week4=week4)
    assert result.value is None
    assert json.loads(result.to_json())["value"] is None
    assert result.display["value"] == "not yet judged (needs the month-6 values)"
    assert result.outputs["rule"] is None
    assert result.outputs["week4_non_response"] is False
    assert "non-response is not met" in result.outputs["definition"]
    assert "[pape2022]" in result.outputs["definition"]
    assert result.working[-1] == (
        "Table \"Biochemical response to first-line treatment\": rules 2, 3 and 4 could still apply, so the response at "
        "6 months cannot be judged yet: it needs ALT at month 6, IgG at month 6 and IgG upper "
        "limit of normal."
    )


def test_empty_month6_fields_from_a_form_are_left_empty() -> None:
    blank = {name: "" for name in MONTH6}
    assert early(**blank).to_json() == early().to_json()
    assert early(alt_week4="300", **blank).value == NON


@pytest.mark.parametrize(
    "changes,value,rule",
    [
        ({"alt_month6": 80}, INSUFFICIENT, 3),  # ALT above its ULN: insufficient whatever IgG is
        ({"alt_month6": 40.01}, INSUFFICIENT, 3),
        ({"alt_month6": 40}, None, None),  # ALT normal: complete or not depends on IgG
        ({"alt_month6": 30, "igg_month6": 14}, None, None),  # IgG without its ULN is not used
        ({"igg_month6": 20, "igg_uln": 16}, INSUFFICIENT, None),  # rules 3 and 4 agree
        ({"igg_month6": 16, "igg_uln": 16}, None, None),  # IgG normal: depends on ALT
        ({"alt_week4": 300, "alt_month6": 30}, NON, 1),
    ],
)
def test_month6_partly_entered(changes: dict[str, Any], value: str | None, rule: int | None) -> None:
    result = early(**changes)
    assert result.value == value
    assert result.outputs["rule"] == rule


def test_insufficient_from_igg_alone_names_both_rules() -> None:
    result = early(igg_month6=20, igg_uln=16)
    assert result.working[-1] == (
        "Table \"Biochemical response to first-line treatment\", rules 3 and 4: insufficient response whichever applies "
        "(not known yet: ALT at month 6)."
    )


def test_igg_without_its_uln_warns() -> None:
    result = early(alt_month6=30, igg_month6=14)
    assert any("IgG at month 6 is not used without the IgG upper limit of normal" in w for w in result.warnings)
    assert early(alt_month6=30, igg_uln=16).warnings == []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(alt_baseline=ALT, alt_week4=ALT, alt_uln=st.floats(min_value=5, max_value=500))
def test_week4_alone_agrees_with_the_definition(**values: float) -> None:
    result = aihcalc.calculate(CALC, values)
    fall = 100 * (1 - values["alt_week4"] / values["alt_baseline"])
    if abs(fall - 50) < 1e-9 * 50:
        return  # boundaries are tested above, in exact arithmetic
    assert result.value == (NON if fall < 50 else None)


def test_cli_without_month6(capsys: pytest.CaptureFixture[str]) -> None:
    from aihcalc.__main__ import main

    args = [f"{k}={v}" for k, v in WEEK4.items()]
    assert main([CALC, *args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["value"] is None
    assert main([CALC, *args[:1], "alt_week4=300", *args[2:], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["value"] == NON


# ---------------------------------------------------------------------------------------------
# IgG in mg/dL typed without its unit
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,raw,reason",
    [
        ("igg_month6", 1400, 'it looks like a value in mg/dL: type "1400 mg/dL" (14 g/L) or switch the unit'),
        ("igg_month6", "1400", 'it looks like a value in mg/dL: type "1400 mg/dL" (14 g/L) or switch the unit'),
        ("igg_uln", 1600, 'it looks like a value in mg/dL: type "1600 mg/dL" (16 g/L) or switch the unit'),
        ("igg_month6", 150, "check the value and its unit"),  # not plausible in mg/dL either
    ],
)
def test_igg_in_mg_per_dl_without_its_unit(name: str, raw: Any, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        run(**{name: raw})
    assert caught.value.field == name
    assert caught.value.reason.endswith(reason)


def test_igg_bare_numbers_are_never_ambiguous() -> None:
    # 2–50 g/L is 200–5,000 mg/dL: no bare number is plausible in both units.
    for igg in (2, 14, 50):
        assert not any("default unit" in w for w in run(igg_month6=igg).warnings)
