"""Prednisolone taper for autoimmune hepatitis (combination with azathioprine), as dated steps.

What it rests on (the clinical fact sheet, FACTS.md, gives the verdict on each figure):

- The regimen is the seed article's: prednisolone 30 mg/day, tapered over 4 weeks to 10 mg/day,
  then 7.5 mg/day once aminotransferases are normal, then 5 mg/day after 3 months at 7.5 mg.
  The seed cites EASL 2015 and BSG 2025 for it [easl2015; gleeson2025]. FACTS §2: **not found**
  in the guideline text, so every result carries a warning saying so.
- The weekly steps inside those 4 weeks (30 mg in week 1, 20 mg in week 2, 15 mg in weeks 3–4,
  then 10 mg) are the AASLD 2010 combination regimen [manns2010] (prednisone, dose-equivalent to
  prednisolone), which FACTS §4 gives as the same regimen described loosely; its source is
  secondary (weak).
- Stepping down to 7.5 mg/day depends on ALT and AST becoming normal, which no calculator can
  know. Until the user says they are normal, the 7.5 mg and 5 mg steps are shown without dates.
  Once the user gives the treatment week in which they were first normal, 7.5 mg starts at the
  beginning of the following week, and never before week 6 so that 10 mg is given for at least
  a week (the seed's order "10 mg, then 7.5 mg"). This timing is the calculator's convention,
  stated in the result, not a guideline figure.
- "After 3 months": the same day of the month three calendar months later (the last day of the
  month when that month is shorter).
- An optional weight-based start follows EASL 2015's 0.5–1 mg/kg/day [easl2015] (FACTS §4:
  secondary), rounded down to 2.5 mg and capped at 30 mg, the first step of the regimen
  modelled here; EASL's own higher starts (up to 60 mg) use a longer taper not modelled.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from typing import Any

from ..ics import schedule_export
from ..registry import register
from ..spec import Calculator, Choice, Input, InputError, Outcome, Output, Working, fmt_number

REGIMEN_START_MG = 30.0
# (first day, last day counted from the start date, daily mg, weeks) [manns2010], secondary.
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
WEIGHT_MG_PER_KG = (0.5, 1.0)  # EASL 2015 start, secondary source
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2199, 12, 31)

UNVERIFIED = (
    "Not verified against the guideline text: the steps 30 mg/day → 10 mg/day over 4 weeks, "
    "7.5 mg/day once ALT and AST are normal, and 5 mg/day after 3 months come from a summary "
    "that cites EASL 2015 and BSG 2025, but were not found in those guidelines; the weekly "
    "steps (30, 20, 15, 15 mg) come from a secondary account of the AASLD 2010 regimen. Check "
    "the schedule against the guideline before use."
)


def _compute(v: dict[str, Any], work: Working) -> Outcome:
    # The parsed input is "YYYY-MM-DD"; [:10] also tolerates a datetime's isoformat().
    start = dt.date.fromisoformat(v["start_date"][:10])
    if not FIRST_DATE <= start <= LAST_DATE:
        raise InputError(
            "start_date",
            f"must be between {FIRST_DATE.isoformat()} and {LAST_DATE.isoformat()} "
            f"(got {start.isoformat()})",
        )
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
            f"{weeks}: {_date(start, first)} to {_date(start, last)} ({days} days), "
            f"{fmt_number(mg)} mg/day" + (" (held at the start dose)." if held else ".")
        )
    work.step(
        f"Total over weeks 1–4: {fmt_number(cumulative)} mg. From {_date(start, MAINTENANCE_DAY)} "
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
            f"{reduced_from.isoformat()}"
            + (
                f" (not before week {EARLIEST_REDUCED_WEEK}, so that 10 mg/day is given for at "
                "least one week)."
                if reduced_week > normal_week + 1
                else "."
            )
        )
        work.step(
            f"{MONTHS_AT_REDUCED} months at {fmt_number(REDUCED_MG)} mg/day: "
            f"{reduced_from.isoformat()} + {MONTHS_AT_REDUCED} calendar months = "
            f"{low_from.isoformat()} → {fmt_number(LOW_MG)} mg/day from then on."
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
            f"; {fmt_number(REDUCED_MG)} mg/day from {reduced_from.isoformat()}; "
            f"{fmt_number(LOW_MG)} mg/day from {low_from.isoformat()}"
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
        f"{fmt_number(start_mg)} mg/day from {start.isoformat()}, down to "
        f"{fmt_number(MAINTENANCE_MG)} mg/day from {_date(start, MAINTENANCE_DAY)}" + summary_tail
    )
    outputs = {
        "start_dose_mg": round(start_mg, 2),
        "start_mg_per_kg": round(start_mg / weight, 2),
        "cumulative_mg_weeks_1_4": round(cumulative, 2),
        "maintenance_from": _date(start, MAINTENANCE_DAY),
        "reduce_to_7_5_from": reduced_text,
        "reduce_to_5_from": low_text,
        "tablet_strengths": "5 mg and 2.5 mg prednisolone tablets",
    }
    return Outcome(value=rows, outputs=outputs, display={"value": summary})


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
                "60 mg) use a longer taper that this calculator does not model."
            )
        return start_mg
    start_mg = v["start_mg"]
    if abs(start_mg / DOSE_STEP_MG - round(start_mg / DOSE_STEP_MG)) > 1e-9:
        raise InputError(
            "start_mg",
            f"must be a multiple of 2.5 mg, a dose made of 5 mg and 2.5 mg tablets "
            f"(got {fmt_number(start_mg)} mg)",
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
    if start_mg / weight > WEIGHT_MG_PER_KG[1]:
        work.warn(
            f"The start dose is {fmt_number(round(start_mg / weight, 2))} mg/kg/day, above the "
            "0.5–1 mg/kg/day start of EASL 2015 (secondary source, not verified): check the "
            "weight, and whether this adult regimen fits the patient."
        )
    return start_mg


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
    """Fewest 5 mg and 2.5 mg tablets: 7.5 mg → ``"1 × 5 mg + 1 × 2.5 mg"``."""
    halves = round(mg / DOSE_STEP_MG)
    if halves <= 0 or abs(halves * DOSE_STEP_MG - mg) > 1e-9:
        raise ValueError(f"{mg} mg is not a whole-tablet dose")
    fives, rest = divmod(halves, 2)
    parts = [f"{fives} × 5 mg"] if fives else []
    if rest:
        parts.append("1 × 2.5 mg")
    return " + ".join(parts)


PREDNISOLONE = register(
    Calculator(
        id="prednisolone-taper",
        title="Prednisolone taper (autoimmune hepatitis, with azathioprine)",
        summary=(
            "Dated prednisolone schedule: 30 mg/day tapered to 10 mg/day over 4 weeks, then "
            "7.5 mg/day once ALT and AST are normal and 5 mg/day 3 months later."
        ),
        inputs=(
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
                hint="Weight-based: 0.5–1 mg/kg/day (EASL 2015), rounded down to 2.5 mg, at most 30 mg.",
            ),
            Input(
                "start_mg",
                "Start dose",
                unit="mg/day",
                allowed=(10, 30),
                default=30,
                step=2.5,
                hint="Used when the start is the dose entered; 30 mg in the regimen, multiples of 2.5 mg.",
            ),
            Input(
                "weight_kg",
                "Body weight",
                unit="kg",
                allowed=(20, 300),
                plausible=(30, 200),
                step=0.1,
                hint="Gives the start in mg/kg, and the start itself if it is weight-based.",
            ),
            Input(
                "mg_per_kg",
                "Weight-based start",
                unit="mg/kg/day",
                allowed=WEIGHT_MG_PER_KG,
                default=0.5,
                step=0.05,
                hint="Used only for a weight-based start.",
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
                hint="The 7.5 mg/day step waits for normal ALT and AST.",
            ),
            Input(
                "normal_week",
                "Week number when ALT and AST were first normal",
                allowed=(1, 260),
                integer=True,
                default=4,
                step=1,
                hint="Treatment week (week 1 = the first 7 days); used only when ALT and AST are normal.",
            ),
        ),
        value=Output(
            "schedule",
            "Prednisolone schedule",
            columns=(
                ("from", "From"),
                ("to", "To"),
                ("daily_mg", "Daily dose (mg)"),
                ("tablets", "Tablets"),
                ("note", "Note"),
            ),
        ),
        outputs=(
            Output("start_dose_mg", "Start dose", unit="mg/day"),
            Output("start_mg_per_kg", "Start dose per kilogram", unit="mg/kg/day"),
            Output("cumulative_mg_weeks_1_4", "Total over weeks 1–4", unit="mg"),
            Output("maintenance_from", "10 mg/day from"),
            Output("reduce_to_7_5_from", "7.5 mg/day from"),
            Output("reduce_to_5_from", "5 mg/day from"),
            Output("tablet_strengths", "Tablets assumed"),
        ),
        compute=_compute,
        references=("easl2015", "gleeson2025", "manns2010"),
        example={
            "start_date": "2026-01-05",
            "start_basis": "fixed",
            "start_mg": 30,
            "weight_kg": 70,
            "aminotransferases": "not-yet-normal",
        },
        notes=(
            "The taper steps were not found in the guideline text (the weekly steps come from a "
            "secondary account of AASLD 2010): check them against the guideline before clinical use.",
            "This is the combination regimen, given with azathioprine. Prednisolone monotherapy, "
            "budesonide, children, acute severe AIH and EASL 2015's higher weight-based start "
            "follow other schedules and are not modelled.",
            "Prednisone (AASLD) and prednisolone are dose-equivalent (5 mg = 5 mg).",
            "Tablets assumed: 5 mg and 2.5 mg (1 mg and 25 mg tablets also exist; every dose "
            "here is a multiple of 2.5 mg). Check the strengths your pharmacy supplies.",
            "How long to continue 5 mg/day, and when to stop, is not modelled.",
        ),
        exports=(
            schedule_export(
                "Prednisolone",
                lambda row: f"{fmt_number(row['daily_mg'])} mg/day ({row['tablets']})",
                "prednisolone-schedule.ics",
            ),
        ),
    )
)
