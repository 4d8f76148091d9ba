"""Pages per topic, place and kind: every label of every listed item links to a page that
lists the item, pages name their feeds for discovery, and long lists are paged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from lxml import html
from tests_support import sample_item

from tdlc_syndication.outputs import facets
from tdlc_syndication.outputs import view as view_module
from tdlc_syndication.outputs.facets import PAGE_SIZE
from tdlc_syndication.outputs.view import StoreView
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.dedupe import decide
from tdlc_syndication.pipeline.publish import PublishReport, publish, render_all
from tdlc_syndication.pipeline.store import Store


def test_every_label_leads_to_a_page_that_lists_the_item(demo_published: Context) -> None:
    public = demo_published.settings.site.output_dir
    front = html.fromstring((public / "index.html").read_text("utf-8"))
    checked = 0
    for li in front.xpath("//section[@aria-labelledby='latest-heading']//ol/li"):
        title = li.xpath(".//h3/a")[0].text_content()
        for label in li.xpath("(.//p[@class='meta'])[1]/a"):  # the second: when and where
            target = public / label.get("href")
            page = html.fromstring(target.read_text("utf-8"))
            titles = [a.text_content() for a in page.xpath("//ol[@class='items']//h3/a")]
            assert title in titles, (label.get("href"), title)
            feeds = page.xpath("//link[@rel='alternate']/@href")
            assert any(href.endswith(".atom") for href in feeds)
            checked += 1
    assert checked > 40


def _bulk(ctx: Context, numbers: range) -> None:
    """Items ``Note n`` dated n days after 2025-01-01, all in Toyama."""
    base = datetime(2025, 1, 1, tzinfo=UTC)
    with Store(ctx.settings.site.database) as store, store.transaction():
        for n in numbers:
            item = sample_item(
                id=f"bulk:{n}", title=f"Note {n}", url=f"https://bulk.example.org/{n}",
                published=base + timedelta(days=n),
            )  # fmt: skip
            store.put_item(decide(item, None, base + timedelta(days=n)).stored)


def _titles(path: Path) -> list[str]:
    page = html.fromstring(path.read_text("utf-8"))
    return [a.text_content() for a in page.xpath("//ol[@class='items']//h3/a")]


def _links(path: Path, rel: str) -> list[str]:
    return [
        str(href) for href in html.fromstring(path.read_bytes()).xpath(f"//a[@rel='{rel}']/@href")
    ]


def _publish_notes(ctx: Context, numbers: range) -> tuple[PublishReport, Path]:
    """Add notes ``numbers`` and publish; the report and Toyama's folder of pages."""
    _bulk(ctx, numbers)
    with ctx.open_store() as store:
        report = publish(ctx, store)
    return report, ctx.settings.site.output_dir / "place" / "toyama"


