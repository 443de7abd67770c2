"""The model of a decision table: columns, conditions, rules and what evaluating one gives.

Only data and the meaning of a single cell (``Interval.contains``, ``Condition.matches``) live
here; reading tables, choosing among matching rules and analysing them live in their own modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, Mapping, Sequence

from ..spec import Choice, Input
from .text import cited_keys, format_example, number_text

ColumnType = Literal["number", "choice", "boolean"]

HIT_POLICIES: dict[str, str] = {
    "UNIQUE": "exactly one rule applies to any combination of inputs; the rules never overlap.",
    "ANY": "rules may overlap only where they give the same answer; any matching rule applies.",
    "FIRST": "the rules are read from the top; the first rule that matches applies.",
    "COLLECT": "every rule that matches applies; the answer lists them all, in table order.",
}
COLUMN_TYPES = ("number", "choice", "boolean")
ANNOTATION = "annotation"


@dataclass(frozen=True)
class Column:
    """An input column. Numbers carry a closed domain [min, max]: the inputs the table answers."""

    name: str
    label: str
    type: ColumnType
    unit: str = ""
    domain: tuple[float, float] | None = None
    integer: bool = False
    choices: tuple[str, ...] = ()
    line: int | None = None
    choice_labels: tuple[tuple[str, str], ...] = ()

    def values(self) -> tuple[Any, ...]:
        """The finite values of a choice or boolean column (numbers have none)."""
        if self.type == "boolean":
            return (True, False)
        return self.choices

    def label_of(self, value: Any) -> str:
        """How readers see a value: a choice's label if declared, yes/no for booleans."""
        if isinstance(value, bool):
            return "yes" if value else "no"
        return dict(self.choice_labels).get(value, str(value))

    @cached_property
    def as_input(self) -> Input:
        """The column as a calculator input: a table reads typed text as calculators read it."""
        if self.type == "number":
            return Input(
                self.name, self.label, "number", unit=self.unit, allowed=self.domain, integer=self.integer
            )
        if self.type == "choice":
            labels = dict(self.choice_labels)
            choices = tuple(Choice(c, labels.get(c, c)) for c in self.choices)
            return Input(self.name, self.label, "choice", choices=choices)
        return Input(self.name, self.label, "boolean")

    def domain_text(self) -> str:
        if self.domain is None:
            return ", ".join(str(v).lower() for v in self.values())
        low, high = self.domain
        whole = "whole numbers " if self.integer else ""
        return f"{whole}[{number_text(low)}..{number_text(high)}]"


@dataclass(frozen=True)
class OutputColumn:
    name: str
    label: str
    choices: tuple[str, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class Interval:
    """A numeric condition: an interval with open or closed ends (±inf for one-sided)."""

    low: float
    high: float
    low_closed: bool
    high_closed: bool

    def contains(self, x: float) -> bool:
        above = x > self.low or (self.low_closed and x == self.low)
        below = x < self.high or (self.high_closed and x == self.high)
        return above and below

    def is_empty(self) -> bool:
        if self.low == self.high:
            return not (self.low_closed and self.high_closed)
        return self.low > self.high


@dataclass(frozen=True)
class Condition:
    """One cell of a rule. ``text`` is the condition as shown to readers."""

    text: str
    any: bool = False
    interval: Interval | None = None
    values: frozenset[Any] = frozenset()

    def matches(self, value: Any) -> bool:
        if self.any:
            return True
        if self.interval is not None:
            return self.interval.contains(value)
        return value in self.values


ANY = Condition("-", any=True)


@dataclass(frozen=True)
class Rule:
    number: int  # 1-based, as readers count rows
    line: int | None
    conditions: Mapping[str, Condition]
    outputs: Mapping[str, Any]
    annotation: str = ""

    def where(self) -> str:
        return f"rule {self.number}" + (f" (line {self.line})" if self.line else "")

    def matches(self, values: Mapping[str, Any]) -> bool:
        return all(cond.matches(values[name]) for name, cond in self.conditions.items())

    def citations(self) -> list[str]:
        """The bibliography keys the annotation cites, in order, each once."""
        return cited_keys(self.annotation)


@dataclass(frozen=True)
class DecisionTable:
    id: str
    title: str
    hit_policy: str
    inputs: tuple[Column, ...]
    outputs: tuple[OutputColumn, ...]
    rules: tuple[Rule, ...]
    calculator: str | None = None
    description: str = ""
    origin: str = ""

    def input(self, name: str) -> Column:
        for column in self.inputs:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def hit_policy_text(self) -> str:
        return HIT_POLICIES[self.hit_policy]

    def evaluate(self, inputs: Mapping[str, Any]) -> Decision:
        from .evaluate import evaluate  # the evaluator reads this model: imported when used

        return evaluate(self, inputs)

    def possible(self, inputs: Mapping[str, Any]) -> tuple[tuple[Rule, ...], bool]:
        """The rules that can apply while some inputs are unknown (None), and whether for certain."""
        from .evaluate import possible

        return possible(self, inputs)


@dataclass(frozen=True)
class Decision:
    """The rules that apply to one input, in table order, as the hit policy chose them."""

    table: DecisionTable
    rules: tuple[Rule, ...]
    inputs: Mapping[str, Any] = field(default_factory=dict)

    @property
    def outputs(self) -> list[dict[str, Any]]:
        return [dict(rule.outputs) for rule in self.rules]

    @property
    def output(self) -> dict[str, Any] | None:
        """The answer of a single-hit table (UNIQUE, ANY, FIRST); None when no rule matched."""
        return dict(self.rules[0].outputs) if self.rules else None


@dataclass(frozen=True)
class Finding:
    """One problem in a table: what, where (rule and line), and an input that shows it."""

    kind: str
    table: str
    message: str
    line: int | None = None
    rules: tuple[int, ...] = ()
    example: Mapping[str, Any] | None = None

    def __str__(self) -> str:
        text = f"table {self.table!r}: {self.message}"
        if self.example:
            text += f"; for example {format_example(self.example)}"
        return text


class TableError(ValueError):
    """A table that cannot be used: every problem found, each naming the rule and its line."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        super().__init__("\n".join(str(f) for f in self.findings))


class RuleConflict(RuntimeError):
    """Several rules matched where the hit policy allows one: a defect of the table itself."""

