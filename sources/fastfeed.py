"""The fast path for feeds: well-formed RSS 0.9x/2.0, RSS 1.0, Atom 1.0 and Atom 0.3 read
with lxml into the same entry mappings feedparser gives for them, about 30 times faster.

feedparser reads everything, broken and exotic feeds included, and stays the reader of
record: :func:`read_feed` returns None for any document outside the shapes it reproduces
exactly, and the caller then hands the document to feedparser. Reproduced (feedparser 6):

- which element fills which key (``pubDate`` → ``published``, ``dc:date`` → ``updated``,
  ``content:encoded`` → ``content``, a permalink ``guid`` or an Atom ``id`` standing in for
  a missing link, the summary falling back to the content, the last HTML alternate link,
  a description after the summary as the content);
- URL resolution of ``link``, ``id`` and Atom ``href`` against the document's location;
- categories (term, scheme, label) de-duplicated the same way; authors and their names;
- the elements feedparser files under their own keys that this project reads:
  ``note:creatorName``, FeedBurner's ``feedburner:origLink``, YouTube's video ids and
  channels; an entry's ``source``;
  RSS authors' addresses (``sources.feedvalues``); extensions' elements both ignore;
- titles that are HTML, written by feedparser's own HTML processor (a title is short),
  and an entry's HTML whose tags this does not tokenise with certainty, field by field;
- Media RSS's files, thumbnails, player, keywords, titles and descriptions, and iTunes's
  authors, summaries, keywords, categories and pictures (``sources.fastmedia``);
- whitespace stripped, and feedparser's repair of UTF-8 read as Latin-1.

Refused (feedparser reads them): a DOCTYPE, XHTML content, places written in GML and every
other element feedparser gives meaning to that this module does not; other text fields with
markup or character references. HTML is re-written as feedparser re-writes it (attributes in
name order, links resolved), so the cleaner downstream gets the same input from either path.
``tests/test_fastfeed.py`` runs both paths over every feed fixture and generated feeds and
asserts identical items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from typing import Any

from lxml import etree

from tdlc_syndication.sources.fastcore import ReaderCore
from tdlc_syndication.sources.fastmedia import (
    ITUNES_REPEATABLE,
    read_itunes,
    read_media,
    read_youtube,
    video_checked,
    youtube_feed,
)
from tdlc_syndication.sources.feedhtml import Refused
from tdlc_syndication.sources.feedvalues import content_type, repaired
from tdlc_syndication.sources.feedvocab import (
    ATOM,
    ATOM03,
    DATES,
    RDF,
    RSS1,
    YOUTUBE,
    ignored,
)

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# The versions a document's first named namespace may give feedparser, by what it is.
_VERSIONS_NAMED = {
    "rss": ("rss10", "atom10", "rss090", None),  # (the <rss> element sets its own)
    "rss10": ("rss10", None),
    "atom10": ("atom10",),
    "atom03": (None,),
}

_RDF_PARTS = ("{*}channel", "{*}item")  # an RDF feed's, in whatever namespace it puts them
_ANNOTATION = "{http://www.google.com/schemas/reader/atom/}annotation"
_SOURCE_PARTS = ("id", "link", "updated", "published", "category", "generator")
# the elements an entry may hold more than once (each a category, an author, a file)
_RSS_REPEATABLE = (
    "category",
    "dc_subject",
    "dc_creator",
    "author",
    "enclosure",
    *ITUNES_REPEATABLE,
)
_ATOM_REPEATABLE = ("category", "author", "link", *ITUNES_REPEATABLE)


@dataclass(frozen=True, slots=True)
class FeedData:
    """A feed as the ``feed`` kind reads it, whichever parser produced it."""

    version: str
    language: str | None
    youtube: bool
    entries: list[dict[str, Any]]


def read_feed(body: bytes, base: str, limit: int | None = None) -> FeedData | None:
    """Read a UTF-8 feed document the way feedparser would, or None to let feedparser.

    Args:
        body: the document, already re-encoded as UTF-8 (``pipeline.encoding``).
        base: the document's location, against which relative links resolve ("" for none).
        limit: read this many entries at most (a run takes its first ``max_items``: the
            entries of a feed of 100,000 took 11 s and 372 MB to read).
    """
    try:
        return _Reader(base).read(body, limit)
    except (Refused, etree.XMLSyntaxError, ValueError):
        return None


def feed_parser() -> etree.XMLParser:
    """The parser of a feed document: no entities resolved, no network, no huge trees."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )


