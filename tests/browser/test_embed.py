"""Embeds in real Chromium: a host page on a second origin frames a calculator.

The site is served by conftest's ``base_url`` (built for that address, so the panel's snippets
point at it); the host pages are served from another port, a different origin, and hold the
iframe and script lines exactly as a calculator's reference page gives them, under a strict
Content-Security-Policy made of the panel's lines. Nothing may be requested from a third
origin, and no console may report an error.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

import aihcalc
from aihcalc import bridge
from tests.browser import surface
from tests.browser.conftest import QuietHandler, Recorder, screenshot
from tests.browser.surface import example_vector, fill
from tests.browser.test_calculator_pages import cli
from tests.test_embed import Page

pytestmark = pytest.mark.browser

CALC = "azathioprine-dose"
READY_MS = 120_000
# The host page's own listener: every message from the calculators' origin, and every DOM
# event host.js passes on.
RECORD_JS = """window.messages = [];
window.passedOn = [];
window.addEventListener("message", (event) => {
  if (event.origin === SITE) window.messages.push(event.data);
});
document.addEventListener("aihcalc:result", (event) => window.passedOn.push(event.detail));
"""


@dataclass
class Host:
    folder: Path
    url: str
    site: str

    def page(self, name: str, frames: list[str], host_script: str) -> str:
        """Write a host page holding the given snippets, under the panel's policy; its URL."""
        policy = (
            f"default-src 'self'; script-src 'self' {self.site}; frame-src {self.site}; "
            "style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'"
        )
        body = "\n".join(f'<div class="slot">{frame}</div>' for frame in frames)
        (self.folder / name).write_text(
            f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<title>A host page</title>
<script src="record.js"></script>
{host_script}
</head><body>
<h1>A clinic's own page</h1>
<p>The calculator below comes from another site.</p>
{body}
<p>The end of the host page.</p>
</body></html>""",
            encoding="utf-8",
        )
        return f"{self.url}/{name}"


@pytest.fixture(scope="module")
def host(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Host]:
    """A second origin: the same loopback address on another port."""
    folder = tmp_path_factory.mktemp("host")
    (folder / "record.js").write_text(f"const SITE = {json.dumps(base_url)};\n{RECORD_JS}", encoding="utf-8")
    (folder / "favicon.ico").write_bytes(b"")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    assert url != base_url
    yield Host(folder, url, base_url)
    server.shutdown()


def panel(base_url: str, calc_id: str) -> dict[str, str]:
    """The snippets of a calculator's reference page, as a reader copies them."""
    with urllib.request.urlopen(f"{base_url}/calculators/{calc_id}/") as response:
        return Page(response.read().decode("utf-8")).snippets


def with_query(snippet: str, query: dict[str, str]) -> str:
    """The snippet with its address given a query string, as the integrators' page says."""
    src = Page(snippet).find("iframe")[0]["src"]
    return snippet.replace(f'src="{src}"', f'src="{src}?{urllib.parse.urlencode(query)}"')


def framed(page: Any, calc_id: str) -> Any:
    """The Frame of the calculator's iframe, once its page has loaded."""
    element = page.locator(f'iframe[src*="/embed/{aihcalc.__version__}/{calc_id}/"]')
    element.scroll_into_view_if_needed()
    frame = element.element_handle().content_frame()
    frame.wait_for_selector(f'form[data-calculator="{calc_id}"][data-state="ready"]', timeout=READY_MS)
    return frame


def answered(frame: Any) -> None:
    """Wait for the frame's first answer (or refusal)."""
    frame.wait_for_selector("form[data-calculator][data-result]", state="attached", timeout=READY_MS)


def results(page: Any) -> list[dict[str, Any]]:
    return [m for m in page.evaluate("() => window.messages") if m.get("type") == "aihcalc:result"]


def stays_home(record: Recorder, *origins: str) -> list[str]:
    """Requests that left the given origins."""
    return [u for u in record.requests if not u.startswith(tuple(o + "/" for o in origins)) and not u.startswith(("data:", "blob:"))]


def fits(page: Any, frame: Any) -> dict[str, float]:
    """The iframe's inner height against its content's (no scroll bar inside when it fits)."""
    return frame.evaluate(
        """() => ({inner: window.innerHeight, content: Math.ceil(document.body.getBoundingClientRect().height),
                   scroll: document.documentElement.scrollHeight})"""
    )


def follows(frame: Any) -> None:
    frame.wait_for_function(
        "() => window.innerHeight >= Math.ceil(document.body.getBoundingClientRect().height) && document.documentElement.scrollHeight <= window.innerHeight",
        timeout=10_000,
    )


def test_the_framed_calculator_answers_as_the_command_line_tells_the_host_and_fits(
    open_context: Any, base_url: str, host: Host
) -> None:
    snippets = panel(base_url, CALC)
    url = host.page("one.html", [snippets["iframe"]], snippets["host"])
    context, record = open_context()
    page = context.new_page()
    page.goto(url)
    frame = framed(page, CALC)
    vector = example_vector(aihcalc.get(CALC))
    fill(frame, CALC, vector)
    frame.wait_for_function("() => document.querySelector('form').dataset.result === 'ok'", timeout=READY_MS)
    expected = cli(CALC, vector)
    assert frame.inner_text('output[data-output="value"]') == expected["display"]["value"]
    version = expected["version"]
    assert frame.inner_text("form [data-version]") == f"Calculator version {version['calculator']} (aihcalc {version['package']})"

    # The host heard the answer the frame shows, with its version; host.js passed it on too.
    page.wait_for_function("() => window.messages.some(m => m.type === 'aihcalc:result' && m.ok)")
    last = results(page)[-1]
    assert last["ok"] is True and last["calculator"] == CALC and last["error"] is None
    assert last["value"] == expected["value"] and last["outputs"] == expected["outputs"]
    assert last["display"] == expected["display"] and last["warnings"] == expected["warnings"]
    assert last["version"] == version
    assert page.evaluate("() => window.passedOn")[-1] == last

    # The frame is as tall as its content: no scroll bar inside. Content grows, the frame follows.
    follows(frame)
    before = fits(page, frame)
    frame.click("form .aihcalc__working > summary")
    frame.wait_for_function("h => window.innerHeight > h", arg=before["inner"], timeout=10_000)
    follows(frame)
    grown = fits(page, frame)
    assert grown["inner"] > before["inner"] and grown["scroll"] <= grown["inner"]
    frame.click("form .aihcalc__working > summary")
    frame.wait_for_function("h => window.innerHeight <= h", arg=before["inner"], timeout=10_000)
    follows(frame)
    box = page.locator("iframe").evaluate("e => e.clientHeight")
    assert abs(box - before["inner"]) <= 1
    screenshot(page, "embed-host-page")

    assert record.console_errors == []
    assert stays_home(record, base_url, host.url) == []
    assert any(u.startswith(host.url) for u in record.requests) and any(u.startswith(base_url + "/embed/") for u in record.requests)


def test_the_address_fills_the_form_before_the_first_answer(open_context: Any, base_url: str, host: Host) -> None:
    vector = example_vector(aihcalc.get(CALC))
    snippets = panel(base_url, CALC)
    url = host.page("filled.html", [with_query(snippets["iframe"], {**vector, "no_such_input": "1"})], snippets["host"])
    context, record = open_context()
    page = context.new_page()
    page.goto(url)
    frame = framed(page, CALC)
    answered(frame)
    form = frame.locator("form")
    assert form.get_attribute("data-result") == "ok"
    assert form.get_attribute("data-computed") == "1"  # the very first answer was for these values
    for name, value in vector.items():
        assert form.locator(f'[name="{name}"]').input_value() == value
    expected = cli(CALC, vector)
    assert frame.inner_text('output[data-output="value"]') == expected["display"]["value"]
    page.wait_for_function("() => window.messages.some(m => m.type === 'aihcalc:result')")
    assert results(page)[-1]["value"] == expected["value"]
    assert record.console_errors == []
    assert stays_home(record, base_url, host.url) == []


@pytest.mark.parametrize("name, bad", [("weight_kg", "abc"), ("tpmt", "bogus")])
def test_a_bad_value_in_the_address_gets_the_calculators_own_message(
    open_context: Any, base_url: str, host: Host, name: str, bad: str
) -> None:
    vector = {**example_vector(aihcalc.get(CALC)), name: bad}
    refusal = json.loads(bridge.handle(json.dumps({"id": CALC, "inputs": vector})))
    assert refusal["ok"] is False and refusal["error"]["field"] == name
    snippets = panel(base_url, CALC)
    url = host.page(f"bad-{name}.html", [with_query(snippets["iframe"], vector)], snippets["host"])
    context, record = open_context()
    page = context.new_page()
    page.goto(url)
    frame = framed(page, CALC)
    answered(frame)
    assert frame.locator("form").get_attribute("data-result") == "error"
    assert frame.inner_text(f'[data-message-for="{name}"]') == refusal["error"]["reason"]
    assert frame.locator(f'[name="{name}"]').get_attribute("aria-invalid") == "true"
    assert frame.inner_text('output[data-output="value"]') == "—"
    page.wait_for_function("() => window.messages.some(m => m.type === 'aihcalc:result')")
    last = results(page)[-1]
    assert last["ok"] is False and last["value"] is None and last["outputs"] is None
    assert last["error"]["field"] == name and last["error"]["reason"] == refusal["error"]["reason"]
    assert last["version"] == refusal["version"]
    assert record.console_errors == []


def test_a_pinned_origin_keeps_the_messages_from_any_other_page(open_context: Any, base_url: str, host: Host) -> None:
    snippets = panel(base_url, "meld")
    vector = example_vector(aihcalc.get("meld"))
    elsewhere = with_query(snippets["iframe"], {**vector, "origin": "http://127.0.0.1:9"})
    url = host.page("pinned-elsewhere.html", [elsewhere], snippets["host"])
    context, record = open_context()
    page = context.new_page()
    page.goto(url)
    frame = framed(page, "meld")
    answered(frame)
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.messages") == []  # the browser delivered nothing here
    height = page.locator("iframe").get_attribute("height")
    assert page.locator("iframe").evaluate("e => e.clientHeight") == int(height)  # host.js heard nothing
    url = host.page("pinned-here.html", [with_query(snippets["iframe"], {**vector, "origin": host.url})], snippets["host"])
    page.goto(url)
    frame = framed(page, "meld")
    answered(frame)
    page.wait_for_function("() => window.messages.some(m => m.type === 'aihcalc:result' && m.ok)")
    assert results(page)[-1]["value"] == cli("meld", vector)["value"]
    follows(frame)
    # A console warning (not an error) names a malformed origin; none here.
    assert record.console_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_embed_page_alone_fits_a_phone_and_passes_axe(open_context: Any, base_url: str, scheme: str) -> None:
    url = f"{base_url}/embed/{aihcalc.__version__}/{CALC}/"
    for width in (1280, 390, 360):
        # axe-core is injected as an inline script, which the page's own policy refuses: the
        # policy is bypassed for it alone (the other tests hold the page to its policy).
        context, record = open_context(viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=True)
        page = context.new_page()
        page.goto(url)
        surface.fill_examples(page)
        assert page.locator(".md-header, .md-nav, .md-search").count() == 0
        if width != 1280:
            assert surface.sideways(page) == 0, surface.sticking_out(page)
        if width in (1280, 390):
            screenshot(page, f"embed-{CALC}-{width}-{scheme}")
        violations = surface.axe(page)
        assert not violations, f"{width} px, {scheme}:\n{surface.describe(violations)}"
        assert record.console_errors == []
        assert stays_home(record, base_url) == []
        context.close()


def test_the_embed_page_opened_alone_keeps_to_its_policy(open_context: Any, base_url: str) -> None:
    context, record = open_context()
    page = context.new_page()
    page.goto(f"{base_url}/embed/{aihcalc.__version__}/prednisolone-taper/")
    surface.fill_examples(page)
    assert page.locator("form").get_attribute("data-result") == "ok"
    assert page.locator('[data-table="value"] tr').count() > 1  # the schedule drawn under the policy
    assert record.console_errors == []
    embedded = f"{base_url}/embed/{aihcalc.__version__}/"
    assert [u for u in record.requests if not u.startswith(embedded)] == []  # not even the site's own files


@pytest.mark.parametrize("width", [1280, 360])
def test_the_panel_fits_a_phone_passes_axe_and_copies_the_code(open_context: Any, base_url: str, width: int) -> None:
    context, record = open_context(viewport={"width": width, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    page.goto(f"{base_url}/calculators/{CALC}/")
    panel_box = page.locator(f'details[data-embed-panel="{CALC}"]')
    assert panel_box.get_attribute("open") is None  # folded until asked for
    panel_box.locator("summary").click()
    button = panel_box.locator('button[data-copy="iframe"]')
    # copy.js shows it; on a calculator page the page's scripts run once the first answer is shown
    # or the reader first touches the page (here: opening the panel), so it may appear a moment later.
    button.wait_for(state="visible", timeout=10_000)
    snippet = panel_box.locator('[data-embed="iframe"]').inner_text()
    assert f'src="{base_url}/embed/{aihcalc.__version__}/{CALC}/"' in snippet
    button.click()
    expect_text = "Copied."
    page.wait_for_function(
        "t => document.querySelector('[data-embed-panel] [data-copy-status]').textContent === t", arg=expect_text
    )
    assert page.evaluate("() => navigator.clipboard.readText()") == snippet
    surface.fill_examples(page)
    assert surface.sideways(page) == 0, surface.sticking_out(page)
    if width == 360:
        screenshot(page, f"embed-panel-{width}")
    violations = surface.axe(page)
    assert not violations, surface.describe(violations)
    assert record.console_errors == []


def test_the_embed_code_is_selectable_text_without_javascript(open_context: Any, base_url: str) -> None:
    context, _ = open_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}/calculators/{CALC}/")
    panel_box = page.locator(f'details[data-embed-panel="{CALC}"]')
    panel_box.locator("summary").click()
    assert panel_box.locator('[data-embed="iframe"]').is_visible()
    assert not panel_box.locator("button[data-copy]").first.is_visible()  # no button that cannot work
    oembed = page.locator('link[rel="alternate"][type="application/json+oembed"]')
    href = oembed.get_attribute("href")
    assert href == f"{base_url}/embed/{aihcalc.__version__}/{CALC}.oembed.json"
    with urllib.request.urlopen(href) as response:
        data = json.loads(response.read())
    assert data["type"] == "rich" and data["html"] == panel_box.locator('[data-embed="iframe"]').inner_text()
