"""Event periods read from text: Japanese municipal pages and English event pages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tdlc_syndication.pipeline.clock import read_time
from tdlc_syndication.pipeline.dates import find_date
from tdlc_syndication.pipeline.locales import numeric_order
from tdlc_syndication.pipeline.periods import (
    Period,
    find_period,
    parse_any_date,
    status_marked,
)
from tdlc_syndication.sources.common import event_status

TOKYO = ZoneInfo("Asia/Tokyo")


def _jst(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TOKYO).astimezone(UTC)


def _day(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "language", "start", "end"),
    [
        ("26/11/2026 09:00-16:00", "id", _jst(2026, 11, 26, 9), _jst(2026, 11, 26, 16)),
        ("11/26/2026 9:00 a.m. - 4:00 p.m.", "en-US", _jst(2026, 11, 26, 9),
         _jst(2026, 11, 26, 16)),
        ("26.11.2026 - 27.11.2026", "ru", _day(2026, 11, 26), _day(2026, 11, 28)),
        ("26/11/2569 เวลา 9.00 - 16.00 น.", "th", _jst(2026, 11, 26, 9), _jst(2026, 11, 26, 16)),
    ],
)  # fmt: skip
def test_numeric_periods_in_the_pages_language(
    text: str, language: str, start: datetime, end: datetime
) -> None:
    """An event line written in numbers is read in the order its page's language writes
    them (and is no period where the language cannot tell)."""
    period = find_period(text, TOKYO, order=numeric_order(language))
    assert period is not None
    assert (period.start, period.end) == (start, end)
    assert find_period(text, TOKYO) is None


@pytest.mark.parametrize(
    ("text", "start", "end", "all_day"),
    [
        # The row of source-formats.md: two days, written the way Toyama writes them.
        ("令和8年11月26日(木曜日)～27日(金曜日)", _day(2026, 11, 26), _day(2026, 11, 28), True),
        ("２０２６年１１月２６日（木曜日）１３時３０分～１５時", _jst(2026, 11, 26, 13, 30),
         _jst(2026, 11, 26, 15), False),
        ("2026年11月26日(木曜日)午後1時30分～3時", _jst(2026, 11, 26, 13, 30),
         _jst(2026, 11, 26, 15), False),
        ("2026年11月26日(木曜日)午後1時30分〜午後3時", _jst(2026, 11, 26, 13, 30),
         _jst(2026, 11, 26, 15), False),
        ("2026年11月26日 13時半から15時まで", _jst(2026, 11, 26, 13, 30),
         _jst(2026, 11, 26, 15), False),
        # The Events Calendar's line and Drupal's long date: they were whole days.
        ("November 26, 2026 @ 9:00 am - November 27, 2026 @ 5:00 pm",
         _jst(2026, 11, 26, 9), _jst(2026, 11, 27, 17), False),
        ("Thursday, November 26, 2026 - 10:00 to 12:00", _jst(2026, 11, 26, 10),
         _jst(2026, 11, 26, 12), False),
        ("令和5年12月1日(金曜日)11:00~", _jst(2023, 12, 1, 11), None, False),
        ("開催日：令和八年十二月三日（木曜日）", _day(2026, 12, 3), None, True),
        ("2026年12月25日～2027年1月5日", _day(2026, 12, 25), _day(2027, 1, 6), True),
        ("2026年11月30日～12月2日", _day(2026, 11, 30), _day(2026, 12, 3), True),
        ("2026年1月30日～2日", _day(2026, 1, 30), _day(2026, 2, 3), True),
        ("2026年12月3日(木) 10:00～12月4日(金) 16:00", _jst(2026, 12, 3, 10),
         _jst(2026, 12, 4, 16), False),
        ("2026/11/26 10:00-12:00", _jst(2026, 11, 26, 10), _jst(2026, 11, 26, 12), False),
        ("2026年11月26日～26日", _day(2026, 11, 26), _day(2026, 11, 27), True),
        # English, as worldbank.org and partners write event dates.
        ("26–27 November 2026", _day(2026, 11, 26), _day(2026, 11, 28), True),
        ("November 26–27, 2026", _day(2026, 11, 26), _day(2026, 11, 28), True),
        ("26 November – 2 December 2026", _day(2026, 11, 26), _day(2026, 12, 3), True),
        ("the 1st to the 3rd of December 2026", _day(2026, 12, 1), _day(2026, 12, 4), True),
        # Two days running, joined by "and" (・, 、, 及び): both; two days apart: the first.
        ("2026年11月26日（木）・27日（金）", _day(2026, 11, 26), _day(2026, 11, 28), True),
        ("2026年11月30日（月）、12月1日（火）", _day(2026, 11, 30), _day(2026, 12, 2), True),
        ("2026年11月26日（木曜日）及び27日（金曜日）", _day(2026, 11, 26), _day(2026, 11, 28),
         True),
        ("2026年11月26日（木）・28日（土）", _day(2026, 11, 26), None, True),
        # Weekdays with the days: before them, or after them in brackets.
        ("Thursday 26 November – Friday 27 November 2026", _day(2026, 11, 26),
         _day(2026, 11, 28), True),
        ("November 26 (Thu) - 27 (Fri), 2026", _day(2026, 11, 26), _day(2026, 11, 28), True),
        ("26 (Thu) - 27 (Fri) November 2026", _day(2026, 11, 26), _day(2026, 11, 28), True),
        ("November 30 (Mon) – December 2 (Wed), 2026", _day(2026, 11, 30), _day(2026, 12, 3),
         True),
        ("from the 1st of December to the 3rd of December 2026", _day(2026, 12, 1),
         _day(2026, 12, 4), True),
        ("26 November 2026 to the 2nd of December", _day(2026, 11, 26), _day(2026, 12, 3), True),
        ("the 26th of November 2026, 2 p.m.", _jst(2026, 11, 26, 14), None, False),
        ("December 30 – January 2, 2027", _day(2026, 12, 30), _day(2027, 1, 3), True),
        ("December 30, 2026 – January 2, 2027", _day(2026, 12, 30), _day(2027, 1, 3), True),
        ("November 26, 2026, 10:00 a.m. – 12:00 p.m.", _jst(2026, 11, 26, 10),
         _jst(2026, 11, 26, 12), False),
        ("Dec 3, 2026 from 1 p.m. to 3 p.m.", _jst(2026, 12, 3, 13), _jst(2026, 12, 3, 15), False),
        ("7-11 December 2026, 9:00-17:00", _jst(2026, 12, 7, 9), _jst(2026, 12, 11, 17), False),
        ("Date: November 26, 2026", _day(2026, 11, 26), None, True),
        # An end before the start is no end.
        ("2026年11月26日 15時～13時", _jst(2026, 11, 26, 15), None, False),
        ("2026年（令和8年）12月3日（木曜日）午後1時30分～3時", _jst(2026, 12, 3, 13, 30),
         _jst(2026, 12, 3, 15), False),
        # Noon (正午), and 午後0時 as 12 o'clock, as city pages write a morning session.
        ("令和8年11月26日（木曜日）午前10時～正午（受付9時30分～）", _jst(2026, 11, 26, 10),
         _jst(2026, 11, 26, 12), False),
        ("2026年11月26日 正午～午後1時", _jst(2026, 11, 26, 12), _jst(2026, 11, 26, 13), False),
        ("2026年11月26日 午前11時～午後0時30分", _jst(2026, 11, 26, 11),
         _jst(2026, 11, 26, 12, 30), False),
        ("November 26, 2026, 10 a.m. – noon", _jst(2026, 11, 26, 10), _jst(2026, 11, 26, 12),
         False),
        # An end on the next day (翌), and 翌日 without a time: no end.
        ("2026年11月26日 18時～翌1時", _jst(2026, 11, 26, 18), _jst(2026, 11, 27, 1), False),
        ("2026年11月26日 22:00～翌日2:00", _jst(2026, 11, 26, 22), _jst(2026, 11, 27, 2), False),
        ("2026年11月26日 22:00～翌日", _jst(2026, 11, 26, 22), None, False),
        # ISO 8601 as a <time datetime> gives it (event_selector = ".when@datetime"): the
        # time and zone as written, and intervals.
        ("2026-11-26T14:00:00+09:00", _jst(2026, 11, 26, 14), None, False),
        ("2026-11-26T05:00Z", _jst(2026, 11, 26, 14), None, False),
        ("2026-11-26T14:00", _jst(2026, 11, 26, 14), None, False),
        ("2026-11-26T14:00+09:00/2026-11-26T16:00+09:00", _jst(2026, 11, 26, 14),
         _jst(2026, 11, 26, 16), False),
        ("2026-11-26/2026-11-28", _day(2026, 11, 26), _day(2026, 11, 29), True),
        # "-15:00" is no zone (none is past UTC-12): a time range.
        ("2026-11-26T14:00-15:00", _jst(2026, 11, 26, 14), _jst(2026, 11, 26, 15), False),
        # Partner cities write a range's first day alone before the whole date of its last.
        ("26-27 พฤศจิกายน 2569", _day(2026, 11, 26), _day(2026, 11, 28), True),
        ("วันที่ 26-27 พ.ย. 2569 เวลา 9.00 - 16.00 น.", _jst(2026, 11, 26, 9),
         _jst(2026, 11, 27, 16), False),
        ("ថ្ងៃទី២៦-២៧ ខែវិច្ឆិកា ឆ្នាំ២០២៦", _day(2026, 11, 26), _day(2026, 11, 28), True),
        ("26-27 tháng 11 năm 2026", _day(2026, 11, 26), _day(2026, 11, 28), True),
        ("วันพฤหัสบดีที่ 26 พ.ย. 69 เวลา 13.30 - 16.30 น.", _jst(2026, 11, 26, 13, 30),
         _jst(2026, 11, 26, 16, 30), False),
        # A number before a date is no first day when it is not before the date's day.
        ("No. 28 - 27 tháng 11 năm 2026", _day(2026, 11, 27), None, True),
    ],
)  # fmt: skip
def test_periods(text: str, start: datetime, end: datetime | None, all_day: bool) -> None:
    period = find_period(text, TOKYO)
    assert period is not None
    assert (period.start, period.end, period.all_day) == (start, end, all_day)


@pytest.mark.parametrize(
    ("text", "end"),
    [
        # Japanese writes a night's end on from the day before (a 30-hour clock)
        ("12月9日(水) 23:00～24:30 (日本時間)", _jst(2026, 12, 10, 0, 30)),
        ("2026年12月9日 18:00～24:00", _jst(2026, 12, 10)),
        ("2026年12月9日 22時～25時", _jst(2026, 12, 10, 1)),
        # an end before its start on the clock is the next day's: a webinar across
        # Washington's morning and Tokyo's night, an evening event
        ("December 9, 2026 11:00 PM – 12:30 AM JST", _jst(2026, 12, 10, 0, 30)),
        ("December 9, 2026 10 p.m. - 1 a.m.", _jst(2026, 12, 10, 1)),
        ("December 9, 2026, 10:00 pm – midnight", _jst(2026, 12, 10)),
        ("December 9, 2026, 9 p.m. to 12:00 midnight", _jst(2026, 12, 10)),
        ("December 9, 2026, 8:00 PM - 12:00 MN", _jst(2026, 12, 10)),
        ("2026年12月9日 22:00～1:00", _jst(2026, 12, 10, 1)),
        ("2026年12月9日 21:00～9:00", _jst(2026, 12, 10, 9)),
        # still: the afternoon where that comes after the start, and no end that makes a
        # day and more of it, or past a 30-hour clock's last minute
        ("2026年12月9日午後1時～3時", _jst(2026, 12, 9, 15)),
        ("2026年12月9日 14:00～13:00", None),
        ("2026年12月9日 23:00～30:00", None),
    ],
)  # fmt: skip
def test_a_range_that_ends_past_midnight(text: str, end: datetime | None) -> None:
    """A range whose end is written past midnight (``23:00～24:30``) or before its start
    on the clock (``11:00 PM – 12:30 AM``) ends the next day: such an event had no end."""
    period = find_period(text, TOKYO)
    assert period is not None
    assert (period.end, period.all_day) == (end, False)


@pytest.mark.parametrize(
    "text",
    [
        "2026年12月10日(木)・11日(金) 10:00～16:00",
        "2026年12月10日（木）～11日（金） 10:00～16:00",
        "2026年12月10日（木）～11日（金）　各日10時～16時",
        "2026年12月10日（木）～11日（金）（10時～16時）",
        "令和8年12月10日（木曜日）から11日（金曜日）まで 午前10時～午後4時",
        "2026年12月10日（木）～12月11日（金） 10:00～16:00",
        "10-11 December 2026, daily 10:00-16:00",
        "December 10-11, 2026, 10:00 AM - 4:00 PM",  # (as before)
    ],
)
def test_days_with_their_hours(text: str) -> None:
    """Days written with each day's hours after the last (``12月10日（木）～11日（金）
    10:00～16:00``), as municipal pages list a two-day workshop: from the first day's
    opening to the last day's closing, as an English range's were. They were two whole
    days, the hours lost."""
    period = find_period(text, TOKYO)
    assert period == Period(_jst(2026, 12, 10, 10), _jst(2026, 12, 11, 16), False)


@pytest.mark.parametrize(
    ("text", "end"),
    [
        # a time alone after the last day is no range of hours: still whole days
        ("2026年12月10日（木）～11日（金） 10:00", _day(2026, 12, 12)),
        ("2026年12月10日（木）～12月11日（金） 10:00", _day(2026, 12, 12)),
        ("2026年12月10日(木)・11日(金)", _day(2026, 12, 12)),
    ],
)
def test_days_without_a_range_of_hours_stay_whole(text: str, end: datetime) -> None:
    period = find_period(text, TOKYO)
    assert period == Period(_day(2026, 12, 10), end, True)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # a programme's labelled times, as a symposium's or a seminar's page writes them:
        # the start is its opening, not the reception's or the doors' time
        ("2026年12月10日（木）受付13:00　開会13:30　閉会16:00", (13, 30), (16, 0)),
        ("2026年12月10日（木）開場 13:00 / 開演 13:30 / 終演 16:30", (13, 30), (16, 30)),
        ("2026年12月10日（木）開始14:00 終了15:30", (14, 0), (15, 30)),
        ("2026年12月10日（木）受付開始 9:30 開会 10:00", (10, 0), None),
        ("2026年12月10日（木）受付 9時30分", (9, 30), None),  # the doors alone: the start
        # (as before: a range, a time before its label, and a label with its colon)
        ("2026年12月10日（木）13:30～16:00（受付13:00～）", (13, 30), (16, 0)),
        ("2026年12月10日（木）13:30開演（13:00開場）", (13, 30), None),
        ("2026年12月10日（木）開会：13時30分", (13, 30), None),
        # "noon" after its hour: the range was lost with the word left over
        ("December 10, 2026, 12:00 noon – 2:00 pm", (12, 0), (14, 0)),
        ("December 10, 2026, 12:00 NN - 3:00 PM", (12, 0), (15, 0)),  # Philippine pages
        ("December 10, 2026, 9:00 AM - 12:00 NN", (9, 0), (12, 0)),
        # Eventbrite's and others' dot between the day and its hours
        ("December 10, 2026 · 7:30 PM – 9:00 PM JST", (19, 30), (21, 0)),
        ("Thursday, December 10 · 7:30 - 9pm JST", (19, 30), (21, 0)),
    ],
)
def test_a_days_times_as_programmes_and_ticketing_sites_write_them(
    text: str, start: tuple[int, int], end: tuple[int, int] | None
) -> None:
    """Labelled times without a colon (``受付13:00 開会13:30 閉会16:00``) and a dot before
    the hours (``December 10, 2026 · 7:30 PM``): the day was an all-day event."""
    period = find_period(text, TOKYO, today=date(2026, 12, 1))
    assert period is not None
    expected_end = None if end is None else _jst(2026, 12, 10, *end)
    assert (period.start, period.end, period.all_day) == (
        _jst(2026, 12, 10, *start),
        expected_end,
        False,
    )


@pytest.mark.parametrize("text", ["2026年12月10日（木）開会のあいさつ", "2026年12月10日（木）開催"])
def test_a_label_without_its_time_leaves_the_day_whole(text: str) -> None:
    period = find_period(text, TOKYO)
    assert period == Period(_day(2026, 12, 10), None, True)


@pytest.mark.parametrize(
    ("text", "language", "start", "end"),
    [
        ("10/12/2026 lúc 2 giờ chiều", "vi", (14, 0), None),
        ("10/12/2026 2:00 chiều", "vi", (14, 0), None),
        ("10/12/2026 lúc 8 giờ sáng", "vi", (8, 0), None),
        ("10/12/2026, 7 giờ tối", "vi", (19, 0), None),
        ("10/12/2026 12 giờ trưa", "vi", (12, 0), None),
        ("10/12/2026 từ 2 giờ đến 4 giờ chiều", "vi", (14, 0), (16, 0)),
        ("10 Desember 2026 pukul 7 malam", "id", (19, 0), None),
        ("10 Desember 2026 pukul 7 - 9 malam", "id", (19, 0), (21, 0)),
        ("10 Desember 2026 pukul 1 siang", "id", (13, 0), None),
        ("10 Desember 2026 jam 3 sore", "id", (15, 0), None),
        ("10 Desember 2026 pukul 9 pagi", "id", (9, 0), None),
        ("10 Disyembre 2026, 2:00 - 4:00 ng hapon", "fil", (14, 0), (16, 0)),
        ("10 Disyembre 2026, 9:00 ng umaga", "fil", (9, 0), None),
        # and before it, as Japanese, Chinese and Korean notices write the evening
        ("2026年12月10日（木）夜7時～9時", "ja", (19, 0), (21, 0)),
        ("2026年12月10日（木）朝9時～11時", "ja", (9, 0), (11, 0)),
        ("2026年12月10日 夕方6時～", "ja", (18, 0), None),
        ("2026年12月10日 晚上7点", "zh", (19, 0), None),
        ("2026년 12월 10일 저녁 7시", "ko", (19, 0), None),
    ],
)  # fmt: skip
def test_the_part_of_the_day_after_the_hour(
    text: str, language: str, start: tuple[int, int], end: tuple[int, int] | None
) -> None:
    """Vietnamese, Indonesian and Filipino name the part of the day after the hour (``2
    giờ chiều``, ``pukul 7 malam``, ``2:00 ng hapon``), Japanese, Chinese and Korean the
    evening before it (``夜7時``, ``晚上7点``, ``저녁 7시``): the afternoon's and the
    evening's times were read as the morning's, twelve hours early, or as no time."""
    period = find_period(text, TOKYO, order=numeric_order(language))
    assert period is not None
    expected_end = None if end is None else _jst(2026, 12, 10, *end)
    assert (period.start, period.end) == (_jst(2026, 12, 10, *start), expected_end)


@pytest.mark.parametrize(
    ("text", "start", "end", "all_day"),
    [
        # an end's month and day in numbers after a start written year first so
        ("2026/12/10～12/11", _day(2026, 12, 10), _day(2026, 12, 12), True),
        ("2026.12.10～12.11", _day(2026, 12, 10), _day(2026, 12, 12), True),
        ("2026.12.10～12.31", _day(2026, 12, 10), _day(2027, 1, 1), True),
        ("2026/12/10 10:00～12/11 16:00", _jst(2026, 12, 10, 10), _jst(2026, 12, 11, 16),
         False),
        # Korean's month and day (월, 일)
        ("2026년 12월 10일 ~ 11일", _day(2026, 12, 10), _day(2026, 12, 12), True),
        ("2026년 12월 10일(목) ~ 12월 11일(금)", _day(2026, 12, 10), _day(2026, 12, 12), True),
        ("2026.12.10(목) ~ 12.11(금)", _day(2026, 12, 10), _day(2026, 12, 12), True),
        # (after a time, a dotted pair is a time: half past noon)
        ("2026.12.10 10.00 ～ 12.30", _jst(2026, 12, 10, 10), _jst(2026, 12, 10, 12, 30),
         False),
    ],
)  # fmt: skip
def test_an_ends_day_in_numbers_or_in_korean(
    text: str, start: datetime, end: datetime, all_day: bool
) -> None:
    """An end written as the start's month and day in numbers (``2026/12/10～12/11``,
    ``2026.12.10～12.11``) or in Korean (``~ 11일``): the event had no end, one day."""
    assert find_period(text, TOKYO) == Period(start, end, all_day)


@pytest.mark.parametrize(
    ("text", "language", "start", "end"),
    [
        # Russian: the year's word after the date, "at", "from" and "to" (в, с, до)
        ("10 декабря 2026 г. с 10:00 до 12:00", "ru", (10, 0), (12, 0)),
        ("10 декабря 2026 года в 14:00", "ru", (14, 0), None),
        # Arabic: "at the hour" (الساعة), "from", "to", the morning and the evening after
        # the time (and their letters), the era after the year, Arabic's digits and comma
        ("10 ديسمبر 2026، الساعة 2:00 مساءً", "ar", (14, 0), None),
        ("10 ديسمبر 2026 م الساعة 10:00 صباحاً", "ar", (10, 0), None),
        ("10 ديسمبر 2026، من الساعة 10:00 ص إلى 12:00 م", "ar", (10, 0), (12, 0)),
        ("١٠ ديسمبر ٢٠٢٦ الساعة ٢:٠٠ م", "ar", (14, 0), None),
        # Hindi, Bengali, Burmese: the part of the day and the word for o'clock
        ("10 दिसंबर 2026, दोपहर 2 बजे", "hi", (14, 0), None),
        ("10 दिसंबर 2026 को सुबह 10:00 बजे", "hi", (10, 0), None),
        ("10 दिसंबर 2026, सुबह 10 बजे से दोपहर 1 बजे तक", "hi", (10, 0), (13, 0)),
        ("10 ডিসেম্বর ২০২৬, সকাল ১০টা থেকে দুপুর ১টা", "bn", (10, 0), (13, 0)),
        ("10 ডিসেম্বর ২০২৬, বিকাল ৩টায়", "bn", (15, 0), None),
        ("၁၀ ဒီဇင်ဘာ ၂၀၂၆ ညနေ ၂ နာရီ", "my", (14, 0), None),
    ],
)  # fmt: skip
def test_times_in_the_languages_whose_dates_are_read(
    text: str, language: str, start: tuple[int, int], end: tuple[int, int] | None
) -> None:
    """Russian, Arabic, Hindi, Bengali and Burmese event pages, whose dates were read, write
    the time with their own words (``г. с 10:00 до 12:00``, ``الساعة 2:00 مساءً``, ``दोपहर
    2 बजे``, ``বিকাল ৩টা``): the events were all-day."""
    period = find_period(text, TOKYO, order=numeric_order(language))
    assert period is not None
    expected_end = None if end is None else _jst(2026, 12, 10, *end)
    assert (period.start, period.end) == (_jst(2026, 12, 10, *start), expected_end)


def _utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "language", "start", "end"),
    [
        ("26 novembre 2026 de 10h à 12h", "fr", _jst(2026, 11, 26, 10), _jst(2026, 11, 26, 12)),
        # French typography parts the hour and its h with a (narrow) space.
        ("jeudi 26 novembre 2026 de 14 h à 16 h", "fr", _jst(2026, 11, 26, 14),
         _jst(2026, 11, 26, 16)),
        ("26 novembre 2026, 14\u202fh\u202f30 – 16\u202fh\u202f30", "fr",
         _jst(2026, 11, 26, 14, 30), _jst(2026, 11, 26, 16, 30)),
        ("26 November 2026, 5 hours of talks", "en", _day(2026, 11, 26), None),
        ("26 novembre 2026 à 9 h, salle 3", "fr", _jst(2026, 11, 26, 9), None),
        ("26 de noviembre de 2026, taller de 3 h", "es", _day(2026, 11, 26), None),  # long
        ("26/11/2026, das 9h às 12h", "pt", _jst(2026, 11, 26, 9), _jst(2026, 11, 26, 12)),
        ("26 de noviembre de 2026 de las 10:00 a las 12:00 h", "es", _jst(2026, 11, 26, 10),
         _jst(2026, 11, 26, 12)),
        ("26/11/2026, từ 8h00 đến 11h30", "vi", _jst(2026, 11, 26, 8),
         _jst(2026, 11, 26, 11, 30)),
        ("2026年11月26日 下午2点至4点", "zh", _jst(2026, 11, 26, 14), _jst(2026, 11, 26, 16)),
        ("2026년 11월 26일 오후 2시~4시", "ko", _jst(2026, 11, 26, 14), _jst(2026, 11, 26, 16)),
        # The zone after the end is the start's too: Jakarta, Makassar, an English page.
        ("Kamis, 26 November 2026 pukul 09.00 - 12.00 WIB", "id", _utc(26, 2), _utc(26, 5)),
        ("Kamis, 26 November 2026 pukul 09.00 s.d. 12.00 WIB", "id", _utc(26, 2), _utc(26, 5)),
        ("26/11/2026, 09.00 - 12.00 WITA", "id", _utc(26, 1), _utc(26, 4)),
        ("26 November 2026, 10:00 – 12:00 (GMT+7)", "en", _utc(26, 3), _utc(26, 5)),
        ("26-27 November 2026, 9:00 – 17:00 (GMT+7)", "en", _utc(26, 2), _utc(27, 10)),
        ("26 Nov 2026, 9:00 AM - 5:00 PM ICT", "en", _utc(26, 2), _utc(26, 10)),
        # The time on its own line, with its label, as event pages list them.
        ("Date: Thursday, 26 November 2026 Time: 10:00 AM – 12:00 PM", "en",
         _jst(2026, 11, 26, 10), _jst(2026, 11, 26, 12)),
        ("Date: 26 November 2026 | Time: 10:00 - 12:00", "en", _jst(2026, 11, 26, 10),
         _jst(2026, 11, 26, 12)),
        ("開催日：2026年11月26日（木） 開催時間：13:30～15:00", "ja", _jst(2026, 11, 26, 13, 30),
         _jst(2026, 11, 26, 15)),
        ("Hari/Tanggal: Kamis, 26 November 2026 Waktu: 09.00 - 12.00 WIB", "id", _utc(26, 2),
         _utc(26, 5)),
        ("Fecha: 26 de noviembre de 2026 Hora: 10:00 a 12:00", "es", _jst(2026, 11, 26, 10),
         _jst(2026, 11, 26, 12)),
        ("Data: 26/11/2026 Horário: 9h às 12h", "pt", _jst(2026, 11, 26, 9),
         _jst(2026, 11, 26, 12)),
        ("Date : 26 novembre 2026 Heure : 10h - 12h", "fr", _jst(2026, 11, 26, 10),
         _jst(2026, 11, 26, 12)),
        # Days "from … to …" in Spanish and French, and hours with a dot before horas.
        ("del 26 al 27 de noviembre de 2026", "es", _day(2026, 11, 26), _day(2026, 11, 28)),
        ("du 26 au 27 novembre 2026", "fr", _day(2026, 11, 26), _day(2026, 11, 28)),
        ("26/11/2026 de 10.00 a 12.00 horas", "es", _jst(2026, 11, 26, 10),
         _jst(2026, 11, 26, 12)),
        # The afternoon's mark at the range's end only, as English and Filipino pages
        # write it: the start was read in the morning (1:30 a.m.).
        ("November 26, 2026, 1:30 - 3:00 PM", "en", _jst(2026, 11, 26, 13, 30),
         _jst(2026, 11, 26, 15)),
        ("26 November 2026, 9:00 - 3:00 PM", "en", _jst(2026, 11, 26, 9),
         _jst(2026, 11, 26, 15)),
        ("26-27 November 2026, 1:00 - 5:00 PM", "en", _jst(2026, 11, 26, 13),
         _jst(2026, 11, 27, 17)),
        # The time before the date, as Vietnamese notices write it, and some English pages.
        ("Thời gian: 8h00 - 11h30, thứ Năm, ngày 26/11/2026", "vi", _jst(2026, 11, 26, 8),
         _jst(2026, 11, 26, 11, 30)),
        ("Từ 8h00 đến 11h30 ngày 26/11/2026", "vi", _jst(2026, 11, 26, 8),
         _jst(2026, 11, 26, 11, 30)),
        ("9:00 am to 5:00 pm, Thursday, 26 November 2026", "en", _jst(2026, 11, 26, 9),
         _jst(2026, 11, 26, 17)),
        # Hours with a dot and nothing after them, as British and European pages write
        # them (the zone read when one follows); hours alone before a marked end.
        ("26 November 2026, 14.00-16.00", "en", _jst(2026, 11, 26, 14),
         _jst(2026, 11, 26, 16)),
        ("26 November 2026, 9.30 – 11.00 (GMT+7)", "en", _utc(26, 2, 30), _utc(26, 4)),
        ("26 November 2026, 14.00-16.00 CET", "en", _utc(26, 13), _utc(26, 15)),
        ("Thursday 26 November 2026 at 14.00 | Kobe City Hall", "en",
         _jst(2026, 11, 26, 14), None),
        # A weekday after the date, unbracketed, before the time.
        ("26 November 2026, Thursday, 10:00 - 12:00", "en", _jst(2026, 11, 26, 10),
         _jst(2026, 11, 26, 12)),
        ("2026年11月26日 木曜日 14:00～16:00", "ja", _jst(2026, 11, 26, 14),
         _jst(2026, 11, 26, 16)),
        ("令和8年11月26日木曜日 午後2時から", "ja", _jst(2026, 11, 26, 14), None),
        ("26 de noviembre de 2026, jueves, 10:00", "es", _jst(2026, 11, 26, 10), None),
        ("26 Kasım 2026 Perşembe 14:00", "tr", _jst(2026, 11, 26, 14), None),
        # Washington's times, as World Bank pages write them (CST stays none: China's too).
        ("26 November 2026, 8:00 AM EST", "en", _utc(26, 13), None),
        ("26 November 2026, 9:00 am – 10:30 am ET", "en", _utc(26, 14), _utc(26, 15, 30)),
        ("26 November 2026, 10:00 PT", "en", _utc(26, 18), None),
        ("June 26, 2026, 9:00 am ET", "en", datetime(2026, 6, 26, 13, tzinfo=UTC), None),
        # A city's clock, as pages of events across partner cities name it.
        ("26 November 2026, 10:00 Jakarta time", "en", _utc(26, 3), None),
        ("26 November 2026 | 9:30 am – 11:00 am (Manila)", "en", _utc(26, 1, 30), _utc(26, 3)),
        ("26 November 2026, 14:00-16:00 (Jakarta time, WIB)", "en", _utc(26, 7), _utc(26, 9)),
        ("26 November 2026, 9:00 am (Washington, DC time)", "en", _utc(26, 14), None),
        ("26 November 2026, 10:00 (Room 3)", "en", _jst(2026, 11, 26, 10), None),
        ("26 November 2026, 10:00 CST", "en", _jst(2026, 11, 26, 10), None),
        # A zone as Zoom's invitations name it, copied into event pages: was the source's.
        ("Time: Nov 26, 2026 02:00 PM Jakarta", "en", _utc(26, 7), None),
        ("Time: Nov 26, 2026 10:00 AM Osaka, Sapporo, Tokyo", "en", _utc(26, 1), None),
        ("Time: Nov 26, 2026 09:00 AM Kuala Lumpur, Singapore", "en", _utc(26, 1), None),
        ("Time: Nov 26, 2026 08:00 AM Eastern Time (US and Canada)", "en", _utc(26, 13), None),
        ("November 26, 2026, 10:00 a.m. Pacific Time", "en", _utc(26, 18), None),
        ("26 November 2026, 10:00 Washington Hotel", "en", _jst(2026, 11, 26, 10), None),
        # An end written with its weekday and whole date, as ticketing sites write it: its
        # time was lost (the event ran to midnight).
        ("Thu, Nov 26, 2026 10:00 AM - Thu, Nov 26, 2026 12:00 PM JST", "en",
         _jst(2026, 11, 26, 10), _jst(2026, 11, 26, 12)),
        ("Thu, 26 Nov 2026 10:00 – Fri, 27 Nov 2026 16:00", "en", _jst(2026, 11, 26, 10),
         _jst(2026, 11, 27, 16)),
        # Japanese notices label the time: reception, opening (受付, 開会): the event
        # starts at its opening (the reception's time was taken for its start).
        ("令和8年11月26日（木曜日）受付：9時30分　開会：10時", "ja", _jst(2026, 11, 26, 10),
         None),
        ("2026年11月26日（木） 開会：13時30分～16時", "ja", _jst(2026, 11, 26, 13, 30),
         _jst(2026, 11, 26, 16)),
        ("2026年11月26日 星期四 下午2:00", "zh", _jst(2026, 11, 26, 14), None),
        ("2026年11月26日 周四 14:00-16:00", "zh", _jst(2026, 11, 26, 14),
         _jst(2026, 11, 26, 16)),
        ("26 November 2026 Sunday school 10:00", "en", _day(2026, 11, 26), None),  # no time
        ("26 November 2026, 12.50 USD", "en", _day(2026, 11, 26), None),  # a price
        ("November 26, 2026, 2-4 p.m.", "en", _jst(2026, 11, 26, 14), _jst(2026, 11, 26, 16)),
        ("November 26, 2026 from 2 to 4:30 p.m.", "en", _jst(2026, 11, 26, 14),
         _jst(2026, 11, 26, 16, 30)),
        ("November 26, 2026, 8-9:30 a.m.", "en", _jst(2026, 11, 26, 8),
         _jst(2026, 11, 26, 9, 30)),
    ],
)  # fmt: skip
def test_time_ranges_as_partner_cities_write_them(
    text: str, language: str, start: datetime, end: datetime | None
) -> None:
    """The words for "to" (à, às, a las, đến, s.d., 至) and the hours with h, 点 and 시
    were read as no end or no time, and a zone after the end was lost for both times. A
    time with its own label after the date (Time:, 開催時間：, Waktu:) or written before
    the date was no time: such events were whole-day; so were hours with a dot and
    nothing after them (14.00-16.00) and hours alone before a marked end (2-4 p.m.)."""
    period = find_period(text, TOKYO, order=numeric_order(language))
    assert period is not None
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "start", "end", "all_day"),
    [
        ("12月3日(木)～5日(土)", _day(2026, 12, 3), _day(2026, 12, 6), True),
        ("12月31日（木）～1月2日（土）", _day(2026, 12, 31), _day(2027, 1, 3), True),
        ("12月3日(木曜日)13時～12月4日(金曜日)12時", _jst(2026, 12, 3, 13),
         _jst(2026, 12, 4, 12), False),
        ("日時：12月3日（木）、午後1時30分～3時", _jst(2026, 12, 3, 13, 30),
         _jst(2026, 12, 3, 15), False),
        ("Thursday, December 31 – Saturday, January 2", _day(2026, 12, 31), _day(2027, 1, 3),
         True),
        # The month and day with a slash, as Japanese notices write them in short.
        ("12/3（木）14:00～16:00", _jst(2026, 12, 3, 14), _jst(2026, 12, 3, 16), False),
        ("日時：12/31(木)～1/2(土)", _day(2026, 12, 31), _day(2027, 1, 3), True),
        ("1/8(金・祝)午後2時から", _jst(2027, 1, 8, 14), None, False),
    ],
)  # fmt: skip
def test_periods_without_a_year(
    text: str, start: datetime, end: datetime | None, all_day: bool
) -> None:
    """A start without a year, named with its weekday, is in the year that weekday names
    near today; the end follows the start (into the next year). ``12/3（木）`` was no
    date."""
    period = find_period(text, TOKYO, date(2026, 12, 2))
    assert period is not None
    assert (period.start, period.end, period.all_day) == (start, end, all_day)


@pytest.mark.parametrize("text", ["", "2026年12月", "令和8年度", "December 2026", "お問い合わせ"])
def test_no_day_is_no_period(text: str) -> None:
    assert find_period(text, TOKYO) is None


def test_times_japanese_pages_write() -> None:
    assert read_time("(木曜日)午後1時30分") == (13, 30, len("(木曜日)午後1時30分"))
    assert read_time(" 午前10時半")[:2] == (10, 30)  # type: ignore[index]
    assert read_time(", 10 a.m.")[:2] == (10, 0)  # type: ignore[index]
    assert read_time(" 25時") is None
    assert read_time("午後0時30分")[:2] == (12, 30)  # type: ignore[index]
    assert read_time("（木）正午")[:2] == (12, 0)  # type: ignore[index]
    assert read_time(" 12 noon") == (12, 0, len(" 12 noon"))
    assert read_time(" noonday") is None
    # A published date with 午後 now keeps its time.
    assert find_date("令和8年11月26日 午後2時 更新", TOKYO) == (_jst(2026, 11, 26, 14), "datetime")


@pytest.mark.parametrize(
    ("texts", "status"),
    [
        (("【中止】防災ワークショップ",), "cancelled"),
        (("防災ワークショップ（延期）",), "postponed"),
        (("[Cancelled] Technical Deep Dive",), "cancelled"),
        (("Postponed: Smart City Webinar",), "postponed"),
        (("TDD", "2026年12月3日（中止）"), "cancelled"),
        (("中止になった場合のお知らせ",), None),  # the word, not a mark
        (("Technical Deep Dive",), None),
        # In partner cities' languages (such an event was published as going ahead).
        (("[DIBATALKAN] Lokakarya peringatan dini banjir",), "cancelled"),
        (("Ditunda: Kunjungan delegasi Kitakyushu",), "postponed"),
        (("(Annulé) Atelier sur la ville compacte",), "cancelled"),
        (("Aplazado: Taller de gestión del riesgo",), "postponed"),
        (("[ยกเลิก] สัมมนาเมืองอัจฉริยะ",), "cancelled"),
        (("(HOÃN) Hội thảo quản lý rủi ro thiên tai",), "postponed"),
        (("Batalyon parade", "Reporting workshop"), None),  # words that begin alike
    ],
)
def test_status_marks(texts: tuple[str, ...], status: str | None) -> None:
    assert status_marked(*texts) == status


_PIECES = [*"0123456789１２年月日時分半午前後～〜-–:() 令和平成元十二RH.,apm"]
_PIECES += ["November ", "Dec. ", "to ", "から", "(木曜日)", "2026", "31", "29"]
_PIECES += [
    "正午",
    "翌",
    "翌日",
    "T",
    "Z",
    "+09:00",
    "-15:00",
    "/",
    "noon",
    "（令和8年）",
    "(2026)",
]
_PIECES += ["9999年12月31日", "December 9999", "0001"]  # the calendar's ends
_PIECES += ["พ.ย. ", "พฤศจิกายน ", "2569", "69", "๒๖", "เวลา ", " น.", "วันที่ ", "ค.ศ. "]  # Thai
_PIECES += ["ថ្ងៃទី", "ខែវិច្ឆិកា ", "ឆ្នាំ", "២០២៦", "9999 ", "ธ.ค. "]  # Khmer, ends
_PIECES += ["ноября ", "نوفمبر ", "تشرين الثاني ", "Kasım ", "नवंबर ", "২৬ "]  # more scripts


@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
@example("9999年12月31日～31日")  # the day after the calendar's last: OverflowError
def test_any_text_gives_a_period_or_none(text: str) -> None:
    """Whatever a page writes, the reading never fails, and an end is after its start."""
    period = find_period(text, TOKYO)
    if period is not None:
        assert period.end is None or period.end > period.start
        assert period.start.tzinfo is not None


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("https://schema.org/EventCancelled", "cancelled"),
        ("CANCELLED", "cancelled"),
        # An events API's status in a partner city's language, or in Japanese: no status.
        ("Dibatalkan", "cancelled"),
        ("Ditunda", "postponed"),
        ("中止", "cancelled"),
        ("Annulé", "cancelled"),
        ("open", None),
        ("", None),
    ],
)
def test_a_status_value_in_any_language_of_the_marks(value: str, status: str | None) -> None:
    assert event_status(value) == status


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("December 8-10, 2026", "en", (_day(2026, 12, 8), "day")),
        ("Dec. 14–15, 2026", "en", (_day(2026, 12, 14), "day")),
        ("4–5 November 2026", "en", (_day(2026, 11, 4), "day")),
        ("November 30 – December 2, 2026", "en", (_day(2026, 11, 30), "day")),
        ("December 30 – January 2, 2027", "en", (_day(2026, 12, 30), "day")),
        ("26-27 Desember 2026", "id", (_day(2026, 12, 26), "day")),
        ("26-27 พ.ย. 2569 เวลา 9.00 - 16.00 น.", "th", (_jst(2026, 11, 26, 9), "datetime")),
        ("December 8–10, 2026, 9:00 a.m. – 5:00 p.m.", "en", (_jst(2026, 12, 8, 9), "datetime")),
        ("令和8年12月4日(金)～5日(土)", "ja", (_day(2026, 12, 4), "day")),
        # a single date, a month and no date read as before
        ("Posted December 3, 2026 by admin", "en", (_day(2026, 12, 3), "day")),
        ("8h00 - 11h30, ngày 26/11/2026", "vi", (_jst(2026, 11, 26, 8), "datetime")),
        ("November 2026", "en", (_day(2026, 11, 1), "month")),
        ("2026年12月", "ja", (_day(2026, 12, 1), "month")),
        ("Chapter 3", "en", None),
    ],
)  # fmt: skip
def test_a_date_line_that_writes_a_range_is_dated_its_first_day(
    text: str, language: str, expected: tuple[datetime, str] | None
) -> None:
    """An item's date line with a range of days (a past workshop in a list): `December
    8-10, 2026` was no date at all, `4–5 November 2026` and `November 30 – December 2,
    2026` were their last day. A range is its first day now, as a single date is."""
    order = numeric_order(language)
    assert parse_any_date(text, TOKYO, today=date(2026, 12, 4), order=order) == expected
