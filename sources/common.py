"""What the source kinds share: the BaseSource class (config, HTTP client, clock, a polite
GET with the source's policy, Fetched records), item ids, kinds, zones and dates."""

from __future__ import annotations

import functools
import hashlib
import html
import inspect
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from tdlc_syndication.config.credentials import request_headers
from tdlc_syndication.config.languages import language_tag
from tdlc_syndication.config.sourcebase import SourceBase, label_key
from tdlc_syndication.pipeline.answers import Response
from tdlc_syndication.pipeline.errors import FetchError, SourceError, SyndicationError
from tdlc_syndication.pipeline.http import Http, origin_of
from tdlc_syndication.pipeline.lazy import LazyModule
from tdlc_syndication.pipeline.model import Event, EventMode, EventStatus, Precision
from tdlc_syndication.sources.base import ChecksConfig, Document, Fetched, FetchState, Skipped
from tdlc_syndication.sources.local import read_local
from tdlc_syndication.sources.meetings import call_address

if TYPE_CHECKING:  # the period readers load with the first event read, the script
    # tables with the first language told from a text (a run of 304s reads neither)
    from tdlc_syndication.pipeline import periods, scripts
else:
    periods = LazyModule("tdlc_syndication.pipeline.periods")
    scripts = LazyModule("tdlc_syndication.pipeline.scripts")

Dated = tuple[datetime, Precision] | None


def is_web_address(value: str) -> bool:
    """Whether ``value`` is an http or https address (the scheme in any case)."""
    return value[:8].lower().startswith(("http://", "https://"))


# A place that names a video call's service or online, and nothing more.
_ONLINE_WORDS = re.compile(
    r"\b(?:microsoft|teams|zoom|google|meet|webex|skype|online|on-line|virtual|webinar"
    r"|meeting|live|stream|via|on|en|ligne|línea|daring|trực|tuyến)\b"
    r"|オンライン|ウェビナー|ミーティング|会議|開催|配信|にて|で|[\s\W_]",
    re.IGNORECASE,
)

# A place that says it is also held online ("Kobe City Hall / Online", 「会場・オンライン
# 併用」), or hybrid (「ハイブリッド開催」, "Hybrid", Indonesian "hibrida"): a hall and the web.
_ONLINE_TOO = re.compile(
    r"\b(?:online|on-line|webinar|zoom|microsoft\s+teams|google\s+meet|webex|livestream"
    r"|live\s+stream(?:ing|ed)?|daring|trực\s+tuyến|en\s+ligne|en\s+línea|hybrid|hibrida"
    r"|híbrid[oa]|hybride)\b|オンライン|ウェビナー|ライブ配信|ハイブリッド",
    re.IGNORECASE,
)


def event_mode(location: str, calls: Iterable[str | None] = ()) -> EventMode | None:
    """How an event is held: online when its place is a link (a meeting URL, a
    VirtualLocation) or only names a call's service or online (``Microsoft Teams
    Meeting``, ``Zoom``, ``オンライン開催``), or when it has no place and one of ``calls``
    (texts: a calendar's conference property, its description) holds a video call's
    address; mixed when it has another place and such a call, or a place that also names
    online (``Kobe City Hall / Online``, 「会場・オンライン併用」); else the place does not
    say."""
    place = location.strip()
    named = any(c.isalpha() for c in place) and not _ONLINE_WORDS.sub("", place)  # not "-"
    if is_web_address(place) or named:
        return "online"
    if any(call_address(call or "") for call in calls):
        return "mixed" if place else "online"
    return "mixed" if _ONLINE_TOO.search(place) else None


# An event's status as origins write it: schema.org's names (or their URLs), iCalendar's
# STATUS values and plain words, in any case.
_STATUS_WORDS: dict[str, EventStatus] = {
    "eventscheduled": "scheduled", "scheduled": "scheduled", "confirmed": "scheduled",
    "tentative": "scheduled",
    "eventcancelled": "cancelled", "cancelled": "cancelled", "canceled": "cancelled",
    "eventpostponed": "postponed", "postponed": "postponed",
    "eventrescheduled": "rescheduled", "rescheduled": "rescheduled",
    "eventmovedonline": "moved_online", "moved_online": "moved_online",
}  # fmt: skip


_YES = ("true", "yes", "on", "1")


def says_yes(value: Any) -> bool:
    """Whether a yes-or-no field says yes: ``True``, or text or a number that does
    (``true``, ``yes``, ``on``, ``1``, in any case)."""
    return value is True or (not isinstance(value, bool) and str(value).strip().lower() in _YES)


