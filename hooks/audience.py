"""Audience blocks: ``/// patient`` and ``/// clinician`` hold text for one kind of reader.

Each renders as a labelled ``<div>`` ("For patients", "For clinicians"), so with JavaScript off
(or in print) both views are there and each says who it is for. ``assets/audience.js`` runs the
page toggle (Clinician, Patient, or both until the reader chooses) and remembers the choice;
``assets/content.css`` hides the other view from the ``data-audience`` attribute it sets on
``<html>``. The template shows the toggle on pages whose HTML holds ``MARKER``.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Any

from markdown import Markdown
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block

from .citations import BLOCK_RE, mask
from .frontmatter import Problem

LABELS = {"patient": "For patients", "clinician": "For clinicians"}
MARKER = "data-audience-block"  # the template shows the toggle on pages that hold a block


class AudienceBlock(Block):
    """Base of the two blocks: a labelled container whose body is ordinary Markdown."""

    ARGUMENT = False

    def on_create(self, parent: etree.Element) -> etree.Element:
        box = etree.SubElement(parent, "div", {"class": f"audience audience--{self.NAME}", MARKER: self.NAME})
        label = etree.SubElement(box, "p", {"class": "audience__label"})
        label.text = LABELS[self.NAME]
        return box


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
    found = []
    for number, line in enumerate(mask(markdown).split("\n"), start=1):
        match = BLOCK_RE.match(line)
        if match and match["name"] in LABELS:
            found.append(Found(number, match["name"]))
    return found


def find_problems(markdown: str, audience: list[str] | None = None) -> list[Problem]:
    """A title on an audience block, one nested in another, or patient text on a clinician-only page.

    ``audience`` is the page's front-matter list (default [clinician]).
    """
    problems = []
    stack: list[tuple[int, str | None]] = []  # (slashes, name) of the open blocks
    for number, line in enumerate(mask(markdown).split("\n"), start=1):
        match = BLOCK_RE.match(line)
        if not match:
            continue
        slashes, name = len(match["slashes"]), match["name"]
        if name is None:
            while stack and stack[-1][0] != slashes:
                stack.pop()
            if stack:
                stack.pop()
            continue
        if name in LABELS:
            if match["arg"] is not None:
                problems.append(Problem(number, f"a {name} block takes no title: write '/// {name}' alone on its line (its label is always '{LABELS[name]}')"))
            outer = next((n for _, n in reversed(stack) if n in LABELS), None)
            if outer:
                problems.append(Problem(number, f"a {name} block cannot sit inside a {outer} block: close the {outer} block (///) first"))
        stack.append((slashes, name))
    names = {found.name for found in blocks(markdown)}
    listed = audience or ["clinician"]
    if "patient" in names and "patient" not in listed:
        first = next(f.line for f in blocks(markdown) if f.name == "patient")
        problems.append(Problem(first, "this page has text for patients but its front-matter audience does not list patient: add it (audience: [clinician, patient])", "warning"))
    return problems
