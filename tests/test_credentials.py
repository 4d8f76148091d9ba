"""A source's own headers and HTTP Basic credentials (an API key, a members-only feed),
against real servers on 127.0.0.1: sent to its own site only, read from the environment,
never shown."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from tests_support import BLOG, MakeContext, invoke, run_one, source_toml
from werkzeug import Request, Response

from tdlc_syndication.config.errors import ConfigError
from tdlc_syndication.config.loader import load_settings

KEY = "k-7d1e-secret"  # what no output, log or cache may ever hold
PASSWORD = "pw-Toyama-2026"
WriteConfig = Callable[..., Path]
KEYED = 'headers = { "X-API-Key" = "${CITY_API_KEY}" }'


@pytest.fixture
def elsewhere() -> Iterator[HTTPServer]:
    """A second site: another origin (the same address, another port)."""
    other = HTTPServer(host="127.0.0.1", port=0)
    other.start()
    other.expect_request("/robots.txt").respond_with_data("", status=404)
    yield other
    other.clear()
    if other.is_running():
        other.stop()


def _needs(header: str, value: str, body: str) -> Callable[[Request], Response]:
    def answer(request: Request) -> Response:
        if request.headers.get(header) != value:
            return Response("no", status=401)
        return Response(body, content_type="application/rss+xml")

    return answer


def _keyed(server: HTTPServer) -> str:
    """A feed source at /keyed.xml that sends the key of ``$CITY_API_KEY``."""
    return source_toml(
        "feed",
        f'url = "{server.url_for("/keyed.xml")}"\n' + KEYED,
        "keyed",
    )


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_headers_and_basic_credentials_go_to_the_sources_own_site_only(
    server: HTTPServer,
    elsewhere: HTTPServer,
    write_config: WriteConfig,
    make_context: MakeContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An API key from the environment reaches the source's site; after a redirect to
    another site (another origin) it is not sent; Basic credentials open a members-only
    feed; robots.txt is asked without them."""
    monkeypatch.setenv("CITY_API_KEY", KEY)
    monkeypatch.setenv("FEED_PASSWORD", PASSWORD)
    server.expect_request("/keyed.xml").respond_with_handler(_needs("X-API-Key", KEY, BLOG))
    server.expect_request("/moved.xml").respond_with_data(
        "", status=302, headers={"Location": elsewhere.url_for("/feed.xml")}
    )
    elsewhere.expect_request("/feed.xml").respond_with_data(
        BLOG, content_type="application/rss+xml"
    )
    server.expect_request("/members.xml").respond_with_handler(
        _needs("Authorization", _basic("editor", PASSWORD), BLOG)
    )
    config = write_config(
        _keyed(server)
        + source_toml("feed", f'url = "{server.url_for("/moved.xml")}"\n{KEYED}', "moved")
        + source_toml(
            "feed",
            f'url = "{server.url_for("/members.xml")}"\n'
            'username = "editor"\npassword = "${FEED_PASSWORD}"',
            "members",
        ),
        robots=True,
    )
    ctx = make_context(config)
    for source in ("keyed", "moved", "members"):
        report, stored = run_one(ctx, source)
        assert report.status == "ok", (source, report.error)
        assert stored
    ours = {r.path: r.headers for r, _ in server.log}
    assert ours["/keyed.xml"].get("X-API-Key") == KEY
    assert ours["/moved.xml"].get("X-API-Key") == KEY
    assert ours["/members.xml"].get("Authorization") == _basic("editor", PASSWORD)
    assert "X-API-Key" not in ours["/robots.txt"]
    theirs = {r.path: r.headers for r, _ in elsewhere.log}
    assert theirs["/feed.xml"].get("User-Agent")  # asked, without the key
    assert "X-API-Key" not in theirs["/feed.xml"]


def test_an_unset_variable_fails_its_source_alone_and_check_warns(
    server: HTTPServer,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A variable the service's environment lacks: `check` warns (it may run in another
    shell than the service), the source fails saying which variable, asks nothing, and
    the other sources run."""
    monkeypatch.delenv("CITY_API_KEY", raising=False)
    server.expect_request("/open.xml").respond_with_data(BLOG, content_type="application/rss+xml")
    config = write_config(
        _keyed(server) + source_toml("feed", f'url = "{server.url_for("/open.xml")}"', "open")
    )
    code, out = invoke(config, "check")
    assert code == 0, out
    assert "CITY_API_KEY is not set in this environment" in out
    code, out = invoke(config, "fetch")
    assert code == 1
    summary = out[out.index("fetch summary") :].splitlines()
    assert summary[2].split(maxsplit=6) == [
        "keyed", "failed", "0", "0", "0", "0",
        "headers: the environment variable CITY_API_KEY is not set",
    ]  # fmt: skip
    assert summary[3].split() == ["open", "ok", "10", "0", "0", "0"]
    assert not [r for r, _ in server.log if r.path == "/keyed.xml"]  # nothing asked


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ('headers = { "If-None-Match" = "x" }', "'If-None-Match' is set by the client itself"),
        ('headers = { "User-Agent" = "x" }', "browser_user_agent = true"),
        ('headers = { "X Key" = "x" }', "'X Key' is not a header name"),
        ('headers = { "X-Key" = "a\\r\\nX-Evil: 1" }', "holds a line break"),
        ('headers = { "X-Key" = "a", "x-key" = "b" }', "'x-key' is given twice"),
        ('headers = { "X-Team" = "防災" }', "holds a character a header cannot carry"),
        ('password = "${P}"', "'password' is given without 'username'"),
        ('username = "a:b"\npassword = "p"', "'username' holds ':'"),
        (
            'username = "a"\npassword = "p"\nheaders = { Authorization = "Bearer t" }',
            "or an Authorization header, not both",
        ),
    ],
)
def test_a_bad_header_or_login_is_a_problem_with_its_field(
    write_config: WriteConfig, lines: str, expected: str
) -> None:
    config = write_config(source_toml("feed", f'url = "https://city.example.jp/f.xml"\n{lines}'))
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    problems = caught.value.problems
    assert any(expected in p and p.startswith("sources.0 (id 'src')") for p in problems), problems
    code, out = invoke(config, "check")
    assert code == 2
    assert expected in out
    assert "Traceback" not in out


def test_a_value_read_with_a_line_break_fails_the_source_not_the_request(
    server: HTTPServer,
    write_config: WriteConfig,
    make_context: MakeContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A variable that holds a line break would write a second header into the request."""
    monkeypatch.setenv("CITY_API_KEY", "k\r\nX-Injected: 1")
    config = write_config(
        source_toml(
            "feed",
            f'url = "{server.url_for("/keyed.xml")}"\n'
            'headers = { "X-Key" = "${CITY_API_KEY}" }',
        )
    )
    report, _ = run_one(make_context(config))
    assert report.status == "failed"
    assert report.error == (
        "headers: a value read from ['CITY_API_KEY'] holds a line break or a control character"
    )
    assert not [r for r, _ in server.log if r.path == "/keyed.xml"]


