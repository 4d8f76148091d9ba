"""Real feed readers (Debian's newsboat and rss2email; `.ci/system-packages` installs
them) import the default OPML: every feed has items, and each item arrives once."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from tests_support import serving

from tdlc_syndication.pipeline.cli import cli

pytestmark = pytest.mark.slow  # two real programs fetching over loopback


@pytest.fixture
def served(demo_config: Path, tmp_path: Path) -> Iterator[tuple[str, Path, int]]:
    """The embedded default published under its loopback address; (url, public, items)."""
    public = tmp_path / "public"
    public.mkdir()
    with serving(public, "no-cache") as url:
        text = demo_config.read_text("utf-8")
        start = text.index("base_url = ")
        end = text.index("\n", start)
        demo_config.write_text(text[:start] + f'base_url = "{url}/"' + text[end:], "utf-8")
        result = CliRunner().invoke(cli, ["--config", str(demo_config), "run", "--once"])
        assert result.exit_code == 0, result.output
        total = len(etree.parse(str(public / "feeds" / "all.atom")).getroot().findall(
            "{http://www.w3.org/2005/Atom}entry"
        ))  # fmt: skip
        yield url, public, total


def test_newsboat_shows_every_imported_feed_with_items(
    served: tuple[str, Path, int], tmp_path: Path
) -> None:
    _, public, total = served
    home = tmp_path / "newsboat"
    home.mkdir()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "TERM": "dumb"}
    urls, cache = home / "urls", home / "cache.db"
    urls.touch()
    subprocess.run(
        ["newsboat", "-i", str(public / "feeds.opml"), "-u", str(urls), "-c", str(cache)],
        env=env, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    imported = [line for line in urls.read_text().splitlines() if line.startswith("http")]
    assert len(imported) >= 5
    subprocess.run(
        ["newsboat", "-u", str(urls), "-c", str(cache), "-x", "reload"],
        env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    with sqlite3.connect(cache) as db:
        per_feed = dict(db.execute("SELECT feedurl, COUNT(*) FROM rss_item GROUP BY feedurl"))
    feeds = [line.split()[0] for line in imported]
    assert all(per_feed.get(feed, 0) > 0 for feed in feeds), per_feed
    assert sum(per_feed.values()) == total  # every item, once


def test_rss2email_sends_one_mail_per_item(served: tuple[str, Path, int], tmp_path: Path) -> None:
    _, public, total = served
    home = tmp_path / "r2e"
    mail = home / "mail"
    mail.mkdir(parents=True)
    config = home / "r2e.cfg"
    config.write_text(
        "[DEFAULT]\nto = reader@example.invalid\nemail-protocol = maildir\n"
        f"maildir-path = {mail}\nmaildir-mailbox = INBOX\ndate-header = True\n",
        encoding="utf-8",
    )
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    base = ["r2e", "-c", str(config), "-d", str(home / "r2e.json")]
    subprocess.run([*base, "new", "reader@example.invalid"], env=env, check=False,
                   capture_output=True, timeout=60)  # fmt: skip
    subprocess.run([*base, "opmlimport", str(public / "feeds.opml")], env=env, check=True,
                   capture_output=True, timeout=60)  # fmt: skip
    run = subprocess.run([*base, "run"], env=env, check=False, capture_output=True, text=True,
                         timeout=300)  # fmt: skip
    assert "ERROR" not in run.stderr, run.stderr
    mails = [p for p in (mail / "INBOX").rglob("*") if p.is_file()]
    assert len(mails) == total, run.stderr[-2000:]
