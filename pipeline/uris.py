"""URLs and ids in the form every validator accepts.

Feeds need URIs (RFC 3986), not IRIs: a host with non-ASCII characters is written in IDNA
(``www.詹姆斯.com`` → ``www.xn--8ws00zhy3a.com``) and every other non-ASCII character is
percent-encoded as UTF-8. Ids must also be in *canonical* form, the form a URI
normaliser (the W3C feed validator's, RFC 3986 section 6.2.2) gives back unchanged:
percent-escapes of unreserved characters decoded, hex digits upper-case, text in NFC, and
an escape that is already there kept as an escape, not escaped again (``%26`` stays
``%26``; it never becomes ``%2526``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import SplitResult, quote, unquote, unquote_to_bytes, urlsplit, urlunsplit

import idna

from tdlc_syndication.config.hostnames import host_problem

UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
SUB_DELIMS = "!$&'()*+,;="
PATH_SAFE = "-._~" + SUB_DELIMS + ":@/"  # what a path (and a tag: URI's body) keeps literal
RESERVED = frozenset(":/?#[]@" + SUB_DELIMS)
_NOT_URL_ASCII = re.compile(r"[^\x21-\x7e]+")


def split_url(text: str) -> SplitResult | None:
    """``text`` split as a URL with its port checked; None when ``urllib.parse`` refuses it
    (an unclosed IPv6 bracket, ``http://[::1/x``; a port past 65535), which it does by
    raising a ValueError wherever the URL is looked at later."""
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (it checks the port)
    except ValueError:
        return None
    return parts


def idna_host(host: str) -> str:
    """A host name in ASCII, label by label as browsers write it (the URL Standard's
    domain to ASCII): the name mapped by UTS 46 (nontransitional: ``ß`` stays ``ß``),
    then each label that is not ASCII in IDNA 2008, or in Punycode where IDNA 2008's
    stricter rules refuse a label UTS 46 takes (``≮``, some emoji and symbols). A name UTS
    46 cannot map (an unassigned code point) goes label by label to IDNA 2003, or
    percent-encoded UTF-8 as a last resort (RFC 3986 allows it in a registered name).

    The whole name went to IDNA 2003 where 2008 refused one label (``ab--c.straße.de``:
    an ASCII label with "--", which browsers take), and 2003 wrote ``ß`` as ``ss``:
    another host."""
    if host.isascii():
        return host
    try:
        mapped = idna.uts46_remap(host, std3_rules=False, transitional=False)
    except idna.IDNAError:
        return ".".join(_ascii_label(label, mapped=False) for label in host.split("."))
    return ".".join(_ascii_label(label, mapped=True) for label in mapped.split("."))


def url_host(host: str) -> str:
    """A host as a canonical URL writes it: in ASCII (:func:`idna_host`), in lower case and
    without the dot that ends a fully qualified name (``www.example.org.``, ``例え。jp。``).
    A name that is not ASCII is not lower-cased first: UTS 46 maps its capitals, where
    Python's ``lower`` wrote a final ``Σ`` as ``ς``, another host to browsers."""
    if host.isascii():
        return host.lower().rstrip(".")
    return idna_host(host).rstrip(".")


def written_host(netloc: str) -> str:
    """The host of a URL's ``[user@]host[:port]`` as it is written: ``urlsplit``'s
    ``hostname`` is lower-cased by Python's rules, which write a final ``Σ`` as ``ς``
    (for a name that is not ASCII, :func:`url_host` maps capitals as UTS 46 does)."""
    rest = netloc.rpartition("@")[2]
    if rest.startswith("["):
        return rest[1:].partition("]")[0]
    head, colon, _ = rest.rpartition(":")
    return head if colon else rest


def _ascii_label(label: str, *, mapped: bool) -> str:
    """One label of a host name in ASCII (see :func:`idna_host`); ``mapped`` when UTS 46
    mapped it."""
    if label.isascii():
        return label
    try:
        return idna.alabel(label).decode("ascii")
    except idna.IDNAError as error:
        if mapped and _browsers_take(label, error):
            return "xn--" + label.encode("punycode").decode("ascii")
    try:
        return label.encode("idna").decode("ascii")
    except UnicodeError:
        return quote(label, safe="-._~" + SUB_DELIMS)


def _browsers_take(label: str, refusal: idna.IDNAError) -> bool:
    """Whether browsers take a label UTS 46 mapped and IDNA 2008 refused (``refusal``):
    they refuse it for its joiners' context, its directions (the Bidi rule), a mark
    that starts it or a false "xn--", and take it for a code point only IDNA 2008
    refuses or for hyphens in its third and fourth places."""
    if isinstance(refusal, idna.InvalidCodepointContext | idna.IDNABidiError):
        return False
    if label.startswith("xn--"):
        return False
    try:
        idna.check_bidi(label)
        idna.check_initial_combiner(label)
    except idna.IDNAError:
        return False
    return True


def web_url(url: str) -> bool:
    """Whether a canonical URL (:func:`~tdlc_syndication.pipeline.canonical.canonical_url`)
    can be published as a link: http(s) on a host every link checker takes
    (:func:`~tdlc_syndication.config.hostnames.host_problem`: not ``http://``, ``a..b``,
    ``999.1.1.1`` or an IPv6 address, which the feed validator takes no ``[`` of) and a
    port from 1 to 65535."""
    if url.startswith("https://"):
        start = 8
    elif url.startswith("http://"):
        start = 7
    else:
        return False
    end = url.find("/", start)
    netloc = url[start:] if end == -1 else url[start:end]
    if "?" in netloc or "#" in netloc:
        netloc = netloc.partition("?")[0].partition("#")[0]
    return _web_netloc(netloc)


_NETLOC = re.compile(r"([A-Za-z0-9._-]+)(?::([0-9]{1,5}))?\Z")


@lru_cache(maxsize=4096)
def _web_netloc(netloc: str) -> bool:
    """Whether a URL's ``host[:port]`` is one every link checker takes (a base_url may
    write its host in capitals)."""
    found = _NETLOC.match(netloc)
    if found is None or host_problem(found[1].lower()) is not None:
        return False
    return found[2] is None or 0 < int(found[2]) < 65536


def ascii_url(url: str) -> str:
    """``url`` with an IDNA host and every non-ASCII character, space or control
    percent-encoded; an ASCII URL comes back as it is."""
    if url.isascii() and not any(c <= " " or c == "\x7f" for c in url):
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return escape_non_ascii(url)
    netloc = parts.netloc
    if host and not host.isascii():
        user, at, rest = netloc.rpartition("@")
        written = written_host(netloc)
        # The port as written: one that is no number stays, and the URL no link.
        port = rest.partition(written)[2] if written else ""
        netloc = (user + at if at else "") + (url_host(written) or written) + port
    return urlunsplit(
        (
            parts.scheme,
            escape_non_ascii(netloc),
            escape_non_ascii(parts.path),
            escape_non_ascii(parts.query),
            escape_non_ascii(parts.fragment),
        )
    )


def mail_address(address: str) -> str:
    """``address`` with its domain in ASCII (IDNA): ``desk@例え.jp`` is sent as
    ``desk@xn--r8jz45g.jp``, which every mail server takes. (The settings refuse a name
    before @ in other letters than ASCII: that needs SMTPUTF8.)"""
    local, _, domain = address.rpartition("@")
    return f"{local}@{url_host(domain)}"


def ascii_link(target: str) -> str:
    """A link to publish, in ASCII: an http(s) URL as :func:`ascii_url` gives it, or a
    ``mailto:`` address with its domain in IDNA (and a subject in its query escaped)."""
    if target.startswith("mailto:"):
        address, mark, query = target.removeprefix("mailto:").partition("?")
        target = f"mailto:{mail_address(address)}{mark}{query}"
    return ascii_url(target)


def escape_non_ascii(text: str) -> str:
    """``text`` with every character outside printable ASCII (a space, a control, a
    letter that is not ASCII) percent-encoded as UTF-8, and nothing else changed."""
    return _NOT_URL_ASCII.sub(lambda m: quote(m.group(), safe=""), text)


def canonical_escape(text: str, safe: str = PATH_SAFE) -> str | None:
    """Percent-encode ``text`` for a URI in canonical form (see the module docstring).

    Characters outside ``safe`` and the unreserved set are escaped; an escape already in
    the text stays one (it is not escaped again). None when the octets of the escapes are
    not UTF-8 (such an escape has no canonical form).
    """
    if plain_pattern(safe).fullmatch(text):
        return text  # nothing to escape or decode: the common case, without the passes below
    first = _LONE_PERCENT.sub("%25", _UNSAFE_LITERAL.sub(_quote_match(safe), text))
    current: str | None = first
    for _ in range(4):  # an escaped "%" before hex digits decodes twice: reach the fixpoint
        assert current is not None
        following = normalise(current, safe)
        if following is None or following == current:
            return following
        current = following
    return None


def id_escape(text: str) -> str:
    """:func:`canonical_escape` for an id, which must have a canonical form: an escape of
    octets that are not UTF-8 (``%E3%81``, a cut-off character) is read as U+FFFD first,
    as the feed validator reads it. (Such an id had none, and every feed left its entry
    out.)"""
    for _ in range(4):  # an escaped "%" before such octets decodes again
        escaped = canonical_escape(text)
        if escaped is not None:
            return escaped
        text = unquote(text, errors="replace")
    return canonical_escape(text.replace("%", "")) or ""


@lru_cache(maxsize=8)
def plain_pattern(safe: str) -> re.Pattern[str]:
    """Text that is its own canonical form with ``safe`` kept: unreserved characters and
    the delimiters in ``safe``, no escape (normalising such text gives it back)."""
    kept = "".join(sorted(set(safe) & RESERVED))
    return re.compile(f"[A-Za-z0-9\\-._~{re.escape(kept)}]*")


_UNSAFE_LITERAL = re.compile(r"[^A-Za-z0-9%\-._~!$&'()*+,;=:@/]+")
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _quote_match(safe: str) -> Callable[[re.Match[str]], str]:
    return lambda match: quote(unicodedata.normalize("NFC", match.group()), safe=safe)


def normalise(uri: str, safe: str = PATH_SAFE) -> str | None:
    """One pass of URI normalisation as feed validators do it (RFC 3986 6.2.2 and the W3C
    feed validator's reading of it): a delimiter in ``safe`` (literal or escaped) stays as
    written; between delimiters, escapes are decoded (twice: the validator reads the result
    of the first decoding as a URI part again), the text put in NFC and escaped again, hex
    digits upper-case. None when an escape does not decode to UTF-8."""
    out: list[str] = []
    position = 0
    for match in _DELIMITER.finditer(uri):
        char = match.group()
        octet = chr(int(char[1:], 16)) if char.startswith("%") else char
        if octet not in RESERVED or octet not in safe:
            continue
        segment = _segment(uri[position : match.start()], safe)
        if segment is None:
            return None
        out.append(segment)
        out.append(char.upper())
        position = match.end()
    segment = _segment(uri[position:], safe)
    if segment is None:
        return None
    out.append(segment)
    return "".join(out)


_DELIMITER = re.compile(r"%[0-9A-Fa-f]{2}|[:/?#\[\]@!$&'()*+,;=]")


def _segment(text: str, safe: str) -> str | None:
    try:
        once = unquote_to_bytes(text).decode("utf-8")
    except UnicodeDecodeError:
        return None
    return quote(unicodedata.normalize("NFC", unquote(once)), safe=safe)


def legacy_escape(text: str) -> str:
    """How ids were escaped before version 0.2 (``%`` always escaped again): published ids
    made this way are kept, since an id must never change."""
    return quote(text, safe="/:@!$&'()*+,;=-._~")


def is_canonical(uri: str) -> bool:
    """True when ``uri`` is ASCII and in canonical form: normalising it gives it back (the
    path with path characters kept, the query and fragment with ``?`` too)."""
    if not uri.isascii():
        return False
    if plain_pattern(PATH_SAFE + "?").fullmatch(uri):
        return True  # no escape, no fragment, every delimiter one that stays literal
    head, hash_mark, fragment = uri.partition("#")
    path, question, query = head.partition("?")
    parts = [normalise(path, PATH_SAFE)]
    if question:
        parts.append(normalise(query, PATH_SAFE + "?"))
    if hash_mark:
        parts.append(normalise(fragment, PATH_SAFE + "?"))
    if any(p is None for p in parts):
        return False
    rebuilt = str(parts[0]) + (f"?{parts[1]}" if question else "")
    if hash_mark:
        rebuilt += f"#{parts[-1]}"
    return rebuilt == uri
