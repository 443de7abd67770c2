"""Second-line drugs for autoimmune hepatitis: tacrolimus, ciclosporin and mycophenolate mofetil.

What each figure rests on (evidence: tacrolimus-start, ciclosporin-start, mmf-dose;
the dosing sections of the guidelines could not be read, so none of these is confirmed):

Tacrolimus (``tacrolimus-dose``)
- Start 0.1 mg/kg/day; trough 1–10 ng/mL: Explor Dig Dis 2024;3:92–106, Table 2
  [explor-dig-dis-2024] — **secondary**. Every result says so.
- 1–8 mg/day across the studies reviewed; target troughs 0.5–10.7 ng/mL across 7 studies
  [tacrolimus-review2019] (abstract seen). This calculator's ceiling, 8 mg/day, is the top of
  that range: no reviewed AIH study gave more, so the calculator never suggests more.
- The seeds' 0.075 mg/kg/day start: **not found**, not used. The seeds' trough "0.6–1.0 ng/mL"
  is an old *plasma* figure (Van Thiel 1995 [vanthiel1995]: 3 mg twice daily gave a median
  plasma trough of 0.5 ng/mL): **differs/unsafe** as a whole-blood target, never shown as one.
- Immediate-release capsules 0.5, 1 and 5 mg (the usual twice-daily strengths): two equal
  doses, each rounded *down* to 0.5 mg: 0.1 mg/kg/day is both the start and the ceiling (a
  narrow therapeutic index drug titrated by trough levels: the lower dose is the safer one).

Ciclosporin (``cyclosporine-dose``)
- Start 2–3 mg/kg/day: Am J Gastroenterol 1999;94:241–248, 5 patients [ciclosporin-ajg1999];
  2 mg/kg/day with trough < 120 ng/mL: Explor Dig Dis 2024, Table 2 [explor-dig-dis-2024].
  Both **secondary**. The seeds' 2–5 mg/kg/day and 100–300 ng/mL: **not found**, not used.
- Capsules 10, 25, 50 and 100 mg. Each of the two daily doses is rounded to the nearest 5 mg
  (the 25 mg capsule makes the odd fives; 10 mg steps would move a 20 mg dose by 25 %), an exact
  half step rounding down, then kept inside 2–3 mg/kg/day (whole 10 mg/day steps always fit,
  because the allowed weight is at least 20 kg).

Mycophenolate mofetil (``mycophenolate-dose``)
- 1.5–2 g/day in two doses (1 g twice daily); some protocols start at 1 g/day and escalate:
  **secondary** (cohort data in PMC12372268, Table 1 [camaro-pmc12372268]). The 2-week step
  of the escalating start is CAMARO's (1 g/day from week 5, 2 g/day from week 7, PMC12372268
  Table 2). Remission in the ALA-CRN cohort: 62 % (intolerance) vs 57 % (non-response)
  [mmf-alacrn2018]; the seeds' 58 % vs 23 % **differs**.
- Contraindicated in pregnancy (teratogenic): a hard stop, no dose. Azathioprine "may be
  continued in pregnancy after a risk–benefit analysis" comes from the seed summaries, not
  verified against the guideline text.
- 500 mg tablets and 250 mg capsules.

Limits (declared as data and held by ``Calculator.calculate``): tacrolimus never above
0.1 mg/kg/day nor 8 mg/day; ciclosporin never above 3 mg/kg/day, and above 300 mg/day (no
source gave a maximum) the result asks for a check; mycophenolate never above 2000 mg/day.
All three are adult doses: the age group is asked and a child is refused.

Monitoring (output ``monitor``): the trough figures are the sources' (secondary); renal
function, blood pressure and glucose for the calcineurin inhibitors, and the blood count for
mycophenolate, are named without thresholds: no AIH source with figures for them was read.
"""

from __future__ import annotations

import math
from typing import Any

from ..dosing import DailyDose, DoseLimit, DoseRules, fewest_tablets, floor_to_step, round_half_down
from ..present import fmt_number, tablets_text
from ..registry import register
from ..spec import Calculator, Change, Choice, FallbackGrid, Input, Outcome, Output, Working
from .population import CHILD, adult_weight, adults_only, age_group

