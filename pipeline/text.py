"""Plain-text and URL cleaning used by normalisation and rendering.

All functions are pure and idempotent: applying one twice gives the result of once.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import (
    parse_qsl,
    quote,
    unquote,
    unquote_plus,
    urlencode,
    urljoin,
    urlsplit,
    urlunsplit,
)

from tdlc_syndication.config.files import BIDI_CONTROLS, CONTROL_CHARACTERS
from tdlc_syndication.pipeline.eastasian import joined_lines
from tdlc_syndication.pipeline.elements import has_tag, replaced, tags_replaced
from tdlc_syndication.pipeline.uris import ascii_url, idna_host

# Characters XML 1.0 forbids, plus C1 controls (mojibake, never meant as text).
# A tag as HTML reads one: "<" then a letter, "/", "!" or "?" ("<2019>", "x < y > z" and
# "<3" are text to a browser, and were cut from summaries).
_TAG = re.compile(r"<[A-Za-z/!?][^>]*>")
# Elements that part their text from what follows (a definition list's terms and
# descriptions and a table's cells too: "申込締切2026年12月1日" ran together; a picture's
# caption and a section a click opens, their text and the next).
_BLOCK = re.compile(
    r"</?(?:p|d(?:iv|[dt]|etails)|br|li|ul|ol|h[1-6]|t(?:able|[dhr])|blockquote|section|summary"
    r"|fig(?:ure|caption)|article|header|footer|aside|address|hgroup)\b[^>]*>",
    re.I,
)
# What a script, a style sheet or a fallback for no script holds is no text.
_SCRIPT = re.compile(r"<(script|style|noscript)\b", re.I)
_SCRIPT_ENDS = {
    name: re.compile(rf"</{name}\s*>", re.I) for name in ("script", "style", "noscript")
}
# A ruby (furigana over kanji, as the "easy Japanese" pages of cities write them:
# <ruby>防災<rt>ぼうさい</rt></ruby>): its reading (<rt>) and the parentheses around it
# (<rp>), up to the ruby's next tag (their end tags may be left out), and its own tags.
_RUBY = re.compile(r"</?r(?:uby|tc|[btp])\b", re.I)
_READING = re.compile(
    r"<(?:rt|rp)\b[^>]*>[^<]*(?:<(?!/?(?:rt|rp|rb|rtc|ruby)\b)[^<]*)*"
    r"(?=</?(?:rt|rp|rb|rtc|ruby)\b)"
    r"|</?(?:ruby|rb|rtc|rt|rp)\b[^>]*>",
    re.I,
)
# Parameters that only count a click or a reader: the ad networks' click ids, Firefox's
# list of those it strips (HubSpot's, Marketo's, Mailchimp's, Instagram's shares...),
# Google's cross-site and search-result marks (_gl, srsltid) and TikTok's and LinkedIn's.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "yclid", "gbraid", "wbraid",
     "twclid", "ttclid", "li_fat_id", "igshid", "igsh", "_hsenc", "_hsmi", "__hstc",
     "__hssc", "__hsfp", "hsctatracking", "mkt_tok", "oly_anon_id", "oly_enc_id",
     "vero_id", "vero_conv", "wickedid", "rb_clickid", "s_cid", "ml_subscriber",
     "ml_subscriber_hash", "_openstat", "_gl", "srsltid"}
)  # fmt: skip
_DEFAULT_PORTS = {"http": 80, "https": 443}


_CONTROLS = re.compile(f"[{CONTROL_CHARACTERS}\ud800-\udfff\ufffe\uffff]")
# The ASCII ones, as bytes: ``bytes.translate`` finds them in ASCII text about ten times
# as fast as the pattern does (the pattern scans 2 KB of an item's HTML in about 10 µs).
_ASCII_CONTROLS = bytes(c for c in range(0x80) if _CONTROLS.match(chr(c)))


def strip_controls(text: str) -> str:
    """Remove characters that XML 1.0 forbids (and C1 controls)."""
    if text.isascii():
        raw = text.encode("ascii")
        if len(raw.translate(None, _ASCII_CONTROLS)) == len(raw):
            return text
    return _CONTROLS.sub("", text)


# Embedding, override and isolate controls: in plain text they can make a title read
# backwards on the page ("Trojan Source"); markup has dir= for legitimate uses.
_BIDI_CONTROLS = re.compile(f"[{BIDI_CONTROLS}]")


def strip_bidi(text: str) -> str:
    """Remove bidirectional embedding, override and isolate controls."""
    return _BIDI_CONTROLS.sub("", text) if not text.isascii() else text


# Half-width katakana and their marks (ｾﾐﾅｰ, ｶﾞ, ｡｢｣､･), as older municipal systems
# write them: a legacy of 8-bit Japanese encodings that Japanese style guides and the
# government's own rules for its pages ask not to publish. The program's outputs show
# them full-width (セミナー, ガ, 。「」、・), a voiced mark joined to its letter.
HALF_WIDTH_KANA = re.compile("[\uff61-\uff9f]+")


def full_width_kana(text: str) -> str:
    """``text`` with its half-width katakana full-width (``ｾﾐﾅｰ`` is ``セミナー``); the rest
    as it was (full-width Latin letters and digits keep their width)."""
    if text.isascii() or HALF_WIDTH_KANA.search(text) is None:
        return text
    return HALF_WIDTH_KANA.sub(lambda run: unicodedata.normalize("NFKC", run.group()), text)


def _one_line(text: str) -> str:
    """Decoded text as one line of a text field: controls, bidi controls and soft hyphens
    (U+00AD, ``manage&shy;ment``: a hint where a long word may break, which some
    publishing systems write into every long word) taken out, half-width kana full-width,
    spaces collapsed. A soft hyphen kept a title from its duplicate, a phrase from its
    topic, a search from the word; content keeps them, for the layout."""
    if not text.isascii() and "\xad" in text:
        text = text.replace("\xad", "")
    return " ".join(full_width_kana(strip_bidi(strip_controls(text))).split())


# What shows nothing on a page: spaces, zero-width and format characters, fillers,
# variation selectors, and the replacement character (bytes no decoder could read).
_INVISIBLE = re.compile(
    "[\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffd]*"
)


def visible(text: str) -> bool:
    """Whether ``text`` shows anything: a title of zero-width spaces or of U+FFFD alone
    is no title."""
    return _INVISIBLE.fullmatch(text) is None


def plain_text(value: str) -> str:
    """HTML or text → one line of plain text: tags removed, entities decoded, spaces collapsed.
    In HTML, a line break of the source between two Japanese or Chinese characters is
    taken out (:mod:`~tdlc_syndication.pipeline.eastasian`); in text, where a break parts
    lines (``出演：富山市長⏎制作：富山市``), it is a space."""
    if "<" in value and has_tag(_TAG, value):
        value = joined_lines(without_readings(value))
    text = _without_scripts(value)
    text = tags_replaced(_BLOCK, " ", text)  # each read in one pass (pipeline.elements)
    text = tags_replaced(_TAG, "", text)
    # Decode until stable, so double-escaped origins come out right and the result is a
    # fixed point (what a second pass would change, the first already changed).
    for _ in range(3):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = tags_replaced(_TAG, "", decoded)
    # str.split() splits on exactly the characters the regex \s matches (str.isspace).
    return _one_line(text)


def _without_scripts(markup: str) -> str:
    """``markup`` with each script, style sheet and ``<noscript>`` a space."""
    if "<" not in markup or _SCRIPT.search(markup) is None:  # one look: most have none
        return markup
    return replaced(markup, _SCRIPT, _SCRIPT_ENDS, _a_space)


def _a_space(start: re.Match[str], inside: str) -> str:
    return " "


# A picture's caption (the sanitised content has no classes: WordPress's older caption,
# <p class="wp-caption-text">, is a paragraph there).
_CAPTION = re.compile(r"<(figcaption)\b", re.I)
_CAPTION_ENDS = {"figcaption": re.compile(r"</figcaption\s*>", re.I)}


def without_captions(markup: str) -> str:
    """HTML without its pictures' captions (each a space), for a summary made of it: a
    post that opens with a captioned picture (Medium's, most of WordPress's) had the
    caption as its summary's first words, "Toyama's light rail Toyama rebuilt its…"."""
    if "<" not in markup or _CAPTION.search(markup) is None:  # one look: most have none
        return markup
    return replaced(markup, _CAPTION, _CAPTION_ENDS, _a_space)


