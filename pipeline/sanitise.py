"""Allow-list HTML cleaning of what origins send (nh3): no scripts, handlers, styles, forms,
SVG or unsafe URL schemes; links made absolute, lazy images given their address, tracking
pixels and empty frames dropped, and a video embed or player made a link to its video.
"""

from __future__ import annotations

import html as html_lib
import re
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

import nh3

from tdlc_syndication.pipeline.canonical import (
    canonical_url,
    escaped_fragment,
    names_this_document,
)
from tdlc_syndication.pipeline.eastasian import joined_html
from tdlc_syndication.pipeline.elements import (
    TAG_REST,
    attributes,
    replaced,
    text_length,
    without_empty,
)
from tdlc_syndication.pipeline.mailings import without_mailing_parts
from tdlc_syndication.pipeline.sharebuttons import without_share_buttons
from tdlc_syndication.pipeline.text import (
    HALF_WIDTH_KANA,
    composed,
    full_width_kana,
    mended_latin,
    strip_controls,
)
from tdlc_syndication.pipeline.uris import ascii_url, split_url, web_url

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "address", "article", "aside", "b", "blockquote", "br", "caption", "cite",
        "code", "dd", "del", "details", "div", "dl", "dt", "em", "figcaption", "figure",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "i", "img",
        "ins", "kbd", "li", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "section", "small",
        "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "u", "ul",
    }
)  # fmt: skip
# The blocks a text is written in are kept (<div>, <section>, <article>, <header>,
# <footer>, <aside>, <h1>...): taken out, the blocks ran together, in the content and in
# every summary made of it ("Line oneLine two": a mail composed in Gmail or Outlook on
# the web, Ghost's cards, Blogger's posts; "HeadingText" after a post's <h1>); so is a
# section a click opens (<details>, <summary>), whose heading ran into its text. The
# W3C feed validator takes each; the site's pages show no item's content.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "abbr": {"title"},
    "*": {"lang"},
}


def sanitise_html(
    value: str,
    base: str | None = None,
    *,
    embed_hosts: frozenset[str] = frozenset(),
    https_hosts: frozenset[str] = frozenset(),
) -> str:
    """Allow-list HTML cleaning (nh3): no scripts, handlers, styles, forms, SVG or unsafe URL
    schemes; a video embed (``<iframe>``) from ``embed_hosts`` (https) becomes a link to its
    video (:func:`embeds_as_links`), any other is removed.

    A line break of the source between two Japanese or Chinese characters is taken out
    (but in a ``<pre>``), as CSS Text 3 reads it: Chromium showed it as a space inside a
    word. Relative ``href``/``src`` are made absolute against ``base``. HTML escaped once too
    often (a CMS that escapes its markup twice: ``&lt;p&gt;Hello&lt;/p&gt;``, which
    readers showed as text, tags and all) is read as the HTML it stands for.
    """
    if not value.strip():
        return ""
    while "<" not in value and _ESCAPED_MARKUP.match(value):  # each turn shortens it
        value = html_lib.unescape(value)
    if "data-" in value and ("<img" in value or "<iframe" in value or "<IFRAME" in value):
        value = _LAZY.sub(_unlazy, value)
    if "srcset" in value and "<img" in value:
        value = _SIZES_ONLY.sub(_largest, value)
    if "<form" in value or "<FORM" in value:  # a form a post embeds (WPForms', Jetpack's)
        value = replaced(value, _FORM, _FORM_END, _without_form)
    token = _LINKS.set(_Links(base, https_hosts, embed_hosts))
    try:
        cleaned = _cleaner(bool(embed_hosts)).clean(strip_controls(mended_latin(value)))
    finally:
        _LINKS.reset(token)
    # An embed whose source was refused is an empty frame, an image an <img> with no src
    # (which no HTML checker takes): drop them, and a paragraph left empty by what was
    # taken out (a frame, a form, a script, a shortcode).
    cleaned = _EMPTY_IFRAME.sub("", cleaned)
    if _NOT_LINKED.search(cleaned):  # an anchor (<a name="more">); one look, most have none
        cleaned = _ANCHOR.sub(_linked_or_text, cleaned)
    if "<img" in cleaned and (
        cleaned.count("<img") > cleaned.count('<img src="')  # one may have no src
        or 'height="' in cleaned  # a tracking pixel is 1 by 1
    ):
        cleaned = _IMAGE.sub(_shown_image, cleaned)
    cleaned = without_share_buttons(cleaned)  # AddToAny's row in every entry of a feed
    cleaned = without_mailing_parts(cleaned)  # a newsletter's footer (its archive's feed)
    cleaned = _EMPTY_LINK.sub("", cleaned)
    if "<br>" in cleaned:
        cleaned = _BREAKS.sub(_without_edge_breaks, cleaned)
    cleaned = without_empty(cleaned, _EMPTY_PARAGRAPH, _EMPTY_NESTED)
    return composed(joined_html(_kana_in_text(embeds_as_links(cleaned)))).strip()


