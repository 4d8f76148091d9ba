"""The zones an iCalendar file's times name (``TZID``), made readable before it is parsed.

RFC 5545 asks a calendar to define each zone it names in a ``VTIMEZONE``; ``icalendar``
also knows IANA names and Windows ones (``Tokyo Standard Time``). A name it knows in
neither way is read as no zone: the time is floating. Two such names did harm:

* a name that carries its offset from UTC, as Outlook's display names (``(UTC+07:00)
  Bangkok, Hanoi, Jakarta``) and other exporters (``GMT+09:00``, ``UTC+5:30``) write it
  when the calendar leaves out its ``VTIMEZONE``. Read as floating, in a site's Tokyo
  zone, an event at 10:00 in Jakarta was at 01:00 UTC, two hours early. It is read at
  that offset now (a fixed one: the name gives no summer time);
* a name that is a folder of the zone database (``Asia``, a name cut short): ``icalendar``
  opened the folder, and the IsADirectoryError failed the whole calendar for one event.
  It is floating now, as every other unknown name is.

A calendar that ``icalendar`` refuses is read once more :func:`mended` in two ways real
exporters spoil one: an offset of a zone's early history written without its hours, and
an alarm (which no item reads) whose time is written wrong.
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from typing import TYPE_CHECKING

from tdlc_syndication.config.base import zone_named
from tdlc_syndication.pipeline.lazy import LazyModule

if TYPE_CHECKING:  # the zone readers load with the first calendar parsed
    from tdlc_syndication.pipeline import rfc822
else:
    rfc822 = LazyModule("tdlc_syndication.pipeline.rfc822")

# A TZID parameter's value (quoted, it may hold ``:``, ``;`` and ``,``), and a
# VTIMEZONE's own TZID property, in the unfolded text.
_PARAMETER = re.compile(r';TZID=("[^"\r\n]*"|[^;:\r\n]*)', re.IGNORECASE)
_DEFINED = re.compile(r"^TZID(?:;[^:\r\n]*)?:([^\r\n]*)", re.IGNORECASE | re.MULTILINE)
_FOLDED = re.compile(r"\r?\n[ \t]")
_END = re.compile(r"^END:VCALENDAR", re.IGNORECASE | re.MULTILINE)
# A zone's offset of four digits whose "hours" are 24 or more: minutes and seconds whose
# hours ("00") an exporter left out (Berlin's local mean time, +00:53:28, as ``+5328``).
_SHORT_OFFSET = re.compile(
    r"^(TZOFFSET(?:FROM|TO)(?:;[^:\r\n]*)?:[+-])((?:2[4-9]|[3-9]\d)[0-5]\d)(?=\r?$)",
    re.IGNORECASE | re.MULTILINE,
)


def readable_zones(text: str) -> str:
    """``text`` with each zone name that ``icalendar`` would not read made readable: one
    that carries its offset is defined at that offset, and the others are removed (their
    times are floating, as ``icalendar`` reads them, without failing). ``text`` itself
    when every name is known or defined."""
    unfolded = _FOLDED.sub("", text)
    defined = {_unescaped(value) for value in _DEFINED.findall(unfolded)}
    unknown: dict[str, timedelta | str | None] = {}
    for match in _PARAMETER.finditer(unfolded):
        name = match.group(1).strip('"')
        if name not in unknown and name not in defined and not _known(name):
            unknown[name] = _vendor_zone(name) or rfc822.offset_named(name)
    if not unknown:
        return text

    def repaired(match: re.Match[str]) -> str:
        name = match.group(1).strip('"')
        fix = unknown.get(name, timedelta())
        if isinstance(fix, str):
            return f";TZID={fix}"
        return match.group(0) if fix is not None else ""

    unfolded = _PARAMETER.sub(repaired, unfolded)
    zones = "".join(
        _zone(name, offset) for name, offset in unknown.items() if isinstance(offset, timedelta)
    )
    ends = list(_END.finditer(unfolded))
    if not zones or not ends:
        return unfolded
    at = ends[-1].start()
    return unfolded[:at] + zones + unfolded[at:]


def named_zone(name: str) -> tzinfo | None:
    """The zone a name that is not an IANA one names as ``icalendar`` reads a ``TZID``:
    a Windows name (``SE Asia Standard Time``), or a fixed offset it carries
    (``GMT+07:00``); None for any other."""
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON  # with the calendar

    if name in WINDOWS_TO_OLSON:
        return zone_named(WINDOWS_TO_OLSON[name])
    offset = rfc822.offset_named(name)
    return None if offset is None else timezone(offset)


def _known(name: str) -> bool:
    """Whether ``icalendar`` reads ``name`` as a zone without a definition and without a
    word: an IANA name (``/Asia/Tokyo`` too) or a Windows one."""
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON  # with the calendar

    return name in WINDOWS_TO_OLSON or zone_named(name.strip("/")) is not None


def _vendor_zone(name: str) -> str | None:
    """The IANA zone a globally unique name ends with (``/mozilla.org/20050126_1/Asia/
    Tokyo``, as Thunderbird's Lightning, Evolution and libical write one), or None.
    ``icalendar`` makes the same guess, but warns of it: the warning went to standard
    error at every run, and cron mailed it (``run --once -q`` is to print errors only)."""
    if not name.startswith("/"):
        return None
    parts = name.strip("/").split("/")
    return next(
        (
            "/".join(parts[start:])
            for start in range(1, len(parts))
            if zone_named("/".join(parts[start:]))
        ),
        None,
    )


def _zone(name: str, offset: timedelta) -> str:
    """A VTIMEZONE that defines ``name`` as the fixed ``offset``."""
    written = rfc822.rfc822_offset(offset)
    escaped = name.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return (
        f"BEGIN:VTIMEZONE\r\nTZID:{escaped}\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
        f"TZOFFSETFROM:{written}\r\nTZOFFSETTO:{written}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )


def _unescaped(value: str) -> str:
    """A TEXT value as written, its escapes read (``\\,`` is a comma)."""
    return re.sub(r"\\(.)", r"\1", value.strip())


# A content line's beginning (RFC 5545 3.1): its name, then its parameters or its value.
_CONTENT_LINE = re.compile(r"[A-Za-z0-9-]+[;:]")


def mended(text: str) -> str:
    """An unfolded calendar that ``icalendar`` refused, with what spoilt it and no item
    reads mended: a zone's offset written without its hours (``TZOFFSETFROM:+5328``, from
    an exporter that dropped them from local mean time's ``+005328``: "Offset must be less
    than 24 hours") is read with them, and the alarms (``VALARM``: one with its trigger as
    ``PT-2H``, not ``-PT2H``, failed a railway's tickets) are left out. So is a line that
    is no content line (no name before its ``:``), as libical passes one over: a PHP
    notice a site's script printed between two events (``<br />``, ``<b>Notice</b>: …``)
    failed the whole calendar; and a byte-order mark before a line (each of the files
    merged into one calendar, as Windows tools save them) is dropped."""
    kept: list[str] = []
    depth = 0  # inside an alarm
    for line in _SHORT_OFFSET.sub(r"\g<1>00\2", text).splitlines(keepends=True):
        line = line.lstrip("\ufeff")
        bare = line.strip().upper()
        if bare and not _CONTENT_LINE.match(line):
            continue
        if bare == "BEGIN:VALARM":
            depth += 1
        elif depth == 0:
            kept.append(line)
        elif bare == "END:VALARM":
            depth -= 1
    return "".join(kept)
