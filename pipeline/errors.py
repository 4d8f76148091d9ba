"""The one exception tree of tdlc-syndication.

::

    ConfigError              a settings file is unreadable or invalid (lists every problem);
                             defined in config.errors (the lowest layer), re-exported here
    SyndicationError
    ├── SourceError          one source failed; names the source id
    │   ├── FetchError       transport, HTTP status, limits, refused address
    │   │   ├── SourceGone   HTTP 410: the source is retired until re-enabled
    │   │   └── RefusedAddress  the host is loopback or private, and not allowed
    │   ├── ParseError       the body is not what the source kind expects
    │   └── NotModified      control flow: nothing changed since the last fetch
    ├── InvalidItem          one item cannot be kept (no title, no link, absurd date)
    ├── StoreError           the SQLite store cannot be opened or written
    └── PublishError         an output cannot be rendered or written

Messages name the source and the cause; causes are chained with ``raise ... from``.
The CLI turns any of these into one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import re
from datetime import datetime

from tdlc_syndication.config.errors import ConfigError
from tdlc_syndication.config.files import BIDI_CONTROLS, CONTROL_CHARACTERS

__all__ = [
    "ConfigError",
    "FetchError",
    "InvalidItem",
    "NotModified",
    "ParseError",
    "PublishError",
    "RefusedAddress",
    "SourceError",
    "SourceGone",
    "StoreError",
    "SyndicationError",
]


_BREAKS = re.compile(r"[\t\n\r]+")
_UNPRINTABLE = re.compile(f"[{CONTROL_CHARACTERS}{BIDI_CONTROLS}]")


def printable(text: str) -> str:
    """``text`` safe for one line of a terminal or a log: line breaks and tabs as one space
    (a break would forge a log line), other controls and bidi controls as escapes
    (``\\x1b``: an origin's reason phrase or document text could otherwise clear the
    operator's screen, retitle the window or write the clipboard)."""
    text = _BREAKS.sub(" ", text)
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


class SyndicationError(Exception):
    """Base class of every error this project raises on purpose."""


class SourceError(SyndicationError):
    """A source failed; ``source_id`` says which one. The message often quotes the origin
    (a reason phrase, a parser's words on its document), so it is made :func:`printable`:
    it is stored, logged and shown by ``status``."""

    def __init__(self, source_id: str, message: str) -> None:
        self.source_id = source_id
        self.message = message = printable(message)
        super().__init__(f"[{source_id}] {message}")


class FetchError(SourceError):
    """The source could not be fetched (network, HTTP status, size or time limit, policy).

    Attributes:
        retry_after: when the server asked us to come back (429/503 Retry-After), if it did.
        status: the HTTP status that caused it, if any.
    """

    def __init__(
        self,
        source_id: str,
        message: str,
        *,
        retry_after: datetime | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(source_id, message)
        self.retry_after = retry_after
        self.status = status


class RefusedAddress(FetchError):
    """The host resolves only to loopback, private or link-local addresses, which the
    source (or a hub's request for it) may not reach."""


class SourceGone(FetchError):
    """HTTP 410 Gone: the source is retired until an operator re-enables it."""


class ParseError(SourceError):
    """The fetched body is not in the format the source kind expects."""


class NotModified(SourceError):
    """Nothing changed since the last fetch (HTTP 304 or identical bytes); ``refresh_after``
    is how long the origin asked us not to poll again (seconds), if it said."""

    def __init__(
        self, source_id: str, message: str = "not modified", refresh_after: float | None = None
    ) -> None:
        super().__init__(source_id, message)
        self.refresh_after = refresh_after


class InvalidItem(SyndicationError):
    """An item cannot be kept; ``reason`` is a short counted label such as ``no-title``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class StoreError(SyndicationError):
    """The SQLite store cannot be opened, migrated or written."""


class PublishError(SyndicationError):
    """An output file cannot be rendered or written."""
