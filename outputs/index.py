"""The published index, brought up to date before a publish: which items the outputs show
(canonical, not withdrawn, not hidden by the editors), which feeds hold each, and what
changed since the last publish.

Only the items in the store's change log (and those whose editors' override changed) are
looked at; a change of the settings that shape the outputs rebuilds the index from every
item. The result is a :class:`Changes`: the feeds whose entries changed and the archive
pages that hold a changed entry, which is all the publishers need to look at.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import islice
from zoneinfo import ZoneInfo

from tdlc_syndication.config.editorial import Override
from tdlc_syndication.outputs.listing import search_record
from tdlc_syndication.outputs.view import StoreView, feed_keys
from tdlc_syndication.pipeline.model import StoredItem
from tdlc_syndication.pipeline.published import EntryRow
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.pipeline.timestamps import iso

CHUNK = 1000
# Entry rows of chunks of item ids, in order (workers may compute them: see rendering).
RowsOf = Callable[[Iterable[list[str]]], Iterator[dict[str, EntryRow | None]]]


@dataclass(slots=True)
class Changes:
    """What a publish has to look at: every feed (``full``) or the feeds whose entries
    changed, and per feed the archive page numbers that hold a changed entry;
    ``expired``: the time passed the moment a published file stopped being true (an event
    in the upcoming events started or ended), so the publishers plan again though no
    item changed (decided by each publish from the store, never kept or merged)."""

    full: bool = False
    feeds: set[str] = field(default_factory=set)
    pages: dict[str, set[int]] = field(default_factory=dict)
    expired: bool = False

    @property
    def any(self) -> bool:
        """True when something may have to be published."""
        return self.full or bool(self.feeds) or self.expired

    def merge(self, other: Changes) -> None:
        """Add what another publish left to do."""
        self.full = self.full or other.full
        self.feeds |= other.feeds
        for feed, pages in other.pages.items():
            self.pages.setdefault(feed, set()).update(pages)

    def to_json(self) -> str:
        """The changes as JSON (kept in the store until published)."""
        pages = {feed: sorted(numbers) for feed, numbers in self.pages.items()}
        return json.dumps({"full": self.full, "feeds": sorted(self.feeds), "pages": pages})

    @classmethod
    def from_json(cls, text: str | None) -> Changes:
        """Changes kept by :meth:`to_json` (none when ``text`` is None)."""
        if not text:
            return cls()
        data = json.loads(text)
        return cls(
            full=bool(data["full"]),
            feeds=set(data["feeds"]),
            pages={feed: set(numbers) for feed, numbers in data["pages"].items()},
        )


def override_hash(override: Override) -> str:
    """A short hash of an editors' override."""
    blob = json.dumps(override.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def entry_fingerprint(stored: StoredItem, override: Override | None) -> str:
    """A hash of everything an entry renders from: the item version, when it was first
    seen and last changed as feeds show it, its other origins and the editors' override."""
    blob = json.dumps(
        [
            stored.content_hash,
            iso(stored.first_seen),
            iso(stored.feed_updated),
            list(stored.also_seen_at),
            override_hash(override) if override else None,
        ]
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def update_index(
    store: Store, view: StoreView, rebuild: bool, rows_of: RowsOf | None = None
) -> tuple[Changes, int]:
    """Bring the published index up to date (inside the caller's transaction).

    Args:
        store: the store.
        view: the settings and overrides of this publish.
        rebuild: index every item again (the settings that shape outputs changed).
        rows_of: computes the entry rows of chunks of ids elsewhere (worker processes);
            by default they are computed here.

    Returns:
        The changes, and the newest change-log number they cover.
    """
    last = int(store.publish_value("gen") or 0)
    newest = max(last, store.last_change())
    before = json.loads(store.publish_value("overrides") or "{}")
    now = {item_id: override_hash(o) for item_id, o in view.overrides.items()}
    changes = Changes(full=rebuild)
    if rebuild:
        store.clear_index()
        ids: Iterable[str] = store.all_item_ids()
    else:
        edited = sorted(i for i in set(before) | set(now) if before.get(i) != now.get(i))
        ids = _union(store.changed_ids(last, newest), edited)
    chunks = _chunks(ids, CHUNK)
    computed = rows_of(chunks) if rows_of else (entry_rows_of(store, view, c) for c in chunks)
    size = view.settings.site.feed_size
    moves = _Moves(kept=not rebuild)  # a rebuild numbers every entry of the archives
    stale: set[str] = set()  # feeds whose newest entry left
    with store.index_in_bulk() if rebuild else nullcontext():
        for rows in computed:
            stale |= _index(store, rows, changes, size, moves, fresh=rebuild)
    store.refresh_newest(stale)
    for key in store.feed_stats() if rebuild else sorted(moves.joined.keys() | moves.left.keys()):
        spec = view.spec(key)
        if spec is None or not view.numbered(spec):
            continue
        # Archive numbers: after a rebuild, from every entry; else for the entries seen
        # to join or leave (in time proportional to the change, not to the archive).
        left, joined = (None, None) if rebuild else moves.of(key)
        full_before = store.max_seq(key) // size
        departed = store.drop_departed(key, among=left)
        first = store.max_seq(key) + 1  # numbers go on from the highest left
        last = first - 1 + store.sequence_new_members(key, among=joined)
        pages = changes.pages.setdefault(key, set())
        pages.update((s - 1) // size + 1 for s in departed)
        pages.update(range((first - 1) // size + 1, (last - 1) // size + 2))  # joined
        pages.update(_boundary(full_before, last // size))
    store.set_publish_value("overrides", json.dumps(now, sort_keys=True))
    return changes, newest


def _boundary(full_before: int, full_after: int) -> range:
    """The archive pages to render again when a feed's count of full pages moves: the
    pages that filled (or stopped being full) and the last full page before them, whose
    link to a newer archive appears (or goes)."""
    if full_before == full_after:
        return range(0)
    low, high = sorted((full_before, full_after))
    return range(max(low, 1), high + 1)


def entry_rows_of(store: Store, view: StoreView, ids: list[str]) -> dict[str, EntryRow | None]:
    """What the index should hold for these items (None: not published), and for the
    canonical records of those that are duplicates (a changed duplicate changes its
    canonical record's list of origins)."""
    found = store.stored_items(ids)
    canonical = {s.duplicate_of for s in found.values() if s.duplicate_of} - set(found)
    if canonical:
        found.update(store.stored_items(sorted(canonical)))
        ids = [*ids, *sorted(canonical)]
    configured = view.configured()
    zone = ZoneInfo(view.settings.site.timezone) if view.settings.site.search else None
    rows: dict[str, EntryRow | None] = {}
    for item_id in ids:
        stored = found.get(item_id)
        rows[item_id] = None
        if stored is not None and stored.duplicate_of is None and stored.retracted is None:
            shown = view.shown(stored)
            if shown is not None:
                rows[item_id] = EntryRow(
                    id=item_id,
                    source=stored.item.source,
                    sort_date=iso(shown.sort_date) or "",
                    updated=iso(shown.feed_updated) or "",
                    fingerprint=entry_fingerprint(stored, view.override(stored)),
                    feeds=feed_keys(shown.item, configured),
                    search=search_record(shown, zone) if zone else "",
                )
    return rows


@dataclass(slots=True)
class _Moves:
    """Per feed, the entries that joined it and those that left it in this index step."""

    kept: bool = True
    joined: dict[str, set[str]] = field(default_factory=dict)
    left: dict[str, set[str]] = field(default_factory=dict)

    def of(self, feed: str) -> tuple[list[str], list[str]]:
        """The entries that left ``feed`` and those that joined it."""
        return sorted(self.left.get(feed, ())), sorted(self.joined.get(feed, ()))

    def note(self, item_id: str, old: EntryRow | None, new: EntryRow | None) -> None:
        """Record how an entry's feeds changed (unless ``kept`` is off)."""
        if not self.kept:
            return
        before = old.feeds if old else frozenset()
        after = new.feeds if new else frozenset()
        for feed in after - before:
            self.joined.setdefault(feed, set()).add(item_id)
        for feed in before - after:
            self.left.setdefault(feed, set()).add(item_id)


def _index(
    store: Store,
    rows: dict[str, EntryRow | None],
    changes: Changes,
    size: int,
    moves: _Moves,
    *,
    fresh: bool = False,
) -> set[str]:
    """Bring the index in line with the entry rows of a chunk of items, noting what
    changed; the feeds whose newest entry left (:meth:`Store.apply_entries`). ``fresh``:
    the index was cleared for a rebuild, so it holds only what earlier chunks put in; a
    row given again (the canonical record of a duplicate in this chunk) is the same row,
    already in."""
    if fresh:
        done = store.indexed(list(rows))
        rows = {item_id: row for item_id, row in rows.items() if item_id not in done}
        old_rows: dict[str, EntryRow] = {}
    else:
        old_rows = store.entry_rows(list(rows))
    changed: list[tuple[EntryRow | None, EntryRow | None]] = []
    for item_id, new in rows.items():
        old = old_rows.get(item_id)
        if new == old:
            continue
        changed.append((old, new))
        moves.note(item_id, old, new)
        if old is None:
            assert new is not None
            changes.feeds |= new.feeds
        elif new is None:
            changes.feeds |= old.feeds
            _touch_pages(store, changes, old, size)
        elif (old.fingerprint, old.sort_date) != (new.fingerprint, new.sort_date):
            changes.feeds |= new.feeds | old.feeds
            _touch_pages(store, changes, old, size)
        else:
            changes.feeds |= new.feeds ^ old.feeds
            _touch_pages(store, changes, old, size, only=old.feeds - new.feeds)
    return store.apply_entries(changed)


def _touch_pages(
    store: Store, changes: Changes, old: EntryRow, size: int, only: frozenset[str] | None = None
) -> None:
    """Note the archive pages that hold an entry that changed or left."""
    for feed in old.feeds if only is None else only:
        seqs = store.seqs_of(feed, [old.id])
        if seqs:
            changes.pages.setdefault(feed, set()).update((s - 1) // size + 1 for s in seqs)


def _union(first: Iterable[str], second: Iterable[str]) -> Iterator[str]:
    """The values of two sorted streams, each once, in order."""
    last: str | None = None
    for value in heapq.merge(first, second):
        if value != last:
            yield value
            last = value


def _chunks(values: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(values)
    while chunk := list(islice(it, size)):
        yield chunk
