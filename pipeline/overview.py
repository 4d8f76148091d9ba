"""The operator's view of a store: every source's schedule, next run and state, the last
publish, and whether all is well. ``status``, ``health``, ``serve``'s ``/metrics`` and
``/healthz`` and the daemon's metrics file (``pipeline.metrics``) show it.

It needs only the store and a *snapshot* of the settings (sources, schedules, the site's
zone, the store's place): ``status`` and ``health`` read the snapshot that the last full
load of the same settings file left in the cache folder, so they start without loading
the settings models (a changed file is loaded in full, and the snapshot renewed).
"""

from __future__ import annotations

import contextlib
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tdlc_syndication.config.files import read_file
from tdlc_syndication.config.paths import cache_folder, cache_home, settings_code
from tdlc_syndication.config.schedules import interval_of
from tdlc_syndication.pipeline.issues import IssuesMixin
from tdlc_syndication.pipeline.ledger import (
    ITEMS_VERSION,
    FullRead,
    full_read_reason,
    mended,
    source_shape,
)
from tdlc_syndication.pipeline.records import RecordsMixin
from tdlc_syndication.pipeline.subscriptions import ASK_AGAIN, Subscription, SubscriptionsMixin
from tdlc_syndication.pipeline.timestamps import parse_opt_dt

if TYPE_CHECKING:
    from tdlc_syndication.config.models import Settings
    from tdlc_syndication.pipeline.ledger import SourceState
    from tdlc_syndication.pipeline.store import Store


class Bookkeeping(RecordsMixin, IssuesMixin, SubscriptionsMixin):
    """The store's bookkeeping tables without its items (runs, states, publish values,
    digest issues, WebSub subscriptions): what ``status`` and ``health`` read, at once."""


SNAPSHOT_VERSION = 5
PLAN_KEY = "daemon_next_runs"  # the service's next run of each source, recorded each cycle
OVERDUE = timedelta(hours=1)  # how late the service's plan may fall before health says so
#: The settings the running service loaded: their version (``settings_version``), and when.
SERVICE_SETTINGS_KEY = "daemon_settings"
#: Feed URLs the WebSub hub did not hear of (a JSON list), asked again at the next publish.
PINGS_KEY = "websub_owed"
#: What kept the running service from listening for WebSub hubs (``{"problem": ...}``).
LISTENER_KEY = "websub_listener"
#: The week whose issue the digest could not publish, and why (the intro's mistake).
DIGEST_FAILED_KEY = "digest_failed"


# -- the settings snapshot --------------------------------------------------------------


def snapshot_of(settings: Settings) -> dict[str, Any]:
    """What the overview needs of the settings, JSON-ready."""
    from tdlc_syndication.config.shapes import entry_shape  # the settings are loaded

    return {
        "version": SNAPSHOT_VERSION,
        "database": str(settings.site.database),
        "output_dir": str(settings.site.output_dir),
        "overrides": str(settings.editorial.overrides) if settings.editorial.overrides else None,
        "timezone": settings.site.timezone,
        "stale_after": settings.http.stale_after,
        "digest_mailed": settings.digest.enabled and settings.digest.send,
        "sources": [
            {
                "id": s.id,
                "kind": s.kind,
                "location": str(getattr(s, "url", None) or getattr(s, "path", "")),
                "schedule": s.schedule,
                "enabled": s.enabled,
                "shape": source_shape(settings, s),
                "entry": entry_shape(s),
            }
            for s in settings.sources
        ],
    }


def cache_name(place: str, suffix: str = ".json") -> str:
    """The name in the cache folder of what is kept of the settings file at ``place`` (its
    resolved path): the snapshot (``.json``) or the validated settings (``.pickle``)."""
    # A short name for the place; the cache records the place itself, so two places that
    # share a name only miss each other's snapshot.
    return f"settings-{zlib.crc32(place.encode('utf-8', 'surrogateescape')):08x}{suffix}"


def _contents(config: Path, data: bytes | None = None) -> str | None:
    """The file's bytes (``data`` when the caller read them) as a JSON-ready string (one
    character a byte), compared whole: no hash to load at start."""
    try:
        return (read_file(config) if data is None else data).decode("latin-1")
    except OSError:
        return None


