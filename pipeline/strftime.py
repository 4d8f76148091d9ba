"""A date in a source's own ``date_format`` (strftime directives), found anywhere in a text.

A list page rarely gives its date alone: ``Posted 26/11/2026``, ``Banjir di Semarang
(3/12/2026)`` or a block's whole text, when no ``date_selector`` picks the date. The format
is turned into a regular expression that finds the places where such a date may be, and
``strptime`` reads each of them until one is a date, so that what the format means is
strptime's, as documented.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import datetime

# What each directive may match. Directives not listed here (%c, %x, %U, ...) leave the
# format to be read against the whole text only.
_DIRECTIVES = {
    "Y": r"\d{4}",
    "y": r"\d{2}",
    "m": r"\d{1,2}",
    "d": r"\d{1,2}",
    "H": r"\d{1,2}",
    "I": r"\d{1,2}",
    "M": r"\d{1,2}",
    "S": r"\d{1,2}",
    "f": r"\d{1,6}",
    "j": r"\d{1,3}",
    "B": r"[A-Za-z]+",
    "b": r"[A-Za-z]+",
    "h": r"[A-Za-z]+",
    "A": r"[A-Za-z]+",
    "a": r"[A-Za-z]+",
    "p": r"[AaPp][Mm]",
    "z": r"(?:[+-]\d{2}:?\d{2}|Z)",
    "Z": r"[A-Za-z]{1,5}",
    "%": "%",
}


@functools.lru_cache(maxsize=64)
def format_pattern(fmt: str) -> re.Pattern[str] | None:
    """A pattern that finds what ``fmt`` may read inside a longer text (never inside a
    longer number or word), or None when the format has a directive it cannot search for.
    """
    parts: list[str] = []
    chars = iter(fmt)
    for char in chars:
        if char == "%":
            directive = next(chars, "")
            if directive not in _DIRECTIVES:
                return None
            parts.append(_DIRECTIVES[directive])
        elif char.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")  # as strptime reads blanks in a format
        else:
            parts.append(re.escape(char))
    body = "".join(parts)
    return re.compile(rf"(?<![0-9A-Za-z]){body}(?![0-9A-Za-z])")


def strptime_in(text: str, fmt: str) -> datetime | None:
    """The first date written as ``fmt`` in ``text``: the whole text first (as strptime
    reads it), then each place in it that the format may match. Full-width digits and
    letters count as their ASCII forms (``２０２６年１１月２６日``)."""
    text, fmt = unicodedata.normalize("NFKC", text).strip(), unicodedata.normalize("NFKC", fmt)
    try:
        return datetime.strptime(text, fmt)
    except ValueError:
        pass
    pattern = format_pattern(fmt)
    if pattern is None:
        return None
    for match in pattern.finditer(text):
        try:
            return datetime.strptime(match.group(0), fmt)
        except ValueError:
            continue
    return None
