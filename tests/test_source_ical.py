"""The ical kind against a real server."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from pytest_httpserver import HTTPServer
from tests_support import DATA, MakeContext, invoke, parse_all, run_one, source_toml

from tdlc_syndication.pipeline.cli.sources import run_detail
from tdlc_syndication.pipeline.model import Event
from tdlc_syndication.pipeline.publish import publish
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.pipeline.text import has_markup
from tdlc_syndication.sources.common import text_as_html
from tdlc_syndication.sources.icalzones import readable_zones


def test_ical_events(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    server.expect_request("/events.ics").respond_with_data(
        (DATA / "ical" / "events.ics").read_bytes(), content_type="text/calendar; charset=utf-8"
    )
    body = f'url = "{server.url_for("/events.ics")}"\ntimezone = "Asia/Tokyo"'
    ctx = make_context(write_config(source_toml("ical", body)))
    items = {i.id: i for i in parse_all(ctx)}
    tdd = items["src:tdd-2026-11-kobe@events.example.org"]
    assert tdd.title == "Technical Deep Dive: disaster risk management, Kobe"
    assert tdd.summary == (
        "Site visits and peer exchange.\nBring your city's evacuation plan; we will compare."
    )
    assert tdd.kind == "event"
    assert tdd.url == "https://events.example.org/tdd/kobe-2026"
    assert tdd.event == Event(
        start=datetime(2026, 11, 26, 4, 30, tzinfo=UTC),
        end=datetime(2026, 11, 26, 6, 0, tzinfo=UTC),
        location="Kobe City Hall, Kobe",
        status="scheduled",
    )
    assert tdd.published == datetime(2026, 10, 20, 1, 0, tzinfo=UTC)
    assert tdd.updated == datetime(2026, 11, 1, tzinfo=UTC)
    assert tdd.categories == ("Disaster risk management", "Workshop")
    webinar = items["src:webinar-smart-cities@events.example.org"].event
    assert webinar is not None
    assert (webinar.start, webinar.end) == (
        datetime(2026, 12, 3, 7, 0, tzinfo=UTC),
        datetime(2026, 12, 3, 8, 30, tzinfo=UTC),
    )
    assert (webinar.status, webinar.mode) == ("cancelled", "online")
    open_day = items["src:open-day@events.example.org"].event
    assert open_day == Event(
        start=datetime(2026, 12, 10, tzinfo=UTC),
        end=datetime(2026, 12, 11, tzinfo=UTC),
        all_day=True,
    )
    floating = items["src:floating@events.example.org"].event
    assert floating is not None
    assert floating.start == datetime(2026, 12, 15, 1, 0, tzinfo=UTC)
    report, stored = run_one(ctx)
    assert report.new == 4
    assert stored["src:open-day@events.example.org"].item.kind == "event"


def test_a_repeating_series_with_a_moved_an_excluded_and_a_cancelled_occurrence(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    # No timezone on the source: floating times are in the site's zone (Asia/Tokyo).
    body = f'path = "{DATA / "ical" / "series.ics"}"'
    ctx = make_context(write_config(source_toml("ical", body)))
    items = {i.id: i for i in parse_all(ctx)}
    series = sorted(i for i in items if i.startswith("src:peer-call"))
    # Six monthly occurrences from December, February excluded: five items.
    assert series == [
        "src:peer-call@events.example.org#20261201T060000Z",
        "src:peer-call@events.example.org#20270101T060000Z",
        "src:peer-call@events.example.org#20270301T060000Z",
        "src:peer-call@events.example.org#20270401T060000Z",
        "src:peer-call@events.example.org#20270501T060000Z",
    ]
    first = items[series[0]]
    assert first.event is not None
    assert first.event.start == datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # 15:00 in Tokyo
    assert first.event.end == datetime(2026, 12, 1, 7, 30, tzinfo=UTC)
    assert first.event.mode == "online"
    moved = items[series[1]]  # keeps its id, at its new time, with the series' link
    assert moved.event is not None
    assert moved.event.start == datetime(2027, 1, 8, 1, 0, tzinfo=UTC)
    assert moved.title == "Monthly peer call (moved after the new year holidays)"
    assert moved.url == "https://events.example.org/peer-call"
    cancelled = items[series[2]]
    assert cancelled.event is not None
    assert cancelled.event.status == "cancelled"
    study = items["src:study@events.example.org"]
    assert study.event is not None
    assert study.event.start == datetime(2026, 12, 15, 6, 0, tzinfo=UTC)
    # Each occurrence is its own story (they share their page, not their day).
    report, stored = run_one(ctx)
    assert report.new == 6
    assert all(stored[i].duplicate_of is None for i in series)


def test_occurrences_outside_the_window_are_left_out(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    body = f'path = "{DATA / "ical" / "series.ics"}"\nfuture_days = 40'
    ctx = make_context(write_config(source_toml("ical", body)))
    ids = sorted(i.id for i in parse_all(ctx))
    # The clock says 2026-11-26: December's call is within 40 days, the rest is not.
    assert ids == [
        "src:peer-call@events.example.org#20261201T060000Z",
        "src:study@events.example.org",
    ]


DENSE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//tests//dense//EN
BEGIN:VEVENT
UID:every-minute@x.example.org
DTSTAMP:20261101T000000Z
DTSTART:20261120T000000Z
SUMMARY:Reminder set by mistake
URL:https://x.example.org/reminder
RRULE:FREQ=MINUTELY
END:VEVENT
BEGIN:VEVENT
UID:half-hourly@x.example.org
DTSTAMP:20261101T000000Z
DTSTART:20261120T000000Z
SUMMARY:Every half hour
URL:https://x.example.org/half
RRULE:FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE=0,30
END:VEVENT
BEGIN:VEVENT
UID:seminar@x.example.org
DTSTAMP:20261101T000000Z
DTSTART:20261127T010000Z
SUMMARY:Weekly seminar
URL:https://x.example.org/seminar
RRULE:FREQ=WEEKLY;COUNT=3
END:VEVENT
END:VCALENDAR
"""


