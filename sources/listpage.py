"""A list page as the ``html`` kind reads it: what the selectors read from each item block
(its link, title, date text, summary, image, event line), with BeautifulSoup or with lxml
where that reading is certain to give the same, and the address of the next list page.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from tdlc_syndication.config.sources import HtmlSourceConfig
from tdlc_syndication.pipeline.eastasian import joined_lines
from tdlc_syndication.pipeline.readon import cut_short, ends_cut, only_read_on
from tdlc_syndication.pipeline.text import visible, without_readings
from tdlc_syndication.sources.inlinetext import apart, is_tag, run_on
from tdlc_syndication.sources.linknotes import link_title, without_words
from tdlc_syndication.sources.page import select_value, soup_of
from tdlc_syndication.sources.scriptlinks import block_link

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

    from tdlc_syndication.pipeline.locales import NumericOrder
    from tdlc_syndication.sources.htmlfast import HeadingMemo


@dataclass(frozen=True, slots=True)
class Picked:
    """What the selectors read from one item block."""

    link: str
    title: str  # marked (``sources.inlinetext``): ``run_on`` gives the title shown
    date_text: str  # the date selector's text, else all of the block's text
    stamp: str  # the datetime of its <time> (or of what the date selector picks), if any
    summary: str
    image: str
    event_text: str  # the event selector's text ('' without one)
    place: str
    header: bool = False  # a table's header row, no item


def picked_soup(
    text: str, cfg: HtmlSourceConfig, page_url: str, order: NumericOrder | None = None
) -> list[Picked]:
    """The blocks of a list page read with BeautifulSoup and soupsieve (``order``: how the
    page writes a date in numbers, for its date headings). A ruby is its text alone, as
    with lxml (``without_readings``: ``防災`` of ``<ruby>防災<rt>ぼうさい</rt></ruby>``)."""
    blocks = soup_of(without_readings(text)).select(cfg.item_selector)[: cfg.max_items]
    headings: HeadingMemo = {}
    return [
        _pick(
            cfg,
            page_url,
            partial(select_value, block, base=page_url, marked=True),
            partial(block.get_text, " "),  # searched for a date: strings apart
            partial(_term_soup, block),
            partial(_day_heading_soup, block, headings, order),
        )
        for block in blocks
    ]


def _term_soup(block: Tag) -> str:
    """The text of the term (``<dt>``) of the definition that is or holds ``block``."""
    holder = block if block.name == "dd" else block.find_parent("dd")
    term = holder.find_previous_sibling("dt") if holder is not None else None
    return term.get_text(" ") if term is not None else ""


def _day_heading_soup(block: Tag, memo: HeadingMemo, order: NumericOrder | None = None) -> str:
    """The text of the heading that names the day of the block's group of items, as
    ``htmlfast.find_day_heading`` finds it in BeautifulSoup's tree."""
    # lxml loads with the first list page read, as in picked_fast: not with this module.
    from tdlc_syndication.sources.htmlfast import find_day_heading

    return find_day_heading(
        block,
        memo,
        name=lambda node: node.name,
        previous=lambda node: node.find_previous_sibling(True),
        parent=lambda node: node.parent,
        text_of=lambda node: node.get_text(" "),
        order=order,
    )


def picked_fast(
    text: str, cfg: HtmlSourceConfig, page_url: str, order: NumericOrder | None = None
) -> list[Picked] | None:
    """The blocks of a list page read with lxml (``sources.htmlfast``); None when that
    reading is not certain to give the same (the page is then read with BeautifulSoup)."""
    from tdlc_syndication.sources import htmlfast

    try:
        page = htmlfast.Page(without_readings(text))
        headings: htmlfast.HeadingMemo = {}
        return [
            _pick(
                cfg,
                page_url,
                partial(page.value, block, base=page_url, marked=True),
                partial(htmlfast.text, block, strip=False, apart=True),
                partial(htmlfast.term_text, block),
                partial(htmlfast.day_heading, block, headings, order),
            )
            for block in page.select(cfg.item_selector)[: cfg.max_items]
        ]
    except htmlfast.Unsupported:
        return None


