"""hooks/csp.py: inline scripts allowed by hash, not by 'unsafe-inline'; the _headers rules."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from hooks import csp

POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'"


def page(*scripts: str) -> str:
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
    return f"<html><head>{meta}{''.join(scripts)}</head><body></body></html>"


def test_only_scripts_a_browser_runs_are_hashed() -> None:
    html = page(
        "<script>var a=1</script>",
        '<script type="module">import x from "./x.js"</script>',
        '<script type="application/ld+json">{"a": 1}</script>',
        '<script id="__config" type="application/json">{}</script>',
        '<script src="x.js"></script>',
        "<script>  </script>",
    )
    assert csp.inline_scripts(html) == ["var a=1", 'import x from "./x.js"']


def test_the_hash_is_the_one_browsers_compute() -> None:
    expected = base64.b64encode(hashlib.sha256("alert(1)".encode()).digest()).decode()
    assert csp.source_hash("alert(1)") == f"'sha256-{expected}'"
    assert csp.source_hash("alert(1)") == "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"


def test_script_src_loses_unsafe_inline_and_gains_the_hashes_style_src_keeps_it() -> None:
    out = csp.with_hashes(POLICY, ["'sha256-b'", "'sha256-a'", "'sha256-a'"])
    assert out == "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-a' 'sha256-b'; style-src 'self' 'unsafe-inline'"


def test_harden_writes_one_policy_allowing_every_pages_scripts(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "embed" / "0.1.0").mkdir(parents=True)
    (tmp_path / "index.html").write_text(page("<script>one()</script>"), encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text(page("<script>two()</script>"), encoding="utf-8")
    embed = page("<script>three()</script>")
    (tmp_path / "embed" / "0.1.0" / "index.html").write_text(embed, encoding="utf-8")
    policy = csp.harden(tmp_path)
    assert "'unsafe-inline' 'wasm" not in policy and csp.source_hash("one()") in policy and csp.source_hash("two()") in policy
    assert csp.source_hash("three()") not in policy  # embed pages keep their own policy
    for name in ("index.html", "a/index.html"):
        assert policy in (tmp_path / name).read_text(encoding="utf-8")
    assert (tmp_path / "embed" / "0.1.0" / "index.html").read_text(encoding="utf-8") == embed


def test_headers_cover_each_page_folder_once_and_the_runtime(tmp_path: Path) -> None:
    for folder in ("aih", "calculators", "embed/0.1.0/meld", "assets/x"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "index.html").write_text("<html></html>", encoding="utf-8")
    text = csp.headers_file("script-src 'self'", tmp_path, "assets/pyodide/314.0.7")
    rules = [line for line in text.splitlines() if line.startswith("/")]
    assert rules == ["/", "/index.html", "/404.html", "/aih/*", "/calculators/*", "/embed/*", "/*.wasm", "/assets/pyodide/314.0.7/*", "/assets/python/*", "/assets/aihcalc/*", "/sw.js"]
    assert text.count("frame-ancestors 'self'") == 5 and "Content-Security-Policy: frame-ancestors *" in text
    assert "/*.wasm\n  Content-Type: application/wasm" in text
    assert "/assets/pyodide/314.0.7/*\n  Cache-Control: public, max-age=31536000, immutable" in text
    # The snapshot's folder is named by its hash: cached for good, and readable from embeds.
    assert "/assets/python/*\n  Cache-Control: public, max-age=31536000, immutable\n  Access-Control-Allow-Origin: *" in text

