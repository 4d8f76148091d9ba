"""What publishing systems append to every entry of their feeds, dropped from its text.

- Yoast SEO's RSS footer, on by default on the WordPress sites that run it: a last
  paragraph ``The post <a href=ENTRY>Title</a> appeared first on <a href=SITE>Site</a>.``,
  in the site's language (``投稿 … は … に最初に表示されました。``). It is told by its
  shape, not its words: a short last paragraph of text and two links, the first to the
  entry itself, the second to an address the entry's begins with (its site).
- A theme's link to the entry itself at the end of its excerpt (WordPress's
  ``<a class="more-link" href=ENTRY#more-12>Continue reading "Title"</a>``, ``Read more``,
  ``続きを読む``, ``Baca selengkapnya``): the item is that link already.

Each came into every summary a page, a feed or the digest shows.
"""

from __future__ import annotations

import html
import re

# Only the end of an entry's text is looked at: a footer is short.
_TAIL = 600
_LAST_LINK = 48  # a footer's last link ends at most this far from the text's end
_LINK = re.compile(r"<a\b[^>]*?\bhref=(?:\"([^\"]*)\"|'([^']*)')[^>]*>(.*?)</a\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
_FOOTER_TEXT = 160  # the most text a footer paragraph has besides its links' own
_MORE = re.compile(r"#more-\d+\Z")


def without_footer(markup: str, link: str) -> str:
    """``markup`` (an entry's summary or content, as HTML) without the footer its
    publishing system appended (see the module): unchanged when it has none, or when
    ``link``, the entry's own address, is not known."""
    kept = markup.rstrip()
    if not link or "</a" not in kept[-_LAST_LINK:].lower():  # as both footers end
        return markup
    if kept[-4:].lower() == "</p>":
        kept = _without_site_paragraph(kept, link)
    return _without_more_link(kept, link)


def _tail(kept: str) -> tuple[str, int]:
    """The end of ``kept`` in lower case, and where it starts in ``kept``."""
    start = max(0, len(kept) - _TAIL)
    return kept[start:].lower(), start


def _href(match: re.Match[str]) -> str:
    return html.unescape(match.group(1) if match.group(1) is not None else match.group(2))


def _without_site_paragraph(kept: str, link: str) -> str:
    """``kept`` without its last paragraph when that is a site's footer."""
    tail, start = _tail(kept)
    found = tail.rfind("<p")
    if found < 0 or tail[found + 2 : found + 3] not in (">", " ") or tail.count("<a ", found) != 2:
        return kept
    begin = start + found
    inside = kept[begin:]
    links = list(_LINK.finditer(inside))
    if len(links) != 2:
        return kept
    entry, site = (_href(found) for found in links)
    said = _TAG.sub("", _LINK.sub("", inside))
    if _same(entry, link) and _site_of(site, link) and len(said.strip()) <= _FOOTER_TEXT:
        return kept[:begin].rstrip()
    return kept


def _without_more_link(kept: str, link: str) -> str:
    """``kept`` without a link to the entry itself at its very end (in its last
    paragraph: nothing but the paragraph's end after it)."""
    lower, start = _tail(kept)
    closing = "</p>" if lower.endswith("</p>") else ""
    body = lower[: len(lower) - len(closing)].rstrip()
    if not body.endswith("</a>"):
        return kept
    begin = body.rfind("<a ")
    found = _LINK.match(kept, start + begin) if begin >= 0 else None
    if found is None or found.end() != start + len(body):
        return kept
    if not _same(_MORE.sub("", _href(found)), link):
        return kept
    return kept[: found.start()].rstrip() + closing


def _same(href: str, link: str) -> bool:
    """Whether ``href`` is the entry's address (with or without its last slash)."""
    return href.rstrip("/") == link.rstrip("/")


def _site_of(href: str, link: str) -> bool:
    """Whether ``href`` is the address of the entry's site: one the entry's begins with,
    at a slash (``https://blog.example.org`` or ``https://example.org/blog/``)."""
    site = href.rstrip("/")
    return "://" in site and link.startswith(site + "/") and site != link.rstrip("/")
