"""prednisolone-taper regimens: each regimen's steps, dates, sources, confidence and warnings.

The summary articles' regimen (seed-combination) is tested in test_prednisolone.py; here the
other four, the choice itself (required: no regimen is pre-selected), and what every regimen
shares (tablets, totals, calendar, JSON, inputs that apply only to one regimen).
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

import aihcalc
from aihcalc import InputError, evidence
from aihcalc.dates import human_date_or_none
from aihcalc.calculators.prednisolone_taper import (
    AASLD_WEAK,
    CAMARO_SECONDARY,
    EASL_SECONDARY,
    REGIMENS,
    UNVERIFIED,
    easl_dose,
)

CALC = "prednisolone-taper"
START = "2026-01-05"  # a Monday
KEYS = ["seed-combination", "aasld2010-combination", "aasld2010-monotherapy", "easl2015-weight", "camaro"]
STATUS = {  # how far each regimen's steps were checked (the evidence register's words)
    "seed-combination": "unverified",
    "aasld2010-combination": "unverified",
    "aasld2010-monotherapy": "unverified",
    "easl2015-weight": "secondary",
    "camaro": "secondary",
}
FIRST_WARNING = {
    "seed-combination": UNVERIFIED,
    "aasld2010-combination": AASLD_WEAK["aasld2010-combination"],
    "aasld2010-monotherapy": AASLD_WEAK["aasld2010-monotherapy"],
    "easl2015-weight": EASL_SECONDARY,
    "camaro": CAMARO_SECONDARY,
}
EASL_EXAMPLE = [60, 50, 40, 30, 25, 20, 15, 12.5, 10]


def run(regimen: str, **inputs):
    base = {"age_group": "adult", "start_date": START, "weight_kg": 70, "regimen": regimen}
    base.update(inputs)
    return aihcalc.calculate(CALC, base)


def dated(result):
    return [(r["from"], r["to"], r["daily_mg"]) for r in result.value]


def human(iso: str | None) -> str | None:
    """The date as the result shows it (None stays None: a step not dated yet)."""
    return human_date_or_none(iso)


def day(offset: int) -> str:
    return (dt.date.fromisoformat(START) + dt.timedelta(days=offset)).isoformat()


def tablets_mg(text: str) -> float:
    """'2 × 5 mg + 1 × 2.5 mg' → 12.5."""
    return sum(int(n) * float(s) for n, s in re.findall(r"(\d+) × ([\d.]+) mg", text))


# --- the choice --------------------------------------------------------------------------------


def test_regimen_is_a_required_choice():
    item = aihcalc.get(CALC).input("regimen")
    assert item.kind == "choice" and list(item.choice_values) == KEYS == list(REGIMENS)
    assert item.default is None  # no regimen is pre-selected
    labels = {c.value: c.label for c in item.choices}
    shown = {  # how far its steps were checked, in the choice's own words
        "seed-combination": "not confirmed against a primary source",
        "aasld2010-combination": "weak source",
        "aasld2010-monotherapy": "weak source",
        "easl2015-weight": "secondary source",
        "camaro": "secondary source",
    }
    for key, words in shown.items():
        assert words in labels[key], labels[key]
    assert labels["seed-combination"].startswith("Summary-article regimen: 30 → 10 mg/day over 4 weeks")
    assert REGIMENS["seed-combination"].name == "summary articles' combination"
    assert not any("seed" in label.lower() for label in labels.values())


@pytest.mark.parametrize("missing", [None, "", "   "])
def test_omitted_regimen_is_an_error_not_the_seed_schedule(missing):
    inputs = {"age_group": "adult", "start_date": START, "weight_kg": 70}
    if missing is not None:
        inputs["regimen"] = missing
    with pytest.raises(InputError) as caught:
        aihcalc.calculate(CALC, inputs)
    assert caught.value.field == "regimen"
    assert caught.value.reason == "is required"


def test_seed_regimen_is_named_summary_articles_in_the_result():
    result = run("seed-combination")
    assert [r["daily_mg"] for r in result.value] == [30, 20, 15, 10, 7.5, 5]
    assert result.working[0].startswith("Regimen: summary articles' combination.")
    assert result.outputs["regimen_source"].startswith("The summary articles' regimen")
    assert "seed" not in result.outputs["regimen_source"]
    for regimen in KEYS[1:]:
        assert any(
            "belong to the summary articles' regimen" in step for step in run(regimen).working
        )


@pytest.mark.parametrize("regimen", KEYS)
def test_every_regimen_names_its_source_and_evidence(regimen):
    result = run(regimen)
    source = result.outputs["regimen_source"]
    entry = evidence.get(REGIMENS[regimen].evidence)  # each regimen names its register entry
    assert entry.status == STATUS[regimen] and REGIMENS[regimen].evidence in aihcalc.get(CALC).evidence
    [field] = [i for i in aihcalc.get(CALC).describe()["inputs"] if i["name"] == "regimen"]
    [choice] = [c for c in field["choices"] if c["value"] == regimen]
    assert choice["evidence"] == entry.id
    assert source.endswith(REGIMENS[regimen].checked) and "Confidence" not in source
    assert result.warnings[0] == FIRST_WARNING[regimen]
    assert result.working[0].startswith(f"Regimen: {REGIMENS[regimen].name}.")
    for key in re.findall(r"\[([^\]]+)\]", REGIMENS[regimen].source):
        for part in key.split("; "):
            assert part in aihcalc.get(CALC).references


@pytest.mark.parametrize("regimen", KEYS)
def test_every_regimen_has_the_schedule_columns_and_outputs(regimen):
    result = run(regimen)
    calc = aihcalc.get(CALC)
    for row in result.value:
        assert list(row) == ["from", "to", *(c for c, _ in calc.value.columns if c not in ("from_text", "to_text")), "from_text", "to_text"]
        assert (row["from_text"], row["to_text"]) == (human(row["from"]), human(row["to"]))
    assert {o.name for o in calc.outputs} == set(result.outputs)
    assert result.value[0]["from"] == START
    assert result.value[-1]["to"] is None or result.value[-1]["from"] is None


@pytest.mark.parametrize("bad", ["easl", "AASLD", "paediatric", "", "none"])
def test_unknown_regimen_is_an_input_error(bad):
    # "" is no longer the default regimen: the regimen is required.
    with pytest.raises(InputError) as caught:
        run(bad)
    assert caught.value.field == "regimen"


def test_regimen_in_capitals_is_read():
    assert run("CAMARO").outputs["start_dose_mg"] == 40


# --- AASLD 2010 ----------------------------------------------------------------------------------


def test_aasld_combination_schedule():
    result = run("aasld2010-combination")
    assert dated(result) == [
        (day(0), day(6), 30.0),
        (day(7), day(13), 20.0),
        (day(14), day(27), 15.0),
        (day(28), None, 10.0),
    ]
    assert [r["tablets"] for r in result.value] == ["6 × 5 mg", "4 × 5 mg", "3 × 5 mg", "2 × 5 mg"]
    out = result.outputs
    assert out["cumulative_mg"] == out["cumulative_mg_weeks_1_4"] == 560
    assert out["cumulative_period"].startswith(f"{human(START)} to {human(day(27))} (28 days")
    assert (out["maintenance_mg"], out["maintenance_from"]) == (10, day(28))
    assert out["reduce_to_7_5_from"] is None and out["reduce_to_5_from"] is None
    assert "one page gives 15 mg for week 3 only" in result.warnings[0]
    assert "50 mg/day (US) or 1–2 mg/kg/day (Europe), 70–140 mg/day at 70 kg" in out["with_drug"]
    assert any("dose-equivalent" in step for step in result.working)


def test_aasld_monotherapy_schedule():
    result = run("aasld2010-monotherapy")
    assert dated(result) == [
        (day(0), day(6), 60.0),
        (day(7), day(13), 40.0),
        (day(14), day(27), 30.0),
        (day(28), None, 20.0),
    ]
    assert [r["tablets"] for r in result.value] == ["12 × 5 mg", "8 × 5 mg", "6 × 5 mg", "4 × 5 mg"]
    out = result.outputs
    assert out["cumulative_mg"] == 1120  # 7×60 + 7×40 + 14×30
    assert out["start_dose_mg"] == 60 and out["start_mg_per_kg"] == 0.86
    assert out["maintenance_mg"] == 20
    assert out["with_drug"].startswith("None")
    assert result.warnings[0].startswith("Weak source")


@pytest.mark.parametrize("regimen", ["aasld2010-combination", "aasld2010-monotherapy"])
@pytest.mark.parametrize("weight", [20, 45, 70, 150, 300])
def test_aasld_doses_do_not_depend_on_weight(regimen, weight):
    assert dated(run(regimen, weight_kg=weight)) == dated(run(regimen))


# --- EASL 2015 -------------------------------------------------------------------------------------


def test_easl_at_60_kg_is_the_example():
    result = run("easl2015-weight", weight_kg=60)
    assert dated(result) == [
        (day(0), day(6), 60.0),
        (day(7), day(13), 50.0),
        (day(14), day(20), 40.0),
        (day(21), day(27), 30.0),
        (day(28), day(34), 25.0),
        (day(35), day(41), 20.0),
        (day(42), day(55), 15.0),
        (day(56), day(69), 12.5),
        (day(70), None, 10.0),
    ]
    assert result.value[7]["tablets"] == "2 × 5 mg + 1 × 2.5 mg"  # 12.5 mg
    assert result.value[0]["tablets"] == "12 × 5 mg"  # 60 mg
    out = result.outputs
    assert out["cumulative_mg"] == 1960  # 7 × (60+50+40+30+25+20) + 14 × 15 + 14 × 12.5
    assert out["cumulative_mg_weeks_1_4"] == 1260
    assert out["cumulative_period"].startswith(f"{human(START)} to {human(day(69))} (70 days")
    assert (out["maintenance_mg"], out["maintenance_from"]) == (10, day(70))
    assert out["start_mg_per_kg"] == 1.0
    assert not any("Scaled to" in w for w in result.warnings)
    assert "50 mg/day in weeks 3–4, then 100 mg/day" in out["with_drug"]
    notes = [r["note"] for r in result.value]
    assert "azathioprine not yet" in notes[0] and "azathioprine not yet" in notes[1]
    assert "azathioprine starts" in notes[2] and "50 mg/day" in notes[2]
    assert all("100 mg/day" in n for n in notes[4:])


@pytest.mark.parametrize(
    "weight,doses",
    [
        # × 1/3; 50 → 16.67 → 17.5; 12.5 → 4.17 → 5; 10 → 3.33 → 2.5
        (20, [20, 17.5, 12.5, 10, 7.5, 7.5, 5, 5, 2.5]),
        # × 1/2; 12.5 → 6.25 is an exact half step: down to 5
        (30, [30, 25, 20, 15, 12.5, 10, 7.5, 5, 5]),
        # × 3/4; 25 → 18.75 and 15 → 11.25 are exact half steps: down
        (45, [45, 37.5, 30, 22.5, 17.5, 15, 10, 10, 7.5]),
        (59.9, [60, 50, 40, 30, 25, 20, 15, 12.5, 10]),
        (60, EASL_EXAMPLE),
        (60.1, EASL_EXAMPLE),
        (100, EASL_EXAMPLE),  # the factor is capped, not each step: no weeks held at 60 mg
        (300, EASL_EXAMPLE),
    ],
)
def test_easl_scaled_by_weight(weight, doses):
    result = run("easl2015-weight", weight_kg=weight)
    assert [r["daily_mg"] for r in result.value] == doses
    assert max(doses) <= 60
    assert any("Scaled to" in w for w in result.warnings) == (weight < 60)
    if weight < 60:
        assert "(example 60 mg at 60 kg)" in result.value[0]["note"] or doses[0] == 60


@pytest.mark.parametrize("example", EASL_EXAMPLE)
def test_easl_dose_rounds_to_the_nearest_2_5_mg(example):
    for tenth in range(200, 3001):
        weight = tenth / 10
        mg = easl_dose(example, weight)
        exact = example * min(weight, 60) / 60
        assert mg % 2.5 == 0 and mg > 0
        assert abs(mg - exact) <= 1.25 + 1e-9
        assert mg <= example


def test_easl_low_start_warns_and_points_to_children():
    result = run("easl2015-weight", weight_kg=25)
    assert result.value[0]["daily_mg"] == 25
    assert any("below the source's 30–60 mg/day start range" in w and "prednisolone schedule for children" in w
               for w in result.warnings)
    assert not any("start range" in w for w in run("easl2015-weight", weight_kg=30).warnings)


@pytest.mark.parametrize(
    "bilirubin,week3,warning",
    [
        ("unknown", "azathioprine starts if bilirubin is below 6 mg/dL (100 µmol/L)", "Check bilirubin before week 3"),
        ("yes", "azathioprine starts (example: 50 mg/day)", None),
        ("no", "azathioprine waits until bilirubin is below 6 mg/dL (100 µmol/L)", "Bilirubin 6 mg/dL (100 µmol/L) or more"),
    ],
)
def test_easl_bilirubin_condition_moves_azathioprine_not_prednisolone(bilirubin, week3, warning):
    result = run("easl2015-weight", weight_kg=60, bilirubin_below_6=bilirubin)
    assert [r["daily_mg"] for r in result.value] == EASL_EXAMPLE
    assert week3 in result.value[2]["note"]
    bilirubin_warnings = [w for w in result.warnings if "bilirubin" in w.lower()]
    if warning is None:
        assert bilirubin_warnings == []
    else:
        assert any(w.startswith(warning) for w in bilirubin_warnings)
    if bilirubin == "no":
        assert all("waits" in r["note"] for r in result.value[2:])


@pytest.mark.parametrize("regimen", [k for k in KEYS if k != "easl2015-weight"])
@pytest.mark.parametrize("bilirubin", ["no", "yes", "maybe", ""])
def test_bilirubin_is_ignored_by_other_regimens(regimen, bilirubin):
    """bilirubin_below_6 applies only to EASL 2015: elsewhere whatever was sent is ignored,
    even a value that would be rejected, and the result is the same in every respect."""
    base, sent = run(regimen), run(regimen, bilirubin_below_6=bilirubin)
    assert sent.to_dict() == base.to_dict()
    assert sent.inputs["bilirubin_below_6"] == "unknown"  # its default
    assert not any("bilirubin answer" in w or w.startswith("Not used by") for w in sent.warnings)


def test_bilirubin_applies_to_easl():
    assert run("easl2015-weight", bilirubin_below_6="no").to_dict() != run("easl2015-weight").to_dict()
    with pytest.raises(InputError) as caught:
        run("easl2015-weight", bilirubin_below_6="maybe")
    assert caught.value.field == "bilirubin_below_6"


# --- CAMARO ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "weight,first,edge",
    [(20, 40, False), (79.9, 40, False), (80, 40, True), (80.1, 60, False), (300, 60, False)],
)
def test_camaro_start_by_weight_band(weight, first, edge):
    result = run("camaro", weight_kg=weight)
    assert dated(result) == [
        (day(0), day(6), float(first)),
        (day(7), day(34), None),
        (day(35), None, 15.0),
    ]
    assert result.outputs["start_dose_mg"] == first
    assert any("Exactly 80 kg" in w for w in result.warnings) == edge


def test_camaro_shows_no_invented_steps():
    result = run("camaro")
    middle = result.value[1]
    assert middle["daily_mg"] is None and middle["tablets"] is None
    assert "tapered per the trial protocol" in middle["note"] and "steps not available" in middle["note"]
    out = result.outputs
    assert out["cumulative_mg"] is None and out["cumulative_mg_weeks_1_4"] is None
    assert out["cumulative_period"] == f"Not available: the doses from {human(day(7))} to {human(day(34))} are not known"
    assert result.display["cumulative_mg"] == "—"
    assert (out["maintenance_mg"], out["maintenance_from"]) == (15, day(35))
    assert f"1 g/day from week 5 ({human(day(28))})" in out["with_drug"]
    assert f"2 g/day from week 7 ({human(day(42))})" in out["with_drug"]
    assert any("teratogenic" in w for w in result.warnings)
    assert any("may reach 15 mg/day already in week 5" in w for w in result.warnings)
    data = json.loads(result.to_json())
    assert data["value"][1]["daily_mg"] is None


# --- what the regimens share ------------------------------------------------------------------------


SEED_INPUTS = [
    {"start_mg": 20},
    {"start_mg": 27, "normal_week": 0.5},  # values that would be rejected if they applied
    {"aminotransferases": "normal", "normal_week": 8},
    {"start_mg": 20, "aminotransferases": "normal", "normal_week": 8},
    {"start_basis": "weight", "mg_per_kg": 1},
    {"start_basis": "bsa", "mg_per_kg": 5, "aminotransferases": "yes"},
    {"start_basis": "", "start_mg": ""},
]


@pytest.mark.parametrize("regimen", KEYS[1:])
@pytest.mark.parametrize("sent", SEED_INPUTS, ids=range(len(SEED_INPUTS)))
def test_seed_inputs_are_ignored_by_other_regimens(regimen, sent):
    """The seed regimen's own inputs do not apply to the others: ignored, their defaults used
    (the old "Not used by …" warning is gone: nothing about the result changes at all)."""
    base = run(regimen)
    changed = run(regimen, **sent)
    assert changed.to_dict() == base.to_dict()
    assert not any(w.startswith("Not used by") for w in changed.warnings)
    assert (changed.inputs["start_basis"], changed.inputs["start_mg"], changed.inputs["mg_per_kg"]) == (
        "fixed", 30, 0.5
    )
    assert (changed.inputs["aminotransferases"], changed.inputs["normal_week"]) == ("not-yet-normal", 4)


def test_seed_dependent_inputs_apply_only_with_their_choice():
    """start_mg only for a fixed start, mg_per_kg only for a weight start, normal_week only
    once ALT and AST are normal, even within the summary articles' regimen."""
    seed = "seed-combination"
    assert run(seed, start_basis="weight", start_mg=20).to_dict() == run(seed, start_basis="weight").to_dict()
    assert run(seed, mg_per_kg=1).to_dict() == run(seed).to_dict()
    assert run(seed, normal_week=12).to_dict() == run(seed).to_dict()
    # and they do apply when their condition holds
    assert run(seed, start_mg=20).value[0]["daily_mg"] == 20
    assert run(seed, start_basis="weight", weight_kg=45, mg_per_kg=0.5).value[0]["daily_mg"] == 22.5
    assert (
        run(seed, aminotransferases="normal", normal_week=12).outputs["reduce_to_7_5_from"] == day(7 * 12)
    )


