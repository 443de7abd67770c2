"""The declarative core: a calculator is declared once and everything else is derived.

The declaration (inputs with their units and ranges, outputs, references, a compute
function) feeds the Python API, the CLI, the HTML form, the build-time fallback and the
tests. Standard library only: this module runs unchanged under Pyodide.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Mapping

from ._version import __version__
from .dosing import DoseRules, check_doses
# fmt_number is re-exported: the build and the tests import it from here.
from .present import ISO_DATE, display_value, fmt_number
from .units import (
    UnitConversion,
    ambiguity_warning,
    given_without_unit,
    looks_like,
    other_readings,
    parse_quantity,
    reading_advice,
    same_unit,
    split_quantity,
)

InputKind = Literal["number", "choice", "boolean", "date"]


TOO_LARGE = "type an ordinary number (this one is too large, or not a number)"


class InputError(ValueError):
    """A bad input: names the field and says what is wrong and how to put it right."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "reason": self.reason, "message": str(self)}


@dataclass(frozen=True)
class Choice:
    """One choice. ``aliases`` are other words clinicians use for it ("absent" for "none")."""

    value: str
    label: str
    aliases: tuple[str, ...] = ()
    # When set, choosing this is refused at once with this message (e.g. a child on an adult
    # regimen): no answer is computed for it.
    refuse: str = ""
    # The evidence register entry a choice rests on (a regimen's steps), when it has one.
    evidence: str = ""


