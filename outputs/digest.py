"""The weekly digest as files: the issue page (``digest/<week>/index.html``), the archive
of issues (``digest/index.html``), the digest feed (``digest/feed.atom``, one entry per
issue with its full content) and the email (HTML with inline styles, and plain text).

Pages share ``page.html.j2`` with the rest of the site; the issue body
(``digest_body.html.j2``) is the same on the page and in the feed entry.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Template
from markupsafe import Markup

from tdlc_syndication.outputs.base import Output, Plan
from tdlc_syndication.outputs.formats import DIGEST_FEED
from tdlc_syndication.outputs.index import Changes
from tdlc_syndication.outputs.listing import display_date
from tdlc_syndication.outputs.pages import event_when, make_environment, render_page
from tdlc_syndication.outputs.plaintext import readable_text
from tdlc_syndication.outputs.view import StoreView
from tdlc_syndication.outputs.words import japanese
from tdlc_syndication.outputs.xml import DECLARATION, attr, element, empty, rfc3339
from tdlc_syndication.pipeline.digest import Issue, week_bounds
from tdlc_syndication.pipeline.issues import IssueRecord
from tdlc_syndication.pipeline.model import StoredItem
from tdlc_syndication.pipeline.uris import ascii_link

ATOM_NS = "http://www.w3.org/2005/Atom"
OWNER, INDEX, FEED = "digest", "digest/index.html", DIGEST_FEED


@dataclass(frozen=True, slots=True)
class Rendered:
    """One issue in every form."""

    page: bytes
    body_html: str  # the issue body, for the feed entry
    email_html: str
    email_text: str
    heading: str
    email_left: int = 0  # entries the email leaves to the page (to stay within its budget)
    featured: int = 0  # earlier items the editor featured


def heading_of(issue: Issue, in_japanese: bool = False) -> str:
    """The issue's title: the editor's, or "Week 48, 2026" (``2026年 第48週``)."""
    if issue.intro.title:
        return issue.intro.title
    year, number = issue.week.split("-W")
    return f"{year}年 第{int(number)}週" if in_japanese else f"Week {int(number)}, {year}"


def issue_description(heading: str, count: int, in_japanese: bool) -> str:
    """What an issue holds, as its page's description and its email's say it ("Week 47,
    2026: 3 new materials"; a Japanese site's page said it in English)."""
    return f"{heading}：新着資料{count}件" if in_japanese else f"{heading}: {count} new materials"


def render_issue(view: StoreView, issue: Issue, root: str = "../../") -> Rendered:
    """Render an issue; links inside the site are relative to ``root`` on the page and
    absolute in the email and the feed."""
    settings = view.settings
    zone = ZoneInfo(settings.site.timezone)
    env = make_environment()
    ja = japanese(settings.site.language)
    heading = heading_of(issue, ja)
    first, sunday = issue.start.astimezone(zone), issue.end.astimezone(zone) - timedelta(days=1)
    context: dict[str, Any] = {
        "site": settings.site,
        "issue": issue,
        "heading": heading,
        "root": root,
        "start_text": f"{first:%Y-%m-%d}",
        "end_text": f"{sunday:%Y-%m-%d}",
        "published_text": f"{issue.published_at.astimezone(zone):%Y-%m-%d}"
        if issue.published_at
        else "",
        "description": issue_description(heading, len(issue.items), ja),
        "ja": ja,
        "counts_kind": [(label, len(rows)) for label, rows in issue.by_kind],
        "highlights": [row(view, s, zone) for s in issue.highlights],
        "sections": [(label, [row(view, s, zone) for s in rows]) for label, rows in issue.by_kind],
        "upcoming": [row(view, s, zone) for s in issue.upcoming],
        "featured": [row(view, s, zone) for s in issue.featured],
    }
    body = env.get_template("digest_body.html.j2").render(context)
    page = render_issue_page(
        view, issue.week, heading, len(issue.items), issue.published_at, body, root
    )
    page_url = view.url(f"digest/{issue.week}/index.html")
    sections = []
    if context["highlights"]:
        highlights = view.say("Highlights")
        sections.append(EmailSection(highlights, context["highlights"], "highlights", cut=False))
    sections.extend(
        EmailSection(label, rows, f"kind-{number}")
        for number, (label, rows) in enumerate(context["sections"], start=1)
    )
    if context["featured"]:
        sections.append(
            EmailSection(
                view.say("From the archive"),
                context["featured"],
                "archive",
                cut=False,
                of_issue=False,
            )
        )
    if context["upcoming"]:
        sections.append(
            EmailSection(
                view.say("Upcoming events"), context["upcoming"], "upcoming", of_issue=False
            )
        )
    unsubscribe = settings.digest.email.unsubscribe
    unsubscribe = ascii_link(unsubscribe) if unsubscribe else view.url("digest/index.html")
    mail = {
        **context,
        "site_url": view.url(""),
        "page_url": page_url,
        "archive_url": view.url("digest/index.html"),
        "unsubscribe_url": unsubscribe,
    }
    mail["issue"] = _ForEmail(issue)
    email_html, sections = _fit_email(env.get_template("digest_email.html.j2"), mail, sections)
    mail["email_sections"] = sections
    return Rendered(
        page=page,
        body_html=body,
        email_html=email_html,
        email_text=env.get_template("digest_email.txt.j2").render(mail),
        heading=heading,
        email_left=sum(section.more for section in sections if section.of_issue),
        featured=len(issue.featured),
    )


#: The size the email's HTML part is kept under, as sent (in its transfer encoding: base64
#: takes a third more than a Japanese text's bytes). Gmail shows about 102 KB of a
#: message's HTML and hides the rest behind "View entire message", the unsubscribe link
#: with it.
EMAIL_BUDGET = 95_000


@dataclass(frozen=True, slots=True)
class EmailSection:
    """One section of the email: its heading, its rows, where the issue page has it, and
    how many of its rows were left to the page (``more``); ``cut``: whether rows may be;
    ``of_issue``: whether its rows are the issue's items (not the upcoming events)."""

    title: str
    rows: list[dict[str, Any]]
    anchor: str
    more: int = 0
    cut: bool = True
    of_issue: bool = True

    def first(self, count: int) -> EmailSection:
        """The section with its first ``count`` rows, the others left to the page."""
        if not self.cut or len(self.rows) <= count:
            return self
        return replace(self, rows=self.rows[:count], more=len(self.rows) - count)


def _fit_email(
    template: Template, mail: dict[str, Any], sections: list[EmailSection]
) -> tuple[str, list[EmailSection]]:
    """The email's HTML and its sections: all rows when it is within ``EMAIL_BUDGET`` as
    sent, else the most rows per section (newest first, the highlights whole) that keep
    it within, each cut section ending with a link to the rest on the issue page. An
    email past the budget with no row at all (a very long intro) is sent as it is."""

    from tdlc_syndication.pipeline.mail import part_size  # smtplib: only where mail is made

    def render(count: int | None) -> tuple[str, list[EmailSection]]:
        shown = sections if count is None else [s.first(count) for s in sections]
        return template.render({**mail, "email_sections": shown}), shown

    html, shown = render(None)
    longest = max((len(s.rows) for s in sections if s.cut), default=0)
    if longest == 0 or part_size(html, "html") <= EMAIL_BUDGET:
        return html, shown
    low, high = 0, longest - 1  # the most rows per section that fit
    best = render(0)
    while low <= high:
        middle = (low + high) // 2
        attempt = render(middle)
        if part_size(attempt[0], "html") <= EMAIL_BUDGET:
            best, low = attempt, middle + 1
        else:
            high = middle - 1
    return best


def render_issue_page(
    view: StoreView,
    week: str,
    heading: str,
    count: int,
    published_at: datetime | None,
    body: str,
    root: str = "../../",
) -> bytes:
    """``digest/<week>/index.html``: the issue's body in the site's page. The body is the
    one kept with the published issue, so the page can be written again from the store
    (into an empty output folder, or with the site's new title) as it was published."""
    zone = ZoneInfo(view.settings.site.timezone)
    start, end = week_bounds(week, zone)
    published = f"{published_at.astimezone(zone):%Y-%m-%d}" if published_at else ""
    return render_page(
        view,
        "digest_issue.html.j2",
        root,
        digest_link=True,
        week=week,
        heading=heading,
        start_text=f"{start.astimezone(zone):%Y-%m-%d}",
        end_text=f"{end.astimezone(zone) - timedelta(days=1):%Y-%m-%d}",
        published_text=published,
        description=issue_description(heading, count, japanese(view.settings.site.language)),
        body=Markup(body),
    )


class _ForEmail:
    """An issue as the email shows it: its intro also as plain text (the text part) and
    with the styles the HTML part needs."""

    def __init__(self, issue: Issue) -> None:
        self._issue = issue
        self.intro_text = readable_text(issue.intro.html)
        self.intro_html = _EMAIL_STYLES.sub(_inline_style, issue.intro.html)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._issue, name)


