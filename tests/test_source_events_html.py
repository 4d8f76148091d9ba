"""Events from pages without JSON-LD: a municipal events list whose blocks, or whose item
pages, write the day and place as text (``event_selector``, ``location_selector``), read
from a real server into the store, the calendar and the pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from pytest_httpserver import HTTPServer
from tests_support import MakeContext, parse_all, run_one, source_toml

from tdlc_syndication.pipeline.ledger import RunReport
from tdlc_syndication.pipeline.model import Event, StoredItem
from tdlc_syndication.pipeline.publish import publish
from tdlc_syndication.sources.eventlabels import event_of

TOKYO = ZoneInfo("Asia/Tokyo")

LIST = """<!doctype html><html lang="ja"><head><meta charset="utf-8">
<title>イベント情報</title></head><body><ul class="events">
<li><a href="/event/1001.html">都市間連携セミナー（スマートシティ）</a>
  <span class="when">令和8年12月3日(木曜日)午後1時30分～3時</span>
  <span class="where">北九州国際会議場 国際会議室</span></li>
<li><a href="/event/1002.html">【中止】防災ワークショップ</a>
  <span class="when">令和8年12月10日(木曜日)</span></li>
<li><a href="/event/1003.html">環境技術視察ツアー</a></li>
<li><a href="/event/1004.html">オンライン講座：コンパクトシティ</a>
  <span class="when">2026年12月20日 10時～11時</span></li>
