"""treatment-response: the response to first-line treatment, by the IAIHG definitions.

What it rests on (evidence: response-criteria; **confirmed** against Pape 2022 [pape2022]):

- Non-response: a fall in serum transaminases of less than 50 % within 4 weeks of starting
  treatment.
- Insufficient response: no complete biochemical response by 6 months; complete biochemical
  response means transaminases **and** IgG below the upper limit of normal (ULN) at 6 months.

How the calculator reads them (stated in every result and in the table on the site):

- Transaminases are represented by ALT, the input the calculator contract names (AST is not asked for).
- "Less than 50 %" is strict: a fall of exactly 50 % is not non-response.
- "Below the ULN" is read as within the reference range, i.e. at most the ULN: a value equal to
  the ULN is normal. A reader who takes "below" strictly differs only at exactly 1 × ULN.
- Non-response is decided at week 4 and stands whatever the month-6 values (a checkpoint
  missed is not undone); the result warns when month 6 looks complete after it.
- The month-6 values (ALT, IgG and the IgG ULN) may be left empty, as they are during the
  first six months. Non-response is then still judged at week 4; otherwise the value is null
  and the result says that the response at 6 months cannot be judged yet.

The decision is the table src/aihcalc/tables/treatment-response.toml, evaluated on three
derived numbers: the percentage fall in ALT from baseline to week 4, ALT at month 6 as a
multiple of its ULN, and IgG at month 6 as a multiple of its ULN. The arithmetic is decimal
(12 significant digits of each input), so 200 U/L after 400 U/L is a fall of exactly 50 %.

When a derived number is unknown (its values left empty), the table still decides: a rule
whose condition on every unknown column is "any" and whose other conditions hold applies
whatever the unknown values turn out to be (the table is UNIQUE and has no gaps, which its
analysis checks, so no other rule can). Rule 1, non-response, is such a rule: it reads only
the fall by week 4. Where the rules that could still apply all give the same answer (IgG above
its ULN with ALT at month 6 unknown: rules 3 and 4, both insufficient response), that answer
stands too. Otherwise the response is not yet judged.
"""

from __future__ import annotations

from decimal import Context, Decimal, localcontext
from typing import Any, Iterable

from ..present import fmt_number, off_boundary_text
from ..registry import register
from ..spec import Calculator, Change, FallbackGrid, Input, Outcome, Output, Working
from ..tables import load_table
from ..units import IGG_CONVENTIONAL, UnitConversion

TABLE = "treatment-response"
_CONTEXT = Context(prec=28)
# 1 U = 1 µmol/min and 1 µkat = 1 µmol/s, so 1 µkat/L = 60 U/L exactly; IU/L is U/L.
ALT_UNITS = (UnitConversion("IU/L", 1.0), UnitConversion("µkat/L", 60.0))

VALUE_TEXT = {
    "non-response": "non-response",
    "insufficient-response": "insufficient response",
    "complete-biochemical-response": "complete biochemical response",
}
DEFINITIONS = {
    "non-response": "ALT fell by less than 50 % within 4 weeks of starting treatment "
    "(non-response, IAIHG) [pape2022].",
    "insufficient-response": "No complete biochemical response by 6 months: ALT or IgG is above "
    "its upper limit of normal (insufficient response, IAIHG) [pape2022].",
    "complete-biochemical-response": "ALT and IgG are within their reference ranges (at most "
    "the upper limit of normal) at 6 months (complete biochemical response, IAIHG) [pape2022].",
}
NOT_YET = "not yet judged (needs the month-6 values)"
NOT_YET_DEFINITION = (
    "ALT fell by at least 50 % by week 4, so the week-4 definition of non-response is not met. "
    "Complete or insufficient response is judged at 6 months, from ALT and IgG against their "
    "upper limits of normal (IAIHG) [pape2022]."
)


