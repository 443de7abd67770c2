"""Reading one cell of a rule: ``< 50``, ``[2..3)``, ``intermediate, poor``, ``true`` or ``-``.

Each refusal is a ValueError saying what is wrong and what to write instead; the parser turns it
into a finding at the rule's line.
"""

from __future__ import annotations

import math
import re
from typing import Any

from .model import ANY, Column, Condition, Interval
from .text import is_number, number_text

_NUM = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_COMPARE = re.compile(rf"^(<=|>=|<|>|=)?\s*({_NUM})$")
_RANGE = re.compile(rf"^([\[(\]])\s*({_NUM})\s*\.\.\s*({_NUM})\s*([\])\[])$")
_NUMERIC_LOOKING = re.compile(r"^\s*(?:[<>=]|[\[(\]]\s*[-+.\d])|^\s*[-+]?\.?\d")
CONDITION_HELP = (
    "write < 50, <= 50, > 50, >= 50, = 50, [a..b], (a..b], [a..b), (a..b), or - for any"
)


def parse_condition(column: Column, raw: Any) -> Condition:
    """One cell. Raises ValueError saying what is wrong and what to write instead."""
    if isinstance(raw, str) and raw.strip() == "-":
        return ANY
    if column.type == "number":
        return _number_condition(column, raw)
    if column.type == "boolean":
        return _boolean_condition(column, raw)
    return _choice_condition(column, raw)


def _number_condition(column: Column, raw: Any) -> Condition:
    if is_number(raw):
        value = float(raw)
        return Condition(f"= {number_text(value)}", interval=Interval(value, value, True, True))
    if isinstance(raw, bool) or not isinstance(raw, str):
        raise ValueError(f"{raw!r} is not a numeric condition: {CONDITION_HELP}")
    text = raw.strip()
    match = _COMPARE.match(text)
    if match:
        op, value = match.group(1) or "=", float(match.group(2))
        interval = {
            "<": Interval(-math.inf, value, False, False),
            "<=": Interval(-math.inf, value, False, True),
            ">": Interval(value, math.inf, False, False),
            ">=": Interval(value, math.inf, True, False),
            "=": Interval(value, value, True, True),
        }[op]
        return Condition(f"{op} {number_text(value)}", interval=interval)
    match = _RANGE.match(text)
    if match:
        left, low, high, right = match.groups()
        interval = Interval(float(low), float(high), left == "[", right == "]")
        if interval.is_empty():
            raise ValueError(f"{text!r} is an empty interval: write the lower end first")
        left, right = "[" if interval.low_closed else "(", "]" if interval.high_closed else ")"
        shown = f"{left}{number_text(interval.low)}..{number_text(interval.high)}{right}"
        return Condition(shown, interval=interval)
    raise ValueError(f"{raw!r} is not a condition: {CONDITION_HELP}")


def _boolean_condition(column: Column, raw: Any) -> Condition:
    if isinstance(raw, bool):
        return Condition("yes" if raw else "no", values=frozenset({raw}))
    if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
        value = raw.strip().lower() == "true"
        return Condition("yes" if value else "no", values=frozenset({value}))
    if isinstance(raw, str) and _NUMERIC_LOOKING.match(raw):
        raise ValueError(
            f"{raw!r} is a numeric condition, but {column.name} is a boolean column: "
            "write true, false or -"
        )
    raise ValueError(f"{raw!r} is not a boolean condition: write true, false or -")


def _choice_condition(column: Column, raw: Any) -> Condition:
    if isinstance(raw, list):
        items = raw
    elif isinstance(raw, str):
        items = [part.strip() for part in raw.split(",")]
    else:
        items = [raw]
    if not items or any(not isinstance(i, str) or not i for i in items):
        raise ValueError(
            f"{raw!r} is not a list of choices: write one or more of "
            f"{', '.join(column.choices)} separated by commas, or -"
        )
    unknown = [i for i in items if i not in column.choices]
    if unknown:
        if all(_NUMERIC_LOOKING.match(i) for i in unknown) and isinstance(raw, str):
            raise ValueError(
                f"{raw!r} is a numeric condition, but {column.name} is a choice column: "
                f"list its values ({', '.join(column.choices)}) or write -"
            )
        raise ValueError(
            f"{unknown[0]!r} is not a choice of {column.name}: use "
            f"{', '.join(column.choices)}"
        )
    ordered = [c for c in column.choices if c in items]
    return Condition(", ".join(ordered), values=frozenset(items))
