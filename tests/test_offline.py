"""hooks/offline.py: what the offline copy holds, and the version that names its cache."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import aihcalc
from hooks import bundle, csp, offline
from tests.conftest import PROJECT_ROOT, skip_or_fail

TEMPLATE = "// worker\nconst OFFLINE = null;\nself.addEventListener('fetch', () => {});\n"
RUNTIME = ["assets/pyodide/1.0/pyodide.mjs", "assets/pyodide/1.0/pyodide.asm.wasm", "assets/aihcalc/worker.js"]


def write(site: Path, files: dict[str, str | bytes]) -> None:
    for name, data in files.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def small_site(site: Path) -> None:
    """A site as the build leaves it, with one of each kind of file the manifest must sort."""
    write(site, {
        "index.html": '<link rel="stylesheet" href="assets/main.css"><script src="assets/bundle.js"></script>'
                      '<img src="assets/images/logo.png">',
        "aih/diagnosis/index.html": "<p>page</p>",
        "404.html": "<p>not found</p>",
        "assets/main.css": "body{background:url(../images/bg.png)}\n/*# sourceMappingURL=main.css.map*/",
        "assets/main.css.map": "{}",
        "assets/bundle.js": "1",
        "assets/images/logo.png": b"\x89PNG",
        "assets/images/bg.png": b"\x89PNG bg",
        "assets/screenshots/readme.png": b"\x89PNG readme",  # named by no page: never fetched
        "assets/javascripts/lunr/min/lunr.fr.min.js": "fr",  # search in English only
        "assets/pyodide/1.0/pyodide.mjs": "m",
        "assets/pyodide/1.0/pyodide.asm.wasm": b"\0asm",
        "assets/aihcalc/worker.js": "// worker",
        "search/search_index.json": "{}",
        "sitemap.xml": "<urlset/>",
        "sitemap.xml.gz": b"\x1f\x8b",
        "_headers": "/*\n",
        "sw.js": "old worker",
        "embed/0.1.0/meld/index.html": "<p>embed</p>",
        "embed/0.1.0/embed.js": "e",
    })


def test_pages_are_listed_by_the_address_a_browser_asks_for() -> None:
    assert offline.page_url("index.html") == "./"
    assert offline.page_url("aih/first-line-treatment/index.html") == "aih/first-line-treatment/"
    assert offline.page_url("404.html") == "404.html"


def test_the_integrity_is_the_one_browsers_check() -> None:
    expected = base64.b64encode(hashlib.sha256(b"abc").digest()).decode()
    assert offline.integrity(b"abc") == f"sha256-{expected}"


def test_the_copy_holds_what_pages_fetch_and_nothing_else(tmp_path: Path) -> None:
    small_site(tmp_path)
    assert offline.select(tmp_path, RUNTIME) == [
        "404.html",
        "aih/diagnosis/index.html",
        "assets/aihcalc/worker.js",
        "assets/bundle.js",
        "assets/images/bg.png",  # named by a stylesheet
        "assets/images/logo.png",  # named by a page
        "assets/main.css",
        "assets/pyodide/1.0/pyodide.asm.wasm",
        "assets/pyodide/1.0/pyodide.mjs",
        "index.html",
        "search/search_index.json",
        "sitemap.xml",
    ]


def test_the_manifest_lists_each_file_with_its_hash_and_size(tmp_path: Path) -> None:
    small_site(tmp_path)
    manifest = offline.build_manifest(tmp_path, RUNTIME, "0.1.0", TEMPLATE)
    by_url = {e.url: e for e in manifest.entries}
    assert by_url["./"].page and by_url["aih/diagnosis/"].page and by_url["404.html"].page
    assert not by_url["assets/bundle.js"].page
    wasm = by_url["assets/pyodide/1.0/pyodide.asm.wasm"]
    assert wasm.integrity == offline.integrity(b"\0asm") and wasm.size == 4
    assert manifest.size == sum((tmp_path / e.path).stat().st_size for e in manifest.entries)
    assert [e.url for e in manifest.entries] == sorted(by_url)
    assert not [e for e in manifest.entries if e.path.startswith("embed/") or e.path in ("_headers", "sitemap.xml.gz", "sw.js")]


def test_the_version_repeats_for_the_same_files_and_changes_with_any_byte(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    small_site(first)
    small_site(second)
    one = offline.build_manifest(first, RUNTIME, "0.1.0", TEMPLATE)
    assert one == offline.build_manifest(second, RUNTIME, "0.1.0", TEMPLATE)
    assert re.fullmatch(r"[0-9a-f]{12}", one.version)
    (second / "assets" / "bundle.js").write_text("2", encoding="utf-8")
    changed = offline.build_manifest(second, RUNTIME, "0.1.0", TEMPLATE)
    assert changed.version != one.version
    assert {e.url for e in changed.entries if e not in one.entries} == {"assets/bundle.js"}
    # A new package version or new worker code is a new version too (a fresh cache).
    assert offline.build_manifest(first, RUNTIME, "0.2.0", TEMPLATE).version != one.version
    assert offline.build_manifest(first, RUNTIME, "0.1.0", TEMPLATE + "//").version != one.version
    # Files nothing fetches do not count.
    (first / "sitemap.xml.gz").write_bytes(b"other")
    (first / "embed" / "0.1.0" / "embed.js").write_text("other", encoding="utf-8")
    assert offline.build_manifest(first, RUNTIME, "0.1.0", TEMPLATE).version == one.version


def test_the_worker_holds_the_manifest_and_a_retiring_one_holds_none(tmp_path: Path) -> None:
    small_site(tmp_path)
    manifest = offline.build_manifest(tmp_path, RUNTIME, "0.1.0", TEMPLATE)
    script = offline.service_worker(manifest, TEMPLATE)
    held = json.loads(re.search(r"const OFFLINE = (\{.*\});", script)[1])
    assert held["version"] == manifest.version and held["package"] == "0.1.0" and held["bytes"] == manifest.size
    assert {f["url"] for f in held["files"] if f.get("page")} == {"./", "aih/diagnosis/", "404.html"}
    assert script == offline.service_worker(manifest, TEMPLATE)
    assert "const OFFLINE = null;" not in script
    assert json.loads(re.search(r"const OFFLINE = (\{.*\});", offline.service_worker(None, TEMPLATE))[1]) == {"retire": True}
    with pytest.raises(offline.OfflineError, match="const OFFLINE = null;"):
        offline.service_worker(manifest, "// no placeholder")


def test_write_puts_the_worker_at_the_root_and_leaves_it_out_of_its_own_list(tmp_path: Path) -> None:
    small_site(tmp_path)
    manifest = offline.write(tmp_path, RUNTIME, "0.1.0")
    assert manifest is not None
    assert manifest.version in (tmp_path / "sw.js").read_text(encoding="utf-8")
    assert manifest == offline.write(tmp_path, RUNTIME, "0.1.0"), "the written sw.js is not part of the version"
    assert offline.write(tmp_path, RUNTIME, "0.1.0", retire=True) is None
    assert '"retire": true' in (tmp_path / "sw.js").read_text(encoding="utf-8")


def test_the_shipped_template_has_its_placeholder() -> None:
    assert offline.PLACEHOLDER in offline.TEMPLATE.read_text(encoding="utf-8")


def test_the_worker_script_is_never_cached_by_hosts(tmp_path: Path) -> None:
    (tmp_path / "aih").mkdir()
    (tmp_path / "aih" / "index.html").write_text("<html></html>", encoding="utf-8")
    rules = csp.headers_file("default-src 'self'", tmp_path, "assets/pyodide/1.0")
    assert "/sw.js\n  Cache-Control: no-cache\n" in rules


# --- The real site, built once -------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (PROJECT_ROOT / "node_modules" / "pyodide").is_dir():
        skip_or_fail("node_modules missing: run npm ci")
    site = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, env=env, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return site


def held(site: Path) -> dict[str, object]:
    return json.loads(re.search(r"const OFFLINE = (\{.*\});", (site / "sw.js").read_text(encoding="utf-8"))[1])


def test_the_built_worker_lists_every_page_and_the_python_the_calculators_boot(built: Path) -> None:
    data = held(built)
    files = {f["url"]: f for f in data["files"]}
    pages = {offline.page_url(p.relative_to(built).as_posix()) for p in csp.page_files(built)}
    assert {url for url, f in files.items() if f.get("page")} == pages
    assert len(pages) > 30 and "./" in pages and "aih/first-line-treatment/" in pages and "404.html" in pages
    version = bundle.pyodide_version(PROJECT_ROOT / "node_modules")
    for name in bundle.PYODIDE_FILES:
        assert f"assets/pyodide/{version}/{name}" in files, name
    for name in (*bundle.OWN_FILES, f"aihcalc-{aihcalc.__version__}-py3-none-any.whl"):
        assert f"{bundle.ASSET_DIR}/{name}" in files, name
    assert "search/search_index.json" in files and "sitemap.xml" in files
    assert not [u for u in files if u.startswith("embed/") or u.endswith((".map", ".gz")) or u in ("_headers", "sw.js")]
    assert data["package"] == aihcalc.__version__


def test_the_built_worker_describes_the_files_as_served(built: Path) -> None:
    """The manifest is taken last: every hash is of the final bytes (after the CSP rewrite)."""
    for entry in held(built)["files"]:
        path = entry["url"] + "index.html" if entry.get("page") and entry["url"].endswith("/") else entry["url"]
        data = (built / path.removeprefix("./")).read_bytes()
        assert offline.integrity(data) == entry["integrity"], entry["url"]
        assert len(data) == entry["bytes"]
    home = (built / "index.html").read_text(encoding="utf-8")
    assert '<meta name="aih-offline" content="on">' in home
    assert "assets/aihcalc/offline.js" in home
    assert "data-offline-status" in (built / "aih" / "first-line-treatment" / "index.html").read_text(encoding="utf-8")
