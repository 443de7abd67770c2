"""Simplified AIH score (Hennes 2008): every item, every boundary, units and bad input.

The points come from the evidence register (evidence: aih-simplified-score) (the simplified criteria as the paper and the table
reproduced in PMC3530748 give them). The paper reports validation figures, not worked
patients, so each case below is computed by hand in its comment.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

import aihcalc
from aihcalc import InputError

ROOT = Path(__file__).resolve().parent.parent
BASE: dict[str, Any] = {
    "ana_sma": "negative",
    "lkm": "negative",
    "sla": False,
    "igg": 12,
    "igg_uln": 16,
    "histology": "atypical",
    "viral_hepatitis_excluded": False,
}


def score(**change: Any) -> aihcalc.Result:
    return aihcalc.calculate("aih-simplified-score", BASE | change)


# ---------------------------------------------------------------------------------------------
# Autoantibodies: added, at most 2
# ---------------------------------------------------------------------------------------------

AUTOANTIBODIES = [
    # (ANA/SMA, LKM, SLA, points)
    ("negative", "negative", False, 0),
    ("1:40", "negative", False, 1),
    ("1:80-or-more", "negative", False, 2),
    ("negative", "1:40-or-more", False, 2),
    ("negative", "negative", True, 2),
    ("1:40", "1:40-or-more", False, 2),  # 1 + 2 = 3 → capped at 2
    ("1:40", "negative", True, 2),  # 1 + 2 = 3 → 2
    ("1:80-or-more", "1:40-or-more", True, 2),  # 2 + 2 + 2 = 6 → 2
    ("1:80-or-more", "negative", True, 2),
]


@pytest.mark.parametrize(("ana", "lkm", "sla", "points"), AUTOANTIBODIES)
def test_autoantibody_points(ana: str, lkm: str, sla: bool, points: int) -> None:
    result = score(ana_sma=ana, lkm=lkm, sla=sla)
    assert result.outputs["autoantibody_points"] == points
    assert result.value == points  # everything else scores 0 in BASE


def test_autoantibody_cap_is_shown_in_the_working() -> None:
    result = score(ana_sma="1:40", lkm="1:40-or-more", sla=True)
    assert result.working[0] == (
        "Autoantibodies: ANA/SMA 1:40 → 1; LKM 1:40 or more → 2; SLA positive → 2; "
        "sum 5, capped at 2 (at most 2) → 2 points."
    )


# ---------------------------------------------------------------------------------------------
# IgG: > ULN → 1, > 1.10 × ULN → 2 (strictly greater)
# ---------------------------------------------------------------------------------------------

IGG_CASES = [
    # (IgG, ULN, points); with ULN 16 g/L, 1.10 × ULN = 17.6 g/L
    (12, 16, 0),
    (15.9, 16, 0),
    (16, 16, 0),  # exactly the ULN: not above it
    (16.01, 16, 1),
    (17, 16, 1),
    (17.6, 16, 1),  # exactly 1.10 × ULN: not above it
    (17.61, 16, 2),
    (30, 16, 2),
    # ULN 12.5: 1.10 × 12.5 = 13.75 (13.750000000000002 in binary floating point)
    (12.5, 12.5, 0),
    (13.75, 12.5, 1),
    (13.76, 12.5, 2),
    # ULN 18.08: 1.10 × 18.08 = 19.888, but in binary floating point 18.08 × 1.1 =
    # 19.887999999999998 < 19.888, so a float comparison would give 2 points here
    (19.888, 18.08, 1),
    (19.889, 18.08, 2),
    # ULN 16.83: 1.10 × 16.83 = 18.513; in floating point 18.513 / 16.83 = 1.1000000000000003
    (18.513, 16.83, 1),
    (0, 16, 0),
    (150, 1, 2),
]


@pytest.mark.parametrize(("igg", "uln", "points"), IGG_CASES)
def test_igg_points(igg: float, uln: float, points: int) -> None:
    result = score(igg=igg, igg_uln=uln)
    assert result.outputs["igg_points"] == points
    assert result.value == points


def test_igg_working_and_ratio() -> None:
    result = score(igg=17.6, igg_uln=16)
    assert result.outputs["igg_to_uln"] == 1.1
    assert (
        "IgG 17.6 g/L (1.1 × the upper limit of normal): above the upper limit (16 g/L) but not "
        "above 1.10 × it (17.6 g/L) → 1 point."
    ) in result.working
    assert "IgG 16 g/L (1 × the upper limit of normal): not above the upper limit (16 g/L) → 0 points." in score(
        igg=16
    ).working


IGG_UNITS = [
    # mg/dL: 1 g/L = 100 mg/dL
    ({"igg": "1760 mg/dL", "igg_uln": "1600 mg/dL"}, {"igg": 17.6, "igg_uln": 16}),
    ({"igg": "1761 mg/dL", "igg_uln": 16}, {"igg": 17.61, "igg_uln": 16}),
    ({"igg": "1600 mg/dl", "igg_uln": "16 g/L"}, {"igg": 16, "igg_uln": 16}),
    ({"igg": "2000MG/DL", "igg_uln": "1600 mg/dL"}, {"igg": 20, "igg_uln": 16}),
    ({"igg": "13.75 g/L", "igg_uln": "1250 mg/dL"}, {"igg": 13.75, "igg_uln": 12.5}),
]


@pytest.mark.parametrize(("text", "number"), IGG_UNITS)
def test_conventional_units_equal_si(text: dict[str, Any], number: dict[str, Any]) -> None:
    a, b = score(**text), score(**number)
    assert (a.value, a.outputs, a.working) == (b.value, b.outputs, b.working)


# ---------------------------------------------------------------------------------------------
# Histology and viral hepatitis
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("histology", "points"), [("atypical", 0), ("compatible", 1), ("typical", 2)])
def test_histology_points(histology: str, points: int) -> None:
    result = score(histology=histology)
    assert result.outputs["histology_points"] == points
    assert result.value == points


def test_viral_hepatitis() -> None:
    excluded = score(viral_hepatitis_excluded=True)
    assert excluded.outputs["viral_hepatitis_points"] == 2
    assert excluded.value == 2
    assert excluded.warnings == []
    not_excluded = score(viral_hepatitis_excluded=False)
    assert not_excluded.outputs["viral_hepatitis_points"] == 0
    assert any("Viral hepatitis has not been excluded" in w for w in not_excluded.warnings)


# ---------------------------------------------------------------------------------------------
# Totals and categories: 5 / 6 / 7 and the extremes
# ---------------------------------------------------------------------------------------------

TOTALS = [
    # (change, total, category)
    ({}, 0, "not-diagnostic"),
    # 1 (ANA 1:40) + 0 (IgG 12) + 2 (typical) + 2 (viral) = 5
    ({"ana_sma": "1:40", "histology": "typical", "viral_hepatitis_excluded": True}, 5, "not-diagnostic"),
    # 2 + 0 + 2 + 2 = 6
    ({"ana_sma": "1:80-or-more", "histology": "typical", "viral_hepatitis_excluded": True}, 6, "probable"),
    # 1 + 1 (IgG 17 > 16) + 2 + 2 = 6
    (
        {"ana_sma": "1:40", "igg": 17, "histology": "typical", "viral_hepatitis_excluded": True},
        6,
        "probable",
    ),
    # 2 + 1 + 2 + 2 = 7
    (
        {"ana_sma": "1:80-or-more", "igg": 17, "histology": "typical", "viral_hepatitis_excluded": True},
        7,
        "definite",
    ),
    # 2 (SLA) + 2 (IgG 20 > 17.6) + 1 (compatible) + 2 = 7
    (
        {"sla": True, "igg": 20, "histology": "compatible", "viral_hepatitis_excluded": True},
        7,
        "definite",
    ),
    # 2 + 2 + 2 + 2 = 8, the maximum
    (
        {"lkm": "1:40-or-more", "igg": 20, "histology": "typical", "viral_hepatitis_excluded": True},
        8,
        "definite",
    ),
    # without viral exclusion the maximum is 2 + 2 + 2 + 0 = 6: probable, with a warning
    ({"ana_sma": "1:80-or-more", "igg": 20, "histology": "typical"}, 6, "probable"),
]


@pytest.mark.parametrize(("change", "total", "category"), TOTALS)
def test_totals_and_categories(change: dict[str, Any], total: int, category: str) -> None:
    result = score(**change)
    assert result.value == total
    assert type(result.value) is int
    assert result.outputs["category"] == category
    items = ("autoantibody_points", "igg_points", "histology_points", "viral_hepatitis_points")
    assert sum(result.outputs[i] for i in items) == total


def test_below_6_is_not_diagnostic_and_never_says_no_aih() -> None:
    result = score(ana_sma="1:40", histology="typical", viral_hepatitis_excluded=True)
    assert result.value == 5
    text = result.outputs["interpretation"]
    assert "Not diagnostic by these criteria" in text
    assert "not a finding that AIH is absent" in text
    everything = json.dumps(result.to_dict(), ensure_ascii=False).lower()
    assert "no aih" not in everything and "excludes aih" not in everything
    assert "does not rule AIH out" in result.outputs["validation"]
    assert result.display["category"] == "not diagnostic by these criteria (< 6 points)"


def test_validation_figures_per_category() -> None:
    probable = score(ana_sma="1:80-or-more", histology="typical", viral_hepatitis_excluded=True)
    assert "6 or more" in probable.outputs["validation"]
    assert "88 %" in probable.outputs["validation"] and "97 %" in probable.outputs["validation"]
    assert "hennes2008" in probable.outputs["validation"]
    definite = score(ana_sma="1:80-or-more", igg=17, histology="typical", viral_hepatitis_excluded=True)
    assert "7 or more" in definite.outputs["validation"]
    assert "81 %" in definite.outputs["validation"] and "99 %" in definite.outputs["validation"]


def test_example_working_and_display() -> None:
    calc = aihcalc.get("aih-simplified-score")
    result = calc.calculate(calc.example)
    assert result.value == 8
    assert result.display["value"] == "8 points"
    assert result.display["category"] == "definite AIH (≥ 7 points)"
    assert result.working == [
        "Autoantibodies: ANA/SMA 1:80 or more → 2; LKM negative → 0; SLA negative or not tested "
        "→ 0; sum 2 (at most 2) → 2 points.",
        "IgG 20 g/L (1.25 × the upper limit of normal): above 1.10 × the upper limit (17.6 g/L) "
        "→ 2 points.",
        "Histology typical of AIH → 2 points.",
        "Viral hepatitis excluded → 2 points.",
        "Total 2 + 2 + 2 + 2 = 8 points → definite AIH (≥ 7 points) (≥ 6 probable, ≥ 7 definite) "
        "[hennes2008].",
    ]
    assert result.warnings == []


def test_notes_document_boundaries_and_validation() -> None:
    notes = " ".join(aihcalc.get("aih-simplified-score").notes)
    assert "exactly at the upper limit scores 0" in notes
    assert "exactly 1.10 × scores 1" in notes
    assert "88 %" in notes and "97 %" in notes and "81 %" in notes and "99 %" in notes
    assert "hennes2008" in notes
    assert "capped at 2" in notes


def test_sla_defaults_to_negative_viral_has_no_default() -> None:
    inputs = {k: v for k, v in BASE.items() if k != "sla"}
    assert aihcalc.calculate("aih-simplified-score", inputs).inputs["sla"] is False
    inputs = {k: v for k, v in BASE.items() if k != "viral_hepatitis_excluded"}
    with pytest.raises(InputError) as info:
        aihcalc.calculate("aih-simplified-score", inputs)
    assert info.value.field == "viral_hepatitis_excluded"


def test_text_inputs_from_a_form() -> None:
    text = {
        "ana_sma": "1:80-OR-MORE",
        "lkm": "Negative",
        "sla": "false",
        "igg": "20",
        "igg_uln": "16 g/L",
        "histology": " typical ",
        "viral_hepatitis_excluded": "yes",
    }
    assert aihcalc.calculate("aih-simplified-score", text).value == 8


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------

BAD_INPUTS = [
    ({"ana_sma": "1:160"}, "ana_sma"),
    ({"ana_sma": "positive"}, "ana_sma"),
    ({"ana_sma": True}, "ana_sma"),
    ({"lkm": "1:40"}, "lkm"),
    ({"sla": "maybe"}, "sla"),
    ({"igg": -1}, "igg"),
    ({"igg": 1600}, "igg"),  # mg/dL typed without its unit
    ({"igg": "16 g/dL"}, "igg"),
    ({"igg": math.nan}, "igg"),
    ({"igg": "1,6"}, "igg"),
    ({"igg_uln": 0}, "igg_uln"),
    ({"igg_uln": 51}, "igg_uln"),
    ({"igg_uln": "1600"}, "igg_uln"),
    ({"igg_uln": math.inf}, "igg_uln"),
    ({"histology": "probable"}, "histology"),
    ({"viral_hepatitis_excluded": "unknown"}, "viral_hepatitis_excluded"),
    ({"viral_hepatitis_excluded": None}, "viral_hepatitis_excluded"),
    ({"ama": "negative"}, "ama"),
]


@pytest.mark.parametrize(("change", "field"), BAD_INPUTS)
def test_bad_input_names_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as info:
        score(**change)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")


@pytest.mark.parametrize(("change", "label"), [({"igg": 80}, "IgG"), ({"igg_uln": 40}, "IgG upper limit")])
def test_plausibility_warning(change: dict[str, Any], label: str) -> None:
    assert any(w.startswith(label) and "usual range" in w for w in score(**change).warnings)


# ---------------------------------------------------------------------------------------------
# Declaration
# ---------------------------------------------------------------------------------------------


def test_declaration() -> None:
    calc = aihcalc.get("aih-simplified-score")
    assert [i.name for i in calc.inputs] == [
        "ana_sma",
        "lkm",
        "sla",
        "igg",
        "igg_uln",
        "histology",
        "viral_hepatitis_excluded",
    ]
    assert calc.input("ana_sma").choice_values == ("negative", "1:40", "1:80-or-more")
    assert calc.input("lkm").choice_values == ("negative", "1:40-or-more")
    assert calc.input("histology").choice_values == ("atypical", "compatible", "typical")
    assert calc.input("sla").kind == "boolean"
    assert calc.input("viral_hepatitis_excluded").kind == "boolean"
    assert calc.references == ("hennes2008",)
    text = (ROOT / "content" / "bibliography.yaml").read_text(encoding="utf-8")
    assert set(calc.references) <= set(re.findall(r"^([A-Za-z0-9_-]+):", text, flags=re.MULTILINE))
    result = calc.calculate(calc.example)
    assert set(result.outputs) == {o.name for o in calc.outputs}
    json.loads(result.to_json())
    json.dumps(calc.describe())
