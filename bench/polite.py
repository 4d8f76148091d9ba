"""The polite run against its floor: with the default ``[http]`` a host takes a request at
most every ``host_delay`` seconds, so the busiest host's requests (its robots.txt and its
sources) take at least ``(requests - 1) x host_delay``, whatever the program. The issue's
criterion: a run's fetching stays within 1.2 times that.

The run's store says when its fetching ended: each source's run record holds when a worker
took the source and when its result was stored.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from bench.corpus import SourceSpec
from bench.measure import Sample


def fetch_phase(store: str | Path) -> float | None:
    """Seconds from the first source taken to the last source's result stored, over every
    run record of ``store`` (a fresh store, which one run filled); None when it holds none
    or cannot be read."""
    try:
        db = sqlite3.connect(Path(store).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            first, last = db.execute("SELECT MIN(started), MAX(finished) FROM runs").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    if first is None or last is None:
        return None
    return (datetime.fromisoformat(last) - datetime.fromisoformat(first)).total_seconds()


def floor(specs: Sequence[SourceSpec]) -> tuple[int, float]:
    """The busiest host's requests (its robots.txt and its sources) and the least time they
    take with the default spacing between two requests to a host."""
    from tdlc_syndication.config.models import HttpConfig

    delay = HttpConfig.model_fields["host_delay"].default
    robots = 1 if HttpConfig.model_fields["robots_txt"].default else 0
    requests = max(Counter(spec.host for spec in specs).values()) + robots
    return requests, (requests - 1) * delay


def polite_bound(
    results: Mapping[tuple[str, str], Sample], specs: Sequence[SourceSpec]
) -> str | None:
    """A line on the polite run against its floor (``results``: the medians of the rounds,
    the polite run's fetching under the tool name ``fetched``); None without those."""
    run, fetched = results.get(("syndicate", "polite")), results.get(("fetched", "polite"))
    if run is None or fetched is None or not specs:
        return None
    requests, least = floor(specs)
    if least <= 0:
        return None
    return (
        f"Polite (the default `[http]`): the busiest host's {requests} requests (its "
        f"robots.txt and its sources) need {least:.1f} s. syndicate had fetched and stored "
        f"every source {fetched.wall:.2f} s after it took the first "
        f"({fetched.wall / least:.2f}× that; the criterion is 1.2×) and ended "
        f"{run.wall:.2f} s after it started ({run.wall / least:.2f}×, with starting and "
        "publishing the whole site).\n"
    )
