"""The offline embed kit (hooks/embed_kit.py): one zip per version, the embed folder and a README."""

from __future__ import annotations

import zipfile
from pathlib import Path

import aihcalc
from hooks import embed, embed_kit
from tests.test_embed import SITE, VERSION, published  # noqa: F401  (published: fixture)


def kit(site_dir: Path) -> zipfile.ZipFile:
    path = embed_kit.write(site_dir, SITE)
    assert path == site_dir / "embed" / f"aihcalc-embed-{VERSION}.zip" and path.is_file()
    return zipfile.ZipFile(path)


def test_the_kit_holds_the_whole_version_folder_and_a_readme(published: tuple[Path, list[Path]]) -> None:
    site, _ = published
    top = f"aihcalc-embed-{VERSION}"
    expected = {f"{top}/{p.relative_to(site).as_posix()}" for p in (site / "embed" / VERSION).rglob("*") if p.is_file()}
    with kit(site) as zipped:
        names = zipped.namelist()
        assert set(names) == expected | {f"{top}/README.txt"}
        assert len(names) == len(set(names))
        for calc in aihcalc.all_calculators():
            assert f"{top}/embed/{VERSION}/{calc.id}/index.html" in names
        assert f"{top}/embed/{VERSION}/{embed.ELEMENT_SCRIPT}" in names and f"{top}/embed/{VERSION}/{embed.HOST_SCRIPT}" in names
        page = site / "embed" / VERSION / "meld" / "index.html"
        assert zipped.read(f"{top}/embed/{VERSION}/meld/index.html") == page.read_bytes()


def test_the_readme_gives_both_snippets_the_policy_and_every_calculator(published: tuple[Path, list[Path]]) -> None:
    site, _ = published
    with kit(site) as zipped:
        text = zipped.read(f"aihcalc-embed-{VERSION}/README.txt").decode("utf-8")
    assert f'<iframe src="BASEembed/{VERSION}/ID/"' in text
    assert f'<script type="module" src="BASEembed/{VERSION}/element.js"></script>' in text
    assert '<aihcalc-calculator calculator="ID"></aihcalc-calculator>' in text
    assert "application/wasm" in text and "Access-Control-Allow-Origin: *" in text
    assert "worker-src blob: ORIGIN" in text and "'wasm-unsafe-eval'" in text
    for calc in aihcalc.all_calculators():
        assert f"  {calc.id}" in text and calc.title in text
    assert "{{" not in text and "{%" not in text


def test_the_kit_is_the_same_bytes_for_the_same_folder(published: tuple[Path, list[Path]]) -> None:
    site, _ = published
    first = embed_kit.write(site, SITE).read_bytes()
    for path in (site / "embed" / VERSION).rglob("*"):
        path.touch()  # a later clock on every file
    assert embed_kit.write(site, SITE).read_bytes() == first
    with zipfile.ZipFile(embed_kit.kit_path(site, SITE)) as zipped:
        assert {info.date_time for info in zipped.infolist()} == {embed_kit.FIXED_DATE}
        assert zipped.testzip() is None


def test_no_kit_without_an_address_or_an_embed_folder(tmp_path: Path) -> None:
    assert embed_kit.write(tmp_path, None) is None
    assert embed_kit.write(tmp_path, SITE) is None
    assert not (tmp_path / "embed").exists()


def test_the_kit_link_is_absolute_and_pinned() -> None:
    assert SITE.kit_url() == f"https://aih.example.org/guide/embed/aihcalc-embed-{VERSION}.zip"
