"""Offline after one visit, in real headless Chromium: the saved copy answers, and versions replace each other.

These tests serve their own builds from their own server, which they stop (the site gone, as
in a clinic without signal) or switch to another build on the same address (a new deploy);
the session-wide server of conftest.py is never touched.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import aihcalc
from aihcalc import bridge
from tests.browser.conftest import QuietHandler, screenshot
from tests.browser.surface import axe, describe, example_vector, fill
from tests.conftest import PROJECT_ROOT, skip_or_fail

pytestmark = pytest.mark.browser

READY_MS = 120_000
FIRST = "/aih/first-line-treatment/"  # azathioprine-dose, prednisolone-taper
SECOND = "/liver-scores/"  # meld, ...
THIRD = "/aih/budesonide/"  # budesonide-regimen
MARK_B = ' (B)'  # the second build's site name ends with it: every one of its pages says so


class OwnServer:
    """A loopback server on a fixed port whose folder can be switched, stopped and started."""

    def __init__(self) -> None:
        self.root: Path | None = None
        self.port = 0
        self.server: http.server.ThreadingHTTPServer | None = None
        self._bind()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _bind(self) -> None:
        def handler(*args: Any, **kwargs: Any) -> QuietHandler:
            return QuietHandler(*args, directory=str(self.root), **kwargs)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self.port = self.server.server_address[1]

    def start(self, root: Path) -> None:
        self.root = root
        if self.server is None:
            self._bind()
        assert self.server is not None
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def refuses(self) -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) != 0


@dataclass(frozen=True)
class Build:
    site: Path
    version: str
    files: dict[str, str]  # url (from the site root) -> integrity

    @classmethod
    def read(cls, site: Path) -> "Build":
        data = json.loads(re.search(r"const OFFLINE = (\{.*\});", (site / "sw.js").read_text(encoding="utf-8"))[1])
        return cls(site, data["version"], {f["url"]: f["integrity"] for f in data["files"]})


def build(project: Path, site: Path, url: str) -> Build:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": url + "/", "PYTHONPATH": str(project / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project, capture_output=True, text=True, env=env, timeout=300,
    )
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stderr}"
    return Build.read(site)


def changed_copy(tmp: Path) -> Path:
    """The project with a new deploy's changes: the site name (every page), a stylesheet, a script."""
    copy = tmp / "project-b"
    copy.mkdir()
    for name in ("mkdocs.yml", "pyproject.toml", "README.md"):
        shutil.copy2(PROJECT_ROOT / name, copy / name)
    for name in ("content", "hooks", "src"):
        shutil.copytree(PROJECT_ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (copy / "node_modules").symlink_to(PROJECT_ROOT / "node_modules")
    config = copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_name: AIH guidance and calculators", f"site_name: AIH guidance and calculators{MARK_B}", 1), encoding="utf-8")
    with (copy / "hooks" / "assets" / "content.css").open("a", encoding="utf-8") as css:
        css.write("\n.aih-offline-test-b { order: 2; }\n")
    with (copy / "hooks" / "assets" / "calculators.js").open("a", encoding="utf-8") as js:
        js.write('\nglobalThis.aihcalcBuild = "B";\n')
    return copy


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[OwnServer, Build, Build]]:
    """One address, two builds of it: A as the repository has it, B with three files changed."""
    if not (PROJECT_ROOT / "node_modules" / "pyodide").is_dir():
        skip_or_fail("node_modules missing: run npm ci")
    tmp = tmp_path_factory.mktemp("offline")
    server = OwnServer()
    first = build(PROJECT_ROOT, tmp / "site-a", server.url)
    second = build(changed_copy(tmp), tmp / "site-b", server.url)
    assert first.version != second.version
    yield server, first, second
    server.stop()


def status(page: Any) -> dict[str, str]:
    return page.evaluate(
        "() => { const l = document.querySelector('[data-offline-status]');"
        " return l ? {state: l.dataset.offline || '', text: l.textContent, hidden: String(l.hidden)} : {}; }"
    )


