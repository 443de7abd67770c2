"""Azathioprine daily dose for autoimmune hepatitis, by weight and TPMT/NUDT15 status.

What it rests on (each figure's status is in the evidence register, src/aihcalc/evidence.toml):

- The dose range, 1–2 mg/kg/day, is the azathioprine dose of both arms of the budesonide
  randomised trial [manns2010budesonide] (evidence: aza-dose-range; **confirmed**). The calculator accepts
  0.5–2 mg/kg/day; below 1 mg/kg/day it warns (see ``_below_range_warning`` for why a lower
  figure is allowed at all).
- The pharmacogenetic adjustment is CPIC's thiopurine guideline [relling2019] (evidence: cpic-thiopurine; Table 2
  text as reproduced by third parties): TPMT normal → normal starting dose; intermediate → 30–80 %
  of the normal dose; poor, non-malignant disease → a non-thiopurine alternative. TPMT and
  NUDT15 both intermediate → 20–50 % (cpicpgx.org, March 2024 update). The project did not see the
  exact NUDT15 table text, so NUDT15 results carry a warning saying so.
- The start inside CPIC's range is this calculator's choice, stated in every result: one
  intermediate gene halves the dose (50 %, inside 30–80 %); two intermediate genes halve it
  twice (25 %, inside 20–50 %). CPIC itself says to adjust afterwards by the blood count.
- The phenotype decision itself (avoid, reduce to which range, or start normally) is the decision
  table ``thiopurine-phenotype`` (src/aihcalc/tables/), the same table the site renders.
- Tablets: 25 mg and 50 mg, the strengths common to UK and US azathioprine (75 mg and 100 mg
  exist in some markets and are not used here). The dose is the nearest multiple of 25 mg
  (a half step rounds up), never above 2 mg/kg/day of the weight entered, and for a reduced
  dose never outside CPIC's range rounded inwards to whole 25 mg steps.

Start and target: the weight-based dose is the *target*. EASL 2015 starts at 50 mg/day and
raises the dose to 1–2 mg/kg/day [easl2015] (evidence: aza-start-50; **secondary**; a fixed 50 mg/day is also
US practice per AASLD 2010 [manns2010], weak), so the start is 50 mg/day, or the target when
that is smaller, and every result says so. Starting 2 weeks after steroids is a note.

Limits (declared as data, held by ``Calculator.calculate``): never above 2 mg/kg/day
(confirmed); above 150 mg/day, the top of AASLD 2019's 50–150 mg/day [mack2020] (evidence: aza-aasld2019-range,
**not found** in the guideline text, so named as unverified), the result always says so.

Children: the age group is asked. The 1–2 mg/kg/day range is from an adult trial; a child's
dose is flagged with the children's start (0.5 mg/kg/day, raised to 2–2.5 mg/kg/day
[wjg2017-aih], secondary), not refused, because the same CPIC rules apply.
"""

from __future__ import annotations

import math
from typing import Any

from ..dosing import DailyDose, DoseLimit, DoseRules, fewest_tablets
from ..present import fmt_number, percent_text, tablets_text
from ..registry import register
from ..spec import Calculator, Change, Choice, FallbackGrid, Input, Outcome, Output, Working
from ..tables import load_table
from .population import CHILD, age_group

TABLET_STRENGTHS_MG = (50, 25)  # largest first; every dose is a multiple of the smallest
STEP_MG = 25
MAX_MG_PER_KG = 2.0  # top of the 1–2 mg/kg/day AIH range [manns2010budesonide]
RANGE_MG_PER_KG = (1.0, 2.0)  # the confirmed AIH range [manns2010budesonide]
START_MG = 50  # EASL 2015 first dose, raised to the target [easl2015], secondary
STUDIED_MAX_MG = 150  # top of AASLD 2019's 50–150 mg/day [mack2020], not found in the text

