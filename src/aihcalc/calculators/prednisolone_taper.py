"""Prednisolone taper for autoimmune hepatitis, as dated steps, for one of five adult regimens.

What each regimen rests on is its entry in the evidence register (``Regimen.evidence``, also
given with the regimen's choice by ``describe``): its sources and how far they were checked.
Every result names its regimen's source and how far it was checked (output
``regimen_source``) and warns accordingly.

No regimen is pre-selected: the user chooses one (the summary articles' regimen used to be the
default although no guideline text confirms it). Adults only: the age group is asked, and a
child is sent to the ``paediatric-prednisolone`` calculator.

Limits (declared as data, held by ``Calculator.calculate``): no step is ever above 60 mg/day,
the highest first step of any regimen here (each regimen's own ``max_mg`` is lower or equal);
a start above 1 mg/kg/day, the top of EASL 2015's 0.5–1 mg/kg/day [easl2015] (secondary),
always carries a warning naming it.

Inputs that belong to one regimen (``start_basis``, ``start_mg``, ``mg_per_kg``,
``aminotransferases``, ``normal_week``: the summary articles' regimen; ``bilirubin_below_6``:
EASL 2015) declare it with ``applies_when``: the form disables them for the other regimens
and the calculator ignores what was sent for them.

``seed-combination`` (the summary articles' regimen; its key keeps its old name)
- The seed article's regimen: prednisolone 30 mg/day, tapered over 4 weeks to 10 mg/day,
  then 7.5 mg/day once aminotransferases are normal, then 5 mg/day after 3 months at 7.5 mg.
  The seed cites EASL 2015 and BSG 2025 for it [easl2015; gleeson2025]. Evidence: taper-summary-articles, **not found**
  in the guideline text, so every result carries a warning saying so.
- The weekly steps inside those 4 weeks (30 mg in week 1, 20 mg in week 2, 15 mg in weeks 3–4,
  then 10 mg) are the AASLD 2010 combination regimen [manns2010] (prednisone, dose-equivalent to
  prednisolone), the same regimen described loosely (evidence: taper-aasld2010; weak).
- Stepping down to 7.5 mg/day depends on ALT and AST becoming normal, which no calculator can
  know. Until the user says they are normal, the 7.5 mg and 5 mg steps are shown without dates.
  Once the user gives the treatment week in which they were first normal, 7.5 mg starts at the
  beginning of the following week, and never before week 6 so that 10 mg is given for at least
  a week (the seed's order "10 mg, then 7.5 mg"). This timing is the calculator's convention,
  stated in the result, not a guideline figure.
- "After 3 months": the same day of the month three calendar months later (the last day of the
  month when that month is shorter).
- An optional weight-based start follows EASL 2015's 0.5–1 mg/kg/day [easl2015] (evidence: easl2015-start-range,
  secondary), rounded down to 2.5 mg and capped at 30 mg, the first step of this regimen;
  EASL's own higher starts (up to 60 mg) are the ``easl2015-weight`` regimen.
- The start-dose inputs (``start_basis``, ``start_mg``, ``mg_per_kg``) and the ALT/AST inputs
  (``aminotransferases``, ``normal_week``) belong to this regimen only; the other regimens set
  their own doses (by week, and by weight for EASL 2015 and CAMARO) and say so when those
  inputs were changed.

``aasld2010-combination`` [manns2010] — **weak** (one page gives 15 mg for week 3 only)
- Prednisone 30 mg/day week 1, 20 mg week 2, 15 mg weeks 3–4, then 10 mg/day maintenance, with
  azathioprine 50 mg/day (US) or 1–2 mg/kg/day (Europe).

``aasld2010-monotherapy`` [manns2010] — **weak**
- Prednisone 60, 40, 30, 30 mg/day (weeks 1–4), then 20 mg/day maintenance.

``easl2015-weight`` [easl2015; wjg2017-aih] — **secondary**
- The EASL 2015 example for a 60 kg patient (prednisolone mg/day): week 1 60; week 2 50; week 3
  40; week 4 30; week 5 25; week 6 20; weeks 7–8 15; weeks 9–10 12.5; then 10. World J
  Gastroenterol 2017;23:6030–6048, Table 1, gives nearly the same steps.
- Scaling to the patient (this calculator's reading, stated in every scaled result): the example
  is 1 mg/kg/day at the start for 60 kg, and the start range is 0.5–1 mg/kg/day (30–60 mg).
  Every step is multiplied by min(weight, 60)/60 and rounded to the nearest 2.5 mg (an exact
  half step rounds down). The factor, not each step, is capped: at 60 kg and above the example
  is shown unchanged, so no step is ever above the example's (at most 60 mg/day) and the taper
  keeps its shape; capping each step instead would hold a heavy patient at 60 mg/day for
  several weeks, more steroid than the example gives anyone. Rounding a non-increasing list
  with a non-decreasing rule keeps it non-increasing, and a heavier patient never gets less.
- Azathioprine in the example: 50 mg/day in weeks 3–4, 100 mg/day from week 5, ideally 2 weeks
  after the steroid and once bilirubin is below 6 mg/dL (100 µmol/L). It is shown in the notes
  as the example's figures; for other weights no scaling is invented (the azathioprine-dose
  calculator gives 1–2 mg/kg/day with TPMT and NUDT15).
- The bilirubin condition is the choice ``bilirubin_below_6`` (unknown, yes, no; default
  unknown) rather than a number: the source gives a threshold, not a formula, and a numeric
  input would need either a default (a made-up bilirubin that silently meets the condition)
  or be required for every regimen. "No" keeps the prednisolone steps (the source, as read,
  does not say the steroid waits) and marks azathioprine as waiting.

``camaro`` [camaro-pmc12372268] — **secondary** (the trial report's Table 2 as summarised in
evidence: camaro-taper; start and end only), intermediate steps **not available**
- The CAMARO trial (mycophenolate mofetil vs azathioprine, first line), MMF arm: prednisolone
  40 mg/day (< 80 kg) or 60 mg/day (> 80 kg), tapered to 15 mg/day over 5 weeks; mycophenolate
  1 g from week 5 rising to 2 g from week 7 (PMC12372268, Table 2), shown as 1 g/day and
  2 g/day (daily totals, as the mycophenolate calculator reads them). The protocol (Trials 2022)
  [camaro-protocol2022] is cited as the place to check the weekly steps; it was not read here.
- Only the start and the end of the taper are known: week 1 is the start dose, weeks 2–5 are one
  row "tapered per the trial protocol; steps not available" with ``daily_mg`` null (no figure is
  invented), and 15 mg/day is shown from week 6 (the end of a 5-week taper; whether it is
  already reached in week 5 is not known, and the result says so). The cumulative dose is then
  not computable and is null.
- Exactly 80 kg is in neither band: 40 mg/day (the lower dose, so the schedule never gives more
  than either reading) with a warning to check the protocol.

Children: the ``paediatric-prednisolone`` calculator (weekly mg/kg taper), not duplicated here.

Tablets: 5 mg and 2.5 mg prednisolone tablets throughout (every dose here is a multiple of
2.5 mg: 12.5 mg = 2 × 5 mg + 1 × 2.5 mg, 60 mg = 12 × 5 mg); one strength through a taper means
each step changes only the number of the same tablets. 1 mg and 25 mg tablets also exist.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from ..dosing import DailyDose, DoseLimit, DoseRules, fewest_tablets
from ..ics import schedule_export
from ..dates import human_date, with_human_dates
from ..present import fmt_number, tablets_text
from ..registry import register
from ..spec import Calculator, Change, Choice, Input, InputError, Outcome, Output, Working
from .population import CHILD, adult_weight, adults_only, age_group
from .start_date import parse_start

REGIMEN_START_MG = 30.0
# (first day, last day counted from the start date, daily mg, weeks) [manns2010], weak.
TAPER = (
    (0, 6, 30.0, "Week 1"),
    (7, 13, 20.0, "Week 2"),
    (14, 27, 15.0, "Weeks 3–4"),
)
MAINTENANCE_MG = 10.0
MAINTENANCE_DAY = 28  # first day of week 5
REDUCED_MG = 7.5
EARLIEST_REDUCED_WEEK = 6  # at least one week at 10 mg first (this calculator's convention)
LOW_MG = 5.0
MONTHS_AT_REDUCED = 3
DOSE_STEP_MG = 2.5
TABLET_STRENGTHS_MG = (5.0, 2.5)
TABLET_STRENGTHS_TEXT = "5 mg and 2.5 mg prednisolone tablets"
WEIGHT_MG_PER_KG = (0.5, 1.0)  # EASL 2015 start, secondary source

UNVERIFIED = (
    "Not verified against the guideline text: the steps 30 mg/day → 10 mg/day over 4 weeks, "
    "7.5 mg/day once ALT and AST are normal, and 5 mg/day after 3 months come from a summary "
    "that cites EASL 2015 and BSG 2025, but were not found in those guidelines; the weekly "
    "steps (30, 20, 15, 15 mg) come from a secondary account of the AASLD 2010 regimen. Check "
    "the schedule against the guideline before use."
)


# --- the regimens ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Regimen:
    key: str
    label: str  # the choice's label in the form
    name: str  # in sentences
    source: str  # what the figures rest on, with bibliography keys
    evidence: str  # its entry in the evidence register (evidence.toml): source, status, locator
    checked: str  # how far the source was checked, in a sentence a clinician reads
    max_mg: float  # no row of the schedule is ever above this


SEED = "seed-combination"
AASLD_COMBINATION = "aasld2010-combination"
AASLD_MONOTHERAPY = "aasld2010-monotherapy"
EASL = "easl2015-weight"
CAMARO = "camaro"

REGIMENS: dict[str, Regimen] = {
    r.key: r
    for r in (
        Regimen(
            SEED,
            "Summary-article regimen: 30 → 10 mg/day over 4 weeks, then 7.5 and 5 mg (not confirmed against a primary source)",
            "summary articles' combination",
            "the summary articles' regimen, which they attribute to EASL 2015 and BSG 2025 "
            "[easl2015; gleeson2025]; weekly steps from a secondary account of AASLD 2010 [manns2010]",
            "taper-summary-articles",
            "Not confirmed against a primary source: these steps were not found in the guideline text.",
            30.0,
        ),
        Regimen(
            AASLD_COMBINATION,
            "AASLD 2010 combination: 30, 20, 15, 15 mg/day, then 10 mg/day, with azathioprine (weak source)",
            "AASLD 2010 combination",
            "AASLD 2010 practice guideline, combination regimen (Manns, Hepatology 2010;51:2193–2213) "
            "[manns2010], as quoted by summary pages",
            "taper-aasld2010",
            "Checked only against AI-written summary pages, not against the guideline text.",
            30.0,
        ),
        Regimen(
            AASLD_MONOTHERAPY,
            "AASLD 2010 monotherapy: 60, 40, 30, 30 mg/day, then 20 mg/day (weak source)",
            "AASLD 2010 monotherapy",
            "AASLD 2010 practice guideline, monotherapy regimen (Manns, Hepatology 2010;51:2193–2213) "
            "[manns2010], as quoted by summary pages",
            "taper-aasld2010",
            "Checked only against AI-written summary pages, not against the guideline text.",
            60.0,
        ),
        Regimen(
            EASL,
            "EASL 2015: the 60 kg example (60 → 10 mg/day over 10 weeks) scaled to body weight (secondary source)",
            "EASL 2015 weight-based",
            "EASL 2015 Clinical Practice Guidelines (J Hepatol 2015;63:971–1004), example schedule "
            "for a 60 kg patient [easl2015], as quoted by a secondary source; World J Gastroenterol "
            "2017;23:6030–6048, Table 1, gives nearly the same steps [wjg2017-aih]",
            "taper-easl2015-example",
            "Checked against a review quoting the guideline, not against the guideline text.",
            60.0,
        ),
        Regimen(
            CAMARO,
            "CAMARO trial: 40 or 60 mg/day tapered to 15 mg/day over 5 weeks, with mycophenolate (secondary source)",
            "CAMARO trial",
            "CAMARO trial (mycophenolate mofetil vs azathioprine, first line), mycophenolate arm, "
            "as summarised from the trial report, PMC12372268, Table 2 [camaro-pmc12372268]; "
            "the weekly steps are to be checked in the trial protocol (Trials 2022) "
            "[camaro-protocol2022], not read here",
            "camaro-taper",
            "Checked against a summary of the trial report for the start and the end of the taper; "
            "the weekly steps in between were not available.",
            60.0,
        ),
    )
}

# AASLD 2010 [manns2010], weak: (first week, last week, mg/day), then (from week, mg/day).
AASLD_STEPS = {
    AASLD_COMBINATION: (((1, 1, 30.0), (2, 2, 20.0), (3, 4, 15.0)), (5, 10.0)),
    AASLD_MONOTHERAPY: (((1, 1, 60.0), (2, 2, 40.0), (3, 4, 30.0)), (5, 20.0)),
}
AASLD_AZATHIOPRINE_MG_PER_KG = (1.0, 2.0)
AASLD_AZATHIOPRINE_US_MG = 50

AASLD_WEAK = {
    AASLD_COMBINATION: (
        "Weak source: the AASLD 2010 combination steps (prednisone 30, 20, 15, 15 mg/day, then "
        "10 mg/day, with azathioprine 50 mg/day in the US or 1–2 mg/kg/day in Europe) come from "
        "AI-written summary pages, not from the guideline text, and one page gives 15 mg for "
        "week 3 only. Check the schedule against the guideline (Manns 2010, Hepatology "
        "51:2193–2213) before use."
    ),
    AASLD_MONOTHERAPY: (
        "Weak source: the AASLD 2010 monotherapy steps (prednisone 60, 40, 30, 30 mg/day, then "
        "20 mg/day) come from AI-written summary pages, not from the guideline text. Check the "
        "schedule against the guideline (Manns 2010, Hepatology 51:2193–2213) before use."
    ),
}

# EASL 2015 example for 60 kg [easl2015], secondary:
# (first week, last week, prednisolone mg/day, azathioprine mg/day in the example or None).
EASL_REFERENCE_KG = 60.0
EASL_STEPS = (
    (1, 1, 60.0, None),
    (2, 2, 50.0, None),
    (3, 3, 40.0, 50),
    (4, 4, 30.0, 50),
    (5, 5, 25.0, 100),
    (6, 6, 20.0, 100),
    (7, 8, 15.0, 100),
    (9, 10, 12.5, 100),
)
EASL_MAINTENANCE = (11, 10.0, 100)
EASL_START_RANGE_MG = (30.0, 60.0)
BILIRUBIN_LIMIT = "6 mg/dL (100 µmol/L)"

EASL_SECONDARY = (
    "Secondary source: the EASL 2015 steps (60, 50, 40, 30, 25, 20, 15, 15, 12.5, 12.5 mg/day, "
    "then 10 mg/day, for a 60 kg patient, with azathioprine from week 3) come from a review "
    "quoting the guideline, not from the guideline text; World J Gastroenterol 2017 (Table 1) "
    "gives nearly the same steps. Check the schedule against the guideline before use."
)

# CAMARO [camaro-pmc12372268], secondary.
CAMARO_BAND_KG = 80.0
CAMARO_LOW_MG = 40.0  # < 80 kg
CAMARO_HIGH_MG = 60.0  # > 80 kg
CAMARO_END_MG = 15.0
CAMARO_END_WEEK = 6  # 15 mg/day after a 5-week taper (this calculator's reading of "over 5 weeks")
CAMARO_MMF = ((5, "1 g/day"), (7, "2 g/day"))  # (from week, mycophenolate mofetil per day)

CAMARO_SECONDARY = (
    "Trial schedule, secondary source, incomplete: CAMARO's prednisolone start (40 mg/day below "
    "80 kg, 60 mg/day above) and its end point (15 mg/day after a 5-week taper) come from a "
    "summary of the trial report (PMC12372268, Table 2); the weekly steps in between were not "
    "available and are not shown. Take them from the trial protocol (Trials 2022) before use."
)
CAMARO_END_READING = (
    "15 mg/day from week 6 is this calculator's reading of \"tapered to 15 mg over 5 weeks\": "
    "the protocol may reach 15 mg/day already in week 5."
)
CAMARO_MMF_PREGNANCY = (
    "Mycophenolate mofetil is teratogenic: contraindicated in pregnancy. Exclude pregnancy and "
    "arrange contraception before it starts in week 5."
)

TAPER_MAX_MG = max(r.max_mg for r in REGIMENS.values())
LIMITS = (
    DoseLimit(
        "ceiling",
        "mg/day",
        TAPER_MAX_MG,
        "the highest first step of the regimens here (AASLD 2010 monotherapy [manns2010], weak; "
        "EASL 2015 [easl2015], secondary)",
        "weak",
        evidence="taper-aasld2010",
    ),
    DoseLimit(
        "studied-maximum",
        "mg/kg/day",
        WEIGHT_MG_PER_KG[1],
        "EASL 2015's start range, 0.5–1 mg/kg/day [easl2015]",
        "secondary",
        "Check whether this adult regimen fits the patient.",
        evidence="easl2015-start-range",
    ),
)
SEED_ONLY = (("regimen", (SEED,)),)


def _doses(v: Any, outcome: Outcome) -> list[DailyDose]:
    return [
        DailyDose(_row_label(row), row["daily_mg"]) for row in outcome.value if row["daily_mg"] is not None
    ]


def _row_label(row: dict[str, Any]) -> str:
    return f"The dose from {human_date(row['from'])}" if row.get("from") else "A dose"


OTHER_CALCULATORS = (
    "Children: see the prednisolone schedule for children (weekly mg/kg taper). Budesonide: "
    "the budesonide with azathioprine calculator. Acute severe AIH: the intravenous steroid "
    "calculator for acute severe autoimmune hepatitis."
)


# --- computing ------------------------------------------------------------------------------

Parts = tuple[list[dict[str, Any]], dict[str, Any], dict[str, str]]  # rows, outputs, display


def _compute(v: dict[str, Any], work: Working) -> Outcome:
    start = parse_start(v)
    regimen = REGIMENS[v["regimen"]]
    work.step(
        f"Regimen: {regimen.name}. Source: {regimen.source}. {regimen.checked}"
    )
    if regimen.key == SEED:
        outcome = _seed(v, start, work)
    else:
        _not_used(regimen, work)
        if regimen.key in AASLD_STEPS:
            outcome = _aasld(v, start, regimen, work)
        elif regimen.key == EASL:
            outcome = _easl(v, start, work)
        else:
            outcome = _camaro(v, start, work)
    rows, outputs, display = outcome
    rows = with_human_dates(rows)
    outputs.update(_cumulative(rows, start, work))
    outputs["regimen_source"] = _source_text(regimen)
    outputs["tablet_strengths"] = TABLET_STRENGTHS_TEXT
    return Outcome(value=rows, outputs=outputs, display=display)


def _source_text(regimen: Regimen) -> str:
    return (
        f"{regimen.source[0].upper()}{regimen.source[1:]}. {regimen.checked}"
    )


def _not_used(regimen: Regimen, work: Working) -> None:
    """Say in the working that the summary articles' own inputs were not used."""
    work.step(
        "The start-dose and ALT/AST inputs belong to the summary articles' regimen: the "
        f"{regimen.name} regimen sets its own doses and does not use them."
    )


