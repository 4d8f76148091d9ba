"""A page's ``<meta>`` elements, read once: each name with its value, in the page's order.

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
from typing import TYPE_CHECKING

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
    each with a value; a ``parsely-page`` element's fields after all of them."""
    found: Metas = []
    for tag in tags:
        content = tag.get("content")
        if not isinstance(content, str) or not content.strip():
            continue
        for attribute in ("property", "name", "itemprop"):
            key = tag.get(attribute)
            if isinstance(key, str) and key:
                found.append((key.strip().lower(), content.strip()))
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
