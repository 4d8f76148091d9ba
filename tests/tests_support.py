"""Helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import email
import random
import socket
import sqlite3
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from tdlc_syndication.config.paths import DEMO_CONFIG
from tdlc_syndication.pipeline.cli import cli
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.dedupe import decide
from tdlc_syndication.pipeline.ledger import RunReport
from tdlc_syndication.pipeline.model import Item, Listed, Media, StoredItem
from tdlc_syndication.pipeline.run import run_source
from tdlc_syndication.pipeline.serve import IDLE_TIMEOUT, make_server
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.sources.base import FetchState
from tdlc_syndication.sources.registry import build_source


@contextmanager
def serving(root: Path, cache_control: str, idle_timeout: float = IDLE_TIMEOUT) -> Iterator[str]:
    """Serve ``root`` with ``syndicate serve``'s server on a free loopback port."""
    server = make_server(root, "127.0.0.1", 0, cache_control, idle_timeout=idle_timeout)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


LINGER_NONE = struct.pack("ii", 1, 0)


class RawServer:
    """A raw TCP server on 127.0.0.1 for answers no HTTP library would send: each
    connection gets the bytes ``answer(path, number)`` gives (the request's path, and the
    connection's number since the last ``served = 0``), then is closed, after ``hold``
    seconds of silence; or, when ``reset(number)`` says so, is reset (a TCP RST) with no
    answer, as a dropped connection is."""

    def __init__(
        self,
        answer: Callable[[str, int], bytes],
        hold: float = 0.0,
        reset: Callable[[int], bool] = lambda number: False,
    ) -> None:
        self.answer, self.hold, self.reset, self.served = answer, hold, reset, 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = int(self.sock.getsockname()[1])
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                try:
                    conn.settimeout(2)
                    request = conn.recv(65536).split(b" ")
                    path = request[1].decode("latin-1") if len(request) > 1 else ""
                    if self.reset(self.served):  # SO_LINGER 0: the close sends a RST
                        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_NONE)
                    else:
                        conn.sendall(self.answer(path, self.served))
                        time.sleep(self.hold)
                except OSError:
                    pass
                self.served += 1

    def close(self) -> None:
        self.sock.close()


DATA = Path(__file__).parent / "data"
MakeContext = Callable[[Path], Context]


def source_toml(kind: str, body: str, source_id: str = "src") -> str:
    """A ``[[sources]]`` table of ``kind`` (private addresses allowed: the test server)."""
    return f'[[sources]]\nid = "{source_id}"\nkind = "{kind}"\nallow_private = true\n{body}\n'


def parse_all(ctx: Context, source_id: str = "src") -> list[Any]:
    """Fetch and parse every document of a source (no store): what parse() gives but a
    calendar's ``Listed`` mark."""
    source = build_source(ctx.settings.source(source_id), ctx.http, ctx.clock)
    return [
        out
        for fetched in source.fetch(FetchState())
        for out in source.parse(fetched)
        if not isinstance(out, Listed)
    ]


def run_one(ctx: Context, source_id: str = "src") -> tuple[RunReport, dict[str, StoredItem]]:
    """Run one source into the store; its report and stored items by id."""
    with Store(ctx.settings.site.database) as store:
        report = run_source(ctx, ctx.settings.source(source_id), store)
        return report, {s.item.id: s for s in store.items(source_id)}


NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # the conftest clock
BLOG = (DEMO_CONFIG.parent / "demo" / "feeds" / "tdlc-blog.rss").read_text("utf-8")


def rss_channel(inside: str, title: str = "C", link: str = "https://x.example.org/") -> str:
    """An RSS 2.0 document whose channel holds ``inside`` (its items) after its title,
    link and description."""
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>{link}</link><description>D</description>{inside}</channel></rss>"
    )


def feed_file_source(tmp_path: Path, name: str, text: str) -> str:
    """Write ``text`` to a file and return a ``feed`` source table reading it."""
    path = tmp_path / f"{name}.xml"
    path.write_text(text, encoding="utf-8")
    return f'[[sources]]\nid = "{name}"\nkind = "feed"\npath = "{path}"\n'


def draft(**changes: Any) -> Item:
    """A minimal draft item with some fields replaced."""
    return replace(
        Item(id="s:1", source="s", kind="article", title="T", url="https://x.example.org/a"),
        **changes,
    )


def sample_item(**changes: Any) -> Item:
    """A complete, normalised item (every field set) with some fields replaced."""
    base = Item(
        id="blog:1",
        source="blog",
        kind="knowledge_note",
        title="Compact cities",
        url="https://example.org/a",
        summary="About compact cities.",
        content_html="<p>About <strong>compact</strong> cities.</p>",
        authors=("Tanaka, Aiko",),
        published=datetime(2026, 10, 1, tzinfo=UTC),
        published_precision="day",
        language="en",
        topics=("compact-cities",),
        places=("toyama",),
        categories=("Planning",),
        media=(Media(url="https://example.org/a.pdf", mime="application/pdf", length=10),),
        thumbnail="https://example.org/a.jpg",
        extra=(("file", "a.md"),),
    )
    return replace(base, **changes)


BULK_START = datetime(2026, 1, 1, tzinfo=UTC)


def bulk_item(n: int, **changes: Any) -> Item:
    """Item ``n`` of a source "bulk": published ``n`` days into 2026, in Toyama when ``n``
    is odd, else in Kobe; some fields replaced."""
    item = Item(
        id=f"bulk:{n}",
        source="bulk",
        kind="article",
        title=f"Item {n}",
        url=f"https://bulk.example.org/{n}",
        summary=f"Summary {n}",
        published=BULK_START + timedelta(days=n),
        published_precision="day",
        language="en",
        places=("toyama",) if n % 2 else ("kobe",),
    )
    return replace(item, **changes)


