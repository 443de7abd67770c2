"""Units (aihcalc.units): text with a unit becomes a number in the input's own unit."""

from __future__ import annotations

import pytest

from aihcalc import InputError
from aihcalc import units
from aihcalc.units import (
    ALBUMIN_SI,
    BILIRUBIN_SI,
    CREATININE_SI,
    IGG_CONVENTIONAL,
    SODIUM_ALIASES,
    UnitConversion,
    normalise_unit,
    parse_quantity,
)


def test_factor_constants() -> None:
    assert units.BILIRUBIN_UMOL_PER_MG_DL == 17.1
    assert units.CREATININE_UMOL_PER_MG_DL == 88.4
    assert BILIRUBIN_SI == (UnitConversion("µmol/L", 1 / 17.1),)
    assert CREATININE_SI == (UnitConversion("µmol/L", 1 / 88.4),)
    assert ALBUMIN_SI == (UnitConversion("g/L", 0.1),)
    assert IGG_CONVENTIONAL == (UnitConversion("mg/dL", 0.01),)
    assert SODIUM_ALIASES == (UnitConversion("mEq/L", 1.0),)


# (input unit, conversions, text, expected value in the input's unit)
CASES = [
    # bilirubin: 1 mg/dL = 17.1 µmol/L
    ("mg/dL", BILIRUBIN_SI, "17.1 µmol/L", 1.0),
    ("mg/dL", BILIRUBIN_SI, "34.2 µmol/L", 2.0),
    ("mg/dL", BILIRUBIN_SI, "5.13 umol/L", 0.3),
    ("mg/dL", BILIRUBIN_SI, "342 μmol/L", 20.0),  # Greek small mu U+03BC
    ("mg/dL", BILIRUBIN_SI, "342 µmol/L", 20.0),  # micro sign U+00B5
    ("mg/dL", BILIRUBIN_SI, "342 UMOL/L", 20.0),
    ("mg/dL", BILIRUBIN_SI, "342µmol/l", 20.0),
    ("mg/dL", BILIRUBIN_SI, "  342   µmol / L  ", 20.0),
    ("mg/dL", BILIRUBIN_SI, "2 mg/dL", 2.0),
    ("mg/dL", BILIRUBIN_SI, "2 MG/DL", 2.0),
    ("mg/dL", BILIRUBIN_SI, "2mg / dl", 2.0),
    ("mg/dL", BILIRUBIN_SI, "2", 2.0),
    # creatinine: 1 mg/dL = 88.4 µmol/L
    ("mg/dL", CREATININE_SI, "88.4 µmol/L", 1.0),
    ("mg/dL", CREATININE_SI, "106.08 umol/L", 1.2),
    ("mg/dL", CREATININE_SI, "353.6 μmol/l", 4.0),
    # albumin: 1 g/dL = 10 g/L
    ("g/dL", ALBUMIN_SI, "35 g/L", 3.5),
    ("g/dL", ALBUMIN_SI, "35 G/L", 3.5),
    ("g/dL", ALBUMIN_SI, "3.5 g/dl", 3.5),
    # IgG: 1 g/L = 100 mg/dL
    ("g/L", IGG_CONVENTIONAL, "1600 mg/dL", 16.0),
    ("g/L", IGG_CONVENTIONAL, "16 g/L", 16.0),
    # sodium: mEq/L = mmol/L
    ("mmol/L", SODIUM_ALIASES, "137 mEq/L", 137.0),
    ("mmol/L", SODIUM_ALIASES, "137 meq/l", 137.0),
    ("mmol/L", SODIUM_ALIASES, "137 mmol/L", 137.0),
    # number forms
    ("mg", (), "+5", 5.0),
    ("mg", (), "-5", -5.0),
    ("mg", (), ".25 mg", 0.25),
    ("mg", (), "2.5e1mg", 25.0),
    ("mg", (), "\t7\n", 7.0),
]


@pytest.mark.parametrize(("unit", "conversions", "text", "expected"), CASES)
def test_parse_quantity(unit: str, conversions: tuple[UnitConversion, ...], text: str, expected: float) -> None:
    assert parse_quantity("x", text, unit, conversions) == pytest.approx(expected, rel=1e-12)


def test_conversion_multiplies_by_the_factor() -> None:
    conv = (UnitConversion("widgets", 3.0),)
    assert parse_quantity("x", "2 widgets", "gadgets", conv) == 6.0
    assert parse_quantity("x", "2 gadgets", "gadgets", conv) == 2.0


