"""azathioprine-dose: worked examples, rounding boundaries, every TPMT × NUDT15 pair, bad input."""

from __future__ import annotations

import itertools
import json
import math

import pytest

import aihcalc
from aihcalc import InputError
from aihcalc.calculators.azathioprine import tablet_text

CALC = "azathioprine-dose"
STATUSES = ("normal", "intermediate", "poor", "unknown")


def run(
    weight: float, per_kg: float = 1, tpmt: str = "normal", nudt15: str = "normal", age: str = "adult"
):
    return aihcalc.calculate(
        CALC,
        {"age_group": age, "weight_kg": weight, "mg_per_kg": per_kg, "tpmt": tpmt, "nudt15": nudt15},
    )


# (weight kg, mg/kg/day, TPMT, NUDT15) → (target dose mg/day or None, tablets, why)
WORKED = [
    # Normal metabolisers: nearest multiple of 25 mg.
    (70, 1, "normal", "normal", 75, "1 × 50 mg + 1 × 25 mg", "70 → 75 (70/25 = 2.8 → 3)"),
    (60, 1, "normal", "normal", 50, "1 × 50 mg", "60 → 50 (2.4 → 2)"),
    (50, 1, "normal", "normal", 50, "1 × 50 mg", "exact"),
    (80, 1, "normal", "normal", 75, "1 × 50 mg + 1 × 25 mg", "80 → 75 (3.2 → 3)"),
    (90, 1, "normal", "normal", 100, "2 × 50 mg", "90 → 100 (3.6 → 4)"),
    (62.5, 1, "normal", "normal", 75, "1 × 50 mg + 1 × 25 mg", "tie 62.5 rounds up"),
    (62.4, 1, "normal", "normal", 50, "1 × 50 mg", "just below the tie"),
    (37.5, 1, "normal", "normal", 50, "1 × 50 mg", "tie 37.5 rounds up"),
    (60, 1.5, "normal", "normal", 100, "2 × 50 mg", "90 → 100"),
    (100, 2, "normal", "normal", 200, "4 × 50 mg", "at the 2 mg/kg ceiling exactly"),
    (300, 2, "normal", "normal", 600, "12 × 50 mg", "allowed maximum"),
    (40, 0.5, "normal", "normal", 25, "1 × 25 mg", "low per-kg figure"),
    # Ceiling: rounding up would exceed 2 mg/kg/day, so the next step down.
    (31, 2, "normal", "normal", 50, "1 × 50 mg", "62 → 50 by nearest"),
    (32, 2, "normal", "normal", 50, "1 × 50 mg", "64 → nearest 75 > 64 ceiling → 50"),
    (31.25, 2, "normal", "normal", 50, "1 × 50 mg", "tie 62.5 → 75 > ceiling → 50"),
    (37.5, 2, "normal", "normal", 75, "1 × 50 mg + 1 × 25 mg", "75 equals the ceiling"),
    (12.5, 1, "normal", "normal", 25, "1 × 25 mg", "tie 12.5 → 25 = 2 mg/kg"),
    (12.4, 1, "normal", "normal", None, None, "nearest multiple is 0 mg"),
    (10, 2, "normal", "normal", None, None, "one tablet is above 2 mg/kg/day"),
    (3, 0.5, "normal", "normal", None, None, "allowed minimum weight"),
    # Unknown status: computed as normal.
    (70, 1, "unknown", "unknown", 75, "1 × 50 mg + 1 × 25 mg", "as normal, with warnings"),
    # One intermediate gene: 50 % start, kept inside CPIC 30–80 % in whole tablets.
    (70, 1, "intermediate", "normal", 25, "1 × 25 mg", "35 → 25; range 21–56 → 25–50"),
    (80, 1, "intermediate", "normal", 50, "1 × 50 mg", "40 → 50; range 24–64 → 25–50"),
    (75, 1, "intermediate", "normal", 50, "1 × 50 mg", "tie 37.5 → 50; range 22.5–60"),
    (100, 2, "normal", "intermediate", 100, "2 × 50 mg", "200 × 0.5 = 100; range 75–150"),
    (60, 1, "intermediate", "normal", 25, "1 × 25 mg", "30 → 25; range 18–48 → 25–25"),
    (30, 1, "intermediate", "normal", None, None, "range 9–24 holds no 25 mg step"),
    # Both intermediate: 25 % start, inside CPIC 20–50 %.
    (100, 2, "intermediate", "intermediate", 50, "1 × 50 mg", "200 × 0.25 = 50; range 40–100"),
    (70, 1, "intermediate", "intermediate", 25, "1 × 25 mg", "17.5 → 25; range 14–35 → 25"),
    (50, 1, "intermediate", "intermediate", 25, "1 × 25 mg", "12.5 → 25 = 50 %"),
    (40, 1, "intermediate", "intermediate", None, None, "range 8–20 holds no 25 mg step"),
    # Poor: never started.
    (70, 1, "poor", "normal", None, None, "TPMT poor"),
    (70, 2, "normal", "poor", None, None, "NUDT15 poor"),
]


