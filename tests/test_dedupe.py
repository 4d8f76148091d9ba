"""One item per story: re-issued GUIDs and URLs, edits, cross-source duplicates, overrides,
explanations, and any text surviving into every output format."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from tests_support import BLOG, NOW, feed_file_source, sample_item
from werkzeug import Request, Response

from tdlc_syndication.pipeline.cli import cli
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.dedupe import decide, group_stories, same_item
from tdlc_syndication.pipeline.model import Item, story_keys, title_key
from tdlc_syndication.pipeline.run import run_sources


def test_reissued_guids_make_no_new_items(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    ctx = make_context(write_config(feed_file_source(tmp_path, "blog", BLOG)))
    assert run_sources(ctx, ctx.settings.sources)[0].new == 10
    # The blog moves to a new CMS: every GUID changes, links stay.
    (tmp_path / "blog.xml").write_text(BLOG.replace("?p=", "?post_id="), encoding="utf-8")
    report = run_sources(ctx, ctx.settings.sources)[0]
    assert (report.new, report.changed) == (0, 0)
    assert report.notes["reissued-id"] == 10
    with ctx.open_store() as store:
        before = store.get_items("blog")
    # And once more (the channel's text changed, so the document is read again): the
    # aliases map straight to the stored items, which stay as they are (not new again,
    # first seen and updated kept).
    (tmp_path / "blog.xml").write_text(
        BLOG.replace("?p=", "?post_id=").replace("Written for the demo.", "Demo."),
        encoding="utf-8",
    )
    again = run_sources(ctx, ctx.settings.sources)[0]
    assert (again.new, again.changed, again.unchanged) == (0, 0, 10)
    with ctx.open_store() as store:
        assert store.get_items("blog") == before
        assert len(store.items("blog")) == 10
        assert store.aliases("blog", ["blog:https://blog.example.org/cpp/?post_id=1412"]) == {
            "blog:https://blog.example.org/cpp/?post_id=1412": "blog:https://blog.example.org/cpp/?p=1412"
        }


def test_changed_url_and_guid_with_same_title_and_day_is_the_same_item(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    ctx = make_context(write_config(feed_file_source(tmp_path, "blog", BLOG)))
    run_sources(ctx, ctx.settings.sources)
    moved = BLOG.replace("?p=1350", "?p=9999").replace(
        "2026/08/kitakyushu-eco-town-visit/", "news/kitakyushu-eco-town/"
    )
    (tmp_path / "blog.xml").write_text(moved, encoding="utf-8")
    report = run_sources(ctx, ctx.settings.sources)[0]
    assert report.new == 0
    assert report.changed == 1  # the link changed: an edit of the same item
    with ctx.open_store() as store:
        item = store.get_items("blog")["blog:https://blog.example.org/cpp/?p=1350"].item
    assert item.url == "https://blog.example.org/cpp/news/kitakyushu-eco-town/"


def test_trivial_changes_are_not_edits(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    ctx = make_context(write_config(feed_file_source(tmp_path, "blog", BLOG)))
    run_sources(ctx, ctx.settings.sources)
    noisy = BLOG.replace(
        "What ten years of city partnerships", "What   ten years of\n city partnerships"
    ).replace(
        "2026/07/smart-city-data-platforms/", "2026/07/smart-city-data-platforms/?utm_campaign=x"
    )
    (tmp_path / "blog.xml").write_text(noisy, encoding="utf-8")
    report = run_sources(ctx, ctx.settings.sources)[0]
    assert (report.new, report.changed, report.unchanged) == (0, 0, 10)


def _rss(*items: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        "<link>https://x.example.org/</link><description>d</description>"
        + "".join(items)
        + "</channel></rss>"
    )


def _rss_item(guid: str, title: str, link: str, date: str) -> str:
    return (
        f"<item><guid isPermaLink='false'>{guid}</guid><title>{title}</title>"
        f"<link>{link}</link><pubDate>{date}</pubDate><description>About it.</description></item>"
    )


def test_same_story_from_three_sources_is_one_item(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    report_url = "https://materials.example.org/reports/urban-resilience"
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(
        "- id: urban-resilience\n  title: Building Urban Resilience in Partner Cities\n"
        f"  url: {report_url}\n  published: 2026-06-30\n  summary: The full report.\n"
        "  identifiers: ['wds:31476985']\n  body: Chapters on floods and heat.\n",
        encoding="utf-8",
    )
    # A city announces it under its own link, same title and day.
    city = _rss(
        _rss_item("c1", "Building urban resilience in partner cities", "https://city.example.org/n/1",
                  "Tue, 30 Jun 2026 03:00:00 +0000"),
        _rss_item("c2", "Unrelated notice", "https://city.example.org/n/2",
                  "Tue, 30 Jun 2026 03:00:00 +0000"),
    )  # fmt: skip
    # A mirror links the report itself.
    mirror = _rss(
        _rss_item("m1", "Urban resilience report", report_url, "Wed, 01 Jul 2026 00:00:00 +0000")
    )
    ctx = make_context(
        write_config(
            f'[[sources]]\nid = "materials"\nkind = "catalog"\npath = "{catalog}"\n'
            + feed_file_source(tmp_path, "city", city)
            + feed_file_source(tmp_path, "mirror", mirror)
        )
    )
    run_sources(ctx, ctx.settings.sources)
    result = CliRunner().invoke(
        cli,
        ["--config", str(ctx.settings.site.database.parent / "syndicate.toml"), "items", "--json"],
    )
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    canonical = rows["materials:urban-resilience"]  # the richest record
    assert canonical["duplicate_of"] is None
    assert sorted(canonical["also_seen_at"]) == ["city:c1", "mirror:m1"]
    assert rows["city:c1"]["duplicate_of"] == "materials:urban-resilience"
    assert rows["mirror:m1"]["duplicate_of"] == "materials:urban-resilience"
    assert rows["city:c2"]["duplicate_of"] is None
    assert canonical["identifiers"] == ["wds:31476985"]
    with ctx.open_store() as store:
        assert [s.item.id for s in store.canonical_items()].count("materials:urban-resilience") == 1
        assert len(store.canonical_items()) == 2


def test_keys_and_matching_rules() -> None:
    item = Item(
        id="s:1",
        source="s",
        kind="report",
        title="Building Urban Resilience: Partner Cities!",
        url="https://x.example.org/a",
        published=datetime(2026, 6, 30, 4, tzinfo=UTC),
        published_precision="datetime",
        identifiers=("wds:1",),
    )
    assert title_key(item.title) == title_key("building urban resilience partner cities")
    assert story_keys(item) == {
        "url:https://x.example.org/a",
        "id:wds:1",
        "title:buildingurbanresiliencepartnercities|2026-06-30",
    }
    other = replace(item, id="s:2", url="https://x.example.org/b")
    assert same_item(other, item)
    assert not same_item(replace(other, published=datetime(2026, 7, 1, tzinfo=UTC)), item)


def test_one_report_from_documents_api_repository_and_city_feed(
    server: HTTPServer, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    data = Path(__file__).parent / "data"

    def wds(request: Request) -> Response:
        page = "page-1.json" if request.args["os"] == "0" else "page-2.json"
        return Response(
            (data / "worldbank_documents" / page).read_bytes(), content_type="application/json"
        )

    def oai(request: Request) -> Response:
        page = "page-2.xml" if "resumptionToken" in request.args else "page-1.xml"
        return Response((data / "oai_pmh" / page).read_bytes(), content_type="text/xml")

    city = _rss(
        _rss_item(
            "yokohama-2026-07-01",
            "横浜市も参加した報告書が公開されました",
            # the city links the documents API's landing page, over http
            "http://documents.worldbank.org/curated/en/099063026123456789",
            "Wed, 01 Jul 2026 01:00:00 +0000",
        )
    )
    server.expect_request("/wds").respond_with_handler(wds)
    server.expect_request("/oai").respond_with_handler(oai)
    server.expect_request("/city.rss").respond_with_data(city, content_type="application/rss+xml")
    config = write_config(
        f'[[sources]]\nid = "wds"\nkind = "worldbank_documents"\nurl = "{server.url_for("/wds")}"\n'
        'qterms = ["TDLC"]\nrows = 2\nallow_private = true\n'
        f'[[sources]]\nid = "okr"\nkind = "oai_pmh"\nurl = "{server.url_for("/oai")}"\n'
        "allow_private = true\n"
        f'[[sources]]\nid = "yokohama"\nkind = "feed"\nurl = "{server.url_for("/city.rss")}"\n'
        "allow_private = true\n",
        extra='[normalise]\nhttps_hosts = ["documents.worldbank.org"]\n',
    )
    ctx = make_context(config)
    assert {r.status for r in run_sources(ctx, ctx.settings.sources)} == {"ok"}
    result = CliRunner().invoke(cli, ["--config", str(config), "items", "--json", "--limit", "50"])
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    story = {"wds:31476985", "okr:10986/42650", "yokohama:yokohama-2026-07-01"}
    canonical = [rows[i] for i in story if rows[i]["duplicate_of"] is None]
    assert len(canonical) == 1
    (main,) = canonical
    assert main["id"] == "wds:31476985"  # the richest: summary, date, media, authors
    assert sorted(main["also_seen_at"]) == sorted(story - {main["id"]})
    assert {rows[i]["duplicate_of"] for i in story - {main["id"]}} == {main["id"]}
    with ctx.open_store() as store:
        view_ids = [s.item.id for s in store.canonical_items()]
    assert sum(i in story for i in view_ids) == 1


def test_decide_new_unchanged_changed() -> None:
    item = sample_item()
    new = decide(item, None, NOW)
    assert new.status == "new"
    assert decide(item, new.stored, NOW + timedelta(hours=1)).status == "unchanged"
    later = NOW + timedelta(days=1)
    changed = decide(replace(item, title="Compact cities, revised"), new.stored, later)
    assert changed.status == "changed"
    assert changed.stored.first_seen == NOW
    assert changed.stored.last_changed == later
    assert changed.stored.item.updated == later  # the origin gave no updated date
    # Only the extra pairs differ: not an edit.
    assert decide(replace(item, extra=()), new.stored, later).status == "unchanged"


def test_a_link_several_items_share_reissues_none_of_them(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """A feed whose items all link to the city's home page, told apart by their GUIDs:
    when one left the feed and a new one came, the new one took the old one's id (the
    same link) and its entry, retitled. A shared link names no one item."""

    def feed(*posts: tuple[str, str]) -> str:
        items = "".join(
            f"<item><guid isPermaLink='false'>{guid}</guid><title>{title}</title>"
            "<link>https://city.example.jp/</link></item>"
            for guid, title in posts
        )
        return f"<rss version='2.0'><channel><title>City</title><link>https://city.example.jp/</link><description>d</description>{items}</channel></rss>"

    path = tmp_path / "city.xml"
    path.write_text(feed(("n1", "Waste collection days"), ("n2", "Flood drill")), "utf-8")
    ctx = make_context(write_config(f'[[sources]]\nid = "city"\nkind = "feed"\npath = "{path}"\n'))
    run_sources(ctx, ctx.settings.sources)
    # Two items at one address, each with its own title: two stories (one was hidden as
    # the other's duplicate).
    with ctx.open_store() as store:
        assert [s.duplicate_of for s in store.items("city")] == [None, None]
    path.write_text(feed(("n2", "Flood drill"), ("n3", "Library closed")), "utf-8")
    report = run_sources(ctx, ctx.settings.sources)[0]
    assert "reissued-id" not in report.notes
    with ctx.open_store() as store:
        titles = {i: s.item.title for i, s in store.get_items("city").items()}
    assert titles["city:n1"] == "Waste collection days"
    assert titles["city:n3"] == "Library closed"


def test_one_address_joins_items_of_one_source_only_under_one_title() -> None:
    """A URL is one story across sources; within one source only for the same title."""
    members = {
        ("city", "a"): {"url:https://city.example.jp/"},
        ("city", "b"): {"url:https://city.example.jp/"},
        ("city", "c"): {"url:https://city.example.jp/"},
        ("blog", "x"): {"url:https://blog.example.org/p"},
        ("wds", "y"): {"url:https://blog.example.org/p"},
    }
    titles = {("city", "a"): "flood drill", ("city", "b"): "library", ("city", "c"): "flood drill"}
    groups = sorted(group_stories(members, titles))
    assert groups == [
        [("blog", "x"), ("wds", "y")],
        [("city", "a"), ("city", "c")],
        [("city", "b")],
    ]
    # A page of many items in one source (the city's events page every event links to):
    # another source's item there joins the one of its title only.
    members[("html", "z")] = {"url:https://city.example.jp/"}
    members[("html", "w")] = {"url:https://city.example.jp/"}
    titles |= {("html", "z"): "library", ("html", "w"): "bus routes"}
    assert sorted(group_stories(members, titles)) == [
        [("blog", "x"), ("wds", "y")],
        [("city", "a"), ("city", "c")],
        [("city", "b"), ("html", "z")],
        [("html", "w")],
    ]
    # Without titles (the first pass of a relink), the address alone decides.
    assert [("city", "a"), ("city", "b"), ("city", "c"), ("html", "w"), ("html", "z")] in (
        group_stories(members)
    )


def test_a_published_entry_keeps_its_id_when_a_richer_copy_of_its_story_comes_later(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """A city's short notice was published; days later the same story came from another
    source with the full text. The richer record became canonical and the feeds gave the
    story again under its id: every subscriber saw it twice. The published record stays
    canonical; the newcomer is one of its origins."""
    notice = (
        "<item><title>Toyama light rail opens a new line</title>"
        "<link>https://news.example.org/toyama-lrt</link><guid>{guid}</guid>"
        "<pubDate>Mon, 16 Nov 2026 02:10:44 +0000</pubDate>"
        "<description>{text}</description></item>"
    )

    def feed(items: str) -> str:
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F'
            "</title><link>https://news.example.org/</link><description>F</description>"
            f"{items}</channel></rss>"
        )

    config = write_config(
        feed_file_source(tmp_path, "city", feed(notice.format(guid="c-1", text="Short.")))
        + feed_file_source(tmp_path, "wire", feed(""))
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["--config", str(config), "-q", "run", "--once"]).exit_code == 0
    long = "The line links the station with the tram loop. " * 40
    (tmp_path / "wire.xml").write_text(feed(notice.format(guid="w-1", text=long)), "utf-8")
    assert runner.invoke(cli, ["--config", str(config), "-q", "run", "--once"]).exit_code == 0
    atom = (tmp_path / "public" / "feeds" / "all.atom").read_text("utf-8")
    assert ":city:c-1</id>" in atom
    assert ":wire:w-1</id>" not in atom
    shown = json.loads(runner.invoke(cli, ["--config", str(config), "items", "--json"]).output)
    assert {(i["id"], i["duplicate_of"]) for i in shown} == {
        ("city:c-1", None),
        ("wire:w-1", "city:c-1"),
    }


def _built(stamp: str, extra: str = "") -> str:
    """A municipal feed that dates every entry with the time it was built."""
    entries = "".join(
        f"<item><title>{title}</title><link>https://city.example.jp/{n}.html</link>"
        f"<pubDate>{stamp}</pubDate></item>"
        for n, title in enumerate(("防災訓練のお知らせ", "まちづくり講座", "視察の受入れ"))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>市</title>'
        "<link>https://city.example.jp/</link><description>d</description>"
        f"<lastBuildDate>{stamp}</lastBuildDate>{entries}{extra}</channel></rss>"
    )


def test_a_feed_dated_by_its_build_keeps_its_entries_dates(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """Some CMSs and scripts date every entry of their RSS with the time it was built:
    at each build every stored entry came again a few days later, changed, and went to
    the top of every feed as updated. An entry whose only news is the build's later date
    stays as it was; an entry new in the build is dated by it; a feed whose entries have
    dates of their own is read as before."""
    first = "Fri, 20 Nov 2026 09:00:00 +0900"
    ctx = make_context(write_config(feed_file_source(tmp_path, "city", _built(first))))
    assert run_sources(ctx, ctx.settings.sources)[0].new == 3
    with ctx.open_store() as store:
        before = store.get_items("city")
    later = "Tue, 24 Nov 2026 09:00:00 +0900"
    new_entry = (
        "<item><title>交流会の報告</title><link>https://city.example.jp/9.html</link>"
        f"<pubDate>{later}</pubDate></item>"
    )
    (tmp_path / "city.xml").write_text(_built(later, new_entry), encoding="utf-8")
    report = run_sources(ctx, ctx.settings.sources)[0]
    assert (report.new, report.changed, report.unchanged) == (1, 0, 3)
    with ctx.open_store() as store:
        after = store.get_items("city")
    assert {key: after[key] for key in before} == before
    added = after["city:https://city.example.jp/9.html"].item
    assert added.published == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
    # Dates of their own, one moved on: an edit, as before.
    own = BLOG.replace("<pubDate>Mon, 16 Nov 2026", "<pubDate>Wed, 18 Nov 2026", 1)
    blog = make_context(write_config(feed_file_source(tmp_path, "blog", BLOG)))
    run_sources(blog, blog.settings.sources)
    (tmp_path / "blog.xml").write_text(own, encoding="utf-8")
    assert run_sources(blog, blog.settings.sources)[0].changed == 1
