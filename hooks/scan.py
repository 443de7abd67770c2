"""One reading of a page's Markdown: its ``///`` blocks, its citations and its code spans.

Every check and renderer in hooks/ reads pages through this module, so fenced and indented
code, HTML comments and the bodies of calculator and decision-table blocks (data, not prose)
are recognised once, the same way for all. Line numbers are 1-based lines of the text given.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

KEY = r"[A-Za-z0-9_](?:[\w:.+/-]*\w)?"
# ``[`` then ``@`` (spaces allowed), up to ``]`` on the same paragraph; not escaped, not a link.
EVIDENCE_ID = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
# ``[=entry-id]``: the figure just before it rests on that entry of the evidence register.
EVIDENCE_RE = re.compile(r"(?<![\\!])\[=(?P<id>[^\[\]\n]*)\](?![(\[])")
CITATION_RE = re.compile(r"(?<![\\!])\[[ \t]*(@(?:[^\[\]\n]|\n(?![ \t]*\n))*?)\](?![(\[])")
ITEM_RE = re.compile(rf"\s*@(?P<key>{KEY})\s*(?:,\s*(?P<locator>[^;,\s][^;]*?))?\s*")
BLOCK_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<slashes>/{3,})[ \t]*(?P<name>[A-Za-z][\w-]*)?(?:[ \t]*\|[ \t]*(?P<arg>.*?))?[ \t]*$")
OPTION_RE = re.compile(r"^[ ]{4,}(?P<key>[\w-]+)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")
FENCE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
CONTAINER_RE = re.compile(r"^[ ]{0,3}(?:[-*+][ \t]|\d{1,9}[.)][ \t]|[!?]{3}\+?[ \t]|\[\^[^\]]+\]:|:[ \t])")
COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
CODE_SPAN_RE = re.compile(r"(?<![\\`])(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t]*\n")
# Blocks whose body is data the block reads itself (an id, TOML), not Markdown.
RAW_BLOCKS = frozenset({"calculator", "decision-table", "embed", "embed-kit"})


@dataclass(frozen=True)
class Block:
    """One ``/// name | argument`` block as written."""

    name: str
    argument: str | None  # None: no ``|`` at all
    line: int
    slashes: int
    body: str = ""  # after the options
    body_line: int = 0
    options: dict[str, str] = field(default_factory=dict)
    closed: bool = True
    within: tuple[str, ...] = ()  # the names of the blocks around it, outermost first
    within_slashes: tuple[int, ...] = ()  # and how many slashes each was opened with


@dataclass(frozen=True)
class Cite:
    key: str
    locator: str = ""


@dataclass(frozen=True)
class Citation:
    """One bracket as written: where it is (offsets into the text, 1-based line) and what it cites."""

    line: int
    start: int
    end: int
    text: str
    items: tuple[Cite, ...]  # empty when malformed

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.items]


@dataclass(frozen=True)
class CodeSpan:
    line: int
    start: int
    end: int


# --- Lines: code, block markers, prose ----------------------------------------------------

CODE, RAW, TEXT, BLANK = "code", "raw", "text", "blank"


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    kind: str  # CODE (fenced or indented), RAW (a raw block, marker lines included), TEXT, BLANK
    marker: re.Match[str] | None = None  # a ``///`` line outside code


def lines(markdown: str, raw_blocks: Collection[str] = RAW_BLOCKS) -> Iterator[Line]:
    """Each line with what it is: the one place fences, indented code and raw blocks are told apart."""
    fence: tuple[str, int] | None = None
    raw: int | None = None  # the slashes of the open raw block
    prev_blank, in_code, container = True, False, False
    for number, line in enumerate(markdown.split("\n"), start=1):
        if fence is not None:
            stripped = line.strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= fence[1]:
                fence = None
            yield Line(number, line, CODE)
            continue
        if raw is not None:
            closing = BLOCK_RE.match(line)
            if closing and closing["name"] is None and closing["arg"] is None and len(closing["slashes"]) == raw:
                raw = None
                yield Line(number, line, RAW, closing)
            else:
                yield Line(number, line, RAW)
            continue
        opened = FENCE_RE.match(line)
        if opened and not (opened["fence"][0] == "`" and "`" in opened["info"]):
            fence = (opened["fence"][0], len(opened["fence"]))
            prev_blank = in_code = False
            yield Line(number, line, CODE)
            continue
        if not line.strip():
            prev_blank = True
            yield Line(number, line, BLANK)
            continue
        indent = len(line.expandtabs(4)) - len(line.lstrip())
        if indent >= 4 and (in_code or (prev_blank and not container)):
            in_code, prev_blank = True, False
            yield Line(number, line, CODE)  # an indented code block
            continue
        in_code = prev_blank = False
        marker = BLOCK_RE.match(line)
        if marker and marker["name"] in raw_blocks:
            raw = len(marker["slashes"])
            yield Line(number, line, RAW, marker)
            continue
        if CONTAINER_RE.match(line):
            container = True
        elif indent == 0:
            container = False
        yield Line(number, line, TEXT, marker)


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def mask(markdown: str, raw_blocks: Collection[str] = RAW_BLOCKS) -> str:
    """The text with code, comments and raw blocks blanked (same length, same lines).

    Offsets and line numbers in the result are those of the input, so anything found in the
    masked text can be reported, or replaced, in the original.
    """
    text = "\n".join(_blank(ln.text) if ln.kind in (CODE, RAW) else ln.text for ln in lines(markdown, raw_blocks))
    text = COMMENT_RE.sub(lambda m: _blank(m.group()), text)
    for span in code_spans(text):
        text = text[:span.start] + _blank(text[span.start:span.end]) + text[span.end:]
    return text