# A footnote's mark in the text, its number (1, [1], (1)) linked to its note: in <sup>
# (WordPress's footnotes, Google Docs', Markdown's), around <sup> (Pandoc's), alone
# (Substack's, #footnote-1); or in brackets in <sup>. A number in <sup> alone is a power
# (km<sup>2</sup>) or an ordinal's ending's part, and stays.
_MARK = r"\s*[\[(]?\d{1,3}[\])]?\s*"
_NOTE_MARK = re.compile(
    rf"<sup\b[^<>]*>\s*<a\b[^<>]*>{_MARK}</a\s*>\s*</sup\s*>"
    rf"|<sup\b[^<>]*>\s*\[\d{{1,3}}\]\s*</sup\s*>"
    rf"|<a\b[^<>]*>\s*<sup\b[^<>]*>{_MARK}</sup\s*>\s*</a\s*>"
    rf"|<a\b[^<>]*#footnote[^<>]*>{_MARK}</a\s*>"
    # and a note's link back to its mark (↩︎, as each of them writes it)
    r"|<a\b[^<>]*>\s*(?:↩|&#8617;|&#x21a9;)(?:\ufe0e|&#65038;|&#xfe0e;)?\s*</a\s*>",
    re.I,
)


def without_note_marks(markup: str) -> str:
    """HTML without its footnotes' marks, for a summary made of it: each ran into the
    word before it, "the plan1 followed the tracks"; and without the notes' links back
    to them (a summary of a short post ended "From the city's plan. ↩")."""
    if "<sup" not in markup and "#footnote" not in markup and "↩" not in markup:
        return markup  # most have none
    return _NOTE_MARK.sub("", markup)