@dataclass(frozen=True)
class Input:
    """One typed input.

    ``allowed`` is the hard limit (outside it the input is rejected: a value no patient can
    have or a dose no one should compute); ``plausible`` is the usual range (outside it the
    result carries a warning, because typos live there).
    """

    name: str
    label: str
    kind: InputKind = "number"
    unit: str = ""
    allowed: tuple[float, float] | None = None
    plausible: tuple[float, float] | None = None
    choices: tuple[Choice, ...] = ()
    default: Any = None
    step: float | None = None
    integer: bool = False
    hint: str = ""
    conversions: tuple[UnitConversion, ...] = ()
    # The input applies only when each named input has one of the listed values; otherwise
    # whatever was sent for it is ignored (the form disables it) and it takes its default.
    applies_when: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    # An optional input may be left empty: the calculator then receives None and says what
    # it could not judge without it. Never combined with a default (that would hide it).
    optional: bool = False
    # Other accepted units (among ``conversions``) in which a number given without a unit
    # could equally be meant: bilirubin 15 is an ordinary value in mg/dL and in µmol/L. A bare
    # number plausible in both units gets a warning with both readings; one outside ``allowed``
    # but plausible in such a unit is rejected with how to type it. The plausible range in
    # another unit is ``plausible`` converted into it (units.range_in), never a separate figure.
    confusable_units: tuple[str, ...] = ()
    # Whether a form may open with the default already chosen. Only for a choice whose default
    # records that nothing is known yet ("not tested yet"), never for a finding or a decision:
    # a clinical choice the reader has not made is never shown as made. Otherwise the form
    # opens on "Choose…" and asks; the default still serves a caller who leaves the input out
    # (the command line, an embedder's request).
    preselect: bool = False

    def __post_init__(self) -> None:
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"input {self.name!r}: a choice input needs choices")
        if self.kind != "number" and (self.allowed or self.plausible or self.conversions):
            raise ValueError(f"input {self.name!r}: ranges and units belong to numbers")
        if self.kind == "number" and self.allowed is None:
            raise ValueError(f"input {self.name!r}: a number input needs an allowed range")
        if self.optional and self.default is not None:
            raise ValueError(f"input {self.name!r}: an optional input has no default")
        if self.preselect and (self.kind != "choice" or self.default is None):
            raise ValueError(f"input {self.name!r}: only a choice with a default can open chosen")

    @property
    def is_choice(self) -> bool:
        """A choice or a yes/no: a select on a form, and never made there for the reader."""
        return self.kind in ("choice", "boolean")

    @property
    def opens_chosen(self) -> bool:
        """Whether a form opens with the default in it: a number's always, a choice's only when
        ``preselect`` says that default records that nothing is known yet."""
        return self.preselect if self.is_choice else self.default is not None

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def parse(self, raw: Any) -> Any:
        """Turn a raw value (typed, or text from a form or the command line) into a typed one."""
        if self.kind == "number":
            return self._parse_number(raw)
        if self.kind == "choice":
            text = str(raw).strip().lower() if not isinstance(raw, bool) else ""
            for choice in self.choices:
                if text == choice.value or text in (a.lower() for a in choice.aliases):
                    if choice.refuse:
                        raise InputError(self.name, choice.refuse)
                    return choice.value
            raise InputError(
                self.name,
                f"choose one of: {'; '.join(c.label for c in self.choices)} "
                f"(typed as {_or(self.choice_values)}; you gave {raw!r})",
            )
        if self.kind == "boolean":
            return _parse_bool(self.name, raw)
        return _parse_date(self.name, raw)

    def _parse_number(self, raw: Any) -> float:
        if isinstance(raw, bool) or raw is None:
            raise InputError(self.name, f"type a number{f' in {self.unit}' if self.unit else ''}")
        if isinstance(raw, (int, float)):
            try:
                value = float(raw)
            except OverflowError:
                raise InputError(self.name, TOO_LARGE) from None
        else:
            value = parse_quantity(self.name, str(raw), self.unit, self.conversions)
        if math.isnan(value) or math.isinf(value):
            raise InputError(self.name, TOO_LARGE)
        assert self.allowed is not None
        low, high = self.allowed
        if not low <= value <= high:
            unit = f" {self.unit}" if self.unit else ""
            outside = (
                f"{fmt_number(value)}{unit} is outside the accepted range "
                f"{fmt_number(low)}–{fmt_number(high)}{unit}"
            )
            typed = split_quantity(raw) if isinstance(raw, str) else None
            if typed and typed[1] and not same_unit(typed[1], self.unit):
                outside += f" ({raw.strip()} as typed)"  # converted: show what was typed too
            # A bare number out of range but plausible in a confusable unit (platelets 150000,
            # a count per µL) is still rejected, never converted on a guess: the message says
            # how to type it, so the unit is the reader's choice.
            readings = (
                other_readings(value, self.plausible, self.conversions, self.confusable_units)
                if given_without_unit(raw)
                else []
            )
            if readings:
                raise InputError(self.name, f"{outside}; {looks_like(readings[0], self.unit)}")
            raise InputError(self.name, f"{outside}; check the value and its unit")
        if self.integer and value != int(value):
            raise InputError(self.name, "type a whole number, without decimals")
        return value

    def applies(self, values: Mapping[str, Any]) -> bool:
        """Whether this input applies, given the inputs parsed before it."""
        return all(values.get(name) in allowed for name, allowed in self.applies_when)

    def input_warnings(self, value: Any, raw: Any) -> list[str]:
        """Warnings about one parsed value, given what was typed (``raw``): typos and units.

        A number given without a unit (bare text, or a JSON number) that is also plausible in
        one of ``confusable_units`` gets both readings and how to type the other one; a number
        typed with a unit, even the input's own, is taken as meant.
        """
        warning = self.plausibility_warning(value)
        if self.kind != "number" or not self.confusable_units or not given_without_unit(raw):
            return [warning] if warning else []
        readings = other_readings(value, self.plausible, self.conversions, self.confusable_units)
        if not readings:
            return [warning] if warning else []
        if warning is None:  # plausible in the input's unit and in the other one
            return [ambiguity_warning(self.label, readings[0], self.unit)]
        return [f"{warning} {reading_advice(readings[0], self.unit)}"]

    def plausibility_warning(self, value: Any) -> str | None:
        if self.kind != "number" or self.plausible is None:
            return None
        low, high = self.plausible
        if low <= value <= high:
            return None
        unit = f" {self.unit}" if self.unit else ""
        return (
            f"{self.label} {fmt_number(value)}{unit} is outside the usual range "
            f"{fmt_number(low)}–{fmt_number(high)}{unit}: check it was entered in the right unit."
        )


@dataclass(frozen=True)
class Output:
    """A named output. ``columns`` makes it a table: a list of rows keyed by column name."""

    name: str
    label: str
    unit: str = ""
    columns: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FallbackGrid:
    """What the page shows with JavaScript off: the result over a grid of two inputs.

    Each cell is computed at build time by the same ``calculate`` the browser runs.
    """

    rows: str
    row_values: tuple[Any, ...]
    columns: str
    column_values: tuple[Any, ...]
    fixed: Mapping[str, Any] = field(default_factory=dict)
    cell: str = "value"


@dataclass(frozen=True)
class Export:
    """A file a result can be saved as (for instance a calendar of a dose schedule)."""

    name: str
    label: str
    filename: str
    media_type: str
    render: Callable[["Result"], str]


