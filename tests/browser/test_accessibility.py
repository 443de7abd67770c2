"""axe-core on every kind of page, light and dark, with the calculators answering.

No serious or critical violation of WCAG 2.x A/AA (and axe's best practice) is allowed. Wide
tables scroll sideways at phone width, so a phone run covers the pages with schedules.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import surface

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "guideline with calculators": "/aih/first-line-treatment/",
    "scores": "/liver-scores/",
    "decision table": "/aih/second-line-therapy/",
    "calculators index": "/calculators/",
    "calculator reference": "/calculators/meld/",
    "editorial policy": "/editorial-policy/",
}
SCHEMES = {"light": "default", "dark": "slate"}
# At phone width the schedules and grids scroll sideways inside their boxes.
PHONE_PAGES = ["/calculators/prednisolone-taper/", "/calculators/steroid-conversion/", "/aih/children/"]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_serious_or_critical_violations(open_context: Any, base_url: str, path: str, scheme: str) -> None:
    context, _ = open_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(base_url + path)
    assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[scheme]
    surface.fill_examples(page)
    violations = surface.axe(page)
    assert not violations, f"{path} ({scheme}):\n{surface.describe(violations)}"


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_no_serious_or_critical_violations_on_a_phone(open_context: Any, base_url: str, path: str) -> None:
    context, _ = open_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(base_url + path)
    surface.fill_examples(page)
    violations = surface.axe(page)
    assert not violations, f"{path} (390 px):\n{surface.describe(violations)}"


def test_search_dialog_is_named_and_still_finds_pages(open_context: Any, base_url: str) -> None:
    context, _ = open_context()
    page = context.new_page()
    page.goto(base_url + "/")
    dialog = page.get_by_role("dialog", name="Search", include_hidden=True)
    assert dialog.count() == 1
    # The theme's search worker loads its index first (slow on a busy machine): wait until the
    # dialog stops saying "Initializing search", then search as a reader would, from the keyboard.
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function(
        "m => m && m.textContent.trim() !== '' && !m.textContent.includes('Initializing')",
        arg=meta.element_handle(),
        timeout=60_000,
    )
    page.keyboard.press("/")  # the theme's shortcut opens search
    page.keyboard.type("azathioprine")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=60_000)
    assert results.count() > 0
