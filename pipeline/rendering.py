"""Rendering one output, here or in worker processes.

:func:`render_checked` renders a planned output and lints it (a feed entry that fails is
left out; a feed that still fails is refused). It is pure: the same store gives the same
result in any process.

A publish that renders the whole site (the first one, or after a change of the settings
that shape outputs) renders about as much as the rest of a cold run costs, on one core.
:class:`RenderPool` spreads it over worker processes. They first compute the rows of the
published index from the items (``index.entry_rows_of``); then each plans the same
outputs from the same published index (nothing the plans read changes while a publish
runs) and renders the paths it is given; the publishing process writes and records the
files in plan order, as it does when it renders them itself. Smaller publishes render in
the publishing process: starting processes would cost more than it saves.
"""

from __future__ import annotations

import logging
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import BrokenExecutor, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from tdlc_syndication.config.models import Settings
from tdlc_syndication.outputs import default_publishers
from tdlc_syndication.outputs.base import Output
from tdlc_syndication.outputs.fit import entry_positions
from tdlc_syndication.outputs.formats import feed_format, lint_document
from tdlc_syndication.outputs.index import Changes, RowsOf, entry_rows_of
from tdlc_syndication.outputs.view import StoreView
from tdlc_syndication.pipeline.context import pool_size
from tdlc_syndication.pipeline.processes import result_of, shut_down, worker_pool
from tdlc_syndication.pipeline.published import EntryRow
from tdlc_syndication.pipeline.store import Store

T = TypeVar("T")
log = logging.getLogger(__name__)

MIN_ITEMS = 2_000  # a full publish of a smaller store renders in the publishing process
ROWS_AHEAD = 8  # chunks of index rows asked for ahead of the one applied

_worker: _Worker | None = None


@dataclass(frozen=True, slots=True)
class Rendered:
    """One output rendered and linted: its bytes (None when lint refused the file), the
    problems of entries left out (``degraded``) or of the refused file (``refused``),
    and what rendering logged (logger name, level, message)."""

    data: bytes | None
    degraded: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    logs: tuple[tuple[str, int, str], ...] = ()


def render_checked(view: StoreView, output: Output) -> Rendered:
    """Render ``output`` and lint it if it is a feed; an entry that fails lint is left out
    (when the output can render without it), a feed that still fails is refused."""
    assert output.render is not None
    data = output.render()
    fmt = feed_format(output.path)
    if fmt is None:
        return Rendered(data)
    url, limit = view.url(output.path), view.settings.site.max_feed_bytes
    problems = lint_document(fmt, data, url, limit, view.kept_ids())
    if not problems:
        return Rendered(data)
    positions = entry_positions(problems)
    if positions and output.render_without is not None:
        trimmed = output.render_without(positions)
        if not lint_document(fmt, trimmed, url, limit, view.kept_ids()):
            return Rendered(trimmed, degraded=tuple(problems))
    return Rendered(None, refused=tuple(problems))


def render_processes(settings: Settings, items: int) -> int:
    """How many processes render a full publish of a store of ``items`` items (1: the
    publishing process alone); ``[run] processes`` when set."""
    return pool_size(settings.run.processes, items >= MIN_ITEMS)


