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
    assert len(packed) == 16 + 8 * len(snapshot_image.segments(image, min_zero_run)) + kept


def test_segments_leave_out_the_long_zero_runs_only() -> None:
    image = b"ab" + b"\0" * 10 + b"cd" + b"\0" * 3 + b"e" + b"\0" * 20
    assert snapshot_image.segments(image, 10) == [(0, 2), (12, 6)]
    assert snapshot_image.segments(b"\0" * 50, 10) == []
    assert snapshot_image.unpack(snapshot_image.pack(b"\0" * 50, 10)) == b"\0" * 50


def _packed(size: int, pairs: list[tuple[int, int]], body: bytes, magic: bytes = snapshot_image.MAGIC) -> bytes:
    return struct.pack("<8sII", magic, size, len(pairs)) + b"".join(struct.pack("<II", *p) for p in pairs) + body


BAD = {
    "unknown format": _packed(8, [(0, 2)], b"ab", magic=b"NOTSNAP1"),
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


def run_reader(tmp_path: Path, jobs: list[tuple[bytes, int]]) -> list[bytes | str]:
    """Each packed image read by the browser's reader in chunks of the given size: the image,
    or the reader's error message."""
    node = shutil.which("node")
    if node is None:
        skip_or_fail("node is not on PATH: install Node 20 to run the reader's tests")
    listed = []
    for index, (packed, chunk) in enumerate(jobs):
        (tmp_path / f"{index}.packed").write_bytes(packed)
        listed.append({"packed": str(tmp_path / f"{index}.packed"), "chunk": chunk, "out": str(tmp_path / f"{index}.image")})
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
