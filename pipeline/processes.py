"""How the worker processes of a run start (``pipeline.workers`` prepares documents in
them, ``pipeline.rendering`` renders outputs).

A process of this program is threaded (the fetching threads, the scheduler's), and forking
a threaded process can copy a lock some other thread held, so workers are never forked
from it. They used to be spawned: each a fresh interpreter that imported the program
again, about 0.6 s of CPU a worker, four workers for a cold ``run --once`` (two prepare,
two render) and more for every sync of the service that starts a pool.

Where the platform has one (Linux, the BSDs, macOS), a fork server starts them instead:
one fresh single-threaded process, started with the first pool, that imports what the
workers run (:func:`preload`) once and forks each worker from itself, ready. The server
lives as long as this process; at exit it is stopped and waited for, so no process
outlives the command and the CPU of the workers counts in this one's resource usage
(``time``, the benchmark). Elsewhere the workers are spawned as before.

Every pool starts through :func:`worker_pool`: its workers end with the process that
started it (:func:`end_with`), so that a command killed outright leaves no process
behind.

A worker killed while it sends a result (the kernel's out-of-memory killer picks the
largest process, a worker holding a big rendered page) would leave the executor waiting
for the rest of the message for good; :func:`result_of` notices and breaks such a pool
open, so that it fails like any broken pool and the callers' fallbacks run.
"""

from __future__ import annotations

import atexit
import importlib
import os
import select
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, TypeVar

from tdlc_syndication.outputs import publisher_modules
from tdlc_syndication.pipeline.lazy import lazy_targets
from tdlc_syndication.sources.registry import kind_module

if TYPE_CHECKING:  # multiprocessing loads with the first pool (a run of 304s starts none)
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess

    from tdlc_syndication.config.models import Settings

T = TypeVar("T")
POLL = 1.0  # seconds between two looks at a pool whose result is late

_lock = threading.Lock()
_context: BaseContext | None = None


def preload(settings: Settings) -> list[str]:
    """The modules the workers of ``settings`` run: logging's queue handlers, the two
    pools' (and the preparing code, which the pool's own module loads only when it
    prepares), the publishers' (from ``outputs``) and those of the source kinds in use
    (from the kinds' registry), with the readers each loads with its first document
    parsed (``pipeline.lazy``)."""
    in_use = [kind_module(kind) for kind in sorted({source.kind for source in settings.sources})]
    readers = {name for module in in_use for name in lazy_targets(importlib.import_module(module))}
    return [
        "logging.handlers",  # a preparing worker's log forwarding, set up as it starts
        "tdlc_syndication.pipeline.workers",
        "tdlc_syndication.pipeline.prepare",
        "tdlc_syndication.pipeline.classify",
        "tdlc_syndication.pipeline.rendering",
        *publisher_modules(),
        *in_use,
        *sorted(readers),
    ]


def worker_context(settings: Settings) -> BaseContext:
    """The multiprocessing context worker pools start their processes with: the fork
    server where there is one (it loads :func:`preload` of the settings of the first pool;
    a worker imports anything else it needs itself), else spawn."""
    global _context
    import multiprocessing

    with _lock:
        if _context is None:
            if "forkserver" in multiprocessing.get_all_start_methods():
                server = multiprocessing.get_context("forkserver")
                server.set_forkserver_preload(preload(settings))
                atexit.register(_stop_server)
                _context = server
            else:
                _context = multiprocessing.get_context("spawn")
        return _context


def worker_pool(
    settings: Settings, workers: int, initializer: Callable[..., None], *initargs: Any
) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes started as this program starts them
    (:func:`worker_context`), each running ``initializer(*initargs)`` first and ending
    with this process (:func:`end_with`)."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=worker_context(settings),
        initializer=_begin,
        initargs=(os.getpid(), initializer, *initargs),
    )


def _begin(parent: int, initializer: Callable[..., None], *initargs: Any) -> None:
    end_with(parent)
    initializer(*initargs)


