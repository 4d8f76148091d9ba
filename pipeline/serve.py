"""``syndicate serve``: a small static server for the output folder.

It sends the right media types for feeds (and ``application/xml`` to browsers, which then
apply the feeds' stylesheet), strong ETags and Last-Modified with 304 answers, the
configured Cache-Control, gzip to clients that accept it, and the redirects of the
folder's ``_redirects`` (renamed feeds' old addresses). It serves files only
from the output folder, and only GET and HEAD. When it stops (SIGTERM, Ctrl-C), it takes no
more connections and lets the answers in progress finish (``Server.drain``).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import posixpath
import socket
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from tdlc_syndication.outputs.formats import FORMATS
from tdlc_syndication.pipeline.redirects import Redirects

MEDIA_TYPES = {
    **{f".{f.suffix}": f"{f.media_type}; charset=utf-8" for f in FORMATS},
    ".opml": "text/x-opml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".osdx": "application/opensearchdescription+xml; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".svg": "image/svg+xml",
}
CACHE_BYTES = 64 * 1024 * 1024  # bodies the server keeps in memory, plain and gzipped
BROWSER_VIEWABLE = tuple(f".{f.suffix}" for f in FORMATS if f.xml)
COMPRESSIBLE = (".atom", ".rss", ".json", ".opml", ".html", ".css", ".js", ".osdx", ".xml", ".txt",
                ".svg")  # fmt: skip


def _wants_html(accept: str) -> bool:
    """True for a browser's Accept header: it asks for HTML and names no feed type."""
    lowered = accept.lower()
    return "text/html" in lowered and "atom" not in lowered and "rss" not in lowered


def _accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header takes gzip (RFC 9110 12.5.3): named, or ``*``,
    with a weight above 0 (``gzip;q=0`` refuses it; a weight that is no number counts 1)."""
    weights: dict[str, float] = {}
    for part in header.lower().split(","):
        coding, *params = part.split(";")
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 1.0
        weights[coding.strip()] = weight
    return weights.get("gzip", weights.get("x-gzip", weights.get("*", 0.0))) > 0


class FileCache:
    """Content hashes and gzip bodies of the served files, one entry a file (read again
    when its size or modification time changed), the least recently served dropped once
    the bodies held pass ``limit`` bytes.

    Args:
        limit: bytes of bodies (plain and gzipped) held at most.
    """

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[int, int, str, bytes, bytes | None]] = OrderedDict()
        self._held = 0

    @property
    def held(self) -> int:
        """Bytes of bodies held."""
        return self._held

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, path: Path, compress: bool) -> tuple[str, bytes, bytes | None, float]:
        """``(etag, body, gzipped body or None, modification time)`` of a file, read again
        when it changed.

        Raises:
            OSError: the file cannot be read (it is gone, say).
        """
        stat = path.stat()
        name = str(path)
        with self._lock:
            found = self._entries.get(name)
            if (
                found is not None
                and found[:2] == (stat.st_size, stat.st_mtime_ns)
                and (not compress or found[4] is not None)
            ):
                self._entries.move_to_end(name)
                return found[2], found[3], found[4], stat.st_mtime
        body = path.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        packed = gzip.compress(body, compresslevel=6, mtime=0) if compress else None
        entry = (stat.st_size, stat.st_mtime_ns, etag, body, packed)
        with self._lock:
            self._drop(name)
            self._entries[name] = entry
            self._held += _weight(entry)
            while self._held > self.limit and len(self._entries) > 1:
                self._drop(next(iter(self._entries)))
        return etag, body, packed, stat.st_mtime

    def _drop(self, name: str) -> None:
        """Forget a file's entry, if it has one (with the lock held)."""
        old = self._entries.pop(name, None)
        if old is not None:
            self._held -= _weight(old)


def _weight(entry: tuple[int, int, str, bytes, bytes | None]) -> int:
    return len(entry[3]) + len(entry[4] or b"")


Probe = Callable[[str], tuple[int, str, bytes]]  # path → status, media type, body
IDLE_TIMEOUT = 30.0  # seconds a silent connection is kept (nginx waits 60 for a header)
STOP_GRACE = 8.0  # seconds the answers in progress get once the server stops (docker: 10)


