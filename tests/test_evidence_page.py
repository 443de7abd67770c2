"""The generated evidence page: every register entry a row, reachable by its id, filterable by status.

The counts and rows are checked against the register read here with tomllib, not through
aihcalc.evidence, so a mistake in the page's own reading of the register shows.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml

import aihcalc
from aihcalc import evidence
from hooks import checks, evidence_page, frontmatter
from hooks.evidence_page import Use
from hooks.references import Bibliography
from tests.conftest import PROJECT_ROOT

TODAY = dt.date(2026, 11, 22)
RAW = tomllib.loads((PROJECT_ROOT / "src" / "aihcalc" / "evidence.toml").read_text(encoding="utf-8"))
BIBLIOGRAPHY = Bibliography.load(PROJECT_ROOT / "content" / "bibliography.yaml")
CSS = (PROJECT_ROOT / "hooks" / "assets" / "content.css").read_text(encoding="utf-8")
EXTENSIONS = ["md_in_html", "attr_list", "tables", "toc"]


def page(path: Path, title: str, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: {title}\nquestion: Q?\nsummary: S.\nreview:\n  status: draft\nlast_updated: 2026-11-01\n---\n\n{body}",
        encoding="utf-8",
    )


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A content folder: one page marks a figure, one shows a calculator, one does both."""
    page(tmp_path / "aih" / "marked.md", "Marked page", "Start at 1–2 mg/kg/day [=aza-dose-range].\n\n`[=apri]` is code.\n")
    page(tmp_path / "aih" / "embeds.md", "Embedding page", "/// calculator | azathioprine-dose\n///\n")
    page(tmp_path / "both.md", "Both", "FIB-4 cut-offs [=fib-4].\n\n/// calculator | fib-4\n///\n")
    page(tmp_path / "contributing" / "example.md", "Example", "An example [=meld-3].\n")  # not guidance
    return tmp_path


def test_a_mark_and_an_embedded_calculator_both_count_and_calculators_follow_pages(content: Path) -> None:
    uses = evidence_page.evidence_uses(content)
    calculator = Use("Azathioprine dose (autoimmune hepatitis)", "calculators/azathioprine-dose.md", "calculator")
    assert calculator.title == aihcalc.get("azathioprine-dose").title
    budesonide = aihcalc.get("budesonide-regimen")
    assert uses["aza-dose-range"] == [
        Use("Embedding page", "aih/embeds.md", "page"),
        Use("Marked page", "aih/marked.md", "page"),
        calculator,
        Use(budesonide.title, "calculators/budesonide-regimen.md", "calculator"),
    ]
    # Every entry the embedded calculator declares is used by the page that shows it.
    for entry_id in aihcalc.get("azathioprine-dose").evidence:
        assert Use("Embedding page", "aih/embeds.md", "page") in uses[entry_id]
    # Marked and embedded: listed once. A mark in code, or on a contributor's example, is not a use.
    assert [u for u in uses["fib-4"] if u.kind == "page"] == [Use("Both", "both.md", "page")]
    assert all(u.kind == "calculator" for u in uses["apri"])
    assert all(u.kind == "calculator" for u in uses["meld-3"])
    assert evidence_page.evidence_uses(content) == uses  # the same answer every time


def test_uses_follow_the_calculators_given(content: Path) -> None:
    uses = evidence_page.evidence_uses(content, calculators=[])
    assert uses == {
        "aza-dose-range": [Use("Marked page", "aih/marked.md", "page")],
        "fib-4": [Use("Both", "both.md", "page")],
    }


def built(uses: dict[str, list[Use]] | None = None, bibliography: Bibliography = BIBLIOGRAPHY) -> str:
    return evidence_page.evidence_markdown(evidence.register(), uses or {}, bibliography, TODAY)


