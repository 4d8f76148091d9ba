"""The site's front page (feed directory with discovery links, newest items) and the
stylesheet that makes feeds readable in a browser."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from tdlc_syndication.outputs.base import STYLESHEET
from tdlc_syndication.outputs.formats import FORMATS
from tdlc_syndication.outputs.view import GROUP_TITLES, StoreView
from tdlc_syndication.pipeline.model import Event, StoredItem


def make_environment() -> Environment:
    """The Jinja2 environment of every HTML and text template (autoescaping on)."""
    return Environment(
        loader=PackageLoader("tdlc_syndication.outputs", "templates"),
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
    """Renders ``index.html``, ``feeds/feed.css`` and ``favicon.svg``."""

    name = "site"

    def render(self, store: StoreView) -> Mapping[str, bytes]:
        """Render the front page (it depends on the store only)."""
        settings = store.settings
        zone = ZoneInfo(settings.site.timezone)
        size = settings.site.feed_size
        groups: dict[str, list[dict[str, Any]]] = {}
        for spec, selected in store.feeds():
            newest = max((s.feed_updated for s in selected), default=None)
            groups.setdefault(spec.group, []).append(
                {
                    "spec": spec,
                    "count": len(selected),
                    "in_feed": min(len(selected), size),
                    "updated": newest.astimezone(zone).date().isoformat() if newest else None,
                    "links": [
                        {"label": f.label, "href": spec.path(f.suffix), "type": f.media_type}
                        for f in FORMATS
                    ],
                }
            )
        rows = [self._row(store, s, zone) for s in store.items()[: settings.site.index_size]]
        pinned = [self._row(store, s, zone) for s in store.pinned()]
        template = make_environment().get_template("index.html.j2")
        html = template.render(
            site=settings.site,
            groups=[(GROUP_TITLES[g], g, feeds) for g, feeds in groups.items()],
            discovery=groups.get("main", []),
            rows=rows,
            pinned=pinned,
            total=len(store.items()),
        )
        templates = resources.files("tdlc_syndication.outputs").joinpath("templates")
        return {
            "index.html": html.encode("utf-8"),
            STYLESHEET: templates.joinpath("feed.css").read_bytes(),
            "favicon.svg": templates.joinpath("favicon.svg").read_bytes(),
        }

    @staticmethod
    def _row(store: StoreView, stored: StoredItem, zone: ZoneInfo) -> dict[str, Any]:
        item = stored.item
        machine, human = display_date(stored, zone)
        return {
            "item": item,
            "date": machine,
            "date_text": human,
            "kind": store.label("kind", item.kind),
            "topics": [store.label("topic", t) for t in item.topics],
            "places": [store.label("place", p) for p in item.places],
            "origins": len(stored.also_seen_at) + 1,
            "event": _event_text(item.event, zone) if item.event else None,
        }


def _event_text(event: Event, zone: ZoneInfo) -> dict[str, str]:
    """Machine and human forms of an event's start (local time unless all-day)."""
    if event.all_day:
        day = event.start.date().isoformat()
        return {"datetime": day, "text": day, "status": event.status or ""}
    local = event.start.astimezone(zone)
    return {
        "datetime": local.isoformat(),
        "text": f"{local:%Y-%m-%d %H:%M} ({zone.key})",
        "status": event.status or "",
    }
