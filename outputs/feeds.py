"""The feed publisher: every feed (``all``, the configured ones, one per facet term in use)
in every format of ``outputs.formats``, with the RFC 5005 archive pages of the feeds and
formats that keep them (``[archives]``). Only the feeds a publish has to look at are
planned; each document's fingerprint says whether it needs rendering at all."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import lru_cache, partial

from tdlc_syndication.outputs.base import Output, Plan
from tdlc_syndication.outputs.document import Entry, entries, feed_language
from tdlc_syndication.outputs.fit import fit
from tdlc_syndication.outputs.formats import FORMATS, FeedFormat
from tdlc_syndication.outputs.index import Changes
from tdlc_syndication.outputs.paging import (
    Page,
    archive_page,
    full_pages,
    page_path,
    subscription_page,
)
from tdlc_syndication.outputs.view import FeedSpec, StoreView


class FeedPublisher:
    """Plans ``feeds/<stem>.<suffix>`` and ``feeds/archive/<stem>/<n>.<suffix>``."""

    name = "feeds"

    def plan(self, view: StoreView, changes: Changes, settings_fp: str) -> Plan:
        """The feeds to look at, and their documents: every document of every feed on a
        whole publish; else those of the feeds that changed, less the archive pages that
        did not (a feed that is gone loses every file)."""
        stats = view.feed_stats()
        keys = set(stats) if changes.full else set(changes.feeds)
        specs = view.specs(k for k in keys if k in stats)
        outputs = self._outputs(view, changes, settings_fp, specs, stats)
        if changes.full:
            return Plan(owners=keys, outputs=outputs)
        partly = {spec.key: _may_go(view, spec, changes) for spec in specs}
        return Plan(owners=keys - partly.keys(), outputs=outputs, partly=partly)

    def _outputs(
        self,
        view: StoreView,
        changes: Changes,
        settings_fp: str,
        specs: list[FeedSpec],
        stats: dict[str, tuple[int, str | None]],
    ) -> Iterator[Output]:
        size = view.settings.site.feed_size
        for spec in specs:
            archived = view.archived(spec)
            count = stats[spec.key][0]
            page = subscription_page(view.store, spec, size, count, archived)
            yield from feed_documents(view, spec, page, settings_fp)
            if not archived:
                continue
            full = full_pages(view.store, spec, size)
            numbers: Iterable[int] = range(1, full + 1)
            if not changes.full:  # the others stay as they are (``Plan.partly``)
                numbers = sorted(n for n in changes.pages.get(spec.key, ()) if n <= full)
            for number in numbers:
                page = archive_page(view.store, spec, number, size, full)
                yield from feed_documents(view, spec, page, settings_fp)


def _may_go(view: StoreView, spec: FeedSpec, changes: Changes) -> tuple[str, ...]:
    """The archive pages of a feed that stopped being full (their numbers are among the
    changed pages): published before, they go."""
    if not view.archived(spec):
        return ()
    full = full_pages(view.store, spec, view.settings.site.feed_size)
    return tuple(
        spec.archive_path(number, fmt.suffix)
        for number in sorted(changes.pages.get(spec.key, ()))
        if number > full
        for fmt in FORMATS
        if view.archived(spec, fmt.suffix)
    )


def feed_documents(
    view: StoreView, spec: FeedSpec, page: Page, settings_fp: str
) -> Iterator[Output]:
    """The page of a feed in every format; the entries are computed once, for all of them."""
    full_content = not page.is_archive or view.settings.archives.full_content
    language = feed_language(view, spec)

    @lru_cache(maxsize=1)
    def shown() -> tuple[Entry, ...]:
        items = view.items(page.ids)
        return tuple(entries(view, items, with_content=full_content, language=language))

    for fmt in FORMATS:
        shape = page
        if not view.archived(spec, fmt.suffix):
            if page.is_archive:
                continue
            shape = replace(page, prev_archive=None)  # no archives to link in this format
        path = page_path(spec, shape, fmt.suffix)
        render_without = _renderer(view, spec, shape, fmt, path, shown)
        yield Output(
            path=path,
            owner=spec.key,
            fingerprint=_fingerprint(settings_fp, path, shape, fmt),
            render=partial(render_without, frozenset()),
            subscription=not page.is_archive,
            render_without=render_without,
        )


def _renderer(
    view: StoreView,
    spec: FeedSpec,
    page: Page,
    fmt: FeedFormat,
    path: str,
    shown: Callable[[], tuple[Entry, ...]],
) -> Callable[[frozenset[int]], bytes]:
    limit = view.settings.site.max_feed_bytes

    def render(leave_out: frozenset[int]) -> bytes:
        kept = [e for n, e in enumerate(shown(), 1) if n not in leave_out]
        return fit(lambda some: fmt.render(view, spec, page, path, some), kept, limit, path)

    return render


def _fingerprint(settings_fp: str, path: str, page: Page, fmt: FeedFormat) -> str:
    # JSON Feed pages link only older pages (next_url): a newer page changes nothing there.
    newer = page.next_archive if fmt.xml else None
    blob = json.dumps([settings_fp, path, page.prev_archive, newer, page.complete, page.members])
    return hashlib.sha256(blob.encode()).hexdigest()