def _seed(v: dict[str, Any], start: dt.date, work: Working) -> Parts:
    weight = v["weight_kg"]
    work.warn(UNVERIFIED)
    start_mg = _start_dose(v, work)

    rows: list[dict[str, Any]] = []
    cumulative = 0.0
    for first, last, regimen_mg, weeks in TAPER:
        mg = min(regimen_mg, start_mg)
        held = mg < regimen_mg
        note = f"{weeks}" + (
            f" (regimen {fmt_number(regimen_mg)} mg; held at the start dose)" if held else ""
        )
        rows.append(_row(start, first, last, mg, note))
        days = last - first + 1
        cumulative += days * mg
        work.step(
            f"{weeks}: {human_date(_date(start, first))} to {human_date(_date(start, last))} ({days} days), "
            f"{fmt_number(mg)} mg/day" + (" (held at the start dose)." if held else ".")
        )
    work.step(
        f"Total over weeks 1–4: {fmt_number(cumulative)} mg. From {human_date(_date(start, MAINTENANCE_DAY))} "
        f"(week 5): {fmt_number(MAINTENANCE_MG)} mg/day."
    )

    if v["aminotransferases"] == "normal":
        normal_week = int(v["normal_week"])
        reduced_week = max(normal_week + 1, EARLIEST_REDUCED_WEEK)
        reduced_from = start + dt.timedelta(days=7 * (reduced_week - 1))
        low_from = add_months(reduced_from, MONTHS_AT_REDUCED)
        work.step(
            f"ALT and AST first normal in week {normal_week} (as entered) → "
            f"{fmt_number(REDUCED_MG)} mg/day from the start of week {reduced_week}, "
            f"{human_date(reduced_from)}"
            + (
                f" (not before week {EARLIEST_REDUCED_WEEK}, so that 10 mg/day is given for at "
                "least one week)."
                if reduced_week > normal_week + 1
                else "."
            )
        )
        work.step(
            f"{MONTHS_AT_REDUCED} months at {fmt_number(REDUCED_MG)} mg/day: "
            f"{human_date(reduced_from)} + {MONTHS_AT_REDUCED} calendar months = "
            f"{human_date(low_from)} → {fmt_number(LOW_MG)} mg/day from then on."
        )
        work.warn(
            f"The {fmt_number(REDUCED_MG)} mg/day date assumes ALT and AST were first normal in "
            f"week {normal_week}; stepping down at the start of the next week (never before "
            f"week {EARLIEST_REDUCED_WEEK}) is this calculator's convention, not a guideline "
            "figure."
        )
        rows.append(
            _dated(start + dt.timedelta(days=MAINTENANCE_DAY), reduced_from - dt.timedelta(days=1),
                   MAINTENANCE_MG, "Maintenance from week 5 until ALT and AST are normal")
        )
        rows.append(
            _dated(reduced_from, low_from - dt.timedelta(days=1), REDUCED_MG,
                   f"From week {reduced_week}: ALT and AST normal in week {normal_week}")
        )
        rows.append(
            _dated(low_from, None, LOW_MG, f"After {MONTHS_AT_REDUCED} months at 7.5 mg/day; ongoing")
        )
        summary_tail = (
            f"; {fmt_number(REDUCED_MG)} mg/day from {human_date(reduced_from)}; "
            f"{fmt_number(LOW_MG)} mg/day from {human_date(low_from)}"
        )
        reduced_text, low_text = reduced_from.isoformat(), low_from.isoformat()
    else:
        work.step(
            f"{fmt_number(REDUCED_MG)} mg/day starts once ALT and AST are normal, which this "
            "calculator cannot know: that step and the 5 mg/day step after it have no dates. "
            "When they are normal, enter 'normal' and the week to date them."
        )
        rows.append(
            _dated(start + dt.timedelta(days=MAINTENANCE_DAY), None, MAINTENANCE_MG,
                   "Maintenance from week 5 until ALT and AST are normal")
        )
        rows.append(
            _dated(None, None, REDUCED_MG,
                   f"From the week after ALT and AST are normal (not before week "
                   f"{EARLIEST_REDUCED_WEEK}); date not known yet")
        )
        rows.append(
            _dated(None, None, LOW_MG,
                   f"After {MONTHS_AT_REDUCED} months at 7.5 mg/day; ongoing; date not known yet")
        )
        summary_tail = (
            f"; {fmt_number(REDUCED_MG)} mg/day once ALT and AST are normal; "
            f"{fmt_number(LOW_MG)} mg/day {MONTHS_AT_REDUCED} months later"
        )
        reduced_text = low_text = None

    summary = (
        f"{fmt_number(start_mg)} mg/day from {human_date(start)}, down to "
        f"{fmt_number(MAINTENANCE_MG)} mg/day from {human_date(_date(start, MAINTENANCE_DAY))}" + summary_tail
    )
    outputs = {
        "start_dose_mg": round(start_mg, 2),
        "start_mg_per_kg": round(start_mg / weight, 2),
        "cumulative_mg_weeks_1_4": round(cumulative, 2),
        "maintenance_from": _date(start, MAINTENANCE_DAY),
        "maintenance_mg": MAINTENANCE_MG,
        "reduce_to_7_5_from": reduced_text,
        "reduce_to_5_from": low_text,
        "with_drug": "Azathioprine: see the azathioprine dose calculator (1–2 mg/kg/day, TPMT and NUDT15).",
    }
    return rows, outputs, {"value": summary}


