"""How tables write numbers, values and citations: one wording for messages, pages and forms."""

from __future__ import annotations

import math
import re
from typing import Any, Mapping

CITATION = re.compile(r"\[[^\[\]]*@[A-Za-z0-9_][^\[\]]*\]")
_CITED_KEY = re.compile(r"@([A-Za-z0-9_][A-Za-z0-9_:.\-]*)")


def cited_keys(text: str) -> list[str]:
    """Keys cited as [@key], [@a; @b] or [@key, Table 4], in order of first citation."""
    keys: list[str] = []
    for group in CITATION.findall(text):
        for key in _CITED_KEY.findall(group):
            key = key.rstrip(".:")
            if key not in keys:
                keys.append(key)
    return keys


def format_example(values: Mapping[str, Any]) -> str:
    """Inputs as ``x = 5, c = p``: how messages show the input that reveals a problem."""
    return ", ".join(f"{name} = {value_text(value)}" for name, value in values.items())


def value_text(value: Any) -> str:
    """An input value as a table writes it: true/false, a number without float noise, or text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    return str(value)


def is_number(value: Any) -> bool:
    """A TOML or JSON number; booleans are ints in Python, not numbers here."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number_text(value: float) -> str:
    """A number as tables write it: 2, 2.5, -1999900 (no float noise, no trailing zeros)."""
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))

