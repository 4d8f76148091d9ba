"""Adaptive polling: a source is not polled again before its origin's hint (RSS ttl,
sy:updatePeriod, Cache-Control max-age, Expires), within max_poll_delay."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytest_httpserver import HTTPServer
from tests_support import BLOG

from tdlc_syndication.config.loader import load_settings
from tdlc_syndication.pipeline.answers import refresh_hint
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.run import run_source
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.sources.feed import feed_refresh_hint

START = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
RSS = "application/rss+xml"


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def _source(url: str) -> str:
    return f'[[sources]]\nid = "src"\nkind = "feed"\nurl = "{url}"\nallow_private = true\n'


def _context(config: Path, clock: Clock) -> Context:
    return Context.create(load_settings(config), clock=clock)


def test_the_hints_an_origin_gives() -> None:
    assert refresh_hint({"cache-control": "public, max-age=1800"}) == 1800
    assert refresh_hint({"cache-control": "no-cache, max-age=600"}) is None
    assert (
        refresh_hint(
            {"expires": "Thu, 26 Nov 2026 13:00:00 GMT", "date": "Thu, 26 Nov 2026 12:00:00 GMT"}
        )
        == 3600
    )
    assert refresh_hint({}) is None
    assert feed_refresh_hint(b"<rss><channel><ttl>120</ttl>") == 7200
    weekly = b"<sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>"
    assert feed_refresh_hint(weekly) == 43200
    assert feed_refresh_hint(b"<rss><channel><title>x</title>") is None
    # A number int() refuses to read (over 4,300 digits) is no hint, not a failed source.
    assert feed_refresh_hint(b"<rss><channel><ttl>" + b"9" * 5000 + b"</ttl>") is None


def test_a_feed_with_a_ttl_is_not_polled_before_it(
    httpserver: HTTPServer, write_config: Callable[..., Path]
) -> None:
    feed = BLOG.replace("<channel>", "<channel><ttl>120</ttl>", 1)
    httpserver.expect_request("/feed").respond_with_data(feed, content_type=RSS)
    clock = Clock()
    config = write_config(_source(httpserver.url_for("/feed")), http="max_poll_delay = 86400")
    ctx = _context(config, clock)
    store = Store(ctx.settings.site.database)
    assert run_source(ctx, ctx.settings.source("src"), store).status == "ok"
    assert store.state("src").poll_after == START + timedelta(hours=2)
    clock.now = START + timedelta(minutes=90)
    early = run_source(ctx, ctx.settings.source("src"), store)
    assert early.status == "postponed"
    assert "no poll before" in (early.error or "")
    assert len(httpserver.log) == 1  # nothing was asked
    clock.now = START + timedelta(hours=2, minutes=1)
    assert run_source(ctx, ctx.settings.source("src"), store).status in ("ok", "not_modified")
    assert len(httpserver.log) == 2
    # --force ignores the hint.
    assert run_source(ctx, ctx.settings.source("src"), store, force=True).status != "postponed"


def test_max_age_on_a_304_counts_and_the_cap_bounds_it(
    httpserver: HTTPServer, write_config: Callable[..., Path]
) -> None:
    httpserver.expect_ordered_request("/feed").respond_with_data(
        BLOG, content_type=RSS, headers={"ETag": '"v1"'}
    )
    httpserver.expect_request("/feed").respond_with_data(
        "", status=304, headers={"Cache-Control": "max-age=604800"}
    )
    clock = Clock()
    config = write_config(_source(httpserver.url_for("/feed")), http="max_poll_delay = 3600")
    ctx = _context(config, clock)
    store = Store(ctx.settings.site.database)
    run_source(ctx, ctx.settings.source("src"), store)
    clock.now = START + timedelta(minutes=1)  # forced: the feed itself asks for an hour
    assert run_source(ctx, ctx.settings.source("src"), store, force=True).status == "not_modified"
    # A week asked for; the settings allow an hour at most.
    assert store.state("src").poll_after == clock.now + timedelta(hours=1)


def test_a_local_feed_file_is_read_whatever_its_ttl_says(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """A feed file on disk with a `<ttl>` (the demo's blog has one) was not read again
    for an hour: a second `run --once` of the quick start said it was postponed. A
    `<ttl>` spares a web server; a file costs nothing to read."""
    feed = tmp_path / "blog.rss"
    feed.write_text(BLOG.replace("<channel>", "<channel><ttl>120</ttl>", 1), encoding="utf-8")
    clock = Clock()
    source = f'[[sources]]\nid = "src"\nkind = "feed"\npath = "{feed}"\n'
    config = write_config(source, http="max_poll_delay = 86400")
    ctx = _context(config, clock)
    store = Store(ctx.settings.site.database)
    assert run_source(ctx, ctx.settings.source("src"), store).status == "ok"
    assert store.state("src").poll_after is None
    clock.now = START + timedelta(minutes=5)
    assert run_source(ctx, ctx.settings.source("src"), store).status == "not_modified"


def test_fetch_says_why_a_source_was_not_polled(
    httpserver: HTTPServer, write_config: Callable[..., Path]
) -> None:
    """The line of a source that did not run says why, not the counts of a run."""
    from tests_support import invoke

    feed = BLOG.replace("<channel>", "<channel><ttl>120</ttl>", 1)
    httpserver.expect_request("/feed").respond_with_data(feed, content_type=RSS)
    config = write_config(_source(httpserver.url_for("/feed")), http="max_poll_delay = 86400")
    assert invoke(config, "fetch")[0] == 0
    code, said = invoke(config, "fetch")
    assert code == 0, said
    assert "fetched src: postponed (the origin asks for no poll before " in said
    assert "+09:00 (`fetch --force` polls now)" in said  # in the site's zone, as status says
    assert "postponed;" not in said
