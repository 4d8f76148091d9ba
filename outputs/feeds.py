"""Atom 1.0 and RSS 2.0 feeds, written with feedgen.

feedgen traps avoided here: ``updated``/``lastBuildDate`` come from the newest item (never
the build time), the generator string is fixed, entries are added with ``order='append'``,
the RSS channel ``<link>`` is the only alternate link (feedgen takes the last one), HTML
content is ``type='html'`` (not CDATA), and enclosure lengths are only written when known.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from config.models import Settings
from outputs.base import GENERATOR, MEDIA_TYPES, FeedSpec, StoreView
from pipeline.model import Media, StoredItem
from pipeline.text import plain_text

PROJECT_URL = "https://github.com/tdlc/tdlc-syndication"
_ENCLOSURE_ROLES = ("enclosure", "document", "video")
MEDIA_NS = "http://search.yahoo.com/mrss/"


class _FeedExtension(BaseExtension):  # type: ignore[misc]
    """Declares the Media RSS namespace on the feed root."""

    def extend_ns(self) -> dict[str, str]:
        return {"media": MEDIA_NS}


class _EntryExtension(BaseEntryExtension):  # type: ignore[misc]
    """Writes what feedgen 1.0 gets wrong per entry: enclosure links (feedgen drops the
    ``rel``, ``type`` and ``length`` of every Atom entry link), one RSS enclosure, and a
    bare ``media:thumbnail`` (feedgen's media extension always wraps it in a group)."""

    def __init__(self) -> None:
        self.enclosures: list[Media] = []
        self.thumbnail: str | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"media": MEDIA_NS}

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        for media in self.enclosures:
            # feedgen builds entries without a namespace and relies on the root's default
            # namespace; a namespaced tag here would be written with an ns0: prefix.
            link = etree.SubElement(entry, "link")
            link.set("rel", "enclosure")
            link.set("href", media.url)
            link.set("type", media.mime or "application/octet-stream")
            if media.length:
                link.set("length", str(media.length))
        self._thumbnail(entry)
        return entry

    def extend_rss(self, item: etree._Element) -> etree._Element:
        if self.enclosures:
            first = self.enclosures[0]
            enclosure = etree.SubElement(item, "enclosure")
            enclosure.set("url", first.url)
            enclosure.set("length", str(first.length or 0))
            enclosure.set("type", first.mime or "application/octet-stream")
        self._thumbnail(item)
        return item

    def _thumbnail(self, parent: etree._Element) -> None:
        if self.thumbnail:
            etree.SubElement(parent, f"{{{MEDIA_NS}}}thumbnail").set("url", self.thumbnail)


class FeedPublisher:
    """Renders ``feeds/<stem>.atom`` and ``feeds/<stem>.rss`` for every feed spec."""

    name = "feeds"

    def render(self, store: StoreView, now: datetime) -> Mapping[str, bytes]:
        """Render every feed in both formats (``now`` is not used: output depends on the store)."""
        items = store.items()
        size = store.settings.site.feed_size
        files: dict[str, bytes] = {}
        for spec in store.feeds():
            selected = [s for s in items if spec.matches(s)][:size]
            files.update(render_feed(store, spec, selected))
        return files


def render_feed(store: StoreView, spec: FeedSpec, items: Sequence[StoredItem]) -> dict[str, bytes]:
    """Render one feed spec in every format as ``{relpath: bytes}``."""
    return {spec.path(fmt): _build(store, spec, items, fmt) for fmt in ("atom", "rss")}


def _build(store: StoreView, spec: FeedSpec, items: Sequence[StoredItem], fmt: str) -> bytes:
    settings = store.settings
    site = settings.site
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.register_extension("syndication", _FeedExtension, _EntryExtension)
    fg.id(store.tag_uri(f"feed:{spec.id}"))
    fg.title(spec.title)
    fg.subtitle(spec.description)
    author = {"name": site.author or site.title}
    if site.author_email:
        author["email"] = site.author_email
    fg.author(author)
    # feedgen uses the last link given as the RSS channel <link>: the page goes last.
    fg.link(href=store.url(spec.path(fmt)), rel="self", type=MEDIA_TYPES[fmt])
    fg.link(href=site.base_url, rel="alternate", type="text/html")
    fg.language(site.language)
    newest = max((s.feed_updated for s in items), default=_epoch(settings))
    fg.updated(newest)
    fg.lastBuildDate(newest)
    fg.generator(GENERATOR, uri=PROJECT_URL)
    fg.ttl(site.ttl)
    used: set[datetime] = set()
    for stored in items:
        # The W3C validator warns when two entries share atom:updated (common for items
        # dated to the day). Keep the newest as is and move later ties back by seconds;
        # the result depends only on the items, so rebuilds stay byte-identical.
        updated = stored.feed_updated
        while updated in used:
            updated -= timedelta(seconds=1)
        used.add(updated)
        _entry(fg, store, stored, updated)
    if fmt == "atom":
        data: bytes = fg.atom_str(pretty=True, encoding="UTF-8")
    else:
        data = fg.rss_str(pretty=True, encoding="UTF-8")
    return data


def _entry(fg: FeedGenerator, store: StoreView, stored: StoredItem, updated: datetime) -> None:
    item = stored.item
    tax = store.settings.taxonomy
    fe = fg.add_entry(order="append")
    fe.id(store.tag_uri(item.id))
    fe.title(item.title)
    fe.link(href=item.url)
    if item.summary:
        fe.summary(item.summary)
    if item.content_html and plain_text(item.content_html) != item.summary:
        fe.content(item.content_html, type="html")
    elif not item.summary:
        fe.summary(item.title)
    if item.published is not None:
        fe.published(item.published)
    fe.updated(updated)
    for name in item.authors:
        fe.author({"name": name})
    if item.authors:
        fe.dc.dc_creator(list(item.authors))
    categories = [
        (slug, "topic", tax.topics[slug].label) for slug in item.topics if slug in tax.topics
    ]
    categories += [
        (slug, "place", tax.places[slug].label) for slug in item.places if slug in tax.places
    ]
    kind_label = tax.kinds[item.kind].label if item.kind in tax.kinds else item.kind
    categories.append((item.kind, "kind", kind_label))
    for term, facet, label in categories:
        fe.category(term=term, scheme=store.url(f"feeds/{facet}/"), label=label)
    fe.syndication.enclosures = [m for m in item.media if m.role in _ENCLOSURE_ROLES]
    fe.syndication.thumbnail = item.thumbnail


def _epoch(settings: Settings) -> datetime:
    year = int(settings.site.id_date[:4])
    return datetime(year, 1, 1, tzinfo=UTC)
