"""Generated calculator reference pages: built from the declarations, so they cannot drift."""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import subprocess
import sys

import pytest
import yaml

import aihcalc
from aihcalc.spec import fmt_number
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
    # This tree's src/, not whichever aihcalc the interpreter has installed.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run(
        [sys.executable, "-m", "aihcalc", *args],
        capture_output=True, text=True, cwd=PROJECT_ROOT, check=True, env=env,
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


def _row(body: str, name: str) -> list[str]:
    line = next(line for line in body.splitlines() if line.startswith("| ") and f"| `{name}` |" in line)
    return [cell.strip() for cell in line.strip("|").split(" | ")]


@pytest.mark.parametrize("calc_id", IDS)
def test_default_column_says_what_an_omitted_input_becomes(calc_id: str) -> None:
    """The reference page agrees with the form: a default by its clinical label, else required/optional."""
    calc = aihcalc.get(calc_id)
    _, body = split(reference_pages.reference_markdown(calc, TODAY))
    for item in calc.inputs:
        default = _row(body, item.name)[-1]
        if item.optional:
            assert default == "optional"
        elif item.default is None:
            assert default == "required (no default)"
        elif item.kind == "choice":
            label = next(c.label for c in item.choices if c.value == item.default)
            assert default == reference_pages._md(label)
        elif item.kind == "boolean":
            assert default == ("yes" if item.default else "no")
        else:
            assert default.split()[0] == widgets.form_text(item.default)


def test_azathioprine_defaults_read_as_the_form_shows_them() -> None:
    calc = aihcalc.get("azathioprine-dose")
    _, body = split(reference_pages.reference_markdown(calc, TODAY))
    for name in ("tpmt", "nudt15"):
        item = calc.input(name)
        if item.default == "unknown":
            assert _row(body, name)[-1] == "Not known (not tested)"


@pytest.mark.parametrize("calc_id", IDS)
def test_dose_limits_section_lists_every_declared_limit(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    _, body = split(reference_pages.reference_markdown(calc, TODAY))
    if calc.dose_rules is None or not calc.dose_rules.limits:
        assert "## Dose limits" not in body
        return
    section = body.split("## Dose limits", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| Limit")]
    assert len(rows) == len(calc.dose_rules.limits)
    for row, limit in zip(rows, calc.dose_rules.limits):
        assert f"{fmt_number(limit.value)} {limit.basis}" in row
        assert f"| {limit.status} |" in row
        if limit.kind == "ceiling":
            assert row.startswith("| Ceiling |") and "never exceeded" in row
        if limit.kind == "studied-maximum":
            assert "warning" in row
        for key in calc.references:
            if f"[{key}]" in limit.source:
                assert f"[@{key}]" in row, "the source's key becomes a citation"


def test_conditions_are_listed_for_inputs_that_apply_only_sometimes() -> None:
    for calc in aihcalc.all_calculators():
        _, body = split(reference_pages.reference_markdown(calc, TODAY))
        for item in calc.inputs:
            if item.applies_when:
                assert f"(`{item.name}`) only when" in body
        if not any(i.applies_when for i in calc.inputs):
            assert "only when" not in body


@pytest.mark.parametrize("calc_id", IDS)
def test_example_command_names_only_inputs_that_were_used(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    _, body = split(reference_pages.reference_markdown(calc, TODAY))
    command = body.split("```sh\n", 1)[1].split("\n```", 1)[0]
    assert "=None" not in command
    parsed = calc.calculate(dict(calc.example)).inputs
    for arg in shlex.split(command)[4:-1]:
        name = arg.split("=", 1)[0]
        assert calc.input(name).applies(parsed), f"{name} does not apply to the example"