class Server(ThreadingHTTPServer):
    """The threaded server of ``syndicate serve``: a thread a connection, none of which
    keeps the process up, and a stop that lets the answers in progress finish."""

    daemon_threads = True
    # Connections the kernel holds until the server takes them: as many as the system
    # allows. Python's default, 5, dropped the rest of a burst (sixteen hubs delivering at
    # once): each waited for its retry, a second or more, and some were reset.
    request_queue_size = socket.SOMAXCONN

    def __init__(self, address: tuple[str, int], handler: type[Handler]) -> None:
        # The address family of the host: "::1" or "::" listens on IPv6 (the class's
        # default, IPv4 only, refused them: "Address family for hostname not supported").
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)
        self.stopping = False
        self._answering = 0
        self._changed = threading.Condition()

    @contextmanager
    def answering(self) -> Iterator[None]:
        """Count an answer in progress while the block runs."""
        with self._changed:
            self._answering += 1
        try:
            yield
        finally:
            with self._changed:
                self._answering -= 1
                self._changed.notify_all()

    def drain(self, grace: float = STOP_GRACE) -> int:
        """Stop: take no more connections, close each kept-alive connection after its
        current answer, and wait up to ``grace`` seconds for the answers in progress.
        Returns how many were still in progress when the wait ended (0: none was cut)."""
        self.stopping = True
        self.server_close()
        with self._changed:
            self._changed.wait_for(lambda: self._answering == 0, timeout=grace)
            return self._answering


class Handler(BaseHTTPRequestHandler):
    """What every handler of a :class:`Server` shares: HTTP/1.1 (connections kept alive),
    the program's name as the server's, and, once the server is stopping, an answer that
    closes its connection (:meth:`Server.drain`)."""

    protocol_version = "HTTP/1.1"
    server: Server

    def version_string(self) -> str:
        """The ``Server`` header: the program's name, no version."""
        return "tdlc-syndication"

    def send_response(self, code: int, message: str | None = None) -> None:
        """The status line, and ``Connection: close`` once the server is stopping."""
        super().send_response(code, message)
        if self.server.stopping:
            self.send_header("Connection", "close")  # and close it after this answer

    def answer_text(self, status: int, body: bytes, allow: str = "") -> None:
        """A short plain-text answer, with the methods it takes as ``Allow``, if given."""
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if allow:
            self.send_header("Allow", allow)
        self.end_headers()
        self.wfile.write(body)

    def refuse(self, allow: str) -> None:
        """405 for a method the handler does not take, naming those it does (Python's
        server answers 501 "Unsupported method", as if the method were unknown); the
        connection closes, as a body sent with the request is not read."""
        with self.server.answering():
            self.close_connection = True
            self.answer_text(HTTPStatus.METHOD_NOT_ALLOWED, f"{allow} only\n".encode(), allow)


