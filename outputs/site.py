"""The site's pages for people: the front page (newest materials, upcoming events, the
latest digest issue, a compact way to subscribe), the feed directory (``feeds/index.html``),
and the static files (the stylesheet that makes feeds readable in a browser, the icon)."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from tdlc_syndication.outputs.base import STYLESHEET, STYLESHEET_JA, Output, Plan, fixed_output
from tdlc_syndication.outputs.calendar import not_over
from tdlc_syndication.outputs.formats import FORMATS
from tdlc_syndication.outputs.index import Changes
from tdlc_syndication.outputs.pages import item_row, render_page
from tdlc_syndication.outputs.view import GROUP_TITLES, StoreView
from tdlc_syndication.pipeline.model import StoredItem
from tdlc_syndication.pipeline.timestamps import parse_dt

# The notice feed.css shows above a feed in a browser, and its words for Japanese feeds.
NOTICE = "This is a web feed. Copy the address of this page into your feed reader to subscribe."
NOTICE_JA = (
    "これはウェブフィードです。このページのアドレスをフィードリーダーに登録すると、"
    "新しい資料やお知らせが届きます。"
)


class SitePublisher:
    """Plans ``index.html`` and the static files (``feeds/feed.css``, ``favicon.svg``)."""

    name = "site"

    def plan(self, view: StoreView, changes: Changes, settings_fp: str) -> Plan:
        """The front page (fingerprinted by what it shows) and the static files."""
        templates = resources.files("tdlc_syndication.outputs").joinpath("templates")
        css = templates.joinpath("feed.css").read_bytes()
        assets = {
            STYLESHEET: css,
            STYLESHEET_JA: css.replace(NOTICE.encode(), NOTICE_JA.encode()),
            "favicon.svg": templates.joinpath("favicon.svg").read_bytes(),
        }
        outputs = [fixed_output(path, "site", data) for path, data in assets.items()]
        ids = [item_id for item_id, _ in view.store.feed_newest("kind:event", 500)]
        events, ends = not_over(view, view.items(ids))
        upcoming = [s.item.id for s in events[:UPCOMING]]
        outputs.append(self._index(view, settings_fp, upcoming))
        outputs.append(self._directory(view, settings_fp))
        # The front page changes when an event it lists is over.
        return Plan(owners={"site"}, outputs=outputs, expires=min(ends[:UPCOMING], default=None))

    def _index(self, view: StoreView, settings_fp: str, upcoming: list[str]) -> Output:
        settings = view.settings
        store = view.store
        stats = view.feed_stats()
        newest = store.feed_newest("all", settings.site.index_size)
        pinned = view.pinned_ids()
        directory = [(spec.key, *stats[spec.key]) for spec in view.specs(stats)]
        issues = store.issues(bodies=False)
        latest = max(issues) if issues else None
        digest = (latest, issues[latest].heading) if latest else None
        blob = json.dumps([settings_fp, newest, pinned, directory, digest, upcoming])

        def render() -> bytes:
            ids = [item_id for item_id, _ in newest]
            return self._render(view, stats, ids, pinned, digest, upcoming)

        return Output(
            path="index.html",
            owner="site",
            fingerprint=hashlib.sha256(blob.encode()).hexdigest(),
            render=render,
        )

    def _directory(self, view: StoreView, settings_fp: str) -> Output:
        """``feeds/index.html``: every feed, by group, with its counts and links."""
        stats = view.feed_stats()
        directory = [(spec.key, *stats[spec.key]) for spec in view.specs(stats)]
        blob = json.dumps([settings_fp, "directory", directory])

        def render() -> bytes:
            groups = _groups(view, stats)
            return render_page(
                view,
                "feeds_index.html.j2",
                "../",
                groups=[(view.say(GROUP_TITLES[g]), g, feeds) for g, feeds in groups.items()],
                discovery=groups.get("main", []),
                opml=[(g, view.say(GROUP_TITLES[g])) for g in groups],
            )

        return Output(
            path="feeds/index.html",
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
        upcoming: list[str] | None = None,
    ) -> bytes:
        zone = ZoneInfo(view.settings.site.timezone)
        groups = _groups(view, stats)
        main = groups.get("main", [])
        return render_page(
            view,
            "index.html.j2",
            "",
            discovery=main,
            everything=main[0] if main else {"links": []},
            main_feeds=main[1:],
            feed_count=sum(len(feeds) for feeds in groups.values()),
            rows=[item_row(view, s, zone) for s in view.items(newest)],
            pinned=[item_row(view, s, zone) for s in _newest_first(view.items(pinned))],
            upcoming=[item_row(view, s, zone) for s in view.items(upcoming or [])],
            total=stats.get("all", (0, None))[0],
            digest={"week": digest[0], "heading": digest[1]} if digest else None,
        )


UPCOMING = 5  # events the front page lists


def _groups(
    view: StoreView, stats: dict[str, tuple[int, str | None]]
) -> dict[str, list[dict[str, Any]]]:
    """Every feed with its count, last update and links, by group."""
    zone = ZoneInfo(view.settings.site.timezone)
    size = view.settings.site.feed_size
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
    return groups


def _newest_first(items: list[StoredItem]) -> list[StoredItem]:
    by_id = sorted(items, key=lambda s: s.item.id)
    return sorted(by_id, key=lambda s: s.sort_date, reverse=True)
