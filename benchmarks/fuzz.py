#!/usr/bin/env python3
"""Fuzz every registered calculator with random inputs and print what happened.

Why: the property tests explore each calculator a few hundred times per run; this pushes
100,000+ inputs through the same public entry point the browser uses (``aihcalc.bridge``),
mixing sensible values, edge values, out-of-range numbers, special floats, text with and
without units, wrong choices and broken dates. Every answer must be a result or an input
error with a field; anything else (an exception, a NaN, an answer that is not JSON) is a
defect and is printed. A dose above a declared ceiling is a defect of its own kind, counted
apart: the calculators refuse to show one (``CeilingBreach``), and every result's doses are
also checked here against the declared limits, so a breach the guard missed is caught too. Usage: ``python benchmarks/fuzz.py [--count 100000] [--seed 1]``.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import aihcalc  # noqa: E402
from aihcalc import bridge  # noqa: E402
from aihcalc.dosing import CeilingBreach  # noqa: E402
from aihcalc.spec import Calculator, Input, Outcome  # noqa: E402

SPECIAL = ["nan", "inf", "-inf", "", " ", "1e309", "-0", "1,5", "abc", "½", "２", "0x10", "1e-320"]


def random_value(item: Input, rng: random.Random) -> Any:
    roll = rng.random()
    if item.kind == "number":
        assert item.allowed is not None
        low, high = item.plausible or item.allowed
        if roll < 0.7:
            return round(rng.uniform(low, high), rng.choice([0, 1, 2, 3]))
        if roll < 0.85:
            a_low, a_high = item.allowed
            return rng.choice([a_low, a_high, low, high, (a_low + a_high) / 2])
        if roll < 0.9 and item.conversions:
            conv = rng.choice(item.conversions)
            return f"{round(rng.uniform(low, high) / conv.factor, 2)} {conv.unit}"
        if roll < 0.95:
            return rng.choice([-1, 0, 1e6, -1e6, 10**400, 1e-300, float("nan"), float("inf")])
        return rng.choice(SPECIAL)
    if item.kind == "choice":
        if roll < 0.95:
            return rng.choice(item.choice_values)
        return rng.choice(["", "NORMAL", "unknown-value", 3, None, True])
    if item.kind == "boolean":
        return rng.choice([True, False, "true", "false", "yes", "no", True, False, "maybe", 2])
    if roll < 0.9:
        day = rng.randint(0, 365 * 60)
        return (dt.date(2000, 1, 1) + dt.timedelta(days=day)).isoformat()
    return rng.choice(["2026-02-30", "2026-13-01", "yesterday", "", "20260105", 20260105, None])


def random_inputs(calc: Calculator, rng: random.Random) -> dict[str, Any]:
    inputs = {}
    for item in calc.inputs:
        if rng.random() < 0.03:
            continue  # leave it out: the default or a "required" message
        value = random_value(item, rng)
        if isinstance(value, float) and value != value:
            value = "nan"  # JSON has no NaN; the browser would send text
        elif isinstance(value, float) and value in (float("inf"), float("-inf")):
            value = "inf" if value > 0 else "-inf"
        inputs[item.name] = value
    if rng.random() < 0.01:
        inputs["not_an_input"] = 1
    return inputs


def ceiling_breaches(calc: Calculator, result: dict[str, Any]) -> list[str]:
    """Doses in a result above the calculator's declared ceilings (read again from the JSON)."""
    rules = calc.dose_rules
    if rules is None:
        return []
    values = calc.parse(result["inputs"])
    outcome = Outcome(value=result["value"], outputs=result["outputs"])
    weight = values.get(rules.weight_input) if rules.weight_input else None
    found = []
    for limit in rules.ceilings():
        cap = limit.mg_per_day(weight)
        for dose in rules.doses(values, outcome):
            if cap is not None and dose.drug == limit.drug and dose.mg_per_day > cap + 1e-6:
                found.append(f"{dose.label} {dose.mg_per_day} mg/day > {cap} mg/day")
    return found


def run(count: int, seed: int) -> tuple[dict[str, collections.Counter[str]], list[str]]:
    rng = random.Random(seed)
    calculators = aihcalc.all_calculators()
    outcomes: dict[str, collections.Counter[str]] = {c.id: collections.Counter() for c in calculators}
    defects: list[str] = []
    for _ in range(count):
        calc = rng.choice(calculators)
        request = json.dumps({"id": calc.id, "inputs": random_inputs(calc, rng)})
        try:
            answer = json.loads(bridge.handle(request))
        except CeilingBreach as exc:
            defects.append(f"{calc.id}: CEILING BREACH: {exc} for {request}")
            outcomes[calc.id]["defect"] += 1
            outcomes[calc.id]["ceiling breach"] += 1
            continue
        except Exception as exc:  # noqa: BLE001 - any escape is the defect being hunted
            defects.append(f"{calc.id}: {type(exc).__name__}: {exc} for {request}")
            outcomes[calc.id]["defect"] += 1
            continue
        if answer["ok"]:
            outcomes[calc.id]["result"] += 1
            breaches = ceiling_breaches(calc, answer["result"])
            if breaches:
                defects.append(f"{calc.id}: CEILING BREACH: {'; '.join(breaches)} for {request}")
                outcomes[calc.id]["defect"] += 1
                outcomes[calc.id]["ceiling breach"] += 1
        elif answer["error"].get("field"):
            outcomes[calc.id]["input error"] += 1
        else:
            defects.append(f"{calc.id}: error without a field: {answer} for {request}")
            outcomes[calc.id]["defect"] += 1
    return outcomes, defects


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    outcomes, defects = run(args.count, args.seed)
    seconds = time.perf_counter() - started
    print(f"## Fuzz: {args.count} random requests through aihcalc.bridge (seed {args.seed}), {seconds:.1f} s\n")
    print("| calculator | results | input errors | defects | of which ceiling breaches |")
    print("|---|---:|---:|---:|---:|")
    for calc_id, counter in outcomes.items():
        print(
            f"| {calc_id} | {counter['result']} | {counter['input error']} | {counter['defect']} "
            f"| {counter['ceiling breach']} |"
        )
    for line in defects[:20]:
        print("DEFECT", line)
    requests = sum(c["result"] + c["input error"] + c["defect"] for c in outcomes.values())
    breaches = sum(c["ceiling breach"] for c in outcomes.values())
    print(f"\n{requests} requests, {len(defects)} defects, {breaches} ceiling breaches")
    return 1 if defects else 0


if __name__ == "__main__":
    sys.exit(main())
