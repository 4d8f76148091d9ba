"""Fingerprints of the settings that shape a source's items (``Settings.item_shape``): a
source whose fingerprint changed since it was last read is read in full
(``pipeline.run.starting_point``)."""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel

from tdlc_syndication.config.sources import SourceConfig

NOT_SHAPING = frozenset({"schedule", "name", "enabled"})
"""The fields of a ``[[sources]]`` entry that say when and whether it runs, not what its
items are."""


def items_common(normalise: BaseModel, taxonomy: BaseModel, language: str) -> str:
    """The settings every source's items are shaped by (``[normalise]``, ``[taxonomy]``,
    ``site.language``), as JSON."""
    return json.dumps(
        [normalise.model_dump(mode="json"), taxonomy.model_dump(mode="json"), language],
        sort_keys=True,
        ensure_ascii=False,
    )


def item_shape(common: str, source: SourceConfig) -> str:
    """The fingerprint of ``source``'s items: its own entry but :data:`NOT_SHAPING`, with
    ``common`` (:func:`items_common`)."""
    return hashlib.sha256(f"{common}\n{_own(source)}".encode()).hexdigest()[:32]


def entry_shape(source: SourceConfig) -> str:
    """The fingerprint of ``source``'s own entry but :data:`NOT_SHAPING`: what an operator
    edits to mend a source that fails (its address, headers, selectors, ``allow_private``).
    A source that failed runs again at once when it changed (``pipeline.state.gate``)."""
    return hashlib.sha256(_own(source).encode()).hexdigest()[:32]


def _own(source: SourceConfig) -> str:
    entry = source.model_dump(mode="json", exclude=set(NOT_SHAPING))
    return json.dumps(entry, sort_keys=True, ensure_ascii=False)