def event_status(text: str) -> EventStatus | None:
    """The status a value names: ``https://schema.org/EventCancelled``, ``CANCELLED``,
    ``Canceled``, ``postponed``, or the word in a partner city's language or Japanese
    (``Dibatalkan``, ``中止``: an events API's status in Indonesian was no status); None
    for anything else."""
    named = _STATUS_WORDS.get(text.strip().rsplit("/", 1)[-1].lower().replace(" ", "_"))
    return named or (periods.status_named(text) if text.strip() else None)


def dated_event(
    start: tuple[datetime, Precision],
    end: Dated,
    tz: tzinfo,
    location: str | None,
    status: EventStatus | None,
    mode: EventMode | None = None,
) -> Event:
    """An event from its start and end as dates were read: a start without a time makes it
    all-day; an end without a time names its last day (as schema.org's ``endDate`` does),
    an end of less than a day (a month) or not after the start is none; a place that is a
    link makes it online unless ``mode`` says, and so does a status of moved online."""
    all_day = start[1] != "datetime"
    finish = end[0] if end and end[1] == "datetime" else None
    if end and end[1] == "day":
        try:
            finish = periods.day_end(end[0].date(), all_day, tz)
        except OverflowError:  # "9999-12-31", a placeholder: the calendar has no day after it
            finish = None
    return Event(
        start=start[0],
        end=finish if finish and finish > start[0] else None,
        all_day=all_day,
        location=location,
        status=status,
        # moved online: whatever attendance mode the origin forgot to change
        mode="online" if status == "moved_online" else mode or event_mode(location or ""),
    )


# A web address written in text: http(s), then the characters RFC 3986 allows in a URL
# (so it ends at a space, a quote, an angle bracket or a Japanese character).
_ADDRESS = re.compile(r"https?://[A-Za-z0-9\[][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*", re.I)
_AFTER_ADDRESS = ".,;:!?'"  # ends a sentence, not an address


def text_as_html(text: str) -> str:
    """Text as its writer laid it out, in HTML: a paragraph for each block between blank
    lines, ``<br>`` for a line break, each web address a link; the rest escaped."""
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip()):
        lines = [_linked(line.strip()) for line in block.split("\n") if line.strip()]
        if lines:
            paragraphs.append("<p>" + "<br>\n".join(lines) + "</p>")
    return "\n".join(paragraphs)


def layout_html(text: str) -> str:
    """``text`` laid out as HTML (:func:`text_as_html`) when its layout says more than one
    line of text can: lines, paragraphs or a web address; "" otherwise (the summary says
    it all)."""
    laid_out = text_as_html(text)
    return laid_out if "<br>" in laid_out or "</p>\n<p>" in laid_out or "<a " in laid_out else ""


# What HTML a generator wrote into text it did not declare as HTML looks like (an Atom
# summary without type="html"): an end tag, or a line break, paragraph, link or image.
_UNDECLARED_HTML = re.compile(r"</[A-Za-z]|<(?:br|p|a|img|div)\b", re.IGNORECASE)


def declared_text_as_html(text: str, laid_out: bool) -> str:
    """Text a feed declares plain (Atom's ``type="text"``, its default) as HTML: its ``<``
    and ``&`` as text (``a <b> c``, ``<3`` were read as markup and lost), laid out as
    written when ``laid_out`` (:func:`layout_html`). Text with end tags, ``<br>``,
    ``<p>`` or links is HTML its generator did not declare: read as it is."""
    if _UNDECLARED_HTML.search(text):
        return text
    return (laid_out and layout_html(text)) or html.escape(text, quote=False)


# A tag, or one escaped once more (which the cleaning reads as the HTML it stands for).
_MARKED_UP = re.compile(r"<[A-Za-z!/?]|&(?:amp;)*lt;/?[A-Za-z]")


def lines_as_html(markup: str) -> str:
    """HTML with no tag in it whose text is written in lines (a description its generator
    wrote as plain text, as many podcasts' and municipal CMSs' are: 「日時：…」 on one
    line, 「場所：…」 on the next) laid out as written (:func:`text_as_html`): read as
    HTML, its lines ran into one (and Japanese ones with no space between them). Any
    other HTML as it is."""
    text = markup.strip()
    if "\n" not in text or _MARKED_UP.search(text):
        return markup
    return text_as_html(html.unescape(text))


