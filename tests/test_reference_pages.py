"""Generated calculator reference pages: built from the declarations, so they cannot drift."""

from __future__ import annotations

import datetime as dt
import json
import shlex
import subprocess
import sys

import pytest
import yaml

import aihcalc
from hooks import reference_pages, widgets
from tests.conftest import PROJECT_ROOT

TODAY = dt.date(2026, 11, 22)
IDS = [c.id for c in aihcalc.all_calculators()]


def split(markdown: str) -> tuple[dict, str]:
    _, front, body = markdown.split("---\n", 2)
    return yaml.safe_load(front), body


@pytest.mark.parametrize("calc_id", IDS)
def test_reference_page_documents_the_declaration(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    meta, body = split(reference_pages.reference_markdown(calc, TODAY))
    assert meta["title"] == calc.title and meta["summary"] == calc.summary
    assert meta["review"]["status"] == "draft"
    assert meta["last_updated"] == TODAY
    assert widgets.find_problems(body) == []
    assert f"/// calculator | {calc_id}" in body
    for item in calc.inputs:
        assert f"| `{item.name}` |" in body
    for out in (calc.value, *calc.outputs):
        assert f"| `{out.name}` |" in body
    for key in calc.references:
        assert f"[@{key}]" in body
    assert f"Calculator id `{calc_id}` (stable), aihcalc {aihcalc.__version__}." in body


@pytest.mark.parametrize("calc_id", IDS)
def test_the_documented_example_command_gives_the_documented_answer(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    _, body = split(reference_pages.reference_markdown(calc, TODAY))
    command = body.split("```sh\n", 1)[1].split("\n```", 1)[0]
    args = shlex.split(command)[3:]  # after "python -m aihcalc"
    proc = subprocess.run(
        [sys.executable, "-m", "aihcalc", *args],
        capture_output=True, text=True, cwd=PROJECT_ROOT, check=True,
    )
    shown = json.loads(proc.stdout)["display"]["value"]
    assert f"the answer is **{reference_pages._md(shown)}**" in body


def test_index_lists_every_calculator_once() -> None:
    meta, body = split(reference_pages.index_markdown(aihcalc.all_calculators(), TODAY))
    assert meta["title"] == "Calculators"
    for calc_id in IDS:
        assert body.count(f"]({calc_id}.md)") == 1


def test_markdown_escaping_keeps_table_cells_intact() -> None:
    assert reference_pages._md("a | b *c* <d> e_f") == "a \\| b \\*c\\* &lt;d> e\\_f"
