"""``syndicate run`` as a service, and one process per store: real subprocesses, a real
loopback source, real signals."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from apscheduler.job import Job
from pytest_httpserver import HTTPServer
from tests_support import BLOG, Inbox, archive_began, draft, free_port
from werkzeug import Request, Response

from tdlc_syndication.config.loader import load_settings
from tdlc_syndication.pipeline.daemon import Daemon
from tdlc_syndication.pipeline.dedupe import decide
from tdlc_syndication.pipeline.digest import last_finished_week
from tdlc_syndication.pipeline.ledger import SourceState, source_shape
from tdlc_syndication.pipeline.model import Event
from tdlc_syndication.pipeline.overview import PLAN_KEY
from tdlc_syndication.pipeline.run import run_sources
from tdlc_syndication.pipeline.store import Store

RSS = "application/rss+xml"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The environment of the subprocesses (their settings cache in tmp_path)."""
    return {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}


def syndicate(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tdlc_syndication.pipeline", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=120,
    )


def start(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "tdlc_syndication.pipeline", *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )


def wait_for(check: Callable[[], bool], timeout: float = 60.0) -> None:
    give_up = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < give_up, "timed out"
        time.sleep(0.2)


def stop(proc: subprocess.Popen[bytes]) -> int:
    """Stop the service as its supervisor does (SIGTERM); its exit code."""
    proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout=60)


def clean_log(log: Path, code: int) -> str:
    """The service's log, once it is known to have stopped cleanly: exit 0, no traceback."""
    text = log.read_text("utf-8")
    assert code == 0, text
    assert "Traceback" not in text
    return text


def runs_of(database: Path, source: str) -> int:
    if not database.exists():
        return 0
    db = sqlite3.connect(database, timeout=10)
    try:
        row = db.execute("SELECT COUNT(*) FROM runs WHERE source=?", (source,)).fetchone()
        return int(row[0])
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0
    finally:
        db.close()


def published_once(database: Path) -> bool:
    """A publish has ended and recorded itself (its files are renamed into place before)."""
    db = sqlite3.connect(database, timeout=10)
    try:
        row = db.execute("SELECT 1 FROM publish_state WHERE key='last_publish'").fetchone()
        return row is not None
    except sqlite3.OperationalError:  # the schema is not there yet
        return False
    finally:
        db.close()


@pytest.fixture
def feed_config(server: HTTPServer, write_config: Callable[..., Path], tmp_path: Path) -> Path:
    server.expect_request("/feed.rss").respond_with_data(BLOG, content_type=RSS)
    return write_config(
        f'[[sources]]\nid = "blog"\nkind = "feed"\nurl = "{server.url_for("/feed.rss")}"\n'
        'schedule = "every 10s"\nallow_private = true\n',
        extra=f'[run]\njitter = 0\npublish_delay = 0\nstop_timeout = 20\nmetrics_file = "'
        f'{tmp_path / "metrics" / "syndicate.prom"}"\n',
    )


