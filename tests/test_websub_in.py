"""WebSub push in, end to end: the service subscribes to the hubs its feeds name,
answers their checks and keeps what they deliver. A real hub on loopback (its requests
made by the test, as a hub makes them), the real service in this process, its real
callback listener; and what ``try`` and ``discover`` say of a feed's hub."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import requests
from click.testing import CliRunner
from conftest import SITE, TAXONOMY
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from tests_support import (
    WEBSUB_SELF,
    closed_by_server,
    free_port,
    notes_rss,
    read_answer,
    websub_settings,
)
from werkzeug import Request, Response

from tdlc_syndication.config.loader import load_settings
from tdlc_syndication.pipeline.callback import callback_server
from tdlc_syndication.pipeline.cli import cli
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.daemon import Daemon
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.pipeline.subscriber import Subscriber, plan
from tdlc_syndication.pipeline.subscriptions import Subscription

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def wait_for(check: Callable[[], bool], timeout: float = 30.0) -> None:
    give_up = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < give_up, "timed out"
        time.sleep(0.1)


def record_of(database: Path) -> Subscription | None:
    with Store(database) as store:
        return store.subscriptions().get("notes")


def deliver(url: str, secret: str, body: str) -> requests.Response:
    data = body.encode("utf-8")
    signature = hmac.new(secret.encode("utf-8"), data, hashlib.sha256).hexdigest()
    return requests.post(
        url,
        data=data,
        headers={
            "Content-Type": "application/rss+xml; charset=utf-8",
            "X-Hub-Signature": f"sha256={signature}",
        },
        timeout=10,
    )


def recording_hub(server: HTTPServer) -> tuple[list[dict[str, str]], str]:
    """A hub on loopback that takes every request (202) and keeps its form, and the feed
    ``/notes.rss`` that names it; the forms and the hub's address."""
    forms: list[dict[str, str]] = []

    def hub(request: Request) -> Response:
        forms.append({k: v[0] for k, v in parse_qs(request.get_data(as_text=True)).items()})
        return Response("", status=202)

    server.expect_request("/hub", method="POST").respond_with_handler(hub)
    hub_url = server.url_for("/hub")
    server.expect_request("/notes.rss").respond_with_data(
        notes_rss(hub_url, "Drainage in Kobe"), content_type="application/rss+xml"
    )
    return forms, hub_url


def service_settings(
    server: HTTPServer,
    write_config: Callable[..., Path],
    port: int,
    extra: str = "",
    http: str = "",
) -> Path:
    """Settings of a service reading ``/notes.rss`` whose callback listens on ``port``
    (``extra`` adds to ``[run]``, and may open ``[websub]`` for more of its keys)."""
    websub = f'callback = "http://127.0.0.1:{port}/websub/"\nlisten = "127.0.0.1:{port}"\n'
    extra = "[run]\njitter = 0\npublish_delay = 0\nstop_timeout = 20\n" + extra
    extra = (
        extra.replace("[websub]\n", "[websub]\n" + websub)
        if "[websub]" in extra
        else (extra + "[websub]\n" + websub)
    )
    return write_config(
        '[[sources]]\nid = "notes"\nkind = "feed"\n'
        f'url = "{server.url_for("/notes.rss")}"\nschedule = "every 10s"\nallow_private = true\n',
        http=http,
        extra=extra,
    )


@contextmanager
def subscribed(config: Path, forms: list[dict[str, str]]) -> Iterator[Daemon]:
    """The service of ``config``, started, once it has asked the recording hub to
    subscribe; stopped after the block (in time: the work in hand finished)."""
    daemon = Daemon(config, load_settings(config))
    daemon.start()
    try:
        wait_for(lambda: bool(forms))
        yield daemon
    finally:
        assert daemon.shutdown()


