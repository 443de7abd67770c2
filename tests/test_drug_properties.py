"""Properties of the drug calculators (hypothesis): no crash, no NaN, caps kept, monotonic.

Any value into any input gives a ``Result`` or an ``InputError`` (never another exception,
never a NaN in the JSON); azathioprine never exceeds 2 mg/kg/day and never rises when the
weight falls; a prednisolone schedule, for every regimen, never rises from one row to the next,
never exceeds its start dose or its regimen's maximum, and its dated rows follow each other
day by day.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aihcalc
from aihcalc import InputError, Result
from aihcalc.calculators.prednisolone_taper import REGIMENS

SETTINGS = settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
STATUSES = ("normal", "intermediate", "poor", "unknown")

any_float = st.floats(allow_nan=True, allow_infinity=True)
any_value = st.one_of(
    any_float,
    st.integers(min_value=-(10**6), max_value=10**6),
    st.text(max_size=12),
    st.booleans(),
    st.none(),
    st.sampled_from(["70", "70 kg", "1e308", "1e309", "-0", "nan", "inf", "NaN kg", " 2.5 "]),
)
weights = st.floats(min_value=3, max_value=300, allow_nan=False)
ages = st.sampled_from(["adult", "child"])  # azathioprine doses both (a child is flagged)
per_kg = st.floats(min_value=0.5, max_value=2.0, allow_nan=False)
status = st.sampled_from(STATUSES)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31))


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


def dose(weight: float, mg_per_kg: float, tpmt: str = "normal", nudt15: str = "normal") -> int | None:
    return aihcalc.calculate(
        "azathioprine-dose",
        {"age_group": "adult", "weight_kg": weight, "mg_per_kg": mg_per_kg, "tpmt": tpmt, "nudt15": nudt15},
    ).value


# --- azathioprine -------------------------------------------------------------------------


def azathioprine_by_hand(weight: float, mg_per_kg: float, tpmt: str, nudt15: str) -> int | None:
    """The target dose from the rule azathioprine.py declares, worked in exact decimals.

    Poor TPMT or NUDT15: no dose. Otherwise weight × mg/kg/day, times 1/2 for one intermediate
    gene (CPIC 30–80 %) or 1/4 for two (CPIC 20–50 %); an untested gene counts as normal. The
    nearest multiple of 25 mg (a half step up), kept inside CPIC's range rounded inwards to
    25 mg steps and never above 2 mg/kg/day rounded down to 25 mg; none if no step is left.
    """
    if "poor" in (tpmt, nudt15):
        return None
    step = Decimal(25)
    normal = Decimal(repr(weight)) * Decimal(repr(mg_per_kg))
    ceiling = math.floor(Decimal(repr(weight)) * 2 / step) * step
    factor, cpic = {
        0: (Decimal(1), None),
        1: (Decimal("0.5"), (Decimal("0.3"), Decimal("0.8"))),
        2: (Decimal("0.25"), (Decimal("0.2"), Decimal("0.5"))),
    }[(tpmt, nudt15).count("intermediate")]
    nearest = math.floor(normal * factor / step + Decimal("0.5")) * step
    if cpic is None:
        if nearest < step or ceiling < step:
            return None
        low, high = step, ceiling
    else:
        low = math.ceil(normal * cpic[0] / step) * step
        high = min(math.floor(normal * cpic[1] / step) * step, ceiling)
        if low > high:
            return None
    return int(min(max(nearest, low), high))


@SETTINGS
@given(
    age=st.one_of(ages, any_value),
    weight=any_value,
    mg_per_kg=any_value,
    tpmt=st.one_of(status, any_value),
    nudt15=status,
)
def test_azathioprine_any_input_gives_result_or_input_error(age, weight, mg_per_kg, tpmt, nudt15):
    result_or_input_error(
        "azathioprine-dose",
        {"age_group": age, "weight_kg": weight, "mg_per_kg": mg_per_kg, "tpmt": tpmt, "nudt15": nudt15},
    )


@SETTINGS
@given(age=ages, weight=any_float, mg_per_kg=any_float)
def test_azathioprine_any_float_gives_result_or_input_error(age, weight, mg_per_kg):
    result = result_or_input_error(
        "azathioprine-dose", {"age_group": age, "weight_kg": weight, "mg_per_kg": mg_per_kg}
    )
    if result is not None:
        assert 3 <= weight <= 300 and 0.5 <= mg_per_kg <= 2


@SETTINGS
@given(age=ages, weight=weights, mg_per_kg=per_kg, tpmt=status, nudt15=status)
def test_azathioprine_caps_and_tablets(age, weight, mg_per_kg, tpmt, nudt15):
    result = aihcalc.calculate(
        "azathioprine-dose",
        {"age_group": age, "weight_kg": weight, "mg_per_kg": mg_per_kg, "tpmt": tpmt, "nudt15": nudt15},
    )
    assert any(w.startswith("Child or adolescent:") for w in result.warnings) == (age == "child")
    value = result.value
    out = result.outputs
    assert value == azathioprine_by_hand(weight, mg_per_kg, tpmt, nudt15)
    if "poor" in (tpmt, nudt15):
        assert value is None and out["action"] == "avoid-thiopurine"
        return
    if value is None:
        assert out["action"] == "no-whole-tablet-dose" and out["reason"]
        return
    assert isinstance(value, int) and value > 0 and value % 25 == 0
    assert value <= 2 * weight + 1e-9  # never above 2 mg/kg/day
    assert out["dose_mg_per_kg"] <= 2.0
    normal = weight * mg_per_kg
    n_intermediate = (tpmt, nudt15).count("intermediate")
    if n_intermediate:
        low, high = {1: (0.3, 0.8), 2: (0.2, 0.5)}[n_intermediate]
        assert low * normal - 1e-6 <= value <= high * normal + 1e-6
        assert out["range_low_mg"] <= value <= out["range_high_mg"]
    else:
        assert abs(value - normal) <= 12.5 + 1e-6 or value < normal  # nearest, or brought down
    assert out["tablets"].endswith(" mg")
    # The value is the target; an adult starts at 50 mg/day, or the target when smaller; a
    # child never gets that adult start (0.5 mg/kg/day instead, in the plan).
    if result.inputs["age_group"] == "child":
        assert out["start_dose_mg"] is None
        assert out["plan"].startswith("Start low, at about ")
        assert not any(w.startswith("Starting dose 50 mg/day") for w in result.warnings)
    else:
        assert out["start_dose_mg"] == min(50, value)
        assert any(w.startswith("Starting dose 50 mg/day, target") for w in result.warnings) == (value > 50)
    above = [w for w in result.warnings if w.startswith("Above the largest dose the sources used:")]
    assert len(above) == (1 if value > 150 else 0)
    if above:
        assert f"target dose, {value} mg/day, is more than 150 mg/day" in above[0]


@SETTINGS
@given(a=weights, b=weights, mg_per_kg=per_kg, pair=st.sampled_from(
    [("normal", "normal"), ("intermediate", "normal"), ("intermediate", "intermediate"),
     ("unknown", "unknown")]))
def test_azathioprine_dose_never_falls_as_weight_rises(a, b, mg_per_kg, pair):
    light, heavy = sorted((a, b))
    lighter = dose(light, mg_per_kg, *pair) or 0
    heavier = dose(heavy, mg_per_kg, *pair) or 0
    assert lighter <= heavier


@SETTINGS
@given(weight=weights, a=per_kg, b=per_kg)
def test_azathioprine_dose_never_falls_as_mg_per_kg_rises(weight, a, b):
    low, high = sorted((a, b))
    assert (dose(weight, low) or 0) <= (dose(weight, high) or 0)


@SETTINGS
@given(weight=weights, mg_per_kg=per_kg)
def test_azathioprine_reduction_never_raises_the_dose(weight, mg_per_kg):
    full = dose(weight, mg_per_kg) or 0
    half = dose(weight, mg_per_kg, "intermediate", "normal") or 0
    quarter = dose(weight, mg_per_kg, "intermediate", "intermediate") or 0
    assert quarter <= half <= full


# --- prednisolone ---------------------------------------------------------------------------


def check_schedule(result: Result) -> None:
    rows = result.value
    regimen = result.inputs["regimen"]
    start = result.outputs["start_dose_mg"]
    # A dose no source gives is null (CAMARO's weeks 2–5), never invented; only there.
    doses = [row["daily_mg"] for row in rows if row["daily_mg"] is not None]
    assert len(doses) == len(rows) or regimen == "camaro"
    assert all(isinstance(d, float) and math.isfinite(d) and d > 0 for d in doses)
    assert all(d <= start for d in doses)
    assert all(d <= REGIMENS[regimen].max_mg for d in doses)
    assert all(a >= b for a, b in zip(doses, doses[1:])), doses
    assert doses[0] == start == rows[0]["daily_mg"]
    if regimen == "seed-combination":
        assert 10 <= start <= 30
    # Tablets make up the dose (5 mg and 2.5 mg), and are absent only where the dose is.
    for row in rows:
        if row["daily_mg"] is None:
            assert row["tablets"] is None
        else:
            fives = re.search(r"(\d+) × 5 mg", row["tablets"])
            halves = re.search(r"(\d+) × 2\.5 mg", row["tablets"])
            made = 5 * int(fives.group(1) if fives else 0) + 2.5 * int(halves.group(1) if halves else 0)
            assert made == row["daily_mg"], row
    # Dated rows follow each other day by day; the last dated row is open-ended.
    for row, nxt in zip(rows, rows[1:]):
        if row["to"] is not None and nxt["from"] is not None:
            gap = dt.date.fromisoformat(nxt["from"]) - dt.date.fromisoformat(row["to"])
            assert gap == dt.timedelta(days=1)
        if row["from"] is not None and row["to"] is not None:
            assert row["from"] <= row["to"]
        if row["to"] is None:  # an open-ended or undated row is followed only by undated rows
            assert nxt["from"] is None
    assert rows[-1]["to"] is None
    assert rows[0]["from"] == result.inputs["start_date"]
    # The total covers the dated rows before the open-ended one, or is null if a dose is unknown.
    total: float | None = 0.0
    for row in rows:
        if row["from"] is None or row["to"] is None:
            break
        if row["daily_mg"] is None:
            total = None
            break
        assert total is not None
        total += ((dt.date.fromisoformat(row["to"]) - dt.date.fromisoformat(row["from"])).days + 1) * row["daily_mg"]
    assert result.outputs["cumulative_mg"] == total


@SETTINGS
@given(
    start_date=st.one_of(dates, st.text(max_size=12), any_value),
    start_mg=any_value,
    weight_kg=any_value,
    mg_per_kg=any_value,
    normal_week=any_value,
    basis=st.sampled_from(["fixed", "weight", "other"]),
    alt=st.sampled_from(["normal", "not-yet-normal"]),
)
def test_prednisolone_any_input_gives_result_or_input_error(
    start_date, start_mg, weight_kg, mg_per_kg, normal_week, basis, alt
):
    result = result_or_input_error(
        "prednisolone-taper",
        {
            "age_group": "adult",
            "regimen": "seed-combination",
            "start_date": start_date,
            "start_mg": start_mg,
            "weight_kg": weight_kg,
            "mg_per_kg": mg_per_kg,
            "normal_week": normal_week,
            "start_basis": basis,
            "aminotransferases": alt,
        },
    )
    if result is not None:
        check_schedule(result)


@SETTINGS
@given(
    start_date=dates,
    halves=st.integers(min_value=4, max_value=12),  # 10–30 mg in 2.5 mg steps
    weight_kg=st.floats(min_value=20, max_value=300, allow_nan=False),
    mg_per_kg=st.floats(min_value=0.5, max_value=1.0, allow_nan=False),
    normal_week=st.integers(min_value=1, max_value=260),
    basis=st.sampled_from(["fixed", "weight"]),
    alt=st.sampled_from(["normal", "not-yet-normal"]),
)
def test_prednisolone_schedule_never_rises(start_date, halves, weight_kg, mg_per_kg, normal_week, basis, alt):
    result = aihcalc.calculate(
        "prednisolone-taper",
        {
            "age_group": "adult",
            "regimen": "seed-combination",
            "start_date": start_date.isoformat(),
            "start_mg": halves * 2.5,
            "weight_kg": weight_kg,
            "mg_per_kg": mg_per_kg,
            "normal_week": normal_week,
            "start_basis": basis,
            "aminotransferases": alt,
        },
    )
    check_schedule(result)
    rows = result.value
    assert rows[0]["from"] == start_date.isoformat()
    assert [r["daily_mg"] for r in rows[3:]] == [10.0, 7.5, 5.0]
    if basis == "fixed":
        assert rows[0]["daily_mg"] == halves * 2.5
    else:
        assert rows[0]["daily_mg"] <= min(30, weight_kg * mg_per_kg) + 1e-9
    if alt == "normal":
        assert all(r["from"] is not None for r in rows)
        reduced = dt.date.fromisoformat(rows[4]["from"])
        assert (reduced - start_date).days == 7 * (max(normal_week + 1, 6) - 1)
    else:
        assert rows[4]["from"] is None and rows[5]["from"] is None


regimens = st.sampled_from(sorted(REGIMENS))
bilirubin = st.sampled_from(["unknown", "yes", "no"])


@SETTINGS
@given(
    regimen=st.one_of(regimens, any_value),
    bilirubin_below_6=st.one_of(bilirubin, any_value),
    start_date=st.one_of(dates, any_value),
    weight_kg=any_value,
)
def test_prednisolone_any_regimen_input_gives_result_or_input_error(regimen, bilirubin_below_6, start_date, weight_kg):
    result = result_or_input_error(
        "prednisolone-taper",
        {
            "age_group": "adult",
            "regimen": regimen,
            "bilirubin_below_6": bilirubin_below_6,
            "start_date": start_date,
            "weight_kg": weight_kg,
        },
    )
    if result is not None:
        check_schedule(result)


@SETTINGS
@given(
    regimen=regimens,
    start_date=dates,
    weight_kg=st.floats(min_value=20, max_value=300, allow_nan=False),
    bilirubin_below_6=bilirubin,
    halves=st.integers(min_value=4, max_value=12),
    mg_per_kg=st.floats(min_value=0.5, max_value=1.0, allow_nan=False),
    normal_week=st.integers(min_value=1, max_value=260),
    basis=st.sampled_from(["fixed", "weight"]),
    alt=st.sampled_from(["normal", "not-yet-normal"]),
)
def test_every_regimen_never_rises_never_exceeds_its_maximum_and_is_contiguous(
    regimen, start_date, weight_kg, bilirubin_below_6, halves, mg_per_kg, normal_week, basis, alt
):
    inputs = {
        "age_group": "adult",
        "regimen": regimen,
        "start_date": start_date.isoformat(),
        "weight_kg": weight_kg,
        "bilirubin_below_6": bilirubin_below_6,
        "start_mg": halves * 2.5,
        "mg_per_kg": mg_per_kg,
        "normal_week": normal_week,
        "start_basis": basis,
        "aminotransferases": alt,
    }
    result = aihcalc.calculate("prednisolone-taper", inputs)
    check_schedule(result)
    assert result.outputs["regimen_source"].endswith(REGIMENS[regimen].checked)
    if regimen != "seed-combination":
        # The seed regimen's own inputs do not apply to another regimen: ignored, so the whole
        # result (schedule, outputs, warnings, working, inputs) is the one without them.
        plain_inputs = {
            "age_group": "adult", "regimen": regimen, "start_date": inputs["start_date"], "weight_kg": weight_kg
        }
        if regimen == "easl2015-weight":  # the one input that applies to it
            plain_inputs["bilirubin_below_6"] = bilirubin_below_6
        plain = aihcalc.calculate("prednisolone-taper", plain_inputs)
        assert plain.to_dict() == result.to_dict()
        assert all(r["from"] is not None for r in result.value)  # every row is dated
    if regimen != "easl2015-weight":  # and the bilirubin answer applies to EASL 2015 only
        assert result.inputs["bilirubin_below_6"] == "unknown"
    if regimen == "easl2015-weight":
        assert len(result.value) == 9 and result.value[-1]["from"] == (start_date + dt.timedelta(days=70)).isoformat()
        assert result.value[0]["daily_mg"] <= max(2.5, min(60, weight_kg) + 1.25)
    if regimen == "camaro":
        assert result.value[0]["daily_mg"] == (60 if weight_kg > 80 else 40)


@SETTINGS
@given(a=st.floats(min_value=20, max_value=300, allow_nan=False), b=st.floats(min_value=20, max_value=300, allow_nan=False),
       regimen=regimens)
def test_prednisolone_heavier_never_gets_less_in_any_week(a, b, regimen):
    light, heavy = sorted((a, b))
    def doses(weight: float) -> list[float | None]:
        result = aihcalc.calculate(
            "prednisolone-taper",
            {"age_group": "adult", "regimen": regimen, "start_date": "2026-01-05", "weight_kg": weight},
        )
        return [r["daily_mg"] for r in result.value]
    for lighter, heavier in zip(doses(light), doses(heavy)):
        assert (lighter is None) == (heavier is None)
        if lighter is not None:
            assert lighter <= heavier


@SETTINGS
@given(start_mg=any_float)
def test_prednisolone_any_float_start_dose(start_mg):
    result = result_or_input_error(
        "prednisolone-taper",
        {
            "age_group": "adult",
            "regimen": "seed-combination",
            "start_date": "2026-01-05",
            "weight_kg": 70,
            "start_mg": start_mg,
        },
    )
    if result is not None:
        assert 10 <= start_mg <= 30 and (start_mg / 2.5).is_integer()
        check_schedule(result)


# --- huge integers: float() overflows; the framework must turn that into an InputError ------


@pytest.mark.parametrize("calc_id,name", [("azathioprine-dose", "weight_kg"), ("prednisolone-taper", "start_mg")])
def test_huge_integer_is_an_input_error(calc_id, name):
    inputs: dict[str, Any] = {"age_group": "adult"}
    if calc_id == "prednisolone-taper":
        inputs.update(regimen="seed-combination", weight_kg=70, start_date="2026-01-05")
    inputs[name] = 10**400
    with pytest.raises(InputError) as caught:
        aihcalc.calculate(calc_id, inputs)
    assert caught.value.field == name
