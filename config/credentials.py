"""What a source sends to its own site beyond the usual: request headers (an API key, a
cookie, a token) and HTTP Basic credentials.

Secrets stay out of the settings file: a value may name environment variables as
``${NAME}``, read when a request is made (so neither the file nor the program's cache of
validated settings ever holds them). The values are sent only to the origin (scheme, host
and port) of the source's ``url``: not after a redirect to another site, not to the pages
of other sites a source reads, not with robots.txt. They are never logged or shown.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Mapping

from tdlc_syndication.config.files import CONTROL_CHARACTERS

# RFC 9110 §5.6.2: a header name is a token.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Characters no header value may hold: the project's control characters, and line breaks
# (they would end the header, or start another).
_BREAKS = re.compile(f"[{CONTROL_CHARACTERS}\r\n]")
# Headers the client owns: the message's framing, the connection, the conditional GET and
# the encodings it decodes, and the User-Agent robots.txt is read for.
RESERVED = frozenset(
    """host content-length transfer-encoding connection keep-alive upgrade te trailer
    proxy-connection proxy-authorization if-none-match if-modified-since if-match
    if-unmodified-since if-range accept-encoding user-agent""".split()  # noqa: SIM905
)


class MissingVariable(ValueError):
    """A value names an environment variable that is not set."""

    def __init__(self, name: str) -> None:
        super().__init__(f"the environment variable {name} is not set")


def check_headers(headers: dict[str, str]) -> dict[str, str]:
    """Validate ``headers`` as written in the settings (before any ``${NAME}`` is read).

    Raises:
        ValueError: a name that is no header name or that the client sets itself, or a
            value with a line break or another control character.
    """
    seen: set[str] = set()
    for name, value in headers.items():
        lower = name.lower()
        if not _TOKEN.match(name):
            raise ValueError(f"{name!r} is not a header name (letters, digits and -)")
        if lower in RESERVED:
            hint = " (browser_user_agent = true sends a browser's)" if lower == "user-agent" else ""
            raise ValueError(f"{name!r} is set by the client itself and cannot be changed{hint}")
        if lower in seen:
            raise ValueError(f"{name!r} is given twice (header names ignore case)")
        seen.add(lower)
        check_value(value, f"the value of {name!r}", header=True)
    return headers


def check_value(value: str, what: str, *, header: bool = False) -> str:
    """``value`` unless it holds a line break or another control character, or, for a
    ``header`` value, a character beyond Latin-1 (a header's value is bytes).

    Raises:
        ValueError: it does.
    """
    if _BREAKS.search(value):
        raise ValueError(f"{what} holds a line break or a control character")
    if header and not value.isascii() and any(ord(c) > 0xFF for c in value):
        raise ValueError(f"{what} holds a character a header cannot carry; percent-encode it")
    return value


def check_login(username: str | None, password: str | None, headers: Mapping[str, str]) -> None:
    """Check a source's HTTP Basic credentials against each other and its headers.

    Raises:
        ValueError: a password without a username, a username with a ``:``, a control
            character, or an ``Authorization`` header beside them.
    """
    if password is not None and username is None:
        raise ValueError("'password' is given without 'username'")
    if username is None:
        return
    if ":" in username:
        raise ValueError("'username' holds ':', which HTTP Basic credentials cannot carry")
    check_value(username, "'username'")
    check_value(password or "", "'password'")
    if any(name.lower() == "authorization" for name in headers):
        raise ValueError("give 'username' and 'password', or an Authorization header, not both")


def check_no_variable(value: str) -> str:
    """Validator for a URL or a query parameter: it names no ``${NAME}``. A variable is
    read only where a secret stays unseen (``headers``, ``username``, ``password``); in a
    URL it was sent as written, ``${API_KEY}`` and all, and nothing said so.

    Raises:
        ValueError: ``value`` names a variable.
    """
    names = variables(value)
    if names:
        raise ValueError(
            f"names the environment variable {names[0]}, which is read only in a source's "
            "headers, username and password (a URL is shown in logs and status): send the "
            "key in `headers` if the API takes it there, or write it out here"
        )
    return value


def variables(*values: str | None) -> list[str]:
    """The environment variables ``values`` name, in order, each once."""
    found: list[str] = []
    for value in values:
        for name in _VARIABLE.findall(value or ""):
            if name not in found:
                found.append(name)
    return found


def expand(value: str, environ: Mapping[str, str] | None = None, *, header: bool = False) -> str:
    """``value`` with each ``${NAME}`` replaced by that environment variable, checked as
    :func:`check_value` checks a value written in the settings.

    Raises:
        MissingVariable: one is not set.
        ValueError: the result holds what a value cannot.
    """
    env = os.environ if environ is None else environ

    def read(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            raise MissingVariable(name)
        return env[name]

    what = f"a value read from {variables(value)}"
    return check_value(_VARIABLE.sub(read, value), what, header=header)


def request_headers(
    headers: Mapping[str, str],
    username: str | None,
    password: str | None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The headers a source sends to its own site, its variables read: its ``headers``
    and, with a ``username``, an HTTP Basic ``Authorization``.

    Raises:
        MissingVariable: a variable one of them names is not set.
        ValueError: a value read holds a line break or a control character.
    """
    out = {name: expand(value, environ, header=True) for name, value in headers.items()}
    if username is not None:
        user = expand(username, environ)
        if ":" in user:
            raise ValueError(f"the username read from {variables(username)} holds ':'")
        pair = f"{user}:{expand(password or '', environ)}"
        out["Authorization"] = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
    return out
