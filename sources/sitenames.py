"""A page's title without its site's name: ``防災訓練のお知らせ｜富山市`` is
``防災訓練のお知らせ`` where the page names its site (``og:site_name``, a logo heading, a
link to its home page, a JSON-LD WebSite), as most CMSs write every page's ``<title>``
and many their ``og:title``; and its headings without their links to themselves
(:func:`drop_permalinks`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tdlc_syndication.pipeline.canonical import resolve_url
from tdlc_syndication.pipeline.columns import display_width
from tdlc_syndication.pipeline.text import visible
from tdlc_syndication.sources.inlinetext import element_text, is_element, is_tag, walked
from tdlc_syndication.sources.jsonld import ARTICLE_TYPES, is_event, plain, types_of

if TYPE_CHECKING:  # bs4 loads with the first page read
    from bs4 import BeautifulSoup

# What sites put between a page's title and their own name: "Flood drill - City of Kobe",
# also written twice ("-- Engadget") or as a dot ("· GitHub", "• City Lab").
_MARK_CHARS = "-|–—:｜：・«»›‹·•"  # what parts a title from its site's name
_TITLE_MARKS = f"[{re.escape(_MARK_CHARS)}]{{1,3}}"
_TITLE_SEPARATOR = re.compile(rf"\s*{_TITLE_MARKS}\s*(?=\S)")  # (matched where it starts)
# A separator with words after it, looked for anywhere: from its marks, not from spaces
# before them (each look from a space of a long run read on to its end: 14 s a title).
_MARKS_AHEAD = re.compile(rf"{_TITLE_MARKS}\s*(?=\S)")
# What a template leaves at a title's end where it wrote the site's name empty: not a
# colon (a heading's own, "Kobe:"), nor « » (quotes)
_DANGLING_MARKS = "-|–—｜·•"


def drop_permalinks(soup: BeautifulSoup, text: str) -> None:
    """Take out of a page's headings their links to themselves that show a mark or an
    icon (Sphinx's and Python's docs, MkDocs, Hugo, GitHub: ``<h1>Flood drill<a
    class="headerlink" href="#flood-drill">¶</a></h1>``). The page was titled "Flood
    drill ¶", and its heading, no longer its title's words, stayed in its text. A link
    around the heading's own words stays. ``text``: the page, looked at first."""
    if _FRAGMENT_LINK.search(text) is None:
        return  # one look: most pages link no part of themselves
    for heading in soup.find_all(_HEADING_NAMES, limit=_MOST_HEADINGS):
        if not is_tag(heading):
            continue
        links = [n for n in walked(heading, _HEADING_NODES) if is_element(n) and n.name == "a"]
        for link in links[:_MOST_LINKS]:  # (a heading's own nodes: not a page nested in it)
            if (
                is_tag(link)
                and str(link.get("href") or "").strip().startswith("#")
                and link.get_text(strip=True) in _PERMALINK_MARKS
            ):
                link.decompose()


_FRAGMENT_LINK = re.compile(r"""href\s*=\s*["']?\s*#""", re.IGNORECASE)
_HEADING_NAMES = ("h1", "h2", "h3", "h4", "h5", "h6")
_MOST_HEADINGS = 300  # headings of a page looked in
_MOST_LINKS = 4  # links of a heading looked at
_HEADING_NODES = 40  # nodes of a heading read for them (unclosed ones nest the page)
# What a heading's link to itself shows: a mark, or an icon with no text.
_PERMALINK_MARKS = frozenset({"", "¶", "#", "§", "🔗", "⚓", "∞", "⁋", "#️⃣", "🔖", "link"})


def _separator_before(title: str, end: int) -> int | None:
    """Where a separator (its spaces before it included) that ends ``title[:end]``
    starts; None where none does. Read from the end, as far as the separator goes."""
    head = title[:end].rstrip()
    core = head.rstrip(_MARK_CHARS)
    return len(core.rstrip()) if 1 <= len(head) - len(core) <= 3 else None


