"""Old addresses of renamed feeds: a topic, place or kind whose slug changed (its term's
``formerly``) and a ``[[feeds]]`` entry whose id changed keep answering where readers
subscribed and pages linked, so that a rename loses no subscriber:

- each subscription document at its old address is a copy of the feed at its new one,
  kept up to date (the same entries and entry ids, the old feed id; its self link its own
  address, as validators require; no archive links: the archives are at the new address);
- a topic's or place's calendar likewise;
- the term's old page sends browsers to the new one (an immediate refresh, and a link);
- ``_redirects`` lists every old address with its new one as a permanent redirect (301),
  in the form Netlify, Cloudflare Pages and GitLab Pages read and ``syndicate serve``
  follows, and ``_redirects.nginx`` the same as entries of an nginx ``map`` (README).
  Where the host redirects, a reader that follows a 301 updates its subscription; where
  it cannot (or where an existing file wins over a redirect), the copies serve.

Only the feeds that are published at their new address move (a term without materials
has none yet).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from tdlc_syndication.outputs.base import Output, Plan, fixed_output, relative_to, showing_output
from tdlc_syndication.outputs.calendar import term_calendar, term_calendar_output
from tdlc_syndication.outputs.facets import heading
from tdlc_syndication.outputs.feeds import feed_documents
from tdlc_syndication.outputs.formats import FORMATS
from tdlc_syndication.outputs.index import Changes
from tdlc_syndication.outputs.pages import render_page
from tdlc_syndication.outputs.paging import subscription_page
from tdlc_syndication.outputs.view import PAGE_FACETS, FeedSpec, StoreView, term_page
from tdlc_syndication.pipeline.redirects import FILE as REDIRECTS_FILE

OWNER = "moved"
NGINX_MAP = "_redirects.nginx"  # entries of an nginx ``map`` (README: Serving)


@dataclass(frozen=True, slots=True)
class Move:
    """A feed published at a new address: ``old`` is it at its former one (its stem and
    id the former ones), ``new`` the feed itself."""

    old: FeedSpec
    new: FeedSpec

    @property
    def term(self) -> tuple[str, str, str] | None:
        """(facet, old slug, new slug) of a renamed term; None for a ``[[feeds]]`` entry."""
        if self.new.group not in PAGE_FACETS:  # topic, place, kind
            return None
        facet, _, slug = self.new.key.partition(":")
        return facet, self.old.stem.partition("/")[2], slug


def moves(view: StoreView) -> list[Move]:
    """Every former address of a feed the site publishes now, in directory order."""
    stats = view.feed_stats()
    found: list[tuple[str, str]] = []  # (key now, former stem)
    taxonomy = view.settings.taxonomy
    for name, _ in taxonomy.vocabularies():  # topics, places, kinds
        facet = name.removesuffix("s")
        found.extend(
            (f"{facet}:{new}", f"{facet}/{old}") for old, new in taxonomy.renamed(name).items()
        )
    for feed in view.settings.feeds:
        found.extend((f"feed:{feed.id}", old) for old in feed.formerly)
    order = {
        spec.key: (n, spec) for n, spec in enumerate(view.specs(k for k, _ in found if k in stats))
    }
    kept = sorted((f for f in found if f[0] in order), key=lambda f: (order[f[0]][0], f[1]))
    return [Move(_at(order[key][1], stem), order[key][1]) for key, stem in kept]


def _at(spec: FeedSpec, stem: str) -> FeedSpec:
    """The feed at a former address: its files there, its former id; published as a feed
    that keeps no archives (``group``), by this publisher (``key``: the files' owner)."""
    return replace(spec, key=OWNER, id=stem.replace("/", "-"), stem=stem, group=OWNER)


class MovedPublisher:
    """Plans the copies, pages and redirect lists of the renamed feeds' old addresses."""

    name = "moved"

    def plan(self, view: StoreView, changes: Changes, settings_fp: str) -> Plan:
        """A copy of each moved feed's documents (rendered when the feed changed), its
        calendar and page, and the two redirect lists (none when nothing moved: a file
        published before is deleted)."""
        outputs: list[Output] = []
        found = moves(view)
        for move in found:
            if changes.full or move.new.key in changes.feeds:
                outputs.extend(self._documents(view, move, settings_fp))
            else:  # unchanged: keep the published copies
                outputs.extend(Output(path=move.old.path(f.suffix), owner=OWNER) for f in FORMATS)
            outputs.extend(_calendar(view, move, settings_fp))
            if (term := move.term) is not None:  # (a term of a facet with pages)
                outputs.append(_page(view, *term, settings_fp))
        if found:
            rules = redirect_rules(view, found)
            listed = "".join(f"{a} {b} 301\n" for a, b in rules)
            outputs.append(fixed_output(REDIRECTS_FILE, OWNER, listed.encode()))
            outputs.append(
                fixed_output(NGINX_MAP, OWNER, "".join(map(_nginx_entry, rules)).encode())
            )
        return Plan(owners={OWNER}, outputs=outputs)

    def _documents(self, view: StoreView, move: Move, settings_fp: str) -> Iterator[Output]:
        count = view.feed_stats()[move.new.key][0]
        size = view.settings.site.feed_size
        page = subscription_page(view.store, move.new, size, count, archived=False)
        return feed_documents(view, move.old, page, settings_fp)


def _calendar(view: StoreView, move: Move, settings_fp: str) -> list[Output]:
    """The term's calendar at its old address, when the term has one."""
    events = view.term_events().get(move.new.key)
    term = move.term
    if term is None or events is None:
        return []
    facet, old, _ = term
    path = term_calendar(f"{facet}:{old}")
    return [term_calendar_output(view, move.new.key, events, settings_fp, path=path, owner=OWNER)]


def _page(view: StoreView, facet: str, old: str, new: str, settings_fp: str) -> Output:
    """The term's old page: it sends browsers to the new one."""
    path = term_page(facet, old)
    target = relative_to(path, term_page(facet, new))
    title = heading(view, facet, view.label(facet, new))

    def render() -> bytes:
        return render_page(
            view,
            "moved.html.j2",
            "../../",
            heading=title,
            target=target,
            canonical=view.url(term_page(facet, new)),
        )

    return showing_output(path, OWNER, [settings_fp, path, title], render)


def redirect_rules(view: StoreView, found: list[Move]) -> list[tuple[str, str]]:
    """(old, new) absolute paths on the site's host; an old path ending in ``/*`` stands
    for every path under it, its new one's ``:splat`` for the rest of the path."""
    base = urlsplit(view.url("")).path or "/"
    rules: list[tuple[str, str]] = []

    def add(old: str, new: str) -> None:
        rules.append((base + old, base + new))

    for move in found:
        old, new = move.old, move.new
        for fmt in FORMATS:
            add(old.path(fmt.suffix), new.path(fmt.suffix))
        if view.archived(new):
            add(f"feeds/archive/{old.stem}/*", f"feeds/archive/{new.stem}/:splat")
        term = move.term
        if term is None:
            continue
        facet, was, now = term
        if move.new.key in view.term_events():
            add(term_calendar(f"{facet}:{was}"), term_calendar(move.new.key))
        add(f"{facet}/{was}", f"{facet}/{now}/")
        add(f"{facet}/{was}/*", f"{facet}/{now}/:splat")
    return rules


def _nginx_entry(rule: tuple[str, str]) -> str:
    """A rule as an entry of an nginx ``map $uri``: a prefix as a regular expression."""
    old, new = rule
    if old.endswith("/*"):
        return f"~^{re.escape(old[:-1])}(.*)$ {new.replace(':splat', '$1')};\n"
    return f"{old} {new};\n"
