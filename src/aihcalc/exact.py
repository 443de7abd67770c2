"""Exact decimal arithmetic shared by the score calculators.

``decimal`` gives the same digits in CPython and Pyodide (their ``math.log`` may differ in the
last bit), and sees a true half as a half when rounding. Inputs are read to 12 significant
digits, which drops binary noise from unit conversion without changing any reported value.
"""

from __future__ import annotations

from decimal import Context, Decimal

from .spec import fmt_number

CONTEXT = Context(prec=28)  # far beyond any laboratory value


def dec(value: float) -> Decimal:
    """A parsed input as a decimal; 12 significant digits drop binary conversion noise."""
    return Decimal(format(value, ".12g"))


def text(value: Decimal | int, places: int = 4) -> str:
    """A number for a working step, as spec.fmt_number writes it."""
    return fmt_number(float(value), places)