def _pick(
    cfg: HtmlSourceConfig,
    page_url: str,
    value: Callable[[str], str],
    block_text: Callable[[], str],
    term_text: Callable[[], str],
    day_heading: Callable[[], str],
) -> Picked:
    """One block's values; without a date there, its date is looked for in its text, and
    first in a definition list's term (``term_text``: ``<dt>2026年11月26日</dt>``), else in
    the heading its group follows when that heading is a date (``<h3>2026年11月26日
    （木）</h3><ul><li>…``; not ``<h3>令和8年度の取り組み</h3>``). A table's header row
    (``tr`` picks it with the rows: header cells, no data cell and no link) is marked as
    one: it was counted as a dropped item (``no-title``) at every run. A link a script
    follows is read from the script (``scriptlinks``). ``value`` gives marked text
    (``sources.inlinetext``): the title keeps its marks for the title rules."""
    link = block_link(lambda spec: run_on(value(spec)), cfg.link_selector, page_url)
    if not link and value("th") and not value("td"):
        return Picked("", "", "", "", "", "", "", "", header=True)
    date_text = apart(value(cfg.date_selector)) if cfg.date_selector else ""
    # A <time>'s machine-readable datetime, read when its text gives no date ("3 days ago").
    timed = cfg.date_selector or "time"
    stamp = "" if "@" in timed else value(f"{timed}@datetime")
    title = link_title(value(cfg.title_selector))  # not its 「（別ウィンドウで開きます）」
    if "title_selector" not in cfg.model_fields_set and (not visible(title) or only_read_on(title)):
        # the link says only 「詳細」 or "Read more" (every item was titled so), or shows
        # a picture alone, as a card's first link does (every such item was dropped, no
        # title): the block's heading, or what it marks as its title, is the item's, else
        # the picture's description
        named = link_title(value(NAMED_TITLE)) or link_title(value("a img@alt"))
        title = named if visible(named) else title
    if ends_cut(title):  # cut short to fit the line: the whole of it, when the
        whole = joined_lines(link_title(value(f"{cfg.title_selector}@title")))  # link's title
        title = whole if cut_short(title, whole) else title
    if stamp:  # nor the <time>'s words before it, where the whole block is the link
        title = without_words(title, value(timed))  # both marked alike
    if not date_text:
        term = term_text() or day_heading()
        date_text = f"{term} {block_text()}" if term else block_text()
    return Picked(
        link=link,
        title=title,
        date_text=date_text,
        stamp=stamp,
        # the page's text: a break between Japanese words in its source is no space
        summary=joined_lines(run_on(value(cfg.summary_selector))) if cfg.summary_selector else "",
        image=run_on(value(cfg.image_selector)) if cfg.image_selector else "",
        event_text=apart(value(cfg.event_selector)) if cfg.event_selector else "",
        place=run_on(value(cfg.location_selector)) if cfg.location_selector else "",
    )


#: Where a block names its title when its link says only "read on": a heading, else an
#: element whose class says it is the title (``title``, ``ttl``, as CMSs name them).
NAMED_TITLE = "h1, h2, h3, h4, h5, h6, [class*=title], [class*=ttl]"


#: The next list page where ``next_selector`` names none: the link a page marks as its
#: next (``<link rel="next">`` in its head, ``<a rel="next">`` in its pager), as WordPress,
#: Drupal and most CMSs write their archives' pages.
NEXT_MARKED = 'link[rel~="next"], a[rel~="next"]'


def next_link(cfg: HtmlSourceConfig) -> str | None:
    """What leads to the next list page: ``next_selector``, else, when more than one page
    is to be read (``max_pages``), the link the page marks as its next."""
    if cfg.next_selector:
        return cfg.next_selector
    return NEXT_MARKED if cfg.max_pages > 1 else None


def next_page(soup: BeautifulSoup, selector: str, page_url: str) -> str:
    """The next list page's address, also where a script opens it (``href="javascript:
    goPage('list_2.html')"``, as municipal CMSs page their lists). Where no link is marked
    ``rel="next"`` (``selector`` the default), the pager's link its class or its words name
    (:func:`_pager_next`)."""
    value = partial(select_value, soup, base=page_url)
    found = block_link(value, _with_href(selector), page_url)
    if found or selector != NEXT_MARKED:
        return found
    return _pager_next(soup, page_url)


#: A pager's link to the next page by its class, in any case, as WordPress's pagination
#: (``<a class="next page-numbers">``), WP-PageNavi, Drupal's pagers and forums (Vanilla's
#: ``class="Next"``) write it: the link's own, or its list item's.
_NEXT_LINK_CLASSES = frozenset({"next", "nextpostslink"})
_NEXT_ITEM_CLASSES = frozenset({"next", "pager-next", "pager__item--next"})
#: ...or by its words alone, as municipal CMSs write their pagers without a mark: 次へ,
#: 次のページ, 次の20件, "Next", "Older posts", and the partner languages' "next" (Bitrix's
#: "След." and Joomla's "Вперёд" in Russian). Not words that also say "read more" under a
#: teaser (Далее, Weiter): the first such link would be taken for the pager's.
_NEXT_WORDS = re.compile(
    r"(?:次へ|次のページ|次ページ|次の\d+件|next(?:\s+page)?|older\s+(?:posts|entries)"
    r"|berikutnya|selanjutnya|tiếp(?:\s+theo)?|trang\s+sau|ถัดไป|siguiente|próxima|suivante?"
    r"|seguinte|след\.?|следующая(?:\s+страница)?|вперёд|вперед|sonraki|التالي|अगला"
    r"|nächste(?:\s+seite)?|volgende(?:\s+pagina)?|(?:pagina\s+)?successiv[ao]"
    r"|បន្ទាប់|ຕໍ່ໄປ|下一页|下一頁|다음(?:\s*페이지)?)\s*[»›>＞→▶]*",
    re.I,
)
#: What a pager's link may show beside its words, or alone (an arrow).
_ARROWS = "«‹<＜←◀»›>＞→▶ "


