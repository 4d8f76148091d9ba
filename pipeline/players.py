"""A video or an audio an origin's HTML plays in its page (``<video>``, ``<audio>``, as
WordPress's video and audio blocks write them) as a link to its file: the cleaning
keeps no player, so the file was lost from the content, and the player's words for
browsers without one ("Your browser does not support video.") were published instead.

And WordPress's file block as its one link: it links the file twice, by its name and by
a button (``<a href=FILE>Compact city toolkit</a><a href=FILE class="wp-block-file__button"
download>Download</a>``), which the cleaning left run into the name, in the content and
in every summary made of it ("Compact city toolkitDownload").

And an Instagram post a page embeds (``<blockquote class="instagram-media">``, as
WordPress's embed block and Instagram's own code write it) as a link to the post: a
script draws the post; without it, the cleaning left its boxes of empty ``<div>`` elements,
"View this post on Instagram" (「この投稿をInstagramで見る」) and "A post shared by Kobe
City (@kobecity)", both links to the post, which came into every summary. A TikTok video
(``<blockquote class="tiktok-embed" cite=VIDEO>``) as a link to the video too: the
cleaning kept its caption and the link to the account, not the video's address.

And note.com's card for a page or a note a post links (``<figure
embedded-service="external-article">``: the page's title in ``<strong>``, the start of its
text and its host in ``<em>``, all one link) as a link named by the title: the cleaning
kept the card's parts run into one another, the linked page's words in the post's
summary (「もしも猫展 - 京都府京都文化博物館基本情報 展示構成と…会期 2023年9月www.bunpaku.or.jp」).
"""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import unquote

from tdlc_syndication.pipeline.elements import TAG_REST, attributes, replaced
from tdlc_syndication.pipeline.uris import split_url

# A player's start tag and its first <source> (see elements.TAG_REST).
_PLAYER = re.compile(rf"<(video|audio)\b({TAG_REST})>", re.I)
_ENDS = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("video", "audio")}
_SOURCE = re.compile(rf"<source\b({TAG_REST})>", re.I)


# The file block's button: a link of its class, with its words alone in it.
_FILE_BUTTON = re.compile(
    r"<a\b[^<>]*?\bclass=\"[^\"<>]*\bwp-block-file__button\b[^\"<>]*\""
    + TAG_REST
    + r">[^<]*</a\s*>",
    re.I,
)


def without_file_buttons(markup: str) -> str:
    """``markup`` without the button of each WordPress file block (see the module)."""
    if "wp-block-file__button" not in markup:  # one look: most contents have none
        return markup
    return _FILE_BUTTON.sub("", markup)


def players_as_links(markup: str) -> str:
    """``markup`` with each ``<video>`` and ``<audio>`` a link to its file (its ``src``,
    else its first ``<source>``), named by its ``title`` or the file's name, a video's
    poster as the link's picture; one with no file is taken out, its words for old
    browsers with it. One never closed is left to the cleaning (read in one pass:
    :mod:`~tdlc_syndication.pipeline.elements`)."""
    if "<video" not in markup and "<audio" not in markup:
        return markup  # one look: most contents play nothing
    return replaced(markup, _PLAYER, _ENDS, _as_link)


def _as_link(start: re.Match[str], inside: str) -> str:
    said = attributes(start[2])
    source = said.get("src", "").strip()
    if not source:
        first = _SOURCE.search(inside)
        source = attributes(first[1]).get("src", "").strip() if first else ""
    parts = split_url(source) if source else None
    if parts is None or parts.scheme.lower() not in ("", "http", "https"):
        return ""  # none, or a data:, blob: or javascript: address no reader can follow
    name = said.get("title", "").strip() or unquote(parts.path.rstrip("/").rpartition("/")[2])
    name = name or source
    poster = said.get("poster", "").strip() if start[1].lower() == "video" else ""
    shown = (
        f'<img src="{html_lib.escape(poster)}" alt="{html_lib.escape(name)}">'
        if poster
        else html_lib.escape(name, quote=False)
    )
    return f'<a href="{html_lib.escape(source)}">{shown}</a>'


