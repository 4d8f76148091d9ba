"""Deciding what an incoming item means for the store: new, changed or unchanged, and
whether it is a story the store already has under another id or from another source.

``decide`` is pure: it compares the incoming item with what the store holds under the
same (source, id) and returns the row to write, if any. ``same_item`` recognises an item
whose origin changed its GUID or URL; ``story_keys`` are the keys that make items of
different sources one story; ``canonical_links`` decides, for the items that share keys,
which record of each story is canonical (the store only applies the decision).
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from tdlc_syndication.pipeline.model import Item, StoredItem, content_hash, title_key
from tdlc_syndication.pipeline.text import plain_text

Status = Literal["new", "changed", "unchanged"]


@dataclass(frozen=True, slots=True)
class Decision:
    """The verdict on one incoming item and the stored form it leads to."""

    status: Status
    stored: StoredItem


def decide(
    item: Item,
    old: StoredItem | None,
    now: datetime,
    digest: str | None = None,
    *,
    reshaped: bool = False,
) -> Decision:
    """Compare ``item`` with the stored ``old`` one.

    An edit keeps ``first_seen``, moves ``last_changed`` to ``now`` and, when the origin
    gives no ``updated`` date of its own, sets ``updated`` to ``now`` so readers see the
    change. The hash is taken over the incoming item, so the same origin data is always
    'unchanged' afterwards. ``digest`` is the item's :func:`content_hash` when the caller
    already has it. A version that only adds undecodable characters keeps the stored one.
    ``reshaped``: the item was made again with changed settings (a read in full), so a
    difference is theirs, not an edit of the origin's: ``updated`` stays as it was (a
    new topic alias must not show hundreds of entries to readers as updated).
    """
    digest = digest or content_hash(item)
    if old is None:
        return Decision(
            "new",
            StoredItem(
                item=item, first_seen=now, last_seen=now, last_changed=now, content_hash=digest
            ),
        )
    if old.retracted is None and (old.content_hash == digest or _only_degrades(item, old.item)):
        return Decision("unchanged", old)
    # Changed, or given again after the origin withdrew it (a record deleted and then
    # restored, an event made public again): written again, it is published again.
    if item.updated is None:
        item = replace(item, updated=old.item.updated if reshaped else now)
    return Decision(
        "changed",
        StoredItem(
            item=item,
            first_seen=old.first_seen,
            last_seen=now,
            last_changed=now,
            content_hash=digest,
            duplicate_of=old.duplicate_of,
        ),
    )


def _only_degrades(new: Item, old: Item) -> bool:
    """A version with more replacement characters (U+FFFD: bytes that did not decode) than
    the stored one is a worse reading, not an edit: it never overwrites a good item."""
    mark = "\ufffd"

    def damage(item: Item) -> int:
        return item.title.count(mark) + item.summary.count(mark) + item.content_html.count(mark)

    return damage(new) > damage(old)


SIMILAR_SUMMARY = 0.85


def same_item(new: Item, old: Item, *, by_link: bool = True) -> bool:
    """Is ``new`` (an unknown id) the stored ``old`` item of the same source re-issued under
    another id? True when the link is the same, or the title and date are, or the title is
    and the summaries are nearly identical (reader's dedupe rules). Without ``by_link``
    the link does not count: it is one several items share (a list page's anchors).
    Two events at one link on one day are one only with the same title: a calendar's
    events without a page of their own all link to its page, and a new event in place of
    a deleted one is another event, not its re-issue."""
    same_title = title_key(new.title) == title_key(old.title)
    if by_link and new.url == old.url and (same_title or new.event is None):
        return True
    if not same_title or not title_key(new.title):
        return False
    if new.published is not None and old.published is not None:
        return new.published.date() == old.published.date()
    ratio = difflib.SequenceMatcher(None, new.summary, old.summary).ratio()
    return ratio >= SIMILAR_SUMMARY


def group_stories(
    members: dict[tuple[str, str], set[str]], titles: Mapping[tuple[str, str], str] | None = None
) -> list[list[tuple[str, str]]]:
    """Connected groups of items: joined by a shared URL or identifier key, or by a shared
    title key when the items come from different sources. With ``titles`` (title keys), a
    shared URL joins two items of one source only when their titles are the same: a page
    whose items are its sections, or a feed whose items all link to the home page, holds
    several items at one address."""
    parent = {member: member for member in members}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_key: dict[str, list[tuple[str, str]]] = {}
    for member, keys in members.items():
        for key in keys:
            by_key.setdefault(key, []).append(member)
    for key, holders in by_key.items():
        if key.startswith("title:"):
            pairs = [(a, b) for a in holders for b in holders if a[0] < b[0]]
        elif key.startswith("url:") and titles is not None:
            pairs = _url_pairs(holders, titles)
        else:
            pairs = [(holders[0], other) for other in holders[1:]]
        for a, b in pairs:
            parent[find(b)] = find(a)
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for member in sorted(members):
        groups.setdefault(find(member), []).append(member)
    return list(groups.values())


def _url_pairs(
    holders: list[tuple[str, str]], titles: Mapping[tuple[str, str], str]
) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """The items one URL joins: those of one source and one title together; across
    sources, every such part with the others (the address is the story), unless one
    source holds several titles there (a page of many items, as the city's events page
    every event links to): then only the parts with the same title."""
    parts: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for member in holders:
        parts.setdefault((member[0], titles.get(member, "")), []).append(member)
    pairs = [(part[0], other) for part in parts.values() for other in part[1:]]
    per_source = Counter(source for source, _ in parts)
    if len(per_source) > 1:
        many = max(per_source.values()) > 1  # the address names no one story
        joined: dict[str, list[tuple[str, str]]] = {}
        for (_, title), part in parts.items():
            joined.setdefault(title if many else "", []).append(part[0])
        pairs += [(firsts[0], other) for firsts in joined.values() for other in firsts[1:]]
    return pairs


def richness(stored: StoredItem) -> tuple[Any, ...]:
    """Sort key of the canonical record of a story: the largest wins.

    The score counts the text a reader gets (the longer of the content and the summary,
    up to 2,000 characters), plus 200 for a publication date, 100 per file, 50 per author
    and 50 per identifier. Ties go to the earliest first seen, then the smallest id.
    """
    item = stored.item
    text = max(len(plain_text(item.content_html)), len(item.summary))
    score = (
        min(text, 2000)
        + (200 if item.published is not None else 0)
        + 100 * len(item.media)
        + 50 * len(item.authors)
        + 50 * len(item.identifiers)
    )
    # Reverse the id so max() prefers the lexically smallest id.
    return (score, -stored.first_seen.timestamp(), tuple(-ord(c) for c in item.id))


Member = tuple[str, str]  # (source, id)


def canonical_links(
    members: Mapping[Member, set[str]],
    stored: Mapping[Member, StoredItem],
    published: Collection[str] = frozenset(),
) -> dict[Member, str | None]:
    """For every item that shares story keys, the id it is a duplicate of (None for the
    canonical record of its story).

    A shared identifier joins any two items, a shared URL any two but two of one source
    with different titles (several items at one address), a shared title and day items
    of different sources only. The canonical record is the richest (:func:`richness`), never
    a retracted one while the story has another; nothing is deleted. A record the feeds
    already publish (its id in ``published``) stays the canonical one, however rich the
    records that join its story later: the entry's id is its id, and a reader who has the
    entry would be given the story again under the newcomer's id.
    """
    links: dict[Member, str | None] = {}
    titles = {member: title_key(row.item.title) for member, row in stored.items()}
    for group in group_stories(dict(members), titles):
        rows = [stored[member] for member in group if member in stored]
        if not rows:
            continue
        best = max(rows, key=lambda s: (s.retracted is None, s.item.id in published, richness(s)))
        for row in rows:
            links[(row.item.source, row.item.id)] = None if row is best else best.item.id
    return links