def test_the_service_subscribes_answers_the_hub_and_keeps_what_it_pushes(
    server: HTTPServer, write_config: Callable[..., Path], tmp_path: Path
) -> None:
    """The whole exchange: the hub is asked, checks with the callback, delivers entries
    signed with the secret; a forged delivery is dropped; an unknown address is gone; the
    pushed entry is published without a poll; a skipped source is unsubscribed."""
    forms, hub_url = recording_hub(server)
    port = free_port()
    config = service_settings(
        server,
        write_config,
        port,
        f'metrics_file = "{tmp_path / "syndicate.prom"}"\n[websub]\nlease_seconds = 7200\n',
    )
    database = load_settings(config).site.database
    with subscribed(config, forms) as daemon:
        form = forms[0]
        assert (form["hub.mode"], form["hub.topic"]) == ("subscribe", WEBSUB_SELF)
        assert form["hub.lease_seconds"] == "7200"
        callback = form["hub.callback"]
        assert callback.startswith(f"http://127.0.0.1:{port}/websub/")
        # The hub checks that we asked: a wrong topic, an unknown address are refused.
        check = {"hub.mode": "subscribe", "hub.topic": WEBSUB_SELF, "hub.challenge": "c-4711"}
        wrong = requests.get(callback, params={**check, "hub.topic": "https://x.example/"})
        assert wrong.status_code == 404
        unknown = requests.get(f"http://127.0.0.1:{port}/websub/nobody", params=check)
        assert unknown.status_code == 404
        answer = requests.get(callback, params={**check, "hub.lease_seconds": "3600"}, timeout=10)
        assert (answer.status_code, answer.text) == (200, "c-4711")
        wait_for(lambda: getattr(record_of(database), "state", "") == "active")
        record = record_of(database)
        assert record is not None
        assert record.lease_until is not None
        assert timedelta(minutes=59) < record.lease_until - datetime.now(UTC) <= timedelta(hours=1)
        assert record.secret == form["hub.secret"]
        shown = subprocess.run(
            [
                sys.executable,
                "-m",
                "tdlc_syndication.pipeline",
                "--config",
                str(config),
                "status",
                "--json",
            ],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
        )
        [row] = json.loads(shown.stdout)
        assert row["push"].startswith(f"pushed by {hub_url} until 2")
        # A forged delivery is acknowledged and dropped; a signed one is kept and published.
        forged = deliver(callback, "guessed", notes_rss(hub_url, "Drainage in Kobe", "Forged note"))
        assert forged.status_code == 202
        pushed = deliver(
            callback, record.secret, notes_rss(hub_url, "Drainage in Kobe", "Flood maps")
        )
        assert pushed.status_code == 202
        feed = tmp_path / "public" / "feeds" / "all.atom"
        wait_for(lambda: feed.exists() and "Flood maps" in feed.read_text("utf-8"))
        assert "Forged note" not in feed.read_text("utf-8")
        pushed_record = record_of(database)
        assert pushed_record is not None
        assert pushed_record.pushed_at is not None
        metrics = tmp_path / "syndicate.prom"
        wait_for(lambda: 'syndicate_source_pushed{source="notes"} 1' in metrics.read_text("utf-8"))
        assert 'syndicate_source_last_push_timestamp_seconds{source="notes"}' in metrics.read_text(
            "utf-8"
        )
        polls = sum(1 for request, _ in server.log if request.path == "/notes.rss")
        assert polls == 1  # the entry came by push
        gone = deliver(f"http://127.0.0.1:{port}/websub/nobody", "x", "<rss/>")
        assert gone.status_code == 410
        assert requests.put(callback, data=b"", timeout=10).status_code == 405
        # The turn after a delivery reads the feed (a hub's notice may be thin); after
        # that, while the hub pushes, a due poll waits for [websub] poll_every.
        push = daemon.push
        assert push is not None
        sources = daemon.settings.sources
        assert push.not_pushed(sources, datetime.now(UTC)) == sources
        push.polled["notes"] = datetime.now(UTC)
        assert push.not_pushed(sources, datetime.now(UTC)) == []
        assert push.not_pushed(sources, datetime.now(UTC) + timedelta(days=1)) == sources
        # Skipped in the settings (reloaded): the hub is asked to end it, and confirms.
        text = config.read_text("utf-8").replace("[websub]\n", '[websub]\nskip = ["notes"]\n')
        config.write_text(text, encoding="utf-8")
        daemon.request_reload()
        wait_for(lambda: any(f["hub.mode"] == "unsubscribe" for f in forms))
        leave = {**check, "hub.mode": "unsubscribe", "hub.challenge": "bye"}
        answer = requests.get(callback, params=leave, timeout=10)
        assert (answer.status_code, answer.text) == (200, "bye")
        wait_for(lambda: getattr(record_of(database), "state", "") == "none")
        assert requests.get(callback, params=leave, timeout=10).status_code == 404
    with Store(database) as store:
        titles = {item.item.title for item in store.items("notes")}
    assert titles == {"Drainage in Kobe", "Flood maps"}


