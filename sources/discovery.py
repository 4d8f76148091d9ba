"""Finding what a site offers as sources: the feeds and calendars a page announces in its
``<link rel="alternate">`` or links to, a WordPress site's REST API, the sitemaps its
robots.txt names, a YouTube channel's or playlist's feed, and the addresses where the
partner cities' content systems put their feeds.

Pure: it reads a document's bytes or text and names candidates; ``pipeline.discover``
fetches them and reads each with its source kind before it offers one.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import parse_qs, quote, urlsplit

from tdlc_syndication.config.base import subscribed_url
from tdlc_syndication.config.languages import language_tag
from tdlc_syndication.pipeline.answers import BOT_CHECK, BOT_CHECK_FIX, is_bot_check
from tdlc_syndication.pipeline.canonical import resolve_url
from tdlc_syndication.pipeline.encoding import decode, document_start
from tdlc_syndication.pipeline.text import plain_text, shorten
from tdlc_syndication.sources.common import is_web_address, site_of
from tdlc_syndication.sources.inlinetext import is_tag
from tdlc_syndication.sources.page import document_base, soup_of

Offer = Literal["feed", "ical", "sitemap", "wordpress", "html", "opml"]

#: The media types a page announces feeds and calendars with (``text/xml`` and
#: ``application/xml`` too, as older municipal systems write; reading them tells).
ANNOUNCED_TYPES: dict[str, Offer] = {
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/feed+json": "feed",
    "text/xml": "feed",
    "application/xml": "feed",
    "text/calendar": "ical",
}

#: Where feeds usually are when a page announces none: WordPress, and the paths most
#: common among Japanese municipalities' confirmed feeds (``/rss/10/list1.xml``: the
#: NetCrew system's new items in RSS 1.0, ``20`` its RSS 2.0), then the generic ones.
USUAL_PATHS = (
    "/feed/",
    "/rss/10/list1.xml",
    "/rss/20/list1.xml",
    "/rss/rss.xml",
    "/rss.xml",
    "/news.rss",
    "/rss_news.xml",
    "/docs/index.rss",
    "/index.rdf",
    "/atom.xml",
    "/feed.xml",
    "/index.xml",
)

_FEED_PATH = re.compile(r"(\.(rss|rdf|atom)$)|((rss|feed|atom|rdf)[^/]*\.xml$)|(/feed/?$)", re.I)
_FEED_WORD = re.compile(r"^\s*(rss|atom|rss\s*feed|フィード|rssフィード|rss配信)\s*$", re.I)
_COMMENTS = re.compile(r"\bcomments?\b|コメント", re.I)
_ROOT = re.compile(rb"<([A-Za-z_][\w:.-]*)")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com"}
_YOUTUBE_FEED = "https://www.youtube.com/feeds/videos.xml"
_GOOGLE_ICAL = "https://calendar.google.com/calendar/ical"
_OUTLOOK_HOSTS = frozenset({"outlook.office365.com", "outlook.office.com", "outlook.live.com"})
MAX_LINKED = 8  # links from a page's body read at most: each is one request


@dataclass(frozen=True, slots=True)
class Candidate:
    """Something that may be a source: its kind of offer, its address, the title given
    with it, how it was found (said to the operator) and, for an events API, the zone
    its site writes times in."""

    offer: Offer
    url: str
    title: str = ""
    how: str = ""
    zone: str = ""


def offer_of(body: bytes, media_type: str = "") -> Offer | None:
    """What a document is: a feed (RSS, RDF, Atom, JSON Feed), a calendar, a sitemap or
    sitemap index, a WordPress REST API's index, a web page; None for anything else."""
    head = document_start(body, 4096)
    if head.startswith(b"BEGIN:VCALENDAR"):
        return "ical"
    if head.startswith((b"{", b"[")):
        return _json_offer(body)
    for found in _ROOT.finditer(head):  # the first element (not <?xml or <!DOCTYPE)
        name = found.group(1).decode("ascii").lower().rsplit(":", 1)[-1]
        if name in ("rss", "rdf", "feed"):
            return "feed"
        if name in ("urlset", "sitemapindex"):
            return "sitemap"
        if name == "opml":
            return "opml"
        if name in ("html", "head", "body", "title", "meta", "div"):
            return "html"
        return "html" if "html" in media_type else None
    return "html" if "html" in media_type else None


