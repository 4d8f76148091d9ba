"""Feed paging (RFC 5005): the subscription document and its archive pages, and entry
update times made unique within a document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tdlc_syndication.outputs.view import FeedSpec
from tdlc_syndication.pipeline.model import StoredItem


@dataclass(frozen=True, slots=True)
class Page:
    """One document of a feed: the subscription document (``number`` 0) or an archive page.

    ``prev_archive``/``next_archive`` are page numbers of the neighbouring archives, if any.
    """

    number: int
    items: Sequence[StoredItem]
    prev_archive: int | None
    next_archive: int | None

    @property
    def is_archive(self) -> bool:
        """True for archive pages."""
        return self.number > 0


def paginate(items: Sequence[StoredItem], size: int) -> list[Page]:
    """Split a feed (newest first) into its subscription document and RFC 5005 archives.

    The subscription document holds the newest ``size`` items. Archive pages hold ``size``
    items each, counted from the oldest, so a full page never changes when new items
    arrive; only full pages are archived. Every item is in at least one document.
    """
    oldest_first = list(reversed(items))
    full = len(oldest_first) // size
    pages = [
        Page(
            number=n,
            items=list(reversed(oldest_first[(n - 1) * size : n * size])),
            prev_archive=n - 1 if n > 1 else None,
            next_archive=n + 1 if n < full else None,
        )
        for n in range(1, full + 1)
    ]
    current = Page(number=0, items=items[:size], prev_archive=full or None, next_archive=None)
    return [current, *pages]


def page_path(spec: FeedSpec, page: Page, fmt: str) -> str:
    """Output path of one page of a feed in one format."""
    return spec.archive_path(page.number, fmt) if page.is_archive else spec.path(fmt)


def unique_updates(items: Sequence[StoredItem]) -> list[datetime]:
    """Each item's update time, made unique within one document.

    The W3C validator warns when two entries share atom:updated (common for items dated to
    the day). The newest keeps its time and later ties move back by seconds; the result
    depends only on the items, so rebuilds stay byte-identical.
    """
    used: set[datetime] = set()
    out = []
    for stored in items:
        updated = stored.feed_updated
        while updated in used:
            updated -= timedelta(seconds=1)
        used.add(updated)
        out.append(updated)
    return out
