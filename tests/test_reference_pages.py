"""Generated calculator reference pages: built from the declarations, so they cannot drift."""

from __future__ import annotations

import re

import dataclasses
import datetime as dt
import json
import os
import shlex
import subprocess
import sys
from types import SimpleNamespace

import pytest
import yaml

import aihcalc
from aihcalc import evidence
from aihcalc.dates import day_month_year
from aihcalc.spec import fmt_number
from hooks import reference_pages, widgets
from tests.conftest import PROJECT_ROOT

TODAY = dt.date(2026, 11, 22)
IDS = [c.id for c in aihcalc.all_calculators()]


def split(markdown: str) -> tuple[dict, str]:
    _, front, body = markdown.split("---\n", 2)
    return yaml.safe_load(front), body


CONTENT = PROJECT_ROOT / "content"
USES = reference_pages.calculator_uses(CONTENT)


@pytest.mark.parametrize("calc_id", IDS)
def test_reference_page_documents_the_declaration_in_clinical_words(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    meta, body = split(reference_pages.reference_markdown(calc, TODAY, USES.get(calc_id, [])))
    assert meta["title"] == calc.title and meta["summary"] == calc.summary
    assert meta["review"]["status"] == "draft" and meta["tags"] == ["calculator"]
    assert meta["last_updated"] == TODAY
    assert widgets.find_problems(body) == []
    assert f"/// calculator | {calc_id}" in body
    for item in calc.inputs:
        assert f"| {reference_pages._md(item.label)} |" in body
        assert f"`{item.name}`" not in body
    for out in (calc.value, *calc.outputs):
        assert f"| {reference_pages._md(out.label)}" in body
    # No developer's words: the id only in the block that places the form, no command line.
    shown = re.sub(r"\]\(\.\./evidence\.md#[\w-]+\)", "]", body)  # a link target is not read
    assert shown.count(calc_id) == 1
    assert "python -m" not in body and "aihcalc" not in body and "`" not in body
    assert body.count(calc.summary) == 0  # the calculator block shows it; the page does not repeat it
    assert "## Notes" not in body and "## Sources" not in body  # the block shows both


@pytest.mark.parametrize("calc_id", IDS)
def test_the_worked_example_is_shown_once(calc_id: str) -> None:
    """The block shows the example when the calculator has no table of answers; the page otherwise."""
    calc = aihcalc.get(calc_id)
    _, body = split(reference_pages.reference_markdown(calc, TODAY))
    assert ("## Worked example" in body) == (calc.fallback is not None)
    assert ("## Worked example" in body) == (widgets.fallback(calc).kind == "grid")


def test_reference_pages_say_where_the_guideline_uses_them() -> None:
    _, body = split(reference_pages.reference_markdown(aihcalc.get("azathioprine-dose"), TODAY, USES["azathioprine-dose"]))
    assert "[First-line treatment of autoimmune hepatitis](../aih/first-line-treatment.md)" in body
    _, body = split(reference_pages.reference_markdown(aihcalc.get("tacrolimus-dose"), TODAY, []))
    assert "Not yet used on a guideline page." in body


def test_calculator_uses_finds_blocks_and_bound_tables_on_guideline_pages_only() -> None:
    paths = {calc_id: [u.path for u in uses] for calc_id, uses in USES.items()}
    assert "aih/first-line-treatment.md" in paths["prednisolone-taper"]
    assert "aih/response-and-monitoring.md" in paths["treatment-response"]  # a table bound to it
    assert not any(p.startswith(("contributing/", "calculators/")) for ps in paths.values() for p in ps)
    titles = {u.path: u.title for us in USES.values() for u in us}
    assert titles["liver-scores.md"] == "Liver scores"
    assert set(paths) <= set(IDS)


def test_calculator_uses_of_a_made_up_tree(tmp_path) -> None:
    (tmp_path / "contributing").mkdir()
    page = "---\ntitle: A page\n---\n\n/// calculator | meld\n///\n\n```\n/// calculator | fib-4\n```\n"
    (tmp_path / "a.md").write_text(page, encoding="utf-8")
    (tmp_path / "contributing" / "b.md").write_text(page, encoding="utf-8")
    assert reference_pages.calculator_uses(tmp_path) == {"meld": [reference_pages.Use("A page", "a.md")]}


def test_index_groups_every_calculator_once_with_its_question_and_pages() -> None:
    meta, body = split(reference_pages.index_markdown(aihcalc.all_calculators(), TODAY, USES))
    assert meta["title"] == "Calculators"
    for calc in aihcalc.all_calculators():
        assert body.count(f"]({calc.id}.md)") == 1
        assert reference_pages._md(calc.summary) in body
    headings = [line[3:] for line in body.splitlines() if line.startswith("## ")]
    assert headings == ["Scores and diagnostic criteria", "Doses and tapers", "Decisions"]
    section = body.split("## Decisions", 1)[1]
    assert "](treatment-response.md)" in section and "](../aih/response-and-monitoring.md)" in section
    assert "`" not in body and "python -m" not in body and "| Id |" not in body


def test_a_calculator_of_an_unknown_family_goes_under_other() -> None:
    calc = aihcalc.get("meld")
    def compute() -> None: ...

    compute.__module__ = "elsewhere"
    stray = SimpleNamespace(id="x", title="X", summary="S.", compute=compute)
    groups = dict(reference_pages._grouped([calc, stray]))
    assert groups == {"Scores and diagnostic criteria": [calc], reference_pages.OTHER_GROUP: [stray]}


def _contributor_section(calc_id: str) -> str:
    body = reference_pages.contributor_markdown(aihcalc.all_calculators(), TODAY)
    title = reference_pages._md(aihcalc.get(calc_id).title)
    return body.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("calc_id", IDS)
def test_contributor_page_has_the_developers_view(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    meta, _ = split(reference_pages.contributor_markdown(aihcalc.all_calculators(), TODAY))
    assert meta["title"] == "Contributing: calculator reference"
    section = _contributor_section(calc_id)
    assert f"Id `{calc_id}` (stable), aihcalc {aihcalc.__version__}, calculator version {calc.version};" in section
    assert f"](../calculators/{calc_id}.md)" in section
    for item in calc.inputs:
        assert f"| `{item.name}` | {reference_pages._md(item.label)} | {item.kind} | {item.unit} |" in section
        for choice in item.choices:
            assert f"`{choice.value}`" in section
    for out in (calc.value, *calc.outputs):
        assert f"| `{out.name}` |" in section


@pytest.mark.parametrize("calc_id", IDS)
def test_the_documented_example_command_gives_the_documented_answer(calc_id: str) -> None:
    section = _contributor_section(calc_id)
    command = section.split("```sh\n", 1)[1].split("\n```", 1)[0]
    args = shlex.split(command)[3:]  # after "python -m aihcalc"
    proc = subprocess.run(
        [sys.executable, "-m", "aihcalc", *args],
        capture_output=True, text=True, cwd=PROJECT_ROOT, check=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT / "src")},
    )
    shown = json.loads(proc.stdout)["display"]["value"]
    assert f"gives the answer **{reference_pages._md(shown)}**" in section


