"""Hostile servers: every source kind that fetches over HTTP, answered with random raw
bytes on 127.0.0.1 (status lines, headers that lie or break, redirects to anything,
damaged fixtures, noise), ends its run as ``ok``, ``not_modified`` or a plain one-line
source error; never a traceback or "a fault of this program".

It found a redirect to ``http://[::1`` failing the source as an unexpected ValueError.
CI runs HTTP_FUZZ_EXAMPLES examples (default 60, about 20 s); set it higher for a longer
hunt, e.g. ``HTTP_FUZZ_EXAMPLES=2500 pytest tests/hostile/test_http_fuzz.py`` (17 min)."""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXED_NOW, SITE, TAXONOMY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests_support import RawServer, run_one, source_toml

from tdlc_syndication.config.loader import load_settings
from tdlc_syndication.pipeline.context import Context

EXAMPLES = int(os.environ.get("HTTP_FUZZ_EXAMPLES", "60"))
DATA = Path(__file__).parent.parent / "data"


class Scripted:
    """The scripted answers of one example: the connections get them in turn, the last
    one again for any further connection."""

    def __init__(self) -> None:
        self.answers: list[bytes] = [b""]
        self.server = RawServer(lambda _, n: self.answers[min(n, len(self.answers) - 1)])
        self.port = self.server.port

    def script(self, answers: list[bytes]) -> None:
        self.answers, self.server.served = answers, 0


@pytest.fixture(scope="module")
def scripted() -> Iterator[Scripted]:
    scripted = Scripted()
    yield scripted
    scripted.server.close()


BODIES = [
    p.read_bytes()
    for kind in ("feed", "html", "json", "oai_pmh", "sitemap", "ical", "worldbank_documents")
    for p in sorted((DATA / kind).glob("*"))
    if p.suffix in (".xml", ".rss", ".atom", ".html", ".json", ".ics")
    and not p.name.endswith(".expected.json")
    and p.stat().st_size < 40_000
]
STATUS = [
    b"HTTP/1.1 200 OK", b"HTTP/1.0 200 OK", b"HTTP/1.1 200", b"HTTP/1.1 301 Moved",
    b"HTTP/1.1 302 Found", b"HTTP/1.1 308 Permanent", b"HTTP/1.1 304 Not Modified",
    b"HTTP/1.1 204 No Content", b"HTTP/1.1 206 Partial", b"HTTP/1.1 410 Gone",
    b"HTTP/1.1 429 Too Many", b"HTTP/1.1 503 Busy", b"HTTP/1.1 999 Odd",
    b"HTTP/1.1 100 Continue", b"HTTP/2 200", b"garbage", b"",
]  # fmt: skip
HEADERS = [
    b"Content-Type: application/rss+xml", b"Content-Type: text/html; charset=shift_jis",
    b"Content-Type: text/html; charset=nonsense", b'Content-Type: text/xml; charset="',
    b"Content-Type: application/json; charset=utf-16", b"Content-Type: text/calendar",
    b"Content-Type: application/pdf", b"Content-Length: 0", b"Content-Length: -1",
    b"Content-Length: abc", b"Content-Length: 99999999", b"Content-Length: 5\r\nContent-Length: 6",
    b"Content-Encoding: gzip", b"Content-Encoding: deflate", b"Content-Encoding: br",
    b"Content-Encoding: x-weird", b"Transfer-Encoding: chunked",
    # Redirects to anything, but never off this machine (tests send nothing beyond
    # loopback: port 1 refuses, 127.0.0.2 is loopback too).
    b"Location: /elsewhere", b"Location: http://[::1", b"Location: http://127.0.0.1:99999/x",
    b"Location: ftp://example.com/", b"Location: //", b"Location: http://127.0.0.1:1/a b",
    b"Location: http://127.0.0.1:1/\xe4\xbe\x8b", b"Location: /new\x1b]0;x\x07",
    b"Location: http://127.0.0.2:1/latest", b"Location: file:///etc/passwd", b"Location: ",
    # Hosts no request can name: refused before any request (and before any lookup).
    b"Location: http://a..b/x", b"Location: http://" + b"a" * 64 + b".org/",
    b"Location: http://999.1.1.1/", b"Location: http://xn--zz.org/",
    b"Retry-After: 99999999999999", b"Retry-After: -5", b"Retry-After: Wed, 99 Foo 2026",
    b"Last-Modified: garbage", b'ETag: "\x00"', b"ETag: " + b"x" * 5000,
    b"Cache-Control: max-age=99999999999999999999", b"Expires: 0", b"Date: garbage",
    b"X-\xff: \xff", b"No colon here", b" folded continuation",
    # Digits to str.isdigit() that int() refuses: a superscript two, and 5,000 nines.
    b"Content-Length: \xb2", b"Retry-After: \xb2", b"Retry-After: " + b"9" * 5000,
    b"Cache-Control: max-age=" + b"9" * 5000,
]  # fmt: skip