LIMITS = (
    DoseLimit(
        "ceiling",
        "mg/kg/day",
        MAX_MG_PER_KG,
        "the budesonide trial's azathioprine range, 1–2 mg/kg/day [manns2010budesonide]",
        "confirmed",
        evidence="aza-dose-range",
    ),
    DoseLimit(
        "studied-maximum",
        "mg/day",
        STUDIED_MAX_MG,
        "AASLD 2019 (50–150 mg/day) [mack2020]",
        "unverified",
        "That range was seen only in secondary sources, not in the guideline text.",
        evidence="aza-aasld2019-range",
    ),
)
CHILD_START_MG_PER_KG = 0.5  # [wjg2017-aih], secondary
CHILD_NOTE = (
    "Child or adolescent: the 1–2 mg/kg/day range comes from an adult trial. In children "
    "azathioprine is usually started at 0.5 mg/kg/day and raised to 2–2.5 mg/kg/day "
    "[wjg2017-aih] (secondary source, not verified against the ESPGHAN text). Dose a child with "
    "a paediatric hepatologist."
)

# CPIC [relling2019]: the action, the range (fraction of the normal dose) and this calculator's
# start inside it (each intermediate gene halves the dose) come from the decision table
# src/aihcalc/tables/thiopurine-phenotype.toml, rendered on the site and checked at build time.

PHENOTYPES = (
    Choice("normal", "Normal metaboliser"),
    Choice("intermediate", "Intermediate metaboliser"),
    Choice("poor", "Poor metaboliser"),
    Choice("unknown", "Not known (not tested)"),
)

NUDT15_UNCHECKED = (
    "The NUDT15 recommendation applied here (same categories as TPMT; both intermediate "
    "→ 20–50 %) was not checked against CPIC's NUDT15 table text: verify it there."
)

ACTION_START = "start"
ACTION_AVOID = "avoid-thiopurine"
ACTION_NO_TABLET = "no-whole-tablet-dose"


def _doses(v: Any, outcome: Outcome) -> list[DailyDose]:
    if outcome.value is None:
        return []
    doses = [DailyDose("Target dose", outcome.value)]
    if outcome.outputs["start_dose_mg"] is not None:
        doses.append(DailyDose("Starting dose", outcome.outputs["start_dose_mg"]))
    return doses


