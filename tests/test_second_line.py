"""tacrolimus-dose, cyclosporine-dose, mycophenolate-dose: worked examples, rounding ties, caps,
the pregnancy hard stop, warnings that say what is unverified, and bad input."""

from __future__ import annotations

import json

import math

import pytest

import aihcalc
from aihcalc import InputError
from aihcalc.calculators.second_line import units_text
from aihcalc.dosing import fewest_tablets as fewest_units, round_half_down as round_to_step

TAC = "tacrolimus-dose"
CSA = "cyclosporine-dose"
MMF = "mycophenolate-dose"


def tac(weight):
    return aihcalc.calculate(TAC, {"age_group": "adult", "weight_kg": weight})


def csa(weight, per_kg=2):
    return aihcalc.calculate(CSA, {"age_group": "adult", "weight_kg": weight, "mg_per_kg": per_kg})


def mmf(pregnant=False, childbearing=False, maintenance="2000", start="escalating"):
    return aihcalc.calculate(
        MMF,
        {
            "age_group": "adult",
            "pregnant_or_planning": pregnant,
            "childbearing_potential": childbearing,
            "maintenance_mg_per_day": maintenance,
            "start": start,
        },
    )


# --- helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,step,expected",
    [
        (3.25, 0.5, 3.0),  # exact half step: down
        (3.26, 0.5, 3.5),
        (3.24, 0.5, 3.0),
        (3.5, 0.5, 3.5),
        (72.5, 5, 70),  # tie down
        (72.6, 5, 75),
        (0.1 + 0.2, 0.1, 0.30000000000000004),  # 3 units exactly despite float noise
    ],
)
def test_round_to_step(value, step, expected):
    assert round_to_step(value, step) == pytest.approx(expected)


@pytest.mark.parametrize(
    "dose,strengths,expected",
    [
        (3.5, (5.0, 1.0, 0.5), {1.0: 3, 0.5: 1}),
        (4, (5.0, 1.0, 0.5), {1.0: 4}),
        (5, (5.0, 1.0, 0.5), {5.0: 1}),
        (65, (100.0, 50.0, 25.0, 10.0), {25.0: 1, 10.0: 4}),  # greedy 50 + 10 would leave 5
        (45, (100.0, 50.0, 25.0, 10.0), {25.0: 1, 10.0: 2}),
        (150, (100.0, 50.0, 25.0, 10.0), {100.0: 1, 50.0: 1}),
        (750, (500.0, 250.0), {500.0: 1, 250.0: 1}),
        (15, (100.0, 50.0, 25.0, 10.0), None),
        (0.3, (5.0, 1.0, 0.5), None),
        (-1, (1.0,), None),
        (0, (1.0,), {}),
    ],
)
def test_fewest_units(dose, strengths, expected):
    assert fewest_units(dose, strengths) == expected


def test_units_text_rejects_impossible_dose():
    with pytest.raises(ValueError):
        units_text(15, (100.0, 50.0, 25.0, 10.0))
    with pytest.raises(ValueError):
        units_text(0, (1.0,))


# --- tacrolimus ------------------------------------------------------------------------------

# weight → (mg/day, mg each dose, capsules each dose, capped, why)
# A dose whose nearest 0.5 mg step would pass 0.1 mg/kg/day is rounded down instead (a ceiling),
# so 65.1, 66, 76 and 26 kg now get the lower step (they used to be rounded up past it).
TAC_WORKED = [
    (70, 7, 3.5, "3 × 1 mg + 1 × 0.5 mg", False, "7 mg/day exactly"),
    (65, 6, 3.0, "3 × 1 mg", False, "6.5 → 3.25 per dose: a tie rounds down"),
    (65.1, 6, 3.0, "3 × 1 mg", False, "3.255 → nearest 3.5 would pass 6.51 mg/day: down to 3"),
    (66, 6, 3.0, "3 × 1 mg", False, "3.3 → nearest 3.5 would pass 6.6 mg/day: down to 3"),
    (69.9, 6, 3.0, "3 × 1 mg", False, "3.495 → nearest 3.5 would pass 6.99 mg/day: down to 3"),
    (75, 7, 3.5, "3 × 1 mg + 1 × 0.5 mg", False, "3.75 tie → 3.5"),
    (76, 7, 3.5, "3 × 1 mg + 1 × 0.5 mg", False, "3.8 → nearest 4 would pass 7.6 mg/day: down to 3.5"),
    (80, 8, 4.0, "4 × 1 mg", False, "exactly at the 8 mg/day ceiling"),
    (80.1, 8, 4.0, "4 × 1 mg", True, "just above: capped"),
    (95, 8, 4.0, "4 × 1 mg", True, "capped"),
    (300, 8, 4.0, "4 × 1 mg", True, "allowed maximum, capped"),
    (20, 2, 1.0, "1 × 1 mg", False, "allowed minimum"),
    (25, 2, 1.0, "1 × 1 mg", False, "1.25 tie → 1"),
    (26, 2, 1.0, "1 × 1 mg", False, "1.3 → nearest 1.5 would pass 2.6 mg/day: down to 1"),
    (30, 3, 1.5, "1 × 1 mg + 1 × 0.5 mg", False, "1.5 exactly"),
    (50, 5, 2.5, "2 × 1 mg + 1 × 0.5 mg", False, "2.5 exactly"),
]


