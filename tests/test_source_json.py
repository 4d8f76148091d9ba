"""The json kind against a real server: WordPress REST, offset and next-link paging, DSpace."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from tests_support import DATA, MakeContext, parse_all, run_one, source_toml
from werkzeug import Request, Response

from tdlc_syndication.pipeline.run import run_sources

WP_SOURCE = """url = "{url}"
timezone = "UTC"   # WordPress *_gmt fields are naive UTC
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
        write_config(
            source_toml("json", WP_SOURCE.format(url=server.url_for("/wp-json/wp/v2/posts")))
        )
    )
    report, stored = run_one(ctx)
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
    # A theme's "Continue reading" link to the post itself is no part of its summary.
    assert stored["src:2188"].item.summary == "Drills run by residents."
    assert stored["src:2150"].item.kind == "event"  # kind_map on the category
    assert stored["src:2201"].item.kind == "article"
    assert [r.args["page"] for r, _ in server.log if r.path.startswith("/wp-json")] == ["1", "2"]


def test_a_post_wordpress_protects_with_a_password_is_withdrawn(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """WordPress's REST API gives a post protected by a password with its content and
    excerpt marked ``"protected": true`` and empty: it was published as a title linking
    to a password form. It is withdrawn now, and one published before it was protected
    is taken out of the feeds."""
    posts = json.loads((DATA / "json" / "wp-posts-2.json").read_bytes())
    served = {"posts": posts}

    def answer(request: Request) -> Response:
        body = json.dumps(served["posts"])
        return Response(body, content_type="application/json", headers={"X-WP-TotalPages": "1"})

    server.expect_request("/wp-json/wp/v2/posts").respond_with_handler(answer)
    url = server.url_for("/wp-json/wp/v2/posts")
    ctx = make_context(write_config(source_toml("json", WP_SOURCE.format(url=url))))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    assert stored["src:2150"].retracted is None
    protected = dict(posts[0], modified_gmt="2026-11-20T03:00:00")
    protected["content"] = {"rendered": "", "protected": True}
    protected["excerpt"] = {"rendered": "", "protected": True}
    served["posts"] = [protected, *posts[1:]]
    report, stored = run_one(ctx)
    assert report.retracted == 1
    assert stored["src:2150"].retracted is not None
    assert "protected by a password" in stored["src:2150"].retracted
    assert [s.item.id for s in stored.values() if s.retracted is None] == [
        f"src:{p['id']}" for p in posts[1:] if p.get("link")
    ]


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
    config = source_toml(
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
    config += source_toml(
        "json",
        f'url = "{server.url_for("/chain/1")}"\nitems_path = "items"\n'
        'fields = { title = "t", url = "u" }\npaging = { mode = "next", next_path = "next" }',
        "chain",
    )
    ctx = make_context(write_config(config))
    assert [i.title for i in parse_all(ctx, "offset")] == [f"Item {n}" for n in range(5)]
    assert [i.title for i in parse_all(ctx, "chain")] == ["A", "B"]


def test_a_next_link_that_cannot_be_fetched_keeps_the_pages_read(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A next link to ``http://a..b/`` failed the source as "unexpected error:
    UnicodeError", and one to ``javascript:`` failed it too, and so did a next page that
    answered 500: the pages read were lost, run after run. Paging ends there now, and the
    link is noted as skipped."""
    config = ""
    server.expect_request("/down/2").respond_with_data("down", status=500)
    links = (
        ("script", "javascript:next()"),
        ("host", "http://a..b/page/2"),
        ("down", server.url_for("/down/2")),
    )
    for name, link in links:
        item = {"t": f"First of {name}", "u": f"https://x.example.org/{name}"}
        server.expect_request(f"/{name}").respond_with_json({"items": [item], "next": link})
        config += source_toml(
            "json",
            f'url = "{server.url_for(f"/{name}")}"\nitems_path = "items"\n'
            'fields = { title = "t", url = "u" }\npaging = { mode = "next", next_path = "next" }',
            name,
        )
    ctx = make_context(write_config(config))
    for name, why in (
        ("script", "only http and https"),
        ("host", "with an empty label"),
        ("down", "/down/2 answered HTTP 500"),
    ):
        report, stored = run_one(ctx, name)
        assert report.status == "ok"
        assert [s.item.title for s in stored.values()] == [f"First of {name}"]
        (skipped,) = report.skipped
        assert skipped.reason.startswith("next page: ")
        assert why in skipped.reason


def test_dates_written_as_unix_time_are_read(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Many APIs write a date as a JSON number of seconds (or milliseconds) since 1970;
    such items were undated. 0 is a placeholder for none. Drupal and PHP write the number
    as text, .NET as ``/Date(ms+offset)/``, and some APIs ISO 8601's basic format: those
    items were undated too. Eight digits are a day, not a time."""
    records = [
        {"t": "Seconds", "u": "https://x.example.org/s", "p": 1795425000, "m": 1795428600000},
        {"t": "Zero", "u": "https://x.example.org/z", "p": 0, "m": "2026-11-24T10:00:00Z"},
        {"t": "Digits as text", "u": "https://x.example.org/d", "p": "1795425000"},
        {"t": ".NET", "u": "https://x.example.org/n", "p": "/Date(1795428600000+0900)/"},
        {"t": "Basic", "u": "https://x.example.org/b", "p": "20261126T100000+0900"},
        {"t": "Day", "u": "https://x.example.org/a", "p": "20261126", "m": "/Date(0)/"},
        {"t": "Weekday", "u": "https://x.example.org/w", "p": "Thursday, November 19"},
    ]
    server.expect_request("/dated").respond_with_json({"items": records})
    body = (
        f'url = "{server.url_for("/dated")}"\nitems_path = "items"\n'
        'fields = { title = "t", url = "u", published = "p", updated = "m" }'
    )
    items = {i.title: i for i in parse_all(make_context(write_config(source_toml("json", body))))}
    seconds = items["Seconds"]
    assert seconds.published == datetime(2026, 11, 23, 9, 10, tzinfo=UTC)
    assert seconds.published_precision == "datetime"
    assert seconds.updated == datetime(2026, 11, 23, 10, 10, tzinfo=UTC)
    assert items["Zero"].published is None
    assert items["Zero"].updated == datetime(2026, 11, 24, 10, tzinfo=UTC)
    assert items["Digits as text"].published == seconds.published
    assert items[".NET"].published == seconds.updated  # the offset is the writer's zone
    assert items["Basic"].published == datetime(2026, 11, 26, 1, tzinfo=UTC)
    assert items["Day"].published == datetime(2026, 11, 26, tzinfo=UTC)
    assert items["Day"].published_precision == "day"
    assert items["Day"].updated is None
    # No year, but its weekday: the year, near the run's day, in which it is a Thursday.
    assert items["Weekday"].published == datetime(2026, 11, 19, tzinfo=UTC)


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
    ctx = make_context(write_config(source_toml("json", body)))
    (item,) = parse_all(ctx)
    assert item.id == "src:10986/42650"
    assert item.title == "Building Urban Resilience"
    assert item.url == "https://hdl.handle.net/10986/42650"
    assert (item.published, item.published_precision) == (datetime(2015, 4, 1, tzinfo=UTC), "month")
    assert item.authors == ("Tanaka, Aiko", "Okoro, Daniel")


OKR_SOURCE = """url = "{url}"
items_path = "_embedded.searchResult._embedded.objects.*._embedded.indexableObject"
default_kind = "report"
[sources.fields]
id = "handle"
title = 'metadata."dc.title".*.value'
url = 'metadata."dc.identifier.uri".*.value'
summary = 'metadata."dc.description.abstract".*.value'
published = 'metadata."dc.date.issued".*.value'
"identifier:doi" = 'metadata."dc.identifier.doi".*.value'
"identifier:wds" = 'metadata."okr.identifier.externaldocumentum".*.value'
"""


def test_json_identifiers_join_the_world_bank_twin(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    # The same report in OKR (DSpace REST) and in the World Bank documents API: their DOI
    # and document id make them one story.
    server.expect_request("/server/api/discover/search/objects").respond_with_data(
        (DATA / "json" / "okr-search.json").read_bytes(), content_type="application/json"
    )
    server.expect_request("/api/v3/wds").respond_with_data(
        (DATA / "worldbank_documents" / "page-1.json").read_bytes(),
        content_type="application/json",
    )
    okr = OKR_SOURCE.format(url=server.url_for("/server/api/discover/search/objects"))
    wds = f'url = "{server.url_for("/api/v3/wds")}"\nqterms = ["TDLC"]\nrows = 50'
    sources = source_toml("json", okr, "okr") + source_toml("worldbank_documents", wds, "wds")
    ctx = make_context(write_config(sources))
    reports = {r.source: r for r in run_sources(ctx, ctx.settings.sources)}
    assert reports["okr"].status == "ok"
    assert reports["wds"].status == "ok"
    with ctx.open_store() as store:
        okr_item = store.get_item("okr:10986/41234")
        wds_item = store.get_item("wds:31476985")
    assert okr_item is not None
    assert wds_item is not None
    assert okr_item.item.identifiers == ("doi:10.1596/41234", "wds:31476985")
    # One canonical record, the other marked as its duplicate.
    assert {okr_item.duplicate_of, wds_item.duplicate_of} - {None} in (
        {"okr:10986/41234"},
        {"wds:31476985"},
    )


TRIBE_EVENTS = {
    "events": [
        {
            "id": 41,
            "title": "Smart city forum with partner cities",
            "url": "https://city.example.jp/event/smart-city-forum/",
            "date_utc": "2026-11-10 02:00:00",
            "start_date": "2026-12-10 15:00:00",
            "end_date": "2026-12-10 17:30:00",
            "all_day": False,
            "venue": {"venue": "Kobe City Hall,  Room 2"},
        },
        {
            "id": 42,
            "title": "Technical Deep Dive site visits",
            "url": "https://city.example.jp/event/tdd-site-visits/",
            "start_date": "2026-12-14",
            "end_date": "2026-12-16",  # the last day, as schema.org writes it
            "venue": {"venue": "https://meet.example.org/tdd"},
            "schema": {"eventStatus": "https://schema.org/EventPostponed"},
        },
        {
            "id": 43,
            "title": "【中止】まち歩きツアー",
            "url": "https://city.example.jp/event/walk/",
            "start_date": "2026-12-20 10:00:00",
        },
        {"id": 44, "title": "A post with no day", "url": "https://city.example.jp/event/x/"},
        {
            "id": 46,
            "title": "City open day",
            "url": "https://city.example.jp/event/open-day/",
            "all_day": True,  # whole days written as times
            "start_date": "2026-12-12 00:00:00",
            "end_date": "2026-12-13 23:59:59",
        },
        {
            "id": 47,
            "title": "Exhibition",
            "url": "https://city.example.jp/event/exhibition/",
            "all_day": "true",
            "start_date": "2026-12-12 00:00:00",
            "end_date": "2026-12-14 00:00:00",  # an end at midnight ends the day before
        },
        {
            "id": 48,
            "title": "A placeholder",
            "url": "https://city.example.jp/event/z/",
            "all_day": True,
            "start_date": "0001-01-01 00:00:00",  # a day before it is past the calendar
            "end_date": "0001-01-01 00:00:00",
        },
        {
            "id": 45,
            "title": "Planned for next year",
            "url": "https://city.example.jp/event/y/",
            "start_date": "2027年3月",  # a month is no day
        },
    ]
}


def test_an_events_api_gives_events(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """The json kind read events APIs (WordPress's The Events Calendar) as plain
    items: no day, no place, no status, and no place in events.ics or "When:" lines.
    ``event_start``, ``event_end``, ``location`` and ``event_status`` map them."""
    server.expect_request("/wp-json/tribe/events/v1/events").respond_with_json(TRIBE_EVENTS)
    body = (
        f'url = "{server.url_for("/wp-json/tribe/events/v1/events")}"\n'
        'timezone = "Asia/Tokyo"\nitems_path = "events"\n[sources.fields]\n'
        'id = "id"\ntitle = "title"\nurl = "url"\npublished = "date_utc"\n'
        'event_start = "start_date"\nevent_end = "end_date"\nlocation = "venue.venue"\n'
        'event_status = "schema.eventStatus"\nevent_all_day = "all_day"\n'
    )
    ctx = make_context(write_config(source_toml("json", body)))
    items = {i.id: i for i in parse_all(ctx)}
    forum = items["src:41"]
    assert forum.kind == "event"
    assert forum.event is not None
    assert (forum.event.start, forum.event.end) == (
        datetime(2026, 12, 10, 6, 0, tzinfo=UTC),
        datetime(2026, 12, 10, 8, 30, tzinfo=UTC),
    )
    assert (forum.event.all_day, forum.event.location) == (False, "Kobe City Hall, Room 2")
    # date_utc is in UTC, as its name says, whatever the source's zone (the start is not):
    # it was read in Tokyo's zone, nine hours early.
    assert forum.published == datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
    visits = items["src:42"].event
    assert visits is not None
    assert visits.all_day
    assert visits.start == datetime(2026, 12, 14, tzinfo=UTC)
    assert visits.last_day().isoformat() == "2026-12-16"
    assert (visits.status, visits.mode) == ("postponed", "online")
    walk = items["src:43"].event
    assert walk is not None
    assert walk.status == "cancelled"
    assert walk.start == datetime(2026, 12, 20, 1, 0, tzinfo=UTC)
    for whole in ("src:46", "src:47"):  # 12-13 December, all day
        days = items[whole].event
        assert days is not None
        assert (days.all_day, days.start) == (True, datetime(2026, 12, 12, tzinfo=UTC))
        assert days.last_day().isoformat() == "2026-12-13", whole
    assert forum.event.all_day is False  # all_day false: its times stand
    for plain in ("src:44", "src:45", "src:48"):
        assert (items[plain].event, items[plain].kind) == (None, "article")
    report, stored = run_one(ctx)
    assert report.new == 8
    assert stored["src:41"].item.event == forum.event


def test_an_event_deleted_from_an_events_api_that_lists_every_event_is_withdrawn(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """An event the organiser deleted in WordPress is simply gone from The Events
    Calendar's API, and it stayed published as going ahead. With ``lists_every_event``,
    an event to come that a list read to its end no longer holds is withdrawn; not when
    the list was cut (``max_pages``), not from an empty list, not an event gone by, and
    not without the setting. Listed again, it is published again. The clock: 2026-11-26."""
    listed: list[int] = []

    def events(request: Request) -> Response:
        page = int(request.args.get("page", "1"))
        on_page = listed[(page - 1) * 2 : page * 2]
        more = len(listed) >= page * 2  # a full page links to the next, maybe empty, one
        records = [
            {"id": n, "title": f"Event {n}", "url": f"https://city.example.jp/event/{n}/",
             "start_date": f"2026-{11 if n < 5 else 12}-{n:02d} 10:00:00"}
            for n in on_page
        ]  # fmt: skip
        following = server.url_for("/events") + f"?page={page + 1}" if more else None
        body = {"events": records, **({"next_rest_url": following} if following else {})}
        return Response(json.dumps(body), content_type="application/json")

    server.expect_request("/events").respond_with_handler(events)

    def source(source_id: str, every: bool, pages: int, most: int = 500) -> str:
        return source_toml(
            "json",
            f'url = "{server.url_for("/events")}"\ntimezone = "Asia/Tokyo"\n'
            f'items_path = "events"\nlists_every_event = {str(every).lower()}\n'
            f"max_items = {most}\n"
            '[sources.fields]\nid = "id"\ntitle = "title"\nurl = "url"\n'
            'event_start = "start_date"\n'
            f'[sources.paging]\nmode = "next"\nnext_path = "next_rest_url"\nmax_pages = {pages}\n',
            source_id,
        )

    ctx = make_context(
        write_config(
            source("every", True, 10)
            + source("cut", True, 1)
            + source("plain", False, 10)
            + source("few", True, 10, most=2)
        )
    )

    def run(source_id: str, *days: int) -> dict[int, str | None]:
        listed[:] = days
        report, stored = run_one(ctx, source_id)
        assert report.status == "ok", report.error
        return {int(i.split(":")[1]): s.retracted for i, s in stored.items()}

    assert run("every", 10, 12, 14) == {10: None, 12: None, 14: None}  # on two pages
    assert run("every", 10, 14) == {10: None, 12: "deleted from the calendar", 14: None}
    assert run("every", 10, 12, 14)[12] is None  # listed again
    assert run("every", 12, 14)[10] == "deleted from the calendar"  # an empty last page
    assert run("every", 10, 12, 14)[10] is None
    assert run("every")[12] is None  # an empty list: more likely a fault
    assert run("every", 1, 10, 12, 14)[1] is None  # 1 November
    assert run("every", 10, 12, 14)[1] is None  # gone by: calendars drop their past
    assert run("plain", 10, 12, 14) == {10: None, 12: None, 14: None}
    assert run("plain", 10, 14)[12] is None  # the API is not known to list every event
    assert run("cut", 10, 12) == {10: None, 12: None}
    assert run("cut", 12, 14, 16)[10] is None  # page 1 of 2 read: the list was cut
    assert run("few", 10, 12) == {10: None, 12: None}
    assert run("few", 12, 14, 16)[10] is None  # more than max_items: the list was cut


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        # JSONP, as the news boxes of many Japanese municipal sites are served.
        ('cityNews({{"items": [{record}]}});', "application/javascript"),
        # A guard against a script's inclusion before the JSON.
        (')]}}\',\n{{"items": [{record}]}}', "application/json"),
        # Shift_JIS, named by the server (JSON is UTF-8; not every system writes it so).
        ('{{"items": [{record}]}}', "application/json; charset=Shift_JIS"),
    ],
)
def test_json_served_for_a_script_or_in_shift_jis_is_read(
    body: str,
    content_type: str,
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
) -> None:
    """Each failed the source as "not JSON"."""
    record = '{"t": "富山市の防災訓練①", "u": "https://x.example.org/n1"}'
    data = body.format(record=record)
    server.expect_request("/news").respond_with_data(
        data.encode("cp932" if "Shift_JIS" in content_type else "utf-8"),
        content_type=content_type,
    )
    config = (
        f'url = "{server.url_for("/news")}"\nitems_path = "items"\n'
        'fields = { title = "t", url = "u" }'
    )
    items = parse_all(make_context(write_config(source_toml("json", config))))
    assert [(i.title, i.url) for i in items] == [("富山市の防災訓練①", "https://x.example.org/n1")]
