"""Publishing in proportion to change: what a publish renders, writes and deletes as the
store changes, and RFC 5005 archive pages that stay as they are."""

from __future__ import annotations

import os
import shutil
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from lxml import etree, html
from tests_support import BULK_START, add_bulk, invoke, sqlite_steps

from tdlc_syndication.config.models import ArchivesConfig
from tdlc_syndication.config.taxonomy import Term
from tdlc_syndication.outputs import index
from tdlc_syndication.outputs.base import Plan
from tdlc_syndication.outputs.feeds import FeedPublisher
from tdlc_syndication.outputs.index import CHUNK, update_index
from tdlc_syndication.outputs.view import StoreView
from tdlc_syndication.pipeline import quick
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.keep import forget_items
from tdlc_syndication.pipeline.publish import PublishReport, publish
from tdlc_syndication.pipeline.published import EntryRow
from tdlc_syndication.pipeline.rendering import Rendered, RenderPool
from tdlc_syndication.pipeline.run import run_sources
from tdlc_syndication.pipeline.store import Store

ATOM = "{http://www.w3.org/2005/Atom}"
SIZE = 5


@pytest.fixture
def site(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> Iterator[tuple[Context, Store]]:
    """A site with feed_size 5 and a store of 12 items (two full archive pages), archived
    in all three formats."""
    ctx = make_context(write_config())
    archives = ctx.settings.archives.model_copy(update={"formats": ["atom", "rss", "json"]})
    ctx.settings = ctx.settings.model_copy(
        update={
            "site": ctx.settings.site.model_copy(update={"feed_size": SIZE}),
            "archives": archives,
        }
    )
    store = Store(ctx.settings.site.database)
    add_bulk(store, range(12))
    yield ctx, store
    store.close()


def _ids(ctx: Context, path: str) -> list[str]:
    root = etree.parse(str(ctx.settings.site.output_dir / path)).getroot()
    return [(e.findtext(f"{ATOM}id") or "").rsplit(":", 1)[-1] for e in root.iter(f"{ATOM}entry")]


def _files(report: PublishReport, prefix: str = "") -> set[str]:
    return {p for p in report.written if p.startswith(prefix)}


def test_nothing_changed_renders_nothing(site: tuple[Context, Store]) -> None:
    ctx, store = site
    first = publish(ctx, store)
    assert "feeds/archive/all/2.atom" in first.written
    again = publish(ctx, store)
    assert (again.rendered, again.written, again.deleted) == (0, [], [])


def test_an_edited_template_renders_everything_again(
    site: tuple[Context, Store], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A release that edits a page or the search's script: the first publish after the
    # upgrade writes them, though no item changed (they waited for the next new item).
    ctx, store = site
    templates = tmp_path / "templates"
    shutil.copytree(quick.TEMPLATES, templates)
    monkeypatch.setattr(quick, "TEMPLATES", templates)
    settings_file = tmp_path / "settings.toml"  # a command line's publish stamps it
    settings_file.write_text("[site]\n", encoding="utf-8")
    quick.render_version.cache_clear()
    try:
        publish(ctx, store)
        assert publish(ctx, store).rendered == 0
        stamp = quick.inputs_stamp(settings_file, None)
        (templates / "search.js").write_text("// a new release\n", encoding="utf-8")
        quick.render_version.cache_clear()
        assert quick.inputs_stamp(settings_file, None) != stamp
        again = publish(ctx, store)
    finally:
        quick.render_version.cache_clear()
    assert again.rendered > 20
    assert "feeds/all.atom" in again.unchanged  # the same bytes: not written again


def test_an_edited_publisher_renders_everything_again(
    site: tuple[Context, Store], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A release that changes what the code of the outputs writes (a new publisher, a
    # mended feed element): the first publish after the upgrade renders everything.
    ctx, store = site
    code = tmp_path / "outputs"
    code.mkdir()
    for module in quick.OUTPUTS.glob("*.py"):
        (code / module.name).write_bytes(module.read_bytes())
    monkeypatch.setattr(quick, "OUTPUTS", code)
    quick.render_version.cache_clear()
    try:
        publish(ctx, store)
        assert publish(ctx, store).rendered == 0
        with (code / "rss.py").open("a", encoding="utf-8") as edited:
            edited.write("# a new release\n")
        quick.render_version.cache_clear()
        again = publish(ctx, store)
    finally:
        quick.render_version.cache_clear()
    assert again.rendered > 20


def test_published_files_that_went_missing_are_put_back(site: tuple[Context, Store]) -> None:
    # Nothing changed in the store, so a publish used to render nothing: a wiped output
    # folder, or a file removed by hand, stayed missing for good.
    ctx, store = site
    root = ctx.settings.site.output_dir
    publish(ctx, store)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    (root / "feeds" / "all.atom").unlink()
    shutil.rmtree(root / "feeds" / "archive")
    again = publish(ctx, store)
    assert {"feeds/all.atom", "feeds/archive/all/1.atom", "feeds/archive/all/2.json"} <= set(
        again.written
    )
    assert len(again.unchanged) > 0  # what was in place was not written again
    assert again.deleted == []
    shutil.rmtree(root)
    publish(ctx, store)
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    last = publish(ctx, store)
    assert (last.rendered, last.written) == (0, [])  # all in place: nothing to do again


def test_archive_pages_are_numbered_from_the_oldest_and_stay(site: tuple[Context, Store]) -> None:
    ctx, store = site
    publish(ctx, store)
    assert _ids(ctx, "feeds/archive/all/1.atom") == ["4", "3", "2", "1", "0"]
    assert _ids(ctx, "feeds/archive/all/2.atom") == ["9", "8", "7", "6", "5"]
    assert _ids(ctx, "feeds/all.atom") == ["11", "10", "9", "8", "7"]
    first_page = (ctx.settings.site.output_dir / "feeds/archive/all/1.atom").read_bytes()
    # Two new items: no page fills, so no archive page is written.
    add_bulk(store, range(12, 14))
    report = publish(ctx, store)
    assert _files(report, "feeds/archive/all/") == set()
    assert _ids(ctx, "feeds/all.atom") == ["13", "12", "11", "10", "9"]
    # One more fills page 3: it is written, and page 2 gains its next-archive link (in
    # Atom and RSS; a JSON Feed page links only the older page).
    add_bulk(store, [14])
    report = publish(ctx, store)
    assert _files(report, "feeds/archive/all/") == {
        *(f"feeds/archive/all/3.{s}" for s in ("atom", "rss", "json")),
        "feeds/archive/all/2.atom",
        "feeds/archive/all/2.rss",
    }
    assert report.rendered == len(report.written)
    assert _ids(ctx, "feeds/archive/all/3.atom") == ["14", "13", "12", "11", "10"]
    assert (ctx.settings.site.output_dir / "feeds/archive/all/1.atom").read_bytes() == first_page


def test_a_new_item_plans_no_archive_page_that_it_leaves_as_it_was(
    site: tuple[Context, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A publish costs what changed, however long the archive: the feed's older pages
    are neither planned nor read from the record of published files."""
    ctx, store = site
    publish(ctx, store)
    listed: list[str] = []
    planned = FeedPublisher.plan

    def listing(publisher: FeedPublisher, *args: Any) -> Plan:
        plan = planned(publisher, *args)
        outputs = list(plan.outputs)
        listed.extend(output.path for output in outputs)
        return replace(plan, outputs=outputs)

    monkeypatch.setattr(FeedPublisher, "plan", listing)
    read: list[str] = []
    store.db.set_trace_callback(read.append)
    add_bulk(store, [12])
    report = publish(ctx, store)
    store.db.set_trace_callback(None)
    assert "feeds/all.atom" in report.written
    assert not [p for p in listed if p.startswith("feeds/archive/")]
    assert not [s for s in read if "FROM outputs WHERE owner" in s and "'all'" in s]
    assert (ctx.settings.site.output_dir / "feeds/archive/all/2.atom").is_file()


def test_archive_pages_that_stop_being_full_go(site: tuple[Context, Store]) -> None:
    """The newest entries leave (withdrawn at the origin): the archive page they filled
    is no archive page any more, in every format; the older ones stay. When one full
    page would be left, it goes too: an archive page alone links no other archive (the
    W3C validator's "Archive incomplete"), and its entries join the subscription
    document, which then holds them all."""
    ctx, store = site
    add_bulk(store, range(12, 17))
    publish(ctx, store)  # pages 1 (entries 0-4), 2 (5-9) and 3 (10-14); 15, 16 after
    with store.transaction():
        for n in range(11, 17):
            assert store.retract("bulk", f"bulk:{n}", "deleted at the origin")
    report = publish(ctx, store)
    gone = {f"feeds/archive/all/3.{suffix}" for suffix in ("atom", "rss", "json")}
    assert gone <= set(report.deleted)
    assert not [
        p for p in report.deleted if p.startswith(("feeds/archive/all/1.", "feeds/archive/all/2."))
    ]
    public = ctx.settings.site.output_dir
    assert not (public / "feeds/archive/all/3.atom").exists()
    assert _ids(ctx, "feeds/all.atom") == ["10", "9", "8", "7", "6"]
    assert _ids(ctx, "feeds/archive/all/1.atom") == ["4", "3", "2", "1", "0"]
    assert "prev-archive" in (public / "feeds/all.atom").read_text(encoding="utf-8")
    with store.transaction():
        for n in range(6, 11):
            assert store.retract("bulk", f"bulk:{n}", "deleted at the origin")
    report = publish(ctx, store)
    gone = {f"feeds/archive/all/{n}.{suffix}" for n in (1, 2) for suffix in ("atom", "rss", "json")}
    assert gone <= set(report.deleted)
    assert not (public / "feeds/archive/all").exists() or not any(
        (public / "feeds/archive/all").iterdir()
    )
    assert _ids(ctx, "feeds/all.atom") == ["5", "4", "3", "2", "1", "0"]
    text = (public / "feeds/all.atom").read_text(encoding="utf-8")
    assert "prev-archive" not in text
    assert "<fh:complete/>" in text


def test_a_new_item_renders_only_the_feeds_that_hold_it(site: tuple[Context, Store]) -> None:
    ctx, store = site
    publish(ctx, store)
    add_bulk(store, [12])  # an even number: a Kobe item
    report = publish(ctx, store)
    feeds = {p.rsplit(".", 1)[0] for p in _files(report, "feeds/") if not p.endswith(".html")}
    assert feeds == {"feeds/all", "feeds/place/kobe", "feeds/kind/article", "feeds/language/en"}
    assert "feeds/index.html" in report.written  # the directory shows the new counts
    assert "index.html" in report.written
    assert "feeds.opml" not in report.written  # the list of feeds did not change


def test_a_late_find_of_an_old_item_joins_the_subscription_document(
    site: tuple[Context, Store],
) -> None:
    ctx, store = site
    publish(ctx, store)
    # A back-catalogue find: published long ago, seen only now.
    add_bulk(store, [100], published=BULK_START - timedelta(days=400))
    report = publish(ctx, store)
    assert _files(report, "feeds/archive/all/") == set()
    assert "100" in _ids(ctx, "feeds/all.atom")  # reachable although old
    assert _ids(ctx, "feeds/all.atom")[-1] == "100"  # in date order


def test_an_edit_rewrites_only_the_archive_page_that_holds_the_item(
    site: tuple[Context, Store],
) -> None:
    ctx, store = site
    publish(ctx, store)
    add_bulk(store, [2], title="Item 2, corrected")
    report = publish(ctx, store)
    assert _files(report, "feeds/archive/") == {
        f"feeds/archive/all/1.{s}" for s in ("atom", "rss", "json")
    }
    page = (ctx.settings.site.output_dir / "feeds/archive/all/1.atom").read_text()
    assert "Item 2, corrected" in page


def test_a_feed_whose_last_entry_leaves_stays_empty_until_its_term_goes(
    site: tuple[Context, Store],
) -> None:
    """A reader subscribed to a city's feed keeps getting a valid feed, not 404, when the
    city's last item is withdrawn; the city's page says it has none. Only taking the term
    out of the taxonomy deletes them."""
    ctx, store = site
    places = {**ctx.settings.taxonomy.places, "hiroshima": Term(label="Hiroshima")}
    taxonomy = ctx.settings.taxonomy.model_copy(update={"places": places})
    ctx.settings = ctx.settings.model_copy(update={"taxonomy": taxonomy})
    add_bulk(store, [20], places=("hiroshima",))
    publish(ctx, store)
    public = ctx.settings.site.output_dir
    assert _ids(ctx, "feeds/place/hiroshima.atom") == ["20"]
    with store.transaction():
        assert store.retract("bulk", "bulk:3", "deleted at the origin")
        assert store.retract("bulk", "bulk:20", "deleted at the origin")
    report = publish(ctx, store)
    assert "3" not in _ids(ctx, "feeds/archive/all/1.atom")
    assert "feeds/archive/all/1.atom" in report.written
    assert "feeds/archive/all/2.atom" not in report.written
    assert not report.deleted
    emptied = {*(f"feeds/place/hiroshima.{s}" for s in ("atom", "rss", "json"))}
    assert emptied | {"place/hiroshima/index.html"} <= set(report.written)
    assert _ids(ctx, "feeds/place/hiroshima.atom") == []
    rss = etree.parse(public / "feeds/place/hiroshima.rss")
    assert (rss.findtext("channel/title"), rss.findall("channel/item")) == (
        "Hiroshima · Test site",
        [],
    )
    page = (public / "place/hiroshima/index.html").read_text(encoding="utf-8")
    assert "No materials at the moment" in page
    assert "feeds/place/hiroshima.atom" in (public / "feeds.opml").read_text() + (
        public / "feeds-place.opml"
    ).read_text(encoding="utf-8")
    again = publish(ctx, store)  # nothing changed: nothing rendered, nothing deleted
    assert (again.written, again.deleted) == ([], [])
    publish(ctx, store, rebuild=True)  # a whole publish keeps it too
    assert (public / "feeds/place/hiroshima.atom").is_file()

    ctx.settings = ctx.settings.model_copy(
        update={
            "taxonomy": ctx.settings.taxonomy.model_copy(
                update={"places": {k: v for k, v in places.items() if k != "hiroshima"}}
            )
        }
    )
    report = publish(ctx, store)
    assert {p for p in report.deleted if "hiroshima" in p} == {
        *emptied,
        "place/hiroshima/index.html",  # its page for people goes too
    }
    assert not (public / "feeds/place").joinpath("hiroshima.atom").exists()


def test_a_configured_feed_and_all_are_published_before_any_item_matches(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """The address of a [[feeds]] entry answers from the first publish, as does
    ``feeds/all``: empty while no item matches, and publishing again does not refuse."""
    ctx = make_context(
        write_config(extra='[[feeds]]\nid = "toolkits"\ntitle = "Toolkits"\nkinds = ["toolkit"]\n')
    )
    with Store(ctx.settings.site.database) as store:
        publish(ctx, store)
        publish(ctx, store)  # still empty: the empty feeds are no reason to refuse
        add_bulk(store, [1])
        publish(ctx, store)
    for stem, ids in [("toolkits", []), ("all", ["1"])]:
        assert _ids(ctx, f"feeds/{stem}.atom") == ids
    directory = (ctx.settings.site.output_dir / "feeds/index.html").read_text(encoding="utf-8")
    assert "feeds/toolkits.rss" in directory


def test_an_interrupted_publish_is_finished_by_the_next(
    site: tuple[Context, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, store = site
    publish(ctx, store)
    add_bulk(store, [12, 13, 14])
    import tdlc_syndication.pipeline.publish as module
    from tdlc_syndication.outputs.write import Batch

    real = Batch.commit
    calls = 0

    def dies(self: Batch) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            real(self)  # the first files go out...
            raise KeyboardInterrupt  # ...and the process is stopped, as a kill would
        real(self)

    monkeypatch.setattr(module, "RECORD_EVERY", 3)
    monkeypatch.setattr(Batch, "commit", dies)
    with pytest.raises(KeyboardInterrupt):
        publish(ctx, store)
    monkeypatch.setattr(Batch, "commit", real)
    publish(ctx, store)
    assert not list(ctx.settings.site.output_dir.rglob("*.tmp"))
    assert _ids(ctx, "feeds/all.atom") == ["14", "13", "12", "11", "10"]
    assert _ids(ctx, "feeds/archive/all/3.atom") == ["14", "13", "12", "11", "10"]


def test_a_publish_flushes_its_own_filesystem_not_every_disk(
    site: tuple[Context, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    # sync() would wait for every disk of the machine, other programs' writes too; on
    # Linux a publish flushes only the filesystem its files are on (syncfs), once a batch.
    import tdlc_syndication.outputs.write as write

    def everything() -> None:
        raise AssertionError("sync() flushes every disk of the machine")

    syncfs = write._syncfs()
    assert syncfs is not None  # CI runs on Linux
    flushed: list[int] = []

    def counted(fd: int) -> int:
        flushed.append(os.fstat(fd).st_dev)
        return int(syncfs(fd))

    monkeypatch.setattr(os, "sync", everything)
    monkeypatch.setattr(write, "_syncfs", lambda: counted)
    ctx, store = site
    report = publish(ctx, store)
    assert report.written
    assert flushed
    assert set(flushed) == {ctx.settings.site.output_dir.stat().st_dev}
    assert len(flushed) < len(report.written)  # once a batch, not once a file
    # A filesystem that refuses syncfs still gets its files to disk: sync() then.
    synced: list[bool] = []
    monkeypatch.setattr(os, "sync", lambda: synced.append(True))
    monkeypatch.setattr(write, "_syncfs", lambda: lambda fd: -1)
    add_bulk(store, [12])
    assert publish(ctx, store).written
    assert synced


def test_a_change_of_the_settings_that_shape_outputs_renders_everything(
    site: tuple[Context, Store],
) -> None:
    ctx, store = site
    first = publish(ctx, store)
    site_settings = ctx.settings.site.model_copy(update={"title": "Renamed site"})
    ctx.settings = ctx.settings.model_copy(update={"site": site_settings})
    report = publish(ctx, store)
    assert set(report.written) == set(first.written) - {
        "feeds/feed.css",
        "feeds/feed-ja.css",
        "favicon.svg",
        "search/search.js",
        "search/items-1.js",  # rendered again, the same bytes: no site title in them
        "sitemap.xml",
    }
    assert "Renamed site" in (ctx.settings.site.output_dir / "feeds/all.atom").read_text()


def test_archives_only_where_the_policy_keeps_them(site: tuple[Context, Store]) -> None:
    ctx, store = site
    report = publish(ctx, store)
    assert any(p.startswith("feeds/archive/all/") for p in report.written)
    assert not any(p.startswith("feeds/archive/place/") for p in report.written)
    # A facet feed holds its newest items, without fh:complete once it holds fewer than all.
    kobe = (ctx.settings.site.output_dir / "feeds/place/kobe.atom").read_text()
    assert "fh:complete" not in kobe
    assert len(_ids(ctx, "feeds/place/kobe.atom")) == SIZE
    # Archive pages carry summaries, not the full content, unless asked to.
    archives = ctx.settings.archives.model_copy(update={"feeds": ["main", "place"]})
    ctx.settings = ctx.settings.model_copy(update={"archives": archives})
    add_bulk(store, range(12, 20))  # Kobe's feed fills its second page
    report = publish(ctx, store)
    assert "feeds/archive/place/kobe/1.atom" in report.written


def test_by_default_only_atom_keeps_archives(site: tuple[Context, Store]) -> None:
    ctx, store = site
    publish(ctx, store)
    out = ctx.settings.site.output_dir
    assert (out / "feeds/archive/all/2.rss").is_file()
    ctx.settings = ctx.settings.model_copy(update={"archives": ArchivesConfig()})
    report = publish(ctx, store)  # a settings change: everything is planned again
    assert sorted(p.name for p in (out / "feeds/archive/all").iterdir()) == ["1.atom", "2.atom"]
    assert "feeds/archive/all/2.rss" in report.deleted
    assert 'rel="prev-archive"' in (out / "feeds/all.atom").read_text()
    assert "prev-archive" not in (out / "feeds/all.rss").read_text()
    assert "next_url" not in (out / "feeds/all.json").read_text()


def _with_processes(ctx: Context, processes: int) -> Context:
    run = ctx.settings.run.model_copy(update={"processes": processes})
    return replace(ctx, settings=ctx.settings.model_copy(update={"run": run}))


def _published_inline(ctx: Context) -> tuple[dict[Path, bytes], dict[str, EntryRow]]:
    """Run the sources and publish in this process: every file's bytes and the index rows
    (the output folder is then emptied)."""
    run_sources(ctx, ctx.settings.sources)
    inline = _with_processes(ctx, 1)
    with inline.open_store() as store:
        publish(inline, store)
        index = store.entry_rows(list(store.all_item_ids()))
    public = ctx.settings.site.output_dir
    files = {p.relative_to(public): p.read_bytes() for p in public.rglob("*") if p.is_file()}
    shutil.rmtree(public)
    return files, index


def test_a_full_publish_in_worker_processes_writes_the_same_bytes(
    demo_config: Path, make_context: Callable[[Path], Context], monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = make_context(demo_config)
    before, index = _published_inline(ctx)
    public = ctx.settings.site.output_dir
    sent: list[str] = []
    submit = RenderPool.submit

    def spy(pool: RenderPool, path: str) -> Future[Rendered]:
        sent.append(path)
        return submit(pool, path)

    monkeypatch.setattr(RenderPool, "submit", spy)
    pooled = _with_processes(ctx, 2)
    with pooled.open_store() as store:
        report = publish(pooled, store, rebuild=True)  # the index is rebuilt by the workers
        assert store.entry_rows(list(store.all_item_ids())) == index
    after = {p.relative_to(public): p.read_bytes() for p in public.rglob("*") if p.is_file()}
    assert sorted(sent) == sorted(report.written)  # every file came from a worker
    assert len(sent) > 100
    assert after == before


def test_a_publish_whose_rendering_processes_are_killed_finishes_in_this_one(
    demo_config: Path,
    make_context: Callable[[Path], Context],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ctx = make_context(demo_config)
    before, _ = _published_inline(ctx)
    public = ctx.settings.site.output_dir
    submit = RenderPool.submit
    sent: list[str] = []

    def kill_at_the_tenth(pool: RenderPool, path: str) -> Future[Rendered]:
        sent.append(path)
        if len(sent) == 10:  # as the out-of-memory killer would
            processes = list(pool._pool._processes.values())
            for process in processes:
                process.kill()  # SIGKILL
            for process in processes:
                process.join(10)
        return submit(pool, path)

    monkeypatch.setattr(RenderPool, "submit", kill_at_the_tenth)
    pooled = _with_processes(ctx, 2)
    with pooled.open_store() as store:
        report = publish(pooled, store, rebuild=True)
    after = {p.relative_to(public): p.read_bytes() for p in public.rglob("*") if p.is_file()}
    assert after == before
    assert 10 <= len(sent) < len(report.written)  # the rest was rendered here
    assert "a rendering process ended abruptly" in caplog.text


def _steps_to_number_one_joining(store: Store, feed: str, size: int) -> int:
    """SQLite's steps to number the one entry that joined ``feed`` (``size`` entries,
    the others numbered)."""
    rows = [(feed, f"e{n:05d}", f"2026-01-01T00:00:{n % 60:02d}Z") for n in range(size)]
    with store.transaction():
        store.db.executemany(
            "INSERT INTO entry_feeds (feed, id, sort_date, updated) VALUES (?, ?, ?, '')", rows
        )
        store.db.executemany(
            "INSERT INTO feed_seq (feed, seq, id) VALUES (?, ?, ?)",
            [(feed, n + 1, row[1]) for n, row in enumerate(rows[:-1])],
        )
    with sqlite_steps(store.db) as steps, store.transaction():
        assert store.sequence_new_members(feed, among=[rows[-1][1], rows[-1][1]]) == 1
    assert store.max_seq(feed) == size
    return steps[0]


def test_numbering_the_entries_that_joined_a_feed_takes_no_longer_in_a_longer_feed(
    site: tuple[Context, Store],
) -> None:
    _, store = site
    short = _steps_to_number_one_joining(store, "short", 100)
    long = _steps_to_number_one_joining(store, "long", 5_000)
    assert long <= short + 5  # looked up, not found by walking the feed in date order


def _steps_to_withdraw_an_older_entry(store: Store, feed: str, size: int) -> int:
    """SQLite's steps to take an entry that is not the newest out of ``feed`` (``size``
    entries)."""
    dates = [f"2026-01-01T{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}Z" for n in range(size)]
    with store.transaction():
        store.db.executemany(
            "INSERT INTO entry_feeds (feed, id, sort_date, updated) VALUES (?, ?, ?, ?)",
            [(feed, f"{feed}{n:05d}", date, date) for n, date in enumerate(dates)],
        )
        store.db.execute(
            "INSERT INTO feed_stats (feed, entries, newest) VALUES (?, ?, ?)",
            (feed, size, dates[-1]),
        )
    older = EntryRow(f"{feed}00003", "bulk", dates[3], dates[3], "f", frozenset([feed]), "")
    with sqlite_steps(store.db) as steps, store.transaction():
        store.apply_entries([(older, None)])
    assert store.feed_stats()[feed] == (size - 1, dates[-1])  # the newest stays
    return steps[0]


def test_withdrawing_an_older_entry_takes_no_longer_in_a_longer_feed(
    site: tuple[Context, Store],
) -> None:
    """A feed's newest date is read again only when its newest entry left: it was read
    by walking the whole feed for every withdrawal."""
    _, store = site
    short = _steps_to_withdraw_an_older_entry(store, "short", 100)
    long = _steps_to_withdraw_an_older_entry(store, "long", 5_000)
    assert long <= short + 5, (short, long)


def test_a_feeds_newest_is_read_again_once_a_publish(
    site: tuple[Context, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many entries leave in chunks (a source forgotten): each feed whose newest entry
    left has its newest date read once, when the index step is done, not after each
    chunk (forgetting 100,000 of 102,000 items left a publish of 34 s, 22 s of it in
    those reads)."""
    ctx, store = site
    publish(ctx, store)
    monkeypatch.setattr(index, "CHUNK", 2)
    with store.transaction():
        for n in range(5, 12):  # the seven newest, in four chunks
            assert store.retract("bulk", f"bulk:{n}", "deleted at the origin")
    read: list[str] = []
    store.db.set_trace_callback(read.append)
    publish(ctx, store)
    store.db.set_trace_callback(None)
    walks = [sql for sql in read if "SELECT MAX(updated) FROM entry_feeds" in sql]
    feeds = {"all", "place:kobe", "place:toyama", "kind:article", "language:en"}
    assert len(walks) == len(feeds)
    for feed, (_, newest) in store.feed_stats().items():
        walked = store.db.execute(
            "SELECT MAX(updated) FROM entry_feeds WHERE feed = ?", (feed,)
        ).fetchone()[0]
        assert newest == walked, feed
    assert _ids(ctx, "feeds/all.atom") == ["4", "3", "2", "1", "0"]


def _numbering(store: Store, feed: str) -> tuple[set[str], set[str], list[int]]:
    members = {r[0] for r in store.db.execute("SELECT id FROM entry_feeds WHERE feed = ?", (feed,))}
    numbered = store.db.execute("SELECT id, seq FROM feed_seq WHERE feed = ?", (feed,)).fetchall()
    return members, {r[0] for r in numbered}, sorted(r[1] for r in numbered)


def test_archive_numbers_follow_entries_that_join_and_leave(
    site: tuple[Context, Store],
) -> None:
    ctx, store = site
    archives = ctx.settings.archives.model_copy(update={"feeds": ["main", "place"]})
    ctx.settings = ctx.settings.model_copy(update={"archives": archives})
    add_bulk(store, range(100, 108))  # Kobe's feed has two full pages
    publish(ctx, store)
    add_bulk(store, [12, 13])  # new: they join all and a place
    add_bulk(store, [4], places=("toyama",))  # moves from Kobe to Toyama
    with store.transaction():
        assert store.retract("bulk", "bulk:7", "deleted at the origin")  # leaves
    report = publish(ctx, store)
    for feed in ("all", "place:kobe", "place:toyama"):
        members, numbered, seqs = _numbering(store, feed)
        assert numbered == members, feed  # every entry numbered once, no one else
        assert len(seqs) == len(set(seqs)), feed
    # The entry that left Kobe's feed changes the Kobe archive page that held it.
    assert "feeds/archive/place/kobe/1.atom" in report.written
    assert "4" not in _ids(ctx, "feeds/archive/place/kobe/1.atom")


def test_a_rebuilt_index_is_the_index_kept_up_to_date_item_by_item(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """A rebuild fills the cleared index in bulk (the secondary indexes of ``entry_feeds``
    dropped, then built again): the rows are those that publishing item by item keeps,
    the indexes come back as they were, and a canonical record given again by a later
    chunk (for its duplicate there) is indexed once."""
    ctx = make_context(write_config())
    store = Store(ctx.settings.site.database)
    total = CHUNK + 100  # two chunks; "bulk:999" sorts into the second
    add_bulk(store, range(20))
    publish(ctx, store)  # the first publish indexes these 20
    add_bulk(store, range(20, total))
    with store.transaction():
        store.set_duplicates({("bulk", "bulk:999"): "bulk:0"})
    publish(ctx, store)  # the others, item by item
    kept = store.entry_rows(list(store.all_item_ids()))
    schema = "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'entry_feeds' ORDER BY name"
    indexes = store.db.execute(schema).fetchall()
    assert len(indexes) >= 3  # the primary key's and the two the schema creates
    publish(ctx, store, rebuild=True)
    assert store.entry_rows(list(store.all_item_ids())) == kept
    assert "bulk:999" not in kept
    assert kept["bulk:0"].feeds
    assert store.db.execute(schema).fetchall() == indexes
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM entry_feeds WHERE id = 'bulk:5'"
    ).fetchall()
    assert "entry_feeds_id" in str([tuple(row) for row in plan])  # looked up by its index
    store.close()


def test_archive_pages_that_fill_in_one_publish_each_link_the_next(
    site: tuple[Context, Store],
) -> None:
    ctx, store = site
    publish(ctx, store)  # pages 1 and 2 full; page 2 is the newest archive
    add_bulk(store, range(12, 22))  # pages 3 and 4 fill at once
    report = publish(ctx, store)
    assert {"feeds/archive/all/2.atom", "feeds/archive/all/3.atom"} <= set(report.written)
    for number in (1, 2, 3):
        root = etree.parse(str(ctx.settings.site.output_dir / f"feeds/archive/all/{number}.atom"))
        links = {link.get("rel"): link.get("href") for link in root.iter(f"{ATOM}link")}
        assert links["next-archive"].endswith(f"/{number + 1}.atom"), number


def test_an_entry_numbered_onto_a_page_that_lost_one_is_written_there(
    site: tuple[Context, Store],
) -> None:
    """Archive numbers go on from the highest one left: when the newest entries leave, a
    new entry can take the number an earlier departure freed on a full page."""
    ctx, store = site
    publish(ctx, store)  # numbers 1-12: pages 1 (0-4) and 2 (5-9), 10 and 11 after
    with store.transaction():
        assert store.retract("bulk", "bulk:9", "deleted at the origin")  # frees number 10
    publish(ctx, store)
    assert _ids(ctx, "feeds/archive/all/2.atom") == ["8", "7", "6", "5"]
    with store.transaction():
        assert store.retract("bulk", "bulk:10", "deleted at the origin")
        assert store.retract("bulk", "bulk:11", "deleted at the origin")
    add_bulk(store, range(12, 23))  # numbered 10 (the oldest, on page 2) to 20
    report = publish(ctx, store)
    assert "feeds/archive/all/2.atom" in report.written
    assert _ids(ctx, "feeds/archive/all/2.atom") == ["12", "8", "7", "6", "5"]
    assert _ids(ctx, "feeds/archive/all/4.atom") == ["22", "21", "20", "19", "18"]


def test_a_record_that_stops_being_a_duplicate_changes_its_former_canonical(
    site: tuple[Context, Store],
) -> None:
    """A canonical record shows how many sources told its story; when a duplicate's link
    goes (the stories were told apart, or the duplicate was forgotten), the pages that
    list it say so at the next publish."""
    ctx, store = site
    page = ctx.settings.site.output_dir / "kind/article/index.html"

    def origins_of_4() -> str:
        html = page.read_text("utf-8")
        return html.split('href="https://bulk.example.org/4"', 1)[1].split("</li>", 1)[0]

    with store.transaction():
        store.set_duplicates({("bulk", "bulk:3"): "bulk:4"})
    publish(ctx, store)
    assert "seen in 2 sources" in origins_of_4()
    with store.transaction():
        store.set_duplicates({("bulk", "bulk:3"): None})
    publish(ctx, store)
    assert "seen in" not in origins_of_4()
    with store.transaction():
        store.set_duplicates({("bulk", "bulk:3"): "bulk:4"})
    publish(ctx, store)
    assert "seen in 2 sources" in origins_of_4()
    forget_items(store, item_ids=["bulk:3"])
    publish(ctx, store)
    assert "seen in" not in origins_of_4()


def test_forgetting_a_canonical_record_publishes_its_duplicate(
    site: tuple[Context, Store],
) -> None:
    ctx, store = site
    with store.transaction():
        store.set_duplicates({("bulk", "bulk:10"): "bulk:11"})
    publish(ctx, store)
    assert "10" not in _ids(ctx, "feeds/all.atom")
    forget_items(store, item_ids=["bulk:11"])  # its story's other record stands alone
    publish(ctx, store)
    assert _ids(ctx, "feeds/all.atom")[:2] == ["10", "9"]


def test_the_change_log_is_read_each_id_once_in_order_within_its_numbers(
    site: tuple[Context, Store],
) -> None:
    _, store = site
    with store.transaction():
        store.forget_changes(store.last_change())
        first = store.last_change()
        store.log_changes([("a", "c"), ("a", "a"), ("b", "c"), ("a", "b"), ("a", "a")])
        upto = store.last_change()
        store.log_changes([("a", "d")])  # after the publish's last number: the next one's
    assert list(store.changed_ids(first, upto, chunk=2)) == ["a", "b", "c"]
    assert store.last_change() > upto  # changes after the publish's numbers wait
    assert not store.last_change() > upto + 1


def _index_peak(store: Store, view: StoreView, changed: int) -> int:
    """The most memory (bytes, Python's) the index step takes to go through a change log
    of ``changed`` items that no feed shows."""

    def unpublished(chunks: Iterable[list[str]]) -> Iterator[dict[str, EntryRow | None]]:
        for chunk in chunks:
            yield dict.fromkeys(chunk)

    with store.transaction():
        store.log_changes([("bulk", f"bulk:gone-{n:07d}") for n in range(changed)])
    tracemalloc.start()
    try:
        with store.transaction():
            _, newest = update_index(store, view, False, unpublished)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    with store.transaction():
        store.forget_changes(newest)
    return peak


def test_the_index_step_holds_no_more_of_a_longer_change_log(
    site: tuple[Context, Store],
) -> None:
    """The first publish into a store of a million items read the whole change log into
    one set (about 200 MB); it is read a chunk at a time."""
    ctx, store = site
    publish(ctx, store)
    view = StoreView(store, ctx.settings, now=ctx.clock())
    short = _index_peak(store, view, 2_000)
    long = _index_peak(store, view, 40_000)
    assert long < short + 1_000_000, (short, long)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_page_says_what_it_holds_in_its_language(
    demo_config: Path, tmp_path: Path, language: str
) -> None:
    """Each page a search engine may list has a description (``<meta name="description">``,
    which search results show under its title): only the front page and an issue had one,
    the topic, city and kind pages, the feeds, the search and the list of issues none
    (Lighthouse's SEO audit failed them), and a Japanese site's issue said its in English.
    A redirect's page (``noindex``) needs none."""
    text = demo_config.read_text("utf-8")
    demo_config.write_text(text.replace('language = "en"', f'language = "{language}"', 1), "utf-8")
    assert invoke(demo_config, "run", "--once")[0] == 0
    assert invoke(demo_config, "digest", "--week", "2026-W47")[0] == 0
    described: dict[str, str] = {}
    for page in sorted((tmp_path / "public").rglob("*.html")):
        tree = html.fromstring(page.read_bytes())
        if tree.xpath("//meta[@name='robots'][contains(@content, 'noindex')]"):
            continue
        said = tree.xpath("//meta[@name='description']/@content")
        assert len(said) == 1, page
        assert said[0].strip(), page
        described[page.relative_to(tmp_path / "public").as_posix()] = said[0]
    assert {"feeds/index.html", "search/index.html", "digest/index.html"} <= set(described)
    assert "kind/video/index.html" in described
    issue = described["digest/2026-W47/index.html"]
    if language == "ja":
        assert issue == "2026年 第47週：新着資料3件"
        assert "フィード" in described["feeds/index.html"]
    else:
        assert issue == "Week 47, 2026: 3 new materials"
