"""Keys in a calculator's texts read as numbered links to its Sources, never as raw keys."""

from __future__ import annotations

import re

import aihcalc
from hooks import widgets
from hooks.references import Bibliography
from hooks.result_citations import BRACKET, cite
from tests.test_widgets import BIB


def test_one_key_becomes_a_numbered_link_with_its_locator() -> None:
    html = cite("Ratio 5:4 [b, Table 1].", "x", ("a", "b"))
    assert html == 'Ratio 5:4 <span class="aihcalc__cite">(source <a href="#calc-x-source-2">2</a>, Table 1)</span>.'


def test_several_keys_are_listed_in_one_bracket() -> None:
    assert cite("[a; b]", "x", ("a", "b")).striptags() == "(sources 1, 2)"
    assert cite("[a, p. 3; b]", "x", ("a", "b")).striptags() == "(sources 1, p. 3; 2)"


def test_unknown_keys_and_ordinary_brackets_stay_as_written_and_text_is_escaped() -> None:
    assert cite("[a; nobody2020]", "x", ("a",)) == "[a; nobody2020]"
    assert cite("range [1–2] <b>", "x", ("a",)) == "range [1–2] &lt;b&gt;"
    assert cite(None, "x", ("a",)) == ""


def test_no_calculator_shows_a_raw_key_in_its_answers() -> None:
    """Every bracket of keys in every example's texts names the calculator's own sources."""
    for calc in aihcalc.all_calculators():
        result = calc.calculate(dict(calc.example))
        texts = [*result.warnings, *result.working, *(v for v in result.display.values() if isinstance(v, str)), *calc.notes]
        for text in texts:
            shown = cite(text, calc.id, calc.references).striptags()
            left = [m.group(0) for m in BRACKET.finditer(shown) if re.fullmatch(r"\[[a-z][\w.-]*\d{4}[\w.-]*.*\]", m.group(0))]
            assert not left, f"{calc.id}: {left} in {text!r}"


def test_the_widget_numbers_its_sources_and_links_them() -> None:
    bib: Bibliography = BIB
    html = widgets.render_calculator("prednisolone-taper", bib)
    calc = aihcalc.get("prednisolone-taper")
    for n, key in enumerate(calc.references, start=1):
        assert f'<li id="calc-prednisolone-taper-source-{n}" data-key="{key}">' in html
    assert "[easl2015" not in html.split('class="aihcalc__fallback"', 1)[1].split('class="aihcalc__sources"', 1)[0]
