"""JSON Feed 1.0 and 1.1 (feedparser reads only XML feeds), for ``kind = "feed"``: each
item a draft as an RSS or Atom entry gives it, the values of a wrong type read as none
(an ``attachments`` that is a number), a feed whose ``items`` is no list refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from tdlc_syndication.config.sources import FeedSourceConfig
from tdlc_syndication.pipeline.canonical import resolve_url
from tdlc_syndication.pipeline.encoding import document_start
from tdlc_syndication.pipeline.errors import ParseError
from tdlc_syndication.pipeline.jsonyaml import load_json
from tdlc_syndication.pipeline.model import Item, Media, Retraction
from tdlc_syndication.sources.base import Fetched
from tdlc_syndication.sources.common import (
    date_of,
    entry_language,
    given_language,
    is_web_address,
    item_id,
    kind_for,
    layout_html,
    precision_of,
    source_zone,
    string_value,
)
from tdlc_syndication.sources.feeddates import feed_order, written_date
from tdlc_syndication.sources.feedentry import first_picture, split_labels, title_or_text


def is_json(fetched: Fetched) -> bool:
    """Whether a fetched feed is a JSON Feed: by its media type, else its first byte (a
    byte-order mark before it, too: such a feed was read as XML, and failed)."""
    return "json" in fetched.media_type or document_start(fetched.body, 1) == b"{"


def json_feed_items(
    cfg: FeedSourceConfig, fetched: Fetched, clock: Callable[[], datetime]
) -> list[Item | Retraction]:
    """The draft items of a JSON Feed (``clock``: the run's, for a date without its year).

    Raises:
        ParseError: the document is no JSON, no JSON Feed, or its items are no list.
    """
    try:
        feed = load_json(fetched.body)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise ParseError(cfg.id, f"{fetched.location} is not valid JSON: {exc}") from exc
    if not isinstance(feed, dict) or "jsonfeed.org/version" not in str(feed.get("version")):
        raise ParseError(cfg.id, f"{fetched.location} is JSON but not a JSON Feed")
    # Relative links resolve against the feed's own declared address when it has one.
    base = (
        string_value(feed.get("feed_url"))
        or string_value(feed.get("home_page_url"))
        or fetched.base_url
    )
    zone = source_zone(cfg)
    declared = given_language(feed.get("language"))
    language = declared or cfg.language
    feed_authors = _json_authors(feed)
    items: list[Item | Retraction] = []
    entries = feed.get("items")
    if entries is not None and not isinstance(entries, list):
        kind = type(entries).__name__
        raise ParseError(
            cfg.id, f"{fetched.location} is a JSON Feed whose items are no list ({kind})"
        )
    for entry in entries or []:
        if not isinstance(entry, dict):
            continue
        native = string_value(entry.get("id"))
        # Without its url, an id that is an address is the permalink (JSON Feed: the id
        # is "ideally the full URL of the resource"), as a permalink guid is in RSS.
        own = native if is_web_address(native) else ""
        link = string_value(entry.get("url")) or string_value(entry.get("external_url")) or own
        link = resolve_url(base, link) if link else ""
        order = feed_order(given_language(entry.get("language")) or language)
        published = written_date(entry.get("date_published"), zone, clock, order)
        updated = written_date(entry.get("date_modified"), zone, clock, order)
        published = published or updated  # as an RSS or Atom entry's
        native = native or link
        if not native:
            continue
        media = []
        attachments = entry.get("attachments")
        for attachment in attachments if isinstance(attachments, list) else []:
            if isinstance(attachment, dict) and attachment.get("url"):
                size = attachment.get("size_in_bytes")
                media.append(
                    Media(
                        url=resolve_url(base, str(attachment["url"])),
                        mime=string_value(attachment.get("mime_type")) or None,
                        length=size if isinstance(size, int) and size > 0 else None,
                        title=string_value(attachment.get("title")) or None,
                    )
                )
        tags = _json_tags(entry.get("tags"))
        image = string_value(entry.get("image")) or string_value(entry.get("banner_image"))
        image = image or first_picture(media) or ""  # else its first picture attached
        title = title_or_text(
            string_value(entry.get("title")),
            string_value(entry.get("summary")),
            string_value(entry.get("content_text")),
            string_value(entry.get("content_html")),
        )
        summary = string_value(entry.get("summary")) or string_value(entry.get("content_text"))
        items.append(
            Item(
                id=item_id(cfg.id, native),
                source=cfg.id,
                kind=kind_for(cfg, tags),
                title=title,
                url=link,
                summary=summary,
                # content_text is plain: laid out (lines, links) when it has more
                content_html=(
                    string_value(entry.get("content_html"))
                    or layout_html(string_value(entry.get("content_text")))
                ),
                authors=_json_authors(entry) or feed_authors,
                published=date_of(published),
                published_precision=precision_of(published),
                updated=date_of(updated),
                language=entry_language(
                    entry.get("language"), declared, f"{title} {summary[:200]}", cfg.language
                ),
                categories=tuple(tags),
                media=tuple(media),
                thumbnail=resolve_url(base, image) if image else None,
            )
        )
        if len(items) >= cfg.max_items:
            break
    return items


def _json_tags(value: Any) -> list[str]:
    """A JSON Feed item's ``tags``: a list, as the spec has it, or one string of them
    separated by commas, as some generators write it (``"workflow,omnifocus"``); each one
    as a feed's category is read (:func:`~.feedentry.split_labels`)."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return []
    return [tag for v in value if isinstance(v, (str, int)) for tag in split_labels(str(v))]


def _json_authors(node: dict[str, Any]) -> tuple[str, ...]:
    authors = node.get("authors")
    if not isinstance(authors, list):
        single = node.get("author")  # JSON Feed 1.0
        authors = [single] if isinstance(single, dict) else []
    return tuple(
        string_value(a.get("name"))
        for a in authors
        if isinstance(a, dict) and string_value(a.get("name"))
    )