def test_the_inputs_own_unit_wins_over_a_conversion_of_the_same_name() -> None:
    # The own unit is checked first, so a conversion never rescales a value in the input's unit.
    conv = (UnitConversion("mg", 1000.0),)
    assert parse_quantity("x", "2 mg", "mg", conv) == 2.0


@pytest.mark.parametrize(
    ("text", "unit", "conversions", "accepted"),
    [
        ("2 mmol/L", "mg/dL", BILIRUBIN_SI, "type it in mg/dL or µmol/L"),
        ("2 nmol/L", "mg/dL", CREATININE_SI, "type it in mg/dL or µmol/L"),
        ("2 mg/L", "g/dL", ALBUMIN_SI, "type it in g/dL or g/L"),
        ("2 kg", "mg", (), "type it in mg"),
    ],
)
def test_unknown_unit_message(text: str, unit: str, conversions: tuple[UnitConversion, ...], accepted: str) -> None:
    with pytest.raises(InputError) as info:
        parse_quantity("albumin", text, unit, conversions)
    given = text.split(" ", 1)[1]
    assert info.value.field == "albumin"
    assert info.value.reason == f"{given!r} is not a unit this value can be given in: {accepted}"


def test_a_unit_on_a_number_that_has_none_says_so_in_words() -> None:
    with pytest.raises(InputError) as info:
        parse_quantity("inr", "2 mg", "", ())
    assert info.value.reason == "type the number alone, e.g. 1.5, without 'mg': this value has no unit"


@pytest.mark.parametrize("text", ["1,5", "1,5 g/L", "1.000,5"])
def test_comma_is_rejected(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_quantity("albumin", text, "g/dL", ALBUMIN_SI)
    assert info.value.field == "albumin"
    assert info.value.reason == f"write decimals with a point, not a comma, e.g. 1.5 (you typed {text!r})"


@pytest.mark.parametrize("text", ["", "  ", "abc", "g/L", "nan", "inf", "--2", "e5"])
def test_not_a_number(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_quantity("albumin", text, "g/dL", ALBUMIN_SI)
    assert info.value.field == "albumin"
    assert info.value.reason == f"type a number in g/dL (you typed {text!r})"


@pytest.mark.parametrize(("text", "given"), [("2 3", "3"), ("1.2.3", ".3"), ("0x1F", "x1F"), ("2 g/L extra", "g/L extra")])
def test_trailing_junk_is_an_unknown_unit(text: str, given: str) -> None:
    with pytest.raises(InputError) as info:
        parse_quantity("albumin", text, "g/dL", ALBUMIN_SI)
    assert info.value.reason == f"{given!r} is not a unit this value can be given in: type it in g/dL or g/L"


def test_not_a_number_without_a_unit_says_so() -> None:
    with pytest.raises(InputError) as info:
        parse_quantity("ratio", "abc", "", ())
    assert info.value.reason == "type a number (you typed 'abc')"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("µmol/L", "umol/l"),
        ("μmol/L", "umol/l"),
        ("umol/L", "umol/l"),
        (" mg / dL ", "mg/dl"),
        ("mEq/L", "meq/l"),
        ("10^9/L", "10^9/l"),
        # a power of ten: multiplication sign optional, exponent written any usual way
        ("×10⁹/L", "10^9/l"),
        ("x10^9/L", "10^9/l"),
        ("X 10 ^ 9 / l", "10^9/l"),
        ("*10^9/L", "10^9/l"),
        ("10**9/L", "10^9/l"),
        ("x10*9/L", "10^9/l"),
        ("×10³/µL", "10^3/ul"),
        ("10^3/uL", "10^3/ul"),
        ("x10^3/μL", "10^3/ul"),
        ("10³/mcL", "10^3/ul"),
        # thousands per microlitre; micro as µ, μ, u or the US "mc"
        ("K/µL", "k/ul"),
        ("K/uL", "k/ul"),
        ("k/mcL", "k/ul"),
        ("/µL", "/ul"),
        ("/mcL", "/ul"),
        # a cubic millimetre
        ("/mm³", "/mm^3"),
        ("/mm3", "/mm^3"),
        ("/mm^3", "/mm^3"),
        ("/cumm", "/mm^3"),
        ("/cu.mm", "/mm^3"),
        # upper-casing turns the micro sign into a capital Greek mu
        ("µMOL/L".upper(), "umol/l"),
    ],
)
def test_normalise_unit(text: str, expected: str) -> None:
    assert normalise_unit(text) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("U/L", "µL"),  # units per litre is not a microlitre
        ("10^9/L", "10^3/µL"),
        ("/µL", "K/µL"),
        ("/mm³", "/µL"),  # the same volume, but declared as two units, each with its name
        ("mg/dL", "mg/L"),
        ("109/L", "10^9/L"),
    ],
)
def test_different_units_stay_different(a: str, b: str) -> None:
    assert normalise_unit(a) != normalise_unit(b)


