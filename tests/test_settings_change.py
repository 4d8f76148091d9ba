"""A change of the settings that shape a source's items (its own entry, ``[taxonomy]``,
``[normalise]``, ``site.language``) reads the source in full at its next run, so the
stored items are made again with them; ``fetch --full`` asks for the same by hand."""

from __future__ import annotations

import json
import pickle
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from tests_support import BLOG, NOW, MakeContext, invoke, sample_item
from werkzeug import Request, Response

from tdlc_syndication.config.loader import load_settings
from tdlc_syndication.pipeline import ledger, overview
from tdlc_syndication.pipeline.dedupe import decide
from tdlc_syndication.pipeline.ledger import SourceState, Validators, source_shape
from tdlc_syndication.pipeline.run import run_source, starting_point
from tdlc_syndication.pipeline.store import Store

ETAG = '"v1"'
PEER_ID = "src:https://blog.example.org/cpp/?p=1412"
PEER = "What ten years of city partnerships taught us about peer learning"


class Origin:
    """A feed that answers 304 to a request that names its ETag; it counts both kinds."""

    def __init__(self, server: HTTPServer) -> None:
        self.conditional = 0
        self.full = 0
        self.failing = False
        server.expect_request("/feed").respond_with_handler(self.answer)
        self.url = server.url_for("/feed")

    def answer(self, request: Request) -> Response:
        if self.failing:
            return Response("down", status=500)
        if request.headers.get("If-None-Match") == ETAG:
            self.conditional += 1
            return Response(status=304, headers={"ETag": ETAG})
        self.full += 1
        return Response(BLOG, content_type="application/rss+xml", headers={"ETag": ETAG})


@pytest.fixture
def origin(httpserver: HTTPServer) -> Origin:
    """The blog's feed, answering 304 to a request that names its ETag."""
    return Origin(httpserver)


def _source(url: str, extra: str = "") -> str:
    return f'[[sources]]\nid = "src"\nkind = "feed"\nurl = "{url}"\nallow_private = true\n{extra}'


def _run(make_context: MakeContext, config: Path) -> tuple[str, int, Store]:
    ctx = make_context(config)
    store = Store(ctx.settings.site.database)
    report = run_source(ctx, ctx.settings.source("src"), store)
    return report.status, report.changed, store


