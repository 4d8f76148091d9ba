"""The series of a calendar: its repeating events expanded into their occurrences.

Each series (the events of one UID: its rule and its moved occurrences) is expanded on its
own by ``recurring-ical-events``, with the calendar's time zones; a rule that repeats more
often than hourly is not expanded; an occurrence keeps the start it had before it was
moved, which goes into its id.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tdlc_syndication.pipeline.lazy import LazyModule

if TYPE_CHECKING:  # loaded with the first calendar that repeats
    import recurring_ical_events
else:
    recurring_ical_events = LazyModule("recurring_ical_events")


def too_dense(event: Any) -> str | None:
    """Why a repeating event is too dense to expand, or None. A rule that repeats more
    often than hourly (``FREQ=MINUTELY``, or ``BYMINUTE`` values under ``FREQ=HOURLY``)
    is no programme's calendar, and the expansion walks every second or minute from the
    first start: ``FREQ=MINUTELY`` over the default window took 44 s and 1.5 GB."""
    try:
        rules = event.get("RRULE")
        for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
            freq = str((rule.get("FREQ") or [""])[0]).upper()
            if freq in ("SECONDLY", "MINUTELY"):
                return f"a rule that repeats every {freq[:-2].lower()} (FREQ={freq}): not expanded"
            per_day = len(rule.get("BYHOUR") or []) or (24 if freq == "HOURLY" else 1)
            per_day *= len(rule.get("BYMINUTE") or []) or 1
            per_day *= len(rule.get("BYSECOND") or []) or 1
            if per_day > 24:
                return f"a rule that repeats {per_day} times a day: not expanded"
    except (ValueError, TypeError, KeyError, AttributeError):
        return None  # a broken rule (FREQ=MOTHLY): the expansion says what is wrong
    return None


def decoded(component: Any, name: str) -> Any:
    """``component``'s property ``name`` decoded, or None (absent, or not readable)."""
    try:
        return component.decoded(name) if name in component else None
    except (ValueError, TypeError, KeyError):
        return None


def original_start(occurrence: Any, shifts: dict[Any, Any]) -> Any:
    """Where an occurrence was before it was moved: its ``RECURRENCE-ID``, but for one
    that a change of "this and every later occurrence" (``RANGE=THISANDFUTURE``, RFC 5545
    3.2.13) moved, which carries that change's: its start moved back by the change's
    shift (``shifts``, :func:`range_shifts`). Every occurrence after such a change had
    the change's id, and all but the first were dropped as duplicates."""
    recurrence = occurrence.get("RECURRENCE-ID")
    if recurrence is None or not shifts or not _ranged(recurrence):
        return recurrence
    shift = shifts.get(recurrence.dt)
    try:
        return recurrence if shift is None else decoded(occurrence, "DTSTART") - shift
    except TypeError:  # a day and a time (a change that made it an all-day event)
        return recurrence


def range_shifts(series: Any) -> dict[Any, Any]:
    """How far each change of "this and every later occurrence" in ``series`` (a calendar
    of one series' events) moved them, by the original start it names."""
    shifts: dict[Any, Any] = {}
    for change in series.walk("VEVENT"):
        said = change.get("RECURRENCE-ID")
        if said is not None and _ranged(said):
            with contextlib.suppress(TypeError):  # a day and a time
                shifts[said.dt] = decoded(change, "DTSTART") - said.dt
    return shifts


def _ranged(recurrence: Any) -> bool:
    return str(getattr(recurrence, "params", {}).get("RANGE", "")).upper() == "THISANDFUTURE"


# The library's own errors on a malformed rule, a date past what a datetime holds, and a
# zone name that opens a folder of the zone database (OSError).
EXPANSION_ERRORS = (ValueError, TypeError, KeyError, AttributeError, OverflowError, OSError)


def series_calendars(calendar: Any, series: Iterable[str]) -> Iterator[tuple[str, Any]]:
    """Each series of ``calendar`` (its events of one UID: the rule, its moved
    occurrences) with the calendar's other parts (its time zones), as a calendar of its
    own. Expanded together, one broken series, or one event dated past what a datetime
    holds, failed the whole calendar."""
    others: list[Any] = []
    by_uid: dict[str, list[Any]] = {uid: [] for uid in series}
    for component in calendar.subcomponents:
        if component.name != "VEVENT":
            others.append(component)
        elif (members := by_uid.get(str(component.get("UID")))) is not None:
            members.append(component)
    for uid, members in by_uid.items():
        one = copy.copy(calendar)  # its properties (X-WR-TIMEZONE), not its components
        one.subcomponents = [*others, *members]
        yield uid, one


def expanded(calendar: Any, window: tuple[datetime, datetime]) -> list[Any]:
    """The occurrences of the repeating events of ``calendar`` in ``window``.
    (``recurring-ical-events``'s lazy ``after`` would stop at ``max_items``, but it walks
    from each series' first start much more slowly: 42 s against 1 s for an hourly series
    begun ten years ago.)"""
    return list(recurring_ical_events.of(calendar).between(*window))
