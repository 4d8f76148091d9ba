"""Publishers: everything written to the output folder comes from here, through write.py."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing outputs.write must stay light (a quick publish uses it)
    from tdlc_syndication.config.models import Settings
    from tdlc_syndication.outputs.base import Publisher

# The publishers a publish runs, in order: (module under tdlc_syndication.outputs, class).
PUBLISHERS: tuple[tuple[str, str], ...] = (
    ("feeds", "FeedPublisher"),
    ("opml", "OpmlPublisher"),
    ("calendar", "CalendarPublisher"),
    ("facets", "FacetPagesPublisher"),
    ("moved", "MovedPublisher"),
    ("digest", "DigestPublisher"),
    ("search", "SearchPublisher"),
    ("sitemap", "SitemapPublisher"),
    ("site", "SitePublisher"),
)


def publisher_modules() -> list[str]:
    """The full names of the publishers' modules (what rendering needs loaded)."""
    return [f"{__name__}.{module}" for module, _ in PUBLISHERS]


def default_publishers(settings: Settings) -> list[Publisher]:
    """The publishers a ``publish`` runs, in order (their modules imported on first use)."""
    return [
        getattr(importlib.import_module(f"{__name__}.{module}"), name)()
        for module, name in PUBLISHERS
    ]