@dataclass
class Working:
    """Collects the steps and warnings a compute function produces, in order."""

    steps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def step(self, text: str) -> None:
        self.steps.append(text)

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)


@dataclass(frozen=True)
class Outcome:
    """What a compute function returns: the primary value and the named outputs."""

    value: Any
    outputs: Mapping[str, Any] = field(default_factory=dict)
    display: Mapping[str, str] = field(default_factory=dict)


ComputeFn = Callable[[dict[str, Any], Working], Outcome]


def versions(calculator_version: str | None) -> dict[str, str | None]:
    """What produced an answer: ``{"package": aihcalc's version, "calculator": the calculator's}``.

    The one shape every answer carries (a result, and the bridge's refusals), so a printed or
    saved answer can be traced to the code and the change list it came from. ``None`` when no
    calculator was found.
    """
    return {"package": __version__, "calculator": calculator_version}


@dataclass
class Result:
    calculator: str
    value: Any
    outputs: dict[str, Any]
    display: dict[str, str]
    warnings: list[str]
    working: list[str]
    references: list[str]
    inputs: dict[str, Any]
    # The calculator's version ("MAJOR.MINOR") when it gave this result.
    calculator_version: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "calculator": self.calculator,
            "value": self.value,
            "outputs": self.outputs,
            "display": self.display,
            "warnings": self.warnings,
            "working": self.working,
            "references": self.references,
            "inputs": self.inputs,
            "version": versions(self.calculator_version),
        }

    def to_json(self) -> str:
        """Canonical JSON: the same bytes in CPython and in Pyodide, and never a NaN."""
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, allow_nan=False)


# "MAJOR.MINOR", each a whole number without leading zeros: "1.0", "2.13".
VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")


@dataclass(frozen=True)
class Change:
    """One dated entry in a calculator's change list, in a clinician's words.

    A change list records what a clinician would see differently (a figure, a threshold, a
    warning, a rounding or an input rule) and why, so an answer printed earlier can be told
    apart from one given today; a refactor that changes no output is not an entry. The first
    entry is version 1.0, "First published". MAJOR rises when the same inputs can give a
    different dose, score or category, or an input once accepted is refused or required;
    MINOR for any other change a clinician sees.
    """

    date: str  # ISO 8601, YYYY-MM-DD: the day of the commit that made the change
    version: str  # "MAJOR.MINOR"
    what: str
    why: str

    def __post_init__(self) -> None:
        if not ISO_DATE.match(self.date) or not _is_date(self.date):
            raise ValueError(f"change {self.version!r}: date {self.date!r} is not an ISO date (YYYY-MM-DD)")
        if not VERSION.match(self.version):
            raise ValueError(f"change dated {self.date}: version {self.version!r} is not MAJOR.MINOR, e.g. '1.0'")
        if not self.what.strip() or not self.why.strip():
            raise ValueError(f"change {self.version!r}: say what changed and why")

    @property
    def number(self) -> tuple[int, int]:
        """The version as numbers, so 1.10 sorts after 1.9."""
        major, minor = self.version.split(".")
        return int(major), int(minor)

    def describe(self) -> dict[str, str]:
        return {"date": self.date, "version": self.version, "what": self.what, "why": self.why}


def check_changes(calc_id: str, version: str, changes: tuple[Change, ...]) -> None:
    """Raise ``ValueError`` unless the list is dated in order, its versions rise and the last is ``version``.

    Checked when a calculator is declared, so a list that contradicts itself never ships.
    """
    if not changes:
        raise ValueError(
            f"calculator {calc_id!r}: list at least one change (the first: version 1.0, 'First published')"
        )
    for before, after in zip(changes, changes[1:]):
        if after.date < before.date:
            raise ValueError(
                f"calculator {calc_id!r}: changes must be in date order: {after.version} "
                f"({after.date}) is dated before {before.version} ({before.date})"
            )
        if after.number <= before.number:
            raise ValueError(
                f"calculator {calc_id!r}: versions must rise: {after.version} ({after.date}) "
                f"follows {before.version}"
            )
    if version != changes[-1].version:
        raise ValueError(
            f"calculator {calc_id!r}: version {version!r} is not its latest change's version "
            f"{changes[-1].version!r}"
        )


