"""``kind = "ical"``: iCalendar (RFC 5545) event feeds, over HTTP or from a file.

Read with ``icalendar``; repeating events (``RRULE``, ``RDATE``) are expanded by
``recurring-ical-events`` into one item per occurrence between ``past_days`` ago and
``future_days`` ahead, with ``EXDATE`` exclusions, moved occurrences (``RECURRENCE-ID`` with
a new start) and cancelled ones (``STATUS:CANCELLED``, kept as cancelled events). iCalendar
has no status for a postponement: a calendar writes it into the title (``（延期）``,
``Postponed:``), and a title so marked (or marked ``【中止】``) gives the event's status. An
occurrence's id is the series' UID and its original start, so a moved occurrence keeps its
id. Times come in every form: UTC, zoned (IANA or Windows names such as ``Tokyo Standard
Time``, or a name that carries its offset: ``sources.icalzones``), floating (in the zone
the calendar names in ``X-WR-TIMEZONE``, else the source's: by default the site's), and
all-day dates. Lines are joined before the calendar is decoded (a fold may cut a
character in two). Each series is expanded on its own, and one that cannot be is skipped, not
the calendar. Private events (``CLASS`` other than ``PUBLIC``) are withdrawn, never
published; an event without a ``URL`` links to ``page_url`` (or the calendar's own
``URL``).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, ClassVar

from tdlc_syndication.config.base import zone_named
from tdlc_syndication.config.sources import IcalSourceConfig
from tdlc_syndication.pipeline.canonical import resolve_url
from tdlc_syndication.pipeline.encoding import decode
from tdlc_syndication.pipeline.errors import ParseError
from tdlc_syndication.pipeline.lazy import LazyModule
from tdlc_syndication.pipeline.model import (
    Event,
    Item,
    Listed,
    Media,
    Precision,
    Retraction,
)
from tdlc_syndication.pipeline.text import has_markup, plain_text, visible
from tdlc_syndication.sources.base import Fetched, FetchState, Skipped
from tdlc_syndication.sources.common import (
    BaseSource,
    date_of,
    event_mode,
    event_status,
    hashed_id,
    item_id,
    layout_html,
    precision_of,
    says_yes,
    source_zone,
)
from tdlc_syndication.sources.icalseries import (
    EXPANSION_ERRORS,
    decoded,
    expanded,
    original_start,
    range_shifts,
    series_calendars,
    too_dense,
)
from tdlc_syndication.sources.icalzones import mended, named_zone, readable_zones
from tdlc_syndication.sources.meetings import without_call_block

if TYPE_CHECKING:  # the readers load with the first calendar parsed, not with this module
    import icalendar
    import icalendar.parser
    import recurring_ical_events

    from tdlc_syndication.pipeline import dates, periods
else:
    icalendar = LazyModule("icalendar")
    # (icalseries.py expands the series: named here, this kind's module, so that the
    # workers load it before their first calendar, as pipeline.processes.preload reads)
    recurring_ical_events = LazyModule("recurring_ical_events")
    dates = LazyModule("tdlc_syndication.pipeline.dates")
    periods = LazyModule("tdlc_syndication.pipeline.periods")

# What an occurrence that only lists its changes takes from its series.
_INHERITED = (
    "URL", "DESCRIPTION", "X-ALT-DESC", "LOCATION", "CATEGORIES", "CREATED",
    "LAST-MODIFIED", "CLASS", "ATTACH",
)  # fmt: skip
# Where Google and Outlook name an event's video call.
_CALL_PROPERTIES = ("X-GOOGLE-CONFERENCE", "X-MICROSOFT-SKYPETEAMSMEETINGURL")
_IMAGE_NAME = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)$", re.IGNORECASE)
_FOLD = re.compile(rb"\r?\n[ \t]")
Dated = tuple[datetime, Precision]


def moment(value: Any, zone: tzinfo) -> Dated | None:
    """A decoded DTSTART/DTEND-like value as aware UTC with its precision: dates are whole
    days, floating times are in ``zone``; None for a time UTC cannot hold (23:00 on
    9999-12-31 in a zone behind UTC: the OverflowError failed the calendar)."""
    if isinstance(value, datetime):
        return dates.utc_timestamp(
            value if value.tzinfo is not None else value.replace(tzinfo=zone)
        )
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC), "day"
    return None


def unfolded(body: bytes) -> bytes:
    """A calendar's bytes with its folded lines joined, before they are decoded.

    RFC 5545 folds a line at 75 octets, and writers that count octets fold inside a
    character of two or three (every Japanese title of forty characters or more): decoded
    first, each such fold was a replacement character in the title. A calendar in UTF-16
    (a byte-order mark, or a NUL among its first bytes) is left as it is: its folds are
    two octets a character, and the text reader joins them."""
    if body[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\0" in body[:64]:
        return body
    return _FOLD.sub(b"", body)


def _calendar_zone(calendar: Any, fallback: tzinfo) -> tzinfo:
    """The zone of a calendar's floating times: the one it names in ``X-WR-TIMEZONE`` (as
    Google's and Apple's calendars write and read it), else ``fallback`` (the source's).
    The expansion of repeating events read that zone and single events did not: in a
    calendar named ``Asia/Manila``, read with the site's ``Asia/Tokyo``, a weekly
    seminar at 10:00 was at 02:00 UTC and a single event at 10:00 at 01:00 UTC. A
    Windows name (``SE Asia Standard Time``) or one with its offset (``GMT+07:00``) is
    read as a ``TZID`` is (:func:`named_zone`); any name but an IANA one is removed from
    ``calendar``: the expansion failed the whole calendar on ``Asia``
    (IsADirectoryError)."""
    name = str(calendar.get("X-WR-TIMEZONE") or "").strip()
    if not name:
        return fallback
    zone = zone_named(name)
    if zone is None:  # the expansion reads only IANA names: it is told none
        del calendar["X-WR-TIMEZONE"]
        return named_zone(name) or fallback
    return zone


def _occurrence_key(value: Any, zone: tzinfo) -> str:
    """The original start of an occurrence, as it goes into the id."""
    found = moment(value, zone)
    if found is None:
        return str(value)
    when, precision = found
    return when.strftime("%Y%m%d") if precision == "day" else when.strftime("%Y%m%dT%H%M%SZ")


class IcalSource(BaseSource[IcalSourceConfig]):
    """Reads one calendar."""

    kind: ClassVar[str] = "ical"

    @staticmethod
    def kinds_produced(config: IcalSourceConfig) -> set[str]:
        """Every item is an event."""
        return {"event"}

    def fetch(self, state: FetchState) -> Iterator[Fetched]:
        """Yield the calendar (conditional GET, or the local file if it changed)."""
        yield self.fetch_one(state, self.config.url, self.config.path, "text/calendar, */*;q=0.1")

    def parse(self, fetched: Fetched) -> Iterator[Item | Retraction | Skipped | Listed]:
        """One event item per one-off event and per occurrence of a repeating one (a
        private one withdrawn); a series too dense to expand, or that cannot be, is
        skipped; then the time in which the calendar lists every event (``Listed``), when
        no series was left out for an error."""
        cfg = self.config
        now = self.clock()
        text, _ = decode(unfolded(fetched.body), fetched.charset)
        if "BEGIN:VCALENDAR" not in text.upper():
            from tdlc_syndication.sources.discovery import web_page_hint  # failures only

            hint = web_page_hint(fetched.body, fetched.charset, fetched.location, "ical")
            raise ParseError(cfg.id, hint or f"{fetched.location} is not an iCalendar file")
        try:
            # (several calendars one after another, as merged files are: read as one)
            calendars = icalendar.Calendar.from_ical(readable_zones(text), multiple=True)
        except Exception as exc:  # icalendar's own fault on a damaged file
            try:  # a damage no event shows: an alarm's, a zone offset's
                again = readable_zones(mended(text))
                calendars = icalendar.Calendar.from_ical(again, multiple=True)
            except Exception:
                raise ParseError(
                    cfg.id,
                    f"{fetched.location} is not valid iCalendar: {type(exc).__name__}: {exc}",
                ) from exc
        if not calendars:
            raise ParseError(cfg.id, f"{fetched.location} holds no whole calendar (END:VCALENDAR)")
        calendar = calendars[0]
        for other in calendars[1:]:
            calendar.subcomponents.extend(other.subcomponents)
        zone = _calendar_zone(calendar, source_zone(cfg))
        # An event without a start is no event (RFC 5545 requires DTSTART): left out.
        calendar.subcomponents = [
            c for c in calendar.subcomponents if c.name != "VEVENT" or "DTSTART" in c
        ]
        dense = {str(e.get("UID")): why for e in calendar.walk("VEVENT") if (why := too_dense(e))}
        for uid, why in dense.items():
            yield Skipped(f"{fetched.location}#{uid}", why)
        calendar.subcomponents = [
            c
            for c in calendar.subcomponents
            if c.name != "VEVENT" or str(c.get("UID")) not in dense
        ]
        events = list(calendar.walk("VEVENT"))
        repeating = ("RRULE", "RDATE", "RECURRENCE-ID")
        # in the calendar's order
        series = dict.fromkeys(str(e.get("UID")) for e in events if any(r in e for r in repeating))
        masters = {str(e.get("UID")): e for e in events if "RECURRENCE-ID" not in e}
        # An event without its own URL links to where the calendar is seen (Google's and
        # Outlook's calendars give none): without it, every event was dropped (no-link).
        # Never to the calendar's address: a calendar's secret address would be published.
        page = cfg.page_url or str(calendar.get("URL") or "").strip()
        address = fetched.base_url  # the calendar's own (http); '' for a local file
        found: list[tuple[Any, Any]] = [
            (e, None) for e in events if str(e.get("UID")) not in series
        ]
        window = (now - timedelta(days=cfg.past_days), now + timedelta(days=cfg.future_days))
        unexpanded = False
        for uid, one in series_calendars(calendar, series):
            try:
                occurrences = expanded(one, window)
            except EXPANSION_ERRORS as exc:  # that series is left out, not the calendar
                yield Skipped(f"{fetched.location}#{uid}", f"cannot expand its repeats: {exc!r}")
                unexpanded = True
                continue
            shifts = range_shifts(one)
            for occurrence in occurrences:
                self._inherit(occurrence, masters.get(uid))
                found.append((occurrence, original_start(occurrence, shifts)))
        items: list[Item] = []
        for event, recurrence in found:
            access = _text(event, "CLASS").upper() or "PUBLIC"
            if access != "PUBLIC":
                # Shown only to the calendar's owner (a secret address gives them too):
                # never published, and withdrawn if it was published before it was marked.
                # A class this program does not know is private, as RFC 5545 asks.
                why = f"marked CLASS:{access} in the calendar"
                yield Retraction(self._event_id(event, zone, recurrence), why)
            else:
                items.append(self._item(event, zone, recurrence, page, address))
        if items and all(i.title.strip().casefold() in _AVAILABILITY for i in items):
            raise ParseError(
                cfg.id,
                f"{fetched.location} shares availability only (every event is titled as "
                f"'{items[0].title.strip()}' is): publish the calendar with all its details",
            )
        items, until = _nearest(items, cfg.max_items, now)
        yield from sorted(items, key=lambda i: i.event.start if i.event else _NEVER)
        if found and not unexpanded:  # every event to come is listed: one no longer here
            # was deleted (a calendar marks no deletion); an empty calendar is more likely a
            # fault, and the stored occurrences of a series left out are not deleted
            yield Listed(start=now, until=until)

    @staticmethod
    def _inherit(occurrence: Any, master: Any) -> None:
        if master is None:
            return
        for name in _INHERITED:
            if name not in occurrence and name in master:
                occurrence[name] = master[name]

    def _event_id(self, event: Any, zone: tzinfo, recurrence: Any) -> str:
        """The item id of an event: its UID (with its original start for an occurrence
        of a series, so that a moved occurrence keeps it)."""
        uid = _text(event, "UID") or hashed_id(_text(event, "SUMMARY"), _text(event, "DTSTART"))
        if recurrence is not None:
            uid = f"{uid}#{_occurrence_key(getattr(recurrence, 'dt', recurrence), zone)}"
        return item_id(self.config.id, uid)

    def _item(self, event: Any, zone: tzinfo, recurrence: Any, page: str, address: str) -> Item:
        cfg = self.config

        def text(name: str) -> str:
            return _text(event, name)

        opens, closes = _whole_days(event, decoded(event, "DTSTART"), decoded(event, "DTEND"))
        start = moment(opens, zone)
        end = moment(closes, zone)
        if end is None and start is not None:
            delta = decoded(event, "DURATION")
            if isinstance(delta, timedelta):
                with contextlib.suppress(OverflowError):  # past the calendar's end: no end
                    end = (start[0] + delta, start[1])
        created = moment(decoded(event, "CREATED"), UTC)
        modified = moment(decoded(event, "LAST-MODIFIED"), UTC)
        media, thumbnail = _attachments(event)
        location = text("LOCATION")
        description = without_call_block(text("DESCRIPTION"))
        # the calls the calendar names in its own properties (Google's, Outlook's)
        calls = [text(name) for name in _CALL_PROPERTIES]
        item_event = None
        if start is not None:
            item_event = Event(
                start=start[0],
                end=end[0] if end and end[0] > start[0] else None,  # DTEND is exclusive
                all_day=start[1] == "day",
                location=location or None,
                # A title's mark first: iCalendar has no POSTPONED, so a calendar that
                # postpones writes （延期） into the SUMMARY (with CANCELLED, or no STATUS).
                status=periods.status_marked(text("SUMMARY")) or event_status(text("STATUS")),
                mode=event_mode(location, [*calls, text("DESCRIPTION")]),
            )
        return Item(
            id=self._event_id(event, zone, recurrence),
            source=cfg.id,
            kind="event",
            title=text("SUMMARY"),
            url=event_link(text("URL"), page, address),
            summary=description,
            content_html=_description_html(event, description),
            published=date_of(created),
            published_precision=precision_of(created),
            updated=date_of(modified),
            language=cfg.language,
            categories=_categories(event),
            event=item_event,
            media=media,
            thumbnail=thumbnail,
            extra=(("sequence", text("SEQUENCE")),) if text("SEQUENCE") else (),
        )


def event_link(written: str, page: str, address: str) -> str:
    """The page an event links to: its ``URL`` (RFC 5545 asks for an absolute one), one
    written from its host's root (``/c/machbar/calendar``, as Discourse's calendars
    write it) resolved against the calendar's ``address`` as browsers resolve it, which
    takes the address's host alone; else ``page``. An event linked relative to the
    calendar's own folder is not resolved: that would publish the calendar's path, which
    for a secret address holds its key. Each was dropped (no link), ``page_url`` or not."""
    if not written:
        return page
    if _ABSOLUTE.match(written):
        return written
    if written.startswith(("/", "\\")) and address.startswith(("http://", "https://")):
        return resolve_url(address, written)
    return page or written


_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


# Outlook's and Exchange's mark of an all-day event, which they may write as times from
# midnight to midnight (in the event's zone) rather than as days.
_ALL_DAY_MARKS = ("X-MICROSOFT-CDO-ALLDAYEVENT", "X-MICROSOFT-MSNCALENDAR-ALLDAYEVENT")


def _whole_days(event: Any, start: Any, end: Any) -> tuple[Any, Any]:
    """``DTSTART`` and ``DTEND`` as days when Outlook marks the event all-day and writes
    them as midnights (the end's day being the exclusive end, as ``VALUE=DATE`` writes
    it); else as they are. Such an event was published as 24 hours from midnight in the
    event's zone: on two days for a reader in another zone."""

    def midnight(value: Any) -> bool:
        return isinstance(value, datetime) and value.time() == time()

    marked = any(says_yes(_text(event, mark)) for mark in _ALL_DAY_MARKS)
    if not marked or not midnight(start) or not (end is None or midnight(end)):
        return start, end
    return start.date(), end.date() if isinstance(end, datetime) else None