def test_the_callback_refuses_what_no_hub_sends_and_keeps_a_hubs_refusal(
    server: HTTPServer, write_config: Callable[..., Path], tmp_path: Path
) -> None:
    """A delivery without a length or past [http] max_body_bytes, a check without a
    challenge are refused; a delivery that is no feed is dropped without counting against
    the source; a hub's refusal is kept and shown, and the service asks again a day
    later."""
    forms, hub_url = recording_hub(server)
    port = free_port()
    config = service_settings(server, write_config, port, http="max_body_bytes = 2048")
    database = load_settings(config).site.database
    with subscribed(config, forms) as daemon:
        callback = forms[0]["hub.callback"]
        check = {"hub.mode": "subscribe", "hub.topic": WEBSUB_SELF}
        assert requests.get(callback, params=check, timeout=10).status_code == 400
        assert requests.get(callback, params={**check, "hub.challenge": "c"}).text == "c"
        wait_for(lambda: getattr(record_of(database), "state", "") == "active")
        secret = forms[0]["hub.secret"]
        big = notes_rss(hub_url, *(f"Note {n}" for n in range(40)))
        assert len(big) > 2048
        assert deliver(callback, secret, big).status_code == 413
        path = "/" + callback.split("/", 3)[3]
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(
                f"POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                "0\r\n\r\n".encode()
            )
            assert sock.recv(100).startswith(b"HTTP/1.1 411")
        assert deliver(callback, secret, "<html>not a feed</html>").status_code == 202
        # Then a good one: once it is kept, the one before it was dealt with.
        assert (
            deliver(
                callback, secret, notes_rss(hub_url, "Drainage in Kobe", "Flood maps")
            ).status_code
            == 202
        )
        wait_for(lambda: len(_titles(database)) == 2)
        with Store(database) as store:
            state = store.state("notes")
        assert (state.status, state.consecutive_failures, state.last_error) == ("ok", 0, None)
        # The hub withdraws the subscription: kept, shown, asked again a day later.
        denied = {**check, "hub.mode": "denied", "hub.reason": "too many subscriptions"}
        assert requests.get(callback, params=denied, timeout=10).status_code == 200
        wait_for(lambda: getattr(record_of(database), "state", "") == "denied")
        record = record_of(database)
        assert record is not None
        assert record.error == "too many subscriptions"
        with Store(database) as store:
            records = store.subscriptions()
        assert plan(daemon.settings, records, datetime.now(UTC)).asks == []
        later = datetime.now(UTC) + timedelta(days=1, minutes=1)
        assert plan(daemon.settings, records, later).asks[0].mode == "subscribe"


def _titles(database: Path) -> set[str]:
    with Store(database) as store:
        return {item.item.title for item in store.items("notes")}


def test_a_listen_address_in_use_is_logged_and_every_source_is_polled(
    server: HTTPServer,
    write_config: Callable[..., Path],
    caplog: pytest.LogCaptureFixture,
) -> None:
    server.expect_request("/notes.rss").respond_with_data(
        notes_rss(server.url_for("/hub"), "Drainage in Kobe"), content_type="application/rss+xml"
    )
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = write_config(
            '[[sources]]\nid = "notes"\nkind = "feed"\n'
            f'url = "{server.url_for("/notes.rss")}"\nallow_private = true\n',
            extra=(
                "[run]\njitter = 0\nstop_timeout = 20\n"
                f'[websub]\ncallback = "https://f.example/w/"\nlisten = "127.0.0.1:{port}"\n'
            ),
        )
        daemon = Daemon(config, load_settings(config))
        daemon.start()
        try:
            assert daemon.push is None
            wait_for(lambda: any(r.path == "/notes.rss" for r, _ in server.log))
            result = CliRunner().invoke(cli, ["--config", str(config), "status"])
            assert (
                f"WebSub: the service cannot listen on 127.0.0.1:{port} for the hubs "
                "(Address already in use): every source is polled"
            ) in result.stdout
        finally:
            assert daemon.shutdown()
        result = CliRunner().invoke(cli, ["--config", str(config), "health", "--json"])
        assert json.loads(result.stdout)["listener_problem"] is None  # (the service stopped)
    assert f"cannot listen on 127.0.0.1:{port} for the hubs" in caplog.text
    assert "every source is polled" in caplog.text


