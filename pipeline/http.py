"""The one HTTP client every source uses.

It does conditional GET (ETag / Last-Modified), follows redirects itself (so that a
permanent move is reported, a loop is an error and every hop is checked against the
address policy), enforces timeouts, a total deadline and a body cap counted after
decompression, honours Retry-After, obeys robots.txt, limits requests per host and
spaces them out, and identifies itself with a User-Agent that carries a contact URL.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests

from tdlc_syndication.config.models import HttpConfig
from tdlc_syndication.pipeline.errors import FetchError, NotModified, SourceGone

log = logging.getLogger(__name__)

BROWSER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)
_PERMANENT = {301, 308}
_REDIRECTS = {301, 302, 303, 307, 308}
_ROBOTS_TTL = 24 * 3600.0


@dataclass(frozen=True, slots=True)
class Validators:
    """What we remember of a URL to ask "has it changed?" next time."""

    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None


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
    def media_type(self) -> str:
        """The Content-Type without parameters, lower-case ('' when absent)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset parameter of Content-Type, if any."""
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset":
                return value.strip().strip("\"'") or None
        return None


@dataclass(slots=True)
class _Host:
    slots: threading.BoundedSemaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_free: float = 0.0


def body_hash(body: bytes) -> str:
    """The hash used to notice a 200 answer whose bytes did not change."""
    return hashlib.sha256(body).hexdigest()


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """Read Retry-After as delta-seconds or an HTTP date; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return now + timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(when.astimezone(UTC), now)


