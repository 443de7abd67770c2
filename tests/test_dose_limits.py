"""Dose limits: every dose calculator declares them, and no result passes a ceiling.

The property test draws inputs from each dose calculator's whole declared domain (every
accepted number, every choice, every date) and reads the daily doses out of the result's
JSON with readers written here, independently of the calculators' own dose readers. Those
doses are compared with the declared limits: never above a ceiling; above a studied maximum
or a review prompt only with a warning that names the figure.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aihcalc
from aihcalc import Calculator, Input, InputError
from aihcalc.dosing import CeilingBreach, DailyDose, DoseLimit, DoseRules
from aihcalc.spec import Outcome, Output, fmt_number
from tests.conftest import PUBLISHED

SETTINGS = settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
STATUSES = {"confirmed", "secondary", "weak", "unverified", "calculator's choice"}


def _rows(key: str) -> Callable[[dict[str, Any]], list[float]]:
    def read(result: dict[str, Any]) -> list[float]:
        rows = result["value"] if key == "value" else result["outputs"][key]
        return [row["daily_mg"] for row in rows or [] if row["daily_mg"] is not None]

    return read


def _value(result: dict[str, Any]) -> list[float]:
    return [] if result["value"] is None else [result["value"]]


def _azathioprine(result: dict[str, Any]) -> list[float]:
    if result["value"] is None:
        return []
    start = result["outputs"]["start_dose_mg"]  # none for a child: started per kg instead
    return [result["value"]] + ([] if start is None else [start])


# Every calculator that gives a dose, and how to read its daily doses from the JSON.
READERS: dict[str, Callable[[dict[str, Any]], list[float]]] = {
    "azathioprine-dose": _azathioprine,
    "prednisolone-taper": _rows("value"),
    "paediatric-prednisolone": _rows("value"),
    "budesonide-regimen": _value,
    "acute-severe-steroid": _value,
    "tacrolimus-dose": _value,
    "cyclosporine-dose": _value,
    "mycophenolate-dose": _rows("schedule"),
}


def test_every_dose_calculator_declares_its_limits_with_sources() -> None:
    for calc_id in READERS:
        calc = aihcalc.get(calc_id)
        assert calc.dose_rules is not None, calc_id
        assert calc.dose_rules.limits, calc_id
        for limit in calc.describe()["limits"]:
            assert limit["status"] in STATUSES, (calc_id, limit)
            assert limit["value"] > 0
            keys = re.findall(r"\[([a-z0-9-]+)\]", limit["source"])
            if limit["status"] != "calculator's choice":
                assert keys, f"{calc_id}: a sourced limit cites its source: {limit}"
            assert set(keys) <= set(calc.references), (calc_id, keys)


def test_no_other_calculator_gives_doses_without_limits() -> None:
    undeclared = [c.id for c in aihcalc.all_calculators() if c.dose_rules and c.id not in READERS]
    assert undeclared == [], "add a reader for each new dose calculator here"


def value_for(item: Input) -> st.SearchStrategy[Any]:
    if item.kind == "number":
        assert item.allowed is not None
        low, high = item.allowed
        numbers = st.floats(min_value=low, max_value=high, allow_nan=False)
        if item.integer:
            numbers = st.integers(min_value=int(low), max_value=int(high))
        return st.one_of(numbers, st.sampled_from([low, high]))
    if item.kind == "choice":
        return st.sampled_from(item.choice_values)
    if item.kind == "boolean":
        return st.booleans()
    return st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31)).map(dt.date.isoformat)


def whole_domain(calc: Calculator) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({item.name: value_for(item) for item in calc.inputs})


def limit_mg(limit: dict[str, Any], inputs: dict[str, Any]) -> float | None:
    if limit["basis"] == "mg/day":
        return limit["value"]
    weight = inputs.get("weight_kg")
    return None if weight is None else limit["value"] * weight


@pytest.mark.parametrize("calc_id", sorted(READERS))
def test_no_result_passes_a_ceiling_over_the_whole_domain(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    limits = calc.describe()["limits"]

    @SETTINGS
    @given(whole_domain(calc))
    def check(inputs: dict[str, Any]) -> None:
        try:
            result = json.loads(calc.calculate(inputs).to_json())
        except InputError:
            return  # a refusal (a child on an adult regimen, no whole-tablet dose …) is safe
        doses = READERS[calc_id](result)
        for limit in limits:
            cap = limit_mg(limit, result["inputs"])
            if cap is None:
                continue
            above = [d for d in doses if d > cap + 1e-6]
            if limit["kind"] == "ceiling":
                assert not above, f"{calc_id}: {above} above {cap} mg/day for {inputs}"
            elif above:
                figure = f"{fmt_number(limit['value'])} {limit['basis']}"
                assert any(figure in w for w in result["warnings"]), (
                    f"{calc_id}: {max(above)} mg/day passes {figure} with no warning naming it"
                )

    check()


# --- the guard itself ------------------------------------------------------------------------


def _fake(dose_mg: float, limits: tuple[DoseLimit, ...]) -> Calculator:
    return Calculator(
        id="test-guard",
        title="Guard",
        summary="",
        inputs=(Input("weight_kg", "Weight", unit="kg", allowed=(1, 300)),),
        value=Output("dose", "Dose", unit="mg/day"),
        compute=lambda v, work: Outcome(value=dose_mg),
        references=("x",),
        **PUBLISHED,
        dose_rules=DoseRules(limits, lambda v, outcome: [DailyDose("Daily dose", outcome.value)]),
    )


def test_a_result_above_a_ceiling_is_never_shown() -> None:
    calc = _fake(101, (DoseLimit("ceiling", "mg/kg/day", 2, "a source [x]", "secondary"),))
    assert calc.calculate({"weight_kg": 51}).value == 101  # 2 mg/kg × 51 kg = 102 mg/day
    with pytest.raises(CeilingBreach, match="above its ceiling 100 mg/day"):
        calc.calculate({"weight_kg": 50})


def test_passing_a_studied_maximum_always_names_it() -> None:
    calc = _fake(160, (DoseLimit("studied-maximum", "mg/day", 150, "a trial [x]", "unverified"),))
    (warning,) = calc.calculate({"weight_kg": 70}).warnings
    assert warning.startswith("Above the largest dose the sources used: daily dose, 160 mg/day,")
    assert "150 mg/day, the highest in a trial [x] (unverified)" in warning
    assert _fake(150, calc.dose_rules.limits).calculate({"weight_kg": 70}).warnings == []


def test_a_review_prompt_is_not_called_a_limit() -> None:
    calc = _fake(120, (DoseLimit("review-prompt", "mg/day", 100, "none found", "calculator's choice"),))
    (warning,) = calc.calculate({"weight_kg": 70}).warnings
    assert warning.startswith("High dose: daily dose, 120 mg/day, is more than 100 mg/day.")
    assert "not a limit" in warning


# --- the cases that were found unsafe ---------------------------------------------------------


def test_a_7_kg_child_never_gets_more_than_2_mg_per_kg() -> None:
    result = aihcalc.calculate(
        "paediatric-prednisolone", {"age_group": "child", "weight_kg": 7, "start_date": "2026-01-05"}
    )
    assert result.value[0]["daily_mg"] == 14  # was 15 mg (2.14 mg/kg)
    assert result.value[0]["mg_per_kg_given"] == 2


@pytest.mark.parametrize("weight", [6, 6.5, 7, 7.9, 11, 13.6, 22.4, 29.9])
def test_paediatric_week_one_is_never_above_2_mg_per_kg(weight: float) -> None:
    result = aihcalc.calculate(
        "paediatric-prednisolone", {"age_group": "child", "weight_kg": weight, "start_date": "2026-01-05"}
    )
    assert result.value[0]["daily_mg"] <= 2 * weight


def test_azathioprine_at_160_kg_is_a_target_with_a_50_mg_start_and_a_warning() -> None:
    result = aihcalc.calculate(
        "azathioprine-dose",
        {"age_group": "adult", "weight_kg": 160, "mg_per_kg": 2, "tpmt": "normal", "nudt15": "normal"},
    )
    assert result.value == 300
    assert result.outputs["start_dose_mg"] == 50
    assert "Normal starting dose" not in result.outputs["reason"]
    assert any("150 mg/day" in w and "AASLD 2019" in w for w in result.warnings)


def test_ciclosporin_at_200_kg_asks_for_a_check() -> None:
    result = aihcalc.calculate(
        "cyclosporine-dose", {"age_group": "adult", "weight_kg": 200, "mg_per_kg": 3}
    )
    assert result.value == 600
    assert any(w.startswith("High dose:") and "300 mg/day" in w for w in result.warnings)


def test_tacrolimus_rounding_never_passes_0_1_mg_per_kg() -> None:
    result = aihcalc.calculate("tacrolimus-dose", {"age_group": "adult", "weight_kg": 39})
    assert result.value == 3  # the nearest step, 2 mg twice daily, would be 0.103 mg/kg/day


# --- populations -------------------------------------------------------------------------------

ADULT_ONLY = sorted(set(READERS) - {"paediatric-prednisolone", "azathioprine-dose"})


@pytest.mark.parametrize("calc_id", ADULT_ONLY)
def test_adult_regimens_refuse_a_child_and_say_where_to_go(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    with pytest.raises(InputError) as info:
        calc.calculate({**calc.example, "age_group": "child"})
    assert info.value.field == "age_group"
    assert "no dose is given for a child" in info.value.reason
    assert re.search(r"children|paediatric", info.value.reason.split("child or adolescent.")[1])


def test_the_childrens_schedule_refuses_an_adult() -> None:
    calc = aihcalc.get("paediatric-prednisolone")
    with pytest.raises(InputError) as info:
        calc.calculate({**calc.example, "age_group": "adult"})
    assert info.value.field == "age_group"
    assert "prednisolone taper" in info.value.reason


def test_azathioprine_flags_a_child_and_starts_low() -> None:
    calc = aihcalc.get("azathioprine-dose")
    result = calc.calculate({**calc.example, "age_group": "child", "weight_kg": 30, "mg_per_kg": 2})
    assert any(w.startswith("Child or adolescent:") for w in result.warnings)
    assert result.outputs["start_dose_mg"] is None  # never the adult 50 mg/day start
    assert result.outputs["plan"].startswith("Start low, at about 15 mg/day (0.5 mg/kg/day")
    assert not any("Starting dose 50 mg/day" in w for w in result.warnings)


def test_mycophenolate_stops_for_pregnancy_before_asking_for_a_dose() -> None:
    result = aihcalc.calculate(
        "mycophenolate-dose",
        {"age_group": "adult", "pregnant_or_planning": True, "childbearing_potential": True},
    )
    assert result.value is None
    assert result.outputs["action"] == "contraindicated"


@pytest.mark.parametrize("calc_id", sorted(READERS))
def test_the_age_group_is_asked_not_assumed(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    assert calc.input("age_group").default is None
    inputs = {k: v for k, v in calc.example.items() if k != "age_group"}
    with pytest.raises(InputError, match="age_group: is required"):
        calc.calculate(inputs)


# --- no silent assumptions -----------------------------------------------------------------------

# Defaults that remain on dose calculators, each non-committal: "not tested", "not yet normal"
# and "not known" make the calculator warn or wait; the start "as the regimen gives it" and the
# per-kg figures are the published figures, shown in the field (an emptied field gets a message).
NON_COMMITTAL_DEFAULTS = {
    ("azathioprine-dose", "tpmt"): "unknown",
    ("azathioprine-dose", "nudt15"): "unknown",
    ("prednisolone-taper", "start_basis"): "fixed",
    ("prednisolone-taper", "aminotransferases"): "not-yet-normal",
    ("prednisolone-taper", "bilirubin_below_6"): "unknown",
}


@pytest.mark.parametrize("calc_id", sorted(READERS))
def test_no_choice_that_changes_a_dose_is_preselected(calc_id: str) -> None:
    for item in aihcalc.get(calc_id).inputs:
        if item.kind in ("choice", "boolean") and item.default is not None:
            assert NON_COMMITTAL_DEFAULTS.get((calc_id, item.name)) == item.default, (
                f"{calc_id}.{item.name} pre-selects {item.default!r}"
            )


def test_the_taper_has_no_default_regimen() -> None:
    calc = aihcalc.get("prednisolone-taper")
    inputs = {k: v for k, v in calc.example.items() if k != "regimen"}
    with pytest.raises(InputError, match="regimen: is required"):
        calc.calculate(inputs)


@pytest.mark.parametrize(
    ("calc_id", "field"),
    [
        ("azathioprine-dose", "mg_per_kg"),
        ("cyclosporine-dose", "mg_per_kg"),
        ("paediatric-prednisolone", "final_mg_per_kg"),
        ("prednisolone-taper", "start_mg"),
    ],
)
def test_an_emptied_dose_field_gives_a_message_not_a_hidden_default(calc_id: str, field: str) -> None:
    calc = aihcalc.get(calc_id)
    with pytest.raises(InputError) as info:
        calc.calculate({**calc.example, field: ""})
    assert info.value.field == field
    assert info.value.reason.startswith("is empty: enter a value (the usual value is ")
    assert calc.input(field).unit in info.value.reason


def test_an_input_that_does_not_apply_never_blocks_the_answer() -> None:
    calc = aihcalc.get("prednisolone-taper")
    base = {**calc.example, "regimen": "easl2015-weight"}
    plain = calc.calculate(base).to_dict()
    # The summary articles' start-dose field is emptied or nonsense: it does not apply here.
    assert calc.calculate({**base, "start_mg": ""}).to_dict() == plain
    assert calc.calculate({**base, "start_mg": "999", "normal_week": "abc"}).to_dict() == plain
