"""Dates written without their year but with their weekday, as event notices write them
(``12月3日（木）``, ``12/3（木）``, ``Thursday, December 3``): the weekday names the year, as a
given month and day falls on it once in any four years running; and a weekday written
after a date, before its time.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from tdlc_syndication.pipeline.locales import MONTH_NAME, weekday_word

_JA_WEEKDAYS = {name: number for number, name in enumerate("月火水木金土日")}
_EN_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "mon"), ("tuesday", "tues", "tue"), ("wednesday", "wed"),
            ("thursday", "thurs", "thur", "thu"), ("friday", "fri"), ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}  # fmt: skip
# Any word that starts as a weekday does (the name is checked in _EN_WEEKDAYS): a short
# alternation, which the regular expression engine tries fast at each position.
_EN_WEEKDAY = r"((?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6})\.?,?\s+"
_NO_YEAR_AFTER = r"(?!\d)(?:st|nd|rd|th)?(?![a-z])(?!,?\s*\d{4})"
_WEEKDAY_SOURCES = (
    # 12月3日(木), 12月3日(木曜日), 12月3日(木・祝) (brackets are ASCII after NFKC)
    (
        r"(?=\d)(?<![\d年./-])(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*\(\s*([月火水木金土日])"
        r"(?:曜日?)?(?:[・、,/][^)]{0,4})?\)",
        re.NOFLAG,
        "mdw",
    ),
    # 12/3(木), 12.3(木), 12/3(木・祝): the month and day as notices write them in short
    (
        r"(?=\d)(?<![\d/.年A-Za-z-])(\d{1,2})\s*[/.]\s*(\d{1,2})\s*\(\s*([月火水木金土日])"
        r"(?:曜日?)?(?:[・、,/][^)]{0,4})?\)",
        re.NOFLAG,
        "mdw",
    ),
    # Thursday, December 3 / Thu Dec 3rd (no year after it)
    (
        rf"(?=[mtwfs])(?<![A-Za-z]){_EN_WEEKDAY}{MONTH_NAME}\s+(\d{{1,2}}){_NO_YEAR_AFTER}",
        re.I,
        "wmd",
    ),
    # Thursday 3 December / Thu, 3 Dec (no year after it)
    (
        rf"(?=[mtwfs])(?<![A-Za-z]){_EN_WEEKDAY}(\d{{1,2}}){_NO_YEAR_AFTER}\s+{MONTH_NAME}(?!,?\s*\d{{4}})",
        re.I,
        "wdm",
    ),
)
_EN_WEEKDAY_STARTS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weekday_patterns(value: str) -> list[tuple[re.Pattern[str], str]]:
    """The weekday patterns that may match ``value``: a text without 月 and 日 (or a
    slash or dot and a bracket), or without an English weekday's first letters, is not
    searched for them (most text is neither, and a search costs several times these
    looks)."""
    japanese, short, *english = _weekday_compiled()
    chosen = [japanese] if "月" in value and "日" in value else []
    if "(" in value and ("/" in value or "." in value):
        chosen.append(short)
    lowered = value.lower()
    if any(start in lowered for start in _EN_WEEKDAY_STARTS):
        chosen.extend(english)
    return chosen


@cache
def _weekday_compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    """The weekday patterns, compiled at their first use (a run that reads no date pays
    nothing for their month names)."""
    return tuple((re.compile(p, flags), order) for p, flags, order in _WEEKDAY_SOURCES)


YEARS_BACK = 2  # a date named by its weekday is looked for this many years before today
YEARS_AHEAD = 1  # and this many after


def year_of_weekday(month: int, day: int, weekday: int, today: date) -> int | None:
    """The year, from ``YEARS_BACK`` before ``today``'s to ``YEARS_AHEAD`` after, in which
    ``month``/``day`` falls on ``weekday`` (Monday 0); None when none does (a slip of the
    writer's, or a day that does not exist)."""
    for year in range(today.year - YEARS_BACK, today.year + YEARS_AHEAD + 1):
        try:
            if date(year, month, day).weekday() == weekday:
                return year
        except ValueError:
            continue
    return None


def weekday_number(word: str) -> int:
    """The number of the weekday ``word`` names (Monday 0; 木, Thu, thursday), or -1 for a
    word that only starts as one does ("Sunny", "Monsoon")."""
    return _JA_WEEKDAYS.get(word, _EN_WEEKDAYS.get(word.lower(), -1))


@cache
def weekday_after() -> re.Pattern[str]:
    """A weekday written after a date and before its time, unbracketed: ``2026年11月26日
    木曜日 14:00``, ``26 November 2026, Thursday, 10:00``, ``26 Kasım 2026 Perşembe
    14:00``, ``2026年11月26日 星期四 下午2:00`` (the time was lost: the event was
    whole-day)."""
    return re.compile(
        rf"[\s,、]*(?:{weekday_word().pattern}|[月火水木金土日]曜日?|(?:星期|周|週)[1-6日天])",
        re.I,
    )