def test_markdown_escaping_keeps_table_cells_intact() -> None:
    assert reference_pages._md("a | b *c* <d> e_f") == "a \\| b \\*c\\* &lt;d> e\\_f"


def _row(body: str, label: str) -> list[str]:
    cell = f"| {reference_pages._md(label)} |"
    line = next(line for line in body.splitlines() if line.startswith(cell))
    return [cell.strip() for cell in line.strip("|").split(" | ")]


@pytest.mark.parametrize("calc_id", IDS)
def test_default_column_says_what_an_omitted_input_becomes(calc_id: str) -> None:
    """The reference page agrees with the form: a default by its clinical label, else required/optional."""
    calc = aihcalc.get(calc_id)
    _, body = split(reference_pages.reference_markdown(calc, TODAY))
    for item in calc.inputs:
        default = _row(body, item.label)[-1]
        if item.optional:
            assert default == "optional"
        elif item.default is None:
            assert default == "required (no default)"
        elif item.kind in ("choice", "boolean"):
            if item.kind == "choice":
                label = reference_pages._md(next(c.label for c in item.choices if c.value == item.default))
            else:
                label = "yes" if item.default else "no"
            # the form asks unless the default only says that nothing is known yet
            assert default == (label if item.preselect else f"asked for on the form (left out of a request: {label})")
        else:
            assert default.split()[0] == widgets.form_text(item.default)