def _json_offer(body: bytes) -> Offer | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    if str(data.get("version", "")).startswith("https://jsonfeed.org/version/"):
        return "feed"
    if "wp/v2" in (data.get("namespaces") or []):
        return "wordpress"
    return None


def wordpress_index(body: bytes) -> tuple[list[str], str | None]:
    """The namespaces a WordPress REST index offers (``wp/v2``, ``tribe/events/v1``) and
    the site's time zone (``timezone_string``), if it names one."""
    try:
        data = json.loads(body)
    except ValueError:
        return [], None
    if not isinstance(data, dict):
        return [], None
    spaces = [s for s in data.get("namespaces") or [] if isinstance(s, str)]
    zone = data.get("timezone_string")
    return spaces, zone if isinstance(zone, str) and zone else None


def page_candidates(text: str, url: str) -> tuple[list[Candidate], str, str | None]:
    """What a web page offers, in the order to try them: the feeds and calendars it
    announces, its WordPress REST API, the Google calendars it embeds, then feed and
    calendar links in its body (feeds on its own site; at most :data:`MAX_LINKED`).
    Also its title and language."""
    soup = soup_of(text)
    base = document_base(text, url)
    found: list[Candidate] = []
    linked: list[Candidate] = []
    for link in soup.find_all("link"):
        if not is_tag(link):
            continue
        rel = {r.lower() for r in _words(link.get("rel"))}
        href = str(subscribed_url(resolve_url(base, str(link.get("href") or "").strip())))
        if not is_web_address(href):  # feed:// and webcal:// read as what they stand for
            continue
        kind = ANNOUNCED_TYPES.get(str(link.get("type") or "").split(";")[0].strip().lower())
        title = str(link.get("title") or "").strip()
        if "alternate" in rel and kind is not None and not _comments(href, title):
            found.append(Candidate(kind, href, title, "announced"))
        elif "https://api.w.org/" in rel:
            found.append(Candidate("wordpress", href, "", "announced"))
        elif "canonical" in rel:  # a YouTube @handle page's is its /channel/UC... address
            found += address_candidates(href)
    for meta in soup.find_all("meta", itemprop="channelId"):  # YouTube's older pages
        channel = str(meta.get("content") or "").strip() if is_tag(meta) else ""
        if channel.startswith("UC") and site_of(url) == "youtube.com":
            found.append(Candidate("feed", f"{_YOUTUBE_FEED}?channel_id={channel}", "", "address"))
    site = site_of(url)
    for anchor in soup.find_all("a", href=True):
        if not is_tag(anchor):
            continue
        candidate = _linked(base, str(anchor.get("href")), _label(anchor))
        # A calendar may live elsewhere (Google's, Outlook's); a feed of another site
        # is that site's (a share button, a partner's news).
        if candidate is not None and (candidate.offer == "ical" or site_of(candidate.url) == site):
            linked.append(candidate)
    for frame in soup.find_all("iframe", src=True):
        if is_tag(frame):
            shown = resolve_url(base, str(frame.get("src")))
            found += google_calendars(shown)
            outlook = outlook_calendar(shown)
            found += [replace(outlook, how="embedded")] if outlook else []
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    html = soup.find("html")
    lang = str(html.get("lang") or "").strip() if is_tag(html) else ""
    # (a tag that names no language, <html lang=\x00"ja">, is none: the settings refuse it)
    return unique([*found, *linked[:MAX_LINKED]]), title, language_tag(lang) if lang else None


def google_calendars(url: str) -> list[Candidate]:
    """The calendars a Google Calendar embed shows (``calendar.google.com/calendar/embed
    ?src=ID&src=ID2``), or its link to add a calendar names (``…/calendar/u/0?cid=``, the
    calendar's id in base64), each at its public iCalendar address."""
    parts = urlsplit(url)
    if parts.hostname != "calendar.google.com":
        return []
    query = parse_qs(parts.query)
    if "/embed" in parts.path:
        ids, how = query.get("src", []), "embedded"
    else:
        ids, how = [_base64_text(cid) for cid in query.get("cid", [])], "linked"
    return [
        Candidate("ical", f"{_GOOGLE_ICAL}/{quote(one, safe='@')}/public/basic.ics", "", how)
        for one in ids
        if one.strip()
    ]


def _base64_text(value: str) -> str:
    """A calendar's id written in base64 (URL-safe or not, its padding perhaps left out);
    "" when it is none."""
    written = value.strip().replace(" ", "+")  # a query's "+" reads as a blank
    try:
        text = base64.urlsafe_b64decode(written.replace("+", "-").replace("/", "_") + "==")
        said = text.decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return ""
    return said if "@" in said else ""  # a calendar's id is an address


