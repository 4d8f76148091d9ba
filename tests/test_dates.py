"""Dates as origins write them: ISO 8601 with every offset form, RFC 822, Japanese eras and
numerals, English month names; each with its precision."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tdlc_syndication.pipeline.dates import (
    date_heading,
    find_date,
    parse_date,
)
from tdlc_syndication.pipeline.periods import parse_any_date
from tdlc_syndication.pipeline.strftime import format_pattern, strptime_in
from tdlc_syndication.pipeline.weekdays import year_of_weekday

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-26T10:00:00+09", (datetime(2026, 11, 26, 1, tzinfo=UTC), "datetime")),
        ("2026-11-26T10:00:00+0900", (datetime(2026, 11, 26, 1, tzinfo=UTC), "datetime")),
        ("2026-11-26T10:00:00+09:00", (datetime(2026, 11, 26, 1, tzinfo=UTC), "datetime")),
        ("2026-11-26T10:00:00Z", (datetime(2026, 11, 26, 10, tzinfo=UTC), "datetime")),
        ("2026-11-26T10:00:00", (datetime(2026, 11, 26, 1, tzinfo=UTC), "datetime")),  # zone
        ("Thu, 26 Nov 2026 10:00:00 +0900", (datetime(2026, 11, 26, 1, tzinfo=UTC), "datetime")),
        ("2026-11", (datetime(2026, 11, 1, tzinfo=UTC), "month")),
        # ISO 8601's basic format (iCalendar's, some APIs'): it was no date.
        ("20261126T100000Z", (datetime(2026, 11, 26, 10, tzinfo=UTC), "datetime")),
        ("20261126T1000+0900", (datetime(2026, 11, 26, 1, tzinfo=UTC), "datetime")),
        ("20261126T100000", (datetime(2026, 11, 26, 1, tzinfo=UTC), "datetime")),  # zone
        ("20261126", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        # 24:00, the end of a day (an event that ends at midnight): it was no date.
        ("2026-11-26T24:00:00+09:00", (datetime(2026, 11, 26, 15, tzinfo=UTC), "datetime")),
        # A zone after the timestamp in brackets (RFC 9557, as Java's ZonedDateTime writes
        # it): it was no date. The zone reads a time without an offset.
        ("2026-11-26T10:00+07:00[Asia/Jakarta]",
         (datetime(2026, 11, 26, 3, tzinfo=UTC), "datetime")),
        ("2026-11-26T10:00:00[Asia/Jakarta][u-ca=iso8601]",
         (datetime(2026, 11, 26, 3, tzinfo=UTC), "datetime")),
        ("2026-11-26T10:00:00[Nowhere/City]", (datetime(2026, 11, 26, 1, tzinfo=UTC), "datetime")),
        # An IANA zone's name after it, as some generators write an RSS date (miniflux's
        # users reported it): it was read in the source's zone, nine hours off here.
        ("Thu, 26 Nov 2026 10:00:00 Asia/Jakarta",
         (datetime(2026, 11, 26, 3, tzinfo=UTC), "datetime")),
        ("Thu, 26 Nov 2026 02:00:00 America/Argentina/Buenos_Aires",
         (datetime(2026, 11, 26, 5, tzinfo=UTC), "datetime")),
        ("2026-11-26 10:00 Asia/Jakarta", (datetime(2026, 11, 26, 3, tzinfo=UTC), "datetime")),
        ("2026-11-26T10:00:00+09:00 Asia/Jakarta",
         (datetime(2026, 11, 26, 1, tzinfo=UTC), "datetime")),  # its offset wins
    ],
)  # fmt: skip
def test_iso_and_rfc822(text: str, expected: tuple[datetime, str]) -> None:
    assert parse_date(text, TOKYO) == expected


@pytest.mark.parametrize(
    ("text", "hour_utc", "minute"),
    [
        # GMT and an offset, as Vietnamese and Indonesian sites date their feeds: the
        # email parser read GMT alone, seven hours off.
        ("Thu, 26 Nov 2026 14:00:00 GMT+7", 7, 0),
        ("Thu, 26 Nov 2026 14:00:00 UTC+07:00", 7, 0),
        ("Thu, 26 Nov 2026 14:00:00 GMT-3", 17, 0),
        ("26 November 2026 14:00 (GMT+5:30)", 8, 30),
        ("Thu, 26 Nov 2026 14:00:00 GMT", 14, 0),
    ],
)
def test_an_offset_after_gmt_is_the_dates_zone(text: str, hour_utc: int, minute: int) -> None:
    assert parse_date(text, TOKYO) == (
        datetime(2026, 11, 26, hour_utc, minute, tzinfo=UTC),
        "datetime",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A feed's date with month and day names in another language is read as a date
        # in text: its offset was dropped, and the time read in the source's zone.
        ("jeu., 26 nov. 2026 10:00:00 +0100", datetime(2026, 11, 26, 9, tzinfo=UTC)),
        ("Kam, 26 Agt 2026 10:00:00 +0700", datetime(2026, 8, 26, 3, tzinfo=UTC)),
        ("26 November 2026 14:00 UTC", datetime(2026, 11, 26, 14, tzinfo=UTC)),
        ("26 November 2026 at 10:00 ICT", datetime(2026, 11, 26, 3, tzinfo=UTC)),
        ("26 November 2026 14:00:30", datetime(2026, 11, 26, 5, 0, 30, tzinfo=UTC)),
        # A range is no zone; a word is no zone either.
        ("November 26, 2026 | 14:00-16:00", datetime(2026, 11, 26, 5, tzinfo=UTC)),
        ("26 November 2026 14:00 AND 16:00", datetime(2026, 11, 26, 5, tzinfo=UTC)),
    ],
)
def test_a_zone_after_a_time_in_text_is_its_zone(text: str, expected: datetime) -> None:
    assert find_date(text, TOKYO) == (expected, "datetime")


@pytest.mark.parametrize(
    "text", ["20261326", "12345678", "2026112610", "2026-11-26T24:30", "9999-12-31T24:00:00Z"]
)
def test_digits_and_times_that_are_no_date(text: str) -> None:
    assert parse_date(text, TOKYO) is None


@pytest.mark.parametrize(
    ("text", "hour_utc"),
    [
        # Zone names the email parser does not know were read in the source's zone.
        ("Thu, 26 Nov 2026 14:00:00 JST", 5),
        ("Thu, 26 Nov 2026 14:00:00 (KST)", 5),
        ("Thu, 26 Nov 2026 14:00 CET", 13),
        ("Thu, 26 Nov 2026 14:00:00 +0900 (JST)", 5),  # the offset, not the comment
        ("2026-11-26T14:00:00 WIB", 7),
        ("Thu, 26 Nov 2026 14:00:00 GMT", 14),  # the names it knows, as before
        ("Thu, 26 Nov 2026 14:00:00 EST", 19),
        # A 12-hour clock was read as the morning's, and the zone after it lost.
        ("Thu, 26 Nov 2026 2:00 PM +0900", 5),
        ("Thu, 26 Nov 2026 2:00 pm JST", 5),
        ("Nov 26, 2026 10:30 a.m. GMT", 10),
        ("Thu, 26 Nov 2026 12:30 AM GMT", 0),
        # As scripts write a date: JavaScript's Date.toString(), Java's and C's, with the
        # year after the time. The offset after GMT and the zone were lost.
        ("Thu Nov 26 2026 14:00:00 GMT+0900 (日本標準時)", 5),
        ("Thu Nov 26 2026 14:00:00 GMT+0700 (Indochina Time)", 7),
        ("Thu Nov 26 14:00:00 JST 2026", 5),
        ("Thu Nov 26 14:00:00 ICT 2026", 7),
        ("Thu Nov 26 14:00:00 UTC 2026", 14),
        ("Thu Nov 26 14:00:00 2026", 14),  # no zone: the source's
    ],
)
def test_zone_names_and_twelve_hour_clocks_in_dates(text: str, hour_utc: int) -> None:
    """Read with a source zone of UTC, so that a zone left unread would show."""
    found = parse_date(text, UTC)
    assert found is not None
    assert found[0].hour == hour_utc
    assert found[0].day == 26


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # As worldbank.org and partner sites write them.
        ("November 26, 2026", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("26 November 2026", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("Nov. 26, 2026", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("Sept. 3, 2026", (datetime(2026, 9, 3, tzinfo=UTC), "day")),
        ("Date: 1st December 2026", (datetime(2026, 12, 1, tzinfo=UTC), "day")),
        ("November 2026", (datetime(2026, 11, 1, tzinfo=UTC), "month")),
        ("Nov 26, 2026, 10:30 a.m.", (datetime(2026, 11, 26, 1, 30, tzinfo=UTC), "datetime")),
        ("November 26, 2026 at 3:00 PM", (datetime(2026, 11, 26, 6, tzinfo=UTC), "datetime")),
        # The Japanese rules still hold, and the earlier date in the text wins.
        ("令和8年11月26日 13時30分", (datetime(2026, 11, 26, 4, 30, tzinfo=UTC), "datetime")),
        ("R8.11.26 (Nov 30, 2026)", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("Mayor visits 令和元年5月1日", (datetime(2019, 5, 1, tzinfo=UTC), "day")),
        # The era's name with the initial's dots or slashes, as tables write it: no date.
        ("更新日：令和8.11.26", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("令和8/11/26（木）", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("平成31.4.30 閉庁", (datetime(2019, 4, 30, tzinfo=UTC), "day")),
        ("令和元.5.1", (datetime(2019, 5, 1, tzinfo=UTC), "day")),
        # A year in both calendars, as municipal notices date themselves (it was read as
        # the year alone, 1 January, or as no date).
        ("掲載日：2026年（令和8年）11月26日", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("令和8年（2026年）11月26日 更新", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("令和8（2026）年11月26日", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("２０２６（令和８）年１１月２６日", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("令和元（2019）年5月1日", (datetime(2019, 5, 1, tzinfo=UTC), "day")),
        # An ISO timestamp inside text keeps its time and zone (it was read as its day).
        (
            "Updated 2026-11-26T14:00:00-05:00 (EST)",
            (datetime(2026, 11, 26, 19, tzinfo=UTC), "datetime"),
        ),
        ("公開日 2026-11-26T14:00", (datetime(2026, 11, 26, 5, tzinfo=UTC), "datetime")),
        ("2026年11月26日 正午", (datetime(2026, 11, 26, 3, tzinfo=UTC), "datetime")),
        # The marks sites put between a date and its time (Drupal's long date, The Events
        # Calendar's), and a time written with a dot (10.30am): the time was lost.
        (
            "Thursday, November 26, 2026 - 10:00",
            (datetime(2026, 11, 26, 1, tzinfo=UTC), "datetime"),
        ),
        (
            "November 26, 2026 @ 2:00 pm - 4:00 pm",
            (datetime(2026, 11, 26, 5, tzinfo=UTC), "datetime"),
        ),
        ("Nov 26, 2026 | 14:00-16:00", (datetime(2026, 11, 26, 5, tzinfo=UTC), "datetime")),
        ("26th Nov 2026 10.30am", (datetime(2026, 11, 26, 1, 30, tzinfo=UTC), "datetime")),
        # Numbers after such a mark that are no time.
        ("November 26, 2026 - 10 participants", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("26 Nov 2026 - 3.5 million", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("2026/11/26 - 12/3", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        # The month abbreviated without a space after its dot, as Japanese sites write
        # English ("Nov.26, 2026"): no date.
        ("Released Nov.26, 2026", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("Dec.3 2026 10:00", (datetime(2026, 12, 3, 1, tzinfo=UTC), "datetime")),
        ("No.3, 2026", None),
        # A day written with month 00 (a news site's <time datetime="2014-00-29T11:12:28Z">)
        # names no day: it was 29 January, and won over the page's own date. A month and a
        # day both 00 leave the year.
        ("2026-00-26T11:12:28Z", None),
        ("2026/00/26 Dec. 29 2026", (datetime(2026, 12, 29, tzinfo=UTC), "day")),
        ("2026-00-00", (datetime(2026, 1, 1, tzinfo=UTC), "year")),
    ],
)
def test_dates_in_text(text: str, expected: tuple[datetime, str] | None) -> None:
    assert parse_any_date(text, TOKYO) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A fiscal year (年度, April to March) names what a notice is about, not when it
        # was written: it was read as 1 January of its year, and before a notice's own
        # date it won over that date (the earlier in the text wins).
        ("令和8年度 防災訓練の実施計画", None),
        ("平成30年度 事業報告", None),
        ("令和元年度 決算", None),
        ("令和7年度版 統計書 2026年11月26日", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("令和8年度 事業計画 2026/11/20", (datetime(2026, 11, 20, tzinfo=UTC), "day")),
        ("令和８年度（２０２６年度）予算", None),
        # as 2026年度 never was one; an era's year alone, and its days, still are
        ("2026年度 事業計画", None),
        ("令和8年 成人式", (datetime(2026, 1, 1, tzinfo=UTC), "year")),
        ("令和8年11月26日 掲載", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
    ],
)  # fmt: skip
def test_a_fiscal_year_is_no_date(text: str, expected: tuple[datetime, str] | None) -> None:
    assert parse_any_date(text, TOKYO) == expected


TODAY = date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12月3日（木）", (datetime(2026, 12, 3, tzinfo=UTC), "day")),
        ("開催日：１２月３日（木曜日）", (datetime(2026, 12, 3, tzinfo=UTC), "day")),
        ("12月3日(木・祝)", (datetime(2026, 12, 3, tzinfo=UTC), "day")),
        ("12月3日（木）午後1時30分～3時", (datetime(2026, 12, 3, 4, 30, tzinfo=UTC), "datetime")),
        ("12月3日（水）", (datetime(2025, 12, 3, tzinfo=UTC), "day")),  # a year ago
        ("1月8日(金)締切", (datetime(2027, 1, 8, tzinfo=UTC), "day")),  # next month, next year
        ("十二月三日（木）", (datetime(2026, 12, 3, tzinfo=UTC), "day")),
        ("12/3(木)", (datetime(2026, 12, 3, tzinfo=UTC), "day")),
        # with a dot, as designed lists write it: was no date
        ("12.3（木）", (datetime(2026, 12, 3, tzinfo=UTC), "day")),
        ("12.3(木・祝) 13:30～", (datetime(2026, 12, 3, 4, 30, tzinfo=UTC), "datetime")),
        ("Ver1.2(木)", None),  # a version, not 2 January
        ("Thursday, December 3", (datetime(2026, 12, 3, tzinfo=UTC), "day")),
        ("Thu. Dec. 3rd at 10:00 a.m.", (datetime(2026, 12, 3, 1, tzinfo=UTC), "datetime")),
        ("Thursday 3 December", (datetime(2026, 12, 3, tzinfo=UTC), "day")),
        ("Monday, March 2", (datetime(2026, 3, 2, tzinfo=UTC), "day")),
        # A year written after it is the year: the weekday is not asked.
        ("Thursday, December 31, 2026", (datetime(2026, 12, 31, tzinfo=UTC), "day")),
        ("Thu, 03 Dec 2026 10:00", (datetime(2026, 12, 3, 1, tzinfo=UTC), "datetime")),
        ("2025年12月3日（木）", (datetime(2025, 12, 3, tzinfo=UTC), "day")),
        # No weekday, or one that day never has near today: no date, as before.
        ("12月3日", None),
        ("December 3", None),
        ("12月3日（月）", None),
        ("Sunny December 3", None),  # a word that starts as a weekday does is none
        ("2月29日（土）", None),  # 2024-02-29 was a Thursday, 2028 is out of reach
    ],
)
def test_a_date_without_a_year_named_with_its_weekday(
    text: str, expected: tuple[datetime, str] | None
) -> None:
    """Event notices write 12月3日（木）: the weekday names the year (none near today has
    another 3 December on a Thursday); such a date was no date, and the event no event."""
    assert find_date(text, TOKYO, TODAY) == expected
    assert parse_any_date(text, TOKYO, today=TODAY) == expected


def test_the_weekday_names_one_year_in_any_four() -> None:
    """Over four years running a month and day moves through at most five weekdays, so
    the year found is the only one; every day of a leap year checks it."""
    for offset in range(366):
        day = date(2024, 1, 1).toordinal() + offset
        named = date.fromordinal(day)
        for today in (date(2025, 6, 1), date(2026, 1, 1), date(2026, 12, 31)):
            years = [
                year
                for year in range(today.year - 2, today.year + 2)
                if _exists(year, named.month, named.day)
                and date(year, named.month, named.day).weekday() == named.weekday()
            ]
            assert len(years) <= 1
            found = year_of_weekday(named.month, named.day, named.weekday(), today)
            assert found == (years[0] if years else None)


_JA_DAY = "月火水木金土日"
_EN_DAY = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_MONTH = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")  # fmt: skip


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2098, 12, 31)),
    st.integers(min_value=-365 * 2, max_value=365),
    st.sampled_from(["ja", "ja-long", "ja-short", "ja-dot", "en", "en-dmy", "en-short"]),
)
def test_a_day_named_with_its_weekday_reads_back(today: date, offset: int, form: str) -> None:
    """Any day from two years before today to a year after, written without its year in
    any of the forms notices use, reads back as that day."""
    day = date.fromordinal(today.toordinal() + offset)
    if day.year < today.year - 2 or day.year > today.year + 1:
        return  # outside the years looked at
    weekday = day.weekday()
    text = {
        "ja": f"{day.month}月{day.day}日（{_JA_DAY[weekday]}）",
        "ja-long": f"日時：{day.month}月{day.day}日({_JA_DAY[weekday]}曜日)午前10時",
        "ja-short": f"{day.month}/{day.day}（{_JA_DAY[weekday]}）",
        "ja-dot": f"{day.month}.{day.day}({_JA_DAY[weekday]})",
        "en": f"{_EN_DAY[weekday]}, {_EN_MONTH[day.month - 1]} {day.day}",
        "en-dmy": f"{_EN_DAY[weekday]} {day.day} {_EN_MONTH[day.month - 1]}",
        "en-short": f"{_EN_DAY[weekday][:3]}. {_EN_MONTH[day.month - 1][:3]} {day.day}",
    }[form]
    found = find_date(text, TOKYO, today)
    assert found is not None, text
    assert found[0].astimezone(TOKYO).date() == day  # midnight UTC, or 10:00 in Tokyo


def _exists(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def test_text_without_a_date() -> None:
    assert find_date("May the delegations return", TOKYO) is None
    assert find_date("Room 26, floor 3", TOKYO) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("十十", None),
        ("二二十 2026年11月26日", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("第十十回 令和八年十一月二十六日", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
    ],
)
def test_runs_of_kanji_numerals_that_are_no_number(
    text: str, expected: tuple[datetime, str] | None
) -> None:
    """A run such as 十十 is not one number; it was a KeyError that failed the source."""
    assert find_date(text, TOKYO) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thu, 26 Nov 2026 10:00:00 +09:00", datetime(2026, 11, 26, 1, 0, tzinfo=UTC)),
        ("Thu, 26 Nov 2026 10:00 -05:30", datetime(2026, 11, 26, 15, 30, tzinfo=UTC)),
        ("Thu, 26 Nov 2026 10:00:00 +0900", datetime(2026, 11, 26, 1, 0, tzinfo=UTC)),
    ],
)
def test_an_rfc_822_offset_written_with_a_colon_is_the_offset(
    text: str, expected: datetime
) -> None:
    """The email parser reads ``+09:00`` as no zone: the time was taken in the source's
    zone (UTC by default), nine hours off for a Japanese site's feed."""
    assert parse_date(text) == (expected, "datetime")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thu, 26 Nov 2026 09:00:00 +07", datetime(2026, 11, 26, 2, 0, tzinfo=UTC)),
        ("Thu, 26 Nov 2026 09:00 +07", datetime(2026, 11, 26, 2, 0, tzinfo=UTC)),
        ("Thu, 26 Nov 2026 09:00:00 -03", datetime(2026, 11, 26, 12, 0, tzinfo=UTC)),
        ("Thu, 26 Nov 2026 09:00:00 +7", datetime(2026, 11, 26, 2, 0, tzinfo=UTC)),
        ("Thu, 26 Nov 2026 09:00:00 +0700", datetime(2026, 11, 26, 2, 0, tzinfo=UTC)),
        # Unix date's, in a feed a shell script writes
        ("Thu Nov 26 09:00:00 +07 2026", datetime(2026, 11, 26, 2, 0, tzinfo=UTC)),
        ("Thu Nov 26 09:00:00 +0700 2026", datetime(2026, 11, 26, 2, 0, tzinfo=UTC)),
    ],
)
def test_an_rfc_822_offset_in_whole_hours_is_hours(text: str, expected: datetime) -> None:
    """Python's ``%Z`` and PHP's ``T`` write ``+07`` for a zone without an abbreviation
    (Bangkok, Ho Chi Minh City, São Paulo, since tzdata 2017), and feeds built with
    ``%a, %d %b %Y %H:%M:%S %Z`` carry it: the email parser read it as seven minutes, and
    an item from Vietnam was dated seven hours late."""
    assert parse_date(text) == (expected, "datetime")


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-26T10:00:00+25:00", "2026-11-26T10:00:00-99:99", "2026-11-26T10:00:00+2400",
        "2026-11-26T10:00+99", "20261126T100000+2500", "2026-11-26T10:00:00+09:60",
    ],
)  # fmt: skip
def test_an_offset_no_zone_has_makes_no_time(text: str) -> None:
    """An ISO 8601 timestamp with an offset of a day or more failed the whole feed that
    held it: datetime refuses such an offset (ValueError), and the error left the
    source's run ("unexpected error"). Such a time is none, as an RFC 822 one is. Found
    by reading feedparser's tests of dates."""
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mon, 26 Jan 2026 16:31:00 ET", datetime(2026, 1, 26, 21, 31, tzinfo=UTC)),
        ("Sun, 26 Jul 2026 16:31:00 ET", datetime(2026, 7, 26, 20, 31, tzinfo=UTC)),
        ("Thu, 26 Nov 2026 10:00:00 PT", datetime(2026, 11, 26, 18, 0, tzinfo=UTC)),
        ("2026-11-26 10:00 CT", datetime(2026, 11, 26, 16, 0, tzinfo=UTC)),
        ("Thu, 26 Nov 2026 10:00:00 MT", datetime(2026, 11, 26, 17, 0, tzinfo=UTC)),
    ],
)
def test_a_north_american_time_without_its_season_is_in_its_zone(
    text: str, expected: datetime
) -> None:
    """``ET``, ``CT``, ``MT``, ``PT`` after a feed's date were read as no zone, so in the
    source's: five hours off for Washington's Eastern Time in winter. Text read them
    (``10:00 AM ET``) but for Central and Mountain Time."""
    assert parse_date(text) == (expected, "datetime")
    assert find_date(f"December 3, 2026, 10:00 AM {text[-2:]}") is not None


