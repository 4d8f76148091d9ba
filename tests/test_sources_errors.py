"""What every source kind shares: settings checks beyond types (CSS selectors, JSON paths),
and broken answers that become one clear per-source error."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from tests_support import MakeContext, run_one, source_toml

from tdlc_syndication.pipeline.cli import cli


def test_check_explains_bad_selectors_paths_and_missing_fields(
    write_config: Callable[..., Path],
) -> None:
    html = 'url = "https://x.example.org/"\nitem_selector = "ul.news li["\n'
    html += 'link_selector = "a[href@href"'
    api = 'url = "https://x.example.org/api"\nitems_path = "data..items"\n'
    api += 'fields = { title = "title", url = "link" }\npaging = { mode = "next" }'
    config = write_config(
        source_toml("html", html, "bad-html")
        + source_toml("json", api, "bad-json")
        + source_toml("worldbank_documents", "", "no-queries")
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


def test_selectors_written_as_scrapy_or_xpath_write_them_name_the_css_to_write(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """``title_selector = "a::text"`` and ``link_selector = "a::attr(href)"``, as Scrapy
    writes them: ``check`` ended in a traceback (the CSS library raises NotImplementedError
    for a pseudo-element), and each run failed as "unexpected error:
    NotImplementedError". An XPath got the CSS library's words alone. Each names what to
    write now, in ``check`` and in the run's error."""
    html = _news_list(server) + 'item_selector = "ul.news li"\n'
    html += 'title_selector = "a::text"\nlink_selector = "a::attr(href)"\n'
    html += "date_selector = \"//span[@class='date']\""
    err, error = _refused(write_config(source_toml("html", html, "news")), make_context, "news")
    assert (
        "title_selector: 'a::text' is not a valid CSS selector (Scrapy's ::text: write 'a';" in err
    )
    assert (
        "link_selector: 'a::attr(href)' is not a valid CSS selector (Scrapy's ::attr(): "
        "write 'a@href')" in err
    )
    assert "date_selector: \"//span[@class='date']\" is not a valid CSS selector (an XPath: " in err
    assert error.startswith("settings: title_selector: 'a::text' is not a valid")