SECOND_LINE_CHILD = (
    "Second-line drugs for a child are chosen and dosed by a paediatric hepatologist (see the "
    "page on children)."
)


def adult_age(drug: str) -> Input:
    return age_group(
        f"{drug} doses here are adult doses; a child is not dosed here.",
        CHILD,
        adults_only(f"This {drug.lower()} dose", SECOND_LINE_CHILD),
    )


def _daily(v: Any, outcome: Outcome) -> list[DailyDose]:
    return [] if outcome.value is None else [DailyDose("Daily dose", outcome.value)]


def split_text(each: float, unit: str = "mg") -> str:
    return f"{fmt_number(each)} {unit} twice daily"


def units_text(dose: float, strengths: tuple[float, ...], what: str = "capsule") -> str:
    """The dose as the fewest capsules or tablets: ``"1 × 5 mg + 1 × 0.5 mg"``."""
    counts = fewest_tablets(dose, strengths)
    if not counts:
        raise ValueError(f"{dose} mg cannot be made from {strengths} mg {what}s")
    return tablets_text(counts)


# --- tacrolimus -----------------------------------------------------------------------------

TAC_MG_PER_KG = 0.1  # [explor-dig-dis-2024] Table 2, secondary
TAC_MAX_MG_DAY = 8.0  # top of 1–8 mg/day across studies [tacrolimus-review2019]
TAC_STEP_MG = 0.5  # per dose: the smallest capsule
TAC_CAPSULES_MG = (5.0, 1.0, 0.5)
TAC_TROUGH_REPORTED = "1–10 ng/mL"
TAC_LIMITS = (
    DoseLimit(
        "ceiling",
        "mg/kg/day",
        TAC_MG_PER_KG,
        "the 0.1 mg/kg/day start of a secondary review [explor-dig-dis-2024]",
        "secondary",
        "Rounding to whole capsules goes down rather than above it.",
        evidence="tacrolimus-start",
    ),
    DoseLimit(
        "ceiling",
        "mg/day",
        TAC_MAX_MG_DAY,
        "the top of 1–8 mg/day across AIH studies [tacrolimus-review2019]",
        "secondary",
        evidence="tacrolimus-start",
    ),
)
TAC_MONITOR = (
    "Whole-blood tacrolimus trough levels (1–10 ng/mL reported by a secondary review "
    "[explor-dig-dis-2024]; no guideline target verified); renal function, blood pressure and "
    "blood glucose, which tacrolimus can upset."
)

TAC_UNVERIFIED = (
    "Not verified against any guideline: the 0.1 mg/kg/day start and the 1–10 ng/mL trough come "
    "from a secondary review (Explor Dig Dis 2024, Table 2) [explor-dig-dis-2024]; no guideline "
    "trough target was verified. Across 7 studies target troughs ranged 0.5–10.7 ng/mL and doses "
    "1–8 mg/day [tacrolimus-review2019]. Adjust the dose by whole-blood trough levels, response "
    "and toxicity (renal function, glucose, blood pressure) with the specialist team."
)
TAC_TROUGH_NOTE = (
    "The trough '0.6–1.0 ng/mL' quoted by some summaries is not shown: it is an old plasma-assay "
    "figure (3 mg twice daily gave a median plasma trough of 0.5 ng/mL [vanthiel1995]), and "
    "today's whole-blood assays give much higher values, so it must not be used as a target."
)


