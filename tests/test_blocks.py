"""hooks/blocks.py: the page blocks render with plain Python-Markdown, no MkDocs."""

from __future__ import annotations

import markdown

from hooks import blocks
from tests.conftest import PROJECT_ROOT

BIBLIOGRAPHY = PROJECT_ROOT / "content" / "bibliography.yaml"


def test_a_calculator_block_renders_with_plain_markdown() -> None:
    html = markdown.markdown("# Dose\n\n/// calculator | meld\n///\n", extensions=["hooks.blocks"])
    assert 'data-calculator="meld"' in html and "<form" in html
    assert 'class="aih-team"' in html  # folded in the patient view, as on the site


def test_the_bibliography_may_be_a_path() -> None:
    ext = blocks.PageBlocksExtension(bibliography=str(BIBLIOGRAPHY))
    html = markdown.markdown("/// calculator | meld\n///\n", extensions=[ext])
    assert "Kamath" in html or "kamath" in html.lower()


def test_audience_and_decision_table_blocks_render_too() -> None:
    text = "/// patient\nPlain words.\n///\n\n/// decision-table | child-pugh-class\n    try: false\n///\n"
    html = markdown.markdown(text, extensions=["hooks.blocks"])
    assert 'data-audience-block="patient"' in html and "<p>Plain words.</p>" in html
    assert 'id="dt-child-pugh-class"' in html