def headings(soup: BeautifulSoup, url: str) -> tuple[list[str], str]:
    """The page's own ``<h1>`` headings, and the site's name when a ``<h1>`` is the site's
    logo (a link to its home page, as many municipal sites' headers are: ``<h1><a
    href="/">富山市</a></h1>``, or a heading in such a link); such a heading titled every
    page with the city's name."""
    own: list[str] = []
    site = ""
    for found in soup.find_all("h1"):
        if not is_tag(found):
            continue
        home = found.find("a", href=True) or found.find_parent("a", href=True)
        if is_tag(home) and is_home(str(home["href"]), url):
            logo = found.find("img", alt=True)
            site = site or element_text(found) or (str(logo["alt"]).strip() if is_tag(logo) else "")
            continue
        text = element_text(found)
        if visible(text):
            own.append(text)
    return own, site


def is_label(heading: str) -> bool:
    """Whether a heading is a word or two, as a menu's or a section's name is: under 20
    columns wide (a Japanese or Chinese character is two: 「お知らせ」 is a label,
    「富山市のコンパクトシティ政策」 none)."""
    return len(heading.split()) < 3 and display_width(heading) < 20


def page_heading(candidates: list[str], title: str, sites: set[str]) -> tuple[str, bool]:
    """Of a page's ``<h1>`` headings, the one its ``<title>`` writes (a theme's menu
    button, 「Menü」, and a section's name come before it; of several it writes, the
    longest, not a section's or the site's word: "Zoll" in "Zoll online - … - Verkündung
    …"; a word or two it writes as a part of its own, :func:`_writes_whole`), else the
    first of those that name no site and are no label (:func:`is_label`),
    else the first; '' where there is none. And whether the ``<title>`` writes it."""
    own = [heading for heading in candidates if heading.strip() not in sites]
    written = [head for head in own if _writes_whole(title, head) or writes(head, title)]
    if written:  # the one it writes most of ("Zoll online - … - Verkündung …": not "Zoll")
        return max(written, key=lambda heading: len(_said(heading))), True
    first = next((heading for heading in own if not is_label(heading)), own[0] if own else "")
    return first, False


def heading_titled(title: str, heading: str) -> str:
    """``heading`` where ``title`` is it with more after a bar or a dash, or before one:
    the name of a site that does not say it is its name ("Musik und Sport | Teufel Blog"
    beside the ``<h1>`` "Musik und Sport", "Kinder und Arbeit » ProNATs e.V."); else
    ``title``. Not after a colon (a title's own subtitle: "Coronavirus: New York …"), nor
    where the heading is a word or two (a section's name)."""
    if not visible(heading) or is_label(heading) or title == heading:
        return title
    said, own = _said(title), _said(heading)
    if said.startswith(own):
        bar = _BAR.match(said, len(own))
        return heading if bar is not None and visible(said[bar.end() :]) else title
    if said.endswith(own):
        before = said[: len(said) - len(own)]
        rest = before.rstrip()
        if rest[-1:] in _BARS_BEFORE or (rest.endswith(" -") and before != rest):
            return heading if visible(rest[:-1]) else title
    return title


# What parts a title from a name around it, where nothing else tells it is the site's:
# a bar, a guillemet, a dash with spaces around it (not a colon, nor a hyphen in a word).
_BAR = re.compile(r"\s*[|｜»›–—]\s*|\s+-\s+")
_BARS_BEFORE = frozenset("|｜«‹–—")


def first_heading(soup: BeautifulSoup) -> str:
    """The text of the page's first ``<h2>`` outside its header, footer, menus and side
    bars (a blog's post title, on a page whose ``<h1>`` is none or its logo); '' where
    there is none."""
    for found in soup.find_all("h2", limit=_HEADINGS_READ):
        if is_tag(found) and found.find_parent(_CHROME) is None:
            return element_text(found)
    return ""


_CHROME = ("header", "footer", "nav", "aside")
_HEADINGS_READ = 30


def retold(soup: BeautifulSoup, title: str) -> bool:
    """Whether a ``<h2>`` or ``<h3>`` of the page, outside its header, footer, menus and
    side bars, says its ``<title>`` again (its quotes curled or not): the page's own
    heading, under a ``<h1>`` that names its section ("Allergies Health Center")."""
    for found in soup.find_all(("h2", "h3")):
        if (
            is_tag(found)
            and same_words(element_text(found), title)
            and found.find_parent(_CHROME) is None
        ):
            return True
    return False


