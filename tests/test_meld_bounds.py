"""The cap at 40 of MELD, MELD-Na and MELD 3.0, right at it and just past it.

The expected scores are computed here from the published formulas as liver_scores.py states
them (evidence: meld-optn, meld-na-optn, meld-3), in 28-digit decimal arithmetic, never by the
code under test:

- MELD(i) = 0.957·ln(Cr) + 0.378·ln(bili) + 1.120·ln(INR) + 0.643; each below 1.0 set to 1.0;
  creatinine above 4.0, or on dialysis, set to 4.0; rounded to the tenth (a half up) and × 10;
  maximum 40.
- MELD-Na: only when MELD(i) > 11, MELD(i) + 1.32·(137−Na) − 0.033·MELD(i)·(137−Na), sodium
  bounded to 125–137; rounded to a whole number (a half up); maximum 40.
- MELD 3.0 (adult): 1.33·female + 4.56·ln(bili) + 0.82·(137−Na) − 0.24·(137−Na)·ln(bili)
  + 9.09·ln(INR) + 11.14·ln(Cr) + 1.85·(3.5−alb) − 1.83·(3.5−alb)·ln(Cr) + 6; creatinine
  1.0–3.0 (3.0 on dialysis), sodium 125–137, albumin 1.5–3.5; rounded to a whole number (a
  half up); bounded to 6–40.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

import pytest

import aihcalc

D = Decimal


def _clamp(value: Any, low: Decimal, high: Decimal | None = None) -> Decimal:
    x = max(D(str(value)), low)
    return min(x, high) if high is not None else x


def meld_i_by_hand(bili: Any, inr: Any, cr: Any, dialysis: bool = False) -> int:
    """MELD(i) rounded to the tenth × 10, before the cap."""
    with localcontext() as ctx:
        ctx.prec = 28
        b, i = _clamp(bili, D(1)), _clamp(inr, D(1))
        c = D(4) if dialysis else _clamp(cr, D(1), D(4))
        raw = D("0.957") * c.ln() + D("0.378") * b.ln() + D("1.120") * i.ln() + D("0.643")
        return int(raw.quantize(D("0.1"), rounding=ROUND_HALF_UP) * 10)


def meld_na_by_hand(bili: Any, inr: Any, cr: Any, na: Any, dialysis: bool = False) -> int:
    """MELD-Na rounded to a whole number, before the cap."""
    m = meld_i_by_hand(bili, inr, cr, dialysis)
    if m <= 11:
        return m
    gap = 137 - _clamp(na, D(125), D(137))
    raw = m + D("1.32") * gap - D("0.033") * m * gap
    return int(raw.quantize(D(1), rounding=ROUND_HALF_UP))


def meld_3_by_hand(bili: Any, inr: Any, cr: Any, na: Any, alb: Any, female: bool, dialysis: bool = False) -> int:
    """Adult MELD 3.0 rounded to a whole number, before the bounds."""
    with localcontext() as ctx:
        ctx.prec = 28
        b, i = _clamp(bili, D(1)), _clamp(inr, D(1))
        c = D(3) if dialysis else _clamp(cr, D(1), D(3))
        gap = 137 - _clamp(na, D(125), D(137))
        a = D("3.5") - _clamp(alb, D("1.5"), D("3.5"))
        raw = (
            (D("1.33") if female else D(0))
            + D("4.56") * b.ln()
            + D("0.82") * gap
            - D("0.24") * gap * b.ln()
            + D("9.09") * i.ln()
            + D("11.14") * c.ln()
            + D("1.85") * a
            - D("1.83") * a * c.ln()
            + 6
        )
        return int(raw.quantize(D(1), rounding=ROUND_HALF_UP))


def capped(score: int) -> int:
    return min(score, 40)


# ---------------------------------------------------------------------------------------------
# MELD
# ---------------------------------------------------------------------------------------------

MELD_AT_THE_CAP = [
    # (bilirubin, INR, creatinine, dialysis, MELD(i) × 10 by hand)
    pytest.param(10, 2.5, 4, False, 39, id="39"),
    # MELD(i) 3.9678… → 4.0 → 40: exactly the maximum, not above it
    pytest.param(10, 3.5, 3, False, 40, id="40-exactly"),
    # MELD(i) 4.0705… → 4.1 → 41 → 40
    pytest.param(10, 3, 4, False, 41, id="41-capped"),
    pytest.param(10, 3, 1, True, 41, id="41-capped-by-dialysis"),
    pytest.param(10, 3.5, 4, False, 42, id="42-capped"),
]


@pytest.mark.parametrize(("bili", "inr", "cr", "dialysis", "by_hand"), MELD_AT_THE_CAP)
def test_meld_at_and_just_past_the_cap(bili: Any, inr: Any, cr: Any, dialysis: bool, by_hand: int) -> None:
    assert meld_i_by_hand(bili, inr, cr, dialysis) == by_hand  # the case is what its name says
    result = aihcalc.calculate("meld", {"bilirubin": bili, "inr": inr, "creatinine": cr, "dialysis": dialysis})
    assert result.outputs["meld_i"] == by_hand
    assert result.value == capped(by_hand)
    cap_warnings = [w for w in result.warnings if "above the OPTN maximum" in w]
    if by_hand > 40:
        assert cap_warnings == [f"MELD {by_hand} is above the OPTN maximum: reported as 40."]
    else:
        assert cap_warnings == []
        assert f"Maximum 40 (OPTN): not reached; MELD = {by_hand}." in result.working


# ---------------------------------------------------------------------------------------------
# MELD-Na
# ---------------------------------------------------------------------------------------------

MELD_NA_AT_THE_CAP = [
    # (bilirubin, INR, creatinine, sodium, MELD(i) × 10, MELD-Na by hand before the cap)
    # MELD(i) 39, Na 125: 39 + 15.84 − 15.444 = 39.396 → 39
    pytest.param(10, 2.5, 4, 125, 39, 39, id="39"),
    # MELD(i) 40: the sodium term 1.32 − 0.033 × 40 is 0, so 40 at any sodium
    pytest.param(10, 3.5, 3, 125, 40, 40, id="40-exactly-na-125"),
    pytest.param(10, 3.5, 3, 137, 40, 40, id="40-exactly-na-137"),
    # MELD(i) 41, Na 125: 41 + 15.84 − 16.236 = 40.604 → 41 → 40
    pytest.param(10, 3, 4, 125, 41, 41, id="41-capped-na-125"),
    pytest.param(10, 3, 4, 137, 41, 41, id="41-capped-na-137"),
]


@pytest.mark.parametrize(("bili", "inr", "cr", "na", "meld_i", "by_hand"), MELD_NA_AT_THE_CAP)
def test_meld_na_at_and_just_past_the_cap(bili: Any, inr: Any, cr: Any, na: Any, meld_i: int, by_hand: int) -> None:
    assert meld_i_by_hand(bili, inr, cr) == meld_i
    assert meld_na_by_hand(bili, inr, cr, na) == by_hand
    result = aihcalc.calculate(
        "meld-na", {"bilirubin": bili, "inr": inr, "creatinine": cr, "dialysis": False, "sodium": na}
    )
    assert result.outputs["meld_i"] == meld_i
    assert result.value == capped(by_hand)
    cap_warnings = [w for w in result.warnings if "above the OPTN maximum" in w]
    if by_hand > 40:
        assert cap_warnings == [f"MELD-Na {by_hand} is above the OPTN maximum: reported as 40."]
    else:
        assert cap_warnings == []
        assert f"Maximum 40 (OPTN): not reached; MELD-Na = {by_hand}." in result.working


# ---------------------------------------------------------------------------------------------
# MELD 3.0
# ---------------------------------------------------------------------------------------------

MELD_3_AT_THE_BOUNDS = [
    # (bilirubin, INR, creatinine, sodium, albumin, female, MELD 3.0 by hand before the bounds)
    pytest.param(2, 3, 3, 125, 2, False, 39, id="39"),  # 38.9887…
    pytest.param(2, 3.5, 3, 125, 2, False, 40, id="40-exactly"),  # 40.3900… → 40
    pytest.param(2, 3.5, 3, 125, 3, False, 41, id="41-bounded"),  # 40.5504… → 41 → 40
    pytest.param(5, 3.5, 3, 125, 2, False, 42, id="42-bounded"),  # 41.9293… → 42 → 40
    # every term at its floor: the intercept, 6, is the lower bound itself
    pytest.param(1, 1, 1, 137, 3.5, False, 6, id="6-lower-bound"),
]


@pytest.mark.parametrize(("bili", "inr", "cr", "na", "alb", "female", "by_hand"), MELD_3_AT_THE_BOUNDS)
def test_meld_3_at_and_just_past_the_bounds(
    bili: Any, inr: Any, cr: Any, na: Any, alb: Any, female: bool, by_hand: int
) -> None:
    assert meld_3_by_hand(bili, inr, cr, na, alb, female) == by_hand
    result = aihcalc.calculate(
        "meld-3",
        {
            "bilirubin": bili,
            "inr": inr,
            "creatinine": cr,
            "dialysis": False,
            "sodium": na,
            "albumin": alb,
            "sex": "female" if female else "male",
        },
    )
    assert result.value == max(6, capped(by_hand))
    cap_warnings = [w for w in result.warnings if "reported as 40" in w]
    if by_hand > 40:
        assert len(cap_warnings) == 1 and cap_warnings[0].startswith(f"MELD 3.0 {by_hand} is above 40")
    else:
        assert cap_warnings == []
        assert any(s.endswith(f"within; MELD 3.0 = {by_hand}.") for s in result.working)
