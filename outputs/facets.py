"""Pages for people per topic, city (place) and kind: ``topic/<slug>/index.html`` and so
on, the newest materials first, each page discoverable to feed readers through its feeds
(``<link rel="alternate">``). Item labels on every page link here.

Older materials are on pages numbered from the oldest, like the feeds' RFC 5005 archives:
page ``n`` holds the term's materials ``(n-1)*PAGE_SIZE+1 .. n*PAGE_SIZE`` counted from
the oldest, so a new material changes the first page only, not every page after it. The
first page holds the newest full block of ``PAGE_SIZE`` and the materials after it (up to
``2*PAGE_SIZE - 1``); the newest ``MAX_PAGES - 1`` older pages are kept, and the feeds
and their archives hold the rest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from tdlc_syndication.outputs.base import Output, Plan
from tdlc_syndication.outputs.calendar import term_calendar
from tdlc_syndication.outputs.formats import FORMATS
from tdlc_syndication.outputs.index import Changes
from tdlc_syndication.outputs.pages import item_row, render_page
from tdlc_syndication.outputs.view import PAGE_FACETS, FeedSpec, StoreView, term_page

PAGE_SIZE = 50
MAX_PAGES = 10  # the first page and the 9 newest older pages: about 500 materials a term
HEADINGS = {"topic": "Topic", "place": "City", "kind": "Kind"}


def heading(view: StoreView, facet: str, label: str) -> str:
    """A term page's heading: "City: Kobe" (in Japanese, 都市：神戸)."""
    return f"{view.say(HEADINGS[facet])}{view.say(': ')}{label}"


@dataclass(frozen=True, slots=True)
class Layout:
    """The pages of a term that holds ``count`` materials."""

    count: int

    @property
    def newest_block(self) -> int:
        """The number of the newest full block (shown on the first page; 0 if none)."""
        return self.count // PAGE_SIZE

    @property
    def numbers(self) -> range:
        """The older pages kept, oldest first."""
        last = self.newest_block - 1
        return range(max(1, last - MAX_PAGES + 2), last + 1)

    def older(self, number: int) -> int | None:
        """The page before ``number`` (0: the first page), None for the oldest kept."""
        previous = number - 1 if number else self.newest_block - 1
        return previous if previous in self.numbers else None

    def newer(self, number: int) -> str | None:
        """The file name of the page after ``number``."""
        if not number:
            return None
        return f"page-{number + 1}.html" if number + 1 in self.numbers else "index.html"


class FacetPagesPublisher:
    """Plans the term pages of every topic, place and kind in use."""

    name = "facets"

    def plan(self, view: StoreView, changes: Changes, settings_fp: str) -> Plan:
        """Every term page, fingerprinted by the entries it shows (a page whose entries
        and links did not change is not rendered again)."""
        stats = view.feed_stats()
        outputs: list[Output] = []
        for spec in view.specs(stats):
            if spec.group not in PAGE_FACETS:
                continue
            layout = Layout(stats[spec.key][0])
            facet, term = spec.key.split(":", 1)
            numbers = [0, *layout.numbers]
            if not changes.full and spec.key not in changes.feeds:
                # unchanged: keep the published pages
                outputs.extend(
                    Output(path=term_page(facet, term, n), owner="facets") for n in numbers
                )
                continue
            outputs.extend(self._page(view, spec, layout, n, settings_fp) for n in numbers)
        return Plan(owners={"facets"}, outputs=outputs)

    def _page(
        self, view: StoreView, spec: FeedSpec, layout: Layout, number: int, fp: str
    ) -> Output:
        if number:  # block ``number`` counted from the oldest, shown newest first
            offset = layout.count - number * PAGE_SIZE
            entries = view.store.feed_entries(spec.key, PAGE_SIZE, offset)
        else:
            shown = layout.count - max(0, layout.newest_block - 1) * PAGE_SIZE
            entries = view.store.feed_entries(spec.key, shown)
        facet, term = spec.key.split(":", 1)
        page = TermPage(facet, term, number, layout, entries, spec.key in view.term_events())
        blob = json.dumps([fp, spec.key, page.fingerprint_parts()])

        def render() -> bytes:
            return render_term_page(view, spec, page)

        return Output(
            path=term_page(facet, term, number),
            owner="facets",
            fingerprint=hashlib.sha256(blob.encode()).hexdigest(),
            render=render,
        )


@dataclass(frozen=True, slots=True)
class TermPage:
    """One page of a term: 0 the first, else an older page; its entries newest first."""

    facet: str
    term: str
    number: int
    layout: Layout
    entries: list[tuple[str, str]]
    calendar: bool = False  # the term has events: its calendar is linked

    @property
    def older(self) -> str | None:
        """The file name of the older page, if one is kept."""
        older = self.layout.older(self.number)
        return f"page-{older}.html" if older is not None else None

    @property
    def truncated(self) -> bool:
        """True on the oldest page shown when older materials have no page."""
        first = self.layout.numbers.start if self.layout.numbers else 0
        return self.older is None and first > 1

    def fingerprint_parts(self) -> list[Any]:
        """What the page shows: a change of any part re-renders it (the first page also
        shows the count)."""
        count = self.layout.count if not self.number else None
        return [self.number, count, self.older, self.layout.newer(self.number),
                self.truncated, self.entries, self.calendar]  # fmt: skip


def render_term_page(view: StoreView, spec: FeedSpec, page: TermPage) -> bytes:
    """One page of a term's materials."""
    zone = ZoneInfo(view.settings.site.timezone)
    rows = [item_row(view, s, zone, "../../") for s in view.items([i for i, _ in page.entries])]
    links = [{"label": f.label, "href": spec.path(f.suffix), "type": f.media_type} for f in FORMATS]
    if page.calendar:
        href = term_calendar(spec.key)
        links.append({"label": view.say("Events calendar"), "href": href, "type": "text/calendar"})
    label = view.label(page.facet, page.term)
    return render_page(
        view,
        "term.html.j2",
        "../../",
        heading=heading(view, page.facet, label),
        label=label,
        facet=page.facet,
        term=page.term,
        spec=spec,
        links=links,
        rows=rows,
        number=page.number,
        count=page.layout.count,
        newer=page.layout.newer(page.number),
        older=page.older,
        truncated=page.truncated,
    )
