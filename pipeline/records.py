"""The store's bookkeeping tables: HTTP validators, source state, run history, item
counts and the values kept between publishes. A mixin of :class:`pipeline.store.Store`,
and on its own the store as ``status`` and ``health`` read it: it opens without the
item code."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from tdlc_syndication.pipeline.ledger import (
    RobotsCopy,
    RunReport,
    Skipped,
    SourceState,
    Validators,
    dropped_reasons,
)
from tdlc_syndication.pipeline.storage import StoreBase, guarded
from tdlc_syndication.pipeline.timestamps import iso, parse_dt, parse_opt_dt

# The latest run ``r`` of each source with a state row: one index seek a source, so the
# time does not grow with the run history (a forgotten source, without state, has none).
_LATEST_RUNS = """source_state s
    JOIN runs r ON r.id = (SELECT MAX(id) FROM runs WHERE source = s.source)"""


class RecordsMixin(StoreBase):
    """Validators, source state, runs, item counts and publish values."""

    # -- HTTP validators -----------------------------------------------------------

    @guarded
    def all_validators(self) -> dict[str, dict[str, Validators]]:
        """The validators of every source, by source and location."""
        found: dict[str, dict[str, Validators]] = {}
        for r in self.db.execute("SELECT * FROM http_cache"):
            found.setdefault(r["source"], {})[r["location"]] = Validators(
                r["etag"], r["last_modified"], r["body_hash"]
            )
        return found

    @guarded
    def validators(self, source: str) -> dict[str, Validators]:
        """What identifies the last fetched version of each location of ``source``."""
        rows = self.db.execute("SELECT * FROM http_cache WHERE source = ?", (source,))
        return {
            r["location"]: Validators(r["etag"], r["last_modified"], r["body_hash"]) for r in rows
        }

    @guarded
    def forget_validators(self, source: str) -> None:
        """Forget the validators of every location of ``source`` (what a read in full did
        not read is then read first, and in full, by the next runs)."""
        self.db.execute("DELETE FROM http_cache WHERE source = ?", (source,))

    @guarded
    def put_validators(self, source: str, location: str, validators: Validators) -> None:
        """Remember the validators of one fetched location."""
        self.db.execute(
            """INSERT INTO http_cache (source, location, etag, last_modified, body_hash)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (source, location) DO UPDATE SET etag = excluded.etag,
                 last_modified = excluded.last_modified, body_hash = excluded.body_hash""",
            (source, location, validators.etag, validators.last_modified, validators.body_hash),
        )

    # -- robots.txt ----------------------------------------------------------------

    @guarded
    def robots_copies(self) -> dict[str, RobotsCopy]:
        """The robots.txt copies kept, by origin."""
        rows = self.db.execute("SELECT * FROM robots")
        return {
            r["origin"]: RobotsCopy(parse_dt(r["fetched_at"]), r["status"], r["body"]) for r in rows
        }

    @guarded
    def put_robots(self, copies: Mapping[str, RobotsCopy]) -> None:
        """Keep robots.txt copies for the next runs."""
        self.db.executemany(
            "INSERT OR REPLACE INTO robots (origin, fetched_at, status, body) VALUES (?, ?, ?, ?)",
            [(o, iso(c.fetched_at), c.status, c.text) for o, c in copies.items()],
        )

    # -- source state --------------------------------------------------------------

    @guarded
    def state(self, source: str) -> SourceState:
        """The state row of ``source`` (defaults if it never ran)."""
        row = self.db.execute("SELECT * FROM source_state WHERE source = ?", (source,)).fetchone()
        return SourceState(source=source) if row is None else _state(row)

    @guarded
    def states(self) -> dict[str, SourceState]:
        """Every state row, by source."""
        return {r["source"]: _state(r) for r in self.db.execute("SELECT * FROM source_state")}

    @guarded
    def put_states(self, states: Sequence[SourceState]) -> None:
        """Insert or replace the state rows of some sources."""
        self.insert_rows(
            """INSERT OR REPLACE INTO source_state (source, status, url, moved_from,
                 last_attempt, last_success, last_error, consecutive_failures, retry_after,
                 cursor, poll_after, shape, failed_with)
               VALUES {rows}""",
            [
                (
                    state.source,
                    state.status,
                    state.url,
                    state.moved_from,
                    iso(state.last_attempt),
                    iso(state.last_success),
                    state.last_error,
                    state.consecutive_failures,
                    iso(state.retry_after),
                    state.cursor,
                    iso(state.poll_after),
                    state.shape,
                    state.failed_with,
                )
                for state in states
            ],
        )

    # -- runs ----------------------------------------------------------------------

    @guarded
    def add_runs(self, runs: Sequence[RunReport]) -> None:
        """Append runs to the history, in order."""
        self.insert_rows(
            """INSERT INTO runs (source, started, finished, status, new, changed, unchanged,
                 dropped, retracted, notes, skipped, error, moved_to)
               VALUES {rows}""",
            [
                (
                    run.source,
                    iso(run.started),
                    iso(run.finished),
                    run.status,
                    run.new,
                    run.changed,
                    run.unchanged,
                    run.dropped,
                    run.retracted,
                    json.dumps(run.notes, sort_keys=True) if run.notes else None,
                    json.dumps([[s.url, s.reason] for s in run.skipped]) if run.skipped else None,
                    run.error,
                    run.moved_to,
                )
                for run in runs
            ],
        )

    @guarded
    def runs(self, source: str | None = None, limit: int = 20) -> list[RunReport]:
        """The most recent runs, newest first."""
        sql = "SELECT * FROM runs"
        params: list[Any] = []
        if source:
            sql += " WHERE source = ?"
            params.append(source)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(limit)
        return [_run(r) for r in self.db.execute(sql, params)]

    @guarded
    def run_totals(self) -> tuple[dict[tuple[str, str], int], dict[str, float]]:
        """Runs counted by (source, status) since the store began (pruning the history
        keeps them), and each source's latest run duration."""
        totals = {
            (r["source"], r["status"]): r["runs"]
            for r in self.db.execute("SELECT source, status, runs FROM run_counts")
        }
        durations = {
            r["source"]: max(
                0.0, (parse_dt(r["finished"]) - parse_dt(r["started"])).total_seconds()
            )
            for r in self.db.execute(f"SELECT r.source, r.started, r.finished FROM {_LATEST_RUNS}")
        }
        return totals, durations

    @guarded
    def prune_runs(self, before: datetime) -> int:
        """Delete runs that started before ``before``, except each source's latest one;
        the number deleted."""
        cursor = self.db.execute(
            "DELETE FROM runs WHERE started < ? "
            "AND id NOT IN (SELECT MAX(id) FROM runs GROUP BY source)",
            (iso(before),),
        )
        return cursor.rowcount

    @guarded
    def last_skipped(self) -> dict[str, tuple[Skipped, ...]]:
        """What the latest run of each source could not read, for the sources whose
        latest run skipped something."""
        rows = self.db.execute(
            f"SELECT r.source, r.skipped FROM {_LATEST_RUNS} WHERE r.skipped IS NOT NULL"
        )
        return {r["source"]: _skipped(r["skipped"]) for r in rows}

    @guarded
    def last_dropped(self) -> dict[str, dict[str, int]]:
        """Why the latest run of each source that read it (``ok``) dropped items, by
        reason (``no-link``: 2), for the sources whose run dropped some: the runs since
        (answers 304) read nothing, so they say nothing of it."""
        rows = self.db.execute(
            """SELECT r.source, r.notes FROM source_state s JOIN runs r ON r.id = (
                   SELECT MAX(id) FROM runs WHERE source = s.source AND status = 'ok')
               WHERE r.dropped > 0 AND r.notes IS NOT NULL"""
        )
        found = {row["source"]: dropped_reasons(json.loads(row["notes"])) for row in rows}
        return {source: reasons for source, reasons in found.items() if reasons}

    # -- per source counts -----------------------------------------------------------

    @guarded
    def count_items(self) -> dict[str, int]:
        """Number of stored items per source (kept by triggers: no item is counted)."""
        rows = self.db.execute("SELECT source, items FROM source_counts WHERE items > 0")
        return {r["source"]: r["items"] for r in rows}

    # -- small values --------------------------------------------------------------

    @guarded
    def publish_value(self, key: str) -> str | None:
        """A value kept between publishes."""
        row = self.db.execute("SELECT value FROM publish_state WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    @guarded
    def set_publish_value(self, key: str, value: str) -> None:
        """Keep a value for the next publish."""
        self.db.execute(
            "INSERT OR REPLACE INTO publish_state (key, value) VALUES (?, ?)", (key, value)
        )


def _state(row: Any) -> SourceState:
    return SourceState(
        source=row["source"],
        status=row["status"],
        url=row["url"],
        moved_from=row["moved_from"],
        last_attempt=parse_opt_dt(row["last_attempt"]),
        last_success=parse_opt_dt(row["last_success"]),
        last_error=row["last_error"],
        consecutive_failures=row["consecutive_failures"],
        retry_after=parse_opt_dt(row["retry_after"]),
        poll_after=parse_opt_dt(row["poll_after"]),
        cursor=row["cursor"],
        shape=row["shape"],
        failed_with=row["failed_with"],
    )


def _run(row: Any) -> RunReport:
    return RunReport(
        source=row["source"],
        status=row["status"],
        started=parse_dt(row["started"]),
        finished=parse_dt(row["finished"]),
        new=row["new"],
        changed=row["changed"],
        unchanged=row["unchanged"],
        dropped=row["dropped"],
        retracted=row["retracted"],
        notes=json.loads(row["notes"]) if row["notes"] else {},
        skipped=_skipped(row["skipped"]),
        error=row["error"],
        moved_to=row["moved_to"],
    )


def _skipped(text: str | None) -> tuple[Skipped, ...]:
    return tuple(Skipped(url, reason) for url, reason in json.loads(text or "[]"))
