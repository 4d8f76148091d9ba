"""The fast reading of an html source's list page: lxml and cssselect, where the same
items as BeautifulSoup's and soupsieve's are certain.

A list page is read for many blocks with a few selectors each; BeautifulSoup builds a
Python object per node and soupsieve matches in Python, which made the list pages the
costliest documents of a run. Here libxml2 parses (the parser BeautifulSoup's "lxml"
builder drives, fed the same way) and the selectors become compiled XPath.

Only what is known to match alike is read here; anything else raises
:class:`Unsupported` and the page is read with BeautifulSoup instead:

* selectors from a plain grammar: type, ``*``, ``#id``, ``.class``, attributes (but not
  the values of the attributes HTML matches without case, such as ``type`` or ``lang``),
  the four combinators, ``:not()``, the child and type positions (``:first-child``,
  ``:nth-of-type(2n+1)`` ...). ``:has()``, ``:contains()``, pseudo-elements and the rest
  stay with soupsieve;
* text as ``sources.inlinetext`` runs it together: the strings of ``<script>``, ``<style>``,
  ``<template>``, ``<rt>`` and ``<rp>`` and comments left out, whitespace-only strings
  collapsed; text asked of such an element, or of one inside it, is not read here;
* multi-valued attributes (``class``, ``rel`` ...) split on whitespace and joined by a
  space;
* pages without a ``<template>``: soupsieve does not look inside one, nor from inside
  one at what holds it.

``tests/test_htmlfast.py`` reads every html fixture and generated pages both ways and
asserts the same values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from lxml import etree

from tdlc_syndication.pipeline.canonical import resolve_url
from tdlc_syndication.pipeline.lazy import LazyModule
from tdlc_syndication.sources.common import first_outside_comments
from tdlc_syndication.sources.inlinetext import bound, joined_runs, run_on, runs_on
from tdlc_syndication.sources.sections import HEADINGS

if TYPE_CHECKING:  # the date readers load with the first heading read, not with this module
    from tdlc_syndication.pipeline import dates
    from tdlc_syndication.pipeline.locales import NumericOrder
else:
    dates = LazyModule("tdlc_syndication.pipeline.dates")

# Where a block's group heading is looked for: before the block, its parent, its
# grandparent.
HEADING_LEVELS = 3
# Strings inside these are not "interesting" to BeautifulSoup's get_text().
STRING_CONTAINERS = frozenset({"script", "style", "template", "rt", "rp"})
WHITESPACE_KEPT = frozenset({"pre", "textarea"})
# Attribute values BeautifulSoup splits into lists (per tag; '*' for every tag).
LIST_ATTRIBUTES = {
    "*": {"class", "accesskey", "dropzone"},
    "a": {"rel", "rev"},
    "link": {"rel", "rev"},
    "area": {"rel"},
    "td": {"headers"},
    "th": {"headers"},
    "form": {"accept-charset"},
    "object": {"archive"},
    "icon": {"sizes"},
    "iframe": {"sandbox"},
    "output": {"for"},
}
# Attributes whose values soupsieve matches without case in HTML (the HTML standard's list).
_CASELESS_VALUES = frozenset({
    "accept", "accept-charset", "align", "alink", "axis", "bgcolor", "charset", "checked",
    "clear", "codetype", "color", "compact", "declare", "defer", "dir", "direction",
    "disabled", "enctype", "face", "frame", "hreflang", "http-equiv", "lang", "language",
    "link", "media", "method", "multiple", "nohref", "noresize", "noshade", "nowrap",
    "readonly", "rel", "rev", "rules", "scope", "scrolling", "selected", "shape", "target",
    "text", "type", "valign", "valuetype", "vlink",
})  # fmt: skip
_PSEUDOS = frozenset(
    {"first-child", "last-child", "only-child", "first-of-type", "last-of-type", "only-of-type"}
)
_FUNCTIONS = frozenset({"nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type"})


class Unsupported(Exception):
    """This page or selector is read with BeautifulSoup instead."""


def _late_markup(text: str) -> str | None:
    """What libxml2's tree builder reads otherwise than BeautifulSoup (which takes the
    same parser's events) in ``text``, or None: elements after ``</html>`` (a theme that
    closes its head with it: libxml2 drops the whole body, and a list page gave no item)
    and a doctype after the page's start (an inline SVG pasted with its own: the
    whitespace around it is one string to libxml2, two to BeautifulSoup). One look at
    each part of the page: a look from each ``</html>`` or doctype took minutes on a
    page of thousands."""
    start = _page_start(text)
    doctype = _DOCTYPE.search(text, start)
    if doctype is not None and doctype.start() == start:  # the page's own
        doctype = _DOCTYPE.search(text, doctype.end())
    if doctype is not None:
        return "a doctype inside the page"
    end = _HTML_END.search(text)
    if end is not None and first_outside_comments(_START_TAG, text[end.end() :]):
        return "elements after </html>"
    return None


_DOCTYPE = re.compile(r"<!doctype", re.I)
_HTML_END = re.compile(r"</html\s*>", re.I)
# An element as deep as libxml2's tree reaches (2,048 with huge_tree): what was nested
# deeper, and everything after it, was dropped.
_DEPTH_LIMIT = 2046
_AT_DEPTH_LIMIT = etree.XPath("boolean(/" + "/".join(["*"] * _DEPTH_LIMIT) + ")")
_BLANKS = re.compile(r"[\s\ufeff]+")


def _past_blanks(text: str, at: int) -> int:
    found = _BLANKS.match(text, at)
    return found.end() if found else at


def _page_start(text: str) -> int:
    """Where what may go before a page's doctype ends in ``text``: blanks, a byte-order
    mark, comments, an XML declaration (one look at each; a regular expression of them
    took minutes on a page of a thousand comments before a word)."""
    at = 0
    while (at := _past_blanks(text, at)) < len(text):
        if text.startswith("<!--", at):
            closed = text.find("-->", at + 4)
            at = len(text) if closed == -1 else closed + 3
        elif text.startswith("<?", at):
            closed = text.find(">", at + 2)
            at = len(text) if closed == -1 else closed + 1
        else:
            break
    return at


_START_TAG = re.compile(r"<[A-Za-z]")


class Page:
    """One list page, parsed as BeautifulSoup's lxml builder parses it.

    Raises:
        Unsupported: libxml2 returns no tree (an empty page, for one), or a tree that
            lacks what BeautifulSoup reads: elements after ``</html>``, a doctype inside
            the page (:func:`_late_markup`), elements nested deeper than it reads.
    """

    def __init__(self, text: str) -> None:
        # (huge_tree: libxml2 stops reading at a nesting depth of 256 without it, 2,048
        # with it; a page of unclosed <strong><span> nested 300 deep gave half its items)
        parser = etree.HTMLParser(recover=True, huge_tree=True)
        try:
            parser.feed(text)
            root = parser.close()
        except (etree.ParserError, ValueError) as exc:
            raise Unsupported(str(exc)) from exc
        if root is None:
            raise Unsupported("no document")
        if root.find(".//template") is not None:
            raise Unsupported("a <template>: soupsieve neither enters nor leaves one")
        late = _late_markup(text)
        if late is not None:
            raise Unsupported(late)
        if text.count("<") > _DEPTH_LIMIT and _AT_DEPTH_LIMIT(root):  # the rest was dropped
            raise Unsupported("elements nested as deep as libxml2 reads")
        self.root = root
        self._matches: dict[str, list[Any]] = {}
        self._order: dict[Any, int] = {}  # every node's position, once a selector needs it
        self._extents: dict[Any, tuple[int, int]] = {}

    def select(self, selector: str) -> list[Any]:
        """Every element matching ``selector``, in document order.

        Raises:
            Unsupported: the selector is not of the grammar read here.
        """
        if selector not in self._matches:
            path = _compiled(selector, "descendant-or-self::")
            if path is None:
                raise Unsupported(selector)
            self._matches[selector] = list(path(self.root))
        return self._matches[selector]

    def select_one(self, block: Any, selector: str) -> Any | None:
        """The first element below ``block`` that matches ``selector``, as soupsieve
        scopes it: the element is inside the block, the elements the selector relates it
        to (ancestors, siblings) may be anywhere in the page.

        Raises:
            Unsupported: the selector is not of the grammar read here.
        """
        if _compound(selector):  # no combinator: nothing outside the block is involved
            path = _compiled(selector, "descendant::")
            if path is None:
                raise Unsupported(selector)
            found = path(block)
            return found[0] if found else None
        start, end = self._extent(block)
        return next((m for m in self.select(selector) if start < self._order[m] <= end), None)

    def _extent(self, block: Any) -> tuple[int, int]:
        """The positions of ``block`` and of its last descendant in document order."""
        if not self._order:
            self._order = {node: n for n, node in enumerate(self.root.iter())}
        if block not in self._extents:
            start = self._order[block]
            self._extents[block] = (start, start + sum(1 for _ in block.iterdescendants()))
        return self._extents[block]

    def value(self, block: Any, spec: str, base: str = "", marked: bool = False) -> str:
        """``selector``, ``selector@attr`` or ``@attr`` inside ``block``, as
        ``sources.page.select_value`` reads it; '' if nothing.

        Raises:
            Unsupported: see :meth:`select_one` and :func:`text`.
        """
        selector, _, attribute = spec.partition("@")
        node = self.select_one(block, selector) if selector.strip() else block
        if node is None:
            return ""
        if not attribute:
            return text(node, strip=True, marked=marked)
        raw = node.get(attribute)
        if raw is None:
            return ""
        listed = attribute in LIST_ATTRIBUTES["*"] or attribute in LIST_ATTRIBUTES.get(node.tag, ())
        joined = " ".join(raw.split()) if listed else raw
        if attribute in ("href", "src") and joined and base:
            return resolve_url(base, joined.strip())
        return joined.strip()


def term_text(block: Any) -> str:
    """The text of the term (``<dt>``) of the definition that is or holds ``block``, as
    ``text`` reads it ('' outside a definition list).

    Raises:
        Unsupported: as :func:`text`.
    """
    holder = block if block.tag == "dd" else next(block.iterancestors("dd"), None)
    term = next(holder.itersiblings("dt", preceding=True), None) if holder is not None else None
    return text(term, strip=False, apart=True) if term is not None else ""


#: What the heading walk found for each element it passed, by the element's ``id`` (the
#: element is kept with it, so that its id stays its own while the page is read).
HeadingMemo = dict[int, tuple[Any, str | None]]


def day_heading(block: Any, memo: HeadingMemo, order: NumericOrder | None = None) -> str:
    """The text of the heading that names the day of the block's group of items, as
    :func:`find_day_heading` finds it in lxml's tree ('' when there is none; ``order``:
    how the page writes a date in numbers).

    Raises:
        Unsupported: as :func:`text`.
    """
    return find_day_heading(
        block,
        memo,
        name=lambda node: node.tag,
        previous=_previous_element,
        parent=lambda node: node.getparent(),
        text_of=lambda node: text(node, strip=False, apart=True),
        order=order,
    )


def _previous_element(node: Any) -> Any | None:
    previous = node.getprevious()
    while previous is not None and not isinstance(previous.tag, str):
        previous = previous.getprevious()  # a comment
    return previous


def find_day_heading(
    block: Any,
    memo: HeadingMemo,
    *,
    name: Callable[[Any], str],
    previous: Callable[[Any], Any | None],
    parent: Callable[[Any], Any | None],
    text_of: Callable[[Any], str],
    order: NumericOrder | None = None,
) -> str:
    """The text of the heading (``<h1>`` to ``<h6>``) that the block's group of items
    follows, when it names a day (``pipeline.dates.date_heading``; '' when it does not, or
    there is none): the nearest element before the block, or before its parent or
    grandparent, that is not of their own tag. Both readers of list pages walk their own
    trees with it (``name``, the ``previous`` element, the ``parent``, ``text_of``);
    ``memo`` keeps what each element found, so that a list costs time in proportion to
    its length, and a heading is read as a date once; ``order``: how the page writes a
    date in numbers (``26/11/2026``)."""
    node = block
    for _ in range(HEADING_LEVELS):
        if node is None or name(node) in ("body", "html", "[document]"):
            return ""
        walked = []
        current, found = node, None
        while id(current) not in memo:
            walked.append(current)
            before = previous(current)
            if before is None:
                break
            if name(before) != name(node):
                heading = text_of(before) if name(before) in HEADINGS else ""
                found = heading if heading and dates.date_heading(heading, order=order) else ""
                break
            current = before
        else:
            found = memo[id(current)][1]
        for seen in walked:
            memo[id(seen)] = (seen, found)
        if found is not None:
            return found
        node = parent(node)
    return ""


def text(node: Any, *, strip: bool, marked: bool = False, apart: bool = False) -> str:
    """An element's text, as ``sources.inlinetext.soup_text`` reads it (``marked``: with
    its marks); with ``apart``, every element parts the strings around it, as
    ``get_text(" ", strip=strip)`` does (a block's text searched for its date:
    ``Compact city seminar</a>Nov 26, 2026``).

    Raises:
        Unsupported: the element is, or is inside, one whose strings get_text leaves out.
    """
    for up in (node, *node.iterancestors()):
        if up.tag in STRING_CONTAINERS:
            raise Unsupported(f"text of <{up.tag}>")
    kept = any(up.tag in WHITESPACE_KEPT for up in (node, *node.iterancestors()))
    runs = [""]
    _runs(node, runs, kept, apart)
    joined = joined_runs(runs, strip=strip)
    return joined if marked or apart else run_on(joined)


def _runs(node: Any, runs: list[str], kept: bool, apart: bool) -> None:
    """The strings of ``node``'s content, as ``sources.inlinetext.soup_text`` runs them."""
    if node.text:
        runs[-1] += _collapsed(node.text, kept)
    for child in node:
        tag = child.tag
        joined = not apart and isinstance(tag, str) and runs_on(tag, child.get)
        bound(runs, joined)
        if isinstance(tag, str) and tag not in STRING_CONTAINERS:
            _runs(child, runs, kept or tag in WHITESPACE_KEPT, apart)
        bound(runs, joined)
        if child.tail:  # comments and processing instructions give their tail only
            runs[-1] += _collapsed(child.tail, kept)


