"""WordPress shortcodes that reach a feed unrendered, taken out of an item's text.

A shortcode (``[caption id="attachment_12" width="300"]<img …> Caption[/caption]``,
``[embed]https://youtu.be/…[/embed]``, ``[contact-form-7 id="12"]``) is rendered by the
plugin that registers it. In an excerpt, or when its plugin is off, or a page builder's
layout (WPBakery's ``[vc_row][vc_column][vc_column_text]``, Divi's ``[et_pb_section]``,
Avada's ``[fusion_builder_container]``) comes through, the feed and the REST API carry it
as text, and every summary, page and digest showed it so. Excerpts cut such a layout
anywhere, so a page builder's tags go alone as well as in pairs.

What is taken out: a pair of a lower-case name and its closing tag (the text between them
stays; an embed's address becomes a link to it), a page builder's tag, a tag with
attributes (``name="value"``, also as WordPress writes their quotes in a feed,
``id=&#8221;12&#8243;``), and a closing tag left alone. Text in brackets that is none of
these stays: ``[1]``, ``[NEW]``, ``[brackets]``, ``a[i]``.
"""

from __future__ import annotations

import html
import re

# A shortcode's tag: [name], [name attributes], [/name].
_TAG = re.compile(r"\[(/?)([a-z][a-z0-9_-]*)((?:\s[^\[\]]*)?)\]")
_BUILDER = re.compile(r"(?:vc|et_pb|fusion|av|cs|mk|tatsu|themify|su|ux|kc|tm|mpc)_")
_ATTRIBUTE = re.compile(r"\s+[a-z_][\w-]*\s*=")
_EMBEDS = frozenset({"embed", "video", "audio", "youtube"})
_ADDRESS = re.compile(r"\s*(https?://[^\s<>\"'\[\]]+)\s*\Z")


def without_shortcodes(text: str) -> str:
    """``text`` (HTML or plain text) without the WordPress shortcodes in it (see the
    module); unchanged when it has none. Read in one pass: each closing tag closes the
    last open tag of its name."""
    if "[" not in text:
        return text
    tags = list(_TAG.finditer(text))
    if not tags:
        return text
    replaced: dict[int, str] = {}  # a tag's index: what stands for it
    opened: dict[str, list[int]] = {}
    for n, tag in enumerate(tags):
        closing, name, attributes = tag.groups()
        if not closing:
            opened.setdefault(name, []).append(n)
            if _BUILDER.match(name) or _ATTRIBUTE.match(attributes):
                replaced[n] = ""
            continue
        replaced[n] = ""  # paired or alone
        if opened.get(name):
            first = opened[name].pop()
            replaced[first] = ""
            address = _ADDRESS.match(html.unescape(text[tags[first].end() : tag.start()]))
            if name in _EMBEDS and address:  # the address, linked
                replaced[first] = f'<a href="{html.escape(address[1])}">'
                replaced[n] = "</a>"
    if not replaced:
        return text
    parts: list[str] = []
    at = 0
    for n, tag in enumerate(tags):
        if n in replaced:
            parts += (text[at : tag.start()], replaced[n])
            at = tag.end()
    parts.append(text[at:])
    return "".join(parts)
