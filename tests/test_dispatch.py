"""The dispatcher hands each worker a job of a host that can take a request now, the
host with the most jobs left first, so that a run ends as early as its hosts allow."""

from __future__ import annotations

import math
import threading
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from tdlc_syndication.pipeline.dispatch import Dispatcher

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
