"""Reading one web page: its title, description, image, dates, main text (found by
``pagetext.py``), and the schema.org JSON-LD it carries (Article and Event, also inside a
``@graph``: ``jsonld.py``).

Used by the ``html`` kind when it follows item pages, and by the ``sitemap`` kind. Pure:
it takes the page's text and URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from functools import cache, partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tdlc_syndication.pipeline.canonical import resolve_url
from tdlc_syndication.pipeline.elements import unescape_attribute
from tdlc_syndication.pipeline.lazy import LazyModule
from tdlc_syndication.pipeline.model import Event, Precision
from tdlc_syndication.pipeline.text import visible
from tdlc_syndication.sources.byline import Byline
from tdlc_syndication.sources.common import (
    first_outside_comments,
    is_web_address,
    site_of,
)
from tdlc_syndication.sources.eventlabels import event_of, labelled_text
from tdlc_syndication.sources.footers import without_footer
from tdlc_syndication.sources.inlinetext import (
    element_text,
    is_tag,
    soup_text,
)
from tdlc_syndication.sources.jsonld import (
    ARTICLE_TYPES,
    body_html,
    image_of,
    is_event,
    json_ld_nodes,
    node_event,
    node_stamp,
    organizations,
    people,
    plain,
    referred,
    types_of,
)
from tdlc_syndication.sources.pagedates import (
    MODIFIED_NAMES,
    PUBLISHED_NAMES,
    address_date,
    heading_date,
    labelled_date,
    meta_date,
    microdata_date,
    rdfa_date,
    time_date,
)
from tdlc_syndication.sources.pagemeta import first_values, page_metas
from tdlc_syndication.sources.pagetext import main_text
from tdlc_syndication.sources.postmeta import (
    meta_author,
    named_author,
    post_people_and_tags,
    the_post,
)
from tdlc_syndication.sources.sitenames import (
    cut_at_quote,
    drop_permalinks,
    first_heading,
    heading_titled,
    headings,
    home_names,
    is_label,
    page_heading,
    retold,
    same_words,
    title_without_site,
    without_dangling_mark,
    without_site_name,
    writes,
)
from tdlc_syndication.sources.streamed import put_streamed_parts

if TYPE_CHECKING:  # bs4, soupsieve and the date readers load with the first page read
    from bs4 import BeautifulSoup, Tag

    from tdlc_syndication.pipeline import dates, locales
else:
    dates = LazyModule("tdlc_syndication.pipeline.dates")
    locales = LazyModule("tdlc_syndication.pipeline.locales")


@dataclass(slots=True)
class PageInfo:
    """What a page says about itself."""

    url: str
    title: str = ""
    description: str = ""
    image: str | None = None
    published: tuple[datetime, Precision] | None = None
    modified: tuple[datetime, Precision] | None = None
    authors: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    language: str | None = None
    content_html: str = ""
    event: Event | None = None

    @property
    def dated(self) -> tuple[datetime, Precision] | None:
        """When the page was published: its published date, else the date it says it
        was updated (「更新日：2026年11月26日」, as most municipal pages date themselves)."""
        return self.published or self.modified


def css_problems(selectors: dict[str, str], shown: dict[str, str] | None = None) -> list[str]:
    """One line per selector (config field → CSS) that does not compile; ``shown`` gives
    the text to quote for each field (the config value, when it carries an @attribute)."""
    import soupsieve

    problems = []
    for name, selector in selectors.items():
        if not selector.strip():
            continue
        try:
            soupsieve.compile(selector)
        except (soupsieve.SelectorSyntaxError, NotImplementedError) as exc:
            # (soupsieve refuses a pseudo-element, "a::text", with NotImplementedError:
            # `check` ended in a traceback)
            spec = (shown or selectors).get(name, selector)
            why = _selector_hint(selector) or str(exc).splitlines()[0]
            problems.append(f"{name}: {spec!r} is not a valid CSS selector ({why})")
    return problems


# How Scrapy's selectors (parsel's) and XPath write what a selector here writes otherwise.
_PARSEL_TEXT = re.compile(r"\s*::text\s*$")
_PARSEL_ATTR = re.compile(r"\s*::attr\(\s*([\w:.-]+)\s*\)\s*$")


# jQuery's positions and states, which no CSS selector has (soupsieve's words named
# neither the selector to write nor where the syntax came from).
_JQUERY = re.compile(r":(first|last|even|odd|visible|hidden)(?![\w-])|:(eq|gt|lt)\((\d+)\)")


def _jquery_css(found: re.Match[str]) -> str:
    """The CSS for one of :data:`_JQUERY`'s (positions count from 0 in jQuery, 1 here)."""
    name, function, number = found.groups()
    if function is not None:
        n = int(number)
        return {"eq": f":nth-of-type({n + 1})", "gt": f":nth-of-type(n+{n + 2})"}.get(
            function, f":nth-of-type(-n+{n})"
        )
    return {
        "first": ":first-of-type", "last": ":last-of-type",
        "even": ":nth-of-type(odd)", "odd": ":nth-of-type(even)",
    }.get(name, "")  # fmt: skip


