"""The decision-table block: accessible HTML, the "try it" form, and the build-time page check."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from aihcalc import decisions
from aihcalc.tables import load_table, table_ids
from hooks import tables, widgets
from hooks.references import Bibliography

ROOT = Path(__file__).resolve().parent.parent
BIB = Bibliography.load(ROOT / "content" / "bibliography.yaml")

INLINE = """\
id = "steroid-band"
title = "Steroid dose band"
hit_policy = "FIRST"

[[input]]
name = "dose_mg"
label = "Prednisolone"
type = "number"
unit = "mg/day"
domain = [0, 100]

[[output]]
name = "band"
label = "Band"

[[rule]]
dose_mg = "<= 10"
band = "low"
annotation = "Maintenance range [@easl2015]."

[[rule]]
dose_mg = "-"
band = "high"
annotation = "Anything above [@easl2015; @mack2020, Table 4]."
"""


class Page(HTMLParser):
    """Start tags with attributes, and the text of every cell, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.rows: list[list[str]] = []
        self.caption = ""
        self._cell: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "caption":
            self._in_caption = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._in_caption:
            self.caption += data

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def convert(text: str) -> str:
    md = markdown.Markdown(
        extensions=[
            widgets.CalculatorExtension(bibliography=BIB),
            tables.DecisionTableExtension(bibliography=BIB),
        ]
    )
    return md.convert(text)


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("table_id", table_ids())
def test_every_shipped_table_renders_accessibly(table_id: str) -> None:
    table = load_table(table_id)
    html = tables.render_table(table, BIB, try_it=False)
    page = parse(html)
    assert table.title in page.caption and tables.POLICY_WORDS[table.hit_policy] in page.caption
    assert "Hit policy" not in page.caption and table.hit_policy not in page.caption
    assert page.find("th", scope="colgroup")  # "When" and "Then" groups
    heads = page.rows[1]
    assert heads[: len(table.inputs)] == [
        " ".join(t.split()) for t in (_head(c) for c in table.inputs)
    ]
    body = page.rows[2:]
    assert [row[0] for row in body] == [str(r.number) for r in table.rules]
    assert all(len(row) == 2 + len(table.inputs) + len(table.outputs) for row in body)
    keys = list(dict.fromkeys(k for r in table.rules for k in r.citations()))
    for row, rule in zip(body, table.rules):
        assert "@" not in row[-1] and "[" not in row[-1]  # no citation key on the page
        row_html = re.search(rf'<tr id="dt-{table_id}-rule-{rule.number}">.*?</tr>', html, re.DOTALL)
        assert row_html is not None
        linked = re.findall(r'<a href="#dt-[\w-]+-src-([^"]+)" title="[^"]*">(\d+)</a>', row_html.group())
        assert sorted(set(linked)) == sorted((k, str(keys.index(k) + 1)) for k in rule.citations())
        assert page.find("tr", id=f"dt-{table_id}-rule-{rule.number}")
    for key in keys:
        (item,) = page.find("li", id=f"dt-{table_id}-src-{key}")
        assert item["data-key"] == key
        assert page.find("a", href=f"#dt-{table_id}-src-{key}")  # without a page: the table's own list
    assert "Checked when this page was built" in tables.render_table(table, BIB)


def _head(column: decisions.Column) -> str:
    """A header as a reader hears it: label, unit in brackets, then the domain."""
    domain = tables._header(column)["domain"]
    return column.label + (f" ({column.unit})" if column.unit else "") + (f" {domain}" if domain else "")


def test_conditions_are_shown_in_words_with_the_written_form_kept() -> None:
    page = parse(tables.render_table(load_table("treatment-response"), BIB, try_it=False))
    assert page.rows[2][1:4] == ["< 50", "any", "any"]
    assert page.rows[3][1:4] == ["≥ 50", "≤ 1", "≤ 1"]
    assert [a["data-condition"] for a in page.find("td") if "data-condition" in a][:4] == ["< 50", "-", "-", ">= 50"]
    assert page.find("td", **{"class": "aihdt__any"})


@pytest.mark.parametrize(
    "cell,words",
    [("< 2", "< 2"), ("<= 2", "≤ 2"), ("> 2", "> 2"), (">= 2", "≥ 2"), ("= 2", "2"),
     ("[2..3]", "2 to 3"), ("(2..3]", "> 2 and ≤ 3"), ("[2..3)", "≥ 2 and < 3"), ("(2..3)", "> 2 and < 3")],
)
def test_number_condition_words(cell: str, words: str) -> None:
    column = decisions.Column("x", "x", "number", domain=(0.0, 10.0))
    interval = decisions.parse_condition(column, cell).interval
    assert interval is not None and tables.number_condition_words(interval) == words


