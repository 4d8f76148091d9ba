"""Publishers: everything written to the output folder comes from here, through write.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing outputs.write must stay light (a quick publish uses it)
    from tdlc_syndication.config.models import Settings
    from tdlc_syndication.outputs.base import Publisher


def default_publishers(settings: Settings) -> list[Publisher]:
    """The publishers a ``publish`` runs, in order."""
    from tdlc_syndication.outputs.calendar import CalendarPublisher
    from tdlc_syndication.outputs.facets import FacetPagesPublisher
    from tdlc_syndication.outputs.feeds import FeedPublisher
    from tdlc_syndication.outputs.opml import OpmlPublisher
    from tdlc_syndication.outputs.site import SitePublisher

    return [
        FeedPublisher(),
        OpmlPublisher(),
        CalendarPublisher(),
        FacetPagesPublisher(),
        SitePublisher(),
    ]
