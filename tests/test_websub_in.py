"""WebSub push in: the service subscribes to the hubs its feeds name, answers their checks
and keeps what they deliver. A real hub on loopback (its requests made by the test, as a
hub makes them), the real service in this process, its real callback listener."""

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
from dataclasses import replace
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
from tests_support import DATA, free_port
from werkzeug import Request, Response

from tdlc_syndication.config.errors import ConfigError
from tdlc_syndication.config.loader import load_settings
from tdlc_syndication.pipeline.callback import callback_server
from tdlc_syndication.pipeline.cli import cli
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.daemon import Daemon
from tdlc_syndication.pipeline.ledger import Hub
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.pipeline.subscriber import Ask, Subscriber, ask_hub, plan, signed
from tdlc_syndication.pipeline.subscriptions import Subscription
from tdlc_syndication.sources.hubs import advertised

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
SELF = "https://www.example.org/notes/feed/"


def rss(hub: str, *titles: str) -> str:
    items = "".join(
        f"<item><title>{t}</title><link>https://www.example.org/notes/{n}</link>"
        f"<guid>https://www.example.org/notes/{n}</guid>"
        f"<pubDate>Tue, 0{n + 1} Dec 2026 09:00:00 +0000</pubDate>"
        "<description>A note on drainage in Kobe.</description></item>"
        for n, t in enumerate(titles)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        "<title>Notes</title><link>https://www.example.org/notes/</link>"
        "<description>Notes</description>"
        f'<atom:link rel="hub" href="{hub}"/><atom:link rel="self" href="{SELF}"/>'
        f"{items}</channel></rss>"
    )


# -- discovery --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "body", "expected"),
    [
        # The Link header comes first, with its own self link.
        (
            '<https://hub.example/>; rel="hub", <https://feeds.example/a>; rel="self"',
            b'<feed><link rel="hub" href="https://other.example/"/></feed>',
            Hub("https://hub.example/", "https://feeds.example/a"),
        ),
        # An Atom feed's head; an entry's own self link is not the feed's.
        (
            "",
            b'<feed xmlns="http://www.w3.org/2005/Atom"><link href="/hub" rel="hub"/>'
            b"<entry><link rel='self' href='https://e.example/1'/></entry></feed>",
            Hub("https://src.example/hub", "https://src.example/feed.xml"),
        ),
        # RSS with atom:link (relation list, single quotes, an escaped ampersand).
        (
            "",
            b"<rss><channel><atom:link rel='hub' href='https://h.example/?a=1&amp;b=2'/>"
            b'<atom:link rel="self" href="https://src.example/rss"/><item/></channel></rss>',
            Hub("https://h.example/?a=1&b=2", "https://src.example/rss"),
        ),
        # A JSON Feed's hubs (only WebSub ones) and feed_url.
        (
            "",
            b'{"version": "https://jsonfeed.org/version/1.1", "feed_url": "https://j.example/f",'
            b' "hubs": [{"type": "rssCloud", "url": "https://c.example/"},'
            b' {"type": "WebSub", "url": "https://w.example/"}]}',
            Hub("https://w.example/", "https://j.example/f"),
        ),
        # No hub, a hub in an entry only, a hub that is no web address.
        ("", b"<rss><channel><item/></channel></rss>", Hub("", "https://src.example/feed.xml")),
        (
            "",
            b'<feed><entry><link rel="hub" href="https://h.example/"/></entry></feed>',
            Hub("", "https://src.example/feed.xml"),
        ),
        ('<mailto:a@b.example>; rel="hub"', b"", Hub("", "https://src.example/feed.xml")),
        # Google's hub named at http (Blogger's feeds): asked over https, the secret kept.
        (
            "",
            b"<feed><link rel='hub' href='http://pubsubhubbub.appspot.com/'/></feed>",
            Hub("https://pubsubhubbub.appspot.com/", "https://src.example/feed.xml"),
        ),
        (
            "",
            b"<feed><link rel='hub' href='http://hub.example/'/></feed>",
            Hub("http://hub.example/", "https://src.example/feed.xml"),
        ),
    ],
)
def test_a_feed_names_its_hub_in_a_link_header_its_head_or_its_json(
    header: str, body: bytes, expected: Hub
) -> None:
    assert advertised(header, body, "https://src.example/feed.xml") == expected