def test_the_daemon_syncs_on_schedule_publishes_reloads_and_stops_cleanly(
    feed_config: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    log = tmp_path / "daemon.log"
    database = tmp_path / "store.db"
    proc = start(env, log, "--config", str(feed_config), "-v", "run")
    try:
        # Two sync cycles (the first at once: it never ran; the next 10 s later) and a publish.
        wait_for(lambda: runs_of(database, "blog") >= 2, timeout=90)
        wait_for(lambda: (tmp_path / "public" / "feeds" / "all.atom").exists())
        wait_for(lambda: published_once(database))
        status = syndicate(env, "--config", str(feed_config), "status", "--json")
        assert status.returncode == 0, status.stderr
        (row,) = json.loads(status.stdout)
        assert (row["status"], row["items"]) == ("ok", 10)
        assert str(row["next_run"]).endswith("+09:00")
        health = syndicate(env, "--config", str(feed_config), "health", "--json")
        assert health.returncode == 0, health.stdout
        assert json.loads(health.stdout)["last_publish"]["ok"] is True
        # A second process cannot take the store while the daemon holds it.
        other = syndicate(env, "--config", str(feed_config), "publish")
        assert other.returncode == 4
        assert f"pid {proc.pid} (run (daemon)" in other.stderr
        assert "to publish now, reload it" in other.stderr  # --wait would wait for ever
        forget = syndicate(env, "--config", str(feed_config), "forget", "blog", "--yes")
        assert forget.returncode == 4
        assert "stop the service first" in forget.stderr
        wait_for(lambda: (tmp_path / "metrics" / "syndicate.prom").exists())
        metrics = (tmp_path / "metrics" / "syndicate.prom").read_text("utf-8")
        assert 'syndicate_source_up{source="blog"} 1' in metrics
        # SIGHUP with a broken file: refused, the old settings kept, still running.
        good = feed_config.read_text("utf-8")
        feed_config.write_text(good.replace('schedule = "every 10s"', 'schedule = "soon"'))
        proc.send_signal(signal.SIGHUP)
        wait_for(lambda: "refused" in log.read_text("utf-8"))
        assert proc.poll() is None
        feed_config.write_text(good)
        before = runs_of(database, "blog")
        wait_for(lambda: runs_of(database, "blog") > before, timeout=60)
    finally:
        code = stop(proc)
    text = clean_log(log, code)
    assert "daemon stopped" in text
    assert "[blog]" in text or "blog" in text
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    public = tmp_path / "public"
    assert not [p for p in public.rglob("*") if ".tmp" in p.name]
    lint = syndicate(env, "--config", str(feed_config), "lint")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    # The lock went with the daemon.
    assert syndicate(env, "--config", str(feed_config), "publish").returncode == 0


def test_the_service_publishes_an_edited_overrides_file_and_reloaded_settings(
    server: HTTPServer, write_config: Callable[..., Path], tmp_path: Path, env: dict[str, str]
) -> None:
    """An editor hides an item while the service runs: it leaves the feeds without a
    source bringing anything new (the sources here run once an hour), and though
    ``publish`` cannot take the store the service holds. Before, it waited for a sync
    that changed something, and a reloaded settings file (a new site title) too."""
    server.expect_request("/feed.rss").respond_with_data(BLOG, content_type=RSS)
    overrides = tmp_path / "overrides.toml"
    overrides.write_text("", encoding="utf-8")
    config = write_config(
        f'[[sources]]\nid = "blog"\nkind = "feed"\nurl = "{server.url_for("/feed.rss")}"\n'
        'schedule = "every 1h"\nallow_private = true\n',
        extra=f'[run]\njitter = 0\npublish_delay = 0\n[editorial]\noverrides = "{overrides}"\n',
    )
    atom = tmp_path / "public" / "feeds" / "all.atom"
    log = tmp_path / "daemon.log"
    proc = start(env, log, "--config", str(config), "-v", "run")
    try:
        wait_for(lambda: atom.exists())
        items = json.loads(syndicate(env, "--config", str(config), "items", "--json").stdout)
        hidden = items[0]
        assert hidden["title"] in atom.read_text("utf-8")
        overrides.write_text(f'[[items]]\nid = "{hidden["id"]}"\nhide = true\n', "utf-8")
        wait_for(lambda: hidden["title"] not in atom.read_text("utf-8"), timeout=40)
        # A mistake in the file: the problem is logged as such, the feeds stay as they are.
        overrides.write_text(f'[[items]]\nid = "{hidden["id"]}"\ncolour = 1\n', "utf-8")
        wait_for(lambda: "colour: unknown key" in log.read_text("utf-8"), timeout=40)
        assert hidden["title"] not in atom.read_text("utf-8")
        overrides.write_text("", encoding="utf-8")
        wait_for(lambda: hidden["title"] in atom.read_text("utf-8"), timeout=40)
        # A new title: status says the service runs with the old file until a reload.
        status = syndicate(env, "--config", str(config), "status")
        assert "settings file changed" not in status.stdout
        config.write_text(config.read_text("utf-8").replace("Test site", "Renamed site"))
        status = syndicate(env, "--config", str(config), "status")
        assert "the settings file changed since the service loaded it (" in status.stdout
        assert status.returncode == 0  # not a problem: the edit may not be finished
        health = json.loads(syndicate(env, "--config", str(config), "health", "--json").stdout)
        assert health["settings_changed_since"].endswith("+09:00")
        # SIGHUP: loaded, and published at once.
        proc.send_signal(signal.SIGHUP)
        wait_for(lambda: "<title>Renamed site</title>" in atom.read_text("utf-8"), timeout=30)
        status = syndicate(env, "--config", str(config), "status")
        assert "settings file changed" not in status.stdout
        assert runs_of(tmp_path / "store.db", "blog") == 1  # no sync brought any of it
    finally:
        code = stop(proc)
    text = clean_log(log, code)
    assert "a fault of this program" not in text


def test_a_failing_source_mended_by_a_reload_runs_at_once(
    server: HTTPServer, write_config: Callable[..., Path], tmp_path: Path, env: dict[str, str]
) -> None:
    """An operator fixes a failing source's address and reloads the service (SIGHUP): the
    source ran only when its back-off (here an hour) ended. It runs at once now."""
    server.expect_request("/old.rss").respond_with_data("moved", status=404)
    server.expect_request("/feed.rss").respond_with_data(BLOG, content_type=RSS)
    entry = '[[sources]]\nid = "blog"\nkind = "feed"\nurl = "{url}"\nallow_private = true\n'
    extra = "[run]\njitter = 0\npublish_delay = 0\n"
    config = write_config(
        entry.format(url=server.url_for("/old.rss")), extra=extra, http="backoff_base = 3600"
    )
    log = tmp_path / "daemon.log"
    proc = start(env, log, "--config", str(config), "-v", "run")
    try:
        wait_for(lambda: "sync failed" in log.read_text("utf-8"))
        write_config(
            entry.format(url=server.url_for("/feed.rss")), extra=extra, http="backoff_base = 3600"
        )
        proc.send_signal(signal.SIGHUP)
        wait_for(lambda: "sync ok: 10 new" in log.read_text("utf-8"), timeout=30)
        assert runs_of(tmp_path / "store.db", "blog") == 2
    finally:
        code = stop(proc)
    text = clean_log(log, code)
    assert "blog is due now (its settings were edited since its last run failed)" in text


@dataclass(frozen=True)
class DigestService:
    """A service whose digest is due as soon as the last finished week is over."""

    config: Path
    week: str
    intro: Path  # the week's intro, written before the service starts
    page: Path  # the week's issue page
    log: Path


def digest_service(
    server: HTTPServer, write_config: Callable[..., Path], tmp_path: Path, intro: str
) -> DigestService:
    """Settings with one feed and an editorial folder holding the finished week's
    ``intro``, and a store whose archive began a month ago."""
    server.expect_request("/feed.rss").respond_with_data(BLOG, content_type=RSS)
    intros = tmp_path / "intros"
    intros.mkdir()
    week = last_finished_week(datetime.now(UTC), ZoneInfo("Asia/Tokyo"))
    (intros / f"{week}.md").write_text(intro, encoding="utf-8")
    config = write_config(
        f'[[sources]]\nid = "blog"\nkind = "feed"\nurl = "{server.url_for("/feed.rss")}"\n'
        'schedule = "every 1h"\nallow_private = true\n',
        extra=f'[run]\njitter = 0\npublish_delay = 0\n[digest]\neditorial_dir = "{intros}"\n'
        'publish_at = "mon 00:00"\n',  # due as soon as the week is over
    )
    archive_began(load_settings(config).site.database, datetime.now(UTC) - timedelta(days=30))
    page = tmp_path / "public" / "digest" / week / "index.html"
    return DigestService(config, week, intros / f"{week}.md", page, tmp_path / "daemon.log")


def test_a_week_released_from_its_hold_is_published_by_the_service(
    server: HTTPServer, write_config: Callable[..., Path], tmp_path: Path, env: dict[str, str]
) -> None:
    """The service looks at the finished week once a week, at ``publish_at``: a week the
    editor held then, and released later, was never published by it (and ``digest``
    cannot take the store the service holds)."""
    held = "---\nhold: true\n---\nStill writing.\n"
    service = digest_service(server, write_config, tmp_path, held)
    proc = start(env, service.log, "--config", str(service.config), "-v", "run")
    try:
        wait_for(lambda: f"digest {service.week}: held" in service.log.read_text("utf-8"))
        assert not service.page.exists()
        service.intro.write_text("---\ntitle: A week of partners\n---\nDone.\n", "utf-8")
        wait_for(lambda: service.page.exists(), timeout=40)
        assert "A week of partners" in service.page.read_text("utf-8")
    finally:
        code = stop(proc)
    clean_log(service.log, code)


def test_a_week_the_service_could_not_publish_is_a_health_problem_until_it_is(
    server: HTTPServer, write_config: Callable[..., Path], tmp_path: Path, env: dict[str, str]
) -> None:
    """An intro with a mistake (a featured item that is not stored) stopped the week's
    issue: the service logged it once, and `status` and `health` said all was well while
    the readers got no issue. It is a problem now, until the editor's fix is published."""
    mistaken = '---\nfeature: ["blog:no-such-item"]\n---\nHello.\n'
    service = digest_service(server, write_config, tmp_path, mistaken)
    config, log = str(service.config), service.log
    proc = start(env, log, "--config", config, "-v", "run")
    try:
        wait_for(lambda: "no stored item has the id or address" in log.read_text("utf-8"))
        health = syndicate(env, "--config", config, "health")
        assert health.returncode != 0
        said = f"the digest of {service.week} was not published: {service.intro}: feature:"
        assert said in health.stdout
        service.intro.write_text("---\ntitle: Fixed\n---\nHello.\n", encoding="utf-8")
        wait_for(lambda: service.page.exists(), timeout=40)
        health = syndicate(env, "--config", config, "health")
        assert "was not published" not in health.stdout
    finally:
        code = stop(proc)
    clean_log(log, code)


def _text(path: Path) -> str:
    """The file's text, or none while it is not written yet."""
    return path.read_text("utf-8") if path.exists() else ""


def retry_job(daemon: Daemon, job_id: str, after: timedelta) -> Job:
    """Wait for the service's retry job ``job_id`` and check that it runs ``after`` from
    now (within a minute)."""
    wait_for(lambda: daemon.jobs.scheduler.get_job(job_id) is not None)
    job = daemon.jobs.scheduler.get_job(job_id)
    assert job is not None
    left = job.next_run_time - datetime.now(UTC)
    assert after - timedelta(minutes=1) < left <= after
    return job


def test_the_service_mails_a_failed_digest_again_within_the_hour(
    write_config: Callable[..., Path], tmp_path: Path
) -> None:
    """The service mailed a failed issue again only at the next week's run (with the
    next issue: two at once); it tries again every hour while the newest one fails."""
    port = free_port()
    config = write_config(
        extra="[run]\njitter = 0\npublish_delay = 0\n"
        '[digest]\npublish_at = "mon 00:00"\nsend = true\n'
        f'[digest.email]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
        'recipients = ["desk@example.org"]\nunsubscribe = "mailto:leave@example.org"\n'
    )
    settings = load_settings(config)
    week = last_finished_week(datetime.now(UTC), ZoneInfo("Asia/Tokyo"))
    archive_began(settings.site.database, datetime.now(UTC) - timedelta(days=30))
    daemon = Daemon(config, settings)
    daemon.start()
    try:
        job = retry_job(daemon, "mail-retry", timedelta(hours=1))
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            job.modify(next_run_time=datetime.now(UTC))  # the hour is up
            wait_for(lambda: len(inbox.messages) == 1, timeout=30)
            wait_for(lambda: daemon.jobs.scheduler.get_job("mail-retry") is None)
        finally:
            controller.stop()
    finally:
        assert daemon.shutdown()
    with Store(settings.site.database) as store:
        record = store.issue(week)
        assert record is not None
        assert (record.sent_at is not None, record.send_attempts) == (True, 2)


def test_the_service_pings_a_hub_that_was_down_again_without_a_change(
    server: HTTPServer, write_config: Callable[..., Path], tmp_path: Path, env: dict[str, str]
) -> None:
    """Pings a hub did not take (it was down) were sent again only with the next publish,
    which waited for the next change: days for a quiet site, while its subscribers heard
    nothing. The service publishes again in 15 minutes while pings are owed, and
    ``status`` says how many are."""
    answers = [503]
    pings: list[str] = []

    def hub(request: Request) -> Response:
        pings.append(request.form["hub.url"])
        return Response(status=answers[0])

    server.expect_request("/feed.rss").respond_with_data(BLOG, content_type=RSS)
    server.expect_request("/hub", method="POST").respond_with_handler(hub)
    metrics = tmp_path / "metrics.prom"
    config = write_config(
        f'[[sources]]\nid = "blog"\nkind = "feed"\nurl = "{server.url_for("/feed.rss")}"\n'
        'schedule = "every 1d"\nallow_private = true\n',
        extra=f'[run]\njitter = 0\npublish_delay = 0\nmetrics_file = "{metrics}"\n',
    )
    text = config.read_text("utf-8")
    config.write_text(
        text.replace("[site]\n", f'[site]\nwebsub_hub = "{server.url_for("/hub")}"\n')
    )
    settings = load_settings(config)
    daemon = Daemon(config, settings)
    daemon.start()
    try:
        job = retry_job(daemon, "ping-retry", timedelta(minutes=15))
        feeds = set(pings)
        assert "https://feeds.example.org/test/feeds/all.atom" in feeds
        status = syndicate(env, "--config", str(config), "status")
        assert f"the hub has not heard of {len(feeds)} changed feed(s)" in status.stdout
        health = json.loads(syndicate(env, "--config", str(config), "health", "--json").stdout)
        assert health["websub_owed"] == len(feeds)
        wait_for(lambda: f"syndicate_websub_owed_feeds {len(feeds)}\n" in _text(metrics))
        pings.clear()
        answers[0] = 204
        job.modify(next_run_time=datetime.now(UTC))  # the 15 minutes are up
        # The one-off job leaves the scheduler as it starts, before its publish pings.
        wait_for(lambda: "syndicate_websub_owed_feeds 0\n" in _text(metrics))
        assert set(pings) == feeds
        assert daemon.jobs.scheduler.get_job("ping-retry") is None  # nothing owed now
    finally:
        assert daemon.shutdown()
    assert runs_of(tmp_path / "store.db", "blog") == 1  # no sync brought the second publish
    status = syndicate(env, "--config", str(config), "status")
    assert "WebSub" not in status.stdout


def test_two_runs_at_once_one_runs_and_a_killed_holder_leaves_no_lock(
    server: HTTPServer, write_config: Callable[..., Path], tmp_path: Path, env: dict[str, str]
) -> None:
    def slow(request: Request) -> Response:
        time.sleep(3)
        return Response(BLOG, content_type=RSS)

    server.expect_request("/feed.rss").respond_with_handler(slow)
    config = write_config(
        f'[[sources]]\nid = "blog"\nkind = "feed"\nurl = "{server.url_for("/feed.rss")}"\n'
        "allow_private = true\n"
    )
    args = ("--config", str(config), "-q", "run", "--once")
    first = start(env, tmp_path / "first.log", *args)
    lock_file = tmp_path / "store.db.lock"
    wait_for(lambda: lock_file.exists() and lock_file.read_text() != "")
    second = syndicate(env, *args)
    assert second.returncode == 4
    (line,) = second.stderr.splitlines()
    assert f"in use by pid {first.pid} (run --once, since " in line
    assert first.wait(timeout=60) == 0
    # --wait: a second run waits for the first instead of giving up.
    first = start(env, tmp_path / "again.log", *args)
    wait_for(lambda: lock_file.read_text() != "")
    waited = syndicate(env, "--config", str(config), "-q", "run", "--once", "--wait", "60")
    assert waited.returncode == 0, waited.stderr
    assert first.wait(timeout=60) == 0
    # kill -9 while holding the lock: the next run takes it over.
    holder = start(env, tmp_path / "killed.log", *args)
    wait_for(lambda: lock_file.read_text() != "")
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    after = syndicate(env, *args)
    assert after.returncode == 0, after.stderr
    with Store(tmp_path / "store.db") as store:
        assert store.count_items()["blog"] == 10


def _feeds(
    server: HTTPServer, write_config: Callable[..., Path], schedules: dict[str, str]
) -> Path:
    """Settings with one feed source per name, on its schedule (the blog, served at a
    query of its own each), no jitter, and a publish an hour after a change."""
    server.expect_request("/feed.rss").respond_with_data(BLOG, content_type=RSS)
    url = server.url_for("/feed.rss")
    return write_config(
        "".join(
            f'[[sources]]\nid = "{name}"\nkind = "feed"\nurl = "{url}?{name}"\n'
            f'schedule = "{schedule}"\nallow_private = true\n'
            for name, schedule in schedules.items()
        ),
        extra="[run]\njitter = 0\npublish_delay = 3600\n",
    )


def test_catch_up_after_an_outage_runs_each_overdue_source_once(
    server: HTTPServer, write_config: Callable[..., Path], tmp_path: Path
) -> None:
    config = _feeds(
        server, write_config, {"hourly": "every 1h", "daily": "every 1d", "cron": "0 6 * * *"}
    )
    settings = load_settings(config)
    now = datetime.now(UTC)

    def ran(name: str, ago: timedelta) -> SourceState:
        shape = source_shape(settings, settings.source(name))  # read with these settings
        return SourceState(source=name, last_attempt=now - ago, shape=shape)

    with Store(settings.site.database) as store, store.transaction():
        # Down for three days: the hourly and the 06:00 source missed many turns; the
        # daily one ran two hours ago.
        store.put_states(
            [
                ran("hourly", timedelta(days=3)),
                ran("cron", timedelta(days=3)),
                ran("daily", timedelta(hours=2)),
            ]
        )
    daemon = Daemon(config, settings)
    daemon.start()
    try:
        wait_for(lambda: runs_of(settings.site.database, "cron") == 1, timeout=30)
        wait_for(lambda: runs_of(settings.site.database, "hourly") == 1, timeout=30)
        time.sleep(1.5)  # anything run twice would show by now
        jobs = {job.id: job.next_run_time for job in daemon.jobs.scheduler.get_jobs()}
    finally:
        assert daemon.shutdown()
    assert runs_of(settings.site.database, "hourly") == 1
    assert runs_of(settings.site.database, "cron") == 1
    assert runs_of(settings.site.database, "daily") == 0
    later = datetime.now(UTC)
    assert jobs["sync:hourly"] > later + timedelta(minutes=55)
    assert jobs["sync:daily"] > later + timedelta(hours=21)
    assert jobs["sync:cron"] > later


def test_a_source_whose_settings_changed_while_the_service_was_stopped_runs_at_its_start(
    server: HTTPServer, write_config: Callable[..., Path]
) -> None:
    """Its items are made again now (read in full), not at its next turn a day later."""
    config = _feeds(server, write_config, {"same": "every 1d", "edited": "every 1d"})
    settings = load_settings(config)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    with Store(settings.site.database) as store, store.transaction():
        store.put_states(
            [
                SourceState(
                    source="same",
                    last_attempt=an_hour_ago,
                    shape=source_shape(settings, settings.source("same")),
                ),
                SourceState(source="edited", last_attempt=an_hour_ago, shape="1:before"),
            ]
        )
    daemon = Daemon(config, settings)
    daemon.start()
    try:
        wait_for(lambda: runs_of(settings.site.database, "edited") == 1, timeout=30)
        time.sleep(1.0)  # a run of the other would show by now
    finally:
        assert daemon.shutdown()
    assert runs_of(settings.site.database, "same") == 0
    with Store(settings.site.database) as store:
        assert store.state("edited").shape == source_shape(settings, settings.source("edited"))
        assert store.count_items()["edited"] == 10


def test_the_service_publishes_when_an_event_starts_though_no_source_changed(
    write_config: Callable[..., Path],
) -> None:
    """No source brings anything new, but an event starts: the service publishes just
    after that moment, so the upcoming events stop listing it."""
    config = write_config(extra="[run]\njitter = 0\npublish_delay = 0\n")
    settings = load_settings(config)
    # Time enough for the publish at start on a slow machine (with 3 s the event had
    # begun before the service's first publish ended, and no expiry was left to plan).
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=8)
    item = draft(
        id="events:drill",
        source="events",
        kind="event",
        title="Evacuation drill",
        published=soon - timedelta(days=7),
        event=Event(start=soon),
    )
    with Store(settings.site.database) as store, store.transaction():
        store.put_item(decide(item, None, soon - timedelta(days=1)).stored)
    upcoming = settings.site.output_dir / "feeds" / "upcoming.atom"
    daemon = Daemon(config, settings)
    daemon.start()
    try:
        wait_for(upcoming.exists, timeout=30)  # the publish at start lists the drill
        assert b"Evacuation drill" in upcoming.read_bytes()
        # The feed is renamed into place before the publish ends and plans its expiry.
        wait_for(lambda: daemon.jobs.scheduler.get_job("expiry") is not None, timeout=30)
        job = daemon.jobs.scheduler.get_job("expiry")
        assert job is not None
        assert job.next_run_time == soon + timedelta(seconds=1)
        wait_for(lambda: b"Evacuation drill" not in upcoming.read_bytes(), timeout=30)
        assert datetime.now(UTC) > soon
        # No event left to come (the publish renames its files one after another: the
        # front page may follow the feed a moment later).
        front = settings.site.output_dir / "index.html"
        wait_for(lambda: 'id="events-heading"' not in front.read_text("utf-8"), timeout=30)
    finally:
        assert daemon.shutdown()


