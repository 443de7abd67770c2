"""The one entry point the browser (and the cross-runtime tests) call: JSON in, JSON out.

The page's JavaScript knows no medicine: it posts ``{"id": ..., "inputs": {...}}`` and shows
what comes back. Keeping the envelope here means the worker, Node and CPython share it.
"""

from __future__ import annotations

import json
from typing import Any

from .registry import all_calculators, get
from .present import fmt_number
from .spec import InputError, versions
from .units import express


def handle(request_json: str) -> str:
    """Answer one request: ``{"ok": true, "result": ...}`` or ``{"ok": false, "error": ..., "version": ...}``.

    A result carries its ``version`` (``Result.to_dict``); a refusal carries it beside the error,
    so the page can say which calculator version judged the input.
    """
    try:
        request = json.loads(request_json)
        calc_id = request["id"]
        inputs = request.get("inputs", {})
        if not isinstance(calc_id, str):
            raise TypeError("id must be a string")
        if not isinstance(inputs, dict):
            raise TypeError("inputs must be an object")
    except (ValueError, KeyError, TypeError) as exc:
        return _refuse({"field": None, "reason": f"malformed request: {exc}"}, None)
    try:
        calculator = get(calc_id)
    except KeyError as exc:
        return _refuse({"field": None, "reason": str(exc.args[0])}, None)
    try:
        result = calculator.calculate(inputs)
    except InputError as exc:
        return _refuse(exc.to_dict(), calculator.version)
    return _dump({"ok": True, "result": result.to_dict()})


def _refuse(error: dict[str, Any], calculator_version: str | None) -> str:
    return _dump({"ok": False, "error": error, "version": versions(calculator_version)})


def convert(request_json: str) -> str:
    """Re-express a typed value in another unit, for the form's unit switch.

    ``{"id", "input", "text", "to"}`` -> ``{"ok": true, "text": "34.2"}``. The text is read as
    the input reads it (a unit after the number is honoured), so the switch and the
    calculation can never disagree about what a number means.
    """
    try:
        request = json.loads(request_json)
        item = get(str(request["id"])).input(str(request["input"]))
        target = str(request["to"])
        canonical = item.parse(request["text"])
        value = express(canonical, target, item.unit, item.conversions)
    except InputError as exc:
        return _dump({"ok": False, "error": exc.to_dict()})
    except (ValueError, KeyError, TypeError) as exc:
        return _dump({"ok": False, "error": {"field": None, "reason": f"cannot convert: {exc}"}})
    decimals = 1 if abs(value) >= 100 else 2 if abs(value) >= 10 else 3
    return _dump({"ok": True, "text": fmt_number(value, decimals)})


def export(request_json: str) -> str:
    """``{"id", "inputs", "export"}`` -> the file's text, name and media type (built in the browser)."""
    try:
        request = json.loads(request_json)
        calculator = get(str(request["id"]))
        item, text = calculator.export(str(request["export"]), request.get("inputs", {}))
    except InputError as exc:
        return _dump({"ok": False, "error": exc.to_dict()})
    except (ValueError, KeyError, TypeError) as exc:
        return _dump({"ok": False, "error": {"field": None, "reason": f"cannot export: {exc}"}})
    return _dump({"ok": True, "text": text, "filename": item.filename, "media_type": item.media_type})


def catalogue() -> str:
    """Every declaration, for embedders who build their own forms."""
    return _dump([c.describe() for c in all_calculators()])


def _dump(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, allow_nan=False)
