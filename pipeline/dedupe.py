"""Deciding what an incoming item means for the store: new, changed or unchanged.

``decide`` is pure: it compares the incoming item with what the store holds under the
same (source, id) and returns the row to write, if any.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pipeline.model import Item, StoredItem, content_hash

Status = Literal["new", "changed", "unchanged"]


@dataclass(frozen=True, slots=True)
class Decision:
    """The verdict on one incoming item and the stored form it leads to."""

    status: Status
    stored: StoredItem


def decide(item: Item, old: StoredItem | None, now: datetime) -> Decision:
    """Compare ``item`` with the stored ``old`` one.

    An edit keeps ``first_seen``, moves ``last_changed`` to ``now`` and, when the origin
    gives no ``updated`` date of its own, sets ``updated`` to ``now`` so readers see the
    change. The hash is taken over the incoming item, so the same origin data is always
    'unchanged' afterwards.
    """
    digest = content_hash(item)
    if old is None:
        return Decision(
            "new",
            StoredItem(
                item=item, first_seen=now, last_seen=now, last_changed=now, content_hash=digest
            ),
        )
    if old.content_hash == digest:
        return Decision("unchanged", old)
    if item.updated is None:
        item = item.with_changes(updated=now)
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
