"""The decision-table engine: conditions, hit policies, inputs, every analyser message, the tables.

Broken tables live in tests/fixtures/tables/, one mistake each; the exact messages a contributor
reads are asserted here.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import pytest

import aihcalc
from aihcalc import InputError, decisions
from aihcalc.decisions import Column, RuleConflict, TableError, analyse, check, evaluate, parse_table
from aihcalc.spec import Choice, Input
from aihcalc.tables import load_table, table_ids, table_source

FIXTURES = Path(__file__).parent / "fixtures" / "tables"
SHIPPED = (
    "budesonide-eligibility",
    "child-pugh-class",
    "sard-ild-first-line",
    "second-line-choice",
    "thiopurine-phenotype",
    "transplant-referral",
    "treatment-response",
)


def table(rules: str, *, policy: str = "UNIQUE", inputs: str | None = None, outputs: str | None = None) -> str:
    """A small table's TOML: one number column x in [0, 10] and one output y unless told."""
    inputs = inputs if inputs is not None else '[[input]]\nname = "x"\ntype = "number"\ndomain = [0, 10]\n'
    outputs = outputs if outputs is not None else '[[output]]\nname = "y"\n'
    head = f'id = "t"\ntitle = "T"\nhit_policy = "{policy}"\n\n'
    return head + inputs + "\n" + outputs + "\n" + rules


def rule(cells: str, y: str = "a", note: str = "[@pape2022]") -> str:
    return f'[[rule]]\n{cells}\ny = "{y}"\nannotation = "{note}"\n\n'


# ---------------------------------------------------------------------------------------------
# Conditions: every operator and bracket, at and around every boundary
# ---------------------------------------------------------------------------------------------

X = Column("x", "x", "number", domain=(-100.0, 100.0))
CONDITIONS = [
    # (cell, [(value, matches)])
    ("< 2", [(1.999, True), (2, False), (2.001, False)]),
    ("<= 2", [(1.999, True), (2, True), (2.001, False)]),
    ("> 2", [(1.999, False), (2, False), (2.001, True)]),
    (">= 2", [(1.999, False), (2, True), (2.001, True)]),
    ("= 2", [(1.999, False), (2, True), (2.001, False)]),
    ("2", [(2, True), (2.5, False)]),
    (2, [(2, True), (2.5, False)]),
    (2.5, [(2.5, True), (2, False)]),
    ("[2..3]", [(1.999, False), (2, True), (2.5, True), (3, True), (3.001, False)]),
    ("(2..3]", [(2, False), (2.001, True), (3, True), (3.001, False)]),
    ("[2..3)", [(2, True), (2.999, True), (3, False)]),
    ("(2..3)", [(2, False), (2.5, True), (3, False)]),
    ("]2..3]", [(2, False), (3, True)]),  # DMN's own open-bracket spelling
    ("[2..3[", [(2, True), (3, False)]),
    ("[-1.5..-0.5]", [(-1.5, True), (-1, True), (-0.5, True), (0, False)]),
    ("<-1", [(-1.5, True), (-1, False)]),
    (">=1e1", [(9.99, False), (10, True)]),
    ("  <=   2  ", [(2, True)]),
    ("[2 .. 2]", [(2, True), (2.001, False)]),
    ("-", [(-100, True), (0, True), (100, True)]),
]


@pytest.mark.parametrize("cell,cases", CONDITIONS, ids=[str(c[0]) for c in CONDITIONS])
def test_numeric_conditions_and_their_boundaries(cell: Any, cases: list[tuple[float, bool]]) -> None:
    condition = decisions.parse_condition(X, cell)
    for value, expected in cases:
        assert condition.matches(value) is expected, f"{cell!r} at {value}"


@pytest.mark.parametrize(
    "cell,shown",
    [("<2", "< 2"), (">= 1.50", ">= 1.5"), ("[5 .. 6]", "[5..6]"), ("]2..3[", "(2..3)"), (7, "= 7"), ("-", "-")],
)
def test_conditions_are_shown_normalised(cell: Any, shown: str) -> None:
    assert decisions.parse_condition(X, cell).text == shown


