"""``events.ics``: every event item as an iCalendar event that calendar clients import.

UIDs are built from item ids (stable for the site's life), times carry their zone (the
site's, with its VTIMEZONE), all-day events are dates, and cancelled or postponed events
say so (STATUS). The file is rendered only when the events feed changed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from tdlc_syndication.outputs.base import Output, Plan
from tdlc_syndication.outputs.index import Changes
from tdlc_syndication.outputs.view import StoreView
from tdlc_syndication.pipeline.model import StoredItem

PATH = "events.ics"
FEED = "kind:event"  # the feed index of every event item
MOST = 2000  # events in the file (newest announced first)
STATUS = {"cancelled": "CANCELLED", "postponed": "TENTATIVE", "scheduled": "CONFIRMED"}


class CalendarPublisher:
    """Plans ``events.ics`` from the event items."""

    name = "calendar"

    def plan(self, view: StoreView, changes: Changes, settings_fp: str) -> Plan:
        """The calendar, fingerprinted by the events it holds (none: no file)."""
        newest = view.store.feed_newest(FEED, MOST)
        if not newest:
            return Plan(owners={"calendar"}, outputs=[])
        blob = json.dumps([settings_fp, newest])
        output = Output(
            path=PATH,
            owner="calendar",
            fingerprint=hashlib.sha256(blob.encode()).hexdigest(),
            render=lambda: render_calendar(view, view.items([i for i, _ in newest])),
        )
        return Plan(owners={"calendar"}, outputs=[output])


def render_calendar(view: StoreView, events: list[StoredItem]) -> bytes:
    """The iCalendar document of some event items (soonest first)."""
    import icalendar

    site = view.settings.site
    zone = ZoneInfo(site.timezone)
    host = urlsplit(site.base_url).hostname or "localhost"
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//tdlc-syndication//{host}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{site.title}: events")
    calendar.add("x-wr-timezone", site.timezone)
    dated = [s for s in events if s.item.event is not None]
    for stored in sorted(dated, key=lambda s: (s.item.event.start, s.item.id)):  # type: ignore[union-attr]
        item, event = stored.item, stored.item.event
        assert event is not None
        vevent = icalendar.Event()
        vevent.add("uid", f"{item.id}@{host}")
        vevent.add("dtstamp", (item.updated or stored.last_changed).astimezone(UTC))
        vevent.add("summary", item.title)
        if event.all_day:
            vevent.add("dtstart", event.start.date())
            end = event.end.date() if event.end else event.start.date() + timedelta(days=1)
            vevent.add("dtend", end)
        else:
            vevent.add("dtstart", event.start.astimezone(zone))
            if event.end is not None:
                vevent.add("dtend", event.end.astimezone(zone))
        if event.location:
            vevent.add("location", event.location)
        vevent.add("url", item.url)
        if item.summary:
            vevent.add("description", f"{item.summary}\n\n{item.url}")
        vevent.add("status", STATUS.get(event.status or "scheduled", "CONFIRMED"))
        if item.updated:
            vevent.add("last-modified", item.updated.astimezone(UTC))
        calendar.add_component(vevent)
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data