def _tacrolimus(v: dict[str, Any], work: Working) -> Outcome:
    weight = v["weight_kg"]
    target = round(weight * TAC_MG_PER_KG, 6)
    work.warn(TAC_UNVERIFIED)
    work.step(
        f"Weight-based start: {fmt_number(weight)} kg × {fmt_number(TAC_MG_PER_KG)} mg/kg/day = "
        f"{fmt_number(target)} mg/day [explor-dig-dis-2024]."
    )
    capped = target > TAC_MAX_MG_DAY
    daily_target = min(target, TAC_MAX_MG_DAY)
    if capped:
        work.step(
            f"{fmt_number(target)} mg/day is above {fmt_number(TAC_MAX_MG_DAY)} mg/day, the highest "
            f"daily dose in the studies reviewed [tacrolimus-review2019] → "
            f"{fmt_number(TAC_MAX_MG_DAY)} mg/day."
        )
        work.warn(
            f"Capped: 0.1 mg/kg/day would be {fmt_number(target)} mg/day; this calculator never "
            f"suggests more than {fmt_number(TAC_MAX_MG_DAY)} mg/day, the top of the 1–8 mg/day "
            "range used across AIH studies [tacrolimus-review2019]. The cap is the calculator's "
            "choice, not a guideline maximum: any increase is decided by trough levels."
        )
    each_raw = round(daily_target / 2, 6)
    # Rounded down: 0.1 mg/kg/day (and 8 mg/day) is both the start and the ceiling, so any
    # step above the exact figure would pass it.
    each = floor_to_step(each_raw, TAC_STEP_MG)
    daily = int(round(2 * each))
    work.step(
        f"Twice daily: {fmt_number(daily_target)} ÷ 2 = {fmt_number(each_raw)} mg per dose, "
        f"rounded down to a multiple of {fmt_number(TAC_STEP_MG)} mg (never above "
        f"{fmt_number(TAC_MG_PER_KG)} mg/kg/day) = {fmt_number(each)} mg twice daily = "
        f"{daily} mg/day."
    )
    per_kg = round(daily / weight, 3)
    capsules = units_text(each, TAC_CAPSULES_MG)
    work.step(
        f"Each dose: {capsules} capsules; {daily} mg/day ÷ {fmt_number(weight)} kg = "
        f"{fmt_number(per_kg)} mg/kg/day."
    )
    outputs = {
        "dose_each_mg": each,
        "schedule": split_text(each),
        "capsules_each_dose": capsules,
        "dose_mg_per_kg": per_kg,
        "weight_based_mg": round(target, 2),
        "max_dose_mg": int(TAC_MAX_MG_DAY),
        "capped": capped,
        "trough_reported": TAC_TROUGH_REPORTED + " (secondary source; not a verified guideline target)",
        "monitor": TAC_MONITOR,
    }
    return Outcome(
        value=daily,
        outputs=outputs,
        display={"value": f"{daily} mg/day ({split_text(each)})"},
    )


# What changed for a clinician, and why (from this module's history; see spec.Change). The three
# second-line drugs became adult-only on the same day, for the same reason.
SECOND_LINE_AGE_WHY = (
    "The starting doses are adult figures, and a child's second-line drug is chosen and dosed by a "
    "paediatric hepatologist; body weight cannot tell an adolescent from a small adult."
)
TACROLIMUS_CHANGES = (
    Change(
        "2026-11-22",
        "1.0",
        "First published: a twice-daily tacrolimus start from body weight at 0.1 mg/kg/day, never "
        "above 8 mg/day, each dose to the nearest 0.5 mg (an exact half step rounding down).",
        "Second-line treatment pages need a starting dose to be adjusted by trough levels.",
    ),
    Change(
        "2026-12-04",
        "2.0",
        "Each of the two daily doses is now rounded down to a multiple of 0.5 mg, so the start is "
        "never above 0.1 mg/kg/day (at 68 kg: 3 mg twice daily, where it was 3.5 mg); the age "
        "group is asked and a child is refused; the answer names what to monitor.",
        "0.1 mg/kg/day is both the start and the ceiling in the source, and rounding to the nearest "
        "step could pass it in a drug with a narrow margin. " + SECOND_LINE_AGE_WHY,
    ),
)


