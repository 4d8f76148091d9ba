"""When an event happens, read from the text a page gives it: a start, and an end when
the text has one.

    令和8年11月26日(木曜日)～27日(金曜日)          26 and 27 November 2026, all day
    2026年11月26日(木)・27日(金) 10:00～16:00      from 10:00 on the 26th to 16:00 on the 27th
    2026年11月26日(木曜日)午後1時30分～3時          13:30 to 15:00 in the source's zone
    令和5年12月1日(金曜日)11:00~                    from 11:00, end not given
    2026年12月25日～2027年1月5日                     across the new year, all day
    26–27 November 2026, November 26–27, 2026       two days
    26 November – 2 December 2026                   a week
    November 26, 2026, 10:00 a.m. – 12:00 p.m.      two hours
    2026年11月26日 午前10時～正午                     10:00 to 12:00
    2026年11月26日 18時～翌1時                         18:00 to 1:00 the next day
    2026年11月26日 23:00～24:30, 11:00 PM – 12:30 AM  23:00 to 0:30 the next day
    2026-11-26T14:00+09:00/2026-11-26T16:00+09:00    an ISO 8601 interval, zones as written
    26-27 พ.ย. 2569 เวลา 9.00 - 16.00 น.             two days, 9:00 to 16:00 (Thai)

An all-day period starts at midnight UTC of its first day, as a day-precision date
does, and ends at midnight UTC after its last day (the end is exclusive, as in
iCalendar). A date without a day (``2026年12月``) is no period: no calendar can place it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache

from tdlc_syndication.pipeline.clock import RANGE_TO, after_time, in_afternoon, read_end, read_time
from tdlc_syndication.pipeline.dates import (
    Found,
    first_date,
    normalise_japanese,
    parse_date,
    utc_timestamp,
)
from tdlc_syndication.pipeline.locales import MONTH_NAME, NumericOrder, month_number
from tdlc_syndication.pipeline.model import EventStatus, Precision
from tdlc_syndication.pipeline.strftime import strptime_in

Clock = tuple[int, int]  # an hour and a minute

_ORDINAL = r"(?:st|nd|rd|th)?"
_SEPARATOR = re.compile(rf"^(?:\s*[(][^)]{{1,8}}[)])?{RANGE_TO}", re.I)
# An ISO 8601 interval: 2026-11-26T14:00+09:00/2026-11-26T16:00+09:00.
_INTERVAL = re.compile(r"^/(?=\d{4}-\d{2}-\d{2})")
# An end on the day after the start: 18時～翌1時, 22:00～翌日2:00.
_NEXT_DAY = re.compile(r"^翌日?")
# English day ranges that no single date covers: 26–27 November 2026, November 26–27, 2026,
# 26 November – 2 December 2026, November 26 – December 2, 2026 (order: d1 m1 d2 m2 y).
_D = rf"(\d{{1,2}}){_ORDINAL}"  # a day of the month, 26 or 26th
# A weekday before a day (Thursday 26 November – Friday 27 November 2026), or after it in
# brackets (November 26 (Thu) – 27 (Fri), 2026).
_WD = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\.?,?\s+)?"
_BR = r"(?:\s*[(（][^)）\d]{1,9}[)）])?"
# A day before its month: 26, 26th, 27 (Fri), the 26th of ("of" after an ordinal: "3 of
# May" is none).
_D_OF = rf"(?:the\s+)?(\d{{1,2}})(?:(?:st|nd|rd|th)\s+of|{_ORDINAL}{_BR})\s+"
_Y = r",?\s+(\d{4})"
_EN_RANGES = (
    (rf"(?<!\d){_D}{_BR}{RANGE_TO}{_WD}{_D_OF}{MONTH_NAME}{_Y}", "d1 d2 m2 y"),
    (rf"(?<![A-Za-z]){MONTH_NAME}\s+{_D}{_BR}{RANGE_TO}{_D}{_BR}{_Y}", "m1 d1 d2 y"),
    (rf"(?<!\d){_D_OF}{MONTH_NAME}{RANGE_TO}{_WD}{_D_OF}{MONTH_NAME}{_Y}", "d1 m1 d2 m2 y"),
    (
        rf"(?<![A-Za-z]){MONTH_NAME}\s+{_D}{_BR}{RANGE_TO}{_WD}{MONTH_NAME}\s+{_D}{_BR}{_Y}",
        "m1 d1 m2 d2 y",
    ),
)
# A range that writes its first day alone before the whole date of its last, as partner
# cities do in any language: 26-27 พฤศจิกายน 2569, ថ្ងៃទី២៦-២៧ ខែវិច្ឆិកា ឆ្នាំ២០២៦, 26-27 tháng 11
# năm 2026; the 1st to the 3rd of December 2026. Looked for in the few characters before a
# date that starts with its day.
_FIRST_DAY = re.compile(rf"(?<!\d)(\d{{1,2}}){_ORDINAL}{RANGE_TO}(?:the\s+)?$", re.I)
_FIRST_DAY_REACH = 16
_STARTS_WITH_DAY = re.compile(r"\d{1,2}(?!\d)")
# The end's day when it leaves out what the start says: 12月3日, 27日, December 2, 2 December,
# the 2nd of December.
# Two days joined by "and" (・, 、, 及び, and) after the first: 26日（木）・27日（金).
_AND_DAY = re.compile(r"^(?:\s*[(（][^)）]{1,8}[)）])?\s*(?:[・、,]|及び|および|and)\s*", re.I)
_END_WEEKDAY = re.compile(_WD, re.I)
_END_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")  # 12月3日, 12월 3일
_END_DAY = re.compile(r"^(\d{1,2})\s*[日일]")
# After a day written year first in numbers (2026/12/10, 2026.12.10), the end's month and
# day so (～12/11; ～12.11 after a whole day only: after a time, 12.30 is half past noon).
_END_NUMERIC = re.compile(r"^(\d{1,2})\s*([/.])\s*(\d{1,2})(?![\d/.:])")
_YEAR_FIRST = re.compile(r"\d{4}\s*[/.]")
_END_EN = (  # each compiled with re.I
    (rf"^{_WD}{MONTH_NAME}\s+{_D}(?![\d:])", "m d"),
    (rf"^{_WD}{_D_OF}{MONTH_NAME}", "d m"),
)
# A status written into a title or a date line: 【中止】, (延期), [Cancelled], Postponed:,
# also in partner cities' languages ([DIBATALKAN], (Annulé), Aplazado:, [ยกเลิก], (Hoãn)):
# an Indonesian city's cancelled workshop was published as going ahead.
_STATUS_WORDS: dict[str, EventStatus] = {
    **dict.fromkeys(
        ("中止", "取消", "cancelled", "canceled", "annulé", "annulée", "cancelado", "cancelada",
         "dibatalkan", "batal", "hủy", "huỷ", "đã hủy", "ยกเลิก", "취소", "отменено",
         "отменён", "ملغى", "ملغاة", "kanselado"),
        "cancelled",
    ),
    **dict.fromkeys(
        ("延期", "推迟", "postponed", "reporté", "reportée", "aplazado", "aplazada",
         "pospuesto", "adiado", "adiada", "ditunda", "hoãn", "tạm hoãn", "เลื่อน", "연기",
         "перенесено", "مؤجل", "ipinagpaliban"),
        "postponed",
    ),
}  # fmt: skip
_STATUS_WORD = "|".join(sorted(map(re.escape, _STATUS_WORDS), key=len, reverse=True))
_STATUS_MARK = re.compile(
    rf"[【\[(（〔]\s*({_STATUS_WORD})\s*[】\])）〕]|^\s*({_STATUS_WORD})\s*:",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Period:
    """When an event happens; ``end`` is exclusive and None when the text gives none."""

    start: datetime
    end: datetime | None
    all_day: bool


# The English ranges and ends name every month: they are compiled at their first use,
# so a run that reads no date (every source "not modified") pays nothing for them.
@cache
def _en_ranges() -> tuple[tuple[re.Pattern[str], list[str]], ...]:
    return tuple((re.compile(p, re.I), order.split()) for p, order in _EN_RANGES)


@cache
def _en_ends() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p, re.I), order) for p, order in _END_EN)


def find_period(
    text: str | None,
    tz: tzinfo = UTC,
    today: date | None = None,
    order: NumericOrder | None = None,
) -> Period | None:
    """The first period written in ``text``; times without a zone are in ``tz``; a start
    without a year, named with its weekday, is near ``today`` (see ``find_date``).

    None when the text names no day (no date, or only a month or a year), or one at the
    end of the calendar.
    """
    if not text:
        return None
    value = normalise_japanese(text)
    return _period_in(value, first_date(value, tz, today, order), tz, order)


def _period_in(
    value: str, single: Found | None, tz: tzinfo, order: NumericOrder | None
) -> Period | None:
    """The first period of ``value`` (normalised), whose first single date is ``single``."""
    try:
        for pattern, named in _en_ranges():
            match = pattern.search(value)
            if match and (single is None or match.start() <= single.begin):
                return _english_range(match, named, value, tz)
        if single is None or single.precision in ("month", "year"):
            return None
        return _days_to(single, value, tz, order) or _from(single, value, tz, order)
    except OverflowError:  # a period at the calendar's end (9999年12月31日～31日): no day after
        return None


def parse_any_date(
    text: str | None,
    tz: tzinfo = UTC,
    fmt: str = "auto",
    today: date | None = None,
    order: NumericOrder | None = None,
) -> tuple[datetime, Precision] | None:
    """The date a date line gives, as an item's: with an explicit strftime ``fmt``, the
    text (or the first place in it written so: :func:`strptime_in`); with ``auto``, ISO
    8601, RFC 822, then the first day of the period the text writes (``December 8–10,
    2026``, ``8–10 December 2026``, ``November 30 – December 2, 2026``: the first day, as
    for a single date), or else any date :func:`find_date` finds (a month, a year).
    ``today`` and ``order`` as there."""
    if not text:
        return None
    if fmt != "auto":
        parsed = strptime_in(text, fmt)
        if parsed is None:
            return None
        timed = any(code in fmt for code in ("%H", "%I", "%M"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=tz if timed else UTC)
        stamp = utc_timestamp(parsed)
        return None if stamp is None else (stamp[0], "datetime" if timed else "day")
    stamp = parse_date(text, tz)
    if stamp is not None:
        return stamp
    value = normalise_japanese(text)
    single = first_date(value, tz, today, order)  # read once, for the period and alone
    period = _period_in(value, single, tz, order)
    if period is not None:
        return period.start, "day" if period.all_day else "datetime"
    return None if single is None else (single.when, single.precision)


def day_end(day: date, all_day: bool, tz: tzinfo = UTC) -> datetime:
    """The exclusive end of an event whose last day is ``day``: midnight UTC after it for an
    all-day event, midnight after it in ``tz`` for a timed one."""
    after = day + timedelta(days=1)
    return _midnight(after) if all_day else _local(after, (0, 0), tz)


def status_named(word: str) -> EventStatus | None:
    """The status a word names in the languages marks are read in (``中止``, ``dibatalkan``,
    ``Annulé``), or None."""
    return _STATUS_WORDS.get(normalise_japanese(word).strip().lower())


def status_marked(*texts: str) -> EventStatus | None:
    """A cancellation or postponement marked in a title or a date line (【中止】,
    (延期), [Cancelled], "Postponed:"), else None."""
    for text in texts:
        match = _STATUS_MARK.search(normalise_japanese(text or ""))
        if match:
            return _STATUS_WORDS[(match.group(1) or match.group(2)).lower()]
    return None


def _from(start: Found, value: str, tz: tzinfo, order: NumericOrder | None = None) -> Period:
    """The period that starts at ``start``: what follows it may name its end."""
    all_day = start.precision == "day"
    after = value[start.end :]
    separator = _SEPARATOR.match(after) or _INTERVAL.match(after)
    if separator is None and all_day and (joined := _AND_DAY.match(after)):
        # 26日（木）・27日（金）: the next day too, so the days in between
        next_one, taken = _end_day(after[joined.end() :], start.day)
        if next_one == start.day + timedelta(days=1):
            hours = after[joined.end() + taken :]
            return _daily(start.day, next_one, hours, tz) or _period(
                start.when, day_end(next_one, True), True
            )
    if separator is None:  # an end only where a range was written before the date
        return _period(start.when, start.closes, all_day)
    rest = after[separator.end() :]
    whole = first_date(rest, tz, start.day, order)  # an end without a year: near the start
    end_day: date | None
    next_day = None if all_day else _NEXT_DAY.match(rest)
    # The end's whole date, perhaps after its weekday ("– Thu, Dec 3, 2026 12:00 PM")
    weekday = _END_WEEKDAY.match(rest)
    leads = weekday.end() if weekday else 0
    taken = 0  # the characters of the end's day, where it names one by its day alone
    if whole is not None and (whole.begin > leads or whole.precision not in ("day", "datetime")):
        whole = None  # a date further on, or a month: no end's whole date
    if whole is not None:
        end_day, timed = whole.day, whole.when if whole.precision == "datetime" else None
    elif next_day is not None:
        clock = read_time(rest[next_day.end() :])
        if clock is None:
            return _period(start.when, None, False)
        end_day = start.day + timedelta(days=1)
        timed = _local(end_day, clock, tz)
    else:
        year_first = _YEAR_FIRST.match(value, start.begin) is not None  # 2026/12/10～12/11
        end_day, taken = _end_day(rest, start.day, ("/." if all_day else "/") * year_first)
        clock = read_end(rest[taken:])
        if end_day is None and (all_day or clock is None):
            return _period(start.when, None, all_day)
        end_day = end_day or start.day  # only a time: the start's day
        zone = after_time(rest, taken + clock[2], tz)[1] if clock else tz  # 12:00 (GMT+7)
        timed = _local(end_day, clock, zone) if clock else None
        if timed is not None and clock is not None and timed <= start.when:
            timed = _later_end(start.when, end_day, clock[:2], zone, taken > 0) or timed
    if all_day:
        # each day's hours after the last day (～27日（金） 10:00～16:00): from the first
        # day's opening to the last day's closing
        if whole is not None and whole.precision == "datetime":  # ～12月11日（金） 10:00～16:00
            opening = whole.when - (whole.day - start.day)  # the first day, at that time
            return _closing(opening, whole.day, rest[whole.end :], tz) or _period(
                start.when, day_end(end_day, True), True
            )
        if end_day is not None and taken:
            return _daily(start.day, end_day, rest[taken:], tz) or _period(
                start.when, day_end(end_day, True), True
            )
        return _period(start.when, day_end(end_day, True), True)
    return _period(start.when, timed or day_end(end_day, False, tz), False)


_NIGHT = timedelta(hours=12)  # the longest an end on the next day is taken to mean


def _later_end(
    opens: datetime, day: date, clock: Clock, tz: tzinfo, day_written: bool
) -> datetime | None:
    """The end of a range written at a time before its start: in the afternoon (午後1時～3時
    is 15:00), else, unless the end's day was written, past midnight (``11:00 PM – 12:30
    AM``, ``22:00～1:00``) where that makes a night, not a day and more, of it."""
    if clock[0] < 12:
        later = _local(day, (clock[0] + 12, clock[1]), tz)
        if later > opens:
            return later
    if day_written:
        return None
    after = _local(day + timedelta(days=1), clock, tz)
    return after if after - opens <= _NIGHT else None


def _days_to(
    last: Found, value: str, tz: tzinfo, order: NumericOrder | None = None
) -> Period | None:
    """The period from a day written alone before ``last`` (``26-``) to the end of ``last``'s
    day, at ``last``'s hours; None when no such day comes before it."""
    day = _STARTS_WITH_DAY.match(value, last.begin)
    if day is None or int(day.group(0)) != last.day.day:
        return None
    first = _FIRST_DAY.search(value, max(0, last.begin - _FIRST_DAY_REACH), last.begin)
    if first is None or not 0 < int(first.group(1)) < last.day.day:
        return None
    first_day = last.day.replace(day=int(first.group(1)))
    on_last = _from(last, value, tz, order)  # its own hours: 9.00 - 16.00 น. each day
    if last.precision == "day":
        return _period(_midnight(first_day), on_last.end or day_end(last.day, True), True)
    opens = last.when.astimezone(tz)
    end = on_last.end or day_end(last.day, False, tz)
    return _period(_local(first_day, (opens.hour, opens.minute), tz), end, False)


