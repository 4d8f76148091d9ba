"""Feed publishing: golden files per format, byte-identical rebuilds, facets, OPML,
RFC 5005 archives, lint, and WebSub pings."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
import pytest
from lxml import etree
from pytest_httpserver import HTTPServer
from tests_support import NOW, bulk_item, invoke, sample_item
from werkzeug import Request, Response

from tdlc_syndication.config.loader import DEMO_CONFIG
from tdlc_syndication.outputs.formats import feed_format, lint_document, lint_files
from tdlc_syndication.outputs.view import StoreView
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.dedupe import decide
from tdlc_syndication.pipeline.model import Item, Media
from tdlc_syndication.pipeline.overview import PINGS_KEY
from tdlc_syndication.pipeline.publish import publish, render_all
from tdlc_syndication.pipeline.run import run_sources
from tdlc_syndication.pipeline.store import Store

GOLDEN = Path(__file__).parent / "golden"
ATOM = "{http://www.w3.org/2005/Atom}"
FH = "{http://purl.org/syndication/history/1.0}"


def assert_golden(name: str, data: bytes, update: bool) -> None:
    """Compare with tests/golden/<name>; ``pytest --update-golden`` rewrites it (review the
    diff)."""
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert data == path.read_bytes(), f"{name} differs from its golden file"


def _items() -> list[Item]:
    return [
        Item(
            id="notes:toyama-compact",
            source="notes",
            kind="knowledge_note",
            title="Knowledge note: Compact city policy in Toyama",
            url="https://materials.example.org/notes/toyama-compact",
            summary="Housing and services steered toward rail corridors.",
            content_html="<p>Housing and <strong>services</strong> near stations.</p>",
            authors=("Programme team", "Tanaka, Aiko"),
            published=datetime(2026, 10, 30, tzinfo=UTC),
            published_precision="day",
            language="en",
            topics=("compact-cities",),
            places=("toyama",),
            media=(
                Media(
                    url="https://materials.example.org/n.pdf", mime="application/pdf", length=627
                ),
                Media(url="https://materials.example.org/n.csv", mime="text/csv"),
            ),
        ),
        Item(
            id="videos:abc123",
            source="videos",
            kind="video",
            title="Webinar: early warning systems",
            url="https://www.youtube.com/watch?v=abc123",
            summary="Alert chains, shelters and drills compared.",
            published=datetime(2026, 10, 20, 12, 30, tzinfo=UTC),
            published_precision="datetime",
            updated=datetime(2026, 10, 21, 8, 0, tzinfo=UTC),
            language="en",
            topics=("disaster-risk-management",),
            places=("kobe",),
            thumbnail="https://i.ytimg.com/vi/abc123/hqdefault.jpg",
        ),
        Item(
            id="city:1007438",
            source="city",
            kind="article",
            title="防災訓練の実施について（11月）",
            url="https://toyama.example.org/bosai/1007438.html",
            summary="地域の自主防災組織と連携した避難訓練を実施します。",
            published=datetime(2026, 10, 30, tzinfo=UTC),
            published_precision="day",
            language="ja",
            topics=("disaster-risk-management",),
            places=("toyama",),
        ),
        Item(
            id="notes:review-2019",
            source="notes",
            kind="report",
            title="Programme review & lessons <2019>",
            url="https://materials.example.org/reports/review?id=2019&lang=en",
            summary="",
            published=datetime(2019, 1, 1, tzinfo=UTC),
            published_precision="year",
            language="en",
        ),
        Item(
            id="city:undated",
            source="city",
            kind="article",
            title="Undated notice",
            url="https://toyama.example.org/notice.html",
            summary="A notice without a date.",
            language="en",
            places=("toyama",),
        ),
    ]


@pytest.fixture
def fixed(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> Iterator[tuple[Context, Store]]:
    ctx = make_context(
        write_config(
            extra='[[feeds]]\nid = "disaster"\ntitle = "Disaster risk"\n'
            'description = "DRM materials."\ntopics = ["disaster-risk-management"]\n'
        )
    )
    store = Store(ctx.settings.site.database)
    with store.transaction():
        for n, item in enumerate(_items()):
            store.put_item(decide(item, None, NOW - timedelta(days=n)).stored)
    yield ctx, store
    store.close()


@pytest.mark.parametrize(
    "path",
    [
        "feeds/all.atom",
        "feeds/all.rss",
        "feeds/all.json",
        "feeds/disaster.atom",
        "feeds/place/toyama.rss",
        "feeds/language/ja.json",
        "feeds.opml",
        "index.html",
    ],
)
def test_golden_outputs(
    fixed: tuple[Context, Store], path: str, request: pytest.FixtureRequest
) -> None:
    ctx, store = fixed
    _, files = render_all(ctx, store)
    update = bool(request.config.getoption("--update-golden"))
    assert_golden(path.replace("/", "__"), files[path], update)


def test_an_atom_entry_says_its_own_language(fixed: tuple[Context, Store]) -> None:
    # The English feed's Japanese entry is Japanese to a reader (feedparser gives each
    # entry's language from xml:lang); in the Japanese feed it needs no attribute.
    _, files = render_all(*fixed)
    parsed = feedparser.parse(files["feeds/all.atom"])
    languages = {e.title: e.title_detail.language for e in parsed.entries}
    assert languages["防災訓練の実施について（11月）"] == "ja"
    assert languages["Knowledge note: Compact city policy in Toyama"] == "en"
    assert b"<entry xml:lang" not in files["feeds/language/ja.atom"]


def test_a_term_feed_links_to_its_own_page(fixed: tuple[Context, Store]) -> None:
    """A topic's, city's or kind's feed links (Atom's alternate, RSS's link, JSON Feed's
    home page, the OPML list's htmlUrl) to the page that shows its materials, which a
    reader opens as the feed's website; it linked to the front page. A feed without a
    page of its own links there still."""
    _, files = render_all(*fixed)
    base = "https://feeds.example.org/test/"
    toyama = base + "place/toyama/index.html"
    assert "place/toyama/index.html" in files
    for stem, home in (("place/toyama", toyama), ("all", base), ("language/ja", base)):
        atom = feedparser.parse(files[f"feeds/{stem}.atom"]).feed
        rss = feedparser.parse(files[f"feeds/{stem}.rss"]).feed
        assert (atom.link, rss.link) == (home, home), stem
        assert json.loads(files[f"feeds/{stem}.json"])["home_page_url"] == home
    opml = etree.fromstring(files["feeds.opml"])
    (video,) = opml.xpath("//outline[contains(@xmlUrl, '/kind/video.atom')]")
    assert video.get("htmlUrl") == base + "kind/video/index.html"
    assert "kind/video/index.html" in files


def test_a_subscription_list_gives_each_feed_its_own_language(
    fixed: tuple[Context, Store],
) -> None:
    """OPML's ``language`` is that of the feed an outline names: the Japanese feed's is
    ``ja``, as the feed itself says; every outline said the site's (``en``)."""
    _, files = render_all(*fixed)
    opml = etree.fromstring(files["feeds-language.opml"])
    languages = {
        o.get("xmlUrl").rsplit("/", 1)[1]: o.get("language")
        for o in opml.iter("outline")
        if o.get("xmlUrl")
    }
    assert languages == {"en.atom": "en", "ja.atom": "ja"}
    japanese = feedparser.parse(files["feeds/language/ja.atom"]).feed
    assert japanese.language == "ja"


