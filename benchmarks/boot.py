#!/usr/bin/env python3
"""Boot benchmark: how soon the live calculators answer, against a plain page doing the same.

Why this exists. The site boots Pyodide in one Web Worker behind MkDocs Material (its own
JavaScript, instant navigation, a status and progress UI, a generic front end). Each layer can
cost a clinician time on the first visit, and none of that shows in unit tests. Absolute times
say little (they depend on the machine), so every figure here is printed beside a BASELINE
measured in the same run, in the same Chromium, from the same files: a bare HTML page whose own
plain module worker boots the same Pyodide, unpacks the same wheel, imports ``aihcalc.bridge``
and answers the same request. The ratio (site / baseline) is the figure to watch; there is no
pass or fail and the script exits 0 whenever it produced a table.

What it measures, for the azathioprine page (median of ``--runs`` cold runs):

- cold and warm first live result (navigation start to the form's first ``data-computed``),
  warm meaning a second launch on the same user-data directory, so the wasm comes from disk;
- DOMContentLoaded, and first contentful paint (what the reader sees: the site's parser-blocking
  inline scripts, which wait for the stylesheets, hold DOMContentLoaded back without holding
  back the first paint);
- the next calculator page (MELD): the site by instant navigation (a click in the nav, the
  worker should survive), the baseline by an ordinary navigation to its next page; and the
  site again with sitemap.xml naming another origin (a deployment without SITE_URL), where
  Material falls back to full page loads and Python boots again;
- input-to-output latency p50/p95 over ``--inputs`` values typed into ``weight_kg``;
- main-thread blocking until the first result (Long Tasks API: sum of duration - 50 ms);
- bytes the server sent and requests it answered until the first result (cold and warm);
- every request's host (anything but 127.0.0.1 is counted and printed), console errors;
- where the site's time goes: when each step of its boot ended (the worker's own marks: worker
  started, Pyodide's loader imported, snapshot inflated, Python ready, calculators in hand),
  and which files it fetched before the first live result, largest first.

The site restores Python from the build's memory snapshot (hooks/snapshot.py); the baseline
starts Python as Pyodide does by default. The notes say which way each site load went.

The site is built into a temporary folder for the port it is served on (SITE_URL), as the
browser tests do. Usage: ``.venv/bin/python benchmarks/boot.py [--runs 3] [--inputs 50]
[--no-build] [--latency MS] [--bandwidth MBIT]`` (``make bench``); ``--no-build`` reuses ./site (its
sitemap.xml is served with the served origin, so instant navigation still engages). ``make bench`` serves as
fast as the loopback goes; ``--bandwidth`` shares one slower link between every file, where the bytes an
answer needs weigh more than the work the browser does with them.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import functools
import html.parser
import http.server
import io
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator, Optional
from urllib.parse import urljoin, urlsplit

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT), str(PROJECT / "src")]
from tests.browser.surface import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (one set of flags for every run)

SITE_PAGE = "/aih/first-line-treatment/"
NEXT_PAGE = "/liver-scores/"
FIRST_CALC = "azathioprine-dose"
NEXT_CALC = "meld"
LATENCY_INPUT = "weight_kg"
BASELINE_PREFIX = "/__baseline__/"
BOOT_TIMEOUT_MS = 90_000
STEP_TIMEOUT_MS = 5_000
SETTLE_MS = 500
MISMATCHED_ORIGIN = "http://127.0.0.1:9"  # a sitemap.xml origin that is never the served one
VIEWPORT = {"width": 1280, "height": 900}

# Runs in every document before its own scripts: stamps performance.now() when a calculator form
# first gets data-computed (the first live result) and keeps the page's long tasks.
INIT_JS = """
(() => {
  if (window.__bench) return;
  const b = (window.__bench = { computed: {}, longtasks: [] });
  new MutationObserver((records) => {
    const now = performance.now();
    for (const r of records) {
      const id = r.target.getAttribute && r.target.getAttribute("data-calculator");
      if (id && r.target.hasAttribute("data-computed") && !(id in b.computed)) b.computed[id] = now;
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-computed"] });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (e) { b.longtaskError = String(e); }
})();
"""

LOAD_FIGURES_JS = """
(id) => {
  const b = window.__bench;
  const first = b.computed[id];
  const nav = performance.getEntriesByType("navigation")[0];
  const early = b.longtasks.filter(([start]) => start < first);
  return {
    first,
    dcl: nav ? nav.domContentLoadedEventEnd : null,
    fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
    blocking: early.reduce((sum, [, d]) => sum + Math.max(0, d - 50), 0),
    longtasks: early.length,
    boot: document.documentElement.dataset.aihcalcBoot || null,
    phases: Object.fromEntries(Object.entries(globalThis.aihcalcBootMarks || {}).map(([k, v]) => [k, v - performance.timeOrigin])),
  };
}
"""

# Types each value into one field (an "input" event, as a keystroke makes) and times the moment
# the form's data-computed counter moves, which calculators.js sets right after it wrote the
# outputs; also counts how often the primary output's text actually changed.
LATENCY_JS = """
async ({ id, name, values, stepTimeout }) => {
  const form = document.querySelector(`form[data-calculator="${id}"]`);
  const field = form.elements.namedItem(name);
  const out = form.querySelector('output[data-output="value"]');
  const times = [];
  let changed = 0;
  for (const value of values) {
    const before = Number(form.dataset.computed || 0);
    const text = out ? out.textContent : "";
    let observer;
    const done = new Promise((resolve) => {
      observer = new MutationObserver(() => {
        if (Number(form.dataset.computed || 0) > before) resolve(performance.now());
      });
      observer.observe(form, { attributes: true, attributeFilter: ["data-computed"] });
    });
    const timeout = new Promise((resolve) => setTimeout(() => resolve(null), stepTimeout));
    field.value = String(value);
    const start = performance.now();
    field.dispatchEvent(new Event("input", { bubbles: true }));
    const end = await Promise.race([done, timeout]);
    observer.disconnect();
    times.push(end === null ? null : end - start);
    if (out && out.textContent !== text) changed += 1;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return { times, changed };
}
"""

CLICK_JS = """
(path) => {
  const link = Array.from(document.querySelectorAll("a[href]")).find(
    (a) => new URL(a.href).pathname === path && a.closest("nav"),
  );
  if (!link) return null;
  window.__benchMarker = true;
  const click = performance.now();
  link.click();
  return { origin: performance.timeOrigin, click, href: link.href };
}
"""

ARRIVED_JS = """
({ path, id }) => location.pathname === path && !!window.__bench && window.__bench.computed[id] !== undefined
"""


# --------------------------------------------------------------------------------------------
# The site and the baseline page


def build_site(dest: Path, origin: str) -> Path:
    """``mkdocs build --strict`` into ``dest`` for ``origin`` (SITE_URL, which Material's instant
    navigation needs to match the served address); exits with MkDocs' message if it fails."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": origin + "/"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)]
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=PROJECT, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        sys.exit(f"mkdocs build --strict failed, so there is nothing to measure:\n{proc.stderr[-4000:]}")
    print(f"built the site in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return dest


@dataclass(frozen=True)
class Runtime:
    """Site-root paths of the Pyodide folder and the wheel, as the site's worker script has them."""

    pyodide_version: str
    pyodide_dir: str
    wheel: str
    site_dir: str = ""
    snapshot: str = ""


def read_runtime(site: Path) -> Runtime:
    from hooks import bundle

    data = bundle.runtime_of((site / bundle.ASSET_DIR / bundle.WORKER).read_text(encoding="utf-8"))
    base = "/assets/aihcalc/"
    return Runtime(
        pyodide_version=data["pyodideVersion"],
        pyodide_dir=urljoin(base, data["pyodide"]),
        wheel=base + data["wheel"],
        site_dir=str(site),
        snapshot=urljoin(base, data["snapshot"]) if data.get("snapshot") else "",
    )


class _FormDefaults(html.parser.HTMLParser):
    """The values a built calculator form shows before anyone types (what the site computes first)."""

    def __init__(self, calc_id: str) -> None:
        super().__init__()
        self.calc_id = calc_id
        self.inside = False
        self.select: Optional[str] = None
        self.values: dict[str, str] = {}
        self.first_option: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("data-calculator") == self.calc_id:
            self.inside = True
        elif not self.inside:
            return
        elif tag == "input" and a.get("name"):
            self.values[a["name"] or ""] = a.get("value") or ""
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select:
            if a.get("value"):  # "Choose…" is no choice
                self.first_option.setdefault(self.select, a["value"])
            if "selected" in a:
                self.values[self.select] = a.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def default_inputs(page_html: Path, calc_id: str) -> dict[str, str]:
    """What the form holds once a clinician has filled it in: its own values, then the example.

    Forms start with no clinical choice made, so the benchmark fills the calculator's example
    into the empty fields (as a person would) before the first live result is timed.
    """
    parser = _FormDefaults(calc_id)
    parser.feed(page_html.read_text(encoding="utf-8"))
    if not parser.values and not parser.first_option:
        raise SystemExit(f"{page_html} holds no form[data-calculator={calc_id!r}]: nothing to measure")
    shown = {k: v for k, v in parser.values.items() if v != ""}
    return {**parser.first_option, **example_inputs(calc_id), **shown}


def example_inputs(calc_id: str) -> dict[str, str]:
    sys.path.insert(0, str(PROJECT / "src"))
    import aihcalc

    def text(value: Any) -> str:
        return ("true" if value else "false") if isinstance(value, bool) else str(value)

    return {k: text(v) for k, v in aihcalc.get(calc_id).example.items()}


def fill_script(defaults: dict[str, dict[str, str]]) -> str:
    """Fills each benchmarked form's empty fields as soon as it is in the document: once the page
    is parsed, and again whenever instant navigation swaps in a page with new forms (then an
    input event asks the page to compute with what was filled)."""
    return (
        f"window.__benchFill = {json.dumps(defaults)};"
        + """
const benchFillForms = () => {
  for (const form of document.querySelectorAll("form[data-calculator]")) {
    if (form.dataset.benchFilled) continue;
    form.dataset.benchFilled = "true";
    let changed = false;
    for (const [name, value] of Object.entries(window.__benchFill[form.dataset.calculator] || {})) {
      const field = form.elements.namedItem(name);
      if (field && field.value === "") {
        field.value = value;
        changed = true;
      }
    }
    if (changed) form.dispatchEvent(new Event("input", { bubbles: true }));
  }
};
document.addEventListener("DOMContentLoaded", () => {
  benchFillForms();
  new MutationObserver(benchFillForms).observe(document.body, { childList: true, subtree: true });
});
"""
    )


BASELINE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Baseline: plain worker</title>
<link rel="icon" href="data:,"></head>
<body>
<p>Baseline for benchmarks/boot.py: a plain module worker boots Pyodide and imports aihcalc.</p>
<script type="application/json" id="defaults">__DEFAULTS__</script>
<script type="module">
const marks = (window.__baseline = { script: performance.now() });
const id = new URLSearchParams(location.search).get("calc") || "__FIRST__";
const defaults = JSON.parse(document.getElementById("defaults").textContent)[id];
const form = document.createElement("form");
form.dataset.calculator = id;
for (const [name, value] of Object.entries(defaults)) {
  const input = document.createElement("input");
  input.name = name;
  input.value = value;
  form.append(input);
}
const out = document.createElement("output");
out.dataset.output = "value";
form.append(out);
document.body.append(form);
const worker = new Worker("./worker.mjs", { type: "module" });
let seq = 0;
const send = () => {
  const inputs = Object.fromEntries(Array.from(form.elements, (e) => [e.name, e.value]).filter(([n]) => n));
  worker.postMessage({ seq: ++seq, id, inputs });
};
worker.onmessage = ({ data }) => {
  if (data.seq !== seq) return;
  const answer = JSON.parse(data.answer);
  if (!answer.ok) { out.textContent = marks.error = answer.error.reason; return; }
  if (!marks.first) Object.assign(marks, data.marks, { first: performance.now() });
  out.textContent = answer.result.display.value;
  form.dataset.computed = String(Number(form.dataset.computed || 0) + 1);
};
form.addEventListener("input", send);
send();
</script>
</body></html>
"""

BASELINE_WORKER = """// Plain: import Pyodide, boot it, fetch and unpack the wheel, import the bridge, answer.
import { loadPyodide } from "__PYODIDE__pyodide.mjs";
const marks = { workerStart: performance.now() };
const ready = (async () => {
  const pyodide = await loadPyodide({ indexURL: new URL("__PYODIDE__", self.location).href });
  marks.pyodide = performance.now();
  const bytes = new Uint8Array(await (await fetch("__WHEEL__")).arrayBuffer());
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
  pyodide.unpackArchive(bytes, "wheel", { extractDir: sitePackages });
  const bridge = pyodide.pyimport("aihcalc.bridge");
  marks.imported = performance.now();
  return bridge;
})();
self.onmessage = async ({ data }) => {
  const bridge = await ready;
  const answer = bridge.handle(JSON.stringify({ id: data.id, inputs: data.inputs }));
  self.postMessage({ seq: data.seq, answer, marks });
};
"""


def write_baseline(folder: Path, runtime: Runtime, defaults: dict[str, dict[str, str]]) -> Path:
    """The bare page and its worker, served at /__baseline__/ beside the site."""
    folder.mkdir(parents=True, exist_ok=True)
    page = BASELINE_HTML.replace("__DEFAULTS__", json.dumps(defaults).replace("</", "<\\/"))
    (folder / "index.html").write_text(page.replace("__FIRST__", FIRST_CALC), encoding="utf-8")
    worker = BASELINE_WORKER.replace("__PYODIDE__", runtime.pyodide_dir).replace("__WHEEL__", runtime.wheel)
    (folder / "worker.mjs").write_text(worker, encoding="utf-8")
    return folder


# --------------------------------------------------------------------------------------------
# The server: the site, the baseline beside it, and a count of what it sent


@dataclass
class Traffic:
    """What the server answered since the last reset (one measurement at a time), and the origin
    it writes into sitemap.xml."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: int = 0
    paths: list[str] = field(default_factory=list)
    # The origin sitemap.xml's <loc> entries are served with (None: as built).
    sitemap_origin: Optional[str] = None
    # Seconds the server waits before answering each request: a round trip of a slow link, so
    # that what waits for what in the page (a script behind the stylesheets, say) shows.
    latency: float = 0.0
    # Bytes per second that all answers together may use (0: as fast as the loopback goes): a
    # link that every file shares, as a phone's does, where how many bytes an answer needs shows.
    bandwidth: float = 0.0
    _link_free_at: float = 0.0

    def reset(self) -> None:
        with self.lock:
            self.sent, self.paths = 0, []

    def add(self, count: int) -> None:
        with self.lock:
            self.sent += count

    def pace(self, count: int) -> None:
        """Hold a write of ``count`` bytes until the shared link has carried what came before."""
        if not self.bandwidth:
            return
        with self.lock:
            start = max(time.monotonic(), self._link_free_at)
            self._link_free_at = start + count / self.bandwidth
            until = self._link_free_at
        time.sleep(max(0.0, until - time.monotonic()))

    def request(self, path: str) -> None:
        with self.lock:
            self.paths.append(path)

    def snapshot(self) -> tuple[int, list[str]]:
        with self.lock:
            return self.sent, list(self.paths)


class CountingWriter:
    """Counts what the server writes: a streamed body is not readable from the browser's side."""

    def __init__(self, raw: BinaryIO, traffic: Traffic) -> None:
        self._raw, self._traffic = raw, traffic

    def write(self, data: bytes) -> int:
        self._traffic.add(len(data))
        self._traffic.pace(len(data))
        return self._raw.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class BenchHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".whl": "application/zip",
    }

    def __init__(self, *args: Any, baseline: str, traffic: Traffic, **kwargs: Any) -> None:
        self.baseline, self.traffic = baseline, traffic
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        super().setup()
        self.wfile = CountingWriter(self.wfile, self.traffic)  # type: ignore[assignment]

    def send_head(self) -> Any:
        self.traffic.request(self.path)
        if self.traffic.latency:
            time.sleep(self.traffic.latency)
        if urlsplit(self.path).path == "/sitemap.xml":
            return self._sitemap()
        return super().send_head()

    def _sitemap(self) -> Any:
        """Never cached, so each measurement gets the variant it asked for."""
        try:
            body = Path(self.translate_path("/sitemap.xml")).read_bytes()
        except OSError:
            self.send_error(404)
            return None
        origin = self.traffic.sitemap_origin
        if origin:
            body = re.sub(rb"<loc>\s*https?://[^/<\s]+", b"<loc>" + origin.encode(), body)
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(body)

    def translate_path(self, path: str) -> str:
        if path.startswith(BASELINE_PREFIX):
            rest = path[len(BASELINE_PREFIX) :].split("?", 1)[0].split("#", 1)[0]
            return str(Path(self.baseline) / (rest or "index.html"))
        return super().translate_path(path)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serving(site: Path, baseline: Path, traffic: Traffic) -> Iterator[str]:
    """Serve on a free loopback port from now on (files may appear later); yields the origin."""
    handler = functools.partial(BenchHandler, directory=str(site), baseline=str(baseline), traffic=traffic)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------------------------
# The browser


@dataclass
class Recorder:
    """Every request, console error and worker a browser context saw."""

    hosts: dict[str, int] = field(default_factory=dict)
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    calc_workers: list[str] = field(default_factory=list)
    wasm_requests: int = 0
    notes: list[str] = field(default_factory=list)

    def watch(self, context: Any, label: str) -> None:
        context.on("request", lambda r: self._request(r.url, label))
        context.on("requestfailed", lambda r: self.failed.append(f"{label}: {r.url} ({r.failure})"))
        for page in context.pages:
            self._watch_page(page, label)
        context.on("page", lambda page: self._watch_page(page, label))

    def _request(self, url: str, label: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return
        host = parts.hostname or "?"
        if parts.path.endswith("/pyodide.asm.wasm"):
            self.wasm_requests += 1  # proves a worker's own requests are seen (and host-checked)
        self.hosts[host] = self.hosts.get(host, 0) + 1
        if host != "127.0.0.1":
            self.foreign.append(f"{label}: {url}")

    def _watch_page(self, page: Any, label: str) -> None:
        def console(kind: str) -> Callable[[Any], None]:
            return lambda m: m.type in ("error", "warning") and self.console.append(
                f"{label} {kind} {m.type}: {m.text} [{(m.location or {}).get('url', '')}]"
            )

        page.on("console", console("page"))
        page.on("pageerror", lambda e: self.console.append(f"{label} page exception: {e}"))
        page.on("worker", lambda w: self._worker(w, label, console("worker")))

    def _worker(self, worker: Any, label: str, on_console: Callable[[Any], None]) -> None:
        if "worker.js" in worker.url or "worker.mjs" in worker.url:
            self.calc_workers.append(f"{label}: {worker.url}")
        worker.on("console", on_console)


@dataclass
class Load:
    """One navigation to a calculator page, up to its first live result."""

    first_ms: Optional[float] = None
    dcl_ms: Optional[float] = None
    blocking_ms: Optional[float] = None
    longtasks: int = 0
    sent: int = 0
    requests: int = 0
    # When each step of the site's boot ended, ms after navigation (worker.js's marks).
    phases: dict[str, float] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)
    # First contentful paint: what the reader sees, beside DOMContentLoaded (when parsing ended).
    fcp_ms: Optional[float] = None


@dataclass
class Visit:
    """Everything measured from one cold profile and its warm relaunch, for one page kind."""

    cold: Load
    warm: Load
    latencies: list[float]
    changed: int
    next_ms: Optional[float]
    fallback_ms: Optional[float] = None


class Browser:
    """Launches Chromium on a user-data directory, as many times as asked, recording traffic."""

    def __init__(self, playwright: Any, recorder: Recorder, traffic: Traffic) -> None:
        self.playwright, self.recorder, self.traffic = playwright, recorder, traffic

    fill = ""

    def open(self, profile: Path, label: str) -> Any:
        # Service workers blocked: the figures stay those of the network and Chromium's disk
        # cache (the offline copy would serve the warm relaunch, and its sitemap, itself).
        context = self.playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, viewport=VIEWPORT,
            service_workers="block",
        )
        context.add_init_script(INIT_JS)
        if self.fill:
            context.add_init_script(self.fill)
        self.recorder.watch(context, label)
        return context


def page_of(context: Any) -> Any:
    return context.pages[0] if context.pages else context.new_page()


def load(page: Any, url: str, calc_id: str, traffic: Traffic, recorder: Recorder) -> Load:
    traffic.reset()
    page.goto(url, wait_until="commit")
    try:
        page.wait_for_function(
            f"() => !!window.__bench && window.__bench.computed[{json.dumps(calc_id)}] !== undefined",
            polling=25,
            timeout=BOOT_TIMEOUT_MS,
        )
    except Exception as exc:  # noqa: BLE001 - a timeout is a finding, not a crash
        recorder.notes.append(f"{url}: no live result for {calc_id} ({type(exc).__name__}); {form_state(page, calc_id)}")
        return Load()
    sent, paths = traffic.snapshot()
    figures = page.evaluate(LOAD_FIGURES_JS, calc_id)
    if figures["boot"]:
        recorder.notes.append(f"Python {figures['boot']} on the site's page")
    return Load(
        figures["first"], figures["dcl"], figures["blocking"], figures["longtasks"], sent, len(paths),
        figures["phases"], paths, figures["fcp"],
    )


def form_state(page: Any, calc_id: str) -> str:
    try:
        return str(
            page.evaluate(
                """(id) => { const f = document.querySelector(`form[data-calculator="${id}"]`);
                   const status = f && f.querySelector("[data-status]");
                   const extra = window.__baseline ? ` baseline marks: ${JSON.stringify(window.__baseline)}` : "";
                   return (f ? `data-state=${f.dataset.state}; status: ${status ? status.textContent : "-"}` : "no form") + extra; }""",
                calc_id,
            )
        )
    except Exception as exc:  # noqa: BLE001
        return f"page state unreadable: {exc}"


def input_latency(page: Any, count: int) -> tuple[list[float], int]:
    page.wait_for_timeout(SETTLE_MS)  # steady state: let the page finish what the first result started
    # Alternate light and heavy weights so that every step changes the dose shown.
    values = [40 + i if i % 2 == 0 else 100 + i for i in range(count)]
    args = {"id": FIRST_CALC, "name": LATENCY_INPUT, "values": values, "stepTimeout": STEP_TIMEOUT_MS}
    answer = page.evaluate(LATENCY_JS, args)
    return [t for t in answer["times"] if t is not None], int(answer["changed"])


def instant_next(page: Any, traffic: Traffic, recorder: Recorder, label: str) -> Optional[float]:
    """Click the nav link to the next calculator page; time to its first live result."""
    workers_before = len(recorder.calc_workers)
    traffic.reset()
    before = page.evaluate(CLICK_JS, NEXT_PAGE)
    if before is None:
        recorder.notes.append(f"no nav link to {NEXT_PAGE} on {SITE_PAGE}")
        return None
    try:
        page.wait_for_function(ARRIVED_JS, arg={"path": NEXT_PAGE, "id": NEXT_CALC}, polling=25, timeout=BOOT_TIMEOUT_MS)
    except Exception as exc:  # noqa: BLE001
        recorder.notes.append(f"{NEXT_PAGE}: no live {NEXT_CALC} result after the click ({type(exc).__name__}); {form_state(page, NEXT_CALC)}")
        return None
    after = page.evaluate(
        "(id) => ({ origin: performance.timeOrigin, t: window.__bench.computed[id], kept: !!window.__benchMarker })",
        NEXT_CALC,
    )
    _, paths = traffic.snapshot()
    note_navigation(recorder, label, after["kept"], len(recorder.calc_workers) - workers_before, paths)
    return float(after["origin"] + after["t"] - (before["origin"] + before["click"]))


def note_navigation(recorder: Recorder, label: str, kept: bool, new_workers: int, paths: list[str]) -> None:
    runtime = [p for p in paths if "/assets/pyodide/" in p or p.endswith(".whl")]
    recorder.notes.append(
        f"{label}: "
        + ("same document (instant navigation)" if kept else "FULL RELOAD (the document was replaced)")
        + f"; new calculator workers: {new_workers}; Pyodide or wheel files fetched from the server: {len(runtime)}"
    )


def baseline_next(page: Any, base: str, traffic: Traffic, recorder: Recorder) -> Optional[float]:
    """The plain page's answer to 'next calculator page': an ordinary navigation, a new boot."""
    result = load(page, f"{base}{BASELINE_PREFIX}?calc={NEXT_CALC}", NEXT_CALC, traffic, recorder)
    return result.first_ms


def visit(browser: Browser, profile: Path, base: str, site: bool, inputs: int) -> Visit:
    """Cold load on an empty profile (plus latency and next page), then a warm relaunch.

    Material's instant navigation only intercepts links listed in sitemap.xml under the served
    origin. The cold profile gets sitemap.xml naming the served origin (as built by this script,
    with SITE_URL), so the click is instant; the warm relaunch gets it naming another port, as
    when a site is deployed without SITE_URL, and its click shows what that costs.
    """
    label = "site" if site else "baseline"
    url = base + (SITE_PAGE if site else BASELINE_PREFIX)
    traffic, recorder = browser.traffic, browser.recorder
    traffic.sitemap_origin = base
    context = browser.open(profile, label)
    try:
        page = page_of(context)
        cold = load(page, url, FIRST_CALC, traffic, recorder)
        latencies, changed = input_latency(page, inputs) if cold.first_ms is not None else ([], 0)
        next_ms = None
        if cold.first_ms is not None and site:
            next_ms = instant_next(page, traffic, recorder, "site, next page")
        elif cold.first_ms is not None:
            next_ms = baseline_next(page, base, traffic, recorder)
    finally:
        context.close()
    traffic.sitemap_origin = MISMATCHED_ORIGIN
    context = browser.open(profile, label)
    try:
        page = page_of(context)
        warm = load(page, url, FIRST_CALC, traffic, recorder)
        fallback = None
        if site and warm.first_ms is not None:
            fallback = instant_next(page, traffic, recorder, f"site, next page, sitemap.xml naming {MISMATCHED_ORIGIN}")
    finally:
        context.close()
    return Visit(cold, warm, latencies, changed, next_ms, fallback)


# --------------------------------------------------------------------------------------------
# Figures and the table


def median(values: list[Optional[float]]) -> Optional[float]:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def percentile(values: list[float], p: float) -> Optional[float]:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(value: Optional[float]) -> str:
    if value is None:
        return "—"
    return f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms"


def size(value: Optional[float]) -> str:
    if value is None:
        return "—"
    return f"{value / 1e6:.2f} MB" if value >= 1e6 else f"{value / 1e3:.1f} kB"


def count(value: Optional[float]) -> str:
    return "—" if value is None else f"{value:.0f}"


def ratio(site: Optional[float], baseline: Optional[float]) -> str:
    if site is None or baseline is None:
        return "—"
    if baseline == 0:
        return "= (both 0)" if site == 0 else "n/a (baseline 0)"
    return f"{site / baseline:.2f}×"


Row = tuple[str, Optional[float], Optional[float], Callable[[Optional[float]], str]]


def rows(site: list[Visit], base: list[Visit]) -> list[Row]:
    def pick(visits: list[Visit], get: Callable[[Visit], Optional[float]]) -> Optional[float]:
        return median([get(v) for v in visits])

    site_lat = [t for v in site for t in v.latencies]
    base_lat = [t for v in base for t in v.latencies]
    return [
        ("cold: first live result", pick(site, lambda v: v.cold.first_ms), pick(base, lambda v: v.cold.first_ms), ms),
        ("warm (disk cache): first live result", pick(site, lambda v: v.warm.first_ms), pick(base, lambda v: v.warm.first_ms), ms),
        ("cold: DOMContentLoaded", pick(site, lambda v: v.cold.dcl_ms), pick(base, lambda v: v.cold.dcl_ms), ms),
        ("warm: DOMContentLoaded", pick(site, lambda v: v.warm.dcl_ms), pick(base, lambda v: v.warm.dcl_ms), ms),
        ("cold: first contentful paint", pick(site, lambda v: v.cold.fcp_ms), pick(base, lambda v: v.cold.fcp_ms), ms),
        ("warm: first contentful paint", pick(site, lambda v: v.warm.fcp_ms), pick(base, lambda v: v.warm.fcp_ms), ms),
        ("next calculator page: nav click (site, instant nav) / new page (baseline)", pick(site, lambda v: v.next_ms), pick(base, lambda v: v.next_ms), ms),
        ("next calculator page when site_url ≠ served origin (no instant nav)", pick(site, lambda v: v.fallback_ms), pick(base, lambda v: v.next_ms), ms),
        (f"input→output p50 ({len(site_lat)} / {len(base_lat)} inputs)", percentile(site_lat, 50), percentile(base_lat, 50), ms),
        ("input→output p95", percentile(site_lat, 95), percentile(base_lat, 95), ms),
        ("cold: main-thread blocking until first result", pick(site, lambda v: v.cold.blocking_ms), pick(base, lambda v: v.cold.blocking_ms), ms),
        ("cold: long tasks until first result", pick(site, lambda v: v.cold.longtasks), pick(base, lambda v: v.cold.longtasks), count),
        ("cold: bytes sent until first result", pick(site, lambda v: v.cold.sent), pick(base, lambda v: v.cold.sent), size),
        ("warm: bytes sent until first result", pick(site, lambda v: v.warm.sent), pick(base, lambda v: v.warm.sent), size),
        ("cold: requests until first result", pick(site, lambda v: v.cold.requests), pick(base, lambda v: v.cold.requests), count),
        ("warm: requests until first result", pick(site, lambda v: v.warm.requests), pick(base, lambda v: v.warm.requests), count),
    ]


def table(site: list[Visit], base: list[Visit]) -> str:
    lines = ["| measure | site | baseline | ratio |", "|---|---:|---:|---:|"]
    for name, s, b, fmt in rows(site, base):
        lines.append(f"| {name} | {fmt(s)} | {fmt(b)} | {ratio(s, b)} |")
    return "\n".join(lines)


def report(
    site: list[Visit], base: list[Visit], recorder: Recorder, runtime: Runtime, runs: int, origin: str,
    latency_ms: float, bandwidth_mbit: float = 0.0,
) -> None:
    print(f"## Boot benchmark: {SITE_PAGE} ({FIRST_CALC}) against a plain-worker page\n")
    print(
        f"Pyodide {runtime.pyodide_version}, {Path(runtime.wheel).name}, {chromium_version()}, "
        f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}; "
        f"medians of {runs} cold profiles (each relaunched once for the warm figures); "
        "ratio = site / baseline."
        + (f" Every answer held back {latency_ms:g} ms (--latency)." if latency_ms else "")
        + (f" All answers share a {bandwidth_mbit:g} Mbit/s link (--bandwidth)." if bandwidth_mbit else "")
        + "\n"
    )
    print(table(site, base))
    print()
    print(
        f"Served at {origin}. Warm: the same profile relaunched, so files come from Chromium's disk "
        "cache. Next page: a click on the nav link (site) or a navigation to the next plain page "
        "(baseline); the cold profile got sitemap.xml naming the served origin, the warm one "
        f"naming {MISMATCHED_ORIGIN}, which turns Material's instant navigation off. "
        "Bytes: what the server wrote, headers included.\n"
    )
    print(phases_table(site))
    print(files_table(site, Path(runtime.site_dir)))
    changed = sum(v.changed for v in site), sum(v.changed for v in base)
    print(f"- output text changed on {changed[0]} (site) / {changed[1]} (baseline) of the typed inputs")
    print(f"- requests by host: {recorder.hosts}; to hosts other than 127.0.0.1: {len(recorder.foreign)}")
    for line in recorder.foreign[:20]:
        print(f"  - {line}")
    print(f"- failed requests: {len(recorder.failed)}")
    for line in sorted(set(recorder.failed))[:20]:
        print(f"  - {line}")
    print(f"- calculator workers started: {len(recorder.calc_workers)}; pyodide.asm.wasm requests seen by the browser: {recorder.wasm_requests}")
    print(f"- console errors and warnings: {len(recorder.console)}")
    for line in sorted(set(recorder.console))[:20]:
        print(f"  - {line}")
    for note, times in collections.Counter(recorder.notes).items():
        print(f"- {note}" + (f" (×{times})" if times > 1 else ""))


PHASES = {
    "script": "calculators.js runs (adopts the worker)",
    "worker": "the worker starts (created by the page's head)",
    "pyodide.mjs": "Pyodide's loader imported",
    "snapshot first bytes": "snapshot's first bytes in",
    "snapshot inflated": "snapshot downloaded and inflated",
    "wasm compiled": "Python's WebAssembly compiled",
    "python": "Python ready (restored or started)",
    "calculators": "calculators unpacked, aihcalc.bridge in hand",
}


def phases_table(site: list[Visit]) -> str:
    """Where the site's boot spends its time: each step's end, ms after navigation (medians)."""
    lines = ["Where the site's time goes (ms after navigation, medians):\n", "| step | cold | warm |", "|---|---:|---:|"]
    for key, label in sorted(PHASES.items(), key=lambda kv: median([v.cold.phases.get(kv[0]) for v in site]) or 0):
        cold = median([v.cold.phases.get(key) for v in site])
        warm = median([v.warm.phases.get(key) for v in site])
        lines.append(f"| {label} | {ms(cold)} | {ms(warm)} |")
    lines.append(f"| first live result | {ms(median([v.cold.first_ms for v in site]))} | {ms(median([v.warm.first_ms for v in site]))} |")
    return "\n".join(lines) + "\n"


def files_table(site: list[Visit], root: Path) -> str:
    """What the site's cold load fetched before its first live result, largest first."""
    loads = [v.cold for v in site if v.cold.paths]
    if not loads:
        return ""
    sizes: dict[str, int] = {}
    for path in loads[0].paths:
        local = root / urlsplit(path).path.lstrip("/")
        if local.is_dir():
            local = local / "index.html"
        sizes[urlsplit(path).path] = local.stat().st_size if local.is_file() else 0
    lines = ["Files before the first live result (one cold load; size on disk):\n", "| file | size |", "|---|---:|"]
    for path, size_ in sorted(sizes.items(), key=lambda kv: -kv[1])[:12]:
        lines.append(f"| {path} | {size(size_)} |")
    lines.append(f"| all {len(sizes)} files | {size(sum(sizes.values()))} |")
    return "\n".join(lines) + "\n"


def chromium_version() -> str:
    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return "Chromium ?"
    return out.strip().splitlines()[-1] if out.strip() else "Chromium ?"


# --------------------------------------------------------------------------------------------
# Main


def parse_args(argv: Optional[list[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="cold profiles per page kind (median reported)")
    parser.add_argument("--inputs", type=int, default=50, help="values typed per run for the latency figures")
    parser.add_argument("--no-build", action="store_true", help="reuse ./site instead of building the site")
    parser.add_argument("--latency", type=float, default=0.0, metavar="MS",
                        help="the server waits this long before each answer (a slow link's round trip)")
    parser.add_argument("--bandwidth", type=float, default=0.0, metavar="MBIT",
                        help="all answers share a link of this many megabits per second (default: unlimited)")
    return parser.parse_args(argv)


def measure(base: str, traffic: Traffic, recorder: Recorder, runs: int, inputs: int, work: Path) -> tuple[list[Visit], list[Visit]]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sys.exit("playwright is not installed in this Python: run make setup")
    site: list[Visit] = []
    baseline: list[Visit] = []
    with sync_playwright() as p:
        browser = Browser(p, recorder, traffic)
        for run in range(runs):
            # Alternate the order so neither kind always runs on a machine still busy with the other.
            for is_site in ((True, False) if run % 2 == 0 else (False, True)):
                profile = work / f"profile-{run}-{'site' if is_site else 'baseline'}"
                (site if is_site else baseline).append(visit(browser, profile, base, is_site, inputs))
                shutil.rmtree(profile, ignore_errors=True)
            print(f"run {run + 1}/{runs} done", file=sys.stderr)
    return site, baseline


def check_prerequisites(site: Path) -> None:
    if not (site / SITE_PAGE.strip("/") / "index.html").is_file():
        sys.exit(f"{site} has no {SITE_PAGE}: build the site first (make build) or drop --no-build")
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium (make bench does)")


def main(argv: Optional[list[str]] = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="aihcalc-bench-") as tmp:
        work = Path(tmp)
        site = PROJECT / "site" if args.no_build else work / "site"
        traffic, recorder = Traffic(latency=args.latency / 1000, bandwidth=args.bandwidth * 1e6 / 8), Recorder()
        with serving(site, work / "baseline", traffic) as origin:
            if not args.no_build:
                build_site(site, origin)
            check_prerequisites(site)
            runtime = read_runtime(site)
            defaults = {
                FIRST_CALC: default_inputs(site / SITE_PAGE.strip("/") / "index.html", FIRST_CALC),
                NEXT_CALC: default_inputs(site / NEXT_PAGE.strip("/") / "index.html", NEXT_CALC),
            }
            write_baseline(work / "baseline", runtime, defaults)
            Browser.fill = fill_script(defaults)
            site_visits, base_visits = measure(origin, traffic, recorder, args.runs, args.inputs, work)
        report(site_visits, base_visits, recorder, runtime, args.runs, origin, args.latency, args.bandwidth)
    return 0


if __name__ == "__main__":
    sys.exit(main())
