"""Events for calendars and feed readers: ``events.ics``, every event item as an
iCalendar event that calendar clients import, one such calendar per topic and place
(``events/place/kobe.ics``), and ``feeds/upcoming.*``, the events that have not ended
yet, soonest first, in every feed format.

UIDs are built from item ids (stable for the site's life), times carry their zone (the
site's, with its VTIMEZONE), all-day events are dates, and cancelled or postponed events
say so (STATUS). The file is rendered only when the events feed changed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from tdlc_syndication.outputs.base import Output, Plan, showing_output
from tdlc_syndication.outputs.document import Entry, entries, over_at
from tdlc_syndication.outputs.formats import FORMATS
from tdlc_syndication.outputs.index import Changes
from tdlc_syndication.outputs.paging import Page
from tdlc_syndication.outputs.view import FeedSpec, StoreView, id_host
from tdlc_syndication.pipeline.model import StoredItem

PATH = "events.ics"
FEED = "kind:event"  # the feed index of every event item
OWNER = "calendar"  # this publisher's files
MOST = 2000  # events in the file (newest announced first)
STATUS = {"cancelled": "CANCELLED", "postponed": "TENTATIVE", "scheduled": "CONFIRMED"}


class CalendarPublisher:
    """Plans ``events.ics``, the topics' and places' calendars and the upcoming-events
    feed from the event items."""

    name = "calendar"

    def plan(self, view: StoreView, changes: Changes, settings_fp: str) -> Plan:
        """The calendar and the upcoming-events feed, fingerprinted by the events they
        hold (no event ever: no file). A calendar once published stays when its last
        event leaves (withdrawn at the origin, hidden, forgotten), empty, as a feed does:
        a calendar app subscribed to it gets no 404; a topic's or place's goes with its
        term."""
        newest = view.store.feed_newest(FEED, MOST)
        published = set(view.store.outputs([OWNER]))
        if not newest and PATH not in published:
            return Plan(owners={OWNER}, outputs=[])
        outputs = [
            showing_output(
                PATH,
                OWNER,
                [settings_fp, newest],
                lambda: render_calendar(view, view.items([i for i, _ in newest])),
            )
        ]
        upcoming, expires = _upcoming_feed(view, newest, settings_fp)
        outputs.extend(upcoming)
        outputs.extend(_term_calendars(view, settings_fp, published))
        return Plan(owners={OWNER}, outputs=outputs, expires=expires)


def term_calendar(key: str) -> str:
    """The path of a topic's or place's calendar (``place:kobe``: ``events/place/kobe.ics``)."""
    facet, _, term = key.partition(":")
    return f"events/{facet}/{term}.ics"


def _calendar_key(path: str) -> str | None:
    """The term of a topic's or place's calendar path (``events/place/kobe.ics``:
    ``place:kobe``), None for another path."""
    parts = path.split("/")
    if len(parts) != 3 or parts[0] != "events" or not parts[2].endswith(".ics"):
        return None
    return f"{parts[1]}:{parts[2].removesuffix('.ics')}"


def _term_calendars(view: StoreView, settings_fp: str, published: set[str]) -> list[Output]:
    """A calendar of each topic and place with events: ``events/place/kobe.ics``, for
    those who follow one city's or one subject's events in their calendar; and, empty,
    of each whose calendar was ``published`` and whose term the taxonomy still has."""
    outputs = []
    terms = dict(view.term_events())
    for path in published:
        key = _calendar_key(path)
        if key is not None and key not in terms and view.has_term(key):
            terms[key] = []
    for key, members in sorted(terms.items()):
        outputs.append(term_calendar_output(view, key, members, settings_fp))
    return outputs


def term_calendar_output(
    view: StoreView,
    key: str,
    members: list[tuple[str, str]],
    settings_fp: str,
    *,
    path: str | None = None,
    owner: str = OWNER,
) -> Output:
    """The calendar of a topic or place (``place:kobe``) holding ``members`` (its events,
    newest announced first: the newest ``MOST``), at its own path or at ``path`` (where
    a renamed term's was), written for ``owner``."""
    facet, _, term = key.partition(":")
    shown = members[:MOST]
    name = f"{view.settings.site.title}{view.say(': events · ')}{view.label(facet, term)}"
    path = path or term_calendar(key)

    def render() -> bytes:
        return render_calendar(view, view.items([item_id for item_id, _ in shown]), name)

    return showing_output(path, owner, [settings_fp, path, shown], render)


def render_calendar(view: StoreView, events: list[StoredItem], name: str | None = None) -> bytes:
    """The iCalendar document of some event items (soonest first), named ``name`` (the
    site's events by default)."""
    import icalendar

    site = view.settings.site
    zone = ZoneInfo(site.timezone)
    host = id_host(view.settings)  # the feeds' ids' host: it stays when the site moves
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//tdlc-syndication//{host}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name or f"{site.title}: events")
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
            vevent.add("dtend", event.last_day() + timedelta(days=1))  # exclusive
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
    if not calendar.subcomponents:  # RFC 5545 asks for one component: the site's zone
        calendar.add_component(icalendar.Timezone.from_tzid(site.timezone))
    for vtimezone in calendar.walk("VTIMEZONE"):
        with_onsets_before(vtimezone, zone)
    data: bytes = calendar.to_ical()
    return data


def with_onsets_before(vtimezone: Any, zone: ZoneInfo) -> None:
    """``vtimezone`` (the site's zone, as icalendar writes it) with each change of its
    clock written as RFC 5545 writes it (3.6.5): the time the clock showed before it, in
    ``TZOFFSETFROM``. icalendar writes the first time shown after a change forward
    (``03:00`` where New York's clock goes from 02:00 to 03:00), which a client that reads
    the calendar's own VTIMEZONE (dateutil's reader, Outlook's) took as an hour later:
    an event in the hour after the change was an hour late there."""
    if str(vtimezone.get("TZID")) != zone.key:
        return
    for observance in vtimezone.subcomponents:
        before, after = observance["TZOFFSETFROM"].td, observance["TZOFFSETTO"].td
        if before == after:
            continue
        observance.DTSTART = _onset(observance.DTSTART, before, after, zone)
        written = observance.get("RDATE")
        if written is None:
            continue
        lists = written if isinstance(written, list) else [written]
        onsets = [_onset(d.dt, before, after, zone) for dates in lists for d in dates.dts]
        del observance["RDATE"]
        observance.add("RDATE", onsets)


def _onset(shown: datetime, before: timedelta, after: timedelta, zone: ZoneInfo) -> datetime:
    """The local time (in the offset ``before``) at which ``zone``'s clock changed from
    ``before`` to ``after``, where the change is the one ``shown`` (a local time just
    before or just after it) names; ``shown`` where it names none."""
    for moment in (shown - after, shown - before):  # read as after the change, or before
        utc = moment.replace(tzinfo=UTC)
        if (utc - timedelta(seconds=1)).astimezone(zone).utcoffset() == before and (
            utc.astimezone(zone).utcoffset() == after
        ):
            return (utc + before).replace(tzinfo=None)
    return shown


def upcoming_spec(view: StoreView) -> FeedSpec:
    """The upcoming-events feed."""
    site = view.settings.site
    return FeedSpec(
        key="upcoming",
        id="upcoming",
        title=f"{view.say('Upcoming events')} · {site.title}",
        description=view.say("Events that have not ended yet, soonest first."),
        stem="upcoming",
    )


def _upcoming_feed(
    view: StoreView, newest: list[tuple[str, str]], settings_fp: str
) -> tuple[list[Output], datetime | None]:
    """``feeds/upcoming.*``: the events still to come, ordered by when they start; and
    when the first of them ends (then it leaves the feed)."""
    fingerprints = dict(newest)
    coming, ends = not_over(view, view.items([i for i, _ in newest]))
    members = tuple((s.item.id, fingerprints.get(s.item.id, "")) for s in coming)
    page = Page(0, members, None, None, complete=True)
    spec = upcoming_spec(view)

    @lru_cache(maxsize=1)
    def shown() -> tuple[Entry, ...]:
        return tuple(entries(view, coming, language=view.settings.site.language))

    outputs = []
    for fmt in FORMATS:
        path = spec.path(fmt.suffix)
        outputs.append(
            showing_output(
                path,
                OWNER,
                [settings_fp, path, members],
                lambda fmt=fmt, path=path: fmt.render(view, spec, page, path, shown()),  # type: ignore[misc]
                subscription=True,
            )
        )
    return outputs, min(ends, default=None)


def not_over(view: StoreView, stored: list[StoredItem]) -> tuple[list[StoredItem], list[datetime]]:
    """The events among ``stored`` not yet over at the publish's time, soonest first (by
    when they start, not when they were announced; one under way first), and when each is
    over (then it leaves the lists of upcoming events)."""
    now = view.today()
    zone = ZoneInfo(view.settings.site.timezone)
    timed = [(s, event, over_at(event, zone)) for s in stored if (event := s.item.event)]
    coming = sorted(
        (found for found in timed if found[2] >= now),
        key=lambda found: (found[1].start, found[0].item.id),
    )
    return [s for s, _, _ in coming], [over for _, _, over in coming]
