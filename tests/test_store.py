"""The SQLite store: round trips, migrations, idempotent writes, the archive, duplicates."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tdlc_syndication.pipeline.dedupe import decide
from tdlc_syndication.pipeline.errors import StoreError
from tdlc_syndication.pipeline.http import Validators
from tdlc_syndication.pipeline.model import Item, Media, SourceState, StoredItem, content_hash
from tdlc_syndication.pipeline.run import relink_stories
from tdlc_syndication.pipeline.schema import SCHEMA_VERSION
from tdlc_syndication.pipeline.store import Store

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _item(**changes: object) -> Item:
    base = Item(
        id="blog:1",
        source="blog",
        kind="knowledge_note",
        title="Compact cities",
        url="https://example.org/a",
        summary="About compact cities.",
        content_html="<p>About <strong>compact</strong> cities.</p>",
        authors=("Tanaka, Aiko",),
        published=datetime(2026, 10, 1, tzinfo=UTC),
        published_precision="day",
        language="en",
        topics=("compact-cities",),
        places=("toyama",),
        categories=("Planning",),
        media=(Media(url="https://example.org/a.pdf", mime="application/pdf", length=10),),
        thumbnail="https://example.org/a.jpg",
        extra=(("file", "a.md"),),
    )
    return replace(base, **changes)


def test_item_round_trip_is_equal(store: Store) -> None:
    item = _item()
    store.put_item(decide(item, None, NOW).stored)
    loaded = store.get_items("blog")["blog:1"]
    assert loaded.item == item
    assert loaded.first_seen == NOW
    assert loaded.content_hash == content_hash(item)


def test_schema_version_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store(path) as first:
        first.put_item(decide(_item(), None, NOW).stored)
    with Store(path) as again:
        assert again.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert again.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert len(again.items()) == 1


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer than this program"):
        Store(path)


def test_decide_new_unchanged_changed() -> None:
    item = _item()
    new = decide(item, None, NOW)
    assert new.status == "new"
    assert decide(item, new.stored, NOW + timedelta(hours=1)).status == "unchanged"
    later = NOW + timedelta(days=1)
    changed = decide(replace(item, title="Compact cities, revised"), new.stored, later)
    assert changed.status == "changed"
    assert changed.stored.first_seen == NOW
    assert changed.stored.last_changed == later
    assert changed.stored.item.updated == later  # the origin gave no updated date
    # Only the extra pairs differ: not an edit.
    assert decide(replace(item, extra=()), new.stored, later).status == "unchanged"


def test_duplicates_across_sources_link_to_the_richest(store: Store) -> None:
    rich = _item()
    thin = _item(id="city:9", source="city", content_html="", summary="", media=(), authors=())
    with store.transaction():
        store.put_item(decide(thin, None, NOW).stored)
        store.put_item(decide(rich, None, NOW + timedelta(hours=1)).stored)
        relink_stories(store, [f"url:{rich.url}"])
    canon = store.canonical_items()
    assert [s.item.id for s in canon] == ["blog:1"]
    assert canon[0].also_seen_at == ("city:9",)
    assert store.get_items("city")["city:9"].duplicate_of == "blog:1"


def test_state_and_validators_round_trip(store: Store) -> None:
    state = SourceState(
        source="blog",
        status="failing",
        url="https://moved.example.org/feed",
        last_attempt=NOW,
        last_error="boom",
        consecutive_failures=2,
        retry_after=NOW + timedelta(minutes=5),
    )
    with store.transaction():
        store.put_state(state)
        store.put_validators("blog", "https://x/feed", Validators('"e"', "Wed, 01 Jan 2025", "h"))
    assert store.state("blog") == state
    assert store.validators("blog") == {
        "https://x/feed": Validators('"e"', "Wed, 01 Jan 2025", "h")
    }
    assert store.state("never") == SourceState(source="never")


def test_failed_transaction_leaves_nothing(store: Store) -> None:
    def write_then_fail() -> None:
        with store.transaction():
            store.put_item(decide(_item(), None, NOW).stored)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert store.items() == []


def test_stored_item_sort_date_falls_back_to_first_seen() -> None:
    undated = StoredItem(
        item=_item(published=None, published_precision=None),
        first_seen=NOW,
        last_seen=NOW,
        last_changed=NOW,
        content_hash="x",
    )
    assert undated.sort_date == NOW
