"""The words a summary ends with that ask its reader to read on, taken out of it.

A list page's excerpt, a theme's excerpt in a feed (where its link goes elsewhere than the
entry, so ``sources/footers.py`` does not know it), or a JSON API's excerpt often ends
with its own invitation: ``…意見を交わしました。続きを読む``, ``… wastewater. Read more »``,
``Baca selengkapnya``, ``[more]``. The item is that link already: every summary a page,
a feed or the digest showed ended with words that led nowhere.

And a title a list cut short to fit its line, with an ellipsis (:func:`cut_short`): a
followed page's whole title stands for it; and a summary that says nothing but "read
on", or a placeholder (``undefined``, "No description": :func:`says_nothing`).

Only the end of a summary is looked at, and only where the words stand apart (after the
last sentence's end or an ellipsis, or marked by brackets or an arrow) and text is left
before them: "more" alone counts only in brackets (``compact cities and more`` and ``Why
you should read more`` stay). A link to the entry's comments ("3 Comments", "Leave a
comment", ``[comments]``) is such words too.
"""

from __future__ import annotations

import re

# "Read on" in the program's languages: English, Japanese, Indonesian and Malay,
# Vietnamese, Spanish, Portuguese, French, Thai, Korean, Chinese.
_WORDS = (
    r"read\s+(?:the\s+)?(?:more|rest|full\s+(?:story|article|text))|continue\s+reading"
    r"|click\s+here\s+to\s+(?:read|continue)(?:\s+(?:more|on|the\s+(?:rest|full\s+)?"
    r"(?:story|article|post|text)?))?"
    r"|to\s+read\s+(?:this|the)\s+(?:full\s+)?(?:article|story|post)(?:\s+in\s+full)?,?\s+"
    r"(?:please\s+)?click\s+here"
    # and a link to its comments (a theme's excerpt, an aggregator's whole description)
    r"|(?:\d+|no)\s+comments?|comments|leave\s+a\s+(?:comment|reply)|コメント(?:を書く|する)?"
    r"|learn\s+more|find\s+out\s+more|see\s+more|view\s+more|more\s+details"
    r"|続きを(?:読む|よむ|見る|みる)|続きはこちら|詳しくはこちら|詳細はこちら|詳細を(?:見る|みる)"
    r"|もっと(?:見る|みる)|全文を読む"
    r"|(?:baca|lihat)\s+(?:selengkapnya|lebih\s+lanjut)|selengkapnya|baca\s+lagi"
    r"|xem\s+(?:thêm|tiếp|chi\s+tiết)|đọc\s+(?:thêm|tiếp)"
    r"|leer\s+más|seguir\s+leyendo|ver\s+más|le(?:ia|r)\s+mais|saiba\s+mais|continue\s+lendo"
    r"|lire\s+la\s+suite|en\s+savoir\s+plus"
    r"|อ่านต่อ|อ่านเพิ่มเติม|더\s*보기|자세히\s*보기|阅读(?:更多|全文)|查看更多|閱讀更多"
)
# WordPress themes name the entry after "Continue reading", for screen readers:
# ``Continue reading “Kobe drill”``.
_NAMED = r"(?:[“\"«「『][^”\"»」』]{1,200}[”\"»」』]\s*)?"
_READ_ON = re.compile(
    r"(?:(?<=[\s.。!！?？…‥)）\]】」』:：])|(?<=\.\.\.))"
    rf"(?:[\[(（【<＜]\s*)?(?:{_WORDS}|(?<=[\[(（【])\s*more)\s*{_NAMED}[.…]*"
    r"(?:[\])）】>＞]\s*)?[»›>＞≫→▶︎.…\s]*\Z",
    re.I,
)
_LEFT = 10  # what must be left of a summary for its last words to go
_TAIL = 60  # the characters looked at, at a summary's end
# A word of each of them, looked for first in the last characters, lowered (a search of
# these words alone costs a tenth of one of the whole pattern: 0.7 µs).
_HINT = re.compile(
    "more|read|click|comment|コメント|続き|詳|もっと|全文|selengkap|lanjut|lagi|xem|đọc|más|mais"
    "|leyendo|lendo|suite"
    "|savoir|อ่าน|보기|阅读|查看|閱讀"
)
_HINT_TAIL = 26  # "read the full article »" is 23
_ENDS = ".。!！?？…‥)）]】」』:："  # the words come after the text's last sentence
_MARKS = "»›>＞≫→▶])）】"  # or are marked as a link's: an arrow, brackets
_OPENS = "[(（【<＜"
_CLOSING_QUOTES = ("”", '"', "»", "」", "』")
_OPENING_QUOTES = ("“", '"', "«", "「", "『")