def _aasld(v: dict[str, Any], start: dt.date, regimen: Regimen, work: Working) -> Parts:
    weight = v["weight_kg"]
    work.warn(AASLD_WEAK[regimen.key])
    steps, (maintenance_week, maintenance_mg) = AASLD_STEPS[regimen.key]
    rows = []
    for first, last, mg in steps:
        rows.append(_week_row(start, first, last, mg, _weeks(first, last)))
        work.step(
            f"{_weeks(first, last)}: {human_date(_week_start(start, first))} to {human_date(_week_end(start, last))}, "
            f"{fmt_number(mg)} mg/day."
        )
    maintenance_from = _week_start(start, maintenance_week)
    rows.append(
        _dated(maintenance_from, None, maintenance_mg,
               f"Maintenance from week {maintenance_week}; how long, and later reductions, not modelled")
    )
    work.step(
        f"From week {maintenance_week}, {human_date(maintenance_from)}: {fmt_number(maintenance_mg)} "
        "mg/day maintenance. AASLD gives prednisone; prednisolone is dose-equivalent (5 mg = 5 mg)."
    )
    if regimen.key == AASLD_COMBINATION:
        low, high = (round(weight * k, 2) for k in AASLD_AZATHIOPRINE_MG_PER_KG)
        with_drug = (
            f"Azathioprine from the start: {AASLD_AZATHIOPRINE_US_MG} mg/day (US) or 1–2 mg/kg/day "
            f"(Europe), {fmt_number(low)}–{fmt_number(high)} mg/day at {fmt_number(weight)} kg; "
            "see the azathioprine dose calculator (tablets, TPMT and NUDT15)."
        )
        work.step(
            f"Azathioprine: {AASLD_AZATHIOPRINE_US_MG} mg/day (US) or 1–2 mg/kg/day (Europe) = "
            f"{fmt_number(low)}–{fmt_number(high)} mg/day at {fmt_number(weight)} kg."
        )
    else:
        with_drug = "None: prednisone (or prednisolone) alone."
    first_mg = steps[0][2]
    summary = (
        f"{fmt_number(first_mg)} mg/day from {human_date(start)}, down to "
        f"{fmt_number(maintenance_mg)} mg/day from {human_date(maintenance_from)} "
        f"({regimen.name}, weak source)"
    )
    outputs = {
        "start_dose_mg": first_mg,
        "start_mg_per_kg": round(first_mg / weight, 2),
        "cumulative_mg_weeks_1_4": _total(rows, start, start + dt.timedelta(days=27)),
        "maintenance_from": maintenance_from.isoformat(),
        "maintenance_mg": maintenance_mg,
        "reduce_to_7_5_from": None,
        "reduce_to_5_from": None,
        "with_drug": with_drug,
    }
    return rows, outputs, {"value": summary}


