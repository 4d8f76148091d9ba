"""``syndicate run``: the pipeline as a long-lived service.

::

    APScheduler (its own threads)          the work thread (one)
      sync:<source>  on the source's  ──►   sync     the sources due, together
                     schedule               publish  debounced after syncs that changed
      retry:<source> at a back-off's end    reload   the settings, on SIGHUP
      publish        publish_delay after    digest   the finished week's issue
                     the last change, or
                     when a published file
                     expires (an event in
                     the upcoming events
                     starts or ends)
      digest         [digest] publish_at
      watch          every WATCH_EVERY s: the
                     overrides file saved?
                     publish; the finished
                     week's intro saved (a
                     hold released)? digest
                                            push     what the hubs said and sent;
    the WebSub callback (its own threads)            the subscriptions due
      a hub checks a request, or delivers  ──►
      new entries; every SUBSCRIPTIONS_EVERY
      s, and after each sync, the plan

The scheduler's jobs (``pipeline.jobs``) only say what is due; one thread does the work,
so syncs and publishes never overlap and the store has one writer. On start, the first
run of every source comes from the store: overdue sources (and those whose settings
changed since their last read) catch up once, the others keep their rhythm. The gate of
``pipeline.run`` still decides whether a due source is fetched (back-off, Retry-After,
the origin's polling hint).

The process holds the store's lock for its lifetime. SIGTERM and SIGINT stop it: no new
source starts, the work in hand finishes within ``[run] stop_timeout``, exit 0. SIGHUP
reloads the settings and publishes what they change; a broken file is refused, logged,
and the old settings kept. An editor who saves the overrides file has it published
within ``WATCH_EVERY`` seconds and ``publish_delay``; one who releases the finished
week's hold (saves its intro) has the issue published within ``WATCH_EVERY`` seconds.

With ``[websub] callback`` set, the service subscribes to the hubs its feeds name
(``pipeline.subscriber``) and listens for them on ``[websub] listen``
(``pipeline.callback``): pushed entries are kept as a read of their source, and a source
whose hub pushes is polled every ``[websub] poll_every`` at most.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import signal
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tdlc_syndication.config.errors import ConfigError
from tdlc_syndication.config.files import read_file
from tdlc_syndication.config.loader import load_settings
from tdlc_syndication.config.models import Settings
from tdlc_syndication.pipeline.context import Clock, Context, system_clock
from tdlc_syndication.pipeline.errors import SyndicationError
from tdlc_syndication.pipeline.jobs import Jobs, Task
from tdlc_syndication.pipeline.ledger import RunReport
from tdlc_syndication.pipeline.logs import source_context
from tdlc_syndication.pipeline.metrics import close_cycle
from tdlc_syndication.pipeline.overview import (
    LISTENER_KEY,
    PLAN_KEY,
    SERVICE_SETTINGS_KEY,
    save_snapshot,
    settings_version,
    snapshot_of,
)

if TYPE_CHECKING:
    from tdlc_syndication.pipeline.callback import PushIn

log = logging.getLogger(__name__)

GATHER = 0.5  # seconds a due sync waits for other sources due at the same moment
PRUNE_EVERY = timedelta(days=1)


Stamp = tuple[int, int] | None  # a file's modification time and size; None: no file


def _stamp(path: Path | None) -> Stamp:
    """``path``'s modification time and size (None: no path, no file, or unreadable)."""
    try:
        stat = path.stat() if path is not None else None
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size) if stat is not None else None


