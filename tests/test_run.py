"""End to end: sources → store → outputs, re-runs, and failures that stay contained."""

from __future__ import annotations

import json
import os
import queue
import random
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest
from pytest_httpserver import HTTPServer

from tdlc_syndication.config.loader import DEMO_CONFIG
from tdlc_syndication.pipeline import run as run_module
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.publish import publish
from tdlc_syndication.pipeline.run import run_sources

DEMO_FEEDS = DEMO_CONFIG.parent / "demo" / "feeds"


def _run_all(ctx: Context) -> dict[str, str]:
    reports = run_sources(ctx, ctx.settings.sources)
    with ctx.open_store() as store:
        publish(ctx, store)
    return {r.source: r.status for r in reports}


def test_demo_end_to_end_and_idempotent_rerun(
    tmp_path: Path, make_context: Callable[[Path], Context], demo_config: Path
) -> None:
    ctx = make_context(demo_config)
    assert set(_run_all(ctx).values()) == {"ok"}
    public = tmp_path / "public"
    for name in ("index.html", "feeds/all.atom", "feeds/all.rss"):
        assert (public / name).is_file()
    atom = feedparser.parse((public / "feeds/all.atom").read_bytes())
    assert atom.bozo == 0
    assert len(atom.entries) == 46
    with ctx.open_store() as store:
        total = len(store.items())
        rows_before = store.db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    assert total == 46
    mtimes = {p: p.stat().st_mtime_ns for p in public.rglob("*") if p.is_file()}

    # Second run, at once: no file changed, so nothing is parsed, stored or rewritten (the
    # blog's feed asks for an hour between polls, sy:updatePeriod: a file is read anyway).
    statuses = _run_all(ctx)
    assert set(statuses.values()) == {"not_modified"}
    with ctx.open_store() as store:
        assert len(store.items()) == 46
        assert store.db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == rows_before + 5
    assert {p: p.stat().st_mtime_ns for p in public.rglob("*") if p.is_file()} == mtimes


def test_edit_updates_in_place_and_vanished_items_stay(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    feed = tmp_path / "feed.xml"
    text = (DEMO_FEEDS / "tdlc-blog.rss").read_text("utf-8")
    feed.write_text(text, encoding="utf-8")
    ctx = make_context(write_config(f'[[sources]]\nid = "blog"\nkind = "feed"\npath = "{feed}"\n'))
    _run_all(ctx)
    with ctx.open_store() as store:
        before = store.get_items("blog")
    # Edit one title, drop another item entirely.
    edited = text.replace(
        "Smart city data platforms: what mid-sized cities can start with",
        "Smart city data platforms: where mid-sized cities can start",
    )
    start = edited.index("<item>\n    <title>Heritage and tourism")
    edited = edited[:start] + edited[edited.index("</item>", start) + len("</item>") :]
    feed.write_text(edited, encoding="utf-8")
    later = ctx.clock() + timedelta(hours=2)
    ctx.clock = lambda: later
    reports = run_sources(ctx, ctx.settings.sources)
    assert (reports[0].new, reports[0].changed, reports[0].unchanged) == (0, 1, 8)
    with ctx.open_store() as store:
        after = store.get_items("blog")
    assert len(after) == 10  # the vanished item stays in the archive
    smart = after["blog:https://blog.example.org/cpp/?p=1322"]
    assert smart.item.title == "Smart city data platforms: where mid-sized cities can start"
    assert smart.first_seen == before[smart.item.id].first_seen
    assert smart.last_changed == later
    assert smart.item.updated == later


def test_broken_source_is_recorded_and_others_and_outputs_survive(
    server: HTTPServer,
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
) -> None:
    server.expect_request("/good.rss").respond_with_data(
        (DEMO_FEEDS / "tdlc-blog.rss").read_bytes(), content_type="application/rss+xml"
    )
    server.expect_request("/page").respond_with_data(
        "<!doctype html><html><body>Just a moment...</body></html>", content_type="text/html"
    )
    sources = (
        f'[[sources]]\nid = "good"\nkind = "feed"\nurl = "{server.url_for("/good.rss")}"\n'
        "allow_private = true\n"
        f'[[sources]]\nid = "html"\nkind = "feed"\nurl = "{server.url_for("/page")}"\n'
        "allow_private = true\n"
        f'[[sources]]\nid = "missing"\nkind = "feed"\npath = "{tmp_path / "nope.xml"}"\n'
    )
    ctx = make_context(write_config(sources))
    statuses = _run_all(ctx)
    assert statuses == {"good": "ok", "html": "failed", "missing": "failed"}
    with ctx.open_store() as store:
        html_state = store.state("html")
        assert html_state.consecutive_failures == 1
        assert "not an RSS, RDF or Atom feed" in (html_state.last_error or "")
        assert "bot check" in (html_state.last_error or "")  # "Just a moment...": Cloudflare's
        assert "cannot read" in (store.state("missing").last_error or "")
        assert len(store.items("good")) == 10
    atom = (tmp_path / "public" / "feeds" / "all.atom").read_bytes()
    assert atom.count(b"</entry>") == 10  # an entry may say its language

    # The good source breaks too: its items and the published feed stay as they were.
    server.clear()
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    server.expect_request("/good.rss").respond_with_data("oops", status=500)
    statuses = _run_all(ctx)
    assert statuses["good"] == "failed"
    assert (tmp_path / "public" / "feeds" / "all.atom").read_bytes() == atom


def test_unexpected_error_inside_a_source_is_contained(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"\x00\x01binary garbage\xff")
    good = tmp_path / "good.xml"
    good.write_bytes((DEMO_FEEDS / "toyama-city.rdf").read_bytes())
    ctx = make_context(
        write_config(
            f'[[sources]]\nid = "bad"\nkind = "feed"\npath = "{bad}"\n'
            f'[[sources]]\nid = "good"\nkind = "feed"\npath = "{good}"\n'
        )
    )
    statuses = _run_all(ctx)
    assert statuses == {"bad": "failed", "good": "ok"}
    with ctx.open_store() as store:
        runs = store.runs("bad")
    assert runs[0].status == "failed"
    assert json.dumps(runs[0].error)
    assert os.path.exists(tmp_path / "public" / "index.html")


def test_the_writer_takes_every_result_before_the_workers_last_done(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Workers put their results, then "done", while the writer takes batches: every
    result is taken by the time all workers said "done", whatever the interleaving (an
    entry put back behind the others once left sources out of a run)."""
    monkeypatch.setattr(run_module, "BATCH", 3)  # small batches: many interleavings
    rng = random.Random(7)
    for _ in range(300):
        queues = [
            [f"{w}/{n}" for n in range(rng.randint(0, 10))] for w in range(rng.choice([2, 4, 16]))
        ]
        expected = sorted(r for q in queues for r in q)
        unsent = [[*q, None] for q in queues]
        results: queue.Queue[str | None] = queue.Queue()
        taken: list[str] = []
        running = len(queues)
        while running:
            if unsent and (results.empty() or rng.random() < 0.7):
                worker = rng.choice(unsent)
                results.put(worker.pop(0))
                if not worker:
                    unsent.remove(worker)
                continue
            batch, ended = run_module._next_batch(results)  # type: ignore[arg-type]
            assert len(batch) <= 3
            taken.extend(batch)  # type: ignore[arg-type]
            running -= ended
        assert sorted(taken) == expected
