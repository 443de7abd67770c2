"""Prednisolone for children with AIH (``paediatric-prednisolone``): a weekly mg/kg taper.

What each figure rests on:

- World J Gastroenterol 2017, Table 2 [wjg2017-aih] (same authors as ESPGHAN 2018
  [mieli-vergani2018]) — **secondary**: 2 mg/kg/day in week 1, then 1.75, 1.5, 1.25, 1.0, 0.75,
  0.5, 0.25 mg/kg/day (weeks 8–9), then 0.1–0.2 mg/kg/day (weeks 10–11). One week per step for
  1.75…0.5 (weeks 2–7) is how the list fits weeks 8–9; the calculator's reading, stated.
- Maximum 60 mg/day: seen only attributed to AASLD 2010 [manns2010] — **weak**; applied as
  the cap, with a warning in every result.
- Rounding: prednisolone tablets 1, 2.5 and 5 mg (UK). From 10 mg/day up the dose is rounded
  to 2.5 mg (at most 12.5 % off); below 10 mg/day to 1 mg, so small children are not moved by
  a quarter or more of their dose; below 1 mg/day to 0.1 mg, which needs a liquid. An exact
  half step rounds down (towards less steroid). The rounding never goes above the cap, and a
  heavier child never gets less.
- Ceilings (declared as data, held by ``Calculator.calculate``): 2 mg/kg/day, the schedule's
  own top step, and 60 mg/day. A week whose nearest tablet step would pass 2 mg/kg/day takes
  the largest whole mg below it instead (a 7 kg child gets 14 mg, not 15 mg, in week 1).

Who it is for: the age group is asked (weight cannot tell an adolescent from a small adult);
the schedule refuses an adult and names the adult taper.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..dates import human_date, with_human_dates
from ..dosing import DailyDose, DoseLimit, DoseRules, fewest_tablets, floor_to_step, round_half_down
from ..present import fmt_number, tablets_text
from ..registry import register
from ..spec import Calculator, Change, Input, Outcome, Output, Working
from .population import ADULT, age_group, children_only
from .start_date import parse_start

# (label, first week, last week, mg/kg/day) [wjg2017-aih] Table 2, secondary; the last step's
# mg/kg is the user's choice within 0.1–0.2 (None here).
PAED_STEPS: tuple[tuple[str, int, int, float | None], ...] = (
    ("Week 1", 1, 1, 2.0),
    ("Week 2", 2, 2, 1.75),
    ("Week 3", 3, 3, 1.5),
    ("Week 4", 4, 4, 1.25),
    ("Week 5", 5, 5, 1.0),
    ("Week 6", 6, 6, 0.75),
    ("Week 7", 7, 7, 0.5),
    ("Weeks 8–9", 8, 9, 0.25),
    ("Weeks 10–11", 10, 11, None),
)
PAED_FINAL_RANGE = (0.1, 0.2)
PAED_MAX_MG = 60.0  # "maximum 60 mg/day", attributed to AASLD 2010 [manns2010]: weak
PAED_MAX_MG_PER_KG = 2.0  # the schedule's own top step [wjg2017-aih], secondary
PAED_LIMITS = (
    DoseLimit(
        "ceiling",
        "mg/kg/day",
        PAED_MAX_MG_PER_KG,
        "the schedule's first week, 2 mg/kg/day [wjg2017-aih]",
        "secondary",
        "Rounding to tablets goes down rather than above it.",
        evidence="paediatric-schedule",
    ),
    DoseLimit(
        "ceiling",
        "mg/day",
        PAED_MAX_MG,
        "a maximum attributed to AASLD 2010 [manns2010]",
        "weak",
        evidence="paediatric-max-60",
    ),
)


def _paediatric_doses(v: Any, outcome: Outcome) -> list[DailyDose]:
    return [DailyDose(row["weeks"], row["daily_mg"]) for row in outcome.value]
COARSE_FROM_MG = 10.0  # 2.5 mg steps from here up
PAED_TABLETS_MG = (5.0, 2.5, 1.0)  # prednisolone tablets (UK), largest first
LIQUID_BELOW_MG = 1.0  # smaller than the smallest tablet
FAR_OFF = 0.2  # warn when rounding moves a dose by more than 20 %

PAED_UNVERIFIED = (
    "Not verified against any guideline: the weekly mg/kg steps come from a secondary source "
    "(World J Gastroenterol 2017, Table 2) [wjg2017-aih], not from the ESPGHAN text "
    "[mieli-vergani2018]; the 60 mg/day maximum is weak (seen only attributed to AASLD 2010 "
    "[manns2010]). Check the schedule with a paediatric hepatologist before use."
)


def _step(mg: float) -> float:
    if mg >= COARSE_FROM_MG:
        return 2.5
    if mg >= LIQUID_BELOW_MG:
        return 1.0
    return 0.1


def round_paediatric(mg: float, ceiling: float | None = None) -> float:
    """2.5 mg steps from 10 mg/day, 1 mg steps below, 0.1 mg (liquid) below 1 mg/day.

    With a ``ceiling`` (the most this child may have), a step that would pass it is replaced
    by the largest whole-mg dose not above it (1 mg tablets; 0.1 mg of liquid below 1 mg).
    """
    rounded = round_half_down(mg, _step(mg))
    if ceiling is not None and rounded > ceiling:
        rounded = floor_to_step(ceiling, 1.0 if ceiling >= LIQUID_BELOW_MG else 0.1)
    return rounded


def paediatric_tablets(mg: float) -> str:
    """Fewest 5, 2.5 and 1 mg tablets; doses below 1 mg or not whole-tablet need a liquid."""
    # Only the doses the rounding gives (multiples of 2.5 mg, or whole mg) are tablet doses.
    halves, whole = round(mg / 2.5, 9), round(mg, 9)
    tablet_dose = mg >= LIQUID_BELOW_MG and (halves == int(halves) or whole == int(whole))
    counts = fewest_tablets(mg, PAED_TABLETS_MG) if tablet_dose else None
    return tablets_text(counts) if counts else "below 1 mg: oral liquid"


def _paediatric(v: dict[str, Any], work: Working) -> Outcome:
    weight = v["weight_kg"]
    final = round(v["final_mg_per_kg"], 3)  # the schedule's figures have at most 3 decimals
    start = parse_start(v)
    work.warn(PAED_UNVERIFIED)
    rows: list[dict[str, Any]] = []
    cumulative = 0.0
    capped_weeks: list[str] = []
    far_weeks: list[str] = []
    liquid_weeks: list[str] = []
    held_weeks: list[str] = []
    for label, first, last, per_kg in PAED_STEPS:
        per_kg = final if per_kg is None else per_kg
        target = round(weight * per_kg, 6)
        capped = min(target, PAED_MAX_MG)
        ceiling = min(round(weight * PAED_MAX_MG_PER_KG, 6), PAED_MAX_MG)
        mg = round_paediatric(capped, ceiling)
        if mg < round_half_down(capped, _step(capped)):
            held_weeks.append(label)
        begin = start + dt.timedelta(days=7 * (first - 1))
        end = start + dt.timedelta(days=7 * last - 1)
        days = 7 * (last - first + 1)
        cumulative += days * mg
        tablets = paediatric_tablets(mg)
        rows.append(
            {
                "weeks": label,
                "from": begin.isoformat(),
                "to": end.isoformat(),
                "mg_per_kg": per_kg,
                "daily_mg": mg,
                "mg_per_kg_given": round(mg / weight, 3),
                "tablets": tablets,
            }
        )
        step = (
            f"{label}: {fmt_number(weight)} kg × {fmt_number(per_kg)} mg/kg/day = "
            f"{fmt_number(target)} mg/day"
        )
        if target > PAED_MAX_MG:
            capped_weeks.append(label)
            step += f", capped at {fmt_number(PAED_MAX_MG)} mg/day"
        step += f" → {fmt_number(mg)} mg/day ({tablets}), {human_date(begin)} to {human_date(end)}."
        work.step(step)
        if capped > 0 and abs(mg - capped) > FAR_OFF * capped:
            far_weeks.append(label)
        if mg < LIQUID_BELOW_MG:
            liquid_weeks.append(label)
    cumulative = round(cumulative, 2)
    end_date = rows[-1]["to"]
    work.step(
        "Rounding: from 10 mg/day up to the nearest 2.5 mg, below 10 mg/day to the nearest 1 mg, "
        "below 1 mg/day to the nearest 0.1 mg; an exact half step rounds down."
    )
    terms = " + ".join(
        f"{7 * (last - first + 1)} × {fmt_number(row['daily_mg'])}"
        for (_, first, last, _), row in zip(PAED_STEPS, rows)
    )
    work.step(f"Total over weeks 1–11 (77 days): {terms} = {fmt_number(cumulative)} mg.")
    if capped_weeks:
        work.warn(
            f"Capped at {fmt_number(PAED_MAX_MG)} mg/day in {', '.join(capped_weeks)}: the mg/kg "
            "schedule would give more. The 60 mg/day maximum is weak (seen only attributed to "
            "AASLD 2010), so the given mg/kg is lower than the schedule's in those weeks."
        )
    if held_weeks:
        work.step(
            f"{', '.join(held_weeks)}: the nearest tablet step would pass "
            f"{fmt_number(PAED_MAX_MG_PER_KG)} mg/kg/day ({fmt_number(round(weight * PAED_MAX_MG_PER_KG, 6))} "
            "mg/day at this weight), so the largest whole mg below it was taken."
        )
    if liquid_weeks:
        work.warn(
            f"Below 1 mg/day in {', '.join(liquid_weeks)}: smaller than the smallest tablet; an "
            "oral liquid is needed (ask the pharmacy for the product and its strength)."
        )
    if far_weeks:
        work.warn(
            f"Rounding to whole tablets moves the dose by more than 20 % in {', '.join(far_weeks)}: "
            "compare 'mg/kg/day given' with the schedule, and consider an oral liquid."
        )
    first_mg, last_mg = rows[0]["daily_mg"], rows[-1]["daily_mg"]
    summary = (
        f"{fmt_number(first_mg)} mg/day from {human_date(start)}, tapering weekly to "
        f"{fmt_number(last_mg)} mg/day in weeks 10–11 (to {human_date(end_date)})"
    )
    outputs = {
        "start_dose_mg": first_mg,
        "start_mg_per_kg_given": rows[0]["mg_per_kg_given"],
        "cumulative_mg": cumulative,
        "end_date": end_date,
        "max_dose_mg": PAED_MAX_MG,
        "capped": bool(capped_weeks),
    }
    return Outcome(value=with_human_dates(rows), outputs=outputs, display={"value": summary})


# What changed for a clinician, and why (from this module's history; see spec.Change).
PAEDIATRIC_CHANGES = (
    Change(
        "2026-11-22",
        "1.0",
        "First published: a dated 11-week prednisolone schedule for a child, 2 mg/kg/day in week 1 "
        "tapering weekly to 0.1–0.2 mg/kg/day, at most 60 mg/day, in tablet steps.",
        "Children are dosed by weight, week by week, on a schedule of their own.",
    ),
    Change(
        "2026-12-04",
        "2.0",
        "No week is above 2 mg/kg/day: where the nearest tablet step would pass it, the largest "
        "whole mg below it is given (a 7 kg child gets 14 mg in week 1, not 15 mg); the age group "
        "is asked, and an adult is refused and sent to the adult taper.",
        "2 mg/kg/day is the schedule's own top step, and rounding up to a 2.5 mg step passed it in "
        "the smallest children; body weight cannot tell an adolescent from a small adult.",
    ),
    Change(
        "2026-12-04",
        "2.1",
        "Dates in the schedule and the answer are written as 'Mon 5 Jan 2026' instead of 2026-01-05.",
        "A date in digits reads differently from one country to another; a weekday and a month name "
        "cannot be misread, and the weekday helps a family keep to a weekly schedule.",
    ),
)


PAEDIATRIC = register(
    Calculator(
        id="paediatric-prednisolone",
        version="2.1",
        changes=PAEDIATRIC_CHANGES,
        evidence=("paediatric-schedule", "paediatric-max-60"),
        details=("start_mg_per_kg_given", "cumulative_mg", "max_dose_mg"),
        title="Prednisolone for children with autoimmune hepatitis (weekly mg/kg taper)",
        summary=(
            "Dated 11-week prednisolone schedule for a child: 2 mg/kg/day in week 1 tapering "
            "weekly to 0.1–0.2 mg/kg/day (secondary source), at most 60 mg/day (weak)."
        ),
        inputs=(
            age_group(
                "This schedule is for children and adolescents; an adult is not dosed here.",
                ADULT,
                children_only(
                    "For an adult use the prednisolone taper, on the page about first-line "
                    "treatment."
                ),
            ),
            Input(
                "weight_kg",
                "Body weight",
                unit="kg",
                allowed=(2, 150),
                plausible=(3, 100),
                step=0.1,
                hint="The child's actual body weight.",
            ),
            Input("start_date", "Start date", kind="date", hint="First day of prednisolone."),
            Input(
                "final_mg_per_kg",
                "Weeks 10–11 dose",
                unit="mg/kg/day",
                allowed=PAED_FINAL_RANGE,
                default=0.2,
                step=0.05,
                hint="0.1–0.2 mg/kg/day in the source.",
            ),
        ),
        value=Output(
            "schedule",
            "Prednisolone schedule",
            columns=(
                ("weeks", "Weeks"),
                ("from_text", "From"),
                ("to_text", "To"),
                ("mg_per_kg", "Schedule (mg/kg/day)"),
                ("daily_mg", "Daily dose (mg)"),
                ("mg_per_kg_given", "Given (mg/kg/day)"),
                ("tablets", "Tablets"),
            ),
        ),
        outputs=(
            Output("start_dose_mg", "Week 1 dose", unit="mg/day"),
            Output("start_mg_per_kg_given", "Week 1 dose per kilogram", unit="mg/kg/day"),
            Output("cumulative_mg", "Total over weeks 1–11", unit="mg"),
            Output("end_date", "Last day of week 11"),
            Output("max_dose_mg", "Maximum applied (weak source)", unit="mg/day"),
            Output("capped", "Maximum reached"),
        ),
        compute=_paediatric,
        references=("wjg2017-aih", "mieli-vergani2018", "manns2010"),
        example={"age_group": "child", "weight_kg": 20, "start_date": "2026-01-05", "final_mg_per_kg": 0.2},
        dose_rules=DoseRules(PAED_LIMITS, _paediatric_doses),
        notes=(
            "Figures: prednisolone 2 mg/kg/day in week 1, then 1.75, 1.5, 1.25, 1.0, 0.75, 0.5, "
            "0.25 mg/kg/day (weeks 8–9), then 0.1–0.2 mg/kg/day (weeks 10–11): World J "
            "Gastroenterol 2017, Table 2 (secondary; same authors as the ESPGHAN 2018 statement, "
            "whose abstract gives no doses). One week per step for 1.75 to 0.5 mg/kg/day (weeks "
            "2–7) is this calculator's reading of that list.",
            "Maximum 60 mg/day: seen only attributed to AASLD 2010 (weak); applied as the cap. "
            "No week is ever above 2 mg/kg/day, the schedule's first step: where the nearest "
            "tablet step would pass it, the largest whole mg below it is taken.",
            "Tablets assumed: prednisolone 1 mg, 2.5 mg and 5 mg (UK). Rounding: to 2.5 mg from "
            "10 mg/day up, to 1 mg below 10 mg/day, to 0.1 mg (an oral liquid) below 1 mg/day; an "
            "exact half step rounds down.",
            "After week 11 (maintenance) is not modelled. Azathioprine in children: from 0.5 "
            "mg/kg/day up to 2–2.5 mg/kg/day (same secondary source), not calculated here.",
        ),
    )
)
