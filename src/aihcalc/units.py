"""Units: text like ``"34 µmol/L"`` becomes a number in the input's own unit.

Conversion factors are analyte-specific (they depend on molar mass), so each input declares
the conversions it accepts; the constants below are the ones laboratories use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Multiply a value in the alternative unit by ``factor`` to get the conventional unit.
# Bilirubin: 1 mg/dL = 17.1 µmol/L (molar mass 584.7 g/mol).
# Creatinine: 1 mg/dL = 88.4 µmol/L (molar mass 113.1 g/mol).
# Albumin: 1 g/dL = 10 g/L.  IgG: 1 g/L = 100 mg/dL.  Sodium: mEq/L = mmol/L (monovalent).
BILIRUBIN_UMOL_PER_MG_DL = 17.1
CREATININE_UMOL_PER_MG_DL = 88.4


@dataclass(frozen=True)
class UnitConversion:
    unit: str
    factor: float


BILIRUBIN_SI = (UnitConversion("µmol/L", 1 / BILIRUBIN_UMOL_PER_MG_DL),)
CREATININE_SI = (UnitConversion("µmol/L", 1 / CREATININE_UMOL_PER_MG_DL),)
ALBUMIN_SI = (UnitConversion("g/L", 0.1),)
IGG_CONVENTIONAL = (UnitConversion("mg/dL", 0.01),)
SODIUM_ALIASES = (UnitConversion("mEq/L", 1.0),)

_NUMBER = re.compile(r"^\s*([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*(.*?)\s*$")


def normalise_unit(text: str) -> str:
    """Compare units the way people type them: case-, space- and micro-sign-insensitive."""
    return text.replace(" ", "").replace("μ", "u").replace("µ", "u").lower()


def parse_quantity(
    name: str, text: str, unit: str, conversions: tuple[UnitConversion, ...]
) -> float:
    from .spec import InputError  # local: spec imports this module

    if "," in text:
        raise InputError(name, f"write decimals with a point, not a comma (got {text!r})")
    match = _NUMBER.match(text)
    if not match:
        raise InputError(name, f"must be a number in {unit or 'the stated unit'} (got {text!r})")
    value = float(match.group(1))
    given = match.group(2)
    if not given or normalise_unit(given) == normalise_unit(unit):
        return value
    for conv in conversions:
        if normalise_unit(given) == normalise_unit(conv.unit):
            # Twelve significant digits: 51.3 µmol/L is 3 mg/dL, not 2.9999999999999996,
            # so a converted value never lands on the wrong side of a band edge.
            return float(f"{value * conv.factor:.12g}")
    accepted = ", ".join([unit] + [c.unit for c in conversions]) if unit else "no unit"
    raise InputError(name, f"unit {given!r} is not accepted here; use {accepted}")


def express(value: float, unit: str, canonical: str, conversions: tuple[UnitConversion, ...]) -> float:
    """A value in the canonical unit, expressed in ``unit`` (the inverse of parse_quantity)."""
    if normalise_unit(unit) == normalise_unit(canonical):
        return value
    for conv in conversions:
        if normalise_unit(unit) == normalise_unit(conv.unit):
            return float(f"{value / conv.factor:.12g}")
    raise KeyError(unit)
