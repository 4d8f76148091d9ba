"""A page's table of contents, in its main block: no text of its post.

Plug-ins write one in a block of their own, which ``sources.pagechrome`` knows by its
name (``toc_container``, ``ez-toc``); a CMS or an author writes one as a plain list of
links to the parts of the page (:func:`is_contents`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tdlc_syndication.sources.inlinetext import own_text_length

if TYPE_CHECKING:
    from bs4 import Tag


def is_contents(listing: Tag) -> bool:
    """Whether a list is a table of contents written as a plain list: links, two or more,
    each to a part of the page (``#cms01``), and no words of its own (a city's notice
    began 「はじめに 犬又は猫等を譲り受けたい方へ 譲渡の条件 …」). Footnotes, whose items
    hold their text beside a link back, are not."""
    links = listing.find_all("a", limit=_MOST_CONTENTS_LINKS)
    return (
        len(links) >= 2
        and all(str(link.get("href") or "").strip()[:1] == "#" for link in links)
        and own_text_length(listing, _SCANNED, _MOST_OWN) <= _OWN_BY_LINK * len(links) + _OWN_TITLE
    )


_MOST_CONTENTS_LINKS = 100  # links of a list looked at to tell it is a table of contents
# characters of its own a table of contents shows beside its links: a number each ("1.2"),
# and a title ("Contents"); a footnote says more
_OWN_BY_LINK = 3
_OWN_TITLE = 10
_SCANNED = 200  # nodes of a list read for its own words
_MOST_OWN = 200  # characters of its own words counted, at most
