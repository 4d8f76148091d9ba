"""syndicate serve: media types, validators and 304, Cache-Control, gzip, browsers, safety."""

from __future__ import annotations

import gzip
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from tests_support import serving

from tdlc_syndication.pipeline.serve import FileCache


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "public"
    (root / "feeds" / "topic").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    (root / "feeds" / "all.atom").write_bytes(b"<feed>" + b"x" * 4000 + b"</feed>")
    (root / "feeds" / "all.rss").write_bytes(b"<rss/>")
    (root / "feeds" / "all.json").write_bytes(b"{}")
    (root / "feeds.opml").write_bytes(b"<opml/>")
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
            assert _closed_by_server(connection)
            connection.close()
        assert time.monotonic() - started < 4
        assert requests.get(url + "/", timeout=5).status_code == 200  # still serving


def _closed_by_server(connection: socket.socket) -> bool:
    """Read what is left until the server closes the connection; False when it was still
    open after the connection's own timeout (5 s)."""
    try:
        while connection.recv(65536):
            pass
    except TimeoutError:
        return False
    return True


def test_the_cache_keeps_one_entry_a_file_within_its_limit(tmp_path: Path) -> None:
    # A server beside the service sees its files rewritten at every publish: each
    # version used to stay in the cache for good.
    cache = FileCache(limit=50_000)
    feed = tmp_path / "all.atom"
    for n in range(40):
        feed.write_bytes(b"<feed>" + b"x" * (1000 + n) + b"</feed>")
        etag, body, packed = cache.get(feed, compress=True)
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
