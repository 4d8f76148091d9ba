"""Feed lint: the rules of the W3C Feed Validation Service that matter for our feeds, per
format (``outputs.formats`` applies them, with the checks every format shares).

Checked: required elements, RFC 3339 (Atom, JSON) and RFC 822 (RSS) dates, absolute
http(s) URLs that are URLs and not IRIs (ASCII only: the validator's ``UriNotIri``) on
hosts and ports browsers take (``pipeline.uris.web_url``), ids
that are unique and in canonical form (its ``NonCanonicalURI``; an id kept from an earlier
version, ``kept_ids``, is accepted), a self link equal to the published URL, an ISO 639
language code (its ``InvalidLanguage``), MIME types of links and enclosures (its
``InvalidMIMEType``), author emails that are ASCII addresses (its ``InvalidAddrSpec``),
no date before 1990 (its ``ImplausibleDate``), and RSS descriptions whose every ``&`` an
HTML reader takes and whose every ``<`` starts a tag (its ``NotHtml``).
``publish`` runs it on every feed before writing and keeps the old file when a new one
fails; ``syndicate lint`` runs it on the files in the output folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from html.entities import name2codepoint
from typing import Any

from tdlc_syndication.config.languages import language_tag
from tdlc_syndication.outputs.rss import enclosable
from tdlc_syndication.pipeline.model import FEED_EARLIEST
from tdlc_syndication.pipeline.text import media_type
from tdlc_syndication.pipeline.uris import is_canonical, normalise, web_url

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class Problem:
    """One lint finding in one file."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _absolute(url: str | None) -> bool:
    return bool(url) and re.match(r"^https?://[^/\s]+", url or "") is not None


def _link(where: str, url: str | None) -> list[str]:
    """Problems of a URL the feed links to: not absolute http(s), an IRI, or on a host or
    port browsers refuse."""
    if url and url.isascii() and web_url(url):
        return []
    if not _absolute(url):
        return [f"{where} {url!r} is not an absolute http(s) URL"]
    if not (url or "").isascii():
        return [
            f"{where} {url!r} is an IRI, not a URL: its host must be in IDNA and other "
            "non-ASCII characters percent-encoded"
        ]
    return [
        f"{where} {url!r} has a host or port browsers refuse (an empty label, a number "
        "that is no IPv4 address, an IPv6 address, a port past 65535)"
    ]


def _id(where: str, value: str, kept_ids: frozenset[str]) -> list[str]:
    """Problems of an entry or feed id: an IRI, or a URI not in canonical form."""
    if not value or value in kept_ids or ":" not in value:
        return []
    if not value.isascii():
        return [f"{where} id {value!r} is an IRI, not a URI (non-ASCII characters)"]
    if not is_canonical(value):
        canonical = normalise(value) or "none"
        return [f"{where} id {value!r} is not in canonical form ({canonical})"]
    return []


# The W3C validator calls a date before 1990 implausible (its ImplausibleDate: it compares
# RFC 3339 text, and an RFC 822 date's year); feeds carry none (FEED_EARLIEST).
_EARLIEST_TEXT = FEED_EARLIEST.date().isoformat()


def _rfc3339_problem(where: str, value: str) -> str | None:
    """What the validator says of an Atom date (``where`` names it), or None."""
    if not RFC3339.match(value):
        return f"{where} {value!r} is not an RFC 3339 date"
    if value < _EARLIEST_TEXT:
        return f"{where} {value!r} is before 1990 (implausible)"
    return None


def _rfc822_problem(where: str, value: str) -> str | None:
    """What the validator says of an RSS date (``where`` names it), or None."""
    try:
        parsed = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        return f"{where} {value!r} is not an RFC 822 date"
    if parsed.year < FEED_EARLIEST.year:
        return f"{where} {value!r} is before 1990 (implausible)"
    return None


# An "&" in an RSS description (HTML) that no HTML reader takes: not before a blank or
# another "&", and no reference it knows (the validator's NotHtml: "&.", "&copy", "&foo;").
_BROKEN_REFERENCE = re.compile(r"&(?![ \t\r\n\f&]|$|#\d+;|#[xX][0-9a-fA-F]+;)(?:(\w+);)?")


# A "<" in an RSS description (HTML) that starts no tag, comment or declaration: the
# validator's NotHtml ("buses <3", "a < b", "<2019>").
_BARE_LESS_THAN = re.compile(r"<(?![A-Za-z/!?])")


def _bare_less_than(html: str) -> str | None:
    """The text from the first ``<`` of ``html`` that starts no tag, if any."""
    found = _BARE_LESS_THAN.search(html) if "<" in html else None
    return html[found.start() : found.start() + 12] if found else None