def test_choice_labels_and_booleans_are_shown_as_readers_say_them() -> None:
    page = parse(tables.render_table(load_table("thiopurine-phenotype"), BIB, try_it=False))
    assert page.rows[-1][1:3] == ["normal, not tested", "normal, not tested"]
    page = parse(tables.render_table(load_table("budesonide-eligibility"), BIB, try_it=False))
    assert page.rows[2][1:3] == ["yes", "any"]
    assert page.rows[1][:2] == ["Cirrhosis yes or no", "Acute severe autoimmune hepatitis yes or no"]


def test_headers_carry_units_and_domains() -> None:
    page = parse(tables.render_table(load_table("child-pugh-class"), BIB, try_it=False))
    assert page.rows[1][0] == "Child-Pugh score (points) whole numbers 5 to 15"
    assert page.rows[0] == ["Rule", "When", "Then", "Notes and sources"]


def test_a_bound_table_shows_the_calculator_form() -> None:
    page = parse(tables.render_table(load_table("treatment-response"), BIB))
    (form,) = page.find("form")
    assert form["data-calculator"] == "treatment-response" and form["data-state"] == "loading"
    names = {a["name"] for t, a in page.tags if t in ("input", "select") and "name" in a}
    assert names == {"alt_baseline", "alt_week4", "alt_month6", "alt_uln", "igg_month6", "igg_uln"}
    assert not parse(tables.render_table(load_table("treatment-response"), BIB, try_it=False)).find("form")
    assert not parse(tables.render_table(load_table("sard-ild-first-line"), BIB)).find("form")


def test_text_is_escaped() -> None:
    html = tables.render_block("", INLINE.replace("Steroid dose band", "Dose <b> & band"), BIB)
    assert "Dose &lt;b&gt; &amp; band" in html and "<b>" not in html


def test_a_table_with_problems_shows_them() -> None:
    broken = INLINE.replace('dose_mg = "-"', 'dose_mg = "> 10.5"')
    page = parse(tables.render_block("", broken, BIB))
    (alert,) = page.find("div", role="alert")
    assert alert["class"] == "aihdt__problems"
    assert "no rule matches dose_mg in (10..10.5]" in tables.render_block("", broken, BIB)


def test_an_unreadable_table_shows_an_error_not_a_crash() -> None:
    html = tables.render_block("", "id = 'x'\n[[rule]\n", BIB)
    assert 'class="aihdt aihdt--error"' in html and "not valid TOML" in html
    assert "Unknown decision table &#39;nope&#39;." in tables.render_block("nope", "", BIB)


# ---------------------------------------------------------------------------------------------
# The Markdown block
# ---------------------------------------------------------------------------------------------


def test_block_by_id_and_inline_render_through_markdown() -> None:
    html = convert(
        "# Page\n\n/// decision-table | child-pugh-class\n    try: false\n///\n\n"
        f"/// decision-table\n{INLINE}///\n\nAfter.\n"
    )
    page = parse(html)
    assert [a["data-decision-table"] for a in page.find("div") if "data-decision-table" in a] == [
        "child-pugh-class",
        "steroid-band",
    ]
    assert not page.find("form")
    assert "<p>After.</p>" in html
    assert 'Anything above<sup class="citation"><a href="#dt-steroid-band-src-easl2015"' in html
    assert '<span class="citation__locator"> (Table 4)</span></sup>.' in html
    assert "@easl2015" not in html and "[@" not in html


def test_the_same_table_twice_gets_distinct_ids() -> None:
    html = convert("/// decision-table | child-pugh-class\n///\n\n/// decision-table | child-pugh-class\n///\n")
    page = parse(html)
    ids = [a["id"] for a in page.find("div") if a.get("class") == "aihdt"]
    assert ids == ["dt-child-pugh-class", "dt-child-pugh-class-2"]


def test_no_second_form_when_the_calculator_is_already_on_the_page() -> None:
    html = convert("/// calculator | child-pugh\n///\n\n/// decision-table | child-pugh-class\n///\n")
    assert len(parse(html).find("form")) == 1


def test_try_it_by_default_for_a_bound_table() -> None:
    html = convert("/// decision-table | child-pugh-class\n///\n")
    assert [f["data-calculator"] for f in parse(html).find("form")] == ["child-pugh"]


# ---------------------------------------------------------------------------------------------
# Finding blocks and their problems, with page lines
# ---------------------------------------------------------------------------------------------


