"""Content-Security-Policy without 'unsafe-inline' for scripts, and the site's ``_headers`` file.

The theme needs a few small inline scripts (its scope and palette set-up, our audience choice
before first paint). Rather than allow every inline script, the build hashes the ones the
pages actually hold, once the whole site is written, and lists those hashes: an injected
script matches none of them and does not run. The same policy goes to ``_headers`` (static
hosts that read it: Netlify, Cloudflare Pages) with what a meta tag cannot carry
(``frame-ancestors``), plus the MIME type and caching rules the runtime needs.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

SCRIPT_RE = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
TYPE_RE = re.compile(r"""\btype\s*=\s*["']?(?P<type>[^"'\s>]+)""", re.IGNORECASE)
META_RE = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")(?P<policy>[^"]*)(")')
EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
EMBED_PREFIX = "embed/"  # embed pages carry their own policy and may be framed anywhere


def inline_scripts(html: str) -> list[str]:
    """The bodies of the inline scripts a browser would run (not JSON data blocks, not src=)."""
    found = []
    for match in SCRIPT_RE.finditer(html):
        attrs = match["attrs"]
        if re.search(r"\bsrc\s*=", attrs, re.IGNORECASE):
            continue
        kind = TYPE_RE.search(attrs)
        if (kind["type"].lower() if kind else "") in EXECUTABLE_TYPES and match["body"].strip():
            found.append(match["body"])
    return found


def source_hash(script: str) -> str:
    """A CSP hash source for one inline script, as browsers compute it (UTF-8, SHA-256)."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def with_hashes(policy: str, hashes: Iterable[str]) -> str:
    """``policy`` with 'unsafe-inline' in script-src replaced by the given hashes."""
    listed = " ".join(sorted(set(hashes)))
    directives = []
    for directive in policy.split(";"):
        words = directive.split()
        if words and words[0] == "script-src":
            words = [w for w in words if w != "'unsafe-inline'"] + ([listed] if listed else [])
        directives.append(" ".join(words))
    return "; ".join(d for d in directives if d)


def page_files(site_dir: Path) -> list[Path]:
    """The site's HTML pages, embed pages left out (they are written with their own policy)."""
    return sorted(
        p for p in site_dir.rglob("*.html")
        if not p.relative_to(site_dir).as_posix().startswith(EMBED_PREFIX)
    )


def harden(site_dir: Path) -> str:
    """Hash every page's inline scripts and write the hashed policy into each page's meta tag.

    Returns the policy (the same for every page: with instant navigation, the first page's
    policy governs the pages swapped in after it, so it must allow all of their scripts).
    """
    pages = page_files(site_dir)
    texts = {p: p.read_text(encoding="utf-8") for p in pages}
    hashes = {source_hash(s) for text in texts.values() for s in inline_scripts(text)}
    policy = ""
    for path, text in texts.items():
        found = META_RE.search(text)
        if found is None:
            continue
        policy = with_hashes(found["policy"], hashes)
        updated = text[: found.start("policy")] + policy + text[found.end("policy") :]
        if updated != text:
            path.write_text(updated, encoding="utf-8")
    return policy


def headers_file(policy: str, site_dir: Path, pyodide_dir: str, snapshot_dir: str = "assets/python") -> str:
    """The ``_headers`` rules: one CSP per page folder (rules that overlap would both apply)."""
    folders = sorted(
        {p.relative_to(site_dir).parts[0] for p in page_files(site_dir) if len(p.relative_to(site_dir).parts) > 1}
        - {"assets", "search"}
    )
    page_policy = f"{policy}; frame-ancestors 'self'"
    lines = ["# Written by the build (hooks/csp.py): security, MIME type and caching for static hosts.", ""]
    for rule in ["/", "/index.html", "/404.html", *(f"/{folder}/*" for folder in folders)]:
        lines += [rule, f"  Content-Security-Policy: {page_policy}", "  X-Content-Type-Options: nosniff",
                  "  Referrer-Policy: no-referrer", "  Cache-Control: public, max-age=300", ""]
    # Embed pages hold their own policy in a meta tag; the header adds only who may frame them.
    lines += ["/embed/*", "  Content-Security-Policy: frame-ancestors *", "  X-Content-Type-Options: nosniff",
              "  Referrer-Policy: no-referrer", "  Access-Control-Allow-Origin: *", ""]
    lines += ["/*.wasm", "  Content-Type: application/wasm", ""]
    lines += [f"/{pyodide_dir}/*", "  Cache-Control: public, max-age=31536000, immutable",
              "  Access-Control-Allow-Origin: *", ""]
    # The Python snapshot's folder is named by the hash of what it was made from.
    lines += [f"/{snapshot_dir}/*", "  Cache-Control: public, max-age=31536000, immutable",
              "  Access-Control-Allow-Origin: *", ""]
    lines += ["/assets/aihcalc/*", "  Cache-Control: public, max-age=300", ""]
    # The offline copy's service worker: always asked anew, so a deploy is found on the next visit.
    lines += ["/sw.js", "  Cache-Control: no-cache", ""]
    return "\n".join(lines)
