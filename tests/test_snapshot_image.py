"""The snapshot's packed form (hooks/snapshot_image.py) and the browser's reader of it
(hooks/assets/snapshot-image.js, run under Node): what one writes the other reads back, byte for
byte, however the bytes arrive; anything else is refused with a reason, never restored."""

from __future__ import annotations

import gzip
import json
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooks import snapshot_image
from tests.conftest import PROJECT_ROOT, skip_or_fail

READER = PROJECT_ROOT / "tests" / "node" / "read_snapshot_image.mjs"


def image_of(parts: list[tuple[int, bytes]]) -> bytes:
    """Zero runs and data, one after the other."""
    return b"".join(b"\0" * zeros + data for zeros, data in parts)


images = st.lists(st.tuples(st.integers(0, 9000), st.binary(max_size=300)), max_size=12).map(image_of)


@settings(max_examples=300, deadline=None)
@given(images, st.sampled_from([1, 16, 4096]))
def test_unpack_gives_back_what_pack_was_given(image: bytes, min_zero_run: int) -> None:
    packed = snapshot_image.pack(image, min_zero_run)
    assert snapshot_image.unpack(packed) == image
    # Only the zeros in runs of at least min_zero_run are left out.
    kept = sum(length for _, length in snapshot_image.segments(image, min_zero_run))
    assert len(packed) == 24 + 8 * len(snapshot_image.segments(image, min_zero_run)) + kept


def test_segments_leave_out_the_long_zero_runs_only() -> None:
    image = b"ab" + b"\0" * 10 + b"cd" + b"\0" * 3 + b"e" + b"\0" * 20
    assert snapshot_image.segments(image, 10) == [(0, 2), (12, 6)]
    assert snapshot_image.segments(b"\0" * 50, 10) == []
    assert snapshot_image.unpack(snapshot_image.pack(b"\0" * 50, 10)) == b"\0" * 50


def _packed(size: int, pairs: list[tuple[int, int]], body: bytes, magic: bytes = snapshot_image.MAGIC) -> bytes:
    return struct.pack("<8sIIII", magic, size, len(pairs), 0, 0) + b"".join(struct.pack("<II", *p) for p in pairs) + body


BAD = {
    "unknown format": _packed(8, [(0, 2)], b"ab", magic=b"AIHSNAP1"),
    "out of order": _packed(8, [(4, 2), (0, 2)], b"abcd"),
    "outside the image": _packed(8, [(6, 4)], b"abcd"),
    "empty": _packed(8, [(0, 0)], b""),
    "ends early": _packed(8, [(0, 4)], b"ab"),
    "after the last segment": _packed(8, [(0, 2)], b"abcd"),
}


@pytest.mark.parametrize("why", BAD)
def test_unpack_refuses_a_damaged_image_and_says_why(why: str) -> None:
    with pytest.raises(snapshot_image.ImageError, match=why):
        snapshot_image.unpack(BAD[why])