@pytest.mark.parametrize(
    "weight,per_kg,tpmt,nudt15,dose,tablets,why", WORKED, ids=[w[-1] for w in WORKED]
)
def test_worked_examples(weight, per_kg, tpmt, nudt15, dose, tablets, why):
    result = run(weight, per_kg, tpmt, nudt15)
    assert result.value == dose, why
    assert result.outputs["tablets"] == tablets
    if dose is not None:
        assert result.outputs["action"] == "start"
        assert result.outputs["dose_mg_per_kg"] == round(dose / weight, 2)
        assert dose <= 2 * weight
        assert result.display["value"] == f"{dose} mg/day"
        # The value is the target; the start is 50 mg/day (EASL 2015), or the target when smaller.
        start = min(50, dose)
        assert result.outputs["start_dose_mg"] == start
        assert result.outputs["start_tablets"] == tablet_text(start)
        if start < dose:
            assert result.outputs["plan"] == (
                f"Start at 50 mg/day, then raise to {dose} mg/day as the blood count and liver "
                "tests allow"
            )
        else:
            assert result.outputs["plan"] == f"Start at {dose} mg/day; this is also the target"
    else:
        assert result.outputs["action"] in ("avoid-thiopurine", "no-whole-tablet-dose")
        assert result.outputs["reason"]
        assert result.outputs["dose_mg_per_kg"] is None
        assert result.outputs["start_dose_mg"] is None
        assert result.outputs["start_tablets"] is None
        assert result.outputs["plan"] == ""


@pytest.mark.parametrize(
    "weight,per_kg,tpmt,nudt15,low,high",
    [
        (70, 1, "intermediate", "normal", 25, 50),
        (80, 1, "normal", "intermediate", 25, 50),
        (100, 2, "intermediate", "normal", 75, 150),
        (60, 1, "intermediate", "normal", 25, 25),
        (100, 2, "intermediate", "intermediate", 50, 100),
        (70, 1, "intermediate", "intermediate", 25, 25),
        (30, 1, "intermediate", "normal", None, None),
        (70, 1, "normal", "normal", None, None),
        (70, 1, "poor", "intermediate", None, None),
    ],
)
def test_cpic_range_in_whole_tablets(weight, per_kg, tpmt, nudt15, low, high):
    result = run(weight, per_kg, tpmt, nudt15)
    assert (result.outputs["range_low_mg"], result.outputs["range_high_mg"]) == (low, high)


def test_range_percent_stated():
    assert run(70, 1, "intermediate", "normal").outputs["range_percent"] == "30–80 %"
    assert run(70, 1, "intermediate", "intermediate").outputs["range_percent"] == "20–50 %"
    assert run(70, 1, "normal", "normal").outputs["range_percent"] is None


@pytest.mark.parametrize("tpmt,nudt15", list(itertools.product(STATUSES, STATUSES)))
def test_every_phenotype_pair(tpmt, nudt15):
    result = run(100, 2, tpmt, nudt15)  # normal dose 200 mg
    text = " ".join(result.warnings)
    if "poor" in (tpmt, nudt15):
        assert result.value is None
        assert result.outputs["action"] == "avoid-thiopurine"
        assert "non-thiopurine alternative" in result.outputs["reason"]
        assert result.display["value"] == "do not start"
        assert any(w.startswith("Do not start azathioprine") for w in result.warnings)
        return
    n_intermediate = (tpmt, nudt15).count("intermediate")
    expected = {0: 200, 1: 100, 2: 50}[n_intermediate]
    assert result.value == expected
    assert result.outputs["phenotype_factor"] == {0: 1.0, 1: 0.5, 2: 0.25}[n_intermediate]
    assert result.outputs["action"] == "start"
    if n_intermediate:
        lo, hi = {1: (0.3, 0.8), 2: (0.2, 0.5)}[n_intermediate]
        assert lo * 200 <= result.value <= hi * 200
        assert "this calculator's choice" in text
    assert ("TPMT status unknown" in text) == (tpmt == "unknown")
    assert ("NUDT15 status unknown" in text) == (nudt15 == "unknown")
    assert ("not checked against CPIC's NUDT15 table" in text) == (nudt15 == "intermediate")
    assert ("narrows to 20–50 %" in text) == (
        "intermediate" in (tpmt, nudt15) and "unknown" in (tpmt, nudt15)
    )


