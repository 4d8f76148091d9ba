"""What an HTTP answer says, read without sending anything: the :class:`Response` a
source gets, how long the origin lets it be reused (``Cache-Control``, ``Expires``), when
to ask again (``Retry-After``) and where a redirect, or a page that sends its reader on,
leads."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from tdlc_syndication.config.files import CONTROL_CHARACTERS
from tdlc_syndication.pipeline.canonical import as_browsers_read
from tdlc_syndication.pipeline.elements import unescape_attribute
from tdlc_syndication.pipeline.errors import FetchError
from tdlc_syndication.pipeline.jsonyaml import load_json
from tdlc_syndication.pipeline.ledger import Validators
from tdlc_syndication.pipeline.uris import split_url

_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}\t\n\r]")
REDIRECTS = {301, 302, 303, 307, 308}
_PERMANENT = {301, 308}

#: The marks of a bot check served in place of content (Cloudflare's "Just a moment...",
#: its challenge scripts, DDoS-Guard's): it answers 200 to some, 403 or 503 to others.
_BOT_CHECK = re.compile(
    rb"Just a moment\.\.\.|Attention Required! \| Cloudflare|/cdn-cgi/challenge-platform/"
    rb"|cf-browser-verification|<title>DDoS-Guard</title>"
)
#: What an error says of one, and what to do.
BOT_CHECK = "a bot check (a page that wants a browser running JavaScript)"
BOT_CHECK_FIX = (
    "the site keeps programs out; ask its owners for an exception or a feed, or try "
    "browser_user_agent = true"
)


def is_bot_check(body: bytes) -> bool:
    """Whether a page is a bot check served in place of the content."""
    return _BOT_CHECK.search(body[:65536]) is not None


_SAID_LENGTH = 200  # characters of an API's message quoted in an error
# WordPress's codes for a REST API a site closed (a security plugin, or its settings).
_WORDPRESS_CLOSED = frozenset({
    "rest_no_route", "rest_disabled", "rest_cannot_access", "rest_forbidden",
    "rest_login_required", "rest_not_logged_in", "rest_authentication_required",
})  # fmt: skip


def error_said(url: str, body: bytes) -> str:
    """What an API's error answer says, to quote after its status: the message of a JSON
    body (``{"code": "rest_no_route", "message": "No route was found..."}``, ``{"error":
    ...}``, ``{"detail": ...}``), and for WordPress's closed REST API, where its posts are
    (the site's feed); '' for a body that says nothing so."""
    if body.lstrip()[:1] != b"{":  # an error page, or nothing
        return ""
    try:  # as the json kind reads a document (a lone surrogate escaped would not store)
        data = load_json(body[:65536])
    except (ValueError, RecursionError):
        return ""
    if not isinstance(data, dict):
        return ""
    said = next(
        (
            value
            for key in ("message", "error_description", "detail", "error", "title")
            if isinstance(value := data.get(key), str) and value.strip()
        ),
        "",
    )
    code = data.get("code") if isinstance(data.get("code"), str) else ""
    text = " ".join(html.unescape(said).split())[:_SAID_LENGTH]
    quoted = f": \u201c{text}\u201d" + (f" ({code})" if code else "") if text else ""
    site, marker, _ = url.partition("/wp-json/")
    if marker and code in _WORDPRESS_CLOSED:
        why = (
            "WordPress has no such route here (a wrong address, or an API the site turned off)"
            if code == "rest_no_route"
            else "the site keeps its WordPress REST API for its own users"
        )
        quoted += f'; {why}: its feed gives the posts (kind = "feed", url = "{site}/feed/")'
    return quoted


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    """A successful (2xx) answer with its whole body."""

    url: str
    final_url: str
    status: int
    body: bytes
    headers: dict[str, str]
    validators: Validators
    moved_to: str | None = None

    @property
    def refresh_after(self) -> float | None:
        """Seconds the origin asks caches to keep this answer (Cache-Control max-age, or
        Expires), if it says."""
        return refresh_hint(self.headers)

    @property
    def media_type(self) -> str:
        """The Content-Type without parameters, lower-case ('' when absent)."""
        return media_type_of(self.headers)

    @property
    def charset(self) -> str | None:
        """The charset parameter of Content-Type, if any."""
        return charset_of(self.headers)


def media_type_of(headers: Mapping[str, str]) -> str:
    """The ``content-type`` of lower-case ``headers`` without parameters, lower-case (''
    when absent)."""
    return content_type(headers.get("content-type", ""))[0]


def charset_of(headers: Mapping[str, str]) -> str | None:
    """The charset parameter of the ``content-type`` of lower-case ``headers``, if any."""
    return content_type(headers.get("content-type", ""))[1]


def content_type(value: str) -> tuple[str, str | None]:
    """The media type (lower-case, '' when none) and the charset a ``Content-Type`` header
    gives, as the Fetch Standard extracts them from a header a server sent twice (``text/
    html, text/html; charset=Shift_JIS``, one line as the HTTP library joins them): the
    last type, and the charset of the last value of that type that names one. The two
    were read as one type, ``text/html, text/html``, which no reader took for HTML."""
    if "," not in value:
        return _one_content_type(value)
    values: list[str] = []
    for part in value.split(","):
        if values and "/" not in part.split(";")[0]:
            values[-1] += "," + part  # a comma inside a parameter's quotes
        else:
            values.append(part)
    kind, charset = "", None
    for one in values:
        its_kind, its_charset = _one_content_type(one)
        if "/" not in its_kind or its_kind == "*/*":
            continue
        if its_kind != kind:
            kind, charset = its_kind, its_charset
        elif its_charset:
            charset = its_charset
    return kind, charset


def _one_content_type(value: str) -> tuple[str, str | None]:
    kind, *parameters = value.split(";")
    for part in parameters:
        key, _, said = part.partition("=")
        if key.strip().lower() == "charset":
            return kind.strip().lower(), said.strip().strip("\"'") or None
    return kind.strip().lower(), None


# Cache-Control's members: commas inside a quoted value (``ext="a, max-age=9"``) part none.
_DIRECTIVE = re.compile(r'(?:[^,"]|"(?:[^"\\]|\\.)*"?)+')
_DAYS = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(?P<month>" + "|".join(_MONTHS) + ")"
_CLOCK = r"(?P<hour>\d\d):(?P<minute>\d\d):(?P<second>\d\d)"
# RFC 9110's three forms of an HTTP date (5.6.7): IMF-fixdate, RFC 850's and asctime's.
_HTTP_DATES = [
    re.compile(rf"{_DAYS}, (?P<day>\d\d) {_MONTH} (?P<year>\d{{4}}) {_CLOCK} GMT", re.I),
    re.compile(
        rf"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, (?P<day>\d\d)-{_MONTH}-"
        rf"(?P<year>\d\d) {_CLOCK} GMT",
        re.I,
    ),
    re.compile(rf"{_DAYS} {_MONTH} (?P<day>[ \d]\d) {_CLOCK} (?P<year>\d{{4}})", re.I),
]


def cache_directives(control: str) -> dict[str, str]:
    """The directives of a ``Cache-Control`` value, each name (lower-case) to its value
    (unquoted; ``""`` for none): the first of a name sent twice, as RFC 9111 (4.2.1) lets
    a cache take it."""
    directives: dict[str, str] = {}
    for member in _DIRECTIVE.findall(control):
        name, _, value = member.partition("=")
        value = value.strip()
        if len(value) > 1 and value[0] == value[-1] == '"':
            value = value[1:-1]
        directives.setdefault(name.strip().lower(), value)
    return directives


def http_date(value: str) -> datetime | None:
    """An HTTP date in one of the three forms RFC 9110 names (any case), in UTC; None for
    anything else (``UTC`` or ``+0000`` for ``GMT``, a two-digit year in the first form, a
    comma or a space missing or doubled), which a cache reads as a time past. A two-digit
    year is the latest one not over 50 years ahead."""
    for form in _HTTP_DATES:
        if found := form.fullmatch(value.strip()):
            parts = found.groupdict()
            year = int(parts["year"])
            if len(parts["year"]) == 2:
                this_year = datetime.now(UTC).year
                year += this_year - this_year % 100
                year -= 100 if year > this_year + 50 else 0
            try:
                return datetime(
                    year, _MONTHS.index(parts["month"].lower()) + 1, int(parts["day"]),
                    int(parts["hour"]), int(parts["minute"]), int(parts["second"]), tzinfo=UTC,
                )  # fmt: skip
            except ValueError:  # 31 February, hour 25
                return None
    return None


def refresh_hint(headers: Mapping[str, str]) -> float | None:
    """How long (seconds) an answer may be reused as RFC 9111 reckons it (4.2): its
    lifetime, by Cache-Control ``max-age`` or else ``Expires`` against ``Date``, less its
    ``Age`` (how long a CDN has held it already). None when it says nothing usable: an
    unqualified ``no-cache`` or ``no-store``, a ``max-age`` that is no whole number (the
    RFC asks caches to take such an answer as stale), an ``Expires`` that is no HTTP date.
    """
    directives = cache_directives(headers.get("cache-control", ""))
    if directives.get("no-cache") == "" or "no-store" in directives:
        return None  # (a no-cache naming header fields keeps the answer fresh)
    if "max-age" in directives:
        max_age = directives["max-age"]
        if not (max_age.isascii() and max_age.isdigit()):  # ("²" is a digit to isdigit)
            return None
        lifetime = float(max_age)
    else:
        expires = http_date(headers.get("expires", ""))
        date = http_date(headers.get("date", ""))
        if expires is None or date is None:
            return None
        lifetime = (expires - date).total_seconds()
    # Age: a whole number of seconds; the first of a list (RFC 9111, 5.1); else none
    age = headers.get("age", "").split(",")[0].strip()
    held = float(age) if age.isascii() and age.isdigit() else 0.0
    return max(0.0, lifetime - held)


def parse_retry_after(value: str | None, now: datetime, cap: float = 6 * 3600.0) -> datetime | None:
    """Read Retry-After as delta-seconds or an HTTP date, at most ``cap`` seconds ahead;
    None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # seconds ("²" is a digit to isdigit alone)
        return now + timedelta(seconds=min(int(value[:12]), cap))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    latest = now + timedelta(seconds=cap)
    try:
        return min(max(when.astimezone(UTC), now), latest)
    except OverflowError:  # past 9999-12-31 in UTC (23:59 on it behind UTC): the cap
        return latest


def header_text(value: str) -> str:
    """A header's value as its server wrote it: the HTTP library hands each byte over as a
    Latin-1 character, and servers write an address with Japanese in it in UTF-8
    (``Location: /お知らせ/``), which browsers read so, as the ``requests`` library does.
    Such a redirect failed as "not a URL" (its bytes read as ``/ã\x81\x8a…``, with
    control characters). A value that is no UTF-8 is left as it came."""
    if value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def redirect_target(current: str, location: str) -> str | None:
    """Where a redirect from ``current`` to ``location`` (relative or absolute) leads, read
    as browsers read it (a space escaped, a backslash a slash: ``..\\new\\``); None when
    ``location`` is not a URL: ``http://[::1`` or a port past 65535 (``urllib.parse``
    raises a ValueError), or a control character (the target of a permanent move becomes
    the source's URL, shown by ``status``: an escape sequence in it would reach the
    operator's terminal). A ``Location`` sent twice with one address (which the HTTP
    library joins into ``/new, /new``) leads there, as in browsers."""
    if _CONTROL.search(location):
        return None
    if ", " in location:  # sent twice, joined by the HTTP library: one address said twice
        said = {part.strip() for part in location.split(", ")}
        location = said.pop() if len(said) == 1 else location
    try:
        target = urljoin(current, as_browsers_read(location.strip().replace(" ", "%20"), current))
    except ValueError:
        return None
    return target if split_url(target) is not None else None


# A page that sends its reader on at once: <meta http-equiv="refresh" content="0;
# url=/new/"> (municipal sites leave one where a page was when they move it: "このページは
# 移動しました"), or the Refresh header. Browsers follow both, as Scrapy does; a wait of at
# most this many seconds is followed, a longer one is a page that reloads itself.
MAX_REFRESH_DELAY = 60
_REFRESH_REACH = 65_536  # the bytes of a page looked at: a refresh is in its head
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_REFRESH_META = re.compile(rb"""http-equiv\s*=\s*["']?\s*refresh\b""", re.I)
# Where a browser does not take a <meta> as the page's: comments, scripts and <noscript>
# (a page that sends readers without JavaScript elsewhere is read as it is).
_HIDDEN = re.compile(
    rb"<!--.*?(?:-->|$)|<(script|noscript|template)\b.*?(?:</\1\s*>|$)", re.I | re.S
)
_META = re.compile(rb"<meta\b[^>]*>", re.I)
_CONTENT = re.compile(rb"""\scontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
# The content's wait and address as HTML reads them: "5; URL='/new/'", "0;url=/new/",
# "0, /new/", "3 /new/".
_REFRESH = re.compile(r"\s*(\d+)[\d.]*(?:\s*[;,]\s*|\s+|$)(?:url\s*=\s*)?(.*)", re.I | re.S)


def refresh_target(current: str, headers: Mapping[str, str], body: bytes) -> tuple[str, int] | None:
    """Where an HTML answer from ``current`` sends its reader, with the seconds it waits:
    its ``Refresh`` header, or a ``<meta http-equiv="refresh">`` outside comments and
    scripts. None when it sends nowhere else (a page that reloads itself, perhaps with a
    query to bust a cache, or as its folder's index page), waits longer than
    :data:`MAX_REFRESH_DELAY`, or names no usable address."""
    content = headers.get("refresh")
    if content is not None:
        content = header_text(content)
    else:
        if media_type_of(headers) not in _HTML_TYPES:
            return None
        window = body[:_REFRESH_REACH]
        if not _REFRESH_META.search(window):  # nearly every page: one quick look
            return None
        content = _meta_refresh(_HIDDEN.sub(b"", window))
    found = _REFRESH.match(content or "")
    if found is None or int(found[1][:6]) > MAX_REFRESH_DELAY:
        return None
    address = found[2].strip()
    if address[:1] in ("'", '"'):
        address = address[1:].split(address[0], 1)[0]
    if not address or "\ufffd" in address:  # none, or not decodable: the page itself
        return None
    target = redirect_target(current, unescape_attribute(address))
    if target is None or not target[:8].lower().startswith(("http://", "https://")):
        return None  # a script's address (javascript:) is no page
    if _page_of(target) == _page_of(current):  # itself, with a query to bust a cache
        return None
    return target, int(found[1])


def _page_of(url: str) -> str:
    """``url`` without its query and fragment, nor a folder's index page at its end."""
    page = url.split("#")[0].split("?")[0]
    return re.sub(r"/index\.(?:html?|php|aspx?)$", "/", page, flags=re.I)


def _meta_refresh(page: bytes) -> str | None:
    """The content of the first ``<meta http-equiv="refresh">`` of ``page``."""
    for tag in _META.finditer(page):
        if _REFRESH_META.search(tag[0]):
            content = _CONTENT.search(tag[0])
            if content is None:
                return None
            value = next(group for group in content.groups() if group is not None)
            return value.decode("utf-8", "replace")
    return None


def sends_on(
    current: str, status: int, headers: Mapping[str, str], body: bytes, source_id: str
) -> tuple[str, bool] | None:
    """Where an answer from ``current`` sends the client on, and whether for good: a
    redirect (301 and 308 are permanent), or an HTML page that refreshes to another address
    (:func:`refresh_target`), never for good: a site sends its pages to a maintenance
    notice so too, and the source would stay moved to it.

    Raises:
        FetchError: a redirect to what is not a URL.
    """
    if status in REDIRECTS and "location" in headers:
        location = header_text(headers["location"])
        target = redirect_target(current, location)
        if target is None:
            raise FetchError(
                source_id, f"{current} redirects ({status}) to {location!r}, which is not a URL"
            )
        return target, status in _PERMANENT
    if 200 <= status < 300:
        refresh = refresh_target(current, headers, body)
        if refresh is not None:
            return refresh[0], False
    return None
