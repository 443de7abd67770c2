"""The one file mkdocs.yml names: wires MkDocs events to the modules that do the work.

Each hook is a few lines; the logic lives in widgets.py, references.py and bundle.py,
which are tested without MkDocs.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
for _path in (PROJECT, PROJECT / "src"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import aihcalc  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402

from hooks import bundle, reference_pages, widgets  # noqa: E402
from hooks.references import Bibliography, BibliographyError  # noqa: E402

log = logging.getLogger("mkdocs.hooks.aihcalc")
BIBLIOGRAPHY = "bibliography.yaml"
WHEEL_CACHE = PROJECT / "build" / "wheel"
_state: dict[str, Any] = {}


def on_config(config: Any) -> Any:
    try:
        bundle.pyodide_version(PROJECT / "node_modules")
    except bundle.BundleError as exc:
        raise PluginError(str(exc)) from None
    bibliography = _load_bibliography(Path(config["docs_dir"]) / BIBLIOGRAPHY)
    _check_calculator_references(bibliography)
    _state["bibliography"] = bibliography
    config["markdown_extensions"].append(widgets.CalculatorExtension(bibliography=bibliography))
    return config


def on_files(files: Files, config: Any) -> Files:
    """Add the generated calculator reference pages (one per declaration, and an index)."""
    today = dt.date.today()
    calculators = aihcalc.all_calculators()
    pages = {reference_pages.page_path(c.id): reference_pages.reference_markdown(c, today) for c in calculators}
    pages[f"{reference_pages.FOLDER}/index.md"] = reference_pages.index_markdown(calculators, today)
    for path, text in pages.items():
        files.append(File.generated(config, path, content=text))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    source = _source_path(config, page)
    for problem in widgets.find_problems(markdown):
        log.error("%s:%d: %s", source, problem.line + _front_matter_lines(page), problem.message)
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    if not widgets.page_has_calculator(html):
        return html
    url = get_relative_url(f"{bundle.ASSET_DIR}/calculators.js", page.url)
    return html + widgets.script_tag(url)


def on_post_build(config: Any) -> None:
    try:
        wheel = bundle.build_wheel(PROJECT, WHEEL_CACHE)
        runtime = bundle.bundle_runtime(PROJECT, Path(config["site_dir"]), wheel)
    except bundle.BundleError as exc:
        raise PluginError(str(exc)) from None
    log.info("bundled Pyodide %s and %s", runtime.pyodide_version, wheel.name)


def _source_path(config: Any, page: Any) -> str:
    """The page's file as a contributor sees it, relative to the project (content/...)."""
    path = Path(config["docs_dir"]) / page.file.src_uri
    try:
        return str(path.relative_to(PROJECT))
    except ValueError:
        return str(path)


def _front_matter_lines(page: Any) -> int:
    """MkDocs hands hooks the Markdown without its front-matter: add those lines back."""
    if page.file.generated_by:
        source = page.file.content_string
    else:
        source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    body = page.markdown or ""
    return source.count("\n") - body.count("\n") if body and source.endswith(body) else 0


def _load_bibliography(path: Path) -> Bibliography:
    try:
        return Bibliography.load(path)
    except (OSError, BibliographyError) as exc:
        raise PluginError(str(exc)) from None


def _check_calculator_references(bibliography: Bibliography) -> None:
    for calc in aihcalc.all_calculators():
        missing = bibliography.missing(set(calc.references))
        if missing:
            raise PluginError(
                f"calculator {calc.id!r} cites {', '.join(missing)}, which "
                f"{bibliography.path} does not hold: add the entry or fix the key in its declaration"
            )
