"""Citations: finding them (not in code), numbering, rendering, and the bibliography's own checks."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from markupsafe import escape

from hooks import citations
from hooks.citations import Cite
from hooks.references import Bibliography

BIB = """\
a2020:
  authors: [Doe J]
  title: Alpha
  journal: J A
  year: 2020
  doi: 10.1000/a
  pmid: "111"
b2019:
  authors: [Roe R]
  title: Beta & <gamma>
  year: 2019
  url: https://example.org/beta
c2018:
  title: Gamma [draft]
  year: 2018
d2017:
  title: Delta
  year: 2017
"""


@pytest.fixture
def bib(tmp_path: Path) -> Bibliography:
    path = tmp_path / "bibliography.yaml"
    path.write_text(BIB, encoding="utf-8")
    return Bibliography.load(path)


def found(text: str) -> list[tuple[int, tuple[Cite, ...]]]:
    return [(c.line, c.items) for c in citations.scan(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x [@a2020].", [(1, (Cite("a2020"),))]),
        ("x [@a2020; @b2019]", [(1, (Cite("a2020"), Cite("b2019")))]),
        ("x [@a2020, Table 4]", [(1, (Cite("a2020", "Table 4"),))]),
        ("x [@a2020, pp. 3-5; @b2019, Fig. 2]", [(1, (Cite("a2020", "pp. 3-5"), Cite("b2019", "Fig. 2")))]),
        ("x [ @a2020 ]", [(1, (Cite("a2020"),))]),
        ("line 1\nx [@a2020;\n @b2019]", [(2, (Cite("a2020"), Cite("b2019")))]),
        ("keys [@mieli-vergani2018] [@optn-policy9] [@x:y.z]", [(1, (Cite("mieli-vergani2018"),)), (1, (Cite("optn-policy9"),)), (1, (Cite("x:y.z"),))]),
        ("a sentence ending with a key [@a2020].", [(1, (Cite("a2020"),))]),
        # not citations
        ("`[@a2020]`", []),
        ("``code with ` and [@a2020]``", []),
        ("```\n[@a2020]\n```", []),
        ("~~~~python\n[@a2020]\n~~~~", []),
        ("text\n\n    [@a2020] indented code", []),
        ("<!-- [@a2020] -->", []),
        ("<!--\n[@a2020]\n-->", []),
        ("\\[@a2020]", []),
        ("[@a2020](https://example.org)", []),
        ("![@a2020]", []),
        ("mail [user@example.org]", []),
        ("/// calculator | meld\n[@a2020]\n///", []),
        ("/// decision-table\nannotation: '[@a2020]'\n///", []),
        ("para one [@a\n\nb]", []),
        # indented text that is not code: list continuation, admonition body
        ("- item\n\n    more [@a2020]", [(3, (Cite("a2020"),))]),
        ('!!! note "Title"\n    body [@a2020]', [(2, (Cite("a2020"),))]),
        ("/// patient\nplain [@a2020]\n///", [(2, (Cite("a2020"),))]),
        # a code span never runs across a blank line
        ("a ` tick\n\n[@a2020] and `", [(3, (Cite("a2020"),))]),
    ],
)
def test_scan_finds_citations_outside_code(text: str, expected: list[tuple[int, tuple[Cite, ...]]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("text", ["[@a2020 @b2019]", "[@a2020; b2019]", "[@]", "[@a2020,]", "[@a2020;]", "[@-bad]"])
def test_malformed_brackets_are_reported(text: str) -> None:
    problems = citations.check(f"Intro.\n\nSee {text}.", {"a2020", "b2019"})
    assert [(p.line, p.level) for p in problems] == [(3, "error")]
    assert problems[0].message.startswith(f"malformed citation {text!r}: write [@key], [@a; @b] or [@key, Table 4]")


def test_unknown_keys_are_reported_once_per_bracket_with_a_suggestion() -> None:
    problems = citations.check("x [@a2021; @a2021]\ny [@zzz]", {"a2020", "b2019"})
    assert [(p.line, p.message) for p in problems] == [
        (1, "unknown citation key 'a2021' (did you mean 'a2020'?): add an entry 'a2021' to content/bibliography.yaml or fix the key"),
        (2, "unknown citation key 'zzz': add an entry 'zzz' to content/bibliography.yaml or fix the key"),
    ]


def test_keys_are_not_checked_when_the_bibliography_is_unreadable() -> None:
    assert citations.check("x [@zzz]", None) == []


def test_a_hand_written_references_heading_is_an_error() -> None:
    problems = citations.check("# T\n\ntext\n\n## References\n\n1. x\n\n```\n## References\n```", set())
    assert [(p.line, p.message) for p in problems] == [
        (5, "remove this 'References' heading and its list: the reference list is generated from the page's [@key] citations")
    ]


def test_numbering_is_by_first_citation() -> None:
    cites = citations.scan("[@c2018] then [@a2020; @c2018] and [@b2019]")
    assert citations.cited_keys(cites) == ["c2018", "a2020", "b2019"]


def test_render_numbers_links_and_appends_the_reference_list(bib: Bibliography) -> None:
    out = citations.render("First [@b2019].\n\nThen [@a2020, Table 4; @b2019].\n", bib)
    assert out.keys == ["b2019", "a2020"]
    body, refs = out.markdown.split("\n\n## References\n\n")
    beta = str(escape(bib.entries["b2019"].citation))  # "Roe R. Beta &amp; &lt;gamma&gt;. 2019 ..."
    alpha = str(escape(bib.entries["a2020"].citation))
    assert body == (
        f'First<sup class="citation"><a href="#ref-1" id="cite-1-1" title="{beta}">1</a></sup>.\n\n'
        f'Then<sup class="citation"><a href="#ref-1" id="cite-1-2" title="{beta}">1</a>,'
        f'<a href="#ref-2" id="cite-2-1" title="Table 4 — {alpha}">2</a>'
        '<span class="citation__locator"> (Table 4)</span></sup>.'
    )
    assert "&amp; &lt;gamma&gt;" in beta
    assert refs.startswith('<ol class="references">\n<li id="ref-1" class="references__item">')
    assert '<a class="references__link" href="https://example.org/beta">Link</a>' in refs
    assert '<a href="#cite-1-1" aria-label="Back to citation 1 of reference 1">a</a>' in refs
    assert '<a href="#cite-1-2" aria-label="Back to citation 2 of reference 1">b</a>' in refs
    assert '<a class="references__link references__link--doi" href="https://doi.org/10.1000/a">doi:10.1000/a</a>' in refs
    assert '<a class="references__link references__link--pubmed" href="https://pubmed.ncbi.nlm.nih.gov/111/">PubMed 111</a>' in refs
    assert '<a class="references__back" href="#cite-2-1" aria-label="Back to where reference 2 is cited">↩</a>' in refs
    assert refs.endswith("</ol>\n")


def test_runs_of_three_or_more_collapse_to_a_range_and_keep_every_anchor(bib: Bibliography) -> None:
    out = citations.render("[@a2020] [@b2019] [@c2018] [@d2017]\n\nAll [@d2017; @b2019; @a2020; @c2018].", bib).markdown
    group = out.split("All")[1].split("</sup>")[0]
    assert re.sub(r' title="[^"]*"', "", group) == (
        '<sup class="citation"><a href="#ref-1" id="cite-1-2">1</a>'
        '<span id="cite-2-2"></span><span id="cite-3-2"></span>–'
        '<a href="#ref-4" id="cite-4-2">4</a>'
    )


def test_a_locator_breaks_a_range(bib: Bibliography) -> None:
    out = citations.render("[@a2020; @b2019, p. 2; @c2018]", bib).markdown
    shown = re.sub(r"<[^>]+>", "", out.split("\n\n## References")[0])
    assert shown == "1,2 (p. 2),3"


def test_render_leaves_code_alone_and_marks_unknown_keys(bib: Bibliography) -> None:
    out = citations.render("`[@a2020]` and [@nope] and [@a2020 @b2019]", bib)
    assert out.markdown.startswith("`[@a2020]` and")
    assert '<span class="citation--missing" title="No entry in the bibliography">?nope</span>' in out.markdown
    assert "[@a2020 @b2019]" in out.markdown  # malformed: left as written (check reports it)
    assert out.keys == []
    assert "## References" not in out.markdown


def test_a_page_without_citations_is_unchanged(bib: Bibliography) -> None:
    text = "# T\n\nNo sources here.\n"
    assert citations.render(text, bib).markdown == text


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("word [@a2020].", "word<sup"),
        ("- [@a2020] first", "- <sup"),
        ("1. [@a2020] first", "1. <sup"),
        ("> [@a2020] quoted", "> <sup"),
        ("end of line\n[@a2020] next", "end of line<sup"),
        ("## Heading\n[@a2020]", "## Heading\n<sup"),
        ("hard break  \n[@a2020]", "hard break  \n<sup"),
        ("| a |\n[@a2020]", "| a |\n<sup"),
    ],
)
def test_the_space_before_a_citation_is_dropped_unless_it_carries_structure(bib: Bibliography, text: str, start: str) -> None:
    assert citations.render(text, bib).markdown.startswith(start)


def test_rendered_markdown_survives_python_markdown(bib: Bibliography) -> None:
    """The inserted HTML goes through Markdown's inline patterns: links, emphasis, escapes."""
    text = "A *claim* [@c2018; @b2019] in a list:\n\n- item [@a2020, Table_1 *x*]\n\n| A | B |\n|---|---|\n| x [@a2020] | y |\n"
    html = markdown.markdown(citations.render(text, bib).markdown, extensions=["tables", "toc"])
    assert html.count('<sup class="citation">') == 3
    assert 'title="Gamma &#91;draft&#93;. 2018."' in html or 'title="Gamma [draft]. 2018."' in html
    assert "<em>x</em>" not in html.split("<h2")[0].split("item")[1]  # locator text is not re-parsed
    assert '<h2 id="references">References</h2>' in html
    assert html.count("<li id=\"ref-") == 3