def test_a_japanese_feed_names_its_categories_in_japanese(fixed: tuple[Context, Store]) -> None:
    """The Japanese feed shows the terms' ``label_ja`` (防災, 富山), the English ones their
    ``label``; a term without ``label_ja`` keeps its label; the term slugs are the same."""
    _, files = render_all(*fixed)
    atom = "{http://www.w3.org/2005/Atom}"

    def labels(path: str) -> set[tuple[str, str]]:
        cats = etree.fromstring(files[path]).iter(f"{atom}category")
        return {(c.get("term") or "", c.get("label") or "") for c in cats}

    assert labels("feeds/language/ja.atom") == {
        ("disaster-risk-management", "防災"),
        ("toyama", "富山"),
        ("article", "Article"),
    }
    rss = etree.fromstring(files["feeds/language/ja.rss"])
    assert {c.text for c in rss.iter("category")} == {"防災", "富山", "Article"}
    english = dict(labels("feeds/all.atom"))
    assert (english["toyama"], english["disaster-risk-management"]) == (
        "Toyama",
        "Disaster risk management",
    )


def test_every_rendered_feed_passes_lint_and_facets_exist(fixed: tuple[Context, Store]) -> None:
    ctx, store = fixed
    view, files = render_all(ctx, store)
    assert lint_files(files, view.url, ctx.settings.site.max_feed_bytes) == []
    stems = {p.rsplit(".", 1)[0] for p in files if p.startswith("feeds/") and p.endswith(".atom")}
    assert stems == {
        "feeds/all",
        "feeds/disaster",
        "feeds/topic/compact-cities",
        "feeds/topic/disaster-risk-management",
        "feeds/place/kobe",
        "feeds/place/toyama",
        "feeds/kind/article",
        "feeds/kind/knowledge_note",
        "feeds/kind/report",
        "feeds/kind/video",
        "feeds/language/en",
        "feeds/language/ja",
    }
    # The default list gives each item once: the kind feeds, which never overlap.
    opml = etree.fromstring(files["feeds.opml"])
    groups = {o.get("text"): len(o) for o in opml.find("body")}
    assert groups == {"Kinds": 4}
    urls = [o.get("xmlUrl") for o in opml.iter("outline") if o.get("xmlUrl")]
    kinds = {Path(u).stem: u for u in urls}
    assert set(kinds) == {"article", "knowledge_note", "report", "video"}
    listed = [
        e.findtext("{http://www.w3.org/2005/Atom}id")
        for u in urls
        for e in etree.fromstring(files[u.split("/test/", 1)[1]]).iter(
            "{http://www.w3.org/2005/Atom}entry"
        )
    ]
    everything = etree.fromstring(files["feeds/all.atom"]).iter(
        "{http://www.w3.org/2005/Atom}entry"
    )
    assert sorted(listed) == sorted(
        e.findtext("{http://www.w3.org/2005/Atom}id") for e in everything
    )
    # One list per group for readers who want those.
    for group, count in (("main", 2), ("topic", 2), ("place", 2), ("kind", 4), ("language", 2)):
        per_group = etree.fromstring(files[f"feeds-{group}.opml"])
        assert len([o for o in per_group.iter("outline") if o.get("xmlUrl")]) == count
        # The W3C validator's OPML rules know these head elements only (OPML 2.0's
        # <docs> was an UndefinedElement error).
        head = {child.tag for child in per_group.find("head")}
        assert head <= {"title", "dateCreated", "dateModified", "ownerName", "ownerEmail"}


