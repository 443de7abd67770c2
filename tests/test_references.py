"""The bibliography loader: entries, formatting, and errors that say what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

import aihcalc
from hooks.references import Bibliography, BibliographyError

CONTENT = Path(__file__).resolve().parent.parent / "content"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bibliography.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_project_bibliography_loads_and_covers_every_calculator() -> None:
    bib = Bibliography.load(CONTENT / "bibliography.yaml")
    for calc in aihcalc.all_calculators():
        assert bib.missing(set(calc.references)) == [], calc.id


def test_entry_formats_vancouver_style_with_links(tmp_path: Path) -> None:
    bib = Bibliography.load(
        write(
            tmp_path,
            "k:\n  authors: [Doe J, Roe R]\n  title: A title.\n  journal: J Test\n  year: 2020\n"
            "  volume: '5'\n  issue: '2'\n  pages: 1-9\n  doi: 10.1000/x\n  pmid: '123'\n",
        )
    )
    entry = bib.entry("k")
    assert entry.citation == "Doe J, Roe R. A title. J Test. 2020;5(2):1-9."
    assert entry.doi_url == "https://doi.org/10.1000/x"
    assert entry.pubmed_url == "https://pubmed.ncbi.nlm.nih.gov/123/"


def test_entry_without_identifiers_has_no_links(tmp_path: Path) -> None:
    entry = Bibliography.load(write(tmp_path, "k:\n  authors: [A]\n  title: T\n  year: 2001\n")).entry("k")
    assert entry.doi_url == "" and entry.pubmed_url == ""
    assert entry.citation == "A. T. 2001."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("k:\n  authors: [A]\n  year: 2001\n", "entry 'k' lacks title"),
        ("k:\n  authors: A\n  title: T\n  year: 2001\n", "authors must be a list"),
        ("k:\n  authors: [A]\n  title: T\n  year: 2001\n  jornal: X\n", "unknown fields ['jornal']"),
        ("k: [1, 2]\n", "entry 'k' must be a mapping"),
        ("- a\n- b\n", "expected a mapping of citation keys"),
        ("k:\n  title: [unclosed\n", "bibliography.yaml:3: not valid YAML"),
    ],
)
def test_broken_bibliography_names_file_and_problem(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(BibliographyError) as info:
        Bibliography.load(write(tmp_path, text))
    assert message in str(info.value)
    assert "bibliography.yaml" in str(info.value)


def test_unknown_key_says_what_to_do(tmp_path: Path) -> None:
    bib = Bibliography.load(write(tmp_path, "k:\n  authors: [A]\n  title: T\n  year: 2001\n"))
    with pytest.raises(BibliographyError, match="no entry 'nope'; add it"):
        bib.entry("nope")
    assert bib.missing({"k", "nope"}) == ["nope"]


def test_entry_without_authors_starts_with_its_title(tmp_path: Path) -> None:
    entry = Bibliography.load(write(tmp_path, "k:\n  title: T\n  journal: J\n  year: 2019\n")).entry("k")
    assert entry.citation == "T. J. 2019."


def test_entry_without_year_or_identifiers_shows_its_address(tmp_path: Path) -> None:
    entry = Bibliography.load(write(tmp_path, "k:\n  title: T\n  url: https://example.org/a\n")).entry("k")
    assert entry.year is None
    assert entry.citation == "T. n.d. https://example.org/a."


def test_a_source_without_a_year_ends_in_one_full_stop() -> None:
    from hooks.references import Entry

    assert Entry("k", ("Agency",), "A notice").citation == "Agency. A notice. n.d."
    assert Entry("k", (), "A notice", journal="J Test").citation == "A notice. J Test. n.d."
