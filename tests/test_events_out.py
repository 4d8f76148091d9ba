"""Events people can use: when and where in every feed entry's text, and ``events.ics``
that a real iCalendar parser reads with zoned times, stable UIDs and cancellations."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import lxml.html
import pytest
from dateutil import tz as dateutil_tz  # type: ignore[import-untyped]

from tdlc_syndication.outputs.calendar import with_onsets_before
from tdlc_syndication.outputs.listing import place_link
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.model import Event
from tdlc_syndication.pipeline.publish import publish
from tdlc_syndication.pipeline.quick import expired, expires, nothing_to_publish

TOKYO = ZoneInfo("Asia/Tokyo")


def test_events_reach_feed_readers_and_calendars(demo_published: Context, tmp_path: Path) -> None:
    ctx = demo_published
    with ctx.open_store() as store:
        events = [s for s in store.items() if s.item.event is not None]
    assert len(events) >= 3
    public = tmp_path / "public"
    calendar = icalendar.Calendar.from_ical((public / "events.ics").read_bytes())
    vevents = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(vevents) == len(events)
    for stored in events:
        event = stored.item.event
        assert event is not None
        vevent = vevents[f"{stored.item.id}@feeds.example.org"]
        start = vevent.decoded("DTSTART")
        if event.all_day:
            assert start == event.start.date()
        else:
            assert isinstance(start, datetime)
            assert start.utcoffset() is not None  # a zoned time, not floating
            assert start == event.start
        expected = "CANCELLED" if event.status == "cancelled" else None
        if expected:
            assert str(vevent["STATUS"]) == expected
    webinar = next(s for s in events if "waste" in s.item.url)
    when = webinar.item.event.start.astimezone(TOKYO) if webinar.item.event else None
    assert when is not None
    told = f"When: {when:%Y-%m-%d %H:%M}"
    for name in ("all.atom", "all.rss"):
        parsed = feedparser.parse((public / "feeds" / name).read_bytes())
        (entry,) = [e for e in parsed.entries if "financing solid waste" in e.title]
        assert told in entry.summary, (name, entry.summary)
    # The entry's HTML also carries the start machine-readable.
    atom = (public / "feeds" / "all.atom").read_text("utf-8")
    assert f'&lt;time datetime="{when.isoformat()}"&gt;' in atom
    # The upcoming-events feed lists events still to come by when they start.
    upcoming = feedparser.parse((public / "feeds" / "upcoming.atom").read_bytes())
    assert upcoming.bozo == 0
    starts = {f"tag:feeds.example.org,2026:{s.item.id}": s.item.event for s in events}
    order = [event.start for e in upcoming.entries if (event := starts[e.id]) is not None]
    assert len(order) >= 2
    assert order == sorted(order)
    # Published again from the same store: the same bytes (UIDs and stamps are stable).
    first = (public / "events.ics").read_bytes()
    with ctx.open_store() as store, store.transaction():
        store.set_publish_value("settings", "changed")
    with ctx.open_store() as store:
        publish(ctx, store)
    assert (public / "events.ics").read_bytes() == first


def test_an_online_events_meeting_address_is_a_link(
    demo_published: Context, tmp_path: Path
) -> None:
    """The webinar's place is its meeting address: pages and feed entries showed it as
    text, to be copied out. It is a link in the pages, the entries' HTML and the digest."""
    public = tmp_path / "public"
    meeting = "https://meet.example.org/waste-finance"
    page = lxml.html.fromstring((public / "index.html").read_bytes())
    # Listed twice: among the latest materials and the upcoming events.
    assert page.xpath(
        f'//p[@class="meta"][starts-with(., "When:")]/a[@href="{meeting}"]/text()'
    ) == [meeting, meeting]
    parsed = feedparser.parse((public / "feeds" / "all.atom").read_bytes())
    (entry,) = [e for e in parsed.entries if "financing solid waste" in e.title]
    assert f'<a href="{meeting}">{meeting}</a>' in entry.content[0].value
    # A place that is no link stays text.
    drill = page.xpath('//p[@class="meta"][contains(., "神戸市中央区")]')[0]
    assert drill.xpath("./a") == []


