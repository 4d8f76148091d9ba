"""HTML and links inside feeds as feedparser re-writes them, for the fast path
(``sources.fastfeed``): the start tags of HTML with their attributes in name order and the
links of ``<a>``, ``<img>`` and ``<iframe>`` resolved against the document's location,
links in schemes feedparser does not accept emptied. Markup it cannot tokenise with
certainty raises :class:`Refused` (that field is then written by feedparser's own HTML
processor, :func:`feedparser_html`). And, for feedparser, an entry's HTML made ready for
its SGML parser to read as browsers (and the fast path) do: :func:`feedparser_ready`,
which :func:`teach_feedparser` hands it."""

from __future__ import annotations

import html
import re
from functools import cache
from html.entities import html5, name2codepoint
from typing import Any
from urllib.parse import urljoin, urlsplit

from tdlc_syndication.pipeline.canonical import names_this_document

_URI_FIX = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")
# An absolute http(s) URL that urljoin hands back unchanged.
_PLAIN_ABSOLUTE = re.compile(r"https?://[^/?#\s\\;\[\]]+(?:/[^?#\s;]*)?(?:\?[^#\s]+)?(?:#\S+)?\Z")
_LINK_ATTRIBUTES = {"a": "href", "img": "src", "iframe": "src"}
# The schemes feedparser keeps in links inside HTML (others become empty links).
_ACCEPTABLE_SCHEMES = frozenset(
    [
        "aim",
        "callto",
        "cvs",
        "facetime",
        "feed",
        "file",
        "ftp",
        "git",
        "gopher",
        "gtalk",
        "h323",
        "hdl",
        "http",
        "https",
        "imap",
        "irc",
        "irc6",
        "ircs",
        "itms",
        "magnet",
        "mailto",
        "mms",
        "msnim",
        "news",
        "nntp",
        "prospero",
        "rsync",
        "rtsp",
        "rtspu",
        "sftp",
        "shttp",
        "sip",
        "sips",
        "skype",
        "smb",
        "snews",
        "ssh",
        "svn",
        "svn+ssh",
        "telnet",
        "wais",
        "ymsg",
    ]
)
# Every "<" is a start tag (matched whole), an end tag, a comment, or text before a
# non-letter; anything else goes to feedparser.
_OTHER_MARKUP = re.compile(r"</[A-Za-z][^<>]*>|<!--.*?-->|<(?![A-Za-z!/])", re.S)
# An attribute's name as feedparser's SGML parser reads one, and its value (a value with
# "<" in it, or a name outside SGML's letters, is read otherwise by feedparser:
# `action="<?php … ?>"`, `<a ?p="2708" href=…>`): a tag with either is not tokenised.
_NAME = r"[A-Za-z_][-:.A-Za-z_0-9]*"
_VALUE = r"""(?:"[^"<]*"|'[^'<]*'|[^\s"'=<>`]+)"""
_ONE_ATTRIBUTE = re.compile(rf"\s+({_NAME})\s*=\s*({_VALUE})\s*")
_ATTR = rf"{_NAME}(?:\s*=\s*{_VALUE})?"
_START_TAG = re.compile(rf"<([A-Za-z][A-Za-z0-9]*)((?:\s+{_ATTR})*)(\s*/?>)")
_WORK = re.compile(
    rf"<((?i:a|img|iframe)(?=[\s/>])|[A-Za-z][A-Za-z0-9]*(?=(?:\s+{_ATTR}){{2}}))"
    rf"((?:\s+{_ATTR})*)(\s*/?>)"
)
_ATTRIBUTE = re.compile(rf"\s+({_NAME})((?:\s*=\s*{_VALUE})?)")


class Refused(Exception):
    """The document is outside what the fast path reproduces."""


def join_url(base: str, uri: str) -> str:
    """feedparser's URL join: extra slashes after ``scheme://`` dropped, then urljoin."""
    if uri.isascii() and _PLAIN_ABSOLUTE.match(uri):
        return uri  # what urljoin hands back (at a sixth of its cost: an item's link)
    uri = _URI_FIX.sub(r"\1\3", uri)
    try:
        return urljoin(base, uri)
    except ValueError:
        return ""


