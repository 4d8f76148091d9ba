"""Feed paging (RFC 5005): the subscription document and the archive pages of a feed,
planned from the published index without loading the items.

A feed that keeps archives numbers its entries in the order they joined it (oldest
first). Archive page ``n`` holds numbers ``(n-1)*size+1 .. n*size`` and exists once it is
full and a second page is (the first one alone would link no other archive), so a full
page never changes when new items arrive (only when one of its own items is edited,
hidden or withdrawn, and once when the next page fills: it gains its ``next-archive``
link). The subscription document holds the newest ``size`` entries and every entry not
yet on an archive page. A feed without archives holds its newest
``size`` entries; either is marked ``fh:complete`` when it holds all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tdlc_syndication.outputs.view import FeedSpec
from tdlc_syndication.pipeline.model import FEED_EARLIEST, StoredItem
from tdlc_syndication.pipeline.store import Store

Member = tuple[str, str]  # (entry id, entry fingerprint)


@dataclass(frozen=True, slots=True)
class Page:
    """One document of a feed: the subscription document (``number`` 0) or an archive page.

    ``members`` are its entries newest first; ``prev_archive``/``next_archive`` the page
    numbers of the neighbouring archives; ``complete`` marks a subscription document that
    holds every entry of its feed.
    """

    number: int
    members: tuple[Member, ...]
    prev_archive: int | None
    next_archive: int | None
    complete: bool = False

    @property
    def is_archive(self) -> bool:
        """True for archive pages."""
        return self.number > 0

    @property
    def ids(self) -> list[str]:
        """The entry ids, newest first."""
        return [item_id for item_id, _ in self.members]


def full_pages(store: Store, spec: FeedSpec, size: int) -> int:
    """How many full archive pages a feed with archives has: none while only one is
    full, whose entries stay in the subscription document (an archive page with neither a
    ``prev-archive`` nor a ``next-archive`` link, which the first would be, is one the W3C
    validator warns of, "Archive incomplete")."""
    full = store.max_seq(spec.key) // size
    return full if full > 1 else 0


def subscription_page(store: Store, spec: FeedSpec, size: int, count: int, archived: bool) -> Page:
    """The subscription document of a feed that holds ``count`` entries."""
    newest = store.feed_newest(spec.key, size)
    if not archived:
        return Page(0, tuple(newest), None, None, complete=count <= size)
    full = full_pages(store, spec, size)
    tail = store.feed_sequence_range(spec.key, full * size + 1) if count > size else []
    known = {item_id for item_id, _ in newest}
    extra = [m for m in tail if m[0] not in known]
    members = _date_order(store, spec, newest + extra) if extra else newest
    return Page(0, tuple(members), full or None, None, complete=full == 0)


def archive_page(store: Store, spec: FeedSpec, number: int, size: int, full: int) -> Page:
    """Archive page ``number`` (1 = oldest) of a feed with ``full`` full pages."""
    members = store.feed_sequence_range(spec.key, (number - 1) * size + 1, number * size)
    return Page(
        number,
        tuple(members),
        number - 1 if number > 1 else None,
        number + 1 if number < full else None,
    )


def _date_order(store: Store, spec: FeedSpec, members: Sequence[Member]) -> list[Member]:
    """Members in the feed's order: newest first, equal dates by id."""
    dates = store.entry_dates(spec.key, [m[0] for m in members])
    by_id = sorted(members, key=lambda m: m[0])
    return sorted(by_id, key=lambda m: dates.get(m[0], ""), reverse=True)


def page_path(spec: FeedSpec, page: Page, fmt: str) -> str:
    """Output path of one page of a feed in one format."""
    return spec.archive_path(page.number, fmt) if page.is_archive else spec.path(fmt)


def unique_updates(items: Sequence[StoredItem]) -> list[datetime]:
    """Each item's update time, made unique within one document.

    The W3C validator warns when two entries share atom:updated (common for items dated to
    the day). The newest keeps its time and later ties move back by seconds, or forward
    from ``FEED_EARLIEST`` (a library's records dated to the year 1990 moved into 1989,
    which the validator calls implausible, and the lint left them out of the feed); the
    result depends only on the items, so rebuilds stay byte-identical.
    """
    used: set[datetime] = set()
    out = []
    second = timedelta(seconds=1)
    for stored in items:
        updated = stored.feed_updated
        while updated in used:
            updated -= second
        if updated < FEED_EARLIEST:
            updated = stored.feed_updated
            while updated in used:
                updated += second
        used.add(updated)
        out.append(updated)
    return out
