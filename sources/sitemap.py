"""``kind = "sitemap"``: change discovery through sitemap.xml and sitemap indexes.

Every run reads the sitemap (following an index to its child sitemaps, gzipped or not:
those whose name matches ``sitemaps``, newest first, skipping a child whose ``lastmod`` has
not changed since it was last read in full), keeps the page URLs on the sitemap's own host
(as the protocol requires) under the configured path prefixes, and fetches those that are
new or whose ``lastmod`` changed since the last run (up to ``max_pages``; the rest wait for
the next run; where every page has the same ``lastmod``, the time the sitemap was made,
only the new ones). Each fetched page is read like an ``html`` follow: title, description,
dates, main text, JSON-LD Article or Event.
"""

from __future__ import annotations

import json
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple
from urllib.parse import unquote, urlsplit

from tdlc_syndication.config.sources import SitemapSourceConfig
from tdlc_syndication.pipeline.encoding import (
    decode_html,
    document_start,
    without_xml_controls,
    xml_start,
)
from tdlc_syndication.pipeline.errors import FetchError, ParseError
from tdlc_syndication.pipeline.gzipped import GZIP_MAGIC, Oversized, gunzip
from tdlc_syndication.pipeline.lazy import LazyModule
from tdlc_syndication.pipeline.ledger import Skipped
from tdlc_syndication.pipeline.model import Item, Retraction
from tdlc_syndication.pipeline.uris import split_url
from tdlc_syndication.sources.base import Document, Fetched, FetchState
from tdlc_syndication.sources.common import (
    BaseSource,
    date_of,
    item_id,
    kind_for,
    precision_of,
    settings_blamed,
    site_of,
    source_zone,
)
from tdlc_syndication.sources.files import path_file_type

if TYPE_CHECKING:  # lxml, the date and page readers load with the first sitemap read
    from lxml import etree

    from tdlc_syndication.pipeline import dates
    from tdlc_syndication.sources import notfound
    from tdlc_syndication.sources import page as pages
else:
    etree = LazyModule("lxml.etree")
    dates = LazyModule("tdlc_syndication.pipeline.dates")
    notfound = LazyModule("tdlc_syndication.sources.notfound")
    pages = LazyModule("tdlc_syndication.sources.page")

NAMESPACES = (
    "http://www.sitemaps.org/schemas/sitemap/0.9",
    "http://www.google.com/schemas/sitemap/0.84",
)
MAX_ENTRIES = 200_000  # page entries kept from one index's children, over all of them
DEFAULT_LIMIT = 20 * 1024 * 1024


def gunzip_if_needed(body: bytes, source_id: str, limit: int = DEFAULT_LIMIT) -> bytes:
    """Sitemaps may arrive gzipped without Content-Encoding: unzip by the magic bytes, to
    ``limit`` bytes at most (the source's ``max_body_bytes``)."""
    if not body.startswith(GZIP_MAGIC):
        return body
    try:
        return gunzip(body, limit)
    except zlib.error as exc:
        raise ParseError(source_id, f"a gzipped sitemap is corrupt: {exc}") from exc
    except Oversized:
        raise ParseError(
            source_id, f"a gzipped sitemap unpacks to more than {limit} bytes (max_body_bytes)"
        ) from None


class Listing(NamedTuple):
    """What one sitemap file lists."""

    form: str  # "urlset" or "sitemapindex"
    entries: list[tuple[str, str]]  # (loc, lastmod)
    cut: bool = False  # it ends before its close: the entries written before the cut


def read_sitemap(body: bytes, source_id: str, limit: int = DEFAULT_LIMIT) -> Listing:
    """What one sitemap file lists: XML, or text with one address a line (which the
    protocol allows too). A file its server stopped writing partway (a script's time or
    memory limit, answered 200 with what was written) gives the entries closed before the
    cut: the one cut, whose address may be cut too, is none."""
    data = xml_start(gunzip_if_needed(body, source_id, limit))
    listed = _text_sitemap(data, source_id)
    if listed is not None:
        return Listing("urlset", [(loc, "") for loc in listed])
    try:
        root, cut = _sitemap_root(data), False
    except etree.XMLSyntaxError as exc:
        root, cut = _mended(data, exc, source_id)
    tag = etree.QName(root).localname
    if tag in ("rss", "RDF", "feed"):
        return Listing("urlset", _feed_pages(root), cut)
    if tag.lower() == "html":  # a site's home page given for its sitemap
        raise ParseError(
            source_id,
            "not a sitemap but a web page (root element 'html'): a site's sitemap is "
            "usually /sitemap.xml, or the one its /robots.txt names (`syndicate discover` "
            "finds it)",
        )
    if tag not in ("urlset", "sitemapindex"):
        raise ParseError(source_id, f"not a sitemap (root element {tag!r})")
    entries = []
    for child in root:
        if not isinstance(child.tag, str):
            continue
        loc = lastmod = ""
        for field in child:
            if not isinstance(field.tag, str):
                continue
            name = etree.QName(field).localname
            if name == "loc":
                loc = (field.text or "").strip()
            elif name == "lastmod":
                lastmod = (field.text or "").strip()
        if _is_url(loc):
            entries.append((loc, lastmod))
    return Listing(tag, entries, cut)


