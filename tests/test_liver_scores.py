"""MELD, MELD-Na, MELD 3.0 and Child-Pugh: worked examples, every boundary, units and bad input.

Expected values are worked by hand in the comments (natural logarithms to 6 decimals), from the
formulas in the evidence register (evidence: meld-optn, meld-na-optn, meld-3, child-pugh); the assertions use the whole-number results, which do not
depend on the last decimal.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

import aihcalc
from aihcalc import InputError
from aihcalc.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
LIVER_IDS = ("meld", "meld-na", "meld-3", "child-pugh")

# ln 1.2 = 0.182322   ln 1.5 = 0.405465   ln 1.52 = 0.418710   ln 1.54 = 0.431782
# ln 1.75 = 0.559616  ln 2 = 0.693147     ln 2.5 = 0.916291    ln 3 = 1.098612
# ln 3.9 = 1.360977   ln 4 = 1.386294     ln 5 = 1.609438      ln 10 = 2.302585
# ln 40 = 3.688879

# A bilirubin of 2 given without a unit is an ordinary value in mg/dL and in µmol/L (the
# plausible range 0.1–30 mg/dL is 1.71–513 µmol/L), so every result from a bare 2 carries this.
BARE_BILIRUBIN_2 = (
    "Bilirubin (total) 2 was read in the default unit, as 2 mg/dL (34.2 µmol/L). If the "
    'laboratory reported 2 µmol/L (0.12 mg/dL), type "2 µmol/L" or switch the unit.'
)
BARE_BILIRUBIN_3 = (
    "Bilirubin (total) 3 was read in the default unit, as 3 mg/dL (51.3 µmol/L). If the "
    'laboratory reported 3 µmol/L (0.18 mg/dL), type "3 µmol/L" or switch the unit.'
)
BARE_BILIRUBIN_2_5 = (
    "Bilirubin (total) 2.5 was read in the default unit, as 2.5 mg/dL (42.75 µmol/L). If the "
    'laboratory reported 2.5 µmol/L (0.15 mg/dL), type "2.5 µmol/L" or switch the unit.'
)


def meld(bilirubin: Any, inr: Any, creatinine: Any, dialysis: Any = False) -> aihcalc.Result:
    return aihcalc.calculate(
        "meld",
        {"bilirubin": bilirubin, "inr": inr, "creatinine": creatinine, "dialysis": dialysis},
    )


def meld_na(
    bilirubin: Any, inr: Any, creatinine: Any, sodium: Any, dialysis: Any = False
) -> aihcalc.Result:
    return aihcalc.calculate(
        "meld-na",
        {
            "bilirubin": bilirubin,
            "inr": inr,
            "creatinine": creatinine,
            "dialysis": dialysis,
            "sodium": sodium,
        },
    )


def meld_3(
    bilirubin: Any,
    inr: Any,
    creatinine: Any,
    sodium: Any,
    albumin: Any,
    sex: str,
    dialysis: Any = False,
    age_group: str | None = None,
) -> aihcalc.Result:
    inputs = {
        "bilirubin": bilirubin,
        "inr": inr,
        "creatinine": creatinine,
        "dialysis": dialysis,
        "sodium": sodium,
        "albumin": albumin,
        "sex": sex,
    }
    if age_group is not None:
        inputs["age_group"] = age_group
    return aihcalc.calculate("meld-3", inputs)


def child_pugh(
    bilirubin: Any = 1,
    albumin: Any = 4,
    inr: Any = 1,
    ascites: str = "none",
    encephalopathy: str = "none",
) -> aihcalc.Result:
    return aihcalc.calculate(
        "child-pugh",
        {
            "bilirubin": bilirubin,
            "albumin": albumin,
            "inr": inr,
            "ascites": ascites,
            "encephalopathy": encephalopathy,
        },
    )


# ---------------------------------------------------------------------------------------------
# MELD
# ---------------------------------------------------------------------------------------------

MELD_CASES = [
    # (bilirubin, INR, creatinine, dialysis, MELD(i)×10 before cap, MELD)
    # 0.957×0.182322 + 0.378×0.693147 + 1.120×0.405465 + 0.643
    #   = 0.174482 + 0.262010 + 0.454121 + 0.643 = 1.533612 → 1.5 → 15
    pytest.param(2, 1.5, 1.2, False, 15, 15, id="worked-example"),
    # all three below 1.0 → all set to 1.0: ln 1 = 0, MELD(i) = 0.643 → 0.6 → 6 (the minimum)
    pytest.param(0.5, 0.9, 0.7, False, 6, 6, id="all-below-1-clamped"),
    pytest.param(1, 1, 1, False, 6, 6, id="all-exactly-1"),
    pytest.param(0, 0.5, 0, False, 6, 6, id="lowest-allowed"),
    # 0.378×1.098612 + 1.120×0.693147 + 0.643 = 0.415275 + 0.776325 + 0.643 = 1.834600 → 18
    pytest.param(3, 2, 1, False, 18, 18, id="bili3-inr2"),
    # 0.957×0.693147 + 0.378×1.609438 + 1.120×0.916291 + 0.643
    #   = 0.663342 + 0.608368 + 1.026246 + 0.643 = 2.940956 → 2.9 → 29
    pytest.param(5, 2.5, 2, False, 29, 29, id="bili5-inr2.5-cr2"),
    # 0.957×1.098612 + 0.378×2.302585 + 1.120×1.098612 + 0.643
    #   = 1.051372 + 0.870377 + 1.230446 + 0.643 = 3.795195 → 3.8 → 38
    pytest.param(10, 3, 3, False, 38, 38, id="bili10-inr3-cr3"),
    # creatinine ceiling: 3.9 → 0.957×1.360977 + 0.643 = 1.945455 → 1.9 → 19
    pytest.param(1, 1, 3.9, False, 19, 19, id="cr-3.9"),
    # 4.0 → 0.957×1.386294 + 0.643 = 1.969684 → 2.0 → 20; 4.01 and 10 are set to 4.0
    pytest.param(1, 1, 4.0, False, 20, 20, id="cr-4.0"),
    pytest.param(1, 1, 4.01, False, 20, 20, id="cr-4.01-set-to-4"),
    pytest.param(1, 1, 10, False, 20, 20, id="cr-10-set-to-4"),
    # dialysis sets creatinine to 4.0 whatever was entered
    pytest.param(1, 1, 0.6, True, 20, 20, id="dialysis-low-cr"),
    pytest.param(1, 1, 2, True, 20, 20, id="dialysis-cr-2"),
    pytest.param(1, 1, 4.0, "yes", 20, 20, id="dialysis-as-text"),
    # rounding to the tenth, not truncation:
    # 1.52 → 0.957×0.418710 + 0.643 = 1.043706 → 1.0 → 10
    # 1.54 → 0.957×0.431782 + 0.643 = 1.056216 → 1.1 → 11 (truncation would give 10)
    pytest.param(1, 1, 1.52, False, 10, 10, id="round-down-at-tenth"),
    pytest.param(1, 1, 1.54, False, 11, 11, id="round-up-at-tenth"),
    # cap: 0.957×1.386294 + 0.378×3.688879 + 1.120×1.609438 + 0.643
    #   = 1.326684 + 1.394396 + 1.802570 + 0.643 = 5.166650 → 5.2 → 52 → 40
    pytest.param(40, 5, 4, False, 52, 40, id="cap-40"),
    pytest.param(100, 20, 30, True, None, 40, id="extreme-cap-40"),
]


@pytest.mark.parametrize(("bili", "inr", "cr", "dialysis", "meld_i", "expected"), MELD_CASES)
def test_meld_values(
    bili: float, inr: float, cr: float, dialysis: Any, meld_i: int | None, expected: int
) -> None:
    result = meld(bili, inr, cr, dialysis)
    assert result.value == expected
    assert type(result.value) is int
    if meld_i is not None:
        assert result.outputs["meld_i"] == meld_i


def test_meld_worked_example_working_and_outputs() -> None:
    result = meld(2, 1.5, 1.2)
    assert result.outputs == {
        "meld_i_unrounded": 1.5336,
        "meld_i": 15,
        "bilirubin_used": 2.0,
        "inr_used": 1.5,
        "creatinine_used": 1.2,
    }
    text = "\n".join(result.working)
    assert "Values used: bilirubin 2 mg/dL, INR 1.5, creatinine 1.2 mg/dL." in text
    assert "0.957 × ln(1.2) + 0.378 × ln(2) + 1.120 × ln(1.5) + 0.643" in text
    assert "0.1745 + 0.262 + 0.4541 + 0.643 = 1.5336" in text
    assert "Rounded to the tenth: 1.5; × 10 = 15." in text
    assert "not reached" in text
    assert result.warnings == [BARE_BILIRUBIN_2]
    assert result.references == ["kamath2001", "optn-policy9"]
    assert result.display["value"] == "15"
    assert result.display["meld_i_unrounded"] == "1.5336"


def test_meld_floor_at_one_is_a_step_not_a_warning() -> None:
    result = meld(0.5, 0.9, 0.7)
    text = "\n".join(result.working)
    assert "Bilirubin 0.5 mg/dL is below 1.0: set to 1.0." in text
    assert "INR 0.9 is below 1.0: set to 1.0." in text
    assert "Creatinine 0.7 mg/dL is below 1.0: set to 1.0." in text
    assert result.warnings == []
    assert result.outputs["bilirubin_used"] == 1.0


def test_meld_dialysis_warns_with_reason() -> None:
    result = meld(1, 1, 0.6, True)
    assert result.outputs["creatinine_used"] == 4.0
    assert any(
        w.startswith("Creatinine set to 4.0 mg/dL because of dialysis") and "OPTN" in w
        for w in result.warnings
    )


def test_meld_creatinine_ceiling_warns() -> None:
    assert meld(1, 1, 4.0).warnings == []
    warnings = meld(1, 1, 4.01).warnings
    assert any("Creatinine 4.01 mg/dL is above 4.0: set to 4.0 mg/dL" in w for w in warnings)


def test_meld_cap_warns() -> None:
    result = meld(40, 5, 4)
    assert any("MELD 52 is above the OPTN maximum: reported as 40." in w for w in result.warnings)


# ---------------------------------------------------------------------------------------------
# MELD-Na
# ---------------------------------------------------------------------------------------------

MELD_NA_CASES = [
    # (bilirubin, INR, creatinine, sodium, dialysis, sodium applied, MELD-Na)
    # MELD(i) 15 > 11: 15 + 1.32×7 − 0.033×15×7 = 15 + 9.24 − 3.465 = 20.775 → 21
    pytest.param(2, 1.5, 1.2, 130, False, True, 21, id="worked-example"),
    # MELD(i) 15, Na 137: no gap → 15
    pytest.param(2, 1.5, 1.2, 137, False, True, 15, id="na-137"),
    pytest.param(2, 1.5, 1.2, 145, False, True, 15, id="na-above-137-set-to-137"),
    # MELD(i) 15, Na 131.5: 15 + 1.32×5.5 − 0.033×15×5.5 = 15 + 7.26 − 2.7225 = 19.5375 → 20
    pytest.param(2, 1.5, 1.2, 131.5, False, True, 20, id="na-decimal"),
    # MELD(i) 10 (creatinine 1.5: 0.957×0.405465 + 0.643 = 1.031030 → 10): no correction
    pytest.param(1, 1, 1.5, 125, False, False, 10, id="meld-i-10-no-correction"),
    # MELD(i) exactly 11 (creatinine 1.54, see MELD): "only if > 11" → no correction
    pytest.param(1, 1, 1.54, 125, False, False, 11, id="meld-i-11-no-correction"),
    # MELD(i) 12 (creatinine 1.75: 0.957×0.559616 + 0.643 = 1.178552 → 12):
    #   12 + 1.32×12 − 0.033×12×12 = 12 + 15.84 − 4.752 = 23.088 → 23
    pytest.param(1, 1, 1.75, 125, False, True, 23, id="meld-i-12-corrected"),
    pytest.param(1, 1, 1.75, 120, False, True, 23, id="na-120-set-to-125"),
    pytest.param(1, 1, 1.75, 90, False, True, 23, id="na-90-set-to-125"),
    pytest.param(1, 1, 1.75, 137, False, True, 12, id="meld-i-12-na-137"),
    # MELD(i) 18: 18 + 1.32×7 − 0.033×18×7 = 18 + 9.24 − 4.158 = 23.082 → 23
    pytest.param(3, 2, 1, 130, False, True, 23, id="meld-i-18"),
    # MELD(i) 38: 38 + 1.32×12 − 0.033×38×12 = 38 + 15.84 − 15.048 = 38.792 → 39
    pytest.param(10, 3, 3, 125, False, True, 39, id="meld-i-38"),
    # MELD(i) 52: 52 + 15.84 − 20.592 = 47.248 → 47 → capped at 40
    pytest.param(40, 5, 4, 125, False, True, 40, id="cap-40"),
    # dialysis: creatinine 4.0 → MELD(i) 20; Na 135: 20 + 2.64 − 1.32 = 21.32 → 21
    pytest.param(1, 1, 1, 135, True, True, 21, id="dialysis"),
]


@pytest.mark.parametrize(
    ("bili", "inr", "cr", "na", "dialysis", "applied", "expected"), MELD_NA_CASES
)
def test_meld_na_values(
    bili: float, inr: float, cr: float, na: float, dialysis: bool, applied: bool, expected: int
) -> None:
    result = meld_na(bili, inr, cr, na, dialysis)
    assert result.value == expected
    assert type(result.value) is int
    assert result.outputs["sodium_applied"] is applied


def test_meld_na_worked_example_working() -> None:
    result = meld_na(2, 1.5, 1.2, 130)
    assert result.outputs["meld_i"] == 15
    assert result.outputs["sodium_used"] == 130.0
    assert result.outputs["meld_na_unrounded"] == 20.775
    text = "\n".join(result.working)
    assert "MELD(i) 15 is above 11, so sodium applies" in text
    assert (
        "= 15 + 1.32 × (137 − 130) − 0.033 × 15 × (137 − 130) = 15 + 9.24 − 3.465 = 20.775"
    ) in text
    assert "Rounded to a whole number: 21." in text
    assert result.warnings == [BARE_BILIRUBIN_2]


def test_meld_na_not_applied_says_so() -> None:
    result = meld_na(1, 1, 1.54, 125)
    assert result.outputs["sodium_used"] is None
    assert any("MELD(i) 11 is not above 11: no sodium correction" in s for s in result.working)


def test_meld_na_sodium_bounds_warn_only_when_low() -> None:
    low = meld_na(1, 1, 1.75, 120)
    assert low.outputs["sodium_used"] == 125.0
    assert any("Sodium 120 mmol/L is below 125: set to 125 mmol/L" in w for w in low.warnings)
    high = meld_na(1, 1, 1.75, 140)
    assert high.outputs["sodium_used"] == 137.0
    assert high.warnings == []
    assert any("Sodium 140 mmol/L is above 137: set to 137 mmol/L" in s for s in high.working)


def test_meld_na_never_below_meld() -> None:
    """Between MELD(i) 12 and 40 the sodium term is never negative, so MELD-Na ≥ MELD."""
    for cr in (1.0, 1.75, 2.0, 3.0, 4.0):
        for na in (125, 130, 137):
            assert meld_na(3, 2, cr, na).value >= meld(3, 2, cr).value


# ---------------------------------------------------------------------------------------------
# MELD 3.0
# ---------------------------------------------------------------------------------------------

MELD_3_CASES = [
    # (bilirubin, INR, creatinine, sodium, albumin, sex, dialysis, age group, MELD 3.0)
    # female, bili 2, INR 1.5, Cr 1.2, Na 130, alb 3.0:
    #   1.33 + 4.56×0.693147 + 0.82×7 − 0.24×7×0.693147 + 9.09×0.405465 + 11.14×0.182322
    #   + 1.85×0.5 − 1.83×0.5×0.182322 + 6
    #   = 1.33 + 3.160751 + 5.74 − 1.164487 + 3.685678 + 2.031062 + 0.925 − 0.166824 + 6
    #   = 21.541180 → 22
    pytest.param(2, 1.5, 1.2, 130, 3.0, "female", False, None, 22, id="worked-example-female"),
    # the same, male: 21.541180 − 1.33 = 20.211180 → 20
    pytest.param(2, 1.5, 1.2, 130, 3.0, "male", False, None, 20, id="worked-example-male"),
    # every lab at its bound, male: 6 (the minimum); female: 7.33 → 7
    pytest.param(0.5, 0.9, 0.7, 140, 4.0, "male", False, None, 6, id="floor-male"),
    pytest.param(1, 1, 1, 137, 3.5, "male", False, None, 6, id="exact-bounds-male"),
    pytest.param(1, 1, 1, 137, 3.5, "female", False, None, 7, id="exact-bounds-female"),
    # ages 12–17: intercept 7.33 and no sex term, so male and female both give 7
    pytest.param(1, 1, 1, 137, 3.5, "male", False, "12-17", 7, id="adolescent-male"),
    pytest.param(1, 1, 1, 137, 3.5, "female", False, "12-17", 7, id="adolescent-female"),
    # exact half: male, Na 126, albumin 2.7, labs 1.0: 0.82×11 + 1.85×0.8 + 6 = 9.02 + 1.48 + 6
    #   = 16.5 → 17 (halves round up; decimal arithmetic sees the exact half)
    pytest.param(1, 1, 1, 126, 2.7, "male", False, None, 17, id="exact-half-rounds-up"),
    # male, bili 3, INR 2, Cr 2, Na 128, alb 2.5:
    #   4.56×1.098612 + 0.82×9 − 0.24×9×1.098612 + 9.09×0.693147 + 11.14×0.693147
    #   + 1.85×1.0 − 1.83×1.0×0.693147 + 6
    #   = 5.009672 + 7.38 − 2.373003 + 6.300708 + 7.721660 + 1.85 − 1.268459 + 6
    #   = 30.620578 → 31
    pytest.param(3, 2, 2, 128, 2.5, "male", False, None, 31, id="bili3-inr2-cr2"),
    # the same at 12–17: 30.620578 − 6 + 7.33 = 31.950578 → 32
    pytest.param(3, 2, 2, 128, 2.5, "male", False, "12-17", 32, id="bili3-adolescent"),
    # creatinine ceiling 3.0 (not 4.0): 3.5, 4 and 3.0-with-dialysis all equal 3.0
    pytest.param(3, 2, 3.0, 128, 2.5, "male", False, None, None, id="cr-3.0"),
    # female, bili 5, INR 2.5, Cr 4 → 3.0, Na 125, alb 2.0:
    #   1.33 + 4.56×1.609438 + 0.82×12 − 0.24×12×1.609438 + 9.09×0.916291 + 11.14×1.098612
    #   + 1.85×1.5 − 1.83×1.5×1.098612 + 6
    #   = 1.33 + 7.339037 + 9.84 − 4.635181 + 8.329083 + 12.238541 + 2.775 − 3.015691 + 6
    #   = 40.200789 → 40 (rounds to 40: the cap is not needed)
    pytest.param(5, 2.5, 4, 125, 2.0, "female", False, None, 40, id="rounds-to-40"),
    # female, bili 40, INR 5, Cr 3, Na 125, alb 1.5:
    #   1.33 + 4.56×3.688879 + 0.82×12 − 0.24×12×3.688879 + 9.09×1.609438 + 11.14×1.098612
    #   + 1.85×2.0 − 1.83×2.0×1.098612 + 6
    #   = 1.33 + 16.821290 + 9.84 − 10.623973 + 14.629791 + 12.238541 + 3.7 − 4.020921 + 6
    #   = 49.914728 → 50 → capped at 40
    pytest.param(40, 5, 3, 125, 1.5, "female", False, None, 40, id="cap-40"),
    pytest.param(100, 20, 30, 90, 0.5, "female", True, None, 40, id="extreme-cap-40"),
]


@pytest.mark.parametrize(
    ("bili", "inr", "cr", "na", "alb", "sex", "dialysis", "age", "expected"), MELD_3_CASES
)
def test_meld_3_values(
    bili: float,
    inr: float,
    cr: float,
    na: float,
    alb: float,
    sex: str,
    dialysis: bool,
    age: str | None,
    expected: int | None,
) -> None:
    result = meld_3(bili, inr, cr, na, alb, sex, dialysis, age)
    assert type(result.value) is int
    if expected is not None:
        assert result.value == expected


def test_meld_3_worked_example_outputs() -> None:
    result = meld_3(2, 1.5, 1.2, 130, 3.0, "female")
    assert result.outputs["meld_3_unrounded"] == 21.5412
    text = "\n".join(result.working)
    assert "= 1.33 × 1 + 4.56 × ln(2) + 0.82 × (137 − 130)" in text
    assert "= 21.5412" in text
    assert "Rounded to a whole number: 22." in text
    assert "Bounds 6–40 (OPTN implementation" in text
    assert result.warnings == [BARE_BILIRUBIN_2]
    assert result.references == ["kim2021"]


def test_meld_3_exact_half() -> None:
    result = meld_3(1, 1, 1, 126, 2.7, "male")
    assert result.outputs["meld_3_unrounded"] == 16.5
    assert result.value == 17


@pytest.mark.parametrize(
    ("cr", "dialysis"), [(3.5, False), (4.0, False), (30, False), (1.0, True), (4.0, True)]
)
def test_meld_3_creatinine_ceiling_is_3(cr: float, dialysis: bool) -> None:
    expected = meld_3(3, 2, 3.0, 128, 2.5, "male")
    result = meld_3(3, 2, cr, 128, 2.5, "male", dialysis)
    assert result.value == expected.value
    assert result.outputs["creatinine_used"] == 3.0
    assert expected.warnings == [BARE_BILIRUBIN_3]
    assert any("set to 3.0 mg/dL" in w for w in result.warnings)
    if dialysis:
        assert any("because of dialysis" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("given", "bound"),
    [
        ({"sodium": 120}, {"sodium": 125}),
        ({"sodium": 90}, {"sodium": 125}),
        ({"sodium": 150}, {"sodium": 137}),
        ({"albumin": 1.0}, {"albumin": 1.5}),
        ({"albumin": 5.0}, {"albumin": 3.5}),
        ({"bilirubin": 0.3}, {"bilirubin": 1}),
        ({"inr": 0.8}, {"inr": 1}),
        ({"creatinine": 0.4}, {"creatinine": 1}),
    ],
)
def test_meld_3_bounds(given: dict[str, float], bound: dict[str, float]) -> None:
    base = {
        "bilirubin": 3,
        "inr": 2,
        "creatinine": 2,
        "dialysis": False,
        "sodium": 128,
        "albumin": 2.5,
        "sex": "female",
    }
    assert (
        aihcalc.calculate("meld-3", base | given).value
        == aihcalc.calculate("meld-3", base | bound).value
    )
    name = next(iter(given))
    assert aihcalc.calculate("meld-3", base | given).outputs[f"{name}_used"] == float(bound[name])


def test_meld_3_cap_warns_and_names_optn() -> None:
    result = meld_3(40, 5, 3, 125, 1.5, "female")
    assert result.outputs["meld_3_unrounded"] == 49.9147
    assert any(
        "MELD 3.0 50 is above 40: reported as 40" in w and "OPTN" in w for w in result.warnings
    )


def test_meld_3_adolescent_step() -> None:
    result = meld_3(1, 1, 1, 137, 3.5, "female", age_group="12-17")
    assert "Age 12–17: intercept 7.33 and no sex term." in result.working
    assert result.outputs["meld_3_unrounded"] == 7.33
    assert result.inputs["age_group"] == "12-17"
    assert meld_3(1, 1, 1, 137, 3.5, "female").inputs["age_group"] == "adult"


# ---------------------------------------------------------------------------------------------
# Child-Pugh
# ---------------------------------------------------------------------------------------------

CHILD_PUGH_ITEMS = [
    # (input, value, points for that item); every other item scores 1
    ("bilirubin", 1.99, 1),
    ("bilirubin", 2.0, 2),
    ("bilirubin", 2.5, 2),
    ("bilirubin", 3.0, 2),
    ("bilirubin", 3.01, 3),
    ("bilirubin", 0, 1),
    ("albumin", 3.51, 1),
    ("albumin", 3.5, 2),
    ("albumin", 3.0, 2),
    ("albumin", 2.9, 2),  # Harrison's 3.0–3.5 band would give 3; the BSG band gives 2
    ("albumin", 2.8, 2),
    ("albumin", 2.79, 3),
    ("inr", 1.69, 1),
    ("inr", 1.7, 2),
    ("inr", 2.0, 2),
    ("inr", 2.3, 2),
    ("inr", 2.31, 3),
    ("ascites", "none", 1),
    ("ascites", "mild", 2),
    ("ascites", "moderate", 3),
    ("encephalopathy", "none", 1),
    ("encephalopathy", "grade-1-2", 2),
    ("encephalopathy", "grade-3-4", 3),
]


@pytest.mark.parametrize(("name", "value", "points"), CHILD_PUGH_ITEMS)
def test_child_pugh_item_bands(name: str, value: Any, points: int) -> None:
    result = child_pugh(**{name: value})
    assert result.outputs[f"{name}_points"] == points
    assert result.value == 4 + points
    assert type(result.value) is int


CHILD_PUGH_CLASSES = [
    # (inputs, points, class)
    ({}, 5, "A"),
    ({"ascites": "mild"}, 6, "A"),
    ({"ascites": "mild", "encephalopathy": "grade-1-2"}, 7, "B"),
    # 2 (bili 2.5) + 2 (alb 3.0) + 2 (INR 2.0) + 2 (mild) + 1 = 9
    ({"bilirubin": 2.5, "albumin": 3.0, "inr": 2.0, "ascites": "mild"}, 9, "B"),
    # the same with moderate ascites: 2 + 2 + 2 + 3 + 1 = 10
    ({"bilirubin": 2.5, "albumin": 3.0, "inr": 2.0, "ascites": "moderate"}, 10, "C"),
    (
        {
            "bilirubin": 5,
            "albumin": 2.0,
            "inr": 3,
            "ascites": "moderate",
            "encephalopathy": "grade-3-4",
        },
        15,
        "C",
    ),
]


@pytest.mark.parametrize(("inputs", "points", "cls"), CHILD_PUGH_CLASSES)
def test_child_pugh_classes(inputs: dict[str, Any], points: int, cls: str) -> None:
    result = child_pugh(**inputs)
    assert result.value == points
    assert result.outputs["class"] == cls
    names = ("bilirubin", "albumin", "inr", "ascites", "encephalopathy")
    items = [result.outputs[f"{n}_points"] for n in names]
    assert sum(items) == points


def test_child_pugh_example_working_and_display() -> None:
    calc = aihcalc.get("child-pugh")
    result = calc.calculate(calc.example)
    assert result.value == 8
    assert result.display["value"] == "8 points"
    assert result.display["class"] == "B (7–9 points)"
    assert result.working == [
        "Bilirubin 2.5 mg/dL (42.8 µmol/L): 2–3 mg/dL → 2 points.",
        "Albumin 3.1 g/dL: 2.8–3.5 g/dL → 2 points.",
        "INR 1.4: below 1.7 → 1 point.",
        "Ascites mild → 2 points.",
        "Encephalopathy none → 1 point.",
        "Total 2 + 2 + 1 + 2 + 1 = 8 points → class B (7–9 points).",
    ]
    assert result.warnings == [BARE_BILIRUBIN_2_5]


def test_child_pugh_albumin_band_is_documented() -> None:
    calc = aihcalc.get("child-pugh")
    notes = " ".join(calc.notes)
    assert "2.8–3.5" in notes and "Harrison" in notes and "BSG" in notes
    import aihcalc.calculators.liver_scores as module

    assert "Harrison" in (module.__doc__ or "") and "2.8–3.5" in (module.__doc__ or "")


@pytest.mark.parametrize(
    ("text", "points", "warns"),
    [
        ("34.2 umol/L", 2, False),  # = 2.0 mg/dL
        ("34 µmol/L", 1, True),  # 1.988 mg/dL: 1 point in mg/dL, 2 on the µmol/L table
        ("33.9 µmol/L", 1, False),
        ("51 umol/L", 2, False),  # 2.982 mg/dL: 2 points on both tables
        ("51.2 umol/L", 2, True),  # 2.994 mg/dL: 2 in mg/dL, 3 on the µmol/L table (> 51)
        ("51.3 umol/L", 2, True),  # = 3.0 mg/dL (2.9999999999999996 after conversion); > 51 µmol/L
        ("51.4 umol/L", 3, False),
    ],
)
def test_child_pugh_bilirubin_in_umol(text: str, points: int, warns: bool) -> None:
    result = child_pugh(bilirubin=text)
    assert result.outputs["bilirubin_points"] == points
    assert any("µmol/L version of the table" in w for w in result.warnings) is warns


@pytest.mark.parametrize(
    ("text", "points"),
    [("36 g/L", 1), ("35 g/L", 2), ("28 g/L", 2), ("27.9 g/L", 3), ("30 g/l", 2)],
)
def test_child_pugh_albumin_in_g_per_l(text: str, points: int) -> None:
    assert child_pugh(albumin=text).outputs["albumin_points"] == points


# ---------------------------------------------------------------------------------------------
# Units: SI input gives the same answer as conventional input
# ---------------------------------------------------------------------------------------------

SI_PAIRS = [
    ("meld", {"bilirubin": "34.2 umol/L"}, {"bilirubin": 2}),
    ("meld", {"bilirubin": "34.2 µmol/L"}, {"bilirubin": 2}),
    ("meld", {"bilirubin": "34.2µmol/l"}, {"bilirubin": 2}),
    ("meld", {"creatinine": "106.08 umol/L"}, {"creatinine": 1.2}),
    ("meld", {"creatinine": "353.6 µmol/L"}, {"creatinine": 4.0}),
    ("meld-na", {"sodium": "130 mEq/L"}, {"sodium": 130}),
    ("meld-na", {"sodium": "130 mmol/L"}, {"sodium": 130}),
    ("meld-3", {"albumin": "30 g/L"}, {"albumin": 3.0}),
    (
        "meld-3",
        {"bilirubin": "34.2 umol/L", "creatinine": "106.08 umol/L"},
        {"bilirubin": 2, "creatinine": 1.2},
    ),
    (
        "child-pugh",
        {"bilirubin": "51.3 umol/L", "albumin": "35 g/L"},
        {"bilirubin": 3, "albumin": 3.5},
    ),
]

BASE: dict[str, dict[str, Any]] = {
    "meld": {"bilirubin": 2, "inr": 1.5, "creatinine": 1.2},
    "meld-na": {"bilirubin": 2, "inr": 1.5, "creatinine": 1.2, "sodium": 130},
    "meld-3": {
        "bilirubin": 2,
        "inr": 1.5,
        "creatinine": 1.2,
        "sodium": 130,
        "albumin": 3.0,
        "sex": "female",
    },
    "child-pugh": {
        "bilirubin": 2.5,
        "albumin": 3.1,
        "inr": 1.4,
        "ascites": "mild",
        "encephalopathy": "none",
    },
}


@pytest.mark.parametrize(("calc_id", "si", "conventional"), SI_PAIRS)
def test_si_equals_conventional(
    calc_id: str, si: dict[str, Any], conventional: dict[str, Any]
) -> None:
    a = aihcalc.calculate(calc_id, BASE[calc_id] | si)
    b = aihcalc.calculate(calc_id, BASE[calc_id] | conventional)
    assert a.value == b.value
    assert a.outputs == b.outputs
    assert a.working == b.working


def test_text_inputs_from_a_form() -> None:
    text = {"bilirubin": "2", "inr": "1.5", "creatinine": "1.2 mg/dL", "dialysis": "false"}
    assert aihcalc.calculate("meld", text).value == 15


# ---------------------------------------------------------------------------------------------
# Bad input: InputError naming the field
# ---------------------------------------------------------------------------------------------

BAD_INPUTS = [
    # (calculator, change, field named)
    ("meld", {"bilirubin": -1}, "bilirubin"),
    ("meld", {"bilirubin": math.nan}, "bilirubin"),
    ("meld", {"bilirubin": "nan"}, "bilirubin"),
    ("meld", {"bilirubin": math.inf}, "bilirubin"),
    ("meld", {"bilirubin": "1e400"}, "bilirubin"),
    ("meld", {"bilirubin": 101}, "bilirubin"),
    ("meld", {"bilirubin": "2000 umol/L"}, "bilirubin"),
    ("meld", {"bilirubin": "2 mmol/L"}, "bilirubin"),
    ("meld", {"bilirubin": "1,5"}, "bilirubin"),
    ("meld", {"bilirubin": True}, "bilirubin"),
    ("meld", {"inr": 0.4}, "inr"),
    ("meld", {"inr": 21}, "inr"),
    ("meld", {"inr": -math.inf}, "inr"),
    ("meld", {"inr": "abc"}, "inr"),
    ("meld", {"creatinine": -0.1}, "creatinine"),
    ("meld", {"creatinine": 106}, "creatinine"),  # µmol/L typed without its unit
    ("meld", {"dialysis": "maybe"}, "dialysis"),
    ("meld", {"weight": 70}, "weight"),
    ("meld", {"sodium": 130}, "sodium"),  # not an input of meld
    ("meld-na", {"sodium": 89}, "sodium"),
    ("meld-na", {"sodium": 181}, "sodium"),
    ("meld-na", {"sodium": math.nan}, "sodium"),
    ("meld-3", {"albumin": 35}, "albumin"),  # g/L typed without its unit
    ("meld-3", {"albumin": 0.4}, "albumin"),
    ("meld-3", {"albumin": "3 mg/dL"}, "albumin"),
    ("meld-3", {"sex": "other"}, "sex"),
    ("meld-3", {"sex": True}, "sex"),
    ("meld-3", {"age_group": "child"}, "age_group"),
    ("child-pugh", {"ascites": "severe"}, "ascites"),  # not mapped: tables differ on its band
    ("child-pugh", {"ascites": "grade 2"}, "ascites"),
    ("child-pugh", {"encephalopathy": "mild"}, "encephalopathy"),
    ("child-pugh", {"encephalopathy": "minimal"}, "encephalopathy"),
    ("child-pugh", {"encephalopathy": "grade 5"}, "encephalopathy"),
    ("child-pugh", {"encephalopathy": "grade-5"}, "encephalopathy"),
    ("child-pugh", {"encephalopathy": 3}, "encephalopathy"),
    ("child-pugh", {"albumin": -3}, "albumin"),
    ("child-pugh", {"inr": math.inf}, "inr"),
    ("child-pugh", {"dialysis": False}, "dialysis"),
]


@pytest.mark.parametrize(("calc_id", "change", "field"), BAD_INPUTS)
def test_bad_input_names_the_field(calc_id: str, change: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as info:
        aihcalc.calculate(calc_id, BASE[calc_id] | change)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")


REQUIRED = {
    "meld": ("bilirubin", "inr", "creatinine"),
    "meld-na": ("bilirubin", "inr", "creatinine", "sodium"),
    "meld-3": ("bilirubin", "inr", "creatinine", "sodium", "albumin", "sex"),
    "child-pugh": ("bilirubin", "albumin", "inr", "ascites", "encephalopathy"),
}


@pytest.mark.parametrize(
    ("calc_id", "missing"), [(c, n) for c, names in REQUIRED.items() for n in names]
)
def test_missing_required_input(calc_id: str, missing: str) -> None:
    inputs = {k: v for k, v in BASE[calc_id].items() if k != missing}
    with pytest.raises(InputError) as info:
        aihcalc.calculate(calc_id, inputs)
    assert info.value.field == missing
    assert "required" in info.value.reason
    with pytest.raises(InputError):
        aihcalc.calculate(calc_id, BASE[calc_id] | {missing: "  "})


@pytest.mark.parametrize("calc_id", ["meld", "meld-na", "meld-3"])
def test_dialysis_defaults_to_false(calc_id: str) -> None:
    result = aihcalc.calculate(calc_id, BASE[calc_id])
    assert result.inputs["dialysis"] is False


# ---------------------------------------------------------------------------------------------
# Plausibility warnings
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calc_id", "change", "label"),
    [
        ("meld", {"bilirubin": 45}, "Bilirubin"),
        ("meld", {"inr": 12}, "INR"),
        ("meld", {"creatinine": 20}, "Creatinine"),
        ("meld-na", {"sodium": 100}, "Sodium"),
        ("meld-3", {"albumin": 6}, "Albumin"),
    ],
)
def test_plausibility_warning(calc_id: str, change: dict[str, Any], label: str) -> None:
    result = aihcalc.calculate(calc_id, BASE[calc_id] | change)
    assert any(w.startswith(label) and "usual range" in w for w in result.warnings)


# ---------------------------------------------------------------------------------------------
# Declarations, JSON and the command line
# ---------------------------------------------------------------------------------------------


def _bibliography_keys() -> set[str]:
    text = (ROOT / "content" / "bibliography.yaml").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z0-9_-]+):", text, flags=re.MULTILINE))


@pytest.mark.parametrize("calc_id", LIVER_IDS)
def test_declaration(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    assert calc.title and calc.summary
    assert set(calc.references) <= _bibliography_keys()
    assert calc.example
    assert calc.fallback is None
    for item in calc.inputs:
        assert item.hint or item.kind == "choice"
        if item.kind == "number":
            assert item.step and item.plausible
    declared = {o.name for o in calc.outputs}
    result = calc.calculate(calc.example)
    assert set(result.outputs) == declared
    assert type(result.value) is int
    # The examples give bilirubin as a bare number (2 or 2.5), which is also plausible in
    # µmol/L: the only warning is the one that says so.
    assert [w for w in result.warnings if "was read in the default unit" not in w] == []
    json.loads(result.to_json())
    json.dumps(calc.describe())


@pytest.mark.parametrize("calc_id", LIVER_IDS)
def test_output_floats_are_rounded(calc_id: str) -> None:
    result = aihcalc.calculate(calc_id, BASE[calc_id])
    for value in result.outputs.values():
        if isinstance(value, float):
            assert value == round(value, 4)


def test_examples() -> None:
    values = [aihcalc.calculate(c, aihcalc.get(c).example).value for c in LIVER_IDS]
    assert values == [15, 21, 22, 8]


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["meld", "bilirubin=2", "inr=1.5", "creatinine=1.2", "dialysis=false", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["value"] == 15
    assert data["outputs"]["meld_i"] == 15
    assert data["inputs"] == {"bilirubin": 2, "creatinine": 1.2, "dialysis": False, "inr": 1.5}


def test_cli_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["bilirubin=2", "albumin=3", "inr=1", "ascites=lots", "encephalopathy=none"]
    assert main(["child-pugh", *args]) == 2
    assert "ascites" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# Child-Pugh: clinicians' words for the choices
# ---------------------------------------------------------------------------------------------

SYNONYMS = [
    ("ascites", "absent", "none"),
    ("ascites", "Absent", "none"),
    ("ascites", "slight", "mild"),
    ("ascites", " SLIGHT ", "mild"),
    ("encephalopathy", "absent", "none"),
    ("encephalopathy", "grade 0", "none"),
    *[("encephalopathy", w, "grade-1-2") for w in ("grade 1", "grade 2", "Grade 1–2", "grade 1-2",
                                                   "grade-1", "grade-2", "grade I", "grade II",
                                                   "Grade I–II", "grade i-ii")],
    *[("encephalopathy", w, "grade-3-4") for w in ("grade 3", "grade 4", "Grade 3–4", "grade 3-4",
                                                   "grade-3", "grade-4", "grade III", "grade IV",
                                                   "Grade III–IV", "grade iii-iv")],
]


@pytest.mark.parametrize(("name", "word", "value"), SYNONYMS)
def test_child_pugh_synonyms(name: str, word: str, value: str) -> None:
    said = child_pugh(**{name: word})
    assert said.inputs[name] == value
    assert (said.value, said.outputs) == (
        child_pugh(**{name: value}).value,
        child_pugh(**{name: value}).outputs,
    )


def test_child_pugh_synonyms_are_declared_as_aliases() -> None:
    calc = aihcalc.get("child-pugh")
    described = {i["name"]: i for i in calc.describe()["inputs"]}
    ascites = {c["value"]: c["aliases"] for c in described["ascites"]["choices"]}
    assert ascites == {"none": ["absent"], "mild": ["slight"], "moderate": []}
    enceph = {c["value"]: c["aliases"] for c in described["encephalopathy"]["choices"]}
    assert enceph["none"] == ["absent", "grade 0"]
    # each alias names one band only
    words = [w for aliases in enceph.values() for w in aliases]
    assert len(words) == len(set(words))
    assert all("3" not in w and "4" not in w and "iv" not in w for w in enceph["grade-1-2"])


# ---------------------------------------------------------------------------------------------
# Child-Pugh: the two published albumin bands
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("albumin", "warns"),
    [
        (3.5, False),  # 2 points on both tables
        (3.0, False),  # the lower edge of Harrison's 2-point band: 2 points on both
        ("3.0 g/dL", False),
        (2.99, True),  # 2 points here, 3 in Harrison's
        (2.9, True),
        ("29 g/L", True),
        (2.8, True),  # the lower edge of the band used here
        ("28 g/L", True),
        (2.79, False),  # 3 points on both
        (2.5, False),
    ],
)
def test_child_pugh_albumin_band_note_at_the_edges(albumin: Any, warns: bool) -> None:
    result = child_pugh(albumin=albumin)
    notes = [w for w in result.warnings if "3.0–3.5 g/dL (Harrison's)" in w]
    assert bool(notes) is warns


def test_child_pugh_albumin_band_note_says_whether_the_class_changes() -> None:
    # 2 + 2 + 1 + 1 + 1 = 7 → B; with 3 albumin points 8, still B
    result = child_pugh(bilirubin=2.5, albumin=2.9, inr=1.0)
    assert result.value == 7
    assert result.outputs["albumin_points"] == 2
    assert (
        "Albumin 2.9 g/dL scores 2 points on the band used here (2.8–3.5 g/dL, as in the BSG "
        "table) but 3 points on tables whose 2-point band is 3.0–3.5 g/dL (Harrison's): there the "
        "total would be 8 points instead of 7, class B either way."
    ) in result.warnings
    # 1 + 2 + 1 + 1 + 1 = 6 → A; with 3 albumin points 7 → B
    result = child_pugh(albumin=2.8)
    assert result.value == 6 and result.outputs["class"] == "A"
    assert any("total would be 7 points instead of 6, class B instead of class A." in w for w in result.warnings)
    # 9 → B; 10 → C
    result = child_pugh(bilirubin=3.5, albumin=2.85, inr=1.0, ascites="mild")
    assert result.value == 9
    assert any("10 points instead of 9, class C instead of class B." in w for w in result.warnings)
    # 14 → C; 15 → C
    result = child_pugh(bilirubin=3.5, albumin=2.85, inr=3, ascites="moderate", encephalopathy="grade-3-4")
    assert result.value == 14
    assert any("15 points instead of 14, class C either way." in w for w in result.warnings)