def _end_day(rest: str, start: date, numeric: str = "") -> tuple[date | None, int]:
    """The day an end names by its month and day, or by its day alone (the start's month),
    and the characters it took; None and 0 when it names none. ``numeric``: the marks
    that may part a month and day written in numbers (``/``, ``/.``), as after a start
    written year first so."""
    match = _END_MONTH_DAY.match(rest)
    if match:
        return _after(start, int(match.group(1)), int(match.group(2))), match.end()
    match = _END_NUMERIC.match(rest) if numeric else None
    if match and match.group(2) in numeric:
        return _after(start, int(match.group(1)), int(match.group(3))), match.end()
    match = _END_DAY.match(rest)
    if match:
        return _day_after(start, int(match.group(1))), match.end()
    for pattern, order in _en_ends():
        found = pattern.match(rest)
        if found:
            parts = dict(zip(order.split(), found.groups(), strict=True))
            month = month_number(parts["m"])
            return _after(start, month, int(parts["d"])), found.end()
    return None, 0


def _after(start: date, month: int, day: int) -> date | None:
    """The first ``month``/``day`` on or after ``start`` (its year, or the next)."""
    return _first_from(start, ((start.year, month), (start.year + 1, month)), day)


def _day_after(start: date, day: int) -> date | None:
    """The first ``day`` of a month on or after ``start`` (30日～2日: the next month's)."""
    following = start.replace(day=1) + timedelta(days=32)
    return _first_from(start, ((start.year, start.month), (following.year, following.month)), day)


