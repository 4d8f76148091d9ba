"""Publishing the weekly digest: choose the issue's items, render it, write its files,
record it, mail it; or write a draft to the preview folder.

::

    publish_week(ctx, store, week)
        guard       held by the editor? already published (and not --republish)? over?
        members     the week's items (pipeline.digest), overrides applied; the earlier
                    items the editor's intro features (feature:)
        render      page, body, email (outputs.digest)
        write       digest/<week>/index.html, digest/index.html, digest/feed.atom
        record      the issue, its members and body (pipeline.issues)
        send        when asked or [digest] send; a failed send is retried next time

``due_weeks`` is what the daemon's weekly job (and its catch-up) publishes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from tdlc_syndication.config.loader import load_overrides
from tdlc_syndication.outputs.digest import DigestPublisher, Rendered, render_issue
from tdlc_syndication.outputs.index import Changes
from tdlc_syndication.outputs.site import SitePublisher
from tdlc_syndication.outputs.sitemap import SitemapPublisher
from tdlc_syndication.outputs.view import StoreView
from tdlc_syndication.outputs.write import write_file
from tdlc_syndication.pipeline.canonical import canonical_url
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.digest import (
    DigestError,
    Intro,
    back_catalogue,
    build_issue,
    due_time,
    last_finished_week,
    members,
    read_intro,
    upcoming_events,
    week_bounds,
    week_of_time,
)
from tdlc_syndication.pipeline.guards import keep_ids
from tdlc_syndication.pipeline.issues import IssueRecord
from tdlc_syndication.pipeline.mail import Delivery, send_issue
from tdlc_syndication.pipeline.model import StoredItem
from tdlc_syndication.pipeline.publish import publish_some, settings_fingerprint
from tdlc_syndication.pipeline.store import Store

log = logging.getLogger(__name__)
Outcome = Literal["published", "previewed", "held", "empty", "unwatched", "already"]


@dataclass(slots=True)
class WeekResult:
    """What publishing (or previewing) one week did."""

    week: str
    outcome: Outcome
    items: int = 0
    written: list[str] = field(default_factory=list)
    delivery: Delivery | None = None  # when it was mailed (or tried)
    folder: Path | None = None
    email_left: int = 0  # entries the email links to on the page instead of listing
    back_catalogue: int = 0  # undated items of a source's first read: in no issue
    featured: int = 0  # earlier items the editor's intro features

    def left_out(self) -> str:
        """What the week's finds hold that the issue does not, in words ("" if nothing)."""
        count = self.back_catalogue
        if not count:
            return ""
        items, verb = ("item", "is") if count == 1 else ("items", "are")
        return (
            f"{count} undated {items} a source listed when it was first read {verb} its "
            "back catalogue, in no issue"
        )


def publish_week(
    ctx: Context,
    store: Store,
    week: str,
    *,
    preview: bool = False,
    republish: bool = False,
    send: bool | None = None,
    chosen_week: bool = False,
) -> WeekResult:
    """Publish ``week``'s issue (see the module docstring).

    Args:
        send: mail it (None: as ``[digest] send`` says).
        chosen_week: the week is the last finished one, not one asked for (the service,
            ``digest`` without ``--week``): when it ended before the archive's first
            items were found and holds none, nothing is published (outcome
            ``unwatched``). A new site's service publishes the last finished week at its
            start: its readers' first issue said "No new materials".

    Raises:
        DigestError: the week is not over (unless previewing), or was already published
            and ``republish`` was not asked for.
        PublishError: a file cannot be written, or the settings would change the
            published ids (``guards.keep_ids``).
    """
    settings = ctx.settings
    zone = ZoneInfo(settings.site.timezone)
    now = ctx.clock()
    _, end = week_bounds(week, zone)
    issues = store.issues(bodies=False)
    intro = read_intro(settings, week)
    if not preview:
        if end > now:
            raise DigestError(
                f"{week} is not over until {end.astimezone(zone):%Y-%m-%d %H:%M}; use "
                "--preview for a draft"
            )
        if week in issues and not republish:
            when = issues[week].published_at.astimezone(zone)
            raise DigestError(
                f"{week} was published on {when:%Y-%m-%d %H:%M}; its page stays as it is "
                "unless you re-publish it on purpose with --republish"
            )
        if intro.hold:
            log.info("%s is held by the editor (hold: true in its intro)", week)
            return WeekResult(week, "held")
        keep_ids(store, settings)  # the digest's feed carries ids too
    view = StoreView(store, settings, load_overrides(settings), now=now)
    chosen, back = choose_week(view, week, issues)
    if not chosen and not preview:
        if chosen_week and _before_archive(store, end):
            log.info("%s ended before the archive's first items were found: no issue", week)
            return WeekResult(week, "unwatched", back_catalogue=back)
        if settings.digest.empty_week == "skip" and not intro.feature:
            log.info("%s brought no new materials; empty_week = skip publishes nothing", week)
            return WeekResult(week, "empty", back_catalogue=back)
    rendered = _render_week(view, week, chosen, now, intro)
    if preview:
        folder = settings.preview_dir / week
        files = {
            "index.html": rendered.page,
            "email.html": rendered.email_html.encode("utf-8"),
            "email.txt": rendered.email_text.encode("utf-8"),
        }
        for name, data in files.items():
            write_file(folder, name, data)
        return WeekResult(
            week, "previewed", len(chosen), sorted(files), folder=folder,
            email_left=rendered.email_left, back_catalogue=back, featured=rendered.featured,
        )  # fmt: skip
    record = IssueRecord(
        week=week,
        published_at=now,
        members=tuple(s.item.id for s in chosen),
        heading=rendered.heading,
        body=rendered.body_html,
    )
    with store.transaction():
        store.put_issue(record)
    written = write_archive(view, store)
    result = WeekResult(
        week, "published", len(chosen), written, email_left=rendered.email_left,
        back_catalogue=back, featured=rendered.featured,
    )  # fmt: skip
    if send if send is not None else settings.digest.send:
        result.delivery = mail(ctx, store, week, rendered.email_html, rendered.email_text,
                               rendered.heading)  # fmt: skip
    return result


