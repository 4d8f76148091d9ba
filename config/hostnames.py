"""Host names every link checker takes: the rule behind the settings' site URLs and the
links the outputs publish.

The W3C feed validator takes almost any host, but browsers (the WHATWG URL standard) and
the Nu HTML checker refuse an empty label (``a..b``), a label past 63 characters, an
``xn--`` label that is no IDNA encoding, and a host whose last label is a number but
which is no IPv4 address (``1.2.3.4.5``, ``999.1.1.1``, ``x.123``): a page or feed with
such a link fails them. Hyphens at a label's ends and underscores are taken (hosts with
them exist). The rule reads hosts as URLs hold them: IDNA-encoded, lower case.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_HOST = 253  # characters of a DNS name
_LABEL = re.compile(r"[a-z0-9_-]{1,63}\Z")
_DECIMAL = re.compile(r"(?:0|[1-9][0-9]{0,9})\Z")


@lru_cache(maxsize=4096)
def host_problem(host: str) -> str | None:
    """What is wrong with ``host`` (lower case, as ``urlsplit`` gives it; a Unicode name
    is read in IDNA) as a link's host, said for a person; None when nothing is. An IPv6
    address is a problem: no feed validator takes one in a link."""
    if not host or host == ".":
        return "has no host name"
    if host.startswith("[") or ":" in host:
        return "is on an IPv6 address, which no feed validator takes in a link; use a host name"
    if not host.isascii():  # a name as settings write it: 例え.jp
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:  # IDNA 2008 (the outputs') may take what 2003 refuses
            return None
    host = host[:-1] if host.endswith(".") else host  # a fully qualified name: x.org.
    if len(host) > MAX_HOST:
        return f"has a host name longer than {MAX_HOST} characters"
    labels = host.split(".")
    if labels[-1].isdigit() or labels[-1].startswith("0x"):
        if _ipv4(labels):
            return None
        return (
            f"has a host {host!r} that ends in a number but is no IPv4 address (such as 192.0.2.1)"
        )
    for label in labels:
        if not label:
            return (
                f"has a host name {host!r} with an empty label (two dots in a row, or a dot first)"
            )
        if len(label) > 63:
            return f"has a host name {host!r} with a label longer than 63 characters"
        if not _LABEL.match(label):
            bad = next(c for c in label if not _LABEL.match(c))
            return f"has a host name {host!r} with {bad!r}, which no host name holds"
        if label.startswith("xn--") and not _ace_label(label):
            return f"has a host name {host!r} whose label {label!r} is no IDNA encoding"
    return None


def _ipv4(labels: list[str]) -> bool:
    """Dotted decimal numbers as browsers read them: up to four, the last filling the
    remaining bytes (``127.1`` is 127.0.0.1); no leading zeros (they read as octal)."""
    if len(labels) > 4 or not all(_DECIMAL.match(label) for label in labels):
        return False
    *head, last = (int(label) for label in labels)
    return all(part < 256 for part in head) and last < 256 ** (4 - len(head))


def _ace_label(label: str) -> bool:
    """Whether an ``xn--`` label is the IDNA encoding of a name, written as encoders write
    it: IDNA 2003 (the standard library's; it takes the symbol and emoji names), else a
    name in the form IDNA 2008 keeps (``ß``, characters newer than 2003's tables):
    printable, NFC, lower case."""
    try:
        name = label[4:].encode("ascii").decode("punycode")
    except UnicodeError:
        return False
    if name.isascii() or "xn--" + name.encode("punycode").decode("ascii") != label:
        return False
    try:
        if name.encode("idna").decode("ascii") == label:
            return True
    except UnicodeError:
        pass
    return name.isprintable() and unicodedata.is_normalized("NFC", name) and name == name.lower()