@pytest.mark.parametrize(
    ("zone", "text", "hour_utc"),
    [
        ("Asia/Manila", "Thu, 26 Nov 2026 09:00:00 PST", 1),  # Philippine, not Pacific
        ("Asia/Shanghai", "Thu, 26 Nov 2026 09:00:00 CST", 1),  # China's, not Central
        ("Asia/Kolkata", "Thu, 26 Nov 2026 09:00:00 IST", 3),  # and 30 minutes
        ("Asia/Tokyo", "Thu, 26 Nov 2026 09:00:00 PST", 17),  # elsewhere, Pacific still
        ("Asia/Manila", "2026年11月26日 09:00 PST", 1),  # in text too
        ("America/Chicago", "Nov 26, 2026 9:00 AM CST", 15),
    ],
)
def test_a_zone_name_is_the_sources_own_zone_where_it_abbreviates_it(
    zone: str, text: str, hour_utc: int
) -> None:
    """Python's ``%Z`` and PHP's ``T`` write Manila's time as ``PST``, Shanghai's as
    ``CST`` and Kolkata's as ``IST``: a Manila source's items were dated as Pacific time,
    sixteen hours late, and a Chinese one's as America's Central time. A name that is the
    source's zone's own abbreviation is that zone."""
    found = parse_any_date(text, ZoneInfo(zone), today=date(2026, 12, 1))
    assert found is not None
    assert (found[0].day, found[0].hour) == (26, hour_utc)
    if text[0].isalpha() and "," in text[:4]:
        assert parse_date(text, ZoneInfo(zone)) == found


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Mon, 01 Jan 0001 00:00:00 +0000", 1),  # Go's zero time: Hugo's undated pages
        ("Mon, 01 Jan 0001 00:00:00 UTC", 1),
        ("Sat, 01 Jan 0050 00:00:00 +0000", 50),
        ("Sat, 01 Jan 0000 00:00:00 +0000", None),  # no year 0 in a datetime
        ("Fri, 01 Jan 99 00:00:00 +0000", 1999),  # two digits keep the window of RFC 5322
        ("Thu, 26 Nov 26 10:00:00 +0900", 2026),
        ("Thu, 26 Nov 2026 00:00:00 +0000", 2026),  # no zone nor time taken for a year
        ("Thu, 26 Nov 2026 00:00 -0030", 2026),
        ("Thu, 26 Nov 2030 00:30:00 0030", 2030),  # a zone without its sign
        ("Thu Nov 26 00:30:00 0001", 1),  # the year after the time (asctime)
    ],
)
def test_a_year_written_with_four_digits_is_that_year(text: str, year: int | None) -> None:
    """The email parser reads ``0001`` as two digits, 2001: Hugo's undated pages were
    published on 2001-01-01, as if real, where the year 1 is dropped as an absurd date."""
    found = parse_date(text)
    assert (found[0].year if found else None) == year


