"""``syndicate discover``: what a site offers as sources, each one read as it would be.

From one address (a city's news page, a program page, a YouTube channel, a feed) it finds
the candidates (``sources.discovery``): the feeds and calendars the page announces or
links, a WordPress site's posts and events through its REST API, the sitemaps its
robots.txt names, and, when the page offers no feed, the usual addresses of feeds on its
site. Each candidate is fetched and read by its source kind, exactly as ``try`` reads a
source, and only those that give items are offered, each with a settings entry to paste.
Nothing is stored. Requests go through the run's HTTP client: robots.txt, the per-host
spacing and the User-Agent apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from pydantic import ValidationError

from tdlc_syndication.config.loader import error_lines
from tdlc_syndication.config.sources import SOURCE_MODELS
from tdlc_syndication.pipeline.answers import Response, is_bot_check
from tdlc_syndication.pipeline.classify import Classifier
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.encoding import decode
from tdlc_syndication.pipeline.entries import (
    entry_for,
    folder_terms,
    free_id,
    ordered_entry,
    wordpress_name,
)
from tdlc_syndication.pipeline.errors import FetchError, SourceError
from tdlc_syndication.pipeline.http import origin_of
from tdlc_syndication.pipeline.ledger import SourceState
from tdlc_syndication.pipeline.prepare import Collected, prepare
from tdlc_syndication.pipeline.robots import robots_text
from tdlc_syndication.pipeline.run import fetch_documents
from tdlc_syndication.sources.sitemap import read_sitemap

if TYPE_CHECKING:
    from tdlc_syndication.config.sources import SourceConfig

from tdlc_syndication.sources.discovery import (
    Candidate,
    Offer,
    address_candidates,
    document_title,
    listed_feeds,
    offer_of,
    page_candidates,
    robots_sitemaps,
    unique,
    usual_candidates,
    wordpress_index,
)

SOURCE_ID = "discover"
HOW = {
    "announced": "announced by the page",
    "linked": "linked from the page",
    "embedded": "a calendar the page shows",
    "address": "named by the address",
    "itself": "the address itself",
    "api": "the site's WordPress REST API",
    "robots": "named in the site's robots.txt",
    "usual": "a usual address of feeds",
    "listed": "listed in the OPML list",
}
# The most candidates of one kind of finding read (each is at least one request, a second
# apart at the default spacing): a page announcing 3,000 feeds kept discover busy for an
# hour. Past it, the candidates are counted, not read.
MAX_READ = {"announced": 30, "robots": 10}
WHAT = {
    "feed": "a feed",
    "ical": "a calendar",
    "sitemap": "a sitemap",
    "wordpress": "a WordPress REST API",
    "html": "a web page",
    "opml": "an OPML list of feeds",
}


@dataclass(slots=True)
class Found:
    """One candidate, read: what it gave (``items`` items or pages, the newest date, how
    many are events and when the next one starts), or why it gave nothing; and, when it
    gave something, its settings entry."""

    candidate: Candidate
    kind: str = ""
    title: str = ""
    items: int = 0
    newest: datetime | None = None
    index: bool = False  # a sitemap index: its items are sitemaps
    events: int = 0  # items that are events
    next_event: datetime | None = None  # the soonest start still to come
    error: str | None = None
    entry: dict[str, Any] = field(default_factory=dict)
    hub: str = ""  # the WebSub hub a feed names: it can push its new entries

    @property
    def usable(self) -> bool:
        """True when the candidate gave items: a source to offer."""
        return self.error is None and self.items > 0


@dataclass(slots=True)
class Discovery:
    """What ``discover`` found at an address."""

    url: str
    final_url: str
    offer: Offer | None
    title: str = ""
    language: str | None = None
    browser_agent: bool = False
    bot_check: bool = False  # the page is a bot check (Cloudflare's "Just a moment...")
    found: list[Found] = field(default_factory=list)
    not_read: dict[str, list[str]] = field(default_factory=dict)  # past MAX_READ, by how

    @property
    def usable(self) -> list[Found]:
        """The candidates that gave items, in the order found."""
        return [f for f in self.found if f.usable]


def discover(
    ctx: Context,
    url: str,
    *,
    guess: bool = True,
    allow_private: bool = False,
    browser_agent: bool = False,
    taken: Iterable[str] = (),
    progress: Callable[[str], None] = lambda line: None,
) -> Discovery:
    """Find and read what ``url`` offers as sources.

    Args:
        ctx: the run context (its HTTP client and clock).
        url: the address to start from (an OPML list of feeds too: :func:`discover_list`).
        guess: try the usual addresses of feeds when the address is a web page that
            offers none.
        allow_private: allow addresses on this machine or a private network.
        browser_agent: send a browser's User-Agent (else only after a 403 to ours).
        taken: source ids already in the settings (entries get other ones).
        progress: called with a line before each request that may take a while.

    Raises:
        FetchError: the address itself cannot be fetched.
    """
    reader = _Reader(ctx, allow_private, browser_agent, _section(url))
    response = reader.get(url)
    offer = offer_of(response.body, response.media_type)
    if offer == "opml":
        return _listed(reader, url, response.final_url, response.body, taken, progress)
    found = Discovery(url, response.final_url, offer)
    candidates: list[Candidate] = []
    if offer in ("feed", "ical", "sitemap", "wordpress"):
        assert offer is not None
        candidates.append(Candidate(offer, response.final_url, "", "itself"))
    elif offer == "html":
        reader.page = response.final_url
        found.bot_check = is_bot_check(response.body)
        text = decode(response.body, response.charset)[0]
        announced, found.title, found.language = page_candidates(text, response.final_url)
        candidates += announced
    candidates += address_candidates(url)
    origin = origin_of(response.final_url)
    candidates += robots_sitemaps(reader.robots_text(origin))
    offered = any(c.offer in ("feed", "ical", "wordpress") for c in candidates)
    if guess and offer == "html" and not offered:
        progress(f"the page announces no feed: trying the usual addresses on {origin}")
        candidates += usual_candidates(origin)
    chosen, found.not_read = _within_limits(unique(candidates))
    _read(reader, found, chosen, taken, progress, {})
    found.browser_agent = reader.browser_agent
    return found


def _within_limits(
    candidates: Iterable[Candidate],
) -> tuple[list[Candidate], dict[str, list[str]]]:
    """The candidates to read, at most ``MAX_READ`` of each way of finding them, in their
    order; and the addresses of those left out, by way of finding."""
    chosen: list[Candidate] = []
    seen: dict[str, int] = {}
    left: dict[str, list[str]] = {}
    for candidate in candidates:
        how = candidate.how
        seen[how] = seen.get(how, 0) + 1
        limit = MAX_READ.get(how)
        if limit is not None and seen[how] > limit:
            left.setdefault(how, []).append(candidate.url)
        else:
            chosen.append(candidate)
    return chosen, left


def discover_list(
    ctx: Context,
    path: str,
    body: bytes,
    *,
    allow_private: bool = False,
    browser_agent: bool = False,
    taken: Iterable[str] = (),
    progress: Callable[[str], None] = lambda line: None,
) -> Discovery | None:
    """Read the feeds of an OPML list (a feed reader's export of its subscriptions) from
    a file's ``body``, as :func:`discover` reads those of a list it fetched: each feed,
    filed under the topics, places and kind its folders name (``entries.folder_terms``).
    None when ``body`` is no OPML list."""
    if offer_of(body) != "opml":
        return None
    reader = _Reader(ctx, allow_private, browser_agent, "/")
    return _listed(reader, path, path, body, taken, progress)


def _listed(
    reader: _Reader,
    url: str,
    final_url: str,
    body: bytes,
    taken: Iterable[str],
    progress: Callable[[str], None],
) -> Discovery:
    """What an OPML list offers: its feeds, each read."""
    found = Discovery(url, final_url, "opml")
    listed = listed_feeds(body, final_url)
    taxonomy = reader.ctx.settings.taxonomy
    terms = {candidate.url: folder_terms(taxonomy, names) for candidate, names in listed}
    _read(reader, found, [candidate for candidate, _ in listed], taken, progress, terms)
    found.browser_agent = reader.browser_agent
    return found


def _read(
    reader: _Reader,
    found: Discovery,
    candidates: Iterable[Candidate],
    taken: Iterable[str],
    progress: Callable[[str], None],
    terms: dict[str, dict[str, Any]],
) -> None:
    """Read each candidate into ``found``; a usable one gets an id not in ``taken`` and
    the ``terms`` its address is filed under."""
    ids = set(taken)
    for candidate in candidates:
        progress(f"reading {candidate.url}")
        for result in reader.read_all(candidate, found.language):
            if result.usable:
                chosen = free_id(result.candidate.url, result.kind, ids)
                filed = terms.get(result.candidate.url, {})
                result.entry = ordered_entry({"id": chosen, **result.entry, **filed})
                ids.add(result.entry["id"])
            found.found.append(result)


class _Reader:
    """Fetches and reads candidates with one HTTP client and one User-Agent choice."""

    def __init__(
        self, ctx: Context, allow_private: bool, browser_agent: bool, section: str
    ) -> None:
        self.ctx = ctx
        self.allow_private = allow_private
        self.browser_agent = browser_agent
        self.section = section  # the part of the site discovery started in
        self.page = ""  # the web page discovery started from, if it is one

    def get(self, url: str) -> Response:
        """GET ``url``; after a 403 to the project's User-Agent, once more as a browser
        (many municipal sites refuse any other), which then holds for what follows."""
        try:
            return self._get(url)
        except FetchError as exc:
            if exc.status != 403 or self.browser_agent:
                raise
            self.browser_agent = True
            return self._get(url)

    def _get(self, url: str) -> Response:
        return self.ctx.http.get(
            url,
            source_id=SOURCE_ID,
            allow_private=self.allow_private,
            browser_agent=self.browser_agent,
        )

    def robots_text(self, origin: str) -> str:
        """The origin's robots.txt ('' when it has none or does not answer)."""
        kept = self.ctx.http.robots.copies.get(origin)
        if kept is not None:
            return kept.text if kept.status == 200 else ""
        try:
            return robots_text(self.get(origin + "/robots.txt").body)
        except FetchError:
            return ""

    def _with_policy(self, entry: dict[str, Any]) -> dict[str, Any]:
        """``entry`` with the address policy and User-Agent this discovery needed."""
        if self.allow_private:
            entry["allow_private"] = True
        if self.browser_agent:
            entry["browser_user_agent"] = True
        return entry

    def read_all(self, candidate: Candidate, language: str | None) -> list[Found]:
        """The candidate read; a WordPress REST API's index, what it serves read (its
        posts, and its events when The Events Calendar is installed)."""
        if candidate.offer != "wordpress" or candidate.how == "api":
            return [self.read(candidate, language)]
        try:
            spaces, zone = wordpress_index(self.get(candidate.url).body)
        except FetchError as exc:
            return [Found(candidate, kind="json", error=exc.message)]
        api = candidate.url.rstrip("/") + "/"
        served = []
        if "wp/v2" in spaces:
            served.append(Candidate("wordpress", api + "wp/v2/posts", "", "api"))
        if "tribe/events/v1" in spaces:
            events = api + "tribe/events/v1/events"
            served.append(Candidate("wordpress", events, "", "api", zone=zone or ""))
        if not served:
            return [Found(candidate, kind="json", error="serves neither posts nor events")]
        return [self.read(c, language) for c in served]

    def read(self, candidate: Candidate, language: str | None) -> Found:
        """The candidate read by its source kind, as ``try`` reads a source."""
        found = Found(candidate)
        if candidate.offer == "sitemap":
            return self._sitemap(found, language)
        entry = self._with_policy(entry_for(candidate, language))
        if entry["kind"] == "ical" and self.page:
            entry["page_url"] = self.page  # where people see it: its events' link
        found.kind = entry["kind"]
        try:
            model = SOURCE_MODELS[entry["kind"]]
            config = cast("SourceConfig", model.model_validate({"id": SOURCE_ID, **entry}))
        except ValidationError as exc:  # one line for each error, as the settings say them
            found.error = f"cannot be read as a source: {'; '.join(error_lines(exc, entry, model))}"
            return found

        ctx = self.ctx
        documents = fetch_documents(ctx, config, SourceState(source=SOURCE_ID), {})
        if not isinstance(documents, list):
            found.error = documents.error or documents.status
            return found
        result = prepare(config, documents, ctx.rules(), Classifier.of(ctx), ctx.clock())
        if not isinstance(result, Collected):
            found.error = result.error or result.status
            return found
        items = list(result.items.values())
        found.items = len(items)
        found.hub = result.hub.hub if result.hub is not None else ""
        dates = [d for i in items for d in (i.published, i.updated) if d is not None]
        found.newest = max(dates, default=None)
        now = ctx.clock()
        starts = [i.event.start for i in items if i.event is not None and i.event.start >= now]
        found.next_event = min(starts, default=None)
        found.events = sum(1 for i in items if i.event is not None)
        if documents and candidate.offer in ("feed", "ical"):
            found.title = document_title(documents[0].body, candidate.offer)
        found.title = found.title or candidate.title
        if found.title and candidate.offer != "wordpress":
            entry["name"] = found.title
        elif candidate.offer == "wordpress":
            entry["name"] = wordpress_name(candidate)
        found.entry = entry
        if not items:
            found.error = "no items"
        return found

    def _sitemap(self, found: Found, language: str | None) -> Found:
        """A sitemap read; one that is a feed (a site's robots.txt names its RSS feed as
        its sitemap, as sitemaps.org allows) is read as a feed: its items, not its pages
        (it was read as a sitemap, and the same address among the usual ones of feeds
        was not read again: the site's feed was not found)."""
        found.kind = "sitemap"
        url = found.candidate.url
        try:
            response = self.get(url)
            if offer_of(response.body, response.media_type) == "feed":
                return self.read(replace(found.candidate, offer="feed"), language)
            form, entries, _ = read_sitemap(response.body, SOURCE_ID)
        except SourceError as exc:
            found.error = exc.message
            return found
        found.items = len(entries)
        found.index = form == "sitemapindex"
        found.entry = {"kind": "sitemap", "url": url, "name": f"Pages of {urlsplit(url).netloc}"}
        if self.section != "/":
            found.entry["include"] = [self.section]
        self._with_policy(found.entry)
        if not entries:
            found.error = "lists nothing"
        return found


def _section(url: str) -> str:
    """The folder of the address discovery started from (``/en/programs/x/`` of
    ``/en/programs/x/index.html``): its sitemap entry reads only the pages under it."""
    path = urlsplit(url).path or "/"
    return path[: path.rfind("/") + 1] or "/"
