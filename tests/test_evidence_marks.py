"""hooks/evidence_marks.py and review_statuses.py: figures tied to the register; statuses defined once."""

from __future__ import annotations

import datetime as dt
import tomllib

import markdown

from aihcalc.evidence import Evidence
from hooks import chrome, evidence_marks, lint, review_statuses
from tests.conftest import PROJECT_ROOT

REGISTER = {
    "ok-figure": Evidence("ok-figure", "A confirmed dose", "30 mg/day", ("smith2020",), "confirmed"),
    "weak-figure": Evidence("weak-figure", "A dose seen in a review", "50 mg/day", ("doe2021", "roe2022"), "secondary"),
    "odd-figure": Evidence("odd-figure", "A dose nobody found", "7.5 mg/day", ("doe2021",), "unverified"),
}


def test_a_mark_becomes_its_sources_and_a_status_tag_linked_to_its_row() -> None:
    text = "Start at 50 mg/day [=weak-figure] and see `[=weak-figure]` in code."
    out = evidence_marks.expand(text, REGISTER, "aih/first-line.md")
    assert out.startswith("Start at 50 mg/day [@doe2021; @roe2022] [secondary source](../evidence.md#weak-figure){: .aih-ev .aih-ev--secondary")
    html = markdown.markdown(out, extensions=["attr_list"])
    assert '<a class="aih-ev aih-ev--secondary" href="../evidence.md#weak-figure" title="Seen only in a secondary source' in html
    assert "`[=weak-figure]`" in out  # code is left alone
    top = evidence_marks.expand("10 mg [=ok-figure]", REGISTER, "index.md")
    assert "[confirmed](evidence.md#ok-figure)" in top


def test_unknown_and_malformed_marks_are_errors_at_their_line_and_stay_as_written() -> None:
    text = "First line.\n\n30 mg [=no-such] and [=Bad Id].\n"
    problems = evidence_marks.check(text, REGISTER)
    assert [(p.line, p.level) for p in problems] == [(3, "error"), (3, "error")]
    assert "names no entry" in problems[0].message and "malformed" in problems[1].message
    assert evidence_marks.expand(text, REGISTER, "x.md") == text


def test_a_page_rests_on_its_marks_then_its_calculators_entries() -> None:
    import aihcalc

    meld = next(c for c in aihcalc.all_calculators() if c.id == "meld")
    text = "A [=odd-figure] b [=ok-figure] c [=odd-figure]\n\n/// calculator | meld\n///\n"
    assert evidence_marks.used(text) == ["odd-figure", "ok-figure", *meld.evidence]
    assert evidence_marks.sources(text, REGISTER) == ["doe2021", "smith2020"]


def test_a_status_beyond_draft_needs_every_figure_confirmed() -> None:
    weak = ["ok-figure", "weak-figure"]
    assert evidence_marks.status_problems("draft", weak, REGISTER, 6) == []
    assert evidence_marks.status_problems("submitted", ["ok-figure"], REGISTER, 6) == []
    for status in ("submitted", "under-review", "approved"):
        [problem] = evidence_marks.status_problems(status, weak, REGISTER, 6)
        assert problem.line == 6 and problem.level == "error"
        assert f"review.status is {status}" in problem.message and "A dose seen in a review (secondary source)" in problem.message
        assert "A confirmed dose" not in problem.message


def test_pending_lists_what_is_not_confirmed_with_its_row() -> None:
    found = evidence_marks.pending(["ok-figure", "weak-figure", "odd-figure"], REGISTER, "../evidence/")
    assert [(p.entry.id, p.url) for p in found] == [("weak-figure", "../evidence/#weak-figure"), ("odd-figure", "../evidence/#odd-figure")]
    view = chrome.chrome({"title": "T"}, pending=found)["verification"]
    assert [v["status"] for v in view] == ["secondary", "unverified"] and view[0]["value"] == "50 mg/day"


def test_a_mark_counts_as_a_citation_for_the_figure_lint() -> None:
    assert lint.lint("The dose is 50 mg/day [=weak-figure].\n") == []
    assert len(lint.lint("The dose is 50 mg/day.\n")) == 1


def test_every_register_status_has_a_tag() -> None:
    raw = tomllib.loads((PROJECT_ROOT / "src" / "aihcalc" / "evidence.toml").read_text(encoding="utf-8"))
    assert {entry["status"] for entry in raw.values()} <= set(evidence_marks.TAGS)


# --- Review statuses: one definition ----------------------------------------------------------


def test_the_home_page_and_the_editorial_policy_define_statuses_with_the_one_block() -> None:
    for page in ("index.md", "editorial-policy.md"):
        text = (PROJECT_ROOT / "content" / page).read_text(encoding="utf-8")
        assert "/// review-statuses" in text, page
        assert "| Submitted |" not in text and "\nSubmitted\n:" not in text, f"{page} defines a status by hand"


def test_the_block_renders_each_definition_and_the_badge_uses_the_same_words() -> None:
    html = markdown.markdown("/// review-statuses\n///\n", extensions=["hooks.blocks"])
    for status in review_statuses.DEFINITIONS:
        assert f'<dt id="status-{status.key}">{status.label}</dt>' in html
        assert review_statuses.STATUS_NOTES[status.key] == status.note
    badge = chrome.review_view({"review": {"status": "submitted"}})
    assert badge["label"] == "Submitted" and badge["note"] == review_statuses.BY_KEY["submitted"].note
    assert "confirmed" in review_statuses.BY_KEY["submitted"].meaning  # the index's old meaning, kept


# --- What changed ------------------------------------------------------------------------------


def test_what_changed_is_newest_first_and_sets_date_modified() -> None:
    meta = {
        "title": "T",
        "last_updated": dt.date(2026, 11, 1),
        "changes": [
            {"date": dt.date(2026, 10, 1), "what": "First."},
            {"date": "2026-11-20", "what": "Second."},
        ],
    }
    assert [c["what"] for c in chrome.changes_view(meta)] == ["Second.", "First."]
    assert chrome.changes_view(meta)[0]["date_text"] == "Fri 20 Nov 2026"
    assert chrome.json_ld(meta, url="")["dateModified"] == "2026-11-20"
    assert chrome.json_ld({"title": "T", "last_updated": "2026-11-01"}, url="")["dateModified"] == "2026-11-01"
