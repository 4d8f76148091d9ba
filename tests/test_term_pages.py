"""Pages per topic, place and kind: every label of every listed item links to a page that
lists the item, pages name their feeds for discovery, and long lists are paged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from lxml import html
from tests_support import sample_item

from tdlc_syndication.outputs.facets import MAX_PAGES, PAGE_SIZE
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.dedupe import decide
from tdlc_syndication.pipeline.publish import publish
from tdlc_syndication.pipeline.run import run_sources
from tdlc_syndication.pipeline.store import Store


def test_every_label_leads_to_a_page_that_lists_the_item(
    demo_config: Path, make_context: Callable[[Path], Context], tmp_path: Path
) -> None:
    ctx = make_context(demo_config)
    run_sources(ctx, ctx.settings.sources)
    with ctx.open_store() as store:
        publish(ctx, store)
    public = tmp_path / "public"
    front = html.fromstring((public / "index.html").read_text("utf-8"))
    checked = 0
    for li in front.xpath("//section[@aria-labelledby='latest-heading']//ol/li"):
        title = li.xpath(".//h3/a")[0].text_content()
        for label in li.xpath(".//p[@class='meta']/a"):
            target = public / label.get("href")
            page = html.fromstring(target.read_text("utf-8"))
            titles = [a.text_content() for a in page.xpath("//ol[@class='items']//h3/a")]
            assert title in titles, (label.get("href"), title)
            feeds = page.xpath("//link[@rel='alternate']/@href")
            assert any(href.endswith(".atom") for href in feeds)
            checked += 1
    assert checked > 40


def test_long_lists_are_paged(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context], tmp_path: Path
) -> None:
    ctx = make_context(write_config())
    base = datetime(2025, 1, 1, tzinfo=UTC)
    total = PAGE_SIZE * 2 + 7
    with Store(ctx.settings.site.database) as store, store.transaction():
        for n in range(total):
            item = sample_item(
                id=f"bulk:{n}", title=f"Note {n}", url=f"https://bulk.example.org/{n}",
                published=base + timedelta(days=n),
            )  # fmt: skip
            store.put_item(decide(item, None, base + timedelta(days=n)).stored)
    with ctx.open_store() as store:
        publish(ctx, store)
    folder = tmp_path / "public" / "place" / "toyama"
    pages = sorted(p.name for p in folder.iterdir())
    assert pages == ["index.html", "page-2.html", "page-3.html"]
    first = html.fromstring((folder / "index.html").read_text("utf-8"))
    assert len(first.xpath("//ol[@class='items']/li")) == PAGE_SIZE
    assert first.xpath("//ol[@class='items']//h3/a")[0].text_content() == f"Note {total - 1}"
    assert first.xpath("//a[@rel='next']/@href") == ["page-2.html"]
    last = html.fromstring((folder / "page-3.html").read_text("utf-8"))
    assert len(last.xpath("//ol[@class='items']/li")) == 7
    assert last.xpath("//a[@rel='prev']/@href") == ["page-2.html"]
    assert MAX_PAGES >= 3
