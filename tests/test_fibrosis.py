"""FIB-4 and APRI: hand-computed cases at every cut-off, rounding, units and bad input.

No worked example with its inputs is printed in the sources this project could read (the
FIB-4 paper's abstract gives the formula and cut-offs only; the APRI meta-analysis gives
cut-offs and pooled accuracy), so every expected value here is computed by hand in the
comment beside it, from the formulas in the evidence register (evidence: fib-4, apri). Inputs are chosen so that the
arithmetic is exact: ALT 100 (√ALT = 10) or 64 (√ALT = 8), platelets 150 or 200.
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

ROOT = Path(__file__).resolve().parent.parent


def fib4(age: Any, ast: Any, alt: Any, platelets: Any) -> aihcalc.Result:
    return aihcalc.calculate("fib-4", {"age": age, "ast": ast, "alt": alt, "platelets": platelets})


def apri(ast: Any, ast_uln: Any, platelets: Any) -> aihcalc.Result:
    return aihcalc.calculate("apri", {"ast": ast, "ast_uln": ast_uln, "platelets": platelets})


# ---------------------------------------------------------------------------------------------
# FIB-4
# ---------------------------------------------------------------------------------------------

FIB4_CASES = [
    # (age, AST, ALT, platelets, unrounded, reported, band)
    # 50 × 60 / (150 × √64) = 3000 / 1200 = 2.5
    pytest.param(50, 60, 64, 150, 2.5, 2.5, "indeterminate", id="example"),
    # ALT 100, platelets 200: FIB-4 = age × AST / 2000
    # 58 × 50 / 2000 = 2900 / 2000 = 1.45 exactly: "< 1.45" is false → indeterminate
    pytest.param(58, 50, 100, 200, 1.45, 1.45, "indeterminate", id="exactly-1.45"),
    # 57.8 × 50 / 2000 = 1.445 → 1.45 (half up): reported 1.45 → indeterminate
    pytest.param(57.8, 50, 100, 200, 1.445, 1.45, "indeterminate", id="1.445-rounds-to-1.45"),
    # 57.7 × 50 / 2000 = 1.4425 → 1.44 → low
    pytest.param(57.7, 50, 100, 200, 1.4425, 1.44, "low", id="1.4425-low"),
    # 57 × 50 / 2000 = 1.425 → 1.43 (half up) → low
    pytest.param(57, 50, 100, 200, 1.425, 1.43, "low", id="1.425-low"),
    # 65 × 100 / 2000 = 3.25 exactly: "> 3.25" is false → indeterminate
    pytest.param(65, 100, 100, 200, 3.25, 3.25, "indeterminate", id="exactly-3.25"),
    # 65.08 × 100 / 2000 = 3.254 → 3.25 → indeterminate
    pytest.param(65.08, 100, 100, 200, 3.254, 3.25, "indeterminate", id="3.254-indeterminate"),
    # 65.1 × 100 / 2000 = 3.255 → 3.26 (half up) → high
    pytest.param(65.1, 100, 100, 200, 3.255, 3.26, "high", id="3.255-high"),
    # 65 × 101 / 2000 = 6565 / 2000 = 3.2825 → 3.28 → high
    pytest.param(65, 101, 100, 200, 3.2825, 3.28, "high", id="3.2825-high"),
    # 45 × 40 / (250 × √50) = 1800 / (250 × 7.0710678) = 1800 / 1767.767 = 1.018234 → 1.02
    pytest.param(45, 40, 50, 250, 1.0182, 1.02, "low", id="irrational-root"),
    # 70 × 150 / (80 × √90) = 10500 / (80 × 9.486833) = 10500 / 758.9466 = 13.834953 → 13.83
    pytest.param(70, 150, 90, 80, 13.835, 13.83, "high", id="cirrhotic-range"),
    # 30 × 20 / (300 × √25) = 600 / 1500 = 0.4
    pytest.param(30, 20, 25, 300, 0.4, 0.4, "low", id="young-normal-labs"),
]


@pytest.mark.parametrize(
    ("age", "ast", "alt", "plt", "unrounded", "reported", "band"), FIB4_CASES
)
def test_fib4_values_and_bands(
    age: float, ast: float, alt: float, plt: float, unrounded: float, reported: float, band: str
) -> None:
    result = fib4(age, ast, alt, plt)
    assert result.value == reported
    assert type(result.value) is float
    assert result.outputs["fib4_unrounded"] == unrounded
    assert result.outputs["interpretation"] == band
    assert result.display["value"] == f"{reported:.2f}"


def test_fib4_example_working_and_display() -> None:
    calc = aihcalc.get("fib-4")
    result = calc.calculate(calc.example)
    assert result.working == [
        "FIB-4 = age × AST / (platelets × √ALT)",
        "= 50 × 60 / (150 × √64) = 3000 / (150 × 8) = 3000 / 1200 = 2.5",
        "Reported to 2 decimals: 2.50; cut-offs below 1.45 and above 3.25 [sterling2006] "
        "→ indeterminate.",
    ]
    assert result.display["value"] == "2.50"
    assert result.warnings == []
    assert result.references == ["sterling2006"]


def test_fib4_interpretation_texts_carry_the_published_figures() -> None:
    low = fib4(30, 20, 25, 300).outputs["interpretation_text"]
    assert "1.45" in low and "negative predictive value of 90 %" in low and "HIV/HCV" in low
    high = fib4(65, 101, 100, 200).outputs["interpretation_text"]
    assert "3.25" in high and "65 %" in high and "97 %" in high and "HIV/HCV" in high
    middle = fib4(58, 50, 100, 200).outputs["interpretation_text"]
    assert "indeterminate" in middle


def test_fib4_notes_say_where_it_was_derived() -> None:
    notes = " ".join(aihcalc.get("fib-4").notes)
    assert "HIV/HCV" in notes
    assert "autoimmune hepatitis" in notes and "does not establish" in notes
    assert "90 %" in notes and "65 %" in notes and "97 %" in notes
    assert "sterling2006" in notes


def test_fib4_irrational_working_shows_four_decimals() -> None:
    text = "\n".join(fib4(45, 40, 50, 250).working)
    assert "= 45 × 40 / (250 × √50) = 1800 / (250 × 7.0711) = 1800 / 1767.767 = 1.0182" in text


# ---------------------------------------------------------------------------------------------
# APRI
# ---------------------------------------------------------------------------------------------

APRI_CASES = [
    # (AST, ULN, platelets, unrounded, reported, band); APRI = (AST / ULN) / platelets × 100
    # (80 / 40) / 200 × 100 = 1.0
    pytest.param(80, 40, 200, 1.0, 1.0, "indeterminate", id="example"),
    # (40 / 40) / 200 × 100 = 0.5 exactly → between the cut-offs
    pytest.param(40, 40, 200, 0.5, 0.5, "indeterminate", id="exactly-0.5"),
    # (39.6 / 40) / 200 × 100 = 0.99 / 2 = 0.495 → 0.50 (half up) → between
    pytest.param(39.6, 40, 200, 0.495, 0.5, "indeterminate", id="0.495-rounds-to-0.5"),
    # (39 / 40) / 200 × 100 = 0.975 / 2 = 0.4875 → 0.49 → low
    pytest.param(39, 40, 200, 0.4875, 0.49, "low", id="0.4875-low"),
    # (120 / 40) / 200 × 100 = 1.5 exactly → between
    pytest.param(120, 40, 200, 1.5, 1.5, "indeterminate", id="exactly-1.5"),
    # (120.32 / 40) / 200 × 100 = 3.008 / 2 = 1.504 → 1.50 → between
    pytest.param(120.32, 40, 200, 1.504, 1.5, "indeterminate", id="1.504-indeterminate"),
    # (120.4 / 40) / 200 × 100 = 3.01 / 2 = 1.505 → 1.51 (half up) → high
    pytest.param(120.4, 40, 200, 1.505, 1.51, "high", id="1.505-high"),
    # (121 / 40) / 200 × 100 = 3.025 / 2 = 1.5125 → 1.51 → high
    pytest.param(121, 40, 200, 1.5125, 1.51, "high", id="1.5125-high"),
    # (55 / 35) / 123 × 100 = 1.5714286 / 123 × 100 = 1.277584 → 1.28
    pytest.param(55, 35, 123, 1.2776, 1.28, "indeterminate", id="irrational"),
    # (20 / 40) / 250 × 100 = 0.2
    pytest.param(20, 40, 250, 0.2, 0.2, "low", id="normal"),
    # (400 / 40) / 60 × 100 = 16.666667 → 16.67
    pytest.param(400, 40, 60, 16.6667, 16.67, "high", id="flare-low-platelets"),
]


@pytest.mark.parametrize(("ast", "uln", "plt", "unrounded", "reported", "band"), APRI_CASES)
def test_apri_values_and_bands(
    ast: float, uln: float, plt: float, unrounded: float, reported: float, band: str
) -> None:
    result = apri(ast, uln, plt)
    assert result.value == reported
    assert type(result.value) is float
    assert result.outputs["apri_unrounded"] == unrounded
    assert result.outputs["interpretation"] == band
    assert result.display["value"] == f"{reported:.2f}"


def test_apri_example_working() -> None:
    calc = aihcalc.get("apri")
    result = calc.calculate(calc.example)
    assert result.value == 1.0
    assert result.outputs["ast_to_uln"] == 2.0
    assert result.working == [
        "APRI = (AST / AST upper limit of normal) / platelets × 100",
        "= (80 / 40) / 200 × 100 = 2 / 200 × 100 = 1",
        "Reported to 2 decimals: 1.00; cut-offs for significant fibrosis 0.5 and 1.5 "
        "[jin2012] → indeterminate.",
    ]
    assert result.warnings == []
    assert result.references == ["wai2003", "jin2012"]


def test_apri_texts_and_notes_cite_the_meta_analysis() -> None:
    low = apri(20, 40, 250).outputs["interpretation_text"]
    assert "0.5" in low and "84 %" in low and "41 %" in low and "hepatitis B" in low
    high = apri(400, 40, 60).outputs["interpretation_text"]
    assert "1.5" in high and "49 %" in high and "84 %" in high
    notes = " ".join(aihcalc.get("apri").notes)
    assert "jin2012" in notes and "wai2003" in notes
    assert "Wai 2003" in notes and "not read" in notes


def test_apri_ast_not_above_uln_is_a_step() -> None:
    result = apri(30, 40, 200)
    assert any("is not above its upper limit of normal" in s for s in result.working)
    assert result.warnings == []


# ---------------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------------

SI_PAIRS = [
    # 1 µkat/L = 60 U/L exactly
    ("fib-4", {"ast": "1 µkat/L", "alt": "1.5 µkat/L"}, {"ast": 60, "alt": 90}),
    ("fib-4", {"ast": "1 ukat/L", "alt": "1.5 μkat/l"}, {"ast": 60, "alt": 90}),
    ("fib-4", {"ast": "60 IU/L", "alt": "90 iu/l"}, {"ast": 60, "alt": 90}),
    ("fib-4", {"ast": "60 U/L", "platelets": "150 10^9/L"}, {"ast": 60, "platelets": 150}),
    ("fib-4", {"ast": "0.7 µkat/L"}, {"ast": 42}),
    ("fib-4", {"platelets": "150 x 10^9/L"}, {"platelets": 150}),
    ("fib-4", {"platelets": "150×10⁹/L"}, {"platelets": 150}),
    ("apri", {"platelets": "200 X10^9/l"}, {"platelets": 200}),
    # US laboratories: a count per µL (or per mm³, the same volume), or thousands per µL
    ("fib-4", {"platelets": "150000 /µL"}, {"platelets": 150}),
    ("fib-4", {"platelets": "150000/uL"}, {"platelets": 150}),
    ("fib-4", {"platelets": "150000 /mcL"}, {"platelets": 150}),
    ("fib-4", {"platelets": "150000 /mm³"}, {"platelets": 150}),
    ("fib-4", {"platelets": "150000 /mm3"}, {"platelets": 150}),
    ("fib-4", {"platelets": "150000 /cumm"}, {"platelets": 150}),
    ("fib-4", {"platelets": "150 ×10³/µL"}, {"platelets": 150}),
    ("fib-4", {"platelets": "150 10^3/uL"}, {"platelets": 150}),
    ("fib-4", {"platelets": "150 x10^3/µL"}, {"platelets": 150}),
    ("fib-4", {"platelets": "150 K/µL"}, {"platelets": 150}),
    ("fib-4", {"platelets": "150 K/uL"}, {"platelets": 150}),
    ("fib-4", {"platelets": "150 k/mcL"}, {"platelets": 150}),
    ("fib-4", {"platelets": "150 x10*9/L"}, {"platelets": 150}),
    ("apri", {"platelets": "200000 /µL"}, {"platelets": 200}),
    ("apri", {"platelets": "200 K/µL"}, {"platelets": 200}),
    ("apri", {"platelets": "45500 /mm³"}, {"platelets": 45.5}),
    ("apri", {"ast": "2 µkat/L", "ast_uln": "0.6 µkat/L"}, {"ast": 120, "ast_uln": 36}),
    ("apri", {"ast": "120 IU/L", "ast_uln": "36 IU/L"}, {"ast": 120, "ast_uln": 36}),
]
BASE = {
    "fib-4": {"age": 50, "ast": 60, "alt": 90, "platelets": 150},
    "apri": {"ast": 80, "ast_uln": 40, "platelets": 200},
}


@pytest.mark.parametrize(("calc_id", "si", "conventional"), SI_PAIRS)
def test_si_equals_conventional(calc_id: str, si: dict[str, Any], conventional: dict[str, Any]) -> None:
    a = aihcalc.calculate(calc_id, BASE[calc_id] | si)
    b = aihcalc.calculate(calc_id, BASE[calc_id] | conventional)
    assert (a.value, a.outputs, a.working) == (b.value, b.outputs, b.working)


def test_text_inputs_from_a_form() -> None:
    assert fib4("50", "60 U/L", " 64 ", "150").value == 2.5
    assert apri("80", "40", "200").value == 1.0


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------

BAD_INPUTS = [
    ("fib-4", {"age": 0}, "age"),
    ("fib-4", {"age": 121}, "age"),
    ("fib-4", {"age": math.nan}, "age"),
    ("fib-4", {"age": "fifty"}, "age"),
    ("fib-4", {"ast": 0}, "ast"),  # would make the index 0; no patient has AST 0
    ("fib-4", {"ast": -5}, "ast"),
    ("fib-4", {"ast": "60 mmol/L"}, "ast"),
    ("fib-4", {"ast": "1,5 µkat/L"}, "ast"),
    ("fib-4", {"ast": math.inf}, "ast"),
    ("fib-4", {"alt": 0}, "alt"),  # √0 in the denominator
    ("fib-4", {"alt": 20001}, "alt"),
    ("fib-4", {"alt": "400 µkat/L"}, "alt"),  # 24000 U/L
    ("fib-4", {"alt": True}, "alt"),
    ("fib-4", {"platelets": 0}, "platelets"),  # division by zero
    ("fib-4", {"platelets": 150000}, "platelets"),  # a count per µL without its unit
    ("fib-4", {"platelets": "150000"}, "platelets"),
    ("fib-4", {"platelets": "150 /µL"}, "platelets"),  # 0.15 × 10⁹/L
    ("fib-4", {"platelets": "150000 10^9/L"}, "platelets"),
    ("fib-4", {"platelets": "150000 K/µL"}, "platelets"),
    ("fib-4", {"platelets": "150000 per µL"}, "platelets"),  # "per" is not a unit spelling
    ("fib-4", {"platelets": "nan"}, "platelets"),
    ("fib-4", {"ast_uln": 40}, "ast_uln"),  # not an input of fib-4
    ("apri", {"ast_uln": 0}, "ast_uln"),
    ("apri", {"ast_uln": 4}, "ast_uln"),
    ("apri", {"ast_uln": 501}, "ast_uln"),
    ("apri", {"platelets": -1}, "platelets"),
    ("apri", {"ast": "1e400"}, "ast"),
    ("apri", {"alt": 40}, "alt"),  # not an input of apri
]


@pytest.mark.parametrize(("calc_id", "change", "field"), BAD_INPUTS)
def test_bad_input_names_the_field(calc_id: str, change: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as info:
        aihcalc.calculate(calc_id, BASE[calc_id] | change)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")


@pytest.mark.parametrize(
    ("calc_id", "missing"),
    [("fib-4", n) for n in ("age", "ast", "alt", "platelets")]
    + [("apri", n) for n in ("ast", "ast_uln", "platelets")],
)
def test_missing_input(calc_id: str, missing: str) -> None:
    inputs = {k: v for k, v in BASE[calc_id].items() if k != missing}
    with pytest.raises(InputError) as info:
        aihcalc.calculate(calc_id, inputs)
    assert info.value.field == missing
    assert "required" in info.value.reason


@pytest.mark.parametrize(
    ("calc_id", "change", "label"),
    [
        ("fib-4", {"age": 12}, "Age"),
        ("fib-4", {"ast": 6000}, "AST"),
        ("fib-4", {"alt": 3}, "ALT"),
        ("fib-4", {"platelets": 1500}, "Platelets"),
        ("apri", {"ast_uln": 150}, "AST upper limit of normal"),
    ],
)
def test_plausibility_warning(calc_id: str, change: dict[str, Any], label: str) -> None:
    result = aihcalc.calculate(calc_id, BASE[calc_id] | change)
    assert any(w.startswith(label) and "usual range" in w for w in result.warnings)


# ---------------------------------------------------------------------------------------------
# Declarations
# ---------------------------------------------------------------------------------------------


def _bibliography_keys() -> set[str]:
    text = (ROOT / "content" / "bibliography.yaml").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z0-9_-]+):", text, flags=re.MULTILINE))


@pytest.mark.parametrize("calc_id", ["fib-4", "apri"])
def test_declaration(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    assert calc.title and calc.summary and calc.notes and calc.example
    for item in calc.inputs:
        assert item.kind == "number" and item.hint and item.step and item.plausible
        assert item.allowed is not None and item.allowed[0] > 0  # never a division by zero
    result = calc.calculate(calc.example)
    assert set(result.outputs) == {o.name for o in calc.outputs}
    assert result.warnings == []
    json.loads(result.to_json())
    json.dumps(calc.describe())


@pytest.mark.parametrize("calc_id", ["fib-4", "apri"])
def test_references_are_in_the_bibliography(calc_id: str) -> None:
    """Fails until the lead adds the APRI entries (wai2003, jin2012)."""
    assert set(aihcalc.get(calc_id).references) <= _bibliography_keys()


def test_aminotransferase_factor_is_exact() -> None:
    from aihcalc.calculators import fibrosis

    assert fibrosis.U_PER_UKAT == 60.0
    assert {c.unit: c.factor for c in fibrosis.AMINOTRANSFERASE_UNITS} == {"IU/L": 1.0, "µkat/L": 60.0}


# ---------------------------------------------------------------------------------------------
# Platelets: the units laboratories print
# ---------------------------------------------------------------------------------------------


def test_platelet_units_and_factors() -> None:
    from aihcalc.calculators import fibrosis

    assert fibrosis.PLATELETS.unit == "×10⁹/L"  # the contract: 10^9/L
    assert {c.unit: c.factor for c in fibrosis.PLATELETS.conversions} == {
        "×10³/µL": 1.0,  # 10³ per 10⁻⁶ L = 10⁹ per L
        "K/µL": 1.0,
        "/µL": 0.001,
        "/mm³": 0.001,  # 1 mm³ = 1 µL
    }
    for calc_id in ("fib-4", "apri"):
        (item,) = [i for i in aihcalc.get(calc_id).inputs if i.name == "platelets"]
        assert item is fibrosis.PLATELETS
        described = [i for i in aihcalc.get(calc_id).describe()["inputs"] if i["name"] == "platelets"]
        assert described[0]["units"] == ["×10⁹/L", "×10³/µL", "K/µL", "/µL", "/mm³"]


@pytest.mark.parametrize("calc_id", ["fib-4", "apri"])
@pytest.mark.parametrize("raw", [150000, "150000", " 150000 ", 150000.0])
def test_a_bare_count_per_microlitre_says_how_to_type_it(calc_id: str, raw: Any) -> None:
    # Refused, not converted on a guess: the reader chooses the unit.
    with pytest.raises(InputError) as info:
        aihcalc.calculate(calc_id, BASE[calc_id] | {"platelets": raw})
    assert info.value.field == "platelets"
    assert info.value.reason == (
        "150000 ×10⁹/L is outside the accepted range 1–2000 ×10⁹/L; it looks like a count per "
        'microlitre (/µL): type "150000 /µL" (150 ×10⁹/L) or switch the unit'
    )


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        (20000, True),  # 20 × 10⁹/L, the lower end of the plausible range, per µL
        (1000000, True),  # 1,000 × 10⁹/L
        (19999, False),  # not a plausible count per µL either
        (1000001, False),
        (2001, False),
        ("150000 ×10⁹/L", False),  # typed with its unit: taken as meant, so just out of range
    ],
)
def test_the_per_microlitre_hint_only_where_it_is_plausible(raw: Any, hint: bool) -> None:
    with pytest.raises(InputError) as info:
        fib4(50, 60, 64, raw)
    assert ("count per microlitre" in info.value.reason) is hint
    if not hint:
        assert info.value.reason.endswith("check the value and its unit")


def test_a_converted_value_out_of_range_shows_what_was_typed() -> None:
    with pytest.raises(InputError) as info:
        fib4(50, 60, 64, "150 /µL")
    assert info.value.reason == (
        "0.15 ×10⁹/L is outside the accepted range 1–2000 ×10⁹/L (150 /µL as typed); check the value "
        "and its unit"
    )


def test_a_bare_platelet_count_is_never_ambiguous() -> None:
    # 20–1,000 × 10⁹/L and 20,000–1,000,000 /µL do not overlap: no bare number is plausible in both.
    for raw in (20, 150, 1000):
        assert fib4(50, 60, 64, raw).warnings == []
