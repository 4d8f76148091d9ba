"""The weekly digest: which items an issue holds, and what it says about them.

An issue covers one ISO week (Monday to Sunday) in the site's zone. An item belongs to
exactly one issue:

* the week of its publication date (a day-precision date counts as written);
* otherwise the week it was first seen: an item without a date, or a back-catalogue
  find that turned up only after its week's issue was published, is news the week it
  was found. A year or a month tells no week: an item dated so is news the week it was
  found while its year or month lasts, or when an issue of that time went out before it
  was found; otherwise (a 2019 report found today) its home is its time's last week,
  whose issue never went out, as a day-dated back catalogue's is.
* but an item without a date that its source listed on its first read (the first run
  that stored any of its items) is that source's back catalogue, in no issue: nothing
  tells its time, and it was not new that week (as an RSS-to-email service sends nothing
  of a feed's past). The source's later undated finds are news the week they are found.

A published issue's members are fixed (``pipeline.issues``); an item already in one
issue is never in another. Everything here is a pure function of the store's items, the
recorded issues, the settings and a given ``now``.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tdlc_syndication.config.digest import parse_publish_at
from tdlc_syndication.config.files import NotUtf8, read_file, utf8_text
from tdlc_syndication.config.models import Settings
from tdlc_syndication.pipeline.errors import SyndicationError
from tdlc_syndication.pipeline.frontmatter import split_front_matter
from tdlc_syndication.pipeline.issues import IssueRecord
from tdlc_syndication.pipeline.jsonyaml import load_yaml
from tdlc_syndication.pipeline.model import StoredItem
from tdlc_syndication.pipeline.sanitise import sanitise_html
from tdlc_syndication.pipeline.text import clean_text, links_from
from tdlc_syndication.pipeline.uris import ascii_url

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
FIRST_YEAR, LAST_YEAR = 1900, 9998  # the years a week may be asked for
# Kinds that make a highlight when no editor pinned enough items.
FEATURED_KINDS = ("knowledge_note", "toolkit", "guide", "report", "video")


LabelOf = Callable[[str, str], str]  # (facet, term) → display label


class DigestError(SyndicationError):
    """A digest request that cannot be carried out (a bad week, an issue already out)."""


def parse_week(text: str) -> str:
    """Validate an ISO week such as ``2026-W48`` (returned as given).

    Raises:
        DigestError: not an ISO week that exists.
    """
    match = _WEEK.match(text.strip())
    if not match:
        raise DigestError(f"{text!r} is not an ISO week; write it like 2026-W48")
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:  # 9999-W52 ended with the calendar's end
        raise DigestError(f"{text} is out of range: a digest's year is {FIRST_YEAR}-{LAST_YEAR}")
    try:
        date.fromisocalendar(year, int(match.group(2)), 1)
    except ValueError:
        raise DigestError(
            f"{text} does not exist: {year} has weeks 01 to {date(year, 12, 28).isocalendar()[1]}"
        ) from None
    return text.strip()


def week_of(day: date) -> str:
    """The ISO week of a calendar day."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_of_time(when: datetime, zone: ZoneInfo) -> str:
    """The ISO week of an instant, in ``zone``."""
    return week_of(when.astimezone(zone).date())


