"""Pages for people per topic, city (place) and kind: ``topic/<slug>/index.html`` and so
on, the newest materials first, paged (``page-2.html``...) up to ``MAX_PAGES`` pages, each
page discoverable to feed readers through its feeds (``<link rel="alternate">``). Item
labels on every page link here."""

from __future__ import annotations

import hashlib
import json
from typing import Any
from zoneinfo import ZoneInfo

from tdlc_syndication.outputs.base import Output, Plan
from tdlc_syndication.outputs.formats import FORMATS
from tdlc_syndication.outputs.index import Changes
from tdlc_syndication.outputs.pages import item_row, make_environment, term_page
from tdlc_syndication.outputs.view import FeedSpec, StoreView

PAGE_SIZE = 50
MAX_PAGES = 10  # the newest 500 items of a term; the feeds and their archives hold the rest
PAGE_FACETS = ("topic", "place", "kind")
HEADINGS = {"topic": "Topic", "place": "City", "kind": "Kind"}


class FacetPagesPublisher:
    """Plans the term pages of every topic, place and kind in use."""

    name = "facets"

    def plan(self, view: StoreView, changes: Changes, settings_fp: str) -> Plan:
        """Every term page, fingerprinted by the entries it shows."""
        stats = view.store.feed_stats()
        outputs: list[Output] = []
        for spec in view.specs(stats):
            if spec.group not in PAGE_FACETS:
                continue
            count = stats[spec.key][0]
            pages = max(1, min(MAX_PAGES, -(-count // PAGE_SIZE)))
            if not changes.full and spec.key not in changes.feeds:
                outputs.extend(
                    Output(path=term_page(spec.group, spec.key.split(":", 1)[1], n), owner="facets")
                    for n in range(1, pages + 1)
                )  # unchanged: keep the published pages
                continue
            for number in range(1, pages + 1):
                outputs.append(self._page(view, spec, number, pages, count, settings_fp))
        return Plan(owners={"facets"}, outputs=outputs)

    def _page(
        self, view: StoreView, spec: FeedSpec, number: int, pages: int, count: int, fp: str
    ) -> Output:
        entries = view.store.feed_entries(spec.key, PAGE_SIZE, (number - 1) * PAGE_SIZE)
        facet, term = spec.key.split(":", 1)
        blob = json.dumps([fp, spec.key, number, pages, count, entries])

        def render() -> bytes:
            return render_term_page(view, spec, facet, term, number, pages, count, entries)

        return Output(
            path=term_page(facet, term, number),
            owner="facets",
            fingerprint=hashlib.sha256(blob.encode()).hexdigest(),
            render=render,
        )


def render_term_page(
    view: StoreView,
    spec: FeedSpec,
    facet: str,
    term: str,
    number: int,
    pages: int,
    count: int,
    entries: list[tuple[str, str]],
) -> bytes:
    """One page of a term's materials."""
    zone = ZoneInfo(view.settings.site.timezone)
    rows = [item_row(view, s, zone, "../../") for s in view.items([i for i, _ in entries])]
    links = [{"label": f.label, "href": spec.path(f.suffix), "type": f.media_type} for f in FORMATS]
    context: dict[str, Any] = {
        "site": view.settings.site,
        "root": "../../",
        "heading": f"{HEADINGS[facet]}: {view.label(facet, term)}",
        "spec": spec,
        "links": links,
        "rows": rows,
        "number": number,
        "pages": pages,
        "count": count,
        "newer": term_page(facet, term, number - 1).rsplit("/", 1)[1] if number > 1 else None,
        "older": term_page(facet, term, number + 1).rsplit("/", 1)[1] if number < pages else None,
        "shown_max": PAGE_SIZE * MAX_PAGES,
    }
    html = make_environment().get_template("term.html.j2").render(context)
    return html.encode("utf-8")