def _selector_hint(selector: str) -> str | None:
    """What to write for a selector in Scrapy's, jQuery's or XPath's way: ``a::text`` is
    ``a`` (an element's text is what is read), ``a::attr(href)`` is ``a@href``; jQuery's
    ``li:first`` is ``li:first-of-type``, ``li:eq(0)`` is ``li:nth-of-type(1)``, and its
    ``:visible`` is left out (the page is read as served, without its styles); an XPath
    (``//ul[@class='news']/li``) is to be written in CSS."""
    if (jquery := _JQUERY.search(selector)) is not None:
        styled = jquery[1] in ("visible", "hidden")  # (what only styles say)
        why = f"; the page is read as served, without its styles: :{jquery[1]} says nothing"
        return f"jQuery's: write {_JQUERY.sub(_jquery_css, selector)!r}{why if styled else ''}"
    if (attr := _PARSEL_ATTR.search(selector)) is not None:
        return f"Scrapy's ::attr(): write {selector[: attr.start()] + '@' + attr[1]!r}"
    if (text := _PARSEL_TEXT.search(selector)) is not None:
        element = selector[: text.start()]
        return f"Scrapy's ::text: write {element!r}; an element's text is what is read"
    if selector.lstrip().startswith(("/", "./", "(/")) or "/text()" in selector:
        return "an XPath: write CSS, as ul.news > li, a@href, span.date"
    return None


