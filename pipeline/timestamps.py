"""Timestamps as text, the way the store and the items' JSON keep them (ISO 8601), and
back into aware UTC datetimes. Standard library only: the item model, the store and the
outputs all read them."""

from __future__ import annotations

from datetime import UTC, datetime


def iso(value: datetime | None) -> str | None:
    """A datetime as the store writes it (ISO 8601), or None."""
    return None if value is None else value.isoformat()


def parse_dt(value: str) -> datetime:
    """Read an ISO 8601 string the store wrote (:func:`iso`, ``item_to_dict``) back into
    aware UTC."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_opt_dt(value: str | None) -> datetime | None:
    """:func:`parse_dt` for values that may be missing."""
    return None if value is None else parse_dt(value)