def test_both_poor_names_both_genes():
    result = run(70, 1, "poor", "poor")
    assert "TPMT and NUDT15 poor" in result.outputs["reason"]
    assert "NUDT15 table" in " ".join(result.warnings)


def test_defaults_are_one_mg_per_kg_and_unknown_status():
    result = aihcalc.calculate(CALC, {"age_group": "adult", "weight_kg": 70})
    assert result.value == 75
    assert result.inputs == {
        "age_group": "adult", "weight_kg": 70, "mg_per_kg": 1, "tpmt": "unknown", "nudt15": "unknown"
    }
    assert any("TPMT status unknown" in w for w in result.warnings)
    assert "not tested" in result.outputs["reason"]


def test_below_one_mg_per_kg_is_allowed_with_warning():
    result = run(80, 0.5)
    assert result.value == 50
    assert any("below the 1–2 mg/kg/day range" in w for w in result.warnings)
    assert not any("below the 1–2" in w for w in run(100, 1).warnings)


def test_rounding_below_range_points_to_next_step():
    warnings = " ".join(run(60, 1).warnings)
    assert "0.83 mg/kg/day" in warnings and "75 mg/day (1.25 mg/kg/day)" in warnings


@pytest.mark.parametrize("weight", [25, 29.9, 200.1, 250])
def test_implausible_weight_warns(weight):
    assert any("outside the usual range" in w for w in run(weight, 1).warnings)


def test_working_shows_each_step():
    working = run(70, 1, "intermediate", "normal").working
    assert working[0].startswith("Normal dose: 70 kg × 1 mg/kg/day = 70 mg/day")
    assert any("70 mg × 0.5 = 35 mg/day" in s for s in working)
    assert any("21–56 mg/day" in s and "25–50 mg/day" in s for s in working)
    assert any(s.startswith("Rounding:") and "→ 25 mg/day" in s for s in working)


@pytest.mark.parametrize(
    "dose,text",
    [(25, "1 × 25 mg"), (50, "1 × 50 mg"), (75, "1 × 50 mg + 1 × 25 mg"), (150, "3 × 50 mg"),
     (175, "3 × 50 mg + 1 × 25 mg")],
)
def test_tablet_text(dose, text):
    assert tablet_text(dose) == text


@pytest.mark.parametrize("dose", [0, -25, 30])
def test_tablet_text_rejects_non_tablet_doses(dose):
    with pytest.raises(ValueError):
        tablet_text(dose)


BAD = [
    ({"weight_kg": float("nan")}, "weight_kg"),
    ({"weight_kg": float("inf")}, "weight_kg"),
    ({"weight_kg": "nan"}, "weight_kg"),
    ({"weight_kg": "inf"}, "weight_kg"),
    ({"weight_kg": -70}, "weight_kg"),
    ({"weight_kg": 0}, "weight_kg"),
    ({"weight_kg": 2.9}, "weight_kg"),
    ({"weight_kg": 300.1}, "weight_kg"),
    ({"weight_kg": "seventy"}, "weight_kg"),
    ({"weight_kg": "70 lb"}, "weight_kg"),
    ({"weight_kg": "7,5"}, "weight_kg"),
    ({"weight_kg": True}, "weight_kg"),
    ({}, "weight_kg"),
    ({"weight_kg": ""}, "weight_kg"),
    ({"weight_kg": 70, "mg_per_kg": 0.49}, "mg_per_kg"),
    ({"weight_kg": 70, "mg_per_kg": 2.01}, "mg_per_kg"),
    ({"weight_kg": 70, "mg_per_kg": float("nan")}, "mg_per_kg"),
    ({"weight_kg": 70, "mg_per_kg": "-1"}, "mg_per_kg"),
    ({"weight_kg": 70, "tpmt": "low"}, "tpmt"),
    ({"weight_kg": 70, "tpmt": True}, "tpmt"),
    ({"weight_kg": 70, "nudt15": "rapid"}, "nudt15"),
    ({"weight_kg": 70, "weight": 70}, "weight"),
]


@pytest.mark.parametrize("inputs,field", BAD)
def test_bad_input_names_the_field(inputs, field):
    with pytest.raises(InputError) as caught:
        aihcalc.calculate(CALC, {"age_group": "adult", **inputs})
    assert caught.value.field == field