_NEVER = datetime.max.replace(tzinfo=UTC)
# The titles of a calendar shared with its availability only (Outlook's "Availability
# only", Google's "See only free/busy"), in English and Japanese: no event to publish.
_AVAILABILITY = {
    "busy", "free", "tentative", "away", "out of office", "working elsewhere",
    "予定あり", "空き時間", "仮の予定", "外出中", "他の場所で作業中", "取り込み中",
}  # fmt: skip


def _nearest(items: list[Item], most: int, now: datetime) -> tuple[list[Item], datetime | None]:
    """At most ``most`` events, those nearest to ``now`` (a calendar with years of one-off
    events kept its oldest and dropped every event to come), and the start of the last
    one to come kept when some were cut (those after it were cut here, not deleted)."""
    if len(items) <= most:
        return items, None
    kept = sorted(items, key=_nearest_first(now))[:most]
    coming = [i.event.start for i in kept if i.event and i.event.start >= now]
    return kept, max(coming, default=now)


def _nearest_first(now: datetime) -> Callable[[Item], tuple[int, float]]:
    """A sort key: events not yet over first, soonest first; then those gone by, the
    latest first; then items without a time."""

    def key(item: Item) -> tuple[int, float]:
        event = item.event
        if event is None:
            return (2, 0.0)
        if (event.end or event.start) >= now:
            return (0, event.start.timestamp())
        return (1, -event.start.timestamp())

    return key