TACROLIMUS = register(
    Calculator(
        id="tacrolimus-dose",
        version="2.0",
        changes=TACROLIMUS_CHANGES,
        evidence=("tacrolimus-start",),
        details=("dose_mg_per_kg", "weight_based_mg", "max_dose_mg"),
        title="Tacrolimus starting dose (second-line, autoimmune hepatitis)",
        summary=(
            "Twice-daily tacrolimus start from body weight at 0.1 mg/kg/day (secondary source), "
            "never above 8 mg/day, in 0.5 mg steps; then adjusted by trough levels."
        ),
        inputs=(
            adult_age("Tacrolimus"),
            adult_weight(),
        ),
        value=Output("dose_mg", "Daily tacrolimus starting dose", unit="mg/day"),
        outputs=(
            Output("schedule", "How to give it"),
            Output("dose_each_mg", "Each dose", unit="mg"),
            Output("capsules_each_dose", "Capsules per dose (0.5, 1 and 5 mg)"),
            Output("dose_mg_per_kg", "Dose per kilogram given", unit="mg/kg/day"),
            Output("weight_based_mg", "0.1 mg/kg/day before rounding and cap", unit="mg/day"),
            Output("max_dose_mg", "Ceiling (top of 1–8 mg/day in studies)", unit="mg/day"),
            Output("capped", "Held at the ceiling"),
            Output("trough_reported", "Trough range reported (not verified)"),
            Output("monitor", "What to monitor"),
        ),
        compute=_tacrolimus,
        references=("explor-dig-dis-2024", "tacrolimus-review2019", "vanthiel1995"),
        example={"age_group": "adult", "weight_kg": 70},
        dose_rules=DoseRules(TAC_LIMITS, _daily),
        notes=(
            "Figures: 0.1 mg/kg/day and trough 1–10 ng/mL from a secondary review (Explor Dig Dis "
            "2024, Table 2); 1–8 mg/day across studies (Scand J Gastroenterol 2019). The 0.075 "
            "mg/kg/day start quoted by some summaries was not found in any source and is not used.",
            TAC_TROUGH_NOTE,
            "Ceiling 8 mg/day: the top of the doses used across the AIH studies reviewed; at 0.1 "
            "mg/kg/day it is reached at 80 kg. It is this calculator's choice, not a guideline "
            "maximum.",
            "Capsules assumed: immediate-release tacrolimus 0.5 mg, 1 mg and 5 mg, given twice "
            "daily. Prolonged-release once-daily products are not interchangeable with it mg for "
            "mg; keep the patient on one product.",
            "Rounding: each of the two equal daily doses down to a multiple of 0.5 mg, so the "
            "start is never above 0.1 mg/kg/day.",
            "A starting dose only: the dose is then adjusted by trough levels and response.",
        ),
    )
)


# --- ciclosporin ----------------------------------------------------------------------------

CSA_RANGE_MG_PER_KG = (2.0, 3.0)  # [ciclosporin-ajg1999], 5 patients; secondary
CSA_STEP_MG = 5.0  # per dose
CSA_CAPSULES_MG = (100.0, 50.0, 25.0, 10.0)
CSA_TROUGH_REPORTED = "below 120 ng/mL"  # at 2 mg/kg/day [explor-dig-dis-2024] Table 2
CSA_REVIEW_MG_DAY = 300.0  # a prompt (3 mg/kg/day at 100 kg): no source gave a maximum
CSA_LIMITS = (
    DoseLimit(
        "ceiling",
        "mg/kg/day",
        CSA_RANGE_MG_PER_KG[1],
        "the top of the 2–3 mg/kg/day start in a 5-patient series [ciclosporin-ajg1999]",
        "secondary",
        evidence="ciclosporin-start",
    ),
    DoseLimit(
        "review-prompt",
        "mg/day",
        CSA_REVIEW_MG_DAY,
        "no source gave a maximum daily dose",
        "calculator's choice",
        "In obesity, ask whether actual body weight is the right basis.",
    ),
)
CSA_MONITOR = (
    "Ciclosporin trough levels (below 120 ng/mL at 2 mg/kg/day in a secondary review "
    "[explor-dig-dis-2024]; no guideline target verified); renal function and blood pressure, "
    "which ciclosporin can upset."
)

CSA_UNVERIFIED = (
    "Not verified against any guideline: 2–3 mg/kg/day is the start of a 5-patient series (Am J "
    "Gastroenterol 1999) [ciclosporin-ajg1999], and 2 mg/kg/day with a trough below 120 ng/mL "
    "comes from a secondary review (Explor Dig Dis 2024, Table 2) [explor-dig-dis-2024]. Adjust "
    "by trough levels, renal function and blood pressure with the specialist team."
)