@pytest.mark.parametrize(
    "age,reason",
    [
        (None, "is required"),
        ("", "is required"),
        ("elderly", "choose one of: Adult (18 years or older); Child or adolescent (under 18) (typed as adult or child"),
        (True, "choose one of: Adult (18 years or older); Child or adolescent (under 18) (typed as adult or child"),
    ],
)
def test_age_group_is_required_with_no_default(age, reason):
    inputs = {"weight_kg": 70, "tpmt": "normal", "nudt15": "normal"}
    if age is not None:
        inputs["age_group"] = age
    with pytest.raises(InputError) as caught:
        aihcalc.calculate(CALC, inputs)
    assert caught.value.field == "age_group"
    assert reason in caught.value.reason


@pytest.mark.parametrize("tpmt,nudt15", [("normal", "normal"), ("intermediate", "normal")])
def test_child_is_dosed_but_flagged(tpmt, nudt15):
    """Azathioprine does not refuse a child (the CPIC rules are the same): it warns instead."""
    adult = run(40, 1, tpmt, nudt15)
    child = run(40, 1, tpmt, nudt15, age="child")
    assert child.value == adult.value and child.value is not None
    # The same target; but a child never gets the adult 50 mg/day start: 0.5 mg/kg/day instead.
    same = {k: v for k, v in adult.outputs.items() if k not in ("start_dose_mg", "start_tablets", "plan")}
    assert {k: child.outputs[k] for k in same} == same
    assert child.outputs["start_dose_mg"] is None and child.outputs["start_tablets"] is None
    assert child.outputs["plan"] == (
        f"Start low, at about 20 mg/day (0.5 mg/kg/day, children), and raise towards "
        f"{child.value} mg/day with a paediatric hepatologist"
    )
    flags = [w for w in child.warnings if w.startswith("Child or adolescent:")]
    assert len(flags) == 1
    assert "0.5 mg/kg/day" in flags[0] and "2–2.5 mg/kg/day" in flags[0]
    assert "paediatric hepatologist" in flags[0]
    assert not any(w.startswith("Child or adolescent:") for w in adult.warnings)
    assert not any(w.startswith("Starting dose") for w in child.warnings)


@pytest.mark.parametrize("alias", ["paediatric", "Pediatric", "under 18", "CHILDREN"])
def test_age_group_aliases(alias):
    result = run(40, 1, age=alias)
    assert result.inputs["age_group"] == "child"
    assert result.warnings[0].startswith("Child or adolescent:")


def test_child_poor_metaboliser_is_still_not_started():
    result = run(40, 1, "poor", "normal", age="child")
    assert result.value is None and result.outputs["action"] == "avoid-thiopurine"
    assert result.warnings[0].startswith("Child or adolescent:")
    assert result.warnings[1].startswith("Do not start azathioprine")


@pytest.mark.parametrize(
    "weight,per_kg,tpmt,target",
    [(70, 1, "normal", 75), (90, 1, "normal", 100), (100, 2, "normal", 200), (100, 2, "intermediate", 100)],
)
def test_start_below_target_is_a_warning_and_a_plan(weight, per_kg, tpmt, target):
    result = run(weight, per_kg, tpmt)
    assert result.value == target
    assert result.outputs["start_dose_mg"] == 50
    assert result.outputs["start_tablets"] == "1 × 50 mg"
    starts = [w for w in result.warnings if w.startswith("Starting dose ")]
    assert starts == [
        f"Starting dose 50 mg/day, target {target} mg/day: EASL 2015 starts at 50 mg/day and "
        "raises the dose to 1–2 mg/kg/day [easl2015]. That start comes from a secondary source, "
        "not verified against the guideline text; raise the dose by the blood count."
    ]
    assert any(s.startswith(f"Start: 50 mg/day first, raised to the target of {target}") for s in result.working)


@pytest.mark.parametrize("weight,per_kg,tpmt,target", [(50, 1, "normal", 50), (70, 1, "intermediate", 25)])
def test_no_start_warning_when_the_target_is_50_mg_or_less(weight, per_kg, tpmt, target):
    result = run(weight, per_kg, tpmt)
    assert result.value == target == result.outputs["start_dose_mg"]
    assert not any(w.startswith("Starting dose ") for w in result.warnings)
    assert result.outputs["plan"] == f"Start at {target} mg/day; this is also the target"


