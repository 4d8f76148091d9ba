"""Where a Markdown file's front matter ends: the fields an editor writes above a note (a
catalog's) or a digest intro, between fence lines, as static site generators read them.

``---`` opens YAML, which closes with ``---`` or with YAML's end of a document, ``...``
(Jekyll and Pandoc accept both); ``+++`` opens TOML (Hugo) and closes with ``+++``. A fence
stands alone on its line, spaces after it allowed; the lines may end in CRLF.
"""

from __future__ import annotations

import re

_OPENING = re.compile(r"(---|\+\+\+)[ \t]*\r?\n")
_CLOSING = {
    "---": re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M),
    "+++": re.compile(r"^\+\+\+[ \t]*\r?$", re.M),
}


def split_front_matter(
    text: str, fences: tuple[str, ...] = ("---", "+++")
) -> tuple[str, str, str] | None:
    """The opening fence, the front matter and the body of ``text``, which opens with one
    of ``fences``; None when it opens with none, or no line closes the block (all of it is
    then the body)."""
    opening = _OPENING.match(text)
    if opening is None or opening.group(1) not in fences:
        return None
    fence = opening.group(1)
    closing = _CLOSING[fence].search(text, opening.end())
    if closing is None:
        return None
    return fence, text[opening.end() : closing.start()], text[closing.end() + 1 :]
