"""How items are listed for people: their dates as the pages show them, and what the
search's index holds of each (worked out when the published index is brought up to date,
and kept with it, so that a block of the index is a join of stored strings)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from tdlc_syndication.pipeline.model import StoredItem
from tdlc_syndication.pipeline.text import shorten

_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
SUMMARY_CHARS = 140  # of each item's summary, searched and shown
AUTHORS_CHARS = 100  # of each item's authors (a report of many names has its first)


def display_date(stored: StoredItem, zone: ZoneInfo) -> tuple[str, str]:
    """``(machine value, human text)`` of an item's date, at the precision it has."""
    item = stored.item
    if item.published is None:
        return stored.first_seen.date().isoformat(), "undated"
    if item.published_precision not in _PARTS:  # a time: its day where the site is
        local = item.published.astimezone(zone)
        return local.isoformat(), _dated(local, 3)
    shown = date_text(stored, zone)
    return shown, shown


def date_text(stored: StoredItem, zone: ZoneInfo) -> str:
    """An item's date as people read it, at the precision it has (``2026-11-20``,
    ``2026-11``, ``2026``; a time as its day in ``zone``); "undated" when it has none."""
    item = stored.item
    when = item.published
    if when is None:
        return "undated"
    parts = _PARTS.get(item.published_precision or "")
    return _dated(when, parts) if parts else _dated(when.astimezone(zone), 3)


_PARTS = {"year": 1, "month": 2, "day": 3}  # the date's parts a precision writes


def _dated(when: datetime, parts: int) -> str:
    """``%Y``, ``%Y-%m`` or ``%Y-%m-%d`` of ``when`` (``parts`` 1 to 3), as ``strftime``
    writes them but four times as fast (a run lists every item)."""
    if when.year < 1000:  # strftime does not pad them: kept as it writes them
        return when.strftime(("%Y", "%Y-%m", "%Y-%m-%d")[parts - 1])
    return ("%04d", "%04d-%02d", "%04d-%02d-%02d")[parts - 1] % (
        when.year,
        when.month,
        when.day,
    )[:parts]


def search_record(stored: StoredItem, zone: ZoneInfo) -> str:
    """What the search's index holds of one item, as JSON: ``[url, title, date, language,
    summary start, kind, topics, places, authors]``; the date as the pages show it
    (``2026-11-20``, ``2026-11``, ``2026``: each a valid ``<time datetime>``; "" when
    undated), the authors in one string (a report is often looked for by who wrote it).
    Line and paragraph separators are escaped: they end a line in the scripts older
    engines read."""
    item = stored.item
    shown = date_text(stored, zone) if item.published else ""
    summary = shorten(item.summary, SUMMARY_CHARS) if item.summary else ""
    authors = shorten("; ".join(item.authors), AUTHORS_CHARS)
    fields = [item.url, item.title, shown, item.language or "", summary,
              item.kind, list(item.topics), list(item.places), authors]  # fmt: skip
    text = _compact(fields)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