def rewritten(markup: str, base: str) -> str:
    """HTML as feedparser re-writes it while it resolves links: attributes in name order,
    and with a ``base``, the links of ``<a>``, ``<img>`` and ``<iframe>`` (the only ones the
    cleaner downstream keeps) made absolute (links in schemes it does not accept stay as
    they are, for the cleaner to drop)."""
    if "<" not in markup:
        return markup
    if _START_TAG.subn("", markup)[1] != markup.count("<") - _OTHER_MARKUP.subn("", markup)[1]:
        raise Refused("a start tag the fast path does not read")
    out: list[str] = []
    done = 0
    for tag in _WORK.finditer(markup):  # tags with a link or several attributes
        attributes = tag.group(2)
        link = _LINK_ATTRIBUTES.get(tag.group(1).lower())
        single = _ONE_ATTRIBUTE.fullmatch(attributes)
        if single and (
            single.group(1).lower() != link
            or (_PLAIN_ABSOLUTE.match(single.group(2).strip("\"'")) and "&" not in attributes)
        ):
            continue  # one attribute, nothing to resolve: as it is
        rebuilt = _rebuilt(tag.group(1), attributes, link, base)
        if rebuilt is not None:
            out.append(markup[done : tag.start()])
            out.append(rebuilt + tag.group(3))
            done = tag.end()
    out.append(markup[done:])
    return "".join(out)


def _rebuilt(name: str, text: str, link: str | None, base: str) -> str | None:
    """A start tag with sorted and resolved attributes; None when it would not change."""
    attributes = [(m.group(1).lower(), m.group(0)) for m in _ATTRIBUTE.finditer(text)]
    names = [key for key, _ in attributes]
    if len(set(names)) != len(names):
        raise Refused("a repeated attribute")
    changed = names != sorted(names)
    if link in names:  # (without a base too: feedparser writes the link stripped)
        resolved = [
            (key, _resolved_attribute(key, raw, base) if key == link else raw)
            for key, raw in attributes
        ]
        changed = changed or resolved != attributes
        attributes = resolved
    return f"<{name}{''.join(raw for _, raw in sorted(attributes))}" if changed else None


def _resolved_attribute(key: str, raw: str, base: str) -> str:
    _, _, value = raw.partition("=")
    value = value.strip()
    if value[:1] in ("'", '"'):
        value = value[1:-1]
    if _PLAIN_ABSOLUTE.match(value) and "&" not in value:
        return raw  # resolving changes nothing
    if key == "src" and names_this_document(value):
        return ""  # no file (feedparser is taught the same: sources.feed)
    if "&#39;" in value or _SHORT_NUMBER.search(value):
        raise Refused("a character reference in a link")  # (feedparser reads it otherwise)
    absolute = safe_absolute_url(base, value.strip())
    if not absolute:
        return raw  # feedparser keeps a link it would empty (its `x and y or z`)
    return f' {key}="{_as_feedparser_writes(absolute)}"'


# In a link, feedparser's SGML parser reads no reference but a number without its ";"
# (and `&#39;`, which it reads as "'" before), resolves the link as written, and writes it
# with these escaped:
_SHORT_NUMBER = re.compile(r"&#[0-9]+(?![0-9;])")
_BARE_AMPERSAND = re.compile(r"&(?!#\d+;|#x[0-9a-fA-F]+;|\w+;)")


def _as_feedparser_writes(value: str) -> str:
    value = value.replace(">", "&gt;").replace("<", "&lt;").replace('"', "&quot;")
    return _BARE_AMPERSAND.sub("&amp;", value)


