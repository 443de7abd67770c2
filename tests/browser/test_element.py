"""The <aihcalc-calculator> element in real Chromium, on a host page of a second origin.

The host page holds the element snippet exactly as a calculator's reference page gives it, under
a Content-Security-Policy made of the panel's lines and the host's own 'self': the element's
script, its worker and Python come from the calculators' origin, which answers with the CORS
header static hosts send. Nothing may be requested from a third origin, and no console may
report an error.
"""

from __future__ import annotations

import functools
import http.server
import io
import json
import threading
import urllib.request
import zipfile
from typing import Any

import pytest

import aihcalc
from aihcalc import bridge
from tests.browser import surface
from tests.browser.conftest import QuietHandler, screenshot
from tests.browser.surface import example_vector, fill  # fill's locators pierce open shadow roots
from tests.browser.test_calculator_pages import cli
from tests.browser.test_embed import READY_MS, Host, host, panel, stays_home  # noqa: F401  (host: fixture)

pytestmark = pytest.mark.browser

THREE = ("azathioprine-dose", "meld", "prednisolone-taper")
# The host page's listener: every aihcalc-result event that reaches its document.
LISTEN_JS = """window.heard = [];
document.addEventListener("aihcalc-result", (event) => window.heard.push(
  {tag: event.target.tagName.toLowerCase(), calculator: event.target.getAttribute("calculator"),
   composed: event.composed, bubbles: event.bubbles, detail: event.detail}));
"""
THEME_CSS = """aihcalc-calculator.themed { --aihcalc-link: rgb(1, 2, 3); }
aihcalc-calculator.themed::part(button) { border-radius: 9px; }
body { margin: 0 auto; max-width: 60rem; padding: 0 8px; }
"""


