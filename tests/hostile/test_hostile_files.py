"""Hostile files and a hostile store: caps on every decompression and accumulation, deep
nesting, an empty store over live feeds, and leftovers of a killed publish."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable
from pathlib import Path

import requests
from pytest_httpserver import HTTPServer
from tests_support import BLOG, MakeContext, feed_file_source, invoke, run_one, serving, source_toml

from tdlc_syndication.config.files import MAX_EDITED_BYTES

URLSET = (
    '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</urlset>'
)
INDEX = (
    '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    "{}</sitemapindex>"
)
PAGE = (
    "<html lang='en'><head><title>Kobe port drill</title>"
    "<meta name='description' content='A drill.'></head>"
    "<body><main><p>Text.</p></main></body></html>"
)


def test_sitemap_children_obey_the_body_cap_and_a_nested_index_is_skipped(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    base = server.url_for("").rstrip("/")
    children = "".join(
        f"<sitemap><loc>{base}/{name}</loc><lastmod>2026-11-{day}</lastmod></sitemap>"
        for name, day in (("bomb.xml.gz", 20), ("nested.xml", 21), ("pages.xml", 22))
    )
    server.expect_request("/sitemap.xml").respond_with_data(INDEX.format(children))
    # 2 MB compressed to a few KB: unpacks past max_body_bytes, so it is skipped.
    bomb = URLSET.format("<url><loc>" + "x" * 2_000_000 + "</loc></url>")
    server.expect_request("/bomb.xml.gz").respond_with_data(gzip.compress(bomb.encode()))
    server.expect_request("/nested.xml").respond_with_data(
        INDEX.format(f"<sitemap><loc>{base}/pages.xml</loc></sitemap>")
    )
    server.expect_request("/pages.xml").respond_with_data(
        URLSET.format(f"<url><loc>{base}/drill</loc><lastmod>2026-11-22</lastmod></url>")
    )
    server.expect_request("/drill").respond_with_data(PAGE, content_type="text/html")
    ctx = make_context(
        write_config(
            source_toml("sitemap", f'url = "{base}/sitemap.xml"'), http="max_body_bytes = 1000000"
        )
    )
    report, items = run_one(ctx)
    assert report.status == "ok", report.error
    assert [s.item.title for s in items.values()] == ["Kobe port drill"]
    reasons = {s.url.rsplit("/", 1)[-1]: s.reason for s in report.skipped}
    assert "more than 1000000 bytes" in reasons["bomb.xml.gz"]
    assert "an index inside an index" in reasons["nested.xml"]


def test_deeply_nested_json_is_one_line_not_a_traceback(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    server.expect_request("/api").respond_with_data("[" * 100_000 + "]" * 100_000)
    ctx = make_context(
        write_config(
            source_toml(
                "json",
                f'url = "{server.url_for("/api")}"\nitems_path = "items"\n'
                '[sources.fields]\ntitle = "title"\nurl = "url"\nid = "id"',
            )
        )
    )
    report, _ = run_one(ctx)
    assert report.status == "failed"
    assert "is not JSON" in (report.error or "")
    assert "Traceback" not in (report.error or "")


def test_deeply_nested_settings_are_a_settings_error(tmp_path: Path) -> None:
    config = tmp_path / "deep.toml"
    config.write_text(
        '[site]\ntitle = "t"\nbase_url = "https://x/"\nx = ' + "[" * 600 + "]" * 600 + "\n"
    )
    code, out = invoke(config, "check")
    assert code == 2
    assert "nested too deeply" in out
    assert "Traceback" not in out


def test_a_device_or_a_pipe_named_as_a_file_is_refused_at_once(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A path people write may name anything. ``path = "/dev/zero"`` read until the
    memory was full (the kernel killed the run at 24 GB), and a pipe as the settings
    file, the overrides or a source's file was waited on for ever."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for config in (pipe, Path("/dev/zero")):
        code, out = invoke(config, "check")
        assert code == 2
        assert out.startswith(f"{config}: cannot read the file: it is a device or a pipe")
    settings = tmp_path / "big.toml"
    with settings.open("wb") as handle:
        handle.truncate(MAX_EDITED_BYTES + 1)  # zeros, not read in full
    code, out = invoke(settings, "check")
    assert (code, "over the 16777216-byte limit" in out) == (2, True)
    overrides = write_config(extra=f'[editorial]\noverrides = "{pipe}"\n')
    code, out = invoke(overrides, "check")
    assert (code, "cannot read the overrides: it is a device or a pipe" in out) == (2, True)
    ctx = make_context(
        write_config(
            feed_file_source(tmp_path, "blog", BLOG)
            + '[[sources]]\nid = "zero"\nkind = "feed"\npath = "/dev/zero"\n'
            f'[[sources]]\nid = "fifo"\nkind = "feed"\npath = "{pipe}"\n'
            f'[[sources]]\nid = "pipes"\nkind = "catalog"\npath = "{pipe}"\n'
        )
    )
    for source, says in [
        ("zero", "cannot read /dev/zero: it is a device or a pipe, not a file"),
        ("fifo", f"cannot read {pipe}: it is a device or a pipe, not a file"),
        ("pipes", f"catalog path {pipe} is a device or a pipe"),
    ]:
        report, items = run_one(ctx, source)
        assert (report.status, report.error, items) == ("failed", says, {})
    report, items = run_one(ctx, "blog")
    assert (report.status, len(items)) == ("ok", 10)


def test_an_empty_store_never_empties_published_feeds(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    config = write_config(feed_file_source(tmp_path, "blog", BLOG))
    assert invoke(config, "run", "--once")[0] == 0
    feed = tmp_path / "public" / "feeds" / "all.atom"
    before = feed.read_bytes()
    (tmp_path / "store.db").unlink()  # a wrong or lost store
    code, out = invoke(config, "publish")
    assert code == 2
    assert "publishing would empty them" in out
    assert feed.read_bytes() == before
    code, out = invoke(config, "publish", "--allow-empty")  # on purpose: it runs
    assert code == 0, out
    assert "published to" in out
    assert b"</entry>" not in feed.read_bytes()
    code, out = invoke(config, "publish")  # the feeds it would empty are empty already
    assert code == 0, out


def test_leftovers_of_a_killed_publish_are_removed_and_never_served(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    config = write_config(feed_file_source(tmp_path, "blog", BLOG))
    assert invoke(config, "run", "--once")[0] == 0
    public = tmp_path / "public"
    leftover = public / "feeds" / ".all.atom.k2j3h4.tmp"
    leftover.write_text("half a feed")
    with serving(public, "no-cache") as url:
        assert requests.get(url + "/feeds/.all.atom.k2j3h4.tmp", timeout=5).status_code == 404
        assert requests.get(url + "/feeds/all.atom", timeout=5).status_code == 200
    assert invoke(config, "publish")[0] == 0  # nothing changed, and still it cleans up
    assert not leftover.exists()
    assert json.loads((public / "feeds" / "all.json").read_text("utf-8"))["items"]


NOTE = """---
id: {id}
title: "{title}"
url: https://materials.example.org/{id}
published: 2026-10-14
attachments:
  - path: {attachment}
