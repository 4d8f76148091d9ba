"""A page's main text by text density, as reader views find it: the fallback for pages
where no selector names the post's block."""

from __future__ import annotations

import re

from tdlc_syndication.pipeline.columns import display_width
from tdlc_syndication.pipeline.text import strip_controls

# Columns of text below which a fallback extraction is noise: a Japanese or Chinese
# character counts two (it says as much as a word's letters do: a municipal notice of four
# sentences is 150 characters, and its page gave no text at all).
MIN_READABLE = 200


def readable_text(text: str) -> str:
    """The page's main text as readability finds it (by text density, as reader views do),
    for pages where no selector matches; '' when what it finds is too short to be it.

    Characters XML forbids are taken out first: lxml refuses to set a text that holds
    one, and a news site's page with eight in an inline style's bytes gave no text at
    all. What readability cannot read it raises, and this returns '' (its own log of
    that error is kept quiet where logging is set up: ``pipeline.logs``)."""
    from readability import Document as Readable
    from readability.readability import Unparseable

    try:
        found: str = Readable(strip_controls(text)).summary(html_partial=True)
    except (Unparseable, ValueError, TypeError):
        return ""
    plain = re.sub(r"<[^>]*>", " ", found)
    return found if display_width(" ".join(plain.split())) >= MIN_READABLE else ""
