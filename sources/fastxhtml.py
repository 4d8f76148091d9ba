"""Atom's XHTML text constructs (``type="xhtml"``) in the fast reading of a feed
(:mod:`sources.fastfeed`), as feedparser 6 pops them: it writes each element inside back
out as it meets it (its name in small letters, its attributes in the order written,
their values escaped), the text escaped, leaves out the one ``div`` that holds all of it,
and hands the result to its HTML processor as XHTML. Anything it would read otherwise
goes to feedparser: an element outside XHTML's namespace (one feedparser may take for its
own: a ``title``, a ``summary``), SVG or MathML, an attribute in a namespace or naming a
base, a namespace declared inside but XHTML's.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from tdlc_syndication.sources.feedhtml import Refused, feedparser_html

XHTML = "http://www.w3.org/1999/xhtml"
_XHTML_TAG = f"{{{XHTML}}}"
_READ_OTHERWISE = frozenset({"body", "svg", "math"})  # (a handler of its own, or SVG's)


def xhtml_value(el: Any, base: str) -> str:
    """The value of the XHTML text construct ``el``, its links resolved against ``base``."""
    pieces: list[str] = []
    _write_inside(el, pieces)
    while len(pieces) > 1 and not pieces[-1].strip():
        del pieces[-1]
    while len(pieces) > 1 and not pieces[0].strip():
        del pieces[0]
    if pieces and (pieces[0] == "<div>" or pieces[0].startswith("<div ")) and _one_div(pieces):
        pieces = pieces[1:-1]
    return feedparser_html("".join(pieces).strip(), base, "application/xhtml+xml")


def _write_inside(el: Any, pieces: list[str]) -> None:
    if el.text:
        pieces.append(escape(el.text))
    for child in el:
        if not isinstance(child.tag, str) or not child.tag.startswith(_XHTML_TAG):
            raise Refused(f"{child.tag} in XHTML")
        name = child.tag[len(_XHTML_TAG) :].lower()
        if name in _READ_OTHERWISE:
            raise Refused(f"<{name}> in XHTML")
        attributes = "".join(
            f' {k}="{escape(v, {chr(34): "&quot;"})}"' for k, v in _attributes(child)
        )
        pieces.append(f"<{name}{attributes}>")
        _write_inside(child, pieces)
        pieces.append(f"</{name}>")
        if child.tail:
            pieces.append(escape(child.tail))


def _attributes(el: Any) -> list[tuple[str, str]]:
    """An element's attributes as feedparser writes them: each in the order written,
    named in small letters, ``rel`` and ``type`` in small letters. A namespace declared
    there goes to feedparser (it would read what follows by it), but XHTML's own."""
    parent = el.getparent()
    inherited = parent.nsmap if parent is not None else {}
    if any(inherited.get(k) != v and (k, v) != (None, XHTML) for k, v in el.nsmap.items()):
        raise Refused("a namespace declared in XHTML")
    found: dict[str, str] = {}
    for name, value in el.attrib.items():
        small = name.lower()
        if name.startswith("{") or small == "base" or small in found:
            raise Refused(f"attribute {name} in XHTML")
        found[small] = value.lower() if small in ("rel", "type") else value
    return list(found.items())


def _one_div(pieces: list[str]) -> bool:
    """Whether ``pieces``, which open with a ``div``, are that one ``div`` and what it
    holds (feedparser's count of its tags)."""
    if pieces[-1] != "</div>":
        return False
    depth = 0
    for piece in pieces[:-1]:
        if piece.startswith("</"):
            depth -= 1
            if depth == 0:
                return False
        elif piece.startswith("<") and not piece.endswith("/>"):
            depth += 1
    return True
