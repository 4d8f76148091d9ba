"""An RFC 822 date's zone as the email parser can read it, and the forms of dates that
scripts write: a zone's name (``JST``; the source's own abbreviation, ``PST`` in Manila),
an offset after GMT (``GMT+7``), one written as ISO 8601 writes it (``+09:00``) or in
whole hours (``+07``), JavaScript's, Java's and Unix ``date``'s order of a date's parts,
and the zone RFC 9557 adds in brackets. ``dates.parse_date`` reads them; iCalendar's zone
names are read with :func:`offset_named`."""

from __future__ import annotations

import re
from datetime import timedelta, tzinfo

from tdlc_syndication.pipeline.clock import ZONE_NAMES, own_abbreviation, utc_offset

_ZONE_NAME = re.compile(r"(?<=:\d\d)\s*\(?([A-Z]{3,4})\)?$")  # right after the time
# An RFC 822 date's offset with a colon (``+09:00``, as ISO 8601 writes it), which the email
# parser reads as no zone at all: the time was taken in the source's zone.
_COLON_OFFSET = re.compile(r"(?<=\d\d)(\s+[+-]\d\d):(\d\d)$")
# An offset in whole hours after a time (``09:00:00 +07``): strftime's ``%Z`` and PHP's
# ``T`` write one for a zone without an abbreviation (Asia/Bangkok, Asia/Ho_Chi_Minh,
# America/Sao_Paulo since tzdata 2017), and the email parser read it as minutes.
_HOUR_OFFSET = re.compile(r"(?<=\d\d:\d\d)((?::\d\d)?\s+[+-])(\d{1,2})$")

# An offset after GMT or UTC, as dates and zone names write it: GMT+7, UTC+05:30, GMT-3.
_GMT_PLUS = r"(?:GMT|UTC)\s*([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?"
# At the end of a date (``GMT+7``, ``(GMT+09:00)``), as Vietnamese and Indonesian sites
# write their feeds' dates: the email parser read GMT and dropped the rest, seven hours off.
_GMT_OFFSET = re.compile(rf"\s*\(?{_GMT_PLUS}\)?$")
# In a zone's display name: ``(UTC+07:00) Bangkok``, ``GMT+09:00``; ``(UTC)`` is UTC.
_NAMED_OFFSET = re.compile(rf"\b(?:{_GMT_PLUS}(?!\d)|(?:UTC|GMT)(?=\)))")


def offset_named(name: str) -> timedelta | None:
    """The offset from UTC a zone's display name carries (``(UTC+07:00) Bangkok``,
    ``GMT+09:00``, ``UTC-3``; ``(UTC) Coordinated Universal Time`` is none), or None: no
    offset, or none a zone has."""
    found = _NAMED_OFFSET.search(name)
    if found is None:
        return None
    sign, hours, minutes = found.groups()
    return utc_offset(sign, hours, minutes) if sign else timedelta()


def rfc822_offset(offset: timedelta) -> str:
    """An offset as RFC 822 and iCalendar write it: ``+0700``, ``-0330``."""
    minutes = int(offset.total_seconds()) // 60
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _offset_written(match: re.Match[str]) -> str:
    """A :data:`_GMT_OFFSET` match as the RFC 822 offset it means (`` +0700``), or as
    written when it is none a zone has."""
    offset = utc_offset(*match.groups())
    return match.group(0) if offset is None else f" {rfc822_offset(offset)}"


def as_offset(value: str, tz: tzinfo) -> str:
    """``value`` with a zone name it ends in written as its offset (``JST`` → ``+0900``),
    or without it where it is ``tz``'s own (``PST`` in Manila: read in ``tz``)."""
    named = _ZONE_NAME.search(value)
    if named is not None and own_abbreviation(named.group(1), tz):
        return value[: named.start()]
    offset = ZONE_NAMES.get(named.group(1)) if named else None
    return value if named is None or offset is None else f"{value[: named.start()]} {offset}"


