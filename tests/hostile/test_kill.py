"""``kill -9`` at random points of fetch, store and publish: after each, the store is
intact, every published file parses, and after one clean run nothing is missing against
a run that was never killed.

CI kills KILL_ROUNDS runs (default 10); set it higher for a longer hunt."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

ROUNDS = int(os.environ.get("KILL_ROUNDS", "10"))
SOURCES = 12


def write_feeds(folder: Path, round_number: int) -> None:
    """Every feed grows by three items a round (the old ones stay)."""
    folder.mkdir(exist_ok=True)
    for s in range(SOURCES):
        items = "".join(
            f"<item><title>Source {s} note {n}: compact city practice</title>"
            f"<link>https://kill{s}.example.org/{n}</link><guid>k{s}-{n}</guid>"
            f"<pubDate>Mon, 02 Nov 2026 {n % 24:02d}:{s:02d}:00 +0000</pubDate>"
            f"<description>{'Knowledge from partner cities. ' * 40}</description></item>"
            for n in range(3 * (round_number + 1))
        )
        (folder / f"s{s}.rss").write_text(
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Kill {s}</title><link>https://kill{s}.example.org/</link>"
            f"<description>d</description>{items}</channel></rss>",
            encoding="utf-8",
        )


def config_for(root: Path, feeds: Path, write_config: Callable[..., Path]) -> Path:
    return write_config(
        "".join(
            f'[[sources]]\nid = "s{s}"\nkind = "feed"\npath = "{feeds / f"s{s}.rss"}"\n'
            for s in range(SOURCES)
        ),
        extra='[archives]\nformats = ["atom", "rss", "json"]\n',
    )


def run_once(config: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "tdlc_syndication.pipeline", "--config", str(config), "-q",
             "run", "--once", "--wait", "30"],
            env=env,
            stdout=out,
            stderr=out,
        )  # fmt: skip


def check_intact(root: Path) -> None:
    with sqlite3.connect(root / "store.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    public = root / "public"
    if not public.exists():
        return
    for path in public.rglob("*"):
        if not path.is_file() or path.name.startswith("."):
            continue
        data = path.read_bytes()
        if path.suffix in (".atom", ".rss", ".opml"):
            etree.fromstring(data)
        elif path.suffix == ".json":
            json.loads(data)


def ids_in(database: Path) -> set[str]:
    with sqlite3.connect(database) as db:
        return {row[0] for row in db.execute("SELECT id FROM items")}


@pytest.mark.slow
def test_kill_9_at_random_points_loses_nothing(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    rng = random.Random(int(os.environ.get("KILL_SEED", "2026")))
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    feeds = tmp_path / "feeds"
    write_feeds(feeds, 0)
    config = config_for(tmp_path, feeds, write_config)
    # How long a whole run takes here: kills fall anywhere inside it.
    log = tmp_path / "runs.log"
    started = time.monotonic()
    first = run_once(config, env, log)
    assert first.wait(timeout=120) == 0, log.read_text()
    span = time.monotonic() - started
    for round_number in range(1, ROUNDS + 1):
        write_feeds(feeds, round_number)
        proc = run_once(config, env, log)
        time.sleep(rng.uniform(0.05, span * 1.2))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        check_intact(tmp_path)
    final = run_once(config, env, log)
    assert final.wait(timeout=120) == 0, log.read_text()
    check_intact(tmp_path)
    assert list((tmp_path / "public").rglob(".*.tmp")) == []
    assert "Traceback" not in log.read_text()
    # A store that was never killed, from the same final feeds.
    clean = tmp_path / "clean"
    clean.mkdir()
    clean_config = clean / "syndicate.toml"
    clean_config.write_text(
        config.read_text("utf-8")
        .replace(str(tmp_path / "store.db"), str(clean / "store.db"))
        .replace(str(tmp_path / "public"), str(clean / "public")),
        encoding="utf-8",
    )
    reference = run_once(clean_config, env, log)
    assert reference.wait(timeout=120) == 0
    assert ids_in(tmp_path / "store.db") == ids_in(clean / "store.db")
    # The newest entries agree (older ones sit on pages shaped by each store's history).
    assert newest(tmp_path) == newest(clean)


def newest(root: Path) -> list[str | None]:
    feed = etree.parse(str(root / "public" / "feeds" / "all.atom")).getroot()
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    return [e.findtext("{http://www.w3.org/2005/Atom}id") for e in entries[:50]]


def _session(sid: int) -> list[int]:
    """The processes of a session (a killed run's children keep its session)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL])
def test_a_stopped_run_leaves_no_process_behind(
    tmp_path: Path, write_config: Callable[..., Path], stop: signal.Signals
) -> None:
    # cron's `timeout`, systemd and `docker stop` send SIGTERM; the out-of-memory killer
    # sends SIGKILL. Either way the run died and left its worker processes, their fork
    # server and the resource tracker running for good (they held its output pipes too).
    # SIGTERM now stops it as Ctrl-C does; after SIGKILL the workers end with it.
    feeds = tmp_path / "feeds"
    write_feeds(feeds, 30)  # 93 items a feed: the worker processes are busy when it comes
    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen()  # takes the connection, never answers: a request stays in flight
    many = "".join(
        f'[[sources]]\nid = "f{n}"\nkind = "feed"\npath = "{feeds / f"s{n % SOURCES}.rss"}"\n'
        for n in range(48)
    )
    slow = (
        f'[[sources]]\nid = "slow"\nkind = "feed"\nallow_private = true\n'
        f'url = "http://127.0.0.1:{hung.getsockname()[1]}/feed.rss"\n'
    )
    config = write_config(slow + many, extra="[run]\nprocesses = 2\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    log = tmp_path / "run.log"
    with log.open("wb") as out:  # a file: a process left behind would hold a pipe open
        proc = subprocess.Popen(
            [sys.executable, "-m", "tdlc_syndication.pipeline", "--config", str(config),
             "run", "--once"],
            stdout=subprocess.DEVNULL, stderr=out, env=env, start_new_session=True,
        )  # fmt: skip
    try:
        give_up = time.monotonic() + 60
        while len(_session(proc.pid)) < 3:  # the run, its fork server and a worker at least
            assert proc.poll() is None, log.read_text("utf-8")
            assert time.monotonic() < give_up, "no worker process started"
            time.sleep(0.05)
        proc.send_signal(stop)
        began = time.monotonic()
        proc.wait(timeout=30)
        stopped_in = time.monotonic() - began
    finally:
        hung.close()
        if proc.poll() is None:
            proc.kill()
    left = time.monotonic() + 5
    while _session(proc.pid) and time.monotonic() < left:
        time.sleep(0.1)
    leftover = _session(proc.pid)
    for pid in leftover:
        os.kill(pid, signal.SIGKILL)
    assert leftover == []
    if stop == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
        return
    err = log.read_bytes()
    assert proc.returncode == 128 + signal.SIGTERM
    assert b"Traceback" not in err
    assert err.strip().splitlines()[-1].startswith(b"error: terminated (SIGTERM)")
    assert stopped_in < 10  # not the hung request's 30 s read timeout
