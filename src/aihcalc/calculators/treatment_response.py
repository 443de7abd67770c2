"""treatment-response: the response to first-line treatment, by the IAIHG definitions.

What it rests on (FACTS §2, both rows **confirmed** against Pape 2022 [pape2022]):

- Non-response: a fall in serum transaminases of less than 50 % within 4 weeks of starting
  treatment.
- Insufficient response: no complete biochemical response by 6 months; complete biochemical
  response means transaminases **and** IgG below the upper limit of normal (ULN) at 6 months.

How the calculator reads them (stated in every result and in the table on the site):

- Transaminases are represented by ALT, the input DESIGN.md names (AST is not asked for).
- "Less than 50 %" is strict: a fall of exactly 50 % is not non-response.
- "Below the ULN" is read as within the reference range, i.e. at most the ULN: a value equal to
  the ULN is normal. A reader who takes "below" strictly differs only at exactly 1 × ULN.
- Non-response is decided at week 4 and stands whatever the month-6 values (a checkpoint
  missed is not undone); the result warns when month 6 looks complete after it.

The decision is the table src/aihcalc/tables/treatment-response.toml, evaluated on three
derived numbers: the percentage fall in ALT from baseline to week 4, ALT at month 6 as a
multiple of its ULN, and IgG at month 6 as a multiple of its ULN. The arithmetic is decimal
(12 significant digits of each input), so 200 U/L after 400 U/L is a fall of exactly 50 %.
"""

from __future__ import annotations

from decimal import Context, Decimal, localcontext
from typing import Any

from ..registry import register
from ..spec import Calculator, FallbackGrid, Input, Outcome, Output, Working, fmt_number
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


def _alt(name: str, label: str, hint: str) -> Input:
    return Input(
        name,
        label,
        unit="U/L",
        allowed=(1, 20000),
        plausible=(5, 5000),
        step=1,
        hint=hint + ' IU/L is the same unit; µkat/L accepted (e.g. "0.8 µkat/L").',
        conversions=ALT_UNITS,
    )


INPUTS = (
    _alt("alt_baseline", "ALT before treatment", "Alanine aminotransferase when treatment started."),
    _alt("alt_week4", "ALT at week 4", "ALT about 4 weeks after starting treatment."),
    _alt("alt_month6", "ALT at month 6", "ALT about 6 months after starting treatment."),
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
        hint='Serum immunoglobulin G about 6 months after starting; mg/dL accepted (e.g. "1400 mg/dL").',
        conversions=IGG_CONVENTIONAL,
    ),
    Input(
        "igg_uln",
        "IgG upper limit of normal",
        unit="g/L",
        allowed=(5, 40),
        plausible=(12, 20),
        step=0.1,
        hint="The upper limit of the IgG reference range of the laboratory that measured it.",
        conversions=IGG_CONVENTIONAL,
    ),
)


def _dec(value: float) -> Decimal:
    """An input as a decimal; 12 significant digits drop binary conversion noise."""
    return Decimal(format(value, ".12g"))


def derived_inputs(values: dict[str, Any]) -> dict[str, float]:
    """The table's three inputs from the laboratory values (exact decimal quotients)."""
    with localcontext(_CONTEXT):
        baseline, week4 = _dec(values["alt_baseline"]), _dec(values["alt_week4"])
        fall = 100 * (1 - week4 / baseline)
        alt_ratio = _dec(values["alt_month6"]) / _dec(values["alt_uln"])
        igg_ratio = _dec(values["igg_month6"]) / _dec(values["igg_uln"])
    return {
        "alt_fall_week4_percent": float(fall),
        "alt_month6_over_uln": float(alt_ratio),
        "igg_month6_over_uln": float(igg_ratio),
    }


