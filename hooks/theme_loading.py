"""The theme's scripts, run after the page is shown and, on a calculator page, after Python's
first answer.

The theme (Material for MkDocs) ends each page with ordinary script tags: its bundle, then the
site's page scripts (mkdocs.yml's ``extra_javascript``). Ordinary tags hold up
DOMContentLoaded, and the bundle's start-up work (some 200 ms of main-thread time on a small
machine) competes with Python's boot for the device's cores. ``defer`` replaces those tags with
one async ``assets/aihcalc/theme-loader.js`` that runs them, in the same order, once the first
answer is shown (or on the reader's first touch or key, or after a few seconds). Without
JavaScript nothing changes: the tags did nothing then either.
"""

from __future__ import annotations

import html
import json
import re

LOADER = "theme-loader.js"
# The run of plain script tags that ends the body, the theme's bundle first.
_TAIL = re.compile(r'(?P<tags>(?:\s*<script src="[^"]+"></script>)+)\s*</body>')
_SRC = re.compile(r'<script src="([^"]+)"></script>')


class ThemeMarkupChanged(ValueError):
    """The page does not end as the theme's template did when this module was written."""


def defer(page_html: str, loader_url: str) -> str:
    """``page_html`` with its closing script tags handed to the loader at ``loader_url``."""
    found = _TAIL.search(page_html)
    if not found:
        raise ThemeMarkupChanged("no script tags before </body>: the theme's template has changed")
    sources = _SRC.findall(found.group("tags"))
    if "/javascripts/bundle." not in sources[0]:
        raise ThemeMarkupChanged(f"the first closing script is {sources[0]}, not the theme's bundle")
    tag = f'\n<script src="{loader_url}" async data-scripts="{html.escape(json.dumps(sources))}"></script>'
    return page_html[: found.start("tags")] + tag + page_html[found.end("tags") :]
