"""syndicate serve: media types, validators and 304, Cache-Control, gzip, browsers, safety."""

from __future__ import annotations

import gzip
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from tests_support import closed_by_server, read_answer, serving

from tdlc_syndication.pipeline.serve import FileCache, make_server


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "public"
    (root / "feeds" / "topic").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    (root / "feeds" / "all.atom").write_bytes(b"<feed>" + b"x" * 4000 + b"</feed>")
    (root / "feeds" / "all.rss").write_bytes(b"<rss/>")
    (root / "feeds" / "all.json").write_bytes(b"{}")
    (root / "feeds.opml").write_bytes(b"<opml/>")
    (root / "search").mkdir()
    (root / "search" / "items-1.js").write_bytes(b"searchIndex.add(1, []);\n" * 100)
    (root / "search" / "opensearch.osdx").write_bytes(b"<OpenSearchDescription/>")
    (tmp_path / "secret.txt").write_text("not served")
    with serving(root, "public, max-age=123") as url:
        yield url


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/feeds/all.atom", "application/atom+xml; charset=utf-8"),
        ("/feeds/all.rss", "application/rss+xml; charset=utf-8"),
        ("/feeds/all.json", "application/feed+json; charset=utf-8"),
        ("/feeds.opml", "text/x-opml; charset=utf-8"),
        ("/", "text/html; charset=utf-8"),
        ("/search/items-1.js", "text/javascript; charset=utf-8"),
        ("/search/opensearch.osdx", "application/opensearchdescription+xml; charset=utf-8"),
    ],
)
def test_media_types_and_cache_control(site: str, path: str, media_type: str) -> None:
    resp = requests.get(site + path, headers={"Accept-Encoding": "identity"}, timeout=5)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == media_type
    assert resp.headers["Cache-Control"] == "public, max-age=123"


def test_conditional_requests_get_304(site: str) -> None:
    first = requests.get(site + "/feeds/all.atom", timeout=5)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    by_etag = requests.get(site + "/feeds/all.atom", headers={"If-None-Match": etag}, timeout=5)
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag.headers["ETag"] == etag
    by_date = requests.get(
        site + "/feeds/all.atom",
        headers={"If-Modified-Since": modified, "Accept-Encoding": "gzip"},
        timeout=5,
    )
    assert by_date.status_code == 304
    other = requests.get(site + "/feeds/all.atom", headers={"If-None-Match": '"nope"'}, timeout=5)
    assert other.status_code == 200
    # The tag a compressing proxy hands on (weak), among others: compared weakly.
    weak = {"If-None-Match": f'"nope", W/{etag}'}
    assert requests.get(site + "/feeds/all.atom", headers=weak, timeout=5).status_code == 304


def test_gzip_when_accepted(site: str) -> None:
    raw = requests.get(
        site + "/feeds/all.atom", headers={"Accept-Encoding": "gzip"}, timeout=5, stream=True
    )
    assert raw.headers["Content-Encoding"] == "gzip"
    body = raw.raw.read(decode_content=False)
    assert len(body) < 500
    assert gzip.decompress(body).startswith(b"<feed>")
    plain = requests.get(
        site + "/feeds/all.atom", headers={"Accept-Encoding": "identity"}, timeout=5
    )
    assert "Content-Encoding" not in plain.headers
    assert raw.headers["ETag"] != plain.headers["ETag"]
    # The search's index is sent gzipped too (5 MB for 20,000 items, a sixth of it so).
    index = requests.get(
        site + "/search/items-1.js", headers={"Accept-Encoding": "gzip"}, timeout=5, stream=True
    )
    assert index.headers["Content-Encoding"] == "gzip"


@pytest.mark.parametrize(
    ("accept_encoding", "gzipped"),
    [
        ("gzip;q=0", False),  # named and refused (it was sent gzip: "gzip" is in it)
        ("br, gzip; q=0.0", False),
        ("*;q=0", False),
        ("*", True),
        ("deflate, gzip;q=0.5", True),
        ("x-gzip", True),
    ],
)
def test_gzip_only_to_clients_that_take_it(site: str, accept_encoding: str, gzipped: bool) -> None:
    raw = requests.get(
        site + "/feeds/all.atom",
        headers={"Accept-Encoding": accept_encoding},
        timeout=5,
        stream=True,
    )
    assert (raw.headers.get("Content-Encoding") == "gzip") is gzipped
    body = raw.raw.read(decode_content=False)
    assert (gzip.decompress(body) if gzipped else body).startswith(b"<feed>")


