"""Publishers: everything written to the output folder comes from here, through write.py."""

from __future__ import annotations

from config.models import Settings
from outputs.base import Publisher


def default_publishers(settings: Settings) -> list[Publisher]:
    """The publishers a ``publish`` runs, in order."""
    from outputs.feeds import FeedPublisher
    from outputs.opml import OpmlPublisher
    from outputs.site import SitePublisher

    return [FeedPublisher(), OpmlPublisher(), SitePublisher()]
