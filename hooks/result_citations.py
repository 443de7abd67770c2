"""Bibliography keys in a calculator's texts, shown as links to its numbered Sources.

The calculators write their sources into warnings, working lines and notes as keys, e.g.
``[easl2015; gleeson2025]`` or ``[neurooncol2015, Table 1]``: plain text that the command line
shows as it is. On a page a clinician reads "(sources 1, 2)" and "(source 3, Table 1)" instead,
each number linking to the calculator's own Sources list. A bracket whose keys are not all in
that list is left alone. ``assets/calculators.js`` does the same for live answers (it reads the
numbering from the list's ``data-key`` attributes), so both answers read alike.
"""

from __future__ import annotations

import re
from html import escape

from markupsafe import Markup

KEY = r"[A-Za-z0-9][\w.-]*"
# One citation bracket: keys separated by ';', each optionally followed by ', locator'.
BRACKET = re.compile(rf"\[(?P<body>{KEY}(?:,[^;\]\[]*)?(?:;\s*{KEY}(?:,[^;\]\[]*)?)*)\]")


def source_anchor(calc_id: str, number: int) -> str:
    """The id of a calculator's n-th source (the Sources list items carry it)."""
    return f"calc-{calc_id}-source-{number}"


def cite(text: object, calc_id: str, keys: tuple[str, ...] | list[str]) -> Markup:
    """``text`` escaped, with each bracket of known keys turned into numbered links."""
    numbers = {key: n for n, key in enumerate(keys, start=1)}
    source = "" if text is None else str(text)
    out: list[str] = []
    last = 0
    for match in BRACKET.finditer(source):
        parts = [p.strip() for p in match["body"].split(";")]
        cited = [(p.split(",", 1)[0].strip(), p.split(",", 1)[1].strip() if "," in p else "") for p in parts]
        if not all(key in numbers for key, _ in cited):
            continue
        out.append(escape(source[last : match.start()]))
        links = [
            f'<a href="#{source_anchor(calc_id, numbers[key])}">{numbers[key]}</a>' + (f", {escape(loc)}" if loc else "")
            for key, loc in cited
        ]
        word = "source" if len(cited) == 1 else "sources"
        joiner = "; " if any(loc for _, loc in cited) else ", "
        out.append(f'<span class="aihcalc__cite">({word} {joiner.join(links)})</span>')
        last = match.end()
    out.append(escape(source[last:]))
    return Markup("".join(out))
