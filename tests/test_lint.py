"""Lint: a figure (dose, percentage, threshold, duration, score value, coefficient) needs a
citation in its paragraph, list item or table; without one it is an error."""

from __future__ import annotations

import pytest

from hooks import lint


def warnings(text: str) -> list[tuple[int, str]]:
    found = lint.lint(text)
    assert all(p.level == "error" for p in found)
    return [(p.line, p.message.split("'")[1]) for p in found]


@pytest.mark.parametrize(
    "figure",
    [
        "30 mg", "30 mg/day", "7.5 mg/d", "1–2 mg/kg/day", "1-2 mg/kg", "0.075 mg/kg", "3 g/day", "1 g",
        "80%", "50 %", "30–80 %", "0.6-1.0 ng/mL", "16 g/L", "3.5 g/dL", "34 µmol/L", "125 mmol/L", "40 U/L",
        "2 × ULN", "1.1x ULN", "10 times the ULN", "3 times upper limit of normal", "> 15", "≥4", "<50", "≤ 3",
        "&lt;2", "25 mcg", "5 mg/m2",
        "2 weeks", "6 months", "1 year", "2 points", "score of 7", "MELD 15", "0.957", "6–40",
    ],
)
def test_an_uncited_figure_is_a_warning_at_its_line(figure: str) -> None:
    assert warnings(f"# Title\n\nIntro.\n\nThe value is {figure} here.\n") == [(5, " ".join(figure.split()))]


@pytest.mark.parametrize(
    "text",
    [
        "The value is 30 mg [@a].",
        "The value is 30 mg.\nA second line of the paragraph cites it [@a].",
        "A 70 kg adult, aged 45 years.",  # weight and age are not doses
        "Grade 3 encephalopathy, class B.",
        "MELD 3.0 adds albumin.",  # a score's name, not a value
        "The score was 1 -> 2 after treatment.",  # an arrow is not a comparison
        "Version 2.0 of the guideline.",
        "`30 mg` written as code",
        "```\n30 mg\n```",
        "<!-- 30 mg -->",
        "/// calculator | meld\n30 mg\n///",
        "/// decision-table\ndose: 30 mg\n///",
        "## Starting at 30 mg/day",  # headings state the topic; the text below carries the source
        "Table: [@a]\n\n| Dose |\n|---|\n| 30 mg |",
        "| Dose |\n|---|\n| 30 mg |\n\nDoses from the trial protocol [@a].",
    ],
)
def test_no_warning(text: str) -> None:
    assert warnings(text) == []


def test_one_warning_per_paragraph_counting_the_rest() -> None:
    found = lint.lint("Start 30 mg/day; taper to 10 mg/day;\nthen 5 mg/day.\n")
    assert [(p.line, p.message) for p in found] == [
        (1, "'30 mg/day' (and 2 more) states a figure (a dose, percentage, threshold, duration or score), but its paragraph cites no source: add a citation such as [@key], or an evidence mark such as [=entry-id]")
    ]


def test_each_list_item_needs_its_own_citation() -> None:
    text = "Regimen [@a]:\n\n- start 30 mg/day [@a]\n- taper to 10 mg/day\n  over 4 weeks\n- then stop"
    assert [(p.line, p.message) for p in lint.lint(text)] == [
        (4, "'10 mg/day' (and 1 more) states a figure (a dose, percentage, threshold, duration or score), but its list item cites no source: add a citation such as [@key], or an evidence mark such as [=entry-id]")
    ]


def test_a_table_without_a_source_nearby() -> None:
    text = "## Doses\n\n| Drug | Dose |\n|---|---|\n| A | 30 mg |\n| B | 80% |\n\n## Next\n\nCited [@a]."
    assert [(p.line, p.message) for p in lint.lint(text)] == [
        (5, "'30 mg' (and 1 more) states a figure (a dose, percentage, threshold, duration or score), but neither this table nor the paragraph just before or after it cites a source: add a citation such as [@key], or an evidence mark such as [=entry-id]")
    ]


def test_a_heading_separates_a_table_from_the_paragraph_before_it() -> None:
    text = "Cited [@a].\n\n## Doses\n\n| Dose |\n|---|\n| 30 mg |\n"
    assert warnings(text) == [(7, "30 mg")]


def test_text_in_audience_blocks_and_admonitions_is_linted() -> None:
    text = "/// patient\nYou will take 30 mg a day.\n///\n\n!!! note\n    Keep above 50 %.\n"
    assert warnings(text) == [(2, "30 mg"), (6, "50 %")]


def test_units_split_paragraphs_items_tables_and_headings() -> None:
    kinds = [u.kind if u else None for u in lint.units("p1\np1\n\n- i1\n- i2\n\n| t |\n|---|\n## H\np2\n/// note\np3\n///")]
    assert kinds == ["para", "item", "item", "table", None, "para", "para"]
