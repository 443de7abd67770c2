"""Calculator pages in real headless Chromium, as a clinician meets them."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

import aihcalc
from aihcalc.spec import Calculator
from hooks import widgets
from hooks.result_citations import cite
from tests.browser.conftest import screenshot
from tests.browser.surface import example_vector, fill, form_vector, look_at
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.browser

PAGES = {
    "/aih/first-line-treatment/": ["azathioprine-dose", "prednisolone-taper"],
    "/liver-scores/": ["meld", "meld-na", "meld-3", "child-pugh"],
}
READY_MS = 60_000


def cli(calc_id: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """The command line's answer: what the page must show."""
    args = [f"{k}={v}" for k, v in inputs.items()]
    proc = subprocess.run(
        [sys.executable, "-m", "aihcalc", calc_id, *args, "--json"],
        capture_output=True, text=True, cwd=PROJECT_ROOT, check=True,
    )
    return json.loads(proc.stdout)


def live_vector(calc: Calculator, move_choices: bool = True) -> dict[str, str]:
    """The example with every number moved to the middle of its plausible range (a new answer),
    and each choice moved to another one unless ``move_choices`` is false."""
    values: dict[str, Any] = {}
    for item in calc.inputs:
        value = calc.example.get(item.name, item.default)
        if item.kind == "number" and item.plausible:
            low, high = item.plausible
            value = round((low + high) / 2 + 0.3, 1)
            if item.integer:
                value = int(value)
        elif item.kind == "choice" and move_choices:
            value = item.choices[-1].value if value != item.choices[-1].value else item.choices[0].value
        elif item.kind == "date":
            value = "2026-03-02"
        values[item.name] = value
    return form_vector(calc, values)


def wait_ready(page: Any, calc_id: str) -> Any:
    form = page.locator(f'form[data-calculator="{calc_id}"]')
    page.wait_for_selector(f'form[data-calculator="{calc_id}"][data-state="ready"]', timeout=READY_MS)
    return form


def computed(form: Any) -> int:
    return int(form.get_attribute("data-computed") or 0)


def settle(page: Any, form: Any, before: int) -> None:
    page.wait_for_function("([f, n]) => Number(f.dataset.computed || 0) > n", arg=[form.element_handle(), before])


def answerable_vector(calc: Calculator) -> dict[str, str]:
    """The moved vector if the CLI accepts it, else with the example's choices, else the example."""
    for vector in (live_vector(calc), live_vector(calc, move_choices=False)):
        args = [f"{k}={v}" for k, v in vector.items()]
        proc = subprocess.run([sys.executable, "-m", "aihcalc", calc.id, *args, "--json"], capture_output=True, cwd=PROJECT_ROOT)
        if proc.returncode == 0:
            return vector
    return example_vector(calc)


def check_live_answer(page: Any, calc_id: str) -> None:
    """Fill the form, wait for Python's answer, and compare every shown output with the CLI's."""
    calc = aihcalc.get(calc_id)
    form = wait_ready(page, calc_id)
    vector = answerable_vector(calc)
    before = computed(form)
    fill(page, calc_id, vector)
    page.wait_for_function(
        "([f, n]) => Number(f.dataset.computed || 0) > n && f.dataset.result === 'ok'",
        arg=[form.element_handle(), before],
    )
    expected = cli(calc_id, vector)
    page.wait_for_function(
        "([f, text]) => f.querySelector('output[data-output=value]').textContent === text",
        arg=[form.element_handle(), expected["display"]["value"]],
    )
    form.evaluate("f => f.querySelectorAll('details').forEach(d => (d.open = true))")  # as a reader opens Details
    for name, text in expected["display"].items():
        out = form.locator(f'output[data-output="{name}"]')
        if out.count():  # as the page shows it: source keys read as numbered links
            assert out.inner_text() == cite(text or "—", calc_id, calc.references).striptags(), f"{calc_id}.{name}"
    for name, rows in [("value", expected["value"]), *expected["outputs"].items()]:
        box = form.locator(f'[data-table="{name}"]')
        if box.count() and isinstance(rows, list):
            assert box.locator("tbody tr").count() == len(rows), f"{calc_id}.{name} rows"
    assert form.locator("[data-working] li").count() == len(expected["working"])
    # Live warnings read exactly as the build renders them, sources as numbered links.
    shown = form.locator("[data-warnings] li").all_inner_texts()
    assert shown == [cite(w, calc_id, calc.references).striptags() for w in expected["warnings"]]
    for link in form.locator("[data-warnings] .aihcalc__cite a").all():
        assert page.locator(link.get_attribute("href")).count() == 1, "each number links to a listed source"


