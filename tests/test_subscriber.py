"""WebSub push in, its parts: which hub pushes a feed, signatures, the plan of requests
(subscribe, renew, ask again, unsubscribe, doubt), the requests to the hubs, a hub's thin
notice kept, what ``status`` says, the settings and their reload. The service end to end
is ``test_websub_in.py``."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from tests_support import DATA, WEBSUB_SELF, free_port, websub_settings

from tdlc_syndication.config.errors import ConfigError
from tdlc_syndication.config.loader import load_settings
from tdlc_syndication.pipeline.callback import callback_server
from tdlc_syndication.pipeline.cli import cli
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.http import Http
from tdlc_syndication.pipeline.ledger import Hub, SourceState, source_shape
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.pipeline.subscriber import Ask, Subscriber, ask_hub, plan, signed
from tdlc_syndication.pipeline.subscriptions import Subscription
from tdlc_syndication.sources.hubs import advertised

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "body", "expected"),
    [
        # The Link header comes first, with its own self link.
        (
            '<https://hub.example/>; rel="hub", <https://feeds.example/a>; rel="self"',
            b'<feed><link rel="hub" href="https://other.example/"/></feed>',
            Hub("https://hub.example/", "https://feeds.example/a"),
        ),
        # A parameter's quoted value with a comma and a semicolon in it (RFC 8288): the
        # link ended there, and its rel was lost.
        (
            '<https://hub.example/>; title="Hubs, and; more"; rel=hub, '
            '<https://feeds.example/a>; rel="self"',
            b"<feed></feed>",
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
        # A self link wrapped in the source (a tab or a line break in it, which the URL
        # Standard takes out), at another scheme than the feed's: it was the topic as
        # written, no web address (found by the fuzzer, seed 131205).
        (
            "",
            b'<feed><link rel="hub" href="https://h.example/"/>'
            b'<link rel="self" href="http\t://src.example/fe\ned.xml"/></feed>',
            Hub("https://h.example/", "http://src.example/feed.xml"),
        ),
        # An XML feed saved with a byte-order mark (as Windows editors write it) was read
        # as a JSON Feed: its hub and self link were not seen.
        (
            "",
            b'\xef\xbb\xbf<?xml version="1.0"?><feed><link rel="hub" href="https://h.example/"/>'
            b'<link rel="self" href="https://src.example/own.xml"/></feed>',
            Hub("https://h.example/", "https://src.example/own.xml"),
        ),
        (
            "",
            b'\xef\xbb\xbf{"feed_url": "https://j.example/f", "hubs": [{"type": "WebSub", "url":'
            b' "https://w.example/"}]}',
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
        # A JSON document nested past Python's recursion limit names no hub (its parse
        # says what is wrong with it).
        ("", b'{"hubs": ' + b"[" * 100_000, Hub("", "https://src.example/feed.xml")),
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


def test_the_plan_subscribes_renews_before_the_lease_ends_and_asks_again_later(
    write_config: Callable[..., Path],
) -> None:
    settings = load_settings(
        websub_settings(write_config, 'callback = "https://feeds.example.org/websub"')
    )
    assert settings.websub.callback == "https://feeds.example.org/websub/"
    found = Subscription(source="notes", hub="https://hub.example/", topic=WEBSUB_SELF)
    [ask] = plan(settings, {"notes": found}, NOW).asks
    assert (ask.mode, ask.record.state, ask.record.asked_hub, ask.record.asked_topic) == (
        "subscribe", "asked", "https://hub.example/", WEBSUB_SELF,
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
        source="notes", hub="https://hub.example/", topic=WEBSUB_SELF, state="active", token="t",
        secret="s", asked_hub="https://hub.example/", asked_topic=WEBSUB_SELF, asked_at=NOW,
        lease_until=NOW + timedelta(days=10),
    )  # fmt: skip
    skipped = load_settings(
        websub_settings(write_config, 'callback = "https://f.example/websub/"\nskip = ["notes"]')
    )
    [leave] = plan(skipped, {"notes": active}, NOW).asks
    assert (leave.mode, leave.record.state) == ("unsubscribe", "leaving")
    # The hub never confirms: an hour later the service stops listening for it.
    [gone] = plan(skipped, {"notes": leave.record}, NOW + timedelta(hours=1)).settle
    assert (gone.state, gone.token, gone.hub) == ("none", "", "https://hub.example/")
    removed = load_settings(
        websub_settings(
            write_config,
            'callback = "https://f.example/websub/"',
            '[[sources]]\nid = "other"\nkind = "feed"\nurl = "https://o.example/f"\n',
        )
    )
    assert plan(removed, {"notes": active}, NOW).asks[0].mode == "unsubscribe"
    assert plan(removed, {"notes": gone}, NOW).forget == ["notes"]
    # Without a callback nobody could hear a hub's confirmation: the record just ends.
    off = load_settings(websub_settings(write_config, ""))
    [ended] = plan(off, {"notes": active}, NOW).settle
    assert ended.state == "none"
    assert plan(off, {"notes": ended}, NOW).asks == []


def test_a_hub_on_a_private_address_is_asked_only_for_a_source_that_allows_it(
    server: HTTPServer, write_config: Callable[..., Path]
) -> None:
    server.expect_request("/hub", method="POST").respond_with_data("", status=202)
    hub = server.url_for("/hub")
    record = Subscription(
        source="notes", hub=hub, topic=WEBSUB_SELF, state="asked", token="t", secret="s",
        asked_hub=hub, asked_topic=WEBSUB_SELF, asked_at=NOW,
    )  # fmt: skip
    line = '[[sources]]\nid = "notes"\nkind = "feed"\nurl = "https://www.example.org/f"\n'
    closed = load_settings(websub_settings(write_config, 'callback = "https://f.example/w/"', line))
    problem = ask_hub(Ask("subscribe", record), closed, Http(closed.http))
    assert problem is not None
    assert "private address" in problem
    assert not server.log  # nothing was sent
    allowed = line + "allow_private = true\n"
    opened = load_settings(
        websub_settings(write_config, 'callback = "https://f.example/w/"', allowed)
    )
    assert ask_hub(Ask("subscribe", record), opened, Http(opened.http)) is None
    form = parse_qs(server.log[-1][0].get_data(as_text=True))
    assert form["hub.mode"] == ["subscribe"]
    assert form["hub.topic"] == [WEBSUB_SELF]
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
        load_settings(websub_settings(write_config, websub))
    assert any(f"websub.{field}" in problem for problem in caught.value.problems)


def test_status_says_what_became_of_each_subscription(write_config: Callable[..., Path]) -> None:
    config = websub_settings(write_config, 'callback = "https://f.example/w/"')
    database = load_settings(config).site.database
    now = datetime.now(UTC)
    asked = Subscription(
        source="notes", hub="https://hub.example/", topic=WEBSUB_SELF, state="asked", token="t",
        secret="s", asked_hub="https://hub.example/", asked_topic=WEBSUB_SELF,
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


def test_a_reload_keeps_the_listener_and_takes_the_rest_of_websub(
    write_config: Callable[..., Path], caplog: pytest.LogCaptureFixture
) -> None:
    from tdlc_syndication.pipeline.callback import same_listener

    running = load_settings(websub_settings(write_config, 'callback = "https://f.example/w/"'))
    edited = load_settings(
        websub_settings(
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
        websub_settings(write_config, 'callback = "https://f.example/w/"\npoll_every = 3600')
    )
    assert same_listener(running, same) is same


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
    next turn after a delivery). A delivery that comes before the read in full a source
    owes (its settings changed, or it was never read) asks for that read instead."""
    url = "https://www.youtube.com/feeds/videos.xml?channel_id=UCsample"
    ctx = make_context(
        websub_settings(
            write_config,
            'callback = "https://f.example/w/"',
            f'[[sources]]\nid = "videos"\nkind = "feed"\nurl = "{url}"\n',
        )
    )
    polls: list[str] = []
    subscriber = Subscriber(ctx, lambda: None, polls.append)
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
        feed = (DATA / "feed" / "youtube.atom").read_text("utf-8")
        push(feed)
        assert subscriber.apply(store) == []
        assert (polls, store.get_item("videos:Dm0TddA01xQ")) == (["videos"], None)
        config = ctx.settings.source("videos")
        shape = source_shape(ctx.settings, config)
        with store.transaction():  # as the read in full leaves it
            store.put_states([SourceState(source="videos", shape=shape)])
        push(feed)
        assert [r.new for r in subscriber.apply(store)] == [8]
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