# Mail clients keep few style sheets: what the site's sets for every page (preformatted
# lines wrap, an image fits the column, links in the accent colour) is written on the
# element in the email; without it a line of code or a wide image made the whole message
# scroll sideways, and the intro's links were the client's blue among the email's own.
_EMAIL_STYLES = re.compile(r"<(pre|img|a)\b")
_STYLE = {
    "pre": "white-space:pre-wrap;overflow-wrap:anywhere;",
    "img": "max-width:100%;height:auto;",
    "a": "color:#0b5cad;",
}


def _inline_style(match: re.Match[str]) -> str:
    return f'<{match[1]} style="{_STYLE[match[1]]}"'


def row(view: StoreView, stored: StoredItem, zone: ZoneInfo) -> dict[str, Any]:
    """What a digest list shows of one item (absolute URLs: the item's own)."""
    item = stored.item
    machine, human = display_date(stored, zone)
    return {
        "title": item.title,
        "url": item.url,
        "lang": item.language or view.settings.site.language,
        "kind": view.label("kind", item.kind),
        "date": machine if item.published else "",
        "date_text": human if item.published else view.say(human),
        "topics": [view.label("topic", t) for t in item.topics],
        "places": [view.label("place", p) for p in item.places],
        "summary": item.summary,
        "event": event_when(view, item.event, zone) if item.event else None,
    }


