"""The one writer of output files: atomic, skips unchanged bytes, stays inside its folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tdlc_syndication.outputs.write import write_files
from tdlc_syndication.pipeline.errors import PublishError


def test_writes_then_skips_unchanged(tmp_path: Path) -> None:
    first = write_files(tmp_path, {"a.txt": b"one", "sub/b.txt": b"two"})
    assert first.written == ["a.txt", "sub/b.txt"]
    before = (tmp_path / "a.txt").stat().st_mtime_ns
    second = write_files(tmp_path, {"a.txt": b"one", "sub/b.txt": b"two!"})
    assert second.unchanged == ["a.txt"]
    assert second.written == ["sub/b.txt"]
    assert (tmp_path / "a.txt").stat().st_mtime_ns == before
    assert (tmp_path / "sub/b.txt").read_bytes() == b"two!"
    assert not list(tmp_path.rglob("*.tmp"))


@pytest.mark.parametrize("bad", ["../evil.txt", "/etc/passwd", "a/../../b", "a\\b", ""])
def test_refuses_paths_outside(tmp_path: Path, bad: str) -> None:
    with pytest.raises(PublishError, match="outside the output folder"):
        write_files(tmp_path / "out", {bad: b"x"})


def test_refuses_symlink_escape(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(tmp_path, out / "link")
    with pytest.raises(PublishError):
        write_files(out, {"link/escaped.txt": b"x"})
    assert not (tmp_path / "escaped.txt").exists()


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(tmp_path, {"feed.xml": b"old"})

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(PublishError, match="No space left"):
        write_files(tmp_path, {"feed.xml": b"new"})
    assert (tmp_path / "feed.xml").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]
