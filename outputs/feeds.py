"""The feed publisher: every feed (``all``, the configured ones, one per facet term in use)
in every format of ``outputs.formats``, with its RFC 5005 archive pages."""

from __future__ import annotations

from collections.abc import Mapping

from tdlc_syndication.outputs.document import entries
from tdlc_syndication.outputs.formats import FORMATS
from tdlc_syndication.outputs.paging import page_path, paginate
from tdlc_syndication.outputs.view import StoreView


class FeedPublisher:
    """Renders ``feeds/<stem>.<suffix>`` for every feed and format, and the archive pages."""

    name = "feeds"

    def render(self, store: StoreView) -> Mapping[str, bytes]:
        """Render every page of every feed in every format."""
        size = store.settings.site.feed_size
        files: dict[str, bytes] = {}
        for spec, items in store.feeds():
            for page in paginate(items, size):
                shown = entries(store, page.items)
                for fmt in FORMATS:
                    path = page_path(spec, page, fmt.suffix)
                    files[path] = fmt.render(store, spec, page, path, shown)
        return files
