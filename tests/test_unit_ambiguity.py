"""A number given without a unit that is ordinary in two units: both readings, or how to type it.

Bilirubin's default unit is mg/dL, but 15 or 22 are ordinary values in µmol/L too. The inputs
declare which other units a bare number may be meant in (``Input.confusable_units``); the
plausible range in such a unit is the input's own plausible range converted (units.range_in).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aihcalc
from aihcalc import InputError
from aihcalc.units import range_in, same_unit

BASE: dict[str, dict[str, Any]] = {
    "meld": {"bilirubin": 1, "inr": 1.5, "creatinine": 1.2},
    "meld-na": {"bilirubin": 1, "inr": 1.5, "creatinine": 1.2, "sodium": 130},
    "meld-3": {"bilirubin": 1, "inr": 1.5, "creatinine": 1.2, "sodium": 130, "albumin": 3.0, "sex": "female"},
    "child-pugh": {"bilirubin": 1, "albumin": 3.6, "inr": 1.4, "ascites": "mild", "encephalopathy": "none"},
}
LIVER = tuple(BASE)
READ_AS = "was read in the default unit"

BILIRUBIN_15 = (
    "Bilirubin (total) 15 was read in the default unit, as 15 mg/dL (256.5 µmol/L). If the "
    'laboratory reported 15 µmol/L (0.88 mg/dL), type "15 µmol/L" or switch the unit.'
)
BILIRUBIN_22 = (
    "Bilirubin (total) 22 was read in the default unit, as 22 mg/dL (376.2 µmol/L). If the "
    'laboratory reported 22 µmol/L (1.29 mg/dL), type "22 µmol/L" or switch the unit.'
)


def calc(calc_id: str, **changes: Any) -> aihcalc.Result:
    return aihcalc.calculate(calc_id, BASE[calc_id] | changes)


def unit_notes(result: aihcalc.Result) -> list[str]:
    return [w for w in result.warnings if READ_AS in w or "If the laboratory reported" in w]


# ---------------------------------------------------------------------------------------------
# Bilirubin: the window where a bare number is ordinary in both units is 1.71–30
# (plausible 0.1–30 mg/dL; 0.1 mg/dL = 1.71 µmol/L)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("calc_id", LIVER)
@pytest.mark.parametrize("raw", [15, "15", " 15 ", 15.0])
def test_bare_bilirubin_15_gives_both_readings(calc_id: str, raw: Any) -> None:
    result = calc(calc_id, bilirubin=raw)
    assert unit_notes(result) == [BILIRUBIN_15]
    assert result.inputs["bilirubin"] == 15  # still read in the default unit: mg/dL


@pytest.mark.parametrize("calc_id", LIVER)
def test_bare_bilirubin_22(calc_id: str) -> None:
    assert unit_notes(calc(calc_id, bilirubin="22")) == [BILIRUBIN_22]


@pytest.mark.parametrize("calc_id", LIVER)
@pytest.mark.parametrize("raw", ["15 mg/dL", "15 MG/DL", "15mg/dl", "256.5 µmol/L", "15 µmol/L"])
def test_a_number_typed_with_a_unit_is_taken_as_meant(calc_id: str, raw: str) -> None:
    assert unit_notes(calc(calc_id, bilirubin=raw)) == []


@pytest.mark.parametrize(
    ("raw", "note"),
    [
        (1.7, None),  # as µmol/L 0.099 mg/dL: below the plausible range, so not a likely reading
        (1.71, "both"),
        (2, "both"),
        (30, "both"),
        (30.5, "advice"),  # implausible in mg/dL, ordinary in µmol/L: the range warning says so
        (100, "advice"),
        (0.8, None),
    ],
)
def test_bilirubin_window_edges(raw: float, note: str | None) -> None:
    notes = unit_notes(calc("meld", bilirubin=raw))
    if note is None:
        assert notes == []
    elif note == "both":
        assert len(notes) == 1 and notes[0].startswith(f"Bilirubin (total) {raw:g} {READ_AS}")
    else:
        assert len(notes) == 1
        assert notes[0].startswith(f"Bilirubin (total) {raw:g} mg/dL is outside the usual range 0.1–30 mg/dL")
        assert f'type "{raw:g} µmol/L"' in notes[0]


def test_bare_bilirubin_over_the_accepted_range_says_how_to_type_it() -> None:
    with pytest.raises(InputError) as info:
        calc("meld", bilirubin=342)
    assert info.value.field == "bilirubin"
    assert info.value.reason == (
        "342 mg/dL is outside the accepted range 0–100 mg/dL; it looks like a value in µmol/L: "
        'type "342 µmol/L" (20 mg/dL) or switch the unit'
    )


def test_the_warning_changes_nothing_else() -> None:
    bare, typed = calc("meld", bilirubin=15), calc("meld", bilirubin="15 mg/dL")
    assert (bare.value, bare.outputs, bare.working) == (typed.value, typed.outputs, typed.working)
    assert bare.warnings == [BILIRUBIN_15] + typed.warnings


def test_the_readings_are_what_the_score_would_be_given() -> None:
    # What the message offers is what the calculator does with it.
    as_umol = calc("meld", bilirubin="15 µmol/L")
    assert as_umol.outputs["bilirubin_used"] == 1.0  # 0.88 mg/dL, floored to 1.0
    assert calc("meld", bilirubin=15).value > as_umol.value


# ---------------------------------------------------------------------------------------------
# Creatinine and albumin: their ranges in the two units do not overlap, so a bare number is
# never ordinary in both; one in the other unit is refused, or flagged, with how to type it.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("calc_id", ["meld", "meld-na", "meld-3"])
def test_bare_creatinine_in_umol(calc_id: str) -> None:
    with pytest.raises(InputError) as info:
        calc(calc_id, creatinine=106)
    assert info.value.reason.endswith('it looks like a value in µmol/L: type "106 µmol/L" (1.2 mg/dL) or switch the unit')
    notes = unit_notes(calc(calc_id, creatinine=25))  # 25 µmol/L = 0.28 mg/dL (plausible from 17.68)
    assert notes == [
        "Creatinine 25 mg/dL is outside the usual range 0.2–15 mg/dL: check it was entered in the "
        'right unit. If the laboratory reported 25 µmol/L (0.28 mg/dL), type "25 µmol/L" or switch the unit.'
    ]
    assert unit_notes(calc(calc_id, creatinine="25 mg/dL")) == []
    assert unit_notes(calc(calc_id, creatinine=17)) == []  # 17 µmol/L is below 17.68: no reading


@pytest.mark.parametrize("calc_id", ["meld-3", "child-pugh"])
@pytest.mark.parametrize("raw", [35, "35", 10, 55])
def test_bare_albumin_in_g_per_l(calc_id: str, raw: Any) -> None:
    with pytest.raises(InputError) as info:
        calc(calc_id, albumin=raw)
    assert info.value.field == "albumin"
    assert f'it looks like a value in g/L: type "{raw} g/L"' in info.value.reason


@pytest.mark.parametrize("calc_id", ["meld-3", "child-pugh"])
def test_albumin_outside_both_ranges_is_just_out_of_range(calc_id: str) -> None:
    with pytest.raises(InputError) as info:
        calc(calc_id, albumin=8)  # above 7 g/dL, below 10 g/L
    assert info.value.reason.endswith("check the value and its unit")
    for raw in (1.0, 3.5, 5.5):
        assert unit_notes(calc(calc_id, albumin=raw)) == []


# ---------------------------------------------------------------------------------------------
# The declarations
# ---------------------------------------------------------------------------------------------

# Every input of the score calculators that accepts a unit other than its own under another
# number (factor not 1), and the units a bare number may be meant in. Aminotransferases in
# µkat/L are left out on purpose: 5–5,000 U/L is 0.08–83 µkat/L, so every normal ALT typed
# without a unit would carry the note.
EXPECTED = {
    ("meld", "bilirubin"): ("µmol/L",),
    ("meld", "creatinine"): ("µmol/L",),
    ("meld-na", "bilirubin"): ("µmol/L",),
    ("meld-na", "creatinine"): ("µmol/L",),
    ("meld-3", "bilirubin"): ("µmol/L",),
    ("meld-3", "creatinine"): ("µmol/L",),
    ("meld-3", "albumin"): ("g/L",),
    ("child-pugh", "bilirubin"): ("µmol/L",),
    ("child-pugh", "albumin"): ("g/L",),
    ("fib-4", "platelets"): ("/µL",),
    ("apri", "platelets"): ("/µL",),
    ("treatment-response", "igg_month6"): ("mg/dL",),
    ("treatment-response", "igg_uln"): ("mg/dL",),
}
MINE = ("meld", "meld-na", "meld-3", "child-pugh", "fib-4", "apri", "treatment-response")


def test_which_inputs_declare_confusable_units() -> None:
    found = {
        (c, i.name): i.confusable_units
        for c in MINE
        for i in aihcalc.get(c).inputs
        if i.confusable_units
    }
    assert found == EXPECTED


@pytest.mark.parametrize("calculator", aihcalc.all_calculators(), ids=lambda c: c.id)
def test_every_confusable_unit_is_an_accepted_unit_with_another_number(calculator: aihcalc.Calculator) -> None:
    for item in calculator.inputs:
        for unit in item.confusable_units:
            (conv,) = [c for c in item.conversions if same_unit(c.unit, unit)]
            assert conv.factor != 1.0, f"{item.name}: {unit} is the same number"
            assert item.plausible is not None


def test_the_ambiguity_windows() -> None:
    """The bare numbers plausible in both units: only bilirubin has any."""
    windows = {}
    for (calc_id, name), confusable in EXPECTED.items():
        item = aihcalc.get(calc_id).input(name)
        (conv,) = [c for c in item.conversions if same_unit(c.unit, confusable[0])]
        low, high = range_in(conv, item.plausible)
        own_low, own_high = item.plausible
        windows[name] = (max(low, own_low), min(high, own_high)) if max(low, own_low) <= min(high, own_high) else None
    assert windows == {
        "bilirubin": (1.71, 30),
        "creatinine": None,  # 0.2–15 mg/dL vs 17.68–1326 µmol/L
        "albumin": None,  # 1–5.5 g/dL vs 10–55 g/L
        "platelets": None,  # 20–1,000 ×10⁹/L vs 20,000–1,000,000 /µL
        "igg_month6": None,  # 2–50 g/L vs 200–5,000 mg/dL
        "igg_uln": None,  # 12–20 g/L vs 1,200–2,000 mg/dL
    }


def test_json_stays_canonical() -> None:
    result = calc("meld", bilirubin=15)
    assert json.loads(result.to_json())["warnings"] == [BILIRUBIN_15]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 2)))
def test_bare_bilirubin_note_exactly_in_the_window(bilirubin: float) -> None:
    result = calc("meld", bilirubin=bilirubin)
    assert result.to_json() == calc("meld", bilirubin=f"{bilirubin}").to_json()  # JSON = text
    both = [w for w in result.warnings if READ_AS in w]
    advice = [w for w in result.warnings if "If the laboratory reported" in w]
    assert bool(both) is (1.71 <= bilirubin <= 30)
    assert bool(advice) is (1.71 <= bilirubin)  # above 30 the usual-range warning carries it
    typed = calc("meld", bilirubin=f"{bilirubin} mg/dL")
    assert not any("If the laboratory reported" in w for w in typed.warnings)
    assert (typed.value, typed.outputs) == (result.value, result.outputs)
