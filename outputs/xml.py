"""Writing XML as text: escaping exactly as lxml serialises, and indentation as its pretty
printer lays it out, so the feeds are byte-for-byte what an lxml tree would give (the
feedgen reference renderer in the tests is such a tree)."""

from __future__ import annotations

import html
import re
from datetime import datetime

DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"


def text(value: str) -> str:
    """Element text, escaped."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def attr(value: str) -> str:
    """An attribute value (for double quotes), escaped."""
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def element(indent: str, name: str, value: str, attributes: str = "") -> str:
    """``<name attributes>value</name>`` on its own indented line."""
    return f"{indent}<{name}{attributes}>{text(value)}</{name}>\n"


# What a reader, or the feed validator, could take for markup in plain text: the start
# of a tag (``<b``, ``</``) or of a reference (``&amp``, ``&#38``). "A & B" or "<2019>" is
# plain to both.
_MARKUP_LIKE = re.compile(r"<[/A-Za-z]|&#?\w")


def looks_like_markup(value: str) -> bool:
    """Whether plain text holds what could be read as markup (:data:`_MARKUP_LIKE`)."""
    return ("<" in value or "&" in value) and _MARKUP_LIKE.search(value) is not None


def plain_element(indent: str, name: str, value: str, attributes: str = "") -> str:
    """:func:`element` for plain text (a title, a name, a summary): when the text could be
    read as markup, its ``&`` and ``<`` are hexadecimal references (``&#x26;``, ``&#x3C;``),
    as the RSS Best Practices Profile asks, and the W3C validator takes it as text (it
    warns otherwise: CharacterData, ContainsUndeclaredHTML)."""
    escaped = text(value)
    if looks_like_markup(value):  # only the text: the attributes are written as ever
        escaped = escaped.replace("&amp;", "&#x26;").replace("&lt;", "&#x3C;")
    return f"{indent}<{name}{attributes}>{escaped}</{name}>\n"


# An "&" that HTML readers, and the W3C validator's check of an RSS description, take for
# a broken reference: one before anything but an ASCII blank or another "&" ("&.", "&#").
_BARE_AMPERSAND = re.compile(r"&(?![ \t\r\n\f&]|$)")  # ASCII blanks: before U+3000 it warns


def html_text(value: str) -> str:
    """Plain text as HTML (for an RSS ``description``, which readers read as HTML): as it
    is unless it holds a ``<`` or an ``&`` before anything but a blank or another ``&``
    (a reference, or punctuation: the validator's NotHtml, "Kobe &." as a place ends a
    sentence), then with ``&``, ``<`` and ``>`` escaped, so that "x<y" or "<Toyama>" is
    shown, not taken for a tag. A ``<`` that starts no tag ("buses <3", "a < b",
    "lessons <2019>") is escaped too: the validator's NotHtml warned of it."""
    if "<" in value or ("&" in value and _BARE_AMPERSAND.search(value)):
        return html.escape(value, quote=False)
    return value


def empty(indent: str, name: str, *pairs: tuple[str, str]) -> str:
    """A self-closed element ``<name a="v"/>`` on its own indented line."""
    attributes = "".join(f' {key}="{attr(value)}"' for key, value in pairs)
    return f"{indent}<{name}{attributes}/>\n"


def stylesheet(href: str) -> str:
    """The processing instruction that makes browsers style a feed with CSS."""
    return f'<?xml-stylesheet type="text/css" href="{href}"?>\n'


def rfc3339(value: datetime) -> str:
    """Atom's date form (``datetime.isoformat``, as feedgen writes it)."""
    return value.isoformat()


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc822(value: datetime) -> str:
    """RSS's date form, ``Sun, 22 Nov 2026 12:00:00 +0000``, whatever the locale."""
    offset = value.strftime("%z")
    return (
        f"{_DAYS[value.weekday()]}, {value.day:02d} {_MONTHS[value.month - 1]} {value.year:04d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d} {offset}"
    )