class Rows(HTMLParser):
    """The table's rows as rendered: id, data-status, visible text and link targets of each."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, object]] = {}
        self.current: dict[str, object] | None = None
        self.text: list[str] = []  # everything a reader sees on the page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr" and found.get("id"):
            self.current = {"status": found.get("data-status"), "text": [], "links": []}
            self.rows[str(found["id"])] = self.current
        if tag == "a" and self.current is not None:
            self.current["links"].append(found.get("href"))  # type: ignore[union-attr]

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self.current = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.current is not None:
            self.current["text"].append(data)  # type: ignore[union-attr]


def words(pieces: object) -> str:
    """Text as a reader sees it: the pieces joined, runs of white space as one space."""
    return " ".join(" ".join(pieces).split())  # type: ignore[arg-type]


def rendered(text: str) -> Rows:
    body = frontmatter.parse(text).body
    parser = Rows()
    parser.feed(markdown.markdown(body, extensions=EXTENSIONS))
    return parser


def test_every_entry_has_a_row_with_its_id_and_status() -> None:
    rows = rendered(built()).rows
    assert list(rows) == list(RAW)
    for entry_id, raw in RAW.items():
        assert rows[entry_id]["status"] == raw["status"]
        text = " ".join(rows[entry_id]["text"])  # type: ignore[arg-type]
        assert raw["statement"] in text and raw["value"] in text
        assert evidence.STATUS_WORDS[raw["status"]] in text
        if raw.get("locator"):
            assert raw["locator"] in text
        if raw.get("note"):
            assert raw["note"] in text


def test_counts_per_status_match_the_register() -> None:
    counts = Counter(raw["status"] for raw in RAW.values())
    text = built()
    said = {
        "confirmed": "confirmed in the primary source",
        "secondary": "seen only in a secondary source",
        "unverified": "not confirmed",
    }
    seen = words(rendered(text).text)
    sentence = next(line for line in text.splitlines() if line.startswith("This page lists"))
    assert f"lists {len(RAW)} figures" in sentence
    for status, count in counts.items():
        assert re.search(rf"\b{count} (?:is|are|was|were) {said[status]}\b", sentence), (status, sentence)
        label = f"{evidence.STATUS_WORDS[status]} ({count})"
        assert label in seen, label
    assert f"All figures ({len(RAW)})" in seen


def test_sources_are_shown_as_citations_with_their_links() -> None:
    rows = rendered(built()).rows
    for entry_id, raw in RAW.items():
        text = " ".join(rows[entry_id]["text"])  # type: ignore[arg-type]
        for key in raw["sources"]:
            entry = BIBLIOGRAPHY.entries[key]
            assert entry.citation in text, (entry_id, key)
            if entry.doi:
                assert entry.doi_url in rows[entry_id]["links"]  # type: ignore[operator]
            if entry.pmid:
                assert entry.pubmed_url in rows[entry_id]["links"]  # type: ignore[operator]


def test_a_source_missing_from_the_bibliography_is_said_in_words() -> None:
    only_one = Bibliography({"easl2015": BIBLIOGRAPHY.entries["easl2015"]})
    row = rendered(built(bibliography=only_one)).rows["aza-dose-range"]
    assert "A source not yet in the bibliography." in " ".join(row["text"])  # type: ignore[arg-type]


def test_uses_are_markdown_links_to_the_md_files() -> None:
    uses = {
        "aza-dose-range": [
            Use("First-line [AIH] *treatment*", "aih/first-line-treatment.md", "page"),
            Use("Azathioprine dose", "calculators/azathioprine-dose.md", "calculator"),
        ]
    }
    text = built(uses)
    assert "[First-line \\[AIH\\] \\*treatment\\*](aih/first-line-treatment.md)" in text
    assert "[Azathioprine dose](calculators/azathioprine-dose.md)" in text
    rows = rendered(text).rows
    assert rows["aza-dose-range"]["links"][-2:] == ["aih/first-line-treatment.md", "calculators/azathioprine-dose.md"]
    used = words(rows["aza-dose-range"]["text"])
    assert "Pages First-line [AIH] *treatment* Calculators Azathioprine dose" in used
    assert "Not yet used by a page or a calculator." in " ".join(rows["apri"]["text"])  # type: ignore[arg-type]


def test_the_page_passes_the_content_checks() -> None:
    text = built()
    report = checks.check_page(text, "content/evidence.md", "evidence.md", checks.Context(set(BIBLIOGRAPHY.entries), set(), TODAY), lint_figures=False)
    assert report.problems == []
    meta = yaml.safe_load(text.split("---\n", 2)[1])
    assert meta["review"] == {"status": "draft"} and meta["last_updated"] == TODAY


def test_a_reader_sees_no_ids_keys_or_internal_words() -> None:
    text = " ".join(rendered(built()).text)
    for key in {key for raw in RAW.values() for key in raw["sources"]}:
        assert key not in text, key
    for entry_id in RAW:
        assert not re.search(rf"(?<![\w-]){re.escape(entry_id)}(?![\w-])", text), entry_id
    for word in ("unverified", "register", "evidence.toml", "data-status"):
        assert word not in text, word


def test_no_heading_takes_an_entry_id() -> None:
    headings = re.findall(r'<h\d id="([^"]+)"', markdown.markdown(frontmatter.parse(built()).body, extensions=EXTENSIONS))
    assert headings and not set(headings) & set(RAW)


def test_the_status_filter_is_labelled_radio_buttons_that_css_applies() -> None:
    text = built()
    assert "<fieldset" in text and "<legend>Show</legend>" in text
    radios = re.findall(r'<label for="([^"]+)"><input type="radio" id="([^"]+)" name="aih-evidence-status" value="([^"]+)"( checked)?>', text)
    assert [value for _, _, value, _ in radios] == ["all", *evidence.STATUSES]
    assert all(label == box for label, box, _, _ in radios)
    assert [value for _, _, value, checked in radios if checked] == ["all"]
    for status in evidence.STATUSES:
        rule = f'.aih-evidence:has(#aih-evidence-{status}:checked) tbody tr:not([data-status="{status}"])'
        assert rule in CSS, rule
    assert '<div class="aihdt__scroll" role="region" tabindex="0" aria-label=' in text
    assert '<table class="aihcalc__data' in text


def test_mkdocs_yml_lists_the_page_before_the_calculators_and_reads_markdown_in_html() -> None:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    config = yaml.load((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    top = [next(iter(item.values())) for item in config["nav"]]
    assert top.index(evidence_page.PAGE) == top.index("calculators/index.md") - 1
    assert "md_in_html" in config["markdown_extensions"]


def test_the_check_knows_the_generated_page() -> None:
    """A page may list the evidence page under related: the check agrees with the build."""
    from hooks import check

    assert evidence_page.PAGE in check.generated_pages([])


def test_an_entry_read_on_a_date_says_so() -> None:
    dated = next((key for key, raw in RAW.items() if raw.get("checked")), None)
    if dated is None:
        pytest.skip("no entry records the day its source was read")
    row = " ".join(rendered(built()).rows[dated]["text"])  # type: ignore[arg-type]
    assert "Original read on " in row and RAW[dated]["checked"] not in row  # the date in words
