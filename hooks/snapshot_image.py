"""How the memory snapshot travels: its non-zero stretches only, then gzip.

About half of the 31 MB memory image is long runs of zero bytes (the heap's unused space).
gzip shrinks them to almost nothing, but the browser still has to inflate every one of them,
byte by byte, on the worker's thread: inflating is what held Python's start back. So the build
writes only the stretches between runs of MIN_ZERO_RUN or more zero bytes, after a header that
says where each goes; the browser fills a zeroed image of the right size as the bytes arrive
(readImage in hooks/assets/snapshot-image.js, which the build's own check of the snapshot also
uses, so a reader that disagreed with this writer fails the build).

Layout, little-endian: MAGIC (8 bytes), the image's size (u32), the number of segments n (u32),
n pairs (offset u32, length u32) in increasing order with no overlap, then the n segments' bytes
one after the other. The whole is gzipped with no name and no time, so the same image gives the
same bytes.
"""

from __future__ import annotations

import gzip
import io
import re
import struct
from pathlib import Path

MAGIC = b"AIHSNAP1"
MIN_ZERO_RUN = 4096  # shorter runs stay in (each segment costs the reader a copy of its own)
_HEAD = struct.Struct("<8sII")
_PAIR = struct.Struct("<II")
_LIMIT = 1 << 32


class ImageError(ValueError):
    """Bytes that are not a packed image this reader understands."""


def segments(image: bytes, min_zero_run: int = MIN_ZERO_RUN) -> list[tuple[int, int]]:
    """(offset, length) of each stretch between runs of at least ``min_zero_run`` zero bytes."""
    found, start = [], 0
    for run in re.finditer(rb"\x00{%d,}" % min_zero_run, image):
        if run.start() > start:
            found.append((start, run.start() - start))
        start = run.end()
    if start < len(image):
        found.append((start, len(image) - start))
    return found


def pack(image: bytes, min_zero_run: int = MIN_ZERO_RUN) -> bytes:
    """The image as the browser reads it (before gzip)."""
    if len(image) >= _LIMIT:
        raise ImageError(f"a memory image of {len(image)} bytes does not fit a 32-bit size")
    parts = segments(image, min_zero_run)
    head = _HEAD.pack(MAGIC, len(image), len(parts)) + b"".join(_PAIR.pack(*p) for p in parts)
    return head + b"".join(image[offset : offset + length] for offset, length in parts)


def unpack(packed: bytes) -> bytes:
    """The image back (what readImage does in the browser; kept here for the tests)."""
    if len(packed) < _HEAD.size:
        raise ImageError("shorter than its header")
    magic, size, count = _HEAD.unpack_from(packed)
    if magic != MAGIC:
        raise ImageError(f"unknown format {magic[:8]!r}")
    body = _HEAD.size + count * _PAIR.size
    if len(packed) < body:
        raise ImageError("its segment table is cut short")
    image, end, at = bytearray(size), 0, body
    for index in range(count):
        offset, length = _PAIR.unpack_from(packed, _HEAD.size + index * _PAIR.size)
        if length == 0 or offset < end or offset + length > size:
            raise ImageError(f"segment {index} is empty, out of order or outside the image")
        if at + length > len(packed):
            raise ImageError("it ends early")
        image[offset : offset + length] = packed[at : at + length]
        end, at = offset + length, at + length
    if at != len(packed):
        raise ImageError("bytes after the last segment")
    return bytes(image)


def write(raw: Path, target: Path) -> None:
    """The memory image in ``raw``, packed and gzipped into ``target``."""
    target.write_bytes(gzip_deterministic(pack(raw.read_bytes())))


def gzip_deterministic(data: bytes) -> bytes:
    """gzip with no name and no time in its header: the same input gives the same bytes."""
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as packed:
        packed.write(data)
    return out.getvalue()
