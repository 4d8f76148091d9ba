"""The store's record of WebSub: the hub each feed source names, and the service's
subscription there. A mixin of :class:`pipeline.store.Store`.

A row's ``hub`` and ``topic`` are what the feed said at its last full read; ``asked_hub``
and ``asked_topic`` where the subscription was asked for (they differ once the feed
names another hub, and the service then subscribes there). Its ``state``:

* ``none``: not subscribed (no callback set, the source skipped, or never asked);
* ``asked``: the hub was asked and has not confirmed yet (it sends a challenge); asked
  again after ``ASK_AGAIN``;
* ``active``: the hub confirmed, until ``lease_until``;
* ``leaving``: the hub was asked to end the subscription;
* ``denied``: the hub refused (``error`` says why); asked again a day later.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any, Literal

from tdlc_syndication.pipeline.storage import StoreBase, guarded
from tdlc_syndication.pipeline.timestamps import iso, parse_opt_dt

SubscriptionState = Literal["none", "asked", "active", "leaving", "denied"]
ASK_AGAIN = timedelta(hours=1)  # a request the hub did not confirm is made again then
_TIMES = ("asked_at", "lease_until", "pushed_at")


@dataclass(frozen=True, slots=True, kw_only=True)
class Subscription:
    """One feed source's hub and the service's subscription to it."""

    source: str
    hub: str = ""
    topic: str = ""
    state: SubscriptionState = "none"
    token: str = ""  # the last part of the callback address: whose subscription it is
    secret: str = ""  # the key of the hub's signatures
    asked_hub: str = ""
    asked_topic: str = ""
    asked_at: datetime | None = None
    lease_until: datetime | None = None
    pushed_at: datetime | None = None
    error: str | None = None

    def pushes(self, now: datetime) -> bool:
        """Whether the hub confirmed a subscription that lasts beyond ``now``."""
        return self.state == "active" and self.lease_until is not None and self.lease_until > now


_COLUMNS = tuple(f.name for f in fields(Subscription))


def _subscription(row: Any) -> Subscription:
    values = {name: row[name] for name in _COLUMNS}
    for name in _TIMES:
        values[name] = parse_opt_dt(values[name])
    return Subscription(**values)


class SubscriptionsMixin(StoreBase):
    """WebSub: the hubs the feeds name, and the subscriptions to them."""

    @guarded
    def subscriptions(self) -> dict[str, Subscription]:
        """Every source's record, by source id."""
        rows = self.db.execute("SELECT * FROM subscriptions ORDER BY source")
        return {row["source"]: _subscription(row) for row in rows}

    @guarded
    def subscription_of(self, token: str) -> Subscription | None:
        """The subscription whose callback address ends with ``token``."""
        if not token:
            return None
        row = self.db.execute("SELECT * FROM subscriptions WHERE token = ?", (token,)).fetchone()
        return _subscription(row) if row else None

    @guarded
    def note_hub(self, source: str, hub: str, topic: str) -> None:
        """Record the hub (or '' for none) and the topic a feed names, keeping what is
        known of its subscription."""
        self.db.execute(
            """INSERT INTO subscriptions (source, hub, topic) VALUES (?, ?, ?)
               ON CONFLICT (source) DO UPDATE SET hub = excluded.hub, topic = excluded.topic""",
            (source, hub, topic),
        )

    @guarded
    def put_subscription(self, record: Subscription) -> None:
        """Record a source's subscription (every field)."""
        values = [
            iso(getattr(record, name)) if name in _TIMES else getattr(record, name)
            for name in _COLUMNS
        ]
        marks = ", ".join("?" for _ in _COLUMNS)
        self.db.execute(
            f"INSERT OR REPLACE INTO subscriptions ({', '.join(_COLUMNS)}) VALUES ({marks})",
            values,
        )

    @guarded
    def drop_subscription(self, source: str) -> None:
        """Forget a source's record (the source left the settings)."""
        self.db.execute("DELETE FROM subscriptions WHERE source = ?", (source,))
