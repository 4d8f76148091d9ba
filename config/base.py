"""Shared pieces of the settings models: the strict base model, slugs, paths, URLs and
zones (schedules: ``config.schedules``)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    model_serializer,
)

from tdlc_syndication.config.credentials import check_no_variable
from tdlc_syndication.config.files import is_special
from tdlc_syndication.config.hostnames import host_problem
from tdlc_syndication.config.languages import language_problem, language_tag
from tdlc_syndication.config.schedules import MAX_INTERVAL
from tdlc_syndication.config.schedules import parse_schedule as parse_schedule

SLUG = r"^[a-z0-9][a-z0-9_-]*$"

Slug = Annotated[str, Field(pattern=SLUG, min_length=1, max_length=64)]


class Strict(BaseModel):
    """Base of every settings model: unknown keys are errors, values are immutable.

    Numbers are finite (TOML's ``inf`` and ``nan`` are refused: an endless delay hung a
    run), and every time a setting gives has an upper bound (a timeout of ``1e300`` seconds
    ended a run with a traceback): :data:`HOUR` for what one request or one stop waits,
    :data:`YEAR` for waits between runs.

    Validators are built when a file is first validated, not when the models are
    imported: a command that takes its settings from the cache of validated settings
    (``pipeline.loading``) never builds them."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, allow_inf_nan=False)


class Renamable(Strict):
    """An entry that may list the slugs it had before (``formerly``, a field of each
    subclass). An empty list is left out of its dumps: the fingerprints of the settings
    written before the field existed stay the same (no re-reading, no re-rendering)."""

    @model_serializer(mode="wrap")
    def _without_empty_formerly(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict) and not data.get("formerly", True):
            del data["formerly"]
        return data


HOUR = 3600  # seconds: the longest a request, a host's spacing or a stop may be given
YEAR = MAX_INTERVAL  # seconds: the longest a wait between two runs may be, as a schedule


def check_language(value: str | None) -> str | None:
    """Validator: a language tag every feed and page validator accepts (``config.languages``),
    in the form the outputs write (``ja_jp`` is ``ja-JP``, ``jpn`` is ``ja``)."""
    if value is None:
        return value
    problem = language_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return language_tag(value)


# An HTML end tag ("</b>"): what readers would show as text in a title, and what the feed
# validator warns of there (ContainsHTML), however it is escaped.
_END_TAG = re.compile(r"</\w+\s*>")


def check_plain_text(value: str | None) -> str | None:
    """Validator: a title, label or description without HTML markup (feeds carry it as
    plain text)."""
    if value is not None and (tag := _END_TAG.search(value)):
        raise ValueError(
            f"holds HTML markup ({tag.group(0)!r}); feeds show it as text and the feed "
            "validator warns of it: write it without tags"
        )
    return value


def check_path(value: Path) -> Path:
    """Validator: a path no file system refuses outright (it has no NUL character)."""
    if "\x00" in str(value):
        raise ValueError("a path cannot hold a NUL character (\\u0000); write the folder's name")
    return value


def check_folder_path(value: Path | None) -> Path | None:
    """Validator: a path that can name a folder (not a file that exists: the publish
    failed at its first file, after the run had fetched everything)."""
    if value is None:
        return value
    check_path(value)
    if value.exists() and not value.is_dir():
        raise ValueError(f"{str(value)!r} is a file, not a folder; give the path of a folder")
    return value


def check_file_path(value: Path | None) -> Path | None:
    """Validator: a path that can name a file (not '/', '.', a folder, or a device or a
    pipe that exists: ``/dev/null`` was replaced by a file when the program ran as root)."""
    if value is None:
        return value
    check_path(value)
    if value.name in ("", ".", "..") or value.is_dir():
        raise ValueError(f"{str(value)!r} is a folder; give the path of a file in it")
    if is_special(value):
        raise ValueError(f"{str(value)!r} is a device or a pipe; give the path of a file")
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


