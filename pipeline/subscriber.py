"""WebSub subscriber: the hubs the feed sources name push their new entries to the service
(https://www.w3.org/TR/websub/#subscribing).

::

    the work thread                          the callback listener (pipeline.callback)
      plan     which sources to (re)subscribe  GET  <callback>/<token>?hub.mode=...
               or unsubscribe, from the store        the hub checks that we asked: the
      ask      POST hub.mode=subscribe to the        challenge is echoed, the lease noted
               hub (202: it will check with us)  POST <callback>/<token>
      apply    what the listener heard: a            new entries: signature checked
               confirmed lease, pushed entries       (X-Hub-Signature), queued
               (parsed, kept as a read of the
               source: one writer)

Each subscription has its own callback address (``[websub] callback`` + a random token)
and its own secret, with which the hub signs what it sends; a delivery with no valid
signature is acknowledged and dropped. The listener only reads the store; what it hears
is queued for the work thread, which holds the store. A subscription is renewed before
its lease ends, asked again an hour after a request the hub never confirmed and a day
after a refusal; a source that leaves the settings (or is skipped, or whose feed names no
hub any more) is unsubscribed.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from tdlc_syndication.config.models import Settings
from tdlc_syndication.config.sources import FeedSourceConfig, SourceConfig
from tdlc_syndication.pipeline.answers import charset_of, media_type_of
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.errors import FetchError, RefusedAddress
from tdlc_syndication.pipeline.http import Http
from tdlc_syndication.pipeline.ledger import RunReport, source_shape
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.pipeline.subscriptions import ASK_AGAIN, Subscription

log = logging.getLogger(__name__)

DENIED_AGAIN = timedelta(days=1)  # a refused subscription is asked for again then
LEAVE_WAIT = timedelta(hours=1)  # an unsubscription the hub did not confirm is let go then
RENEW_BEFORE = timedelta(days=1)  # a lease is renewed this long before it ends, at most
NO_ANSWER = "the hub did not answer"
SIGNATURES = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha384": hashlib.sha384,
              "sha512": hashlib.sha512}  # fmt: skip
Mode = Literal["subscribe", "unsubscribe"]


@dataclass(frozen=True, slots=True)
class Ask:
    """A request to send to a hub: the record as it stands once asked."""

    mode: Mode
    record: Subscription


Heard = Literal["confirmed", "ended", "denied", "delivery"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Hearing:
    """What the listener heard for the subscription of ``token``, for the work thread: the
    hub confirmed it (until ``lease_until``), confirmed its end, refused it (``reason``),
    or delivered new entries (``body``)."""

    token: str
    heard: Heard
    lease_until: datetime | None = None
    reason: str = ""
    body: bytes = b""
    media_type: str = ""
    charset: str | None = None


@dataclass(slots=True)
class Plan:
    """What the work thread does for the subscriptions now: requests to send, records to
    store as they are (a subscription given up without a request), sources to forget."""

    asks: list[Ask]
    settle: list[Subscription]
    forget: list[str]


def wanted(settings: Settings) -> dict[str, FeedSourceConfig]:
    """The feed sources the service subscribes to when their feeds name a hub."""
    if not settings.websub.enabled:
        return {}
    skip = set(settings.websub.skip)
    return {
        s.id: s
        for s in settings.sources
        if isinstance(s, FeedSourceConfig) and s.enabled and s.url and s.id not in skip
    }


def plan(settings: Settings, records: Mapping[str, Subscription], now: datetime) -> Plan:
    """What to do for each source's record now."""
    sources = wanted(settings)
    known = {s.id for s in settings.sources}
    out = Plan([], [], [])
    for source, record in records.items():
        if record.state == "leaving":
            if record.asked_at is None or now - record.asked_at >= LEAVE_WAIT:
                out.settle.append(_ended(record))  # the hub did not say: we stop listening
            continue
        held = record.state in ("asked", "active") and settings.websub.enabled
        if source not in sources or not record.hub:  # left the settings, skipped, no hub
            if held:
                out.asks.append(Ask("unsubscribe", replace(record, state="leaving", asked_at=now)))
            elif source not in known:
                out.forget.append(source)
            elif record.state != "none":
                out.settle.append(_ended(record))  # no callback now: nobody to confirm to
        elif _due(record, now):
            out.asks.append(Ask("subscribe", _asking(record, now)))
    return out


