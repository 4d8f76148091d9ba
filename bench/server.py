"""The benchmark's loopback web: every folder ``<root>/<n>/`` is served on 127.0.0.<n>, with
a fixed added latency per request, strong ETags and Last-Modified with 304 answers, and
no robots.txt (404).

Run as its own process so that it never competes with the measured program for the GIL::

    python -m bench.server --root CORPUS --port 8900 --latency 0.05
"""

from __future__ import annotations

import argparse
import hashlib
import signal
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TYPES = {".xml": "application/rss+xml", ".atom": "application/atom+xml",
         ".rdf": "application/rdf+xml", ".html": "text/html; charset=utf-8"}  # fmt: skip


def handler_for(root: Path, latency: float) -> type[BaseHTTPRequestHandler]:
    """A request handler serving ``root`` (one host's folder)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if latency:
                time.sleep(latency)
            path = root / self.path.split("?")[0].lstrip("/")
            if not path.is_file():
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = path.read_bytes()
            etag = '"' + hashlib.sha1(body).hexdigest() + '"'
            modified = formatdate(path.stat().st_mtime, usegmt=True)
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", TYPES.get(path.suffix, "application/octet-stream"))
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            self.wfile.write(body)

    return Handler


class _Server(ThreadingHTTPServer):
    """A host's server: its threads end with the process, and a burst of connections
    waits for it (set on the class: the server listens as it is made, and an attribute
    set afterwards never reached the socket, which kept Python's backlog of 5)."""

    daemon_threads = True
    request_queue_size = 128


def serve(root: Path, port: int, latency: float) -> list[ThreadingHTTPServer]:
    """Start one threaded server per host folder; return them (already serving)."""
    servers: list[ThreadingHTTPServer] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name.isdigit()):
        server = _Server((f"127.0.0.{folder.name}", port), handler_for(folder, latency))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    return servers


def main() -> None:
    """Serve until SIGTERM or SIGINT."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--root", type=Path, required=True, help="the corpus: a folder per host number"
    )
    parser.add_argument("--port", type=int, default=8900, help="the port on every host")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every answer")
    args = parser.parse_args()
    servers = serve(args.root, args.port, args.latency)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"serving {len(servers)} hosts on port {args.port}", flush=True)
    stop.wait()
    for server in servers:
        server.shutdown()


if __name__ == "__main__":
    main()