# Instagram's embed (see the module): its blockquote, and a link with words alone in it.
def _embed_quote(name: str) -> re.Pattern[str]:
    """The start of an embed's blockquote marked with the class ``name``."""
    return re.compile(rf"<(blockquote)\b(?=[^<>]*\b{name}\b)({TAG_REST})>", re.I)


_INSTAGRAM = _embed_quote("instagram-media")
_BLOCKQUOTE_END = {"blockquote": re.compile(r"</blockquote\s*>", re.I)}
_WORDS_LINK = re.compile(rf"<a\b({TAG_REST})>([^<]*)</a\s*>", re.I)


# TikTok's: its blockquote, the video's address in its cite, and its words' parts: the
# account first, the sound's credit (♬) last.
_TIKTOK = _embed_quote("tiktok-embed")
_TIKTOK_VIDEO = re.compile(r"https://www\.tiktok\.com/@[\w.-]+/(?:video|photo)/\d+")
_TAG_OR_SOUND = re.compile(r"<a\b[^<>]*>\s*♬[^<]*</a\s*>|<[^<>]*>", re.I)


# note.com's link card (see the module): its figure, and its title's <strong>.
_NOTE_CARD = re.compile(
    rf"<(figure)\b(?=[^<>]*\bembedded-service=\"(?:external-article|note)\")({TAG_REST})>", re.I
)
_FIGURE_END = {"figure": re.compile(r"</figure\s*>", re.I)}
_STRONG = re.compile(r"<strong\b[^<>]*>([^<]*)</strong\s*>", re.I)


def embedded_posts_as_links(markup: str) -> str:
    """``markup`` with each Instagram post it embeds a paragraph of one link to the
    post, named as the embed names it ("A post shared by …"), else "Instagram"; each
    TikTok video a paragraph of one link to the video (the cleaning keeps no ``cite``:
    only the link to the account was left), named by its caption; and each note.com
    link card a paragraph of one link to its page, named by the page's title."""
    if "instagram-media" in markup:  # one look each: most contents embed none
        markup = replaced(markup, _INSTAGRAM, _BLOCKQUOTE_END, _instagram_link)
    if "tiktok-embed" in markup:
        markup = replaced(markup, _TIKTOK, _BLOCKQUOTE_END, _tiktok_link)
    if "embedded-service=" in markup:
        markup = replaced(markup, _NOTE_CARD, _FIGURE_END, _note_card_link)
    return markup


def _note_card_link(start: re.Match[str], inside: str) -> str:
    links = [attributes(found[1]).get("href", "") for found in _WORDS_LINK.finditer(inside)]
    address = attributes(start[2]).get("data-src", "").strip()
    address = address or next((href.strip() for href in links if href.strip()), "")
    if not address:
        return start[0] + inside + "</figure>"
    title = _STRONG.search(inside)
    name = " ".join(html_lib.unescape(title[1]).split()) if title else ""
    return _paragraph_link(address, name or address)


def _tiktok_link(start: re.Match[str], inside: str) -> str:
    cite = attributes(start[2]).get("cite", "").strip()
    video = _TIKTOK_VIDEO.match(cite)
    if video is None:
        return start[0] + inside + "</blockquote>"  # an account's, not a video's
    words = " ".join(html_lib.unescape(_TAG_OR_SOUND.sub(" ", inside)).split())
    account = words.split(" ", 1)[0] if words.startswith("@") else ""
    caption = words[len(account) :].strip() or account or "TikTok"
    return _paragraph_link(video[0], caption)


def _instagram_link(start: re.Match[str], inside: str) -> str:
    links = [
        (attributes(found[1]).get("href", ""), found[2]) for found in _WORDS_LINK.finditer(inside)
    ]
    address = attributes(start[2]).get("data-instgrm-permalink", "").strip()
    address = address or next((href.strip() for href, _ in links if href.strip()), "")
    if not address:
        return ""
    named = [html_lib.unescape(words).strip() for _, words in links]
    name = next((words for words in reversed(named) if words), "Instagram")
    return _paragraph_link(address, name)


def _paragraph_link(address: str, name: str) -> str:
    """A paragraph of one link to ``address``, named ``name`` (text, escaped here)."""
    return f'<p><a href="{html_lib.escape(address)}">{html_lib.escape(name, quote=False)}</a></p>'
