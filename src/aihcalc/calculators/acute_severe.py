"""Acute severe AIH (``acute-severe-steroid``): intravenous steroid and the 2-week check.

What each figure rests on (its evidence entry is named below):

- Intravenous corticosteroid at least 1 mg/kg/day, as early as possible: EASL 2015 wording
  [easl2015] — **secondary**. No specific methylprednisolone dose was found, so the result is
  "at least W mg/day prednisolone-equivalent" and its methylprednisolone equivalent by the
  standard potency ratio (prednisolone 5 mg = methylprednisolone 4 mg [neurooncol2015];
  evidence: steroid-equivalents). No maximum was found either: no cap is invented; a very high dose is flagged.
- Response check 14 days after the start: failure to improve or worsening within 2 weeks
  justifies liver transplantation (Czaja 2013 [czaja2013], abstract); no improvement within
  7–14 days → evaluate for emergency transplantation (Mack 2020 [mack2020], **secondary**).

Who it is for: the age group is asked (weight cannot tell an adolescent from a small adult);
the dose wording is an adult figure and a child is refused.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from ..dates import human_date
from ..dosing import DailyDose, DoseLimit, DoseRules
from ..present import fmt_number
from ..registry import register
from ..spec import Calculator, Change, Input, Outcome, Output, Working
from .population import CHILD, adult_weight, adults_only, age_group
from .start_date import parse_start
from .steroid_conversion import EQUIVALENT_MG

ACUTE_MG_PER_KG = 1.0  # "at least 1 mg/kg", EASL 2015 wording [easl2015], secondary
# Potency equivalence, prednisolone 5 mg = methylprednisolone 4 mg [neurooncol2015], taken from
# the one steroid-equivalence table (steroid_conversion.py).
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
        "justifies liver transplantation [czaja2013]; with no improvement within 7–14 days, "
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
            f"By {human_date(check)}: failure to improve, or worsening → liver transplantation "
            f"justified [czaja2013]; no improvement from {human_date(review)} on → evaluate for emergency "
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


# What changed for a clinician, and why (from this module's history; see spec.Change).
ACUTE_SEVERE_CHANGES = (
    Change(
        "2026-11-22",
        "1.0",
        "First published: intravenous corticosteroid of at least 1 mg/kg/day prednisolone-equivalent, "
        "with its methylprednisolone equivalent and the dates by which the response decides on "
        "transplant evaluation.",
        "Acute severe autoimmune hepatitis needs high-dose steroid at once and a fixed date by which "
        "to judge the response.",
    ),
    Change(
        "2026-12-04",
        "2.0",
        "The age group is asked: a child or adolescent is refused as soon as it is chosen, and sent to "
        "a paediatric liver centre.",
        "The dose wording comes from adult guidance, and body weight cannot tell an adolescent from a "
        "small adult.",
    ),
    Change(
        "2026-12-04",
        "2.1",
        "Dates in the answer are written as 'Mon 19 Jan 2026' instead of 2026-01-19.",
        "A date in digits reads differently from one country to another; a weekday and a month name "
        "cannot be misread.",
    ),
)


ACUTE_SEVERE = register(
    Calculator(
        id="acute-severe-steroid",
        version="2.1",
        changes=ACUTE_SEVERE_CHANGES,
        evidence=("acute-severe-steroid", "acute-severe-response-check", "steroid-equivalents"),
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
            adult_weight(),
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
            "weeks justifies liver transplantation (Czaja 2013).",
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
