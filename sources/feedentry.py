"""What the parts of one feed entry say, as feedparser (or the fast path, alike) lists
them: its own address (FeedBurner's original, a related link, its first file), its
authors, its files and thumbnail, and a title for an entry that has none."""

from __future__ import annotations

import html
import re
from typing import Any

from tdlc_syndication.pipeline.elements import attributes
from tdlc_syndication.pipeline.model import Media, MediaRole, title_key
from tdlc_syndication.pipeline.pictures import ANY_IMAGE, is_avatar
from tdlc_syndication.pipeline.text import count_of, plain_text, shorten, visible
from tdlc_syndication.sources.common import is_web_address
from tdlc_syndication.sources.thumbnails import shown_thumbnail


def original_link(entry: Any) -> str | None:
    """The address FeedBurner gives as an entry's own (``feedburner:origLink``), where its
    ``link`` is FeedBurner's redirect through ``feedproxy.google.com``: the page itself, as
    Miniflux and CommaFeed take it. None when there is none, or it is no web address."""
    original = str(entry.get("feedburner_origlink") or "").strip()
    return original if is_web_address(original) else None


def enclosed_link(media: tuple[Media, ...]) -> str | None:
    """For an entry without a link, its first file (a podcast's episode, as Buzzsprout's
    feeds give it; a municipal feed's PDF): what the entry is, as Miniflux links it."""
    for file in media:
        if file.role == "enclosure" and is_web_address(file.url):
            return file.url
    return None


def records(entry: Any, key: str) -> list[Any]:
    """The records feedparser lists under ``key`` (links, authors, tags, media): the
    dictionaries alone. In a damaged feed an element of that name (``<links>`` for
    ``<link>``) gives a string in their place, and each of its letters was read as a
    record: the source failed as this program's fault."""
    value = entry.get(key)
    return [one for one in value if isinstance(one, dict)] if isinstance(value, list) else []


def entry_labels(entry: Any) -> list[str]:
    """An entry's categories, as the words it is filed under: each one's ``term``, or its
    ``label`` where the term is an address, as a system's codes are (Blogger files every
    post under ``http://schemas.google.com/blogger/2008/kind#post``, Google's feeds their
    labels under addresses); one named by an address alone is none. Keywords listed
    in one category, with commas and no spaces, are each a category."""
    labels: list[str] = []
    for tag in records(entry, "tags"):
        term = str(tag.get("term") or "").strip()
        if _CODE.match(term):
            term = str(tag.get("label") or "").strip()
        if term and not _CODE.match(term):
            labels.extend(split_labels(term))
    return labels


def split_labels(term: str) -> list[str]:
    """The categories one label names: itself, or the keywords it lists with commas and
    no spaces (see :data:`_LIST`)."""
    return [part for part in (part.strip() for part in _LIST.split(term)) if part]


# Commas with no space after them: a list of keywords written as one category, as a
# broadcaster's podcast feeds write theirs ("Wissen,Heuschrecken,Ostafrika"); "Arts,
# Culture" is one category's name.
_LIST = re.compile(r",(?=\S)(?!\d{3}(?!\d))")  # (not a thousands' comma: "1,000人")


# An address: a web one, a URN, a tag URI (RFC 4151: ``tag:blog.example.org,2026:port``).
_CODE = re.compile(r"(?:https?://|urn:[a-z\d][a-z\d-]*:|tag:[^\s,:]+,\d{4}[\d-]*:)\S*\Z", re.I)


def summary_type(entry: Any) -> str | None:
    """The type feedparser gives an entry's summary (``text/plain``, ``text/html``)."""
    detail = entry.get("summary_detail")
    return detail.get("type") if isinstance(detail, dict) else None


def related_link(entry: Any) -> str | None:
    """For an Atom entry whose only link is ``rel="related"`` (a link blog's entry names
    the page it is about so), that page: the entry was dropped as no-link."""
    for found in records(entry, "links"):
        href = str(found.get("href") or "")
        if found.get("rel") == "related" and is_web_address(href):
            return href
    return None


# How much of its text an entry without a title shows as one (as Miniflux does).
_UNTITLED = 100


