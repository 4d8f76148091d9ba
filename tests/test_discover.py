"""``syndicate discover``: a site's feeds, calendars, WordPress API and sitemaps found on a
real server on 127.0.0.1, each offered entry read back by ``try``."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from tests_support import DATA, invoke
from werkzeug import Request, Response

from tdlc_syndication.pipeline.answers import is_bot_check
from tdlc_syndication.pipeline.entries import free_id, toml_entry
from tdlc_syndication.sources.discovery import (
    USUAL_PATHS,
    address_candidates,
    listed_feeds,
    offer_of,
    page_candidates,
    robots_sitemaps,
    web_page_hint,
)

WriteConfig = Callable[..., Path]

CITY_PAGE = """<!doctype html>
<html lang="ja"><head><title>国際交流 | 例え市</title>
<base href="/kokusai/">
<link rel="alternate" type="application/rss+xml" title="新着情報" href="rss/list1.xml">
<link rel="alternate" type="application/rss+xml" title="新着情報（旧）" href="/comments.rss">
<link rel="stylesheet" href="/style.css">
</head><body>
<ul><li><a href="/kokusai/2026/visit.html">視察団の受け入れ</a></li></ul>
<p><a href="/kurashi/events.ics">行事カレンダー（iCal）</a>
<a href="https://www.facebook.com/sharer/sharer.php?u=x">Share</a>
<a href="https://other.example.org/rss.xml">RSS</a></p>
</body></html>"""

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/kokusai/a.html</loc><lastmod>2026-11-20</lastmod></url>
<url><loc>{base}/kokusai/b.html</loc></url>
<url><loc>{base}/kurashi/c.html</loc></url>
</urlset>"""


def _discover(config: Path, url: str, *args: str) -> tuple[int, dict[str, Any]]:
    code, out = invoke(config, "discover", url, "--allow-private", "--json", *args)
    return code, json.loads(out)


def _found(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["url"]: f for f in report["found"]}


def _tried_back(write_config: WriteConfig, tomls: list[str], count: dict[str, int]) -> None:
    """Every offered entry pasted into a settings file: ``check`` passes and ``try``
    gives the items discover counted."""
    config = write_config("\n".join(tomls))
    code, out = invoke(config, "check")
    assert code == 0, out
    for toml in tomls:
        entry = tomllib.loads(toml)["sources"][0]
        code, out = invoke(config, "try", entry["id"], "--json")
        assert code == 0, out
        assert len(json.loads(out)) == count[entry["url"]], entry


def test_a_city_page_offers_its_feed_calendar_and_sitemap(
    httpserver: HTTPServer, write_config: WriteConfig
) -> None:
    """The page announces two feeds (one answers 404) and links a calendar; robots.txt
    names a sitemap. The feed, the calendar and the sitemap are offered, each entry
    reads as discover read it; the usual addresses are not tried (a feed was found)."""
    base = httpserver.url_for("").rstrip("/")
    robots = f"User-agent: *\nDisallow: /admin/\nSitemap: {base}/sitemap.xml  # all pages\n"
    httpserver.expect_request("/robots.txt").respond_with_data(robots)
    httpserver.expect_request("/kokusai/").respond_with_data(
        CITY_PAGE, content_type="text/html; charset=utf-8"
    )
    rdf = (DATA / "feed" / "municipal.rdf").read_bytes()
    httpserver.expect_request("/kokusai/rss/list1.xml").respond_with_data(
        rdf, content_type="application/rss+xml"
    )
    ics = (DATA / "ical" / "events.ics").read_bytes()
    httpserver.expect_request("/kurashi/events.ics").respond_with_data(
        ics, content_type="text/calendar"
    )
    httpserver.expect_request("/comments.rss").respond_with_data("gone", status=404)
    httpserver.expect_request("/sitemap.xml").respond_with_data(
        SITEMAP.format(base=base), content_type="application/xml"
    )
    config = write_config('[[sources]]\nid = "localhost-kokusai"\nkind = "catalog"\npath = "x"\n')

    code, report = _discover(config, httpserver.url_for("/kokusai/"))

    assert code == 0
    assert (report["is"], report["title"], report["language"]) == (
        "html",
        "国際交流 | 例え市",
        "ja",
    )
    found = _found(report)
    feed = found[f"{base}/kokusai/rss/list1.xml"]  # relative to <base href>
    assert (feed["kind"], feed["found"], feed["items"]) == ("feed", "announced", 8)
    assert feed["entry"]["language"] == "ja"
    assert feed["entry"]["name"] == "富山市 新着情報（デモ用サンプル）"  # the feed's own title
    assert feed["entry"]["id"] == "localhost-kokusai-2"  # the first is a source of the settings
    calendar = found[f"{base}/kurashi/events.ics"]
    assert (calendar["kind"], calendar["found"]) == ("ical", "linked")
    assert calendar["items"] > 0
    sitemap = found[f"{base}/sitemap.xml"]
    assert (sitemap["kind"], sitemap["found"], sitemap["items"]) == ("sitemap", "robots", 3)
    assert sitemap["entry"]["include"] == ["/kokusai/"]  # the part of the site asked about
    broken = found[f"{base}/comments.rss"]
    assert broken["entry"] is None
    assert "404" in broken["error"]
    assert "https://other.example.org/rss.xml" not in found  # another site's: not followed
    paths = {request.path for request, _ in httpserver.log}
    assert not paths & set(USUAL_PATHS)
    ids = {f["entry"]["id"] for f in report["found"] if f["entry"]}
    assert len(ids) == 3

    usable = [f for f in report["found"] if f["entry"] and f["kind"] != "sitemap"]
    _tried_back(write_config, [f["toml"] for f in usable], {f["url"]: f["items"] for f in usable})


