"""How the memory snapshot travels: its non-zero stretches only, less what the runtime's own
WebAssembly file already holds, then gzip.

About half of the 31 MB memory image is long runs of zero bytes (the heap's unused space).
gzip shrinks them to almost nothing, but the browser still has to inflate every one of them,
byte by byte, on the worker's thread: inflating is what held Python's start back. So the build
writes only the stretches between runs of MIN_ZERO_RUN or more zero bytes, after a header that
says where each goes; the browser fills a zeroed image of the right size as the bytes arrive
(readImage in hooks/assets/snapshot-image.js, which the build's own check of the snapshot also
uses, so a reader that disagreed with this writer fails the build).

The image's first 3 MB are Python's static data, which the WebAssembly file carries too (its
data segments) and which hardly change (a few kB of 2.7 MB). So the build writes that stretch
XORed with the segments, zeros where nothing changed, which the zero runs then leave out and
gzip shrinks: 1.5 MB less to download. The browser reads the segments from the WebAssembly file
as it downloads anyway and XORs them back. Pyodide's magic number at the image's start is
inverted too, so an image that was not put back is refused by Pyodide itself (and Python starts
as usual), and a checksum of the restored stretch catches segments that are not the ones the
image was made with.

Layout, little-endian: MAGIC (8 bytes), the image's size (u32), the number of segments n (u32),
FLAGS (u32: 1 when XORed with data segments), the checksum (u32: of the restored stretch, 0
when not), n pairs (offset u32, length u32) in increasing order with no overlap, then the n
segments' bytes one after the other. The whole is gzipped with no name and no time, so the same
image gives the same bytes.
"""

from __future__ import annotations

import gzip
import io
import re
import struct
from pathlib import Path

MAGIC = b"AIHSNAP2"
MIN_ZERO_RUN = 4096  # shorter runs stay in (each segment costs the reader a copy of its own)
BASED = 1  # FLAGS: the static data is XORed with the WebAssembly file's data segments
_HEAD = struct.Struct("<8sIIII")
_PAIR = struct.Struct("<II")
_LIMIT = 1 << 32
_WASM_MAGIC = b"\0asm\x01\0\0\0"
_DATA_SECTION = 11

Segments = list[tuple[int, bytes]]  # (memory address, bytes) of each active data segment


class ImageError(ValueError):
    """Bytes that are not a packed image this reader understands."""


def _leb(data: bytes, at: int, signed: bool = False) -> tuple[int, int]:
    result = shift = 0
    while True:
        if at >= len(data) or shift > 35:
            raise ImageError("the WebAssembly file ends inside a number")
        byte = data[at]
        at += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            if signed and byte & 0x40:
                result -= 1 << shift
            return result, at


def data_segments(wasm: bytes) -> Segments:
    """The active data segments of a WebAssembly file: what its memory holds once instantiated.

    Only the forms an Emscripten build writes (a constant address, memory 0) are read; any other
    raises, and the build stops and says which (hooks/snapshot.py)."""
    if wasm[:8] != _WASM_MAGIC:
        raise ImageError("not a WebAssembly file")
    at, found = 8, []
    while at < len(wasm):
        section = wasm[at]
        size, at = _leb(wasm, at + 1)
        end = at + size
        if end > len(wasm):
            raise ImageError("the WebAssembly file ends inside a section")
        if section == _DATA_SECTION:
            count, at = _leb(wasm, at)
            for _ in range(count):
                kind, at = _leb(wasm, at)
                if kind == 1:  # passive: written by the program, not at instantiation
                    length, at = _leb(wasm, at)
                    at += length
                    continue
                if kind == 2:
                    memory, at = _leb(wasm, at)
                    if memory != 0:
                        raise ImageError("a data segment for a second memory")
                elif kind != 0:
                    raise ImageError(f"a data segment of kind {kind}")
                if wasm[at] != 0x41:  # i32.const
                    raise ImageError("a data segment whose address is not a constant")
                address, at = _leb(wasm, at + 1, signed=True)
                if wasm[at] != 0x0B:
                    raise ImageError("a data segment whose address is not a constant")
                length, at = _leb(wasm, at + 1)
                found.append((address, wasm[at : at + length]))
                at += length
            if at != end:
                raise ImageError("the data section's size disagrees with its segments")
        at = end
    return found


