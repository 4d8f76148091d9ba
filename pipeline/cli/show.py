"""Small presentation helpers shared by the commands."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tdlc_syndication.pipeline.columns import display_width

if TYPE_CHECKING:
    from tdlc_syndication.config.sources import SourceConfig
    from tdlc_syndication.pipeline.model import Item, StoredItem


def counted(count: int, noun: str) -> str:
    """``1 item``, ``2 items``: a count with its (regular) noun in agreement."""
    return f"{count} {noun if count == 1 else noun + 's'}"


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


def with_when(
    lines: list[tuple[str, ...]], items: Sequence[Item], timezone: str
) -> list[tuple[str, ...]]:
    """A table of ``items`` (a header, then a row each) with a ``when`` column after its
    second when any of them is an event: when each happens, as its feed entry says it
    (``2026-12-03 13:30–15:00 JST``, ``2026-12-14 – 2026-12-18 (cancelled)``; ``-`` for an
    item that is no event)."""
    if not any(item.event for item in items):
        return lines
    from zoneinfo import ZoneInfo

    from tdlc_syndication.outputs.listing import event_text

    zone = ZoneInfo(timezone)
    when = ["when"]
    for item in items:
        told = event_text(item.event, zone) if item.event else None
        status = f" ({told['status']})" if told and told["status"] else ""
        when.append(f"{told['text']}{status}" if told else "-")
    return [(*line[:2], told, *line[2:]) for line, told in zip(lines, when, strict=True)]


def table(rows: Sequence[tuple[str, ...]]) -> str:
    """A plain aligned table whose first row is the header; the last column is never
    padded or cut (ids stay whole, whatever the terminal's width)."""
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    widths[-1] = 0
    return "\n".join(
        "  ".join(
            v + " " * max(0, w - display_width(v)) for v, w in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    )