def zone_named(name: str) -> ZoneInfo | None:
    """The IANA zone ``name`` names, or None when it names none: an unknown name, a path
    (``../x``), or a folder of the zone database (``Asia``, which raised an
    IsADirectoryError where the database is the ``tzdata`` package)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def check_timezone(value: str | None) -> str | None:
    """Validate an IANA zone name (None passes); a name that is no zone is refused with the
    one to write where it can be told (:func:`zone_meant`)."""
    if value is not None and zone_named(value) is None:
        meant = zone_meant(value)
        fix = f"write {meant!r}" if meant else "use an IANA name such as 'Asia/Tokyo'"
        if meant and meant.startswith("Etc/GMT"):
            fix += (
                " (that offset all year: the zone database writes its sign inverted), or "
                "the place's zone, such as 'Asia/Tokyo'"
            )
        raise ValueError(f"unknown time zone {value!r}; {fix}")
    return value


# Zones named by an abbreviation or a city the zone database has no name of (the
# abbreviations that name one zone only: not CST, IST, BST).
_ZONES_MEANT = {
    "jst": "Asia/Tokyo", "kst": "Asia/Seoul", "ict": "Asia/Bangkok", "wib": "Asia/Jakarta",
    "wita": "Asia/Makassar", "wit": "Asia/Jayapura", "pht": "Asia/Manila",
    "sgt": "Asia/Singapore", "myt": "Asia/Kuala_Lumpur", "hkt": "Asia/Hong_Kong",
    "npt": "Asia/Kathmandu", "pkt": "Asia/Karachi", "mmt": "Asia/Yangon",
    "eat": "Africa/Nairobi", "wat": "Africa/Lagos", "sast": "Africa/Johannesburg",
    "hanoi": "Asia/Ho_Chi_Minh", "beijing": "Asia/Shanghai", "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata", "mumbai": "Asia/Kolkata", "washington": "America/New_York",
    "washington dc": "America/New_York",
}  # fmt: skip
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$")


def zone_meant(value: str) -> str | None:
    """The zone a name that is none means: its own name in another case (``asia/tokyo``),
    a city's (``Tokyo``, ``ho chi minh``), an abbreviation that names one zone (``JST``),
    or a whole-hour offset (``UTC+9``: ``Etc/GMT-9``, whose sign POSIX inverts); None when
    it cannot be told."""
    from zoneinfo import available_timezones  # (a refusal's alone: no start-up's)

    key = " ".join(value.replace("_", " ").split()).lower()
    if key in _ZONES_MEANT:
        return _ZONES_MEANT[key]
    offset = _OFFSET.match(key)  # before the names: Etc/GMT+9 is UTC-9
    if offset:
        hours = int(offset[2])
        if hours > 14 or offset[3] not in (None, "00"):
            return None
        return "Etc/UTC" if hours == 0 else f"Etc/GMT{'-' if offset[1] == '+' else '+'}{hours}"
    zones = sorted(available_timezones())
    for zone in zones:
        if zone.lower() == value.strip().lower():
            return zone
    cities = [
        zone
        for zone in zones
        if "/" in zone
        and not zone.startswith("Etc/")
        and zone.rsplit("/", 1)[1].replace("_", " ").lower() == key
    ]
    return min(cities, key=len) if cities else None


_LINE_BREAK = re.compile(r"[\t\n\r]")


def subscribed_url(value: object) -> object:
    """Validator (before the others): an address in a scheme feed readers and calendar apps
    subscribe by, as the http(s) one it stands for: ``webcal://`` and ``webcals://`` (Apple's
    and Outlook's published calendars) over https, ``feed:https://…`` as its inner address,
    ``feed://`` over http (as browsers read it; a site on https redirects). Such an
    address, pasted as a site gives it, was refused."""
    if not isinstance(value, str):
        return value
    lowered = value[:16].lower()
    if lowered.startswith(("webcal://", "webcals://")):
        return "https://" + value.split("://", 1)[1]
    if lowered.startswith(("feed:http://", "feed:https://")):
        return value[len("feed:") :]
    if lowered.startswith("feed://"):
        return "http://" + value[len("feed://") :]
    return value


def check_http_url(value: str | None) -> str | None:
    """Validator: an absolute http(s) URL that can be fetched (None passes), on a host
    name or address (``config.hostnames``; IPv6 too). The regular expression alone let
    through ``http://[::1/feed`` and a port past 65535: ``check`` said the settings were
    fine, and the first fetch ended the run with a traceback."""
    if value is None:
        return value
    if not re.match(r"^https?://[^/\s]", value):
        # an address written as a browser's bar shows it, without its scheme
        bare = re.match(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+(?::\d+)?(?:[/?#]\S*)?$", value.strip())
        fix = f" (write 'https://{value.strip()}')" if bare else ""
        raise ValueError(f"must be an absolute http:// or https:// URL{fix}")
    check_no_variable(value)
    if _LINE_BREAK.search(value):
        raise ValueError("holds a line break or a tab; write the URL on one line")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (it checks the port)
    except ValueError as exc:
        raise ValueError(f"is not a URL ({exc})") from None
    if not parts.hostname:
        raise ValueError("has no host name")
    problem = None if ":" in parts.hostname else host_problem(parts.hostname)
    if problem is not None:  # an IPv6 address can be fetched, not published
        raise ValueError(problem)
    return value


def check_site_url(value: str | None) -> str | None:
    """Validator: :func:`site_url` (None passes)."""
    return None if value is None else site_url(value)


def site_url(value: str) -> str:
    """An http(s) URL that the site's addresses are made from by adding paths
    (``base_url``, ``attachments_url``), ending in '/', on a host every link checker takes
    (``config.hostnames``: no IPv6 address, which the feed validator refuses in a link). A
    query or fragment made every link ``https://x/?v=1/feeds/all.atom``; a user name and
    password were published in every feed and page."""
    check_http_url(value)  # which took any host name, and an IPv6 address
    parts = urlsplit(value)
    if parts.hostname and ":" in parts.hostname:  # the one host problem check_http_url takes
        raise ValueError(host_problem(parts.hostname))
    if parts.username is not None or parts.password is not None:
        raise ValueError(
            "holds a user name or password, which every feed and page would publish; remove it"
        )
    if parts.query or parts.fragment or "?" in value or "#" in value:
        raise ValueError(
            "may not hold a query (?) or a fragment (#): the site's addresses are made by "
            "adding paths to it"
        )
    return value if value.endswith("/") else value + "/"


# soupsieve's old name of its text test, as jQuery and Scrapy write it (``:contains("…")``)
# outside a quoted string: soupsieve still reads it, but warned (a FutureWarning with the
# path of its own file) at every `check` and every run of the source.
_OLD_CONTAINS = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|:contains(?=\()""")


