"""How the worker processes of a run start (``pipeline.workers`` prepares documents in
them, ``pipeline.rendering`` renders outputs).

A process of this program is threaded (the fetching threads, the scheduler's), and forking
a threaded process can copy a lock some other thread held, so workers are never forked
from it. They used to be spawned: each a fresh interpreter that imported the program
again, about 0.4 s of CPU a worker, four workers for a cold ``run --once`` (two prepare,
two render) and more for every sync of the service that starts a pool.

Where the platform has one (Linux, the BSDs, macOS), a fork server starts them instead:
one fresh single-threaded process, started with the first pool, that imports the modules
the workers run (``WORKER_MODULES``) once and forks each worker from itself, ready. The
server lives as long as this process; at exit it is stopped and waited for, so no process
outlives the command and the CPU of the workers counts in this one's resource usage
(``time``, the benchmark). Elsewhere the workers are spawned as before.
"""

from __future__ import annotations

import atexit
import multiprocessing
import threading
from multiprocessing.context import BaseContext

# What the workers run; a module missing here is imported by each worker on first use.
WORKER_MODULES = (
    "tdlc_syndication.pipeline.workers",
    "tdlc_syndication.sources.feed",
    "tdlc_syndication.sources.html",
    "tdlc_syndication.pipeline.rendering",
    "tdlc_syndication.outputs.feeds",
    "tdlc_syndication.outputs.opml",
    "tdlc_syndication.outputs.calendar",
    "tdlc_syndication.outputs.facets",
    "tdlc_syndication.outputs.site",
)

_lock = threading.Lock()
_context: BaseContext | None = None


def worker_context() -> BaseContext:
    """The multiprocessing context worker pools start their processes with: the fork
    server (preloaded with ``WORKER_MODULES``) where there is one, else spawn."""
    global _context
    with _lock:
        if _context is None:
            if "forkserver" in multiprocessing.get_all_start_methods():
                server = multiprocessing.get_context("forkserver")
                server.set_forkserver_preload(list(WORKER_MODULES))
                atexit.register(_stop_server)
                _context = server
            else:
                _context = multiprocessing.get_context("spawn")
        return _context


def _stop_server() -> None:
    """Stop the fork server, if one started, and wait for it (its workers are gone by
    now: every pool is shut down before a command ends)."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)  # CPython's own way to stop it (3.8 and later)
    if stop is not None:
        stop()
