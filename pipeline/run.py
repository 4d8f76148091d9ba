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
``run_sources`` runs several sources in a bounded thread pool. Publishing is
``pipeline.publish``.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import datetime

from tdlc_syndication.config.sources import SourceConfig
from tdlc_syndication.pipeline.classify import Classifier
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.dedupe import canonical_links, decide, group_stories, same_item
from tdlc_syndication.pipeline.dispatch import Crew, Dispatcher
from tdlc_syndication.pipeline.http import origin_of
from tdlc_syndication.pipeline.ledger import RunReport, SourceState, Validators
from tdlc_syndication.pipeline.logs import source_context
from tdlc_syndication.pipeline.model import Item, StoredItem, story_keys
from tdlc_syndication.pipeline.prepare import Collected, outcome_of, prepare
from tdlc_syndication.pipeline.state import Outcome, Policy, gate, moved_location, next_state
from tdlc_syndication.pipeline.store import ItemWrite, Store
from tdlc_syndication.pipeline.workers import Preparer, process_count
from tdlc_syndication.sources.base import Fetched, FetchState
from tdlc_syndication.sources.registry import build_source

log = logging.getLogger(__name__)
_Result = tuple[SourceConfig, "Future[Collected | Outcome]", datetime]
_rng = random.Random()


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
        gated = _gated(config, state, started, force)
        if gated is not None:
            return gated
        result = collect(ctx, config, state, store.validators(config.id), Classifier.of(ctx))
        return keep(ctx, config, store, state, result, started)


def _gated(
    config: SourceConfig, state: SourceState, started: datetime, force: bool
) -> RunReport | None:
    """The report of a source that does not run now (disabled, retired, waiting)."""
    gated = gate(state, enabled=config.enabled, now=started, force=force)
    if gated is None:
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
    classifier: Classifier,
) -> Collected | Outcome:
    """Fetch, parse, normalise and classify one source: what to keep, or the outcome of a
    run that stops here (not modified, failed). Touches no store: it runs in a worker."""
    fetched = fetch_documents(ctx, config, state, validators)
    if isinstance(fetched, Outcome):
        return fetched
    return prepare(config, fetched, ctx.rules(), classifier, ctx.clock())


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


@dataclass(slots=True)
class RunRecords:
    """Next source states and run records to write together: a batch of sources costs two
    statements, not two a source (each statement hands the GIL to the fetching threads
    and waits to get it back)."""

    states: list[SourceState] = field(default_factory=list)
    runs: list[RunReport] = field(default_factory=list)

    def write(self, store: Store) -> None:
        """Write them (in the caller's transaction) and forget them."""
        store.put_states(self.states)
        store.add_runs(self.runs)
        self.states.clear()
        self.runs.clear()


def keep(
    ctx: Context,
    config: SourceConfig,
    store: Store,
    state: SourceState,
    result: Collected | Outcome,
    started: datetime,
    records: RunRecords | None = None,
) -> RunReport:
    """Store what a source gave (or record why it gave nothing): the writer's half of a
    run, one transaction. The source's next state and run record go to ``records`` when
    given, for the caller to write with its batch before it commits.

    Raises:
        StoreError: the store cannot be written.
    """
    pending = RunRecords() if records is None else records
    with store.transaction():
        if isinstance(result, Collected):
            report = _keep(ctx, config, store, state, result, started, pending)
        else:
            blank = RunReport(source=config.id, status="failed", started=started, finished=started)
            report = _finish(ctx, state, result, blank, pending)
        if records is None:
            pending.write(store)
    return report


