"""``kind = "html"``: a page without a feed, read with CSS selectors from the config.

``fetch`` reads the list page (conditionally), then up to ``max_pages`` further pages
through ``next_selector``, and with ``follow`` each item's own page (up to
``follow_limit``). ``parse`` maps every item block to an item, enriched from its page
(full text, og: metadata, JSON-LD Article or Event) when that page was fetched.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar
from urllib.parse import urljoin

from bs4 import Tag

from tdlc_syndication.config.sources import HtmlSourceConfig
from tdlc_syndication.pipeline.dates import parse_any_date
from tdlc_syndication.pipeline.encoding import decode
from tdlc_syndication.pipeline.errors import FetchError, ParseError
from tdlc_syndication.pipeline.model import Item, Retraction
from tdlc_syndication.sources.base import Fetched, FetchState, register
from tdlc_syndication.sources.common import HttpSource, date_fields, item_id, kind_for, source_zone
from tdlc_syndication.sources.page import PageInfo, css_problems, read_page, soup_of

ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
SELECTOR_FIELDS = (
    "item_selector", "title_selector", "link_selector", "date_selector", "summary_selector",
    "image_selector", "next_selector", "content_selector",
)  # fmt: skip


def select_value(block: Tag, spec: str, base: str = "") -> str:
    """Apply ``selector``, ``selector@attr`` or ``@attr`` inside ``block``; '' if nothing.

    Attributes named href or src are made absolute against ``base``.
    """
    selector, _, attribute = spec.partition("@")
    node = block.select_one(selector) if selector.strip() else block
    if not isinstance(node, Tag):
        return ""
    if not attribute:
        return node.get_text(" ", strip=True)
    value = node.get(attribute)
    text = " ".join(value) if isinstance(value, list) else str(value or "")
    if attribute in ("href", "src") and text and base:
        return urljoin(base, text.strip())
    return text.strip()


@register("html")
class HtmlSource(HttpSource[HtmlSourceConfig]):
    """Scrapes one list page (and its follow-up pages)."""

    kind: ClassVar[str] = "html"

    @staticmethod
    def check_config(config: HtmlSourceConfig) -> list[str]:
        """One line per selector that is not valid CSS (for ``syndicate check``)."""
        specs = {name: getattr(config, name) for name in SELECTOR_FIELDS}
        # Every selector but the block's may end in @attribute.
        return css_problems(
            {n: v if n == "item_selector" else v.partition("@")[0] for n, v in specs.items() if v},
            specs,
        )

    def fetch(self, state: FetchState) -> Iterator[Fetched]:
        """Yield the list page with its further pages and followed item pages in ``meta``."""
        cfg = self.config
        url = state.url or cfg.url
        first = self.get(url, state, ACCEPT)
        pages: list[tuple[str, bytes, str | None]] = [(first.final_url, first.body, first.charset)]
        seen = {url, first.final_url}
        while cfg.next_selector and len(pages) < cfg.max_pages:
            soup = soup_of(decode(pages[-1][1], pages[-1][2])[0])
            next_url = select_value(soup, _with_href(cfg.next_selector), pages[-1][0])
            if not next_url or next_url in seen:
                break
            seen.add(next_url)
            resp = self.get(next_url, accept=ACCEPT)
            pages.append((resp.final_url, resp.body, resp.charset))
        details: dict[str, tuple[bytes, str | None]] = {}
        errors: dict[str, str] = {}
        if cfg.follow:
            for link in self._links(pages)[: cfg.follow_limit]:
                try:
                    page = self.get(link, accept=ACCEPT)
                except FetchError as exc:
                    errors[link] = exc.message
                    continue
                details[link] = (page.body, page.charset)
        yield self.fetched(url, first, meta={"pages": pages, "details": details, "errors": errors})

    def _links(self, pages: list[tuple[str, bytes, str | None]]) -> list[str]:
        links: list[str] = []
        for page_url, body, charset in pages:
            soup = soup_of(decode(body, charset)[0])
            for block in soup.select(self.config.item_selector):
                link = select_value(block, self.config.link_selector, page_url)
                if link and link not in links:
                    links.append(link)
        return links

    def parse(self, fetched: Fetched) -> Iterable[Item | Retraction]:
        """Map every item block of every list page to an item."""
        cfg = self.config
        zone = source_zone(cfg)
        pages = fetched.meta.get("pages") or [(fetched.base_url, fetched.body, fetched.charset)]
        details = fetched.meta.get("details") or {}
        items: list[Item] = []
        for number, (page_url, body, charset) in enumerate(pages):
            text, _ = decode(body, charset)
            soup = soup_of(text)
            blocks = soup.select(cfg.item_selector)
            if not blocks and number == 0:
                raise ParseError(
                    cfg.id,
                    f"item_selector {cfg.item_selector!r} matched nothing on {page_url}: "
                    "the page layout may have changed",
                )
            for block in blocks:
                link = select_value(block, cfg.link_selector, page_url)
                info = None
                if link in details:
                    page_body, page_charset = details[link]
                    info = read_page(
                        decode(page_body, page_charset)[0], link, zone, cfg.content_selector
                    )
                items.append(self._item(block, link, page_url, info))
                if len(items) >= cfg.max_items:
                    return items
        return items

    def _item(self, block: Tag, link: str, page_url: str, info: PageInfo | None) -> Item:
        cfg = self.config
        zone = source_zone(cfg)
        title = select_value(block, cfg.title_selector, page_url)
        date_text = select_value(block, cfg.date_selector, page_url) if cfg.date_selector else ""
        published = parse_any_date(date_text or block.get_text(" "), zone, cfg.date_format)
        summary = (
            select_value(block, cfg.summary_selector, page_url) if cfg.summary_selector else ""
        )
        image = select_value(block, cfg.image_selector, page_url) if cfg.image_selector else ""
        updated = None
        content, language, event = "", cfg.language, None
        authors: tuple[str, ...] = ()
        categories: tuple[str, ...] = ()
        if info is not None:
            title = title or info.title
            summary = summary or info.description
            image = image or (info.image or "")
            published = published or info.published or info.modified
            updated = info.modified
            content = info.content_html
            authors = tuple(info.authors)
            categories = tuple(info.keywords)
            language = cfg.language or info.language
            event = info.event
        return Item(
            id=item_id(cfg.id, link or title),
            source=cfg.id,
            kind=kind_for(cfg, categories, "event" if event else None),
            title=title,
            url=link,
            summary=summary,
            content_html=content,
            authors=authors,
            **date_fields(published, updated),
            language=language,
            categories=categories,
            thumbnail=image or None,
            event=event,
        )


def _with_href(spec: str) -> str:
    return spec if "@" in spec else f"{spec}@href"
