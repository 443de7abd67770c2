"""What the build does inside Pyodide before it takes the memory snapshot, and what the browser
does right after restoring one.

The snapshot holds an interpreter that has already imported aihcalc and answered every
calculator's example once, so a page's first answer needs no import at all. This module runs
under Pyodide (hooks/node/snapshot.mjs reads its source and runs it) and, for its tests, under
CPython: it imports nothing from the site build.

Its jobs:

- ``exercise``: every calculator's example through ``bridge.handle``, every unit switch through
  ``bridge.convert`` and every export through ``bridge.export``. Lazy imports and caches are
  filled now, and the answers are kept so the restored interpreter can be checked against them.
  The browser restores the snapshot over an empty standard library (every module those answers
  need is in memory already) and fetches the real one only if a rare path imports a module
  the snapshot lacks; ``refresh_imports`` makes a newly written library zip visible.
- ``settle`` and ``restored``: the snapshot is built with a fixed clock, fixed entropy and a fixed
  hash seed so that two builds give the same bytes; ``settle`` seeds every ``random.Random`` with
  0 before the snapshot, and the browser calls ``restored`` after restoring one, so no two visitors
  share a random sequence. (String hashing stays fixed for a build's snapshot: it guards servers
  against collision floods from untrusted input, and the only input here is the reader's own.)
"""

from __future__ import annotations

import gc
import json
import random
import sys


def exercise() -> list[str]:
    """Every calculator's example, unit switch and export, answered once; the answers in order."""
    import aihcalc
    from aihcalc import bridge

    answers = []
    for calculator in aihcalc.all_calculators():
        example = {name: value for name, value in calculator.example.items()}
        answers.append(bridge.handle(json.dumps({"id": calculator.id, "inputs": example})))
        for item in calculator.inputs:
            for conversion in item.conversions:
                if item.name in example:
                    request = {"id": calculator.id, "input": item.name, "text": str(example[item.name]), "to": conversion.unit}
                    answers.append(bridge.convert(json.dumps(request)))
        for export in calculator.exports:
            request = {"id": calculator.id, "inputs": example, "export": export.name}
            answers.append(bridge.export(json.dumps(request)))
    answers.append(bridge.catalogue())
    return answers


# The generators settle() found, kept so that restored() need not search the heap again.
_GENERATORS: list[random.Random] = []


def _generators() -> list[random.Random]:
    return [o for o in gc.get_objects() if isinstance(o, random.Random) and not isinstance(o, random.SystemRandom)]


def settle() -> int:
    """Seed every random generator with 0 and collect garbage: the snapshot's bytes stay the same
    from build to build. Returns how many generators there were."""
    _GENERATORS[:] = _generators()
    for generator in _GENERATORS:
        generator.seed(0)
    gc.collect()
    return len(_GENERATORS)


def refresh_imports() -> None:
    """Forget what the import system remembers of the standard library zip.

    The snapshot remembers the table of contents of the zip it was made with, and the restored
    interpreter has another file at that path (empty, then the full library if a rare path
    needs it): without this, an import would read at the wrong offsets.
    """
    import importlib
    import zipimport

    zipimport._zip_directory_cache.clear()  # type: ignore[attr-defined]
    sys.path_importer_cache.clear()
    importlib.invalidate_caches()


def restored() -> int:
    """Run right after a restore: refresh the imports, then seed every random generator from the
    browser's entropy. Returns how many generators were reseeded."""
    refresh_imports()
    generators = _GENERATORS or _generators()
    for generator in generators:
        generator.seed()
    return len(generators)
