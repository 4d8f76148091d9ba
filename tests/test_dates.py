"""Dates as origins write them: ISO 8601 with every offset form, RFC 822, Japanese eras and
numerals, English month names; each with its precision."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tdlc_syndication.pipeline.dates import find_date, parse_any_date, parse_date

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
    ],
)
def test_iso_and_rfc822(text: str, expected: tuple[datetime, str]) -> None:
    assert parse_date(text, TOKYO) == expected


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
    ],
)
def test_dates_in_text(text: str, expected: tuple[datetime, str]) -> None:
    assert parse_any_date(text, TOKYO) == expected


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