def without_read_on(summary: str) -> str:
    """``summary`` without the words that end it asking to read on (``続きを読む``, ``Read
    more »``, ``[more]``), where they stand apart and enough is left before them."""
    end = len(summary)
    if summary.endswith(_CLOSING_QUOTES):  # the words before the entry's name
        opens = max(summary.rfind(quote, 0, end - 1) for quote in _OPENING_QUOTES)
        end = opens if opens > 0 else end
    tail = summary[max(0, end - _HINT_TAIL) : end].lower()
    if len(summary) <= _LEFT or _HINT.search(tail) is None:
        return summary  # most summaries end with none of the words
    found = _READ_ON.search(summary, max(0, end - _TAIL))
    if found is None:
        return summary
    kept = summary[: found.start()].rstrip()
    marked = found.group(0).strip()[-1:] in _MARKS or found.group(0).lstrip()[:1] in _OPENS
    if len(kept) < _LEFT or not (marked or kept[-1] in _ENDS):
        return summary  # "Why you should read more": the sentence's own words
    return kept


# A link's whole text that only asks to read on: the words above, or a short word of
# their kind ("More", "Details", 「詳細」, 「詳しく」).
_ONLY = re.compile(
    rf"\s*[\[(（【<]?\s*(?:{_WORDS}|more|details?|view|詳細|詳しく|こちら|more\s+info)"
    r"\s*[\])）】>]?[\s»›>＞≫→▶︎.…]*",
    re.I,
)


def only_read_on(text: str) -> bool:
    """Whether ``text`` (a link's) says nothing but "read on" (「詳細」, "Read more »",
    "[More]"): no title of what it links to."""
    return bool(_ONLY.fullmatch(text))


# A title a list cut short to fit its line: its end an ellipsis (…, ..., ‥, ・・・).
_CUT = re.compile(r"\s*(?:…+|\.{3,}|‥+|・{3,}|･{3,})\s*\Z")
_CUT_ENDS = frozenset("….‥・･")  # one look at the last letter first: most titles end otherwise
_SHORTEST_CUT = 4  # letters of a title before its ellipsis (「…」 alone is no title's start)


def ends_cut(title: str) -> bool:
    """Whether ``title`` ends with an ellipsis, as a title a list cut short does."""
    return title.rstrip()[-1:] in _CUT_ENDS and _CUT.search(title) is not None


def cut_short(title: str, full: str) -> bool:
    """Whether ``title`` is ``full`` cut short with an ellipsis, as lists write a title
    that does not fit their line (「…推進計画の改定に係る市民意見…」 for 「…推進計画の改定に
    係る市民意見の募集について」, "…from Southeast..."): its words before the
    ellipsis begin ``full`` (spaces aside), and ``full`` says more."""
    cut = _CUT.search(title)
    if cut is None:
        return False
    stem = "".join(title[: cut.start()].split())
    whole = "".join(full.split())
    return len(stem) >= _SHORTEST_CUT and len(whole) > len(stem) and whole.startswith(stem)


# What a system writes where an item has no summary: a value's missing mark as a script
# prints it, a dash, an ellipsis, "No description" (「なし」: none).
_PLACEHOLDERS = frozenset({
    "null", "undefined", "none", "nil", "nan", "n/a", "na", "-", "--", "—", "...", "…",
    "no description", "no description available", "no summary", "なし", "特になし",
    "詳しくはこちらをご覧ください", "詳細はこちらをご覧ください", "click here for details",
    "click here for more information",
})  # fmt: skip
_PLACEHOLDER_LONGEST = 40


def says_nothing(summary: str) -> bool:
    """Whether ``summary`` is no summary: only "read on" (「詳細はこちら」, "Read more »",
    as a feed may give every item), or a placeholder (``null``, ``undefined``,
    "No description", 「なし」), which pages and feeds showed as the item's words."""
    if len(summary) > _PLACEHOLDER_LONGEST:
        return False
    bare = summary.strip().strip("()（）[]［］").strip().casefold()
    return bare in _PLACEHOLDERS or bare.rstrip(".。") in _PLACEHOLDERS or only_read_on(summary)