def _ciclosporin(v: dict[str, Any], work: Working) -> Outcome:
    weight = v["weight_kg"]
    per_kg = v["mg_per_kg"]
    work.warn(CSA_UNVERIFIED)
    target = round(weight * per_kg, 6)
    low = round(weight * CSA_RANGE_MG_PER_KG[0], 6)
    high = round(weight * CSA_RANGE_MG_PER_KG[1], 6)
    work.step(
        f"Weight-based start: {fmt_number(weight)} kg × {fmt_number(per_kg)} mg/kg/day = "
        f"{fmt_number(target)} mg/day (range 2–3 mg/kg/day = {fmt_number(low)}–{fmt_number(high)} "
        "mg/day) [ciclosporin-ajg1999]."
    )
    each_raw = round(target / 2, 6)
    nearest = round_half_down(each_raw, CSA_STEP_MG)
    each_low = CSA_STEP_MG * math.ceil(round(low / 2 / CSA_STEP_MG, 9))
    each_high = CSA_STEP_MG * math.floor(round(high / 2 / CSA_STEP_MG, 9))
    each = min(max(nearest, each_low), each_high)
    kept = " (kept inside 2–3 mg/kg/day)" if each != nearest else ""
    each = int(each)
    daily = 2 * each
    work.step(
        f"Twice daily: {fmt_number(target)} ÷ 2 = {fmt_number(each_raw)} mg per dose, to the "
        f"nearest {fmt_number(CSA_STEP_MG)} mg (a half step rounds down) = {fmt_number(nearest)} mg"
        f"{kept} → {each} mg twice daily = {daily} mg/day."
    )
    given = round(daily / weight, 3)
    capsules = units_text(each, CSA_CAPSULES_MG)
    work.step(
        f"Each dose: {capsules} capsules; {daily} mg/day ÷ {fmt_number(weight)} kg = "
        f"{fmt_number(given)} mg/kg/day."
    )
    outputs = {
        "dose_each_mg": each,
        "schedule": split_text(each),
        "capsules_each_dose": capsules,
        "dose_mg_per_kg": given,
        "weight_based_mg": round(target, 2),
        "range_low_mg": round(low, 2),
        "range_high_mg": round(high, 2),
        "trough_reported": (
            f"{CSA_TROUGH_REPORTED} at 2 mg/kg/day (secondary source; not a verified guideline target)"
        ),
        "monitor": CSA_MONITOR,
    }
    return Outcome(
        value=daily, outputs=outputs, display={"value": f"{daily} mg/day ({split_text(each)})"}
    )


CICLOSPORIN_CHANGES = (
    Change(
        "2026-11-22",
        "1.0",
        "First published: a twice-daily ciclosporin start from body weight at 2–3 mg/kg/day, in "
        "5 mg steps per dose, never above 3 mg/kg/day.",
        "Second-line treatment pages need a starting dose to be adjusted by trough levels.",
    ),
    Change(
        "2026-12-04",
        "2.0",
        "The age group is asked and a child is refused; above 300 mg/day the result asks for the "
        "weight to be checked (a prompt, not a limit); the answer names what to monitor: trough "
        "levels, renal function and blood pressure.",
        "No source gave a maximum daily dose, so a large dose from a high weight is questioned "
        "rather than capped. " + SECOND_LINE_AGE_WHY,
    ),
)