def _compute(v: dict[str, Any], work: Working) -> Outcome:
    if v["age_group"] == CHILD:
        work.warn(CHILD_NOTE)
    weight = v["weight_kg"]
    per_kg = v["mg_per_kg"]
    tpmt = v["tpmt"]
    nudt15 = v["nudt15"]

    normal_mg = round(weight * per_kg, 6)
    cap_mg = round(weight * MAX_MG_PER_KG, 6)
    cap_tablet_mg = _floor_step(cap_mg)
    work.step(
        f"Normal dose: {fmt_number(weight)} kg × {fmt_number(per_kg)} mg/kg/day = "
        f"{fmt_number(normal_mg)} mg/day (AIH range 1–2 mg/kg/day) [manns2010budesonide]."
    )
    work.step(
        f"Ceiling: {fmt_number(weight)} kg × {fmt_number(MAX_MG_PER_KG)} mg/kg/day = "
        f"{fmt_number(cap_mg)} mg/day; the dose is never rounded above it."
    )

    outputs: dict[str, Any] = {
        "action": ACTION_START,
        "reason": "",
        "phenotype_adjustment": "",
        "phenotype_factor": None,
        "normal_dose_mg": round(normal_mg, 2),
        "max_dose_mg": round(cap_mg, 2),
        "adjusted_dose_mg": None,
        "range_percent": None,
        "range_low_mg": None,
        "range_high_mg": None,
        "dose_mg_per_kg": None,
        "tablets": None,
        "start_dose_mg": None,
        "start_tablets": None,
        "plan": "",
    }

    # The phenotype decision is the decision table src/aihcalc/tables/thiopurine-phenotype.toml.
    phenotype = load_table("thiopurine-phenotype").evaluate({"tpmt": tpmt, "nudt15": nudt15}).output
    assert phenotype is not None  # the table has no gaps (checked by its analysis in the tests)
    poor = [gene for gene, status in (("TPMT", tpmt), ("NUDT15", nudt15)) if status == "poor"]
    if phenotype["action"] == ACTION_AVOID:
        genes = " and ".join(poor)
        reason = (
            f"{genes} poor metaboliser: for a non-malignant condition such as autoimmune "
            "hepatitis CPIC recommends a non-thiopurine alternative instead of azathioprine "
            "[relling2019]."
        )
        work.step(f"{genes} poor metaboliser → do not start azathioprine; no dose is given.")
        outputs.update(
            action=ACTION_AVOID,
            reason=reason,
            phenotype_adjustment=f"{genes} poor metaboliser: avoid thiopurines (CPIC).",
        )
        work.warn(
            f"Do not start azathioprine: {reason} Discuss an alternative with the specialist team."
        )
        if nudt15 == "poor":
            work.warn(NUDT15_UNCHECKED)
        return Outcome(value=None, outputs=outputs, display={"value": "do not start"})

    if per_kg < RANGE_MG_PER_KG[0]:
        work.warn(_below_range_warning(per_kg))
    _phenotype_warnings(tpmt, nudt15, work)

    intermediate = [g for g, s in (("TPMT", tpmt), ("NUDT15", nudt15)) if s == "intermediate"]
    factor = phenotype["start_fraction"]
    cpic_range = None
    if phenotype["action"] == "reduce":
        cpic_range = (phenotype["fraction_low"], phenotype["fraction_high"])
        span = f"CPIC range {percent_text(cpic_range[0])}–{percent_text(cpic_range[1])} % of the normal dose"
        start = f"this calculator starts at {percent_text(factor)} %"
        if len(intermediate) == 2:
            adjustment = f"TPMT and NUDT15 both intermediate: {span}; {start} (half of half) [relling2019]."
        else:
            adjustment = f"{' and '.join(intermediate)} intermediate: {span}; {start} [relling2019]."
    else:
        adjustment = "No reduction: normal (or untested, assumed normal) TPMT and NUDT15."
    outputs["phenotype_adjustment"] = adjustment
    outputs["phenotype_factor"] = factor

    raw_mg = round(normal_mg * factor, 6)
    outputs["adjusted_dose_mg"] = round(raw_mg, 2)
    nearest_mg = _nearest_step(raw_mg)
    if cpic_range is None:
        work.step(f"Phenotype factor 1 (no reduction): {fmt_number(raw_mg)} mg/day.")
        low_ok, high_ok = STEP_MG, cap_tablet_mg
        rule = f"no more than {fmt_number(cap_tablet_mg)} mg (the ceiling in whole tablets)"
        if nearest_mg < STEP_MG:
            problem = (
                f"the nearest multiple of {STEP_MG} mg is 0 mg"
            )
        elif cap_tablet_mg < STEP_MG:
            problem = (
                f"one {STEP_MG} mg tablet is more than {fmt_number(MAX_MG_PER_KG)} mg/kg/day "
                f"({fmt_number(cap_mg)} mg/day)"
            )
        else:
            problem = ""
    else:
        lo_pct, hi_pct = (round(100 * f) for f in cpic_range)
        low_mg = round(normal_mg * cpic_range[0], 6)
        high_mg = round(normal_mg * cpic_range[1], 6)
        low_ok = _ceil_step(low_mg)
        high_ok = min(_floor_step(high_mg), cap_tablet_mg)
        outputs["range_percent"] = f"{lo_pct}–{hi_pct} %"
        work.step(
            f"{adjustment} {fmt_number(normal_mg)} mg × {fmt_number(factor)} = "
            f"{fmt_number(raw_mg)} mg/day."
        )
        work.step(
            f"CPIC range {lo_pct}–{hi_pct} % of {fmt_number(normal_mg)} mg = "
            f"{fmt_number(low_mg)}–{fmt_number(high_mg)} mg/day; in whole {STEP_MG} mg steps "
            "inside it: "
            + (f"{fmt_number(low_ok)}–{fmt_number(high_ok)} mg/day." if low_ok <= high_ok else "none.")
        )
        if low_ok <= high_ok:
            outputs["range_low_mg"] = low_ok
            outputs["range_high_mg"] = high_ok
            problem = ""
        else:
            problem = (
                f"no multiple of {STEP_MG} mg lies within {lo_pct}–{hi_pct} % of the normal dose "
                f"({fmt_number(low_mg)}–{fmt_number(high_mg)} mg/day)"
            )
        rule = f"inside the CPIC range in whole tablets ({fmt_number(low_ok)}–{fmt_number(high_ok)} mg)"

    if problem:
        reason = (
            f"No whole-tablet dose: {fmt_number(raw_mg)} mg/day cannot be given with {STEP_MG} mg "
            f"and 50 mg tablets ({problem}). A dose this small needs specialist (for example "
            "paediatric) prescribing."
        )
        work.step(reason)
        work.warn(reason)
        outputs.update(action=ACTION_NO_TABLET, reason=reason)
        return Outcome(value=None, outputs=outputs, display={"value": "no whole-tablet dose"})

    dose = min(max(nearest_mg, low_ok), high_ok)
    work.step(
        f"Rounding: nearest multiple of {STEP_MG} mg to {fmt_number(raw_mg)} mg is "
        f"{fmt_number(nearest_mg)} mg (a half step rounds up); kept {rule} → "
        f"{fmt_number(dose)} mg/day."
    )
    per_kg_actual = round(dose / weight, 2)
    tablets = tablet_text(dose)
    work.step(
        f"{fmt_number(dose)} mg/day = {tablets} = {fmt_number(per_kg_actual)} mg/kg/day."
    )
    if cpic_range is None and dose / weight < RANGE_MG_PER_KG[0] <= per_kg:
        up = dose + STEP_MG
        if up <= cap_tablet_mg:
            work.warn(
                f"Whole tablets give {fmt_number(per_kg_actual)} mg/kg/day, below the 1–2 "
                f"mg/kg/day range; the next tablet step, {up} mg/day "
                f"({fmt_number(round(up / weight, 2))} mg/kg/day), lies within it."
            )
    outputs.update(
        action=ACTION_START,
        reason=_start_reason(cpic_range is not None, tpmt, nudt15),
        dose_mg_per_kg=per_kg_actual,
        tablets=tablets,
        **_start(v["age_group"], weight, dose, work),
    )
    return Outcome(value=dose, outputs=outputs)