def test_azathioprine_defaults_read_as_the_form_shows_them() -> None:
    calc = aihcalc.get("azathioprine-dose")
    _, body = split(reference_pages.reference_markdown(calc, TODAY))
    for name in ("tpmt", "nudt15"):
        item = calc.input(name)
        if item.default == "unknown":
            assert _row(body, item.label)[-1] == "Not known (not tested)"


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
        if limit.evidence:  # linked to the figure's row on the evidence page
            assert f"| [{limit.status}](../evidence.md#{limit.evidence}) |" in row
        else:
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
                assert f"- *{reference_pages._md(item.label)}* only when" in body
        if not any(i.applies_when for i in calc.inputs):
            assert "only when" not in body


@pytest.mark.parametrize("calc_id", IDS)
def test_example_command_names_only_inputs_that_were_used(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    command = _contributor_section(calc_id).split("```sh\n", 1)[1].split("\n```", 1)[0]
    assert "=None" not in command
    parsed = calc.calculate(dict(calc.example)).inputs
    for arg in shlex.split(command)[4:-1]:
        name = arg.split("=", 1)[0]
        assert calc.input(name).applies(parsed), f"{name} does not apply to the example"


@pytest.mark.parametrize("calc_id", IDS)
def test_reference_page_lists_the_evidence_with_its_status_in_words(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    _, body = split(reference_pages.reference_markdown(calc, TODAY))
    section = body.split("## Evidence", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| Figure")]
    assert len(rows) == len(calc.evidence)
    for row, entry in zip(rows, calc.describe()["evidence"]):
        assert evidence.STATUS_WORDS[entry["status"]] in row
        for key in entry["sources"]:
            assert f"[@{key}]" in row
    assert "unverified" not in section and "secondary |" not in section  # statuses said in words


@pytest.mark.parametrize("calc_id", IDS)
def test_reference_page_ends_with_the_changes_newest_first(calc_id: str) -> None:
    calc = aihcalc.get(calc_id)
    _, body = split(reference_pages.reference_markdown(calc, TODAY))
    section = body.split("\n## Changes\n", 1)[1]
    assert "\n## " not in section, "the change list is the page's last section"
    assert f"at version {calc.version};" in section
    assert "| Date | Version | What changed | Why |" in section
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| Date")]
    assert len(rows) == len(calc.changes)
    for row, change in zip(rows, reversed(calc.changes)):
        assert row.startswith(f"| {day_month_year(change.date)} | {change.version} | {reference_pages._md(change.what)} |")
    assert rows[-1].startswith("| 22 Nov 2026 | 1.0 | First published")


def test_a_change_is_dated_in_words_and_its_text_escaped() -> None:
    calc = aihcalc.get("tacrolimus-dose")
    odd = aihcalc.Change("2026-12-04", "3.0", "A | pipe and *stars*", "Because <b>")
    changed = dataclasses.replace(calc, version="3.0", changes=(*calc.changes, odd))
    _, body = split(reference_pages.reference_markdown(changed, TODAY))
    assert "| 4 Dec 2026 | 3.0 | A \\| pipe and \\*stars\\* | Because &lt;b> |" in body
