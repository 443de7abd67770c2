"""Decision tables: guideline "if this, then that" rules as data, checked before anyone reads them.

A table has typed input columns (numbers with a declared domain and unit, choices, booleans),
output columns and rules whose cells are conditions (``< 50``, ``>= 1.5``, ``[2..3]``,
``(2..3]``, ``intermediate, poor``, ``-`` for any). The hit policy says what happens when
several rules match, with DMN's meaning (UNIQUE, ANY, FIRST, COLLECT).

Three things are done with a table, by the same code at build time and in the browser:

- ``parse_table``: from TOML text or a dict; every problem is collected (not just the first)
  and names the table, the rule and its line, and what to write instead.
- ``evaluate``: the rules that apply to one input; an input outside the declared domain or an
  unknown choice is an ``InputError`` naming the input, as for calculators.
- ``analyse``: gaps (inputs no rule matches, with an example), overlaps under UNIQUE (and ANY
  when the answers differ), rules never reached under FIRST, rules that match nothing, choices
  no rule accepts, rules that cite no source. Exact over numbers: the boundaries of every
  condition cut each column's domain into elementary cells (each boundary point and each open
  interval between two of them); every input in one cell matches the same rules, so checking
  one sample per cell, for every combination of cells, checks every input.

Standard library only (``tomllib`` is in CPython 3.11+ and in Pyodide).
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping, Sequence

from ..spec import InputError

ColumnType = Literal["number", "choice", "boolean"]

HIT_POLICIES: dict[str, str] = {
    "UNIQUE": "exactly one rule applies to any combination of inputs; the rules never overlap.",
    "ANY": "rules may overlap only where they give the same answer; any matching rule applies.",
    "FIRST": "the rules are read from the top; the first rule that matches applies.",
    "COLLECT": "every rule that matches applies; the answer lists them all, in table order.",
}
TABLE_KEYS = ("id", "title", "hit_policy", "calculator", "description", "input", "output", "rule")
COLUMN_TYPES = ("number", "choice", "boolean")
ANNOTATION = "annotation"
DEFAULT_MAX_COMBINATIONS = 100_000
DEFAULT_MAX_REPORTS = 5

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_NUM = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_COMPARE = re.compile(rf"^(<=|>=|<|>|=)?\s*({_NUM})$")
_RANGE = re.compile(rf"^([\[(\]])\s*({_NUM})\s*\.\.\s*({_NUM})\s*([\])\[])$")
_NUMERIC_LOOKING = re.compile(r"^\s*(?:[<>=]|[\[(\]]\s*[-+.\d])|^\s*[-+]?\.?\d")
_CITATION = re.compile(r"\[[^\[\]]*@[A-Za-z0-9_][^\[\]]*\]")
_CITED_KEY = re.compile(r"@([A-Za-z0-9_][A-Za-z0-9_:.\-]*)")
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")
CONDITION_HELP = (
    "write < 50, <= 50, > 50, >= 50, = 50, [a..b], (a..b], [a..b), (a..b), or - for any"
)


# ---------------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------------


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

    def domain_text(self) -> str:
        if self.domain is None:
            return ", ".join(str(v).lower() for v in self.values())
        low, high = self.domain
        whole = "whole numbers " if self.integer else ""
        return f"{whole}[{_num(low)}..{_num(high)}]"


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
        return evaluate(self, inputs)

    def possible(self, inputs: Mapping[str, Any]) -> tuple[tuple[Rule, ...], bool]:
        """The rules that can apply while some inputs are unknown (None), and whether for certain.

        With every input known this is ``evaluate`` (certain). Otherwise a rule applies for
        certain when its conditions on the known inputs hold and every unknown column is "any"
        in it: in a UNIQUE, gap-free table (its analysis checks both) no other rule can then
        apply. Failing that, every rule whose known conditions hold may still apply.
        """
        if all(value is not None for value in inputs.values()):
            return self.evaluate(inputs).rules, True
        known = {
            name: coerce_value(self.input(name), value)  # the column's domain check, as evaluate does
            for name, value in inputs.items()
            if value is not None
        }
        unknown = [name for name, value in inputs.items() if value is None]
        possible = tuple(
            rule
            for rule in self.rules
            if all(rule.conditions[name].matches(value) for name, value in known.items())
        )
        for rule in possible:
            if all(rule.conditions[name].any for name in unknown):
                return (rule,), True
        return possible, False


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


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------


def parse_table(
    source: str | Mapping[str, Any], *, origin: str = "", line_offset: int = 0
) -> DecisionTable:
    """A table from TOML text or an already-loaded dict; raises TableError listing every problem.

    ``origin`` (a path) goes into the table for its users' messages; ``line_offset`` is added to
    every line number, so a table inside a page reports page lines.
    """
    text = source if isinstance(source, str) else ""
    if isinstance(source, str):
        try:
            data: Mapping[str, Any] = tomllib.loads(source)
        except tomllib.TOMLDecodeError as exc:
            raise TableError([_toml_finding(source, exc, origin, line_offset)]) from None
    else:
        data = source
    if not isinstance(data, Mapping):
        raise TableError([Finding("structure", origin or "(no id)", "a table is a TOML document")])
    return _Parser(data, text, origin, line_offset).table()


def _toml_finding(text: str, exc: tomllib.TOMLDecodeError, origin: str, offset: int) -> Finding:
    match = _TOML_LINE.search(str(exc))
    line = int(match.group(1)) + offset if match else None
    if line is None and "(at end of document)" in str(exc):
        line = max(1, len(text.splitlines())) + offset
    found = re.search(r'^\s*id\s*=\s*"([^"]*)"', text, re.M)
    name = found.group(1) if found else (origin or "(no id)")
    reason = _TOML_LINE.sub("", str(exc)).replace("(at end of document)", "at the end").strip()
    where = f"line {line}: " if line else ""
    return Finding(
        "toml",
        name,
        f"{where}not valid TOML ({reason}): check the quotes, brackets and = signs",
        line=line,
    )


def header_lines(text: str, name: str) -> list[int]:
    """Line numbers of every ``[[name]]`` header: tomllib gives none, so the text is scanned."""
    pattern = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]\s*(?:#.*)?$")
    return [n for n, line in enumerate(text.splitlines(), start=1) if pattern.match(line)]


class _Parser:
    """Collects every problem of one table, then builds it (or raises them all)."""

    def __init__(self, data: Mapping[str, Any], text: str, origin: str, offset: int = 0) -> None:
        self.data = data
        self.origin = origin
        raw_id = data.get("id")
        self.name = raw_id if isinstance(raw_id, str) and raw_id else (origin or "(no id)")
        self.findings: list[Finding] = []
        self.text = text
        self.offset = offset
        self.lines = {
            key: [n + offset for n in header_lines(text, key)] for key in ("input", "output", "rule")
        }

    def problem(self, kind: str, message: str, line: int | None = None, rules: tuple[int, ...] = ()) -> None:
        self.findings.append(Finding(kind, self.name, message, line=line, rules=rules))

    def key_line(self, key: str) -> int | None:
        """The line of a top-level ``key = ...`` or ``[[key]]`` (before any section header)."""
        assignment = re.compile(rf"^\s*{re.escape(key)}\s*=")
        top_level = True
        for number, line in enumerate(self.text.splitlines(), start=1):
            if header_lines(line, key):
                return number + self.offset
            top_level = top_level and not line.lstrip().startswith("[")
            if top_level and assignment.match(line):
                return number + self.offset
        return None

    def _named(self) -> set[str]:
        """Every column name written in the table, valid or not (so one bad column is one error)."""
        names = {ANNOTATION}
        for key in ("input", "output"):
            raw = self.data.get(key)
            if isinstance(raw, list):
                names.update(str(x.get("name")) for x in raw if isinstance(x, dict))
        return names

    def line_of(self, section: str, index: int, count: int) -> int | None:
        lines = self.lines[section]
        return lines[index] if len(lines) == count else None

    def table(self) -> DecisionTable:
        self._top_level()
        inputs = self._inputs()
        outputs = self._outputs(inputs)
        rules = self._rules(inputs, outputs)
        if self.findings:
            raise TableError(self.findings)
        policy = str(self.data["hit_policy"]).upper()
        calculator = self.data.get("calculator")
        return DecisionTable(
            id=self.data["id"],
            title=self.data["title"],
            hit_policy=policy,
            inputs=tuple(inputs),
            outputs=tuple(outputs),
            rules=tuple(rules),
            calculator=calculator if isinstance(calculator, str) else None,
            description=str(self.data.get("description", "")),
            origin=self.origin,
        )

    # -- the table itself -----------------------------------------------------------------

    def _top_level(self) -> None:
        for key in self.data:
            if key not in TABLE_KEYS:
                hint = f" (did you mean [[{key[:-1]}]]?)" if key[:-1] in TABLE_KEYS else ""
                self.problem(
                    "structure",
                    f"unknown key {key!r}{hint}: a table has {', '.join(TABLE_KEYS)}",
                    self.key_line(key),
                )
        raw_id = self.data.get("id")
        if not isinstance(raw_id, str) or not _ID.match(raw_id):
            self.problem(
                "structure",
                f"id {raw_id!r} is missing or not a lowercase word: write id = \"my-table\" "
                "(letters, digits and hyphens)",
                self.key_line("id"),
            )
        if not isinstance(self.data.get("title"), str) or not self.data.get("title"):
            self.problem("structure", 'the table needs a title: write title = "..."', self.key_line("title"))
        policy = self.data.get("hit_policy")
        if not isinstance(policy, str) or policy.upper() not in HIT_POLICIES:
            self.problem(
                "structure",
                f"hit_policy {policy!r} is missing or unknown: write one of "
                f"{', '.join(HIT_POLICIES)}",
                self.key_line("hit_policy"),
            )
        for key in ("calculator", "description"):
            if key in self.data and not isinstance(self.data[key], str):
                self.problem("structure", f"{key} must be text in quotes", self.key_line(key))

    def _sections(self, key: str) -> list[Mapping[str, Any]]:
        raw = self.data.get(key, [])
        if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
            self.problem("structure", f"{key} must be a list of [[{key}]] sections")
            return []
        return raw

    # -- columns --------------------------------------------------------------------------

    def _inputs(self) -> list[Column]:
        sections = self._sections("input")
        if not sections and isinstance(self.data.get("input", []), list):
            self.problem("structure", "the table has no input columns: add [[input]] sections")
        columns: list[Column] = []
        for index, raw in enumerate(sections):
            line = self.line_of("input", index, len(sections))
            column = self._column(raw, index, line)
            if column is None:
                continue
            if any(c.name == column.name for c in columns):
                self.problem("column", f"input {column.name!r} is declared twice", line)
                continue
            columns.append(column)
        return columns

    def _column(self, raw: Mapping[str, Any], index: int, line: int | None) -> Column | None:
        name = raw.get("name")
        where = f"input {index + 1}" + (f" (line {line})" if line else "")
        if not isinstance(name, str) or not _NAME.match(name):
            self.problem(
                "column",
                f"{where}: name {name!r} must be a lowercase identifier such as alt_uln",
                line,
            )
            return None
        known = {"name", "label", "type", "unit", "domain", "integer", "choices", "labels"}
        for key in raw:
            if key not in known:
                self.problem(
                    "column", f"input {name!r}: unknown key {key!r}; use {', '.join(sorted(known))}", line
                )
        kind = raw.get("type")
        if kind not in COLUMN_TYPES:
            self.problem(
                "column",
                f"input {name!r}: type {kind!r} is unknown: write type = \"number\", "
                "\"choice\" or \"boolean\"",
                line,
            )
            return None
        label = str(raw.get("label", name.replace("_", " ")))
        if kind == "number":
            return self._number_column(raw, name, label, line)
        if kind == "choice":
            return self._choice_column(raw, name, label, line)
        for key in ("domain", "choices", "unit", "labels", "integer"):
            if key in raw:
                self.problem("column", f"input {name!r}: a boolean column takes no {key}", line)
        return Column(name, label, "boolean", line=line)

    def _number_column(
        self, raw: Mapping[str, Any], name: str, label: str, line: int | None
    ) -> Column | None:
        domain = raw.get("domain")
        if (
            not isinstance(domain, list)
            or len(domain) != 2
            or not all(_is_number(x) and math.isfinite(x) for x in domain)
        ):
            self.problem(
                "column",
                f"input {name!r}: a number column needs domain = [min, max], the finite range of "
                "inputs the table answers (the calculator's accepted range)",
                line,
            )
            return None
        low, high = float(domain[0]), float(domain[1])
        if low > high:
            self.problem(
                "column",
                f"input {name!r}: domain [{_num(low)}, {_num(high)}] is empty: write the smaller "
                "end first",
                line,
            )
            return None
        integer = raw.get("integer", False)
        if not isinstance(integer, bool):
            self.problem("column", f"input {name!r}: integer must be true or false", line)
            integer = False
        for key in ("choices", "labels"):
            if key in raw:
                self.problem("column", f"input {name!r}: a number column takes no {key}", line)
        return Column(name, label, "number", str(raw.get("unit", "")), (low, high), integer, line=line)

    def _choice_column(
        self, raw: Mapping[str, Any], name: str, label: str, line: int | None
    ) -> Column | None:
        choices = raw.get("choices")
        if (
            not isinstance(choices, list)
            or not choices
            or not all(isinstance(c, str) and c.strip() for c in choices)
        ):
            self.problem(
                "column",
                f'input {name!r}: a choice column needs choices = ["a", "b", ...]',
                line,
            )
            return None
        bad = [c for c in choices if "," in c or c.strip() != c or c == "-"]
        if bad:
            self.problem(
                "column",
                f"input {name!r}: choice {bad[0]!r} may not contain a comma, outer spaces, or be -",
                line,
            )
            return None
        if len(set(choices)) != len(choices):
            self.problem("column", f"input {name!r}: a choice is listed twice", line)
            return None
        for key in ("domain", "unit", "integer"):
            if key in raw:
                self.problem("column", f"input {name!r}: a choice column takes no {key}", line)
        labels = raw.get("labels", {})
        if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
            self.problem(
                "column", f'input {name!r}: labels must map choices to text: labels = {{ a = "A" }}', line
            )
            labels = {}
        for key in labels:
            if key not in choices:
                self.problem(
                    "column", f"input {name!r}: labels names {key!r}, which is not one of its choices", line
                )
        return Column(
            name, label, "choice", choices=tuple(choices), line=line,
            choice_labels=tuple((c, labels[c]) for c in choices if c in labels),
        )

    def _outputs(self, inputs: list[Column]) -> list[OutputColumn]:
        sections = self._sections("output")
        if not sections and isinstance(self.data.get("output", []), list):
            self.problem("structure", "the table has no output columns: add [[output]] sections")
        outputs: list[OutputColumn] = []
        taken = {c.name for c in inputs} | {ANNOTATION}
        for index, raw in enumerate(sections):
            line = self.line_of("output", index, len(sections))
            name = raw.get("name")
            if not isinstance(name, str) or not _NAME.match(name):
                self.problem(
                    "column", f"output {index + 1}: name {name!r} must be a lowercase identifier", line
                )
                continue
            if name in taken:
                self.problem(
                    "column",
                    f"output {name!r}: the name is already an input or 'annotation': rename it",
                    line,
                )
                continue
            taken.add(name)
            choices = raw.get("choices", [])
            if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
                self.problem("column", f"output {name!r}: choices must be a list of words", line)
                choices = []
            unknown = set(raw) - {"name", "label", "choices"}
            if unknown:
                self.problem(
                    "column",
                    f"output {name!r}: unknown key {sorted(unknown)[0]!r}; use name, label, choices",
                    line,
                )
            label = str(raw.get("label", name.replace("_", " ")))
            outputs.append(OutputColumn(name, label, tuple(choices), line))
        return outputs

    # -- rules ----------------------------------------------------------------------------

    def _rules(self, inputs: list[Column], outputs: list[OutputColumn]) -> list[Rule]:
        sections = self._sections("rule")
        if not sections and isinstance(self.data.get("rule", []), list):
            self.problem("structure", "the table has no rules: add [[rule]] sections")
        rules = []
        for index, raw in enumerate(sections):
            line = self.line_of("rule", index, len(sections))
            rules.append(self._rule(raw, index + 1, line, inputs, outputs))
        return rules

    def _rule(
        self,
        raw: Mapping[str, Any],
        number: int,
        line: int | None,
        inputs: list[Column],
        outputs: list[OutputColumn],
    ) -> Rule:
        where = f"rule {number}" + (f" (line {line})" if line else "")
        by_name = {c.name: c for c in inputs}
        out_by_name = {o.name: o for o in outputs}
        for key in raw:
            if key not in by_name and key not in out_by_name and key not in self._named():
                close = difflib.get_close_matches(key, [*by_name, *out_by_name, ANNOTATION], n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.problem(
                    "column",
                    f"{where}: {key!r} is not a column of this table{hint}; inputs are "
                    f"{', '.join(by_name) or 'none'}, outputs are {', '.join(out_by_name) or 'none'}",
                    line,
                    (number,),
                )
        conditions = {}
        for column in inputs:
            condition = self._condition(column, raw.get(column.name, "-"), where, line, number)
            conditions[column.name] = condition if condition is not None else ANY
        values = {}
        for out in outputs:
            value = raw.get(out.name)
            if value is not None and not isinstance(value, (str, int, float, bool)):
                self.problem(
                    "output",
                    f"{where}, {out.name}: an output is one value (text, number, true or false)",
                    line,
                    (number,),
                )
            elif out.choices and value is not None and value not in out.choices:
                self.problem(
                    "output",
                    f"{where}, {out.name}: {value!r} is not one of the declared values "
                    f"{', '.join(out.choices)}",
                    line,
                    (number,),
                )
            values[out.name] = value
        annotation = raw.get(ANNOTATION, "")
        if not isinstance(annotation, str):
            self.problem("structure", f"{where}: annotation must be text in quotes", line, (number,))
            annotation = ""
        return Rule(number, line, conditions, values, annotation.strip())

    def _condition(
        self, column: Column, raw: Any, where: str, line: int | None, number: int
    ) -> Condition | None:
        try:
            return parse_condition(column, raw)
        except ValueError as exc:
            kind = "type" if "column" in str(exc) or "is not a choice" in str(exc) else "condition"
            self.problem(kind, f"{where}, {column.name}: {exc}", line, (number,))
            return None


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
    if _is_number(raw):
        value = float(raw)
        return Condition(f"= {_num(value)}", interval=Interval(value, value, True, True))
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
        return Condition(f"{op} {_num(value)}", interval=interval)
    match = _RANGE.match(text)
    if match:
        left, low, high, right = match.groups()
        interval = Interval(float(low), float(high), left == "[", right == "]")
        if interval.is_empty():
            raise ValueError(f"{text!r} is an empty interval: write the lower end first")
        left, right = "[" if interval.low_closed else "(", "]" if interval.high_closed else ")"
        shown = f"{left}{_num(interval.low)}..{_num(interval.high)}{right}"
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


# ---------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------


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
    if column.type == "number":
        return _coerce_number(column, raw)
    if column.type == "boolean":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("true", "false"):
            return text == "true"
        raise InputError(column.name, f"must be true or false (got {raw!r})")
    text = raw.strip().lower() if isinstance(raw, str) else None
    if text not in column.choices:
        raise InputError(column.name, f"must be one of {', '.join(column.choices)} (got {raw!r})")
    return text


def _coerce_number(column: Column, raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise InputError(column.name, f"must be a number (got {raw!r})")
    try:
        value = float(raw)
    except (ValueError, OverflowError):
        raise InputError(column.name, f"must be a number (got {raw!r})") from None
    if not math.isfinite(value):
        raise InputError(column.name, "must be a finite number")
    assert column.domain is not None
    low, high = column.domain
    unit = f" {column.unit}" if column.unit else ""
    if not low <= value <= high:
        raise InputError(
            column.name,
            f"{_num(value)}{unit} is outside the table's domain [{_num(low)}..{_num(high)}]{unit}",
        )
    if column.integer and value != int(value):
        raise InputError(column.name, f"must be a whole number (got {_num(value)})")
    return value


# ---------------------------------------------------------------------------------------------
# Analysis
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """An elementary cell of one column: every value in it matches the same conditions.

    A number cell is a boundary point (``low == high``) or the open interval between two
    neighbouring boundaries; a choice or boolean cell is one value.
    """

    sample: Any
    low: float = 0.0
    high: float = 0.0
    point: bool = True

    def text(self) -> str:
        if isinstance(self.sample, (bool, str)):
            return f"= {_value_text(self.sample)}"
        if self.point:
            return f"= {_num(self.low)}"
        return f"in ({_num(self.low)}..{_num(self.high)})"


def column_cells(column: Column, conditions: Sequence[Condition]) -> list[Cell]:
    """The column's domain cut at every boundary of every condition (numbers), or its values."""
    if column.type != "number":
        return [Cell(value) for value in column.values()]
    assert column.domain is not None
    low, high = column.domain
    points = {low, high}
    for cond in conditions:
        if cond.interval is not None:
            points.update(p for p in (cond.interval.low, cond.interval.high) if low <= p <= high)
    ordered = sorted(points)
    cells: list[Cell] = []
    for index, point in enumerate(ordered):
        if not column.integer or point == int(point):
            cells.append(Cell(_clean(point), point, point, True))
        if index + 1 < len(ordered):
            sample = _between(point, ordered[index + 1], column.integer)
            if sample is not None:
                cells.append(Cell(sample, point, ordered[index + 1], False))
    return cells