ABOVE = "Above the largest dose the sources used:"


@pytest.mark.parametrize(
    "regimen,weight,first",
    [
        ("seed-combination", 29, 30),
        ("aasld2010-combination", 29, 30),
        ("aasld2010-monotherapy", 59, 60),
        ("camaro", 39, 40),
        ("camaro", 20, 40),
    ],
)
def test_start_above_one_mg_per_kg_names_the_studied_maximum(regimen, weight, first):
    result = run(regimen, weight_kg=weight)
    assert result.value[0]["daily_mg"] == first
    (warning,) = [w for w in result.warnings if w.startswith(ABOVE)]
    assert warning.startswith(
        f"{ABOVE} the dose from {human(START)}, {first} mg/day, is more than 1 mg/kg/day "
        f"({weight:g} mg/day at this weight)"
    )
    assert "EASL 2015's start range, 0.5–1 mg/kg/day [easl2015] (secondary)" in warning


@pytest.mark.parametrize(
    "regimen,weight",
    [
        ("seed-combination", 30), ("aasld2010-combination", 30), ("aasld2010-monotherapy", 60),
        ("camaro", 40), ("camaro", 80), ("easl2015-weight", 20), ("easl2015-weight", 45),
        ("easl2015-weight", 300), ("camaro", 300),
    ],
)
def test_start_at_or_below_one_mg_per_kg_has_no_such_warning(regimen, weight):
    assert not any(w.startswith(ABOVE) for w in run(regimen, weight_kg=weight).warnings)