def modern_selector(value: object) -> object:
    """A CSS selector with ``:contains(…)`` written as soupsieve's name for it now,
    ``:-soup-contains(…)`` (the same test: an element whose text holds the words)."""
    if not isinstance(value, str) or ":contains" not in value:
        return value
    return _OLD_CONTAINS.sub(lambda m: m.group(1) or ":-soup-contains", value)


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A day written another way: with slashes, dots or 年月日, without leading zeros, or
# with a time after it.
_ANY_DAY = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T ].*)?$")


def day_text(value: object) -> object:
    """A day as a setting keeps it, ``YYYY-MM-DD``: a TOML date written without quotes
    (``since = 2026-01-01``, TOML's own way) is that text; it was refused as "input
    should be a valid string, got datetime.date(2026, 1, 1)". A date and time, or a day
    written another way (``2026/01/01``), is refused with the day to write.

    Raises:
        ValueError: ``value`` is a date and time, or text that is no such day.
    """
    if isinstance(value, datetime):  # (a date too: asked first)
        raise ValueError(f"must be a day without a time (write {value.date().isoformat()})")
    if isinstance(value, date):
        return value.isoformat()
    if value is None or (isinstance(value, str) and _DAY.match(value) and _is_day(value)):
        return value
    written = _any_day(value) if isinstance(value, str) else None
    fix = f" (write {written})" if written else ""
    raise ValueError(f"must be a day written YYYY-MM-DD{fix}, not {as_written(value)}")


_TAG_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_ANY_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def tag_date_text(value: object) -> object:
    """The date of a tag: URI as a setting keeps it (RFC 4151: ``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD``): a TOML integer year (``id_date = 2026``) or date (``2026-11-01``) is
    that text; either was refused as "input should be a valid string". Text written
    another way (``2026/11``) is refused with what to write.

    Raises:
        ValueError: ``value`` is no such date.
    """
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and _TAG_DATE.match(value) and _is_day((value + "-01-01")[:10]):
        return value  # (a year or a month as its first day)
    month = _ANY_MONTH.match(value) if isinstance(value, str) else None
    written = month and _is_day("{}-{:0>2}-01".format(*month.groups()))
    if isinstance(value, datetime):
        fix = f" without a time (write {value.date().isoformat()})"
    elif month and written:
        fix = f" (write {written[:7]})"
    else:
        fix = f" (write {day})" if isinstance(value, str) and (day := _any_day(value)) else ""
    raise ValueError(
        "must be a year, a month or a day: YYYY, YYYY-MM or YYYY-MM-DD"
        f"{fix}, not {as_written(value)}"
    )


def as_written(value: object) -> str:
    """``value`` as a settings file writes it: ``true``, ``2026-11-01T10:00:00``, or a
    quoted string (a refusal quoted Python's ``True`` and ``datetime.date(…)``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | time):
        return value.isoformat()
    return repr(value)


def _any_day(text: str) -> str | None:
    """The day ``text`` writes another way (``2026/1/5``, ``2026年1月5日``), or None."""
    found = _ANY_DAY.match(text)
    return _is_day("{}-{:0>2}-{:0>2}".format(*found.groups())) if found else None


def _is_day(text: str) -> str | None:
    """``text`` when it is a day of the calendar (``2026-02-30`` is none), else None."""
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def check_one_line(value: str) -> str:
    """Validator: text sent in an HTTP or mail header, which holds no line break."""
    if _LINE_BREAK.search(value):
        raise ValueError(
            "holds a line break or a tab; it is sent in a header: write it on one line"
        )
    return value
