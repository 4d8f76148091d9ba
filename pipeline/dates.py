"""Date parsing shared by every source: ISO 8601 / W3CDTF (its basic format too), RFC 822
(with the zone names and 12-hour clocks feeds write), partial dates, and dates found in
text (Japanese eras and numerals; month names in English and partner cities' languages:
``locales.py``), with the time of day written beside them (``clock.py``).

A date is returned with its precision. Dates without a time (``2026-11-26``, ``2015-04``,
``2012``) are stored as midnight UTC of that calendar day with precision ``day``,
``month`` or ``year``: a calendar date names the same day for every reader. Timestamps
without a zone take the source's zone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime, parsedate_tz
from zoneinfo import ZoneInfo

from tdlc_syndication.pipeline import rfc822
from tdlc_syndication.pipeline.clock import (
    RANGE_TO,
    SEASONLESS,
    TIME_BEFORE_REACH,
    after_time,
    clock_of,
    in_afternoon,
    programme_times,
    range_end,
    read_time,
    time_before,
    utc_offset,
)
from tdlc_syndication.pipeline.locales import (
    NUMERIC,
    NumericOrder,
    month_number,
    month_patterns,
    weekday_word,
)
from tdlc_syndication.pipeline.model import Precision
from tdlc_syndication.pipeline.numericdays import fitting, numeric_day
from tdlc_syndication.pipeline.weekdays import (
    weekday_after,
    weekday_number,
    weekday_patterns,
    year_of_weekday,
)

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?$",
    re.I,
)
# ISO 8601's basic format, as iCalendar and some APIs write it: 20261126, 20261126T100000Z.
_BASIC = re.compile(
    r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(?:[.,]\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$",
    re.I,
)


# Four digits that may be a year under 100: a word of its own (not a zone, ``+0000``, nor
# a time).
_PADDED_YEAR = re.compile(r"\s(00\d\d)(?![\d:])")
# A 12-hour clock in an RFC 822 date ("2:00 PM"), which the email parser reads as 02:00.
_TWELVE_HOUR = re.compile(
    r"(?<![\d:])(\d{1,2})(:\d{2}(?::\d{2})?)\s*([AaPp])\.?[Mm]\.?(?![A-Za-z])"
)


# A time and the end of its range, which the email parser drops with the zone after it.
_TIME_RANGE = re.compile(r"\d[:.]\d\d(?:\s*[ap]\.?m\.?)?" + RANGE_TO + r"\d", re.I)


def _twenty_four_hour(match: re.Match[str]) -> str:
    hour = int(match.group(1))
    if hour > 12:
        return match.group(0)
    hour = hour % 12 + (12 if match.group(3) in "Pp" else 0)
    return f"{hour:02d}{match.group(2)}"


def parse_date(text: str | None, tz: tzinfo = UTC) -> tuple[datetime, Precision] | None:
    """Parse a date or timestamp; None when the text is not a date we understand.

    Args:
        text: the raw value from the origin.
        tz: zone of timestamps that carry none.
    """
    if not text:
        return None
    value = text.strip()
    if value[:3].isalpha() and value[3:4] == " ":  # "Thu Nov 26 …", as scripts write it
        value = rfc822.in_rfc822_order(value)
    if value.endswith("]"):  # 2026-11-26T10:00+09:00[Asia/Tokyo] (RFC 9557, Java's)
        value, tz = rfc822.without_zone_suffix(value, tz)
    elif "/" in value:  # Sat, 18 Mar 2023 20:21:00 America/Los_Angeles
        value, tz = rfc822.without_zone_name(value, tz)
    if "m" in value or "M" in value:  # RFC 822 has no 12-hour clock, but feeds write one
        value = _TWELVE_HOUR.sub(_twenty_four_hour, value)
    if value[-3:-2] == " " and value[-2:] in SEASONLESS:  # "… 16:31:00 ET": no season
        value, tz = value[:-3], ZoneInfo(SEASONLESS[value[-2:]])
    elif value[-1:].isalpha() or value.endswith(")"):  # a zone name may end it: JST, (JST)
        value = rfc822.as_offset(value, tz)
    if "GMT" in value or "UTC" in value:  # GMT+7, which the email parser reads as GMT
        value = rfc822.with_gmt_offset(value)
    partial = _PARTIAL.match(value)
    if partial:
        year, month, day = partial.groups()
        try:
            when = datetime(int(year), int(month or 1), int(day or 1), tzinfo=UTC)
        except ValueError:
            return None
        precision: Precision = "day" if day else "month" if month else "year"
        return when, precision
    iso = _ISO.match(value) or (_BASIC.match(value) if value[:8].isdigit() else None)
    if iso:
        y, mo, d, h, mi, s, zone = iso.groups()
        if h is None:  # 20261126: a day
            try:
                return datetime(int(y), int(mo), int(d), tzinfo=UTC), "day"
            except ValueError:
                return None
        try:
            naive = _clock_time(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
        except (ValueError, OverflowError):
            return None
        if zone is None:
            return utc_timestamp(naive.replace(tzinfo=tz))
        if zone.upper() == "Z":
            return naive.replace(tzinfo=UTC), "datetime"
        # "+09" is a whole-hour offset; one no zone has ("+25:00", "-99:99") makes no time
        # (it failed the whole feed: datetime refuses an offset of a day or more)
        offset = utc_offset(zone[0], zone[1:3], zone[-2:] if len(zone) > 3 else None)
        return None if offset is None else utc_timestamp(naive.replace(tzinfo=timezone(offset)))
    value = rfc822.with_rfc822_offset(value)  # +09:00 and +07 as the email parser reads them
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    year = _padded_year(value) if _PADDED_YEAR.search(value) else None
    if year is not None:
        try:
            parsed = parsed.replace(year=year)
        except ValueError:  # the year 0
            return None
    if parsed.tzinfo is None:
        # The email parser reads five words and drops the rest: after a time, the end of a
        # range and its zone (10:00 – 12:00 (GMT+7)), which the reading of text takes.
        found = first_date(normalise_japanese(value), tz) if _TIME_RANGE.search(value) else None
        if found is not None and found.precision == "datetime":
            return found.when, "datetime"
        parsed = parsed.replace(tzinfo=tz)
    return utc_timestamp(parsed)


def _clock_time(year: int, month: int, day: int, hour: int, minute: int, second: int) -> datetime:
    """A naive time of day; 24:00:00, which ISO 8601 allows for the end of a day (an
    event that ends at midnight), is 00:00 of the next (it made the date unreadable)."""
    if (hour, minute, second) == (24, 0, 0):
        return datetime(year, month, day) + timedelta(days=1)
    return datetime(year, month, day, hour, minute, second)


def _padded_year(value: str) -> int | None:
    """The year of an RFC 822 date written with four digits under 100 (Go's zero time,
    ``Mon, 01 Jan 0001 00:00:00 +0000``, as Hugo writes it for an undated page), which
    the email parser reads as two (2001); None when its year is not so written. The
    parser's year is the token that, spoiled, spoils the date (a zone without its sign,
    ``0030``, is no year)."""
    for found in _PADDED_YEAR.finditer(value):
        if parsedate_tz(f"{value[: found.end()]}x{value[found.end() :]}") is None:
            return int(found.group(1))
    return None


def utc_timestamp(when: datetime) -> tuple[datetime, Precision] | None:
    """An aware timestamp in UTC, or None when UTC cannot hold it: 9999-12-31T23:00-12:00
    (a "never expires" placeholder in a zone behind UTC) is in the year 10000, and the
    OverflowError failed the whole source."""
    try:
        return when.astimezone(UTC), "datetime"
    except OverflowError:
        return None


# -- Japanese dates -------------------------------------------------------------------

# Era name or initial → the Gregorian year before the era's first year.
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "R": 2018, "H": 1988, "S": 1925}
_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                 "七": 7, "八": 8, "九": 9}  # fmt: skip
# 二十六 (tens with 十), or digit by digit (二〇二六); a run such as 十十 reads as two numbers.
_KANJI_NUMBER = re.compile(
    r"[一二三四五六七八九]?十[一二三四五六七八九]?|[〇零一二三四五六七八九]{1,18}"
)
_JA_PATTERNS = (
    # 令和8年11月26日, 令和8年11月, 令和8年; not 令和8年度, a fiscal year (April to March),
    # which names what a notice is about, not when it was written (as 2026年度 is no date)
    re.compile(
        r"(令和|平成|昭和)\s*(\d{1,2})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?|(?!\s*度))"
    ),
    # R8.11.26, H30.4.1, R8年11月; 令和8.11.26 and 令和8/11/26 (the era's name, as tables
    # write it with the initial's dots), 令和元.5.1
    re.compile(
        r"(?=[RHS令平昭])(?<![A-Za-z])([RHS]|令和|平成|昭和)\s*(\d{1,2}|元)\s*[.年/]"
        r"\s*(\d{1,2})(?:\s*[.月/]\s*(\d{1,2}))?"
    ),
    # 2026年11月26日, 2026年11月, and in Korean 2026년 11월 26일
    re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월](?:\s*(\d{1,2})\s*[日일])?"),
    # 2026/11/26, 2026.11.26, 2026-11-26
    re.compile(r"(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})"),
)
# An ISO 8601 timestamp inside text (a page's <time datetime>, an API's field read as text):
# with the "T" only, and zones no further than UTC-12 and UTC+14 are, so "2026-11-26 14:00-15:00"
# and "2026-11-26T14:00-15:00" stay time ranges, not times in a zone of -15:00.
_ISO_IN_TEXT = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
    r"(?:Z|[+-](?:0\d|1[0-4]):?[0-5]\d)?(?![\d:])",
    re.I,
)


def _kanji_to_int(text: str) -> int:
    if "十" not in text:
        return int("".join(str(_KANJI_DIGITS[ch]) for ch in text))
    tens, _, ones = text.partition("十")
    return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)


# A year written twice, in both calendars: 2026年（令和8年）, 令和8年（2026年）, 令和8（2026）年,
# 2026（令和8）年, as municipal pages date their notices (after NFKC: ASCII brackets).
_YEAR = r"(?:(?:令和|平成|昭和)\s*(?:\d{1,2}|元)|\d{4})"
_YEAR_TWICE = re.compile(rf"({_YEAR})\s*(年)?\s*\(\s*{_YEAR}\s*(?:年度?)?\s*\)\s*(年)?(?!度)")


def _first_year(match: re.Match[str]) -> str:
    return match.group(1) + "年" if match.group(2) or match.group(3) else match.group(0)


def normalise_japanese(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII), kanji numerals to digits, 元年 to 1年,
    and a year written in both calendars once (2026年（令和8年）11月 → 2026年11月)."""
    value = unicodedata.normalize("NFKC", text)
    value = _KANJI_NUMBER.sub(lambda m: str(_kanji_to_int(m.group(0))), value)
    if "(" in value:
        value = _YEAR_TWICE.sub(_first_year, value)
    return value.replace("元年", "1年")


