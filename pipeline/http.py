"""The one HTTP client every source uses.

It does conditional GET (ETag / Last-Modified), follows redirects itself (so that a
permanent move is reported, a loop is an error and every hop is checked), connects only
to addresses the source may reach (``pipeline.transport``), bounds each request by
timeouts and by a deadline over the whole exchange (connecting, headers, body and
robots.txt), caps the body after decompression, retries a connection that failed before
any answer, honours Retry-After, obeys robots.txt (``pipeline.robots``), limits and
spaces the requests to each host (``pipeline.hosts``), and identifies itself with a
User-Agent that carries a contact URL. Every failure is one :class:`FetchError` whose
message says in plain words what went wrong.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, MutableMapping
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

import urllib3.exceptions
from urllib3 import BaseHTTPResponse, Timeout

from tdlc_syndication.config.hostnames import host_problem
from tdlc_syndication.config.models import HttpConfig
from tdlc_syndication.pipeline.answers import (
    BOT_CHECK,
    BOT_CHECK_FIX,
    REDIRECTS,
    Response,
    error_said,
    header_text,
    is_bot_check,
    parse_retry_after,
    redirect_target,
    refresh_hint,
    sends_on,
)
from tdlc_syndication.pipeline.errors import FetchError, NotModified, RefusedAddress, SourceGone
from tdlc_syndication.pipeline.gzipped import Oversized, unzipped_once_more
from tdlc_syndication.pipeline.hosts import Hosts
from tdlc_syndication.pipeline.intermediates import (
    INCOMPLETE_CHAIN,
    Verifier,
    learn_intermediate,
    missing_issuer,
)
from tdlc_syndication.pipeline.ledger import RobotsCopy, Validators, body_hash
from tdlc_syndication.pipeline.robots import Robots, RobotsUnknown
from tdlc_syndication.pipeline.text import count_of
from tdlc_syndication.pipeline.transport import (
    TRANSPORT_ERRORS,
    exchange,
    in_plain_words,
    pool_manager,
    refusal_of,
)
from tdlc_syndication.pipeline.transport import is_public_address as is_public_address
from tdlc_syndication.pipeline.uris import idna_host, split_url

log = logging.getLogger(__name__)

BROWSER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)
RETRIES = 2  # more attempts after a connection that failed before any answer
RETRY_PAUSE = 0.5  # seconds before the first retry; doubles
MAX_CRAWL_DELAY = 30.0  # seconds: the most of a robots.txt's Crawl-delay obeyed (as Nutch)


def origin_of(url: str) -> str:
    """``scheme://host:port`` of a URL, lower-case: the unit of politeness and robots.txt."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def refusal(url: str) -> str | None:
    """Why ``url`` is never fetched, or None: it is not http(s), or its host is none
    (:func:`~tdlc_syndication.config.hostnames.host_problem`; an IPv6 address is
    fetched). A next-page link or a redirect to ``http://a..b/`` failed its source as
    "unexpected error: UnicodeError": urllib3 cannot write such a host."""
    parts = split_url(url)
    if parts is None:
        return "it is not a URL (an unclosed '[', or a port past 65535)"
    if parts.scheme not in ("http", "https"):
        return "only http and https URLs are fetched"
    if not parts.hostname:
        return "it names no host"
    if ":" in parts.hostname:
        return None
    problem = host_problem(idna_host(parts.hostname))
    return None if problem is None else f"it {problem}"


class _Failure(Exception):
    """A request failed in a way worth retrying (nothing was answered yet)."""