</ul></body></html>"""

TOUR = """<!doctype html><html lang="ja"><head><meta charset="utf-8">
<title>視察ツアー</title></head><body><main><h1>環境技術視察ツアー</h1>
<dl><dt>日時</dt><dd class="when">令和8年12月14日(月曜日)～18日(金曜日)</dd>
<dt>会場</dt><dd class="where">響灘地区 エコタウンセンター</dd></dl>
<p>最終更新日 令和8年11月20日</p></main></body></html>"""

WEBINAR = """<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>講座</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Event",
"name": "オンライン講座", "startDate": "2026-12-20T10:30:00+09:00",
"endDate": "2026-12-20T11:30:00+09:00", "location": {"@type": "VirtualLocation",
"url": "https://meet.example.org/compact"}}</script></head>
<body><main><p>講座のご案内</p></main></body></html>"""

PLAIN = """<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>案内</title></head>
<body><main><p>ご案内</p><p class="when">2027年1月8日</p></main></body></html>"""

SOURCE = """url = "{url}"
item_selector = "ul.events li"
event_selector = ".when"
location_selector = ".where"
follow = true
timezone = "Asia/Tokyo"
language = "ja"
"""


@pytest.fixture
def events_site(server: HTTPServer) -> HTTPServer:
    pages = {
        "/events/index.html": LIST,
        "/event/1001.html": PLAIN,
        "/event/1002.html": PLAIN,
        "/event/1003.html": TOUR,
        "/event/1004.html": WEBINAR,
    }
    for path, body in pages.items():
        server.expect_request(path).respond_with_data(
            body.encode(), content_type="text/html; charset=utf-8"
        )
    return server


def test_events_written_as_text_become_events(
    events_site: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    url = events_site.url_for("/events/index.html")
    ctx = make_context(write_config(source_toml("html", SOURCE.format(url=url))))
    report, stored = run_one(ctx)
    assert report.status == "ok"
    by_path = {s.item.url.removeprefix(events_site.url_for("")): s.item for s in stored.values()}

    seminar = by_path["event/1001.html"]
    assert seminar.kind == "event"
    # The block's date line wins over the item page's (which names another day).
    assert seminar.event == Event(
        start=datetime(2026, 12, 3, 13, 30, tzinfo=TOKYO).astimezone(UTC),
        end=datetime(2026, 12, 3, 15, 0, tzinfo=TOKYO).astimezone(UTC),
        location="北九州国際会議場 国際会議室",
    )
    workshop = by_path["event/1002.html"]
    assert workshop.event == Event(
        start=datetime(2026, 12, 10, tzinfo=UTC), all_day=True, status="cancelled"
    )
    # No date in the block: the item page's date line and place, five days, all day.
    tour = by_path["event/1003.html"]
    assert tour.event == Event(
        start=datetime(2026, 12, 14, tzinfo=UTC),
        end=datetime(2026, 12, 19, tzinfo=UTC),
        all_day=True,
        location="響灘地区 エコタウンセンター",
    )
    # The item page's JSON-LD Event wins over the block's text.
    webinar = by_path["event/1004.html"]
    assert webinar.event is not None
    assert webinar.event.start == datetime(2026, 12, 20, 1, 30, tzinfo=UTC)
    assert webinar.event.mode == "online"

    with ctx.open_store() as store:
        publish(ctx, store)
    public = Path(ctx.settings.site.output_dir)
    calendar = icalendar.Calendar.from_ical((public / "events.ics").read_bytes())
    vevents = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert len(vevents) == 4
    tour_ics = vevents["環境技術視察ツアー"]
    assert tour_ics.decoded("DTSTART") == date(2026, 12, 14)
    assert tour_ics.decoded("DTEND") == date(2026, 12, 19)  # exclusive: the 18th is the last
    assert str(tour_ics["LOCATION"]) == "響灘地区 エコタウンセンター"
    workshop_ics = vevents["【中止】防災ワークショップ"]
    assert str(workshop_ics["STATUS"]) == "CANCELLED"
    assert workshop_ics.decoded("DTEND") == date(2026, 12, 11)  # one day, not none
    page = (public / "feeds" / "all.atom").read_text("utf-8")
    assert "When: 2026-12-14 – 2026-12-18, 響灘地区 エコタウンセンター" in page
    assert "When: 2026-12-03 13:30–15:00 JST, 北九州国際会議場 国際会議室." in page
    assert "When: 2026-12-10 (cancelled)." in page

    # A day's event stays among the upcoming ones all that day in the site's zone (Tokyo).
    def upcoming_at(day: int, hour: int, minute: int) -> str:
        moment = datetime(2026, 12, day, hour, minute, tzinfo=TOKYO)
        ctx.clock = lambda: moment
        with ctx.open_store() as store:
            publish(ctx, store)
        return (public / "feeds" / "upcoming.atom").read_text("utf-8")

    assert "防災ワークショップ" in upcoming_at(10, 12, 0)
    assert "防災ワークショップ" in upcoming_at(10, 23, 59)
    assert "防災ワークショップ" not in upcoming_at(11, 0, 1)
    assert "環境技術視察ツアー" in upcoming_at(18, 23, 59)  # its last day
    assert "環境技術視察ツアー" not in upcoming_at(19, 0, 1)


LABELLED = """<!doctype html><html lang="ja"><head><meta charset="utf-8">
<title>講演会</title></head><body><main><h1>都市間連携講演会</h1><table>
<tr><th>申込期間</th><td>令和8年11月1日（日曜日）～11月30日（月曜日）</td></tr>
<tr><th>開催日時</th><td>令和8年12月10日（木曜日）13時30分～16時</td></tr>
<tr><th>会場</th><td>市役所本庁舎 8階会議室</td></tr></table></main></body></html>"""


def test_the_readmes_selectors_read_a_pages_labelled_details(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """The README's selectors for details labelled in a table (``<th>開催日時</th><td>``),
    as municipal event pages write them without a class, give the event and its place."""
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    selectors = [line for line in readme.splitlines() if "_selector = ':is(" in line]
    assert [line.split(" = ", 1)[0] for line in selectors] == [
        "event_selector",
        "location_selector",
    ]
    server.expect_request("/events/index.html").respond_with_data(
        '<ul class="events"><li><a href="/event/2001.html">講演会</a></li></ul>',
        content_type="text/html; charset=utf-8",
    )
    server.expect_request("/event/2001.html").respond_with_data(
        LABELLED.encode(), content_type="text/html; charset=utf-8"
    )
    body = (
        f'url = "{server.url_for("/events/index.html")}"\nitem_selector = "ul.events li"\n'
        'follow = true\ntimezone = "Asia/Tokyo"\n' + "\n".join(selectors)
    )
    ctx = make_context(write_config(source_toml("html", body)))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    (item,) = (s.item for s in stored.values())
    assert item.event == Event(
        start=datetime(2026, 12, 10, 13, 30, tzinfo=TOKYO).astimezone(UTC),
        end=datetime(2026, 12, 10, 16, 0, tzinfo=TOKYO).astimezone(UTC),
        location="市役所本庁舎 8階会議室",
    )


def test_a_place_named_in_the_date_line_is_the_events(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Notices write the day and the place on one line or in one block (``日時：… 会場：…``,
    ``Date: … Venue: …``, ``Waktu: … Tempat: …``): without a ``location_selector`` the
    events had no place. The words after the place's label, up to the next label, are it
    now; a place that only names a call makes the event online."""
    page = """<html lang="ja"><body><ul class="events">
    <li><a href="/e/1">都市間連携セミナー</a><p class="when">日時：2026年12月10日（木）13:30～16:00
      会場：市役所本庁舎 8階会議室 対象：どなたでも</p></li>
    <li><a href="/e/2">Peer exchange</a><p class="when">Date: 11 December 2026, 10:00
      Venue: Kobe City Hall Registration: by 5 December</p></li>
    <li><a href="/e/3">Lokakarya</a><p class="when">Waktu: 12 Desember 2026
      Tempat: Balai Kota Surabaya</p></li>
    <li><a href="/e/4">オンライン講座</a><p class="when">日時：2026年12月13日（日）10:00～
      場所：オンライン（Zoom）</p></li>
    <li><a href="/e/5">防災講座</a><p class="when">2026年12月14日（月）10:00～</p></li>
    <li><a href="/e/6">ورشة عمل</a><p class="when">15 ديسمبر 2026، الساعة 10:00 ص، المكان:
      قاعة البلدية</p></li>
    </ul></body></html>"""
    server.expect_request("/events").respond_with_data(page.encode(), content_type="text/html")
    body = (
        f'url = "{server.url_for("/events")}"\nitem_selector = "ul.events li"\n'
        'event_selector = ".when"\ntimezone = "Asia/Tokyo"'
    )
    ctx = make_context(write_config(source_toml("html", body)))
    places = {
        item.title: (item.event.location, item.event.mode)
        for item in parse_all(ctx)
        if item.event is not None
    }
    assert places == {
        "都市間連携セミナー": ("市役所本庁舎 8階会議室", None),
        "Peer exchange": ("Kobe City Hall", None),
        "Lokakarya": ("Balai Kota Surabaya", None),
        "オンライン講座": ("オンライン（Zoom）", "online"),
        "防災講座": (None, None),
        "ورشة عمل": ("قاعة البلدية", None),
    }


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("申込締切：2026年12月1日（火）　開催日時：2026年12月10日（木）13:30～16:00",
         datetime(2026, 12, 10, 13, 30), datetime(2026, 12, 10, 16)),
        ("申込期間：2026年11月1日～11月30日　日時：2026年12月10日（木）13:30～16:00",
         datetime(2026, 12, 10, 13, 30), datetime(2026, 12, 10, 16)),
        ("Registration deadline: November 30, 2026. Date: December 10, 2026, 10:00-12:00",
         datetime(2026, 12, 10, 10), datetime(2026, 12, 10, 12)),
        ("Batas pendaftaran: 30 November 2026. Waktu: 10 Desember 2026 pukul 09.00-12.00",
         datetime(2026, 12, 10, 9), datetime(2026, 12, 10, 12)),
        # (the event's day first, or no label of its own: as before)
        ("日時：2026年12月10日（木）13:30～　申込締切：12月1日", datetime(2026, 12, 10, 13, 30),
         None),
        ("Registration date: December 1, 2026, 10:00", datetime(2026, 12, 1, 10), None),
    ],
)  # fmt: skip
def test_an_events_day_is_the_one_after_its_label(
    text: str, start: datetime, end: datetime | None
) -> None:
    """A notice's details often give the application's deadline or period before the
    event's day (``申込締切：12月1日 日時：12月10日``, ``Registration deadline: … Date: …``): the
    event was dated by the deadline. The day after the event's own label is its day."""
    event = event_of(text, "", "", TOKYO)
    assert event is not None
    assert (event.start, event.end) == (
        start.replace(tzinfo=TOKYO).astimezone(UTC),
        None if end is None else end.replace(tzinfo=TOKYO).astimezone(UTC),
    )