# JavaScript's Date.toString() ("Thu Nov 26 2026 10:00:00 GMT+0900 (Japan Standard Time)")
# and Java's and C's ("Thu Nov 26 10:00:00 JST 2026"; Unix date's "+07" where the zone has
# no abbreviation), as feeds written by scripts give a date: the offset after GMT, or a
# zone before the year, was lost (nine hours off in Tokyo).
_SCRIPT_DATE = re.compile(
    r"^(?:[A-Za-z]{3},?\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+(?:(\d{4})\s+)?(\d{1,2}:\d\d(?::\d\d)?)"
    r"(?:\s+(?:(?:GMT|UTC)?([+-]\d\d(?:\d\d)?)|([A-Z]{2,5})))?(?:\s+\([^)]*\))?(?:\s+(\d{4}))?$"
)


def in_rfc822_order(value: str) -> str:
    """A date a script wrote (:data:`_SCRIPT_DATE`) as RFC 822 writes it (``26 Nov 2026
    10:00:00 +0900``); ``value`` as it is when it is none, or gives its year twice or not
    at all."""
    found = _SCRIPT_DATE.match(value)
    if found is None:
        return value
    month, day, year, clock, offset, zone, late_year = found.groups()
    if (year is None) == (late_year is None):
        return value
    return " ".join(part for part in (day, month, year or late_year, clock, offset or zone) if part)


_ZONE_SUFFIX = re.compile(r"\[!?([^\]=]*)\](?:\[[^\]]*\])*$")


def without_zone_suffix(value: str, tz: tzinfo) -> tuple[str, tzinfo]:
    """A timestamp without the zone RFC 9557 adds after it in brackets (Java's
    ``ZonedDateTime`` and JavaScript's Temporal write one), and the zone to read it in:
    that zone when it names one (the timestamp's own offset, if it has one, still wins),
    else ``tz``. It was no date at all."""
    found = _ZONE_SUFFIX.search(value)
    if found is None:
        return value, tz
    # imported here: the config's zone reader is not needed by the dates of most runs
    from tdlc_syndication.config.base import zone_named

    return value[: found.start()], zone_named(found.group(1)) or tz


# An IANA zone's name at the end, as some feeds' generators write a date's zone
# ("Sat, 18 Mar 2023 20:21:00 America/Los_Angeles", which miniflux's users reported).
_ZONE_NAME_AT_END = re.compile(r"\s([A-Z][A-Za-z]+(?:/[A-Za-z0-9_+-]+)+)$")


def without_zone_name(value: str, tz: tzinfo) -> tuple[str, tzinfo]:
    """A timestamp without the IANA zone name that ends it, and the zone to read it in:
    that zone (the timestamp's own offset, if it has one, still wins); ``value`` and ``tz``
    as they are where it ends in none (``Foo/Bar``). Such a date was read in ``tz``: in a
    source in Tokyo, a post at 20:21 in Los Angeles was dated 16 hours early."""
    found = _ZONE_NAME_AT_END.search(value)
    if found is None:
        return value, tz
    from tdlc_syndication.config.base import zone_named  # (as in without_zone_suffix)

    zone = zone_named(found.group(1))
    return (value, tz) if zone is None else (value[: found.start()], zone)


def with_gmt_offset(value: str) -> str:
    """``value`` with an offset written after GMT or UTC at its end (``GMT+7``,
    ``(GMT+09:00)``) as RFC 822 writes it (``+0700``)."""
    return _GMT_OFFSET.sub(_offset_written, value)


def with_rfc822_offset(value: str) -> str:
    """``value`` with an offset at its end that ISO 8601 writes (``+09:00``) or that is
    in whole hours (``+07``) as RFC 822 writes it (``+0900``, ``+0700``)."""
    if value[-3:-2] == ":":
        return _COLON_OFFSET.sub(r"\1\2", value)
    if value[-3:-2] in "+-" or value[-2:-1] in "+-":
        return _HOUR_OFFSET.sub(lambda found: f"{found.group(1)}{found.group(2):0>2}00", value)
    return value