def test_a_place_is_a_link_only_to_a_web_address_browsers_open() -> None:
    assert place_link("HTTPS://Meet.example.org/j/123?pwd=a b") == (
        "https://Meet.example.org/j/123?pwd=a%20b"
    )
    assert place_link(" https://会議.example.jp/部屋 ") == (
        "https://xn--6oqw48l.example.jp/%E9%83%A8%E5%B1%8B"
    )
    assert place_link('https://meet.example.org/a"b<c>{d}|') == (
        "https://meet.example.org/a%22b%3Cc%3E%7Bd%7D%7C"
    )
    assert place_link("https://meet.jit.si/room#config") == "https://meet.jit.si/room#config"
    assert place_link("https://x.example.org/100%?a#b#c") == "https://x.example.org/100%25?a#b%23c"
    for text in (
        "Kobe City Hall",
        "javascript:alert(1)",
        "https://user:secret@meet.example.org/",
        "http://[::1]/room",
        "https://a..b/room",
        "ftp://files.example.org/",
        "https://",
    ):
        assert place_link(text) == "", text


def _upcoming_ids(public: Path) -> list[str]:
    parsed = feedparser.parse((public / "feeds" / "upcoming.atom").read_bytes())
    return [e.id.split(",2026:", 1)[1] for e in parsed.entries]


def _front_page_events(public: Path) -> list[str]:
    """The links of the front page's "Upcoming events"."""
    page = lxml.html.fromstring((public / "index.html").read_bytes())
    found = page.xpath('//section[@aria-labelledby="events-heading"]//li/h3/a/@href')
    return [str(href) for href in found]


def test_events_leave_the_upcoming_events_as_time_passes_though_nothing_changed(
    demo_published: Context, tmp_path: Path
) -> None:
    """Time alone makes the upcoming events untrue: an event leaves the front page's list
    and the upcoming-events feed when it is over (one under way stays: it left the front
    page when it started, a week of site visits on its first day). Each publish records the
    next such moment; a publish after it plans again with no item changed and writes the
    files that changed, and until the next moment nothing (nor the quick path) plans."""
    ctx = demo_published
    public = tmp_path / "public"
    zone = ZoneInfo(ctx.settings.site.timezone)
    with ctx.open_store() as store:
        items = {s.item.id: s.item for s in store.items() if s.item.event is not None}
        assert publish(ctx, store, inputs="stamp").rendered == 0
        listed = _upcoming_ids(public)  # soonest first
        assert [items[i].url for i in listed][:5] == _front_page_events(public)
        moments = []
        while (moment := expires(store)) is not None:
            now = moment + timedelta(minutes=1)
            assert nothing_to_publish(store, "stamp", moment)
            assert not nothing_to_publish(store, "stamp", now)
            feed, page = _upcoming_ids(public), _front_page_events(public)
            ctx.clock = lambda now=now: now  # type: ignore[misc]
            written = set(publish(ctx, store, inputs="stamp").written)
            ends = {i: _over(e, zone) for i in listed if (e := items[i].event) is not None}
            assert _upcoming_ids(public) == [i for i in listed if ends[i] >= now]
            assert (
                _front_page_events(public) == [items[i].url for i in listed if ends[i] >= now][:5]
            )
            assert ("feeds/upcoming.atom" in written) == (_upcoming_ids(public) != feed)
            assert ("index.html" in written) == (_front_page_events(public) != page)
            assert written
            assert not [p for p in written if p.startswith("feeds/all.")]
            assert publish(ctx, store, inputs="stamp").rendered == 0  # nothing more now
            moments.append(moment)
    assert moments == sorted(moments)
    assert len(moments) >= 3  # the ends of the demo's events
    assert _upcoming_ids(public) == []


def test_an_event_under_way_stays_on_the_front_page(
    demo_published: Context, tmp_path: Path
) -> None:
    """The Toyama deep dive runs 8-12 February: on the 9th it is listed, first, as it is
    in the upcoming-events feed (it left the front page on its first day)."""
    ctx = demo_published
    public = tmp_path / "public"
    with ctx.open_store() as store:
        tdd = next(s.item for s in store.items() if "transit-oriented" in s.item.title.lower())
        assert tdd.event is not None
        under_way = tdd.event.start + timedelta(days=1)
        ctx.clock = lambda: under_way
        publish(ctx, store)
    assert _front_page_events(public)[0] == tdd.url
    assert _upcoming_ids(public)[0] == tdd.id


def _over(event: Event, zone: ZoneInfo) -> datetime:
    """When an event has ended for a reader in the site's zone: an all-day event at the
    midnight after its last day there (its end is exclusive)."""
    if event.all_day:
        last = event.end - timedelta(days=1) if event.end else event.start
        return datetime.combine(last.date() + timedelta(days=1), time(), zone)
    return event.end or event.start