def _start(group: str, weight: float, dose: int, work: Working) -> dict[str, Any]:
    """The start the target is raised from: 50 mg/day for an adult, 0.5 mg/kg/day for a child."""
    if group == CHILD:
        child_start = round(weight * CHILD_START_MG_PER_KG, 2)
        work.step(
            f"Child: start at 0.5 mg/kg/day = {fmt_number(child_start)} mg/day, raised to the target "
            "[wjg2017-aih] (secondary); the adult 50 mg/day start is not used."
        )
        plan = (
            f"Start low, at about {fmt_number(child_start)} mg/day (0.5 mg/kg/day, children), and "
            f"raise towards {dose} mg/day with a paediatric hepatologist"
        )
        return {"start_dose_mg": None, "start_tablets": None, "plan": plan}
    start_mg = min(START_MG, dose)
    if start_mg < dose:
        plan = (
            f"Start at {start_mg} mg/day, then raise to {dose} mg/day as the blood count and "
            "liver tests allow"
        )
        work.step(
            f"Start: {START_MG} mg/day first, raised to the target of {dose} mg/day "
            "(EASL 2015 [easl2015], secondary)."
        )
        work.warn(
            f"Starting dose {start_mg} mg/day, target {dose} mg/day: EASL 2015 starts at 50 mg/day "
            "and raises the dose to 1–2 mg/kg/day [easl2015]. That start comes from a secondary "
            "source, not verified against the guideline text; raise the dose by the blood count."
        )
    else:
        plan = f"Start at {dose} mg/day; this is also the target"
        work.step(f"Start: the target, {dose} mg/day, is not above {START_MG} mg/day.")
    return {"start_dose_mg": start_mg, "start_tablets": tablet_text(start_mg), "plan": plan}


def _start_reason(reduced: bool, tpmt: str, nudt15: str) -> str:
    text = "Reduced target dose (CPIC)." if reduced else "Target dose for normal TPMT and NUDT15."
    untested = [g for g, s in (("TPMT", tpmt), ("NUDT15", nudt15)) if s == "unknown"]
    if untested:
        text += f" {' and '.join(untested)} not tested: assumed normal (see the warnings)."
    return text


def _below_range_warning(per_kg: float) -> str:
    return (
        f"{fmt_number(per_kg)} mg/kg/day is below the 1–2 mg/kg/day range of the trial "
        "evidence [manns2010budesonide]. A lower figure is accepted because a low first dose "
        "raised later is common practice (EASL 2015 starts at 50 mg/day and raises it to "
        "1–2 mg/kg/day; children start at 0.5 mg/kg/day), but those figures come from secondary "
        "sources not verified against the guideline text; plan the increase."
    )


