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


def test_the_bibliography_path_is_read_when_a_block_needs_it(tmp_path) -> None:
    """Listing the extension costs nothing: MkDocs builds it while validating mkdocs.yml."""
    missing = tmp_path / "nowhere.yaml"
    markdown.markdown("No blocks here.", extensions=[blocks.PageBlocksExtension(bibliography=str(missing))])
    try:
        markdown.markdown("/// calculator | meld\n///\n", extensions=[blocks.PageBlocksExtension(bibliography=str(missing))])
    except FileNotFoundError as exc:
        assert "nowhere.yaml" in str(exc)
    else:
        raise AssertionError("a calculator block read a bibliography that does not exist")


def test_mkdocs_yml_lists_the_site_extensions_by_name() -> None:
    """The extensions are in mkdocs.yml, not added by the hook, so any tool reading it runs them."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    config = yaml.load((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    listed = {next(iter(item)) if isinstance(item, dict) else item: item for item in config["markdown_extensions"]}
    assert "hooks.access" in listed
    options = listed["hooks.blocks"]["hooks.blocks"]
    assert (PROJECT_ROOT / options["bibliography"]).resolve() == BIBLIOGRAPHY.resolve()
    configs = {"hooks.blocks": {"bibliography": str(PROJECT_ROOT / options["bibliography"])}}
    html = markdown.markdown("/// calculator | meld\n///\n", extensions=list(listed), extension_configs=configs)
    assert 'data-calculator="meld"' in html and "Kamath" in html