BAD_NUMERIC = ["=< 5", "<< 5", "5..6", "[5..6", "[a..b]", "", "two", "< 5 mg", "[3..2]", "(2..2]", True]


@pytest.mark.parametrize("cell", BAD_NUMERIC)
def test_malformed_numeric_conditions_are_refused(cell: Any) -> None:
    with pytest.raises(ValueError) as caught:
        decisions.parse_condition(X, cell)
    assert "write" in str(caught.value)


TPMT = Column("tpmt", "TPMT", "choice", choices=("normal", "intermediate", "poor", "unknown"))
FLAG = Column("flag", "Flag", "boolean")


@pytest.mark.parametrize(
    "column,cell,accepts,refuses",
    [
        (TPMT, "intermediate, poor", {"intermediate", "poor"}, {"normal", "unknown"}),
        (TPMT, ["normal", "unknown"], {"normal", "unknown"}, {"poor"}),
        (TPMT, "poor", {"poor"}, {"normal"}),
        (TPMT, "-", {"normal", "poor"}, set()),
        (FLAG, True, {True}, {False}),
        (FLAG, "false", {False}, {True}),
        (FLAG, "-", {True, False}, set()),
    ],
)
def test_choice_and_boolean_conditions(column: Column, cell: Any, accepts: set[Any], refuses: set[Any]) -> None:
    condition = decisions.parse_condition(column, cell)
    assert all(condition.matches(v) for v in accepts)
    assert not any(condition.matches(v) for v in refuses)


