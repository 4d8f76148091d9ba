"""Publishing in proportion to change, checked against publishing everything: after each
of many seeded random steps (new items, late finds of old ones, edits that move an item
between feeds, withdrawals, duplicates found and undone, items forgotten, editors'
overrides, events, the clock moving on), the files an incremental publish left in place
are the files a whole publish renders from a copy of the same store into an empty folder,
byte for byte. The same check runs through real runs of feed sources and of an
iCalendar source, and across changes of the settings that shape the outputs.
``PUBLISH_STEP_SEEDS`` sets how many seeds run (3 by default)."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tests_support import NOW

from tdlc_syndication.config.models import FeedConfig, Settings
from tdlc_syndication.config.taxonomy import Term
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.dedupe import decide
from tdlc_syndication.pipeline.keep import forget_items
from tdlc_syndication.pipeline.model import Event, Item
from tdlc_syndication.pipeline.publish import publish
from tdlc_syndication.pipeline.run import run_sources
from tdlc_syndication.pipeline.store import Store

KINDS = ("article", "video", "report", "event")
PLACES = ("toyama", "kobe", "hiroshima")  # hiroshima is not in the taxonomy
TOPICS = ("compact-cities", "disaster-risk-management")
SOURCES = ("alpha", "beta")
STEPS = 14
SEEDS = range(1, 1 + int(os.environ.get("PUBLISH_STEP_SEEDS", "3")))


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _site(settings: Settings, **update: object) -> Settings:
    return settings.model_copy(update={"site": settings.site.model_copy(update=update)})


class World:
    """The items of the store as the steps change them, and the overrides file."""

    def __init__(self, rng: random.Random, store: Store, overrides: Path) -> None:
        self.rng = rng
        self.store = store
        self.overrides = overrides
        self.items: dict[str, Item] = {}
        self.withdrawn: set[str] = set()
        self.next = 0

    def new_item(self, now: datetime) -> Item:
        rng = self.rng
        n, self.next = self.next, self.next + 1
        source = rng.choice(SOURCES)
        kind = rng.choice(KINDS)
        days = rng.choice([0, 0, 1, 2, 3, 10, 400])  # 400: a late find of an old item
        published = (now - timedelta(days=days)).replace(hour=0, minute=0, second=0)
        event = None
        if kind == "event":
            start = now + timedelta(hours=rng.randint(-48, 24 * 20))
            end = start + timedelta(hours=rng.choice([1, 8, 50])) if rng.random() < 0.6 else None
            event = Event(start=start, end=end, location=rng.choice([None, "Kobe"]))
        return Item(
            id=f"{source}:{n}",
            source=source,
            kind=kind,
            title=f"Item {n} {rng.choice(['', '防災', 'light rail'])}".strip(),
            url=f"https://{source}.example.org/{n}",
            summary=f"Summary of item {n}.",
            published=published,
            published_precision="day",
            language=rng.choice(["en", "ja"]),
            places=tuple(sorted(rng.sample(PLACES, rng.randint(0, 2)))),
            topics=tuple(sorted(rng.sample(TOPICS, rng.randint(0, 1)))),
            event=event,
        )

    def put(self, item: Item, now: datetime) -> None:
        old = self.store.get_items(item.source, [item.id]).get(item.id)
        self.store.put_item(decide(item, old, now).stored)
        self.items[item.id] = item

    def step(self, now: datetime) -> None:
        """One run's worth of random changes, in one transaction."""
        rng = self.rng
        live = sorted(set(self.items) - self.withdrawn)
        with self.store.transaction():
            for _ in range(rng.randint(0, 6)):
                self.put(self.new_item(now), now)
            for item_id in rng.sample(live, min(len(live), rng.randint(0, 3))):
                item = self.items[item_id]
                edit = rng.choice(["title", "places", "kind", "date"])
                if edit == "title":
                    item = replace(item, title=item.title + " (revised)")
                elif edit == "places":
                    item = replace(item, places=tuple(sorted(rng.sample(PLACES, 1))))
                elif edit == "kind" and item.event is None:
                    item = replace(item, kind=rng.choice(KINDS[:3]))
                elif item.published is not None:
                    item = replace(item, published=item.published - timedelta(days=1))
                self.put(item, now)
            if live and rng.random() < 0.4:
                gone = rng.choice(live)
                item = self.items[gone]
                assert self.store.retract(item.source, gone, "deleted at the origin")
                self.withdrawn.add(gone)
            self._duplicates(live)
        if live and rng.random() < 0.2:  # `syndicate forget`: as if never stored
            gone = rng.choice(live)
            forget_items(self.store, item_ids=[gone])
            del self.items[gone]
        self._write_overrides(sorted(self.items))

    def _duplicates(self, live: list[str]) -> None:
        rng = self.rng
        linked = dict(
            self.store.db.execute("SELECT id, duplicate_of FROM items WHERE duplicate_of NOT NULL")
        )
        if len(live) >= 2 and rng.random() < 0.5:
            dup, canonical = rng.sample(live, 2)
            if dup not in linked.values() and canonical not in linked:
                self.store.set_duplicates({(self.items[dup].source, dup): canonical})
        if linked and rng.random() < 0.3:
            dup = rng.choice(sorted(linked))
            self.store.set_duplicates({(self.items[dup].source, dup): None})

    def _write_overrides(self, live: list[str]) -> None:
        rng = self.rng
        lines = []
        for item_id in rng.sample(live, min(len(live), rng.randint(0, 3))):
            lines.append(f'[[items]]\nid = "{item_id}"')
            lines.append(
                rng.choice(
                    [
                        "hide = true",
                        "pin = true",
                        'title = "Chosen by the editors"',
                        'places = ["kobe"]',
                        'kind = "toolkit"',
                    ]
                )
            )
        self.overrides.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _check_against_whole(ctx: Context, store: Store, tmp_path: Path, where: str) -> None:
    """The published folder holds exactly the files, byte for byte, that a whole publish
    renders from a copy of the store into an empty folder."""
    copy = tmp_path / "whole.db"
    copy.unlink(missing_ok=True)
    with sqlite3.connect(copy) as target:
        store.db.backup(target)
    target.close()
    folder = tmp_path / "whole"
    shutil.rmtree(folder, ignore_errors=True)
    site = ctx.settings.site.model_copy(update={"output_dir": folder, "database": copy})
    whole = replace(ctx, settings=ctx.settings.model_copy(update={"site": site}), database=copy)
    with Store(copy) as copied:
        publish(whole, copied, rebuild=True)
    mine, theirs = _files(ctx.settings.site.output_dir), _files(folder)
    assert sorted(mine) == sorted(theirs), where
    differ = [path for path in mine if mine[path] != theirs[path]]
    assert not differ, f"{where}: {differ[:5]}"


