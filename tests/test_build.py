"""The strict build as a contributor meets it: broken content fails with file, line and fix."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import aihcalc
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent


def project_copy(tmp_path: Path, with_node_modules: bool = True) -> Path:
    """A copy of what the build reads, so a test can break it without touching the real tree."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("mkdocs.yml", "pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, copy / name)
    for name in ("content", "hooks", "src"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    if with_node_modules:
        if not (ROOT / "node_modules" / "pyodide").is_dir():
            skip_or_fail("node_modules missing: run npm ci")
        (copy / "node_modules").symlink_to(ROOT / "node_modules")
    return copy


def build(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(project / "src")}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "site")],
        cwd=project, capture_output=True, text=True, env=env, timeout=300,
    )


def test_missing_node_modules_fails_with_run_npm_ci(tmp_path: Path) -> None:
    proc = build(project_copy(tmp_path, with_node_modules=False))
    assert proc.returncode != 0
    assert "run npm ci" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unknown_calculator_fails_the_strict_build_with_file_and_line(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    page = project / "content" / "liver-scores.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.strip() == "/// calculator | meld")
    lines[number - 1] = "/// calculator | meld-4"
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = build(project)
    assert proc.returncode != 0
    assert f"content/liver-scores.md:{number}: unknown calculator 'meld-4'" in proc.stderr
    assert "python -m aihcalc list" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_calculator_citing_a_missing_reference_fails_the_build(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    bibliography = project / "content" / "bibliography.yaml"
    text = bibliography.read_text(encoding="utf-8")
    start = text.index("\nkim2021:")
    end = text.index("\npugh1973:")
    bibliography.write_text(text[:start] + text[end:], encoding="utf-8")
    proc = build(project)
    assert proc.returncode != 0
    assert "calculator 'meld-3' cites kim2021" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_real_site_builds_strictly_with_the_runtime_bundled(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    proc = build(project)
    assert proc.returncode == 0, proc.stderr
    site = project / "site"
    assert (site / "assets" / "pyodide" / "314.0.7" / "pyodide.asm.wasm").is_file()
    assert list((site / "assets" / "aihcalc").glob("aihcalc-*.whl"))
    # No page allows inline scripts wholesale: each one it holds is allowed by its hash.
    from hooks import bundle, csp

    for path in csp.page_files(site):
        text = path.read_text(encoding="utf-8")
        policy = csp.META_RE.search(text)
        assert policy is not None, path
        script_src = next(d for d in policy["policy"].split(";") if d.split()[0] == "script-src")
        assert "'unsafe-inline'" not in script_src, path
        assert all(csp.source_hash(s) in script_src for s in csp.inline_scripts(text)), path
    assert script_src.strip() in (site / "_headers").read_text(encoding="utf-8")
    for calc in aihcalc.all_calculators():
        assert (site / "calculators" / calc.id / "index.html").is_file(), f"no reference page for {calc.id}"
    assert (site / "calculators" / "index.html").is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    treatment = (site / "aih" / "first-line-treatment" / "index.html").read_text(encoding="utf-8")
    assert "calculators.js" not in home, "the module loads only on pages with a calculator"
    assert treatment.count('type="module" async src="../../assets/aihcalc/calculators.js"') == 1
    assert "fonts.googleapis.com" not in home and "fonts.gstatic.com" not in home
    assert "wasm-unsafe-eval" in treatment
    # The policy comes before any script; Python's worker starts before the stylesheets (an
    # inline script waits for every stylesheet above it).
    head = treatment[: treatment.index("</head>")]
    assert head.index("Content-Security-Policy") < head.index("<script")
    assert head.index("new Worker(") < head.index('rel="stylesheet"')
    # The site's own styles come as one file, its three parts joined in order.
    own = [href for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', head) if "/aihcalc/" in href]
    assert own == ["../../assets/aihcalc/site.css"]
    assert (site / "assets" / "aihcalc" / "site.css").read_text(encoding="utf-8") == bundle.stylesheet(ROOT / "hooks" / "assets")
    assert "Made with" not in home, "generator footer is off"


def test_two_clean_builds_are_byte_identical(tmp_path: Path) -> None:
    """A deploy that changes nothing uploads nothing: every file, the wheel included, repeats."""
    import filecmp
    import time

    project = project_copy(tmp_path)
    assert build(project).returncode == 0
    first = tmp_path / "first"
    (project / "site").rename(first)
    shutil.rmtree(project / "build", ignore_errors=True)  # the wheel is rebuilt, not reused
    time.sleep(2.1)  # past the 2-second resolution of a zip entry's time
    assert build(project).returncode == 0
    names = sorted(str(p.relative_to(first)) for p in first.rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(project / "site")) for p in (project / "site").rglob("*") if p.is_file())
    match, mismatch, errors = filecmp.cmpfiles(first, project / "site", names, shallow=False)
    assert (mismatch, errors) == ([], [])