@dataclass(frozen=True, slots=True)
class Found:
    """A date found in text: where it starts (at its time, when one comes before it) and
    ends (after its time, when one follows), the moment (UTC) and precision, and the
    calendar day it names; ``closes``, the end of a time range written before the date
    (``8h00 - 11h30, ngày 26/11/2026``) or by its label after it (``閉会16:00``)."""

    begin: int
    end: int
    when: datetime
    precision: Precision
    day: date
    closes: datetime | None = None


def find_date(
    text: str | None,
    tz: tzinfo = UTC,
    today: date | None = None,
    order: NumericOrder | None = None,
) -> tuple[datetime, Precision] | None:
    """Find the first date in free text: Japanese era dates (令和8年11月26日, 令和元年, R8.11.26,
    H30.4.1), 2026年11月26日 (2026년 11월 26일 in Korean), 2026/11/26 and 2026.11.26, with
    full-width or kanji digits, and dates with a month's name (November 26, 2026; 26
    November 2026; Nov. 26, 2026; 26-Nov-2026; November 2026; and as partner cities write
    them: ``locales.py``).

    A date without a year that names its weekday (``12月3日（木）``, ``Thursday, December 3``)
    is in the year near ``today`` (default: today in ``tz``) where that day is that
    weekday (see :func:`year_of_weekday`); without its weekday it is no date.

    With ``order`` (:func:`numeric_order` of the text's language), a date written in
    numbers day or month first (``26/11/2026``, ``26.11.2026``) is one too.

    A time right after the date (``13時30分``, ``(木曜日)午後1時``, ``, 10:00 a.m.``, ``lúc
    8h30``: :func:`read_time`) makes it a timestamp in ``tz``, or in the zone written after
    it or after the end of its range (``10:00 – 12:00 (GMT+7)``, ``pukul 09.00 - 12.00
    WIB``); so does a time written before the date (``8h00, ngày 26/11/2026``). Where two
    forms match, the one earlier in the text wins.
    """
    if not text:
        return None
    found = first_date(normalise_japanese(text), tz, today, order)
    return None if found is None else (found.when, found.precision)