def same_words(one: str, other: str) -> bool:
    """Whether two titles say the same: the same words, in any case, quotes curled or
    not."""
    return _said(one) == _said(other)


def writes(title: str, text: str) -> bool:
    """Whether ``title`` writes ``text``'s words (in any case, quotes curled or not)."""
    words = _said(text)
    return bool(words) and words in _said(title)


def _writes_whole(title: str, heading: str) -> bool:
    """Whether ``title`` writes ``heading``'s words, and a word or two as a whole: a
    part of it between its bars, brackets or spaces, not the start of a word (a
    prefecture's section 「犬」 is not written in 「犬・猫の譲渡_但馬 | 兵庫県…」, whose
    item was titled 「犬」)."""
    if not is_label(heading):
        return writes(title, heading)
    said, words = _said(title), _said(heading)
    return bool(words) and any(
        said[at - 1 : at] in _APART and said[at + len(words) : at + len(words) + 1] in _APART
        for at in _places(said, words)
    )


def _places(text: str, part: str) -> Iterator[int]:
    """Where ``part`` stands in ``text``, each start."""
    at = text.find(part)
    while at >= 0:
        yield at
        at = text.find(part, at + 1)


# What stands between a title's parts ('' is its start or its end); not 「・」, which
# lists words in one ("犬・猫")
_APART = frozenset(["", *" |｜/／\\-–—:：»«›‹【】「」『』()（）[]〈〉《》,、。.!！?？_~〜"])


def cut_at_quote(title: str, heading: str) -> bool:
    """Whether ``title`` is ``heading``'s words up to a double quote: an attribute's value
    that a quote in it ended (``content="Marathon: Sieger und "royaler Besuch""``)."""
    said, whole = _said(title), _said(heading)
    return bool(said) and whole.startswith(said) and whole[len(said) :].lstrip()[:1] == '"'


def _said(text: str) -> str:
    return " ".join(text.split()).casefold().translate(_STRAIGHT)


_STRAIGHT = str.maketrans("‘’“”", "''\"\"", "\u00ad\u200b")  # (soft hyphens: no words)


def home_names(soup: BeautifulSoup, url: str, title: str) -> set[str]:
    """What the page's links to its home page say (a logo's ``alt``, its text), where its
    ``<title>`` may end in the site's name (``防災訓練のお知らせ｜富山市`` beside ``<a
    href="/"><img alt="富山市"></a>``): a sitemap's or a list's pages without an
    ``og:site_name`` or a logo heading were titled with the city's name."""
    if _MARKS_AHEAD.search(title) is None:
        return set()
    # the site's address as its name ("… | MDR.DE", "… - example.com"), as the title writes it
    host = re.escape((urlsplit(url).hostname or "").removeprefix("www."))
    names = (
        {
            found.group()
            for found in re.finditer(rf"(?<![\w.])(?:www\.)?{host}(?![\w.])", title, re.I)
        }
        if host
        else set()
    )
    for link in soup.find_all("a", href=True):
        href = str(link["href"]).strip()
        if not href.endswith(("/", "index.html")) or not is_home(href, url):
            continue
        names.add(" ".join(element_text(link).split()))
        names.update(" ".join(str(img["alt"]).split()) for img in link.find_all("img", alt=True))
    return names - {""}


def is_home(href: str, url: str) -> bool:
    """Whether ``href``, in the page at ``url``, leads to its site's home page."""
    target = urlsplit(resolve_url(url, href.strip()))
    return target.hostname == urlsplit(url).hostname and target.path in ("", "/", "/index.html")


# What a site's name may have after it in a title: its "home page" (「富山市ホームページ」,
# 「神戸市公式ウェブサイト」, "City of Cebu Official Website").
_HOME_PAGE = re.compile(
    r"\s*(?:公式)?(?:ホームページ|ウェブサイト|ウェブページ|サイト|HP)"
    r"|\s+(?:-\s+)?(?:the\s+)?official\s+(?:web\s*site|site|portal)",
    re.IGNORECASE,
)


