"""The store's schema, as a numbered list of migrations (``PRAGMA user_version``).

A new version appends a function to ``MIGRATIONS``; ``Store`` runs the missing ones in
one transaction when it opens a file.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable
from typing import Any

Migration = Callable[[sqlite3.Connection], None]


def _v1(db: sqlite3.Connection) -> None:
    _script(
        db,
        """
        CREATE TABLE items (
            source TEXT NOT NULL,
            id TEXT NOT NULL,
            url TEXT NOT NULL,
            data TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            last_changed TEXT NOT NULL,
            sort_date TEXT NOT NULL,
            duplicate_of TEXT,
            PRIMARY KEY (source, id)
        );
        CREATE INDEX items_url ON items (url);
        CREATE INDEX items_sort ON items (sort_date DESC, id);
        CREATE INDEX items_duplicate ON items (duplicate_of);
        CREATE TABLE http_cache (
            source TEXT NOT NULL,
            location TEXT NOT NULL,
            etag TEXT,
            last_modified TEXT,
            body_hash TEXT,
            PRIMARY KEY (source, location)
        );
        CREATE TABLE source_state (
            source TEXT PRIMARY KEY,
            status TEXT NOT NULL DEFAULT 'ok',
            url TEXT,
            moved_from TEXT,
            last_attempt TEXT,
            last_success TEXT,
            last_error TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            retry_after TEXT,
            cursor TEXT
        );
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            source TEXT NOT NULL,
            started TEXT NOT NULL,
            finished TEXT NOT NULL,
            status TEXT NOT NULL,
            new INTEGER NOT NULL DEFAULT 0,
            changed INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            dropped INTEGER NOT NULL DEFAULT 0,
            notes TEXT,
            error TEXT
        );
        CREATE INDEX runs_source ON runs (source, id);
        CREATE TABLE publications (
            path TEXT PRIMARY KEY,
            content_hash TEXT NOT NULL,
            published_at TEXT NOT NULL
        );
        """,
    )


def _script(db: sqlite3.Connection, script: str) -> None:
    """Run ';'-separated statements inside the caller's transaction (executescript would
    commit it)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _v2(db: sqlite3.Connection) -> None:
    """Story keys for cross-source duplicates, id aliases for re-issued GUIDs, and the
    classification explanation of each item."""
    _script(
        db,
        """
        ALTER TABLE items ADD COLUMN explain TEXT;
        CREATE TABLE item_keys (
            key TEXT NOT NULL,
            source TEXT NOT NULL,
            id TEXT NOT NULL,
            PRIMARY KEY (key, source, id)
        );
        CREATE INDEX item_keys_item ON item_keys (source, id);
        CREATE TABLE id_aliases (
            source TEXT NOT NULL,
            alias TEXT NOT NULL,
            id TEXT NOT NULL,
            PRIMARY KEY (source, alias)
        )
        """,
    )
    for row in db.execute("SELECT source, id, data FROM items").fetchall():
        for key in _v2_story_keys(json.loads(row["data"])):
            db.execute("INSERT OR IGNORE INTO item_keys VALUES (?, ?, ?)", (key, row[0], row[1]))


def _v2_story_keys(data: dict[str, Any]) -> set[str]:
    """The story keys as version 2 defined them, from an item's stored JSON. A frozen copy:
    a migration must give the same result whatever later versions make of the rule."""
    keys = {f"url:{data['url']}"}
    keys.update(f"id:{identifier}" for identifier in data.get("identifiers") or ())
    title = re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", data["title"]).casefold())
    published = data.get("published")
    if title and published and data.get("published_precision") in ("day", "datetime"):
        keys.add(f"title:{title}|{published[:10]}")
    return keys


def _v3(db: sqlite3.Connection) -> None:
    """Retracted items (deleted or withdrawn at the origin): kept, but left out of outputs."""
    db.execute("ALTER TABLE items ADD COLUMN retracted TEXT")


def _v4(db: sqlite3.Connection) -> None:
    """One run record: the run history keeps retractions, skips and permanent moves too."""
    _script(
        db,
        """
        ALTER TABLE runs ADD COLUMN retracted INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE runs ADD COLUMN skipped TEXT;
        ALTER TABLE runs ADD COLUMN moved_to TEXT
        """,
    )