def _feed_pages(root: Any) -> list[tuple[str, str]]:
    """The pages a feed lists, each with when it was last changed, as sitemaps.org lets a
    site give its RSS (2.0 or 1.0) or Atom feed as its sitemap (and sites name it so in
    robots.txt, ``Sitemap: https://…/feed/``): an item's ``link`` and its ``pubDate`` or
    ``dc:date``; an entry's alternate ``link`` and its ``updated`` or ``published`` (Atom
    0.3's ``modified`` or ``issued``). Such a sitemap failed as "not a sitemap (root
    element 'rss')"."""
    pages = []
    for entry in root.iter("{*}item", "{*}entry"):
        loc, said = "", dict[str, str]()
        for field in entry:
            name = etree.QName(field).localname if isinstance(field.tag, str) else ""
            if name == "link" and not loc and field.get("rel", "alternate") == "alternate":
                loc = (field.get("href") or field.text or "").strip()
            elif name in _CHANGED:
                said.setdefault(name, (field.text or "").strip())
        if _is_url(loc):
            pages.append((loc, next((said[n] for n in _CHANGED if said.get(n)), "")))
    return pages


# The names an item's or an entry's last change is written by, the most telling first.
_CHANGED = ("updated", "modified", "pubDate", "date", "published", "issued")  # (Atom 0.3's last)


# A sitemap's root and its entries' close, with a namespace's prefix or none.
_ROOT = re.compile(rb"<((?:[\w.-]+:)?(?:urlset|sitemapindex))[\s>]")
_ENTRY_CLOSE = re.compile(rb"</(?:[\w.-]+:)?(?:url|sitemap)\s*>")


def _mended(data: bytes, exc: Exception, source_id: str) -> tuple[Any, bool]:
    """The root of a sitemap that is not XML as it stands, and whether it was cut: one
    whose addresses keep their query's bare "&" (``?id=1&cat=2``, as hand-made sitemaps
    write them), one whose server stopped writing it (:func:`_closed_before_the_cut`),
    one with a control character XML forbids (a news sitemap's title pasted from Word:
    :func:`without_xml_controls`).

    Raises:
        ParseError: it is none of them.
    """
    controlled = without_xml_controls(data)
    if controlled != data:
        data = controlled
        try:
            return _sitemap_root(data), False
        except etree.XMLSyntaxError:
            pass
    if b"&" in data:
        data = _BARE_AMPERSAND.sub(b"&amp;", data)
        try:
            return _sitemap_root(data), False
        except etree.XMLSyntaxError:
            pass
    whole = _closed_before_the_cut(data)
    if whole is not None:
        try:
            return _sitemap_root(whole), True
        except etree.XMLSyntaxError:
            pass
    raise ParseError(source_id, f"the sitemap is not XML: {exc}") from exc


def _closed_before_the_cut(data: bytes) -> bytes | None:
    """A sitemap that ends before its root's close, to the end of its last closed entry
    and closed there; None for one that is no such sitemap or is closed (its fault is
    elsewhere)."""
    root = _ROOT.search(data)
    if root is None or b"</" + root.group(1) in data[root.end() :]:
        return None
    closes = [found.end() for found in _ENTRY_CLOSE.finditer(data, root.end())]
    end = closes[-1] if closes else data.find(b">", root.start()) + 1
    return data[:end] + b"</" + root.group(1) + b">" if end else None


# An "&" that starts no reference: XML wants "&amp;", and a sitemap whose addresses keep
# their query's "&" (a common fault, which Search Console reports) failed as a whole.
_BARE_AMPERSAND = re.compile(rb"&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);)")


def _sitemap_root(data: bytes) -> Any:
    return etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, huge_tree=False))