@pytest.mark.parametrize(
    "text",
    [
        "9999-12-31T23:59:59-12:00",  # a "never expires" placeholder in a zone behind UTC
        "9999-12-31T23:00:00",  # ... or read in the source's zone (America/Los_Angeles)
        "Fri, 31 Dec 9999 23:59:59 -1200",
        "0001-01-01T00:00:00+14:00",
        "9999年12月31日 午後11時",
        "Dec 31, 9999 11 p.m.",
    ],
)
def test_a_time_utc_cannot_hold_is_no_date(text: str) -> None:
    """In UTC it is in the year 10000 (or 0): the OverflowError failed the whole source."""
    zone = ZoneInfo("America/Los_Angeles")
    for parse in (parse_date, parse_any_date):
        found = parse(text, zone)
        assert found is None or found[1] != "datetime"


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("26/11/2026", "%d/%m/%Y", datetime(2026, 11, 26)),
        ("Posted 26/11/2026 by the press office", "%d/%m/%Y", datetime(2026, 11, 26)),
        ("(3.12.2026)", "%d.%m.%Y", datetime(2026, 12, 3)),
        ("Rapat 3/12/2026 pukul 10:00", "%d/%m/%Y pukul %H:%M", datetime(2026, 12, 3, 10)),
        ("News 1/12/2026 at 2 PM", "%d/%m/%Y at %I %p", datetime(2026, 12, 1, 14)),
        ("Dibuat: 26 November 2026", "%d %B %Y", datetime(2026, 11, 26)),
        ("掲載日：２０２６年１１月２６日", "%Y年%m月%d日", datetime(2026, 11, 26)),
        ("31/02/2026 or rather 01/03/2026", "%d/%m/%Y", datetime(2026, 3, 1)),  # no 31 Feb
        ("No. 126/11/2026", "%d/%m/%Y", None),  # not inside a longer number
        ("26/11/20261", "%d/%m/%Y", None),
        ("no date here", "%d/%m/%Y", None),
    ],
)
def test_a_date_format_is_read_anywhere_in_the_text(
    text: str, fmt: str, expected: datetime | None
) -> None:
    assert strptime_in(text, fmt) == expected