def _ended(record: Subscription) -> Subscription:
    """The record of a subscription that ended (the hub's address and topic stay)."""
    return replace(
        record, state="none", token="", secret="", asked_hub="", asked_topic="",
        asked_at=None, lease_until=None, error=None,
    )  # fmt: skip


def _due(record: Subscription, now: datetime) -> bool:
    """Whether a source whose feed names a hub is to be (re)subscribed now."""
    moved = (record.asked_hub, record.asked_topic) != (record.hub, record.topic)
    if record.state in ("none", "leaving") or record.asked_at is None:
        return True
    since = now - record.asked_at
    if record.state == "asked":
        return moved or since >= ASK_AGAIN
    if record.state == "denied":
        return moved or since >= DENIED_AGAIN
    if moved or record.lease_until is None:
        return True
    granted = record.lease_until - record.asked_at
    margin = max(min(RENEW_BEFORE, granted / 5), timedelta(minutes=5))
    # (a renewal asked for and not confirmed yet is asked again an hour later)
    return record.lease_until - now <= margin and since >= ASK_AGAIN


def _asking(record: Subscription, now: datetime) -> Subscription:
    """The record once a subscription is asked for: a new address and secret for a new
    hub or topic, the same ones to renew."""
    renewing = (record.asked_hub, record.asked_topic) == (record.hub, record.topic)
    keep = renewing and record.token != "" and record.state in ("asked", "active")
    return replace(
        record,
        state="active" if keep and record.state == "active" else "asked",
        token=record.token if keep else secrets.token_urlsafe(24),
        secret=record.secret if keep else secrets.token_hex(32),
        asked_hub=record.hub,
        asked_topic=record.topic,
        asked_at=now,
        error=None,
    )


def ask_hub(ask: Ask, settings: Settings, http: Http) -> str | None:
    """Send one request to its hub through the program's HTTP client; None when the hub
    took it (2xx: it will check with the callback), else why not. A hub on a loopback or
    private address is asked only for a source that sets ``allow_private`` (a feed could
    name any address as its hub): the address connected to is the one checked."""
    record = ask.record
    config = _configured(settings, record.source)
    data = {
        "hub.mode": ask.mode,
        "hub.topic": record.asked_topic,
        "hub.callback": f"{settings.websub.callback}{record.token}",
    }
    if ask.mode == "subscribe":
        data["hub.lease_seconds"] = str(settings.websub.lease_seconds)
        data["hub.secret"] = record.secret
    allow_private = bool(getattr(config, "allow_private", False))
    try:
        status, text = http.post_form(
            record.asked_hub, data, source_id=record.source, allow_private=allow_private
        )
    except RefusedAddress:
        return f"the hub {record.asked_hub} is on a private address (allow_private is off)"
    except FetchError as exc:
        return f"{NO_ANSWER}: {exc.message}"
    if 200 <= status < 300:
        return None
    said = text.decode("utf-8", "replace").strip().splitlines()
    return f"the hub answered HTTP {status}" + (f": {said[0][:200]}" if said else "")


def _configured(settings: Settings, source_id: str) -> SourceConfig | None:
    """The source's settings, or None when it left them (it is unsubscribed)."""
    try:
        return settings.source(source_id)
    except KeyError:
        return None


def signed(secret: str, header: str, body: bytes) -> bool:
    """Whether ``X-Hub-Signature`` (``sha256=<hex>``; sha1, sha384, sha512 too) is the
    HMAC of ``body`` under ``secret``."""
    method, _, given = header.strip().partition("=")
    digest = SIGNATURES.get(method.strip().lower())
    if digest is None or not secret or not given:
        return False
    expected = hmac.new(secret.encode("utf-8"), body, digest).hexdigest()
    return hmac.compare_digest(expected, given.strip().lower())