def test_micro_sign_and_greek_mu_are_different_characters_but_the_same_unit() -> None:
    assert "\u00b5" != "\u03bc"
    assert normalise_unit("\u00b5mol/L") == normalise_unit("\u03bcmol/L") == normalise_unit("umol/L")


# ---------------------------------------------------------------------------------------------
# Numbers given without a unit
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "bare"),
    [
        (15, True),  # a JSON number from an embedder carries no unit
        (15.5, True),
        ("15", True),
        (" 15 ", True),
        ("1.5e1", True),
        ("15 mg/dL", False),  # the input's own unit, typed: taken as meant
        ("15 µmol/L", False),
        ("15mg/dL", False),
        (True, False),
        (None, False),  # the default was used
        ("1,5", False),
        ("abc", False),
    ],
)
def test_given_without_unit(raw: object, bare: bool) -> None:
    assert units.given_without_unit(raw) is bare


def test_range_in_converts_the_inputs_own_range() -> None:
    (umol,) = BILIRUBIN_SI
    assert units.range_in(umol, (0.1, 30)) == (1.71, 513.0)  # × 17.1, without binary noise
    (cr,) = CREATININE_SI
    assert units.range_in(cr, (0.2, 15)) == (17.68, 1326.0)
    (gl,) = ALBUMIN_SI
    assert units.range_in(gl, (1.0, 5.5)) == (10.0, 55.0)
    (mgdl,) = IGG_CONVENTIONAL
    assert units.range_in(mgdl, (2, 50)) == (200.0, 5000.0)


@pytest.mark.parametrize(
    ("number", "found"),
    [(1.7, False), (1.71, True), (15, True), (30, True), (513, True), (513.1, False)],
)
def test_other_readings_use_the_converted_plausible_range(number: float, found: bool) -> None:
    readings = units.other_readings(number, (0.1, 30), BILIRUBIN_SI, ("µmol/L",))
    assert bool(readings) is found
    if found:
        assert readings[0].conversion.unit == "µmol/L"
        assert readings[0].value == pytest.approx(number / 17.1, rel=1e-11)


def test_other_readings_only_for_units_declared_confusable() -> None:
    assert units.other_readings(15, (0.1, 30), BILIRUBIN_SI, ()) == []
    assert units.other_readings(15, None, BILIRUBIN_SI, ("µmol/L",)) == []
    assert units.other_readings(15, (0.1, 30), BILIRUBIN_SI, ("umol/l",))  # spelling-insensitive


def test_ambiguity_warning_text() -> None:
    (reading,) = units.other_readings(15, (0.1, 30), BILIRUBIN_SI, ("µmol/L",))
    assert units.ambiguity_warning("Bilirubin (total)", reading, "mg/dL") == (
        "Bilirubin (total) 15 was read in the default unit, as 15 mg/dL (256.5 µmol/L). "
        'If the laboratory reported 15 µmol/L (0.88 mg/dL), type "15 µmol/L" or switch the unit.'
    )


def test_looks_like_uses_the_units_words() -> None:
    per_ul = UnitConversion("/µL", 0.001, words="a count per microlitre (/µL)")
    (reading,) = units.other_readings(150000, (20, 1000), (per_ul,), ("/µL",))
    assert units.looks_like(reading, "×10⁹/L") == (
        'it looks like a count per microlitre (/µL): type "150000 /µL" (150 ×10⁹/L) or switch the unit'
    )
    (umol,) = units.other_readings(200, (0.1, 30), BILIRUBIN_SI, ("µmol/L",))
    assert units.looks_like(umol, "mg/dL").startswith('it looks like a value in µmol/L: type "200 µmol/L"')
