"""The bibliography: one YAML file under content/, keyed by citation key.

A calculator names the keys it rests on; this module checks that every key exists and
formats an entry with its DOI and PubMed links.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REQUIRED_FIELDS = ("title",)


class BibliographyError(ValueError):
    """A broken bibliography: names the file, the line and what to do."""


@dataclass(frozen=True)
class Entry:
    key: str
    authors: tuple[str, ...]
    title: str
    year: int | None = None
    journal: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    note: str = ""

    @property
    def citation(self) -> str:
        """Vancouver-style text, as clinicians read references."""
        where = self._where().rstrip(".")  # "n.d." must not end in two full stops
        if not self.authors:  # a source whose authors nobody has recorded yet: title first
            return f"{self.title.rstrip('.')}. {where}."
        return f"{', '.join(self.authors).rstrip('.')}. {self.title.rstrip('.')}. {where}."

    def _where(self) -> str:
        where = self.journal
        if where:
            where += f". {self.year or 'n.d.'}"
            if self.volume:
                where += f";{self.volume}"
                if self.issue:
                    where += f"({self.issue})"
            if self.pages:
                where += f":{self.pages}"
        else:
            where = str(self.year or "n.d.")
        if self.url and not (self.doi or self.pmid):
            where += f" {self.url}"
        return where

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""


class Bibliography:
    def __init__(self, entries: dict[str, Entry], path: Path | None = None) -> None:
        self.entries = entries
        self.path = path

    @classmethod
    def load(cls, path: Path) -> Bibliography:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f":{mark.line + 1}" if mark else ""
            raise BibliographyError(f"{path}{line}: not valid YAML: {exc}") from None
        if not isinstance(data, dict):
            raise BibliographyError(f"{path}: expected a mapping of citation keys to entries")
        return cls({key: _entry(path, key, raw) for key, raw in data.items()}, path)

    def entry(self, key: str) -> Entry:
        try:
            return self.entries[key]
        except KeyError:
            raise BibliographyError(
                f"{self.path}: no entry {key!r}; add it to the bibliography or fix the key"
            ) from None

    def missing(self, keys: set[str]) -> list[str]:
        return sorted(k for k in keys if k not in self.entries)


def _entry(path: Path, key: str, raw: Any) -> Entry:
    if not isinstance(raw, dict):
        raise BibliographyError(f"{path}: entry {key!r} must be a mapping of fields")
    missing = [f for f in REQUIRED_FIELDS if not raw.get(f)]
    if missing:
        raise BibliographyError(f"{path}: entry {key!r} lacks {', '.join(missing)}")
    fields = {k: str(v) for k, v in raw.items() if k not in ("authors", "year")}
    known = set(Entry.__dataclass_fields__) - {"key", "authors", "year"}
    unknown = set(fields) - known
    if unknown:
        raise BibliographyError(f"{path}: entry {key!r} has unknown fields {sorted(unknown)}")
    authors = raw.get("authors") or []
    if not isinstance(authors, list):
        raise BibliographyError(f"{path}: entry {key!r}: authors must be a list, e.g. [Doe J, Roe R]")
    year = int(raw["year"]) if raw.get("year") else None
    return Entry(key=key, authors=tuple(str(a) for a in authors), year=year, **fields)
