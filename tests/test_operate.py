"""The operator's commands: status, health, forget, the metrics file, /metrics and /healthz,
quiet cron runs and the pruning of run history."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from lxml import etree
from prometheus_client.parser import text_string_to_metric_families
from tests_support import console_run

from tdlc_syndication.config.loader import DEMO_CONFIG
from tdlc_syndication.pipeline import overview
from tdlc_syndication.pipeline.cli import cli
from tdlc_syndication.pipeline.cli.app import App
from tdlc_syndication.pipeline.cli.outputs import _probe
from tdlc_syndication.pipeline.ledger import RunReport
from tdlc_syndication.pipeline.overview import SNAPSHOT_VERSION, cached_snapshot, save_snapshot
from tdlc_syndication.pipeline.serve import make_server
from tdlc_syndication.pipeline.store import Store

BLOG_FILE = DEMO_CONFIG.parent / "demo" / "feeds" / "tdlc-blog.rss"


def invoke(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def config(tmp_path: Path, write_config: Callable[..., Path]) -> Path:
    return write_config(
        f'[[sources]]\nid = "blog"\nkind = "feed"\npath = "{BLOG_FILE}"\n'
        f'[[sources]]\nid = "broken"\nkind = "feed"\npath = "{tmp_path / "missing.xml"}"\n'
        'schedule = "0 6 * * 1-5"\n',
        http="stale_after = 2",
        extra=f'[run]\nmetrics_file = "{tmp_path / "metrics.prom"}"\n',
    )


def test_health_before_the_first_publish_says_so_in_words(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """It said "ok: 1 sources, last publish None"."""
    config = write_config(f'[[sources]]\nid = "blog"\nkind = "feed"\npath = "{BLOG_FILE}"\n')
    assert invoke(config, "fetch")[0] == 0
    code, out, _ = invoke(config, "health")
    assert (code, out.strip()) == (0, "ok: 1 source, nothing published yet")


def test_status_and_health_say_when_a_source_is_stale(config: Path, tmp_path: Path) -> None:
    code, out, err = invoke(config, "-q", "run", "--once")
    assert code == 1
    assert out == ""  # -q: nothing on success...
    assert "failed: broken:" in err  # ...and one line per failure
    code, out, _ = invoke(config, "health")
    assert code == 0, out  # one failure is not stale yet
    assert out.startswith("ok: 2 sources")
    assert invoke(config, "run", "--once")[0] == 1
    code, out, err = invoke(config, "status")
    assert code == 1
    header, blog, broken, last = out.splitlines()
    assert header.split() == [
        "source", "kind", "status", "schedule", "next", "run", "items", "last", "success",
        "problem",
    ]  # fmt: skip
    assert blog.split()[:4] == ["blog", "feed", "ok", "every"]
    assert "stale" in broken
    assert "0 6 * * 1-5" in broken
    assert "2 failed in a row" in broken
    assert last.startswith("last publish: ")
    assert last.endswith(" ok")
    assert "+09:00" in last  # the site's zone
    assert "problem: source broken is stale" in err
    code, out, _ = invoke(config, "status", "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["broken"]["stale"] is True
    assert rows["broken"]["consecutive_failures"] == 2
    assert rows["broken"]["last_error"]
    assert rows["blog"]["items"] == 10
    assert rows["blog"]["last_success"].endswith("+09:00")
    assert rows["blog"]["url"] == str(BLOG_FILE)  # the old key stays
    code, out, _ = invoke(config, "health")
    assert code == 1
    assert out.startswith("unhealthy: source broken is stale: 2 failed runs in a row")
    code, out, _ = invoke(config, "health", "--json")
    verdict = json.loads(out)
    assert code == 1
    assert verdict["healthy"] is False
    assert verdict["last_publish"]["ok"] is True
    # The metrics file, rewritten after each run.
    metrics = (tmp_path / "metrics.prom").read_text("utf-8")
    assert 'syndicate_source_up{source="blog"} 1' in metrics
    assert 'syndicate_source_stale{source="broken"} 1' in metrics
    assert 'syndicate_runs_total{source="broken",status="failed"} 2' in metrics
    assert 'syndicate_source_last_run_duration_seconds{source="blog"} ' in metrics
    assert 'syndicate_source_last_run_duration_seconds{source="broken"} ' in metrics
    assert "syndicate_healthy 0" in metrics
    # Read by Prometheus's own parser, every value is the one recorded, to the second:
    # times were written with six digits (1.79619e+09, up to 83 minutes off).
    samples = {
        (sample.name, sample.labels.get("source")): sample.value
        for family in text_string_to_metric_families(metrics)
        for sample in family.samples
    }
    success = datetime.fromisoformat(rows["blog"]["last_success"]).timestamp()
    assert samples["syndicate_source_last_success_timestamp_seconds", "blog"] == success
    with Store(tmp_path / "store.db") as store:
        published = json.loads(store.publish_value("last_publish") or "{}")
    at = datetime.fromisoformat(published["at"]).timestamp()
    assert samples["syndicate_last_publish_timestamp_seconds", None] == at
    assert samples["syndicate_source_items", "blog"] == 10
    # A disabled source does not count.
    config.write_text(
        config.read_text("utf-8").replace('schedule = "0 6', 'enabled = false\nschedule = "0 6')
    )
    assert invoke(config, "health")[0] == 0


def test_the_metrics_say_how_long_the_last_publish_took_and_what_it_wrote(
    config: Path, tmp_path: Path
) -> None:
    def published() -> dict[str, float]:
        metrics = (tmp_path / "metrics.prom").read_text("utf-8")
        return {
            sample.name.removeprefix("syndicate_last_publish_"): sample.value
            for family in text_string_to_metric_families(metrics)
            for sample in family.samples
            if sample.name.startswith("syndicate_last_publish_")
        }

    code, out, _ = invoke(config, "run", "--once")
    assert code == 1  # the broken source
    said = next(line for line in out.splitlines() if line.startswith("published to "))
    written = int(said.split(": ")[1].split(" written")[0])
    assert written > 10
    first = published()
    assert first["files_written"] == written
    assert 0 < first["duration_seconds"] < 60
    with Store(tmp_path / "store.db") as store:
        recorded = json.loads(store.publish_value("last_publish") or "{}")
    assert recorded["written"] == written
    assert recorded["seconds"] == first["duration_seconds"]
    _, out, _ = invoke(config, "health", "--json")
    assert json.loads(out)["last_publish"]["written"] == written
    # Nothing changed: the next run's publish writes nothing (and says how long it looked).
    invoke(config, "run", "--once")
    again = published()
    assert again["files_written"] == 0
    assert 0 <= again["duration_seconds"] < 60


def test_a_failed_publish_is_unhealthy_until_one_works(config: Path, tmp_path: Path) -> None:
    assert invoke(config, "fetch", "blog")[0] == 0
    (tmp_path / "public").write_text("a file where the folder goes")
    code, _, err = invoke(config, "publish")
    assert code in (2, 3)
    assert "error:" in err
    code, out, _ = invoke(config, "health")
    assert code == 1
    assert "unhealthy: the last publish failed:" in out
    _, out, _ = invoke(config, "health", "--json")
    failed = json.loads(out)["last_publish"]
    assert failed["ok"] is False
    assert failed["seconds"] >= 0  # how long it took to fail; it wrote no file
    assert "written" not in failed
    (tmp_path / "public").unlink()
    assert invoke(config, "publish")[0] == 0
    _, out, _ = invoke(config, "health", "--json")
    assert json.loads(out)["problems"] == []


def test_health_says_when_the_services_plan_is_overdue(config: Path, tmp_path: Path) -> None:
    # A service that died (or hangs) left its plan of next runs behind, and health said
    # all was well while nothing ran.
    assert invoke(config, "fetch", "blog")[0] == 0
    assert invoke(config, "publish")[0] == 0
    now = datetime.now(UTC)
    with Store(tmp_path / "store.db") as store, store.transaction():
        (state,) = [s for s in store.states().values() if s.source == "blog"]
        store.put_states([replace(state, last_attempt=now - timedelta(hours=5))])

    def plan(blog: datetime) -> None:
        with Store(tmp_path / "store.db") as store, store.transaction():
            store.set_publish_value(overview.PLAN_KEY, json.dumps({"blog": blog.isoformat()}))

    plan(now - timedelta(minutes=20))  # late, but within the hour a busy service may take
    _, out, _ = invoke(config, "health", "--json")
    assert json.loads(out)["problems"] == []
    plan(now - timedelta(hours=3))
    code, out, _ = invoke(config, "health")
    assert code == 1
    assert "unhealthy: source blog was due at" in out
    assert "is `syndicate run` still running?" in out
    assert invoke(config, "fetch", "blog")[0] == 0  # tried since it was due: all is well
    _, out, _ = invoke(config, "health", "--json")
    assert json.loads(out)["problems"] == []


def test_status_names_a_removed_source_whose_items_are_still_published(
    config: Path, tmp_path: Path
) -> None:
    # A source taken out of the settings kept its items in every feed, and nothing said so.
    assert invoke(config, "fetch", "blog")[0] == 0
    text = config.read_text("utf-8")
    start = text.index('[[sources]]\nid = "blog"')
    config.write_text(text[:start] + text[text.index("[[sources]]", start + 1) :], "utf-8")
    _, out, _ = invoke(config, "status")
    assert (
        "not in the settings: blog, 10 items stored and still published; "
        "`syndicate forget blog` removes them"
    ) in out
    _, out, _ = invoke(config, "health", "--json")
    assert json.loads(out)["unconfigured"] == {"blog": 10}
    assert invoke(config, "forget", "blog")[0] == 0
    _, out, _ = invoke(config, "health", "--json")
    assert json.loads(out)["unconfigured"] == {}


def test_status_says_what_a_sources_last_read_dropped(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """A source whose items all lack a link (a calendar without URLs) read as "ok" with
    0 items, and nothing said why. `status` names what its last read dropped, and keeps
    saying so while the source answers "not modified"."""
    feed = tmp_path / "links.rss"
    text = BLOG_FILE.read_text("utf-8")
    first = text.index("<link>", text.index("<item>"))
    unlinked = text[:first] + text[text.index("</link>", first) + 7 :]
    guid = unlinked.index("<guid", first)  # an address too: the item's page without a link
    unlinked = unlinked[:guid] + unlinked[unlinked.index("</guid>", guid) + 7 :]
    feed.write_text(unlinked, "utf-8")
    config = write_config(f'[[sources]]\nid = "blog"\nkind = "feed"\npath = "{feed}"\n')
    for _ in range(2):  # a read, then a run the unchanged file answers "not modified"
        assert invoke(config, "fetch")[0] == 0
        _, out, _ = invoke(config, "status")
        assert "dropped 1 item (no-link 1)" in out
    _, out, _ = invoke(config, "status", "--json")
    assert json.loads(out)[0]["dropped"] == {"no-link": 1}
    feed.write_text(text, "utf-8")  # mended: the next read drops nothing
    assert invoke(config, "fetch", "--force")[0] == 0
    _, out, _ = invoke(config, "status")
    assert "dropped" not in out


def test_forget_removes_items_from_the_store_and_the_feeds(config: Path, tmp_path: Path) -> None:
    assert invoke(config, "fetch", "blog")[0] == 0
    assert invoke(config, "publish")[0] == 0
    with Store(tmp_path / "store.db") as store:
        first = store.items("blog")[0]
    feed = tmp_path / "public" / "feeds" / "all.atom"
    assert first.item.title in feed.read_text("utf-8")
    code, out, _ = invoke(config, "forget", first.item.id, "--yes")
    assert code == 0, out
    assert "forgot 1 item;" in out
    assert invoke(config, "publish")[0] == 0
    assert first.item.title not in feed.read_text("utf-8")
    code, out, _ = invoke(config, "forget", "blog", "--yes")
    assert "forgot 9 items" in out
    code, out, _ = invoke(config, "status", "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["blog"]["items"] == 0
    assert rows["blog"]["status"] == "never run"  # it starts afresh
    assert invoke(config, "fetch", "blog")[0] == 0  # and comes back whole
    with Store(tmp_path / "store.db") as store:
        assert store.count_items()["blog"] == 10
    code, _, err = invoke(config, "forget", "nothing-like-this", "--yes")
    assert code == 2
    assert "neither a source id" in err
    # A mistyped item id forgot nothing, silently ("forgot 0 items"): it is refused, and
    # so are the ids beside it.
    with Store(tmp_path / "store.db") as store:
        kept = store.items("blog")[0].item.id
    code, _, err = invoke(config, "forget", kept, "blog:no-such-item", "--yes")
    assert code == 2
    assert "no stored item has the id blog:no-such-item" in err
    with Store(tmp_path / "store.db") as store:
        assert store.get_item(kept) is not None


@pytest.fixture
def probes(config: Path) -> Iterator[str]:
    app = App(config, 0)
    server = make_server(
        app.settings.site.output_dir,
        "127.0.0.1",
        0,
        "no-cache",
        probes={
            "/metrics": lambda _: _probe(app, "metrics"),
            "/healthz": lambda _: _probe(app, "health"),
        },
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_serve_answers_metrics_and_healthz_from_the_store(config: Path, probes: str) -> None:
    invoke(config, "run", "--once")
    healthy = requests.get(probes + "/healthz", timeout=5)
    assert (healthy.status_code, healthy.text) == (200, "ok\n")
    metrics = requests.get(probes + "/metrics", timeout=5)
    assert metrics.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    assert 'syndicate_source_items{source="blog"} 10' in metrics.text
    invoke(config, "run", "--once")  # the second failure in a row: stale
    sick = requests.get(probes + "/healthz", timeout=5)
    assert sick.status_code == 503
    assert "source broken is stale" in sick.text


def test_old_runs_are_pruned_but_each_sources_latest_stays(store: Store) -> None:
    now = datetime(2026, 11, 30, tzinfo=UTC)

    def run(source: str, days_ago: int) -> RunReport:
        when = now - timedelta(days=days_ago)
        return RunReport(source=source, started=when, finished=when, status="ok")

    with store.transaction():
        store.add_runs([run("a", days) for days in (200, 120, 100, 10, 1)])
        store.add_runs([run("b", 300)])  # b's only run is old, but its latest
    with store.transaction():
        assert store.prune_runs(now - timedelta(days=90)) == 3
    assert [r.started for r in store.runs("a")] == [
        now - timedelta(days=1),
        now - timedelta(days=10),
    ]
    assert len(store.runs("b")) == 1
    # The metrics' counter of runs keeps what was pruned: it went down from 6 to 3, which
    # Prometheus reads as a restart (rate() counted every run again).
    with store.transaction():
        store.add_runs([run("a", 0), replace(run("b", 0), status="failed")])
    totals, _ = store.run_totals()
    assert totals == {("a", "ok"): 6, ("b", "ok"): 1, ("b", "failed"): 1}


def test_quiet_works_after_the_command_too(config: Path) -> None:
    code, out, err = invoke(config, "fetch", "blog", "-q")
    assert (code, out, err) == (0, "", "")
    code, out, err = invoke(config, "run", "--once", "-q")
    assert code == 1
    assert out == ""
    assert err.startswith("failed: broken")


def test_backup_copies_the_store_while_it_is_in_use(config: Path, tmp_path: Path) -> None:
    assert invoke(config, "fetch", "blog")[0] == 0
    with Store(tmp_path / "store.db") as holder, holder.transaction():
        holder.set_publish_value("marker", "1")  # another connection is open meanwhile
        code, out, _ = invoke(config, "backup", str(tmp_path / "copy.db"))
    assert code == 0, out
    with Store(tmp_path / "copy.db") as copy:
        assert copy.count_items()["blog"] == 10
        assert copy.publish_value("marker") is None  # not committed when it was copied
    # Again to the same name: an earlier backup is replaced.
    assert invoke(config, "backup", str(tmp_path / "copy.db"))[0] == 0
    # A file that is no database is not: `backup syndicate.toml` replaced the settings.
    code, out, err = invoke(config, "backup", str(config))
    assert code != 0
    assert "is no SQLite database (another file, a device or a pipe)" in out + err
    assert config.read_text("utf-8").startswith("[")
    # A device or a pipe reads as an empty file: `backup /dev/null` run as root replaced
    # the machine's /dev/null with the copy. Here a pipe, and a device node when this
    # test may make one (root, as CI runs).
    others = [tmp_path / "pipe"]
    os.mkfifo(others[0])
    if os.geteuid() == 0:
        os.mknod(tmp_path / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        others.append(tmp_path / "null")
    for other in others:
        before = os.stat(other).st_mode
        code, out, err = invoke(config, "backup", str(other))
        assert code != 0
        assert "a device or a pipe" in out + err
        assert os.stat(other).st_mode == before


def test_a_backup_that_cannot_be_written_names_its_target_and_leaves_nothing(
    config: Path, tmp_path: Path
) -> None:
    assert invoke(config, "fetch", "blog")[0] == 0
    store = tmp_path / "store.db"
    before = store.read_bytes()
    # The error used to blame the store ("the store ... cannot be used").
    code, out, err = invoke(config, "backup", str(tmp_path / "missing" / "copy.db"))
    assert code != 0
    assert f"cannot write the backup {tmp_path / 'missing' / 'copy.db'}" in out + err
    assert "the store" not in out + err
    # The disk fills half-way through the copy (a file size limit stands in for it):
    # the error says so, and the partial copy goes with it.
    program = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from tdlc_syndication.pipeline.store import Store\n"
        "from tdlc_syndication.pipeline.errors import StoreError\n"
        "store = Store(sys.argv[1]); store.count_items()\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))\n"
        "try:\n"
        "    store.backup(Path(sys.argv[2]))\n"
        "except StoreError as exc:\n"
        "    print(exc)\n"
    )
    (tmp_path / "full").mkdir()
    full = subprocess.run(
        [sys.executable, "-c", program, str(store), str(tmp_path / "full" / "copy.db")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert full.returncode == 0, full.stderr
    assert "cannot write the backup" in full.stdout
    assert "disk I/O error" in full.stdout
    assert list((tmp_path / "full").iterdir()) == []
    # The store itself, under another spelling: refused, the store untouched.
    code, out, err = invoke(config, "backup", str(tmp_path / "." / "store.db"))
    assert code != 0
    assert "is the store itself" in out + err
    assert store.read_bytes() == before
    assert not list(tmp_path.glob("store.db.partial"))


def test_a_damaged_store_is_not_backed_up_over_a_good_backup(config: Path, tmp_path: Path) -> None:
    """SQLite's online backup copies pages as they are: a store with a damaged page was
    "backed up", over the last good backup when the operator writes to one name."""
    assert invoke(config, "fetch", "blog")[0] == 0
    good = tmp_path / "copy.db"
    assert invoke(config, "backup", str(good))[0] == 0
    kept = good.read_bytes()
    with (tmp_path / "store.db").open("r+b") as store:
        store.seek(4096)  # page 2 onwards; page 1 (the schema) still opens
        store.write(b"\xde\xad" * 3000)
    code, out, err = invoke(config, "backup", str(good))
    assert code == 2
    assert f"the store {tmp_path / 'store.db'} is damaged (" in out + err
    assert f"no backup was written and {good} was left as it was" in out + err
    assert good.read_bytes() == kept
    assert sorted(p.name for p in tmp_path.glob("copy.db*")) == ["copy.db"]


def test_publish_puts_back_a_wiped_output_folder(config: Path, tmp_path: Path) -> None:
    # The quick path (nothing changed since the last publish) used to say "0 written"
    # over an empty folder.
    assert invoke(config, "fetch", "blog")[0] == 0
    assert invoke(config, "publish")[0] == 0
    public = tmp_path / "public"
    before = {p: p.read_bytes() for p in public.rglob("*") if p.is_file()}
    shutil.rmtree(public)
    code, out, _ = invoke(config, "publish")
    assert code == 0
    assert f"{len(before)} written" in out
    assert {p: p.read_bytes() for p in public.rglob("*") if p.is_file()} == before
    assert "0 written, 0 unchanged" in invoke(config, "publish")[1]


def test_publish_refuses_settings_that_would_change_the_published_ids(
    config: Path, tmp_path: Path
) -> None:
    # A new base_url host (a move, a staging file) gave every entry a new id: readers
    # showed every item again as new, and nothing said so.
    assert invoke(config, "fetch", "blog")[0] == 0
    assert invoke(config, "publish")[0] == 0
    feed = tmp_path / "public" / "feeds" / "all.atom"
    published = feed.read_bytes()
    ids = _entry_ids(published)
    text = config.read_text("utf-8")
    config.write_text(text.replace("feeds.example.org", "news.example.net"), encoding="utf-8")
    code, _, err = invoke(config, "publish")
    assert code == 2  # nothing was done
    assert "tag:feeds.example.org,2026" in err
    assert "tag:news.example.net,2026" in err
    assert 'site.id_host = "feeds.example.org"' in err
    assert feed.read_bytes() == published  # nothing was written
    code, _, err = invoke(config, "run", "--once")
    assert code == 3  # fetched, then refused to publish
    assert "every reader would show every item again as new" in err
    # The move done right: the links follow the new address, the ids stay.
    kept = '[site]\nid_host = "feeds.example.org"\n'
    with_host = config.read_text("utf-8").replace("[site]\n", kept)
    config.write_text(with_host, encoding="utf-8")
    code, _, err = invoke(config, "publish")
    assert code == 0, err
    assert _entry_ids(feed.read_bytes()) == ids
    assert b"https://news.example.net/" in feed.read_bytes()
    # New ids on purpose.
    config.write_text(with_host.replace(kept, "[site]\n"), encoding="utf-8")
    code, _, err = invoke(config, "publish", "--new-ids")
    assert code == 0, err
    moved = _entry_ids(feed.read_bytes())
    assert all(i.startswith("tag:news.example.net,2026:") for i in moved)
    assert {i.replace("news.example.net", "feeds.example.org") for i in moved} == set(ids)
    assert invoke(config, "publish")[0] == 0  # the new ids are the published ones now


def test_a_site_published_before_the_ids_were_recorded_keeps_its_ids(
    config: Path, tmp_path: Path
) -> None:
    # A store from a version that did not record the ids: they are read from the
    # published main feed, so a new host in the same upgrade is refused too.
    assert invoke(config, "fetch", "blog")[0] == 0
    assert invoke(config, "publish")[0] == 0
    with Store(tmp_path / "store.db") as store, store.transaction():
        store.db.execute("DELETE FROM publish_state WHERE key = 'ids'")
    text = config.read_text("utf-8")
    config.write_text(text.replace("feeds.example.org", "news.example.net"), encoding="utf-8")
    code, _, err = invoke(config, "publish")
    assert code == 2
    assert "begin tag:feeds.example.org,2026" in err


def _entry_ids(feed: bytes) -> list[str]:
    return [e.text or "" for e in etree.fromstring(feed).iter("{http://www.w3.org/2005/Atom}id")]


def test_a_publish_with_nothing_to_do_loads_no_settings_model(config: Path) -> None:
    assert invoke(config, "fetch", "blog")[0] == 0
    assert invoke(config, "publish")[0] == 0  # in full: it records the files it read
    command = ["-X", "importtime", "-m", "tdlc_syndication.pipeline", "--config", str(config)]
    proc = subprocess.run(
        [sys.executable, *command, "publish"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "0 written, 0 unchanged" in proc.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()}
    assert "tdlc_syndication.pipeline.quick" in imported
    assert not {"pydantic", "jinja2", "lxml", "requests"} & imported
    _, out, _ = invoke(config, "health", "--json")
    assert json.loads(out)["problems"] == []


def test_a_run_that_changed_nothing_publishes_without_the_publishing_code(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    blog = tmp_path / "blog.rss"
    blog.write_bytes(BLOG_FILE.read_bytes())
    config = write_config(f'[[sources]]\nid = "blog"\nkind = "feed"\npath = "{blog}"\n')
    assert invoke(config, "run", "--once")[0] == 0  # publishes in full, records its inputs
    compiled = (  # how many of the month names' patterns the run compiled
        "from tdlc_syndication.pipeline import locales\n"
        "atexit.register(lambda: print('compiled', locales._all_read.cache_info().currsize"
        " + locales._latin_read.cache_info().currsize, file=sys.stderr))\n"
    )
    proc, imported = console_run(config, "run", "--once", at_exit=compiled)  # a second run
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "0 written, 0 unchanged" in proc.stdout
    assert not {"tdlc_syndication.pipeline.publish", "jinja2"} & imported
    # nor the parsers: a feed that did not change is not read (lxml loads with the first
    # document parsed, the month names' patterns with the first date read)
    assert not {"lxml", "feedparser", "tdlc_syndication.sources.fastfeed"} & imported
    # nor the code that prepares documents (the cleaner, the taxonomy's phrases)
    preparing = {"tdlc_syndication.pipeline.prepare", "tdlc_syndication.pipeline.classify"}
    assert not preparing & imported
    # nor validates or dumps a settings model: the snapshot is the one the cache holds
    assert "pydantic.plugin._loader" not in imported
    assert "compiled 0" in proc.stderr
    # An item that changes at its origin makes the next run publish it.
    with Store(tmp_path / "store.db") as store:
        title = store.items("blog")[0].item.title
    blog.write_text(blog.read_text("utf-8").replace(title, "Retitled at the origin"), "utf-8")
    assert "0 written" not in invoke(config, "run", "--once")[1]
    assert "Retitled at the origin" in (tmp_path / "public" / "feeds" / "all.atom").read_text()


def test_a_publish_after_any_change_of_its_inputs_runs_in_full(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    overrides = tmp_path / "overrides.toml"
    overrides.write_text("", encoding="utf-8")
    config = write_config(
        f'[[sources]]\nid = "blog"\nkind = "feed"\npath = "{BLOG_FILE}"\n',
        extra=f'[editorial]\noverrides = "{overrides}"\n',
    )
    feed = tmp_path / "public" / "feeds" / "all.atom"
    assert invoke(config, "fetch", "blog")[0] == 0
    assert invoke(config, "publish")[0] == 0
    with Store(tmp_path / "store.db") as store:
        first = store.items("blog")[0].item
    assert "0 written" in invoke(config, "publish")[1]
    # The overrides file changes: the item's new title is published.
    overrides.write_text(f'[[items]]\nid = "{first.id}"\ntitle = "Retitled"\n', encoding="utf-8")
    assert "0 written" not in invoke(config, "publish")[1]
    assert "Retitled" in feed.read_text("utf-8")
    # The settings file changes: the feeds are rendered again.
    config.write_text(config.read_text("utf-8").replace('title = "', 'title = "New '), "utf-8")
    assert "0 written" not in invoke(config, "publish")[1]
    assert "<title>New " in feed.read_text("utf-8")
    # An item changes in the store: it leaves the feeds.
    assert "0 written" in invoke(config, "publish")[1]
    assert invoke(config, "forget", first.id, "--yes")[0] == 0
    assert "0 written" not in invoke(config, "publish")[1]
    assert "Retitled" not in feed.read_text("utf-8")


def test_the_settings_snapshot_serves_only_the_same_bytes_of_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    text = b'[site]\ntitle = "Kobe \xe7\xa5\x9e\xe6\x88\xb8"\n'
    first.write_bytes(text)
    second.write_bytes(text)
    snapshot = {"version": SNAPSHOT_VERSION, "sources": [{"id": "blog"}]}
    cache_of = {
        path: tmp_path / "cache" / "tdlc-syndication" / overview.cache_name(str(path.resolve()))
        for path in (first, second)
    }
    save_snapshot(first, snapshot)
    assert cached_snapshot(first) == snapshot
    assert cache_of[first].stat().st_mode & 0o777 == 0o600  # the user's own
    assert cache_of[first].parent.stat().st_mode & 0o777 == 0o700  # and its folder
    assert cached_snapshot(second) is None  # the same bytes, another file
    first.write_bytes(text.replace(b"Kobe", b"Kebo"))  # the same size, one edit
    assert cached_snapshot(first) is None
    first.write_bytes(text.replace(b"\n", b"\r\n"))  # line ends are bytes too
    assert cached_snapshot(first) is None
    first.write_bytes(text)
    assert cached_snapshot(first) == snapshot
    # Another file whose place gets the same short name finds a snapshot not its own.
    cache_of[second].write_bytes(cache_of[first].read_bytes())
    assert cached_snapshot(second) is None
    first.unlink()
    assert cached_snapshot(first) is None


def test_a_snapshot_taken_by_other_settings_models_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_config: Callable[..., Path]
) -> None:
    """After an upgrade whose settings models are stricter, a file the old version passed
    (and kept a snapshot of) may not pass: ``database = "/"`` took the store's lock from
    the old snapshot and ended ``publish`` with a traceback before the settings were read.
    A snapshot is now used only under the settings models that took it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    config = write_config()
    config.write_text(
        config.read_text("utf-8").replace(
            f'database = "{tmp_path / "store.db"}"', 'database = "/"'
        ),
        encoding="utf-8",
    )
    snapshot = {"version": SNAPSHOT_VERSION, "database": "/", "output_dir": "public"}
    save_snapshot(config, snapshot)  # as an older version did, when "/" passed
    assert cached_snapshot(config) == snapshot
    kept = tmp_path / "cache" / "tdlc-syndication" / overview.cache_name(str(config.resolve()))
    older = json.loads(kept.read_text("utf-8"))
    older["code"] = [["models.py", 1, 1]]  # other settings models
    kept.write_text(json.dumps(older), encoding="utf-8")
    assert cached_snapshot(config) is None
    code, out, err = invoke(config, "publish")
    assert code == 2, out + err
    assert "site.database: '/' is a folder; give the path of a file in it" in err