def _before_archive(store: Store, end: datetime) -> bool:
    """Whether a week ending at ``end`` ended before the archive's first items were
    found (or the archive holds none yet)."""
    began = store.archive_start()
    return began is None or began >= end


def week_items(view: StoreView, week: str, issues: Mapping[str, IssueRecord]) -> list[StoredItem]:
    """The items of ``week``'s issue as the outputs show them (overrides applied, hidden
    and retracted ones left out), newest first."""
    return choose_week(view, week, issues)[0]


def choose_week(
    view: StoreView, week: str, issues: Mapping[str, IssueRecord]
) -> tuple[list[StoredItem], int]:
    """:func:`week_items`, and how many undated items found in the week are their
    source's back catalogue (listed on its first read: in no issue)."""
    settings = view.settings
    zone = ZoneInfo(settings.site.timezone)
    start, end = week_bounds(week, zone)
    candidates = [c for c in view.store.items_seen_between(start, end) if not c.retracted]
    shown = [s for s in (view.shown(c) for c in candidates) if s]
    undated = {s.item.source for s in shown if s.item.published is None}
    first_reads = view.store.first_reads(undated) if undated else {}
    left_out = sum(
        1
        for s in shown
        if back_catalogue(s, first_reads) and week_of_time(s.first_seen, zone) == week
    )
    return members(shown, week, settings, issues, first_reads), left_out


def _render_week(
    view: StoreView, week: str, items: list[StoredItem], published_at: datetime, intro: Intro
) -> Rendered:
    """An issue of ``items``, with the editor's ``intro`` and the items it features and the
    events upcoming after its week, rendered."""
    settings = view.settings
    _, end = week_bounds(week, ZoneInfo(settings.site.timezone))
    shown = (view.shown(c) for c in view.store.canonical_items() if not c.retracted)
    upcoming = upcoming_events([s for s in shown if s], end, settings.digest.upcoming_days)
    featured = featured_of(view, intro, items)
    pinned = pinned_of(view, items)
    issue = build_issue(week, items, pinned, upcoming, settings, view.label, intro, featured)
    issue.published_at = published_at
    return render_issue(view, issue)


def featured_of(view: StoreView, intro: Intro, items: Sequence[StoredItem]) -> list[StoredItem]:
    """The items an editor features from earlier weeks (the intro's ``feature:``, ids as
    ``syndicate items --ids`` prints them, or their addresses), as the outputs show them;
    one that is the week's own is in the issue already and is left out here.

    Raises:
        DigestError: a reference names no stored item, or one the outputs do not show
            (hidden in the overrides, withdrawn by its origin).
    """
    own = {s.item.id for s in items}
    found: dict[str, StoredItem] = {}
    for ref in intro.feature:
        stored = _stored_at(view.store, ref)
        if stored is None:
            raise DigestError(
                f"{intro.path}: feature: no stored item has the id or address {ref!r} "
                "(`syndicate items --search WORDS --ids` prints the ids)"
            )
        shown = None if stored.retracted else view.shown(stored)
        if shown is None:
            why = "was withdrawn by its origin" if stored.retracted else "is hidden (overrides)"
            raise DigestError(f"{intro.path}: feature: {ref!r} {why}; take it out of the list")
        if shown.item.id not in own:
            found.setdefault(shown.item.id, shown)
    return list(found.values())