CICLOSPORIN = register(
    Calculator(
        id="cyclosporine-dose",
        version="2.0",
        changes=CICLOSPORIN_CHANGES,
        evidence=("ciclosporin-start",),
        details=("dose_mg_per_kg", "weight_based_mg", "range_low_mg", "range_high_mg"),
        title="Ciclosporin starting dose (second-line, autoimmune hepatitis)",
        summary=(
            "Twice-daily ciclosporin start from body weight at 2–3 mg/kg/day (small series and a "
            "secondary review), in 5 mg steps per dose; then adjusted by trough levels."
        ),
        inputs=(
            adult_age("Ciclosporin"),
            adult_weight(),
            Input(
                "mg_per_kg",
                "Dose per kilogram",
                unit="mg/kg/day",
                allowed=CSA_RANGE_MG_PER_KG,
                default=2,
                step=0.1,
                hint="2–3 mg/kg/day; 2 is the figure both sources give.",
            ),
        ),
        value=Output("dose_mg", "Daily ciclosporin starting dose", unit="mg/day"),
        outputs=(
            Output("schedule", "How to give it"),
            Output("dose_each_mg", "Each dose", unit="mg"),
            Output("capsules_each_dose", "Capsules per dose (10, 25, 50, 100 mg)"),
            Output("dose_mg_per_kg", "Dose per kilogram given", unit="mg/kg/day"),
            Output("weight_based_mg", "Weight × mg/kg before rounding", unit="mg/day"),
            Output("range_low_mg", "2 mg/kg/day", unit="mg/day"),
            Output("range_high_mg", "3 mg/kg/day", unit="mg/day"),
            Output("trough_reported", "Trough reported (not verified)"),
            Output("monitor", "What to monitor"),
        ),
        compute=_ciclosporin,
        references=("ciclosporin-ajg1999", "explor-dig-dis-2024"),
        example={"age_group": "adult", "weight_kg": 70, "mg_per_kg": 2},
        fallback=FallbackGrid(
            rows="weight_kg",
            row_values=(40, 50, 60, 70, 80, 90, 100, 110, 120),
            columns="mg_per_kg",
            column_values=(2, 2.5, 3),
            fixed={"age_group": "adult"},
        ),
        dose_rules=DoseRules(CSA_LIMITS, _daily),
        notes=(
            "Figures: 2–3 mg/kg/day from a 5-patient series (Am J Gastroenterol 1999;94:241–248); "
            "2 mg/kg/day with a trough below 120 ng/mL from a secondary review (Explor Dig Dis "
            "2024, Table 2). The '2–5 mg/kg/day, trough 100–300 ng/mL' quoted by some summaries was "
            "not found in any source and is not used.",
            "No maximum daily dose was found; the dose is never above 3 mg/kg/day of the weight "
            "entered, and above 300 mg/day the result asks for the weight to be checked (the "
            "calculator's prompt, not a limit).",
            "Capsules assumed: 10, 25, 50 and 100 mg. Ciclosporin products are not all "
            "interchangeable; keep the patient on one product.",
            "Rounding: each of the two equal daily doses to the nearest 5 mg (a half step rounds "
            "down), then kept inside 2–3 mg/kg/day.",
            "A starting dose only: the dose is then adjusted by trough levels and response.",
        ),
    )
)


# --- mycophenolate mofetil ------------------------------------------------------------------

MMF_START_MG_DAY = 1000  # escalating start, "some protocols" (secondary); CAMARO 1 g/day
MMF_ESCALATION_WEEKS = 2  # CAMARO: 1 g/day from week 5, 2 g/day from week 7 [camaro-pmc12372268]
MMF_UNITS_MG = (500.0, 250.0)  # 500 mg tablets, 250 mg capsules
MMF_MAX_MG_DAY = 2000.0  # top of 1.5–2 g/day [camaro-pmc12372268], secondary
MMF_LIMITS = (
    DoseLimit(
        "ceiling",
        "mg/day",
        MMF_MAX_MG_DAY,
        "the top of 1.5–2 g/day in cohort data [camaro-pmc12372268]",
        "secondary",
        evidence="mmf-dose",
    ),
)
MMF_MONITOR = (
    "Full blood count (mycophenolate can lower the white cells), liver tests for the response, "
    "and for a woman who could become pregnant, pregnancy tests and contraception."
)


def _mmf_doses(v: Any, outcome: Outcome) -> list[DailyDose]:
    rows = outcome.outputs.get("schedule") or []
    return [DailyDose(row["weeks"], row["daily_mg"]) for row in rows]

MMF_UNVERIFIED = (
    "Not verified against any guideline: 1.5–2 g/day in two doses, and the 1 g/day start "
    "escalated after 2 weeks, come from secondary sources (cohort data and the CAMARO trial, "
    "PMC12372268) [camaro-pmc12372268]; the guideline dosing text was not read."
)
MMF_PREGNANCY_REASON = (
    "Mycophenolate is teratogenic and contraindicated in pregnancy: do not start it in a woman "
    "who is pregnant or planning a pregnancy."
)
MMF_ALTERNATIVE = (
    "Discuss the alternatives with the specialist team: azathioprine may be continued in "
    "pregnancy after a risk–benefit analysis (summary articles on the guidelines; not verified "
    "against the guideline text)."
)
MMF_CONTRACEPTION = (
    "Woman of childbearing potential: mycophenolate is teratogenic. Exclude pregnancy before the "
    "first dose and make sure effective contraception is used before, during and after "
    "treatment, as the product's pregnancy-prevention information sets out."
)