def _phenotype_warnings(tpmt: str, nudt15: str, work: Working) -> None:
    if tpmt == "unknown":
        work.warn(
            "TPMT status unknown: this is the dose for normal TPMT activity. Test TPMT "
            "(genotype or enzyme activity) before the first dose: intermediate activity needs a "
            "reduced dose and poor activity rules azathioprine out [relling2019]."
        )
    if nudt15 == "unknown":
        work.warn(
            "NUDT15 status unknown: the dose assumes normal NUDT15 function. CPIC's "
            "recommendations use both TPMT and NUDT15 status [relling2019]."
        )
    if nudt15 == "intermediate":
        work.warn(NUDT15_UNCHECKED)
    if "intermediate" in (tpmt, nudt15):
        if "unknown" in (tpmt, nudt15):
            work.warn(
                "One gene is intermediate and the other untested: if the untested gene is also "
                "intermediate CPIC's range narrows to 20–50 % of the normal dose, and if it is "
                "poor azathioprine should not be used."
            )
        work.warn(
            "CPIC's percentages refer to its normal starting dose (e.g. 2–3 mg/kg/day); here "
            "they are applied to the autoimmune-hepatitis dose entered. The start inside CPIC's "
            "range (50 % per intermediate gene) is this calculator's choice; adjust by the blood "
            "count, allowing 2–4 weeks to steady state after each change [relling2019]."
        )


def _nearest_step(mg: float) -> int:
    """Nearest multiple of the tablet step; exactly half a step rounds up."""
    return STEP_MG * math.floor(mg / STEP_MG + 0.5)


def _floor_step(mg: float) -> int:
    return STEP_MG * math.floor(mg / STEP_MG)


def _ceil_step(mg: float) -> int:
    return STEP_MG * math.ceil(mg / STEP_MG)


def tablet_text(dose_mg: int) -> str:
    """The dose as tablets, fewest tablets first: ``"1 × 50 mg + 1 × 25 mg"``."""
    counts = fewest_tablets(dose_mg, TABLET_STRENGTHS_MG) if dose_mg % STEP_MG == 0 else None
    if not counts:
        raise ValueError(f"{dose_mg} mg is not a whole-tablet dose")
    return tablets_text(counts)


# What changed for a clinician, and why (from this module's history; see spec.Change).
AZATHIOPRINE_CHANGES = (
    Change(
        "2026-11-22",
        "1.0",
        "First published: the daily azathioprine dose from body weight at 1–2 mg/kg/day, never above "
        "2 mg/kg/day, reduced or withheld for TPMT and NUDT15 status as CPIC recommends, in 25 mg and "
        "50 mg tablets.",
        "First-line treatment combines azathioprine with a steroid, and its dose depends on weight "
        "and on the TPMT and NUDT15 genes.",
    ),
    Change(
        "2026-12-04",
        "2.0",
        "The weight-based dose is now the target, reached from a start of 50 mg/day (or the target, "
        "if smaller); the age group is asked, and for a child the result warns and gives the "
        "children's start of 0.5 mg/kg/day; above 150 mg/day the result says the dose is beyond the "
        "largest the sources used.",
        "EASL 2015 starts at 50 mg/day and raises the dose (a secondary source), so the full dose "
        "was not the first dose; the 1–2 mg/kg/day range comes from adults; 150 mg/day is the top of "
        "the range quoted for AASLD 2019.",
    ),
)


