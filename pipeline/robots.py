"""robots.txt as RFC 9309 reads it, with Protego: the longest matching rule wins, ``*`` and
``$`` are wildcards, a group applies to the product token it names (not to any agent that
merely contains it), and ``Allow`` beats ``Disallow`` on a tie.

One copy per origin is kept for a day (the RFC's limit), in memory and in the store, so
that cron runs do not ask again; only its first 512 KiB are read (the RFC's parsing limit
is at least 500 KiB). A 4xx answer means no rules; a 5xx answer or a host that
does not answer means the rules are unknown, so nothing is fetched from it until it
answers (and that is not cached).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, MutableMapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tdlc_syndication.pipeline.ledger import RobotsCopy

if TYPE_CHECKING:
    from protego import Protego

TTL = timedelta(days=1)
PARSE_LIMIT = 512 * 1024  # bytes of robots.txt read (RFC 9309 2.5: at least 500 KiB)


class RobotsUnknown(Exception):
    """The rules of an origin are unknown (5xx, or no answer): fetch nothing from it."""


Fetcher = Callable[[str], tuple[int, bytes]]  # robots.txt URL → (status, body)


class Robots:
    """The robots.txt policy of every origin.

    Args:
        clock: the current time.
        copies: the kept copies by origin (the store's, loaded for the run); new copies
            are added to it and handed out once by :meth:`take_fresh`.
    """

    def __init__(
        self, clock: Callable[[], datetime], copies: MutableMapping[str, RobotsCopy] | None = None
    ) -> None:
        self._clock = clock
        self.copies: MutableMapping[str, RobotsCopy] = copies if copies is not None else {}
        self._fresh: dict[str, RobotsCopy] = {}
        self._parsed: dict[str, Protego | None] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def take_fresh(self) -> dict[str, RobotsCopy]:
        """The copies fetched since the last call (for the store to keep), by origin."""
        with self._lock:
            fresh, self._fresh = self._fresh, {}
        return fresh

    def allowed(self, origin: str, url: str, product: str, fetch: Fetcher) -> bool:
        """Whether ``product`` (the User-Agent's product token) may fetch ``url``.

        Args:
            origin: the URL's origin.
            url: the URL.
            product: the product token of the User-Agent.
            fetch: gets a robots.txt URL (following redirects) and returns status and
                body; raises ``RobotsUnknown`` when the host does not answer.

        Raises:
            RobotsUnknown: the origin's rules cannot be read now.
        """
        rules = self._rules(origin, fetch)
        return True if rules is None else bool(rules.can_fetch(url, product))

    def crawl_delay(self, origin: str, product: str) -> float | None:
        """The seconds between two requests that the origin's robots.txt asks of
        ``product`` (``Crawl-delay``, which RFC 9309 leaves out but many sites write);
        None when it asks none or was not read (call :meth:`allowed` first)."""
        rules = self._parsed.get(origin)
        delay = rules.crawl_delay(product) if rules is not None else None
        return float(delay) if delay is not None and delay > 0 else None

    def known_delays(self, product: str) -> dict[str, float]:
        """The ``Crawl-delay`` each kept copy asks of ``product``, by origin (only copies
        that write one are parsed): known before the first request of a run, so that the
        run's first turns at those hosts are spaced too."""
        delays: dict[str, float] = {}
        for origin, copy in list(self.copies.items()):
            if copy.status != 200 or "crawl-delay" not in copy.text.lower():
                continue
            if origin not in self._parsed:
                self._parsed[origin] = _parse(copy.text)
            delay = self.crawl_delay(origin, product)
            if delay is not None:
                delays[origin] = delay
        return delays

    def _rules(self, origin: str, fetch: Fetcher) -> Protego | None:
        with self._lock:
            origin_lock = self._locks.setdefault(origin, threading.Lock())
        # One fetch of robots.txt per origin, even when several sources ask at once.
        with origin_lock:
            now = self._clock()
            copy = self.copies.get(origin)
            if copy is None or copy.fetched_at + TTL < now or copy.fetched_at > now:
                status, body = fetch(origin + "/robots.txt")
                if status >= 500:
                    raise RobotsUnknown(f"robots.txt of {origin} answered HTTP {status}")
                copy = RobotsCopy(now, status, robots_text(_within_limit(body)))
                self.copies[origin] = copy
                with self._lock:
                    self._fresh[origin] = copy
                self._parsed.pop(origin, None)
            if origin not in self._parsed:
                self._parsed[origin] = _parse(copy.text) if copy.status == 200 else None
            return self._parsed[origin]


def robots_text(body: bytes) -> str:
    """A robots.txt as text: UTF-8 (RFC 9309), without the byte-order mark Windows editors
    write at its start. With the mark, its first line (``User-agent: *``) was no line
    Protego knew, so the group's rules were ignored and the disallowed paths fetched;
    Google's crawler drops the mark too, and what is left of one cut short (its first
    one or two bytes before the first line)."""
    for mark in (b"\xef\xbb\xbf", b"\xef\xbb", b"\xef"):  # the mark, or its first bytes
        if body.startswith(mark) and body[len(mark) : len(mark) + 1].isascii():
            body = body[len(mark) :]
            break
    return body.decode("utf-8", "replace")


def _within_limit(body: bytes) -> bytes:
    """The first ``PARSE_LIMIT`` bytes of a robots.txt, cut after its last whole line, as
    RFC 9309 lets a crawler limit what it parses (Google reads 500 KiB). A file of 19 MB
    took 4.8 s to parse and 0.12 s to consult for each URL, and it was kept in the store."""
    if len(body) <= PARSE_LIMIT:
        return body
    head = body[:PARSE_LIMIT]
    return head[: head.rfind(b"\n") + 1]


def _parse(text: str) -> Protego:
    from protego import Protego

    return Protego.parse(_GROUP_NAME.sub(r"\1\2", text))


# A group's name is its product token (RFC 9309 2.2.1): the letters, "_" and "-" that
# begin the line's value, as Google's reference parser reads it. Protego read the whole
# value, so a group named as this program's User-Agent is written in access logs
# ("tdlc-syndication/0.1 (+https://…)"), which a site copies to block it, was not ours.
_GROUP_NAME = re.compile(r"(?im)^([ \t]*user[- ]?agent[ \t]*:[ \t]*)([a-z_-]+)[^\r\n#]*")