def test_feed_content_details(fixed: tuple[Context, Store]) -> None:
    ctx, store = fixed
    _, files = render_all(ctx, store)
    atom = feedparser.parse(files["feeds/all.atom"])
    assert atom.bozo == 0
    # The undated notice sorts by when it was first seen (4 days before NOW): newest here.
    assert atom.entries[0].id == "tag:feeds.example.org,2026:city:undated"
    assert atom.feed.updated == "2026-11-22T12:00:00+00:00"  # newest item, not build time
    first = next(e for e in atom.entries if e.id.endswith("notes:toyama-compact"))
    enclosures = [link for link in first.links if link.rel == "enclosure"]
    assert [(e.href, e.get("length")) for e in enclosures] == [
        ("https://materials.example.org/n.pdf", "627"),
        ("https://materials.example.org/n.csv", None),
    ]
    rss = etree.fromstring(files["feeds/all.rss"])
    item = next(i for i in rss.iter("item") if i.findtext("guid", "").endswith("toyama-compact"))
    (enclosure,) = item.findall("enclosure")  # the RSS profile: one per item
    assert enclosure.get("length") == "627"
    assert rss.find("channel/link").text == "https://feeds.example.org/test/"
    assert rss.find("channel/language").text == "en"
    head = b"<?xml version='1.0' encoding='UTF-8'?>\n"
    head += b'<?xml-stylesheet type="text/css" href="feed.css"?>'
    assert files["feeds/all.atom"].startswith(head)
    assert b'href="../feed.css"' in files["feeds/place/toyama.atom"]
    feed = json.loads(files["feeds/all.json"])
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "https://feeds.example.org/test/feeds/all.json"
    video = next(i for i in feed["items"] if i["id"].endswith("abc123"))
    assert video["image"] == "https://i.ytimg.com/vi/abc123/hqdefault.jpg"
    assert video["date_modified"] == "2026-10-21T08:00:00Z"
    assert video["_syndication"]["kind"] == "video"


