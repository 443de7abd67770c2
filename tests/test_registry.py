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


def test_every_calculator_has_a_change_list_that_starts_at_first_publication() -> None:
    """spec.check_changes holds each list to its order when declared; here, what every list shares."""
    for calc in aihcalc.all_calculators():
        first = calc.changes[0]
        assert first.version == "1.0" and first.what.startswith("First published"), (
            f"{calc.id}: the first change is version 1.0, 'First published: ...' (got {first.version}: {first.what[:40]!r})"
        )
        assert calc.version == calc.changes[-1].version
        for change in calc.changes:
            assert "[" not in change.what + change.why, (
                f"{calc.id} {change.version}: write sources in words; a [key] is not turned into a citation here"
            )
