"""The only code that writes output files.

Each file is written to a temporary file in the same folder, flushed and fsynced, then
moved over the old one with ``os.replace``: a reader sees the old file or the new one,
never half of one. Files whose bytes did not change are not touched (their mtime stays,
so HTTP validators stay valid). Paths that would escape the output folder are refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

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
            _atomic_write(target, data)
        except OSError as exc:
            raise PublishError(f"cannot write {target}: {exc}") from exc
        report.written.append(rel)
    return report


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    try:
        dir_fd = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
