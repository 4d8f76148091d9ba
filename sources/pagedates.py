"""When a page says it was published or updated: its ``<meta>`` tags, schema.org
microdata and RDFa on its elements, a blog's trackback RDF, a date after a label
(「更新日：」, "Posted:"), or by its heading (in an element named for a date, or right
below it).

Used by ``sources.page``; the label's reading also by the ``html`` kind's list blocks.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tdlc_syndication.pipeline.canonical import resolve_url
from tdlc_syndication.pipeline.lazy import LazyModule
from tdlc_syndication.pipeline.model import Precision
from tdlc_syndication.pipeline.text import visible
from tdlc_syndication.sources.common import site_of
from tdlc_syndication.sources.inlinetext import UNSHOWN, element_text, is_tag
from tdlc_syndication.sources.jsonld import stamp_of
from tdlc_syndication.sources.sitenames import same_words

if TYPE_CHECKING:  # bs4 and the date readers load with the first page read
    from bs4 import BeautifulSoup, Tag

    from tdlc_syndication.pipeline import dates
    from tdlc_syndication.pipeline.locales import NumericOrder
else:
    dates = LazyModule("tdlc_syndication.pipeline.dates")

Dated = tuple[datetime, Precision] | None

# The labels a page writes its date after, in Japanese, English and partner cities'
# languages (Indonesian, Vietnamese, Thai, Spanish, Portuguese, French, Chinese, Korean);
# a line of such labels and their dates alone is the page's line (``sources.pagechrome``).
DATE_LABELS = (
    r"(?:(?:最終更新|更新|掲載|公開|発行|作成|登録)日(?:時|付)?"
    r"|last\s+(?:updated|modified)(?:\s+(?:date|on))?"
    r"|updated(?:\s+(?:date|on))?|published(?:\s+on)?|posted(?:\s+on)?|date\s+posted"
    r"|diperbarui(?:\s+pada)?|dipublikasikan(?:\s+pada)?|diterbitkan(?:\s+pada)?"
    r"|cập\s+nhật(?:\s+lúc|\s+ngày)?|ngày\s+đăng|đăng\s+ngày|ngày\s+cập\s+nhật"
    r"|วันที่เผยแพร่|เผยแพร่เมื่อ|ปรับปรุงล่าสุด|อัปเดต(?:ล่าสุด)?"
    r"|actualizado(?:\s+el)?|publicado(?:\s+(?:el|em))?|fecha\s+de\s+publicaci[oó]n"
    r"|atualizado(?:\s+em)?|mis\s+à\s+jour(?:\s+le)?|publié\s+le"
    r"|发布时间|发布日期|更新时间|更新日期|등록일|수정일|작성일)(?![^\W\d_])"
)
_UPDATED_LABEL = re.compile(
    # the labels' first letters first: the engine skips fast to where a label may start
    r"(?=[最更掲公発作登lupdcnđวเปอafm发등수작])" + DATE_LABELS + r"\s*[:：]?",
    re.I,
)
_LABELS_TRIED = 5  # "Published reports" in a menu before the page's own "Published: ..."


# The names a page's <meta> tags give its dates by, in the order they are trusted (Open
# Graph's article:* before the page's JSON-LD, the others after it): Highwire Press's
# citation_* (DSpace repositories such as the OKR, journals: what Google Scholar reads),
# Dublin Core (as government and university sites write it, DC.date.issued in any case),
# schema.org microdata (itemprop), the plain names CMSs write, Parse.ly's
# (``sources.pagemeta``), and Open Graph's written with a colon for its underscore
# (``article:published:time``, a financial daily's). A page that gave its date only so
# was undated.
PUBLISHED_NAMES = (
    "article:published_time", "citation_publication_date", "citation_date",
    "citation_online_date", "dcterms.issued", "dc.date.issued", "datepublished",
    "dcterms.created", "dc.date.created", "dcterms.date", "dc.date", "date", "pubdate",
    "publishdate", "publish_date", "publication_date", "parsely-pub-date",
    "og:published_time", "og:article:published_time", "rnews:datepublished",
    "originalpublicationdate", "publish-date", "published-date", "published_date",
    "published_time", "date_published", "sailthru.date", "dc.date.publication",
    "article:published:time",
)  # fmt: skip
MODIFIED_NAMES = (
    "article:modified_time", "og:updated_time", "dcterms.modified", "dc.date.modified",
    "datemodified", "last-modified", "og:modified_time", "og:article:modified_time",
    "modified_time", "updated_time", "revision_date", "article:modified:time",
)  # fmt: skip


def meta_date(meta: dict[str, str], names: tuple[str, ...], tz: tzinfo) -> Dated:
    """The date of the first of ``names`` that a <meta> gives and that reads as one."""
    for name in names:
        if name in meta and (found := stamp_of(meta[name], tz)):
            return found
    return None


def labelled_date(
    text: str, tz: tzinfo, today: date | None, order: NumericOrder | None = None
) -> Dated:
    """A date written right after an 'updated/published' label (更新日 令和3年9月27日,
    ``Diperbarui: 26 November 2026``, ``Posted: 18 November 2026``): that of the first
    of the labels that has one."""
    for number, match in enumerate(_UPDATED_LABEL.finditer(text)):
        found = dates.find_date(text[match.end() : match.end() + 40], tz, today, order)
        if found is not None or number + 1 == _LABELS_TRIED:
            return found
    return None


def microdata_date(soup: BeautifulSoup, text: str, name: str, tz: tzinfo) -> Dated:
    """The date schema.org microdata gives on an element of the page (``<meta>`` ones are
    read with the others): ``<dd itemprop="datePublished" content="2019-04-26">2019年04月
    </dd>`` (a publisher's catalogue), ``<abbr itemprop="datePublished" title="…">``
    (Blogger's themes), ``<span itemprop="datePublished">2019年4月4日</span>``; ``name``:
    ``datePublished`` or ``dateModified``. ``text``: the page, looked at first."""
    if name not in text:
        return None
    marked = re.compile(rf"(?:^|\s){name}(?:\s|$)")
    for tag in soup.find_all(True, {"itemprop": marked}, limit=_TRIED):
        if not is_tag(tag) or tag.name == "meta":
            continue
        found = _marked_value(tag, ("content", "datetime", "title"), tz)
        if found:
            return found
    return None


def _marked_value(tag: Tag, attributes: tuple[str, ...], tz: tzinfo) -> Dated:
    """The date an element marked for one gives: in an attribute, as written; in its text,
    where that names a day (``19. Oktober 2019`` read as October alone dated a page a
    fortnight early, before its ``<time>`` could)."""
    value = next((v for a in attributes if isinstance(v := tag.get(a), str) and v), None)
    if value is not None:
        return stamp_of(value, tz)
    found = stamp_of(element_text(tag)[:_BELOW], tz)
    return found if found and found[1] in ("day", "datetime") else None


def time_date(
    soup: BeautifulSoup,
    tz: tzinfo,
    today: date | None,
    order: NumericOrder | None = None,
    url: str = "",
) -> Dated:
    """The date of the page's first ``<time datetime>``; where that attribute names no day
    (``datetime="2014-00-29T11:12:28Z"``, a news site's), the date its text says
    ("Monday, Dec. 29 2014, 6:00 AM EST"). Not one of another story's: in a link to
    another page than ``url`` (the page's; a teaser's, "Latest news", which a site puts
    before its story or beside it) or in an ``<aside>`` or a ``<nav>``; a link to the page
    itself (a theme's permalink around its date) is the page's. Nor an event's time
    (schema.org's ``itemprop="startDate"``, microformats' ``dt-start``): an event's page
    was dated by the day its event began."""
    for tag in soup.find_all("time", attrs={"datetime": True}, limit=_TIMES_TRIED):
        if not is_tag(tag) or _another_storys(tag, url) or _an_events(tag):
            continue
        return stamp_of(str(tag["datetime"]), tz) or dates.find_date(
            element_text(tag)[: _BELOW + _DATE_LENGTH], tz, today, order
        )
    return None


_TIMES_TRIED = 30  # <time>s looked at for the page's own (a list of teasers has many)


def _an_events(tag: Tag) -> bool:
    """Whether a ``<time>`` marks an event's start, end or door (schema.org microdata,
    microformats' h-event), not when the page was written."""
    marks = {*str(tag.get("itemprop") or "").split(), *(tag.get("class") or ())}
    return bool(marks & _EVENT_TIMES)


_EVENT_TIMES = frozenset({"startDate", "endDate", "doorTime", "dt-start", "dt-end"})


def _another_storys(tag: Tag, url: str) -> bool:
    """Whether a ``<time>`` is another story's: in an ``<aside>``, a ``<nav>`` or a
    ``<blockquote>`` (an embedded post, Instagram's), in a block named for the page's
    comments or for other stories (:data:`_OTHERS_NAME`), or in a link to another page
    than ``url``."""
    for parent in tag.parents:
        if parent.name in ("aside", "nav", "blockquote"):
            return True
        if parent.name in ("body", "html"):
            break
        names = (parent.get("id"), *(parent.get("class") or ()))
        if any(isinstance(name, str) and _OTHERS_NAME.search(name) for name in names):
            return True
    link = tag.find_parent("a", href=True)
    if not url or not is_tag(link):
        return False
    href = str(link["href"]).strip()
    if not href or href.startswith("#"):
        return False
    return _page_of(resolve_url(url, href)) != _page_of(url)


# An id's or a class's token that names a page's comments (WordPress's ``comments``,
# ``comment-list``, ``comment-metadata``, Jetpack's ``highlander-comment``, a recipe site's
# ``kb-comment``; not a count or a link to them, ``comments-link``, nor ``no-comments``)
# or stories listed beside its own (a theme's ``related-posts``, ``recommended``): a
# WordPress theme's list of related posts came before the post's own date, and a recipe's
# page was dated by its first comment.
_OTHERS_NAME = re.compile(
    r"^(?!(?:has|no)[-_]comments?$)(?:\w+[-_])?(?:comments?|commentlist)"
    r"(?!(?:[-_](?:link|count|number|open|closed|enabled|icon)s?)$)(?:$|[-_])"
    r"|(?:^|[-_])(?:(?<![hH][1-6][-_])related|(?<!has-)(?<!with-)recommend(?:ed|ations)?)"
    r"(?:$|[-_])",
    re.IGNORECASE,
)


def _page_of(address: str) -> tuple[str, str]:
    """The page an address names: its host without "www." and its path without a last
    slash (its scheme, query and fragment aside: a theme writes its permalink as the
    site's settings say, ``https://site/…`` on the page read at ``https://www.site/…``)."""
    return site_of(address), urlsplit(address).path.rstrip("/")


def rdfa_date(soup: BeautifulSoup, text: str, tz: tzinfo) -> Dated:
    """The date RDFa gives on an element (Drupal 7's byline, ``<span property="dc:date
    dc:created" content="2026-03-21T10:49:19+01:00">``; Drupal 8's ``schema:dateCreated``),
    else the ``dc:date`` of the RDF that blogs embed in a comment for trackbacks (Movable
    Type's, goo's: ``<rdf:Description … dc:date="2020-07-12T22:00:00+09:00">``).
    ``text``: the page, looked at first."""
    if _RDFA_DATE.search(text):
        for tag in soup.find_all(True, {"property": _RDFA_DATE_PROPERTY}, limit=_TRIED):
            if not is_tag(tag) or tag.name == "meta":
                continue
            found = _marked_value(tag, ("content", "datetime"), tz)
            if found:
                return found
    embedded = _TRACKBACK_DATE.search(text) if "rdf:Description" in text else None
    return stamp_of(embedded.group(1), tz) if embedded else None


_RDFA_DATE_PROPERTY = re.compile(
    r"(?:^|\s)(?:dc:date|dc:created|dcterms:(?:created|issued|date)"
    r"|schema:date(?:Created|Published))(?:\s|$)"
)
_RDFA_DATE = re.compile(
    r"property=[\"'][^\"'<>]{0,200}?(?:dc:date|dc:created|dcterms:(?:created|issued|date)"
    r"|schema:date(?:Created|Published))"
)
# (bounded: a page of "<rdf:Description" never closed read to its end from each)
_TRACKBACK_DATE = re.compile(r"<rdf:Description\b[^>]{0,2000}?\bdc:date=\"([^\"<>]{8,40})\"")


def heading_date(
    soup: BeautifulSoup,
    title: str,
    tz: tzinfo,
    today: date | None,
    order: NumericOrder | None = None,
) -> Dated:
    """A date written with no label by the page's heading (the heading that says its
    title, else its first ``<h1>``, else the element whose text is its title: a news
    agency's ``<div class="h-title">``), as news sites, blogs and Japanese companies' and
    agencies' pages date themselves: in an element named for it beside the heading
    (``<em class="date">02.11.2021</em><h2>…</h2>``, ``<span class="post-date">``), else
    in the first :data:`_BELOW` characters of text below it (``<h1>…</h1><div>2019年4月4日
    </div>``); one that names its day, and not after ``today`` (an event's day, by its
    name)."""
    headings = soup.find_all(_HEADINGS, limit=30) if visible(title) else []
    titled = (h for h in headings if same_words(element_text(h), title))
    heading = next(titled, None) or soup.find("h1") or _titled_element(soup, title)
    if not is_tag(heading):
        return None
    found = _named_date(heading, tz, today, order) or _date_below(heading, tz, today, order)
    if found is None or found[1] not in ("day", "datetime"):
        return None  # a month alone there is the text's ("a photo of December 2015")
    return found if found[0].astimezone(tz).date() <= (today or datetime.now(tz).date()) else None


def address_date(url: str, today: date) -> Dated:
    """The day, else the month, a page's address is named for: ``/2019/10/22/slug/`` (as
    WordPress's permalinks and news sites write it), ``/2018/08/slug.html`` (Blogger's).
    For a page that says its date nowhere the program reads; none after ``today`` (an
    event's page, named for its day)."""
    found = _ADDRESS_DATE.search(urlsplit(url).path)
    if found is None:
        return None
    year, month, day = found.groups()
    try:
        when = datetime(int(year), int(month), int(day or 1), tzinfo=UTC)
    except ValueError:  # /2021/22/, a week
        return None
    return (when, "day" if day else "month") if when.date() <= today else None


# A year, a month and perhaps a day, each a whole segment of the address's path.
_ADDRESS_DATE = re.compile(r"/((?:19|20)\d\d)/(\d\d?)/(?:(\d\d?)(?:/|$))?")


def _titled_element(soup: BeautifulSoup, title: str) -> Tag | None:
    """The element of the page's body whose text, in one piece, is ``title``."""
    body = soup.body
    if not is_tag(body) or not visible(title):
        return None
    said = " ".join(title.split())
    for piece in body.find_all(string=True, limit=_PIECES_READ):
        parent = piece.parent
        if (
            parent is not None
            and parent.name not in UNSHOWN
            and len(piece) < 4 * len(said)
            and same_words(piece, said)
        ):
            return parent
    return None


def _named_date(heading: Tag, tz: tzinfo, today: date | None, order: NumericOrder | None) -> Dated:
    """The first day an element whose class names a date gives, in the blocks around the
    heading (its parent's and grandparent's), not a side bar's further off, nor one in
    another ``<h2>`` or ``<h3>``: that is its story's (a news site's teasers of related
    stories below the text, ``<h2>Other story <span class="date">24.04.2023</span></h2>``,
    dated the page four days early). One in an ``<h1>`` is the page's (a federal agency
    writes its date in its title's, whose words are then not the title's alone)."""
    block = heading.parent
    for _ in range(2):
        if not is_tag(block) or block.name in ("body", "html"):
            break
        for tag in block.find_all(class_=_DATE_CLASS, limit=_TRIED):
            if (named := tag.find_parent(_TEASER_HEADINGS)) and named is not heading:
                continue
            found = dates.find_date(element_text(tag)[:_BELOW], tz, today, order)
            if found is not None and found[1] in ("day", "datetime"):
                return found
        block = block.parent
    return None


def _date_below(heading: Tag, tz: tzinfo, today: date | None, order: NumericOrder | None) -> Dated:
    """The first date that begins in the :data:`_BELOW` characters of text below the
    heading, read whole where it ends past them (cut there, ``Tue Dec 30, 2014`` was a
    Tuesday 30 December near ``today``)."""
    below: list[str] = []
    shown = 0
    for piece in heading.find_all_next(string=True, limit=200):
        parent = piece.parent
        if heading in piece.parents or (parent is not None and parent.name in UNSHOWN):
            continue
        below.append(str(piece))
        shown += len(piece.strip())
        if shown >= _BELOW + _DATE_LENGTH:
            break
    said = dates.normalise_japanese(" ".join(" ".join(below).split())[: _BELOW + _DATE_LENGTH])
    found = dates.first_date(said, tz, today, order)
    return (found.when, found.precision) if found is not None and found.begin < _BELOW else None


# A class that names a date: "date", "post-date", "entry_date", "date-header", "pubdate",
# "published", "posted-on" (not "updated", nor "candidate").
_DATE_CLASS = re.compile(r"^(?:.*[-_])?(?:date|pubdate|published|posted(?:-on)?)(?:[-_].*)?$", re.I)
_HEADINGS = ("h1", "h2", "h3")
_TEASER_HEADINGS = ("h2", "h3")
_PIECES_READ = 2000  # pieces of text of a page's body looked through for its title
_TRIED = 5  # elements marked for a date read, at most (nested, each holds the next ones)
_BELOW = 80  # characters of text by a heading where its page's date may be
_DATE_LENGTH = 40  # the most a date and its time take ("Tuesday, December 30, 2014 11:44pm")
