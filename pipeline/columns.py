"""The columns a text takes in a terminal or on a line of a page, where an East Asian
Wide or Fullwidth character takes two: the CLI's tables are aligned by it, and a page's
heading of a word or two (「お知らせ」) is told from a post's title by it.

A module of its own, with nothing to compile: ``status`` and ``health`` print a table, and
:mod:`~tdlc_syndication.pipeline.eastasian`'s patterns cost 6 ms to import.
"""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """Columns ``text`` takes: East Asian Wide and Fullwidth characters take two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
