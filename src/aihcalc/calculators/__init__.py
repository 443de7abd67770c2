"""Importing this package registers every calculator (one module per drug or score family).

The modules are found rather than listed, so a new calculator module is registered by being
here. ``pkgutil`` reads the package's folder, which is an ordinary folder in CPython and
under Pyodide (the wheel is unpacked); the names are sorted so every runtime imports them in
the same order.
"""

from __future__ import annotations

import importlib
import pkgutil

MODULES: tuple[str, ...] = tuple(sorted(m.name for m in pkgutil.iter_modules(__path__)))

for _name in MODULES:
    importlib.import_module(f"{__name__}.{_name}")
