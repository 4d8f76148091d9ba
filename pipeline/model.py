"""The item model: what every source produces and every output reads.

Items are frozen dataclasses built only by our own code (sources, normalise, classify).
Untrusted input is validated before it becomes an item; pydantic is kept for config.
All datetimes are timezone-aware UTC.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

import orjson

from tdlc_syndication.pipeline.pickled import field_state
from tdlc_syndication.pipeline.timestamps import parse_dt, parse_opt_dt

Precision = Literal["year", "month", "day", "datetime"]
MediaRole = Literal["enclosure", "document", "video", "thumbnail"]
EventStatus = Literal["scheduled", "cancelled", "postponed", "rescheduled", "moved_online"]
EventMode = Literal["offline", "online", "mixed"]
PRECISIONS: tuple[Precision, ...] = ("year", "month", "day", "datetime")
# The W3C Feed Validation Service warns of a date before 1990 (ImplausibleDate): feeds
# carry none (a 1965 loan document, a 1970-01-01 placeholder); the store and pages keep it.
FEED_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
PUBLISHED_AHEAD = timedelta(days=1)  # a published date further ahead is absurd (dropped)
# A date before it is absurd for an item (dropped) or of another calendar: the Solar Hijri
# year 1399 (2020) an Iranian or Afghan site's <meta> writes, the Islamic 1441.
EARLIEST_YEAR = 1900


@field_state
@dataclass(frozen=True, slots=True, kw_only=True)
class Media:
    """A file attached to an item: a PDF, a video, an image.

    ``length`` is the size in bytes when known; never guessed.
    """

    url: str
    mime: str | None = None
    length: int | None = None
    role: MediaRole = "enclosure"
    title: str | None = None


@field_state
@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """When and where an event happens.

    ``status`` is one of scheduled, cancelled, postponed, rescheduled, moved_online;
    ``mode`` one of offline, online, mixed. All-day events start at midnight UTC of their
    first day (like day-precision dates) and ``end`` is exclusive.
    """

    start: datetime
    end: datetime | None = None
    all_day: bool = False
    location: str | None = None
    status: EventStatus | None = None
    mode: EventMode | None = None

    def last_day(self) -> date:
        """The last calendar day an all-day event covers: the day before its exclusive
        ``end``, or its first day when it has no end (or one not after its start)."""
        first = self.start.date()
        return max(first, (self.end - timedelta(days=1)).date()) if self.end else first


@dataclass(frozen=True, slots=True)
class Retraction:
    """An origin withdrew or deleted an item: the store keeps it but outputs drop it."""

    id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Listed:
    """The document lists every event of its source that starts from ``start`` (up to
    ``until``, when given): a stored event in that time it no longer lists was deleted at
    the origin (a calendar's deleted event has no STATUS:CANCELLED; it is simply gone)."""

    start: datetime
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class Cursor:
    """The source's new position as its documents tell it once read, kept as a fetched
    document's cursor is, when the run succeeds: a catalog's next scheduled change (an
    entry due, or expiring), when its next run reads it though no file changed."""

    value: str


@dataclass(frozen=True, slots=True)
class Unread:
    """An item whose own page this run did not read (a followed page past
    ``follow_limit``, or one that failed): what the store holds of it, read from that page
    before, stands, with what its block says first (``keep.with_block``: its title,
    summary, image and date). Its block alone would have replaced the page's text,
    description and image with nothing, and the feeds would have shown it as updated."""

    id: str


@field_state
@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """One piece of content in the common schema.

    ``id`` is ``"{source}:{native id}"`` where the native id is the guid, handle,
    video id or post id the origin gives, else the canonical URL; never the fetch URL.
    ``categories`` holds the origin's own labels (categories, subjects, keywords); it
    feeds classification into ``topics`` and ``places``, which are taxonomy slugs.
    ``identifiers`` are keys that name the same material in other systems
    (``wds:31476985``, ``handle:10986/3284``, ``doi:10.1596/...``); two items that share
    one are the same story.
    ``extra`` holds source-specific pairs that are kept but not hashed.
    """

    id: str
    source: str
    kind: str
    title: str
    url: str
    summary: str = ""
    content_html: str = ""
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    published_precision: Precision | None = None
    updated: datetime | None = None
    language: str | None = None
    topics: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    media: tuple[Media, ...] = ()
    thumbnail: str | None = None
    event: Event | None = None
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredItem:
    """An item as the store keeps it, with its history and provenance.

    ``duplicate_of`` is the id of the canonical item when another source carries the
    same story; ``also_seen_at`` lists the other sources' ids of the same story;
    ``retracted`` says why the origin withdrew the item (outputs leave it out).
    """

    item: Item
    first_seen: datetime
    last_seen: datetime
    last_changed: datetime
    content_hash: str
    duplicate_of: str | None = None
    also_seen_at: tuple[str, ...] = field(default=())
    retracted: str | None = None

    @property
    def sort_date(self) -> datetime:
        """Published date, else first seen: an undated item never jumps ahead of newer ones."""
        return self.item.published or self.first_seen

    @property
    def feed_published(self) -> datetime | None:
        """The published date a feed shows: the item's, but none before
        ``FEED_EARLIEST``, and no later than when the item was first seen (a date ahead
        of that is a zone written wrong or a clock running fast, and the validator warns
        of a date in the future)."""
        published = self.item.published
        if published is None or published < FEED_EARLIEST:
            return None
        return min(published, self.first_seen)

    @property
    def feed_updated(self) -> datetime:
        """The date a feed shows as this entry's last change: the item's own, no later
        than when the change was seen, or when the item was first seen when it has none
        from ``FEED_EARLIEST`` on."""
        own = self.item.updated or self.item.published
        if own is None or own < FEED_EARLIEST:
            return self.first_seen
        return min(own, self.last_changed)


def _dt(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def item_to_dict(item: Item) -> dict[str, Any]:
    """Turn an item into plain JSON-ready data (the store's and ``items --json``'s form)."""
    data: dict[str, Any] = {}
    for f in fields(Item):
        value = getattr(item, f.name)
        if isinstance(value, datetime):
            value = _dt(value)
        elif f.name == "media":
            value = [
                {"url": m.url, "mime": m.mime, "length": m.length, "role": m.role, "title": m.title}
                for m in value
            ]
        elif f.name == "extra":
            value = dict(value)
        elif f.name == "event":
            value = None if value is None else _event_to_dict(value)
        elif isinstance(value, tuple):
            value = list(value)
        data[f.name] = value
    return data


def item_from_dict(data: dict[str, Any]) -> Item:
    """Rebuild an item from :func:`item_to_dict` output."""
    return Item(
        id=data["id"],
        source=data["source"],
        kind=data["kind"],
        title=data["title"],
        url=data["url"],
        summary=data.get("summary") or "",
        content_html=data.get("content_html") or "",
        authors=tuple(data.get("authors") or ()),
        published=parse_opt_dt(data.get("published")),
        published_precision=data.get("published_precision"),
        updated=parse_opt_dt(data.get("updated")),
        language=data.get("language"),
        topics=tuple(data.get("topics") or ()),
        places=tuple(data.get("places") or ()),
        categories=tuple(data.get("categories") or ()),
        identifiers=tuple(data.get("identifiers") or ()),
        media=tuple(Media(**m) for m in data.get("media") or ()),
        thumbnail=data.get("thumbnail"),
        event=_event_from_dict(data.get("event")),
        extra=tuple(sorted((data.get("extra") or {}).items())),
    )


def _event_to_dict(event: Event) -> dict[str, Any]:
    return {
        "start": _dt(event.start),
        "end": _dt(event.end),
        "all_day": event.all_day,
        "location": event.location,
        "status": event.status,
        "mode": event.mode,
    }


def _event_from_dict(data: dict[str, Any] | None) -> Event | None:
    if not data:
        return None
    return Event(
        start=parse_dt(data["start"]),
        end=parse_opt_dt(data.get("end")),
        all_day=bool(data.get("all_day")),
        location=data.get("location"),
        status=data.get("status"),
        mode=data.get("mode"),
    )


def content_hash(item: Item) -> str:
    """A hash of everything a reader can see in the item (``extra`` and ``source`` excluded)."""
    return _hash_of(item_to_dict(item))


def _hash_of(data: dict[str, Any]) -> str:
    seen = {k: v for k, v in data.items() if k not in ("extra", "source")}
    return hashlib.sha256(compact_json(seen)).hexdigest()


def compact_json(data: Any) -> bytes:
    """``data`` as UTF-8 JSON, keys sorted, no spaces: the bytes of ``json.dumps(data,
    sort_keys=True, ensure_ascii=False, separators=(",", ":"))``, written by orjson (an
    item's hash and stored JSON, both of them, in 18 µs where ``json`` took 49). What
    orjson refuses (a lone surrogate, an integer past 64 bits) is written by ``json`` as
    before, so that a content hash never changes with the writer."""
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # orjson.JSONEncodeError is one
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return text.encode("utf-8")


def hash_and_json(item: Item) -> tuple[str, str]:
    """:func:`content_hash` and :func:`item_json` of an item, converted once."""
    data = item_to_dict(item)
    return _hash_of(data), compact_json(data).decode("utf-8")


_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=65536)
def title_key(title: str) -> str:
    """A title reduced to what identifies it: NFKC, case-folded, punctuation and spaces gone."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", title).casefold())


def item_json(item: Item) -> str:
    """The item as the store keeps it: :func:`item_to_dict` as JSON, keys sorted
    (:func:`compact_json`)."""
    return compact_json(item_to_dict(item)).decode("utf-8")


def story_keys(item: Item) -> set[str]:
    """Keys that mark two items as the same story: the canonical URL (with the start day
    for an event: the occurrences of a series share their page), every identifier, and the
    title with the publication day (when the item has both)."""
    keys = {
        f"url:{item.url}|{item.event.start.date().isoformat()}" if item.event else f"url:{item.url}"
    }
    keys.update(f"id:{identifier}" for identifier in item.identifiers)
    title = title_key(item.title)
    if title and item.published is not None and item.published_precision in ("day", "datetime"):
        keys.add(f"title:{title}|{item.published.date().isoformat()}")
    return keys
