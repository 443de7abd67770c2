"""Page front-matter: split it off, parse it with line numbers, validate it, and describe it.

The fields are declared once, in ``schemas/page.schema.json`` (so editors and tools can use the
same file); this module turns jsonschema's findings into messages that name the line and say
what to write instead, adds the checks a schema cannot make (dates in the past, related pages
that exist). What the page template shows from the front-matter lives in chrome.py.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from .problems import Problem, warning
from .problems import error as error_at

SCHEMA_PATH = Path(__file__).parent / "schemas" / "page.schema.json"
# The same pattern MkDocs uses (mkdocs.utils.meta), so both agree on where the body starts.
FRONT_MATTER_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
AUDIENCES = ("clinician", "patient")

try:  # the C parser is several times faster; the constructor (where the checks live) is Python either way
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader


@dataclass(frozen=True)
class Duplicate:
    key: str
    line: int
    first_line: int


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that records duplicate keys (PyYAML keeps the last one silently)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[Duplicate] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                continue
            line = key_node.start_mark.line + 1
            if key in seen:
                self.duplicates.append(Duplicate(str(key), line, seen[key]))
            else:
                seen[key] = line
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """``2026-13-01`` looks like a date to YAML but is none: keep the text for the schema."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


@dataclass
class Loaded:
    """YAML data with the line of every key and item (paths as tuples of keys and indices)."""

    data: Any
    lines: dict[tuple[Any, ...], int]
    duplicates: list[Duplicate]


