"""When a catalog entry shows: from its date, or Hugo's ``publishDate``, to Hugo's
``expiryDate``, as Hugo and Jekyll hold a post of a later date and Hugo drops an expired
one. An entry withheld now is published (or withdrawn) by the first run after its time,
though no file changed: the catalog's cursor is its next such time.

Used by ``sources.catalog``, which reads the dates (:data:`Moment`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, tzinfo
from typing import Any

# A date field of an entry as a moment (a day from its start in the source's zone), or
# None where it gives none: (value, entry) -> moment.
Moment = Callable[[Any, dict[str, Any]], datetime | None]
# When an entry is to be published and when it expires, each where it says.
Showing = tuple[datetime | None, datetime | None]

# Hugo's names of the time an entry shows from and the time it stops showing (its front
# matter's keys are read in any case: publishDate, publishdate).
_RELEASE = ("publishdate", "publish_date")
_EXPIRY = ("expirydate", "expiry_date", "unpublishdate", "expires")


def showing(entry: dict[str, Any], moment: Moment) -> Showing:
    """When an entry is to be published (Hugo's ``publishDate`` where it gives one, its
    date may be earlier; else its date) and when it expires (Hugo's ``expiryDate``)."""
    release = _field(entry, _RELEASE) or entry.get("published") or entry.get("date")
    return moment(release, entry), moment(_field(entry, _EXPIRY), entry)


def withheld(shows: Showing, now: datetime, zone: tzinfo) -> str:
    """Why an entry is not published at ``now``: it is scheduled for later, or it expired
    ('' where neither). Its date still to come, it was published at once, undated (the
    date dropped as absurd); expired, it stayed in the feeds."""
    release, expiry = shows
    if release is not None and release > now:
        return f"scheduled for {release.astimezone(zone):%Y-%m-%d %H:%M} in the catalog"
    if expiry is not None and expiry <= now:
        return f"expired on {expiry.astimezone(zone):%Y-%m-%d %H:%M} in the catalog"
    return ""


def next_change(shown: Iterable[Showing], now: datetime) -> str:
    """When the soonest entry scheduled for later is due, or the soonest to expire
    expires, after ``now`` (ISO 8601, UTC): the catalog's cursor; '' for none."""
    times = [when for shows in shown for when in shows if when is not None and when > now]
    return min(times).astimezone(UTC).isoformat() if times else ""


def cursor_time(cursor: str | None) -> datetime:
    """The time a catalog's cursor names (in UTC where it names no zone); the far future
    for one that names none or is not read (a cursor of another version)."""
    try:
        when = datetime.fromisoformat(cursor or "")
    except ValueError:
        return datetime.max.replace(tzinfo=UTC)
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _field(entry: dict[str, Any], names: tuple[str, ...]) -> Any:
    """The value of the first of ``names`` an entry gives, its key in any case."""
    lowered = {str(key).lower(): value for key, value in entry.items()}
    return next((lowered[name] for name in names if lowered.get(name) not in (None, "")), None)
