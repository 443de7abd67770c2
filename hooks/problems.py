"""The one kind of finding every check returns, the build logs and ``python -m hooks.check`` prints.

A check that sees only a piece of a page (its body, a block) reports lines in that piece and no
file; ``at`` places the finding in its file, so the same finding reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

LEVELS = ("error", "warning")


@dataclass(frozen=True)
class Problem:
    """One finding: the file, the line (1-based), ``error`` or ``warning``, what to fix.

    ``example`` and ``kind`` are a decision table's detail (an input showing a gap, ``"gap"``),
    for tests and tools; they are not part of the message.
    """

    file: str
    line: int
    level: str
    message: str
    example: Mapping[str, Any] | None = field(default=None, compare=False)
    kind: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.level}: {self.message}"

    @property
    def located(self) -> str:
        """``file:line: message``: how the build log shows an error (and the decision-table tests)."""
        return f"{self.file}:{self.line}: {self.message}"

    def at(self, file: str, offset: int = 0) -> Problem:
        """The same finding placed in ``file``, ``offset`` lines further down."""
        return replace(self, file=file, line=self.line + offset)


def error(line: int, message: str, file: str = "", **detail: Any) -> Problem:
    """An error: fails the strict build and makes the check exit 1."""
    return Problem(file, line, "error", message, **detail)


def warning(line: int, message: str, file: str = "") -> Problem:
    """A warning: shown by the build; fails only ``python -m hooks.check --strict``."""
    return Problem(file, line, "warning", message)


def ordered(problems: Iterable[Problem]) -> list[Problem]:
    """By file, then line; findings on one line keep the order the checks gave them."""
    return sorted(problems, key=lambda p: (p.file, p.line))