def load_yaml(text: str) -> Loaded:
    """Parse YAML keeping lines; raises ``yaml.YAMLError`` (with its mark) when it is not YAML."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        duplicates = sorted(loader.duplicates, key=lambda d: d.line)
    finally:
        loader.dispose()
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _index(node, (), lines)
    return Loaded(data, lines, duplicates)


def _index(node: yaml.Node, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = path + (getattr(key_node, "value", None),)
            lines.setdefault(child, key_node.start_mark.line + 1)
            _index(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for number, item in enumerate(node.value):
            _index(item, path + (number,), lines)


def line_of(lines: Mapping[tuple[Any, ...], int], path: Iterable[Any]) -> int:
    """The line of ``path``, or of its nearest ancestor that has one."""
    path = tuple(path)
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


@dataclass
class FrontMatter:
    """A page split in two: its front-matter (with lines in the file) and its Markdown body."""

    data: dict[str, Any]
    lines: dict[tuple[Any, ...], int]  # path -> line in the page file
    body: str  # what MkDocs hands to Markdown
    body_line: int  # the file line on which ``body`` starts
    problems: list[Problem] = field(default_factory=list)

    @property
    def offset(self) -> int:
        """Add to a line number within ``body`` to get the line in the file."""
        return self.body_line - 1


def parse(text: str) -> FrontMatter:
    """Split and parse a page; never raises: what is wrong goes to ``problems``."""
    text = text.replace("\r\n", "\n")
    match = FRONT_MATTER_RE.match(text)
    if not match:
        if text.startswith("---"):
            return FrontMatter({}, {}, text, 1, [error_at(1, "the front-matter opened here is never closed: end it with a line holding only ---")])
        return FrontMatter({}, {}, text, 1, [error_at(1, "no front-matter: start the page with a line '---', then title, question, summary, review (status) and last_updated, then '---' (see CONTRIBUTING.md)")])
    body = text[match.end():].lstrip("\n")
    body_line = text[: len(text) - len(body)].count("\n") + 1
    try:
        loaded = load_yaml(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        return FrontMatter({}, {}, text, 1, [error_at(line, f"the front-matter is not valid YAML ({problem}): check the indentation, and put quotes around a value that holds ': ' or starts with a special character")])
    lines = {path: line + 1 for path, line in loaded.lines.items()}  # the YAML starts on file line 2
    problems = [
        error_at(d.line + 1, f"field '{d.key}' is given twice (first on line {d.first_line + 1}); YAML would silently keep only the last: remove one")
        for d in loaded.duplicates
    ]
    if not isinstance(loaded.data, dict):
        problems.append(error_at(2, "the front-matter must be a mapping of fields (title: ..., question: ..., ...), not a list or a single value"))
        return FrontMatter({}, lines, body, body_line, problems)
    return FrontMatter(loaded.data, lines, body, body_line, problems)


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema(), format_checker=FormatChecker())


def validate(
    front: FrontMatter,
    *,
    today: dt.date | None = None,
    known_pages: Collection[str] | None = None,
    page: str | None = None,
) -> list[Problem]:
    """Schema errors with lines and fixes, plus overdue reviews and related pages that don't exist.

    ``known_pages`` are paths relative to content/; ``page`` is this page's own such path.
    """
    if not front.data and front.problems:
        return []  # nothing to validate: parse() said why
    data = _json_ready(front.data)
    problems = [_explain(error, front.lines) for error in _validator().iter_errors(data)]
    problems += _semantic(front, today or dt.date.today(), known_pages, page)
    return sorted(set(problems), key=lambda p: (p.line, p.message))


def _semantic(front: FrontMatter, today: dt.date, known: Collection[str] | None, page: str | None) -> list[Problem]:
    problems = []
    review = front.data.get("review")
    due = as_date(review.get("next_review")) if isinstance(review, dict) else None
    if due is not None and due < today:
        problems.append(
            warning(
                line_of(front.lines, ("review", "next_review")),
                f"review.next_review {due.isoformat()} has passed: review the page (then update last_reviewed and next_review) or set a new due date",
            )
        )
    updated = as_date(front.data.get("last_updated"))
    changes = front.data.get("changes")
    for number, change in enumerate(changes if isinstance(changes, list) else []):
        day = as_date(change.get("date")) if isinstance(change, dict) else None
        line = line_of(front.lines, ("changes", number, "date"))
        if day is not None and day > today:
            problems.append(error_at(line, f"changes: {day.isoformat()} is in the future: date a change the day it was made"))
        elif day is not None and updated is not None and day > updated:
            problems.append(error_at(line, f"changes: {day.isoformat()} is after last_updated {updated.isoformat()}: set last_updated to {day.isoformat()}"))
    related = front.data.get("related")
    if known is not None and isinstance(related, list):
        for number, target in enumerate(related):
            if not isinstance(target, str) or not re.match(schema()["properties"]["related"]["items"]["pattern"], target):
                continue  # not a type or shape the schema accepts: reported there
            line = line_of(front.lines, ("related", number))
            if target == page:
                problems.append(warning(line, f"related page '{target}' is this page itself: remove it"))
            elif target not in known:
                hint = difflib.get_close_matches(target, list(known), n=1)
                suggestion = f"did you mean '{hint[0]}'? " if hint else ""
                problems.append(error_at(line, f"related page '{target}' does not exist: {suggestion}write a path relative to content/, e.g. aih/first-line-treatment.md"))
    return problems


def _json_ready(value: Any) -> Any:
    """YAML gives dates as ``date`` objects; the schema speaks JSON, where a date is a string."""
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


_TYPE_WORDS = {"string": "text", "array": "a list", "object": "a mapping of fields", "boolean": "true or false", "number": "a number"}


def _explain(error: ValidationError, lines: Mapping[tuple[Any, ...], int]) -> Problem:
    """One jsonschema error as a contributor would want it: the field, the line, the fix."""
    path = tuple(error.absolute_path)
    where = _dotted(path) or "the front-matter"
    line = line_of(lines, path)
    example = _example(error.schema)
    kind = error.validator
    if "then" in error.absolute_schema_path:  # review.status: approved without its record
        if kind == "required":
            missing = [k for k in error.validator_value if k not in error.instance]
            what = " and ".join("reviewers (a list of {name, role})" if k == "reviewers" else "last_reviewed (YYYY-MM-DD)" for k in missing)
            return error_at(line_of(lines, ("review", "status")), f"review.status is approved, but the review record lacks {what}: add them, or set status to under-review until the sign-off is recorded")
        return error_at(line, "review.status is approved, but review.reviewers is empty: name at least one reviewer ({name, role}), or set status to under-review")
    if kind == "required":
        key = _required_key(error)
        name = f"{_dotted(path)}.{key}" if path else key
        prop = error.schema.get("properties", {}).get(key, {})
        return error_at(line if path else 1, f"missing required field '{name}' ({_first_sentence(prop)}): add it, e.g. {key}: {_example(prop, plain=True)}")
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        key = extra[0]
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        name = ".".join([_dotted(path), str(key)]) if path else str(key)
        return error_at(line_of(lines, path + (key,)), f"unknown field '{name}': {hint}the fields here are {', '.join(allowed)}")
    if kind == "type":
        wanted = _TYPE_WORDS.get(error.validator_value, error.validator_value)
        return error_at(line, f"{where} must be {wanted}, not {_describe(error.instance)}{example}")
    if kind == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        return error_at(line, f"{where} must be one of {choices}; found {error.instance!r}")
    if kind == "format" and error.validator_value == "date":
        return error_at(line, f"{where} must be a date written YYYY-MM-DD, e.g. 2026-11-22; found {error.instance!r}")
    if kind == "minLength":
        return error_at(line, f"{where} is empty: write it{example}")
    if kind == "minItems":
        return error_at(line, f"{where} is an empty list: give at least one item{example}")
    if kind == "uniqueItems":
        return error_at(line, f"{where} lists the same item twice: remove the repeat")
    if kind == "pattern" and path[:1] == ("related",):
        return error_at(line, f"{where} must be a page path relative to content/ ending in .md, e.g. aih/first-line-treatment.md; found {error.instance!r}")
    return error_at(line, f"{where}: {error.message}")


def _required_key(error: ValidationError) -> str:
    """jsonschema reports one error per missing property; its message is the only place naming it."""
    match = re.match(r"^'(.+)' is a required property$", error.message)
    if match:
        return match.group(1)
    return next(k for k in error.validator_value if k not in error.instance)


def _first_sentence(schema_part: Mapping[str, Any]) -> str:
    if schema_part.get("title"):
        return str(schema_part["title"])
    text = str(schema_part.get("description", "see hooks/schemas/page.schema.json")).split(". ")[0].rstrip(".")
    return text[:1].lower() + text[1:]


def _dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{value!r}"


def _example(schema_part: Mapping[str, Any], plain: bool = False) -> str:
    examples = schema_part.get("examples") or []
    if not examples:
        return "..." if plain else ""
    text = _flow(examples[0])
    return text if plain else f", e.g. {text}"


def _flow(value: Any) -> str:
    """A value as a one-line YAML flow, as a contributor would type it."""
    return yaml.safe_dump(value, default_flow_style=True, width=1000, sort_keys=False).strip().removesuffix("...").strip()


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None