def is_public_address(host: str) -> bool:
    """True when every address ``host`` resolves to is a public unicast address."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return True  # let the request itself fail with a clear DNS error
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
            addr = addr.ipv4_mapped
        if not addr.is_global or addr.is_multicast:
            return False
    return True


class Http:
    """A shared, thread-safe HTTP client with the project's fetching policy.

    Args:
        config: the ``[http]`` settings.
        clock: returns the current aware UTC time (injected so tests control it).
    """

    def __init__(
        self, config: HttpConfig, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.config = config
        self.clock = clock
        self.session = requests.Session()
        self.session.max_redirects = config.max_redirects
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None]] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._robots_lock = threading.Lock()

    @property
    def user_agent(self) -> str:
        """The User-Agent sent by default: product token plus contact URL."""
        return f"{self.config.user_agent} (+{self.config.contact_url})"

    def close(self) -> None:
        """Close pooled connections."""
        self.session.close()

    def get(
        self,
        url: str,
        *,
        source_id: str,
        cached: Validators | None = None,
        allow_private: bool = False,
        browser_agent: bool = False,
        accept: str = "*/*",
    ) -> Response:
        """Fetch ``url`` politely and return its body.

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
        started = time.monotonic()
        while True:
            self._check_url(current, source_id, allow_private)
            if self.config.robots_txt and not self._robots_allow(
                current, agent, allow_private, source_id
            ):
                raise FetchError(source_id, f"robots.txt of {_origin(current)} disallows {current}")
            seen.append(current)
            resp = self._send(current, headers, source_id, started)
            if resp.status_code in _REDIRECTS and "location" in resp.headers:
                target = urljoin(current, resp.headers["location"])
                resp.close()
                permanent_run = permanent_run and resp.status_code in _PERMANENT
                if permanent_run:
                    moved_to = target
                if target in seen:
                    raise FetchError(source_id, f"redirect loop: {' -> '.join([*seen, target])}")
                if len(seen) > self.config.max_redirects:
                    raise FetchError(
                        source_id, f"more than {self.config.max_redirects} redirects from {url}"
                    )
                current = target
                continue
            return self._finish(resp, url, current, moved_to, cached, source_id, started)

    # -- internals -----------------------------------------------------------------

    def _check_url(self, url: str, source_id: str, allow_private: bool) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(source_id, f"refused {url!r}: only http and https URLs are fetched")
        if not allow_private and not is_public_address(parts.hostname):
            raise FetchError(
                source_id,
                f"refused {url}: {parts.hostname} is a loopback, private or link-local address "
                "(set allow_private = true on the source to permit it)",
            )

    def _host(self, url: str) -> _Host:
        key = _origin(url)
        with self._hosts_lock:
            host = self._hosts.get(key)
            if host is None:
                host = _Host(threading.BoundedSemaphore(self.config.per_host))
                self._hosts[key] = host
            return host

    def _send(
        self, url: str, headers: dict[str, str], source_id: str, started: float
    ) -> requests.Response:
        host = self._host(url)
        with host.slots:
            with host.lock:
                now = time.monotonic()
                wait = max(0.0, host.next_free - now)
                host.next_free = max(now, host.next_free) + self.config.host_delay
            if wait:
                time.sleep(wait)
            remaining = self.config.deadline - (time.monotonic() - started)
            if remaining <= 0:
                raise FetchError(source_id, f"deadline of {self.config.deadline:g}s passed")
            try:
                resp = self.session.get(
                    url,
                    headers=headers,
                    timeout=(self.config.connect_timeout, min(self.config.read_timeout, remaining)),
                    allow_redirects=False,
                    stream=True,
                )
                # Read the body while holding the host slot: the slot covers the whole exchange.
                resp._content = self._read_body(resp, source_id, started)
            except requests.Timeout as exc:
                raise FetchError(source_id, f"timed out fetching {url}: {exc}") from exc
            except requests.RequestException as exc:
                raise FetchError(source_id, f"cannot fetch {url}: {_short(exc)}") from exc
        return resp

    def _read_body(self, resp: requests.Response, source_id: str, started: float) -> bytes:
        cap = self.config.max_body_bytes
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap and resp.status_code < 300:
            resp.close()
            raise FetchError(
                source_id, f"body of {resp.url} is {declared} bytes, over the {cap}-byte limit"
            )
        chunks: list[bytes] = []
        size = 0
        # read1 returns whatever one socket read brings (decompressed, bounded by the
        # amount asked), so the cap and the deadline are checked however slowly bytes drip.
        while chunk := resp.raw.read1(65536, decode_content=True):
            size += len(chunk)
            if size > cap:
                resp.close()
                raise FetchError(
                    source_id, f"body of {resp.url} exceeds the {cap}-byte limit (decompressed)"
                )
            if time.monotonic() - started > self.config.deadline:
                resp.close()
                raise FetchError(
                    source_id, f"deadline of {self.config.deadline:g}s passed reading {resp.url}"
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def _finish(
        self,
        resp: requests.Response,
        url: str,
        final_url: str,
        moved_to: str | None,
        cached: Validators | None,
        source_id: str,
        started: float,
    ) -> Response:
        status = resp.status_code
        if status == 304:
            raise NotModified(source_id, f"{url}: 304 not modified")
        if status == 410:
            raise SourceGone(
                source_id, f"{final_url} answered 410 Gone: the source is retired", status=410
            )
        if status in (429, 503):
            retry = parse_retry_after(resp.headers.get("retry-after"), self.clock())
            limit = self.clock() + timedelta(seconds=self.config.max_retry_after)
            if retry is not None and retry > limit:
                retry = limit
            note = f"; retry after {retry.isoformat()}" if retry else ""
            raise FetchError(
                source_id, f"{final_url} answered {status}{note}", retry_after=retry, status=status
            )
        if not 200 <= status < 300:
            raise FetchError(
                source_id, f"{final_url} answered HTTP {status} {resp.reason}", status=status
            )
        body = resp.content
        digest = body_hash(body)
        if cached and cached.body_hash == digest:
            raise NotModified(source_id, f"{url}: body unchanged")
        validators = Validators(
            etag=resp.headers.get("etag"),
            last_modified=resp.headers.get("last-modified"),
            body_hash=digest,
        )
        return Response(
            url=url,
            final_url=final_url,
            status=status,
            body=body,
            headers={k.lower(): v for k, v in resp.headers.items()},
            validators=validators,
            moved_to=moved_to,
        )

    def _robots_allow(self, url: str, agent: str, allow_private: bool, source_id: str) -> bool:
        origin = _origin(url)
        with self._robots_lock:
            origin_lock = self._robots_locks.setdefault(origin, threading.Lock())
        # One fetch of robots.txt per origin, even when several sources ask at once.
        with origin_lock:
            entry = self._robots.get(origin)
            now = time.monotonic()
            if entry is None or entry[0] < now:
                parser = self._load_robots(origin, allow_private, source_id)
                entry = (now + _ROBOTS_TTL, parser)
                self._robots[origin] = entry
        parser = entry[1]
        return True if parser is None else parser.can_fetch(agent, url)

    def _load_robots(
        self, origin: str, allow_private: bool, source_id: str
    ) -> urllib.robotparser.RobotFileParser | None:
        """Fetch and parse /robots.txt (RFC 9309).

        A 4xx answer means "no rules" (None). A 5xx answer or a network failure means the
        rules are unknown: like the RFC, we assume everything is disallowed, raise, and do
        not cache, so the next run asks again.

        Raises:
            FetchError: robots.txt could not be read.
        """
        robots_url = origin + "/robots.txt"
        self._check_url(robots_url, source_id, allow_private)
        try:
            resp = self._send(
                robots_url, {"User-Agent": self.user_agent}, source_id, time.monotonic()
            )
        except FetchError as exc:
            raise FetchError(
                source_id, f"robots.txt of {origin} is unreachable, so nothing is fetched: {exc}"
            ) from exc
        if resp.status_code >= 500:
            raise FetchError(
                source_id,
                f"robots.txt of {origin} answered HTTP {resp.status_code}, so nothing is "
                "fetched from that host until it answers",
            )
        if resp.status_code != 200:
            return None
        parser = urllib.robotparser.RobotFileParser(robots_url)
        parser.parse(resp.content.decode("utf-8", errors="replace").splitlines())
        return parser


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 300 else text[:297] + "..."
