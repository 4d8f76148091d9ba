"""The schema.org JSON-LD a page carries (Article, Event, their authors, images and places,
also inside a ``@graph``), read as ``page.py`` reads a page: every node, repaired where
themes break the JSON; an Event's start, end, place, status and mode.
"""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from tdlc_syndication.pipeline.canonical import resolve_url
from tdlc_syndication.pipeline.jsonyaml import load_json_values
from tdlc_syndication.pipeline.lazy import LazyModule
from tdlc_syndication.pipeline.model import EARLIEST_YEAR, Event, EventMode, Precision
from tdlc_syndication.pipeline.text import has_markup
from tdlc_syndication.sources.common import dated_event, event_status
from tdlc_syndication.sources.postmeta import author_name, is_address

if TYPE_CHECKING:  # the date readers load with the first page read
    from bs4 import BeautifulSoup

    from tdlc_syndication.pipeline import dates
else:
    dates = LazyModule("tdlc_syndication.pipeline.dates")

# schema.org's Article and the kinds of it (a Tumblr post is a SocialMediaPosting, a news
# site's column an OpinionNewsArticle), a fact-check (a ClaimReview: AFP's, as Google asks
# fact-checkers to mark their articles), a page, a work, a video.
ARTICLE_TYPES = {
    "Article", "NewsArticle", "BlogPosting", "Report", "ScholarlyArticle", "TechArticle",
    "WebPage", "CreativeWork", "VideoObject", "SocialMediaPosting", "LiveBlogPosting",
    "DiscussionForumPosting", "AnalysisNewsArticle", "AskPublicNewsArticle",
    "BackgroundNewsArticle", "OpinionNewsArticle", "ReportageNewsArticle",
    "ReviewNewsArticle", "MedicalScholarlyArticle", "SatiricalArticle",
    "AdvertiserContentArticle", "APIReference", "ClaimReview",
}  # fmt: skip

_ARTICLE_CASES = {kind.casefold(): kind for kind in ARTICLE_TYPES}
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
# What themes put around or into a JSON-LD block that JSON does not allow, outside its
# strings: comments of JavaScript (``// category`` after a member, ``/* ... */``), of HTML
# (``<!-- generated -->``, or ``<!--`` ... ``-->`` around the block), an XHTML CDATA
# wrapper (``//<![CDATA[`` ... ``//]]>``).
_NOT_JSON = re.compile(r'"|//|/\*|<!--|-->|<!\[CDATA\[|\]\]>')
_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"')
_MODE: dict[str, EventMode] = {
    "OfflineEventAttendanceMode": "offline",
    "OnlineEventAttendanceMode": "online",
    "MixedEventAttendanceMode": "mixed",
}