def _collapsed(string: str, kept: bool) -> str:
    """BeautifulSoup keeps a whitespace-only string as one newline or one space."""
    if kept or string.strip(" \t\n\r\f"):
        return string
    return "\n" if "\n" in string else " "


@lru_cache(maxsize=512)
def _compiled(selector: str, prefix: str) -> etree.XPath | None:
    from cssselect import HTMLTranslator, SelectorError
    from cssselect import parse as css_parse

    try:
        if not all(_plain(s.parsed_tree) and s.pseudo_element is None for s in css_parse(selector)):
            return None
        return etree.XPath(HTMLTranslator().css_to_xpath(selector, prefix=prefix))
    except (SelectorError, etree.XPathSyntaxError):
        return None


@lru_cache(maxsize=512)
def _compound(selector: str) -> bool:
    """Whether ``selector`` has no combinator (``a.title``, ``img``, not ``div a``)."""
    from cssselect import SelectorError
    from cssselect import parse as css_parse

    try:
        return not any(_combined(s.parsed_tree) for s in css_parse(selector))
    except SelectorError:
        return False


def _combined(tree: Any) -> bool:
    if type(tree).__name__ == "CombinedSelector":
        return True
    inner = [getattr(tree, name, None) for name in ("selector", "subselector")]
    return any(_combined(part) for part in inner if part is not None)


def _plain(tree: Any) -> bool:
    """Whether a parsed selector uses only the grammar read here."""
    kind = type(tree).__name__
    if kind == "Element":
        return tree.namespace is None
    if kind in ("Hash", "Class"):
        return _plain(tree.selector)
    if kind == "Attrib":
        caseless = tree.operator != "exists" and tree.attrib.lower() in _CASELESS_VALUES
        return tree.namespace is None and not caseless and _plain(tree.selector)
    if kind == "CombinedSelector":
        return tree.combinator in (" ", ">", "+", "~") and (
            _plain(tree.selector) and _plain(tree.subselector)
        )
    if kind == "Negation":
        return _plain(tree.selector) and _plain(tree.subselector)
    if kind == "Pseudo":
        return tree.ident in _PSEUDOS and _plain(tree.selector)
    if kind == "Function":
        return tree.name in _FUNCTIONS and _plain(tree.selector)
    return False
