"""Atom 1.0 (RFC 4287) feed documents, with RFC 5005 links and markers, Media RSS
thumbnails and enclosure links.

Written as text, byte-for-byte what feedgen 1.0 with this project's two extensions writes
(the tests compare the two on random documents), at about fifteen times its speed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from tdlc_syndication.outputs.base import PROJECT_URL
from tdlc_syndication.outputs.document import Entry, Head
from tdlc_syndication.outputs.view import Category
from tdlc_syndication.outputs.xml import (
    DECLARATION,
    attr,
    element,
    empty,
    plain_element,
    rfc3339,
    stylesheet,
)

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_NS = "http://search.yahoo.com/mrss/"
HISTORY_NS = "http://purl.org/syndication/history/1.0"
MEDIA_TYPE = "application/atom+xml"


def render_atom(head: Head, entries: Sequence[Entry]) -> bytes:
    """One Atom document."""
    fh = f' xmlns:fh="{HISTORY_NS}"' if head.marker else ""
    out = [
        DECLARATION,
        stylesheet(head.stylesheet),
        f'<feed xmlns:media="{MEDIA_NS}"{fh} xmlns="{ATOM_NS}" xml:lang="{attr(head.language)}">\n',
        element("  ", "id", head.id),
        plain_element("  ", "title", head.title),
        element("  ", "updated", rfc3339(head.updated)),
        "  <author>\n",
        plain_element("    ", "name", head.author),
    ]
    if head.author_email:
        out.append(element("    ", "email", head.author_email))
    out.append("  </author>\n")
    out.append(empty("  ", "link", ("href", head.self_url), ("rel", "self"), ("type", MEDIA_TYPE)))
    out.append(
        empty("  ", "link", ("href", head.home_url), ("rel", "alternate"), ("type", "text/html"))
    )
    out.append(element("  ", "generator", head.generator, f' uri="{attr(PROJECT_URL)}"'))
    if head.subtitle:
        out.append(plain_element("  ", "subtitle", head.subtitle))
    for rel, href in head.links:
        out.append(empty("  ", "link", ("rel", rel), ("href", href)))
    if head.marker:
        out.append(f"  <fh:{head.marker}/>\n")
    for entry in entries:
        _entry(out, entry, head.language)
    out.append("</feed>\n")
    return "".join(out).encode("utf-8")


def _entry(out: list[str], entry: Entry, language: str) -> None:
    # An entry in another language than its feed's says so (RFC 4287 allows xml:lang on
    # any element): a Japanese entry of an English feed was English to its readers.
    own = entry.item.language
    out.append(f'  <entry xml:lang="{attr(own)}">\n' if own and own != language else "  <entry>\n")
    out.append(element("    ", "id", entry.id))
    out.append(plain_element("    ", "title", entry.title))
    out.append(element("    ", "updated", rfc3339(entry.updated)))
    for name in entry.authors:
        out.append("    <author>\n")
        out.append(plain_element("      ", "name", name))
        out.append("    </author>\n")
    if entry.content is not None:
        out.append(element("    ", "content", entry.content, ' type="html"'))
    out.append(empty("    ", "link", ("href", entry.url)))
    if entry.summary is not None:
        out.append(plain_element("    ", "summary", entry.summary))
    out.extend(_category(category) for category in entry.categories)
    if entry.published is not None:
        out.append(element("    ", "published", rfc3339(entry.published)))
    for media in entry.enclosures:
        pairs = [
            ("rel", "enclosure"),
            ("href", media.url),
            ("type", media.mime or "application/octet-stream"),
        ]
        if media.length:
            pairs.append(("length", str(media.length)))
        out.append(empty("    ", "link", *pairs))
    if entry.thumbnail:
        out.append(empty("    ", "media:thumbnail", ("url", entry.thumbnail)))
    out.append("  </entry>\n")


@lru_cache(maxsize=4096)
def _category(category: Category) -> str:
    return empty(
        "    ",
        "category",
        ("term", category.term),
        ("scheme", category.scheme),
        ("label", category.label),
    )
