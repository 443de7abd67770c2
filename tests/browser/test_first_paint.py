"""The first frame already shows the reader's colour scheme and view, in real headless Chromium.

The theme's bundle runs late (after a calculator's first answer or the reader's first touch), so
the scheme is set by the site's own small script as the header is parsed
(overrides/partials/javascripts/palette.html) and the view by one in the head
(overrides/main.html). What the page shows in its first frame is what these tests read.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CONTENT = "/editorial-policy/"
CALCULATOR = "/aih/first-line-treatment/"

# Runs before the page's own scripts: what the body and the root say in the first frame drawn
# with a body (no frame is drawn before the stylesheets are in), and whether the theme had run.
FIRST_FRAME_JS = """
window.__firstFrame = null;
(function look() {
  requestAnimationFrame(() => {
    if (!document.body) return look();
    window.__firstFrame = {
      scheme: document.body.getAttribute("data-md-color-scheme"),
      audience: document.documentElement.getAttribute("data-audience"),
      theme: typeof window.document$ !== "undefined",
    };
  });
})();
"""
SAVED_DARK = {"index": 1, "color": {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "teal", "accent": "indigo"}}


def first_frame(page: Any) -> dict[str, Any]:
    page.wait_for_function("() => window.__firstFrame !== null")
    frame = page.evaluate("() => window.__firstFrame")
    assert frame["theme"] is False, "the theme's bundle ran before the first frame: this test reads nothing"
    return frame


def save(context: Any, base_url: str, key: str, value: Any) -> None:
    """Put a setting in the site's storage before any of its pages is opened."""
    context.add_init_script(
        f"if (location.origin === {json.dumps(base_url)} && !sessionStorage.getItem('seeded'))"
        f" {{ localStorage.setItem({json.dumps(key)}, {json.dumps(json.dumps(value) if not isinstance(value, str) else value)});"
        " sessionStorage.setItem('seeded', '1'); }"
    )


@pytest.mark.parametrize("path", [CONTENT, CALCULATOR])
def test_a_dark_system_gets_the_dark_scheme_in_the_first_frame(open_context: Any, base_url: str, path: str) -> None:
    context, record = open_context(color_scheme="dark")
    context.add_init_script(FIRST_FRAME_JS)
    page = context.new_page()
    page.goto(base_url + path)
    assert first_frame(page)["scheme"] == "slate"
    assert record.console_errors == []


def test_a_saved_scheme_wins_over_the_system_in_the_first_frame_and_the_theme_keeps_it(open_context: Any, base_url: str) -> None:
    context, record = open_context(color_scheme="light")
    save(context, base_url, "/.__palette", SAVED_DARK)  # the theme's key: the site's path, then the setting
    context.add_init_script(FIRST_FRAME_JS)
    page = context.new_page()
    page.goto(base_url + CONTENT)
    assert first_frame(page)["scheme"] == "slate"
    # The theme, once it runs, reads the same setting through the same store, and writes the
    # reader's next choice where the next page's first frame finds it.
    page.mouse.move(200, 200)
    page.wait_for_function("() => typeof window.document$ !== 'undefined'", timeout=30_000)
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    page.locator("form[data-md-component=palette] label:visible").click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'")
    saved = json.loads(page.evaluate("() => localStorage.getItem('/.__palette')"))
    assert saved["color"]["scheme"] == "default"
    page.goto(base_url + CALCULATOR)
    assert first_frame(page)["scheme"] == "default"
    assert record.console_errors == []


def test_a_saved_view_is_the_first_frame_s_view(open_context: Any, base_url: str) -> None:
    context, record = open_context()
    save(context, base_url, "aih-audience", "patient")
    context.add_init_script(FIRST_FRAME_JS)
    page = context.new_page()
    page.goto(base_url + CALCULATOR)
    assert first_frame(page)["audience"] == "patient"
    assert record.console_errors == []
