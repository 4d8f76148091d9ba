"""A video or an audio an origin's HTML plays in its page (``<video>``, ``<audio>``, as
WordPress's video and audio blocks write them) as a link to its file: the cleaning
keeps no player, so the file was lost from the content, and the player's words for
browsers without one ("Your browser does not support video.") were published instead.
"""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import unquote, urlsplit

from tdlc_syndication.pipeline.elements import replaced

# A player's start tag, read no further than the next "<" (see pictures._ANY_IMAGE).
_PLAYER = re.compile(r"<(video|audio)\b((?:[^<>\"']|\"[^\"<]*\"|'[^'<]*')*)>", re.I)
_ENDS = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("video", "audio")}
_SOURCE = re.compile(r"<source\b((?:[^<>\"']|\"[^\"<]*\"|'[^'<]*')*)>", re.I)
_ATTRIBUTE = r"(?:\A|\s){}\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+))"
_SRC = re.compile(_ATTRIBUTE.format("src"), re.I)
_TITLE = re.compile(_ATTRIBUTE.format("title"), re.I)
_POSTER = re.compile(_ATTRIBUTE.format("poster"), re.I)


def players_as_links(markup: str) -> str:
    """``markup`` with each ``<video>`` and ``<audio>`` a link to its file (its ``src``,
    else its first ``<source>``), named by its ``title`` or the file's name, a video's
    poster as the link's picture; one with no file is taken out, its words for old
    browsers with it. One never closed is left to the cleaning (read in one pass:
    :mod:`~tdlc_syndication.pipeline.elements`)."""
    if "<video" not in markup and "<audio" not in markup:
        return markup  # one look: most contents play nothing
    return replaced(markup, _PLAYER, _ENDS, _as_link)


def _as_link(start: re.Match[str], inside: str) -> str:
    attributes = start[2]
    source = _value(_SRC, attributes)
    if not source:
        first = next((_value(_SRC, found[1]) for found in _SOURCE.finditer(inside)), "")
        source = first
    if not source or _scheme(source) not in ("", "http", "https"):
        return ""  # none, or a data:, blob: or javascript: address no reader can follow
    name = _value(_TITLE, attributes) or _file_name(source)
    poster = _value(_POSTER, attributes) if start[1].lower() == "video" else ""
    shown = (
        f'<img src="{html_lib.escape(poster)}" alt="{html_lib.escape(name)}">'
        if poster
        else html_lib.escape(name, quote=False)
    )
    return f'<a href="{html_lib.escape(source)}">{shown}</a>'


def _value(pattern: re.Pattern[str], attributes: str) -> str:
    found = pattern.search(attributes)
    value = next((group for group in found.groups() if group), "") if found else ""
    return html_lib.unescape(value).strip()


def _scheme(url: str) -> str:
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return "?"


def _file_name(url: str) -> str:
    """The name of the file at ``url`` (``drill.mp4``), else the address."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return url
    return unquote(path.rstrip("/").rpartition("/")[2]) or url
