"""Reading a table: TOML text (or a loaded dict) into the model, every problem at once.

Each problem is a Finding naming the table, the rule and its line (``line_offset`` shifts lines
for a table inside a page) and what to write instead; a table with any problem is a TableError.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from typing import Any, Mapping

from .model import (
    ANNOTATION,
    ANY,
    COLUMN_TYPES,
    HIT_POLICIES,
    Column,
    Condition,
    DecisionTable,
    Finding,
    OutputColumn,
    Rule,
    TableError,
)
from .conditions import parse_condition
from .text import is_number, number_text

TABLE_KEYS = ("id", "title", "hit_policy", "calculator", "description", "input", "output", "rule")

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


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
            or not all(is_number(x) and math.isfinite(x) for x in domain)
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
                f"input {name!r}: domain [{number_text(low)}, {number_text(high)}] is empty: write the smaller "
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