def _linked(line: str) -> str:
    out, at = [], 0
    for match in _ADDRESS.finditer(line):
        address = match.group(0).rstrip(_AFTER_ADDRESS)
        if address.endswith(")") and address.count("(") < address.count(")"):
            address = address[:-1]  # "(see https://x.example/a)"
        start, end = match.start(), match.start() + len(address)
        before = line[at:start]
        if before.endswith("<") and line[end : end + 1] == ">":
            # An address in angle brackets (RFC 3986, appendix C), as Outlook writes a
            # link in text: "Join the meeting<https://...>". The brackets go.
            before, end = before[:-1].rstrip(), end + 1
            before += " " if before else ""
        out.append(html.escape(before, quote=False))
        link = html.escape(address)
        out.append(f'<a href="{link}">{link}</a>')
        at = end
    out.append(html.escape(line[at:], quote=False))
    return "".join(out)


def site_of(url: str) -> str:
    """The site of a URL: its host, lower-case, ``www.`` and the scheme not told apart
    (``https://www.city.example.jp/a`` and ``http://city.example.jp/b`` are one site)."""
    return (urlsplit(url).hostname or "").removeprefix("www.")


def item_id(source_id: str, native: str) -> str:
    """The stable item id ``"{source}:{native id}"``."""
    return f"{source_id}:{native.strip()}"


def hashed_id(*parts: str | None) -> str:
    """A native id for origins that give none: a short hash of what identifies the item."""
    blob = "\x1f".join(p or "" for p in parts)
    return "h" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:20]


def date_of(found: Dated) -> datetime | None:
    """The datetime of a parsed ``(datetime, precision)`` pair."""
    return found[0] if found else None


def precision_of(found: Dated) -> Precision | None:
    """The precision of a parsed ``(datetime, precision)`` pair."""
    return found[1] if found else None


def kind_for(config: SourceBase, labels: Iterable[str], fallback: str | None = None) -> str:
    """Pick the item kind: the first origin label found in ``kind_map``, else the fallback,
    else the source's ``default_kind``."""
    for label in labels:
        mapped = config.kind_map.get(label_key(label))
        if mapped:
            return mapped
    return fallback or config.default_kind


def source_zone(config: SourceBase, default: str = "UTC") -> tzinfo:
    """The zone of naive timestamps in this source."""
    return ZoneInfo(config.timezone or default)


ConfigT = TypeVar("ConfigT", bound=SourceBase)


class BaseSource(Generic[ConfigT]):
    """Shared plumbing of the source kinds: the config, the HTTP client and the clock, a
    polite GET with the source's policy, and the Fetched record of an answer."""

    def __init__(self, config: ConfigT, http: Http, clock: Callable[[], datetime]) -> None:
        self.config = config
        self.http = http
        self.clock = clock

    def refuse_broken_settings(self, problems: list[str]) -> None:
        """Fail the source on what ``syndicate check`` finds wrong in its settings
        (``problems``: a kind's ``check_config``): a JSON path written as JSONPath read
        nothing, and every record was dropped without a word.

        Raises:
            SourceError: the settings' problems, as ``check`` says them.
        """
        if problems:
            raise SourceError(self.config.id, "settings: " + "; ".join(problems))

    def get(self, url: str, state: FetchState | None = None, accept: str = "*/*") -> Response:
        """GET ``url`` with the source's address policy and User-Agent; conditional when
        ``state`` knows validators for it.

        Raises:
            NotModified: the answer did not change (only with ``state``).
            FetchError: the URL cannot be fetched.
        """
        return self.http.get(
            url,
            source_id=self.config.id,
            cached=state.validators.get(url) if state is not None else None,
            allow_private=self.config.allow_private,
            browser_agent=self.config.browser_user_agent,
            accept=accept,
            site_headers=self._site_headers(),
        )

    def _site_headers(self) -> tuple[str, dict[str, str]] | None:
        """The source's own headers and credentials (its variables read now), with the
        origin of its ``url``, the one site they go to.

        Raises:
            FetchError: a variable they name is not set, or holds a line break.
        """
        config = self.config
        if not config.headers and config.username is None:
            return None
        try:
            sent = request_headers(config.headers, config.username, config.password)
        except ValueError as exc:
            fields = "headers" if config.username is None else "headers, username, password"
            raise FetchError(config.id, f"{fields}: {exc}") from None
        return origin_of(str(getattr(config, "url", None) or "")), sent

    def fetched(
        self,
        location: str,
        resp: Response,
        *,
        moves_source: bool = True,
        page: int = 0,
        cursor: str | None = None,
        related: tuple[Document, ...] = (),
        skipped: tuple[Skipped, ...] = (),
        last: bool = False,
    ) -> Fetched:
        """The Fetched record of one answer.

        ``moves_source`` says whether a permanent redirect of this request moves the source
        itself (true for its main URL; false for later pages and query URLs); ``last``
        that it is the last page of a list read to its end.
        """
        return Fetched(
            location=location,
            body=resp.body,
            media_type=resp.media_type,
            charset=resp.charset,
            base_url=resp.final_url,
            fetched_at=self.clock(),
            validators=resp.validators,
            moved_to=resp.moved_to if moves_source else None,
            page=page,
            cursor=cursor,
            related=related,
            skipped=skipped,
            refresh_after=resp.refresh_after if page == 0 else None,
            last=last,
            link_header=resp.headers.get("link", ""),
        )

    def fetch_one(
        self, state: FetchState, url: str | None, path: Path | None, accept: str
    ) -> Fetched:
        """Fetch a source that is one document, from a local ``path`` or (conditionally) a
        ``url``, following a permanent move recorded in ``state``."""
        if path is not None:
            limit = self.http.config.max_body_bytes
            return read_local(path, self.config.id, state, self.clock, limit)
        location = state.url or url
        assert location is not None
        return self.fetched(location, self.get(location, state, accept))


