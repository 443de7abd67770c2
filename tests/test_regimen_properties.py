"""Properties of the second-line and steroid-regimen calculators (hypothesis).

Any value into any input gives a ``Result`` or an ``InputError`` naming a field (never another
exception, never a NaN in the JSON); caps are never exceeded (tacrolimus 0.1 mg/kg/day and
8 mg/day, ciclosporin 3 mg/kg/day, paediatric prednisolone 2 mg/kg/day and 60 mg/day); doses never
fall as the weight rises; hard stops (pregnancy, cirrhosis, acute severe AIH) always give no dose;
the paediatric schedule never rises; the wrong age group is always refused. For weights to the
gram, the acute severe doses and every week of the paediatric schedule equal the rule worked
in the test from paediatric_prednisolone.py's declared steps and rounding.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aihcalc
from aihcalc import InputError, Result

SETTINGS = settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])

any_float = st.floats(allow_nan=True, allow_infinity=True)
any_value = st.one_of(
    any_float,
    st.integers(min_value=-(10**6), max_value=10**6),
    st.text(max_size=12),
    st.booleans(),
    st.none(),
    st.sampled_from(["70", "70 kg", "1e308", "1e309", "-0", "nan", "inf", "0.15 mg/kg/day", "2026-01-05"]),
)
adult_weights = st.floats(min_value=20, max_value=300, allow_nan=False)
child_weights = st.floats(min_value=2, max_value=150, allow_nan=False)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31))
booleans = st.booleans()

ADULT = {"age_group": "adult"}
CHILD = {"age_group": "child"}
NUMERIC_INPUTS = {
    "tacrolimus-dose": ({**ADULT, "weight_kg": 70}, ["weight_kg"]),
    "cyclosporine-dose": ({**ADULT, "weight_kg": 70, "mg_per_kg": 2}, ["weight_kg", "mg_per_kg"]),
    "budesonide-regimen": (
        {**ADULT, "weight_kg": 70, "cirrhosis": False, "acute_severe": False}, ["weight_kg"]
    ),
    "acute-severe-steroid": ({**ADULT, "weight_kg": 70, "start_date": "2026-01-05"}, ["weight_kg"]),
    "paediatric-prednisolone": (
        {**CHILD, "weight_kg": 20, "start_date": "2026-01-05", "final_mg_per_kg": 0.2},
        ["weight_kg", "final_mg_per_kg"],
    ),
}


def result_or_input_error(calc_id: str, inputs: dict[str, Any]) -> Result | None:
    """The result, or None on InputError; any other exception fails the test."""
    try:
        result = aihcalc.calculate(calc_id, inputs)
    except InputError as exc:
        assert exc.field in inputs or exc.field in {i.name for i in aihcalc.get(calc_id).inputs}
        assert exc.reason
        return None
    json.loads(result.to_json())  # allow_nan=False inside: a NaN would raise here
    return result


def units_total(text: str) -> float:
    """``"1 × 50 mg + 2 × 10 mg"`` → 70."""
    parts = re.findall(r"(\d+) × ([\d.]+) mg", text)
    assert parts and " + ".join(f"{n} × {s} mg" for n, s in parts) == text, text
    return sum(int(n) * float(s) for n, s in parts)


# --- any input ------------------------------------------------------------------------------


@SETTINGS
@given(calc_id=st.sampled_from(sorted(NUMERIC_INPUTS)), data=st.data())
def test_any_float_into_any_numeric_input(calc_id, data):
    base, names = NUMERIC_INPUTS[calc_id]
    name = data.draw(st.sampled_from(names))
    value = data.draw(any_float)
    result = result_or_input_error(calc_id, {**base, name: value})
    if result is not None:
        low, high = aihcalc.get(calc_id).input(name).allowed
        assert low <= value <= high


@SETTINGS
@given(calc_id=st.sampled_from(sorted(NUMERIC_INPUTS)), age=any_value)
def test_any_value_as_the_age_group(calc_id, age):
    base, _ = NUMERIC_INPUTS[calc_id]
    result = result_or_input_error(calc_id, {**base, "age_group": age})
    if result is not None:
        assert result.inputs["age_group"] == base["age_group"]


@SETTINGS
@given(calc_id=st.sampled_from(sorted(NUMERIC_INPUTS)), data=st.data())
def test_the_wrong_age_group_is_always_refused(calc_id, data):
    base, names = NUMERIC_INPUTS[calc_id]
    wrong = "adult" if base["age_group"] == "child" else "child"
    inputs = {**base, "age_group": wrong}
    name = data.draw(st.sampled_from(names))
    item = aihcalc.get(calc_id).input(name)
    inputs[name] = data.draw(st.floats(*item.allowed, allow_nan=False))
    try:
        aihcalc.calculate(calc_id, inputs)
    except InputError as exc:
        assert exc.field == "age_group"
    else:
        raise AssertionError(f"{calc_id} gave a dose for age_group={wrong}")


@SETTINGS
@given(weight=any_value, mg_per_kg=any_value)
def test_second_line_any_value(weight, mg_per_kg):
    result_or_input_error("tacrolimus-dose", {**ADULT, "weight_kg": weight})
    result_or_input_error("cyclosporine-dose", {**ADULT, "weight_kg": weight, "mg_per_kg": mg_per_kg})


@SETTINGS
@given(pregnant=any_value, childbearing=any_value, maintenance=any_value, start=any_value)
def test_mmf_any_value(pregnant, childbearing, maintenance, start):
    result_or_input_error(
        "mycophenolate-dose",
        {
            **ADULT,
            "pregnant_or_planning": pregnant,
            "childbearing_potential": childbearing,
            "maintenance_mg_per_day": maintenance,
            "start": start,
        },
    )


@SETTINGS
@given(weight=any_value, cirrhosis=any_value, acute=any_value, start=st.one_of(dates.map(str), any_value),
       final=any_value)
def test_steroid_regimens_any_value(weight, cirrhosis, acute, start, final):
    result_or_input_error(
        "budesonide-regimen", {**ADULT, "weight_kg": weight, "cirrhosis": cirrhosis, "acute_severe": acute}
    )
    result_or_input_error("acute-severe-steroid", {**ADULT, "weight_kg": weight, "start_date": start})
    result_or_input_error(
        "paediatric-prednisolone", {**CHILD, "weight_kg": weight, "start_date": start, "final_mg_per_kg": final}
    )


# --- tacrolimus -----------------------------------------------------------------------------


def tac(weight: float) -> Result:
    return aihcalc.calculate("tacrolimus-dose", {**ADULT, "weight_kg": weight})


@SETTINGS
@given(weight=adult_weights)
def test_tacrolimus_cap_steps_and_capsules(weight):
    result = tac(weight)
    daily, each = result.value, result.outputs["dose_each_mg"]
    assert isinstance(daily, int) and 1 <= daily <= 8
    assert (each * 2) % 1 == 0 and daily == 2 * each
    assert units_total(result.outputs["capsules_each_dose"]) == each
    target = min(0.1 * weight, 8.0)
    # Never above 0.1 mg/kg/day (a ceiling: a step that would pass it rounds down), and each
    # dose less than one 0.5 mg step below its share of it.
    assert daily <= target + 1e-9
    assert target - daily < 1 + 1e-9
    assert result.outputs["monitor"].startswith("Whole-blood tacrolimus trough levels")
    assert result.outputs["capped"] is (0.1 * weight > 8 + 1e-9)
    assert any("Not verified" in w for w in result.warnings)


@SETTINGS
@given(a=adult_weights, b=adult_weights)
def test_tacrolimus_never_falls_as_weight_rises(a, b):
    light, heavy = sorted((a, b))
    assert tac(light).value <= tac(heavy).value


# --- ciclosporin ----------------------------------------------------------------------------


def csa(weight: float, per_kg: float) -> Result:
    return aihcalc.calculate("cyclosporine-dose", {**ADULT, "weight_kg": weight, "mg_per_kg": per_kg})


csa_per_kg = st.floats(min_value=2, max_value=3, allow_nan=False)


@SETTINGS
@given(weight=adult_weights, per_kg=csa_per_kg)
def test_ciclosporin_inside_range_in_whole_capsules(weight, per_kg):
    result = csa(weight, per_kg)
    daily, each = result.value, result.outputs["dose_each_mg"]
    assert daily == 2 * each and each % 5 == 0
    assert 2 * weight - 1e-6 <= daily <= 3 * weight + 1e-6  # never above 3 mg/kg/day
    assert units_total(result.outputs["capsules_each_dose"]) == each
    assert abs(each - weight * per_kg / 2) <= 5  # nearest step, or the next one inside the range
    assert any(w.startswith("High dose:") for w in result.warnings) is (daily > 300)


@SETTINGS
@given(a=adult_weights, b=adult_weights, p=csa_per_kg, q=csa_per_kg)
def test_ciclosporin_never_falls_as_weight_or_mg_per_kg_rises(a, b, p, q):
    light, heavy = sorted((a, b))
    low, high = sorted((p, q))
    assert csa(light, low).value <= csa(heavy, low).value
    assert csa(light, low).value <= csa(light, high).value


# --- mycophenolate --------------------------------------------------------------------------


@SETTINGS
@given(pregnant=booleans, childbearing=booleans, maintenance=st.sampled_from(["1500", "2000"]),
       start=st.sampled_from(["escalating", "full"]))
def test_mmf_pregnancy_always_stops_and_doses_stay_in_range(pregnant, childbearing, maintenance, start):
    result = aihcalc.calculate(
        "mycophenolate-dose",
        {**ADULT, "pregnant_or_planning": pregnant, "childbearing_potential": childbearing,
         "maintenance_mg_per_day": maintenance, "start": start},
    )
    if pregnant:
        assert result.value is None and result.outputs["action"] == "contraindicated"
        assert result.outputs["schedule"] is None
        return
    assert result.value == int(maintenance)
    doses = [r["daily_mg"] for r in result.outputs["schedule"]]
    assert all(1000 <= d <= 2000 for d in doses) and doses == sorted(doses) and doses[-1] == result.value
    for row in result.outputs["schedule"]:
        assert units_total(row["tablets_each_dose"]) == row["each_dose_mg"] == row["daily_mg"] / 2
    assert any("contraception" in w for w in result.warnings) is childbearing


# --- budesonide -----------------------------------------------------------------------------


@SETTINGS
@given(weight=adult_weights, cirrhosis=booleans, acute=booleans)
def test_budesonide_hard_stops_and_azathioprine_range(weight, cirrhosis, acute):
    result = aihcalc.calculate(
        "budesonide-regimen", {**ADULT, "weight_kg": weight, "cirrhosis": cirrhosis, "acute_severe": acute}
    )
    if cirrhosis or acute:
        assert result.value is None and result.outputs["action"] == "do-not-use"
        assert result.outputs["alternative"]
        return
    assert result.value == 9
    out = result.outputs
    assert out["azathioprine_low_mg"] == round(weight, 2) and out["azathioprine_high_mg"] == round(2 * weight, 2)


# --- acute severe ---------------------------------------------------------------------------


def acute(weight: float, start: dt.date = dt.date(2026, 1, 5)) -> Result:
    return aihcalc.calculate(
        "acute-severe-steroid", {**ADULT, "weight_kg": weight, "start_date": start.isoformat()}
    )


@SETTINGS
@given(weight=adult_weights, start=dates)
def test_acute_severe_is_a_minimum_and_dates_add_up(weight, start):
    result = acute(weight, start)
    pred, mp = result.value, result.outputs["min_methylprednisolone_mg"]
    assert weight - 1e-9 <= pred < weight + 1  # at least 1 mg/kg, rounded up to a whole mg
    assert 0.8 * weight - 1e-9 <= mp < 0.8 * weight + 1
    assert mp <= pred
    check = dt.date.fromisoformat(result.outputs["check_date"])
    review = dt.date.fromisoformat(result.outputs["review_from"])
    assert (check - start).days == 14 and (review - start).days == 7
    assert any("High dose" in w for w in result.warnings) is (pred > 100)


# Weights to the gram, per-kg figures to 0.001: exact in decimal, so the rule can be worked by hand.
adult_grams = st.integers(min_value=20_000, max_value=300_000).map(lambda g: Decimal(g) / 1000)
child_grams = st.integers(min_value=2_000, max_value=150_000).map(lambda g: Decimal(g) / 1000)
final_thousandths = st.integers(min_value=100, max_value=200).map(lambda t: Decimal(t) / 1000)


@SETTINGS
@given(weight=adult_grams)
def test_acute_severe_doses_are_exact(weight):
    """At least 1 mg/kg/day, rounded up to a whole mg; methylprednisolone at 4 mg per 5 mg."""
    result = acute(float(weight))
    assert result.value == math.ceil(weight)
    assert result.outputs["min_methylprednisolone_mg"] == math.ceil(weight * 4 / 5)


@SETTINGS
@given(a=adult_weights, b=adult_weights)
def test_acute_severe_never_falls_as_weight_rises(a, b):
    light, heavy = sorted((a, b))
    assert acute(light).value <= acute(heavy).value
    assert acute(light).outputs["min_methylprednisolone_mg"] <= acute(heavy).outputs["min_methylprednisolone_mg"]


# --- children -------------------------------------------------------------------------------

finals = st.floats(min_value=0.1, max_value=0.2, allow_nan=False)


def paed(weight: float, final: float = 0.2, start: dt.date = dt.date(2026, 1, 5)) -> Result:
    return aihcalc.calculate(
        "paediatric-prednisolone",
        {**CHILD, "weight_kg": weight, "start_date": start.isoformat(), "final_mg_per_kg": final},
    )


def step_for(mg: float) -> float:
    return 2.5 if mg >= 10 else 1.0 if mg >= 1 else 0.1


@SETTINGS
@given(weight=child_weights, final=finals, start=dates)
def test_paediatric_schedule_never_rises_and_never_exceeds_60(weight, final, start):
    result = paed(weight, final, start)
    rows = result.value
    per_kg = [r["mg_per_kg"] for r in rows]
    doses = [r["daily_mg"] for r in rows]
    assert all(a >= b for a, b in zip(per_kg, per_kg[1:])), per_kg
    assert all(a >= b for a, b in zip(doses, doses[1:])), doses
    assert all(0 < d <= 60 for d in doses)
    assert all(d <= 2 * weight + 1e-9 for d in doses)  # never above 2 mg/kg/day
    for row in rows:
        target = min(weight * row["mg_per_kg"], 60)
        if row["daily_mg"] < target - step_for(target) / 2 - 1e-9:
            # The nearest tablet step would pass 2 mg/kg/day: the largest whole mg below it.
            assert row["weeks"] == "Week 1"
            assert row["daily_mg"] == int(2 * weight + 1e-9) and target - row["daily_mg"] < 1
        else:
            assert abs(row["daily_mg"] - target) <= step_for(target) / 2 + 1e-9
        if row["tablets"] != "below 1 mg: oral liquid":
            assert units_total(row["tablets"]) == row["daily_mg"]
        else:
            assert row["daily_mg"] < 1
    assert rows[0]["from"] == start.isoformat()
    assert (dt.date.fromisoformat(rows[-1]["to"]) - start).days == 76
    for row, nxt in zip(rows, rows[1:]):
        assert (dt.date.fromisoformat(nxt["from"]) - dt.date.fromisoformat(row["to"])).days == 1
    days = [7, 7, 7, 7, 7, 7, 7, 14, 14]
    assert abs(result.outputs["cumulative_mg"] - sum(d * m for d, m in zip(days, doses))) < 1e-6
    assert any("Not verified" in w for w in result.warnings)


# paediatric_prednisolone.py's schedule [wjg2017-aih]: mg/kg/day for weeks 1–7, weeks 8–9, then the
# final figure chosen within 0.1–0.2 for weeks 10–11.
PAED_MG_PER_KG = [Decimal(x) for x in ("2", "1.75", "1.5", "1.25", "1", "0.75", "0.5", "0.25")]


def paediatric_dose_by_hand(weight: Decimal, per_kg: Decimal) -> Decimal:
    """weight × mg/kg/day, at most 60 mg/day; to 2.5 mg from 10 mg/day, 1 mg from 1 mg/day,
    0.1 mg below, an exact half step down; a step above min(2 mg/kg/day, 60) becomes the largest
    whole mg (0.1 mg below 1 mg) not above it."""
    dose = min(weight * per_kg, Decimal(60))
    step = Decimal("2.5") if dose >= 10 else Decimal(1) if dose >= 1 else Decimal("0.1")
    rounded = math.ceil(dose / step - Decimal("0.5")) * step
    ceiling = min(2 * weight, Decimal(60))
    if rounded > ceiling:
        unit = Decimal(1) if ceiling >= 1 else Decimal("0.1")
        rounded = math.floor(ceiling / unit) * unit
    return rounded


@SETTINGS
@given(weight=child_grams, final=final_thousandths)
def test_paediatric_schedule_is_exact(weight, final):
    rows = paed(float(weight), float(final)).value
    per_kg = PAED_MG_PER_KG + [final]
    assert [Decimal(str(r["mg_per_kg"])) for r in rows] == per_kg
    expected = [float(paediatric_dose_by_hand(weight, k)) for k in per_kg]
    assert [r["daily_mg"] for r in rows] == expected


@SETTINGS
@given(a=child_weights, b=child_weights, final=finals)
def test_paediatric_doses_never_fall_as_weight_rises(a, b, final):
    light, heavy = sorted((a, b))
    lighter = [r["daily_mg"] for r in paed(light, final).value]
    heavier = [r["daily_mg"] for r in paed(heavy, final).value]
    assert all(x <= y for x, y in zip(lighter, heavier)), (lighter, heavier)
