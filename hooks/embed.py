"""Embeds: each calculator alone on a small page that any website can show in an iframe.

``site/embed/<aihcalc version>/<calculator id>/index.html`` holds the calculator's form, its
build-time fallback, its sources, its evidence and its version line, and none of the site's
chrome. Everything it loads sits under its version's folder (``embed/<version>/assets/``, with
its own copy of Pyodide), so a page embedded at one version keeps working when the site moves
to the next, as long as that folder stays published: a new build writes only its own version.

Beside the pages, in the version's folder: ``<id>.oembed.json`` (each calculator's oEmbed "rich"
answer), ``host.js`` (an optional helper a host page loads to size the iframes), ``element.js``
(the ``<aihcalc-calculator>`` custom element, which shows an embed page's content in a shadow
root of the host's own page) and
``sitemap.xml`` (the version's pages). The theme's instant navigation fetches a sitemap.xml
beside the address of every ``<link rel="alternate">`` in a page, the oEmbed link included: the
oEmbed files sit where that sitemap is this one, so the reference pages ask for nothing missing. The snippets a host copies are built
here, once, from ``site_url``: the "Embed this calculator" panel under each calculator, the
``/// embed | ID`` block of the integrators' page, the oEmbed JSON and the tests all use them.
The page's JavaScript (assets/embed.js, calculators.js) is generic: it knows no medicine.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as etree
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aihcalc
import aihcalc.evidence
from aihcalc.evidence import STATUS_WORDS
from aihcalc.spec import Calculator
from markupsafe import Markup
from pymdownx.blocks.block import Block

from . import bundle, scan, widgets
from .problems import Problem, error
from .references import Bibliography

FOLDER = "embed"
ASSETS = ("calculators.js", "embed.js", "result.js", "calculators.css", "embed.css")  # and the worker, written
HOST_SCRIPT = "host.js"
ELEMENT_SCRIPT = "element.js"  # <aihcalc-calculator>, in the version's folder beside host.js
ELEMENT_TAG = "aihcalc-calculator"
OEMBED = ".oembed.json"  # after the calculator's id, in the version's folder
SITEMAP = "sitemap.xml"
GUIDE_PAGE = "embedding.md"  # the integrators' page, under content/
# Query parameters the embed page reads itself; every other one may fill the input of that name.
RESERVED_PARAMETERS = ("origin",)
WIDTH = 720  # oEmbed's width: what the page is laid out for (the snippet fills its container)
# The embed page's own policy (a meta tag cannot set frame-ancestors, and the page sets none:
# any site may frame it). Python runs in the worker, which this policy does not govern.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'; "
    "style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
SITE_ORIGIN_PLACEHOLDER = '"__AIHCALC_SITE_ORIGIN__"'  # in assets/host.js, replaced at build
# The theme's icon (Material's default place), copied beside the assets so that the page,
# opened on its own, asks for no file outside its version's folder.
SITE_ICON = "assets/images/favicon.png"
ICON = "favicon.png"

_ASSETS_SOURCE = Path(__file__).parent / "assets"


@dataclass(frozen=True)
class Site:
    """Where the site is published and what it is called: all a snippet needs to be absolute.

    Snippets are pinned to ``version``: the embed folder of the aihcalc that built the site.
    """

    url: str  # site_url, ending in "/"
    name: str
    version: str = aihcalc.__version__

    @classmethod
    def from_config(cls, site_url: str | None, site_name: str) -> Site | None:
        """The site of mkdocs' config; None without an absolute site_url (no snippet can be given)."""
        if not site_url or urlsplit(site_url).scheme not in ("http", "https"):
            return None
        return cls(site_url if site_url.endswith("/") else site_url + "/", site_name)

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def folder(self) -> str:
        """The version's folder, relative to the site root."""
        return f"{FOLDER}/{self.version}"

    def page_url(self, calc_id: str) -> str:
        return f"{self.url}{self.folder}/{calc_id}/"

    def oembed_url(self, calc_id: str) -> str:
        return f"{self.url}{self.folder}/{calc_id}{OEMBED}"

    def host_script_url(self) -> str:
        return f"{self.url}{self.folder}/{HOST_SCRIPT}"

    def guide_url(self) -> str:
        return f"{self.url}{GUIDE_PAGE.removesuffix('.md')}/"

    @property
    def kit_name(self) -> str:
        """The offline embed kit's name (hooks/embed_kit.py): its zip and its top folder."""
        return f"aihcalc-embed-{self.version}"

    def kit_url(self) -> str:
        return f"{self.url}{FOLDER}/{self.kit_name}.zip"

    def element_script_url(self) -> str:
        return f"{self.url}{self.folder}/{ELEMENT_SCRIPT}"

    def csp(self) -> str:
        """The Content-Security-Policy directive a host needs to show the iframe."""
        return f"frame-src {self.origin}"

    def element_csp(self, origin: str | None = None) -> str:
        """The directives a host needs for the element: its scripts and Python's WebAssembly from
        this origin, the worker made from a blob (a worker's script must be the page's own) and
        the worker.js it imports, the page and files it fetches, and its style sheets.
        ``origin``: another server's (the offline kit's README writes a placeholder)."""
        origin = origin or self.origin
        return (
            f"script-src {origin} 'wasm-unsafe-eval'; worker-src blob: {origin}; "
            f"connect-src {origin}; style-src {origin}"
        )

    def panel(self, calc_id: str, *, open_: bool = False, guide: bool = True) -> str:
        """The "Embed this calculator" panel, as HTML (for the widget and the /// embed block)."""
        return render_panel(self, aihcalc.get(calc_id), open_=open_, guide=guide)


