"""How items are listed for people: their dates as the pages show them, when and where
an event happens, and what the search's index holds of each (worked out when the
published index is brought up to date, and kept with it, so that a block of the index is
a join of stored strings)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from tdlc_syndication.pipeline.model import Event, StoredItem
from tdlc_syndication.pipeline.text import shorten
from tdlc_syndication.pipeline.uris import PATH_SAFE, ascii_url, canonical_escape, web_url

_EVENT_KEYS = ("datetime", "text", "place", "place_url", "status")
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
    summary start, kind, topics, places, authors, event]``; the date as the pages show it
    (``2026-11-20``, ``2026-11``, ``2026``: each a valid ``<time datetime>``; "" when
    undated), the authors in one string (a report is often looked for by who wrote it),
    an event's when and where as the pages' "When:" line says them (``[machine time,
    text, place, place's link, status]``; ``[]`` for an item that is no event).
    Line and paragraph separators are escaped: they end a line in the scripts older
    engines read."""
    item = stored.item
    shown = date_text(stored, zone) if item.published else ""
    summary = shorten(item.summary, SUMMARY_CHARS) if item.summary else ""
    authors = shorten("; ".join(item.authors), AUTHORS_CHARS)
    when = event_text(item.event, zone) if item.event else None
    event = [when[key] for key in _EVENT_KEYS] if when else []
    fields = [item.url, item.title, shown, item.language or "", summary,
              item.kind, list(item.topics), list(item.places), authors, event]  # fmt: skip
    text = _compact(fields)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def event_text(event: Event, zone: ZoneInfo) -> dict[str, str]:
    """When and where, as people read it: "2026-12-10 15:00–17:00 JST"."""
    status = event.status if event.status and event.status != "scheduled" else ""
    if event.all_day:
        text = machine = f"{event.start:%Y-%m-%d}"
        if event.last_day() > event.start.date():
            text += f" – {event.last_day():%Y-%m-%d}"
    else:
        start = event.start.astimezone(zone)
        text = f"{start:%Y-%m-%d %H:%M}"
        if event.end is not None:
            end = event.end.astimezone(zone)
            text += f"–{end:%H:%M}" if end.date() == start.date() else f" – {end:%Y-%m-%d %H:%M}"
        text += f" {start.tzname() or zone.key}"
        machine = start.isoformat()
    return {
        "datetime": machine,
        "text": text,
        "place": event.location or "",
        "place_url": place_link(event.location or ""),
        "status": status.replace("_", " "),
    }


def place_link(location: str) -> str:
    """The link an event's place is, when it is one (an online event's meeting address):
    in ASCII, on a host browsers open; else ""."""
    scheme, colon_slashes, rest = location.strip().partition("://")
    if not colon_slashes or scheme.lower() not in ("http", "https"):
        return ""
    # Escaped as ids are (what URLs keep out, a lone %, a second #), the fragment kept.
    head, hash_mark, fragment = ascii_url(f"{scheme.lower()}://{rest}").partition("#")
    head_escaped = canonical_escape(head, PATH_SAFE + "?")
    fragment_escaped = canonical_escape(fragment, PATH_SAFE + "?")
    if head_escaped is None or fragment_escaped is None:  # escapes of bytes that are no text
        return ""
    link = head_escaped + hash_mark + fragment_escaped
    return link if web_url(link) else ""