def outlook_calendar(url: str) -> Candidate | None:
    """The iCalendar address of a calendar Outlook publishes as a page: a shared
    calendar has both, and sites link or embed the page (``…/owa/calendar/ID/ID/
    calendar.html``, read as ``calendar.ics``); None for any other address."""
    parts = urlsplit(url)
    path = parts.path
    if (parts.hostname or "").lower() not in _OUTLOOK_HOSTS or "/calendar/" not in path:
        return None
    if not path.lower().endswith("/calendar.html"):
        return None
    return Candidate("ical", f"https://{parts.netloc}{path[: -len('.html')]}.ics", "", "address")


def _comments(url: str, title: str) -> bool:
    """Whether an announced feed holds comments, not content: WordPress announces its
    comments feed (``/comments/feed/``, "… » Comments Feed", "コメントフィード") and on a
    post's page that post's."""
    return "/comments/feed" in url or _COMMENTS.search(title) is not None


def _words(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value or "").split()


def _label(anchor: object) -> str:
    if not is_tag(anchor):
        return ""
    alts = [str(img.get("alt") or "") for img in anchor.find_all("img") if is_tag(img)]
    return " ".join([anchor.get_text(" ", strip=True), *alts]).strip()


def _linked(base: str, href: str, label: str) -> Candidate | None:
    """A body link that leads to a feed or a calendar, by its address or its words."""
    given = href.strip()
    href = str(subscribed_url(given))  # feed://, webcal://: the http(s) address
    if given[:10].lower().startswith(("webcal://", "webcals://")):
        return Candidate("ical", href, label, "linked")
    target = resolve_url(base, href)
    if not is_web_address(target):
        return None
    outlook = outlook_calendar(target)  # the page of a published calendar: its .ics
    if outlook is not None:
        return replace(outlook, title=label, how="linked")
    shared = google_calendars(target)  # Google's link to add a calendar (?cid=)
    if shared:
        return replace(shared[0], title=label)
    path = urlsplit(target).path
    if path.lower().endswith(".ics"):
        return Candidate("ical", target, label, "linked")
    if _FEED_PATH.search(path) or _FEED_WORD.match(label):
        return Candidate("feed", target, label, "linked")
    return None


def address_candidates(url: str) -> list[Candidate]:
    """Feeds an address names by its form alone: a YouTube channel (``/channel/UC...``)
    or playlist (``?list=PL...``), a published Outlook calendar's page."""
    outlook = outlook_calendar(url)  # a published Outlook calendar's page: its .ics
    if outlook is not None:
        return [outlook]
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in _YOUTUBE_HOSTS:
        return []
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) >= 2 and segments[0] == "channel" and segments[1].startswith("UC"):
        return [Candidate("feed", f"{_YOUTUBE_FEED}?channel_id={segments[1]}", "", "address")]
    playlist = parse_qs(parts.query).get("list")
    if playlist and playlist[0]:
        return [Candidate("feed", f"{_YOUTUBE_FEED}?playlist_id={playlist[0]}", "", "address")]
    return []


def robots_sitemaps(text: str) -> list[Candidate]:
    """The sitemaps a robots.txt names (``Sitemap:`` lines, any case)."""
    found = []
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == "sitemap":
            value = value.split("#", 1)[0].strip()
            if is_web_address(value):
                found.append(Candidate("sitemap", value, "", "robots"))
    return unique(found)


def usual_candidates(origin: str) -> list[Candidate]:
    """The usual addresses of feeds at ``origin`` (``https://host``)."""
    return [Candidate("feed", origin + path, "", "usual") for path in USUAL_PATHS]