@pytest.mark.parametrize(
    ("lang", "language"),
    [("ja", "ja"), ("ja_JP", "ja-JP"), ('\ufffd"ja"', None), ("日本語", None), ("", None)],
)
def test_a_pages_language_is_offered_as_a_tag_or_not_at_all(
    lang: str, language: str | None, server: HTTPServer, write_config: WriteConfig
) -> None:
    """A page whose ``<html lang>`` names no language (a NUL before its quote, as a
    broken template writes it) made every feed it announces "cannot be read as a
    source", with pydantic's message of several lines and a link to its documentation:
    the page's language went into each entry as written. It is offered as a tag, or not
    at all; and a refusal of the settings is one line."""
    page = CITY_PAGE.replace('<html lang="ja">', f'<html lang="{lang}">')
    assert page_candidates(page, "https://www.city.example.jp/kokusai/")[2] == language
    server.expect_request("/kokusai/").respond_with_data(page, content_type="text/html")
    rdf = (DATA / "feed" / "municipal.rdf").read_bytes()
    server.expect_request("/kokusai/rss/list1.xml").respond_with_data(
        rdf, content_type="application/rss+xml"
    )
    config = write_config("")
    code, report = _discover(config, server.url_for("/kokusai/"))
    assert code == 0
    feed = _found(report)[server.url_for("/kokusai/rss/list1.xml")]
    assert feed["error"] is None
    assert feed["entry"].get("language") == language


def test_the_table_names_what_each_gives_and_the_entries_to_paste(
    server: HTTPServer, write_config: WriteConfig
) -> None:
    server.expect_request("/").respond_with_data(
        CITY_PAGE.replace('<base href="/kokusai/">', ""), content_type="text/html"
    )
    rdf = (DATA / "feed" / "municipal.rdf").read_bytes()
    server.expect_request("/rss/list1.xml").respond_with_data(rdf, content_type="text/xml")
    server.expect_request("/kurashi/events.ics").respond_with_data("", status=500)
    server.expect_request("/comments.rss").respond_with_data("", status=404)
    code, out = invoke(write_config(), "discover", server.url_for("/"), "--allow-private")
    assert code == 0, out
    assert 'a web page, "国際交流 | 例え市" (ja)' in out
    assert "feed  富山市 新着情報（デモ用サンプル）  8 items, newest 2026-" in out
    assert "announced by the page" in out
    assert f"not usable: {server.url_for('/comments.rss')} (announced by the page)" in out
    assert "Paste an entry into the settings file" in out
    entries = out[out.index("[[sources]]") :]
    parsed = tomllib.loads(entries)["sources"]
    assert [s["url"] for s in parsed] == [server.url_for("/rss/list1.xml")]
    assert list(parsed[0])[:4] == ["id", "kind", "name", "url"]


def test_a_page_without_an_announced_feed_is_looked_for_at_the_usual_addresses(
    server: HTTPServer, write_config: WriteConfig
) -> None:
    """Most municipal sites announce no feed; NetCrew's systems keep one at
    ``/rss/10/list1.xml``. It is found by trying the usual addresses, unless told not to."""
    page = '<html lang="ja"><head><title>新着情報</title></head><body><ul></ul></body></html>'
    server.expect_request("/shinchaku.html").respond_with_data(page, content_type="text/html")
    rdf = (DATA / "feed" / "municipal.rdf").read_bytes()
    server.expect_request("/rss/10/list1.xml").respond_with_data(rdf, content_type="text/xml")
    server.expect_request("/feed/").respond_with_data(page, content_type="text/html")
    config = write_config()

    code, out = invoke(config, "discover", server.url_for("/shinchaku.html"), "--allow-private")
    assert code == 0, out
    assert "a usual address of feeds" in out
    assert f"tried {len(USUAL_PATHS)} usual addresses of feeds: 1 gave items" in out
    assert "not usable" not in out  # the usual addresses that failed are not listed one by one

    server.clear_log()
    code, out = invoke(
        config, "discover", server.url_for("/shinchaku.html"), "--allow-private", "--no-guess"
    )
    assert code == 1
    assert "found no feed, calendar, API or sitemap that gives items" in out
    assert [r.path for r, _ in server.log if r.path != "/robots.txt"] == ["/shinchaku.html"]


TRIBE = {
    "events": [
        {
            "id": 7,
            "title": "Compact city forum",
            "url": "https://partners.example.org/event/forum/",
            "date_utc": "2026-11-01 00:00:00",
            "start_date": "2027-01-20 14:00:00",
            "end_date": "2027-01-20 16:00:00",
            "all_day": False,
            "venue": {"venue": "Toyama International Conference Center"},
            "excerpt": "<p>Cities on their light rail.</p>",
            "description": '<p>Cities on their light rail.</p><p><a href="/register">Register</a>'
            "</p>",
        }
    ],
    "total": 1,
    "total_pages": 1,
}