def code_spans(text: str) -> list[CodeSpan]:
    """Inline code, paragraph by paragraph (it cannot run across a blank line)."""
    found = []
    last = 0
    for part_end, next_start in [(b.start(), b.end()) for b in PARAGRAPH_BREAK_RE.finditer(text)] + [(len(text), len(text))]:
        for match in CODE_SPAN_RE.finditer(text, last, part_end):
            found.append(CodeSpan(text.count("\n", 0, match.start()) + 1, match.start(), match.end()))
        last = next_start
    return found


# --- Blocks --------------------------------------------------------------------------------


def blocks(markdown: str) -> list[Block]:
    """Every ``///`` block outside code, in page order, with its options, body and enclosing blocks."""
    found: list[Block] = []
    scanned = list(lines(markdown))
    commented = _commented_lines(scanned)  # a marker in an HTML comment is not one
    source = markdown.split("\n")
    open_blocks: list[tuple[int, Block]] = []  # (index in found, block so far)
    raw: tuple[Block, list[str]] | None = None
    for ln in scanned:
        if ln.marker is not None and ln.number in commented:
            continue
        if raw is not None:
            if ln.marker is not None:  # the raw block's closing line
                found.append(_finish(raw[0], raw[1], closed=True))
                raw = None
            else:
                raw[1].append(ln.text)
            continue
        if ln.marker is None:
            continue
        slashes, name = len(ln.marker["slashes"]), ln.marker["name"]
        if name is None:
            while open_blocks and open_blocks[-1][1].slashes != slashes:
                open_blocks.pop()
            if open_blocks:
                index, block = open_blocks.pop()
                found[index] = _finish(block, source[block.line:ln.number - 1], closed=True)
            continue
        arg = ln.marker["arg"]
        block = Block(name, arg.strip() if arg is not None else None, ln.number, slashes,
                      within=tuple(b.name for _, b in open_blocks),
                      within_slashes=tuple(b.slashes for _, b in open_blocks))
        if ln.kind == RAW:
            raw = (block, [])
        else:
            open_blocks.append((len(found), block))
            found.append(block)
    if raw is not None:
        found.append(_finish(raw[0], raw[1], closed=False))
    for index, block in open_blocks:
        found[index] = _finish(block, source[block.line:], closed=False)
    return sorted(found, key=lambda b: b.line)


def _commented_lines(scanned: list[Line]) -> set[int]:
    """Lines inside an HTML comment outside code (a raw block's body is data, but is kept)."""
    text = "\n".join(_blank(ln.text) if ln.kind == CODE else ln.text for ln in scanned)
    numbers: set[int] = set()
    for match in COMMENT_RE.finditer(text):
        first = text.count("\n", 0, match.start()) + 1
        numbers.update(range(first, first + match.group().count("\n") + 1))
    return numbers


def _finish(block: Block, body: list[str], *, closed: bool) -> Block:
    """The block with its options (indented ``key: value`` lines right after the marker) and body."""
    options: dict[str, str] = {}
    taken = 0
    for line in body:
        option = OPTION_RE.match(line)
        if option is None:
            break
        options[option["key"]] = option["value"]
        taken += 1
    return Block(
        block.name, block.argument, block.line, block.slashes, "\n".join(body[taken:]),
        block.line + 1 + taken, options, closed, block.within, block.within_slashes,
    )


# --- Citations -----------------------------------------------------------------------------


def cites(inner: str) -> tuple[Cite, ...]:
    """The items of one bracket's inside (``@a; @b, Table 4``); empty when any is malformed."""
    items = []
    for part in inner.split(";"):
        item = ITEM_RE.fullmatch(part)
        if item is None:
            return ()
        items.append(Cite(item["key"], (item["locator"] or "").strip()))
    return tuple(items)


def citations(markdown: str) -> list[Citation]:
    """Every citation bracket outside code, in order, parsed (``items`` empty when malformed)."""
    masked = mask(markdown)
    return [
        Citation(
            markdown.count("\n", 0, match.start()) + 1,
            match.start(),
            match.end(),
            markdown[match.start():match.end()],
            cites(match.group(1)),
        )
        for match in CITATION_RE.finditer(masked)
    ]


@dataclass(frozen=True)
class EvidenceMark:
    """``[=id]`` in the text: ties the figure before it to an evidence register entry."""

    line: int
    start: int
    end: int
    id: str

    @property
    def well_formed(self) -> bool:
        return re.fullmatch(EVIDENCE_ID, self.id) is not None


def evidence_marks(markdown: str) -> list[EvidenceMark]:
    """Every ``[=id]`` outside code and raw blocks, in order."""
    masked = mask(markdown)
    return [
        EvidenceMark(markdown.count("\n", 0, m.start()) + 1, m.start(), m.end(), m["id"])
        for m in EVIDENCE_RE.finditer(masked)
    ]


def cited_keys(found: list[Citation]) -> list[str]:
    """Keys in order of first citation: the numbering of a reference list."""
    order: dict[str, None] = {}
    for citation in found:
        for cite in citation.items:
            order.setdefault(cite.key, None)
    return list(order)
