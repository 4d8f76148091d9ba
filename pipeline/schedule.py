"""When the daemon syncs each source: APScheduler triggers built from the settings, and the
first run of each source after a start, worked out from the store's records.

Everything here is a pure function of the settings, the recorded states and a given
``now``, so tests drive it with any clock; ``pipeline.daemon`` hands the results to
APScheduler.

Catch-up: a source whose turn came while the daemon was down (its last attempt is older
than one period, or a cron time passed since) is due at once, and once only; a source
that never ran is due at once; the others keep their rhythm from their last attempt, so a
restart does not poll anything early.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tdlc_syndication.config.schedules import cron_trigger, interval_of

if TYPE_CHECKING:
    from apscheduler.triggers.base import BaseTrigger

    from tdlc_syndication.config.sources import SourceConfig
    from tdlc_syndication.pipeline.ledger import SourceState


def trigger_for(
    schedule: str, zone: str, jitter: int, start: datetime | None = None
) -> BaseTrigger:
    """The APScheduler trigger of a source's ``schedule`` in the site's zone.

    Args:
        schedule: ``every N{s,m,h,d}`` or a five-field cron line (validated by the config).
        zone: IANA zone a cron line's times are in.
        jitter: seconds a fire time may move later at random (0: none).
        start: the first fire time of an interval schedule (default: one period from now).
    """
    from apscheduler.triggers.interval import IntervalTrigger

    period = interval_of(schedule)
    tz = ZoneInfo(zone)
    if period is not None:
        seconds = int(period.total_seconds())
        return IntervalTrigger(
            seconds=seconds, start_date=start, timezone=tz, jitter=jitter or None
        )
    from tdlc_syndication.pipeline.wallclock import WallClockTrigger

    return WallClockTrigger(cron_trigger(schedule.strip(), UTC), tz, jitter or None)


@dataclass(frozen=True, slots=True)
class FirstRun:
    """When a source first syncs after the daemon starts."""

    source: str
    at: datetime
    overdue: bool  # its turn passed while nothing ran (catch-up), it never ran, or due now


def due_after(schedule: str, zone: str, last: datetime) -> datetime:
    """The first turn of ``schedule`` after a run at ``last`` (no jitter)."""
    period = interval_of(schedule)
    if period is not None:
        return last + period
    trigger = trigger_for(schedule, zone, 0)
    # A second later in UTC: on the site's wall clock, 01:00:01 in the hour a change from
    # summer time repeats is read as the first 01:00:01, an hour before ``last``.
    after = last.astimezone(UTC) + timedelta(seconds=1)
    fire: datetime | None = trigger.get_next_fire_time(None, after)
    assert fire is not None  # a valid cron line always fires again
    return fire


def first_runs(
    sources: Sequence[SourceConfig],
    states: Mapping[str, SourceState],
    now: datetime,
    zone: str,
    due_now: Collection[str] = (),
) -> list[FirstRun]:
    """The first sync of each enabled source after a start at ``now``: overdue ones (and
    those that never ran, or are ``due_now``: their settings changed since their last
    read or their last failure) at ``now``, once; the others at their next turn after
    their last attempt."""
    plan = []
    for source in sources:
        if not source.enabled:
            continue
        state = states.get(source.id)
        last = state.last_attempt if state is not None else None
        if last is None or source.id in due_now:
            plan.append(FirstRun(source.id, now, True))
            continue
        due = due_after(source.schedule, zone, last)
        overdue = due <= now
        plan.append(FirstRun(source.id, now if overdue else due, overdue))
    return plan
