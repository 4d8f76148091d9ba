"""The text of an element that a list's selector picks, as a browser runs it together.

BeautifulSoup's ``get_text(" ")`` puts a space between any two strings, so the words of
an emphasis or a link inside a title or a summary stood apart from their neighbours:
``富山市の<strong>コンパクトシティ</strong>政策`` read ``富山市の コンパクトシティ 政策``,
``<b>Kobe</b>'s plan`` read ``Kobe 's plan`` and ``the <a>toolkit</a>, then`` read
``the toolkit , then``. Here the strings on either side of an emphasis or a link run
together as a browser shows them (a space stays where the page writes one). Any other
element still parts its strings, as before: a ``<span>``, a ``<font>``, a ``<br>``, an
image, a block; and so does an emphasis with a class, an id or a style of its own, as
lists set a badge or a date apart that way (``<em class="date">``).

A list's title rules take off what the list sets apart in its own element, emphasis or
not (a day before the title, ``<b>2026.11.26</b>防災訓練``; a new item's mark after it,
``会見<b>NEW!</b>``). So a list reader's values are *marked* text: :data:`MARK`, which
counts as whitespace to ``str.split``, ``strip`` and ``\\s``, stands where an emphasis
meets the words beside it. The rules see the strings apart, as before; :func:`run_on`
gives the text shown, :func:`apart` the text searched for a date.

Both list readers (BeautifulSoup here, lxml in ``sources.htmlfast``) build the same runs
and join them with :func:`joined_runs`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeGuard

if TYPE_CHECKING:  # bs4 loads with the first page read, not with this module
    from bs4.element import PageElement, Tag

#: The elements whose strings run on into their neighbours' (unless :data:`SET_APART`):
#: the text-level emphasis and annotation elements of HTML, the old ``nobr`` and ``tt``,
#: the link, and a line break opportunity (``都市間<wbr>連携``).
RUN_TOGETHER = frozenset(
    {
        "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "del", "dfn", "em",
        "i", "ins", "kbd", "mark", "nobr", "s", "samp", "small", "strike", "strong", "sub",
        "sup", "tt", "u", "var", "wbr",
    }
)  # fmt: skip
#: The attributes that set an element apart as a mark of its own (a badge, a date).
SET_APART = ("class", "id", "style")
#: Where an emphasis meets the words beside it, in a list reader's values: the
#: information separator one, which no text shows and XML does not allow (every text
#: field drops it), and which Python counts as whitespace.
MARK = "\x1f"
_MARKED_GAP = re.compile(r"\s*\x1f[\s\x1f]*")


def runs_on(name: object, attribute: Callable[[str], object]) -> bool:
    """True when an element named ``name`` lets the strings around it run together;
    ``attribute(name)`` is the value of one of its attributes (None without it)."""
    if name not in RUN_TOGETHER:
        return False
    for marked in SET_APART:
        value = attribute(marked)
        if value and " ".join(value if isinstance(value, list) else [str(value)]).strip():
            return False
    return True


def bound(runs: list[str], joined: bool) -> None:
    """An element's start or end in ``runs``: a mark in the run where it lets the
    strings around it run together (``joined``), else the start of a new run."""
    if joined:
        runs[-1] += MARK
    else:
        runs.append("")


def joined_runs(runs: list[str], *, strip: bool) -> str:
    """The text of some runs of strings, a space between runs, as ``get_text(" ",
    strip=strip)`` joins strings: stripped and the empty ones left out with ``strip``."""
    if strip:
        return " ".join(s for s in (run.strip() for run in runs) if s)
    return " ".join(run for run in runs if run)


def run_on(text: str) -> str:
    """Marked text as a browser shows it: an emphasis runs on into its neighbours."""
    return text.replace(MARK, "") if MARK in text else text


def apart(text: str) -> str:
    """Marked text with its strings apart (one space where an emphasis meets the words
    beside it), as ``get_text(" ", strip=True)`` reads it."""
    return _MARKED_GAP.sub(" ", text) if MARK in text else text


def soup_text(node: Tag, *, strip: bool, marked: bool = False) -> str:
    """The text of a BeautifulSoup element: its strings as ``get_text(" ", strip=strip)``
    reads them (the same kinds of strings), run together across :data:`RUN_TOGETHER`,
    or with ``marked``, with :data:`MARK` there."""
    from bs4.element import NavigableString, Tag

    types = node.interesting_string_types or Tag.MAIN_CONTENT_STRING_TYPES
    runs = [""]
    # Depth first without recursion: a page's unclosed tags (<font> by the thousand, on
    # old pages) nest deeper than Python's stack goes. Each level: its children, and
    # whether its element runs on.
    levels: list[tuple[Iterator[PageElement], bool]] = [(iter(node.contents), False)]
    while levels:
        children, joined = levels[-1]
        child = next(children, None)
        if child is None:
            levels.pop()
            if levels:  # the end of an element inside ``node``
                bound(runs, joined)
        elif isinstance(child, Tag):
            joined = runs_on(child.name, child.get)
            bound(runs, joined)
            levels.append((iter(child.contents), joined))
        elif isinstance(child, NavigableString) and type(child) in types:
            runs[-1] += child
        else:  # a comment or a script's text parts the strings around it, as before
            runs.append("")
    text = joined_runs(runs, strip=strip)
    return text if marked else run_on(text)


def is_tag(node: object) -> TypeGuard[Tag]:
    """True when ``node`` is an element (not text, not None)."""
    from bs4.element import Tag

    return isinstance(node, Tag)


def element_text(node: object) -> str:
    """The text of an element as a browser shows it (:func:`soup_text`, stripped); ''
    for anything else (None, a string)."""
    return soup_text(node, strip=True) if is_tag(node) else ""


def with_most_text(tags: list[Any]) -> tuple[Tag | None, int]:
    """Of ``tags``, the first element that shows the most text, and how much (-1, None
    where there is none)."""
    best, most = None, -1
    for tag in tags:
        if is_tag(tag) and (shown := text_length(tag)) > most:
            best, most = tag, shown
    return best, most


def articles(page: Tag) -> list[Tag]:
    """A page's ``<article>`` elements, the first :data:`MOST_ARTICLES`."""
    return [tag for tag in page.find_all("article", limit=MOST_ARTICLES) if is_tag(tag)]