_BASE = re.compile(
    r"""<base\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE
)


def document_base(text: str, url: str) -> str:
    """The URL a page's relative links resolve against, as browsers find it: its first
    ``<base href>``, resolved against the page's own URL; the page's URL when it has none
    or that is not http(s). (Pages that have one were read against their own URL, and
    their items linked to addresses that do not exist.) One inside a comment is none, as
    to browsers: a staging site's ``<base>`` left commented out sent every link there."""
    written = "<base" in text or "<BASE" in text or "<Base" in text  # before a full search
    found = first_outside_comments(_BASE, text) if written else None
    if found is None:
        return url
    href = unescape_attribute(next(g for g in found.groups() if g is not None)).strip()
    base = resolve_url(url, href) if href else url
    return base if is_web_address(base) else url


def soup_of(text: str) -> BeautifulSoup:
    """Parse HTML leniently (lxml), whatever the page holds. Two kinds of text made
    Beautiful Soup warn, which is an exception where warnings are errors (the tests): a
    leading XML declaration (an RSS document served where a list page was expected) and
    a short line that looks like a URL or a file name. Neither changes the parse, so the
    declaration is dropped and the line ended."""
    from bs4 import BeautifulSoup

    while text.startswith("<?xml"):  # a document given twice has a second one
        end = text.find("?>")
        text = text[end + 2 :] if end != -1 else text[len("<?xml") :]
    if len(text) <= 256 and "<" not in text and "\n" not in text:
        text += "\n"
    return BeautifulSoup(text, "lxml")


def select_value(
    block: Tag | BeautifulSoup,
    spec: str,
    base: str = "",
    details: bool = False,
    marked: bool = False,
) -> str:
    """Apply ``selector``, ``selector@attr`` or ``@attr`` inside ``block``; '' if nothing.

    Attributes named href or src are made absolute against ``base``. ``details``: a table
    or a definition list of details gives its text with a colon after each label
    (:func:`~tdlc_syndication.sources.eventlabels.labelled_text`). Text is as a browser
    runs it together, with ``marked`` the marked text of
    :mod:`~tdlc_syndication.sources.inlinetext`.
    """
    selector, _, attribute = spec.partition("@")
    node = block.select_one(selector) if selector.strip() else block
    if not is_tag(node):
        return ""
    if not attribute:
        return labelled_text(node) if details else soup_text(node, strip=True, marked=marked)
    value = node.get(attribute)
    text = " ".join(value) if isinstance(value, list) else str(value or "")
    if attribute in ("href", "src") and text and base:
        return resolve_url(base, text.strip())
    return text.strip()


def read_page(
    text: str,
    url: str,
    tz: tzinfo,
    content_selector: str | None = None,
    event_selector: str | None = None,
    location_selector: str | None = None,
    today: date | None = None,
) -> PageInfo:
    """Read a page: og:/meta tags, JSON-LD nodes, ``<time>``, dated footers, main text.

    A page without a JSON-LD Event gives one when ``event_selector`` picks text that names
    a day (``開催日時 令和8年12月3日(木曜日)13時30分～15時``); ``location_selector`` picks
    its place. ``today``, the run's day, places a date written without its year (see
    ``find_date``).
    """
    soup = soup_of(text)
    put_streamed_parts(soup, text)
    drop_permalinks(soup, text)
    info = PageInfo(url=url)
    base = document_base(text, url)
    canonical = soup.find("link", rel="canonical")
    if is_tag(canonical) and canonical.get("href"):
        info.url = _canonical(resolve_url(base, str(canonical["href"])), url)
    html_tag = soup.find("html")
    if is_tag(html_tag) and html_tag.get("lang"):
        info.language = str(html_tag["lang"])
    metas = page_metas([tag for tag in soup.find_all("meta") if is_tag(tag)])
    meta = first_values(metas)
    candidates, site = headings(soup, url)
    site_names = {name for name in (site, meta.get("og:site_name", "")) if name}
    og_title = without_dangling_mark(meta.get("og:title", "").strip())
    if _SLUG.fullmatch(og_title):  # a CMS's name for the page, not its title
        og_title = ""
    raw_title = without_dangling_mark(element_text(soup.find("title")))
    heading, written = page_heading(candidates, raw_title, site_names)
    # An og:title the <title> writes beside the page's heading: the site's name, as a CMS
    # writes it on every page ("防災訓練｜富山市", "富山市"). (The heading of a section
    # beside "Post - Site" in the <title> leaves the og:title "Post" the page's.)
    rest = title_without_site(raw_title, {og_title}) if og_title else raw_title
    if (
        visible(heading)
        and og_title != heading.strip()
        and rest != raw_title
        and same_words(rest, heading)
    ):
        site_names.add(og_title)
    # The site's name after or before a title, where the page names its site: in the
    # <title>, and in an og:title as Japanese CMSs write it (「防災訓練｜富山市」 beside
    # og:site_name 「富山市」), which titled every item with the city's name.
    sites = site_names | home_names(soup, url, f"{raw_title} {og_title}")
    document_title = title_without_site(raw_title, sites)
    if og_title in site_names:  # a CMS that writes the site's name on every page
        og_title = ""
    og_title = title_without_site(og_title, sites - {og_title})
    if document_title in sites:  # a <title> that names the site alone, on every page
        document_title = ""
    # the page's heading with a name after a bar, or before one, that no tag says is the
    # site's ("Musik und Sport | Teufel Blog" beside og:site_name "Das Lautsprecher Teufel
    # Blog" and the <h1> "Musik und Sport")
    shown = heading if visible(heading) else first_heading(soup)
    og_title = heading_titled(og_title, shown)
    document_title = heading_titled(document_title, shown)
    # An og:title the <title> does not write, where the <title> is the heading: a headline
    # for social media (CBC's), or one cut where a quote in it ended the attribute
    # (``content="Marathon: Sieger und "royaler Besuch""``); the page's is the heading.
    agreed = visible(heading) and not is_label(heading) and same_words(document_title, heading)
    if agreed and (not writes(raw_title, og_title) or cut_at_quote(og_title, heading)):
        og_title = ""
    # A heading of a word or two the <title> does not write is a menu's or a section's
    # ("Menü", "Neuigkeiten"), and the <title> says more; a longer one is the post's own,
    # unless the page heads its text with the <title>'s words (a section's name above).
    apart = not written and visible(heading) and visible(document_title)
    if apart and retold(soup, document_title):
        titles: tuple[str, ...] = (og_title, document_title, heading)
    elif written or not is_label(heading) or is_label(document_title):
        titles = (og_title, heading, document_title)
    else:
        titles = (og_title, document_title, heading)
    info.title = next((title for title in titles if visible(title)), "")
    info.description = meta.get("og:description") or meta.get("description", "")
    # a template's description whose own part was empty: a separator and the site's name
    # ("| Lebanon News", every page of a broadcaster's)
    unmarked = without_dangling_mark(info.description)
    if unmarked in sites or (unmarked != info.description.strip() and is_label(unmarked)):
        info.description = ""
    image = meta.get("og:image")
    info.image = resolve_url(base, image) if image else None
    info.published = meta_date(meta, ("article:published_time",), tz)
    info.modified = meta_date(meta, ("article:modified_time",), tz)
    keywords = meta.get("keywords", "")
    info.keywords = [
        k.strip() for k in re.split(r"[,、]", keywords) if k.strip() and not _TEMPLATES.match(k)
    ]
    # else Open Graph's, one element each (as SEO plug-ins and news sites write them)
    info.keywords = info.keywords or list(dict.fromkeys(v for k, v in metas if k == "article:tag"))
    post_of = cache(partial(the_post, soup))  # where the post is: found once, if looked for
    nodes = list(json_ld_nodes(soup))
    # Yoast (on most WordPress sites) names an article's author and image by reference to
    # another node of its @graph ({"@id": ".../#/schema/person/1"}): no author was read.
    named = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    # The article's own node first: an embedded video's (its upload date), a WebPage's,
    # before or after it, say less of the article than it does.
    for node in sorted(nodes, key=lambda node: bool(types_of(node) & _SECONDARY_TYPES)):
        _apply_node(info, node, base, tz, named)
    info.title = without_site_name(info.title, nodes, meta.get("og:site_name", ""))
    info.title = _SPACE_RUN.sub(r"\1", info.title)  # one line, as a title is shown
    # the site as the author, an organisation (a daily's JSON-LD names itself, by its
    # site's name or as the article's publisher): a person the page's links or <meta>
    # elements name is the author, else the site (a blog named for its author, a Person,
    # names them)
    publishers = {n for node in nodes for n in people(referred(node.get("publisher"), named))}
    itself = (sites | publishers) & {
        n for node in nodes for n in organizations(referred(node.get("author"), named))
    }
    site_alone = info.authors if info.authors and set(info.authors) <= itself else []
    info.authors = [] if site_alone else info.authors
    if not info.authors or not info.keywords:  # rel="author", rel="tag", a node's fields
        authors, tags = post_people_and_tags(soup, text, post_of)
        info.authors = info.authors or authors
        info.keywords = info.keywords or tags
    info.authors = info.authors or meta_author(metas, sites | {site_of(info.url)}) or site_alone
    info.authors = info.authors or named_author(post_of())
    info.published = info.published or meta_date(meta, PUBLISHED_NAMES, tz)  # after JSON-LD
    info.modified = info.modified or meta_date(meta, MODIFIED_NAMES, tz)
    order = locales.numeric_order(info.language)  # 26/11/2026 on a page in a day-first language
    if info.event is None and event_selector:
        place = select_value(soup, location_selector, details=True) if location_selector else ""
        when = select_value(soup, event_selector, details=True)
        info.event = event_of(when, place, info.title, tz, today, order)
    info.published = info.published or microdata_date(soup, text, "datePublished", tz)
    info.modified = info.modified or microdata_date(soup, text, "dateModified", tz)
    info.published = info.published or rdfa_date(soup, text, tz)
    info.published = info.published or time_date(soup, tz, today, order, info.url)
    if info.published is None and info.modified is None:
        info.modified = labelled_date(soup.get_text(" "), tz, today, order)
    if info.published is None and info.modified is None:
        info.published = heading_date(soup, info.title, tz, today, order)
    if info.published is None and info.modified is None:
        info.published = address_date(info.url, today or datetime.now(tz).date())
    days = {when.astimezone(tz).date() for when, _ in filter(None, (info.published, info.modified))}
    byline = Byline(tuple(info.authors), frozenset(days), order)
    info.content_html = main_text(
        soup, content_selector, text, base if base != url else None, info.title, byline
    )
    # what a publishing system writes after every post, on its page as in its feed
    # (Substack's subscription box and buttons: "Thanks for reading … Subscribe for free")
    info.content_html = without_footer(info.content_html, info.url)
    if not info.content_html.strip() and not content_selector:  # a script writes the page
        info.content_html = body_html(nodes)
    return info


# A run of spaces, as its first (a line break between two Japanese characters stays one,
# which the cleaning takes out).
_SPACE_RUN = re.compile(r"(\s)\s+")
# JSON-LD types that describe a page's article less closely than its own node does.
_SECONDARY_TYPES = frozenset({"WebPage", "CreativeWork", "VideoObject"})


def _apply_node(
    info: PageInfo, node: dict[str, Any], url: str, tz: tzinfo, named: dict[str, Any]
) -> None:
    kinds = types_of(node)
    if is_event(kinds):
        info.event = node_event(node, tz) or info.event
        info.title = info.title or plain(node.get("name"))
        info.description = info.description or plain(node.get("description"))
        info.image = info.image or image_of(node.get("image"), url)
        return
    if not kinds & ARTICLE_TYPES:
        return
    info.title = info.title or plain(node.get("headline") or node.get("name"))
    info.description = info.description or plain(node.get("description"))
    picture = referred(node.get("image"), named) or node.get("thumbnailUrl")
    info.image = info.image or image_of(picture, url)
    info.published = info.published or node_stamp(
        node.get("datePublished") or node.get("uploadDate"), tz
    )
    info.modified = info.modified or node_stamp(node.get("dateModified"), tz)
    if not info.authors:
        info.authors = people(referred(node.get("author"), named))
    keywords = node.get("keywords")
    if isinstance(keywords, str) and not info.keywords:
        info.keywords = [k.strip() for k in keywords.split(",") if k.strip()]
    elif isinstance(keywords, list) and not info.keywords:
        info.keywords = [str(k).strip() for k in keywords if str(k).strip()]


def _canonical(canonical: str, url: str) -> str:
    """The page's canonical address, or its own when the canonical one is a folder above
    it on its site (``https://city.example.jp/`` or ``/news/`` for ``/news/1.html`` or
    ``/?p=12``): a CMS that writes its home page as every page's canonical address made
    every item link to the home page. Search engines take such an address as a mistake."""
    page, named = urlsplit(url), urlsplit(canonical)
    if page.hostname != named.hostname or named.query:
        return canonical
    folder = named.path or "/"
    inside = page.path != folder or bool(page.query)
    above = folder.endswith("/") and page.path.startswith(folder) and inside
    return url if above else canonical


# A page's name in its address as a CMS wrote it into og:title
# ("adac-kindersitztest-herbst-2018", on a stored page of a motoring club).
_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+){2,}")
# A template's keywords, left as it wrote them (Blogger's "YOUR KEYWORDS HERE").
_TEMPLATES = re.compile(
    r"\s*(?:(?:your|enter|add)\s+)?(?:keywords?|tags?)(?:\s*\d+|\s+here)?\s*\Z", re.I
)
