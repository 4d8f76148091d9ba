"""Soak: many scheduled cycles (sync every source, then publish, as the daemon's work
thread does) against a loopback server whose sources change, fail, slow down and recover
at random. Nothing is lost or duplicated against the server's truth, memory stays flat,
and every failure shows in the operator's view.

CI runs SOAK_CYCLES cycles (default 25); ``SOAK_CYCLES=200`` for the long soak."""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tdlc_syndication.config.loader import load_settings
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.overview import overview, snapshot_of
from tdlc_syndication.pipeline.publish import publish_recorded
from tdlc_syndication.pipeline.run import run_sources
from tdlc_syndication.pipeline.store import Store

CYCLES = int(os.environ.get("SOAK_CYCLES", "25"))
SOURCES = 8
ATOM = "{http://www.w3.org/2005/Atom}"


class Origin:
    """What one source serves: its items so far, and how it behaves this cycle."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.items: list[int] = []
        self.mode = "ok"  # ok, fail, slow, stall

    def body(self) -> str:
        entries = "".join(
            f"<item><title>Origin {self.number} material {n}</title>"
            f"<link>https://soak{self.number}.example.org/m/{n}</link><guid>https://soak{self.number}.example.org/m/{n}</guid>"
            f"<pubDate>Tue, 03 Nov 2026 {n % 24:02d}:{n % 60:02d}:{self.number:02d} +0000</pubDate>"
            f"<description>Peer exchange notes, part {n}.</description></item>"
            for n in self.items
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Origin {self.number}</title><link>https://soak{self.number}.example.org/</link>"
            f"<description>d</description>{entries}</channel></rss>"
        )


def rss_kb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024


def handles() -> tuple[int, int]:
    """Open file descriptors (sockets, the store, files) and live threads of this process."""
    return len(os.listdir("/proc/self/fd")), threading.active_count()


@pytest.mark.slow
def test_soak_nothing_lost_or_duplicated_memory_flat_failures_visible(
    server: HTTPServer, write_config: Callable[..., Path], tmp_path: Path
) -> None:
    rng = random.Random(int(os.environ.get("SOAK_SEED", "48")))
    origins = [Origin(n) for n in range(SOURCES)]

    def answer(request: Request) -> Response:
        origin = origins[int(request.path.rsplit("/", 1)[-1])]
        if origin.mode == "fail":
            return Response("overloaded", status=503)
        if origin.mode == "slow":
            time.sleep(0.2)  # slow headers, within the deadline
        if origin.mode == "stall":
            time.sleep(1.6)  # past the deadline: the exchange is cut
        return Response(origin.body(), content_type="application/rss+xml")

    for n in range(SOURCES):
        server.expect_request(f"/feed/{n}").respond_with_handler(answer)
    config = write_config(
        "".join(
            f'[[sources]]\nid = "o{n}"\nkind = "feed"\nurl = "{server.url_for(f"/feed/{n}")}"\n'
            "allow_private = true\nmax_items = 100000\n"
            for n in range(SOURCES)
        ),
        http="deadline = 1.0\nread_timeout = 5",
    )
    settings = load_settings(config)
    ctx = Context.create(settings)
    memory: list[float] = []
    held: list[tuple[int, int]] = []
    try:
        for cycle in range(CYCLES):
            for origin in origins:
                if rng.random() < 0.5:
                    origin.items.extend(
                        range(len(origin.items), len(origin.items) + rng.randint(1, 3))
                    )
                modes, weights = ["ok", "fail", "slow", "stall"], [0.6, 0.2, 0.15, 0.05]
                origin.mode = rng.choices(modes, weights)[0]
            reports = run_sources(ctx, settings.sources)
            with Store(settings.site.database) as store:
                publish_recorded(ctx, store)
                view = overview(snapshot_of(settings), store, datetime.now(UTC))
            # Every failure of this cycle is visible to the operator.
            rows = {row.id: row for row in view.sources}
            for origin, report in zip(origins, reports, strict=True):
                if origin.mode in ("fail", "stall"):
                    assert report.failed, (cycle, origin.number, report)
                    assert rows[report.source].status in ("failing", "stale")
                    assert rows[report.source].last_error
            server.clear_log()  # the test server keeps every exchange; ours must not
            if cycle >= 5:
                memory.append(rss_kb())
                held.append(handles())
        # A last cycle where every origin answers.
        for origin in origins:
            origin.mode = "ok"
        final = run_sources(ctx, settings.sources)
        assert all(r.status in ("ok", "not_modified") for r in final)
        with Store(settings.site.database) as store:
            publish_recorded(ctx, store)
            stored = {s.item.id for s in store.items()}
    finally:
        ctx.http.close()
    truth = {
        f"o{o.number}:https://soak{o.number}.example.org/m/{n}" for o in origins for n in o.items
    }
    assert stored == truth  # nothing lost, nothing extra
    feed = etree.parse(str(tmp_path / "public" / "feeds" / "all.atom")).getroot()
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))  # nothing duplicated in the feed
    if len(memory) > 4:
        assert memory[-1] - min(memory[:3]) < 40_000, memory  # KB: flat, not growing
        # No socket, file or thread left behind by a cycle (kept-alive connections: 4).
        assert held[-1][0] <= max(fds for fds, _ in held[:3]) + 4, held
        assert held[-1][1] <= max(threads for _, threads in held[:3]), held