@dataclass(frozen=True)
class Calculator:
    """One calculator, declared once."""

    id: str
    title: str
    summary: str
    inputs: tuple[Input, ...]
    value: Output
    compute: ComputeFn
    references: tuple[str, ...]
    outputs: tuple[Output, ...] = ()
    example: Mapping[str, Any] = field(default_factory=dict)
    fallback: FallbackGrid | None = None
    notes: tuple[str, ...] = ()
    exports: tuple[Export, ...] = ()
    dose_rules: DoseRules | None = None
    # Outputs a clinician checks only on demand (intermediate values, the inputs as used): the
    # page shows them under "Details", so the answer itself comes first on a phone.
    details: tuple[str, ...] = ()
    # The evidence register entries (aihcalc/evidence.toml) its figures rest on: describe lists
    # them with their status, so any number can be traced to its source and how well it was checked.
    evidence: tuple[str, ...] = ()
    # The calculator's own version ("MAJOR.MINOR", that of its latest change) and its dated
    # change list (see Change), required of every declaration: every result names the version
    # that produced it.
    version: str = field(kw_only=True)
    changes: tuple[Change, ...] = field(kw_only=True)

    def __post_init__(self) -> None:
        unknown = set(self.details) - {o.name for o in self.outputs}
        if unknown:
            raise ValueError(f"calculator {self.id!r}: details names no output {sorted(unknown)}")
        names = [i.name for i in self.inputs]
        if len(set(names)) != len(names):
            raise ValueError(f"calculator {self.id!r}: duplicate input names")
        for item in self.inputs:
            for name, _ in item.applies_when:
                if name not in names[: names.index(item.name)]:
                    raise ValueError(
                        f"calculator {self.id!r}: {item.name!r} depends on {name!r}, "
                        "which must be an input declared before it"
                    )
        if not self.references:
            raise ValueError(f"calculator {self.id!r}: cite at least one reference")
        check_changes(self.id, self.version, self.changes)

    def input(self, name: str) -> Input:
        for item in self.inputs:
            if item.name == name:
                return item
        raise KeyError(name)

    def parse(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        known = {i.name for i in self.inputs}
        for name in raw:
            if name not in known:
                raise InputError(
                    name, f"is not an input of {self.id}; its inputs are {', '.join(sorted(known))}"
                )
        values: dict[str, Any] = {}
        for item in self.inputs:
            if not item.applies(values):
                values[item.name] = None if item.default is None else item.parse(item.default)
                continue
            supplied = raw.get(item.name)
            emptied = isinstance(supplied, str) and supplied.strip() == ""
            if supplied is None or emptied:
                if item.optional:
                    values[item.name] = None
                    continue
                if item.default is None or (emptied and item.is_choice):
                    # A choice left on "Choose…" is not made for the reader: it is asked for.
                    raise InputError(item.name, "is required")
                if emptied:
                    # A cleared field never hides the value used: say what to enter instead.
                    raise InputError(
                        item.name,
                        f"is empty: enter a value (the usual value is {_show_default(item)})",
                    )
                supplied = item.default
            values[item.name] = item.parse(supplied)
        return values

    def settled(self, raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, bool]]:
        """Each input's value and whether it applies, decided as ``parse`` decides, never raising.

        For forms and tests that need to know which fields apply before the inputs are all
        valid: a value that is missing, empty or does not parse counts as the input's default
        (or None), except that a choice sent empty counts as unmade (None), and an input that
        does not apply takes its default, as in ``parse``.
        """
        values: dict[str, Any] = {}
        applies: dict[str, bool] = {}
        for item in self.inputs:
            applies[item.name] = item.applies(values)
            supplied = raw.get(item.name) if applies[item.name] else None
            emptied = isinstance(supplied, str) and not supplied.strip()
            if emptied and item.is_choice:
                supplied = None  # a choice left unmade is not its default (as in ``parse``)
            elif supplied is None or emptied:
                supplied = item.default
            try:
                values[item.name] = None if supplied is None else item.parse(supplied)
            except InputError:
                values[item.name] = None
        return values, applies

    def applicable(self, raw: Mapping[str, Any]) -> dict[str, bool]:
        """Which inputs apply for these raw values (see ``settled``)."""
        return self.settled(raw)[1]

    def calculate(self, raw: Mapping[str, Any]) -> Result:
        values = self.parse(raw)
        work = Working()
        for item in self.inputs:
            if values[item.name] is None:
                continue
            for warning in item.input_warnings(values[item.name], raw.get(item.name)):
                work.warn(warning)
        outcome = self.compute(values, work)
        _check_finite(self.id, outcome.value)
        _check_finite(self.id, outcome.outputs)
        if self.dose_rules is not None:
            for warning in check_doses(self.id, self.dose_rules, values, outcome):
                work.warn(warning)
        display = {"value": display_value(outcome.value, self.value.unit)}
        for out in self.outputs:
            if out.name in outcome.outputs and not out.columns:
                display[out.name] = display_value(outcome.outputs[out.name], out.unit)
        display.update(outcome.display)
        return Result(
            calculator=self.id,
            value=outcome.value,
            outputs=dict(outcome.outputs),
            display=display,
            warnings=work.warnings,
            working=work.steps,
            references=list(self.references),
            inputs={k: _jsonable(v) for k, v in values.items()},
            calculator_version=self.version,
        )

    def export(self, name: str, raw: Mapping[str, Any]) -> tuple[Export, str]:
        """The result for these inputs rendered as the named file (``InputError`` on bad input)."""
        for item in self.exports:
            if item.name == name:
                return item, item.render(self.calculate(raw))
        raise KeyError(f"{self.id} has no export {name!r}")

    def describe(self) -> dict[str, Any]:
        """The declaration as JSON-ready data (for forms, reference pages and embedders)."""
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "summary": self.summary,
            "references": list(self.references),
            "value": _describe_output(self.value),
            "outputs": [_describe_output(o) for o in self.outputs],
            "details": list(self.details),
            "evidence": [_describe_evidence(entry) for entry in self.evidence],
            "exports": [{"name": e.name, "label": e.label, "filename": e.filename} for e in self.exports],
            "limits": (
                [limit.describe() for limit in self.dose_rules.limits] if self.dose_rules else []
            ),
            "inputs": [
                {
                    "name": i.name,
                    "label": i.label,
                    "kind": i.kind,
                    "unit": i.unit,
                    "allowed": list(i.allowed) if i.allowed else None,
                    "plausible": list(i.plausible) if i.plausible else None,
                    "choices": [
                        {"value": c.value, "label": c.label, "aliases": list(c.aliases)}
                        | ({"evidence": c.evidence} if c.evidence else {})
                        for c in i.choices
                    ],
                    "applies_when": {name: list(allowed) for name, allowed in i.applies_when},
                    "optional": i.optional,
                    "default": i.default,
                    "preselect": i.preselect,
                    "step": i.step,
                    "hint": i.hint,
                    "units": [i.unit] + [c.unit for c in i.conversions] if i.unit else [],
                }
                for i in self.inputs
            ],
            "changes": [change.describe() for change in self.changes],
        }


