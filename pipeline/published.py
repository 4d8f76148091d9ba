"""The store's publishing tables: the change log, the published index and the record of
published files. A mixin of :class:`pipeline.store.Store`; it persists what
``pipeline.publish`` decides.

::

    changes       every item written since the last publish (a log, pruned by publish)
    entries       the items the outputs show (canonical, not withdrawn, not hidden) with
                  a fingerprint of what each renders from
    entry_feeds   which feeds hold each entry ("all", "feed:<id>", "topic:<slug>", ...)
    feed_stats    per feed: how many entries, the newest date
    feed_seq      per feed: the order entries joined it (RFC 5005 archive pages)
    outputs       per published file: who renders it, the fingerprint it was rendered
                  from, the hash of its bytes
    publish_state small values: the last change published, the settings fingerprint
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from tdlc_syndication.pipeline.pickled import field_state
from tdlc_syndication.pipeline.storage import StoreBase, guarded
from tdlc_syndication.pipeline.timestamps import iso

Member = tuple[str, str]  # (source, id)


@field_state
@dataclass(frozen=True, slots=True)
class EntryRow:
    """One published entry: which item, its sort date and last change (as feeds show it),
    what it renders from, its feeds, and its record in the search's index (JSON; "" when
    the site has no search)."""

    id: str
    source: str
    sort_date: str
    updated: str
    fingerprint: str
    feeds: frozenset[str]
    search: str = ""


@dataclass(frozen=True, slots=True)
class OutputRow:
    """One published file as recorded."""

    path: str
    owner: str
    fingerprint: str
    content_hash: str


class PublishedMixin(StoreBase):
    """The change log, the published index and the published files."""

    # -- the change log ------------------------------------------------------------

    def log_changes(self, members: Iterable[Member]) -> None:
        """Note that these items changed in a way the outputs may show (inside the
        caller's transaction)."""
        self.insert_rows("INSERT INTO changes (source, id) VALUES {rows}", list(members))

    @guarded
    def last_change(self) -> int:
        """The number of the newest change (0 if none)."""
        row = self.db.execute("SELECT MAX(gen) FROM changes").fetchone()
        return int(row[0] or 0)

    def changed_ids(self, after: int, upto: int, chunk: int = 1000) -> Iterator[str]:
        """The ids of the items changed after change number ``after`` up to ``upto``, each
        once and in order, read a chunk at a time: the first publish into a store of a
        million items does not hold a million ids (SQLite sorts them, spilling to a
        temporary file past its cache)."""
        rows = self.stream(
            "SELECT DISTINCT id FROM changes WHERE gen > ? AND gen <= ? ORDER BY id",
            (after, upto),
            chunk,
        )
        return (row[0] for row in rows)

    @guarded
    def forget_changes(self, upto: int) -> None:
        """Drop the log up to ``upto`` (published)."""
        self.db.execute("DELETE FROM changes WHERE gen <= ?", (upto,))

    # -- the published index -------------------------------------------------------

    def all_item_ids(self, source: str | None = None, chunk: int = 1000) -> Iterator[str]:
        """Every stored item id (of ``source``, when given), in order, read a chunk at a
        time (for a full rebuild of the index; for forgetting a source)."""
        after = ""
        while True:
            rows = self._ids_after(source, after, chunk)
            if not rows:
                return
            yield from rows
            after = rows[-1]

    @guarded
    def _ids_after(self, source: str | None, after: str, limit: int) -> list[str]:
        sql, params = "SELECT id FROM items WHERE id > ?", [after]
        if source is not None:
            sql, params = f"{sql} AND source = ?", [after, source]
        rows = self.db.execute(f"{sql} ORDER BY id LIMIT ?", (*params, limit))
        return [row[0] for row in rows]

    @guarded
    def legacy_ids(self) -> frozenset[str]:
        """Item ids whose published entry id keeps an earlier version's escaping."""
        return frozenset(r[0] for r in self.db.execute("SELECT id FROM legacy_ids"))

    def clear_index(self) -> None:
        """Forget which entries the outputs show (archive order is kept, and each feed's
        row, at 0 entries: a feed once published stays published)."""
        self.db.execute("DELETE FROM entries")
        self.db.execute("DELETE FROM entry_feeds")
        # Each feed's row stays, empty: a feed once published is published empty.
        self.db.execute("UPDATE feed_stats SET entries = 0, newest = NULL")

    @contextmanager
    def index_in_bulk(self) -> Iterator[None]:
        """Fill the cleared index in bulk, in the caller's transaction: the secondary
        indexes of ``entry_feeds`` (feed order, id) are dropped first and built again at
        the end from every row at once, which costs less than keeping them up to date row
        by row (a third less for the benchmark's 93,507 rows). Nothing in the block may
        look entries up by feed order or by id. When the block raises, the caller's
        transaction, rolled back, brings them back."""
        definitions = self._drop_indexes("entry_feeds")
        yield
        self._create_indexes(definitions)

    @guarded
    def _drop_indexes(self, table: str) -> list[str]:
        """Drop the indexes of ``table`` that its schema created (not those of its primary
        key); their definitions, to build them again."""
        found = self.db.execute(
            """SELECT name, sql FROM sqlite_master
               WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name""",
            (table,),
        ).fetchall()
        for name, _ in found:
            self.db.execute(f'DROP INDEX "{name}"')
        return [sql for _, sql in found]

    @guarded
    def _create_indexes(self, definitions: Sequence[str]) -> None:
        for sql in definitions:
            self.db.execute(sql)

    @guarded
    def indexed(self, ids: Iterable[str]) -> set[str]:
        """Those of ``ids`` that the index publishes."""
        return {
            row[0] for row in self.select_in("SELECT id FROM entries WHERE id IN ({marks})", ids)
        }

    @guarded
    def entry_rows(self, ids: Iterable[str]) -> dict[str, EntryRow]:
        """The published entries among ``ids``, with their feeds."""
        wanted = list(ids)
        feeds: dict[str, set[str]] = {}
        for row in self.select_in("SELECT id, feed FROM entry_feeds WHERE id IN ({marks})", wanted):
            feeds.setdefault(row["id"], set()).add(row["feed"])
        return {
            row["id"]: EntryRow(
                row["id"],
                row["source"],
                row["sort_date"],
                row["updated"],
                row["fingerprint"],
                frozenset(feeds.get(row["id"], ())),
                row["search"],
            )
            for row in self.select_in("SELECT * FROM entries WHERE id IN ({marks})", wanted)
        }

    @guarded
    def apply_entries(self, changed: Sequence[tuple[EntryRow | None, EntryRow | None]]) -> set[str]:
        """Apply ``(old, new)`` pairs to the index in a few statements: a new row publishes
        or updates an entry, None takes it out (hidden, withdrawn, merged or forgotten).
        Returns the feeds whose newest entry may have left: their newest date is read
        again by :meth:`refresh_newest`, once, when the index step is done."""
        leaving: list[tuple[str, EntryRow]] = []
        joining: list[tuple[str, EntryRow]] = []
        for old, new in changed:
            if old is None:
                if new is not None:
                    joining.extend((feed, new) for feed in new.feeds)
                continue
            if new is None:
                leaving.extend((feed, old) for feed in old.feeds)
                continue
            moved = (old.sort_date, old.updated) != (new.sort_date, new.updated)
            leaving.extend((feed, old) for feed in (old.feeds if moved else old.feeds - new.feeds))
            joining.extend((feed, new) for feed in (new.feeds if moved else new.feeds - old.feeds))
        self.db.executemany(
            "DELETE FROM entries WHERE id = ?",
            [(old.id,) for old, new in changed if new is None and old is not None],
        )
        self.db.executemany(
            """INSERT OR REPLACE INTO entries
                 (id, source, sort_date, updated, fingerprint, search)
               VALUES (?, ?, ?, ?, ?, ?)""",
            [
                (new.id, new.source, new.sort_date, new.updated, new.fingerprint, new.search)
                for _, new in changed
                if new is not None
            ],
        )
        self.db.executemany(
            "DELETE FROM entry_feeds WHERE feed = ? AND id = ?",
            [(feed, row.id) for feed, row in leaving],
        )
        self.db.executemany(
            "INSERT INTO entry_feeds (feed, id, sort_date, updated) VALUES (?, ?, ?, ?)",
            [(feed, row.id, row.sort_date, row.updated) for feed, row in joining],
        )
        gained: dict[str, int] = {}
        newest: dict[str, str] = {}
        for feed, row in joining:
            gained[feed] = gained.get(feed, 0) + 1
            newest[feed] = max(newest.get(feed, ""), row.updated)
        gone: dict[str, str] = {}  # per feed, the latest change among the entries that left
        for feed, row in leaving:
            gained[feed] = gained.get(feed, 0) - 1
            gone[feed] = max(gone.get(feed, ""), row.updated)
        # A feed lost its newest entry when one that left changed last.
        stale = {
            feed
            for feed, was in self.select_in(
                "SELECT feed, newest FROM feed_stats WHERE feed IN ({marks})", sorted(gone)
            )
            if gone[feed] >= (was or "")
        }
        self.db.executemany(
            """INSERT INTO feed_stats (feed, entries, newest) VALUES (?, ?, ?)
               ON CONFLICT (feed) DO UPDATE SET entries = entries + excluded.entries,
                 newest = max(coalesce(newest, ''), coalesce(excluded.newest, ''))""",
            [(feed, delta, newest.get(feed)) for feed, delta in sorted(gained.items())],
        )
        return stale

    @guarded
    def refresh_newest(self, feeds: Iterable[str]) -> None:
        """Read again the newest date of these feeds (each walks its feed: once a publish,
        for the feeds that lost their newest entry, not once a chunk of changed items)."""
        self.db.executemany(
            """UPDATE feed_stats SET newest = (SELECT MAX(updated) FROM entry_feeds
                 WHERE entry_feeds.feed = feed_stats.feed) WHERE feed = ?""",
            [(feed,) for feed in sorted(feeds)],
        )

    @guarded
    def feed_stats(self) -> dict[str, tuple[int, str | None]]:
        """Every feed that holds entries or ever held them (a rebuilt index keeps its
        rows, at 0): how many it holds, and when the newest change was (None when
        empty)."""
        rows = self.db.execute("SELECT feed, entries, newest FROM feed_stats")
        return {row["feed"]: (row["entries"], row["newest"]) for row in rows}

    def feed_newest(self, feed: str, limit: int) -> list[tuple[str, str]]:
        """The ``limit`` newest entries of a feed: (id, fingerprint), newest first."""
        return self.feed_entries(feed, limit)

    @guarded
    def facet_members(self, of: str, facets: tuple[str, ...]) -> dict[str, list[tuple[str, str]]]:
        """The entries of feed ``of`` (``kind:event``) that say when they happen, in each
        feed of ``facets`` (``topic``, ``place``), by that feed, newest first: (id,
        fingerprint)."""
        found: dict[str, list[tuple[str, str]]] = {}
        rows = self.db.execute(
            """SELECT f.feed, f.id, e.fingerprint FROM entry_feeds k
               JOIN entry_feeds f ON f.id = k.id JOIN entries e ON e.id = k.id
               JOIN items i ON i.id = k.id
               WHERE k.feed = ? AND json_extract(i.data, '$.event.start') IS NOT NULL
               ORDER BY f.feed, f.sort_date DESC, f.id""",
            (of,),
        )
        for feed, entry, fingerprint in rows:
            if feed.partition(":")[0] in facets:
                found.setdefault(feed, []).append((entry, fingerprint))
        return found

    @guarded
    def feed_entries(self, feed: str, limit: int, offset: int = 0) -> list[tuple[str, str]]:
        """Entries of a feed newest first, from ``offset``: (id, fingerprint)."""
        rows = self.db.execute(
            """SELECT f.id, e.fingerprint FROM entry_feeds f JOIN entries e ON e.id = f.id
               WHERE f.feed = ? ORDER BY f.sort_date DESC, f.id LIMIT ? OFFSET ?""",
            (feed, limit, offset),
        )
        return [(row[0], row[1]) for row in rows]

    @guarded
    def feed_sequence_range(
        self, feed: str, first: int, last: int | None = None
    ) -> list[tuple[str, str]]:
        """Entries of a feed whose archive number is in ``[first, last]`` (no upper end
        when ``last`` is None): (id, fingerprint), newest first."""
        high = last if last is not None else 2**62
        rows = self.db.execute(
            """SELECT s.id, e.fingerprint FROM feed_seq s
                 JOIN entry_feeds f ON f.feed = s.feed AND f.id = s.id
                 JOIN entries e ON e.id = s.id
               WHERE s.feed = ? AND s.seq BETWEEN ? AND ?
               ORDER BY f.sort_date DESC, s.id""",
            (feed, first, high),
        )
        return [(row[0], row[1]) for row in rows]

    @guarded
    def entry_dates(self, feed: str, ids: Sequence[str]) -> dict[str, str]:
        """The sort dates of some entries of a feed."""
        rows = self.select_in(
            "SELECT id, sort_date FROM entry_feeds WHERE feed = ? AND id IN ({marks})", ids, (feed,)
        )
        return {row[0]: row[1] for row in rows}

    @guarded
    def sequence_fingerprints(self, feed: str, first: int, last: int) -> list[tuple[int, str]]:
        """``(archive number, entry fingerprint)`` of a feed's entries numbered in ``[first,
        last]``, in that order (read along the numbers' index: no sort)."""
        rows = self.db.execute(
            """SELECT s.seq, e.fingerprint FROM feed_seq s JOIN entries e ON e.id = s.id
               WHERE s.feed = ? AND s.seq BETWEEN ? AND ? ORDER BY s.seq""",
            (feed, first, last),
        )
        return [(row[0], row[1]) for row in rows]

    @guarded
    def search_records(self, feed: str, first: int, last: int) -> list[str]:
        """The search records of a feed's entries whose archive number is in ``[first,
        last]``, in that order (oldest first)."""
        rows = self.db.execute(
            """SELECT e.search FROM feed_seq s JOIN entries e ON e.id = s.id
               WHERE s.feed = ? AND s.seq BETWEEN ? AND ? AND e.search != ''
               ORDER BY s.seq""",
            (feed, first, last),
        )
        return [row[0] for row in rows]

    @guarded
    def count_from_seq(self, feed: str, first: int) -> int:
        """How many entries of a feed have an archive number of ``first`` or more."""
        row = self.db.execute(
            "SELECT COUNT(*) FROM feed_seq WHERE feed = ? AND seq >= ?", (feed, first)
        ).fetchone()
        return int(row[0])

    @guarded
    def max_seq(self, feed: str) -> int:
        """The highest archive number given in a feed (0 if none)."""
        row = self.db.execute("SELECT MAX(seq) FROM feed_seq WHERE feed = ?", (feed,)).fetchone()
        return int(row[0] or 0)

    @guarded
    def sequence_new_members(self, feed: str, among: Sequence[str] | None = None) -> int:
        """Give the feed's entries that have no archive number one (only those of
        ``among`` when given: the entries the index step saw join), in date order (oldest
        first; among equal dates the later id first); return how many. Done inside
        SQLite, so a feed of a million entries costs no memory here; with ``among``, in
        time that does not grow with the feed (the entries are looked up one by one,
        where ``IN`` had SQLite walk the feed's whole date index to skip the sort)."""
        params: tuple[str, ...] = ()
        if among is None:
            rows = "entry_feeds f"
        else:
            rows = (
                "(SELECT DISTINCT value AS id FROM json_each(?)) j "
                "CROSS JOIN entry_feeds f ON f.id = j.id"
            )
            params = (json.dumps(list(among)),)
        cursor = self.db.execute(
            f"""INSERT INTO feed_seq (feed, seq, id)
                SELECT f.feed, ? + ROW_NUMBER() OVER (ORDER BY f.sort_date ASC, f.id DESC), f.id
                  FROM {rows}
                  LEFT JOIN feed_seq s ON s.feed = f.feed AND s.id = f.id
                 WHERE f.feed = ? AND s.id IS NULL""",
            (self.max_seq(feed), *params, feed),
        )
        return cursor.rowcount

    @guarded
    def drop_departed(self, feed: str, among: Sequence[str] | None = None) -> list[int]:
        """Remove the archive numbers of entries that left the feed (only those of
        ``among`` when given: the entries the index step saw leave); return them."""
        only, params = _among(among, "s.id")
        rows = self.db.execute(
            f"""SELECT s.seq FROM feed_seq s
                  LEFT JOIN entry_feeds f ON f.feed = s.feed AND f.id = s.id
                WHERE s.feed = ? AND f.id IS NULL {only}""",
            (feed, *params),
        ).fetchall()
        seqs = [row[0] for row in rows]
        self.db.executemany(
            "DELETE FROM feed_seq WHERE feed = ? AND seq = ?", [(feed, seq) for seq in seqs]
        )
        return seqs

    @guarded
    def seqs_of(self, feed: str, ids: Sequence[str]) -> list[int]:
        """The archive numbers of some entries of a feed."""
        rows = self.select_in(
            "SELECT seq FROM feed_seq WHERE feed = ? AND id IN ({marks})", ids, (feed,)
        )
        return [row[0] for row in rows]

    # -- published files -----------------------------------------------------------

    @guarded
    def outputs(self, owners: Iterable[str] | None = None) -> dict[str, OutputRow]:
        """The recorded files (of some owners, or all), by path."""
        rows: Iterable[sqlite3.Row]
        if owners is None:
            rows = self.db.execute("SELECT * FROM outputs")
        else:
            rows = self.select_in("SELECT * FROM outputs WHERE owner IN ({marks})", owners)
        return {row["path"]: _output(row) for row in rows}

    @guarded
    def outputs_at(self, paths: Iterable[str]) -> dict[str, OutputRow]:
        """The recorded files among ``paths``, by path."""
        rows = self.select_in("SELECT * FROM outputs WHERE path IN ({marks})", paths)
        return {row["path"]: _output(row) for row in rows}

    @guarded
    def output_paths(self) -> list[str]:
        """The paths of every recorded file."""
        return [row[0] for row in self.db.execute("SELECT path FROM outputs")]

    @guarded
    def has_outputs(self) -> bool:
        """True once anything was published from this store."""
        return self.db.execute("SELECT 1 FROM outputs LIMIT 1").fetchone() is not None

    @guarded
    def output(self, path: str) -> OutputRow | None:
        """One recorded file."""
        row = self.db.execute("SELECT * FROM outputs WHERE path = ?", (path,)).fetchone()
        return None if row is None else _output(row)

    @guarded
    def record_output(self, row: OutputRow, when: datetime) -> None:
        """Remember a file as published."""
        self.db.execute(
            """INSERT OR REPLACE INTO outputs (path, owner, fingerprint, content_hash, published_at)
               VALUES (?, ?, ?, ?, ?)""",
            (row.path, row.owner, row.fingerprint, row.content_hash, iso(when)),
        )

    @guarded
    def drop_outputs(self, paths: Iterable[str]) -> None:
        """Forget files that were deleted."""
        self.db.executemany("DELETE FROM outputs WHERE path = ?", [(p,) for p in paths])


def _output(row: sqlite3.Row) -> OutputRow:
    return OutputRow(row["path"], row["owner"], row["fingerprint"], row["content_hash"])


def _among(ids: Sequence[str] | None, column: str) -> tuple[str, tuple[str, ...]]:
    """A condition limiting ``column`` to ``ids`` (none when ``ids`` is None), as one
    parameter however many ids there are."""
    if ids is None:
        return "", ()
    return f"AND {column} IN (SELECT value FROM json_each(?))", (json.dumps(list(ids)),)