def test_a_series_that_repeats_more_often_than_hourly_is_skipped_and_said(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """``FREQ=MINUTELY`` over the default window took 44 s and 1.5 GB (``SECONDLY`` would
    not end): a year of copies of one event. Such a series is left out, and the run says
    so; the other events of the calendar are read."""
    calendar = tmp_path / "dense.ics"
    calendar.write_text(DENSE, encoding="utf-8")
    body = f'path = "{calendar}"\npast_days = 0\nfuture_days = 2'
    ctx = make_context(write_config(source_toml("ical", body)))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    assert sorted({s.item.title for s in stored.values()}) == ["Weekly seminar"]
    assert [(s.url.rpartition("#")[2], s.reason) for s in report.skipped] == [
        (
            "every-minute@x.example.org",
            "a rule that repeats every minute (FREQ=MINUTELY): not expanded",
        ),
        ("half-hourly@x.example.org", "a rule that repeats 48 times a day: not expanded"),
    ]


def _write_calendar(path: Path, events: list[tuple[str, str, str]], *head: str) -> None:
    """A calendar of ``events`` (uid, DTSTART line, one more line each: a rule, a
    duration), each titled ``Event <uid>`` with its own URL, after the ``head`` lines."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//events//EN", *head]
    for uid, start, extra in events:
        lines += ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261120T000000Z", start, extra]
        lines += [f"SUMMARY:Event {uid}", f"URL:https://x.example.org/{uid}", "END:VEVENT"]
    path.write_text("\r\n".join([*lines, "END:VCALENDAR", ""]), encoding="utf-8")


def test_a_series_that_cannot_be_expanded_is_left_out_and_keeps_what_it_gave(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """The repeating events were expanded together with the whole calendar: one event
    dated past what a datetime holds (9999-12-31 and 400 days more), or one broken rule
    (``FREQ=MOTHLY``, found by the fuzzer in CI), failed every event of the calendar
    ("cannot expand repeating events: OverflowError('date value out of range')"). Each
    series is now expanded alone, and one that cannot be is left out and said; its stored
    occurrences are not taken for deleted from the calendar."""
    path = tmp_path / "city.ics"

    def write(rule: str) -> None:
        events = [
            ("seminar", "DTSTART:20261127T010000Z", rule),
            ("far", "DTSTART:99991231T000000Z", "DURATION:P400D"),
            ("soon", "DTSTART:20261210T090000Z", "DURATION:PT2H"),
        ]
        _write_calendar(path, events)
        stamp = time.time() + (20 if "MOTHLY" in rule else 10)
        os.utime(path, (stamp, stamp))  # a newer file: read again

    ctx = make_context(write_config(source_toml("ical", f'path = "{path}"')))
    write("RRULE:FREQ=WEEKLY;COUNT=3")
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    assert sorted(i.removeprefix("src:") for i in stored) == [
        "far",
        "seminar#20261127T010000Z",
        "seminar#20261204T010000Z",
        "seminar#20261211T010000Z",
        "soon",
    ]
    write("RRULE:FREQ=MOTHLY")
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    [(url, reason)] = [(s.url, s.reason) for s in report.skipped]
    assert url.endswith("#seminar")
    assert reason.startswith("cannot expand its repeats: ")
    assert "MOTHLY" in reason
    assert len(stored) == 5
    assert all(s.retracted is None for s in stored.values())


@pytest.mark.parametrize(
    ("named", "hour"),
    [
        ("Asia/Manila", 2),
        ("Asia", 1),  # no zone: the source's
        ("SE Asia Standard Time", 3),  # a Windows name, as a TZID is read (it was the source's)
        ("GMT+08:00", 2),  # a name with its offset (it was the source's)
    ],
)
def test_floating_times_are_in_the_zone_the_calendar_names(
    named: str,
    hour: int,
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: MakeContext,
) -> None:
    """A calendar that names its zone (``X-WR-TIMEZONE``, as Google's and Apple's write
    it) means its floating times in it. The expansion of repeating events read it and
    single events took the source's zone: a weekly seminar at 10:00 in Manila was at 02:00
    UTC, and a single event at 10:00 at 01:00 UTC (10:00 in Tokyo)."""
    events = [
        ("once", "DTSTART:20261210T100000", "DURATION:PT2H"),
        ("weekly", "DTSTART:20261203T100000", "RRULE:FREQ=WEEKLY;COUNT=2"),
    ]
    path = tmp_path / "zone.ics"
    _write_calendar(path, events, f"X-WR-TIMEZONE:{named}")
    body = f'path = "{path}"\ntimezone = "Asia/Tokyo"'
    ctx = make_context(write_config(source_toml("ical", body)))
    starts = {i.id: i.event.start for i in parse_all(ctx) if i.event is not None}
    assert starts == {
        "src:once": datetime(2026, 12, 10, hour, tzinfo=UTC),
        f"src:weekly#20261203T0{hour}0000Z": datetime(2026, 12, 3, hour, tzinfo=UTC),
        f"src:weekly#20261210T0{hour}0000Z": datetime(2026, 12, 10, hour, tzinfo=UTC),
    }


def test_a_time_past_the_calendars_end_is_no_time_not_a_fault(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """23:00 on 9999-12-31 in Los Angeles is in the year 10000 in UTC, and a duration past
    that date is no date: each OverflowError failed the whole calendar as a fault of this
    program. Such an event has no time (and so no event); the others are read."""
    calendar = tmp_path / "end.ics"
    _write_calendar(
        calendar,
        [
            ("far", "DTSTART;TZID=America/Los_Angeles:99991231T230000", "DURATION:PT2H"),
            ("long", "DTSTART:99991231T000000Z", "DURATION:P400D"),
            ("soon", "DTSTART:20261210T090000Z", "DURATION:PT2H"),
        ],
    )
    ctx = make_context(write_config(source_toml("ical", f'path = "{calendar}"')))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    events = {s.item.title: s.item.event for s in stored.values()}
    assert events["Event far"] is None
    assert events["Event long"] is None
    soon = events["Event soon"]
    assert soon is not None
    assert soon.end == datetime(2026, 12, 10, 11, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "hour"),
    [
        ('"(UTC+07:00) Bangkok, Hanoi, Jakarta"', 3),  # Outlook's name, without its VTIMEZONE
        ('"GMT+08:00"', 2),
        ("UTC+0530", 4),  # 10:00 in Delhi is 04:30 UTC
        ("Asia", 1),  # a folder of the zone database: floating, in the source's zone
        ("JST", 1),  # an unknown name: floating, as icalendar reads it
        ("Etc/GMT+9", 19),  # the IANA name, whose sign is POSIX's: UTC-9
        # Lightning's globally unique name: icalendar read it, with a warning on standard
        # error at every run (cron mailed it); the tests take a warning for an error.
        ("/mozilla.org/20050126_1/Asia/Bangkok", 3),
    ],
)
def test_a_zone_name_icalendar_does_not_know_is_read_as_it_says(
    zone: str,
    hour: int,
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: MakeContext,
) -> None:
    """A calendar that leaves out the VTIMEZONE of a zone it names. Outlook's display
    name (``(UTC+07:00) Bangkok, Hanoi, Jakarta``) or ``GMT+09:00`` was read as no zone,
    so an event at 10:00 in Jakarta, read with the site's Tokyo zone, was at 01:00 UTC, two
    hours early; such a name is read at its offset now. ``TZID=Asia`` (a name cut short,
    found by the parser fuzzer) made icalendar open a folder of the zone database: the
    IsADirectoryError failed the whole calendar, here its other event too."""
    events = [
        ("zoned", f"DTSTART;TZID={zone}:20261210T100000", "DURATION:PT2H"),
        ("weekly", f"DTSTART;TZID={zone}:20261203T100000", "RRULE:FREQ=WEEKLY;COUNT=2"),
        ("utc", "DTSTART:20261211T090000Z", "DURATION:PT1H"),
    ]
    path = tmp_path / "zone.ics"
    _write_calendar(path, events)
    ctx = make_context(write_config(source_toml("ical", f'path = "{path}"')))
    starts = {i.id: i.event.start for i in parse_all(ctx) if i.event is not None}
    minute = 30 if "0530" in zone else 0
    assert starts["src:zoned"] == datetime(2026, 12, 10, hour, minute, tzinfo=UTC)
    assert starts["src:utc"] == datetime(2026, 12, 11, 9, tzinfo=UTC)
    weekly = sorted(start for key, start in starts.items() if key.startswith("src:weekly#"))
    assert weekly == [
        datetime(2026, 12, 3, hour, minute, tzinfo=UTC),
        datetime(2026, 12, 10, hour, minute, tzinfo=UTC),
    ]


def test_an_outlook_all_day_event_written_as_midnights_is_all_day(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Outlook and Exchange may write an all-day event as times from midnight to midnight
    in its zone, marked ``X-MICROSOFT-CDO-ALLDAYEVENT:TRUE``: it was published as 48 hours
    from 15:00 UTC, on three days for a reader in Europe. It is the days it marks now; a
    meeting at midnight without the mark keeps its time."""
    tokyo = "TZID=Tokyo Standard Time"
    events = [
        ("outlook", f"DTSTART;{tokyo}:20261210T000000",
         f"DTEND;{tokyo}:20261212T000000\r\nX-MICROSOFT-CDO-ALLDAYEVENT:TRUE"),
        ("floating", "DTSTART:20261215T000000",
         "DTEND:20261216T000000\r\nX-MICROSOFT-MSNCALENDAR-ALLDAYEVENT:TRUE"),
        ("meeting", f"DTSTART;{tokyo}:20261217T000000",
         f"DTEND;{tokyo}:20261217T010000\r\nX-MICROSOFT-CDO-ALLDAYEVENT:FALSE"),
    ]  # fmt: skip
    path = tmp_path / "outlook.ics"
    _write_calendar(path, events)
    ctx = make_context(write_config(source_toml("ical", f'path = "{path}"')))
    found = {i.id: i.event for i in parse_all(ctx) if i.event is not None}
    outlook, floating, meeting = found["src:outlook"], found["src:floating"], found["src:meeting"]
    assert (outlook.all_day, outlook.start) == (True, datetime(2026, 12, 10, tzinfo=UTC))
    assert outlook.last_day().isoformat() == "2026-12-11"
    assert (floating.all_day, floating.last_day().isoformat()) == (True, "2026-12-15")
    assert (meeting.all_day, meeting.start) == (False, datetime(2026, 12, 16, 15, tzinfo=UTC))


def test_a_line_folded_inside_a_character_is_joined_before_it_is_read(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """RFC 5545 folds lines at 75 octets, and writers that count octets fold inside a
    character: every Japanese title or place of some length had a replacement character
    where it was folded. The lines are joined before the calendar is decoded now; a
    calendar in UTF-16 is read as before."""
    title = "防災ワークショップ：神戸市と横浜市の経験を共有する技術ディープダイブ"
    place = "神戸市役所 1号館 24階 大会議室（兵庫県神戸市中央区加納町6丁目5番1号）"

    def folded(line: str) -> bytes:
        octets, out = line.encode(), []
        while octets:
            out.append(octets[:75])
            octets = octets[75:]
        return b"\r\n ".join(out)

    lines = [b"BEGIN:VCALENDAR", b"VERSION:2.0", b"BEGIN:VEVENT", b"UID:tdd-kobe"]
    lines += [b"DTSTART:20261210T010000Z", folded(f"SUMMARY:{title}")]
    lines += [folded(f"LOCATION:{place}"), b"URL:https://x.example.org/tdd-kobe"]
    body = b"\r\n".join([*lines, b"END:VEVENT", b"END:VCALENDAR", b""])
    assert "\ufffd" in body.decode("utf-8", "replace")  # as such writers fold
    path = tmp_path / "city.ics"
    path.write_bytes(body)
    ctx = make_context(write_config(source_toml("ical", f'path = "{path}"')))
    (item,) = parse_all(ctx)
    assert item.title == title
    assert item.event is not None
    assert item.event.location == place
    text = "\r\n".join(line.decode() for line in lines[:5])
    text += f"\r\nSUMMARY:{title[:30]}\r\n {title[30:]}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    path.write_bytes(text.encode("utf-16"))
    assert [i.title for i in parse_all(ctx)] == [title]


def test_a_zone_the_calendar_defines_is_its_own_even_when_its_name_has_an_offset() -> None:
    """Outlook's ``(UTC+01:00) Amsterdam, Berlin`` is defined with its summer time in the
    calendar's VTIMEZONE: the calendar is parsed as written, not at the name's offset; a
    name folded across lines is read whole."""
    defined = (
        "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:(UTC+01:00) Amsterdam\\, Berlin\r\n"
        'END:VTIMEZONE\r\nBEGIN:VEVENT\r\nDTSTART;TZID="(UTC+01:00) Amsterdam, Berlin":'
        "20260710T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert readable_zones(defined) == defined
    folded = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;TZ\r\n ID=Asia:20261210T100000\r\n"
    repaired = readable_zones(folded + "END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert "DTSTART:20261210T100000\r\n" in repaired
    assert "TZID" not in repaired


def test_events_of_one_day_that_link_to_one_page_are_each_an_event(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A city calendar whose every event links to the city's events page: two events on
    one day shared a link and a day, and one was hidden as the other's duplicate (and left
    out of events.ics). Within one source a shared link joins only one title's items."""
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:{uid}@city\r\nDTSTAMP:20261120T000000Z\r\n"
        f"DTSTART;VALUE=DATE:20261210\r\nURL:https://city.example.jp/events.html\r\n"
        f"SUMMARY:{title}\r\nEND:VEVENT\r\n"
        for uid, title in (("a", "防災セミナー"), ("b", "環境フォーラム"))
    )
    path = tmp_path / "city.ics"
    path.write_text(
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//city//x//EN\r\n{events}END:VCALENDAR\r\n",
        "utf-8",
    )
    report, stored = run_one(make_context(write_config(source_toml("ical", f'path = "{path}"\n'))))
    assert report.new == 2
    assert [s.duplicate_of for s in stored.values()] == [None, None]


def test_calendars_one_after_another_in_one_file_are_read_as_one(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A file that merges calendars by writing them one after another (several
    ``BEGIN:VCALENDAR`` blocks, as icalendar's issue 1050 reports of real files) failed
    the source: "Found multiple components where only one is allowed". Each one's events
    are read; a file with no whole calendar says so."""

    def one(uid: str, title: str) -> str:
        return (
            f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//{uid}//x//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:{uid}@city\r\nDTSTAMP:20261120T000000Z\r\nDTSTART;VALUE=DATE:20261210\r\n"
            f"URL:https://city.example.jp/{uid}.html\r\nSUMMARY:{title}\r\nEND:VEVENT\r\n"
            "END:VCALENDAR\r\n"
        )

    path = tmp_path / "merged.ics"
    path.write_text(one("a", "防災セミナー") + one("b", "環境フォーラム"), "utf-8")
    ctx = make_context(write_config(source_toml("ical", f'path = "{path}"\n')))
    report, stored = run_one(ctx)
    assert sorted(s.item.title for s in stored.values()) == ["環境フォーラム", "防災セミナー"]
    path.write_text("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\n", "utf-8")
    report, _ = run_one(ctx)
    assert "no whole calendar" in (report.error or "")


def test_an_alarm_or_an_early_offset_written_wrong_does_not_fail_the_calendar(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Two damages real exporters write failed the whole calendar: a zone's local mean
    time as ``TZOFFSETFROM:+5328`` (Berlin's +00:53:28 without its hours: "Offset must be
    less than 24 hours"), and an alarm triggered ``PT-2H`` for ``-PT2H`` (a railway's
    tickets: "Invalid iCalendar duration"). The zone's offset is read with its hours, the
    alarm, which no item reads, is left out; a calendar damaged where events are still
    fails and says why."""
    zone = (
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\n"
        "DTSTART:18930401T000000\r\nTZOFFSETFROM:+5328\r\nTZOFFSETTO:+0100\r\n"
        "END:STANDARD\r\nBEGIN:STANDARD\r\nDTSTART:19961027T030000\r\n"
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nTZOFFSETFROM:+0200\r\n"
        "TZOFFSETTO:+0100\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\n"
        "DTSTART:19810329T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
        "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
    )
    alarm = "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER;RELATED=START:PT-2H\r\nEND:VALARM\r\n"

    def calendar(inside: str, zone: str = zone) -> str:
        return (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//x//EN\r\n" + zone
            + "BEGIN:VEVENT\r\nUID:tour@city\r\nDTSTAMP:20261120T000000Z\r\n"
            "DTSTART;TZID=Europe/Berlin:20261210T100000\r\nSUMMARY:Study tour in Berlin\r\n"
            f"URL:https://city.example.jp/tour.html\r\n{inside}END:VEVENT\r\nEND:VCALENDAR\r\n"
        )  # fmt: skip

    path = tmp_path / "tour.ics"
    path.write_text(calendar(alarm), "utf-8")
    ctx = make_context(write_config(source_toml("ical", f'path = "{path}"\n')))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    (tour,) = (s.item for s in stored.values())
    assert tour.event is not None
    assert tour.event.start == datetime(2026, 12, 10, 9, 0, tzinfo=UTC)  # 10:00 CET
    path.write_text(calendar(alarm, zone.replace("TZOFFSETTO:+0100", "TZOFFSETTO:+01")), "utf-8")
    report, _ = run_one(ctx)
    assert "is not valid iCalendar" in (report.error or "")


PHP_NOTICE = (
    "<br />\r\n<b>Notice</b>:  Undefined index: venue in <b>/var/www/html/wp-content/"
    "plugins/events/ical.php</b> on line <b>88</b><br />\r\n"
)


@pytest.mark.parametrize(
    ("where", "junk"),
    [
        ("between", PHP_NOTICE),  # a script's notice between two events
        ("after", PHP_NOTICE),
        ("before", PHP_NOTICE),
        ("between", "X\r\n"),  # a line that is no content line
        ("merged", "\ufeff"),  # two files merged, each with its byte-order mark
    ],
)
def test_a_line_that_is_no_content_line_does_not_fail_the_calendar(
    where: str,
    junk: str,
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: MakeContext,
) -> None:
    """A line outside the events that is no content line (no name before a ``:``) failed
    the whole calendar ("Content line could not be parsed into parts"): a PHP notice a
    site's script printed into its export, or the byte-order mark of the second of two
    files merged into one. It is passed over, as libical passes one over."""

    def event(uid: str, title: str) -> str:
        return (
            f"BEGIN:VEVENT\r\nUID:{uid}@city\r\nDTSTAMP:20261120T000000Z\r\n"
            f"DTSTART;VALUE=DATE:20261210\r\nURL:https://city.example.jp/{uid}.html\r\n"
            f"SUMMARY:{title}\r\nEND:VEVENT\r\n"
        )

    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//x//EN\r\n"
    one, two = event("a", "防災セミナー"), event("b", "環境フォーラム")
    texts = {
        "between": head + one + junk + two + "END:VCALENDAR\r\n",
        "after": head + one + two + "END:VCALENDAR\r\n" + junk,
        "before": junk + head + one + two + "END:VCALENDAR\r\n",
        "merged": f"{head}{one}END:VCALENDAR\r\n{junk}{head}{two}END:VCALENDAR\r\n",
    }
    path = tmp_path / "events.ics"
    path.write_text(texts[where], "utf-8")
    ctx = make_context(write_config(source_toml("ical", f'path = "{path}"\n')))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    assert sorted(s.item.title for s in stored.values()) == ["環境フォーラム", "防災セミナー"]


def test_a_title_marked_postponed_or_cancelled_gives_the_status(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """iCalendar has no status for a postponement: city calendars write （延期） into the
    title, with STATUS:CANCELLED or none, and the event was published as cancelled. A
    title's mark gives the status; STATUS does where the title has none."""
    cases = [
        ("drill", "CANCELLED", "神戸市 地域防災訓練の見学（延期）"),
        ("forum", "", "Postponed: Smart city forum"),
        ("tour", "CONFIRMED", "【中止】まち歩きツアー"),
        ("call", "CANCELLED", "Peer call"),
        ("seminar", "CONFIRMED", "Seminar"),
    ]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//status//EN"]
    for uid, status, title in cases:
        lines += ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261120T000000Z"]
        lines += ["DTSTART;VALUE=DATE:20261210", f"SUMMARY:{title}"]
        lines += [f"URL:https://city.example.jp/{uid}", *([f"STATUS:{status}"] if status else [])]
        lines.append("END:VEVENT")
    calendar = tmp_path / "status.ics"
    calendar.write_text("\r\n".join([*lines, "END:VCALENDAR", ""]), encoding="utf-8")
    ctx = make_context(write_config(source_toml("ical", f'path = "{calendar}"')))
    statuses = {i.url.rpartition("/")[2]: i.event.status for i in parse_all(ctx) if i.event}
    assert statuses == {
        "drill": "postponed",
        "forum": "postponed",
        "tour": "cancelled",
        "call": "cancelled",
        "seminar": "scheduled",
    }


def _google_like(calendar_url: str = "") -> str:
    """A calendar as Google and Outlook publish it: no event has a URL but the last."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Google Inc//Google Calendar 70.9054//EN"]
    lines += ["X-WR-CALNAME:Kobe partnership", *([calendar_url] if calendar_url else [])]
    for uid, start, title, url in (
        ("abc123", "DTSTART:20261210T010000Z", "Flood early warning peer exchange", ""),
        ("def456", "DTSTART;VALUE=DATE:20261215", "Site visit day", ""),
        (
            "own",
            "DTSTART;VALUE=DATE:20261216",
            "With its own page",
            "https://city.example.jp/events/own",
        ),
    ):
        lines += ["BEGIN:VEVENT", f"UID:{uid}@google.com", "DTSTAMP:20261201T000000Z", start]
        lines += [f"SUMMARY:{title}", *([f"URL:{url}"] if url else []), "END:VEVENT"]
    return "\r\n".join([*lines, "END:VCALENDAR", ""])


@pytest.mark.parametrize(
    ("calendar_url", "page_url", "expected"),
    [
        ("", "https://city.example.jp/events", "https://city.example.jp/events"),
        ("URL:https://city.example.jp/calendar", None, "https://city.example.jp/calendar"),
        ("URL:https://city.example.jp/calendar", "https://city.example.jp/events",
         "https://city.example.jp/events"),
    ],
)  # fmt: skip
def test_events_without_their_own_url_link_to_the_calendars_page(
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
    calendar_url: str,
    page_url: str | None,
    expected: str,
) -> None:
    """Google's and Outlook's calendars give their events no URL: every event was dropped
    (``no-link``), and a partner city's calendar published nothing. Such an event links to
    ``page_url``, else the calendar's own URL property (RFC 7986); an event with a URL
    keeps it; events sharing the link stay apart."""
    served = server.url_for("/basic.ics")
    server.expect_request("/basic.ics").respond_with_data(
        _google_like(calendar_url), content_type="text/calendar"
    )
    body = f'url = "{served}"' + (f'\npage_url = "{page_url}"' if page_url else "")
    ctx = make_context(write_config(source_toml("ical", body)))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    assert (report.dropped, report.notes) == (0, {})
    links = {s.item.title: s.item.url for s in stored.values() if s.duplicate_of is None}
    assert links == {
        "Flood early warning peer exchange": expected,
        "Site visit day": expected,
        "With its own page": "https://city.example.jp/events/own",
    }


def test_events_without_a_link_anywhere_are_dropped_and_the_address_is_never_published(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Without ``page_url`` or the calendar's URL property, events without a URL are dropped
    as before (``no-link``): the calendar's address is no link to publish (Google's secret
    address would be in every feed)."""
    secret = server.url_for("/calendar/ical/private-5f3a/basic.ics")
    server.expect_request("/calendar/ical/private-5f3a/basic.ics").respond_with_data(
        _google_like(), content_type="text/calendar"
    )
    config = write_config(source_toml("ical", f'url = "{secret}"'))
    ctx = make_context(config)
    report, stored = run_one(ctx)
    assert (report.dropped, report.notes) == (2, {"no-link": 2})
    assert [s.item.title for s in stored.values()] == ["With its own page"]
    assert all("private-5f3a" not in s.item.url for s in stored.values())
    # ``try`` names the fix (it said "no-link: 2" alone)
    code, out = invoke(config, "try", "src")
    assert code == 0
    assert "no-link: 2" in out
    assert "2 events dropped: no URL in the event nor the calendar" in out
    assert "set page_url to the page that shows the calendar" in out


@pytest.mark.parametrize("page_url", [None, "https://city.example.jp/events"])
def test_an_event_linked_from_its_hosts_root_links_there(
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
    page_url: str | None,
) -> None:
    """Discourse's calendars give each event a link from their host's root
    (``URL:/c/machbar/calendar``): every such event was dropped (``no-link``), with
    ``page_url`` set or not. It is resolved against the calendar's address as browsers
    resolve it, which takes the host alone. A link relative to the calendar's folder is
    not: it would publish the calendar's path, a secret address's key (the event links to
    ``page_url``, or is dropped)."""
    path = "/calendar/private-7d1e/events.ics"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Forum//Events//EN"]
    for uid, link in (("a1", "/c/machbar/calendar"), ("b2", "event-b2.html")):
        lines += ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261201T000000Z"]
        lines += ["DTSTART:20261210T010000Z", f"SUMMARY:Event {uid}", f"URL:{link}", "END:VEVENT"]
    server.expect_request(path).respond_with_data(
        "\r\n".join([*lines, "END:VCALENDAR", ""]), content_type="text/calendar"
    )
    body = f'url = "{server.url_for(path)}"' + (f'\npage_url = "{page_url}"' if page_url else "")
    ctx = make_context(write_config(source_toml("ical", body)))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    links = {s.item.title: s.item.url for s in stored.values()}
    assert links["Event a1"] == server.url_for("/c/machbar/calendar")
    if page_url:
        assert links["Event b2"] == page_url
    else:
        assert "Event b2" not in links
        assert report.notes == {"no-link": 1}
    assert all("private-7d1e" not in link for link in links.values())


def test_a_change_to_this_and_every_later_occurrence_keeps_each_occurrence(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A weekly seminar moved from 10:00 to 14:00 from its third week on, as one change
    to "this and every later occurrence" (``RECURRENCE-ID;RANGE=THISANDFUTURE``, RFC 5545
    3.2.13): every later occurrence carried the change's ``RECURRENCE-ID``, so had its
    id, and all but the first were dropped as duplicates (``duplicate-in-fetch``). Each
    keeps its own now, the start it had before the change, as a moved one does."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//range//EN"]
    lines += ["BEGIN:VEVENT", "UID:seminar", "DTSTAMP:20261120T000000Z"]
    lines += ["DTSTART:20261201T010000Z", "DTEND:20261201T020000Z", "RRULE:FREQ=WEEKLY;COUNT=5"]
    lines += ["SUMMARY:Compact city seminar", "URL:https://city.example.jp/seminar", "END:VEVENT"]
    lines += ["BEGIN:VEVENT", "UID:seminar", "DTSTAMP:20261120T000000Z"]
    lines += ["RECURRENCE-ID;RANGE=THISANDFUTURE:20261215T010000Z"]
    lines += ["DTSTART:20261215T050000Z", "DTEND:20261215T060000Z"]
    lines += ["SUMMARY:Compact city seminar (afternoons)", "END:VEVENT"]
    path = tmp_path / "range.ics"
    path.write_text("\r\n".join([*lines, "END:VCALENDAR", ""]), encoding="utf-8")
    ctx = make_context(write_config(source_toml("ical", f'path = "{path}"')))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    assert report.notes == {}
    events = sorted(
        (s.item.event.start, s.item.id, s.item.title) for s in stored.values() if s.item.event
    )
    assert [(start.day, start.hour) for start, _, _ in events] == [
        (1, 1), (8, 1), (15, 5), (22, 5), (29, 5)
    ]  # fmt: skip
    assert [item_id for _, item_id, _ in events] == [
        f"src:seminar#202612{day:02d}T010000Z" for day in (1, 8, 15, 22, 29)
    ]
    assert {title for _, _, title in events[2:]} == {"Compact city seminar (afternoons)"}


def test_private_events_are_never_published_and_withdrawn_when_marked(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A calendar's secret address (Google's, Outlook's) gives its owner's private events
    too, and they were published in every feed. An event marked ``CLASS:PRIVATE`` or
    ``CONFIDENTIAL`` or a class unknown here (a series so marked: every occurrence, a moved
    one included) is left
    out; one published before it was marked is withdrawn."""

    def calendar(public_call: str) -> str:
        lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//class//EN"]
        for uid, extra in (
            ("open", []),
            ("call", [public_call] if public_call else []),
            ("doctor", ["CLASS:PRIVATE"]),
            ("review", ["CLASS:confidential"]),
            ("team", ["CLASS:X-TEAM-ONLY"]),  # unknown: private, as RFC 5545 asks
            ("shared", ["CLASS:PUBLIC"]),
            ("weekly", ["CLASS:PRIVATE", "RRULE:FREQ=WEEKLY;COUNT=3"]),
        ):
            lines += ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261120T000000Z"]
            lines += ["DTSTART:20261201T010000Z", f"SUMMARY:Event {uid}", *extra]
            lines += [f"URL:https://city.example.jp/{uid}", "END:VEVENT"]
        # A moved occurrence that does not repeat CLASS takes it from its series.
        lines += ["BEGIN:VEVENT", "UID:weekly", "DTSTAMP:20261120T000000Z"]
        lines += ["RECURRENCE-ID:20261208T010000Z", "DTSTART:20261209T010000Z"]
        lines += ["SUMMARY:Event weekly (moved)", "END:VEVENT"]
        return "\r\n".join([*lines, "END:VCALENDAR", ""])

    path = tmp_path / "owner.ics"
    path.write_text(calendar(""), encoding="utf-8")
    config = write_config(source_toml("ical", f'path = "{path}"'))
    # `try` says what it leaves out, and why.
    code, out = invoke(config, "try", "src")
    assert code == 0
    assert "withdrawn src:doctor: marked CLASS:PRIVATE in the calendar" in out
    assert "withdrawn src:team: marked CLASS:X-TEAM-ONLY in the calendar" in out
    ctx = make_context(config)
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    assert sorted(s.item.title for s in stored.values()) == [
        "Event call",
        "Event open",
        "Event shared",
    ]
    path.write_text(calendar("CLASS:PRIVATE"), encoding="utf-8")
    os.utime(path, (time.time() + 10, time.time() + 10))  # a newer file: read again
    report, stored = run_one(ctx)
    assert report.retracted == 1
    assert run_detail(report) == "withdrawn: 1"  # in the fetch summary
    assert stored["src:call"].retracted == "marked CLASS:PRIVATE in the calendar"
    assert stored["src:open"].retracted is None
    # Made public again, unchanged otherwise: it is published again (it stayed withdrawn).
    path.write_text(calendar(""), encoding="utf-8")
    os.utime(path, (time.time() + 20, time.time() + 20))
    report, stored = run_one(ctx)
    assert (report.changed, report.retracted) == (1, 0)
    assert stored["src:call"].retracted is None


def test_a_long_calendar_keeps_the_events_nearest_to_now(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A calendar holding more events than ``max_items`` (years of one-off meetings) kept
    its oldest ones and dropped every event still to come. It keeps those nearest to the
    run's day (2026-11-26 here): all to come, then the latest gone by."""
    days = ["20240110", "20250310", "20261020", "20261125", "20261201", "20270115", "20270301"]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//long//EN"]
    for day in days:
        lines += ["BEGIN:VEVENT", f"UID:{day}", "DTSTAMP:20261120T000000Z"]
        lines += [f"DTSTART;VALUE=DATE:{day}", f"SUMMARY:Meeting {day}"]
        lines += [f"URL:https://city.example.jp/{day}", "END:VEVENT"]
    calendar = tmp_path / "long.ics"
    calendar.write_text("\r\n".join([*lines, "END:VCALENDAR", ""]), encoding="utf-8")
    ctx = make_context(write_config(source_toml("ical", f'path = "{calendar}"\nmax_items = 4')))
    kept = [i.id.removeprefix("src:") for i in parse_all(ctx)]
    assert kept == ["20261125", "20261201", "20270115", "20270301"]
    # Stored whole, then read with room for two: the one to come past them was cut here,
    # not deleted from the calendar, and stays.
    assert run_one(ctx)[0].new == 4
    ctx = make_context(write_config(source_toml("ical", f'path = "{calendar}"\nmax_items = 2')))
    calendar.write_text(
        calendar.read_text("utf-8").replace("END:VCALENDAR", "X-WR-CALNAME:City\r\nEND:VCALENDAR"),
        encoding="utf-8",
    )
    report, stored = run_one(ctx)
    assert (report.status, report.retracted) == ("ok", 0)
    assert stored["src:20270301"].retracted is None


def test_attachments_give_the_events_image_and_documents(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """WordPress's The Events Calendar exports each event's featured image as ``ATTACH``,
    and city calendars attach a flyer: both were left out. The first image is the event's
    thumbnail, other files its documents (feed enclosures); inline ones are not
    published; a moved occurrence keeps its series' attachments."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//attach//EN"]
    lines += ["BEGIN:VEVENT", "UID:forum", "DTSTAMP:20261120T000000Z"]
    lines += ["DTSTART:20261210T060000Z", "SUMMARY:Forum", "URL:https://city.example.jp/forum"]
    lines += ["ATTACH;FMTTYPE=image/jpeg:https://city.example.jp/wp-content/forum.jpg"]
    lines += ["ATTACH;FMTTYPE=application/pdf:https://city.example.jp/files/flyer.pdf"]
    lines += ["ATTACH:https://city.example.jp/files/map.png?v=2"]  # a second image
    lines += ["ATTACH;ENCODING=BASE64;VALUE=BINARY;FMTTYPE=text/plain:aGVsbG8=", "END:VEVENT"]
    lines += ["BEGIN:VEVENT", "UID:call", "DTSTAMP:20261120T000000Z"]
    lines += ["DTSTART:20261201T060000Z", "SUMMARY:Call", "URL:https://city.example.jp/call"]
    lines += ["RRULE:FREQ=WEEKLY;COUNT=2", "ATTACH:https://city.example.jp/files/agenda.docx"]
    lines += ["END:VEVENT", "BEGIN:VEVENT", "UID:call", "DTSTAMP:20261120T000000Z"]
    lines += ["RECURRENCE-ID:20261208T060000Z", "DTSTART:20261209T060000Z"]
    lines += ["SUMMARY:Call (moved)", "END:VEVENT", "END:VCALENDAR", ""]
    calendar = tmp_path / "attach.ics"
    calendar.write_text("\r\n".join(lines), encoding="utf-8")
    ctx = make_context(write_config(source_toml("ical", f'path = "{calendar}"')))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    forum = stored["src:forum"].item
    assert forum.thumbnail == "https://city.example.jp/wp-content/forum.jpg"
    assert [(m.url, m.mime, m.role) for m in forum.media] == [
        ("https://city.example.jp/files/flyer.pdf", "application/pdf", "document")
    ]
    moved = stored["src:call#20261208T060000Z"].item
    assert [m.url for m in moved.media] == ["https://city.example.jp/files/agenda.docx"]


def test_an_event_deleted_from_the_calendar_is_withdrawn(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A calendar marks no deletion: an event deleted by its organiser is simply gone from
    the file, and it stayed published as going ahead (in events.ics, the upcoming events).
    An event still to come that the calendar no longer lists is withdrawn; a past one it
    dropped stays (calendars prune their past); an empty calendar withdraws nothing; one
    listed again is published again. The clock says 2026-11-26."""
    path = tmp_path / "city.ics"

    def write(*days: str) -> None:
        lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//gone//EN"]
        for day in days:
            lines += ["BEGIN:VEVENT", f"UID:{day}", "DTSTAMP:20261120T000000Z"]
            lines += [f"DTSTART;VALUE=DATE:{day}", f"SUMMARY:Event {day}"]
            lines += [f"URL:https://city.example.jp/{day}", "END:VEVENT"]
        path.write_text("\r\n".join([*lines, "END:VCALENDAR", ""]), encoding="utf-8")
        stamp = time.time() + 10 * len(runs)
        os.utime(path, (stamp, stamp))  # a newer file each time: read again

    runs: list[int] = []
    ctx = make_context(write_config(source_toml("ical", f'path = "{path}"')))

    def run(*days: str) -> dict[str, str | None]:
        write(*days)
        runs.append(1)
        report, stored = run_one(ctx)
        assert report.status == "ok", report.error
        return {i.removeprefix("src:"): s.retracted for i, s in stored.items()}

    assert run("20261101", "20261210", "20261220") == dict.fromkeys(
        ["20261101", "20261210", "20261220"]
    )
    assert run("20261220") == {
        "20261101": None,  # gone by: kept
        "20261210": "deleted from the calendar",
        "20261220": None,
    }
    assert run() == {"20261101": None, "20261210": "deleted from the calendar", "20261220": None}
    assert run("20261210", "20261220")["20261210"] is None  # listed again


@pytest.mark.parametrize("busy", ["Busy", "予定あり"])
def test_a_calendar_shared_with_availability_only_says_so(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext, busy: str
) -> None:
    """Outlook's "Availability only" and Google's "free/busy" give every event the title
    "Busy" (予定あり) and nothing else: the site listed a column of "Busy" events. The
    source fails with what to do; a calendar with one real event among them is read."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Microsoft Corporation//Outlook//EN"]
    for n, title in enumerate([busy, busy, "Tentative"]):
        lines += ["BEGIN:VEVENT", f"UID:b{n}", "DTSTAMP:20261120T000000Z"]
        lines += [f"DTSTART:2026121{n}T010000Z", f"SUMMARY:{title}"]
        lines += ["URL:https://city.example.jp/cal", "END:VEVENT"]
    calendar = tmp_path / "busy.ics"
    calendar.write_text("\r\n".join([*lines, "END:VCALENDAR", ""]), encoding="utf-8")
    ctx = make_context(write_config(source_toml("ical", f'path = "{calendar}"')))
    report, stored = run_one(ctx)
    assert report.status == "failed"
    assert "shares availability only" in (report.error or "")
    assert "publish the calendar with all its details" in (report.error or "")
    assert stored == {}
    lines[lines.index("SUMMARY:Tentative")] = "SUMMARY:Kobe study visit"  # one real event
    calendar.write_text("\r\n".join([*lines, "END:VCALENDAR", ""]), encoding="utf-8")
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    assert "Kobe study visit" in {s.item.title for s in stored.values()}


def test_an_events_description_keeps_its_lines_and_links(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A description's lines, paragraphs and links were flattened into one line of text:
    a registration address could not be followed and an agenda read as one sentence. The
    event's HTML is Outlook's HTML copy (``X-ALT-DESC``, its body, cleaned), Google's
    HTML description, or the text laid out as written with its addresses linked; in the
    feeds it follows the event's "When" line. One line of text gives no HTML (the
    summary says it), so such events are not changed by the upgrade."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//descriptions//EN"]

    def event(uid: str, day: int, *props: str) -> None:
        lines.extend(["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261120T000000Z"])
        lines.extend([f"DTSTART:202612{day:02d}T060000Z", f"URL:https://city.example.jp/{uid}"])
        lines.extend([*props, "END:VEVENT"])

    event(
        "outlook", 10, "SUMMARY:Peer exchange",
        "DESCRIPTION:Agenda\\nRegister<https://forms.example.jp/r?id=7&lang=en>",
        'X-ALT-DESC;FMTTYPE=text/html:<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2//EN">'
        '\\n<HTML>\\n<HEAD>\\n<TITLE>Outlook</TITLE>\\n</HEAD>\\n<BODY>\\n<!-- Converted -->'
        '\\n<P><B>Agenda</B></P>\\n<P><A HREF="https://forms.example.jp/r?id=7&amp\\;lang=en">'
        "Register</A></P><script>alert(1)</script>\\n</BODY>\\n</HTML>",
    )  # fmt: skip
    event(
        "google", 11, "SUMMARY:Site visit",
        'DESCRIPTION:<b>Programme</b><br>1. Light rail depot<br>2. City hall<br><br>'
        'Register: <a href="https://forms.example.jp/r?id=8">forms.example.jp</a>',
    )  # fmt: skip
    event(
        "plain", 12, "SUMMARY:Workshop",
        "DESCRIPTION:Compact city planning.\\nBring your city's plan.\\n\\n"
        "申込: https://forms.example.jp/r?id=9&x=1から。",
    )  # fmt: skip
    event("one-line", 13, "SUMMARY:Open day", "DESCRIPTION:Doors open at ten.")
    event("blob", 14, "SUMMARY:Briefing", "DESCRIPTION:<html-blob>Bring your ID</html-blob>")
    calendar = tmp_path / "described.ics"
    calendar.write_text("\r\n".join([*lines, "END:VCALENDAR", ""]), encoding="utf-8")
    ctx = make_context(write_config(source_toml("ical", f'path = "{calendar}"')))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    html = {uid: stored[f"src:{uid}"].item.content_html for uid in ("outlook", "google", "plain")}
    assert "<b>Agenda</b>" in html["outlook"]
    assert 'href="https://forms.example.jp/r?id=7&amp;lang=en"' in html["outlook"]
    for gone in ("Outlook", "script", "alert", "Converted", "DOCTYPE"):
        assert gone not in html["outlook"]  # the head, comments and scripts are not shown
    assert "<br>1. Light rail depot<br>2. City hall" in html["google"]
    assert 'href="https://forms.example.jp/r?id=8"' in html["google"]
    assert html["plain"] == (
        "<p>Compact city planning.<br>\nBring your city's plan.</p>\n"
        '<p>申込: <a href="https://forms.example.jp/r?id=9&amp;x=1" rel="noopener noreferrer">'
        "https://forms.example.jp/r?id=9&amp;x=1</a>から。</p>"
    )
    assert stored["src:blob"].item.content_html == "Bring your ID"  # Google's wrapper
    one_line = stored["src:one-line"].item
    assert (one_line.content_html, one_line.summary) == ("", "Doors open at ten.")
    assert stored["src:plain"].item.summary.startswith("Compact city planning.")

    with Store(ctx.settings.site.database) as store:
        publish(ctx, store)
    feed = feedparser.parse(ctx.settings.site.output_dir / "feeds" / "all.atom")
    contents = {e.title: e.content[0].value for e in feed.entries}
    assert contents["Workshop"].startswith("<p>When: <time")  # the When line first
    assert 'href="https://forms.example.jp/r?id=9&amp;x=1"' in contents["Workshop"]
    assert "Compact city planning.<br" in contents["Workshop"]  # its lines, not one line
    assert 'href="https://forms.example.jp/r?id=8"' in contents["Site visit"]
    assert "<p>Doors open at ten.</p>" in contents["Open day"]


_MEET_LINE = "-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-"
_TEAMS_JOIN = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ%40thread.v2/0"


def test_a_video_calls_block_is_cut_to_its_joining_line_and_makes_the_event_online(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Google Calendar (Meet), Outlook (Teams) and Zoom's plug-in append a block to an
    event's description between lines of their own: the summary began or ended in
    ``-::~:~::~`` or underscores, with dial-in numbers, PINs and passcodes. The block
    leaves the line that joins the call; the call, or a place that only names it, makes
    the event online (mixed when it has a place). Lines of underscores in an event's own
    text, without a call between them, are kept."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//calls//EN"]

    def event(uid: str, day: int, *props: str) -> None:
        lines.extend(["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261120T000000Z"])
        lines.extend([f"DTSTART:202612{day:02d}T060000Z", f"URL:https://city.example.jp/{uid}"])
        lines.extend([f"SUMMARY:Event {uid}", *props, "END:VEVENT"])

    rule, short = "_" * 80, "_" * 32
    event(
        "meet", 10, "X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij",
        f"DESCRIPTION:Peer exchange with Toyama.\\n\\n{_MEET_LINE}\\nJoin with Google Meet:"
        " https://meet.google.com/abc-defg-hij\\nOr dial: (JP) +81 3-4510-0000 PIN: 4471#"
        "\\n\\nPlease do not edit this section.\\n" + _MEET_LINE,
    )  # fmt: skip
    event(
        "teams", 11, "LOCATION:Microsoft Teams Meeting",
        f"DESCRIPTION:Agenda: data platforms.\\n\\n{rule}\\nMicrosoft Teams Need help?"
        f"<https://aka.ms/JoinTeamsMeeting>\\nJoin the meeting now<{_TEAMS_JOIN}>\\n"
        f"Meeting ID: 380 238 149 439\\nPasscode: PuA4o8\\n{short}\\n",
        'X-ALT-DESC;FMTTYPE=text/html:<html><body><p>Agenda: data platforms.</p><div><span>'
        f'{rule}</span></div><div><a href="{_TEAMS_JOIN}">Join the meeting now</a></div>'
        f"<div>Passcode: PuA4o8</div><div><span>{rule}</span></div></body></html>",
    )  # fmt: skip
    event(
        "zoom", 12, "LOCATION:Kobe City Hall",
        "DESCRIPTION:" + "─" * 10 + "\\n\\nJoin Zoom Meeting\\n"
        "https://us02web.zoom.us/j/85512345678\\n\\nMeeting ID: 855 1234 5678\\n"
        "Passcode: 917733\\n\\n" + "─" * 10,
    )  # fmt: skip
    event("japanese", 13, "LOCATION:オンライン開催（Zoom）")
    event("hall", 14, "LOCATION:Kobe City Hall", "DESCRIPTION:Online registration only.")
    event("dash", 16, "LOCATION:-")  # a placeholder, no online place
    event(
        "form", 15,
        f"DESCRIPTION:Name: {short}\\nCity: {short}\\nRecording: https://zoom.us/w/12",
    )  # fmt: skip
    calendar = tmp_path / "calls.ics"
    calendar.write_text("\r\n".join([*lines, "END:VCALENDAR", ""]), encoding="utf-8")
    ctx = make_context(write_config(source_toml("ical", f'path = "{calendar}"')))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    items = {key.removeprefix("src:"): s.item for key, s in stored.items()}
    assert items["meet"].summary == (
        "Peer exchange with Toyama. Join with Google Meet: https://meet.google.com/abc-defg-hij"
    )
    assert items["teams"].summary == "Agenda: data platforms. Join the meeting now"
    assert items["zoom"].summary == "Join Zoom Meeting https://us02web.zoom.us/j/85512345678"
    for item in (items["meet"], items["teams"], items["zoom"]):
        shown = item.summary + item.content_html
        for gone in ("PIN", "Passcode", "Meeting ID", "::~", "___", "──", "Need help"):
            assert gone not in shown
    teams = items["teams"].content_html
    assert teams.startswith("<p>Agenda: data platforms.</p>")
    assert 'href="https://teams.microsoft.com/l/meetup-join/' in teams
    modes = {uid: i.event.mode for uid, i in items.items() if i.event is not None}
    assert modes == {
        "meet": "online", "teams": "online", "zoom": "mixed", "japanese": "online",
        "hall": None, "form": "online", "dash": None,
    }  # fmt: skip
    form = items["form"].summary
    assert form.count(short) == 2  # a form's lines are the event's own


def test_text_laid_out_as_html_links_its_addresses_and_escapes_the_rest() -> None:
    assert has_markup('Register: <a href="https://x.example/">here</a>')
    assert has_markup("Agenda<br>1. Opening")
    assert not has_markup("Lunch <live> at noon, 1 < 2")  # words in brackets are text
    laid_out = text_as_html(
        "See (https://x.example/a_(b)), then https://y.example/c.\r\n\r\n<Draft> & more"
    )
    assert laid_out == (
        '<p>See (<a href="https://x.example/a_(b)">https://x.example/a_(b)</a>), then '
        '<a href="https://y.example/c">https://y.example/c</a>.</p>\n'
        "<p>&lt;Draft&gt; &amp; more</p>"
    )
    assert text_as_html(" \n \n ") == ""
    # Outlook writes a link in text as its words and the address in angle brackets.
    assert text_as_html("Join the meeting<https://meet.example/j?a=1>") == (
        '<p>Join the meeting <a href="https://meet.example/j?a=1">'
        "https://meet.example/j?a=1</a></p>"
    )


def test_an_event_that_replaces_another_at_the_calendars_page_is_not_taken_for_it(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A Google calendar's events all link to its ``page_url``. When it held one event
    and the organiser replaced it with another, the new event was taken for the old one
    re-issued under a new id (the same link and day): the drill became the forum in every
    reader, and nothing said the drill was off. An event is another event's re-issue by its
    link only when it keeps its title; re-issued so, it is still recognised."""
    path = tmp_path / "city.ics"

    def run(*events: tuple[str, str, str]) -> dict[str, tuple[str, str | None]]:
        lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//replaced//EN"]
        for uid, day, title in events:
            lines += ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261120T000000Z"]
            lines += [f"DTSTART;VALUE=DATE:{day}", f"SUMMARY:{title}", "END:VEVENT"]
        path.write_text("\r\n".join([*lines, "END:VCALENDAR", ""]), encoding="utf-8")
        stamp = time.time() + 10 * len(seen)
        os.utime(path, (stamp, stamp))  # a newer file each time: read again
        seen.append(1)
        report, stored = run_one(ctx)
        assert report.status == "ok", report.error
        return {i.removeprefix("src:"): (s.item.title, s.retracted) for i, s in stored.items()}

    seen: list[int] = []
    page = 'page_url = "https://city.example.jp/events"'
    ctx = make_context(write_config(source_toml("ical", f'path = "{path}"\n{page}')))
    assert run(("drill", "20261210", "Evacuation drill")) == {"drill": ("Evacuation drill", None)}
    assert run(("forum", "20261210", "Compact city forum")) == {
        "drill": ("Evacuation drill", "deleted from the calendar"),
        "forum": ("Compact city forum", None),
    }
    # The same forum exported again under a new UID (a calendar moved to another
    # account) is the forum re-issued, not a second forum.
    assert run(("forum-2", "20261210", "Compact city forum")) == {
        "drill": ("Evacuation drill", "deleted from the calendar"),
        "forum": ("Compact city forum", None),
    }