def test_a_poll_that_finds_what_the_hub_did_not_push_asks_the_hub_again(
    write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """A hub that lost the subscription, or no longer reaches the callback, pushes
    nothing: the safety-net poll finds the entries, and the subscription is asked for
    again (same address and secret) while the source is polled on its schedule. The first
    poll after a start finds what came while the service was down: no doubt then."""
    from tdlc_syndication.pipeline.callback import PushIn
    from tdlc_syndication.pipeline.ledger import RunReport

    ctx = make_context(websub_settings(write_config, 'callback = "https://f.example/w/"'))
    now = datetime.now(UTC)
    active = Subscription(
        source="notes", hub="https://hub.example/", topic=WEBSUB_SELF, state="active", token="t",
        secret="s", asked_hub="https://hub.example/", asked_topic=WEBSUB_SELF,
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
    (each would wait [http] connect_timeout); a record of a source gone from the settings goes."""
    server.expect_request("/hub", method="POST").respond_with_data(
        "unknown topic\nmore", status=400
    )
    dead = f"http://127.0.0.1:{free_port()}/hub"
    sources = "".join(
        f'[[sources]]\nid = "{name}"\nkind = "feed"\nurl = "https://{name}.example/f"\n'
        "allow_private = true\n"
        for name in ("refused", "silent-1", "silent-2")
    )
    ctx = make_context(websub_settings(write_config, 'callback = "https://f.example/w/"', sources))
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
