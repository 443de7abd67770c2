"""Units: text like ``"34 µmol/L"`` becomes a number in the input's own unit.

Conversion factors are analyte-specific (they depend on molar mass), so each input declares
the conversions it accepts; the constants below are the ones laboratories use.

A number given without a unit is read in the input's own unit. Where that number would also be
an ordinary value in another accepted unit (a bilirubin of 15 is 15 µmol/L as often as
15 mg/dL), the input names that unit as *confusable* and the helpers at the end of this module
say what the number would be in it, so the result can give both readings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .present import fmt_number

# Multiply a value in the alternative unit by ``factor`` to get the conventional unit.
# Bilirubin: 1 mg/dL = 17.1 µmol/L (molar mass 584.7 g/mol).
# Creatinine: 1 mg/dL = 88.4 µmol/L (molar mass 113.1 g/mol).
# Albumin: 1 g/dL = 10 g/L.  IgG: 1 g/L = 100 mg/dL.  Sodium: mEq/L = mmol/L (monovalent).
BILIRUBIN_UMOL_PER_MG_DL = 17.1
CREATININE_UMOL_PER_MG_DL = 88.4


@dataclass(frozen=True)
class UnitConversion:
    """Another unit an input accepts: a value in ``unit`` × ``factor`` is in the input's unit.

    ``words`` says the unit in words where its symbol alone may not be recognised in a message
    ("a count per microlitre" for /µL); empty means "a value in <unit>".
    """

    unit: str
    factor: float
    words: str = ""

    def described(self) -> str:
        return self.words or f"a value in {self.unit}"


BILIRUBIN_SI = (UnitConversion("µmol/L", 1 / BILIRUBIN_UMOL_PER_MG_DL),)
CREATININE_SI = (UnitConversion("µmol/L", 1 / CREATININE_UMOL_PER_MG_DL),)
ALBUMIN_SI = (UnitConversion("g/L", 0.1),)
IGG_CONVENTIONAL = (UnitConversion("mg/dL", 0.01),)
SODIUM_ALIASES = (UnitConversion("mEq/L", 1.0),)

_NUMBER = re.compile(r"^\s*([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*(.*?)\s*$")

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_DIGITS = str.maketrans(_SUPERSCRIPTS, "0123456789")
_RUN_OF_SUPERSCRIPTS = re.compile(f"[{_SUPERSCRIPTS}]+")
_TEN_STAR = re.compile(r"10\*(?=\d)")  # "10*9/L", as some laboratory systems print 10^9/L
_LEADING_TIMES = re.compile(r"^[x×*·]+(?=10)")  # "×10^9/L" is the same unit as "10^9/L"
_MC_MICRO = re.compile(r"(^|/)mc(?=[a-z])")  # "mcL", "mcmol": mc is the US abbreviation of micro
_CUBIC_MM = re.compile(r"(^|/)cu\.?mm$")  # "/cumm", "/cu.mm": a cubic millimetre
_LETTER_DIGIT = re.compile(r"([a-z])(\d)")  # "mm3" is "mm^3": a digit after a letter is a power


def normalise_unit(text: str) -> str:
    """Compare units the way people type them.

    Case, spaces and the micro sign do not matter (µ, Greek μ, u and the US "mc" are one
    prefix); ``×``, ``x`` or ``*`` before the power of ten may be left out; a power may be
    written ``10⁹``, ``10^9``, ``10**9`` or ``10*9``; ``mm3``, ``mm^3``, ``mm³`` and ``cumm`` are
    all a cubic millimetre. ``normalise_unit("×10³/µL") == normalise_unit("x10^3/uL")``.
    """
    # Lower case first: a micro sign upper-cased becomes a capital Greek mu, which lowers to μ.
    unit = "".join(text.lower().split()).replace("μ", "u").replace("µ", "u")
    unit = _RUN_OF_SUPERSCRIPTS.sub(lambda m: "^" + m.group().translate(_SUPERSCRIPT_DIGITS), unit)
    unit = unit.replace("**", "^")
    unit = _TEN_STAR.sub("10^", unit)
    unit = _LEADING_TIMES.sub("", unit)
    unit = _MC_MICRO.sub(r"\1u", unit)
    unit = _CUBIC_MM.sub(r"\1mm3", unit)
    return _LETTER_DIGIT.sub(r"\1^\2", unit)


def same_unit(a: str, b: str) -> bool:
    return normalise_unit(a) == normalise_unit(b)


def split_quantity(text: str) -> tuple[float, str] | None:
    """The number at the start of ``text`` and the unit typed after it ("" if none)."""
    match = _NUMBER.match(text)
    if not match:
        return None
    return float(match.group(1)), match.group(2)


def _in_unit(unit: str) -> str:
    return f" in {unit}" if unit else ""


def parse_quantity(
    name: str, text: str, unit: str, conversions: tuple[UnitConversion, ...]
) -> float:
    from .spec import InputError  # local: spec imports this module

    if "," in text:
        raise InputError(name, f"write decimals with a point, not a comma, e.g. 1.5 (you typed {text!r})")
    parts = split_quantity(text)
    if parts is None:
        raise InputError(name, f"type a number{_in_unit(unit)} (you typed {text!r})")
    value, given = parts
    if not given or same_unit(given, unit):
        return value
    for conv in conversions:
        if same_unit(given, conv.unit):
            # Twelve significant digits: 51.3 µmol/L is 3 mg/dL, not 2.9999999999999996,
            # so a converted value never lands on the wrong side of a band edge.
            return sig12(value * conv.factor)
    if not unit:
        raise InputError(name, f"type the number alone, e.g. 1.5, without {given!r}: this value has no unit")
    units = [unit] + [c.unit for c in conversions]
    accepted = " or ".join(units) if len(units) < 3 else ", ".join(units[:-1]) + " or " + units[-1]
    raise InputError(name, f"{given!r} is not a unit this value can be given in: type it in {accepted}")


def express(value: float, unit: str, canonical: str, conversions: tuple[UnitConversion, ...]) -> float:
    """A value in the canonical unit, expressed in ``unit`` (the inverse of parse_quantity)."""
    if same_unit(unit, canonical):
        return value
    for conv in conversions:
        if same_unit(unit, conv.unit):
            return sig12(value / conv.factor)
    raise KeyError(unit)


def sig12(value: float) -> float:
    """Twelve significant digits: drops the binary noise of a conversion (3, not 2.9999999999999996)."""
    return float(f"{value:.12g}")


# ---------------------------------------------------------------------------------------------
# Numbers given without a unit
# ---------------------------------------------------------------------------------------------


def given_without_unit(raw: Any) -> bool:
    """Whether a raw input is a bare number: text with no unit after it, or a JSON number.

    The command line and the browser send text; the browser sends the bare number when the
    unit menu shows the input's own unit, and a number with its unit otherwise. A JSON number
    from an embedder carries no unit, so it counts as given without one. A number typed with
    the input's own unit ("15 mg/dL") is an explicit choice and does not.
    """
    if isinstance(raw, bool):
        return False
    if isinstance(raw, (int, float)):
        return True
    if isinstance(raw, str) and "," not in raw:
        parts = split_quantity(raw)
        return parts is not None and parts[1] == ""
    return False


def range_in(conv: UnitConversion, bounds: tuple[float, float]) -> tuple[float, float]:
    """A range in the input's own unit, expressed in ``conv.unit``."""
    low, high = bounds
    return sig12(low / conv.factor), sig12(high / conv.factor)