def end_with(parent: int) -> None:
    """End this worker process when ``parent`` (the process whose pool started it) ends,
    however it ends. A command killed outright (SIGKILL, the out-of-memory killer)
    cannot stop its pools, and its workers, children of the fork server and holding
    both ends of their queues, would wait on them for good, and keep the fork server and
    the resource tracker up with them. A thread waits on the parent's pidfd (Linux), or
    looks every second where there is none."""
    try:
        handle: int | None = os.pidfd_open(parent)
    except ProcessLookupError:
        os._exit(1)  # gone already
    except (AttributeError, OSError):
        handle = None

    def watch() -> None:
        if handle is not None:
            select.select([handle], [], [])  # readable once the process has ended
        else:
            while _alive(parent):
                time.sleep(POLL)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # there, another user's
        pass
    return True


def _stop_server() -> None:
    """Stop the fork server, if one started, and wait for it (its workers are gone by
    now: every pool is shut down before a command ends)."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)  # CPython's own way to stop it (3.8 and later)
    if stop is not None:
        stop()


def result_of(future: Future[T], pool: Callable[[], ProcessPoolExecutor | None]) -> T:
    """``future.result()`` for work done in ``pool()`` (the pool of the moment), which
    breaks the pool open when a worker died while it sent a result.

    CPython's executor then waits for the rest of the message for good: it never marks
    itself broken, its futures never end and the interpreter waits for it at exit. A
    worker that is gone while its pool is neither broken nor shut down, for longer than
    the executor takes to notice, means that: the pool's other workers are stopped and
    this process's writing end of the result pipe is closed, so that the executor reads
    the end of the pipe, marks itself broken and fails its futures with
    ``BrokenProcessPool``, which the callers already handle.

    Raises:
        Whatever the future raises (``BrokenProcessPool`` for a broken pool).
    """
    watch = _Watch()
    while True:
        try:
            return future.result(timeout=POLL)
        except TimeoutError:
            current = pool()
            watch.look(current, current is not None and _lost_worker(current))


def shut_down(pool: ProcessPoolExecutor) -> None:
    """Shut ``pool`` down (work not yet started is cancelled) and wait for it, breaking
    it open when a worker that died while it sent a result left it waiting for good.

    :func:`result_of` notices such a worker only while a result is awaited. One killed
    after the last result came (the pool's other worker sent it first) left the
    executor reading the rest of its message, and ``shutdown(wait=True)`` waited on the
    executor for good: the run never ended, and held its lock. A worker that ended with
    an error code while the executor is still running, for longer than the executor
    takes to notice, means that here."""
    pool.shutdown(wait=False, cancel_futures=True)
    manager = getattr(pool, "_executor_manager_thread", None)
    watch = _Watch()
    while manager is not None and manager.is_alive():
        manager.join(POLL)
        if manager.is_alive() and not getattr(pool, "_broken", False):
            failed = any(process.exitcode not in (None, 0) for process in _workers(pool))
            watch.look(pool, failed)


class _Watch:
    """A pool that looks stuck, broken open once it has looked so for ``POLL`` seconds
    running (the executor may notice a dead worker itself in the meantime)."""

    def __init__(self) -> None:
        self.since: float | None = None

    def look(self, pool: ProcessPoolExecutor | None, stuck: bool) -> None:
        """Note how ``pool`` looks now, and break it open when it has looked stuck long
        enough."""
        if pool is None or not stuck:
            self.since = None
            return
        now = time.monotonic()
        if self.since is None:
            self.since = now
        elif now - self.since >= POLL:
            _break_open(pool)
            self.since = None


def _lost_worker(pool: ProcessPoolExecutor) -> bool:
    """Whether a worker of a pool that should be running has ended."""
    if getattr(pool, "_broken", False) or getattr(pool, "_shutdown_thread", False):
        return False
    return any(process.exitcode is not None for process in _workers(pool))


def _workers(pool: ProcessPoolExecutor) -> list[BaseProcess]:
    """A pool's worker processes (the executor's own attribute: there is no public way
    to ask; none when it is gone)."""
    return list((getattr(pool, "_processes", None) or {}).values())


def _break_open(pool: ProcessPoolExecutor) -> None:
    """Stop a stuck pool's workers and close this process's end of its result pipe."""
    processes = _workers(pool)
    for process in processes:
        if process.exitcode is None:
            process.kill()
    for process in processes:
        process.join(5)
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        writer.close()