def test_a_wordpress_site_offers_its_posts_and_events_through_its_rest_api(
    server: HTTPServer, write_config: WriteConfig
) -> None:
    """The page names its REST API (``rel="https://api.w.org/"``); the API's index says
    it serves posts and The Events Calendar's events, and the site's zone, in which the
    events' times are read."""
    page = (
        '<html lang="en"><head><title>Partners</title>'
        '<link rel="alternate" type="application/rss+xml" title="Partners &raquo; Feed"'
        ' href="/feed/">'
        '<link rel="alternate" type="application/rss+xml" title="Partners &raquo; Comments'
        ' Feed" href="/comments/feed/">'
        '<link rel="alternate" type="application/rss+xml" title="パートナー » 視察 のコメントの'
        'フィード" href="/2026/11/visit/feed/">'
        '<link rel="https://api.w.org/" href="/wp-json/"></head><body></body></html>'
    )
    wordpress = (DATA / "feed" / "wordpress.rss").read_bytes()
    for path in ("/feed/", "/comments/feed/", "/2026/11/visit/feed/"):
        server.expect_request(path).respond_with_data(wordpress, content_type="application/rss+xml")
    server.expect_request("/").respond_with_data(page, content_type="text/html")
    index = {
        "namespaces": ["oembed/1.0", "wp/v2", "tribe/events/v1"],
        "timezone_string": "Asia/Tokyo",
    }
    server.expect_request("/wp-json/").respond_with_json(index)
    posts = (DATA / "json" / "wp-posts-1.json").read_text("utf-8")
    server.expect_request("/wp-json/wp/v2/posts").respond_with_data(
        posts, content_type="application/json", headers={"X-WP-TotalPages": "1"}
    )
    server.expect_request("/wp-json/tribe/events/v1/events").respond_with_json(TRIBE)
    config = write_config()

    code, report = _discover(config, server.url_for("/"))

    assert code == 0, report
    found = _found(report)
    assert found[server.url_for("/feed/")]["entry"]["name"]
    assert server.url_for("/comments/feed/") not in found  # comments, not content
    assert server.url_for("/2026/11/visit/feed/") not in found
    posts_found = found[server.url_for("/wp-json/wp/v2/posts")]
    assert (posts_found["kind"], posts_found["found"], posts_found["items"]) == ("json", "api", 2)
    events = found[server.url_for("/wp-json/tribe/events/v1/events")]
    assert (events["kind"], events["items"]) == ("json", 1)
    assert events["entry"]["timezone"] == "Asia/Tokyo"
    assert events["entry"]["fields"]["event_start"] == "start_date"
    _tried_back(
        write_config,
        [posts_found["toml"], events["toml"]],
        {posts_found["url"]: 2, events["url"]: 1},
    )
    # The posts' categories and tags by name ("_embed" brings them): the origin's labels
    # classify its items, in any language (the entry had none).
    code, out = invoke(
        write_config(posts_found["toml"]), "try", posts_found["entry"]["id"], "--json"
    )
    assert code == 0, out
    workshop = next(i for i in json.loads(out) if i["id"].endswith(":2201"))
    assert workshop["categories"] == ["Solid waste", "Workshop", "神戸"]
    assert workshop["places"] == ["kobe"]
    code, out = invoke(write_config(events["toml"]), "try", events["entry"]["id"], "--json")
    event = json.loads(out)[0]["event"]
    assert event["start"] == "2027-01-20T05:00:00+00:00"  # 14:00 in Tokyo
    assert 'href="https://partners.example.org/register"' in json.loads(out)[0]["content_html"]


def test_a_site_that_refuses_our_user_agent_is_asked_as_a_browser(
    server: HTTPServer, write_config: WriteConfig
) -> None:
    """Some municipal sites answer 403 unless the User-Agent is a browser's: discover
    asks again as one, says so, and its entries send one."""

    def only_browsers(request: Request) -> Response:
        if not request.headers.get("User-Agent", "").startswith("Mozilla/5.0"):
            return Response("Forbidden", status=403)
        if request.path.endswith(".rss"):
            rdf = (DATA / "feed" / "municipal.rdf").read_bytes()
            return Response(rdf, content_type="application/rss+xml")
        page = '<html><head><link rel="alternate" type="application/rss+xml" href="/n.rss">'
        return Response(page + "</head></html>", content_type="text/html")

    server.expect_request("/").respond_with_handler(only_browsers)
    server.expect_request("/n.rss").respond_with_handler(only_browsers)
    code, out = invoke(write_config(), "discover", server.url_for("/"), "--allow-private")
    assert code == 0, out
    assert "it answers a browser's User-Agent only: the entries send one" in out
    entry = tomllib.loads(out[out.index("[[sources]]") :])["sources"][0]
    assert entry["browser_user_agent"] is True
    count = {entry["url"]: 8}
    _tried_back(write_config, [out[out.index("[[sources]]") :]], count)


def test_an_address_that_is_a_feed_is_offered_as_itself(
    server: HTTPServer, write_config: WriteConfig
) -> None:
    atom = (DATA / "feed" / "youtube.atom").read_bytes()
    server.expect_request("/feeds/videos.xml").respond_with_data(
        atom, content_type="application/atom+xml"
    )
    code, report = _discover(write_config(), server.url_for("/feeds/videos.xml"))
    assert code == 0
    assert report["is"] == "feed"
    (found,) = [f for f in report["found"] if f["entry"]]
    assert (found["found"], found["kind"]) == ("itself", "feed")


