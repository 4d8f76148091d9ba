"""Handing sources to fetch workers so that no worker waits on a busy host while another
host has work: a worker is given a source whose host can take a request now (a free
slot, spacing respected) together with that turn, and waits only when every host with
work is busy.

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
    """A queue of jobs keyed by host, taken in the order hosts become ready.

    Args:
        jobs: ``(host key, job)`` pairs; an empty key (a local file) is always ready.
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
        self._ready_in = ready_in
        self._reserve = reserve
        self._cond = threading.Condition()
        self._stop = stop

    def take(self) -> T | None:
        """The next job whose host has a free turn now, reserved for the calling thread
        (waiting while no host with work is ready); None when every job was taken or
        ``stop`` is set."""
        with self._cond:
            while True:
                if self._stop is not None and self._stop.is_set():
                    return None
                wait = float("inf")
                pending = False
                for host, queue in self._queues.items():
                    if not queue:
                        continue
                    pending = True
                    if not host or self._reserve(host):
                        return queue.popleft()
                    wait = min(wait, self._ready_in(host))
                if not pending:
                    return None
                # Woken when a request ends; otherwise when the earliest host is ready.
                self._cond.wait(timeout=min(max(wait, 0.001), 0.5))

    def wake(self) -> None:
        """A request ended somewhere: a host may be ready."""
        with self._cond:
            self._cond.notify_all()
