"""A page's ``<meta>`` elements, read once: each name with its value, in the page's order;
and, read from its text alone, what a list page's head says on every page of its site
(:func:`site_descriptions`, :func:`site_images`).

Besides the names the elements carry (``og:title``, ``author``, ``DC.Date.Issued``), the
fields of Parse.ly's ``parsely-page`` element count as its ``parsely-*`` ones: news sites
that measure their readers with Parse.ly (Reuters, The Atlantic, Advance Local's city
papers, Condé Nast's magazines) write a post's author and time of publication there, as
JSON in one ``content`` (``{"author": "Lucy Berry", "pub_date": "2014-12-29T13:56:17Z",
…}``), and often nowhere else a program reads; newer pages write the same fields as
elements of their own (``<meta name="parsely-author">``).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from tdlc_syndication.pipeline.canonical import resolve_url
from tdlc_syndication.pipeline.elements import attributes

if TYPE_CHECKING:
    from bs4 import Tag

Metas = list[tuple[str, str]]  # (name in lower case, value), in the page's order

# The fields of Parse.ly's JSON read, by the names of the elements that say the same.
_PARSELY = {
    "author": "parsely-author",
    "authors": "parsely-author",
    "pub_date": "parsely-pub-date",
}
_LONGEST = 20_000  # a parsely-page longer than this is no post's metadata


def page_metas(tags: list[Tag]) -> Metas:
    """The names and values of a page's ``<meta>`` elements (``tags``): by ``property``,
    ``name`` or ``itemprop``, in lower case (``DC.Date.Issued`` as ``dc.date.issued``),
    each with a value; a ``parsely-page`` element's fields after all of them. RDFa's
    ``property`` and microdata's ``itemprop`` are lists of names, each its own: ``<meta
    property="og:title twitter:title">`` gave no title (a ``name`` is one name)."""
    found: Metas = []
    for tag in tags:
        content = tag.get("content")
        if not isinstance(content, str) or not content.strip():
            continue
        for attribute in ("property", "name", "itemprop"):
            key = tag.get(attribute)
            if isinstance(key, str) and key.strip():
                keys = [key] if attribute == "name" else key.split()
                found += [(one.strip().lower(), content.strip()) for one in keys]
    page = next((value for key, value in found if key == "parsely-page"), "")
    return found + _parsely_fields(page)


def first_values(metas: Metas) -> dict[str, str]:
    """Each name's first value."""
    found: dict[str, str] = {}
    for key, value in metas:
        found.setdefault(key, value)
    return found


def _parsely_fields(page: str) -> Metas:
    """The author(s) and time of publication a ``parsely-page`` element's JSON
    gives; none where it is no JSON object (a site's own template left unfilled)."""
    if not page.startswith("{") or len(page) > _LONGEST:
        return []
    try:
        fields = json.loads(page, strict=False)  # (control characters inside strings)
    except ValueError:
        return []
    if not isinstance(fields, dict):
        return []
    found: Metas = []
    for field, name in _PARSELY.items():
        value = fields.get(field)
        values = value if isinstance(value, list) else [value]
        found += [(name, v.strip()) for v in values if isinstance(v, str) and v.strip()]
    return found


_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_HEAD_REACH = 65536  # characters of a page without </head> looked at for its head


def site_descriptions(page: str) -> frozenset[str]:
    """The descriptions a page gives in its head (``description``, ``og:description``),
    blanks collapsed: on a list page, what a site that writes one on every page says."""
    return frozenset(
        " ".join(said.split())
        for name, said in _head_meta(page)
        if name in ("description", "og:description") and said.strip()
    )


def site_images(page: str, base: str) -> frozenset[str]:
    """The images a page gives in its head (``og:image``, ``twitter:image``), resolved
    against ``base``: on a list page, the picture a site that sets one on every page
    shows (its logo, its banner), which is no item's."""
    return frozenset(
        resolve_url(base, said.strip())
        for name, said in _head_meta(page)
        if name in ("og:image", "og:image:url", "twitter:image") and said.strip()
    )


def _head_meta(page: str) -> list[tuple[str, str]]:
    """The ``<meta>`` of a page's head, as (name or property, lower-case; content): each
    of the names a ``property`` lists (``og:image twitter:image``)."""
    end = page.lower().find("</head>")
    head = page[: end if end >= 0 else _HEAD_REACH]
    found = []
    for tag in _META.findall(head):
        pairs = attributes(tag[len("<meta") :])
        names = [pairs["name"]] if pairs.get("name") else pairs.get("property", "").split()
        found += [(name.strip().lower(), pairs.get("content", "")) for name in names or [""]]
    return found
