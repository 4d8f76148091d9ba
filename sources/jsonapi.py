"""``kind = "json"``: a JSON API mapped to items by paths from the config.

Paging follows the config: an offset or page-number parameter, or a next-page link found
in the body; it stops at an empty page, at the total (a count in the body, or a page count
in a header such as WordPress's ``X-WP-TotalPages``), or at ``max_pages``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from tdlc_syndication.config.sources import JsonSourceConfig
from tdlc_syndication.pipeline.answers import Response
from tdlc_syndication.pipeline.canonical import resolve_url, with_params
from tdlc_syndication.pipeline.encoding import decode
from tdlc_syndication.pipeline.errors import FetchError, ParseError
from tdlc_syndication.pipeline.http import refusal
from tdlc_syndication.pipeline.jsonyaml import load_json
from tdlc_syndication.pipeline.lazy import LazyModule
from tdlc_syndication.pipeline.model import Event, Item, Listed, Precision, Retraction
from tdlc_syndication.pipeline.text import count_of
from tdlc_syndication.sources.base import Fetched, FetchState, Skipped
from tdlc_syndication.sources.common import (
    BaseSource,
    Dated,
    date_of,
    dated_event,
    event_status,
    hashed_id,
    item_id,
    kind_for,
    precision_of,
    says_yes,
    source_zone,
)
from tdlc_syndication.sources.jsonpath import (
    check_path,
    first_at,
    segments,
    text_at,
    texts_at,
    values_at,
)

if TYPE_CHECKING:  # the date readers load with the first date read, not with this module
    from tdlc_syndication.pipeline import dates, periods
    from tdlc_syndication.sources import footers
else:  # (and the footers' patterns with the first item read)
    dates = LazyModule("tdlc_syndication.pipeline.dates")
    periods = LazyModule("tdlc_syndication.pipeline.periods")
    footers = LazyModule("tdlc_syndication.sources.footers")

ACCEPT = "application/json, */*;q=0.1"


class JsonSource(BaseSource[JsonSourceConfig]):
    """Reads a JSON API page by page."""

    kind: ClassVar[str] = "json"

    @staticmethod
    def kinds_produced(config: JsonSourceConfig) -> set[str]:
        """A record with an ``event_start`` gives an event."""
        return {"event"} if "event_start" in config.fields else set()

    @staticmethod
    def check_config(config: JsonSourceConfig) -> list[str]:
        """Malformed paths and incomplete paging rules (for ``syndicate check``)."""
        paging = config.paging
        if paging.mode == "next" and not paging.next_path:
            return ["paging.next_path: paging mode 'next' needs the path of the next link"]
        paths = {
            "items_path": config.items_path,
            **{f"fields.{k}": v for k, v in config.fields.items()},
            "paging.next_path": paging.next_path or "",
            "paging.total_path": paging.total_path or "",
        }
        return [
            f"{name}: {problem}" for name, path in paths.items() if (problem := check_path(path))
        ]

    def fetch(self, state: FetchState) -> Iterator[Fetched]:
        """Yield one document per page (the first asked conditionally)."""
        cfg = self.config
        self.refuse_broken_settings(self.check_config(cfg))
        paging = cfg.paging
        base = state.url or cfg.url
        url = self._page_url(base, 0)
        resp = self.get(url, state, ACCEPT)
        seen = 0
        for number in range(paging.max_pages):
            data = _load(resp.body, resp.charset, cfg.id, url)
            records = self._records(data)
            seen += len(records)
            following = self._next(data, resp, base, number, seen) if records else None
            refused = refusal(following) if following else None
            skipped = [Skipped(following, f"next page: {refused}")] if following and refused else []
            after = None
            if following and not refused and number + 1 < paging.max_pages:
                try:
                    after = self.get(following, None, ACCEPT)
                except FetchError as exc:
                    # WordPress answers 400 for a page past the end: that is the end of the
                    # list. Another failure keeps the pages read (it failed the source).
                    if exc.status != 400:
                        skipped.append(Skipped(following, f"next page: {exc.message}"))
            # The last page of a list read to its end: it may be empty (the end of a list),
            # but a list without any record is more likely a fault than every event deleted.
            last = following is None and seen > 0
            yield self.fetched(
                url, resp, moves_source=number == 0, skipped=tuple(skipped), last=last
            )
            if following is None or after is None:
                return
            url, resp = following, after

    def _next(self, data: Any, resp: Response, base: str, number: int, seen: int) -> str | None:
        """The URL of the page after page ``number`` (holding ``seen`` records so far), or
        None at the end of the list. A next link that cannot be fetched is returned too:
        the pages read are kept and the link is noted as skipped (it failed the source)."""
        paging = self.config.paging
        if paging.mode == "none":
            return None
        total = count_of(text_at(data, paging.total_path)) if paging.total_path else None
        if total is not None and seen >= total:
            return None
        pages = count_of(resp.headers.get((paging.total_header or "").lower(), ""))
        if pages is not None and number + 1 >= pages:
            return None
        if paging.mode != "next":
            return self._page_url(base, number + 1)
        link = text_at(data, paging.next_path or "")
        return (resolve_url(resp.final_url, link) or link) if link else None

    def _page_url(self, base: str, number: int) -> str:
        cfg = self.config
        paging = cfg.paging
        params = dict(cfg.params)
        if paging.size_param:
            params[paging.size_param] = str(paging.size)
        if paging.mode == "offset":
            params[paging.param] = str(paging.start + number * paging.size)
        elif paging.mode == "page":
            params[paging.param] = str(paging.start + number)
        return with_params(base, params) if params else base

    def _records(self, data: Any) -> list[dict[str, Any]]:
        path = self.config.items_path
        found = values_at(data, path) if path else [data]
        records: list[Any] = []
        for value in found:
            records.extend(value if isinstance(value, list) else [value])
        return [r for r in records if isinstance(r, dict)]

    def parse(self, fetched: Fetched) -> Iterable[Item | Retraction | Listed]:
        """Map every record of one page to an item. With ``lists_every_event``, the last
        page of a list read to its end says that the list holds every event to come
        (``Listed``): one it no longer lists was deleted at the origin."""
        cfg = self.config
        data = _load(fetched.body, fetched.charset, cfg.id, fetched.location)
        if cfg.items_path and not values_at(data, cfg.items_path):
            raise ParseError(
                cfg.id, f"items_path {cfg.items_path!r} found nothing in {fetched.location}"
            )
        now = self.clock()
        today = now.astimezone(source_zone(cfg)).date()  # a date without its year
        records = self._records(data)
        out: list[Item | Retraction | Listed] = [
            self._item(record, fetched.base_url, today) for record in records
        ]
        # ``prepare`` takes the mark back when the list holds more than ``max_items``.
        if cfg.lists_every_event and fetched.last and not fetched.skipped:
            out.append(Listed(start=now))
        return out

    def _item(self, record: dict[str, Any], base: str, today: date) -> Item | Retraction:
        cfg = self.config
        fields = cfg.fields
        zone = source_zone(cfg)

        def text(name: str) -> str:
            return text_at(record, fields[name]) if name in fields else ""

        def texts(name: str) -> list[str]:
            return texts_at(record, fields[name]) if name in fields else []

        url = text("url")
        link = resolve_url(base, url) if url else ""
        title = text("title")
        published = _date_at(record, fields.get("published"), zone, today)
        updated = _date_at(record, fields.get("updated"), zone, today)
        native = text("id") or url or hashed_id(title, text("published"))
        given = record.get("content")
        if isinstance(given, dict) and given.get("protected") is True:
            # WordPress's REST API marks a protected post and gives none of its text (a
            # post that gives its form is withdrawn where drafts are prepared)
            return Retraction(id=item_id(cfg.id, native), reason=footers.PROTECTED)
        categories = texts("categories")
        kind_value = text("kind")
        image = text("image")
        identifiers = list(texts("identifiers"))
        for name, path in fields.items():
            if name.startswith("identifier:"):
                scheme = name.partition(":")[2]
                identifiers.extend(f"{scheme}:{v}" for v in texts_at(record, path) if v)
        event = _event_at(record, fields, title, zone, today)
        labels = [kind_value, *categories] if kind_value else categories
        return Item(
            id=item_id(cfg.id, native),
            source=cfg.id,
            kind=kind_for(cfg, labels, "event" if event else None),
            title=title,
            url=link,
            summary=footers.without_footer(text("summary"), link),  # a theme's "Continue reading"
            content_html=footers.without_footer(text("content_html"), link),
            authors=tuple(texts("authors")),
            published=date_of(published),
            published_precision=precision_of(published),
            updated=date_of(updated),
            language=text("language") or cfg.language,
            categories=tuple(categories),
            identifiers=tuple(identifiers),
            thumbnail=resolve_url(base, image) if image else None,
            event=event,
        )


def _event_at(
    record: dict[str, Any], fields: dict[str, str], title: str, zone: tzinfo, today: date
) -> Event | None:
    """The event a record describes, when ``event_start`` finds its start: an end given as
    a day is its last day (``dated_event``); a status in schema.org's names or as a word
    (``event_status``), else marked in the title (【中止】, ``Postponed:``)."""
    start = _date_at(record, fields.get("event_start"), zone, today)
    if start is None or start[1] not in ("day", "datetime"):  # a month or a year is no day
        return None
    end = _date_at(record, fields.get("event_end"), zone, today)
    if end is not None and end[1] not in ("day", "datetime"):
        end = None
    if start[1] == "datetime" and _flag(record, fields.get("event_all_day")):
        # Whole days written as times (The Events Calendar: 00:00:00 to 23:59:59): the
        # days they fall on, an end at midnight being the day before's end.
        try:
            start, end = (
                _as_days(start[0], zone),
                _as_days(end[0], zone, ends=True) if end else None,
            )
        except OverflowError:  # year 1 or 9999 in a zone past the calendar's end: no event
            return None
    location = " ".join(text_at(record, fields["location"]).split()) if "location" in fields else ""
    status_text = text_at(record, fields["event_status"]) if "event_status" in fields else ""
    status = event_status(status_text) or periods.status_marked(title)
    return dated_event(start, end, zone, location or None, status)


def _flag(record: dict[str, Any], path: str | None) -> bool:
    """Whether a yes-or-no field says yes (:func:`says_yes`)."""
    if path is None:
        return False
    return says_yes(first_at(record, path))


def _as_days(when: datetime, zone: tzinfo, *, ends: bool = False) -> tuple[datetime, Precision]:
    """The day ``when`` falls on in ``zone``, as a day-precision date; for an end, a
    midnight ends the day before."""
    local = when.astimezone(zone)
    day = local.date()
    if ends and (local.hour, local.minute, local.second) == (0, 0, 0):
        day -= timedelta(days=1)
    return datetime.combine(day, time(), UTC), "day"


# A number this large counts milliseconds (10^11 seconds is the year 5138).
_MILLISECONDS = 10**11
# Unix time written as text: Drupal's and PHP's "1764547200", and .NET's JSON date
# "/Date(1764547200000+0900)/" (milliseconds; the offset is the writer's zone, not a
# change to the moment). Eight digits are a day (20261126), not a time.
_UNIX_TEXT = re.compile(r"^(?:(\d{9,13})|/Date\((-?\d{1,15})(?:[+-]\d{4})?\)/)$")


# A field named for UTC or GMT: WordPress's date_gmt and modified_gmt, The Events
# Calendar's date_utc and utc_start_date, created_utc, createdUtc.
_NAME_WORDS = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")


@cache  # one path a field, asked of every record
def _in_utc(path: str) -> bool:
    """Whether the field at ``path`` is named for UTC (``date_gmt``, ``utc_start_date``,
    ``createdUtc``): its times without a zone are in UTC, whatever the source's zone."""
    names = segments(path) or [path]
    words = _NAME_WORDS.split(names[-1])
    return any(word.lower() in ("utc", "gmt") for word in words)


