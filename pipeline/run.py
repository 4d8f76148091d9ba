"""Running sources and publishing: the stages of the pipeline, each behind one boundary.

``run_source`` does fetch → parse → normalise → classify → decide → store for one source
inside one error boundary: whatever goes wrong is recorded on the source's state row and
in the run history, and never reaches the other sources. ``run_sources`` runs several in
a bounded thread pool. ``publish`` renders every output from the store and writes it.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tdlc_syndication.config.loader import load_overrides
from tdlc_syndication.config.models import Settings, SourceConfig
from tdlc_syndication.outputs import default_publishers
from tdlc_syndication.outputs.base import StoreView
from tdlc_syndication.outputs.lint import Problem, is_feed, lint_files
from tdlc_syndication.outputs.websub import ping_hub
from tdlc_syndication.outputs.write import write_files
from tdlc_syndication.pipeline.classify import Classifier
from tdlc_syndication.pipeline.dedupe import decide, same_item, story_keys
from tdlc_syndication.pipeline.errors import (
    FetchError,
    InvalidItem,
    NotModified,
    PublishError,
    SourceError,
    SourceGone,
)
from tdlc_syndication.pipeline.http import Http
from tdlc_syndication.pipeline.model import Item, Retraction, RunRecord, SourceState
from tdlc_syndication.pipeline.normalise import Notes, Rules, normalise
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.sources.base import FetchState
from tdlc_syndication.sources.registry import build_source

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, aware UTC."""
    return datetime.now(UTC)


