"""Which WebSub hub a feed names (https://www.w3.org/TR/websub/#discovery).

The answer's ``Link`` header comes first (``<https://hub.example/>; rel="hub"``), then the
document: an Atom or RSS feed's ``<link rel="hub">`` / ``<atom:link rel="hub">`` before its
first entry, a JSON Feed's ``hubs`` (of type WebSub). The topic is the feed's
``rel="self"`` link (a JSON Feed's ``feed_url``) from the same place, else the address the
feed was read from.

A YouTube channel's feed names no hub, though Google's hub pushes it: YouTube documents
the hub (``https://pubsubhubbub.appspot.com/``) and the topic
(``https://www.youtube.com/xml/feeds/videos.xml?channel_id=<id>``) to subscribe to, and
they are taken for a channel's feed (a playlist's has no push).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from tdlc_syndication.pipeline.canonical import resolve_url
from tdlc_syndication.pipeline.encoding import document_start
from tdlc_syndication.pipeline.jsonyaml import load_json
from tdlc_syndication.pipeline.ledger import Hub

YOUTUBE_HUB = "https://pubsubhubbub.appspot.com/"
YOUTUBE_TOPIC = "https://www.youtube.com/xml/feeds/videos.xml?channel_id="
#: Public hubs that answer over https, named at http:// addresses by older feeds (Blogger's
#: name Google's so): asked over https, so that the subscription's secret is not sent in
#: the clear (WebSub 5.1: a secret only over HTTPS).
HTTPS_HUBS = frozenset(
    {"pubsubhubbub.appspot.com", "pubsubhubbub.superfeedr.com", "websub.superfeedr.com"}
)
HEAD_BYTES = 65_536  # how much of an XML feed is searched for its hub (its head)
# A link and its parameters; a parameter's quoted value may hold ";" and "," (RFC 8288:
# title="Hubs, and more" ended the link there, and its rel was lost).
_LINK_VALUE = re.compile(r"""<([^>]*)>((?:\s*;\s*(?:[^;,"]|"[^"]*")+)*)""")
_PARAM = re.compile(r"""\s*;\s*([A-Za-z*-]+)\s*=\s*(?:"([^"]*)"|([^\s;,"]+))""")
_LINK_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?link\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb"""([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_FIRST_ENTRY = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:entry|item)\b", re.IGNORECASE)


def advertised(link_header: str, body: bytes, location: str) -> Hub:
    """The hub the feed at ``location`` names, and its topic; ``Hub("", location)`` when
    it names none. Relative addresses are taken from ``location``; only http(s) counts."""
    hub, own = _from_links(link_header, location)
    if not hub:
        hub, own = _from_document(body, location)
    if hub:
        return Hub(hub=_secure(hub), topic=own or location)
    channel = _youtube_channel(location)
    if channel:
        return Hub(hub=YOUTUBE_HUB, topic=YOUTUBE_TOPIC + channel)
    return Hub(hub="", topic=location)


def self_address(body: bytes) -> str:
    """The absolute address an RSS or Atom document names itself at (its ``rel="self"``
    link before its first entry); '' where it names none."""
    return "" if _is_json(body) else _from_document(body, "")[1]


def _is_json(body: bytes) -> bool:
    """Whether a feed document is a JSON Feed (perhaps after a byte-order mark; an XML
    feed after one was read as JSON, and its hub and self link were not seen)."""
    return document_start(body, 1) == b"{"


def _secure(hub: str) -> str:
    """``hub`` at https when it is a known public hub named at http."""
    parts = urlsplit(hub)
    if parts.scheme == "http" and (parts.hostname or "") in HTTPS_HUBS and not parts.port:
        return "https" + hub[len("http") :]
    return hub


def _youtube_channel(location: str) -> str:
    """The channel id of a YouTube channel's feed address ('' for any other)."""
    try:
        parts = urlsplit(location)
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    if host not in ("www.youtube.com", "youtube.com") or parts.path != "/feeds/videos.xml":
        return ""
    channel = parse_qs(parts.query).get("channel_id", [""])[0]
    return (
        channel if channel.isascii() and channel.replace("_", "").replace("-", "").isalnum() else ""
    )


def _http(value: str, base: str) -> str:
    """``value`` as an absolute http(s) address, or ''."""
    absolute = resolve_url(base, value.strip())
    try:
        scheme = urlsplit(absolute).scheme
    except ValueError:
        return ""
    return absolute if scheme in ("http", "https") and "//" in absolute else ""


def _from_links(header: str, base: str) -> tuple[str, str]:
    """The hub and self addresses of a ``Link`` header (RFC 8288)."""
    hub = own = ""
    for match in _LINK_VALUE.finditer(header):
        rels: set[str] = set()
        for param in _PARAM.finditer(match.group(2)):
            if param.group(1).lower() == "rel":
                rels.update((param.group(2) or param.group(3) or "").lower().split())
        if "hub" in rels and not hub:
            hub = _http(match.group(1), base)
        if "self" in rels and not own:
            own = _http(match.group(1), base)
    return hub, own


def _from_document(body: bytes, base: str) -> tuple[str, str]:
    """The hub and self addresses a feed document names."""
    if _is_json(body):
        return _from_json_feed(body, base)
    head = body[:HEAD_BYTES]
    entry = _FIRST_ENTRY.search(head)
    if entry is not None:
        head = head[: entry.start()]
    hub = own = ""
    for tag in _LINK_TAG.finditer(head):
        attributes = {
            name.lower().split(b":")[-1]: double or single
            for name, double, single in _ATTRIBUTE.findall(tag.group(1))
        }
        rels = attributes.get(b"rel", b"").decode("utf-8", "replace").lower().split()
        href = attributes.get(b"href", b"").decode("utf-8", "replace").replace("&amp;", "&")
        if "hub" in rels and not hub:
            hub = _http(href, base)
        if "self" in rels and not own:
            own = _http(href, base)
    return hub, own


def _from_json_feed(body: bytes, base: str) -> tuple[str, str]:
    """The first WebSub hub of a JSON Feed's ``hubs``, and its ``feed_url`` (a feed that
    names no hub is not read: its parse reads it)."""
    if b'"hubs"' not in body:
        return "", ""
    try:
        data = load_json(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # (a parse failure says so)
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    hub = ""
    hubs = data.get("hubs")
    for entry in hubs if isinstance(hubs, list) else []:
        if isinstance(entry, dict) and str(entry.get("type", "")).lower() == "websub":
            hub = _http(str(entry.get("url", "")), base)
            if hub:
                break
    own = data.get("feed_url")
    return hub, _http(own, base) if isinstance(own, str) else ""
