"""The source-state policy as a table: pure functions, no store, no server."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from tests_support import NOW

from tdlc_syndication.pipeline.ledger import SourceState
from tdlc_syndication.pipeline.state import Outcome, Policy, gate, moved_location, next_state

POLICY = Policy(backoff_base=300, backoff_max=3600, stale_after=3)
URL = "https://city.example.org/feed"


def _next(state: SourceState, outcome: Outcome, seed: int = 1) -> SourceState:
    return next_state(state, outcome, NOW, POLICY, random.Random(seed))


@pytest.mark.parametrize(
    ("failures", "low", "high"),
    [(0, 240, 360), (1, 480, 720), (2, 960, 1440), (5, 2880, 4320)],  # doubles, then capped
)
def test_back_off_doubles_with_jitter_up_to_the_cap(failures: int, low: int, high: int) -> None:
    state = SourceState(source="s", consecutive_failures=failures)
    following = _next(state, Outcome(status="failed", error="HTTP 500"))
    assert following.retry_after is not None
    wait = (following.retry_after - NOW).total_seconds()
    assert low <= wait <= high
    assert following.consecutive_failures == failures + 1
    assert following.last_error == "HTTP 500"


def test_stale_after_the_configured_failures_and_ok_resets() -> None:
    state = SourceState(source="s")
    statuses = []
    for _ in range(4):
        state = _next(state, Outcome(status="failed", error="boom"))
        statuses.append(state.status)
    assert statuses == ["failing", "failing", "stale", "stale"]
    state = _next(state, Outcome(status="ok", configured=URL))
    assert (state.status, state.consecutive_failures, state.retry_after) == ("ok", 0, None)
    assert state.last_success == NOW
    assert state.last_error is None


def test_retry_after_from_the_server_replaces_the_back_off() -> None:
    asked = NOW + timedelta(hours=2)
    state = _next(SourceState(source="s"), Outcome(status="failed", retry_after=asked))
    assert state.retry_after == asked


def test_gone_retires_without_a_retry_time_and_keeps_the_last_success() -> None:
    before = SourceState(source="s", last_success=NOW - timedelta(days=1), cursor="c")
    state = _next(before, Outcome(status="gone", error="410"))
    assert (state.status, state.retry_after, state.cursor) == ("gone", None, "c")
    assert state.last_success == NOW - timedelta(days=1)
    assert gate(state, enabled=True, now=NOW, force=False) == ("retired", "410")
    assert gate(state, enabled=True, now=NOW, force=True) is None


def test_gate() -> None:
    waiting = SourceState(source="s", retry_after=NOW + timedelta(minutes=5))
    assert gate(waiting, enabled=False, now=NOW, force=True) == ("disabled", None)
    status, detail = gate(waiting, enabled=True, now=NOW, force=False) or ("", "")
    assert status == "postponed"
    assert detail is not None
    until = (NOW + timedelta(minutes=5)).isoformat(timespec="seconds")
    assert detail == f"waiting until {until} (`fetch --force` runs it now)"
    assert gate(waiting, enabled=True, now=NOW + timedelta(minutes=6), force=False) is None


def test_a_permanent_move_is_kept_while_the_settings_name_the_moved_url() -> None:
    moved = _next(SourceState(source="s"), Outcome(status="ok", configured=URL, moved_to=URL + "2"))
    assert (moved.url, moved.moved_from) == (URL + "2", URL)
    assert moved_location(moved, URL) == URL + "2"
    again = _next(moved, Outcome(status="ok", configured=URL))
    assert again.url == URL + "2"
    # A new URL in the settings starts afresh.
    assert moved_location(moved, "https://new.example.org/feed") is None
    fresh = _next(moved, Outcome(status="ok", configured="https://new.example.org/feed"))
    assert (fresh.url, fresh.moved_from) == (None, None)


def test_cursor_advances_only_when_a_run_gives_one() -> None:
    state = SourceState(source="s", cursor="2026-01-01")
    assert _next(state, Outcome(status="ok", cursor="2026-11-26")).cursor == "2026-11-26"
    assert _next(state, Outcome(status="ok")).cursor == "2026-01-01"
    assert _next(state, Outcome(status="not_modified")).cursor == "2026-01-01"
    assert _next(state, Outcome(status="failed")).cursor == "2026-01-01"
