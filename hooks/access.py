"""Keyboard and screen-reader reach into what the theme renders, fixed at build time.

- Tables written in Markdown can be wider than a phone and then scroll sideways (in the theme's
  ``.md-typeset__scrollwrap`` once its script has run, in the table itself without script). A
  region that scrolls must be reachable by keyboard, so each such table is a tab stop
  (``tabindex="0"``): focused, the arrow keys scroll it or the wrapper around it. It keeps its
  table role, so a screen reader still announces a table.
- The theme's search box is a ``role="dialog"`` with no name; ``name_search_dialog`` gives it one.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SEARCH_DIALOG_NAME = "Search"
# The opening tag of the theme's search box (partials/search.html), whatever its attribute order.
_SEARCH_BOX = re.compile(r'<div class="md-search"[^>]*>')


class FocusableTables(Treeprocessor):
    """Every plain Markdown table (no class: the ones the theme styles and wraps) is a tab stop."""

    def run(self, root: etree.Element) -> None:
        for table in root.iter("table"):
            if "class" not in table.attrib and "tabindex" not in table.attrib:
                table.set("tabindex", "0")


class FocusableTablesExtension(Extension):
    """Python-Markdown extension: ``FocusableTables`` after the table and attribute processors."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(FocusableTables(md), "aih_focusable_tables", 1)


def makeExtension(**kwargs: Any) -> FocusableTablesExtension:  # noqa: N802 (Python-Markdown's name)
    return FocusableTablesExtension(**kwargs)


def name_search_dialog(html: str) -> str:
    """Give the theme's search dialog an accessible name; a page without one is unchanged."""
    found = _SEARCH_BOX.search(html)
    if not found or 'role="dialog"' not in found.group(0) or "aria-label" in found.group(0):
        return html
    tag = found.group(0)[:-1] + f' aria-label="{SEARCH_DIALOG_NAME}">'
    return html[: found.start()] + tag + html[found.end() :]