def without_dangling_mark(title: str) -> str:
    """``title`` without a separator left at its end or its start, where a template
    wrote the site's name empty ("Pferdesport definitiv bei Olympia 2028 dabei -",
    "National Rail Enquiries -"); « and » are quotes."""
    text = title.strip()
    core = text.rstrip(_DANGLING_MARKS)
    if core != text and core[-1:].isspace():
        text = core.rstrip()
    core = text.lstrip(_DANGLING_MARKS)
    if core != text and core[:1].isspace():
        text = core.lstrip()
    return text


def title_without_site(title: str, sites: set[str]) -> str:
    """A document's ``<title>`` without a site's name written before or after it
    (``防災訓練のお知らせ｜富山市``, also as its home page: ``…｜富山市ホームページ``, or
    followed by its sections' names: ``… - SPIEGEL ONLINE - Nachrichten - Netzwelt``),
    where the page names its site (``og:site_name``, a logo heading, a link home); none
    where it is the site's name after a separator alone. Of several names the title
    writes, the first it writes is looked at first, then the longest (as a set holds
    them, their order changed from run to run, and so did the title: "Retro-PC: … - SPIEGEL
    ONLINE" in one run, "Retro-PC: …" in the next, where "Nachrichten" came first)."""
    written = sorted((site for site in sites if site and site in title), key=_first_longest(title))
    for site in written:
        end = title.rfind(site)
        if end > 0 and _HOME_PAGE.fullmatch(title, end + len(site)):
            title_end = title[: end + len(site)]  # its home page's words after the name
            return title_without_site(title_end, {site}) if title_end != title else title
        if title.endswith(site) and title != site:
            before = _separator_before(title, len(title) - len(site))
            if before is not None:  # (" | City Lab": a template's, its page's own title empty)
                return title[:before].strip()
        if title.startswith(site) and title != site:
            separator = _TITLE_SEPARATOR.match(title, len(site))
            if separator:
                return title[separator.end() :].strip()
        head = _before_site_and_sections(title, site)
        if head:
            return head
    return title


def _first_longest(title: str) -> Callable[[str], tuple[int, int, str]]:
    """The order of the names ``title`` writes: where it first writes one, its length
    (the longer first), the name."""
    return lambda site: (title.find(site), -len(site), site)


def _before_site_and_sections(title: str, site: str) -> str:
    """The title before the site's name where sections' names follow it, each after a
    separator ("Retro-PC: Commodore reaktiviert den C64 - SPIEGEL ONLINE - Nachrichten -
    Netzwelt"); '' where the title is not so written."""
    start = title.find(site, 1) if site else -1
    if start < 0:
        return ""
    before = _separator_before(title, start)
    after = _TITLE_SEPARATOR.match(title, start + len(site))
    if before is None or after is None:
        return ""
    sections = _MARKS_AHEAD.split(title[after.end() :])
    short = len(sections) <= _SECTIONS and all(len(part.strip()) <= _SECTION for part in sections)
    head = title[:before].strip()
    return head if short and visible(head) else ""


_SECTIONS, _SECTION = 3, 30  # sections' names after a site's name, and their length at most


def without_site_name(title: str, nodes: list[dict[str, Any]], site: str) -> str:
    """The page's title without the site's name after it ("Flood drill - City of Kobe",
    Yoast's og:title by default: every such page had the site's name in its title), when
    the page names the site (og:site_name, or a WebSite node of its JSON-LD) and its
    JSON-LD's headline is the rest; or, where the title is that headline, when the
    headline itself ends with the site's or the article's publisher's name (the BBC's
    ``'Boaty McBoatface' tops ship name poll | BBC News``)."""
    sites = {site.strip()} | {
        plain(n.get("name"))
        for n in nodes
        if "WebSite" in types_of(n) or "Organization" in types_of(n)
    }
    for node in nodes:
        kinds = types_of(node)
        if not (kinds & ARTICLE_TYPES or is_event(kinds)):
            continue
        headline = plain(node.get("headline") or node.get("name"))
        if headline and title == headline:
            publisher = node.get("publisher")
            named = plain(publisher.get("name")) if isinstance(publisher, dict) else ""
            return title_without_site(title, (sites | {named}) - {""})
        if not headline or not title.startswith(headline):
            continue
        separator = _TITLE_SEPARATOR.match(title, len(headline))
        if separator and title[separator.end() :].strip() in sites - {""}:
            return headline
    return title