def _text_sitemap(data: bytes, source_id: str) -> list[str] | None:
    """The addresses of a sitemap written as text (UTF-8, one address a line, as
    sitemaps.org allows and robots.txt may name: ``Sitemap: .../sitemap.txt``); None for
    a document that does not begin with an address (XML).

    Raises:
        ParseError: a line that is no address, or bytes that are not UTF-8.
    """
    head = document_start(data, 8).lower()
    if not head.startswith((b"http://", b"https://")):
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(source_id, f"a sitemap written as text is not UTF-8: {exc}") from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    wrong = next((line for line in lines if not _is_url(line)), None)
    if wrong is not None:
        raise ParseError(
            source_id, f"a sitemap written as text holds {wrong[:80]!r}, which is no address"
        )
    return lines


def _cut(url: str, listed: int) -> Skipped:
    """The report's line for a sitemap that ends before its close."""
    return Skipped(
        url,
        "the sitemap ends before its close (its server stopped writing it): read the "
        f"{listed} page(s) listed before the cut",
    )


def _is_url(loc: str) -> bool:
    """Whether a ``loc`` is an http(s) URL with a host: ``http://[::1/page`` or a port
    past 65535 made every later look at it raise a ValueError, and the whole source
    failed as "a fault of this program"."""
    parts = split_url(loc)
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.hostname)