def _keep(
    ctx: Context,
    config: SourceConfig,
    store: Store,
    state: SourceState,
    collected: Collected,
    started: datetime,
    records: RunRecords,
) -> RunReport:
    """Decide each item against the store and write it, in the caller's transaction (the
    next state and the run record: to ``records``)."""
    now = ctx.clock()
    counts: Counter[str] = Counter()
    items, stored = _keep_identities(store, config.id, collected)
    relink: set[str] = set()
    writes = []
    unchanged = []
    for item in items.values():
        old = stored.get(item.id)
        decision = decide(item, old, now, collected.hashes.get(item.id))
        counts[decision.status] += 1
        log.debug("%s %s", decision.status, item.id)
        if decision.status == "unchanged":
            unchanged.append(item.id)
            continue
        keys = collected.keys.get(item.id) or frozenset(story_keys(item))
        data = collected.data.get(item.id) if decision.stored.item is item else None
        writes.append(ItemWrite(decision.stored, collected.reasons.get(item.id), data, keys))
        relink.update(keys)
        if old is not None:
            relink.update(story_keys(old.item))
    store.put_items(writes)
    store.touch_items(config.id, unchanged, now)
    for retraction in collected.retractions:
        if retraction.id not in items and store.retract(
            config.id, retraction.id, retraction.reason
        ):
            counts["retracted"] += 1
            relink.update(store.item_keys(config.id, retraction.id))
    relink_stories(store, relink)
    for location, validators in collected.validators.items():
        store.put_validators(config.id, location, validators)
    notes = dict(collected.notes.counts)
    outcome = Outcome(
        status="ok",
        configured=getattr(config, "url", None),
        moved_to=collected.moved_to,
        cursor=collected.cursor,
        refresh_after=collected.refresh_after,
    )
    tally = RunReport(
        source=config.id,
        status="ok",
        started=started,
        finished=now,
        new=counts["new"],
        changed=counts["changed"],
        unchanged=counts["unchanged"],
        dropped=sum(v for k, v in notes.items() if k.startswith("no-")),
        retracted=counts["retracted"],
        notes=notes,
        skipped=tuple(collected.skipped),
    )
    return _finish(ctx, state, outcome, tally, records)


def relink_stories(store: Store, keys: Iterable[str]) -> None:
    """Re-decide the canonical record of every story that shares one of ``keys``. Only the
    items of stories with several records are read; a lone record is its own canonical."""
    members = store.story_members(keys)
    if not members:
        return
    links: dict[tuple[str, str], str | None] = {}
    shared: dict[tuple[str, str], set[str]] = {}
    for group in group_stories(members):
        if len(group) == 1:
            links[group[0]] = None
        else:
            shared.update((member, members[member]) for member in group)
    if shared:
        links.update(canonical_links(shared, store.members_of(shared)))
    store.set_duplicates(links)


def forget_items(store: Store, *, sources: Sequence[str] = (), item_ids: Sequence[str] = ()) -> int:
    """Remove every item of ``sources`` and the items ``item_ids``, in one transaction; the
    stories they belonged to get their canonical record decided again. Returns how many
    items went."""
    with store.transaction():
        members = [(s.item.source, s.item.id) for source in sources for s in store.items(source)]
        for item_id in item_ids:
            found = store.get_item(item_id)
            if found is not None:
                members.append((found.item.source, item_id))
        keys = store.forget(members)
        for source in sources:
            store.forget_source_records(source)
        relink_stories(store, keys)
    return len(members)


