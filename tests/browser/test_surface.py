"""The clinician's surface in real Chromium: a phone, a printout, the keyboard, a screen reader,
a slow link. Screenshots of what was checked land in artifacts/."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any

import pytest

import aihcalc
from tests.browser import surface
from tests.browser.conftest import screenshot
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.browser

# One page of each kind that holds answers: guideline pages with dose calculators and with
# scores, a generated reference page with a wide table, and the children's page.
PHONE_PAGES = [
    "/aih/first-line-treatment/",
    "/liver-scores/",
    "/calculators/steroid-conversion/",
    "/calculators/prednisolone-taper/",
    "/aih/response-and-monitoring/",
    "/aih/children/",
]


def open_filled(open_context: Any, url: str, width: int) -> tuple[Any, Any]:
    context, record = open_context(viewport={"width": width, "height": 800})
    context.add_init_script("window.print = () => { window.aihcalcPrinted = (window.aihcalcPrinted || 0) + 1; }")
    page = context.new_page()
    page.goto(url)
    surface.fill_examples(page)
    return page, record


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_nothing_reaches_past_the_edge_of_a_phone(open_context: Any, base_url: str, path: str) -> None:
    page, record = open_filled(open_context, base_url + path, width=360)
    screenshot(page, "phone-360" + path.rstrip("/").replace("/", "-"))
    assert surface.sideways(page) == 0, surface.sticking_out(page)
    assert record.console_errors == []


def test_the_answer_comes_first_and_intermediate_values_fold_under_details(open_context: Any, base_url: str) -> None:
    page, _ = open_filled(open_context, base_url + "/liver-scores/", width=390)
    section = page.locator("#calc-meld")
    value = section.locator('output[data-output="value"]')
    surface.look_at(value)
    assert value.is_visible() and value.inner_text() == aihcalc.get("meld").calculate(dict(aihcalc.get("meld").example)).display["value"]
    details = section.locator("details.aihcalc__details")
    hidden = details.locator('output[data-output="meld_i_unrounded"]')
    assert not hidden.is_visible(), "intermediate values wait under Details"
    assert details.locator("summary").inner_text().startswith("Details (5 more values)")
    # The answer sits above the folded details on the page.
    assert value.bounding_box()["y"] < details.bounding_box()["y"]
    details.locator("summary").click()
    assert hidden.is_visible() and hidden.inner_text() not in ("", "—")


def test_a_wide_schedule_scrolls_in_its_own_box_which_the_keyboard_reaches(open_context: Any, base_url: str) -> None:
    page, _ = open_filled(open_context, base_url + "/calculators/prednisolone-taper/", width=360)
    box = page.locator('form[data-calculator="prednisolone-taper"] [data-table="value"]')
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    assert "Prednisolone schedule" in (box.get_attribute("aria-label") or "")
    widths = box.evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert widths[0] >= widths[1]
    box.focus()
    assert page.evaluate("() => document.activeElement.dataset.table") == "value"


def test_print_button_gives_the_schedule_with_its_context_on_few_pages(open_context: Any, base_url: str) -> None:
    page, _ = open_filled(open_context, base_url + surface.PRINT_PAGE, width=1280)
    pdf = surface.print_pdf(page, button=True)
    pages, blank, text = surface.pdf_pages(pdf)
    screenshot(page, "print-button-prednisolone-taper")
    assert blank == 0, f"{blank} blank pages of {pages}"
    assert pages <= 3, f"the schedule printed on {pages} pages"
    assert surface.print_context_missing(text) == []
    assert "Check before use" in text
    assert "Start date" in text and "Mon 5 Jan 2026" in text  # the input, in words
    assert "Draft" in text  # the page's review status
    assert "aihcalc " + aihcalc.__version__ in text
    assert base_url + surface.PRINT_PAGE in text.replace("\n", "")
    for other in (aihcalc.get("azathioprine-dose").title, "Related questions", "Professional disclaimer"):
        assert other not in text, f"{other!r} is not part of the printed schedule"
    # Printing leaves the page as it was once the dialog closes.
    page.emulate_media(media="screen")
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert page.locator(".aihcalc-printout").count() == 0
    assert page.evaluate("() => document.documentElement.dataset.aihcalcPrint === undefined")


def test_the_browsers_own_print_gives_the_page_with_each_answers_context(open_context: Any, base_url: str) -> None:
    page, _ = open_filled(open_context, base_url + surface.PRINT_PAGE, width=1280)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    pdf = surface.print_pdf(page, button=False)
    pages, blank, text = surface.pdf_pages(pdf)
    assert blank == 0, f"{blank} blank pages of {pages}"
    assert "Printed" in text and "Review status" in text
    assert "Loading the live calculator" not in text and "Print this schedule" not in text


def test_every_calculator_on_a_page_works_from_the_keyboard_alone(open_context: Any, base_url: str) -> None:
    context, _ = open_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(base_url + "/calculators/azathioprine-dose/")
    page.wait_for_selector('form[data-calculator="azathioprine-dose"][data-state="ready"]', timeout=surface.READY_MS)
    calc = aihcalc.get("azathioprine-dose")
    vector = surface.example_vector(calc)
    form = page.locator('form[data-calculator="azathioprine-dose"]')
    form.locator("[name]").first.focus()
    for name, value in vector.items():
        # Tab until the field is focused (hidden fields are skipped by the browser itself).
        for _ in range(8):
            if page.evaluate("() => document.activeElement.name") == name:
                break
            page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.name") == name, f"Tab never reached {name}"
        if page.evaluate("() => document.activeElement.tagName") == "SELECT":
            options = page.evaluate("() => Array.from(document.activeElement.options).map(o => o.value)")
            for _ in range(options.index(value) - page.evaluate("() => document.activeElement.selectedIndex")):
                page.keyboard.press("ArrowDown")
        else:
            page.keyboard.type(value)
        page.keyboard.press("Tab")
    page.wait_for_function("f => f.dataset.result === 'ok'", arg=form.element_handle())
    expected = calc.calculate(dict(calc.example)).display["value"]
    assert form.locator('output[data-output="value"]').inner_text() == expected


def test_the_answer_is_announced_in_one_sentence(open_context: Any, base_url: str) -> None:
    page, _ = open_filled(open_context, base_url + "/calculators/azathioprine-dose/", width=1280)
    box = page.locator('form[data-calculator="azathioprine-dose"] [data-announce]')
    assert box.get_attribute("role") == "status" and box.get_attribute("aria-live") == "polite"
    page.wait_for_function("b => b.textContent !== ''", arg=box.element_handle())
    calc = aihcalc.get("azathioprine-dose")
    result = calc.calculate(dict(calc.example))
    text = box.inner_text()
    assert text.startswith(f"{calc.value.label}: {result.display['value']}.")
    if result.warnings:
        assert "to check before use" in text
    # The result area itself is not one live region (it would read the whole answer at each key).
    assert page.locator(".aihcalc__result[aria-live]").count() == 0


def test_a_date_field_says_its_date_in_words(open_context: Any, base_url: str) -> None:
    context, _ = open_context()
    page = context.new_page()
    page.goto(base_url + "/calculators/prednisolone-taper/")
    page.wait_for_selector('form[data-calculator="prednisolone-taper"][data-state="ready"]', timeout=surface.READY_MS)
    form = page.locator('form[data-calculator="prednisolone-taper"]')
    form.locator('[name="start_date"]').fill("2026-01-05")
    assert form.locator("[data-date-echo]").inner_text() == "Mon 5 Jan 2026"


def test_a_slow_link_shows_progress_as_a_share_of_the_total_and_never_a_failure(open_context: Any, base_url: str) -> None:
    context, _ = open_context()
    context.add_init_script("globalThis.aihcalcBootTimeoutMs = 5000")  # fail only after 5 s with nothing arriving
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    # About 8 Mbit/s: the 12 MB boot takes over twice the 5 s stall limit (a fixed 5 s limit fails).
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 20, "downloadThroughput": 1_000_000, "uploadThroughput": 1_000_000})
    seen: list[str] = []
    page.goto(base_url + "/calculators/meld/")
    form = page.locator('form[data-calculator="meld"]')
    while form.get_attribute("data-state") == "loading":
        seen.append(form.locator("[data-status]").inner_text())
        page.wait_for_timeout(250)
    assert form.get_attribute("data-state") == "ready", form.locator("[data-status]").inner_text()
    shares = [s for s in seen if re.search(r"\d+% of \d+\.\d MB", s)]
    assert shares, f"no progress as a share of the total in {seen[:5]}"
    percents = [int(re.search(r"(\d+)% of", s).group(1)) for s in shares]
    assert percents == sorted(percents) and max(percents) >= 50
    assert not any("could not start" in s for s in seen)


def _described_version(calc_id: str) -> str:
    """The calculator's version as ``python -m aihcalc describe ID`` gives it (this tree's src)."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT / "src"), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "aihcalc", "describe", calc_id],
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=PROJECT_ROOT, timeout=60, check=True,
    )
    return json.loads(proc.stdout)["version"]


