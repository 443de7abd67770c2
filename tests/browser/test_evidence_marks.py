"""Figures tied to the evidence register, as a reader meets them in Chromium: the Verification
pending box lists exactly the page's unconfirmed entries, each tag leads to its row, and the
page's What changed list and dateModified come from its front-matter."""

from __future__ import annotations

import json
from typing import Any

import pytest

import aihcalc
from aihcalc import evidence
from hooks import frontmatter
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.browser

PAGE = "liver-scores"


def expected_pending(source: str) -> list[str]:
    """The page's unconfirmed entries, worked out here from its text and the calculators."""
    import re

    register = evidence.register()
    ids = re.findall(r"\[=([a-z0-9-]+)\]", source)
    by_id = {c.id: c for c in aihcalc.all_calculators()}
    for calc_id in re.findall(r"^/// calculator \| ([\w-]+)", source, flags=re.M):
        ids += list(by_id[calc_id].evidence)
    return [register[i].statement for i in dict.fromkeys(ids) if register[i].status != "confirmed"]


def test_the_box_lists_the_pages_unconfirmed_figures_and_tags_lead_to_their_rows(open_context: Any, base_url: str) -> None:
    source = (PROJECT_ROOT / "content" / f"{PAGE}.md").read_text(encoding="utf-8")
    pending = expected_pending(source)
    assert pending, "the page is expected to hold unconfirmed figures"
    context, record = open_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{base_url}/{PAGE}/")
    box = page.locator("details.aih-verification")
    assert f"Verification pending: {len(pending)} figures or statements" in box.locator("summary").inner_text()
    box.locator("summary").click()
    items = box.locator(".aih-verification__item").all_inner_texts()
    assert [item.split(":")[0] for item in items] == [p.split(":")[0] for p in pending]

    tag = page.locator("a.aih-ev").first
    assert tag.inner_text() in ("secondary source", "unverified", "confirmed")
    target = tag.get_attribute("href").split("#")[1]
    tag.click()
    # Material's instant navigation swaps the page in without a load event: wait for the row.
    page.wait_for_function(f"() => location.pathname.endsWith('/evidence/') && location.hash === '#{target}'")
    page.locator(f"tr#{target}").wait_for(state="visible")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert record.console_errors == []


def test_what_changed_and_date_modified_follow_the_front_matter(open_context: Any, base_url: str) -> None:
    front = frontmatter.parse((PROJECT_ROOT / "content" / f"{PAGE}.md").read_text(encoding="utf-8")).data
    changes = front["changes"]
    context, _ = open_context()
    page = context.new_page()
    page.goto(f"{base_url}/{PAGE}/")
    listed = page.locator(".aih-changes li").all_inner_texts()
    assert len(listed) == len(changes) and all(str(c["what"]) in " ".join(listed) for c in changes)
    data = json.loads(page.locator('script[type="application/ld+json"]').inner_text())
    newest = max([str(front["last_updated"])] + [str(c["date"]) for c in changes])
    assert data["dateModified"] == newest