def test_the_written_file_is_the_same_for_the_same_image(tmp_path: Path) -> None:
    raw = tmp_path / "memory.bin"
    raw.write_bytes(b"\x00snp" + bytes(range(256)) * 40 + b"\0" * 20000 + b"tail")
    first, second = tmp_path / "a.snapshot", tmp_path / "b.snapshot"
    snapshot_image.write(raw, first)
    snapshot_image.write(raw, second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes()[4:8] == b"\0\0\0\0"  # no modification time in the gzip header
    assert snapshot_image.unpack(gzip.decompress(first.read_bytes())) == raw.read_bytes()
    assert len(gzip.decompress(first.read_bytes())) < len(raw.read_bytes()) - 19000  # the zero run stayed out


def run_reader(tmp_path: Path, jobs: list[tuple[bytes, int]], wasm: bytes | None = None) -> list[bytes | str]:
    """Each packed image read by the browser's reader in chunks of the given size (with the data
    segments of ``wasm``, read in chunks of that size too): the image, or the reader's error
    message."""
    node = shutil.which("node")
    if node is None:
        skip_or_fail("node is not on PATH: install Node 20 to run the reader's tests")
    listed = []
    if wasm is not None:
        (tmp_path / "runtime.wasm").write_bytes(wasm)
    for index, (packed, chunk) in enumerate(jobs):
        (tmp_path / f"{index}.packed").write_bytes(packed)
        listed.append({"packed": str(tmp_path / f"{index}.packed"), "chunk": chunk, "out": str(tmp_path / f"{index}.image")})
        if wasm is not None:
            listed[-1]["wasm"] = str(tmp_path / "runtime.wasm")
    (tmp_path / "jobs.json").write_text(json.dumps(listed), encoding="utf-8")
    proc = subprocess.run([node, str(READER), str(tmp_path / "jobs.json")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    outcomes = json.loads(proc.stdout)
    return [(tmp_path / f"{i}.image").read_bytes() if o is None else o for i, o in enumerate(outcomes)]


def test_the_browser_reader_reads_what_the_build_writes_however_it_arrives(tmp_path: Path) -> None:
    image = b"\x00snp" + bytes(range(256)) * 20 + b"\0" * 9000 + b"middle" * 100 + b"\0" * 5000 + b"end"
    packed = snapshot_image.pack(image)
    assert len(snapshot_image.segments(image)) == 3
    # One byte at a time (the header arrives in pieces), a chunk ending inside the segment
    # table, one spanning segments, and everything at once.
    sizes = [1, 7, 20, 1000, len(packed)]
    assert run_reader(tmp_path, [(packed, size) for size in sizes]) == [image] * len(sizes)


def test_the_browser_reader_refuses_what_the_python_reader_refuses(tmp_path: Path) -> None:
    answers = run_reader(tmp_path, [(packed, 3) for packed in BAD.values()])
    for why, answer in zip(BAD, answers):
        assert isinstance(answer, str) and "not in the form this worker reads" in answer and why in answer, (why, answer)


@settings(max_examples=25, deadline=None)
@given(st.lists(images, min_size=1, max_size=8), st.integers(1, 64))
def test_the_two_readers_agree_on_random_images(tmp_path_factory: pytest.TempPathFactory, batch: list[bytes], chunk: int) -> None:
    packed = [snapshot_image.pack(image, 64) for image in batch]
    assert run_reader(tmp_path_factory.mktemp("images"), [(p, chunk) for p in packed]) == batch


# The static data, XORed with the WebAssembly file's data segments.


def _uleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _sleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        done = (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40)
        out.append(byte | (0 if done else 0x80))
        if done:
            return bytes(out)


def _section(kind: int, body: bytes) -> bytes:
    return bytes([kind]) + _uleb(len(body)) + body


def wasm_with(active: list[tuple[int, bytes]], passive: list[bytes] = (), address_op: int = 0x41) -> bytes:
    """A WebAssembly file as Emscripten lays one out: a custom section first, code, then the data
    section with these segments (and passive ones, which instantiation does not write)."""
    data = [b"\0" + bytes([address_op]) + _sleb(a) + b"\x0b" + _uleb(len(d)) + d for a, d in active]
    data += [b"\x01" + _uleb(len(d)) + d for d in passive]
    return (
        b"\0asm\x01\0\0\0"
        + _section(0, _uleb(8) + b"dylink.0" + b"\x01\x04" + bytes(4))
        + _section(10, bytes(range(256)) * 50)
        + _section(11, _uleb(len(data)) + b"".join(data))
    )


STATIC = [(8, b"static data " * 40), (600, bytes(range(200)) * 3), (1300, b"\x07" * 5000)]


def memory_image(changes: dict[int, bytes] | None = None) -> bytes:
    """A Pyodide-like image: its magic, where memory starts (32), then memory as instantiation
    writes it from STATIC, with a few bytes since changed, and a heap further on."""
    start = 32
    memory = bytearray(9000)
    for address, data in STATIC:
        memory[address : address + len(data)] = data
    for address, data in (changes or {}).items():
        memory[address : address + len(data)] = data
    memory[7000:7100] = b"heap" * 25
    return b"\x00snp" + struct.pack("<I", start) + bytes(start - 8) + bytes(memory)


def test_data_segments_are_read_from_the_webassembly_file() -> None:
    wasm = wasm_with(STATIC, passive=[b"written later"])
    assert snapshot_image.data_segments(wasm) == STATIC
    with pytest.raises(snapshot_image.ImageError, match="not a constant"):
        snapshot_image.data_segments(wasm_with(STATIC, address_op=0x23))  # global.get
    with pytest.raises(snapshot_image.ImageError, match="not a WebAssembly file"):
        snapshot_image.data_segments(b"\x7fELF" + bytes(20))
    with pytest.raises(snapshot_image.ImageError, match="ends inside a section"):
        snapshot_image.data_segments(wasm[:-10])


def test_static_data_travels_as_what_changed_and_comes_back_whole() -> None:
    image = memory_image({20: b"changed", 1400: b"also changed"})
    plain, based = snapshot_image.pack(image, 64), snapshot_image.pack(image, 64, base=STATIC)
    assert len(based) < len(plain) - 5000  # the unchanged static data became zero runs
    assert snapshot_image.unpack(based, STATIC) == image
    with pytest.raises(snapshot_image.ImageError, match="needs the WebAssembly file"):
        snapshot_image.unpack(based)
    other = [(address, bytes(len(data))) for address, data in STATIC]
    with pytest.raises(snapshot_image.ImageError, match="checksum"):
        snapshot_image.unpack(based, other)
    # Not put back, the image would not even pass as Pyodide's: its magic is inverted.
    assert snapshot_image.unpack(_packed_unbased(based))[:4] != b"\x00snp"


def _packed_unbased(packed: bytes) -> bytes:
    """The same packed image with its flags cleared: read as it travels."""
    return packed[:16] + bytes(8) + packed[24:]


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.integers(0, 8990), st.binary(min_size=1, max_size=10), max_size=6))
def test_any_change_to_the_static_data_comes_back(changes: dict[int, bytes]) -> None:
    image = memory_image(changes)
    assert snapshot_image.unpack(snapshot_image.pack(image, 16, base=STATIC), STATIC) == image


def test_the_browser_puts_the_static_data_back_from_the_webassembly_download(tmp_path: Path) -> None:
    image = memory_image({20: b"changed"})
    based = snapshot_image.pack(image, 64, base=STATIC)
    # The file and the image each arriving a byte at a time, in odd chunks, and at once.
    sizes = [1, 13, 4096, 1 << 20]
    assert run_reader(tmp_path, [(based, size) for size in sizes], wasm_with(STATIC, [b"passive"])) == [image] * len(sizes)


def test_the_browser_refuses_to_put_back_what_does_not_fit(tmp_path: Path) -> None:
    based = snapshot_image.pack(memory_image(), 64, base=STATIC)
    other = wasm_with([(address, bytes(len(data))) for address, data in STATIC])
    for wasm, why in (
        (other, "checksum"),
        (wasm_with(STATIC, address_op=0x23), "not a constant"),
        (wasm_with([(8, b"x" * 20000)]), "outside the memory image"),
    ):
        [answer] = run_reader(tmp_path, [(based, 100)], wasm)
        assert isinstance(answer, str) and "not in the form this worker reads" in answer and why in answer, (why, answer)
    [answer] = run_reader(tmp_path, [(based, 100)])
    assert isinstance(answer, str) and "needs the WebAssembly file" in answer
