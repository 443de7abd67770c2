"""Browser fixtures: build the site once, serve it on 127.0.0.1, drive Debian's Chromium.

Chromium runs with flags that stop it talking to Google services, and with a resolver rule
that makes any request to a host other than 127.0.0.1 fail loudly; every request a page or
its worker makes is recorded so tests can assert the site stays same-origin.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

from tests.browser.surface import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import PROJECT_ROOT, skip_or_fail

SCREENSHOT_DIR = PROJECT_ROOT / "artifacts"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".whl": "application/zip",
    }

    def end_headers(self) -> None:
        # What static hosts such as GitHub Pages send with every file: any page may fetch it.
        # The <aihcalc-calculator> element on a host page of another origin relies on it.
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve a fresh strict build on a free loopback port.

    The port is bound first and the site built for that address (SITE_URL), because
    Material's instant navigation only intercepts links to pages listed under site_url.
    """
    site = tmp_path_factory.mktemp("site")
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": url + "/"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stderr}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        skip_or_fail(f"{CHROMIUM} is missing: apt-get install chromium (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Recorder:
    """Everything a context did on the network and in its consoles."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def foreign(self, base_url: str) -> list[str]:
        return [u for u in self.requests if not (u.startswith(base_url + "/") or u.startswith(("data:", "blob:")))]


@pytest.fixture
def open_context(browser: object) -> Iterator[object]:
    """Factory: a fresh context (options passed through) whose traffic and console are recorded.

    Service workers are blocked unless a test allows them (service_workers="allow", as
    test_offline.py does): the offline copy's background download would otherwise join every
    test's traffic and timing.
    """
    contexts = []

    def make(**options: object) -> tuple[object, Recorder]:
        options = {"viewport": {"width": 1280, "height": 900}, "service_workers": "block", **options}
        context = browser.new_context(**options)  # type: ignore[attr-defined]
        record = Recorder()
        context.on("request", lambda r: record.requests.append(r.url))
        context.on("requestfailed", lambda r: record.failed.append(f"{r.url} {r.failure}"))

        def watch(page: object) -> None:
            page.on("console", lambda m: m.type == "error" and record.console_errors.append(m.text))  # type: ignore[attr-defined]
            page.on("pageerror", lambda e: record.console_errors.append(str(e)))  # type: ignore[attr-defined]
            page.on("worker", lambda w: w.on("console", lambda m: m.type == "error" and record.console_errors.append(m.text)))  # type: ignore[attr-defined]

        context.on("page", watch)
        contexts.append(context)
        return context, record

    yield make
    for context in contexts:
        context.close()


DRAW_ALL = "test-draw-every-calculator"


def screenshot(page: object, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    # A full-page capture draws the whole page at once, far past the screen, where the site
    # leaves calculators undrawn until a reader scrolls near them (content-visibility: auto):
    # draw them for the picture, so it shows the page as a reader scrolling through it sees it.
    # (Added from Playwright's side, and only to the site's pages: a page with JavaScript off
    # runs none of its own, and a host page's policy may forbid inline styles.)
    head = page.locator("head")  # type: ignore[attr-defined]
    drawn = page.locator("details.aih-team").count() > 0  # type: ignore[attr-defined]
    if drawn:
        head.evaluate(f"h => {{ const s = document.createElement('style'); s.id = '{DRAW_ALL}'; s.textContent = 'details.aih-team {{ content-visibility: visible !important; }}'; h.append(s); }}")
    try:
        page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    finally:
        if drawn:
            head.evaluate(f"h => h.querySelector('#{DRAW_ALL}').remove()")
    return path
