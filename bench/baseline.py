"""The baseline: the script a competent user would write for the same job.

requests with 16 threads (conditional GET, ETags kept in SQLite), feedparser for feeds,
BeautifulSoup for HTML listings and plain-text summaries, sqlite3 for the items, and
feedgen writing one combined Atom feed of the newest 100 items::

    python -m bench.baseline MANIFEST BASE_URL_TEMPLATE WORKDIR
"""

from __future__ import annotations

import json
import sqlite3
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from time import mktime

import feedparser
import requests
from bs4 import BeautifulSoup
from feedgen.feed import FeedGenerator


def fetch(
    session: requests.Session, url: str, etag: str | None
) -> tuple[str, bytes | None, str | None]:
    headers = {"If-None-Match": etag} if etag else {}
    resp = session.get(url, headers=headers, timeout=30)
    if resp.status_code == 304:
        return url, None, etag
    resp.raise_for_status()
    return url, resp.content, resp.headers.get("ETag")


def items_of(url: str, body: bytes, fmt: str) -> list[tuple[str, str, str, str, str]]:
    rows = []
    if fmt == "html":
        soup = BeautifulSoup(body, "lxml")
        for li in soup.select("ul.news li"):
            link = li.select_one("a")
            if link is None:
                continue
            summary = li.select_one("p.lead")
            rows.append(
                (
                    link["href"],
                    link.get_text(strip=True),
                    summary.get_text(strip=True) if summary else "",
                    "",
                    li.select_one(".date").get_text(),
                )
            )
        return rows
    parsed = feedparser.parse(body)
    for entry in parsed.entries:
        content = entry.get("content", [{}])[0].get("value", "") if entry.get("content") else ""
        summary = (
            entry.get("summary") or BeautifulSoup(content, "lxml").get_text(" ", strip=True)[:400]
        )
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        date = datetime.fromtimestamp(mktime(when), UTC).isoformat() if when else ""
        rows.append((entry.get("link", ""), entry.get("title", ""), summary, content, date))
    return rows


def main() -> None:
    manifest_path, base, workdir = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    manifest = json.loads(manifest_path.read_text())
    workdir.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(workdir / "plain.db")
    db.execute(
        "CREATE TABLE IF NOT EXISTS items (link TEXT PRIMARY KEY, title, summary, content, date)"
    )
    db.execute("CREATE TABLE IF NOT EXISTS etags (url TEXT PRIMARY KEY, etag)")
    etags = dict(db.execute("SELECT url, etag FROM etags"))
    sources = {
        base.format(host=s["host"], path=s["path"]): s["format"] for s in manifest["sources"]
    }
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=64, pool_maxsize=16)
    session.mount("http://", adapter)
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda u: fetch(session, u, etags.get(u)), sources))
    for url, body, etag in results:
        if body is not None:
            db.executemany(
                "INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?, ?)",
                items_of(url, body, sources[url]),
            )
        db.execute("INSERT OR REPLACE INTO etags VALUES (?, ?)", (url, etag))
    db.commit()
    fg = FeedGenerator()
    fg.id("urn:bench:all")
    fg.title("Everything")
    fg.link(href="https://example.org/", rel="alternate")
    fg.description("Everything")
    for link, title, summary, _content, date in db.execute(
        "SELECT * FROM items ORDER BY date DESC LIMIT 100"
    ):
        fe = fg.add_entry(order="append")
        fe.id(link)
        fe.title(title or "untitled")
        fe.link(href=link)
        fe.description(summary or title or "untitled")
        if date:
            fe.published(date if "T" in date else date + "T00:00:00+00:00")
    fg.atom_file(str(workdir / "all.atom"))


if __name__ == "__main__":
    main()