DETAILS_LIST = """<html lang="ja"><body><main><h1>講演会</h1><dl class="details">
<dt>申込締切</dt><dd>2026年12月1日（火）</dd><dt>開催日</dt><dd>2026年12月10日（木）</dd>
<dt>時間</dt><dd>午後1時30分～4時</dd><dt>会場</dt><dd>市役所本庁舎 8階会議室</dd>
<dt>定員</dt><dd>50名</dd></dl></main></body></html>"""
DETAILS_TABLE = """<html lang="ja"><body><main><h1>講座</h1><table class="details">
<tr><th>日時</th><td>2026年12月11日（金）10:00～12:00</td></tr>
<tr><th>場所</th><td>国際会議場</td></tr></table></main></body></html>"""


def test_a_pages_details_list_gives_the_event_its_day_hours_and_place(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """`event_selector` on an item page's definition list or table of details, as
    municipal event pages write them (`<dt>開催日</dt><dd>…</dd><dt>時間</dt><dd>…</dd>`):
    its words ran together without the labels' colons, so the time after 時間 was no
    time (an all-day event), the deadline before the day was taken for it, and the place
    was lost. Each label ends with a colon now, as the eye reads it."""
    server.expect_request("/events").respond_with_data(
        '<ul class="events"><li><a href="/e/1">講演会</a></li>'
        '<li><a href="/e/2">講座</a></li></ul>',
        content_type="text/html; charset=utf-8",
    )
    for path, page in (("/e/1", DETAILS_LIST), ("/e/2", DETAILS_TABLE)):
        server.expect_request(path).respond_with_data(
            page.encode(), content_type="text/html; charset=utf-8"
        )
    body = (
        f'url = "{server.url_for("/events")}"\nitem_selector = "ul.events li"\nfollow = true\n'
        'event_selector = "dl.details, table.details"\ntimezone = "Asia/Tokyo"'
    )
    events = {
        item.title: item.event
        for item in parse_all(make_context(write_config(source_toml("html", body))))
    }
    assert events == {
        "講演会": Event(
            start=datetime(2026, 12, 10, 13, 30, tzinfo=TOKYO).astimezone(UTC),
            end=datetime(2026, 12, 10, 16, tzinfo=TOKYO).astimezone(UTC),
            location="市役所本庁舎 8階会議室",
        ),
        "講座": Event(
            start=datetime(2026, 12, 11, 10, tzinfo=TOKYO).astimezone(UTC),
            end=datetime(2026, 12, 11, 12, tzinfo=TOKYO).astimezone(UTC),
            location="国際会議場",
        ),
    }


def test_a_bad_event_selector_is_named_by_check(
    write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    from tests_support import invoke

    config = write_config(
        source_toml(
            "html",
            SOURCE.format(url="https://example.org/").replace('".when"', '"dd[class=when"'),
        )
    )
    code, out = invoke(config, "check")
    assert code != 0
    assert "event_selector: 'dd[class=when' is not a valid CSS selector" in out


@pytest.mark.parametrize(
    ("start", "end", "expected_end"),
    [
        ("2026-12-07", "2026-12-07", datetime(2026, 12, 8, tzinfo=UTC)),  # one whole day
        ("2026-12-07", "2026-12-11", datetime(2026, 12, 12, tzinfo=UTC)),  # five
        ("2026-12-07T10:00+09:00", "2026-12-08", datetime(2026, 12, 8, 15, tzinfo=UTC)),
        ("2026-12-07", "2026-12-06", None),  # an end before the start is no end
        # A placeholder: the day after it is no date (OverflowError failed the source).
        ("2026-12-07", "9999-12-31", None),
        ("2026-12-07T10:00+09:00", "9999-12-31", None),
    ],
)
def test_a_json_ld_end_date_is_the_last_day(
    start: str, end: str, expected_end: datetime | None
) -> None:
    """schema.org's endDate without a time names the event's last day; the model's end is
    exclusive (as iCalendar's DTEND): the midnight after it, in the source's zone for a
    timed event."""
    from tdlc_syndication.sources.page import read_page

    page = (
        '<script type="application/ld+json">{"@type": "Event", "name": "TDD", '
        f'"startDate": "{start}", "endDate": "{end}"}}</script>'
    )
    event = read_page(page, "https://example.org/e", TOKYO).event
    assert event is not None
    assert event.end == expected_end


def test_try_shows_when_each_event_happens(
    events_site: HTTPServer, write_config: Callable[..., Path]
) -> None:
    """An operator checking event_selector with ``try`` sees the days it read."""
    from tests_support import invoke

    url = events_site.url_for("/events/index.html")
    code, out = invoke(write_config(source_toml("html", SOURCE.format(url=url))), "try", "src")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[1].split()[:3] == ["published", "kind", "when"]
    tour = next(line for line in lines if "環境技術視察ツアー" in line)
    assert "2026-12-14 – 2026-12-18" in tour
    workshop = next(line for line in lines if "防災ワークショップ" in line)
    assert "2026-12-10 (cancelled)" in workshop


def _run_list(
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
    listing: str,
    event_selector: str,
) -> tuple[RunReport, dict[str, StoredItem]]:
    """Serve ``listing`` and run an ``html`` source over its ``li`` blocks (Tokyo time)."""
    server.expect_request("/events").respond_with_data(listing, content_type="text/html")
    source = f'url = "{server.url_for("/events")}"\nitem_selector = "li"\n'
    source += f'event_selector = "{event_selector}"\ntimezone = "Asia/Tokyo"\n'
    return run_one(make_context(write_config(source_toml("html", source))))


def test_a_time_element_gives_the_time_and_zone_it_writes(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """``event_selector = "time@datetime"`` reads the machine-readable form: an ISO 8601
    timestamp keeps its time and zone (it was an all-day event on its date), and an
    ISO interval its end."""
    listing = """<!doctype html><html lang="en"><head><title>Events</title></head><body><ul>
    <li><a href="/e/1">Smart city peer exchange</a>
      <time datetime="2026-12-03T13:30:00+09:00">3 Dec, afternoon</time></li>
    <li><a href="/e/2">Resilience webinar</a>
      <time datetime="2026-12-04T09:00Z/2026-12-04T10:30Z">4 Dec</time></li>
    </ul></body></html>"""
    report, stored = _run_list(server, write_config, make_context, listing, "time@datetime")
    assert report.status == "ok"
    events = {s.item.title: s.item.event for s in stored.values()}
    assert events["Smart city peer exchange"] == Event(
        start=datetime(2026, 12, 3, 4, 30, tzinfo=UTC)
    )
    assert events["Resilience webinar"] == Event(
        start=datetime(2026, 12, 4, 9, tzinfo=UTC), end=datetime(2026, 12, 4, 10, 30, tzinfo=UTC)
    )


def test_an_events_day_is_not_its_publication_date(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Without a ``date_selector`` the block's text is searched for a date, and in an
    events list that is the event's day: one ahead was dropped as an absurd date on every
    run (the operator saw ``absurd-date``), one past became the publication date. The
    event's day is no publication date; a block that says when it was posted keeps it."""
    listing = """<!doctype html><html lang="ja"><head><title>催し</title></head><body><ul>
    <li><a href="/e/1">防災セミナー</a><span class="when">2026年12月10日(木曜日)</span></li>
    <li><a href="/e/2">視察報告会</a><span class="when">2026年11月5日 午後2時～4時</span></li>
    <li><a href="/e/3">交流会</a> 掲載日 2026年11月20日
      <span class="when">2026年12月15日(火曜日)</span></li>
    <li><a href="/e/4">Site visit</a><span class="when">26–27 November 2026</span></li>
    </ul></body></html>"""
    report, stored = _run_list(server, write_config, make_context, listing, ".when")
    assert report.status == "ok"
    assert "absurd-date" not in report.notes
    items = {s.item.title: s.item for s in stored.values()}
    assert items["防災セミナー"].published is None
    assert items["視察報告会"].published is None
    assert items["視察報告会"].event is not None
    assert items["交流会"].published == datetime(2026, 11, 20, tzinfo=UTC)
    assert items["交流会"].event is not None
    assert items["交流会"].event.start == datetime(2026, 12, 15, tzinfo=UTC)
    # an event on two days: neither is the day it was published (its last day was)
    assert items["Site visit"].published is None
    assert items["Site visit"].event == Event(
        start=datetime(2026, 11, 26, tzinfo=UTC),
        end=datetime(2026, 11, 28, tzinfo=UTC),
        all_day=True,
    )


def test_an_events_list_that_writes_no_year(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A city's events list writes 12月3日（木）: the weekday names the year, near the run's
    day (the conftest clock: 26 November 2026), into the next year too. Such blocks gave
    no event and no date; a day without its weekday still gives none."""
    listing = """<!doctype html><html lang="ja"><head><title>催し</title></head><body><ul>
    <li><a href="/e/1">スマートシティ意見交換会</a>
      <p class="when">12月3日（木曜日）午後1時30分～3時</p></li>
    <li><a href="/e/2">防災フォーラム</a><p class="when">1月8日（金）～9日（土）</p></li>
    <li><a href="/e/3">Peer exchange</a><p class="when">Thursday, December 10, 10 a.m.</p></li>
    <li><a href="/e/4">説明会</a><p class="when">12月17日</p></li>
    </ul></body></html>"""
    report, stored = _run_list(server, write_config, make_context, listing, ".when")
    assert report.status == "ok"
    items = {s.item.title: s.item for s in stored.values()}
    assert items["スマートシティ意見交換会"].event == Event(
        start=datetime(2026, 12, 3, 13, 30, tzinfo=TOKYO).astimezone(UTC),
        end=datetime(2026, 12, 3, 15, tzinfo=TOKYO).astimezone(UTC),
    )
    assert items["防災フォーラム"].event == Event(
        start=datetime(2027, 1, 8, tzinfo=UTC), end=datetime(2027, 1, 10, tzinfo=UTC), all_day=True
    )
    assert items["Peer exchange"].event == Event(start=datetime(2026, 12, 10, 1, tzinfo=UTC))
    assert items["説明会"].event is None
    assert items["説明会"].kind != "event"


def test_a_day_still_to_come_in_a_notice_is_not_its_publication(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A notice titled 「12月10日（木）開催 …」 (no date selector, no event selector) took the
    event's day as its publication: a day ahead, dropped as an absurd date and counted
    as one at every run until that day. A day still to come in a block's text is no
    publication date; one gone by is, as before."""
    listing = """<!doctype html><html lang="ja"><head><title>お知らせ</title></head><body><ul>
    <li><a href="/n/1">12月10日（木）開催 スマートシティ意見交換会のご案内</a></li>
    <li><a href="/n/2">11月20日（金）開催 防災フォーラムの報告</a></li>
    <li><a href="/n/3">2026年12月24日開催 都市間連携セミナー</a></li>
    </ul></body></html>"""
    server.expect_request("/news").respond_with_data(listing, content_type="text/html")
    source = f'url = "{server.url_for("/news")}"\nitem_selector = "li"\ntimezone = "Asia/Tokyo"\n'
    report, stored = run_one(make_context(write_config(source_toml("html", source))))
    assert report.status == "ok"
    assert "absurd-date" not in report.notes
    published = {s.item.title[:6]: s.item.published for s in stored.values()}
    assert published == {
        "12月10日": None,
        "11月20日": datetime(2026, 11, 20, tzinfo=UTC),
        "2026年1": None,
    }


def test_a_followed_pages_day_without_a_year_is_placed_by_the_runs_day() -> None:
    """A followed page's date line is read as of the run's day, not the machine's: 3
    December was a Thursday in 2020 and is one in 2026, so the run says which."""
    from tdlc_syndication.sources.page import read_page

    page = '<html><body><main><p class="when">12月3日（木）午後2時～4時</p></main></body></html>'
    for today, year in ((date(2020, 11, 1), 2020), (date(2026, 11, 26), 2026)):
        event = read_page(page, "https://x.example.org/e", TOKYO, None, ".when", None, today).event
        assert event is not None
        assert event.start == datetime(year, 12, 3, 14, tzinfo=TOKYO).astimezone(UTC)
