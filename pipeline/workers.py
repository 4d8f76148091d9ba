"""Preparing fetched documents in worker processes.

Fetching is waiting on the network, and threads overlap that well; parsing, cleaning,
classifying and hashing are CPU work that one Python process does one thing at a time. A
run with many sources hands each source's fetched documents to a pool of processes (one
per core by default, ``[run] processes``), so that work spreads over the cores while the
threads keep fetching and the writer keeps storing. A small run, a run where few sources
changed, or ``processes = 1`` prepares in the fetching threads instead: starting processes
would cost more than it saves.

The pool's processes build their own classifier from the settings, and their log
records come back to this process's handlers through a queue.

A process of the pool can end abruptly: the kernel's out-of-memory killer, an operator's
``kill``, a crash in a C library on a hostile document. The pool is then broken and every
source it was preparing fails with it. The run goes on: a new pool starts (at most
``RESTARTS`` times a run) and each of those sources is prepared again once; a source
whose second attempt breaks a pool too is recorded as failed (its validators are not
kept, so the next run fetches it again), and the others are stored as usual.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import BrokenExecutor, Future
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING, Any

from tdlc_syndication.config.models import Settings
from tdlc_syndication.config.sources import SourceConfig
from tdlc_syndication.pipeline.context import Context, pool_size
from tdlc_syndication.pipeline.logs import SourceTag, quiet_handled_errors, source_context
from tdlc_syndication.pipeline.processes import result_of, shut_down, worker_context, worker_pool
from tdlc_syndication.pipeline.state import Outcome
from tdlc_syndication.sources.base import Fetched

if TYPE_CHECKING:  # loaded with the first document to prepare (a run of 304s never does)
    # multiprocessing loads with the first pool; a broken one is caught as BrokenExecutor,
    # the base of BrokenProcessPool, whose module would load it with this one.
    import logging.handlers
    from concurrent.futures import ProcessPoolExecutor

    from tdlc_syndication.pipeline.classify import Classifier
    from tdlc_syndication.pipeline.prepare import Collected

MIN_SOURCES = 16  # below this many sources, processes cost more than they save
RESTARTS = 3  # new pools a run starts after one broke; then the pooled sources fail
ATTEMPTS = 2  # times a source is given to a pool before it counts as failed

_worker: tuple[Context, Classifier] | None = None
log = logging.getLogger(__name__)


def process_count(settings: Settings, sources: int) -> int:
    """How many processes prepare documents for a run of ``sources`` sources (1: none,
    the fetching threads do it)."""
    return pool_size(settings.run.processes, sources >= MIN_SOURCES)


class Preparer:
    """Prepares sources' documents inline or in a process pool; a context manager.

    Args:
        ctx: the run's dependencies.
        processes: pool size; 1 prepares in the calling thread.
    """

    def __init__(self, ctx: Context, processes: int) -> None:
        self.ctx = ctx
        self._classifier: Classifier | None = None  # built for the first source prepared here
        self._classifier_lock = threading.Lock()  # not the pool's: building takes a while
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._listener: logging.handlers.QueueListener | None = None
        self._lock = threading.Lock()
        self._inline = 0  # sources prepared here before the pool started
        self._restarts = 0  # pools started after one broke
        self._closed = False  # no pool starts after close (an interrupted run's threads)

    def submit(
        self, config: SourceConfig, documents: Sequence[Fetched], now: datetime
    ) -> Future[Collected | Outcome]:
        """Prepare one source's documents; the future holds what :func:`prepare` returns.

        The pool starts once ``MIN_SOURCES`` sources had documents (a run where most
        sources answer "not modified" never pays for starting processes); until then,
        and without a pool, the calling thread prepares.
        """
        done: Future[Collected | Outcome] = Future()
        if not self._pooled_next():
            from tdlc_syndication.pipeline.prepare import prepare

            classifier = self._inline_classifier()
            with source_context(config.id):
                done.set_result(prepare(config, documents, self.ctx.rules(), classifier, now))
            return done
        self._send(done, _Task(config, list(documents), now))
        return done

    def _inline_classifier(self) -> Classifier:
        """The classifier of the sources prepared in this process, built for the first
        (under a lock of its own: the pool's lock is not held while the taxonomy's
        phrases compile)."""
        from tdlc_syndication.pipeline.classify import Classifier

        with self._classifier_lock:
            if self._classifier is None:
                self._classifier = Classifier.of(self.ctx)
            return self._classifier

    def result(self, done: Future[Collected | Outcome]) -> Collected | Outcome:
        """What :meth:`submit` gave, once it is there (a pool stuck on a worker that died
        while it sent a result is broken open: its sources are prepared again)."""
        return result_of(done, lambda: self._pool)

    def _pooled_next(self) -> bool:
        """Whether the next source goes to the pool (which then runs, or ran and broke)."""
        with self._lock:
            if self.processes <= 1 or self._closed:
                return False
            if self._pool is None and self._restarts == 0:
                if self._inline < MIN_SOURCES:
                    self._inline += 1
                    return False
                self._start()
            return True

    def _send(self, done: Future[Collected | Outcome], task: _Task) -> None:
        """Give ``task`` to the pool; ``done`` gets its result, or a failed outcome when
        pools keep breaking."""
        while True:
            with self._lock:
                if self._pool is None and self._restarts < RESTARTS and not self._closed:
                    self._restarts += 1
                    self._start()
                pool = self._pool
            if pool is None:
                done.set_result(task.failed("the worker processes kept ending abruptly"))
                return
            try:
                attempt = pool.submit(_prepare_in_worker, task.config, task.documents, task.now)
            except BrokenExecutor:  # it broke before this submit: no attempt was used
                self._discard(pool)
                continue
            task.attempts += 1
            attempt.add_done_callback(partial(self._settle, pool=pool, done=done, task=task))
            return

    def _settle(
        self,
        attempt: Future[Collected | Outcome],
        pool: ProcessPoolExecutor,
        done: Future[Collected | Outcome],
        task: _Task,
    ) -> None:
        """Pass an attempt's result on, or try the task again after its pool broke."""
        # A broken pool fails what it held; one discarded by another source's settling
        # may cancel what it had not started yet: both are tried again.
        error = BrokenExecutor() if attempt.cancelled() else attempt.exception()
        if not isinstance(error, BrokenExecutor):
            if error is not None:
                done.set_exception(error)
            else:
                done.set_result(attempt.result())
            return
        self._discard(pool)
        if task.attempts >= ATTEMPTS:
            done.set_result(task.failed("the worker process preparing it ended abruptly twice"))
        else:
            self._send(done, task)

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        """Forget a broken pool (once; later calls for the same pool do nothing)."""
        with self._lock:
            if self._pool is not pool:
                return
            self._pool = None
            # Its log listener is left to run (a daemon thread): a process killed while
            # writing a record may hold the queue's lock for good, and stopping the
            # listener would then wait forever. The next pool has a queue of its own.
            self._listener = None
        log.warning(
            "a process preparing documents ended abruptly (killed, or out of memory?); "
            "its sources are prepared again in a new one"
        )
        pool.shutdown(wait=False, cancel_futures=True)

    def _start(self) -> None:
        import logging.handlers  # with the first pool: a run that starts none never loads it

        context = worker_context(self.ctx.settings)
        records: Any = context.Queue()
        root = logging.getLogger()
        self._listener = logging.handlers.QueueListener(
            records, *root.handlers, respect_handler_level=True
        )
        self._listener.start()
        level = logging.getLogger("tdlc_syndication").getEffectiveLevel()
        self._pool = worker_pool(
            self.ctx.settings, self.processes, _start_worker, self.ctx.settings, records, level
        )

    def close(self) -> None:
        """Stop the pool (after the work submitted) and the log forwarding; no pool starts
        after this (a source still submitted is prepared in the calling thread)."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            shut_down(pool)
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    def __enter__(self) -> Preparer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


@dataclass(slots=True)
class _Task:
    """One source's documents on their way to a pool, and how often they were sent."""

    config: SourceConfig
    documents: list[Fetched]
    now: datetime
    attempts: int = 0

    def failed(self, why: str) -> Outcome:
        """The outcome of a source that could not be prepared."""
        return Outcome(
            status="failed",
            configured=getattr(self.config, "url", None),
            error=f"not prepared: {why} (killed, or out of memory?); it is fetched again next run",
        )


def _start_worker(settings: Settings, records: Any, level: int) -> None:
    """Set up one pool process: its settings, classifier and log forwarding."""
    global _worker
    import logging.handlers

    root = logging.getLogger()
    forward = logging.handlers.QueueHandler(records)
    forward.addFilter(SourceTag())  # tagged here: the id lives in this process's context
    root.handlers[:] = [forward]
    root.setLevel(logging.WARNING)
    logging.getLogger("tdlc_syndication").setLevel(level)
    quiet_handled_errors()
    from tdlc_syndication.pipeline.classify import Classifier

    ctx = Context.create(settings)
    _worker = (ctx, Classifier.of(ctx))


def _prepare_in_worker(
    config: SourceConfig, documents: list[Fetched], now: datetime
) -> Collected | Outcome:
    from tdlc_syndication.pipeline.prepare import prepare  # preloaded by the fork server

    assert _worker is not None, "the pool initializer did not run"
    ctx, classifier = _worker
    with source_context(config.id):
        return prepare(config, documents, ctx.rules(), classifier, now)
