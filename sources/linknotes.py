"""What a list page writes into a link besides the title of what it links to.

- A note that the link opens a new window or leaves the site, which accessibility
  guidelines ask for (JIS X 8341-3 on Japanese municipal sites, WordPress's block editor,
  Drupal's External Links module), often in a span that only screen readers are shown:
  「（新しいウィンドウで開きます）」, 「（外部リンク）」, "(opens in a new tab)", "(link is
  external)". Every such item was titled with it.
- A mark of a new item (``NEW!``, ``【新着】``, ``[NEW]``), which the list drops after some
  days: the title changed then, and the item was retitled in every feed and page.
- After a link to a file, the note of its type and size (「防災計画（PDF：1.2MB）」), which
  Japanese municipal sites must write: it goes when the item carries the file
  (:func:`without_file_note`).
- Before the title, the item's date, where the whole block is the link (``<a><span
  class="date">2026.11.26</span><span>防災訓練のお知らせ</span></a>``, as news lists of
  many CMSs write them): every title began with its date (:func:`without_date`).

A title that is nothing but such a note is kept as it is.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from tdlc_syndication.pipeline.lazy import LazyModule

if TYPE_CHECKING:  # the date readers load with the first date read
    from tdlc_syndication.pipeline import dates
else:
    dates = LazyModule("tdlc_syndication.pipeline.dates")

_OPEN, _CLOSE = r"[(（\[［【〔<＜]", r"[)）\]］】〕>＞]"
# What a window's or a site's note says, in English, Japanese and partner languages.
_WINDOW_WORDS = (
    r"新しい\s*ウィ?ンドウ|別\s*ウィ?ンドウ|別窓|新規\s*ウィ?ンドウ|外部\s*(?:リンク|サイト)"
    r"|(?:opens?|open)\s+(?:in\s+)?(?:a\s+)?new\s+(?:window|tab)|new\s+(?:window|tab)"
    r"|external\s+(?:link|site|website)|link\s+is\s+external|leaves?\s+(?:this|the)\s+site"
    r"|jendela\s+baru|tab\s+baru|cửa\s+sổ\s+mới|tab\s+mới|หน้าต่างใหม่"
    r"|nueva\s+(?:ventana|pestaña)|nova\s+(?:janela|aba)|nouvelle\s+(?:fenêtre|page|onglet)"
    # a link that leaves the site, in partner languages: tautan eksternal (Indonesian),
    # pautan luar (Malay), liên kết ngoài (Vietnamese), ลิงก์ภายนอก (Thai), enlace externo,
    # link externo, lien externe
    r"|tautan\s+(?:eksternal|luar)|pautan\s+luar|liên\s+kết\s+(?:ngoài|bên\s+ngoài)"
    r"|ลิงก์ภายนอก|enlace\s+externo|link\s+externo|lien\s+externe"
)
_WINDOW_NOTE = re.compile(
    rf"\s*{_OPEN}[^)）\]］】〕>＞]{{0,40}}?(?:{_WINDOW_WORDS})[^)）\]］】〕>＞]{{0,40}}{_CLOSE}\s*$",
    re.IGNORECASE,
)
# A mark of a new item, apart from the title (a space, as an element of its own): in
# brackets, NEW in capitals or with "!", or 新着, at the end of the link's text; at its
# start, in brackets or with "!", 新着, or NEW in capitals before a title in another
# script (「NEW コンパクトシティ講演会」: "NEW YORK" keeps its word).
_NEW = r"(?:(?-i:NEW)[!！]*|new[!！]+|新着[!！]*)"
_NEW_FIRST = r"(?:new[!！]+|新着[!！]*)"
_NEW_AT_END = re.compile(  # not "WHAT'S NEW"
    rf"(?:\s*{_OPEN}\s*{_NEW}\s*{_CLOSE}|(?<!['’]s)\s+{_NEW})\s*$", re.IGNORECASE
)
_NEW_AT_START = re.compile(
    rf"^\s*(?:{_OPEN}\s*{_NEW}\s*{_CLOSE}\s*|{_NEW_FIRST}\s+"
    r"|(?-i:NEW)[!！]*\s*(?=[^\s\x00-\u024f]))",
    re.IGNORECASE,
)


def link_title(text: str) -> str:
    """A link's text without the notes a list writes into it (see the module): its title.
    ``text`` as it is when nothing else would be left."""
    title = text
    for _ in range(3):  # a note and a mark, in either order
        kept = _WINDOW_NOTE.sub("", title)
        kept = _NEW_AT_END.sub("", kept)
        kept = _NEW_AT_START.sub("", kept)
        if kept == title:
            break
        title = kept
    return title.strip() if title.strip() else text


# What a link to a file says of the file after its name, as Japanese municipal sites must
# (their accessibility guideline asks for the type and the size in the link's text):
# 「計画書（PDF：1.2MB）」, 「実績 [Excelファイル／45KB]」, "Report (PDF, 2.3 MB)".
_FILE_NOTE = re.compile(
    r"\s*[(（\[【［]\s*(?:PDF|Excel|Word|PowerPoint|CSV|ZIP|XLSX?|DOCX?|PPTX?|ODT|ODS|ODP|JTD"
    # the names Japanese sites give them: エクセル (Excel), ワード (Word), パワーポイント
    # (PowerPoint), 一太郎 (a Japanese word processor, JTD)
    r"|エクセル|ワード|パワーポイント|一太郎)"
    r"[^)）\]】］]{0,30}[)）\]】］]\s*$",
    re.I,
)


def without_file_note(title: str) -> str:
    """A file's title without the note of its type and size its link gives after it (the
    item carries the file, with its type and length): 「防災計画（PDF：1.2MB）」 is
    「防災計画」. The title as it is when it is nothing but the note."""
    found = _FILE_NOTE.search(title)
    return title[: found.start()] if found and title[: found.start()].strip() else title


# A title that may start with a date: a digit, a Japanese era, or a bracket before one.
_DATED_START = re.compile(r"^\s*[(（\[［【]?\s*(?:\d|[０-９]|令和|平成|[RH]\d)")
# A year, as a date with its year writes it (the dates a title may hold apart from it).
_YEAR = re.compile(r"\d{4}|令和|平成|昭和|[RH]\d")
_ERA = re.compile(r"令和|平成|[RH]\d")
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_AFTER_DATE = re.compile(r"(?:\s*[(（][^)）]{1,6}[)）])?[\s)）\]］】:：|｜/・\-–—]*")  # (水), 】
_OPENING = " 　([（［【"
_PARTING = "|｜:：/・-–—([（［【"  # marks before a date: the title writes it
# A label before the date, as cards write their category (お知らせ, NEWS, イベント): a short
# word or two, without a digit, before a title longer than that.
_LABEL = 8
# A word that leads into the date, so the date belongs to the sentence ("published on 19
# November 2026", "held 3 December", "publié le", "pada"): no title and date side by side.
_LEADS_IN = re.compile(
    r"(?:^|\s)(?:on|of|in|at|from|to|until|till|by|since|before|after|the|dated|held"
    r"|published|posted|updated|released|issued|due|le|du|au|de|del|el|em|pada|tanggal"
    r"|ngày|sejak|hingga|sampai)\s*$",
    re.I,
)


def without_date(title: str, day: date) -> str:
    """A link's text without the item's day (``day``), where the whole block is the link:
    written before the title and set apart from it by a blank, a bracket or a mark
    (``2026.11.26 防災訓練のお知らせ``, ``【2026年11月26日】交流会の報告``, ``26 November 2026
    – Flood drill``), or after it by blanks alone, as a card's elements part them
    (``防災訓練の視察受け入れ 2026.11.26``; ``記者会見（2026年11月17日）`` is the title's
    own). Between a card's short category and its longer title (``お知らせ 2026.11.25
    技術交流の報告``) the category goes too; between a title and what follows it, the day
    alone. A date without its year (``11月26日の防災訓練``), one the title goes on from
    (``2026年12月24日開催 セミナー``), one a sentence leads into (``published on 19
    November 2026``), another day (an event's), and a text that is nothing but a date
    stay as they are."""
    if not _may_hold(title, day):
        return title
    value = dates.normalise_japanese(title)
    found = dates.first_date(value)
    if found is None or found.precision not in ("day", "datetime") or found.day != day:
        return title
    if not _YEAR.search(value, found.begin, found.end):  # 12月10日（木）開催の…: the title's
        return title
    before = value[: found.begin]
    after = _AFTER_DATE.match(value, found.end)
    rest = value[after.end() :] if after else value[found.end :]
    parted_after = after is not None and after.end() > found.end
    if before.strip(_OPENING) == "":  # the date first
        if not parted_after or len(rest.strip()) < 2:
            return title  # nothing parts them: 2026年12月24日開催
        return _as_written(title, value, rest)
    # After the title, the date stands apart only by blanks (a line, another element of
    # the link): "（2026年11月17日）", "– 16 November 2026" are the title's own, and a
    # sentence may lead into it ("published on 19 November 2026").
    if not before[-1:].isspace() or _LEADS_IN.search(before):
        return title
    head = before.rstrip()
    if not head or head[-1] in _PARTING:
        return title
    if not rest.strip():  # the date last
        return _as_written(title, value, head, at_end=True) if len(head) >= 2 else title
    if not parted_after:
        return title
    label, rest = head.strip(), rest.strip()
    if len(label) <= _LABEL < len(rest) and not any(c.isdigit() for c in label):
        return _as_written(title, value, rest)  # a card's category, its date, its title
    return f"{label} {rest}"  # a title, its date, what the card says next


def _may_hold(title: str, day: date) -> bool:
    """Whether ``title`` may hold ``day`` with its year: it starts as a date does, or
    writes the day's year (also in full-width digits) or an era's (a look before the
    search for a date, which most titles need not have: a number of four digits, such as
    a list's own numbering, is no reason for one)."""
    if _DATED_START.match(title):
        return True
    year = str(day.year)
    return year in title or year.translate(_FULL_WIDTH) in title or bool(_ERA.search(title))


def _as_written(title: str, value: str, part: str, at_end: bool = False) -> str:
    """``part`` of the normalised ``value`` (its end, or its start with ``at_end``) as the
    title writes it (full-width letters too) where normalising kept its length."""
    if len(value) != len(title):
        return part.strip()
    return (title[: len(part)] if at_end else title[len(title) - len(part) :]).strip()


def without_words(title: str, words: str) -> str:
    """``title`` without ``words`` (a ``<time>``'s text: 「3日前」, "26 Nov") written before
    it, where the whole block is the link; as it is where nothing would be left."""
    words = words.strip()
    rest = title[len(words) :].lstrip(" 　|｜:：-–—・") if words else ""
    return rest if words and title.startswith(words) and len(rest) >= 2 else title
