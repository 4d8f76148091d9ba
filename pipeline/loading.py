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

from tdlc_syndication.config.files import read_file
from tdlc_syndication.config.models import Settings
from tdlc_syndication.config.paths import cache_home, settings_code
from tdlc_syndication.pipeline.overview import cache_name, keep_in_cache, save_snapshot, snapshot_of

CACHE_VERSION = 1


def load_quickly(config: Path) -> Settings:
    """The validated settings of ``config``: from the cache when it holds this file's
    current bytes, else validated (and then kept in the cache, with the snapshot). The
    file is read once: the bytes that are validated are the bytes the cache keeps them for.

    Raises:
        ConfigError: the settings file is broken.
    """
    try:
        data = read_file(config)
    except OSError:
        return _validated(config)  # which says why the file cannot be read
    place = str(config.resolve())
    key = _key(config, place, data)
    name = cache_name(place, ".pickle")
    cached = _read(name, key)
    if cached is not None:
        return cached
    settings = _validated(config, data)
    # The snapshot works out each source's item_shape; shaping() is worked out now, while
    # the serialiser is built. Both are kept with the settings.
    save_snapshot(config, snapshot_of(settings), data)
    settings.shaping()
    with contextlib.suppress(pickle.PicklingError):
        keep_in_cache(name, pickle.dumps((key, settings), protocol=pickle.HIGHEST_PROTOCOL))
    return settings


def _validated(config: Path, data: bytes | None = None) -> Settings:
    """``config`` read (unless its bytes are given) and validated. The validating code,
    and TOML's reader, load only when the cache cannot answer.

    Raises:
        ConfigError: the settings file is broken.
    """
    from tdlc_syndication.config.loader import load_settings

    return load_settings(config, data)


def _key(config: Path, place: str, data: bytes) -> tuple[Any, ...]:
    """What the validated settings depend on: the file (its ``place``, the name it was given
    and the working folder, which relative paths in it are resolved against, and its bytes
    ``data``) and the program (Python, pydantic and the settings models' source files)."""
    return (
        CACHE_VERSION,
        sys.version,
        _program(),
        place,
        str(config),
        os.getcwd(),
        data,
    )


def _program() -> tuple[Any, ...]:
    """The versions the validation depends on: pydantic's, and the size and modification
    time of each source file of the settings models (edited models validate again)."""
    import pydantic

    return (pydantic.VERSION, settings_code())


def _read(name: str, key: tuple[Any, ...]) -> Settings | None:
    """The settings kept in the cache file ``name`` if they were kept under ``key``; None
    when there are none, they are another's, or the file is not safe to load (only a file
    that its own user alone can write is unpickled)."""
    try:
        with (cache_home() / name).open("rb") as handle:
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