def test_feeds_carry_no_date_the_validator_calls_implausible(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """A 1965 document, a 1970-01-01 placeholder and a date ahead of when the item was
    first seen (a zone written wrong): the W3C validator warns of each (ImplausibleDate).
    Feeds date such an entry by when it was first seen; the store keeps the item's date."""
    ctx = make_context(write_config())
    seen = datetime(2026, 11, 20, 3, tzinfo=UTC)
    dated = {
        "loan": datetime(1965, 3, 1, tzinfo=UTC),
        "epoch": datetime(1970, 1, 1, tzinfo=UTC),
        "ahead": seen + timedelta(hours=9),
        "fine": seen - timedelta(days=2),
    }
    store = Store(ctx.settings.site.database)
    with store.transaction():
        for name, published in dated.items():
            item = sample_item(
                id=f"notes:{name}",
                source="notes",
                title=f"Report {name}",
                url=f"https://example.org/{name}",
                published=published,
            )
            store.put_item(decide(item, None, seen).stored)
    _, files = render_all(ctx, store)
    store.close()
    atom = etree.fromstring(files["feeds/all.atom"])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = {
        e.findtext("a:id", namespaces=ns).rsplit(":", 1)[1]: e for e in atom.iterfind("a:entry", ns)
    }
    dates = {
        name: (e.findtext("a:published", namespaces=ns), e.findtext("a:updated", namespaces=ns))
        for name, e in entries.items()
    }
    assert dates["loan"][0] is None
    assert dates["epoch"][0] is None
    assert dates["ahead"] == ("2026-11-20T03:00:00+00:00", "2026-11-20T03:00:00+00:00")
    assert dates["fine"] == ("2026-11-18T03:00:00+00:00", "2026-11-18T03:00:00+00:00")
    # Unique per document: the two undated-in-feeds entries take the first-seen time, one
    # a second earlier.
    assert {dates["loan"][1], dates["epoch"][1]} <= {
        "2026-11-20T02:59:59+00:00",
        "2026-11-20T02:59:58+00:00",
    }
    rss = etree.fromstring(files["feeds/all.rss"])
    pub_dates = [i.findtext("pubDate") for i in rss.iter("item")]
    assert not any(d and ("1965" in d or "1970" in d) for d in pub_dates)
    feed = json.loads(files["feeds/all.json"])
    assert all(i.get("date_published", "2026") >= "1990" for i in feed["items"])
    for path in ("feeds/all.atom", "feeds/all.rss"):
        assert _lint_messages(path, files[path], ctx.settings.site.base_url + path) == []


def test_entries_dated_to_the_year_1990_stay_in_the_feed(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """A repository's records dated to the year 1990 share 1990-01-01T00:00:00: the ties
    moved back by seconds into 1989, which the validator calls implausible, and the lint
    left all but one out of the feed. They move forward from 1990 instead."""
    ctx = make_context(write_config())
    seen = datetime(2026, 11, 20, 3, tzinfo=UTC)
    store = Store(ctx.settings.site.database)
    with store.transaction():
        for number in range(3):
            item = sample_item(
                id=f"notes:{number}",
                source="notes",
                title=f"Report {number}",
                url=f"https://example.org/{number}",
                published=datetime(1990, 1, 1, tzinfo=UTC),
                published_precision="year",
            )
            store.put_item(decide(item, None, seen).stored)
    _, files = render_all(ctx, store)
    store.close()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    atom = etree.fromstring(files["feeds/all.atom"])
    updated = [e.findtext("a:updated", namespaces=ns) for e in atom.iterfind("a:entry", ns)]
    assert sorted(updated) == [
        "1990-01-01T00:00:00+00:00",
        "1990-01-01T00:00:01+00:00",
        "1990-01-01T00:00:02+00:00",
    ]
    path = "feeds/all.atom"
    assert _lint_messages(path, files[path], ctx.settings.site.base_url + path) == []


def test_rebuild_is_byte_identical_and_rewrites_nothing(fixed: tuple[Context, Store]) -> None:
    ctx, store = fixed
    first = publish(ctx, store)
    assert first.written
    assert not first.refused
    # Nothing changed: nothing is even rendered.
    again = publish(ctx, store)
    assert (again.written, again.rendered) == ([], 0)
    # A rebuild renders everything again, to the same bytes, and rewrites no file.
    public = ctx.settings.site.output_dir
    mtimes = {p: p.stat().st_mtime_ns for p in public.rglob("*") if p.is_file()}
    rebuilt = publish(ctx, store, rebuild=True)
    assert rebuilt.written == []
    assert sorted(rebuilt.unchanged) == sorted(first.written)
    assert {p: p.stat().st_mtime_ns for p in public.rglob("*") if p.is_file()} == mtimes
    # A new item changes only the files it belongs to.
    item = replace(
        _items()[2],
        id="city:new",
        title="新しいお知らせ",
        url="https://toyama.example.org/new.html",
    )
    store.put_item(decide(item, None, NOW).stored)
    third = publish(ctx, store)
    assert "feeds/all.atom" in third.written
    assert "feeds/place/toyama.atom" in third.written
    assert "feeds/kind/video.atom" not in third.written
    assert "feeds/place/kobe.rss" not in third.written
    touched = {path.split("/")[1] if path.count("/") == 1 else path for path in third.written}
    assert "feeds/kind/video.json" not in touched
    assert third.rendered == len(third.written)  # nothing rendered that did not change


@pytest.mark.slow
def test_ten_thousand_items_archive_completely(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    ctx = make_context(write_config(http=""))
    every_format = ctx.settings.archives.model_copy(update={"formats": ["atom", "rss", "json"]})
    ctx.settings = ctx.settings.model_copy(update={"archives": every_format})
    store = Store(ctx.settings.site.database)
    base = datetime(2020, 1, 1, tzinfo=UTC)
    with store.transaction():
        for n in range(10_000):
            when = base + timedelta(hours=n)
            item = bulk_item(n, published=when, published_precision="datetime", places=())
            store.put_item(decide(item, None, NOW).stored)
    view, files = render_all(ctx, store)
    size = ctx.settings.site.feed_size
    for fmt in ("atom", "rss", "json"):
        seen: set[str] = set()
        path: str | None = f"feeds/all.{fmt}"
        pages = 0
        while path:
            data = files[path]
            kind = feed_format(path)
            assert kind is not None
            assert lint_document(kind, data, view.url(path), ctx.settings.site.max_feed_bytes) == []
            ids, path = _ids_and_prev(data, fmt, view)
            seen.update(ids)
            pages += 1
        assert len(seen) == 10_000, fmt
        assert pages == 1 + 10_000 // size
    current = etree.fromstring(files["feeds/all.atom"])
    assert len(current.findall(f"{ATOM}entry")) == size
    assert current.find(f"{FH}complete") is None
    archive = etree.fromstring(files["feeds/archive/all/1.atom"])
    assert archive.find(f"{FH}archive") is not None
    rels = {link.get("rel"): link.get("href") for link in archive.findall(f"{ATOM}link")}
    assert rels["current"] == view.url("feeds/all.atom")
    assert rels["next-archive"] == view.url("feeds/archive/all/2.atom")
    assert "prev-archive" not in rels
    store.close()


def _ids_and_prev(data: bytes, fmt: str, view: StoreView) -> tuple[list[str], str | None]:
    prefix = view.settings.site.base_url
    if fmt == "json":
        feed = json.loads(data)
        nxt = feed.get("next_url")
        return [i["id"] for i in feed["items"]], nxt[len(prefix) :] if nxt else None
    root = etree.fromstring(data)
    if fmt == "atom":
        ids = [e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")]
        links = root.findall(f"{ATOM}link")
    else:
        ids = [i.findtext("guid") for i in root.findall("channel/item")]
        links = root.findall(f"channel/{ATOM}link")
    prev = next((link.get("href") for link in links if link.get("rel") == "prev-archive"), None)
    return [i or "" for i in ids], prev[len(prefix) :] if prev else None


def _lint_messages(path: str, data: bytes, url: str) -> list[str]:
    fmt = feed_format(path)
    assert fmt is not None
    return lint_document(fmt, data, url, 10**6)


def test_lint_finds_what_the_validator_would(fixed: tuple[Context, Store]) -> None:
    ctx, store = fixed
    view, files = render_all(ctx, store)
    atom_url, rss_url, json_url = (view.url(f"feeds/all.{f}") for f in ("atom", "rss", "json"))
    good = files["feeds/all.atom"]
    assert _lint_messages("feeds/all.atom", good, atom_url) == []
    bad = good.replace(b"2026:city:undated", b"2026:city:1007438")
    bad = bad.replace(b'xml:lang="en"', b'xml:lang="english!"')
    messages = _lint_messages("feeds/all.atom", bad, atom_url)
    assert any("duplicate entry id" in m for m in messages)
    assert any("xml:lang" in m for m in messages)
    moved = _lint_messages("feeds/all.atom", good, "https://elsewhere.example.org/all.atom")
    assert any("self link" in m for m in moved)
    rss = files["feeds/all.rss"].replace(b"<pubDate>", b"<pubDate>2026-01-01 ", 1)
    assert any("RFC 822" in m for m in _lint_messages("feeds/all.rss", rss, rss_url))
    control = files["feeds/all.json"].replace(b"Undated", b"Und\\u0001ated")
    escaped = _lint_messages("feeds/all.json", control, json_url)  # escaped, still forbidden
    assert any("control characters" in m for m in escaped)
    raw = files["feeds/all.json"].replace(b"Undated", b"Und\x01ated")
    assert any("control characters" in m for m in _lint_messages("feeds/all.json", raw, json_url))


def test_publish_keeps_a_good_feed_when_the_new_one_is_invalid(
    fixed: tuple[Context, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, store = fixed
    publish(ctx, store)
    path = ctx.settings.site.output_dir / "feeds" / "all.atom"
    good = path.read_bytes()
    from tdlc_syndication.outputs.atom import render_atom as real

    def broken(head: Any, entries: Any) -> bytes:
        data = real(head, entries)
        if head.path == "feeds/all.atom":
            return data.replace(b"<updated>", b"<updated>x", 1)
        return data

    monkeypatch.setattr("tdlc_syndication.outputs.formats.render_atom", broken)
    item = replace(_items()[0], id="notes:new", url="https://materials.example.org/new")
    store.put_item(decide(item, None, NOW).stored)
    report = publish(ctx, store)
    assert [p.path for p in report.refused] == ["feeds/all.atom"]
    assert path.read_bytes() == good
    assert "feeds/all.rss" in report.written  # the other documents go out
    # The refused feed is not recorded as published: the next publish tries it again.
    monkeypatch.setattr("tdlc_syndication.outputs.formats.render_atom", real)
    retry = publish(ctx, store, rebuild=False)
    assert "feeds/all.atom" in retry.written
    assert b"notes:new" in path.read_bytes()


def _blog_with_hub(
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
    tmp_path: Path,
    hub: Callable[[Request], Response],
) -> Context:
    """The demo's blog fetched, for a site whose WebSub hub answers with ``hub``."""
    server.expect_request("/hub", method="POST").respond_with_handler(hub)
    feed = tmp_path / "blog.rss"
    feed.write_bytes((DEMO_CONFIG.parent / "demo" / "feeds" / "tdlc-blog.rss").read_bytes())
    config = write_config(f'[[sources]]\nid = "blog"\nkind = "feed"\npath = "{feed}"\n')
    text = config.read_text().replace(
        "[site]\n", f'[site]\nwebsub_hub = "{server.url_for("/hub")}"\n', 1
    )
    config.write_text(text)
    ctx = make_context(config)
    run_sources(ctx, ctx.settings.sources)
    return ctx


def test_websub_pings_only_changed_feeds(
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
    tmp_path: Path,
) -> None:
    pings: list[dict[str, str]] = []

    def hub(request: Request) -> Response:
        pings.append(dict(request.form))
        return Response(status=204)

    ctx = _blog_with_hub(server, write_config, make_context, tmp_path, hub)
    with ctx.open_store() as store:
        report = publish(ctx, store)
    assert all(p["hub.mode"] == "publish" for p in pings)
    pinged = {p["hub.url"] for p in pings}
    assert "https://feeds.example.org/test/feeds/all.atom" in pinged
    assert "https://feeds.example.org/test/feeds/all.json" in pinged
    assert len(report.pinged) == len(pinged)
    atom = (ctx.settings.site.output_dir / "feeds" / "all.atom").read_bytes()
    assert f'<link rel="hub" href="{server.url_for("/hub")}"/>'.encode() in atom
    pings.clear()
    with ctx.open_store() as store:
        assert publish(ctx, store).pinged == []
    assert pings == []


def test_websub_pings_the_hub_did_not_take_are_sent_again(
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
    tmp_path: Path,
) -> None:
    """A hub that was down (503, or no answer) during a publish never heard of that
    publish's feeds: their subscribers waited for the next change of each feed, weeks
    for a quiet one. The next publish, with nothing new, asks the hub again; a URL the
    hub refused (4xx) is not asked again."""
    answers = [503]
    pings: list[str] = []

    def hub(request: Request) -> Response:
        pings.append(request.form["hub.url"])
        url = request.form["hub.url"]
        return Response(status=400 if url.endswith("all.json") else answers[0])

    ctx = _blog_with_hub(server, write_config, make_context, tmp_path, hub)
    with ctx.open_store() as store:
        first = publish(ctx, store)
    assert first.pinged == []
    written = set(pings)
    assert "https://feeds.example.org/test/feeds/all.atom" in written
    assert set(first.pings_owed) == written - {"https://feeds.example.org/test/feeds/all.json"}
    # `publish` by hand says so (from cron, the only word of it).
    code, out = invoke(tmp_path / "syndicate.toml", "publish")
    assert code == 0, out
    assert f"failed ({len(first.pings_owed)} asked again at the next publish)" in out
    pings.clear()
    answers[0] = 204
    with ctx.open_store() as store:
        second = publish(ctx, store)  # nothing new to write, pings owed
    assert second.written == []
    assert set(pings) == written - {"https://feeds.example.org/test/feeds/all.json"}
    assert set(second.pinged) == set(pings)
    assert second.pings_owed == []
    pings.clear()
    with ctx.open_store() as store:
        assert publish(ctx, store).pinged == []
    assert pings == []
    # Pings owed when the hub is taken out of the settings are owed to nobody: they no
    # longer keep every publish from knowing it has nothing to do.
    with ctx.open_store() as store, store.transaction():
        store.set_publish_value(PINGS_KEY, '["https://feeds.example.org/test/feeds/all.atom"]')
    site = ctx.settings.site.model_copy(update={"websub_hub": None})
    ctx = replace(ctx, settings=ctx.settings.model_copy(update={"site": site}))
    with ctx.open_store() as store:
        publish(ctx, store)
        assert not store.publish_value(PINGS_KEY)
    assert pings == []


def test_demo_feeds_parse_with_expected_content(
    tmp_path: Path, make_context: Callable[[Path], Context], demo_config: Path
) -> None:
    ctx = make_context(demo_config)
    run_sources(ctx, ctx.settings.sources)
    with ctx.open_store() as store:
        report = publish(ctx, store)
        view = StoreView(store, ctx.settings)
        expected = {view.tag_uri(s.item.id): s for s in store.canonical_items()}
    assert report.refused == []
    public = tmp_path / "public"
    feeds = sorted(p for p in (public / "feeds").rglob("*") if p.suffix in (".atom", ".rss"))
    assert len(feeds) == 66  # 64 + the upcoming-events feed in Atom and RSS
    assert (public / "digest" / "feed.atom").is_file()  # no issue yet, no entry: not here
    counts = {}
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, path
        assert parsed.entries, path
        for entry in parsed.entries:
            stored = expected[entry.id].item
            assert entry.title == stored.title
            assert entry.link == stored.url
            if stored.published:
                assert entry.published_parsed is not None
        counts[path.relative_to(public).as_posix()] = len(parsed.entries)
    assert counts["feeds/all.atom"] == counts["feeds/all.rss"] == 46
    assert counts["feeds/videos.atom"] == 10
    assert counts["feeds/language/ja.rss"] == 15  # the Kobe drill is in Japanese
    assert counts["feeds/place/toyama.atom"] == 14  # with the transit deep dive


def test_the_subscription_lists_write_titles_as_html_text(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """The validator reads an OPML list's titles as HTML (NotHtml): a feed titled
    "Kobe <port> & harbour" is listed with its "<" escaped for HTML."""
    feeds = '[[feeds]]\nid = "kobe"\ntitle = "Kobe <port> & harbour"\nplaces = ["kobe"]\n'
    ctx = make_context(write_config(extra=feeds))
    with Store(ctx.settings.site.database) as store:
        with store.transaction():
            for n, item in enumerate(_items()):
                store.put_item(decide(item, None, NOW - timedelta(days=n)).stored)
        _, files = render_all(ctx, store)
    opml = etree.fromstring(files["feeds-main.opml"])
    (kobe,) = [o for o in opml.iter("outline") if (o.get("xmlUrl") or "").endswith("kobe.atom")]
    assert kobe.get("text") == kobe.get("title") == "Kobe &lt;port&gt; &amp; harbour"


def test_a_content_of_the_summarys_words_stays_for_its_link_or_picture(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """A content whose words are the summary's is left out of the feeds (it says no
    more); but one with a link or a picture in them (a notice's "apply by the form", a
    newsletter's banner) said more, and the feeds lost where to register."""
    ctx = make_context(write_config())
    said = "Apply by 10 December."
    items = [
        sample_item(
            id="blog:linked",
            url="https://example.org/linked",
            summary=said,
            content_html='<p>Apply by <a href="https://example.org/form">10 December</a>.</p>',
        ),
        sample_item(
            id="blog:pictured",
            url="https://example.org/pictured",
            summary=said,
            content_html='<p><img src="https://example.org/map.png" alt="">' + said + "</p>",
        ),
        sample_item(
            id="blog:plain",
            url="https://example.org/plain",
            summary=said,
            content_html="<p>Apply by 10 December.</p>",
        ),
    ]
    store = Store(ctx.settings.site.database)
    try:
        with store.transaction():
            for n, item in enumerate(items):
                store.put_item(decide(item, None, NOW - timedelta(days=n)).stored)
        _, files = render_all(ctx, store)
    finally:
        store.close()
    for path in ("feeds/all.atom", "feeds/all.rss"):
        entries = {e.link: e for e in feedparser.parse(files[path]).entries}
        assert "https://example.org/form" in entries["https://example.org/linked"].content[0].value
        assert "map.png" in entries["https://example.org/pictured"].content[0].value
        assert "content" not in entries["https://example.org/plain"]
    items_json = json.loads(files["feeds/all.json"])["items"]
    by_url = {i["url"]: i for i in items_json}
    assert "content_html" in by_url["https://example.org/linked"]
