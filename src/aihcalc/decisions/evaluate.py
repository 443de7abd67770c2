"""Evaluating a table: typed inputs, the rules that match them, and the hit policy's choice.

An input outside its column's domain or an unknown choice is an ``InputError`` naming it, as
for calculators; a table breaking its own UNIQUE or ANY policy is a ``RuleConflict``.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, Mapping

from ..spec import InputError
from .model import Column, Decision, DecisionTable, Rule, RuleConflict
from .text import format_example, number_text


def evaluate(table: DecisionTable, inputs: Mapping[str, Any]) -> Decision:
    """The rules that apply, as the hit policy chooses them (none if the table has a gap).

    Raises InputError for a missing, unknown, out-of-domain or unparseable input, and
    RuleConflict if the table breaks its own UNIQUE or ANY policy (``analyse`` finds that first).
    """
    values = coerce_inputs(table, inputs)
    matched = tuple(rule for rule in table.rules if rule.matches(values))
    if table.hit_policy == "COLLECT" or len(matched) <= 1:
        chosen = matched if table.hit_policy == "COLLECT" else matched[:1]
        return Decision(table, chosen, values)
    if table.hit_policy == "FIRST":
        return Decision(table, matched[:1], values)
    if table.hit_policy == "ANY" and all(r.outputs == matched[0].outputs for r in matched):
        return Decision(table, matched[:1], values)
    numbers = ", ".join(str(r.number) for r in matched)
    raise RuleConflict(
        f"table {table.id!r}: rules {numbers} all match {format_example(values)}, which its "
        f"{table.hit_policy} hit policy forbids; the table needs fixing (run its analysis)"
    )


def possible(table: DecisionTable, inputs: Mapping[str, Any]) -> tuple[tuple[Rule, ...], bool]:
    """The rules that can apply while some inputs are unknown (None), and whether for certain.

    With every input known this is ``evaluate`` (certain). Otherwise a rule applies for
    certain when its conditions on the known inputs hold and every unknown column is "any"
    in it: in a UNIQUE, gap-free table (its analysis checks both) no other rule can then
    apply. Failing that, every rule whose known conditions hold may still apply.
    """
    if all(value is not None for value in inputs.values()):
        return evaluate(table, inputs).rules, True
    known = {
        name: coerce_value(table.input(name), value)  # the column's domain check, as evaluate does
        for name, value in inputs.items()
        if value is not None
    }
    unknown = [name for name, value in inputs.items() if value is None]
    candidates = tuple(
        rule
        for rule in table.rules
        if all(rule.conditions[name].matches(value) for name, value in known.items())
    )
    for rule in candidates:
        if all(rule.conditions[name].any for name in unknown):
            return (rule,), True
    return candidates, False


def matching_rules(table: DecisionTable, inputs: Mapping[str, Any]) -> tuple[int, ...]:
    """Numbers of every rule that matches, whatever the hit policy (for tests and tools)."""
    values = coerce_inputs(table, inputs)
    return tuple(r.number for r in table.rules if r.matches(values))


def coerce_inputs(table: DecisionTable, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Every input typed and inside its column's domain, or an InputError naming it."""
    names = [c.name for c in table.inputs]
    for name in inputs:
        if name not in names:
            raise InputError(
                name, f"is not an input of decision table {table.id}; its inputs are {', '.join(names)}"
            )
    values = {}
    for column in table.inputs:
        if column.name not in inputs or inputs[column.name] is None:
            raise InputError(column.name, f"is required by decision table {table.id}")
        values[column.name] = coerce_value(column, inputs[column.name])
    return values


def coerce_value(column: Column, raw: Any) -> Any:
    """One input read by the column's ``spec.Input``, so tables and calculators accept the same text.

    A refusal keeps the words tables have always used ("must be a number", "outside the table's
    domain"), which name the table's domain rather than a calculator's accepted range.
    """
    try:
        return column.as_input.parse(raw)
    except InputError as refused:
        raise InputError(column.name, _refusal(column, raw, refused.reason)) from None


def _refusal(column: Column, raw: Any, reason: str) -> str:
    """Why ``raw`` is refused, in the table's words.

    ``reason`` is the input's own, kept for text tables once read and calculators refuse ("1_0"
    or non-ASCII digits, which ``float`` reads), for which tables have no words of their own.
    """
    if column.type == "boolean":
        return f"must be true or false (got {raw!r})"
    if column.type == "choice":
        return f"must be one of {', '.join(column.choices)} (got {raw!r})"
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        return f"must be a number (got {raw!r})"
    unbounded = replace(column.as_input, allowed=(-math.inf, math.inf), integer=False)
    try:
        value = unbounded.parse(raw)
    except InputError:
        try:
            value = float(raw)
        except (ValueError, OverflowError):
            return f"must be a number (got {raw!r})"
        return reason if math.isfinite(value) else "must be a finite number"
    assert column.domain is not None
    low, high = column.domain
    unit = f" {column.unit}" if column.unit else ""
    if not low <= value <= high:
        return (
            f"{number_text(value)}{unit} is outside the table's domain "
            f"[{number_text(low)}..{number_text(high)}]{unit}"
        )
    if column.integer and value != int(value):
        return f"must be a whole number (got {number_text(value)})"
    return reason
