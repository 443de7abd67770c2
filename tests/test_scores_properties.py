"""Properties of the AIH score, FIB-4, APRI and the steroid conversion (hypothesis).

- Any float (NaN, ±inf, negative, huge, subnormal) or junk text in any numeric input gives a
  result or an InputError naming an input, never another exception, and never a NaN.
- The simplified AIH score is a whole number 0..8, its items add up to it, the autoantibody
  items never exceed 2, and its category follows the total (≥ 6 probable, ≥ 7 definite).
  It never falls when IgG rises and never rises when the IgG upper limit rises.
- FIB-4 never falls when age or AST rises and never rises when platelets or ALT rise; APRI
  never falls when AST rises and never rises when its upper limit or platelets rise. Both
  bands follow the reported value.
- µkat/L and mg/dL input give the same result as U/L and g/L.
- Steroid conversion: the dose × (equivalent dose of B) / (equivalent dose of A), to 0.01 mg
  with halves up, from the equivalence table written out below; the prednisolone equivalent
  likewise; A → B → A returns A within the rounding of the two steps; it is non-decreasing in
  the dose; budesonide always gives null.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aihcalc
from aihcalc import InputError, Result

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
IDS = ("aih-simplified-score", "fib-4", "apri", "steroid-conversion")
CONVERTIBLE = (
    "hydrocortisone",
    "cortisone",
    "prednisone",
    "prednisolone",
    "methylprednisolone",
    "triamcinolone",
    "dexamethasone",
    "betamethasone",
)
EQUIVALENT = {
    "hydrocortisone": 20,
    "cortisone": 25,
    "prednisone": 5,
    "prednisolone": 5,
    "methylprednisolone": 4,
    "triamcinolone": 4,
    "dexamethasone": 0.75,
    "betamethasone": 0.75,
}


def _valid_value(item: aihcalc.Input) -> st.SearchStrategy[Any]:
    if item.kind == "number":
        assert item.allowed is not None
        low, high = item.allowed
        return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)
    if item.kind == "choice":
        return st.sampled_from(item.choice_values)
    return st.booleans()


def valid_inputs(calc_id: str) -> st.SearchStrategy[dict[str, Any]]:
    calc = aihcalc.get(calc_id)
    return st.fixed_dictionaries({i.name: _valid_value(i) for i in calc.inputs})


ANY_NUMBER = st.one_of(
    st.floats(),
    st.floats(min_value=-5, max_value=300),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([10**400, -(10**400)]),
    st.sampled_from(["nan", "inf", "-inf", "1e400", "-1", "abc", "1,5", " ", "2 furlongs", "0", "1e-320"]),
    st.floats(min_value=0, max_value=500).map(lambda x: f"{x} µkat/L"),
    st.floats(min_value=0, max_value=20000).map(lambda x: f"{x} mg/dL"),
    st.floats(min_value=0, max_value=2000).map(lambda x: f"{x} IU/L"),
)


@st.composite
def anything_in_a_number(draw: st.DrawFn, calc_id: str) -> dict[str, Any]:
    calc = aihcalc.get(calc_id)
    inputs = draw(valid_inputs(calc_id))
    numeric = [i.name for i in calc.inputs if i.kind == "number"]
    for name in draw(st.lists(st.sampled_from(numeric), min_size=1, unique=True)):
        inputs[name] = draw(ANY_NUMBER)
    return inputs


def _assert_clean(result: Result) -> None:
    result.to_json()  # allow_nan=False: raises on NaN or infinity anywhere
    if isinstance(result.value, float):
        assert math.isfinite(result.value)


@pytest.mark.parametrize("calc_id", IDS)
def test_any_number_gives_result_or_input_error(calc_id: str) -> None:
    names = {i.name for i in aihcalc.get(calc_id).inputs}

    @SETTINGS
    @given(anything_in_a_number(calc_id))
    def check(inputs: dict[str, Any]) -> None:
        try:
            result = aihcalc.calculate(calc_id, inputs)
        except InputError as exc:
            assert exc.field in names
            return
        _assert_clean(result)

    check()


# ---------------------------------------------------------------------------------------------
# Simplified AIH score
# ---------------------------------------------------------------------------------------------

ITEMS = ("autoantibody_points", "igg_points", "histology_points", "viral_hepatitis_points")


@SETTINGS
@given(valid_inputs("aih-simplified-score"))
def test_aih_score_range_items_and_category(inputs: dict[str, Any]) -> None:
    result = aihcalc.calculate("aih-simplified-score", inputs)
    _assert_clean(result)
    total = result.value
    assert type(total) is int and 0 <= total <= 8
    assert sum(result.outputs[i] for i in ITEMS) == total
    assert 0 <= result.outputs["autoantibody_points"] <= 2
    assert result.outputs["igg_points"] in (0, 1, 2)
    expected = "definite" if total >= 7 else "probable" if total >= 6 else "not-diagnostic"
    assert result.outputs["category"] == expected
    if not inputs["viral_hepatitis_excluded"]:
        assert total <= 6


@SETTINGS
@given(
    valid_inputs("aih-simplified-score"),
    st.floats(min_value=0, max_value=150),
    st.floats(min_value=0, max_value=150),
)
def test_aih_score_never_falls_as_igg_rises(inputs: dict[str, Any], a: float, b: float) -> None:
    low, high = sorted((a, b))
    lo = aihcalc.calculate("aih-simplified-score", inputs | {"igg": low}).value
    hi = aihcalc.calculate("aih-simplified-score", inputs | {"igg": high}).value
    assert lo <= hi


@SETTINGS
@given(
    valid_inputs("aih-simplified-score"),
    st.floats(min_value=1, max_value=50),
    st.floats(min_value=1, max_value=50),
)
def test_aih_score_never_rises_with_the_upper_limit(inputs: dict[str, Any], a: float, b: float) -> None:
    low, high = sorted((a, b))
    at_low = aihcalc.calculate("aih-simplified-score", inputs | {"igg_uln": low}).value
    at_high = aihcalc.calculate("aih-simplified-score", inputs | {"igg_uln": high}).value
    assert at_high <= at_low


@SETTINGS
@given(
    valid_inputs("aih-simplified-score"),
    st.integers(min_value=0, max_value=15_000),  # IgG in mg/dL
    st.integers(min_value=100, max_value=5_000),  # ULN in mg/dL
)
def test_aih_score_mg_dl_equals_g_l(inputs: dict[str, Any], igg: int, uln: int) -> None:
    a = aihcalc.calculate("aih-simplified-score", inputs | {"igg": f"{igg} mg/dL", "igg_uln": f"{uln} mg/dL"})
    b = aihcalc.calculate("aih-simplified-score", inputs | {"igg": igg / 100, "igg_uln": uln / 100})
    assert (a.value, a.outputs, a.working) == (b.value, b.outputs, b.working)


@SETTINGS
@given(st.integers(min_value=100, max_value=5_000), st.integers(min_value=-3, max_value=3))
def test_igg_boundary_is_exact(uln_hundredths: int, offset_thousandths: int) -> None:
    """Around 1.10 × ULN: exactly on it scores 1, a thousandth above scores 2."""
    uln = Decimal(uln_hundredths) / 100
    igg = uln * Decimal("1.1") + Decimal(offset_thousandths) / 1000
    result = aihcalc.calculate(
        "aih-simplified-score",
        {
            "ana_sma": "negative",
            "lkm": "negative",
            "igg": float(igg),
            "igg_uln": float(uln),
            "histology": "atypical",
            "viral_hepatitis_excluded": True,
        },
    )
    assert result.outputs["igg_points"] == (2 if offset_thousandths > 0 else 1)


# ---------------------------------------------------------------------------------------------
# FIB-4 and APRI
# ---------------------------------------------------------------------------------------------


def _pair(calc_id: str, name: str) -> st.SearchStrategy[tuple[float, float]]:
    item = aihcalc.get(calc_id).input(name)
    assert item.allowed is not None
    value = st.floats(min_value=item.allowed[0], max_value=item.allowed[1])
    return st.tuples(value, value).map(lambda p: (min(p), max(p)))


MONOTONE = [
    ("fib-4", "age", 1),
    ("fib-4", "ast", 1),
    ("fib-4", "platelets", -1),
    ("fib-4", "alt", -1),
    ("apri", "ast", 1),
    ("apri", "ast_uln", -1),
    ("apri", "platelets", -1),
]


@pytest.mark.parametrize(("calc_id", "name", "direction"), MONOTONE)
def test_fibrosis_indices_are_monotonic(calc_id: str, name: str, direction: int) -> None:
    unrounded = "fib4_unrounded" if calc_id == "fib-4" else "apri_unrounded"

    @SETTINGS
    @given(valid_inputs(calc_id), _pair(calc_id, name))
    def check(inputs: dict[str, Any], pair: tuple[float, float]) -> None:
        low, high = pair
        a = aihcalc.calculate(calc_id, inputs | {name: low})
        b = aihcalc.calculate(calc_id, inputs | {name: high})
        if direction > 0:
            assert a.value <= b.value and a.outputs[unrounded] <= b.outputs[unrounded]
        else:
            assert a.value >= b.value and a.outputs[unrounded] >= b.outputs[unrounded]

    check()


@pytest.mark.parametrize(("calc_id", "low", "high"), [("fib-4", 1.45, 3.25), ("apri", 0.5, 1.5)])
def test_fibrosis_bands_follow_the_reported_value(calc_id: str, low: float, high: float) -> None:
    @SETTINGS
    @given(valid_inputs(calc_id))
    def check(inputs: dict[str, Any]) -> None:
        result = aihcalc.calculate(calc_id, inputs)
        _assert_clean(result)
        value = result.value
        assert isinstance(value, float) and value >= 0
        assert value == round(value, 2)
        expected = "low" if value < low else "high" if value > high else "indeterminate"
        assert result.outputs["interpretation"] == expected
        assert result.display["value"] == f"{value:.2f}"

    check()


@pytest.mark.parametrize("calc_id", ["fib-4", "apri"])
def test_ukat_equals_u_per_litre(calc_id: str) -> None:
    @SETTINGS
    @given(valid_inputs(calc_id), st.integers(min_value=2, max_value=30_000))
    def check(inputs: dict[str, Any], hundredths: int) -> None:
        ukat = Decimal(hundredths) / 100  # 0.02–300 µkat/L
        u_per_l = ukat * 60
        a = aihcalc.calculate(calc_id, inputs | {"ast": f"{ukat} µkat/L"})
        b = aihcalc.calculate(calc_id, inputs | {"ast": float(u_per_l)})
        assert (a.value, a.outputs, a.working) == (b.value, b.outputs, b.working)

    check()


# ---------------------------------------------------------------------------------------------
# Steroid conversion
# ---------------------------------------------------------------------------------------------

DOSE = st.decimals(min_value=0, max_value=2000, places=2, allow_nan=False, allow_infinity=False)


def _convert(a: str, dose: Any, b: str) -> Result:
    return aihcalc.calculate("steroid-conversion", {"from_drug": a, "dose_mg": dose, "to_drug": b})


@SETTINGS
@given(st.sampled_from(CONVERTIBLE), st.sampled_from(CONVERTIBLE), DOSE)
def test_steroid_round_trip(a: str, b: str, dose: Decimal) -> None:
    there = _convert(a, float(dose), b)
    assert isinstance(there.value, float) and there.value >= 0
    back = _convert(b, there.value, a) if there.value <= 2000 else None
    # exact quotient there and back is the dose itself
    exact_back = Decimal(str(there.outputs["exact_mg"])) * Decimal(str(EQUIVALENT[a])) / Decimal(str(EQUIVALENT[b]))
    ratio = Decimal(str(EQUIVALENT[a])) / Decimal(str(EQUIVALENT[b]))
    assert abs(exact_back - dose) <= Decimal("0.00005") * ratio + Decimal("1e-12")
    if back is not None:
        # each step rounds to 0.01 mg: the error is at most 0.005 × ratio + 0.005
        tolerance = Decimal("0.005") * ratio + Decimal("0.005") + Decimal("1e-9")
        assert abs(Decimal(str(back.value)) - dose) <= tolerance


@SETTINGS
@given(st.sampled_from(CONVERTIBLE), st.sampled_from(CONVERTIBLE), DOSE, DOSE)
def test_steroid_conversion_non_decreasing_in_dose(a: str, b: str, x: Decimal, y: Decimal) -> None:
    low, high = sorted((x, y))
    assert _convert(a, float(low), b).value <= _convert(a, float(high), b).value


@SETTINGS
@given(st.sampled_from(CONVERTIBLE + ("budesonide",)), DOSE)
def test_budesonide_never_converts(other: str, dose: Decimal) -> None:
    for a, b in ((other, "budesonide"), ("budesonide", other)):
        result = _convert(a, float(dose), b)
        assert result.value is None
        assert result.outputs["status"] == "no-valid-conversion"
        _assert_clean(result)


def _by_hand(dose: Decimal, a: str, b: str, places: str) -> float:
    """dose × (equivalent dose of b) / (equivalent dose of a), halves up (steroid_conversion.py's rule)."""
    exact = dose * Decimal(str(EQUIVALENT[b])) / Decimal(str(EQUIVALENT[a]))
    return float(exact.quantize(Decimal(places), rounding=ROUND_HALF_UP))


@SETTINGS
@given(st.sampled_from(CONVERTIBLE), st.sampled_from(CONVERTIBLE), DOSE)
def test_steroid_conversion_is_the_equivalence_ratio(a: str, b: str, dose: Decimal) -> None:
    result = _convert(a, float(dose), b)
    assert result.value == _by_hand(dose, a, b, "0.01")
    assert result.outputs["exact_mg"] == _by_hand(dose, a, b, "0.0001")


@SETTINGS
@given(st.sampled_from(CONVERTIBLE), st.sampled_from(CONVERTIBLE), DOSE)
def test_prednisolone_equivalent_is_the_equivalence_ratio(a: str, b: str, dose: Decimal) -> None:
    result = _convert(a, float(dose), b)
    assert result.outputs["prednisolone_equivalent_mg"] == _by_hand(dose, a, "prednisolone", "0.01")