def test_a_sources_new_topics_reach_its_stored_items_though_its_feed_is_unchanged(
    origin: Origin, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    config = write_config(_source(origin.url))
    assert _run(make_context, config)[0] == "ok"
    assert _run(make_context, config)[0] == "not_modified"
    assert (origin.full, origin.conditional) == (1, 1)

    config = write_config(_source(origin.url, 'topics = ["disaster-risk-management"]\n'))
    status, changed, store = _run(make_context, config)
    assert (status, origin.full) == ("ok", 2)  # asked without its ETag
    assert changed == 9  # every item of the feed
    items = [s.item for s in store.items("src")]
    assert all("disaster-risk-management" in i.topics for i in items)
    # The settings changed the items, not their origin: no entry is shown as updated.
    assert all(i.updated is None for i in items)
    # Read with these settings now: asked "has it changed?" again.
    assert _run(make_context, config)[0] == "not_modified"
    assert (origin.full, origin.conditional) == (2, 2)


def test_when_and_whether_a_source_runs_do_not_read_it_again(
    origin: Origin, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    _run(make_context, write_config(_source(origin.url)))
    renamed = write_config(_source(origin.url, 'schedule = "every 5 minutes"\nname = "Blog"\n'))
    assert _run(make_context, renamed)[0] == "not_modified"
    assert origin.full == 1


def test_a_new_alias_in_the_taxonomy_classifies_the_stored_items_again(
    origin: Origin, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    config = write_config(_source(origin.url))
    _, _, store = _run(make_context, config)
    first = store.get_item(PEER_ID)
    assert first is not None
    assert "compact-cities" not in first.item.topics
    text = config.read_text("utf-8").replace(
        'aliases = ["light rail"]', 'aliases = ["light rail", "peer learning"]'
    )
    config.write_text(text, "utf-8")
    status, changed, store = _run(make_context, config)
    assert (status, changed) == ("ok", 1)
    found = store.get_item(PEER_ID)
    assert found is not None
    assert found.item.title == PEER
    assert "compact-cities" in found.item.topics
    assert store.explanation("src", found.item.id)  # the reason is stored with it


def test_a_read_in_full_that_fails_is_owed_still(
    origin: Origin, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    _, _, store = _run(make_context, write_config(_source(origin.url)))
    before = store.state("src").shape
    config = write_config(_source(origin.url, 'places = ["kobe"]\n'))
    origin.failing = True
    status, _, store = _run(make_context, config)
    assert status == "failed"
    assert store.state("src").shape == before
    origin.failing = False
    status, changed, store = _run(make_context, config)
    assert (status, changed, origin.full) == ("ok", 9, 2)
    assert store.state("src").shape != before


def test_a_store_from_before_reads_each_source_in_full_once(
    origin: Origin, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    config = write_config(_source(origin.url))
    _run(make_context, config)
    with sqlite3.connect(config.parent / "store.db") as db:  # as version 11 left it
        db.execute("UPDATE source_state SET shape = NULL")
    assert _run(make_context, config)[0] == "ok"
    assert _run(make_context, config)[0] == "not_modified"
    assert (origin.full, origin.conditional) == (2, 1)


def test_an_upgrade_that_makes_items_anew_is_not_called_a_change_of_settings(
    origin: Origin, write_config: Callable[..., Path]
) -> None:
    """After an upgrade that raised ``ITEMS_VERSION``, every source is read in full once:
    ``status`` and the logs said its settings changed, which the operator had not touched."""
    config = write_config(_source(origin.url))
    assert invoke(config, "fetch")[0] == 0
    with sqlite3.connect(config.parent / "store.db") as db:  # as the version before left it
        db.execute("UPDATE source_state SET shape = '0:' || substr(shape, instr(shape, ':') + 1)")
    code, shown = invoke(config, "status")
    assert code == 0, shown
    assert "program upgraded: read in full next run" in shown
    assert "settings changed" not in shown
    rows = json.loads(invoke(config, "status", "--json")[1])
    assert [(r["read_in_full"], r["read_in_full_why"]) for r in rows] == [(True, "program")]
    code, fetched = invoke(config, "-v", "fetch")
    assert code == 0, fetched
    assert "read in full: this version of the program makes items anew" in fetched
    assert origin.full == 2


def test_status_right_after_an_upgrade_says_the_sources_are_read_in_full(
    origin: Origin, write_config: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The settings snapshot ``status`` reads holds each source's shape; one kept by the
    version before (the same settings file) has that version's, and must not be taken."""
    config = write_config(_source(origin.url))
    assert invoke(config, "fetch")[0] == 0  # keeps the snapshot, shapes of ITEMS_VERSION
    assert "read in full" not in invoke(config, "status")[1]
    for module in (ledger, overview):  # the upgrade: this program makes items anew
        monkeypatch.setattr(module, "ITEMS_VERSION", ledger.ITEMS_VERSION + 1)
    code, shown = invoke(config, "status")
    assert code == 0, shown
    assert "program upgraded: read in full next run" in shown
    code, fetched = invoke(config, "-v", "fetch")
    assert "read in full: this version of the program makes items anew" in fetched
    assert "read in full" not in invoke(config, "status")[1]


def test_fetch_full_reads_again_what_has_not_changed(
    origin: Origin, write_config: Callable[..., Path]
) -> None:
    config = write_config(_source(origin.url))
    assert invoke(config, "fetch")[0] == 0
    assert invoke(config, "fetch")[0] == 0
    assert (origin.full, origin.conditional) == (1, 1)
    code, output = invoke(config, "fetch", "--full")
    assert code == 0, output
    assert "src" in output
    assert "ok" in output
    assert (origin.full, origin.conditional) == (2, 1)
    assert invoke(config, "fetch")[0] == 0
    assert (origin.full, origin.conditional) == (2, 2)
    assert "--full" in invoke(config, "fetch", "--help")[1]


def test_a_read_in_full_starts_without_validators_and_cursor(
    write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    ctx = make_context(write_config(_source("https://feeds.example.org/feed")))
    config = ctx.settings.source("src")
    known = {"https://feeds.example.org/feed": Validators(etag=ETAG)}
    current = SourceState(
        source="src", cursor="2026-11-01", shape=source_shape(ctx.settings, config)
    )
    assert starting_point(ctx, config, current, known) == (current, known)
    for shape in ("0:old", None):
        state, validators = starting_point(ctx, config, replace(current, shape=shape), known)
        assert (state.cursor, dict(validators)) == (None, {})


def test_what_shapes_a_sources_items(tmp_path: Path, write_config: Callable[..., Path]) -> None:
    def shape(sources: str = "", extra: str = "") -> str:
        settings = load_settings(
            write_config(_source("https://a.example.org/f", sources), extra=extra)
        )
        return settings.item_shape(settings.source("src"))

    base = shape()
    assert shape('schedule = "daily"\nname = "A"\nenabled = false\n') == base
    assert shape("max_items = 20\n") != base
    assert shape('kind_map = { "news" = "report" }\n') != base
    assert shape(extra="[normalise]\nsummary_length = 100\n") != base
    # Settings taken from the cache keep the shapes they were validated with.
    settings = load_settings(write_config(_source("https://a.example.org/f")))
    settings.item_shape(settings.source("src"))
    copy = pickle.loads(pickle.dumps(settings))
    assert copy.item_shape(copy.source("src")) == base
    # A source that is not one of the settings' own is shaped by what it says.
    other = settings.source("src").model_copy(update={"max_items": 20})
    assert settings.item_shape(other) != base


def test_an_item_remade_by_changed_settings_keeps_its_date_of_update() -> None:
    old = decide(sample_item(updated=None), None, NOW).stored
    remade = sample_item(updated=None, topics=("water",))
    assert decide(remade, old, NOW, reshaped=True).stored.item.updated is None
    assert decide(remade, old, NOW).stored.item.updated == NOW


def test_status_says_which_sources_the_next_run_reads_in_full(
    origin: Origin, write_config: Callable[..., Path]
) -> None:
    config = write_config(_source(origin.url))
    assert invoke(config, "fetch")[0] == 0
    assert "read in full" not in invoke(config, "status")[1]
    config = write_config(_source(origin.url, 'kind_map = { "peer learning" = "report" }\n'))
    code, shown = invoke(config, "status")
    assert code == 0, shown
    assert "settings changed: read in full next run" in shown
    code, checked = invoke(config, "check")
    assert code == 0, checked
    assert "note: the next run reads 1 source in full" in checked
    rows = json.loads(invoke(config, "status", "--json")[1])
    assert [(r["read_in_full"], r["read_in_full_why"]) for r in rows] == [(True, "settings")]
    assert invoke(config, "fetch")[0] == 0
    assert origin.full == 2
    assert "read in full" not in invoke(config, "status")[1]


def _status_row(config: Path) -> dict[str, object]:
    rows = json.loads(invoke(config, "status", "--json")[1])
    return next(row for row in rows if row["id"] == "src")


def test_a_failing_source_runs_at_once_after_its_entry_is_edited(
    httpserver: HTTPServer, write_config: Callable[..., Path]
) -> None:
    """An operator mended a failing source's address; it still waited out its back-off
    (up to `backoff_max`, a day) unless run with `fetch --force`, and `status` gave the
    old wait. An edit of the source's own entry since its last run failed now lets it run
    at the next run, as miniflux clears a feed's errors when it is edited. An edit that
    cannot mend it (its `name`) leaves the wait, and one that fails waits again."""
    httpserver.expect_request("/old").respond_with_data("moved", status=404)
    httpserver.expect_request("/feed").respond_with_data(BLOG, content_type="application/rss+xml")
    http = "backoff_base = 3600"
    config = write_config(_source(httpserver.url_for("/old")), http=http)
    assert "failed" in invoke(config, "fetch")[1]
    assert "postponed" in invoke(config, "fetch")[1]
    assert _status_row(config)["waiting_until"] is not None

    config = write_config(_source(httpserver.url_for("/old"), 'name = "Old blog"\n'), http=http)
    assert "postponed" in invoke(config, "fetch")[1]

    config = write_config(_source(httpserver.url_for("/feed")), http=http)
    row = _status_row(config)
    assert row["waiting_until"] is None
    assert row["status"] == "failing"  # until it runs
    code, shown = invoke(config, "fetch")
    assert code == 0, shown
    assert (_status_row(config)["status"], _status_row(config)["items"]) == ("ok", 10)

    config = write_config(_source(httpserver.url_for("/missing")), http=http)
    assert "failed" in invoke(config, "fetch")[1]  # a new address that fails: runs, fails
    assert "postponed" in invoke(config, "fetch")[1]  # and waits again


def test_a_retired_source_runs_again_when_its_address_is_edited(
    httpserver: HTTPServer, write_config: Callable[..., Path]
) -> None:
    """A feed that answered 410 Gone is retired until `fetch --force`: an operator who put
    its new address in the settings saw it stay `retired`. The edit now runs it."""
    httpserver.expect_request("/old").respond_with_data("gone", status=410)
    httpserver.expect_request("/feed").respond_with_data(BLOG, content_type="application/rss+xml")
    config = write_config(_source(httpserver.url_for("/old")))
    invoke(config, "fetch")
    assert "retired" in invoke(config, "fetch")[1]
    config = write_config(_source(httpserver.url_for("/feed")))
    code, shown = invoke(config, "fetch")
    assert (code, _status_row(config)["status"]) == (0, "ok"), shown