def _alt(name: str, label: str, hint: str, optional: bool = False) -> Input:
    return Input(
        name,
        label,
        unit="U/L",
        allowed=(1, 20000),
        plausible=(5, 5000),
        step=1,
        hint=hint + ' IU/L is the same unit; µkat/L accepted (e.g. "0.8 µkat/L").',
        conversions=ALT_UNITS,
        optional=optional,
    )


_LATER = " Leave empty until it is measured."

INPUTS = (
    _alt("alt_baseline", "ALT before treatment", "Alanine aminotransferase when treatment started."),
    _alt("alt_week4", "ALT at week 4", "ALT about 4 weeks after starting treatment."),
    _alt("alt_month6", "ALT at month 6", "ALT about 6 months after starting treatment." + _LATER, True),
    Input(
        "alt_uln",
        "ALT upper limit of normal",
        unit="U/L",
        allowed=(5, 500),
        plausible=(20, 80),
        step=1,
        hint="The upper limit of the ALT reference range of the laboratory that measured it.",
        conversions=ALT_UNITS,
    ),
    Input(
        "igg_month6",
        "IgG at month 6",
        unit="g/L",
        allowed=(0.5, 100),
        plausible=(2, 50),
        step=0.1,
        hint='Serum immunoglobulin G about 6 months after starting; mg/dL accepted (e.g. "1400 mg/dL").'
        + _LATER,
        conversions=IGG_CONVENTIONAL,
        # g/L and mg/dL differ 100-fold, so a bare number is never plausible in both; one in
        # mg/dL typed without its unit (1400) is refused with how to type it.
        confusable_units=("mg/dL",),
        optional=True,
    ),
    Input(
        "igg_uln",
        "IgG upper limit of normal",
        unit="g/L",
        allowed=(5, 40),
        plausible=(12, 20),
        step=0.1,
        hint="The upper limit of the IgG reference range of the laboratory that measured it."
        + " Needed with IgG at month 6.",
        conversions=IGG_CONVENTIONAL,
        confusable_units=("mg/dL",),
        optional=True,
    ),
)
LABELS = {item.name: item.label for item in INPUTS}


def _dec(value: float) -> Decimal:
    """An input as a decimal; 12 significant digits drop binary conversion noise."""
    return Decimal(format(value, ".12g"))


def _ratio_of(values: dict[str, Any], name: str, uln: str) -> float | None:
    """A month-6 value as a multiple of its ULN; None while either is left empty."""
    if values.get(name) is None or values.get(uln) is None:
        return None
    with localcontext(_CONTEXT):
        return float(_dec(values[name]) / _dec(values[uln]))


def derived_inputs(values: dict[str, Any]) -> dict[str, float | None]:
    """The table's three inputs from the laboratory values (exact decimal quotients).

    A month-6 ratio is None while its values are left empty.
    """
    with localcontext(_CONTEXT):
        baseline, week4 = _dec(values["alt_baseline"]), _dec(values["alt_week4"])
        fall = 100 * (1 - week4 / baseline)
    return {
        "alt_fall_week4_percent": float(fall),
        "alt_month6_over_uln": _ratio_of(values, "alt_month6", "alt_uln"),
        "igg_month6_over_uln": _ratio_of(values, "igg_month6", "igg_uln"),
    }


