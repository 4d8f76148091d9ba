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


def fetch_phase(store: str | Path, since: datetime | None = None) -> float | None:
    """Seconds from the first source taken to the last source's result stored, over the
    run records of ``store`` whose source was taken at ``since`` or later (every record
    without it); None when there are none or the store cannot be read."""
    try:
        db = sqlite3.connect(Path(store).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            rows = db.execute("SELECT started, finished FROM runs").fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    spans = [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in rows]
    spans = [(a, b) for a, b in spans if since is None or a >= since]
    if not spans:
        return None
    first = min(a for a, _ in spans)
    return (max(b for _, b in spans) - first).total_seconds()


def floor(specs: Sequence[SourceSpec], *, robots: bool = True) -> tuple[int, float]:
    """The busiest host's requests (its sources, and its robots.txt with ``robots``: a warm
    run has the store's copy) and the least time they take, a request to a host at most
    every ``host_delay`` seconds (the default)."""
    from tdlc_syndication.config.models import HttpConfig

    delay = HttpConfig.model_fields["host_delay"].default
    asks = robots and HttpConfig.model_fields["robots_txt"].default
    requests = max(Counter(spec.host for spec in specs).values()) + (1 if asks else 0)
    return requests, (requests - 1) * delay


#: The polite runs: each scenario, its name in the report, and whether it reads robots.txt.
RUNS = (
    ("polite", "cold", True),
    ("polite warm", "warm (every source 304; robots.txt from the store's copy)", False),
)


def polite_bound(
    results: Mapping[tuple[str, str], Sample], specs: Sequence[SourceSpec]
) -> str | None:
    """A line on the polite runs (cold, then warm) against their floors (``results``: the
    medians of the rounds, each run's fetching under the tool name ``fetched``); None
    without those."""
    said = []
    for scenario, what, robots in RUNS:
        run, fetched = results.get(("syndicate", scenario)), results.get(("fetched", scenario))
        if run is None or fetched is None or not specs:
            continue
        requests, least = floor(specs, robots=robots)
        times = f"{requests} time" + ("s" if requests != 1 else "")
        line = f"{what}: the busiest host is asked {times}, at least {least:.1f} s; "
        if least > 0:
            line += (
                f"syndicate had fetched and stored every source {fetched.wall:.2f} s after it "
                f"took the first ({fetched.wall / least:.2f}×) and ended {run.wall:.2f} s "
                f"after it started ({run.wall / least:.2f}×)."
            )
        else:
            line += f"syndicate fetched in {fetched.wall:.2f} s and ended after {run.wall:.2f} s."
        said.append(line)
    if not said:
        return None
    return (
        "Polite runs (the default `[http]`: a request to a host at most every second; the "
        "criterion is 1.2× the floor; a cold run's end includes publishing the whole site): "
        + " ".join(said)
        + "\n"
    )