@pytest.mark.parametrize("path", sorted(PAGES))
def test_live_answers_equal_the_cli(open_context: Any, base_url: str, path: str) -> None:
    context, record = open_context()
    page = context.new_page()
    page.goto(base_url + path)
    for calc_id in PAGES[path]:
        check_live_answer(page, calc_id)
    screenshot(page, "calculators" + path.strip("/").replace("/", "-"))
    assert record.console_errors == []
    assert record.foreign(base_url) == []
    assert record.failed == []


def test_every_calculator_reference_page_computes_live(open_context: Any, base_url: str) -> None:
    """Each generated calculator page, reached by instant navigation from the index (one boot)."""
    context, record = open_context()
    page = context.new_page()
    page.goto(base_url + "/calculators/")
    for calc in aihcalc.all_calculators():
        page.locator(f'article a[href$="{calc.id}/"]').first.click()
        page.wait_for_url(f"**/calculators/{calc.id}/")
        check_live_answer(page, calc.id)
        page.go_back()
        page.wait_for_url("**/calculators/")
    wasm = [u for u in record.requests if u.endswith("pyodide.asm.wasm")]
    assert len(wasm) == 1, "Python booted once for the whole tour"
    assert record.console_errors == []
    assert record.foreign(base_url) == []


def test_decision_table_renders_and_its_form_classifies_live(open_context: Any, base_url: str) -> None:
    context, record = open_context()
    page = context.new_page()
    page.goto(base_url + "/aih/response-and-monitoring/")
    table = page.locator("table.aihdt, .aihdt table").first
    assert table.is_visible()
    assert table.locator("tbody tr").count() >= 3
    form = wait_ready(page, "treatment-response")
    vector = {"alt_baseline": "400", "alt_week4": "201", "alt_month6": "30", "alt_uln": "40", "igg_month6": "14", "igg_uln": "16"}
    before = computed(form)
    fill(page, "treatment-response", vector)
    settle(page, form, before)
    expected = cli("treatment-response", vector)
    page.wait_for_function(
        "([f, t]) => f.querySelector('output[data-output=value]').textContent === t",
        arg=[form.element_handle(), expected["display"]["value"]],
    )
    assert expected["value"] == "non-response"
    assert record.console_errors == []


def test_bad_input_shows_its_message_and_no_number(open_context: Any, base_url: str) -> None:
    context, record = open_context()
    page = context.new_page()
    page.goto(base_url + "/aih/first-line-treatment/")
    form = wait_ready(page, "azathioprine-dose")
    fill(page, "azathioprine-dose", example_vector(aihcalc.get("azathioprine-dose")))
    page.wait_for_function("f => f.dataset.result === 'ok'", arg=form.element_handle())
    before = computed(form)
    form.locator('[name="weight_kg"]').fill("-70")
    page.wait_for_function("f => f.dataset.result === 'error'", arg=form.element_handle())
    message = form.locator('[data-message-for="weight_kg"]')
    assert "outside the accepted range" in message.inner_text()
    assert form.locator('[name="weight_kg"]').get_attribute("aria-invalid") == "true"
    assert form.locator('output[data-output="value"]').inner_text() == "—"
    for text in form.locator("output[data-output]").all_inner_texts():
        assert "NaN" not in text and "undefined" not in text
    form.locator('[name="weight_kg"]').fill("abc")
    page.wait_for_function("m => m.textContent.includes('type a number')", arg=message.element_handle())
    form.locator('[name="weight_kg"]').fill("70")
    page.wait_for_function("f => f.dataset.result === 'ok'", arg=form.element_handle())
    assert message.inner_text() == ""
    assert computed(form) > before
    assert record.console_errors == []


