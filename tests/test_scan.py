"""hooks/scan.py: one reading of a page for every check and renderer."""

from __future__ import annotations

from hooks import scan

PAGE = """# Title

/// patient
Plain words [@a2020].

/// clinician
Nested, on purpose.
///
///

```markdown
/// calculator | inside-a-fence
///
```

<!--
/// calculator | inside-a-comment
///
-->

    /// calculator | indented-code

/// decision-table | child-pugh-class
    try: false
///

/// calculator | meld
///

/// decision-table
id = "x"
"""


def test_blocks_outside_code_with_their_nesting_options_and_bodies() -> None:
    found = [(b.name, b.argument, b.line, b.within, b.closed) for b in scan.blocks(PAGE)]
    assert found == [
        ("patient", None, 3, (), True),
        ("clinician", None, 6, ("patient",), True),
        ("decision-table", "child-pugh-class", 23, (), True),
        ("calculator", "meld", 27, (), True),
        ("decision-table", None, 30, (), False),
    ]
    table = scan.blocks(PAGE)[2]
    assert table.options == {"try": "false"} and table.body == "" and table.body_line == 25
    inline = scan.blocks(PAGE)[-1]
    assert inline.body.startswith('id = "x"') and inline.body_line == 31


def test_a_block_title_is_its_argument() -> None:
    (block,) = scan.blocks("/// patient | Summary\ntext\n///\n")
    assert block.argument == "Summary" and block.body == "text"


def test_raw_block_bodies_code_and_comments_are_masked_line_for_line() -> None:
    masked = scan.mask(PAGE)
    assert len(masked) == len(PAGE) and masked.count("\n") == PAGE.count("\n")
    assert "inside-a-fence" not in masked and "inside-a-comment" not in masked
    assert "indented-code" not in masked and 'id = "x"' not in masked
    assert "Plain words [@a2020]." in masked


def test_a_backtick_fence_whose_info_holds_a_backtick_is_not_a_fence() -> None:
    kinds = [ln.kind for ln in scan.lines("```a`b```\n/// patient\n///\n")]
    assert kinds == [scan.TEXT, scan.TEXT, scan.TEXT, scan.BLANK]


def test_citations_keys_and_code_spans() -> None:
    text = "See [@a2020; @b2019, Table 4] and `[@code]`.\n\n[@bad key] [link](x) [@c.]"
    found = scan.citations(text)
    assert [c.keys for c in found] == [["a2020", "b2019"], [], []]
    assert found[0].items[1].locator == "Table 4"
    assert [(s.line, text[s.start:s.end]) for s in scan.code_spans(text)] == [(1, "`[@code]`")]
    assert scan.cited_keys(found) == ["a2020", "b2019"]
