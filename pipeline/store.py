"""The SQLite store: the archive of every item ever seen, per-source state and run history.

Standard-library ``sqlite3`` in WAL mode with a busy timeout, so a daemon's jobs and a
CLI command can share one file. The schema is versioned with ``PRAGMA user_version`` and
migrated forward on open (``pipeline.schema``). An item that drops off its source stays
in the archive. The store persists and reads; it decides nothing: which record of a story
is canonical comes from ``pipeline.dedupe``, the next source state from
``pipeline.state``.

Tables::

    items        (source, id) → item JSON, url, hashes, first/last seen, sort_date,
                 duplicate_of, retracted, classification reasons
    item_keys    story key → items that carry it (URL, identifiers, title + day)
    id_aliases   (source, re-issued id) → the id the store keeps
    http_cache   (source, location) → ETag, Last-Modified, body hash
    source_state source → status, moved URL, last attempt/success/error, failures, retry time
    runs         one row per source run with its counts
    changes, entries, entry_feeds, feed_stats, feed_seq, outputs, publish_state
                 what publishing needs (see ``pipeline.published``)
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import islice
from typing import Any

from tdlc_syndication.pipeline.issues import IssuesMixin
from tdlc_syndication.pipeline.model import StoredItem, item_from_dict, item_json, story_keys
from tdlc_syndication.pipeline.published import Member, PublishedMixin
from tdlc_syndication.pipeline.records import RecordsMixin
from tdlc_syndication.pipeline.storage import StoreBase, guarded
from tdlc_syndication.pipeline.subscriptions import SubscriptionsMixin
from tdlc_syndication.pipeline.timestamps import iso, parse_dt

Explanation = list[list[str]]  # [facet, term, rule] per tag


@dataclass(frozen=True, slots=True)
class ItemWrite:
    """One item row to write; ``data`` (:func:`item_json`) and ``keys``
    (:func:`story_keys`) when the caller already has them."""

    stored: StoredItem
    explain: Explanation | None = None
    data: str | None = None
    keys: frozenset[str] | None = None


class Store(RecordsMixin, PublishedMixin, IssuesMixin, SubscriptionsMixin, StoreBase):
    """The store: items and stories here; source state, runs and HTTP validators in
    :class:`RecordsMixin`; the change log, the published index and the published files in
    :class:`PublishedMixin`; the digest's issues in :class:`IssuesMixin`; WebSub hubs and
    subscriptions in :class:`SubscriptionsMixin`; the connection in :class:`StoreBase`."""

    # -- items ---------------------------------------------------------------------

    @guarded
    def get_items(self, source: str, ids: Iterable[str] | None = None) -> dict[str, StoredItem]:
        """Stored items of ``source`` (all, or those with the given ids), by id."""
        rows: Iterable[sqlite3.Row]
        if ids is None:
            rows = self.db.execute("SELECT * FROM items WHERE source = ?", (source,))
        else:
            rows = self.select_in(
                "SELECT * FROM items WHERE source = ? AND id IN ({marks})", ids, (source,)
            )
        return {r["id"]: _stored(r) for r in rows}

    @guarded
    def get_item(self, item_id: str) -> StoredItem | None:
        """The stored item with this id, from any source."""
        row = self.db.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
        return None if row is None else self._attach_origins([_stored(row)])[0]

    @guarded
    def items_at(self, url: str) -> list[StoredItem]:
        """The stored items whose link is ``url``, from any source."""
        rows = self.db.execute("SELECT * FROM items WHERE url = ?", (url,)).fetchall()
        return self._attach_origins([_stored(r) for r in rows])

    @guarded
    def put_items(self, rows: Sequence[ItemWrite]) -> None:
        """Insert or replace item rows with their story keys and classification reasons.
        Many rows a statement (``insert_rows``): a cold run writes every item of the
        corpus, and ``executemany`` would hand the GIL to the fetch threads, and wait to
        get it back, three times an item."""
        self.insert_rows(
            """INSERT INTO items (source, id, url, data, content_hash, first_seen, last_seen,
                   last_changed, sort_date, duplicate_of, explain)
               VALUES {rows}
               ON CONFLICT (source, id) DO UPDATE SET url = excluded.url,
                   data = excluded.data, content_hash = excluded.content_hash,
                   last_seen = excluded.last_seen, last_changed = excluded.last_changed,
                   sort_date = excluded.sort_date, retracted = NULL,
                   explain = coalesce(excluded.explain, items.explain)""",
            [
                (
                    row.stored.item.source,
                    row.stored.item.id,
                    row.stored.item.url,
                    row.data if row.data is not None else item_json(row.stored.item),
                    row.stored.content_hash,
                    iso(row.stored.first_seen),
                    iso(row.stored.last_seen),
                    iso(row.stored.last_changed),
                    iso(row.stored.sort_date),
                    row.stored.duplicate_of,
                    None if row.explain is None else json.dumps(row.explain, ensure_ascii=False),
                )
                for row in rows
            ],
        )
        for source, ids in _by_source((r.stored.item.source, r.stored.item.id) for r in rows):
            self.execute_in(
                "DELETE FROM item_keys WHERE source = ? AND id IN ({marks})", ids, (source,)
            )
        self.insert_rows(
            "INSERT OR IGNORE INTO item_keys (key, source, id) VALUES {rows}",
            [
                (key, row.stored.item.source, row.stored.item.id)
                for row in rows
                for key in sorted(row.keys if row.keys is not None else story_keys(row.stored.item))
            ],
        )
        self.log_changes((row.stored.item.source, row.stored.item.id) for row in rows)

    def put_item(self, stored: StoredItem, explain: Explanation | None = None) -> None:
        """Insert or replace one item row (see :meth:`put_items`)."""
        self.put_items([ItemWrite(stored, explain)])

    @guarded
    def event_starts(self, source: str) -> dict[str, datetime]:
        """When each event of ``source`` that is not withdrawn starts, by item id."""
        rows = self.db.execute(
            """SELECT id, json_extract(data, '$.event.start') AS start FROM items
               WHERE source = ? AND retracted IS NULL
                 AND json_extract(data, '$.event.start') IS NOT NULL""",
            (source,),
        )
        return {row["id"]: parse_dt(row["start"]) for row in rows}

    @guarded
    def retract(self, source: str, item_id: str, reason: str) -> bool:
        """Mark an item withdrawn at its origin; True if the store had it (not yet
        retracted). The caller re-links its story (:meth:`item_keys`)."""
        cursor = self.db.execute(
            "UPDATE items SET retracted = ? WHERE source = ? AND id = ? AND retracted IS NULL",
            (reason, source, item_id),
        )
        if cursor.rowcount:
            self.log_changes([(source, item_id)])
        return bool(cursor.rowcount)

    @guarded
    def forget(self, members: Sequence[Member]) -> set[str]:
        """Delete items (and their keys and aliases) as if they were never stored; the
        story keys they held, for the caller to re-link. The change log notes them, so
        they leave the outputs at the next publish."""
        # By source, then id: the keys' index (a condition on `source || id` read the
        # whole table for every 500 items: 130 s to forget a source of 300,000).
        keys = {
            row["key"]
            for source, item_ids in _by_source(members)
            for row in self.select_in(
                "SELECT key FROM item_keys WHERE source = ? AND id IN ({marks})",
                item_ids,
                (source,),
            )
        }
        pairs = list(members)
        ids = sorted({item_id for _, item_id in pairs})
        # The records these were duplicates of, and those that were duplicates of these
        # (canonical again until the caller re-links them): what the outputs show changes.
        linked = {
            r["duplicate_of"]
            for r in self.select_in(
                "SELECT duplicate_of FROM items WHERE duplicate_of IS NOT NULL AND id IN ({marks})",
                ids,
            )
        }
        linked.update(
            r["id"]
            for r in self.select_in("SELECT id FROM items WHERE duplicate_of IN ({marks})", ids)
        )
        self.db.executemany("DELETE FROM item_keys WHERE source = ? AND id = ?", pairs)
        self.db.executemany("DELETE FROM id_aliases WHERE source = ? AND id = ?", pairs)
        self.db.executemany("DELETE FROM items WHERE source = ? AND id = ?", pairs)
        self.db.executemany(
            "UPDATE items SET duplicate_of = NULL WHERE duplicate_of = ?", [(i,) for i in ids]
        )
        self.log_changes(pairs)
        self._log_records(linked)
        return keys

    @guarded
    def forget_source_records(self, source: str) -> None:
        """Delete what the store remembers of fetching a source (validators, state), so
        it starts afresh; its run history stays."""
        self.forget_validators(source)
        self.db.execute("DELETE FROM source_state WHERE source = ?", (source,))

    @guarded
    def item_keys(self, source: str, item_id: str) -> set[str]:
        """The story keys the store holds for one item."""
        rows = self.db.execute(
            "SELECT key FROM item_keys WHERE source = ? AND id = ?", (source, item_id)
        )
        return {row["key"] for row in rows}

    @guarded
    def explanation(self, source: str, item_id: str) -> Explanation:
        """The recorded ``[facet, term, rule]`` reasons of an item's classification."""
        row = self.db.execute(
            "SELECT explain FROM items WHERE source = ? AND id = ?", (source, item_id)
        ).fetchone()
        return json.loads(row["explain"]) if row and row["explain"] else []

    @guarded
    def aliases(self, source: str, ids: Iterable[str]) -> dict[str, str]:
        """Ids an origin re-issued, mapped to the id the store keeps for that item."""
        rows = self.select_in(
            "SELECT alias, id FROM id_aliases WHERE source = ? AND alias IN ({marks})",
            ids,
            (source,),
        )
        return {r["alias"]: r["id"] for r in rows}

    @guarded
    def add_alias(self, source: str, alias: str, item_id: str) -> None:
        """Remember that ``alias`` is ``item_id`` re-issued by the origin."""
        self.db.execute(
            "INSERT OR REPLACE INTO id_aliases (source, alias, id) VALUES (?, ?, ?)",
            (source, alias, item_id),
        )

    @guarded
    def same_source_candidates(self, source: str, keys: Iterable[str]) -> list[StoredItem]:
        """Items of ``source`` sharing a story key (candidates for a re-issued id)."""
        rows = self.select_in(
            """SELECT DISTINCT items.* FROM item_keys JOIN items
                 ON items.source = item_keys.source AND items.id = item_keys.id
               WHERE item_keys.source = ? AND item_keys.key IN ({marks})""",
            sorted(set(keys)),
            (source,),
        )
        found = {r["id"]: r for r in rows}
        return [_stored(found[item_id]) for item_id in sorted(found)]

    @guarded
    def touch_items(self, source: str, ids: Sequence[str], when: datetime) -> None:
        """Set ``last_seen`` of items that a changed fetch still carried."""
        seen = iso(when)
        self.db.executemany(
            "UPDATE items SET last_seen = ? WHERE source = ? AND id = ?",
            [(seen, source, item_id) for item_id in ids],
        )

    # -- stories -------------------------------------------------------------------

    @guarded
    def story_members(self, keys: Iterable[str], hops: int = 3) -> dict[Member, set[str]]:
        """Every item reachable from ``keys`` through shared story keys (a few hops: A~B by
        URL, B~C by identifier), with all the keys each one carries."""
        pending = set(keys)
        members: dict[Member, set[str]] = {}
        seen: set[str] = set()
        for _ in range(hops):
            batch = sorted(pending - seen)
            if not batch:
                break
            seen.update(batch)
            pending = set()
            rows = self.select_in(
                """SELECT k2.key, k2.source, k2.id FROM item_keys k1 JOIN item_keys k2
                     ON k1.source = k2.source AND k1.id = k2.id
                   WHERE k1.key IN ({marks})""",
                batch,
            )
            for row in rows:
                members.setdefault((row["source"], row["id"]), set()).add(row["key"])
                pending.add(row["key"])
        return members

    @guarded
    def members_of(self, members: Iterable[Member]) -> dict[Member, StoredItem]:
        """The stored items of (source, id) pairs."""
        found: dict[Member, StoredItem] = {}
        for source, ids in _by_source(members):
            for item_id, stored in self.get_items(source, ids).items():
                found[(source, item_id)] = stored
        return found

    @guarded
    def set_duplicates(self, links: Mapping[Member, str | None]) -> None:
        """Apply a canonical-record decision: ``duplicate_of`` per (source, id). The change
        log notes each record whose link moved and each canonical record that lost a
        duplicate (its origins, and the terms its duplicates brought, change)."""
        current = {
            (r["source"], r["id"]): r["duplicate_of"]
            for r in self.select_in(
                "SELECT source, id, duplicate_of FROM items WHERE id IN ({marks})",
                sorted({item_id for _, item_id in links}),
            )
        }
        moved = [
            (target, *member)
            for member, target in links.items()
            if member in current and current[member] != target
        ]
        self.db.executemany("UPDATE items SET duplicate_of = ? WHERE source = ? AND id = ?", moved)
        left = {current[(source, item_id)] for _, source, item_id in moved}
        self.log_changes([(source, item_id) for _, source, item_id in moved])
        self._log_records(item_id for item_id in left if item_id is not None)

    def _log_records(self, ids: Iterable[str]) -> None:
        """Note in the change log the stored records with these ids."""
        wanted = sorted(set(ids))
        if wanted:
            rows = self.select_in("SELECT source, id FROM items WHERE id IN ({marks})", wanted)
            self.log_changes([(r["source"], r["id"]) for r in rows])

    # -- reading -------------------------------------------------------------------

    @guarded
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
        """Every stored item (duplicates included), newest first (``limit``: the first)."""
        return list(islice(self.each_item(source), limit))

    def each_item(self, source: str | None = None, chunk: int = 200) -> Iterator[StoredItem]:
        """Every stored item (duplicates included), newest first, read ``chunk`` at a
        time: ``items --limit 5`` read and held a store of 300,000 items (530 MB, 6.7 s)
        to show five."""
        where, params = ("WHERE source = ?", (source,)) if source is not None else ("", ())
        rows = self.stream(f"SELECT * FROM items {where} ORDER BY sort_date DESC, id", params)
        while batch := list(islice(rows, chunk)):
            yield from self._attach_origins([_stored(r) for r in batch])

    @guarded
    def items_seen_between(self, start: datetime, end: datetime) -> list[StoredItem]:
        """Canonical items published or first seen in ``[start, end)`` (digest candidates)."""
        rows = self.db.execute(
            """SELECT * FROM items WHERE duplicate_of IS NULL AND (
                 (sort_date >= ? AND sort_date < ?) OR (first_seen >= ? AND first_seen < ?))""",
            (iso(start), iso(end), iso(start), iso(end)),
        )
        return self._attach_origins([_stored(r) for r in rows])

    @guarded
    def first_reads(self, sources: Iterable[str]) -> dict[str, datetime]:
        """When each of these sources was first read with items: the earliest
        ``first_seen`` among its stored items (one run's items share theirs)."""
        rows = self.select_in(
            "SELECT source, MIN(first_seen) AS first FROM items WHERE source IN ({marks}) "
            "GROUP BY source",
            sorted(set(sources)),
        )
        return {row["source"]: parse_dt(row["first"]) for row in rows}

    @guarded
    def archive_start(self) -> datetime | None:
        """When the archive's first items were found (the earliest ``first_seen``), None
        while it holds none."""
        row = self.db.execute("SELECT MIN(first_seen) FROM items").fetchone()
        return parse_dt(row[0]) if row and row[0] else None

    @guarded
    def has_items(self) -> bool:
        """True when the store holds any item (without counting them)."""
        return self.db.execute("SELECT 1 FROM items LIMIT 1").fetchone() is not None

    @guarded
    def stored_items(self, ids: Iterable[str]) -> dict[str, StoredItem]:
        """The stored items with these ids (from any source), with their origins."""
        rows = self.select_in("SELECT * FROM items WHERE id IN ({marks})", ids)
        found = self._attach_origins([_stored(r) for r in rows])
        return {s.item.id: s for s in found}

    @guarded
    def _attach_origins(self, items: list[StoredItem]) -> list[StoredItem]:
        if not items:
            return items
        origins: dict[str, list[str]] = {}
        rows = self.select_in(
            "SELECT id, duplicate_of FROM items WHERE duplicate_of IN ({marks}) ORDER BY id",
            sorted({s.item.id for s in items}),
        )
        for row in sorted(rows, key=lambda r: r["id"]):
            origins.setdefault(row["duplicate_of"], []).append(row["id"])
        return [
            replace(stored, also_seen_at=tuple(origins[stored.item.id]))
            if stored.item.id in origins
            else stored
            for stored in items
        ]


def _by_source(members: Iterable[Member]) -> list[tuple[str, list[str]]]:
    """(source, id) pairs as each source with its ids, in the order they came: the keys'
    and the items' indexes are read by source, then id."""
    grouped: dict[str, list[str]] = {}
    for source, item_id in members:
        grouped.setdefault(source, []).append(item_id)
    return list(grouped.items())


def _stored(row: sqlite3.Row) -> StoredItem:
    return StoredItem(
        item=item_from_dict(json.loads(row["data"])),
        first_seen=parse_dt(row["first_seen"]),
        last_seen=parse_dt(row["last_seen"]),
        last_changed=parse_dt(row["last_changed"]),
        content_hash=row["content_hash"],
        duplicate_of=row["duplicate_of"],
        retracted=row["retracted"],
    )
