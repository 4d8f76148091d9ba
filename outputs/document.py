"""One feed document described once, for every XML format: the feed's head (ids, titles,
links, RFC 5005 markers) and its entries (with update times unique within it)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from tdlc_syndication.config.languages import base_language
from tdlc_syndication.outputs.base import (
    ENCLOSURE_ROLES,
    GENERATOR,
    STYLESHEET,
    STYLESHEET_JA,
    relative_to,
)
from tdlc_syndication.outputs.listing import event_text
from tdlc_syndication.outputs.paging import Page, unique_updates
from tdlc_syndication.outputs.view import Category, FeedSpec, StoreView
from tdlc_syndication.outputs.words import japanese
from tdlc_syndication.pipeline.model import Event, Item, Media, StoredItem
from tdlc_syndication.pipeline.periods import day_end
from tdlc_syndication.pipeline.text import plain_text
from tdlc_syndication.pipeline.uris import (
    ascii_url,
    mail_address,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """What a feed entry shows. ``summary`` and ``content`` are None when left out (the
    content is left out when it says no more than the summary). ``item`` is the item the
    entry shows, for what only some formats carry."""

    item: Item
    id: str
    title: str
    url: str
    summary: str | None
    content: str | None
    published: datetime | None
    updated: datetime
    authors: tuple[str, ...]
    categories: tuple[Category, ...]
    enclosures: tuple[Media, ...]
    thumbnail: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Head:
    """What a feed document says about itself."""

    path: str
    id: str
    title: str
    subtitle: str
    author: str
    author_email: str | None
    self_url: str
    home_url: str
    language: str
    updated: datetime
    generator: str
    ttl: int
    links: tuple[tuple[str, str], ...]  # (rel, href): archives, hub
    marker: str | None  # RFC 5005: "complete" or "archive"
    stylesheet: str


def head(view: StoreView, spec: FeedSpec, page: Page, path: str, shown: Sequence[Entry]) -> Head:
    """The head of one page of one feed (showing ``shown``) in the format written at
    ``path``."""
    site = view.settings.site
    fmt = path.rsplit(".", 1)[1]
    links: list[tuple[str, str]] = []
    if page.is_archive:
        links.append(("current", view.url(spec.path(fmt))))
    if page.prev_archive:
        links.append(("prev-archive", view.url(spec.archive_path(page.prev_archive, fmt))))
    if page.next_archive:
        links.append(("next-archive", view.url(spec.archive_path(page.next_archive, fmt))))
    if site.websub_hub and not page.is_archive:
        links.append(("hub", ascii_url(site.websub_hub)))
    marker = "archive" if page.is_archive else None
    if page.complete:
        marker = "complete"
    epoch = datetime(int(site.id_date[:4]), 1, 1, tzinfo=UTC)
    language = feed_language(view, spec)
    return Head(
        path=path,
        id=view.tag_uri(f"feed:{spec.id}"),
        title=page_title(spec, page, feed_language(view, spec)),
        subtitle=spec.description,
        author=site.author or site.title,
        author_email=mail_address(site.author_email) if site.author_email else None,
        self_url=view.url(path),
        home_url=view.url(spec.home),
        language=language,
        updated=max((entry.updated for entry in shown), default=epoch),
        generator=GENERATOR,
        ttl=site.ttl,
        links=tuple(links),
        marker=marker,
        stylesheet=relative_to(path, STYLESHEET_JA if language == "ja" else STYLESHEET),
    )


@dataclass(frozen=True, slots=True)
class EventWords:
    """The words of an event's first line in one language: ``When: …, place (status). ``"""

    when: str
    at: str  # before the place
    status_mark: str  # around the status
    stop: str  # after the line
    statuses: Mapping[str, str] = field(default_factory=dict)  # English status → this one


EVENT_WORDS = {
    "en": EventWords(when="When: ", at=", ", status_mark=" ({})", stop=". "),
    "ja": EventWords(
        when="日時：",
        at="、",
        status_mark="（{}）",
        stop="。",
        statuses={
            "cancelled": "中止",
            "postponed": "延期",
            "rescheduled": "日程変更",
            "moved online": "オンライン開催に変更",
        },
    ),
}
"""The event line's words, in the languages feeds speak."""


