"""Budesonide with azathioprine (``budesonide-regimen``), for AIH without cirrhosis.

What each figure rests on (its evidence entry is named below):

- 9 mg/day (3 mg three times daily) with azathioprine 1–2 mg/kg/day, only without cirrhosis:
  the budesonide RCT [manns2010budesonide] — **confirmed** (the trial excluded cirrhosis; it
  also used 3 mg twice daily, 6 mg/day, which is a note here). Not for acute severe AIH
  (evidence: budesonide-regimen). Cirrhosis or acute severe AIH → no dose, with the reason and the alternative.

Who it is for: the age group is asked (weight cannot tell an adolescent from a small adult);
the trial's doses are adult figures and a child is refused, with the children's schedule named.
"""

from __future__ import annotations

from typing import Any

from ..dosing import DailyDose, DoseLimit, DoseRules
from ..present import fmt_number
from ..registry import register
from ..spec import Calculator, Change, FallbackGrid, Input, Outcome, Output, Working
from .population import CHILD, adult_weight, adults_only, age_group

CHILD_PAGE = (
    "For a child use the prednisolone schedule for children, on the page about autoimmune "
    "hepatitis in children."
)

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
        evidence="budesonide-regimen",
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


# What changed for a clinician, and why (from this module's history; see spec.Change).
BUDESONIDE_CHANGES = (
    Change(
        "2026-11-22",
        "1.0",
        "First published: budesonide 3 mg three times daily with azathioprine 1–2 mg/kg/day, for "
        "patients without cirrhosis and without acute severe disease; otherwise no dose, and the "
        "alternative.",
        "Budesonide can replace prednisolone only where the trial that showed its benefit applies.",
    ),
    Change(
        "2026-12-04",
        "2.0",
        "The age group is asked: a child or adolescent is refused as soon as it is chosen, and sent "
        "to the children's prednisolone schedule.",
        "The trial's doses are for adults, and body weight cannot tell an adolescent from a small "
        "adult.",
    ),
)


BUDESONIDE = register(
    Calculator(
        id="budesonide-regimen",
        version="2.0",
        changes=BUDESONIDE_CHANGES,
        evidence=("budesonide-regimen", "aza-dose-range"),
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
            adult_weight("For the azathioprine range (1–2 mg/kg/day)."),
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
