"""Dose limits declared as data, the guard that holds every result to them, and the arithmetic
every dose calculator shares: rounding to a step and the fewest tablets for a dose.

A dose calculator declares its limits once: each with its figure, its source and how well
that source was checked. Three kinds exist because the evidence gives different figures:

- a *ceiling* is never exceeded: rounding goes down rather than past it, and a result above
  it is a calculator defect (``calculate`` raises instead of showing it);
- a *studied maximum* is the largest dose the cited sources used: a result above it is
  allowed (the clinician may have a reason) but always carries a warning naming it;
- a *review prompt* is where no source gave any maximum: above it the result asks for the
  weight and the dose to be checked. It is the calculator's prompt, never called a limit.

Rounding and tablets are written once here so that two drugs given the same dose and the
same tablets can never be told to take them differently.

Standard library only: this module runs unchanged under Pyodide.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Callable, Literal, Mapping, Sequence

from .present import fmt_number

LimitKind = Literal["ceiling", "studied-maximum", "review-prompt"]
Basis = Literal["mg/day", "mg/kg/day"]
# How well the figure was checked: the same words the calculators' warnings use.
Status = Literal["confirmed", "secondary", "weak", "unverified", "calculator's choice"]

# A little above a limit is floating-point noise, not a breach (0.1 mg/kg × 30 kg = 3.0000000004).
TOLERANCE = 1e-6


@dataclass(frozen=True)
class DoseLimit:
    """One declared limit on a daily dose."""

    kind: LimitKind
    basis: Basis
    value: float
    source: str  # in words, with bibliography keys in brackets
    status: Status
    note: str = ""
    drug: str = ""  # which drug's doses it limits, when a result gives more than one drug
    evidence: str = ""  # its entry in the evidence register (evidence.toml); none for the calculator's own choice

    def mg_per_day(self, weight_kg: float | None) -> float | None:
        """The limit in mg/day for this weight (None when a per-kg limit has no weight)."""
        if self.basis == "mg/day":
            return self.value
        return None if weight_kg is None else self.value * weight_kg

    def describe(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DailyDose:
    """One daily dose a result prescribes, as the guard sees it."""

    label: str  # "Week 1", "Target dose", …
    mg_per_day: float
    drug: str = ""


# What a calculator hands the guard: its parsed inputs and outcome → the daily doses it gives.
DoseReader = Callable[[Mapping[str, Any], Any], Sequence[DailyDose]]


@dataclass(frozen=True)
class DoseRules:
    """A dose calculator's limits, how to read its doses, and the weight input they scale by."""

    limits: tuple[DoseLimit, ...]
    doses: DoseReader
    weight_input: str | None = "weight_kg"

    def ceilings(self) -> tuple[DoseLimit, ...]:
        return self.of_kind("ceiling")

    def of_kind(self, kind: LimitKind) -> tuple[DoseLimit, ...]:
        return tuple(limit for limit in self.limits if limit.kind == kind)


def floor_to_step(value: float, step: float) -> float:
    """The largest multiple of ``step`` not above ``value``: how a dose stays under a ceiling.

    The quotient is rounded to 9 decimals first, so 3.0 / 0.5 is 6 and not 5.999999….
    """
    return round(math.floor(round(value / step, 9)) * step, 6)


def round_half_down(value: float, step: float) -> float:
    """The nearest multiple of ``step``; an exact half step rounds down, towards the lower dose.

    The quotient is rounded to 9 decimals first, so 3.25 / 0.5 is the half step 6.5 and not
    6.499999…; the result to 6 decimals, so 3 × 0.1 is 0.3.
    """
    units = round(value / step, 9)
    return round(math.ceil(units - 0.5) * step, 6)


def fewest_tablets(dose_mg: float, strengths_mg: Sequence[float]) -> dict[float, int] | None:
    """How ``dose_mg`` is made of the fewest tablets (or capsules) of the strengths available.

    Fewer tablets are easier to take and to check; on a tie the larger strengths are used.
    ``strengths_mg`` largest first; the answer maps each strength used to its count, in that
    order (``{}`` for 0 mg), or None when no combination makes the dose exactly. A greedy
    choice is not enough: 65 mg from 100/50/25/10 mg is 25 + 4 × 10, not 50 + 10 + 5 left over.

    Works in hundredths of a milligram (so 0.5 mg is exact), divided by the strengths'
    greatest common divisor to keep the table small.
    """
    hundredths = [round(s * 100) for s in strengths_mg]
    unit = math.gcd(*hundredths)
    exact = round(dose_mg * 100)
    if exact < 0 or exact % unit:
        return None
    target = exact // unit
    sizes = [h // unit for h in hundredths]
    # best[amount]: the counts per strength that make ``amount`` units with fewest tablets
    best: list[tuple[int, ...] | None] = [None] * (target + 1)
    best[0] = tuple(0 for _ in sizes)
    for amount in range(1, target + 1):
        for index, size in enumerate(sizes):
            prev = best[amount - size] if size <= amount else None
            if prev is None:
                continue
            cand = tuple(c + (1 if i == index else 0) for i, c in enumerate(prev))
            cur = best[amount]
            if cur is None or (sum(cand), [-c for c in cand]) < (sum(cur), [-c for c in cur]):
                best[amount] = cand
    found = best[target]
    if found is None:
        return None
    return {s: c for s, c in zip(strengths_mg, found) if c}


class CeilingBreach(ArithmeticError):
    """A result above a declared ceiling: a calculator defect, never shown as an answer."""


def check_doses(
    calc_id: str, rules: DoseRules, values: Mapping[str, Any], outcome: Any
) -> list[str]:
    """Raise ``CeilingBreach`` past a ceiling; return a warning for each studied maximum passed."""
    weight = values.get(rules.weight_input) if rules.weight_input else None
    doses = list(rules.doses(values, outcome))
    for limit in rules.ceilings():
        cap = limit.mg_per_day(weight)
        if cap is None:
            continue
        for dose in doses:
            if dose.drug == limit.drug and dose.mg_per_day > cap + TOLERANCE:
                raise CeilingBreach(
                    f"{calc_id}: {dose.label} {fmt_number(dose.mg_per_day)} mg/day is above its "
                    f"ceiling {fmt_number(cap)} mg/day ({fmt_number(limit.value)} {limit.basis}): "
                    "a calculator defect"
                )
    warnings = []
    for limit in rules.of_kind("studied-maximum") + rules.of_kind("review-prompt"):
        cap = limit.mg_per_day(weight)
        if cap is None:
            continue
        above = [d for d in doses if d.drug == limit.drug and d.mg_per_day > cap + TOLERANCE]
        if not above:
            continue
        top = max(above, key=lambda d: d.mg_per_day)
        per_kg = f" ({fmt_number(cap)} mg/day at this weight)" if limit.basis == "mg/kg/day" else ""
        figure = f"{fmt_number(limit.value)} {limit.basis}{per_kg}"
        dose = f"{top.label[:1].lower()}{top.label[1:]}, {fmt_number(top.mg_per_day)} mg/day,"
        if limit.kind == "studied-maximum":
            head = (
                f"Above the largest dose the sources used: {dose} is more than {figure}, the "
                f"highest in {limit.source} ({limit.status})."
            )
        else:
            head = (
                f"High dose: {dose} is more than {figure}. No source gave a maximum; this "
                "check is the calculator's prompt, not a limit."
            )
        warnings.append(
            head
            + (f" {limit.note}" if limit.note else "")
            + " Check the weight and decide the dose with the specialist team."
        )
    return warnings