def frame_height(calc: Calculator) -> int:
    """The iframe's starting height in CSS px, before host.js (if any) sizes it to its content.

    Enough for the form and its answer at 720 px wide (two fields a row, each output a line, a
    schedule's table), as measured in Chromium; without host.js the fallback, sources and
    evidence below scroll inside the frame. A page that is any taller is the host's to size.
    """
    rows = -(-len(calc.inputs) // 2)
    shown = [out for out in calc.outputs if out.name not in calc.details]
    return 420 + 90 * rows + 40 * len(shown) + (560 if calc.value.columns else 0)


def iframe_snippet(site: Site, calc: Calculator) -> str:
    """The iframe a host pastes: absolute, pinned to the version, no inline style (a strict
    host policy would refuse a style attribute), no referrer sent to this site."""
    return (
        f'<iframe src="{site.page_url(calc.id)}"\n'
        f'        title="{_attr(calc.title)}, from {_attr(site.name)}"\n'
        f'        width="100%" height="{frame_height(calc)}" loading="lazy"\n'
        f'        referrerpolicy="no-referrer"></iframe>'
    )


def host_script_snippet(site: Site) -> str:
    return f'<script src="{site.host_script_url()}" defer referrerpolicy="no-referrer"></script>'


def element_snippet(site: Site, calc: Calculator) -> str:
    """The custom element a host pastes: one versioned module script (once per page, however
    many calculators) and the element; no referrer sent to this site."""
    return (
        f'<script type="module" src="{site.element_script_url()}" referrerpolicy="no-referrer"></script>\n'
        f'<{ELEMENT_TAG} calculator="{calc.id}"></{ELEMENT_TAG}>'
    )


def oembed(site: Site, calc: Calculator) -> dict[str, Any]:
    """The oEmbed 1.0 "rich" answer for one calculator (served as a static file)."""
    return {
        "type": "rich",
        "version": "1.0",
        "title": calc.title,
        "provider_name": site.name,
        "provider_url": site.url,
        "html": iframe_snippet(site, calc),
        "width": WIDTH,
        "height": frame_height(calc),
    }


def head_link(src_uri: str, site: Site | None) -> dict[str, str] | None:
    """The oEmbed discovery link for a calculator's reference page (a Markdown file in calculators/ named after the id), else None."""
    folder, _, name = src_uri.rpartition("/")
    if site is None or folder != "calculators" or not name.endswith(".md"):
        return None
    try:
        calc = aihcalc.get(name.removesuffix(".md"))
    except KeyError:
        return None
    return {"href": site.oembed_url(calc.id), "title": calc.title}


def render_panel(site: Site, calc: Calculator, *, open_: bool = False, guide: bool = True) -> str:
    return widgets.template("embed_panel.html").render(
        calc=calc,
        site=site,
        iframe=iframe_snippet(site, calc),
        element=element_snippet(site, calc),
        host=host_script_snippet(site),
        open=open_,
        guide_url=site.guide_url() if guide else "",
    )


def render_page(site: Site, calc: Calculator, bibliography: Bibliography, *, icon: bool = False) -> str:
    """The embed page: the widget (links leaving it open a new tab), its evidence, a footer.

    ``icon``: the assets folder holds the site's icon (publish copies it when the theme has one).
    """
    register = aihcalc.evidence.register()
    # Links leaving the calculator go to the published site by full address: the page may be
    # served from elsewhere (the offline embed kit on an intranet) and shown in a shadow root.
    home = site.url
    return widgets.template("embed_page.html").render(
        calc=calc,
        site=site,
        csp=PAGE_CSP,
        widget=Markup(widgets.render_calculator(calc.id, bibliography, new_tab=True)),
        evidence=[register[entry_id] for entry_id in calc.evidence if entry_id in register],
        status_words=STATUS_WORDS,
        evidence_url=f"{home}evidence/",
        reference_url=f"{home}calculators/{calc.id}/",
        canonical=f"{site.url}calculators/{calc.id}/",
        guide_url=f"{home}{GUIDE_PAGE.removesuffix('.md')}/",
        icon=f"../assets/{ICON}" if icon else "",
    )


def host_script(site: Site) -> str:
    """host.js with this site's origin written in: a host may copy it and it still checks."""
    source = (_ASSETS_SOURCE / HOST_SCRIPT).read_text(encoding="utf-8")
    if SITE_ORIGIN_PLACEHOLDER not in source:
        raise ValueError(f"{HOST_SCRIPT} lost its origin placeholder {SITE_ORIGIN_PLACEHOLDER}")
    return source.replace(SITE_ORIGIN_PLACEHOLDER, json.dumps(site.origin))


def publish(
    site_dir: Path, site: Site | None, bibliography: Bibliography, runtime: bundle.Runtime, wheel: Path
) -> list[Path]:
    """Write this version's embed folder: a page and an oEmbed file per calculator, the assets,
    Python (a copy of the site's Pyodide and the wheel), host.js and the sitemap. Returns the
    pages written."""
    calculators = aihcalc.all_calculators()
    if site is None or not calculators:
        return []
    root = site_dir / site.folder
    assets = root / "assets"
    pyodide = assets / "pyodide" / runtime.pyodide_version
    pyodide.mkdir(parents=True, exist_ok=True)
    for name in bundle.PYODIDE_FILES:
        bundle.copy_if_changed(site_dir / runtime.pyodide_dir / name, pyodide / name)
    bundle.copy_if_changed(wheel, assets / wheel.name)
    # The version's own copy of the runtime; the wheel sits beside the assets, not in a subfolder.
    own = replace(runtime.moved(site.folder), wheel=f"{site.folder}/assets/{wheel.name}")
    for source, copy in ((runtime.snapshot, own.snapshot), (runtime.empty_stdlib, own.empty_stdlib)):
        if source:
            (site_dir / copy).parent.mkdir(parents=True, exist_ok=True)
            bundle.copy_if_changed(site_dir / source, site_dir / copy)
    for name in ASSETS:
        bundle.copy_if_changed(_ASSETS_SOURCE / name, assets / name)
    icon = (site_dir / SITE_ICON).is_file()
    if icon:
        bundle.copy_if_changed(site_dir / SITE_ICON, assets / ICON)
    bundle.write_if_changed(assets / bundle.WORKER, bundle.worker_script(own.data(f"{site.folder}/assets")))
    (root / HOST_SCRIPT).write_text(host_script(site), encoding="utf-8")
    bundle.copy_if_changed(_ASSETS_SOURCE / ELEMENT_SCRIPT, root / ELEMENT_SCRIPT)
    pages = []
    for calc in calculators:
        folder = root / calc.id
        folder.mkdir(parents=True, exist_ok=True)
        page = folder / "index.html"
        page.write_text(render_page(site, calc, bibliography, icon=icon), encoding="utf-8")
        oembed_file = root / f"{calc.id}{OEMBED}"
        oembed_file.write_text(json.dumps(oembed(site, calc), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        pages.append(page)
    (root / SITEMAP).write_text(sitemap(site, [c.id for c in calculators]), encoding="utf-8")
    return pages


def sitemap(site: Site, calc_ids: list[str]) -> str:
    """The version's pages as a sitemap: what the theme asks for beside each oEmbed link."""
    urls = "".join(f"  <url><loc>{site.page_url(calc_id)}</loc></url>\n" for calc_id in calc_ids)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n"
    )


def find_problems(markdown: str) -> list[Problem]:
    """Every ``/// embed`` block naming no calculator or an unknown one, with its line."""
    known = {c.id for c in aihcalc.all_calculators()}
    problems = []
    for block in scan.blocks(markdown):
        if block.name != "embed":
            continue
        calc_id = (block.argument or "").strip()
        if not calc_id:
            problems.append(error(block.line, "an embed block needs a calculator id: write '/// embed | ID'"))
        elif calc_id not in known:
            problems.append(
                error(block.line, f"unknown calculator {calc_id!r} in an embed block; use one of {', '.join(sorted(known))}")
            )
    return problems


class _SiteBlock(Block):
    """A raw block whose HTML needs the site's address (the ``site`` config); without one it says
    so, since no absolute snippet or link can be given."""

    TAG = "div"
    CLASS = ""
    MISSING = ""  # what the block says without site_url

    def on_markdown(self) -> str:
        return "raw"

    def on_create(self, parent: etree.Element) -> etree.Element:
        return etree.SubElement(parent, self.TAG, {"class": self.CLASS})

    def on_end(self, block: etree.Element) -> None:
        site: Site | None = self.config.get("site") or None
        html = self.MISSING if site is None else self.render(site)
        block.text = self.md.htmlStash.store(html)

    def render(self, site: Site) -> str:
        raise NotImplementedError


class EmbedBlock(_SiteBlock):
    """``/// embed | ID``: the calculator's embed panel, open (the integrators' worked example)."""

    NAME = "embed"
    ARGUMENT = True
    CLASS = "aih-embed-example"
    MISSING = '<p class="aih-embed-missing">The embed code needs the site\'s address (site_url): build the site with MkDocs.</p>'

    def render(self, site: Site) -> str:
        calc_id = str(self.argument).strip()
        try:
            return site.panel(calc_id, open_=True, guide=False)
        except KeyError:  # find_problems reports it with the line
            return f'<p class="aihcalc-missing">Unknown calculator {calc_id}</p>'


class EmbedKitBlock(_SiteBlock):
    """``/// embed-kit``: a link to this version's offline embed kit, by its full address (the
    zip is written after the pages, so it is not a file MkDocs could check a link to)."""

    NAME = "embed-kit"
    ARGUMENT = False
    TAG = "p"
    CLASS = "aih-embed-kit"
    MISSING = "The offline kit's address needs the site's address (site_url): build the site with MkDocs."

    def render(self, site: Site) -> str:
        return (
            f'<a href="{site.kit_url()}" download>Download the offline embed kit, version {site.version}</a> '
            f"({site.kit_name}.zip: the embed folder and a README)."
        )


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
