"""The simplified diagnostic criteria for autoimmune hepatitis (Hennes 2008).

Every point and threshold here is the one recorded in the project's evidence register
(evidence: aih-simplified-score; from [hennes2008] and the table reproduced in PMC3530748):

- Autoantibodies: ANA or SMA ≥ 1:40 → 1 point; ANA or SMA ≥ 1:80, or LKM ≥ 1:40, or SLA
  positive → 2 points. The autoantibody points are added and capped at 2.
- IgG: above the upper limit of normal → 1 point; above 1.10 × the upper limit → 2 points.
- Histology: compatible with AIH → 1 point; typical of AIH → 2 points (atypical → 0).
- Absence of viral hepatitis → 2 points.
- Total 0–8: ≥ 6 probable AIH, ≥ 7 definite AIH. Validation: sensitivity 88 % and
  specificity 97 % at ≥ 6; 81 % and 99 % at ≥ 7.

Choices that are this module's own, not clinical facts:

- Boundaries. "Above" is strictly greater: IgG exactly at the upper limit of normal scores 0,
  exactly 1.10 × the upper limit scores 1. The comparison is made in ``decimal`` on the values
  as entered (12 significant digits), so 17.6 g/L against an upper limit of 16 g/L is exactly
  1.10 × and scores 1; a float comparison could land either side.
- Wording below 6 points: "not diagnostic by these criteria". A low score is not a finding that
  AIH is absent, and the calculator never says so.
- Units. IgG and its upper limit in g/L; mg/dL accepted (1 g/L = 100 mg/dL, units.py). Each
  input is converted on its own, so the two may be entered in different units.
- Input ranges are data-entry limits: IgG 0–150 g/L (a value in mg/dL typed without its unit,
  such as 1600, is rejected); upper limit of normal 1–50 g/L. The plausible ranges (IgG
  3–60 g/L, upper limit 10–25 g/L) only trigger a "check the unit" warning.
- SLA defaults to negative for a request that leaves it out, which is also how an untested
  antibody scores (0 points); the form asks for it. Whether viral hepatitis was excluded has
  no default: the user must say.
- The histology definitions in the notes are the ones commonly reproduced from the paper's
  table; the register gives only the points, so the note says they were not checked against the
  paper's text.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .. import registry
from ..exact import dec as _dec
from ..present import fmt_number, points_text
from ..spec import Calculator, Change, Choice, Input, Outcome, Output, Working
from ..units import IGG_CONVENTIONAL

MAX_AUTOANTIBODY_POINTS = 2
IGG_TWO_POINT_FACTOR = Decimal("1.10")  # IgG > 1.10 × ULN → 2 points [hennes2008]
PROBABLE_AT = 6
DEFINITE_AT = 7

ANA_SMA_POINTS = {"negative": 0, "1:40": 1, "1:80-or-more": 2}
LKM_POINTS = {"negative": 0, "1:40-or-more": 2}
SLA_POINTS = 2
HISTOLOGY_POINTS = {"atypical": 0, "compatible": 1, "typical": 2}
VIRAL_EXCLUDED_POINTS = 2

VALIDATION = {
    # category: (sensitivity %, specificity %) at that threshold [hennes2008]
    "probable": (88, 97),
    "definite": (81, 99),
}

ANA_SMA = Input(
    "ana_sma",
    "ANA or SMA (highest titre)",
    kind="choice",
    choices=(
        Choice("negative", "Negative (below 1:40)"),
        Choice("1:40", "1:40"),
        Choice("1:80-or-more", "1:80 or more"),
    ),
    hint="The higher titre of antinuclear or smooth-muscle antibodies.",
)
LKM = Input(
    "lkm",
    "Anti-LKM",
    kind="choice",
    choices=(Choice("negative", "Negative (below 1:40)"), Choice("1:40-or-more", "1:40 or more")),
    hint="Liver-kidney microsomal antibodies.",
)
SLA = Input(
    "sla",
    "Anti-SLA positive",
    kind="boolean",
    default=False,
    hint="Soluble liver antigen antibodies. Not tested: choose No (it scores 0, as negative does).",
)
IGG = Input(
    "igg",
    "IgG",
    unit="g/L",
    allowed=(0, 150),
    plausible=(3, 60),
    step=0.1,
    hint='Serum immunoglobulin G; mg/dL accepted, e.g. "1800 mg/dL".',
    conversions=IGG_CONVENTIONAL,
)
IGG_ULN = Input(
    "igg_uln",
    "IgG upper limit of normal",
    unit="g/L",
    allowed=(1, 50),
    plausible=(10, 25),
    step=0.1,
    hint='The upper limit of the IgG reference range of the laboratory; mg/dL accepted, e.g. "1600 mg/dL".',
    conversions=IGG_CONVENTIONAL,
)
HISTOLOGY = Input(
    "histology",
    "Liver histology",
    kind="choice",
    choices=(
        Choice("atypical", "Atypical (0 points)"),
        Choice("compatible", "Compatible with AIH (1 point)"),
        Choice("typical", "Typical of AIH (2 points)"),
    ),
    hint="As reported against the simplified criteria's definitions (see the notes).",
)
VIRAL = Input(
    "viral_hepatitis_excluded",
    "Viral hepatitis excluded",
    kind="boolean",
    hint="Yes when tests have excluded viral hepatitis (2 points).",
)

_ANA_LABELS = {c.value: c.label for c in ANA_SMA.choices}
_HISTOLOGY_WORDS = {"atypical": "atypical", "compatible": "compatible with AIH", "typical": "typical of AIH"}

CATEGORY_TEXT = {
    "definite": "Definite AIH by the simplified criteria (7 or more points).",
    "probable": "Probable AIH by the simplified criteria (6 points).",
    "not-diagnostic": (
        "Not diagnostic by these criteria (fewer than 6 points). This is not a finding that "
        "AIH is absent."
    ),
}
CATEGORY_DISPLAY = {
    "definite": "definite AIH (≥ 7 points)",
    "probable": "probable AIH (6 points)",
    "not-diagnostic": "not diagnostic by these criteria (< 6 points)",
}


def _n(value: Decimal, places: int = 3) -> str:
    return fmt_number(float(value), places)


def _autoantibodies(values: dict[str, Any], work: Working) -> int:
    ana = ANA_SMA_POINTS[values["ana_sma"]]
    lkm = LKM_POINTS[values["lkm"]]
    sla = SLA_POINTS if values["sla"] else 0
    total = ana + lkm + sla
    points = min(total, MAX_AUTOANTIBODY_POINTS)
    ana_text = _ANA_LABELS[values["ana_sma"]].lower()
    lkm_text = "1:40 or more" if lkm else "negative"
    sla_text = "positive" if sla else "negative or not tested"
    capped = f", capped at {MAX_AUTOANTIBODY_POINTS}" if total > MAX_AUTOANTIBODY_POINTS else ""
    work.step(
        f"Autoantibodies: ANA/SMA {ana_text} → {ana}; LKM {lkm_text} → {lkm}; "
        f"SLA {sla_text} → {sla}; sum {total}{capped} (at most {MAX_AUTOANTIBODY_POINTS}) "
        f"→ {points_text(points)}."
    )
    return points


def _igg(values: dict[str, Any], work: Working) -> tuple[int, float]:
    igg, uln = _dec(values["igg"]), _dec(values["igg_uln"])
    limit = uln * IGG_TWO_POINT_FACTOR
    ratio = float((igg / uln).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    if igg > limit:
        points, why = 2, f"above 1.10 × the upper limit ({_n(limit)} g/L)"
    elif igg > uln:
        points, why = 1, (
            f"above the upper limit ({_n(uln)} g/L) but not above 1.10 × it ({_n(limit)} g/L)"
        )
    else:
        points, why = 0, f"not above the upper limit ({_n(uln)} g/L)"
    work.step(
        f"IgG {_n(igg)} g/L ({fmt_number(ratio, 2)} × the upper limit of normal): {why} "
        f"→ {points_text(points)}."
    )
    return points, ratio


def _compute(values: dict[str, Any], work: Working) -> Outcome:
    auto = _autoantibodies(values, work)
    igg, ratio = _igg(values, work)
    histology = HISTOLOGY_POINTS[values["histology"]]
    work.step(f"Histology {_HISTOLOGY_WORDS[values['histology']]} → {points_text(histology)}.")
    excluded = values["viral_hepatitis_excluded"]
    viral = VIRAL_EXCLUDED_POINTS if excluded else 0
    work.step(
        f"Viral hepatitis {'excluded' if excluded else 'not excluded'} → {points_text(viral)}."
    )
    if not excluded:
        work.warn(
            "Viral hepatitis has not been excluded: that item scores 0, and the simplified "
            "criteria award its 2 points only once viral hepatitis has been ruled out."
        )
    total = auto + igg + histology + viral
    if total >= DEFINITE_AT:
        category = "definite"
    elif total >= PROBABLE_AT:
        category = "probable"
    else:
        category = "not-diagnostic"
    work.step(
        f"Total {auto} + {igg} + {histology} + {viral} = {total} points → "
        f"{CATEGORY_DISPLAY[category]} (≥ 6 probable, ≥ 7 definite) [hennes2008]."
    )
    if category in VALIDATION:
        sens, spec = VALIDATION[category]
        threshold = DEFINITE_AT if category == "definite" else PROBABLE_AT
        validation = (
            f"In the validation of the simplified criteria a score of {threshold} or more had "
            f"a sensitivity of {sens} % and a specificity of {spec} % [hennes2008]."
        )
    else:
        validation = (
            "A score below 6 is below the probable-AIH threshold of the simplified criteria "
            "(sensitivity 88 %, specificity 97 % at ≥ 6 in their validation [hennes2008]); "
            "it does not rule AIH out."
        )
    outputs = {
        "category": category,
        "interpretation": CATEGORY_TEXT[category],
        "validation": validation,
        "autoantibody_points": auto,
        "igg_points": igg,
        "histology_points": histology,
        "viral_hepatitis_points": viral,
        "igg_to_uln": ratio,
    }
    display = {"category": CATEGORY_DISPLAY[category], "igg_to_uln": fmt_number(ratio, 2)}
    return Outcome(value=total, outputs=outputs, display=display)


# What changed for a clinician, and why (from this module's history; see spec.Change).
AIH_SCORE_CHANGES = (
    Change(
        "2026-11-22",
        "1.0",
        "First published: the simplified diagnostic criteria (Hennes 2008) from autoantibodies, IgG, "
        "histology and the exclusion of viral hepatitis, 0–8 points; 6 probable, 7 or more definite "
        "autoimmune hepatitis.",
        "The diagnosis pages use the score; each point is shown with the criterion that gave it.",
    ),
)


AIH_SCORE = registry.register(
    Calculator(
        id="aih-simplified-score",
        version="1.0",
        changes=AIH_SCORE_CHANGES,
        evidence=("aih-simplified-score",),
        details=(
            "autoantibody_points",
            "igg_points",
            "histology_points",
            "viral_hepatitis_points",
            "igg_to_uln",
        ),
        title="Simplified diagnostic criteria for autoimmune hepatitis",
        summary="The simplified AIH score (Hennes 2008): autoantibodies, IgG, histology and "
        "exclusion of viral hepatitis, 0–8 points; 6 probable, 7 or more definite AIH.",
        inputs=(ANA_SMA, LKM, SLA, IGG, IGG_ULN, HISTOLOGY, VIRAL),
        value=Output("points", "Simplified AIH score", "points"),
        outputs=(
            Output("category", "Category (definite, probable or not diagnostic)"),
            Output("interpretation", "Interpretation"),
            Output("validation", "Published validation"),
            Output("autoantibody_points", "Autoantibody points (at most 2)"),
            Output("igg_points", "IgG points"),
            Output("histology_points", "Histology points"),
            Output("viral_hepatitis_points", "Viral hepatitis points"),
            Output("igg_to_uln", "IgG / upper limit of normal"),
        ),
        compute=_compute,
        references=("hennes2008",),
        example={
            "ana_sma": "1:80-or-more",
            "lkm": "negative",
            "sla": False,
            "igg": 20,
            "igg_uln": 16,
            "histology": "typical",
            "viral_hepatitis_excluded": True,
        },
        notes=(
            "Autoantibodies: ANA or SMA ≥ 1:40 → 1 point; ANA or SMA ≥ 1:80, or LKM ≥ 1:40, or "
            "SLA positive → 2 points; the autoantibody points are added and capped at 2.",
            "IgG: above the upper limit of normal → 1 point; above 1.10 × the upper limit → "
            "2 points. “Above” is strictly greater: IgG exactly at the upper limit scores 0, "
            "exactly 1.10 × scores 1.",
            "Histology: compatible with AIH → 1 point; typical → 2; atypical → 0. Viral "
            "hepatitis excluded → 2 points.",
            "6 points: probable AIH; 7 or more: definite AIH. Below 6 the score is not "
            "diagnostic by these criteria, which is not the same as excluding AIH.",
            "Published validation [hennes2008]: sensitivity 88 % and specificity 97 % at ≥ 6 "
            "points; sensitivity 81 % and specificity 99 % at ≥ 7 points.",
            "Histology definitions, as commonly reproduced from the paper's table (not checked "
            "against the paper's text by this project): typical — interface hepatitis, "
            "lymphocytic or lymphoplasmacytic infiltrates in portal tracts, emperipolesis and "
            "hepatic rosettes; compatible — chronic hepatitis with lymphocytic infiltration "
            "without all the typical features; atypical — features of another diagnosis.",
        ),
    )
)