def test_try_says_which_hub_can_push_a_feed_and_whether_the_service_subscribes(
    server: HTTPServer, write_config: Callable[..., Path]
) -> None:
    server.expect_request("/notes.rss").respond_with_data(
        notes_rss("https://hub.example/", "Drainage in Kobe"), content_type="application/rss+xml"
    )
    line = (
        f'[[sources]]\nid = "notes"\nkind = "feed"\nurl = "{server.url_for("/notes.rss")}"\n'
        "allow_private = true\n"
    )
    said = {}
    for case, websub in [
        ("off", ""),
        ("on", 'callback = "https://f.example/w/"'),
        ("skipped", 'callback = "https://f.example/w/"\nskip = ["notes"]'),
    ]:
        config = websub_settings(write_config, websub, line)
        result = CliRunner().invoke(cli, ["--config", str(config), "try", "notes"])
        assert result.exit_code == 0, result.output
        [said[case]] = [x for x in result.stdout.splitlines() if "WebSub hub" in x]
    hub = f"the WebSub hub https://hub.example/ can push its new entries (topic {WEBSUB_SELF}): "
    assert said["off"] == hub + "with [websub] callback set, the service subscribes"
    assert said["on"] == hub + "the service subscribes"
    assert said["skipped"] == hub + "the service does not subscribe ([websub] skip names it)"


