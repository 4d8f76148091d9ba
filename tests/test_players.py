"""A video or an audio an origin's HTML plays (``<video>``, ``<audio>``) is a link to its
file in the published content: the cleaning keeps no player, so the file was lost and the
player's words for old browsers were published."""

from __future__ import annotations

import pytest
from tests_support import NOW, draft

from tdlc_syndication.pipeline.normalise import Rules, normalise
from tdlc_syndication.pipeline.players import players_as_links
from tdlc_syndication.pipeline.sanitise import sanitise_html

BASE = "https://x.example.org/2026/11/drill/"


@pytest.mark.parametrize(
    ("markup", "published"),
    [
        # WordPress's video block, as its feeds write it
        ('<figure class="wp-block-video"><video controls src="/wp-content/uploads/2026/11/'
         'flood%20drill.mp4"></video><figcaption>The drill</figcaption></figure>',
         '<figure><a href="https://x.example.org/wp-content/uploads/2026/11/flood%20drill.mp4"'
         ' rel="noopener noreferrer">flood drill.mp4</a><figcaption>The drill</figcaption>'
         "</figure>"),
        # and its audio block
        ('<figure class="wp-block-audio"><audio controls src="https://x.example.org/talk.mp3">'
         "</audio></figure>",
         '<figure><a href="https://x.example.org/talk.mp3" rel="noopener noreferrer">talk.mp3'
         "</a></figure>"),
        # its sources, its poster and its title; the words for old browsers go
        ('<video controls poster="/poster.jpg" title="Flood drill"><source src="/v.webm" '
         'type="video/webm"><source src="/v.mp4">Your browser does not support video.</video>',
         '<a href="https://x.example.org/v.webm" rel="noopener noreferrer"><img src="https://'
         'x.example.org/poster.jpg" alt="Flood drill"></a>'),
        # no file a reader can follow: nothing
        ('<video src="javascript:alert(1)"></video><audio src="blob:https://x/1"></audio>'
         "<video>Your browser does not support video.</video><p>Body.</p>", "<p>Body.</p>"),
    ],
)  # fmt: skip
def test_a_player_is_a_link_to_its_file(markup: str, published: str) -> None:
    assert sanitise_html(players_as_links(markup), BASE) == published


def test_a_post_with_a_video_block_keeps_its_video() -> None:
    content = (
        '<p>Kobe drilled.</p><figure class="wp-block-video"><video controls src="https://'
        'x.example.org/drill.mp4"></video></figure>'
    )
    item = normalise(draft(url=BASE, content_html=content), Rules(), NOW)
    assert 'href="https://x.example.org/drill.mp4"' in item.content_html
    assert item.summary == "Kobe drilled. drill.mp4"


def test_markup_without_a_player_is_as_it_was() -> None:
    markup = "<p>A <b>video</b> of the drill.</p>"
    assert players_as_links(markup) is markup


def test_a_wordpress_file_blocks_button_is_not_its_second_link() -> None:
    """WordPress's file block links its file twice, by name and by a "Download" button:
    the content showed "Compact city toolkitDownload", and so did every summary made of
    it. The file is linked once, by its name; a link of the author's stays."""
    pdf = "https://x.example.org/wp-content/uploads/2026/11/toolkit.pdf"
    block = (
        f'<div class="wp-block-file"><object class="wp-block-file__embed" data="{pdf}" type='
        '"application/pdf" style="width:100%;height:600px" aria-label="Embed of Compact city'
        f' toolkit."></object><a id="wp-block-file--media-5c1e" href="{pdf}">Compact city '
        f'toolkit</a><a href="{pdf}" class="wp-block-file__button wp-element-button" download '
        'aria-describedby="wp-block-file--media-5c1e">Download</a></div>'
        f'<p><a href="{pdf}" class="button">Download the toolkit</a></p>'
    )
    for summary in ("", block):  # no description, or one that is the content
        item = normalise(draft(summary=summary, content_html=block, url=BASE), Rules(), NOW)
        assert item.summary == "Compact city toolkit Download the toolkit"
        assert item.content_html.count(f'href="{pdf}"') == 2
        assert ">Download<" not in item.content_html
    player = "<video>Your browser does not support video.</video><p>Body.</p>"
    assert normalise(draft(summary=player, content_html=player), Rules(), NOW).summary == "Body."


def _instagram(said: str, shared: str, permalink: bool = True) -> str:
    """Instagram's embed code, its boxes and icon trimmed to their shape."""
    post = "https://www.instagram.com/p/C0abc123/?utm_source=ig_embed&amp;utm_campaign=loading"
    mark = f' data-instgrm-permalink="{post}"' if permalink else ""
    return (
        f'<blockquote class="instagram-media" data-instgrm-captioned{mark} '
        'data-instgrm-version="14" style="background:#FFF; max-width:540px;">'
        f'<div style="padding:16px;"> <a href="{post}" style="line-height:0;" '
        'target="_blank"> <div style="display: flex;"> <div style="height: 40px; '
        'width: 40px;"></div></div><div style="padding: 19% 0;"></div><div><svg '
        'width="50px" viewBox="0 0 60 60"><path d="M0"></path></svg></div><div style="'
        f'padding-top: 8px;"> <div style="color:#3897f0;">{said}</div></div></a>'
        f'<p style="margin-top:8px;"><a href="{post}" style="color:#c9c8cd;" '
        f'target="_blank">{shared}</a></p></div></blockquote>'
        '<script async src="//www.instagram.com/embed.js"></script>'
    )


