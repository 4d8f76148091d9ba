"""RSS 2.0 feed documents (with the RSS Best Practices Profile's atom:link self link), RFC
5005 links and markers, Dublin Core creators, one enclosure per item and Media RSS
thumbnails.

Written as text, byte-for-byte what feedgen 1.0 with this project's two extensions writes
(the tests compare the two on random documents), at about fifteen times its speed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from tdlc_syndication.outputs.atom import ATOM_NS, HISTORY_NS, MEDIA_NS
from tdlc_syndication.outputs.document import Entry, Head
from tdlc_syndication.outputs.view import Category
from tdlc_syndication.outputs.xml import (
    DECLARATION,
    attr,
    element,
    empty,
    html_text,
    plain_element,
    rfc822,
    stylesheet,
)

DC_NS = "http://purl.org/dc/elements/1.1/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
MEDIA_TYPE = "application/rss+xml"
DOCS = "http://www.rssboard.org/rss-specification"


def render_rss(head: Head, entries: Sequence[Entry]) -> bytes:
    """One RSS 2.0 document."""
    fh = f' xmlns:fh="{HISTORY_NS}"' if head.marker else ""
    out = [
        DECLARATION,
        stylesheet(head.stylesheet),
        f'<rss xmlns:dc="{DC_NS}" xmlns:media="{MEDIA_NS}"{fh} xmlns:atom="{ATOM_NS}" '
        f'xmlns:content="{CONTENT_NS}" version="2.0">\n',
        "  <channel>\n",
        plain_element("    ", "title", head.title),
        element("    ", "link", head.home_url),
        plain_element("    ", "description", head.subtitle),
        empty("    ", "atom:link", ("href", head.self_url), ("rel", "self"), ("type", MEDIA_TYPE)),
        element("    ", "docs", DOCS),
        element("    ", "generator", head.generator),
        element("    ", "language", head.language),
        element("    ", "lastBuildDate", rfc822(head.updated)),
        element("    ", "ttl", str(head.ttl)),
    ]
    for rel, href in head.links:
        out.append(empty("    ", "atom:link", ("rel", rel), ("href", href)))
    if head.marker:
        out.append(f"    <fh:{head.marker}/>\n")
    for entry in entries:
        _item(out, entry)
    out.append("  </channel>\n</rss>\n")
    return "".join(out).encode("utf-8")


def _item(out: list[str], entry: Entry) -> None:
    out.append("    <item>\n")
    out.append(plain_element("      ", "title", entry.title))
    out.append(element("      ", "link", entry.url))
    if entry.summary is not None:
        out.append(element("      ", "description", html_text(entry.summary)))
        if entry.content is not None:
            out.append(element("      ", "content:encoded", entry.content))
    elif entry.content is not None:
        out.append(element("      ", "description", entry.content))
    out.append(element("      ", "guid", entry.id, ' isPermaLink="false"'))
    out.extend(_category(category) for category in entry.categories)
    if entry.published is not None:
        out.append(element("      ", "pubDate", rfc822(entry.published)))
    for name in entry.authors:
        out.append(plain_element("      ", "dc:creator", name))
    first = next((m for m in entry.enclosures if enclosable(m.url)), None)
    if first is not None:
        out.append(
            empty(
                "      ",
                "enclosure",
                ("url", first.url),
                ("length", str(first.length or 0)),
                ("type", first.mime or "application/octet-stream"),
            )
        )
    if entry.thumbnail:
        out.append(empty("      ", "media:thumbnail", ("url", entry.thumbnail)))
    out.append("    </item>\n")


# The host of an enclosure's URL as the feed validator takes it: DNS labels with a dot
# between, or an IPv4 address (not "localhost" or "a_b.example.org", which links may have).
_ENCLOSURE_HOST = re.compile(r"https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::[0-9]+)?(?:/|\Z)")


def enclosable(url: str) -> bool:
    """Whether an RSS enclosure may have this URL (the validator's ``InvalidURLAttribute``
    otherwise); the feed then names the next enclosure that may, or none."""
    return bool(_ENCLOSURE_HOST.match(url))


@lru_cache(maxsize=4096)
def _category(category: Category) -> str:
    return plain_element("      ", "category", category.label, f' domain="{attr(category.scheme)}"')
