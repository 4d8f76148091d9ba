"""What every publisher shares: the Publisher protocol, the read-only store view, and the
feed list with its URLs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from urllib.parse import quote, urlsplit

from config.models import FeedConfig, Settings
from pipeline.model import StoredItem
from pipeline.store import Store

GENERATOR = "tdlc-syndication"
FORMATS = ("atom", "rss")
MEDIA_TYPES = {
    "atom": "application/atom+xml",
    "rss": "application/rss+xml",
    "json": "application/feed+json",
}


class Publisher(Protocol):
    """Renders files from the store. Pure: no clock, no network; the same store gives the
    same bytes."""

    name: str

    def render(self, store: StoreView, now: datetime) -> Mapping[str, bytes]:
        """Return output files as ``relative path -> bytes``."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedSpec:
    """One published feed: its id, title, filter and path stem (``feeds/<stem>``)."""

    id: str
    title: str
    description: str
    stem: str
    topics: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    group: str = "main"

    def matches(self, stored: StoredItem) -> bool:
        """True when the item passes every non-empty filter of this feed."""
        item = stored.item
        return (
            (not self.topics or bool(set(self.topics) & set(item.topics)))
            and (not self.places or bool(set(self.places) & set(item.places)))
            and (not self.kinds or item.kind in self.kinds)
            and (not self.sources or item.source in self.sources)
            and (not self.languages or (item.language or "") in self.languages)
        )

    def path(self, fmt: str) -> str:
        """Relative output path of this feed in one format."""
        return f"feeds/{self.stem}.{fmt}"


@dataclass(slots=True)
class StoreView:
    """The read-only face of the store that publishers see."""

    store: Store
    settings: Settings
    _items: list[StoredItem] | None = field(default=None)

    def items(self) -> list[StoredItem]:
        """Every canonical item (duplicates folded), newest first; read once per publish."""
        if self._items is None:
            self._items = self.store.canonical_items()
        return self._items

    def feeds(self) -> list[FeedSpec]:
        """Every feed to publish: ``all`` first, then the configured ones."""
        site = self.settings.site
        specs = [
            FeedSpec(
                id="all",
                title=site.title,
                description=site.description or f"Everything published by {site.title}",
                stem="all",
            )
        ]
        specs.extend(_spec(f) for f in self.settings.feeds)
        return specs

    def url(self, relpath: str) -> str:
        """The public absolute URL of an output path."""
        return self.settings.site.base_url + quote(relpath)

    def tag_uri(self, specific: str) -> str:
        """A ``tag:`` URI (RFC 4151) for a feed or entry id; stable for the site's life."""
        host = urlsplit(self.settings.site.base_url).hostname or "localhost"
        safe = quote(specific, safe="/:@!$&'()*+,;=-._~")
        return f"tag:{host},{self.settings.site.id_date}:{safe}"


def _spec(feed: FeedConfig) -> FeedSpec:
    return FeedSpec(
        id=feed.id,
        title=feed.title,
        description=feed.description or feed.title,
        stem=feed.id,
        topics=tuple(feed.topics),
        places=tuple(feed.places),
        kinds=tuple(feed.kinds),
        sources=tuple(feed.sources),
        languages=tuple(feed.languages),
    )