def test_long_lists_are_paged_from_the_oldest(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    total = PAGE_SIZE * 3 + 7
    _, folder = _publish_notes(make_context(write_config()), range(total))
    assert sorted(p.name for p in folder.iterdir()) == ["index.html", "page-1.html", "page-2.html"]
    # The first page: the newest full block and what came after it, newest first.
    first = _titles(folder / "index.html")
    assert first == [f"Note {n}" for n in range(total - 1, PAGE_SIZE * 2 - 1, -1)]
    assert _links(folder / "index.html", "next") == ["page-2.html"]
    # Page n holds materials (n-1)*PAGE_SIZE .. n*PAGE_SIZE-1 counted from the oldest.
    assert _titles(folder / "page-1.html") == [f"Note {n}" for n in range(PAGE_SIZE - 1, -1, -1)]
    assert _titles(folder / "page-2.html")[0] == f"Note {PAGE_SIZE * 2 - 1}"
    assert _links(folder / "page-1.html", "prev") == ["page-2.html"]
    assert _links(folder / "page-1.html", "next") == []
    assert _links(folder / "page-2.html", "prev") == ["index.html"]
    # Every material is on exactly one page.
    shown = [
        t for name in ("index.html", "page-1.html", "page-2.html") for t in _titles(folder / name)
    ]
    assert sorted(shown) == sorted(f"Note {n}" for n in range(total))


def test_a_view_lists_every_entry_asked_for_when_its_memory_is_full(
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An entry the view kept from an earlier page and then pushed out while it read this
    page's other entries is still listed (it was left out: on a site of more entries than
    the view keeps, a page or an archive feed could lack one, depending on what the same
    process had rendered before)."""
    ctx = make_context(write_config())
    _bulk(ctx, range(5))
    monkeypatch.setattr(view_module, "RECENT", 3)
    with Store(ctx.settings.site.database) as store:
        view = StoreView(store, ctx.settings)
        for n in (2, 0, 1):  # kept in this order: bulk:2 is the first to go
            view.items([f"bulk:{n}"])
        wanted = ["bulk:4", "bulk:3", "bulk:2", "bulk:1"]  # reading 4 and 3 pushes 2 out
        assert [s.item.id for s in view.items(wanted)] == wanted
        assert [s.item.id for s in view.items(wanted)] == wanted  # and again, all kept


def test_what_a_view_keeps_in_memory_does_not_change_the_files(
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every file of a site is the same whether the view keeps all the entries it read or
    only a few (a site larger than what it keeps)."""
    ctx = make_context(write_config())
    _bulk(ctx, range(PAGE_SIZE * 2 + 7))
    with Store(ctx.settings.site.database) as store:
        _, generous = render_all(ctx, store)
        monkeypatch.setattr(view_module, "RECENT", 7)
        _, frugal = render_all(ctx, store)
    assert len(generous) > 20
    assert frugal == generous


def test_a_new_material_renders_the_first_page_only(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    ctx = make_context(write_config())
    total = PAGE_SIZE * 4 + 3
    _, folder = _publish_notes(ctx, range(total))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    report, _ = _publish_notes(ctx, range(total, total + 1))
    toyama = sorted(p for p in report.written if p.startswith("place/toyama/"))
    assert toyama == ["place/toyama/index.html"]
    assert _titles(folder / "index.html")[0] == f"Note {total}"
    assert {p.name: p.read_bytes() for p in folder.glob("page-*")} == {
        name: data for name, data in before.items() if name.startswith("page-")
    }


def test_only_the_newest_pages_are_kept(
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(facets, "MAX_PAGES", 3)
    ctx = make_context(write_config())
    total = PAGE_SIZE * 5 + 1
    _, folder = _publish_notes(ctx, range(total))
    assert sorted(p.name for p in folder.iterdir()) == ["index.html", "page-3.html", "page-4.html"]
    oldest = (folder / "page-3.html").read_text("utf-8")
    assert "Older materials are in the" in oldest
    # And in the search, which looks for the term's label.
    assert 'href="../../search/index.html?place=toyama">search</a>' in oldest
    assert "Older materials are in the" not in (folder / "page-4.html").read_text("utf-8")
    # A block completes: a new older page appears, the oldest leaves, links follow.
    report, _ = _publish_notes(ctx, range(total, total + PAGE_SIZE))
    assert sorted(p.name for p in folder.iterdir()) == ["index.html", "page-4.html", "page-5.html"]
    assert "place/toyama/page-3.html" in report.deleted
    assert "Older materials are in the" in (folder / "page-4.html").read_text("utf-8")
    assert _links(folder / "page-5.html", "prev") == ["index.html"]
    assert _links(folder / "page-5.html", "next") == ["page-4.html"]


def test_a_topic_taken_out_of_the_taxonomy_leaves_every_output(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """Items keep the topics they were classified with until a source gives them again;
    one no source lists any more kept a topic the editors had removed, and with it that
    topic's feeds and pages, labelled with the bare slug, for ever."""
    from tests_support import BLOG, feed_file_source, invoke

    config = write_config(feed_file_source(tmp_path, "blog", BLOG))
    assert invoke(config, "-q", "run", "--once")[0] == 0
    public = tmp_path / "public"
    assert (public / "feeds" / "topic" / "disaster-risk-management.atom").exists()
    text = config.read_text("utf-8")
    start = text.index("[taxonomy.topics.disaster-risk-management]")
    end = text.index("[taxonomy.places.toyama]")
    config.write_text(text[:start] + text[end:], "utf-8")
    code, output = invoke(config, "publish")  # the items are not read again
    assert code == 0, output
    assert not (public / "feeds" / "topic" / "disaster-risk-management.atom").exists()
    assert not (public / "topic" / "disaster-risk-management").exists()
    assert "disaster-risk-management" not in (public / "feeds" / "all.atom").read_text("utf-8")
    assert (public / "feeds" / "topic" / "compact-cities.atom").exists()
