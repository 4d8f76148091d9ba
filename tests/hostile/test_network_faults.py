"""Servers that misbehave on purpose: a run always ends, and says why in one line."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from tests_support import RawServer, run_one, source_toml

from tdlc_syndication.pipeline.context import Context


class HeaderDrip:
    """A raw TCP server that answers a status line, then one header byte every 0.2 s,
    forever (until closed)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.closed = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            while not self.closed.is_set():
                conn.sendall(b"X")
                time.sleep(0.2)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.closed.set()
        self.sock.close()


@pytest.fixture
def drip() -> Iterator[HeaderDrip]:
    server = HeaderDrip()
    yield server
    server.close()


@pytest.mark.parametrize("robots", [False, True])
def test_a_server_that_drips_header_bytes_cannot_hold_a_run(
    drip: HeaderDrip,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
    robots: bool,
) -> None:
    # With robots on, the first request is robots.txt, and it drips too.
    url = f"http://127.0.0.1:{drip.port}/feed.xml"
    ctx = make_context(
        write_config(
            source_toml("feed", f'url = "{url}"'),
            robots=robots,
            http="deadline = 1.5\nread_timeout = 5",
        )
    )
    started = time.monotonic()
    report, _ = run_one(ctx)
    assert time.monotonic() - started < 6
    if robots:
        # An unreadable robots.txt is treated as "unreachable": the source waits.
        assert report.status in ("failed", "skipped")
    else:
        assert report.status == "failed"
        assert "deadline" in (report.error or "")
    assert "Traceback" not in (report.error or "")


def test_dns_rebinding_cannot_reach_a_private_address(
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The resolver is the one part faked (there is no DNS server offline): the name
    # answers a public address first, then the loopback address the test server is on.
    server.expect_request("/feed").respond_with_data("<rss/>", content_type="application/rss+xml")
    real = socket.getaddrinfo
    answers: list[str] = []

    def rebinding(host: str | bytes, port: object, *args: object, **kwargs: object) -> list[object]:
        name = host.decode() if isinstance(host, bytes) else host  # both resolve for real
        if name != "rebind.example.org":
            return real(host, port, *args, **kwargs)  # type: ignore[arg-type,return-value]
        address = "203.0.113.7" if not answers else "127.0.0.1"
        answers.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 80))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    ctx = make_context(
        write_config(
            source_toml("feed", f'url = "http://rebind.example.org:{server.port}/feed"').replace(
                "allow_private = true\n", ""
            ),
            http="connect_timeout = 0.5\ndeadline = 3",
        )
    )
    for _ in range(3):  # whatever the order of lookups, loopback is never connected to
        report, _ = run_one(ctx)
        assert report.status == "failed"
    assert "127.0.0.1" in answers
    assert server.log == []


def fixed_server(
    answer: bytes, hold: float = 0.0, paths: dict[str, bytes] | None = None
) -> RawServer:
    """A raw server that answers every connection with ``answer`` (or, for some paths,
    with the bytes ``paths`` names)."""
    return RawServer(lambda path, _: (paths or {}).get(path, answer), hold)


HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"


@pytest.mark.parametrize(
    ("answer", "hold", "says"),
    [
        (HEAD + b"Content-Length: 5000\r\n\r\n<rss>short", 0.0, "ended before"),
        (HEAD + b"Content-Encoding: gzip\r\nContent-Length: 12\r\n\r\nnot gzip!!!!", 0.0, "gzip"),
        (HEAD + b"Content-Length: 5000\r\n\r\n<rss>", 3.0, "timed out"),
    ],
    ids=["short body", "broken gzip", "body read timeout"],
)
def test_broken_answers_are_one_plain_line(
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
    answer: bytes,
    hold: float,
    says: str,
) -> None:
    raw = fixed_server(answer, hold)
    ctx = make_context(
        write_config(
            source_toml("feed", f'url = "http://127.0.0.1:{raw.port}/feed"'),
            http="read_timeout = 0.5\ndeadline = 5",
        )
    )
    report, _ = run_one(ctx)
    raw.close()
    assert report.status == "failed"
    error = report.error or ""
    assert says in error, error
    assert "\n" not in error
    assert "Traceback" not in error
    assert "urllib3" not in error


FEED_ANSWER = (
    HEAD
    + b"Content-Length: 60\r\n\r\n"
    + b'<rss version="2.0"><channel><title>t</title></channel></rss>'.ljust(60)
)


@pytest.mark.parametrize("location", [b"http://[::1", b"http://127.0.0.1:99999/feed"])
def test_a_redirect_to_something_that_is_not_a_url_is_a_source_error(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context], location: bytes
) -> None:
    """Found by a hunt with raw answers: ``urljoin`` raises ValueError on these, and the
    source failed as "a fault of this program"."""
    raw = fixed_server(
        b"HTTP/1.1 301 Moved\r\nLocation: " + location + b"\r\nContent-Length: 0\r\n\r\n"
    )
    url = f"http://127.0.0.1:{raw.port}/feed"
    ctx = make_context(write_config(source_toml("feed", f'url = "{url}"')))
    report, _ = run_one(ctx)
    raw.close()
    assert report.status == "failed"
    assert report.error == f"{url} redirects (301) to {location.decode()!r}, which is not a URL"


