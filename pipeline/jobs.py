"""The service's timetable: the APScheduler jobs of ``syndicate run``.

A job only says that something is due: it calls ``due_sync`` with a source's id, or
``due`` with a task (``"publish"``, ``"digest"``), and the service's work thread does the
work. The jobs are:

* ``sync:<source>``: on the source's ``schedule`` (with ``[run] jitter``); the first run
  comes from the store (``pipeline.schedule.first_runs``).
* ``retry:<source>``: once, when a failed source's back-off ends before its next turn.
* ``publish``: ``publish_delay`` after the last change (debounced, up to
  ``PUBLISH_MAX_DEFER`` delays after the first change waiting).
* ``expiry``: just after a published file stops being true (an event in the upcoming
  events starts or ends).
* ``digest``: at ``[digest] publish_at`` in the site's zone.
* ``watch``: every ``WATCH_EVERY`` seconds (the files editors save).

Each job coalesces missed turns into one, has one instance at most and the misfire grace
time of ``[run] misfire_grace``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

from tdlc_syndication.config.digest import WEEKDAYS, parse_publish_at
from tdlc_syndication.config.models import Settings
from tdlc_syndication.config.shapes import entry_shape
from tdlc_syndication.pipeline.context import Clock
from tdlc_syndication.pipeline.ledger import (
    FULL_READ_WHY,
    SourceState,
    full_read_reason,
    mended,
    source_shape,
)
from tdlc_syndication.pipeline.schedule import first_runs, trigger_for

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)

Task = Literal["sync", "publish", "reload", "digest", "push"]
PUBLISH_MAX_DEFER = 10  # a publish is put off by later changes for this many delays at most
EXPIRY_MARGIN = timedelta(seconds=1)  # a publish at a file's expiry waits this long after it
WATCH_EVERY = 10  # seconds between two looks at the files editors save (overrides, intro)
MAIL_RETRY = timedelta(hours=1)  # a digest the mail server did not take is sent again then
PING_RETRY = timedelta(minutes=15)  # a publish whose WebSub pings failed pings again then


class Jobs:
    """The scheduler of one service and the jobs it holds.

    Args:
        settings: the settings the scheduler's zone and misfire grace come from.
        clock: the time.
        due: called with a task when its job fires.
        due_sync: called with a source's id when its turn (or retry) comes.
    """

    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        due: Callable[[Task], None],
        due_sync: Callable[[str], None],
    ) -> None:
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.background import BackgroundScheduler

        self.settings = settings
        self.clock = clock
        self._due = due
        self._due_sync = due_sync
        self._publish_first: datetime | None = None
        self.scheduler: BackgroundScheduler = BackgroundScheduler(
            timezone=ZoneInfo(settings.site.timezone),
            executors={"default": ThreadPoolExecutor(max_workers=2)},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": settings.run.misfire_grace,
            },
        )

    def plan(self, settings: Settings, states: Mapping[str, SourceState]) -> None:
        """The jobs of ``settings``: one sync job per enabled source, first due as the
        store's ``states`` say, and the digest's. Jobs of earlier settings (syncs,
        retries, the digest) are removed first."""
        self.settings = settings
        for job in self.scheduler.get_jobs():
            if job.id.startswith(("sync:", "retry:", "digest")):
                job.remove()
        self._plan_sources(states)
        self._plan_digest()

    def _plan_sources(self, states: Mapping[str, SourceState]) -> None:
        now = self.clock()
        zone = self.settings.site.timezone
        jitter = self.settings.run.jitter
        sources = {s.id: s for s in self.settings.sources}
        # A source whose settings changed (a reload, an edit while stopped) is read in full
        # now, not at its next turn: the change reaches its items at once. So is one whose
        # entry was edited since its last run failed: the edit may have mended it.
        reasons: dict[str, str] = {}
        for source in self.settings.sources:
            state = states.get(source.id)
            why = full_read_reason(state, source_shape(self.settings, source))
            if why is not None:
                reasons[source.id] = FULL_READ_WHY[why]
            elif state is not None and state.failed_with and mended(state, entry_shape(source)):
                reasons[source.id] = "its settings were edited since its last run failed"
        for first in first_runs(self.settings.sources, states, now, zone, reasons):
            schedule = sources[first.source].schedule
            # An interval is anchored at the first run; a cron line has its own times.
            start = first.at if schedule.startswith("every") else None
            trigger = trigger_for(schedule, zone, jitter, start=start)
            # Due now: said outright (APScheduler would move a past start to the next turn).
            extra: dict[str, Any] = {"next_run_time": first.at} if first.overdue else {}
            self.scheduler.add_job(
                self._due_sync,
                trigger,
                args=[first.source],
                id=f"sync:{first.source}",
                name=f"sync {first.source}",
                replace_existing=True,
                **extra,
            )
            if first.overdue:
                said = reasons.get(first.source, "catch-up or first run")
                log.info("%s is due now (%s)", first.source, said)

    def _plan_digest(self) -> None:
        if not self.settings.digest.enabled:
            return
        weekday, hour, minute = parse_publish_at(self.settings.digest.publish_at)
        # a cron line, turned as the sources' are (on the site's clock: pipeline.wallclock)
        line = f"{minute} {hour} * * {WEEKDAYS[weekday]}"
        trigger = trigger_for(line, self.settings.site.timezone, 0)
        self.scheduler.add_job(
            self._due, trigger, args=["digest"], id="digest", name="digest",
            replace_existing=True,
        )  # fmt: skip

    def watch(self, look: Callable[[], None]) -> None:
        """Call ``look`` every ``WATCH_EVERY`` seconds."""
        self.scheduler.add_job(look, "interval", seconds=WATCH_EVERY, id="watch", name="watch")

    def publish_soon(self) -> None:
        """Publish ``publish_delay`` seconds from now; a later change puts it off again, up
        to ``PUBLISH_MAX_DEFER`` delays after the first change waiting."""
        now = self.clock()
        delay = timedelta(seconds=self.settings.run.publish_delay)
        if self._publish_first is None:
            self._publish_first = now
        at = min(now + delay, self._publish_first + delay * PUBLISH_MAX_DEFER)
        self.scheduler.add_job(
            self._due, "date", run_date=at, args=["publish"], id="publish", name="publish",
            replace_existing=True,
        )  # fmt: skip

    def published(self) -> None:
        """A publish started: the next change waits a whole ``publish_delay`` again."""
        self._publish_first = None

    def publish_at_expiry(self, moment: datetime | None) -> None:
        """Publish just after ``moment``, when a published file stops being true (an
        event leaves the upcoming events), though no source brings anything new; None:
        no such moment (the job is removed)."""
        if moment is None:
            if self.scheduler.get_job("expiry") is not None:
                self.scheduler.remove_job("expiry")
            return
        self.scheduler.add_job(
            self._due,
            "date",
            run_date=max(moment, self.clock()) + EXPIRY_MARGIN,
            args=["publish"],
            id="expiry",
            name="publish at expiry",
            replace_existing=True,
        )

    def retry_at_back_off_end(
        self, failed: Iterable[str], states: Mapping[str, SourceState]
    ) -> None:
        """Each ``failed`` source whose back-off ends before its next turn is retried
        then."""
        for source in failed:
            state = states.get(source)
            job = self.scheduler.get_job(f"sync:{source}")
            retry = state.retry_after if state else None
            if retry is None or job is None or job.next_run_time is None:
                continue
            if retry < job.next_run_time:
                self.scheduler.add_job(
                    self._due_sync,
                    "date",
                    run_date=retry,
                    args=[source],
                    id=f"retry:{source}",
                    name=f"retry {source}",
                    replace_existing=True,
                )

    def retry_mail(self, owed: bool) -> None:
        """Run the digest job again in ``MAIL_RETRY`` while the newest issue is ``owed``
        to its readers (its mailing failed), rather than at next week's run; not owed:
        no such run."""
        self._again("mail-retry", "digest mailing retry", "digest", MAIL_RETRY, owed)

    def retry_pings(self, owed: bool) -> None:
        """Publish again in ``PING_RETRY`` while pings are ``owed`` to the WebSub hub (it
        was down or busy), rather than at the next change, days away for a quiet site;
        not owed: no such publish."""
        self._again("ping-retry", "WebSub ping retry", "publish", PING_RETRY, owed)

    def _again(self, job: str, name: str, task: Task, after: timedelta, wanted: bool) -> None:
        """Run ``task`` once, ``after`` from now, as the job ``job`` (replacing it), when
        ``wanted``; else remove that job."""
        if not wanted:
            if self.scheduler.get_job(job) is not None:
                self.scheduler.remove_job(job)
            return
        self.scheduler.add_job(
            self._due, "date", run_date=self.clock() + after, args=[task], id=job, name=name,
            replace_existing=True,
        )  # fmt: skip

    def next_syncs(self) -> dict[str, str]:
        """Each scheduled source's next run (ISO 8601), for ``status``."""
        return {
            job.id.partition(":")[2]: job.next_run_time.isoformat()
            for job in self.scheduler.get_jobs()
            if job.id.startswith("sync:") and job.next_run_time is not None
        }

    def count(self) -> int:
        """How many jobs are scheduled."""
        return len(self.scheduler.get_jobs())

    def start(self) -> None:
        """Start firing the jobs (in the scheduler's own threads)."""
        self.scheduler.start()

    def shutdown(self) -> None:
        """Fire nothing more; a job firing now is not waited for."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
