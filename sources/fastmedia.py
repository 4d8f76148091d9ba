"""Media RSS's, YouTube's and iTunes's elements in the fast reading of a feed
(:mod:`sources.fastfeed`), as feedparser 6 files them: each ``media:content`` and
``media:thumbnail`` of an entry, at any depth (a ``media:group`` holds them, a
``media:content`` holds its thumbnails), a list of its attributes; a thumbnail's address
written as its text; ``media:player``; keywords and categories as the entry's tags;
``media:title`` as the entry's title where the entry has none of its own;
``media:description`` as a description (the summary, or the content after a summary:
:meth:`ReaderCore._describe`); a video's ``yt:videoId`` and the channel or playlist a
feed is; a podcast episode's iTunes elements (:func:`read_itunes`). Anything inside an
element feedparser does not expect to hold one goes to feedparser.
"""

from __future__ import annotations

from typing import Any

from tdlc_syndication.sources.fastcore import ReaderCore, Titling
from tdlc_syndication.sources.feedhtml import Refused
from tdlc_syndication.sources.feedvalues import add_tag
from tdlc_syndication.sources.feedvocab import FEEDPARSER_ELEMENTS, YOUTUBE

# The scheme feedparser gives a media:category that names none, and iTunes's categories.
_CATEGORY_SCHEME = "http://search.yahoo.com/mrss/category_schema"
_ITUNES_SCHEME = "http://www.itunes.com/"
# iTunes's elements an entry may hold more than once (its authors and categories)
ITUNES_REPEATABLE = ("itunes_author", "itunes_category", "itunes_keywords")
# Elements with a handler whose values this project never reads.
_UNREAD = frozenset({"media_credit", "media_rating", "media_restriction", "media_license"})
_YOUTUBE_NAMES = frozenset(key.removeprefix("yt_") for key in YOUTUBE)


def read_media(
    reader: ReaderCore, entry: dict[str, Any], titling: Titling, key: str, el: Any, depth: int
) -> None:
    """Read one Media RSS element of an entry, ``depth`` deep (an entry's child: 1)."""
    if key in ("media_content", "media_group"):  # (a group holds files, a file thumbnails)
        if key == "media_content":
            entry.setdefault("media_content", []).append(_attributes(reader, el))
        for child in el:
            read_media(reader, entry, titling, _media_key(reader, child), child, depth + 1)
        return
    if len(el) and not (key not in FEEDPARSER_ELEMENTS and reader._all_ignored(el)):
        raise Refused(f"elements in {key}")
    if key == "media_thumbnail":
        thumbnail = _attributes(reader, el)
        written = reader._text(el)
        if written and "url" not in thumbnail:
            thumbnail["url"] = reader._resolved(written, el)
        entry.setdefault("media_thumbnail", []).append(thumbnail)
    elif key == "media_title":
        titling.media_title(entry, reader._title(el, reader._title_kind(el, "text/plain")), depth)
    elif key == "media_player":
        entry["media_player"] = {**_attributes(reader, el), "content": (el.text or "").strip()}
    elif key == "media_keywords":
        _keywords(reader, entry, el, None)
    elif key == "media_description":
        reader._describe(entry, el, depth, "text/html")
    elif key == "media_category":
        scheme = el.get("scheme") if "scheme" in el.attrib else _CATEGORY_SCHEME
        named, label = el.get("term"), el.get("label")
        reader._category(entry, el, scheme, named, label)
    elif key in FEEDPARSER_ELEMENTS and key not in _UNREAD:
        raise Refused(f"element {key}")  # not Media RSS's


