"""The dispatcher hands each worker a job of a host that can take a request now, the
host with the most jobs left first, so that a run ends as early as its hosts allow; a
worker that must wait for its host's turn in the middle of a job has another stand in."""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tdlc_syndication.config.loader import DEMO_CONFIG
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.dispatch import Crew, Dispatcher
from tdlc_syndication.pipeline.run import run_sources

Job = tuple[str, int]


class Slots:
    """Hosts with ``per_host`` slots each, all free again at the start of every round."""

    def __init__(self, per_host: int) -> None:
        self.per_host = per_host
        self.busy: Counter[str] = Counter()

    def ready_in(self, host: str) -> float:
        return math.inf if self.busy[host] >= self.per_host else 0.0

    def reserve(self, host: str) -> bool:
        if self.busy[host] >= self.per_host:
            return False
        self.busy[host] += 1
        return True


def schedule(counts: list[tuple[str, int]], workers: int, per_host: int) -> list[list[Job]]:
    """The jobs each round starts when every request takes one round: workers take jobs
    while one of them is free and a host with jobs left has a free slot."""
    jobs = [(host, (host, n)) for host, count in counts for n in range(count)]
    slots = Slots(per_host)
    dispatcher = Dispatcher(jobs, slots.ready_in, slots.reserve)
    left = dict(counts)
    rounds: list[list[Job]] = []
    while any(left.values()):
        slots.busy.clear()
        started: list[Job] = []
        while len(started) < workers and any(
            n and (not host or slots.busy[host] < per_host) for host, n in left.items()
        ):
            job = dispatcher.take()
            assert job is not None
            left[job[0]] -= 1
            started.append(job)
        rounds.append(started)
    assert dispatcher.take() is None
    return rounds


def fewest_rounds(counts: list[tuple[str, int]], workers: int, per_host: int) -> int:
    """No schedule is shorter: all jobs over all workers, or the busiest host's jobs over
    its slots (a local file, key '', has no limit)."""
    total = sum(n for _, n in counts)
    return max(
        [math.ceil(total / workers)] + [math.ceil(n / per_host) for host, n in counts if host and n]
    )


def test_hosts_drain_together_so_no_tail_leaves_workers_idle() -> None:
    # The benchmark's shape: 25 hosts of 16 feeds, 64 workers, 4 a host. Taking hosts in
    # the settings' order drained the first 16 hosts, then ran the last 9 at 36 requests
    # at a time: 8 rounds where 7 do.
    counts = [(f"http://127.0.0.{n}", 16) for n in range(2, 27)]
    rounds = schedule(counts, workers=64, per_host=4)
    assert len(rounds) == 7 == fewest_rounds(counts, 64, 4)
    assert all(len(started) == 64 for started in rounds[:-1])


def test_the_busiest_host_starts_first_even_when_listed_last() -> None:
    counts = [("https://a.example", 2), ("https://b.example", 2), ("https://big.example", 12)]
    rounds = schedule(counts, workers=4, per_host=2)
    assert len(rounds) == 6  # the busiest host's 12 jobs, 2 at a time; in turn order: 7
    assert Counter(host for host, _ in rounds[0])["https://big.example"] == 2


def test_each_hosts_jobs_in_the_given_order_and_equal_hosts_in_turn() -> None:
    counts = [("https://a.example", 3), ("https://b.example", 3), ("https://c.example", 3)]
    rounds = schedule(counts, workers=3, per_host=3)
    assert [sorted(host for host, _ in started) for started in rounds] == [
        ["https://a.example", "https://b.example", "https://c.example"]
    ] * 3
    taken = [job for started in rounds for job in started]
    for host, _ in counts:
        assert [n for h, n in taken if h == host] == [0, 1, 2]


def test_local_files_are_always_ready() -> None:
    counts = [("https://a.example", 1), ("", 5)]
    rounds = schedule(counts, workers=6, per_host=1)
    assert len(rounds) == 1


@given(
    counts=st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=12),
    workers=st.integers(min_value=1, max_value=40),
    per_host=st.integers(min_value=1, max_value=6),
)
def test_every_schedule_is_as_short_as_any_can_be(
    counts: list[int], workers: int, per_host: int
) -> None:
    hosts = [(f"https://h{n}.example", count) for n, count in enumerate(counts)]
    rounds = schedule(hosts, workers, per_host)
    assert len(rounds) == fewest_rounds(hosts, workers, per_host)
    assert sum(len(started) for started in rounds) == sum(counts)


def test_stop_hands_out_nothing_more() -> None:
    stop = threading.Event()
    slots = Slots(per_host=1)
    dispatcher = Dispatcher(
        [("https://a.example", 1), ("https://a.example", 2)], slots.ready_in, slots.reserve, stop
    )
    assert dispatcher.take() == 1
    stop.set()
    assert dispatcher.take() is None