# What a heading may say beside its date and still be a date heading: brackets (a weekday,
# 祝), weekday names, and a few words (更新, posted) of at most this many letters in all.
_HEADING_REST = 4
_BRACKETED = re.compile(r"[(\[【][^)\]】]*[)\]】]")


def date_heading(text: str, today: date | None = None, order: NumericOrder | None = None) -> bool:
    """Whether a heading is the date of what follows it: it names a day (``2026年11月26日
    （木）``, ``Thursday, 26 November 2026``, ``令和8年11月26日 掲載分``) and next to nothing
    else. A section's name with a date in it (``令和8年度の取り組み``, ``2026年11月の研修``)
    is not one. ``order``: how the page writes a date in numbers (``26/11/2026``)."""
    value = normalise_japanese(text)
    found = first_date(value, UTC, today, order)
    if found is None or found.precision not in ("day", "datetime"):
        return False
    rest = _BRACKETED.sub("", value[: found.begin] + " " + value[found.end :])
    rest = weekday_word().sub("", rest)
    letters = [c for c in rest if unicodedata.category(c)[0] in "LN"]
    return len(letters) <= _HEADING_REST


def first_date(
    value: str, tz: tzinfo = UTC, today: date | None = None, order: NumericOrder | None = None
) -> Found | None:
    """The earliest date in ``value`` (text already through ``normalise_japanese``), as
    ``find_date`` reads it, with where it was found."""
    best: Found | None = None
    match = NUMERIC.search(value)
    numeric = None
    if match is not None:
        numeric = numeric_day(match, value, order)
    if match and numeric:
        best = _build(match, numeric, value, tz)
    for pattern in _JA_PATTERNS:
        match = pattern.search(value)
        if not match or (best is not None and match.start() >= best.begin):
            continue
        groups = match.groups()
        if groups[0] in _ERAS:
            era_year = 1 if groups[1] == "元" else int(groups[1])
            year, month, day = _ERAS[groups[0]] + era_year, groups[2], groups[3]
        else:
            year, month, day = int(groups[0]), groups[1], groups[2]
        era_day = (year, int(month) if month else None, int(day) if day else None)
        best = _build(match, era_day, value, tz) or best
    for pattern, read in month_patterns(value):
        match = pattern.search(value)
        if not match or (best is not None and match.start() >= best.begin):
            continue
        found = read(match)
        best = (found and _build(match, found, value, tz)) or best
    for pattern, named in weekday_patterns(value):
        match = pattern.search(value)
        if not match or (best is not None and match.start() >= best.begin):
            continue
        parts = dict(zip(named, match.groups(), strict=True))
        month_of = int(parts["m"]) if parts["m"].isdigit() else month_number(parts["m"])
        weekday = weekday_number(parts["w"])
        if weekday < 0:  # "Sunny Dec 3", "Monsoon September 5"
            continue
        on = year_of_weekday(month_of, int(parts["d"]), weekday, today or datetime.now(tz).date())
        if on is not None:
            best = _build(match, (on, month_of, int(parts["d"])), value, tz) or best
    return best


