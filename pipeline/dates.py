"""Date parsing shared by every source: ISO 8601 / W3CDTF, RFC 822 and partial dates.

A date is returned with its precision. Dates without a time (``2026-11-26``, ``2015-04``,
``2012``) are stored as midnight UTC of that calendar day with precision ``day``,
``month`` or ``year``: a calendar date names the same day for every reader. Timestamps
without a zone take the source's zone.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from email.utils import parsedate_to_datetime

from pipeline.model import Precision

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*"
    r"(Z|[+-]\d{2}:?\d{2})?$",
    re.I,
)


def parse_date(text: str | None, tz: tzinfo = UTC) -> tuple[datetime, Precision] | None:
    """Parse a date or timestamp; None when the text is not a date we understand.

    Args:
        text: the raw value from the origin.
        tz: zone of timestamps that carry none.
    """
    if not text:
        return None
    value = text.strip()
    partial = _PARTIAL.match(value)
    if partial:
        year, month, day = partial.groups()
        try:
            when = datetime(int(year), int(month or 1), int(day or 1), tzinfo=UTC)
        except ValueError:
            return None
        precision: Precision = "day" if day else "month" if month else "year"
        return when, precision
    iso = _ISO.match(value)
    if iso:
        y, mo, d, h, mi, s, zone = iso.groups()
        try:
            naive = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
        except ValueError:
            return None
        if zone is None:
            return naive.replace(tzinfo=tz).astimezone(UTC), "datetime"
        if zone.upper() == "Z":
            return naive.replace(tzinfo=UTC), "datetime"
        aware = datetime.fromisoformat(f"{naive.isoformat()}{zone[:3]}:{zone[-2:]}")
        return aware.astimezone(UTC), "datetime"
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(UTC), "datetime"
