"""Small presentation helpers shared by the commands."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tdlc_syndication.config.sources import SourceConfig
    from tdlc_syndication.pipeline.model import StoredItem


def iso(value: datetime | None) -> str | None:
    """ISO 8601 text of a datetime, or None."""
    return None if value is None else value.isoformat()


def location(src: SourceConfig) -> str:
    """Where a source reads from: its URL, else its path."""
    url = getattr(src, "url", None)
    return str(url) if url else str(getattr(src, "path", ""))


def item_json(stored: StoredItem) -> dict[str, Any]:
    """Every schema field of a stored item, JSON-ready."""
    from tdlc_syndication.pipeline.model import item_to_dict

    data = item_to_dict(stored.item)
    data.update(
        first_seen=iso(stored.first_seen),
        last_seen=iso(stored.last_seen),
        last_changed=iso(stored.last_changed),
        sort_date=iso(stored.sort_date),
        content_hash=stored.content_hash,
        duplicate_of=stored.duplicate_of,
        also_seen_at=list(stored.also_seen_at),
        retracted=stored.retracted,
    )
    return data
