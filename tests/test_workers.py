"""Preparing documents in worker processes: the same result as in the fetching thread,
failures turned into outcomes, log lines carried back with their source id."""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import fields
from datetime import UTC, datetime
from multiprocessing import connection
from pathlib import Path
from typing import Any

import pytest
from tests_support import BLOG, NOW, feed_file_source, sample_item

from tdlc_syndication.config.loader import DEMO_CONFIG, load_settings
from tdlc_syndication.config.models import RunConfig
from tdlc_syndication.config.sources import SourceConfig
from tdlc_syndication.pipeline import processes, workers
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.ledger import SourceState
from tdlc_syndication.pipeline.model import Event
from tdlc_syndication.pipeline.prepare import Collected
from tdlc_syndication.pipeline.processes import preload, worker_context
from tdlc_syndication.pipeline.published import EntryRow
from tdlc_syndication.pipeline.run import fetch_documents, run_sources
from tdlc_syndication.pipeline.state import Outcome
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.pipeline.workers import Preparer, process_count
from tdlc_syndication.sources.base import Fetched


def _documents(ctx: Context, source_id: str) -> list[Fetched]:
    config = ctx.settings.source(source_id)
    documents = fetch_documents(ctx, config, SourceState(source=source_id), {})
    assert not isinstance(documents, Outcome)
    return documents


Blog = tuple[Context, SourceConfig, list[Fetched]]


@pytest.fixture
def blog(
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
    monkeypatch: pytest.MonkeyPatch,
) -> Blog:
    """A context with one feed source, its fetched documents, and pools that start at
    once."""
    ctx = make_context(write_config(feed_file_source(tmp_path, "blog", BLOG)))
    monkeypatch.setattr(workers, "MIN_SOURCES", 0)
    return ctx, ctx.settings.source("blog"), _documents(ctx, "blog")


def test_a_pool_prepares_what_the_thread_prepares(blog: Blog) -> None:
    ctx, config, documents = blog
    with Preparer(ctx, 1) as inline:
        here = inline.submit(config, documents, NOW).result()
    with Preparer(ctx, 2) as pooled:
        there = pooled.submit(config, documents, NOW).result()
        assert pooled._pool is not None  # it really ran in another process
    assert isinstance(here, Collected)
    assert isinstance(there, Collected)
    assert there.items == here.items
    assert there.hashes == here.hashes
    assert there.data == here.data
    assert there.reasons == here.reasons
    assert len(there.items) == 10


