"""Events people can use: when and where in every feed entry's text, and ``events.ics``
that a real iCalendar parser reads with zoned times, stable UIDs and cancellations."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import icalendar

from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.publish import publish

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
