"""The syndicate command line, driven through click's runner and as a real process."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests_support import BLOG, add_bulk, console_run

from tdlc_syndication.config.loader import DEMO_CONFIG
from tdlc_syndication.outputs import formats
from tdlc_syndication.pipeline import store as store_module
from tdlc_syndication.pipeline.cli import all_commands, cli
from tdlc_syndication.pipeline.cli.app import COMMAND_MODULES
from tdlc_syndication.pipeline.logs import configure
from tdlc_syndication.pipeline.model import StoredItem
from tdlc_syndication.pipeline.store import Store

DEMO_FEEDS = DEMO_CONFIG.parent / "demo" / "feeds"


@pytest.fixture
def config(tmp_path: Path, write_config: Callable[..., Path]) -> Path:
    return write_config(
        f'[[sources]]\nid = "blog"\nkind = "feed"\npath = "{DEMO_FEEDS / "tdlc-blog.rss"}"\n'
        f'[[sources]]\nid = "videos"\nkind = "feed"\npath = "{DEMO_FEEDS / "tdlc-videos.atom"}"\n'
    )


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_every_command_has_help() -> None:
    for command in ("check", "fetch", "publish", "run", "status", "items"):
        code, out, _ = invoke(command, "--help")
        assert code == 0
        summary = (all_commands()[command].help or "").splitlines()[0]
        assert summary
        assert summary in out


def test_the_command_table_names_each_command_and_the_module_defining_it() -> None:
    defined = {
        name: command.callback.__module__.rsplit(".", 1)[-1]
        for name, command in all_commands().items()
        if command.callback is not None
    }
    assert defined == COMMAND_MODULES


def test_help_loads_no_settings_code(config: Path) -> None:
    """``--help`` names every command, and loads each command's module for its help: one
    of them (``discover``'s) imported the settings models, and with them pydantic, at its
    top, and ``syndicate --help`` took 0.17-0.19 s where it took 0.04 s (the issue asks
    for under 0.15 s)."""
    proc, imported = console_run(config, "--help")
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "discover" in proc.stdout
    others = {f"tdlc_syndication.pipeline.cli.{m}" for m in set(COMMAND_MODULES.values())}
    assert others <= imported  # each command's module is read for its help
    assert not {"pydantic", "tdlc_syndication.config.base"} & imported


def test_status_imports_only_its_own_command_module(config: Path, tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    first, _ = console_run(config, "status", env=env)
    assert first.returncode == 0  # loads the settings and keeps a snapshot of them
    second, imported = console_run(config, "status", env=env)
    assert second.returncode == 0, second.stderr[-500:]
    assert "blog" in second.stdout
    assert "tdlc_syndication.pipeline.cli.operate" in imported
    others = {f"tdlc_syndication.pipeline.cli.{m}" for m in set(COMMAND_MODULES.values())}
    assert not (others - {"tdlc_syndication.pipeline.cli.operate"}) & imported
    assert not {"pydantic", "tempfile", "tdlc_syndication.pipeline.lock"} & imported
    # nor what only fetching needs (hashing bodies, robots.txt)
    assert not {"hashlib", "tdlc_syndication.pipeline.robots"} & imported
    # the bookkeeping tables only: neither the item model nor the item store
    assert "tdlc_syndication.pipeline.records" in imported
    assert not {"tdlc_syndication.pipeline.model", "tdlc_syndication.pipeline.store"} & imported


def test_the_command_line_leaves_its_objects_to_the_exit_uncollected() -> None:
    """main() freezes what is left when a command ends, so the interpreter's shutdown
    collections skip it (a short command's exit is 10-20 ms faster)."""
    program = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count(), file=sys.stderr))\n"
        "sys.argv = ['syndicate', '--help']\n"
        "from tdlc_syndication.pipeline.cli import main\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "Usage: syndicate" in proc.stdout
    frozen = int(proc.stderr.split("frozen")[-1].split()[0])
    assert frozen > 1000  # the loaded modules' objects, at least


def test_check_lists_sources(config: Path) -> None:
    code, out, _ = invoke("--config", str(config), "check")
    assert code == 0
    assert "blog" in out
    assert "videos" in out
    assert "configuration OK" in out


def test_broken_config_exits_2_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text(
        '[site]\ntitle = "t"\nbase_url = "https://x/"\nttl = "soon"\n'
        '[[sources]]\nid = "a"\nkind = "feed"\nurl = "https://x/f"\nfoo = 1\n'
        '[[sources]]\nid = "a"\nkind = "feed"\nurl = "https://x/g"\n',
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "tdlc_syndication.pipeline", "--config", str(bad), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith(str(bad))]
    assert len(lines) == 3
    assert any("site.ttl" in line for line in lines)
    assert any(".foo: unknown key" in line for line in lines)
    assert any("duplicate id 'a'" in line for line in lines)


