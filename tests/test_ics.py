"""iCalendar export: RFC 5545 escaping, folding, all-day events, and the taper's calendar."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import aihcalc
from aihcalc import bridge, ics


def unfold(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.split("\r\n"):
        if raw.startswith(" "):
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines


@pytest.mark.parametrize(
    ("text", "escaped"),
    [("a,b;c\\d", "a\\,b\\;c\\\\d"), ("line\nnext", "line\\nnext"), ("plain", "plain")],
)
def test_text_escaping(text: str, escaped: str) -> None:
    assert ics.escape(text) == escaped


def test_long_lines_fold_at_75_octets_without_splitting_characters() -> None:
    line = "DESCRIPTION:" + "× 5 mg " * 40
    parts = ics.fold(line)
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0]] + [p[1:] for p in parts[1:]]) == line


def test_calendar_events_are_all_day_with_exclusive_end() -> None:
    text = ics.calendar("Test", "t", [(dt.date(2028, 2, 28), dt.date(2028, 2, 29), "S", "D")])
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = unfold(text)
    assert "DTSTART;VALUE=DATE:20280228" in lines
    assert "DTEND;VALUE=DATE:20280301" in lines  # leap day included, end exclusive
    assert lines.count("BEGIN:VEVENT") == 1 and lines[-1] == "END:VCALENDAR"


def test_taper_calendar_has_one_event_per_dated_dose_change() -> None:
    inputs = {
        "age_group": "adult",
        "regimen": "seed-combination",
        "start_date": "2026-01-05",
        "weight_kg": 70,
        "aminotransferases": "normal",
        "normal_week": 4,
    }
    result = aihcalc.calculate("prednisolone-taper", inputs)
    answer = json.loads(bridge.export(json.dumps({"id": "prednisolone-taper", "export": "ics", "inputs": inputs})))
    assert answer["ok"] and answer["media_type"] == "text/calendar"
    lines = unfold(answer["text"])
    starts = [line.split(":", 1)[1] for line in lines if line.startswith("DTSTART")]
    assert starts == [row["from"].replace("-", "") for row in result.value]
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == len(uids)


def test_undated_steps_are_described_not_invented() -> None:
    inputs = {"age_group": "adult", "regimen": "seed-combination", "start_date": "2026-01-05", "weight_kg": 70}
    result = aihcalc.calculate("prednisolone-taper", inputs)
    _, text = aihcalc.get("prednisolone-taper").export("ics", inputs)
    lines = unfold(text)
    dated = [row for row in result.value if row["from"]]
    assert sum(line.startswith("DTSTART") for line in lines) == len(dated)
    assert "dates not known yet" in text.replace("\r\n ", "")


def test_export_errors_are_answers_not_exceptions() -> None:
    inputs = {"age_group": "adult", "regimen": "seed-combination", "start_date": "x", "weight_kg": 70}
    bad = json.loads(bridge.export(json.dumps({"id": "prednisolone-taper", "export": "ics", "inputs": inputs})))
    assert bad["ok"] is False and bad["error"]["field"] == "start_date"
    child = {**inputs, "start_date": "2026-01-05", "age_group": "child"}
    refused = json.loads(bridge.export(json.dumps({"id": "prednisolone-taper", "export": "ics", "inputs": child})))
    assert refused["ok"] is False and refused["error"]["field"] == "age_group"
    no_regimen = {k: v for k, v in child.items() if k != "regimen"} | {"age_group": "adult"}
    missing = json.loads(bridge.export(json.dumps({"id": "prednisolone-taper", "export": "ics", "inputs": no_regimen})))
    assert missing["ok"] is False and missing["error"]["field"] == "regimen"
    unknown = json.loads(bridge.export(json.dumps({"id": "meld", "export": "ics", "inputs": {}})))
    assert unknown["ok"] is False