def test_worker_survives_instant_navigation(open_context: Any, base_url: str) -> None:
    context, record = open_context()
    page = context.new_page()
    page.goto(base_url + "/aih/first-line-treatment/")
    wait_ready(page, "azathioprine-dose")
    page.evaluate("() => { window.aihcalcSameDocument = true; }")
    page.locator('a.md-nav__link[href$="liver-scores/"]').first.click()
    page.wait_for_url("**/liver-scores/")
    form = wait_ready(page, "meld")
    page.wait_for_function("f => Boolean(f.dataset.result)", arg=form.element_handle())
    wasm = [u for u in record.requests if u.endswith("pyodide.asm.wasm")]
    assert len(wasm) == 1, "Python booted more than once in one tab"
    assert page.evaluate("() => window.aihcalcSameDocument === true"), "the click reloaded the page"
    assert record.console_errors == []


def test_a_nav_link_used_before_the_theme_has_run_keeps_python(open_context: Any, base_url: str) -> None:
    """On a calculator page the theme runs after the first answer; a click on the nav before then
    is held, the theme started, and the click made again once the theme has the list of pages:
    the next page comes in place and Python, already booting, is kept."""
    context, record = open_context()
    held: list[Any] = []
    context.route("**/sitemap.xml", lambda route: held.append(route))
    page = context.new_page()
    page.goto(base_url + "/aih/first-line-treatment/", wait_until="domcontentloaded")
    assert page.locator('script[src*="assets/javascripts/bundle"]').count() == 0, "the theme waits"
    page.evaluate("() => { window.samePage = true; }")
    page.locator('a.md-nav__link[href$="liver-scores/"]').first.click()
    page.wait_for_function("() => document.querySelector('script[src*=\"assets/javascripts/bundle\"]')")
    page.wait_for_timeout(400)
    assert page.url.endswith("/aih/first-line-treatment/"), "held until the theme has the list"
    for route in held:
        route.continue_()
    page.wait_for_url("**/liver-scores/")
    form = wait_ready(page, "meld")
    page.wait_for_timeout(1200)  # a second, late click would load the page anew
    assert page.evaluate("() => window.samePage === true"), "the click loaded the page anew"
    workers = [u for u in record.requests if u.endswith("/assets/aihcalc/worker.js")]
    assert len(workers) == 1, "Python booted more than once in one tab"
    assert form.is_visible()
    assert record.console_errors == []


@pytest.mark.parametrize("path", sorted(PAGES))
def test_pages_answer_with_javascript_off(open_context: Any, base_url: str, path: str) -> None:
    context, record = open_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + path)
    for calc_id in PAGES[path]:
        calc = aihcalc.get(calc_id)
        section = page.locator(f"#calc-{calc_id}")
        look_at(section)
        assert section.locator(".aihcalc__fallback").is_visible()
        assert "needs JavaScript" in section.locator("[data-status]").inner_text()
        expected = widgets.build_answer(calc)
        shown = section.locator('output[data-output="value"]').inner_text()
        if expected is None:  # the defaults alone give no answer: the form asks to be filled in
            assert shown == "—"
            assert section.locator('[data-message-for=""]').inner_text() == widgets.PROMPT
        else:
            assert shown == (expected.display["value"] or "—")
        if calc.fallback:
            rows = section.locator(".aihcalc__grid tbody tr")
            assert rows.count() == len(calc.fallback.row_values)
    screenshot(page, "nojs" + path.strip("/").replace("/", "-"))
    assert not [u for u in record.requests if "pyodide" in u], "no script should run"


def test_when_python_never_arrives_the_fallback_stays(open_context: Any, base_url: str) -> None:
    context, record = open_context()
    context.add_init_script("globalThis.aihcalcBootTimeoutMs = 2000")
    context.route("**/pyodide.asm.wasm", lambda route: None)  # never answered
    page = context.new_page()
    page.goto(base_url + "/aih/first-line-treatment/")
    page.wait_for_selector('form[data-calculator="azathioprine-dose"][data-state="error"]', timeout=15_000)
    form = page.locator('form[data-calculator="azathioprine-dose"]')
    status = form.locator("[data-status]").inner_text()
    assert "could not start (nothing arrived for 2 s" in status
    assert page.locator("#calc-azathioprine-dose .aihcalc__fallback").is_visible()
    form.locator('[name="weight_kg"]').fill("90")
    assert form.locator('output[data-output="value"]').inner_text() == "—", "no stale answer"


