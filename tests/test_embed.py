"""Embeds (hooks/embed.py): the page a host frames, its versioned folder, the snippets, oEmbed."""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import pytest

import aihcalc
import aihcalc.evidence
from aihcalc.evidence import STATUS_WORDS
from hooks import bundle, checks, embed
from hooks.references import Bibliography
from tests.conftest import PROJECT_ROOT

BIB = Bibliography.load(PROJECT_ROOT / "content" / "bibliography.yaml")
SITE = embed.Site("https://aih.example.org/guide/", "AIH guidance and calculators")
IDS = [c.id for c in aihcalc.all_calculators()]
VERSION = aihcalc.__version__


class Page(HTMLParser):
    """Start tags with their attributes, and the text of each [data-embed] element."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.snippets: dict[str, str] = {}
        self._open: list[str | None] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag in ("code", "textarea", "pre"):
            name = attributes.get("data-embed")
            self._open.append(name)
            if name:
                self.snippets[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("code", "textarea", "pre") and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for name in self._open:
            if name:
                self.snippets[name] += data

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())]


def iframe_attributes(snippet: str) -> dict[str, str]:
    found = Page(snippet).find("iframe")
    assert len(found) == 1, snippet
    return found[0]


# --- The site's address --------------------------------------------------------------------


def test_site_needs_an_absolute_address() -> None:
    assert embed.Site.from_config(None, "x") is None
    assert embed.Site.from_config("", "x") is None
    assert embed.Site.from_config("/relative/", "x") is None
    site = embed.Site.from_config("https://aih.example.org/guide", "x")
    assert site is not None and site.url == "https://aih.example.org/guide/"
    assert site.origin == "https://aih.example.org"
    assert site.csp() == "frame-src https://aih.example.org"


def test_addresses_are_absolute_and_pinned_to_the_package_version() -> None:
    assert SITE.page_url("meld") == f"https://aih.example.org/guide/embed/{VERSION}/meld/"
    assert SITE.oembed_url("meld") == f"https://aih.example.org/guide/embed/{VERSION}/meld.oembed.json"
    assert SITE.host_script_url() == f"https://aih.example.org/guide/embed/{VERSION}/host.js"


# --- The embed page --------------------------------------------------------------------------


@pytest.mark.parametrize("calc_id", IDS)
def test_embed_page_holds_the_calculator_and_no_site_chrome(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    text = embed.render_page(SITE, calc, BIB)
    page = Page(text)
    assert len(page.find("form", data_calculator=calc_id)) == 1
    names = {a["name"] for t, a in page.tags if t in ("input", "select") and "name" in a}
    assert names == {item.name for item in calc.inputs}
    assert page.find("output", data_output="value")
    assert 'class="aihcalc__fallback"' in text  # the answers without JavaScript
    versions = page.find("p", class_="aihcalc__version")
    assert versions and all(v["data-version"] == calc.version and v["data-package"] == VERSION for v in versions)
    # No Material chrome: header, navigation, search, its scripts and stylesheets.
    for chrome in ("md-header", "md-nav", "md-search", "md-sidebar", "md-footer", "assets/javascripts/", "assets/stylesheets/"):
        assert chrome not in text, chrome
    assert page.find("html", lang="en") and "data-aihcalc-prefill" in page.tags[0][1]
    assert page.find("meta", name="viewport")


def test_embed_page_cites_its_sources_in_full_with_links_that_leave_the_frame() -> None:
    calc = aihcalc.get("azathioprine-dose")
    text = embed.render_page(SITE, calc, BIB)
    for key in calc.references:
        entry = BIB.entries[key]
        assert html.escape(entry.citation, quote=False).replace("'", "&#39;") in text or entry.title in text
        for url in (entry.doi_url, entry.pubmed_url):
            if url:
                assert f'<a href="{url}" target="_blank" rel="noopener">' in text


@pytest.mark.parametrize("calc_id", IDS)
def test_embed_page_shows_each_evidence_entry_with_its_status_words(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    page = Page(embed.render_page(SITE, calc, BIB))
    register = aihcalc.evidence.register()
    items = page.find("li")
    shown = {a["data-evidence"]: a["data-status"] for a in items if "data-evidence" in a}
    assert shown == {i: register[i].status for i in calc.evidence}
    links = {a["href"] for a in page.find("a") if "evidence/#" in a.get("href", "")}
    assert links == {f"{SITE.url}evidence/#{i}" for i in calc.evidence}
    text = embed.render_page(SITE, calc, BIB)
    for i in calc.evidence:
        assert STATUS_WORDS[register[i].status] in html.unescape(text)


def test_embed_page_policy_lets_any_site_frame_it_and_loads_only_its_own_files() -> None:
    text = embed.render_page(SITE, aihcalc.get("meld"), BIB)
    page = Page(text)
    policy = page.find("meta", http_equiv="Content-Security-Policy")
    assert len(policy) == 1
    content = policy[0]["content"]
    assert "frame-ancestors" not in content and "default-src 'none'" in content
    assert "script-src 'self'" in content and "worker-src 'self'" in content
    # Scripts and styles come from the version's own assets folder, by relative address.
    loaded = [a["src"] for t, a in page.tags if t == "script" and "src" in a]
    loaded += [a["href"] for t, a in page.tags if t == "link" and a.get("rel") in ("stylesheet", "modulepreload")]
    assert loaded and all(url.startswith("../assets/") for url in loaded), loaded
    assert not [t for t, a in page.tags if t == "script" and "src" not in a and a.get("type") != "application/ld+json"]
    assert "style=" not in text


def test_links_that_leave_the_embed_page_open_a_new_tab() -> None:
    page = Page(embed.render_page(SITE, aihcalc.get("azathioprine-dose"), BIB))
    for link in page.find("a"):
        if not link["href"].startswith("#"):
            assert link.get("target") == "_blank" and link.get("rel") == "noopener", link


# --- The versioned folder ---------------------------------------------------------------------


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, list[Path]]:
    """A site folder holding a stand-in Pyodide (as bundle_runtime leaves it) and a wheel."""
    pyodide_dir = "assets/pyodide/9.9.9"
    (tmp_path / pyodide_dir).mkdir(parents=True)
    for name in bundle.PYODIDE_FILES:
        (tmp_path / pyodide_dir / name).write_text(name)
    (tmp_path / embed.SITE_ICON).parent.mkdir(parents=True)
    (tmp_path / embed.SITE_ICON).write_bytes(b"icon")
    wheel = tmp_path / "build" / f"aihcalc-{VERSION}-py3-none-any.whl"
    wheel.parent.mkdir()
    wheel.write_bytes(b"wheel")
    runtime = bundle.Runtime("9.9.9", pyodide_dir, f"{bundle.ASSET_DIR}/{wheel.name}", 1234)
    pages = embed.publish(tmp_path, SITE, BIB, runtime, wheel)
    return tmp_path, pages


def test_publish_writes_a_page_and_an_oembed_file_per_calculator(published: tuple[Path, list[Path]]) -> None:
    site, pages = published
    root = site / "embed" / VERSION
    assert sorted(p.parent.name for p in pages) == sorted(IDS)
    for calc_id in IDS:
        assert (root / calc_id / "index.html").is_file()
        assert json.loads((root / f"{calc_id}.oembed.json").read_text())["type"] == "rich"


def test_the_theme_finds_a_sitemap_beside_each_oembed_link(published: tuple[Path, list[Path]]) -> None:
    """Material fetches new URL("sitemap.xml", href) for every link[rel=alternate] of a page."""
    site, _ = published
    for calc_id in IDS:
        beside = posixpath.join(posixpath.dirname(urlsplit(SITE.oembed_url(calc_id)).path), "sitemap.xml")
        assert beside == f"/guide/embed/{VERSION}/sitemap.xml"
    text = (site / "embed" / VERSION / "sitemap.xml").read_text()
    assert text.count("<loc>") == len(IDS) and SITE.page_url("meld") in text


def test_everything_an_embed_page_loads_sits_under_its_version(published: tuple[Path, list[Path]]) -> None:
    site, _ = published
    root = site / "embed" / VERSION
    page_dir = f"embed/{VERSION}/meld"
    page = Page((root / "meld" / "index.html").read_text())
    urls = [a["src"] for t, a in page.tags if t == "script" and "src" in a]
    urls += [a["href"] for t, a in page.tags if t == "link" and a.get("rel") in ("stylesheet", "modulepreload", "icon")]
    assert "../assets/favicon.png" in urls
    # The modules' own imports and the worker, relative to the assets folder.
    assert '"./calculators.js"' in (root / "assets" / "embed.js").read_text()
    assert 'new URL("./worker.js", import.meta.url)' in (root / "assets" / "calculators.js").read_text()
    runtime = bundle.runtime_of((root / "assets" / "worker.js").read_text())  # the version's own paths
    urls += [f"../assets/{runtime['wheel']}", f"../assets/{runtime['pyodide']}pyodide.mjs", "../assets/worker.js"]
    urls += [f"../assets/{runtime['pyodide']}{name}" for name in bundle.PYODIDE_FILES]
    urls += [f"../assets/{runtime[key]}" for key in ("snapshot", "emptyStdlib") if runtime[key]]
    for url in urls:
        path = posixpath.normpath(posixpath.join(page_dir, url))
        assert path.startswith(f"embed/{VERSION}/assets/"), url
        assert (site / path).is_file(), path
    assert runtime["bytes"] == 1234 and runtime["pyodideVersion"] == "9.9.9"


def test_host_script_carries_the_site_origin(published: tuple[Path, list[Path]]) -> None:
    site, _ = published
    text = (site / "embed" / VERSION / "host.js").read_text()
    assert 'var SITE = "https://aih.example.org";' in text
    assert "__AIHCALC_SITE_ORIGIN__" not in text
    assert "event.origin" in text and "event.source" in text


def test_no_embed_without_an_address_or_calculators(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = bundle.Runtime("9.9.9", "assets/pyodide/9.9.9", "assets/aihcalc/w.whl")
    assert embed.publish(tmp_path, None, BIB, runtime, tmp_path / "w.whl") == []
    monkeypatch.setattr(aihcalc, "all_calculators", lambda: [])
    assert embed.publish(tmp_path, SITE, BIB, runtime, tmp_path / "w.whl") == []
    assert not (tmp_path / "embed").exists()


# --- Snippets and oEmbed -------------------------------------------------------------------------


@pytest.mark.parametrize("calc_id", IDS)
def test_iframe_snippet_is_absolute_pinned_and_needs_no_inline_style(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    frame = iframe_attributes(embed.iframe_snippet(SITE, calc))
    assert frame["src"] == f"https://aih.example.org/guide/embed/{VERSION}/{calc_id}/"
    assert calc.title in html.unescape(frame["title"])
    assert frame["loading"] == "lazy" and frame["referrerpolicy"] == "no-referrer"
    assert int(frame["height"]) == embed.frame_height(calc) > 0
    assert "style" not in frame and "sandbox" not in frame


@pytest.mark.parametrize("calc_id", IDS)
def test_oembed_answer_is_rich_with_the_iframe_snippet(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    data = embed.oembed(SITE, calc)
    assert data["type"] == "rich" and data["version"] == "1.0"
    assert data["title"] == calc.title
    assert data["provider_name"] == SITE.name and data["provider_url"] == SITE.url
    assert data["html"] == embed.iframe_snippet(SITE, calc)
    assert isinstance(data["width"], int) and isinstance(data["height"], int)
    assert data["height"] == embed.frame_height(calc)


def test_reference_pages_name_their_oembed_file_and_no_other_page_does() -> None:
    link = embed.head_link("calculators/meld.md", SITE)
    assert link == {"href": SITE.oembed_url("meld"), "title": aihcalc.get("meld").title}
    assert embed.head_link("calculators/index.md", SITE) is None
    assert embed.head_link("calculators/no-such.md", SITE) is None
    assert embed.head_link("aih/first-line-treatment.md", SITE) is None
    assert embed.head_link("calculators/meld.md", None) is None


def test_no_calculator_input_is_named_like_a_reserved_parameter() -> None:
    names = {item.name for calc in aihcalc.all_calculators() for item in calc.inputs}
    assert not names & set(embed.RESERVED_PARAMETERS)
    assert '"origin"' in (PROJECT_ROOT / "hooks" / "assets" / "embed.js").read_text()


# --- The panel -------------------------------------------------------------------------------


@pytest.mark.parametrize("calc_id", ["azathioprine-dose", "meld"])
def test_panel_gives_absolute_pinned_snippets_as_selectable_text(calc_id: str) -> None:
    page = Page(SITE.panel(calc_id))
    assert page.find("details", data_embed_panel=calc_id)
    assert "open" not in page.find("details")[0]
    frame = iframe_attributes(page.snippets["iframe"])
    assert frame["src"] == SITE.page_url(calc_id)
    assert page.snippets["iframe"] == embed.iframe_snippet(SITE, aihcalc.get(calc_id))
    script = Page(page.snippets["host"]).find("script")[0]
    assert script["src"] == SITE.host_script_url()
    assert page.snippets["csp"] == "frame-src https://aih.example.org"
    # The Copy buttons wait for JavaScript (copy.js shows them); the code is text without it.
    buttons = page.find("button")
    assert {b["data-copy"] for b in buttons} == {"iframe", "element", "host"} and all("hidden" in b for b in buttons)
    assert page.find("a", href=SITE.guide_url())


def test_panel_gives_the_element_snippet_and_the_policy_it_needs() -> None:
    page = Page(SITE.panel("meld"))
    snippet = page.snippets["element"]
    assert snippet == embed.element_snippet(SITE, aihcalc.get("meld"))
    parsed = Page(snippet)
    script = parsed.find("script")[0]
    assert script == {"type": "module", "src": f"https://aih.example.org/guide/embed/{VERSION}/element.js", "referrerpolicy": "no-referrer"}
    assert parsed.find("aihcalc-calculator") == [{"calculator": "meld"}]
    assert page.snippets["element-csp"] == (
        "script-src https://aih.example.org 'wasm-unsafe-eval'; worker-src blob: https://aih.example.org; "
        "connect-src https://aih.example.org; style-src https://aih.example.org"
    )
    assert {b["data-copy"] for b in page.find("button")} == {"iframe", "element", "host"}


def render(text: str, site: embed.Site | None) -> str:
    config = {"bibliography": BIB, **({"embed": site} if site else {})}
    return markdown.markdown(text, extensions=["hooks.blocks"], extension_configs={"hooks.blocks": config})


def test_calculator_block_is_followed_by_the_panel_when_the_address_is_known() -> None:
    with_site = render("/// calculator | meld\n///\n", SITE)
    assert 'data-calculator="meld"' in with_site and 'data-embed-panel="meld"' in with_site
    assert with_site.index('data-calculator="meld"') < with_site.index("data-embed-panel")
    without = render("/// calculator | meld\n///\n", None)
    assert 'data-calculator="meld"' in without and "data-embed-panel" not in without


def test_embed_block_shows_the_panel_open() -> None:
    page = Page(render("Text.\n\n/// embed | azathioprine-dose\n///\n", SITE))
    panel = page.find("details", data_embed_panel="azathioprine-dose")
    assert panel and "open" in panel[0]
    assert "data-calculator" not in str(page.tags)  # the code, not a live calculator
    assert "needs the site" in render("/// embed | meld\n///\n", None)


@pytest.mark.parametrize(
    "text, message",
    [("/// embed\n///\n", "needs a calculator id"), ("/// embed | nope\n///\n", "unknown calculator 'nope'")],
)
def test_embed_block_problems_name_the_line(text: str, message: str) -> None:
    problems = embed.find_problems("Intro.\n\n" + text)
    assert len(problems) == 1 and problems[0].line == 3 and message in problems[0].message
    assert embed.find_problems("/// embed | meld\n///\n") == []


def test_the_integrators_page_passes_the_content_checks() -> None:
    path = PROJECT_ROOT / "content" / embed.GUIDE_PAGE
    context = checks.Context(set(BIB.entries), {"calculators/index.md", "contributing/calculators.md"}, dt.date(2026, 12, 4))
    report = checks.check_page(path.read_text(), f"content/{embed.GUIDE_PAGE}", embed.GUIDE_PAGE, context)
    assert report.problems == []
    assert "/// embed | " in path.read_text()
    nav = (PROJECT_ROOT / "mkdocs.yml").read_text()
    about = nav[nav.index("  - About:"):]
    assert f": {embed.GUIDE_PAGE}" in about


def test_guide_url_is_the_integrators_page() -> None:
    assert urlsplit(SITE.guide_url()).path == "/guide/embedding/"
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)


def test_embed_kit_block_links_the_versions_zip() -> None:
    page = Page(render("Text.\n\n/// embed-kit\n///\n", SITE))
    links = page.find("a")
    assert links == [{"href": SITE.kit_url(), "download": ""}]
    assert "needs the site" in render("/// embed-kit\n///\n", None)