def without_readings(markup: str) -> str:
    """HTML with each ruby as its text alone: ``<ruby>防災<rt>ぼうさい</rt></ruby>の`` is
    ``防災の`` in a title or a summary, not ``防災ぼうさい`` nor ``防災 の``."""
    if markup.isascii() or _RUBY.search(markup) is None:  # a ruby annotates kanji
        return markup
    return _READING.sub("", markup)


# In a text field (a title, a name) a word in angle brackets is markup only when it is an
# element of HTML, SVG or MathML, has attributes, or closes itself; "<live>" or "<Draft>"
# written by an editor stays in the text.
_ELEMENTS = frozenset(
    """a abbr address area article aside audio b base bdi bdo blockquote body br button canvas
    caption center cite code col colgroup data datalist dd del details dfn dialog div dl dt
    em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6
    head header hr html i iframe img input ins kbd label legend li link main map mark meta
    meter nav noscript object ol optgroup option output p param picture pre progress q rb rp rt
    rtc ruby s samp script section select small source span strike strong style sub summary sup
    table tbody td template textarea tfoot th thead time title tr track tt u ul var video
    wbr svg circle ellipse line path polygon polyline rect g defs use symbol text tspan
    image foreignobject math mi mn mo ms mtext mglyph mrow mfrac msqrt semantics
    annotation""".split()  # noqa: SIM905
)
# Older or rarer HTML names the W3C feed validator knows: their end tag ("</xmp>") in a
# title makes it warn however the title is escaped (ContainsHTML); an end tag of one is
# markup. Their start tags stay text ("Lunch <menu>").
_END_TAGS = frozenset(
    """acronym applet basefont big command comment datagrid dir eventsource hgroup isindex
    listing m menu noframes plaintext slot xmp""".split()  # noqa: SIM905
)
_TAG_LIKE = re.compile(r"<(/?)([A-Za-z][\w:.-]*)((?:\s[^<>]*|/)?)>")


def _is_markup(match: re.Match[str]) -> bool:
    name, rest = match.group(2).lower(), match.group(3)
    return (
        name in _ELEMENTS
        or (match.group(1) == "/" and name in _END_TAGS)
        or ":" in name
        or "=" in rest
        or rest.rstrip().endswith("/")
    )


def _markup(match: re.Match[str]) -> str:
    """A tag of a text field as :func:`plain_text` takes it out: a :data:`_BLOCK`
    element's as a space, any other element's as nothing (``Why <em>Toyama</em>'s``
    is ``Why Toyama's``); a word in angle brackets that is no element stays."""
    if not _is_markup(match):
        return match.group(0)
    return " " if _BLOCK.fullmatch(match.group(0)) else ""


def has_markup(value: str) -> bool:
    """Whether ``value`` is HTML: it holds an element by the rules of :func:`clean_text`
    (``<br>``, ``<a href=...>``), not merely a word in angle brackets (``<live>``)."""
    return "<" in value and any(_is_markup(m) for m in _TAG_LIKE.finditer(value))


