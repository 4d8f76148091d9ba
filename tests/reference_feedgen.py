"""The reference renderer: the project's Atom and RSS documents written with feedgen 1.0
(and two extensions for what feedgen drops or refuses), as they were before the string
renderers of ``outputs.atom`` and ``outputs.rss`` replaced it for speed. The tests render
random documents with both and require identical bytes."""

from __future__ import annotations

from datetime import UTC, datetime

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from tdlc_syndication.config.models import Settings
from tdlc_syndication.outputs.base import ENCLOSURE_ROLES, GENERATOR, STYLESHEET, relative_to
from tdlc_syndication.outputs.formats import BY_SUFFIX
from tdlc_syndication.outputs.paging import Page, page_path, unique_updates
from tdlc_syndication.outputs.view import FeedSpec, StoreView
from tdlc_syndication.outputs.xml import html_text
from tdlc_syndication.pipeline.model import Media, StoredItem
from tdlc_syndication.pipeline.text import plain_text

PROJECT_URL = "https://github.com/tdlc/tdlc-syndication"
MEDIA_NS = "http://search.yahoo.com/mrss/"
HISTORY_NS = "http://purl.org/syndication/history/1.0"
ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPES = {f.suffix: f.media_type for f in BY_SUFFIX.values()}


def page_links(store: StoreView, spec: FeedSpec, page: Page, fmt: str) -> dict[str, str]:
    """The RFC 5005 and WebSub links of one page: rel → absolute URL."""
    links: dict[str, str] = {}
    if page.is_archive:
        links["current"] = store.url(spec.path(fmt))
    if page.prev_archive:
        links["prev-archive"] = store.url(spec.archive_path(page.prev_archive, fmt))
    if page.next_archive:
        links["next-archive"] = store.url(spec.archive_path(page.next_archive, fmt))
    hub = store.settings.site.websub_hub
    if hub and not page.is_archive:
        links["hub"] = hub
    return links


class _FeedExtension(BaseExtension):  # type: ignore[misc]
    """Feed-level links feedgen refuses (hub, archives) and the RFC 5005 markers."""

    def __init__(self) -> None:
        self.links: dict[str, str] = {}
        self.marker: str | None = None  # "archive" or "complete"

    def extend_ns(self) -> dict[str, str]:
        namespaces = {"media": MEDIA_NS}
        if self.marker:
            namespaces["fh"] = HISTORY_NS
        return namespaces

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        # Insert before the first entry: Atom allows any order, but readers like metadata first.
        anchor = next((i for i, child in enumerate(feed) if child.tag == "entry"), len(feed))
        extra = [self._link("link", rel, href) for rel, href in self.links.items()]
        if self.marker:
            extra.append(etree.Element(f"{{{HISTORY_NS}}}{self.marker}"))
        for offset, element in enumerate(extra):
            feed.insert(anchor + offset, element)
        return feed

    def extend_rss(self, rss: etree._Element) -> etree._Element:
        channel = rss.find("channel")
        anchor = next((i for i, child in enumerate(channel) if child.tag == "item"), len(channel))
        extra = [self._link(f"{{{ATOM_NS}}}link", rel, href) for rel, href in self.links.items()]
        if self.marker:
            extra.append(etree.Element(f"{{{HISTORY_NS}}}{self.marker}"))
        for offset, element in enumerate(extra):
            channel.insert(anchor + offset, element)
        return rss

    @staticmethod
    def _link(tag: str, rel: str, href: str) -> etree._Element:
        # feedgen builds Atom elements without a namespace and relies on the root's default
        # namespace; a namespaced tag there would be written with an ns0: prefix.
        return etree.Element(tag, rel=rel, href=href)


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


def render_page(
    store: StoreView, spec: FeedSpec, page: Page, items: list[StoredItem], fmt: str
) -> bytes:
    """Render one page of one feed as Atom or RSS bytes."""
    settings = store.settings
    site = settings.site
    path = page_path(spec, page, fmt)
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.register_extension("syndication", _FeedExtension, _EntryExtension)
    fg.id(store.tag_uri(f"feed:{spec.id}"))
    title = spec.title if not page.is_archive else f"{spec.title} (archive {page.number})"
    fg.title(title)
    fg.subtitle(spec.description)
    author = {"name": site.author or site.title}
    if site.author_email:
        author["email"] = site.author_email
    fg.author(author)
    fg.link(href=store.url(path), rel="self", type=MEDIA_TYPES[fmt])
    fg.link(href=store.url(spec.home), rel="alternate", type="text/html")  # last: RSS <link>
    fg.language(site.language)
    newest = max((s.feed_updated for s in items), default=_epoch(settings))
    fg.updated(newest)
    fg.lastBuildDate(newest)
    fg.generator(GENERATOR, uri=PROJECT_URL)
    fg.ttl(site.ttl)
    fg.syndication.links = page_links(store, spec, page, fmt)
    fg.syndication.marker = "archive" if page.is_archive else None
    if not page.is_archive and page.prev_archive is None:
        fg.syndication.marker = "complete"
    for stored, updated in zip(items, unique_updates(items), strict=True):
        _entry(fg, store, stored, updated, fmt)
    if fmt == "atom":
        data: bytes = fg.atom_str(pretty=True, encoding="UTF-8")
    else:
        data = fg.rss_str(pretty=True, encoding="UTF-8")
    return _with_stylesheet(data, relative_to(path, STYLESHEET))


def _with_stylesheet(data: bytes, href: str) -> bytes:
    declaration, _, rest = data.partition(b"?>")
    pi = f'\n<?xml-stylesheet type="text/css" href="{href}"?>'.encode()
    return declaration + b"?>" + pi + rest


def _entry(
    fg: FeedGenerator, store: StoreView, stored: StoredItem, updated: datetime, fmt: str
) -> None:
    # RSS readers read a description as HTML: plain text that could be read as markup is
    # escaped once more (outputs.xml.html_text).
    summary = html_text if fmt == "rss" else str
    item = stored.item
    fe = fg.add_entry(order="append")
    fe.id(store.tag_uri(item.id))
    fe.title(item.title)
    fe.link(href=item.url)
    if item.summary:
        fe.summary(summary(item.summary))
    if item.content_html and plain_text(item.content_html) != item.summary:
        fe.content(item.content_html, type="html")
    elif not item.summary:
        fe.summary(summary(item.title))
    if stored.feed_published is not None:
        fe.published(stored.feed_published)
    fe.updated(updated)
    for name in item.authors:
        fe.author({"name": name})
    if item.authors:
        fe.dc.dc_creator(list(item.authors))
    terms = [("topic", t) for t in item.topics] + [("place", p) for p in item.places]
    terms.append(("kind", item.kind))
    for facet, term in terms:
        fe.category(term=term, scheme=store.url(f"feeds/{facet}/"), label=store.label(facet, term))
    fe.syndication.enclosures = [m for m in item.media if m.role in ENCLOSURE_ROLES]
    fe.syndication.thumbnail = item.thumbnail


def _epoch(settings: Settings) -> datetime:
    year = int(settings.site.id_date[:4])
    return datetime(year, 1, 1, tzinfo=UTC)
