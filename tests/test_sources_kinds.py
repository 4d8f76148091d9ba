"""The source kinds for the program's real sources, each against fixtures of the real
shape served by a real HTTP server on 127.0.0.1: every mapped field and the quirks."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tdlc_syndication.pipeline.cli import cli
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.model import Event, Item
from tdlc_syndication.pipeline.run import run_source
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.sources.base import FetchState
from tdlc_syndication.sources.registry import build_source

DATA = Path(__file__).parent / "data"
MakeContext = Callable[[Path], Context]


def _source(kind: str, body: str, source_id: str = "src") -> str:
    return f'[[sources]]\nid = "{source_id}"\nkind = "{kind}"\nallow_private = true\n{body}\n'


def _parse(ctx: Context, source_id: str = "src") -> list:  # type: ignore[type-arg]
    source = build_source(ctx.settings.source(source_id), ctx.http, ctx.clock)
    return [out for fetched in source.fetch(FetchState()) for out in source.parse(fetched)]


def _run(ctx: Context, source_id: str = "src"):  # type: ignore[no-untyped-def]
    with Store(ctx.settings.site.database) as store:
        report = run_source(ctx, ctx.settings.source(source_id), store)
        return report, {s.item.id: s for s in store.items(source_id)}


# -- html ------------------------------------------------------------------------------


@pytest.fixture
def city_site(server: HTTPServer) -> HTTPServer:
    list_1 = (DATA / "html" / "list-1.html").read_text("utf-8").encode("cp932")
    server.expect_request("/news/list-1.html").respond_with_data(list_1, content_type="text/html")
    server.expect_request("/news/list-2.html").respond_with_data(
        (DATA / "html" / "list-2.html").read_bytes(), content_type="text/html; charset=utf-8"
    )
    server.expect_request("/kurashi/bosai/1007415.html").respond_with_data(
        (DATA / "html" / "detail-event.html").read_bytes(), content_type="text/html"
    )
    server.expect_request("/kurashi/toshi/1007438.html").respond_with_data(
        (DATA / "html" / "detail-article.html").read_bytes(), content_type="text/html"
    )
    server.expect_request("/kurashi/kankyo/1007402.html").respond_with_data("gone", status=404)
    return server


HTML_SOURCE = """url = "{url}"
item_selector = "ul.news li"
date_selector = "span.date"
summary_selector = "p.lead"
next_selector = "a.next"
max_pages = 3
timezone = "Asia/Tokyo"
language = "ja"
"""


def test_html_list_pages_with_japanese_dates(
    city_site: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    url = city_site.url_for("/news/list-1.html")
    ctx = make_context(write_config(_source("html", HTML_SOURCE.format(url=url))))
    items = {i.title: i for i in _parse(ctx)}
    assert len(items) == 6  # five blocks on page 1 (one without a link), one on page 2
    visit = items["都市間連携プログラムの視察団を受け入れました"]
    assert visit.url == city_site.url_for("/kurashi/toshi/1007438.html")
    assert visit.id == f"src:{visit.url}"
    assert (visit.published, visit.published_precision) == (
        datetime(2026, 11, 20, tzinfo=UTC),
        "day",
    )
    assert visit.summary == "アジアの都市から職員が来訪しました。"
    assert items["防災ワークショップ（11月）のご案内"].published == datetime(
        2026, 11, 5, tzinfo=UTC
    )
    assert items["ごみの分別の手引きを改訂しました"].published == datetime(2026, 10, 1, tzinfo=UTC)
    assert items["日付のないお知らせ"].published is None
    assert items["令和元年の市政だより"].published == datetime(2019, 5, 1, tzinfo=UTC)
    assert items[""].url == ""  # a block without a link: no title, no link
    report, stored = _run(ctx)
    assert report.notes["no-title"] == 1  # dropped by normalisation, and counted
    assert len(stored) == 5


def test_html_follow_reads_item_pages(
    city_site: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    url = city_site.url_for("/news/list-1.html")
    ctx = make_context(
        write_config(
            _source("html", HTML_SOURCE.format(url=url).replace("max_pages = 3", "follow = true"))
        )
    )
    report, stored = _run(ctx)
    assert report.status == "ok"
    event = stored[f"src:{city_site.url_for('/kurashi/bosai/1007415.html')}"].item
    assert event.kind == "event"
    assert event.event == Event(
        start=datetime(2026, 11, 26, 4, 30, tzinfo=UTC),
        end=datetime(2026, 11, 26, 6, 0, tzinfo=UTC),
        all_day=False,
        location="市民プラザ, Toyama, JP; https://meet.example.org/bosai",
        status="scheduled",
        mode="mixed",
    )
    assert event.summary == "地域の自主防災組織と市の職員が避難計画を話し合います。"
    assert event.thumbnail == city_site.url_for("/_res/projects/default_project/_page_/bosai.jpg")
    assert "参加は無料です。" in event.content_html
    assert "alert" not in event.content_html
    assert "onclick" not in event.content_html
    article = stored[f"src:{city_site.url_for('/kurashi/toshi/1007438.html')}"].item
    assert article.authors == ("富山市 国際課",)  # from JSON-LD with a trailing comma
    assert article.updated == datetime(2026, 11, 21, 0, 0, tzinfo=UTC)
    assert article.categories == ("国際交流", "まちづくり")
    assert f'href="{city_site.url_for("/kurashi/kotsu/lrt.html")}"' in article.content_html
    assert "onerror" not in article.content_html
    # The page that answered 404 still gives its list item, without page details, and the
    # run counts it as a skip with its reason.
    missing = city_site.url_for("/kurashi/kankyo/1007402.html")
    waste = stored[f"src:{missing}"].item
    assert waste.content_html == ""
    unserved = city_site.url_for("/kurashi/other/1007399.html")  # the test server: 500
    reasons = {s.url: s.reason for s in report.skipped}
    assert set(reasons) == {missing, unserved}
    assert "404" in reasons[missing]


def test_a_failed_follow_shows_in_fetch_and_status(
    city_site: HTTPServer, write_config: Callable[..., Path]
) -> None:
    url = city_site.url_for("/news/list-1.html")
    config = write_config(
        _source("html", HTML_SOURCE.format(url=url).replace("max_pages = 3", "follow = true"))
    )
    missing = city_site.url_for("/kurashi/kankyo/1007402.html")
    runner = CliRunner(env={"COLUMNS": "300"})
    fetched = runner.invoke(cli, ["--config", str(config), "fetch"])
    assert fetched.exit_code == 0
    assert "2 skipped" in fetched.stderr
    assert f"skipped: src: {missing}: " in fetched.stderr
    assert "skipped 2:" in fetched.stdout  # the summary table's detail column
    status = CliRunner().invoke(cli, ["--config", str(config), "status", "--json"])
    (row,) = json.loads(status.stdout)
    reasons = {s["url"]: s["reason"] for s in row["skipped"]}
    assert "404" in reasons[missing]
    table = runner.invoke(cli, ["--config", str(config), "status"])
    assert "skipped 2" in table.stdout


def test_html_changed_layout_is_a_clear_error(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    server.expect_request("/news").respond_with_data(
        "<html><body><div class='redesigned'>New site!</div></body></html>",
        content_type="text/html",
    )
    ctx = make_context(
        write_config(
            _source("html", f'url = "{server.url_for("/news")}"\nitem_selector = "ul.news li"')
        )
    )
    report, _ = _run(ctx)
    assert report.status == "failed"
    assert "item_selector 'ul.news li' matched nothing" in (report.error or "")
    assert "layout may have changed" in (report.error or "")


def test_check_explains_bad_selectors_paths_and_missing_fields(
    write_config: Callable[..., Path],
) -> None:
    html = 'url = "https://x.example.org/"\nitem_selector = "ul.news li["\n'
    html += 'link_selector = "a[href@href"'
    api = 'url = "https://x.example.org/api"\nitems_path = "data..items"\n'
    api += 'fields = { title = "title", url = "link" }\npaging = { mode = "next" }'
    config = write_config(
        _source("html", html, "bad-html")
        + _source("json", api, "bad-json")
        + _source("worldbank_documents", "", "no-queries")
    )
    result = CliRunner().invoke(cli, ["--config", str(config), "check"])
    assert result.exit_code == 2
    assert "no-queries').qterms: required field is missing" in result.stderr
    text = config.read_text().replace('id = "no-queries"', 'id = "no-queries"\nqterms = ["TDLC"]')
    config.write_text(text)
    result = CliRunner().invoke(cli, ["--config", str(config), "check"])
    assert result.exit_code == 2
    err = result.stderr
    assert "sources.0 (id 'bad-html').item_selector: 'ul.news li[' is not a valid CSS" in err
    assert "link_selector: 'a[href@href' is not a valid CSS selector" in err
    assert "sources.1 (id 'bad-json').paging.next_path: paging mode 'next' needs" in err
    text = config.read_text().replace('paging = { mode = "next" }', 'paging = { mode = "none" }')
    config.write_text(text)
    result = CliRunner().invoke(cli, ["--config", str(config), "check"])
    assert "bad-json').items_path: empty or mixed segment '' in path 'data..items'" in result.stderr


# -- json (generic) --------------------------------------------------------------------

WP_SOURCE = """url = "{url}"
params = {{ _embed = "1" }}
kind_map = {{ "category-events" = "event" }}
[sources.fields]
id = "id"
title = "title.rendered"
url = "link"
summary = "excerpt.rendered"
content_html = "content.rendered"
published = "date_gmt"
updated = "modified_gmt"
authors = "_embedded.author.*.name"
categories = "class_list"
image = "jetpack_featured_media_url"
[sources.paging]
mode = "page"
param = "page"
size_param = "per_page"
size = 2
total_header = "X-WP-TotalPages"
"""


def test_json_api_wordpress_rest(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    pages = {"1": "wp-posts-1.json", "2": "wp-posts-2.json"}

    def posts(request: Request) -> Response:
        assert request.args["per_page"] == "2"
        assert request.args["_embed"] == "1"
        body = (DATA / "json" / pages[request.args["page"]]).read_bytes()
        return Response(body, content_type="application/json", headers={"X-WP-TotalPages": "2"})

    server.expect_request("/wp-json/wp/v2/posts").respond_with_handler(posts)
    ctx = make_context(
        write_config(_source("json", WP_SOURCE.format(url=server.url_for("/wp-json/wp/v2/posts"))))
    )
    report, stored = _run(ctx)
    assert (report.new, report.notes.get("no-link")) == (3, 1)
    post = stored["src:2201"].item
    assert post.title == "Technical Deep Dive on solid waste: what the delegations took home"
    assert post.url == "https://partners.example.org/2026/11/tdd-solid-waste/"
    assert post.summary == "Five cities compared collection systems …"
    assert "<script" not in post.content_html
    assert post.published == datetime(2026, 11, 18, 0, 30, tzinfo=UTC)  # *_gmt is UTC
    assert post.updated == datetime(2026, 11, 19, 2, 0, tzinfo=UTC)
    assert post.authors == ("Maria Santos",)
    assert post.categories == ("category-solid-waste", "category-workshop")
    # A relative path resolves against the API's own address (the site).
    assert post.thumbnail == server.url_for("/wp-content/uploads/2026/11/waste.jpg")
    assert stored["src:2188"].item.title == "Kobe’s neighbourhood drills"
    assert stored["src:2150"].item.kind == "event"  # kind_map on the category
    assert stored["src:2201"].item.kind == "article"
    assert [r.args["page"] for r, _ in server.log if r.path.startswith("/wp-json")] == ["1", "2"]


def test_json_api_offset_and_next_link_paging(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    def offset_api(request: Request) -> Response:
        start = int(request.args.get("start", "0"))
        records = [
            {"n": n, "name": f"Item {n}", "href": f"/i/{n}"}
            for n in range(start, min(start + 2, 5))
        ]
        return Response(
            json.dumps({"meta": {"total": 5}, "data": records}), content_type="application/json"
        )

    server.expect_request("/offset").respond_with_handler(offset_api)
    config = _source(
        "json",
        f'url = "{server.url_for("/offset")}"\nitems_path = "data"\n'
        'fields = { id = "n", title = "name", url = "href" }\n'
        'paging = { mode = "offset", param = "start", start = 0, size = 2, '
        'total_path = "meta.total" }',
        "offset",
    )
    chain = {
        "/chain/1": {"items": [{"t": "A", "u": "https://x.example.org/a"}], "next": "/chain/2"},
        "/chain/2": {"items": [{"t": "B", "u": "https://x.example.org/b"}], "next": None},
    }
    for path, body in chain.items():
        server.expect_request(path).respond_with_json(body)
    config += _source(
        "json",
        f'url = "{server.url_for("/chain/1")}"\nitems_path = "items"\n'
        'fields = { title = "t", url = "u" }\npaging = { mode = "next", next_path = "next" }',
        "chain",
    )
    ctx = make_context(write_config(config))
    assert [i.title for i in _parse(ctx, "offset")] == [f"Item {n}" for n in range(5)]
    assert [i.title for i in _parse(ctx, "chain")] == ["A", "B"]


# -- World Bank documents API -----------------------------------------------------------


def test_worldbank_documents_quirks(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    asked: list[dict[str, str]] = []

    def wds(request: Request) -> Response:
        asked.append(dict(request.args))
        page = "page-1.json" if request.args["os"] == "0" else "page-2.json"
        return Response((DATA / "wds" / page).read_bytes(), content_type="application/json")

    server.expect_request("/api/v3/wds").respond_with_handler(wds)
    body = (
        f'url = "{server.url_for("/api/v3/wds")}"\n'
        'qterms = ["\\"Tokyo Development Learning Center\\" OR TDLC"]\n'
        'rows = 2\nwindow_days = 120\nfilters = { lang_exact = "English^Japanese" }\nplaces = []'
    )
    ctx = make_context(write_config(_source("worldbank_documents", body)))
    report, stored = _run(ctx)
    assert report.status == "ok"
    assert [a["os"] for a in asked] == ["0", "2"]  # paged until os >= total ("3")
    assert asked[0]["strdate"] == "2026-07-29"
    assert asked[0]["enddate"] == "2026-11-27"
    assert asked[0]["srt"] == "docdt"
    assert asked[0]["order"] == "desc"
    assert asked[0]["lang_exact"] == "English^Japanese"
    assert set(stored) == {"src:31476985", "src:31470001"}  # the project document is left out
    report_item = stored["src:31476985"].item
    assert report_item.title.startswith("Building Urban Resilience in Partner Cities")
    assert report_item.kind == "report"
    assert report_item.url == "https://documents.worldbank.org/curated/en/099063026123456789"
    assert report_item.published == datetime(2026, 6, 30, tzinfo=UTC)
    assert report_item.published_precision == "day"
    assert report_item.authors == ("Tanaka, Aiko", "Okoro, Daniel")
    assert report_item.summary == (
        "This report draws lessons from Japanese cities on flood and earthquake resilience."
    )
    assert report_item.language == "en"
    assert report_item.identifiers == ("wds:31476985", "doi:10.1596/41234")
    assert report_item.categories[:2] == ("urban resilience", "disaster risk management")
    assert report_item.topics == ("disaster-risk-management",)  # classified from keywords
    (pdf,) = report_item.media
    assert (pdf.url, pdf.mime, pdf.length) == (
        "https://documents.worldbank.org/curated/en/099063026123456789/pdf/P17654.pdf",
        "application/pdf",
        None,
    )
    brief = stored["src:31470001"].item
    assert brief.title == "Compact City Toolkit - Chapter 3 : Transit"  # docna fallback
    assert brief.published is None  # the junk year-1 date
    assert brief.language == "ja"


# -- OAI-PMH ------------------------------------------------------------------------------


def test_oai_pmh_harvest_paging_deletes_and_incremental_from(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    asked: list[dict[str, str]] = []

    def oai(request: Request) -> Response:
        asked.append(dict(request.args))
        if "resumptionToken" in request.args:
            name = "page-2.xml"
        elif request.args.get("from") == "2026-11-26T11:59:58Z":
            name = "no-records.xml"
        else:
            name = "page-1.xml"
        return Response((DATA / "oai" / name).read_bytes(), content_type="text/xml")

    server.expect_request("/oai").respond_with_handler(oai)
    body = f'url = "{server.url_for("/oai")}"\nsince = "2026-11-01"'
    ctx = make_context(write_config(_source("oai_pmh", body)))
    with Store(ctx.settings.site.database) as store:
        # A record the repository will later report as deleted.
        from tdlc_syndication.pipeline.dedupe import decide

        old = Item(id="src:10986/11111", source="src", kind="article", title="Withdrawn paper",
                   url="https://hdl.handle.net/10986/11111")  # fmt: skip
        store.put_item(decide(old, None, datetime(2026, 1, 1, tzinfo=UTC)).stored)
    report, stored = _run(ctx)
    assert (report.status, report.new, report.retracted) == ("ok", 2, 1)
    assert asked[0] == {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-11-01"}
    assert asked[1] == {
        "verb": "ListRecords",
        "resumptionToken": "oai_dc/2026-11-01T00:00:00Z///100",
    }
    paper = stored["src:10986/42650"].item
    assert paper.url == "https://hdl.handle.net/10986/42650"
    assert paper.published == datetime(2026, 6, 1, tzinfo=UTC)
    assert paper.published_precision == "month"  # the issued date, not the accession stamp
    assert paper.authors == ("Tanaka, Aiko", "Okoro, Daniel")
    assert paper.identifiers == ("handle:10986/42650", "doi:10.1596/41234")
    assert paper.summary.startswith("This report draws lessons from Japanese cities")
    assert paper.language == "en"
    assert dict(paper.extra)["rights"] == "CC BY 3.0 IGO"
    assert stored["src:10986/3284"].item.language == "en"  # en_US
    assert stored["src:10986/11111"].retracted == "deleted at the origin"
    with Store(ctx.settings.site.database) as store:
        assert "src:10986/11111" not in {s.item.id for s in store.canonical_items()}
        assert store.state("src").cursor == "2026-11-26T11:59:58Z"
    # The next harvest asks from the last one; an empty window is not a failure.
    report, _ = _run(ctx)
    assert report.status == "ok"
    assert asked[-1]["from"] == "2026-11-26T11:59:58Z"


def test_oai_pmh_expired_token_is_a_failure_that_keeps_the_cursor(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    def oai(request: Request) -> Response:
        name = "bad-token.xml" if "resumptionToken" in request.args else "page-1.xml"
        return Response((DATA / "oai" / name).read_bytes(), content_type="text/xml")

    server.expect_request("/oai").respond_with_handler(oai)
    ctx = make_context(write_config(_source("oai_pmh", f'url = "{server.url_for("/oai")}"')))
    report, stored = _run(ctx)
    assert report.status == "failed"
    assert "expired our resumptionToken" in (report.error or "")
    assert stored == {}
    with Store(ctx.settings.site.database) as store:
        assert store.state("src").cursor is None


# -- iCalendar ---------------------------------------------------------------------------


def test_ical_events(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    server.expect_request("/events.ics").respond_with_data(
        (DATA / "ical" / "events.ics").read_bytes(), content_type="text/calendar; charset=utf-8"
    )
    body = f'url = "{server.url_for("/events.ics")}"\ntimezone = "Asia/Tokyo"'
    ctx = make_context(write_config(_source("ical", body)))
    items = {i.id: i for i in _parse(ctx)}
    tdd = items["src:tdd-2026-11-kobe@events.example.org"]
    assert tdd.title == "Technical Deep Dive: disaster risk management, Kobe"
    assert tdd.summary == (
        "Site visits and peer exchange.\nBring your city's evacuation plan; we will compare."
    )
    assert tdd.kind == "event"
    assert tdd.url == "https://events.example.org/tdd/kobe-2026"
    assert tdd.event == Event(
        start=datetime(2026, 11, 26, 4, 30, tzinfo=UTC),
        end=datetime(2026, 11, 26, 6, 0, tzinfo=UTC),
        location="Kobe City Hall, Kobe",
        status="scheduled",
    )
    assert tdd.published == datetime(2026, 10, 20, 1, 0, tzinfo=UTC)
    assert tdd.updated == datetime(2026, 11, 1, tzinfo=UTC)
    assert tdd.categories == ("Disaster risk management", "Workshop")
    webinar = items["src:webinar-smart-cities@events.example.org"].event
    assert webinar is not None
    assert (webinar.start, webinar.end) == (
        datetime(2026, 12, 3, 7, 0, tzinfo=UTC),
        datetime(2026, 12, 3, 8, 30, tzinfo=UTC),
    )
    assert (webinar.status, webinar.mode) == ("cancelled", "online")
    open_day = items["src:open-day@events.example.org"].event
    assert open_day == Event(
        start=datetime(2026, 12, 10, tzinfo=UTC),
        end=datetime(2026, 12, 11, tzinfo=UTC),
        all_day=True,
    )
    floating = items["src:floating@events.example.org"].event
    assert floating is not None
    assert floating.start == datetime(2026, 12, 15, 1, 0, tzinfo=UTC)
    report, stored = _run(ctx)
    assert report.new == 4
    assert stored["src:open-day@events.example.org"].item.kind == "event"


# -- sitemap -----------------------------------------------------------------------------


def test_sitemap_discovers_new_and_changed_pages(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    base = server.url_for("").rstrip("/")
    files = {
        name: (DATA / "sitemap" / name).read_text("utf-8").replace("{base}", base)
        for name in ("index.xml", "pages.xml", "events.xml")
    }
    server.expect_request("/sitemap.xml").respond_with_data(
        files["index.xml"], content_type="application/xml"
    )
    server.expect_request("/sitemap-pages.xml").respond_with_data(
        files["pages.xml"], content_type="application/xml"
    )
    server.expect_request("/sitemap-events.xml.gz").respond_with_data(
        gzip.compress(files["events.xml"].encode()), content_type="application/x-gzip"
    )
    pages = {
        "/en/programs/tdlc/brief/compact_city_knowledge_note": "note.html",
        "/en/programs/tdlc/brief/smart_cities": "smart.html",
        "/en/programs/tdlc/events/tdd-kobe-2026": "event.html",
    }
    for path, name in pages.items():
        server.expect_request(path).respond_with_data(
            (DATA / "sitemap" / name).read_bytes(), content_type="text/html"
        )
    body = (
        f'url = "{server.url_for("/sitemap.xml")}"\ninclude = ["/en/programs/tdlc/"]\nmax_pages = 2'
    )
    ctx = make_context(write_config(_source("sitemap", body)))
    report, stored = _run(ctx)
    assert report.new == 2  # two of three changed pages this run (max_pages), the rest next run
    report, stored = _run(ctx)
    assert report.new == 1
    assert len(stored) == 3
    note = stored[f"src:{base}/en/programs/tdlc/brief/compact_city_knowledge_note"].item
    assert note.title == "Compact City Knowledge Note"
    assert note.summary == "How partner cities adapted compact city policies."
    assert note.published == datetime(2026, 11, 19, 9, 0, tzinfo=UTC)
    assert note.updated == datetime(2026, 11, 20, tzinfo=UTC)  # the sitemap's lastmod
    assert "<em>transit-first</em>" in note.content_html
    smart = next(s.item for s in stored.values() if "smart_cities" in s.item.url)
    assert smart.url == f"{base}/en/programs/tdlc/brief/smart_cities?lang=en"  # utm_ dropped
    event = next(s.item for s in stored.values() if s.item.kind != "article" or s.item.event)
    assert event.event == Event(
        start=datetime(2026, 12, 7, tzinfo=UTC),
        end=datetime(2026, 12, 11, tzinfo=UTC),
        all_day=True,
        location="Kobe City Hall, Kobe, JP",
        status="postponed",
        mode="offline",
    )
    # Nothing changed: the sitemap is read, no page is fetched again.
    server.clear_log()
    report, _ = _run(ctx)
    assert report.new == 0
    assert {r.path for r, _ in server.log} == {
        "/sitemap.xml",
        "/sitemap-pages.xml",
        "/sitemap-events.xml.gz",
    }


# -- JSON Feed input ---------------------------------------------------------------------


def test_json_feed_input(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    server.expect_request("/feed.json").respond_with_data(
        (DATA / "feed.json").read_bytes(), content_type="application/feed+json"
    )
    ctx = make_context(write_config(_source("feed", f'url = "{server.url_for("/feed.json")}"')))
    report, stored = _run(ctx)
    assert report.new == 2
    note = stored["src:note-7"].item
    assert note.url == "https://notes.example.org/2026/11/kitakyushu-eco-town"
    assert note.published == datetime(2026, 11, 12, 0, 0, tzinfo=UTC)
    assert note.authors == ("Maria Santos",)
    assert note.categories == ("Solid waste", "Kitakyushu")
    assert note.thumbnail == "https://notes.example.org/img/eco.jpg"
    assert note.media[0].length == 20480
    assert note.media[0].title == "Slides"
    assert "onerror" not in note.content_html
    port = stored["src:note-6"].item
    assert port.url == "https://elsewhere.example.org/yokohama"
    assert port.authors == ("Notes team",)  # the feed's authors
    assert port.summary == "Shore power and retrofits."


# -- more quirks and broken input -------------------------------------------------------


def test_json_api_dspace_keys_with_dots_and_wordpress_page_past_the_end(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    dspace = {
        "_embedded": {
            "searchResult": {
                "_embedded": {
                    "objects": [
                        {
                            "_embedded": {
                                "indexableObject": {
                                    "handle": "10986/42650",
                                    "metadata": {
                                        "dc.title": [{"value": "Building Urban Resilience"}],
                                        "dc.date.issued": [{"value": "2015-04"}],
                                        "dc.identifier.uri": [
                                            {"value": "https://hdl.handle.net/10986/42650"}
                                        ],
                                        "dc.contributor.author": [
                                            {"value": "Tanaka, Aiko"},
                                            {"value": "Okoro, Daniel"},
                                        ],
                                    },
                                }
                            }
                        }
                    ]
                }
            }
        }
    }

    def search(request: Request) -> Response:
        if request.args.get("page") == "1":
            return Response('{"code":"rest_post_invalid_page_number"}', status=400)
        return Response(json.dumps(dspace), content_type="application/json")

    server.expect_request("/server/api/discover/search/objects").respond_with_handler(search)
    meta = "metadata"
    body = (
        f'url = "{server.url_for("/server/api/discover/search/objects")}"\n'
        'items_path = "_embedded.searchResult._embedded.objects.*._embedded.indexableObject"\n'
        f'fields = {{ id = "handle", title = \'{meta}."dc.title".0.value\', '
        f"url = '{meta}.\"dc.identifier.uri\".0.value', "
        f"published = '{meta}.\"dc.date.issued\".0.value', "
        f"authors = '{meta}.\"dc.contributor.author\".*.value' }}\n"
        'paging = { mode = "page", param = "page", start = 0, size = 1 }'
    )
    ctx = make_context(write_config(_source("json", body)))
    (item,) = _parse(ctx)
    assert item.id == "src:10986/42650"
    assert item.title == "Building Urban Resilience"
    assert item.url == "https://hdl.handle.net/10986/42650"
    assert (item.published, item.published_precision) == (datetime(2015, 4, 1, tzinfo=UTC), "month")
    assert item.authors == ("Tanaka, Aiko", "Okoro, Daniel")


@pytest.mark.parametrize(
    ("kind", "body", "content_type", "expected"),
    [
        ("worldbank_documents", b"<html>maintenance</html>", "text/html", "not JSON"),
        ("oai_pmh", b"{not xml", "text/xml", "not XML"),
        ("json", b"[broken", "application/json", "is not JSON"),
        ("ical", b"<html>login</html>", "text/html", "not an iCalendar file"),
        ("sitemap", b"<html><body>no</body></html>", "text/html", "not a sitemap"),
        ("feed", b'{"version": 1}', "application/json", "not a JSON Feed"),
    ],
)
def test_broken_answers_are_clear_per_source_errors(
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
    kind: str,
    body: bytes,
    content_type: str,
    expected: str,
) -> None:
    server.expect_request("/x").respond_with_data(body, content_type=content_type)
    url = server.url_for("/x")
    extra = {
        "worldbank_documents": f'url = "{url}"\nqterms = ["TDLC"]',
        "json": f'url = "{url}"\nfields = {{ title = "t", url = "u" }}',
    }.get(kind, f'url = "{url}"')
    ctx = make_context(write_config(_source(kind, extra)))
    report, stored = _run(ctx)
    assert report.status == "failed"
    assert expected in (report.error or "")
    assert "unexpected error" not in (report.error or "")
    assert stored == {}