def test_a_worker_failure_is_an_outcome_and_its_log_comes_back(
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = (
        '<rss version="2.0"><channel><title>T</title>'
        "<item><link>https://blog.example.org/untitled</link></item></channel></rss>"
    )
    sources = feed_file_source(tmp_path, "blog", broken) + feed_file_source(
        tmp_path, "junk", "this is not a feed"
    )
    ctx = make_context(write_config(sources))
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    root = logging.getLogger()
    handler = Keep(logging.DEBUG)
    root.addHandler(handler)
    project = logging.getLogger("tdlc_syndication")
    monkeypatch.setattr(project, "level", logging.DEBUG)
    monkeypatch.setattr(workers, "MIN_SOURCES", 0)
    try:
        with Preparer(ctx, 2) as pool:
            junk = pool.submit(ctx.settings.source("junk"), _documents(ctx, "junk"), NOW)
            blog = pool.submit(ctx.settings.source("blog"), _documents(ctx, "blog"), NOW)
            failed, prepared = junk.result(), blog.result()
    finally:
        root.removeHandler(handler)
    assert isinstance(failed, Outcome)
    assert failed.status == "failed"
    assert "not an RSS, RDF or Atom feed" in (failed.error or "")
    assert isinstance(prepared, Collected)
    assert prepared.notes.counts["no-title"] == 1
    dropped = [r for r in seen if r.getMessage().startswith("dropped")]
    assert dropped
    assert all(getattr(r, "source", None) == "blog" for r in dropped)


def test_a_run_with_processes_stores_the_same_items(
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sources = "".join(
        feed_file_source(tmp_path, name, BLOG.replace("blog.example.org", f"{name}.example.org"))
        for name in ("one", "two", "three")
    )
    stored = []
    for count in (1, 2):
        folder = tmp_path / str(count)
        folder.mkdir()
        config = write_config(sources, extra=f"[run]\nprocesses = {count}\n")
        ctx = make_context(config)
        ctx.database = folder / "store.db"
        monkeypatch.setattr(workers, "MIN_SOURCES", 1)
        reports = run_sources(ctx, ctx.settings.sources)
        assert [r.status for r in reports] == ["ok", "ok", "ok"]
        assert [r.new for r in reports] == [10, 10, 10]
        with Store(ctx.database) as store:
            stored.append({s.item.id: (s.item, s.content_hash) for s in store.items()})
    assert stored[0] == stored[1]


def test_how_many_processes(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    ctx = make_context(write_config())
    assert process_count(ctx.settings, 3) == 1  # a small run: no processes
    assert process_count(ctx.settings, 400) >= 1
    ctx.settings = ctx.settings.model_copy(update={"run": RunConfig(processes=3)})
    assert process_count(ctx.settings, 3) == 3


def _kill_workers(preparer: Preparer) -> None:
    """End the pool's processes as the out-of-memory killer would, and wait for them."""
    assert preparer._pool is not None
    processes = list(preparer._pool._processes.values())
    assert processes
    for process in processes:
        process.kill()  # SIGKILL
    for process in processes:
        process.join(10)


def test_a_killed_worker_process_costs_a_retry_not_the_run(
    blog: Blog, caplog: pytest.LogCaptureFixture
) -> None:
    ctx, config, documents = blog
    with Preparer(ctx, 2) as pool:
        first = pool.submit(config, documents, NOW).result(60)
        _kill_workers(pool)
        again = [pool.submit(config, documents, NOW) for _ in range(3)]
        results = [future.result(60) for future in again]
    assert isinstance(first, Collected)
    for result in results:  # prepared by a new pool, the same as before
        assert isinstance(result, Collected)
        assert result.items == first.items
    assert "ended abruptly" in caplog.text


def test_sources_fail_clearly_when_worker_processes_keep_dying(
    blog: Blog, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, config, documents = blog
    monkeypatch.setattr(workers, "RESTARTS", 0)  # no new pool after the first breaks
    with Preparer(ctx, 2) as pool:
        assert isinstance(pool.submit(config, documents, NOW).result(60), Collected)
        _kill_workers(pool)
        result = pool.submit(config, documents, NOW).result(60)
    assert isinstance(result, Outcome)
    assert result.status == "failed"
    assert (result.error or "").startswith("not prepared: the worker processes kept ending")
    assert "fetched again next run" in (result.error or "")


_PRELOAD_SCRIPT = """
import importlib, sys
from tdlc_syndication.config.loader import DEMO_CONFIG, load_settings
from tdlc_syndication.pipeline.processes import preload

settings = load_settings(DEMO_CONFIG)
for module in preload(settings):
    importlib.import_module(module)
loaded = {m for m in sys.modules if m.startswith("tdlc_syndication.")}
from tdlc_syndication.outputs import default_publishers
from tdlc_syndication.sources.registry import SOURCE_TYPES

default_publishers(settings)
for source in settings.sources:
    SOURCE_TYPES[source.kind]
print(sorted({m for m in sys.modules if m.startswith("tdlc_syndication.")} - loaded))
"""


def test_the_fork_server_loads_what_the_workers_look_up() -> None:
    # The demo's kinds (feed, catalog, ical) and every publisher: a worker forked from
    # the server finds them loaded (the server skips a module it cannot import silently,
    # and a module it lacks costs every worker its import).
    done = subprocess.run(
        [sys.executable, "-c", _PRELOAD_SCRIPT], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
    settings = load_settings(DEMO_CONFIG)
    assert {"tdlc_syndication.sources.feed", "tdlc_syndication.sources.ical"} <= set(
        preload(settings)
    )
    assert "tdlc_syndication.sources.html" not in preload(settings)  # not in use
    # The readers the kinds load with their first document (``pipeline.lazy``): loaded
    # ahead by the server, not by each worker.
    # (Markdown with the program's renderer, which loads markdown-it)
    readers = {"icalendar", "recurring_ical_events", "yaml", "tdlc_syndication.pipeline.markdown"}
    # (and a feed's: its fast reading and its entries' readers, which the feed kind's
    # module no longer loads itself)
    readers |= {"tdlc_syndication.sources.fastfeed", "tdlc_syndication.sources.feedentry"}
    assert readers <= set(preload(settings))
    # What a preparing worker imports as it starts (the pools' module no longer does).
    assert "logging.handlers" in preload(settings)
    assert worker_context(settings).get_start_method() == "forkserver"


def test_without_a_fork_server_workers_are_spawned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(processes, "_context", None)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert worker_context(load_settings(DEMO_CONFIG)).get_start_method() == "spawn"


_POOL_SCRIPT = """
import hashlib, sys
from concurrent.futures import ProcessPoolExecutor
from tdlc_syndication.config.loader import DEMO_CONFIG, load_settings
from tdlc_syndication.pipeline.processes import worker_context

with ProcessPoolExecutor(1, mp_context=worker_context(load_settings(DEMO_CONFIG))) as pool:
    pool.submit(hashlib.pbkdf2_hmac, "sha256", b"key", b"salt", int(sys.argv[1])).result()
"""


def _command_cpu(rounds: int) -> float:
    """CPU seconds a command that has a worker compute ``rounds`` of PBKDF2 is charged,
    read as ``time`` and the benchmark read it (the rusage of the waited-for command)."""
    # Bytecode is kept (as installed programs run): compiling every module in each run, as
    # PYTHONDONTWRITEBYTECODE asks, made the run without work vary by more than the work.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    process = subprocess.Popen([sys.executable, "-c", _POOL_SCRIPT, str(rounds)], env=env)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0
    return usage.ru_utime + usage.ru_stime


def test_a_workers_cpu_counts_in_the_commands_resource_usage() -> None:
    # Workers are children of the fork server; unless the command stops the server and
    # waits for it at exit, their CPU is charged to no one the caller waits for.
    rounds = 1_500_000  # about half a second
    started = time.process_time()
    hashlib.pbkdf2_hmac("sha256", b"key", b"salt", rounds)
    work = time.process_time() - started
    before = _command_cpu(1)  # also compiles what the runs import, once
    charged = _command_cpu(rounds) - min(before, _command_cpu(1))
    assert charged > 0.3 * work  # uncharged, it is 0 give or take 0.05 s


def _dies_while_sending(size: int) -> bytes:
    """Run in a worker: send half of the result, then die, as a worker the kernel kills
    for memory in the middle of sending what it made."""
    send = connection.Connection._send  # type: ignore[attr-defined]

    def half(self: connection.Connection, buf: bytes, *args: Any) -> None:
        if len(buf) > 100_000:
            send(self, bytes(buf[: len(buf) // 2]), *args)
            os._exit(9)
        send(self, buf, *args)

    connection.Connection._send = half  # type: ignore[attr-defined]
    return b"x" * size


def test_a_worker_dying_while_it_sends_breaks_its_pool_instead_of_hanging() -> None:
    # CPython's executor would wait for the rest of the message for good.
    settings = load_settings(DEMO_CONFIG)
    pool = ProcessPoolExecutor(1, mp_context=processes.worker_context(settings))
    try:
        future = pool.submit(_dies_while_sending, 1_000_000)
        started = time.monotonic()
        with pytest.raises(BrokenProcessPool):
            processes.result_of(future, lambda: pool)
        assert time.monotonic() - started < 15
    finally:
        pool.shutdown(wait=False)


def _until_a_worker_died(pool: ProcessPoolExecutor) -> None:
    """Wait (up to 20 s) until one of ``pool``'s workers has ended."""
    deadline = time.monotonic() + 20
    while not any(p.exitcode is not None for p in pool._processes.values()):
        assert time.monotonic() < deadline, "no worker died"
        time.sleep(0.05)


def test_a_pool_left_hanging_after_its_last_result_still_closes(blog: Blog) -> None:
    """A worker killed while it sent a result after the last one awaited had come (the
    pool's other worker sent it first) left the executor reading the rest of its message,
    and closing the pool waited on it for good: the run never ended (the full suite hung
    on it once). Closing breaks such a pool open now."""
    ctx, config, documents = blog
    preparer = Preparer(ctx, 2)
    first = preparer.result(preparer.submit(config, documents, NOW))
    assert isinstance(first, Collected)
    assert preparer._pool is not None
    preparer._pool.submit(_dies_while_sending, 1_000_000)  # nobody awaits it
    _until_a_worker_died(preparer._pool)  # sent half and died: the executor waits
    closing = threading.Thread(target=preparer.close, daemon=True)
    started = time.monotonic()
    closing.start()
    closing.join(30)
    assert not closing.is_alive(), "close() waited on the hanging pool"
    assert time.monotonic() - started < 15


def test_a_source_whose_pool_hangs_on_a_dead_worker_is_prepared_in_a_new_one(
    blog: Blog, caplog: pytest.LogCaptureFixture
) -> None:
    ctx, config, documents = blog
    with Preparer(ctx, 2) as preparer:
        first = preparer.result(preparer.submit(config, documents, NOW))
        assert preparer._pool is not None
        preparer._pool.submit(_dies_while_sending, 1_000_000)  # the pool now hangs
        _until_a_worker_died(preparer._pool)  # else the other worker may answer first
        again = preparer.result(preparer.submit(config, documents, NOW))
    assert isinstance(first, Collected)
    assert isinstance(again, Collected)
    assert again.items == first.items
    assert "ended abruptly" in caplog.text


def test_items_and_index_rows_cross_processes_whole() -> None:
    """Items (with a file and an event) and index rows pickle to what they were, and the
    state dataclasses wrote before (a list of the fields' values) reads as the same."""
    item = sample_item(
        event=Event(start=datetime(2026, 12, 3, 9, tzinfo=UTC), location="Toyama", all_day=True),
        identifiers=("doi:10.1/x",),
    )
    row = EntryRow("blog:1", "blog", "2026-12-03", "2026-12-03", "f" * 20, frozenset({"all"}))
    records: list[Any] = [item, row, *item.media]
    for record in records:
        again = pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        assert again == record
        assert type(again) is type(record)
        before = object.__new__(type(record))
        before.__setstate__([getattr(record, f.name) for f in fields(record)])
        assert before == record
    assert isinstance(pickle.loads(pickle.dumps(item)).event, Event)
    assert pickle.loads(pickle.dumps(item)).published == item.published