def easl_dose(example_mg: float, weight_kg: float) -> float:
    """An EASL 2015 step for this weight: example × min(weight, 60)/60, nearest 2.5 mg (half down)."""
    factor = min(weight_kg, EASL_REFERENCE_KG) / EASL_REFERENCE_KG
    units = round(example_mg * factor / DOSE_STEP_MG, 9)
    return round(math.ceil(units - 0.5) * DOSE_STEP_MG, 2)


def _easl(v: dict[str, Any], start: dt.date, work: Working) -> Parts:
    weight = v["weight_kg"]
    bilirubin = v["bilirubin_below_6"]
    work.warn(EASL_SECONDARY)
    scaled = weight < EASL_REFERENCE_KG
    factor = min(weight, EASL_REFERENCE_KG) / EASL_REFERENCE_KG
    if scaled:
        work.step(
            f"The example is for {fmt_number(EASL_REFERENCE_KG)} kg (1 mg/kg/day at the start); "
            f"at {fmt_number(weight)} kg every step × {fmt_number(weight)}/60 = "
            f"{fmt_number(factor)}, rounded to the nearest 2.5 mg (an exact half step down)."
        )
        work.warn(
            f"Scaled to {fmt_number(weight)} kg: the source gives the schedule for a 60 kg patient; "
            "each step × weight/60, rounded to 2.5 mg, is this calculator's reading, not a figure "
            "in the source."
        )
    else:
        work.step(
            f"{fmt_number(weight)} kg is 60 kg or more: the 60 kg example unchanged (60 mg/day is "
            "the top of the 30–60 mg/day start range, so no step is scaled up)."
        )
    rows = []
    for first, last, example_mg, aza_mg in EASL_STEPS:
        mg = easl_dose(example_mg, weight)
        note = _weeks(first, last)
        if mg != example_mg:
            note += f" (example {fmt_number(example_mg)} mg at 60 kg)"
        note += "; " + _easl_azathioprine(first, aza_mg, bilirubin)
        rows.append(_week_row(start, first, last, mg, note))
        work.step(
            f"{_weeks(first, last)}: {human_date(_week_start(start, first))} to {human_date(_week_end(start, last))}, "
            + (f"{fmt_number(example_mg)} × {fmt_number(factor)} = "
               f"{fmt_number(round(example_mg * factor, 6))} → " if scaled else "")
            + f"{fmt_number(mg)} mg/day."
        )
    week, example_mg, aza_mg = EASL_MAINTENANCE
    maintenance_mg = easl_dose(example_mg, weight)
    maintenance_from = _week_start(start, week)
    note = f"From week {week}"
    if maintenance_mg != example_mg:
        note += f" (example {fmt_number(example_mg)} mg at 60 kg)"
    note += "; " + _easl_azathioprine(week, aza_mg, bilirubin) + "; later steps not modelled"
    rows.append(_dated(maintenance_from, None, maintenance_mg, note))
    work.step(
        f"From week {week}, {human_date(maintenance_from)}: "
        + (f"{fmt_number(example_mg)} × {fmt_number(factor)} → " if scaled else "")
        + f"{fmt_number(maintenance_mg)} mg/day."
    )

    first_mg = rows[0]["daily_mg"]
    low, high = EASL_START_RANGE_MG
    if first_mg < low:
        work.warn(
            f"The start, {fmt_number(first_mg)} mg/day (1 mg/kg/day at {fmt_number(weight)} kg), is "
            f"below the source's {fmt_number(low)}–{fmt_number(high)} mg/day start range: check the "
            "weight, and whether this adult regimen fits the patient (children: the "
            "prednisolone schedule for children)."
        )
    if bilirubin == "no":
        work.warn(
            f"Bilirubin {BILIRUBIN_LIMIT} or more: EASL 2015 (secondary source) starts azathioprine "
            f"only once bilirubin is below {BILIRUBIN_LIMIT}; the azathioprine steps in the notes "
            "wait until then. The prednisolone steps are shown unchanged: the source, as read, does "
            "not say whether the steroid taper waits too."
        )
        work.step(f"Bilirubin not below {BILIRUBIN_LIMIT}: azathioprine waits.")
    elif bilirubin == "unknown":
        work.warn(
            f"Check bilirubin before week 3: azathioprine starts only once it is below "
            f"{BILIRUBIN_LIMIT} (EASL 2015, secondary source)."
        )
        work.step(f"Bilirubin not entered: azathioprine from week 3 only if it is below {BILIRUBIN_LIMIT}.")
    else:
        work.step(f"Bilirubin below {BILIRUBIN_LIMIT}: azathioprine can start in week 3.")

    with_drug = (
        f"Azathioprine from week 3 ({human_date(_week_start(start, 3))}), ideally 2 weeks after the "
        f"steroid and once bilirubin is below {BILIRUBIN_LIMIT}; up to 1–2 mg/kg/day. "
        + (
            "At this weight: azathioprine per the azathioprine dose calculator; the 60 kg example "
            "uses 50 then 100 mg/day."
            if weight != EASL_REFERENCE_KG
            else "The 60 kg example: 50 mg/day in weeks 3–4, then 100 mg/day (see the "
            "azathioprine dose calculator for TPMT and NUDT15)."
        )
    )
    summary = (
        f"{fmt_number(first_mg)} mg/day from {human_date(start)}, tapering weekly to "
        f"{fmt_number(maintenance_mg)} mg/day from {human_date(maintenance_from)} (week {week}; "
        "EASL 2015 example" + (f" scaled to {fmt_number(weight)} kg" if scaled else "") + ")"
    )
    outputs = {
        "start_dose_mg": first_mg,
        "start_mg_per_kg": round(first_mg / weight, 2),
        "cumulative_mg_weeks_1_4": _total(rows, start, start + dt.timedelta(days=27)),
        "maintenance_from": maintenance_from.isoformat(),
        "maintenance_mg": maintenance_mg,
        "reduce_to_7_5_from": None,
        "reduce_to_5_from": None,
        "with_drug": with_drug,
    }
    return rows, outputs, {"value": summary}


