"""Front-matter: splitting, parsing with lines, the schema's errors as fixes, and the page chrome."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from hooks import chrome as page_chrome
from hooks import frontmatter
from hooks.problems import Problem
from hooks.references import Entry

TODAY = dt.date(2026, 11, 22)
GOOD = """---
title: Budesonide
question: When can budesonide replace prednisolone?
summary: In adults without cirrhosis.
audience: [clinician, patient]
tags: [treatment]
review:
  status: approved
  reviewers:
    - {name: Dr A Example, role: Consultant hepatologist}
  last_reviewed: 2026-10-01
  next_review: 2027-10-01
last_updated: 2026-11-01
related:
  - aih/first-line-treatment.md
---

# Budesonide
"""


def page(*replacements: tuple[str, str]) -> str:
    text = GOOD
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def problems(text: str, known: set[str] | None = None) -> list[tuple[int, str, str]]:
    front = frontmatter.parse(text)
    found = front.problems + frontmatter.validate(
        front, today=TODAY, known_pages=known if known is not None else {"aih/first-line-treatment.md"}, page="aih/budesonide.md"
    )
    return [(p.line, p.level, p.message) for p in found]


def test_the_schema_is_a_valid_json_schema() -> None:
    Draft202012Validator.check_schema(json.loads(frontmatter.SCHEMA_PATH.read_text(encoding="utf-8")))


def test_a_complete_page_has_no_problems_and_keeps_its_dates() -> None:
    front = frontmatter.parse(GOOD)
    assert problems(GOOD) == []
    assert front.data["last_updated"] == dt.date(2026, 11, 1)
    assert front.body == "# Budesonide\n"
    assert front.body_line == 18  # MkDocs drops the blank line after the closing ---
    assert front.lines[("review", "reviewers", 0)] == 10
    assert front.lines[("related", 0)] == 15


def test_minimal_page_is_valid() -> None:
    text = "---\ntitle: T\nquestion: Q?\nsummary: S.\nreview: {status: draft}\nlast_updated: 2026-01-01\n---\nBody\n"
    assert problems(text) == []
    assert frontmatter.parse(text).body_line == 8


def test_crlf_line_endings_are_read_like_lf() -> None:
    assert problems(GOOD.replace("\n", "\r\n")) == []


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        pytest.param(
            ("question: When can budesonide replace prednisolone?\n", ""),
            (1, "error", "missing required field 'question' (the clinical question the page answers, as a reader would ask it): add it, e.g. question: When can budesonide replace prednisolone in autoimmune hepatitis?"),
            id="missing-question",
        ),
        pytest.param(
            ("summary: In adults without cirrhosis.", "summary: In adults without cirrhosis.\nsumary: typo"),
            (5, "error", "unknown field 'sumary': did you mean 'summary'? the fields here are title, question, summary, audience, tags, review, last_updated, changes, related, hide, search"),
            id="typo-field",
        ),
        pytest.param(
            ("tags: [treatment]", "tags: treatment"),
            (6, "error", "tags must be a list, not the text 'treatment', e.g. [treatment, azathioprine]"),
            id="tags-not-a-list",
        ),
        pytest.param(
            ("audience: [clinician, patient]", "audience: [clinician, nurse]"),
            (5, "error", "audience[1] must be one of clinician, patient; found 'nurse'"),
            id="unknown-audience",
        ),
        pytest.param(
            ("status: approved", "status: reviewed"),
            (8, "error", "review.status must be one of draft, submitted, under-review, approved; found 'reviewed'"),
            id="unknown-status",
        ),
        pytest.param(
            ("last_updated: 2026-11-01", "last_updated: 1 November 2026"),
            (13, "error", "last_updated must be a date written YYYY-MM-DD, e.g. 2026-11-22; found '1 November 2026'"),
            id="date-in-words",
        ),
        pytest.param(
            ("last_updated: 2026-11-01", "last_updated: 2026-11-31"),
            (13, "error", "last_updated must be a date written YYYY-MM-DD, e.g. 2026-11-22; found '2026-11-31'"),
            id="no-such-day",
        ),
        pytest.param(
            ("last_updated: 2026-11-01", "last_updated: 2026-11-01 10:00:00"),
            (13, "error", "last_updated must be a date written YYYY-MM-DD, e.g. 2026-11-22; found '2026-11-01T10:00:00'"),
            id="datetime-not-date",
        ),
        pytest.param(
            ("title: Budesonide", "title: ''"),
            (2, "error", "title is empty: write it, e.g. Budesonide in autoimmune hepatitis"),
            id="empty-title",
        ),
        pytest.param(
            ("title: Budesonide", "title: 42"),
            (2, "error", "title must be text, not 42, e.g. Budesonide in autoimmune hepatitis"),
            id="number-title",
        ),
        pytest.param(
            ("    - {name: Dr A Example, role: Consultant hepatologist}", "    - {name: Dr A Example}"),
            (10, "error", "missing required field 'review.reviewers[0].role' (the reviewer's clinical role): add it, e.g. role: Consultant hepatologist"),
            id="reviewer-without-role",
        ),
        pytest.param(
            ("  reviewers:\n    - {name: Dr A Example, role: Consultant hepatologist}\n", ""),
            (8, "error", "review.status is approved, but the review record lacks reviewers (a list of {name, role}): add them, or set status to under-review until the sign-off is recorded"),
            id="approved-without-reviewers",
        ),
        pytest.param(
            ("  last_reviewed: 2026-10-01\n", ""),
            (8, "error", "review.status is approved, but the review record lacks last_reviewed (YYYY-MM-DD): add them, or set status to under-review until the sign-off is recorded"),
            id="approved-without-date",
        ),
        pytest.param(
            ("  reviewers:\n    - {name: Dr A Example, role: Consultant hepatologist}\n", "  reviewers: []\n"),
            (9, "error", "review.status is approved, but review.reviewers is empty: name at least one reviewer ({name, role}), or set status to under-review"),
            id="approved-with-empty-list",
        ),
        pytest.param(
            ("  next_review: 2027-10-01", "  next_review: 2026-10-31"),
            (12, "warning", "review.next_review 2026-10-31 has passed: review the page (then update last_reviewed and next_review) or set a new due date"),
            id="review-overdue",
        ),
        pytest.param(
            ("  - aih/first-line-treatment.md", "  - aih/first-line-treatmnt.md"),
            (15, "error", "related page 'aih/first-line-treatmnt.md' does not exist: did you mean 'aih/first-line-treatment.md'? write a path relative to content/, e.g. aih/first-line-treatment.md"),
            id="related-typo",
        ),
        pytest.param(
            ("  - aih/first-line-treatment.md", "  - /aih/first-line-treatment.md"),
            (15, "error", "related[0] must be a page path relative to content/ ending in .md, e.g. aih/first-line-treatment.md; found '/aih/first-line-treatment.md'"),
            id="related-absolute",
        ),
        pytest.param(
            ("  - aih/first-line-treatment.md", "  - aih/budesonide.md"),
            (15, "warning", "related page 'aih/budesonide.md' is this page itself: remove it"),
            id="related-self",
        ),
        pytest.param(
            ("title: Budesonide", "title: Budesonide\ntitle: Budesonide again"),
            (3, "error", "field 'title' is given twice (first on line 2); YAML would silently keep only the last: remove one"),
            id="duplicate-key",
        ),
        pytest.param(
            ("title: Budesonide", "title: Budesonide\n  extra: indented"),
            (3, "error", "the front-matter is not valid YAML (mapping values are not allowed in this context): check the indentation, and put quotes around a value that holds ': ' or starts with a special character"),
            id="not-yaml",
        ),
    ],
)
def test_each_mistake_names_its_line_and_the_fix(replace: tuple[str, str], expected: tuple[int, str, str]) -> None:
    assert problems(page(replace), known={"aih/first-line-treatment.md", "aih/budesonide.md"}) == [expected]


def test_front_matter_that_is_not_a_mapping() -> None:
    assert problems("---\n- a list\n---\nBody\n") == [
        (2, "error", "the front-matter must be a mapping of fields (title: ..., question: ..., ...), not a list or a single value")
    ]


def test_a_page_without_front_matter_or_with_an_open_one() -> None:
    assert problems("# Title\n")[0][:2] == (1, "error")
    assert "no front-matter" in problems("# Title\n")[0][2]
    assert problems("---\ntitle: T\n\n# Title\n") == [
        (1, "error", "the front-matter opened here is never closed: end it with a line holding only ---")
    ]


def test_broken_yaml_leaves_the_whole_text_as_body_like_mkdocs() -> None:
    front = frontmatter.parse(page(("title: Budesonide", "title: [unclosed")))
    assert front.data == {} and front.body_line == 1 and front.body.startswith("---")


def test_related_pages_are_not_checked_without_a_page_list() -> None:
    front = frontmatter.parse(page(("  - aih/first-line-treatment.md", "  - nowhere.md")))
    assert frontmatter.validate(front, today=TODAY, known_pages=None) == []


def test_load_yaml_reports_duplicates_at_any_depth_with_lines() -> None:
    loaded = frontmatter.load_yaml("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    assert [(d.key, d.line, d.first_line) for d in loaded.duplicates] == [("c", 4, 3), ("a", 5, 1)]
    assert loaded.data == {"a": 3, "b": {"c": 2}}
    assert frontmatter.line_of(loaded.lines, ("b", "c")) == 3
    assert frontmatter.line_of(loaded.lines, ("b", "nope", 3)) == 2


def test_problem_prints_as_file_line_level_message() -> None:
    assert str(Problem("", 3, "error", "what to fix").at("content/a.md", 10)) == "content/a.md:13: error: what to fix"


def test_review_view_for_the_badge() -> None:
    view = page_chrome.review_view(frontmatter.parse(GOOD).data, today=TODAY)
    assert view["label"] == "Approved" and view["status"] == "approved"
    assert [s["state"] for s in view["steps"]] == ["done", "done", "done", "current"]
    assert view["last_updated_text"] == "Sun 1 Nov 2026" and view["last_updated"] == "2026-11-01"
    assert view["next_review_text"] == "Fri 1 Oct 2027" and not view["overdue"]
    assert page_chrome.review_view({"review": {"status": "submitted", "next_review": "2020-01-01"}}, today=TODAY)["overdue"]
    assert page_chrome.review_view({})["label"] == "Draft"


def test_json_ld_is_a_medical_web_page_with_review_and_citations() -> None:
    entry = Entry(key="k", authors=("Doe J", "European Association for the Study of the Liver", "et al."), title="T", year=2020, journal="J", doi="10.1000/x", pmid="1")
    data = page_chrome.json_ld(frontmatter.parse(GOOD).data, url="https://example.org/aih/budesonide/", entries=[entry])
    assert data["@type"] == "MedicalWebPage" and data["@context"] == "https://schema.org"
    assert data["lastReviewed"] == "2026-10-01" and data["dateModified"] == "2026-11-01"
    assert data["reviewedBy"] == [{"@type": "Person", "name": "Dr A Example", "jobTitle": "Consultant hepatologist"}]
    assert [a["audienceType"] for a in data["audience"]] == ["Clinician", "Patient"]
    work = data["citation"][0]
    assert work["url"] == "https://doi.org/10.1000/x" and work["datePublished"] == "2020"
    assert [a["@type"] for a in work["author"]] == ["Person", "Organization"]
    assert {i["propertyID"] for i in work["identifier"]} == {"DOI", "PMID"}
    json.dumps(data)  # serialisable as it stands


def test_json_ld_leaves_out_what_the_page_does_not_have() -> None:
    data = page_chrome.json_ld({"title": "T", "review": {"status": "draft"}}, url="")
    assert "lastReviewed" not in data and "reviewedBy" not in data and "citation" not in data and "url" not in data


def test_chrome_bundles_what_the_template_needs() -> None:
    chrome = page_chrome.chrome(frontmatter.parse(GOOD).data, related=[{"text": "Q?", "url": "../x/"}], policy_url="../policy/")
    assert set(chrome) == {"review", "audience", "related", "policy_url", "verification", "changes", "json_ld"}


def test_every_project_page_parses(project_root: Path) -> None:
    """Not a content review (python -m hooks.check is): only that the parser copes with all of them."""
    for path in sorted((project_root / "content").rglob("*.md")):
        frontmatter.parse(path.read_text(encoding="utf-8"))