def safe_absolute_url(base: str, relative: str) -> str:
    """feedparser's resolution of links inside HTML: joined to ``base``, and emptied when
    the result's scheme is not one it accepts."""
    if not base:
        return relative
    if not relative:
        return base if urlsplit(base).scheme in ("", *_ACCEPTABLE_SCHEMES) else ""
    uri = join_url(base, relative)
    return uri if uri.strip().split(":", 1)[0] in _ACCEPTABLE_SCHEMES else ""


# What feedparser's SGML parser reads otherwise than browsers (and the fast path, whose
# markup the cleaner reads as browsers do), in an entry's HTML:
_END_BREAK = re.compile(r"</br\s*>", re.I)  # a break (feedparser dropped it)
# a start tag closed with "/" whose element is no void one: open, as browsers take it
# (feedparser wrote <p /> as an empty paragraph and lost a <div/>'s text)
_SELF_CLOSED = re.compile(rf"<([A-Za-z][A-Za-z0-9]*)((?:\s+{_ATTR})*)\s*/>")
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})  # fmt: skip
_QUOTE_REFERENCE = re.compile(r"&#(?:0*34|[xX]0*22);")  # it ended an attribute's value
_NAMED_REFERENCE = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
# the characters an unquoted attribute value may hold for feedparser's SGML parser, and
# a value without quotes that holds another
_SGML_LETTERS = r"\]\[\-a-zA-Z0-9./,:;+*%?!&$()_#=~'\"@"
_SGML_UNQUOTED = re.compile(rf"[{_SGML_LETTERS}]*")
_UNQUOTED_UNREAD = re.compile(rf"""=\s*[^\s"'=<>`]*[^\s<>`{_SGML_LETTERS}]""")
_TEXT_ANGLE = re.compile(r"<(?![A-Za-z!/?])")  # a "<" that opens no tag, comment or end tag
# a tag, or a name after "&" without its ";" in text, as feedparser's SGML parser finds one
_TAG_OR_BARE_NAME = re.compile(r"<[^<>]*>|&([A-Za-z][-.A-Za-z0-9]*)(?=[^A-Za-z0-9;])")


def feedparser_ready(markup: str) -> str:
    """An entry's HTML made ready for feedparser's SGML parser to read as browsers do.
    Where the two readings differed, the same entry read the fast way and read by
    feedparser had two contents. Made ready:

    - a ``<`` that opens no tag as text: ``x <> y`` (it took ``<>`` for SGML's short
      tag, a copy of the last tag opened), ``re.sub('<[Bb][Rr]/>', …)`` in a post's code
      (it took that for a tag closed with ``/``, and lost the ``/``);
    - ``</br>`` as a break (it dropped it);
    - ``<p />`` and ``<div/>`` as opened (it closed or dropped them);
    - ``&#34;`` in an attribute as a quote in its value (it ended the value there, and
      the rest of a footnote's title became attributes);
    - ``&emdash;``, a name no entity has, as text (it dropped the ``;``), and an HTML5
      entity its table lacks (``&period;``) as its character;
    - in text, a name after ``&`` without its ``;`` (a link written out,
      ``?title=Features&lang=fr``) as browsers read it: the longest start of it that
      HTML lets go without ``;`` (``&copy``) as its character, else as text (it read
      ``&lang`` as "⟨");
    - an attribute's value without quotes that holds a letter outside ASCII or another
      character SGML's unquoted values lack, in quotes (``alt=food写真1``: it ended the
      value there, and the picture was lost)."""
    if "=" in markup and _UNQUOTED_UNREAD.search(markup):
        markup = _START_TAG.sub(_quoted, markup)
    if "<" in markup and _TEXT_ANGLE.search(markup):
        markup = _TEXT_ANGLE.sub("&lt;", markup)
    if "</" in markup and _END_BREAK.search(markup):
        markup = _END_BREAK.sub("<br />", markup)
    if "/>" in markup:
        markup = _SELF_CLOSED.sub(_opened, markup)
    if "&" in markup:
        markup = _QUOTE_REFERENCE.sub("&quot;", markup)
        markup = _NAMED_REFERENCE.sub(_known_reference, markup)
        markup = _TAG_OR_BARE_NAME.sub(_bare_name, markup)
    return markup


