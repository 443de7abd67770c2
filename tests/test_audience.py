"""Audience blocks: rendered by Python-Markdown alone, and their checks."""

from __future__ import annotations

import markdown
import pytest

from hooks import audience


def render(text: str) -> str:
    return markdown.markdown(text, extensions=[audience.AudienceExtension(), "tables"])


def test_blocks_render_labelled_with_markdown_inside() -> None:
    html = render("Both.\n\n/// patient\nPlain *words*.\n///\n\n/// clinician\n| a |\n|---|\n| 1 |\n///\n")
    assert '<div class="audience audience--patient" data-audience-block="patient">' in html
    assert '<p class="audience__label">For patients</p>\n<p>Plain <em>words</em>.</p>' in html
    assert '<div class="audience audience--clinician" data-audience-block="clinician">' in html
    assert "<table>" in html
    assert html.startswith("<p>Both.</p>")


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
            "Intro.\n\n/// patient\nx\n///",
            None,
            [(3, "warning", "this page has text for patients but its front-matter audience does not list patient: add it (audience: [clinician, patient])")],
        ),
    ],
)
def test_find_problems(text: str, listed: list[str] | None, expected: list[tuple[int, str, str]]) -> None:
    assert [(p.line, p.level, p.message) for p in audience.find_problems(text, listed)] == expected
