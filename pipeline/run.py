"""Running sources: the stages of the pipeline for one source, inside one error boundary.

::

    run_source(ctx, config, store)
        gate        disabled, retired by 410, or waiting for a back-off?  → not run
        collect     fetch each document → parse → normalise → classify    (no writes)
        identities  re-issued GUIDs and links keep the id the store has
        decide      new / changed / unchanged, against the stored items
        keep        items, stories, retractions, validators, next state,
                    run record                                            (one transaction)

Whatever a source does wrong is recorded on its state row and in the run history and
never reaches the other sources; only a store that cannot be written stops the run.
``run_sources`` runs several sources: fetch workers (``pipeline.dispatch``) and worker
processes (``pipeline.workers``) fetch and prepare them, and the thread that owns the store
keeps each result (``pipeline.keep``). Publishing is ``pipeline.publish``.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import replace
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tdlc_syndication.config.shapes import entry_shape
from tdlc_syndication.config.sources import SourceConfig
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.dispatch import Crew, Dispatcher
from tdlc_syndication.pipeline.http import origin_of
from tdlc_syndication.pipeline.keep import RunRecords, keep
from tdlc_syndication.pipeline.ledger import (
    FULL_READ_WHY,
    RunReport,
    SourceState,
    Validators,
    full_read_reason,
    mended,
    source_shape,
)
from tdlc_syndication.pipeline.logs import source_context
from tdlc_syndication.pipeline.state import Outcome, gate, moved_location, outcome_of
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.pipeline.workers import Preparer, process_count
from tdlc_syndication.sources.base import Fetched, FetchState
from tdlc_syndication.sources.registry import build_source

if TYPE_CHECKING:  # the preparing code loads with the first document read
    from tdlc_syndication.pipeline.prepare import Collected

log = logging.getLogger(__name__)
_Result = tuple[SourceConfig, "Future[Collected | Outcome]", datetime]


def run_source(
    ctx: Context, config: SourceConfig, store: Store, *, force: bool = False
) -> RunReport:
    """Fetch, parse, normalise, classify and store one source. Never raises for source
    errors (they are recorded); raises StoreError when the store cannot be written.

    Args:
        ctx: the run's dependencies.
        config: the source to run.
        store: an open store (the caller's thread owns it).
        force: run even when a back-off, Retry-After or retirement says to wait.
    """
    with source_context(config.id):
        started = ctx.clock()
        state = store.state(config.id)
        gated = _gated(config, state, started, force, ZoneInfo(ctx.settings.site.timezone))
        if gated is not None:
            return gated
        begin, validators = starting_point(ctx, config, state, store.validators(config.id))
        result = collect(ctx, config, begin, validators)
        return keep(ctx, config, store, state, result, started)


def starting_point(
    ctx: Context, config: SourceConfig, state: SourceState, validators: Mapping[str, Validators]
) -> tuple[SourceState, Mapping[str, Validators]]:
    """What a source's fetch starts from: its state and the validators of what it fetched
    before; or, when the settings that shape its items changed since its last read (or
    this program makes items differently: ``source_shape``), no validators and no cursor.
    Then every document is asked for without "has it changed?" and read again, so that
    stored items are made again with the settings (a new alias of a topic, a source's
    ``kind_map``) and not only when the origin next changes a document."""
    shape = source_shape(ctx.settings, config)
    if state.shape == shape:
        return state, validators
    why = full_read_reason(state, shape)
    if state.shape is not None and why:  # (a store from before shapes: every source, unsaid)
        log.info("read in full: %s since its last read", FULL_READ_WHY[why])
    return replace(state, cursor=None), {}


def _gated(
    config: SourceConfig, state: SourceState, started: datetime, force: bool, zone: tzinfo
) -> RunReport | None:
    """The report of a source that does not run now (disabled, retired, waiting)."""
    entry = entry_shape(config) if state.failed_with else None  # only a failed source's
    gated = gate(state, enabled=config.enabled, now=started, force=force, zone=zone, entry=entry)
    if gated is None:
        if mended(state, entry) and gate(state, enabled=True, now=started, force=force):
            with source_context(config.id):
                log.info("its settings were edited since its last run failed: it runs now")
        return None
    status, detail = gated
    return RunReport(
        source=config.id, status=status, started=started, finished=started, error=detail
    )


def collect(
    ctx: Context,
    config: SourceConfig,
    state: SourceState,
    validators: Mapping[str, Validators],
) -> Collected | Outcome:
    """Fetch, parse, normalise and classify one source: what to keep, or the outcome of a
    run that stops here (not modified, failed). Touches no store: it runs in a worker.
    The preparing code loads, and the taxonomy's classifier is built, once a document
    came."""
    fetched = fetch_documents(ctx, config, state, validators)
    if isinstance(fetched, Outcome):
        return fetched
    from tdlc_syndication.pipeline.classify import Classifier
    from tdlc_syndication.pipeline.prepare import prepare

    return prepare(config, fetched, ctx.rules(), Classifier.of(ctx), ctx.clock())


def fetch_documents(
    ctx: Context,
    config: SourceConfig,
    state: SourceState,
    validators: Mapping[str, Validators],
) -> list[Fetched] | Outcome:
    """Every document of the source (the network half of :func:`collect`), or the outcome
    of a run that stops here."""
    try:
        source = build_source(config, ctx.http, ctx.clock)
        fetch_state = FetchState(
            validators=validators,
            url=moved_location(state, getattr(config, "url", None)),
            cursor=state.cursor,
        )
        return list(source.fetch(fetch_state))
    except Exception as exc:
        return outcome_of(exc, config)


def run_sources(
    ctx: Context,
    configs: Sequence[SourceConfig],
    *,
    force: bool = False,
    full: bool = False,
    on_done: Callable[[RunReport], None] | None = None,
    stop: threading.Event | None = None,
) -> list[RunReport]:
    """Run several sources: workers fetch and prepare them (a worker is given a source
    whose host can take a request now), and this thread stores each result as it comes,
    one transaction per source. Reports come back in config order. ``full`` reads each
    in full, as after a change of its settings (:func:`starting_point`).

    Once ``stop`` is set no further source is started; those in hand finish and are
    stored, and the reports leave out the sources that did not run.

    Raises:
        StoreError: the store cannot be written.
    """
    reports: dict[str, RunReport] = {}
    with ctx.open_store() as store:
        states = store.states()
        if full:  # as if no read had recorded its settings: one that fails owes it still
            states = {key: replace(state, shape=None) for key, state in states.items()}
        validators = store.all_validators()
        ctx.http.robots.copies.update(store.robots_copies())
        ctx.http.space_known_hosts()
        started = ctx.clock()
        jobs: list[tuple[str, SourceConfig]] = []
        for config in configs:
            state = states.get(config.id) or SourceState(source=config.id)
            gated = _gated(config, state, started, force, ZoneInfo(ctx.settings.site.timezone))
            if gated is not None:
                reports[config.id] = gated
                if on_done:
                    on_done(gated)
                continue
            jobs.append((_host_key(config, state), config))
        hosts = ctx.http.hosts
        dispatcher: Dispatcher[SourceConfig] = Dispatcher(jobs, hosts.ready_in, hosts.reserve, stop)
        ctx.http.hosts.listen(dispatcher.wake)
        try:
            _run_jobs(ctx, store, jobs, dispatcher, states, validators, reports, on_done)
        finally:
            hosts.unlisten(dispatcher.wake)

        fresh = ctx.http.robots.take_fresh()  # each copy stored once, by the run that fetched it
        if fresh:
            with store.transaction():
                store.put_robots(fresh)
    return [reports[c.id] for c in configs if c.id in reports]


def _run_jobs(
    ctx: Context,
    store: Store,
    jobs: list[tuple[str, SourceConfig]],
    dispatcher: Dispatcher[SourceConfig],
    states: Mapping[str, SourceState],
    validators: Mapping[str, Mapping[str, Validators]],
    reports: dict[str, RunReport],
    on_done: Callable[[RunReport], None] | None,
) -> None:
    """Workers fetch and prepare the dispatched sources; this thread keeps each result."""
    hosts = ctx.http.hosts

    def work() -> None:
        try:
            _work()
        finally:
            results.put(None)  # this worker is done

    def _work() -> None:
        while crew.stays() and (config := dispatcher.take()) is not None:
            with source_context(config.id):
                began = ctx.clock()
                try:
                    state, known = starting_point(
                        ctx,
                        config,
                        states.get(config.id) or SourceState(source=config.id),
                        validators.get(config.id, {}),
                    )
                    documents = fetch_documents(ctx, config, state, known)
                finally:
                    hosts.release_unused()
                    dispatcher.wake()
                if isinstance(documents, Outcome):
                    done: Future[Collected | Outcome] = Future()
                    done.set_result(documents)
                else:
                    done = preparer.submit(config, documents, ctx.clock())
            results.put((config, done, began))

    results: queue.Queue[_Result | None] = queue.Queue()
    workers = max(1, min(ctx.settings.http.workers, len(jobs)))
    processes = process_count(ctx.settings, len(jobs))
    crew = Crew(workers, work, dispatcher.pending, "fetch")
    hosts.watch_waits(crew.waits)
    try:
        with Preparer(ctx, processes) as preparer:
            if jobs:
                crew.start()
            try:
                _keep_results(ctx, store, crew, preparer, results, states, reports, on_done)
            except BaseException as exc:  # the store failed, or Ctrl-C / SIGTERM
                dispatcher.close()  # the workers take nothing more
                # Interrupted: stop now, whatever is in flight (the threads are daemons).
                stopped = isinstance(exc, KeyboardInterrupt)
                crew.join(reraise=False, timeout=STOP_WAIT if stopped else None)
                raise
            crew.join()
    finally:
        hosts.unwatch_waits(crew.waits)


def _keep_results(
    ctx: Context,
    store: Store,
    crew: Crew,
    preparer: Preparer,
    results: queue.Queue[_Result | None],
    states: Mapping[str, SourceState],
    reports: dict[str, RunReport],
    on_done: Callable[[RunReport], None] | None,
) -> None:
    """Keep each worker's results as they come, until every worker that started is done."""
    ended = 0
    while ended < crew.started:
        batch, done_workers = _next_batch(results)
        ended += done_workers
        ready = [(config, preparer.result(prepared), began) for config, prepared, began in batch]
        done = []
        records = RunRecords()
        with store.transaction():  # one commit for what is ready, not one per source
            for config, result, began in ready:
                with source_context(config.id):
                    state = states.get(config.id) or SourceState(source=config.id)
                    done.append(keep(ctx, config, store, state, result, began, records))
            records.write(store)
        for report in done:
            reports[report.source] = report
            if on_done:
                on_done(report)


BATCH = 32  # sources kept in one transaction at most
STOP_WAIT = 2.0  # seconds an interrupted run gives its fetch threads (requests in flight)


def _next_batch(results: queue.Queue[_Result | None]) -> tuple[list[_Result], int]:
    """The next result (waiting for it) and whatever else is already waiting, up to
    ``BATCH`` results, and how many workers said they were done meanwhile.

    Entries are taken in the order they came and none is put back: a worker's "done"
    follows its last result in the queue, so once every worker said so, every result was
    taken. (Putting an entry back behind the others could leave it behind the last
    "done", and its source out of the run.)"""
    batch: list[_Result] = []
    ended = 0
    entry = results.get()
    while True:
        if entry is None:
            ended += 1
        else:
            batch.append(entry)
        if len(batch) >= BATCH:
            break
        try:
            entry = results.get_nowait()
        except queue.Empty:
            break
    return batch, ended


def _host_key(config: SourceConfig, state: SourceState) -> str:
    """The origin a source's first request goes to ('' for a local file)."""
    url = moved_location(state, getattr(config, "url", None)) or getattr(config, "url", None)
    return origin_of(url) if url else ""
