"""The one file mkdocs.yml names: wires MkDocs events to the modules that do the work.

Each hook is a few lines; the logic lives in the modules beside it (checks.py, build.py,
widgets.py, tables.py, citations.py, bundle.py, ...), which are tested without MkDocs.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

import aihcalc
import aihcalc.evidence
from hooks import access, bundle, checks, chrome, csp, embed, embed_kit, evidence_marks, evidence_page, offline, reference_pages, snapshot, tables, theme_loading, widgets
from hooks.build import Build
from hooks.problems import Problem

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent

log = logging.getLogger("mkdocs.hooks.aihcalc")
WHEEL_CACHE = PROJECT / "build" / "wheel"
SNAPSHOT_CACHE = PROJECT / "build" / "snapshot"
EDITORIAL_POLICY = "editorial-policy.md"
BLOCKS = "hooks.blocks"  # the page blocks' entry in mkdocs.yml's markdown_extensions
_build: Build | None = None  # set by on_config: one per build (mkdocs serve rebuilds)
_command = "build"  # build, gh-deploy or serve (on_startup)


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def _current() -> Build:
    if _build is None:
        raise PluginError("the aihcalc hooks run from on_config: is hooks/main.py listed under hooks?")
    return _build


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    try:
        bundle.pyodide_version(PROJECT / "node_modules")
    except bundle.BundleError as exc:
        raise PluginError(str(exc)) from None
    build = _build = Build.for_content(Path(config.docs_dir))
    # mkdocs.yml lists the blocks (/// calculator, decision-table, patient, clinician); the build
    # lends them its bibliography (docs_dir's, which replaces the path listed there for tools that
    # run without these hooks) and the page's reference numbers, so tables number as pages do.
    blocks_config = _listed_extension(config, BLOCKS)
    blocks_config.update(bibliography=build.bibliography, numbers=build.numbers, embed=_embed_site(config))
    _listed_extension(config, "hooks.access")  # wide tables: tab stops
    config.extra["aih_offline"] = _command != "serve"  # overrides/main.html: a saved copy would hide live edits
    _log_problems(build.bibliography_problems() + build.calculator_problems())
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages: one per calculator, their index, the contributor view, the evidence."""
    today = dt.date.today()
    calculators = aihcalc.all_calculators()
    uses = reference_pages.calculator_uses(Path(config.docs_dir))  # the guideline pages using each
    pages = {
        reference_pages.page_path(c.id): reference_pages.reference_markdown(c, today, uses.get(c.id, []))
        for c in calculators
    }
    pages[f"{reference_pages.FOLDER}/index.md"] = reference_pages.index_markdown(calculators, today, uses)
    pages[reference_pages.CONTRIBUTOR_PAGE] = reference_pages.contributor_markdown(calculators, today)
    pages[evidence_page.PAGE] = evidence_page.page_markdown(Path(config.docs_dir), _current().bibliography, today)
    for path, text in pages.items():
        files.append(File.generated(config, path, content=text))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _check_and_cite(markdown, page, config, files)  # hooks/checks.py, then citations


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not widgets.page_has_calculator(html):
        return html
    url = get_relative_url(f"{bundle.ASSET_DIR}/calculators.js", page.url)
    return html + widgets.script_tag(url)


