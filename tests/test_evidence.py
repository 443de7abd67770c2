"""The evidence register: well formed, its sources in the bibliography, every pointer resolves.

Code, tables and tests point to an entry as ``evidence: ID``; a pointer to a missing entry
fails here with the file and line. The register is the project's own record: no file points
to notes kept outside the project.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

import aihcalc
from aihcalc import evidence
from tests.conftest import PROJECT_ROOT

# An id is not followed by "[" or more of a word: "evidence: tuple[str, ...]" is an annotation.
POINTER = re.compile(r"\b[Ee]vidence: (?!str\b)((?:[a-z0-9]+-?)+[a-z0-9](?:, (?:[a-z0-9]+-?)+[a-z0-9])*)(?![\w\[-])")  # not a field annotation
# A Markdown document named by its file name ("NOTES.md", "NOTES.md §3"): it must be one the
# project holds, so nothing rests on notes kept outside the repository.
DOCUMENT = re.compile(r"\b([A-Z][A-Z0-9_-]+\.md)\b")


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        pytest.skip("not a git checkout")
    return [f for f in out.stdout.splitlines() if f.endswith((".py", ".toml", ".md", ".yaml", ".html", ".js", ".css"))]


def test_every_entry_is_well_formed_and_cites_known_sources() -> None:
    bibliography = yaml.safe_load((PROJECT_ROOT / "content" / "bibliography.yaml").read_text(encoding="utf-8"))
    entries = evidence.register()
    assert len(entries) >= 20
    for entry in entries.values():
        assert entry.statement and entry.value, entry.id
        assert entry.status in evidence.STATUSES, entry.id
        assert set(entry.sources) <= set(bibliography), (entry.id, entry.sources)
        assert not entry.checked or re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry.checked), entry.id


def test_every_pointer_in_the_project_resolves() -> None:
    known = set(evidence.register())
    found = 0
    for name in tracked_files():
        text = (PROJECT_ROOT / name).read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            for match in POINTER.finditer(line):
                for entry_id in match.group(1).split(", "):
                    found += 1
                    assert entry_id in known, f"{name}:{number}: no evidence entry {entry_id!r}"
    assert found >= 30


def test_no_file_points_to_a_document_outside_the_project() -> None:
    files = tracked_files()
    held = {Path(name).name for name in files}
    for name in files:
        if name == "tests/test_evidence.py":
            continue  # this file's own examples of the rule
        text = (PROJECT_ROOT / name).read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            for document in DOCUMENT.findall(line):
                assert document in held, f"{name}:{number}: {document} is not part of the project: point to the evidence register instead"


def test_the_document_rule_bites() -> None:
    assert DOCUMENT.findall("see NOTES.md §3 and README.md") == ["NOTES.md", "README.md"]


def test_an_unknown_entry_is_named() -> None:
    with pytest.raises(KeyError, match="no evidence entry 'nope'"):
        evidence.get("nope")
    assert evidence.get("aza-dose-range").status == "confirmed"


def test_every_calculator_declares_the_entries_its_module_points_to() -> None:
    """describe() lists a calculator's evidence; nothing its code cites as evidence is left out."""
    import collections
    import inspect
    import sys

    import aihcalc

    declared: dict[str, set[str]] = collections.defaultdict(set)
    for calc in aihcalc.all_calculators():
        assert calc.evidence, f"{calc.id}: declare the evidence entries its figures rest on"
        listed = calc.describe()["evidence"]
        assert [e["id"] for e in listed] == list(calc.evidence)
        for entry in listed:
            assert entry["status"] in evidence.STATUSES and entry["sources"], (calc.id, entry["id"])
        declared[calc.compute.__module__].update(calc.evidence)
    for module_name, ids in declared.items():
        source = inspect.getsource(sys.modules[module_name])
        pointed = {i for m in POINTER.finditer(source) for i in m.group(1).split(", ")}
        assert pointed <= ids, f"{module_name} points to {sorted(pointed - ids)} but no calculator in it declares them"


def test_a_dose_calculator_shows_a_weaker_status_than_confirmed_where_its_register_says_so() -> None:
    import aihcalc

    statuses = {e["id"]: e["status"] for e in aihcalc.get("paediatric-prednisolone").describe()["evidence"]}
    assert statuses == {"paediatric-schedule": "secondary", "paediatric-max-60": "unverified"}


def test_every_status_has_its_words_and_its_definition() -> None:
    """Pages show a status only in words: each status needs its phrase and its one-sentence meaning."""
    assert tuple(evidence.STATUS_WORDS) == evidence.STATUSES
    assert tuple(evidence.STATUS_DEFINITIONS) == evidence.STATUSES
    for status in evidence.STATUSES:
        assert evidence.STATUS_WORDS[status]
        definition = evidence.STATUS_DEFINITIONS[status]
        assert definition.endswith(".") and definition.count(". ") == 0, status


def test_every_sourced_dose_limit_names_its_register_entry_and_agrees_with_it() -> None:
    """A ceiling or studied maximum links to the entry it rests on, with the same status."""
    register = evidence.register()
    same = {"weak": "unverified"}  # a limit's "weak" is the register's unverified, seen only in summaries
    checked = 0
    for calc in aihcalc.all_calculators():
        for limit in calc.dose_rules.limits if calc.dose_rules else ():
            if limit.status == "calculator's choice":
                assert limit.evidence == "", f"{calc.id}: the calculator's own choice rests on no source"
                continue
            assert limit.evidence in calc.evidence, f"{calc.id}: its {limit.kind} {limit.value} names no entry it declares"
            assert register[limit.evidence].status == same.get(limit.status, limit.status), (calc.id, limit.evidence)
            checked += 1
    assert checked >= 10
