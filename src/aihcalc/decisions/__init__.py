"""Decision tables: guideline "if this, then that" rules as data, checked before anyone reads them.

A table has typed input columns (numbers with a declared domain and unit, choices, booleans),
output columns and rules whose cells are conditions (``< 50``, ``>= 1.5``, ``[2..3]``,
``(2..3]``, ``intermediate, poor``, ``-`` for any). The hit policy says what happens when
several rules match, with DMN's meaning (UNIQUE, ANY, FIRST, COLLECT).

Three things are done with a table, by the same code at build time and in the browser, each in
its own module: ``parse_table`` (parser, with conditions for one rule cell), ``evaluate``
(evaluate) and ``analyse`` (analyse); the dataclasses they share are in model, and how numbers
and citations are written in text. This
package re-exports the names its users import, so ``from aihcalc.decisions import X`` works
wherever X lives.

Standard library only (``tomllib`` is in CPython 3.11+ and in Pyodide).
"""

from __future__ import annotations

from .analyse import (
    DEFAULT_MAX_COMBINATIONS,
    DEFAULT_MAX_REPORTS,
    Cell,
    _Grid,
    _merge,
    _Walk,
    _widen_gap,
    analyse,
    check,
    column_cells,
    run_text,
)
from .evaluate import coerce_inputs, coerce_value, evaluate, matching_rules, possible
from .model import (
    ANNOTATION,
    ANY,
    COLUMN_TYPES,
    HIT_POLICIES,
    Column,
    ColumnType,
    Condition,
    Decision,
    DecisionTable,
    Finding,
    Interval,
    OutputColumn,
    Rule,
    RuleConflict,
    TableError,
)
from .conditions import CONDITION_HELP, parse_condition
from .parser import TABLE_KEYS, header_lines, parse_table
from .text import cited_keys, format_example, number_text

__all__ = [
    "ANY",
    "ANNOTATION",
    "COLUMN_TYPES",
    "CONDITION_HELP",
    "DEFAULT_MAX_COMBINATIONS",
    "DEFAULT_MAX_REPORTS",
    "HIT_POLICIES",
    "TABLE_KEYS",
    "Cell",
    "Column",
    "ColumnType",
    "Condition",
    "Decision",
    "DecisionTable",
    "Finding",
    "Interval",
    "OutputColumn",
    "Rule",
    "RuleConflict",
    "TableError",
    "analyse",
    "check",
    "cited_keys",
    "coerce_inputs",
    "coerce_value",
    "column_cells",
    "evaluate",
    "format_example",
    "header_lines",
    "matching_rules",
    "number_text",
    "parse_condition",
    "parse_table",
    "possible",
    "run_text",
]