MOST_ARTICLES = 50  # <article>s weighed on one page (a list of teasers may hold hundreds)


def text_length(tag: Tag) -> int:
    """How much text a block shows (its scripts' and styles' none)."""
    return len(tag.get_text(strip=True))


#: Elements whose text a page does not show: a script's, a style sheet's, a template's, a
#: fallback for no script.
UNSHOWN = frozenset({"script", "style", "template", "noscript"})


def text_of(tag: Tag) -> str:
    """The text ``tag`` shows, each piece apart, its blanks collapsed (not run together
    as a browser shows inline elements: :func:`element_text` does that)."""
    return " ".join(tag.get_text(" ", strip=True).split())


def is_gone(tag: Tag) -> bool:
    """Whether ``tag`` was dropped with an element around it. (BeautifulSoup's own
    ``decomposed`` asks a live tag for its attribute, which a tag answers by searching
    its descendants for an element of that name: each look read the whole block below
    it, 20 seconds for a page of 2,000 elements nested.)"""
    return bool(vars(tag).get("_decomposed"))


def walked(tag: Tag, most: int) -> Iterator[PageElement]:
    """The first ``most`` nodes inside ``tag``, in document order, what :data:`UNSHOWN`
    elements hold unread. (BeautifulSoup's ``descendants``, and with it ``strings`` and
    ``find``, first walks the whole block to find where it ends: a look at each of 5,000
    blocks nested in each other read the rest of the page each time.)"""
    stack = [iter(tag.contents)]
    while stack and most > 0:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            continue
        most -= 1
        yield node
        if is_element(node) and node.name not in UNSHOWN:
            stack.append(iter(node.contents))


def in_link(node: PageElement, levels: int = 3) -> bool:
    """Whether a node is a link's (in it, or in an element of it), looked for ``levels``
    levels up, not to the root (a page of 2,000 blocks nested)."""
    parent = node.parent
    for _ in range(levels):
        if parent is None:
            return False
        if parent.name == "a":
            return True
        parent = parent.parent
    return False


def own_text_length(tag: Tag, most: int, limit: int) -> int:
    """How many characters of text ``tag`` shows outside its links (:func:`in_link`),
    read in its first ``most`` nodes, to just past ``limit``: what a block of links
    (share buttons, a list of headlines) says of its own."""
    own = 0
    for node in walked(tag, most):
        if is_shown_text(node) and not in_link(node):
            own += len(str(node).strip())
            if own > limit:
                break
    return own


def is_element(node: PageElement) -> TypeGuard[Tag]:
    """Whether a node of a parsed page is an element: each other node is text (a piece,
    a comment, a declaration), a ``str``; no import of BeautifulSoup (:func:`is_tag`)."""
    return not isinstance(node, str)


def is_shown_text(node: PageElement) -> bool:
    """Whether a node is a piece of text a page shows where it stands: not a comment, a
    declaration, nor a script's or a style's text."""
    return type(node).__name__ in ("NavigableString", "CData")
