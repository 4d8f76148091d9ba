"""The store as publishers see it: the published feeds (``all``, the configured ones, one per
facet term in use), which feeds an item belongs to, the editors' overrides applied,
labels, public URLs and ``tag:`` ids.

A feed is named by a key: ``all``, ``feed:<id>`` for a ``[[feeds]]`` entry, and
``topic:<slug>``, ``place:<slug>``, ``kind:<slug>``, ``language:<code>`` for the facets.
"""

from __future__ import annotations

import functools
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

from tdlc_syndication.config.editorial import Override
from tdlc_syndication.config.languages import LANGUAGE_NAMES, base_language
from tdlc_syndication.config.models import FeedConfig, Settings
from tdlc_syndication.config.taxonomy import Taxonomy, Term
from tdlc_syndication.outputs.shown import apply_override, as_published
from tdlc_syndication.outputs.words import say
from tdlc_syndication.pipeline.model import Item, StoredItem
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.pipeline.uris import (
    ascii_url,
    id_escape,
    idna_host,
    legacy_escape,
    web_url,
)

FACETS = ("topic", "place", "kind", "language")
FACET_LABELS = {"topic": "Topics", "place": "Places", "kind": "Kinds", "language": "Languages"}
GROUP_TITLES = {"main": "Main feeds", **FACET_LABELS}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True, slots=True)
class Category:
    """A taxonomy term as a feed category: slug, scheme URL and label."""

    term: str
    scheme: str
    label: str


PAGE_FACETS = ("topic", "place", "kind")  # the groups of feeds with a page of their own


def term_page(facet: str, term: str, number: int = 0) -> str:
    """The path of a topic, place or kind page: 0 is the newest materials (``index.html``),
    1 and up the older pages numbered from the oldest (``page-1.html``...)."""
    name = f"page-{number}.html" if number else "index.html"
    return f"{facet}/{term}/{name}"


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedSpec:
    """One published feed: key, title, filter, and path stem (files are ``feeds/<stem>.*``).

    ``group`` is ``main`` for ``all`` and the configured feeds, else the facet name.
    """

    key: str
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

    def matches(self, item: Item) -> bool:
        """True when the item passes every non-empty filter of this feed."""
        return (
            (not self.topics or bool(set(self.topics) & set(item.topics)))
            and (not self.places or bool(set(self.places) & set(item.places)))
            and (not self.kinds or item.kind in self.kinds)
            and (not self.sources or item.source in self.sources)
            and (not self.languages or base_language(item.language) in self.languages)
        )

    @property
    def home(self) -> str:
        """Relative path of the page that shows this feed's items for reading, its link
        as a feed (Atom's ``alternate``, RSS's ``link``, JSON Feed's ``home_page_url``,
        OPML's ``htmlUrl``): a topic's, place's or kind's own page, else the front page
        (''). Every feed linked to the front page: a reader's "open website" of the Kobe
        feed did not show Kobe's page."""
        if self.group not in PAGE_FACETS:
            return ""
        facet, term = self.key.split(":", 1)
        return term_page(facet, term)

    def path(self, fmt: str) -> str:
        """Relative output path of the subscription document in one format."""
        return f"feeds/{self.stem}.{fmt}"

    def archive_path(self, number: int, fmt: str) -> str:
        """Relative output path of archive page ``number`` (1 = oldest)."""
        return f"feeds/archive/{self.stem}/{number}.{fmt}"


RECENT = 4096  # entries a view keeps once read (about 20 MB)


def feed_keys(item: Item, configured: Sequence[FeedSpec]) -> frozenset[str]:
    """Every feed an item (overrides applied) belongs to. Terms that could not be part of a
    file path (not a slug, not a language code) make no feed."""
    keys = {"all"}
    keys.update(spec.key for spec in configured if spec.matches(item))
    keys.update(f"topic:{t}" for t in item.topics if _SLUG.match(t))
    keys.update(f"place:{p}" for p in item.places if _SLUG.match(p))
    if _SLUG.match(item.kind):
        keys.add(f"kind:{item.kind}")
    language = base_language(item.language)
    if _LANGUAGE.match(language):
        keys.add(f"language:{language}")
    return frozenset(keys)