@pytest.mark.parametrize("weight,daily,each,capsules,capped,why", TAC_WORKED, ids=[w[-1] for w in TAC_WORKED])
def test_tacrolimus_worked_examples(weight, daily, each, capsules, capped, why):
    result = tac(weight)
    assert result.value == daily, why
    assert isinstance(result.value, int)
    out = result.outputs
    assert out["dose_each_mg"] == each and 2 * out["dose_each_mg"] == daily
    assert out["capsules_each_dose"] == capsules
    assert out["capped"] is capped
    assert out["schedule"] == f"{each:g} mg twice daily"
    assert out["dose_mg_per_kg"] == round(daily / weight, 3)
    assert out["weight_based_mg"] == round(weight * 0.1, 2)
    assert out["max_dose_mg"] == 8
    assert result.display["value"] == f"{daily} mg/day ({each:g} mg twice daily)"
    assert 1 <= daily <= 8
    assert daily <= 0.1 * weight + 1e-9  # never above 0.1 mg/kg/day
    assert ("Capped" in " ".join(result.warnings)) is capped
    assert out["monitor"].startswith("Whole-blood tacrolimus trough levels")
    assert each == math.floor(round(min(0.1 * weight, 8) / 2 / 0.5, 9)) * 0.5  # always down


@pytest.mark.parametrize("tenth", range(200, 3001, 7))
def test_tacrolimus_never_above_0_1_mg_per_kg(tenth):
    weight = tenth / 10
    result = tac(weight)
    assert result.value <= min(0.1 * weight, 8) + 1e-9
    # and never more than one 0.5 mg step per dose below it (a whole step of 1 mg/day)
    assert result.value > min(0.1 * weight, 8) - 1 - 1e-9


def test_tacrolimus_working_says_it_rounds_down():
    step = tac(66).working[1]
    assert step == (
        "Twice daily: 6.6 ÷ 2 = 3.3 mg per dose, rounded down to a multiple of 0.5 mg (never "
        "above 0.1 mg/kg/day) = 3 mg twice daily = 6 mg/day."
    )


def test_tacrolimus_every_result_says_unverified_and_no_obsolete_trough():
    for weight in (20, 70, 120):
        result = tac(weight)
        text = " ".join(result.warnings)
        assert "Not verified against any guideline" in text
        assert "no guideline trough target was verified" in text
        assert "trough" in text.lower()
        blob = result.to_json()
        assert "0.6–1.0" not in blob and "0.6-1.0" not in blob
        assert "0.075" not in blob
        assert result.outputs["trough_reported"].startswith("1–10 ng/mL")
        assert "not a verified guideline target" in result.outputs["trough_reported"]
    calc = aihcalc.get(TAC)
    notes = " ".join(calc.notes)
    assert "0.6–1.0" in notes and "plasma" in notes  # explained in the notes, never a target
    assert "0.075" in notes and "not found" in notes


