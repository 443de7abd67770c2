"""The analyser agrees with brute force on random small tables (hypothesis).

Tables get one to three columns over small domains: numbers in [0, 4] (real or whole) whose
conditions use boundaries on a half-unit grid (some outside the domain), choices of two or three
values, booleans. Brute force evaluates every point of a grid holding every boundary and a point
between each pair (steps of 0.25), which is exact for such conditions. Compared: whether a gap
exists, every overlapping pair (UNIQUE; ANY where answers differ), every rule never reached
(FIRST), every rule matching nothing; and each example the analyser gives must show its problem.

Brute force decides which rows match with its own reading of the table's cells (``cell_matches``:
"-", "< x", "<= x", "> x", ">= x", "= x", "[a..b)" with "[" or "]" closed and "(" or ")" open, a
list of choices, true or false), not with the module's matcher, so a fault in that matcher
cannot hide in both sides of a comparison.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aihcalc import decisions
from aihcalc.decisions import DecisionTable, analyse, evaluate, matching_rules, parse_table

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BOUNDARIES = [x / 2 for x in range(-2, 11)]  # -1 .. 5 in halves; the domain is [0, 4]
NUMBER_GRID = [x / 4 for x in range(0, 17)]
WHOLE_GRID = [0, 1, 2, 3, 4]


@st.composite
def columns(draw: Any) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 3))
    result = []
    for index in range(count):
        kind = draw(st.sampled_from(["number", "number", "choice", "boolean"]))
        column: dict[str, Any] = {"name": f"c{index}", "type": kind}
        if kind == "number":
            column["domain"] = [0, 4]
            column["integer"] = draw(st.booleans())
        elif kind == "choice":
            column["choices"] = ["p", "q", "r"][: draw(st.integers(2, 3))]
        result.append(column)
    return result


def number_cell(draw: Any) -> str:
    shape = draw(st.sampled_from(["any", "op", "op", "range", "range"]))
    if shape == "any":
        return "-"
    if shape == "op":
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "="]))
        return f"{op} {draw(st.sampled_from(BOUNDARIES))}"
    low, high = sorted(draw(st.lists(st.sampled_from(BOUNDARIES), min_size=2, max_size=2)))
    left = draw(st.sampled_from("[(")) if low < high else "["
    right = draw(st.sampled_from("])")) if low < high else "]"
    return f"{left}{low}..{high}{right}"


@st.composite
def tables(draw: Any) -> dict[str, Any]:
    cols = draw(columns())
    rules = []
    for _ in range(draw(st.integers(1, 4))):
        rule: dict[str, Any] = {"y": draw(st.sampled_from(["a", "b"])), "annotation": "[@k]"}
        for column in cols:
            if column["type"] == "number":
                rule[column["name"]] = number_cell(draw)
            elif column["type"] == "choice":
                picked = draw(st.lists(st.sampled_from(column["choices"]), min_size=1, unique=True))
                rule[column["name"]] = draw(st.sampled_from(["-", ", ".join(picked)]))
            else:
                rule[column["name"]] = draw(st.sampled_from(["-", True, False]))
        rules.append(rule)
    policy = draw(st.sampled_from(["UNIQUE", "ANY", "FIRST", "COLLECT"]))
    return {
        "id": "random",
        "title": "Random",
        "hit_policy": policy,
        "input": cols,
        "output": [{"name": "y"}],
        "rule": rules,
    }


def grid(table: DecisionTable) -> list[dict[str, Any]]:
    axes = []
    for column in table.inputs:
        if column.type == "number":
            axes.append(WHOLE_GRID if column.integer else NUMBER_GRID)
        else:
            axes.append(list(column.values()))
    names = [c.name for c in table.inputs]
    return [dict(zip(names, point)) for point in itertools.product(*axes)]


_OP = re.compile(r"(<=|>=|<|>|=) (-?[0-9.]+)")
_RANGE = re.compile(r"([\[(])(-?[0-9.]+)\.\.(-?[0-9.]+)([\])])")


def cell_matches(cell: Any, value: Any) -> bool:
    """Whether ``value`` meets one cell as the table's data writes it (see the module docstring)."""
    if cell == "-":
        return True
    if isinstance(cell, bool):
        return value is cell
    if match := _OP.fullmatch(cell):
        op, x = match.group(1), float(match.group(2))
        return {"<": value < x, "<=": value <= x, ">": value > x, ">=": value >= x, "=": value == x}[op]
    if match := _RANGE.fullmatch(cell):
        left, low, high, right = match.group(1), float(match.group(2)), float(match.group(3)), match.group(4)
        above = value >= low if left == "[" else value > low
        below = value <= high if right == "]" else value < high
        return above and below
    return value in [choice.strip() for choice in cell.split(",")]


def matches_by_hand(data: dict[str, Any], point: dict[str, Any]) -> tuple[int, ...]:
    """Numbers (from 1) of the rules of ``data`` that ``point`` meets, read from the cells."""
    names = [column["name"] for column in data["input"]]
    return tuple(
        number
        for number, rule in enumerate(data["rule"], start=1)
        if all(cell_matches(rule[name], point[name]) for name in names)
    )


