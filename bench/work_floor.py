"""The work floor: the bare work of a run, done as directly as Python does it.

The requests as ``bench.floor`` makes them (``conditional_get``: urllib3, 64 threads,
conditional on the last run's validators); each new document read with lxml (RSS 2.0,
RSS 1.0 and Atom as XML, the HTML listings with ``ul.news li``) in one worker process
per core; each item's HTML cleaned by nh3 with its defaults, serialised to JSON and
hashed there; the items stored with one ``executemany`` (an item already stored with the
same hash is not written again); then, when anything new arrived, the newest 50 items
written as Atom, RSS and JSON Feed and every item once in Atom pages of 50 (only the
pages that changed)::

    python -m bench.work_floor MANIFEST BASE_URL_TEMPLATE WORKDIR

Nothing else: no feedparser fallback, no canonical URLs, classification, duplicates,
history, lint, term pages or atomic writes. It is not a tool anyone should run; it says
what a program that kept only this work could reach, so the gap between it and syndicate
is what syndicate's features cost.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import sqlite3
import sys
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from html import escape
from pathlib import Path
from typing import Any

import nh3
from lxml import etree, html

from bench.config import HTTP
from bench.floor import Validators, client, conditional_get

PAGE = 50
ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
ENTRY_TAGS = ("item", f"{RSS1}item", f"{ATOM}entry")
Row = tuple[str, str, str]  # id, JSON, hash


def read(url: str, body: bytes, fmt: str) -> list[Row]:
    """The items of one document, cleaned, as stored rows."""
    found: list[dict[str, str]] = []
    if fmt == "html":
        for li in html.fromstring(body).cssselect("ul.news li"):
            link = li.find("a")
            if link is None:
                continue
            found.append(
                {
                    "link": link.get("href", ""),
                    "title": link.text_content().strip(),
                    "summary": str(li.xpath("string(p[@class='lead'])")).strip(),
                    "date": str(li.xpath("string(span[@class='date'])")),
                }
            )
    else:
        for entry in etree.fromstring(body).iter(*ENTRY_TAGS):
            fields: dict[str, str] = {}
            for child in entry:
                name = etree.QName(child).localname
                value = child.get("href") if name == "link" and child.get("href") else child.text
                fields.setdefault(name, (value or "").strip())
            found.append(
                {
                    "id": fields.get("guid") or fields.get("id") or fields.get("link", ""),
                    "link": fields.get("link", ""),
                    "title": fields.get("title", ""),
                    "summary": fields.get("description") or fields.get("summary", ""),
                    "content": nh3.clean(fields.get("encoded") or fields.get("content", "")),
                    "date": fields.get("pubDate")
                    or fields.get("updated")
                    or fields.get("date")
                    or "",
                }
            )
    rows = []
    for item in found:
        item["id"] = f"{url}#{item.get('id') or item['link']}"
        data = json.dumps(item, ensure_ascii=False, sort_keys=True)
        rows.append((item["id"], data, hashlib.sha256(data.encode()).hexdigest()))
    return rows


def atom(title: str, items: list[dict[str, Any]]) -> str:
    """An Atom document of ``items``."""
    entries = "".join(
        f"<entry><id>{escape(i['id'])}</id><title>{escape(i['title'])}</title>"
        f'<link href="{escape(i["link"])}"/><updated>{escape(i["date"])}</updated>'
        f"<summary>{escape(i['summary'])}</summary>"
        f'<content type="html">{escape(i.get("content", ""))}</content></entry>\n'
        for i in items
    )
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>\n{entries}</feed>\n'


def rss(title: str, items: list[dict[str, Any]]) -> str:
    """An RSS 2.0 document of ``items``."""
    entries = "".join(
        f"<item><guid>{escape(i['id'])}</guid><title>{escape(i['title'])}</title>"
        f"<link>{escape(i['link'])}</link><description>{escape(i['summary'])}</description>"
        f"<content:encoded>{escape(i.get('content', ''))}</content:encoded></item>\n"
        for i in items
    )
    return (
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{title}</title>\n{entries}</channel></rss>\n"
    )


def publish(db: sqlite3.Connection, out: Path, first_new: int) -> None:
    """The newest items in three formats, and the Atom pages from the one that holds the
    first new row on."""
    out.mkdir(parents=True, exist_ok=True)
    query = "SELECT data FROM items ORDER BY n DESC LIMIT ?"
    newest = [json.loads(d) for (d,) in db.execute(query, (PAGE,))]
    (out / "all.atom").write_text(atom("Everything", newest), encoding="utf-8")
    (out / "all.rss").write_text(rss("Everything", newest), encoding="utf-8")
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Everything", "items": newest}
    (out / "all.json").write_text(json.dumps(feed, ensure_ascii=False), encoding="utf-8")
    page = (first_new - 1) // PAGE + 1
    rows = db.execute("SELECT n, data FROM items WHERE n > ? ORDER BY n", ((page - 1) * PAGE,))
    batch: list[dict[str, Any]] = []
    for n, data in rows:
        batch.append(json.loads(data))
        if n % PAGE == 0:
            (out / f"{page}.atom").write_text(atom(f"Page {page}", batch), encoding="utf-8")
            page, batch = page + 1, []
    if batch:
        (out / f"{page}.atom").write_text(atom(f"Page {page}", batch), encoding="utf-8")


def main() -> None:
    """Fetch, read, store and publish the manifest's documents once."""
    manifest_path, base, workdir = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    manifest = json.loads(manifest_path.read_text())
    workdir.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(workdir / "work-floor.db")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(
        "CREATE TABLE IF NOT EXISTS items "
        "(n INTEGER PRIMARY KEY, id TEXT UNIQUE, data TEXT, hash TEXT)"
    )
    db.execute("CREATE TABLE IF NOT EXISTS validators (url TEXT PRIMARY KEY, etag, modified)")
    validators: dict[str, Validators] = {
        url: (etag, modified) for url, etag, modified in db.execute("SELECT * FROM validators")
    }
    formats = {
        base.format(host=s["host"], path=s["path"]): s["format"] for s in manifest["sources"]
    }
    # Forked before any thread starts (all of a fork pool's workers start with it).
    workers = ProcessPoolExecutor(mp_context=multiprocessing.get_context("fork"))
    workers.submit(int).result()
    pool = client()
    seen: dict[str, Validators] = {}

    def get(url: str) -> Future[list[Row]] | None:
        response, seen[url] = conditional_get(pool, url, validators.get(url))
        if response.status == 304:
            return None
        return workers.submit(read, url, response.data, formats[url])

    with ThreadPoolExecutor(HTTP["workers"]) as threads:
        pending = [f for f in threads.map(get, formats) if f is not None]
    stored: dict[str, tuple[int, str]] = {}
    if pending:  # a warm run reads nothing it does not need
        stored = {i: (n, h) for n, i, h in db.execute("SELECT n, id, hash FROM items")}
    new = [row for f in pending for row in f.result() if stored.get(row[0], (0, ""))[1] != row[2]]
    workers.shutdown()
    with db:
        after = db.execute("SELECT COALESCE(MAX(n), 0) FROM items").fetchone()[0] + 1
        first = min((stored.get(row[0], (after, ""))[0] for row in new), default=after)
        db.executemany(
            "INSERT INTO items (id, data, hash) VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET data = excluded.data, hash = excluded.hash",
            new,
        )
        db.executemany(
            "INSERT OR REPLACE INTO validators VALUES (?, ?, ?)",
            [(url, *pair) for url, pair in seen.items()],
        )
    if new:
        publish(db, workdir / "work-floor-public", first)


if __name__ == "__main__":
    main()
