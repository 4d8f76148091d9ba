"""Elements of an origin's HTML found in one pass, however broken the markup.

A pattern that looks for a tag's end (``[^>]*>``) or an element's end tag (``.*?</script>``)
reads to the end of the text from every start it tries where there is none: text from an
origin with 20,000 tags never closed (``<b "`` again and again) took 200 million steps, and
seconds of a run per item. These read each stretch of the text once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from html import unescape
from html.entities import html5

# The rest of a start tag after its name: attributes quoted either way or not at all (a
# ">" inside quotes), read no further than the next "<": a tag or a quote never closed
# ends each look at the next tag, so 20,000 of them are read in one pass.
TAG_REST = r"(?:[^<>\"']|\"[^\"<]*\"|'[^'<]*')*"
_ATTRIBUTE = re.compile(r"([^\s\"'<>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']*)))?")


def attributes(tag: str) -> dict[str, str]:
    """The attributes of an origin's start tag (or of what follows its name), by name in
    lower case: each value unescaped (:func:`unescape_attribute`), ``""`` for one written
    without (``hidden``), the first of a name written twice, as browsers keep it."""
    found: dict[str, str] = {}
    for name, double, single, bare in _ATTRIBUTE.findall(tag):
        found.setdefault(name.lower(), unescape_attribute(double or single or bare))
    return found


# A character reference as html.unescape finds one: a number, or up to 32 characters of a
# name with its ";" or not.
_REFERENCE = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")


def unescape_attribute(value: str) -> str:
    """An attribute's value with its character references read as browsers read them in
    an attribute: as in text (``html.unescape``), but for a name written without its ";"
    (``&copy``) that a letter, a digit or ``=`` follows, which stays as written. Pages
    write an address's ``&`` unescaped: ``?id=1&section=2``, ``&timestamp=``,
    ``&param=`` were ``?id=1§ion=2``, ``×tamp=``, ``¶m=`` read as text, addresses that
    do not exist."""
    if "&" not in value:
        return value
    return _REFERENCE.sub(_attribute_reference, value)


def _attribute_reference(found: re.Match[str]) -> str:
    written = found[1]
    if written[0] == "#":
        return unescape(found[0])
    for end in range(len(written), 1, -1):  # the longest name the HTML table holds
        name = written[:end]
        if name in html5:
            after = written[end : end + 1]
            if not name.endswith(";") and (after == "=" or (after.isascii() and after.isalnum())):
                return found[0]
            return html5[name] + written[end:]
    return found[0]


def closed(
    markup: str, starts: re.Pattern[str], ends: Mapping[str, re.Pattern[str]]
) -> Iterator[tuple[re.Match[str], re.Match[str]]]:
    """Each element ``starts`` finds (its first group names it, in lower case a key of
    ``ends``) with the end tag ``ends`` finds after it, in order; one after which no end
    tag of its name comes is passed over. An element inside one found is not looked for
    (the search goes on after the end tag), and each end tag is looked for once: the one
    found last stands until a start comes after it."""
    found_ends: dict[str, re.Match[str] | None] = {}
    at = 0
    while (start := starts.search(markup, at)) is not None:
        name = start[1].lower()
        end = found_ends.get(name, start)  # a start tag stands for "not looked for yet"
        if end is not None and end.start() < start.end():
            end = found_ends[name] = ends[name].search(markup, start.end())
        if end is None:  # never closed, nor is any of its name after it
            at = start.end()
            continue
        yield start, end
        at = end.end()


def replaced(
    markup: str,
    starts: re.Pattern[str],
    ends: Mapping[str, re.Pattern[str]],
    replacement: Callable[[re.Match[str], str], str],
) -> str:
    """``markup`` with each element :func:`closed` finds replaced by what ``replacement``
    makes of its start tag and what it holds."""
    pieces: list[str] = []
    kept = 0
    for start, end in closed(markup, starts, ends):
        pieces += (
            markup[kept : start.start()],
            replacement(start, markup[start.end() : end.start()]),
        )
        kept = end.end()
    if not pieces:
        return markup
    pieces.append(markup[kept:])
    return "".join(pieces)


def tags_replaced(pattern: re.Pattern[str], replacement: str, text: str) -> str:
    """``pattern.sub(replacement, text)`` for a pattern of a tag that ends at its first
    ``>`` (``<[A-Za-z][^>]*>``), read only up to the text's last ``>``: after it no tag
    ends, and each start the pattern tried there read to the end of the text."""
    cut = text.rfind(">") + 1
    if cut == len(text):
        return pattern.sub(replacement, text)
    return pattern.sub(replacement, text[:cut]) + text[cut:]


def has_tag(pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``pattern`` (a tag's, as for :func:`tags_replaced`) is in ``text``."""
    return pattern.search(text, 0, text.rfind(">") + 1) is not None


_NAMED: dict[str, re.Pattern[str]] = {}


def matching_end(markup: str, name: str, at: int) -> int | None:
    """Where the end tag closing the innermost element ``name`` open at ``at`` (after its
    start tag, or anywhere in it) ends, counting the elements of that name opened after
    ``at`` (a ``<div>`` in a ``<div>``); None where the text ends first. One pass."""
    pattern = _NAMED.get(name)
    if pattern is None:
        pattern = _NAMED.setdefault(name, re.compile(rf"<(/?){name}(?=[\s/>])[^<>]*>", re.I))
    depth = 1
    for tag in pattern.finditer(markup, at):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end()
    return None


_ANY_TAG = re.compile(r"<[^<>]*>")  # (read no further than the next "<")


def text_length(markup: str) -> int:
    """How many characters of words ``markup`` holds: its tags out, spaces at its ends
    out (entities as written: a measure, not its text)."""
    return len(_ANY_TAG.sub("", markup).strip())


def without_empty(markup: str, empty: re.Pattern[str], deepest: int) -> str:
    """``markup`` without what ``empty`` matches (an element left empty), again where
    taking it out empties the one around it, ``deepest`` times at most (a page builder's
    blocks in blocks, a mail's tables in tables). Most texts have none: one pass."""
    for _ in range(deepest):
        emptied = empty.sub("", markup)
        if emptied == markup:
            break
        markup = emptied
    return markup
