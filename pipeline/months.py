"""Dates written with a month's name: English, as worldbank.org writes them; the languages
of partner cities' own sites (Indonesian, Spanish, Portuguese, French, and Vietnamese
numbered months); Thai, with its Buddhist-era years; and Khmer.

Each pattern comes with the reader of its match, which gives the year, the month and the
day (None when the text names a month) or None when the match names no date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

Named = tuple[int, int, int | None]  # year, month, day (None: the month as a whole)
Reader = Callable[[re.Match[str]], Named | None]

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
# The months as partner cities' own sites name them, in Indonesian, Spanish, Portuguese
# and French (with the abbreviations Indonesian news lists use): "26 Desember 2026", "26 de
# noviembre de 2026", "1er décembre 2026". Only whole words between a day and a year (or
# before a year) count, so no common word is read as a month.
_PARTNER_MONTHS = (
    ("januari", "enero", "janeiro", "janvier"),
    ("februari", "febrero", "fevereiro", "février", "fevrier"),
    ("maret", "marzo", "março", "marco", "mars"),
    ("abril", "avril"),
    ("mei", "mayo", "maio", "mai"),
    ("juni", "junio", "junho", "juin"),
    ("juli", "julio", "julho", "juillet"),
    ("agustus", "agu", "agt", "agosto", "août", "aout"),
    ("septiembre", "setiembre", "setembro", "septembre"),
    ("oktober", "okt", "octubre", "outubro", "octobre"),
    ("nopember", "nop", "noviembre", "novembro", "novembre"),
    ("desember", "des", "diciembre", "dezembro", "décembre", "decembre"),
)  # fmt: skip
MONTHS.update({name: n for n, names in enumerate(_PARTNER_MONTHS, start=1) for name in names})


def _trie(words: Iterable[str]) -> str:
    """A regular expression of ``words`` as a tree of their letters (``nov(?:ember|iembre
    )?``...): the engine tries the one branch a letter leads to, not every word in turn
    (which made a list of 70 month names cost half as much again as a list of 25)."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(c) + pattern(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = "(?:" + "|".join(branches) + ")" if len(branches) > 1 else branches[0]
        # Where a shorter word ends, the longer ones are tried first.
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)


# A month name or its abbreviation, as a group (periods.py builds ranges with it), whole:
# "Nov" is never the start of "November" (a weekday pattern that may not be followed by a
# year took "26 Nov" of "26 November 2026" and lost the time after it).
MONTH_NAME = r"(" + _trie(MONTHS) + r")(?![^\W\d_])\.?"
# A month named with its year alone ("November 2026") leaves out the partner names that
# are also words or names in running text ("Mars 2026 mission", "Mei", "Des Moines").
_ALSO_WORDS = {"mars", "mai", "mei", "des", "nop", "okt", "agu", "agt", "avril"}
_MONTH_ALONE = r"(" + _trie(m for m in MONTHS if m not in _ALSO_WORDS) + r")(?![^\W\d_])\.?"
_OF = r"(?:del?\s+)?"  # Spanish and Portuguese: "26 de noviembre de 2026"
_LATIN_PATTERNS = (
    # November 26, 2026 / Nov. 26, 2026 / Nov 26th 2026
    (
        re.compile(rf"(?<![A-Za-z]){MONTH_NAME}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", re.I),
        "mdy",
    ),
    # 26 November 2026 / 26 Nov. 2026 / 26 de noviembre de 2026 / 1er décembre 2026
    (
        re.compile(
            rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th|er|º)?\s+{_OF}{MONTH_NAME},?\s+{_OF}(\d{{4}})",
            re.I,
        ),
        "dmy",
    ),
    # November 2026 / noviembre de 2026
    (re.compile(rf"(?<![^\W\d_]){_MONTH_ALONE},?\s+{_OF}(\d{{4}})(?!\d)", re.I), "my"),
    # Vietnamese: "ngày 26 tháng 11 năm 2026", "26 tháng 11, 2026" (tháng: month)
    (
        re.compile(r"(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s*,\s*|\s+năm\s+)(\d{4})", re.I),
        "dny",
    ),
)


def _in_order(order: str) -> Reader:
    """The reader of a pattern whose groups are, in ``order``: ``d`` the day, ``m`` a
    month's name, ``n`` a month's number, ``y`` the year."""

    def read(match: re.Match[str]) -> Named:
        parts = dict(zip(order, match.groups(), strict=True))
        month = int(parts["n"]) if "n" in parts else MONTHS[parts["m"].lower()]
        day = parts.get("d")
        return int(parts["y"]), month, None if day is None else int(day)

    return read