@pytest.mark.parametrize("regimen", KEYS)
def test_a_child_is_refused_by_every_regimen(regimen):
    with pytest.raises(InputError) as caught:
        run(regimen, age_group="child")
    assert caught.value.field == "age_group"
    assert "prednisolone schedule for children" in caught.value.reason


@pytest.mark.parametrize("regimen", KEYS)
@pytest.mark.parametrize("weight", [20, 45, 60, 80, 120])
def test_tablets_add_up_to_the_dose(regimen, weight):
    for row in run(regimen, weight_kg=weight).value:
        if row["daily_mg"] is not None:
            assert tablets_mg(row["tablets"]) == row["daily_mg"]


@pytest.mark.parametrize("regimen", KEYS)
def test_cumulative_is_the_sum_over_the_dated_rows(regimen):
    result = run(regimen, weight_kg=52, aminotransferases="normal", normal_week=9)
    total = 0.0
    for row in result.value:
        if row["from"] is None or row["to"] is None:
            break
        if row["daily_mg"] is None:
            total = None
            break
        days = (dt.date.fromisoformat(row["to"]) - dt.date.fromisoformat(row["from"])).days + 1
        total += days * row["daily_mg"]
    assert result.outputs["cumulative_mg"] == total


@pytest.mark.parametrize("regimen", KEYS)
def test_calendar_for_every_regimen(regimen):
    inputs = {"age_group": "adult", "start_date": START, "weight_kg": 70, "regimen": regimen}
    result = aihcalc.calculate(CALC, inputs)
    _, text = aihcalc.get(CALC).export("ics", inputs)
    flat = text.replace("\r\n ", "")
    starts = [line.split(":", 1)[1] for line in flat.split("\r\n") if line.startswith("DTSTART")]
    assert starts == [r["from"].replace("-", "") for r in result.value if r["from"]]
    if regimen == "camaro":
        assert "SUMMARY:Prednisolone: dose per the trial protocol (steps not available here)" in flat


@pytest.mark.parametrize("regimen", KEYS)
def test_json_is_canonical_and_finite(regimen):
    result = run(regimen, weight_kg=47.3)
    text = result.to_json()
    assert json.loads(text)["outputs"]["regimen_source"] == result.outputs["regimen_source"]
    assert "NaN" not in text and "Infinity" not in text


def test_children_are_left_to_the_paediatric_calculator():
    notes = " ".join(aihcalc.get(CALC).notes)
    assert "prednisolone schedule for children" in notes
    assert not any(c.id in notes for c in aihcalc.all_calculators())  # named in words, not by id
    assert "paediatric" not in " ".join(aihcalc.get(CALC).input("regimen").choice_values)
