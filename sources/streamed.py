"""The parts of a page React streamed after its shell, put where its script puts them.

A page that React renders on the server in a stream (Next.js's App Router, Remix, any
``renderToPipeableStream``) sends its shell first, with a placeholder where a part is
not ready: a Suspense boundary (``<!--$?--><template id="B:0"></template>`` and a
fallback, a skeleton or "Loading…", up to ``<!--/$-->``). The part follows later in the
same document, in a hidden block (``<div hidden id="S:0">``), and a script moves it into
place (``$RC("B:0","S:0")``; a part inside a part: ``$RS("S:1","P:1")`` and a
``<template id="P:1">``). Read without scripts, a post's text was its skeleton, and the
text itself a hidden block the cleaning takes out: the item had none.

Here each move the page's scripts call is made, in their order, as a browser makes them:
:func:`put_streamed_parts`. A boundary the server gave up on (``$RX``, rendered by the
browser alone) keeps its fallback: its text is in no block of the page.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tdlc_syndication.sources.inlinetext import is_gone, is_tag

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag
    from bs4.element import PageElement

# A move: a boundary's content ($RC; $RR, the same with its style sheets) or a segment
# into its placeholder ($RS), each with the two ids it names.
_MOVE = re.compile(r"\$R([CRS])\(\s*\"([^\"\\]{1,64})\"\s*,\s*\"([^\"\\]{1,64})\"")
# What a page that makes them writes: the scripts' calls, the external runtime's marks.
_CALLS = ("$RC(", "$RS(", "$RR(", "data-rci", "data-rri", "data-rsi")
MOST_MOVES = 200  # moves made on one page, at most (a page streams tens of parts)
_MOST_FALLBACK = 2_000  # nodes of a fallback passed over, at most, to find its end
# The comments that open and close a boundary inside a fallback (React 19 writes "$~"
# for one being revealed, "&" and "/&" around an Activity's part)
_OPENS = frozenset({"$", "$?", "$!", "$~", "&"})
_CLOSES = frozenset({"/$", "/&"})


def put_streamed_parts(soup: BeautifulSoup, text: str) -> None:
    """Make in ``soup`` (``text`` parsed) the moves its scripts make with the parts
    React streamed (see the module): each part in its place, its hidden block gone."""
    if not any(call in text for call in _CALLS):
        return  # one look: no page but a streamed one makes them
    moves = _moves(soup)
    if not moves:
        return
    named = {str(tag["id"]): tag for tag in soup.find_all(id=True) if is_tag(tag)}
    for kind, target, part in moves:
        block, marker = named.pop(part, None), named.get(target)
        if block is None or marker is None or marker.name != "template" or is_gone(block):
            continue  # a move already made, or one whose part did not come
        if kind != "S":  # a boundary's: what it showed meanwhile goes
            _drop_fallback(marker)
        for child in list(block.contents):
            marker.insert_before(child.extract())
        marker.extract()
        block.decompose()


def _moves(soup: BeautifulSoup) -> list[tuple[str, str, str]]:
    """The moves the page's scripts make, in their order: (kind, target, part)."""
    moves: list[tuple[str, str, str]] = []
    for element in soup.find_all(["script", "template"]):
        if len(moves) >= MOST_MOVES:
            break
        if not is_tag(element):
            continue
        if element.name == "script":
            for call in _MOVE.finditer(str(element.string or "")):  # $RS(part, target)
                kind, first, second = call.groups()
                moves.append((kind, second, first) if kind == "S" else (kind, first, second))
        elif element.get("data-rsi") is not None:  # the external runtime's templates
            moves.append(("S", str(element.get("data-pid")), str(element.get("data-sid"))))
        elif element.get("data-rci") is not None or element.get("data-rri") is not None:
            moves.append(("C", str(element.get("data-bid")), str(element.get("data-sid"))))
    return moves[:MOST_MOVES]


def _drop_fallback(marker: Tag) -> None:
    """Take out what a pending boundary shows until its part comes: the nodes after its
    ``<template>`` up to the comment that ends the boundary (``<!--/$-->``), past those
    of boundaries inside it, and the comment that starts it (``$?``), as React's own
    script reads them. Where no end is found (a page cut short), nothing goes."""
    from bs4 import Comment

    fallback: list[PageElement] = []
    depth = 0
    node = marker.next_sibling
    while node is not None and len(fallback) < _MOST_FALLBACK:
        fallback.append(node)
        said = node.strip() if isinstance(node, Comment) else ""
        if said in _OPENS:
            depth += 1
        elif said in _CLOSES:
            if depth == 0:
                break
            depth -= 1
        node = node.next_sibling
    else:
        return
    before = marker.previous_sibling
    if isinstance(before, Comment) and before.strip() == "$?":
        fallback.append(before)
    for node in fallback:
        node.extract()