class RenderPool:
    """Worker processes that render outputs of one publish by path. They start (and load
    the program) at once, while the publishing process brings the index up to date;
    :meth:`begin` then gives them what to plan.

    Args:
        settings: the run's settings.
        database: the store's path.
        processes: how many workers.
    """

    def __init__(self, settings: Settings, database: Path, processes: int) -> None:
        self._plan: bytes | None = None
        self.broken = False  # a worker ended abruptly: this process does the rest
        self._pool = worker_pool(settings, processes, _start_worker, settings, database)
        for _ in range(processes):
            self._pool.submit(_ready)

    def begin(self, view: StoreView, changes: Changes, settings_fp: str) -> None:
        """What the workers plan with: the view's overrides and clock, the changes and
        the settings fingerprint of this publish."""
        self._plan = pickle.dumps((dict(view.overrides), view.now, changes, settings_fp))

    def entry_rows(self, view: StoreView) -> RowsOf:
        """Index entry rows computed by the workers (with the view's overrides), a few
        chunks ahead of the one being applied."""
        blob = pickle.dumps(dict(view.overrides))

        def rows_of(chunks: Iterable[list[str]]) -> Iterator[dict[str, EntryRow | None]]:
            ahead: deque[tuple[list[str], Future[dict[str, EntryRow | None]]]] = deque()
            for chunk in chunks:
                ahead.append((chunk, self._submit(_rows_in_worker, blob, chunk)))
                if len(ahead) > ROWS_AHEAD:
                    yield self._rows(view, *ahead.popleft())
            while ahead:
                yield self._rows(view, *ahead.popleft())

        return rows_of

    def _rows(
        self, view: StoreView, ids: list[str], future: Future[dict[str, EntryRow | None]]
    ) -> dict[str, EntryRow | None]:
        try:
            return result_of(future, lambda: self._pool)
        except BrokenExecutor:  # BrokenProcessPool's base, named without multiprocessing
            self._lost()
            return entry_rows_of(view.store, view, ids)

    def submit(self, path: str) -> Future[Rendered]:
        """Render the planned output at ``path`` in a worker."""
        assert self._plan is not None, "begin() first"
        return self._submit(_render_in_worker, self._plan, path)

    def rendered(self, future: Future[Rendered], view: StoreView, output: Output) -> Rendered:
        """What a worker rendered, or this process's rendering when the workers are gone
        (a worker killed, out of memory perhaps: the publish goes on without them)."""
        try:
            return result_of(future, lambda: self._pool)
        except BrokenExecutor:
            self._lost()
            return render_checked(view, output)

    def _submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        try:
            return self._pool.submit(fn, *args)
        except BrokenExecutor as exc:
            failed: Future[T] = Future()
            failed.set_exception(exc)
            return failed

    def _lost(self) -> None:
        if not self.broken:
            self.broken = True
            log.warning(
                "a rendering process ended abruptly (killed, or out of memory?); "
                "this process renders the rest"
            )

    def close(self) -> None:
        """Stop the workers (work not yet started is cancelled)."""
        if self.broken:
            self._pool.shutdown(wait=False, cancel_futures=True)
        else:
            shut_down(self._pool)


def replay_logs(rendered: Rendered) -> None:
    """Log here what rendering logged in a worker."""
    for name, level, message in rendered.logs:
        logging.getLogger(name).log(level, "%s", message)


class _Kept(logging.Handler):
    """Keeps a worker's log records until the result they belong to is sent."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _start_worker(settings: Settings, database: Path) -> None:
    """Load the program and open the store; the plan comes with the first output."""
    global _worker
    kept = _Kept()
    logging.getLogger().handlers[:] = [kept]
    _worker = _Worker(settings, Store(database), kept)


@dataclass(slots=True)
class _Worker:
    """A worker's store, and its place in the plan of the publish under way.

    The publishing process hands out paths in plan order, so each worker's paths come in
    that order too: the worker walks its own plan forward to each (planning a publisher
    when it gets there) and keeps nothing behind, so memory does not grow with the
    archive."""

    settings: Settings
    store: Store
    kept: _Kept
    plan: bytes = b""
    view: StoreView | None = None
    ahead: Iterator[Output] = field(default_factory=lambda: iter(()))
    rows_overrides: bytes = b""
    rows_view: StoreView | None = None

    def output(self, plan: bytes, path: str) -> tuple[StoreView, Output]:
        """The planned output at ``path`` (planning first when the plan is new)."""
        if plan != self.plan or self.view is None:
            self._restart(plan)
        found = next((o for o in self.ahead if o.path == path), None)
        if found is None:  # behind this worker's place: walk the plan again from its start
            self._restart(plan)
            found = next((o for o in self.ahead if o.path == path), None)
        if found is None or self.view is None:
            raise KeyError(f"{path} is not in this publish's plan")
        return self.view, found

    def _restart(self, plan: bytes) -> None:
        overrides, now, changes, settings_fp = pickle.loads(plan)
        view = StoreView(self.store, self.settings, overrides, now=now)
        publishers = default_publishers(self.settings)
        self.view, self.plan = view, plan
        self.ahead = (
            output
            for publisher in publishers
            for output in publisher.plan(view, changes, settings_fp).outputs
        )


def _rows_in_worker(overrides: bytes, ids: list[str]) -> dict[str, EntryRow | None]:
    assert _worker is not None, "the pool initializer did not run"
    if overrides != _worker.rows_overrides or _worker.rows_view is None:
        _worker.rows_view = StoreView(_worker.store, _worker.settings, pickle.loads(overrides))
        _worker.rows_overrides = overrides
    return entry_rows_of(_worker.store, _worker.rows_view, ids)


def _ready() -> None:
    """A first task, so that every worker starts at once."""


def _render_in_worker(plan: bytes, path: str) -> Rendered:
    assert _worker is not None, "the pool initializer did not run"
    view, output = _worker.output(plan, path)
    kept = _worker.kept
    kept.records.clear()
    rendered = render_checked(view, output)
    if not kept.records:
        return rendered
    return Rendered(rendered.data, rendered.degraded, rendered.refused, tuple(kept.records))