@dataclass(frozen=True, slots=True)
class Listed:
    """One issue as the archive and the feed list it (from its record)."""

    record: IssueRecord
    start: datetime
    end: datetime

    @property
    def heading(self) -> str:
        """The issue's title as published."""
        return self.record.heading or self.record.week

    @property
    def body_html(self) -> str:
        """The issue's body as published."""
        return self.record.body

    @property
    def count(self) -> int:
        """How many materials the issue held."""
        return len(self.record.members)


def render_index(view: StoreView, listed: Sequence[Listed]) -> bytes:
    """``digest/index.html``: every issue, newest first."""
    zone = ZoneInfo(view.settings.site.timezone)
    issues = [
        {
            "week": entry.record.week,
            "heading": entry.heading,
            "count": entry.count,
            "dates": f"{entry.start.astimezone(zone):%Y-%m-%d} – "
            f"{entry.end.astimezone(zone) - timedelta(days=1):%Y-%m-%d}",
        }
        for entry in listed
    ]
    return render_page(view, "digest_index.html.j2", "../", digest_link=True, issues=issues)


def render_feed(view: StoreView, listed: Sequence[Listed]) -> bytes:
    """``digest/feed.atom``: one entry per issue of ``listed`` (the newest), newest first,
    with its full content."""
    site = view.settings.site
    self_url = view.url("digest/feed.atom")
    updated = max((e.record.published_at for e in listed), default=None)
    out = [
        DECLARATION,
        f'<feed xmlns="{ATOM_NS}" xml:lang="{attr(site.language)}">\n',
        element("  ", "id", view.tag_uri("digest")),
        element("  ", "title", f"{site.title}{view.say(': weekly digest')}"),
        element("  ", "updated", rfc3339(updated or datetime(2026, 1, 1, tzinfo=UTC))),
        "  <author>\n",
        element("    ", "name", site.author or site.title),
        "  </author>\n",
        empty("  ", "link", ("href", self_url), ("rel", "self"), ("type", "application/atom+xml")),
        empty(
            "  ",
            "link",
            ("href", view.url("digest/index.html")),
            ("rel", "alternate"),
            ("type", "text/html"),
        ),
        element("  ", "subtitle", view.say("Every week's new materials in one issue.")),
    ]
    for entry in listed:
        page = view.url(f"digest/{entry.record.week}/index.html")
        out.extend(
            [
                "  <entry>\n",
                element("    ", "id", view.tag_uri(f"digest:{entry.record.week}")),
                element("    ", "title", entry.heading),
                element("    ", "updated", rfc3339(entry.record.published_at)),
                element("    ", "published", rfc3339(entry.record.published_at)),
                empty("    ", "link", ("href", page), ("rel", "alternate"), ("type", "text/html")),
                element("    ", "summary", _summary(view, entry)),
                element("    ", "content", _absolute(entry.body_html, view), ' type="html"'),
                "  </entry>\n",
            ]
        )
    out.append("</feed>\n")
    return "".join(out).encode("utf-8")


