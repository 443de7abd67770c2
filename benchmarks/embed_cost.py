#!/usr/bin/env python3
"""What an embedded calculator costs the page that shows it: bytes, requests, workers, time.

Why this exists. An integrator deciding between the iframe and the <aihcalc-calculator> element
(and how many to put on one page) needs the cost in figures, measured the way their reader
meets it: a host page on another origin, a cold browser cache, a server that does not compress
(a worst case; gzip roughly halves the total). Each scenario holds the panel's snippets, as a
reference page gives them, under the host policy the panel prints.

Scenarios: one iframe (with host.js), one element, three elements, three iframes. For each:
the bytes and requests the calculators' server answered (as it counts them) until every calculator on the page
was live, how many Python workers started, and the time until then. There is no pass or fail.

Usage: ``.venv/bin/python benchmarks/embed_cost.py [--no-build]`` (``make bench`` runs it after
boot.py); ``--no-build`` measures ./site, which must have been built for
http://127.0.0.1:8765/ (``SITE_URL=http://127.0.0.1:8765/ mkdocs build``).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import socket
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any, Optional

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT), str(PROJECT / "src")]
from benchmarks.boot import CountingWriter, Traffic, build_site  # noqa: E402
from tests.browser.surface import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.test_embed import Page  # noqa: E402  (reads the panel's snippets)

CALCS = ("azathioprine-dose", "meld", "prednisolone-taper")
READY_MS = 180_000
FIXED_PORT = 8765  # --no-build: the port ./site must have been built for


class Handler(http.server.SimpleHTTPRequestHandler):
    """A static host as GitHub Pages is one, without compression: CORS for every file."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm"}

    def __init__(self, *args: Any, traffic: Traffic, **kwargs: Any) -> None:
        self.traffic = traffic
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        super().setup()
        self.wfile = CountingWriter(self.wfile, self.traffic)  # type: ignore[assignment]

    def send_head(self) -> Any:
        self.traffic.request(self.path)
        return super().send_head()

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(folder: Path, port: int = 0, traffic: Optional[Traffic] = None) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(Handler, directory=str(folder), traffic=traffic or Traffic())
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def snippets(site_url: str, calc_id: str) -> dict[str, str]:
    with urllib.request.urlopen(f"{site_url}/calculators/{calc_id}/") as response:
        return Page(response.read().decode("utf-8")).snippets


def host_page(folder: Path, name: str, site_url: str, kind: str, count: int) -> str:
    parts = [snippets(site_url, calc_id) for calc_id in CALCS[:count]]
    if kind == "element":
        body = "\n".join(p["element"] for p in parts)
        policy = f"default-src 'self'; {parts[0]['element-csp']}"
    else:
        body = "\n".join(p["iframe"] for p in parts) + "\n" + parts[0]["host"]
        policy = f"default-src 'self'; {parts[0]['csp']}; script-src 'self' {site_url}"
    (folder / name).write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}"></head><body><main>{body}</main></body></html>',
        encoding="utf-8",
    )
    return name


# Elements: their shadow roots, from the host page. Frames are of another origin: each frame
# is asked itself (Playwright's frames), which the host page's own script could not do.
ELEMENTS_LIVE_JS = """n => {
  const forms = [];
  for (const e of document.querySelectorAll('aihcalc-calculator')) if (e.shadowRoot) forms.push(...e.shadowRoot.querySelectorAll('form[data-calculator]'));
  return forms.length === n && forms.every(f => f.dataset.state === 'ready');
}"""
FRAME_LIVE_JS = "() => [...document.querySelectorAll('form[data-calculator]')].some(f => f.dataset.state === 'ready')"


def live(page: Any, count: int) -> bool:
    if page.evaluate(ELEMENTS_LIVE_JS, count):
        return True
    frames = [f for f in page.frames if f != page.main_frame]
    return len(frames) == count and all(f.evaluate(FRAME_LIVE_JS) for f in frames)


def measure(browser: Any, host_url: str, traffic: Traffic, name: str, count: int) -> dict[str, Any]:
    """Bytes and requests as the site's server counts them (headers included): bodies the
    browser streams (the runtime, the snapshot) cannot be read back from the browser's side."""
    context = browser.new_context(viewport={"width": 1280, "height": 3000}, service_workers="block")
    traffic.reset()
    page = context.new_page()
    started = time.perf_counter()
    page.goto(f"{host_url}/{name}")
    error: Optional[str] = None
    deadline = started + READY_MS / 1000
    while not live(page, count):
        if time.perf_counter() > deadline:
            error = f"not every calculator was live within {READY_MS // 1000} s"
            break
        page.wait_for_timeout(100)
    elapsed = time.perf_counter() - started
    sent, paths = traffic.snapshot()
    page.wait_for_timeout(500)
    context.close()
    boots = sum(path.split("?", 1)[0].endswith(".wasm") for path in paths)  # one per Python started: the cache is cold
    return {"bytes": sent, "requests": len(paths), "seconds": elapsed, "boots": boots, "error": error}


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="measure ./site, built for http://127.0.0.1:8765/")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        port = FIXED_PORT if args.no_build else free_port()
        site = PROJECT / "site" if args.no_build else build_site(work_dir / "site", f"http://127.0.0.1:{port}")
        traffic = Traffic()
        site_server, site_url = serve(site, port, traffic)
        host_dir = work_dir / "host"
        host_dir.mkdir()
        host_server, host_url = serve(host_dir)
        scenarios = [("one iframe (+ host.js)", "iframe", 1), ("three iframes (+ host.js)", "iframe", 3),
                     ("one element", "element", 1), ("three elements", "element", 3)]
        rows = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for index, (label, kind, count) in enumerate(scenarios):
                name = host_page(host_dir, f"h{index}.html", site_url, kind, count)
                rows.append((label, measure(browser, host_url, traffic, name, count)))
            browser.close()
        site_server.shutdown()
        host_server.shutdown()
    print("What an embed costs a host page (cold cache, no compression, until every calculator is live)")
    print(f"{'scenario':28} {'bytes from the site':>20} {'requests':>9} {'Pythons':>8} {'seconds':>8}")
    for label, row in rows:
        print(f"{label:28} {row['bytes'] / 1e6:>17.2f} MB {row['requests']:>9} {row['boots']:>8} {row['seconds']:>8.1f}")
        if row["error"]:
            print(f"  not live: {row['error']}")
    print("Pythons: copies of Python started (each downloads and compiles the runtime; the cache is cold per scenario)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