def test_a_youtube_channels_feed_is_pushed_by_the_hub_youtube_documents() -> None:
    """YouTube's feeds name no hub; a channel's is pushed by Google's hub at the topic
    YouTube's documentation gives. A playlist's is not pushed; a hub the feed names wins."""
    feed = (DATA / "feed" / "youtube.atom").read_bytes()
    channel = "https://www.youtube.com/feeds/videos.xml?channel_id=UCsampleTDLCdemo000000"
    assert advertised("", feed, channel) == Hub(
        "https://pubsubhubbub.appspot.com/",
        "https://www.youtube.com/xml/feeds/videos.xml?channel_id=UCsampleTDLCdemo000000",
    )
    playlist = "https://www.youtube.com/feeds/videos.xml?playlist_id=PLsample"
    assert advertised("", feed, playlist) == Hub("", playlist)
    odd = "https://www.youtube.com/feeds/videos.xml?channel_id=UC%3Cx%3E"
    assert advertised("", feed, odd) == Hub("", odd)
    named = advertised('<https://h.example/>; rel="hub"', feed, channel)
    assert named == Hub("https://h.example/", channel)


def test_a_hubs_signature_is_checked_with_the_subscriptions_secret() -> None:
    body = b"<rss/>"
    good = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert signed("s3cret", f"sha256={good}", body)
    assert signed("s3cret", "sha1=" + hmac.new(b"s3cret", body, hashlib.sha1).hexdigest(), body)
    assert not signed("other", f"sha256={good}", body)
    assert not signed("s3cret", f"sha256={good}", body + b" ")
    assert not signed("s3cret", f"md5={good}", body)
    assert not signed("s3cret", "", body)
    assert not signed("", f"sha256={good}", body)


# -- the plan ---------------------------------------------------------------------------


def _settings(write_config: Callable[..., Path], websub: str, sources: str = "") -> Path:
    sources = sources or (
        '[[sources]]\nid = "notes"\nkind = "feed"\nurl = "https://www.example.org/notes/feed/"\n'
    )
    return write_config(sources, extra=f"[websub]\n{websub}\n")


def test_the_plan_subscribes_renews_before_the_lease_ends_and_asks_again_later(
    write_config: Callable[..., Path],
) -> None:
    settings = load_settings(
        _settings(write_config, 'callback = "https://feeds.example.org/websub"')
    )
    assert settings.websub.callback == "https://feeds.example.org/websub/"
    found = Subscription(source="notes", hub="https://hub.example/", topic=SELF)
    [ask] = plan(settings, {"notes": found}, NOW).asks
    assert (ask.mode, ask.record.state, ask.record.asked_hub, ask.record.asked_topic) == (
        "subscribe", "asked", "https://hub.example/", SELF,
    )  # fmt: skip
    assert len(ask.record.token) >= 32
    assert len(ask.record.secret) == 64
    asked = ask.record
    assert plan(settings, {"notes": asked}, NOW + timedelta(minutes=59)).asks == []
    assert plan(settings, {"notes": asked}, NOW + timedelta(hours=1)).asks  # never confirmed
    active = replace(asked, state="active", lease_until=NOW + timedelta(days=10))
    assert plan(settings, {"notes": active}, NOW + timedelta(days=8)).asks == []
    [renew] = plan(settings, {"notes": active}, NOW + timedelta(days=9, hours=1)).asks
    # A renewal keeps the address and the secret (deliveries go on meanwhile).
    assert (renew.record.token, renew.record.secret, renew.record.state) == (
        asked.token, asked.secret, "active",
    )  # fmt: skip
    # The feed names another hub: a subscription there, at a new address.
    moved = replace(active, hub="https://hub2.example/")
    [there] = plan(settings, {"notes": moved}, NOW + timedelta(days=1)).asks
    assert there.record.asked_hub == "https://hub2.example/"
    assert there.record.token != asked.token
    denied = replace(asked, state="denied", error="no")
    assert plan(settings, {"notes": denied}, NOW + timedelta(hours=23)).asks == []
    assert plan(settings, {"notes": denied}, NOW + timedelta(days=1)).asks


