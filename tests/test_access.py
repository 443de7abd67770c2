"""Build-time reach fixes: Markdown tables are tab stops; the search dialog has a name."""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown

from hooks import access

TABLE = "| a | b |\n|---|---|\n| 1 | 2 |\n"


def render(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", access.FocusableTablesExtension()])


def test_a_markdown_table_is_a_tab_stop_and_stays_a_table() -> None:
    html = render("Text.\n\n" + TABLE)
    assert '<table tabindex="0">' in html
    assert "role=" not in html


def test_tables_inside_other_blocks_too() -> None:
    html = markdown.markdown(
        "- item\n\n    " + TABLE.replace("\n", "\n    "),
        extensions=["tables", access.FocusableTablesExtension()],
    )
    assert '<table tabindex="0">' in html


def test_a_table_with_a_class_or_its_own_tabindex_is_left_alone() -> None:
    root = etree.Element("div")
    styled = etree.SubElement(root, "table", {"class": "grid"})
    own = etree.SubElement(root, "table", {"tabindex": "-1"})
    plain = etree.SubElement(root, "table")
    access.FocusableTables(markdown.Markdown()).run(root)
    assert "tabindex" not in styled.attrib
    assert own.get("tabindex") == "-1"
    assert plain.get("tabindex") == "0"


def test_raw_html_tables_are_left_alone() -> None:
    html = render('<div markdown="0"><table><tr><td>1</td></tr></table></div>\n')
    assert "tabindex" not in html


def test_the_extension_loads_by_module_name() -> None:
    assert 'tabindex="0"' in markdown.markdown(TABLE, extensions=["tables", "hooks.access"])


SEARCH = (
    '<header><div class="md-search" data-md-component="search" role="dialog">'
    '<div class="md-search__inner" role="search"></div></div></header>'
)


def test_the_search_dialog_gets_a_name() -> None:
    html = access.name_search_dialog(SEARCH)
    assert '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">' in html
    assert html.replace(' aria-label="Search"', "") == SEARCH


def test_naming_is_idempotent_and_leaves_other_pages_alone() -> None:
    once = access.name_search_dialog(SEARCH)
    assert access.name_search_dialog(once) == once
    assert access.name_search_dialog("<p>No search here.</p>") == "<p>No search here.</p>"
    labelled = SEARCH.replace('role="dialog"', 'role="dialog" aria-labelledby="x"')
    assert access.name_search_dialog(labelled) == labelled


def test_any_attribute_order() -> None:
    html = access.name_search_dialog('<div class="md-search" role="dialog" data-md-component="search">')
    assert html == '<div class="md-search" role="dialog" data-md-component="search" aria-label="Search">'