def test_tacrolimus_working_is_checkable():
    working = tac(95).working
    assert working[0] == "Weight-based start: 95 kg × 0.1 mg/kg/day = 9.5 mg/day [explor-dig-dis-2024]."
    assert "→ 8 mg/day" in working[1]
    assert "8 ÷ 2 = 4 mg per dose" in working[2]
    assert working[3].startswith("Each dose: 4 × 1 mg capsules; 8 mg/day ÷ 95 kg = 0.084 mg/kg/day")


@pytest.mark.parametrize("weight", [25, 29.9, 200.1, 250])
def test_tacrolimus_implausible_weight_warns(weight):
    assert any("outside the usual range" in w for w in tac(weight).warnings)


# --- ciclosporin -----------------------------------------------------------------------------

# (weight, mg/kg) → (mg/day, each, capsules, why)
CSA_WORKED = [
    (70, 2, 140, 70, "1 × 50 mg + 2 × 10 mg", "exact"),
    (65, 2, 130, 65, "1 × 25 mg + 4 × 10 mg", "odd five: a 25 mg capsule"),
    (58, 2.5, 140, 70, "1 × 50 mg + 2 × 10 mg", "72.5 tie rounds down"),
    (67, 2.5, 170, 85, "1 × 50 mg + 1 × 25 mg + 1 × 10 mg", "83.75 → 85"),
    (71, 2, 150, 75, "1 × 50 mg + 1 × 25 mg", "71 → 70 is below 2 mg/kg: kept at 75"),
    (73, 3, 210, 105, "1 × 50 mg + 1 × 25 mg + 3 × 10 mg", "109.5 → 110 is above 3 mg/kg: kept at 105"),
    (20, 2, 40, 20, "2 × 10 mg", "allowed minimum"),
    (20, 3, 60, 30, "3 × 10 mg", "minimum weight, top of range"),
    (300, 3, 900, 450, "4 × 100 mg + 1 × 50 mg", "allowed maximum"),
    (100, 2, 200, 100, "1 × 100 mg", "100 mg capsule"),
]


@pytest.mark.parametrize("weight,per_kg,daily,each,capsules,why", CSA_WORKED, ids=[w[-1] for w in CSA_WORKED])
def test_ciclosporin_worked_examples(weight, per_kg, daily, each, capsules, why):
    result = csa(weight, per_kg)
    assert result.value == daily, why
    out = result.outputs
    assert out["dose_each_mg"] == each and isinstance(each, int)
    assert out["capsules_each_dose"] == capsules
    assert 2 * weight - 1e-9 <= daily <= 3 * weight + 1e-9
    assert out["range_low_mg"] == round(2 * weight, 2) and out["range_high_mg"] == round(3 * weight, 2)
    assert out["dose_mg_per_kg"] == round(daily / weight, 3)
    assert result.display["value"] == f"{daily} mg/day ({each} mg twice daily)"


def test_ciclosporin_warns_and_never_uses_the_unfound_figures():
    result = csa(70)
    text = " ".join(result.warnings)
    assert "Not verified against any guideline" in text and "5-patient series" in text
    assert result.outputs["trough_reported"].startswith("below 120 ng/mL at 2 mg/kg/day")
    blob = result.to_json()
    assert "100–300" not in blob and "2–5 mg/kg" not in blob
    assert "100–300" in " ".join(aihcalc.get(CSA).notes)  # explained as not found


def test_ciclosporin_default_is_two_mg_per_kg():
    result = aihcalc.calculate(CSA, {"age_group": "adult", "weight_kg": 70})
    assert result.value == 140 and result.inputs["mg_per_kg"] == 2


def test_ciclosporin_emptied_dose_per_kg_is_an_error_not_the_default():
    with pytest.raises(InputError) as caught:
        aihcalc.calculate(CSA, {"age_group": "adult", "weight_kg": 70, "mg_per_kg": ""})
    assert caught.value.field == "mg_per_kg"
    assert caught.value.reason == "is empty: enter a value (the usual value is 2 mg/kg/day)"


HIGH = "High dose:"