def _describe_output(out: Output) -> dict[str, Any]:
    return {
        "name": out.name,
        "label": out.label,
        "unit": out.unit,
        "columns": [list(c) for c in out.columns],
    }


def _show_default(item: Input) -> str:
    if isinstance(item.default, bool):
        return "yes" if item.default else "no"
    for choice in item.choices:
        if choice.value == item.default:
            return choice.label
    if isinstance(item.default, (int, float)):
        return f"{fmt_number(item.default)} {item.unit}".strip()
    return str(item.default)


def _or(words: tuple[str, ...]) -> str:
    """``a, b or c``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _parse_bool(name: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "yes", "1", "on"):
        return True
    if text in ("false", "no", "0", "off"):
        return False
    raise InputError(name, f"answer yes or no (you gave {raw!r})")


def _parse_date(name: str, raw: Any) -> str:
    if isinstance(raw, _dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, _dt.date):
        return raw.isoformat()
    text = str(raw).strip()
    try:
        if not ISO_DATE.match(text):
            raise ValueError(text)
        return _dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise InputError(name, f"type a date as year-month-day, e.g. 2026-01-05 (you typed {raw!r})") from None


def _is_date(text: str) -> bool:
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _check_finite(calc_id: str, value: Any) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ArithmeticError(f"{calc_id} produced a non-finite number: a calculator defect")
    if isinstance(value, Mapping):
        for item in value.values():
            _check_finite(calc_id, item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_finite(calc_id, item)


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and value == int(value) and abs(value) < 2**53:
        return int(value)
    return value


def _describe_evidence(entry_id: str) -> dict[str, Any]:
    from .evidence import get  # the register is read once, on first use

    entry = get(entry_id)
    return {
        "id": entry.id,
        "status": entry.status,
        "sources": list(entry.sources),
        "statement": entry.statement,
        "value": entry.value,
        **({"locator": entry.locator} if entry.locator else {}),
    }