def cached_snapshot(config: Path) -> dict[str, Any] | None:
    """The snapshot of ``config`` if the cache holds one of its current bytes, taken under
    these settings models and this program's ``ITEMS_VERSION`` (its sources' shapes)."""
    place = str(config.resolve())
    try:
        data = json.loads((cache_home() / cache_name(place)).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    snapshot = data.get("snapshot") if isinstance(data, dict) else None
    if not isinstance(snapshot, dict) or snapshot.get("version") != SNAPSHOT_VERSION:
        return None  # left by another version of this program
    if data.get("config") != place:
        return None  # another settings file whose place has the same short name
    if data.get("code") != [list(stamp) for stamp in settings_code()]:
        return None  # taken by other settings models: the file may not pass these
    if data.get("items_version") != ITEMS_VERSION:
        return None  # its sources' shapes are another version's: read_in_full would lie
    return snapshot if data.get("contents") == _contents(config) else None


def save_snapshot(config: Path, snapshot: dict[str, Any], data: bytes | None = None) -> None:
    """Keep the snapshot of ``config`` for the next quick start (best effort), for the
    file's bytes ``data`` (the settings were read from) or, by default, its current ones."""
    contents = _contents(config, data)
    if contents is None:
        return
    place = str(config.resolve())
    code = settings_code()
    cached = {
        "config": place,
        "contents": contents,
        "snapshot": snapshot,
        "code": code,
        "items_version": ITEMS_VERSION,
    }
    keep_in_cache(cache_name(place), json.dumps(cached).encode("utf-8"))


def keep_in_cache(name: str, data: bytes) -> None:
    """Write the file ``name`` of the cache folder whole, readable by its owner only (the
    settings may hold URLs with keys in them). Best effort: without it the next command
    loads the settings in full."""
    from tdlc_syndication.outputs.write import atomic_write  # status and health never write

    with contextlib.suppress(OSError):
        atomic_write(cache_folder() / name, data, mode=0o600)


# -- the view -----------------------------------------------------------------------------


@dataclass(slots=True)
class SourceView:
    """One source as the operator sees it."""

    id: str
    kind: str
    location: str
    schedule: str
    enabled: bool
    status: str
    next_run: str | None = None
    waiting_until: str | None = None
    last_success: str | None = None
    last_attempt: str | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    stale: bool = False
    items: int = 0
    moved_to: str | None = None
    retry_after: str | None = None
    skipped: list[dict[str, str]] = field(default_factory=list)
    #: Items the last run that read the source dropped, by reason (``no-link``: 2).
    dropped: dict[str, int] = field(default_factory=dict)
    #: Its next run reads it in full: the settings that shape its items changed since
    #: its last read, or this program makes items anew (``pipeline.run.starting_point``).
    read_in_full: bool = False
    #: Why: ``settings`` or ``program`` (``ledger.full_read_reason``); None when not.
    read_in_full_why: FullRead | None = None
    #: Its WebSub subscription in words (a hub pushes to it until when, or the hub has
    #: not confirmed, or refused); None when its feed names no hub or none is asked.
    push: str | None = None
    #: Until when a WebSub hub pushes to it (None: no hub does), and when it last did.
    pushed_until: str | None = None
    last_push: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The row as ``status --json`` prints it (``url`` is the location's old name)."""
        row = {name: getattr(self, name) for name in self.__slots__}
        row["skipped"] = [dict(entry) for entry in self.skipped]
        row["dropped"] = dict(self.dropped)
        row["url"] = self.location
        return row


@dataclass(slots=True)
class Overview:
    """Every source, the last publish, and the verdict."""

    sources: list[SourceView]
    last_publish: dict[str, Any] | None
    problems: list[str]
    #: Items stored for sources the settings no longer name, by source: still published.
    unconfigured: dict[str, int] = field(default_factory=dict)
    #: When the running service loaded its settings, if the file changed since (not a
    #: problem: the edit may not be finished; a reload loads it).
    settings_changed_since: str | None = None
    #: Feeds whose change the WebSub hub has not heard of yet (it was down or busy).
    websub_owed: int = 0
    #: Why the running service does not listen for the hubs its feeds name (every source
    #: is polled then); None when it listens, or when no callback is set.
    listener_problem: str | None = None

    @property
    def healthy(self) -> bool:
        """False when a source is stale or the last publish failed."""
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        """The overview as JSON-ready data."""
        return {
            "healthy": self.healthy,
            "problems": self.problems,
            "last_publish": self.last_publish,
            "sources": [s.to_json() for s in self.sources],
            "unconfigured": self.unconfigured,
            "settings_changed_since": self.settings_changed_since,
            "websub_owed": self.websub_owed,
            "listener_problem": self.listener_problem,
        }


def settings_version(data: bytes) -> str:
    """What tells versions of the settings file apart: its size and the CRC-32 of its
    bytes (``status`` starts without hashlib)."""
    return f"{len(data)}:{zlib.crc32(data):08x}"


def overview(
    snapshot: dict[str, Any], store: Bookkeeping | Store, now: datetime, settings: str | None = None
) -> Overview:
    """The operator's view of the store (its bookkeeping tables: a ``Store`` or just its
    ``Bookkeeping``) under the snapshot's settings; ``settings``, the version of the
    settings file's current bytes, tells whether the running service loaded another."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(snapshot["timezone"])
    states = store.states()
    counts = store.count_items()
    skipped = store.last_skipped()
    dropped = store.last_dropped()
    planned = json.loads(store.publish_value(PLAN_KEY) or "{}")
    subscriptions = store.subscriptions()

    def local(when: datetime | None) -> str | None:
        return when.astimezone(zone).isoformat(timespec="seconds") if when else None

    views = []
    problems = []
    for entry in snapshot["sources"]:
        state = states.get(entry["id"])
        status: str = "never run" if state is None else state.status
        if not entry["enabled"]:
            status = "disabled"
        waiting = None
        if state is not None and not mended(state, entry["entry"]):
            waits = [t for t in (state.retry_after, state.poll_after) if t and t > now]
            waiting = max(waits) if waits else None
        next_run = parse_opt_dt(planned.get(entry["id"]))
        if next_run is None and entry["enabled"]:
            period = interval_of(entry["schedule"])
            last_attempt = state.last_attempt if state else None
            if period is not None:
                next_run = max(now, last_attempt + period) if last_attempt else now
        if waiting is not None and next_run is not None:
            next_run = max(next_run, waiting)
        due = parse_opt_dt(planned.get(entry["id"]))
        if entry["enabled"] and _overdue(due, state, now):
            problems.append(
                f"source {entry['id']} was due at {local(due)} and the service has not run "
                "it since: is `syndicate run` still running? (a service stopped on purpose "
                "clears its plan)"
            )
        stale = bool(state and entry["enabled"] and state.status == "stale")
        if stale and state is not None:
            problems.append(
                f"source {entry['id']} is stale: {state.consecutive_failures} failed runs in a "
                f"row, last error: {state.last_error}"
            )
        why = full_read_reason(state, entry["shape"]) if entry["enabled"] else None
        record = subscriptions.get(entry["id"])
        views.append(
            SourceView(
                id=entry["id"],
                kind=entry["kind"],
                location=entry["location"],
                schedule=entry["schedule"],
                enabled=entry["enabled"],
                status=status,
                next_run=local(next_run) if entry["enabled"] else None,
                waiting_until=local(waiting),
                last_success=local(state.last_success if state else None),
                last_attempt=local(state.last_attempt if state else None),
                last_error=state.last_error if state else None,
                consecutive_failures=state.consecutive_failures if state else 0,
                stale=stale,
                items=counts.get(entry["id"], 0),
                moved_to=state.url if state and state.url else None,
                retry_after=local(state.retry_after if state else None),
                skipped=[{"url": s.url, "reason": s.reason} for s in skipped.get(entry["id"], ())],
                dropped=dropped.get(entry["id"], {}),
                read_in_full=why is not None,
                read_in_full_why=why,
                push=_push(record, now, local),
                pushed_until=local(record.lease_until) if record and record.pushes(now) else None,
                last_push=local(record.pushed_at) if record else None,
            )
        )
    last_publish = json.loads(store.publish_value("last_publish") or "null")
    if last_publish and last_publish.get("at"):
        last_publish["at"] = local(parse_opt_dt(last_publish["at"]))
    if last_publish and not last_publish.get("ok"):
        problems.append(f"the last publish failed: {last_publish.get('error')}")
    failed = json.loads(store.publish_value(DIGEST_FAILED_KEY) or "null")
    if failed and store.issue(failed["week"]) is None:
        problems.append(
            f"the digest of {failed['week']} was not published: {failed['error']}; the "
            "service tries again when its intro is saved, or run `digest --week "
            f"{failed['week']}`"
        )
    unsent = store.unsent_issue() if snapshot.get("digest_mailed") else None
    if unsent is not None:
        problems.append(
            f"the digest of {unsent.week} was not mailed ({unsent.send_attempts} attempts): "
            f"{unsent.send_error}; the service tries again hourly, `digest` at its next run"
        )
    named = {entry["id"] for entry in snapshot["sources"]}
    unconfigured = {source: n for source, n in sorted(counts.items()) if n and source not in named}
    loaded = json.loads(store.publish_value(SERVICE_SETTINGS_KEY) or "{}")
    changed = (
        local(parse_opt_dt(loaded.get("at")))
        if settings and loaded.get("version") not in (None, settings)
        else None
    )
    owed = len(json.loads(store.publish_value(PINGS_KEY) or "[]"))
    listener = json.loads(store.publish_value(LISTENER_KEY) or "{}").get("problem")
    return Overview(views, last_publish, problems, unconfigured, changed, owed, listener)


def _push(
    record: Subscription | None, now: datetime, local: Callable[[datetime | None], str | None]
) -> str | None:
    """A source's WebSub subscription as ``status`` says it."""
    if record is None or record.state == "none":
        return None
    hub = record.asked_hub
    if record.pushes(now):
        pushed = f", last push {local(record.pushed_at)}" if record.pushed_at else ""
        return f"pushed by {hub} until {local(record.lease_until)}{pushed}"
    if record.state == "denied":
        return f"{hub} refused the subscription: {record.error}"
    if record.state == "leaving":
        return f"{hub} was asked to end the subscription"
    if record.state == "active":  # its lease ended, and no renewal was confirmed
        return f"the subscription at {hub} ended at {local(record.lease_until)}: asked again"
    if record.error:  # the request itself failed: the hub's answer, or none
        return f"{hub} was asked to push at {local(record.asked_at)}: {record.error}"
    late = record.asked_at is not None and now - record.asked_at >= ASK_AGAIN
    reach = " (can the hub reach [websub] callback?)" if late else ""
    return f"{hub} has not confirmed the subscription asked for at {local(record.asked_at)}{reach}"


def _overdue(due: datetime | None, state: SourceState | None, now: datetime) -> bool:
    """Whether the service's planned run ``due`` is more than ``OVERDUE`` past and the
    source was not tried since: the service died, or hangs. (A live service records a new
    plan after each task, a source it holds back for a back-off included, so its plan is
    never that old; a source tried since, by `run --once` say, is not late.)"""
    if due is None or due >= now - OVERDUE:
        return False
    return state is None or state.last_attempt is None or state.last_attempt < due


def record_publish(
    store: Store,
    when: datetime,
    ok: bool,
    error: str | None = None,
    *,
    seconds: float | None = None,
    written: int | None = None,
) -> None:
    """Remember how the latest publish ended (``health`` reports a failed one), how long it
    took and how many files it wrote (the metrics show both)."""
    value: dict[str, Any] = {
        "at": when.astimezone(UTC).isoformat(timespec="seconds"),
        "ok": ok,
        "error": error,
    }
    if seconds is not None:
        value["seconds"] = round(seconds, 3)
    if written is not None:
        value["written"] = written
    with store.transaction():
        store.set_publish_value("last_publish", json.dumps(value))


def record_digest(store: Store, week: str, error: str | None) -> None:
    """Remember that ``week``'s issue could not be published (``health`` reports it until
    it is), or, with no ``error``, that its publish went through (or was held)."""
    failed = json.loads(store.publish_value(DIGEST_FAILED_KEY) or "null")
    if error is None and (failed is None or failed.get("week") != week):
        return
    value = None if error is None else {"week": week, "error": error.splitlines()[0]}
    with store.transaction():
        store.set_publish_value(DIGEST_FAILED_KEY, json.dumps(value))