def test_browsers_get_xml_so_the_stylesheet_applies(site: str) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    resp = requests.get(site + "/feeds/all.rss", headers={"Accept": browser}, timeout=5)
    assert resp.headers["Content-Type"] == "application/xml; charset=utf-8"
    reader = "application/rss+xml, application/atom+xml;q=0.9, text/html;q=0.1"
    resp = requests.get(site + "/feeds/all.rss", headers={"Accept": reader}, timeout=5)
    assert resp.headers["Content-Type"] == "application/rss+xml; charset=utf-8"


def test_head_missing_and_traversal(site: str) -> None:
    head = requests.head(
        site + "/feeds/all.rss", headers={"Accept-Encoding": "identity"}, timeout=5
    )
    assert head.status_code == 200
    assert head.headers["Content-Length"] == "6"
    assert requests.get(site + "/feeds/none.atom", timeout=5).status_code == 404
    assert requests.get(site + "/../secret.txt", timeout=5).status_code == 404
    assert requests.get(site + "/%2e%2e/secret.txt", timeout=5).status_code == 404


def test_scripts_on_other_sites_may_read_the_feeds(site: str) -> None:
    """A partner's page that shows the newest materials with a script (``fetch`` of
    ``all.json``) was refused by every browser: the answers said nothing of other
    origins, and a preflight (sent before a request with ``If-None-Match``) was answered
    501. The output is public: any origin may read it, and its ETag."""
    origin = {"Origin": "https://partner.example.org"}
    got = requests.get(site + "/feeds/all.json", headers=origin, timeout=5)
    assert got.headers["Access-Control-Allow-Origin"] == "*"
    assert got.headers["Access-Control-Expose-Headers"] == "ETag"
    etag = got.headers["ETag"]
    again = requests.get(
        site + "/feeds/all.json", headers={**origin, "If-None-Match": etag}, timeout=5
    )
    assert (again.status_code, again.headers["Access-Control-Allow-Origin"]) == (304, "*")
    preflight = requests.options(
        site + "/feeds/all.json",
        headers={
            **origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
        timeout=5,
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert preflight.headers["Access-Control-Allow-Headers"] == "*"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_a_method_that_writes_is_refused_with_what_is_allowed(site: str, method: str) -> None:
    """Python's server answered 501 "Unsupported method", as if the method were unknown:
    it is 405, and says which ones the server takes."""
    got = requests.request(method, site + "/feeds/all.rss", data=b"x", timeout=5)
    assert got.status_code == 405
    assert got.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert requests.get(site + "/feeds/all.rss", timeout=5).content == b"<rss/>"


def test_a_request_target_that_is_not_a_url_is_answered_400(
    site: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``urlsplit`` raised: the client got no answer and stderr a traceback."""
    host, port = site.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(b"GET http://[::1/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert conn.recv(100).startswith(b"HTTP/1.1 400 ")
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("path", ["/%00", "/feeds/all%00.atom", "/" + "a" * 5000, "/feeds/%ff"])
def test_a_name_no_file_can_have_is_answered_404(site: str, path: str) -> None:
    # A NUL byte or a name longer than the file system allows raised in the handler: the
    # client got no answer, and the server's error output a traceback per request.
    with socket.create_connection(("127.0.0.1", int(site.rsplit(":", 1)[1])), timeout=5) as conn:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 404")


def test_a_file_removed_after_it_was_found_is_answered_404(tmp_path: Path) -> None:
    root = tmp_path / "public"
    root.mkdir()
    (root / "gone.atom").write_bytes(b"<feed/>")
    server = make_server(root, "127.0.0.1", 0, "no-cache")
    handler = server.RequestHandlerClass
    found = handler._target  # type: ignore[attr-defined]

    def removed_meanwhile(self: Any) -> Path | None:
        target: Path | None = found(self)
        if target is not None:
            target.unlink()  # a publish deletes it between the lookup and the read
        return target

    handler._target = removed_meanwhile  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/gone.atom"
        assert requests.get(url, timeout=5).status_code == 404
    finally:
        server.shutdown()
        server.server_close()


def test_a_silent_or_slow_connection_is_closed_and_frees_its_thread(tmp_path: Path) -> None:
    root = tmp_path / "public"
    root.mkdir()
    (root / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    with serving(root, "no-cache", idle_timeout=0.5) as url:
        port = int(url.rsplit(":", 1)[1])
        silent = socket.create_connection(("127.0.0.1", port), timeout=5)
        slow = socket.create_connection(("127.0.0.1", port), timeout=5)
        slow.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # and never the rest
        kept = socket.create_connection(("127.0.0.1", port), timeout=5)
        kept.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = kept.recv(65536)
        assert answer.startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        for connection in (silent, slow, kept):
            assert closed_by_server(connection)
            connection.close()
        assert time.monotonic() - started < 4
        assert requests.get(url + "/", timeout=5).status_code == 200  # still serving


def test_the_cache_keeps_one_entry_a_file_within_its_limit(tmp_path: Path) -> None:
    # A server beside the service sees its files rewritten at every publish: each
    # version used to stay in the cache for good.
    cache = FileCache(limit=50_000)
    feed = tmp_path / "all.atom"
    for n in range(40):
        feed.write_bytes(b"<feed>" + b"x" * (1000 + n) + b"</feed>")
        etag, body, packed, _ = cache.get(feed, compress=True)
        assert body == feed.read_bytes()
        assert packed is not None
        assert gzip.decompress(packed) == body
    assert len(cache) == 1
    assert cache.get(feed, compress=True)[0] == etag  # unchanged: served from the cache
    for n in range(30):  # many files: the least recently served go past the limit
        other = tmp_path / f"page-{n}.html"
        other.write_bytes(bytes([65 + n % 26]) * 4000)
        cache.get(other, compress=False)
    assert cache.held <= 50_000
    assert 1 < len(cache) < 31


def test_sigterm_lets_the_answer_in_progress_finish_then_exits_cleanly(
    write_config: Callable[..., Path], tmp_path: Path
) -> None:
    # A deployment stopped by its supervisor (systemd, docker stop) used to cut every
    # download in progress: the server died of the signal mid-body.
    public = tmp_path / "public"
    public.mkdir()
    big = bytes(range(256)) * (160 * 1024)  # 40 MB: more than the sockets' buffers hold
    (public / "report.pdf").write_bytes(big)
    port = _free_port()
    config = write_config(extra=f"[serve]\nport = {port}\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "tdlc_syndication.pipeline", "--config", str(config)]
    proc = subprocess.Popen(
        [*command, "serve"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    try:
        assert proc.stdout is not None
        assert b"serving" in proc.stdout.readline()
        with (
            socket.create_connection(("127.0.0.1", port), timeout=10),  # one that never asks
            socket.create_connection(("127.0.0.1", port), timeout=10) as download,
        ):
            download.sendall(b"GET /report.pdf HTTP/1.1\r\nHost: x\r\n\r\n")
            received = download.recv(65536)
            proc.send_signal(signal.SIGTERM)
            time.sleep(1.0)  # the server has stopped taking connections by now
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
            while chunk := download.recv(1 << 20):
                received += chunk
        head, _, body = received.partition(b"\r\n\r\n")
        assert b"HTTP/1.1 200" in head
        assert body == big
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert b"Traceback" not in err
    assert out.strip().endswith(b"stopped")


def test_a_stopping_server_closes_kept_alive_connections_after_their_answer(
    tmp_path: Path,
) -> None:
    root = tmp_path / "public"
    root.mkdir()
    (root / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    server = make_server(root, "127.0.0.1", 0, "no-cache")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    request = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=5) as kept:
        kept.sendall(request)
        assert b"Connection: close" not in read_answer(kept)
        server.shutdown()
        assert server.drain(grace=5) == 0  # nothing in progress: no wait
        kept.sendall(request)  # a reader's next poll on its open connection
        answer = read_answer(kept)
        assert answer.startswith(b"HTTP/1.1 200")
        assert b"Connection: close" in answer
        assert closed_by_server(kept)  # not kept for the idle timeout (30 s)


def test_drain_waits_for_the_answers_in_progress_within_its_grace(tmp_path: Path) -> None:
    server = make_server(tmp_path, "127.0.0.1", 0, "no-cache")
    started = threading.Event()

    def answer(seconds: float) -> None:
        with server.answering():
            started.set()
            time.sleep(seconds)

    threading.Thread(target=answer, args=(0.5,), daemon=True).start()
    started.wait(5)
    began = time.monotonic()
    assert server.drain(grace=10) == 0
    assert 0.3 < time.monotonic() - began < 5
    started.clear()
    threading.Thread(target=answer, args=(3.0,), daemon=True).start()
    started.wait(5)
    began = time.monotonic()
    assert server.drain(grace=0.2) == 1  # one answer cut short
    assert time.monotonic() - began < 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_port_that_is_taken_is_one_clear_line_and_exit_2(
    write_config: Callable[..., Path], tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        config = write_config(extra=f"[serve]\nport = {port}\n")
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
        proc = subprocess.run(
            [sys.executable, "-m", "tdlc_syndication.pipeline", "--config", str(config), "serve"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"error: cannot listen on 127.0.0.1 port {port}: Address already in use"
    ]


def test_a_folder_without_its_final_slash_is_redirected_to_it(tmp_path: Path) -> None:
    """``/feeds`` answered the folder's page as if it were at ``/``, so each of its
    relative links (``../feeds/all.atom``, ``topic/water.atom``) pointed elsewhere."""
    root = tmp_path / "public"
    (root / "feeds").mkdir(parents=True)
    (root / "feeds" / "index.html").write_text('<a href="all.atom">all</a>', encoding="utf-8")
    (root / "feeds" / "all.atom").write_bytes(b"<feed/>")
    with serving(root, "no-cache") as url:
        for asked, location in (
            ("/feeds", "/feeds/"),
            ("/feeds?from=mail", "/feeds/?from=mail"),
            ("//feeds", "/feeds/"),  # not "//feeds/": a browser would go to a host "feeds"
            ("/%66eeds", "/feeds/"),
        ):
            answer = requests.get(url + asked, allow_redirects=False, timeout=5)
            assert (answer.status_code, answer.headers["Location"]) == (301, location)
            head = requests.head(url + asked, allow_redirects=False, timeout=5)
            assert head.status_code == 301
        page = requests.get(url + "/feeds", timeout=5)
        assert (page.status_code, page.url) == (200, url + "/feeds/")
        assert requests.get(page.url + "all.atom", timeout=5).content == b"<feed/>"
        assert requests.get(url + "/feeds/all.atom/", timeout=5).status_code == 404


def test_serving_a_folder_not_published_yet_says_so(
    write_config: Callable[..., Path], tmp_path: Path
) -> None:
    """Every answer is 404 until the first publish: the operator is told why."""
    config = write_config(extra=f"[serve]\nport = {_free_port()}\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tdlc_syndication.pipeline", "--config", str(config), "serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        assert proc.stdout is not None
        assert b"serving" in proc.stdout.readline()
        assert (
            proc.stdout.readline()
            .strip()
            .endswith(b"public does not exist yet: the first publish writes it")
        )
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
    assert proc.returncode == 0


def test_an_ipv6_address_is_listened_on_and_printed_as_a_url(
    write_config: Callable[..., Path], tmp_path: Path
) -> None:
    """``--host ::1`` failed: "Address family for hostname not supported" (the server
    class listens on IPv4 only)."""
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "index.html").write_text("<!doctype html><title>x</title>")
    config = write_config()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    with subprocess.Popen(
        [sys.executable, "-m", "tdlc_syndication.pipeline", "--config", str(config), "serve",
         "--host", "::1", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    ) as proc:  # fmt: skip
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            assert line.startswith(f"serving {tmp_path / 'public'} on http://[::1]:"), line
            url = line.split(" on ", 1)[1].split()[0]
            assert requests.get(url, timeout=10).status_code == 200
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)


def test_a_burst_of_connections_waits_for_the_server_instead_of_being_dropped(
    tmp_path: Path,
) -> None:
    """Connections that arrive while every thread is busy are held by the kernel until the
    server takes them. With Python's default backlog of 5, the rest of a burst of hubs'
    deliveries were dropped, to be retried a second later or reset."""
    root = tmp_path / "public"
    root.mkdir()
    server = make_server(root, "127.0.0.1", 0, "no-cache")  # listening, not taking any
    port = server.server_address[1]
    held: list[socket.socket] = []
    serving_thread = threading.Thread(target=server.serve_forever, daemon=True)
    try:
        for _ in range(64):
            connection = socket.socket()
            held.append(connection)
            connection.settimeout(0.5)  # a dropped connection waits 1 s for its retry
            connection.connect(("127.0.0.1", port))
            connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        serving_thread.start()
        for connection in held:
            connection.settimeout(5)
            assert read_answer(connection).startswith(b"HTTP/1.1 404")
    finally:
        for connection in held:
            connection.close()
        if serving_thread.is_alive():
            server.shutdown()
        server.server_close()