def test_selectors_written_as_jquery_writes_them_name_the_css_to_write(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """jQuery's positions and states (``li:first``, ``li:eq(0)``, ``a:visible``) got the
    CSS library's words alone, which named neither what to write nor where the syntax
    came from."""
    html = _news_list(server) + 'item_selector = "ul.news li:gt(0)"\n'
    html += 'title_selector = "a:eq(0)"\nlink_selector = "a:visible@href"\n'
    html += 'summary_selector = "p:last"\n'
    err, _ = _refused(write_config(source_toml("html", html, "news")), make_context, "news")
    assert "(jQuery's: write 'ul.news li:nth-of-type(n+2)')" in err
    assert "(jQuery's: write 'a:nth-of-type(1)')" in err
    assert "(jQuery's: write 'a'; the page is read as served, without its styles" in err
    assert "(jQuery's: write 'p:last-of-type')" in err


def test_contains_as_jquery_and_scrapy_write_it_is_read_without_a_warning(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """``li:contains("お知らせ")``, jQuery's and Scrapy's text test, which soupsieve reads as
    ``:-soup-contains``: it worked, but every ``check`` and every run printed the CSS
    library's FutureWarning, with the path of its file, into the operator's log."""
    server.expect_request("/news/").respond_with_data(
        '<ul class="news"><li><a href="/n/1">お知らせ 1</a></li><li><a href="/n/2">他</a></li>'
        "</ul>",
        content_type="text/html",
    )
    html = (
        f'url = "{server.url_for("/news/")}"\nitem_selector = \'ul.news li:contains("お知らせ")\''
    )
    config = write_config(source_toml("html", html, "news"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = CliRunner().invoke(cli, ["--config", str(config), "check"])
        report, stored = run_one(make_context(config), "news")
    assert result.exit_code == 0, result.output
    assert "FutureWarning" not in result.output + result.stderr
    assert report.status == "ok", report.error
    assert [s.item.title for s in stored.values()] == ["お知らせ 1"]


def _news_list(server: HTTPServer) -> str:
    """Serve a list page of one notice at /news/; the html source's url setting for it."""
    server.expect_request("/news/").respond_with_data(
        '<ul class="news"><li><a href="/n/1">Notice</a></li></ul>', content_type="text/html"
    )
    return f'url = "{server.url_for("/news/")}"\n'


def _refused(config: Path, make_context: MakeContext, source_id: str) -> tuple[str, str]:
    """What ``check`` prints of the settings of ``config`` (it exits 2, without a
    traceback), and the error a run of ``source_id`` fails with (storing nothing)."""
    result = CliRunner().invoke(cli, ["--config", str(config), "check"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output + result.stderr
    report, stored = run_one(make_context(config), source_id)
    assert report.status == "failed"
    assert stored == {}
    return result.stderr, report.error or ""


# -- json (generic) --------------------------------------------------------------------


def test_a_json_path_written_as_jsonpath_or_jq_names_the_dotted_path(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """``items_path = "$.data[*]"``, ``title = "title[0]"``, ``url = "links['self']"``:
    JSONPath (and jq's ``.data[]``) were taken for keys with brackets in their names.
    ``check`` passed them, and each run dropped every record without a word (a malformed
    ``items_path`` even took the whole answer for one record). ``check`` names the dotted
    path to write, and a run fails the source with it."""
    server.expect_request("/api").respond_with_json(
        {"data": [{"id": 1, "title": ["Drill"], "links": {"self": "https://x.example.org/1"}}]}
    )
    api = f'url = "{server.url_for("/api")}"\nitems_path = "$.data[*]"\n'
    api += 'fields = { id = ".id", title = "title[0]", url = "links[\'self\']" }'
    config = write_config(source_toml("json", api, "api"))
    err, error = _refused(config, make_context, "api")
    assert (
        "items_path: '$.data[*]' is written as JSONPath or jq; write it as dotted keys: "
        "'data.*'" in err
    )
    assert "fields.id: '.id' is written as JSONPath or jq; write it as dotted keys: 'id'" in err
    assert (
        "fields.title: 'title[0]' is written as JSONPath or jq; write it as dotted keys: "
        "'title.0'" in err
    )
    assert "write it as dotted keys: 'links.self'" in err
    assert "write it as dotted keys: 'data.*'" in error
    # written as dotted keys, the record is read; a key with brackets in its name, quoted
    config.write_text(
        config.read_text()
        .replace('"$.data[*]"', '"data"')
        .replace('".id"', '"id"')
        .replace('"title[0]"', '"title.0"')
        .replace("\"links['self']\"", '"links.self"')
    )
    report, stored = run_one(make_context(config), "api")
    assert report.status == "ok", report.error
    assert [(s.item.title, s.item.url) for s in stored.values()] == [
        ("Drill", "https://x.example.org/1")
    ]


# -- OAI-PMH ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "body", "content_type", "expected"),
    [
        ("worldbank_documents", b"<html>maintenance</html>", "text/html", "not JSON"),
        ("oai_pmh", b"{not xml", "text/xml", "not XML"),
        ("json", b"[broken", "application/json", "is not JSON"),
        ("ical", b"<html>login</html>", "text/html", "not an iCalendar file"),
        ("sitemap", b"<html><body>no</body></html>", "text/html", "not a sitemap but a web page"),
        ("sitemap", b"<?xml version='1.0'?><results/>", "text/xml", "not a sitemap (root element"),
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
    ctx = make_context(write_config(source_toml(kind, extra)))
    report, stored = run_one(ctx)
    assert report.status == "failed"
    assert expected in (report.error or "")
    assert "unexpected error" not in (report.error or "")
    assert stored == {}


CHALLENGE = (
    "<!DOCTYPE html><html lang='en-US'><head><title>Just a moment...</title></head><body>"
    "<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1'></script>"
    "</body></html>"
)


def test_a_bot_check_is_named_with_what_to_do(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A site behind a bot check (Cloudflare's "Just a moment...") answers 403 or 503 with
    it, or 200 in place of the page: a feed said "answered HTTP 403 Forbidden" and a list
    "the page layout may have changed", neither why nor what to do."""
    server.expect_request("/forbidden.rss").respond_with_data(
        CHALLENGE, status=403, content_type="text/html"
    )
    server.expect_request("/busy.rss").respond_with_data(
        CHALLENGE, status=503, content_type="text/html"
    )
    server.expect_request("/news").respond_with_data(CHALLENGE, content_type="text/html")
    server.expect_request("/plain.rss").respond_with_data(
        "<html><body>No entry</body></html>", status=403, content_type="text/html"
    )
    sources = "".join(
        source_toml(kind, f'url = "{server.url_for(path)}"' + extra, source_id)
        for source_id, kind, path, extra in (
            ("forbidden", "feed", "/forbidden.rss", ""),
            ("busy", "feed", "/busy.rss", ""),
            ("news", "html", "/news", '\nitem_selector = "ul.news li"'),
            ("plain", "feed", "/plain.rss", ""),
        )
    )
    ctx = make_context(write_config(sources))
    errors = {}
    for source_id in ("forbidden", "busy", "news", "plain"):
        report, _ = run_one(ctx, source_id)
        errors[source_id] = report.error or ""
    for source_id in ("forbidden", "busy", "news"):
        assert "a bot check (a page that wants a browser running JavaScript)" in errors[source_id]
        assert "browser_user_agent = true" in errors[source_id]
    assert "answered HTTP 403" in errors["forbidden"]
    assert "answered 503" in errors["busy"]
    assert "matched nothing" in errors["news"]
    assert "layout may have changed" not in errors["news"]
    assert errors["plain"].endswith("answered HTTP 403 FORBIDDEN")  # no check: as before


def test_an_apis_own_words_are_in_its_error(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """An API that refuses says why in its body (``{"code": "rest_cannot_access",
    "message": "Only authenticated users can access the REST API."}``): the error said
    "answered HTTP 401 Unauthorized" alone. Its message is quoted, and where WordPress's
    REST API is closed, the site's feed is named; a web page in place of JSON is said to
    be one."""
    answers = {
        "/a/wp-json/wp/v2/posts": (401, '{"code": "rest_cannot_access", "message": '
                                   '"Only authenticated users can access the REST API."}'),
        "/b/wp-json/wp/v2/posts": (404, '{"code": "rest_no_route", "message": '
                                   '"No route was found matching the URL and request method."}'),
        "/c/api": (400, '{"error": "invalid_request", "error_description": '
                   '"The &quot;rows&quot; parameter is too large"}'),
        "/d/api": (200, "<!DOCTYPE html><html><body><h1>Welcome</h1></body></html>"),
    }  # fmt: skip
    for path, (status, body) in answers.items():
        server.expect_request(path).respond_with_data(
            body, status=status, content_type="application/json"
        )
    fields = '\n[sources.fields]\ntitle = "title"\nurl = "link"\n'
    sources = "".join(
        source_toml("json", f'url = "{server.url_for(path)}"{fields}', f"s{n}")
        for n, path in enumerate(answers)
    )
    ctx = make_context(write_config(sources))
    errors = [run_one(ctx, f"s{n}")[0].error or "" for n in range(len(answers))]
    site_a = server.url_for("/a")
    assert errors[0].endswith(
        "answered HTTP 401 UNAUTHORIZED: \u201cOnly authenticated users can access the REST "
        "API.\u201d (rest_cannot_access); the site keeps its WordPress REST API for its own "
        f'users: its feed gives the posts (kind = "feed", url = "{site_a}/feed/")'
    )
    assert "(rest_no_route); WordPress has no such route here" in errors[1]
    assert errors[2].endswith(': \u201cThe "rows" parameter is too large\u201d')
    assert errors[3].endswith(
        "is not JSON but a web page (an API turned off or moved sends one in its place)"
    )