@st.composite
def answers(draw: st.DrawFn) -> bytes:
    """One raw answer: a status line, headers, and a fixture (whole or damaged), noise
    or nothing as the body."""
    head = draw(st.sampled_from(STATUS)) + b"\r\n"
    head += b"".join(h + b"\r\n" for h in draw(st.lists(st.sampled_from(HEADERS), max_size=5)))
    shape = draw(st.integers(0, 3))
    if shape == 0:
        body = draw(st.sampled_from(BODIES))
    elif shape == 1:
        damaged = bytearray(draw(st.sampled_from(BODIES)))
        for _ in range(draw(st.integers(1, 6))):
            at = draw(st.integers(0, max(0, len(damaged) - 1)))
            damaged[at : at + draw(st.integers(0, 40))] = draw(st.binary(max_size=20))
        body = bytes(damaged)
    elif shape == 2:
        body = draw(st.binary(max_size=300))
    else:
        body = b""
    return head + b"\r\n" + body


def _kinds(port: int) -> dict[str, str]:
    url = f"http://127.0.0.1:{port}"
    return {
        "feed": f'url = "{url}/feed"',
        "html": f'url = "{url}/news"\nitem_selector = "li"\ndate_selector = "span"\n'
        'next_selector = "a"\nmax_pages = 3\nfollow = true\nevent_selector = "p"',
        "json": f'url = "{url}/wp"\n[sources.fields]\nid = "id"\ntitle = "title.rendered"\n'
        'url = "link"\npublished = "date_gmt"',
        "oai_pmh": f'url = "{url}/oai"\nsince = "2026-11-01"',
        "sitemap": f'url = "{url}/sitemap.xml"\nmax_pages = 3',
        "ical": f'url = "{url}/cal.ics"',
        "worldbank_documents": f'url = "{url}/wds"\nqterms = ["TDLC"]\nrows = 2\nplaces = []',
    }


KINDS = sorted(_kinds(0))


def _loopback_only(real: Callable[..., Any]) -> Callable[..., Any]:
    """``socket.getaddrinfo`` that resolves loopback names and addresses only: a fixture
    served as a list page links anywhere, and tests send nothing beyond this machine."""

    def resolve(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name in ("localhost", "::1") or name.startswith("127."):
            return real(host, port, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "not resolved in this test")

    return resolve


@pytest.mark.slow
@pytest.mark.timeout(60 + 2 * EXAMPLES)  # about 0.4 s an example; a long hunt needs more
def test_any_answer_of_a_server_ends_a_run_in_one_plain_line(
    scripted: Scripted, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _loopback_only(socket.getaddrinfo))
    body_of = _kinds(scripted.port)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(
        kind=st.sampled_from(KINDS),
        script=st.lists(answers(), min_size=1, max_size=4),
        robots=st.booleans(),
    )
    def check(kind: str, script: list[bytes], robots: bool) -> None:
        scripted.script(script)
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            http = (
                f"robots_txt = {str(robots).lower()}\nhost_delay = 0\nbackoff_base = 0\n"
                "max_poll_delay = 0\nread_timeout = 1\ndeadline = 4"
            )
            config = tmp / "syndicate.toml"
            config.write_text(
                SITE.format(output=tmp / "public", database=tmp / "store.db", http=http)
                + source_toml(kind, body_of[kind])
                + TAXONOMY,
                encoding="utf-8",
            )
            ctx = Context.create(load_settings(config), clock=lambda: FIXED_NOW)
            try:
                report, _ = run_one(ctx)
            finally:
                ctx.http.close()
        error = report.error or ""
        assert report.status in ("ok", "not_modified", "failed", "gone"), report.status
        assert not error.startswith("unexpected error"), (error, script)
        assert "\n" not in error
        assert "Traceback" not in error

    check()


@pytest.mark.slow
@pytest.mark.timeout(60 + 6 * EXAMPLES)
def test_any_answer_of_a_server_ends_discover_in_what_it_found_or_one_error_line(
    scripted: Scripted, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``syndicate discover`` against the same answers: the address's own failure is one
    line, and so is each candidate's; nothing else is raised."""
    from tdlc_syndication.pipeline.discover import discover
    from tdlc_syndication.pipeline.errors import FetchError

    monkeypatch.setattr(socket, "getaddrinfo", _loopback_only(socket.getaddrinfo))

    @settings(
        max_examples=max(10, EXAMPLES // 3),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(script=st.lists(answers(), min_size=1, max_size=4), guess=st.booleans())
    def check(script: list[bytes], guess: bool) -> None:
        scripted.script(script)
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            http = "host_delay = 0\nread_timeout = 1\ndeadline = 4"
            config = tmp / "syndicate.toml"
            config.write_text(
                SITE.format(output=tmp / "public", database=tmp / "store.db", http=http) + TAXONOMY,
                encoding="utf-8",
            )
            ctx = Context.create(load_settings(config), clock=lambda: FIXED_NOW)
            url = f"http://127.0.0.1:{scripted.port}/page/"
            try:
                found = discover(ctx, url, guess=guess, allow_private=True).found
            except FetchError as exc:  # the address's own failure
                failure, found = exc.message, []
            else:
                failure = ""
            finally:
                ctx.http.close()
        assert "\n" not in failure
        for candidate in found:
            assert candidate.usable or candidate.error, candidate
            assert "\n" not in (candidate.error or "")
            assert not (candidate.error or "").startswith("unexpected error"), candidate

    check()
