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

from hooks import bundle, reference_pages, tables, widgets  # noqa: E402
from hooks import access, audience, check, checks, frontmatter  # noqa: E402  (content: hooks/checks.py)
from hooks.references import Bibliography, BibliographyError  # noqa: E402

log = logging.getLogger("mkdocs.hooks.aihcalc")
BIBLIOGRAPHY = "bibliography.yaml"
WHEEL_CACHE = PROJECT / "build" / "wheel"
EDITORIAL_POLICY = "editorial-policy.md"
_state: dict[str, Any] = {}


def on_config(config: Any) -> Any:
    try:
        bundle.pyodide_version(PROJECT / "node_modules")
    except bundle.BundleError as exc:
        raise PluginError(str(exc)) from None
    bibliography = _load_bibliography(Path(config["docs_dir"]) / BIBLIOGRAPHY)
    _state["bibliography"] = bibliography
    config["markdown_extensions"].append(widgets.CalculatorExtension(bibliography=bibliography))
    _state["numbers"] = tables.CitationNumbers()  # the current page's, for its decision tables
    config["markdown_extensions"].append(
        tables.DecisionTableExtension(bibliography=bibliography, numbers=_state["numbers"])
    )
    config["markdown_extensions"].append(audience.AudienceExtension())  # /// patient, /// clinician
    config["markdown_extensions"].append(access.FocusableTablesExtension())  # wide tables: tab stops
    _state["content"] = _start_content_checks(config, bibliography)
    return config


def on_files(files: Files, config: Any) -> Files:
    """Add the generated calculator pages: one per declaration, an index, the contributor view."""
    today = dt.date.today()
    calculators = aihcalc.all_calculators()
    uses = reference_pages.calculator_uses(Path(config["docs_dir"]))  # the guideline pages using each
    pages = {
        reference_pages.page_path(c.id): reference_pages.reference_markdown(c, today, uses.get(c.id, []))
        for c in calculators
    }
    pages[f"{reference_pages.FOLDER}/index.md"] = reference_pages.index_markdown(calculators, today, uses)
    pages[reference_pages.CONTRIBUTOR_PAGE] = reference_pages.contributor_markdown(calculators, today)
    for path, text in pages.items():
        files.append(File.generated(config, path, content=text))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    return _check_and_cite(markdown, page, config, files)  # hooks/checks.py, then citations


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    if not widgets.page_has_calculator(html):
        return html
    url = get_relative_url(f"{bundle.ASSET_DIR}/calculators.js", page.url)
    return html + widgets.script_tag(url)


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    context["aih"] = _page_chrome(page)  # review badge, related questions, JSON-LD (overrides/main.html)
    return context


def on_post_page(output: str, page: Any, config: Any) -> str:
    return access.name_search_dialog(output)  # the theme's search dialog, named


def on_post_build(config: Any) -> None:
    _log_problems(_state["content"].unused())  # bibliography entries nothing cites
    try:
        wheel = bundle.build_wheel(PROJECT, WHEEL_CACHE)
        runtime = bundle.bundle_runtime(PROJECT, Path(config["site_dir"]), wheel)
    except bundle.BundleError as exc:
        raise PluginError(str(exc)) from None
    log.info("bundled Pyodide %s and %s", runtime.pyodide_version, wheel.name)


def _source_path(config: Any, page: Any) -> str:
    """The page's file as a contributor sees it, and as python -m hooks.check names it (content/...)."""
    return checks.shown(Path(config["docs_dir"]).name, page.file.src_uri)


def _load_bibliography(path: Path) -> Bibliography:
    """The bibliography, or an empty one when it cannot be loaded: the checks report why, by line."""
    try:
        return Bibliography.load(path)
    except (OSError, BibliographyError):
        return Bibliography({}, path)


# --- Content checks and page chrome (hooks/check.py, citations.py, frontmatter.py) ---------


def _start_content_checks(config: Any, bibliography: Bibliography) -> check.Build:
    path = Path(config["docs_dir"]) / BIBLIOGRAPHY
    build = check.Build(bibliography, path, checks.shown(path.parent.name, BIBLIOGRAPHY))
    _log_problems(build.bibliography_problems() + build.calculator_problems())
    return build


def _check_and_cite(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Check the page's source (messages name its file and line); render its citations."""
    _state["files"] = files
    problems, rendered = _state["content"].page(
        page.file.content_string,
        markdown,
        file=_source_path(config, page),
        page=page.file.src_uri,
        known_pages={f.src_uri for f in files.documentation_pages()},
        lint_figures=not page.file.generated_by,  # generated pages restate their calculator's figures
        blocks=tables.page_citations(markdown),  # decision tables' sources join the page's list
    )
    _log_problems(problems)
    _state["numbers"].numbers = {key: n for n, key in enumerate(rendered.keys, start=1)}
    _state.setdefault("rendered", {})[page.file.src_uri] = rendered
    if isinstance(page.meta.get("summary"), str):
        page.meta.setdefault("description", page.meta["summary"])  # Material's <meta name="description">
    return rendered.markdown


def _log_problems(problems: list[Any]) -> None:
    """Errors fail ``--strict``; warnings are shown but do not (python -m hooks.check --strict does)."""
    for problem in problems:
        if problem.level == "error":
            log.error("%s:%d: %s", problem.file, problem.line, problem.message)
        else:
            log.info("%s:%d: warning: %s", problem.file, problem.line, problem.message)


def _page_chrome(page: Any) -> dict[str, Any]:
    """What overrides/main.html shows around the content; links resolved through MkDocs' files."""
    files = _state.get("files")
    rendered = _state.get("rendered", {}).get(page.file.src_uri)
    related = []
    listed = page.meta.get("related")
    for path in listed if isinstance(listed, list) else []:
        target = files.get_file_from_path(path) if files and isinstance(path, str) else None
        if target is not None and target.page is not None:
            text = target.page.meta.get("question") or target.page.title or path
            related.append({"text": str(text), "url": target.url_relative_to(page.file)})
    policy = files.get_file_from_path(EDITORIAL_POLICY) if files else None
    return frontmatter.chrome(
        page.meta,
        url=page.canonical_url or "",
        entries=rendered.entries(_state["bibliography"]) if rendered else [],
        related=related,
        policy_url=policy.url_relative_to(page.file) if policy and policy != page.file else "",
    )

