"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), written by the project.

Older items are reached through ``next_url`` pages (the JSON Feed way of paging), which are
the same archive pages the Atom and RSS feeds link as ``prev-archive``. Taxonomy terms and
the item kind travel in a ``_syndication`` extension object.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from tdlc_syndication.outputs.base import (
    ENCLOSURE_ROLES,
    FeedSpec,
    Page,
    StoreView,
    page_path,
    unique_updates,
)
from tdlc_syndication.pipeline.model import StoredItem
from tdlc_syndication.pipeline.text import plain_text

VERSION = "https://jsonfeed.org/version/1.1"


def render_json(store: StoreView, spec: FeedSpec, page: Page) -> bytes:
    """Render one page of one feed as JSON Feed bytes."""
    site = store.settings.site
    feed: dict[str, Any] = {
        "version": VERSION,
        "title": spec.title if not page.is_archive else f"{spec.title} (archive {page.number})",
        "home_page_url": site.base_url,
        "feed_url": store.url(page_path(spec, page, "json")),
        "description": spec.description,
        "language": site.language,
        "authors": [{"name": site.author or site.title}],
    }
    if page.prev_archive:
        feed["next_url"] = store.url(spec.archive_path(page.prev_archive, "json"))
    hub = site.websub_hub
    if hub and not page.is_archive:
        feed["hubs"] = [{"type": "WebSub", "url": hub}]
    feed["items"] = [
        _item(store, stored, updated)
        for stored, updated in zip(page.items, unique_updates(page.items), strict=True)
    ]
    text = json.dumps(feed, ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def _item(store: StoreView, stored: StoredItem, updated: datetime) -> dict[str, Any]:
    item = stored.item
    out: dict[str, Any] = {"id": store.tag_uri(item.id), "url": item.url, "title": item.title}
    if item.content_html and plain_text(item.content_html) != item.summary:
        out["content_html"] = item.content_html
    else:
        out["content_text"] = item.summary or item.title
    if item.summary:
        out["summary"] = item.summary
    if item.thumbnail:
        out["image"] = item.thumbnail
    if item.published is not None:
        out["date_published"] = _rfc3339(item.published)
    out["date_modified"] = _rfc3339(updated)
    if item.authors:
        out["authors"] = [{"name": name} for name in item.authors]
    tags = [store.label("topic", t) for t in item.topics]
    tags += [store.label("place", p) for p in item.places]
    out["tags"] = [*tags, store.label("kind", item.kind)]
    if item.language:
        out["language"] = item.language
    attachments = []
    for media in item.media:
        if media.role not in ENCLOSURE_ROLES:
            continue
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
