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
_CRON_FIELD = re.compile(r"^[\d*/,\-A-Za-z?]+$")

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
    """Split a schedule into ``("interval", seconds)`` or ``("cron", expression)``.

    Raises:
        ValueError: the text is neither ``every N{s,m,h,d}`` nor a five-field cron line.
    """
    text = value.strip()
    match = _EVERY.match(text)
    if match:
        number, unit = int(match.group(1)), match.group(2)
        seconds = number * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
        if seconds < 60:
            raise ValueError("a schedule must be at least every 1m")
        return "interval", seconds
    parts = text.split()
    if len(parts) == 5 and all(_CRON_FIELD.match(p) for p in parts):
        return "cron", text
    raise ValueError(
        f"schedule {value!r} is not understood; write 'every 30m', 'every 6h', "
        "'every 1d' or a five-field cron line such as '0 6 * * mon-fri'"
    )
