"""The canonical form of a link: one address for one page, whoever writes it.

An origin's link comes relative, wrapped by a redirector that counts clicks, marked with
the feed or the newsletter a reader came from (``utm_*``, ``fbclid``, Medium's
``?source=rss…``), with a default port, dot segments, lower-case escapes or a host in
capitals: :func:`canonical_url` gives the one address each of them stands for, in ASCII
(:mod:`~tdlc_syndication.pipeline.uris`), so that one page is one story and its link one
that every validator takes. All functions are pure and idempotent.
"""

from __future__ import annotations

import re
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

from tdlc_syndication.pipeline.text import strip_controls
from tdlc_syndication.pipeline.uris import ascii_url, escape_non_ascii, url_host, written_host

# Parameters that only count a click or a reader: the ad networks' click ids, Firefox's
# list of those it strips (HubSpot's, Marketo's, Mailchimp's, Instagram's shares...),
# Google's cross-site and search-result marks (_gl, srsltid), TikTok's and LinkedIn's,
# beehiiv's link id (_bhlid, on every link of a beehiiv newsletter) and ConvertKit's
# subscriber's (ck_subscriber_id: who clicked).
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "yclid", "gbraid", "wbraid",
     "twclid", "ttclid", "li_fat_id", "igshid", "igsh", "_hsenc", "_hsmi", "__hstc",
     "__hssc", "__hsfp", "hsctatracking", "mkt_tok", "oly_anon_id", "oly_enc_id",
     "vero_id", "vero_conv", "wickedid", "rb_clickid", "s_cid", "ml_subscriber",
     "ml_subscriber_hash", "_openstat", "_gl", "srsltid", "_bhlid", "ck_subscriber_id"}
)  # fmt: skip
_DEFAULT_PORTS = {"http": 80, "https": 443}


_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")
_SPACES = " \t\n\r\f"  # HTML's ASCII whitespace, which an address is read without


def names_this_document(source: str) -> bool:
    """Whether an element's ``src`` names no file but the document it is in: empty (a
    CMS's image field left blank writes ``<img src="">``) or only a fragment. Resolved,
    it was the item's own page, published as an image (broken in every reader) and
    taken for the item's thumbnail; such a source is dropped, and its image with it."""
    return source.strip(_SPACES)[:1] in ("", "#")


def resolve_url(base: str, reference: str) -> str:
    """``reference`` resolved against ``base`` (``urljoin``) as a browser reads it
    (:func:`as_browsers_read`); '' when either cannot be read as a URL (a host with an
    unbalanced ``[``), which then counts as no link. Its tabs and line breaks are taken
    out, as the URL Standard does (a long link wrapped in a page's source): ``urljoin``
    kept them in a reference whose scheme is not the base's."""
    try:
        return urljoin(base, as_browsers_read(reference.translate(_TAB_OR_NEWLINE), base))
    except ValueError:
        return ""


def as_browsers_read(reference: str, base: str | None) -> str:
    """``reference`` in the form ``urljoin`` resolves to the page a browser opens for it
    (the URL Standard's reading of http and https, its "special" schemes, where RFC 3986
    and ``urljoin`` read it otherwise): before the query a backslash is a slash (a link
    written on Windows, ``..\\files\\map.pdf``); any run of slashes after ``http:``, or
    of two or more at a reference's start, leads to a host (``http:/www.example.org``,
    ``http:\\\\www.example.org``, ``///cdn.example.org/x.js``); ``http:page.html`` under
    an http base is ``page.html``, and ``http:www.example.org`` under any other is
    ``http://www.example.org``. ``urljoin`` made each a page that does not exist, or a
    link with no host."""
    if "\\" not in reference and not _ODD_START.match(reference):
        return reference
    base_scheme = (base or "").partition(":")[0].lower()
    scheme = _SCHEME.match(reference)
    if scheme:
        name = scheme[1].lower()
        if name not in _SPECIAL:
            return reference
        rest = reference[scheme.end() :]
        if name != base_scheme or _TWO_SLASHES.match(rest):
            return name + "://" + _slashed(rest.lstrip(_SLASHES))
        # "http:page.html" under an http base: a relative reference ("./" keeps a
        # "mailto:" or "http:" it starts with, or a space, in its path)
        reference = "./" + rest if _SCHEME.match(rest) or rest[:1].isspace() else rest
    elif base_scheme not in _SPECIAL:
        return reference
    if _TWO_SLASHES.match(reference):
        return "//" + _slashed(reference.lstrip(_SLASHES))
    return _slashed(reference)


def _slashed(reference: str) -> str:
    """``reference`` with each backslash before its query or fragment a slash."""
    end = len(reference)
    for mark in "?#":
        found = reference.find(mark, 0, end)
        if found != -1:
            end = found
    return reference[:end].replace("\\", "/") + reference[end:]


_SPECIAL = ("http", "https")
_SLASHES = "/\\"
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_TWO_SLASHES = re.compile(r"[/\\]{2}")
# What only a reference that as_browsers_read changes (or a backslash) starts with:
# "http:" without "//" and a host after it, or three slashes.
_ODD_START = re.compile(r"https?:(?!//[^/\\])|///", re.I)


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
    if _ALREADY_CANONICAL.match(url) and "/." not in url and "%2E" not in url:
        head, _, _ = url.partition("#")
        scheme, _, rest = head.partition("://")
        host = rest.split("/", 1)[0]
        if (scheme == "https" or host not in https_hosts) and not _strips_params(
            head, strip_params
        ):
            return head
    # Like a browser's URL parser (WHATWG): tabs and newlines anywhere are dropped, so
    # "jav<TAB>ascript:" is read as the javascript: scheme it will be, not a relative path.
    text = as_browsers_read(re.sub(r"[\t\n\r]", "", strip_controls(url)).strip(), base)
    try:
        if base:
            text = urljoin(base, text)
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return ascii_url(text)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if not host.isascii():
        host = written_host(parts.netloc)
    if "%" in host:  # read as browsers read it: "%41.org" is a.org
        host = unquote(host)
        if _FORBIDDEN_IN_HOST.search(host):  # "ho%2Fst": no host to browsers, no link here
            return ascii_url(text)
    host = url_host(host)
    if not host and (parts.netloc or parts.path.startswith("//")):  # "https://%2e//x"
        return escape_non_ascii(text)  # no host, no link (the path is not one)
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
# What a host may not hold (the URL Standard's forbidden domain code points).
_FORBIDDEN_IN_HOST = re.compile(r"[\x00-\x20#%/:<>?@\[\\\]^|\x7f]")
_LOWER_ESCAPE = re.compile(r"%(?:[a-f][0-9A-Fa-f]|[0-9A-F][a-f])")


def _without_dot_segments(path: str) -> str:
    """``path`` with its ``.`` and ``..`` segments resolved (RFC 3986, 5.2.4), escaped
    dots too: ``%2E`` is ``.`` in RFC 3986's normal form (6.2.2.2), and browsers resolve
    ``/a/%2e%2e/b`` to ``/b``."""
    if "/." not in path and "%2E" not in path:
        return path
    kept: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if "%" in segment and segment.replace("%2E", ".") in (".", ".."):
            segment = segment.replace("%2E", ".")
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


def with_params(url: str, params: dict[str, str]) -> str:
    """``url`` with query parameters added or replaced."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(params)
    return urlunsplit(parts._replace(query=urlencode(query)))
