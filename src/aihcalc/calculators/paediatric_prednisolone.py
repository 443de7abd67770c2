"""Steroid regimens for autoimmune hepatitis: budesonide, acute severe AIH, and children.

What each figure rests on (their evidence entries are named below):

Budesonide (``budesonide-regimen``)
- 9 mg/day (3 mg three times daily) with azathioprine 1–2 mg/kg/day, only without cirrhosis:
  the budesonide RCT [manns2010budesonide] — **confirmed** (the trial excluded cirrhosis; it
  also used 3 mg twice daily, 6 mg/day, which is a note here). Not for acute severe AIH
  (evidence: budesonide-regimen). Cirrhosis or acute severe AIH → no dose, with the reason and the alternative.

Acute severe AIH (``acute-severe-steroid``)
- Intravenous corticosteroid at least 1 mg/kg/day, as early as possible: EASL 2015 wording
  [easl2015] — **secondary**. No specific methylprednisolone dose was found, so the result is
  "at least W mg/day prednisolone-equivalent" and its methylprednisolone equivalent by the
  standard potency ratio (prednisolone 5 mg = methylprednisolone 4 mg [neurooncol2015];
  evidence: steroid-equivalents). No maximum was found either: no cap is invented; a very high dose is flagged.
- Response check 14 days after the start: failure to improve or worsening within 2 weeks
  justifies transplant evaluation (Czaja 2013 [czaja2013], abstract); no improvement within
  7–14 days → evaluate for emergency transplantation (Mack 2020 [mack2020], **secondary**).

Children (``paediatric-prednisolone``)
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

Who each is for: the age group is asked (weight cannot tell an adolescent from a small adult).
Budesonide and the acute severe dose are adult figures and refuse a child; the children's
schedule refuses an adult and names the adult taper.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from ..dosing import DailyDose, DoseLimit, DoseRules, fewest_tablets, floor_to_step, round_half_down
from ..dates import human_date, with_human_dates
from ..present import fmt_number, tablets_text
from ..registry import register
from ..spec import Calculator, FallbackGrid, Input, Outcome, Output, Working
from .population import ADULT, CHILD, adults_only, age_group, children_only
from .start_date import parse_start
from .steroids import EQUIVALENT_MG

CHILD_PAGE = (
    "For a child use the prednisolone schedule for children, on the page about autoimmune "
    "hepatitis in children."
)

# --- budesonide -----------------------------------------------------------------------------

BUD_DAILY_MG = 9  # 3 mg three times daily [manns2010budesonide], confirmed
BUD_REDUCED_MG = 6  # 3 mg twice daily, also used in the trial
AZA_MG_PER_KG = (1.0, 2.0)  # [manns2010budesonide], confirmed

BUD_CIRRHOSIS = (
    "Cirrhosis: budesonide is not for patients with cirrhosis. The trial that showed its benefit "
    "excluded cirrhosis [manns2010budesonide], and budesonide depends on high first-pass "
    "metabolism in the liver: in cirrhosis more of it reaches the circulation, with systemic "
    "steroid side effects [geier2003]."
)
BUD_ACUTE = (
    "Acute severe autoimmune hepatitis: budesonide is not a treatment for it; acute severe AIH "
    "is treated with high-dose intravenous corticosteroids as early as possible."
)
BUD_ALT_CIRRHOSIS = (
    "Prednisolone with azathioprine (see the prednisolone taper and azathioprine dose "
    "calculators)."
)
BUD_ALT_ACUTE = "Intravenous corticosteroid at least 1 mg/kg/day (see the intravenous steroid calculator for acute severe autoimmune hepatitis)."
BUD_LIMITS = (
    DoseLimit(
        "ceiling",
        "mg/day",
        BUD_DAILY_MG,
        "the budesonide trial, 3 mg three times daily [manns2010budesonide]",
        "confirmed",
    ),
)


def _budesonide_doses(v: Any, outcome: Outcome) -> list[DailyDose]:
    return [] if outcome.value is None else [DailyDose("Budesonide", outcome.value)]


def _budesonide(v: dict[str, Any], work: Working) -> Outcome:
    weight = v["weight_kg"]
    aza_low = round(weight * AZA_MG_PER_KG[0], 2)
    aza_high = round(weight * AZA_MG_PER_KG[1], 2)
    outputs: dict[str, Any] = {
        "action": "start",
        "reason": "",
        "alternative": "",
        "regimen": None,
        "capsules": None,
        "azathioprine_low_mg": None,
        "azathioprine_high_mg": None,
    }
    reasons, alternatives = [], []
    if v["cirrhosis"]:
        reasons.append(BUD_CIRRHOSIS)
        alternatives.append(BUD_ALT_CIRRHOSIS)
        work.step("Cirrhosis → budesonide is contraindicated.")
    if v["acute_severe"]:
        reasons.append(BUD_ACUTE)
        alternatives.append(BUD_ALT_ACUTE)
        work.step("Acute severe AIH → budesonide is not used.")
    if reasons:
        reason = " ".join(reasons)
        alternative = " ".join(alternatives)
        work.warn(f"Do not use budesonide. {reason} Alternative: {alternative}")
        outputs.update(action="do-not-use", reason=reason, alternative=alternative)
        return Outcome(value=None, outputs=outputs, display={"value": "do not use"})

    work.step(
        "No cirrhosis and not acute severe AIH → budesonide 3 mg three times daily = "
        f"{BUD_DAILY_MG} mg/day [manns2010budesonide]."
    )
    work.step(
        f"With azathioprine 1–2 mg/kg/day: {fmt_number(weight)} kg × 1 = {fmt_number(aza_low)} mg/day "
        f"to {fmt_number(weight)} kg × 2 = {fmt_number(aza_high)} mg/day [manns2010budesonide]; the "
        "tablet dose and the TPMT/NUDT15 check come from the azathioprine dose calculator."
    )
    work.warn(
        "Budesonide needs a liver without cirrhosis: confirm that cirrhosis has been excluded "
        "(the trial excluded it). Check TPMT (and NUDT15) before azathioprine."
    )
    outputs.update(
        reason="No cirrhosis and not acute severe AIH: budesonide with azathioprine may be used.",
        regimen="3 mg three times daily",
        capsules="1 × 3 mg, three times a day",
        azathioprine_low_mg=aza_low,
        azathioprine_high_mg=aza_high,
    )
    return Outcome(
        value=BUD_DAILY_MG,
        outputs=outputs,
        display={"value": f"{BUD_DAILY_MG} mg/day (3 mg three times daily)"},
    )


BUDESONIDE = register(
    Calculator(
        id="budesonide-regimen",
        details=("azathioprine_low_mg", "azathioprine_high_mg"),
        title="Budesonide with azathioprine (autoimmune hepatitis without cirrhosis)",
        summary=(
            "Budesonide 3 mg three times daily with azathioprine 1–2 mg/kg/day, for patients "
            "without cirrhosis and without acute severe AIH; otherwise no dose and the alternative."
        ),
        inputs=(
            age_group(
                "The trial's doses are for adults; a child is not dosed here.",
                CHILD,
                adults_only("This budesonide regimen", CHILD_PAGE),
            ),
            Input(
                "weight_kg",
                "Body weight",
                unit="kg",
                allowed=(20, 300),
                plausible=(30, 200),
                step=0.1,
                hint="For the azathioprine range (1–2 mg/kg/day).",
            ),
            Input("cirrhosis", "Cirrhosis", kind="boolean", hint="Budesonide is contraindicated in cirrhosis."),
            Input(
                "acute_severe",
                "Acute severe AIH",
                kind="boolean",
                hint="Budesonide is not for acute severe AIH.",
            ),
        ),
        value=Output("budesonide_mg", "Daily budesonide dose", unit="mg/day"),
        outputs=(
            Output("regimen", "How to give it"),
            Output("capsules", "Capsules (3 mg)"),
            Output("action", "Action"),
            Output("reason", "Why"),
            Output("alternative", "Alternative"),
            Output("azathioprine_low_mg", "Azathioprine at 1 mg/kg/day", unit="mg/day"),
            Output("azathioprine_high_mg", "Azathioprine at 2 mg/kg/day", unit="mg/day"),
        ),
        compute=_budesonide,
        references=("manns2010budesonide", "geier2003"),
        example={"age_group": "adult", "weight_kg": 70, "cirrhosis": False, "acute_severe": False},
        fallback=FallbackGrid(
            rows="cirrhosis",
            row_values=(False, True),
            columns="acute_severe",
            column_values=(False, True),
            fixed={"age_group": "adult", "weight_kg": 70},
        ),
        dose_rules=DoseRules(BUD_LIMITS, _budesonide_doses),
        notes=(
            "Figures confirmed by the budesonide trial (Manns 2010, PMID 20600032): budesonide 3 mg "
            "three times daily with azathioprine 1–2 mg/kg/day, in patients without cirrhosis.",
            f"The trial also used 3 mg twice daily ({BUD_REDUCED_MG} mg/day) as the reduced dose; when to reduce "
            "is not modelled here.",
            "The azathioprine figures are the 1–2 mg/kg/day range before rounding; the "
            "azathioprine dose calculator gives the tablet dose and adjusts it for TPMT and "
            "NUDT15 status.",
            "Capsules assumed: 3 mg oral budesonide, one three times a day.",
        ),
    )
)


# --- acute severe AIH -----------------------------------------------------------------------

ACUTE_MG_PER_KG = 1.0  # "at least 1 mg/kg", EASL 2015 wording [easl2015], secondary
# Potency equivalence, prednisolone 5 mg = methylprednisolone 4 mg [neurooncol2015], taken from
# the one steroid-equivalence table (steroids.py, the steroid-conversion calculator).
METHYLPRED_PER_PREDNISOLONE = float(EQUIVALENT_MG["methylprednisolone"] / EQUIVALENT_MG["prednisolone"])
CHECK_DAYS = 14  # 2 weeks [czaja2013]
EARLY_REVIEW_DAYS = 7  # 7–14 days [mack2020], secondary
HIGH_DOSE_FLAG_MG = 100  # a prompt to check the weight; not a maximum (none was found)
ACUTE_LIMITS = (
    DoseLimit(
        "review-prompt",
        "mg/day",
        HIGH_DOSE_FLAG_MG,
        "no source gave a maximum dose",
        "calculator's choice",
        "In obesity, ask whether actual body weight is the right basis.",
    ),
)


def _acute_doses(v: Any, outcome: Outcome) -> list[DailyDose]:
    return [DailyDose("The minimum prednisolone-equivalent dose", outcome.value)]

ACUTE_UNVERIFIED = (
    "Not verified against the guideline text: 'high-dose intravenous corticosteroids (at least "
    "1 mg/kg) as early as possible' is EASL 2015's wording as quoted by a secondary source "
    "[easl2015], and 'no improvement within 7–14 days → evaluate for emergency transplantation' "
    "is AASLD 2019 (Mack 2020) as quoted by a secondary source [mack2020]. No specific "
    "methylprednisolone dose and no maximum dose were found."
)


def _acute(v: dict[str, Any], work: Working) -> Outcome:
    weight = v["weight_kg"]
    start = parse_start(v)
    work.warn(ACUTE_UNVERIFIED)
    exact = round(weight * ACUTE_MG_PER_KG, 6)
    pred = int(math.ceil(exact))
    mp_exact = round(weight * ACUTE_MG_PER_KG * METHYLPRED_PER_PREDNISOLONE, 6)
    mp = int(math.ceil(mp_exact))
    work.step(
        f"At least 1 mg/kg/day: {fmt_number(weight)} kg × 1 mg/kg = {fmt_number(exact)} mg/day "
        f"prednisolone-equivalent, rounded up to a whole mg = {pred} mg/day [easl2015]."
    )
    work.step(
        f"Methylprednisolone equivalent (prednisolone 5 mg = methylprednisolone 4 mg "
        "[neurooncol2015, Table 1]): "
        f"{fmt_number(exact)} × 4/5 = {fmt_number(mp_exact)} mg/day, rounded up = {mp} mg/day "
        "intravenously."
    )
    review = start + dt.timedelta(days=EARLY_REVIEW_DAYS)
    check = start + dt.timedelta(days=CHECK_DAYS)
    work.step(
        f"Response check: start {human_date(start)} + {CHECK_DAYS} days = {human_date(check)}; "
        f"review from {human_date(start)} + {EARLY_REVIEW_DAYS} days = {human_date(review)}."
    )
    work.warn(
        "The methylprednisolone figure is a potency equivalent of 1 mg/kg prednisolone, not a "
        "dose found in any AIH guideline; choose the intravenous dose with the specialist team."
    )
    work.warn(
        "Involve a liver transplant centre early: failure to improve, or worsening, within 2 weeks "
        "justifies transplant evaluation [czaja2013]; with no improvement within 7–14 days, "
        "evaluate for emergency transplantation [mack2020]."
    )
    outputs = {
        "min_prednisolone_equivalent_mg": pred,
        "min_methylprednisolone_mg": mp,
        "mg_per_kg": ACUTE_MG_PER_KG,
        "route": "intravenous, as early as possible",
        "review_from": review.isoformat(),
        "check_date": check.isoformat(),
        "response_check": (
            f"By {human_date(check)}: failure to improve, or worsening → transplant evaluation "
            f"[czaja2013]; no improvement from {human_date(review)} on → evaluate for emergency "
            "transplantation [mack2020]."
        ),
    }
    return Outcome(
        value=pred,
        outputs=outputs,
        display={
            "value": (
                f"at least {pred} mg/day prednisolone-equivalent intravenously "
                f"(methylprednisolone at least {mp} mg/day); check response by {human_date(check)}"
            ),
            "min_prednisolone_equivalent_mg": f"at least {pred} mg/day",
            "min_methylprednisolone_mg": f"at least {mp} mg/day",
        },
    )


ACUTE_SEVERE = register(
    Calculator(
        id="acute-severe-steroid",
        details=("mg_per_kg",),
        title="Acute severe autoimmune hepatitis: intravenous steroid and the 2-week check",
        summary=(
            "Intravenous corticosteroid of at least 1 mg/kg/day prednisolone-equivalent (and its "
            "methylprednisolone equivalent), with the date by which response decides on "
            "transplant evaluation."
        ),
        inputs=(
            age_group(
                "The dose wording is for adults; a child is not dosed here.",
                CHILD,
                adults_only(
                    "This intravenous steroid dose",
                    "Acute severe autoimmune hepatitis in a child is treated by a paediatric "
                    "liver centre.",
                ),
            ),
            Input(
                "weight_kg",
                "Body weight",
                unit="kg",
                allowed=(20, 300),
                plausible=(30, 200),
                step=0.1,
                hint="Actual body weight; adults.",
            ),
            Input("start_date", "Start date", kind="date", hint="First day of intravenous steroid."),
        ),
        value=Output("min_prednisolone_equivalent_mg", "Minimum daily dose", unit="mg/day"),
        outputs=(
            Output("min_methylprednisolone_mg", "Methylprednisolone equivalent", unit="mg/day"),
            Output("mg_per_kg", "Dose per kilogram (at least)", unit="mg/kg/day"),
            Output("route", "Route"),
            Output("review_from", "Review response from (day 7)"),
            Output("check_date", "Response check (day 14)"),
            Output("response_check", "What the check decides"),
        ),
        compute=_acute,
        references=("easl2015", "mack2020", "czaja2013", "neurooncol2015"),
        example={"age_group": "adult", "weight_kg": 70, "start_date": "2026-01-05"},
        dose_rules=DoseRules(ACUTE_LIMITS, _acute_doses),
        notes=(
            "Figures: at least 1 mg/kg intravenous corticosteroid as early as possible (EASL 2015 "
            "wording, secondary source); no improvement within 7–14 days → evaluate for emergency "
            "transplantation (AASLD 2019, secondary); failure to improve or worsening within 2 "
            "weeks justifies transplant evaluation (Czaja 2013).",
            "No specific methylprednisolone dose was found: the result is a minimum in "
            "prednisolone-equivalent, with its methylprednisolone equivalent at prednisolone "
            "5 mg = methylprednisolone 4 mg.",
            "Rounding: both figures are rounded up to a whole mg, because they are minimums.",
            "No maximum dose was found and none is applied; above 100 mg/day the result asks for "
            "the weight and the dose to be checked.",
            "Dates: the check date is the start date plus 14 days (the same weekday two weeks "
            "later); the review window opens 7 days after the start.",
        ),
    )
)


# --- children -------------------------------------------------------------------------------

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
    ),
    DoseLimit(
        "ceiling",
        "mg/day",
        PAED_MAX_MG,
        "a maximum attributed to AASLD 2010 [manns2010]",
        "weak",
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


PAEDIATRIC = register(
    Calculator(
        id="paediatric-prednisolone",
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