def wait_status(page: Any, state: str, contains: str = "", timeout_ms: int = READY_MS) -> str:
    """Wait for the status line, across the reloads a version change makes."""
    deadline = time.monotonic() + timeout_ms / 1000
    seen: dict[str, str] = {}
    while time.monotonic() < deadline:
        try:
            seen = status(page)
        except Exception:  # noqa: BLE001 - the page is reloading: ask again
            seen = {}
        if seen.get("state") == state and contains in seen.get("text", "") and seen.get("hidden") == "false":
            return seen["text"]
        time.sleep(0.2)
    raise AssertionError(f"status line never said {state!r} with {contains!r}; last seen {seen}")


def live_answer(page: Any, calc_id: str) -> None:
    """Type the worked example; the page's answer is the one aihcalc.bridge gives in CPython."""
    calc = aihcalc.get(calc_id)
    form = page.locator(f'form[data-calculator="{calc_id}"]')
    page.wait_for_selector(f'form[data-calculator="{calc_id}"][data-state="ready"]', timeout=READY_MS)
    vector = example_vector(calc)
    before = int(form.get_attribute("data-computed") or 0)
    fill(page, calc_id, vector)
    page.wait_for_function(
        "([f, n]) => Number(f.dataset.computed || 0) > n && f.dataset.result === 'ok'",
        arg=[form.element_handle(), before], timeout=READY_MS,
    )
    expected = json.loads(bridge.handle(json.dumps({"id": calc_id, "inputs": vector})))
    assert expected["ok"], expected
    page.wait_for_function(
        "([f, text]) => f.querySelector('output[data-output=value]').textContent === text",
        arg=[form.element_handle(), expected["result"]["display"]["value"]], timeout=10_000,
    )


def relative(url: str, base: str) -> str:
    path = url.removeprefix(base + "/").split("#")[0].split("?")[0]
    return path or "./"


def caches(page: Any) -> list[str]:
    return page.evaluate("() => caches.keys()")


def watch_workers(context: Any, errors: list[str]) -> None:
    """The service worker's own console errors count too."""
    context.on("serviceworker", lambda w: w.on("console", lambda m: m.type == "error" and errors.append(f"sw: {m.text}")))


def test_after_one_visit_calculator_pages_answer_with_the_site_gone(open_context: Any, sites: tuple[OwnServer, Build, Build]) -> None:
    server, first, _ = sites
    server.start(first.site)
    base = server.url
    context, record = open_context(service_workers="allow")
    watch_workers(context, record.console_errors)
    fetched: list[str] = []  # what pages and their workers asked for (not the service worker's own downloads)
    context.on("request", lambda r: r.service_worker is None and r.url.startswith(base) and fetched.append(r.url))
    page = context.new_page()
    page.goto(base + FIRST)
    page.wait_for_selector('form[data-calculator="azathioprine-dose"][data-state="ready"]', timeout=READY_MS)
    text = wait_status(page, "available")
    assert text.startswith(f"Available offline: this site is saved on this device (site version {first.version}, aihcalc {aihcalc.__version__}, saved ")
    assert caches(page) == [f"aih-offline {base}/ {first.version}"]
    # Everything the visit fetched (the page, the theme, Python's boot files, the wheel) is in the copy.
    missing = sorted({relative(u, base) for u in fetched} - set(first.files) - {"sw.js"})
    assert missing == [], f"fetched but not saved for offline use: {missing}"

    server.stop()
    assert server.refuses()
    try:
        # A full navigation to another calculator page: the page, the theme and Python come from the copy.
        page.goto(base + SECOND)
        live_answer(page, "meld")
        text = wait_status(page, "offline")
        assert text.startswith(f"Offline: showing the copy saved on this device (site version {first.version}, aihcalc {aihcalc.__version__}, saved ")
        # Instant navigation (the theme's own page swap) to a third one: the same worker answers.
        page.evaluate("() => { window.aihcalcSameDocument = true; }")
        page.locator(f'a.md-nav__link[href$="{THIRD.strip("/").split("/")[-1]}/"]').first.click()
        page.wait_for_url(f"**{THIRD}")
        live_answer(page, "budesonide-regimen")
        assert page.evaluate("() => window.aihcalcSameDocument === true"), "the click reloaded the page"
        wait_status(page, "offline", f"site version {first.version}")
        page.locator("[data-offline-status]").scroll_into_view_if_needed()
        screenshot(page, "offline-budesonide-1280")
        for scheme in ("light", "dark"):  # the status line, shown, as axe-core reads it
            page.emulate_media(color_scheme=scheme)
            violations = axe(page)
            assert not violations, f"offline ({scheme}):\n{describe(violations)}"
        page.emulate_media(color_scheme="light")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(base + FIRST)  # and once more in full, at a phone's width
        live_answer(page, "azathioprine-dose")
        wait_status(page, "offline")
        screenshot(page, "offline-first-line-treatment-390")
    finally:
        server.stop()
    assert record.console_errors == []
    assert record.foreign(base) == []