class Subscriber:
    """The service's subscriptions: the listener's answers (:meth:`verify`,
    :meth:`deliver`, from its threads) and the work thread's steps (:meth:`refresh`,
    :meth:`apply`).

    Args:
        ctx: the service's dependencies (its settings, its store, its clock).
        wake: called when the listener heard something for the work thread.
        poll: called with a source's id when it is to be read now, not from a delivery.
    """

    def __init__(
        self, ctx: Context, wake: Callable[[], None], poll: Callable[[str], None] | None = None
    ) -> None:
        self.ctx = ctx
        self.wake = wake
        self.poll = poll
        self._lock = threading.Lock()
        self._heard: list[Hearing] = []

    # -- the listener's side (reads the store, writes nothing) -----------------------------

    def _record(self, token: str) -> Subscription | None:
        with self.ctx.open_store() as store:
            return store.subscription_of(token)

    def _hear(self, hearing: Hearing) -> None:
        with self._lock:
            self._heard.append(hearing)
        self.wake()

    def verify(self, token: str, query: Mapping[str, str]) -> tuple[int, bytes]:
        """Answer a hub's check of intent (GET): the challenge when we asked for what it
        says (subscribe or unsubscribe, this topic, at this address), else 404."""
        record = self._record(token)
        mode, topic = query.get("hub.mode", ""), query.get("hub.topic", "")
        if record is None or topic != record.asked_topic:
            return 404, b"no such subscription\n"
        if mode == "denied":
            reason = query.get("hub.reason", "")[:200] or "no reason given"
            self._hear(Hearing(token=token, heard="denied", reason=reason))
            return 200, b""
        challenge = query.get("hub.challenge", "")
        if not challenge:
            return 400, b"hub.challenge is missing\n"
        if mode == "subscribe" and record.state in ("asked", "active"):
            lease = _seconds(query.get("hub.lease_seconds"), self.ctx.settings.websub.lease_seconds)
            until = self.ctx.clock() + timedelta(seconds=lease)
            self._hear(Hearing(token=token, heard="confirmed", lease_until=until))
            return 200, challenge.encode("utf-8")
        if mode == "unsubscribe" and record.state == "leaving":
            self._hear(Hearing(token=token, heard="ended"))
            return 200, challenge.encode("utf-8")
        return 404, b"not asked for\n"

    def deliver(self, token: str, headers: Mapping[str, str], body: bytes) -> int:
        """Take a hub's delivery (POST): 202 and queued when signed with the
        subscription's secret; 202 and dropped (logged) when not; 410 for an address that
        is no subscription (the hub then stops sending)."""
        record = self._record(token)
        if record is None or record.state not in ("asked", "active", "leaving"):
            return 410
        if not signed(record.secret, headers.get("x-hub-signature", ""), body):
            log.warning("%s: a delivery without a valid signature was dropped", record.source)
            return 202
        self._hear(
            Hearing(
                token=token,
                heard="delivery",
                body=body,
                media_type=media_type_of(headers),
                charset=charset_of(headers),
            )
        )
        return 202

    # -- the work thread's side ------------------------------------------------------------

    def refresh(self, store: Store, stop: threading.Event | None = None) -> None:
        """Send the requests due now and record them; let go of what ended. Once ``stop``
        is set no further request is sent."""
        now = self.ctx.clock()
        todo = plan(self.ctx.settings, store.subscriptions(), now)
        with store.transaction():
            for source in todo.forget:
                store.drop_subscription(source)
            for record in todo.settle:
                store.put_subscription(record)
            for ask in todo.asks:  # recorded first: the hub may check before it answers
                store.put_subscription(ask.record)
        silent: set[str] = set()  # hubs that did not answer: not asked again this time
        for ask in todo.asks:
            hub = ask.record.asked_hub
            if stop is not None and stop.is_set():
                break  # the rest stay asked for, and are asked again in an hour
            problem = (
                "not asked: the hub did not answer an earlier request of this round"
                if hub in silent
                else ask_hub(ask, self.ctx.settings, self.ctx.http)
            )
            if problem is not None and problem.startswith(NO_ANSWER):
                silent.add(hub)
            if problem is None:
                log.info("%s: asked %s to %s", ask.record.source, ask.record.asked_hub, ask.mode)
                continue
            log.warning("%s: %s %s: %s", ask.record.source, ask.mode, ask.record.asked_hub, problem)
            current = store.subscription_of(ask.record.token)
            if current is not None and current.state == ask.record.state:
                with store.transaction():
                    store.put_subscription(replace(current, error=problem))

    def doubt(self, store: Store, missed: Mapping[str, int]) -> None:
        """Ask again for the subscriptions of the sources whose poll found entries their
        hub did not push (``missed``: how many, by source): the hub may have lost the
        subscription, or no longer reach the callback. Until it confirms, the source is
        polled on its schedule."""
        now = self.ctx.clock()
        records = store.subscriptions()
        with store.transaction():
            for source, count in missed.items():
                record = records.get(source)
                if record is None or not record.pushes(now):
                    continue
                log.warning(
                    "%s: a poll found %d entries %s did not push: asked again, and polled on "
                    "its schedule until the hub confirms", source, count, record.asked_hub,
                )  # fmt: skip
                store.put_subscription(replace(record, state="asked", lease_until=None))

    def apply(self, store: Store) -> list[RunReport]:
        """Record what the listener heard; keep pushed entries as a read of their source.
        The reports of those reads, in the order they came."""
        with self._lock:
            heard, self._heard = self._heard, []
        reports = []
        for hearing in heard:
            record = store.subscription_of(hearing.token)
            if record is None:
                continue
            if hearing.heard == "delivery":
                report = self._receive(store, record, hearing)
                if report is not None:
                    reports.append(report)
                continue
            with store.transaction():
                store.put_subscription(_after(record, hearing))
            log.info("%s: the hub %s", record.source, _SAID[hearing.heard])
        return reports

    def _receive(self, store: Store, record: Subscription, hearing: Hearing) -> RunReport | None:
        """Keep a delivery's entries as a read of the source (what a poll of the feed would
        have given, for the entries it holds)."""
        from tdlc_syndication.pipeline.classify import Classifier
        from tdlc_syndication.pipeline.keep import keep
        from tdlc_syndication.pipeline.prepare import Collected, prepare
        from tdlc_syndication.sources.base import Fetched

        config = _configured(self.ctx.settings, record.source)
        if config is None:
            return None
        state = store.state(config.id)
        if state.shape != source_shape(self.ctx.settings, config):
            # Its settings (or this program) changed since its last read: the feed is read
            # in full first, so that every item is made anew (and the delivery's entries
            # with them); a delivery kept now would count as that read.
            log.info("%s: a delivery came before the read in full it owes: read now", config.id)
            if self.poll is not None:
                self.poll(config.id)
            return None
        now = self.ctx.clock()
        fetched = Fetched(
            location=record.asked_topic,
            body=hearing.body,
            media_type=hearing.media_type,
            charset=hearing.charset,
            base_url=record.asked_topic,
            fetched_at=now,
        )
        result = prepare(config, [fetched], self.ctx.rules(), Classifier.of(self.ctx), now)
        if not isinstance(result, Collected):  # the source's own reads are not to blame
            log.warning("%s: a delivery of %s could not be read: %s", record.source,
                        record.asked_hub, result.error)  # fmt: skip
            return None
        result.validators.clear()  # the polled feed's own validators stay
        result.hub = None  # noted by polls, from what the feed says at its own address
        # A hub's notice may be thin (YouTube's has no description): for an entry already
        # kept, its title, summary, image and date where the notice gives them, the rest
        # as read before, until the next poll reads the feed in full.
        result.unread.update(result.items)
        report = keep(self.ctx, config, store, state, result, now)
        with store.transaction():
            store.put_subscription(replace(record, pushed_at=now))
        return report


_SAID: dict[Heard, str] = {
    "confirmed": "confirmed the subscription",
    "ended": "confirmed the end of the subscription",
    "denied": "refused the subscription",
    "delivery": "delivered new entries",
}


def _after(record: Subscription, hearing: Hearing) -> Subscription:
    """A record once the hub said ``hearing``."""
    if hearing.heard == "confirmed":
        return replace(record, state="active", lease_until=hearing.lease_until, error=None)
    if hearing.heard == "denied":
        return replace(record, state="denied", lease_until=None, error=hearing.reason)
    return _ended(record)


def _seconds(given: str | None, default: int) -> int:
    """The lease a hub granted (``hub.lease_seconds``), else the one asked for."""
    try:
        value = int(given) if given else default
    except ValueError:
        value = default
    return max(60, min(value, 10 * 365 * 86_400))
