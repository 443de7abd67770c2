"""Non-invasive fibrosis indices: FIB-4 and APRI.

Every formula and cut-off here is the one recorded in the project's evidence register
(evidence: fib-4, apri):

- FIB-4 [sterling2006]: age (years) × AST (U/L) / (platelets (10⁹/L) × √ALT (U/L)).
  Cut-offs: below 1.45 the negative predictive value for advanced fibrosis was 90 %; above
  3.25 the positive predictive value was 65 % and the specificity 97 %; between them the
  result is indeterminate. The paper's abstract (PubMed 16729309) adds what the register leaves
  implicit: "advanced fibrosis" means Ishak stage 4–6, the figures come from the validation
  set, and the cohort had HIV/HCV coinfection (832 patients). The paper says nothing about
  autoimmune hepatitis.
- APRI [wai2003]: (AST / AST upper limit of normal) / platelets (10⁹/L) × 100.
  Cut-offs 0.5 and 1.5 for significant fibrosis [jin2012]. That meta-analysis
  (its abstract, as seen on its PMC page) pooled nine studies of hepatitis B (1,798 patients):
  at 0.5 the summary sensitivity was 84 % and specificity 41 %; at 1.5, 49 % and 84 %. The register
  notes that the original APRI paper (Wai 2003) was not seen by this project.

Choices that are this module's own, not clinical facts:

- Rounding and classification. Both indices are reported to 2 decimals (halves up, in
  ``decimal`` arithmetic) and classified on that reported value, so the number shown and the
  band named always agree: an unrounded FIB-4 of 1.4496 is shown as 1.45 and classed as
  indeterminate. The unrounded value (4 decimals) is among the outputs.
- Values exactly on a cut-off. The register writes FIB-4's bands as "< 1.45" and "> 3.25", so 1.45
  and 3.25 themselves are indeterminate. For APRI, the register (and the meta-analysis abstract) give
  only "a threshold of 0.5 / 1.5"; this module uses the same convention as for FIB-4: below
  0.5, above 1.5, and 0.5–1.5 inclusive in between.
- Arithmetic uses ``decimal`` (28 digits); its square root is correctly rounded, so CPython
  and Pyodide give identical digits. Inputs are read with 12 significant digits, which drops
  binary noise from unit conversion without changing any value a laboratory reports.
- Units. AST and ALT in U/L (IU/L is the same unit); µkat/L is accepted with the exact factor
  1 µkat/L = 60 U/L (1 U = 1 µmol/min, 1 kat = 1 mol/s). Platelets in ×10⁹/L (typed as
  "10^9/L" or "x10^9/L" too); ×10³/µL and K/µL are the same number (10³ per 10⁻⁶ L = 10⁹ per
  L); a count per µL or per mm³ is divided by 1000. A number over 2,000 typed without a unit
  that is a plausible count per µL (20,000–1,000,000, the plausible range × 1000) is rejected
  with a message that says how to type it: converting it silently would guess the unit, and
  the index would then rest on a guess nobody confirmed.
- Input ranges are data-entry limits, not clinical thresholds. ``allowed`` rejects what no
  patient has (or a division by zero: AST, ALT, ULN and platelets must be above 0) and the
  commonest slip, a count per µL typed without its unit (150000): age 1–120 years; AST and ALT 1–20,000 U/L;
  AST upper limit of normal 5–500 U/L; platelets 1–2,000 × 10⁹/L. ``plausible`` only triggers
  a "check the unit" warning: age 18–100, AST and ALT 5–5,000 U/L, ULN 20–80 U/L, platelets
  20–1,000 × 10⁹/L.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from .. import registry
from ..exact import CONTEXT as _CONTEXT, dec as _dec
from ..present import decimal_text as _n, fmt_number
from ..spec import Calculator, Change, Input, Outcome, Output, Working
from ..units import UnitConversion

_HUNDREDTH = Decimal("0.01")
_UNROUNDED = Decimal("0.0001")

# 1 U = 1 µmol/min; 1 kat = 1 mol/s, so 1 µkat = 1 µmol/s = 60 µmol/min = 60 U (exact).
U_PER_UKAT = 60.0
AMINOTRANSFERASE_UNITS = (UnitConversion("IU/L", 1.0), UnitConversion("µkat/L", U_PER_UKAT))
# Platelets: "×10⁹/L" rather than "10^9/L" as the unit, because a unit that starts with a digit
# is ambiguous when typed straight after the number ("20010^9/L"). units.normalise_unit makes
# "10^9/L", "x10^9/L", "x 10*9/L" and "×10⁹/L" one unit, so they need no alias.
# US laboratories print the count per microlitre: ×10³/µL (also written 10^3/uL, K/µL, K/uL,
# K/mcL) is the same number as ×10⁹/L, because 10³ per 10⁻⁶ L is 10⁹ per L; a plain count per
# µL, or per mm³ (1 mm³ = 1 µL), is a thousand times larger (150000 /µL = 150 ×10⁹/L).
PLATELET_UNIT = "×10⁹/L"
PER_MICROLITRE = 1 / 1000
PLATELET_UNITS = (
    UnitConversion("×10³/µL", 1.0),
    UnitConversion("K/µL", 1.0),
    UnitConversion("/µL", PER_MICROLITRE, words="a count per microlitre (/µL)"),
    UnitConversion("/mm³", PER_MICROLITRE, words="a count per cubic millimetre (/mm³)"),
)

# FIB-4 cut-offs [sterling2006] (evidence: fib-4): < 1.45 and > 3.25.
FIB4_LOW = Decimal("1.45")
FIB4_HIGH = Decimal("3.25")
# APRI cut-offs for significant fibrosis [jin2012] (evidence: apri).
APRI_LOW = Decimal("0.5")
APRI_HIGH = Decimal("1.5")

# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------

AGE = Input(
    "age",
    "Age",
    unit="years",
    allowed=(1, 120),
    plausible=(18, 100),
    step=1,
    hint="Age in years at the time of the blood test.",
)
AST = Input(
    "ast",
    "AST",
    unit="U/L",
    allowed=(1, 20000),
    plausible=(5, 5000),
    step=1,
    hint='Aspartate aminotransferase; IU/L is the same unit, µkat/L accepted (e.g. "0.8 µkat/L").',
    conversions=AMINOTRANSFERASE_UNITS,
)
ALT = Input(
    "alt",
    "ALT",
    unit="U/L",
    allowed=(1, 20000),
    plausible=(5, 5000),
    step=1,
    hint='Alanine aminotransferase; IU/L is the same unit, µkat/L accepted (e.g. "0.8 µkat/L").',
    conversions=AMINOTRANSFERASE_UNITS,
)
AST_ULN = Input(
    "ast_uln",
    "AST upper limit of normal",
    unit="U/L",
    allowed=(5, 500),
    plausible=(20, 80),
    step=1,
    hint="The upper limit of the AST reference range of the laboratory that measured it.",
    conversions=AMINOTRANSFERASE_UNITS,
)
PLATELETS = Input(
    "platelets",
    "Platelets",
    unit=PLATELET_UNIT,
    allowed=(1, 2000),
    plausible=(20, 1000),
    step=1,
    hint="Platelet count × 10⁹/L, the same number as × 10³/µL or K/µL: 150, not 150000. "
    'A count per µL or per mm³ is accepted with its unit, e.g. "150000 /µL".',
    conversions=PLATELET_UNITS,
    # A bare 150000 is a count per µL: rejected with how to type it, never converted on a
    # guess (the reader confirms the unit). A bare number plausible both as ×10⁹/L and per µL
    # cannot occur: 20–1,000 ×10⁹/L is 20,000–1,000,000 /µL.
    confusable_units=("/µL",),
)

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _quantize(value: Decimal, step: Decimal) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


def _two(value: Decimal) -> str:
    """A reported index: always two decimals (1.30, not 1.3)."""
    return f"{_quantize(value, _HUNDREDTH):.2f}"


# ---------------------------------------------------------------------------------------------
# FIB-4
# ---------------------------------------------------------------------------------------------

FIB4_TEXT = {
    "low": (
        "Below 1.45. In the derivation study (HIV/HCV coinfection) this cut-off excluded "
        "advanced fibrosis (Ishak 4–6) with a negative predictive value of 90 %."
    ),
    "indeterminate": (
        "1.45–3.25: indeterminate. Between the two cut-offs FIB-4 neither excludes nor "
        "indicates advanced fibrosis."
    ),
    "high": (
        "Above 3.25. In the derivation study (HIV/HCV coinfection) this cut-off indicated "
        "advanced fibrosis (Ishak 4–6) with a positive predictive value of 65 % and a "
        "specificity of 97 %."
    ),
}


def _fib4_band(reported: Decimal) -> str:
    if reported < FIB4_LOW:
        return "low"
    if reported > FIB4_HIGH:
        return "high"
    return "indeterminate"


def _compute_fib4(values: dict[str, Any], work: Working) -> Outcome:
    with localcontext(_CONTEXT):
        age, ast = _dec(values["age"]), _dec(values["ast"])
        alt, plt = _dec(values["alt"]), _dec(values["platelets"])
        root = alt.sqrt()
        numerator = age * ast
        denominator = plt * root
        raw = numerator / denominator
        reported = _quantize(raw, _HUNDREDTH)
    work.step("FIB-4 = age × AST / (platelets × √ALT)")
    work.step(
        f"= {_n(age)} × {_n(ast)} / ({_n(plt)} × √{_n(alt)})"
        f" = {_n(numerator)} / ({_n(plt)} × {_n(root)}) = {_n(numerator)} / {_n(denominator)}"
        f" = {_n(raw)}"
    )
    band = _fib4_band(reported)
    work.step(
        f"Reported to 2 decimals: {_two(raw)}; cut-offs below 1.45 and above 3.25 "
        f"[sterling2006] → {band}."
    )
    outputs = {
        "interpretation": band,
        "interpretation_text": FIB4_TEXT[band],
        "fib4_unrounded": float(_quantize(raw, _UNROUNDED)),
    }
    display = {
        "value": _two(raw),
        "fib4_unrounded": fmt_number(outputs["fib4_unrounded"], 4),
    }
    return Outcome(value=float(reported), outputs=outputs, display=display)


FIB4_NOTES = (
    "FIB-4 = age (years) × AST (U/L) / (platelets (10⁹/L) × √ALT (U/L)) [sterling2006].",
    "Cut-offs [sterling2006]: below 1.45, negative predictive value 90 % for advanced fibrosis "
    "(Ishak 4–6); above 3.25, positive predictive value 65 % and specificity 97 %; 1.45–3.25 "
    "(both ends included) is indeterminate. The index is classified on its value rounded to "
    "2 decimals, the value shown.",
    "FIB-4 was derived and validated in patients with HIV/HCV coinfection. Its cut-offs and "
    "predictive values come from that population; the derivation paper does not establish its "
    "validity in autoimmune hepatitis.",
    "AST and ALT enter the formula directly, so active inflammation (as in untreated "
    "autoimmune hepatitis) changes the index as well as fibrosis does.",
)

# What changed for a clinician, and why (from this module's history; see spec.Change). APRI
# shares the platelet change.
PLATELET_UNITS_CHANGE = Change(
    "2026-12-04",
    "1.1",
    "Platelets may be typed in ×10³/µL or K/µL (the same number as ×10⁹/L), or as a count per µL "
    "or per mm³ with its unit (150000 /µL is 150 ×10⁹/L); a bare 150000 is refused with how to "
    "type it.",
    "US laboratories report platelets per microlitre; a count per µL read as ×10⁹/L would be a "
    "thousand times too high, so it is never converted on a guess.",
)
FIB4_CHANGES = (
    Change(
        "2026-11-22",
        "1.0",
        "First published: the FIB-4 index from age, AST, ALT and platelets (Sterling 2006), with the "
        "cut-offs 1.45 and 3.25.",
        "A fibrosis estimate from routine blood tests, for the pages on staging liver disease.",
    ),
    PLATELET_UNITS_CHANGE,
)


FIB4 = registry.register(
    Calculator(
        id="fib-4",
        version="1.1",
        changes=FIB4_CHANGES,
        evidence=("fib-4",),
        details=("fib4_unrounded",),
        title="FIB-4 index",
        summary="The FIB-4 fibrosis index from age, AST, ALT and platelet count (Sterling 2006), "
        "with the derivation study's cut-offs of 1.45 and 3.25.",
        inputs=(AGE, AST, ALT, PLATELETS),
        value=Output("fib4", "FIB-4"),
        outputs=(
            Output("interpretation", "Band (low, indeterminate, high)"),
            Output("interpretation_text", "Interpretation"),
            Output("fib4_unrounded", "FIB-4 before rounding"),
        ),
        compute=_compute_fib4,
        references=("sterling2006",),
        example={"age": 50, "ast": 60, "alt": 64, "platelets": 150},
        notes=FIB4_NOTES,
    )
)

# ---------------------------------------------------------------------------------------------
# APRI
# ---------------------------------------------------------------------------------------------

APRI_TEXT = {
    "low": (
        "Below 0.5, the lower cut-off for significant fibrosis. In a meta-analysis of hepatitis B "
        "studies, 0.5 as the threshold was 84 % sensitive and 41 % specific."
    ),
    "indeterminate": (
        "0.5–1.5: between the two cut-offs for significant fibrosis; APRI neither excludes nor "
        "indicates it."
    ),
    "high": (
        "Above 1.5, the upper cut-off for significant fibrosis. In a meta-analysis of hepatitis B "
        "studies, 1.5 as the threshold was 49 % sensitive and 84 % specific."
    ),
}


def _apri_band(reported: Decimal) -> str:
    if reported < APRI_LOW:
        return "low"
    if reported > APRI_HIGH:
        return "high"
    return "indeterminate"


def _compute_apri(values: dict[str, Any], work: Working) -> Outcome:
    with localcontext(_CONTEXT):
        ast, uln, plt = _dec(values["ast"]), _dec(values["ast_uln"]), _dec(values["platelets"])
        ratio = ast / uln
        raw = ratio / plt * 100
        reported = _quantize(raw, _HUNDREDTH)
    work.step("APRI = (AST / AST upper limit of normal) / platelets × 100")
    work.step(
        f"= ({_n(ast)} / {_n(uln)}) / {_n(plt)} × 100 = {_n(ratio)} / {_n(plt)} × 100 = {_n(raw)}"
    )
    band = _apri_band(reported)
    work.step(
        f"Reported to 2 decimals: {_two(raw)}; cut-offs for significant fibrosis 0.5 and 1.5 "
        f"[jin2012] → {band}."
    )
    if ast <= uln:
        work.step(f"AST {_n(ast)} U/L is not above its upper limit of normal ({_n(uln)} U/L).")
    outputs = {
        "interpretation": band,
        "interpretation_text": APRI_TEXT[band],
        "ast_to_uln": float(_quantize(ratio, _UNROUNDED)),
        "apri_unrounded": float(_quantize(raw, _UNROUNDED)),
    }
    display = {
        "value": _two(raw),
        "ast_to_uln": fmt_number(outputs["ast_to_uln"], 4),
        "apri_unrounded": fmt_number(outputs["apri_unrounded"], 4),
    }
    return Outcome(value=float(reported), outputs=outputs, display=display)


APRI_CHANGES = (
    Change(
        "2026-11-22",
        "1.0",
        "First published: the AST to platelet ratio index from AST, its upper limit of normal and "
        "the platelet count, with the cut-offs 0.5 and 1.5.",
        "A fibrosis estimate from routine blood tests, for the pages on staging liver disease.",
    ),
    PLATELET_UNITS_CHANGE,
)


APRI = registry.register(
    Calculator(
        id="apri",
        version="1.1",
        changes=APRI_CHANGES,
        evidence=("apri",),
        details=("ast_to_uln", "apri_unrounded"),
        title="APRI (AST to platelet ratio index)",
        summary="The AST-to-platelet ratio index from AST, its upper limit of normal and the "
        "platelet count, with the cut-offs 0.5 and 1.5 for significant fibrosis.",
        inputs=(AST, AST_ULN, PLATELETS),
        value=Output("apri", "APRI"),
        outputs=(
            Output("interpretation", "Band (low, indeterminate, high)"),
            Output("interpretation_text", "Interpretation"),
            Output("ast_to_uln", "AST / upper limit of normal"),
            Output("apri_unrounded", "APRI before rounding"),
        ),
        compute=_compute_apri,
        references=("wai2003", "jin2012"),
        example={"ast": 80, "ast_uln": 40, "platelets": 200},
        notes=(
            "APRI = (AST / AST upper limit of normal) / platelets (10⁹/L) × 100 "
            "[wai2003]. Use the upper limit of normal of the laboratory that measured "
            "the AST.",
            "Cut-offs for significant fibrosis: 0.5 and 1.5 [jin2012]. That "
            "meta-analysis pooled nine studies of hepatitis B (1,798 patients): at 0.5, summary "
            "sensitivity 84 % and specificity 41 %; at 1.5, 49 % and 84 %. Its validity in "
            "autoimmune hepatitis is not established by it.",
            "Values exactly at 0.5 or 1.5 are reported as between the cut-offs (the same "
            "convention as FIB-4's “below 1.45 / above 3.25”); the index is classified on its "
            "value rounded to 2 decimals, the value shown.",
            "The original APRI publication (Wai 2003) was not read by this project; the formula "
            "is cited from a later paper.",
            "AST enters the formula directly, so active inflammation (as in untreated autoimmune "
            "hepatitis) changes the index as well as fibrosis does.",
        ),
    )
)
