"""Command line: ``python -m aihcalc list`` and ``python -m aihcalc [run] ID name=value ... [--json]``.

Exit status 0 on a result, 2 on bad input (with the message on stderr), so scripts can
tell a typo from an answer.
"""

from __future__ import annotations

import json
import sys
from typing import Sequence

from .registry import all_calculators, get
from .spec import InputError, Result

USAGE = """usage: python -m aihcalc list [--json]
       python -m aihcalc describe ID
       python -m aihcalc [run] ID name=value ... [--json]"""


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args
    args = [a for a in args if a != "--json"]
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if args else 2
    if args[0] == "list":
        return _list(as_json)
    if args[0] == "describe":
        if len(args) != 2:
            return _usage_error("describe takes one calculator id")
        return _describe(args[1])
    if args[0] == "run":  # the verb is optional: "run ID ..." reads as "ID ..."
        if len(args) < 2:
            return _usage_error("run takes a calculator id")
        args = args[1:]
    return _run(args[0], args[1:], as_json)


def _list(as_json: bool) -> int:
    calcs = all_calculators()
    if as_json:
        print(json.dumps([{"id": c.id, "title": c.title} for c in calcs], ensure_ascii=False))
    else:
        width = max((len(c.id) for c in calcs), default=0)
        for calc in calcs:
            print(f"{calc.id.ljust(width)}  {calc.title}")
    return 0


def _describe(calc_id: str) -> int:
    try:
        calc = get(calc_id)
    except KeyError as exc:
        return _usage_error(str(exc.args[0]))
    print(json.dumps(calc.describe(), ensure_ascii=False, indent=2))
    return 0


def _run(calc_id: str, pairs: list[str], as_json: bool) -> int:
    try:
        calc = get(calc_id)
    except KeyError as exc:
        return _usage_error(str(exc.args[0]))
    inputs: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            return _usage_error(f"expected name=value, got {pair!r}")
        inputs[name] = value
    try:
        result = calc.calculate(inputs)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(result.to_json() if as_json else _text(result, calc.title))
    return 0


def _text(result: Result, title: str) -> str:
    lines = [title, f"  result: {result.display['value']}"]
    for name, text in result.display.items():
        if name != "value" and text:
            lines.append(f"  {name}: {text}")
    tables = [("value", result.value), *result.outputs.items()]
    for name, rows in tables:
        if isinstance(rows, list) and rows and isinstance(rows[0], dict):
            lines.append(f"  {name}:")
            lines.extend("    " + "  ".join("—" if v is None else str(v) for v in row.values()) for row in rows)
    if result.working:
        lines.append("  working:")
        lines.extend(f"    {step}" for step in result.working)
    if result.warnings:
        lines.append("  warnings:")
        lines.extend(f"    ! {w}" for w in result.warnings)
    lines.append("  references: " + ", ".join(result.references))
    return "\n".join(lines)


def _usage_error(message: str) -> int:
    print(f"error: {message}\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # e.g. piped into head: not an error worth a traceback
        sys.stderr.close()
        sys.exit(0)
