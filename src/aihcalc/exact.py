"""Exact decimal arithmetic shared by the score calculators.

``decimal`` gives the same digits in CPython and Pyodide (their ``math.log`` may differ in the
last bit), and sees a true half as a half when rounding. Inputs are read to 12 significant
digits, which drops binary noise from unit conversion without changing any reported value.
"""

from __future__ import annotations

from decimal import Context, Decimal


CONTEXT = Context(prec=28)  # far beyond any laboratory value


def dec(value: float) -> Decimal:
    """A parsed input as a decimal; 12 significant digits drop binary conversion noise."""
    return Decimal(format(value, ".12g"))
