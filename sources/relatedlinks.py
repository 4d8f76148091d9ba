"""Links to other articles under a heading that says so, in a page's main block.

News sites and blogs end a post, or break it, with links to their other posts under a
heading of their own words ("Read next", "More on this story", 「関連記事」, "Auch
interessant", "Te puede interesar"), in blocks that no class names as related: the
headings and the headlines came into the item's text (66 of trafilatura's 884 stored
evaluation pages hold such a heading). Such a heading goes with the links under it: in
its own block (the label and its links: "Lesen Sie auch: <a>…</a>"), or before a list
of links. A list that links files (a municipal page's 「関連情報」 with its forms, PDFs)
is the page's own, and so is a heading followed by text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tdlc_syndication.sources.files import file_type
from tdlc_syndication.sources.inlinetext import (
    in_link,
    is_gone,
    is_shown_text,
    is_tag,
    own_text_length,
    walked,
)

if TYPE_CHECKING:
    from bs4 import Tag

# What such a heading says, in the languages of the program's pages and of the corpora
# it was measured on, alone (with a colon or an ellipsis)
_LABEL = re.compile(
    r"\s*(?:related(?:\s+(?:articles?|posts?|stories|links|content|news|reading))?"
    r"|read\s+(?:more|also|next)|more\s+(?:on|about)\s+(?:this|the)\s+(?:topic|story|subject)"
    r"|you\s+(?:may|might)\s+also\s+(?:like|enjoy)|see\s+also"
    r"|recommended(?:\s+(?:for\s+you|reading|articles|stories))?"
    r"|関連(?:記事|情報|リンク|ページ|ニュース)|(?:あわ|合わ)せて読みたい|おすすめ記事"
    r"|こちらもおすすめ|人気記事|auch\s+interessant|mehr\s+zum\s+thema|lesen\s+sie\s+auch"
    r"|das\s+könnte\s+sie\s+auch\s+interessieren|weitere\s+artikel"
    r"|empfehlungen\s+aus\s+der\s+redaktion|te\s+puede\s+interesar|lea\s+también"
    r"|noticias\s+relacionadas|más\s+noticias|(?:à\s+)?lire\s+aussi|sur\s+le\s+même\s+sujet"
    r"|baca\s+juga|berita\s+terkait|tin\s+liên\s+quan|bài\s+liên\s+quan|xem\s+thêm)"
    r"\s*[:：.…]*\s*",
    re.IGNORECASE,
)
_HEADINGS = ("h2", "h3", "h4", "h5", "h6", "p", "div", "section", "aside", "strong", "b")
_LONGEST_LABEL = 60  # characters of a block's own words that may be such a heading
_SCANNED = 200  # nodes of a list read for its links and its own words
_LABEL_NODES = 60  # nodes of a block read for its own words (a heading's, and its links)
_LISTS = ("ul", "ol", "div", "section")


def drop_related_sections(root: Tag) -> None:
    """Drop from ``root`` each heading of links to other articles (see the module) with
    its links: the block that holds both, or the heading and the list right after it."""
    for tag in root.find_all(_HEADINGS):
        if is_gone(tag) or tag is root:
            continue
        own, links = _own_words_and_links(tag)
        if own is None or not _LABEL.fullmatch(own):
            continue
        if links:
            if not _links_files(links):
                tag.decompose()
            continue
        after = tag.find_next_sibling()
        if is_tag(after) and after.name in _LISTS and _is_link_list(after):
            after.decompose()
            tag.decompose()


def _own_words_and_links(tag: Tag) -> tuple[str | None, list[Tag]]:
    """The words ``tag`` shows outside its links (None past :data:`_LONGEST_LABEL`
    characters), and its links, read in its first :data:`_LABEL_NODES` nodes."""
    words: list[str] = []
    links: list[Tag] = []
    size = 0
    for node in walked(tag, _LABEL_NODES):
        if is_tag(node) and node.name == "a":
            links.append(node)
        elif is_shown_text(node) and not in_link(node):
            piece = str(node).strip()
            size += len(piece)
            if size > _LONGEST_LABEL:
                return None, links
            words.append(piece)
    return " ".join(" ".join(words).split()), links


def _is_link_list(block: Tag) -> bool:
    """Whether a block is links and little else: each link's headline, no more words of
    its own than a date or a section's name beside each, and no file among them."""
    links = block.find_all("a", href=True, limit=_SCANNED)
    if not links or _links_files(links):
        return False
    most = _OWN_BY_LINK * len(links)
    return own_text_length(block, _SCANNED, most) <= most


_OWN_BY_LINK = 20  # characters a list of headlines shows beside each ("1月13日", "Sport")


def _links_files(links: list[Tag]) -> bool:
    """Whether any of ``links`` leads to a file (a form, a PDF): the page's own."""
    return any(file_type(str(link.get("href") or "")) for link in links)
