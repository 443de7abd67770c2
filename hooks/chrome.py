"""What the page template shows around the content, from a page's front-matter.

The review badge (status, steps, reviewers, dates), the related questions and the schema.org
JSON-LD. Kept apart from frontmatter.py, which reads and validates the front-matter: this
module only presents what has already been checked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from aihcalc import dates

from .frontmatter import AUDIENCES, as_date
from .evidence_marks import TAG_TITLES, Pending
from .review_statuses import STATUS_LABELS, STATUS_NOTES, STATUSES


def audiences(meta: Mapping[str, Any]) -> list[str]:
    value = meta.get("audience") or ["clinician"]
    return [a for a in value if a in AUDIENCES] or ["clinician"]


def human_date(value: Any) -> str:
    """``2026-11-22`` -> ``Sun 22 Nov 2026``: the calculators' own form (aihcalc.dates), unambiguous."""
    day = as_date(value)
    return dates.human_date(day) if day else ""


def review_view(meta: Mapping[str, Any], today: dt.date | None = None) -> dict[str, Any]:
    """The review badge: status, its steps, the reviewers and the dates, ready for the template."""
    review = meta.get("review") or {}
    status = review.get("status") if review.get("status") in STATUSES else "draft"
    current = STATUSES.index(status)
    due = as_date(review.get("next_review"))
    return {
        "status": status,
        "label": STATUS_LABELS[status],
        "note": STATUS_NOTES[status],
        "steps": [
            {"label": STATUS_LABELS[s], "state": "done" if i < current else "current" if i == current else "todo"}
            for i, s in enumerate(STATUSES)
        ],
        "reviewers": [r for r in review.get("reviewers") or [] if isinstance(r, dict)],
        "last_reviewed": _iso(review.get("last_reviewed")),
        "last_reviewed_text": human_date(review.get("last_reviewed")),
        "next_review": _iso(review.get("next_review")),
        "next_review_text": human_date(review.get("next_review")),
        "overdue": bool(due and due < (today or dt.date.today())),
        "last_updated": _iso(meta.get("last_updated")),
        "last_updated_text": human_date(meta.get("last_updated")),
    }


def _iso(value: Any) -> str:
    day = as_date(value)
    return day.isoformat() if day else ""


def chrome(
    meta: Mapping[str, Any],
    *,
    url: str = "",
    entries: Iterable[Any] = (),
    related: Iterable[Mapping[str, str]] = (),
    policy_url: str = "",
    pending: Iterable[Pending] = (),
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Everything the page template (overrides/main.html) shows around the content.

    ``pending``: the page's figures not confirmed in a primary source (hooks/evidence_marks.py),
    listed in its Verification pending box.
    """
    return {
        "review": review_view(meta, today),
        "audience": audiences(meta),
        "related": list(related),
        "policy_url": policy_url,
        "verification": [
            {
                "statement": p.entry.statement,
                "value": "" if p.entry.value.lower().startswith("see ") else p.entry.value,
                "status": p.entry.status,
                "status_text": TAG_TITLES[p.entry.status],
                "url": p.url,
            }
            for p in pending
        ],
        "changes": changes_view(meta),
        "json_ld": json_ld(meta, url=url, entries=entries),
    }


def changes_view(meta: Mapping[str, Any]) -> list[dict[str, str]]:
    """The page's "What changed" list, newest first, dates as readers write them."""
    listed = meta.get("changes")
    found = [c for c in listed if isinstance(c, dict) and as_date(c.get("date"))] if isinstance(listed, list) else []
    found.sort(key=lambda c: as_date(c["date"]), reverse=True)  # type: ignore[arg-type, return-value]
    return [{"date": _iso(c["date"]), "date_text": human_date(c["date"]), "what": str(c.get("what", ""))} for c in found]


def modified(meta: Mapping[str, Any]) -> str:
    """The day the page last changed: its last_updated, or a later dated change."""
    days = [as_date(meta.get("last_updated"))] + [as_date(c["date"]) for c in changes_view(meta)]
    known = [d for d in days if d]
    return max(known).isoformat() if known else ""


def json_ld(meta: Mapping[str, Any], *, url: str, entries: Iterable[Any] = ()) -> dict[str, Any]:
    """schema.org MedicalWebPage for the page: what it answers, who reviewed it when, what it cites.

    ``entries`` are ``hooks.references.Entry`` objects (anything with title, year, authors,
    journal, doi_url, pubmed_url, url, citation).
    """
    review = meta.get("review") or {}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": str(meta.get("title", "")),
        "headline": str(meta.get("question", "") or meta.get("title", "")),
        "description": str(meta.get("summary", "")),
        "audience": [
            {"@type": "MedicalAudience", "audienceType": "Clinician" if a == "clinician" else "Patient"}
            for a in audiences(meta)
        ],
    }
    if url:
        data["url"] = url
    if modified(meta):
        data["dateModified"] = modified(meta)
    if _iso(review.get("last_reviewed")):
        data["lastReviewed"] = _iso(review.get("last_reviewed"))
    reviewers = [r for r in review.get("reviewers") or [] if isinstance(r, dict) and r.get("name")]
    if reviewers:
        data["reviewedBy"] = [
            {"@type": "Person", "name": str(r["name"]), **({"jobTitle": str(r["role"])} if r.get("role") else {})}
            for r in reviewers
        ]
    if meta.get("tags"):
        data["keywords"] = ", ".join(str(t) for t in meta["tags"])
    citations = [_creative_work(e) for e in entries]
    if citations:
        data["citation"] = citations
    return data


_PERSON = re.compile(r"^[^\W\d][\w'’ -]* [A-Z]{1,4}$")  # Vancouver style: surname, then initials


def _creative_work(entry: Any) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "ScholarlyArticle", "name": entry.title}
    if entry.year:
        work["datePublished"] = str(entry.year)
    if entry.authors:
        work["author"] = [
            {"@type": "Person" if _PERSON.match(a) else "Organization", "name": a}
            for a in entry.authors
            if a.rstrip(".") not in ("et al", "")
        ]
    if entry.journal:
        work["isPartOf"] = {"@type": "Periodical", "name": entry.journal}
    identifiers = []
    if getattr(entry, "doi", ""):
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": entry.doi})
    if getattr(entry, "pmid", ""):
        identifiers.append({"@type": "PropertyValue", "propertyID": "PMID", "value": entry.pmid})
    if identifiers:
        work["identifier"] = identifiers
    link = entry.doi_url or entry.pubmed_url or entry.url
    if link:
        work["url"] = link
    return work
