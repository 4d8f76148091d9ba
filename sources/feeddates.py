"""The dates of a feed's entries: as RFC 822 and ISO 8601 write them, else as a date in
text (``2026/11/26 10:00``, ``26/11/2026`` in the feed's language), else as feedparser
leniently read them where that reading is no guess.
"""

from __future__ import annotations

import re
from calendar import timegm
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, tzinfo
from functools import cache
from typing import TYPE_CHECKING, Any

from tdlc_syndication.pipeline.lazy import LazyModule
from tdlc_syndication.sources.common import Dated

if TYPE_CHECKING:  # the date readers load with the first date read
    from tdlc_syndication.pipeline import dates, locales
    from tdlc_syndication.pipeline.locales import NumericOrder
else:
    dates = LazyModule("tdlc_syndication.pipeline.dates")
    locales = LazyModule("tdlc_syndication.pipeline.locales")

PUBLISHED = ("published", "dc_date", "issued", "created")
UPDATED = ("updated", "modified")


def dates_read(
    entries: Iterable[dict[str, Any]],
    zone: tzinfo,
    clock: Callable[[], datetime],
    order: NumericOrder | None,
) -> bool:
    """True when every date the entries carry is one :func:`_readable` reads (the fast
    path has no fallback reading of its own). Each reading is kept in its entry (as
    ``<key>_read``, beside feedparser's ``<key>_parsed``) for :func:`entry_date`: every date
    of a document was read twice."""
    for entry in entries:
        for key in (*PUBLISHED, *UPDATED):
            raw = entry.get(key)
            if isinstance(raw, str) and raw.strip():
                found = _readable(raw, zone, clock, order)
                if found is None:
                    return False
                entry[f"{key}_read"] = found
    return True


def entry_date(
    entry: Any,
    keys: tuple[str, ...],
    zone: tzinfo,
    clock: Callable[[], datetime],
    order: NumericOrder | None,
) -> Dated:
    """The first of ``keys`` that holds a date: as :func:`_readable` reads it, else as
    feedparser leniently read it."""
    for key in keys:
        # dict.get: feedparser's own get() maps a missing 'updated' to 'published' (and warns).
        raw = dict.get(entry, key)
        if isinstance(raw, str) and raw.strip():
            found = (
                dict.get(entry, f"{key}_read")  # the fast path's check read it
                or _readable(raw, zone, clock, order)
                or _lenient(raw, dict.get(entry, f"{key}_parsed"))
            )
            if found:
                return found
    return None


def _readable(
    raw: str, zone: tzinfo, clock: Callable[[], datetime], order: NumericOrder | None
) -> Dated:
    """A feed's date as ``parse_date`` reads it (RFC 822, ISO 8601), else as a date in
    text (``2026/11/26 10:00``, ``2026年11月26日``, ``26 Nov 2026``: ``find_date``; one
    written in numbers day or month first, ``26/11/2026``, in ``order``, that of the
    source's or the feed's language). feedparser read ``2026/11/26 10:00`` as the first
    day of the month it was read in: its ISO 8601 reader takes the year and fills the
    rest from the clock. A date field's numbers that are a day one way only
    (``16.09.2011``) are read so whatever the language: the field holds a date."""
    return dates.parse_date(raw, zone) or dates.find_date(
        raw, zone, clock().astimezone(zone).date(), order or dates.order_told((raw,))
    )


def written_date(
    raw: Any, zone: tzinfo, clock: Callable[[], datetime], order: NumericOrder | None
) -> Dated:
    """A date an entry gives in a field of its own (a JSON Feed's, which its spec asks to
    be RFC 3339; a Drupal node's, in its description) read as an RSS entry's date is
    (:func:`_readable`: ``2026-11-26 10:00``, ``26/11/2026`` in the feed's language); such
    a JSON Feed date, which hand-written and generated JSON Feeds give, was none."""
    value = raw.strip() if isinstance(raw, str) else ""
    return _readable(value, zone, clock, order) if value else None


@cache
def feed_order(language: str | None) -> NumericOrder | None:
    """How a feed in ``language`` writes a date in numbers (``locales.numeric_order``)."""
    return locales.numeric_order(language)


# A text feedparser's lenient readers misread: one that begins with a year its ISO 8601
# reader takes alone, filling the month and the day from the clock (``2026-W48-4``, a week
# date; ``2026-november-26``), or with a day or a month in numbers (``26-11-2026 10:00``
# was 2026-11-20: read as a two-digit year, 26, and the month and day after it).
_YEAR_ALONE = re.compile(r"\s*(?:\d{4}(?:$|[^\d-]|-\D)|\d{1,2}[-/.]\d{1,2}[-/.]\d)")


def _lenient(raw: str, parsed: Any) -> Dated:
    """feedparser's lenient reading (``parsed``) of a date ``raw`` that :func:`_readable`
    refused; None when there is none, when it is the year alone with the month and day
    of the day it was read (``2026-W48-4`` read in December: 2026-12-01), or when a
    datetime cannot hold it (``00010101T00:00:00+01:00``, .NET's least date east of UTC,
    is in the year 0: the ValueError failed the whole source)."""
    if not parsed or _YEAR_ALONE.match(raw):
        return None
    try:
        return datetime.fromtimestamp(timegm(parsed), UTC), "datetime"
    except (OverflowError, OSError, ValueError):
        return None