def _first_from(start: date, months: tuple[tuple[int, int], ...], day: int) -> date | None:
    """The first of ``day`` in ``months`` (year, month) that exists and is not before
    ``start``."""
    for year, month in months:
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found >= start:
            return found
    return None


def _english_range(match: re.Match[str], order: list[str], value: str, tz: tzinfo) -> Period | None:
    parts = dict(zip(order, match.groups(), strict=True))
    year = int(parts["y"])
    last_month = month_number(parts.get("m2") or parts["m1"])
    first_month = month_number(parts.get("m1") or parts["m2"])
    try:
        last = date(year, last_month, int(parts["d2"]))
        first = date(year - (first_month > last_month), first_month, int(parts["d1"]))
    except ValueError:
        return None
    hours = _hours(value[match.end() :], tz)
    if hours is None:
        return _period(_midnight(first), day_end(last, True), True)
    opens, zone, closes, closing = hours
    if closes is None:
        return _period(_local(first, opens, zone), day_end(last, False, tz), False)
    return _period(_local(first, opens, zone), _local(last, closes, closing), False)


# Before the hours that each day of a range keeps: "until" and "each day" (～27日（金）まで
# 各日10時～16時, "26–27 November, daily 9:00–17:00").
_EACH_DAY = re.compile(
    r"^\s*(?:[(][^)\d]{1,8}[)])?\s*(?:まで)?[\s,、]*(?:[(]\s*)?"
    r"(?:各日|毎日|each\s+day|daily)?",
    re.I,
)


