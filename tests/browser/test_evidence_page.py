"""The evidence page in real Chromium: the status filter works by keyboard and without
JavaScript, a link to a figure lands on its row, and a phone shows it without sideways scroll."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from aihcalc import evidence
from tests.browser import surface
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

URL = "/evidence/"
COUNTS = Counter(entry.status for entry in evidence.register().values())
ROWS = ".aih-evidence__table tbody tr"


def visible_rows(page: Any) -> list[str]:
    """The statuses of the rows a reader can see."""
    return page.eval_on_selector_all(ROWS, "rows => rows.filter(r => r.getClientRects().length).map(r => r.dataset.status)")


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_choosing_a_status_shows_only_its_rows(open_context: Any, base_url: str, javascript: bool) -> None:
    context, record = open_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(base_url + URL)
    assert len(visible_rows(page)) == sum(COUNTS.values())  # "All" is chosen at first
    page.get_by_label(f"{evidence.STATUS_WORDS['unverified']} ({COUNTS['unverified']})").check()
    assert visible_rows(page) == ["unverified"] * COUNTS["unverified"]
    page.get_by_label("All figures").check()
    assert len(visible_rows(page)) == sum(COUNTS.values())
    assert record.console_errors == []


def test_the_filter_is_one_keyboard_stop_moved_by_the_arrow_keys(open_context: Any, base_url: str) -> None:
    context, _ = open_context()
    page = context.new_page()
    page.goto(base_url + URL)
    page.get_by_label("All figures").focus()
    page.keyboard.press("ArrowRight")  # the next status in the group: Confirmed
    assert page.evaluate("() => document.activeElement.value") == evidence.STATUSES[0]
    assert visible_rows(page) == [evidence.STATUSES[0]] * COUNTS[evidence.STATUSES[0]]
    page.keyboard.press("Tab")  # on to the table's scroll box
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "region"


def test_a_link_to_a_figure_lands_on_its_row(open_context: Any, base_url: str) -> None:
    entry_id = next(iter(evidence.register()))
    context, _ = open_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{base_url}{URL}#{entry_id}")
    row = page.locator(f"tr#{entry_id}")
    assert row.is_visible()
    assert page.evaluate("() => document.querySelector(':target')?.id") == entry_id
    box = row.bounding_box()
    assert box is not None and 0 <= box["y"] < 800


@pytest.mark.parametrize("width", [360, 390])
def test_nothing_reaches_past_the_edge_of_a_phone(open_context: Any, base_url: str, width: int) -> None:
    context, record = open_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(base_url + URL)
    screenshot(page, f"phone-{width}-evidence")
    assert surface.sideways(page) == 0, surface.sticking_out(page)
    assert record.console_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_or_critical_accessibility_violations(open_context: Any, base_url: str, scheme: str) -> None:
    context, _ = open_context(viewport={"width": 390, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.goto(base_url + URL)
    violations = surface.axe(page)
    assert not violations, f"{scheme}:\n{surface.describe(violations)}"
