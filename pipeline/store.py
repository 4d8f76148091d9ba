"""The SQLite store: the archive of every item ever seen, per-source state and run history.

Standard-library ``sqlite3`` in WAL mode with a busy timeout, so a daemon's jobs and a
CLI command can share one file. The schema is versioned with ``PRAGMA user_version`` and
migrated forward on open. An item that drops off its source stays in the archive.

Tables::

    items        (source, id) → item JSON, url, hashes, first/last seen, sort_date, duplicate_of
    http_cache   (source, location) → ETag, Last-Modified, body hash
    source_state source → status, moved URL, last attempt/success/error, failures, retry time
    runs         one row per source run with its counts
    publications output path → hash of the bytes last written
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from tdlc_syndication.pipeline.dedupe import group_stories, richness, story_keys
from tdlc_syndication.pipeline.errors import StoreError
from tdlc_syndication.pipeline.http import Validators
from tdlc_syndication.pipeline.model import (
    RunRecord,
    SourceState,
    StoredItem,
    item_from_dict,
    item_to_dict,
    parse_dt,
)
from tdlc_syndication.pipeline.schema import MIGRATIONS, SCHEMA_VERSION


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


class Store:
    """A connection to the store file. Open one per thread; close it when done.

    Args:
        path: the SQLite file (created with its folder if missing), or ``":memory:"``.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA busy_timeout=30000")
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        self._tx_depth = 0
        self._lock = threading.RLock()

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        if self.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        # Re-read the version inside the write lock: another connection may have migrated.
        self.db.execute("BEGIN IMMEDIATE")
        try:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} has schema version {version}, newer than this program "
                    f"({SCHEMA_VERSION}); upgrade tdlc-syndication"
                )
            for target in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[target](self.db)
                self.db.execute(f"PRAGMA user_version = {target}")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block in one write transaction (nested calls join the outer one)."""
        with self._lock:
            if self._tx_depth:
                self._tx_depth += 1
                try:
                    yield
                finally:
                    self._tx_depth -= 1
                return
            try:
                self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(f"cannot write to {self.path}: {exc}") from exc
            self._tx_depth = 1
            try:
                yield
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            else:
                self.db.execute("COMMIT")
            finally:
                self._tx_depth = 0

    # -- items ---------------------------------------------------------------------

    def get_items(self, source: str, ids: Iterable[str] | None = None) -> dict[str, StoredItem]:
        """Stored items of ``source`` (all, or those with the given ids), by id."""
        if ids is None:
            rows = self.db.execute("SELECT * FROM items WHERE source = ?", (source,))
            return {r["id"]: _stored(r) for r in rows}
        found: dict[str, StoredItem] = {}
        wanted = list(ids)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT * FROM items WHERE source = ? AND id IN ({marks})", (source, *chunk)
            )
            found.update({r["id"]: _stored(r) for r in rows})
        return found

    def get_item(self, item_id: str) -> StoredItem | None:
        """The stored item with this id, from any source."""
        row = self.db.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
        return None if row is None else self._with_origins(_stored(row))

    def put_item(self, stored: StoredItem, explain: list[list[str]] | None = None) -> None:
        """Insert or replace one item row, its story keys and its classification reasons."""
        item = stored.item
        self.db.execute(
            """INSERT INTO items (source, id, url, data, content_hash, first_seen, last_seen,
                   last_changed, sort_date, duplicate_of, explain)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (source, id) DO UPDATE SET url = excluded.url,
                   data = excluded.data, content_hash = excluded.content_hash,
                   last_seen = excluded.last_seen, last_changed = excluded.last_changed,
                   sort_date = excluded.sort_date, retracted = NULL,
                   explain = coalesce(excluded.explain, items.explain)""",
            (
                item.source,
                item.id,
                item.url,
                json.dumps(item_to_dict(item), ensure_ascii=False, sort_keys=True),
                stored.content_hash,
                _iso(stored.first_seen),
                _iso(stored.last_seen),
                _iso(stored.last_changed),
                _iso(stored.sort_date),
                stored.duplicate_of,
                None if explain is None else json.dumps(explain, ensure_ascii=False),
            ),
        )
        self.db.execute("DELETE FROM item_keys WHERE source = ? AND id = ?", (item.source, item.id))
        self.db.executemany(
            "INSERT OR IGNORE INTO item_keys (key, source, id) VALUES (?, ?, ?)",
            [(key, item.source, item.id) for key in sorted(story_keys(item))],
        )

    def retract(self, source: str, item_id: str, reason: str) -> bool:
        """Mark an item withdrawn at its origin (another record of the story, if any, becomes
        canonical); True if the store had it."""
        cursor = self.db.execute(
            "UPDATE items SET retracted = ? WHERE source = ? AND id = ? AND retracted IS NULL",
            (reason, source, item_id),
        )
        if not cursor.rowcount:
            return False
        keys = self.db.execute(
            "SELECT key FROM item_keys WHERE source = ? AND id = ?", (source, item_id)
        ).fetchall()
        self.relink_duplicates(row["key"] for row in keys)
        return True

    def explanation(self, source: str, item_id: str) -> list[list[str]]:
        """The recorded ``[facet, term, rule]`` reasons of an item's classification."""
        row = self.db.execute(
            "SELECT explain FROM items WHERE source = ? AND id = ?", (source, item_id)
        ).fetchone()
        return json.loads(row["explain"]) if row and row["explain"] else []

    def aliases(self, source: str, ids: Iterable[str]) -> dict[str, str]:
        """Ids an origin re-issued, mapped to the id the store keeps for that item."""
        wanted = list(ids)
        found: dict[str, str] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT alias, id FROM id_aliases WHERE source = ? AND alias IN ({marks})",
                (source, *chunk),
            )
            found.update({r["alias"]: r["id"] for r in rows})
        return found

    def add_alias(self, source: str, alias: str, item_id: str) -> None:
        """Remember that ``alias`` is ``item_id`` re-issued by the origin."""
        self.db.execute(
            "INSERT OR REPLACE INTO id_aliases (source, alias, id) VALUES (?, ?, ?)",
            (source, alias, item_id),
        )

    def same_source_candidates(self, source: str, keys: Iterable[str]) -> list[StoredItem]:
        """Items of ``source`` sharing a story key (candidates for a re-issued id)."""
        key_list = sorted(set(keys))
        if not key_list:
            return []
        marks = ",".join("?" * len(key_list))
        rows = self.db.execute(
            f"""SELECT DISTINCT items.* FROM item_keys JOIN items
                  ON items.source = item_keys.source AND items.id = item_keys.id
                WHERE item_keys.source = ? AND item_keys.key IN ({marks})""",
            (source, *key_list),
        )
        return [_stored(r) for r in rows]

    def touch_items(self, source: str, ids: Sequence[str], when: datetime) -> None:
        """Set ``last_seen`` of items that a changed fetch still carried."""
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            self.db.execute(
                f"UPDATE items SET last_seen = ? WHERE source = ? AND id IN ({marks})",
                (_iso(when), source, *chunk),
            )

    def relink_duplicates(self, keys: Iterable[str]) -> None:
        """Group the items that share story keys and link each group to its canonical item.

        A shared URL or identifier joins any two items; a shared title and day joins items
        of different sources only (one source may well publish two notes with one title on
        one day). The canonical item is the richest (``dedupe.richness``), a retracted one
        never; the others get ``duplicate_of``; nothing is deleted.
        """
        pending = set(keys)
        members: dict[tuple[str, str], set[str]] = {}
        seen_keys: set[str] = set()
        for _ in range(3):  # follow keys a few hops: A~B by URL, B~C by identifier
            batch = sorted(pending - seen_keys)
            if not batch:
                break
            seen_keys.update(batch)
            pending = set()
            for start in range(0, len(batch), 500):
                chunk = batch[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self.db.execute(
                    f"""SELECT k2.key, k2.source, k2.id FROM item_keys k1 JOIN item_keys k2
                          ON k1.source = k2.source AND k1.id = k2.id
                        WHERE k1.key IN ({marks})""",
                    chunk,
                ).fetchall()
                for row in rows:
                    members.setdefault((row["source"], row["id"]), set()).add(row["key"])
                    pending.add(row["key"])
        if not members:
            return
        groups = group_stories(members)
        for group in groups:
            rows = [self.get_items(source, [item_id])[item_id] for source, item_id in group]
            best = max(rows, key=lambda s: (s.retracted is None, richness(s)))
            for stored in rows:
                target = None if stored is best else best.item.id
                if stored.duplicate_of != target:
                    self.db.execute(
                        "UPDATE items SET duplicate_of = ? WHERE source = ? AND id = ?",
                        (target, stored.item.source, stored.item.id),
                    )

    def canonical_items(self, limit: int | None = None) -> list[StoredItem]:
        """Items that are not duplicates of another, newest first, with their origins."""
        sql = (
            "SELECT * FROM items WHERE duplicate_of IS NULL AND retracted IS NULL "
            "ORDER BY sort_date DESC, id"
        )
        params: tuple[Any, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        items = [_stored(r) for r in self.db.execute(sql, params)]
        return self._attach_origins(items)

    def items(self, source: str | None = None, limit: int | None = None) -> list[StoredItem]:
        """Every stored item (duplicates included), newest first."""
        sql = "SELECT * FROM items"
        params: list[Any] = []
        if source is not None:
            sql += " WHERE source = ?"
            params.append(source)
        sql += " ORDER BY sort_date DESC, id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return self._attach_origins([_stored(r) for r in self.db.execute(sql, params)])

    def count_items(self) -> dict[str, int]:
        """Number of stored items per source."""
        rows = self.db.execute("SELECT source, COUNT(*) AS n FROM items GROUP BY source")
        return {r["source"]: r["n"] for r in rows}

    def _with_origins(self, stored: StoredItem) -> StoredItem:
        return self._attach_origins([stored])[0]

    def _attach_origins(self, items: list[StoredItem]) -> list[StoredItem]:
        if not items:
            return items
        origins: dict[str, list[str]] = {}
        for row in self.db.execute(
            "SELECT id, duplicate_of FROM items WHERE duplicate_of IS NOT NULL ORDER BY id"
        ):
            origins.setdefault(row["duplicate_of"], []).append(row["id"])
        out = []
        for stored in items:
            extra = origins.get(stored.item.id)
            if extra:
                stored = StoredItem(
                    item=stored.item,
                    first_seen=stored.first_seen,
                    last_seen=stored.last_seen,
                    last_changed=stored.last_changed,
                    content_hash=stored.content_hash,
                    duplicate_of=stored.duplicate_of,
                    also_seen_at=tuple(extra),
                )
            out.append(stored)
        return out

    # -- HTTP validators -----------------------------------------------------------

    def validators(self, source: str) -> dict[str, Validators]:
        """What identifies the last fetched version of each location of ``source``."""
        rows = self.db.execute("SELECT * FROM http_cache WHERE source = ?", (source,))
        return {
            r["location"]: Validators(r["etag"], r["last_modified"], r["body_hash"]) for r in rows
        }

    def put_validators(self, source: str, location: str, validators: Validators) -> None:
        """Remember the validators of one fetched location."""
        self.db.execute(
            """INSERT INTO http_cache (source, location, etag, last_modified, body_hash)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (source, location) DO UPDATE SET etag = excluded.etag,
                 last_modified = excluded.last_modified, body_hash = excluded.body_hash""",
            (source, location, validators.etag, validators.last_modified, validators.body_hash),
        )

    # -- source state and runs -----------------------------------------------------

    def state(self, source: str) -> SourceState:
        """The state row of ``source`` (defaults if it never ran)."""
        row = self.db.execute("SELECT * FROM source_state WHERE source = ?", (source,)).fetchone()
        if row is None:
            return SourceState(source=source)
        return SourceState(
            source=source,
            status=row["status"],
            url=row["url"],
            moved_from=row["moved_from"],
            last_attempt=parse_dt(row["last_attempt"]),
            last_success=parse_dt(row["last_success"]),
            last_error=row["last_error"],
            consecutive_failures=row["consecutive_failures"],
            retry_after=parse_dt(row["retry_after"]),
            cursor=row["cursor"],
        )

    def states(self) -> dict[str, SourceState]:
        """Every state row, by source."""
        rows = self.db.execute("SELECT source FROM source_state").fetchall()
        return {r["source"]: self.state(r["source"]) for r in rows}

    def put_state(self, state: SourceState) -> None:
        """Insert or replace the state row of one source."""
        self.db.execute(
            """INSERT OR REPLACE INTO source_state (source, status, url, moved_from,
                 last_attempt, last_success, last_error, consecutive_failures, retry_after,
                 cursor)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                state.source,
                state.status,
                state.url,
                state.moved_from,
                _iso(state.last_attempt),
                _iso(state.last_success),
                state.last_error,
                state.consecutive_failures,
                _iso(state.retry_after),
                state.cursor,
            ),
        )

    def add_run(self, run: RunRecord) -> None:
        """Append one run to the history."""
        self.db.execute(
            """INSERT INTO runs (source, started, finished, status, new, changed, unchanged,
                 dropped, notes, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                run.source,
                _iso(run.started),
                _iso(run.finished),
                run.status,
                run.new,
                run.changed,
                run.unchanged,
                run.dropped,
                json.dumps(run.notes, sort_keys=True) if run.notes else None,
                run.error,
            ),
        )

    def runs(self, source: str | None = None, limit: int = 20) -> list[RunRecord]:
        """The most recent runs, newest first."""
        sql = "SELECT * FROM runs"
        params: list[Any] = []
        if source:
            sql += " WHERE source = ?"
            params.append(source)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(limit)
        return [
            RunRecord(
                source=r["source"],
                started=parse_dt(r["started"]),  # type: ignore[arg-type]
                finished=parse_dt(r["finished"]),  # type: ignore[arg-type]
                status=r["status"],
                new=r["new"],
                changed=r["changed"],
                unchanged=r["unchanged"],
                dropped=r["dropped"],
                notes=json.loads(r["notes"]) if r["notes"] else None,
                error=r["error"],
            )
            for r in self.db.execute(sql, params)
        ]

    # -- publications --------------------------------------------------------------

    def publication_hashes(self) -> dict[str, str]:
        """Hash of the bytes last published at each output path."""
        rows = self.db.execute("SELECT path, content_hash FROM publications")
        return {r["path"]: r["content_hash"] for r in rows}

    def record_publications(self, hashes: dict[str, str], when: datetime) -> None:
        """Remember what was written where."""
        with self.transaction():
            for path, digest in hashes.items():
                self.db.execute(
                    "INSERT OR REPLACE INTO publications (path, content_hash, published_at) "
                    "VALUES (?, ?, ?)",
                    (path, digest, _iso(when)),
                )


def _stored(row: sqlite3.Row) -> StoredItem:
    return StoredItem(
        item=item_from_dict(json.loads(row["data"])),
        first_seen=parse_dt(row["first_seen"]),  # type: ignore[arg-type]
        last_seen=parse_dt(row["last_seen"]),  # type: ignore[arg-type]
        last_changed=parse_dt(row["last_changed"]),  # type: ignore[arg-type]
        content_hash=row["content_hash"],
        duplicate_of=row["duplicate_of"],
        retracted=row["retracted"],
    )
