"""Source schedules as text: an interval (``every 30m``, ``every 6 hours``, ``every
1h30m``), a five-field cron line, or one of cron's names for one (``@daily`` or ``daily``,
``@hourly``, ...). Kept apart from the settings models (no pydantic), so that ``status``
can read a schedule at once."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apscheduler.triggers.base import BaseTrigger

MIN_INTERVAL = 10  # seconds
MAX_INTERVAL = 365 * 86400  # seconds (far longer ones took the service past the year 9999)
_UNITS = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600),
    **dict.fromkeys(("d", "day", "days"), 86400),
    **dict.fromkeys(("w", "week", "weeks"), 7 * 86400),
}
_PART = re.compile(r"(\d+)?\s*([a-z]+)\s*")  # a number (1 when alone) and its unit
# cron's names for a line (Vixie cron's, as systemd's calendar words without the @).
_NAMED = {
    "hourly": "0 * * * *",
    "daily": "0 0 * * *",
    "midnight": "0 0 * * *",
    "weekly": "0 0 * * sun",
    "monthly": "0 0 1 * *",
    "yearly": "0 0 1 1 *",
    "annually": "0 0 1 1 *",
}
_UNDERSTOOD = (
    "write an interval ('every 30m', 'every 6 hours', 'every 1h30m'), a five-field cron "
    "line such as '0 6 * * mon-fri', or 'hourly', 'daily', 'weekly', 'monthly'"
)


def _seconds(schedule: str) -> int | None:
    """The period in seconds of an interval schedule: ``every`` (or ``@every``), then
    numbers with their units, each unit once (``every 1h30m``), or a lone unit (``every
    hour``); None for anything else."""
    words = schedule.lower().removeprefix("@").split(None, 1)  # Go cron's "@every 1h30m"
    if len(words) != 2 or words[0] != "every":
        return None
    rest = words[1].strip()
    parts: list[tuple[str | None, int]] = []
    position = 0
    while position < len(rest):
        match = _PART.match(rest, position)
        if match is None or match.group(2) not in _UNITS:
            return None
        parts.append((match.group(1), _UNITS[match.group(2)]))
        position = match.end()
    units = [unit for _, unit in parts]
    if len(set(units)) != len(units) or (len(parts) > 1 and any(n is None for n, _ in parts)):
        return None
    # A number of more digits than any bound has is out of range, whatever it is.
    counts = [1 if n is None else int(n) if len(n) <= 12 else 10**12 for n, _ in parts]
    return sum(count * unit for count, unit in zip(counts, units, strict=True))


def interval_of(schedule: str) -> timedelta | None:
    """The period of an interval schedule (None for a cron line). Validated settings hold
    none beyond ``MAX_INTERVAL``; a longer one is read as that long."""
    seconds = _seconds(schedule)
    return None if seconds is None else timedelta(seconds=min(seconds, MAX_INTERVAL))


def cron_line(schedule: str) -> str:
    """The cron line of a schedule that is not an interval: as written, or the five
    fields a name stands for (``@daily`` and ``daily`` are ``0 0 * * *``)."""
    text = schedule.strip()
    return _NAMED.get(text.lower().removeprefix("@"), text)


def parse_schedule(value: str) -> tuple[str, int | str]:
    """Split a schedule into ``("interval", seconds)`` or ``("cron", expression)``; a cron
    line comes back in APScheduler's spelling (see :func:`cron_fields`).

    Raises:
        ValueError: the text is neither an interval from 10 seconds to 365 days nor a
            five-field cron line (or a name of one) that APScheduler accepts, or the line
            names no day that comes (``0 6 31 2 *``: the service failed at its start,
            every start).
    """
    text = value.strip()
    seconds = _seconds(text)
    if seconds is not None:
        if seconds < MIN_INTERVAL:
            raise ValueError(f"a schedule must be at least every {MIN_INTERVAL}s")
        if seconds > MAX_INTERVAL:
            raise ValueError(
                f"schedule {value!r} is longer than a year; the longest is 'every 365d' "
                "(a source to read by hand: enabled = false, then `syndicate fetch SOURCE`)"
            )
        return "interval", seconds
    if text.lower() == "@reboot":
        raise ValueError(
            "'@reboot' is no schedule here (the service syncs every source that is due "
            f"when it starts); {_UNDERSTOOD}"
        )
    parts = cron_line(text).split()
    if len(parts) != 5:
        raise ValueError(f"schedule {value!r} is not understood; {_UNDERSTOOD}")
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

    parts = cron_line(line).split()
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


_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def cron_fields(parts: list[str]) -> str:
    """A five-field cron line in APScheduler's spelling.

    APScheduler numbers the days of the week from Monday = 0, cron from Sunday = 0 (and 7):
    the day field is written out as names, so that ``1-5`` keeps its cron meaning, Monday
    to Friday, ``*/2`` is every other day from Sunday (APScheduler's from Monday), and a
    range of names runs through the week as cron's does (``sun-thu``, a work week in
    Bangladesh and Egypt, was refused: APScheduler's Sunday is the last day).
    """
    minute, hour, day, month, weekday = parts
    return " ".join((minute, hour, day, month, _weekday_names(weekday)))


def _weekday_names(field: str) -> str:
    """A day-of-week field as cron reads it, written out as names; the field as written
    when a token is not understood (APScheduler's error then names it)."""
    if field == "*":
        return field
    days: list[int] = []
    for token in field.lower().split(","):
        span, _, step_text = token.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else None
        if step_text and step is None:
            return field
        low, dash, high = span.partition("-")
        first, last = _day_number(low), _day_number(high) if dash else None
        if span == "*":
            first, last = 0, 6
        elif first is None or (dash and last is None):
            return field
        elif last is None:
            last = 6 if step else first
        elif last == 0 and first > 0:
            last = 7  # fri-sun: to the week's end, as Sunday is also 7
        if not (0 <= first <= last <= 7):
            return field
        days.extend(range(first, last + 1, step or 1))
    return ",".join(dict.fromkeys(_DAY_NAMES[d] for d in days))


def _day_number(text: str) -> int | None:
    """cron's number of a day of the week, written as a number (0-7) or a name (sun, mon,
    ..., its first three letters); None for anything else."""
    if text.isdigit() and len(text) <= 2:
        return int(text)
    return _DAY_NAMES.index(text) if text in _DAY_NAMES else None
