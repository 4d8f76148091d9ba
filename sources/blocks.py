"""A page's blocks, as the rules that drop its chrome read them: what holds a line of
its text, and the outermost block that holds a line alone (the
one to drop with it, so that no empty wrapper is left)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tdlc_syndication.sources.inlinetext import is_element, is_shown_text, is_tag, walked

if TYPE_CHECKING:
    from bs4 import Tag
    from bs4.element import PageElement

# the blocks a line of chrome sits in, and what it is dropped with
BLOCKS = ("p", "div", "li", "section", "aside", "nav", "dl", "ul", "table", "form")
# what holds a line of a page's text: a block, a heading, a part of a list or a figure
LINE_BLOCKS = frozenset(
    (*BLOCKS, "h1", "h2", "h3", "h4", "h5", "h6", "summary", "dt", "dd", "header", "figure")
)


def outermost_alone(tag: Tag, root: Tag) -> Tag:
    """``tag``, or its outermost block ancestor below ``root`` that holds no other text:
    each level's other children are read, not its whole text again (a line in 2,000
    nested blocks read each block's text whole, 2 s a page)."""
    chosen = tag
    parent = tag.parent
    while parent is not None and parent is not root and parent.name in BLOCKS:
        if any(child is not chosen and shows_text(child) for child in parent.children):
            break
        chosen, parent = parent, parent.parent
    return chosen


def shows_text(node: PageElement) -> bool:
    """Whether a node shows any text: a piece of text, or an element with one."""
    if is_tag(node):
        return bool(node.get_text(strip=True))
    return is_shown_text(node) and bool(str(node).strip())


def holds_block(tag: Tag) -> bool:
    """Whether a block holds another (looked for in document order, to the first)."""
    return any(is_element(node) and node.name in BLOCKS for node in walked(tag, 1 << 62))
