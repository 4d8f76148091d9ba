"""How the worker processes of a run start (``pipeline.workers`` prepares documents in
them, ``pipeline.rendering`` renders outputs).

A process of this program is threaded (the fetching threads, the scheduler's), and forking
a threaded process can copy a lock some other thread held, so workers are never forked
from it. They used to be spawned: each a fresh interpreter that imported the program
again, about 0.6 s of CPU a worker, four workers for a cold ``run --once`` (two prepare,
two render) and more for every sync of the service that starts a pool.

Where the platform has one (Linux, the BSDs, macOS), a fork server starts them instead:
one fresh single-threaded process, started with the first pool, that imports what the
workers run (:func:`preload`) once and forks each worker from itself, ready. The server
lives as long as this process; at exit it is stopped and waited for, so no process
outlives the command and the CPU of the workers counts in this one's resource usage
(``time``, the benchmark). Elsewhere the workers are spawned as before.
"""

from __future__ import annotations

import atexit
import multiprocessing
import threading
from multiprocessing.context import BaseContext
from typing import TYPE_CHECKING

from tdlc_syndication.outputs import publisher_modules
from tdlc_syndication.sources.registry import kind_module

if TYPE_CHECKING:
    from tdlc_syndication.config.models import Settings

_lock = threading.Lock()
_context: BaseContext | None = None


def preload(settings: Settings) -> list[str]:
    """The modules the workers of ``settings`` run: the two pools', the publishers' (from
    ``outputs``) and those of the source kinds in use (from the kinds' registry)."""
    kinds = sorted({source.kind for source in settings.sources})
    return [
        "tdlc_syndication.pipeline.workers",
        "tdlc_syndication.pipeline.rendering",
        *publisher_modules(),
        *(kind_module(kind) for kind in kinds),
    ]


def worker_context(settings: Settings) -> BaseContext:
    """The multiprocessing context worker pools start their processes with: the fork
    server where there is one (it loads :func:`preload` of the settings of the first pool;
    a worker imports anything else it needs itself), else spawn."""
    global _context
    with _lock:
        if _context is None:
            if "forkserver" in multiprocessing.get_all_start_methods():
                server = multiprocessing.get_context("forkserver")
                server.set_forkserver_preload(preload(settings))
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