def make_server(
    root: Path,
    host: str,
    port: int,
    cache_control: str,
    probes: Mapping[str, Probe] | None = None,
    idle_timeout: float = IDLE_TIMEOUT,
    base: str = "/",
) -> Server:
    """A threaded server for ``root`` (not started; call ``serve_forever``).

    Args:
        probes: paths answered by a function instead of a file (``/metrics``,
            ``/healthz``), never cached.
        idle_timeout: seconds a connection may stay silent (a kept-alive reader between
            two requests, a client that sends its request slowly or never) before it is
            closed: each connection holds a thread until then.
        base: the site's path (``site.base_url``'s): the rules of the folder's
            ``_redirects`` (the old addresses of renamed feeds) start with it.
    """
    folder = root.resolve()
    cache = FileCache()
    redirects = Redirects(folder, base)

    class Files(Handler):
        timeout = idle_timeout

        def do_GET(self) -> None:
            with self.server.answering():
                self._respond(with_body=True)

        def do_HEAD(self) -> None:
            with self.server.answering():
                self._respond(with_body=False)

        def do_OPTIONS(self) -> None:
            """A browser's preflight, before a script on another site asks for a feed
            with a header of its own (``If-None-Match``): allowed, for any origin."""
            with self.server.answering():
                self.send_response(HTTPStatus.NO_CONTENT)
                self.send_header("Allow", "GET, HEAD, OPTIONS")
                self.send_header("Access-Control-Allow-Methods", "GET, HEAD")
                self.send_header("Access-Control-Allow-Headers", "*")
                self.send_header("Access-Control-Max-Age", "86400")
                self._shared()
                self.end_headers()

        def _refuse(self) -> None:
            self.refuse("GET, HEAD, OPTIONS")  # a method that writes

        do_POST = do_PUT = do_DELETE = do_PATCH = _refuse

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the preview server is not an access log

        def _respond(self, with_body: bool) -> None:
            try:
                asked = urlsplit(self.path)
            except ValueError:  # "http://[::1/": a traceback on stderr, no answer
                self.send_error(HTTPStatus.BAD_REQUEST, "not a request target")
                return
            probe = (probes or {}).get(asked.path)
            if probe is not None:
                self._answer_probe(probe, with_body)
                return
            moved = redirects.target(unquote(asked.path))  # a renamed feed's old address
            if moved is not None:
                query = f"?{asked.query}" if asked.query else ""
                self._redirect(moved[0], quote(moved[1]) + query)
                return
            target = self._target()
            if target is None:
                self.send_error(HTTPStatus.NOT_FOUND, "not found")
                return
            if isinstance(target, str):
                self._redirect(HTTPStatus.MOVED_PERMANENTLY, target)
                return
            suffix = target.suffix.lower()
            media_type = MEDIA_TYPES.get(suffix, "application/octet-stream")
            if suffix == ".json" and not self.path.startswith("/feeds/"):
                media_type = "application/json"
            if suffix in BROWSER_VIEWABLE and _wants_html(self.headers.get("Accept", "")):
                # Browsers show application/atom+xml and rss+xml as raw text or a download;
                # as application/xml they apply the feed's xml-stylesheet.
                media_type = "application/xml; charset=utf-8"
            accepts = _accepts_gzip(self.headers.get("Accept-Encoding", ""))
            compress = accepts and suffix in COMPRESSIBLE
            try:
                etag, body, packed, mtime = cache.get(target, compress)
            except OSError:  # gone since it was found: a publish removed it
                self.send_error(HTTPStatus.NOT_FOUND, "not found")
                return
            if compress:
                etag = etag[:-1] + '-gz"'
            if self._not_modified(etag, mtime):
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self._common_headers(etag, mtime)
                self.end_headers()
                return
            payload = packed if compress and packed is not None else body
            self.send_response(HTTPStatus.OK)
            self._common_headers(etag, mtime)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(payload)))
            if compress:
                self.send_header("Content-Encoding", "gzip")
            self.end_headers()
            if with_body:
                self.wfile.write(payload)

        def _redirect(self, status: int, location: str) -> None:
            self.send_response(status)
            self._shared()  # a script follows a renamed feed's redirect only so
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _answer_probe(self, probe: Probe, with_body: bool) -> None:
            status, media_type, body = probe(self.path)
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def _shared(self) -> None:
            """The output is public: a script on another site may read it (a partner's
            page that lists the newest materials from ``all.json``), as browsers let it
            only with this header. Not ``/metrics`` nor ``/healthz``."""
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Expose-Headers", "ETag")

        def _common_headers(self, etag: str, mtime: float) -> None:
            self._shared()
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", formatdate(mtime, usegmt=True))
            self.send_header("Cache-Control", cache_control)
            self.send_header("Vary", "Accept, Accept-Encoding")

        def _not_modified(self, etag: str, mtime: float) -> bool:
            match = self.headers.get("If-None-Match")
            if match is not None:
                # Compared weakly (RFC 9110, 13.1.2): a proxy that compresses what it
                # passes on (nginx with gzip) hands readers W/"…", which never matched,
                # so every poll of such a reader downloaded the whole feed again.
                tags = {t.strip().removeprefix("W/") for t in match.split(",")}
                return etag in tags or "*" in tags
            since = self.headers.get("If-Modified-Since")
            if since:
                try:
                    when = parsedate_to_datetime(since).timestamp()
                except (TypeError, ValueError, IndexError):
                    return False
                return int(mtime) <= int(when)
            return False

        def _target(self) -> Path | str | None:
            """The file the request names, None when there is none. For a folder named
            without its final slash, the address to send the client to instead
            (``/topic`` → ``/topic/``, as every web server answers): the links of the
            folder's page are relative to that address."""
            try:
                asked = urlsplit(self.path)
            except ValueError:
                return None
            path = posixpath.normpath(unquote(asked.path))
            parts = [p for p in path.split("/") if p and p not in (".", "..")]
            if any(p.startswith(".") for p in parts):
                return None  # hidden files: a publish's temporary files among them
            candidate = folder.joinpath(*parts) if parts else folder
            try:
                if candidate.is_dir():
                    if not asked.path.endswith("/"):  # the path as read: "//x" goes to /x/
                        query = f"?{asked.query}" if asked.query else ""
                        return quote("/" + "".join(f"{p}/" for p in parts)) + query
                    candidate = candidate / "index.html"
                elif asked.path.endswith("/"):
                    return None  # a file is not a folder (nor is its page at that address)
                resolved = candidate.resolve()
                readable = resolved.is_file() and os.access(resolved, os.R_OK)
            except (OSError, ValueError):  # a name too long, a NUL byte: no such file
                return None
            return resolved if readable and folder in resolved.parents else None

    return Server((host, port), Files)
