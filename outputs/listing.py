"""How items are listed for people: their dates as the pages show them, and what the
search's index holds of each (worked out when the published index is brought up to date,
and kept with it, so that a block of the index is a join of stored strings)."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from tdlc_syndication.pipeline.model import StoredItem
from tdlc_syndication.pipeline.text import shorten

SUMMARY_CHARS = 140  # of each item's summary, searched and shown
AUTHORS_CHARS = 100  # of each item's authors (a report of many names has its first)


def display_date(stored: StoredItem, zone: ZoneInfo) -> tuple[str, str]:
    """``(machine value, human text)`` of an item's date, at the precision it has."""
    item = stored.item
    if item.published is None:
        return stored.first_seen.date().isoformat(), "undated"
    precision = item.published_precision or "datetime"
    when = item.published
    if precision == "year":
        return f"{when:%Y}", f"{when:%Y}"
    if precision == "month":
        return f"{when:%Y-%m}", f"{when:%Y-%m}"
    if precision == "day":
        return f"{when:%Y-%m-%d}", f"{when:%Y-%m-%d}"
    local = when.astimezone(zone)
    return local.isoformat(), f"{local:%Y-%m-%d}"


def search_record(stored: StoredItem, zone: ZoneInfo) -> str:
    """What the search's index holds of one item, as JSON: ``[url, title, date, language,
    summary start, kind, topics, places, authors]``; the date as the pages show it
    (``2026-11-20``, ``2026-11``, ``2026``: each a valid ``<time datetime>``; "" when
    undated), the authors in one string (a report is often looked for by who wrote it).
    Line and paragraph separators are escaped: they end a line in the scripts older
    engines read."""
    item = stored.item
    shown = display_date(stored, zone)[1] if item.published else ""
    summary = shorten(item.summary, SUMMARY_CHARS) if item.summary else ""
    authors = shorten("; ".join(item.authors), AUTHORS_CHARS)
    fields = [item.url, item.title, shown, item.language or "", summary,
              item.kind, list(item.topics), list(item.places), authors]  # fmt: skip
    text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
