"""When the runtime fails, as a reader meets it in Chromium: Pyodide or the calculators answering
404, Python blocked, the worker dying. Each gives a clear message and keeps the build-time
fallback; a worker that dies once is started again and the answer comes back."""

from __future__ import annotations

import gzip
import struct
from typing import Any

import pytest

import aihcalc
from hooks import snapshot_image
from tests.browser.surface import example_vector, fill
from tests.browser.test_calculator_pages import cli, wait_ready

pytestmark = pytest.mark.browser

PAGE = "/aih/first-line-treatment/"
FORM = 'form[data-calculator="azathioprine-dose"]'
# Appended to the real worker: its second calculation of the azathioprine dose kills it, as an
# out-of-memory or fatal runtime error would. Counting that calculator alone keeps the moment
# fixed: the page computes each of its calculators once when Python is ready.
CRASH = """
;(() => {
  const real = self.onmessage;
  let computed = 0;
  self.onmessage = (event) => {
    if (event.data.type === "compute" && event.data.id === "azathioprine-dose" && ++computed === 2) {
      setTimeout(() => { throw new Error("simulated crash"); });
      return;
    }
    return real(event);
  };
})();
"""


def failed_status(page: Any) -> str:
    page.wait_for_selector(f'{FORM}[data-state="error"]', timeout=30_000)
    assert page.locator("#calc-azathioprine-dose .aihcalc__fallback").is_visible()
    return page.locator(f"{FORM} [data-status]").inner_text()


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("**/pyodide.mjs", "could not start"),
        ("**/aihcalc-*.whl", "answered HTTP 404"),
    ],
    ids=["pyodide-404", "calculators-404"],
)
def test_a_missing_runtime_file_is_explained_and_the_fallback_stays(
    open_context: Any, base_url: str, pattern: str, expected: str
) -> None:
    context, _ = open_context()
    context.route(pattern, lambda route: route.fulfill(status=404, body="not found"))
    page = context.new_page()
    page.goto(base_url + PAGE)
    status = failed_status(page)
    assert expected in status and "still applies" in status
    assert page.locator(f'{FORM} output[data-output="value"]').inner_text() == "—"


def test_python_blocked_is_explained(open_context: Any, base_url: str) -> None:
    context, _ = open_context()
    context.route("**/pyodide/**", lambda route: route.abort("blockedbyclient"))
    page = context.new_page()
    page.goto(base_url + PAGE)
    assert "could not start" in failed_status(page)


def _serve_worker(times: int) -> tuple[Any, dict[str, int]]:
    """A route handler giving the crashing worker to the first ``times`` loads, then the real one."""
    served = {"n": 0}

    def handle(route: Any) -> None:
        served["n"] += 1
        response = route.fetch()
        body = response.text() + (CRASH if served["n"] <= times else "")
        route.fulfill(response=response, body=body)

    return handle, served


def _wait_for_loads(page: Any, served: dict[str, int], n: int) -> None:
    for _ in range(300):
        if served["n"] >= n:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the worker was loaded {served['n']} times, not {n}")


def test_a_worker_that_dies_once_is_restarted_and_answers_again(open_context: Any, base_url: str) -> None:
    context, _ = open_context()
    handle, served = _serve_worker(times=1)
    context.route("**/assets/aihcalc/worker.js", handle)
    page = context.new_page()
    page.goto(base_url + PAGE)
    form = wait_ready(page, "azathioprine-dose")
    vector = example_vector(aihcalc.get("azathioprine-dose"))
    fill(page, "azathioprine-dose", vector)  # the second calculation kills the worker
    _wait_for_loads(page, served, 2)
    expected = cli("azathioprine-dose", vector)["display"]["value"]
    page.wait_for_function(
        "([o, t]) => o.textContent === t",
        arg=[form.locator('output[data-output="value"]').element_handle(), expected],
        timeout=60_000,
    )
    assert served["n"] == 2


