"""The reading of one feed document's elements for the fast path (:mod:`sources.fastfeed`):
each element's key as feedparser names it, and the text, titles, HTML, attributes and
links of elements as feedparser pops them, with what both readings ignore told apart; and
which of an entry's titles feedparser keeps (:class:`Titling`). Attributes are read as
written (``el.get``), as feedparser's XML reading gives them: ``&amp;`` escaped twice
(CNET's links) stays so."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from tdlc_syndication.sources.fastxhtml import xhtml_value
from tdlc_syndication.sources.feedhtml import (
    Refused,
    feedparser_html,
    join_url,
    looks_like_html,
    rewritten,
    safe_absolute_url,
)
from tdlc_syndication.sources.feedvalues import (
    add_tag,
    author_detail,
    checked,
    content_type,
    repaired,
)
from tdlc_syndication.sources.feedvocab import (
    ATOM,
    ATOM03,
    DC,
    FEEDPARSER_ELEMENTS,
    INERT,
    NEVER_READ,
    PREFIXES,
    RDF,
    RSS1,
    YOUTUBE,
    ignored,
)

_XML = "{http://www.w3.org/XML/1998/namespace}"
_ENTITY_LIKE = re.compile(r"&#?\w+;")
_XHTML = "application/xhtml+xml"
_ATOMS = (ATOM, ATOM03)  # the namespaces of feeds feedparser reads as Atom
_ATOM_DATES = ("updated", "published")  # Atom's elements an RSS item may hold, as Blogger's

# The elements that give an entry a content, or a description (one after the summary is
# the content), as feedparser keys them; and the tags they may have.
_CONTENTS = frozenset({"content", "content_encoded", "fullitem"})
_DESCRIPTIONS = frozenset(
    {"description", "summary", "itunes_summary", "media_description", "dc_description"}
)
_SUMMARIES = ("summary", "itunes_summary")  # (a feed's: feedparser files it as "summary")
_CONTENT_TAGS = ("{*}content", "{*}encoded", "{*}fullitem", "{*}description", "{*}summary")

# An HTML value past this many characters may be cut in an item: half of
# pipeline.normalise.MAX_CONTENT (feedparser writes tags at most a few characters longer
# each; that module, which loads the cleaner, is not imported for it).
LONG_HTML = 50_000


@dataclass(slots=True)
class Titling:
    """Which of an entry's titles feedparser keeps: its own, else the shallowest
    ``media:title`` (the last of those as deep), the one of a ``media:content`` before
    the entry's own title giving way to it."""

    depth: int | None = None  # how deep the title kept was written (the entry's own: 1)
    own: bool = False  # whether the entry's own title, not empty, was read
    media: bool = False  # whether a media:title was read

    def entry_title(self, entry: dict[str, Any], value: str) -> None:
        """Keep the entry's own ``title``."""
        entry["title"] = value
        self.depth, self.own = 1, bool(value)

    def media_title(self, entry: dict[str, Any], value: str, depth: int) -> None:
        """Keep a ``media:title`` written ``depth`` deep, where feedparser would."""
        if "source" in entry:  # (a source's title changes which feedparser keeps)
            raise Refused("a media:title in an entry with a source")
        self.media = True
        if not self.own and (self.depth is None or depth <= self.depth):
            entry["title"] = value
            self.depth = depth


def _feed_order(node: Any, feed: Any, entry_tag: str) -> Iterator[Any]:
    """The entries and the descriptions and contents outside them, in the document's
    order: what is inside an entry is not looked at (a feed's own elements are few)."""
    for child in node:
        if child.tag == entry_tag:
            yield child
        elif child is feed:
            yield from _feed_order(child, feed, entry_tag)
        elif isinstance(child.tag, str):
            if next(child.iter(entry_tag), None) is not None:
                raise Refused(f"an entry inside a feed's {child.tag}")
            yield from child.iter(*_CONTENT_TAGS)