class _Reader(ReaderCore):
    """One document's reading: RSS's items or Atom's entries."""

    def read(self, body: bytes, limit: int | None = None) -> FeedData:
        root = etree.fromstring(body, feed_parser())
        if root.getroottree().docinfo.doctype:
            raise Refused("doctype")
        self._based = bool(root.xpath("boolean(//@xml:base | //@base)"))
        if self._based and not self.base:
            # feedparser keeps an element's base for what follows it where the base
            # around it is none (a file's): a copy would copy that too
            raise Refused("xml:base without a document address")
        tag = root.tag
        if tag == "rss":
            version, namespace, entry_tag = "rss", "", "item"
        elif tag == f"{{{RDF}}}RDF":
            if any(etree.QName(el).namespace != RSS1 for el in root.iterchildren(*_RDF_PARTS)):
                raise Refused("RSS 0.90")  # Netscape's channel and items: not RSS 1.0's
            version, namespace, entry_tag = "rss10", RSS1, f"{{{RSS1}}}item"
        elif tag in (f"{{{ATOM}}}feed", f"{{{ATOM03}}}feed"):
            namespace = etree.QName(tag).namespace
            if next(root.iter(f"{{{namespace}}}item"), None) is not None:
                raise Refused("an RSS item in an Atom feed")  # an entry to feedparser
            version = "atom10" if namespace == ATOM else "atom03"
            entry_tag = f"{{{namespace}}}entry"
        else:
            raise Refused("not a feed root")
        if _named_version(root) not in _VERSIONS_NAMED[version]:
            # (an RSS 1.0 root naming Atom's namespace first is Atom to feedparser: no
            # guess that a title is HTML; an Atom one naming RSS 1.0's, RSS to it)
            raise Refused("a version feedparser takes from a namespace named first")
        self.namespace = namespace
        atom = version.startswith("atom")
        channel = root if atom else root.find(f"{{{namespace}}}channel" if namespace else "channel")
        language = self._root_language(root) if atom else self._feed_language(root, channel)
        youtube = channel is not None and youtube_feed(self, channel, entry_tag)
        self._carry_content(root, channel, entry_tag)
        read = self._atom_entry if atom else self._rss_item
        entries = [read(entry) for entry in islice(root.iter(entry_tag), limit)]
        return FeedData(version=version, language=language, youtube=youtube, entries=entries)

    # -- RSS --------------------------------------------------------------------------

    def _rss_item(self, item: Any) -> dict[str, Any]:
        entry = self._new_entry(item)
        about = item.get(f"{{{RDF}}}about")
        if about:
            entry["id"] = about
        return self._read_children(entry, item, _RSS_REPEATABLE, self._rss_element)

    def _read_children(
        self,
        entry: dict[str, Any],
        node: Any,
        repeatable: tuple[str, ...],
        element: Callable[[dict[str, Any], str, Any], None],
    ) -> dict[str, Any]:
        """``entry`` with each child of ``node`` read into it by ``element``; a child that
        comes again where it may not (:func:`_repeatable`) is refused."""
        seen: set[str] = set()
        for key, child in self._children(node):
            if key in seen and not _repeatable(key, repeatable):
                raise Refused(f"repeated {key}")
            seen.add(key)
            element(entry, key, child)
        return video_checked(entry)

    def _rss_element(self, entry: dict[str, Any], key: str, el: Any) -> None:
        if key == "title":
            self._titling.entry_title(entry, self._title(el, self._title_kind(el, "text/plain")))
        elif key.startswith("media_"):
            read_media(self, entry, self._titling, key, el, 1)
        elif key == "link":
            if any(el.get(a) is not None for a in ("href", "url", "uri")):
                raise Refused("link with an address attribute")
            link = self._resolved(self._text(el), el)
            entry["link"] = link
            entry["links"].append({"rel": "alternate", "type": "text/html", "href": link})
        elif key == "guid":
            permalink = el.get("isPermaLink", "true") == "true"
            value = self._text(el)
            value = self._resolved(value, el) if permalink else value
            entry["id"] = value
            if permalink:
                entry.setdefault("link", value)
        elif key in DATES:
            entry[DATES[key]] = self._text(el)
        elif key in ("category", "dc_subject"):
            self._category_element(entry, el)
        elif key == "description":
            self._describe(entry, el, 1, "text/html")
        elif key == "content_encoded":
            self._content(entry, el, "text/html")
        elif key in ("dc_creator", "author"):
            self._written_author(entry, el)
        elif key.startswith("itunes_"):
            read_itunes(self, entry, key, el)
        elif key in ("language", "dc_language"):
            entry["language"] = self._text(el)
        elif key in YOUTUBE:
            read_youtube(self, entry, key, el)
        elif key in ("note_creatorname", "feedburner_origlink"):  # note.com's author
            entry[key] = self._text(el)  # (Kobe City's note); FeedBurner's original link
        elif key == "enclosure":
            self._enclosure(entry, el)
        elif key == "creativecommons_license":  # (a link to the licence, among the links)
            licence = self._text(el)
            entry["links"].append({"rel": "license", **({"href": licence} if licence else {})})
        elif key == "source":
            if len(el) or self._titling.media:
                raise Refused("elements in an RSS source, or a media:title before it")
            url = el.get("url")
            title = repaired((el.text or "").strip())  # (text, whatever it holds)
            entry["source"] = {
                **({"href": url} if url is not None else {}),
                **({"title": title} if title else {}),
            }
        else:
            self._other(key, el)

    def _enclosure(self, entry: dict[str, Any], el: Any) -> None:
        if len(el):  # feedparser reads what is inside (Media RSS's) as the entry's own
            raise Refused("child elements in an enclosure")
        href = el.get("url") or el.get("uri") or el.get("href")
        link: dict[str, Any] = {"rel": "enclosure"}
        if href:
            link["href"] = href
        for name in ("length", "type"):
            value = el.get(name)
            if value is not None:
                link[name] = value.lower() if name == "type" else value
        entry["links"].append(link)

    # -- Atom -------------------------------------------------------------------------

    def _atom_entry(self, node: Any) -> dict[str, Any]:
        return self._read_children(
            self._new_entry(node), node, _ATOM_REPEATABLE, self._atom_element
        )

    def _atom_element(self, entry: dict[str, Any], key: str, el: Any) -> None:
        if key == "id":
            value = self._resolved(self._text(el), el)
            entry["id"] = value
            entry.setdefault("link", value)
        elif key == "title":
            self._titling.entry_title(entry, self._title(el, self._title_kind(el, "text")))
        elif key.startswith("media_"):
            read_media(self, entry, self._titling, key, el, 1)
        elif key == "link":
            self._atom_link(entry, el)
        elif key in DATES:
            entry[DATES[key]] = self._text(el)
        elif key in ("category", "dc_subject"):
            self._category_element(entry, el)
        elif key == "author":
            self._atom_author(entry, el)
        elif key == "dc_creator":
            self._written_author(entry, el)
        elif key == "summary":
            self._describe(entry, el, 1, "text/plain")
        elif key == "content":
            self._content(entry, el, "text/plain")
        elif key == "feedburner_origlink":
            entry[key] = self._text(el)
        elif key in YOUTUBE:
            read_youtube(self, entry, key, el)
        elif key.startswith("itunes_"):
            read_itunes(self, entry, key, el)
        elif key == "source":
            if self._titling.media:
                raise Refused("a media:title before a source")
            entry["source"] = self._atom_source(el)
        elif el.tag == _ANNOTATION:
            self._annotation(entry, el)
        else:
            self._other(key, el)

    def _atom_link(self, entry: dict[str, Any], el: Any) -> None:
        if len(el):
            raise Refused("link with children")
        rel = (el.get("rel") or "alternate").lower()
        kind = (
            el.get("type") or ("application/atom+xml" if rel == "self" else "text/html")
        ).lower()
        href = el.get("url") or el.get("uri") or el.get("href")
        if not href:
            raise Refused("link without href")
        href = self._resolved(href, el)
        link: dict[str, Any] = {"rel": rel, "type": kind, "href": href}
        length = el.get("length")
        if length is not None:
            link["length"] = length
        entry["links"].append(link)
        if rel == "alternate" and content_type(kind) in _HTML_TYPES:
            entry["link"] = href

    def _atom_author(self, entry: dict[str, Any], el: Any) -> None:
        if el.text and el.text.strip():
            raise Refused("text in author")
        detail: dict[str, str] = {}
        for key, child in self._children(el):
            if key in ("name", "email"):
                detail[key] = self._text(child, fixed=False)
            elif key in ("uri", "url", "homepage"):  # (Atom 0.3's is url)
                detail["href"] = self._text(child, fixed=False)
            elif not (ignored(key) and self._all_ignored(child)):  # (Flickr's flickr:nsid)
                raise Refused(f"{key} in author")
        entry["authors"].append(detail)
        name, email = detail.get("name"), detail.get("email")
        if not name:
            raise Refused("author without a name")
        entry["author"] = f"{name} ({email})" if email else name

    def _annotation(self, entry: dict[str, Any], el: Any) -> None:
        """Google Reader's note on an item shared: feedparser reads the note's content and
        its writer as the entry's (a content after the entry's own, an author after its
        authors; the entry's author becomes the note's writer)."""
        for key, child in self._children(el):
            if key == "content":
                self._content(entry, child, "text/plain")
            elif key == "author":
                self._atom_author(entry, child)
            elif not (ignored(key) and self._all_ignored(child)):
                raise Refused(f"{key} in a note")

    def _atom_source(self, el: Any) -> dict[str, str]:
        """An entry's ``source``, the feed it was copied from (Google Reader's shared items,
        a planet's): feedparser files what is inside under the source, not the entry, and
        this project reads only its title."""
        if any(text and text.strip() for text in (el.text, *(child.tail for child in el))):
            raise Refused("text in a source")  # (feedparser's title for an RSS source)
        source: dict[str, str] = {}
        for key, child in self._children(el):
            if key in ("title", "subtitle", "rights"):
                kind = self._title_kind(child, "text")  # (a type feedparser decodes: refused)
                if len(child):
                    raise Refused(f"elements in a source's {key}")
                if key == "title":
                    source["title"] = self._title(child, kind)
            elif key == "author":
                self._atom_author({"authors": []}, child)  # (refused as an entry's is)
            elif key in _SOURCE_PARTS and len(child):
                raise Refused(f"elements in a source's {key}")
            elif key not in _SOURCE_PARTS and not (ignored(key) and self._all_ignored(child)):
                raise Refused(f"{key} in a source")
        return source


def _named_version(root: Any) -> str | None:
    """The version feedparser takes from the first namespace of its root it knows one by
    (before the root's own element sets one: RSS 2.0's always does)."""
    for prefix, uri in root.nsmap.items():
        known = uri.lower()
        if known == RSS1:
            return "rss10"
        if known == ATOM.lower():
            return "atom10"
        if prefix is None and known == "http://my.netscape.com/rdf/simple/0.9/":
            return "rss090"
    return None


def _repeatable(key: str, repeatable: tuple[str, ...]) -> bool:
    """Whether an element may come again in an entry: one of its format's that may
    (``repeatable``), one both readings ignore, or Media RSS's (each a file, or the last one
    kept as feedparser keeps it)."""
    return key in repeatable or ignored(key) or key.startswith("media_")