def test_the_plan_unsubscribes_a_skipped_or_removed_source_and_forgets_it(
    write_config: Callable[..., Path],
) -> None:
    active = Subscription(
        source="notes", hub="https://hub.example/", topic=SELF, state="active", token="t",
        secret="s", asked_hub="https://hub.example/", asked_topic=SELF, asked_at=NOW,
        lease_until=NOW + timedelta(days=10),
    )  # fmt: skip
    skipped = load_settings(
        _settings(write_config, 'callback = "https://f.example/websub/"\nskip = ["notes"]')
    )
    [leave] = plan(skipped, {"notes": active}, NOW).asks
    assert (leave.mode, leave.record.state) == ("unsubscribe", "leaving")
    # The hub never confirms: an hour later the service stops listening for it.
    [gone] = plan(skipped, {"notes": leave.record}, NOW + timedelta(hours=1)).settle
    assert (gone.state, gone.token, gone.hub) == ("none", "", "https://hub.example/")
    removed = load_settings(
        _settings(
            write_config,
            'callback = "https://f.example/websub/"',
            '[[sources]]\nid = "other"\nkind = "feed"\nurl = "https://o.example/f"\n',
        )
    )
    assert plan(removed, {"notes": active}, NOW).asks[0].mode == "unsubscribe"
    assert plan(removed, {"notes": gone}, NOW).forget == ["notes"]
    # Without a callback nobody could hear a hub's confirmation: the record just ends.
    off = load_settings(_settings(write_config, ""))
    [ended] = plan(off, {"notes": active}, NOW).settle
    assert ended.state == "none"
    assert plan(off, {"notes": ended}, NOW).asks == []


def test_a_hub_on_a_private_address_is_asked_only_for_a_source_that_allows_it(
    server: HTTPServer, write_config: Callable[..., Path]
) -> None:
    server.expect_request("/hub", method="POST").respond_with_data("", status=202)
    hub = server.url_for("/hub")
    record = Subscription(
        source="notes", hub=hub, topic=SELF, state="asked", token="t", secret="s",
        asked_hub=hub, asked_topic=SELF, asked_at=NOW,
    )  # fmt: skip
    line = '[[sources]]\nid = "notes"\nkind = "feed"\nurl = "https://www.example.org/f"\n'
    closed = load_settings(_settings(write_config, 'callback = "https://f.example/w/"', line))
    problem = ask_hub(Ask("subscribe", record), closed, "test")
    assert problem is not None
    assert "private address" in problem
    assert not server.log  # nothing was sent
    allowed = line + "allow_private = true\n"
    opened = load_settings(_settings(write_config, 'callback = "https://f.example/w/"', allowed))
    assert ask_hub(Ask("subscribe", record), opened, "test") is None
    form = parse_qs(server.log[-1][0].get_data(as_text=True))
    assert form["hub.mode"] == ["subscribe"]
    assert form["hub.topic"] == [SELF]
    assert form["hub.callback"] == ["https://f.example/w/t"]
    assert form["hub.secret"] == ["s"]
    assert form["hub.lease_seconds"] == ["864000"]


@pytest.mark.parametrize(
    ("websub", "field"),
    [
        ('listen = "8710"', "listen"),
        ('listen = "127.0.0.1:99999"', "listen"),
        ('callback = "ftp://f.example/w/"', "callback"),
        ("poll_every = 5", "poll_every"),
        ('skip = ["Not A Slug"]', "skip"),
        ('skip = ["nobody"]', "skip"),
    ],
)
def test_a_broken_websub_section_names_its_field(
    write_config: Callable[..., Path], websub: str, field: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_settings(write_config, websub))
    assert any(f"websub.{field}" in problem for problem in caught.value.problems)


