"""Where the settings file is found, and the program's cache folder; imports nothing heavy
(no pydantic)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "SYNDICATE_CONFIG"
LOCAL_NAME = "syndicate.toml"
# Resolved: an editable install links each file, and the demo catalog must be a real folder.
# (A plain path, not importlib.resources, whose import costs more than the rest of `status`.)
DEMO_CONFIG = Path(__file__).with_name("demo.toml").resolve()


def find_config(explicit: str | Path | None = None, cwd: Path | None = None) -> Path:
    """Pick the settings file: ``--config``, else $SYNDICATE_CONFIG, else ./syndicate.toml,
    else the embedded demo configuration."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    local = (cwd or Path.cwd()) / LOCAL_NAME
    if local.is_file():
        return local
    return DEMO_CONFIG


def cache_home() -> Path:
    """The program's cache folder (settings snapshots, compiled templates):
    ``$XDG_CACHE_HOME/tdlc-syndication``, by default ``~/.cache/tdlc-syndication``. Anything
    in it can be deleted; the next command makes it again."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "tdlc-syndication"


def cache_folder(*parts: str) -> Path:
    """The cache folder (or the folder ``parts`` inside it), made when missing, readable
    by its owner only: it holds settings and code Jinja2 runs.

    Raises:
        OSError: the folder cannot be made.
    """
    home = cache_home()
    home.mkdir(mode=0o700, parents=True, exist_ok=True)  # the mode is the last level's only
    folder = home.joinpath(*parts)
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def settings_code() -> tuple[tuple[str, int, int], ...]:
    """The name, size and modification time of each source file of the settings package:
    what validated settings were validated by (edited or upgraded models validate again).
    Cheap: no import, one folder listing."""
    folder = Path(__file__).parent
    stamps = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.endswith(".py"):
            stat = entry.stat()
            stamps.append((entry.name, stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)