def test_a_reload_and_a_stop_close_the_connections_the_service_kept(feed_config: Path) -> None:
    settings = load_settings(feed_config)
    daemon = Daemon(feed_config, settings)
    daemon.start()
    try:
        wait_for(lambda: runs_of(settings.site.database, "blog") >= 1, timeout=30)
        first = daemon.ctx
        assert len(first.http.pool.pools) == 1  # the feed's host, kept alive
        daemon.request_reload()
        wait_for(lambda: daemon.ctx is not first, timeout=30)
        assert len(first.http.pool.pools) == 0
        run_sources(daemon.ctx, daemon.settings.sources, force=True)
        assert len(daemon.ctx.http.pool.pools) == 1
    finally:
        assert daemon.shutdown()
    assert len(daemon.ctx.http.pool.pools) == 0
    with Store(settings.site.database) as store:  # stopped on purpose: no plan left
        assert store.publish_value(PLAN_KEY) == "{}"


def test_a_task_that_fails_unexpectedly_leaves_the_service_working(
    feed_config: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # A fault of the program in one task (here the first publish) used to end the work
    # thread: the daemon kept running, and never synced or published again.
    settings = load_settings(feed_config)
    publish = Daemon._publish
    calls: list[int] = []

    def faulty(self: Daemon) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a fault")
        publish(self)

    monkeypatch.setattr(Daemon, "_publish", faulty)
    daemon = Daemon(feed_config, settings)
    daemon.start()
    try:
        feed = settings.site.output_dir / "feeds" / "all.atom"
        wait_for(feed.exists, timeout=30)  # the sync's publish, after the failed one
        assert daemon._worker is not None
        assert daemon._worker.is_alive()
    finally:
        assert daemon.shutdown()
    assert len(calls) >= 2
    failed = [r for r in caplog.records if "failed unexpectedly" in r.getMessage()]
    assert failed
    assert failed[0].exc_info is not None  # with its traceback, for the report


@pytest.mark.parametrize(("began_days_before", "issue"), [(0, False), (30, True)])
def test_a_new_sites_service_publishes_no_empty_issue_of_a_week_before_it(
    write_config: Callable[..., Path], tmp_path: Path, began_days_before: int, issue: bool
) -> None:
    """Started on a Wednesday, the service's digest job publishes the last finished week:
    when the archive's first items were found after it ended, there is no issue of it
    (it was "No new materials", the new site's first issue); when the archive is older,
    the empty week's notice is published as before."""
    config = write_config(extra='[digest]\npublish_at = "mon 00:00"\n')
    settings = load_settings(config)
    now = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # Wednesday of week 49 in Tokyo
    archive_began(settings.site.database, now - timedelta(days=began_days_before))
    daemon = Daemon(config, settings, clock=lambda: now)
    daemon._digest()  # the work thread's digest step, as the service's start queues it
    with Store(settings.site.database) as store:
        assert (store.issue("2026-W48") is not None) is issue
    assert (tmp_path / "public" / "digest" / "2026-W48" / "index.html").exists() is issue


def test_the_service_says_why_a_source_did_not_run(caplog: pytest.LogCaptureFixture) -> None:
    """A source whose origin asked for no poll yet was logged as `sync postponed: 0 new,
    0 changed, 0 unchanged`: counts of a run that did not happen, and not why."""
    from tdlc_syndication.pipeline.daemon import log_report
    from tdlc_syndication.pipeline.ledger import RunReport

    now = datetime(2026, 12, 3, 2, 15, tzinfo=UTC)
    why = "the origin asks for no poll before 2026-12-03T12:15:08+09:00"
    caplog.set_level("INFO", logger="tdlc_syndication.pipeline.daemon")
    log_report(RunReport(source="blog", status="postponed", started=now, finished=now, error=why))
    log_report(RunReport(source="blog", status="ok", started=now, finished=now, new=2))
    assert [r.getMessage() for r in caplog.records] == [
        f"sync postponed: {why}",
        "sync ok: 2 new, 0 changed, 0 unchanged",
    ]


def test_the_service_logs_a_publish_once_and_nothing_for_one_that_found_nothing(
    write_config: Callable[..., Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Each publish was logged twice at `-v` (by the publish and by the service), and one
    that found nothing changed said `published: 0 written, 0 unchanged, 0 deleted`."""
    config = write_config()
    settings = load_settings(config)
    archive_began(settings.site.database, datetime(2026, 11, 1, tzinfo=UTC))
    daemon = Daemon(config, settings)
    caplog.set_level("INFO")
    daemon._publish()  # the work thread's publish step
    daemon._publish()  # nothing changed since
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("published")]
    assert len(lines) == 1, lines
    assert re.fullmatch(
        r"published: \d+ rendered, \d+ written, 0 unchanged, 0 deleted in \d+\.\d\d s", lines[0]
    ), lines