def first_outside_comments(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first match of ``pattern`` in ``text`` that is not inside an HTML comment (one
    look at each comment: linear however many matches the comments hold)."""
    at = 0  # outside any comment
    while (found := pattern.search(text, at)) is not None:
        opened = text.find("<!--", at, found.start())
        if opened == -1:
            return found
        closed = text.find("-->", opened + 4)
        if closed == -1:
            return None  # the rest of the page is a comment
        at = closed + 3
    return None


def string_value(value: Any) -> str:
    """A value a document gives where a string belongs, stripped; '' for a value of any
    other type (a JSON ``null``, a list, a number; a damaged feed's mapping)."""
    return value.strip() if isinstance(value, str) else ""


def given_language(value: Any) -> str | None:
    """A language a document names (``ja_JP`` as ``ja-JP``), None when it names none."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().replace("_", "-")


def entry_language(own: Any, declared: str | None, text: str, default: str | None) -> str | None:
    """An entry's language: the one it names, else its feed's where the entry's letters
    agree with it (:func:`agreeing_language`), else ``default`` (the source's)."""
    return given_language(own) or (declared and agreeing_language(declared, text)) or default


def agreeing_language(declared: str | None, text: str) -> str | None:
    """The language a document declares for a piece of it (a list page's ``lang``, a
    feed's ``<language>``), unless the piece's script names another: a municipal site's
    template may say ``lang="en"`` over Japanese notices, and WordPress and many CMSs say
    ``en-US`` in feeds of Japanese entries (they went into the English feeds, and pages
    declared them English to screen readers)."""
    if declared is None:
        return None
    said = scripts.script_language(text)
    primary = (language_tag(declared) or "").split("-")[0]
    if said == "ja" and primary == "zh" and not scripts.has_kana(text):
        return declared  # kanji alone: Chinese as well (a Chinese feed's short titles)
    return declared if said in (None, primary) else None


Method = TypeVar("Method", bound=Callable[..., Any])


def settings_blamed(method: Method) -> Method:
    """A kind's ``fetch`` or ``parse`` that fails the source with what ``syndicate check``
    finds wrong in its settings (its ``check_config``) where it stops on an error that is
    not one of this project's: a CSS selector written the way Scrapy or XPath write one
    (``a::text``) failed the run as "unexpected error: NotImplementedError". The
    settings are checked only then: checking them first loaded the CSS library (0.2 s)
    in runs that read nothing with it."""
    if inspect.isgeneratorfunction(method):

        @functools.wraps(method)
        def generator(self: BaseSource[Any], *args: Any) -> Iterator[Any]:
            with _settings_to_blame(self):
                yield from method(self, *args)

        return cast("Method", generator)

    @functools.wraps(method)
    def plain(self: BaseSource[Any], *args: Any) -> Any:
        with _settings_to_blame(self):
            return method(self, *args)

    return cast("Method", plain)


@contextmanager
def _settings_to_blame(source: BaseSource[Any]) -> Iterator[None]:
    """Where an error not of this project's is the settings' when ``check`` finds them
    wrong (:meth:`BaseSource.refuse_broken_settings`), and stands as it is otherwise."""
    try:
        yield
    except SyndicationError:
        raise
    except Exception:
        if isinstance(source, ChecksConfig):
            source.refuse_broken_settings(source.check_config(source.config))
        raise