def clean_text(value: str) -> str:
    """A text field (title, name, category) as one line: HTML elements removed, entities
    decoded, spaces collapsed. Unlike :func:`plain_text`, a word in angle brackets that is
    not an HTML element (``<live>``) is text and stays. A line break between two Japanese
    or Chinese characters is taken out: in a one-line field it is the source's layout."""
    text = _without_scripts(joined_lines(without_readings(value)))
    text = _TAG_LIKE.sub(_markup, text) if "<" in text else text
    for _ in range(3):  # decode until stable, as plain_text does
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = _without_scripts(decoded)
        text = _TAG_LIKE.sub(_markup, text) if "<" in text else text
    return _one_line(text)


# Where a text without spaces may be cut: after a full stop or comma of Japanese and
# Chinese, a Khmer khan, a Burmese section mark, a Devanagari danda.
_MARKS = "。、，។။।"


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters at a word boundary, adding an ellipsis.

    Japanese, Chinese, Khmer or Burmese text has few spaces or none; there the cut falls
    after a sentence mark if one is near. A cut inside a word never parts a letter from
    the vowel signs and marks written on it, nor ends in a virama or a joiner (Thai, Khmer
    and Hindi words showed a dotted circle, or a letter without its vowel).
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    mark = max(cut.rfind(m) for m in _MARKS)
    if space >= limit * 0.5:
        cut = cut[:space]
    elif mark >= limit * 0.5:
        cut = cut[: mark + 1]
    else:
        while cut and (_joined(cut[-1]) or unicodedata.category(text[len(cut)])[0] == "M"):
            cut = cut[:-1]
    return cut.rstrip(" ,;:." + _MARKS) + "…"


def _joined(char: str) -> bool:
    """Whether ``char`` joins the letter after it: a virama (Khmer coeng, Devanagari
    halant), a zero-width joiner."""
    return unicodedata.combining(char) == 9 or char == "\u200d"


_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")


def resolve_url(base: str, reference: str) -> str:
    """``reference`` resolved against ``base`` (``urljoin``); '' when either cannot be read
    as a URL (a host with an unbalanced ``[``), which then counts as no link. Its tabs and
    line breaks are taken out, as the URL Standard does (a long link wrapped in a page's
    source): ``urljoin`` kept them in a reference whose scheme is not the base's."""
    try:
        return urljoin(base, reference.translate(_TAB_OR_NEWLINE))
    except ValueError:
        return ""


def canonical_url(
    url: str,
    base: str | None = None,
    *,
    https_hosts: frozenset[str] = frozenset(),
    strip_params: frozenset[str] = frozenset(),
) -> str:
    """Absolute canonical form of a URL.

    Scheme and host are lower-cased, user names and passwords, default ports, fragments and
    tracking parameters (``utm_*``, ``fbclid``, ... and ``strip_params``) dropped, and http
    upgraded to https for ``https_hosts``. Relative URLs are resolved against ``base``. The
    result is ASCII (an IDNA host, the rest percent-encoded). Idempotent. A link wrapped
    by a redirector that only counts clicks (:func:`unwrapped`) is the page it leads to.
    """
    if "?" in url and _WRAPPED.match(url):  # a wrapper's link has a query: most have none
        url = unwrapped(url)
    if _ALREADY_CANONICAL.match(url) and "/." not in url:
        head, _, _ = url.partition("#")
        scheme, _, rest = head.partition("://")
        host = rest.split("/", 1)[0]
        if (scheme == "https" or host not in https_hosts) and not _strips_params(
            head, strip_params
        ):
            return head
    # Like a browser's URL parser (WHATWG): tabs and newlines anywhere are dropped, so
    # "jav<TAB>ascript:" is read as the javascript: scheme it will be, not a relative path.
    text = re.sub(r"[\t\n\r]", "", strip_controls(url)).strip()
    try:
        if base:
            text = urljoin(base, text)
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return ascii_url(text)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if "%" in host:  # read as browsers read it: "%41.org" is a.org
        host = unquote(host)
    host = idna_host(host.lower().rstrip("."))
    if scheme in ("http", "https") and host in https_hosts:
        scheme = "https"
    # No user name or password: a link is public (and the feed validator refuses an
    # enclosure's with one). An IPv6 address keeps its brackets.
    netloc = f"[{host}]" if ":" in host else host
    if port and _DEFAULT_PORTS.get(scheme) != port:
        netloc += f":{port}"
    query = _canonical_query(parts.query, strip_params) if parts.query else ""
    # A "%" that starts no escape is a "%" (as browsers read it): escaped, the link is one
    # every HTML checker takes.
    path = quote(_LONE_PERCENT.sub("%25", parts.path), safe="/%:@!$&'()*+,;=~-._")
    if _LOWER_ESCAPE.search(path):  # %e3%81%82 as WordPress writes it is %E3%81%82
        path = _ESCAPE.sub(lambda escape: escape[0].upper(), path)
    path = _without_dot_segments(path) or ("/" if netloc else "")
    return ascii_url(urlunsplit((scheme, netloc, path, query, "")))


