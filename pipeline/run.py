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
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime

from tdlc_syndication.config.sources import SourceConfig
from tdlc_syndication.pipeline.classify import Classifier, Reason
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.dedupe import canonical_links, decide, same_item
from tdlc_syndication.pipeline.dispatch import Dispatcher
from tdlc_syndication.pipeline.errors import (
    FetchError,
    InvalidItem,
    NotModified,
    SourceError,
    SourceGone,
)
from tdlc_syndication.pipeline.http import Validators, origin_of
from tdlc_syndication.pipeline.logs import source_context
from tdlc_syndication.pipeline.model import (
    Item,
    Retraction,
    RunReport,
    Skipped,
    SourceState,
    story_keys,
)
from tdlc_syndication.pipeline.normalise import Notes, normalise
from tdlc_syndication.pipeline.state import Outcome, Policy, gate, moved_location, next_state
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.sources.base import FetchState
from tdlc_syndication.sources.registry import build_source

log = logging.getLogger(__name__)
_rng = random.Random()


@dataclass(slots=True)
class Collected:
    """What one source's documents gave, ready to be decided and stored."""

    items: dict[str, Item] = field(default_factory=dict)
    reasons: dict[str, list[list[str]]] = field(default_factory=dict)
    retractions: list[Retraction] = field(default_factory=list)
    validators: dict[str, Validators] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    notes: Notes = field(default_factory=Notes)
    moved_to: str | None = None
    cursor: str | None = None


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
    configured = getattr(config, "url", None)
    try:
        return _collect(ctx, config, state, validators, classifier)
    except NotModified:
        log.debug("not modified")
        return Outcome(status="not_modified")
    except SourceError as exc:
        return _failure(exc, configured)
    except Exception as exc:  # the boundary: one source's bug must not stop the others
        log.exception("unexpected error")
        return Outcome(status="failed", error=f"unexpected error: {type(exc).__name__}: {exc}")


def keep(
    ctx: Context,
    config: SourceConfig,
    store: Store,
    state: SourceState,
    result: Collected | Outcome,
    started: datetime,
) -> RunReport:
    """Store what a source gave (or record why it gave nothing): the writer's half of a
    run, one transaction.

    Raises:
        StoreError: the store cannot be written.
    """
    if isinstance(result, Collected):
        return _keep(ctx, config, store, state, result, started)
    blank = RunReport(source=config.id, status="failed", started=started, finished=started)
    return _finish(ctx, store, state, result, blank)


def _failure(exc: SourceError, configured: str | None) -> Outcome:
    if isinstance(exc, SourceGone):
        return Outcome(status="gone", configured=configured, error=exc.message)
    retry = exc.retry_after if isinstance(exc, FetchError) else None
    return Outcome(status="failed", configured=configured, error=exc.message, retry_after=retry)


def _collect(
    ctx: Context,
    config: SourceConfig,
    state: SourceState,
    validators: Mapping[str, Validators],
    classifier: Classifier,
) -> Collected:
    """Fetch every document of the source, parse, normalise and classify (no writes)."""
    source = build_source(config, ctx.http, ctx.clock)
    configured = getattr(config, "url", None)
    fetch_state = FetchState(
        validators=validators,
        url=moved_location(state, configured),
        cursor=state.cursor,
    )
    out = Collected()
    drafts: list[Item] = []
    for fetched in source.fetch(fetch_state):
        out.moved_to = out.moved_to or fetched.moved_to
        out.cursor = fetched.cursor if fetched.cursor is not None else out.cursor
        out.validators[fetched.location] = fetched.validators
        out.skipped.extend(fetched.skipped)
        for parsed in source.parse(fetched):
            if isinstance(parsed, Retraction):
                out.retractions.append(parsed)
            else:
                drafts.append(parsed)
    for skip in out.skipped:
        log.info("skipped %s: %s", skip.url, skip.reason)
    rules = ctx.rules()
    now = ctx.clock()
    for draft in drafts[: config.max_items]:
        try:
            clean = normalise(draft, rules, now, out.notes)
        except InvalidItem as exc:
            log.debug("dropped %s: %s", draft.id, exc)
            out.notes.add(exc.reason)
            continue
        if clean.id in out.items:
            out.notes.add("duplicate-in-fetch")
            continue
        tagged, reasons = classifier.classify(clean, config)
        out.items[clean.id] = tagged
        out.reasons[clean.id] = _explanation(reasons)
    return out


def _explanation(reasons: Iterable[Reason]) -> list[list[str]]:
    return [[r.facet, r.term, r.rule] for r in reasons]