_TAGS = re.compile(r"(<[^>]*>)")
# A form, and what makes one: a field or a button. Its own words are at most _FORM_WORDS.
_FORM = re.compile(rf"<(form)\b({TAG_REST})>", re.I)
_FORM_END = {"form": re.compile(r"</form\s*>", re.I)}
_FIELD = re.compile(r"<(?:input|select|textarea|button)\b", re.I)
_FORM_WORDS = 600


def _without_form(start: re.Match[str], inside: str) -> str:
    """A form's content as the cleaning would keep it (its tags go), or nothing for a
    form a post embeds to sign up or register (WPForms', Contact Form 7's, Jetpack's
    subscribe block): in a feed it sends nothing, and its labels and buttons ("Name *
    Email * Submit") were published as the post's words. A form that holds a page's text
    (an ASP.NET page is one form) has more words than a form's, and stays."""
    if _FIELD.search(inside) is None or text_length(inside) > _FORM_WORDS:
        return inside
    return ""


def _kana_in_text(markup: str) -> str:
    """``markup`` with the half-width katakana of its text full-width, as titles and
    summaries have them (:func:`~tdlc_syndication.pipeline.text.full_width_kana`); its
    tags, and the addresses in them, as they were."""
    if markup.isascii() or HALF_WIDTH_KANA.search(markup) is None:
        return markup
    parts = _TAGS.split(markup)
    return "".join(part if index % 2 else full_width_kana(part) for index, part in enumerate(parts))


def _shown_image(match: re.Match[str]) -> str:
    """An ``<img>`` of the cleaned HTML, or nothing for one with no source or a tracking
    pixel: an image 1 by 1 (or 0), as FeedBurner, Medium and WordPress.com stats add to
    every entry to count its readers. Published, it counted every reader of the program's
    feeds and pages for them."""
    attributes = match[1]
    if not _SRC.search(attributes):
        return ""
    size = dict(_SIZE.findall(attributes))
    if all(_PIXEL.match(size.get(side, "")) for side in ("width", "height")):
        return ""
    return match[0]


# Text with no tag of its own that starts with an escaped one: markup escaped once more
# than it should be. (Text that only mentions a tag, "use &lt;br&gt;", is left as text.)
_ESCAPED_MARKUP = re.compile(
    r"\s*(?:&(?:amp;)*lt;|&#0*60;|&#x0*3c;)/?(?:p|div|h[1-6]|ul|ol|table|figure|blockquote|img"
    r"|a|span|strong|em|b|i|br)(?:\s|&(?:amp;)*gt;|/|&#0*62;|&#x0*3e;)",
    re.I,
)
_IFRAME = re.compile(r"<iframe\b([^>]*)>.*?</iframe>", re.I | re.S)
_ATTRIBUTE = re.compile(r'\b(src|title)="([^"]*)"')


def embeds_as_links(html: str) -> str:
    """Each ``<iframe>`` video embed as a link to its video (YouTube's watch page), named
    by the embed's title, else by its address. The W3C Feed Validation Service warns of any
    iframe in a feed's content (``SecurityRisk``), and readers that show one show a link."""
    if "<iframe" not in html:
        return html
    return _IFRAME.sub(_embed_link, html)


def _embed_link(match: re.Match[str]) -> str:
    """The link that stands for one cleaned ``<iframe>`` (its attributes are escaped and
    double-quoted: the cleaner wrote them)."""
    found = dict(_ATTRIBUTE.findall(match[1]))
    src = found.get("src", "")
    if not src:
        return ""
    href = html_lib.escape(video_page(html_lib.unescape(src)))
    text = found.get("title", "").strip()  # (escaped already)
    if text.casefold() in _PLAYER_TITLES:  # YouTube's embed code names every video so
        text = ""
    return f'<a href="{href}" rel="noopener noreferrer">{text or href}</a>'


