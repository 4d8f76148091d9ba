"""The site's search index (``search/items-<n>.js``): every published item, in blocks
counted from the oldest, rendered in proportion to change; and ``site.search = false``.
The search itself runs in Chromium: ``test_search_browser.py``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from lxml import etree, html
from tests_support import NOW, add_bulk, bulk_item

from tdlc_syndication.outputs import search
from tdlc_syndication.outputs.listing import date_text, display_date
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.dedupe import decide
from tdlc_syndication.pipeline.keep import forget_items
from tdlc_syndication.pipeline.publish import PublishReport, publish
from tdlc_syndication.pipeline.schema import SCHEMA_VERSION
from tdlc_syndication.pipeline.store import Store


def block(root: Path, number: int) -> list[list[Any]]:
    """The items of one published block of the index, as the script hands them over."""
    text = (root / search.block_path(number)).read_text("utf-8")
    head = f"searchIndex.add({number}, "
    assert text.startswith(head)
    assert text.endswith(");\n")
    rows: list[list[Any]] = json.loads(text[len(head) : -3])
    return rows


# The search's files for 12 items in blocks of 5.
EVERY_FILE = {
    "search/index.html",
    "search/search.js",
    "search/opensearch.osdx",
    "search/items-1.js",
    "search/items-2.js",
    "search/items-3.js",
}


def written(report: PublishReport) -> set[str]:
    return {path for path in report.written if path.startswith("search/")}


@pytest.fixture
def site(
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[Context, Store]]:
    """12 stored items, blocks of 5 in the index and at most 3 blocks."""
    monkeypatch.setattr(search, "BLOCK", 5)
    monkeypatch.setattr(search, "MAX_BLOCKS", 3)
    ctx = make_context(write_config())
    # Pages of 2 in the feeds' archives: a change names the few archive numbers it is at.
    site_settings = ctx.settings.site.model_copy(update={"feed_size": 2})
    ctx.settings = ctx.settings.model_copy(update={"site": site_settings})
    store = Store(ctx.settings.site.database)
    add_bulk(store, range(12))
    yield ctx, store
    store.close()


def test_blocks_hold_every_item_from_the_oldest(site: tuple[Context, Store]) -> None:
    ctx, store = site
    report = publish(ctx, store)
    root = ctx.settings.site.output_dir
    assert written(report) == EVERY_FILE
    assert [row[1] for row in block(root, 1)] == [f"Item {n}" for n in range(5)]
    assert [row[1] for row in block(root, 3)] == ["Item 10", "Item 11"]
    assert block(root, 2)[0] == [
        "https://bulk.example.org/5",
        "Item 5",
        "2026-01-06",
        "en",
        "Summary 5",
        "article",
        [],
        ["toyama"],
        "",
        [],
    ]
    page = (root / "search/index.html").read_text("utf-8")
    data = json.loads(page.split('id="search-data">')[1].split("</script>")[0])
    assert [b["path"] for b in data["blocks"]] == ["items-1.js", "items-2.js", "items-3.js"]
    # Each term's label, and the other words that find it.
    assert data["labels"]["place"] == {"kobe": ["Kobe", "神戸"], "toyama": ["Toyama", "富山"]}
    assert data["labels"]["kind"] == {"article": ["Article"]}
    assert "12 materials" in page
    # The choices to narrow the search down to: the terms with materials, by label, with
    # their counts (no topic has any: no topic choice).
    form = html.fromstring(page).get_element_by_id("search-form")
    offered = {
        select.get("name"): [(o.get("value"), o.text) for o in select.iter("option")]
        for select in form.iter("select")
    }
    assert offered == {
        "kind": [("", "Any kind"), ("article", "Article (12)")],
        "place": [("", "Any city"), ("kobe", "Kobe (6)"), ("toyama", "Toyama (6)")],
    }
    # Every page has the search box, which leads to the search page.
    front = (root / "index.html").read_text("utf-8")
    assert 'action="search/index.html"' in front
    assert 'action="../../search/index.html"' in (root / "place/kobe/index.html").read_text()


def test_a_change_renders_only_the_block_that_holds_it(site: tuple[Context, Store]) -> None:
    ctx, store = site
    root = ctx.settings.site.output_dir
    publish(ctx, store)
    first = (root / "search/items-1.js").read_bytes()
    again = publish(ctx, store)
    assert written(again) == set()
    # A new item is the newest: the last block (and the page, which names each block's
    # version so that browsers load the new one) only.
    add_bulk(store, [12])
    report = publish(ctx, store)
    assert written(report) == {"search/items-3.js", "search/index.html"}
    assert [row[1] for row in block(root, 3)] == ["Item 10", "Item 11", "Item 12"]
    # An edit of an old item: its block, and the other blocks are not even looked at.
    add_bulk(store, [6], title="Item 6, revised")
    report = publish(ctx, store)
    assert written(report) == {"search/items-2.js", "search/index.html"}
    assert {p for p in report.unchanged if p.startswith("search/")} == {
        "search/search.js",
        "search/opensearch.osdx",
    }
    assert (root / "search/items-1.js").read_bytes() == first
    # Enough new items for a fourth block: the oldest leaves the index (at most three).
    add_bulk(store, range(13, 16))
    report = publish(ctx, store)
    assert written(report) == {"search/items-3.js", "search/items-4.js", "search/index.html"}
    assert {p for p in report.deleted if p.startswith("search/")} == {"search/items-1.js"}
    assert "The newest 11 of 16 materials" in (root / "search/index.html").read_text("utf-8")
    # An item that leaves (hidden by the editors, removed at its origin): its block.
    forget_items(store, item_ids=["bulk:8"])
    report = publish(ctx, store)
    assert written(report) == {"search/items-2.js", "search/index.html"}
    assert "Item 8" not in [row[1] for row in block(root, 2)]


def test_text_that_would_end_a_script_stays_text(site: tuple[Context, Store]) -> None:
    ctx, store = site
    title = "Kobe </script><script>alert(1)</script> \u2028 notes"
    add_bulk(store, [3], title=title, summary="Line\u2029two")
    publish(ctx, store)
    text = (ctx.settings.site.output_dir / "search/items-1.js").read_text("utf-8")
    assert "\u2028" not in text
    assert "\u2029" not in text
    assert block(ctx.settings.site.output_dir, 1)[3][1] == title


def test_search_can_be_turned_off(site: tuple[Context, Store]) -> None:
    ctx, store = site
    root = ctx.settings.site.output_dir
    publish(ctx, store)
    assert (root / "search/items-3.js").is_file()
    site_settings = ctx.settings.site.model_copy(update={"search": False})
    ctx.settings = ctx.settings.model_copy(update={"site": site_settings})
    report = publish(ctx, store)
    assert {p for p in report.deleted if p.startswith("search/")} == EVERY_FILE
    assert not any((root / "search").glob("*"))
    front = (root / "index.html").read_text("utf-8")
    assert 'role="search"' not in front
    assert 'rel="search"' not in front
    assert "search/index.html" not in front


def test_the_index_needs_no_archives(site: tuple[Context, Store]) -> None:
    # The index follows feeds/all's archive numbers, which it gets though no feed keeps
    # archives.
    ctx, store = site
    archives = ctx.settings.archives.model_copy(update={"feeds": []})
    ctx.settings = ctx.settings.model_copy(update={"archives": archives})
    publish(ctx, store)
    root = ctx.settings.site.output_dir
    assert not (root / "feeds/archive").exists()
    assert [row[1] for row in block(root, 3)] == ["Item 10", "Item 11"]
    add_bulk(store, [12])
    assert written(publish(ctx, store)) == {"search/items-3.js", "search/index.html"}


def test_browsers_can_search_the_site_from_their_address_bar(site: tuple[Context, Store]) -> None:
    ctx, store = site
    publish(ctx, store)
    root = ctx.settings.site.output_dir
    description = etree.parse(str(root / search.DESCRIPTION)).getroot()
    assert description.tag == f"{{{search.OPENSEARCH_NS}}}OpenSearchDescription"
    found = {etree.QName(e).localname: (e.text, dict(e.attrib)) for e in description.iterchildren()}
    assert found["ShortName"][0] == "Test site"
    assert found["Url"][1] == {
        "type": "application/opensearchdescription+xml",
        "rel": "self",
        "template": "https://feeds.example.org/test/search/opensearch.osdx",
    }
    urls = [e.get("template") for e in description.iter(f"{{{search.OPENSEARCH_NS}}}Url")]
    assert urls[0] == "https://feeds.example.org/test/search/index.html?q={searchTerms}"
    # Every page names it.
    for page in ("index.html", "place/kobe/index.html", "feeds/index.html", "search/index.html"):
        head = (root / page).read_text("utf-8").split("</head>")[0]
        link = 'rel="search" type="application/opensearchdescription+xml" title="Test site"'
        assert link in head, page


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("City Partnership Knowledge Feeds (demo)", "City Partnership"),
        ("Test site", "Test site"),
        ("Yokohama-international-materials", "Yokohama-interna"),
        ("横浜市国際協力資料のフィードとサイト", "横浜市国際協力資料のフィードとサ"),
    ],
)
def test_the_search_name_fits_sixteen_characters(title: str, name: str) -> None:
    assert search.short_name(title) == name
    assert len(name) <= 16


def test_a_store_of_the_version_before_fills_the_index_at_its_first_publish(
    site: tuple[Context, Store],
) -> None:
    # Version 13 had no search records in the published index: the upgrade adds the
    # column, empty, and the first publish of the new version builds the index again.
    ctx, store = site
    publish(ctx, store)
    with store.transaction():
        store.db.execute("ALTER TABLE entries DROP COLUMN search")
        store.db.execute("DROP TABLE subscriptions")  # (version 15's)
        store.set_publish_value("settings", "of the version before")
    store.db.execute("PRAGMA user_version = 13")
    store.close()
    with Store(ctx.settings.site.database) as upgraded:
        assert upgraded.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert upgraded.search_records("all", 1, 5) == []
        publish(ctx, upgraded)
        assert len(upgraded.search_records("all", 1, 5)) == 5
    assert len(block(ctx.settings.site.output_dir, 1)) == 5


@pytest.mark.parametrize(
    ("when", "precision", "shown"),
    [
        (datetime(2026, 11, 20, 16, 30, tzinfo=UTC), "datetime", "2026-11-21"),  # in Tokyo
        (datetime(2026, 11, 20, tzinfo=UTC), "day", "2026-11-20"),
        (datetime(2026, 11, 1, tzinfo=UTC), "month", "2026-11"),
        (datetime(2026, 1, 1, tzinfo=UTC), "year", "2026"),
        (datetime(987, 6, 5, tzinfo=UTC), "day", "987-06-05"),  # as strftime writes it
        (None, None, "undated"),
    ],
)
def test_dates_as_the_pages_show_them(
    when: datetime | None, precision: str | None, shown: str
) -> None:
    stored = decide(bulk_item(1, published=when, published_precision=precision), None, NOW)
    zone = ZoneInfo("Asia/Tokyo")
    assert date_text(stored.stored, zone) == shown
    machine, human = display_date(stored.stored, zone)
    assert human == shown
    if precision == "datetime":
        assert machine == "2026-11-21T01:30:00+09:00"
