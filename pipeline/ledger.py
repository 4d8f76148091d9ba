"""What the store remembers of sources between runs, as plain values: the HTTP
validators of a URL, an origin's robots.txt, a source's state, and the report of one run.

Kept apart from the item model (``pipeline.model``) so that ``status`` and ``health``,
which read only these, start without the item code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from tdlc_syndication.pipeline.errors import printable

if TYPE_CHECKING:
    from tdlc_syndication.config.models import Settings
    from tdlc_syndication.config.sources import SourceConfig

ITEMS_VERSION = 7
"""What this program makes of a document. Raised by a release that changes what parsing,
normalising or classifying gives: every source is then read in full once, so that the
items of documents that did not change are made again too."""


def source_shape(settings: Settings, config: SourceConfig) -> str:
    """What a source's items are made with: this program's :data:`ITEMS_VERSION` and the
    settings that shape them (``Settings.item_shape``). A source whose shape is not the
    one its state recorded is read in full (``pipeline.run.starting_point``)."""
    return f"{ITEMS_VERSION}:{settings.item_shape(config)}"


FullRead = Literal["settings", "program"]
FULL_READ_WHY: dict[FullRead, str] = {
    "settings": "its settings changed",
    "program": "this version of the program makes items anew",
}
"""Why a source is read in full, in the words the logs and ``status`` use."""


def full_read_reason(state: SourceState | None, shape: str) -> FullRead | None:
    """Why a source that was read before is read in full at its next run (None when it
    is not): what shapes its items now (``shape``, :func:`source_shape`) is not what its
    last read recorded, because the settings changed (``settings``) or this program
    makes items differently (``program``: its :data:`ITEMS_VERSION`, or a store from
    before either was recorded). A source never read (no state, or only failed runs) owes
    none: its first read is a full one anyway."""
    if state is None or state.shape == shape:
        return None
    if state.shape is None and state.last_success is None:  # only failed runs
        return None
    version = shape.partition(":")[0]
    if state.shape is None or state.shape.partition(":")[0] != version:
        return "program"
    return "settings"


def owes_full_read(state: SourceState | None, shape: str) -> bool:
    """Whether a source that was read before is read in full at its next run
    (:func:`full_read_reason`)."""
    return full_read_reason(state, shape) is not None


def mended(state: SourceState, entry: str | None) -> bool:
    """Whether the source's own settings entry (``entry``: ``config.shapes.entry_shape``)
    changed since its last run failed: the operator's edit may have mended it (a new
    address, a header, ``allow_private``), so it runs at once, as after an edit of a feed
    in miniflux, not after its back-off, an origin's Retry-After or its retirement."""
    return entry is not None and state.failed_with is not None and state.failed_with != entry


SourceStatus = Literal["ok", "failing", "stale", "gone"]
"""A source's health: ``failing`` after a failed run, ``stale`` after ``stale_after`` failed
runs in a row, ``gone`` after HTTP 410 (retired until ``fetch --force``)."""
RunStatus = Literal["ok", "not_modified", "failed", "postponed", "retired", "disabled"]
"""How one run of one source ended; the last three mean it was not run at all."""


def dropped_reasons(notes: dict[str, int]) -> dict[str, int]:
    """The notes of a run that count items it dropped (``no-title``, ``no-link``: an item
    without them cannot be kept), by reason; the others repaired what they name."""
    return {reason: count for reason, count in sorted(notes.items()) if reason.startswith("no-")}


@dataclass(frozen=True, slots=True)
class Validators:
    """What we remember of a URL to ask "has it changed?" next time."""

    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None


def body_hash(body: bytes) -> str:
    """The hash used to notice a 200 answer whose bytes did not change."""
    import hashlib  # here: status and health read this module and never hash

    return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True, slots=True)
class Hub:
    """The WebSub hub a feed names ('' for none) and the feed's own address there (its
    ``rel="self"`` link, else the address it was read from): the topic to subscribe to."""

    hub: str
    topic: str


@dataclass(frozen=True, slots=True)
class RobotsCopy:
    """One origin's robots.txt as fetched: when, its HTTP status, its text."""

    fetched_at: datetime
    status: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceState:
    """What the store remembers of one source between runs.

    ``url`` is where a permanent redirect moved the source, valid while the configured
    URL is still ``moved_from`` (editing the config URL starts afresh). ``retry_after``
    is when the source may run again (back-off or the server's Retry-After); ``poll_after``
    the earliest next poll the origin asked for (RSS ttl, Cache-Control max-age);
    ``shape`` the fingerprint of the settings its items were last read with
    (:func:`source_shape`: a source whose settings changed is read in full);
    ``failed_with`` that of its own entry at its last run when that run failed (None after
    one that did not: ``config.shapes.entry_shape``): an edit of the entry since lets it
    run at once, not after its back-off (``pipeline.state.gate``).
    """

    source: str
    status: SourceStatus = "ok"
    url: str | None = None
    moved_from: str | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    retry_after: datetime | None = None
    cursor: str | None = None
    poll_after: datetime | None = None
    shape: str | None = None
    failed_with: str | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something a run meant to read and could not: a followed page that failed, a child
    sitemap that did not answer. Counted in the run report and shown by ``status``. Its
    URL comes from the origin (a link, a sitemap's ``loc``), so both fields are made
    :func:`~tdlc_syndication.pipeline.errors.printable`."""

    url: str
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", printable(self.url))
        object.__setattr__(self, "reason", printable(self.reason))


@dataclass(frozen=True, slots=True, kw_only=True)
class RunReport:
    """One run of one source: how it ended and what it did. The store keeps the runs
    that happened (``ok``, ``not_modified``, ``failed``) as the run history.

    ``notes`` counts what normalisation dropped or repaired, by reason; ``skipped`` lists
    what fetch could not read; ``moved_to`` is a permanent redirect seen in this run.
    """

    source: str
    status: RunStatus
    started: datetime
    finished: datetime
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    dropped: int = 0
    retracted: int = 0
    notes: dict[str, int] = field(default_factory=dict)
    skipped: tuple[Skipped, ...] = ()
    error: str | None = None
    moved_to: str | None = None

    @property
    def failed(self) -> bool:
        """True when the run failed."""
        return self.status == "failed"

    @property
    def ran(self) -> bool:
        """True when the source was read (or tried and failed); false when it was not
        (postponed, retired, disabled)."""
        return self.status in ("ok", "not_modified", "failed")

    def said(self) -> str:
        """The run in a few words: what it stored (``10 new, 0 changed, 0 unchanged``),
        or, for a source that did not run, why (its ``error`` holds the reason)."""
        if not self.ran and self.error:
            return self.error
        return f"{self.new} new, {self.changed} changed, {self.unchanged} unchanged"

    @property
    def asks_publish(self) -> bool:
        """True when the run changed what a publish would show (the service publishes
        after such a run): items new, changed, dropped or retracted."""
        return bool(self.new or self.changed or self.dropped or self.retracted)
