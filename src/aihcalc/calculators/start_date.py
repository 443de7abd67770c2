"""The start date of a dated schedule, held to the years a schedule can be drawn for.

Shared by the prednisolone taper, the children's schedule and the acute severe check, so
each refuses an out-of-range date with the same words.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..dates import human_date
from ..spec import InputError

FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2199, 12, 31)


def parse_start(v: dict[str, Any]) -> dt.date:
    """The parsed ``start_date`` as a date; ``InputError`` outside 1900–2199.

    The parsed input is "YYYY-MM-DD"; ``[:10]`` also tolerates a datetime's isoformat().
    """
    start = dt.date.fromisoformat(v["start_date"][:10])
    if not FIRST_DATE <= start <= LAST_DATE:
        raise InputError(
            "start_date",
            f"choose a date between {human_date(FIRST_DATE)} and {human_date(LAST_DATE)} "
            f"(you chose {human_date(start)})",
        )
    return start