def _based_span(image: bytes | bytearray, base: Segments) -> tuple[int, int, int]:
    """Where the memory starts in the image (after Pyodide's own header), and the word-aligned
    stretch the segments cover."""
    if len(image) < 8 or not base:
        raise ImageError("no memory image or no data segments to XOR it with")
    start = struct.unpack_from("<I", image, 4)[0]
    first = min(address for address, _ in base)
    low, high = start + first, start + max(address + len(data) for address, data in base)
    if start % 4 or first < 0 or high > len(image):
        raise ImageError("the data segments fall outside the memory image")
    return start, low & ~3, min(len(image), (high + 3) & ~3)


def checksum(data: bytes | bytearray) -> int:
    """FNV-1a over 32-bit little-endian words: cheap in the browser, enough to tell the wrong
    segments from the right ones."""
    value = 0x811C9DC5
    for (word,) in struct.iter_unpack("<I", data[: len(data) // 4 * 4]):
        value = ((value ^ word) * 0x01000193) & 0xFFFFFFFF
    return value


def rebase(image: bytes, base: Segments) -> tuple[bytes, int]:
    """The image with its static data XORed with ``base`` and Pyodide's magic inverted, and the
    checksum of the stretch as it was. Applying it again (rebase is its own inverse) restores."""
    start, low, high = _based_span(image, base)
    out = bytearray(image)
    total = checksum(out[low:high])
    for address, data in base:
        at, end = start + address, start + address + len(data)
        xored = int.from_bytes(out[at:end], "little") ^ int.from_bytes(data, "little")
        out[at:end] = xored.to_bytes(len(data), "little")
    out[0:4] = bytes(b ^ 0xFF for b in out[0:4])
    return bytes(out), total


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


def pack(image: bytes, min_zero_run: int = MIN_ZERO_RUN, base: Segments = ()) -> bytes:
    """The image as the browser reads it (before gzip); with ``base``, its static data XORed
    with those data segments."""
    if len(image) >= _LIMIT:
        raise ImageError(f"a memory image of {len(image)} bytes does not fit a 32-bit size")
    flags, total = 0, 0
    if base:
        image, total = rebase(image, list(base))
        flags = BASED
    parts = segments(image, min_zero_run)
    head = _HEAD.pack(MAGIC, len(image), len(parts), flags, total) + b"".join(_PAIR.pack(*p) for p in parts)
    return head + b"".join(image[offset : offset + length] for offset, length in parts)


def unpack(packed: bytes, base: Segments = ()) -> bytes:
    """The image back (what readImage does in the browser; kept here for the tests)."""
    if len(packed) < _HEAD.size:
        raise ImageError("shorter than its header")
    magic, size, count, flags, total = _HEAD.unpack_from(packed)
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
    if flags & BASED:
        if not base:
            raise ImageError("it needs the WebAssembly file's data segments")
        restored, _ = rebase(bytes(image), list(base))
        _, low, high = _based_span(restored, list(base))
        if checksum(restored[low:high]) != total:
            raise ImageError("the data segments are not the ones it was made with (checksum)")
        return restored
    return bytes(image)


def write(raw: Path, target: Path, base: Segments = ()) -> None:
    """The memory image in ``raw``, packed (with ``base``, XORed with those data segments) and
    gzipped into ``target``."""
    target.write_bytes(gzip_deterministic(pack(raw.read_bytes(), base=base)))


def gzip_deterministic(data: bytes) -> bytes:
    """gzip with no name and no time in its header: the same input gives the same bytes."""
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as packed:
        packed.write(data)
    return out.getvalue()
