"""Citations: ``[@key]``, ``[@a; @b]`` and ``[@key, Table 4]`` in a page's Markdown.

Pure functions on Markdown text, so line numbers survive for error messages and the same code
serves the build (``render``, an on_page_markdown transform) and ``python -m hooks.check``
(``check``). hooks/scan.py finds the brackets: one in code (fenced, indented, inline), an HTML
comment or a calculator or decision-table block is not a citation.

Also here: the bibliography file's own checks (duplicate keys, malformed DOI or PMID), with
the line of each, since ``hooks.references`` only loads it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, select_autoescape
from markupsafe import Markup, escape

from . import references
from .frontmatter import line_of, load_yaml
from .problems import Problem, error, warning
from .references import Bibliography, Entry
from .scan import BLOCK_RE, Cite, Citation, cited_keys, citations, mask  # noqa: F401  (BLOCK_RE, Cite, cited_keys: this module's API)

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_RE = re.compile(r"^\d+$")
REFERENCES_HEADING_RE = re.compile(r"^#{1,6}[ \t]+References[ \t#]*(?:\{[^}]*\})?[ \t]*$", re.IGNORECASE | re.MULTILINE)
LIST_PREFIX_RE = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)]|>)?[ \t]*$")
# A line a citation may be joined to: prose, not a heading, table row, block marker or HTML.
CONTINUES_RE = re.compile(r"^(?![ \t]*(?:#|\||/{3}|<|[-*_]{3,}[ \t]*$|```|~~~)).*[^\\]$")


@dataclass(frozen=True)
class BlockCitations:
    """What a block the page renders later (a decision table) cites, and where.

    ``offset`` places the block in the page's order of first citation; each key comes with the
    id of the element citing it, for the reference list's back-link.
    """

    offset: int
    cites: tuple[tuple[str, str], ...]  # (key, anchor id)


# --- Finding citations (hooks/scan.py reads the page) ---------------------------------------


def scan(markdown: str) -> list[Citation]:
    """Every citation bracket outside code, in order, parsed (``items`` empty when malformed)."""
    return citations(markdown)


def check(markdown: str, known_keys: Collection[str] | None) -> list[Problem]:
    """Malformed citations, keys the bibliography lacks, and a hand-written References heading.

    ``known_keys`` None: the bibliography could not be read (that is reported on its own), so
    keys are not checked rather than all reported unknown.
    """
    problems = []
    for citation in scan(markdown):
        if not citation.items:
            problems.append(error(citation.line, f"malformed citation {citation.text!r}: write [@key], [@a; @b] or [@key, Table 4] (a key is letters, digits and - _ : . /)"))
            continue
        for key in dict.fromkeys(citation.keys):
            if known_keys is not None and key not in known_keys:
                close = difflib.get_close_matches(key, list(known_keys), n=1, cutoff=0.7)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                problems.append(error(citation.line, f"unknown citation key '{key}'{hint}: add an entry '{key}' to content/bibliography.yaml or fix the key"))
    masked = mask(markdown)
    for heading in REFERENCES_HEADING_RE.finditer(masked):
        line = masked.count("\n", 0, heading.start()) + 1
        problems.append(error(line, "remove this 'References' heading and its list: the reference list is generated from the page's [@key] citations"))
    return problems


# --- Rendering ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    markdown: str
    keys: list[str]  # cited keys that the bibliography holds, in reference-list order

    def entries(self, bibliography: Bibliography) -> list[Entry]:
        return [bibliography.entries[k] for k in self.keys]


_env = Environment(autoescape=select_autoescape(default_for_string=True), trim_blocks=True, lstrip_blocks=True)
_REFERENCES = _env.from_string(
    """<ol class="references">
{% for ref in refs %}
<li id="ref-{{ ref.number }}" class="references__item"><span class="references__text">{{ ref.entry.citation }}</span>
{%- if ref.entry.doi %} <a class="references__link references__link--doi" href="{{ ref.entry.doi_url }}">doi:{{ ref.entry.doi }}</a>{% endif %}
{%- if ref.entry.pmid %} <a class="references__link references__link--pubmed" href="{{ ref.entry.pubmed_url }}">PubMed {{ ref.entry.pmid }}</a>{% endif %}
{%- if ref.entry.url and not ref.entry.doi %} <a class="references__link" href="{{ ref.entry.url }}">Link</a>{% endif %}
{%- if ref.uses | length == 1 %} <a class="references__back" href="#{{ ref.uses[0] }}" aria-label="Back to where reference {{ ref.number }} is cited">↩</a>
{%- else %} <span class="references__back">↩{% for use in ref.uses %} <a href="#{{ use }}" aria-label="Back to citation {{ loop.index }} of reference {{ ref.number }}">{{ "abcdefghijklmnopqrstuvwxyz"[loop.index0] if loop.index0 < 26 else loop.index }}</a>{% endfor %}</span>{% endif %}
</li>
{% endfor %}
</ol>"""
)


def render(
    markdown: str,
    bibliography: Bibliography,
    heading: str = "## References",
    blocks: Iterable[BlockCitations] = (),
) -> Rendered:
    """Citations replaced by numbered superscript links; the reference list appended.

    ``blocks``: what the page's decision tables cite (they render their own citations, with
    the numbers this returns), numbered in page order with the text's citations.
    Unknown keys (``check`` reports them) render as a visible ``?key`` so the page still builds.
    """
    citations = scan(markdown)
    blocks = sorted(blocks, key=lambda b: b.offset)
    order = sorted(
        [(c.start, [i.key for i in c.items]) for c in citations]
        + [(b.offset, [key for key, _ in b.cites]) for b in blocks],
        key=lambda pair: pair[0],
    )
    keys = [k for k in dict.fromkeys(k for _, ks in order for k in ks) if k in bibliography.entries]
    if not citations and not keys:
        return Rendered(markdown, [])
    number = {key: n for n, key in enumerate(keys, start=1)}
    uses: dict[str, list[str]] = {key: [] for key in keys}
    pieces, last = [], 0
    pending = list(blocks)
    for citation in citations:
        while pending and pending[0].offset < citation.start:
            _block_uses(pending.pop(0), uses)
        if not citation.items:
            continue  # malformed: check() reports it; the text stays as written
        start = _trim_space_before(markdown, citation.start)
        pieces.append(markdown[last:start])
        pieces.append(_sup(citation, bibliography, number, uses))
        last = citation.end
    for block in pending:
        _block_uses(block, uses)
    pieces.append(markdown[last:])
    text = "".join(pieces)
    if keys:
        refs = [{"number": number[k], "entry": bibliography.entries[k], "uses": uses[k]} for k in keys]
        text = text.rstrip("\n") + f"\n\n{heading}\n\n" + _REFERENCES.render(refs=refs) + "\n"
    return Rendered(text, keys)


def _block_uses(block: BlockCitations, uses: dict[str, list[str]]) -> None:
    for key, anchor in block.cites:
        if key in uses and anchor not in uses[key]:
            uses[key].append(anchor)


def _trim_space_before(text: str, start: int) -> int:
    """``therapy [@a].`` -> ``therapy¹.``: drop the spaces before, unless only a list marker is."""
    line_start = text.rfind("\n", 0, start) + 1
    trimmed = start
    while trimmed > line_start and text[trimmed - 1] in " \t":
        trimmed -= 1
    if trimmed > line_start:
        return start if LIST_PREFIX_RE.match(text[line_start:trimmed]) else trimmed
    # The bracket opens its line: join it to the previous line when that continues the paragraph.
    previous = text[text.rfind("\n", 0, max(line_start - 1, 0)) + 1:max(line_start - 1, 0)]
    if line_start == 0 or not previous.strip() or CONTINUES_RE.match(previous) is None or previous.endswith("  "):
        return start
    return line_start - 1 - (len(previous) - len(previous.rstrip()))


def _sup(citation: Citation, bibliography: Bibliography, number: Mapping[str, int], uses: dict[str, list[str]]) -> str:
    known = sorted(
        {(number[c.key], c.locator): c for c in citation.items if c.key in number}.items(), key=lambda kv: kv[0]
    )
    links: list[_Link] = []
    for (n, locator), cite in known:
        anchor = f"cite-{n}-{len(uses[cite.key]) + 1}"
        uses[cite.key].append(anchor)
        entry = bibliography.entries[cite.key]
        title = f"{locator} — {entry.citation}" if locator else entry.citation
        html = Markup('<a href="#ref-{}" id="{}" title="{}">{}</a>').format(n, anchor, _attr(title), n)
        links.append(_Link(n, locator, anchor, html))
    html = _join_ranges(links)
    missing = [c.key for c in citation.items if c.key not in number]
    if missing:
        html += Markup('<span class="citation--missing" title="No entry in the bibliography">{}</span>').format(
            ("," if html else "") + ",".join(f"?{k}" for k in missing)
        )
    return str(Markup('<sup class="citation">{}</sup>').format(html))


@dataclass(frozen=True)
class _Link:
    number: int
    locator: str
    anchor: str
    html: Markup


def _join_ranges(links: list[_Link]) -> Markup:
    """1,2,3,5 -> 1–3,5 (runs of three or more, none with a locator); every id kept for back-links."""
    out: list[Markup] = []
    i = 0
    while i < len(links):
        j = i
        while (
            j + 1 < len(links)
            and links[j + 1].number == links[j].number + 1
            and not links[j + 1].locator
            and not links[i].locator
        ):
            j += 1
        if j - i >= 2:
            middle = Markup("").join(Markup('<span id="{}"></span>').format(link.anchor) for link in links[i + 1:j])
            out.append(links[i].html + middle + Markup("–") + links[j].html)
        else:
            out.extend(_with_locator(link) for link in links[i:j + 1])
        i = j + 1
    return Markup(",").join(out)


def _with_locator(link: _Link) -> Markup:
    if not link.locator:
        return link.html
    return link.html + Markup('<span class="citation__locator"> ({})</span>').format(_attr(link.locator))


def _attr(text: str) -> Markup:
    """Escaped for HTML, and for Markdown too: the tag goes through Python-Markdown's inline patterns."""
    return Markup(str(escape(text)).replace("[", "&#91;").replace("]", "&#93;").replace("@", "&#64;").replace("*", "&#42;").replace("_", "&#95;").replace("`", "&#96;"))