def _compute(values: dict[str, Any], work: Working) -> Outcome:
    derived = derived_inputs(values)
    fall = derived["alt_fall_week4_percent"]
    alt_ratio = derived["alt_month6_over_uln"]
    igg_ratio = derived["igg_month6_over_uln"]
    b, w4 = fmt_number(values["alt_baseline"]), fmt_number(values["alt_week4"])
    work.step(
        f"Fall in ALT by week 4: 100 × (1 − {w4} / {b}) = {_pct(fall)} %"
        + (" (a rise)." if fall < 0 else ".")
    )
    work.step(
        f"ALT at month 6: {fmt_number(values['alt_month6'])} / {fmt_number(values['alt_uln'])} U/L "
        f"= {_ratio(alt_ratio)} × ULN."
    )
    work.step(
        f"IgG at month 6: {fmt_number(values['igg_month6'])} / {fmt_number(values['igg_uln'])} g/L "
        f"= {_ratio(igg_ratio)} × ULN."
    )
    decision = load_table(TABLE).evaluate(derived)
    answer = decision.output
    assert answer is not None  # the table has no gaps (its analysis runs in the tests and at build)
    response = answer["response"]
    rule = decision.rules[0]
    work.step(f"Decision table {TABLE}, rule {rule.number}: {VALUE_TEXT[response]}.")
    _warnings(values, derived, response, work)
    outputs = {
        "definition": DEFINITIONS[response],
        "alt_fall_week4_percent": fall,
        "alt_month6_over_uln": alt_ratio,
        "igg_month6_over_uln": igg_ratio,
        "rule": rule.number,
    }
    display = {
        "value": VALUE_TEXT[response],
        "alt_fall_week4_percent": f"{_pct(fall)} %",
        "alt_month6_over_uln": f"{_ratio(alt_ratio)} × ULN",
        "igg_month6_over_uln": f"{_ratio(igg_ratio)} × ULN",
    }
    return Outcome(value=response, outputs=outputs, display=display)


def _warnings(values: dict[str, Any], derived: dict[str, float], response: str, work: Working) -> None:
    if values["alt_baseline"] <= values["alt_uln"]:
        work.warn(
            "ALT before treatment was not above its upper limit of normal: the week-4 criterion "
            "(a fall of at least 50 %) assumes raised transaminases, so read it with care."
        )
    month6_normal = derived["alt_month6_over_uln"] <= 1 and derived["igg_month6_over_uln"] <= 1
    if response == "non-response" and month6_normal:
        work.warn(
            "ALT and IgG are within their reference ranges at month 6, but ALT fell by less than "
            "50 % by week 4: by definition the week-4 non-response stands. Check the dates and "
            "the baseline value, and discuss the course with the specialist team."
        )
    if derived["alt_month6_over_uln"] == 1 or derived["igg_month6_over_uln"] == 1:
        work.warn(
            "A value equals its upper limit of normal exactly: this calculator counts it as "
            "normal (within the reference range). If 'below the ULN' is read strictly, the "
            "response would not be complete."
        )


def _pct(value: float) -> str:
    return _shown(value, 2, 50.0)


def _ratio(value: float) -> str:
    return _shown(value, 3, 1.0)


def _shown(value: float, decimals: int, boundary: float) -> str:
    """Rounded for reading, but never rounded onto the boundary it does not equal."""
    text = fmt_number(value, decimals)
    while float(text) == boundary and value != boundary and decimals < 12:
        decimals += 2
        text = fmt_number(value, decimals)
    return text


TREATMENT_RESPONSE = register(
    Calculator(
        id="treatment-response",
        title="Response to first-line treatment",
        summary=(
            "Non-response, insufficient response or complete biochemical response, by the "
            "IAIHG definitions, from ALT at baseline, week 4 and month 6 and IgG at month 6."
        ),
        inputs=INPUTS,
        value=Output("response", "Response"),
        outputs=(
            Output("definition", "Definition met"),
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
            "The decision is the table 'treatment-response', shown on the site and checked at "
            "build time for gaps and overlaps.",
        ),
    )
)