def json_ld_nodes(soup: BeautifulSoup) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object on the page: top-level, in lists, or inside ``@graph``.

    Blocks that are invalid JSON are repaired for the common faults (trailing commas,
    HTML-escaped text) or skipped.
    """
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        raw = script.string or script.get_text() or ""
        data = _loads(raw)
        if data is None:
            continue
        yield from _flatten(data)


def types_of(node: dict[str, Any]) -> set[str]:
    """The ``@type`` of a node as a set (it may be a string or a list), a kind of article
    in schema.org's spelling whatever its case (``socialmediaposting``, as a page wrote
    it)."""
    value = node.get("@type")
    written = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    names = (str(v).rsplit("/", 1)[-1] for v in written)
    return {_ARTICLE_CASES.get(name.casefold(), name) for name in names}


def _repairs(raw: str) -> Iterator[str]:
    """A JSON-LD block as written, then each repair of it, made only when the one before
    did not read (nearly every block reads as written)."""
    yield raw
    without_comma = _TRAILING_COMMA.sub(r"\1", raw)
    yield without_comma
    yield html.unescape(without_comma)
    yield _TRAILING_COMMA.sub(r"\1", without_comments(raw))


def without_comments(raw: str) -> str:
    """``raw`` without what :data:`_NOT_JSON` finds outside its strings: a comment of
    JavaScript to its end, one of HTML closed on its line whole, and of the rest (an HTML
    comment's ``<!--`` and ``-->`` around the block, CDATA's markers) the marker alone.
    One pass: each part of ``raw`` is looked at once."""
    kept: list[str] = []
    at = 0
    ahead: dict[str, int] = {}  # where the next "\n" and "-->" are (the end: none)

    def next_of(text: str, start: int) -> int:
        if ahead.get(text, -1) < start:  # not looked for, or passed: look from here
            found = raw.find(text, start)
            ahead[text] = len(raw) if found < 0 else found
        return ahead[text]

    while found := _NOT_JSON.search(raw, at):
        token, start = found.group(), found.start()
        if token == '"':
            string_end = _STRING_REST.match(raw, found.end())
            end = string_end.end() if string_end else len(raw)
            kept.append(raw[at:end])
            at = end
            continue
        kept.append(raw[at:start])
        at = found.end()
        if token == "//":
            at = next_of("\n", start)
        elif token == "/*":
            close = raw.find("*/", at)
            at = len(raw) if close < 0 else close + 2
        elif token == "<!--" and next_of("-->", at) < next_of("\n", at):
            at = next_of("-->", at) + 3
    kept.append(raw[at:])
    return "".join(kept)


def _loads(raw: str) -> Any:
    for attempt in _repairs(raw):
        try:
            values = load_json_values(attempt)
        except ValueError:  # (json.JSONDecodeError is one)
            continue
        except RecursionError:  # nested beyond reason: no usable metadata
            return None
        return values[0] if len(values) == 1 else values
    return None


MAX_JSON_LD_DEPTH = 8  # lists and @graph levels followed; real pages use two or three


def _flatten(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > MAX_JSON_LD_DEPTH:
        return
    if isinstance(data, list):
        for entry in data:
            yield from _flatten(entry, depth + 1)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _flatten(data["@graph"], depth + 1)
        if "@type" in data:
            yield data


def node_event(node: dict[str, Any], tz: tzinfo) -> Event | None:
    """A schema.org Event: its start, its end (``endDate``, else its ``duration`` after a
    timed start), its place and status, and how it is attended (``eventAttendanceMode``,
    else its places: a VirtualLocation alone is online, with a Place it is mixed)."""
    start = stamp_of(plain(node.get("startDate")), tz)
    if start is None:
        return None
    end = stamp_of(plain(node.get("endDate")), tz)
    lasting = _DURATION.match(plain(node.get("duration")))
    if end is None and lasting is not None and start[1] == "datetime":
        days, hours, minutes = (int(part or 0) for part in lasting.groups())
        with contextlib.suppress(OverflowError):  # at the calendar's end: no end
            end = (start[0] + timedelta(days=days, hours=hours, minutes=minutes), "datetime")
    mode = _MODE.get(str(node.get("eventAttendanceMode") or "").rsplit("/", 1)[-1])
    status = event_status(str(node.get("eventStatus") or ""))
    location = node.get("location")
    return dated_event(start, end, tz, _location(location), status, mode or _places_mode(location))


# An ISO 8601 duration of days, hours and minutes (PT2H, PT1H30M, P1D), as schema.org's.
_DURATION = re.compile(r"^P(?:(\d{1,3})D)?(?:T(?:(\d{1,4})H)?(?:(\d{1,5})M)?)?$", re.IGNORECASE)


def _places_mode(value: Any) -> EventMode | None:
    """How an event with these schema.org places is attended: online at a VirtualLocation
    alone, mixed at one and a Place (a hybrid seminar lists both); else not said."""
    places = value if isinstance(value, list) else [value]
    virtual = [isinstance(p, dict) and "VirtualLocation" in types_of(p) for p in places]
    if not any(virtual):
        return None
    return "online" if all(virtual) else "mixed"


def _location(value: Any) -> str | None:
    if isinstance(value, list):
        parts = [p for p in (_location(v) for v in value) if p]
        return "; ".join(parts) or None
    if isinstance(value, str):
        return value.strip() or None
    if not isinstance(value, dict):
        return None
    if "VirtualLocation" in types_of(value):
        return plain(value.get("url")) or "Online"
    name = plain(value.get("name"))
    address = value.get("address")
    if isinstance(address, dict):
        # Each part said once: a place named for its town (a marathon's "Missoula, MT")
        # was "Missoula, MT, Missoula, MT"; a city that is its prefecture ("Tokyo").
        said = {part.strip().casefold() for part in name.split(",")}
        parts = [name] if name else []
        for key in ("addressLocality", "addressRegion", "addressCountry"):
            part = plain(address.get(key))
            if part and part.casefold() not in said:
                said.add(part.casefold())
                parts.append(part)
        return ", ".join(parts) or None
    return ", ".join(p for p in (name, plain(address)) if p) or None


def is_event(kinds: set[str]) -> bool:
    """Whether a JSON-LD node of ``kinds`` is an event (``Event``, ``EducationEvent``...,
    in any case)."""
    return any(k.casefold().endswith("event") for k in kinds)


def referred(value: Any, named: dict[str, Any]) -> Any:
    """``value`` with each reference to another node of the page (``{"@id": ...}`` alone,
    or the ``@id`` alone as text, as All in One SEO writes an author) replaced by that
    node."""
    if isinstance(value, list):
        return [referred(v, named) for v in value]
    if isinstance(value, dict) and set(value) == {"@id"}:
        return named.get(str(value["@id"]), value)
    if isinstance(value, str) and value in named:
        return named[value]
    return value


def people(value: Any) -> list[str]:
    """The names of the people (or organisations) a node's ``author`` gives: a name, a
    node with one, or a list of either; as pages write them too: a list of names or a
    node as the ``name`` (``{"name": {"@type": "Person", "name": "…"}}``), the parts of
    a name (``givenName``, ``familyName``), a byline with its links (``By <a
    href="/profiles/x">Amir Vera</a>``, a news site's)."""
    if isinstance(value, list):
        return [name for v in value for name in people(v)]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, (list, dict)):
            return people(name)
        parts = (plain(value.get(key)) for key in ("givenName", "additionalName", "familyName"))
        return people(plain(name) or " ".join(part for part in parts if part))
    if isinstance(value, str) and (name := author_name(plain(value))) and not is_address(name):
        return [name]
    return []