def _v5(db: sqlite3.Connection) -> None:
    """Publishing in proportion to change: a log of the items that changed since the last
    publish, the published index (which entries each feed holds, RFC 5005 archive order)
    and a record of every published file with a fingerprint of what it was rendered from.
    And the robots.txt copies of the hosts, kept for a day between runs."""
    _script(
        db,
        """
        CREATE INDEX items_id ON items (id);
        CREATE TABLE changes (
            gen INTEGER PRIMARY KEY AUTOINCREMENT,
            source TEXT NOT NULL,
            id TEXT NOT NULL
        );
        CREATE TABLE entries (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            sort_date TEXT NOT NULL,
            updated TEXT NOT NULL,
            fingerprint TEXT NOT NULL
        );
        CREATE TABLE entry_feeds (
            feed TEXT NOT NULL,
            id TEXT NOT NULL,
            sort_date TEXT NOT NULL,
            updated TEXT NOT NULL,
            PRIMARY KEY (feed, id)
        );
        CREATE INDEX entry_feeds_sort ON entry_feeds (feed, sort_date DESC, id);
        CREATE INDEX entry_feeds_id ON entry_feeds (id);
        CREATE TABLE feed_stats (
            feed TEXT PRIMARY KEY,
            entries INTEGER NOT NULL,
            newest TEXT
        );
        CREATE TABLE feed_seq (
            feed TEXT NOT NULL,
            seq INTEGER NOT NULL,
            id TEXT NOT NULL,
            PRIMARY KEY (feed, seq)
        );
        CREATE UNIQUE INDEX feed_seq_id ON feed_seq (feed, id);
        CREATE TABLE outputs (
            path TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            published_at TEXT NOT NULL
        );
        CREATE INDEX outputs_owner ON outputs (owner);
        CREATE TABLE publish_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE robots (
            origin TEXT PRIMARY KEY,
            fetched_at TEXT NOT NULL,
            status INTEGER NOT NULL,
            body TEXT NOT NULL
        );
        INSERT INTO outputs (path, owner, fingerprint, content_hash, published_at)
            SELECT path, '', '', content_hash, published_at FROM publications;
        DROP TABLE publications
        """,
    )


def _v6(db: sqlite3.Connection) -> None:
    """Version 6: a source's ``poll_after``, the earliest next poll its origin asks for
    (RSS ttl, Cache-Control max-age, Expires)."""
    _script(db, "ALTER TABLE source_state ADD COLUMN poll_after TEXT")


def _v7(db: sqlite3.Connection) -> None:
    """Version 7: ``legacy_ids``, the published items whose entry id keeps the escaping of
    earlier versions (an escape in the item id escaped again), since a published id never
    changes; every other id is written in canonical form (``pipeline.uris``)."""
    from tdlc_syndication.pipeline.uris import canonical_escape, legacy_escape

    _script(db, "CREATE TABLE legacy_ids (id TEXT PRIMARY KEY)")
    rows = db.execute("SELECT id FROM entries WHERE instr(id, '%') > 0 OR id GLOB '*[^ -~]*'")
    db.executemany(
        "INSERT INTO legacy_ids (id) VALUES (?)",
        [
            (item_id,)
            for (item_id,) in rows.fetchall()
            if canonical_escape(item_id) not in (None, legacy_escape(item_id))
        ],
    )


def _v8(db: sqlite3.Connection) -> None:
    """Version 8: ``digest_issues``, the published weekly issues: their members, heading
    and body (fixed at publication: the archive and the feed never change an issue) and
    their mailing state."""
    _script(
        db,
        """
        CREATE TABLE digest_issues (
            week TEXT PRIMARY KEY,
            published_at TEXT NOT NULL,
            members TEXT NOT NULL,
            heading TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL DEFAULT '',
            sent_at TEXT,
            send_error TEXT,
            send_attempts INTEGER NOT NULL DEFAULT 0
        )
        """,
    )


def _v9(db: sqlite3.Connection) -> None:
    """Version 9: ``source_counts``, the number of items per source, kept by triggers on
    ``items`` so that ``status`` answers in the same time for any size of archive (it
    counted every item)."""
    _script(
        db,
        """
        CREATE TABLE source_counts (source TEXT PRIMARY KEY, items INTEGER NOT NULL);
        INSERT INTO source_counts (source, items)
            SELECT source, COUNT(*) FROM items GROUP BY source
        """,
    )
    for trigger in _COUNT_TRIGGERS:  # one statement each: their bodies hold ';'
        db.execute(trigger)


def _v10(db: sqlite3.Connection) -> None:
    """Version 10: without the index of ``items.url``. No query reads items by URL since
    story keys (version 2) carry it, and every item written paid for the index: about 8 %
    of keeping 20,000 new items."""
    _script(db, "DROP INDEX IF EXISTS items_url")


