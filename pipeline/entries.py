"""The settings entries ``syndicate discover`` offers: for each candidate it read, the
``[[sources]]`` entry that reads it as it was read (WordPress's REST API and The Events
Calendar with their fields and paging), a free id from the address, the topics, places and
kind of a reader's folders, and the entry written as TOML to paste."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from tdlc_syndication.config.taxonomy import Taxonomy
from tdlc_syndication.sources.discovery import Candidate


def folder_terms(taxonomy: Taxonomy, folders: Iterable[str]) -> dict[str, Any]:
    """The settings a feed filed under ``folders`` in a feed reader gets from them: the
    topics and places (``topics``, ``places``) and the kind (``default_kind``) they name
    (``Taxonomy.named``: "Toyama", "Compact cities", "Videos")."""
    entry: dict[str, Any] = {}
    for folder in folders:
        for facet in ("topics", "places"):
            found = taxonomy.named(facet, folder)
            if found is not None and found not in entry.get(facet, []):
                entry.setdefault(facet, []).append(found)
        kind = taxonomy.named("kinds", folder)
        if kind is not None:
            entry["default_kind"] = kind
    return entry


def ordered_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry's keys in the order the README lists them: id, kind, name, url first."""
    first: dict[str, Any] = {k: entry[k] for k in ("id", "kind", "name", "url") if k in entry}
    return {**first, **{k: v for k, v in entry.items() if k not in first}}


def entry_for(candidate: Candidate, language: str | None) -> dict[str, Any]:
    """The settings entry (without its id) that reads the candidate."""
    if candidate.offer == "wordpress" and candidate.url.endswith("/tribe/events/v1/events"):
        return {"kind": "json", "url": candidate.url, **_tribe_events(candidate.zone)}
    if candidate.offer == "wordpress":
        return {"kind": "json", "url": candidate.url, **WORDPRESS_POSTS}
    entry: dict[str, Any] = {"kind": candidate.offer, "url": candidate.url}
    if language and candidate.offer == "feed":
        entry["language"] = language
    return entry


#: WordPress's posts (``/wp-json/wp/v2/posts``): the dates in UTC (the ``_gmt`` fields),
#: the authors, the featured image and the categories and tags by name embedded (the
#: origin's labels, which classification reads), 3 pages of 50 at most.
WORDPRESS_POSTS: dict[str, Any] = {
    "params": {"_embed": "1"},
    "timezone": "UTC",
    "fields": {
        "id": "id",
        "title": "title.rendered",
        "url": "link",
        "summary": "excerpt.rendered",
        "content_html": "content.rendered",
        "published": "date_gmt",
        "updated": "modified_gmt",
        "authors": "_embedded.author.*.name",
        "image": '_embedded."wp:featuredmedia".0.source_url',
        "categories": '_embedded."wp:term".*.*.name',
    },
    "paging": {
        "mode": "page",
        "param": "page",
        "size_param": "per_page",
        "size": 50,
        "total_header": "X-WP-TotalPages",
        "max_pages": 3,
    },
}


def _tribe_events(zone: str) -> dict[str, Any]:
    """The Events Calendar's events (``/wp-json/tribe/events/v1/events``): its days and
    times in the site's zone (the REST index's ``timezone_string``), its description as
    the event's HTML, paged by its next link; it lists every event to come, so one it no
    longer lists was deleted."""
    entry: dict[str, Any] = {
        "items_path": "events",
        "fields": {
            "id": "id",
            "title": "title",
            "url": "url",
            "summary": "excerpt",
            "content_html": "description",
            "published": "date_utc",
            "updated": "modified_utc",
            "event_start": "start_date",
            "event_end": "end_date",
            "event_all_day": "all_day",
            "location": "venue.venue",
            "image": "image.url",
            "categories": "categories.*.name",
        },
        "paging": {"mode": "next", "next_path": "next_rest_url", "max_pages": 5},
        "lists_every_event": True,  # every event to come, soonest first
    }
    return {"timezone": zone, **entry} if zone else {"timezone": "UTC", **entry}


def wordpress_name(candidate: Candidate) -> str:
    """The name of an entry that reads WordPress's posts or events: the host and which."""
    host = urlsplit(candidate.url).netloc
    events = candidate.url.endswith("/tribe/events/v1/events")
    return f"{host}: {'events' if events else 'posts'} (WordPress REST)"


_NOT_ID = re.compile(r"[^a-z0-9]+")
_PLAIN_LABELS = {"www", "lg", "jp", "go", "co", "or", "ac", "ne", "com", "org", "net", "int"}
_PLAIN_STEMS = {"", "feed", "feeds", "rss", "index", "list1", "videos", "xml", "wp", "v2"}


def free_id(url: str, kind: str, taken: set[str]) -> str:
    """A source id for an entry of ``kind`` reading ``url``, from the site's name and the
    address's last telling word (``city-toyama-news``), not in ``taken``."""
    parts = urlsplit(url)
    labels = [p for p in (parts.hostname or "").split(".") if p not in _PLAIN_LABELS]
    stems = [s.rsplit(".", 1)[0] for s in parts.path.lower().split("/")]
    stem = next((s for s in reversed(stems) if s not in _PLAIN_STEMS and not s.isdigit()), "")
    words = [*labels[-2:], stem] if kind != "sitemap" else [*labels[-2:], "pages"]
    ascii_words = unicodedata.normalize("NFKD", "-".join(words)).encode("ascii", "ignore")
    base = _NOT_ID.sub("-", ascii_words.decode().lower()).strip("-")[:40].strip("-")
    base = base or "source"
    chosen, number = base, 2
    while chosen in taken:
        chosen, number = f"{base}-{number}", number + 1
    return chosen


def toml_entry(entry: dict[str, Any]) -> str:
    """A ``[[sources]]`` entry in TOML, its tables after its plain keys."""
    lines = ["[[sources]]"]
    tables = {k: v for k, v in entry.items() if isinstance(v, dict) and k != "params"}
    for key, value in entry.items():
        if key not in tables:
            lines.append(f"{_key(key)} = {_value(value)}")
    for name, table in tables.items():
        lines.append(f"[sources.{name}]")
        lines += [f"{_key(k)} = {_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string