def test_a_store_from_before_expiry_was_recorded_plans_once(demo_published: Context) -> None:
    ctx = demo_published
    with ctx.open_store() as store:
        with store.transaction():
            store.db.execute("DELETE FROM publish_state WHERE key = 'expires'")
        assert expired(store, ctx.clock())
        assert publish(ctx, store).rendered == 0  # planned; every fingerprint the same
        assert not expired(store, ctx.clock())


def test_each_topic_and_place_with_events_has_its_calendar(
    demo_published: Context, tmp_path: Path
) -> None:
    """A city's people subscribe to their city's events, not to all of them: each topic
    and place with dated events has a calendar (``events/place/kobe.ics``) that its page
    links; one without events has none; a place whose last event went keeps it, empty,
    and its page no longer links it."""
    from tdlc_syndication.pipeline.keep import forget_items

    ctx = demo_published
    public = tmp_path / "public"
    with ctx.open_store() as store:
        events = [s.item for s in store.items() if s.item.event is not None]
    for facet in ("place", "topic"):
        terms = {t for e in events for t in (e.places if facet == "place" else e.topics)}
        assert terms, facet
        for term in terms:
            calendar = icalendar.Calendar.from_ical(
                (public / "events" / facet / f"{term}.ics").read_bytes()
            )
            uids = {str(v["UID"]) for v in calendar.walk("VEVENT")}
            members = [e for e in events if term in (e.places if facet == "place" else e.topics)]
            assert uids == {f"{e.id}@feeds.example.org" for e in members}, term
            label = ctx.settings.taxonomy.places[term].label if facet == "place" else None
            assert " · " in str(calendar["X-WR-CALNAME"])
            if label:
                assert str(calendar["X-WR-CALNAME"]).endswith(f"events · {label}")
            page = lxml.html.fromstring((public / facet / term / "index.html").read_bytes())
            href = f"../../events/{facet}/{term}.ics"
            assert page.xpath('//link[@type="text/calendar"]/@href') == [href]
            assert page.xpath('//a[@type="text/calendar"]/@href') == [href]
    # Yokohama has materials but no event: no calendar, no link.
    assert (public / "place" / "yokohama" / "index.html").exists()
    assert not (public / "events" / "place" / "yokohama.ics").exists()
    yokohama = (public / "place" / "yokohama" / "index.html").read_text("utf-8")
    assert "text/calendar" not in yokohama
    # The Kobe drill is Kobe's only event: forgotten, Kobe's page links no calendar; the
    # calendar stays, empty, for the apps subscribed to it.
    (drill,) = [e for e in events if "kobe" in e.places]
    with ctx.open_store() as store:
        forget_items(store, item_ids=[drill.id])
        publish(ctx, store)
    kobe = icalendar.Calendar.from_ical((public / "events" / "place" / "kobe.ics").read_bytes())
    assert kobe.walk("VEVENT") == []
    assert "text/calendar" not in (public / "place" / "kobe" / "index.html").read_text("utf-8")
    assert (public / "events" / "place" / "toyama.ics").exists()


def test_a_calendar_whose_last_event_leaves_stays_until_its_term_goes(
    demo_published: Context, tmp_path: Path
) -> None:
    """A calendar app subscribed to `events/place/kobe.ics` got 404 once Kobe's only
    event was withdrawn at the origin (the file was deleted), and so did one subscribed
    to `events.ics` once no event was left. They stay, empty and valid (RFC 5545 asks for
    one component: the site's VTIMEZONE), until the term leaves the taxonomy."""
    ctx = demo_published
    public = tmp_path / "public"
    kobe = public / "events/place/kobe.ics"
    with ctx.open_store() as store:
        events = [s.item for s in store.items() if s.item.event is not None]
        in_kobe = [i for i in events if "kobe" in i.places]
        assert len(in_kobe) == 1
        with store.transaction():
            store.retract(in_kobe[0].source, in_kobe[0].id, "deleted at the origin")
        report = publish(ctx, store)
    assert "events/place/kobe.ics" in report.written
    assert not report.deleted
    calendar = icalendar.Calendar.from_ical(kobe.read_bytes())
    assert calendar.walk("VEVENT") == []
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    assert "Kobe" in str(calendar["X-WR-CALNAME"])
    with ctx.open_store() as store:
        with store.transaction():
            for item in events:
                if item.id != in_kobe[0].id:  # every other event goes too
                    store.retract(item.source, item.id, "deleted at the origin")
        publish(ctx, store)
    assert icalendar.Calendar.from_ical((public / "events.ics").read_bytes()).walk("VEVENT") == []
    upcoming = feedparser.parse((public / "feeds/upcoming.atom").read_bytes())
    assert (upcoming.bozo, upcoming.entries) == (0, [])
    places = {k: v for k, v in ctx.settings.taxonomy.places.items() if k != "kobe"}
    taxonomy = ctx.settings.taxonomy.model_copy(update={"places": places})
    ctx.settings = ctx.settings.model_copy(update={"taxonomy": taxonomy})
    with ctx.open_store() as store:
        report = publish(ctx, store)
    assert "events/place/kobe.ics" in report.deleted
    assert (public / "events.ics").is_file()