@pytest.mark.parametrize(
    "weight,per_kg,target,above",
    [(75, 2, 150, False), (80, 2, 150, False), (90, 2, 175, True), (300, 2, 600, True), (100, 2, 200, True)],
)
def test_above_150_mg_names_the_studied_maximum(weight, per_kg, target, above):
    result = run(weight, per_kg)
    assert result.value == target
    flagged = [w for w in result.warnings if w.startswith("Above the largest dose the sources used:")]
    if not above:
        assert flagged == []
        return
    assert flagged == [
        f"Above the largest dose the sources used: target dose, {target} mg/day, is more than "
        "150 mg/day, the highest in AASLD 2019 (50–150 mg/day) [mack2020] (unverified). That "
        "range was seen only in secondary sources, not in the guideline text. Check the weight "
        "and decide the dose with the specialist team."
    ]


@pytest.mark.parametrize(
    "tpmt,nudt15,reason",
    [
        ("normal", "normal", "Target dose for normal TPMT and NUDT15."),
        ("intermediate", "normal", "Reduced target dose (CPIC)."),
        ("intermediate", "intermediate", "Reduced target dose (CPIC)."),
        (
            "unknown", "normal",
            "Target dose for normal TPMT and NUDT15. TPMT not tested: assumed normal (see the warnings).",
        ),
        (
            "unknown", "unknown",
            "Target dose for normal TPMT and NUDT15. TPMT and NUDT15 not tested: assumed normal "
            "(see the warnings).",
        ),
    ],
)
def test_reason_text(tpmt, nudt15, reason):
    assert run(100, 2, tpmt, nudt15).outputs["reason"] == reason


def test_value_label_is_the_target():
    calc = aihcalc.get(CALC)
    assert calc.value.label == "Target daily azathioprine dose"
    names = [o.name for o in calc.outputs]
    assert {"start_dose_mg", "start_tablets", "plan"} <= set(names)


def test_text_inputs_with_units_and_case():
    result = aihcalc.calculate(
        CALC,
        {
            "age_group": " Adult ",
            "weight_kg": " 70 kg ",
            "mg_per_kg": "1 mg/kg/day",
            "tpmt": "NORMAL",
            "nudt15": "Normal",
        },
    )
    assert result.value == 75


def test_json_is_canonical_and_finite():
    for tpmt in STATUSES:
        data = json.loads(run(70, 1, tpmt, "normal").to_json())
        assert set(data) >= {"value", "outputs", "warnings", "working", "references"}
        for value in data["outputs"].values():
            assert not (isinstance(value, float) and not math.isfinite(value))


def test_declaration():
    calc = aihcalc.get(CALC)
    assert [i.name for i in calc.inputs] == ["age_group", "weight_kg", "mg_per_kg", "tpmt", "nudt15"]
    age = calc.input("age_group")
    assert age.kind == "choice" and age.default is None and age.choice_values == ("adult", "child")
    assert calc.example["age_group"] == "adult"
    for name in ("tpmt", "nudt15"):
        assert calc.input(name).choice_values == STATUSES
    assert "relling2019" in calc.references and "manns2010budesonide" in calc.references
    assert calc.calculate(calc.example).value == 75
    grid = calc.fallback
    assert grid is not None and grid.rows == "weight_kg" and grid.columns == "tpmt"
    cells = {
        (w, t): calc.calculate({**calc.example, **grid.fixed, "weight_kg": w, "tpmt": t})
        for w in grid.row_values
        for t in grid.column_values
    }
    assert all(cells[(w, "poor")].display["value"] == "do not start" for w in grid.row_values)
    assert [cells[(w, "normal")].value for w in grid.row_values] == [
        50, 50, 50, 75, 75, 100, 100, 100, 125
    ]


def test_cli_json(capsys):
    from aihcalc.__main__ import main

    code = main([CALC, "age_group=adult", "weight_kg=70", "tpmt=normal", "nudt15=normal", "--json"])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["value"] == 75
    assert main([CALC, "age_group=adult", "weight_kg=abc", "--json"]) == 2
    assert "weight_kg" in capsys.readouterr().err
    assert main([CALC, "weight_kg=70", "--json"]) == 2
    assert "age_group" in capsys.readouterr().err


@pytest.mark.parametrize("tpmt,nudt15", [("poor", "intermediate"), ("intermediate", "poor"), ("poor", "unknown")])
def test_poor_warnings_are_only_the_relevant_ones(tpmt, nudt15):
    assert run(70, 1, tpmt, nudt15).warnings[0].startswith("Do not start azathioprine")
    text = " ".join(run(70, 0.5, tpmt, nudt15).warnings)
    assert "this calculator's choice" not in text and "below the 1–2" not in text
    assert ("NUDT15 table" in text) == (nudt15 == "poor")