def read_itunes(reader: ReaderCore, entry: dict[str, Any], key: str, el: Any) -> None:
    """Read one of iTunes's elements of an entry (a podcast's episode) as feedparser 6
    does: ``itunes:author`` as an author, ``itunes:summary`` as a description,
    ``itunes:keywords`` and ``itunes:category`` as tags in iTunes's scheme,
    ``itunes:image`` as the episode's picture. Those it files under their own keys
    (``itunes:duration``, ``itunes:explicit``) are not read; its owner's (``itunes:owner``,
    ``itunes:name``) and a link that names a picture (``itunes:link``) go to feedparser."""
    if key == "itunes_author":
        reader._written_author(entry, el)
    elif key == "itunes_summary":
        reader._describe(entry, el, 1, "text/plain")
    elif key == "itunes_keywords":
        _keywords(reader, entry, el, _ITUNES_SCHEME)
    elif key == "itunes_category":
        if len(el):
            raise Refused("categories in an itunes:category")
        reader._category(entry, el, _ITUNES_SCHEME, el.get("text"), None)
    elif key == "itunes_image":
        if len(el):
            raise Refused("elements in an itunes:image")
        href = el.get("href") or el.get("url")
        if href:
            entry["image"] = {"href": href}
    else:
        reader._other(key, el)


def _keywords(reader: ReaderCore, entry: dict[str, Any], el: Any, scheme: str | None) -> None:
    """Keywords written in one element, parted by commas (``media:keywords``,
    ``itunes:keywords``): each a tag in ``scheme``."""
    if el.attrib:  # (feedparser fails on keywords with attributes)
        raise Refused(f"{el.tag} with attributes")
    for term in reader._text(el).split(","):
        if term.strip():
            add_tag(entry["tags"], term.strip(), scheme, None)


def read_youtube(reader: ReaderCore, entry: dict[str, Any], key: str, el: Any) -> None:
    """Read one of YouTube's elements of an entry: its video's id (``yt:videoId``); the
    channel an entry names is not read."""
    value = _youtube_text(reader, el)
    if key == "yt_videoid":
        entry[key] = value


def video_checked(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry read, unless it is a video whose summary has tags: a video's summary is
    laid out as text (:mod:`sources.feed`), so its tags must be written as feedparser
    writes them (``<img ... />``), which the fast HTML writing does not."""
    if entry.get("yt_videoid") and "<" in entry.get("summary", ""):
        raise Refused("a video's summary with tags")
    return entry


def youtube_feed(reader: ReaderCore, feed: Any, entries: str) -> bool:
    """Whether a feed is a YouTube channel's or playlist's: the last ``yt:channelId`` and
    ``yt:playlistId`` among the feed's own elements (``feed``'s children but its
    ``entries``), as feedparser keeps them. One deeper outside the entries (in the feed's
    author, an RSS image) goes to feedparser: it files some there, some under the feed."""
    named: dict[str, str] = {}
    for child in feed:
        if not isinstance(child.tag, str) or child.tag == entries:
            continue
        key = reader._key(child) if _youtube_named(child) else ""
        if key in YOUTUBE:
            named[key] = _youtube_text(reader, child)
        if any(_youtube_named(inner) for inner in child.iterdescendants()):
            raise Refused(f"one of YouTube's elements inside a feed's {child.tag}")
    return bool(named.get("yt_channelid") or named.get("yt_playlistid"))


def _youtube_named(el: Any) -> bool:
    """Whether an element may be one of YouTube's (feedparser files an element under its
    document's prefix where it does not know the namespace: ``yt_`` in any)."""
    return isinstance(el.tag, str) and el.tag.rpartition("}")[2].lower() in _YOUTUBE_NAMES


def _youtube_text(reader: ReaderCore, el: Any) -> str:
    if el.attrib:  # (feedparser files the attributes instead of the text)
        raise Refused(f"attributes in {el.tag}")
    return reader._text(el)


def _media_key(reader: ReaderCore, el: Any) -> str:
    key = reader._key(el)
    if not key.startswith("media_"):
        raise Refused(f"{key} in Media RSS")  # (feedparser reads it as the entry's)
    return key


def _attributes(reader: ReaderCore, el: Any) -> dict[str, str]:
    """An element's attributes as feedparser lists them: names in small letters, a
    ``type`` or ``rel`` too."""
    found: dict[str, str] = {}
    for name in el.attrib:
        if name.startswith("{"):
            raise Refused("an attribute with a namespace in Media RSS")
        value = el.get(name) or ""
        small = name.lower()
        found[small] = value.lower() if small in ("rel", "type") else value
    return found
