"""``kind = "sitemap"``: change discovery through sitemap.xml and sitemap indexes.

Every run reads the sitemap (following an index to its child sitemaps, gzipped or not),
keeps the page URLs under the configured path prefixes, and fetches those that are new
or whose ``lastmod`` changed since the last run (up to ``max_pages``; the rest wait for the
next run). Each fetched page is read like an ``html`` follow: title, description, dates,
main text, JSON-LD Article or Event.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator
from typing import ClassVar
from urllib.parse import urlsplit

from lxml import etree

from tdlc_syndication.config.sources import SitemapSourceConfig
from tdlc_syndication.pipeline.dates import parse_date
from tdlc_syndication.pipeline.encoding import decode
from tdlc_syndication.pipeline.errors import FetchError, ParseError
from tdlc_syndication.pipeline.model import Item, Retraction, Skipped
from tdlc_syndication.sources.base import Document, Fetched, FetchState
from tdlc_syndication.sources.common import (
    BaseSource,
    date_of,
    item_id,
    kind_for,
    precision_of,
    source_zone,
)
from tdlc_syndication.sources.page import css_problems, read_page

NAMESPACES = (
    "http://www.sitemaps.org/schemas/sitemap/0.9",
    "http://www.google.com/schemas/sitemap/0.84",
)
MAX_UNZIPPED = 60 * 1024 * 1024  # the protocol's 50 MB, with room


def gunzip_if_needed(body: bytes, source_id: str) -> bytes:
    """Sitemaps may arrive gzipped without Content-Encoding: unzip by the magic bytes."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        unzipper = zlib.decompressobj(16 + zlib.MAX_WBITS)
        data = unzipper.decompress(body, MAX_UNZIPPED)
    except zlib.error as exc:
        raise ParseError(source_id, f"a gzipped sitemap is corrupt: {exc}") from exc
    if unzipper.unconsumed_tail:
        raise ParseError(source_id, f"a gzipped sitemap unpacks to more than {MAX_UNZIPPED} bytes")
    return data


def read_sitemap(body: bytes, source_id: str) -> tuple[str, list[tuple[str, str]]]:
    """``("urlset" | "sitemapindex", [(loc, lastmod)])`` of one sitemap file."""
    try:
        root = etree.fromstring(
            gunzip_if_needed(body, source_id), parser=etree.XMLParser(resolve_entities=False)
        )
    except etree.XMLSyntaxError as exc:
        raise ParseError(source_id, f"the sitemap is not XML: {exc}") from exc
    tag = etree.QName(root).localname
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
        if loc:
            entries.append((loc, lastmod))
    return tag, entries


class SitemapSource(BaseSource[SitemapSourceConfig]):
    """Discovers new and changed pages of one site."""

    kind: ClassVar[str] = "sitemap"

    @staticmethod
    def check_config(config: SitemapSourceConfig) -> list[str]:
        """The content selector must be valid CSS (for ``syndicate check``)."""
        return css_problems({"content_selector": config.content_selector or ""})

    def fetch(self, state: FetchState) -> Iterator[Fetched]:
        """Yield the sitemap with the new or changed pages in ``related`` (those that fail,
        and child sitemaps that fail, are ``skipped``) and the new cursor."""
        cfg = self.config
        known: dict[str, str] = json.loads(state.cursor) if state.cursor else {}
        first = self.get(state.url or cfg.url)
        kind, entries = read_sitemap(first.body, cfg.id)
        skipped: list[Skipped] = []
        if kind == "sitemapindex":
            children = entries[: cfg.max_sitemaps]
            entries = []
            for loc, _ in children:
                try:
                    entries.extend(read_sitemap(self.get(loc).body, cfg.id)[1])
                except FetchError as exc:
                    skipped.append(Skipped(loc, f"child sitemap: {exc.message}"))
        wanted = [(loc, lastmod) for loc, lastmod in entries if self._wanted(loc)]
        changed = [(loc, lastmod) for loc, lastmod in wanted if known.get(loc) != (lastmod or "?")]
        pages: list[Document] = []
        for loc, lastmod in changed[: cfg.max_pages]:
            try:
                resp = self.get(loc)
            except FetchError as exc:
                skipped.append(Skipped(loc, exc.message))
                continue
            pages.append(
                Document(url=loc, body=resp.body, charset=resp.charset, modified=lastmod or None)
            )
            known[loc] = lastmod or "?"
        yield self.fetched(
            cfg.url,
            first,
            cursor=json.dumps(known, sort_keys=True),
            related=tuple(pages),
            skipped=tuple(skipped),
        )

    def _wanted(self, loc: str) -> bool:
        path = urlsplit(loc).path
        if self.config.include and not any(path.startswith(p) for p in self.config.include):
            return False
        return not any(path.startswith(p) for p in self.config.exclude)

    def parse(self, fetched: Fetched) -> Iterable[Item | Retraction]:
        """Read every fetched page into an item."""
        cfg = self.config
        zone = source_zone(cfg)
        items = []
        for page in fetched.related:
            loc = page.url
            info = read_page(decode(page.body, page.charset)[0], loc, zone, cfg.content_selector)
            lastmod = parse_date(page.modified, zone)
            updated = info.modified or lastmod
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
                    published=date_of(info.published),
                    published_precision=precision_of(info.published),
                    updated=date_of(updated),
                    language=cfg.language or info.language,
                    categories=tuple(info.keywords),
                    thumbnail=info.image,
                    event=info.event,
                )
            )
        return items
