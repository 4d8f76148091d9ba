"""Servers that misbehave on purpose: a run always ends, and says why in one line."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests_support import run_one, source_toml

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
