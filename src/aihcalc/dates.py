"""Dates as readers see them: ``Mon 5 Jan 2026``.

``2026-01-05`` and ``05/01/2026`` are read differently in different countries; a weekday, the
day without a leading zero and a short month name cannot be misread, and the weekday helps a
patient keep to a weekly schedule. Machine data (JSON rows, calendar files) stays ISO 8601.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def human_date(day: dt.date | str) -> str:
    """``2026-01-05`` (a date, or its ISO text) -> ``Mon 5 Jan 2026``.

    Names are spelt here rather than by ``strftime``, whose names follow the machine's locale.
    """
    day = _as_date(day)
    return f"{WEEKDAYS[day.weekday()]} {day_month_year(day)}"


def day_month_year(day: dt.date | str) -> str:
    """``2026-12-04`` -> ``4 Dec 2026``: a date in a record (a change list), where no weekday is kept to."""
    day = _as_date(day)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _as_date(day: dt.date | str) -> dt.date:
    if isinstance(day, str):
        return dt.date.fromisoformat(day[:10])
    if isinstance(day, dt.datetime):
        return day.date()
    return day


def human_date_or_none(day: dt.date | str | None) -> str | None:
    """As ``human_date``, keeping None (a step whose date is not known yet) as None."""
    return None if day is None else human_date(day)


def with_human_dates(rows: list[dict[str, Any]], keys: tuple[str, ...] = ("from", "to")) -> list[dict[str, Any]]:
    """Each row with ``<key>_text`` beside each ISO ``<key>``: tables show the text, exports read the ISO."""
    return [{**row, **{f"{k}_text": human_date_or_none(row.get(k)) for k in keys if k in row}} for row in rows]
