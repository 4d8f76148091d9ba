"""The only code that writes output files.

Each file is written to a temporary file in the same folder (``.<name>.<random>.tmp``),
flushed to disk, then moved over the old one with ``os.replace``: a reader sees the old
file or the new one, never half of one. A :class:`Batch` does the same for many files
with one flush to disk for all of them (of the filesystem that holds them, not of every
disk of the machine). Files whose bytes did not change are not touched
(their mtime stays, so HTTP validators stay valid). Paths that would escape the output
folder are refused. Temporary files a killed process left behind are removed by
:func:`remove_leftovers`.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from tdlc_syndication.config.files import is_special
from tdlc_syndication.pipeline.errors import PublishError


@dataclass(slots=True)
class WriteReport:
    """What ``write_files`` did: paths written and left alone, and every file's hash."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)


def safe_target(root: Path, relpath: str) -> Path:
    """The absolute path of ``relpath`` inside ``root``.

    Raises:
        PublishError: the path is absolute, has '..' parts or otherwise leaves ``root``.
    """
    pure = PurePosixPath(relpath)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in relpath:
        raise PublishError(f"refused to write {relpath!r}: outside the output folder")
    target = (root / Path(*pure.parts)).resolve()
    base = root.resolve()
    if base != target and base not in target.parents:
        raise PublishError(f"refused to write {relpath!r}: outside the output folder")
    return target


class Batch:
    """Files written as one batch: each goes to a temporary file beside its target;
    :meth:`commit` flushes them all to disk at once (:func:`flush_filesystems`) and then
    moves each over its target (so a reader never sees a file whose bytes are not on disk
    yet)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._moves: list[tuple[str, Path]] = []

    def write(self, relpath: str, data: bytes) -> bool:
        """Stage one file; False when the published file already has these bytes.

        Raises:
            PublishError: the path escapes the folder or the disk refuses the write.
        """
        target = safe_target(self.root, relpath)
        try:
            check_replaceable(target)
            same_size = target.is_file() and target.stat().st_size == len(data)
            if same_size and target.read_bytes() == data:
                return False
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        except OSError as exc:
            raise PublishError(f"cannot write {target}: {exc}") from exc
        self._moves.append((tmp, target))  # removed by abort(), if this write fails too
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o644)
        except OSError as exc:  # a full disk: the part written is removed with the rest
            raise PublishError(f"cannot write {target}: {exc}") from exc
        return True

    def commit(self) -> None:
        """Flush every staged file to disk, then put each in place.

        Raises:
            PublishError: a file cannot be moved into place.
        """
        if not self._moves:
            return
        folders = {target.parent for _, target in self._moves}  # where each tmp file is too
        flush_filesystems(folders)
        try:
            for tmp, target in self._moves:
                os.replace(tmp, target)
        except OSError as exc:
            self.abort()
            raise PublishError(f"cannot publish {target}: {exc}") from exc
        self._moves.clear()
        for folder in folders:
            _sync_folder(folder)

    def abort(self) -> None:
        """Remove the staged files that were not put in place."""
        for tmp, _ in self._moves:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        self._moves.clear()


def flush_filesystems(folders: set[Path]) -> None:
    """Flush to disk what was written to the filesystems holding ``folders``: on Linux
    with ``syncfs``, one call per filesystem; elsewhere with ``sync``, which flushes every
    disk of the machine (on a busy server, other programs' writes too)."""
    syncfs = _syncfs()
    if syncfs is None:
        os.sync()
        return
    try:
        devices: dict[int, Path] = {}
        for folder in folders:
            devices.setdefault(os.stat(folder).st_dev, folder)
        for folder in devices.values():
            fd = os.open(folder, os.O_RDONLY)
            try:
                if syncfs(fd) != 0:
                    raise OSError("syncfs failed")
            finally:
                os.close(fd)
    except OSError:  # whatever stopped syncfs, the files must reach the disk
        os.sync()


@lru_cache(maxsize=1)
def _syncfs() -> Any:
    """libc's ``syncfs`` (Linux), or None."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # only a publish that writes files loads it

    try:
        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int]
    function.restype = ctypes.c_int
    return function


def remove_leftovers(root: Path) -> list[Path]:
    """Remove the temporary files a killed publish left in the output folder."""
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for path in root.rglob(".*.tmp"):
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def write_file(root: Path, relpath: str, data: bytes) -> bool:
    """Write one file atomically under ``root``; False when it already had these bytes.

    Raises:
        PublishError: the path escapes ``root`` or the disk refuses the write.
    """
    target = safe_target(root, relpath)
    try:
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
        atomic_write(target, data)
    except OSError as exc:
        raise PublishError(f"cannot write {target}: {exc}") from exc
    return True


def delete_file(root: Path, relpath: str) -> bool:
    """Delete a published file (and folders it leaves empty); False if it was not there.

    Raises:
        PublishError: the path escapes ``root`` or the file cannot be removed.
    """
    target = safe_target(root, relpath)
    try:
        target.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise PublishError(f"cannot delete {target}: {exc}") from exc
    base = root.resolve()
    folder = target.parent
    while folder != base and base in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent
    return True


def write_files(root: Path, files: Mapping[str, bytes]) -> WriteReport:
    """Write every file atomically under ``root``, skipping unchanged bytes.

    Raises:
        PublishError: a path escapes ``root`` or the disk refuses a write.
    """
    report = WriteReport()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(f"cannot create the output folder {root}: {exc}") from exc
    targets = {rel: safe_target(root, rel) for rel in sorted(files)}
    for rel, target in targets.items():
        data = files[rel]
        report.hashes[rel] = hashlib.sha256(data).hexdigest()
        try:
            if target.is_file() and target.read_bytes() == data:
                report.unchanged.append(rel)
                continue
            atomic_write(target, data)
        except OSError as exc:
            raise PublishError(f"cannot write {target}: {exc}") from exc
        report.written.append(rel)
    return report


def check_replaceable(target: Path) -> None:
    """Refuse to move a file over ``target`` when it is neither missing nor a file (nor a
    link to one): the move would replace a device such as ``/dev/null`` (for root) or a
    pipe with a plain file.

    Raises:
        OSError: ``target`` is a device, a pipe or a socket (a folder fails the move).
    """
    if is_special(target):
        raise OSError(errno.EEXIST, "a device or a pipe is there, not a file", str(target))


def atomic_write(target: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write ``data`` to a temporary file beside ``target``, flush it to disk, then move it
    into place (with ``mode``): a reader sees the old file or the new one, never half of
    one.

    Raises:
        OSError: the disk refuses, or ``target`` is a device or a pipe
            (:func:`check_replaceable`).
    """
    check_replaceable(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk, where the system allows it."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