def test_a_page_that_announces_thousands_of_feeds_is_read_only_so_far(
    httpserver: HTTPServer, write_config: WriteConfig
) -> None:
    """Every feed a page announced and every sitemap its robots.txt named was read, one
    request each, a second apart at the default spacing: a page announcing 3,000 feeds
    kept discover busy for an hour. The first 30 announced and the first 10 named are
    read; the others are counted and said."""
    base = httpserver.url_for("").rstrip("/")
    sitemaps = "".join(f"Sitemap: {base}/map{n}.xml\n" for n in range(25))
    httpserver.expect_request("/robots.txt").respond_with_data(f"User-agent: *\n{sitemaps}")
    links = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="/f{n}.xml">' for n in range(100)
    )
    httpserver.expect_request("/").respond_with_data(
        f"<html><head><title>Many</title>{links}</head></html>", content_type="text/html"
    )
    rdf = (DATA / "feed" / "municipal.rdf").read_bytes()
    for n in range(100):
        httpserver.expect_request(f"/f{n}.xml").respond_with_data(
            rdf, content_type="application/rss+xml"
        )
    for n in range(25):
        httpserver.expect_request(f"/map{n}.xml").respond_with_data(
            SITEMAP.format(base=base), content_type="application/xml"
        )
    config = write_config()
    code, report = _discover(config, httpserver.url_for("/"))
    assert code == 0
    asked = [r.path for r, _ in httpserver.log]
    assert sum(1 for path in asked if path.startswith("/f")) == 30
    assert sum(1 for path in asked if path.startswith("/map")) == 10
    assert report["not_read"] == {
        "announced": [f"{base}/f{n}.xml" for n in range(30, 100)],
        "robots": [f"{base}/map{n}.xml" for n in range(10, 25)],
    }
    code, out = invoke(config, "discover", httpserver.url_for("/"), "--allow-private")
    assert (
        f"not read: 70 more addresses announced by the page, from {base}/f30.xml on (the "
        "first 30 were read; `--json` lists them, `syndicate discover ADDRESS` reads one)"
    ) in out
    assert f"not read: 15 more addresses named in the site's robots.txt, from {base}/map10" in out


def test_entries_are_named_after_their_site_and_address() -> None:
    assert free_id("https://www.city.toyama.lg.jp/news.rss", "feed", set()) == "city-toyama-news"
    youtube = "https://www.youtube.com/feeds/videos.xml?channel_id=UCabc"
    assert free_id(youtube, "feed", set()) == "youtube"
    netcrew = "https://www.city.abashiri.hokkaido.jp/rss/10/list1.xml"
    assert free_id(netcrew, "feed", set()) == "abashiri-hokkaido"
    posts = "https://partners.example.org/wp-json/wp/v2/posts"
    assert free_id(posts, "json", set()) == "partners-example-posts"
    sitemap = "https://www.worldbank.org/sitemap.xml"
    assert free_id(sitemap, "sitemap", {"worldbank-pages"}) == "worldbank-pages-2"
    assert free_id("https://xn--r8jz45g.jp/フィード.rss", "feed", set()) == "xn-r8jz45g"


def test_an_address_that_cannot_be_fetched_is_one_error_line(
    server: HTTPServer, write_config: WriteConfig
) -> None:
    server.expect_request("/missing").respond_with_data("", status=404)
    code, out = invoke(write_config(), "discover", server.url_for("/missing"), "--allow-private")
    assert code == 1
    assert out.startswith(f"error: {server.url_for('/missing')}: ")
    assert "404" in out
    assert "Traceback" not in out


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("not-a-url", "only http and https URLs are fetched"),
        ("ftp://files.example.org/feed", "only http and https URLs are fetched"),
        ("mailto:cpp@example.org", "only http and https URLs are fetched"),
        ("http://", "it names no host"),
    ],
)
def test_an_argument_that_is_no_web_address_is_a_usage_error(
    write_config: WriteConfig, written: str, says: str
) -> None:
    code, out = invoke(write_config(), "discover", written)
    assert code == 2
    assert out == (
        f"error: {written} is no web address to read: {says}; give one such as "
        "https://www.city.kobe.lg.jp/\n"
    )


def test_an_address_without_a_scheme_is_read_with_https(
    server: HTTPServer, write_config: WriteConfig
) -> None:
    """As a browser's address bar takes it: the test server speaks plain HTTP, so the
    https request fails, naming the address it was sent to."""
    bare = server.url_for("/news").removeprefix("http://")
    code, out = invoke(write_config(), "discover", bare, "--allow-private")
    assert code == 1
    # (The server's own log of the TLS hello it could not read may come first.)
    (line,) = [line for line in out.splitlines() if line.startswith("error: ")]
    assert line.startswith(f"error: https://{bare}: ")
    assert "TLS" in line


def _loopback_sources(server: HTTPServer, *sources: tuple[str, str, str]) -> str:
    """``[[sources]]`` tables of (id, kind, path on ``server``), loopback allowed."""
    return "".join(
        f'[[sources]]\nid = "{sid}"\nkind = "{kind}"\nurl = "{server.url_for(path)}"\n'
        "allow_private = true\n"
        for sid, kind, path in sources
    )


def test_a_feed_source_given_a_web_page_names_the_feed_the_page_offers(
    server: HTTPServer, write_config: WriteConfig
) -> None:
    """Given a city's news page instead of its feed, a ``feed`` source failed with the
    XML parser's words (``SAXParseException: syntax error``); it says what to set."""
    server.expect_request("/news/").respond_with_data(
        CITY_PAGE.replace('<base href="/kokusai/">', ""), content_type="text/html"
    )
    server.expect_request("/plain/").respond_with_data(
        "<html><body><p>お知らせ</p></body></html>", content_type="text/html"
    )
    config = write_config(
        _loopback_sources(server, ("f", "feed", "/news/"), ("p", "feed", "/plain/"),
                          ("c", "ical", "/news/"))
    )  # fmt: skip
    code, out = invoke(config, "try", "f")
    assert code == 1
    feed = server.url_for("/news/rss/list1.xml")
    assert f"is a web page, not an RSS, RDF or Atom feed; it offers {feed} (新着情報), " in out
    assert "set url to it" in out
    code, out = invoke(config, "try", "p")
    assert (
        "is a web page, not an RSS, RDF or Atom feed, and it offers none; `syndicate discover"
        in out
    )
    code, out = invoke(config, "try", "c")
    calendar = server.url_for("/kurashi/events.ics")
    assert f"is a web page, not an iCalendar file; it offers {calendar} (行事" in out


