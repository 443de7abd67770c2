"""budesonide-regimen, acute-severe-steroid, paediatric-prednisolone: worked examples, hard stops
(cirrhosis, acute severe AIH), date arithmetic, rounding ties, the 60 mg cap, and bad input."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import aihcalc
from aihcalc import InputError
from aihcalc.dates import human_date
from aihcalc.calculators.paediatric_prednisolone import paediatric_tablets, round_paediatric

BUD = "budesonide-regimen"
ACUTE = "acute-severe-steroid"
PAED = "paediatric-prednisolone"


def bud(weight=70, cirrhosis=False, acute=False):
    return aihcalc.calculate(
        BUD, {"age_group": "adult", "weight_kg": weight, "cirrhosis": cirrhosis, "acute_severe": acute}
    )


def acute(weight=70, start="2026-01-05"):
    return aihcalc.calculate(ACUTE, {"age_group": "adult", "weight_kg": weight, "start_date": start})


def paed(weight=20, start="2026-01-05", final=0.2):
    return aihcalc.calculate(
        PAED, {"age_group": "child", "weight_kg": weight, "start_date": start, "final_mg_per_kg": final}
    )


# --- budesonide ------------------------------------------------------------------------------


@pytest.mark.parametrize("weight,low,high", [(70, 70, 140), (62.5, 62.5, 125), (20, 20, 40), (300, 300, 600)])
def test_budesonide_without_cirrhosis(weight, low, high):
    result = bud(weight)
    assert result.value == 9
    out = result.outputs
    assert out["action"] == "start"
    assert out["regimen"] == "3 mg three times daily"
    assert (out["azathioprine_low_mg"], out["azathioprine_high_mg"]) == (low, high)
    assert result.display["value"] == "9 mg/day (3 mg three times daily)"
    assert any("cirrhosis has been excluded" in w for w in result.warnings)
    assert any("azathioprine dose calculator" in s for s in result.working)


@pytest.mark.parametrize(
    "cirrhosis,acute_severe,needles",
    [
        (True, False, ["Cirrhosis", "Prednisolone with azathioprine"]),
        (False, True, ["Acute severe", "intravenous steroid calculator for acute severe"]),
        (True, True, ["Cirrhosis", "Acute severe", "Prednisolone with azathioprine", "intravenous steroid calculator for acute severe"]),
    ],
)
def test_budesonide_hard_stops(cirrhosis, acute_severe, needles):
    result = bud(70, cirrhosis, acute_severe)
    assert result.value is None
    out = result.outputs
    assert out["action"] == "do-not-use"
    assert result.display["value"] == "do not use"
    assert out["regimen"] is None and out["azathioprine_low_mg"] is None
    text = out["reason"] + " " + out["alternative"]
    for needle in needles:
        assert needle in text
    assert ("Cirrhosis" in out["reason"]) is cirrhosis
    assert ("Acute severe" in out["reason"]) is acute_severe
    assert result.warnings[0].startswith("Do not use budesonide.")


def test_budesonide_must_be_told_about_cirrhosis_and_acute_severe():
    for missing in ("cirrhosis", "acute_severe"):
        inputs = {"age_group": "adult", "weight_kg": 70, "cirrhosis": False, "acute_severe": False}
        del inputs[missing]
        with pytest.raises(InputError) as caught:
            aihcalc.calculate(BUD, inputs)
        assert caught.value.field == missing


def test_budesonide_fallback_grid():
    calc = aihcalc.get(BUD)
    grid = calc.fallback
    assert grid is not None and (grid.rows, grid.columns) == ("cirrhosis", "acute_severe")
    cells = {
        (c, a): calc.calculate({**calc.example, **grid.fixed, "cirrhosis": c, "acute_severe": a}).display["value"]
        for c in grid.row_values
        for a in grid.column_values
    }
    assert cells == {
        (False, False): "9 mg/day (3 mg three times daily)",
        (False, True): "do not use",
        (True, False): "do not use",
        (True, True): "do not use",
    }


def test_budesonide_notes_the_six_mg_reduction():
    notes = " ".join(aihcalc.get(BUD).notes)
    assert "3 mg twice daily (6 mg/day)" in notes
    assert aihcalc.get(BUD).references == ("manns2010budesonide", "geier2003")


# --- acute severe ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "weight,pred,mp",
    [
        (70, 70, 56),
        (70.2, 71, 57),  # 70.2 → 71; 56.16 → 57 (minimums round up)
        (62.5, 63, 50),
        (75, 75, 60),
        (20, 20, 16),
        (100, 100, 80),
        (125, 125, 100),
        (300, 300, 240),
        (71.25, 72, 57),
    ],
)
def test_acute_severe_doses(weight, pred, mp):
    result = acute(weight)
    assert result.value == pred and isinstance(pred, int)
    out = result.outputs
    assert out["min_prednisolone_equivalent_mg"] == pred
    assert out["min_methylprednisolone_mg"] == mp
    assert pred >= weight and mp >= 0.8 * weight - 1e-9
    assert pred - weight < 1 and mp - 0.8 * weight < 1
    assert result.display["min_prednisolone_equivalent_mg"] == f"at least {pred} mg/day"
    assert result.display["value"].startswith(f"at least {pred} mg/day prednisolone-equivalent intravenously")


@pytest.mark.parametrize(
    "start,review,check",
    [
        ("2026-01-05", "2026-01-12", "2026-01-19"),
        ("2024-02-20", "2024-02-27", "2024-03-05"),  # leap year
        ("2023-02-20", "2023-02-27", "2023-03-06"),
        ("2025-12-25", "2026-01-01", "2026-01-08"),  # year end
        ("2024-02-29", "2024-03-07", "2024-03-14"),
        ("2199-12-31", "2200-01-07", "2200-01-14"),  # last accepted start
        ("1900-01-01", "1900-01-08", "1900-01-15"),
    ],
)
def test_acute_severe_dates(start, review, check):
    out = acute(70, start).outputs
    assert out["review_from"] == review and out["check_date"] == check
    assert (dt.date.fromisoformat(check) - dt.date.fromisoformat(start)).days == 14
    assert human_date(check) in out["response_check"] and human_date(review) in out["response_check"]


def test_acute_severe_warnings():
    text = " ".join(acute(70).warnings)
    assert "Not verified against the guideline text" in text
    assert "No specific methylprednisolone dose and no maximum dose were found" in text
    assert "potency equivalent" in text
    assert "transplant" in text
    assert "High dose" not in text
    assert "High dose" not in " ".join(acute(100).warnings)  # 100 mg is not above 100
    high = [w for w in acute(100.1).warnings if w.startswith("High dose:")]  # 101 mg
    # The flag now comes from dosing.check_doses (the calculator's review prompt at 100 mg/day).
    assert high == [
        "High dose: the minimum prednisolone-equivalent dose, 101 mg/day, is more than 100 mg/day. "
        "No source gave a maximum; this check is the calculator's prompt, not a limit. In obesity, "
        "ask whether actual body weight is the right basis. Check the weight and decide the dose "
        "with the specialist team."
    ]
    assert "not a limit" in " ".join(acute(250).warnings)
    assert acute(250).value == 250  # a prompt, not a cap


def test_acute_severe_working():
    working = acute(70.2).working
    assert working[0] == (
        "At least 1 mg/kg/day: 70.2 kg × 1 mg/kg = 70.2 mg/day prednisolone-equivalent, "
        "rounded up to a whole mg = 71 mg/day [easl2015]."
    )
    assert "70.2 × 4/5 = 56.16 mg/day, rounded up = 57 mg/day" in working[1]
    assert working[2] == "Response check: start Mon 5 Jan 2026 + 14 days = Mon 19 Jan 2026; review from Mon 5 Jan 2026 + 7 days = Mon 12 Jan 2026."


# --- children --------------------------------------------------------------------------------

PAED_20KG = [
    ("Week 1", "2026-01-05", "2026-01-11", 2.0, 40.0, "8 × 5 mg"),
    ("Week 2", "2026-01-12", "2026-01-18", 1.75, 35.0, "7 × 5 mg"),
    ("Week 3", "2026-01-19", "2026-01-25", 1.5, 30.0, "6 × 5 mg"),
    ("Week 4", "2026-01-26", "2026-02-01", 1.25, 25.0, "5 × 5 mg"),
    ("Week 5", "2026-02-02", "2026-02-08", 1.0, 20.0, "4 × 5 mg"),
    ("Week 6", "2026-02-09", "2026-02-15", 0.75, 15.0, "3 × 5 mg"),
    ("Week 7", "2026-02-16", "2026-02-22", 0.5, 10.0, "2 × 5 mg"),
    ("Weeks 8–9", "2026-02-23", "2026-03-08", 0.25, 5.0, "1 × 5 mg"),
    ("Weeks 10–11", "2026-03-09", "2026-03-22", 0.2, 4.0, "4 × 1 mg"),
]


def test_paediatric_worked_example():
    result = paed(20)
    rows = result.value
    assert [(r["weeks"], r["from"], r["to"], r["mg_per_kg"], r["daily_mg"], r["tablets"]) for r in rows] == PAED_20KG
    assert [r["mg_per_kg_given"] for r in rows] == [2.0, 1.75, 1.5, 1.25, 1.0, 0.75, 0.5, 0.25, 0.2]
    out = result.outputs
    assert out["cumulative_mg"] == 7 * (40 + 35 + 30 + 25 + 20 + 15 + 10) + 14 * 5 + 14 * 4 == 1351
    assert out["start_dose_mg"] == 40 and out["end_date"] == "2026-03-22"
    assert out["capped"] is False and out["max_dose_mg"] == 60
    assert result.display["value"] == (
        "40 mg/day from Mon 5 Jan 2026, tapering weekly to 4 mg/day in weeks 10–11 (to Sun 22 Mar 2026)"
    )
    assert any("Not verified against any guideline" in w and "60 mg/day maximum is weak" in w for w in result.warnings)
    assert result.working[-1].startswith("Total over weeks 1–11 (77 days): 7 × 40 + 7 × 35")


def test_paediatric_final_step_choice():
    rows = paed(20, final=0.1).value
    assert rows[-1]["mg_per_kg"] == 0.1 and rows[-1]["daily_mg"] == 2.0
    assert paed(20, final=0.15).value[-1]["daily_mg"] == 3.0
    default = aihcalc.calculate(PAED, {"age_group": "child", "weight_kg": 20, "start_date": "2026-01-05"})
    assert default.value[-1]["mg_per_kg"] == 0.2
    with pytest.raises(InputError) as caught:  # an emptied field is not silently the default
        paed(20, final="")
    assert caught.value.field == "final_mg_per_kg"
    assert caught.value.reason == "is empty: enter a value (the usual value is 0.2 mg/kg/day)"


@pytest.mark.parametrize(
    "weight,capped_weeks,doses",
    [
        (30, 0, [60, 52.5, 45, 37.5, 30, 22.5, 15, 7, 6]),  # 2 mg/kg × 30 = 60: at the cap, not over
        (35, 2, [60, 60, 52.5, 42.5, 35, 25, 17.5, 9, 7]),  # 43.75 → 42.5 (tie down), 26.25 → 25, 8.75 → 9
        (150, 7, [60, 60, 60, 60, 60, 60, 60, 37.5, 30]),
    ],
)
def test_paediatric_cap_of_60_mg(weight, capped_weeks, doses):
    result = paed(weight)
    assert [r["daily_mg"] for r in result.value] == doses
    assert max(doses) <= 60
    assert result.outputs["capped"] is (capped_weeks > 0)
    capped_text = [w for w in result.warnings if w.startswith("Capped at 60 mg/day")]
    assert len(capped_text) == (1 if capped_weeks else 0)
    if capped_weeks:
        assert capped_text[0].count("Week") == capped_weeks and "weak" in capped_text[0]


@pytest.mark.parametrize(
    "mg,expected",
    [
        (60, 60), (61.25, 60), (11.25, 10), (11.26, 12.5), (10, 10),  # 2.5 mg steps from 10 mg
        (9.6, 10), (9.5, 9), (4.5, 4), (4.51, 5), (1.0, 1), (1.49, 1),  # 1 mg steps below 10 mg
        (0.99, 1.0), (0.95, 0.9), (0.75, 0.7), (0.76, 0.8), (0.2, 0.2),  # 0.1 mg below 1 mg (liquid)
    ],
)
def test_paediatric_rounding(mg, expected):
    assert round_paediatric(mg) == expected


@pytest.mark.parametrize(
    "mg,text",
    [
        (40, "8 × 5 mg"), (12.5, "2 × 5 mg + 1 × 2.5 mg"), (10, "2 × 5 mg"), (9, "1 × 5 mg + 4 × 1 mg"),
        (5, "1 × 5 mg"), (3, "3 × 1 mg"), (1, "1 × 1 mg"), (0.7, "below 1 mg: oral liquid"),
    ],
)
def test_paediatric_tablets(mg, text):
    assert paediatric_tablets(mg) == text


def test_paediatric_small_child_needs_liquid_and_warns():
    result = paed(3.3, final=0.1)
    rows = result.value
    # Week 1: 6.6 mg/day; the nearest 1 mg step, 7 mg, would pass 2 mg/kg/day: 6 mg instead.
    assert [r["daily_mg"] for r in rows] == [6, 6, 5, 4, 3, 2, 2, 0.8, 0.3]
    assert rows[-1]["tablets"] == "below 1 mg: oral liquid"
    text = " ".join(result.warnings)
    assert "Below 1 mg/day in Weeks 8–9, Weeks 10–11" in text
    assert "more than 20 % in Week 7" in text  # 1.65 → 2 mg
    assert result.outputs["cumulative_mg"] == round(7 * (6 + 6 + 5 + 4 + 3 + 2 + 2) + 14 * 0.8 + 14 * 0.3, 2)


def test_paediatric_never_above_2_mg_per_kg():
    """A 7 kg child: 14 mg/day in week 1 (the nearest 2.5 mg step, 15 mg, is above 2 mg/kg/day)."""
    result = paed(7)
    rows = result.value
    assert [r["daily_mg"] for r in rows] == [14, 12.5, 10, 9, 7, 5, 3, 2, 1]
    assert rows[0]["tablets"] == "2 × 5 mg + 4 × 1 mg"
    assert rows[0]["mg_per_kg_given"] == 2.0
    assert result.outputs["start_dose_mg"] == 14
    assert result.working[-1] == (
        "Week 1: the nearest tablet step would pass 2 mg/kg/day (14 mg/day at this weight), so the "
        "largest whole mg below it was taken."
    )
    assert "largest whole mg" not in " ".join(paed(20).working)


@pytest.mark.parametrize("tenth", range(20, 1501, 3))
def test_paediatric_every_week_within_its_ceilings(tenth):
    weight = tenth / 10
    rows = paed(weight).value
    for row in rows:
        assert row["daily_mg"] <= min(2 * weight, 60) + 1e-9, (weight, row)
        assert row["daily_mg"] > 0


@pytest.mark.parametrize(
    "mg,ceiling,expected",
    [
        (15, 14, 14),  # 7 kg, week 1
        (14.4, 14.4, 14),  # nearest 15 → largest whole mg not above 14.4
        (7, 6.6, 6),  # 1 mg steps
        (12.5, 12.5, 12.5),  # the step equals the ceiling
        (0.95, 0.92, 0.9),  # liquid: 0.1 mg below 1 mg
        (11.25, 11.25, 10),  # a tie rounds down anyway
        (60, 60, 60),
    ],
)
def test_paediatric_rounding_under_a_ceiling(mg, ceiling, expected):
    assert round_paediatric(mg, ceiling) == expected


def test_paediatric_ties_round_down():
    rows = paed(9).value  # week 4: 1.25 × 9 = 11.25 → 10; week 5: 9 → 9
    assert rows[3]["daily_mg"] == 10 and rows[4]["daily_mg"] == 9
    rows = paed(4.75).value  # week 1: 9.5 → 9
    assert rows[0]["daily_mg"] == 9 and rows[0]["tablets"] == "1 × 5 mg + 4 × 1 mg"


@pytest.mark.parametrize(
    "start,week1_end,end",
    [
        ("2026-01-05", "2026-01-11", "2026-03-22"),
        ("2024-02-26", "2024-03-03", "2024-05-12"),  # through 29 February
        ("2025-12-29", "2026-01-04", "2026-03-15"),
        ("2199-12-31", "2200-01-06", "2200-03-17"),
    ],
)
def test_paediatric_dates(start, week1_end, end):
    rows = paed(20, start).value
    assert rows[0]["from"] == start and rows[0]["to"] == week1_end and rows[-1]["to"] == end
    assert (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days == 76
    for row, nxt in zip(rows, rows[1:]):
        assert (dt.date.fromisoformat(nxt["from"]) - dt.date.fromisoformat(row["to"])).days == 1


# --- every calculator ------------------------------------------------------------------------

BAD = [
    (BUD, {"age_group": None, "weight_kg": 70, "cirrhosis": False, "acute_severe": False}, "age_group"),
    (ACUTE, {"age_group": "", "weight_kg": 70, "start_date": "2026-01-05"}, "age_group"),
    (PAED, {"age_group": "baby", "weight_kg": 20, "start_date": "2026-01-05"}, "age_group"),
    (BUD, {"weight_kg": 19.9, "cirrhosis": False, "acute_severe": False}, "weight_kg"),
    (BUD, {"weight_kg": 70, "cirrhosis": "maybe", "acute_severe": False}, "cirrhosis"),
    (BUD, {"weight_kg": 70, "cirrhosis": False, "acute_severe": None}, "acute_severe"),
    (BUD, {"weight_kg": "nan", "cirrhosis": False, "acute_severe": False}, "weight_kg"),
    (ACUTE, {"weight_kg": 70}, "start_date"),
    (ACUTE, {"weight_kg": 70, "start_date": "2026-02-30"}, "start_date"),
    (ACUTE, {"weight_kg": 70, "start_date": "05/01/2026"}, "start_date"),
    (ACUTE, {"weight_kg": 70, "start_date": "1899-12-31"}, "start_date"),
    (ACUTE, {"weight_kg": 70, "start_date": "2200-01-01"}, "start_date"),
    (ACUTE, {"weight_kg": 301, "start_date": "2026-01-05"}, "weight_kg"),
    (ACUTE, {"weight_kg": float("-inf"), "start_date": "2026-01-05"}, "weight_kg"),
    (PAED, {"weight_kg": 1.9, "start_date": "2026-01-05"}, "weight_kg"),
    (PAED, {"weight_kg": 150.1, "start_date": "2026-01-05"}, "weight_kg"),
    (PAED, {"weight_kg": 20, "start_date": "2026-01-05", "final_mg_per_kg": 0.09}, "final_mg_per_kg"),
    (PAED, {"weight_kg": 20, "start_date": "2026-01-05", "final_mg_per_kg": 0.21}, "final_mg_per_kg"),
    (PAED, {"weight_kg": 20, "start_date": "9999-12-31"}, "start_date"),
    (PAED, {"weight_kg": 20, "start_date": ""}, "start_date"),
    (PAED, {"weight_kg": 20, "start_date": "2026-01-05", "age": 5}, "age"),
]


AGE = {BUD: "adult", ACUTE: "adult", PAED: "child"}


@pytest.mark.parametrize("calc_id,inputs,field", BAD)
def test_bad_input_names_the_field(calc_id, inputs, field):
    inputs = {"age_group": AGE[calc_id], **inputs}
    if inputs["age_group"] is None:
        del inputs["age_group"]
    with pytest.raises(InputError) as caught:
        aihcalc.calculate(calc_id, inputs)
    assert caught.value.field == field


@pytest.mark.parametrize(
    "calc_id,group,reason",
    [
        (BUD, "child",
         "This budesonide regimen is for adults; no dose is given for a child or adolescent. For a "
         "child use the prednisolone schedule for children, on the page about autoimmune hepatitis "
         "in children."),
        (ACUTE, "adolescent",
         "This intravenous steroid dose is for adults; no dose is given for a child or adolescent. "
         "Acute severe autoimmune hepatitis in a child is treated by a paediatric liver centre."),
        (PAED, "adult",
         "this schedule is for children and adolescents; no dose is given for an adult. For an "
         "adult use the prednisolone taper, on the page about first-line treatment."),
    ],
)
def test_the_wrong_age_group_is_refused(calc_id, group, reason):
    calc = aihcalc.get(calc_id)
    with pytest.raises(InputError) as caught:
        calc.calculate({**calc.example, "age_group": group})
    assert caught.value.field == "age_group"
    assert caught.value.reason == reason
    assert calc.calculate(calc.example).value is not None


@pytest.mark.parametrize("calc_id", [BUD, ACUTE, PAED])
def test_age_group_is_required(calc_id):
    calc = aihcalc.get(calc_id)
    assert calc.inputs[0].name == "age_group" and calc.inputs[0].default is None
    assert calc.example["age_group"] == AGE[calc_id]
    with pytest.raises(InputError) as caught:
        calc.calculate({k: v for k, v in calc.example.items() if k != "age_group"})
    assert caught.value.field == "age_group" and caught.value.reason == "is required"


def test_budesonide_child_refused_even_with_cirrhosis():
    with pytest.raises(InputError) as caught:
        aihcalc.calculate(BUD, {"age_group": "child", "weight_kg": 30, "cirrhosis": True, "acute_severe": False})
    assert caught.value.field == "age_group"


@pytest.mark.parametrize("calc_id", [BUD, ACUTE, PAED])
def test_declaration(calc_id):
    calc = aihcalc.get(calc_id)
    assert calc.title and calc.summary and calc.notes and calc.references and calc.example
    result = calc.calculate(calc.example)
    data = json.loads(result.to_json())
    assert data["value"] is not None and data["working"] and data["warnings"]


def test_references():
    assert aihcalc.get(ACUTE).references == ("easl2015", "mack2020", "czaja2013", "neurooncol2015")
    assert aihcalc.get(PAED).references == ("wjg2017-aih", "mieli-vergani2018", "manns2010")


@pytest.mark.parametrize("weight", [2.5, 100.5, 120])
def test_paediatric_implausible_weight_warns(weight):
    assert any("outside the usual range" in w for w in paed(weight).warnings)


def test_cli(capsys):
    from aihcalc.__main__ import main

    assert main([PAED, "age_group=child", "weight_kg=20", "start_date=2026-01-05", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["value"][0]["daily_mg"] == 40
    assert main([BUD, "age_group=adult", "weight_kg=70", "cirrhosis=yes", "acute_severe=no", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["value"] is None
    assert main([ACUTE, "age_group=adult", "weight_kg=70", "start_date=tomorrow"]) == 2
    assert "start_date" in capsys.readouterr().err
    assert main([PAED, "age_group=adult", "weight_kg=20", "start_date=2026-01-05"]) == 2
    assert "age_group" in capsys.readouterr().err
