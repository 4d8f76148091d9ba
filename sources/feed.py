"""``kind = "feed"``: RSS 0.9x, RSS 1.0 (RDF), RSS 2.0 and Atom, over HTTP or from a file.

Parsing is feedparser's, after the body has been re-encoded as UTF-8 (see
``pipeline.encoding``). YouTube channel and playlist feeds become ``video`` items keyed by
the video id, with their thumbnail and description.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any, ClassVar

import feedparser

from config.models import FeedSourceConfig
from pipeline.dates import parse_date
from pipeline.encoding import to_utf8_xml
from pipeline.errors import ParseError
from pipeline.http import Http
from pipeline.model import Item, Media, MediaRole, Precision
from sources.base import Fetched, FetchState, register
from sources.common import hashed_id, item_id, kind_for, read_local, source_zone

ACCEPT = (
    "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
_YOUTUBE_WATCH = "https://www.youtube.com/watch?v="


@register("feed")
class FeedSource:
    """Reads one RSS/RDF/Atom feed."""

    kind: ClassVar[str] = "feed"

    def __init__(self, config: FeedSourceConfig, http: Http, clock: Callable[[], datetime]) -> None:
        self.config = config
        self.http = http
        self.clock = clock

    def fetch(self, state: FetchState) -> Iterator[Fetched]:
        """Yield the feed document (conditional GET, or the local file if it changed)."""
        if self.config.path is not None:
            yield read_local(self.config.path, self.config.id, state, self.clock)
            return
        url = state.url or self.config.url
        assert url is not None
        resp = self.http.get(
            url,
            source_id=self.config.id,
            cached=state.validators.get(url),
            allow_private=self.config.allow_private,
            browser_agent=self.config.browser_user_agent,
            accept=ACCEPT,
        )
        yield Fetched(
            location=url,
            body=resp.body,
            media_type=resp.media_type,
            charset=resp.charset,
            base_url=resp.final_url,
            fetched_at=self.clock(),
            validators=resp.validators,
            moved_to=resp.moved_to,
        )

    def parse(self, fetched: Fetched) -> Iterable[Item]:
        """Map every entry of the feed to a draft item."""
        body = to_utf8_xml(fetched.body, fetched.charset)
        headers = {"content-type": "application/xml; charset=utf-8"}
        if fetched.base_url:
            headers["content-location"] = fetched.base_url
        parsed = feedparser.parse(
            body,
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=True,
        )
        if not parsed.get("version") and not parsed.entries:
            cause = parsed.get("bozo_exception")
            why = f" ({type(cause).__name__}: {cause})" if cause else ""
            raise ParseError(
                self.config.id,
                f"{fetched.location} is not an RSS, RDF or Atom feed{why}",
            )
        feed_language = _language(parsed.feed.get("language"))
        seen: set[str] = set()
        items = []
        for entry in parsed.entries[: self.config.max_items]:
            item = self._item(entry, feed_language)
            if item is None or item.id in seen:
                continue
            seen.add(item.id)
            items.append(item)
        return items

    def _item(self, entry: Any, feed_language: str | None) -> Item | None:
        cfg = self.config
        zone = source_zone(cfg)
        video_id = entry.get("yt_videoid")
        link = entry.get("link") or ""
        if video_id:
            link = link or _YOUTUBE_WATCH + video_id
        title = entry.get("title") or ""
        published = _date(entry, ("published", "dc_date", "issued", "created"), zone)
        updated = _date(entry, ("updated", "modified"), zone)
        if published is None and updated is not None:
            published = updated
        native = (
            video_id
            or entry.get("id")
            or link
            or hashed_id(title, published[0].isoformat() if published else None)
        )
        labels = [t.get("term") or "" for t in entry.get("tags") or [] if t.get("term")]
        content = ""
        for block in entry.get("content") or []:
            if block.get("value"):
                content = block["value"]
                break
        summary = entry.get("summary") or ""
        if not content and entry.get("summary_detail", {}).get("type") == "text/html":
            content = summary
        media, thumbnail = _media(entry)
        return Item(
            id=item_id(cfg.id, native),
            source=cfg.id,
            kind=kind_for(cfg, labels, "video" if video_id else None),
            title=title,
            url=link,
            summary=summary,
            content_html=content,
            authors=_authors(entry),
            published=published[0] if published else None,
            published_precision=published[1] if published else None,
            updated=updated[0] if updated else None,
            language=_language(entry.get("language")) or feed_language or cfg.language,
            categories=tuple(labels),
            media=media,
            thumbnail=thumbnail,
            topics=tuple(cfg.topics),
            places=tuple(cfg.places),
            extra=(("video_id", video_id),) if video_id else (),
        )


def _date(entry: Any, keys: tuple[str, ...], zone: Any) -> tuple[datetime, Precision] | None:
    for key in keys:
        # dict.get: feedparser's own get() maps a missing 'updated' to 'published' (and warns).
        raw = dict.get(entry, key)
        if isinstance(raw, str) and raw.strip():
            found = parse_date(raw, zone)
            if found:
                return found
            parsed = dict.get(entry, f"{key}_parsed")
            if parsed:
                from calendar import timegm
                from datetime import UTC

                return datetime.fromtimestamp(timegm(parsed), UTC), "datetime"
    return None


def _authors(entry: Any) -> tuple[str, ...]:
    names: list[str] = []
    for author in entry.get("authors") or []:
        name = (author.get("name") or "").strip()
        if name and name not in names:
            names.append(name)
    if not names and entry.get("author"):
        names.append(str(entry["author"]).strip())
    return tuple(names)


def _media(entry: Any) -> tuple[tuple[Media, ...], str | None]:
    media: list[Media] = []
    urls: set[str] = set()
    for link in entry.get("links") or []:
        if link.get("rel") == "enclosure" and link.get("href") and link["href"] not in urls:
            urls.add(link["href"])
            length = str(link.get("length") or "")
            media.append(
                Media(
                    url=link["href"],
                    mime=link.get("type") or None,
                    length=int(length) if length.isdigit() and int(length) > 0 else None,
                    role="enclosure",
                )
            )
    for content in entry.get("media_content") or []:
        url = content.get("url")
        # YouTube lists a long-dead Flash player URL as media:content: not a usable file.
        if content.get("type") == "application/x-shockwave-flash":
            continue
        if url and url not in urls:
            urls.add(url)
            mime = content.get("type") or None
            role: MediaRole = (
                "video"
                if (mime or "").startswith("video") or content.get("medium") == "video"
                else "enclosure"
            )
            size = str(content.get("filesize") or "")
            media.append(
                Media(
                    url=url,
                    mime=mime,
                    length=int(size) if size.isdigit() else None,
                    role=role,
                )
            )
    thumbnail = None
    for thumb in entry.get("media_thumbnail") or []:
        if thumb.get("url"):
            thumbnail = thumb["url"]
            break
    return tuple(media), thumbnail


def _language(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().replace("_", "-")
