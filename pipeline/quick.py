"""A publish with nothing to do, known without loading the settings.

Loading the settings models costs more than half a second of imports, while a publish that
finds nothing changed does about 10 ms of work. So a publish started from the command line
records the *inputs* it published from: the settings file's bytes, the overrides file's
bytes and the render version. The next ``syndicate publish`` with the same inputs, no
change logged since and nothing left pending has nothing to do, and says so from the store
and the settings snapshot alone (see ``overview``). Any other publish (the daemon's, one
with other settings, one interrupted or with files refused) clears the record, so the
next one runs in full.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tdlc_syndication.pipeline.store import Store

RENDER_VERSION = "3"  # bump when a change of the code changes the bytes of the outputs
INPUTS_KEY = "inputs"


def inputs_stamp(config: Path, overrides: Path | None) -> str | None:
    """The inputs of a publish besides the store; None when a file cannot be read (then
    the publish runs in full)."""
    try:
        parts = [RENDER_VERSION, _sha256(config), _sha256(overrides) if overrides else None]
    except OSError:
        return None
    return json.dumps(parts)


def recorded_inputs(store: Store, stamp: str | None) -> str:
    """What a publish that ends with nothing left to do records: its inputs with the
    fingerprint of the settings it rendered with ('' when there is no stamp)."""
    return json.dumps([stamp, store.publish_value("settings")]) if stamp else ""


def nothing_to_publish(store: Store, stamp: str | None) -> bool:
    """True when the last publish was made from the same inputs and rendered with the
    settings the store still names, finished with nothing pending, and no item changed
    since."""
    if stamp is None or store.publish_value(INPUTS_KEY) != recorded_inputs(store, stamp):
        return False
    if store.publish_value("running") == "1":
        return False
    return not store.changed_since(int(store.publish_value("gen") or 0))[1]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