def write_bib(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bibliography.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BIB, []),
        (BIB + "a2020:\n  title: Again\n  year: 2021\n", [(19, "citation key 'a2020' is defined twice (first on line 1); YAML keeps only the last: merge the two or rename one")]),
        (BIB.replace("  journal: J A\n", "  journal: J A\n  journal: J B\n"), [(5, "field 'journal' is defined twice (first on line 4); YAML keeps only the last: merge the two or rename one")]),
        (BIB.replace("doi: 10.1000/a", "doi: doi:10.1000/a"), [(6, "entry 'a2020': malformed DOI 'doi:10.1000/a': write the bare DOI, e.g. 10.1016/j.jhep.2015.06.030 (no https://doi.org/, no spaces)")]),
        (BIB.replace("doi: 10.1000/a", "doi: 10.10/a"), [(6, "entry 'a2020': malformed DOI '10.10/a': write the bare DOI, e.g. 10.1016/j.jhep.2015.06.030 (no https://doi.org/, no spaces)")]),
        (BIB.replace('pmid: "111"', "pmid: 11 1"), [(7, "entry 'a2020': malformed PMID '11 1': a PubMed id is digits only, e.g. \"26341719\"")]),
        (BIB.replace('pmid: "111"', "pmid: 111"), []),  # a YAML number is digits too
        (BIB.replace("  year: 2017\n", "  year: 2017\n  publisher: X\n"), [(16, "entry 'd2017' has unknown fields ['publisher']: fix the entry (its fields: authors, title, year, journal, volume, issue, pages, doi, pmid, url, note; title required)")]),
        (BIB.replace("  year: 2017\n", "  year: around 2017\n"), [(18, "entry 'd2017': year must be a number, e.g. 2015")]),
        ("- a\n- b\n", [(1, "the bibliography must map each citation key to its entry (key: {title: ..., year: ...})")]),
    ],
)
def test_bibliography_checks_name_the_line(tmp_path: Path, text: str, expected: list[tuple[int, str]]) -> None:
    result = citations.check_bibliography(write_bib(tmp_path, text))
    assert [(p.line, p.message) for p in result.problems] == expected