# Redirectors that wrap a link to count its clicks, and the parameter that holds it:
# Google Alerts' feeds (google.com/url?url=…), Bing News' (bing.com/news/apiclick.aspx?
# …&url=…), Outlook's Safe Links in calendars and mail (…safelinks.protection.outlook.com/
# ?url=…), Facebook's (l.facebook.com/l.php?u=…, also lm. and m.), Instagram's
# (l.instagram.com/?u=…), LinkedIn's (linkedin.com/redir/redirect?url=…), and those a
# link copied from YouTube's descriptions (youtube.com/redirect?…&q=…), from Slack
# (slack-redir.net/link?url=…) or from Tumblr (t.umblr.com/redirect?z=…) keeps. Published
# wrapped, every reader's click went through them, and one page came under a new address
# at each alert.
_WRAPPED = re.compile(
    r"https?://(?:(?:www\.)?google\.[a-z.]{2,8}/url\?|[a-z0-9-]+\.safelinks\.protection"
    r"\.outlook\.com/?\?|(?:l|lm|m)\.facebook\.com/l\.php\?|l\.instagram\.com/?\?"
    r"|www\.linkedin\.com/redir/redirect\?|(?:www\.)?bing\.com/news/apiclick\.aspx\?"
    r"|(?:www\.|m\.)?youtube\.com/redirect\?|slack-redir\.net/link\?|t\.umblr\.com/redirect\?)",
    re.I,
)
_WRAPPED_KEYS = ("url", "q", "u", "z")


def unwrapped(url: str) -> str:
    """The http(s) address a click-counting redirector's link leads to (see
    :data:`_WRAPPED`), else ``url``."""
    for _ in range(3):  # a wrapped link wrapped again
        if "?" not in url or not _WRAPPED.match(url):  # one look: most links have no query
            return url
        query = dict(parse_qsl(urlsplit(url).query))
        target = next((query[key] for key in _WRAPPED_KEYS if key in query), "")
        if not target.lower().startswith(("http://", "https://")):
            return url
        url = target
    return url


def _canonical_query(query: str, strip_params: frozenset[str]) -> str:
    """A query pair by pair as written, without its tracking parameters: its escapes kept
    (in upper case; one of an unreserved character, ``%7E``, is that character), what a
    query may not hold escaped, a ``+`` kept and a key without ``=`` kept without one.

    It was decoded as a form and encoded again: ``?at=10:00+09:00`` became ``10:00%2009:00``
    (a space to every server that does not read forms) and ``news.cgi?20261126`` became
    ``?20261126=`` (another address to a server that reads its query whole)."""
    kept = []
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if not pair or _tracking(unquote_plus(key), value, strip_params):
            continue
        escaped = quote(_LONE_PERCENT.sub("%25", pair), safe="/?:@!$'()*+,;=~-._%")
        kept.append(_ESCAPE.sub(_normal_escape, escaped) if "%" in escaped else escaped)
    return "&".join(kept)


def _normal_escape(escape: re.Match[str]) -> str:
    """An escape as RFC 3986 (6.2.2) normalises it: an unreserved character's is that
    character, the others in upper case."""
    character = chr(int(escape[0][1:], 16))
    return character if character in _UNRESERVED else escape[0].upper()


_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# RFC 3986 (6.2.2): an escape's hex digits are upper-case, and a path has no "." or ".."
# segments. A WordPress site writes a Japanese slug's escapes in lower case, a page that
# links it in upper case (or as the characters): one page at two addresses was published
# twice, as was one linked as /news/../bousai/drill.html and /bousai/drill.html.
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_LOWER_ESCAPE = re.compile(r"%(?:[a-f][0-9A-Fa-f]|[0-9A-F][a-f])")


def _without_dot_segments(path: str) -> str:
    """``path`` with its ``.`` and ``..`` segments resolved (RFC 3986, 5.2.4)."""
    if "/." not in path:
        return path
    kept: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment in (".", ".."):
            if segment == ".." and len(kept) > 1:
                kept.pop()
            if last:
                kept.append("")
            continue
        kept.append(segment)
    return "/".join(kept)


