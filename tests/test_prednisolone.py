"""prednisolone-taper: dated steps, calendar arithmetic, start-dose rules, warnings, bad input."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import aihcalc
from aihcalc import InputError
from aihcalc.calculators.prednisolone_taper import UNVERIFIED, add_months, tablet_text

CALC = "prednisolone-taper"


BASE = {"age_group": "adult", "regimen": "seed-combination", "start_date": "2026-01-05", "weight_kg": 70}


def run(**inputs):
    base = dict(BASE)
    base.update(inputs)
    return aihcalc.calculate(CALC, base)


def dated(result):
    return [(r["from"], r["to"], r["daily_mg"]) for r in result.value]


def test_example_schedule_pending_aminotransferases():
    result = run()
    assert dated(result) == [
        ("2026-01-05", "2026-01-11", 30.0),
        ("2026-01-12", "2026-01-18", 20.0),
        ("2026-01-19", "2026-02-01", 15.0),
        ("2026-02-02", None, 10.0),
        (None, None, 7.5),
        (None, None, 5.0),
    ]
    assert [r["tablets"] for r in result.value] == [
        "6 × 5 mg", "4 × 5 mg", "3 × 5 mg", "2 × 5 mg", "1 × 5 mg + 1 × 2.5 mg", "1 × 5 mg"
    ]
    out = result.outputs
    assert out["cumulative_mg_weeks_1_4"] == 560  # 7×30 + 7×20 + 14×15
    assert out["start_dose_mg"] == 30 and out["start_mg_per_kg"] == 0.43
    assert out["maintenance_from"] == "2026-02-02"
    assert out["reduce_to_7_5_from"] is None and out["reduce_to_5_from"] is None
    assert "date not known yet" in result.value[4]["note"]
    assert any("cannot know" in step for step in result.working)
    assert result.display["value"].startswith("30 mg/day from Mon 5 Jan 2026, down to 10 mg/day from Mon 2 Feb 2026")


def test_unverified_warning_always_first():
    for inputs in ({}, {"aminotransferases": "normal", "normal_week": 8}, {"start_basis": "weight"}):
        assert run(**inputs).warnings[0] == UNVERIFIED


@pytest.mark.parametrize(
    "start,week1_end,week2,weeks34,maintenance",
    [
        # Leap year: February 2028 has 29 days.
        ("2028-02-26", "2028-03-03", ("2028-03-04", "2028-03-10"), ("2028-03-11", "2028-03-24"), "2028-03-25"),
        # The same dates a year earlier, no leap day.
        ("2027-02-26", "2027-03-04", ("2027-03-05", "2027-03-11"), ("2027-03-12", "2027-03-25"), "2027-03-26"),
        # Across the year end.
        ("2026-12-20", "2026-12-26", ("2026-12-27", "2027-01-02"), ("2027-01-03", "2027-01-16"), "2027-01-17"),
        # Starting on a leap day.
        ("2024-02-29", "2024-03-06", ("2024-03-07", "2024-03-13"), ("2024-03-14", "2024-03-27"), "2024-03-28"),
    ],
)
def test_taper_dates(start, week1_end, week2, weeks34, maintenance):
    rows = run(start_date=start).value
    assert (rows[0]["from"], rows[0]["to"]) == (start, week1_end)
    assert (rows[1]["from"], rows[1]["to"]) == week2
    assert (rows[2]["from"], rows[2]["to"]) == weeks34
    assert rows[3]["from"] == maintenance


@pytest.mark.parametrize(
    "normal_week,reduced_week,reduced_from,low_from",
    [
        (1, 6, "2026-02-09", "2026-05-09"),  # never before week 6
        (4, 6, "2026-02-09", "2026-05-09"),  # the default week
        (5, 6, "2026-02-09", "2026-05-09"),
        (6, 7, "2026-02-16", "2026-05-16"),
        (10, 11, "2026-03-16", "2026-06-16"),
        (52, 53, "2027-01-04", "2027-04-04"),
    ],
)
def test_dated_7_5_and_5_mg_steps(normal_week, reduced_week, reduced_from, low_from):
    result = run(aminotransferases="normal", normal_week=normal_week)
    rows = result.value
    assert rows[3]["to"] == (dt.date.fromisoformat(reduced_from) - dt.timedelta(days=1)).isoformat()
    assert (rows[4]["from"], rows[4]["daily_mg"]) == (reduced_from, 7.5)
    assert rows[4]["to"] == (dt.date.fromisoformat(low_from) - dt.timedelta(days=1)).isoformat()
    assert (rows[5]["from"], rows[5]["to"], rows[5]["daily_mg"]) == (low_from, None, 5.0)
    assert result.outputs["reduce_to_7_5_from"] == reduced_from
    assert result.outputs["reduce_to_5_from"] == low_from
    assert f"week {reduced_week}" in rows[4]["note"].lower()
    assert any("calculator's convention" in w for w in result.warnings)
    assert (dt.date.fromisoformat(reduced_from) - dt.date(2026, 1, 5)).days == 7 * (reduced_week - 1)


@pytest.mark.parametrize(
    "start,reduced_from,low_from",
    [
        ("2026-10-26", "2026-11-30", "2027-02-28"),  # 30 November + 3 months, no leap day
        ("2027-10-26", "2027-11-30", "2028-02-29"),  # leap year
        ("2026-09-26", "2026-10-31", "2027-01-31"),  # across the year end
        ("2026-07-27", "2026-08-31", "2026-11-30"),  # 31 August → 30 November
    ],
)
def test_three_months_at_month_ends(start, reduced_from, low_from):
    # normal_week 5 → 7.5 mg from week 6, start + 35 days.
    result = run(start_date=start, aminotransferases="normal", normal_week=5)
    assert result.outputs["reduce_to_7_5_from"] == reduced_from
    assert result.outputs["reduce_to_5_from"] == low_from


@pytest.mark.parametrize(
    "day,months,expected",
    [
        ((2026, 1, 31), 1, (2026, 2, 28)),
        ((2028, 1, 31), 1, (2028, 2, 29)),
        ((2026, 11, 15), 3, (2027, 2, 15)),
        ((2026, 12, 31), 3, (2027, 3, 31)),
        ((2026, 10, 31), 12, (2027, 10, 31)),
        ((2028, 2, 29), 12, (2029, 2, 28)),
        ((2026, 5, 31), 3, (2026, 8, 31)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(dt.date(*day), months) == dt.date(*expected)


@pytest.mark.parametrize(
    "start_mg,doses,cumulative",
    [
        (30, [30, 20, 15, 10, 7.5, 5], 560),
        (27.5, [27.5, 20, 15, 10, 7.5, 5], 542.5),
        (20, [20, 20, 15, 10, 7.5, 5], 490),
        (15, [15, 15, 15, 10, 7.5, 5], 420),
        (12.5, [12.5, 12.5, 12.5, 10, 7.5, 5], 350),
        (10, [10, 10, 10, 10, 7.5, 5], 280),
    ],
)
def test_fixed_start_holds_steps_above_it(start_mg, doses, cumulative):
    result = run(start_mg=start_mg)
    assert [r["daily_mg"] for r in result.value] == doses
    assert result.outputs["cumulative_mg_weeks_1_4"] == cumulative
    held = [r for r in result.value[:3] if "held at the start dose" in r["note"]]
    assert len(held) == sum(1 for regimen in (30, 20, 15) if regimen > start_mg)


@pytest.mark.parametrize(
    "weight,per_kg,start,capped",
    [
        (45, 0.5, 22.5, False),
        (23, 1, 22.5, False),  # 23 rounded down to a multiple of 2.5
        (20, 0.5, 10, False),  # allowed minimum weight
        (60, 0.5, 30, False),
        (70, 0.5, 30, True),  # 35 → capped at 30
        (60, 1, 30, True),  # EASL's 60 mg is not modelled
        (300, 1, 30, True),
    ],
)
def test_weight_based_start(weight, per_kg, start, capped):
    result = run(start_basis="weight", weight_kg=weight, mg_per_kg=per_kg, start_mg=10)
    assert result.outputs["start_dose_mg"] == start
    assert result.value[0]["daily_mg"] == start
    assert any("secondary source" in w for w in result.warnings)
    assert any("capped at 30 mg/day" in w for w in result.warnings) == capped
    assert result.outputs["start_mg_per_kg"] <= per_kg


ABOVE = "Above the largest dose the sources used:"


def test_start_above_one_mg_per_kg_warns():
    # The per-regimen warning is now the generic studied-maximum warning of dosing.check_doses.
    flagged = [w for w in run(weight_kg=25).warnings if w.startswith(ABOVE)]
    assert flagged == [
        "Above the largest dose the sources used: the dose from Mon 5 Jan 2026, 30 mg/day, is more "
        "than 1 mg/kg/day (25 mg/day at this weight), the highest in EASL 2015's start range, "
        "0.5–1 mg/kg/day [easl2015] (secondary). Check whether this adult regimen fits the "
        "patient. Check the weight and decide the dose with the specialist team."
    ]
    assert not any(w.startswith(ABOVE) for w in run(weight_kg=30).warnings)  # exactly 1 mg/kg/day
    assert not any(w.startswith(ABOVE) for w in run(weight_kg=25, start_mg=25).warnings)
    assert any(w.startswith(ABOVE) for w in run(weight_kg=25, start_mg=27.5).warnings)


@pytest.mark.parametrize("weight", [20, 29, 201])
def test_implausible_weight_warns(weight):
    assert any("outside the usual range" in w for w in run(weight_kg=weight).warnings)


@pytest.mark.parametrize("mg,text", [(30, "6 × 5 mg"), (22.5, "4 × 5 mg + 1 × 2.5 mg"), (2.5, "1 × 2.5 mg")])
def test_tablet_text(mg, text):
    assert tablet_text(mg) == text


@pytest.mark.parametrize("mg", [0, -5, 7.4])
def test_tablet_text_rejects_non_tablet_doses(mg):
    with pytest.raises(ValueError):
        tablet_text(mg)


def test_datetime_start_is_read_as_its_date():
    assert run(start_date=dt.date(2026, 1, 5)).value[0]["from"] == "2026-01-05"
    assert run(start_date=dt.datetime(2026, 1, 5, 9, 30)).value[0]["from"] == "2026-01-05"


BAD = [
    ({"start_date": "2026-02-30"}, "start_date"),
    ({"start_date": "2027-02-29"}, "start_date"),
    ({"start_date": "05/01/2026"}, "start_date"),
    ({"start_date": "tomorrow"}, "start_date"),
    ({"start_date": ""}, "start_date"),
    ({"start_date": None}, "start_date"),
    ({"start_date": "1899-12-31"}, "start_date"),
    ({"start_date": "2200-01-01"}, "start_date"),
    ({"weight_kg": None}, "weight_kg"),
    ({"weight_kg": float("nan")}, "weight_kg"),
    ({"weight_kg": float("-inf")}, "weight_kg"),
    ({"weight_kg": -70}, "weight_kg"),
    ({"weight_kg": 19.9}, "weight_kg"),
    ({"weight_kg": "heavy"}, "weight_kg"),
    ({"start_mg": 27}, "start_mg"),
    ({"start_mg": 32.5}, "start_mg"),
    ({"start_mg": 7.5}, "start_mg"),
    ({"start_mg": 40}, "start_mg"),
    ({"start_mg": "nan"}, "start_mg"),
    ({"start_mg": "30 g"}, "start_mg"),
    # mg_per_kg applies only to a weight-based start, normal_week only once ALT/AST are normal.
    ({"start_basis": "weight", "mg_per_kg": 1.1}, "mg_per_kg"),
    ({"start_basis": "weight", "mg_per_kg": 0.4}, "mg_per_kg"),
    ({"aminotransferases": "normal", "normal_week": 2.5}, "normal_week"),
    ({"aminotransferases": "normal", "normal_week": 0}, "normal_week"),
    ({"aminotransferases": "normal", "normal_week": 261}, "normal_week"),
    ({"start_basis": "bsa"}, "start_basis"),
    ({"aminotransferases": "yes"}, "aminotransferases"),
    ({"taper": "fast"}, "taper"),
    ({"regimen": "easl"}, "regimen"),
    ({"regimen": True}, "regimen"),
    ({"regimen": None}, "regimen"),  # no default any more: the regimen must be chosen
    ({"regimen": ""}, "regimen"),
    # bilirubin_below_6 applies only to the EASL 2015 regimen.
    ({"regimen": "easl2015-weight", "bilirubin_below_6": "maybe"}, "bilirubin_below_6"),
    ({"regimen": "easl2015-weight", "bilirubin_below_6": 5}, "bilirubin_below_6"),
    ({"age_group": None}, "age_group"),
    ({"age_group": ""}, "age_group"),
    ({"age_group": "senior"}, "age_group"),
    ({"age_group": "child"}, "age_group"),
]


@pytest.mark.parametrize("inputs,field", BAD)
def test_bad_input_names_the_field(inputs, field):
    base = dict(BASE)
    base.update(inputs)
    for name in ("weight_kg", "age_group", "regimen"):
        if base.get(name) is None:
            base.pop(name)
    with pytest.raises(InputError) as caught:
        aihcalc.calculate(CALC, base)
    assert caught.value.field == field


@pytest.mark.parametrize("name", ["start_mg", "start_basis", "aminotransferases"])
@pytest.mark.parametrize("blank", ["", "  "])
def test_emptied_input_with_a_default_is_an_error(name, blank):
    with pytest.raises(InputError) as caught:
        run(**{name: blank})
    assert caught.value.field == name
    if name == "start_mg":
        assert caught.value.reason.startswith("is empty: enter a value (the usual value is ")
    else:  # a choice left unmade is asked for, never taken as its default
        assert caught.value.reason == "is required"


def test_emptied_start_dose_names_its_usual_value():
    with pytest.raises(InputError) as caught:
        run(start_mg="")
    assert caught.value.reason == "is empty: enter a value (the usual value is 30 mg/day)"


@pytest.mark.parametrize("regimen", ["aasld2010-combination", "easl2015-weight", "camaro"])
def test_emptied_seed_input_is_ignored_by_other_regimens(regimen):
    """An input that does not apply is ignored, even when sent empty: no error for it."""
    assert run(regimen=regimen, start_mg="").value == run(regimen=regimen).value


def test_child_is_refused():
    with pytest.raises(InputError) as caught:
        run(age_group="child")
    assert caught.value.field == "age_group"
    assert caught.value.reason.startswith(
        "This prednisolone taper is for adults; no dose is given for a child or adolescent."
    )
    assert "prednisolone schedule for children" in caught.value.reason


@pytest.mark.parametrize("regimen", ["seed-combination", "aasld2010-monotherapy", "easl2015-weight", "camaro"])
def test_child_is_refused_whatever_the_regimen(regimen):
    with pytest.raises(InputError) as caught:
        run(age_group="paediatric", regimen=regimen)
    assert caught.value.field == "age_group"


def test_date_range_ends_are_accepted():
    assert run(start_date="1900-01-01").value[0]["from"] == "1900-01-01"
    last = run(start_date="2199-12-31", aminotransferases="normal", normal_week=260)
    # week 261 starts 7 × 260 = 1820 days after the start
    assert last.outputs["reduce_to_7_5_from"] == "2204-12-25"
    assert last.outputs["reduce_to_5_from"] == "2205-03-25"


def test_json_round_trip():
    data = json.loads(run(aminotransferases="normal", normal_week=8).to_json())
    assert isinstance(data["value"], list) and data["value"][-1]["to"] is None
    # The regimens' sources: the seed's three keys first, then EASL 2015's secondary source
    # (World J Gastroenterol 2017), the CAMARO trial report and its protocol.
    assert data["references"] == [
        "easl2015", "gleeson2025", "manns2010", "wjg2017-aih", "camaro-pmc12372268", "camaro-protocol2022"
    ]


def test_declaration_matches_design_contract():
    calc = aihcalc.get(CALC)
    names = [i.name for i in calc.inputs]
    assert names[:2] == ["age_group", "regimen"]
    assert calc.input("age_group").default is None and calc.input("regimen").default is None
    assert {"start_date", "start_mg", "weight_kg"} <= set(names)
    assert calc.example["age_group"] == "adult" and calc.example["regimen"] == "seed-combination"
    assert calc.input("start_date").kind == "date"
    assert [c for c, _ in calc.value.columns] == ["from_text", "to_text", "daily_mg", "tablets", "note"]
    assert calc.calculate(calc.example).value[0] == {
        "from": "2026-01-05", "to": "2026-01-11", "daily_mg": 30.0, "tablets": "6 × 5 mg", "note": "Week 1",
        "from_text": "Mon 5 Jan 2026", "to_text": "Sun 11 Jan 2026",
    }


def test_seed_outputs_name_the_source_and_the_total():
    out = run().outputs
    assert out["regimen_source"].endswith(
        "Not confirmed against a primary source: these steps were not found in the guideline text."
    )
    assert out["cumulative_mg"] == out["cumulative_mg_weeks_1_4"] == 560
    assert out["cumulative_period"].startswith("Mon 5 Jan 2026 to Sun 1 Feb 2026 (28 days")
    assert out["maintenance_mg"] == 10 and out["tablet_strengths"] == "5 mg and 2.5 mg prednisolone tablets"


def test_seed_total_covers_every_dated_step_once_alt_is_normal():
    # 560 (weeks 1–4) + 10 mg × 7 days (week 5) + 7.5 mg × 89 days (2026-02-09 to 2026-05-08)
    out = run(aminotransferases="normal", normal_week=4).outputs
    assert out["cumulative_mg"] == 560 + 70 + 7.5 * 89
    assert out["cumulative_period"].startswith("Mon 5 Jan 2026 to Fri 8 May 2026 (124 days")
    assert out["cumulative_mg_weeks_1_4"] == 560


@pytest.mark.parametrize("mg,text", [(12.5, "2 × 5 mg + 1 × 2.5 mg"), (60, "12 × 5 mg"), (37.5, "7 × 5 mg + 1 × 2.5 mg")])
def test_tablet_text_for_the_other_regimens_doses(mg, text):
    assert tablet_text(mg) == text