def _hours(rest: str, tz: tzinfo) -> tuple[Clock, tzinfo, Clock | None, tzinfo] | None:
    """The hours written at the start of ``rest`` (``10:00 – 12:00 (GMT+7)``, ``1:30 – 3:00
    PM``, ``各日10時～16時``, ``daily 9:00-17:00``): the opening time and its zone, and the
    closing time and its zone (None when no range is written); None when no time is."""
    each_day = _EACH_DAY.match(rest)
    rest = rest[each_day.end() :] if each_day else rest
    opens = read_time(rest)
    if opens is None:
        return None
    _, zone, at = after_time(rest, opens[2], tz)
    end = _range_end(rest, at, zone)
    if end is None:
        return opens[:2], zone, None, zone
    closes, closing, written = end
    zone = closing if zone is tz else zone  # 9:00 – 17:00 (GMT+7): both are in it
    start = in_afternoon(rest[: opens[2]], written, opens[:2], closes)
    return start, zone, closes, closing


def _range_end(text: str, at: int, tz: tzinfo) -> tuple[Clock, tzinfo, str] | None:
    """The closing time a range's mark writes at ``at`` (``～16:00``, `` – 5:00 PM (GMT+7)``):
    its hour and minute, its zone (``tz`` when it names none) and its text; None without
    one."""
    separator = _SEPARATOR.match(text[at:])
    closes = read_end(text[at + separator.end() :]) if separator else None
    if separator is None or closes is None:
        return None
    starts = at + separator.end()
    ends = starts + closes[2]
    return closes[:2], after_time(text, ends, tz)[1], text[starts:ends]


