"""The site's front page (feed directory with discovery links, newest items) and the
stylesheet that makes feeds readable in a browser."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from tdlc_syndication.outputs.base import STYLESHEET, Output, Plan
from tdlc_syndication.outputs.formats import FORMATS
from tdlc_syndication.outputs.index import Changes
from tdlc_syndication.outputs.view import GROUP_TITLES, StoreView
from tdlc_syndication.pipeline.model import Event, StoredItem, parse_dt


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
    """Plans ``index.html`` and the static files (``feeds/feed.css``, ``favicon.svg``)."""

    name = "site"

    def plan(self, view: StoreView, changes: Changes, settings_fp: str) -> Plan:
        """The front page (fingerprinted by what it shows) and the static files."""
        templates = resources.files("tdlc_syndication.outputs").joinpath("templates")
        assets = {
            STYLESHEET: templates.joinpath("feed.css").read_bytes(),
            "favicon.svg": templates.joinpath("favicon.svg").read_bytes(),
        }
        outputs = [
            Output(
                path=path,
                owner="site",
                fingerprint=hashlib.sha256(data).hexdigest(),
                render=lambda data=data: data,  # type: ignore[misc]
            )
            for path, data in assets.items()
        ]
        outputs.append(self._index(view, settings_fp))
        return Plan(owners={"site"}, outputs=outputs)

    def _index(self, view: StoreView, settings_fp: str) -> Output:
        settings = view.settings
        store = view.store
        stats = store.feed_stats()
        newest = store.feed_newest("all", settings.site.index_size)
        pinned = view.pinned_ids()
        directory = [(spec.key, *stats[spec.key]) for spec in view.specs(stats)]
        issues = store.issues()
        latest = max(issues) if issues else None
        digest = (latest, issues[latest].heading) if latest else None
        blob = json.dumps([settings_fp, newest, pinned, directory, digest])

        def render() -> bytes:
            return self._render(view, stats, [item_id for item_id, _ in newest], pinned, digest)

        return Output(
            path="index.html",
            owner="site",
            fingerprint=hashlib.sha256(blob.encode()).hexdigest(),
            render=render,
        )

    def _render(
        self,
        view: StoreView,
        stats: dict[str, tuple[int, str | None]],
        newest: list[str],
        pinned: list[str],
        digest: tuple[str, str] | None = None,
    ) -> bytes:
        settings = view.settings
        zone = ZoneInfo(settings.site.timezone)
        size = settings.site.feed_size
        groups: dict[str, list[dict[str, Any]]] = {}
        for spec in view.specs(stats):
            count, updated = stats[spec.key]
            groups.setdefault(spec.group, []).append(
                {
                    "spec": spec,
                    "count": count,
                    "in_feed": min(count, size),
                    "updated": parse_dt(updated).astimezone(zone).date().isoformat()
                    if updated
                    else None,
                    "links": [
                        {"label": f.label, "href": spec.path(f.suffix), "type": f.media_type}
                        for f in FORMATS
                    ],
                }
            )
        template = make_environment().get_template("index.html.j2")
        html = template.render(
            site=settings.site,
            groups=[(GROUP_TITLES[g], g, feeds) for g, feeds in groups.items()],
            discovery=groups.get("main", []),
            rows=[self._row(view, s, zone) for s in view.items(newest)],
            pinned=[self._row(view, s, zone) for s in _newest_first(view.items(pinned))],
            total=stats.get("all", (0, None))[0],
            digest={"week": digest[0], "heading": digest[1]} if digest else None,
        )
        return html.encode("utf-8")

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


def _newest_first(items: list[StoredItem]) -> list[StoredItem]:
    by_id = sorted(items, key=lambda s: s.item.id)
    return sorted(by_id, key=lambda s: s.sort_date, reverse=True)


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