@pytest.mark.parametrize(
    ("said", "shared", "permalink"),
    [
        ("View this post on Instagram", "A post shared by Kobe City (@kobecity)", True),
        ("この投稿をInstagramで見る", "神戸市(@kobecity)がシェアした投稿", True),
        ("View this post on Instagram", "A post shared by Kobe City (@kobecity)", False),
    ],
)
def test_an_instagram_post_a_page_embeds_is_a_link_to_it(
    said: str, shared: str, permalink: bool
) -> None:
    """Without Instagram's script, its embed was boxes of empty <div>s, "View this post on
    Instagram" and "A post shared by …" in the content, and both in every summary made of
    it. It is one link to the post, named as the embed names it."""
    content = f"<p>Kobe drilled.</p>{_instagram(said, shared, permalink)}<p>Three hundred came.</p>"
    item = normalise(draft(summary="", content_html=content), Rules(), NOW)
    assert item.content_html == (
        f'<p>Kobe drilled.</p><p><a href="https://www.instagram.com/p/C0abc123/" '
        f'rel="noopener noreferrer">{shared}</a></p><p>Three hundred came.</p>'
    )
    assert said not in item.summary
    assert item.summary == f"Kobe drilled. {shared} Three hundred came."


def test_an_instagram_embed_with_no_address_leaves_nothing() -> None:
    """An embed that names no post (its links taken out) leaves nothing of itself."""
    content = '<p>Kobe drilled.</p><blockquote class="instagram-media"><div></div></blockquote>'
    item = normalise(draft(summary="", content_html=content), Rules(), NOW)
    assert item.content_html == "<p>Kobe drilled.</p>"


def test_a_tiktok_video_a_page_embeds_is_a_link_to_it_named_by_its_caption() -> None:
    """TikTok's embed names its video only in its blockquote's ``cite``, which the
    cleaning drops: the content kept the caption and a link to the account, and the
    video was lost. It is one link to the video, its caption without the account or the
    sound's credit; an embed of an account, not a video, stays as it was."""
    video = "https://www.tiktok.com/@kobecity/video/7295627671319383328"
    embed = (
        f'<blockquote class="tiktok-embed" cite="{video}" data-video-id="7295627671319383328" '
        'data-embed-from="oembed" style="max-width:605px;"> <section> <a target="_blank" '
        'title="@kobecity" href="https://www.tiktok.com/@kobecity?refer=embed">@kobecity</a> '
        '<p>神戸の夜景 <a title="神戸" href="https://www.tiktok.com/tag/%E7%A5%9E%E6%88%B8?refer='
        'embed">#神戸</a> <a title="♬ オリジナル楽曲 - 神戸市" href="https://www.tiktok.com/music/x'
        '-7295627?refer=embed">♬ オリジナル楽曲 - 神戸市</a></p> </section> </blockquote>'
        '<script async src="https://www.tiktok.com/embed.js"></script>'
    )
    item = normalise(draft(summary="", content_html=f"<p>Kobe at night.</p>{embed}"), Rules(), NOW)
    assert item.content_html == (
        f'<p>Kobe at night.</p><p><a href="{video}" rel="noopener noreferrer">神戸の夜景 #神戸</a>'
        "</p>"
    )
    assert item.summary == "Kobe at night. 神戸の夜景 #神戸"
    account = embed.replace(f'cite="{video}"', 'cite="https://www.tiktok.com/@kobecity"')
    kept = normalise(draft(summary="", content_html=account), Rules(), NOW)
    assert kept.content_html.startswith("<blockquote> <section> <a ")


def test_a_note_link_card_is_a_link_named_by_the_pages_title() -> None:
    """note.com writes a link a post makes to a page as a card (a stored capture of
    note.com's feed: ``<figure embedded-service="external-article">``, the page's title in
    ``<strong>``, the start of its text and its host in ``<em>``); the cleaning ran the
    parts into one another, and the linked page's words into the post's summary. It is
    one link to the page, named by its title; a card with no address stays as it was."""
    page = "https://www.bunpaku.or.jp/exhi_special_post/20230923-1112/"
    card = (
        f'<figure name="2970" id="2970" data-src="{page}" data-identifier="null" '
        'embedded-service="external-article" embedded-content-key="emb6a929ac55bbe"> <a '
        f'href="{page}" rel="nofollow noopener" target="_blank"><strong>もしも猫展 - 京都府京都'
        "文化博物館</strong><em>基本情報 展示構成と主な出品作品 会期 2023年9月</em><em>www."
        f'bunpaku.or.jp</em></a><a href="{page}" rel="nofollow noopener" target="_blank"></a>'
        " </figure>"
    )
    text = "<p>京都文化博物館で「もしも猫展」を見てきました。</p>"
    item = normalise(draft(summary="", content_html=text + card), Rules(), NOW)
    assert item.content_html == (
        f'{text}<p><a href="{page}" rel="noopener noreferrer">もしも猫展 - 京都府京都文化博物館'
        "</a></p>"
    )
    assert (
        item.summary
        == "京都文化博物館で「もしも猫展」を見てきました。 もしも猫展 - 京都府京都文化博物館"
    )
    bare = card.replace(f'data-src="{page}"', "").replace(f'href="{page}"', "")
    kept = normalise(draft(summary="", content_html=bare), Rules(), NOW)
    assert "基本情報" in kept.content_html