def test_a_source_whose_address_answers_nothing_or_an_error_text_says_so(
    server: HTTPServer, write_config: WriteConfig
) -> None:
    """A feed whose server answered nothing, or PHP's error in place of the document (as
    a broken WordPress does), failed with "is not an RSS, RDF or Atom feed" and the XML
    parser's words. Found in speedparser's corpus of feeds read from the web."""
    php = (
        "<br />\n<b>Fatal error</b>:  Call to undefined function wp() in "
        "<b>/home/site/public_html/wp-blog-header.php</b> on line <b>14</b><br />\n"
    )
    server.expect_request("/empty.xml").respond_with_data("\n", content_type="text/xml")
    server.expect_request("/broken.xml").respond_with_data(php, content_type="text/xml")
    server.expect_request("/cal.ics").respond_with_data("Not Found", content_type="text/plain")
    config = write_config(
        _loopback_sources(server, ("e", "feed", "/empty.xml"), ("b", "feed", "/broken.xml"),
                          ("c", "ical", "/cal.ics"))
    )  # fmt: skip
    code, out = invoke(config, "try", "e")
    assert code == 1
    assert "answered with an empty document, not an RSS, RDF or Atom feed" in " ".join(out.split())
    code, out = invoke(config, "try", "b")
    assert (
        'answered with text, not an RSS, RDF or Atom feed: "Fatal error: Call to undefined '
        'function wp() in /home/site/public_html/wp-blog-header.php on line 14"'
    ) in " ".join(out.split())
    code, out = invoke(config, "try", "c")
    assert 'answered with text, not an iCalendar file: "Not Found"' in " ".join(out.split())


def test_discover_says_when_a_site_answers_with_a_bot_check(
    server: HTTPServer, write_config: WriteConfig
) -> None:
    page = "<html><head><title>Just a moment...</title></head><body></body></html>"
    server.expect_request("/").respond_with_data(page, content_type="text/html")
    code, out = invoke(
        write_config(), "discover", server.url_for("/"), "--no-guess", "--allow-private"
    )
    assert code == 1
    assert "it answered with a bot check (a page that wants a browser running JavaScript)" in out


def test_a_bot_check_in_place_of_a_feed_is_named() -> None:
    page = (
        b"<!DOCTYPE html><html lang='en-US'><head><title>Just a moment...</title>"
        b"<script src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1'></script>"
        b"</head><body><noscript>Enable JavaScript and cookies to continue</noscript></body>"
    )
    assert is_bot_check(page)
    assert not is_bot_check(CITY_PAGE.encode())
    hint = web_page_hint(page, None, "https://blogs.example.org/rss.xml", "feed")
    assert hint is not None
    assert hint.startswith("https://blogs.example.org/rss.xml answered with a bot check")
    assert "not an RSS, RDF or Atom feed" in hint


@pytest.mark.parametrize(
    ("path", "offer"),
    [
        ("feed/municipal.rdf", "feed"),
        ("feed/wordpress.rss", "feed"),
        ("feed/youtube.atom", "feed"),
        ("feed/jsonfeed.json", "feed"),
        ("ical/events.ics", "ical"),
        ("sitemap/index.xml", "sitemap"),
        ("sitemap/pages.xml", "sitemap"),
        ("html/list-1.html", "html"),
        ("json/wp-posts-1.json", None),
    ],
)
def test_what_a_document_is(path: str, offer: str | None) -> None:
    assert offer_of((DATA / path).read_bytes(), "") == offer


def test_an_xml_document_declared_twice_is_read_as_a_page_without_a_warning() -> None:
    """A feed served as a web page with its XML declaration twice (the hostile suite's
    damage found it): Beautiful Soup warned that the text after the first looked like XML,
    an error where warnings are errors and a stray line on an operator's terminal."""
    feed = (DATA / "feed" / "municipal.rdf").read_text("utf-8")
    declaration = feed[: feed.index("?>") + 2]
    found, _, _ = page_candidates(declaration + feed, "https://city.example.jp/")
    assert found == []


def test_youtube_addresses_name_their_feeds() -> None:
    (channel,) = address_candidates("https://www.youtube.com/channel/UCabc123/videos")
    assert channel.url == "https://www.youtube.com/feeds/videos.xml?channel_id=UCabc123"
    (playlist,) = address_candidates("https://www.youtube.com/playlist?list=PLxyz")
    assert playlist.url == "https://www.youtube.com/feeds/videos.xml?playlist_id=PLxyz"
    assert address_candidates("https://www.youtube.com/@tdlc") == []  # its page announces it
    page = (
        '<html><head><link rel="canonical" href="https://www.youtube.com/channel/UCtdlc">'
        '<meta itemprop="channelId" content="UCtdlc"></head></html>'
    )
    found, _, _ = page_candidates(page, "https://www.youtube.com/@tdlc")
    assert [c.url for c in found] == [f"{channel.url.split('=')[0]}=UCtdlc"]
    assert address_candidates("https://www.example.org/channel/UCabc") == []


def test_links_in_a_page_that_lead_to_feeds_and_calendars() -> None:
    page = """<html><head>
    <link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/9">
    <link rel="alternate" type="text/calendar" title="iCal" href="/events/?ical=1">
    <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    </head><body>
    <a href="webcal://city.example.jp/cal/events.ics">予定</a>
    <a href="/rss/rss.xml"><img src="rss.png" alt="RSS"></a>
    <a href="/feed">フィード</a>
    <a href="/about.html">About</a>
    <a href="/rss/rss.xml">again</a>
    </body></html>"""
    found, _, _ = page_candidates(page, "https://city.example.jp/kokusai/")
    assert [(c.offer, c.url, c.how) for c in found] == [
        ("ical", "https://city.example.jp/events/?ical=1", "announced"),
        ("ical", "https://city.example.jp/cal/events.ics", "linked"),
        ("feed", "https://city.example.jp/rss/rss.xml", "linked"),
        ("feed", "https://city.example.jp/feed", "linked"),
    ]