def order_told(texts: Iterable[str]) -> NumericOrder | None:
    """The order a list's own dates in numbers show, where one of them reads as a day one
    way only (``26/11/2026``; ``Thu, 11/05/2026``, by its weekday) and none the other way
    only: a list writes its dates one way. None where none tells, or they disagree."""
    told: set[NumericOrder] = set()
    for text in texts:
        value = normalise_japanese(text)
        for match in NUMERIC.finditer(value):
            fits = fitting(match, value)
            if len(fits) == 1:
                told |= fits
    return told.pop() if len(told) == 1 else None


def _build(
    match: re.Match[str],
    named: tuple[int, int | None, int | None],
    value: str,
    tz: tzinfo,
) -> Found | None:
    begin, end = match.span()
    year, month, day = named
    if month == 0 and day:  # 2014-00-29: a day of no month is no date
        return None
    try:
        when = datetime(year, month or 1, day or 1, tzinfo=UTC)
    except ValueError:
        return None
    if not month:
        return Found(begin, end, when, "year", when.date())
    if not day:
        return Found(begin, end, when, "month", when.date())
    iso = _ISO_IN_TEXT.match(value, begin)
    stamp = parse_date(iso.group(0), tz) if iso else None
    if iso and stamp:
        return Found(begin, iso.end(), stamp[0], "datetime", when.date())
    programme = programme_times(value, end, when.date(), tz)
    if programme is not None:  # 受付13:00 開会13:30 閉会16:00: from the start to the end
        return Found(begin, programme[2], programme[0], "datetime", when.date(), programme[1])
    at = end  # where the time starts: after a weekday written after the date, if any
    timed = read_time(value[end:])
    if timed is None:
        weekday = weekday_after().match(value, end)
        if weekday is not None and (timed := read_time(value[weekday.end() :])):
            at = weekday.end()
    if timed:
        hour, minute, taken = timed
        opening = value[at : at + taken]
        second, zone, taken = after_time(value, at + taken, tz)
        closing = range_end(value, taken)
        if closing is not None:
            text, closes, stop = closing
            hour, minute = in_afternoon(opening, text, (hour, minute), closes)
            if zone is tz:  # 10:00 – 12:00 (GMT+7): the zone after the range is the start's
                zone = after_time(value, stop, tz)[1]
        try:
            moment = datetime(year, month, day, hour, minute, second, tzinfo=zone)
        except ValueError:
            return None
        stamp = utc_timestamp(moment)
        if stamp is None:
            return None
        return Found(begin, taken, stamp[0], "datetime", when.date())
    before = time_before().search(value, max(0, begin - TIME_BEFORE_REACH), begin)
    if before is not None:
        return _timed_before(before, when.date(), end, tz)
    return Found(begin, end, when, "day", when.date())


def _timed_before(found: re.Match[str], day: date, end: int, tz: tzinfo) -> Found:
    """The date ``day`` at the time written before it (``found``), and the end of its
    range when one is written; the day alone when the clock is none."""
    groups = found.groups()
    opens, closes = clock_of(groups[:5]), clock_of(groups[5:])
    midnight = datetime.combine(day, time(), UTC)
    if opens is None:
        return Found(found.end(), end, midnight, "day", day)
    start = datetime.combine(day, time(*opens), tz).astimezone(UTC)
    finish = datetime.combine(day, time(*closes), tz).astimezone(UTC) if closes else None
    return Found(found.start(), end, start, "datetime", day, finish)
