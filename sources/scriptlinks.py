"""The address of a link that a script follows.

Municipal CMSs and older sites open their list's items with a script rather than a link:
``<a href="javascript:void(0);" onclick="window.open('/kurashi/1001.html')">``, ``<a
href="javascript:openWin('/kurashi/1002.html')">``, ``<a href="#" onclick="location.href=
'/kurashi/1004.html'">``, or a whole row that is clicked, ``<tr onclick="location.href=
'detail.php?id=5'">``. Read by their ``href``, such items linked nowhere (and were dropped)
or to the list page itself. The address is the script's first quoted string that is
written as one (Scrapy's link extractors are given a function for the same); a script
with none (``toggle(3)``) gives none.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tdlc_syndication.pipeline.canonical import resolve_url

# A quoted string handed to a function or set as the location: location.href = '…',
# location.assign('…'), window.open('…', '_blank'), openWin("…"), goPage('…', 2).
_QUOTED = re.compile(
    r"""(?:\blocation(?:\.href)?\s*=\s*|[A-Za-z_$][\w$.]*\s*\(\s*)(['"])([^'"\s]+)\1"""
)
# What an address looks like: absolute, from the site's root or this folder, a page's
# name (list.html, detail.php?id=5) or a query of this page (?id=5).
_ADDRESS = re.compile(
    r"^(?:https?://|/|\./|\.\./|\?[\w-]+=)"
    r"|^[\w.~%-]+(?:/[\w.~%-]+)*\.(?:html?|php|aspx?|jsp|cfm|pdf)(?:[?#]|$)"
    r"|^[\w.~%/-]+\?[\w-]+=",
    re.I,
)
_SCRIPT = "javascript:"


def block_link(value: Callable[[str], str], link_spec: str, base: str) -> str:
    """The link a block's ``link_spec`` (``a@href``) gives, or the address its script opens
    where that leads nowhere by itself (:func:`needs_script`, :func:`scripted_link`).
    ``value`` reads a ``selector@attribute`` of the block, made absolute against ``base``."""
    link = value(link_spec)
    return scripted_link(link, link_spec, value, base) if needs_script(link, base) else link


def needs_script(link: str, page_url: str) -> bool:
    """Whether a block's ``link`` leads nowhere by itself: none, a script, or the list page
    (``href="#"``)."""
    return (
        not link
        or link[: len(_SCRIPT)].lower() == _SCRIPT
        or link.split("#")[0] in ("", page_url.split("#")[0])
    )


def scripted_link(link: str, link_spec: str, value: Callable[[str], str], base: str) -> str:
    """The address a script of a block opens, or ``link`` when it names none: looked for
    in the script of ``link`` (``javascript:…``), in the ``onclick`` of the element
    ``link_spec`` (the source's ``link_selector``) picks, and in the block's own ``onclick``.
    ``value`` reads a ``selector@attribute`` of the block."""
    selector, _, attribute = link_spec.partition("@")
    scripts = [link[len(_SCRIPT) :] if link[: len(_SCRIPT)].lower() == _SCRIPT else ""]
    if attribute == "href":
        scripts.append(value(f"{selector}@onclick"))
    scripts.append(value("@onclick"))
    for script in scripts:
        for found in _QUOTED.finditer(script):
            address = found[2]
            if _ADDRESS.match(address):
                return resolve_url(base, address)
    return link