# -- Thai and Khmer ----------------------------------------------------------------------
# Thai sites write "26 พฤศจิกายน 2569", "วันพฤหัสบดีที่ 26 พ.ย. 69" or "๒๖ พ.ย. ๒๕๖๙": the
# year is of the Buddhist era (พ.ศ., 543 years ahead), in full or its last two digits, unless
# marked ค.ศ. (the Common Era). Khmer sites write "ថ្ងៃទី២៦ ខែវិច្ឆិកា ឆ្នាំ២០២៦" in the Common
# Era; a Khmer Buddhist-era year turns in April or May, so it is read as no date. Thai and
# Khmer digits are digits to the patterns and to int().
_THAI_MONTHS = (
    ("มกราคม", "ม.ค"), ("กุมภาพันธ์", "ก.พ"), ("มีนาคม", "มี.ค"), ("เมษายน", "เม.ย"),
    ("พฤษภาคม", "พ.ค"), ("มิถุนายน", "มิ.ย"), ("กรกฎาคม", "ก.ค"), ("สิงหาคม", "ส.ค"),
    ("กันยายน", "ก.ย"), ("ตุลาคม", "ต.ค"), ("พฤศจิกายน", "พ.ย"), ("ธันวาคม", "ธ.ค"),
)  # fmt: skip
_KHMER_MONTHS = (
    "មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា",
    "កក្កដា", "សីហា", "កញ្ញា", "តុលា", "វិច្ឆិកា", "ធ្នូ",
)  # fmt: skip
THAI_ERA = 543  # พ.ศ. 2569 is 2026
_THAI = {name: n for n, names in enumerate(_THAI_MONTHS, start=1) for name in names}
_KHMER = {name: n for n, name in enumerate(_KHMER_MONTHS, start=1)}
# "On Thursday the": วันพฤหัสบดีที่ 26, ថ្ងៃព្រហស្បតិ៍ ទី២៦ (the weekday may be left out).
_ON_DAY = (
    r"(?:(?:วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)?\s*ที่"
    r"|ថ្ងៃ(?:ច័ន្ទ|អង្គារ|ពុធ|ព្រហស្បតិ៍|សុក្រ|សៅរ៍|អាទិត្យ)?\s*ទី)\s*)?"
)
_ERA_MARK = r"(?:(?P<e>พ\.\s?ศ\.|ค\.\s?ศ\.|ឆ្នាំ)\s*)?"  # ឆ្នាំ: year
_KHMER_MONTH = r"(?:ខែ\s*)?"  # ខែ: month
_SE_ASIAN_PATTERNS = (
    # 26 พฤศจิกายน 2569 / 26 พ.ย. 69 / ថ្ងៃទី២៦ ខែវិច្ឆិកា ឆ្នាំ២០២៦
    re.compile(
        rf"{_ON_DAY}(?<!\d)(?P<d>\d{{1,2}})\s*{_KHMER_MONTH}"
        rf"(?P<m>{_trie([*_THAI, *_KHMER])})\.?\s*{_ERA_MARK}(?P<y>\d{{4}}|\d{{2}})(?!\d)"
    ),
    # พฤศจิกายน 2569 / ខែវិច្ឆិកា ឆ្នាំ២០២៦ (names in full only: ก.พ. is also an office)
    re.compile(
        rf"{_KHMER_MONTH}(?P<m>{_trie([full for full, _ in _THAI_MONTHS] + list(_KHMER))})"
        rf"\s*{_ERA_MARK}(?P<y>\d{{4}})(?!\d)"
    ),
)


def _se_asian(match: re.Match[str]) -> Named | None:
    """A Thai or Khmer date: its year in the Common Era, or None when it cannot be told."""
    name, era, digits = match.group("m"), match.group("e") or "", match.group("y")
    day = match.groupdict().get("d")
    common = era.startswith("ค")
    year = int(digits)
    if name in _KHMER:
        if len(digits) < 4 or year >= 2400:
            return None
    elif len(digits) == 2:
        year += 2000 if common else 2500 - THAI_ERA
    elif year >= 2400:
        if common:
            return None
        year -= THAI_ERA
    month = _THAI.get(name) or _KHMER[name]
    return year, month, None if day is None else int(day)


_LATIN_READ: tuple[tuple[re.Pattern[str], Reader], ...] = tuple(
    (pattern, _in_order(order)) for pattern, order in _LATIN_PATTERNS
)
_ALL_READ = (*_LATIN_READ, *((pattern, _se_asian) for pattern in _SE_ASIAN_PATTERNS))
_SE_ASIAN_SCRIPT = re.compile(r"[\u0E00-\u0E7F\u1780-\u17FF]")  # Thai, Khmer


def month_patterns(value: str) -> tuple[tuple[re.Pattern[str], Reader], ...]:
    """The patterns of dates with a month's name that may match ``value``, each with its
    reader: the Thai and Khmer ones only for a text in those scripts (a look for a letter of
    theirs costs a tenth of a search for their dates)."""
    return _ALL_READ if _SE_ASIAN_SCRIPT.search(value) else _LATIN_READ
