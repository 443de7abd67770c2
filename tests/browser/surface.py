"""Measuring what a reader meets around the numbers: phone width, print, axe-core.

Shared by the browser tests (which assert limits) and benchmarks/surface.py (which prints the
figures). Nothing here is fetched from elsewhere: axe-core is read from node_modules and
injected into the page as a script.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import aihcalc
from aihcalc.spec import Calculator, fmt_number

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-features=AutofillServerCommunication",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
PRINT_PAGE = "/aih/first-line-treatment/"
PRINT_CALCULATOR = "prednisolone-taper"
READY_MS = 90_000
# What a printed schedule must carry besides the table, as text found in the PDF.
PRINT_CONTEXT = {
    "regimen": "Regimen",
    "inputs": "Start date",
    "review status": "Review status",
    "print date": "Printed",
    "version": "aihcalc",
    "address": "http",
}


def page_paths(site: Path) -> list[str]:
    """Every page of a built site, as paths from its root ('/', '/aih/diagnosis/', ...)."""
    paths = []
    for index in sorted(site.rglob("index.html")):
        relative = index.parent.relative_to(site).as_posix()
        if relative.startswith("assets"):
            continue
        paths.append("/" if relative == "." else f"/{relative}/")
    return paths


def open_page(browser: Any, url: str, width: int, scheme: str = "light", height: int = 800) -> Any:
    # No service worker: the offline copy's background download is not what these pages measure.
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme, service_workers="block")
    context.add_init_script("window.print = () => { window.aihcalcPrinted = (window.aihcalcPrinted || 0) + 1; }")
    page = context.new_page()
    page.goto(url)
    return page


def as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return fmt_number(value) if isinstance(value, float) else str(value)


def form_vector(calc: Calculator, values: dict[str, Any]) -> dict[str, str]:
    """The values to type, in declaration order: every field that applies to these values
    (fields hidden and disabled for them are skipped), required ones always given."""
    shown = calc.applicable(values)
    vector: dict[str, str] = {}
    for item in calc.inputs:
        if not shown[item.name]:
            continue
        value = values.get(item.name, item.default)
        if value is None:
            assert item.optional, f"{calc.id}.{item.name} is required but the vector has no value"
            continue
        vector[item.name] = as_text(value)
    return vector


def example_vector(calc: Calculator) -> dict[str, str]:
    """The calculator's worked example, as typed into its form."""
    return form_vector(calc, dict(calc.example))


def fill(page: Any, calc_id: str, vector: dict[str, str]) -> None:
    """Type the vector in order (a choice first, so the fields it brings are enabled in time)."""
    form = page.locator(f'form[data-calculator="{calc_id}"]')
    for name, value in vector.items():
        field = form.locator(f'[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def fill_examples(page: Any) -> None:
    """Every calculator on the page answers its worked example (so answers are measured too)."""
    ids = page.eval_on_selector_all("form[data-calculator]", "fs => fs.map(f => f.dataset.calculator)")
    if not ids:
        return
    page.wait_for_selector("form[data-calculator][data-state='ready']", timeout=READY_MS)
    for calc_id in ids:
        fill(page, calc_id, example_vector(aihcalc.get(calc_id)))
    page.wait_for_function(
        "ids => ids.every(id => document.querySelector(`form[data-calculator='${id}']`).dataset.result === 'ok')",
        arg=ids,
        timeout=READY_MS,
    )


def look_at(locator: Any) -> None:
    """Scroll to it, as a reader does, and let the page draw it: a calculator far from the screen
    is not laid out (content-visibility: auto), so its rendered text reads empty until then."""
    locator.scroll_into_view_if_needed()
    for _ in range(250):  # polled from here: with JavaScript off the page runs no timers of its own
        if locator.evaluate("e => e.checkVisibility({ contentVisibilityAuto: true })"):
            return
        locator.page.wait_for_timeout(20)
    raise AssertionError(f"{locator} was scrolled to but not drawn within 5 s")


def sideways(page: Any) -> int:
    """How far content reaches past the right edge of the viewport, in CSS px (0: it fits).

    The document's own scroll width is not enough: the theme clips overflow, so content cut off
    at the edge would not scroll, it would vanish. Content inside a box that scrolls on its own
    (overflow-x auto or scroll) is fine: the box is what must fit.
    """
    return int(page.evaluate(_REACH + "; return reach().over; }"))


def sticking_out(page: Any) -> list[str]:
    """The outermost elements that pass the viewport's right edge (see ``sideways``)."""
    return page.evaluate(_REACH + "; return reach().names; }")


_REACH = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return true;
    }
    return false;
  };
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const reach = () => {
    let over = Math.max(0, document.documentElement.scrollWidth - width);
    const names = [];
    for (const el of document.body.querySelectorAll('*')) {
      if (!visible(el) || scrolls(el) || el.closest('.md-sidebar, .md-search, [hidden]')) continue;
      const right = el.getBoundingClientRect().right;
      if (right <= width + 1) continue;
      over = Math.max(over, Math.round(right - width));
      const parent = el.parentElement;
      if (parent && parent.getBoundingClientRect().right > width + 1 && !scrolls(parent)) continue;
      const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/)[0] : '';
      names.push(`${el.tagName.toLowerCase()}${cls} +${Math.round(right - width)}`);
    }
    return {over, names};
  }"""


def print_pdf(page: Any, button: bool) -> bytes:
    """The page as printed on A4: through the schedule's Print button, or as the browser prints it."""
    if button:
        form = page.locator(f'form[data-calculator="{PRINT_CALCULATOR}"]')
        form.locator("button[data-print]").click()
        page.wait_for_function("() => window.aihcalcPrinted > 0")
    page.emulate_media(media="print")
    return page.pdf(format="A4", print_background=True)


def pdf_pages(pdf: bytes) -> tuple[int, int, str]:
    """(pages, blank pages, all the text) of a PDF."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    texts = [page.extract_text() or "" for page in reader.pages]
    return len(texts), sum(1 for t in texts if not t.strip()), "\n".join(texts)


def print_context_missing(text: str) -> list[str]:
    """What a printout should carry and does not (see PRINT_CONTEXT)."""
    return [what for what, needle in PRINT_CONTEXT.items() if needle not in text]


def axe(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.x A/AA violations of the given impacts on the page as it stands."""
    # Through DevTools, not a <script> tag: the pages' policy runs no inline script it has no hash for.
    page.evaluate("() => { " + AXE.read_text(encoding="utf-8") + "\n; if (!window.axe) window.axe = axe; }")
    found = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ['violations'],
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
        }"""
    )
    return [v for v in found if v["impact"] in impacts]


def describe(violations: list[dict[str, Any]]) -> str:
    return json.dumps(violations, indent=1)[:4000]
