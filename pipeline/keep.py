"""Keeping what a source gave: the writer's half of a run, in one transaction.

::

    keep(ctx, config, store, state, result, started)
        identities  re-issued GUIDs and links keep the id the store has
        decide      new / changed / unchanged, against the stored items
        write       the items (one statement a batch), the stories they belong to
                    re-linked, retractions, validators
        finish      the next source state and the run record

Only the thread that owns the store runs this; the fetching and preparing happen in
``pipeline.run`` and ``pipeline.workers``.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from tdlc_syndication.config.shapes import entry_shape
from tdlc_syndication.config.sources import SourceConfig
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.dedupe import canonical_links, decide, group_stories, same_item
from tdlc_syndication.pipeline.ledger import RunReport, SourceState, dropped_reasons, source_shape
from tdlc_syndication.pipeline.model import Item, Listed, StoredItem, story_keys
from tdlc_syndication.pipeline.state import Outcome, Policy, next_state
from tdlc_syndication.pipeline.store import ItemWrite, Store

if TYPE_CHECKING:  # the preparing code loads with the first document read
    from tdlc_syndication.pipeline.prepare import Collected

log = logging.getLogger(__name__)
_rng = random.Random()


@dataclass(slots=True)
class RunRecords:
    """Next source states and run records to write together: a batch of sources costs two
    statements, not two a source (each statement hands the GIL to the fetching threads
    and waits to get it back)."""

    states: list[SourceState] = field(default_factory=list)
    runs: list[RunReport] = field(default_factory=list)

    def write(self, store: Store) -> None:
        """Write them (in the caller's transaction) and forget them."""
        store.put_states(self.states)
        store.add_runs(self.runs)
        self.states.clear()
        self.runs.clear()


def keep(
    ctx: Context,
    config: SourceConfig,
    store: Store,
    state: SourceState,
    result: Collected | Outcome,
    started: datetime,
    records: RunRecords | None = None,
) -> RunReport:
    """Store what a source gave (or record why it gave nothing): the writer's half of a
    run, one transaction. The source's next state and run record go to ``records`` when
    given, for the caller to write with its batch before it commits.

    Raises:
        StoreError: the store cannot be written.
    """
    pending = RunRecords() if records is None else records
    shape = source_shape(ctx.settings, config)
    with store.transaction():
        if not isinstance(result, Outcome):  # what the documents gave
            report = _keep(ctx, config, store, state, result, started, pending, shape)
        else:
            blank = RunReport(source=config.id, status="failed", started=started, finished=started)
            report = _finish(ctx, config, state, result, blank, pending, shape)
        if records is None:
            pending.write(store)
    return report


def _keep(
    ctx: Context,
    config: SourceConfig,
    store: Store,
    state: SourceState,
    collected: Collected,
    started: datetime,
    records: RunRecords,
    shape: str,
) -> RunReport:
    """Decide each item against the store and write it, in the caller's transaction (the
    next state and the run record: to ``records``). In a read in full after a change of
    the settings (``shape``), an item that comes out different was changed by them, not by
    its origin: it keeps its date of update."""
    now = ctx.clock()
    reshaped = state.shape != shape
    counts: Counter[str] = Counter()
    items, stored = _keep_identities(store, config.id, collected)
    relink: set[str] = set()
    writes = []
    unchanged = []
    stamp = build_stamp(items.values())
    for item in items.values():
        old = stored.get(item.id)
        prepared = True  # hashed, keyed and classified as it stands (in the worker)
        if stamp is not None and old is not None and item.published == stamp:
            item, prepared = _dated_as_before(item, old.item, stamp)
        if old is not None and item.id in collected.unread:
            # Its page was not read this run: what was read from it before stands, with
            # what its list block says now where the block's word comes first.
            merged = with_block(old.item, item)
            if merged == old.item:
                counts["unchanged"] += 1
                unchanged.append(item.id)
                continue
            item, prepared = replace(merged, updated=None), False  # an edit: dated now
        digest = collected.hashes.get(item.id) if prepared else None
        decision = decide(item, old, now, digest, reshaped=reshaped)
        counts[decision.status] += 1
        log.debug("%s %s", decision.status, item.id)
        if decision.status == "unchanged":
            unchanged.append(item.id)
            continue
        keys = (collected.keys.get(item.id) if prepared else None) or frozenset(story_keys(item))
        data = collected.data.get(item.id) if prepared and decision.stored.item is item else None
        reasons = collected.reasons.get(item.id) if prepared else None  # None: the old stand
        writes.append(ItemWrite(decision.stored, reasons, data, keys))
        relink.update(keys)
        if old is not None:
            relink.update(story_keys(old.item))
    store.put_items(writes)
    store.touch_items(config.id, unchanged, now)
    withdrawn = [(r.id, r.reason) for r in collected.retractions]
    if collected.listed is not None:  # a calendar: a stored event it no longer lists is gone
        withdrawn += [(i, GONE) for i in _unlisted(store, config.id, collected.listed, items)]
    for item_id, reason in withdrawn:
        if item_id not in items and store.retract(config.id, item_id, reason):
            counts["retracted"] += 1
            relink.update(store.item_keys(config.id, item_id))
    relink_stories(store, relink)
    if reshaped:  # what this read did not read (past follow_limit) is read first next time
        store.forget_validators(config.id)
    for location, validators in collected.validators.items():
        store.put_validators(config.id, location, validators)
    if collected.hub is not None:
        store.note_hub(config.id, collected.hub.hub, collected.hub.topic)
    notes = dict(collected.notes.counts)
    outcome = Outcome(
        status="ok",
        configured=getattr(config, "url", None),
        moved_to=collected.moved_to,
        cursor=collected.cursor,
        refresh_after=collected.refresh_after,
    )
    tally = RunReport(
        source=config.id,
        status="ok",
        started=started,
        finished=now,
        new=counts["new"],
        changed=counts["changed"],
        unchanged=counts["unchanged"],
        dropped=sum(dropped_reasons(notes).values()),
        retracted=counts["retracted"],
        notes=notes,
        skipped=tuple(collected.skipped),
    )
    return _finish(ctx, config, state, outcome, tally, records, shape)


GONE = "deleted from the calendar"


def build_stamp(items: Collection[Item]) -> datetime | None:
    """The moment every item of a read says it was published, to the second, when there
    are two items or more: a feed that dates each entry with the time it was built (as
    some CMSs and scripts write their RSS), not when the entry was published."""
    if len(items) < 2:
        return None
    stamp = next(iter(items)).published
    if stamp is None or any(
        item.published != stamp or item.published_precision != "datetime" for item in items
    ):
        return None
    return stamp


def _dated_as_before(item: Item, stored: Item, stamp: datetime) -> tuple[Item, bool]:
    """``item`` of a read dated by its build (``stamp``) with the stored item's dates
    where the stamp only moved them on, and whether it is still as the worker prepared
    it: every item of such a feed went to the top of every feed as updated at each build."""
    if stored.published is None or stored.published >= stamp:
        return item, True
    redated = replace(
        item,
        published=stored.published,
        published_precision=stored.published_precision,
        updated=stored.updated if item.updated == stamp else item.updated,
    )
    return redated, False


def _unlisted(store: Store, source: str, listed: Listed, items: Mapping[str, Item]) -> list[str]:
    """The stored events of ``source`` that start in the time ``listed`` covers and that
    the calendar no longer lists (deleted: a calendar marks no deletion)."""
    return [
        item_id
        for item_id, start in store.event_starts(source).items()
        if item_id not in items
        and start >= listed.start
        and (listed.until is None or start <= listed.until)
    ]


def relink_stories(store: Store, keys: Iterable[str]) -> None:
    """Re-decide the canonical record of every story that shares one of ``keys``. Only the
    items of stories with several records are read; a lone record is its own canonical."""
    members = store.story_members(keys)
    if not members:
        return
    links: dict[tuple[str, str], str | None] = {}
    shared: dict[tuple[str, str], set[str]] = {}
    for group in group_stories(members):
        if len(group) == 1:
            links[group[0]] = None
        else:
            shared.update((member, members[member]) for member in group)
    if shared:
        published = store.indexed(sorted(item_id for _, item_id in shared))
        links.update(canonical_links(shared, store.members_of(shared), published))
    store.set_duplicates(links)


def forget_items(store: Store, *, sources: Sequence[str] = (), item_ids: Sequence[str] = ()) -> int:
    """Remove every item of ``sources`` and the items ``item_ids``, in one transaction; the
    stories they belonged to get their canonical record decided again. Returns how many
    items went."""
    with store.transaction():
        members = [
            (source, item_id) for source in sources for item_id in store.all_item_ids(source)
        ]
        for item_id in item_ids:
            found = store.get_item(item_id)
            if found is not None:
                members.append((found.item.source, item_id))
        keys = store.forget(members)
        for source in sources:
            store.forget_source_records(source)
        relink_stories(store, keys)
    return len(members)


def _keep_identities(
    store: Store, source: str, collected: Collected
) -> tuple[dict[str, Item], dict[str, StoredItem]]:
    """Give re-issued items the id the store already keeps for them; the items, and what
    the store holds under their ids.

    An origin that changes an item's GUID or URL would otherwise make it look new. An id
    seen before as an alias maps straight to its item; an unknown id is matched against
    this source's stored items that the fetch no longer carries (same link, or same title
    and day, or same title and nearly the same summary). A match becomes an alias.
    """
    items = collected.items
    known = store.get_items(source, items)
    aliases = store.aliases(source, [i for i in items if i not in known])
    if aliases:  # what the store holds under the ids they map to
        known.update(store.get_items(source, sorted(set(aliases.values()) - set(known))))
    unknown = [i for i in items if i not in known and i not in aliases]
    keys_of = collected.keys
    wanted = {key for i in unknown for key in keys_of.get(i) or story_keys(items[i])}
    candidates = store.same_source_candidates(source, wanted) if wanted else []
    holders: dict[str, list[StoredItem]] = {}
    for candidate in candidates:
        for key in story_keys(candidate.item):
            holders.setdefault(key, []).append(candidate)
    # A link several items share names no one of them (a list page whose items link to its
    # own anchors, #n1 and #n2): a new item there is not an old one re-issued.
    fetched = Counter(i.url for i in items.values())
    stored = Counter({s.item.id: s.item.url for s in candidates}.values())
    shared = {url for counts in (fetched, stored) for url, n in counts.items() if n > 1}
    out: dict[str, Item] = {}
    for item_id, item in items.items():
        target = item_id if item_id in known else aliases.get(item_id)
        if target is None:
            by_link = item.url not in shared
            for candidate in _sharing(holders, keys_of.get(item_id) or story_keys(item)):
                other = candidate.item.id
                if (
                    other not in items
                    and other not in out
                    and same_item(item, candidate.item, by_link=by_link)
                ):
                    target = other
                    known[other] = candidate
                    store.add_alias(source, item_id, other)
                    collected.notes.add("reissued-id")
                    log.debug("%s is %s re-issued", item_id, other)
                    break
        final = target or item_id
        if final in out:
            collected.notes.add("duplicate-in-fetch")
            continue
        if final != item_id:
            collected.reasons[final] = collected.reasons.pop(item_id, [])
            collected.hashes.pop(item_id, None)  # the id is hashed too: decide() re-hashes
            collected.data.pop(item_id, None)
            if item_id in keys_of:
                keys_of[final] = keys_of.pop(item_id)  # keys do not depend on the id
            if item_id in collected.unread:
                collected.unread.add(final)
        out[final] = item if final == item_id else replace(item, id=final)
    return out, known


def _sharing(holders: Mapping[str, list[StoredItem]], keys: Iterable[str]) -> list[StoredItem]:
    """The stored items holding one of ``keys``, each once, in id order."""
    found = {s.item.id: s for key in keys for s in holders.get(key, ())}
    return [found[item_id] for item_id in sorted(found)]


def _finish(
    ctx: Context,
    config: SourceConfig,
    state: SourceState,
    outcome: Outcome,
    tally: RunReport,
    records: RunRecords,
    shape: str,
) -> RunReport:
    """Add the next state and the run record of ``outcome`` (with the counts of ``tally``)
    to ``records``. A run that read the source records the ``shape`` its items were made
    with; one that failed leaves the old one (a read in full it owed is owed still) and
    records the source's own entry it failed with (``SourceState.failed_with``)."""
    now = ctx.clock()
    following = next_state(state, outcome, now, Policy.of(ctx.settings.http), _rng)
    if outcome.status in ("ok", "not_modified"):
        following = replace(following, shape=shape, failed_with=None)
    else:
        following = replace(following, failed_with=entry_shape(config))
    if following.retry_after and outcome.status == "failed":
        log.info("failed (%s); back off until %s", outcome.error, following.retry_after.isoformat())
    report = replace(
        tally,
        status="failed" if outcome.status == "gone" else outcome.status,
        finished=now,
        error=outcome.error,
        moved_to=outcome.moved_to,
    )
    records.states.append(following)
    records.runs.append(report)
    return report


def with_block(stored: Item, block: Item) -> Item:
    """An item whose own page a run did not read (``Unread``): what was read from the
    page before, with what its list block says now where the block's word comes first
    (its title, summary, image and date; the page's text, topics and event stand). A
    notice retitled in the list is retitled in the feeds without waiting for its page to
    be read again; a block that says what it said before changes nothing."""
    dated = block if block.published is not None else stored
    return replace(
        stored,
        title=block.title or stored.title,
        summary=block.summary or stored.summary,
        thumbnail=block.thumbnail or stored.thumbnail,
        published=dated.published,
        published_precision=dated.published_precision,
    )