---
Body of the note.
"""


def test_a_catalog_reads_nothing_outside_its_folder(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(NOTE.format(id="s", title="Secret", attachment="x.pdf"))
    (outside / "passwords.pdf").write_bytes(b"x" * 12345)
    catalog = tmp_path / "catalog"
    (catalog / "files").mkdir(parents=True)
    (catalog / "files" / "note.pdf").write_bytes(b"%PDF" + b"x" * 100)
    (catalog / "files" / "leak.pdf").symlink_to(outside / "passwords.pdf")
    (catalog / "linked.md").symlink_to(outside / "secret.md")
    (catalog / "note.md").write_text(NOTE.format(id="n", title="Note", attachment="files/note.pdf"))
    (catalog / "leak.md").write_text(NOTE.format(id="l", title="Leak", attachment="files/leak.pdf"))
    (catalog / "up.md").write_text(
        NOTE.format(id="u", title="Up", attachment="../outside/passwords.pdf")
    )
    (catalog / "huge.md").write_text(
        NOTE.format(id="h", title="Huge", attachment="x.pdf") + "x" * 5000
    )
    ctx = make_context(
        write_config(
            f'[[sources]]\nid = "src"\nkind = "catalog"\npath = "{catalog}"\n'
            'attachments_url = "https://materials.example.org/"\n',
            http="max_body_bytes = 4096",
        )
    )
    report, items = run_one(ctx)
    assert report.status == "ok", report.error
    titles = sorted(s.item.title for s in items.values())
    assert titles == ["Leak", "Note", "Up"]  # not the linked secret, not the huge file
    media = {s.item.title: s.item.media for s in items.values()}
    assert [m.length for m in media["Note"]] == [104]
    assert all(m.length != 12345 for m in media["Leak"])  # the link's target is not measured
    assert media["Up"] == ()  # ../ is not rewritten to a file inside
    reasons = {s.url: s.reason for s in report.skipped}
    assert "outside the catalog folder" in reasons["linked.md"]
    assert "byte limit" in reasons["huge.md"]
