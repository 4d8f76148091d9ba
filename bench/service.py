"""Ticks of the service: the work of ``syndicate run`` (the scheduler daemon) each time its
sources come due, in one process that stays up between ticks, as the service does.

``run --once`` (what the benchmark's targets measure) starts Python, imports the program,
loads the settings and opens new connections on every run. The service pays that once:
its context (settings, HTTP connection pool, robots.txt copies) stays in memory. A tick
here is what the daemon's sync and publish tasks call, :func:`run_sources` and then, when
an item is new or changed, :func:`publish_recorded`, with one context kept for all
ticks; without the daemon's short wait that gathers sources coming due together and its
publish delay, which are waiting, not work::

    python -m bench.service SETTINGS

It reads one command a line on standard input, ``tick``, and answers each with one line
of JSON: ``{"wall": s, "cpu": s, "sources": n, "new": n, "published": n}`` (CPU: this
process and its ended children; a tick that starts worker processes counts them once
they end). End of input ends it.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.loading import load_quickly
from tdlc_syndication.pipeline.publish import publish_recorded
from tdlc_syndication.pipeline.run import run_sources


def cpu_seconds() -> float:
    """CPU time of this process and of its children that ended."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + ended.ru_utime + ended.ru_stime


def tick(ctx: Context) -> dict[str, float | int]:
    """One tick: every enabled source, then a publish when anything changed."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    configs = [s for s in ctx.settings.sources if s.enabled]
    reports = run_sources(ctx, configs)
    published = 0
    if any(r.asks_publish for r in reports):
        with ctx.open_store() as store:
            published = len(publish_recorded(ctx, store).written)
    return {
        "wall": time.perf_counter() - wall,
        "cpu": cpu_seconds() - cpu,
        "sources": len(reports),
        "new": sum(r.new + r.changed for r in reports),
        "published": published,
    }


def main() -> None:
    """Answer each ``tick`` line of standard input with the tick's measures."""
    ctx = Context.create(load_quickly(Path(sys.argv[1])))
    try:
        for line in sys.stdin:
            if line.strip() == "tick":
                print(json.dumps(tick(ctx)), flush=True)
    finally:
        ctx.http.close()


if __name__ == "__main__":
    main()
