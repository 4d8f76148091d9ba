"""The byline lines that open a post's text: who wrote it, when, how long it takes.

Blogs and company newsrooms write them as blocks of their own between the title and the
text, in no element a theme names as a byline: "2026-04-07", "Jane Smith", "8 min
read"; "Oct 18, 2019 · 8 min read" (Medium); "theahura Mar 06, 2025" (Substack);
"Thursday, May 27, 2004" (Blogger's date header); 「山田花子 2026年4月7日」. Each was the
item's first line, and its summary began with it. A block at the text's opening goes when
it says nothing but what the page says of itself elsewhere: its authors' names, a day it
is dated (by its metadata, within a day for the zones it is written in), a reading
time, and the words that join them ("By", "·", "Updated"). A day the page is not dated
(an event's, a deadline's), a name that is not its author's, a sentence: the line stays.

Above the title's heading, a short label of the post's kind or section (a kicker:
"Blog post", "Product Announcements", 「お知らせ」) is no text of the post either:
:data:`KICKER_WIDTH`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tdlc_syndication.pipeline.lazy import LazyModule
from tdlc_syndication.sources.pagedates import DATE_LABELS

if TYPE_CHECKING:
    from tdlc_syndication.pipeline import dates
    from tdlc_syndication.pipeline.locales import NumericOrder
else:
    dates = LazyModule("tdlc_syndication.pipeline.dates")

# How long the post takes to read, in the languages of the program's pages: "8 min
# read", "Reading time: 4 minutes", 「3分で読めます」, 「読了時間：約5分」, "5 min de
# lectura", "Temps de lecture : 4 min", "5 menit baca", "Lesezeit: 4 Minuten".
_UNIT = r"(?:min(?:uten|ute|uto)?s?\.?|menit|phút|นาที|分(?:钟|鐘)?)"
_READING_TIME = re.compile(
    rf"\d+\s*(?:-\s*)?{_UNIT}\s*(?:read|de\s+(?:lectura|leitura|lecture)|lesezeit|lesedauer"
    r"|baca|đọc|で読め(?:ます|る))|(?:read(?:ing)?\s+time|lesezeit|lesedauer|tiempo\s+de\s+"
    r"lectura|tempo\s+de\s+leitura|temps\s+de\s+lecture|waktu\s+baca|thời\s+gian\s+đọc"
    rf"|読了(?:時間|目安)?|阅读时间|閱讀時間)\s*[:：]?\s*(?:about\s+|約|约)?\d+\s*{_UNIT}",
    re.IGNORECASE,
)
# What joins a byline's pieces: "By … on …", "Written by", "·", a weekday before a day,
# a date's labels ("Updated", 「更新日」), the time of day after it ("9:49 am EST", "um
# 21:17", "a las 09:01 hrs.", 「21時37分」), the day of an update after it (「(1月14日
# 01時40分更新)」), 「文・」, 「著者」.
_JOINERS = re.compile(  # (each piece taken whole, once: a line of them is read in one pass)
    rf"(?>{DATE_LABELS}|(?:written|posted|words|photos?)\s+by|by|and|on|at|von|par|por|de"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun"
    r"|\d{1,2}[:：]\d{2}(?:[:：]\d{2})?|[ap]\.?m\.?|hrs?\.?|uhr|um"
    r"|(?:午前|午後)?\d{1,2}時(?:\d{1,2}分)?|\d{1,2}月\d{1,2}日|更新|配信|掲載|公開"
    r"|utc|gmt|[ecmp][sd]t|cest?|bst|jst|kst|wib|ict|pht|sgt|hkt|aes?t"
    r"|a\s+las|à|le|el|em|às"
    # the partner cities' languages: "Oleh … Selasa,", "Theo …", "โดย …", "… 기자", 「作者：」
    r"|oleh|penulis|senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|theo|bởi|tác\s+giả"
    r"|thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật|โดย|วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|ศุกร์"
    r"|เสาร์|อาทิตย์)|기자|작성자|[월화수목금토일]요일|作者|记者|記者|星期[一二三四五六日天1-7]"
    r"|投稿者|著者|筆者|執筆者?|文|写真|[\s,.:;·•|/／｜\-–—()（）「」・：、。月火水木金土日曜])*+",
    re.IGNORECASE,
)
_MOST_DATES = 3  # days one byline gives (published, updated), at most
_LONGEST = 160  # characters of a byline line, at most: more is a sentence
KICKER_WIDTH = 40  # columns of a label above the title's heading, at most
_SLACK = timedelta(days=1)  # a day written in another zone than the metadata's


@dataclass(frozen=True)
class Byline:
    """What a page says of itself that its byline repeats: its authors' names and the
    days it is dated (published, modified); ``order``, the order its language writes a
    day in numbers in (``13/01/2025`` on a Spanish page)."""

    authors: Sequence[str] = ()
    days: Collection[date] = field(default_factory=frozenset)
    order: NumericOrder | None = None  # how the page's language writes a day in numbers

    def says_all(self, words: str) -> bool:
        """Whether ``words`` (a block's text, blanks collapsed) are this byline alone:
        its authors, its days, a reading time, and what joins them; at least one of the
        first three."""
        if not words or len(words) > _LONGEST:
            return False
        rest = dates.normalise_japanese(words)
        said = 0
        for name in sorted({" ".join(a.split()) for a in self.authors if a.strip()}, key=len):
            if name and name.casefold() in rest.casefold():
                rest = re.sub(re.escape(name), " ", rest, flags=re.IGNORECASE)
                said += 1
        rest, timed = _READING_TIME.subn(" ", rest)
        said += timed
        for _ in range(_MOST_DATES):
            found = dates.first_date(rest, order=self.order)
            if found is None or not self._dated(found.day):
                break
            rest = rest[: found.begin] + " " + rest[found.end :]
            said += 1
        return said > 0 and _JOINERS.fullmatch(rest) is not None

    def _dated(self, day: date) -> bool:
        return any(abs(day - dated) <= _SLACK for dated in self.days)
