"""A very large store: does publishing one change, and ``status``, stay bounded?

``huge_section(items)`` builds a store of ``items`` items (written straight through the
store API, no fetching), publishes it once (the long part, not measured), adds one item,
then measures in fresh processes ``publish`` (the one change) and ``status``, at two sizes
so the report shows whether time and memory grow with the archive::

    python -m bench.run --huge                 # 1,000,000 items (the first publish is long)
    python -m bench.huge --items 100000        # one size, printed
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.measure import Sample, measure
from tdlc_syndication.pipeline.dedupe import decide
from tdlc_syndication.pipeline.model import Item
from tdlc_syndication.pipeline.store import ItemWrite, Store

START = datetime(2000, 1, 1, tzinfo=UTC)
TOPICS = ("compact-cities", "disaster-risk", "smart-cities", "water", "waste")
PLACES = ("yokohama", "toyama", "kobe", "kitakyushu")
SIZES = (100_000, 1_000_000)  # the store sizes measured, unless told others


def _item(n: int) -> Item:
    return Item(
        id=f"bulk:{n}",
        source="bulk",
        kind=("article", "report", "video")[n % 3],
        title=f"Knowledge note {n}: {TOPICS[n % 5].replace('-', ' ')} in {PLACES[n % 4]}",
        url=f"https://notes.example.org/{n}",
        summary=f"What partner cities learned, note {n}. " * 6,
        published=START + timedelta(minutes=13 * n),
        published_precision="datetime",
        language="en",
        topics=(TOPICS[n % 5],),
        places=(PLACES[n % 4],),
    )


def _settings(folder: Path) -> Path:
    path = folder / "syndicate.toml"
    lines = [
        "[site]",
        'title = "Huge"',
        'base_url = "https://feeds.example.org/huge/"',
        f"output_dir = {json.dumps(str(folder / 'public'))}",
        f"database = {json.dumps(str(folder / 'syndicate.db'))}",
        "",
        "[[sources]]",
        'id = "bulk"',
        'kind = "feed"',
        'url = "https://notes.example.org/feed.xml"',
        "",
    ]
    for slug in TOPICS:
        lines += [f"[taxonomy.topics.{slug}]", f'label = "{slug.replace("-", " ")}"', ""]
    for slug in PLACES:
        lines += [f"[taxonomy.places.{slug}]", f'label = "{slug.title()}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def fill(database: Path, items: int, now: datetime) -> None:
    """Write ``items`` items in transactions of 5,000."""
    with Store(database) as store:
        for start in range(0, items, 5000):
            with store.transaction():
                store.put_items(
                    [
                        ItemWrite(decide(_item(n), None, now).stored)
                        for n in range(start, min(items, start + 5000))
                    ]
                )


def measure_size(items: int) -> dict[str, Sample]:
    """Build, publish once, add one item; measure publish and status."""
    with tempfile.TemporaryDirectory(prefix="bench-huge-") as tmp:
        folder = Path(tmp)
        config = _settings(folder)
        now = datetime.now(UTC)
        started = time.perf_counter()
        fill(folder / "syndicate.db", items, now)
        cli = [sys.executable, "-m", "tdlc_syndication.pipeline", "--config", str(config), "-q"]
        first = measure([*cli, "publish"], folder)
        print(
            f"  {items:,} items: filled and first publish in {time.perf_counter() - started:.0f} s"
            f" (publish {first.wall:.0f} s, {first.rss_mb:.0f} MB)",
            flush=True,
        )
        fill_one(folder / "syndicate.db", items, now)
        return {
            "publish one change": measure([*cli, "publish"], folder),
            "status": measure([*cli, "status"], folder),
        }


def fill_one(database: Path, n: int, now: datetime) -> None:
    """Add one item, the newest."""
    with Store(database) as store, store.transaction():
        store.put_items([ItemWrite(decide(_item(n), None, now).stored)])


def huge_section(sizes: tuple[int, ...] = SIZES) -> str:
    """The report section: one row per measurement and size."""
    results = {size: measure_size(size) for size in sizes}
    lines = [
        "### A very large store",
        "",
        "| store | publish one change (wall / peak) | status (wall / peak) |",
        "|---|---|---|",
    ]
    for size, samples in results.items():
        pub, status = samples["publish one change"], samples["status"]
        lines.append(
            f"| {size:,} items | {pub.wall:.2f} s / {pub.rss_mb:.0f} MB | "
            f"{status.wall:.2f} s / {status.rss_mb:.0f} MB |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    """Measure the sizes given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--items",
        type=int,
        nargs="+",
        default=list(SIZES),
        help="the store sizes to build and time (default: 100,000 and 1,000,000)",
    )
    args = parser.parse_args()
    print(huge_section(tuple(args.items)))


if __name__ == "__main__":
    main()
