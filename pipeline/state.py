"""The policy of a source's state between runs, as pure functions.

``gate`` says whether a source runs now (it is not disabled, retired or waiting);
``outcome_of`` reads what a run found from the error it stopped on (not modified, failed,
gone; an unexpected error is logged); ``next_state`` computes the state a run leaves
behind: status, back-off, the moved URL, the cursor. None of them touches the store; it
only applies what they return.

Adaptive polling: a source that answers with a hint (RSS ``<ttl>``, ``sy:updatePeriod``,
Cache-Control ``max-age``, Expires) is not polled again before that time (capped at
``max_poll_delay``), whatever its schedule says; ``fetch --force`` ignores it.

Back-off: after a failure the source waits ``backoff_base`` seconds, doubling with each
further failure in a row up to ``backoff_max``, with ±20 % jitter so that sources that
failed together do not retry together. A server's Retry-After (429/503) replaces the
back-off. After ``stale_after`` failures in a row the source shows as ``stale``; HTTP 410
Gone retires it (``gone``) until ``fetch --force`` succeeds.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Literal

from tdlc_syndication.config.models import HttpConfig
from tdlc_syndication.pipeline.errors import FetchError, NotModified, SourceError, SourceGone
from tdlc_syndication.pipeline.ledger import RunStatus, SourceState, mended

if TYPE_CHECKING:
    from tdlc_syndication.config.sources import SourceConfig

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Policy:
    """The ``[http]`` settings that govern back-off and staleness."""

    backoff_base: float = 300.0
    backoff_max: float = 86400.0
    stale_after: int = 5
    max_poll_delay: float = 86400.0

    @classmethod
    def of(cls, config: HttpConfig) -> Policy:
        """The policy of an ``[http]`` section."""
        return cls(
            config.backoff_base, config.backoff_max, config.stale_after, config.max_poll_delay
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """What a run found, as far as the source's state is concerned.

    ``configured`` is the URL in the settings now; ``moved_to`` a permanent redirect seen
    in this run; ``cursor`` the source's new position (None keeps the old one).
    """

    status: Literal["ok", "not_modified", "failed", "gone"]
    configured: str | None = None
    moved_to: str | None = None
    cursor: str | None = None
    error: str | None = None
    retry_after: datetime | None = None
    refresh_after: float | None = None  # seconds the origin asks us not to poll again


def outcome_of(exc: Exception, config: SourceConfig) -> Outcome:
    """The outcome of a source that stopped on ``exc`` (not modified, failed, gone)."""
    configured = getattr(config, "url", None)
    if isinstance(exc, NotModified):
        log.debug("not modified")
        return Outcome(status="not_modified", refresh_after=exc.refresh_after)
    if isinstance(exc, SourceError):
        return _failure(exc, configured)
    # One source's bug must not stop the others.
    log.error("unexpected error", exc_info=exc)
    return Outcome(status="failed", error=f"unexpected error: {type(exc).__name__}: {exc}")


def _failure(exc: SourceError, configured: str | None) -> Outcome:
    if isinstance(exc, SourceGone):
        return Outcome(status="gone", configured=configured, error=exc.message)
    retry = exc.retry_after if isinstance(exc, FetchError) else None
    return Outcome(status="failed", configured=configured, error=exc.message, retry_after=retry)


def moved_location(state: SourceState, configured: str | None) -> str | None:
    """Where a permanent redirect moved the source, while the settings still name the URL
    that was moved (a new URL in the settings starts afresh)."""
    return state.url if state.url and state.moved_from == configured else None


def gate(
    state: SourceState,
    *,
    enabled: bool,
    now: datetime,
    force: bool,
    zone: tzinfo = UTC,
    entry: str | None = None,
) -> tuple[RunStatus, str | None] | None:
    """Why the source does not run now, as ``(status, detail)``; None when it runs.

    ``force`` runs a retired source or one that waits for its back-off or Retry-After, as
    does an edit of the source's entry since its last run failed (``ledger.mended``). Times
    in the detail are in ``zone`` (the site's, as ``status`` gives them).
    """
    if not enabled:
        return "disabled", None
    if force or mended(state, entry):
        return None
    if state.status == "gone":
        return "retired", state.last_error
    if state.retry_after and state.retry_after > now:
        when = state.retry_after.astimezone(zone).isoformat(timespec="seconds")
        return "postponed", f"waiting until {when} (`fetch --force` runs it now)"
    if state.poll_after and state.poll_after > now:
        when = state.poll_after.astimezone(zone).isoformat(timespec="seconds")
        return "postponed", f"the origin asks for no poll before {when} (`fetch --force` polls now)"
    return None


def _poll_after(refresh: float | None, now: datetime, policy: Policy) -> datetime | None:
    """The earliest next poll an origin's hint allows, capped at ``max_poll_delay``."""
    if not refresh or refresh <= 0 or policy.max_poll_delay <= 0:
        return None
    return now + timedelta(seconds=min(refresh, policy.max_poll_delay))


def next_state(
    state: SourceState, outcome: Outcome, now: datetime, policy: Policy, rng: random.Random
) -> SourceState:
    """The state a run leaves behind (pure: the random source gives the jitter)."""
    poll_after = _poll_after(outcome.refresh_after, now, policy)
    if outcome.status == "not_modified":
        return replace(
            state,
            status="ok",
            last_attempt=now,
            last_success=now,
            last_error=None,
            consecutive_failures=0,
            retry_after=None,
            poll_after=poll_after,
        )
    if outcome.status == "ok":
        url: str | None
        moved_from: str | None
        if outcome.moved_to:
            url, moved_from = outcome.moved_to, outcome.configured
        elif moved_location(state, outcome.configured):
            url, moved_from = state.url, outcome.configured
        else:
            url, moved_from = None, None
        return SourceState(
            source=state.source,
            status="ok",
            url=url,
            moved_from=moved_from,
            last_attempt=now,
            last_success=now,
            consecutive_failures=0,
            cursor=outcome.cursor if outcome.cursor is not None else state.cursor,
            poll_after=poll_after,
        )
    failures = state.consecutive_failures + 1
    if outcome.status == "gone":
        return replace(
            state,
            status="gone",
            last_attempt=now,
            last_error=outcome.error,
            consecutive_failures=failures,
            retry_after=None,
        )
    retry = outcome.retry_after
    if retry is None:
        delay = min(policy.backoff_base * 2 ** (failures - 1), policy.backoff_max)
        retry = now + timedelta(seconds=delay * rng.uniform(0.8, 1.2))
    return replace(
        state,
        status="stale" if failures >= policy.stale_after else "failing",
        last_attempt=now,
        last_error=outcome.error,
        consecutive_failures=failures,
        retry_after=retry,
    )