@dataclass(slots=True)
class StoreView:
    """The read-only face of the store that publishers see, with the editors' overrides
    applied (hidden items left out, replaced fields swapped in)."""

    store: Store
    settings: Settings
    overrides: Mapping[str, Override] = field(default_factory=dict)
    _categories: dict[tuple[str, str, bool], Category] = field(default_factory=dict)
    _configured: list[FeedSpec] | None = field(default=None)
    _legacy_ids: frozenset[str] | None = field(default=None)
    _kept_ids: frozenset[str] | None = field(default=None)
    _recent: OrderedDict[str, StoredItem | None] = field(default_factory=OrderedDict)
    _term_events: dict[str, list[tuple[str, str]]] | None = field(default=None)
    _feed_stats: dict[str, tuple[int, str | None]] | None = field(default=None)
    _renamed: tuple[dict[str, str], ...] | None = field(default=None)  # topics, places, kinds
    now: datetime | None = None  # the publish's clock, for what depends on today (events)

    def term_events(self) -> dict[str, list[tuple[str, str]]]:
        """The event items that say when they happen of each topic and place
        (``place:kobe``), newest announced first: (id, fingerprint); a term without
        such events is not in it. Read once."""
        if self._term_events is None:
            self._term_events = self.store.facet_members("kind:event", ("topic", "place"))
        return self._term_events

    def today(self) -> datetime:
        """The publish's time (the run's clock; the system's when none was given)."""
        return self.now or datetime.now(UTC)

    def configured(self) -> list[FeedSpec]:
        """``all`` and the ``[[feeds]]`` entries."""
        if self._configured is None:
            taxonomy = self.settings.taxonomy
            self._configured = [
                self._all_spec(),
                *(_spec(f, taxonomy) for f in self.settings.feeds),
            ]
        return self._configured

    def spec(self, key: str) -> FeedSpec | None:
        """The feed of a key, or None for a key that names no feed."""
        for spec in self.configured():
            if spec.key == key:
                return spec
        facet, _, term = key.partition(":")
        if facet not in FACETS or not term:
            return None
        label = self.label(facet, term)
        return FeedSpec(
            key=key,
            id=f"{facet}-{term}",
            title=f"{label} · {self.settings.site.title}",
            # "Every toolkit published.": a kind's label in a sentence.
            description=self.say(
                _FACET_DESCRIPTIONS[facet], label=label.lower() if facet == "kind" else label
            ),
            stem=f"{facet}/{term}",
            group=facet,
            label=label,
            **{_FILTER_FIELD[facet]: (term,)},
        )

    def feed_stats(self) -> dict[str, tuple[int, str | None]]:
        """The feeds the site publishes: how many entries each holds, and when its newest
        entry last changed (None when it holds none).

        ``all`` and every ``[[feeds]]`` entry are published from the start, empty until
        an item matches. A topic, place, kind or language is published once it holds an
        entry, and stays when its last entry leaves (hidden, forgotten, classified anew),
        empty, while the settings still have its term: a reader that subscribed to it
        keeps getting a valid feed, not 404, and gets the term's next entry. A term taken
        out of the taxonomy takes its feeds and pages with it. Read once, when the first
        publisher asks (the index is up to date by then: a view lives for one publish)."""
        if self._feed_stats is None:
            found: dict[str, tuple[int, str | None]] = {s.key: (0, None) for s in self.configured()}
            for key, (count, newest) in self.store.feed_stats().items():
                if count or self.has_term(key):
                    found[key] = (count, newest)
            self._feed_stats = found
        return self._feed_stats

    def has_term(self, key: str) -> bool:
        """Whether the settings have the facet term a key names (``place:kobe``; any
        language: ``language:fr``)."""
        facet, _, term = key.partition(":")
        taxonomy = self.settings.taxonomy
        terms = {"topic": taxonomy.topics, "place": taxonomy.places, "kind": taxonomy.kinds}
        return facet == "language" or term in terms.get(facet, ())

    def specs(self, keys: Iterable[str]) -> list[FeedSpec]:
        """The feeds of some keys, in directory order: ``all``, the configured feeds, then
        the facets (topics, places, kinds, languages), each sorted by term."""
        found = [s for k in keys if (s := self.spec(k)) is not None]
        rank = {spec.key: n for n, spec in enumerate(self.configured())}
        return sorted(
            found,
            key=lambda s: (
                rank.get(s.key, len(rank)),
                FACETS.index(s.group) if s.group in FACETS else -1,
                s.key,
            ),
        )

    def archived(self, spec: FeedSpec, fmt: str | None = None) -> bool:
        """Whether the feed keeps RFC 5005 archive pages (``[archives] feeds``), in the
        format with suffix ``fmt`` if given (``[archives] formats``)."""
        archives = self.settings.archives
        return spec.group in archives.feeds and (fmt is None or fmt in archives.formats)

    def numbered(self, spec: FeedSpec) -> bool:
        """Whether the feed's entries get archive numbers (in the order they joined): the
        feeds that keep archives, and ``all`` for the search's index while it is on."""
        return self.archived(spec) or (spec.key == "all" and self.settings.site.search)

    def override(self, stored: StoredItem) -> Override | None:
        """The editors' override of an item (given for any record of its story)."""
        if not self.overrides:
            return None
        for item_id in (stored.item.id, *stored.also_seen_at):
            if item_id in self.overrides:
                return self.overrides[item_id]
        return None

    def shown(self, stored: StoredItem) -> StoredItem | None:
        """The item as outputs show it (overrides applied, in the forms the outputs write:
        :func:`as_published`), or None when hidden."""
        override = self.override(stored)
        if override is not None:
            if override.hide:
                return None
            stored = apply_override(stored, override)
        published = self.in_taxonomy(as_published(stored))
        # An earlier version stored links on hosts browsers refuse (http://a..b/): such
        # an item has no link to publish.
        return published if web_url(published.item.url) else None

    def in_taxonomy(self, stored: StoredItem) -> StoredItem:
        """The item with the topics and places the taxonomy still has: a term taken out
        of the settings leaves the outputs at the next publish, also on the items that no
        source gives again to be classified anew (its feeds and pages are deleted). A
        renamed term's former slug (``formerly``) is its slug now, at once."""
        item, taxonomy = stored.item, self.settings.taxonomy
        renamed = self._renamed
        if renamed is None:
            renamed = self._renamed = tuple(map(taxonomy.renamed, ("topics", "places", "kinds")))
        topics = _current(taxonomy.topics, renamed[0], item.topics)
        places = _current(taxonomy.places, renamed[1], item.places)
        kind = renamed[2].get(item.kind, item.kind)
        if topics == item.topics and places == item.places and kind == item.kind:
            return stored
        return replace(stored, item=replace(item, topics=topics, places=places, kind=kind))

    def items(self, ids: Sequence[str]) -> list[StoredItem]:
        """The entries with these ids, in this order, as the outputs show them.

        The newest entries are in most feeds of a publish; the last ``RECENT`` shown are
        kept, so that each is read from the store once (a view lives for one publish)."""
        recent = self._recent
        # Those kept are taken first, then the rest read and kept: keeping one may push
        # out another of these ids, which must not then count as kept.
        shown: dict[str, StoredItem | None] = {}
        missing = []
        for item_id in ids:
            if item_id in recent:
                recent.move_to_end(item_id)
                shown[item_id] = recent[item_id]
            else:
                missing.append(item_id)
        found = self.store.stored_items(missing) if missing else {}
        for item_id in missing:
            stored = found.get(item_id)
            shown[item_id] = recent[item_id] = self.shown(stored) if stored is not None else None
            if len(recent) > RECENT:
                recent.popitem(last=False)
        return [entry for item_id in ids if (entry := shown[item_id]) is not None]

    def pinned_ids(self) -> list[str]:
        """The published entries the editors pinned (an override given for another record
        of a story pins its canonical record)."""
        wanted = [item_id for item_id, o in self.overrides.items() if o.pin and not o.hide]
        found = self.store.stored_items(wanted)
        canonical = sorted({s.duplicate_of or s.item.id for s in found.values()})
        published = self.store.entry_rows(canonical)
        return [item_id for item_id in canonical if item_id in published]

    def url(self, relpath: str) -> str:
        """The public absolute URL of an output path."""
        return public_url(self.settings, relpath)

    def tag_uri(self, specific: str) -> str:
        """A ``tag:`` URI (RFC 4151) for a feed or entry id, in canonical form; stable for
        the site's life (an id published with an earlier version's escaping keeps it)."""
        legacy = specific in self._legacy()
        escaped = legacy_escape(specific) if legacy else id_escape(specific)
        return f"tag:{id_authority(self.settings)}:{escaped}"

    def _legacy(self) -> frozenset[str]:
        if self._legacy_ids is None:
            # A view over no store (renderer tests) has none.
            read = getattr(self.store, "legacy_ids", None)
            self._legacy_ids = read() if read is not None else frozenset()
        return self._legacy_ids

    def kept_ids(self) -> frozenset[str]:
        """The entry ids published with an earlier version's escaping (lint accepts them)."""
        if self._kept_ids is None:
            self._kept_ids = frozenset(self.tag_uri(item_id) for item_id in self._legacy())
        return self._kept_ids

    def say(self, english: str, **values: str) -> str:
        """One of the outputs' own words in the site's language (``outputs.words``)."""
        return say(self.settings.site.language, english, **values)

    def label(self, facet: str, term: str, language: str | None = None) -> str:
        """Display label of a taxonomy term (the term itself if unknown) in ``language``
        (by default the site's): in ``ja``, its ``label_ja`` where it has one."""
        if language is None:
            language = self.settings.site.language
        if facet == "language":
            return LANGUAGE_NAMES.get(term, term)
        table: Mapping[str, Term] = {
            "topic": self.settings.taxonomy.topics,
            "place": self.settings.taxonomy.places,
            "kind": self.settings.taxonomy.kinds,
        }[facet]
        found = table.get(term)
        if found is None:
            return term
        return (found.label_ja or found.label) if base_language(language) == "ja" else found.label

    def category(self, facet: str, term: str, language: str = "") -> Category:
        """A taxonomy term as a feed category in a document of ``language`` (built once
        per publish and language)."""
        key = (facet, term, base_language(language) == "ja")
        found = self._categories.get(key)
        if found is None:
            label = self.label(facet, term, language)
            found = Category(term, self.url(f"feeds/{facet}/"), label)
            self._categories[key] = found
        return found

    def _all_spec(self) -> FeedSpec:
        site = self.settings.site
        return FeedSpec(
            key="all",
            id="all",
            title=site.title,
            description=site.description
            or self.say("Everything published by {site}", site=site.title),
            stem="all",
        )


