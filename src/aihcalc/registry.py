"""The registry: every calculator by its stable id."""

from __future__ import annotations

from typing import Any, Mapping

from .spec import Calculator, Result

_CALCULATORS: dict[str, Calculator] = {}


def register(calculator: Calculator) -> Calculator:
    if calculator.id in _CALCULATORS:
        raise ValueError(f"calculator id {calculator.id!r} is registered twice")
    _CALCULATORS[calculator.id] = calculator
    return calculator


def get(calculator_id: str) -> Calculator:
    _load()
    try:
        return _CALCULATORS[calculator_id]
    except KeyError:
        known = ", ".join(sorted(_CALCULATORS))
        raise KeyError(f"no calculator {calculator_id!r}; known: {known}") from None


def all_calculators() -> list[Calculator]:
    _load()
    return [_CALCULATORS[k] for k in sorted(_CALCULATORS)]


def calculate(calculator_id: str, inputs: Mapping[str, Any]) -> Result:
    """Run one calculator. Bad input raises ``InputError`` naming the field."""
    return get(calculator_id).calculate(inputs)


def _load() -> None:
    from . import calculators  # noqa: F401  (importing registers them)