def organizations(value: Any) -> set[str]:
    """The names of the organisations (not the people) a node's ``author`` gives."""
    if isinstance(value, list):
        return {name for v in value for name in organizations(v)}
    kinds = types_of(value) if isinstance(value, dict) else set()
    if "Person" not in kinds and any(_ORGANIZATION.search(kind) for kind in kinds):
        return set(people(value))  # (Yoast types a site that is a person's both)
    return set()


_ORGANIZATION = re.compile(r"Organization|Corporation", re.I)


def image_of(value: Any, base: str) -> str | None:
    """The address of the first image a node's ``image`` gives (an address, an
    ImageObject's ``url`` or ``contentUrl``, a list), made absolute against ``base``."""
    if isinstance(value, list):
        return image_of(value[0], base) if value else None
    if isinstance(value, dict):
        return image_of(value.get("url") or value.get("contentUrl"), base)
    if isinstance(value, str) and value.strip():
        return resolve_url(base, value.strip())
    return None


def plain(value: Any) -> str:
    """A node's value as text, when it is text; '' for anything else. Its character
    references are read: WordPress's SEO and events plug-ins escape the text they write
    into JSON-LD as HTML (``"name":"Lindsey O&#039;Donnell"``, ``Kobe &#8211; Cebu``)."""
    if not isinstance(value, str):
        return ""
    return (html.unescape(value) if "&" in value else value).strip()


def node_stamp(value: Any, tz: tzinfo) -> tuple[datetime, Precision] | None:
    """A node's date: as :func:`stamp_of` reads text, or a number of seconds or of
    milliseconds since 1970 (``"datePublished": 1676551869000``, as some news sites'
    systems write it) that falls in this century."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return stamp_of(plain(value), tz)
    seconds = value / 1000 if value >= _MILLISECONDS else value
    if not _EPOCH_FIRST <= seconds < _EPOCH_LAST:
        return None
    return datetime.fromtimestamp(seconds, UTC).replace(microsecond=0), "datetime"


_MILLISECONDS = 10**11  # a count of seconds this large is in the year 5138
_EPOCH_FIRST, _EPOCH_LAST = 946_684_800, 4_102_444_800  # 2000-01-01 and 2100-01-01, in UTC


def stamp_of(value: str | None, tz: tzinfo) -> tuple[datetime, Precision] | None:
    """A date a page's metadata writes: ISO 8601 or RFC 822 as it should, else a date in
    its text; a time without a zone in ``tz``. A year before ``EARLIEST_YEAR`` is of
    another calendar and no date: an Iranian site's ``article:published_time`` says
    ``۱۳۹۹/۰۲/۲۱ - ۱۸:۵۹`` (the Solar Hijri year 1399) and its JSON-LD 2020-05-10: the
    page was dated in 1399, a date the item then lost as absurd, so it had none."""
    found = dates.parse_date(value, tz) or dates.find_date(value, tz) if value else None
    return found if found is None or found[0].year >= EARLIEST_YEAR else None


def body_html(nodes: list[dict[str, Any]]) -> str:
    """The text the page's article node gives as its ``articleBody``, as HTML: its
    paragraphs (one a line), or its markup where it is written so; '' where no node
    gives one. A news agency's pages are written by a script from its data, and had no
    text read without it; their JSON-LD gives it."""
    for node in nodes:
        body = node.get("articleBody")
        if not (types_of(node) & ARTICLE_TYPES) or not isinstance(body, str) or not body.strip():
            continue
        if has_markup(body):
            return body
        lines = (line.strip() for line in plain(body).splitlines())
        return "".join(f"<p>{html.escape(line)}</p>" for line in lines if line)
    return ""