def _broken_reference(html: str) -> str | None:
    """The first ``&`` of ``html`` that starts no reference an HTML reader takes."""
    if "&" not in html:
        return None
    for found in _BROKEN_REFERENCE.finditer(html):
        name = found.group(1)
        if name is None or (name not in name2codepoint and name != "apos"):
            return html[found.start() : found.start() + 12]
    return None


def _duplicates(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dups = []
    for value in values:
        if value in seen:
            dups.append(value)
        seen.add(value)
    return dups


def lint_atom(feed: Any, self_url: str, kept_ids: frozenset[str] = frozenset()) -> list[str]:
    """Problems of a parsed Atom document (its root element)."""
    if feed.tag != f"{ATOM}feed":
        return [f"unexpected root element {feed.tag}"]
    out: list[str] = []

    def text(parent: Any, name: str) -> str | None:
        node = parent.find(f"{ATOM}{name}")
        return None if node is None else (node.text or "").strip()

    for name in ("id", "title", "updated"):
        if not text(feed, name):
            out.append(f"feed has no {name}")
    out.extend(_id("feed", text(feed, "id") or "", kept_ids))
    updated = text(feed, "updated")
    if updated and (problem := _rfc3339_problem("feed updated", updated)):
        out.append(problem)
    lang = feed.get(XML_LANG)
    if not lang or not _language(lang):
        out.append(f"feed xml:lang {lang!r} is not a language code")
    selfs = []
    for link in feed.findall(f"{ATOM}link"):
        if link.get("rel") == "self":
            selfs.append(link.get("href"))
        else:
            out.extend(_link(f"feed {link.get('rel') or 'alternate'} link", link.get("href")))
    if selfs != [self_url]:
        out.append(f"self link {selfs} does not match the published URL {self_url}")
    for email in feed.iter(f"{ATOM}email"):  # the feed's author's and any entry's
        if not EMAIL.match((email.text or "").strip()):
            out.append(f"author email {email.text!r} is not an email address in ASCII")
    feed_author = feed.find(f"{ATOM}author") is not None
    ids: list[str] = []
    updates: list[str] = []
    for n, entry in enumerate(feed.iterchildren(f"{ATOM}entry"), 1):
        where = f"entry {n}"
        # One pass over the entry's children (the first of each name counts).
        first: dict[str, str] = {}
        links: list[str | None] = []
        for child in entry:
            if child.tag == _LINK:
                links.append(child.get("href"))
                if child.get("type") is not None and not _media_type(child.get("type")):
                    out.append(f"{where} link type {child.get('type')!r} is not a MIME type")
            elif child.tag in _ENTRY_TEXTS and child.tag not in first:
                first[child.tag] = (child.text or "").strip()
        ids.append(first.get(_ID, ""))
        out.extend(_id(where, first.get(_ID, ""), kept_ids))
        updates.append(first.get(_UPDATED, ""))
        for tag, name in ((_ID, "id"), (_TITLE, "title"), (_UPDATED, "updated")):
            if not first.get(tag):
                out.append(f"{where} has no {name}")
        for tag, name in ((_UPDATED, "updated"), (_PUBLISHED, "published")):
            value = first.get(tag)
            if value and (problem := _rfc3339_problem(f"{where} {name}", value)):
                out.append(problem)
        if not feed_author and _AUTHOR not in first:
            out.append(f"{where} has no author and the feed has none")
        for href in links:
            out.extend(_link(f"{where} link", href))
    out.extend(f"duplicate entry id {d}" for d in _duplicates(ids))
    out.extend(f"two entries share updated {d}" for d in _duplicates(updates))
    return out


_ID, _TITLE, _UPDATED, _PUBLISHED, _AUTHOR, _LINK = (
    f"{ATOM}{name}" for name in ("id", "title", "updated", "published", "author", "link")
)
_ENTRY_TEXTS = frozenset({_ID, _TITLE, _UPDATED, _PUBLISHED, _AUTHOR})


def lint_rss(rss: Any, self_url: str, kept_ids: frozenset[str] = frozenset()) -> list[str]:
    """Problems of a parsed RSS document (its root element)."""
    if rss.tag != "rss":
        return [f"unexpected root element {rss.tag}"]
    out: list[str] = []
    channel = rss.find("channel")
    if channel is None:
        return ["rss has no channel"]
    for name in ("title", "link", "description"):
        if not (channel.findtext(name) or "").strip():
            out.append(f"channel has no {name}")
    out.extend(_link("channel link", channel.findtext("link")))
    lang = channel.findtext("language")
    if not lang or not _language(lang):
        out.append(f"channel language {lang!r} is not a language code")
    for name in ("lastBuildDate", "pubDate"):
        value = channel.findtext(name)
        if value is not None and (problem := _rfc822_problem(f"channel {name}", value)):
            out.append(problem)
    selfs = [
        link.get("href") for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"
    ]
    if selfs != [self_url]:
        out.append(f"self link {selfs} does not match the published URL {self_url}")
    guids = []
    for n, item in enumerate(channel.findall("item"), 1):
        where = f"item {n}"
        if not (item.findtext("title") or item.findtext("description")):
            out.append(f"{where} has neither title nor description")
        guid = item.findtext("guid")
        if not guid:
            out.append(f"{where} has no guid")
        guids.append(guid or "")
        out.extend(_id(where, guid or "", kept_ids))
        out.extend(_link(f"{where} link", item.findtext("link")))
        description = item.findtext("description") or ""
        bare = _bare_less_than(description)
        if bare is not None:
            out.append(f"{where} description has a < that starts no tag: {bare!r}")
        broken = _broken_reference(description)
        if broken is not None:
            out.append(f"{where} description has an & no HTML reader takes: {broken!r}")
        date = item.findtext("pubDate")
        if date is not None and (problem := _rfc822_problem(f"{where} pubDate", date)):
            out.append(problem)
        enclosures = item.findall("enclosure")
        if len(enclosures) > 1:
            out.append(f"{where} has {len(enclosures)} enclosures; readers take one")
        for enclosure in enclosures:
            out.extend(_link(f"{where} enclosure URL", enclosure.get("url")))
            if not enclosable(enclosure.get("url") or ""):
                out.append(f"{where} enclosure URL {enclosure.get('url')!r} has no domain name")
            if not (enclosure.get("length") or "").isdigit() or not enclosure.get("type"):
                out.append(f"{where} enclosure needs a numeric length and a type")
            elif not _media_type(enclosure.get("type")):
                out.append(f"{where} enclosure type {enclosure.get('type')!r} is not a MIME type")
    out.extend(f"duplicate guid {d}" for d in _duplicates(guids))
    return out


def lint_json(feed: Any, self_url: str, kept_ids: frozenset[str] = frozenset()) -> list[str]:
    """Problems of a parsed JSON Feed document."""
    if not isinstance(feed, dict):
        return ["a JSON Feed is a JSON object"]
    out: list[str] = []
    if any(FORBIDDEN.search(value) for value in _strings(feed)):
        out.append("a value contains characters XML forbids (escaped control characters)")
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        out.append("version is not https://jsonfeed.org/version/1.1")
    if not feed.get("title"):
        out.append("feed has no title")
    if feed.get("feed_url") != self_url:
        out.append(f"feed_url {feed.get('feed_url')!r} does not match {self_url}")
    lang = feed.get("language")
    if lang is not None and not _language(lang):
        out.append(f"language {lang!r} is not a language code")
    ids = []
    for n, item in enumerate(feed.get("items") or [], 1):
        where = f"item {n}"
        ids.append(str(item.get("id", "")))
        if not item.get("id"):
            out.append(f"{where} has no id")
        out.extend(_id(where, str(item.get("id", "")), kept_ids))
        if "content_html" not in item and "content_text" not in item:
            out.append(f"{where} has neither content_html nor content_text")
        if "url" in item:
            out.extend(_link(f"{where} url", item["url"]))
        for name in ("image", "external_url"):
            if name in item:
                out.extend(_link(f"{where} {name}", item[name]))
        for attachment in item.get("attachments") or []:
            out.extend(_link(f"{where} attachment", attachment.get("url")))
        for name in ("date_published", "date_modified"):
            if name in item and not RFC3339.match(item[name]):
                out.append(f"{where} {name} {item[name]!r} is not an RFC 3339 date")
    out.extend(f"duplicate item id {d}" for d in _duplicates(ids))
    return out


def _strings(value: Any) -> Iterable[str]:
    """Every string inside a decoded JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _language(value: str) -> bool:
    """Whether the feed validator takes a language code: an ISO 639 primary subtag, and
    ``-`` between subtags (it reads ``en_US`` as one unknown code)."""
    return "_" not in value and language_tag(value) is not None


def _media_type(value: str | None) -> bool:
    """Whether the feed validator takes a link's or enclosure's type (its
    ``InvalidMIMEType``): ``type/subtype``, as the feeds write it (without parameters)."""
    return value is not None and ";" not in value and media_type(value) is not None