# -- the service ------------------------------------------------------------------------


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
        rss(hub_url, "Drainage in Kobe"), content_type="application/rss+xml"
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
    settings = load_settings(config)
    database = settings.site.database
    daemon = Daemon(config, settings)
    daemon.start()
    try:
        wait_for(lambda: bool(forms))
        form = forms[0]
        assert (form["hub.mode"], form["hub.topic"]) == ("subscribe", SELF)
        assert form["hub.lease_seconds"] == "7200"
        callback = form["hub.callback"]
        assert callback.startswith(f"http://127.0.0.1:{port}/websub/")
        # The hub checks that we asked: a wrong topic, an unknown address are refused.
        check = {"hub.mode": "subscribe", "hub.topic": SELF, "hub.challenge": "c-4711"}
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
        forged = deliver(callback, "guessed", rss(hub_url, "Drainage in Kobe", "Forged note"))
        assert forged.status_code == 202
        pushed = deliver(callback, record.secret, rss(hub_url, "Drainage in Kobe", "Flood maps"))
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
    finally:
        assert daemon.shutdown()
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
    settings = load_settings(config)
    database = settings.site.database
    daemon = Daemon(config, settings)
    daemon.start()
    try:
        wait_for(lambda: bool(forms))
        callback = forms[0]["hub.callback"]
        check = {"hub.mode": "subscribe", "hub.topic": SELF}
        assert requests.get(callback, params=check, timeout=10).status_code == 400
        assert requests.get(callback, params={**check, "hub.challenge": "c"}).text == "c"
        wait_for(lambda: getattr(record_of(database), "state", "") == "active")
        secret = forms[0]["hub.secret"]
        big = rss(hub_url, *(f"Note {n}" for n in range(40)))
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
            deliver(callback, secret, rss(hub_url, "Drainage in Kobe", "Flood maps")).status_code
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
    finally:
        assert daemon.shutdown()


def _titles(database: Path) -> set[str]:
    with Store(database) as store:
        return {item.item.title for item in store.items("notes")}