def test_the_answer_names_the_version_that_gave_it_live_and_without_javascript(open_context: Any, base_url: str) -> None:
    calc_id = "tacrolimus-dose"
    version = _described_version(calc_id)
    line = f"Calculator version {version} (aihcalc {aihcalc.__version__})"
    page, record = open_filled(open_context, base_url + f"/calculators/{calc_id}/", width=390)
    form = page.locator(f'form[data-calculator="{calc_id}"]')
    shown = form.locator(".aihcalc__result [data-version]")
    assert shown.inner_text() == line and shown.get_attribute("data-version") == version
    assert shown.is_visible()
    # A printout names it too, beside the runtime it already named.
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    context_text = form.locator("[data-print-context]").text_content()
    assert f"Calculator version{version} (aihcalc {aihcalc.__version__})" in context_text
    assert "aihcalc " + aihcalc.__version__ + " on Python" in context_text
    # The line follows the live answer's JSON: a refusal names the version that judged the input.
    computed = int(form.get_attribute("data-computed") or 0)
    form.locator('[name="weight_kg"]').fill("9999")
    page.wait_for_function("f => f.dataset.result === 'error'", arg=form.element_handle())
    assert shown.inner_text() == line
    assert int(form.get_attribute("data-computed") or 0) == computed
    assert record.console_errors == []
    # With JavaScript off, the build-time answer and the fallback say the same.
    context, _ = open_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    static = context.new_page()
    static.goto(base_url + f"/calculators/{calc_id}/")
    assert static.locator(f'form[data-calculator="{calc_id}"] [data-version]').inner_text() == line
    fallback = static.locator(".aihcalc__fallback [data-version]")
    assert fallback.is_visible() and fallback.inner_text() == line