# The titles an embed code gives every video, which name none.
_PLAYER_TITLES = frozenset({"youtube video player", "youtube player", "video player"})


@dataclass(frozen=True, slots=True)
class _Links:
    """How the cleaning under way treats links (read by the cleaner's attribute filter)."""

    base: str | None
    https_hosts: frozenset[str]
    embed_hosts: frozenset[str]


_LINKS: ContextVar[_Links] = ContextVar("links")


def _absolutise(tag: str, attribute: str, url: str) -> str | None:
    if attribute not in ("href", "src"):
        return url
    if attribute == "src" and names_this_document(url):
        return None
    links = _LINKS.get()
    base = links.base
    absolute = canonical_url(url, base, https_hosts=links.https_hosts) if base else ascii_url(url)
    if tag == "iframe":
        parts = split_url(absolute)  # https://[::1/x raised inside nh3, printed as "ignored"
        host = parts.hostname if parts is not None else None
        secure = absolute[:8].lower() == "https://"
        return absolute if secure and host in links.embed_hosts else None
    if absolute[:7].lower() == "mailto:":
        return absolute
    # A link on a host browsers refuse (http://a..b/) leads nowhere: its text stays.
    if not web_url(absolute):
        return None
    # A link to a part of a page keeps it (a footnote, a section: "#agenda"), which the
    # canonical address drops: the reader landed at the page's top.
    if tag != "a" or "#" not in url or "#" in absolute:  # (without a base, it is there)
        return absolute
    fragment = url.partition("#")[2]
    return absolute + "#" + escaped_fragment(fragment) if fragment else absolute


@lru_cache(maxsize=2)
def _cleaner(embeds: bool) -> nh3.Cleaner:
    """One reusable cleaner (building one costs as much as a cleaning), with or without
    ``<iframe>``."""
    tags = set(ALLOWED_TAGS)
    attributes = {k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()}
    if embeds:
        tags.add("iframe")
        attributes["iframe"] = {"src", "title", "width", "height", "allowfullscreen"}
    return nh3.Cleaner(
        tags=tags,
        # <noscript>: a lazy image's fallback (its image is taken from the lazy one:
        # _unlazy), or a tracking pixel; its markup was published as text.
        # <title>: a whole document's (a newsletter's archive feed gives each issue so),
        # never shown; a form's fields: a list's choices, a box's default words.
        clean_content_tags={"script", "style", "noscript", "title", "select", "textarea"},
        attributes=attributes,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=_absolutise,
        strip_comments=True,
    )


# An image or an embedded video a script loads when it scrolls into view (WordPress's
# lazy-load plugins, WP Rocket's, many themes and CMSs): its address in data-src,
# data-lazy-src or data-original, its src a placeholder (a data: URI, a blank GIF,
# about:blank) or none. Read without the script, the image was lost, or a blank
# placeholder published, and the video was no link.
_LAZY = re.compile(r"<(?:img|iframe)\b(?=[^<>]*\sdata-(?:lazy-src|src|original)\s*=)[^<>]*>", re.I)
_SOURCE = re.compile(r"\ssrc\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+)", re.I)
_PATH_MARK = re.compile(r"[/.]")


def _unlazy(match: re.Match[str]) -> str:
    """A lazy ``<img>`` or ``<iframe>`` with the address its script would load as its
    ``src``."""
    tag = match[0]
    said = attributes(tag)
    source = said.get("data-lazy-src") or said.get("data-src") or said.get("data-original") or ""
    source = source.strip()
    # no address where it holds no "/" nor "." (a theme's template left half filled:
    # data-src="src=", which took the place of the image's address)
    if not source or source.lower().startswith("data:") or not _PATH_MARK.search(source):
        return tag
    return _with_source(tag, source)


def _with_source(tag: str, url: str) -> str:
    """An origin's ``<img>`` or ``<iframe>`` tag with ``url`` as its ``src``, in place of
    the one it had."""
    name = "<iframe" if tag[:7].lower() == "<iframe" else "<img"
    rest = _SOURCE.sub("", tag[len(name) :])
    return f'{name} src="{html_lib.escape(url, quote=True)}"{rest}'