def test_a_worker_that_dies_twice_is_explained(open_context: Any, base_url: str) -> None:
    context, _ = open_context()
    handle, served = _serve_worker(times=2)
    context.route("**/assets/aihcalc/worker.js", handle)
    page = context.new_page()
    page.goto(base_url + PAGE)
    wait_ready(page, "azathioprine-dose")
    fill(page, "azathioprine-dose", example_vector(aihcalc.get("azathioprine-dose")))  # kills the first
    _wait_for_loads(page, served, 2)
    # The restarted worker recomputes the filled form when ready; more typing reaches its
    # second calculation, which kills it too.
    for weight in range(71, 131):
        if page.locator(f'{FORM}[data-state="error"]').count():
            break
        if page.locator(f'{FORM}[data-state="ready"]').count():
            page.locator(f'{FORM} [name="weight_kg"]').fill(str(weight))
        page.wait_for_timeout(500)
    status = failed_status(page)
    assert "stopped again after a restart" in status and "still applies" in status
    assert served["n"] == 2


def _answers_like_the_cli(page: Any) -> None:
    form = wait_ready(page, "azathioprine-dose")
    vector = example_vector(aihcalc.get("azathioprine-dose"))
    fill(page, "azathioprine-dose", vector)
    expected = cli("azathioprine-dose", vector)["display"]["value"]
    page.wait_for_function(
        "([o, t]) => o.textContent === t",
        arg=[form.locator('output[data-output="value"]').element_handle(), expected],
        timeout=60_000,
    )


def test_python_is_restored_from_the_snapshot(open_context: Any, base_url: str) -> None:
    context, _ = open_context()
    fetched: list[str] = []
    context.on("request", lambda request: fetched.append(request.url))
    page = context.new_page()
    page.goto(base_url + PAGE)
    _answers_like_the_cli(page)
    assert page.locator("html").get_attribute("data-aihcalc-boot") == "restored"
    # Restored over an empty standard library, with the lock file inline: neither is fetched.
    assert any(url.endswith("/python.snapshot") for url in fetched)
    assert not any(url.endswith("/python_stdlib.zip") or url.endswith("/pyodide-lock.json") for url in fetched)


def test_a_snapshot_the_host_inflated_on_the_way_is_still_restored(open_context: Any, base_url: str) -> None:
    """A host that sent the file with Content-Encoding: gzip hands the worker the packed image
    itself, not the gzip the build wrote."""
    context, _ = open_context()
    served = {"n": 0}

    def inflated(route: Any) -> None:
        served["n"] += 1
        route.fulfill(status=200, body=gzip.decompress(route.fetch().body()), content_type="application/octet-stream")

    context.route("**/python.snapshot", inflated)
    page = context.new_page()
    page.goto(base_url + PAGE)
    _answers_like_the_cli(page)
    assert page.locator("html").get_attribute("data-aihcalc-boot") == "restored"
    assert served["n"] == 1


def _gzipped(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (None, "HTTP 404"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"not a gzip stream", ""),
        (_gzipped(b"\x00snp" + bytes(4096)), "unknown format"),
        (_gzipped(snapshot_image.pack(b"\x00snp" + bytes(8192) + b"x" * 100)), ""),
        (_gzipped(snapshot_image.pack(b"\x00snp" + b"x" * 8192)[:-100]), "ends early"),
        # Static data XORed with data segments other than this runtime's: the checksum of what
        # the worker puts back does not match, so the image never reaches Pyodide.
        (
            _gzipped(snapshot_image.pack(b"\x00snp" + struct.pack("<I", 144) + bytes(136 + (4 << 20)), base=[(1024, b"\x01" * 1000)])),
            "checksum",
        ),
    ],
    ids=[
        "snapshot-404", "snapshot-not-inflatable", "snapshot-not-packed", "snapshot-of-another-build", "snapshot-cut-short",
        "snapshot-for-another-runtime",
    ],
)
def test_a_snapshot_that_cannot_be_used_falls_back_to_starting_python(
    open_context: Any, base_url: str, body: bytes | None, why: str
) -> None:
    context, _ = open_context()
    if body is None:
        context.route("**/python.snapshot", lambda route: route.fulfill(status=404, body="not found"))
    else:
        context.route("**/python.snapshot", lambda route: route.fulfill(status=200, body=body))
    page = context.new_page()
    warnings: list[str] = []
    page.on("console", lambda m: m.type == "warning" and warnings.append(m.text))
    page.goto(base_url + PAGE)
    _answers_like_the_cli(page)
    assert page.locator("html").get_attribute("data-aihcalc-boot") == "started"
    assert any("snapshot could not be used" in w and why in w for w in warnings), warnings