def _keep_identities(
    store: Store, source: str, collected: Collected
) -> tuple[dict[str, Item], dict[str, StoredItem]]:
    """Give re-issued items the id the store already keeps for them; the items, and what
    the store holds under their ids.

    An origin that changes an item's GUID or URL would otherwise make it look new. An id
    seen before as an alias maps straight to its item; an unknown id is matched against
    this source's stored items that the fetch no longer carries (same link, or same title
    and day, or same title and nearly the same summary). A match becomes an alias.
    """
    items = collected.items
    known = store.get_items(source, items)
    aliases = store.aliases(source, [i for i in items if i not in known])
    if aliases:  # what the store holds under the ids they map to
        known.update(store.get_items(source, sorted(set(aliases.values()) - set(known))))
    unknown = [i for i in items if i not in known and i not in aliases]
    keys_of = collected.keys
    wanted = {key for i in unknown for key in keys_of.get(i) or story_keys(items[i])}
    candidates = store.same_source_candidates(source, wanted) if wanted else []
    holders: dict[str, list[StoredItem]] = {}
    for candidate in candidates:
        for key in story_keys(candidate.item):
            holders.setdefault(key, []).append(candidate)
    out: dict[str, Item] = {}
    for item_id, item in items.items():
        target = item_id if item_id in known else aliases.get(item_id)
        if target is None:
            for candidate in _sharing(holders, keys_of.get(item_id) or story_keys(item)):
                other = candidate.item.id
                if other not in items and other not in out and same_item(item, candidate.item):
                    target = other
                    known[other] = candidate
                    store.add_alias(source, item_id, other)
                    collected.notes.add("reissued-id")
                    log.debug("%s is %s re-issued", item_id, other)
                    break
        final = target or item_id
        if final in out:
            collected.notes.add("duplicate-in-fetch")
            continue
        if final != item_id:
            collected.reasons[final] = collected.reasons.pop(item_id, [])
            collected.hashes.pop(item_id, None)  # the id is hashed too: decide() re-hashes
            collected.data.pop(item_id, None)
            if item_id in keys_of:
                keys_of[final] = keys_of.pop(item_id)  # keys do not depend on the id
        out[final] = item if final == item_id else replace(item, id=final)
    return out, known


def _sharing(holders: Mapping[str, list[StoredItem]], keys: Iterable[str]) -> list[StoredItem]:
    """The stored items holding one of ``keys``, each once, in id order."""
    found = {s.item.id: s for key in keys for s in holders.get(key, ())}
    return [found[item_id] for item_id in sorted(found)]


def _finish(
    ctx: Context, state: SourceState, outcome: Outcome, tally: RunReport, records: RunRecords
) -> RunReport:
    """Add the next state and the run record of ``outcome`` (with the counts of ``tally``)
    to ``records``."""
    now = ctx.clock()
    following = next_state(state, outcome, now, Policy.of(ctx.settings.http), _rng)
    if following.retry_after and outcome.status == "failed":
        log.info("failed (%s); back off until %s", outcome.error, following.retry_after.isoformat())
    report = replace(
        tally,
        status="failed" if outcome.status == "gone" else outcome.status,
        finished=now,
        error=outcome.error,
        moved_to=outcome.moved_to,
    )
    records.states.append(following)
    records.runs.append(report)
    return report


def run_sources(
    ctx: Context,
    configs: Sequence[SourceConfig],
    *,
    force: bool = False,
    on_done: Callable[[RunReport], None] | None = None,
    stop: threading.Event | None = None,
) -> list[RunReport]:
    """Run several sources: workers fetch and prepare them (a worker is given a source
    whose host can take a request now), and this thread stores each result as it comes,
    one transaction per source. Reports come back in config order.

    Once ``stop`` is set no further source is started; those in hand finish and are
    stored, and the reports leave out the sources that did not run.

    Raises:
        StoreError: the store cannot be written.
    """
    reports: dict[str, RunReport] = {}
    with ctx.open_store() as store:
        states = store.states()
        validators = store.all_validators()
        ctx.http.robots.copies.update(store.robots_copies())
        started = ctx.clock()
        jobs: list[tuple[str, SourceConfig]] = []
        for config in configs:
            state = states.get(config.id) or SourceState(source=config.id)
            gated = _gated(config, state, started, force)
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

        if ctx.http.robots.fresh:
            with store.transaction():
                store.put_robots(ctx.http.robots.fresh)
            ctx.http.robots.fresh.clear()  # stored: a service's next run does not write them again
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
                    state = states.get(config.id) or SourceState(source=config.id)
                    documents = fetch_documents(ctx, config, state, validators.get(config.id, {}))
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
            except BaseException:
                dispatcher.close()  # the store failed: the workers take nothing more
                crew.join(reraise=False)
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