def _quoted(tag: re.Match[str]) -> str:
    attributes = _ATTRIBUTE.sub(_quoted_value, tag[2])
    return f"<{tag[1]}{attributes}{tag[3]}"


def _quoted_value(attribute: re.Match[str]) -> str:
    name, value = attribute[0].split("=", 1) if attribute[2] else (attribute[0], "")
    if not value or value.lstrip()[:1] in ("'", '"') or _SGML_UNQUOTED.fullmatch(value.strip()):
        return attribute[0]
    return f'{name}="{value.strip()}"'


def _opened(tag: re.Match[str]) -> str:
    if tag[1].lower() in _VOID:
        return tag[0]
    return f"<{tag[1]}{tag[2]}>"


def _bare_name(found: re.Match[str]) -> str:
    name = found[1]
    if name is None:
        return found[0]  # a tag: its attributes are read otherwise
    for end in range(len(name), 0, -1):
        character = html5.get(name[:end])  # (the names HTML reads without ";")
        if character:
            return html.escape(character, quote=False) + name[end:]
    return "&amp;" + name


def _known_reference(reference: re.Match[str]) -> str:
    name = reference[1]
    if name in name2codepoint or name == "apos":
        return reference[0]
    character = html5.get(name + ";")
    return html.escape(character, quote=False) if character else "&amp;" + reference[0][1:]


@cache
def teach_feedparser() -> None:
    """Have feedparser read an entry's HTML as browsers and the fast path read it: the
    HTML made ready for its SGML parser (:func:`feedparser_ready`: ``x <> y`` as text,
    ``</br>`` as a break, ``&emdash;`` as written; it escapes ``<!`` the same way), and
    an element's ``src`` that names no file
    (:func:`~tdlc_syndication.pipeline.canonical.names_this_document`: ``<img src="">``)
    left out where it resolved it to the document's own address, a picture of the
    entry's page that became the item's thumbnail (the cleaning drops an image without a
    source)."""
    from feedparser import html as feedparser_html
    from feedparser import urls as feedparser_urls

    processor = getattr(feedparser_html, "_BaseHTMLProcessor", None)
    feed = getattr(processor, "feed", None)
    if processor is not None and feed is not None:

        def feed_ready(self: Any, data: str) -> None:
            feed(self, feedparser_ready(data))

        processor.feed = feed_ready
    resolver = getattr(feedparser_urls, "RelativeURIResolver", None)
    start = getattr(resolver, "unknown_starttag", None)
    if resolver is not None and start is not None:

        def start_without_empty_sources(self: Any, tag: str, attrs: list[tuple[str, str]]) -> None:
            kept = [(k, v) for k, v in attrs if k.lower() != "src" or not names_this_document(v)]
            start(self, tag, kept)

        resolver.unknown_starttag = start_without_empty_sources


def feedparser_html(markup: str, base: str, kind: str = "text/html") -> str:
    """A field that is HTML (or XHTML, ``kind``) as feedparser writes it: through its own
    HTML processor, taught (:func:`teach_feedparser`). The fast path writes so a title
    that is HTML (an Atom title typed ``html``, an RSS title with a reference or an end
    tag: a title is short), an entry's HTML whose tags it does not tokenise with
    certainty, and Atom's XHTML (:mod:`sources.fastxhtml`)."""
    from feedparser import urls as feedparser_urls

    teach_feedparser()
    resolve = getattr(feedparser_urls, "resolve_relative_uris", None)
    if resolve is None:
        raise Refused("feedparser without resolve_relative_uris")
    return str(resolve(markup, base, "utf-8", kind))


def looks_like_html(text: str) -> bool:
    """Whether feedparser takes a text field of an RSS feed for HTML (its own guess)."""
    from feedparser import mixin

    guess = getattr(getattr(mixin, "_FeedParserMixin", None), "looks_like_html", None)
    if guess is None:
        raise Refused("feedparser without looks_like_html")
    return bool(guess(text))
