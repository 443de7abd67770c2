"""Every calculator declared under aihcalc/calculators/ is registered, and nothing else is."""

from __future__ import annotations

import importlib
from pathlib import Path

import aihcalc
import aihcalc.calculators as calculators
from aihcalc.spec import Calculator


def _declared() -> dict[str, Calculator]:
    found: dict[str, Calculator] = {}
    for name in calculators.MODULES:
        module = importlib.import_module(f"aihcalc.calculators.{name}")
        for value in vars(module).values():
            if isinstance(value, Calculator):
                found[value.id] = value
    return found


def test_every_module_in_the_folder_is_imported_in_sorted_order() -> None:
    folder = Path(calculators.__file__).parent
    on_disk = sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__")
    assert list(calculators.MODULES) == on_disk


def test_every_declared_calculator_is_registered() -> None:
    declared = _declared()
    registered = {c.id: c for c in aihcalc.all_calculators()}
    assert declared.keys() == registered.keys()
    for calc_id, calc in declared.items():
        assert registered[calc_id] is calc, f"{calc_id} is declared but a different object is registered"
