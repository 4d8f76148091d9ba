"""A publish with nothing to do, known without loading the settings.

Loading the settings models costs more than half a second of imports, while a publish that
finds nothing changed does about 10 ms of work. So a publish started from the command line
records the *inputs* it published from: the settings file's bytes, the overrides file's
bytes and the render version. The next ``syndicate publish`` with the same inputs, no
change logged since and nothing left pending has nothing to do, and says so from the store
and the settings snapshot alone (see ``overview``). Any other publish (the daemon's, one
with other settings, one interrupted or with files refused) clears the record, so the
next one runs in full.

A file of the last publish that is no longer in the output folder (a wiped folder, a file
removed by hand) is put back by the next publish, which then plans every file and renders
those that are missing (``missing_outputs``).

Some files stop being true with time alone: an event leaves the upcoming events when it
starts or ends. A publish records the first moment one of its files expires (``expires``);
a publish after that moment plans again though no item changed, and the service schedules
one for it.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from tdlc_syndication.config.files import read_file
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.pipeline.timestamps import parse_dt

# Bump when a change of code outside outputs/ (pipeline.uris, say) changes the bytes of the
# outputs: a change in outputs/ is seen by itself (render_version).
RENDER_VERSION = "26"
# The code that renders the outputs and its templates (pages, emails, the search's
# script, the feeds' style): their bytes are part of the render version (render_version).
OUTPUTS = Path(__file__).parent.parent / "outputs"
TEMPLATES = OUTPUTS / "templates"
INPUTS_KEY = "inputs"
EXPIRES_KEY = "expires"


@lru_cache(maxsize=1)
def render_version() -> str:
    """:data:`RENDER_VERSION` with a digest of the outputs' code and templates: a release
    that edits one (a page, the search's script, the feeds' style, a publisher) has every
    file rendered again at the first publish after the upgrade, as a bumped version has,
    though no item changed. Before, an upgraded site kept its old script and pages until
    an item changed, and a new kind of output (the sitemap) waited for one."""
    digest = hashlib.sha256()
    try:
        for path in [*sorted(OUTPUTS.glob("*.py")), *sorted(TEMPLATES.iterdir())]:
            digest.update(f"{path.name}\0".encode())
            digest.update(path.read_bytes())
    except OSError:  # not where the package keeps them: the version alone
        return RENDER_VERSION
    return f"{RENDER_VERSION}-{digest.hexdigest()[:16]}"


def inputs_stamp(config: Path, overrides: Path | None) -> str | None:
    """The inputs of a publish besides the store; None when a file cannot be read (then
    the publish runs in full)."""
    try:
        parts = [render_version(), _sha256(config), _sha256(overrides) if overrides else None]
    except OSError:
        return None
    return json.dumps(parts)


def recorded_inputs(store: Store, stamp: str | None) -> str:
    """What a publish that ends with nothing left to do records: its inputs with the
    fingerprint of the settings it rendered with ('' when there is no stamp)."""
    return json.dumps([stamp, store.publish_value("settings")]) if stamp else ""


def nothing_to_publish(store: Store, stamp: str | None, now: datetime) -> bool:
    """True when the last publish was made from the same inputs and rendered with the
    settings the store still names, finished with nothing pending, no item changed since
    and none of its files expired by ``now``."""
    if stamp is None or store.publish_value(INPUTS_KEY) != recorded_inputs(store, stamp):
        return False
    if store.publish_value("running") == "1" or expired(store, now):
        return False
    return store.last_change() <= int(store.publish_value("gen") or 0)


def missing_outputs(store: Store, root: Path) -> list[str]:
    """The recorded files that are not in the output folder ``root`` (removed by hand,
    the folder wiped or restored from an old copy): a publish puts them back. Each folder
    is listed once, not each file looked up: about 1 ms for the 637 files of a
    20,000-item site."""
    by_folder: dict[str, list[str]] = {}
    for path in store.output_paths():
        folder, _, name = path.rpartition("/")
        by_folder.setdefault(folder, []).append(name)
    missing: list[str] = []
    for folder, names in by_folder.items():
        try:
            with os.scandir(root / folder) as entries:
                present = {entry.name for entry in entries if entry.is_file()}
        except OSError:  # the folder is gone too
            present = set()
        missing.extend(f"{folder}/{name}" if folder else name for name in names
                       if name not in present)  # fmt: skip
    return missing


def expires(store: Store) -> datetime | None:
    """The first moment a file of the last publish stops being true (None: none does)."""
    value = store.publish_value(EXPIRES_KEY)
    return parse_dt(value) if value else None


def expired(store: Store, now: datetime) -> bool:
    """True when ``now`` is past the moment a file of the last publish stopped being
    true, or no publish recorded that moment yet (a store from an older version): then a
    publish plans again though no item changed."""
    value = store.publish_value(EXPIRES_KEY)
    if value is None:
        return True
    return bool(value) and now > parse_dt(value)


def _sha256(path: Path) -> str:
    return hashlib.sha256(read_file(path)).hexdigest()
