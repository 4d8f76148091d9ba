"""``kind = "ical"``: iCalendar (RFC 5545) event feeds, over HTTP or from a file.

Lines are unfolded (a CRLF followed by a space or tab continues the line), text is
unescaped (``\\,`` ``\\;`` ``\\n``), and DTSTART/DTEND come in their three forms: UTC
(``...Z``), zoned (``TZID=Asia/Tokyo``) and floating (the source's zone), or as all-day
dates (``VALUE=DATE``). Each VEVENT becomes an item of kind ``event``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tdlc_syndication.config.sources import IcalSourceConfig
from tdlc_syndication.pipeline.encoding import decode
from tdlc_syndication.pipeline.errors import ParseError
from tdlc_syndication.pipeline.model import Event, EventStatus, Item, Precision, Retraction
from tdlc_syndication.sources.base import Fetched, FetchState
from tdlc_syndication.sources.common import (
    BaseSource,
    date_of,
    hashed_id,
    item_id,
    precision_of,
    source_zone,
)

_DURATION = re.compile(
    r"^(?P<sign>[+-])?P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)
_STATUS: dict[str, EventStatus] = {
    "CONFIRMED": "scheduled",
    "TENTATIVE": "scheduled",
    "CANCELLED": "cancelled",
}


@dataclass(frozen=True, slots=True)
class Property:
    """One content line: name, parameters, raw value."""

    name: str
    params: dict[str, str]
    value: str


def unfold(text: str) -> list[str]:
    """Join folded lines (RFC 5545 §3.1)."""
    return re.sub(r"\r?\n[ \t]", "", text).replace("\r\n", "\n").split("\n")


def parse_line(line: str) -> Property | None:
    """Split ``NAME;PARAM=V;...:VALUE`` (colons inside quoted parameters are kept)."""
    in_quotes = False
    for index, char in enumerate(line):
        if char == '"':
            in_quotes = not in_quotes
        elif char == ":" and not in_quotes:
            head, value = line[:index], line[index + 1 :]
            name, *params = head.split(";")
            parsed = {}
            for param in params:
                key, _, val = param.partition("=")
                parsed[key.upper()] = val.strip('"')
            return Property(name.upper(), parsed, value)
    return None


def unescape(value: str) -> str:
    """Undo RFC 5545 text escapes."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def events(text: str) -> list[dict[str, Property]]:
    """Every VEVENT as a mapping of property name to its first occurrence."""
    found: list[dict[str, Property]] = []
    current: dict[str, Property] | None = None
    depth = 0
    for line in unfold(text):
        prop = parse_line(line)
        if prop is None:
            continue
        if prop.name == "BEGIN" and prop.value.upper() == "VEVENT":
            current, depth = {}, 0
        elif prop.name == "BEGIN" and current is not None:
            depth += 1  # a VALARM inside the event: its properties are not the event's
        elif prop.name == "END" and prop.value.upper() == "VEVENT" and current is not None:
            found.append(current)
            current = None
        elif prop.name == "END" and current is not None:
            depth -= 1
        elif current is not None and depth == 0:
            current.setdefault(prop.name, prop)
    return found


def when(prop: Property | None, zone: tzinfo) -> tuple[datetime, Precision] | None:
    """A DTSTART/DTEND-like value as aware UTC with its precision."""
    if prop is None:
        return None
    value = prop.value.strip()
    try:
        if prop.params.get("VALUE") == "DATE" or re.fullmatch(r"\d{8}", value):
            return datetime.strptime(value[:8], "%Y%m%d").replace(tzinfo=UTC), "day"
        naive = datetime.strptime(value.rstrip("Zz")[:15], "%Y%m%dT%H%M%S")
    except ValueError:
        return None
    if value.upper().endswith("Z"):
        return naive.replace(tzinfo=UTC), "datetime"
    tzid = prop.params.get("TZID")
    if tzid:
        # A Windows or custom zone name falls back to the source's zone.
        with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo(tzid)
    return naive.replace(tzinfo=zone).astimezone(UTC), "datetime"


def duration(value: str) -> timedelta | None:
    """An RFC 5545 DURATION (``PT1H30M``, ``P1D``)."""
    match = _DURATION.match(value.strip())
    if not match:
        return None
    parts = {k: int(v) for k, v in match.groupdict().items() if v and k != "sign"}
    delta = timedelta(
        weeks=parts.get("weeks", 0),
        days=parts.get("days", 0),
        hours=parts.get("hours", 0),
        minutes=parts.get("minutes", 0),
        seconds=parts.get("seconds", 0),
    )
    return -delta if match.group("sign") == "-" else delta


class IcalSource(BaseSource[IcalSourceConfig]):
    """Reads one calendar."""

    kind: ClassVar[str] = "ical"

    def fetch(self, state: FetchState) -> Iterator[Fetched]:
        """Yield the calendar (conditional GET, or the local file if it changed)."""
        yield self.fetch_one(state, self.config.url, self.config.path, "text/calendar, */*;q=0.1")

    def parse(self, fetched: Fetched) -> Iterable[Item | Retraction]:
        """Map every VEVENT to an event item."""
        text, _ = decode(fetched.body, fetched.charset)
        if "BEGIN:VCALENDAR" not in text.upper():
            raise ParseError(self.config.id, f"{fetched.location} is not an iCalendar file")
        zone = source_zone(self.config)
        return [self._item(event, zone) for event in events(text)][: self.config.max_items]

    def _item(self, props: dict[str, Property], zone: tzinfo) -> Item:
        cfg = self.config

        def text(name: str) -> str:
            prop = props.get(name)
            return unescape(prop.value).strip() if prop else ""

        start = when(props.get("DTSTART"), zone)
        end = when(props.get("DTEND"), zone)
        if end is None and start is not None and "DURATION" in props:
            delta = duration(props["DURATION"].value)
            end = (start[0] + delta, start[1]) if delta is not None else None
        created = when(props.get("CREATED"), zone)
        modified = when(props.get("LAST-MODIFIED"), zone)
        uid = text("UID") or hashed_id(
            text("SUMMARY"), props["DTSTART"].value if "DTSTART" in props else ""
        )
        event = None
        if start is not None:
            event = Event(
                start=start[0],
                end=end[0] if end else None,
                all_day=start[1] == "day",
                location=text("LOCATION") or None,
                status=_STATUS.get(text("STATUS").upper()),
                mode="online"
                if text("LOCATION").lower().startswith(("http://", "https://"))
                else None,
            )
        categories = [c.strip() for c in text("CATEGORIES").split(",") if c.strip()]
        return Item(
            id=item_id(cfg.id, uid),
            source=cfg.id,
            kind="event",
            title=text("SUMMARY"),
            url=text("URL"),
            summary=text("DESCRIPTION"),
            published=date_of(created),
            published_precision=precision_of(created),
            updated=date_of(modified),
            language=cfg.language,
            categories=tuple(categories),
            event=event,
            extra=(("sequence", text("SEQUENCE")),) if text("SEQUENCE") else (),
        )
