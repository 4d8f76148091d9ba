"""The feed source kind: RSS 2.0, Atom (YouTube), RSS 1.0/RDF, from files and over HTTP."""

from __future__ import annotations

import gzip
import json
import os
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import feedparser
import pytest
from pytest_httpserver import HTTPServer
from tests_support import DATA, NOW, MakeContext, draft, rss_channel, run_one, source_toml
from werkzeug import Request, Response

from tdlc_syndication.config.loader import DEMO_CONFIG
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.ledger import RunReport
from tdlc_syndication.pipeline.model import Retraction, StoredItem, story_keys
from tdlc_syndication.pipeline.normalise import Rules, normalise
from tdlc_syndication.pipeline.run import run_source
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.sources.base import FetchState
from tdlc_syndication.sources.feed import LONG_FEED, first_entries
from tdlc_syndication.sources.registry import build_source

DEMO_FEEDS = DEMO_CONFIG.parent / "demo" / "feeds"


def _source_toml(source_id: str, location: str, extra: str = "") -> str:
    key = "url" if location.startswith("http") else "path"
    return (
        f'[[sources]]\nid = "{source_id}"\nkind = "feed"\n{key} = "{location}"\n'
        f"allow_private = true\n{extra}\n"
    )


def _parse(ctx: Context, source_id: str) -> list[Any]:
    source = build_source(ctx.settings.source(source_id), ctx.http, ctx.clock)
    items: list[Any] = []
    for fetched in source.fetch(FetchState()):
        items.extend(source.parse(fetched))
    return items


def _parse_document(
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: MakeContext,
    name: str,
    document: str,
) -> list[Any]:
    """What a ``feed`` source reading ``document`` (written to a file) gives."""
    path = tmp_path / name
    path.write_text(document, encoding="utf-8")
    ctx = make_context(write_config(_source_toml("src", str(path))))
    return _parse(ctx, "src")