@pytest.mark.parametrize(
    "column,cell,message",
    [
        (TPMT, "< 2", "'< 2' is a numeric condition, but tpmt is a choice column: list its values "
         "(normal, intermediate, poor, unknown) or write -"),
        (TPMT, "[1..2]", "'[1..2]' is a numeric condition, but tpmt is a choice column: list its values "
         "(normal, intermediate, poor, unknown) or write -"),
        (TPMT, "slow", "'slow' is not a choice of tpmt: use normal, intermediate, poor, unknown"),
        (TPMT, "normal,", "'normal,' is not a list of choices: write one or more of normal, intermediate, "
         "poor, unknown separated by commas, or -"),
        (FLAG, "< 1", "'< 1' is a numeric condition, but flag is a boolean column: write true, false or -"),
        (FLAG, "maybe", "'maybe' is not a boolean condition: write true, false or -"),
        (X, "intermediate", "'intermediate' is not a condition: write < 50, <= 50, > 50, >= 50, = 50, "
         "[a..b], (a..b], [a..b), (a..b), or - for any"),
    ],
)
def test_type_errors_say_what_to_write(column: Column, cell: Any, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        decisions.parse_condition(column, cell)
    assert str(caught.value) == message


# ---------------------------------------------------------------------------------------------
# Evaluation: hit policies and inputs
# ---------------------------------------------------------------------------------------------

OVERLAPPING = rule('x = "<= 5"', "low") + rule('x = ">= 5"', "high") + rule('x = "-"', "any")


@pytest.mark.parametrize(
    "policy,x,expected",
    [
        ("FIRST", 5, ["low"]),
        ("FIRST", 7, ["high"]),
        ("FIRST", 2, ["low"]),
        ("COLLECT", 5, ["low", "high", "any"]),
        ("COLLECT", 7, ["high", "any"]),
    ],
)
def test_hit_policies(policy: str, x: float, expected: list[str]) -> None:
    decision = evaluate(parse_table(table(OVERLAPPING, policy=policy)), {"x": x})
    assert [o["y"] for o in decision.outputs] == expected
    assert decision.output == {"y": expected[0]}


def test_unique_breaking_its_policy_at_run_time_is_a_table_defect() -> None:
    parsed = parse_table(table(OVERLAPPING, policy="UNIQUE"))
    with pytest.raises(RuleConflict) as caught:
        evaluate(parsed, {"x": 2})
    assert str(caught.value) == (
        "table 't': rules 1, 3 all match x = 2, which its UNIQUE hit policy forbids; the table "
        "needs fixing (run its analysis)"
    )
    with pytest.raises(RuleConflict, match="rules 1, 2, 3 all match x = 5"):
        evaluate(parsed, {"x": 5})


def test_any_accepts_overlaps_that_agree_and_refuses_others() -> None:
    agree = rule('x = "<= 5"', "same") + rule('x = ">= 5"', "same")
    assert evaluate(parse_table(table(agree, policy="ANY")), {"x": 5}).output == {"y": "same"}
    disagree = rule('x = "<= 5"', "a") + rule('x = ">= 5"', "b")
    with pytest.raises(RuleConflict):
        evaluate(parse_table(table(disagree, policy="ANY")), {"x": 5})


def test_no_matching_rule_gives_an_empty_decision() -> None:
    decision = evaluate(parse_table(table(rule('x = "< 2"'))), {"x": 3})
    assert decision.rules == () and decision.output is None and decision.outputs == []


def test_missing_outputs_are_none() -> None:
    parsed = parse_table(table(rule('x = "-"'), outputs='[[output]]\nname = "y"\n[[output]]\nname = "z"\n'))
    assert evaluate(parsed, {"x": 1}).output == {"y": "a", "z": None}


MIXED = table(
    rule('x = "-"\nc = "-"\nb = "-"'),
    inputs='[[input]]\nname = "x"\ntype = "number"\nunit = "mg"\ndomain = [0, 10]\ninteger = true\n'
    '[[input]]\nname = "c"\ntype = "choice"\nchoices = ["p", "q"]\n'
    '[[input]]\nname = "b"\ntype = "boolean"\n',
)
GOOD = {"x": 3, "c": "p", "b": False}


@pytest.mark.parametrize(
    "change,field,reason",
    [
        ({"x": 10.5}, "x", "10.5 mg is outside the table's domain [0..10] mg"),
        ({"x": -0.001}, "x", "-0.001 mg is outside the table's domain [0..10] mg"),
        ({"x": 2.5}, "x", "must be a whole number (got 2.5)"),
        ({"x": "abc"}, "x", "must be a number (got 'abc')"),
        ({"x": True}, "x", "must be a number (got True)"),
        ({"x": float("nan")}, "x", "must be a finite number"),
        ({"x": math.inf}, "x", "must be a finite number"),
        ({"x": None}, "x", "is required by decision table t"),
        ({"c": "r"}, "c", "must be one of p, q (got 'r')"),
        ({"c": 1}, "c", "must be one of p, q (got 1)"),
        ({"b": "perhaps"}, "b", "must be true or false (got 'perhaps')"),
        ({"z": 1}, "z", "is not an input of decision table t; its inputs are x, c, b"),
    ],
)
def test_bad_input_is_an_input_error_naming_it(change: dict[str, Any], field: str, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        evaluate(parse_table(MIXED), {**GOOD, **change})
    assert (caught.value.field, caught.value.reason) == (field, reason)


@pytest.mark.parametrize(
    "raw,typed",
    [({"x": 0}, 0), ({"x": 10}, 10), ({"x": "7"}, 7.0), ({"c": " Q "}, "q"), ({"b": "TRUE"}, True)],
)
def test_inputs_at_the_domain_ends_and_as_text_are_accepted(raw: dict[str, Any], typed: Any) -> None:
    decision = evaluate(parse_table(MIXED), {**GOOD, **raw})
    (name,) = raw
    assert decision.inputs[name] == typed


# The calculators' reading of the same columns, declared here independently of the engine.
CALCULATOR_INPUTS = {
    "x": Input("x", "x", "number", unit="mg", allowed=(0, 10), integer=True),
    "c": Input("c", "c", "choice", choices=(Choice("p", "p"), Choice("q", "q"))),
    "b": Input("b", "b", "boolean"),
}


@pytest.mark.parametrize(
    "name,raw",
    [
        *[("b", raw) for raw in (True, "TRUE", "yes", "No", " on ", "off", "1", "0", 1, 0, 1.0, "perhaps", "")],
        *[("x", raw) for raw in (7, "7", "7 mg", " 7mg ", "7 kg", "7,0", "1_0", "1e1", "11 mg", "2.5 mg", "abc")],
        *[("c", raw) for raw in ("p", " Q ", "P ", "r", 1, True)],
    ],
)
def test_table_inputs_accept_and_refuse_text_as_calculator_inputs_do(name: str, raw: Any) -> None:
    try:
        expected = CALCULATOR_INPUTS[name].parse(raw)
    except InputError:
        with pytest.raises(InputError) as caught:
            evaluate(parse_table(MIXED), {**GOOD, name: raw})
        assert caught.value.field == name
    else:
        assert evaluate(parse_table(MIXED), {**GOOD, name: raw}).inputs[name] == expected


def test_a_refusal_only_calculators_made_gives_their_reason() -> None:
    with pytest.raises(InputError) as caught:
        evaluate(parse_table(MIXED), {**GOOD, "x": "1_0"})
    assert caught.value.reason == "'_0' is not a unit this value can be given in: type it in mg"


# ---------------------------------------------------------------------------------------------
# Parsing: every problem at once, with the rule's line
# ---------------------------------------------------------------------------------------------


def test_rule_lines_come_from_the_text_and_follow_an_offset() -> None:
    text = table(rule('x = "< 5"') + rule('x = ">= 5"'))
    lines = decisions.header_lines(text, "rule")
    parsed = parse_table(text)
    assert [r.line for r in parsed.rules] == lines
    assert text.splitlines()[lines[1] - 1] == "[[rule]]"
    shifted = parse_table(text, line_offset=40)
    assert [r.line for r in shifted.rules] == [n + 40 for n in lines]


def test_a_dict_parses_like_toml_but_has_no_lines() -> None:
    import tomllib

    text = table(rule('x = "< 5"') + rule('x = ">= 5"'))
    from_dict = parse_table(tomllib.loads(text))
    assert [r.line for r in from_dict.rules] == [None, None]
    assert from_dict.rules[0].conditions == parse_table(text).rules[0].conditions


def test_header_scan_ignores_indentation_and_comments() -> None:
    text = 'a = 1\n  [[rule]]  # first\nb = 2\n[[ rule ]]\n[[rules]]\n'
    assert decisions.header_lines(text, "rule") == [2, 4]


def test_every_problem_is_reported_at_once() -> None:
    text = table(
        rule('x = "=< 5"') + rule('x = "[9..1]"') + rule('w = "1"'),
        policy="SOMETIMES",
    )
    with pytest.raises(TableError) as caught:
        parse_table(text)
    kinds = [f.kind for f in caught.value.findings]
    assert kinds == ["structure", "condition", "condition", "column"]
    assert [f.rules for f in caught.value.findings[1:]] == [(1,), (2,), (3,)]
    assert str(caught.value).count("\n") == 3


@pytest.mark.parametrize(
    "text,message",
    [
        ("id = 3\ntitle = 'x'\nhit_policy = 'FIRST'", "id 3 is missing or not a lowercase word"),
        ("id = 'x'\nhit_policy = 'FIRST'", "the table needs a title"),
        ("id = 'x'\ntitle = 'x'\nhit_policy = 'FIRST'", "the table has no input columns"),
        (table("", inputs='[[input]]\nname = "x"\ntype = "text"\n'), "type 'text' is unknown"),
        (table("", inputs='[[input]]\nname = "X"\ntype = "boolean"\n'), "must be a lowercase identifier"),
        (table("", inputs='[[input]]\nname = "x"\ntype = "number"\ndomain = [5, 1]\n'), "domain [5, 1] is empty"),
        (table("", inputs='[[input]]\nname = "x"\ntype = "choice"\n'), "a choice column needs choices"),
        (table("", inputs='[[input]]\nname = "x"\ntype = "choice"\nchoices = ["a, b"]\n'), "may not contain a comma"),
        (table("", inputs='[[input]]\nname = "x"\ntype = "boolean"\ndomain = [0, 1]\n'), "a boolean column takes no domain"),
        (table("", outputs='[[output]]\nname = "x"\n'), "the name is already an input"),
        (table('[[rule]]\nx = "-"\ny = "a"\nannotation = 3\n'), "annotation must be text in quotes"),
    ],
)
def test_structure_problems(text: str, message: str) -> None:
    with pytest.raises(TableError) as caught:
        parse_table(text)
    assert message in str(caught.value)


# ---------------------------------------------------------------------------------------------
# Broken fixtures: the exact message for each mistake
# ---------------------------------------------------------------------------------------------

BROKEN = {
    "toml-syntax": [
        "table 'toml-syntax': line 7: not valid TOML (Illegal character '\\n'): check the quotes, "
        "brackets and = signs",
    ],
    "unknown-hit-policy": [
        "table 'unknown-hit-policy': hit_policy 'PRIORITY' is missing or unknown: write one of "
        "UNIQUE, ANY, FIRST, COLLECT",
    ],
    "rules-typo": [
        "table 'rules-typo': unknown key 'rules' (did you mean [[rule]]?): a table has id, title, "
        "hit_policy, calculator, description, input, output, rule",
        "table 'rules-typo': the table has no rules: add [[rule]] sections",
    ],
    "number-without-domain": [
        "table 'number-without-domain': input 'alt': a number column needs domain = [min, max], "
        "the finite range of inputs the table answers (the calculator's accepted range)",
    ],
    "numeric-on-choice": [
        "table 'numeric-on-choice': rule 1 (line 13), tpmt: '< 2' is a numeric condition, but tpmt "
        "is a choice column: list its values (normal, intermediate, poor) or write -",
    ],
    "numeric-on-boolean": [
        "table 'numeric-on-boolean': rule 1 (line 12), cirrhosis: '>= 1' is a numeric condition, but "
        "cirrhosis is a boolean column: write true, false or -",
    ],
    "unknown-choice": [
        "table 'unknown-choice': rule 1 (line 13), tpmt: 'slow' is not a choice of tpmt: use normal, "
        "intermediate, poor",
    ],
    "malformed-condition": [
        "table 'malformed-condition': rule 1 (line 14), points: '=< 6' is not a condition: write "
        "< 50, <= 50, > 50, >= 50, = 50, [a..b], (a..b], [a..b), (a..b), or - for any",
    ],
    "empty-interval": [
        "table 'empty-interval': rule 2 (line 19), bilirubin: '[3..2]' is an empty interval: write "
        "the lower end first",
    ],
    "unknown-column": [
        "table 'unknown-column': rule 1 (line 14): 'weight' is not a column of this table (did you "
        "mean 'weight_kg'?); inputs are weight_kg, outputs are band",
    ],
    "undeclared-output": [
        "table 'undeclared-output': rule 1 (line 15), class: 'A/B' is not one of the declared "
        "values A, B, C",
    ],
    "gap-at-boundary": [
        "table 'gap-at-boundary': no rule matches bilirubin = 2, whatever the other inputs: add a "
        "rule or widen a condition; for example bilirubin = 2",
    ],
    "not-whole-numbers": [
        "table 'not-whole-numbers': no rule matches points in (6..7), whatever the other inputs: "
        "add a rule or widen a condition; for example points = 6.5",
        "table 'not-whole-numbers': no rule matches points in (9..10), whatever the other inputs: "
        "add a rule or widen a condition; for example points = 9.5",
    ],
    "overlap-at-boundary": [
        "table 'overlap-at-boundary': rules 1 (line 18) and 2 (line 24) both match; under UNIQUE "
        "exactly one rule may match: narrow one of them, or use FIRST; for example "
        "alt_over_uln = 1, igg_raised = false",
    ],
    "any-disagrees": [
        "table 'any-disagrees': rules 1 (line 14) and 2 (line 19) both match; under ANY overlapping "
        "rules must give the same answer: make them agree or narrow one; for example meld = 15",
    ],
    "shadowed-rule": [
        "table 'shadowed-rule': rule 3 (line 26) is never reached: every input it matches is taken "
        "by an earlier rule (1, 2); remove it, or move it above them",
    ],
    "uncovered-choice": [
        "table 'uncovered-choice': no rule accepts tpmt = unknown: add it to a rule's list, or "
        "write - for any; for example tpmt = unknown",
    ],
    "unmatchable-rule": [
        "table 'unmatchable-rule': rule 3 (line 24) matches no input: its condition '> 40' on meld "
        "leaves nothing of the domain whole numbers [6..40]; fix the condition or remove the rule",
    ],
    "uncited-rule": [
        "table 'uncited-rule': rule 2 (line 17) cites no source: end its annotation with [@key] "
        "(a key of the bibliography)",
    ],
}


def test_every_fixture_is_asserted() -> None:
    assert sorted(p.stem for p in FIXTURES.glob("*.toml")) == sorted(BROKEN)
    assert len(BROKEN) >= 10


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_table_messages(name: str) -> None:
    findings = check((FIXTURES / f"{name}.toml").read_text(encoding="utf-8"))
    assert [str(f) for f in findings] == BROKEN[name]


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_finding_points_at_its_rule_line(name: str) -> None:
    text = (FIXTURES / f"{name}.toml").read_text(encoding="utf-8")
    lines = text.splitlines()
    for finding in check(text):
        if finding.rules and finding.line:
            assert lines[finding.line - 1].strip() == "[[rule]]"
            assert finding.line == decisions.header_lines(text, "rule")[finding.rules[-1] - 1]


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_example_shows_the_problem(name: str) -> None:
    text = (FIXTURES / f"{name}.toml").read_text(encoding="utf-8")
    for finding in check(text):
        if finding.example is None:
            continue
        matched = decisions.matching_rules(parse_table(text), finding.example)
        if finding.kind in ("gap", "uncovered-choice"):
            assert matched == ()
        elif finding.kind == "overlap":
            assert set(finding.rules) <= set(matched)


# ---------------------------------------------------------------------------------------------
# Analysis details
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rules,gaps",
    [
        (rule('x = "< 2"') + rule('x = ">= 2"'), []),  # < 2 and >= 2 meet
        (rule('x = "<= 2"') + rule('x = "> 2"'), []),
        (rule('x = "< 2"') + rule('x = "> 2"'), ["x = 2"]),  # exactly 2 is left out
        (rule('x = "[0..2)"') + rule('x = "(2..10]"'), ["x = 2"]),
        (rule('x = "< 2"') + rule('x = "> 3"'), ["x in [2..3]"]),
        (rule('x = "(0..10]"'), ["x = 0"]),  # the domain's own end
        (rule('x = "[0..10)"'), ["x = 10"]),
        (rule('x = "= 5"'), ["x in [0..5)", "x in (5..10]"]),
    ],
)
def test_gaps_are_exact_at_boundaries(rules: str, gaps: list[str]) -> None:
    found = [f.message for f in analyse(parse_table(table(rules))) if f.kind == "gap"]
    assert [m.split("matches ")[1].split(",")[0] for m in found] == gaps


def test_gap_over_two_columns_is_described_in_both() -> None:
    text = table(
        rule('x = "< 5"\nc = "-"') + rule('x = ">= 5"\nc = "p"'),
        inputs='[[input]]\nname = "x"\ntype = "number"\ndomain = [0, 10]\n'
        '[[input]]\nname = "c"\ntype = "choice"\nchoices = ["p", "q", "r"]\n',
    )
    (gap,) = analyse(parse_table(text))
    assert gap.message == "no rule matches x in [5..10] and c = q, r: add a rule or widen a condition"
    assert gap.example == {"x": 5, "c": "q"}


def test_overlap_needs_unique_or_any() -> None:
    for policy, kinds in (("UNIQUE", ["overlap"] * 3), ("FIRST", ["shadowed"]), ("COLLECT", [])):
        assert [f.kind for f in analyse(parse_table(table(OVERLAPPING, policy=policy)))] == kinds


def test_too_many_combinations_is_reported_not_computed() -> None:
    cells = "".join(
        rule(f'x = "[{i}..{i + 1}{")" if i < 9 else "]"}"\nz = "-"') for i in range(10)
    ) + "".join(rule(f'x = "-"\nz = "[{i}..{i + 1}{")" if i < 9 else "]"}"') for i in range(10))
    text = table(
        cells,
        inputs='[[input]]\nname = "x"\ntype = "number"\ndomain = [0, 10]\n'
        '[[input]]\nname = "z"\ntype = "number"\ndomain = [0, 10]\n',
    )
    findings = analyse(parse_table(text), max_combinations=100)
    assert [f.kind for f in findings] == ["too-big"]
    assert str(findings[0]) == (
        "table 't': 441 combinations of input cells to check, more than the limit of 100: split "
        "the table, or use fewer distinct boundaries"
    )


def test_reports_are_capped() -> None:
    rules = "".join(rule(f'x = "= {i}"') for i in range(0, 11, 1))
    findings = analyse(parse_table(table(rules)), max_reports=3)
    gaps = [str(f) for f in findings if f.kind == "gap"]
    assert ["(0..1)" in gaps[0], "(1..2)" in gaps[1], "(2..3)" in gaps[2]] == [True] * 3
    assert gaps[3] == "table 't': and 7 more gaps in x: fix the ones above first"
    assert len(gaps) == 4


def test_cited_keys() -> None:
    text = "A [@pape2022], B [@a; @b, Table 4] and [@pape2022, p. 3]; not @c or [x]."
    assert decisions.cited_keys(text) == ["pape2022", "a", "b"]


# ---------------------------------------------------------------------------------------------
# The shipped tables
# ---------------------------------------------------------------------------------------------


def test_the_shipped_tables() -> None:
    assert tuple(table_ids()) == SHIPPED


@pytest.mark.parametrize("table_id", SHIPPED)
def test_shipped_tables_analyse_clean(table_id: str) -> None:
    assert check(table_source(table_id)) == []
    parsed = load_table(table_id)
    assert parsed.id == table_id
    assert all(r.line and table_source(table_id).splitlines()[r.line - 1] == "[[rule]]" for r in parsed.rules)


@pytest.mark.parametrize("table_id", SHIPPED)
def test_shipped_tables_cite_known_keys(table_id: str) -> None:
    from hooks.references import Bibliography

    bibliography = Bibliography.load(Path(__file__).resolve().parent.parent / "content" / "bibliography.yaml")
    for parsed_rule in load_table(table_id).rules:
        assert parsed_rule.citations() and not bibliography.missing(set(parsed_rule.citations()))


@pytest.mark.parametrize("table_id", SHIPPED)
def test_bound_calculators_exist(table_id: str) -> None:
    calculator = load_table(table_id).calculator
    if calculator is not None:
        assert aihcalc.get(calculator).id == calculator


def test_unknown_table() -> None:
    with pytest.raises(KeyError, match="no decision table 'nope'"):
        load_table("nope")


STATUSES = ("normal", "intermediate", "poor", "unknown")


@pytest.mark.parametrize("tpmt,nudt15", list(itertools.product(STATUSES, STATUSES)))
def test_thiopurine_phenotype_is_cpic(tpmt: str, nudt15: str) -> None:
    out = load_table("thiopurine-phenotype").evaluate({"tpmt": tpmt, "nudt15": nudt15}).output
    assert out is not None
    intermediate = (tpmt, nudt15).count("intermediate")
    if "poor" in (tpmt, nudt15):
        assert out["action"] == "avoid-thiopurine" and out["start_fraction"] is None
    elif intermediate == 2:
        assert (out["action"], out["fraction_low"], out["fraction_high"], out["start_fraction"]) == ("reduce", 0.2, 0.5, 0.25)
    elif intermediate == 1:
        assert (out["action"], out["fraction_low"], out["fraction_high"], out["start_fraction"]) == ("reduce", 0.3, 0.8, 0.5)
    else:
        assert (out["action"], out["start_fraction"]) == ("start", 1.0)


@pytest.mark.parametrize("points,cls", [(5, "A"), (6, "A"), (7, "B"), (9, "B"), (10, "C"), (15, "C")])
def test_child_pugh_class_at_every_edge(points: int, cls: str) -> None:
    assert load_table("child-pugh-class").evaluate({"points": points}).output["class"] == cls


@pytest.mark.parametrize("points", [4, 16, 6.5])
def test_child_pugh_class_refuses_impossible_points(points: float) -> None:
    with pytest.raises(InputError):
        load_table("child-pugh-class").evaluate({"points": points})


@pytest.mark.parametrize(
    "cirrhosis,acute,eligible",
    [(True, True, "not-eligible"), (True, False, "not-eligible"), (False, True, "not-eligible"), (False, False, "eligible")],
)
def test_budesonide_eligibility(cirrhosis: bool, acute: bool, eligible: str) -> None:
    out = load_table("budesonide-eligibility").evaluate({"cirrhosis": cirrhosis, "acute_severe": acute}).output
    assert out["budesonide"] == eligible
    assert (out["regimen"] is not None) == (eligible == "eligible")


@pytest.mark.parametrize(
    "decompensated,meld,acute,referrals",
    [
        (False, 16, False, ["none"]),
        (False, 17, False, ["assess"]),
        (True, 6, False, ["assess"]),
        (False, 40, True, ["assess", "urgent-assessment"]),
        (True, 17, True, ["assess", "assess", "urgent-assessment"]),
    ],
)
def test_transplant_referral_collects_every_trigger(decompensated: bool, meld: int, acute: bool, referrals: list[str]) -> None:
    decision = load_table("transplant-referral").evaluate(
        {"decompensated": decompensated, "meld": meld, "acute_severe_no_improvement": acute}
    )
    assert [o["referral"] for o in decision.outputs] == referrals


def test_transplant_meld_threshold_is_annotated_as_unverified() -> None:
    meld_rule = load_table("transplant-referral").rules[1]
    assert meld_rule.conditions["meld"].text == "> 16"
    assert "Unverified" in meld_rule.annotation and "[@tripathi2009]" in meld_rule.annotation


@pytest.mark.parametrize(
    "sard,glucocorticoids",
    [("systemic-sclerosis", "strong-against"), ("rheumatoid-arthritis", "conditional-for"),
     ("myositis", "conditional-for"), ("mctd", "conditional-for"), ("sjogren", "conditional-for")],
)
def test_sard_ild_lists_mycophenolate_and_the_glucocorticoid_advice(sard: str, glucocorticoids: str) -> None:
    outputs = load_table("sard-ild-first-line").evaluate({"sard": sard}).outputs
    assert outputs == [
        {"agent": "mycophenolate", "recommendation": "preferred"},
        {"agent": "glucocorticoids", "recommendation": glucocorticoids},
    ]
    assert not any("15 mg" in r.annotation for r in load_table("sard-ild-first-line").rules)


@pytest.mark.parametrize(
    "reason,options",
    [("azathioprine-intolerance", ["mycophenolate mofetil"]),
     ("insufficient-response", ["tacrolimus", "mycophenolate mofetil"])],
)
def test_second_line_options(reason: str, options: list[str]) -> None:
    outputs = load_table("second-line-choice").evaluate({"reason": reason}).outputs
    assert [o["option"] for o in outputs] == options


def test_possible_rules_with_unknown_inputs() -> None:
    table = load_table("treatment-response")
    unknown = {"alt_month6_over_uln": None, "igg_month6_over_uln": None}
    rules, certain = table.possible({"alt_fall_week4_percent": 30.0, **unknown})
    assert certain and [r.outputs["response"] for r in rules] == ["non-response"]
    rules, certain = table.possible({"alt_fall_week4_percent": 60.0, **unknown})
    assert not certain and len({r.outputs["response"] for r in rules}) == 2
    known = {"alt_fall_week4_percent": 60.0, "alt_month6_over_uln": 0.5, "igg_month6_over_uln": 0.9}
    assert table.possible(known) == (table.evaluate(known).rules, True)
