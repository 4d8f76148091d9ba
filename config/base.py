"""Shared pieces of the settings models: the strict base model, slugs, paths, zones and
schedules."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo

SLUG = r"^[a-z0-9][a-z0-9_-]*$"
LANGUAGE = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
_EVERY = re.compile(r"^every\s+(\d+)\s*(s|m|h|d)$")

Slug = Annotated[str, Field(pattern=SLUG, min_length=1, max_length=64)]


class Strict(BaseModel):
    """Base of every settings model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def resolve_path(value: Path | None, info: ValidationInfo) -> Path | None:
    """Validator: resolve a relative path against the config file's folder (in the context)."""
    if value is None or value.is_absolute():
        return value
    base = (info.context or {}).get("base_dir")
    return Path(base) / value if base else value


def check_timezone(value: str | None) -> str | None:
    """Validate an IANA zone name (None passes)."""
    if value is None:
        return value
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r}; use an IANA name such as 'Asia/Tokyo'"
        ) from None
    return value


def parse_schedule(value: str) -> tuple[str, int | str]:
    """Split a schedule into ``("interval", seconds)`` or ``("cron", expression)``; a cron
    line comes back in APScheduler's spelling (see :func:`cron_fields`).

    Raises:
        ValueError: the text is neither ``every N{s,m,h,d}`` (10 s at least) nor a
            five-field cron line that APScheduler accepts.
    """
    text = value.strip()
    match = _EVERY.match(text)
    if match:
        number, unit = int(match.group(1)), match.group(2)
        seconds = number * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
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
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger.from_crontab(expression, timezone="UTC")
    except ValueError as exc:
        raise ValueError(
            f"cron line {value!r} is not valid ({exc}); the fields are minute (0-59), hour "
            "(0-23), day of month (1-31), month (1-12 or jan-dec), day of week (0-7 with 0 "
            "and 7 Sunday, or sun-sat)"
        ) from None
    return "cron", expression


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
