"""The decision tables the calculators use, one TOML file each, shipped as package data.

Read through importlib.resources so they load from a source tree, an installed wheel and
Pyodide's site-packages alike (pyproject.toml must list ``tables/*.toml`` as package data).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ..decisions import DecisionTable, parse_table

SUFFIX = ".toml"


def table_ids() -> list[str]:
    """Every table shipped with the package, sorted."""
    return sorted(
        entry.name[: -len(SUFFIX)]
        for entry in resources.files(__name__).iterdir()
        if entry.name.endswith(SUFFIX)
    )


def table_source(table_id: str) -> str:
    """The TOML text of one table (for line numbers in messages and for the docs)."""
    resource = resources.files(__name__).joinpath(f"{table_id}{SUFFIX}")
    if not resource.is_file():
        known = ", ".join(table_ids()) or "none"
        raise KeyError(f"no decision table {table_id!r}; known: {known}")
    return resource.read_text(encoding="utf-8")


def table_origin(table_id: str) -> str:
    """Where a table lives, as a contributor finds it in the repository."""
    return f"src/aihcalc/tables/{table_id}{SUFFIX}"


@lru_cache(maxsize=None)
def load_table(table_id: str) -> DecisionTable:
    """A shipped table, parsed once. KeyError for an unknown id, TableError for a broken file."""
    table = parse_table(table_source(table_id), origin=table_origin(table_id))
    if table.id != table_id:
        raise ValueError(f"{table_origin(table_id)}: id {table.id!r} must match the file name")
    return table