# An image given only as a set of sizes (``srcset``, or a lazy loader's ``data-srcset`` or
# ``data-lazy-srcset``: lazysizes', WP Rocket's), its src none or a placeholder (a data:
# URI): the cleaning keeps no srcset, and the image was lost. Its largest size is its src.
_SIZES_ONLY = re.compile(
    r"<img\b(?![^<>]*\ssrc\s*=\s*[\"']?(?!data:)[^\s\"'>])"
    r"(?=[^<>]*\s(?:data-(?:lazy-)?)?srcset\s*=)[^<>]*>",
    re.I,
)


def _largest(match: re.Match[str]) -> str:
    """An ``<img>`` given only as a set of sizes, with the largest as its ``src``."""
    tag = match[0]
    said = attributes(tag[4:])
    written = said.get("data-lazy-srcset") or said.get("data-srcset") or said.get("srcset")
    best, widest = "", -1.0
    for url, descriptor in _candidates(written or ""):
        size = _number(descriptor[:-1]) if descriptor[-1:].lower() in ("w", "x") else 1.0
        if size > widest and not url.lower().startswith("data:"):
            best, widest = url, size
    return _with_source(tag, best) if best else tag


def _candidates(srcset: str) -> list[tuple[str, str]]:
    """A srcset's candidates, (address, descriptor), as HTML parses them: an address is
    a run of anything but spaces (a comma inside it too: ``w_300,h_200/a.jpg``), its
    descriptor what follows up to the next comma."""
    found = []
    at, end = 0, len(srcset)
    while at < end:
        while at < end and (srcset[at].isspace() or srcset[at] == ","):
            at += 1
        start = at
        while at < end and not srcset[at].isspace():
            at += 1
        url, descriptor = srcset[start:at], ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            comma = srcset.find(",", at)
            stop = end if comma < 0 else comma
            descriptor, at = srcset[at:stop].strip(), stop
        if url:
            found.append((url, descriptor))
    return found


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


# A link the cleaner left without an address (an anchor the origin named, a Blogger post's
# <a name="more">, a document's bookmarks): its text alone. HTML allows no rel= on an <a>
# without href, and it was an empty or dead link in every reader.
_NOT_LINKED = re.compile(r"<a (?!href=)")  # (or one whose href comes after its title)
_ANCHOR = re.compile(r'<a((?:\s+[a-z-]+="[^"]*")*)>([^<]*(?:<(?!/a>)[^<]*)*)</a>')


def _linked_or_text(anchor: re.Match[str]) -> str:
    """A cleaned link as it is, or its text alone where it has no address."""
    return anchor[0] if ' href="' in anchor[1] else anchor[2]


_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\bsrc=)[^>]*>\s*</iframe>", re.I)
_SPACE = r"(?:[ \t\r\n\u3000]|&nbsp;)"  # (U+3000: a Japanese editor's blank line)
_BLANK = rf"(?:{_SPACE}|<br>)"
# a link with nothing to show: a space, or an icon the cleaning took out (drawn in SVG)
_EMPTY_LINK = re.compile(rf'<a href="[^"]*"(?: [a-z-]+="[^"]*")*>{_SPACE}*</a>')
# Line breaks that end a block or the whole text, or begin one: a blank line a reader
# shows at the top or the foot of an entry (Blogger's posts end with several).
_BLOCKS = "p|div|li|blockquote|td|th|dd"
_BREAKS = re.compile(r"(?:<br>[ \t\r\n]*)+")
_OPENED = re.compile(rf"<(?:{_BLOCKS})(?: [a-z-]+=\"[^\"]*\")*>[ \t\r\n]*\Z")
_CLOSED = re.compile(rf"</(?:{_BLOCKS})>")
_EDGE = 64  # characters looked at beside a run, for the text's edge or a block's tag


def _without_edge_breaks(run: re.Match[str]) -> str:
    """A run of line breaks (what :data:`_BREAKS` matched) as it is, or nothing where
    it begins or ends a block or the text."""
    text, start, end = run.string, run.start(), run.end()
    before = text[max(0, start - _EDGE) : start]
    if (
        _CLOSED.match(text, end)
        or end == len(text)
        or _OPENED.search(before)
        or (start < _EDGE and not before.strip())
    ):
        return ""
    return run[0]


