"""The evidence register: what each figure the calculators use rests on, and how well.

One TOML file shipped with the package (``evidence.toml``), read with the standard library so
it loads in CPython and under Pyodide alike. Code comments and notes point to an entry as
``evidence: ID``; the tests check that every such pointer resolves.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

STATUSES = ("confirmed", "secondary", "unverified")
# Each status as a clinician reads it beside a figure: pages and tables show these words, never
# the status itself.
STATUS_WORDS = {
    "confirmed": "Confirmed in the primary source",
    "secondary": "Seen only in a secondary source",
    "unverified": "Not confirmed: not found in the source's text",
}
# What each status means, in one sentence (the comment at the top of evidence.toml says it for
# contributors).
STATUS_DEFINITIONS = {
    "confirmed": "The figure was read in the original publication itself, often in its abstract.",
    "secondary": "The figure was seen only in a review or another text that quotes the original, "
    "not in the original itself.",
    "unverified": "The figure could not be found in the text of its source, or was seen only in "
    "AI-written summaries; a page that relies on it is not approved until it is checked.",
}


@dataclass(frozen=True)
class Evidence:
    id: str
    statement: str
    value: str
    sources: tuple[str, ...]
    status: str
    locator: str = ""
    checked: str = ""
    note: str = ""


@lru_cache(maxsize=1)
def register() -> dict[str, Evidence]:
    """Every entry by id; a malformed entry raises ValueError naming it."""
    text = resources.files(__package__).joinpath("evidence.toml").read_text(encoding="utf-8")
    entries = {}
    for key, raw in tomllib.loads(text).items():
        try:
            entry = Evidence(id=key, **{**raw, "sources": tuple(raw["sources"])})
        except (TypeError, KeyError) as exc:
            raise ValueError(f"evidence entry {key!r}: {exc}") from None
        if entry.status not in STATUSES:
            raise ValueError(f"evidence entry {key!r}: status must be one of {', '.join(STATUSES)}")
        if not entry.sources:
            raise ValueError(f"evidence entry {key!r}: name at least one source")
        entries[key] = entry
    return entries


def get(entry_id: str) -> Evidence:
    try:
        return register()[entry_id]
    except KeyError:
        raise KeyError(f"no evidence entry {entry_id!r}") from None
