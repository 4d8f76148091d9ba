"""What Drupal writes of a node around its text in each entry of its feeds, read and taken
out.

Drupal renders a node for its feeds (``/rss.xml``, a view's feed display) as its pages
render it, fields and all, into the entry's description. From Drupal 8 on, the theme
writes the node's title before the body and its author and date after it, each as a
field (the body itself is one too, and stays)::

    <span class="field field--name-title …">How Toyama rebuilt itself</span>
    <div class="… field--name-body …"><p>Toyama rebuilt its centre…</p></div>
    <span class="field field--name-uid …"><span>Aiko Tanaka</span></span>
    <span class="field field--name-created …"><time datetime="2026-11-30T10:00:00+09:00"
      …>November 30, 2026</time></span>

Drupal 7 wrote an article's tags (``field-name-field-tags``, any field of taxonomy terms:
``field-type-taxonomy-term-reference``) and, in both, the node's links end it
(``<ul class="links inline">``: "Read more about How Toyama…", "Add new comment", "Log
in to post comments"). Every summary of such a feed began with its title again and ended
with its author's name and its date, or with "Tags: disaster Read more about …". The
fields are taken out: the author and the tags are the entry's (where it names none), and
the date its published one where the entry has none (some Drupal sites' feeds have no
``pubDate``: the node's date is only there).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from tdlc_syndication.pipeline.elements import TAG_REST, attributes
from tdlc_syndication.pipeline.text import plain_text


class NodeFields(NamedTuple):
    """An entry's text without the node's fields, and what those said."""

    markup: str
    authors: tuple[str, ...] = ()
    created: str = ""  # as written: an ISO 8601 datetime attribute, else the field's text
    tags: tuple[str, ...] = ()


# A field's start tag (its element, its name or its type), and the node's links.
_FIELD = re.compile(
    r"<(?P<element>span|div)\b[^<>]*?\bclass=\"(?:[^\"<>]*\s)?field-{1,2}(?:name-(?P<name>"
    r"title|uid|created|field-tags)|type-taxonomy-term-reference)(?=[\s\"])[^\"<>]*\""
    + TAG_REST
    + ">"
    r"|<(?P<links>ul)\b[^<>]*?\bclass=\"links inline\"" + TAG_REST + ">",
    re.I,
)
_MOST_FIELDS = 12  # a node has a few: a text with more is no node's (each is read to its end)
_TIME = re.compile(r"<time\b" + TAG_REST + ">", re.I)
_LINK_TEXT = re.compile(r"<a\b" + TAG_REST + r">([^<]*)</a\s*>", re.I)  # a term's name
_ENDS: dict[str, re.Pattern[str]] = {
    name: re.compile(rf"<(/?){name}\b", re.I) for name in ("span", "div", "ul")
}


def node_fields(markup: str) -> NodeFields:
    """``markup`` (an entry's summary or content) without the fields a Drupal site wrote
    of its node (see the module), and what they said; ``markup`` as it is when it has
    none."""
    if "-name-" not in markup:  # one look (a node has its body field): most are no node's
        return NodeFields(markup)
    pieces: list[str] = []
    authors: list[str] = []
    tags: list[str] = []
    created = ""
    kept = 0
    for start in _FIELD.finditer(markup):
        if start.start() < kept:  # inside a field taken out
            continue
        if len(pieces) == _MOST_FIELDS:
            return NodeFields(markup)
        name = (start["element"] or start["links"]).lower()
        end = _element_end(markup, name, start.end())
        if end is None:  # never closed: what follows is kept as it is
            break
        inside = markup[start.end() : end]
        field = (start["name"] or ("links" if start["links"] else "tags")).lower()
        if field == "uid":
            authors.append(plain_text(inside))
        elif field == "created":  # its <time>'s datetime, else its words
            stamp = _TIME.search(inside)
            written = attributes(stamp[0][len("<time") :]).get("datetime", "") if stamp else ""
            created = written or plain_text(inside)
        elif field in ("field-tags", "tags"):
            tags += (plain_text(text) for text in _LINK_TEXT.findall(inside))
        pieces.append(markup[kept : start.start()])
        kept = end
    if not pieces:
        return NodeFields(markup)
    pieces.append(markup[kept:])
    return NodeFields(
        "".join(pieces).strip(),
        tuple(author for author in authors if author),
        created.strip(),
        tuple(dict.fromkeys(tag for tag in tags if tag)),
    )


def _element_end(markup: str, name: str, at: int) -> int | None:
    """Where the element of ``name`` whose start tag ends at ``at`` ends (after its end
    tag, elements of its name inside it counted), or None when it is never closed."""
    depth = 1
    for tag in _ENDS[name].finditer(markup, at):
        depth += -1 if tag[1] else 1
        if depth == 0:
            close = markup.find(">", tag.end())
            return None if close < 0 else close + 1
    return None