def _daily(first: date, last: date, text: str, tz: tzinfo) -> Period | None:
    """The period from ``first`` to ``last`` at the hours ``text`` starts with, each day's
    (``10:00～16:00``): from the first day's opening to the last day's closing; None
    without a range of hours there."""
    hours = _hours(text, tz)
    if hours is None:
        return None
    opens, zone, closes, closing = hours
    if closes is None:
        return None
    return _period(_local(first, opens, zone), _local(last, closes, closing), False)


def _closing(opening: datetime, last: date, text: str, tz: tzinfo) -> Period | None:
    """The period from ``opening`` to ``last`` at the closing time ``text`` writes after a
    range's mark (``～16:00``); None without one."""
    end = _range_end(text, 0, tz)
    return None if end is None else _period(opening, _local(last, end[0], end[1]), False)


def _period(start: datetime, end: datetime | None, all_day: bool) -> Period:
    return Period(start, end if end is not None and end > start else None, all_day)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _local(day: date, hour_minute: tuple[int, ...], tz: tzinfo) -> datetime:
    hour, minute = hour_minute[0], hour_minute[1]
    if hour >= 24:  # 24:30: half past midnight, the next day
        day, hour = day + timedelta(days=hour // 24), hour % 24
    return datetime.combine(day, time(hour, minute), tz).astimezone(UTC)