def test_a_format_that_cannot_be_searched_reads_the_whole_text_only() -> None:
    assert format_pattern("%x") is None
    assert strptime_in("11/26/26", "%x") == datetime(2026, 11, 26)
    assert strptime_in("Posted 11/26/26", "%x") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thursday, 26 November 2026, 10:00 a.m.", datetime(2026, 11, 26, 1, tzinfo=UTC)),
        ("Thu 26 November 2026 14:30", datetime(2026, 11, 26, 5, 30, tzinfo=UTC)),
    ],
)
def test_a_weekday_before_a_whole_date_keeps_its_time(text: str, expected: datetime) -> None:
    """A weekday pattern took "26 Nov" of "26 November 2026" (a date without its year
    named by its weekday), and the time after the year was lost."""
    assert parse_any_date(text, TOKYO, today=TODAY) == (expected, "datetime")


@pytest.mark.parametrize(
    ("text", "is_one"),
    [
        ("2026年11月26日", True),
        ("２０２６年１１月２６日（木）", True),
        ("令和8年11月26日 掲載分", True),
        ("【2026年11月26日】", True),
        ("Thursday, 26 November 2026", True),
        ("26 Nov 2026 (Thu)", True),
        ("2026/11/26 更新", True),
        ("令和8年度の取り組み", False),  # a fiscal year: a section's name
        ("2026年11月の研修", False),  # a month
        ("お知らせ", False),
        ("防災ワークショップ 2026年11月26日 開催報告", False),  # a title
    ],
)
def test_a_heading_that_is_a_date(text: str, is_one: bool) -> None:
    assert date_heading(text, TODAY) is is_one


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Diposting 26 Desember 2026", (datetime(2026, 12, 26, tzinfo=UTC), "day")),
        ("Kamis, 3 Des 2026 10:00", (datetime(2026, 12, 3, 1, tzinfo=UTC), "datetime")),
        ("10 Agustus 2026", (datetime(2026, 8, 10, tzinfo=UTC), "day")),
        ("26 de noviembre de 2026", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("Publicado el 3 de março de 2026", (datetime(2026, 3, 3, tzinfo=UTC), "day")),
        ("1er décembre 2026", (datetime(2026, 12, 1, tzinfo=UTC), "day")),
        ("noviembre de 2026", (datetime(2026, 11, 1, tzinfo=UTC), "month")),
        ("Ngày 26 tháng 11 năm 2026", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("Cập nhật 26 tháng 11, 2026", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        # Partner names that are also words count only with a day: no month here.
        ("Mars 2026 mission briefing", None),
        ("Des Moines 2026 summit", None),
        ("26 mars 2026", (datetime(2026, 3, 26, tzinfo=UTC), "day")),
        # English as British, Indian and East African pages write it: was read as the month.
        ("the 26th of November 2026", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("Thursday, the 26th of November, 2026", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("Chapter 3 of Mars 2026", None),  # "of" after an ordinal only
        # Abbreviated, as WordPress writes them in Spanish, Portuguese and French: were none.
        ("4 dic. 2026", (datetime(2026, 12, 4, tzinfo=UTC), "day")),
        ("Dic 4, 2026", (datetime(2026, 12, 4, tzinfo=UTC), "day")),
        ("15 ene 2027", (datetime(2027, 1, 15, tzinfo=UTC), "day")),
        ("4 dez. 2026", (datetime(2026, 12, 4, tzinfo=UTC), "day")),
        ("Publicado em 12 out 2026", (datetime(2026, 10, 12, tzinfo=UTC), "day")),
        ("3 set. 2026", (datetime(2026, 9, 3, tzinfo=UTC), "day")),
        ("le 4 déc. 2026", (datetime(2026, 12, 4, tzinfo=UTC), "day")),
        ("14 févr. 2026", (datetime(2026, 2, 14, tzinfo=UTC), "day")),
        ("2 juil. 2026", (datetime(2026, 7, 2, tzinfo=UTC), "day")),
        ("9 avr. 2026", (datetime(2026, 4, 9, tzinfo=UTC), "day")),
        # an RSS date a CMS wrote in its site's language
        ("jue, 03 dic 2026 10:00:00 +0100", (datetime(2026, 12, 3, 9, tzinfo=UTC), "datetime")),
        ("jeu., 03 déc. 2026 10:00:00 +0100", (datetime(2026, 12, 3, 9, tzinfo=UTC), "datetime")),
        # Malay's months, and Filipino's and Turkish's abbreviations: were none.
        ("Dikemas kini 26 Disember 2026", (datetime(2026, 12, 26, tzinfo=UTC), "day")),
        ("3 Mac 2026", (datetime(2026, 3, 3, tzinfo=UTC), "day")),
        ("17 Ogos 2026", (datetime(2026, 8, 17, tzinfo=UTC), "day")),
        ("Nob. 26, 2026", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("26 Kas 2026", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("14 Şub 2026", (datetime(2026, 2, 14, tzinfo=UTC), "day")),
        ("Mac 2026 lineup", None),
        # ... and alone with a year only where they are no word
        ("Way out 2026 tour", None),
        ("Set 2026 goals", None),
    ],
)
def test_partner_cities_month_names(text: str, expected: tuple[datetime, str] | None) -> None:
    """Partner cities write their months in their own languages (Indonesian, Spanish,
    Portuguese, French), in full or abbreviated, or as Vietnamese numbers (`tháng 11`):
    such dates were none."""
    assert parse_any_date(text, TOKYO, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # CLDR's abbreviation, as browsers and many sites write it; date pickers' "Th12";
        # WordPress's and date pickers' months in words, in either order: were none.
        ("4 thg 12, 2026", (datetime(2026, 12, 4, tzinfo=UTC), "day")),
        ("Cập nhật: 04 Thg 12 2026", (datetime(2026, 12, 4, tzinfo=UTC), "day")),
        ("04 Th12 2026", (datetime(2026, 12, 4, tzinfo=UTC), "day")),
        ("4 Th.12 2026", (datetime(2026, 12, 4, tzinfo=UTC), "day")),
        ("Th12 4, 2026", (datetime(2026, 12, 4, tzinfo=UTC), "day")),
        ("Tháng Mười Hai 4, 2026", (datetime(2026, 12, 4, tzinfo=UTC), "day")),
        ("4 Tháng Mười Hai, 2026", (datetime(2026, 12, 4, tzinfo=UTC), "day")),
        ("tháng mười một 26, 2026", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("ngày 04 tháng 12/2026", (datetime(2026, 12, 4, tzinfo=UTC), "day")),
        # A month with its year (CLDR's "tháng 12 năm 2026"; news sites' "Tháng 12/2026")
        ("Báo cáo tháng 12 năm 2026", (datetime(2026, 12, 1, tzinfo=UTC), "month")),
        ("Bản tin Tháng 12/2026", (datetime(2026, 12, 1, tzinfo=UTC), "month")),
        ("thg 12 2026", (datetime(2026, 12, 1, tzinfo=UTC), "month")),
        ("Tháng Mười 2026", (datetime(2026, 10, 1, tzinfo=UTC), "month")),
        ("Tháng Mười Một 2026", (datetime(2026, 11, 1, tzinfo=UTC), "month")),
        ("Tháng Giêng 2027", (datetime(2027, 1, 1, tzinfo=UTC), "month")),
        ("Tháng Năm 2026", (datetime(2026, 5, 1, tzinfo=UTC), "month")),
        # năm is "year" too: a form's blanks name no May
        ("Hà Nội, ngày    tháng    năm 2026", None),
        ("Kỳ họp thứ 12 2026", None),  # the 12th session
        ("the 4th 12 2026", None),
    ],
)
def test_vietnamese_months(text: str, expected: tuple[datetime, str] | None) -> None:
    """Vietnamese writes its months by number (``tháng 12``), abbreviated as CLDR (``thg
    12``) or date pickers (``Th12``) do, or in words (``Tháng Mười Hai``): only ``26
    tháng 11, 2026`` and ``ngày 26 tháng 11 năm 2026`` were read."""
    assert parse_any_date(text, TOKYO, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # WordPress's default format ("F j, Y") in Hindi, Bengali, Urdu, Arabic (with its
        # comma) and Thai: the month first. Were none.
        ("दिसंबर 10, 2026", (datetime(2026, 12, 10, tzinfo=UTC), "day")),
        ("ডিসেম্বর ১০, ২০২৬", (datetime(2026, 12, 10, tzinfo=UTC), "day")),
        ("دسمبر 10, 2026", (datetime(2026, 12, 10, tzinfo=UTC), "day")),
        ("ديسمبر 10، 2026", (datetime(2026, 12, 10, tzinfo=UTC), "day")),
        ("ธันวาคม 10, 2569", (datetime(2026, 12, 10, tzinfo=UTC), "day")),
        # Arabic's comma before the year, the day first
        ("04 ديسمبر، 2026", (datetime(2026, 12, 4, tzinfo=UTC), "day")),
        # (still: a month with its year alone)
        ("नवंबर 2026", (datetime(2026, 11, 1, tzinfo=UTC), "month")),
    ],
)
def test_other_scripts_month_first(text: str, expected: tuple[datetime, str]) -> None:
    assert parse_any_date(text, TOKYO, today=TODAY) == expected


BANGKOK = ZoneInfo("Asia/Bangkok")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Thai: Buddhist-era years (2569 is 2026), in full or two digits, Thai digits.
        ("26 พฤศจิกายน 2569", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("ประกาศเมื่อ 26 พ.ย. 69", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("๒๖ พ.ย. ๒๕๖๙", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("1 ม.ค. 2570", (datetime(2027, 1, 1, tzinfo=UTC), "day")),
        ("3 ธ.ค. ค.ศ. 2026", (datetime(2026, 12, 3, tzinfo=UTC), "day")),
        ("วันที่ 26 พฤศจิกายน พ.ศ. 2569", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("รายงานประจำเดือนพฤศจิกายน 2569", (datetime(2026, 11, 1, tzinfo=UTC), "month")),
        # A time, as Thai pages write it (เวลา … น.), in the source's zone.
        ("วันพฤหัสบดีที่ 26 พ.ย. 69 เวลา 13.30 - 16.30 น.",
         (datetime(2026, 11, 26, 6, 30, tzinfo=UTC), "datetime")),
        ("26 พ.ย. 2569 13.30 บาท", (datetime(2026, 11, 26, tzinfo=UTC), "day")),  # no น.
        # An abbreviation that is also an office's name (ก.พ.) dates nothing without a day.
        ("ประกาศ ก.พ. 2569", None),
        # Khmer, in the Common Era, with Khmer or Latin digits.
        ("ថ្ងៃទី២៦ ខែវិច្ឆិកា ឆ្នាំ២០២៦", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("26 វិច្ឆិកា 2026", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("ខែធ្នូ ឆ្នាំ២០២៦", (datetime(2026, 12, 1, tzinfo=UTC), "month")),
        # Burmese, with Myanmar digits: the day, the month, the year, or the year (ခုနှစ်),
        # the month (လ) and the day (ရက်), as Yangon's notices write them: were none.
        ("၂၆ နိုဝင်ဘာ ၂၀၂၆", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("၂၀၂၆ ခုနှစ်၊ နိုဝင်ဘာလ ၂၆ ရက်", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("ရန်ကုန်မြို့ ၂၀၂၆ ခုနှစ် ဒီဇင်ဘာလ ၃ ရက်နေ့", (datetime(2026, 12, 3, tzinfo=UTC), "day")),
        ("ဒီဇင်ဘာ ၂၀၂၆", (datetime(2026, 12, 1, tzinfo=UTC), "month")),
        # Tamil and Sinhala, as Colombo's sites write them (Sinhala: the year first): none.
        ("26 நவம்பர் 2026", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("2026 නොවැම්බර් 26", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("2026 නොවැම්බර් මස 26 වැනිදා", (datetime(2026, 11, 26, tzinfo=UTC), "day")),
        ("2026 අප්\u200dරේල් 3", (datetime(2026, 4, 3, tzinfo=UTC), "day")),
        # A Khmer Buddhist-era year turns in April or May: no date rather than a wrong one.
        ("ខែវិច្ឆិកា ឆ្នាំ២៥៧០", None),
    ],
)  # fmt: skip
def test_thai_and_khmer_dates(text: str, expected: tuple[datetime, str] | None) -> None:
    """Thai and Khmer partner cities' dates were none, or (a Thai year, 2569, read as it
    is) dates five centuries ahead."""
    assert parse_any_date(text, BANGKOK, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Russian and Ukrainian: the day's month (genitive), or the month itself with a year.
        ("Опубликовано 26 ноября 2026 г.", datetime(2026, 11, 26, tzinfo=UTC)),
        ("3 ДЕКАБРЯ 2026", datetime(2026, 12, 3, tzinfo=UTC)),
        ("26 листопада 2026 р.", datetime(2026, 11, 26, tzinfo=UTC)),
        ("ноябрь 2026", datetime(2026, 11, 1, tzinfo=UTC)),
        # Their short months, as news lists write them; never with a year alone.
        ("22 сент. 2026", datetime(2026, 9, 22, tzinfo=UTC)),
        ("12 нояб. 2026 г.", datetime(2026, 11, 12, tzinfo=UTC)),
        ("3 дек 2026", datetime(2026, 12, 3, tzinfo=UTC)),
        ("22 верес. 2026", datetime(2026, 9, 22, tzinfo=UTC)),
        ("5 лист. 2026 р.", datetime(2026, 11, 5, tzinfo=UTC)),
        ("Лист 2026 року", None),  # a letter of 2026
        # Arabic as Egypt and the Gulf, the Levant and the Maghreb name the months, with
        # Arabic-Indic digits or not; Urdu.
        ("الخميس، 26 نوفمبر 2026", datetime(2026, 11, 26, tzinfo=UTC)),
        ("٢٦ تشرين الثاني ٢٠٢٦", datetime(2026, 11, 26, tzinfo=UTC)),
        ("3 دجنبر 2026", datetime(2026, 12, 3, tzinfo=UTC)),
        ("26 نومبر 2026", datetime(2026, 11, 26, tzinfo=UTC)),
        # Hindi (with फ़ as one letter or two) and Bengali, with their digits.
        ("26 नवंबर 2026", datetime(2026, 11, 26, tzinfo=UTC)),
        ("3 \u095eरवरी 2026", datetime(2026, 2, 3, tzinfo=UTC)),
        ("২৬ নভেম্বর ২০২৬", datetime(2026, 11, 26, tzinfo=UTC)),
        ("৩ জানু\u09dfারি ২০২৬", datetime(2026, 1, 3, tzinfo=UTC)),
        ("সেপ্টেম্বর 03 2026", datetime(2026, 9, 3, tzinfo=UTC)),  # the month first, no comma
        # Lao, written without spaces between words.
        ("ວັນທີ 26 ພະຈິກ 2026", datetime(2026, 11, 26, tzinfo=UTC)),
        ("ລາຍງານປະຈຳເດືອນທັນວາ 2026", datetime(2026, 12, 1, tzinfo=UTC)),
        # Latin letters: Turkish (dotless ı in any case), Swahili, Filipino.
        ("26 Kasım 2026", datetime(2026, 11, 26, tzinfo=UTC)),
        ("26 KASIM 2026", datetime(2026, 11, 26, tzinfo=UTC)),
        ("3 Şubat 2026", datetime(2026, 2, 3, tzinfo=UTC)),
        ("26 Novemba 2026", datetime(2026, 11, 26, tzinfo=UTC)),
        ("Nobyembre 26, 2026", datetime(2026, 11, 26, tzinfo=UTC)),
        # Names that are also words count only with a day ("ekim": sowing).
        ("Ekim 2026 raporu", None),
        ("K-Mart 2026 sale", None),
        # A year of another era in these scripts is no date.
        ("26 ноября 2569", None),
    ],
)  # fmt: skip
def test_more_partner_languages(text: str, expected: datetime | None) -> None:
    """Partner cities in Eastern Europe and Central Asia, the Middle East and North
    Africa, South Asia, Turkey, East Africa and the Philippines write months by name:
    their lists' items were undated, and no `date_format` could name them (strptime
    reads English month names only)."""
    found = parse_any_date(text, TOKYO, today=TODAY)
    assert (found[0] if found else None) == expected


def _jst(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=TOKYO).astimezone(UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The word for "at" before the time: Vietnamese, Portuguese, French, Spanish,
        # Turkish; the hour with "h" or giờ.
        ("26/11/2026 lúc 10:00", _jst(26, 10)),
        ("Thứ Năm, 26/11/2026 vào lúc 8h30", _jst(26, 8, 30)),
        ("Ngày 26 tháng 11 năm 2026, 8 giờ 30 phút", _jst(26, 8, 30)),
        ("26/11/2026 às 10h00", _jst(26, 10)),
        ("26 de novembro de 2026 a partir das 9h", _jst(26, 9)),
        ("26 novembre 2026 à 10h30", _jst(26, 10, 30)),
        ("26 de noviembre de 2026 a las 10:00", _jst(26, 10)),
        ("26 Kasım 2026 saat 14:00", _jst(26, 14)),
        # Indonesian: the clock word lets a dot part hour and minute; the zone after.
        ("Kamis, 26 November 2026 - Pukul 09.00 WIB", datetime(2026, 11, 26, 2, tzinfo=UTC)),
        ("26 November 2026 pkl. 09.00", _jst(26, 9)),
        # Chinese and Korean write the afternoon before the hour; Korean its date with 년.
        ("2026年11月26日 下午2:00", _jst(26, 14)),
        ("2026年11月26日 下午2点30分", _jst(26, 14, 30)),
        ("2026년 11월 26일 (목) 오후 2시", _jst(26, 14)),
        ("2026. 11. 26. 오전 10시 30분", _jst(26, 10, 30)),
        # Mongolian numbers its months.
        ("2026 оны 11-р сарын 26-ны өдөр 10:00 цагт", _jst(26, 10)),
        ("2026 оны 11 дүгээр сарын 26", datetime(2026, 11, 26, tzinfo=UTC)),
        # A spreadsheet's day.
        ("26-Nov-2026", datetime(2026, 11, 26, tzinfo=UTC)),
        # The zone after a range's end is its start's zone too.
        ("26 November 2026, 10:00 – 12:00 (GMT+7)", datetime(2026, 11, 26, 3, tzinfo=UTC)),
        ("Kamis, 26 November 2026, 09.00 - 12.00 WITA", datetime(2026, 11, 26, 1, tzinfo=UTC)),
        # Seconds before the afternoon's mark, as Windows and ASP.NET write a time (the
        # mark was lost: 2 p.m. was 2 a.m.), and Vietnamese SA and CH (sáng, chiều).
        ("26/11/2026 2:00:00 CH", _jst(26, 14)),
        ("26/11/2026 10:00:00 SA", _jst(26, 10)),
        ("26/11/2026 02:00:00 p. m.", _jst(26, 14)),
        ("26/11/2026 12:30:00 AM", _jst(26, 0, 30)),
        ("26 Nov 2026 14:00:05", datetime(2026, 11, 26, 5, 0, 5, tzinfo=UTC)),
        # Khmer (Phnom Penh), with its afternoon and morning; Lao; Mongolian "of the day".
        ("ថ្ងៃទី២៦ ខែវិច្ឆិកា ឆ្នាំ២០២៦ ម៉ោង ២:០០ រសៀល", _jst(26, 14)),
        ("ថ្ងៃទី២៦ ខែវិច្ឆិកា ឆ្នាំ២០២៦ វេលាម៉ោង ៨:៣០ នាទីព្រឹក", _jst(26, 8, 30)),
        ("ວັນທີ 26 ພະຈິກ 2026 ເວລາ 14:00 ໂມງ", _jst(26, 14)),
        ("2026 оны 11 сарын 26-ны өдрийн 14:00 цагт", _jst(26, 14)),
        # A time before the date.
        ("8 giờ 30 phút, thứ Năm, ngày 26/11/2026", _jst(26, 8, 30)),
        ("Vào lúc 14h ngày 26/11/2026", _jst(26, 14)),
        ("10:00 AM, Thursday, November 26, 2026", _jst(26, 10)),
        ("Version 2.10 26 November 2026", datetime(2026, 11, 26, tzinfo=UTC)),
        ("Score 10:2, 26 November 2026", datetime(2026, 11, 26, tzinfo=UTC)),
        # Still no time: numbers that are none.
        ("26 November 2026 Time: 3 participants", datetime(2026, 11, 26, tzinfo=UTC)),
        ("26 November 2026 as 3.5 million", datetime(2026, 11, 26, tzinfo=UTC)),
        ("26 November 2026 de 3 h", datetime(2026, 11, 26, tzinfo=UTC)),
        ("26 novembre 2026 à 12 ans", datetime(2026, 11, 26, tzinfo=UTC)),
        ("COVID-19-Nov-2026", None),
        # A dotted time with nothing after it is a time; with a DOI, another dot or a short
        # hour, it is none.
        ("26 November 2026 14.00", _jst(26, 14)),
        ("26 November 2026 10.1234/5678", datetime(2026, 11, 26, tzinfo=UTC)),
        ("26 November 2026 12.10.2026", datetime(2026, 11, 26, tzinfo=UTC)),
        ("26 November 2026 as 3.50", datetime(2026, 11, 26, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_times_and_dates_as_partner_cities_write_them(text: str, expected: datetime | None) -> None:
    """The time after a date was lost where a word for "at" came before it or the hour was
    written with h, giờ, 点 or 시 (the event was whole-day); a zone after a range's end was
    lost for its start (two hours off in Jakarta); Korean and Mongolian dates and 26-Nov-2026
    were none."""
    found = parse_any_date(text, TOKYO, today=TODAY, order="dmy")
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(
    "text",
    ["วันพฤหัสบดีที่ 26 พฤศจิกายน 2569", "ថ្ងៃព្រហស្បតិ៍ ទី២៦ ខែវិច្ឆិកា ឆ្នាំ២០២៦", "26 พ.ย. 69"],
)
def test_thai_and_khmer_day_headings(text: str) -> None:
    """A heading that is a Thai or Khmer day, its weekday written out, dates its group."""
    assert date_heading(text, TODAY)


@pytest.mark.parametrize(
    "text",
    [
        "Kamis, 26 November 2026",
        "jueves 26 de noviembre de 2026",
        "Quinta-feira, 26 de novembro de 2026",
        "jeudi 26 novembre 2026",
        "Thứ Năm, ngày 26 tháng 11 năm 2026",
        "Perşembe, 26 Kasım 2026",
        "Четверг, 26 ноября 2026",
        "الخميس، 26 نوفمبر 2026",
        "गुरुवार, 26 नवंबर 2026",
    ],
)
def test_partner_day_headings_with_their_weekday(text: str) -> None:
    """A partner city's list heading that names its weekday (`Kamis, 26 November 2026`)
    was no date heading (the weekday counted as words beside the date)."""
    assert date_heading(text, TODAY)
    assert not date_heading(text + " Laporan kegiatan", TODAY)
