"""Properties of the liver scores, checked on generated input (hypothesis).

- Any float (NaN, ±inf, negative, huge, subnormal) or junk text in any numeric input gives a
  result or an InputError naming an input, never another exception, and never a NaN.
- MELD, MELD-Na and MELD 3.0 give a whole number in 6..40 (the MELD minimum is MELD(i) 0.643
  → 0.6 → 6 with every lab at 1.0; MELD 3.0's is the intercept 6).
- Scores never fall when bilirubin, INR or creatinine rise, or when dialysis is added;
  MELD-Na never rises with sodium. (MELD 3.0 is not monotonic in sodium or albumin: its
  interaction terms reverse the sign above bilirubin ≈ 30.5 mg/dL or creatinine ≈ 2.75 mg/dL.)
- Child-Pugh gives 5..15 points, the class that matches them, and item points that add up.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aihcalc
from aihcalc import InputError, Result

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
MELD_FAMILY = ("meld", "meld-na", "meld-3")
ALL = MELD_FAMILY + ("child-pugh",)


def _valid_value(item: aihcalc.Input) -> st.SearchStrategy[Any]:
    """Any value the input accepts."""
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
    st.floats(),  # includes nan, ±inf, ±0, subnormals, huge
    st.floats(min_value=-5, max_value=200),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([10**400, -(10**400)]),  # too large for a float
    st.sampled_from(["nan", "inf", "-inf", "1e400", "-1", "abc", "1,5", " ", "2 furlongs", "0"]),
    st.floats(min_value=0, max_value=2000).map(lambda x: f"{x} µmol/L"),
    st.floats(min_value=0, max_value=200).map(lambda x: f"{x} g/L"),
)


@st.composite
def anything_in_a_number(draw: st.DrawFn, calc_id: str) -> dict[str, Any]:
    """Valid inputs, with one or more numeric inputs replaced by any value at all."""
    calc = aihcalc.get(calc_id)
    inputs = draw(valid_inputs(calc_id))
    numeric = [i.name for i in calc.inputs if i.kind == "number"]
    for name in draw(st.lists(st.sampled_from(numeric), min_size=1, unique=True)):
        inputs[name] = draw(ANY_NUMBER)
    return inputs


def _assert_clean(result: Result) -> None:
    result.to_json()  # allow_nan=False: raises on NaN or infinity anywhere
    for value in result.outputs.values():
        if isinstance(value, float):
            assert math.isfinite(value)


@pytest.mark.parametrize("calc_id", ALL)
def test_any_number_gives_result_or_input_error(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    names = {i.name for i in calc.inputs}

    @SETTINGS
    @given(anything_in_a_number(calc_id))
    def check(inputs: dict[str, Any]) -> None:
        try:
            result = aihcalc.calculate(calc_id, inputs)
        except InputError as exc:
            assert exc.field in names
            return
        _assert_clean(result)
        assert type(result.value) is int

    check()


@pytest.mark.parametrize("calc_id", MELD_FAMILY)
def test_meld_family_whole_number_6_to_40(calc_id: str) -> None:
    @SETTINGS
    @given(valid_inputs(calc_id))
    def check(inputs: dict[str, Any]) -> None:
        result = aihcalc.calculate(calc_id, inputs)
        assert type(result.value) is int
        assert 6 <= result.value <= 40
        _assert_clean(result)

    check()


def _value(calc_id: str, inputs: dict[str, Any]) -> int:
    value = aihcalc.calculate(calc_id, inputs).value
    assert isinstance(value, int)
    return value


def _pair(name: str, calc_id: str) -> st.SearchStrategy[tuple[float, float]]:
    """Two accepted values of one input, low first."""
    item = aihcalc.get(calc_id).input(name)
    assert item.allowed is not None
    value = st.floats(min_value=item.allowed[0], max_value=item.allowed[1])
    return st.tuples(value, value).map(lambda p: (min(p), max(p)))


MONOTONE = [
    # (calculator, input, +1 = score never falls as it rises, −1 = never rises)
    ("meld", "bilirubin", 1),
    ("meld", "inr", 1),
    ("meld", "creatinine", 1),
    ("meld-na", "bilirubin", 1),
    ("meld-na", "inr", 1),
    ("meld-na", "creatinine", 1),
    ("meld-na", "sodium", -1),
    ("meld-3", "bilirubin", 1),
    ("meld-3", "inr", 1),
    ("meld-3", "creatinine", 1),
    ("child-pugh", "bilirubin", 1),
    ("child-pugh", "inr", 1),
    ("child-pugh", "albumin", -1),
]


@pytest.mark.parametrize(("calc_id", "name", "direction"), MONOTONE)
def test_monotonic(calc_id: str, name: str, direction: int) -> None:
    @SETTINGS
    @given(valid_inputs(calc_id), _pair(name, calc_id))
    def check(inputs: dict[str, Any], pair: tuple[float, float]) -> None:
        low, high = pair
        at_low = _value(calc_id, inputs | {name: low})
        at_high = _value(calc_id, inputs | {name: high})
        assert (at_high - at_low) * direction >= 0

    check()


@pytest.mark.parametrize("calc_id", MELD_FAMILY)
def test_dialysis_never_lowers(calc_id: str) -> None:
    @SETTINGS
    @given(valid_inputs(calc_id))
    def check(inputs: dict[str, Any]) -> None:
        assert _value(calc_id, inputs | {"dialysis": True}) >= _value(
            calc_id, inputs | {"dialysis": False}
        )

    check()


@SETTINGS
@given(valid_inputs("meld-na"))
def test_meld_na_equals_meld_when_meld_i_at_most_11(inputs: dict[str, Any]) -> None:
    meld_inputs = {k: v for k, v in inputs.items() if k != "sodium"}
    meld = aihcalc.calculate("meld", meld_inputs)
    meld_na = aihcalc.calculate("meld-na", inputs)
    assert meld_na.outputs["meld_i"] == meld.outputs["meld_i"]
    if meld.outputs["meld_i"] <= 11:
        assert meld_na.value == meld.value
        assert meld_na.outputs["sodium_applied"] is False
    else:
        assert meld_na.value >= meld.value


CLASS_OF = {5: "A", 6: "A", 7: "B", 8: "B", 9: "B", **{p: "C" for p in range(10, 16)}}
ITEMS = ("bilirubin", "albumin", "inr", "ascites", "encephalopathy")


@SETTINGS
@given(valid_inputs("child-pugh"))
def test_child_pugh_points_and_class(inputs: dict[str, Any]) -> None:
    result = aihcalc.calculate("child-pugh", inputs)
    assert type(result.value) is int
    assert 5 <= result.value <= 15
    assert result.outputs["class"] == CLASS_OF[result.value]
    points = [result.outputs[f"{n}_points"] for n in ITEMS]
    assert all(p in (1, 2, 3) for p in points)
    assert sum(points) == result.value


@SETTINGS
@given(
    valid_inputs("child-pugh"),
    st.integers(min_value=0, max_value=10_000),  # bilirubin in hundredths of a mg/dL
    st.integers(min_value=50, max_value=700),  # albumin in hundredths of a g/dL
)
def test_child_pugh_si_equals_conventional(inputs: dict[str, Any], bili: int, alb: int) -> None:
    """Typed in µmol/L and g/L, values on the band edges land in the same band as in mg/dL, g/dL."""
    conventional = inputs | {"bilirubin": bili / 100, "albumin": alb / 100}
    umol = Decimal(bili) / 100 * Decimal("17.1")
    si = inputs | {"bilirubin": f"{umol} µmol/L", "albumin": f"{Decimal(alb) / 10} g/L"}
    a = aihcalc.calculate("child-pugh", conventional)
    b = aihcalc.calculate("child-pugh", si)
    assert (a.value, a.outputs) == (b.value, b.outputs)


@pytest.mark.parametrize("calc_id", MELD_FAMILY)
def test_meld_family_si_equals_conventional(calc_id: str) -> None:
    @SETTINGS
    @given(
        valid_inputs(calc_id),
        st.integers(min_value=0, max_value=10_000),  # bilirubin, hundredths of a mg/dL
        st.integers(min_value=0, max_value=3_000),  # creatinine, hundredths of a mg/dL
    )
    def check(inputs: dict[str, Any], bili: int, cr: int) -> None:
        conventional = inputs | {"bilirubin": bili / 100, "creatinine": cr / 100}
        si = inputs | {
            "bilirubin": f"{Decimal(bili) / 100 * Decimal('17.1')} umol/L",
            "creatinine": f"{Decimal(cr) / 100 * Decimal('88.4')} umol/L",
        }
        try:
            a = aihcalc.calculate(calc_id, conventional)
        except InputError:
            return
        b = aihcalc.calculate(calc_id, si)
        assert (a.value, a.outputs, a.working) == (b.value, b.outputs, b.working)

    check()
