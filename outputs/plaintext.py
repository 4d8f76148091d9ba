"""HTML as the plain text of an email's text part: what a person reads in a mail client
that shows no HTML (and what a screen reader of such a client reads out).

Paragraphs, headings and block quotes stay apart (a blank line between them), a list
keeps its items (``*`` or ``1.``) and their nesting, preformatted text its lines, and a
link says where it goes: ``the agenda <https://…>`` (the address alone when it is the
link's text). An image is its alternative text. Lines are not wrapped: mail clients wrap
what they show, and a wrapped address would break.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import html as lxml_html
from lxml.etree import _Element

from tdlc_syndication.pipeline.text import strip_bidi, strip_controls

_BLOCKS = frozenset(
    """address article aside blockquote dd details div dl dt figcaption figure footer h1 h2
    h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th
    thead tr ul""".split()  # noqa: SIM905
)


def readable_text(html: str) -> str:
    """``html`` (a fragment) as plain text in paragraphs, lists and quotes, its links
    written out."""
    if not html.strip():
        return ""
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    return "\n\n".join(_blocks(root)).strip("\n")


def _blocks(element: _Element) -> list[str]:
    """The blocks of ``element``'s content: runs of inline content between its block
    children, and each block child as it is written."""
    blocks: list[str] = []
    words: list[str] = []

    def flush() -> None:
        text = _inline("".join(words))
        if text:
            blocks.append(text)
        words.clear()

    words.append(element.text or "")
    for child in _children(element):
        tag = child.tag
        if tag in _BLOCKS:
            flush()
            blocks.extend(_block(child))
        else:
            words.append(_inline_of(child))
        words.append(child.tail or "")
    flush()
    return blocks


def _block(element: _Element) -> list[str]:
    """One block element as one or more blocks of text."""
    tag = element.tag
    if tag == "pre":
        text = strip_bidi(strip_controls(element.text_content())).replace("\r", "")
        return [text.strip("\n")] if text.strip() else []
    if tag == "hr":
        return ["----"]
    if tag in ("ul", "ol"):
        listed = _list(element)
        return [listed] if listed else []
    if tag == "blockquote":
        inner = "\n\n".join(_blocks(element))
        return ["\n".join(f"> {line}".rstrip() for line in inner.split("\n"))] if inner else []
    if tag in ("tr", "dl"):
        inner = "\n".join(_blocks(element))
        return [inner] if inner else []
    return _blocks(element)


def _list(element: _Element) -> str:
    """A list: each item after its mark, its further lines indented under its text."""
    ordered = element.tag == "ol"
    start = element.get("start", "1")
    number = int(start) if start.isdigit() else 1
    lines: list[str] = []
    for child in _children(element):
        if child.tag != "li":
            continue
        mark = f"{number}. " if ordered else "* "
        number += 1
        text = "\n".join(_blocks(child))
        indent = " " * len(mark)
        first, *rest = text.split("\n")
        lines.append(mark + first)
        lines.extend(indent + line if line else "" for line in rest)
    return "\n".join(lines)


def _inline_of(element: _Element) -> str:
    """An inline element as text: a link with its address, an image by its words, a
    line break as one, a ruby's reading in parentheses after its kanji (``防災（ぼうさい）``,
    as plain Japanese text writes furigana); anything else by its text."""
    tag = element.tag
    if tag == "br":
        return "\n"
    if tag == "img":
        return str(element.get("alt", ""))
    if tag == "rp":  # the ruby's own parentheses: the reading gets full-width ones
        return ""
    inner = (element.text or "") + "".join(
        _inline_of(child) + (child.tail or "") for child in _children(element)
    )
    if tag == "rt":
        return f"（{inner}）" if inner.strip() else ""
    if tag == "a":
        href = str(element.get("href", ""))
        said = _inline(inner)
        if href and href not in (said, f"mailto:{said}"):
            return f"{inner} <{href}>" if said else href
    return inner


def _inline(text: str) -> str:
    """Inline text as it reads: white space collapsed, a line break kept, no control
    characters."""
    lines = strip_bidi(strip_controls(text)).split("\n")
    return "\n".join(filter(None, (" ".join(line.split()) for line in lines)))


def _children(element: _Element) -> Iterator[_Element]:
    """Elements only (no comments or processing instructions, which sanitised HTML
    does not hold, but a fragment may)."""
    return (child for child in element if isinstance(child.tag, str))