def escaped_fragment(fragment: str) -> str:
    """A URL fragment in ASCII as ``canonical_url`` writes a path: escapes kept, a lone
    "%" and every other character a fragment may not hold percent-encoded."""
    if _PLAIN_FRAGMENT.match(fragment):  # most are words ("#more", "#agenda"): as they are
        return fragment
    return quote(_LONE_PERCENT.sub("%25", fragment), safe="/?:@!$&'()*+,;=~-._%")


_PLAIN_FRAGMENT = re.compile(r"[A-Za-z0-9/?:@!$&'()*+,;=~._-]*\Z")


# A URL canonical_url returns unchanged (but for a fragment): lower-case http(s) scheme and
# host, no port or user, a path of characters it keeps as they are, and a query of
# key=value pairs that its re-encoding reproduces.
_ALREADY_CANONICAL = re.compile(
    r"https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*/[A-Za-z0-9/:@!$&'()*+,=~._-]*"
    r"(?:%[0-9A-F]{2}[A-Za-z0-9/:@!$&'()*+,=~._-]*)*"  # unrolled: 4 times faster
    r"(?:\?[A-Za-z0-9._~-]+=[A-Za-z0-9._~/:@!$'()*,;-]*(?:&[A-Za-z0-9._~-]+=[A-Za-z0-9._~/:@!$'()*,;-]*)*)?"
    r"(?:#[^\x00-\x20\x7f-\x9f]*)?\Z"
)


def _strips_params(url: str, strip_params: frozenset[str]) -> bool:
    """True when the query holds a parameter canonical_url drops."""
    _, _, query = url.partition("?")
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if _tracking(key, value, strip_params):
            return True
    return False


def _tracking(key: str, value: str, strip_params: frozenset[str]) -> bool:
    """Whether a query's parameter ``key=value`` is one canonical_url drops: ``utm_*``,
    :data:`TRACKING_PARAMS` (in any case), Medium's mark of the feed a reader came from
    (:data:`_MEDIUM_MARK`), or one of ``strip_params`` (as written)."""
    lowered = key.lower()
    return (
        lowered.startswith("utm_")
        or lowered in TRACKING_PARAMS
        or key in strip_params
        or (lowered == "source" and _MEDIUM_MARK.match(value) is not None)
    )


# Medium marks each link of its feeds with the feed it came from, on medium.com and on a
# publication's own domain: ``?source=rss----4505f82a2dbd---4`` (a publication's),
# ``?source=rss-670f6306e3c0------2`` (its author's), ``?source=rss------transit-5`` (a
# tag's). One post had an address for each feed: another story in each.
_MEDIUM_MARK = re.compile(r"rss-[\w-]*\Z", re.A)


# RFC 6838's restricted names: what the feed validator takes as a type and a subtype.
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\Z")


def media_type(value: str | None) -> str | None:
    """An origin's media type as the feeds write it (``type/subtype`` in lower case, its
    parameters left out), or None when it is not one (``video``, ``not a mime``): the feed
    validator refuses an enclosure of such a type."""
    if not value:
        return None
    essence = value.split(";", 1)[0].strip().lower()
    return essence if _MEDIA_TYPE.match(essence) else None


def count_of(text: str, digits: int = 18) -> int | None:
    """A whole number written in at most ``digits`` ASCII digits, or None. ``str.isdigit``
    takes "²" and "٣", which ``int`` refuses, and ``int`` refuses thousands of digits
    (an origin's file length or page count, a header): each stopped its source as a fault
    of this program."""
    text = text.strip()
    if not text or len(text) > digits or not text.isascii() or not text.isdigit():
        return None
    return int(text)


def with_params(url: str, params: dict[str, str]) -> str:
    """``url`` with query parameters added or replaced."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(params)
    return urlunsplit(parts._replace(query=urlencode(query)))


def links_from(html: str, base: str) -> str:
    """``html`` (a fragment) with its relative links and sources made absolute against
    ``base``, and nothing else changed: an editor's link keeps its fragment and query
    (:func:`canonical_url`, right for an origin's links, drops them)."""
    from lxml import html as lxml_html

    root = lxml_html.fragment_fromstring(html, create_parent="div")
    root.make_links_absolute(base, resolve_base_href=False, handle_failures="discard")
    written: str = lxml_html.tostring(root, encoding="unicode")
    return written.removeprefix("<div>").removesuffix("</div>")
