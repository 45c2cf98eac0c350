"""The writer's ways with big files: spliced from the last one, swapped in, the old one freed later."""

import os
import time

import pytest

from nianbao import write
from nianbao.write import STAGED, Writer, free_replaced


@pytest.fixture
def small_big(monkeypatch):
    """Every file counts as big, so the swap and the freeing run on small ones."""
    monkeypatch.setattr(write, "BIG", 1)


def _leftovers(root):
    return [p.name for p in root.rglob("*") if p.name.startswith(STAGED)]


def test_a_spliced_file_is_made_of_ranges_of_the_last_one_and_new_bytes(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data/all.json").write_bytes(b"[aaa,bbb,ccc]")
    writer = Writer(tmp_path)
    writer.splice("data/all.json", [(0, 5), b"XYZ", (8, 13)])
    assert (tmp_path / "data/all.json").read_bytes() == b"[aaa,bbb,ccc]"  # nothing changes before the commit
    writer.commit()
    assert (tmp_path / "data/all.json").read_bytes() == b"[aaa,XYZ,ccc]"
    assert _leftovers(tmp_path) == []


def test_a_splice_goes_through_memory_where_the_kernel_cannot_copy(tmp_path, monkeypatch):
    def cannot(*args):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "copy_file_range", cannot)
    (tmp_path / "all.json").write_bytes(b"[aaa,bbb,ccc]")
    writer = Writer(tmp_path)
    writer.splice("all.json", [(0, 5), b"XYZ", (8, 13)])
    writer.commit()
    assert (tmp_path / "all.json").read_bytes() == b"[aaa,XYZ,ccc]"


def test_a_splice_past_the_end_of_the_last_file_fails_and_leaves_it(tmp_path):
    (tmp_path / "all.json").write_bytes(b"short")
    writer = Writer(tmp_path)
    writer.splice("all.json", [(0, 50)])
    with pytest.raises(OSError):
        writer.commit()
    writer.discard()
    assert (tmp_path / "all.json").read_bytes() == b"short"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("detached", [False, True])
def test_a_big_file_is_swapped_in_and_the_old_one_freed_after(tmp_path, small_big, detached):
    (tmp_path / "big.json").write_bytes(b"old content")
    with open(tmp_path / "big.json", "rb") as reader:  # someone reading the old file meanwhile
        writer = Writer(tmp_path)
        writer.write("big.json", b"new content")
        writer.write("fresh.json", b"a file that was not there")
        writer.commit()
        assert (tmp_path / "big.json").read_bytes() == b"new content"
        assert (tmp_path / "fresh.json").read_bytes() == b"a file that was not there"
        assert reader.read() == b"old content"
    assert _leftovers(tmp_path) == []
    assert write._replaced  # the old file, open until freed
    assert _holding_old(tmp_path)
    free_replaced(detached=detached)
    assert write._replaced == []
    deadline = time.monotonic() + 5
    while _holding_old(tmp_path) and time.monotonic() < deadline:  # a thread closes it, or another process
        time.sleep(0.01)
    assert not _holding_old(tmp_path)


def _holding_old(root) -> bool:
    """Whether this process still has a replaced file under ``root`` open."""
    links = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            links.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            continue
    return any(link.startswith(str(root)) and link.endswith("(deleted)") for link in links)