def test_fetch_status_items_publish(config: Path, tmp_path: Path) -> None:
    code, out, _ = invoke("--config", str(config), "fetch", "blog")
    assert code == 0, out
    # the summary is plain text, as status prints it: a header, then one row per source
    lines = out.splitlines()
    start = lines.index("fetch summary")
    assert lines[start + 1] == "source  status  new  changed  unchanged  dropped  detail"
    assert lines[start + 2].split() == ["blog", "ok", "10", "0", "0", "0"]
    code, out, _ = invoke("--config", str(config), "status", "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["blog"]["items"] == 10
    assert rows["blog"]["status"] == "ok"
    assert rows["blog"]["last_success"] is not None
    assert rows["videos"]["status"] == "never run"
    code, out, _ = invoke(
        "--config", str(config), "items", "--source", "blog", "--limit", "3", "--json"
    )
    items = json.loads(out)
    assert len(items) == 3
    expected = {
        "id", "source", "kind", "title", "url", "summary", "content_html", "authors",
        "published", "published_precision", "updated", "language", "topics", "places",
        "categories", "identifiers", "media", "thumbnail", "event", "extra", "first_seen",
        "last_seen", "retracted", "override",
        "last_changed", "sort_date", "content_hash", "duplicate_of", "also_seen_at",
    }  # fmt: skip
    assert set(items[0]) == expected
    code, out, _ = invoke("--config", str(config), "publish")
    assert code == 0
    assert "written" in out
    assert (tmp_path / "public" / "feeds" / "all.rss").is_file()


def test_fetch_unknown_source_is_a_usage_error(config: Path) -> None:
    code, _, err = invoke("--config", str(config), "fetch", "nope")
    assert code == 2
    assert "unknown source nope" in err


def test_failed_source_exits_1(tmp_path: Path, write_config: Callable[..., Path]) -> None:
    path = write_config(
        f'[[sources]]\nid = "gone"\nkind = "feed"\npath = "{tmp_path / "missing.xml"}"\n'
        f'[[sources]]\nid = "ok"\nkind = "feed"\npath = "{DEMO_FEEDS / "tdlc-blog.rss"}"\n'
    )
    code, _, err = invoke("--config", str(path), "run", "--once")
    assert code == 1
    assert "failed: gone" in err
    assert "fetched ok: ok; 10 new, 0 changed, 0 unchanged" in err  # plain lines off a terminal
    assert (tmp_path / "public" / "index.html").is_file()


def test_lint_command(config: Path, tmp_path: Path) -> None:
    assert invoke("--config", str(config), "lint")[0] == 1  # nothing published yet
    assert invoke("--config", str(config), "run", "--once")[0] == 0
    code, out, _ = invoke("--config", str(config), "lint")
    assert code == 0
    assert "0 problems" in out
    feed = tmp_path / "public" / "feeds" / "all.rss"
    feed.write_bytes(
        feed.read_bytes().replace(b"<language>en</language>", b"<language>??</language>")
    )
    code, _, err = invoke("--config", str(config), "lint")
    assert code == 1
    assert "feeds/all.rss: channel language '??' is not a language code" in err


def test_lint_reads_each_feed_as_it_checks_it(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One feed file in memory at a time: reading them all first took 300 MB for the
    6,000 archive pages of a 300,000-item site."""
    assert invoke("--config", str(config), "run", "--once")[0] == 0
    steps: list[str] = []
    read, check = Path.read_bytes, formats.lint_document

    def reading(path: Path) -> bytes:
        steps.append("read")
        return read(path)

    def checking(*args: Any) -> list[str]:
        steps.append("lint")
        return check(*args)

    monkeypatch.setattr(Path, "read_bytes", reading)
    monkeypatch.setattr(formats, "lint_document", checking)
    code, out, _ = invoke("--config", str(config), "lint")
    assert code == 0, out
    linted = steps.count("lint")
    assert linted > 10
    assert steps[: 2 * linted] == ["read", "lint"] * linted


def test_lint_says_so_when_a_feed_goes_while_it_reads(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A publish may remove a feed file (an archive page that stopped being full) after
    lint listed it: one line that says what to do, not a traceback."""
    assert invoke("--config", str(config), "run", "--once")[0] == 0
    check = formats.lint_document
    gone = tmp_path / "public" / "feeds" / "all.rss"

    def removing(*args: Any) -> list[str]:
        gone.unlink(missing_ok=True)
        return check(*args)

    monkeypatch.setattr(formats, "lint_document", removing)
    code, _, err = invoke("--config", str(config), "lint")
    assert code == 1
    assert f"cannot read {gone}: No such file or directory" in err
    assert "run lint again" in err
    assert "Traceback" not in err


def test_items_reads_the_store_only_as_far_as_it_lists(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``items --limit 5`` read and held every stored item first (530 MB and 6.7 s for a
    store of 300,000); it reads newest first, a chunk at a time, until it has five."""
    with Store(tmp_path / "store.db") as store:
        add_bulk(store, range(300))
    decoded: list[str] = []
    real = store_module._stored

    def decoding(row: sqlite3.Row) -> StoredItem:
        decoded.append(row["id"])
        return real(row)

    monkeypatch.setattr(store_module, "_stored", decoding)
    code, out, _ = invoke("--config", str(config), "items", "--limit", "5", "--ids")
    assert code == 0
    assert out.split() == [f"bulk:{n}" for n in range(299, 294, -1)]
    assert len(decoded) <= 200  # the first chunk, of 300 items
    decoded.clear()
    code, out, _ = invoke("--config", str(config), "items", "--limit", "5", "--search", "nowhere")
    assert (code, out.split()[:1]) == (0, ["date"])  # none found: the table's head alone
    assert len(decoded) == 300  # every item looked at, a chunk at a time


def _syndicate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tdlc_syndication.pipeline", *args],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("damage", ["dropped table", "truncated file", "not a database"])
def test_a_damaged_store_is_one_clear_line_and_exit_2(
    config: Path, tmp_path: Path, damage: str
) -> None:
    assert invoke("--config", str(config), "fetch", "blog")[0] == 0
    database = tmp_path / "store.db"
    if damage == "dropped table":
        with sqlite3.connect(database) as db:
            db.execute("DROP TABLE source_state")
    else:
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        data = database.read_bytes()
        database.write_bytes(data[:1000] if damage == "truncated file" else b"junk" * 500)
    for command in ("status", "items", "publish", "fetch"):
        proc = _syndicate("--config", str(config), command)
        assert proc.returncode == 2, (command, proc.stderr)
        assert "Traceback" not in proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, (command, lines)
        assert lines[0].startswith("error: ")
        assert str(database) in lines[0]
        assert "damaged" in lines[0] or "backup" in lines[0]


def test_verbose_logs_the_pipeline_decisions_and_not_the_libraries(config: Path) -> None:
    proc = _syndicate("--config", str(config), "-vv", "fetch", "blog")
    assert proc.returncode == 0
    assert " DEBUG [blog] new " in proc.stderr  # a decision, tagged with its source
    assert "urllib3" not in proc.stderr
    assert "markdown_it" not in proc.stderr
    quiet = _syndicate("--config", str(config), "-q", "fetch", "blog")
    assert quiet.returncode == 0
    assert quiet.stdout == ""
    assert quiet.stderr == ""
    as_json = _syndicate("--config", str(config), "-v", "--log-format", "json", "fetch", "videos")
    records = [json.loads(line) for line in as_json.stderr.splitlines() if line.startswith("{")]
    assert all({"time", "level", "source", "message"} <= set(r) for r in records)


@pytest.mark.parametrize(("verbosity", "shown"), [(-1, False), (0, True)])
def test_a_librarys_warning_is_a_log_line_that_quiet_hides(verbosity: int, shown: bool) -> None:
    """A library's Python warning (icalendar's, reading a calendar by a guess) went to
    standard error bare, at every run of ``run --once -q``, which is to print errors only:
    cron mailed it. It is a log line now, shown as a warning, and not with ``-q``."""
    stream = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        configure(verbosity, stream=stream)
        warnings.warn("a zone read by a guess", UserWarning, stacklevel=1)
    logged = stream.getvalue()
    assert ("WARNING" in logged and "a zone read by a guess" in logged) is shown
    assert shown or logged == ""


def test_items_table_and_explanation(config: Path) -> None:
    assert invoke("--config", str(config), "fetch")[0] == 0
    runner = CliRunner(env={"COLUMNS": "300"})
    table = runner.invoke(cli, ["--config", str(config), "items", "--limit", "50"])
    assert table.exit_code == 0
    assert "cpp-blog" not in table.stdout  # the fixture's ids start with blog: and videos:
    assert "blog:" in table.stdout
    assert "videos:" in table.stdout
    item_id = next(
        word for line in table.stdout.splitlines() for word in line.split() if "blog:" in word
    )
    explained = runner.invoke(cli, ["--config", str(config), "items", "--explain", item_id])
    assert explained.exit_code == 0
    assert "kind" in explained.stdout
    assert "default of source" in explained.stdout or "mentions" in explained.stdout
    missing = runner.invoke(cli, ["--config", str(config), "items", "--explain", "nope:1"])
    assert missing.exit_code == 2
    assert "no item 'nope:1'" in missing.stderr
    unknown = runner.invoke(cli, ["--config", str(config), "items", "--source", "nope"])
    assert unknown.exit_code == 2


def test_check_warns_about_settings_that_would_not_do_what_they_seem(
    write_config: Callable[..., Path],
) -> None:
    config = write_config(
        '[[sources]]\nid = "list"\nkind = "html"\nurl = "https://city.example.org/news/"\n'
        'item_selector = "li"\ntitle_selector = "a"\nlink_selector = "a@href"\n'
        'next_selector = "a.next"\ncontent_selector = "div.body"\n'
        '[[sources]]\nid = "wds"\nkind = "worldbank_documents"\nqterms = ["TDLC"]\n'
    )
    code, out, _ = invoke("--config", str(config), "check")
    assert code == 0  # warnings, not errors
    assert "warning: sources.0 (id 'list').next_selector: it is set, but max_pages is 1" in out
    assert (
        "warning: sources.0 (id 'list').content_selector: it is set, but follow is off, so "
        "no item's page is read; set follow = true to read each item's page"
    ) in out
    assert "follow_limit" not in out  # not set
    assert (
        "warning: sources.1 (id 'wds').kinds: this source can give items of kind agenda, "
        "brief, presentation, project_doc, working_paper, which [taxonomy.kinds] lacks"
    ) in out
    assert "configuration OK" in out


def test_try_shows_a_disabled_source_and_stores_nothing(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    feed = tmp_path / "blog.rss"
    feed.write_text(BLOG, encoding="utf-8")
    config = write_config(
        f'[[sources]]\nid = "blog"\nkind = "feed"\npath = "{feed}"\nenabled = false\n'
        '[[sources]]\nid = "gone"\nkind = "feed"\npath = "missing.rss"\n'
    )
    code, out, _ = invoke("--config", str(config), "try", "blog")
    assert code == 0
    assert "blog: 10 items (nothing was stored)" in out
    # A plain table whose last column, the id, is never cut (the drawn one cut long ids).
    lines = out.splitlines()
    assert lines[1].split() == ["published", "kind", "title", "topics", "/", "places", "id"]
    ids = json.loads(invoke("--config", str(config), "try", "blog", "--json")[1])
    assert [line.rsplit(" ", 1)[-1] for line in lines[2:12]] == [i["id"] for i in ids]
    assert not (tmp_path / "store.db").exists()
    code, out, _ = invoke("--config", str(config), "try", "blog", "--json")
    assert code == 0
    assert len(json.loads(out)) == 10
    code, _, err = invoke("--config", str(config), "try", "gone")
    assert code == 1
    assert "gone: failed" in err
    assert not (tmp_path / "store.db").exists()
    # --limit -1 showed all the items but the last.
    code, _, err = invoke("--config", str(config), "try", "blog", "--limit", "-1")
    assert code == 2
    assert "Invalid value for '--limit': -1 is not in the range x>=0" in err
    code, out, _ = invoke("--config", str(config), "try", "blog", "--limit", "2")
    assert len(out.splitlines()) == 4  # the count, the header and two items


def test_a_store_whose_lock_cannot_be_made_is_one_clear_line_and_exit_2(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    # The store's folder is in the way (a file of that name): taking the lock raised, and
    # the commands that take it printed a traceback.
    (tmp_path / "state").write_text("not a folder", encoding="utf-8")
    config = write_config()
    config.write_text(
        config.read_text("utf-8").replace(
            str(tmp_path / "store.db"), str(tmp_path / "state" / "store.db")
        ),
        encoding="utf-8",
    )
    for command in (["run", "--once"], ["fetch"], ["publish"]):
        proc = _syndicate("--config", str(config), *command)
        assert proc.returncode == 2, (command, proc.stderr)
        assert "Traceback" not in proc.stderr
        lock = tmp_path / "state" / "store.db.lock"
        assert proc.stderr.strip().splitlines() == [
            f"error: cannot take the store's lock {lock}: [Errno 17] File exists: "
            f"'{tmp_path / 'state'}'"
        ]
