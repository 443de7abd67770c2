"""The unit switch's text keeps its precision: bridge.convert, checked against the published factors.

The form's unit switch re-expresses a typed value in another unit and shows it with 3 decimals
below 10, 2 decimals from 10 and 1 decimal from 100 (trailing zeros dropped). Each expected text
here is computed in the test, in exact decimal arithmetic, from the factor the code's comments
state (units.py: 1 mg/dL bilirubin = 17.1 µmol/L, 1 mg/dL creatinine = 88.4 µmol/L,
1 g/dL = 10 g/L, 1 g/L IgG = 100 mg/dL, mEq/L = mmol/L; fibrosis.py and treatment_response.py:
1 µkat/L = 60 U/L, IU/L = U/L, ×10³/µL = K/µL = ×10⁹/L, 1000 /µL = 1000 /mm³ = 1 ×10⁹/L),
never from the code under test.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_EVEN, Decimal

import pytest

import aihcalc
from aihcalc import bridge

# A value in the unit × factor = the value in the input's own unit (exact decimals).
BILIRUBIN = {"µmol/L": Decimal(1) / Decimal("17.1")}
CREATININE = {"µmol/L": Decimal(1) / Decimal("88.4")}
ALBUMIN = {"g/L": Decimal("0.1")}
IGG = {"mg/dL": Decimal("0.01")}
AMINOTRANSFERASE = {"IU/L": Decimal(1), "µkat/L": Decimal(60)}
PLATELETS = {"×10³/µL": Decimal(1), "K/µL": Decimal(1), "/µL": Decimal("0.001"), "/mm³": Decimal("0.001")}
SODIUM = {"mEq/L": Decimal(1)}

PUBLISHED: dict[tuple[str, str], dict[str, Decimal]] = {
    ("aih-simplified-score", "igg"): IGG,
    ("aih-simplified-score", "igg_uln"): IGG,
    ("apri", "ast"): AMINOTRANSFERASE,
    ("apri", "ast_uln"): AMINOTRANSFERASE,
    ("apri", "platelets"): PLATELETS,
    ("child-pugh", "bilirubin"): BILIRUBIN,
    ("child-pugh", "albumin"): ALBUMIN,
    ("fib-4", "ast"): AMINOTRANSFERASE,
    ("fib-4", "alt"): AMINOTRANSFERASE,
    ("fib-4", "platelets"): PLATELETS,
    ("meld", "bilirubin"): BILIRUBIN,
    ("meld", "creatinine"): CREATININE,
    ("meld-na", "bilirubin"): BILIRUBIN,
    ("meld-na", "creatinine"): CREATININE,
    ("meld-na", "sodium"): SODIUM,
    ("meld-3", "bilirubin"): BILIRUBIN,
    ("meld-3", "creatinine"): CREATININE,
    ("meld-3", "sodium"): SODIUM,
    ("meld-3", "albumin"): ALBUMIN,
    ("treatment-response", "alt_baseline"): AMINOTRANSFERASE,
    ("treatment-response", "alt_week4"): AMINOTRANSFERASE,
    ("treatment-response", "alt_month6"): AMINOTRANSFERASE,
    ("treatment-response", "alt_uln"): AMINOTRANSFERASE,
    ("treatment-response", "igg_month6"): IGG,
    ("treatment-response", "igg_uln"): IGG,
}


def convert(calc_id: str, name: str, text: str, to: str) -> dict[str, object]:
    request = {"id": calc_id, "input": name, "text": text, "to": to}
    return json.loads(bridge.convert(json.dumps(request)))


def decimals_for(value: Decimal) -> int:
    """The switch's precision: 1 decimal from 100, 2 from 10, 3 below 10."""
    return 1 if abs(value) >= 100 else 2 if abs(value) >= 10 else 3


def is_tie(value: Decimal) -> bool:
    """Exactly half-way at the shown precision (binary floats may round either way there)."""
    scaled = value.scaleb(decimals_for(value))
    return scaled - scaled.to_integral_value(rounding="ROUND_FLOOR") == Decimal("0.5")


def shown(value: Decimal) -> str:
    """The expected text: rounded to the switch's precision, trailing zeros dropped."""
    text = f"{value.quantize(Decimal(1).scaleb(-decimals_for(value)), rounding=ROUND_HALF_EVEN):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def magnitude(value: Decimal) -> str:
    return "below 1" if value < 1 else "below 10" if value < 10 else "below 100" if value < 100 else "100 up"


# ---------------------------------------------------------------------------------------------
# Worked by hand
# ---------------------------------------------------------------------------------------------