@dataclass(slots=True)
class Context:
    """Every dependency of a run: settings, HTTP client, clock and the store's location."""

    settings: Settings
    http: Http
    clock: Clock = system_clock
    database: Path | None = None

    @classmethod
    def create(cls, settings: Settings, clock: Clock = system_clock) -> Context:
        """Build a context with a fresh HTTP client."""
        return cls(settings=settings, http=Http(settings.http, clock), clock=clock)

    def open_store(self) -> Store:
        """Open a connection to the store (one per thread)."""
        return Store(self.database or self.settings.site.database)

    def rules(self) -> Rules:
        """Normalisation rules from the settings."""
        cfg = self.settings.normalise
        return Rules(
            summary_length=cfg.summary_length,
            https_hosts=frozenset(cfg.https_hosts),
            strip_params=frozenset(cfg.strip_params),
            embed_hosts=frozenset(cfg.embed_hosts),
            default_language=self.settings.site.language,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class RunReport:
    """The outcome of one source run.

    ``status`` is one of ``ok``, ``not_modified``, ``failed``, ``postponed`` (a back-off or
    Retry-After is in force), ``retired`` (410 Gone earlier) or ``disabled``.
    """

    source: str
    status: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    dropped: int = 0
    retracted: int = 0
    notes: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    moved_to: str | None = None

    @property
    def failed(self) -> bool:
        """True when the run failed."""
        return self.status == "failed"


def run_source(
    ctx: Context, config: SourceConfig, store: Store, *, force: bool = False
) -> RunReport:
    """Fetch, parse, normalise, classify and store one source. Never raises for source errors.

    Args:
        ctx: the run's dependencies.
        config: the source to run.
        store: an open store (the caller's thread owns it).
        force: run even when a back-off or Retry-After says to wait.
    """
    started = ctx.clock()
    state = store.state(config.id)
    if not config.enabled:
        return RunReport(source=config.id, status="disabled")
    if state.status == "gone" and not force:
        return RunReport(source=config.id, status="retired", error=state.last_error)
    if state.retry_after and state.retry_after > started and not force:
        return RunReport(
            source=config.id,
            status="postponed",
            error=f"waiting until {state.retry_after.isoformat()}",
        )
    try:
        return _run(ctx, config, store, state, started)
    except NotModified:
        return _record(
            ctx, store, state, started, RunReport(source=config.id, status="not_modified")
        )
    except SourceError as exc:
        return _fail(ctx, store, state, started, exc)
    except Exception as exc:  # the boundary: one source's bug must not stop the others
        log.exception("unexpected error in source %s", config.id)
        wrapped = SourceError(config.id, f"unexpected error: {type(exc).__name__}: {exc}")
        return _fail(ctx, store, state, started, wrapped)


def _run(
    ctx: Context, config: SourceConfig, store: Store, state: SourceState, started: datetime
) -> RunReport:
    source = build_source(config, ctx.http, ctx.clock)
    configured = getattr(config, "url", None)
    moved = state.url if state.url and state.moved_from == configured else None
    fetch_state = FetchState(validators=store.validators(config.id), url=moved, cursor=state.cursor)
    drafts: list[Item] = []
    retractions: list[Retraction] = []
    pages = []
    moved_to = None
    cursor = state.cursor
    for fetched in source.fetch(fetch_state):
        pages.append(fetched)
        moved_to = moved_to or fetched.moved_to
        cursor = fetched.cursor if fetched.cursor is not None else cursor
        for parsed in source.parse(fetched):
            if isinstance(parsed, Retraction):
                retractions.append(parsed)
            else:
                drafts.append(parsed)
    classifier = Classifier(ctx.settings.taxonomy)
    rules = ctx.rules()
    notes = Notes()
    now = ctx.clock()
    items: dict[str, Item] = {}
    reasons: dict[str, list[list[str]]] = {}
    for draft in drafts[: config.max_items]:
        try:
            clean = normalise(draft, rules, now, notes)
        except InvalidItem as exc:
            notes.add(exc.reason)
            continue
        if clean.id in items:
            notes.add("duplicate-in-fetch")
            continue
        items[clean.id] = classifier.classify(clean, config)
        reasons[clean.id] = [[r.facet, r.term, r.rule] for r in classifier.explain(clean, config)]
    dropped = sum(v for k, v in notes.counts.items() if k.startswith("no-"))
    counts: Counter[str] = Counter()
    with store.transaction():
        items = _keep_identities(store, config.id, items, reasons, notes)
        stored = store.get_items(config.id, items)
        relink: set[str] = set()
        unchanged_ids = []
        for item in items.values():
            old = stored.get(item.id)
            decision = decide(item, old, now)
            counts[decision.status] += 1
            if decision.status == "unchanged":
                unchanged_ids.append(item.id)
                continue
            store.put_item(decision.stored, reasons.get(item.id))
            relink.update(story_keys(item))
            if old is not None:
                relink.update(story_keys(old.item))
        store.touch_items(config.id, unchanged_ids, now)
        store.relink_duplicates(relink)
        for retraction in retractions:
            if retraction.id not in items and store.retract(
                config.id, retraction.id, retraction.reason
            ):
                counts["retracted"] += 1
        for page in pages:
            store.put_validators(config.id, page.location, page.validators)
        report = RunReport(
            source=config.id,
            status="ok",
            new=counts["new"],
            changed=counts["changed"],
            unchanged=counts["unchanged"],
            dropped=dropped,
            retracted=counts["retracted"],
            notes=dict(notes.counts),
            moved_to=moved_to,
        )
        if moved_to:
            moved, moved_from = moved_to, configured
        else:
            moved_from = configured if moved else None
        kept = SourceState(source=config.id, url=moved, moved_from=moved_from, cursor=cursor)
        return _record(ctx, store, kept, started, report)


def _keep_identities(
    store: Store,
    source: str,
    items: dict[str, Item],
    reasons: dict[str, list[list[str]]],
    notes: Notes,
) -> dict[str, Item]:
    """Give re-issued items the id the store already keeps for them.

    An origin that changes an item's GUID or URL would otherwise make it look new. An id
    seen before as an alias maps straight to its item; an unknown id is matched against
    this source's stored items that the fetch no longer carries (same link, or same title
    and day, or same title and nearly the same summary). A match becomes an alias.
    """
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
                    notes.add("reissued-id")
                    break
        final = target or item_id
        if final in out:
            notes.add("duplicate-in-fetch")
            continue
        if final != item_id:
            reasons[final] = reasons.pop(item_id, [])
        out[final] = item if final == item_id else item.with_changes(id=final)
    return out


def _record(
    ctx: Context, store: Store, state: SourceState, started: datetime, report: RunReport
) -> RunReport:
    now = ctx.clock()
    with store.transaction():
        store.put_state(
            SourceState(
                source=report.source,
                status="ok",
                url=state.url,
                moved_from=state.moved_from,
                last_attempt=now,
                last_success=now,
                last_error=None,
                consecutive_failures=0,
                retry_after=None,
                cursor=state.cursor,
            )
        )
        store.add_run(
            RunRecord(
                source=report.source,
                started=started,
                finished=now,
                status=report.status,
                new=report.new,
                changed=report.changed,
                unchanged=report.unchanged,
                dropped=report.dropped,
                notes=report.notes or None,
            )
        )
    return report


def _fail(
    ctx: Context, store: Store, state: SourceState, started: datetime, exc: SourceError
) -> RunReport:
    now = ctx.clock()
    cfg = ctx.settings.http
    failures = state.consecutive_failures + 1
    if isinstance(exc, SourceGone):
        status, retry = "gone", None
    else:
        status = "stale" if failures >= cfg.stale_after else "failing"
        retry = exc.retry_after if isinstance(exc, FetchError) else None
        if retry is None:
            delay = min(cfg.backoff_base * 2 ** (failures - 1), cfg.backoff_max)
            retry = now + timedelta(seconds=delay * random.uniform(0.8, 1.2))
    with store.transaction():
        store.put_state(
            SourceState(
                source=state.source,
                status=status,
                url=state.url,
                moved_from=state.moved_from,
                last_attempt=now,
                last_success=state.last_success,
                last_error=exc.message,
                consecutive_failures=failures,
                retry_after=retry,
                cursor=state.cursor,
            )
        )
        store.add_run(
            RunRecord(
                source=state.source, started=started, finished=now, status="failed",
                error=exc.message,
            )
        )  # fmt: skip
    return RunReport(source=state.source, status="failed", error=exc.message)


def run_sources(
    ctx: Context,
    configs: Sequence[SourceConfig],
    *,
    force: bool = False,
    on_done: Callable[[RunReport], None] | None = None,
) -> list[RunReport]:
    """Run several sources in a bounded thread pool; reports come back in config order."""

    def one(config: SourceConfig) -> RunReport:
        with ctx.open_store() as store:
            return run_source(ctx, config, store, force=force)

    # Create and migrate the store once before the workers open their own connections.
    ctx.open_store().close()
    reports: dict[str, RunReport] = {}
    workers = max(1, min(ctx.settings.http.workers, len(configs)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
        futures = {pool.submit(one, cfg): cfg for cfg in configs}
        for future in as_completed(futures):
            report = future.result()
            reports[report.source] = report
            if on_done:
                on_done(report)
    return [reports[c.id] for c in configs]


@dataclass(slots=True)
class PublishReport:
    """What ``publish`` did: files written and left alone, feeds refused by lint (their old
    file kept), and the WebSub pings."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)
    pinged: list[str] = field(default_factory=list)
    ping_failures: dict[str, str] = field(default_factory=dict)


def render_all(ctx: Context, store: Store) -> tuple[StoreView, dict[str, bytes]]:
    """Render every output from the store, without writing anything.

    Raises:
        PublishError: two publishers claim the same path.
        ConfigError: the editors' overrides file is invalid.
    """
    view = StoreView(store, ctx.settings, load_overrides(ctx.settings))
    files: dict[str, bytes] = {}
    for publisher in default_publishers(ctx.settings):
        for path, data in publisher.render(view, ctx.clock()).items():
            if path in files:
                raise PublishError(f"two outputs want to write {path}")
            files[path] = data
    return view, files


def publish(ctx: Context, store: Store) -> PublishReport:
    """Render every output, lint the feeds, write what changed, and ping the WebSub hub.

    A feed that fails lint is not written: the published file stays as it was, and the
    problems are reported.

    Raises:
        PublishError: an output cannot be rendered or written.
    """
    site = ctx.settings.site
    view, files = render_all(ctx, store)
    problems = lint_files(files, view.url, site.max_feed_bytes)
    refused = {p.path for p in problems}
    written = write_files(site.output_dir, {k: v for k, v in files.items() if k not in refused})
    store.record_publications(written.hashes, ctx.clock())
    report = PublishReport(written=written.written, unchanged=written.unchanged, refused=problems)
    if site.websub_hub:
        changed = [
            view.url(path)
            for path in written.written
            if is_feed(path) and not path.startswith("feeds/archive/")
        ]
        if changed:
            pings = ping_hub(site.websub_hub, changed, ctx.http.user_agent)
            report.pinged, report.ping_failures = pings.accepted, pings.failed
    return report