class Http:
    """A shared, thread-safe HTTP client with the project's fetching policy.

    Args:
        config: the ``[http]`` settings.
        clock: returns the current aware UTC time (injected so tests control it).
        robots: kept robots.txt copies by origin (the store's); new ones are added.
    """

    def __init__(
        self,
        config: HttpConfig,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        robots: MutableMapping[str, RobotsCopy] | None = None,
    ) -> None:
        self.config = config
        self.clock = clock
        self.verifier = Verifier(config.ca_file)
        self.pool = pool_manager(config.per_host * 2, self.verifier)
        self.hosts = Hosts(config.per_host, config.host_delay)
        self.robots = Robots(clock, robots)

    @property
    def user_agent(self) -> str:
        """The User-Agent sent by default: product token plus contact URL."""
        return f"{self.config.user_agent} (+{self.config.contact_url})"

    def close(self) -> None:
        """Close pooled connections."""
        self.pool.clear()

    def get(
        self,
        url: str,
        *,
        source_id: str,
        cached: Validators | None = None,
        allow_private: bool = False,
        browser_agent: bool = False,
        accept: str = "*/*",
        site_headers: tuple[str, Mapping[str, str]] | None = None,
    ) -> Response:
        """Fetch ``url`` politely and return its body. ``site_headers`` (an origin, and
        headers such as an API key) are sent with each request to that origin only: a
        redirect elsewhere goes without them.

        Raises:
            NotModified: 304, or a 200 whose bytes hash like the cached ones.
            SourceGone: 410 Gone.
            FetchError: anything else that is not a usable 2xx answer; carries
                ``retry_after`` for 429/503 that sent one.
        """
        agent = BROWSER_AGENT if browser_agent else self.user_agent
        headers = {"User-Agent": agent, "Accept": accept, "Accept-Encoding": "gzip, deflate"}
        if cached and cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached and cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
        seen: list[str] = []
        current = url
        moved_to: str | None = None
        permanent_run = True
        deadline = time.monotonic() + self.config.deadline
        while True:
            refused = refusal(current)
            if refused is not None:
                raise FetchError(source_id, f"refused {current!r}: {refused}")
            self._obey_robots(current, agent, allow_private, source_id, deadline)
            seen.append(current)
            sent = headers
            if site_headers is not None and origin_of(current) == site_headers[0]:
                own = site_headers[1]  # in place of the client's of the same name (Accept)
                named = {name.lower() for name in own}
                sent = {k: v for k, v in headers.items() if k.lower() not in named} | dict(own)
            status, resp_headers, reason, body = self._exchange(
                current, sent, allow_private, source_id, deadline
            )
            sent_on = sends_on(current, status, resp_headers, body, source_id)
            if sent_on is not None:
                target, permanent = sent_on
                permanent_run = permanent_run and permanent
                if permanent_run:
                    moved_to = target
                if target in seen:
                    raise FetchError(source_id, f"redirect loop: {' -> '.join([*seen, target])}")
                if len(seen) > self.config.max_redirects:
                    raise FetchError(
                        source_id, f"more than {self.config.max_redirects} redirects from {url}"
                    )
                log.debug("%s (%d) sends on to %s", current, status, target)
                current = target
                continue
            return self._finish(
                status, resp_headers, reason, body, url, current, moved_to, cached, source_id
            )

    # -- one exchange --------------------------------------------------------------

    def _exchange(
        self,
        url: str,
        headers: dict[str, str],
        allow_private: bool,
        source_id: str,
        deadline: float,
    ) -> tuple[int, dict[str, str], str, bytes]:
        """One request (retried if the connection failed before any answer), within the
        host's politeness and the deadline: status, headers, reason, body."""
        origin = origin_of(url)
        host = urlsplit(url).hostname or origin
        pause = RETRY_PAUSE
        for attempt in range(RETRIES + 1):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self.hosts.acquire(origin, remaining):
                raise FetchError(source_id, f"deadline of {self.config.deadline:g}s passed")
            try:
                return self._send(url, headers, allow_private, source_id, deadline, host)
            except _Failure as exc:
                if attempt == RETRIES or time.monotonic() + pause >= deadline:
                    raise FetchError(source_id, f"cannot fetch {url}: {exc}") from exc
                log.info("retrying %s after: %s", url, exc)
            finally:
                self.hosts.release(origin)
            time.sleep(pause)
            pause *= 2
        raise AssertionError("unreachable")

    def _send(
        self,
        url: str,
        headers: dict[str, str],
        allow_private: bool,
        source_id: str,
        deadline: float,
        host: str,
    ) -> tuple[int, dict[str, str], str, bytes]:
        cfg = self.config
        remaining = deadline - time.monotonic()
        if remaining <= 0.001:  # retries and robots.txt used the whole deadline up
            raise FetchError(source_id, f"deadline of {cfg.deadline:g}s passed before {url}")
        with exchange(allow_private, remaining) as current:
            try:
                resp = self.pool.urlopen(
                    "GET",
                    url,
                    headers=headers,
                    timeout=Timeout(
                        connect=min(cfg.connect_timeout, remaining),
                        read=min(cfg.read_timeout, remaining),
                    ),
                    redirect=False,
                    retries=False,  # retried here, with the project's pauses and deadline
                    preload_content=False,
                )
            except TRANSPORT_ERRORS as exc:
                if current.expired:
                    raise FetchError(
                        source_id, f"deadline of {cfg.deadline:g}s passed waiting for {host}"
                    ) from exc
                refused = refusal_of(exc)
                if refused is not None:
                    raise RefusedAddress(source_id, f"refused {url}: {refused}") from exc
                if isinstance(exc, urllib3.exceptions.ReadTimeoutError):
                    raise FetchError(
                        source_id,
                        f"cannot fetch {url}: {host} sent nothing for {cfg.read_timeout:g}s",
                    ) from exc
                words = in_plain_words(exc, host, cfg.connect_timeout)
                if missing_issuer(exc):  # browsers fetch the intermediate it names: so here
                    if learn_intermediate(self.verifier, self.pool, url, allow_private, remaining):
                        raise _Failure(f"{words}; fetched the intermediate it names") from exc
                    words += INCOMPLETE_CHAIN
                raise _Failure(words) from exc
            read = False
            try:
                body = self._read_body(resp, url, source_id)
                read = True
            except TRANSPORT_ERRORS as exc:
                if current.expired:
                    raise FetchError(
                        source_id, f"deadline of {cfg.deadline:g}s passed reading {url}"
                    ) from exc
                raise FetchError(
                    source_id, f"cannot read {url}: {in_plain_words(exc, host, 0)}"
                ) from exc
            finally:
                if not read:  # a connection with unread bytes is not used again
                    resp.close()
                resp.release_conn()
            if current.expired:
                raise FetchError(source_id, f"deadline of {cfg.deadline:g}s passed reading {url}")
        # A header sent more than once reads as its values joined by ", " (RFC 9110).
        headers_in = resp.headers
        return (
            resp.status,
            {name.lower(): headers_in[name] for name in headers_in},
            resp.reason or "",
            body,
        )

    def _read_body(self, resp: BaseHTTPResponse, url: str, source_id: str) -> bytes:
        cap = self.config.max_body_bytes
        declared = resp.headers.get("content-length", "")
        size = count_of(declared)
        if size is not None and size > cap and resp.status < 300:
            raise FetchError(
                source_id, f"body of {url} is {declared} bytes, over the {cap}-byte limit"
            )
        chunks: list[bytes] = []
        size = 0
        # read1 returns whatever one socket read brings (decompressed, bounded by the
        # amount asked), so the cap is checked however slowly bytes drip.
        while chunk := resp.read1(65536, decode_content=True):
            size += len(chunk)
            if size > cap:
                raise FetchError(
                    source_id, f"body of {url} exceeds the {cap}-byte limit (decompressed)"
                )
            chunks.append(chunk)
        try:
            return unzipped_once_more(
                b"".join(chunks), resp.headers.get("content-type", ""), url, cap
            )
        except Oversized:
            raise FetchError(
                source_id, f"body of {url} exceeds the {cap}-byte limit (decompressed)"
            ) from None

    def _finish(
        self,
        status: int,
        headers: dict[str, str],
        reason: str,
        body: bytes,
        url: str,
        final_url: str,
        moved_to: str | None,
        cached: Validators | None,
        source_id: str,
    ) -> Response:
        if status == 304:
            if not (cached and (cached.etag or cached.last_modified)):
                # Nothing was asked conditionally: a broken server or cache in between. Taken
                # as "not modified", a new source would stay empty and look fine for good.
                raise FetchError(
                    source_id,
                    f"{url} answered 304 Not Modified to a request without If-None-Match or "
                    "If-Modified-Since: the server (or a cache in between) is broken; "
                    "nothing was read",
                )
            log.debug("%s: 304 not modified", url)
            raise NotModified(
                source_id, f"{url}: 304 not modified", refresh_after=refresh_hint(headers)
            )
        if status == 410:
            raise SourceGone(
                source_id, f"{final_url} answered 410 Gone: the source is retired", status=410
            )
        # A bot check in place of the page, 403 or 503 (Cloudflare's "Just a moment..."):
        # "answered HTTP 403" alone said nothing of why, nor of what to do.
        checked = f": {BOT_CHECK}; {BOT_CHECK_FIX}" if status >= 400 and is_bot_check(body) else ""
        if status >= 400 and not checked:  # an API's own words: {"message": "..."}
            checked = error_said(final_url, body)
        if status in (429, 503):
            retry = parse_retry_after(
                headers.get("retry-after"), self.clock(), self.config.max_retry_after
            )
            note = f"; retry after {retry.isoformat(timespec='seconds')}" if retry else ""
            raise FetchError(
                source_id,
                f"{final_url} answered {status}{note}{checked}",
                retry_after=retry,
                status=status,
            )
        if not 200 <= status < 300:
            raise FetchError(
                source_id, f"{final_url} answered HTTP {status} {reason}{checked}", status=status
            )
        digest = body_hash(body)
        if cached and cached.body_hash == digest:
            log.debug("%s: the same bytes as last time", url)
            raise NotModified(
                source_id, f"{url}: body unchanged", refresh_after=refresh_hint(headers)
            )
        return Response(
            url=url,
            final_url=final_url,
            status=status,
            body=body,
            headers=headers,
            validators=Validators(
                etag=headers.get("etag"),
                last_modified=headers.get("last-modified"),
                body_hash=digest,
            ),
            moved_to=moved_to,
        )

    def post_form(
        self, url: str, fields: Mapping[str, str], *, source_id: str, allow_private: bool
    ) -> tuple[int, bytes]:
        """POST ``fields`` as a form (a request to a WebSub hub) through the connections
        every fetch uses (the address connected to is the address checked): one attempt
        within ``connect_timeout``, no redirect followed. The status, and the first 300
        bytes of the answer.

        Raises:
            RefusedAddress: the host is loopback or private, and ``allow_private`` is off.
            FetchError: not a URL, or no answer.
        """
        refused = refusal(url)
        if refused is not None:
            raise FetchError(source_id, f"refused {url!r}: {refused}")
        timeout = self.config.connect_timeout
        sent = {"User-Agent": self.user_agent, "Content-Type": "application/x-www-form-urlencoded"}
        with exchange(allow_private, timeout):
            try:
                resp = self.pool.urlopen(
                    "POST", url, body=urlencode(fields), headers=sent, timeout=Timeout(timeout),
                    redirect=False, retries=False, preload_content=False,
                )  # fmt: skip
                try:
                    return resp.status, resp.read(300, decode_content=True)
                finally:
                    resp.close()  # (unread bytes: the connection is not used again)
                    resp.release_conn()
            except TRANSPORT_ERRORS as exc:
                why = refusal_of(exc)
                if why is not None:
                    raise RefusedAddress(source_id, f"refused {url}: {why}") from exc
                host = urlsplit(url).hostname or url
                raise FetchError(source_id, in_plain_words(exc, host, timeout)) from exc

    # -- robots.txt ----------------------------------------------------------------

    def space_known_hosts(self) -> None:
        """Space the requests to each host whose kept robots.txt asks a ``Crawl-delay``,
        before a run's first turns are handed out (each later copy spaces its host as it
        is read)."""
        if self.config.robots_txt:
            for origin, delay in self.robots.known_delays(_product(self.user_agent)).items():
                self.hosts.space(origin, min(delay, MAX_CRAWL_DELAY))

    def _obey_robots(
        self, url: str, agent: str, allow_private: bool, source_id: str, deadline: float
    ) -> None:
        if not self.config.robots_txt:
            return
        origin = origin_of(url)
        product = _product(agent)

        def fetch(robots_url: str) -> tuple[int, bytes]:
            return self._fetch_robots(robots_url, allow_private, source_id, deadline)

        try:
            allowed = self.robots.allowed(origin, url, product, fetch)
        except RobotsUnknown as exc:
            raise FetchError(
                source_id, f"{exc}, so nothing is fetched from that host until it answers"
            ) from exc
        if not allowed:
            raise FetchError(source_id, f"robots.txt of {origin} disallows {url}")
        # At most MAX_CRAWL_DELAY (a day's delay would stop the source); none when the
        # copy read now asks none (a service keeps its client while a site changes it).
        delay = self.robots.crawl_delay(origin, product) or 0.0
        self.hosts.space(origin, min(delay, MAX_CRAWL_DELAY))

    def _fetch_robots(
        self, robots_url: str, allow_private: bool, source_id: str, deadline: float
    ) -> tuple[int, bytes]:
        """Get robots.txt, following up to five redirects (RFC 9309), within the deadline
        of the request that needs it."""
        origin = origin_of(robots_url)
        headers = {"User-Agent": self.user_agent, "Accept": "text/plain, */*;q=0.1"}
        current = robots_url
        for _ in range(6):
            try:
                status, resp_headers, _, body = self._exchange(
                    current, headers, allow_private, source_id, deadline
                )
            except FetchError as exc:
                raise RobotsUnknown(
                    f"robots.txt of {origin} is unreachable ({exc.message})"
                ) from exc
            if status in REDIRECTS and "location" in resp_headers:
                target = redirect_target(current, header_text(resp_headers["location"]))
                if target is None or refusal(target) is not None:
                    break  # a redirect nowhere: unavailable, as a chain too long
                current = target
                continue
            return status, body
        return 404, b""  # a redirect chain: RFC 9309 reads it as "unavailable"


def _product(agent: str) -> str:
    """The product token of a User-Agent (what robots.txt groups name)."""
    return agent.split("/", 1)[0].split()[0]