def test_a_japanese_feed_tells_when_and_where_in_japanese(
    demo_published: Context, tmp_path: Path
) -> None:
    """The Japanese feeds said `When: 2026-12-05, 神戸市中央区 (postponed).` before a
    Japanese notice; they say it in Japanese, the other feeds in English as before."""
    feeds = tmp_path / "public" / "feeds"
    line = "日時：2026-12-05、神戸市中央区（延期）。地域の自主防災組織"
    for path in ("japanese.atom", "language/ja.rss"):
        parsed = feedparser.parse((feeds / path).read_bytes())
        (drill,) = [e for e in parsed.entries if e.title.startswith("神戸市 地域防災訓練")]
        assert drill.summary.startswith(line), (path, drill.summary)
    items = json.loads((feeds / "language/ja.json").read_bytes())["items"]
    (drill,) = [i for i in items if i["title"].startswith("神戸市 地域防災訓練")]
    assert drill["content_html"].startswith(
        '<p>日時：<time datetime="2026-12-05">2026-12-05</time>、'
    )
    atom = (feeds / "japanese.atom").read_text("utf-8")
    assert '&lt;p&gt;日時：&lt;time datetime="2026-12-05"&gt;2026-12-05&lt;/time&gt;、' in atom
    parsed = feedparser.parse((feeds / "all.atom").read_bytes())
    (drill,) = [e for e in parsed.entries if e.title.startswith("神戸市 地域防災訓練")]
    assert drill.summary.startswith("When: 2026-12-05, 神戸市中央区 (postponed). ")


@pytest.mark.parametrize(
    "zone", ["America/New_York", "Europe/Berlin", "Europe/Dublin", "Australia/Lord_Howe"]
)
def test_a_calendars_time_zone_changes_its_clock_when_the_zone_does(zone: str) -> None:
    """RFC 5545 writes each change of a zone's clock in its VTIMEZONE as the time the
    clock showed before it (3.6.5: New York's change forward at 02:00). icalendar wrote
    the first time shown after a change forward (03:00), and a client that reads the
    calendar's own VTIMEZONE took the change as an hour later: an event in the hour after
    it was an hour late there (dateutil's reader shows it)."""
    real = ZoneInfo(zone)
    vtimezone = icalendar.Timezone.from_tzid(zone)
    with_onsets_before(vtimezone, real)
    observances: list[Any] = vtimezone.subcomponents
    for observance in observances:
        before, after = observance["TZOFFSETFROM"].td, observance["TZOFFSETTO"].td
        if before == after:
            continue
        written = observance.get("RDATE")
        lists = written if isinstance(written, list) else [written] if written else []
        for onset in [observance.DTSTART, *(d.dt for dates in lists for d in dates.dts)]:
            moment = (onset - before).replace(tzinfo=UTC)
            assert (moment - timedelta(seconds=1)).astimezone(real).utcoffset() == before
            assert moment.astimezone(real).utcoffset() == after
    if zone == "Europe/Dublin":  # (dateutil's reader takes no clock put back in winter)
        return
    text = f"BEGIN:VCALENDAR\r\n{vtimezone.to_ical().decode()}END:VCALENDAR\r\n"
    read = dateutil_tz.tzical(io.StringIO(text)).get(zone)
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    while moment < datetime(2027, 1, 1, tzinfo=UTC):
        assert moment.astimezone(read).utcoffset() == moment.astimezone(real).utcoffset(), moment
        moment += timedelta(minutes=30)