def _pager_next(soup: BeautifulSoup, page_url: str) -> str:
    """The address of the first link of a pager's next class, else the first whose whole
    text says "next" (``次へ``, ``Next »``) or, where it shows only an arrow or nothing,
    whose label or title does (Bootstrap's ``<a aria-label="Next">»</a>``, osCommerce's
    ``title=" nächste Seite "``), made absolute; '' when there is none. A slideshow's or
    a player's "Next" button (``href="#"``, ``javascript:;``) leads to no page: the
    pager's link may come after it."""
    here = page_url.split("#")[0]
    anchors = [a for a in soup.find_all("a", href=True) if is_tag(a)]
    marked = (a for a in anchors if _classed_next(a))
    worded = (a for a in anchors if _says_next(a))
    for anchor in itertools.chain(marked, worded, _pager_arrows(anchors)):
        if _NOWHERE.match(str(anchor.get("href"))):
            continue  # (read quickly, as a page may hold thousands of such buttons)
        found = block_link(partial(select_value, anchor, base=page_url), "@href", page_url)
        if found.startswith(("http://", "https://")) and found.split("#")[0] != here:
            return found
    return ""


#: A link to the page itself, or a script that names no address (``javascript:;``,
#: ``javascript:void(0)``; not ``javascript:goPage('list_2.html')``).
_NOWHERE = re.compile(r"\s*(?:#|javascript:[^'\"]*$)", re.I)
#: A pager's "next" shown as an arrow alone: one arrow (``»`` is "last" in many pagers).
_NEXT_ARROW = re.compile(r"[›>＞→▶]|»")
_PAGE_NUMBER = re.compile(r"\d{1,4}")


def _classed_next(anchor: Tag) -> bool:
    """Whether ``anchor`` or its list item is of a pager's next class, in any case."""
    if _NEXT_LINK_CLASSES.intersection(c.lower() for c in anchor.get_attribute_list("class")):
        return True
    item = anchor.parent
    return (
        item is not None
        and item.name == "li"
        and not _NEXT_ITEM_CLASSES.isdisjoint(c.lower() for c in item.get_attribute_list("class"))
    )


def _pager_arrows(anchors: list[Tag]) -> Iterator[Tag]:
    """The links that show only a forward arrow (``›``, ``>``, ``»``) among the numbered
    links of a pager (``‹ 1 2 3 ›``, in one block or one list): an arrow elsewhere (a
    breadcrumb's, a teaser's "read more", a calendar's) is no next page. (The pagers are
    counted once: each arrow counting its own took minutes over 8,000 arrows.)"""
    numbered: Counter[int] = Counter()
    for anchor in anchors:
        if _PAGE_NUMBER.fullmatch(anchor.get_text("", strip=True)):
            numbered[id(_pager_of(anchor))] += 1
    for anchor in anchors:
        if numbered[id(_pager_of(anchor))] >= 2 and _NEXT_ARROW.fullmatch(
            anchor.get_text("", strip=True)
        ):
            yield anchor


def _pager_of(anchor: Tag) -> Tag | None:
    """The block a pager's link is in: its parent, or the list or block around that when
    it is a list's item or an inline wrapper (``<ul><li><a>1</a></li>…</ul>``)."""
    pager = anchor.parent
    if pager is not None and pager.name in ("li", "span", "em", "strong", "b"):
        return pager.parent
    return pager


def _says_next(anchor: Tag) -> bool:
    """Whether ``anchor``'s words, or the label or title of an arrow alone, say "next"."""
    words = anchor.get_text(" ", strip=True).lstrip(_ARROWS)
    if not words.strip(_ARROWS):
        words = str(anchor.get("aria-label") or anchor.get("title") or "").strip()
    return bool(words) and _NEXT_WORDS.fullmatch(words) is not None


def _with_href(spec: str) -> str:
    return spec if "@" in spec else f"{spec}@href"