def test_find_blocks_reads_options_bodies_and_skips_code() -> None:
    text = (
        "Intro\n"  # 1
        "```toml\n"  # 2
        "/// decision-table | in-code\n"  # 3
        "```\n"  # 4
        "/// decision-table | child-pugh-class\n"  # 5
        "    try: false\n"  # 6
        "///\n"  # 7
        "//// admonition\n"  # 8
        "/// decision-table\n"  # 9
        'id = "x"\n'  # 10
        "///\n"  # 11
        "////\n"  # 12
    )
    blocks = tables.find_blocks(text)
    assert [(b.line, b.argument, b.body, b.body_line, dict(b.options)) for b in blocks] == [
        (5, "child-pugh-class", "", 7, {"try": "false"}),
        (9, "", 'id = "x"', 10, {}),
    ]


def test_inline_problems_carry_the_page_line_of_the_rule() -> None:
    broken = INLINE.replace('dose_mg = "<= 10"', 'dose_mg = "=< 10"')
    text = "---\n\nSome text.\n\n/// decision-table\n" + broken + "///\n"
    (problem,) = tables.find_table_problems(text, "content/x.md", BIB)
    body_start = 6  # the line after "/// decision-table"
    rule_line = body_start + broken.splitlines().index("[[rule]]")
    assert text.splitlines()[problem.line - 1] == "[[rule]]" and problem.line == rule_line
    assert problem.located == (
        f"content/x.md:{rule_line}: table 'steroid-band': rule 1 (line {rule_line}), dose_mg: '=< 10' "
        "is not a condition: write < 50, <= 50, > 50, >= 50, = 50, [a..b], (a..b], [a..b), (a..b), "
        "or - for any"
    )


def test_inline_gap_has_an_example_and_the_block_line() -> None:
    broken = INLINE.replace('dose_mg = "-"', 'dose_mg = "> 10.5"')
    text = "# T\n\n/// decision-table\n" + broken + "///\n"
    (problem,) = tables.find_table_problems(text, "p.md")
    assert problem.line == 3 and problem.kind == "gap"
    assert problem.example == {"dose_mg": 10.2}
    assert problem.located == (
        "p.md:3: table 'steroid-band': no rule matches dose_mg in (10..10.5], whatever the other "
        "inputs: add a rule or widen a condition; for example dose_mg = 10.2"
    )


def test_toml_syntax_error_line_is_a_page_line() -> None:
    text = "# T\n\n/// decision-table\nid = \"x\"\ntitle = \"x\n///\n"
    (problem,) = tables.find_table_problems(text, "p.md")
    assert problem.line == 5
    assert problem.message == (
        "table 'x': line 5: not valid TOML (Unterminated string at the end): check the quotes, "
        "brackets and = signs"
    )


@pytest.mark.parametrize(
    "text,message",
    [
        ("/// decision-table | nope\n///\n", "p.md:1: unknown decision table 'nope'; use one of "
         + ", ".join(table_ids()) + " (src/aihcalc/tables/)"),
        ("/// decision-table | child-pugh-class\nid = 'x'\n///\n", "p.md:1: a decision-table block takes "
         "a table id or a TOML body, not both: remove the body or the '| child-pugh-class'"),
        ("/// decision-table | child-pugh-class\n", "p.md:1: this decision-table block is never closed: "
         "end it with a line of ///"),
        ("/// decision-table | child-pugh-class\n    open: true\n///\n", "p.md:1: unknown option 'open' "
         "of a decision-table block: the only option is try: false"),
        ("/// decision-table | child-pugh-class\n    try: maybe\n///\n", "p.md:1: option try: write true "
         "or false (got 'maybe')"),
        ("/// decision-table | child-pugh-class\n///\n\n/// calculator | child-pugh\n///\n", "p.md:1: the "
         "child-pugh calculator is also shown further down this page (line 4), and the table would add a "
         "second form with the same ids: write '    try: false' on the line after the decision-table line"),
    ],
)
def test_block_problems(text: str, message: str) -> None:
    assert [p.located for p in tables.find_table_problems(text, "p.md", BIB)] == [message]


@pytest.mark.parametrize(
    "text",
    [
        "/// calculator | child-pugh\n///\n\n/// decision-table | child-pugh-class\n///\n",
        "/// decision-table | child-pugh-class\n    try: false\n///\n\n/// calculator | child-pugh\n///\n",
        "/// decision-table | child-pugh-class\n///\n\n```\n/// calculator | child-pugh\n```\n",
    ],
)
def test_one_form_per_calculator_needs_no_option_when_the_calculator_comes_first(text: str) -> None:
    assert tables.find_table_problems(text, "p.md", BIB) == []
    assert len(parse(convert(text)).find("form")) <= 1


def test_shipped_tables_and_clean_pages_have_no_problems() -> None:
    text = "\n\n".join(f"/// decision-table | {t}\n    try: false\n///" for t in table_ids())
    assert tables.find_table_problems(text, "p.md", BIB) == []
    assert tables.find_table_problems(f"/// decision-table\n{INLINE}///\n", "p.md", BIB) == []


