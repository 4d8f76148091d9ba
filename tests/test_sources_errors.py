"""What every source kind shares: settings checks beyond types (CSS selectors, JSON paths),
and broken answers that become one clear per-source error."""

from __future__ import annotations

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


# -- json (generic) --------------------------------------------------------------------


# -- OAI-PMH ------------------------------------------------------------------------------


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
    ctx = make_context(write_config(source_toml(kind, extra)))
    report, stored = run_one(ctx)
    assert report.status == "failed"
    assert expected in (report.error or "")
    assert "unexpected error" not in (report.error or "")
    assert stored == {}
