"""The store as publishers see it: canonical items with the editors' overrides applied,
the list of published feeds (``all``, the configured ones, one per facet term in use),
labels, public URLs and ``tag:`` ids."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import quote, urlsplit

from tdlc_syndication.config.models import FeedConfig, Override, Settings, Term
from tdlc_syndication.pipeline.model import StoredItem
from tdlc_syndication.pipeline.store import Store

FACETS = ("topic", "place", "kind", "language")
FACET_LABELS = {"topic": "Topics", "place": "Places", "kind": "Kinds", "language": "Languages"}
GROUP_TITLES = {"main": "Main feeds", **FACET_LABELS}
LANGUAGE_NAMES = {"en": "English", "ja": "日本語 (Japanese)"}


@dataclass(frozen=True, slots=True)
class Category:
    """A taxonomy term as a feed category: slug, scheme URL and label."""

    term: str
    scheme: str
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedSpec:
    """One published feed: id, title, filter, and path stem (files are ``feeds/<stem>.*``).

    ``group`` is ``main`` for ``all`` and the configured feeds, else the facet name.
    """

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
    label: str = ""

    @property
    def name(self) -> str:
        """Short display name: the facet term's label, else the title."""
        return self.label or self.title

    def matches(self, stored: StoredItem) -> bool:
        """True when the item passes every non-empty filter of this feed."""
        item = stored.item
        return (
            (not self.topics or bool(set(self.topics) & set(item.topics)))
            and (not self.places or bool(set(self.places) & set(item.places)))
            and (not self.kinds or item.kind in self.kinds)
            and (not self.sources or item.source in self.sources)
            and (not self.languages or _base_language(item.language) in self.languages)
        )

    def path(self, fmt: str) -> str:
        """Relative output path of the subscription document in one format."""
        return f"feeds/{self.stem}.{fmt}"

    def archive_path(self, number: int, fmt: str) -> str:
        """Relative output path of archive page ``number`` (1 = oldest)."""
        return f"feeds/archive/{self.stem}/{number}.{fmt}"


@dataclass(slots=True)
class StoreView:
    """The read-only face of the store that publishers see, with the editors' overrides
    applied (hidden items left out, replaced fields swapped in)."""

    store: Store
    settings: Settings
    overrides: Mapping[str, Override] = field(default_factory=dict)
    _items: list[StoredItem] | None = field(default=None)
    _feeds: list[tuple[FeedSpec, list[StoredItem]]] | None = field(default=None)
    _categories: dict[tuple[str, str], Category] = field(default_factory=dict)

    def items(self) -> list[StoredItem]:
        """Every canonical item (duplicates folded), newest first; read once per publish."""
        if self._items is None:
            items = []
            for stored in self.store.canonical_items():
                override = self._override(stored)
                if override is None:
                    items.append(stored)
                elif not override.hide:
                    items.append(apply_override(stored, override))
            self._items = items
        return self._items

    def pinned(self) -> list[StoredItem]:
        """Items the editors pinned, newest first."""
        return [s for s in self.items() if (o := self._override(s)) is not None and o.pin]

    def _override(self, stored: StoredItem) -> Override | None:
        if not self.overrides:
            return None
        for item_id in (stored.item.id, *stored.also_seen_at):
            if item_id in self.overrides:
                return self.overrides[item_id]
        return None

    def feeds(self) -> list[tuple[FeedSpec, list[StoredItem]]]:
        """Every feed to publish with all its items (newest first), in directory order:
        ``all``, the configured feeds, then one feed per topic, place, kind and language
        that some item has."""
        if self._feeds is None:
            items = self.items()
            specs = [self._all_spec(), *(_spec(f) for f in self.settings.feeds)]
            specs.extend(self._facet_specs(items))
            self._feeds = [(spec, [s for s in items if spec.matches(s)]) for spec in specs]
        return self._feeds

    def url(self, relpath: str) -> str:
        """The public absolute URL of an output path."""
        return public_url(self.settings, relpath)

    def tag_uri(self, specific: str) -> str:
        """A ``tag:`` URI (RFC 4151) for a feed or entry id; stable for the site's life."""
        host = urlsplit(self.settings.site.base_url).hostname or "localhost"
        safe = quote(specific, safe="/:@!$&'()*+,;=-._~")
        return f"tag:{host},{self.settings.site.id_date}:{safe}"

    def label(self, facet: str, term: str) -> str:
        """Display label of a taxonomy term (the term itself if unknown)."""
        if facet == "language":
            return LANGUAGE_NAMES.get(term, term)
        table: Mapping[str, Term] = {
            "topic": self.settings.taxonomy.topics,
            "place": self.settings.taxonomy.places,
            "kind": self.settings.taxonomy.kinds,
        }[facet]
        return table[term].label if term in table else term

    def category(self, facet: str, term: str) -> Category:
        """A taxonomy term as a feed category (built once per publish)."""
        key = (facet, term)
        found = self._categories.get(key)
        if found is None:
            found = Category(term, self.url(f"feeds/{facet}/"), self.label(facet, term))
            self._categories[key] = found
        return found

    def _all_spec(self) -> FeedSpec:
        site = self.settings.site
        return FeedSpec(
            id="all",
            title=site.title,
            description=site.description or f"Everything published by {site.title}",
            stem="all",
        )

    def _facet_specs(self, items: Sequence[StoredItem]) -> list[FeedSpec]:
        used: dict[str, set[str]] = {facet: set() for facet in FACETS}
        for stored in items:
            item = stored.item
            used["topic"].update(item.topics)
            used["place"].update(item.places)
            used["kind"].add(item.kind)
            if item.language:
                used["language"].add(_base_language(item.language))
        specs = []
        site_title = self.settings.site.title
        for facet in FACETS:
            for term in sorted(used[facet]):
                label = self.label(facet, term)
                specs.append(
                    FeedSpec(
                        id=f"{facet}-{term}",
                        title=f"{label} · {site_title}",
                        description=_facet_description(facet, label),
                        stem=f"{facet}/{term}",
                        group=facet,
                        label=label,
                        **{_FILTER_FIELD[facet]: (term,)},
                    )
                )
        return specs


_FILTER_FIELD = {"topic": "topics", "place": "places", "kind": "kinds", "language": "languages"}


def apply_override(stored: StoredItem, override: Override) -> StoredItem:
    """The item with the editors' replacement fields swapped in."""
    item = stored.item
    edited = replace(
        item,
        title=item.title if override.title is None else override.title,
        summary=item.summary if override.summary is None else override.summary,
        kind=item.kind if override.kind is None else override.kind,
        topics=item.topics if override.topics is None else tuple(override.topics),
        places=item.places if override.places is None else tuple(override.places),
    )
    return stored if edited == item else replace(stored, item=edited)


def public_url(settings: Settings, relpath: str) -> str:
    """The public absolute URL of an output path."""
    return settings.site.base_url + quote(relpath)


def _facet_description(facet: str, label: str) -> str:
    return {
        "topic": f"Materials and news about {label}.",
        "place": f"Materials and news about {label}.",
        "kind": f"Every {label.lower()} published.",
        "language": f"Everything in {label}.",
    }[facet]


def _base_language(code: str | None) -> str:
    return (code or "").split("-")[0].lower()


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