def title_or_text(title: str, *texts: str) -> str:
    """An entry's title; for one without (RSS 2.0 and JSON Feed allow it: the feeds of a
    Mastodon or Bluesky account, a microblog), the start of its first text, as feed
    readers show such an entry. Every such entry was dropped as no-title. A photo posted
    with no words (Tumblr's, a hand-drawn blog's) is titled by its picture's ``alt``, its
    text for who cannot see it; one without was and is dropped. A title that stands for
    none (:data:`_PLACEHOLDER`) is one only where the entry says nothing."""
    if title and not title.isspace() and _PLACEHOLDER.fullmatch(title.strip()) is None:
        return title
    for text in texts:
        words = " ".join(plain_text(text).split())
        if visible(words):
            sentence = _SENTENCE.match(words)
            return sentence.group(0).rstrip("。.") if sentence else shorten(words, _UNTITLED)
    for text in texts:  # a photo posted with no words: its picture's text
        for picture in ANY_IMAGE.finditer(text):
            said = " ".join(html.unescape(attributes(picture[0][4:]).get("alt", "")).split())
            if visible(said) and _PLACEHOLDER.fullmatch(said) is None:
                return shorten(said, _UNTITLED)
    return title


# A title that says nothing: a camera's name for its file, kept as a photo's or a video's
# title where its uploader gave none (Flickr's, YouTube's: "IMG_4521", "DSC01234",
# "PXL_20261126_101500123", "20261126_101500"), a picture's file name, or a system's word
# for a post or a picture without one (Ghost's "(Untitled)", ipernity's "<untitled>", "(no
# title)", 「無題」, Picasa's "Posted by Picasa" under every photo it posts to a blog).
_PLACEHOLDER = re.compile(
    r"(?:IMG|DSC[NF]?|PXL|VID|MVI|GOPR|DJI|SAM|WP)[-_]?\d{3,}(?:[-_]\d+)*"
    r"(?:\.(?:jpe?g|png|heic|mp4|mov))?|P\d{7}|\d{8}[-_]\d{6}"
    r"|[(<\[]?(?:untitled|no title)[)>\]]?|[（(]?(?:無題|タイトルなし)[）)]?"
    r"|Posted by Picasa|[^\s/]+\.(?:jpe?g|png|gif|webp|heic)",
    re.I,
)
# A first sentence short enough to be a title: to its mark (。！？, or .!? and a space).
_SENTENCE = re.compile(rf"^.{{10,{_UNTITLED - 2}}}?(?:[。！？]|[.!?](?=\s|$))")


def entry_authors(entry: Any) -> tuple[str, ...]:
    """An entry's authors' names, each once: its ``author`` records, else its one author,
    else note.com's ``note:creatorName``.

    Where feedparser split one author written with an address (RSS's ``aiko@x.jp (Aiko
    Tanaka)``, ``Name (mailto:…)``), the name is what the feed wrote: its reading of an
    address stops at four letters of the last label (``….international`` left
    "rnational") and keeps ``(mailto:``; normalising takes the address out."""
    names: list[str] = []
    authors = records(entry, "authors")
    written = str(entry.get("author") or "").strip()
    if len(authors) == 1 and "@" in str(authors[0].get("email") or "") and "@" in written:
        return (written,)
    for author in authors:
        name = (author.get("name") or "").strip()
        if name and name not in names:
            names.append(name)
    if not names and entry.get("author"):
        names.append(str(entry["author"]).strip())
    creator = str(entry.get("note_creatorname") or "").strip()  # note.com's own element
    if not names and creator:
        names.append(creator)
    return tuple(names)


def entry_media(entry: Any, feed_url: str = "") -> tuple[tuple[Media, ...], str | None]:
    """An entry's files, and its thumbnail: its ``media:thumbnail``, else a podcast
    episode's ``itunes:image``, else its first image among its files (``<media:content
    medium="image">``, an image ``<enclosure>``), as feed readers show a featured image.
    An author's Gravatar, which WordPress.com lists with every post as ``media:content``,
    is neither; nor is the feed itself (``feed_url``: an Atom file's ``href=""``, as a
    generator writes a file it has none for, resolves to it)."""
    media: list[Media] = []
    urls: set[str] = {feed_url} if feed_url else set()
    for link in records(entry, "links"):
        if link.get("rel") != "enclosure" or is_avatar(str(link.get("href") or "")):
            continue
        if link.get("href") and link["href"] not in urls:
            urls.add(link["href"])
            length = count_of(str(link.get("length") or ""))
            media.append(
                Media(
                    url=link["href"],
                    mime=link.get("type") or None,
                    length=length or None,
                    role="enclosure",
                )
            )
    pictured = None  # the first image among them
    for content in records(entry, "media_content"):
        url = content.get("url")
        # YouTube lists a long-dead Flash player URL as media:content: not a usable file.
        flash = content.get("type") == "application/x-shockwave-flash"
        if flash or is_avatar(str(url)) or (feed_url and url == feed_url):
            continue
        if url and pictured is None and is_image(content.get("type"), content.get("medium")):
            pictured = str(url)
        if url and url not in urls:
            urls.add(url)
            mime = content.get("type") or None
            role: MediaRole = (
                "video"
                if (mime or "").startswith("video") or content.get("medium") == "video"
                else "enclosure"
            )
            size = count_of(str(content.get("filesize") or ""))
            media.append(
                Media(
                    url=url,
                    mime=mime,
                    length=size or None,
                    role=role,
                )
            )
    thumbnail = None
    for thumb in records(entry, "media_thumbnail"):
        if thumb.get("url"):
            thumbnail = shown_thumbnail(thumb["url"])  # not Blogger's 72 pixels
            break
    if thumbnail is None:
        episode = entry.get("image")  # a podcast episode's <itunes:image href>
        art = str(episode.get("href") or "") if isinstance(episode, dict) else ""
        thumbnail = art or pictured or first_picture(media)
    return tuple(media), thumbnail


