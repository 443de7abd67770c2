"""The offline embed kit: one zip holding a version's embed folder and a README, for a hospital
intranet with no internet that wants the calculators on its own pages.

The embed folder needs nothing outside itself (its pages load only ``../assets/``, with their own
copy of Pyodide), so unpacked under any web server it serves the same frames and the same
``<aihcalc-calculator>`` element as the published site. The zip is the same bytes for the same
folder: entries sorted, with a fixed date and mode, so two builds stay identical.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import aihcalc

from . import widgets
from .embed import ELEMENT_SCRIPT, FOLDER, ELEMENT_TAG, HOST_SCRIPT, Site

README = "README.txt"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold: no build's clock in the bytes
# Files that are compressed already: stored as they are, which is faster and no larger.
STORED_SUFFIXES = (".zip", ".whl", ".png", ".snapshot")  # compressed already


def kit_path(site_dir: Path, site: Site) -> Path:
    """Where the build writes the kit: beside the version's folder, under embed/ (its URL is
    Site.kit_url)."""
    return site_dir / FOLDER / f"{site.kit_name}.zip"


def readme(site: Site) -> str:
    return widgets.template("embed_kit_readme.txt").render(
        site=site,
        calculators=aihcalc.all_calculators(),
        element_script=ELEMENT_SCRIPT,
        host_script=HOST_SCRIPT,
        tag=ELEMENT_TAG,
    )


def write(site_dir: Path, site: Site | None) -> Path | None:
    """Zip this version's embed folder (as publish left it) with the README; the zip's path."""
    if site is None:
        return None
    root = site_dir / site.folder
    if not root.is_dir():
        return None
    target = kit_path(site_dir, site)
    top = site.kit_name
    files = sorted(p for p in root.rglob("*") if p.is_file())
    with zipfile.ZipFile(target, "w") as kit:
        _add(kit, f"{top}/{README}", readme(site).encode("utf-8"))
        for path in files:
            name = f"{top}/{path.relative_to(site_dir).as_posix()}"
            _add(kit, name, path.read_bytes())
    return target


def _add(kit: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
    info.external_attr = 0o644 << 16
    info.create_system = 3  # Unix, whatever machine builds it
    stored = name.endswith(STORED_SUFFIXES)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    kit.writestr(info, data, compresslevel=None if stored else 6)