def page_title(spec: FeedSpec, page: Page, language: str) -> str:
    """The title of a page of a feed in ``language``: an archive page says which one
    ("Kobe · Site (archive 3)"; in Japanese, "（アーカイブ 3）")."""
    if not page.is_archive:
        return spec.title
    if japanese(language):
        return f"{spec.title}（アーカイブ {page.number}）"
    return f"{spec.title} (archive {page.number})"


def feed_language(view: StoreView, spec: FeedSpec) -> str:
    """The language a feed speaks: a feed of one language speaks it (a Japanese feed is
    a ``ja`` feed, and names its categories in Japanese); others the site's."""
    return spec.languages[0] if len(spec.languages) == 1 else view.settings.site.language


def entries(
    view: StoreView, items: Sequence[StoredItem], *, with_content: bool = True, language: str = ""
) -> list[Entry]:
    """The entries of one document, newest first, with unique update times, their
    categories named in the document's ``language``; without their HTML content when
    ``with_content`` is false (archive pages, by default)."""
    updates = unique_updates(items)
    return [
        _entry(view, s, updated, with_content, language)
        for s, updated in zip(items, updates, strict=True)
    ]


@lru_cache(maxsize=8192)
def shows_content(content_html: str, summary: str) -> bool:
    """Whether the content says more than the summary (else feeds leave it out): other
    words, or the summary's words with a link or a picture (where to register, the
    report's file), which a feed without the content lost. Cached: every document and
    format of a publish asks it of the same items."""
    if not content_html:
        return False
    if "<a " in content_html or "<img " in content_html:  # (before the words: cheaper)
        return True
    return plain_text(content_html) != summary


def _entry(
    view: StoreView, stored: StoredItem, updated: datetime, with_content: bool, language: str
) -> Entry:
    item = stored.item
    summary: str | None = item.summary or None
    content = None
    if with_content and shows_content(item.content_html, item.summary):
        content = item.content_html
    elif not item.summary:
        summary = item.title
    if item.event is not None:
        # Readers show text: when, where and whether it still happens, first (in the
        # feed's language: 日時：…、横浜市（中止）。 in a Japanese feed).
        words = EVENT_WORDS["ja" if base_language(language) == "ja" else "en"]
        told = event_text(item.event, ZoneInfo(view.settings.site.timezone))
        said = words.statuses.get(told["status"], told["status"])
        line = words.when + told["text"] + (words.at + told["place"] if told["place"] else "")
        line += words.status_mark.format(said) if said else ""
        summary = f"{line}{words.stop}{summary or item.title}"
        # ...and the same in the HTML with a machine-readable <time> (and a link to an
        # online event's meeting).
        when = f'<time datetime="{told["datetime"]}">{html.escape(told["text"])}</time>'
        place = html.escape(told["place"])
        if told["place_url"]:
            place = f'<a href="{html.escape(told["place_url"])}">{place}</a>'
        status = words.status_mark.format(html.escape(said)) if said else ""
        stamp = f"<p>{words.when}{when}{words.at + place if place else ''}{status}</p>"
        # The description as written (its lines, its links) when the source gave it as
        # HTML, even where its words are the summary's: this HTML is shown anyway.
        shown = content or (item.content_html if with_content else "")
        body = shown or f"<p>{html.escape(item.summary or item.title)}</p>"
        content = f"{stamp}\n{body}"
    terms = [("topic", t) for t in item.topics] + [("place", p) for p in item.places]
    terms.append(("kind", item.kind))
    return Entry(
        item=item,
        id=view.tag_uri(item.id),
        title=item.title,
        url=item.url,
        summary=summary,
        content=content,
        published=stored.feed_published,
        updated=updated,
        authors=item.authors,
        categories=tuple(view.category(facet, term, language) for facet, term in terms),
        enclosures=tuple(m for m in item.media if m.role in ENCLOSURE_ROLES),
        thumbnail=item.thumbnail,
    )


def over_at(event: Event, zone: ZoneInfo) -> datetime:
    """When an event is over: its end; for an all-day event, the end of its last day in
    ``zone`` (the site's); for a timed one without an end, its start."""
    if event.all_day:
        return day_end(event.last_day(), False, zone)  # midnight after it, in the zone
    return event.end or event.start