@pytest.mark.parametrize(
    "weight,per_kg,daily,flagged",
    [(100, 3, 300, False), (150, 2, 300, False), (101, 3, 300, False), (151, 2, 310, True),
     (110, 3, 330, True), (300, 3, 900, True)],
)
def test_ciclosporin_above_300_mg_asks_for_a_check(weight, per_kg, daily, flagged):
    result = csa(weight, per_kg)
    assert result.value == daily
    high = [w for w in result.warnings if w.startswith(HIGH)]
    if not flagged:
        assert high == []
        return
    assert high == [
        f"High dose: daily dose, {daily} mg/day, is more than 300 mg/day. No source gave a maximum; "
        "this check is the calculator's prompt, not a limit. In obesity, ask whether actual body "
        "weight is the right basis. Check the weight and decide the dose with the specialist team."
    ]


def test_ciclosporin_monitor():
    out = csa(70).outputs
    assert out["monitor"] == (
        "Ciclosporin trough levels (below 120 ng/mL at 2 mg/kg/day in a secondary review "
        "[explor-dig-dis-2024]; no guideline target verified); renal function and blood pressure, "
        "which ciclosporin can upset."
    )


def test_ciclosporin_working_is_checkable():
    working = csa(73, 3).working
    assert working[0].startswith("Weight-based start: 73 kg × 3 mg/kg/day = 219 mg/day (range 2–3 mg/kg/day = 146–219")
    assert "109.5 mg per dose" in working[1] and "110 mg (kept inside 2–3 mg/kg/day) → 105 mg twice daily" in working[1]


def test_ciclosporin_fallback_grid():
    calc = aihcalc.get(CSA)
    grid = calc.fallback
    assert grid is not None and grid.rows == "weight_kg" and grid.columns == "mg_per_kg"
    assert grid.fixed == {"age_group": "adult"}
    row = [calc.calculate({**grid.fixed, "weight_kg": 70, "mg_per_kg": p}).value for p in grid.column_values]
    assert row == [140, 170, 210]  # 70, 87.5 → 85, 105 per dose


# --- mycophenolate ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "maintenance,start,value,rows,plan",
    [
        ("2000", "escalating", 2000,
         [("Weeks 1–2", 1000, 500, "1 × 500 mg"), ("From week 3", 2000, 1000, "2 × 500 mg")],
         "500 mg twice daily for 2 weeks, then 1000 mg twice daily"),
        ("1500", "escalating", 1500,
         [("Weeks 1–2", 1000, 500, "1 × 500 mg"), ("From week 3", 1500, 750, "1 × 500 mg + 1 × 250 mg")],
         "500 mg twice daily for 2 weeks, then 750 mg twice daily"),
        ("2000", "full", 2000, [("From week 1", 2000, 1000, "2 × 500 mg")],
         "1000 mg twice daily from the start"),
        ("1500", "full", 1500, [("From week 1", 1500, 750, "1 × 500 mg + 1 × 250 mg")],
         "750 mg twice daily from the start"),
    ],
)
def test_mmf_schedules(maintenance, start, value, rows, plan):
    result = mmf(maintenance=maintenance, start=start)
    assert result.value == value
    out = result.outputs
    assert out["action"] == "start"
    assert [(r["weeks"], r["daily_mg"], r["each_dose_mg"], r["tablets_each_dose"]) for r in out["schedule"]] == rows
    assert out["plan"] == plan
    assert out["start_daily_mg"] == rows[0][1]
    assert out["maintenance_each_dose_mg"] == value // 2
    assert result.display["value"] == f"{value} mg/day ({plan})"
    assert any("Not verified against any guideline" in w for w in result.warnings)
    assert all(1000 <= r["daily_mg"] <= 2000 for r in out["schedule"])
    assert out["monitor"] == (
        "Full blood count (mycophenolate can lower the white cells), liver tests for the "
        "response, and for a woman who could become pregnant, pregnancy tests and contraception."
    )


@pytest.mark.parametrize("childbearing", [False, True])
@pytest.mark.parametrize("start", ["escalating", "full"])
def test_mmf_pregnancy_is_a_hard_stop(childbearing, start):
    result = mmf(pregnant=True, childbearing=childbearing, start=start)
    assert result.value is None
    out = result.outputs
    assert out["action"] == "contraindicated"
    assert "teratogenic" in out["reason"] and "contraindicated in pregnancy" in out["reason"]
    assert "azathioprine may be continued in pregnancy after a risk–benefit analysis" in out["alternative"]
    assert out["schedule"] is None and out["start_daily_mg"] is None
    assert result.display["value"] == "do not use (pregnancy)"
    assert result.warnings[0].startswith("Do not start: Mycophenolate is teratogenic")
    assert "not verified" in out["alternative"]
    assert out["monitor"] == ""  # nothing to monitor for a drug not started


