"""The lines that open and end a post's block and say what the page says elsewhere.

Above the text: the page's number and dates (「ページ番号：1007415　更新日：2026年11月26日」,
its date read before it goes), a ``<time>`` alone, the page's title again as its first
heading with a label of a few words above it (a kicker: "Blog post", 「社会」), and the
byline's lines (``sources.byline``: "Jane Smith · April 7, 2026 · 8 min read"); below it,
the page's number and dates again. The first :data:`_LEADING` lines of each end are
looked at, past those that go.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tdlc_syndication.pipeline.columns import display_width
from tdlc_syndication.pipeline.lazy import LazyModule
from tdlc_syndication.sources.blocks import (
    BLOCKS,
    LINE_BLOCKS,
    holds_block,
    outermost_alone,
)
from tdlc_syndication.sources.byline import KICKER_WIDTH, Byline
from tdlc_syndication.sources.inlinetext import is_gone, is_shown_text, is_tag, text_of
from tdlc_syndication.sources.pagedates import DATE_LABELS

if TYPE_CHECKING:
    from bs4 import Tag
    from bs4.element import PageElement

    from tdlc_syndication.pipeline import dates
else:
    dates = LazyModule("tdlc_syndication.pipeline.dates")

# The page's number, perhaps with a letter or two before it (「ページ番号：C036689」)
_PAGE_NUMBER = r"(?:ページ番号|ページID|記事ID|ID|Page\s+ID)\s*[:：]?\s*[A-Z]{0,3}\d+"
# The page's number and dates, alone on a line above or below its text
# (「ページ番号1002060　更新日 令和3年9月27日」, 「最終更新日 2023年12月5日」,
# 「更新日付：2025年10月30日 / ページ番号：C036689」, "Last updated date:2019/12/10"):
# what is left of the line around its day.
_PAGE_LABELS = re.compile(
    rf"\s*(?:{_PAGE_NUMBER}\s*)?"
    # each label taken whole, once (a line of 30 "published on" took minutes: every way
    # to part its spaces was tried)
    rf"(?>{DATE_LABELS}[\s:：]*)++"
    rf"[\s()（）月火水木金土日曜・,.]*(?:更新|掲載)?(?:\s*[/／|｜]?\s*{_PAGE_NUMBER})?",
    re.IGNORECASE,
)
_TITLES = ("h1", "h2")  # the headings that may say the page's title again
_LEADING = 3  # elements at the block's start looked at for its page line and heading


def drop_lines(root: Tag, title: str, byline: Byline) -> None:
    """Drop from ``root`` (a page's main block) the page line, the title's heading with
    a kicker above it and the byline's lines among its first elements, and the page line
    among its last ones (see the module); ``title`` and ``byline``: the page's."""
    wanted = " ".join(title.split())
    tags = root.find_all(True, recursive=True)
    for ordered, heading in ((tags, True), (list(reversed(tags)), False)):
        looked: list[Tag] = []  # the blocks kept, in order
        titled = False  # the title's heading met
        for tag in ordered:
            if len(looked) >= _LEADING:
                break
            if is_gone(tag) or tag.name not in (*BLOCKS, *_TITLES):
                continue
            if holds_block(tag) or (tag.name not in _TITLES and tag.find(_TITLES)):
                continue  # a container (of the title's heading too): its lines count
            words = text_of(tag)
            if not words:
                continue
            title_again = heading and tag.name in _TITLES and words == wanted
            if title_again and not titled:  # the first: a kicker above it goes
                titled = True
                kickers = [block for block in looked if _is_kicker(block, byline)]
                for kicker in kickers:
                    kicker.decompose()
                looked = [block for block in looked if all(block is not k for k in kickers)]
            if (
                title_again
                or _is_dateline(tag, words)
                or (tag.name in ("p", "div", "dl") and _is_page_line(words))
            ):
                tag.decompose()
            elif heading and not any(map(_says_more, looked)) and _byline_alone(tag, root, byline):
                outermost_alone(tag, root).decompose()  # before the text: its byline
            else:
                looked.append(tag)


def _byline_alone(tag: Tag, root: Tag, byline: Byline) -> bool:
    """Whether a block is a line of the page's byline, with the words of the line it is
    in: a name in a block of its own inside "Tipps von <name> 6.11.22" is no line."""
    holder = tag.parent
    while holder is not None and holder is not root and holder.name not in BLOCKS:
        holder = holder.parent
    if holder is None or holder is root:
        return byline.says_all(text_of(tag))
    own = {id(piece) for piece in tag.find_all(string=True, limit=_MOST_LINE_STRINGS)}
    line = []  # the block's own strings, and the holder's outside its other blocks
    for piece in holder.find_all(string=True, limit=_MOST_LINE_STRINGS):
        if is_shown_text(piece) and (id(piece) in own or _line_of(piece, holder) is holder):
            line.append(str(piece))
    return byline.says_all(" ".join(" ".join(line).split()))


def _line_of(piece: PageElement, holder: Tag) -> Tag | None:
    """The block a piece of text is a line of: the nearest ``holder`` or block above it,
    :data:`_LINE_DEPTH` levels up at most (None further)."""
    for level, up in enumerate(piece.parents):
        if up is holder or up.name in LINE_BLOCKS:
            return up
        if level >= _LINE_DEPTH:
            break
    return None


_MOST_LINE_STRINGS = 400  # strings of a byline's holder read for the line it is in
_LINE_DEPTH = 30  # elements above a piece of text looked through for its block


def _is_kicker(tag: Tag, byline: Byline) -> bool:
    """Whether a block above the title's heading is a label of a few words (the post's
    kind or section, "Blog post", 「お知らせ」, "24. April 2020 | Pressemitteilungen"),
    with no picture; with a day, where the page is dated otherwise (on a page that
    gives no date, a day above its title is the only one it says)."""
    if _says_more(tag) or tag.find(("img", "picture", "svg")) is not None:
        return False
    said = dates.normalise_japanese(tag.get_text(" ", strip=True))
    return bool(byline.days) or dates.first_date(said) is None


def _says_more(tag: Tag) -> bool:
    """Whether a block says more than a label does: the text has begun."""
    return display_width(text_of(tag)) > KICKER_WIDTH


def _is_dateline(tag: Tag, words: str) -> bool:
    """Whether a block is only the article's ``<time>`` (a daily's 「2024/12/04 00:05」
    above its text, the date the page gives in its head too)."""
    shown = tag if tag.name == "time" else tag.find("time")
    return is_tag(shown) and text_of(shown) == words


def _is_page_line(words: str) -> bool:
    """Whether a paragraph is only the page's number and its dates, each a day, with
    their labels (「公開日：2025/01/31 11:30　更新日：2025/01/31 11:30」): "Updated guidance
    for 2026" and "Published on 26 Nov 2026 in the city's newsletter" are lines of text."""
    rest = dates.normalise_japanese(words)
    for looked in range(_MOST_PAGE_DATES + 1):
        found = dates.first_date(rest)
        if found is None:
            return looked > 0 and _PAGE_LABELS.fullmatch(rest) is not None
        if found.precision not in ("day", "datetime") or looked == _MOST_PAGE_DATES:
            return False
        rest = rest[: found.begin] + " " + rest[found.end :]
    return False


_MOST_PAGE_DATES = 3  # dates a page's line gives (published, updated), at most
