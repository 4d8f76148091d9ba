"""The settings of a command, validated once per version of the file.

Validating a settings file means building pydantic's validators for every model and
checking every field: about a tenth of a second before a run can send its first request,
paid again by every ``run --once`` from cron on a file that has not changed. So when a
file has been validated, the validated settings are kept in the cache folder (pickled,
readable by their owner only, beside the snapshot ``status`` reads), and the next command
that names the same file, with the same bytes, from the same folder and the same program,
takes them from there. Anything else (another byte, another working folder, another
version of Python, pydantic or the settings models) validates the file again. A broken
file is never cached, so it is reported every time.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from tdlc_syndication.config.loader import load_settings
from tdlc_syndication.config.models import Settings
from tdlc_syndication.config.paths import cache_folder, cache_home
from tdlc_syndication.pipeline.overview import cache_name, save_snapshot, snapshot_of

CACHE_VERSION = 1


def load_quickly(config: Path) -> Settings:
    """The validated settings of ``config``: from the cache when it holds this file's
    current bytes, else validated (and then kept in the cache, with the snapshot).

    Raises:
        ConfigError: the settings file is broken.
    """
    key = _key(config)
    cached = _read(config, key) if key is not None else None
    if cached is not None:
        return cached
    settings = load_settings(config)
    save_snapshot(config, snapshot_of(settings))
    if key is not None and _key(config) == key:  # not edited while it was validated
        _keep(config, key, settings)
    return settings


def _key(config: Path) -> tuple[Any, ...] | None:
    """What the validated settings depend on: the file (its place, the name it was given
    and the working folder, which relative paths in it are resolved against, and its bytes)
    and the program (Python, pydantic and the settings models' source files); None when
    the file cannot be read."""
    try:
        contents = config.read_bytes()
    except OSError:
        return None
    return (
        CACHE_VERSION,
        sys.version,
        _program(),
        str(config.resolve()),
        str(config),
        os.getcwd(),
        contents,
    )


def _program() -> tuple[Any, ...]:
    """The versions the validation depends on: pydantic's, and the size and modification
    time of each source file of the settings models (edited models validate again)."""
    import pydantic

    from tdlc_syndication.config import models

    folder = Path(models.__file__).parent
    files = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.endswith(".py"):
            stat = entry.stat()
            files.append((entry.name, stat.st_size, stat.st_mtime_ns))
    return (pydantic.VERSION, tuple(files))


def _cache_file(config: Path, folder: Path) -> Path:
    return folder / cache_name(str(config.resolve()), ".pickle")


def _read(config: Path, key: tuple[Any, ...]) -> Settings | None:
    """The cached settings of ``config`` if they were kept under ``key``; None when there
    are none, they are another's, or the file is not safe to load (only a file that its
    own user alone can write is unpickled)."""
    path = _cache_file(config, cache_home())
    try:
        with path.open("rb") as handle:
            stat = os.fstat(handle.fileno())
            if stat.st_uid != os.getuid() or stat.st_mode & 0o022:
                return None
            kept = pickle.load(handle)
    except Exception:  # missing, unreadable or left by another program: validate
        return None
    if not (isinstance(kept, tuple) and len(kept) == 2 and kept[0] == key):
        return None
    settings = kept[1]
    return settings if isinstance(settings, Settings) else None


def _keep(config: Path, key: tuple[Any, ...], settings: Settings) -> None:
    """Keep the validated settings for the next command (best effort: a cache)."""
    settings.shaping()  # worked out now, while the serialiser is built, and kept with them
    with contextlib.suppress(OSError, pickle.PicklingError):
        path = _cache_file(config, cache_folder())
        data = pickle.dumps((key, settings), protocol=pickle.HIGHEST_PROTOCOL)
        _replace(path, data)


def _replace(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all, readable by its owner only."""
    from tdlc_syndication.outputs.write import atomic_write

    atomic_write(path, data, mode=0o600)
