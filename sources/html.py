"""``kind = "html"``: a page without a feed, read with CSS selectors from the config.

``fetch`` reads the list page (conditionally), then up to ``max_pages`` further pages
through ``next_selector`` (or the link a page marks as its next), and with ``follow`` each
item's own page (up to ``follow_limit``). ``parse`` maps every item block to an item,
enriched from its page (full text, og: metadata, JSON-LD Article or Event) when that page
was fetched; ``listpage.py`` reads the blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from tdlc_syndication.config.sources import HtmlSourceConfig
from tdlc_syndication.pipeline.answers import BOT_CHECK, BOT_CHECK_FIX, is_bot_check
from tdlc_syndication.pipeline.encoding import decode_html
from tdlc_syndication.pipeline.errors import FetchError, NotModified, ParseError
from tdlc_syndication.pipeline.http import refusal
from tdlc_syndication.pipeline.lazy import LazyModule
from tdlc_syndication.pipeline.ledger import Skipped
from tdlc_syndication.pipeline.model import (
    PUBLISHED_AHEAD,
    Event,
    Item,
    Media,
    Precision,
    Retraction,
    Unread,
)
from tdlc_syndication.sources.base import Document, Fetched, FetchState
from tdlc_syndication.sources.common import (
    BaseSource,
    agreeing_language,
    date_of,
    item_id,
    kind_for,
    precision_of,
    settings_blamed,
    source_zone,
)
from tdlc_syndication.sources.files import attached, file_type
from tdlc_syndication.sources.inlinetext import apart, run_on

if TYPE_CHECKING:  # what reads a page loads with the first page read, not with this module
    from datetime import date, datetime, tzinfo

    from bs4 import BeautifulSoup

    from tdlc_syndication.pipeline import dates, locales, periods, readon
    from tdlc_syndication.pipeline.locales import NumericOrder
    from tdlc_syndication.sources import (
        eventlabels,
        linknotes,
        listpage,
        notfound,
        pagedates,
        pagemeta,
        scriptlinks,
        sections,
    )
    from tdlc_syndication.sources import page as pages
    from tdlc_syndication.sources.listpage import Picked
    from tdlc_syndication.sources.page import PageInfo
else:  # (a run whose list pages did not change reads none: ``pipeline.lazy``)
    dates = LazyModule("tdlc_syndication.pipeline.dates")
    locales = LazyModule("tdlc_syndication.pipeline.locales")
    periods = LazyModule("tdlc_syndication.pipeline.periods")
    readon = LazyModule("tdlc_syndication.pipeline.readon")
    eventlabels = LazyModule("tdlc_syndication.sources.eventlabels")
    linknotes = LazyModule("tdlc_syndication.sources.linknotes")
    listpage = LazyModule("tdlc_syndication.sources.listpage")
    notfound = LazyModule("tdlc_syndication.sources.notfound")
    pagedates = LazyModule("tdlc_syndication.sources.pagedates")
    pagemeta = LazyModule("tdlc_syndication.sources.pagemeta")
    pages = LazyModule("tdlc_syndication.sources.page")
    scriptlinks = LazyModule("tdlc_syndication.sources.scriptlinks")
    sections = LazyModule("tdlc_syndication.sources.sections")

ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
SELECTOR_FIELDS = (
    "item_selector", "title_selector", "link_selector", "date_selector", "summary_selector",
    "image_selector", "next_selector", "content_selector", "event_selector",
    "location_selector",
)  # fmt: skip


class HtmlSource(BaseSource[HtmlSourceConfig]):
    """Scrapes one list page (and its follow-up pages)."""

    kind: ClassVar[str] = "html"

    @staticmethod
    def kinds_produced(config: HtmlSourceConfig) -> set[str]:
        """A page that describes an event (JSON-LD Event, or a day in the text that
        ``event_selector`` picks) gives an event."""
        return {"event"}

    @staticmethod
    def warn_config(config: HtmlSourceConfig) -> list[str]:
        """A next_selector does nothing while max_pages is 1; what reads an item's own page
        (content_selector, follow_limit) does nothing while follow is off."""
        warnings = []
        if config.next_selector and config.max_pages == 1:
            warnings.append(
                "next_selector: it is set, but max_pages is 1, so no further page is read; "
                "set max_pages to the number of list pages to read"
            )
        if not config.follow:
            warnings.extend(
                f"{name}: it is set, but follow is off, so no item's page is read; set "
                "follow = true to read each item's page"
                for name in ("content_selector", "follow_limit")
                if name in config.model_fields_set
            )
        return warnings

    @staticmethod
    def check_config(config: HtmlSourceConfig) -> list[str]:
        """One line per selector that is not valid CSS (for ``syndicate check``)."""
        specs = {name: getattr(config, name) for name in SELECTOR_FIELDS}
        # Every selector but the block's may end in @attribute.
        return pages.css_problems(
            {n: v if n == "item_selector" else v.partition("@")[0] for n, v in specs.items() if v},
            specs,
        )

    @settings_blamed
    def fetch(self, state: FetchState) -> Iterator[Fetched]:
        """Yield each list page (the first asked conditionally, the others found through
        ``next_selector``), with the item pages it links in ``related`` when ``follow``
        is on; item pages that fail are ``skipped``."""
        cfg = self.config
        url = state.url or cfg.url
        resp = self.get(url, state, ACCEPT)
        seen = {url, resp.final_url}
        followed = 0
        next_spec = listpage.next_link(cfg)
        for number in range(cfg.max_pages):
            # The list page is read here only to find links; parse() reads it (in a
            # worker process) for the items.
            reads = cfg.follow or next_spec
            text = decode_html(resp.body, resp.charset) if reads else ""
            soup = pages.soup_of(text) if reads else None
            page_url = pages.document_base(text, resp.final_url)
            related: list[Document] = []
            skipped: list[Skipped] = []
            if cfg.follow and soup is not None:
                list_page = {page_url, resp.final_url}
                links = [
                    link
                    for link in self._links(soup, page_url)
                    if link.partition("#")[0] not in list_page  # parse() reads its sections
                ]
                # Pages never read first, then the others asked conditionally: with the
                # first follow_limit links read at every run, the items further down a
                # long list were never read at all.
                links.sort(key=lambda link: link in state.validators)
                for link in links:
                    named = file_type(link)
                    if named is not None:  # a PDF, a spreadsheet: attached, not fetched
                        related.append(Document(url=link, media_type=named))
                        continue  # nor counted: follow_limit counts the pages fetched
                    if followed >= cfg.follow_limit:
                        break
                    followed += 1
                    try:
                        page = self.get(link, state, ACCEPT)
                        found = notfound.file_or_page(page, link, cfg.id)
                    except NotModified:
                        continue  # the same page: what the store read from it stands
                    except FetchError as exc:
                        skipped.append(Skipped(link, exc.message))
                        continue
                    if found is None:
                        document = Document(
                            url=link, body=page.body, charset=page.charset,
                            validators=page.validators,
                        )  # fmt: skip
                    else:
                        document = Document(url=link, length=len(page.body), media_type=found)
                    related.append(document)
            next_url = (
                listpage.next_page(soup, next_spec, page_url)
                if next_spec and soup is not None and number + 1 < cfg.max_pages
                else ""
            )
            refused = refusal(next_url) if next_url else None
            if next_url and refused:  # the pages read are kept (it failed the source)
                skipped.append(Skipped(next_url, f"next page: {refused}"))
            following = None
            if next_url and not refused and next_url not in seen:
                seen.add(next_url)
                try:
                    following = self.get(next_url, accept=ACCEPT)
                except FetchError as exc:  # the pages read are kept (it failed the source)
                    skipped.append(Skipped(next_url, f"next page: {exc.message}"))
            location = url if number == 0 else resp.final_url
            yield self.fetched(
                location,
                resp,
                moves_source=number == 0,
                page=number,
                related=tuple(related),
                skipped=tuple(skipped),
            )
            if following is None:
                return
            resp = following

    def _links(self, soup: BeautifulSoup, page_url: str) -> list[str]:
        links: list[str] = []
        cfg = self.config
        for block in soup.select(cfg.item_selector):
            # its page, as parse() reads the link (from its script too)
            link = scriptlinks.block_link(
                partial(pages.select_value, block, base=page_url), cfg.link_selector, page_url
            )
            if link and link not in links:
                links.append(link)
        return links

    @settings_blamed
    def parse(self, fetched: Fetched) -> Iterable[Item | Retraction | Unread]:
        """Map every item block of one list page to an item, enriched from its followed page."""
        cfg = self.config
        zone = source_zone(cfg)
        details = {d.url: d for d in fetched.related}
        text = decode_html(fetched.body, fetched.charset)
        page_url = pages.document_base(text, fetched.base_url or fetched.location)
        listed = _page_language(text)  # <html lang>: what its blocks are written in
        site_said = pagemeta.site_descriptions(text)  # a description the site gives every page
        site_pictured = pagemeta.site_images(text, page_url)  # and its logo or banner
        order = locales.numeric_order(cfg.language or listed)
        picked = listpage.picked_fast(text, cfg, page_url, order)
        if picked is None:
            picked = listpage.picked_soup(text, cfg, page_url, order)
        if not picked and fetched.page == 0:
            why = (
                f"the page is {BOT_CHECK}: {BOT_CHECK_FIX}"
                if is_bot_check(fetched.body)
                else "the page layout may have changed"
            )
            raise ParseError(
                cfg.id, f"item_selector {cfg.item_selector!r} matched nothing on {page_url}: {why}"
            )
        # 26/11/2026 in the list: its dates are day first, whatever its language says
        told = dates.order_told(block.date_text for block in picked if not block.header)
        items: list[Item | Unread] = []
        list_page = {page_url, fetched.location}
        now = self.clock()
        today = now.astimezone(zone).date()  # the year of a date written without one
        sections = _Sections(text, cfg, zone, today, order) if cfg.follow else None
        for block in picked:  # at most max_items
            if block.header:  # a table's header row: no item, and no item dropped
                continue
            address, _, fragment = block.link.partition("#")
            if address in list_page:  # this page (follow fetched nothing for it)
                if not fragment:
                    # Only the page itself (href="#": a list a script opens): the block is
                    # named by its title there; with the page's address alone, every such
                    # block but the first was lost as a duplicate.
                    named = f"{block.link}#{' '.join(block.title.split())}"
                    items.append(
                        self._item(now, replace(block, link=named), None, listed=listed, told=told)
                    )
                    continue
                # A section of this page: its text is here.
                info = sections.info(block, fragment) if sections is not None else None
                items.append(self._item(now, block, info, listed=listed, told=told))
                continue
            info = None
            detail = details.get(block.link)
            if detail is not None and detail.media_type is not None:
                file = attached(detail.url, detail.media_type, detail.length)
                items.append(self._item(now, block, None, file, listed=listed, told=told))
                continue
            if detail is not None:
                # The item page's date line counts only when the block has none.
                on_page = not block.event_text
                info = pages.read_page(
                    decode_html(detail.body, detail.charset),
                    block.link,
                    zone,
                    cfg.content_selector,
                    cfg.event_selector if on_page else None,
                    cfg.location_selector if on_page else None,
                    today,
                )
                if " ".join(info.description.split()) in site_said:
                    info.description = ""  # the site's, on every page: not the item's
                if info.image in site_pictured:
                    info.image = None  # the site's logo or banner: no item's picture
            item = self._item(now, block, info, listed=listed, told=told)
            items.append(item)
            if cfg.follow and detail is None:
                items.append(Unread(item.id))  # not read this run: the stored one stands
        return items

    def _item(
        self,
        now: datetime,
        block: Picked,
        info: PageInfo | None,
        file: Media | None = None,
        listed: str | None = None,
        told: NumericOrder | None = None,
    ) -> Item:
        """The item of one block (``info``: what its own page or section says), as of the
        run's ``now``; ``listed``: the list page's language; ``told``: the order its dates
        in numbers show (:func:`~tdlc_syndication.pipeline.dates.order_told`)."""
        cfg = self.config
        zone = source_zone(cfg)
        title, summary, image, link = block.title, block.summary, block.image, block.link
        today = now.astimezone(zone).date()
        language = cfg.language or agreeing_language(listed, title + " " + summary)
        order = locales.numeric_order(language)  # 26/11/2026 in a list in a day-first language
        if told is not None and order != "dmy-thai":  # unless the list's own dates say
            order = told
        # A block that labels its dates: the one it says it was posted on, not the event's
        # day before it (開催日：11月28日 掲載日：11月20日; "Event date: … | Posted: …").
        labelled = (
            None
            if cfg.date_selector
            else pagedates.labelled_date(block.date_text, zone, today, order)
        )
        found = labelled or periods.parse_any_date(
            block.date_text, zone, cfg.date_format, today, order
        )
        if block.stamp and (found is None or found[1] == "day"):
            # <time datetime="2026-11-26">3 days ago</time>; or its moment, where the text
            # gives its day alone (WordPress: <time datetime="2026-12-04T10:00:00+07:00">4
            # Desember 2026</time>)
            stamp = dates.parse_date(block.stamp, zone)
            if found is None or (stamp and _same_day(stamp, found[0], zone)):
                found = stamp
        published = None
        updated = None
        content = ""
        event = (
            eventlabels.event_of(block.event_text, block.place, title, zone, today, order)
            if block.event_text
            else None
        )
        authors: tuple[str, ...] = ()
        categories: tuple[str, ...] = ()
        if info is not None:
            # its page's title where the list gave none, or a link's 「詳細」 ("Read more"),
            # or one the list cut short (「…市民意見…」, "…from Southeast...")
            if info.title and (
                not title or readon.only_read_on(title) or readon.cut_short(title, info.title)
            ):
                title = info.title
            summary = summary or info.description
            image = image or (info.image or "")
            published = info.dated
            updated = info.modified
            content = info.content_html
            authors = tuple(info.authors)
            categories = tuple(info.keywords)
            language = info.language or language  # the page's own lang, else as above
            event = info.event or event  # its JSON-LD Event, else the block's date line
        if found is not None and event is not None and not cfg.date_selector:
            # The one date in an events list's block is when the event happens, not when it
            # was published (a day ahead was dropped as an absurd date, every run).
            found = None if _event_day(found, event, zone) else found
        if found is not None and not cfg.date_selector and found[0] > now + PUBLISHED_AHEAD:
            # Nor is a day still to come in a block's text (「12月10日（木）開催」 in a
            # notice's title): the notice was not published then (it was dropped as an
            # absurd date, and counted as one, at every run until that day).
            found = None
        if found is not None:  # its day written before its title, as the link's text
            day = found[0].date() if found[1] == "day" else found[0].astimezone(zone).date()
            title = linknotes.without_date(title, day)
        published = found or published
        media = (file,) if file is not None else _named_file(link)
        return Item(
            id=item_id(cfg.id, link or apart(title)),
            source=cfg.id,
            kind=kind_for(cfg, categories, "event" if event else None),
            title=run_on(linknotes.without_file_note(title) if media else title),
            url=link,
            summary=summary,
            content_html=content,
            authors=authors,
            published=date_of(published),
            published_precision=precision_of(published),
            updated=date_of(updated),
            language=language,
            categories=categories,
            thumbnail=image or None,
            event=event,
            media=media,
        )


class _Sections:
    """The sections of a list page that its blocks link to (``#n1``), read as item pages:
    their text, and with ``event_selector`` their date line when the block has none."""

    def __init__(
        self,
        text: str,
        cfg: HtmlSourceConfig,
        zone: tzinfo,
        today: date,
        order: NumericOrder | None = None,
    ) -> None:
        self.text, self.cfg, self.zone, self.today = text, cfg, zone, today
        self.order = order  # how the page writes a date in numbers
        self._soup: BeautifulSoup | None = None

    def info(self, block: Picked, fragment: str) -> PageInfo | None:
        """What the section ``#fragment`` says, as a page would; None when no element of
        the page has that id."""
        if self._soup is None:
            self._soup = pages.soup_of(self.text)
        found = sections.find_section(self._soup, fragment)
        if found is None:
            return None
        info = pages.PageInfo(url=block.link, content_html=found.decode_contents())
        cfg = self.cfg
        if cfg.event_selector and not block.event_text:
            when = pages.select_value(found, cfg.event_selector, details=True)
            place = (
                pages.select_value(found, cfg.location_selector, details=True)
                if cfg.location_selector
                else ""
            )
            info.event = (
                eventlabels.event_of(when, place, block.title, self.zone, self.today, self.order)
                if when
                else None
            )
        return info


# A page's language as its root element declares it: <html lang="id">, in its first bytes.
_HTML_LANG = re.compile(
    r"<html\b[^>]*?\blang\s*=\s*[\"']?\s*([A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*)", re.I
)
_LANG_REACH = 8192


def _page_language(text: str) -> str | None:
    """The list page's ``<html lang>``, or None."""
    found = _HTML_LANG.search(text, 0, _LANG_REACH)
    return found.group(1) if found else None


def _event_day(found: tuple[datetime, Precision], event: Event, zone: tzinfo) -> bool:
    """Whether a date found in a block is the event's start: the same moment, or its day."""
    when, precision = found
    return when == event.start or (
        precision == "day" and when.date() == event.start.astimezone(zone).date()
    )


def _named_file(link: str) -> tuple[Media, ...]:
    """The file an item links to by its name (``.pdf``), attached, when no follow fetched
    it."""
    named = file_type(link) if link else None
    return (attached(link, named),) if named else ()


def _same_day(stamp: tuple[datetime, Precision], day: datetime, zone: tzinfo) -> bool:
    """Whether ``stamp`` is a moment on ``day`` (a day-precision date, midnight UTC) in
    ``zone``."""
    return stamp[1] == "datetime" and stamp[0].astimezone(zone).date() == day.date()
