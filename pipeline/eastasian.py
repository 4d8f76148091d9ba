"""Line breaks in Japanese and Chinese text, as a browser should read them.

Japanese and Chinese put no space between words or sentences, so a line break that an
HTML source or an editor's Markdown has between two of their characters is no space
either: CSS Text 3 (segment break transformation) takes it out where the characters on
both sides are East Asian Wide, Fullwidth or Halfwidth and neither is Hangul (Korean
puts spaces between words). Chromium does not do it, and shows a space: a municipal
page's ``コンパクトシティ⏎政策`` read ``コンパクトシティ 政策`` in every summary, and an
editor's intro written one sentence a line had a space after every full stop.
"""

from __future__ import annotations

import re

# Kanji (and their extensions), kana, CJK punctuation and symbols (the ideographic space
# too), bopomofo, Yi, the full-width and half-width forms; not hangul.
_WIDE = (
    "\u2e80-\u303e\u3041-\u312f\u3190-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff9f\uffe0-\uffe6\U00020000-\U0003fffd"
)
#: One wide character (as the module says).
WIDE_CHARACTER = re.compile(f"[{_WIDE}]")
# A line break after a wide character, with the spaces that indent the next line, before
# another: it starts with the break, so the search skips to each one quickly (a lookbehind
# first would be tried at every character: 25 µs, not 0.5, over 1,000 characters).
_WIDE_BREAK = re.compile(f"\\n(?<=[{_WIDE}]\\n)[ \\t\\n\\f\\v]*(?=[{_WIDE}])")


def joined_lines(text: str) -> str:
    """``text`` (plain or HTML) without the line breaks between two wide characters, and
    the spaces that indent the line after them. Other breaks, and a space written before
    a break (Markdown's hard break), stay."""
    if text.isascii() or "\n" not in text:
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return _WIDE_BREAK.sub("", text)


_PRE = re.compile(r"(<pre\b.*?</pre\s*>)", re.S)


def joined_html(markup: str) -> str:
    """Sanitised HTML without the line breaks between two wide characters in its text,
    but in a ``<pre>``, where a break is one on the page."""
    if markup.isascii() or "\n" not in markup:
        return markup
    if "<pre" not in markup:  # sanitised HTML writes its tags in lower case
        return joined_lines(markup)
    parts = _PRE.split(markup)
    return "".join(part if index % 2 else joined_lines(part) for index, part in enumerate(parts))
