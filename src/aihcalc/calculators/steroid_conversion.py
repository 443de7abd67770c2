"""Glucocorticoid dose conversion by equivalent anti-inflammatory potency.

What it rests on (evidence: steroid-equivalents):

- Equivalent doses [neurooncol2015]: hydrocortisone 20 mg = cortisone 25 mg =
  prednisone 5 mg = prednisolone 5 mg = methylprednisolone 4 mg = triamcinolone 4 mg =
  dexamethasone 0.75 mg = betamethasone 0.75 mg.
- Budesonide has no valid conversion: the equivalence table lists it as "n.a."
  [neurooncol2015], and it undergoes high first-pass metabolism
  [geier2003]. Choosing it gives no dose (value null) and the reason.
  Its own AIH dose, 3 mg three times daily with azathioprine in non-cirrhotic patients, is
  the randomised trial's [manns2010budesonide] (evidence: budesonide-regimen; confirmed); it is named in the
  refusal so that no one converts to it.

A caveat on the source, recorded so that a reviewer can settle it. A text copy of
PMC4369706's Table 1 seen by this project lists cortisol (hydrocortisone), cortisone,
prednisone, methylprednisolone, dexamethasone and budesonide, with "cortisol equivalents" of
1, 1.25, 0.25, 0.2, 0.04 and n.a. Those give hydrocortisone 20 = cortisone 25 = prednisone 5 =
methylprednisolone 4 mg, as here, but dexamethasone 0.8 mg rather than 0.75 mg, and the copy
does not list prednisolone, triamcinolone or betamethasone. The table used here is the one
the register records (the widely reproduced one, in which dexamethasone and betamethasone are 0.75 mg);
the calculator says so in a note.

Choices that are this module's own, not clinical facts:

- Arithmetic in ``decimal``: dose × (equivalent dose of the target) / (equivalent dose of the
  source). The answer is reported to 2 decimals (0.01 mg, halves up); the exact quotient
  (4 decimals) is among the outputs, and the working shows both.
- The dose may be 0–2000 mg (a hard limit on what is typed). Because what counts as a very
  high dose depends on the drug, the warning is set on the prednisolone-equivalent dose:
  above 250 mg prednisolone-equivalent (methylprednisolone 200 mg, dexamethasone 37.5 mg,
  hydrocortisone 1000 mg) the result carries a "check the dose and its unit" warning. 250 mg is
  a data-entry threshold chosen here, not a clinical limit.
- The equivalence is glucocorticoid (anti-inflammatory) potency only; mineralocorticoid
  activity and duration of action are not converted, and the notes say so.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from .. import registry
from ..exact import CONTEXT as _CONTEXT, dec as _dec
from ..present import fmt_number
from ..spec import Calculator, Change, Choice, FallbackGrid, Input, Outcome, Output, Working

_HUNDREDTH = Decimal("0.01")
_EXACT = Decimal("0.0001")

# Equivalent anti-inflammatory doses in mg [neurooncol2015] (evidence: steroid-equivalents).
EQUIVALENT_MG: dict[str, Decimal] = {
    "hydrocortisone": Decimal("20"),
    "cortisone": Decimal("25"),
    "prednisone": Decimal("5"),
    "prednisolone": Decimal("5"),
    "methylprednisolone": Decimal("4"),
    "triamcinolone": Decimal("4"),
    "dexamethasone": Decimal("0.75"),
    "betamethasone": Decimal("0.75"),
}
NO_EQUIVALENCE = ("budesonide",)
REFERENCE_DRUG = "prednisolone"
HIGH_DOSE_PREDNISOLONE_MG = Decimal("250")  # data-entry warning threshold (this module's choice)

DRUG_LABELS = {
    "hydrocortisone": "Hydrocortisone",
    "cortisone": "Cortisone",
    "prednisone": "Prednisone",
    "prednisolone": "Prednisolone",
    "methylprednisolone": "Methylprednisolone",
    "triamcinolone": "Triamcinolone",
    "dexamethasone": "Dexamethasone",
    "betamethasone": "Betamethasone",
    "budesonide": "Budesonide (no valid conversion)",
}
DRUGS = tuple(Choice(value, label) for value, label in DRUG_LABELS.items())

BUDESONIDE_REASON = (
    "Budesonide has no valid dose equivalence with the systemic glucocorticoids: the "
    "equivalence table lists it as not applicable [neurooncol2015], because "
    "high first-pass metabolism removes most of an oral dose before it reaches the circulation "
    "[geier2003]. In autoimmune hepatitis budesonide is dosed on its own "
    "terms (3 mg three times daily with azathioprine, in patients without cirrhosis, in the "
    "randomised trial [manns2010budesonide]), not by conversion."
)

EQUIVALENCE_TEXT = " = ".join(
    f"{name} {fmt_number(float(mg))} mg" for name, mg in EQUIVALENT_MG.items()
)


def _round(value: Decimal, step: Decimal) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


def _mg(value: Decimal, places: int = 4) -> str:
    return f"{fmt_number(float(value), places)} mg"


def _convert(dose: Decimal, from_drug: str, to_drug: str) -> Decimal:
    return dose * EQUIVALENT_MG[to_drug] / EQUIVALENT_MG[from_drug]


# The status as a clinician reads it; the JSON keeps the machine value ("converted", ...).
STATUS_TEXT = {"converted": "Converted", "no-valid-conversion": "No valid conversion"}


def _refuse(values: dict[str, Any], work: Working, outputs: dict[str, Any]) -> Outcome:
    which = [
        role
        for role, name in (("from", values["from_drug"]), ("to", values["to_drug"]))
        if name in NO_EQUIVALENCE
    ]
    work.step(
        "Budesonide chosen as the drug to convert " + " and ".join(which)
        + ": no equivalent dose is given."
    )
    work.step(BUDESONIDE_REASON)
    work.warn(f"No conversion: {BUDESONIDE_REASON}")
    outputs.update(status="no-valid-conversion", reason=BUDESONIDE_REASON)
    return Outcome(
        value=None, outputs=outputs, display={"value": "no valid conversion", "status": STATUS_TEXT["no-valid-conversion"]}
    )


def _compute(values: dict[str, Any], work: Working) -> Outcome:
    from_drug, to_drug = values["from_drug"], values["to_drug"]
    outputs: dict[str, Any] = {
        "status": "converted",
        "reason": "",
        "exact_mg": None,
        "ratio": None,
        "prednisolone_equivalent_mg": None,
        "equivalents": [],
    }
    with localcontext(_CONTEXT):
        dose = _dec(values["dose_mg"])
        if from_drug in NO_EQUIVALENCE:
            return _refuse(values, work, outputs)
        work.step(
            f"Equivalent anti-inflammatory doses [neurooncol2015]: "
            f"{EQUIVALENCE_TEXT}."
        )
        pred = _convert(dose, from_drug, REFERENCE_DRUG)
        outputs["prednisolone_equivalent_mg"] = float(_round(pred, _HUNDREDTH))
        outputs["equivalents"] = [
            {
                "drug": DRUG_LABELS[name],
                "dose_mg": float(_round(_convert(dose, from_drug, name), _HUNDREDTH)),
            }
            for name in EQUIVALENT_MG
        ]
        if pred > HIGH_DOSE_PREDNISOLONE_MG:
            work.warn(
                f"{_mg(dose)} {from_drug} is {_mg(_round(pred, _HUNDREDTH), 2)} "
                f"prednisolone-equivalent, above {_mg(HIGH_DOSE_PREDNISOLONE_MG, 0)}: check the "
                "dose, its unit (mg, not micrograms) and whether it is one dose or a daily total."
            )
        if to_drug in NO_EQUIVALENCE:
            return _refuse(values, work, outputs)
        source, target = EQUIVALENT_MG[from_drug], EQUIVALENT_MG[to_drug]
        exact = dose * target / source
        reported = _round(exact, _HUNDREDTH)
        ratio = _round(target / source, _EXACT)
    work.step(f"{DRUG_LABELS[from_drug]} {_mg(source)} = {to_drug} {_mg(target)}.")
    work.step(
        f"{_mg(dose)} × {fmt_number(float(target), 4)} / {fmt_number(float(source), 4)} = "
        f"{_mg(exact)} {to_drug}; reported to 0.01 mg: {_mg(reported, 2)}."
    )
    outputs.update(exact_mg=float(_round(exact, _EXACT)), ratio=float(ratio))
    display = {
        "value": _mg(reported, 2),
        "status": STATUS_TEXT["converted"],
        "exact_mg": _mg(_round(exact, _EXACT)),
        "ratio": fmt_number(float(ratio), 4),
    }
    return Outcome(value=float(reported), outputs=outputs, display=display)


# What changed for a clinician, and why (from this module's history; see spec.Change).
STEROIDS_CHANGES = (
    Change(
        "2026-11-22",
        "1.0",
        "First published: the dose of one glucocorticoid that matches a dose of another in "
        "glucocorticoid potency; budesonide is refused, with the reason.",
        "Patients move between prednisolone, methylprednisolone and other steroids, for example "
        "from intravenous to oral treatment.",
    ),
)


STEROIDS = registry.register(
    Calculator(
        id="steroid-conversion",
        version="1.0",
        changes=STEROIDS_CHANGES,
        evidence=("steroid-equivalents", "budesonide-regimen"),
        details=("exact_mg", "ratio", "prednisolone_equivalent_mg"),
        title="Glucocorticoid dose conversion",
        summary="The dose of one glucocorticoid that matches a dose of another in "
        "anti-inflammatory (glucocorticoid) potency; budesonide is refused with the reason.",
        inputs=(
            Input(
                "from_drug",
                "Current glucocorticoid",
                kind="choice",
                choices=DRUGS,
                hint="The glucocorticoid the dose refers to.",
            ),
            Input(
                "dose_mg",
                "Dose",
                unit="mg",
                allowed=(0, 2000),
                step=0.25,
                hint="The dose of that drug in mg (one dose or a daily total: the answer is the "
                "same kind).",
            ),
            Input(
                "to_drug",
                "Target glucocorticoid",
                kind="choice",
                choices=DRUGS,
                hint="The glucocorticoid to express the dose in.",
            ),
        ),
        value=Output("dose_mg", "Equivalent dose", unit="mg"),
        outputs=(
            Output("status", "Status"),
            Output("reason", "Why no conversion"),
            Output("exact_mg", "Equivalent dose before rounding", unit="mg"),
            Output("ratio", "Multiplier (target mg per source mg)"),
            Output("prednisolone_equivalent_mg", "Prednisolone-equivalent dose", unit="mg"),
            Output(
                "equivalents",
                "The same dose in each glucocorticoid",
                columns=(("drug", "Drug"), ("dose_mg", "Equivalent dose (mg)")),
            ),
        ),
        compute=_compute,
        references=(
            "neurooncol2015",
            "geier2003",
            "manns2010budesonide",
        ),
        example={"from_drug": "prednisolone", "dose_mg": 40, "to_drug": "methylprednisolone"},
        fallback=FallbackGrid(
            rows="to_drug",
            row_values=(
                "hydrocortisone",
                "cortisone",
                "prednisone",
                "methylprednisolone",
                "triamcinolone",
                "dexamethasone",
                "betamethasone",
                "budesonide",
            ),
            columns="dose_mg",
            column_values=(5, 10, 20, 30, 40, 60),
            fixed={"from_drug": "prednisolone"},
        ),
        notes=(
            "Equivalent anti-inflammatory doses: hydrocortisone 20 mg = cortisone 25 mg = "
            "prednisone 5 mg = prednisolone 5 mg = methylprednisolone 4 mg = triamcinolone "
            "4 mg = dexamethasone 0.75 mg = betamethasone 0.75 mg.",
            "The conversion matches glucocorticoid (anti-inflammatory) potency only. "
            "Mineralocorticoid activity and duration of action differ between these drugs and "
            "are not converted.",
            "Budesonide has no valid equivalence (high first-pass metabolism) and is refused "
            "with the reason; in autoimmune hepatitis it is dosed on its own terms.",
            "Source caveat: the cited review's table gives dexamethasone a cortisol equivalent "
            "of 0.04 (0.8 mg per 20 mg hydrocortisone, about 7 % more than the 0.75 mg used "
            "here) and, in the copy seen, does not list prednisolone, triamcinolone or "
            "betamethasone; the values used are the widely reproduced table.",
            "The answer is rounded to 0.01 mg; the exact figure is shown too. Above 250 mg "
            "prednisolone-equivalent the result warns: check the dose and its unit.",
        ),
    )
)