def test_calendars_on_other_sites_are_read_and_embedded_google_calendars_found() -> None:
    """A city's events page shows its Google calendar in an iframe, or links the Outlook
    calendar's .ics: calendars live on other sites; feeds of other sites are theirs."""
    page = """<html><body>
    <iframe src="https://calendar.google.com/calendar/embed?src=city.events%40gmail.com&amp;src=ja.japanese%23holiday%40group.v.calendar.google.com&amp;ctz=Asia%2FTokyo"></iframe>
    <a href="https://outlook.office365.com/owa/calendar/abc/def/calendar.ics">Outlook</a>
    <a href="https://news.example.org/feed.xml">Partner news</a>
    </body></html>"""
    found, _, _ = page_candidates(page, "https://city.example.jp/events/")
    assert [(c.offer, c.url, c.how) for c in found] == [
        (
            "ical",
            "https://calendar.google.com/calendar/ical/city.events@gmail.com/public/basic.ics",
            "embedded",
        ),
        (
            "ical",
            "https://calendar.google.com/calendar/ical/"
            "ja.japanese%23holiday@group.v.calendar.google.com/public/basic.ics",
            "embedded",
        ),
        ("ical", "https://outlook.office365.com/owa/calendar/abc/def/calendar.ics", "linked"),
    ]


def test_a_published_outlook_calendars_page_is_read_as_its_ics() -> None:
    """Outlook publishes a shared calendar as a page and as an .ics, and sites link or
    embed the page (``…/calendar.html``): no calendar was found there. Its .ics is
    offered now, linked, embedded or given to ``discover`` itself."""
    owa = "https://outlook.office365.com/owa/calendar/4f1e@worldbank.org/9a2c/calendar"
    page = f"""<html><body><a href="{owa}.html">Events calendar</a>
    <iframe src="https://outlook.live.com/owa/calendar/00000/abcd/calendar.html"></iframe>
    <a href="https://outlook.office365.com/mail/inbox">Mail</a></body></html>"""
    found, _, _ = page_candidates(page, "https://city.example.jp/events/")
    assert [(c.offer, c.url, c.how) for c in found] == [
        ("ical", "https://outlook.live.com/owa/calendar/00000/abcd/calendar.ics", "embedded"),
        ("ical", f"{owa}.ics", "linked"),
    ]
    assert [(c.offer, c.url) for c in address_candidates(f"{owa}.html")] == [("ical", f"{owa}.ics")]
    # An ical source set to the page says where its calendar is.
    hint = web_page_hint(b"<html><body>Calendar</body></html>", None, f"{owa}.html", "ical")
    assert hint is not None
    assert f"it offers {owa}.ics: set url to it" in hint


def test_googles_link_to_add_a_calendar_is_read_at_its_ical_address() -> None:
    """A site links its Google calendar as Google's "add this calendar" link, the id in
    base64 (``calendar.google.com/calendar/u/0?cid=…``): no calendar was found there."""
    page = """<html><body>
    <a href="https://calendar.google.com/calendar/u/0?cid=Y2l0eS5ldmVudHNAZ21haWwuY29t">Add</a>
    <a href="https://calendar.google.com/calendar/u/0?cid=bm90IGFuIGlk">Not an id</a>
    </body></html>"""
    found, _, _ = page_candidates(page, "https://city.example.jp/events/")
    assert [(c.offer, c.url, c.how) for c in found] == [
        (
            "ical",
            "https://calendar.google.com/calendar/ical/city.events@gmail.com/public/basic.ics",
            "linked",
        ),
    ]


def test_sitemaps_named_in_robots_txt() -> None:
    text = (
        "User-agent: *\nDisallow:\nsitemap: https://a.example/s1.xml\n"
        "SITEMAP:https://a.example/s2.xml.gz # gz\nSitemap: /relative.xml\n"
    )
    assert [c.url for c in robots_sitemaps(text)] == [
        "https://a.example/s1.xml",
        "https://a.example/s2.xml.gz",
    ]


def test_entries_are_toml_that_reads_back_as_written() -> None:
    entry = {
        "id": "a",
        "kind": "json",
        "name": 'A "quoted" \\ name\twith 日本語',
        "url": "https://x.example/wp-json/wp/v2/posts",
        "allow_private": True,
        "include": ["/kokusai/", "/ja/プログラム/"],
        "params": {"_embed": "1", "f.entityType": "Publication,equals"},
        "fields": {"title": "title.rendered", "image": '_embedded."wp:featuredmedia".0.source_url'},
        "paging": {"mode": "page", "size": 50},
    }
    assert tomllib.loads(toml_entry(entry)) == {"sources": [entry]}


def test_a_shift_jis_page_is_read_in_its_own_encoding(
    server: HTTPServer, write_config: WriteConfig
) -> None:
    """Older municipal pages are Shift_JIS, said only in a ``<meta>`` (or not at all)."""
    page = (
        '<html lang="ja"><head><meta charset="Shift_JIS"><title>新着情報一覧</title>'
        '<link rel="alternate" type="application/rss+xml" title="新着情報" href="/news.rss">'
        "</head><body></body></html>"
    ).encode("cp932")
    server.expect_request("/").respond_with_data(page, content_type="text/html")
    rdf = (DATA / "feed" / "municipal.rdf").read_bytes()
    server.expect_request("/news.rss").respond_with_data(rdf, content_type="text/xml")
    code, report = _discover(write_config(), server.url_for("/"))
    assert code == 0
    assert report["title"] == "新着情報一覧"
    assert _found(report)[server.url_for("/news.rss")]["items"] == 8