def _date_at(record: dict[str, Any], path: str | None, zone: tzinfo, today: date) -> Dated:
    """A date field: text as :func:`periods.parse_any_date` reads it (a range: its first
    day), or Unix time in seconds or milliseconds, as a JSON number or as text (such items
    were undated). 0 or less is no date (a placeholder for "none"). A field named for UTC
    (:func:`_in_utc`) reads a time without a zone in UTC: WordPress writes ``date_gmt``
    so, and The Events Calendar ``date_utc``; read in the source's zone, they were nine
    hours early for Tokyo."""
    if path is None:
        return None
    if _in_utc(path):
        zone = UTC
    found = first_at(record, path)
    if isinstance(found, str) and (unix := _UNIX_TEXT.match(found.strip())):
        seconds, milliseconds = unix.groups()
        found = int(seconds) if seconds else int(milliseconds) / 1000
    if not isinstance(found, int | float) or isinstance(found, bool):
        return periods.parse_any_date(text_at(record, path), zone, today=today)
    if not found > 0:  # 0, a negative number, or NaN
        return None
    try:
        when = datetime.fromtimestamp(found / 1000 if found >= _MILLISECONDS else found, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return when, "datetime"


# JSON served for a script: JSONP (``callback({...});``, as the news boxes of many
# Japanese municipal sites are served), or behind a guard against a script's inclusion
# (``)]}'``, ``while(1);``, ``for(;;);``).
_GUARD = re.compile(r"^\s*(?:\)\]\}'?,?|while\s*\(\s*1\s*\)\s*;|for\s*\(\s*;\s*;\s*\)\s*;)")
_PADDING = re.compile(r"^\s*[A-Za-z_$][\w$.]*\s*\((.*)\)\s*;?\s*$", re.DOTALL)


def _load(body: bytes, charset: str | None, source_id: str, location: str) -> Any:
    """A JSON document; also one served for a script (JSONP, a guard before it) or in
    the charset its server names (Shift_JIS: JSON is UTF-8, but not every Japanese
    system writes it so). Each of these failed the source as "not JSON"."""
    try:
        return load_json(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        first: Exception = exc
    except RecursionError as exc:
        raise ParseError(source_id, f"{location} is not JSON: {exc}") from exc
    text = _GUARD.sub("", decode(body, charset)[0], count=1)
    padded = _PADDING.match(text)
    try:
        return load_json(padded.group(1) if padded else text)
    except (json.JSONDecodeError, RecursionError):
        if text.lstrip().startswith("<"):  # the site's page, or a login's, in its place
            why = "a web page (an API turned off or moved sends one in its place)"
            raise ParseError(source_id, f"{location} is not JSON but {why}") from first
        raise ParseError(source_id, f"{location} is not JSON: {first}") from first
