"""Shared pieces of the settings models: the strict base model, slugs, paths and zones
(schedules: ``config.schedules``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo

from tdlc_syndication.config.schedules import parse_schedule as parse_schedule

SLUG = r"^[a-z0-9][a-z0-9_-]*$"
LANGUAGE = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"

Slug = Annotated[str, Field(pattern=SLUG, min_length=1, max_length=64)]


class Strict(BaseModel):
    """Base of every settings model: unknown keys are errors, values are immutable.

    Validators are built when a file is first validated, not when the models are
    imported: a command that takes its settings from the cache of validated settings
    (``pipeline.loading``) never builds them."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def check_path(value: Path) -> Path:
    """Validator: a path no file system refuses outright (it has no NUL character)."""
    if "\x00" in str(value):
        raise ValueError("a path cannot hold a NUL character (\\u0000); write the folder's name")
    return value


def check_file_path(value: Path | None) -> Path | None:
    """Validator: a path that can name a file (not '/', '.', or a folder that exists)."""
    if value is None:
        return value
    check_path(value)
    if value.name in ("", ".", "..") or value.is_dir():
        raise ValueError(f"{str(value)!r} is a folder; give the path of a file in it")
    return value


def resolve_path(value: Path | None, info: ValidationInfo) -> Path | None:
    """Validator: resolve a relative path against the config file's folder (in the context)."""
    if value is not None:
        check_path(value)
    if value is None or value.is_absolute():
        return value
    base = (info.context or {}).get("base_dir")
    return Path(base) / value if base else value


_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


def check_addresses(value: str | list[str] | None) -> str | list[str] | None:
    """Validate an email address, or each of a list (None passes). A domain in Japanese
    is fine (it is published and sent in IDNA); the part before @ must be ASCII."""
    for address in [] if value is None else [value] if isinstance(value, str) else value:
        if not _ADDRESS.match(address):
            raise ValueError(f"{address!r} is not an email address such as 'desk@example.org'")
        if not address.rpartition("@")[0].isascii():
            raise ValueError(
                f"{address!r}: the part before @ must be ASCII (other letters there need "
                "SMTPUTF8 mail, and feeds allow none); a domain in Japanese is fine"
            )
    return value


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
