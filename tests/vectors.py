"""Request vectors for every registered calculator, derived from its declaration.

``vectors()`` returns request objects ``{"id", "inputs"}`` (plus ``label``, ``expect`` and
``field``, which the bridge ignores and the tests read):

- ``expect == "ok"``: the calculator's own example; it must give a result.
- ``expect == "valid"``: every input is acceptable on its own (allowed-range ends, plausible
  mid values, each choice, text with units); the calculator may still reject a combination.
- ``expect == "error"``: one input is deliberately bad; the answer must name ``field``.

Every "ok" and "valid" vector carries every required input (the example, or a typical value for
each input without a default). An input that applies only when other inputs have given values
(``Input.applies_when``) is varied where it applies: its variations are built on the base with
those other inputs set to make it apply, so an "error" vector is never one the calculator would
ignore. Sent where it does not apply, even a bad value is ignored: that is a "valid" vector. An
optional input left empty is "valid"; an emptied input that has a default is an "error" (the
calculator says what to enter rather than using the default silently).

Deterministic: no randomness, the order follows the declarations. A few hundred at most.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

import aihcalc
from aihcalc import Calculator, Input

MAX_VECTORS = 3000  # keeps the Pyodide run to seconds as calculators are added
TYPICAL_DATE = "2026-01-05"
UNKNOWN_CHOICE = "definitely-not-a-choice"


def vectors(calculators: Iterable[Calculator] | None = None) -> list[dict[str, Any]]:
    """Every vector for ``calculators`` (default: every registered calculator)."""
    calcs = aihcalc.all_calculators() if calculators is None else list(calculators)
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for calc in calcs:
        for vector in _for_calculator(calc):
            key = request_json(vector)
            if key not in seen:
                seen.add(key)
                out.append(vector)
    if len(out) > MAX_VECTORS:
        raise AssertionError(f"{len(out)} vectors: more than {MAX_VECTORS}; derive fewer variations")
    return out


def request_json(vector: dict[str, Any]) -> str:
    """The request exactly as the browser sends it: only ``id`` and ``inputs``."""
    return json.dumps({"id": vector["id"], "inputs": vector["inputs"]}, sort_keys=True, ensure_ascii=False)


def base_inputs(calc: Calculator) -> dict[str, Any]:
    """The example if the calculator declares one, else a typical value for each required input."""
    if calc.example:
        return dict(calc.example)
    return {i.name: typical(i) for i in calc.inputs if i.default is None}


def applies_in(calc: Calculator, inputs: dict[str, Any], item: Input) -> bool:
    """Whether ``item`` applies given ``inputs``."""
    return calc.applicable(inputs)[item.name]


def context_for(calc: Calculator, base: dict[str, Any], item: Input) -> dict[str, Any] | None:
    """``base`` with the inputs ``item`` depends on set so that it applies, or None if none does.

    Each condition takes its first allowed value; conditions on inputs that themselves apply only
    under other conditions are listed in ``applies_when`` too (normal_week names the regimen as
    well as the ALT/AST answer), so one pass is enough, repeated a few times for safety.
    """
    context = dict(base)
    for _ in range(len(calc.inputs)):
        if applies_in(calc, context, item):
            return context
        values = calc.settled(context)[0]
        for name, allowed in item.applies_when:
            if values.get(name) not in allowed:
                context[name] = allowed[0]
    return context if applies_in(calc, context, item) else None


def typical(item: Input) -> Any:
    if item.kind == "number":
        return mid_value(item)
    if item.kind == "choice":
        return item.choices[0].value
    if item.kind == "boolean":
        return False
    return TYPICAL_DATE


def mid_value(item: Input) -> float | int:
    low, high = item.plausible or item.allowed  # type: ignore[misc]
    if item.integer:
        return int(round((low + high) / 2))
    value = round((low + high) / 2, 3)
    return int(value) if value == int(value) else value


def _vector(calc: Calculator, inputs: dict[str, Any], label: str, expect: str, field: str | None = None) -> dict[str, Any]:
    return {"id": calc.id, "inputs": inputs, "label": f"{calc.id}: {label}", "expect": expect, "field": field}


def _for_calculator(calc: Calculator) -> list[dict[str, Any]]:
    base = base_inputs(calc)
    out = [_vector(calc, dict(base), "example" if calc.example else "typical values", "ok")]

    for item in calc.inputs:
        if applies_in(calc, base, item):
            context, where = base, ""
        else:
            # Sent where it does not apply, any value is ignored: even one that would be refused.
            ignored = UNKNOWN_CHOICE if item.kind != "number" else "3 furlongs"
            out.append(
                _vector(calc, {**base, item.name: ignored}, f"{item.name} ignored where it does not apply", "valid")
            )
            found = context_for(calc, base, item)
            if found is None:
                continue
            context = found
            where = " (where it applies: " + ", ".join(
                f"{k}={context[k]}" for k in context if context[k] != base.get(k, object())
            ) + ")"
        out.extend(_item_vectors(calc, item, context, where))
    out.append(_vector(calc, {**base, "not_an_input": 1}, "unknown input name", "error", "not_an_input"))
    return out


def _item_vectors(calc: Calculator, item: Input, base: dict[str, Any], where: str) -> list[dict[str, Any]]:
    """The variations of one input on ``base``, where the input applies."""
    out: list[dict[str, Any]] = []

    def vary(name: str, value: Any, label: str, expect: str = "valid") -> None:
        out.append(
            _vector(calc, {**base, name: value}, label + where, expect, name if expect == "error" else None)
        )

    if item.kind == "number":
        _number_variations(item, base, vary)
    elif item.kind == "choice":
        for choice in item.choices:
            # A choice the calculator refuses (a child on an adult regimen) names its field.
            vary(item.name, choice.value, f"{item.name}={choice.value}", "error" if choice.refuse else "valid")
        last = item.choices[-1]
        vary(item.name, last.value.upper(), f"{item.name} in capitals", "error" if last.refuse else "valid")
        vary(item.name, UNKNOWN_CHOICE, f"{item.name} unknown choice", "error")
    elif item.kind == "boolean":
        vary(item.name, True, f"{item.name}=true")
        vary(item.name, False, f"{item.name}=false")
        vary(item.name, "yes", f"{item.name}='yes'")
        vary(item.name, "0", f"{item.name}='0'")
        vary(item.name, "maybe", f"{item.name} junk", "error")
    else:
        vary(item.name, "2024-02-29", f"{item.name} leap day")
        vary(item.name, "2026-02-30", f"{item.name} impossible date", "error")
        vary(item.name, "05/01/2026", f"{item.name} not ISO", "error")
    rest = {k: v for k, v in base.items() if k != item.name}
    if item.optional:
        out.append(_vector(calc, rest, f"{item.name} left out (optional){where}", "valid"))
        vary(item.name, "", f"{item.name} left empty (optional)")
    elif item.default is None and item.name in base:
        out.append(_vector(calc, rest, f"{item.name} missing{where}", "error", item.name))
        vary(item.name, "", f"{item.name} empty", "error")
    elif item.default is not None:
        out.append(_vector(calc, rest, f"{item.name} left to its default{where}", "valid"))
        vary(item.name, " ", f"{item.name} emptied (has a default)", "error")
    return out


def _number_variations(item: Input, base: dict[str, Any], vary: Any) -> None:
    assert item.allowed is not None
    low, high = item.allowed
    name = item.name
    vary(name, low, f"{name} at allowed low {low}")
    vary(name, high, f"{name} at allowed high {high}")
    vary(name, mid_value(item), f"{name} plausible mid")
    if item.plausible and item.plausible[0] > low:
        vary(name, _between(low, item.plausible[0], item.integer), f"{name} below plausible (warning)")
    vary(name, high + max(1.0, abs(high)), f"{name} above allowed", "error")
    vary(name, low - max(1.0, abs(low)), f"{name} below allowed", "error")
    vary(name, "nan", f"{name}='nan'", "error")
    vary(name, "1,5", f"{name} with decimal comma", "error")
    vary(name, "3 furlongs", f"{name} with unknown unit", "error")
    vary(name, True, f"{name}=true (bool)", "error")

    # Text forms: the typical value as text, with its own unit, and in each declared SI unit.
    value = base.get(name, mid_value(item))
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return
    vary(name, f" {value} ", f"{name} as text")
    if item.unit:
        vary(name, f"{value} {item.unit}", f"{name} with its unit")
        if not item.unit[0].isdigit():  # "20010^9/L" would be a different number
            vary(name, f"{value}{item.unit.upper()}", f"{name} with its unit in capitals, no space")
    for conv in item.conversions:
        converted = _in_unit(value / conv.factor, item, conv.factor)
        if converted is None:
            continue
        vary(name, f"{converted} {conv.unit}", f"{name} in {conv.unit}")
        if "µ" in conv.unit or "μ" in conv.unit:
            for micro, what in (("u", "ascii u"), ("μ", "greek mu"), ("µ", "micro sign")):
                text = conv.unit.replace("µ", micro).replace("μ", micro)
                vary(name, f"{converted}{text.lower()}", f"{name} in {conv.unit} ({what}, lower case)")


def _between(low: float, high: float, integer: bool) -> float | int:
    if integer:
        return int(low) if int(low) < high else low
    value = round(low + (high - low) / 4, 3)
    return int(value) if value == int(value) else value


def _in_unit(value: float, item: Input, factor: float) -> str | None:
    """``value`` with four significant digits, if that still converts into the allowed range."""
    assert item.allowed is not None
    text = f"{value:.4g}"
    back = float(text) * factor
    if "e" in text or not item.allowed[0] <= back <= item.allowed[1]:
        return None
    return text