def _summary(view: StoreView, entry: Listed) -> str:
    """An issue's summary in the digest feed: "12 new materials, Week 48, 2026."."""
    if japanese(view.settings.site.language):
        return f"{entry.heading}：新着資料{entry.count}件。"
    return f"{entry.count} new materials, {entry.heading}."


def _absolute(html: str, view: StoreView) -> str:
    """The body with links into the site made absolute (feed readers have no base)."""
    return html.replace('href="../../', f'href="{view.url("")}')


class DigestPublisher:
    """The digest's files in the site: the list of issues, the digest feed, and each
    issue's page, from the issues the store keeps (``pipeline.weekly`` records an issue
    and then writes what it changes). Planned while the digest is enabled, or once an
    issue exists: before the first issue, the list says that none has been published
    yet and the feed has no entry, so the link every page has to them works from the
    first publish, and a reader can subscribe before the first issue. A publish into an
    empty output folder writes every issue's page again as it was published. The feed
    holds the newest ``feed_size`` issues, as every feed holds its newest items (with
    each issue's full content, all of them would outgrow ``max_feed_bytes`` within a
    few years of weekly issues); the list keeps them all."""

    name = "digest"

    def plan(self, view: StoreView, changes: Changes, settings_fp: str) -> Plan:
        """Every digest file, fingerprinted by the issues it shows."""
        issues = view.store.issues(bodies=False)  # a body is read when its file renders
        if not issues and not view.settings.digest.enabled:
            return Plan(owners={OWNER})
        zone = ZoneInfo(view.settings.site.timezone)
        records = sorted(issues.values(), key=lambda r: r.week, reverse=True)
        listed = [Listed(record, *week_bounds(record.week, zone)) for record in records]
        # An issue changes only when it is published again, which gives it a new date.
        stamps = [(r.week, r.published_at.isoformat(), r.heading, len(r.members)) for r in records]

        def fingerprint(*parts: object) -> str:
            blob = json.dumps([settings_fp, *parts])
            return hashlib.sha256(blob.encode()).hexdigest()

        newest = view.settings.site.feed_size  # the feed, as every feed: the newest issues
        outputs = [
            Output(
                path=INDEX,
                owner=OWNER,
                fingerprint=fingerprint("index", stamps),
                render=lambda: render_index(view, listed),
            ),
            Output(
                path=FEED,
                owner=OWNER,
                fingerprint=fingerprint("feed", stamps[:newest]),
                render=lambda: render_feed(view, _with_bodies(view, listed[:newest])),
                subscription=True,
            ),
        ]
        for record, stamp in zip(records, stamps, strict=True):
            outputs.append(
                Output(
                    path=f"digest/{record.week}/index.html",
                    owner=OWNER,
                    fingerprint=fingerprint("issue", stamp),
                    render=functools.partial(_render_page, view, record),
                )
            )
        return Plan(owners={OWNER}, outputs=outputs)


def _with_bodies(view: StoreView, listed: Sequence[Listed]) -> list[Listed]:
    """``listed`` with each issue's body read from the store."""
    return [Listed(view.store.issue(e.record.week) or e.record, e.start, e.end) for e in listed]


def _render_page(view: StoreView, record: IssueRecord) -> bytes:
    """An issue's page from its record, its body read from the store."""
    whole = view.store.issue(record.week) or record
    heading = whole.heading or whole.week
    return render_issue_page(
        view, whole.week, heading, len(whole.members), whole.published_at, whole.body
    )