def add_bulk(store: Store, numbers: range | list[int], **changes: Any) -> None:
    """Store (or change, as a run would) the bulk items with these numbers."""
    with store.transaction():
        for n in numbers:
            item = bulk_item(n, **changes)
            old = store.get_items("bulk", [item.id]).get(item.id)
            store.put_item(decide(item, old, NOW).stored)


@contextmanager
def sqlite_steps(db: sqlite3.Connection) -> Iterator[list[int]]:
    """Count SQLite's virtual-machine steps, in tens, while the block runs (``[count]``):
    work that must not grow with the store, counted where timing would be noise."""
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0

    db.set_progress_handler(step, 10)
    try:
        yield steps
    finally:
        db.set_progress_handler(None, 10)


def archive_began(database: Path, when: datetime) -> None:
    """Store an item first found at ``when``: the store's archive began then (the service
    publishes no empty issue of a week that ended before it)."""
    item = sample_item(id="earlier:1", source="earlier", url="https://example.org/earlier")
    with Store(database) as store, store.transaction():
        store.put_item(
            StoredItem(
                item=item, first_seen=when, last_seen=when, last_changed=when,
                content_hash="earlier",
            )
        )  # fmt: skip


def invoke(config: Path, *args: str) -> tuple[int, str]:
    """Run ``syndicate --config CONFIG ARGS`` in process: the exit code and all it printed."""
    result = CliRunner().invoke(cli, ["--config", str(config), *args])
    return result.exit_code, result.output


def console_run(
    config: Path, *args: str, at_exit: str = "", env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``syndicate --config CONFIG ARGS`` as the console script runs it, in a new
    process: the process, and the names of the modules it had loaded when it ended (from
    its stderr). ``at_exit``: Python lines that run first (``atexit.register`` in them
    runs after the names are printed)."""
    program = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(*sys.modules, file=sys.stderr))\n"
        f"{at_exit}"
        f"sys.argv = ['syndicate', '--config', {str(config)!r}, *{list(args)!r}]\n"
        "from tdlc_syndication.pipeline.cli import main\n"
        "main()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, check=False
    )
    return proc, set(proc.stderr.split())


def read_answer(connection: socket.socket) -> bytes:
    """One whole answer (head and Content-Length bytes of body) read from a connection.

    Raises:
        ConnectionError: the server closed the connection before the whole answer (a
            closed connection reads as nothing, for good: the loop would never end).
    """

    def more() -> bytes:
        chunk = connection.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed after {len(data)} bytes of an answer")
        return chunk

    data = b""
    while b"\r\n\r\n" not in data:
        data += more()
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
    while len(body) < length:
        body += more()
    return head + b"\r\n\r\n" + body


def closed_by_server(connection: socket.socket) -> bool:
    """Read what is left until the server closes the connection; False when it was still
    open after the connection's own timeout (5 s)."""
    try:
        while connection.recv(65536):
            pass
    except TimeoutError:
        return False
    return True


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        parsed = email.message_from_bytes(envelope.content, policy=default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now, below the range the system hands
    out for port 0 (32768 and up on Linux): between this call and the service's bind, a
    server that another test starts on port 0 cannot take it (a test's hub check then
    reached that server, which reset the connection)."""
    for port in random.sample(range(20_000, 32_000), 50):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


WEBSUB_SELF = "https://www.example.org/notes/feed/"
"""The topic of the notes feed of the WebSub tests (its ``rel="self"``)."""


def notes_rss(hub: str, *titles: str) -> str:
    """An RSS feed naming the WebSub ``hub`` and :data:`WEBSUB_SELF`, one item a title."""
    items = "".join(
        f"<item><title>{t}</title><link>https://www.example.org/notes/{n}</link>"
        f"<guid>https://www.example.org/notes/{n}</guid>"
        f"<pubDate>Tue, 0{n + 1} Dec 2026 09:00:00 +0000</pubDate>"
        "<description>A note on drainage in Kobe.</description></item>"
        for n, t in enumerate(titles)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        "<title>Notes</title><link>https://www.example.org/notes/</link>"
        "<description>Notes</description>"
        f'<atom:link rel="hub" href="{hub}"/><atom:link rel="self" href="{WEBSUB_SELF}"/>'
        f"{items}</channel></rss>"
    )


def websub_settings(write_config: Callable[..., Path], websub: str, sources: str = "") -> Path:
    """Settings with ``[websub]`` holding ``websub`` and the given sources (by default one
    feed, ``notes``, that nothing fetches)."""
    sources = sources or (
        '[[sources]]\nid = "notes"\nkind = "feed"\nurl = "https://www.example.org/notes/feed/"\n'
    )
    return write_config(sources, extra=f"[websub]\n{websub}\n")


# A WordPress post protected by a password, as its page shows it: the form asking for it.
PROTECTED_PAGE = (
    '<!doctype html><html lang="en"><head><title>Protected: Staff notes</title></head><body>'
    '<main><article><h1>Protected: Staff notes</h1><div class="entry-content"><form action="'
    '/wp-login.php?action=postpass" class="post-password-form" method="post"><p>This content '
    "is password protected. To view it please enter your password below:</p><p><label>"
    'Password: <input name="post_password" type="password"></label></p></form></div>'
    "</article></main></body></html>"
)
