"""Liver scores: MELD, MELD-Na, MELD 3.0 and Child-Pugh.

Every formula, coefficient, bound and rounding rule here is the one recorded in the project's
evidence register (evidence: meld-optn, meld-na-optn, meld-3, child-pugh):

- MELD: Kamath 2001 as implemented by OPTN Policy 9.1.D [kamath2001, optn-policy9].
  MELD(i) = 0.957·ln(Cr) + 0.378·ln(bili) + 1.120·ln(INR) + 0.643; bilirubin, INR and
  creatinine below 1.0 are set to 1.0; creatinine is set to 4.0 mg/dL when above 4.0 or after
  ≥2 dialysis sessions (or 24 h of CVVHD) in the prior week; MELD(i) is rounded to the tenth
  and multiplied by 10; maximum 40.
- MELD-Na: OPTN 2016 [optn-policy9]. Sodium bounded to 125–137 mmol/L; only when MELD(i) > 11:
  MELD = MELD(i) + 1.32·(137−Na) − 0.033·MELD(i)·(137−Na).
- MELD 3.0: Kim 2021 [kim2021]. 1.33·female + 4.56·ln(bili) + 0.82·(137−Na)
  − 0.24·(137−Na)·ln(bili) + 9.09·ln(INR) + 11.14·ln(Cr) + 1.85·(3.5−alb)
  − 1.83·(3.5−alb)·ln(Cr) + 6; bilirubin, INR and creatinine at least 1.0, creatinine at most
  3.0 (3.0 on dialysis), sodium 125–137, albumin 1.5–3.5 g/dL; ages 12–17: intercept 7.33 and
  no sex term; rounded to a whole number; bounded to 6–40 as the OPTN implementation does
  (the register notes that one source says the paper itself set no cap).
- Child-Pugh [pugh1973; bands as evidence: child-pugh gives them]: bilirubin <2 / 2–3 / >3 mg/dL;
  INR <1.7 / 1.7–2.3 / >2.3; ascites none / mild / moderate; encephalopathy none / grade 1–2 /
  grade 3–4; class A 5–6, B 7–9, C 10–15. Only the INR form is offered (the register also gives the
  prothrombin-time form, <4 / 4–6 / >6 s prolonged). Band edges belong to the middle band.

Albumin band for Child-Pugh. The register gives two versions of the 2-point band: 2.8–3.5 g/dL (the
BSG and CCJM tables) and 3.0–3.5 g/dL (Harrison's). This module uses 2.8–3.5 because it is
the BSG table's (the site cites the BSG 2025 guideline [gleeson2025]), a second independent
table (CCJM) gives the same band, and one band, documented, is what a calculator needs, documented. For albumin from
2.8 to just under 3.0 g/dL the two versions differ by one point (2 here, 3 in Harrison's);
the calculator's notes say so, and a result with albumin in [2.8, 3.0) carries a warning that
gives the other table's total and whether the class would change. (Whether the BSG 2025 guideline text itself prints the
table was not checked: only its abstract was read.)

Choices that are this module's own, not clinical facts:

- Rounding. "Rounded" means to the nearest value with halves rounded up (the usual clinical
  convention; the sources seen do not say which way a half goes). For MELD and MELD-Na a half cannot
  occur in practice (MELD(i) involves logarithms; MELD(i) × 10 is a whole number, and with
  sodium given to 0.1 mmol/L the MELD-Na expression never ends in exactly .5: checked for
  every MELD(i) from 12 to 40 and every sodium from 125.0 to 137.0), but
  MELD 3.0 can land on one exactly: e.g. male, bilirubin, INR and creatinine 1.0, sodium 126,
  albumin 2.7 gives 16.5, reported as 17.
- MELD-Na order of operations (OPTN): MELD(i) is rounded to the tenth and multiplied by 10
  (a whole number), the sodium formula is applied to that number, the result is rounded to
  a whole number and then capped at 40. Capping MELD(i) before the sodium step would give the
  same answer: at MELD(i) = 40 the sodium term 1.32 − 0.033·40 is zero, and above 40 the
  corrected value stays above 40.
- Arithmetic uses ``decimal`` (28 digits). Its logarithm is correctly rounded, so CPython and
  Pyodide give identical digits (their ``math.log`` may differ in the last bit), and sums such
  as 0.82·11 + 1.85·0.8 are exact, so a true half is seen as a half. Inputs are read with 12
  significant digits, which removes binary noise from unit conversion (a converted value of
  2.0000000000000004 mg/dL is scored as 2, not as "above 2") without changing any value a
  laboratory reports.
- Input ranges. ``allowed`` is a hard limit, chosen wide enough for any measured patient
  value but narrow enough to catch the commonest slip, a number in the other unit without a
  unit: bilirubin 0–100 mg/dL (1710 µmol/L); INR 0.5–20; creatinine 0–30 mg/dL
  (2652 µmol/L; 106 typed for µmol/L is rejected); sodium 90–180 mmol/L; albumin 0.5–7 g/dL
  (35 typed for g/L is rejected). ``plausible`` ranges only trigger a "check the unit"
  warning: bilirubin 0.1–30 mg/dL, INR 0.8–10, creatinine 0.2–15 mg/dL, sodium
  110–160 mmol/L, albumin 1.0–5.5 g/dL. These are data-entry limits, not clinical thresholds.
- Numbers given without a unit (bare text, or a JSON number) are read in mg/dL or g/dL, the
  contract. Bilirubin, creatinine and albumin name µmol/L or g/L as ``confusable_units``: the
  plausible range in that unit is the one above converted (bilirubin 1.71–513 µmol/L,
  creatinine 17.68–1,326 µmol/L, albumin 10–55 g/L). A bare bilirubin from 1.71 to 30 is
  plausible in both units, so the result says how it was read and how to type the other
  reading; creatinine and albumin have no such overlap. A bare number outside ``allowed`` but
  plausible in the other unit (creatinine 106, albumin 35) is refused with how to type it, and
  one outside ``plausible`` but plausible in the other unit (creatinine 25) gets the usual
  range warning with the other reading added. A number typed with its unit is taken as meant.
- Warnings versus working steps. Every substitution the rules make is a working step. A
  substitution that stops the score from reflecting a worse value (creatinine ceiling or
  dialysis, sodium below 125, albumin below 1.5, the cap at 40) is also a warning, because the
  score then understates the measurement. Moving a normal value onto its bound (bilirubin 0.6
  up to 1.0, sodium 140 down to 137) is routine and stays a step.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from .. import registry
from ..exact import CONTEXT as _CONTEXT, dec as _dec
from ..present import decimal_text as _n, fmt_number, points_text
from ..spec import Calculator, Change, Choice, Input, Outcome, Output, Working
from ..tables import load_table
from ..units import (
    ALBUMIN_SI,
    BILIRUBIN_SI,
    BILIRUBIN_UMOL_PER_MG_DL,
    CREATININE_SI,
    SODIUM_ALIASES,
)

_ONE = Decimal(1)
_TENTH = Decimal("0.1")
_OUTPUT_PLACES = 4

# ---------------------------------------------------------------------------------------------
# Inputs (shared by the calculators that use them)
# ---------------------------------------------------------------------------------------------

BILIRUBIN = Input(
    "bilirubin",
    "Bilirubin (total)",
    unit="mg/dL",
    allowed=(0, 100),
    plausible=(0.1, 30),
    step=0.01,
    hint='Serum total bilirubin; µmol/L accepted, e.g. "34 µmol/L".',
    conversions=BILIRUBIN_SI,
    confusable_units=("µmol/L",),
)
INR = Input(
    "inr",
    "INR",
    allowed=(0.5, 20),
    plausible=(0.8, 10),
    step=0.01,
    hint="International normalised ratio, not the prothrombin time in seconds.",
)
CREATININE = Input(
    "creatinine",
    "Creatinine",
    unit="mg/dL",
    allowed=(0, 30),
    plausible=(0.2, 15),
    step=0.01,
    hint='Serum creatinine; µmol/L accepted, e.g. "106 µmol/L".',
    conversions=CREATININE_SI,
    confusable_units=("µmol/L",),
)
DIALYSIS = Input(
    "dialysis",
    "Dialysis in the past week",
    kind="boolean",
    default=False,
    hint="Yes if ≥2 dialysis sessions, or 24 hours of CVVHD, in the week before the test.",
)
SODIUM = Input(
    "sodium",
    "Sodium",
    unit="mmol/L",
    allowed=(90, 180),
    plausible=(110, 160),
    step=0.1,
    hint="Serum sodium; the formula bounds it to 125–137 mmol/L.",
    conversions=SODIUM_ALIASES,
)
ALBUMIN = Input(
    "albumin",
    "Albumin",
    unit="g/dL",
    allowed=(0.5, 7),
    plausible=(1.0, 5.5),
    step=0.1,
    hint='Serum albumin; g/L accepted, e.g. "30 g/L".',
    conversions=ALBUMIN_SI,
    confusable_units=("g/L",),
)
SEX = Input(
    "sex",
    "Sex",
    kind="choice",
    choices=(Choice("female", "Female"), Choice("male", "Male")),
    hint="Female adds 1.33 points in adults.",
)
AGE_GROUP = Input(
    "age_group",
    "Age group",
    kind="choice",
    choices=(Choice("adult", "18 years or older"), Choice("12-17", "12–17 years")),
    default="adult",
    hint="For 12–17 years the intercept is 7.33 and sex is not used.",
)


def _grades(low: str, high: str, low_roman: str, high_roman: str) -> tuple[str, ...]:
    """How a band of two encephalopathy grades is written: each grade, and the band itself."""
    words = []
    for a, b in ((low, high), (low_roman, high_roman)):
        words += [f"grade {a}", f"grade {b}", f"grade-{a}", f"grade-{b}"]
        words += [f"grade {a}{dash}{b}" for dash in ("-", "–")]
    return tuple(words)


# Synonyms (Choice.aliases): only words that can mean one band and no other. "Absent" is
# none; "slight" is mild. An encephalopathy grade maps onto the band that contains it
# ("grade 2" lies in grade 1–2), in Arabic or Roman numerals; "grade 0" is none. Not mapped,
# because the band they would fall in depends on which table or grading the reader uses:
# "severe" or "tense" ascites, numbered ascites grades, and "mild", "moderate", "severe" or
# "minimal" encephalopathy. An unmapped word is refused with the list of choices.
ASCITES = Input(
    "ascites",
    "Ascites",
    kind="choice",
    choices=(
        Choice("none", "None", aliases=("absent",)),
        Choice("mild", "Mild", aliases=("slight",)),
        Choice("moderate", "Moderate"),
    ),
)
ENCEPHALOPATHY = Input(
    "encephalopathy",
    "Hepatic encephalopathy",
    kind="choice",
    choices=(
        Choice("none", "None", aliases=("absent", "grade 0")),
        Choice("grade-1-2", "Grade 1–2", aliases=_grades("1", "2", "i", "ii")),
        Choice("grade-3-4", "Grade 3–4", aliases=_grades("3", "4", "iii", "iv")),
    ),
)

# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _out(value: Decimal, places: int = _OUTPUT_PLACES) -> float:
    """A float for an output: rounded in decimal first, so every runtime gives the same JSON."""
    return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _whole(value: Decimal) -> int:
    """Round to the nearest whole number, halves up."""
    return int(value.quantize(_ONE, rounding=ROUND_HALF_UP))


def _display_4(outputs: dict[str, Any], *names: str) -> dict[str, str]:
    """Unrounded intermediates displayed to 4 decimals, as the working steps show them."""
    return {n: fmt_number(outputs[n], 4) for n in names if isinstance(outputs.get(n), float)}


def _note(work: Working, text: str, warn: bool = False) -> None:
    """A substitution is always a working step; one that hides a worse value is also a warning."""
    work.step(text)
    if warn:
        work.warn(text)


def _at_least_one(label: str, value: Decimal, unit: str, work: Working) -> Decimal:
    """The MELD floor: values below 1.0 are set to 1.0 (so their logarithm is 0, not negative)."""
    if value < _ONE:
        shown = f"{label} {_n(value)} {unit}".replace("  ", " ").strip()
        _note(work, f"{shown} is below 1.0: set to 1.0.")
        return _ONE
    return value


def _creatinine(
    raw: float, dialysis: bool, ceiling: Decimal, rule: str, work: Working
) -> Decimal:
    """Creatinine after the floor of 1.0 and the ceiling (4.0 for MELD, 3.0 for MELD 3.0)."""
    value = _dec(raw)
    if dialysis:
        _note(
            work,
            f"Creatinine set to {ceiling:.1f} mg/dL because of dialysis "
            f"(≥2 sessions or 24 h of CVVHD in the prior week; {rule}); "
            f"the entered {_n(value)} mg/dL is not used.",
            warn=True,
        )
        return ceiling
    if value > ceiling:
        _note(
            work,
            f"Creatinine {_n(value)} mg/dL is above {ceiling:.1f}: "
            f"set to {ceiling:.1f} mg/dL ({rule}).",
            warn=True,
        )
        return ceiling
    return _at_least_one("Creatinine", value, "mg/dL", work)


def _sodium(raw: float, work: Working) -> Decimal:
    """Sodium bounded to 125–137 mmol/L (MELD-Na and MELD 3.0)."""
    value = _dec(raw)
    if value < 125:
        _note(
            work,
            f"Sodium {_n(value)} mmol/L is below 125: set to 125 mmol/L "
            "(formula bound; lower sodium adds no further points).",
            warn=True,
        )
        return Decimal(125)
    if value > 137:
        _note(work, f"Sodium {_n(value)} mmol/L is above 137: set to 137 mmol/L (formula bound).")
        return Decimal(137)
    return value


def _cap_40(name: str, score: int, work: Working) -> int:
    """The maximum of 40 (OPTN)."""
    if score > 40:
        _note(work, f"{name} {score} is above the OPTN maximum: reported as 40.", warn=True)
        return 40
    work.step(f"Maximum 40 (OPTN): not reached; {name} = {score}.")
    return score


# ---------------------------------------------------------------------------------------------
# MELD (OPTN original) and MELD(i), shared with MELD-Na
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _MeldI:
    bilirubin: Decimal
    inr: Decimal
    creatinine: Decimal
    raw: Decimal  # MELD(i) before rounding
    score: int  # MELD(i) rounded to the tenth, × 10: a whole number, not yet capped


def _meld_i(values: dict[str, Any], work: Working) -> _MeldI:
    """MELD(i) as OPTN Policy 9.1.D computes it, with every step written out."""
    bili = _at_least_one("Bilirubin", _dec(values["bilirubin"]), "mg/dL", work)
    inr = _at_least_one("INR", _dec(values["inr"]), "", work)
    cr = _creatinine(values["creatinine"], values["dialysis"], Decimal(4), "OPTN policy", work)
    work.step(
        f"Values used: bilirubin {_n(bili)} mg/dL, INR {_n(inr)}, creatinine {_n(cr)} mg/dL."
    )
    ln_cr, ln_bili, ln_inr = cr.ln(), bili.ln(), inr.ln()
    terms = (Decimal("0.957") * ln_cr, Decimal("0.378") * ln_bili, Decimal("1.120") * ln_inr)
    raw = sum(terms, Decimal("0.643"))
    work.step(
        f"MELD(i) = 0.957 × ln({_n(cr)}) + 0.378 × ln({_n(bili)}) + 1.120 × ln({_n(inr)}) + 0.643"
    )
    work.step(
        f"= 0.957 × {_n(ln_cr)} + 0.378 × {_n(ln_bili)} + 1.120 × {_n(ln_inr)} + 0.643"
        f" = {' + '.join(_n(t) for t in terms)} + 0.643 = {_n(raw)}"
    )
    tenth = raw.quantize(_TENTH, rounding=ROUND_HALF_UP)
    score = int(tenth * 10)
    work.step(f"Rounded to the tenth: {tenth}; × 10 = {score}.")
    return _MeldI(bili, inr, cr, raw, score)


def _meld_outputs(m: _MeldI) -> dict[str, Any]:
    return {
        "meld_i_unrounded": _out(m.raw),
        "meld_i": m.score,
        "bilirubin_used": _out(m.bilirubin),
        "inr_used": _out(m.inr),
        "creatinine_used": _out(m.creatinine),
    }


_MELD_I_OUTPUTS = (
    Output("meld_i", "MELD(i) rounded to the tenth × 10 (before the cap)"),
    Output("meld_i_unrounded", "MELD(i) before rounding"),
    Output("bilirubin_used", "Bilirubin used", "mg/dL"),
    Output("inr_used", "INR used"),
    Output("creatinine_used", "Creatinine used", "mg/dL"),
)


def _compute_meld(values: dict[str, Any], work: Working) -> Outcome:
    with localcontext(_CONTEXT):
        m = _meld_i(values, work)
        value = _cap_40("MELD", m.score, work)
    outputs = _meld_outputs(m)
    return Outcome(value=value, outputs=outputs, display=_display_4(outputs, "meld_i_unrounded"))


# What changed for a clinician, and why (from this module's history; see spec.Change). The MELD
# scores and Child-Pugh share the units change of 4 Dec 2026.
UNITS_WHY = (
    "Laboratories report bilirubin, creatinine and albumin in different units from one country to "
    "another; a number read in the wrong unit changes the score without anyone noticing."
)
MELD_UNITS_CHANGE = Change(
    "2026-12-04",
    "1.1",
    "A bilirubin typed without a unit that is plausible in both mg/dL and µmol/L (1.71–30) now "
    "carries a warning giving both readings; a creatinine typed without a unit that only makes "
    "sense in µmol/L is refused with how to type it, and an unusual value's warning names the "
    "µmol/L reading.",
    UNITS_WHY,
)
MELD_CHANGES = (
    Change(
        "2026-11-22",
        "1.0",
        "First published: the original MELD score from bilirubin, INR, creatinine and dialysis, as "
        "the OPTN calculates it.",
        "The liver pages use MELD to judge severity and the need for transplant referral.",
    ),
    MELD_UNITS_CHANGE,
)


MELD = registry.register(
    Calculator(
        id="meld",
        version="1.1",
        changes=MELD_CHANGES,
        evidence=("meld-optn",),
        details=("meld_i", "meld_i_unrounded", "bilirubin_used", "inr_used", "creatinine_used"),
        title="MELD (OPTN original)",
        summary="The original Model for End-Stage Liver Disease score from bilirubin, INR and "
        "creatinine, as the OPTN calculates it.",
        inputs=(BILIRUBIN, INR, CREATININE, DIALYSIS),
        value=Output("meld", "MELD"),
        outputs=_MELD_I_OUTPUTS,
        compute=_compute_meld,
        references=("kamath2001", "optn-policy9"),
        example={"bilirubin": 2, "inr": 1.5, "creatinine": 1.2, "dialysis": False},
        notes=(
            "OPTN Policy 9.1.D: bilirubin, INR and creatinine below 1.0 are set to 1.0; "
            "creatinine above 4.0 mg/dL, or ≥2 dialysis sessions or 24 h of CVVHD in the prior "
            "week, sets creatinine to 4.0 mg/dL.",
            "MELD(i) = 0.957·ln(creatinine) + 0.378·ln(bilirubin) + 1.120·ln(INR) + 0.643, "
            "rounded to the tenth and multiplied by 10; the maximum is 40.",
        ),
    )
)

# ---------------------------------------------------------------------------------------------
# MELD-Na (OPTN 2016)
# ---------------------------------------------------------------------------------------------


def _compute_meld_na(values: dict[str, Any], work: Working) -> Outcome:
    with localcontext(_CONTEXT):
        m = _meld_i(values, work)
        outputs = _meld_outputs(m)
        if m.score > 11:
            na = _sodium(values["sodium"], work)
            gap = 137 - na
            add = Decimal("1.32") * gap
            subtract = Decimal("0.033") * m.score * gap
            raw = m.score + add - subtract
            work.step(
                f"MELD(i) {m.score} is above 11, so sodium applies: "
                "MELD = MELD(i) + 1.32 × (137 − Na) − 0.033 × MELD(i) × (137 − Na)"
            )
            work.step(
                f"= {m.score} + 1.32 × (137 − {_n(na)}) − 0.033 × {m.score} × (137 − {_n(na)})"
                f" = {m.score} + {_n(add)} − {_n(subtract)} = {_n(raw)}"
            )
            score = _whole(raw)
            work.step(f"Rounded to a whole number: {score}.")
            outputs.update(
                sodium_applied=True, sodium_used=_out(na), meld_na_unrounded=_out(raw)
            )
        else:
            score = m.score
            work.step(
                f"MELD(i) {m.score} is not above 11: no sodium correction (OPTN); "
                f"MELD-Na = MELD(i) = {score}."
            )
            outputs.update(
                sodium_applied=False, sodium_used=None, meld_na_unrounded=_out(Decimal(score))
            )
        value = _cap_40("MELD-Na", score, work)
    display = _display_4(outputs, "meld_i_unrounded", "meld_na_unrounded")
    return Outcome(value=value, outputs=outputs, display=display)


MELD_NA_CHANGES = (
    Change(
        "2026-11-22",
        "1.0",
        "First published: the MELD score adjusted for serum sodium (MELD-Na), as the OPTN has "
        "used it for liver allocation since January 2016.",
        "The liver pages use MELD-Na to judge severity and the need for transplant referral.",
    ),
    MELD_UNITS_CHANGE,
)


MELD_NA = registry.register(
    Calculator(
        id="meld-na",
        version="1.1",
        changes=MELD_NA_CHANGES,
        evidence=("meld-na-optn", "meld-optn"),
        details=(
            "meld_i",
            "meld_i_unrounded",
            "bilirubin_used",
            "inr_used",
            "creatinine_used",
            "sodium_applied",
            "sodium_used",
            "meld_na_unrounded",
        ),
        title="MELD-Na (OPTN 2016)",
        summary="MELD with serum sodium, as the OPTN has calculated it for liver allocation "
        "since January 2016.",
        inputs=(BILIRUBIN, INR, CREATININE, DIALYSIS, SODIUM),
        value=Output("meld_na", "MELD-Na"),
        outputs=_MELD_I_OUTPUTS
        + (
            Output("sodium_applied", "Sodium correction applied (MELD(i) above 11)"),
            Output("sodium_used", "Sodium used", "mmol/L"),
            Output("meld_na_unrounded", "MELD-Na before rounding"),
        ),
        compute=_compute_meld_na,
        references=("optn-policy9", "kamath2001"),
        example={
            "bilirubin": 2,
            "inr": 1.5,
            "creatinine": 1.2,
            "dialysis": False,
            "sodium": 130,
        },
        notes=(
            "MELD(i) is computed as for MELD (OPTN Policy 9.1.D), rounded to the tenth and "
            "multiplied by 10.",
            "Only if MELD(i) is above 11: MELD = MELD(i) + 1.32·(137−Na) − 0.033·MELD(i)·(137−Na), "
            "with sodium bounded to 125–137 mmol/L; the result is rounded to a whole number and "
            "capped at 40.",
        ),
    )
)

# ---------------------------------------------------------------------------------------------
# MELD 3.0 (Kim 2021; OPTN bounds)
# ---------------------------------------------------------------------------------------------


def _albumin(raw: float, work: Working) -> Decimal:
    """Albumin bounded to 1.5–3.5 g/dL (MELD 3.0)."""
    value = _dec(raw)
    if value < Decimal("1.5"):
        _note(
            work,
            f"Albumin {_n(value)} g/dL is below 1.5: set to 1.5 g/dL "
            "(MELD 3.0 bound; lower albumin adds no further points).",
            warn=True,
        )
        return Decimal("1.5")
    if value > Decimal("3.5"):
        _note(work, f"Albumin {_n(value)} g/dL is above 3.5: set to 3.5 g/dL (MELD 3.0 bound).")
        return Decimal("3.5")
    return value


def _compute_meld_3(values: dict[str, Any], work: Working) -> Outcome:
    with localcontext(_CONTEXT):
        bili = _at_least_one("Bilirubin", _dec(values["bilirubin"]), "mg/dL", work)
        inr = _at_least_one("INR", _dec(values["inr"]), "", work)
        cr = _creatinine(
            values["creatinine"], values["dialysis"], Decimal(3), "MELD 3.0 bound", work
        )
        na = _sodium(values["sodium"], work)
        alb = _albumin(values["albumin"], work)
        adolescent = values["age_group"] == "12-17"
        female = values["sex"] == "female"
        work.step(
            f"Values used: bilirubin {_n(bili)} mg/dL, INR {_n(inr)}, creatinine {_n(cr)} mg/dL, "
            f"sodium {_n(na)} mmol/L, albumin {_n(alb)} g/dL."
        )
        if adolescent:
            work.step("Age 12–17: intercept 7.33 and no sex term.")
            intercept, sex_text = Decimal("7.33"), ""
        else:
            intercept, sex_text = Decimal(6), f"1.33 × {1 if female else 0} + "
        ln_bili, ln_inr, ln_cr = bili.ln(), inr.ln(), cr.ln()
        na_gap, alb_gap = 137 - na, Decimal("3.5") - alb
        terms = [
            Decimal("4.56") * ln_bili,
            Decimal("0.82") * na_gap,
            -Decimal("0.24") * na_gap * ln_bili,
            Decimal("9.09") * ln_inr,
            Decimal("11.14") * ln_cr,
            Decimal("1.85") * alb_gap,
            -Decimal("1.83") * alb_gap * ln_cr,
        ]
        if not adolescent:
            terms.insert(0, Decimal("1.33") if female else Decimal(0))
        raw = sum(terms, intercept)
        work.step(
            f"MELD 3.0 = {'' if adolescent else '1.33 × female + '}4.56 × ln(bili)"
            " + 0.82 × (137 − Na) − 0.24 × (137 − Na) × ln(bili) + 9.09 × ln(INR)"
            " + 11.14 × ln(Cr) + 1.85 × (3.5 − alb) − 1.83 × (3.5 − alb) × ln(Cr)"
            f" + {_n(intercept)}"
        )
        b, c, s, a = _n(bili), _n(cr), _n(na), _n(alb)
        work.step(
            f"= {sex_text}4.56 × ln({b}) + 0.82 × (137 − {s}) − 0.24 × (137 − {s}) × ln({b})"
            f" + 9.09 × ln({_n(inr)}) + 11.14 × ln({c}) + 1.85 × (3.5 − {a})"
            f" − 1.83 × (3.5 − {a}) × ln({c}) + {_n(intercept)}"
        )
        shown = " ".join(
            (("− " if t < 0 else "+ ") + _n(abs(t))) if i else _n(t) for i, t in enumerate(terms)
        )
        work.step(f"= {shown} + {_n(intercept)} = {_n(raw)} (terms to 4 decimals)")
        rounded = _whole(raw)
        work.step(f"Rounded to a whole number: {rounded}.")
        if rounded > 40:
            _note(
                work,
                f"MELD 3.0 {rounded} is above 40: reported as 40 (the 6–40 bounds are the "
                "OPTN implementation, not part of the published equation).",
                warn=True,
            )
            value = 40
        elif rounded < 6:  # cannot happen with the bounds above; kept as the OPTN rule says
            work.step(f"MELD 3.0 {rounded} is below 6: reported as 6 (OPTN lower bound).")
            value = 6
        else:
            value = rounded
            work.step(
                "Bounds 6–40 (OPTN implementation, not part of the published equation): "
                f"within; MELD 3.0 = {value}."
            )
    outputs = {
        "meld_3_unrounded": _out(raw),
        "bilirubin_used": _out(bili),
        "inr_used": _out(inr),
        "creatinine_used": _out(cr),
        "sodium_used": _out(na),
        "albumin_used": _out(alb),
    }
    return Outcome(value=value, outputs=outputs, display=_display_4(outputs, "meld_3_unrounded"))


MELD_3_CHANGES = (
    Change(
        "2026-11-22",
        "1.0",
        "First published: MELD 3.0 (Kim 2021), MELD with sodium, albumin and sex, bounded to 6–40 "
        "as the OPTN implements it.",
        "The liver pages use MELD 3.0, the score the OPTN now allocates by.",
    ),
    Change(
        "2026-12-04",
        "1.1",
        "A bilirubin typed without a unit that is plausible in both mg/dL and µmol/L (1.71–30) now "
        "carries a warning giving both readings; a creatinine or albumin typed without a unit that "
        "only makes sense in µmol/L or g/L is refused with how to type it, and an unusual value's "
        "warning names the other reading.",
        UNITS_WHY,
    ),
)


MELD_3 = registry.register(
    Calculator(
        id="meld-3",
        version="1.1",
        changes=MELD_3_CHANGES,
        evidence=("meld-3",),
        details=(
            "meld_3_unrounded",
            "bilirubin_used",
            "inr_used",
            "creatinine_used",
            "sodium_used",
            "albumin_used",
        ),
        title="MELD 3.0",
        summary="MELD 3.0 (Kim 2021): MELD updated with sodium, albumin and sex, bounded to "
        "6–40 as the OPTN implements it.",
        inputs=(BILIRUBIN, INR, CREATININE, DIALYSIS, SODIUM, ALBUMIN, SEX, AGE_GROUP),
        value=Output("meld_3", "MELD 3.0"),
        outputs=(
            Output("meld_3_unrounded", "MELD 3.0 before rounding and bounds"),
            Output("bilirubin_used", "Bilirubin used", "mg/dL"),
            Output("inr_used", "INR used"),
            Output("creatinine_used", "Creatinine used", "mg/dL"),
            Output("sodium_used", "Sodium used", "mmol/L"),
            Output("albumin_used", "Albumin used", "g/dL"),
        ),
        compute=_compute_meld_3,
        references=("kim2021",),
        example={
            "bilirubin": 2,
            "inr": 1.5,
            "creatinine": 1.2,
            "dialysis": False,
            "sodium": 130,
            "albumin": 3.0,
            "sex": "female",
        },
        notes=(
            "MELD 3.0 = 1.33·female + 4.56·ln(bili) + 0.82·(137−Na) − 0.24·(137−Na)·ln(bili) "
            "+ 9.09·ln(INR) + 11.14·ln(Cr) + 1.85·(3.5−alb) − 1.83·(3.5−alb)·ln(Cr) + 6.",
            "Bounds: bilirubin, INR and creatinine at least 1.0; creatinine at most 3.0 mg/dL "
            "(3.0 on dialysis); sodium 125–137 mmol/L; albumin 1.5–3.5 g/dL. Ages 12–17: "
            "intercept 7.33 and no sex term.",
            "Rounded to a whole number and bounded to 6–40 as the OPTN implementation does; "
            "the 6–40 bounds are not part of the published equation.",
        ),
    )
)

# ---------------------------------------------------------------------------------------------
# Child-Pugh
# ---------------------------------------------------------------------------------------------

_UMOL_PER_MG_DL = Decimal(str(BILIRUBIN_UMOL_PER_MG_DL))


def _bilirubin_points(value: Decimal) -> tuple[int, str]:
    if value < 2:
        return 1, "below 2 mg/dL"
    if value <= 3:
        return 2, "2–3 mg/dL"
    return 3, "above 3 mg/dL"


# The lower edge of the 2-point albumin band: 2.8 g/dL in the BSG and CCJM tables (used here),
# 3.0 g/dL in Harrison's (evidence: child-pugh). Albumin in [2.8, 3.0) scores 2 points here, 3 there.
ALBUMIN_2_POINTS_LOW = Decimal("2.8")
ALBUMIN_2_POINTS_LOW_HARRISON = Decimal("3.0")


def _albumin_points(value: Decimal) -> tuple[int, str]:
    if value > Decimal("3.5"):
        return 1, "above 3.5 g/dL"
    if value >= ALBUMIN_2_POINTS_LOW:
        return 2, "2.8–3.5 g/dL"
    return 3, "below 2.8 g/dL"


def _inr_points(value: Decimal) -> tuple[int, str]:
    if value < Decimal("1.7"):
        return 1, "below 1.7"
    if value <= Decimal("2.3"):
        return 2, "1.7–2.3"
    return 3, "above 2.3"


_ASCITES_POINTS = {"none": 1, "mild": 2, "moderate": 3}
_ENCEPHALOPATHY_POINTS = {"none": 1, "grade-1-2": 2, "grade-3-4": 3}
_ASCITES_LABELS = {c.value: c.label for c in ASCITES.choices}
_ENCEPHALOPATHY_LABELS = {c.value: c.label for c in ENCEPHALOPATHY.choices}


def _bilirubin_table_disagreement(bili: Decimal, work: Working) -> None:
    """Warn where the µmol/L version of the table (<34 / 34–51 / >51) gives another point."""
    umol = bili * _UMOL_PER_MG_DL
    shown = f"Bilirubin {_n(bili, 3)} mg/dL ({_n(umol, 1)} µmol/L)"
    if bili < 2 and umol >= 34:
        work.warn(
            f"{shown} scores 1 point on the mg/dL bands (below 2) but 2 points on the µmol/L "
            "version of the table (34–51); this calculator uses the mg/dL bands."
        )
    elif bili <= 3 and umol > 51:
        work.warn(
            f"{shown} scores 2 points on the mg/dL bands (2–3) but 3 points on the µmol/L "
            "version of the table (above 51); this calculator uses the mg/dL bands."
        )


def _class_of(points: int) -> tuple[str, str]:
    """Class and its span of points, from the decision table child-pugh-class.toml."""
    cls = load_table("child-pugh-class").evaluate({"points": points}).output
    assert cls is not None  # the table covers 5–15 points without a gap
    return cls["class"], cls["points_range"]


def _albumin_band_disagreement(alb: Decimal, points: int, letter: str, work: Working) -> None:
    """Warn where the other published albumin band (3.0–3.5 g/dL for 2 points) scores one more."""
    if not ALBUMIN_2_POINTS_LOW <= alb < ALBUMIN_2_POINTS_LOW_HARRISON:
        return
    other_points = points + 1  # 3 points for albumin there instead of 2 here
    other_letter, _ = _class_of(other_points)
    effect = (
        f"class {letter} either way"
        if other_letter == letter
        else f"class {other_letter} instead of class {letter}"
    )
    work.warn(
        f"Albumin {_n(alb, 3)} g/dL scores 2 points on the band used here (2.8–3.5 g/dL, as in "
        "the BSG table) but 3 points on tables whose 2-point band is 3.0–3.5 g/dL (Harrison's): "
        f"there the total would be {other_points} points instead of {points}, {effect}."
    )


def _compute_child_pugh(values: dict[str, Any], work: Working) -> Outcome:
    with localcontext(_CONTEXT):
        bili, alb, inr = _dec(values["bilirubin"]), _dec(values["albumin"]), _dec(values["inr"])
        bili_pts, bili_band = _bilirubin_points(bili)
        alb_pts, alb_band = _albumin_points(alb)
        inr_pts, inr_band = _inr_points(inr)
        umol = bili * _UMOL_PER_MG_DL
        _bilirubin_table_disagreement(bili, work)
    ascites, enceph = values["ascites"], values["encephalopathy"]
    asc_pts, enc_pts = _ASCITES_POINTS[ascites], _ENCEPHALOPATHY_POINTS[enceph]
    bili_text = f"Bilirubin {_n(bili, 3)} mg/dL ({_n(umol, 1)} µmol/L): {bili_band}"
    work.step(f"{bili_text} → {points_text(bili_pts)}.")
    work.step(f"Albumin {_n(alb, 3)} g/dL: {alb_band} → {points_text(alb_pts)}.")
    work.step(f"INR {_n(inr, 3)}: {inr_band} → {points_text(inr_pts)}.")
    work.step(f"Ascites {_ASCITES_LABELS[ascites].lower()} → {points_text(asc_pts)}.")
    enc_label = _ENCEPHALOPATHY_LABELS[enceph].lower()
    work.step(f"Encephalopathy {enc_label} → {points_text(enc_pts)}.")
    points = bili_pts + alb_pts + inr_pts + asc_pts + enc_pts
    # The class is the decision table src/aihcalc/tables/child-pugh-class.toml (checked at build).
    letter, span = _class_of(points)
    work.step(
        f"Total {bili_pts} + {alb_pts} + {inr_pts} + {asc_pts} + {enc_pts} = {points} points "
        f"→ class {letter} ({span} points)."
    )
    _albumin_band_disagreement(alb, points, letter, work)
    outputs = {
        "class": letter,
        "bilirubin_points": bili_pts,
        "albumin_points": alb_pts,
        "inr_points": inr_pts,
        "ascites_points": asc_pts,
        "encephalopathy_points": enc_pts,
    }
    return Outcome(value=points, outputs=outputs, display={"class": f"{letter} ({span} points)"})


CHILD_PUGH_ALBUMIN_NOTE = (
    "Albumin bands: above 3.5 / 2.8–3.5 / below 2.8 g/dL, as in the BSG table. Some "
    "textbooks (Harrison's) use 3.0–3.5 for 2 points, which gives one point more than this "
    "calculator for albumin from 2.8 to just under 3.0 g/dL. The 2.8–3.5 band is used because "
    "it is the BSG table's (this site cites the BSG guideline) and an independent table "
    "(CCJM) gives the same band."
)

CHILD_PUGH_CHANGES = (
    Change(
        "2026-11-22",
        "1.0",
        "First published: Child-Pugh points (5–15) and class A, B or C from bilirubin, albumin, INR, "
        "ascites and encephalopathy.",
        "The liver pages grade cirrhosis by Child-Pugh class.",
    ),
    Change(
        "2026-12-04",
        "1.1",
        "Albumin from 2.8 to below 3.0 g/dL now carries a warning that tables whose 2-point band is "
        "3.0–3.5 g/dL score one point more, and whether the class would change; bilirubin and "
        "albumin typed without a unit are checked as in the MELD calculators; 'absent', 'slight' "
        "and single encephalopathy grades ('grade 2', 'grade II') are accepted.",
        "Published Child-Pugh tables disagree on the albumin band, so a result on the boundary is "
        "flagged rather than shown as certain; units differ from one laboratory to another; "
        "clinicians write single grades and synonyms, not only the form's bands.",
    ),
)


CHILD_PUGH = registry.register(
    Calculator(
        id="child-pugh",
        version="1.1",
        changes=CHILD_PUGH_CHANGES,
        evidence=("child-pugh",),
        details=(
            "bilirubin_points",
            "albumin_points",
            "inr_points",
            "ascites_points",
            "encephalopathy_points",
        ),
        title="Child-Pugh score",
        summary="Child-Pugh points (5–15) and class (A, B or C) from bilirubin, albumin, INR, "
        "ascites and encephalopathy.",
        inputs=(
            BILIRUBIN,
            Input(
                "albumin",
                ALBUMIN.label,
                unit=ALBUMIN.unit,
                allowed=ALBUMIN.allowed,
                plausible=ALBUMIN.plausible,
                step=ALBUMIN.step,
                hint='Serum albumin; g/L accepted, e.g. "30 g/L". 2.8–3.5 g/dL scores 2 points.',
                conversions=ALBUMIN.conversions,
                confusable_units=ALBUMIN.confusable_units,
            ),
            INR,
            ASCITES,
            ENCEPHALOPATHY,
        ),
        value=Output("points", "Child-Pugh score", "points"),
        outputs=(
            Output("class", "Child-Pugh class"),
            Output("bilirubin_points", "Bilirubin points"),
            Output("albumin_points", "Albumin points"),
            Output("inr_points", "INR points"),
            Output("ascites_points", "Ascites points"),
            Output("encephalopathy_points", "Encephalopathy points"),
        ),
        compute=_compute_child_pugh,
        references=("pugh1973", "gleeson2025"),
        example={
            "bilirubin": 2.5,
            "albumin": 3.1,
            "inr": 1.4,
            "ascites": "mild",
            "encephalopathy": "none",
        },
        notes=(
            "Points 1 / 2 / 3: bilirubin below 2 / 2–3 / above 3 mg/dL; INR below 1.7 / 1.7–2.3 "
            "/ above 2.3; ascites none / mild / moderate; encephalopathy none / grade 1–2 / "
            "grade 3–4. Band edges score the middle band: bilirubin 2.0 and 3.0, INR 1.7 and "
            "2.3, albumin 2.8 and 3.5 all score 2 points.",
            CHILD_PUGH_ALBUMIN_NOTE,
            "Class A 5–6 points, B 7–9, C 10–15.",
            "Bilirubin is scored in mg/dL. The µmol/L version of the table (below 34 / 34–51 / "
            "above 51) is a rounded conversion; the calculator warns when the two disagree.",
        ),
    )
)
