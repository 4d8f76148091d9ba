"""A page's table of contents, in its main block: no text of its post.

Plug-ins write one in a block of their own, which ``sources.pagechrome`` knows by its
name (``toc_container``, ``ez-toc``); a CMS or an author writes one as a plain list of
links to the parts of the page (:func:`is_contents`). Its label, in a heading or a
block of its own (「目次」, "Table of Contents", "Inhaltsverzeichnis", "Sommaire"),
stayed when the list went, as the text's first line: :func:`contents_labels`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tdlc_syndication.sources.inlinetext import is_shown_text, is_tag, own_text_length

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


# A table of contents' label, alone (with a colon), in the program's languages and its
# corpora's: a piece of text that says nothing else.
_LABEL = re.compile(
    r"\A\s*(?:目次|もくじ|この(?:記事|ページ)の目次|table\s+of\s+contents|contents|on\s+this\s+page"
    r"|in\s+this\s+(?:article|post|page)|jump\s+to|inhalt(?:sverzeichnis)?|índice|sumário"
    r"|sommaire|table\s+des\s+matières|daftar\s+isi|mục\s+lục|สารบัญ|目录|目錄|목차)\s*[:：]?\s*\Z",
    re.IGNORECASE,
)
_MOST_LABELS = 20  # labels looked for in one block


def contents_labels(root: Tag) -> list[tuple[Tag, str]]:
    """The table of contents' labels in ``root`` (see the module), in order: each piece
    of text that says one alone, with the element it is in and its words."""
    found = []
    for piece in root.find_all(string=_LABEL, limit=_MOST_LABELS):
        if is_shown_text(piece) and is_tag(piece.parent) and piece.parent is not root:
            found.append((piece.parent, " ".join(piece.split())))
    return found
