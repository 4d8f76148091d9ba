"""What every publisher shares: the Publisher protocol and the constants of the site."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from tdlc_syndication.outputs.view import StoreView

GENERATOR = "tdlc-syndication"
PROJECT_URL = "https://github.com/tdlc/tdlc-syndication"
STYLESHEET = "feeds/feed.css"
ENCLOSURE_ROLES = ("enclosure", "document", "video")  # media that feeds list as enclosures


class Publisher(Protocol):
    """Renders files from the store. Pure: no clock, no network; the same store gives the
    same bytes."""

    name: str

    def render(self, store: StoreView) -> Mapping[str, bytes]:
        """Return output files as ``relative path -> bytes``."""
        ...


def relative_to(from_path: str, to_path: str) -> str:
    """A relative URL from one output file to another (both relative to the output root)."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")
