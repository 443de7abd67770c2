"""The Clinician / Patient switch in real headless Chromium, on a page with calculators.

The patient view opens with the page's plain-language summary and folds away (closes, keeps)
what is for the clinical team; the clinician view folds the patient boxes; the choice survives
a reload; with JavaScript off every box is open and labelled.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

PATH = "/aih/first-line-treatment/"


def is_open(box: Any) -> bool:
    return bool(box.evaluate("e => e.open"))


def summary_follows_title(page: Any) -> bool:
    return bool(page.evaluate("() => document.querySelector('article h1').nextElementSibling.matches('details.audience--summary')"))


def test_patient_view_opens_with_the_summary_and_folds_the_calculators(open_context: Any, base_url: str) -> None:
    context, record = open_context()
    page = context.new_page()
    page.goto(base_url + PATH)
    switch = page.locator("[data-audience-switch]")
    switch.wait_for(state="visible")
    assert switch.locator("legend").is_visible() and switch.locator("legend").text_content() == "Which best describes you?"
    summary = page.locator("details.audience--summary")
    calculators = page.locator("details.aih-team")
    assert summary.count() == 1 and calculators.count() >= 1
    assert is_open(summary) and all(is_open(c) for c in calculators.all()), "before a choice, everything is open"

    switch.get_by_label("Patient").check()
    assert page.evaluate("() => document.documentElement.dataset.audience") == "patient"
    assert summary_follows_title(page) and is_open(summary) and summary.locator("p").first.is_visible()
    assert summary.locator(":scope > summary").text_content() == "For patients"
    for box in calculators.all():
        assert not is_open(box), "a calculator is folded in the patient view"
        assert box.locator(":scope > summary").is_visible()
        assert box.locator(":scope > summary").text_content() == "For your clinical team: calculator"
        assert not box.locator(".aihcalc-widget").is_visible()
    clinician = page.locator("details.audience--clinician")
    assert clinician.count() >= 1 and not any(is_open(b) for b in clinician.all())
    status = switch.locator("[role=status]")
    assert "Patient view" in (status.text_content() or "")
    assert status.get_attribute("aria-live") == "polite"

    first = calculators.first  # folded, not gone: the reader can still open it
    first.locator(":scope > summary").click()
    assert is_open(first) and first.locator(".aihcalc-widget").is_visible()
    screenshot(page, "audience-patient")

    switch.get_by_label("Clinician").focus()
    page.keyboard.press("Space")
    assert switch.get_by_label("Clinician").is_checked()
    assert not is_open(summary) and summary.locator(":scope > summary").is_visible(), "folded, still labelled"
    assert not summary.locator("p").first.is_visible()
    assert all(is_open(c) for c in calculators.all()) and all(is_open(b) for b in clinician.all())
    assert calculators.first.locator(".aihcalc-widget").is_visible()
    assert "Clinician view" in (status.text_content() or "")

    page.reload()
    switch.wait_for(state="visible")
    assert switch.get_by_label("Clinician").is_checked()
    assert page.evaluate("() => localStorage.getItem('aih-audience')") == "clinician"
    summary = page.locator("details.audience--summary")
    assert not is_open(summary) and is_open(page.locator("details.aih-team").first)
    screenshot(page, "audience-clinician")
    assert record.console_errors == []


def test_the_view_survives_instant_navigation(open_context: Any, base_url: str) -> None:
    context, _ = open_context()
    page = context.new_page()
    page.goto(base_url + "/aih/budesonide/")
    switch = page.locator("[data-audience-switch]")
    switch.wait_for(state="visible")
    switch.get_by_label("Patient").check()
    tables = page.locator("details.aih-team:has(.aihdt-block)")
    assert tables.count() >= 1 and not is_open(tables.first)
    assert tables.first.locator(":scope > summary").text_content() == "For your clinical team: decision table"
    page.evaluate("() => { window.__same = true; }")
    page.locator("article a[href$='first-line-treatment/']").first.click()
    page.wait_for_url("**" + PATH)
    page.locator("article h1").wait_for()
    assert page.evaluate("() => window.__same === true"), "Material's instant navigation kept the page"
    page.locator("[data-audience-switch][data-bound]").wait_for(state="visible")
    assert page.locator("[data-audience-switch]").get_by_label("Patient").is_checked()
    assert summary_follows_title(page) and is_open(page.locator("details.audience--summary"))
    assert not is_open(page.locator("details.aih-team").first)


def test_with_javascript_off_everything_is_open_and_labelled(open_context: Any, base_url: str) -> None:
    context, _ = open_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + PATH)
    assert not page.locator("[data-audience-switch]").is_visible(), "a switch that cannot work stays hidden"
    assert summary_follows_title(page)
    boxes = page.locator("details[data-audience-fold]")
    assert boxes.count() >= 5
    for box in boxes.all():
        assert is_open(box)
        label = box.locator(":scope > summary")
        assert label.is_visible() and (label.text_content() or "").startswith("For ")
    assert page.locator("details.audience--summary p").first.is_visible()
    assert page.locator(".aihcalc-widget").first.is_visible()
    assert page.locator("details.audience--clinician p").first.is_visible()
    screenshot(page, "audience-nojs")