def test_unknown_citation_keys_are_reported_at_the_rule() -> None:
    text = "/// decision-table\n" + INLINE.replace("[@easl2015]", "[@nobody2030]") + "///\n"
    (problem,) = tables.find_table_problems(text, "p.md", BIB)
    assert problem.line == 1 + INLINE.splitlines().index("[[rule]]") + 1
    assert problem.message == (
        "table 'steroid-band': rule 1 (line 17) cites nobody2030, which the bibliography does not "
        "hold: add the entry or fix the key"
    )


def test_a_broken_shipped_table_is_reported_with_its_file_and_line(monkeypatch: pytest.MonkeyPatch) -> None:
    source = (ROOT / "tests" / "fixtures" / "tables" / "gap-at-boundary.toml").read_text(encoding="utf-8")
    monkeypatch.setattr(tables, "table_ids", lambda: ["gap-at-boundary"])
    monkeypatch.setattr(tables, "table_source", lambda table_id: source)
    monkeypatch.setattr(tables, "load_table", lambda table_id: decisions.parse_table(source))
    (problem,) = tables.find_table_problems("x\n/// decision-table | gap-at-boundary\n///\n", "p.md")
    assert problem.located == (
        "p.md:2: src/aihcalc/tables/gap-at-boundary.toml: table 'gap-at-boundary': no rule matches "
        "bilirubin = 2, whatever the other inputs: add a rule or widen a condition; for example bilirubin = 2"
    )


def test_table_citations() -> None:
    text = f"/// decision-table\n{INLINE}///\n\n/// decision-table | child-pugh-class\n///\n"
    assert tables.table_citations(text) == ["easl2015", "mack2020", "pugh1973", "gleeson2025"]


# ---------------------------------------------------------------------------------------------
# Citations: numbered into the page's reference list
# ---------------------------------------------------------------------------------------------


def test_with_the_pages_numbers_a_citation_links_to_the_pages_reference_list() -> None:
    html = tables.render_block("", INLINE, BIB, numbers={"mack2020": 1, "easl2015": 4})
    page = parse(html)
    assert page.rows[-1][-1] == "Anything above1 (Table 4),4."  # in the page's order, as the page shows them
    (first,) = [a for a in page.find("a", href="#ref-4") if a.get("title")][:1]
    assert first["title"] == BIB.entries["easl2015"].citation
    assert page.find("a", href="#ref-1")
    assert not page.find("a", href="#dt-steroid-band-src-easl2015")


def test_a_key_the_page_did_not_number_falls_back_to_the_tables_own_list() -> None:
    html = tables.render_block("", INLINE, BIB, numbers={"easl2015": 2})  # mack2020 missing
    page = parse(html)
    assert page.find("a", href="#dt-steroid-band-src-mack2020") and not page.find("a", href="#ref-2")


def test_page_citations_number_the_tables_sources_into_the_page_in_order() -> None:
    from hooks import citations

    text = (
        "Intro [@pugh1973].\n\n"
        f"/// decision-table\n{INLINE}///\n\n"
        "After [@gleeson2025; @easl2015].\n"
    )
    blocks = tables.page_citations(text)
    assert [b.cites for b in blocks] == [
        (("easl2015", "dt-steroid-band-rule-1"), ("mack2020", "dt-steroid-band-rule-2"))
    ]
    assert text[blocks[0].offset:].startswith("/// decision-table")
    rendered = citations.render(text, BIB, blocks=blocks)
    assert rendered.keys == ["pugh1973", "easl2015", "mack2020", "gleeson2025"]
    assert 'href="#dt-steroid-band-rule-2"' in rendered.markdown  # mack2020's back-link: the row
    assert '<a href="#ref-2" id="cite-2-2"' in rendered.markdown  # easl2015 cited again in the text


def test_a_table_shown_twice_links_back_to_each_row_ids_it_renders() -> None:
    text = "/// decision-table | child-pugh-class\n///\n\n/// decision-table | child-pugh-class\n///\n"
    anchors = [cites[0][1] for cites in (b.cites for b in tables.page_citations(text))]
    assert anchors == ["dt-child-pugh-class-rule-1", "dt-child-pugh-class-2-rule-1"]
    ids = {a["id"] for a in parse(convert(text)).find("tr") if a.get("id")}
    assert set(anchors) <= ids


def test_every_policy_the_engine_supports_is_said_in_words() -> None:
    assert set(tables.POLICY_WORDS) == set(decisions.HIT_POLICIES) == set(tables.COVERAGE)
    assert not any(name in text for name in decisions.HIT_POLICIES for text in tables.POLICY_WORDS.values())