def policy(site: str, element_csp: str) -> str:
    """The host's own policy ('self' everywhere) with the panel's element lines added."""
    directives = {"default-src": ["'self'"], "object-src": ["'none'"], "base-uri": ["'none'"], "img-src": ["'self'"]}
    for directive in element_csp.split(";"):
        name, *sources = directive.split()
        directives.setdefault(name, ["'self'"]).extend(sources)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def element_page(host: Host, name: str, snippets: list[str], element_csp: str, extra_head: str = "") -> str:
    body = "\n".join(f'<div class="slot">{snippet}</div>' for snippet in snippets)
    (host.folder / "listen.js").write_text(LISTEN_JS, encoding="utf-8")
    (host.folder / "theme.css").write_text(THEME_CSS, encoding="utf-8")
    (host.folder / name).write_text(
        f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{policy(host.site, element_csp)}">
<title>A host page with calculators</title>
<link rel="stylesheet" href="theme.css">
<script src="listen.js"></script>
{extra_head}
</head><body><main>
<h1>A clinic's own page</h1>
<p>The calculators below come from another site, inside this page.</p>
{body}
<p>The end of the host page.</p>
</main></body></html>""",
        encoding="utf-8",
    )
    return f"{host.url}/{name}"


def shadow_form(page: Any, calc_id: str) -> Any:
    """The element's form (Playwright's CSS locators pierce open shadow roots), once live."""
    element = page.locator(f'aihcalc-calculator[calculator="{calc_id}"]').first
    form = element.locator(f'form[data-calculator="{calc_id}"]')
    form.and_(element.locator('form[data-state="ready"]')).wait_for(timeout=READY_MS)
    return form


def wait_result(form: Any, result: str = "ok") -> None:
    form.page.wait_for_function("([f, r]) => f.dataset.result === r", arg=[form.element_handle(), result], timeout=READY_MS)


def heard(page: Any) -> list[dict[str, Any]]:
    return page.evaluate("() => window.heard")


def test_three_elements_answer_as_the_command_line_with_one_python_and_tell_the_host(
    open_context: Any, base_url: str, host: Host
) -> None:
    snippets = {calc_id: panel(base_url, calc_id) for calc_id in THREE}
    # Each snippet pasted whole, as a host would: the script line comes three times.
    url = element_page(host, "three.html", [snippets[c]["element"] for c in THREE], snippets[THREE[0]]["element-csp"])
    context, record = open_context()
    workers: list[str] = []
    page = context.new_page()
    page.on("worker", lambda worker: workers.append(worker.url))
    page.goto(url)
    for calc_id in THREE:
        form = shadow_form(page, calc_id)
        vector = example_vector(aihcalc.get(calc_id))
        fill(page, calc_id, vector)
        wait_result(form)
        expected = cli(calc_id, vector)
        assert form.locator('output[data-output="value"]').inner_text() == expected["display"]["value"]
        version = expected["version"]
        assert form.locator("[data-version]").inner_text() == f"Calculator version {version['calculator']} (aihcalc {version['package']})"
        page.wait_for_function(
            "id => window.heard.some(h => h.calculator === id && h.detail.ok)", arg=calc_id, timeout=READY_MS
        )
        last = [h for h in heard(page) if h["calculator"] == calc_id][-1]
        assert last["tag"] == "aihcalc-calculator" and last["composed"] and last["bubbles"]
        detail = last["detail"]
        assert detail["ok"] is True and detail["calculator"] == calc_id and detail["error"] is None
        assert detail["value"] == expected["value"] and detail["outputs"] == expected["outputs"]
        assert detail["display"] == expected["display"] and detail["warnings"] == expected["warnings"]
        assert detail["version"] == version
    # Python started once for the three: one worker, one download of each runtime file.
    assert len(workers) == 1, workers
    wasm = [u for u in record.requests if u.endswith(".wasm")]
    assert len(wasm) == 1, wasm
    element_js = [u for u in record.requests if u.endswith("/element.js")]
    assert len(element_js) == 1, element_js
    screenshot(page, "element-host-page")
    assert record.console_errors == []
    assert stays_home(record, base_url, host.url) == []
    assert any(u.startswith(base_url + f"/embed/{aihcalc.__version__}/") for u in record.requests)


def test_a_refusal_is_shown_in_the_element_and_withdraws_the_answer_from_the_host(
    open_context: Any, base_url: str, host: Host
) -> None:
    calc_id = THREE[0]
    snippets = panel(base_url, calc_id)
    url = element_page(host, "refusal.html", [snippets["element"]], snippets["element-csp"])
    context, record = open_context()
    page = context.new_page()
    page.goto(url)
    form = shadow_form(page, calc_id)
    vector = {**example_vector(aihcalc.get(calc_id)), "weight_kg": "7000"}
    fill(page, calc_id, vector)
    wait_result(form, "error")
    refusal = json.loads(bridge.handle(json.dumps({"id": calc_id, "inputs": vector})))
    assert refusal["ok"] is False and refusal["error"]["field"] == "weight_kg"
    assert form.locator('[data-message-for="weight_kg"]').inner_text() == refusal["error"]["reason"]
    assert form.locator('output[data-output="value"]').inner_text() == "—"
    page.wait_for_function("() => window.heard.some(h => !h.detail.ok && h.detail.error)")
    last = heard(page)[-1]["detail"]
    assert last["value"] is None and last["outputs"] is None and last["error"]["field"] == "weight_kg"
    assert record.console_errors == []


def test_the_inputs_attribute_fills_the_form_before_the_first_answer(open_context: Any, base_url: str, host: Host) -> None:
    calc_id = "meld"
    vector = example_vector(aihcalc.get(calc_id))
    snippet = panel(base_url, calc_id)["element"]
    query = "&".join(f"{k}={v}" for k, v in vector.items())
    filled = snippet.replace(f'calculator="{calc_id}"', f'calculator="{calc_id}" inputs="{query}"')
    url = element_page(host, "inputs.html", [filled], panel(base_url, calc_id)["element-csp"])
    context, record = open_context()
    page = context.new_page()
    page.goto(url)
    form = shadow_form(page, calc_id)
    wait_result(form)
    assert form.get_attribute("data-computed") == "1"  # the very first answer was for these values
    assert form.locator('output[data-output="value"]').inner_text() == cli(calc_id, vector)["display"]["value"]
    assert record.console_errors == []


def test_two_copies_of_the_script_define_the_tag_once_and_both_elements_work(
    open_context: Any, base_url: str, host: Host
) -> None:
    snippets = panel(base_url, "meld")
    second = snippets["element"].replace('element.js"', 'element.js?copy=2"').replace('calculator="meld"', 'calculator="fib-4"')
    url = element_page(host, "twice.html", [snippets["element"], second], snippets["element-csp"])
    context, record = open_context()
    workers: list[str] = []
    page = context.new_page()
    page.on("worker", lambda worker: workers.append(worker.url))
    page.goto(url)
    for calc_id in ("meld", "fib-4"):
        form = shadow_form(page, calc_id)
        vector = example_vector(aihcalc.get(calc_id))
        fill(page, calc_id, vector)
        wait_result(form)
        assert form.locator('output[data-output="value"]').inner_text() == cli(calc_id, vector)["display"]["value"]
    assert len([u for u in record.requests if "/element.js" in u]) == 2  # two copies did load
    assert len(workers) == 1
    assert record.console_errors == []  # a second define would have thrown


def test_an_unknown_calculator_says_so_in_the_page(open_context: Any, base_url: str, host: Host) -> None:
    snippets = panel(base_url, "meld")
    url = element_page(host, "unknown.html", [snippets["element"].replace('calculator="meld"', 'calculator="no-such"')], snippets["element-csp"])
    context, record = open_context()
    page = context.new_page()
    page.goto(url)
    alert = page.locator('aihcalc-calculator [role="alert"]')
    alert.wait_for(timeout=READY_MS)
    assert 'no calculator is called "no-such"' in alert.inner_text()
    assert any("no-such" in e for e in record.console_errors)


@pytest.mark.parametrize(("width", "scheme"), [(1280, "light"), (360, "light"), (360, "dark")])
def test_the_element_fits_a_phone_takes_the_host_theme_and_passes_axe(
    open_context: Any, base_url: str, host: Host, width: int, scheme: str
) -> None:
    calc_id = "prednisolone-taper"
    snippets = panel(base_url, calc_id)
    # The host's theme is a light one (near-black links): in the dark scheme the element keeps
    # its own colours, which is what a host without a dark theme of its own would do.
    themed = snippets["element"].replace("<aihcalc-calculator ", '<aihcalc-calculator class="themed" ') if scheme == "light" else snippets["element"]
    url = element_page(host, f"theme-{width}-{scheme}.html", [themed], snippets["element-csp"])
    context, record = open_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(url)
    form = shadow_form(page, calc_id)
    fill(page, calc_id, example_vector(aihcalc.get(calc_id)))
    wait_result(form)
    assert form.locator('[data-table="value"] tr').count() > 1  # the schedule, drawn in the shadow root
    link = page.locator("aihcalc-calculator").evaluate("e => getComputedStyle(e).getPropertyValue('--md-typeset-a-color').trim()")
    radius = page.locator("aihcalc-calculator .md-button").first.evaluate("e => getComputedStyle(e).borderTopLeftRadius")
    if scheme == "light":  # the host's custom property and ::part rule reach inside
        assert link == "rgb(1, 2, 3)" and radius == "9px"
    else:
        assert link == "#00ccb8" and radius != "9px"
    if width == 360:
        assert surface.sideways(page) == 0, surface.sticking_out(page)
    screenshot(page, f"element-{calc_id}-{width}-{scheme}")
    assert record.console_errors == []
    assert stays_home(record, base_url, host.url) == []
    # Last: axe-core, injected into the page, adds styles the host's policy refuses (and says so).
    violations = surface.axe(page)
    assert not violations, surface.describe(violations)


def test_the_embedded_policy_lines_are_all_the_element_needs(base_url: str) -> None:
    """The panel's element lines name only the calculators' origin, blob: and wasm."""
    lines = panel(base_url, "meld")["element-csp"]
    assert json.dumps(lines).count(base_url) == 4 and "blob:" in lines and "'wasm-unsafe-eval'" in lines
    assert "unsafe-inline" not in lines and "'unsafe-eval'" not in lines and "*" not in lines


def test_the_offline_kit_serves_frames_and_elements_from_an_intranet_alone(
    open_context: Any, base_url: str, host: Host, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The kit, unpacked on a third server with no way to the site: the README's snippets work."""
    folder = tmp_path_factory.mktemp("intranet")
    with urllib.request.urlopen(f"{base_url}/embed/aihcalc-embed-{aihcalc.__version__}.zip") as response:
        with zipfile.ZipFile(io.BytesIO(response.read())) as kit:
            kit.extractall(folder)
    root = folder / f"aihcalc-embed-{aihcalc.__version__}"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    intranet = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        base = f"{intranet}/embed/{aihcalc.__version__}"
        readme = (root / "README.txt").read_text(encoding="utf-8")
        csp = next(line.strip() for line in readme.splitlines() if line.strip().startswith("script-src ORIGIN")).replace("ORIGIN", intranet)
        frame = f'<iframe src="{base}/meld/" title="MELD" width="100%" height="700"></iframe><script src="{base}/host.js" defer></script>'
        element = f'<script type="module" src="{base}/element.js"></script><aihcalc-calculator calculator="fib-4"></aihcalc-calculator>'
        url = element_page(host, "intranet.html", [element, frame], f"{csp}; frame-src {intranet}")
        context, record = open_context()
        page = context.new_page()
        page.goto(url)
        form = shadow_form(page, "fib-4")
        vector = example_vector(aihcalc.get("fib-4"))
        fill(page, "fib-4", vector)
        wait_result(form)
        assert form.locator('output[data-output="value"]').inner_text() == cli("fib-4", vector)["display"]["value"]
        inner = page.locator("iframe").element_handle().content_frame()
        inner.wait_for_selector('form[data-calculator="meld"][data-state="ready"]', timeout=READY_MS)
        vector = example_vector(aihcalc.get("meld"))
        fill(inner, "meld", vector)
        inner.wait_for_function("() => document.querySelector('form').dataset.result === 'ok'", timeout=READY_MS)
        assert inner.inner_text('output[data-output="value"]') == cli("meld", vector)["display"]["value"]
        # host.js, served by the intranet, trusts the intranet's frames: the frame was sized.
        page.wait_for_function("() => document.querySelector('iframe').style.height !== ''", timeout=10_000)
        assert record.console_errors == []
        assert stays_home(record, intranet, host.url) == []  # nothing from the site itself
    finally:
        server.shutdown()
