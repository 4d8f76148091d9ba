"""Preparing a source's fetched documents: parse, normalise, classify and hash, the CPU
half of a run (``pipeline.run`` fetches and keeps). Pure: it touches neither the network
nor the store, so it runs in the fetching thread or in a worker process
(``pipeline.workers``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache

from tdlc_syndication.config.models import HttpConfig
from tdlc_syndication.config.sources import SourceConfig
from tdlc_syndication.pipeline.classify import Classifier, Reason
from tdlc_syndication.pipeline.errors import InvalidItem
from tdlc_syndication.pipeline.filters import item_filter
from tdlc_syndication.pipeline.http import Http
from tdlc_syndication.pipeline.ledger import Hub, Skipped, Validators
from tdlc_syndication.pipeline.model import (
    Cursor,
    Item,
    Listed,
    Retraction,
    Unread,
    hash_and_json,
    story_keys,
)
from tdlc_syndication.pipeline.normalise import Notes, Rules, item_identity, normalise
from tdlc_syndication.pipeline.state import Outcome, outcome_of
from tdlc_syndication.sources.base import Fetched
from tdlc_syndication.sources.common import hashed_id
from tdlc_syndication.sources.footers import PROTECTED, password_form
from tdlc_syndication.sources.registry import build_source

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Collected:
    """What one source's documents gave, ready to be decided and stored: the items by id,
    with each one's content hash, story keys and stored JSON (computed where the items
    were prepared, so the writer does not), and the classification reasons."""

    items: dict[str, Item] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    keys: dict[str, frozenset[str]] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, list[list[str]]] = field(default_factory=dict)
    retractions: list[Retraction] = field(default_factory=list)
    unread: set[str] = field(default_factory=set)  # items whose own page was not read
    listed: Listed | None = None  # a calendar: the time in which it lists every event
    validators: dict[str, Validators] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    notes: Notes = field(default_factory=Notes)
    moved_to: str | None = None
    cursor: str | None = None
    refresh_after: float | None = None
    hub: Hub | None = None  # the WebSub hub the feed names (None: not looked for)


def prepare(
    config: SourceConfig,
    documents: Sequence[Fetched],
    rules: Rules,
    classifier: Classifier,
    now: datetime,
) -> Collected | Outcome:
    """Parse, normalise, classify and hash what a source's documents hold (the CPU half of
    :func:`pipeline.run.collect`: pure, so it may run in another process)."""
    try:
        return _prepare(config, documents, rules, classifier, now)
    except Exception as exc:
        return outcome_of(exc, config)


def _prepare(
    config: SourceConfig,
    documents: Sequence[Fetched],
    rules: Rules,
    classifier: Classifier,
    now: datetime,
) -> Collected:
    source = build_source(config, _offline_http(), lambda: now)  # parse() sends nothing
    out = Collected()
    drafts: list[Item] = []
    unread: set[str] = set()
    for fetched in documents:
        out.moved_to = out.moved_to or fetched.moved_to
        if fetched.page == 0 and fetched.refresh_after is not None:
            out.refresh_after = fetched.refresh_after
        if fetched.page == 0 and fetched.hub is not None:
            out.hub = fetched.hub
        out.cursor = fetched.cursor if fetched.cursor is not None else out.cursor
        out.validators[fetched.location] = fetched.validators
        for document in fetched.related:  # a followed page: asked conditionally next time
            if document.validators is not None:
                out.validators[document.url] = document.validators
        out.skipped.extend(fetched.skipped)
        for parsed in source.parse(fetched):
            if isinstance(parsed, Retraction):
                out.retractions.append(replace(parsed, id=item_identity(parsed.id)))
            elif isinstance(parsed, Skipped):
                out.skipped.append(parsed)
            elif isinstance(parsed, Unread):
                unread.add(parsed.id)
            elif isinstance(parsed, Listed):
                out.listed = parsed
            elif isinstance(parsed, Cursor):  # known once read: it stands over the fetch's
                out.cursor = parsed.value
            else:
                drafts.append(parsed)
    for skip in out.skipped:
        log.info("skipped %s: %s", skip.url, skip.reason)
    if len(drafts) > config.max_items:  # a list cut here no longer holds every event
        out.listed = None
    keep = item_filter(config.filter, config.id)
    cleaned: list[tuple[Item, Item]] = []
    for draft in drafts[: config.max_items]:
        if password_form(draft.content_html, draft.summary):
            # WordPress's protected post (its feed, its page, a sitemap's): withdrawn
            out.retractions.append(Retraction(id=item_identity(draft.id), reason=PROTECTED))
            continue
        try:
            cleaned.append((draft, normalise(draft, rules, now, out.notes)))
        except InvalidItem as exc:
            log.debug("dropped %s: %s", draft.id, exc)
            out.notes.add(exc.reason)
    for draft, clean in _own_ids(cleaned, config.id, out.notes):
        if not keep(clean):
            log.debug("filtered out %s", clean.id)
            out.notes.add("filtered-out")
            continue
        if clean.id in out.items:
            out.notes.add("duplicate-in-fetch")
            continue
        tagged, reasons = classifier.classify(clean, config)
        out.items[clean.id] = tagged
        if draft.id in unread:
            out.unread.add(clean.id)
        # Hashed, keyed and serialised here, in the worker, not by the writer.
        out.hashes[clean.id], out.data[clean.id] = hash_and_json(tagged)
        out.keys[clean.id] = frozenset(story_keys(tagged))
        out.reasons[clean.id] = _explanation(reasons)
    return out


def _own_ids(
    cleaned: list[tuple[Item, Item]], source_id: str, notes: Notes
) -> list[tuple[Item, Item]]:
    """The items of one fetch, each with an id of its own. An id the origin gave to
    different items (other links or other titles: a feed whose every entry has one
    ``<guid>``, a CMS that writes its template's id) names none of them: each is known by
    its link when no other of them is at that link, else by its title and date, as an
    item is whose origin gives neither an id nor a link. They were taken for one item: all but
    the first were lost, and nothing said so. One item given twice stays one item."""
    groups: dict[str, list[Item]] = {}
    for _, clean in cleaned:
        groups.setdefault(clean.id, []).append(clean)
    shared: dict[str, dict[str, set[str]]] = {}  # id: the titles at each link
    for item_id, members in groups.items():
        if len(members) > 1 and len({(m.url, m.title) for m in members}) > 1:
            titles = shared[item_id] = {}
            for member in members:
                titles.setdefault(member.url, set()).add(member.title)
    if not shared:
        return cleaned
    for item_id, titles in sorted(shared.items()):
        count = sum(len(t) for t in titles.values())
        log.info("%d items share the id %s: each is known by its link or title", count, item_id)
    own = []
    for draft, clean in cleaned:
        at_link = shared.get(clean.id)
        if at_link is not None:
            notes.add("shared-id")
            if len(at_link[clean.url]) == 1 and draft.url:
                native = draft.url.strip()  # as an entry without an id is named
            else:
                native = hashed_id(
                    clean.title, clean.published.isoformat() if clean.published else None
                )
            clean = replace(clean, id=item_identity(f"{source_id}:{native}", notes))
        own.append((draft, clean))
    return own


@lru_cache(maxsize=1)
def _offline_http() -> Http:
    """An HTTP client for sources built only to parse (it never sends a request). Its
    settings are the defaults, taken as they are: validating them would first build
    pydantic's validator for them, 10-50 ms in every process that prepares documents."""
    return Http(HttpConfig.model_construct())


def _explanation(reasons: Iterable[Reason]) -> list[list[str]]:
    return [[r.facet, r.term, r.rule] for r in reasons]