def test_rss2_wordpress_fields(
    write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    ctx = make_context(write_config(_source_toml("blog", str(DEMO_FEEDS / "tdlc-blog.rss"))))
    items = _parse(ctx, "blog")
    assert len(items) == 10
    first = items[0]
    assert first.id == "blog:https://blog.example.org/cpp/?p=1412"
    assert first.title == "What ten years of city partnerships taught us about peer learning"
    assert first.url.startswith("https://blog.example.org/cpp/2026/11/ten-years-of-peer-learning/")
    assert first.authors == ("Aiko Tanaka",)
    assert first.published == datetime(2026, 11, 16, 2, 10, 44, tzinfo=UTC)
    assert first.published_precision == "datetime"
    assert first.categories == ("Peer learning", "Yokohama")
    assert first.language == "en-US"
    assert "<strong>a named counterpart</strong>" in first.content_html
    # A relative link in content:encoded is resolved against the feed's location.
    waste = items[3]
    assert waste.media[0].url.endswith("eco-town-slides.pdf")
    assert waste.media[0].mime == "application/pdf"
    assert waste.media[0].length == 482113


def test_youtube_atom_becomes_videos(
    write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    ctx = make_context(write_config(_source_toml("yt", str(DEMO_FEEDS / "tdlc-videos.atom"))))
    items = _parse(ctx, "yt")
    assert len(items) == 8
    video = items[0]
    assert video.id == "yt:Dm0TddA01xQ"
    assert video.kind == "video"
    assert video.url == "https://www.youtube.com/watch?v=Dm0TddA01xQ"
    assert video.thumbnail == "https://i1.ytimg.com/vi/Dm0TddA01xQ/hqdefault.jpg"
    assert "light rail and bus corridors" in video.summary
    assert video.media == ()  # the dead Flash player URL is not an enclosure
    assert video.updated == datetime(2026, 11, 12, 1, 2, 3, tzinfo=UTC)
    assert dict(video.extra)["video_id"] == "Dm0TddA01xQ"


def test_a_video_id_with_an_attribute_fails_nothing(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Found by the fuzzer: feedparser gives ``<yt:videoId href="x">abc</yt:videoId>`` as a
    mapping of its attributes, and the source failed with a TypeError (a video id added to
    an address). Such an id is none: the entry is read by its link."""
    atom = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"'
        ' xmlns:yt="http://www.youtube.com/xml/schemas/2015"><title>t</title>'
        "<id>yt:channel:x</id><updated>2026-11-26T00:00:00Z</updated><entry>"
        '<id>yt:video:abc</id><yt:videoId href="x">abc</yt:videoId><title>Drill</title>'
        '<link rel="alternate" href="https://www.youtube.com/watch?v=abc"/>'
        "<published>2026-11-26T00:00:00Z</published></entry></feed>"
    )
    [video] = _parse_document(tmp_path, write_config, make_context, "videos.atom", atom)
    assert video.url == "https://www.youtube.com/watch?v=abc"
    assert video.title == "Drill"


VIMEO_ITEM = (
    "<item><title>Toyama light rail: ten years on</title>"
    "<pubDate>Thu, 26 Nov 2026 09:00:00 -0500</pubDate><link>{link}</link>"
    "<dc:creator><![CDATA[City Lab]]></dc:creator><description><![CDATA["
    '<p><a href="{link}"><img src="https://i.vimeocdn.com/video/1954567890-d_200x150?r=pad"'
    ' alt="" /></a></p><p><p class="first">A ride along the tram with its planners.</p></p>'
    "{credits}]]></description>"
    '<guid isPermaLink="false">tag:vimeo,2026-11-26:clip1034567890</guid><media:content>'
    '<media:player url="https://player.vimeo.com/video/1034567890"/>'
    '<media:thumbnail height="540" width="960"'
    ' url="https://i.vimeocdn.com/video/1954567890-d_960x540?r=pad"/></media:content></item>'
)
VIMEO_CREDITS = (
    '<p><strong>Cast:</strong> <a href="https://vimeo.com/citylab">City Lab</a></p>'
    '<p><strong>Tags:</strong> <a href="https://vimeo.com/tag:toyama">toyama</a> and '
    '<a href="https://vimeo.com/tag:light+rail">light rail</a></p>'
)


@pytest.mark.parametrize(
    ("link", "credits", "kept", "categories"),
    [
        ("https://vimeo.com/1034567890", VIMEO_CREDITS, "", ("toyama", "light rail")),
        # the same words at a site of another kind are its own
        (
            "https://theatre.example.org/1",
            VIMEO_CREDITS,
            " Cast: City Lab Tags: toyama and light rail",
            (),
        ),
        # a bold "Cast:" with the author's words after it is theirs
        (
            "https://vimeo.com/1034567890",
            VIMEO_CREDITS[:80] + "<p>After.</p>",
            " Cast: City Lab After.",
            (),
        ),
    ],
)
def test_a_vimeo_video_is_a_video_without_vimeos_credits(
    write_config: Callable[..., Path],
    make_context: MakeContext,
    tmp_path: Path,
    link: str,
    credits: str,
    kept: str,
    categories: tuple[str, ...],
) -> None:
    """Vimeo's feeds end every video's description with who is in it and its tags
    (``<p><strong>Cast:</strong> …</p><p><strong>Tags:</strong> …</p>``): the words came
    into every summary. They go, the tags are its categories (the topics read them), and
    an entry with a ``media:player`` (Vimeo's, PeerTube's) is a video, not an article."""
    rss = rss_channel(VIMEO_ITEM.format(link=link, credits=credits)).replace(
        '<rss version="2.0">',
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:media="http://search.yahoo.com/mrss/">',
    )
    [video] = _parse_document(tmp_path, write_config, make_context, "vimeo.rss", rss)
    assert video.kind == "video"
    assert video.thumbnail == "https://i.vimeocdn.com/video/1954567890-d_960x540?r=pad"
    assert video.categories == categories
    item = normalise(video, Rules(), NOW)
    assert item.summary == "A ride along the tram with its planners." + kept
    assert item.content_html.endswith("A ride along the tram with its planners.</p>") == (not kept)


FLICKR = """<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:flickr="urn:flickr:user">
<title>Uploads from City Lab</title>
<link rel="alternate" type="text/html" href="https://www.flickr.com/photos/citylab/"/>
<id>tag:flickr.com,2005:/photos/public/1234567</id><updated>2026-11-26T01:00:00Z</updated>
<entry><title>Flood drill in Kobe</title>
<link rel="alternate" type="text/html" href="{link}"/>
<id>tag:flickr.com,2005:/photo/54123456789</id>
<published>2026-11-26T01:00:00Z</published><updated>2026-11-26T01:00:00Z</updated>
<content type="html">&lt;p&gt;&lt;a href=&quot;https://www.flickr.com/people/citylab/&quot;&gt;City
Lab&lt;/a&gt; posted a photo:&lt;/p&gt;

&lt;p&gt;&lt;a href=&quot;{link}&quot; title=&quot;Flood drill&quot;&gt;&lt;img
src=&quot;https://live.staticflickr.com/65535/54123456789_0a1b2c3d4e_m.jpg&quot;
width=&quot;240&quot; height=&quot;160&quot; alt=&quot;Flood drill&quot; /&gt;&lt;/a&gt;&lt;/p&gt;

&lt;p&gt;Residents practise their evacuation.&lt;/p&gt;</content>
<author><name>City Lab</name><uri>https://www.flickr.com/people/citylab/</uri></author>
<link rel="enclosure" type="image/jpeg"
 href="https://live.staticflickr.com/65535/54123456789_0a1b2c3d4e_b.jpg" />
</entry></feed>"""


@pytest.mark.parametrize(
    ("link", "summary"),
    [
        ("https://www.flickr.com/photos/citylab/54123456789/",
         "Residents practise their evacuation."),
        # the same words elsewhere are the author's
        ("https://photos.example.org/54123456789/",
         "City Lab posted a photo: Residents practise their evacuation."),
    ],
)  # fmt: skip
def test_flickrs_line_of_who_posted_a_photo_leaves_its_summary(
    write_config: Callable[..., Path],
    make_context: MakeContext,
    tmp_path: Path,
    link: str,
    summary: str,
) -> None:
    """Flickr's feeds begin every photo's text with who posted it ("City Lab posted a
    photo:"): it was the start of every summary. It goes; the photo, the large one as its
    thumbnail, stays."""
    document = FLICKR.format(link=link)
    [photo] = _parse_document(tmp_path, write_config, make_context, "flickr.atom", document)
    item = normalise(photo, Rules(), NOW)
    assert item.summary == summary
    assert item.thumbnail == "https://live.staticflickr.com/65535/54123456789_0a1b2c3d4e_b.jpg"
    assert "54123456789_0a1b2c3d4e_m.jpg" in item.content_html


@pytest.mark.parametrize(
    ("title", "text", "shown"),
    [
        ("IMG_4521", "Residents practise their evacuation.", "Residents practise their evacuation"),
        ("DSC01234.JPG", "Residents practise their evacuation.",
         "Residents practise their evacuation"),
        ("PXL_20261126_101500123", "避難訓練の様子です。", "避難訓練の様子です。"),
        ("(Untitled)", "Residents practise their evacuation.",
         "Residents practise their evacuation"),
        ("無題", "避難訓練の様子です。", "避難訓練の様子です。"),
        # nothing else to title it by: the placeholder stays
        ("IMG_4521", "", "IMG_4521"),
        # a title that only begins so is one
        ("IMG_4521 and the drill", "Residents practise.", "IMG_4521 and the drill"),
        ("Untitled spaces of Kobe", "Residents practise.", "Untitled spaces of Kobe"),
    ],
)  # fmt: skip
def test_a_title_that_stands_for_none_gives_way_to_the_text(
    write_config: Callable[..., Path],
    make_context: MakeContext,
    tmp_path: Path,
    title: str,
    text: str,
    shown: str,
) -> None:
    """A photo or a video its uploader left untitled keeps its camera's file name as
    its title on Flickr and YouTube ("IMG_4521"), and Ghost titles a post without one
    "(Untitled)": each item was titled so in every feed and page. The start of its text
    titles it, as for an entry without a title; with no text, the name stays."""
    document = FLICKR.format(link="https://www.flickr.com/photos/citylab/54123456789/")
    document = document.replace("<title>Flood drill in Kobe</title>", f"<title>{title}</title>")
    # Flickr writes the photo's title as its picture's alt too
    document = document.replace("alt=&quot;Flood drill&quot;", f"alt=&quot;{title}&quot;")
    said = "&lt;p&gt;Residents practise their evacuation.&lt;/p&gt;"
    document = document.replace(said, f"&lt;p&gt;{text}&lt;/p&gt;" if text else "")
    [photo] = _parse_document(tmp_path, write_config, make_context, "flickr.atom", document)
    item = normalise(photo, Rules(), NOW)
    assert item.title == shown
    # the photo, a link to its page (the entry's), is no "Continue reading" link
    assert "54123456789_0a1b2c3d4e_m.jpg" in item.content_html


GOOGLE_NEWS_ITEM = (
    "<item><title>How Toyama rebuilt itself around a tram line - The Japan Times</title>"
    "<link>https://news.google.com/rss/articles/CBMiWkFVX3lx?oc=5</link>"
    '<guid isPermaLink="false">CBMiWkFVX3lx</guid>'
    "<pubDate>Thu, 26 Nov 2026 08:00:00 GMT</pubDate><description>&lt;a href="
    '"https://news.google.com/rss/articles/CBMiWkFVX3lx?oc=5" target="_blank"&gt;How Toyama'
    " rebuilt itself around a tram line&lt;/a&gt;&amp;nbsp;&amp;nbsp;&lt;font color="
    '"#6f6f6f"&gt;The Japan Times&lt;/font&gt;</description>'
    '<source url="https://www.japantimes.co.jp">The Japan Times</source></item>'
)


def test_a_google_news_article_has_its_own_title_and_its_publisher_as_author(
    write_config: Callable[..., Path], make_context: MakeContext, tmp_path: Path
) -> None:
    """Google News writes each article's title with " - " and its publisher, and as its
    description the title again and the publisher: the pages and the digest showed the
    title twice, and the article from the publisher's own feed (its title without the
    publisher) was another story. The title is the article's own now, the description
    that says nothing more is none, and the publisher (its ``<source>``) is its author;
    a title whose end is no ``<source>`` keeps it."""
    other = GOOGLE_NEWS_ITEM.replace("CBMiWkFVX3lx", "CBMiOther").replace(
        "tram line - The Japan Times</title>", "tram line - a visit</title>"
    )
    document = rss_channel(GOOGLE_NEWS_ITEM + other)
    parsed = _parse_document(tmp_path, write_config, make_context, "news.rss", document)
    article, kept = (normalise(item, Rules(), NOW) for item in parsed)
    assert article.title == "How Toyama rebuilt itself around a tram line"
    assert (article.summary, article.content_html) == ("", "")
    assert article.authors == ("The Japan Times",)
    own = draft(title=article.title, url="https://www.japantimes.co.jp/news/2026/11/26/tram/")
    own = replace(own, published=article.published, published_precision="datetime")
    assert story_keys(article) & story_keys(normalise(own, Rules(), NOW))  # one story
    assert kept.title == "How Toyama rebuilt itself around a tram line - a visit"


@pytest.mark.parametrize(
    ("written", "published"),
    [
        ("aiko@city.example.technology (Aiko Tanaka)", ("Aiko Tanaka",)),
        ("Aiko Tanaka &lt;aiko@example.international&gt;", ("Aiko Tanaka",)),
        ("Simon Ito (mailto:simon@city.example.jp)", ("Simon Ito",)),
        ("info@yokohama.international", ()),
        ("aiko@city.kobe.lg.jp (Aiko Tanaka)", ("Aiko Tanaka",)),
    ],
)
def test_an_rss_author_is_read_whole_whatever_its_address_ends_with(
    write_config: Callable[..., Path],
    make_context: MakeContext,
    tmp_path: Path,
    written: str,
    published: tuple[str, ...],
) -> None:
    """RSS writes an author as an address and a name (``aiko@x.jp (Aiko Tanaka)``), and
    feedparser's reading of the address ends at four letters of its last label: from
    ``info@yokohama.international`` its author was "rnational", from ``… (Jonas)`` at
    ``.industries`` "stries (Jonas" (feed-rs's test feeds), and ``(mailto:…)`` left
    "Simon Ito (mailto:". The author is read from what the feed wrote."""
    item = (
        "<item><title>T</title><link>https://x.example.org/a</link>"
        f"<author>{written}</author></item>"
    )
    document = rss_channel(item)
    (parsed,) = _parse_document(tmp_path, write_config, make_context, "a.rss", document)
    assert normalise(parsed, Rules(), NOW).authors == published


def test_a_feed_read_from_a_file_resolves_its_links_at_its_own_address(
    write_config: Callable[..., Path], make_context: MakeContext, tmp_path: Path
) -> None:
    """GitHub's release feeds link each entry from the root of the site
    (``href="/kobe-city/app/releases/tag/v1"``), as other Atom feeds do (feed-rs's and
    rss-parser's test feeds): read over HTTP they resolve at the feed's address, but a
    copy read from a file had none, and every entry was dropped for having no link.
    A file's feed is read at the address it names itself at (its ``rel="self"``)."""
    document = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Releases'
        '</title><id>tag:x,2026:r</id><link rel="self" href="https://code.example.org/'
        'kobe-city/app/releases.atom"/><updated>2026-11-26T00:00:00Z</updated><entry>'
        "<id>tag:x,2026:v1</id><title>v1</title><updated>2026-11-26T00:00:00Z</updated>"
        '<link rel="alternate" type="text/html" href="/kobe-city/app/releases/tag/v1"/>'
        '<content type="html">&lt;img src="shot.png" alt="The map"&gt;</content></entry>'
        "</feed>"
    )
    (parsed,) = _parse_document(tmp_path, write_config, make_context, "r.atom", document)
    item = normalise(parsed, Rules(), NOW)
    assert item.url == "https://code.example.org/kobe-city/app/releases/tag/v1"
    assert 'src="https://code.example.org/kobe-city/app/shot.png"' in item.content_html


def test_a_json_feed_after_a_byte_order_mark_is_read_as_json(
    write_config: Callable[..., Path], make_context: MakeContext, tmp_path: Path
) -> None:
    """A JSON Feed saved with a byte-order mark (as Windows editors write one) and served
    without its media type was read as XML, and failed ("not an RSS, RDF or Atom
    feed"): its first byte after the mark tells it is JSON."""
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "City Lab",
        "items": [{"id": "1", "url": "https://x.example.org/a", "title": "Flood drill"}],
    }
    path = tmp_path / "feed.txt"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(feed).encode())
    ctx = make_context(write_config(_source_toml("src", str(path))))
    assert [item.title for item in _parse(ctx, "src")] == ["Flood drill"]


def test_a_json_feed_with_values_of_the_wrong_type_fails_only_where_it_must(
    write_config: Callable[..., Path], make_context: MakeContext, tmp_path: Path
) -> None:
    """An item's ``attachments`` that is a number (``"attachments": 0``, as a generator
    writes a count where a list belongs) failed the whole feed with Python's own words
    ("TypeError: 'int' object is not iterable"), every other item lost with it. That
    item keeps its text and its link now. A feed whose ``items`` is no list fails,
    saying so; a ``feed_url`` that is no address is not taken for the base of links."""
    feed: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "City Lab",
        "feed_url": ["https://x.example.org/feed.json"],
        "home_page_url": "https://x.example.org/lab/",
        "items": [
            {"id": "1", "url": "drill", "title": "Flood drill", "attachments": 0},
            {"id": "2", "url": "https://x.example.org/b", "title": "Toolkit", "attachments": True},
        ],
    }
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed), encoding="utf-8")
    ctx = make_context(write_config(_source_toml("src", str(path))))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    assert sorted((s.item.title, s.item.url) for s in stored.values()) == [
        ("Flood drill", "https://x.example.org/lab/drill"),
        ("Toolkit", "https://x.example.org/b"),
    ]
    feed["items"] = 2
    path.write_text(json.dumps(feed), encoding="utf-8")
    os.utime(path, (time.time() + 10, time.time() + 10))  # a newer file: read again
    report, _ = run_one(ctx)
    assert report.status == "failed"
    assert "is a JSON Feed whose items are no list (int)" in (report.error or "")