class ReaderCore:
    """One document's elements; ``base`` is the location links resolve against."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._based = False  # whether an element of the document names a base (xml:base)
        self._keys: dict[str, str] = {}  # element tag: key (one without a prefix of its own)
        self.namespace = ""  # the document's own (RSS 1.0's, Atom's), "" for RSS 2.0's
        self._titling = Titling()  # the entry being read's
        self._summary_depth: int | None = None  # how deep its summary kept was written
        self._has_content = False  # whether feedparser holds it to have a content
        self._carried: set[Any] = set()  # entries feedparser starts as having one

    def _new_entry(self, node: Any) -> dict[str, Any]:
        """An entry to read into (``node``'s), its titles and descriptions not yet read."""
        self._titling = Titling()
        self._summary_depth = None
        self._has_content = node in self._carried
        return {"links": [], "tags": [], "authors": []}

    def _carry_content(self, root: Any, feed: Any, entry_tag: str) -> None:
        """Note the entries feedparser starts as having a content already. It holds that
        an entry has one from its first content until the entry ends, and a content of
        the feed's own elements (a ``content:encoded``, or a description after the feed's
        ``itunes:summary``: a podcast's ``<itunes:summary/><description/>``) counts for
        the next entry: its description after its summary is its summary then, not its
        content. ``feed``: the element whose children are the feed's own."""
        has = summary = False
        for el in _feed_order(root, feed, entry_tag):
            if el.tag == entry_tag:
                if has:
                    self._carried.add(el)
                has = False  # (an entry's end: what is inside is the entry's own)
                continue
            key = self._key(el)
            content = key in _CONTENTS or (key in _DESCRIPTIONS and summary and not has)
            if (content or key in _SUMMARIES) and el.getparent() is not feed:
                # (inside the feed's image or author, feedparser files it elsewhere)
                raise Refused(f"{key} among a feed's {el.getparent().tag}")
            if content:
                has = summary = True  # (a content, or a description after a summary)
            elif key in _SUMMARIES:
                summary = True

    def _key(self, el: Any) -> str:
        """feedparser's key for an element: prefix_localname, lower case."""
        known = self._keys.get(el.tag)
        if known is not None:
            return known
        qname = etree.QName(el)
        local: str = qname.localname.lower()
        ns = qname.namespace
        if ns is None or ns == self.namespace:
            self._keys[el.tag] = local
            return local
        if ns == ATOM and not self.namespace and local in _ATOM_DATES:
            # (Blogger's atom:updated in RSS items: Atom's elements are feedparser's own)
            self._keys[el.tag] = local
            return local
        prefix = PREFIXES.get(ns.lower())
        if prefix is None and "backend.userland.com/rss" in ns.lower():
            raise Refused(f"element {el.tag}: feedparser reads UserLand's namespace as RSS's")
        if prefix is None:
            if ns in (ATOM, RSS1, RDF) or not el.prefix:
                raise Refused(f"element {el.tag} in a namespace feedparser treats apart")
            return f"{el.prefix.lower()}_{local}"  # the document's own prefix: not kept
        self._keys[el.tag] = key = f"{prefix}_{local}"
        return key

    def _children(self, el: Any) -> Iterator[tuple[str, Any]]:
        for child in el:
            key = self._key(child)
            if key.startswith(NEVER_READ) and key not in YOUTUBE:
                raise Refused(key)
            yield key, child

    def _feed_language(self, root: Any, channel: Any) -> str | None:
        """The root's ``xml:lang``, replaced by the ``channel``'s ``language`` when it has
        one. (feedparser takes no ``xml:lang`` from an ``rdf:RDF`` root.)"""
        language = None if self.namespace == RSS1 else self._root_language(root)
        names = {
            f"{{{DC}}}language",
            f"{{{self.namespace}}}language" if self.namespace else "language",
        }
        for child in channel if channel is not None else ():
            if child.tag in names:
                language = self._text(child)
        return language.replace("_", "-") if language else None

    def _root_language(self, root: Any) -> str | None:
        language = root.get(f"{_XML}lang", root.get("lang")) or None
        return language.replace("_", "-") if language else None

    def _text(self, el: Any, *, fixed: bool = True, as_written: bool = False) -> str:
        """A text element's value as feedparser pops it. Text that feedparser could take
        for HTML (a tag, a character reference) is refused (titles: :meth:`_title`), but
        ``as_written``: a category's, which feedparser keeps as written (``h&amp;m``)."""
        if len(el):
            raise Refused(f"markup in {el.tag}")
        text = (el.text or "").strip()
        if not as_written and ("<" in text or _ENTITY_LIKE.search(text)):
            raise Refused(f"markup or references in {el.tag}")
        return repaired(text) if fixed else checked(text)

    def _title_kind(self, el: Any, default: str) -> str:
        """A title's type, as feedparser maps it; a type it would decode (base64, an
        image's) or read as XHTML goes to feedparser."""
        kind = content_type(el.get("type", default))
        if kind not in ("text/plain", "text/html") or el.get("mode") == "base64":
            raise Refused(f"a title of type {kind}")
        return kind

    def _title(self, el: Any, kind: str) -> str:
        """An entry's title as feedparser pops it: HTML (typed so, or, outside Atom, text
        that feedparser's guess takes for HTML: ``Tom &amp; Jerry``, ``Rand&#39;s``) as
        its HTML processor writes it, which this reads with (a title is short); other
        text as written. 230 of speedparser's real feeds have such a title, and went
        to feedparser for it."""
        if len(el):
            raise Refused(f"markup in {el.tag}")
        text = (el.text or "").strip()
        if "<" in text or "&" in text:
            html_typed = kind == "text/html" or (kind == "text/plain" and self._guessed_html(text))
            if html_typed:
                text = feedparser_html(text, self._base_of(el))
        return repaired(text)

    def _guessed_html(self, text: str) -> bool:
        """Whether feedparser takes text typed as text for HTML: its guess, made outside
        Atom only, which needs an end tag or a reference (``Q&A`` loads no feedparser)."""
        return (
            self.namespace not in _ATOMS
            and ("</" in text or _ENTITY_LIKE.search(text) is not None)
            and looks_like_html(text)
        )

    def _html(self, el: Any) -> str:
        """An HTML-bearing element's value, its links resolved. HTML whose tags this does
        not tokenise with certainty (quotes inside a quoted value, a tag with a prefix,
        an attribute twice) is written by feedparser's own HTML processor, as feedparser
        writes it: the entry's other fields and the feed's other entries keep the fast
        reading. One long enough that an item's content is cut (``MAX_CONTENT``) goes to
        feedparser: the cut falls where the characters run out, and feedparser writes
        tags longer."""
        if len(el):
            raise Refused(f"child elements in {el.tag}")
        text = el.text or ""
        if len(text) > LONG_HTML:
            raise Refused(f"a long {el.tag}")
        base = self._base_of(el)
        try:
            return rewritten(repaired(text.strip()), base)
        except Refused:
            return repaired(feedparser_html(text.strip(), base))

    def _typed(self, el: Any, default: str) -> tuple[str, str]:
        """A text construct's type and value as feedparser pops them: HTML as :meth:`_html`
        writes it; Atom's XHTML as :func:`~.fastxhtml.xhtml_value` does; text as written,
        or, outside Atom, text feedparser's guess takes for HTML as HTML. ``default``: the
        type of one that names none."""
        kind = content_type(el.get("type", default))
        if kind == _XHTML and self.namespace == ATOM and el.get("mode") != "base64":
            value = repaired(xhtml_value(el, self._base_of(el)))
            if len(value) > LONG_HTML:
                raise Refused(f"a long {el.tag}")
            return kind, value
        if kind not in ("text/plain", "text/html") or el.get("mode") == "base64":
            raise Refused(f"{el.tag} of type {kind}")  # (one feedparser decodes)
        if kind == "text/html":
            return kind, self._html(el)
        if len(el):
            raise Refused(f"child elements in {el.tag}")
        value = repaired((el.text or "").strip())
        if self._guessed_html(value):
            return "text/html", self._html(el)
        if "<" in value and rewritten(value, self._base_of(el)) != value:
            # (feedparser reads text that looks like HTML as HTML and writes its tags
            # again, attributes in name order: the cleaned contents differed)
            raise Refused("text that reads as HTML with tags feedparser writes again")
        return kind, value

    def _content(self, entry: dict[str, Any], el: Any, default: str) -> None:
        """Read a content (RSS's ``content:encoded``, Atom's ``content``): one more of the
        entry's, and its summary where it has none."""
        if el.get("src") is not None:
            raise Refused("content by reference")
        self._has_content = True
        kind, value = self._typed(el, default)
        entry.setdefault("content", []).append({"type": kind, "value": value})
        entry.setdefault("summary", value)

    def _describe(self, entry: dict[str, Any], el: Any, depth: int, default: str) -> None:
        """Read a description written ``depth`` deep (RSS's ``description``, Atom's
        ``summary``: 1; Media RSS's ``media:description``: 1 or more) as feedparser does:
        after a summary, where the entry has no content yet, it is the content (text unless
        it says otherwise); else the summary where none was kept or it is written no deeper
        than the one kept, and its type the summary's in any case."""
        if "summary" in entry and not self._has_content:
            self._content(entry, el, "text/plain")
            return
        kind, value = self._typed(el, default)
        if self._summary_depth is None or depth <= self._summary_depth:
            entry["summary"] = value
            self._summary_depth = depth
        entry["summary_detail"] = {"type": kind, "value": value}

    def _written_author(self, entry: dict[str, Any], el: Any) -> None:
        """Read an author written as text (RSS's ``author``, ``dc:creator``, iTunes's
        ``itunes:author``): the entry's author, and one more of its authors. One before an
        Atom author goes to feedparser: it writes the Atom author's name into the text
        author's record too."""
        if (
            self.namespace in _ATOMS
            and next(el.itersiblings(f"{{{self.namespace}}}author"), None) is not None
        ):
            raise Refused("a text author before an Atom author")
        written = self._text(el)
        entry["author"] = written
        entry["authors"].append(author_detail(written))

    def _resolved(self, uri: str, el: Any) -> str:
        return join_url(self._base_of(el), uri) if uri else uri

    def _base_of(self, el: Any) -> str:
        """The address links in ``el`` resolve against, as feedparser tracks it: the
        document's, joined with each ``xml:base`` (or ``base``) from the root down to
        ``el``, where the join gives an address in a scheme it accepts."""
        if not self._based:
            return self.base
        base = self.base
        for node in reversed([el, *el.iterancestors()]):
            given = node.get(f"{_XML}base") or node.get("base")
            if given:
                base = (safe_absolute_url(base, given) or base) if base else join_url(base, given)
        return base

    def _other(self, key: str, el: Any) -> None:
        if key in FEEDPARSER_ELEMENTS and key not in INERT:
            raise Refused(f"element {key}")
        if len(el) and not (ignored(key) and self._all_ignored(el)):
            raise Refused(f"nested elements in {key}")

    def _all_ignored(self, el: Any) -> bool:
        """Whether every element inside ``el`` is one both readings ignore."""
        return all(
            isinstance(inner.tag, str) and ignored(self._inner_key(inner))
            for inner in el.iterdescendants()
        )

    def _inner_key(self, el: Any) -> str:
        qname = etree.QName(el)
        if qname.namespace == RDF:  # (a taxonomy's rdf:Bag: no handler in feedparser)
            return f"rdf_{qname.localname.lower()}"
        return self._key(el)

    def _category_element(self, entry: dict[str, Any], el: Any) -> None:
        """Read a category (RSS's and Atom's ``category``, ``dc:subject``) as feedparser
        does, in either format: its ``term``, its ``scheme`` (else its ``domain``) and its
        ``label``, then its text."""
        scheme = el.get("scheme" if "scheme" in el.attrib else "domain")
        term, label = el.get("term"), el.get("label")
        self._category(entry, el, scheme, term, label)

    def _category(
        self,
        entry: dict[str, Any],
        el: Any,
        scheme: str | None,
        term: str | None,
        label: str | None,
    ) -> None:
        tags: list[dict[str, str | None]] = entry["tags"]
        add_tag(tags, term, scheme, label)
        value = self._text(el, as_written=True)
        if not value:
            return
        if tags and not tags[-1]["term"]:
            tags[-1]["term"] = value
        else:
            add_tag(tags, value, None, None)
