"""The SQLite store: round trips, migrations, idempotent writes, the archive, duplicates."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from tests_support import NOW, bulk_item, sample_item, sqlite_steps

from tdlc_syndication.pipeline.dedupe import decide
from tdlc_syndication.pipeline.errors import StoreError
from tdlc_syndication.pipeline.keep import relink_stories
from tdlc_syndication.pipeline.ledger import RunReport, Skipped, SourceState, Validators
from tdlc_syndication.pipeline.model import (
    Event,
    StoredItem,
    compact_json,
    content_hash,
    item_to_dict,
)
from tdlc_syndication.pipeline.schema import SCHEMA_VERSION
from tdlc_syndication.pipeline.store import ItemWrite, Store


def test_item_round_trip_is_equal(store: Store) -> None:
    item = sample_item()
    store.put_item(decide(item, None, NOW).stored)
    loaded = store.get_items("blog")["blog:1"]
    assert loaded.item == item
    assert loaded.first_seen == NOW
    assert loaded.content_hash == content_hash(item)


def test_schema_version_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store(path) as first:
        first.put_item(decide(sample_item(), None, NOW).stored)
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


def test_duplicates_across_sources_link_to_the_richest(store: Store) -> None:
    rich = sample_item()
    thin = sample_item(
        id="city:9", source="city", content_html="", summary="", media=(), authors=()
    )
    with store.transaction():
        store.put_item(decide(thin, None, NOW).stored)
        store.put_item(decide(rich, None, NOW + timedelta(hours=1)).stored)
        relink_stories(store, [f"url:{rich.url}"])
    canon = store.canonical_items()
    assert [s.item.id for s in canon] == ["blog:1"]
    assert canon[0].also_seen_at == ("city:9",)
    assert store.get_items("city")["city:9"].duplicate_of == "blog:1"


def test_many_states_and_runs_are_written_several_rows_a_statement(store: Store) -> None:
    states = [
        SourceState(source=f"s{n:03d}", consecutive_failures=n, last_attempt=NOW)
        for n in range(130)  # three statements of at most 45 rows
    ]
    runs = [
        RunReport(
            source="s000",
            status="ok",
            started=NOW + timedelta(minutes=n),
            finished=NOW + timedelta(minutes=n, seconds=2),
            new=n,
            skipped=(Skipped(f"https://x/{n}", "timed out"),) if n % 11 == 0 else (),
        )
        for n in range(100)
    ]
    with store.transaction():
        store.put_states(states)
        store.put_states([replace(states[5], status="stale")])  # replaces, as one row did
        store.add_runs(runs)
        store.add_runs([])
        forgotten = RunReport(source="gone", status="ok", started=NOW, finished=NOW)
        store.add_runs([replace(forgotten, skipped=(Skipped("https://x/g", "404"),))])
    assert store.states() == {s.source: s for s in states} | {
        "s005": replace(states[5], status="stale")
    }
    assert store.runs("s000", limit=200) == runs[::-1]  # in order, newest first
    # the latest run's, of the sources with a state ("gone" was forgotten: runs, no state)
    assert store.last_skipped() == {"s000": (Skipped("https://x/99", "timed out"),)}


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
        store.put_states([state])
        store.put_validators("blog", "https://x/feed", Validators('"e"', "Wed, 01 Jan 2025", "h"))
    assert store.state("blog") == state
    assert store.validators("blog") == {
        "https://x/feed": Validators('"e"', "Wed, 01 Jan 2025", "h")
    }
    assert store.state("never") == SourceState(source="never")


def test_failed_transaction_leaves_nothing(store: Store) -> None:
    def write_then_fail() -> None:
        with store.transaction():
            store.put_item(decide(sample_item(), None, NOW).stored)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert store.items() == []


def test_stored_item_sort_date_falls_back_to_first_seen() -> None:
    undated = StoredItem(
        item=sample_item(published=None, published_precision=None),
        first_seen=NOW,
        last_seen=NOW,
        last_changed=NOW,
        content_hash="x",
    )
    assert undated.sort_date == NOW


def test_a_version_1_store_migrates_and_keeps_its_items(tmp_path: Path) -> None:
    from tdlc_syndication.pipeline.model import item_to_dict
    from tdlc_syndication.pipeline.schema import MIGRATIONS, SCHEMA_VERSION

    path = tmp_path / "old.db"
    item = sample_item(identifiers=("wds:31476985",))
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        MIGRATIONS[1](db)
        db.execute("PRAGMA user_version = 1")
        db.execute(
            "INSERT INTO items (source, id, url, data, content_hash, first_seen, last_seen, "
            "last_changed, sort_date) VALUES (?, ?, ?, ?, 'h', ?, ?, ?, ?)",
            (
                item.source,
                item.id,
                item.url,
                json.dumps(item_to_dict(item)),
                *[NOW.isoformat()] * 4,
            ),
        )
        db.execute(
            "INSERT INTO runs (source, started, finished, status) VALUES ('blog', ?, ?, 'ok')",
            (NOW.isoformat(), NOW.isoformat()),
        )
    with Store(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.get_items("blog")["blog:1"].item == item
        # Version 2 indexed the story keys of the items already there.
        assert store.item_keys("blog", "blog:1") == {
            f"url:{item.url}",
            "id:wds:31476985",
            "title:compactcities|2026-10-01",
        }
        (run,) = store.runs()
        assert (run.status, run.retracted, run.skipped) == ("ok", 0, ())
        # Version 10 dropped the index of items.url, which no query reads.
        indexes = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master")}
        assert "items_url" not in indexes
        assert {"items_sort", "items_duplicate", "items_id"} <= indexes
        # Version 11 counted the runs already there.
        assert store.run_totals()[0] == {("blog", "ok"): 1}


def test_hash_and_json_give_what_content_hash_and_item_json_give() -> None:
    from tdlc_syndication.pipeline.model import content_hash, hash_and_json, item_json

    item = sample_item(extra=(("wb:docty", "Report"),))
    assert hash_and_json(item) == (content_hash(item), item_json(item))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(_JSON)
@example({"length": 2**64})  # past 64 bits: orjson refuses it, json writes it
@example({"title": "\ud800"})  # a lone surrogate: neither writes it
@example({"length": -(2**63) - 1, "t": "x\u2028\x7f\x1f"})
def test_compact_json_writes_the_bytes_json_writes(data: object) -> None:
    """orjson's bytes are json's, so that no content hash changes with the writer (a lone
    surrogate fails as it did; orjson refuses it and json's bytes cannot be encoded)."""
    try:
        expected = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        wanted = expected.encode("utf-8")
    except UnicodeEncodeError:
        with pytest.raises(UnicodeEncodeError):
            compact_json(data)
        return
    assert compact_json(data) == wanted


def test_content_hashes_are_those_of_the_stores_written_before() -> None:
    """The hash of an item with every field set (non-ASCII text, escapes, a file, an
    event) is the sha256 of json's compact sorted JSON, as the stores already hold it."""
    item = sample_item(
        title='Toyama "LRT" 富山 \\ tab\there',
        content_html='<p>Line\nbreak <a href="https://example.org/?a=1&amp;b=2">x</a></p>',
        event=Event(start=NOW, location="Toyama\u2028City"),
        identifiers=("doi:10.1/x",),
    )
    seen = {k: v for k, v in item_to_dict(item).items() if k not in ("extra", "source")}
    blob = json.dumps(seen, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert content_hash(item) == hashlib.sha256(blob.encode("utf-8")).hexdigest()


def test_items_in_either_json_spelling_read_back_the_same(tmp_path: Path) -> None:
    """A row written before (json's default separators) and one written now read back as
    the same item."""
    item = sample_item()
    with Store(tmp_path / "s.db") as store:
        with store.transaction():
            store.put_item(decide(item, None, NOW).stored)
        now = store.get_item(item.id)
        store.db.execute(
            "UPDATE items SET data = ?",
            (json.dumps(item_to_dict(item), ensure_ascii=False, sort_keys=True),),
        )
        before = store.get_item(item.id)
    assert now is not None
    assert before is not None
    assert now.item == before.item == item


def test_item_counts_per_source_are_kept_by_the_store(tmp_path: Path) -> None:
    from tdlc_syndication.pipeline.keep import forget_items

    with Store(tmp_path / "s.db") as store:
        with store.transaction():
            for n in range(5):
                source = "a" if n < 3 else "b"
                item = sample_item(id=f"{source}:{n}", source=source, url=f"https://x.org/{n}")
                store.put_item(decide(item, None, NOW).stored)
        assert store.count_items() == {"a": 3, "b": 2}
        assert forget_items(store, item_ids=["a:0"]) == 1
        assert forget_items(store, sources=["b"]) == 2
        counted = store.db.execute("SELECT source, COUNT(*) FROM items GROUP BY source")
        assert store.count_items() == dict(counted.fetchall()) == {"a": 2}


def test_a_full_disk_is_a_store_error_and_keeps_what_was_committed(tmp_path: Path) -> None:
    """SQLite rolls a transaction back by itself when the disk fills (a page limit
    stands in for the disk here). The store then tried its own ROLLBACK, which raised
    "cannot rollback - no transaction is active": that traceback replaced the error
    that says the disk is full, and `fetch` ended with it."""
    with Store(tmp_path / "store.db") as store:
        with store.transaction():
            store.set_publish_value("kept", "before")
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages + 2}")
        full = pytest.raises(StoreError, match="database or disk is full; free disk space")
        with full, store.transaction():
            store.set_publish_value("late", "x" * 100_000)
        assert not store.db.in_transaction
        store.db.execute("PRAGMA max_page_count = 1073741823")
        with store.transaction():  # usable again once there is room
            store.set_publish_value("after", "room again")
        assert store.publish_value("kept") == "before"
        assert store.publish_value("late") is None
        assert store.publish_value("after") == "room again"


def _steps_to_forget_one(path: Path, size: int) -> int:
    """SQLite's steps to forget one item of a store of ``size``."""
    with Store(path) as store:
        with store.transaction():
            store.put_items(
                [ItemWrite(decide(bulk_item(n), None, NOW).stored) for n in range(size)]
            )
        with sqlite_steps(store.db) as steps, store.transaction():
            keys = store.forget([("bulk", "bulk:7")])
        assert keys == {"url:https://bulk.example.org/7", "title:item7|2026-01-08"}
        assert store.get_item("bulk:7") is None
        return steps[0]


def test_forgetting_an_item_takes_no_longer_in_a_larger_store(tmp_path: Path) -> None:
    """Its story keys are found by the item (a condition on ``source || id`` read every
    key for every 500 items forgotten: 130 s to forget a source of 300,000)."""
    small = _steps_to_forget_one(tmp_path / "small.db", 50)
    large = _steps_to_forget_one(tmp_path / "large.db", 2_000)
    assert large <= small + 5, (small, large)


def test_reading_a_damaged_store_a_chunk_at_a_time_says_what_to_do(store: Store) -> None:
    store.put_item(decide(sample_item(), None, NOW).stored)
    store.db.execute("DROP TABLE items")
    with pytest.raises(StoreError, match="no such table: items"):
        next(store.each_item())
    store.db.execute("DROP TABLE changes")
    with pytest.raises(StoreError, match="no such table: changes"):
        list(store.changed_ids(0, 10))