def test_an_entry_dated_with_an_offset_no_zone_has_fails_nothing(
    write_config: Callable[..., Path], make_context: MakeContext, tmp_path: Path
) -> None:
    """``<updated>2026-11-26T10:00:00+25:00</updated>`` failed the whole feed ("unexpected
    error: ValueError: offset must be a timedelta strictly between …"): that entry is
    read undated now, the others as they are."""
    entries = "".join(
        f"<entry><title>{title}</title><id>urn:x:{n}</id><link href='https://x.example.org/{n}'/>"
        f"<updated>{updated}</updated></entry>"
        for n, (title, updated) in enumerate(
            [("Flood drill", "2026-11-26T10:00:00+25:00"), ("Toolkit", "2026-11-25T10:00:00+09:00")]
        )
    )
    path = tmp_path / "feed.atom"
    path.write_text(
        "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Lab</title>"
        f"<id>urn:x</id><updated>2026-11-26T10:00:00Z</updated>{entries}</feed>",
        encoding="utf-8",
    )
    ctx = make_context(write_config(_source_toml("src", str(path))))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    dated = {s.item.title: s.item.published for s in stored.values()}
    assert dated["Toolkit"] == datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    assert "Flood drill" in dated


def test_rdf_dates_keep_their_precision(
    write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    ctx = make_context(write_config(_source_toml("toyama", str(DEMO_FEEDS / "toyama-city.rdf"))))
    items = {i.title: i for i in _parse(ctx, "toyama")}
    assert len(items) == 8
    timed = items["コンパクトなまちづくり 令和8年度の取り組みを公開しました"]
    assert timed.published == datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # 10:00 JST
    assert timed.published_precision == "datetime"
    dated = items["路面電車の南北接続 利用者数の推移"]
    assert dated.published == datetime(2026, 11, 5, tzinfo=UTC)
    assert dated.published_precision == "day"
    assert dated.categories == ("交通",)
    assert dated.language == "ja"


def test_http_feed_uses_conditional_get(
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
    store: Store,
) -> None:
    body = (DEMO_FEEDS / "tdlc-blog.rss").read_bytes()
    seen: list[dict[str, str]] = []

    def handler(request: Request) -> Response:
        seen.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(body, headers={"ETag": '"v1"', "Content-Type": "application/rss+xml"})

    server.expect_request("/feed").respond_with_handler(handler)
    ctx = make_context(write_config(_source_toml("blog", server.url_for("/feed"))))
    config = ctx.settings.source("blog")
    first = run_source(ctx, config, store)
    assert (first.status, first.new) == ("ok", 10)
    second = run_source(ctx, config, store)
    assert second.status == "not_modified"
    assert seen[1]["If-None-Match"] == '"v1"'
    assert "tdlc-syndication" in seen[0]["User-Agent"]
    assert len(store.items("blog")) == 10


def test_relative_links_and_entities(
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
) -> None:
    feed = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>t</title><link>/</link><description>d</description>
<item><title>Caf&#233; &amp; planning</title><link>/news/1.html?a=1&amp;b=2</link>
<guid isPermaLink="false">n1</guid>
<description>&lt;p&gt;See &lt;a href="/x"&gt;x&lt;/a&gt;&lt;/p&gt;</description></item>
</channel></rss>"""
    server.expect_request("/city/feed.xml").respond_with_data(feed, content_type="text/xml")
    ctx = make_context(write_config(_source_toml("city", server.url_for("/city/feed.xml"))))
    (item,) = _parse(ctx, "city")
    assert item.title == "Café & planning"
    assert item.url == server.url_for("/news/1.html?a=1&b=2")
    assert f'href="{server.url_for("/x")}"' in item.content_html


def test_a_line_break_word_wrote_parts_the_words_it_stood_between(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Word's line break (U+000B, its Shift+Enter), as a city's feed carries a title
    pasted from a document: XML forbids it and it was dropped, joining the words on each
    side ("Kobedrill"). It is a space, as a form feed is."""
    feed = rss_channel(
        "<item><title>Kobe\x0bdisaster drill</title><link>https://x.example.org/1</link>"
        "<description>Line one\x0cline two</description></item>"
    ).encode()
    server.expect_request("/feed.xml").respond_with_data(feed, content_type="text/xml")
    ctx = make_context(write_config(_source_toml("city", server.url_for("/feed.xml"))))
    _, stored = run_one(ctx, "city")
    (item,) = (s.item for s in stored.values())
    assert (item.title, item.summary) == ("Kobe disaster drill", "Line one line two")


def test_shift_jis_feed_without_any_declaration(
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
) -> None:
    text = (DEMO_FEEDS / "toyama-city.rdf").read_text("utf-8")
    text = text.replace('<?xml version="1.0" encoding="UTF-8"?>', "")
    server.expect_request("/rss.rdf").respond_with_data(
        text.encode("cp932"), content_type="application/xml"
    )
    ctx = make_context(write_config(_source_toml("sjis", server.url_for("/rss.rdf"))))
    titles = [i.title for i in _parse(ctx, "sjis")]
    assert "防災訓練の実施について（11月）" in titles
    assert len(titles) == 8


def test_wrong_declared_charset_is_not_trusted(
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
) -> None:
    text = (DEMO_FEEDS / "toyama-city.rdf").read_text("utf-8")
    server.expect_request("/rss.rdf").respond_with_data(
        text.encode("utf-8"), content_type="application/xml; charset=iso-8859-1"
    )
    ctx = make_context(write_config(_source_toml("wrong", server.url_for("/rss.rdf"))))
    titles = [i.title for i in _parse(ctx, "wrong")]
    # Latin-1 would decode these bytes without error but into mojibake; the HTTP label is
    # tried first only if it yields text that looks right.
    assert "防災訓練の実施について（11月）" in titles


def test_max_items_per_fetch(write_config: Callable[..., Path], make_context: MakeContext) -> None:
    path = str(DEMO_FEEDS / "tdlc-blog.rss")
    ctx = make_context(write_config(_source_toml("blog", path, "max_items = 3")))
    assert [i.title[:20] for i in _parse(ctx, "blog")] == [
        "What ten years of ci",
        "Compact city plannin",
        "Disaster risk manage",
    ]


def _run_json_feed(
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
    items: list[dict[str, Any]],
    version: str = "https://jsonfeed.org/version/1.1",
) -> tuple[RunReport, dict[str, StoredItem]]:
    """Serve a JSON Feed of ``items`` and run a feed source on it: its report and items."""
    feed = {"version": version, "title": "Notes", "items": items}
    server.expect_request("/feed.json").respond_with_json(feed)
    ctx = make_context(write_config(source_toml("feed", f'url = "{server.url_for("/feed.json")}"')))
    return run_one(ctx)


def test_a_json_feed_item_with_only_its_id_or_its_update_is_kept(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """JSON Feed's id is "ideally the full URL of the resource": an item with such an id
    and no url was dropped (no-link). An item with only ``date_modified`` was undated,
    where an RSS or Atom entry with only its update is dated by it, and so was one whose
    date is not RFC 3339 (``25/11/2026 10:00``), which an RSS entry's reading reads."""
    items: list[dict[str, Any]] = [
        {"id": "https://notes.example.org/visit", "title": "Visit", "content_text": "x",
         "date_published": "2026-11-26T10:00:00Z"},
        {"id": "n2", "url": "https://notes.example.org/n2", "title": "Updated only",
         "content_text": "y", "date_modified": "2026-11-27T10:00:00+09:00"},
        {"id": "n3", "url": "https://notes.example.org/n3", "title": "Day first",
         "content_text": "z", "date_published": "25/11/2026 10:00", "language": "vi"},
    ]  # fmt: skip
    report, stored = _run_json_feed(
        server, write_config, make_context, items, "https://jsonfeed.org/version/1"
    )
    assert (report.new, report.notes) == (3, {})
    assert stored["src:https://notes.example.org/visit"].item.url == (
        "https://notes.example.org/visit"
    )
    assert stored["src:n2"].item.published == datetime(2026, 11, 27, 1, tzinfo=UTC)
    assert stored["src:n3"].item.published == datetime(2026, 11, 25, 1, tzinfo=UTC)  # JST


def test_a_json_feed_items_plain_text_keeps_its_lines_and_links(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A JSON Feed item with ``content_text`` only (as Micro.blog and many a script write
    it) had no content: its lines ran into one summary and its links were text. Its text
    is laid out as written now (paragraphs, line breaks, links, ``<`` as text); one line
    gives no content, as before."""
    items: list[dict[str, Any]] = [
        {"id": "n1", "url": "https://notes.example.org/n1", "title": "Visit",
         "content_text": "Kitakyushu today.\n\nPhotos <3 at https://notes.example.org/p"
                         "\nmore soon", "date_published": "2026-11-26T10:00:00Z"},
        {"id": "n2", "url": "https://notes.example.org/n2", "title": "One line",
         "content_text": "Only this.", "date_published": "2026-11-26T10:00:00Z"},
    ]  # fmt: skip
    _, stored = _run_json_feed(
        server, write_config, make_context, items, "https://jsonfeed.org/version/1.1"
    )
    laid_out = stored["src:n1"].item.content_html
    assert laid_out.startswith("<p>Kitakyushu today.</p>\n<p>Photos &lt;3 at <a href=")
    assert 'href="https://notes.example.org/p"' in laid_out
    assert "<br>" in laid_out
    assert stored["src:n2"].item.content_html == ""


def test_a_json_feed_items_attached_picture_is_its_thumbnail(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """An item that gives its picture only as an attachment had no thumbnail, as an RSS
    entry's image enclosure had none; ``image`` still comes first."""
    items: list[dict[str, Any]] = [
        {"id": "n1", "url": "https://notes.example.org/n1", "title": "Visit",
         "content_text": "x", "date_published": "2026-11-26T10:00:00Z",
         "attachments": [{"url": "/n1.pdf", "mime_type": "application/pdf"},
                         {"url": "/n1.jpg", "mime_type": "image/jpeg"}]},
        {"id": "n2", "url": "https://notes.example.org/n2", "title": "Port",
         "content_text": "y", "date_published": "2026-11-26T10:00:00Z",
         "image": "/n2-cover.png",
         "attachments": [{"url": "/n2.jpg", "mime_type": "image/jpeg"}]},
    ]  # fmt: skip
    _, stored = _run_json_feed(
        server, write_config, make_context, items, "https://jsonfeed.org/version/1.1"
    )
    assert stored["src:n1"].item.thumbnail == server.url_for("/n1.jpg")
    assert stored["src:n2"].item.thumbnail == server.url_for("/n2-cover.png")


def test_a_json_feed_items_tags_in_one_string_are_its_tags(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Some generators write an item's ``tags`` as one string, separated by commas (as a
    stored capture of a real blog's feed has it); each of its letters became a tag: "w",
    "o", "r", "k"... An address that is no string is no link."""
    items: list[dict[str, Any]] = [
        {"id": "n1", "url": "https://notes.example.org/n1", "title": "Visit",
         "content_text": "x", "date_published": "2026-11-26T10:00:00Z",
         "tags": "compact city, transit,"},
        {"id": "n2", "url": "https://notes.example.org/n2", "title": "Port",
         "content_text": "y", "date_published": "2026-11-26T10:00:00Z", "tags": ""},
        {"id": "n4", "url": "https://notes.example.org/n4", "title": "Locusts",
         "content_text": "w", "date_published": "2026-11-26T10:00:00Z",
         "tags": ["Wissen,Heuschrecken", "Arts, Culture"]},
        {"id": "https://notes.example.org/n3", "url": {"href": "/n3"}, "title": "Dam",
         "content_text": "z", "date_published": "2026-11-26T10:00:00Z"},
    ]  # fmt: skip
    _, stored = _run_json_feed(
        server, write_config, make_context, items, "https://jsonfeed.org/version/1"
    )
    assert stored["src:n1"].item.categories == ("compact city", "transit")
    assert stored["src:n2"].item.categories == ()
    # a list's keyword list is read as a feed's category is
    assert stored["src:n4"].item.categories == ("Wissen", "Heuschrecken", "Arts, Culture")
    assert stored["src:https://notes.example.org/n3"].item.url == "https://notes.example.org/n3"


def test_json_feed_input(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    server.expect_request("/feed.json").respond_with_data(
        (DATA / "feed" / "jsonfeed.json").read_bytes(), content_type="application/feed+json"
    )
    ctx = make_context(write_config(source_toml("feed", f'url = "{server.url_for("/feed.json")}"')))
    report, stored = run_one(ctx)
    # Two entries under one id, at two links: two items, each known by its link.
    assert (report.new, report.notes) == (3, {"shared-id": 2})
    assert stored["src:https://notes.example.org/duplicate"].item.title == "Duplicate id"
    note = stored["src:note-7"].item
    assert note.url == "https://notes.example.org/2026/11/kitakyushu-eco-town"
    assert note.published == datetime(2026, 11, 12, 0, 0, tzinfo=UTC)
    assert note.authors == ("Maria Santos",)
    assert note.categories == ("Solid waste", "Kitakyushu")
    assert note.thumbnail == "https://notes.example.org/img/eco.jpg"
    assert note.media[0].length == 20480
    assert note.media[0].title == "Slides"
    assert "onerror" not in note.content_html
    port = stored["src:https://elsewhere.example.org/yokohama"].item
    assert port.url == "https://elsewhere.example.org/yokohama"
    assert port.authors == ("Notes team",)  # the feed's authors
    assert port.summary == "Shore power and retrofits."


def test_youtube_shorts_are_published_at_their_watch_address(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    atom = (DATA / "feed" / "youtube.atom").read_text("utf-8")
    shorts = atom.replace(
        "https://www.youtube.com/watch?v=Dm0TddA02kb", "https://www.youtube.com/shorts/Dm0TddA02kb"
    )
    path = tmp_path / "shorts.atom"
    path.write_text(shorts, encoding="utf-8")
    ctx = make_context(write_config(_source_toml("videos", str(path))))
    _, stored = run_one(ctx, "videos")
    urls = {dict(s.item.extra).get("video_id"): s.item.url for s in stored.values()}
    assert urls["Dm0TddA02kb"] == "https://www.youtube.com/watch?v=Dm0TddA02kb"


@pytest.mark.parametrize(
    "link",
    [
        "https://www.youtube.com/shorts/Dm0TddA02kb",
        "https://youtu.be/Dm0TddA02kb",
        "https://m.youtube.com/shorts/Dm0TddA02kb?feature=share",
        "https://www.youtube.com/live/Dm0TddA02kb",
    ],
)
def test_every_form_of_a_video_link_becomes_the_watch_address(link: str) -> None:
    item = normalise(draft(url=link), Rules(), NOW)
    assert item.url == "https://www.youtube.com/watch?v=Dm0TddA02kb"


def test_a_link_with_an_unbalanced_bracket_in_its_host_counts_as_no_link(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    # Found by the fuzzer: urljoin raises on "//[host". Such a link is no link: an entry
    # without one is dropped with a note, a broken image is left out (the content's first
    # picture stands in), the rest is kept.
    feed = json.loads((DATA / "feed" / "jsonfeed.json").read_text("utf-8"))
    feed["items"][0]["image"] = "http://[broken/img.jpg"
    feed["items"][1]["external_url"] = "//[notes.example.org/broken"
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed), encoding="utf-8")
    ctx = make_context(write_config(source_toml("feed", f'path = "{path}"')))
    report, stored = run_one(ctx)
    assert (report.status, report.new, report.dropped) == ("ok", 2, 1)
    assert report.notes == {"no-link": 1}  # the other entry of its id is the only one left
    kept = stored["src:note-7"]
    assert kept.item.url == "https://notes.example.org/2026/11/kitakyushu-eco-town"
    assert kept.item.thumbnail == "https://notes.example.org/2026/11/x"
    assert stored["src:note-6"].item.title == "Duplicate id"


def test_rss_1_0_notices_at_anchors_of_one_page_are_each_an_entry(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """City sites' RSS 1.0 feeds of notices on one page, each at its anchor
    (``rdf:about="…/news.html#20261126"``): links lost their fragments, so every notice
    had the same link and all but one were hidden as one story's duplicates."""
    items = "".join(
        f'<item rdf:about="https://city.example.jp/news.html#{day}"><title>{title}</title>'
        f"<link>https://city.example.jp/news.html#{day}</link>"
        f"<dc:date>2026-11-{day[-2:]}T10:00:00+09:00</dc:date></item>"
        for day, title in (("20261126", "防災訓練のお知らせ"), ("20261125", "ごみ収集日程の変更"))
    )
    rdf = (
        '<?xml version="1.0" encoding="UTF-8"?><rdf:RDF xmlns="http://purl.org/rss/1.0/"'
        ' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<channel rdf:about="https://city.example.jp/news.html"><title>新着情報</title>'
        "<link>https://city.example.jp/news.html</link><description>お知らせ</description>"
        f"</channel>{items}</rdf:RDF>"
    )
    path = tmp_path / "news.rdf"
    path.write_text(rdf, encoding="utf-8")
    ctx = make_context(write_config(source_toml("feed", f'path = "{path}"\n')))
    report, stored = run_one(ctx)
    assert report.new == 2
    assert sorted(s.item.url for s in stored.values()) == [
        "https://city.example.jp/news.html#20261125",
        "https://city.example.jp/news.html#20261126",
    ]
    assert all(s.duplicate_of is None for s in stored.values())


def _rss(entries: list[tuple[str, str, str]]) -> str:
    items = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        f"<guid isPermaLink='false'>{guid}</guid>"
        f"<pubDate>Mon, 0{n + 1} Nov 2026 09:00:00 +0900</pubDate></item>"
        for n, (guid, link, title) in enumerate(entries)
    )
    return rss_channel(items, "City news", "https://city.example.org/")


def test_entries_that_share_one_guid_are_each_an_item(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A city's feed gave every entry the same ``<guid>``: the run kept the first entry
    and lost the others without a word (dropped 0). Each is an item now, known by its
    link, or by its title and date where the link is shared too; an entry given twice
    is still one item, and entries with ids of their own keep them."""
    feed = tmp_path / "news.xml"
    entries = [
        ("news", "https://city.example.org/news/1", "Flood drill in Kobe"),
        ("news", "https://city.example.org/news/2", "Compact city forum"),
        ("news", "https://city.example.org/top", "Bus routes change"),
        ("news", "https://city.example.org/top", "Library hours"),
        ("news", "https://city.example.org/news/1", "Flood drill in Kobe"),  # given twice
        ("own-5", "https://city.example.org/news/5", "Recycling week"),
    ]
    feed.write_text(_rss(entries), encoding="utf-8")
    ctx = make_context(write_config(source_toml("feed", f'path = "{feed}"')))
    report, stored = run_one(ctx)
    assert (report.new, report.dropped) == (5, 0)
    assert report.notes == {"shared-id": 5, "duplicate-in-fetch": 1}
    titles = {item_id: s.item.title for item_id, s in stored.items()}
    assert titles["src:https://city.example.org/news/1"] == "Flood drill in Kobe"
    assert titles["src:https://city.example.org/news/2"] == "Compact city forum"
    assert titles["src:own-5"] == "Recycling week"
    hashed = sorted(t for i, t in titles.items() if i.startswith("src:h") and "//" not in i)
    assert hashed == ["Bus routes change", "Library hours"]
    # The same document read again names every item the same way.
    feed.write_text(_rss([*entries, ("own-6", "https://city.example.org/news/6", "New")]))
    report, again = run_one(ctx)
    assert (report.new, report.unchanged) == (1, 5)
    assert set(again) == {*stored, "src:own-6"}


def test_an_item_stored_under_a_shared_guid_keeps_its_id(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Before, the first entry of a shared guid was stored under it: that item keeps its
    id (a reader does not see it twice), and the entries lost then are added."""
    feed = tmp_path / "news.xml"
    feed.write_text(_rss([("news", "https://city.example.org/news/1", "Flood drill")]))
    ctx = make_context(write_config(source_toml("feed", f'path = "{feed}"')))
    run_one(ctx)
    feed.write_text(
        _rss(
            [
                ("news", "https://city.example.org/news/1", "Flood drill"),
                ("news", "https://city.example.org/news/2", "Forum"),
            ]
        )
    )
    report, stored = run_one(ctx)
    assert (report.new, report.unchanged) == (1, 1)
    assert report.notes == {"shared-id": 2, "reissued-id": 1}
    assert {i: s.item.title for i, s in stored.items()} == {
        "src:news": "Flood drill",
        "src:https://city.example.org/news/2": "Forum",
    }


def test_a_long_feed_that_lxml_refuses_is_read_as_far_as_a_run_takes(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Feedparser reads what lxml refuses (here an HTML entity, as WordPress writes) at
    about a millisecond an entry, and read every entry: a 19 MB feed of 100,000 entries
    took 74 s and 435 MB for the 500 a run takes. A long feed is cut after the entries
    the run takes; what it gives is what the whole document gave."""
    entries = "".join(
        f"<item><title>Notice {n}</title><link>https://city.example.org/n/{n}</link>"
        f"<description>&nbsp;Ward office notice {n} {'x' * 400}</description></item>"
        for n in range(3000)
    )
    body = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>City</title>"
        f"<link>https://city.example.org/</link><description>d</description>{entries}"
        "</channel></rss>"
    ).encode()
    assert len(body) > LONG_FEED
    cut = first_entries(body, 10)
    assert cut.endswith(b"</item>")
    assert cut.count(b"</item>") == 10
    assert first_entries(body, 3000) == body  # nothing follows the last entry
    assert first_entries(body[:5000], 1) == body[:5000]  # a short feed is read whole
    # An article quoting </item> in a CDATA section or a comment: no entry ends there.
    quoting = body.replace(b"Notice 5</title>", b"Notice 5</title><![CDATA[</item>]]>", 1)
    quoting = quoting.replace(b"Notice 7</title>", b"Notice 7</title><!-- </item> -->", 1)
    ten = first_entries(quoting, 10)
    assert ten.count(b"<item>") == 10
    assert ten.endswith(b"</description></item>")
    assert b"<title>Notice 9</title>" in ten
    path = tmp_path / "long.xml"
    path.write_bytes(body)
    ctx = make_context(write_config(source_toml("feed", f'path = "{path}"\nmax_items = 10')))
    report, stored = run_one(ctx)
    whole = feedparser.parse(body).entries[:10]
    assert report.new == 10
    assert sorted(s.item.url for s in stored.values()) == sorted(e.link for e in whole)
    summaries = {s.item.url: s.item.summary for s in stored.values()}
    assert summaries[whole[3].link].startswith("Ward office notice 3 ")


TOMBSTONE = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:at="http://purl.org/atompub/tombstones/1.0" xmlns="http://www.w3.org/2005/Atom">
 <at:deleted-entry ref="yt:video:{video}" when="2026-11-27T03:00:00+00:00">
  <link href="https://www.youtube.com/watch?v={video}"/>
  <at:by><name>City Learning Videos</name></at:by>
 </at:deleted-entry>
</feed>
"""


def test_a_tombstone_withdraws_its_entry_as_youtubes_hub_sends_it(
    tmp_path: Path, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """RFC 6721: a YouTube video deleted or made private comes as a document holding only
    its tombstone (no channel id, no entry); its item leaves the outputs, the others stay.
    An Atom feed's own tombstone names the entry by its atom:id."""
    path = tmp_path / "videos.atom"
    path.write_text((DATA / "feed" / "youtube.atom").read_text("utf-8"), encoding="utf-8")
    ctx = make_context(write_config(_source_toml("videos", str(path))))
    _, stored = run_one(ctx, "videos")
    assert stored["videos:Dm0TddA01xQ"].retracted is None
    path.write_text(TOMBSTONE.format(video="Dm0TddA01xQ"), encoding="utf-8")
    report, stored = run_one(ctx, "videos")
    assert report.retracted == 1
    assert stored["videos:Dm0TddA01xQ"].retracted == "deleted at the origin (the feed's tombstone)"
    assert [k for k, s in stored.items() if s.retracted] == ["videos:Dm0TddA01xQ"]
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:t="http://purl.org/atompub/tombstones/1.0">'
        "<title>Notes</title><id>urn:notes</id><updated>2026-11-27T00:00:00Z</updated>"
        '<t:deleted-entry ref="urn:note:1" when="2026-11-27T00:00:00Z"/>'
        "<entry><id>urn:note:2</id><title>Kept</title><updated>2026-11-20T00:00:00Z</updated>"
        '<link href="https://n.example/2"/></entry></feed>'
    )
    notes = tmp_path / "notes.atom"
    notes.write_text(atom, encoding="utf-8")
    ctx = make_context(write_config(_source_toml("notes", str(notes))))
    source = build_source(ctx.settings.source("notes"), ctx.http, ctx.clock)
    [fetched] = source.fetch(FetchState())
    parsed = list(source.parse(fetched))
    assert [type(p).__name__ for p in parsed] == ["Item", "Retraction"]
    assert isinstance(parsed[1], Retraction)
    assert parsed[1].id == "notes:urn:note:1"


def _dated_rss(dates: list[str], head: str = "") -> str:
    """An RSS document of one entry per date (titled T0, T1, ...), ``head`` in its channel."""
    items = "".join(
        f"<item><title>T{n}</title><link>https://x.example.org/{n}</link>"
        f"<pubDate>{when}</pubDate></item>"
        for n, when in enumerate(dates)
    )
    return rss_channel(head + items)


def test_entries_without_a_title_show_the_start_of_their_text(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """RSS 2.0 and JSON Feed let an entry go without a title, and the feeds of a city's
    Mastodon or Bluesky account, or a microblog, never give one: every entry was dropped
    (no-title), so such a source published nothing. Its title is now the start of its
    text, as feed readers show it: the first sentence when it is short, else the first
    100 characters at a word."""
    long = "The flood early-warning drill in Kobe brought together partners from Cebu " * 3
    posts = [
        (
            "1",
            "&lt;p&gt;Toyama explained its compact city plan to a delegation. More soon.&lt;/p&gt;",
        ),
        ("2", "富山市のコンパクトシティ政策を、本日視察団に説明しました。詳しくは市のサイトへ。"),
        ("3", long),
        ("4", ""),  # nothing to show: still no item
    ]
    items = "".join(
        f"<item><link>https://social.example.org/@city/{n}</link>"
        f"<description>{text}</description></item>"
        for n, text in posts
    )
    rss = rss_channel(items, "City", "https://social.example.org/@city")
    server.expect_request("/rss").respond_with_data(rss, content_type="application/rss+xml")
    json_feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Microblog",
        "items": [
            {
                "id": "m1",
                "url": "https://micro.example.org/m1",
                "content_text": "Site visit to Kitakyushu today! Photos to follow.",
            }
        ],
    }
    server.expect_request("/feed.json").respond_with_json(json_feed)
    config = source_toml("feed", f'url = "{server.url_for("/rss")}"', "rss")
    config += source_toml("feed", f'url = "{server.url_for("/feed.json")}"', "micro")
    ctx = make_context(write_config(config))
    report, stored = run_one(ctx, "rss")
    assert report.notes == {"no-title": 1}
    titles = {s.item.url.rsplit("/", 1)[1]: s.item.title for s in stored.values()}
    assert titles["1"] == "Toyama explained its compact city plan to a delegation"
    assert titles["2"] == "富山市のコンパクトシティ政策を、本日視察団に説明しました"
    assert titles["3"].endswith("…")
    assert long.startswith(titles["3"][:-1])
    assert len(titles["3"]) <= 100
    _, micro = run_one(ctx, "micro")
    assert [s.item.title for s in micro.values()] == ["Site visit to Kitakyushu today!"]


def test_a_photo_posted_without_words_is_titled_by_its_pictures_text(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A photo posted with no title and no words (Tumblr's photo posts, a hand-drawn
    blog's) was dropped as no-title, though its picture says what it shows in its
    ``alt``. That titles it; a picture's file name, "Posted by Picasa" or a picture
    without one titles nothing, and such an entry is still dropped. Found in
    speedparser's corpus of feeds read from the web (69 such entries)."""
    pictures = [
        ("1", '<p><img src="/p/1.jpg" alt="Residents at the Kobe flood drill"></p>'),
        ("2", '<img src="/p/2.jpg" alt="IMG_5364"><img src="/p/2b.jpg" alt="Tram in Toyama">'),
        ("3", '<img src="/p/3.jpg" alt="Posted by Picasa">'),
        ("4", '<img src="/p/1297684899019671.png" alt="1297684899019671.png">'),
        ("5", '<img src="/p/5.jpg">'),
    ]
    items = "".join(
        f"<item><title></title><link>https://photos.example.org/post/{n}</link>"
        f"<description>{escape(markup)}</description></item>"
        for n, markup in pictures
    )
    rss = rss_channel(items, "Photos", "https://photos.example.org/")
    server.expect_request("/rss").respond_with_data(rss, content_type="application/rss+xml")
    ctx = make_context(write_config(source_toml("feed", f'url = "{server.url_for("/rss")}"')))
    report, stored = run_one(ctx)
    assert report.notes == {"no-title": 3}
    titles = {s.item.url.rsplit("/", 1)[1]: s.item.title for s in stored.values()}
    assert titles == {"1": "Residents at the Kobe flood drill", "2": "Tram in Toyama"}


def test_a_feed_dated_with_gmt_and_an_offset_keeps_its_zone(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """``GMT+7``, as Vietnamese and Indonesian sites date their feeds, was read as GMT,
    seven hours late; a date with a French month and its offset lost the offset."""
    rss = _dated_rss(["Thu, 26 Nov 2026 14:00:00 GMT+7", "jeu., 26 nov. 2026 10:00:00 +0100"])
    server.expect_request("/rss").respond_with_data(rss, content_type="application/rss+xml")
    ctx = make_context(write_config(source_toml("feed", f'url = "{server.url_for("/rss")}"')))
    _, stored = run_one(ctx)
    published = {s.item.title: s.item.published for s in stored.values()}
    assert published == {
        "T0": datetime(2026, 11, 26, 7, tzinfo=UTC),
        "T1": datetime(2026, 11, 26, 9, tzinfo=UTC),
    }


def test_a_date_in_numbers_is_read_in_the_feeds_language(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A Vietnamese or Indonesian site's feed dates its entries day first, in numbers
    (``T5, 26/11/2026 10:00:00 GMT+7``): every entry was undated. And feedparser read
    ``26-11-2026 10:00`` as 2026-11-20 (a two-digit year, 26, and what follows): a wrong
    date, not none. A feed in Vietnamese is read day first now; in English, which does
    not say, such a date is one only where it is a day one way alone (26/11)."""
    dates = ["T5, 26/11/2026 10:00:00 GMT+7", "26-11-2026 10:00", "26.11.2026"]
    either_way = ["05/11/2026 10:00:00 GMT+7", "05-11-2026 10:00", "05.11.2026"]
    config = ""
    for language in ("vi", "en"):
        written = dates if language == "vi" else either_way + dates[2:]
        rss = _dated_rss(written, f"<language>{language}</language>")
        server.expect_request(f"/{language}").respond_with_data(
            rss, content_type="application/rss+xml"
        )
        location = f'url = "{server.url_for(f"/{language}")}"\ntimezone = "Asia/Ho_Chi_Minh"'
        config += source_toml("feed", location, language)
    ctx = make_context(write_config(config))
    _, vietnamese = run_one(ctx, "vi")
    assert {s.item.title: s.item.published for s in vietnamese.values()} == {
        "T0": datetime(2026, 11, 26, 3, tzinfo=UTC),
        "T1": datetime(2026, 11, 26, 3, tzinfo=UTC),  # 10:00 in the source's zone
        "T2": datetime(2026, 11, 26, tzinfo=UTC),
    }
    _, english = run_one(ctx, "en")
    assert {s.item.title: s.item.published for s in english.values()} == {
        "T0": None,
        "T1": None,
        "T2": None,
        "T3": datetime(2026, 11, 26, tzinfo=UTC),
    }


@pytest.mark.parametrize("twice", [False, True])
def test_a_feed_still_in_gzip_after_the_transfer_is_read(
    twice: bool,
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
) -> None:
    """A server that compresses twice (PHP's zlib.output_compression under the web
    server's own, a known WordPress fault) or serves a .xml.gz as the feed: the body was
    gzip bytes after the transfer's decoding, and the source failed as "not a feed"."""
    rss = rss_channel("<item><title>Zipped</title><link>https://x.example.org/1</link></item>")
    zipped = gzip.compress(rss.encode())
    body = gzip.compress(zipped) if twice else zipped
    headers = {"Content-Encoding": "gzip"} if twice else {}
    server.expect_request("/feed").respond_with_data(
        body, content_type="application/rss+xml", headers=headers
    )
    ctx = make_context(write_config(source_toml("feed", f'url = "{server.url_for("/feed")}"')))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    assert [s.item.title for s in stored.values()] == ["Zipped"]
