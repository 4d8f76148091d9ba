"""Turns of a cron schedule on a wall clock that changes for summer time, reckoned without
APScheduler's summer-time faults.

APScheduler 3.11's cron trigger works on the site's clock and slips where it changes:

* it adds the jitter (30 s by default) on the site's clock, which forgets which pass of an
  hour the clock shows twice a time is on: the turn after one on the first pass (01:30:12
  in New York on the first Sunday of November) was a time of that first pass again,
  before now, and the scheduler, which asks until it has a turn after now, asked for good,
  the service hung, its memory growing (agronholm/apscheduler#1021 reports the same loop);
* the day after the clock goes forward, a turn at midnight is skipped (a weekly digest at
  ``Mon 00:00`` in New York or Berlin skipped a week every spring).

Here the cron trigger reckons in UTC, where no clock changes, as if the site's clock were
UTC: it gives each time the site's clock shows a turn, in order. Each such time is then
placed on the real clock: a time shown twice is a turn twice (as APScheduler documents),
a time the clock skips is a turn at the moment it would have been (02:30 on the morning
the clock goes from 02:00 to 03:00 is a turn at 03:30, as cron runs it), and the next
turn is the earliest such moment after the last.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, tzinfo

from apscheduler.triggers.base import BaseTrigger

# More than the most a clock ever moved at once for summer time (two hours): the times
# shown this much before a moment may still come after it (the hour shown twice).
_SHIFT = timedelta(hours=3)
_TICK = timedelta(microseconds=1)


class WallClockTrigger(BaseTrigger):  # type: ignore[misc]  # (APScheduler is untyped)
    """A trigger whose turns are those of ``wall`` (a trigger reckoning in UTC) read as
    times of the clock of ``zone``, each moved later by up to ``jitter`` seconds."""

    def __init__(self, wall: BaseTrigger, zone: tzinfo, jitter: int | None = None) -> None:
        self.wall = wall
        self.zone = zone
        self.jitter = jitter

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        """The first turn after ``previous_fire_time`` (else at or after ``now``)."""
        start = now.astimezone(UTC)  # (arithmetic on the site's clock drops the fold)
        if previous_fire_time is not None:
            start = min(start, previous_fire_time.astimezone(UTC) + _TICK)
        best: datetime | None = None
        # Where the clock changes near a moment, the times it shows are out of order: a
        # time shown before it may come after it (the hour shown twice), one shown after
        # it before (a time skipped is moved later). Elsewhere the first time is the turn.
        back = timedelta(0) if self._steady(start) else _SHIFT
        shown = self.wall.get_next_fire_time(None, self._shown(start) - back)
        while shown is not None and (best is None or shown <= self._shown(best) + _SHIFT):
            for moment in self._moments(shown):
                if moment >= start and (best is None or moment < best):
                    best = moment
            if best is not None and self._steady(best):
                break
            shown = self.wall.get_next_fire_time(shown, shown)
        if best is None:
            return None
        if self.jitter:  # (APScheduler's adds it on the site's clock, dropping the fold)
            best += timedelta(seconds=random.uniform(0, self.jitter))
        return best.astimezone(self.zone)

    def _steady(self, moment: datetime) -> bool:
        """Whether the site's clock keeps one offset from UTC around ``moment``."""
        before = (moment - _SHIFT).astimezone(self.zone).utcoffset()
        return before == (moment + _SHIFT).astimezone(self.zone).utcoffset()

    def _shown(self, moment: datetime) -> datetime:
        """What the site's clock shows at ``moment``, as a time in UTC."""
        return moment.astimezone(self.zone).replace(tzinfo=UTC, fold=0)

    def _moments(self, shown: datetime) -> list[datetime]:
        """The moments (UTC) the site's clock shows ``shown``: two where it goes back, one
        otherwise; where it skips that time, the moment it would have shown it."""
        local = shown.replace(tzinfo=None)
        first = local.replace(tzinfo=self.zone, fold=0).astimezone(UTC)
        second = local.replace(tzinfo=self.zone, fold=1).astimezone(UTC)
        return [first, second] if first < second else [first]

    def __str__(self) -> str:
        return f"{self.wall} on the clock of {self.zone}"