WORKED = [
    # bilirubin µmol/L → mg/dL: ÷ 17.1
    ("meld", "bilirubin", "10 µmol/L", "mg/dL", "0.585"),  # 0.584795…
    ("meld", "bilirubin", "100 µmol/L", "mg/dL", "5.848"),  # 5.847953…
    ("meld", "bilirubin", "300 µmol/L", "mg/dL", "17.54"),  # 17.543859…
    # bilirubin mg/dL → µmol/L: × 17.1
    ("meld", "bilirubin", "0.0137", "µmol/L", "0.234"),  # 0.23427
    ("meld", "bilirubin", "0.37", "µmol/L", "6.327"),  # 6.327
    ("meld", "bilirubin", "0.789", "µmol/L", "13.49"),  # 13.4919
    ("meld", "bilirubin", "7.77", "µmol/L", "132.9"),  # 132.867
    # creatinine µmol/L → mg/dL: ÷ 88.4
    ("meld", "creatinine", "50 µmol/L", "mg/dL", "0.566"),  # 0.565610…
    ("meld", "creatinine", "500 µmol/L", "mg/dL", "5.656"),  # 5.656108…
    ("meld", "creatinine", "1000 µmol/L", "mg/dL", "11.31"),  # 11.312217…
    # creatinine mg/dL → µmol/L: × 88.4
    ("meld", "creatinine", "0.0077", "µmol/L", "0.681"),  # 0.68068
    ("meld", "creatinine", "0.077", "µmol/L", "6.807"),  # 6.8068
    ("meld", "creatinine", "0.77", "µmol/L", "68.07"),  # 68.068
    ("meld", "creatinine", "7.77", "µmol/L", "686.9"),  # 686.868
    # albumin g/L → g/dL: ÷ 10, and back
    ("meld-3", "albumin", "5.37 g/L", "g/dL", "0.537"),
    ("meld-3", "albumin", "33.71 g/L", "g/dL", "3.371"),
    ("meld-3", "albumin", "0.6543", "g/L", "6.543"),
    ("meld-3", "albumin", "3.4567", "g/L", "34.57"),  # 34.567
    # IgG mg/dL → g/L: ÷ 100, and back
    ("aih-simplified-score", "igg", "43.21 mg/dL", "g/L", "0.432"),  # 0.4321
    ("aih-simplified-score", "igg", "432.1 mg/dL", "g/L", "4.321"),
    ("aih-simplified-score", "igg", "1234.6 mg/dL", "g/L", "12.35"),  # 12.346
    ("aih-simplified-score", "igg", "12.3456", "mg/dL", "1234.6"),  # 1234.56
    # AST U/L → µkat/L: ÷ 60, and back
    ("fib-4", "ast", "7", "µkat/L", "0.117"),  # 0.116666…
    ("fib-4", "ast", "100", "µkat/L", "1.667"),  # 1.666666…
    ("fib-4", "ast", "1000", "µkat/L", "16.67"),  # 16.666666…
    ("fib-4", "ast", "10000", "µkat/L", "166.7"),  # 166.666666…
    ("fib-4", "ast", "0.1234 µkat/L", "U/L", "7.404"),
    # platelets /µL → ×10⁹/L: ÷ 1000
    ("fib-4", "platelets", "1234 /µL", "×10⁹/L", "1.234"),
    ("fib-4", "platelets", "12346 /mm³", "×10⁹/L", "12.35"),  # 12.346
    ("fib-4", "platelets", "1.23456 K/µL", "×10⁹/L", "1.235"),
    # sodium: the same number
    ("meld-na", "sodium", "97.654 mEq/L", "mmol/L", "97.65"),
    ("meld-na", "sodium", "135.56 mEq/L", "mmol/L", "135.6"),
]


@pytest.mark.parametrize(("calc_id", "name", "text", "to", "expected"), WORKED)
def test_convert_worked_examples(calc_id: str, name: str, text: str, to: str, expected: str) -> None:
    assert convert(calc_id, name, text, to) == {"ok": True, "text": expected}


# ---------------------------------------------------------------------------------------------
# Every conversion, every magnitude the input allows
# ---------------------------------------------------------------------------------------------

# Numbers with more digits than any precision shows, over ten decades.
CANDIDATES = [
    Decimal(mantissa).scaleb(exponent)
    for exponent in range(-4, 6)
    for mantissa in ("1.234567", "6.543219", "9.876543")
]


def test_every_conversion_has_a_published_factor() -> None:
    """A new conversion needs its factor (and so these checks) added here; the code's agrees."""
    declared = {}
    for calc in aihcalc.all_calculators():
        for item in calc.inputs:
            if item.conversions:
                declared[(calc.id, item.name)] = {c.unit: c.factor for c in item.conversions}
    assert set(declared) == set(PUBLISHED)
    for key, units in declared.items():
        assert set(units) == set(PUBLISHED[key]), key
        for unit, factor in units.items():
            assert factor == pytest.approx(float(PUBLISHED[key][unit]), rel=1e-12), (key, unit)


def cases(calc_id: str, name: str) -> list[tuple[str, str, str]]:
    """(text, to, expected) both ways for each other unit, at every magnitude in range."""
    item = aihcalc.get(calc_id).input(name)
    assert item.allowed is not None
    low, high = (Decimal(str(x)) for x in item.allowed)
    found = []
    for unit, factor in PUBLISHED[(calc_id, name)].items():
        for number in CANDIDATES:
            # From the other unit into the input's own unit.
            canonical = number * factor
            if low < canonical < high and not is_tie(canonical):
                found.append((f"{number:f} {unit}", item.unit, shown(canonical)))
            # From the input's own unit into the other unit.
            other = number / factor
            if low < number < high and not is_tie(other):
                found.append((f"{number:f} {item.unit}", unit, shown(other)))
    return found


@pytest.mark.parametrize(("calc_id", "name"), sorted(PUBLISHED))
def test_convert_keeps_its_precision_for_every_conversion(calc_id: str, name: str) -> None:
    found = cases(calc_id, name)
    magnitudes = {magnitude(Decimal(expected)) for _, _, expected in found}
    assert len(magnitudes) >= 2, magnitudes  # a range of sizes, not one
    wrong = []
    for text, to, expected in found:
        answer = convert(calc_id, name, text, to)
        if answer != {"ok": True, "text": expected}:
            wrong.append((text, to, expected, answer))
    assert not wrong, wrong[:5]


def test_the_magnitudes_cover_every_precision() -> None:
    """Across the conversions, each precision (3, 2 and 1 decimals) is checked, below 1 too."""
    seen = {magnitude(Decimal(e)) for key in PUBLISHED for _, _, e in cases(*key)}
    assert seen == {"below 1", "below 10", "below 100", "100 up"}