def unique(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates without a second one at the same address (the first kept)."""
    seen: set[str] = set()
    kept = []
    for candidate in candidates:
        if candidate.url not in seen:
            seen.add(candidate.url)
            kept.append(candidate)
    return kept


def document_title(body: bytes, offer: Offer) -> str:
    """The title a feed or calendar gives itself (the channel's or feed's ``title``, a
    JSON Feed's ``title``, a calendar's ``X-WR-CALNAME`` or ``NAME``); '' if none."""
    if offer == "ical":
        text = body[:65536].decode("utf-8", "replace")
        found = re.search(r"^(?:X-WR-CALNAME|NAME)(?:;[^:\r\n]*)?:(.*)$", text, re.M)
        return found.group(1).strip() if found else ""
    if offer != "feed":
        return ""
    if document_start(body, 1) == b"{":
        try:
            title = json.loads(body).get("title")
        except (ValueError, AttributeError):
            return ""
        return title.strip() if isinstance(title, str) else ""
    from lxml import etree

    try:
        root = etree.fromstring(body, etree.XMLParser(recover=True, resolve_entities=False))
    except etree.XMLSyntaxError:
        return ""
    if root is None:
        return ""
    try:
        for element in root.iter():
            if isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] == "title":
                return " ".join("".join(element.itertext()).split())
    except UnicodeDecodeError:  # a character reference to half a surrogate pair
        return ""
    return ""


def listed_feeds(body: bytes, base: str) -> list[tuple[Candidate, tuple[str, ...]]]:
    """The feeds an OPML list names (a feed reader's export of its subscriptions: each
    ``<outline>`` with an ``xmlUrl`` on the web), in the list's order, once each, with the
    folders they are filed under (the enclosing outlines' names: ``("Kobe",)``). Entities
    are not expanded: a list cannot make it read a file."""
    from lxml import etree

    try:
        root = etree.fromstring(body, etree.XMLParser(recover=True, resolve_entities=False))
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    found: dict[str, tuple[Candidate, tuple[str, ...]]] = {}
    for outline in root.iter("outline"):
        attributes = {str(k).lower(): str(v).strip() for k, v in outline.attrib.items()}
        address = attributes.get("xmlurl", "")
        if not address:
            continue
        url = resolve_url(base, address)
        if urlsplit(url).scheme not in ("http", "https"):
            continue  # file:, javascript:...: no feed on the web, never read
        title = attributes.get("title") or attributes.get("text", "")
        folders = tuple(
            name
            for parent in reversed(list(outline.iterancestors("outline")))
            if (name := parent.get("text") or parent.get("title") or "")
        )
        found.setdefault(url, (Candidate("feed", url, title, "listed"), folders))
    return list(found.values())


def web_page_hint(body: bytes, charset: str | None, url: str, wanted: Offer) -> str | None:
    """When a feed or calendar source's address gives a web page: what to do, naming the
    feeds or calendars the page announces or links (the first three); None when the body
    is no web page. An empty answer, and one that is text, not markup (a server's error:
    PHP's ``<br /> <b>Fatal error</b>: …``, a program's source), say so and quote it: an
    operator read only that the address gave no feed."""
    noun = "an RSS, RDF or Atom feed" if wanted == "feed" else "an iCalendar file"
    if not body.strip():
        return f"{url} answered with an empty document, not {noun}: the site failed to write it"
    offer = offer_of(body, "")
    if offer != "html":
        said = _error_text(body, charset) if offer is None else None
        return f'{url} answered with text, not {noun}: "{said}"' if said else None
    # the address itself may name its feed or calendar (Outlook's calendar.html)
    named_by_address = [c for c in address_candidates(url) if c.offer == wanted]
    on_page = page_candidates(decode(body, charset)[0], url)[0]
    offered = unique([*named_by_address, *(c for c in on_page if c.offer == wanted)])
    if is_bot_check(body):
        return f"{url} answered with {BOT_CHECK}, not {noun}: {BOT_CHECK_FIX}"
    if not offered:
        return (
            f"{url} is a web page, not {noun}, and it offers none; "
            f"`syndicate discover {url}` looks for one on its site"
        )
    named = ", ".join(f"{c.url} ({c.title})" if c.title else c.url for c in offered[:3])
    return f"{url} is a web page, not {noun}; it offers {named}: set url to it"


# How an answer that is a server's error starts: text, or the tags PHP writes around its
# message (``<br />\n<b>Fatal error</b>:``), or a program's own source (``<?php``).
_ERROR_START = re.compile(r"(?:[^<\s]|<br\s*/?>|<b>|<\?php)", re.I)
_ERROR_QUOTED = 120  # characters of it an error message quotes


def _error_text(body: bytes, charset: str | None) -> str | None:
    """The start of an answer that is a server's error text rather than a document (as
    text, at most ``_ERROR_QUOTED`` characters), or None for markup."""
    head = decode(document_start(body, 2048), charset)[0]
    return shorten(plain_text(head), _ERROR_QUOTED) if _ERROR_START.match(head) else None