def _keep(
    ctx: Context,
    config: SourceConfig,
    store: Store,
    state: SourceState,
    collected: Collected,
    started: datetime,
) -> RunReport:
    """Decide each item against the store and write everything in one transaction."""
    now = ctx.clock()
    counts: Counter[str] = Counter()
    with store.transaction():
        items = _keep_identities(store, config.id, collected)
        stored = store.get_items(config.id, items)
        relink: set[str] = set()
        writes = []
        unchanged = []
        for item in items.values():
            old = stored.get(item.id)
            decision = decide(item, old, now)
            counts[decision.status] += 1
            log.debug("%s %s", decision.status, item.id)
            if decision.status == "unchanged":
                unchanged.append(item.id)
                continue
            writes.append((decision.stored, collected.reasons.get(item.id)))
            relink.update(story_keys(item))
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
        return _finish(ctx, store, state, outcome, tally)


def relink_stories(store: Store, keys: Iterable[str]) -> None:
    """Re-decide the canonical record of every story that shares one of ``keys``."""
    members = store.story_members(keys)
    if members:
        store.set_duplicates(canonical_links(members, store.members_of(members)))


def _keep_identities(store: Store, source: str, collected: Collected) -> dict[str, Item]:
    """Give re-issued items the id the store already keeps for them.

    An origin that changes an item's GUID or URL would otherwise make it look new. An id
    seen before as an alias maps straight to its item; an unknown id is matched against
    this source's stored items that the fetch no longer carries (same link, or same title
    and day, or same title and nearly the same summary). A match becomes an alias.
    """
    items = collected.items
    known = store.get_items(source, items)
    aliases = store.aliases(source, [i for i in items if i not in known])
    out: dict[str, Item] = {}
    for item_id, item in items.items():
        target = item_id if item_id in known else aliases.get(item_id)
        if target is None:
            for candidate in store.same_source_candidates(source, story_keys(item)):
                other = candidate.item.id
                if other not in items and other not in out and same_item(item, candidate.item):
                    target = other
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
        out[final] = item if final == item_id else replace(item, id=final)
    return out


def _finish(
    ctx: Context, store: Store, state: SourceState, outcome: Outcome, tally: RunReport
) -> RunReport:
    """Write the next state and the run record of ``outcome`` (with the counts of
    ``tally``), joining the caller's transaction."""
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
    with store.transaction():
        store.put_state(following)
        store.add_run(report)
    return report


def run_sources(
    ctx: Context,
    configs: Sequence[SourceConfig],
    *,
    force: bool = False,
    on_done: Callable[[RunReport], None] | None = None,
) -> list[RunReport]:
    """Run several sources: workers fetch and prepare them (a worker is given a source
    whose host can take a request now), and this thread stores each result as it comes,
    one transaction per source. Reports come back in config order.

    Raises:
        StoreError: the store cannot be written.
    """
    reports: dict[str, RunReport] = {}
    classifier = Classifier.of(ctx)
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
        dispatcher: Dispatcher[SourceConfig] = Dispatcher(jobs, hosts.ready_in, hosts.reserve)
        ctx.http.hosts.listen(dispatcher.wake)

        def work() -> None:
            while (config := dispatcher.take()) is not None:
                with source_context(config.id):
                    began = ctx.clock()
                    try:
                        state = states.get(config.id) or SourceState(source=config.id)
                        result = collect(
                            ctx, config, state, validators.get(config.id, {}), classifier
                        )
                    finally:
                        hosts.release_unused()
                        dispatcher.wake()
                results.put((config, result, began))

        results: queue.Queue[tuple[SourceConfig, Collected | Outcome, datetime]] = queue.Queue()
        workers = max(1, min(ctx.settings.http.workers, len(jobs)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
            futures = [pool.submit(work) for _ in range(workers)]
            for _ in range(len(jobs)):
                config, result, began = results.get()
                with source_context(config.id):
                    state = states.get(config.id) or SourceState(source=config.id)
                    report = keep(ctx, config, store, state, result, began)
                reports[config.id] = report
                if on_done:
                    on_done(report)
            for future in futures:
                future.result()
        if ctx.http.robots.fresh:
            with store.transaction():
                store.put_robots(ctx.http.robots.fresh)
    return [reports[c.id] for c in configs]


def _host_key(config: SourceConfig, state: SourceState) -> str:
    """The origin a source's first request goes to ('' for a local file)."""
    url = moved_location(state, getattr(config, "url", None)) or getattr(config, "url", None)
    return origin_of(url) if url else ""
