"""Audience blocks: rendered by Python-Markdown alone, and their checks."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import Path

import markdown
import pytest

import yaml

from hooks import audience, citations


def render(text: str) -> str:
    return markdown.markdown(text, extensions=[audience.AudienceExtension(), "tables"])


def test_blocks_render_as_open_labelled_folds_with_markdown_inside() -> None:
    html = render("Both.\n\n/// patient\nPlain *words*.\n///\n\n/// clinician\n| a |\n|---|\n| 1 |\n///\n")
    assert (
        '<details class="audience audience--patient audience--summary" data-audience-block="patient"'
        ' data-audience-fold="patient" open="open">\n<summary class="audience__label">For patients</summary>\n'
        "<p>Plain <em>words</em>.</p>\n</details>"
    ) in html
    assert '<details class="audience audience--clinician" data-audience-block="clinician" data-audience-fold="clinician" open="open">' in html
    assert '<summary class="audience__label">For clinicians</summary>\n<table>' in html
    assert html.startswith("<p>Both.</p>")


def test_only_a_first_patient_block_before_any_section_is_the_summary() -> None:
    html = render("# T\n\n/// patient\na\n///\n\n## S\n\n/// patient\nb\n///\n")
    assert html.count("audience--summary") == 1 and html.index("audience--summary") < html.index("<h2>")
    late = render("# T\n\n## S\n\n/// patient\nb\n///\n")
    assert "audience--summary" not in late and "audience--patient" in late


def test_team_fold_labels_what_only_the_clinical_team_uses() -> None:
    parent = etree.Element("div")
    box = audience.team_fold(parent, "calculator")
    assert box.tag == "details" and box.get("open") == "open" and box.get("data-audience-fold") == "team"
    assert box[0].tag == "summary" and box[0].text == "For your clinical team: calculator"


def test_the_extension_loads_by_module_name() -> None:
    html = markdown.markdown("/// patient\nx\n///", extensions=["hooks.audience"])
    assert "audience--patient" in html


def test_blocks_and_their_lines_skip_code() -> None:
    text = "/// patient\nx\n///\n\n```\n/// clinician\n```\n\n/// clinician\ny\n///"
    assert [(f.line, f.name) for f in audience.blocks(text)] == [(1, "patient"), (9, "clinician")]


@pytest.mark.parametrize(
    ("text", "listed", "expected"),
    [
        ("/// patient\nx\n///", ["clinician", "patient"], []),
        ("/// clinician\nx\n///", None, []),
        (
            "/// patient | For you\nx\n///",
            ["patient"],
            [(1, "error", "a patient block takes no title: write '/// patient' alone on its line (its label is always 'For patients')")],
        ),
        (
            "//// clinician\na\n\n/// patient\nb\n///\n////",
            ["clinician", "patient"],
            [(4, "error", "a patient block cannot sit inside a clinician block: close the clinician block (///) first")],
        ),
        (
            "/// note\n/// patient\nx\n///\n///",
            ["patient"],
            [],  # inside an admonition is fine
        ),
        (
            "# Title\n\nIntro.\n\n## Detail\n",
            ["clinician", "patient"],
            [(1, "error", "the audience lists patient but the page has no patient summary: add a '/// patient' block straight after the '# title' line that says in plain words, without doses or figures, what the page means for a patient (or take patient out of audience)")],
        ),
        (
            "# Title\n\n## Detail\n\n/// patient\nx\n///",
            ["clinician", "patient"],
            [(5, "error", "the page's first patient block comes after the section heading '## Detail', so the patient view does not open with it: move a plain-language summary ('/// patient' ... '///') up, straight after the '# title' line")],
        ),
        (
            "# Title\n\n```\n## not a heading\n```\n\n/// patient\nx\n///\n\n## Detail\n",
            ["patient"],
            [],  # code is not a section heading
        ),
        ("# Title\n\nIntro.\n", None, []),  # a clinician-only page needs no patient summary
        (
            "Intro.\n\n/// patient\nx\n///",
            None,
            [(3, "warning", "this page has text for patients but its front-matter audience does not list patient: add it (audience: [clinician, patient])")],
        ),
    ],
)
def test_find_problems(text: str, listed: list[str] | None, expected: list[tuple[int, str, str]]) -> None:
    assert [(p.line, p.level, p.message) for p in audience.find_problems(text, listed)] == expected


# A dose as written in running text: a number and mg or µg, not followed by a laboratory
# denominator (mg/dL, mg/L, mg/mmol are results, not doses).
DOSE = re.compile(r"\d\s*(?:mg|µg|mcg)\b(?!/(?:dL|L|mmol))")
CONTENT = Path(__file__).resolve().parent.parent / "content"


def doses_a_patient_reads(markdown_text: str) -> list[int]:
    """Lines with a dose outside any ``/// clinician`` block (calculators and tables fold anyway)."""
    open_blocks: list[str] = []
    lines = []
    for number, line in enumerate(citations.mask(markdown_text).split("\n"), start=1):
        match = citations.BLOCK_RE.match(line)
        if match:
            if match["name"]:
                open_blocks.append(match["name"])
            elif open_blocks:
                open_blocks.pop()
            continue
        if "clinician" not in open_blocks and DOSE.search(line):
            lines.append(number)
    return lines


def test_the_dose_scanner_finds_doses_and_skips_clinician_blocks_and_lab_units() -> None:
    text = "Give 30 mg/day.\n\n/// clinician\nThen 10 mg.\n///\n\nBilirubin 2 mg/dL.\n"
    assert doses_a_patient_reads(text) == [1]


def pages_for_patients() -> list[str]:
    pages = []
    for path in sorted(CONTENT.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---", 2)[1]) if text.startswith("---") else {}
        if "patient" in (meta.get("audience") or []) and "contributing" not in path.parts:
            pages.append(path.relative_to(CONTENT).as_posix())
    return pages


@pytest.mark.parametrize("page", pages_for_patients())
def test_in_the_patient_view_no_dose_is_left_unfolded(page: str) -> None:
    """Doses are for the clinical team: on a page for patients they sit in clinician blocks."""
    text = (CONTENT / page).read_text(encoding="utf-8")
    assert doses_a_patient_reads(text) == [], f"{page}: wrap these lines in a '/// clinician' block"


def test_pages_for_patients_are_found() -> None:
    assert "aih/first-line-treatment.md" in pages_for_patients() and len(pages_for_patients()) >= 10