def _mmf_row(weeks: str, daily: int) -> dict[str, Any]:
    each = daily // 2
    return {
        "weeks": weeks,
        "daily_mg": daily,
        "each_dose_mg": each,
        "tablets_each_dose": units_text(each, MMF_UNITS_MG, "tablet"),
    }


def _mycophenolate(v: dict[str, Any], work: Working) -> Outcome:
    escalating = v["start"] == "escalating"
    outputs: dict[str, Any] = {
        "action": "start",
        "reason": "",
        "alternative": "",
        "maintenance_each_dose_mg": None,
        "start_daily_mg": None,
        "plan": "",
        "schedule": None,
        "monitor": "",
    }
    if v["pregnant_or_planning"]:
        work.step("Pregnant or planning a pregnancy → mycophenolate is contraindicated; no dose.")
        work.warn(f"Do not start: {MMF_PREGNANCY_REASON} {MMF_ALTERNATIVE}")
        work.warn(
            "If a patient becomes pregnant while taking mycophenolate, seek specialist advice "
            "at once."
        )
        outputs.update(
            action="contraindicated",
            reason=MMF_PREGNANCY_REASON,
            alternative=MMF_ALTERNATIVE,
            plan="do not use: contraindicated in pregnancy",
        )
        return Outcome(value=None, outputs=outputs, display={"value": "do not use (pregnancy)"})

    maintenance = int(v["maintenance_mg_per_day"])
    work.warn(MMF_UNVERIFIED)
    if v["childbearing_potential"]:
        work.warn(MMF_CONTRACEPTION)
    rows = []
    if escalating and maintenance > MMF_START_MG_DAY:
        rows.append(_mmf_row(f"Weeks 1–{MMF_ESCALATION_WEEKS}", MMF_START_MG_DAY))
        rows.append(_mmf_row(f"From week {MMF_ESCALATION_WEEKS + 1}", maintenance))
        work.step(
            f"Escalating start: {MMF_START_MG_DAY} mg/day ({MMF_START_MG_DAY // 2} mg twice daily) "
            f"for {MMF_ESCALATION_WEEKS} weeks, as CAMARO stepped from 1 g to 2 g/day after 2 "
            "weeks [camaro-pmc12372268]."
        )
        plan = (
            f"{MMF_START_MG_DAY // 2} mg twice daily for {MMF_ESCALATION_WEEKS} weeks, then "
            f"{maintenance // 2} mg twice daily"
        )
    else:
        rows.append(_mmf_row("From week 1", maintenance))
        work.step("Full start: the maintenance dose from the first day.")
        plan = f"{maintenance // 2} mg twice daily from the start"
    work.step(
        f"Maintenance: {maintenance} mg/day in two doses = {maintenance // 2} mg twice daily "
        f"({rows[-1]['tablets_each_dose']} each dose); the range reported is 1500–2000 mg/day."
    )
    outputs.update(
        reason="Starting and maintenance dose (secondary sources; see the warnings).",
        maintenance_each_dose_mg=maintenance // 2,
        start_daily_mg=rows[0]["daily_mg"],
        plan=plan,
        schedule=rows,
        monitor=MMF_MONITOR,
    )
    return Outcome(value=maintenance, outputs=outputs, display={"value": f"{maintenance} mg/day ({plan})"})


MYCOPHENOLATE_CHANGES = (
    Change(
        "2026-11-22",
        "1.0",
        "First published: mycophenolate mofetil 1.5–2 g/day in two doses, started at the full dose "
        "or at 1 g/day for 2 weeks (2 g/day and the 1 g/day start pre-selected); no dose in "
        "pregnancy or a planned pregnancy.",
        "Second-line treatment pages need the dose and the pregnancy warning together.",
    ),
    Change(
        "2026-12-04",
        "2.0",
        "No maintenance dose and no way of starting are pre-selected: both must be chosen, and "
        "neither is asked in pregnancy; the age group is asked and a child is refused; the answer "
        "names what to monitor.",
        "A dose chosen by the form is a choice nobody made. " + SECOND_LINE_AGE_WHY,
    ),
)


