"""aihcalc: dose, taper and score calculators for autoimmune hepatitis guidance.

One declaration per calculator; the same code runs in CPython (tests, CLI, build-time
tables) and in the browser under Pyodide.
"""

from ._version import __version__
from .registry import all_calculators, calculate, get
from .spec import Calculator, Change, Choice, Export, FallbackGrid, Input, InputError, Outcome, Output, Result, Working

__all__ = [
    "Calculator",
    "Change",
    "Choice",
    "Export",
    "FallbackGrid",
    "Input",
    "InputError",
    "Outcome",
    "Output",
    "Result",
    "Working",
    "all_calculators",
    "calculate",
    "get",
    "__version__",
]