class Daemon:
    """The scheduler service over one settings file.

    Args:
        config_path: the settings file (read again on SIGHUP).
        settings: its settings, loaded.
        clock: the time (tests give their own).
    """

    def __init__(self, config_path: Path, settings: Settings, clock: Clock = system_clock):
        self.config_path = config_path
        self.settings = settings
        self.clock = clock
        self.ctx = Context.create(settings, clock)
        self.stop = threading.Event()
        self.cycles = 0  # work tasks done (for tests and logs)
        self._tasks: queue.Queue[Task | None] = queue.Queue()
        self._due: set[str] = set()
        self._due_lock = threading.Lock()
        self._pruned: datetime | None = None
        self._seen = self._watched()
        self._worker: threading.Thread | None = None
        self.jobs = Jobs(settings, clock, due=self._tasks.put, due_sync=self.request_sync)
        self._push_due = threading.Event()
        self.push: PushIn | None = None  # with [websub] callback: the hubs' side

    # -- scheduling ------------------------------------------------------------------------

    def schedule(self) -> None:
        """The jobs of the current settings, first runs as the store's records say."""
        with self.ctx.open_store() as store:
            states = store.states()
        self.jobs.plan(self.settings, states)

    def request_sync(self, source_id: str) -> None:
        """A source's turn came: queue it for the work thread (once, however often)."""
        with self._due_lock:
            if source_id in self._due:
                return
            self._due.add(source_id)
        self._tasks.put("sync")

    def request_push(self) -> None:
        """The callback heard something, or subscriptions may be due: queue the push task
        (once until it runs)."""
        if not self._push_due.is_set():
            self._push_due.set()
            self._tasks.put("push")

    def request_publish(self) -> None:
        """Publish ``publish_delay`` seconds from now (debounced: ``Jobs.publish_soon``)."""
        self.jobs.publish_soon()

    def _watched(self) -> tuple[Stamp, Stamp]:
        """The stamps of the files editors save while the service runs: the overrides
        file, and the intro of the last finished week (its hold)."""
        intro = None
        folder = self.settings.digest.editorial_dir
        if self.settings.digest.enabled and folder is not None:
            from tdlc_syndication.pipeline.digest import last_finished_week

            zone = ZoneInfo(self.settings.site.timezone)
            intro = folder / f"{last_finished_week(self.clock(), zone)}.md"
        return _stamp(self.settings.editorial.overrides), _stamp(intro)

    def _watch(self) -> None:
        """Act on what an editor saved. The overrides file: publish (hiding an item, a
        withdrawal or a takedown, cannot wait for a source to bring something new, and
        ``publish`` from the command line cannot take the store this service holds). The
        intro of the finished week: the digest job, so that a week released from its
        hold is published now rather than never (the job looks at the last finished
        week only, once a week)."""
        now = self.clock()
        overrides, intro = self._watched()
        seen_overrides, seen_intro = self._seen
        self._seen = (overrides, intro)
        if overrides != seen_overrides:
            log.info("the overrides file changed: publishing it")
            self.request_publish()
        if intro != seen_intro:
            self._tasks.put("digest")  # which publishes the week if it is due and not out
        if self.push is not None and self.push.due(now):
            self.request_push()

    def _retry_at_back_off_end(self, reports: Sequence[RunReport]) -> None:
        """A failed source whose back-off ends before its next turn is retried then."""
        failed = [r.source for r in reports if r.failed]
        if not failed:
            return
        with self.ctx.open_store() as store:
            states = store.states()
        self.jobs.retry_at_back_off_end(failed, states)

    # -- the work thread -------------------------------------------------------------------

    def _work(self) -> None:
        steps = {
            "sync": self._sync,
            "publish": self._publish,
            "digest": self._digest,
            "push": self._push,
        }
        while (task := self._tasks.get()) is not None:
            if self.stop.is_set():
                break
            self._survive(task, steps.get(task, self._reload))
            self.cycles += 1
            self._survive("recording the cycle", self._after_cycle)

    @staticmethod
    def _survive(what: str, step: Callable[[], None]) -> None:
        """Run one step of the work thread: what it raises is logged, and the thread goes
        on with the next task (a thread that died would leave a service that runs and
        does nothing)."""
        try:
            step()
        except SyndicationError as exc:  # the store, the output folder: tried again next turn
            log.error("%s failed: %s", what, exc)
        except ConfigError as exc:  # the editors' overrides file: published when mended
            for problem in exc.problems:
                log.error("%s failed: %s: %s", what, exc.path, problem)
        except Exception:  # a fault of this program: the other tasks must still run
            log.exception("%s failed unexpectedly (a fault of this program); going on", what)

    def _sync(self) -> None:
        from tdlc_syndication.pipeline.run import run_sources

        self.stop.wait(GATHER)
        with self._due_lock:
            due, self._due = self._due, set()
        configs = [s for s in self.settings.sources if s.id in due and s.enabled]
        if self.push is not None:
            configs = self.push.not_pushed(configs, self.clock())
        if not configs or self.stop.is_set():
            return
        started = self.clock()
        reports = run_sources(self.ctx, configs, stop=self.stop)
        if self.push is not None:
            self.push.after_polls(reports, started)
        for report in reports:
            with source_context(report.source):
                log_report(report)
        if any(r.asks_publish for r in reports):
            self.request_publish()
        self._retry_at_back_off_end(reports)
        if self.push is not None:
            self.request_push()  # a feed read in full may name a new hub

    def _push(self) -> None:
        """Keep what the hubs delivered, record what they confirmed, and send the
        subscription requests that are due."""
        self._push_due.clear()
        if self.push is not None and self.push.work(self.stop):
            self.request_publish()

    def _publish(self) -> None:
        from tdlc_syndication.pipeline.publish import publish_recorded
        from tdlc_syndication.pipeline.quick import expires

        self.jobs.published()
        with self.ctx.open_store() as store:
            report = publish_recorded(self.ctx, store)
            self.jobs.publish_at_expiry(expires(store))
        self.jobs.retry_pings(bool(report.pings_owed))
        # What it wrote is logged by the publish ("published: 3 rendered, ..."), and a
        # publish that found nothing changed logs nothing at this level.
        for problem in report.degraded:
            log.warning("lint: %s (the entry was left out)", problem)
        for problem in report.refused:
            log.error("lint: %s (the published file was kept)", problem)

    def _digest(self) -> None:
        """Publish the finished week's issue when it is due and not out yet (also the
        catch-up after downtime: once), and send again what failed to send: now, and
        hourly while it fails."""
        from tdlc_syndication.pipeline.digest import DigestError
        from tdlc_syndication.pipeline.overview import record_digest
        from tdlc_syndication.pipeline.weekly import due_weeks, publish_week, retry_unsent

        if not self.settings.digest.enabled:
            return
        with self.ctx.open_store() as store:
            for week in retry_unsent(self.ctx, store):
                log.info("digest %s sent (it had failed before)", week)
            for week in due_weeks(self.ctx, store):
                try:
                    result = publish_week(self.ctx, store, week, chosen_week=True)
                except DigestError as exc:
                    log.error("digest %s: %s", week, exc)
                    record_digest(store, week, str(exc))  # health says so until it is out
                    continue
                record_digest(store, week, None)
                if result.outcome not in ("unwatched", "empty"):  # those said why already
                    log.info("digest %s: %s, %d items", week, result.outcome, result.items)
                if result.back_catalogue:
                    log.info("digest %s: %s", week, result.left_out())
            owed = self.settings.digest.send and store.unsent_issue() is not None
        self.jobs.retry_mail(owed)

    def _reload(self) -> None:
        try:
            data = read_file(self.config_path)
            settings = load_settings(self.config_path, data)
        except OSError as exc:
            log.error(
                "cannot read %s: %s; the daemon keeps the old settings", self.config_path, exc
            )
            return
        except ConfigError as exc:
            for problem in exc.problems:
                log.error("%s: %s", exc.path, problem)
            log.error("the changed settings were refused; the daemon keeps the old ones")
            return
        if settings.site.database != self.settings.site.database:
            log.error(
                "the changed settings name another store (%s); restart the daemon to move "
                "it; the old settings are kept",
                settings.site.database,
            )
            return
        save_snapshot(self.config_path, snapshot_of(settings))
        if self.push is not None or settings.websub.enabled:
            from tdlc_syndication.pipeline.callback import same_listener

            settings = same_listener(self.settings, settings)
        self.settings = settings
        previous, self.ctx = self.ctx, Context.create(settings, self.clock)
        if self.push is not None:
            self.push.subscriber.ctx = self.ctx
            self.request_push()  # a source skipped or gone is unsubscribed now
        previous.http.close()  # its kept connections; the new settings' client opens its own
        self.schedule()
        self._seen = self._watched()
        self._record_settings(data)
        log.info("settings reloaded from %s: %d sources", self.config_path, len(settings.sources))
        self.request_publish()  # what the new settings (and the overrides) change

    def _after_cycle(self) -> None:
        """Tell ``status`` the next runs; write the metrics file; prune old runs daily."""
        now = self.clock()
        planned = self.jobs.next_syncs()
        prune = self._pruned is None or now - self._pruned >= PRUNE_EVERY
        try:
            with self.ctx.open_store() as store:
                with store.transaction():
                    store.set_publish_value(PLAN_KEY, json.dumps(planned))
                pruned = close_cycle(self.settings, store, now, prune=prune)
        except (SyndicationError, OSError) as exc:
            log.error("could not record the cycle: %s", exc)
            return
        if prune:
            self._pruned = now
            if pruned:
                log.info(
                    "pruned %d runs older than %d days", pruned, self.settings.run.keep_runs_days
                )

    # -- life --------------------------------------------------------------------------------

    def start(self) -> None:
        """Schedule the sources and start the scheduler, the work thread and (with
        ``[websub] callback``) the callback listener."""
        self.schedule()
        if self.settings.websub.enabled:
            self._listen()
        self.jobs.watch(self._watch)
        self._worker = threading.Thread(target=self._work, name="work", daemon=True)
        self._worker.start()
        self.jobs.start()
        log.info(
            "daemon started: %d jobs scheduled, store %s",
            self.jobs.count(),
            self.settings.site.database,
        )
        with contextlib.suppress(OSError):  # gone since it was read: status cannot compare
            self._record_settings(read_file(self.config_path))
        self.request_publish()  # whatever the last process left unpublished
        self._tasks.put("digest")  # a week whose issue came due while nothing ran
        self._after_cycle()

    def shutdown(self) -> bool:
        """Stop: no new work, the work in hand finishes within ``[run] stop_timeout``.

        Returns:
            True when the work thread finished in time.
        """
        self.stop.set()
        self.jobs.shutdown()
        if self.push is not None:
            self.push.close()  # no more requests from the hubs; they ask again
        self._tasks.put(None)
        if self._worker is None:
            return True
        self._worker.join(self.settings.run.stop_timeout)
        self._forget_plan()
        if self._worker.is_alive():
            return False
        self.ctx.http.close()
        return True

    def _record_settings(self, data: bytes) -> None:
        """Tell ``status`` which version of the settings file the service runs with (it
        says when the file changed since: an edit waits for a reload)."""
        loaded = {"version": settings_version(data), "at": self.clock().isoformat()}
        try:
            with self.ctx.open_store() as store, store.transaction():
                store.set_publish_value(SERVICE_SETTINGS_KEY, json.dumps(loaded))
        except (SyndicationError, OSError) as exc:
            log.error("could not record the settings' version: %s", exc)

    def _listen(self) -> None:
        """Listen for the hubs; an address that cannot be taken is logged and recorded
        (``status`` says so), and every source is polled."""
        from tdlc_syndication.pipeline.callback import PushIn

        websub = self.settings.websub
        try:
            self.push = PushIn.listening(self.ctx, self.request_push, self.request_sync)
            problem = None
        except OSError as exc:
            problem = f"cannot listen on {websub.listen} for the hubs ({exc.strerror or exc})"
            log.error("%s: every source is polled", problem)
        try:
            with self.ctx.open_store() as store, store.transaction():
                store.set_publish_value(LISTENER_KEY, json.dumps({"problem": problem}))
        except (SyndicationError, OSError) as exc:
            log.error("could not record the listener: %s", exc)

    def _forget_plan(self) -> None:
        """Clear the next runs ``status`` shows and the settings the service ran with: a
        service stopped on purpose has none, and ``health`` flags a plan left overdue (a
        service that died)."""
        try:
            with self.ctx.open_store() as store, store.transaction():
                store.set_publish_value(PLAN_KEY, "{}")
                store.set_publish_value(SERVICE_SETTINGS_KEY, "{}")
                store.set_publish_value(LISTENER_KEY, "{}")
        except (SyndicationError, OSError) as exc:
            log.error("could not clear the plan of next runs: %s", exc)

    def serve_forever(self) -> bool:
        """Run until SIGTERM or SIGINT (SIGHUP reloads the settings); True when the work in
        hand finished in time."""
        signal.signal(signal.SIGTERM, self._on_stop)
        signal.signal(signal.SIGINT, self._on_stop)
        signal.signal(signal.SIGHUP, self._on_reload)
        self.start()
        while not self.stop.is_set():
            time.sleep(0.2)
        log.info("stopping: the work in hand finishes, nothing new starts")
        finished = self.shutdown()
        if finished:
            log.info("daemon stopped")
        else:
            log.warning(
                "stopped after %ss with work unfinished; it was not written and runs again "
                "at the next start",
                self.settings.run.stop_timeout,
            )
        return finished

    def _on_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stop.set()

    def _on_reload(self, signum: int, frame: FrameType | None) -> None:
        self.request_reload()

    def request_reload(self) -> None:
        """Load the settings file again, between two tasks (what SIGHUP does)."""
        self._tasks.put("reload")


def log_report(report: RunReport) -> None:
    """One log line for a source's run (an error line when it failed); for one that did
    not run (postponed, retired), why not."""
    if report.failed:
        log.error("sync %s: %s (%s)", report.status, report.error, report.said())
    else:  # "ok: 2 new, ...", or "postponed: the origin asks for no poll before ..."
        log.info("sync %s: %s", report.status, report.said())