MYCOPHENOLATE = register(
    Calculator(
        id="mycophenolate-dose",
        version="2.0",
        changes=MYCOPHENOLATE_CHANGES,
        evidence=("mmf-dose",),
        title="Mycophenolate mofetil dose (second-line, autoimmune hepatitis)",
        summary=(
            "Mycophenolate mofetil 1.5–2 g/day in two doses, started at full dose or at 1 g/day "
            "for 2 weeks (secondary sources); never in pregnancy."
        ),
        inputs=(
            adult_age("Mycophenolate"),
            Input(
                "pregnant_or_planning",
                "Pregnant or planning a pregnancy",
                kind="boolean",
                hint="Mycophenolate is contraindicated in pregnancy.",
            ),
            Input(
                "childbearing_potential",
                "Woman of childbearing potential",
                kind="boolean",
                hint="Contraception is needed before, during and after treatment.",
            ),
            Input(
                "maintenance_mg_per_day",
                "Maintenance dose",
                kind="choice",
                choices=(
                    Choice("2000", "2000 mg/day (1000 mg twice daily)"),
                    Choice("1500", "1500 mg/day (750 mg twice daily)"),
                ),
                applies_when=(("pregnant_or_planning", (False,)),),
                hint="1.5–2 g/day in two doses; choose one.",
            ),
            Input(
                "start",
                "Start",
                kind="choice",
                choices=(
                    Choice("escalating", "1000 mg/day for 2 weeks, then the maintenance dose"),
                    Choice("full", "The maintenance dose from the first day"),
                ),
                applies_when=(("pregnant_or_planning", (False,)),),
                hint="Some protocols start at 1 g/day and escalate; choose one.",
            ),
        ),
        value=Output("maintenance_mg", "Target (maintenance) dose", unit="mg/day"),
        outputs=(
            Output("plan", "Plan"),
            Output("monitor", "What to monitor"),
            Output("action", "Action"),
            Output("reason", "Why"),
            Output("alternative", "Alternative to discuss"),
            Output("start_daily_mg", "Starting dose", unit="mg/day"),
            Output("maintenance_each_dose_mg", "Each maintenance dose", unit="mg"),
            Output(
                "schedule",
                "Schedule",
                columns=(
                    ("weeks", "Weeks"),
                    ("daily_mg", "Daily dose (mg)"),
                    ("each_dose_mg", "Each dose, twice daily (mg)"),
                    ("tablets_each_dose", "Tablets per dose (500 mg, 250 mg)"),
                ),
            ),
        ),
        compute=_mycophenolate,
        references=("camaro-pmc12372268", "mmf-alacrn2018"),
        example={
            "age_group": "adult",
            "pregnant_or_planning": False,
            "childbearing_potential": False,
            "maintenance_mg_per_day": "2000",
            "start": "escalating",
        },
        fallback=FallbackGrid(
            rows="start",
            row_values=("escalating", "full"),
            columns="pregnant_or_planning",
            column_values=(False, True),
            fixed={"age_group": "adult", "maintenance_mg_per_day": "2000", "childbearing_potential": False},
            cell="plan",
        ),
        dose_rules=DoseRules(MMF_LIMITS, _mmf_doses, weight_input=None),
        notes=(
            "Figures: 1.5–2 g/day in two doses, some protocols starting at 1 g/day and escalating "
            "(secondary; cohort data in PMC12372268, Table 1); the 2-week step is the CAMARO "
            "trial's (1 g/day from week 5, 2 g/day from week 7 of its steroid course). Not verified "
            "against the guideline text.",
            "Pregnancy is a hard stop: mycophenolate is teratogenic. Azathioprine may be continued "
            "in pregnancy after a risk–benefit analysis (summary articles on the guidelines; not verified against the guideline text).",
            "Response after suboptimal standard therapy (ALA-CRN cohort): remission 62 % after "
            "azathioprine intolerance and 57 % after non-response. The '58 % vs 23 %' quoted by "
            "some summaries differs from the source.",
            "Mycophenolate mofetil (500 mg tablets, 250 mg capsules) is assumed. Mycophenolic acid "
            "(mycophenolate sodium, enteric-coated) is dosed differently and is not "
            "interchangeable mg for mg.",
        ),
    )
)
