"""The benchmark (``bench/``, run as ``python -m bench.run`` from the repository) on a
corpus of three sources: it runs end to end, the tools take turns scenario by scenario
(the first of one round last in the next), and each ratio is the median of the rounds'
own ratios."""

from __future__ import annotations

import contextlib
import random
import re
import socket
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent  # where `python -m bench...` runs


def _free_ports(count: int) -> int:
    """A port that is free, with the ``count - 1`` after it, on the corpus' first host."""
    for _ in range(50):
        port = random.randrange(20_000, 60_000)
        try:
            with contextlib.ExitStack() as stack:
                for n in range(count):
                    probe = stack.enter_context(socket.socket())
                    probe.bind(("127.0.0.2", port + n))
        except OSError:
            continue
        return port
    raise RuntimeError("no free ports")


@pytest.mark.slow
def test_the_tools_take_turns_and_the_report_holds_every_scenario(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    command = [sys.executable, "-m", "bench.run", "--sources", "3", "--items", "2"]
    command += ["--latency", "0", "--repeat", "2", "--tools", "syndicate,plain", "--starts", "0"]
    command += ["--port", str(_free_ports(2)), "--out", str(report)]
    proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout[-1500:] + proc.stderr[-1500:]
    steps = re.findall(r"^  (\w+) +(\w+) +[\d.]+ s$", proc.stdout, re.M)
    each_way = [
        ("cold", "syndicate"), ("cold", "plain"), ("warm", "syndicate"), ("warm", "plain"),
        ("publish", "syndicate"), ("changed", "syndicate"), ("changed", "plain"),
    ]  # fmt: skip
    other_way = [
        ("cold", "plain"), ("cold", "syndicate"), ("warm", "plain"), ("warm", "syndicate"),
        ("publish", "syndicate"), ("changed", "plain"), ("changed", "syndicate"),
    ]  # fmt: skip
    assert steps == each_way + other_way
    assert "syndicate, then plain" in proc.stdout
    assert "plain, then syndicate" in proc.stdout
    text = report.read_text("utf-8")
    assert "failed" not in text
    for scenario in ("cold", "warm", "changed", "service warm", "service changed"):
        row = re.search(rf"^\| {scenario} \|.*\| ([\d.]+)× \|$", text, re.M)
        assert row is not None, f"{scenario}: no ratio in\n{text}"
    for scenario in ("publish", "polite", "polite warm"):
        assert re.search(rf"^\| {scenario} \| [\d.]+ s / ", text, re.M), text
    # One source a host. Cold: its robots.txt, then the source, 1 s apart (the default
    # spacing); the time is read from the polite run's store, and no run beats the floor.
    cold = re.search(
        r"cold: the busiest host is asked 2 times, at least 1\.0 s; syndicate had fetched and "
        r"stored every source ([\d.]+) s after it took the first \(([\d.]+)×\)",
        text,
    )
    assert cold is not None, text
    assert float(cold[1]) >= 1.0
    assert float(cold[2]) == pytest.approx(float(cold[1]), abs=0.01)
    # Warm, on the same store: robots.txt from the store's copy, so one request a host and
    # nothing to wait for (its own records only: the cold run's would make it 1 s or more).
    warm = re.search(
        r"warm \(every source 304; robots\.txt from the store's copy\): the busiest host is "
        r"asked 1 time, at least 0\.0 s; syndicate fetched in ([\d.]+) s",
        text,
    )
    assert warm is not None, text
    assert float(warm[1]) < 1.0
    # syndicate's own runs at the table's latency: each fetched within its whole run
    for scenario in ("cold", "warm", "changed"):
        split = re.search(
            rf"{scenario}: every source fetched, read and stored ([\d.]+) s after the first was "
            r"taken; the run ended after ([\d.]+) s",
            text,
        )
        assert split is not None, f"{scenario}: no split in\n{text}"
        assert 0 < float(split[1]) <= float(split[2])


@pytest.fixture
def bench_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    """``bench`` importable here as ``python -m bench.run`` finds it: from the repository."""
    monkeypatch.syspath_prepend(str(REPO))


@pytest.mark.usefixtures("bench_importable")
def test_a_ratio_is_the_median_of_the_rounds_own_ratios() -> None:
    from bench.measure import Sample
    from bench.run import paired_ratio

    # Round by round syndicate is 4, 2 and 3 times as fast; the machine slowed through
    # the rounds, so the medians of the times (4 s and 2 s) would say 2 times.
    rounds = [
        {("syndicate", "cold"): Sample(1, 1, 1, 0), ("plain", "cold"): Sample(4, 1, 1, 0)},
        {("syndicate", "cold"): Sample(2, 1, 1, 0), ("plain", "cold"): Sample(4, 1, 1, 0)},
        {("syndicate", "cold"): Sample(4, 1, 1, 0), ("plain", "cold"): Sample(12, 1, 1, 0)},
    ]
    failed = [
        {("syndicate", "warm"): Sample(1, 1, 1, 1, ok=False), ("plain", "warm"): Sample(4, 1, 1, 0)}
    ]
    assert paired_ratio(rounds, "cold") == 3.0
    # a round without the plain script's run, or with a failed run, gives no ratio
    assert paired_ratio(rounds, "warm") is None
    assert paired_ratio(failed, "warm") is None


@pytest.mark.usefixtures("bench_importable")
def test_the_polite_floor_is_the_busiest_hosts_requests_one_second_apart(tmp_path: Path) -> None:
    from bench.corpus import SourceSpec
    from bench.polite import fetch_phase, floor

    store = tmp_path / "syndicate.db"
    with contextlib.closing(sqlite3.connect(store)) as db:
        db.execute("CREATE TABLE runs (source TEXT, started TEXT, finished TEXT)")
        db.executemany(
            "INSERT INTO runs VALUES (?, ?, ?)",
            [
                ("a", "2026-12-04T03:00:00.500000+00:00", "2026-12-04T03:00:02+00:00"),
                ("b", "2026-12-04T03:00:01+00:00", "2026-12-04T03:00:17.250000+00:00"),
            ],
        )
        db.commit()
    specs = [
        SourceSpec(f"s{n}", host, f"/{n}.xml", "rss", "en") for n, host in ((1, 2), (2, 3), (3, 2))
    ]
    # 16.75 s from the first source taken to the last stored; host 2 has two sources and
    # its robots.txt: three requests, 1 s apart, take at least 2 s (without robots.txt, two
    # and 1 s). The records from a moment on: 16.25 s. No store: no figure.
    assert fetch_phase(store) == 16.75
    assert floor(specs) == (3, 2.0)
    assert floor(specs, robots=False) == (2, 1.0)
    assert fetch_phase(store, datetime.fromisoformat("2026-12-04T03:00:01+00:00")) == 16.25
    assert fetch_phase(tmp_path / "missing.db") is None


@pytest.mark.usefixtures("bench_importable")
def test_the_report_says_how_much_of_a_run_came_after_its_fetching() -> None:
    from bench.measure import Sample
    from bench.run import phases

    results = {
        ("syndicate", "cold"): Sample(12.0, 20.0, 150, 0),
        ("fetched", "cold"): Sample(8.0, 0.0, 150, 0),
        ("syndicate", "warm"): Sample(0.8, 0.6, 60, 0),  # its store could not be read
        ("syndicate", "changed"): Sample(1.5, 1.0, 70, 0),
        ("fetched", "changed"): Sample(0.5, 0.0, 70, 0),
    }
    assert phases(results) == (
        "Where syndicate's runs go (from the run records of its store: when a worker took "
        "each source and when its result was stored; a cold run publishes the whole site, "
        "a warm one nothing): cold: every source fetched, read and stored 8.00 s after the "
        "first was taken; the run ended after 12.00 s, so 4.00 s (33%) went to starting and "
        "to publishing; changed: every source fetched, read and stored 0.50 s after the first "
        "was taken; the run ended after 1.50 s, so 1.00 s (67%) went to starting and to "
        "publishing.\n"
    )
    assert phases({("syndicate", "cold"): Sample(12.0, 20.0, 150, 0)}) is None


@pytest.mark.usefixtures("bench_importable")
def test_a_measure_missing_from_the_first_round_is_merged_from_the_others() -> None:
    from bench.measure import Sample
    from bench.run import merge_rounds

    cold = ("syndicate", "cold")
    fetched = ("fetched", "polite")  # the first round could not read its store
    rounds = [
        {cold: Sample(1, 1, 10, 0)},
        {cold: Sample(3, 1, 30, 0), fetched: Sample(16, 0, 1, 0)},
        {cold: Sample(2, 1, 20, 0), fetched: Sample(18, 0, 1, 0)},
    ]
    merged = merge_rounds(rounds)
    assert list(merged) == [cold, fetched]
    assert merged[cold] == Sample(2, 1, 20, 0)
    assert merged[fetched].wall == 17
