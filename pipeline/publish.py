"""Publishing: the outputs brought in line with the store, in proportion to what changed.

::

    publish(ctx, store)
        index     bring the published index up to date from the change log
                  (everything again when the settings that shape outputs changed)
        plan      each publisher lists the files of what changed, with fingerprints
        render    only files whose fingerprint differs from the one recorded
        lint      a feed that fails keeps its published file
        write     atomically, only changed bytes; files of vanished feeds are deleted
        ping      the WebSub hub, for the subscription feeds that changed

What a publish has to do is kept in the store until it is done, so a publish that is
interrupted is finished by the next one. Rendering is pure (no clock, no network; the
same store gives the same bytes); ``outputs.write`` is the only writer.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import time
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tdlc_syndication.config.errors import ConfigError
from tdlc_syndication.config.loader import load_overrides
from tdlc_syndication.config.models import Settings
from tdlc_syndication.outputs import default_publishers
from tdlc_syndication.outputs.base import Output
from tdlc_syndication.outputs.index import Changes, update_index
from tdlc_syndication.outputs.lint import Problem
from tdlc_syndication.outputs.view import StoreView
from tdlc_syndication.outputs.websub import ping_hub
from tdlc_syndication.outputs.write import Batch, delete_file, remove_leftovers
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.errors import PublishError, SyndicationError
from tdlc_syndication.pipeline.guards import keep_ids, refuse_empty_store
from tdlc_syndication.pipeline.overview import PINGS_KEY
from tdlc_syndication.pipeline.published import OutputRow
from tdlc_syndication.pipeline.quick import (
    EXPIRES_KEY,
    INPUTS_KEY,
    expired,
    missing_outputs,
    recorded_inputs,
    render_version,
)
from tdlc_syndication.pipeline.rendering import (
    Rendered,
    RenderPool,
    render_checked,
    render_processes,
    replay_logs,
)
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.pipeline.timestamps import iso

log = logging.getLogger(__name__)
RECORD_EVERY = 200  # published files recorded per transaction
IN_FLIGHT = 32  # outputs handed to the render workers ahead of the one being written


@dataclass(slots=True)
class PublishReport:
    """What ``publish`` did: files written, left alone (same bytes, or not rendered because
    nothing they show changed) and deleted, feeds refused by lint (their old file kept),
    entries left out of a written file because they failed lint (``degraded``), and the
    WebSub pings: those made, those that failed, and the feed URLs still owed to the hub
    (asked again at the next publish)."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)
    degraded: list[Problem] = field(default_factory=list)  # entries left out, file written
    rendered: int = 0
    pinged: list[str] = field(default_factory=list)
    ping_failures: dict[str, str] = field(default_factory=dict)
    pings_owed: list[str] = field(default_factory=list)


def publish_recorded(
    ctx: Context,
    store: Store,
    *,
    allow_empty: bool = False,
    inputs: str | None = None,
    new_ids: bool = False,
) -> PublishReport:
    """Publish and remember how it ended (``status`` and ``health`` report a failed publish,
    or one whose lint refused a file, until the next one works). ``inputs`` and
    ``new_ids`` as for :func:`publish`.

    Raises:
        PublishError: an output cannot be rendered or written (recorded first).
        ConfigError: the editors' overrides file is invalid (recorded first).
    """
    from tdlc_syndication.pipeline.overview import record_publish

    started = time.monotonic()
    try:
        report = publish(ctx, store, allow_empty=allow_empty, inputs=inputs, new_ids=new_ids)
    except (SyndicationError, ConfigError) as exc:
        with contextlib.suppress(SyndicationError):  # a store that cannot be written
            error = str(exc).splitlines()[0]
            seconds = time.monotonic() - started
            record_publish(store, ctx.clock(), ok=False, error=error, seconds=seconds)
        raise
    refused = (
        f"lint refused {len(report.refused)} file(s), their old copies stay: {report.refused[0]}"
        if report.refused
        else None
    )
    seconds, written = time.monotonic() - started, len(report.written)
    record_publish(
        store, ctx.clock(), ok=refused is None, error=refused, seconds=seconds, written=written
    )
    return report


