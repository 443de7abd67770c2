"""How numbers and values read in results: one place, so every calculator writes them alike.

A clinician reads "7.5 mg", never "7.500 mg" or "7.5000000001 mg"; a date reads as a date; a
tablet combination reads the same in every drug. Standard library only: this module runs
unchanged under Pyodide, and imports nothing else from the package (the rest imports it).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Mapping

from .dates import human_date

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def fmt_number(value: float, decimals: int = 3) -> str:
    """A number as a clinician writes it: at most ``decimals`` places, no trailing zeros."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = f"{value:.{decimals}f}"
    if decimals > 0:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def decimal_text(value: Decimal | int, places: int = 4) -> str:
    """An exact (decimal) intermediate in a working step, written as ``fmt_number`` writes it."""
    return fmt_number(float(value), places)


def percent_text(fraction: float) -> str:
    """A fraction as a percentage figure: 0.3 -> ``"30"`` (binary noise rounded away first)."""
    return fmt_number(round(100 * fraction, 6))


def off_boundary_text(value: float, decimals: int, boundary: float) -> str:
    """Rounded for reading, but never rounded onto the boundary it does not equal.

    A ratio of 0.9996 shown as "1" would read as "at the limit" when it is below it: more
    places are shown until the text no longer equals the boundary.
    """
    text = fmt_number(value, decimals)
    while float(text) == boundary and value != boundary and decimals < 12:
        decimals += 2
        text = fmt_number(value, decimals)
    return text


def points_text(points: int) -> str:
    """A score's points in words: "1 point", "0 points", "-2 points", "3 points"."""
    return f"{points} point{'' if points == 1 else 's'}"


def tablets_text(counts: Mapping[float, int], unit: str = "mg") -> str:
    """A tablet combination, largest strength first: ``"1 × 50 mg + 1 × 25 mg"``."""
    return " + ".join(f"{n} × {fmt_number(strength)} {unit}" for strength, n in counts.items())


def display_value(value: Any, unit: str) -> str:
    """An output as the page shows it: numbers with their unit, dates as dates, None as a dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        text = fmt_number(value)
        return f"{text} {unit}".strip()
    if isinstance(value, str):
        return human_date(value) if ISO_DATE.match(value) else value  # a date output reads as one
    return ""