def _easl_azathioprine(week: int, example_mg: int | None, bilirubin: str) -> str:
    if example_mg is None:
        return "prednisolone alone (azathioprine not yet)"
    wait = f"azathioprine waits until bilirubin is below {BILIRUBIN_LIMIT}"
    if week == 3:
        if bilirubin == "no":
            return wait + f" (example: {example_mg} mg/day from this week)"
        condition = "" if bilirubin == "yes" else f" if bilirubin is below {BILIRUBIN_LIMIT}"
        return f"azathioprine starts{condition} (example: {example_mg} mg/day)"
    text = f"azathioprine {example_mg} mg/day in the example"
    return text + (f" ({wait})" if bilirubin == "no" else "")


def _camaro(v: dict[str, Any], start: dt.date, work: Working) -> Parts:
    weight = v["weight_kg"]
    work.warn(CAMARO_SECONDARY)
    if weight > CAMARO_BAND_KG:
        first_mg = CAMARO_HIGH_MG
        work.step(f"{fmt_number(weight)} kg is above 80 kg → {fmt_number(first_mg)} mg/day in week 1.")
    else:
        first_mg = CAMARO_LOW_MG
        work.step(
            f"{fmt_number(weight)} kg is "
            + ("on the 80 kg boundary, in neither band (the lower dose is shown)"
               if weight == CAMARO_BAND_KG else "below 80 kg")
            + f" → {fmt_number(first_mg)} mg/day in week 1."
        )
    if weight == CAMARO_BAND_KG:
        work.warn(
            "Exactly 80 kg is in neither of the trial's bands as summarised (40 mg/day below 80 kg, "
            "60 mg/day above 80 kg): 40 mg/day is shown, the lower dose. Check the trial protocol."
        )
    work.warn(CAMARO_END_READING)
    work.warn(CAMARO_MMF_PREGNANCY)
    (mmf_week, mmf_dose), (mmf_week2, mmf_dose2) = CAMARO_MMF
    mmf_from = _week_start(start, mmf_week)
    mmf2_from = _week_start(start, mmf_week2)
    end_from = _week_start(start, CAMARO_END_WEEK)
    rows = [
        _week_row(start, 1, 1, first_mg,
                  f"Week 1: start dose ({fmt_number(CAMARO_LOW_MG)} mg/day below 80 kg, "
                  f"{fmt_number(CAMARO_HIGH_MG)} mg/day above 80 kg)"),
        {
            "from": _week_start(start, 2).isoformat(),
            "to": _week_end(start, CAMARO_END_WEEK - 1).isoformat(),
            "daily_mg": None,
            "tablets": None,
            "note": (
                f"Weeks 2–{CAMARO_END_WEEK - 1}: tapered per the trial protocol from "
                f"{fmt_number(first_mg)} to {fmt_number(CAMARO_END_MG)} mg/day; steps not available. "
                f"Mycophenolate mofetil {mmf_dose} from week {mmf_week} ({human_date(mmf_from)})"
            ),
        },
        _dated(end_from, None, CAMARO_END_MG,
               f"From week {CAMARO_END_WEEK}: end of the 5-week taper; mycophenolate mofetil "
               f"{mmf_dose2} from week {mmf_week2} ({human_date(mmf2_from)}); later prednisolone "
               "steps not available"),
    ]
    work.step(f"Week 1: {human_date(_week_start(start, 1))} to {human_date(_week_end(start, 1))}, {fmt_number(first_mg)} mg/day.")
    work.step(
        f"Weeks 2–{CAMARO_END_WEEK - 1}: {human_date(_week_start(start, 2))} to "
        f"{human_date(_week_end(start, CAMARO_END_WEEK - 1))}, tapered per the trial protocol; the steps were "
        "not available, so no dose is shown."
    )
    work.step(f"From week {CAMARO_END_WEEK}, {human_date(end_from)}: {fmt_number(CAMARO_END_MG)} mg/day.")
    work.step(
        f"Mycophenolate mofetil {mmf_dose} from week {mmf_week} ({human_date(mmf_from)}), "
        f"{mmf_dose2} from week {mmf_week2} ({human_date(mmf2_from)})."
    )
    with_drug = (
        f"Mycophenolate mofetil {mmf_dose} from week {mmf_week} ({human_date(mmf_from)}), rising to "
        f"{mmf_dose2} from week {mmf_week2} ({human_date(mmf2_from)}): the trial's mycophenolate arm "
        "(its azathioprine arm is not modelled). Contraindicated in pregnancy."
    )
    summary = (
        f"{fmt_number(first_mg)} mg/day from {human_date(start)}, tapered per the trial protocol "
        f"(steps not available) to {fmt_number(CAMARO_END_MG)} mg/day from {human_date(end_from)} "
        "(CAMARO trial)"
    )
    outputs = {
        "start_dose_mg": first_mg,
        "start_mg_per_kg": round(first_mg / weight, 2),
        "cumulative_mg_weeks_1_4": _total(rows, start, start + dt.timedelta(days=27)),
        "maintenance_from": end_from.isoformat(),
        "maintenance_mg": CAMARO_END_MG,
        "reduce_to_7_5_from": None,
        "reduce_to_5_from": None,
        "with_drug": with_drug,
    }
    return rows, outputs, {"value": summary}