def _compute(values: dict[str, Any], work: Working) -> Outcome:
    derived = derived_inputs(values)
    fall = derived["alt_fall_week4_percent"]
    alt_ratio = derived["alt_month6_over_uln"]
    igg_ratio = derived["igg_month6_over_uln"]
    assert fall is not None
    b, w4 = fmt_number(values["alt_baseline"]), fmt_number(values["alt_week4"])
    work.step(
        f"Fall in ALT by week 4: 100 × (1 − {w4} / {b}) = {_pct(fall)} %"
        + (" (a rise)." if fall < 0 else ".")
    )
    if alt_ratio is not None:
        work.step(
            f"ALT at month 6: {fmt_number(values['alt_month6'])} / "
            f"{fmt_number(values['alt_uln'])} U/L = {_ratio(alt_ratio)} × ULN."
        )
    if igg_ratio is not None:
        work.step(
            f"IgG at month 6: {fmt_number(values['igg_month6'])} / "
            f"{fmt_number(values['igg_uln'])} g/L = {_ratio(igg_ratio)} × ULN."
        )
    table = load_table(TABLE)
    rules, certain = table.possible(derived)
    named = f"Table \"{table.title}\""  # readers know the table by its title, shown on the site
    assert rules  # the table has no gaps (its analysis runs in the tests and at build)
    answers = {rule.outputs["response"] for rule in rules}
    response = answers.pop() if len(answers) == 1 else None
    missing = _missing(values)
    if response is None:
        numbers = _and(str(rule.number) for rule in rules)
        work.step(
            f"{named}: rules {numbers} could still apply, so the response at "
            f"6 months cannot be judged yet: it needs {missing}."
        )
    elif certain:
        (rule,) = rules
        work.step(f"{named}, rule {rule.number}: {VALUE_TEXT[response]}.")
        if missing and response == "non-response":
            work.step(
                f"Not entered: {missing}. The response at 6 months cannot be judged yet; the "
                "week-4 non-response stands whatever the month-6 values show."
            )
        elif missing:
            work.step(f"Not entered: {missing}; not needed, as this rule applies whatever they show.")
    else:
        numbers = _and(str(rule.number) for rule in rules)
        work.step(
            f"{named}, rules {numbers}: {VALUE_TEXT[response]} whichever applies "
            f"(not known yet: {missing})."
        )
    _warnings(values, derived, response, work)
    decided = rules[0].number if response is not None and len(rules) == 1 else None
    outputs = {
        "definition": DEFINITIONS[response] if response else NOT_YET_DEFINITION,
        "alt_fall_week4_percent": fall,
        "alt_month6_over_uln": alt_ratio,
        "igg_month6_over_uln": igg_ratio,
        "rule": decided,
        # Rule 1 reads only the week-4 fall, so it is always decided: whenever it does not
        # apply, the week-4 definition of non-response is not met.
        "week4_non_response": response == "non-response",
    }
    display = {
        "value": VALUE_TEXT[response] if response else NOT_YET,
        "alt_fall_week4_percent": f"{_pct(fall)} %",
    }
    if alt_ratio is not None:
        display["alt_month6_over_uln"] = f"{_ratio(alt_ratio)} × ULN"
    if igg_ratio is not None:
        display["igg_month6_over_uln"] = f"{_ratio(igg_ratio)} × ULN"
    return Outcome(value=response, outputs=outputs, display=display)


def _missing(values: dict[str, Any]) -> str:
    """The month-6 values still empty, in words ("" when none is)."""
    names = [n for n in ("alt_month6", "igg_month6", "igg_uln") if values.get(n) is None]
    return _and(LABELS[n] for n in names)