def test_a_bibliography_that_is_not_yaml_gives_the_line_and_no_keys(tmp_path: Path) -> None:
    result = citations.check_bibliography(write_bib(tmp_path, "a:\n  title: x\nb: [\n"))
    assert [p.line for p in result.problems] == [4]  # libyaml and PyYAML word the problem differently
    assert result.problems[0].message.startswith("the bibliography is not valid YAML (")
    assert result.keys is None


def test_bibliography_key_lines_and_unused_entries(tmp_path: Path) -> None:
    result = citations.check_bibliography(write_bib(tmp_path, BIB))
    assert result.key_lines == {"a2020": 1, "b2019": 8, "c2018": 13, "d2017": 16}
    unused = citations.unused_entries(result.key_lines, {"a2020", "c2018"})
    assert [(p.line, p.level, p.message) for p in unused] == [
        (8, "warning", "bibliography entry 'b2019' is cited by no page and no calculator: cite it where it supports the text, or remove it"),
        (16, "warning", "bibliography entry 'd2017' is cited by no page and no calculator: cite it where it supports the text, or remove it"),
    ]


def test_a_missing_bibliography_is_one_problem(tmp_path: Path) -> None:
    result = citations.check_bibliography(tmp_path / "nope.yaml")
    assert result.keys is None
    assert [p.line for p in result.problems] == [1]
    assert result.problems[0].message.startswith("cannot read the bibliography")


def test_the_project_bibliography_passes_its_checks(project_root: Path) -> None:
    result = citations.check_bibliography(project_root / "content" / "bibliography.yaml")
    assert [str(p) for p in result.problems] == []