def _cumulative(rows: list[dict[str, Any]], start: dt.date, work: Working) -> dict[str, Any]:
    """Total steroid over the dated part: from the start to the last row with an end date."""
    end: dt.date | None = None
    for row in rows:
        if row["from"] is None or row["to"] is None:
            break
        end = dt.date.fromisoformat(row["to"])
    assert end is not None  # every regimen's first row is a dated week
    total = _total(rows, start, end)
    days = (end - start).days + 1
    open_rows = [r for r in rows if r["from"] is not None and r["to"] is None]
    after = (
        f"; the open-ended {fmt_number(open_rows[0]['daily_mg'])} mg/day from {human_date(open_rows[0]['from'])} "
        "is not counted"
        if open_rows and open_rows[0]["daily_mg"] is not None
        else ""
    )
    if total is None:
        unknown = [r for r in rows if r["from"] is not None and r["daily_mg"] is None]
        period = (
            f"Not available: the doses from {human_date(unknown[0]['from'])} to {human_date(unknown[0]['to'])} are not known"
        )
        work.step(
            f"Total over the dated steps: not available (the doses from {human_date(unknown[0]['from'])} to "
            f"{human_date(unknown[0]['to'])} are not known)."
        )
    else:
        period = f"{human_date(start)} to {human_date(end)} ({days} days{after})"
        work.step(f"Total over the dated steps, {period}: {fmt_number(total)} mg.")
    return {"cumulative_mg": total, "cumulative_period": period}


def _total(rows: list[dict[str, Any]], first: dt.date, last: dt.date) -> float | None:
    """mg taken from ``first`` to ``last`` inclusive; None if any day's dose is not known."""
    total = 0.0
    covered = 0
    for row in rows:
        if row["from"] is None:
            continue
        begin = max(dt.date.fromisoformat(row["from"]), first)
        end = min(dt.date.fromisoformat(row["to"]) if row["to"] else last, last)
        if begin > end:
            continue
        if row["daily_mg"] is None:
            return None
        days = (end - begin).days + 1
        covered += days
        total += days * row["daily_mg"]
    if covered != (last - first).days + 1:
        return None
    return round(total, 2)