def _cursor(text: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """The pages seen (URL → lastmod) and the child sitemaps read in full (URL →
    lastmod) that the cursor keeps (an older cursor holds only the pages)."""
    data = json.loads(text) if text else {}
    if "pages" in data and isinstance(data["pages"], dict):
        return dict(data["pages"]), dict(data.get("sitemaps") or {})
    return dict(data), {}


class SitemapSource(BaseSource[SitemapSourceConfig]):
    """Discovers new and changed pages of one site."""

    kind: ClassVar[str] = "sitemap"

    @staticmethod
    def kinds_produced(config: SitemapSourceConfig) -> set[str]:
        """A page that describes an event (JSON-LD Event, or a day in the text that
        ``event_selector`` picks) gives an event."""
        return {"event"}

    @staticmethod
    def check_config(config: SitemapSourceConfig) -> list[str]:
        """The selectors must be valid CSS (for ``syndicate check``); the event's may end
        in @attribute."""
        specs = {
            "content_selector": config.content_selector or "",
            "event_selector": config.event_selector or "",
            "location_selector": config.location_selector or "",
        }
        return pages.css_problems({n: v.partition("@")[0] for n, v in specs.items()}, specs)

    @settings_blamed
    def fetch(self, state: FetchState) -> Iterator[Fetched]:
        """Yield the sitemap with the new or changed pages in ``related`` (those that fail,
        and child sitemaps that fail, are ``skipped``) and the new cursor."""
        cfg = self.config
        known, done = _cursor(state.cursor)
        first = self.get(state.url or cfg.url)
        kind, entries, cut = read_sitemap(first.body, cfg.id, self.http.config.max_body_bytes)
        skipped: list[Skipped] = [_cut(first.final_url, len(entries))] if cut else []
        read: dict[str, str] = {}  # child sitemap → its lastmod, read this run
        sites = {site_of(cfg.url), site_of(first.final_url)}
        if kind == "sitemapindex":
            entries, read = self._children(entries, done, skipped, sites)
        elsewhere = [loc for loc, _ in entries if site_of(loc) not in sites]
        if elsewhere:
            skipped.append(
                Skipped(
                    elsewhere[0],
                    f"{len(elsewhere)} page(s) on another host than the sitemap's, such as "
                    "this one: not read (the protocol allows none; a host's pages need a "
                    "source of their own)",
                )
            )
        wanted = [
            (loc, lastmod)
            for loc, lastmod in entries
            if site_of(loc) in sites and self._wanted(loc)
        ]
        # Every page dated alike: the time the sitemap was generated, not when each page
        # changed (as many CMSs write it): only new pages are read, not the whole site again.
        generated = len(wanted) > 1 and len({lastmod for _, lastmod in wanted}) == 1
        changed = [
            (loc, lastmod)
            for loc, lastmod in wanted
            if (loc not in known if generated else known.get(loc) != (lastmod or "?"))
        ]
        pages: list[Document] = []
        for loc, lastmod in changed[: cfg.max_pages]:
            try:
                resp = self.get(loc)
                page = notfound.file_or_page(resp, loc, cfg.id) is None  # or a file
            except FetchError as exc:
                skipped.append(Skipped(loc, exc.message))
                continue
            if page:
                pages.append(
                    Document(
                        url=loc, body=resp.body, charset=resp.charset, modified=lastmod or None
                    )
                )
            known[loc] = lastmod or "?"
        if len(changed) <= cfg.max_pages and not skipped:
            # Every change these children listed is taken: next time, a child whose
            # lastmod is the same is not read again.
            done.update({loc: lastmod for loc, lastmod in read.items() if lastmod})
        yield self.fetched(
            cfg.url,
            first,
            cursor=json.dumps({"pages": known, "sitemaps": done}, sort_keys=True),
            related=tuple(pages),
            skipped=tuple(skipped),
        )

    def _children(
        self,
        children: list[tuple[str, str]],
        done: dict[str, str],
        skipped: list[Skipped],
        sites: set[str],
    ) -> tuple[list[tuple[str, str]], dict[str, str]]:
        """The page entries of an index's child sitemaps: those on the index's site whose
        name matches ``sitemaps``, that changed since they were last read in full (by
        ``lastmod``), newest first, at most ``max_sitemaps``."""
        cfg = self.config
        names = [n.lower() for n in cfg.sitemaps]
        elsewhere = [loc for loc, _ in children if site_of(loc) not in sites]
        if elsewhere:  # one line for all: an index listing thousands kept a line each
            skipped.append(
                Skipped(
                    elsewhere[0],
                    f"{len(elsewhere)} child sitemap(s) on another host than the index's, "
                    "such as this one: not read",
                )
            )
        chosen = [
            (loc, lastmod)
            for loc, lastmod in children
            if site_of(loc) in sites
            and (not names or any(n in loc.lower() for n in names))
            and not (lastmod and done.get(loc) == lastmod)
        ]
        chosen.sort(key=lambda entry: entry[1], reverse=True)  # ISO 8601 sorts as text
        entries: list[tuple[str, str]] = []
        read: dict[str, str] = {}
        limit = self.http.config.max_body_bytes
        for loc, lastmod in chosen[: cfg.max_sitemaps]:
            if len(entries) >= MAX_ENTRIES:
                skipped.append(Skipped(loc, f"child sitemap: not read, {MAX_ENTRIES} pages taken"))
                continue
            try:
                kind, found, cut = read_sitemap(self.get(loc).body, cfg.id, limit)
            except (FetchError, ParseError) as exc:
                skipped.append(Skipped(loc, f"child sitemap: {exc.message}"))
                continue
            if cut:
                skipped.append(_cut(loc, len(found)))
            if kind == "sitemapindex":
                skipped.append(
                    Skipped(
                        loc,
                        "child sitemap: an index inside an index (the protocol allows "
                        "none); give it its own source to read it",
                    )
                )
                continue
            entries.extend(found[: MAX_ENTRIES - len(entries)])
            read[loc] = lastmod
        return entries, read

    def _wanted(self, loc: str) -> bool:
        """Whether a page's path starts with an ``include`` prefix and no ``exclude`` one,
        read unescaped (the settings keep the prefixes so): a sitemap writes
        ``/%E5%B8%82%E6%94%BF/`` where the operator copied ``/市政/`` from the browser's
        address bar. A file (``.pdf``) is no page."""
        path = unquote(urlsplit(loc).path)
        if path_file_type(path) is not None:
            return False
        cfg = self.config
        if cfg.include and not any(path.startswith(p) for p in cfg.include):
            return False
        return not any(path.startswith(p) for p in cfg.exclude)

    @settings_blamed
    def parse(self, fetched: Fetched) -> Iterable[Item | Retraction]:
        """Read every fetched page into an item."""
        cfg = self.config
        zone = source_zone(cfg)
        items = []
        read = [
            (
                page,
                pages.read_page(
                    decode_html(page.body, page.charset),
                    page.url,
                    zone,
                    cfg.content_selector,
                    cfg.event_selector,
                    cfg.location_selector,
                    self.clock().astimezone(zone).date(),
                ),
            )
            for page in fetched.related
        ]
        # What two pages of one read both give as their description or image is the
        # site's, on every page (its tagline, its logo): no item's.
        shared = Counter(
            value for _, info in read for value in {info.description, info.image} if value
        )
        for page, info in read:
            loc = page.url
            if shared[info.description] > 1:
                info.description = ""
            if info.image is not None and shared[info.image] > 1:
                info.image = None
            lastmod = dates.parse_date(page.modified, zone)
            updated = info.modified or lastmod
            # as an html follow dates its page; not by the sitemap's lastmod, which many
            # CMSs set to when the sitemap was made
            published = info.dated
            items.append(
                Item(
                    id=item_id(cfg.id, loc),
                    source=cfg.id,
                    kind=kind_for(cfg, info.keywords, "event" if info.event else None),
                    title=info.title,
                    url=info.url or loc,
                    summary=info.description,
                    content_html=info.content_html,
                    authors=tuple(info.authors),
                    published=date_of(published),
                    published_precision=precision_of(published),
                    updated=date_of(updated),
                    language=info.language or cfg.language,
                    categories=tuple(info.keywords),
                    thumbnail=info.image,
                    event=info.event,
                )
            )
        return items
