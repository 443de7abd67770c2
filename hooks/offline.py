"""Offline use after one visit: the precache manifest and the service worker that serves it.

A clinic without signal still needs the dose it looked up yesterday. After one visit the
browser keeps a copy of the whole site (every page, the calculators and the Python they run)
in one cache named after the site version; the version is a hash of those files' contents,
so two identical builds give the same version and any changed byte gives a new one. The
manifest is written into ``sw.js`` itself: a deploy that changes any file changes ``sw.js``,
which is how the browser learns that a new version exists.

Each file is listed with its SHA-256 (as a Subresource Integrity string), and the service
worker fetches it with that ``integrity``: a cache can only ever hold the bytes of its own
version, even if a deploy lands half-way through a download or an HTTP cache holds an older copy.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

TEMPLATE = Path(__file__).parent / "assets" / "sw.js"
SCRIPT = "sw.js"  # at the site root, so its scope covers every page
PLACEHOLDER = "const OFFLINE = null;"
# Never requested by a page: host rules, a compressed copy for crawlers, the worker itself.
EXCLUDED = frozenset({"_headers", "sitemap.xml.gz", SCRIPT})
EXCLUDED_FOLDERS = ("embed/",)  # embeds are served to other sites, with their own rules
EXCLUDED_SUFFIXES = (".map",)  # source maps: only developer tools ask for them
# Fetched by the theme's scripts although no page names them: instant navigation reads the
# sitemap to know which links it may load itself; search reads its index.
FETCHED_BY_THEME = ("sitemap.xml", "search/search_index.json")
REFERENCING = (".html", ".css")  # a file these name (a script, a stylesheet, an image) is fetched


class OfflineError(RuntimeError):
    """The service worker cannot be written (its template lost its placeholder)."""


@dataclass(frozen=True)
class Entry:
    """One saved file: the address a browser asks for, and what it must hold."""

    url: str  # relative to the site root, as requested: "./", "aih/diagnosis/", "assets/x.js"
    path: str  # the file in the site folder
    integrity: str  # "sha256-<base64>": the fetch fails unless the bytes match
    size: int
    page: bool


@dataclass(frozen=True)
class Manifest:
    """Everything the site needs offline, and the version that names its cache."""

    version: str
    package: str
    entries: tuple[Entry, ...]

    @property
    def size(self) -> int:
        """Bytes a first visit saves on the device."""
        return sum(e.size for e in self.entries)

    def to_json(self) -> str:
        """What ``sw.js`` holds: sorted and compact, so two identical builds write the same bytes."""
        files = [
            {"url": e.url, "integrity": e.integrity, "bytes": e.size, **({"page": True} if e.page else {})}
            for e in self.entries
        ]
        data = {"version": self.version, "package": self.package, "bytes": self.size, "files": files}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def page_url(path: str) -> str:
    """The address a browser requests for a page file: its folder for ``index.html``."""
    if path == "index.html":
        return "./"
    if path.endswith("/index.html"):
        return path.removesuffix("index.html")
    return path


def integrity(data: bytes) -> str:
    """A Subresource Integrity string for ``data``, as fetch(..., {integrity}) checks it."""
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def select(site_dir: Path, runtime_files: list[str]) -> list[str]:
    """The site files a reader's browser fetches, relative to the site root, sorted.

    Every page; the runtime the calculators boot (bundle.py's list); the files the theme's
    scripts fetch; and every other file only if a page or stylesheet names it (so the README's
    screenshot and the search's other-language stemmers, which nothing loads, stay out).
    """
    files = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())
    kept = [f for f in files if f not in EXCLUDED and not f.startswith(EXCLUDED_FOLDERS) and not f.endswith(EXCLUDED_SUFFIXES)]
    always = {f for f in kept if f.endswith(".html")} | set(runtime_files) | set(FETCHED_BY_THEME)
    text = "\n".join((site_dir / f).read_text(encoding="utf-8", errors="replace") for f in kept if f.endswith(REFERENCING))
    return [f for f in kept if f in always or f.rsplit("/", 1)[-1] in text]


def build_manifest(site_dir: Path, runtime_files: list[str], package: str, template: str) -> Manifest:
    """The manifest of the site as written; the version hashes the files, the package and the worker."""
    entries = []
    for path in select(site_dir, runtime_files):
        data = (site_dir / path).read_bytes()
        page = path.endswith(".html")
        entries.append(Entry(page_url(path) if page else path, path, integrity(data), len(data), page))
    entries.sort(key=lambda e: e.url)
    digest = hashlib.sha256(template.encode("utf-8"))
    digest.update(f"\0{package}\0".encode())
    for entry in entries:
        digest.update(f"{entry.url}\0{entry.integrity}\n".encode())
    return Manifest(digest.hexdigest()[:12], package, tuple(entries))


def service_worker(manifest: Manifest | None, template: str) -> str:
    """``sw.js``: the template with the manifest written in; without one, a worker that retires.

    The retiring worker (``mkdocs serve``) deletes the saved copy and unregisters itself, so a
    browser that once saved a built site on the same address sees the live preview instead.
    """
    if PLACEHOLDER not in template:
        raise OfflineError(f"{TEMPLATE.name} must hold the line '{PLACEHOLDER}' for the build to fill in")
    data = manifest.to_json() if manifest else json.dumps({"retire": True})
    return template.replace(PLACEHOLDER, f"const OFFLINE = {data};", 1)


def write(site_dir: Path, runtime_files: list[str], package: str, *, retire: bool = False) -> Manifest | None:
    """Write ``sw.js`` at the site root (after every other file is final); the manifest it holds."""
    template = TEMPLATE.read_text(encoding="utf-8")
    manifest = None if retire else build_manifest(site_dir, runtime_files, package, template)
    (site_dir / SCRIPT).write_text(service_worker(manifest, template), encoding="utf-8")
    return manifest