def on_page_context(context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
    # The review badge, related questions and JSON-LD that overrides/main.html shows.
    context["aih"] = _page_chrome(page)  # type: ignore[typeddict-unknown-key]
    # A calculator's reference page names its oEmbed file (overrides/main.html's head).
    context["aih_oembed"] = embed.head_link(page.file.src_uri, _embed_site(config))  # type: ignore[typeddict-unknown-key]
    # A calculator page starts the worker from its head, so Python boots while the page is parsed.
    if page.content and widgets.page_has_calculator(page.content):
        context["aih_calculators"] = {  # type: ignore[typeddict-unknown-key]
            "worker": get_relative_url(f"{bundle.ASSET_DIR}/worker.js", page.url),
            "script": get_relative_url(f"{bundle.ASSET_DIR}/calculators.js", page.url),
        }
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    output = access.name_search_dialog(output)  # the theme's search dialog, named
    # The theme's scripts run after the first answer (hooks/theme_loading.py).
    loader = get_relative_url(f"{bundle.ASSET_DIR}/{theme_loading.LOADER}", page.url)
    try:
        return theme_loading.defer(output, loader)
    except theme_loading.ThemeMarkupChanged as exc:
        raise PluginError(f"{page.file.src_uri}: {exc}; update hooks/theme_loading.py") from None


def on_post_build(config: MkDocsConfig) -> None:
    _log_problems(_current().unused())  # bibliography entries nothing cites
    try:
        wheel = bundle.build_wheel(PROJECT, WHEEL_CACHE)
        # Python restored in the browser instead of started (hooks/snapshot.py); made and checked
        # under Node, cached until Pyodide or the calculators change.
        image = snapshot.make(PROJECT / "node_modules" / "pyodide", wheel, SNAPSHOT_CACHE)
        runtime = bundle.bundle_runtime(PROJECT, Path(config.site_dir), wheel, image)
    except (bundle.BundleError, snapshot.SnapshotError) as exc:
        raise PluginError(str(exc)) from None
    log.info("bundled Pyodide %s, %s and a %.0f MB Python snapshot", runtime.pyodide_version, wheel.name, image.image_bytes / 1e6)
    # The embed pages, under embed/<version>/ (hooks/embed.py); they carry their own policy.
    embeds = embed.publish(Path(config.site_dir), _embed_site(config), _current().bibliography, runtime, wheel)
    log.info("wrote %d embed pages", len(embeds))
    # Not under the dev server: its live-reload script is inline and unhashed, and a zip of some
    # 11 MB on every edit would slow it down.
    if _command != "serve":
        kit = embed_kit.write(Path(config.site_dir), _embed_site(config))
        if kit:
            log.info("offline embed kit: %s, %.1f MB", kit.name, kit.stat().st_size / 1e6)
        site = Path(config.site_dir)
        policy = csp.harden(site)  # script-src: the inline scripts' hashes, not 'unsafe-inline'
        (site / "_headers").write_text(csp.headers_file(policy, site, runtime.pyodide_dir), encoding="utf-8")
    # Last: the offline copy's manifest hashes every file as served (sw.js; under serve, one that retires).
    saved = offline.write(Path(config.site_dir), runtime.files(), aihcalc.__version__, retire=_command == "serve")
    if saved:
        log.info("offline copy: version %s, %d files, %.1f MB", saved.version, len(saved.entries), saved.size / 1e6)


def _embed_site(config: MkDocsConfig) -> embed.Site | None:
    """Where the embed snippets point: site_url (SITE_URL when deploying)."""
    return embed.Site.from_config(config.site_url, config.site_name)


def _listed_extension(config: MkDocsConfig, name: str) -> dict[str, Any]:
    """The options of a Markdown extension mkdocs.yml must list; a clear error when it does not."""
    if name not in config.markdown_extensions:
        raise PluginError(f"mkdocs.yml: add '{name}' under markdown_extensions (the site's pages need it)")
    options: dict[str, Any] = config.mdx_configs.setdefault(name, {})
    return options


def _source_path(config: MkDocsConfig, page: Page) -> str:
    """The page's file as a contributor sees it, and as python -m hooks.check names it (content/...)."""
    return checks.shown(Path(config.docs_dir).name, page.file.src_uri)


# --- Content checks and page chrome (hooks/build.py, checks.py, chrome.py) -----------------


def _check_and_cite(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Check the page's source (messages name its file and line); render its citations."""
    build = _current()
    build.files = files
    problems, rendered = build.page(
        page.file.content_string,
        markdown,
        file=_source_path(config, page),
        page=page.file.src_uri,
        known_pages={f.src_uri for f in files.documentation_pages()},
        lint_figures=not page.file.generated_by,  # generated pages restate their calculator's figures
        blocks=tables.page_citations(markdown),  # decision tables' sources join the page's list
    )
    _log_problems(problems)
    if isinstance(page.meta.get("summary"), str):
        page.meta.setdefault("description", page.meta["summary"])  # Material's <meta name="description">
    return rendered.markdown


def _log_problems(problems: list[Problem]) -> None:
    """Errors fail ``--strict``; warnings are shown but do not (python -m hooks.check --strict does)."""
    for problem in problems:
        if problem.level == "error":
            log.error("%s:%d: %s", problem.file, problem.line, problem.message)
        else:
            log.info("%s:%d: warning: %s", problem.file, problem.line, problem.message)


def _page_chrome(page: Page) -> dict[str, Any]:
    """What overrides/main.html shows around the content; links resolved through MkDocs' files."""
    build = _current()
    files = build.files
    rendered = build.rendered.get(page.file.src_uri)
    related = []
    listed = page.meta.get("related")
    for path in listed if isinstance(listed, list) else []:
        target = files.get_file_from_path(path) if files and isinstance(path, str) else None
        if target is not None and target.page is not None:
            text = target.page.meta.get("question") or target.page.title or path
            related.append({"text": str(text), "url": target.url_relative_to(page.file)})
    policy = files.get_file_from_path(EDITORIAL_POLICY) if files else None
    register_page = files.get_file_from_path(evidence_marks.EVIDENCE_PAGE) if files else None
    report = build.pages.get(page.file.src_uri)
    pending = evidence_marks.pending(
        report.evidence if report else [],
        aihcalc.evidence.register(),
        register_page.url_relative_to(page.file) if register_page else "",
    )
    return chrome.chrome(
        page.meta,
        url=page.canonical_url or "",
        entries=rendered.entries(build.bibliography) if rendered else [],
        related=related,
        policy_url=policy.url_relative_to(page.file) if policy and policy != page.file else "",
        pending=pending,
    )
