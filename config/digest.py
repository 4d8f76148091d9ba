"""``[digest]``: the weekly digest, its editorial folder, its schedule and its email."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from tdlc_syndication.config.base import (
    HOUR,
    Strict,
    check_addresses,
    check_folder_path,
    check_http_url,
    resolve_path,
)

_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS = tuple(name[:3] for name in _WEEKDAY_NAMES)  # cron's: mon … sun
_JA_WEEKDAYS = "月火水木金土日"
# A weekday (``mon``, ``Monday``, ``Tues.``, 月, 月曜日) and a 24-hour time, a comma or
# "at" between them if one likes: ``monday 09:00`` and ``月曜 9:00`` were refused.
_PUBLISH_AT = re.compile(
    r"^(?:([a-z]{3,9})\.?|([月火水木金土日])(?:曜日?)?)\s*,?\s*(?:at\s+)?"
    r"([01]?\d|2[0-3]):([0-5]\d)$"
)


def parse_publish_at(value: str) -> tuple[int, int, int]:
    """``"mon 09:00"`` (also ``Monday 9:00``, ``月曜 9:00``) → ``(weekday 0-6, hour,
    minute)``.

    Raises:
        ValueError: not a weekday and a 24-hour time.
    """
    match = _PUBLISH_AT.match(value.strip().lower())
    day: int | None = None
    if match and match.group(1):  # an English name, or its first three letters or more
        word = match.group(1)
        day = next((i for i, name in enumerate(_WEEKDAY_NAMES) if name.startswith(word)), None)
    elif match:
        day = _JA_WEEKDAYS.index(match.group(2))
    if match is None or day is None:
        raise ValueError("write a weekday and a 24-hour time, such as 'mon 09:00'")
    return day, int(match.group(3)), int(match.group(4))


class DigestEmail(Strict):
    """``[digest.email]``: how issues are mailed. The SMTP user name and password come from
    the environment (``SYNDICATE_SMTP_USER``, ``SYNDICATE_SMTP_PASSWORD``), never from
    the file."""

    host: str = Field(default="localhost", description="SMTP server.")
    port: int = Field(default=587, ge=1, le=65535, description="SMTP port (465 for TLS).")
    security: Literal["starttls", "tls", "none"] = Field(
        default="starttls",
        description="starttls (port 587), tls (implicit, port 465) or none (a local relay).",
    )
    sender: str = Field(
        default="digest@example.org", description="From address (the program's mailbox)."
    )
    sender_name: str | None = Field(default=None, description="From name (default: site title).")
    recipients: list[str] = Field(
        default_factory=list,
        description="To addresses: editors, subscribers, or one mailing-list address.",
    )
    unsubscribe: str | None = Field(
        default=None,
        description="List-Unsubscribe target: a mailto: or https: URL (required to send).",
    )
    timeout: float = Field(
        default=30.0, gt=0, le=HOUR, description="Seconds for the SMTP exchange."
    )

    _addresses = field_validator("sender", "recipients")(check_addresses)

    @field_validator("unsubscribe")
    @classmethod
    def _unsubscribe(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("mailto:", "https://", "http://")):
            raise ValueError("give a mailto: address or an http(s) URL")
        if value is not None and value.startswith("http"):
            check_http_url(value)
        return value


class DigestConfig(Strict):
    """``[digest]``: the weekly digest of what the program published."""

    enabled: bool = Field(
        default=True,
        description="The daemon publishes each finished week at publish_at (and catches up).",
    )
    publish_at: str = Field(
        default="mon 09:00",
        description="When the finished week (Monday to Sunday in the site's zone) is "
        "published: a weekday and a time in the site's zone.",
    )
    editorial_dir: Path | None = Field(
        default=None,
        description="Folder of the editors' intros, one Markdown file per week named like "
        "2026-W48.md; front matter 'hold: true' keeps that week from being published. "
        "Relative to the settings file.",
    )
    preview_dir: Path | None = Field(
        default=None,
        description="Where --preview writes drafts (never the public output folder). "
        "Relative to the settings file. Default: digest-preview beside the store.",
    )
    empty_week: Literal["notice", "skip"] = Field(
        default="notice",
        description="A week with no new materials publishes a short notice, or nothing "
        "(the service publishes nothing for one that ended before the archive's first "
        "items were found).",
    )
    highlights: int = Field(
        default=4, ge=0, le=20, description="Items shown as highlights (pinned ones first)."
    )
    upcoming_days: int = Field(
        default=60, ge=0, le=366, description="Events starting within this many days are listed."
    )
    send: bool = Field(
        default=False, description="Mail each published issue to [digest.email] recipients."
    )
    email: DigestEmail = Field(default_factory=DigestEmail, description="Mail settings.")

    _paths = field_validator("editorial_dir", "preview_dir")(resolve_path)
    _folders = field_validator("editorial_dir", "preview_dir")(check_folder_path)

    @field_validator("publish_at")
    @classmethod
    def _publish_at(cls, value: str) -> str:
        parse_publish_at(value)
        return value