def run_text(column: Column, cells: Sequence[Cell], indexes: Sequence[int]) -> str:
    """Cells of one column as a condition a reader knows: ``in [2..3)``, ``= 2``, ``= a, b``."""
    if column.type != "number":
        return "= " + ", ".join(_value_text(cells[i].sample) for i in sorted(indexes))
    parts = []
    for run in _runs(sorted(indexes)):
        first, last = cells[run[0]], cells[run[-1]]
        if len(run) == 1:
            parts.append(first.text())
            continue
        left = "[" if first.point else "("
        right = "]" if last.point else ")"
        parts.append(f"in {left}{_num(first.low)}..{_num(last.high)}{right}")
    return f" or {column.name} ".join(parts)


def _runs(indexes: Sequence[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


@dataclass
class _Grid:
    """Cells and rule masks of every column: bit i of a mask is set when rule i+1 matches."""

    table: DecisionTable
    cells: list[list[Cell]]
    masks: list[list[int]]

    @classmethod
    def of(cls, table: DecisionTable) -> _Grid:
        cells = [column_cells(c, [r.conditions[c.name] for r in table.rules]) for c in table.inputs]
        masks = [
            [_mask(table, column, cell) for cell in column_cells_]
            for column, column_cells_ in zip(table.inputs, cells)
        ]
        return cls(table, cells, masks)

    def live(self, column: int) -> list[int]:
        """Indexes of the cells some rule accepts (the others are reported on their own)."""
        return [i for i, mask in enumerate(self.masks[column]) if mask]

    def example(self, fixed: Mapping[int, int]) -> dict[str, Any]:
        example = {}
        for index, column in enumerate(self.table.inputs):
            cell = fixed[index] if index in fixed else (self.live(index) or [0])[0]
            example[column.name] = self.cells[index][cell].sample
        return example


def analyse(
    table: DecisionTable,
    *,
    max_combinations: int = DEFAULT_MAX_COMBINATIONS,
    max_reports: int = DEFAULT_MAX_REPORTS,
) -> list[Finding]:
    """Every logical problem of a parsed table; an empty list means it is complete and sound."""
    grid = _Grid.of(table)
    unmatchable = _unmatchable(grid)
    findings = _uncited(table) + [unmatchable[n] for n in sorted(unmatchable)]
    findings += _unaccepted_cells(grid, max_reports)
    total = math.prod(len(grid.live(i)) for i in range(len(table.inputs)))
    if total > max_combinations:
        findings.append(
            Finding(
                "too-big",
                table.id,
                f"{total} combinations of input cells to check, more than the limit of "
                f"{max_combinations}: split the table, or use fewer distinct boundaries",
            )
        )
        return findings
    walk = _Walk(grid)
    walk.run()
    findings += _gap_findings(grid, walk, max_reports)
    findings += _overlap_findings(grid, walk, max_reports)
    findings += _shadow_findings(table, walk, set(unmatchable))
    return findings


def check(source: str | Mapping[str, Any], *, origin: str = "", line_offset: int = 0) -> list[Finding]:
    """Parse and analyse in one go: the findings of either step (empty when the table is sound)."""
    try:
        table = parse_table(source, origin=origin, line_offset=line_offset)
    except TableError as exc:
        return exc.findings
    return analyse(table)


def matching_rules(table: DecisionTable, inputs: Mapping[str, Any]) -> tuple[int, ...]:
    """Numbers of every rule that matches, whatever the hit policy (for tests and tools)."""
    values = coerce_inputs(table, inputs)
    return tuple(r.number for r in table.rules if r.matches(values))


def _mask(table: DecisionTable, column: Column, cell: Cell) -> int:
    mask = 0
    for index, rule in enumerate(table.rules):
        if rule.conditions[column.name].matches(cell.sample):
            mask |= 1 << index
    return mask


def _uncited(table: DecisionTable) -> list[Finding]:
    return [
        Finding(
            "uncited",
            table.id,
            f"{rule.where()} cites no source: end its annotation with [@key] "
            "(a key of the bibliography)",
            line=rule.line,
            rules=(rule.number,),
        )
        for rule in table.rules
        if not _CITATION.search(rule.annotation)
    ]


def _unmatchable(grid: _Grid) -> dict[int, Finding]:
    """Rules with a condition that no value of its column's domain satisfies."""
    found: dict[int, Finding] = {}
    for index, rule in enumerate(grid.table.rules):
        for column, column_masks in zip(grid.table.inputs, grid.masks):
            if any(mask >> index & 1 for mask in column_masks):
                continue
            found[rule.number] = Finding(
                "unmatchable",
                grid.table.id,
                f"{rule.where()} matches no input: its condition "
                f"{rule.conditions[column.name].text!r} on {column.name} leaves nothing of the "
                f"domain {column.domain_text()}; fix the condition or remove the rule",
                line=rule.line,
                rules=(rule.number,),
            )
            break
    return found


def _unaccepted_cells(grid: _Grid, max_reports: int) -> list[Finding]:
    """Values of one column that no rule accepts, whatever the other inputs."""
    findings = []
    for index, column in enumerate(grid.table.inputs):
        dead = [i for i, mask in enumerate(grid.masks[index]) if not mask]
        if column.type == "number":
            runs = _runs(dead)
            for run in runs[:max_reports]:
                described = run_text(column, grid.cells[index], run)
                findings.append(
                    Finding(
                        "gap",
                        grid.table.id,
                        f"no rule matches {column.name} {described}, whatever the other inputs: "
                        "add a rule or widen a condition",
                        example=grid.example({index: run[0]}),
                    )
                )
            if len(runs) > max_reports:
                more = len(runs) - max_reports
                findings.append(
                    Finding(
                        "gap",
                        grid.table.id,
                        f"and {more} more gaps in {column.name}: fix the ones above first",
                    )
                )
            continue
        for cell in dead:
            findings.append(
                Finding(
                    "uncovered-choice",
                    grid.table.id,
                    f"no rule accepts {column.name} {grid.cells[index][cell].text()}: add it to a "
                    "rule's list, or write - for any",
                    example=grid.example({index: cell}),
                )
            )
    return findings


class _Walk:
    """Visits every combination of live cells once, depth first, pruning where no rule is left."""

    def __init__(self, grid: _Grid) -> None:
        self.grid = grid
        self.live = [grid.live(i) for i in range(len(grid.table.inputs))]
        self.every_rule = (1 << len(grid.table.rules)) - 1
        self.gaps: list[tuple[int, ...]] = []  # cell indexes of prefixes that leave no rule
        self.pairs: dict[tuple[int, int], tuple[int, ...]] = {}  # first example per overlap
        self.first_hits: set[int] = set()
        self.shadowers: dict[int, set[int]] = {}

    def run(self) -> None:
        if all(self.live):
            self._visit(0, self.every_rule, ())

    def _visit(self, depth: int, mask: int, chosen: tuple[int, ...]) -> None:
        if mask == 0:
            self.gaps.append(chosen)
            return
        if depth == len(self.live):
            self._leaf(mask, chosen)
            return
        masks = self.grid.masks[depth]
        for cell in self.live[depth]:
            self._visit(depth + 1, mask & masks[cell], chosen + (cell,))

    def _leaf(self, mask: int, chosen: tuple[int, ...]) -> None:
        hits = [i for i in range(len(self.grid.table.rules)) if mask >> i & 1]
        first = hits[0]
        self.first_hits.add(first)
        for position, index in enumerate(hits[1:], start=1):
            self.shadowers.setdefault(index, set()).add(first)
            for other in hits[:position]:
                self.pairs.setdefault((other, index), chosen)


Region = dict[int, frozenset[int]]  # column index -> cell indexes; a missing column means any


def _gap_findings(grid: _Grid, walk: _Walk, max_reports: int) -> list[Finding]:
    regions = _merge([_widen_gap(grid, walk, prefix) for prefix in walk.gaps], walk)
    findings = []
    for region in regions[:max_reports]:
        described = " and ".join(
            f"{grid.table.inputs[i].name} {run_text(grid.table.inputs[i], grid.cells[i], sorted(cells))}"
            for i, cells in sorted(region.items())
        )
        example = grid.example({i: min(cells) for i, cells in region.items()})
        findings.append(
            Finding(
                "gap",
                grid.table.id,
                f"no rule matches {described}: add a rule or widen a condition",
                example=example,
            )
        )
    if len(regions) > max_reports:
        more = len(regions) - max_reports
        findings.append(Finding("gap", grid.table.id, f"and {more} more gaps: fix the ones above first"))
    return findings


def _widen_gap(grid: _Grid, walk: _Walk, prefix: tuple[int, ...]) -> Region:
    """Drop every column whose value does not matter to the gap, for a shorter description."""
    region = {i: cell for i, cell in enumerate(prefix)}
    for index in sorted(region, reverse=True):
        others = walk.every_rule
        for other, cell in region.items():
            if other != index:
                others &= grid.masks[other][cell]
        whole_column = 0
        for cell in walk.live[index]:
            whole_column |= grid.masks[index][cell]
        if others & whole_column == 0:
            del region[index]
    return {i: frozenset({cell}) for i, cell in region.items()}


def _merge(regions: list[Region], walk: _Walk) -> list[Region]:
    """Join gap regions that differ in one column only: a run of cells reads as one interval."""
    changed = True
    while changed:
        changed = False
        columns = sorted({i for region in regions for i in region})
        for column in columns:
            grouped: dict[tuple[Any, ...], Region] = {}
            for region in regions:
                if column not in region:
                    key: tuple[Any, ...] = ("whole", tuple(sorted(region.items())))
                    grouped.setdefault(key, region)
                    continue
                key = tuple(sorted((i, c) for i, c in region.items() if i != column))
                if key in grouped:
                    grouped[key] = {**grouped[key], column: grouped[key][column] | region[column]}
                    changed = True
                else:
                    grouped[key] = dict(region)
            regions = list(grouped.values())
    for region in regions:
        for column in list(region):
            if region[column] >= frozenset(walk.live[column]):
                del region[column]
    unique: list[Region] = []
    for region in regions:
        if region not in unique:
            unique.append(region)
    return unique


def _overlap_findings(grid: _Grid, walk: _Walk, max_reports: int) -> list[Finding]:
    table = grid.table
    if table.hit_policy not in ("UNIQUE", "ANY"):
        return []
    findings = []
    for (i, j), chosen in sorted(walk.pairs.items()):
        a, b = table.rules[i], table.rules[j]
        if table.hit_policy == "ANY" and a.outputs == b.outputs:
            continue
        if table.hit_policy == "UNIQUE":
            why = "under UNIQUE exactly one rule may match: narrow one of them, or use FIRST"
        else:
            why = "under ANY overlapping rules must give the same answer: make them agree or narrow one"
        findings.append(
            Finding(
                "overlap",
                table.id,
                f"rules {a.number}{_at(a)} and {b.number}{_at(b)} both match; {why}",
                line=b.line,
                rules=(a.number, b.number),
                example=grid.example(dict(enumerate(chosen))),
            )
        )
    if len(findings) > max_reports:
        more = len(findings) - max_reports
        findings = findings[:max_reports] + [
            Finding("overlap", table.id, f"and {more} more overlapping pairs: fix the ones above first")
        ]
    return findings


def _shadow_findings(table: DecisionTable, walk: _Walk, unmatchable: set[int]) -> list[Finding]:
    if table.hit_policy != "FIRST":
        return []
    findings = []
    for index, rule in enumerate(table.rules):
        if index in walk.first_hits or rule.number in unmatchable or index not in walk.shadowers:
            continue
        earlier = ", ".join(str(table.rules[i].number) for i in sorted(walk.shadowers[index]))
        findings.append(
            Finding(
                "shadowed",
                table.id,
                f"{rule.where()} is never reached: every input it matches is taken by an earlier "
                f"rule ({earlier}); remove it, or move it above them",
                line=rule.line,
                rules=(rule.number,),
            )
        )
    return findings


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def cited_keys(text: str) -> list[str]:
    """Keys cited as [@key], [@a; @b] or [@key, Table 4], in order of first citation."""
    keys: list[str] = []
    for group in _CITATION.findall(text):
        for key in _CITED_KEY.findall(group):
            key = key.rstrip(".:")
            if key not in keys:
                keys.append(key)
    return keys


def format_example(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{name} = {_value_text(value)}" for name, value in values.items())


def number_text(value: float) -> str:
    """A number as tables write it: 2, 2.5, -1999900 (no float noise, no trailing zeros)."""
    return _num(value)


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _num(value)
    return str(value)


def _at(rule: Rule) -> str:
    return f" (line {rule.line})" if rule.line else ""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _num(value: float) -> str:
    """A number as written: 2, 2.5, -1999900; the shortest text that reads back the same."""
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _clean(value: float) -> int | float:
    return int(value) if value == int(value) and abs(value) < 1e15 else value


def _between(low: float, high: float, integer: bool) -> int | float | None:
    """A readable sample strictly between two boundaries (a whole number for integer columns)."""
    if integer:
        candidate = math.floor(low) + 1
        return candidate if candidate < high else None
    middle = (low + high) / 2
    for decimals in range(0, 7):
        candidate = round(middle, decimals)
        if low < candidate < high:
            return _clean(candidate)
    return middle if low < middle < high else None

