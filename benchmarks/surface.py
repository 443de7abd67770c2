#!/usr/bin/env python3
"""What a clinician meets around the numbers: sideways scroll on a phone, printed pages, axe.

Why this exists. The arithmetic is tested everywhere; the surface around it (a phone on a ward,
a printout for the notes, a screen reader) is easy to break without any unit test noticing.
This script builds the site, opens every page in Debian's Chromium and prints three tables:

- sideways scroll at 360 and 390 px (document width minus viewport width), with every
  calculator filled in with its worked example so the answers are on the page, and the
  elements that stick out;
- printing: the taper schedule's "Print" button and the browser's own Print command, as A4
  PDF pages (total and blank), and whether the printout carries its context;
- axe-core (served from node_modules, never fetched) in light and dark: serious and critical
  violations by rule.

It prints figures and exits 0 whenever it produced them: the tests assert the limits
(tests/browser/test_surface.py); this is the before/after record. Usage:
``.venv/bin/python benchmarks/surface.py [--no-build] [--pages /aih/,/liver-scores/]``.
"""

from __future__ import annotations

import argparse
import collections
import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT), str(PROJECT / "src")]

from tests.browser import surface  # noqa: E402


def build(site: Path, url: str) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": url + "/"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=PROJECT, env=env, check=True,
    )


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    from tests.browser.conftest import QuietHandler

    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-build", action="store_true", help="measure ./site as it is")
    parser.add_argument("--pages", help="comma-separated paths (default: every page)")
    parser.add_argument("--only", choices=("scroll", "print", "axe"), help="one table only")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = PROJECT / "site" if args.no_build else Path(tmp)
        server, url = serve(site)
        if not args.no_build:
            build(site, url)
        paths = args.pages.split(",") if args.pages else surface.page_paths(site)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=surface.CHROMIUM, args=surface.CHROMIUM_ARGS)
            if args.only in (None, "scroll"):
                report_scroll(browser, url, paths)
            if args.only in (None, "print"):
                report_print(browser, url)
            if args.only in (None, "axe"):
                report_axe(browser, url, paths)
            browser.close()
        server.shutdown()
    return 0


def report_scroll(browser: Any, url: str, paths: list[str]) -> None:
    print("\n## Sideways scroll (px beyond the viewport; answers filled in)\n")
    print(f"{'page':48} {'360':>5} {'390':>5}  sticking out at 360")
    scrolling = collections.Counter()
    for path in paths:
        row = []
        culprits: list[str] = []
        for width in (360, 390):
            page = surface.open_page(browser, url + path, width=width)
            surface.fill_examples(page)
            over = surface.sideways(page)
            row.append(over)
            if width == 360:
                culprits = surface.sticking_out(page)[:3]
            if over > 0:
                scrolling[width] += 1
            page.context.close()
        print(f"{path:48} {row[0]:>5} {row[1]:>5}  {'; '.join(culprits)}")
    print(f"\npages that scroll sideways: {scrolling[360]} at 360 px, {scrolling[390]} at 390 px, of {len(paths)}")


def report_print(browser: Any, url: str) -> None:
    print("\n## Printing (A4)\n")
    for label, button in (("Print button (taper schedule)", True), ("browser's own Print", False)):
        page = surface.open_page(browser, url + surface.PRINT_PAGE, width=1280)
        surface.fill_examples(page)
        pdf = surface.print_pdf(page, button=button)
        pages, blank, text = surface.pdf_pages(pdf)
        carried = surface.print_context_missing(text) if button else []
        print(f"{label:34} pages {pages:>3}  blank {blank:>3}  missing context: {', '.join(carried) or 'none'}")
        page.context.close()


def report_axe(browser: Any, url: str, paths: list[str]) -> None:
    print("\n## axe-core (serious and critical violations: nodes by rule)\n")
    for scheme in ("light", "dark"):
        rules: collections.Counter[str] = collections.Counter()
        pages_with = 0
        for path in paths:
            page = surface.open_page(browser, url + path, width=1280, scheme=scheme)
            surface.fill_examples(page)
            found = surface.axe(page)
            if found:
                pages_with += 1
            for violation in found:
                rules[violation["id"]] += len(violation["nodes"])
            page.context.close()
        print(f"{scheme}: {pages_with} of {len(paths)} pages with violations; "
              + (", ".join(f"{rule} {n}" for rule, n in rules.most_common()) or "none"))


if __name__ == "__main__":
    raise SystemExit(main())