def brute_force(data: dict[str, Any], table: DecisionTable) -> dict[str, Any]:
    hits = [matches_by_hand(data, point) for point in grid(table)]
    outputs = {r.number: r.outputs for r in table.rules}
    pairs = {
        (a, b)
        for matched in hits
        for a, b in itertools.combinations(matched, 2)
        if table.hit_policy == "UNIQUE" or outputs[a] != outputs[b]
    }
    ever = {n for matched in hits for n in matched}
    first = {matched[0] for matched in hits if matched}
    return {
        "gap": any(not matched for matched in hits),
        "pairs": pairs if table.hit_policy in ("UNIQUE", "ANY") else set(),
        "unmatchable": {r.number for r in table.rules} - ever,
        "shadowed": (ever - first) if table.hit_policy == "FIRST" else set(),
    }


def verdict(table: DecisionTable) -> dict[str, Any]:
    findings = analyse(table, max_reports=1000)
    kinds = {f.kind for f in findings}
    return {
        "gap": bool(kinds & {"gap", "uncovered-choice"}),
        "pairs": {f.rules for f in findings if f.kind == "overlap"},
        "unmatchable": {f.rules[0] for f in findings if f.kind == "unmatchable"},
        "shadowed": {f.rules[0] for f in findings if f.kind == "shadowed"},
    }


@SETTINGS
@given(tables())
def test_analyser_agrees_with_brute_force(data: dict[str, Any]) -> None:
    table = parse_table(data)
    assert verdict(table) == brute_force(data, table)


@SETTINGS
@given(tables())
def test_the_matcher_agrees_with_the_cells(data: dict[str, Any]) -> None:
    table = parse_table(data)
    for point in grid(table):
        assert matching_rules(table, point) == matches_by_hand(data, point), point


@SETTINGS
@given(tables())
def test_every_example_shows_its_problem(data: dict[str, Any]) -> None:
    table = parse_table(data)
    for finding in analyse(table, max_reports=1000):
        if finding.example is None:
            continue
        matched = matches_by_hand(data, finding.example)
        if finding.kind in ("gap", "uncovered-choice"):
            assert matched == (), finding
        elif finding.kind == "overlap":
            assert set(finding.rules) <= set(matched), finding


@SETTINGS
@given(tables())
def test_a_clean_verdict_means_the_policy_holds_everywhere(data: dict[str, Any]) -> None:
    table = parse_table(data)
    clean = not [f for f in analyse(table) if f.kind != "uncited"]
    for point in grid(table):
        matched = matches_by_hand(data, point)
        if clean:
            assert matched
            if table.hit_policy == "UNIQUE":
                assert len(matched) == 1
        if table.hit_policy in ("FIRST", "COLLECT") or len(matched) <= 1:
            decision = evaluate(table, point)
            expected = matched if table.hit_policy == "COLLECT" else matched[:1]
            assert tuple(r.number for r in decision.rules) == expected


@SETTINGS
@given(tables())
def test_parsing_the_toml_text_gives_the_same_table(data: dict[str, Any]) -> None:
    text = to_toml(data)
    from_text = parse_table(text)
    from_dict = parse_table(data)
    assert [r.conditions for r in from_text.rules] == [r.conditions for r in from_dict.rules]
    assert [r.line for r in from_text.rules] == decisions.header_lines(text, "rule")


def to_toml(data: dict[str, Any]) -> str:
    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, str):
            return '"' + v + '"'
        return str(v)

    lines = [f"{k} = {value(data[k])}" for k in ("id", "title", "hit_policy")]
    for section in ("input", "output", "rule"):
        for item in data[section]:
            lines += ["", f"[[{section}]]"] + [f"{k} = {value(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"


@SETTINGS
@given(tables())
def test_gap_descriptions_are_exact(data: dict[str, Any]) -> None:
    """Each described gap region holds only gaps, and the regions hold every gap (internals)."""
    table = parse_table(data)
    grid_ = decisions._Grid.of(table)
    walk = decisions._Walk(grid_)
    walk.run()
    regions = decisions._merge([decisions._widen_gap(grid_, walk, p) for p in walk.gaps], walk)
    covered = set()
    for region in regions:
        axes = [
            sorted(region[i]) if i in region else walk.live[i] for i in range(len(table.inputs))
        ]
        for cells in itertools.product(*axes):
            mask = walk.every_rule
            for column, cell in enumerate(cells):
                mask &= grid_.masks[column][cell]
            assert mask == 0, (region, cells)
            covered.add(cells)
    live_gaps = {
        cells
        for cells in itertools.product(*walk.live)
        if not _and(grid_, cells, walk.every_rule)
    }
    assert covered == live_gaps


def _and(grid_: Any, cells: tuple[int, ...], mask: int) -> int:
    for column, cell in enumerate(cells):
        mask &= grid_.masks[column][cell]
    return mask