# Every state the status line takes, in order (the line is rendered again on each change).
STATES_JS = """
window.__offlineStates = [];
document.addEventListener("DOMContentLoaded", () => {
  const line = document.querySelector("[data-offline-status]");
  if (line) new MutationObserver(() => window.__offlineStates.push(line.dataset.offline || ""))
    .observe(line, { attributes: true, attributeFilter: ["data-offline"] });
});
"""


def test_a_copy_that_fails_to_save_is_reported_as_not_saved_never_as_offline(open_context: Any, sites: tuple[OwnServer, Build, Build], tmp_path: Path) -> None:
    """A file that does not match its checksum (a deploy landing mid-download, a proxy that rewrites
    pages) stops the copy. The site is there all along: the reader is told that the copy was not
    saved, never that they are offline and the calculators may not load."""
    server, first, _ = sites
    altered = tmp_path / "site-altered"
    shutil.copytree(first.site, altered, copy_function=os.link)
    assert "editorial-policy/" in first.files
    changed = altered / "editorial-policy" / "index.html"
    text = changed.read_text(encoding="utf-8")
    changed.unlink()  # a file of its own, not the hard link to the build's
    changed.write_text(text.replace("</body>", "<!-- changed after the build -->\n</body>"), encoding="utf-8")
    server.start(altered)
    base = server.url
    try:
        context, record = open_context(service_workers="allow")
        context.add_init_script(STATES_JS)
        page = context.new_page()
        page.goto(base + FIRST)
        text = wait_status(page, "failed")
        assert text.startswith("Not saved for use offline"), text
        live_answer(page, "azathioprine-dose")  # the page itself works meanwhile
        page.wait_for_timeout(3000)  # the reachability check that follows the failure has answered
        assert status(page)["state"] == "failed"
        states = page.evaluate("window.__offlineStates")
        assert "failed" in states and "offline" not in states, states
    finally:
        server.stop()
    assert record.console_errors == []


def responses_of_the_last_page(page: Any) -> Callable[[], list[Any]]:
    """The responses the page's current document received (a new document starts the list again;
    a same-document navigation, such as the theme recording the scroll position, does not)."""
    seen: list[Any] = []

    def requested(request: Any) -> None:
        if request.is_navigation_request() and request.frame == page.main_frame:
            seen.clear()

    page.on("request", requested)
    page.on("response", lambda response: seen.append(response))
    return lambda: list(seen)


def assert_only(page: Any, responses: Callable[[], list[Any]], base: str, build: Build) -> None:
    """The page, its styles and its scripts are the new build's, byte for byte; one cache left.

    The responses are read only once the page has loaded and its scripts ran: a list taken
    earlier may miss the last scripts to arrive."""
    assert caches(page) == [f"aih-offline {base}/ {build.version}"]
    assert MARK_B in page.locator(".md-header__topic").first.inner_text()
    assert page.evaluate("() => [...document.styleSheets].some(s => [...s.cssRules].some(r => r.selectorText === '.aih-offline-test-b'))")
    page.wait_for_function("() => globalThis.aihcalcBuild === 'B'")
    page.wait_for_load_state("load")
    checked = 0
    for response in responses():
        key = relative(response.url, base)
        if key not in build.files or response.status != 200:
            continue
        digest = "sha256-" + base64.b64encode(hashlib.sha256(response.body()).digest()).decode()
        assert digest == build.files[key], f"{key} is not the new version's"
        checked += 1
    assert checked >= 5, f"only {checked} responses checked"


