"""Source schedules as text: ``every N{s,m,h,d}`` or a five-field cron line. Kept apart
from the settings models (no pydantic), so that ``status`` can read a schedule at once."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apscheduler.triggers.base import BaseTrigger

_EVERY = re.compile(r"^every\s+(\d+)\s*(s|m|h|d)$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def interval_of(schedule: str) -> timedelta | None:
    """The period of an ``every N{s,m,h,d}`` schedule (None for a cron line)."""
    match = _EVERY.match(schedule.strip())
    return timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)]) if match else None


def parse_schedule(value: str) -> tuple[str, int | str]:
    """Split a schedule into ``("interval", seconds)`` or ``("cron", expression)``; a cron
    line comes back in APScheduler's spelling (see :func:`cron_fields`).

    Raises:
        ValueError: the text is neither ``every N{s,m,h,d}`` (10 s at least) nor a
            five-field cron line that APScheduler accepts, or the line names no day
            that comes (``0 6 31 2 *``: the service failed at its start, every start).
    """
    text = value.strip()
    period = interval_of(text)
    if period is not None:
        seconds = int(period.total_seconds())
        if seconds < MIN_INTERVAL:
            raise ValueError(f"a schedule must be at least every {MIN_INTERVAL}s")
        return "interval", seconds
    parts = text.split()
    if len(parts) != 5:
        raise ValueError(
            f"schedule {value!r} is not understood; write 'every 30m', 'every 6h', "
            "'every 1d' or a five-field cron line such as '0 6 * * mon-fri'"
        )
    expression = cron_fields(parts)
    try:
        trigger = cron_trigger(text, UTC)
    except ValueError as exc:
        raise ValueError(
            f"cron line {value!r} is not valid ({exc}); the fields are minute (0-59), hour "
            "(0-23), day of month (1-31), month (1-12 or jan-dec), day of week (0-7 with 0 "
            "and 7 Sunday, or sun-sat)"
        ) from None
    if trigger.get_next_fire_time(None, _SINCE) is None:
        raise ValueError(
            f"cron line {value!r} names no day that comes (such as 31 February or 31 "
            "April); check its day of month and month"
        )
    return "cron", expression


def check_schedule(value: str) -> str:
    """Validator: :func:`parse_schedule` (the value is kept as written).

    Raises:
        ValueError: as :func:`parse_schedule`.
    """
    parse_schedule(value)
    return value


_SINCE = datetime(2001, 1, 1, tzinfo=UTC)  # 29 February comes in 2004


def cron_trigger(line: str, zone: tzinfo, jitter: int | None = None) -> BaseTrigger:
    """The APScheduler trigger of a five-field cron line as written, with cron's rules:
    its day numbers (``1-5`` is Monday to Friday, see :func:`cron_fields`), and when both
    the day of the month and the day of the week are restricted (neither starts with
    ``*``), a day that matches either is a turn: ``0 6 1 * mon`` is the 1st and every
    Monday, where APScheduler's trigger asks for both (a Monday the 1st, a few times a
    year).

    Raises:
        ValueError: a field APScheduler does not take.
    """
    from apscheduler.triggers.cron import CronTrigger

    parts = line.split()
    minute, hour, day, month, weekday = cron_fields(parts).split()

    def cron(day: str, weekday: str, jitter: int | None) -> CronTrigger:
        return CronTrigger(
            minute=minute, hour=hour, day=day, month=month, day_of_week=weekday,
            timezone=zone, jitter=jitter,
        )  # fmt: skip

    if parts[2].startswith("*") or parts[4].startswith("*"):
        return cron(day, weekday, jitter)
    from apscheduler.triggers.combining import OrTrigger

    return OrTrigger([cron(day, "*", None), cron("*", weekday, None)], jitter=jitter)


MIN_INTERVAL = 10  # seconds
_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def cron_fields(parts: list[str]) -> str:
    """A five-field cron line in APScheduler's spelling.

    APScheduler numbers the days of the week from Monday = 0, cron from Sunday = 0 (and 7);
    numeric days (single, ranges, steps) are written out as names so that ``1-5`` keeps its
    cron meaning, Monday to Friday.
    """
    minute, hour, day, month, weekday = parts
    return " ".join((minute, hour, day, month, _weekday_names(weekday)))


def _weekday_names(field: str) -> str:
    if not any(ch.isdigit() for ch in field):
        return field
    days: list[int] = []
    named: list[str] = []  # tokens spelled with names pass as they are
    for token in field.split(","):
        if not any(ch.isdigit() for ch in token.partition("/")[0]):
            named.append(token)
            continue
        span, _, step_text = token.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else None
        if step_text and step is None:
            return field  # not understood: APScheduler's error names it
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            low, _, high = span.partition("-")
            if not (low.isdigit() and high.isdigit()):
                return field
            first, last = int(low), int(high)
        elif span.isdigit():
            first = int(span)
            last = 6 if step else first
        else:
            return field
        if not (0 <= first <= 7 and 0 <= last <= 7 and first <= last):
            return field
        days.extend(range(first, last + 1, step or 1))
    return ",".join(dict.fromkeys([*(_DAY_NAMES[d] for d in days), *named]))
