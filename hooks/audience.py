"""Audience blocks: ``/// patient`` and ``/// clinician`` hold text for one kind of reader.

Each renders as an open ``<details>`` whose ``<summary>`` is its label ("For patients", "For
clinicians"), so with JavaScript off (or in print) both views are there and each says who it is
for. ``team_fold`` wraps what only the clinical team acts on (a calculator) the same way.
``assets/audience.js`` runs the page toggle (Clinician, Patient, or both until the reader
chooses), remembers the choice and folds away, without removing, what the chosen view does not
need. The template shows the toggle on pages whose HTML holds ``MARKER``.

A page whose audience lists patient opens with a patient summary: a ``/// patient`` block before
its first section heading (best straight after the title). ``find_problems`` makes it an error
to leave it out, because the patient view begins with it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Any

from markdown import Markdown
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block

from . import scan
from .scan import mask
from .problems import Problem, error, warning

LABELS = {"patient": "For patients", "clinician": "For clinicians"}
MARKER = "data-audience-block"  # the template shows the toggle on pages that hold a block
FOLD = "data-audience-fold"  # on every foldable box: whose it is (patient, clinician, team)
TEAM_LABEL = "For your clinical team"
SUMMARY_CLASS = "audience--summary"
HEADING_RE = re.compile(r"^#{2,6}[ \t]")  # a section heading: the page's detail has begun
TITLE_RE = re.compile(r"^#[ \t]")


def fold(parent: etree.Element, owner: str, label: str, css: str) -> etree.Element:
    """An open ``<details>`` labelled by its ``<summary>``: JavaScript may close it, never remove it."""
    box = etree.SubElement(parent, "details", {"class": css, FOLD: owner, "open": "open"})
    summary = etree.SubElement(box, "summary", {"class": "audience__label"})
    summary.text = label
    return box


def team_fold(parent: etree.Element, what: str) -> etree.Element:
    """Wrap something only the clinical team acts on (a calculator): folded in the patient view."""
    return fold(parent, "team", f"{TEAM_LABEL}: {what}", "aih-team")


class AudienceBlock(Block):
    """Base of the two blocks: a labelled, foldable container whose body is ordinary Markdown."""

    ARGUMENT = False

    def on_create(self, parent: etree.Element) -> etree.Element:
        css = f"audience audience--{self.NAME}"
        if self.NAME == "patient" and _opens_page(parent, self.tracker):
            css += f" {SUMMARY_CLASS}"
        box = fold(parent, self.NAME, LABELS[self.NAME], css)
        box.set(MARKER, self.NAME)
        return box


def _opens_page(parent: etree.Element, tracker: dict[str, Any]) -> bool:
    """True for the page's first patient block when no section heading comes before it."""
    if tracker.get("summary_seen"):
        return False
    tracker["summary_seen"] = True
    return not any(child.tag in ("h2", "h3", "h4", "h5", "h6") for child in parent)


class PatientBlock(AudienceBlock):
    NAME = "patient"


class ClinicianBlock(AudienceBlock):
    NAME = "clinician"


class AudienceExtension(BlocksExtension):
    """Python-Markdown extension registering ``/// patient`` and ``/// clinician``."""

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: Any) -> None:
        block_mgr.register(PatientBlock, {})
        block_mgr.register(ClinicianBlock, {})


def makeExtension(**kwargs: Any) -> AudienceExtension:  # noqa: N802 (Python-Markdown's name)
    return AudienceExtension(**kwargs)


@dataclass(frozen=True)
class Found:
    line: int
    name: str


def blocks(markdown: str) -> list[Found]:
    """The audience blocks a page opens, with their lines (code is skipped)."""
    return [Found(b.line, b.name) for b in scan.blocks(markdown) if b.name in LABELS]


def find_problems(markdown: str, audience: list[str] | None = None) -> list[Problem]:
    """A title on an audience block, one nested in another, or patient text on a clinician-only page.

    ``audience`` is the page's front-matter list (default [clinician]).
    """
    problems = []
    for block in scan.blocks(markdown):
        name = block.name
        if name not in LABELS:
            continue
        if block.argument is not None:
            problems.append(error(block.line, f"a {name} block takes no title: write '/// {name}' alone on its line (its label is always '{LABELS[name]}')"))
        outer = next((n for n in reversed(block.within) if n in LABELS), None)
        if outer:
            problems.append(error(block.line, f"a {name} block cannot sit inside a {outer} block: close the {outer} block (///) first"))
    names = {found.name for found in blocks(markdown)}
    listed = audience or ["clinician"]
    if "patient" in names and "patient" not in listed:
        first = next(f.line for f in blocks(markdown) if f.name == "patient")
        problems.append(warning(first, "this page has text for patients but its front-matter audience does not list patient: add it (audience: [clinician, patient])"))
    if "patient" in listed:
        problems += _summary_problems(markdown)
    return problems


def _summary_problems(markdown: str) -> list[Problem]:
    """The patient view opens with the page's first patient block: it must come before the detail."""
    lines = mask(markdown).split("\n")
    title = next((n for n, line in enumerate(lines, start=1) if TITLE_RE.match(line)), 0)
    heading = next((n for n, line in enumerate(lines, start=1) if HEADING_RE.match(line)), None)
    first = next((f.line for f in blocks(markdown) if f.name == "patient"), None)
    where = "straight after the '# title' line" if title else "at the top of the page"
    if first is None:
        return [error(title or 1, f"the audience lists patient but the page has no patient summary: add a '/// patient' block {where} that says in plain words, without doses or figures, what the page means for a patient (or take patient out of audience)")]
    if heading is not None and heading < first:
        named = markdown.split("\n")[heading - 1].strip()
        return [error(first, f"the page's first patient block comes after the section heading '{named}', so the patient view does not open with it: move a plain-language summary ('/// patient' ... '///') up, {where}")]
    return []