def test_a_new_version_replaces_the_old_copy_and_pages_reload_from_it(open_context: Any, sites: tuple[OwnServer, Build, Build]) -> None:
    server, first, second = sites
    server.start(first.site)
    base = server.url
    try:
        context, record = open_context(service_workers="allow")
        watch_workers(context, record.console_errors)
        page = context.new_page()
        page.goto(base + FIRST)
        wait_status(page, "available", f"site version {first.version}")
        assert MARK_B not in page.locator(".md-header__topic").first.inner_text()
        server.root = second.site  # a new deploy at the same address
        last = responses_of_the_last_page(page)
        page.reload()  # from the old copy; the page finds the new sw.js, which saves B, takes over, reloads
        wait_status(page, "available", f"site version {second.version}")
        page.wait_for_load_state("load")
        assert_only(page, last, base, second)
        # The new copy stands alone once the site is gone.
        server.stop()
        page.goto(base + SECOND)
        live_answer(page, "meld")
        wait_status(page, "offline", f"site version {second.version}")
        assert MARK_B in page.locator(".md-header__topic").first.inner_text()
    finally:
        server.stop()
    assert record.console_errors == []


def test_a_new_version_waits_while_the_reader_types_and_takes_over_on_the_next_page(open_context: Any, sites: tuple[OwnServer, Build, Build]) -> None:
    server, first, second = sites
    server.start(first.site)
    base = server.url
    try:
        context, record = open_context(service_workers="allow")
        watch_workers(context, record.console_errors)
        page = context.new_page()
        page.goto(base + FIRST)
        wait_status(page, "available", f"site version {first.version}")
        live_answer(page, "azathioprine-dose")  # the reader is using this page
        page.evaluate("() => { window.aihcalcSameDocument = true; }")
        server.root = second.site
        page.evaluate("() => window.dispatchEvent(new Event('online'))")  # the page looks for a new version
        text = wait_status(page, "update", f"site version {second.version}")
        assert "it shows when you open another page" in text
        assert page.evaluate("() => window.aihcalcSameDocument === true"), "the page reloaded under the reader"
        assert page.evaluate("() => globalThis.aihcalcBuild") is None
        assert len(caches(page)) == 2  # the new copy is complete and waits; the old one still serves
        last = responses_of_the_last_page(page)
        page.locator(f'a.md-nav__link[href$="{SECOND.strip("/")}/"]').first.click()
        page.wait_for_url(f"**{SECOND}")
        wait_status(page, "available", f"site version {second.version}")
        assert page.evaluate("() => window.aihcalcSameDocument") is None, "a page of B inside a page of A"
        assert_only(page, last, base, second)
    finally:
        server.stop()
    assert record.console_errors == []


def test_a_page_in_use_stays_whole_when_another_tab_lets_the_new_version_take_over(open_context: Any, sites: tuple[OwnServer, Build, Build]) -> None:
    server, first, second = sites
    server.start(first.site)
    base = server.url
    try:
        context, record = open_context(service_workers="allow")
        watch_workers(context, record.console_errors)
        busy = context.new_page()
        busy.goto(base + FIRST)
        wait_status(busy, "available", f"site version {first.version}")
        live_answer(busy, "azathioprine-dose")
        busy.evaluate("() => { window.aihcalcSameDocument = true; }")
        server.root = second.site
        other = context.new_page()  # a second tab, untouched: it lets B take over at once
        other.goto(base + THIRD)
        wait_status(other, "available", f"site version {second.version}")
        # The busy tab is left as it was, and says which version it is and which one is now saved.
        text = wait_status(busy, "update", f"(site version {second.version})")
        assert text.endswith(f"This page: site version {first.version}, aihcalc {aihcalc.__version__}.")
        assert busy.evaluate("() => window.aihcalcSameDocument === true"), "the page reloaded under the reader"
        assert caches(busy) == [f"aih-offline {base}/ {second.version}"]
        last = responses_of_the_last_page(busy)
        busy.locator(f'a.md-nav__link[href$="{SECOND.strip("/")}/"]').first.click()
        busy.wait_for_url(f"**{SECOND}")
        wait_status(busy, "available", f"site version {second.version}")
        assert busy.evaluate("() => window.aihcalcSameDocument") is None, "a page of B inside a page of A"
        assert_only(busy, last, base, second)
    finally:
        server.stop()
    assert record.console_errors == []
