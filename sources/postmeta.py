"""What a post's own page says of it besides its text, and where that text is.

A followed page (``html``'s ``follow``, the ``sitemap`` kind) is read for its main text
in its ``<article>``, else its ``<main>``. WordPress's block themes (Twenty Twenty-Three
and later, the default of a new site) write no ``<article>``: their ``<main>`` holds the
post's date, author and categories above its text, and its tags, the links to the posts
before and after it and the comment form below it, which all came into the content and
began its summary ("November 23, 2026 — Aiko Tanaka in News Kobe held…"). WordPress
marks the post's own text (``entry-content``, in classic themes too), as do schema.org's
microdata (``itemprop="articleBody"``: Blogger's themes, news sites), Ghost's themes
(``gh-content``), Elementor's post content widget and the CMSs of many Japanese
prefectures and cities (``id="tmp_contents"``, beside its menus: a reader view dropped a
notice's list of PDFs from it, for its links; ``id="main_body"`` around its
``detail_free`` blocks, where a reader view found no text in a short notice): where a
page has one such block, and does not hide it, it is the text.

A page names its post's author and tags the way HTML defines (links marked
``rel="author"``, all those of the byline, and links marked ``rel="tag"``), as
microformats do (the author's hCard, ``author vcard``), or as its system writes them:
WordPress's post author block, and the author and tags fields of the Drupal node a page
shows in full (not those of a list of other nodes beside it). They are the item's where
its page's JSON-LD names none; else its ``<meta>`` author is (Open Graph's
``article:author``, then ``<meta name="author">`` as many themes, news sites and Medium
write it, then Dublin Core's ``DC.creator``, then Parse.ly's), where that names a person
or a body other than the site itself or a company; else an element of the post named
for its author (``article-author``).
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from tdlc_syndication.pipeline.hidden import hiding
from tdlc_syndication.sources.inlinetext import (
    articles,
    in_link,
    is_element,
    is_shown_text,
    is_tag,
    text_of,
    walked,
    with_most_text,
)

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

    from tdlc_syndication.sources.pagemeta import Metas

_POST_TEXT = (
    ".wp-block-post-content, .entry-content, [itemprop=articleBody], .gh-content, #tmp_contents, "
    ".elementor-widget-theme-post-content, #main_body:has(> .detail_free)"
)
_POST_MARKS = (
    "entry-content",
    "wp-block-post-content",
    "articleBody",
    "gh-content",
    "tmp_contents",
    "elementor-widget-theme-post-content",
    "detail_free",
)
_AUTHOR = (
    ".node--view-mode-full .field--name-uid, .view-mode-full .submitted .username, "
    ".wp-block-post-author-name"
)
# The author's hCard (microformats), as WordPress's classic themes write the byline
# (``<span class="author vcard"><a class="url fn n" href="…/author/ken/">Ken Sato</a>``):
# in the post, not a comment's (``<cite class="fn">`` in ``.comment-author.vcard``).
_HCARD = ".author.vcard .fn"
# Links marked as the author's and as tags: in the post (its <article>, else the page's
# <main>), not a sidebar's tag cloud nor a footer's credit.
_TAGS = (
    ".node--view-mode-full .field--name-field-tags a, .view-mode-full .field-name-field-tags a, "
    "a[rel~=tag]:not(.tag-cloud-link)"
)
_MARKS = ("view-mode-full", "wp-block-post-author", "vcard")
# The elements a byline's links stand in, inside its block (a <p>, a <div>, a <header>).
_INLINE = ("a", "span", "strong", "em", "b", "i", "small", "font", "cite", "address")
_BYLINE_NAMES = 20
# A link marked as the author's or as a tag, anywhere: the one look before the selectors
# (rel= alone is on every page, in its <head>).
_REL = re.compile(r"\brel=[\"']?(?:[^\"'<>]*\s)?(?:author|tag)\b", re.I)


def post_text(soup: BeautifulSoup, text: str) -> Tag | None:
    """The block of a page that holds its post's own text, where the page marks one
    (see the module), else None. ``text``: the page, looked at first."""
    if not any(mark in text for mark in _POST_MARKS):
        return None
    # not one the page hides (a Wall Street Journal blog's footer holds an IE8 "web slice",
    # <div class="entry-content">CONTENT</div> in a <div style="display:none">)
    found = [tag for tag in soup.select(_POST_TEXT, limit=3) if not _hidden(tag)]
    # a block marked in a block marked (articleBody inside entry-content): the inner one
    innermost = [tag for tag in found if not any(tag in other.parents for other in found)]
    if len(innermost) != 1 or not innermost[0].get_text(strip=True):
        return None
    block = innermost[0]
    lead = _lead_before(block)
    if lead is not None:  # the article's opening, which its template wrote apart
        block.insert(0, lead.extract())
    return block


# A lead, a standfirst: what news and CMS templates name the article's opening paragraph,
# which they write before the post's text and outside its block (TYPO3's news, as most
# German public bodies run it: <div class="teaser-text" itemprop="description"> before
# <div class="news-text-wrap" itemprop="articleBody">; Le Monde's "chapo", Italian
# "sommario", English "standfirst", "dek").
_LEAD = re.compile(
    r"(?:^|[-_ ])(?:lead|intro|teaser-text|chapo|standfirst|excerpt|sommario|deck|dek"
    r"|description|leader|abstract|summary|subheadline|subtitle)(?:$|[-_ ])",
    re.I,
)
# What a template names a picture and what goes with it: no lead's, no author's.
_PICTURE_WORDS = "graphic|image|img|photo|picture|media|video|gallery|caption|credit|license"
_LEAD_TEXT = (30, 2000)  # characters of text a lead holds
_LEAD_NODES = 300  # nodes of a block read to tell whether it is a lead
_LEAD_INSIDE = 200  # elements of a block named for the lead looked at for the lead in it
_NOT_IN_LEAD = frozenset({"h1", "h2", "h3", "nav", "form", "table"})


def lead_next_to(block: Tag) -> Tag | None:
    """The lead a page writes right before its ``<article>`` ``block``, the element just
    before it, named for a lead and one (a Vietnamese daily's ``<p class="description">``
    opens every article): the article's opening. (Further off, a block before an article
    is as often its byline or a menu.)"""
    before = block.find_previous_sibling()
    return before if is_tag(before) and is_named_lead(before) else None


def _lead_before(block: Tag) -> Tag | None:
    """The lead the page writes before the post's ``block`` and outside it: among the
    three elements before it, or before one of the three blocks around it, one named
    for a lead (:func:`_named_lead`) that is one (:func:`_is_lead`), or the first such
    inside one named so or inside the article's header (a template's "intro" or
    ``<header>`` that holds the breadcrumbs, the heading and the lead)."""
    for holder in (block, *list(block.parents)[:3]):
        for before in holder.find_previous_siblings(limit=3):
            if not is_tag(before):
                continue
            named = _named_lead(before)
            if named and _is_lead(before):
                return before
            if named or _is_header(before):
                inside = before.find_all(True, limit=_LEAD_INSIDE)
                found = next((tag for tag in inside if is_named_lead(tag)), None)
                if found is not None:
                    return found
    return None


def is_named_lead(tag: Tag) -> bool:
    """Whether a template names an element for the article's lead and it is one (a few
    sentences, mostly not links, no heading or menu in it, not hidden)."""
    return _named_lead(tag) and _is_lead(tag)


def _names(tag: Tag) -> str:
    """The names a template gives an element: its classes, its ``itemprop``, its id."""
    return " ".join(
        [*(tag.get("class") or []), str(tag.get("itemprop") or ""), str(tag.get("id") or "")]
    )


def _named_lead(tag: Tag) -> bool:
    """Whether a template names an element for a lead (:data:`_LEAD`): not a picture nor
    its caption (schema.org's ``description`` of an image, a ``lead_graphic``), nor the
    site's own (WordPress's tagline is ``site-description``, a sidebar's widget, the
    ``description`` of its organization's schema.org item)."""
    names = _names(tag)
    if _LEAD.search(names) is None or _SITE_BLOCK.search(names) is not None:
        return False
    around = list(itertools.chain((tag,), itertools.islice(tag.parents, _AROUND)))
    if any(block.name in _PICTURE for block in around):
        return False
    scope = next((block for block in around if block.get("itemtype")), None)
    return (  # schema.org's description of an article, not of the site's organization
        tag.get("itemprop") != "description"
        or scope is None
        or _ARTICLE_TYPE.search(str(scope["itemtype"])) is not None
    )


_ARTICLE_TYPE = re.compile(r"Article|Posting|Report", re.I)


_PICTURE = frozenset({"figure", "figcaption", "img", "picture"})  # (its caption is no lead)


def _is_header(tag: Tag) -> bool:
    """Whether an element is an article's header (``<header>``, ``article-header``,
    ``heading-wrapper``, a "hero"), not the site's."""
    names = _names(tag)
    return (tag.name == "header" or _HEADER.search(names) is not None) and (
        _SITE_BLOCK.search(names) is None
    )


_HEADER = re.compile(r"header|heading|hero|intro", re.I)
# Not the article's: the site's own (its tagline, its menus' texts, a sidebar's widget), a
# picture's.
_SITE_BLOCK = re.compile(rf"widget|(?:^|[-_ ])(?:site[-_]|menu|nav|{_PICTURE_WORDS})", re.I)


def _is_lead(tag: Tag) -> bool:
    """Whether a block is a lead: a few sentences (:data:`_LEAD_TEXT`), most of it not
    links' text (nor in a link: a menu's item), no heading, menu, form or table in it,
    and not hidden."""
    if hiding(tag.attrs) or in_link(tag, _AROUND):
        return False
    text = 0
    for count, node in enumerate(walked(tag, _LEAD_NODES + 1)):
        if count == _LEAD_NODES or (is_element(node) and node.name in _NOT_IN_LEAD):
            return False
        if is_shown_text(node):
            text += len(str(node).strip())
            if text > _LEAD_TEXT[1]:
                return False
    linked = sum(len(link.get_text(strip=True)) for link in tag.find_all("a"))  # (few nodes)
    return text >= _LEAD_TEXT[0] and linked * 2 < text


_AROUND = 10  # levels above a block looked at for what it is in (a link, a picture)


def _hidden(tag: Tag) -> bool:
    """Whether the page hides ``tag``, by an attribute of its own or of a block around it."""
    return any(hiding(block.attrs) for block in (tag, *tag.parents) if is_tag(block))


def post_people_and_tags(
    soup: BeautifulSoup, text: str, post_of: Callable[[], Tag]
) -> tuple[list[str], list[str]]:
    """The author and the tags a page names of its post (see the module); none where it
    names none. ``text``: the page, looked at first; ``post_of``: where the post is
    (:func:`the_post`, found once for this and :func:`named_author`)."""
    if not any(mark in text for mark in _MARKS) and _REL.search(text) is None:
        return [], []
    post = post_of()
    author = soup.select_one(_AUTHOR) or post.select_one(_HCARD)
    linked = post.select_one("a[rel~=author]") if author is None else None
    authors = [author] if author is not None else _byline(linked) if linked is not None else []
    names = (author_name(text_of(tag)) for tag in authors)
    tags = (text_of(link).lstrip(_DECORATION) for link in post.select(_TAGS))
    return list(dict.fromkeys(n for n in names if n)), list(dict.fromkeys(t for t in tags if t))


def the_post(soup: BeautifulSoup) -> Tag:
    """Where a page's post is: of its ``<article>``s (teasers of other posts may stand
    around the post's), the one with the most text; else its ``<main>``; else all of it."""
    longest = with_most_text(articles(soup))[0]
    found = longest or soup.select_one("main")
    return found if is_tag(found) else soup


def named_author(post: Tag) -> list[str]:
    """The author an element of the ``post`` (:func:`the_post`) names by its class
    (``author``, ``author-name``, ``post-author``, ``byline__author``), where nothing
    else names one: the first such that holds a name's few words (no digits: not
    "Editor December 20, 2016"), not in a comment."""
    for tag in post.find_all(class_=_AUTHOR_CLASS, limit=_TRIED_AUTHORS):
        if not is_tag(tag) or tag.find_parent(class_=_COMMENT_CLASS) is not None:
            continue
        words = _byline_words(tag)
        if (
            0 < len(words) <= _NAME_LENGTH
            and len(words.split()) <= _NAME_WORDS
            and not any(c.isdigit() for c in words)
            and (name := author_name(words))
        ):
            return [name]
    return []


# An element named for the post's author: ``author``, ``article-author``, ``author-name``,
# a block's element under a name of several parts (BEM: ``yle__article__author``,
# ``c-page-intro__author``, ``entry-meta-author``); not a picture's credit
# (``media-license-author``), a review's or a comment's author, a list of authors' terms.
_AUTHOR_CLASS = re.compile(
    rf"^(?!.*(?:^|[-_])(?:{_PICTURE_WORDS}|rev|review"
    r"|comment|reply|quote|testimonial|taxonomy|term)(?:[-_]|$))"
    r"(?:[a-z0-9]+[-_]+){0,3}(?:author|byline[-_]+author)(?:[-_]+(?:name|text|link)){0,2}$",
    re.I,
)
_COMMENT_CLASS = re.compile(r"comment", re.I)
_TRIED_AUTHORS = 5


def _byline_words(tag: Tag) -> str:
    """``tag``'s words but its links named for a social network or for mail, which lead
    to the author's accounts (a magazine's byline "By Sarah Lazare" and a link "Twitter"
    after it named the author "Sarah Lazare Twitter"; a link that says the name or the
    handle stays), read in its first :data:`_BYLINE_PIECES` nodes."""
    words = []
    for piece in walked(tag, _BYLINE_PIECES):
        if not is_shown_text(piece):
            continue
        link = piece.find_parent("a")
        if not (is_tag(link) and tag in link.parents and _ELSEWHERE.fullmatch(text_of(link))):
            words.append(str(piece))
    return " ".join(" ".join(words).split())


# What a link to an author's account elsewhere or to their mail says
_ELSEWHERE = re.compile(
    r"(?:follow(?:\s+on)?\s+)?(?:twitter|x|facebook|instagram|linkedin|threads|bluesky"
    r"|mastodon|youtube|tiktok|e-?mail|mail)",
    re.I,
)
_BYLINE_PIECES = 40
_NAME_LENGTH, _NAME_WORDS = 60, 6  # a byline's name ("By Ken Sato, Kobe"), not a bio


def _byline(link: Tag) -> list[Tag]:
    """The links marked as the authors' in the byline of ``link``, the first: those in
    the nearest block around it (a news site's "By Kevin Sack, Adam Nossiter and Sheri
    Fink", each a link), at most :data:`_BYLINE_NAMES`."""
    block = link.parent
    while is_tag(block) and block.name in _INLINE:
        block = block.parent
    if not is_tag(block) or block.name in ("body", "html", "[document]"):
        return [link]
    return list(block.select("a[rel~=author]", limit=_BYLINE_NAMES))


def meta_author(metas: Metas, sites: set[str]) -> list[str]:
    """The author a page's ``<meta>`` elements (``metas``) name, where it is a name: not an
    address or a handle (``@cityofkobe``), no CMS's placeholder (``admin``), not the
    site's own name (a municipal site's every page, 「神戸市」), nor a company's
    (``mediagene Inc.``).
    Open Graph's ``article:author`` comes first (Condé Nast's sites name themselves in
    ``author`` and the writer there), then ``author`` (each, where a page has several),
    ``DC.creator``, Parse.ly's, cXense's (Japanese dailies': ``cXenseParse:author``)."""
    own = {site.casefold() for site in sites}
    found: list[tuple[int, str]] = []
    for key, content in metas:
        if key in _META_AUTHOR:
            name = author_name(content)
            if (
                name
                and not is_address(name)
                and name.casefold() not in own | _PLACEHOLDERS
                and _COMPANY.search(name) is None
            ):
                found.append((_META_AUTHOR.index(key), name))
    return [min(found)[1]] if found else []


_META_AUTHOR = (
    "article:author", "author", "dc.creator", "dcterms.creator", "parsely-author",
    "cxenseparse:author",
)  # fmt: skip
_PLACEHOLDERS = {"admin", "administrator", "webmaster", "author", "user", "wordpress"}
_COMPANY = re.compile(
    r"\b(?:Inc|Ltd|LLC|GmbH|Corp|Co\.,? Ltd)\.?$|^(?:株式会社|有限会社)|株式会社$", re.I
)


def is_address(name: str) -> bool:
    """Whether an author's "name" is an address, a path or a handle (``https://…/#author``,
    ``/@kensato``, ``@cityofkobe``): no one's name."""
    return name.casefold().startswith(("@", "/", "http://", "https://", "www."))


# What a theme's author link says around the name (Twenty Fifteen's and Twenty Sixteen's
# "View all posts by Daniel Lemire", and as WordPress's translations say it: 「山田 の投稿を
# すべて表示」, "Zeige alle Beiträge von …", "Ver todas las entradas de …", "Voir tous les
# articles de …", "Lihat semua tulisan oleh …", "Xem tất cả bài viết của …"; a byline's
# "By Lucy Akins", "Por …", "Par …", "Oleh …", "Bởi …").
_AUTHOR_LINK = re.compile(
    r"(?:(?:view\s+)?(?:all|more)\s+posts\s+by|posts\s+by|(?:posted|written)\s+by|by"
    r"|(?:publicado\s+)?por|(?:publié\s+)?par|(?:diposting|ditulis)\s+oleh|oleh"
    r"|(?:đăng\s+|viết\s+)?bởi|(?:geschrieben|eingestellt|verfasst|erstellt)\s+von"
    r"|(?:zeige\s+)?alle\s+beiträge\s+von|ver\s+tod[ao]s\s+(?:las|los|as|os)\s+"
    r"(?:entradas|publicaciones|artículos|posts|publicações|artigos)\s+de"
    r"|(?:voir|afficher)\s+tous\s+les\s+articles\s+(?:de|par)"
    r"|lihat\s+semua\s+(?:tulisan|pos|artikel|postingan)\s+(?:oleh|dari)"
    r"|xem\s+tất\s+cả\s+(?:các\s+)?bài\s+(?:viết|đăng)\s+(?:của|bởi))\s+(?P<en>.+)"
    r"|(?P<ja>.+?)\s*(?:の(?:すべての)?投稿(?:をすべて)?を?表示|の投稿一覧)",
    re.I,
)
_DECORATION = "›»•·▶→> "  # what a theme writes before each tag's name ("› Gebäck")


def author_name(words: str) -> str:
    """A person's name as a byline, an author's link or a page's metadata writes it:
    without its tags (a news site's JSON-LD: ``By <a href="/profiles/x">Amir Vera</a>``),
    the words around it (:data:`_AUTHOR_LINK`), and what a bar parts from it (a city
    paper's ``Lucy Berry | lberry@al.com``, ``Matt Friedman | NJ Advance Media``; a dash
    before an address, ``Dr Jane Smith - https://blog.example.com/``). '' where no letter
    is left (a template's placeholder, ``. .``)."""
    if "<" in words:
        words = html.unescape(_TAG.sub("", words))
    words = " ".join(_BAR.split(words, maxsplit=1)[0].split()) or " ".join(words.split())
    # a label's mark before it ("Autor: Joe S." read as ": Joe S."), a list's after it
    words = words.lstrip(":：-–— ").rstrip(",;:、 ")
    found = _AUTHOR_LINK.fullmatch(words)
    if not found:
        name = words.removeprefix("von ")  # German's "by", lower case ("Von Miller" stays)
    else:
        name = (found["en"] or found["ja"] or "").strip()
        name = name.removesuffix(" anzeigen")  # "Alle Beiträge von … anzeigen"
    return name if any(c.isalpha() for c in name) else ""  # not a template's ". ."


_TAG = re.compile(r"<[^<>]*>")
# what parts a name from what follows it: a bar, or a dash before an address ("Dr Jane
# Smith - https://blog.example.com/", "Jane Smith – jane@example.org")
_BAR = re.compile(r"\s[|｜]\s|\s[-–—]\s+(?=https?://|www\.|[^\s@]+@[^\s@]+\.\w)")
