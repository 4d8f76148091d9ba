"""The one writer of output files: atomic, skips unchanged bytes, stays inside its folder."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tdlc_syndication.outputs.write import atomic_write, write_files
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


def test_a_device_or_a_pipe_is_never_replaced(tmp_path: Path) -> None:
    """``metrics_file = "/dev/null"`` run as root replaced the machine's /dev/null with
    a plain file (the move over the target is a rename). A pipe stands in for a device
    where the test may not make one."""
    pipe = tmp_path / "metrics.prom"
    os.mkfifo(pipe)
    (tmp_path / "public").mkdir()
    os.mkfifo(tmp_path / "public" / "all.atom")
    with pytest.raises(OSError, match="a device or a pipe is there, not a file"):
        atomic_write(pipe, b"up 1\n")
    with pytest.raises(PublishError, match="a device or a pipe is there, not a file"):
        write_files(tmp_path / "public", {"all.atom": b"<feed/>", "other.atom": b"<feed/>"})
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert stat.S_ISFIFO(os.stat(tmp_path / "public" / "all.atom").st_mode)
    assert not list(tmp_path.rglob("*.tmp"))
    link = tmp_path / "link.prom"
    link.symlink_to(pipe)  # a link to a pipe is a pipe
    with pytest.raises(OSError, match="not a file"):
        atomic_write(link, b"up 1\n")
    atomic_write(tmp_path / "plain.prom", b"up 1\n")  # a new file, and one replaced
    atomic_write(tmp_path / "plain.prom", b"up 0\n")
    assert (tmp_path / "plain.prom").read_bytes() == b"up 0\n"


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(tmp_path, {"feed.xml": b"old"})

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(PublishError, match="No space left"):
        write_files(tmp_path, {"feed.xml": b"new"})
    assert (tmp_path / "feed.xml").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]


def test_a_disk_that_fills_mid_batch_leaves_no_part_written(tmp_path: Path) -> None:
    """The disk fills while a file is being written (a file size limit stands in for it):
    the publish fails, the files staged before it and the part of the one being written
    are removed, and the published files keep their bytes. The part written used to stay,
    as a hidden .tmp file on the disk that was already full."""
    write_files(tmp_path, {"feeds/all.atom": b"old atom", "index.html": b"old page"})
    program = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from tdlc_syndication.outputs.write import Batch\n"
        "from tdlc_syndication.pipeline.errors import PublishError\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))\n"
        "batch = Batch(Path(sys.argv[1]))\n"
        "batch.write('index.html', b'new page')\n"
        "try:\n"
        "    batch.write('feeds/all.atom', b'x' * 20000)\n"
        "except PublishError as exc:\n"
        "    batch.abort()\n"
        "    print(exc)\n"
    )
    full = subprocess.run(
        [sys.executable, "-c", program, str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert full.returncode == 0, full.stderr
    assert f"cannot write {tmp_path / 'feeds' / 'all.atom'}: [Errno 27] File too large" in (
        full.stdout
    )
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "feeds",
        "feeds/all.atom",
        "index.html",
    ]
    assert (tmp_path / "feeds" / "all.atom").read_bytes() == b"old atom"
    assert (tmp_path / "index.html").read_bytes() == b"old page"
