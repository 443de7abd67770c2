"""The one entry point the browser (and the cross-runtime tests) call: JSON in, JSON out.

The page's JavaScript knows no medicine: it posts ``{"id": ..., "inputs": {...}}`` and shows
what comes back. Keeping the envelope here means the worker, Node and CPython share it.
"""

from __future__ import annotations

import json
from typing import Any

from .registry import all_calculators, get
from .spec import InputError


def handle(request_json: str) -> str:
    """Answer one request: ``{"ok": true, "result": ...}`` or ``{"ok": false, "error": ...}``."""
    try:
        request = json.loads(request_json)
        calc_id = request["id"]
        inputs = request.get("inputs", {})
        if not isinstance(calc_id, str):
            raise TypeError("id must be a string")
        if not isinstance(inputs, dict):
            raise TypeError("inputs must be an object")
    except (ValueError, KeyError, TypeError) as exc:
        return _dump({"ok": False, "error": {"field": None, "reason": f"malformed request: {exc}"}})
    try:
        calculator = get(calc_id)
    except KeyError as exc:
        return _dump({"ok": False, "error": {"field": None, "reason": str(exc.args[0])}})
    try:
        result = calculator.calculate(inputs)
    except InputError as exc:
        return _dump({"ok": False, "error": exc.to_dict()})
    return _dump({"ok": True, "result": result.to_dict()})


def catalogue() -> str:
    """Every declaration, for embedders who build their own forms."""
    return _dump([c.describe() for c in all_calculators()])


def _dump(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, allow_nan=False)