def _attachments(event: Any) -> tuple[tuple[Media, ...], str | None]:
    """An event's ``ATTACH`` links (The Events Calendar gives its featured image, others
    a flyer or a programme): the first image is its thumbnail, the other files documents.
    Attachments carried inline (base64) are not published."""
    values = event.get("ATTACH")
    media: list[Media] = []
    thumbnail = None
    for value in values if isinstance(values, list) else [values] if values is not None else []:
        url = str(value).strip()
        params = getattr(value, "params", {})
        if params.get("VALUE", "").upper() == "BINARY" or not url.lower().startswith("http"):
            continue
        mime = str(params.get("FMTTYPE", "")).strip().lower() or None
        path = url.partition("?")[0].partition("#")[0]
        if (mime or "").startswith("image/") or (mime is None and _IMAGE_NAME.search(path)):
            thumbnail = thumbnail or url
        elif all(m.url != url for m in media):
            media.append(Media(url=url, mime=mime, role="document"))
    return tuple(media), thumbnail


_BODY = re.compile(r"<body\b[^>]*>(.*?)(?:</body\s*>|\Z)", re.IGNORECASE | re.DOTALL)


def _description_html(event: Any, description: str) -> str:
    """An event's description as HTML, when it says more than one line of text can:
    Outlook's HTML copy (``X-ALT-DESC;FMTTYPE=text/html``, its body), a ``description``
    written in HTML (Google's), or one of several lines or with a web address, laid out
    as written with the addresses linked. "" for one line of plain text: the summary
    says it all. A video call's block is left out of each (``sources.meetings``)."""
    alt = event.get("X-ALT-DESC")
    for value in alt if isinstance(alt, list) else [alt] if alt is not None else []:
        if str(getattr(value, "params", {}).get("FMTTYPE", "")).strip().lower() == "text/html":
            # An X- property comes as written: its text escapes are undone here.
            markup = icalendar.parser.unescape_backslash(str(value))
            found = _BODY.search(markup)
            body = without_call_block((found.group(1) if found else markup).strip())
            if visible(plain_text(body)):
                return body
    # Google wraps a description edited as rich text in <html-blob>, whatever it holds.
    if has_markup(description) or "<html-blob>" in description.lower():
        return description
    return layout_html(description)


def _text(event: Any, name: str) -> str:
    """A property's value as text, trimmed ("" when the event has none)."""
    value = event.get(name)
    return str(value).strip() if value is not None else ""


def _categories(event: Any) -> tuple[str, ...]:
    """Every CATEGORIES value (the property may repeat and each holds a list)."""
    found: list[str] = []
    values = event.get("CATEGORIES")
    for entry in values if isinstance(values, list) else [values] if values is not None else []:
        for category in getattr(entry, "cats", [entry]):
            name = str(category).strip()
            if name and name not in found:
                found.append(name)
    return tuple(found)