def test_mmf_contraception_warning_only_for_childbearing_potential():
    assert any("contraception" in w for w in mmf(childbearing=True).warnings)
    assert not any("contraception" in w for w in mmf(childbearing=False).warnings)


def test_mmf_pregnancy_question_must_be_answered():
    with pytest.raises(InputError) as caught:
        aihcalc.calculate(MMF, {"age_group": "adult", "childbearing_potential": False})
    assert caught.value.field == "pregnant_or_planning"
    with pytest.raises(InputError) as caught:
        aihcalc.calculate(MMF, {"age_group": "adult", "pregnant_or_planning": False})
    assert caught.value.field == "childbearing_potential"


@pytest.mark.parametrize("name", ["maintenance_mg_per_day", "start"])
@pytest.mark.parametrize("missing", [None, ""])
def test_mmf_dose_and_start_must_be_chosen(name, missing):
    """No default any more: the maintenance dose and the start are the prescriber's choice."""
    inputs = {
        "age_group": "adult",
        "pregnant_or_planning": False,
        "childbearing_potential": False,
        "maintenance_mg_per_day": "2000",
        "start": "escalating",
    }
    if missing is None:
        del inputs[name]
    else:
        inputs[name] = missing
    with pytest.raises(InputError) as caught:
        aihcalc.calculate(MMF, inputs)
    assert caught.value.field == name
    assert caught.value.reason == "is required"


def test_mmf_value_is_the_target_dose():
    calc = aihcalc.get(MMF)
    assert calc.value.label == "Target (maintenance) dose"
    assert calc.input("maintenance_mg_per_day").default is None
    assert calc.input("start").default is None


def test_mmf_fallback_grid_shows_the_hard_stop():
    calc = aihcalc.get(MMF)
    grid = calc.fallback
    assert grid is not None and grid.columns == "pregnant_or_planning" and grid.cell == "plan"
    assert grid.fixed["age_group"] == "adult"
    for start in grid.row_values:
        inputs = {**calc.example, **grid.fixed, "start": start}
        assert calc.calculate({**inputs, "pregnant_or_planning": True}).display["plan"].startswith("do not use")
        assert "twice daily" in calc.calculate({**inputs, "pregnant_or_planning": False}).display["plan"]


def test_mmf_notes_correct_the_seed_figures():
    notes = " ".join(aihcalc.get(MMF).notes)
    assert "62 %" in notes and "57 %" in notes and "differs" in notes


# --- every calculator ------------------------------------------------------------------------

MMF_OK = {"pregnant_or_planning": False, "childbearing_potential": False,
          "maintenance_mg_per_day": "2000", "start": "full"}
BAD = [
    (TAC, {"weight_kg": 19.9}, "weight_kg"),
    (TAC, {"weight_kg": 300.1}, "weight_kg"),
    (TAC, {"weight_kg": float("nan")}, "weight_kg"),
    (TAC, {"weight_kg": "inf"}, "weight_kg"),
    (TAC, {"weight_kg": "70 lb"}, "weight_kg"),
    (TAC, {"weight_kg": True}, "weight_kg"),
    (TAC, {}, "weight_kg"),
    (TAC, {"weight_kg": 70, "mg_per_kg": 0.075}, "mg_per_kg"),  # no such input: the start is fixed
    (TAC, {"weight_kg": 70, "age_group": "infant"}, "age_group"),
    (CSA, {"weight_kg": 70, "mg_per_kg": 1.9}, "mg_per_kg"),
    (CSA, {"weight_kg": 70, "mg_per_kg": 3.1}, "mg_per_kg"),
    (CSA, {"weight_kg": 70, "mg_per_kg": 5}, "mg_per_kg"),
    (CSA, {"weight_kg": 10, "mg_per_kg": 2}, "weight_kg"),
    (CSA, {"weight_kg": "7,0"}, "weight_kg"),
    (CSA, {"weight_kg": 70, "age_group": None}, "age_group"),
    (MMF, {**MMF_OK, "pregnant_or_planning": "maybe"}, "pregnant_or_planning"),
    (MMF, {**MMF_OK, "childbearing_potential": 2}, "childbearing_potential"),
    (MMF, {**MMF_OK, "maintenance_mg_per_day": "3000"}, "maintenance_mg_per_day"),
    (MMF, {**MMF_OK, "maintenance_mg_per_day": 2000.0}, "maintenance_mg_per_day"),
    (MMF, {**MMF_OK, "start": "slow"}, "start"),
    (MMF, {**MMF_OK, "age_group": ""}, "age_group"),
]


