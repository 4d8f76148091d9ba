"""Handing sources to fetch workers so that no worker waits on a busy host while another
host has work, and the run ends as early as the busiest host allows.

A worker is given a source whose host can take a request now (a free slot, spacing
respected) together with that turn, and waits only when every host with work is busy.
Among the hosts that are ready, the one with the most sources left goes first (ties in
turn): the hosts then drain together, instead of the first hosts of the settings
draining while the last ones wait for a tail in which few hosts, at their per-host
limit, leave most workers idle.

Politeness stays with ``pipeline.hosts``: the dispatcher reserves turns there, asks when
each host will next be ready, and is woken when a request ends.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")
ReadyIn = Callable[[str], float]  # host key → seconds until it takes a request (inf: busy)


class Dispatcher(Generic[T]):
    """A queue of jobs keyed by host, taken from the ready host with the most jobs left.

    Args:
        jobs: ``(host key, job)`` pairs, each host's taken in this order; an empty key
            (a local file) is always ready.
        ready_in: how long until a host can take a request.
        reserve: take a turn at a host for the calling thread if one is free now.
        stop: once set, no job is handed out any more (the rest are dropped).
    """

    def __init__(
        self,
        jobs: Iterable[tuple[str, T]],
        ready_in: ReadyIn,
        reserve: Callable[[str], bool],
        stop: threading.Event | None = None,
    ) -> None:
        self._queues: dict[str, deque[T]] = {}
        for host, job in jobs:
            self._queues.setdefault(host, deque()).append(job)
        # Hosts by how many jobs they have left, each level in turn order (a host that
        # was given a job goes to the end of the level below).
        self._levels: dict[int, dict[str, None]] = {}
        for host, queue in self._queues.items():
            self._levels.setdefault(len(queue), {})[host] = None
        self._ready_in = ready_in
        self._reserve = reserve
        self._cond = threading.Condition()
        self._stop = stop

    def take(self) -> T | None:
        """The next job of the ready host with the most jobs left, its turn reserved for
        the calling thread (waiting while no host with work is ready); None when every
        job was taken or ``stop`` is set."""
        with self._cond:
            while True:
                if self._stop is not None and self._stop.is_set():
                    return None
                if not self._levels:
                    return None
                wait = float("inf")
                for left in sorted(self._levels, reverse=True):
                    for host in self._levels[left]:
                        if not host or self._reserve(host):
                            return self._pop(host, left)
                        wait = min(wait, self._ready_in(host))
                # Woken when a request ends; otherwise when the earliest host is ready.
                self._cond.wait(timeout=min(max(wait, 0.001), 0.5))

    def wake(self) -> None:
        """A request ended somewhere: a host may be ready."""
        with self._cond:
            self._cond.notify_all()

    def _pop(self, host: str, left: int) -> T:
        """The host's next job; the host moves one level down."""
        level = self._levels[left]
        del level[host]
        if not level:
            del self._levels[left]
        if left > 1:
            self._levels.setdefault(left - 1, {})[host] = None
        return self._queues[host].popleft()
