"""The store's record of the weekly digest: which issues were published, with which
items, and whether each was mailed. A mixin of :class:`pipeline.store.Store`.

An issue's members are fixed when it is published, so it keeps its content (and an item
stays in the one issue that showed it) until an editor re-publishes it on purpose.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tdlc_syndication.pipeline.storage import StoreBase, guarded
from tdlc_syndication.pipeline.timestamps import iso, parse_dt, parse_opt_dt


@dataclass(frozen=True, slots=True)
class IssueRecord:
    """One published digest issue."""

    week: str  # ISO week, 2026-W48
    published_at: datetime
    members: tuple[str, ...]  # item ids, in the order the issue shows them
    heading: str = ""
    body: str = ""  # the issue's HTML body as published
    sent_at: datetime | None = None
    send_error: str | None = None
    send_attempts: int = 0


class IssuesMixin(StoreBase):
    """Digest issues: published weeks, their members, their mailing."""

    @guarded
    def issues(self, *, bodies: bool = True) -> dict[str, IssueRecord]:
        """Every published issue, by week; with ``bodies`` False, their ``body`` left empty:
        what plans, lists and mailings need, without reading every issue's HTML (``issue``
        gives one whole)."""
        columns = "*" if bodies else f"{_HEAD_COLUMNS}, '' AS body"
        rows = self.db.execute(f"SELECT {columns} FROM digest_issues ORDER BY week")
        return {r["week"]: _issue(r) for r in rows}

    @guarded
    def unsent_issue(self) -> IssueRecord | None:
        """The newest issue, when mailing it was tried and failed (it is tried again)."""
        row = self.db.execute(
            f"SELECT {_HEAD_COLUMNS}, '' AS body FROM digest_issues ORDER BY week DESC LIMIT 1"
        ).fetchone()
        unsent = row is not None and row["sent_at"] is None and row["send_attempts"] > 0
        return _issue(row) if unsent else None

    @guarded
    def issue(self, week: str) -> IssueRecord | None:
        """The published issue of ``week``, if there is one."""
        row = self.db.execute("SELECT * FROM digest_issues WHERE week = ?", (week,)).fetchone()
        return _issue(row) if row else None

    @guarded
    def put_issue(self, record: IssueRecord) -> None:
        """Record a published (or re-published) issue; its mailing state is kept."""
        self.db.execute(
            """INSERT INTO digest_issues (week, published_at, members, heading, body)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (week) DO UPDATE SET
                 published_at = excluded.published_at, members = excluded.members,
                 heading = excluded.heading, body = excluded.body""",
            (
                record.week,
                iso(record.published_at),
                json.dumps(list(record.members)),
                record.heading,
                record.body,
            ),
        )

    @guarded
    def record_send(
        self, week: str, when: datetime, error: str | None, note: str | None = None
    ) -> None:
        """Remember a mailing attempt: sent (``error`` None; ``note`` kept with it, such as
        the recipients the server turned away) or failed (tried again later)."""
        if error is None:
            self.db.execute(
                "UPDATE digest_issues SET sent_at = ?, send_error = ?, "
                "send_attempts = send_attempts + 1 WHERE week = ?",
                (iso(when), note, week),
            )
        else:
            self.db.execute(
                "UPDATE digest_issues SET send_error = ?, send_attempts = send_attempts + 1 "
                "WHERE week = ?",
                (error, week),
            )


_HEAD_COLUMNS = "week, published_at, members, heading, sent_at, send_error, send_attempts"


def _issue(row: Any) -> IssueRecord:
    return IssueRecord(
        week=row["week"],
        published_at=parse_dt(row["published_at"]),
        members=tuple(json.loads(row["members"])),
        heading=row["heading"],
        body=row["body"],
        sent_at=parse_opt_dt(row["sent_at"]),
        send_error=row["send_error"],
        send_attempts=row["send_attempts"],
    )