def week_bounds(week: str, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Monday 00:00 and the next Monday 00:00 of ``week`` in ``zone``, as UTC instants."""
    year, number = (int(part) for part in _WEEK.match(week).groups())  # type: ignore[union-attr]
    monday = date.fromisocalendar(year, number, 1)
    start = datetime.combine(monday, time(), zone)
    return start.astimezone(UTC), (start + timedelta(days=7)).astimezone(UTC)


def due_time(week: str, settings: Settings) -> datetime:
    """When ``week``'s issue is due: the first ``[digest] publish_at`` after the week ends."""
    zone = ZoneInfo(settings.site.timezone)
    weekday, hour, minute = parse_publish_at(settings.digest.publish_at)
    _, end = week_bounds(week, zone)
    local_end = end.astimezone(zone)
    day = local_end.date() + timedelta(days=(weekday - local_end.weekday()) % 7)
    return datetime.combine(day, time(hour, minute), zone).astimezone(UTC)


def last_finished_week(now: datetime, zone: ZoneInfo) -> str:
    """The week before the one ``now`` is in."""
    return week_of((now.astimezone(zone) - timedelta(days=7)).date())


def weeks_between(first: str, last: str, zone: ZoneInfo) -> list[str]:
    """Every week from ``first`` to ``last``, both included."""
    start, _ = week_bounds(first, zone)
    end, _ = week_bounds(last, zone)
    out = []
    while start <= end:
        out.append(week_of_time(start, zone))
        start += timedelta(days=7)
    return out


def home_week(
    stored: StoredItem,
    settings: Settings,
    issues: Mapping[str, IssueRecord],
    first_reads: Mapping[str, datetime] | None = None,
) -> str | None:
    """The one week whose issue an item belongs to, None for a source's undated back
    catalogue (see the module docstring).

    Args:
        first_reads: when each source was first read with items
            (``Store.first_reads``); a source missing from it has no back catalogue.
    """
    zone = ZoneInfo(settings.site.timezone)
    item = stored.item
    found = week_of_time(stored.first_seen, zone)
    if item.published is None:
        return None if back_catalogue(stored, first_reads or {}) else found
    if item.published_precision in ("year", "month"):
        return _period_home(stored, item.published_precision, found, issues)
    if item.published_precision == "day":
        published = week_of(item.published.date())  # the calendar day as written
    else:
        published = week_of_time(item.published, zone)
    issue = issues.get(published)
    if issue is not None and stored.first_seen >= issue.published_at:
        return found  # found after its week's issue went out: news the week it was found
    return published


def back_catalogue(stored: StoredItem, first_reads: Mapping[str, datetime]) -> bool:
    """Whether an undated item was listed on its source's first read (``first_reads``:
    when each source was first read with items)."""
    first = first_reads.get(stored.item.source)
    return stored.item.published is None and first is not None and stored.first_seen <= first


def _period_home(
    stored: StoredItem, precision: str, found: str, issues: Mapping[str, IssueRecord]
) -> str:
    """The home week of an item dated by a year or a month, which tells no week: the week
    it was found while its year or month lasts, or when an issue of its time went out
    before it was found (a late find, as for a day). Found only after its time, and with
    no issue of its time out before (a back catalogue: a 2019 report found today), it is
    not news: its home is its time's last week, as a day-dated item's is its own week."""
    published = stored.item.published
    assert published is not None
    day = published.date()  # the year or month as written
    if precision == "year":
        first, last = day.replace(month=1, day=1), day.replace(month=12, day=31)
    else:
        days = calendar.monthrange(day.year, day.month)[1]
        first, last = day.replace(day=1), day.replace(day=days)
    last_week = week_of(last)
    if found <= last_week:  # ISO weeks as text sort in time order
        return found
    first_week = week_of(first)
    for week, issue in issues.items():
        if first_week <= week <= last_week and issue.published_at <= stored.first_seen:
            return found
    return last_week


@dataclass(frozen=True, slots=True)
class Intro:
    """The editor's words for a week (``<editorial_dir>/<week>.md``)."""

    html: str = ""
    hold: bool = False
    title: str | None = None
    #: Items of earlier weeks the editor puts in the issue (``feature:``), by id or address.
    feature: tuple[str, ...] = ()
    path: Path | None = None  # the file, for what is said of its mistakes


def read_intro(settings: Settings, week: str) -> Intro:
    """The editor's intro of ``week``, or an empty one.

    Raises:
        DigestError: the file exists but cannot be read, is not UTF-8, or its front
            matter is not valid YAML.
    """
    folder = settings.digest.editorial_dir
    path = folder / f"{week}.md" if folder is not None else None
    if path is None or not path.is_file():
        return Intro()
    import yaml  # the parsers of editorial notes load only when there is one

    from tdlc_syndication.pipeline.markdown import render_markdown

    try:
        text = utf8_text(read_file(path))
    except (OSError, NotUtf8) as exc:
        raise DigestError(f"{path}: {exc}") from None
    meta: dict[str, object] = {}
    parts = split_front_matter(text, ("---",))
    if parts is not None:
        _, head, text = parts
        try:
            loaded = load_yaml(head) or {}
        except yaml.YAMLError as exc:
            raise DigestError(f"{path}: the front matter is not valid YAML: {exc}") from None
        if not isinstance(loaded, dict):
            raise DigestError(f"{path}: the front matter must be a mapping (hold: true)")
        meta = loaded
        if not isinstance(meta.get("title", ""), str):
            # A title YAML reads as a number or a yes/no (1.10, 0123, Yes) is its
            # words as written (1.1, 83, True otherwise); hold stays a true or false.
            meta["title"] = load_yaml(head, as_written=True).get("title")
    hold, title, feature = _front_matter(path, meta)
    html = ""
    if text.strip():
        page = ascii_url(settings.site.base_url) + f"digest/{week}/index.html"
        # Links are read from the issue's page, where the intro is published
        # (../2026-W46/index.html is the last issue); the email and the feed carry them
        # whole, with the fragment and query the editor wrote.
        html = sanitise_html(links_from(render_markdown(text), page), None)
    return Intro(html=html, hold=hold, title=title, feature=feature, path=path)


INTRO_KEYS = ("title", "hold", "feature")


def _front_matter(
    path: Path, meta: Mapping[str, object]
) -> tuple[bool, str | None, tuple[str, ...]]:
    """The ``hold``, ``title`` and ``feature`` of an intro's front matter.

    Raises:
        DigestError: a key it does not know (``hodl: true`` would publish a week its
            editor held), a ``hold`` that is not true or false (``"false"`` in quotes
            is text, which Python reads as true), or a ``title`` that is not text.
    """
    unknown = [str(key) for key in meta if key not in INTRO_KEYS]
    if unknown:
        raise DigestError(
            f"{path}: the front matter has no key {', '.join(map(repr, unknown))}; "
            f"it knows {', '.join(INTRO_KEYS[:-1])} and {INTRO_KEYS[-1]}"
        )
    hold = meta.get("hold")
    if hold is not None and not isinstance(hold, bool):
        raise DigestError(f"{path}: hold must be true or false (no quotes), not {hold!r}")
    title = meta.get("title")
    if title is not None and not isinstance(title, str | int | float | date):
        raise DigestError(f"{path}: title must be one line of text")
    feature = meta.get("feature") or []
    if isinstance(feature, str):
        feature = [feature]
    if not isinstance(feature, list) or not all(isinstance(f, str) and f.strip() for f in feature):
        raise DigestError(
            f"{path}: feature must be a list of item ids or addresses, one per line "
            f'(- "cpp-blog:https://…"), not {feature!r}'
        )
    # Cleaned as an item's title: one pasted from a word processor may carry Word's line
    # break (U+000B), which XML forbids, or a bidi override.
    cleaned = clean_text(str(title)) if title is not None else ""
    return bool(hold), cleaned or None, tuple(dict.fromkeys(f.strip() for f in feature))


@dataclass(slots=True)
class Issue:
    """One week's issue, ready to render."""

    week: str
    start: datetime  # Monday 00:00 in the site's zone (as UTC)
    end: datetime
    items: list[StoredItem]
    intro: Intro
    highlights: list[StoredItem] = field(default_factory=list)
    by_kind: list[tuple[str, list[StoredItem]]] = field(default_factory=list)
    topics: list[tuple[str, int]] = field(default_factory=list)
    places: list[tuple[str, int]] = field(default_factory=list)
    upcoming: list[StoredItem] = field(default_factory=list)
    published_at: datetime | None = None
    #: Earlier items the editor features ("From the archive"): not the week's own.
    featured: list[StoredItem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when the week brought no new materials."""
        return not self.items


def members(
    candidates: Iterable[StoredItem],
    week: str,
    settings: Settings,
    issues: Mapping[str, IssueRecord],
    first_reads: Mapping[str, datetime] | None = None,
) -> list[StoredItem]:
    """The items of ``week``'s issue among ``candidates`` (newest first): those whose home
    week it is and that no other published issue holds (``first_reads``: as for
    :func:`home_week`)."""
    elsewhere = {i for w, record in issues.items() if w != week for i in record.members}
    chosen = [
        s
        for s in candidates
        if s.item.id not in elsewhere and home_week(s, settings, issues, first_reads) == week
    ]
    return sorted(chosen, key=lambda s: (s.sort_date, s.item.id), reverse=True)


def build_issue(
    week: str,
    items: Sequence[StoredItem],
    pinned: Iterable[str],
    upcoming: Sequence[StoredItem],
    settings: Settings,
    label: LabelOf,
    intro: Intro | None = None,
    featured: Sequence[StoredItem] = (),
) -> Issue:
    """Group an issue's items: highlights (pinned first, then featured kinds), by kind, the
    topics and places with counts, and the upcoming events (by their start); with the
    editor's ``intro`` (read when not given) and the earlier items it ``featured``."""
    zone = ZoneInfo(settings.site.timezone)
    start, end = week_bounds(week, zone)
    pins = set(pinned)
    wanted = settings.digest.highlights
    highlights = [s for s in items if s.item.id in pins][:wanted]
    for kind in FEATURED_KINDS:
        for stored in items:
            if len(highlights) >= wanted:
                break
            if stored.item.kind == kind and stored not in highlights:
                highlights.append(stored)
    kinds: dict[str, list[StoredItem]] = {}
    for stored in items:
        kinds.setdefault(stored.item.kind, []).append(stored)
    order = list(settings.taxonomy.kinds)
    by_kind = sorted(
        kinds.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0])
    )
    topics = Counter(t for s in items for t in s.item.topics)
    places = Counter(p for s in items for p in s.item.places)
    return Issue(
        week=week,
        start=start,
        end=end,
        items=list(items),
        intro=intro if intro is not None else read_intro(settings, week),
        highlights=highlights,
        by_kind=[(label("kind", k), v) for k, v in by_kind],
        topics=[(label("topic", t), n) for t, n in _ranked(topics)],
        places=[(label("place", p), n) for p, n in _ranked(places)],
        upcoming=list(upcoming),
        featured=list(featured),
    )


def upcoming_events(
    candidates: Iterable[StoredItem], after: datetime, days: int
) -> list[StoredItem]:
    """Events starting in ``[after, after + days)``, soonest first (by when they happen,
    not when they were announced)."""
    until = after + timedelta(days=days)
    found = [
        s for s in candidates if s.item.event is not None and after <= s.item.event.start < until
    ]
    return sorted(found, key=lambda s: (s.item.event.start if s.item.event else after, s.item.id))


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def intro_path(settings: Settings, week: str) -> Path | None:
    """Where the editor writes ``week``'s intro (None without an editorial folder)."""
    folder = settings.digest.editorial_dir
    return folder / f"{week}.md" if folder is not None else None