def _start_dose(v: dict[str, Any], work: Working) -> float:
    weight = v["weight_kg"]
    if v["start_basis"] == "weight":
        per_kg = v["mg_per_kg"]
        target = round(weight * per_kg, 6)
        floored = DOSE_STEP_MG * math.floor(target / DOSE_STEP_MG)
        start_mg = min(floored, REGIMEN_START_MG)
        work.step(
            f"Weight-based start: {fmt_number(weight)} kg × {fmt_number(per_kg)} mg/kg/day = "
            f"{fmt_number(target)} mg/day, rounded down to a multiple of 2.5 mg = "
            f"{fmt_number(floored)} mg/day"
            + (
                f", capped at {fmt_number(REGIMEN_START_MG)} mg/day (the regimen's first step)."
                if floored > REGIMEN_START_MG
                else "."
            )
        )
        work.warn(
            "The weight-based start (0.5–1 mg/kg/day, EASL 2015) comes from a secondary source "
            "and was not verified against the guideline text."
        )
        if floored > REGIMEN_START_MG:
            work.warn(
                f"Weight-based start capped at {fmt_number(REGIMEN_START_MG)} mg/day: the taper "
                "here starts at 30 mg. EASL 2015's higher starts (up to 1 mg/kg/day, e.g. "
                "60 mg) and its longer taper are the 'EASL 2015' regimen (choose it under "
                "Regimen)."
            )
        return start_mg
    start_mg = v["start_mg"]
    if abs(start_mg / DOSE_STEP_MG - round(start_mg / DOSE_STEP_MG)) > 1e-9:
        raise InputError(
            "start_mg",
            f"give a multiple of 2.5 mg, a dose made of 5 mg and 2.5 mg tablets "
            f"(you gave {fmt_number(start_mg)} mg)",
        )
    start_mg = DOSE_STEP_MG * round(start_mg / DOSE_STEP_MG)
    work.step(
        f"Fixed start: {fmt_number(start_mg)} mg/day = "
        f"{fmt_number(round(start_mg / weight, 2))} mg/kg/day at {fmt_number(weight)} kg"
        + (
            f"; weeks whose regimen dose is above it are held at {fmt_number(start_mg)} mg/day."
            if start_mg < REGIMEN_START_MG
            else "."
        )
    )
    return start_mg


# --- rows and dates -------------------------------------------------------------------------


def _weeks(first: int, last: int) -> str:
    return f"Week {first}" if first == last else f"Weeks {first}–{last}"


def _week_start(start: dt.date, week: int) -> dt.date:
    return start + dt.timedelta(days=7 * (week - 1))


def _week_end(start: dt.date, week: int) -> dt.date:
    return start + dt.timedelta(days=7 * week - 1)


def _week_row(start: dt.date, first: int, last: int, mg: float, note: str) -> dict[str, Any]:
    return _dated(_week_start(start, first), _week_end(start, last), mg, note)


def _row(start: dt.date, first: int, last: int, mg: float, note: str) -> dict[str, Any]:
    return _dated(
        start + dt.timedelta(days=first), start + dt.timedelta(days=last), mg, note
    )


def _dated(first: dt.date | None, last: dt.date | None, mg: float, note: str) -> dict[str, Any]:
    return {
        "from": first.isoformat() if first else None,
        "to": last.isoformat() if last else None,
        "daily_mg": round(mg, 2),
        "tablets": tablet_text(mg),
        "note": note,
    }


