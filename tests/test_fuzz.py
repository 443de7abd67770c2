"""The long fuzz run (100,000 requests), kept out of the default run by the slow marker."""

from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import PROJECT_ROOT


def load_fuzz():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("fuzz", PROJECT_ROOT / "benchmarks" / "fuzz.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_short_fuzz_finds_no_defect() -> None:
    outcomes, defects = load_fuzz().run(3000, seed=7)
    assert defects == []
    assert all(counter["result"] > 0 for counter in outcomes.values()), "every calculator answered sometimes"
    assert all(counter["input error"] > 0 for counter in outcomes.values()), "and refused bad input sometimes"


@pytest.mark.slow
def test_a_hundred_thousand_requests_find_no_defect() -> None:
    outcomes, defects = load_fuzz().run(100_000, seed=1)
    assert defects == []
    assert sum(sum(c.values()) for c in outcomes.values()) == 100_000
