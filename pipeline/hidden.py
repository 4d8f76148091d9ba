"""What an origin's HTML hides, taken out before it is cleaned: the cleaning drops every
``style`` and ``hidden`` attribute, so an element hidden by one was shown.

Hidden so: an element with the ``hidden`` attribute, or a style that says
``display: none``, ``visibility: hidden`` or ``mso-hide: all`` (Word's and Outlook's). As
origins write it: an e-mail's preview line (``<span class="mcnPreviewText"
style="display:none">``, in a newsletter's archive feed), a share plugin's picture for
Pinterest (``<span class="swp-hidden-panel-wrap" style="display: none">``), the links a
compromised site hides in its posts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from tdlc_syndication.pipeline.elements import TAG_REST, attributes

# Where a hiding may be: the marker's place is then read as a tag's attributes.
_MARKER = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all|hidden", re.I)
# A start tag, read no further than the next "<" (see elements.TAG_REST).
_START_TAG = re.compile(rf"<([a-zA-Z][a-zA-Z0-9]*)({TAG_REST})>")
_HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all", re.I)
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr"}
)  # fmt: skip
# A paragraph ends where a block starts, as a browser reads it (``</p>`` may be left out).
_BLOCK_START = re.compile(
    r"<(?:p|div|ul|ol|dl|li|dt|dd|table|tr|td|th|h[1-6]|blockquote|pre|section|article"
    r"|aside|header|footer|nav|figure|form|hr|address)(?=[\s/>])",
    re.I,
)
_PARAGRAPH_END = re.compile(r"</p\s*>", re.I)
MOST_HIDDEN = 200  # characters of text, its links' aside: more is no preview line


def without_hidden(markup: str) -> str:
    """``markup`` without the elements it hides (see the module), each with what it holds,
    but those that say much (:func:`_says_much`): a section a script opens is shown, as
    its page shows it on a click. An element whose end cannot be found (never closed) is
    left as it is: nothing is lost where the markup is broken."""
    if "hidden" not in markup and "display" not in markup:
        return markup  # one look: most contents hide nothing (and mso-hide comes with one)
    ends = _Ends(markup)
    pieces: list[str] = []
    kept = 0  # markup[kept:] is still to be read
    at = 0
    opening = -1  # the last "<" before the marker, among those read so far
    read_to = 0
    tag: re.Match[str] | None = None
    while (found := _MARKER.search(markup, at)) is not None:
        last = markup.rfind("<", read_to, found.start())  # each stretch read once
        read_to = found.start()
        if last >= 0 or tag is None or tag.start() != opening:  # else the tag read last
            opening = last if last >= 0 else opening
            tag = _START_TAG.match(markup, opening) if opening >= kept else None
        if tag is None or tag.end() <= found.start() or not _hides(tag[2]):
            at = found.end()
            continue
        end = ends.of(tag[1].lower(), tag.end())
        if end is None or _says_much(markup, tag.end(), end):
            at = tag.end()
            continue
        pieces.append(markup[kept:opening])
        kept = at = read_to = end
        tag = None
    if not pieces:
        return markup
    pieces.append(markup[kept:])
    return "".join(pieces)


_TEXT_OR_LINK = re.compile(r"<a\b[^>]*>.*?</a\s*>|<[^>]*>|([^<]+)", re.I | re.S)


def _says_much(markup: str, begin: int, end: int) -> bool:
    """Whether a hidden element (its inside from ``begin`` to ``end``) holds more than
    ``MOST_HIDDEN`` characters of text besides its links': a section its page opens on a
    click ("Read more", an answer of a list of questions), which readers would miss, not
    a preview line, a picture or links. Read until that much is found."""
    if end - begin <= MOST_HIDDEN:
        return False
    said = 0
    for found in _TEXT_OR_LINK.finditer(markup, begin, end):
        if found[1]:
            said += len("".join(found[1].split()))
            if said > MOST_HIDDEN:
                return True
    return False


def _hides(written: str) -> bool:
    return hiding(attributes(written))


def hiding(said: Mapping[str, object]) -> bool:
    """Whether an element with the attributes ``said`` hides itself (see the module)."""
    style = said.get("style")
    return "hidden" in said or (isinstance(style, str) and _HIDING_STYLE.search(style) is not None)


class _Ends:
    """Where each element of a markup ends, read once for each name (a removal copies
    nothing, so the places stay those of the markup)."""

    def __init__(self, markup: str) -> None:
        self.markup = markup
        self.paired: dict[str, dict[int, int]] = {}

    def of(self, name: str, after: int) -> int | None:
        """Where the element whose start tag ends at ``after`` ends: after its end tag
        (the same elements nested in it counted), for a paragraph also where a block
        starts, at ``after`` for a void element; None when it never ends."""
        if name in _VOID:
            return after
        if name == "p":
            block = _BLOCK_START.search(self.markup, after)
            stop = block.start() if block else len(self.markup)
            close = _PARAGRAPH_END.search(self.markup, after, stop)
            return close.end() if close else stop
        if name not in self.paired:
            self.paired[name] = self._pairs(name)
        return self.paired[name].get(after)

    def _pairs(self, name: str) -> dict[int, int]:
        """Each start tag's end → its element's end, for the elements named ``name``."""
        tags = re.compile(rf"<(/?){re.escape(name)}(?=[\s/>]){TAG_REST}>", re.I)
        opened: list[int] = []
        pairs: dict[int, int] = {}
        for found in tags.finditer(self.markup):
            if not found[1]:
                opened.append(found.end())
            elif opened:
                pairs[opened.pop()] = found.end()
        return pairs