def _v11(db: sqlite3.Connection) -> None:
    """Version 11: ``run_counts``, the runs of each source by outcome since the store
    began, kept by a trigger on ``runs``. ``syndicate_runs_total`` counted the history,
    which the daily pruning shortens: a counter that went down, which Prometheus reads as
    a restart and ``rate()`` as every run counted again."""
    _script(
        db,
        """
        CREATE TABLE run_counts (
            source TEXT NOT NULL,
            status TEXT NOT NULL,
            runs INTEGER NOT NULL,
            PRIMARY KEY (source, status)
        );
        INSERT INTO run_counts (source, status, runs)
            SELECT source, status, COUNT(*) FROM runs GROUP BY source, status
        """,
    )
    db.execute(
        "CREATE TRIGGER run_counts_insert AFTER INSERT ON runs BEGIN "
        "INSERT INTO run_counts (source, status, runs) VALUES (NEW.source, NEW.status, 1) "
        "ON CONFLICT (source, status) DO UPDATE SET runs = runs + 1; END"
    )


def _v12(db: sqlite3.Connection) -> None:
    """Version 12: ``source_state.shape``, the fingerprint of the settings a source's items
    were last read with (``Settings.item_shape``). A source whose settings changed since
    (or that has none: stored before this version) is read in full at its next run."""
    _script(db, "ALTER TABLE source_state ADD COLUMN shape TEXT")


def _v13(db: sqlite3.Connection) -> None:
    """Version 13: ``source_state.failed_with``, the fingerprint of a source's own entry at
    its last run when that run failed: an edit of the entry since lets it run at once."""
    _script(db, "ALTER TABLE source_state ADD COLUMN failed_with TEXT")


def _v14(db: sqlite3.Connection) -> None:
    """Version 14: ``entries.search``, each published entry's record in the search's index
    (filled when the index is built again, which the new version of the outputs asks)."""
    _script(db, "ALTER TABLE entries ADD COLUMN search TEXT NOT NULL DEFAULT ''")


def _v15(db: sqlite3.Connection) -> None:
    """Version 15: ``subscriptions``, the WebSub hub each feed source names and the
    service's subscription there (``pipeline.subscriptions``)."""
    _script(
        db,
        """
        CREATE TABLE subscriptions (
            source TEXT PRIMARY KEY,
            hub TEXT NOT NULL DEFAULT '',
            topic TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'none',
            token TEXT NOT NULL DEFAULT '',
            secret TEXT NOT NULL DEFAULT '',
            asked_hub TEXT NOT NULL DEFAULT '',
            asked_topic TEXT NOT NULL DEFAULT '',
            asked_at TEXT,
            lease_until TEXT,
            pushed_at TEXT,
            error TEXT
        );
        """,
    )


_COUNT_ONE = """INSERT INTO source_counts (source, items) VALUES (NEW.source, 1)
    ON CONFLICT (source) DO UPDATE SET items = items + 1;"""
_UNCOUNT_ONE = "UPDATE source_counts SET items = items - 1 WHERE source = OLD.source;"
_COUNT_TRIGGERS = (
    f"CREATE TRIGGER source_counts_insert AFTER INSERT ON items BEGIN {_COUNT_ONE} END",
    f"CREATE TRIGGER source_counts_delete AFTER DELETE ON items BEGIN {_UNCOUNT_ONE} END",
    "CREATE TRIGGER source_counts_update AFTER UPDATE OF source ON items "
    f"WHEN NEW.source IS NOT OLD.source BEGIN {_UNCOUNT_ONE} {_COUNT_ONE} END",
)


MIGRATIONS: dict[int, Migration] = {
    1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5, 6: _v6, 7: _v7, 8: _v8, 9: _v9, 10: _v10,
    11: _v11, 12: _v12, 13: _v13, 14: _v14, 15: _v15,
}  # fmt: skip
TABLES = frozenset(
    {
        "items", "item_keys", "id_aliases", "http_cache", "source_state", "runs", "changes",
        "entries", "entry_feeds", "feed_stats", "feed_seq", "outputs", "publish_state", "robots",
        "legacy_ids", "digest_issues", "source_counts", "run_counts", "subscriptions",
    }
)  # fmt: skip
"""The tables of the current version: a store that lacks one is damaged."""
SCHEMA_VERSION = max(MIGRATIONS)
