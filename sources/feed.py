"""``kind = "feed"``: RSS 0.9x, RSS 1.0 (RDF), RSS 2.0, Atom and JSON Feed, over HTTP or
from a file.

The body is re-encoded as UTF-8 (see ``pipeline.encoding``), then read by lxml where that
reproduces feedparser exactly (``sources.fastfeed``) and by feedparser otherwise; a JSON
Feed is read by ``sources.jsonfeed``. YouTube channel and playlist feeds become ``video``
items keyed by the video id, with their thumbnail and description.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from tdlc_syndication.config.sources import FeedSourceConfig
from tdlc_syndication.pipeline.encoding import (
    join_surrogates_xml,
    to_utf8_xml,
)
from tdlc_syndication.pipeline.errors import ParseError
from tdlc_syndication.pipeline.lazy import LazyModule
from tdlc_syndication.pipeline.model import Item, Retraction
from tdlc_syndication.sources.base import Fetched, FetchState
from tdlc_syndication.sources.common import (
    BaseSource,
    date_of,
    declared_text_as_html,
    entry_language,
    given_language,
    hashed_id,
    is_web_address,
    item_id,
    kind_for,
    layout_html,
    lines_as_html,
    precision_of,
    source_zone,
    string_value,
)
from tdlc_syndication.sources.hubs import advertised, self_address

if TYPE_CHECKING:  # what reads a feed loads with the first feed read, not with this module
    from tdlc_syndication.sources import (
        drupal,
        fastfeed,
        feeddates,
        feedentry,
        feedhtml,
        footers,
        jsonfeed,
        tombstones,
    )
    from tdlc_syndication.sources.fastfeed import FeedData
else:  # (a run whose feeds did not change reads none: ``pipeline.lazy``; lxml and the date
    # readers load with these, and the worker processes' fork server loads them ahead)
    drupal = LazyModule("tdlc_syndication.sources.drupal")
    fastfeed = LazyModule("tdlc_syndication.sources.fastfeed")
    feeddates = LazyModule("tdlc_syndication.sources.feeddates")
    feedentry = LazyModule("tdlc_syndication.sources.feedentry")
    feedhtml = LazyModule("tdlc_syndication.sources.feedhtml")
    footers = LazyModule("tdlc_syndication.sources.footers")
    jsonfeed = LazyModule("tdlc_syndication.sources.jsonfeed")
    tombstones = LazyModule("tdlc_syndication.sources.tombstones")

ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, "
    "application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
_YOUTUBE_WATCH = "https://www.youtube.com/watch?v="
DELETED = "deleted at the origin (the feed's tombstone)"


class FeedSource(BaseSource[FeedSourceConfig]):
    """Reads one RSS/RDF/Atom feed or JSON Feed."""

    kind: ClassVar[str] = "feed"

    def fetch(self, state: FetchState) -> Iterator[Fetched]:
        """Yield the feed document (conditional GET, or the local file if it changed),
        with the polling interval it asks for (``<ttl>``, ``sy:updatePeriod``) if longer
        than what the HTTP headers say, and the WebSub hub it names. A local file is read
        whatever it says: its ``<ttl>`` asks the readers of a web server to spare it, and a
        file costs nothing (and no hub pushes a file)."""
        fetched = self.fetch_one(state, self.config.url, self.config.path, ACCEPT)
        if self.config.path is not None:
            # A file's feed is read at the address it names itself at: its entries' links
            # from the site's root (GitHub's releases feeds) had no address to resolve at.
            yield replace(fetched, base_url=fetched.base_url or self_address(fetched.body))
            return
        asked = feed_refresh_hint(fetched.body)
        if asked is not None and asked > (fetched.refresh_after or 0):
            fetched = replace(fetched, refresh_after=asked)
        where = fetched.base_url or fetched.location
        yield replace(fetched, hub=advertised(fetched.link_header, fetched.body, where))

    reader: ClassVar[str] = "auto"

    @staticmethod
    def kinds_produced(config: FeedSourceConfig) -> set[str]:
        """YouTube entries are videos."""
        return {"video"}  # "full": feedparser always (the differential test)

    def parse(self, fetched: Fetched) -> Iterable[Item | Retraction]:
        """Map every entry of the feed to a draft item."""
        if jsonfeed.is_json(fetched):
            return jsonfeed.json_feed_items(self.config, fetched, self.clock)
        feed = self.read(fetched)
        items: list[Item | Retraction] = []
        # Entries that share an id are all given: the run tells one entry given twice
        # from different entries under one id (``pipeline.prepare``).
        for entry in feed.entries[: self.config.max_items]:
            if feed.youtube and not entry.get("yt_videoid"):
                continue  # a malformed YouTube entry: no video to link
            items.append(self._item(entry, given_language(feed.language), fetched.base_url))
        if b"deleted-entry" in fetched.body:  # RFC 6721 tombstones (YouTube's hub sends them)
            body = to_utf8_xml(fetched.body, fetched.charset)
            items.extend(
                Retraction(id=item_id(self.config.id, tombstones.native_id(ref)), reason=DELETED)
                for ref in tombstones.deleted_refs(body)
            )
        return items

    def read(self, fetched: Fetched) -> FeedData:
        """The feed's entries: lxml's fast path when it reproduces feedparser exactly for
        this document (``sources.fastfeed``), feedparser otherwise.

        Raises:
            ParseError: the document is not an RSS, RDF or Atom feed.
        """
        body = to_utf8_xml(fetched.body, fetched.charset)
        if self.reader == "auto":
            fast = fastfeed.read_feed(body, fetched.base_url, self.config.max_items)
            order = feeddates.feed_order(self.config.language or fast.language) if fast else None
            if fast is not None and feeddates.dates_read(
                fast.entries, source_zone(self.config), self.clock, order
            ):
                return fast
        # An emoji escaped as two surrogates (lxml refuses the document): feedparser failed
        # on the whole document ("surrogates not allowed") for one of them.
        body = first_entries(body, self.config.max_items)
        return self._feedparser(join_surrogates_xml(body), fetched)

    def _feedparser(self, body: bytes, fetched: Fetched) -> FeedData:
        import feedparser

        feedhtml.teach_feedparser()

        headers = {"content-type": "application/xml; charset=utf-8"}
        if fetched.base_url:
            headers["content-location"] = fetched.base_url
        try:
            parsed = feedparser.parse(
                body,
                response_headers=headers,
                sanitize_html=False,
                resolve_relative_uris=True,
            )
        except Exception as exc:  # feedparser's own fault on a damaged document
            # (its loose parser raises KeyError on a stray </category>, for one)
            raise ParseError(
                self.config.id,
                f"{fetched.location} is too damaged to read as a feed "
                f"(the feed parser failed: {type(exc).__name__}: {exc})",
            ) from None
        if not parsed.get("version") and not parsed.entries:
            from tdlc_syndication.sources.discovery import web_page_hint  # failures only

            hint = web_page_hint(fetched.body, fetched.charset, fetched.location, "feed")
            if hint is not None:
                raise ParseError(self.config.id, hint)
            cause = parsed.get("bozo_exception")
            why = f" ({type(cause).__name__}: {cause})" if cause else ""
            raise ParseError(
                self.config.id,
                f"{fetched.location} is not an RSS, RDF or Atom feed{why}",
            )
        return fastfeed.FeedData(
            version=parsed.get("version") or "",
            language=given_language(parsed.feed.get("language")),
            youtube=bool(parsed.feed.get("yt_channelid") or parsed.feed.get("yt_playlistid")),
            entries=parsed.entries,
        )

    def _item(self, entry: Any, feed_language: str | None, feed_url: str) -> Item:
        cfg = self.config
        zone = source_zone(cfg)
        video_id = string_value(entry.get("yt_videoid"))  # (a damaged feed gave a mapping)
        media, thumbnail = feedentry.entry_media(entry, feed_url)
        given = str(entry.get("link") or "")  # an Atom id stands in for a missing link
        # A link that is the feed itself is a placeholder ("#" resolves to it), and an
        # empty one is none: the guid, when it is an address, is the entry's page, as
        # RSS 2.0 has it (such entries were dropped, or linked to the feed).
        own = given if is_web_address(given) and given != feed_url else None
        guid = str(entry.get("id") or "")
        permalink = guid if is_web_address(guid) and guid != feed_url else None
        link = (
            feedentry.original_link(entry)
            or own
            or permalink
            or feedentry.enclosed_link(media)
            or feedentry.related_link(entry)
            or given
        )
        if video_id:
            link = _YOUTUBE_WATCH + video_id  # the one address of a video (not /shorts/)
        title = entry.get("title") or ""
        order = feeddates.feed_order(cfg.language or feed_language)
        published = feeddates.entry_date(entry, feeddates.PUBLISHED, zone, self.clock, order)
        updated = feeddates.entry_date(entry, feeddates.UPDATED, zone, self.clock, order)
        if published is None and updated is not None:
            published = updated
        native = (
            video_id
            or entry.get("id")
            or link
            or hashed_id(title, published[0].isoformat() if published else None)
        )
        labels = feedentry.entry_labels(entry)
        content, plain = "", False
        for block in feedentry.records(entry, "content"):
            if block.get("value"):
                content = block["value"]
                plain = block.get("type") == "text/plain"
                if plain:  # Atom's type="text"
                    content = declared_text_as_html(content, laid_out=True)
                else:
                    content = lines_as_html(content)
                break
        summary = entry.get("summary") or ""
        described = feedentry.summary_type(entry)
        if summary and described == "text/plain":
            summary = declared_text_as_html(summary, laid_out=False)
        elif summary and not video_id:  # (YouTube's, laid out as its content below)
            summary = lines_as_html(summary)
        marked_up = described in _MARKUP  # a description in HTML or XHTML
        if marked_up:  # <itunes:summary> after <description>
            summary, content = feedentry.fuller_as_content(summary, content, plain=plain)
        if not content and marked_up:
            content = summary
            if video_id:  # YouTube's media:description is plain text: its lines and links
                content = layout_html(html.unescape(summary)) or content
        same = content == summary  # an RSS description standing for the content: read once
        if feed_url and link and link != feed_url:  # "#note-1" is the entry's, not the feed's
            summary = feedentry.own_anchors(summary, feed_url, link)
            content = summary if same else feedentry.own_anchors(content, feed_url, link)
        node = drupal.node_fields(summary)  # a Drupal node's title, author, date, tags, links
        if node.markup != summary:
            summary = node.markup
            content = summary if same else drupal.node_fields(content).markup
            labels = list(dict.fromkeys((*labels, *node.tags)))
            if published is None and node.created:
                published = feeddates.written_date(node.created, zone, self.clock, order)
        if link:  # Yoast's "The post … appeared first on …", Vimeo's "Cast:", "Tags:"
            summary, tags = footers.without_credits(footers.without_footer(summary, link), link)
            content, more = (
                (summary, ())
                if same
                else footers.without_credits(footers.without_footer(content, link), link)
            )
            if tags or more:
                labels = list(dict.fromkeys((*labels, *tags, *more)))
        title, summary, content, publisher = feedentry.without_publisher(
            entry, title, summary, content
        )
        return Item(
            id=item_id(cfg.id, native),
            source=cfg.id,
            kind=kind_for(cfg, labels, "video" if video_id or _played(entry) else None),
            title=feedentry.title_or_text(title, summary, content),
            url=link,
            summary=summary,
            content_html=content,
            authors=feedentry.entry_authors(entry)
            or node.authors
            or ((publisher,) if publisher else ()),
            published=date_of(published),
            published_precision=precision_of(published),
            updated=date_of(updated),
            # the feed's <language> unless the entry's script says another (en-US over
            # Japanese entries, as WordPress and many CMSs write it)
            language=entry_language(
                entry.get("language"), feed_language, f"{title} {summary[:200]}", cfg.language
            ),
            categories=tuple(labels),
            media=media,
            thumbnail=thumbnail,
            extra=(("video_id", video_id),) if video_id else (),
        )


_MARKUP = ("text/html", "application/xhtml+xml")  # a summary's types that are markup


def _played(entry: Any) -> bool:
    """Whether an entry names a page that plays it (Media RSS ``media:player``, as Vimeo
    and PeerTube write it for each video): it is a video."""
    player = entry.get("media_player")
    return isinstance(player, dict) and bool(player.get("url"))


_TTL = re.compile(rb"<ttl>\s*(\d{1,9})\s*</ttl>")  # 1,900 years of minutes at most
_UPDATE_PERIOD = re.compile(rb"<sy:updatePeriod>\s*(hourly|daily|weekly|monthly|yearly)\s*<", re.I)
_UPDATE_FREQUENCY = re.compile(rb"<sy:updateFrequency>\s*(\d{1,9})\s*<")
_PERIODS = {b"hourly": 3600, b"daily": 86400, b"weekly": 604800, b"monthly": 2592000,
            b"yearly": 31536000}  # fmt: skip


def feed_refresh_hint(body: bytes) -> float | None:
    """Seconds between polls a feed asks for: RSS ``<ttl>`` (minutes), or the syndication
    module's ``sy:updatePeriod`` divided by ``sy:updateFrequency``; None when it says
    nothing. Only the feed's head is read (the elements come before the items)."""
    head = body[:8192]
    ttl = _TTL.search(head)
    if ttl:
        return int(ttl.group(1)) * 60.0
    period = _UPDATE_PERIOD.search(head)
    if period:
        frequency = _UPDATE_FREQUENCY.search(head)
        times = max(1, int(frequency.group(1))) if frequency else 1
        return _PERIODS[period.group(1).lower()] / times
    return None


# The end of an entry, or a CDATA section or a comment, whose text is not markup (an
# article quoting ``</item>``).
_ENTRY_END = re.compile(
    rb"<!\[CDATA\[.*?\]\]>|<!--.*?-->|</(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>",
    re.IGNORECASE | re.DOTALL,
)
LONG_FEED = 1024 * 1024  # bytes: a feed this long may be cut before feedparser reads it


def first_entries(body: bytes, count: int) -> bytes:
    """A long feed's document up to the end of its ``count``-th entry, when more follow.
    Feedparser reads every entry of a document (its forgiving parser, which reads what
    lxml refuses, at about a millisecond an entry) and a run takes the first ``count``:
    a 19 MB feed of 100,000 entries with an HTML entity in it took 74 s and 435 MB to try.
    What the document holds after its entries (rare: an RSS 1.0 text input) is cut too;
    a feed under ``LONG_FEED`` bytes is read whole."""
    if len(body) < LONG_FEED:
        return body
    ends = (m for m in _ENTRY_END.finditer(body) if m.group().startswith(b"</"))
    for number, end in enumerate(ends, 1):
        if number == count:
            return body[: end.end()] if next(ends, None) is not None else body
    return body
