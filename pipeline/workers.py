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
"""

from __future__ import annotations

import logging
import logging.handlers
import multiprocessing
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime
from types import TracebackType
from typing import Any

from tdlc_syndication.config.models import Settings
from tdlc_syndication.config.sources import SourceConfig
from tdlc_syndication.pipeline.classify import Classifier
from tdlc_syndication.pipeline.context import Context, pool_size
from tdlc_syndication.pipeline.logs import SourceTag, source_context
from tdlc_syndication.pipeline.prepare import Collected, prepare
from tdlc_syndication.pipeline.state import Outcome
from tdlc_syndication.sources.base import Fetched

MIN_SOURCES = 16  # below this many sources, processes cost more than they save

_worker: tuple[Context, Classifier] | None = None


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
        self.classifier = Classifier.of(ctx)
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._listener: logging.handlers.QueueListener | None = None
        self._lock = threading.Lock()
        self._inline = 0  # sources prepared here before the pool started

    def submit(
        self, config: SourceConfig, documents: Sequence[Fetched], now: datetime
    ) -> Future[Collected | Outcome]:
        """Prepare one source's documents; the future holds what :func:`prepare` returns.

        The pool starts once ``MIN_SOURCES`` sources had documents (a run where most
        sources answer "not modified" never pays for starting processes); until then,
        and without a pool, the calling thread prepares.
        """
        pool = self._pool_for_next()
        if pool is None:
            done: Future[Collected | Outcome] = Future()
            with source_context(config.id):
                done.set_result(prepare(config, documents, self.ctx.rules(), self.classifier, now))
            return done
        return pool.submit(_prepare_in_worker, config, list(documents), now)

    def _pool_for_next(self) -> ProcessPoolExecutor | None:
        with self._lock:
            if self._pool is None and self.processes > 1:
                if self._inline < MIN_SOURCES:
                    self._inline += 1
                    return None
                self._start()
            return self._pool

    def _start(self) -> None:
        spawn = multiprocessing.get_context("spawn")  # no fork of a threaded process
        records: Any = spawn.Queue()
        root = logging.getLogger()
        self._listener = logging.handlers.QueueListener(
            records, *root.handlers, respect_handler_level=True
        )
        self._listener.start()
        level = logging.getLogger("tdlc_syndication").getEffectiveLevel()
        self._pool = ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=spawn,
            initializer=_start_worker,
            initargs=(self.ctx.settings, records, level),
        )

    def close(self) -> None:
        """Stop the pool (after the work submitted) and the log forwarding."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
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


def _start_worker(settings: Settings, records: Any, level: int) -> None:
    """Set up one pool process: its settings, classifier and log forwarding."""
    global _worker
    root = logging.getLogger()
    forward = logging.handlers.QueueHandler(records)
    forward.addFilter(SourceTag())  # tagged here: the id lives in this process's context
    root.handlers[:] = [forward]
    root.setLevel(logging.WARNING)
    logging.getLogger("tdlc_syndication").setLevel(level)
    ctx = Context.create(settings)
    _worker = (ctx, Classifier.of(ctx))


def _prepare_in_worker(
    config: SourceConfig, documents: list[Fetched], now: datetime
) -> Collected | Outcome:
    assert _worker is not None, "the pool initializer did not run"
    ctx, classifier = _worker
    with source_context(config.id):
        return prepare(config, documents, ctx.rules(), classifier, now)