def test_a_sitemap_index_is_counted_in_sitemaps(
    server: HTTPServer, write_config: WriteConfig
) -> None:
    index = (
        (DATA / "sitemap" / "index.xml").read_text("utf-8").replace("{base}", "https://x.example")
    )
    server.expect_request("/sitemap.xml").respond_with_data(index, content_type="application/xml")
    url = server.url_for("/sitemap.xml")
    code, out = invoke(write_config(), "discover", url, "--allow-private")
    assert code == 0, out
    assert "sitemap  -      2 sitemaps  the address itself" in out
    entry = tomllib.loads(out[out.index("[[sources]]") :])["sources"][0]
    assert (entry["kind"], entry["url"]) == ("sitemap", server.url_for("/sitemap.xml"))
    assert "include" not in entry  # asked about the whole site
    assert "usual addresses" not in out  # guessing is for web pages


def test_a_feed_that_robots_txt_names_as_the_sitemap_is_found_as_a_feed(
    httpserver: HTTPServer, write_config: WriteConfig
) -> None:
    """A site's robots.txt names its RSS feed as its sitemap (sitemaps.org allows a feed
    as one): it was "not usable: not a sitemap (root element 'rss')", and the same
    address among the usual ones of feeds was not read again, so the site's feed was not
    found. It is read as the feed it is."""
    feed = (DATA / "feed" / "municipal.rdf").read_bytes()
    httpserver.expect_request("/feed.xml").respond_with_data(feed, content_type="text/xml")
    sitemap = f"User-agent: *\nAllow: /\nSitemap: {httpserver.url_for('/feed.xml')}\n"
    httpserver.expect_request("/robots.txt").respond_with_data(sitemap)
    page = "<html><head><title>City</title></head><body><p>News</p></body></html>"
    httpserver.expect_request("/").respond_with_data(page, content_type="text/html")
    code, report = _discover(write_config(robots=True), httpserver.url_for("/"))
    assert code == 0, report
    found = _found(report)[httpserver.url_for("/feed.xml")]
    assert (found["kind"], found["items"], found["error"]) == ("feed", 8, None)
    assert found["entry"]["kind"] == "feed"


def test_discover_obeys_robots_txt(httpserver: HTTPServer, write_config: WriteConfig) -> None:
    """A site's robots.txt holds for discovery as for a run: a disallowed feed is not
    read (and says why), a disallowed page is one error line."""
    rules = "User-agent: *\nDisallow: /private/\nDisallow: /news.rss\n"
    httpserver.expect_request("/robots.txt").respond_with_data(rules)
    page = '<html><head><link rel="alternate" type="application/rss+xml" href="/news.rss">'
    httpserver.expect_request("/").respond_with_data(page, content_type="text/html")
    config = write_config(robots=True)
    code, report = _discover(config, httpserver.url_for("/"))
    assert code == 1
    (feed,) = report["found"]
    assert "disallows" in feed["error"]
    code, out = invoke(config, "discover", httpserver.url_for("/private/x"), "--allow-private")
    assert code == 1
    assert out.startswith("error: ")
    assert "robots.txt of http://localhost" in out
    assert {r.path for r, _ in httpserver.log} == {"/robots.txt", "/"}


def test_a_calendar_found_on_a_page_links_its_events_to_that_page(
    server: HTTPServer, write_config: WriteConfig
) -> None:
    """Google's and Outlook's calendars give their events no URL: without ``page_url``
    every event was dropped (``no-link``), and the calendar was "not usable". Found on a
    page, its events link to the page that shows it."""
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
        "X-WR-CALNAME:国際交流イベント\r\n"
        "BEGIN:VEVENT\r\nUID:a1@google.com\r\nDTSTAMP:20261120T000000Z\r\n"
        "DTSTART:20270115T010000Z\r\nDTEND:20270115T030000Z\r\nSUMMARY:視察団歓迎会\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    server.expect_request("/cal/basic.ics").respond_with_data(
        calendar, content_type="text/calendar"
    )
    page = '<html lang="ja"><body><a href="/cal/basic.ics">カレンダーに登録</a></body></html>'
    server.expect_request("/events/").respond_with_data(page, content_type="text/html")
    config = write_config()
    code, report = _discover(config, server.url_for("/events/"), "--no-guess")
    assert code == 0, report
    (found,) = [f for f in report["found"] if f["entry"]]
    assert (found["kind"], found["items"], found["events"]) == ("ical", 1, 1)
    assert found["title"] == "国際交流イベント"
    assert found["entry"]["page_url"] == server.url_for("/events/")
    code, out = invoke(write_config(found["toml"]), "try", found["entry"]["id"], "--json")
    assert json.loads(out)[0]["url"] == server.url_for("/events/")


OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Subscriptions exported by a reader</title></head>
<body>
<outline text="Toyama" title="Toyama">
  <outline type="rss" text="富山市 新着" xmlUrl="{base}/toyama.rdf" htmlUrl="{base}/"/>
  <outline text="Videos">
    <outline type="rss" text="Channel" xmlUrl="{base}/videos.atom"/>
  </outline>
</outline>
<outline text="Compact Cities">
  <outline type="rss" text="Notes" xmlURL="{base}/notes.rss"/>
