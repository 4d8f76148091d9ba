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
import time
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
        self._closed = False

    def pending(self) -> bool:
        """Whether jobs are left to take."""
        return bool(self._levels) and not self._closed

    def close(self) -> None:
        """Hand out nothing more (the jobs left are dropped)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def take(self) -> T | None:
        """The next job of the ready host with the most jobs left, its turn reserved for
        the calling thread (waiting while no host with work is ready); None when every
        job was taken, ``stop`` is set or the dispatcher is closed."""
        with self._cond:
            while True:
                if self._closed or (self._stop is not None and self._stop.is_set()):
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


class Crew:
    """The threads that work through a dispatcher's jobs: ``size`` of them at work at a
    time.

    A thread that waits for its host's turn in the middle of a job (the next request of a
    source of several, spaced by the host's delay) is not at work: another thread starts
    in its place while jobs are left, up to twice ``size`` threads, so that the other
    hosts' jobs go on. When it resumes, the next thread to finish a job while more than
    ``size`` are at work ends.

    Args:
        size: threads at work at a time.
        work: what each thread runs: it takes jobs while :meth:`stays` says so.
        pending: whether jobs are left to take.
        name: the threads' name prefix.
    """

    def __init__(
        self, size: int, work: Callable[[], None], pending: Callable[[], bool], name: str
    ) -> None:
        self.size = size
        self.limit = 2 * size
        self._work = work
        self._pending = pending
        self._name = name
        self._lock = threading.Lock()
        self._members = threading.local()
        self._threads: list[threading.Thread] = []
        self._alive = 0
        self._at_work = 0
        self._error: BaseException | None = None

    @property
    def started(self) -> int:
        """Threads started so far (a thread that starts another is still running)."""
        return len(self._threads)

    def start(self) -> None:
        """Start ``size`` threads."""
        for _ in range(self.size):
            with self._lock:
                thread = self._enlist()
            try:
                thread.start()
            except RuntimeError:
                self._unlist(thread)
                raise

    def waits(self, begins: bool) -> None:
        """A thread starts (``begins``) or stops waiting for a host's turn; for
        ``Hosts.watch_waits``. Threads of other crews are not counted."""
        if not getattr(self._members, "member", False):
            return
        with self._lock:
            if not begins:
                self._at_work += 1
                return
            self._at_work -= 1
            if self._at_work >= self.size or self._alive >= self.limit or not self._pending():
                return
            thread = self._enlist()
        try:
            thread.start()
        except RuntimeError:  # no thread to be had: this one waits, the others go on
            self._unlist(thread)

    def stays(self) -> bool:
        """Whether the calling thread takes another job (else it ends: more than ``size``
        threads are at work)."""
        with self._lock:
            if self._at_work <= self.size:
                return True
            self._leave()
            return False

    def join(self, *, reraise: bool = True, timeout: float | None = None) -> None:
        """Wait for every thread (at most ``timeout`` seconds: the threads are daemons,
        so the process may end without them), then (``reraise``) raise what one of them
        raised."""
        give_up = None if timeout is None else time.monotonic() + timeout
        while True:  # a stand-in is started before the thread that started it ends
            with self._lock:
                running = [thread for thread in self._threads if thread.is_alive()]
            if not running:
                break
            for thread in running:
                left = None if give_up is None else give_up - time.monotonic()
                if left is not None and left <= 0:
                    return
                thread.join(left)
        if reraise and self._error is not None:
            raise self._error

    def _enlist(self) -> threading.Thread:
        """One more thread at work, to be started (with the lock held)."""
        self._alive += 1
        self._at_work += 1
        thread = threading.Thread(
            target=self._run, name=f"{self._name}_{len(self._threads)}", daemon=True
        )
        self._threads.append(thread)
        return thread

    def _unlist(self, thread: threading.Thread) -> None:
        """Forget a thread that could not be started."""
        with self._lock:
            self._threads.remove(thread)
            self._alive -= 1
            self._at_work -= 1

    def _run(self) -> None:
        self._members.member = True
        try:
            self._work()
        except BaseException as exc:  # raised again by join(), in the caller's thread
            self._error = self._error or exc
        finally:
            with self._lock:
                if self._members.member:
                    self._leave()
            self._members.member = False

    def _leave(self) -> None:
        """The calling thread ends (with the lock held)."""
        self._alive -= 1
        self._at_work -= 1
        self._members.member = False
