"""Helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tdlc_syndication.pipeline.serve import make_server


@contextmanager
def serving(root: Path, cache_control: str) -> Iterator[str]:
    """Serve ``root`` with ``syndicate serve``'s server on a free loopback port."""
    server = make_server(root, "127.0.0.1", 0, cache_control)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