@pytest.mark.parametrize("calc_id,inputs,field", BAD)
def test_bad_input_names_the_field(calc_id, inputs, field):
    inputs = {"age_group": "adult", **inputs}
    if inputs["age_group"] is None:
        del inputs["age_group"]
    with pytest.raises(InputError) as caught:
        aihcalc.calculate(calc_id, inputs)
    assert caught.value.field == field


@pytest.mark.parametrize(
    "calc_id,inputs,drug",
    [
        (TAC, {"weight_kg": 40}, "tacrolimus"),
        (CSA, {"weight_kg": 40, "mg_per_kg": 2}, "ciclosporin"),
        (MMF, MMF_OK, "mycophenolate"),
    ],
)
@pytest.mark.parametrize("child", ["child", "adolescent", "Paediatric"])
def test_a_child_is_refused(calc_id, inputs, drug, child):
    with pytest.raises(InputError) as caught:
        aihcalc.calculate(calc_id, {**inputs, "age_group": child})
    assert caught.value.field == "age_group"
    assert caught.value.reason == (
        f"This {drug} dose is for adults; no dose is given for a child or adolescent. "
        "Second-line drugs for a child are chosen and dosed by a paediatric hepatologist (see the "
        "page on children)."
    )
    assert aihcalc.calculate(calc_id, {**inputs, "age_group": "adult"}).value is not None


def test_text_inputs():
    assert aihcalc.calculate(TAC, {"age_group": "Adult", "weight_kg": " 70 kg "}).value == 7
    assert aihcalc.calculate(
        CSA, {"age_group": "adult", "weight_kg": "70", "mg_per_kg": "2.5 mg/kg/day"}
    ).value == 170
    result = aihcalc.calculate(
        MMF,
        {
            "age_group": "18+",
            "pregnant_or_planning": "no",
            "childbearing_potential": "YES",
            "maintenance_mg_per_day": 1500,
            "start": "FULL",
        },
    )
    assert result.value == 1500
    assert result.inputs["age_group"] == "adult"


@pytest.mark.parametrize("calc_id", [TAC, CSA, MMF])
def test_declaration(calc_id):
    calc = aihcalc.get(calc_id)
    assert calc.title and calc.summary and calc.notes and calc.references and calc.example
    assert calc.inputs[0].name == "age_group" and calc.inputs[0].default is None
    assert calc.example["age_group"] == "adult"
    assert "monitor" in [o.name for o in calc.outputs]
    result = calc.calculate(calc.example)
    data = json.loads(result.to_json())
    assert data["value"] is not None and data["working"] and data["warnings"]
    assert result.references == list(calc.references)


def test_references():
    assert aihcalc.get(TAC).references == ("explor-dig-dis-2024", "tacrolimus-review2019", "vanthiel1995")
    assert aihcalc.get(CSA).references == ("ciclosporin-ajg1999", "explor-dig-dis-2024")
    assert aihcalc.get(MMF).references == ("camaro-pmc12372268", "mmf-alacrn2018")


def test_cli_json(capsys):
    from aihcalc.__main__ import main

    assert main([TAC, "age_group=adult", "weight_kg=70", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["value"] == 7
    assert main([
        MMF, "age_group=adult", "pregnant_or_planning=true", "childbearing_potential=true",
        "maintenance_mg_per_day=2000", "start=full", "--json",
    ]) == 0
    assert json.loads(capsys.readouterr().out)["value"] is None
    assert main([CSA, "age_group=adult", "weight_kg=70", "mg_per_kg=4", "--json"]) == 2
    assert "mg_per_kg" in capsys.readouterr().err
    assert main([TAC, "age_group=child", "weight_kg=40", "--json"]) == 2
    assert "age_group" in capsys.readouterr().err