def test_secrets_are_never_shown_logged_cached_or_published(
    server: HTTPServer,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """With a key from the environment and a password written into the file, nothing a
    command prints (at -vv too), no status, no file the program caches and no published
    file holds the key; the password is only where the operator wrote it."""
    monkeypatch.setenv("CITY_API_KEY", KEY)
    server.expect_request("/keyed.xml").respond_with_handler(_needs("X-API-Key", KEY, BLOG))
    server.expect_request("/members.xml").respond_with_handler(
        _needs("Authorization", _basic("editor", PASSWORD), BLOG)
    )
    config = write_config(
        _keyed(server)
        + source_toml(
            "feed",
            f'url = "{server.url_for("/members.xml")}"\n'
            f'username = "editor"\npassword = "{PASSWORD}"',
            "members",
        )
    )
    printed = []
    for args in (("-vv", "run", "--once"), ("check",), ("status", "--json"), ("health",)):
        code, out = invoke(config, *args)
        assert code == 0, out
        printed.append(out)
    assert {row["id"]: row["status"] for row in json.loads(printed[2])} == {
        "keyed": "ok",
        "members": "ok",
    }
    text = "\n".join(printed)
    for secret in (KEY, PASSWORD, _basic("editor", PASSWORD).split()[1]):
        assert secret not in text
    cache = Path(os.environ["XDG_CACHE_HOME"])
    cached = [p for p in cache.rglob("*") if p.is_file()]
    published = [p for p in (tmp_path / "public").rglob("*") if p.is_file()]
    assert cached
    assert any(p.suffix == ".atom" for p in published)
    for path in [*cached, *published, tmp_path / "store.db"]:
        assert KEY.encode() not in path.read_bytes(), path  # read at each request only
    for path in [*published, tmp_path / "store.db"]:
        assert PASSWORD.encode() not in path.read_bytes(), path
    # The cache keeps what the settings file says (the password written into it), for
    # its owner's eyes only, as the file itself.
    assert all(p.stat().st_mode & 0o077 == 0 for p in cached)


def test_a_header_the_client_also_sends_is_replaced_not_repeated(
    server: HTTPServer, write_config: WriteConfig, make_context: MakeContext
) -> None:
    """An API that wants its own media type in ``Accept`` (written in any case) gets that
    one alone, not the client's beside it."""
    server.expect_request("/api.xml").respond_with_data(BLOG, content_type="application/rss+xml")
    config = write_config(
        source_toml(
            "feed",
            f'url = "{server.url_for("/api.xml")}"\n'
            'headers = { accept = "application/vnd.city+xml" }',
        )
    )
    report, _ = run_one(make_context(config))
    assert report.status == "ok", report.error
    (request, _), *_ = [entry for entry in server.log if entry[0].path == "/api.xml"]
    assert request.headers.getlist("Accept") == ["application/vnd.city+xml"]


@pytest.mark.parametrize(
    ("kind", "lines"),
    [
        ("feed", 'url = "https://api.example.jp/feed?key=${CITY_API_KEY}"'),
        (
            "json",
            'url = "https://api.example.jp/events"\nparams = { key = "${CITY_API_KEY}" }\n'
            'fields = { id = "id", title = "title", url = "url" }',
        ),
    ],
)
def test_a_variable_in_a_url_is_a_problem_not_sent_as_written(
    write_config: WriteConfig, kind: str, lines: str
) -> None:
    """A variable is read only in headers, username and password; in a URL the request
    went out with ``${CITY_API_KEY}`` in it, and check said the settings were fine."""
    config = write_config(source_toml(kind, lines))
    code, out = invoke(config, "check")
    assert code == 2
    assert "names the environment variable CITY_API_KEY, which is read only in a source's" in out
    assert "send the key in `headers` if the API takes it there" in out