</outline>
<outline text="Unsorted"><outline type="rss" text="Gone" xmlUrl="{base}/gone.rss"/></outline>
<outline type="rss" text="Toyama again" xmlUrl="{base}/toyama.rdf"/>
<outline type="link" text="A blog's page" url="{base}/blog/"/>
</body></opml>"""


def test_an_opml_list_of_feeds_gives_an_entry_for_each_feed(
    httpserver: HTTPServer, write_config: WriteConfig, tmp_path: Path
) -> None:
    """What a feed reader exports of its subscriptions: each feed read as `try` reads a
    source; one filed in a folder named as a city, topic or kind gets it; a feed listed
    twice is read once; one that answers 404 is said so; a link that is no feed is not
    read. The same from a file and from an address."""
    base = httpserver.url_for("").rstrip("/")
    feeds = {"toyama.rdf": "municipal.rdf", "videos.atom": "youtube.atom", "notes.rss": "note.rss"}
    for path, name in feeds.items():
        httpserver.expect_request(f"/{path}").respond_with_data((DATA / "feed" / name).read_bytes())
    httpserver.expect_request("/gone.rss").respond_with_data("gone", status=404)
    httpserver.expect_request("/subscriptions.opml").respond_with_data(
        OPML.format(base=base), content_type="text/x-opml"
    )
    listed = tmp_path / "subscriptions.opml"
    listed.write_text(OPML.format(base=base), encoding="utf-8")
    config = write_config()
    for where in (str(listed), httpserver.url_for("/subscriptions.opml")):
        code, report = _discover(config, where)
        assert code == 0, report
        assert report["is"] == "opml"
        found = _found(report)
        assert list(found) == [f"{base}/{p}" for p in (*feeds, "gone.rss")]
        toyama = found[f"{base}/toyama.rdf"]["entry"]
        assert (toyama["kind"], toyama["places"], toyama["name"]) == (
            "feed", ["toyama"], "富山市 新着情報（デモ用サンプル）"
        )  # fmt: skip
        videos = found[f"{base}/videos.atom"]["entry"]
        assert (videos["places"], videos["default_kind"]) == (["toyama"], "video")
        assert found[f"{base}/notes.rss"]["entry"]["topics"] == ["compact-cities"]
        assert found[f"{base}/notes.rss"]["found"] == "listed"
        assert "404" in found[f"{base}/gone.rss"]["error"]
    assert [r.path for r, _ in httpserver.log].count("/toyama.rdf") == 2  # once a reading
    usable = [f for f in report["found"] if f["entry"]]
    _tried_back(write_config, [f["toml"] for f in usable], {f["url"]: f["items"] for f in usable})
    # The table says what the list is; a file that is no OPML list is named with the fix.
    code, out = invoke(config, "discover", str(listed), "--allow-private")
    assert code == 0
    assert f"{listed}: an OPML list of feeds" in out.splitlines()
    assert "listed in the OPML list" in out
    other = tmp_path / "notes.txt"
    other.write_text("not a list", encoding="utf-8")
    code, out = invoke(config, "discover", str(other))
    assert code == 2
    assert f"{other} is no OPML list of feeds; give an OPML file or a web address" in out


def test_an_opml_list_cannot_make_discover_read_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-TOKEN", encoding="utf-8")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "{secret.as_uri()}">'
        '<!ENTITY y "https://a.example.org/&x;">]><opml version="2.0"><body>'
        '<outline text="&x;" xmlUrl="&y;"/>'
        f'<outline text="f" xmlUrl="{secret.as_uri()}"/>'
        '<outline text="j" xmlUrl="javascript:alert(1)"/></body></opml>'
    ).encode()
    listed = listed_feeds(body, "https://lists.example.org/a.opml")
    assert [(c.url, c.title, folders) for c, folders in listed] == [
        ("https://a.example.org/", "", ())
    ]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("www.city.kobe.lg.jp/news", "https://www.city.kobe.lg.jp/news"),
        ("webcal://p12-caldav.icloud.com/published/2/abc",
         "https://p12-caldav.icloud.com/published/2/abc"),
        ("feed:https://city.example.jp/rss.xml", "https://city.example.jp/rss.xml"),
        ("mailto:info@city.example.jp", "mailto:info@city.example.jp"),
    ],
)  # fmt: skip
def test_discover_reads_an_address_as_a_browser_or_a_calendar_app_takes_it(
    typed: str, read: str
) -> None:
    """A calendar's webcal:// link and a feed:// one, as sites give them, were refused by
    ``discover`` as "no web address"; they are the http(s) addresses they stand for."""
    from tdlc_syndication.pipeline.cli.discovery import _with_scheme

    assert _with_scheme(typed) == read


def test_a_pages_feed_links_in_a_subscription_scheme_are_found() -> None:
    """A page that announces its feed as ``feed://…`` or links it as ``feed:https://…``
    offered nothing: such an address was no web address to `discover`."""
    from tdlc_syndication.sources.discovery import page_candidates

    page = (
        '<html><head><link rel="alternate" type="application/rss+xml" title="News" '
        'href="feed://city.example.jp/rss/news.xml"></head><body>'
        '<a href="feed:https://city.example.jp/rss/en.xml">RSS</a>'
        '<a href="webcal://city.example.jp/events.ics">Calendar</a></body></html>'
    )
    found, _, _ = page_candidates(page, "https://city.example.jp/")
    assert [(c.offer, c.url) for c in found] == [
        ("feed", "http://city.example.jp/rss/news.xml"),
        ("feed", "https://city.example.jp/rss/en.xml"),
        ("ical", "https://city.example.jp/events.ics"),
    ]