def first_picture(media: list[Media] | tuple[Media, ...]) -> str | None:
    """The address of the first file of ``media`` whose type is a picture's."""
    return next((m.url for m in media if is_image(m.mime, None)), None)


def is_image(mime: object, medium: object) -> bool:
    """Whether a file is a picture, by its type (``image/jpeg``) or its Media RSS medium."""
    return str(mime or "").startswith("image/") or medium == "image"


def without_publisher(
    entry: Any, title: str, summary: str, content: str
) -> tuple[str, str, str, str]:
    """An aggregator's entry without what it adds to name the publisher, and the
    publisher: Google News writes each article's title with `` - `` and its publisher
    after it (the publisher also its RSS ``<source>``), and as its description only the
    title again, linked, and the publisher. The title is the article's own (so the same
    article from its publisher's feed is one story with it), a description that says no
    more is none, and the publisher is returned to name as its author. Any other entry
    as it is, and no publisher."""
    source = entry.get("source")
    publisher = str(source.get("title") or "").strip() if isinstance(source, dict) else ""
    if not publisher or not title.endswith(f" - {publisher}") or len(title) <= len(publisher) + 3:
        return title, summary, content, ""
    if summary and title_key(plain_text(summary)) == title_key(title):
        content = "" if content == summary else content
        summary = ""
    return title[: -len(publisher) - 3].rstrip(), summary, content, publisher


def own_anchors(markup: str, document: str, link: str) -> str:
    """``markup`` (an entry's summary or content) with its links to a part of the feed
    document itself (``href="#note-1"`` in an entry, which the feed readers resolve
    against the feed's address when it names no base) as links to that part of the
    entry's own page, ``link``: a post's footnotes and its table of contents led into
    the feed's XML."""
    written = html.escape(document) + "#"
    if written not in markup:  # one look: most entries link no part of themselves
        return markup
    target = html.escape(link.partition("#")[0]) + "#"
    return markup.replace(f'="{written}', f'="{target}').replace(f"='{written}", f"='{target}")


_PROBE = 200  # characters of the shorter text looked for in the longer


def _written_length(markup: str) -> int:
    """How long HTML is, however it is written: references read, empty elements closed
    alike, attribute values quoted or not."""
    return len(_TAG_END.sub(">", html.unescape(markup)).translate(_NO_QUOTES))


_TAG_END = re.compile(r"\s*/?>")
_NO_QUOTES = str.maketrans("", "", "\"'")


def fuller_as_content(summary: str, content: str, *, plain: bool) -> tuple[str, str]:
    """An entry's (summary, content) in HTML, swapped where its content is shorter and in
    ``plain`` text, or a shorter copy of its summary's text: feedparser takes the second
    of an item's description and summary-like elements as its content, and a podcast's
    ``<itunes:summary>`` (plain text, a copy of the show notes often cut short, or a line
    of its own) after its ``<description>`` took the place of the notes, their paragraphs
    and links. The fuller is the content, the shorter the summary. Most entries' summary
    is the shorter by far: one comparison of lengths. Where the two are near in length,
    how their markup is written (``&#34;`` or ``&quot;``, ``<img>`` or ``<img />``, a
    value quoted or not, as the two readings of a feed write it) is not counted: it had
    decided which was which."""
    if not content:
        return summary, content
    if len(summary) <= len(content) // 2 or (
        len(summary) <= 2 * len(content) and _written_length(summary) <= _written_length(content)
    ):
        return summary, content
    if plain:
        return content, summary
    short, full = plain_text(content), plain_text(summary)
    probe = short[:_PROBE].rstrip(".… ")
    if not probe or len(full) <= len(short) or probe not in full:
        return summary, content
    return content, summary
