"""Per-host politeness: at most ``per_host`` requests in flight to one host, and at least
``delay`` seconds between the starts of two requests to it.

A request normally waits for its turn (:meth:`Hosts.acquire`). A dispatcher that hands
sources to workers can instead reserve a turn that is free *now* (:meth:`Hosts.reserve`):
the reservation belongs to the calling thread and its next request to that host uses it,
so a worker is only ever given a host it will not wait on. A request that must wait all
the same (the next request of a source of several, or the one after robots.txt) tells
whoever watches waits, so that another worker can stand in meanwhile.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class _Host:
    in_flight: int = 0
    next_free: float = 0.0
    delay: float = 0.0  # the host's own spacing (its robots.txt's Crawl-delay), if longer


class _Tickets(threading.local):
    def __init__(self) -> None:
        self.held: dict[str, int] = {}


class Hosts:
    """The politeness accounting of every host (keyed by origin, ``scheme://host:port``).

    Args:
        per_host: requests in flight to one host at a time.
        delay: minimum seconds between the starts of two requests to one host.
    """

    def __init__(self, per_host: int, delay: float) -> None:
        self.per_host = per_host
        self.delay = delay
        self._hosts: dict[str, _Host] = {}
        self._cond = threading.Condition()
        self._tickets = _Tickets()
        self._listeners: list[Callable[[], None]] = []
        self._watchers: list[Callable[[bool], None]] = []

    def listen(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (without arguments) whenever a request to any host ends."""
        self._listeners.append(callback)

    def unlisten(self, callback: Callable[[], None]) -> None:
        """Stop calling ``callback`` (a run that ended; the client lives on)."""
        with contextlib.suppress(ValueError):
            self._listeners.remove(callback)

    def watch_waits(self, callback: Callable[[bool], None]) -> None:
        """Call ``callback(True)`` in a thread that starts waiting for a turn at a host, and
        ``callback(False)`` when its wait ends (with a turn or without)."""
        self._watchers.append(callback)

    def unwatch_waits(self, callback: Callable[[bool], None]) -> None:
        """Stop calling ``callback``."""
        with contextlib.suppress(ValueError):
            self._watchers.remove(callback)

    def space(self, origin: str, seconds: float) -> None:
        """Start the requests to ``origin`` at least ``seconds`` apart, when that is longer
        than the configured delay (the host asked for it in its robots.txt)."""
        with self._cond:
            self._hosts.setdefault(origin, _Host()).delay = seconds

    def ready_in(self, origin: str) -> float:
        """Seconds until a request to ``origin`` could start (``inf`` while its slots are
        taken)."""
        with self._cond:
            host = self._hosts.get(origin)
            if host is None:
                return 0.0
            if host.in_flight >= self.per_host:
                return float("inf")
            return max(0.0, host.next_free - time.monotonic())

    def reserve(self, origin: str) -> bool:
        """Take a turn at ``origin`` for the calling thread if one is free now."""
        if not self._take_turn(origin, 0.0, wait=False):
            return False
        held = self._tickets.held
        held[origin] = held.get(origin, 0) + 1
        return True

    def acquire(self, origin: str, timeout: float) -> bool:
        """Wait for a turn at ``origin`` (or use the calling thread's reservation); False
        when none came within ``timeout`` seconds."""
        held = self._tickets.held
        if held.get(origin):
            held[origin] -= 1
            return True
        give_up = time.monotonic() + timeout
        if self._take_turn(origin, give_up, wait=False):
            return True
        watchers = list(self._watchers)
        for callback in watchers:
            callback(True)
        try:
            return self._take_turn(origin, give_up, wait=True)
        finally:
            for callback in watchers:
                callback(False)

    def _take_turn(self, origin: str, give_up: float, *, wait: bool) -> bool:
        """Take a turn at ``origin``: if one is free now, or (``wait``) once one is, until
        ``give_up``."""
        with self._cond:
            host = self._hosts.setdefault(origin, _Host())
            while True:
                now = time.monotonic()
                if host.in_flight < self.per_host and host.next_free <= now:
                    host.in_flight += 1
                    host.next_free = now + max(self.delay, host.delay)
                    return True
                if not wait or now >= give_up:
                    return False
                pause = host.next_free - now if host.in_flight < self.per_host else give_up - now
                self._cond.wait(timeout=max(0.001, min(pause, give_up - now)))

    def release(self, origin: str) -> None:
        """End a request to ``origin``."""
        with self._cond:
            host = self._hosts.setdefault(origin, _Host())
            host.in_flight = max(0, host.in_flight - 1)
            self._cond.notify_all()
        for callback in self._listeners:
            callback()

    def release_unused(self) -> None:
        """Give back the calling thread's reservations that no request used."""
        held = self._tickets.held
        for origin, count in list(held.items()):
            for _ in range(count):
                self.release(origin)
        held.clear()