def test_a_listen_address_in_use_is_logged_and_every_source_is_polled(
    server: HTTPServer,
    write_config: Callable[..., Path],
    caplog: pytest.LogCaptureFixture,
) -> None:
    server.expect_request("/notes.rss").respond_with_data(
        rss(server.url_for("/hub"), "Drainage in Kobe"), content_type="application/rss+xml"
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


def test_try_says_which_hub_a_feed_names_and_what_the_service_does_with_it(
    server: HTTPServer, write_config: Callable[..., Path]
) -> None:
    server.expect_request("/notes.rss").respond_with_data(
        rss("https://hub.example/", "Drainage in Kobe"), content_type="application/rss+xml"
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
        config = _settings(write_config, websub, line)
        result = CliRunner().invoke(cli, ["--config", str(config), "try", "notes"])
        assert result.exit_code == 0, result.output
        [said[case]] = [x for x in result.stdout.splitlines() if "WebSub hub" in x]
    hub = f"the WebSub hub https://hub.example/ can push its new entries (topic {SELF}): "
    assert said["off"] == hub + "with [websub] callback set, the service subscribes"
    assert said["on"] == hub + "the service subscribes"
    assert said["skipped"] == hub + "the service does not subscribe ([websub] skip names it)"


NOTICE = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns="http://www.w3.org/2005/Atom">
 <link rel="hub" href="https://pubsubhubbub.appspot.com"/>
 <link rel="self" href="https://www.youtube.com/xml/feeds/videos.xml?channel_id=UCsample"/>
 <title>YouTube video feed</title>
 <updated>2026-12-01T09:00:00+00:00</updated>
 <entry>
  <id>yt:video:{video}</id>
  <yt:videoId>{video}</yt:videoId>
  <yt:channelId>UCsample</yt:channelId>
  <title>{title}</title>
  <link rel="alternate" href="https://www.youtube.com/watch?v={video}"/>
  <author><name>City Learning Videos</name></author>
  <published>2026-11-10T08:00:12+00:00</published>
  <updated>2026-12-01T09:00:00+00:00</updated>
 </entry>
</feed>
"""


def test_a_thin_notice_retitles_a_kept_video_and_takes_away_nothing(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """YouTube's hub sends a new or edited video without its description or image: a kept
    video takes the notice's title and keeps what the feed gave; a new one is kept as the
    notice has it (its description and image come with the next poll, due at the source's
    next turn after a delivery)."""
    url = "https://www.youtube.com/feeds/videos.xml?channel_id=UCsample"
    ctx = make_context(
        _settings(
            write_config,
            'callback = "https://f.example/w/"',
            f'[[sources]]\nid = "videos"\nkind = "feed"\nurl = "{url}"\n',
        )
    )
    subscriber = Subscriber(ctx, lambda: None)
    record = Subscription(
        source="videos", hub="https://h.example/", topic=url, state="active", token="tok",
        secret="s", asked_hub="https://h.example/", asked_topic=url, asked_at=NOW,
        lease_until=NOW + timedelta(days=10),
    )  # fmt: skip

    def push(body: str) -> None:
        data = body.encode("utf-8")
        signature = hmac.new(b"s", data, hashlib.sha256).hexdigest()
        headers = {"content-type": "application/atom+xml", "x-hub-signature": f"sha256={signature}"}
        assert subscriber.deliver("tok", headers, data) == 202

    with ctx.open_store() as store:
        with store.transaction():
            store.put_subscription(record)
        push((DATA / "feed" / "youtube.atom").read_text("utf-8"))
        subscriber.apply(store)
        before = store.get_item("videos:Dm0TddA01xQ")
        assert before is not None
        push(NOTICE.format(video="Dm0TddA01xQ", title="Transit in Toyama (director's cut)"))
        push(NOTICE.format(video="Dm0TddA09zz", title="Flood maps for Kobe"))
        [edited, new] = subscriber.apply(store)
        assert (edited.changed, new.new) == (1, 1)
        after = store.get_item("videos:Dm0TddA01xQ")
        fresh = store.get_item("videos:Dm0TddA09zz")
    assert after is not None
    assert fresh is not None
    assert after.item.title == "Transit in Toyama (director's cut)"
    assert after.item.summary == before.item.summary != ""
    assert after.item.thumbnail == before.item.thumbnail
    assert fresh.item.title == "Flood maps for Kobe"
    assert fresh.item.url == "https://www.youtube.com/watch?v=Dm0TddA09zz"
    assert fresh.item.kind == "video"


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
                topic=SELF,
                state="asked",
                token="tok",
                secret="s",
                asked_hub="https://h.example/",
                asked_topic=SELF,
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
    params = {"hub.mode": "subscribe", "hub.topic": SELF, "hub.challenge": "alive"}
    assert requests.get(check, params=params, timeout=5).text == "alive"


def test_status_says_what_became_of_each_subscription(write_config: Callable[..., Path]) -> None:
    config = _settings(write_config, 'callback = "https://f.example/w/"')
    database = load_settings(config).site.database
    now = datetime.now(UTC)
    asked = Subscription(
        source="notes", hub="https://hub.example/", topic=SELF, state="asked", token="t",
        secret="s", asked_hub="https://hub.example/", asked_topic=SELF,
        asked_at=now - timedelta(hours=2),
    )  # fmt: skip

    def said(record: Subscription) -> str | None:
        with Store(database) as store, store.transaction():
            store.put_subscription(record)
        result = CliRunner().invoke(cli, ["--config", str(config), "status", "--json"])
        [row] = json.loads(result.stdout)
        push: str | None = row["push"]
        return push

    assert said(replace(asked, state="none")) is None
    late = said(asked)
    assert late is not None
    assert late.startswith("https://hub.example/ has not confirmed the subscription asked for")
    assert late.endswith("(can the hub reach [websub] callback?)")
    failed = said(replace(asked, error="the hub answered HTTP 400: bad topic"))
    assert failed is not None
    assert failed.endswith(": the hub answered HTTP 400: bad topic")
    refused = said(replace(asked, state="denied", error="topic not found"))
    assert refused == "https://hub.example/ refused the subscription: topic not found"
    leaving = said(replace(asked, state="leaving"))
    assert leaving == "https://hub.example/ was asked to end the subscription"
    lapsed = said(replace(asked, state="active", lease_until=now - timedelta(minutes=1)))
    assert lapsed is not None
    assert lapsed.startswith("the subscription at https://hub.example/ ended at 2")


def test_discover_says_which_feeds_a_hub_pushes(
    server: HTTPServer, write_config: Callable[..., Path]
) -> None:
    page = (
        '<!doctype html><html lang="en"><head><title>Notes</title><link rel="alternate" '
        'type="application/rss+xml" title="Notes" href="/notes.rss"></head><body></body></html>'
    )
    server.expect_request("/").respond_with_data(page, content_type="text/html")
    plain = rss("https://hub.example/", "Drainage in Kobe").replace(
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


def test_a_reload_keeps_the_listener_and_takes_the_rest_of_websub(
    write_config: Callable[..., Path], caplog: pytest.LogCaptureFixture
) -> None:
    from tdlc_syndication.pipeline.callback import same_listener

    running = load_settings(_settings(write_config, 'callback = "https://f.example/w/"'))
    edited = load_settings(
        _settings(
            write_config,
            'callback = "https://g.example/w/"\nlisten = "127.0.0.1:9999"\nskip = ["notes"]',
        )
    )
    kept = same_listener(running, edited)
    assert (kept.websub.callback, kept.websub.listen) == (
        "https://f.example/w/", "127.0.0.1:8710",
    )  # fmt: skip
    assert kept.websub.skip == ["notes"]
    assert "it applies when the daemon starts again" in caplog.text
    same = load_settings(
        _settings(write_config, 'callback = "https://f.example/w/"\npoll_every = 3600')
    )
    assert same_listener(running, same) is same


def test_a_poll_that_finds_what_the_hub_did_not_push_asks_the_hub_again(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """A hub that lost the subscription, or no longer reaches the callback, pushes
    nothing: the safety-net poll finds the entries, and the subscription is asked for
    again (same address and secret) while the source is polled on its schedule. The first
    poll after a start finds what came while the service was down: no doubt then."""
    from tdlc_syndication.pipeline.callback import PushIn
    from tdlc_syndication.pipeline.ledger import RunReport

    ctx = make_context(_settings(write_config, 'callback = "https://f.example/w/"'))
    now = datetime.now(UTC)
    active = Subscription(
        source="notes", hub="https://hub.example/", topic=SELF, state="active", token="t",
        secret="s", asked_hub="https://hub.example/", asked_topic=SELF,
        asked_at=now - timedelta(days=2), lease_until=now + timedelta(days=8),
    )  # fmt: skip
    with ctx.open_store() as store, store.transaction():
        store.put_subscription(active)
    server = callback_server(("127.0.0.1", 0), Subscriber(ctx, lambda: None), 4096)
    push = PushIn(Subscriber(ctx, lambda: None), server)

    def polled(new: int) -> RunReport:
        return RunReport(source="notes", status="ok", started=now, finished=now, new=new)

    def record() -> Subscription:
        with ctx.open_store() as store:
            return store.subscriptions()["notes"]

    try:
        push.after_polls([polled(3)], now)  # the first poll after a start
        assert record() == active
        push.after_polls([polled(0)], now)
        assert record() == active
        push.after_polls([polled(2)], now)
        doubted = record()
        assert (doubted.state, doubted.lease_until) == ("asked", None)
        assert push.not_pushed(ctx.settings.sources, now) == ctx.settings.sources
        [ask] = plan(ctx.settings, {"notes": doubted}, now).asks
        assert (ask.mode, ask.record.token, ask.record.secret) == ("subscribe", "t", "s")
    finally:
        server.server_close()


def test_a_round_of_requests_records_each_hubs_answer_and_spares_a_silent_hub(
    server: HTTPServer, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """A hub that refuses has its answer kept (shown by status, asked again in an hour); a
    hub that does not answer is not asked again in the same round for its other feeds
    (each would wait ASK_TIMEOUT); a record of a source gone from the settings goes."""
    server.expect_request("/hub", method="POST").respond_with_data(
        "unknown topic\nmore", status=400
    )
    dead = f"http://127.0.0.1:{free_port()}/hub"
    sources = "".join(
        f'[[sources]]\nid = "{name}"\nkind = "feed"\nurl = "https://{name}.example/f"\n'
        "allow_private = true\n"
        for name in ("refused", "silent-1", "silent-2")
    )
    ctx = make_context(_settings(write_config, 'callback = "https://f.example/w/"', sources))
    hubs = {"refused": server.url_for("/hub"), "silent-1": dead, "silent-2": dead}
    with ctx.open_store() as store:
        with store.transaction():
            for source, hub in hubs.items():
                store.note_hub(source, hub, f"https://{source}.example/f")
            store.note_hub("gone", "https://hub.example/", "https://gone.example/f")
        Subscriber(ctx, lambda: None).refresh(store)
        records = store.subscriptions()
    assert set(records) == set(hubs)  # "gone" was forgotten
    assert records["refused"].error == "the hub answered HTTP 400: unknown topic"
    assert (records["refused"].state, len(server.log)) == ("asked", 1)
    first, second = records["silent-1"].error, records["silent-2"].error
    assert first is not None
    assert first.startswith("the hub did not answer: ")
    assert second == "not asked: the hub did not answer an earlier request of this round"