def test_a_redirect_to_a_host_no_request_can_name_is_refused(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """It failed the source as "unexpected error: UnicodeError" (urllib3 cannot write a
    host with an empty label)."""
    raw = fixed_server(
        b"HTTP/1.1 302 Found\r\nLocation: http://feeds..example.org/feed\r\n"
        b"Content-Length: 0\r\n\r\n"
    )
    url = f"http://127.0.0.1:{raw.port}/feed"
    ctx = make_context(write_config(source_toml("feed", f'url = "{url}"')))
    report, _ = run_one(ctx)
    raw.close()
    assert report.status == "failed"
    assert report.error == (
        "refused 'http://feeds..example.org/feed': it has a host name 'feeds..example.org' "
        "with an empty label (two dots in a row, or a dot first)"
    )


@pytest.mark.parametrize("location", [b"http://[::1", b"http://a..b/robots.txt"])
def test_a_robots_txt_redirect_to_something_that_is_not_a_url_is_no_robots_txt(
    location: bytes, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """RFC 9309: a robots.txt its redirects cannot reach is "unavailable", which allows
    everything (as a chain of more than five redirects does). A host no request can name
    (``a..b``) is such a place too: it failed the source as robots.txt "unreachable"."""
    moved = b"HTTP/1.1 302 Found\r\nLocation: " + location + b"\r\nContent-Length: 0\r\n\r\n"
    raw = fixed_server(FEED_ANSWER, paths={"/robots.txt": moved})
    ctx = make_context(
        write_config(source_toml("feed", f'url = "http://127.0.0.1:{raw.port}/feed"'), robots=True)
    )
    report, _ = run_one(ctx)
    raw.close()
    assert report.status == "ok", report.error


ESCAPES = b"\x1b]0;pwned\x07\x1b[2J"  # retitle the window, clear the screen


def test_an_origins_escape_sequences_never_reach_the_operators_terminal(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """A reason phrase is the origin's text: it went into the error that the fetch
    summary, `status` and the log print, escape sequences and all (Rich drops colour
    codes, but not a window title or a clipboard write)."""
    raw = fixed_server(b"HTTP/1.1 500 Boom" + ESCAPES + b"\r\nContent-Length: 0\r\n\r\n")
    url = f"http://127.0.0.1:{raw.port}/feed"
    ctx = make_context(write_config(source_toml("feed", f'url = "{url}"')))
    report, _ = run_one(ctx)
    raw.close()
    assert report.error == f"{url} answered HTTP 500 Boom\\x1b]0;pwned\\x07\\x1b[2J"
    with ctx.open_store() as store:
        assert store.state("src").last_error == report.error


def test_a_log_line_never_carries_control_characters_or_a_second_line() -> None:
    from tdlc_syndication.pipeline.logs import TextFormatter

    record = logging.LogRecord(
        "tdlc_syndication.x",
        logging.INFO,
        __file__,
        1,
        "dropped %s",
        ("id\x1b[2J\nERROR forged",),
        None,
    )
    line = TextFormatter().format(record)
    assert line.endswith(" INFO dropped id\\x1b[2J ERROR forged")


def test_a_permanent_move_to_a_location_with_control_characters_is_refused(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """The target of a permanent move becomes the source's URL, which `status` prints."""
    moved = b"HTTP/1.1 301 Moved\r\nLocation: /new" + ESCAPES + b"\r\nContent-Length: 0\r\n\r\n"
    raw = fixed_server(FEED_ANSWER, paths={"/feed": moved})
    url = f"http://127.0.0.1:{raw.port}/feed"
    ctx = make_context(write_config(source_toml("feed", f'url = "{url}"')))
    report, _ = run_one(ctx)
    raw.close()
    assert report.status == "failed"
    assert report.moved_to is None
    assert report.error == (
        f"{url} redirects (301) to '/new\\x1b]0;pwned\\x07\\x1b[2J', which is not a URL"
    )
    with ctx.open_store() as store:
        assert store.state("src").url is None


def test_what_a_run_skipped_is_printable_whatever_the_origin_linked() -> None:
    """A skipped page's URL is the origin's link or sitemap ``loc``; the fetch summary
    and `status` print it."""
    from tdlc_syndication.pipeline.ledger import Skipped

    skip = Skipped("https://x.example.org/\x9b2J\x1b]52;c;cHduZWQ=\x07", "timed out\nERROR x")
    assert skip == Skipped(
        "https://x.example.org/\\x9b2J\\x1b]52;c;cHduZWQ=\\x07", "timed out ERROR x"
    )


def test_a_hub_that_does_not_answer_holds_a_publish_once_not_once_a_feed() -> None:
    """Every changed feed (a publish changes dozens: each facet holding a new item) waited
    the whole timeout for a hub that was down: minutes of a held publish and service."""
    from tdlc_syndication.outputs.websub import NOT_PINGED, ping_hub

    silent = fixed_server(b"", hold=10.0)
    feeds = [f"https://feeds.example.org/feeds/{name}.atom" for name in "abcdef"]
    started = time.monotonic()
    report = ping_hub(f"http://127.0.0.1:{silent.port}/hub", feeds, "test", timeout=0.5)
    took = time.monotonic() - started
    silent.close()
    assert took < 2.0, took  # one timeout, not six
    assert report.accepted == []
    assert "timed out" in report.failed[feeds[0]]
    assert [report.failed[f] for f in feeds[1:]] == [NOT_PINGED] * 5


def test_a_hub_that_redirects_is_told_not_followed() -> None:
    """requests followed a 302 for a POST as a GET to wherever it pointed."""
    from tdlc_syndication.outputs.websub import ping_hub

    moved = fixed_server(
        b"HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/\r\nContent-Length: 0\r\n\r\n"
    )
    report = ping_hub(f"http://127.0.0.1:{moved.port}/hub", ["https://x.example.org/a.atom"], "t")
    moved.close()
    assert report.failed == {"https://x.example.org/a.atom": "hub answered HTTP 302"}