def _and(items: Iterable[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    words = list(items)
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def _warnings(
    values: dict[str, Any], derived: dict[str, float | None], response: str | None, work: Working
) -> None:
    if values["alt_baseline"] <= values["alt_uln"]:
        work.warn(
            "ALT before treatment was not above its upper limit of normal: the week-4 criterion "
            "(a fall of at least 50 %) assumes raised transaminases, so read it with care."
        )
    if values.get("igg_month6") is not None and values.get("igg_uln") is None:
        work.warn(
            "IgG at month 6 is not used without the IgG upper limit of normal of the laboratory "
            "that measured it: enter that too."
        )
    alt_ratio, igg_ratio = derived["alt_month6_over_uln"], derived["igg_month6_over_uln"]
    month6_normal = alt_ratio is not None and igg_ratio is not None and alt_ratio <= 1 and igg_ratio <= 1
    if response == "non-response" and month6_normal:
        work.warn(
            "ALT and IgG are within their reference ranges at month 6, but ALT fell by less than "
            "50 % by week 4: by definition the week-4 non-response stands. Check the dates and "
            "the baseline value, and discuss the course with the specialist team."
        )
    if alt_ratio == 1 or igg_ratio == 1:
        work.warn(
            "A value equals its upper limit of normal exactly: this calculator counts it as "
            "normal (within the reference range). If 'below the ULN' is read strictly, the "
            "response would not be complete."
        )


def _pct(value: float) -> str:
    return off_boundary_text(value, 2, 50.0)


def _ratio(value: float) -> str:
    return off_boundary_text(value, 3, 1.0)


# What changed for a clinician, and why (from this module's history; see spec.Change).
TREATMENT_RESPONSE_CHANGES = (
    Change(
        "2026-11-22",
        "1.0",
        "First published: non-response, insufficient response or complete biochemical response by "
        "the IAIHG definitions, from ALT at baseline, week 4 and month 6 and IgG at month 6.",
        "The monitoring page judges the response to first-line treatment by these definitions.",
    ),
    Change(
        "2026-12-04",
        "1.1",
        "The month-6 ALT and IgG may be left empty: non-response at week 4 (ALT fallen by less than "
        "50 %) is then judged alone and shown as its own answer, and the 6-month response is said "
        "to be not yet judged; an IgG typed in mg/dL without its unit is refused with how to type "
        "it.",
        "Non-response at week 4 should be recognised at week 4, not six months later; IgG is "
        "reported in g/L or mg/dL, a hundred-fold apart.",
    ),
)


TREATMENT_RESPONSE = register(
    Calculator(
        id="treatment-response",
        version="1.1",
        changes=TREATMENT_RESPONSE_CHANGES,
        evidence=("response-criteria",),
        details=("alt_fall_week4_percent", "alt_month6_over_uln", "igg_month6_over_uln", "rule"),
        title="Response to first-line treatment",
        summary=(
            "Non-response, insufficient response or complete biochemical response, by the "
            "IAIHG definitions, from ALT at baseline, week 4 and month 6 and IgG at month 6; "
            "before month 6, non-response at week 4."
        ),
        inputs=INPUTS,
        value=Output("response", "Response"),
        outputs=(
            Output("definition", "Definition met"),
            Output("week4_non_response", "Non-response at week 4"),
            Output("alt_fall_week4_percent", "Fall in ALT by week 4", unit="%"),
            Output("alt_month6_over_uln", "ALT at month 6", unit="× ULN"),
            Output("igg_month6_over_uln", "IgG at month 6", unit="× ULN"),
            Output("rule", "Rule of the decision table"),
        ),
        compute=_compute,
        references=("pape2022",),
        example={
            "alt_baseline": 400,
            "alt_week4": 120,
            "alt_month6": 30,
            "alt_uln": 40,
            "igg_month6": 14,
            "igg_uln": 16,
        },
        fallback=FallbackGrid(
            rows="alt_week4",
            row_values=(100, 200, 201, 300),
            columns="alt_month6",
            column_values=(30, 40, 41, 80),
            fixed={"alt_baseline": 400, "alt_uln": 40, "igg_month6": 14, "igg_uln": 16},
        ),
        notes=(
            "Transaminases are represented by ALT. A fall of exactly 50 % is a response; a value "
            "equal to the upper limit of normal counts as normal (within the reference range).",
            "Non-response is decided at week 4 and stands whatever the month-6 values.",
            "The month-6 values may be left empty until they are measured: non-response is then "
            "still judged at week 4; otherwise the response is shown as not yet judged (a null "
            "value), because complete or insufficient response is judged at 6 months.",
            "The decision follows the table of response to first-line treatment, shown on the site "
            "and checked when the site is built for gaps and overlaps.",
        ),
    )
)
