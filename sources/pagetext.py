"""A page's main text: the block of its post, its article or its main, else the block
of densest text as a reader view finds it, without the site's chrome around it.

Where it looks, in order: the block the page marks as its post's own text
(``sources.postmeta``), with the lead a news template writes before it; the page's
``<article>`` (of several, the one with the most text, where that is a good part of the
page's); its ``<main>`` (of several, the one with text); then the reader view
(``sources.readable``), unless what that finds is the page's footer. Each found block
loses the chrome ``sources.pagechrome`` lists, and the byline that opens it
(``sources.byline``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tdlc_syndication.pipeline.canonical import names_this_document, resolve_url
from tdlc_syndication.sources.byline import Byline
from tdlc_syndication.sources.inlinetext import (
    MOST_ARTICLES,
    UNSHOWN,
    articles,
    is_shown_text,
    is_tag,
    text_length,
    with_most_text,
)
from tdlc_syndication.sources.pagechrome import drop_chrome
from tdlc_syndication.sources.postmeta import lead_next_to, post_text
from tdlc_syndication.sources.readable import readable_text

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag


def main_text(
    soup: BeautifulSoup,
    selector: str | None,
    text: str,
    base: str | None,
    title: str,
    byline: Byline,
) -> str:
    """The page's main text (its post's own, where it marks it: ``sources.postmeta``)
    without the site's chrome around it (``sources.pagechrome``; ``title`` and
    ``byline``: what the page says of itself);
    with a ``base`` (the page's ``<base href>``), its links made absolute against it (the
    cleaner would resolve them against the page's URL)."""
    for candidate in ([selector] if selector else []) + ["post", "article", "main", "[role=main]"]:
        if candidate == "post":
            found = post_text(soup, text)
        elif candidate == "article":
            found = _the_article(soup)
            if is_tag(found) and (lead := lead_next_to(found)) is not None:
                found.insert(0, lead.extract())  # the article's opening, written apart
        elif candidate == selector:
            found = soup.select_one(candidate)
        else:  # of several <main>s (an ad's before the story's), the one with text
            found, shown = with_most_text(soup.select(candidate, limit=MOST_ARTICLES))
            found = found if shown > 0 else None
        if is_tag(found):
            _shown_without_scripts(found)
            drop_chrome(found, title, byline)
            if base is not None:
                for tag in found.find_all(True):
                    for attribute in ("href", "src"):
                        value = tag.get(attribute)
                        if value is None or (
                            attribute == "src" and names_this_document(str(value))
                        ):
                            continue  # (no file: the cleaning drops its image)
                        tag[attribute] = resolve_url(base, str(value).strip())
            return found.decode_contents()
    readable = readable_text(text)
    if not readable:
        return ""
    from bs4 import BeautifulSoup  # bs4 is loaded by now: the page was read with it

    fragment = BeautifulSoup(readable, "html.parser")
    if _in_footer(soup, fragment):
        return ""
    drop_chrome(fragment, title, byline)
    return str(fragment)


def _in_footer(soup: BeautifulSoup, found: BeautifulSoup) -> bool:
    """Whether what the reader view found is text of the page's footer: on a page of
    pictures that link to their pages (a shelter's animals), the block of most text was
    the site's address and copyright, and the item's summary began with them."""
    said = " ".join(found.get_text(" ").split())
    return bool(said) and any(
        said in " ".join(footer.get_text(" ").split())
        for footer in soup.select("footer, [role=contentinfo]", limit=_MOST_FOOTERS)
    )


_MOST_FOOTERS = 5  # footers of a page looked in (each read whole)


def _shown_without_scripts(block: Tag) -> None:
    """A block that shows no text but in ``<noscript>``: what that holds, shown (Google's
    blogs write each post into a template for their script to show, and again in a
    ``<noscript>``; the cleaner drops both, and the item's text was empty)."""
    for piece in block.find_all(string=True):
        if is_shown_text(piece) and piece.strip() and piece.find_parent(UNSHOWN) is None:
            return  # text outside scripts: the block's own
    for shown in block.find_all("noscript", limit=_MOST_NOSCRIPTS):
        if is_tag(shown) and shown.get_text(strip=True):
            shown.unwrap()


_MOST_NOSCRIPTS = 20  # <noscript>s of a post's text shown so, at most (each read whole)


def _the_article(soup: BeautifulSoup) -> Tag | None:
    """The page's ``<article>``; of several (a news site's teasers of other stories are
    each one, before and beside the story's own), the one with the most text, unless
    that is a small part of the page's (a page of teasers around a story that is in no
    ``<article>``: its ``<main>`` is read)."""
    found = articles(soup)
    if len(found) < 2:
        return found[0] if found and _not_aside(found[0]) else None
    longest, shown = with_most_text(found)
    body = soup.body if is_tag(soup.body) else soup
    return longest if shown * 4 >= text_length(body) else None


def _not_aside(article: Tag) -> bool:
    """Whether a page's one ``<article>`` is its text: not a teaser of another story in
    the story's ``<main>`` (in a box beside its paragraphs, a list of related posts)
    that holds a quarter of the main's text or less."""
    main = article.find_parent("main")
    return main is None or text_length(article) * 4 > text_length(main)