def _date(start: dt.date, days: int) -> str:
    return (start + dt.timedelta(days=days)).isoformat()


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` later; the month's last day if it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def tablet_text(mg: float) -> str:
    """Fewest 5 mg and 2.5 mg tablets: 7.5 mg → ``"1 × 5 mg + 1 × 2.5 mg"``, 60 mg → ``"12 × 5 mg"``."""
    steps = round(mg / DOSE_STEP_MG)
    whole_steps = abs(steps * DOSE_STEP_MG - mg) <= 1e-9
    counts = fewest_tablets(mg, TABLET_STRENGTHS_MG) if whole_steps else None
    if not counts:
        raise ValueError(f"{mg} mg is not a whole-tablet dose")
    return tablets_text(counts)


def _calendar_summary(row: dict[str, Any]) -> str:
    if row["daily_mg"] is None:
        return "dose per the trial protocol (steps not available here)"
    return f"{fmt_number(row['daily_mg'])} mg/day ({row['tablets']})"


# What changed for a clinician, and why (from this module's history; see spec.Change).
PREDNISOLONE_CHANGES = (
    Change(
        "2026-11-22",
        "1.0",
        "First published: a dated prednisolone schedule, 30 mg/day tapered to 10 mg/day over 4 "
        "weeks, then 7.5 mg/day once ALT and AST are normal and 5 mg/day 3 months later, with "
        "azathioprine.",
        "The first-line treatment page needs the steroid taper as dates and tablets.",
    ),
    Change(
        "2026-11-22",
        "1.1",
        "A choice of five adult regimens, each named with its source and how far it was checked: "
        "the summary articles' 30 → 10 mg/day (the only one before, and the default), AASLD 2010 "
        "combination and monotherapy, the EASL 2015 example scaled to weight, and the CAMARO trial; "
        "the total dose over the dated steps is shown.",
        "The guidelines describe different regimens (with azathioprine, prednisolone alone, "
        "weight-based, with mycophenolate), and the first regimen's steps were not found in the "
        "guideline text.",
    ),
    Change(
        "2026-12-04",
        "2.0",
        "No regimen is pre-selected; the age group is asked and a child is refused; inputs that "
        "belong to one regimen are asked only for it; any step of any regimen above 1 mg/kg/day "
        "carries a warning (before, only the summary articles' start did).",
        "The summary articles' regimen was the default although no guideline text confirms it; the "
        "taper is for adults; 1 mg/kg/day is the top of EASL 2015's start range.",
    ),
    Change(
        "2026-12-04",
        "2.1",
        "Dates in the schedule and the answer are written as 'Mon 5 Jan 2026' instead of 2026-01-05.",
        "A date in digits reads differently from one country to another; a weekday and a month name "
        "cannot be misread, and the weekday helps a patient keep to a weekly schedule.",
    ),
    Change(
        "2026-12-04",
        "2.2",
        "The first regimen is labelled 'Summary-article regimen … (not confirmed against a primary "
        "source)', and each regimen's source says in a sentence how far it was checked, instead of "
        "'Confidence: weak' or 'not found'.",
        "A one-word confidence grade was easy to read as a judgement of the dose; the sentence says "
        "what was, and was not, checked.",
    ),
)


PREDNISOLONE = register(
    Calculator(
        id="prednisolone-taper",
        version="2.2",
        changes=PREDNISOLONE_CHANGES,
        evidence=(
            "taper-summary-articles",
            "taper-aasld2010",
            "taper-easl2015-example",
            "easl2015-start-range",
            "camaro-taper",
        ),
        details=(
            "start_mg_per_kg",
            "cumulative_mg",
            "cumulative_period",
            "cumulative_mg_weeks_1_4",
            "reduce_to_7_5_from",
            "reduce_to_5_from",
        ),
        title="Prednisolone taper (autoimmune hepatitis, adults)",
        summary=(
            "Dated prednisolone schedule for one of five adult regimens, each named with its "
            "source and how far it was checked: the summary articles' 30 → 10 mg/day over 4 "
            "weeks, AASLD 2010 combination or monotherapy, the EASL 2015 example scaled to "
            "weight, or the CAMARO trial. No regimen is pre-selected."
        ),
        inputs=(
            age_group(
                "This taper is for adults; children have their own schedule.",
                CHILD,
                adults_only(
                    "This prednisolone taper",
                    "For a child use the prednisolone schedule for children, on the page about "
                    "autoimmune hepatitis in children.",
                ),
            ),
            Input(
                "regimen",
                "Regimen",
                kind="choice",
                choices=tuple(Choice(r.key, r.label, evidence=r.evidence) for r in REGIMENS.values()),
                hint="Choose one: each is shown with its source and how far it was checked.",
            ),
            Input("start_date", "Start date", kind="date", hint="First day of prednisolone."),
            Input(
                "start_basis",
                "Start dose from",
                kind="choice",
                choices=(
                    Choice("fixed", "The start dose entered"),
                    Choice("weight", "Body weight × mg/kg (at most 30 mg)"),
                ),
                default="fixed",
                applies_when=SEED_ONLY,
                hint="Summary articles' regimen only. Weight-based: 0.5–1 mg/kg/day (EASL 2015), rounded down to 2.5 mg, at most 30 mg.",
            ),
            Input(
                "start_mg",
                "Start dose",
                unit="mg/day",
                allowed=(10, 30),
                default=30,
                step=2.5,
                applies_when=SEED_ONLY + (("start_basis", ("fixed",)),),
                hint="Summary articles' regimen only, when the start is the dose entered; 30 mg in the regimen, multiples of 2.5 mg.",
            ),
            adult_weight(
                "Gives the start in mg/kg; sets the start for a weight-based start, the EASL 2015 "
                "and the CAMARO regimens."
            ),
            Input(
                "mg_per_kg",
                "Weight-based start",
                unit="mg/kg/day",
                allowed=WEIGHT_MG_PER_KG,
                default=0.5,
                step=0.05,
                applies_when=SEED_ONLY + (("start_basis", ("weight",)),),
                hint="Summary articles' regimen only, for a weight-based start.",
            ),
            Input(
                "aminotransferases",
                "ALT and AST",
                kind="choice",
                choices=(
                    Choice("not-yet-normal", "Not yet normal (or not yet known)"),
                    Choice("normal", "Normal: give the week"),
                ),
                default="not-yet-normal",
                applies_when=SEED_ONLY,
                hint="Summary articles' regimen only: its 7.5 mg/day step waits for normal ALT and AST.",
            ),
            Input(
                "normal_week",
                "Week number when ALT and AST were first normal",
                allowed=(1, 260),
                integer=True,
                default=4,
                step=1,
                applies_when=SEED_ONLY + (("aminotransferases", ("normal",)),),
                hint="Treatment week (week 1 = the first 7 days); used only when ALT and AST are normal.",
            ),
            Input(
                "bilirubin_below_6",
                "Bilirubin below 6 mg/dL (100 µmol/L)",
                kind="choice",
                choices=(
                    Choice("unknown", "Not known yet"),
                    Choice("yes", "Yes"),
                    Choice("no", "No: 6 mg/dL (100 µmol/L) or more"),
                ),
                default="unknown",
                preselect=True,  # "not known yet" is no finding
                applies_when=(("regimen", (EASL,)),),
                hint="EASL 2015 regimen only: azathioprine starts once bilirubin is below 6 mg/dL (100 µmol/L).",
            ),
        ),
        value=Output(
            "schedule",
            "Prednisolone schedule",
            columns=(
                ("from_text", "From"),
                ("to_text", "To"),
                ("daily_mg", "Daily dose (mg)"),
                ("tablets", "Tablets"),
                ("note", "Note"),
            ),
        ),
        outputs=(
            Output("regimen_source", "Source of the regimen, and how far it was checked"),
            Output("start_dose_mg", "Start dose", unit="mg/day"),
            Output("start_mg_per_kg", "Start dose per kilogram", unit="mg/kg/day"),
            Output("cumulative_mg", "Total over the dated steps", unit="mg"),
            Output("cumulative_period", "Total counted over"),
            Output("cumulative_mg_weeks_1_4", "Total over weeks 1–4", unit="mg"),
            Output("maintenance_mg", "Dose after the taper", unit="mg/day"),
            Output("maintenance_from", "Dose after the taper from"),
            Output("reduce_to_7_5_from", "7.5 mg/day from (summary articles' regimen)"),
            Output("reduce_to_5_from", "5 mg/day from (summary articles' regimen)"),
            Output("with_drug", "Given with"),
            Output("tablet_strengths", "Tablets assumed"),
        ),
        compute=_compute,
        references=(
            "easl2015", "gleeson2025", "manns2010", "wjg2017-aih", "camaro-pmc12372268",
            "camaro-protocol2022",
        ),
        example={
            "age_group": "adult",
            "regimen": SEED,
            "start_date": "2026-01-05",
            "start_basis": "fixed",
            "start_mg": 30,
            "weight_kg": 70,
            "aminotransferases": "not-yet-normal",
        },
        notes=(
            "Regimens and their sources: summary articles' 30 → 10 mg/day over 4 weeks, then 7.5 and "
            "5 mg/day (not found in the guideline text; weekly steps from AASLD 2010, weak); "
            "AASLD 2010 combination 30, 20, 15, 15 mg/day then 10 mg/day with azathioprine, and "
            "monotherapy 60, 40, 30, 30 mg/day then 20 mg/day (weak: AI-written summary pages); "
            "EASL 2015's example for 60 kg, 60 → 10 mg/day over 10 weeks with azathioprine from "
            "week 3 (secondary), scaled by min(weight, 60)/60 and rounded to 2.5 mg (this "
            "calculator's reading); CAMARO trial 40 mg/day (< 80 kg) or 60 mg/day (> 80 kg) to "
            "15 mg/day over 5 weeks with mycophenolate (secondary; the steps in between were not "
            "available and are not shown).",
            "The taper steps were not verified against the guideline texts: check them against "
            "the guideline before clinical use.",
            OTHER_CALCULATORS + " These are not modelled here.",
            "Prednisone (AASLD) and prednisolone are dose-equivalent (5 mg = 5 mg).",
            "Tablets assumed: 5 mg and 2.5 mg throughout (every dose here is a multiple of "
            "2.5 mg; 12.5 mg = 2 × 5 mg + 1 × 2.5 mg, 60 mg = 12 × 5 mg). 1 mg and 25 mg tablets "
            "also exist (60 mg = 2 × 25 mg + 2 × 5 mg). Check the strengths your pharmacy supplies.",
            "How long to continue the last dose shown, and when to stop, is not modelled.",
        ),
        exports=(
            schedule_export("Prednisolone", _calendar_summary, "prednisolone-schedule.ics"),
        ),
        dose_rules=DoseRules(LIMITS, _doses),
    )
)