_FILTER_FIELD = {"topic": "topics", "place": "places", "kind": "kinds", "language": "languages"}


def id_host(settings: Settings) -> str:
    """The host of the site's ids (``site.id_host``, else ``base_url``'s), in ASCII."""
    site = settings.site
    return idna_host(site.id_host or urlsplit(site.base_url).hostname or "localhost")


def id_authority(settings: Settings) -> str:
    """What every feed and entry id starts with after ``tag:``: host and date."""
    return f"{id_host(settings)},{settings.site.id_date}"


def public_url(settings: Settings, relpath: str) -> str:
    """The public absolute URL of an output path (``""``: the site's home), in ASCII: a
    ``base_url`` on a Japanese domain is published with its IDNA host, as every feed
    validator and reader requires."""
    return _ascii_base(settings.site.base_url) + quote(relpath)


@functools.lru_cache(maxsize=8)
def _ascii_base(base_url: str) -> str:
    return ascii_url(base_url)


_FACET_DESCRIPTIONS = {
    "topic": "Materials and news about {label}.",
    "place": "Materials and news about {label}.",
    "kind": "Every {label} published.",
    "language": "Everything in {label}.",
}


def _current(
    terms: Mapping[str, Term], renamed: Mapping[str, str], slugs: tuple[str, ...]
) -> tuple[str, ...]:
    """Those of ``slugs`` that name a term, each as the term's slug now, once."""
    if not renamed:
        return tuple(slug for slug in slugs if slug in terms)
    return tuple(dict.fromkeys(s for slug in slugs if (s := renamed.get(slug, slug)) in terms))


def _spec(feed: FeedConfig, taxonomy: Taxonomy) -> FeedSpec:
    def now(facet: str, slugs: list[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(taxonomy.current(facet, slug) for slug in slugs))

    return FeedSpec(
        key=f"feed:{feed.id}",
        id=feed.id,
        title=feed.title,
        description=feed.description or feed.title,
        stem=feed.id,
        topics=now("topics", feed.topics),
        places=now("places", feed.places),
        kinds=now("kinds", feed.kinds),
        sources=tuple(feed.sources),
        languages=tuple(feed.languages),
    )