def _world_context(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> tuple[Context, Path]:
    """A site with small feeds and index, and the editors' overrides file it reads."""
    overrides = tmp_path / "overrides.toml"
    overrides.write_text("", encoding="utf-8")
    ctx = make_context(write_config(extra=f'[editorial]\noverrides = "{overrides}"\n'))
    ctx.settings = _site(ctx.settings, feed_size=3, index_size=4)
    return ctx, overrides


def _walk(
    ctx: Context, overrides: Path, seed: int, tmp_path: Path, steps: int, *, settings: bool = False
) -> tuple[World, list[str]]:
    """``steps`` seeded World steps, each ended by an incremental publish checked against a
    whole one; with ``settings``, some steps also change the settings before the publish.
    Returns the world and the settings changes made."""
    rng = random.Random(seed)
    now = NOW
    made: list[str] = []
    with Store(ctx.settings.site.database) as store:
        world = World(rng, store, overrides)
        for step in range(steps):
            now += timedelta(hours=rng.choice([1, 6, 30, 80]))
            ctx.clock = lambda now=now: now  # type: ignore[misc]
            world.step(now)
            if settings and step > 2 and rng.random() < 0.6:
                change = rng.choice(sorted(SETTINGS_CHANGES))
                ctx.settings = SETTINGS_CHANGES[change](ctx.settings, rng)
                made.append(change)
            publish(ctx, store)
            _check_against_whole(ctx, store, tmp_path, f"seed {seed}, step {step}, after {made}")
    return world, made


@pytest.mark.parametrize("seed", SEEDS)
def test_incremental_publishes_leave_what_a_whole_publish_renders(
    seed: int,
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
) -> None:
    ctx, overrides = _world_context(tmp_path, write_config, make_context)
    archives = ctx.settings.archives.model_copy(
        update={"feeds": ["main", "topic", "place", "kind"], "formats": ["atom", "rss", "json"]}
    )
    ctx.settings = ctx.settings.model_copy(update={"archives": archives})
    world, _ = _walk(ctx, overrides, seed, tmp_path, STEPS)
    assert world.next > 20  # items made
    assert world.withdrawn


def _terms(settings: Settings, facet: str, rng: random.Random) -> Settings:
    """A term of ``facet`` relabelled, one removed, or two added (one of them for a place
    the items carry that the taxonomy did not know). Kobe stays: the overrides name it."""
    terms = dict(getattr(settings.taxonomy, facet))
    others = sorted(set(terms) - {"kobe"})
    slug = rng.choice(others) if others else ""
    change = rng.choice(["relabel", "remove", "add"]) if slug else "add"
    if change == "relabel":
        terms[slug] = terms[slug].model_copy(update={"label": terms[slug].label + " (renamed)"})
    elif change == "remove" and len(terms) > 1:
        del terms[slug]
    else:
        terms.update({"hiroshima": Term(label="Hiroshima"), "peace": Term(label="Peace")})
    taxonomy = settings.taxonomy.model_copy(update={facet: terms})
    return settings.model_copy(update={"taxonomy": taxonomy})


def _feeds(settings: Settings, rng: random.Random) -> Settings:
    """A configured feed added (or its filter changed), or the first one removed."""
    if settings.feeds and rng.random() < 0.4:
        return settings.model_copy(update={"feeds": settings.feeds[1:]})
    feed = FeedConfig(
        id=f"custom-{rng.randint(1, 3)}",
        title="Chosen for partners",
        kinds=sorted(rng.sample(KINDS, 2)),
        places=rng.sample(["toyama", "kobe"], rng.randint(0, 1)),
    )
    kept = [f for f in settings.feeds if f.id != feed.id]
    return settings.model_copy(update={"feeds": [*kept, feed]})


def _archives(settings: Settings, rng: random.Random) -> Settings:
    update = (
        {"feeds": rng.sample(["main", "topic", "place", "kind"], rng.randint(0, 4))}
        if rng.random() < 0.5
        else {"formats": rng.sample(["atom", "rss", "json"], rng.randint(1, 3))}
    )
    return settings.model_copy(update={"archives": settings.archives.model_copy(update=update)})


#: Changes an operator makes to the settings that shape the outputs.
SETTINGS_CHANGES: dict[str, Callable[[Settings, random.Random], Settings]] = {
    "title": lambda s, rng: _site(s, title=f"{s.site.title} {rng.randint(1, 9)}"),
    "description": lambda s, rng: _site(s, description=f"Notes {rng.randint(1, 9)}"),
    "author": lambda s, rng: _site(s, author=f"Editor {rng.randint(1, 9)}"),
    "language": lambda s, rng: _site(s, language=rng.choice(["en", "ja"])),
    "timezone": lambda s, rng: _site(s, timezone=rng.choice(["UTC", "America/New_York"])),
    # The site moves to a new address and keeps its ids (a publish refuses other ids).
    "base_url": lambda s, rng: _site(
        s,
        base_url=rng.choice(["https://a.example.org/cpp/", "https://b.example.net/"]),
        id_host=s.site.id_host or urlsplit(s.site.base_url).hostname,
    ),
    "feed_size": lambda s, rng: _site(s, feed_size=rng.choice([2, 3, 4])),
    "index_size": lambda s, rng: _site(s, index_size=rng.choice([2, 4, 6])),
    "ttl": lambda s, rng: _site(s, ttl=rng.randint(1, 200)),
    "topics": lambda s, rng: _terms(s, "topics", rng),
    "places": lambda s, rng: _terms(s, "places", rng),
    "feeds": _feeds,
    "archives": _archives,
}


@pytest.mark.parametrize("seed", SEEDS)
def test_settings_changes_leave_what_a_whole_publish_renders(
    seed: int,
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
) -> None:
    """The same check when the operator changes the settings between publishes: the site's
    identity, the feed and index sizes, the taxonomy, the configured feeds, the archives."""
    ctx, overrides = _world_context(tmp_path, write_config, make_context)
    _, made = _walk(ctx, overrides, seed, tmp_path, 10, settings=True)
    assert made


def _rss(source: str, entries: dict[str, tuple[str, str, datetime, str]]) -> str:
    """An RSS 2.0 document of ``entries``: guid -> (title, link, date, category)."""
    items = "".join(
        f'<item><guid isPermaLink="false">{guid}</guid><title>{title}</title>'
        f"<link>{link}</link><pubDate>{format_datetime(date)}</pubDate>"
        f"<description>About {title}.</description><category>{category}</category></item>"
        for guid, (title, link, date, category) in entries.items()
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{source}</title><link>https://{source}.example.org/</link>"
        f"<description>News of {source}</description>{items}</channel></rss>"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_incremental_runs_leave_what_a_whole_publish_renders(
    seed: int,
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
) -> None:
    """The same check through real runs of feed sources: documents that gain items, lose
    them from their window, retitle them, and share stories across sources (a link, or a
    title and day), so that the run decides duplicates and their canonical records."""
    rng = random.Random(seed)
    names = ("alpha", "beta", "gamma")
    docs: dict[str, dict[str, tuple[str, str, datetime, str]]] = {n: {} for n in names}
    config = "".join(
        f'[[sources]]\nid = "{n}"\nkind = "feed"\npath = "{tmp_path / n}.xml"\n' for n in names
    )
    ctx = make_context(write_config(config))
    archives = ctx.settings.archives.model_copy(update={"feeds": ["main", "topic", "place"]})
    ctx.settings = _site(ctx.settings, feed_size=3).model_copy(update={"archives": archives})
    now = NOW
    made = 0
    with Store(ctx.settings.site.database) as store:
        for step in range(STEPS):
            now += timedelta(hours=rng.choice([2, 20, 50]))
            for _ in range(rng.randint(1, 4)):
                source, made = rng.choice(names), made + 1
                others = [e for n in names if n != source for e in docs[n].values()]
                title = f"News {made} {rng.choice(['light rail', '防災', 'Toyama', 'Kobe'])}"
                link, date = f"https://{source}.example.org/{made}", now - timedelta(days=1)
                if others and rng.random() < 0.3:  # the same story told by another source
                    title, link, date, _ = rng.choice(others)
                    if rng.random() < 0.5:
                        link = f"https://{source}.example.org/{made}"  # by title and day
                docs[source][f"{source}-{made}"] = (title, link, date, rng.choice(TOPICS))
            for name in names:
                for guid in rng.sample(sorted(docs[name]), min(len(docs[name]), rng.randint(0, 1))):
                    title, link, date, category = docs[name][guid]
                    if rng.random() < 0.5:
                        docs[name][guid] = (title + " (updated)", link, date, category)
                    else:
                        del docs[name][guid]  # out of the document's window: kept in store
                (tmp_path / f"{name}.xml").write_text(_rss(name, docs[name]), encoding="utf-8")
            ctx.clock = lambda now=now: now  # type: ignore[misc]
            run_sources(ctx, ctx.settings.sources)
            publish(ctx, store)
            _check_against_whole(ctx, store, tmp_path, f"seed {seed}, step {step}")
        duplicates = store.db.execute("SELECT COUNT(*) FROM items WHERE duplicate_of NOT NULL")
        assert duplicates.fetchone()[0] > 0


Happening = tuple[str, datetime, datetime | None, str, bool]  # title, start, end, status, all day


def _ics(events: dict[str, Happening]) -> str:
    """An iCalendar document of ``events`` by UID."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//steps//EN"]
    for uid, (title, start, end, status, all_day) in events.items():
        shape = ";VALUE=DATE:{:%Y%m%d}" if all_day else ":{:%Y%m%dT%H%M%SZ}"
        lines += ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261120T000000Z"]
        lines.append("DTSTART" + shape.format(start))
        if end is not None:
            lines.append("DTEND" + shape.format(end))
        lines += [f"SUMMARY:{title}", f"URL:https://events.example.org/{uid}"]
        lines += [f"STATUS:{status}", "END:VEVENT"]
    return "\r\n".join([*lines, "END:VCALENDAR", ""])


@pytest.mark.parametrize("seed", SEEDS)
def test_incremental_runs_of_a_calendar_leave_what_a_whole_publish_renders(
    seed: int,
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
) -> None:
    """The same check through runs of an iCalendar source while the clock moves on:
    events are added, moved, cancelled, renamed and dropped, and start and end, so the
    calendar, the upcoming events and the front page change with time as well."""
    rng = random.Random(seed)
    ics = tmp_path / "events.ics"
    source = f'[[sources]]\nid = "events"\nkind = "ical"\npath = "{ics}"\n'
    ctx = make_context(write_config(source + 'timezone = "Asia/Tokyo"\n'))
    ctx.settings = _site(ctx.settings, feed_size=3)
    events: dict[str, Happening] = {}
    now = NOW
    with Store(ctx.settings.site.database) as store:
        for step in range(STEPS):
            now += timedelta(hours=rng.choice([3, 20, 60]))
            for _ in range(rng.randint(0, 3)):
                start = now.replace(minute=0, second=0) + timedelta(hours=rng.randint(-30, 300))
                end = (
                    start + timedelta(hours=rng.choice([1, 5, 48])) if rng.random() < 0.7 else None
                )
                uid = f"event-{len(events)}"
                events[uid] = (f"Workshop {uid}", start, end, "CONFIRMED", rng.random() < 0.3)
            for uid in rng.sample(sorted(events), min(len(events), rng.randint(0, 2))):
                title, start, end, status, all_day = events[uid]
                change = rng.choice(["move", "cancel", "rename", "drop"])
                if change == "move":
                    moved = start + timedelta(days=rng.choice([-2, 1, 3]))
                    events[uid] = (title, moved, None, status, all_day)
                elif change == "cancel":
                    events[uid] = (title, start, end, "CANCELLED", all_day)
                elif change == "rename":
                    events[uid] = (title + " (new room)", start, end, status, all_day)
                else:
                    del events[uid]
            ics.write_text(_ics(events), encoding="utf-8")
            ctx.clock = lambda now=now: now  # type: ignore[misc]
            run_sources(ctx, ctx.settings.sources)
            publish(ctx, store)
            _check_against_whole(ctx, store, tmp_path, f"seed {seed}, step {step}")
        assert (ctx.settings.site.output_dir / "feeds" / "upcoming.atom").is_file()