def test_a_waiting_worker_is_given_the_job_when_a_request_ends() -> None:
    slots = Slots(per_host=1)
    dispatcher = Dispatcher(
        [("https://a.example", 1), ("https://a.example", 2)], slots.ready_in, slots.reserve
    )
    assert dispatcher.take() == 1
    got: list[int | None] = []
    waiter = threading.Thread(target=lambda: got.append(dispatcher.take()))
    waiter.start()
    waiter.join(0.2)
    assert waiter.is_alive()  # the host's one slot is taken
    assert not got
    slots.busy.clear()
    dispatcher.wake()
    waiter.join(2)
    assert got == [2]


# -- the crew: a worker waiting for its host's turn does not hold back other hosts ------

FEED = (DEMO_CONFIG.parent / "demo" / "feeds" / "tdlc-blog.rss").read_bytes()


class Origin:
    """A loopback server of its own (its own origin), which notes when each request came
    and how many fetch threads were alive then."""

    def __init__(self, started: float) -> None:
        self.server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        self.started = started
        self.times: list[tuple[str, float]] = []
        self.threads = 0
        self.server.expect_request("/robots.txt").respond_with_handler(self._answer)
        self.server.expect_request("/feed").respond_with_handler(self._answer)
        self.server.start()

    def _answer(self, request: Request) -> Response:
        self.times.append((request.full_path.rstrip("?"), time.monotonic() - self.started))
        alive = sum(1 for t in threading.enumerate() if t.name.startswith("fetch_"))
        self.threads = max(self.threads, alive)
        if request.path == "/robots.txt":
            return Response("User-agent: *\nAllow: /\n", content_type="text/plain")
        return Response(FEED, content_type="application/rss+xml")

    def first(self, path: str) -> float:
        return min(at for p, at in self.times if p.startswith(path))

    def url(self, n: int) -> str:
        return self.server.url_for(f"/feed?n={n}")


def _sources(origins: list[Origin], per_origin: int) -> str:
    return "".join(
        f'[[sources]]\nid = "s{o}-{n}"\nkind = "feed"\nurl = "{origin.url(n)}"\n'
        "allow_private = true\n"
        for o, origin in enumerate(origins)
        for n in range(per_origin)
    )


def test_a_worker_waiting_for_its_hosts_turn_has_another_stand_in(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    # One worker. The first source reads its host's robots.txt, then must wait 0.6 s for
    # its feed; meanwhile a stand-in fetches the other host's source. Without one the
    # other host's first request waited for the whole first source.
    start = time.monotonic()
    a, b = Origin(start), Origin(start)
    try:
        ctx = make_context(
            write_config(
                _sources([a, b], 1),
                robots=True,
                http="workers = 1\nper_host = 1\nhost_delay = 0.6",
            )
        )
        reports = run_sources(ctx, ctx.settings.sources)
    finally:
        a.server.stop()
        b.server.stop()
    assert [r.status for r in reports] == ["ok", "ok"]
    assert a.first("/feed") - a.first("/robots.txt") >= 0.45  # the host spacing holds (0.6 s)
    assert b.first("/robots.txt") < a.first("/feed") - 0.3
    assert b.first("/feed") < a.first("/feed") + 0.3  # both hosts' spacing ran together


def test_stand_ins_keep_every_hosts_limits_and_leave_with_the_run(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    start = time.monotonic()
    origins = [Origin(start) for _ in range(3)]
    try:
        ctx = make_context(
            write_config(
                _sources(origins, 3),
                robots=True,
                http="workers = 2\nper_host = 1\nhost_delay = 0.3",
            )
        )
        reports = run_sources(ctx, ctx.settings.sources)
    finally:
        for origin in origins:
            origin.server.stop()
    assert len(reports) == 9
    assert all(r.status == "ok" for r in reports)
    for origin in origins:
        starts = sorted(at for _, at in origin.times)
        assert len(starts) == 4  # robots.txt once, then its three sources
        # 0.3 s apart when sent; the server may see one late and the next on time
        assert all(later - earlier >= 0.2 for earlier, later in itertools.pairwise(starts))
        assert origin.threads <= 4  # never more than twice the workers
    assert not [t for t in threading.enumerate() if t.name.startswith("fetch_")]


def test_what_a_crew_thread_raises_is_raised_by_join() -> None:
    dispatcher = Dispatcher([("", 1)], lambda host: 0.0, lambda host: True)

    def work() -> None:
        while crew.stays() and dispatcher.take() is not None:
            raise ValueError("broken job")

    crew = Crew(2, work, dispatcher.pending, "test")
    crew.start()
    with pytest.raises(ValueError, match="broken job"):
        crew.join()
    crew.join(reraise=False)  # the caller's own error goes first


def test_a_closed_dispatcher_hands_out_nothing() -> None:
    dispatcher = Dispatcher([("", 1), ("", 2)], lambda host: 0.0, lambda host: True)
    assert dispatcher.take() == 1
    dispatcher.close()
    assert not dispatcher.pending()
    assert dispatcher.take() is None