@dataclass(frozen=True)
class Reading:
    """A bare number read in another unit: ``number`` conv.unit is ``value`` in the input's unit."""

    conversion: UnitConversion
    number: float
    value: float


def other_readings(
    number: float,
    plausible: tuple[float, float] | None,
    conversions: tuple[UnitConversion, ...],
    confusable: tuple[str, ...],
) -> list[Reading]:
    """Each confusable unit in which ``number``, given without a unit, is a plausible value.

    The plausible range in another unit is the input's own plausible range converted into it
    (``range_in``): no figure beyond the ones the input already declares.
    """
    if plausible is None:
        return []
    found = []
    for conv in conversions:
        if not any(same_unit(conv.unit, u) for u in confusable):
            continue
        low, high = range_in(conv, plausible)
        if low <= number <= high:
            found.append(Reading(conv, number, sig12(number * conv.factor)))
    return found


def _typed(reading: Reading) -> str:
    """The bare number as the reader typed it, with the other unit: "15 µmol/L"."""
    return f"{fmt_number(reading.number, 6)} {reading.conversion.unit}"


def reading_advice(reading: Reading, unit: str) -> str:
    """What to do if the bare number was meant in the other unit."""
    return (
        f"If the laboratory reported {_typed(reading)} ({fmt_number(reading.value, 2)} {unit}), "
        f'type "{_typed(reading)}" or switch the unit.'
    )


def ambiguity_warning(label: str, reading: Reading, unit: str) -> str:
    """A bare number plausible in the input's unit and in another: both readings, and the fix."""
    number = fmt_number(reading.number, 6)
    other = fmt_number(sig12(reading.number / reading.conversion.factor), 2)
    return (
        f"{label} {number} was read in the default unit, as {number} {unit} "
        f"({other} {reading.conversion.unit}). {reading_advice(reading, unit)}"
    )


def looks_like(reading: Reading, unit: str) -> str:
    """For a bare number outside the accepted range: the unit it was probably meant in."""
    return (
        f"it looks like {reading.conversion.described()}: type \"{_typed(reading)}\" "
        f"({fmt_number(reading.value, 2)} {unit}) or switch the unit"
    )