def test_discover_says_which_feeds_a_hub_pushes(
    server: HTTPServer, write_config: Callable[..., Path]
) -> None:
    page = (
        '<!doctype html><html lang="en"><head><title>Notes</title><link rel="alternate" '
        'type="application/rss+xml" title="Notes" href="/notes.rss"></head><body></body></html>'
    )
    server.expect_request("/").respond_with_data(page, content_type="text/html")
    plain = notes_rss("https://hub.example/", "Drainage in Kobe").replace(
        '<atom:link rel="hub" href="https://hub.example/"/>', ""
    )
    server.expect_request("/notes.rss").respond_with_data(
        plain,
        content_type="application/rss+xml",
        headers={"Link": '<https://hub.example/>; rel="hub"'},  # the header is enough
    )
    config = write_config()
    args = ["--config", str(config), "discover", server.url_for("/"), "--allow-private"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "1 item, newest 2026-12-01, pushed by WebSub" in result.stdout
    assert (
        f"{server.url_for('/notes.rss')}: the WebSub hub https://hub.example/ can push its new "
        "entries; with [websub] callback set, the service subscribes"
    ) in result.stdout
    report = json.loads(CliRunner().invoke(cli, [*args, "--json"]).stdout)
    assert [f["websub_hub"] for f in report["found"] if f["entry"]] == ["https://hub.example/"]


@pytest.fixture(scope="module")
def listener(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A callback listener over a store with one subscription asked for (token ``tok``)."""
    folder = tmp_path_factory.mktemp("listener")
    config = folder / "syndicate.toml"
    http = "host_delay = 0\nrobots_txt = false"
    config.write_text(
        SITE.format(output=folder / "public", database=folder / "store.db", http=http)
        + '[[sources]]\nid = "notes"\nkind = "feed"\nurl = "https://www.example.org/f"\n'
        + '[websub]\ncallback = "https://f.example/websub/"\n'
        + TAXONOMY,
        encoding="utf-8",
    )
    ctx = Context.create(load_settings(config))
    with ctx.open_store() as store, store.transaction():
        store.put_subscription(
            Subscription(
                source="notes",
                hub="https://h.example/",
                topic=WEBSUB_SELF,
                state="asked",
                token="tok",
                secret="s",
                asked_hub="https://h.example/",
                asked_topic=WEBSUB_SELF,
                asked_at=NOW,
            )
        )
    server = callback_server(("127.0.0.1", 0), Subscriber(ctx, lambda: None), 4096)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.drain()


@settings(max_examples=60, deadline=None, database=None)
@given(
    request=st.lists(
        st.sampled_from(
            [
                b"GET ",
                b"POST ",
                b"PUT ",
                b"/websub/",
                b"tok",
                b"?hub.mode=subscribe",
                b"&hub.topic=",
                b"&hub.challenge=",
                b"%ZZ",
                b"%00",
                b" HTTP/1.1\r\n",
                b"Content-Length: ",
                b"99999999999",
                b"-1",
                b"\r\n",
                b"\r\n\r\n",
                b"X-Hub-Signature: sha256=",
                b"\x00",
                b"\xff",
                b"Transfer-Encoding: chunked",
            ]
        )
        | st.binary(max_size=24),
        max_size=20,
    ).map(b"".join)
)
def test_any_bytes_sent_to_the_callback_leave_it_answering(listener: int, request: bytes) -> None:
    address = ("127.0.0.1", listener)
    with socket.create_connection(address, timeout=5) as sock:
        sock.settimeout(2)
        with contextlib.suppress(OSError):
            sock.sendall(request)
            sock.shutdown(socket.SHUT_WR)
            sock.recv(65536)  # an answer (an HTTP/0.9 one to "GET x"), or a close
    check = f"http://127.0.0.1:{listener}/websub/tok"
    params = {"hub.mode": "subscribe", "hub.topic": WEBSUB_SELF, "hub.challenge": "alive"}
    assert requests.get(check, params=params, timeout=5).text == "alive"


def test_a_stopping_listener_closes_a_kept_alive_connection_after_its_answer(
    write_config: Callable[..., Path],
) -> None:
    """As ``serve`` does: a hub's connection kept alive is not held for the idle timeout
    once the service stops listening."""
    ctx = Context.create(load_settings(write_config()))
    server = callback_server(("127.0.0.1", 0), Subscriber(ctx, lambda: None), 4096)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    check = b"GET /websub/nobody?hub.mode=subscribe HTTP/1.1\r\nHost: x\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=5) as kept:
        kept.sendall(check)
        first = read_answer(kept)
        assert first.startswith(b"HTTP/1.1 404")
        assert b"Connection: close" not in first
        server.shutdown()
        assert server.drain(grace=5) == 0
        kept.sendall(check)  # the hub's next request on its open connection
        answer = read_answer(kept)
        assert answer.startswith(b"HTTP/1.1 404")
        assert b"Connection: close" in answer
        assert closed_by_server(kept)  # by the listener, not kept for 30 s


def test_deliveries_at_once_are_all_kept_by_the_one_writer(
    server: HTTPServer, write_config: Callable[..., Path], caplog: pytest.LogCaptureFixture
) -> None:
    """Forty hubs' deliveries arriving together (the listener's threads) are queued for
    the one work thread: every entry is kept, none twice, nothing fails."""
    forms, hub_url = recording_hub(server)
    port = free_port()
    config = service_settings(server, write_config, port)
    settings = load_settings(config)
    with subscribed(config, forms):
        callback, secret = forms[0]["hub.callback"], forms[0]["hub.secret"]
        check = {"hub.mode": "subscribe", "hub.topic": WEBSUB_SELF, "hub.challenge": "go"}
        assert requests.get(callback, params=check, timeout=10).text == "go"
        titles = [f"Note {n:02d}" for n in range(40)]

        def send(n: int) -> int:
            # Each delivery holds the first note and one more: the feeds as they grow.
            body = notes_rss(hub_url, "Drainage in Kobe", *titles[: n + 1])
            return deliver(callback, secret, body).status_code

        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(send, range(40)))
        assert answers == [202] * 40
        wait_for(lambda: len(_titles(settings.site.database)) == 41)
    with Store(settings.site.database) as store:
        kept = store.items("notes")
    assert len({s.item.id for s in kept}) == len(kept) == 41
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
