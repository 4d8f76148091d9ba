"""The site's front page: the feed directory with discovery links, and the newest items."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from outputs.base import MEDIA_TYPES, StoreView
from pipeline.model import StoredItem

_FORMAT_LABELS = {"atom": "Atom", "rss": "RSS"}


def make_environment() -> Environment:
    """The Jinja2 environment of every HTML and text template (autoescaping on)."""
    return Environment(
        loader=PackageLoader("outputs", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def display_date(stored: StoredItem, zone: ZoneInfo) -> tuple[str, str]:
    """``(machine value, human text)`` of an item's date, at the precision it has."""
    item = stored.item
    if item.published is None:
        return stored.first_seen.date().isoformat(), "undated"
    precision = item.published_precision or "datetime"
    when = item.published
    if precision == "year":
        return f"{when:%Y}", f"{when:%Y}"
    if precision == "month":
        return f"{when:%Y-%m}", f"{when:%Y-%m}"
    if precision == "day":
        return f"{when:%Y-%m-%d}", f"{when:%Y-%m-%d}"
    local = when.astimezone(zone)
    return local.isoformat(), f"{local:%Y-%m-%d}"


class SitePublisher:
    """Renders ``index.html``."""

    name = "site"

    def render(self, store: StoreView, now: datetime) -> Mapping[str, bytes]:
        """Render the front page (``now`` unused: the page depends on the store only)."""
        settings = store.settings
        zone = ZoneInfo(settings.site.timezone)
        items = store.items()
        tax = settings.taxonomy
        feeds = []
        for spec in store.feeds():
            selected = [s for s in items if spec.matches(s)]
            newest = max((s.feed_updated for s in selected), default=None)
            feeds.append(
                {
                    "spec": spec,
                    "count": min(len(selected), settings.site.feed_size),
                    "updated": newest.astimezone(zone).date().isoformat() if newest else None,
                    "links": [
                        {
                            "label": _FORMAT_LABELS[fmt],
                            "href": spec.path(fmt),
                            "type": MEDIA_TYPES[fmt],
                        }
                        for fmt in ("atom", "rss")
                    ],
                }
            )
        rows = []
        for stored in items[: settings.site.index_size]:
            item = stored.item
            machine, human = display_date(stored, zone)
            rows.append(
                {
                    "item": item,
                    "date": machine,
                    "date_text": human,
                    "kind": tax.kinds[item.kind].label if item.kind in tax.kinds else item.kind,
                    "topics": [tax.topics[t].label for t in item.topics if t in tax.topics],
                    "places": [tax.places[p].label for p in item.places if p in tax.places],
                    "origins": len(stored.also_seen_at) + 1,
                }
            )
        template = make_environment().get_template("index.html.j2")
        html = template.render(site=settings.site, feeds=feeds, rows=rows, total=len(items))
        return {"index.html": html.encode("utf-8")}
