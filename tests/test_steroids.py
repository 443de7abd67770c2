"""Glucocorticoid conversion: the equivalence table, rounding, budesonide, warnings, bad input.

Expected values are the equivalence table in the evidence register (evidence: steroid-equivalents) (hydrocortisone 20 mg =
cortisone 25 = prednisone 5 = prednisolone 5 = methylprednisolone 4 = triamcinolone 4 =
dexamethasone 0.75 = betamethasone 0.75), applied by hand in each comment.
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
TABLE_MG = {
    "hydrocortisone": 20,
    "cortisone": 25,
    "prednisone": 5,
    "prednisolone": 5,
    "methylprednisolone": 4,
    "triamcinolone": 4,
    "dexamethasone": 0.75,
    "betamethasone": 0.75,
}


def convert(from_drug: str, dose: Any, to_drug: str) -> aihcalc.Result:
    return aihcalc.calculate(
        "steroid-conversion", {"from_drug": from_drug, "dose_mg": dose, "to_drug": to_drug}
    )


def test_the_table_is_the_fact_sheets() -> None:
    from aihcalc.calculators import steroid_conversion as steroids

    assert {k: float(v) for k, v in steroids.EQUIVALENT_MG.items()} == TABLE_MG
    assert steroids.NO_EQUIVALENCE == ("budesonide",)


@pytest.mark.parametrize("a", list(TABLE_MG))
@pytest.mark.parametrize("b", list(TABLE_MG))
def test_every_table_entry_converts_to_every_other(a: str, b: str) -> None:
    """The equivalent dose of A gives exactly the equivalent dose of B, for all 64 pairs."""
    result = convert(a, TABLE_MG[a], b)
    assert result.value == TABLE_MG[b]
    assert result.outputs["status"] == "converted"
    assert result.outputs["prednisolone_equivalent_mg"] == 5


CASES = [
    # (from, dose, to, reported, exact to 4 decimals)
    ("prednisolone", 40, "methylprednisolone", 32, 32),  # 40 × 4 / 5
    ("prednisolone", 40, "dexamethasone", 6, 6),  # 40 × 0.75 / 5
    ("prednisolone", 40, "hydrocortisone", 160, 160),  # 40 × 20 / 5
    ("prednisolone", 40, "cortisone", 200, 200),  # 40 × 25 / 5
    ("prednisolone", 30, "prednisone", 30, 30),
    ("hydrocortisone", 100, "prednisolone", 25, 25),  # 100 × 5 / 20
    ("hydrocortisone", 30, "prednisolone", 7.5, 7.5),
    ("methylprednisolone", 1000, "prednisolone", 1250, 1250),  # 1000 × 5 / 4
    ("methylprednisolone", 500, "dexamethasone", 93.75, 93.75),  # 500 × 0.75 / 4
    # 2.5 × 0.75 / 5 = 0.375 → 0.38 (half up)
    ("prednisolone", 2.5, "dexamethasone", 0.38, 0.375),
    # 4 × 5 / 0.75 = 26.666… → 26.67
    ("dexamethasone", 4, "prednisolone", 26.67, 26.6667),
    # 1 × 4 / 25 = 0.16
    ("cortisone", 1, "triamcinolone", 0.16, 0.16),
    # 0.5 × 25 / 0.75 = 16.666… → 16.67
    ("betamethasone", 0.5, "cortisone", 16.67, 16.6667),
    # 7 × 0.75 / 20 = 0.2625 → 0.26
    ("hydrocortisone", 7, "betamethasone", 0.26, 0.2625),
    ("prednisolone", 0, "dexamethasone", 0, 0),
    ("triamcinolone", 12.5, "triamcinolone", 12.5, 12.5),
]


@pytest.mark.parametrize(("a", "dose", "b", "reported", "exact"), CASES)
def test_conversions(a: str, dose: float, b: str, reported: float, exact: float) -> None:
    result = convert(a, dose, b)
    assert result.value == reported
    assert type(result.value) is float
    assert result.outputs["exact_mg"] == exact
    assert result.outputs["ratio"] == round(TABLE_MG[b] / TABLE_MG[a], 4)


def test_working_shows_dose_times_ratio() -> None:
    result = convert("prednisolone", 2.5, "dexamethasone")
    assert result.working == [
        "Equivalent anti-inflammatory doses [neurooncol2015]: hydrocortisone "
        "20 mg = cortisone 25 mg = prednisone 5 mg = prednisolone 5 mg = methylprednisolone "
        "4 mg = triamcinolone 4 mg = dexamethasone 0.75 mg = betamethasone 0.75 mg.",
        "Prednisolone 5 mg = dexamethasone 0.75 mg.",
        "2.5 mg × 0.75 / 5 = 0.375 mg dexamethasone; reported to 0.01 mg: 0.38 mg.",
    ]
    assert result.display["value"] == "0.38 mg"
    assert result.display["exact_mg"] == "0.375 mg"
    assert result.warnings == []


def test_equivalents_table_lists_every_drug() -> None:
    result = convert("prednisolone", 20, "methylprednisolone")
    assert result.outputs["equivalents"] == [
        {"drug": "Hydrocortisone", "dose_mg": 80.0},
        {"drug": "Cortisone", "dose_mg": 100.0},
        {"drug": "Prednisone", "dose_mg": 20.0},
        {"drug": "Prednisolone", "dose_mg": 20.0},
        {"drug": "Methylprednisolone", "dose_mg": 16.0},
        {"drug": "Triamcinolone", "dose_mg": 16.0},
        {"drug": "Dexamethasone", "dose_mg": 3.0},
        {"drug": "Betamethasone", "dose_mg": 3.0},
    ]


# ---------------------------------------------------------------------------------------------
# Budesonide: refused with the reason
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "role"),
    [
        ("budesonide", "prednisolone", "from"),
        ("prednisolone", "budesonide", "to"),
        ("budesonide", "budesonide", "from and to"),
    ],
)
def test_budesonide_is_refused_with_the_reason(a: str, b: str, role: str) -> None:
    result = convert(a, 9, b)
    assert result.value is None
    assert result.outputs["status"] == "no-valid-conversion"
    reason = result.outputs["reason"]
    assert "first-pass metabolism" in reason
    assert "geier2003" in reason and "neurooncol2015" in reason
    assert "3 mg three times daily" in reason and "manns2010budesonide" in reason
    assert result.outputs["exact_mg"] is None and result.outputs["ratio"] is None
    assert any(w.startswith("No conversion: Budesonide has no valid dose equivalence") for w in result.warnings)
    assert f"Budesonide chosen as the drug to convert {role}: no equivalent dose is given." in result.working
    assert result.display["value"] == "no valid conversion"
    json.loads(result.to_json())


def test_budesonide_target_still_gives_the_prednisolone_equivalent_of_the_source() -> None:
    result = convert("prednisolone", 10, "budesonide")
    assert result.value is None
    assert result.outputs["prednisolone_equivalent_mg"] == 10
    assert len(result.outputs["equivalents"]) == 8
    assert convert("budesonide", 9, "prednisolone").outputs["equivalents"] == []


def test_budesonide_is_a_choice_in_both_directions() -> None:
    calc = aihcalc.get("steroid-conversion")
    for name in ("from_drug", "to_drug"):
        assert calc.input(name).choice_values == tuple(TABLE_MG) + ("budesonide",)


# ---------------------------------------------------------------------------------------------
# Very high doses: a warning on the prednisolone-equivalent dose
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "dose", "warns"),
    [
        ("prednisolone", 250, False),
        ("prednisolone", 250.5, True),
        ("methylprednisolone", 200, False),  # 250 mg prednisolone-equivalent
        ("methylprednisolone", 201, True),
        ("methylprednisolone", 1000, True),
        ("hydrocortisone", 1000, False),  # 250
        ("hydrocortisone", 1001, True),
        ("dexamethasone", 37.5, False),  # 250
        ("dexamethasone", 40, True),  # 266.67
        ("dexamethasone", 750, True),  # micrograms typed as mg
    ],
)
def test_high_dose_warning(a: str, dose: float, warns: bool) -> None:
    result = convert(a, dose, "prednisolone")
    assert any("prednisolone-equivalent, above 250 mg" in w for w in result.warnings) is warns


def test_high_dose_warning_text() -> None:
    result = convert("dexamethasone", 40, "methylprednisolone")
    assert result.warnings == [
        "40 mg dexamethasone is 266.67 mg prednisolone-equivalent, above 250 mg: check the dose, "
        "its unit (mg, not micrograms) and whether it is one dose or a daily total."
    ]
    assert result.value == 213.33  # 40 × 4 / 0.75 = 213.333…


# ---------------------------------------------------------------------------------------------
# Notes, fallback, bad input, declaration
# ---------------------------------------------------------------------------------------------


def test_notes() -> None:
    notes = " ".join(aihcalc.get("steroid-conversion").notes)
    assert "glucocorticoid (anti-inflammatory) potency only" in notes
    assert "Mineralocorticoid activity" in notes
    assert "first-pass" in notes
    assert "0.04" in notes and "0.8 mg" in notes  # the source caveat on dexamethasone


def test_fallback_grid_is_prednisolone_to_each_drug() -> None:
    from hooks.widgets import fallback

    calc = aihcalc.get("steroid-conversion")
    grid = fallback(calc)
    assert grid.kind == "grid"
    assert grid.column_heads == ["5 mg", "10 mg", "20 mg", "30 mg", "40 mg", "60 mg"]
    rows = dict(grid.rows)
    assert rows["Methylprednisolone"] == ["4 mg", "8 mg", "16 mg", "24 mg", "32 mg", "48 mg"]
    assert rows["Dexamethasone"] == ["0.75 mg", "1.5 mg", "3 mg", "4.5 mg", "6 mg", "9 mg"]
    assert rows["Hydrocortisone"] == ["20 mg", "40 mg", "80 mg", "120 mg", "160 mg", "240 mg"]
    assert rows["Budesonide (no valid conversion)"] == ["no valid conversion"] * 6
    assert "Prednisolone" in grid.caption


BAD_INPUTS = [
    ({"from_drug": "fludrocortisone"}, "from_drug"),
    ({"from_drug": "pred"}, "from_drug"),
    ({"to_drug": "deflazacort"}, "to_drug"),
    ({"to_drug": True}, "to_drug"),
    ({"dose_mg": -1}, "dose_mg"),
    ({"dose_mg": 2001}, "dose_mg"),
    ({"dose_mg": "5 g"}, "dose_mg"),
    ({"dose_mg": "750 µg"}, "dose_mg"),
    ({"dose_mg": math.nan}, "dose_mg"),
    ({"dose_mg": "nan"}, "dose_mg"),
    ({"dose_mg": "2,5"}, "dose_mg"),
    ({"dose_mg": None}, "dose_mg"),
    ({"dose": 5}, "dose"),
]


@pytest.mark.parametrize(("change", "field"), BAD_INPUTS)
def test_bad_input_names_the_field(change: dict[str, Any], field: str) -> None:
    base = {"from_drug": "prednisolone", "dose_mg": 40, "to_drug": "dexamethasone"}
    with pytest.raises(InputError) as info:
        aihcalc.calculate("steroid-conversion", base | change)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")


def test_text_inputs_from_a_form() -> None:
    assert convert("Prednisolone", "40 mg", "DEXAMETHASONE").value == 6


def test_declaration() -> None:
    calc = aihcalc.get("steroid-conversion")
    assert [i.name for i in calc.inputs] == ["from_drug", "dose_mg", "to_drug"]
    assert calc.input("dose_mg").allowed == (0, 2000)
    assert calc.title and calc.summary and calc.example and calc.notes
    result = calc.calculate(calc.example)
    assert result.value == 32
    assert set(result.outputs) == {o.name for o in calc.outputs}
    assert result.warnings == []
    json.loads(result.to_json())
    json.dumps(calc.describe())


def test_references_are_in_the_bibliography() -> None:
    """Fails until the lead adds neurooncol2015 and geier2003."""
    text = (ROOT / "content" / "bibliography.yaml").read_text(encoding="utf-8")
    keys = set(re.findall(r"^([A-Za-z0-9_-]+):", text, flags=re.MULTILINE))
    assert set(aihcalc.get("steroid-conversion").references) <= keys


def test_the_status_reads_in_words_while_the_json_keeps_its_value() -> None:
    calc = aihcalc.get("steroid-conversion")
    converted = calc.calculate(dict(calc.example))
    assert (converted.outputs["status"], converted.display["status"]) == ("converted", "Converted")
    refused = calc.calculate({**calc.example, "from_drug": "budesonide"})
    assert (refused.outputs["status"], refused.display["status"]) == ("no-valid-conversion", "No valid conversion")
    assert all("-" not in out.label.split("(", 1)[-1] or "(" not in out.label for out in calc.outputs)