# an empty block, or an editor's spacer: spaces, &nbsp; and <br> alone, perhaps in an
# emphasis or a <span> (Word's <p><span lang="EN-US">&nbsp;</span></p>)
_EMPTY_PARAGRAPH = re.compile(
    rf"<(p|div)>(?:{_BLANK}|<(span|strong|b|em|i|u)(?: [a-z-]+=\"[^\"]*\")*>{_BLANK}*</\2>)*</\1>"
)
_EMPTY_NESTED = 4  # empty blocks in empty blocks taken out this many deep (a page builder's)
# An <img> as the cleaner writes it (attributes double-quoted, values escaped).
_IMAGE = re.compile(r'<img((?:\s+[a-z-]+="[^"]*")*)\s*/?>')
_SRC = re.compile(r'\ssrc="')
_SIZE = re.compile(r'\s(width|height)="([^"]*)"')
_PIXEL = re.compile(r"\s*[01](?:\.0*)?\s*(?:px)?\s*\Z", re.I)


_YOUTUBE_SHORT = re.compile(
    r"https?://(?:(?:www\.|m\.)?youtube(?:-nocookie)?\.com/(?:shorts|live|embed)/|youtu\.be/)"
    r"(?!(?:videoseries|live_stream)\b)([\w-]{6,})(?:[/?].*)?\Z"
)
# A video's page with more in its query than the video (YouTube's marks of how it was
# shared, feature=share, si=…; the phone site's address; a start time; the playlist it
# was played in): the same video, which two items linked so were not taken for.
_YOUTUBE_WATCH = re.compile(
    r"https?://(?:www\.|m\.)?youtube\.com/watch/?\?(?:[^#]*&)?v=([\w-]{6,})(?:[&#].*)?\Z"
)
# A playlist's player (embed/videoseries?list=…, embed?listType=playlist&list=…) and a
# channel's live player (embed/live_stream?channel=…): no video's id in them.
_YOUTUBE_EMBED = r"https?://(?:www\.)?youtube(?:-nocookie)?\.com/embed"
_YOUTUBE_PLAYLIST = re.compile(_YOUTUBE_EMBED + r"(?:/videoseries)?/?\?(?:[^#]*&)?list=([\w-]+)")
_YOUTUBE_LIVE = re.compile(_YOUTUBE_EMBED + r"/live_stream/?\?(?:[^#]*&)?channel=([\w-]+)")
# Spotify's player of an episode, a show, a track or a playlist (and its older podcast one)
_SPOTIFY_PLAYER = re.compile(
    r"https?://open\.spotify\.com/embed(?:-podcast)?/(episode|show|track|album|playlist)/(\w+)"
)
# Vimeo's player of a video (an unlisted one with its hash, ?h=…)
_VIMEO_PLAYER = re.compile(r"https?://player\.vimeo\.com/video/(\d+)(?:\?(?:[^#]*&)?h=(\w+))?")


def video_page(url: str) -> str:
    """The page of what a player plays: YouTube's one address of a video,
    ``https://www.youtube.com/watch?v=ID``, for its Shorts, live, embed (also
    youtube-nocookie.com's) and youtu.be forms, and its watch page with more in its query
    (``&feature=share``, ``&t=30s``) or on the phone site; a playlist's page for its player, a
    channel's live page for its live player; Vimeo's page of a video and Spotify's of an
    episode (a show, a track) for their players. Any other URL as it is. (A playlist's
    player became ``watch?v=videoseries``, a video that is none.)"""
    if (match := _YOUTUBE_SHORT.match(url) or _YOUTUBE_WATCH.match(url)) is not None:
        return f"https://www.youtube.com/watch?v={match.group(1)}"
    if (match := _YOUTUBE_PLAYLIST.match(url)) is not None:
        return f"https://www.youtube.com/playlist?list={match.group(1)}"
    if (match := _YOUTUBE_LIVE.match(url)) is not None:
        return f"https://www.youtube.com/channel/{match.group(1)}/live"
    if (match := _SPOTIFY_PLAYER.match(url)) is not None:
        return f"https://open.spotify.com/{match.group(1)}/{match.group(2)}"
    if (match := _VIMEO_PLAYER.match(url)) is not None:
        unlisted = f"/{match.group(2)}" if match.group(2) else ""
        return f"https://vimeo.com/{match.group(1)}{unlisted}"
    return url