AZATHIOPRINE = register(
    Calculator(
        id="azathioprine-dose",
        version="2.0",
        changes=AZATHIOPRINE_CHANGES,
        evidence=("aza-dose-range", "cpic-thiopurine", "aza-start-50", "aza-aasld2019-range"),
        details=(
            "dose_mg_per_kg",
            "phenotype_factor",
            "normal_dose_mg",
            "adjusted_dose_mg",
            "range_percent",
            "range_low_mg",
            "range_high_mg",
            "max_dose_mg",
        ),
        title="Azathioprine dose (autoimmune hepatitis)",
        summary=(
            "Target daily azathioprine dose from body weight at 1–2 mg/kg/day, reduced or "
            "withheld for TPMT and NUDT15 status as CPIC recommends, in 25 mg and 50 mg tablets, "
            "with the 50 mg/day start it is raised from."
        ),
        inputs=(
            age_group("Azathioprine doses here come from adult trials; a child's dose is flagged."),
            Input(
                "weight_kg",
                "Body weight",
                unit="kg",
                allowed=(3, 300),
                plausible=(30, 200),
                step=0.1,
                hint="Actual body weight.",
            ),
            Input(
                "mg_per_kg",
                "Dose per kilogram",
                unit="mg/kg/day",
                allowed=(0.5, 2.0),
                plausible=RANGE_MG_PER_KG,
                default=1,
                step=0.05,
                hint="1–2 mg/kg/day in autoimmune hepatitis; below 1 gives a warning.",
            ),
            Input(
                "tpmt",
                "TPMT status",
                kind="choice",
                choices=PHENOTYPES,
                default="unknown",
                preselect=True,  # "not tested yet" is no finding
                hint="Metaboliser status from TPMT genotype or enzyme activity.",
            ),
            Input(
                "nudt15",
                "NUDT15 status",
                kind="choice",
                choices=PHENOTYPES,
                default="unknown",
                preselect=True,  # "not tested yet" is no finding
                hint="Metaboliser status from NUDT15 genotype.",
            ),
        ),
        value=Output("dose_mg", "Target daily azathioprine dose", unit="mg/day"),
        outputs=(
            Output("plan", "Plan"),
            Output("start_dose_mg", "Starting dose", unit="mg/day"),
            Output("start_tablets", "Starting dose in tablets"),
            Output("action", "Action"),
            Output("reason", "Why"),
            Output("tablets", "Target dose in tablets (25 mg and 50 mg)"),
            Output("dose_mg_per_kg", "Dose per kilogram given", unit="mg/kg/day"),
            Output("phenotype_adjustment", "TPMT/NUDT15 adjustment"),
            Output("phenotype_factor", "Fraction of the normal dose"),
            Output("normal_dose_mg", "Normal dose before adjustment", unit="mg/day"),
            Output("adjusted_dose_mg", "Adjusted dose before rounding", unit="mg/day"),
            Output("range_percent", "CPIC range"),
            Output("range_low_mg", "CPIC range, lowest whole-tablet dose", unit="mg/day"),
            Output("range_high_mg", "CPIC range, highest whole-tablet dose", unit="mg/day"),
            Output("max_dose_mg", "Ceiling (2 mg/kg/day)", unit="mg/day"),
        ),
        compute=_compute,
        references=("manns2010budesonide", "relling2019", "easl2015", "manns2010", "mack2020", "wjg2017-aih"),
        example={"age_group": "adult", "weight_kg": 70, "mg_per_kg": 1, "tpmt": "normal", "nudt15": "normal"},
        fallback=FallbackGrid(
            rows="weight_kg",
            row_values=(40, 50, 60, 70, 80, 90, 100, 110, 120),
            columns="tpmt",
            column_values=("normal", "intermediate", "poor"),
            fixed={"age_group": "adult", "mg_per_kg": 1, "nudt15": "normal"},
        ),
        dose_rules=DoseRules(LIMITS, _doses),
        notes=(
            "Tablet strengths assumed: 25 mg and 50 mg (UK and US). Doses are whole multiples of "
            "25 mg; 75 mg and 100 mg tablets, sold in some markets, are not used.",
            "Rounding: the nearest multiple of 25 mg (a half step rounds up), then brought down "
            "if it would exceed 2 mg/kg/day, and for a reduced dose kept inside CPIC's range.",
            "Reduced doses: CPIC gives a range (30–80 % for one intermediate gene, 20–50 % for "
            "both); starting at 50 % per intermediate gene is this calculator's choice within "
            "it. NUDT15 table text was not checked against CPIC directly.",
            "Start and target: the weight-based dose is the target. The start is 50 mg/day (or the "
            "target when smaller), raised to the target: EASL 2015's 50 mg/day first, raised to "
            "1–2 mg/kg/day (secondary source; a fixed 50 mg/day is also US practice per AASLD "
            "2010). Not modelled: starting ideally 2 weeks after steroids and once bilirubin is "
            "below 6 mg/dL (100 µmol/L).",
            "Limits: never above 2 mg/kg/day (confirmed). Above 150 mg/day, the top of AASLD "
            "2019's 50–150 mg/day (seen only in secondary sources), the result says so.",
            "Monitoring and later dose changes are not covered.",
        ),
    )
)