def settings_fingerprint(settings: Settings) -> str:
    """A hash of the settings that shape the outputs (a change rebuilds everything)."""
    blob = json.dumps([render_version(), settings.shaping()], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


def prepare(
    ctx: Context,
    store: Store,
    *,
    rebuild: bool = False,
    pool: RenderPool | None = None,
    fingerprint: str | None = None,
) -> tuple[StoreView, Changes]:
    """Bring the published index up to date and return what the publish must look at
    (including what an interrupted publish left to do); ``pool`` computes the index rows.

    Raises:
        ConfigError: the editors' overrides file is invalid.
    """
    view = StoreView(store, ctx.settings, load_overrides(ctx.settings), now=ctx.clock())
    fingerprint = fingerprint or settings_fingerprint(ctx.settings)
    with store.transaction():
        rebuild = _reindexes(store, fingerprint, rebuild)
        changes, gen = update_index(store, view, rebuild, pool.entry_rows(view) if pool else None)
        pending = Changes.from_json(store.publish_value("pending"))
        pending.merge(changes)
        if not store.has_outputs():
            pending.full = True  # the first publish into this store
        store.set_publish_value("pending", pending.to_json())
        store.set_publish_value("gen", str(gen))
        store.set_publish_value("settings", fingerprint)
        store.set_publish_value(INPUTS_KEY, "")  # recorded again when this one ends well
        store.forget_changes(gen)
    return view, pending


def publish(
    ctx: Context,
    store: Store,
    *,
    rebuild: bool = False,
    allow_empty: bool = False,
    inputs: str | None = None,
    new_ids: bool = False,
) -> PublishReport:
    """Bring the output folder in line with the store; see the module docstring.

    Args:
        ctx: the run's dependencies.
        store: an open store.
        rebuild: index and render everything, whatever the records say.
        allow_empty: publish from a store without items over published feeds.
        inputs: the stamp of the files this publish reads (``quick.inputs_stamp``),
            recorded when it ends with nothing left to do, so that the next publish from
            the same files can tell it has nothing to do without loading the settings.
        new_ids: publish though the settings give the feeds and entries other ids than
            the published ones (see :func:`~tdlc_syndication.pipeline.guards.keep_ids`).

    Raises:
        PublishError: an output cannot be rendered or written, the store holds no item
            while the output folder holds published feeds (unless ``allow_empty``), or
            the ids would change (unless ``new_ids``).
        ConfigError: the editors' overrides file is invalid.
    """
    started = time.monotonic()
    site = ctx.settings.site
    if not allow_empty:
        refuse_empty_store(store, site.output_dir)
    keep_ids(store, ctx.settings, new_ids=new_ids)
    fingerprint = settings_fingerprint(ctx.settings)
    missing = missing_outputs(store, site.output_dir)
    # Started first: it loads while we index.
    pool = _render_pool(ctx, store, fingerprint, rebuild, whole=bool(missing))
    try:
        return _publish(
            ctx,
            store,
            pool,
            fingerprint,
            rebuild=rebuild,
            inputs=inputs,
            missing=missing,
            started=started,
        )
    finally:
        if pool is not None:
            pool.close()


def _publish(
    ctx: Context,
    store: Store,
    pool: RenderPool | None,
    settings_fp: str,
    *,
    rebuild: bool,
    inputs: str | None,
    missing: list[str],
    started: float,
) -> PublishReport:
    """:func:`publish` once its pool started (``started``: its ``time.monotonic()``)."""
    site = ctx.settings.site
    view, changes = prepare(ctx, store, rebuild=rebuild, pool=pool, fingerprint=settings_fp)
    if missing:  # every file is planned; those in place count as unchanged
        log.info("%d published files are missing (%s...): put back", len(missing), missing[0])
        changes.full = True
    if not changes.any and expired(store, ctx.clock()):
        changes.expired = True  # an event started or ended: the files that list it change
    report = PublishReport()
    if store.publish_value("running") == "1" or not changes.any:
        for leftover in remove_leftovers(site.output_dir):
            log.info("removed %s, left by an interrupted publish", leftover)
    if not changes.any:
        log.debug("nothing changed since the last publish")
        _ping_and_record(ctx, store, report, inputs, [], retried=False)
        return report
    with store.transaction():
        store.set_publish_value("running", "1")
    # What was published before: all of it on a full publish, else that of the owners
    # planned (a planned owner's file that is not produced again is stale), and the
    # files of owners planned in part that may have to go (``Plan.partly``).
    recorded = store.outputs() if changes.full else {}
    produced: set[str] = set()
    owners: set[str] = set()
    may_go: set[str] = set()
    batch = Batch(site.output_dir)
    pending: list[OutputRow] = []
    pings: list[str] = []
    expiries: list[datetime] = []
    retry = Changes()  # refused outputs are tried again by the next publish
    if pool is not None:
        pool.begin(view, changes, settings_fp)
    in_flight: deque[tuple[Output, Future[Rendered]]] = deque()

    def accept(output: Output, rendered: Rendered) -> None:
        replay_logs(rendered)
        row = _accept(output, rendered, batch, report)
        if rendered.refused:
            retry.feeds.add(output.owner)
            if output.path.startswith("feeds/archive/"):
                number = int(output.path.rsplit("/", 1)[1].split(".")[0])
                retry.pages.setdefault(output.owner, set()).add(number)
        if row is not None:
            pending.append(row)
            if output.subscription and output.path in report.written:
                pings.append(view.url(output.path))
        if len(pending) >= RECORD_EVERY:
            _commit(store, batch, pending, ctx.clock())

    try:
        for publisher in default_publishers(ctx.settings):
            plan = publisher.plan(view, changes, settings_fp)
            if plan.expires is not None:
                expiries.append(plan.expires)
            if not changes.full:
                recorded.update(store.outputs(plan.owners - owners))
                named = [path for listed in plan.partly.values() for path in listed]
                recorded.update(store.outputs_at(named))
                may_go.update(named)
            owners |= plan.owners
            for output in plan.outputs:
                if output.path in produced:
                    raise PublishError(f"two outputs want to write {output.path}")
                produced.add(output.path)
                before = recorded.get(output.path)
                if before is None and output.owner in plan.partly:
                    before = store.output(output.path)
                if not _needs_render(output, before, site.output_dir, report):
                    continue
                if pool is None or pool.broken:
                    accept(output, render_checked(view, output))
                    continue
                in_flight.append((output, pool.submit(output.path)))
                while len(in_flight) > IN_FLIGHT:
                    done, future = in_flight.popleft()
                    accept(done, pool.rendered(future, view, done))
        while in_flight and pool is not None:
            done, future = in_flight.popleft()
            accept(done, pool.rendered(future, view, done))
        _commit(store, batch, pending, ctx.clock())
    except BaseException:
        batch.abort()
        raise
    stale = [
        path
        for path, row in recorded.items()
        if path not in produced and (changes.full or row.owner in owners or path in may_go)
    ]
    for path in stale:
        if delete_file(site.output_dir, path):
            report.deleted.append(path)
    with store.transaction():
        store.drop_outputs(stale)
        store.set_publish_value("pending", retry.to_json())
        store.set_publish_value("running", "0")
        store.set_publish_value(EXPIRES_KEY, iso(min(expiries, default=None)) or "")
    log.info(
        "published: %d rendered, %d written, %d unchanged, %d deleted in %.2f s",
        report.rendered,
        len(report.written),
        len(report.unchanged),
        len(report.deleted),
        time.monotonic() - started,
    )
    _ping_and_record(ctx, store, report, inputs, pings, retried=retry.any)
    return report


def _ping(ctx: Context, store: Store, report: PublishReport, written: list[str]) -> list[str]:
    """Tell the WebSub hub of the feeds this publish wrote and of those an earlier
    publish could not tell it of (the hub was down: its subscribers would not hear of
    those feeds' changes until they changed again); the ones to ask again (none without
    a hub: owed to nobody once it is taken out of the settings)."""
    hub = ctx.settings.site.websub_hub
    owed = json.loads(store.publish_value(PINGS_KEY) or "[]") if hub else []
    urls = list(dict.fromkeys([*owed, *written]))
    if not hub or not urls:
        return []
    result = ping_hub(hub, urls, ctx.http.user_agent)
    report.pinged, report.ping_failures = result.accepted, result.failed
    return result.again


def _ping_and_record(
    ctx: Context,
    store: Store,
    report: PublishReport,
    inputs: str | None,
    written: list[str],
    *,
    retried: bool,
) -> None:
    """Ping the hub (see :func:`_ping`) and record how a publish ended: the pings still
    owed, and its inputs when it leaves nothing to do (see ``quick``); none while files
    were refused or pings are owed, so that the next publish runs."""
    report.pings_owed = owed = _ping(ctx, store, report, written)
    with store.transaction():
        store.set_publish_value(PINGS_KEY, json.dumps(owed) if owed else "")
        done = "" if retried or owed else recorded_inputs(store, inputs)
        store.set_publish_value(INPUTS_KEY, done)


def _reindexes(store: Store, fingerprint: str, rebuild: bool) -> bool:
    """Whether the index is built again from every item: asked for, or the settings that
    shape outputs changed since the last publish."""
    return rebuild or store.publish_value("settings") != fingerprint


def _render_pool(
    ctx: Context, store: Store, fingerprint: str, rebuild: bool, whole: bool
) -> RenderPool | None:
    """Worker processes when this publish renders everything (``whole``, or what
    :func:`prepare` will find: the index rebuilt, the first publish, or a whole-site
    publish left unfinished) from a large store; None to render here."""
    everything = (
        whole
        or _reindexes(store, fingerprint, rebuild)
        or not store.has_outputs()
        or Changes.from_json(store.publish_value("pending")).full
    )
    if not everything:
        return None
    processes = render_processes(ctx.settings, sum(store.count_items().values()))
    return RenderPool(ctx.settings, Path(store.path), processes) if processes > 1 else None


def _needs_render(
    output: Output, recorded: OutputRow | None, root: Path, report: PublishReport
) -> bool:
    """False when the published file stays: the output says so, or what it shows has the
    fingerprint recorded for the file (then it counts as unchanged)."""
    if output.render is None or output.fingerprint is None:
        return False  # keep the published file
    if (
        recorded is not None
        and recorded.fingerprint == output.fingerprint
        and (root / output.path).is_file()
    ):
        report.unchanged.append(output.path)
        return False
    return True


def _accept(
    output: Output, rendered: Rendered, batch: Batch, report: PublishReport
) -> OutputRow | None:
    """Stage a rendered output's file and report it; the row to record (None when lint
    refused the file: the published one stays)."""
    report.rendered += 1
    report.degraded.extend(Problem(output.path, p) for p in rendered.degraded)
    report.refused.extend(Problem(output.path, p) for p in rendered.refused)
    if rendered.data is None:
        return None
    if batch.write(output.path, rendered.data):
        report.written.append(output.path)
    else:
        report.unchanged.append(output.path)
    assert output.fingerprint is not None
    return OutputRow(
        output.path, output.owner, output.fingerprint, hashlib.sha256(rendered.data).hexdigest()
    )


def publish_some(view: StoreView, store: Store, outputs: Iterable[Output]) -> PublishReport:
    """Write and record some planned outputs outside a publish (what a new digest issue
    changes), as a publish does: each only when what it shows changed or its file is
    missing, feeds through lint, all put in place together.

    Raises:
        PublishError: a file cannot be written.
    """
    planned = list(outputs)
    root = view.settings.site.output_dir
    recorded = store.outputs({output.owner for output in planned})
    report = PublishReport()
    batch = Batch(root)
    rows: list[OutputRow] = []
    try:
        for output in planned:
            if _needs_render(output, recorded.get(output.path), root, report):
                row = _accept(output, render_checked(view, output), batch, report)
                if row is not None:
                    rows.append(row)
        _commit(store, batch, rows, view.today())
    except BaseException:
        batch.abort()
        raise
    return report


def _commit(store: Store, batch: Batch, rows: list[OutputRow], when: datetime) -> None:
    """Put the staged files in place, then record them as published."""
    batch.commit()
    if not rows:
        return
    with store.transaction():
        for row in rows:
            store.record_output(row, when)
    rows.clear()


def render_all(ctx: Context, store: Store) -> tuple[StoreView, dict[str, bytes]]:
    """Render every output from the store into memory, writing no file (for checks and
    tests; it brings the published index up to date).

    Raises:
        PublishError: two publishers claim the same path.
        ConfigError: the editors' overrides file is invalid.
    """
    settings_fp = settings_fingerprint(ctx.settings)
    view, _ = prepare(ctx, store, fingerprint=settings_fp)
    files: dict[str, bytes] = {}
    for publisher in default_publishers(ctx.settings):
        for output in publisher.plan(view, Changes(full=True), settings_fp).outputs:
            if output.path in files:
                raise PublishError(f"two outputs want to write {output.path}")
            if output.render is not None:
                files[output.path] = output.render()
    return view, files