# --- The bibliography file ----------------------------------------------------------------


@dataclass
class BibliographyCheck:
    """What ``check_bibliography`` learnt: the problems, and each key with its line."""

    problems: list[Problem]
    key_lines: dict[str, int]
    readable: bool = True  # False: not YAML, or not a mapping; key_lines is then empty

    @property
    def keys(self) -> set[str] | None:
        """The citable keys, or None when the file could not be read at all."""
        return set(self.key_lines) if self.readable else None


def check_bibliography(path: Path) -> BibliographyCheck:
    """Duplicate keys, malformed DOI or PMID, and ``hooks.references``' own errors, with lines."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return BibliographyCheck([error(1, f"cannot read the bibliography ({exc.strerror}): create it, or fix its path")], {}, False)
    try:
        loaded = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return BibliographyCheck([error(mark.line + 1 if mark else 1, f"the bibliography is not valid YAML ({problem}): check the indentation and quote titles that hold ': '")], {}, False)
    data = loaded.data or {}
    if not isinstance(data, dict):
        return BibliographyCheck([error(1, "the bibliography must map each citation key to its entry (key: {title: ..., year: ...})")], {}, False)
    problems = []
    for dup in loaded.duplicates:
        top_level = loaded.lines.get((dup.key,)) == dup.first_line
        what = f"citation key '{dup.key}'" if top_level else f"field '{dup.key}'"
        problems.append(error(dup.line, f"{what} is defined twice (first on line {dup.first_line}); YAML keeps only the last: merge the two or rename one"))
    key_lines = {str(k): line_of(loaded.lines, (k,)) for k in data}
    for key, raw in data.items():
        problems += _entry_problems(path, str(key), raw, loaded.lines)
    return BibliographyCheck(sorted(problems, key=lambda p: (p.line, p.message)), key_lines)


def _entry_problems(path: Path, key: str, raw: Any, lines: Mapping[tuple[Any, ...], int]) -> list[Problem]:
    problems = []
    line = line_of(lines, (key,))
    try:
        references._entry(path, key, raw)  # the loader's own rules: required fields, unknown fields, authors
    except (references.BibliographyError, ValueError, TypeError) as exc:
        fields = ", ".join(f for f in Entry.__dataclass_fields__ if f != "key")
        required = " and ".join(references.REQUIRED_FIELDS)
        message = f"{str(exc).removeprefix(f'{path}: ')}: fix the entry (its fields: {fields}; {required} required)"
        if isinstance(exc, (ValueError, TypeError)) and not isinstance(exc, references.BibliographyError):
            message = f"entry '{key}': year must be a number, e.g. 2015"
            line = line_of(lines, (key, "year"))
        problems.append(error(line, message))
    if not isinstance(raw, dict):
        return problems
    doi = raw.get("doi")
    if doi is not None and not DOI_RE.match(str(doi)):
        problems.append(error(line_of(lines, (key, "doi")), f"entry '{key}': malformed DOI {str(doi)!r}: write the bare DOI, e.g. 10.1016/j.jhep.2015.06.030 (no https://doi.org/, no spaces)"))
    pmid = raw.get("pmid")
    if pmid is not None and not PMID_RE.match(str(pmid)):
        problems.append(error(line_of(lines, (key, "pmid")), f"entry '{key}': malformed PMID {str(pmid)!r}: a PubMed id is digits only, e.g. \"26341719\""))
    return problems


def unused_entries(key_lines: Mapping[str, int], cited: Collection[str]) -> list[Problem]:
    """Warnings for entries no page and no calculator cites."""
    return [
        warning(line, f"bibliography entry '{key}' is cited by no page and no calculator: cite it where it supports the text, or remove it")
        for key, line in key_lines.items()
        if key not in cited
    ]
