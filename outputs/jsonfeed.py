"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), written by the project.

Older items are reached through ``next_url`` pages (the JSON Feed way of paging), which are
the same archive pages the Atom and RSS feeds link as ``prev-archive``. Taxonomy terms and
the item kind travel in a ``_syndication`` extension object. The text is what
``json.dumps(feed, ensure_ascii=False, indent=2)`` gives, laid out by :func:`pretty`
(``json``'s indenting encoder is its slow pure-Python one).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from tdlc_syndication.outputs.document import Entry, feed_language, page_title
from tdlc_syndication.outputs.paging import Page, page_path
from tdlc_syndication.outputs.view import FeedSpec, StoreView
from tdlc_syndication.pipeline.uris import ascii_url

VERSION = "https://jsonfeed.org/version/1.1"
MEDIA_TYPE = "application/feed+json"
_encode = json.JSONEncoder(ensure_ascii=False).encode
_string: Callable[[str], str] = json.encoder.encode_basestring


def _scalar(value: Any) -> str:
    return _string(value) if type(value) is str else _encode(value)


def render_json(store: StoreView, spec: FeedSpec, page: Page, entries: Sequence[Entry]) -> bytes:
    """Render one page of one feed as JSON Feed bytes."""
    site = store.settings.site
    feed: dict[str, Any] = {
        "version": VERSION,
        "title": page_title(spec, page, feed_language(store, spec)),
        "home_page_url": store.url(spec.home),
        "feed_url": store.url(page_path(spec, page, "json")),
        "description": spec.description,
        "language": feed_language(store, spec),
        "authors": [{"name": site.author or site.title}],
    }
    if page.prev_archive:
        feed["next_url"] = store.url(spec.archive_path(page.prev_archive, "json"))
    hub = site.websub_hub
    if hub and not page.is_archive:
        feed["hubs"] = [{"type": "WebSub", "url": ascii_url(hub)}]
    feed["items"] = [_item(entry) for entry in entries]
    return (pretty(feed) + "\n").encode("utf-8")


def pretty(value: Any, indent: str = "") -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, with the C encoder for scalars."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        fields = [f"{inner}{_scalar(key)}: {pretty(item, inner)}" for key, item in value.items()]
        return "{\n" + ",\n".join(fields) + "\n" + indent + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return (
            "[\n" + ",\n".join(inner + pretty(item, inner) for item in value) + "\n" + indent + "]"
        )
    return _scalar(value)


def _item(entry: Entry) -> dict[str, Any]:
    item = entry.item
    out: dict[str, Any] = {"id": entry.id, "url": item.url, "title": item.title}
    if entry.content is not None:
        out["content_html"] = entry.content
    else:
        out["content_text"] = item.summary or item.title
    if item.summary:
        out["summary"] = item.summary
    if item.thumbnail:
        out["image"] = item.thumbnail
    if entry.published is not None:
        out["date_published"] = _rfc3339(entry.published)
    out["date_modified"] = _rfc3339(entry.updated)
    if item.authors:
        out["authors"] = [{"name": name} for name in item.authors]
    out["tags"] = [category.label for category in entry.categories]
    if item.language:
        out["language"] = item.language
    attachments = []
    for media in entry.enclosures:
        attachment: dict[str, Any] = {
            "url": media.url,
            "mime_type": media.mime or "application/octet-stream",
        }
        if media.title:
            attachment["title"] = media.title
        if media.length:
            attachment["size_in_bytes"] = media.length
        attachments.append(attachment)
    if attachments:
        out["attachments"] = attachments
    out["_syndication"] = {
        "about": "https://github.com/tdlc/tdlc-syndication#json-feed-extension",
        "kind": item.kind,
        "topics": list(item.topics),
        "places": list(item.places),
        "source": item.source,
        "published_precision": item.published_precision,
    }
    if item.event is not None:
        event = item.event
        out["_syndication"]["event"] = {
            "start": _rfc3339(event.start),
            "end": _rfc3339(event.end) if event.end else None,
            "all_day": event.all_day,
            "location": event.location,
            "status": event.status,
            "mode": event.mode,
        }
    return out


def _rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
