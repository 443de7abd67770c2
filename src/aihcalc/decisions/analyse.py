"""Analysing a table: gaps, overlaps, unreachable rules and uncovered choices, exactly.

The boundaries of every condition cut each column's domain into elementary cells (each boundary
point and each open interval between two of them); every input in one cell matches the same
rules, so checking one sample per cell, for every combination of cells, checks every input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from .model import Column, Condition, DecisionTable, Finding, Rule, TableError
from .parser import parse_table
from .text import CITATION, number_text, value_text

DEFAULT_MAX_COMBINATIONS = 100_000
DEFAULT_MAX_REPORTS = 5


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
            return f"= {value_text(self.sample)}"
        if self.point:
            return f"= {number_text(self.low)}"
        return f"in ({number_text(self.low)}..{number_text(self.high)})"


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
        return "= " + ", ".join(value_text(cells[i].sample) for i in sorted(indexes))
    parts = []
    for run in _runs(sorted(indexes)):
        first, last = cells[run[0]], cells[run[-1]]
        if len(run) == 1:
            parts.append(first.text())
            continue
        left = "[" if first.point else "("
        right = "]" if last.point else ")"
        parts.append(f"in {left}{number_text(first.low)}..{number_text(last.high)}{right}")
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
        if not CITATION.search(rule.annotation)
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


def _at(rule: Rule) -> str:
    return f" (line {rule.line})" if rule.line else ""



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