def _stored_at(store: Store, ref: str) -> StoredItem | None:
    """The item ``ref`` names, by id or by address (its canonical record when another
    source's record of the same story is named)."""
    stored = store.get_item(ref)
    if stored is None:
        at = store.items_at(ref) or store.items_at(canonical_url(ref))
        stored = next((s for s in at if s.duplicate_of is None), at[0] if at else None)
    if stored is not None and stored.duplicate_of:
        return store.get_item(stored.duplicate_of) or stored
    return stored


def pinned_of(view: StoreView, items: list[StoredItem]) -> list[str]:
    """The ids among ``items`` that an editor pinned (on any record of their story)."""
    return [s.item.id for s in items if (o := view.override(s)) is not None and o.pin]


def write_archive(view: StoreView, store: Store) -> list[str]:
    """Write what an issue changes, as a publish would (``publish.publish_some``): the
    digest's files (``DigestPublisher``: the issue's page, the list of issues, the digest
    feed), the front page, which links the newest issue, and the sitemap, which lists
    the issue's page. The paths written.

    Raises:
        PublishError: a file cannot be written.
    """
    settings_fp = settings_fingerprint(view.settings)
    front = SitePublisher().plan(view, Changes(), settings_fp).outputs
    report = publish_some(
        view,
        store,
        [
            *DigestPublisher().plan(view, Changes(), settings_fp).outputs,
            *(output for output in front if output.path == "index.html"),
            *SitemapPublisher().plan(view, Changes(), settings_fp).outputs,
        ],
    )
    for problem in report.refused:  # a digest feed that fails lint: the old one stays
        log.error("lint: %s (the published file was kept)", problem)
    return report.written


def mail(ctx: Context, store: Store, week: str, html: str, text: str, heading: str) -> Delivery:
    """Send one issue and record the attempt. Never sends a week twice: a week that was
    sent is not sent again, and a mailing the server took counts as sent even when it
    turned some recipients away (the others have it)."""
    record = store.issue(week)
    if record is not None and record.sent_at is not None:
        return Delivery(sent=False)  # nothing done
    delivery = send_issue(ctx.settings, week, heading, html, text, ctx.clock())
    refused = "refused for " + ", ".join(delivery.refused) if delivery.refused else None
    with store.transaction():
        store.record_send(week, ctx.clock(), delivery.error, note=refused)
    if delivery.error:
        log.error(
            "%s: the digest was not sent (%s); it is tried again next time", week, delivery.error
        )
    elif refused:
        log.warning("%s: the digest was sent, but the server %s; not sent again", week, refused)
    return delivery


def retry_unsent(ctx: Context, store: Store, send: bool | None = None) -> list[str]:
    """Send again the newest issue if its last attempt failed, when mailing is on
    (``send``, else ``[digest] send``); the weeks sent now.

    Only the newest: an issue whose week's successor is out stays unsent (its readers
    get the newer one, and the web has both), so a mail server mended after a month
    sends one issue, not four at once. With mailing off nothing is sent: ``--no-send``
    or ``send = false`` also stop a failed issue from going out later."""
    if not (send if send is not None else ctx.settings.digest.send):
        return []
    record = store.unsent_issue()
    if record is None:
        return []
    view = StoreView(store, ctx.settings, load_overrides(ctx.settings), now=ctx.clock())
    # The email of the issue as published: its recorded members.
    rendered = _render_week(view, record.week, view.items(list(record.members)),
                            record.published_at, read_intro(ctx.settings, record.week))  # fmt: skip
    delivery = mail(ctx, store, record.week, rendered.email_html, rendered.email_text,
                    rendered.heading)  # fmt: skip
    return [record.week] if delivery.sent else []


def due_weeks(ctx: Context, store: Store) -> list[str]:
    """The finished week whose issue is due and not published yet (the daemon's weekly
    job, and its catch-up after downtime): the last finished week, once its publish_at
    passed."""
    settings = ctx.settings
    now = ctx.clock()
    week = last_finished_week(now, ZoneInfo(settings.site.timezone))
    if store.issue(week) is not None or due_time(week, settings) > now:
        return []
    return [week]
