"""The pictures of an item's HTML: WordPress's emoji and smilies read as the characters they
stand for, and the first picture of a content as the item's thumbnail where its source
names none."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests_support import NOW, draft, feed_file_source, rss_channel

from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.normalise import Rules, normalise
from tdlc_syndication.pipeline.pictures import characters_for_pictures, first_picture_in
from tdlc_syndication.pipeline.publish import publish
from tdlc_syndication.pipeline.run import run_sources

# As WordPress writes an emoji into its feeds (wp_staticize_emoji) and a smiley anywhere.
TRAM = (
    '<img src="https://s.w.org/images/core/emoji/16.0.1/72x72/1f68b.png" alt="🚋"'
    ' class="wp-smiley" style="height: 1em; max-height: 1em;" />'
)
SMILE = (
    '<img src="https://blog.example.org/wp-includes/images/smilies/simple-smile.png" alt=":)"'
    ' class="wp-smiley" style="height: 1em; max-height: 1em;" />'
)
PHOTO = (
    '<img src="https://blog.example.org/wp-content/uploads/2026/11/tram.jpg" alt="The tram"'
    ' width="1024" height="683" />'
)


@pytest.mark.parametrize(
    ("markup", "read"),
    [
        (f"<p>We rode the tram {TRAM} today {SMILE}</p>", "<p>We rode the tram 🚋 today :)</p>"),
        # as WordPress's script leaves a page (an SVG), and a class among others
        (
            '<p>Go <img draggable="false" role="img" class="emoji" alt="👍"'
            ' src="https://s.w.org/images/core/emoji/16.0.1/svg/1f44d.svg"></p>',
            "<p>Go 👍</p>",
        ),
        ("<p>A <img class='big wp-smiley' alt='&lt;3' src=/s.gif></p>", "<p>A &lt;3</p>"),
        # an emoji file under another class (a theme's own) is one all the same
        ('<img alt="🌊" src="https://s.w.org/images/core/emoji/15.0.3/72x72/1f30a.png">', "🌊"),
        # a ">" inside an attribute ends no tag; no alt is no character
        ('<img alt="a > b" class="emoji" src="e.png">!', "a &gt; b!"),
        ('<img class="wp-smiley" src="e.png">!', "!"),
        # pictures of anything else stay pictures
        (PHOTO, PHOTO),
        (
            '<img src="/emoji-guide.png" alt="The guide">',
            '<img src="/emoji-guide.png" alt="The guide">',
        ),
    ],
)
def test_a_picture_that_stands_for_a_character_is_that_character(markup: str, read: str) -> None:
    assert characters_for_pictures(markup) == read


def test_a_wordpress_entry_reads_its_emoji_as_text_and_its_photo_as_its_thumbnail() -> None:
    """WordPress writes each emoji of a post into its feed as a 72-pixel picture sized to the
    line by a style no cleaned copy keeps: the pages and the readers showed a picture five
    lines high in the middle of a sentence, and the summary lost the emoji. And its feeds
    give a post's photo only in its content: the item had no thumbnail, the cards of the
    site and the digest no picture."""
    item = draft(
        summary=f"We rode the tram {TRAM} today {SMILE}",
        content_html=f"<p>We rode the tram {TRAM} today {SMILE}</p><p>{PHOTO}</p>",
    )
    out = normalise(item, Rules(), NOW)
    assert out.summary == "We rode the tram 🚋 today :)"
    assert "s.w.org" not in out.content_html
    assert "smilies" not in out.content_html
    assert out.content_html.startswith("<p>We rode the tram 🚋 today :)</p>")
    assert out.thumbnail == "https://blog.example.org/wp-content/uploads/2026/11/tram.jpg"


def test_the_thumbnail_a_source_names_comes_before_its_contents_picture() -> None:
    item = draft(thumbnail="https://x.example.org/featured.jpg", content_html=f"<p>{PHOTO}</p>")
    assert normalise(item, Rules(), NOW).thumbnail == "https://x.example.org/featured.jpg"
    assert normalise(draft(content_html="<p>No pictures.</p>"), Rules(), NOW).thumbnail is None
    broken = draft(thumbnail="javascript:alert(1)", content_html=f"<p>{PHOTO}</p>")
    assert normalise(broken, Rules(), NOW).thumbnail == (
        "https://blog.example.org/wp-content/uploads/2026/11/tram.jpg"
    )


@pytest.mark.parametrize(
    ("content", "picture"),
    [
        # an icon, a badge or a button says it is small: the picture after it is taken
        (
            '<p><img src="/pdf.png" width="16" height="16"> <img src="/a.jpg"></p>',
            "https://x.example.org/a.jpg",
        ),
        (
            '<img src="/badge.png" width="88px" height="31px"><img src="/b.jpg" width="640">',
            "https://x.example.org/b.jpg",
        ),
        # a share of the width says nothing of its size
        ('<img src="/c.jpg" width="50%">', "https://x.example.org/c.jpg"),
        # an author's avatar is no picture of the post
        (
            '<img src="https://0.gravatar.com/avatar/ab12?s=96" width="96">'
            '<img src="/d.jpg?w=1024&amp;h=683">',
            "https://x.example.org/d.jpg?w=1024&h=683",
        ),
        ('<p><img src="/only-icon.png" width="24"></p>', None),
        # an empty source or a fragment names the item's own page, no picture
        ('<p>Text.</p><img src="" alt="">', None),
        ('<img src=" "><img src="#top"><img src="/e.jpg">', "https://x.example.org/e.jpg"),
        ('<p><img src="mailto:x@example.org"></p>', None),
        # a municipal page's PDF icon and the Acrobat Reader banner, no size given
        (
            '<p><img src="/shared/images/icon/pdf_icon.gif" alt="PDF"></p>'
            '<img src="/shared/images/get_adobe_reader.png" alt="Adobe Acrobat Reader">'
            '<img src="/uploads/logo_mark.svg"><img src="/uploads/iconic-bridge.jpg">',
            "https://x.example.org/uploads/iconic-bridge.jpg",
        ),
        # a link card's favicon (Ghost's bookmark card), a municipal ico_ file
        (
            '<a href="https://example.org/report"><img src="https://example.org/favicon.ico">'
            '<img src="/common/img/ico_new.gif"><img src="https://example.org/og.jpg"></a>',
            "https://example.org/og.jpg",
        ),
    ],
)
def test_the_contents_first_picture_that_can_stand_for_the_item(
    content: str, picture: str | None
) -> None:
    assert normalise(draft(content_html=content), Rules(), NOW).thumbnail == picture


def test_first_picture_in_reads_the_cleaners_markup() -> None:
    assert first_picture_in("<p>None here.</p>") is None
    assert first_picture_in('<img alt="x" src="https://x.example.org/a.jpg">') == (
        "https://x.example.org/a.jpg"
    )


def test_a_wordpress_feed_publishes_its_emoji_as_text_and_its_photo_as_a_thumbnail(
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
) -> None:
    item = (
        "<item><title>Tram day</title><link>https://blog.example.org/tram/</link>"
        "<guid>https://blog.example.org/?p=7</guid>"
        "<pubDate>Thu, 26 Nov 2026 09:00:00 +0000</pubDate>"
        f"<description><![CDATA[We rode the tram {TRAM} today]]></description>"
        f"<content:encoded><![CDATA[<p>We rode the tram {TRAM} today</p><p>{PHOTO}</p>]]>"
        "</content:encoded></item>"
    )
    rss = rss_channel(item, link="https://blog.example.org/").replace(
        '<rss version="2.0">',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
    )
    ctx = make_context(write_config(feed_file_source(tmp_path, "blog", rss)))
    run_sources(ctx, ctx.settings.sources)
    with ctx.open_store() as store:
        publish(ctx, store)
    feeds = ctx.settings.site.output_dir / "feeds"
    rss_out = (feeds / "all.rss").read_text("utf-8")
    assert "s.w.org" not in rss_out
    assert "We rode the tram 🚋 today" in rss_out
    assert (
        '<media:thumbnail url="https://blog.example.org/wp-content/uploads/2026/11/tram.jpg"'
        in (rss_out)
    )
    page = (ctx.settings.site.output_dir / "index.html").read_text("utf-8")
    assert "https://blog.example.org/wp-content/uploads/2026/11/tram.jpg" in page
