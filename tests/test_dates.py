"""Dates as readers see them: one unambiguous form, whatever the machine's locale."""

from __future__ import annotations

import datetime as dt

import pytest

import aihcalc
from aihcalc.dates import day_month_year, human_date, human_date_or_none, with_human_dates


@pytest.mark.parametrize(
    "day,text",
    [
        ("2026-01-05", "Mon 5 Jan 2026"),
        ("2026-02-01", "Sun 1 Feb 2026"),
        ("2024-02-29", "Thu 29 Feb 2024"),
        ("2025-12-31", "Wed 31 Dec 2025"),
        ("1900-01-01", "Mon 1 Jan 1900"),
        ("2200-01-14", "Tue 14 Jan 2200"),
    ],
)
def test_human_date(day: str, text: str) -> None:
    assert human_date(day) == text
    assert human_date(dt.date.fromisoformat(day)) == text
    assert human_date(dt.datetime.fromisoformat(day + "T23:59:00")) == text


def test_day_month_year_is_human_date_without_the_weekday() -> None:
    assert day_month_year("2026-12-04") == "4 Dec 2026"
    assert day_month_year(dt.date(2026, 11, 22)) == "22 Nov 2026"
    assert human_date("2026-12-04") == "Fri " + day_month_year("2026-12-04")


def test_no_leading_zero_and_every_month_and_weekday_name() -> None:
    days = [dt.date(2026, m, 1) for m in range(1, 13)]
    assert [human_date(d).split()[2] for d in days] == "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    week = [human_date(dt.date(2026, 1, 5) + dt.timedelta(days=n)).split()[0] for n in range(7)]
    assert week == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert human_date("2026-03-09").split()[1] == "9"


def test_none_stays_none_and_rows_keep_their_iso_dates() -> None:
    assert human_date_or_none(None) is None
    rows = with_human_dates([{"from": "2026-01-05", "to": None, "daily_mg": 30}])
    assert rows == [{"from": "2026-01-05", "to": None, "daily_mg": 30, "from_text": "Mon 5 Jan 2026", "to_text": None}]


def test_a_taper_schedule_shows_readable_dates_and_keeps_iso_data() -> None:
    result = aihcalc.calculate(
        "prednisolone-taper",
        {"age_group": "adult", "regimen": "aasld2010-combination", "start_date": "2026-01-05", "weight_kg": 70},
    )
    calc = aihcalc.get("prednisolone-taper")
    shown = [key for key, _ in calc.value.columns]
    assert shown[:2] == ["from_text", "to_text"]
    first, last = result.value[0], result.value[-1]
    assert (first["from"], first["to"]) == ("2026-01-05", "2026-01-11")
    assert (first["from_text"], first["to_text"]) == ("Mon 5 Jan 2026", "Sun 11 Jan 2026")
    assert last["from_text"] == "Mon 2 Feb 2026" and last["to_text"] is None
    assert result.outputs["maintenance_from"] == "2026-02-02"  # the data stays ISO
    assert result.display["maintenance_from"] == "Mon 2 Feb 2026"  # the reader's text does not
    assert not any("2026-0" in line for line in result.working + result.warnings + list(result.display.values()))


def test_the_paediatric_schedule_shows_readable_dates() -> None:
    result = aihcalc.calculate(
        "paediatric-prednisolone", {"age_group": "child", "weight_kg": 20, "start_date": "2026-01-05"}
    )
    assert [(r["from_text"], r["to_text"]) for r in result.value[:2]] == [
        ("Mon 5 Jan 2026", "Sun 11 Jan 2026"),
        ("Mon 12 Jan 2026", "Sun 18 Jan 2026"),
    ]
    assert result.display["end_date"] == "Sun 22 Mar 2026"
