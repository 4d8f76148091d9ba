"""Adaptive polling: a source is not polled again before its origin's hint (RSS ttl,
sy:updatePeriod, Cache-Control max-age, Expires), within max_poll_delay."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
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


_DATE = "Sun, 06 Dec 2026 08:00:00 GMT"


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        # Age: how long a CDN has held the answer, less of its lifetime; the first of a
        # list; a value that is no whole number of seconds is none
        ({"cache-control": "max-age=3600", "age": "3000"}, 600),
        ({"cache-control": "max-age=3600", "age": "2147483649"}, 0),
        ({"cache-control": "max-age=3600", "age": "7200, 0"}, 0),
        ({"cache-control": "max-age=3600", "age": "0, 7200"}, 3600),
        ({"cache-control": "max-age=3600", "age": "-7200"}, 3600),
        ({"cache-control": "max-age=3600", "age": "7200.0"}, 3600),
        ({"expires": "Sun, 06 Dec 2026 09:00:00 GMT", "date": _DATE, "age": "600"}, 3000),
        # a max-age in a quoted value is none; the first max-age; a quoted number; one
        # that is no whole number makes the answer stale
        ({"cache-control": 'ext="a, max-age=3600", max-age=60'}, 60),
        ({"cache-control": "max-age=1800, max-age=1"}, 1800),
        ({"cache-control": 'max-age="3600"'}, 3600),
        ({"cache-control": "max-age='3600'"}, None),
        ({"cache-control": "max-age=3600a", "expires": "Sun, 06 Dec 2026 09:00:00 GMT",
          "date": _DATE}, None),
        # no-cache naming header fields keeps the answer fresh; in a quoted value it is none
        ({"cache-control": 'no-cache="Set-Cookie", max-age=600'}, 600),
        ({"cache-control": 'ext="no-cache", max-age=600'}, 600),
        ({"cache-control": "No-Store, max-age=600"}, None),
        # Expires: RFC 9110's three forms in any case; else a time past
        ({"expires": "SUN, 06 DEC 2026 09:00:00 gmt", "date": _DATE}, 3600),
        ({"expires": "Sunday, 06-Dec-26 09:00:00 GMT", "date": _DATE}, 3600),
        ({"expires": "Sun Dec  6 09:00:00 2026", "date": _DATE}, 3600),
        ({"expires": "Sun, 06 Dec 2026 09:00:00 UTC", "date": _DATE}, None),
        ({"expires": "Sun, 06 Dec 26 09:00:00 GMT", "date": _DATE}, None),
        ({"expires": "Sun 06 Dec 2026 09:00:00 GMT", "date": _DATE}, None),
        ({"expires": "Sun, 06  Dec  2026 09:00:00 GMT", "date": _DATE}, None),
        ({"expires": "Sun, 06-Dec-2026 09:00:00 GMT", "date": _DATE}, None),
        ({"expires": "0", "date": _DATE}, None),
    ],
)  # fmt: skip
def test_how_long_an_answer_is_fresh_is_reckoned_as_rfc_9111_says(
    headers: dict[str, str], seconds: float | None
) -> None:
    """Cases of the HTTP caching tests (http-tests/cache-tests: Age, Cache-Control and
    Expires parsing). A CDN's answer with ``max-age=3600`` held 3,000 s already kept a
    feed from being polled for an hour where ten minutes were left; an ``Expires`` in no
    HTTP date's form (``UTC`` for ``GMT``), which a cache reads as past, held it off too."""
    assert refresh_hint(headers) == seconds


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