def test_calculators_start_after_instant_navigation_from_a_page_without_one(open_context: Any, base_url: str) -> None:
    context, record = open_context()
    page = context.new_page()
    page.goto(base_url + "/")
    page.wait_for_function("() => typeof window.document$ !== 'undefined'")
    assert not [u for u in record.requests if "calculators.js" in u], "home page has no calculator"
    page.evaluate("() => { window.aihcalcSameDocument = true; }")
    page.locator('article a[href$="liver-scores/"]').first.click()
    page.wait_for_url("**/liver-scores/")
    form = wait_ready(page, "child-pugh")
    page.wait_for_function("f => Boolean(f.dataset.result)", arg=form.element_handle())
    assert page.evaluate("() => window.aihcalcSameDocument === true"), "the click reloaded the page"
    assert record.console_errors == []


def test_unit_switch_converts_the_typed_value_and_keeps_the_answer(open_context: Any, base_url: str) -> None:
    context, record = open_context()
    page = context.new_page()
    page.goto(base_url + "/liver-scores/")
    form = wait_ready(page, "meld")
    vector = {"bilirubin": "2", "inr": "1.5", "creatinine": "1.2", "dialysis": "false"}
    fill(page, "meld", vector)
    value = form.locator('output[data-output="value"]')
    expected = cli("meld", vector)["display"]["value"]
    page.wait_for_function("([o, t]) => o.textContent === t", arg=[value.element_handle(), expected])
    switch = form.locator('select[data-unit-for="bilirubin"]')
    assert switch.is_enabled()
    before = computed(form)
    switch.select_option("µmol/L")
    page.wait_for_function("f => f.querySelector('[name=bilirubin]').value === '34.2'", arg=form.element_handle())
    settle(page, form, before)
    assert value.inner_text() == cli("meld", {**vector, "bilirubin": "34.2 µmol/L"})["display"]["value"]
    before = computed(form)
    form.locator('[name="bilirubin"]').fill("85.5")
    settle(page, form, before)
    page.wait_for_function(
        "([o, t]) => o.textContent === t",
        arg=[value.element_handle(), cli("meld", {**vector, "bilirubin": "85.5 µmol/L"})["display"]["value"]],
    )
    switch.select_option("mg/dL")
    page.wait_for_function("f => f.querySelector('[name=bilirubin]').value === '5'", arg=form.element_handle())
    assert record.console_errors == []


def test_unit_switches_wait_for_python(open_context: Any, base_url: str) -> None:
    context, _ = open_context()
    context.route("**/pyodide.asm.wasm", lambda route: None)  # Python never arrives
    page = context.new_page()
    page.goto(base_url + "/liver-scores/")
    assert page.locator('form[data-calculator="meld"] select[data-unit-for="bilirubin"]').is_disabled()


def unfold_ics(text: str) -> list[str]:
    """RFC 5545 lines: CRLF-separated, continuation lines start with a space."""
    assert "\r\n" in text and not text.replace("\r\n", "").count("\n")
    lines: list[str] = []
    for raw in text.split("\r\n"):
        if raw.startswith(" ") and lines:
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines


def test_taper_downloads_a_calendar_of_its_schedule(open_context: Any, base_url: str, tmp_path: Any) -> None:
    context, record = open_context(accept_downloads=True)
    page = context.new_page()
    page.goto(base_url + "/aih/first-line-treatment/")
    form = wait_ready(page, "prednisolone-taper")
    calc = aihcalc.get("prednisolone-taper")
    vector = form_vector(calc, {**calc.example, "start_date": "2026-03-02", "weight_kg": 64, "regimen": "seed-combination",
                                "start_basis": "fixed", "start_mg": 30, "aminotransferases": "normal", "normal_week": 5})
    before = computed(form)
    fill(page, "prednisolone-taper", vector)
    settle(page, form, before)
    with page.expect_download() as info:
        form.locator('button[data-export="ics"]').click()
    download = info.value
    assert download.suggested_filename == "prednisolone-schedule.ics"
    path = tmp_path / "schedule.ics"
    download.save_as(path)
    lines = unfold_ics(path.read_bytes().decode("utf-8"))  # bytes: keep the CRLFs
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    starts = [line.split(":", 1)[1] for line in lines if line.startswith("DTSTART;VALUE=DATE:")]
    rows = cli("prednisolone-taper", vector)["value"]
    assert starts == [r["from"].replace("-", "") for r in rows if r["from"]]
    summaries = [line.split(":", 1)[1] for line in lines if line.startswith("SUMMARY:")]
    assert summaries[0].startswith("Prednisolone: 30 mg/day")
    assert record.foreign(base_url) == [] and record.console_errors == []
