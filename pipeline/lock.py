"""One process per store: the daemon, ``run --once``, ``fetch`` and ``publish`` hold a lock
on ``<database>.lock`` while they work.

The lock is an advisory ``flock`` on that file, so the kernel drops it when its holder
dies however it dies (``kill -9`` included): a stale lock is simply free again. The file
also says who holds it (pid, command, since when) for the one line a second process
prints.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TextIO

from tdlc_syndication.pipeline.errors import StoreError, SyndicationError

POLL = 0.2  # seconds between tries while waiting
SERVICE = "run (daemon)"  # the command the service names itself by in the lock file


class StoreBusy(SyndicationError):
    """Another process holds the store's lock."""

    def __init__(self, path: Path, holder: Holder | None, wanted: str = "") -> None:
        self.holder = holder
        who = (
            f"pid {holder.pid} ({holder.command}, since {holder.since})"
            if holder
            else "another process"
        )
        if holder is None or holder.command != SERVICE:
            advice = "wait for it, or use --wait [SECONDS]"
        elif wanted == "publish":
            advice = (
                "the service publishes by itself, after each change and when the overrides "
                "file is saved; to publish now, reload it (such as `systemctl reload "
                "tdlc-syndication`)"
            )
        else:
            advice = (
                "the service holds it for as long as it runs, so waiting would not end: "
                "stop the service first (such as `systemctl stop tdlc-syndication`), and "
                "start it again after"
            )
        super().__init__(f"the store {path.with_suffix('')} is in use by {who}; {advice}")


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a lock, as its file says."""

    pid: int
    command: str
    since: str


def lock_path(database: Path) -> Path:
    """The lock file of a store."""
    return database.with_name(database.name + ".lock")


def _read(handle: TextIO) -> Holder | None:
    handle.seek(0)
    try:
        data = json.loads(handle.read() or "{}")
        return Holder(int(data["pid"]), str(data["command"]), str(data["since"]))
    except (ValueError, KeyError, TypeError):
        return None


class StoreLock:
    """The store's lock, held from :meth:`acquire` to :meth:`release` (a context manager).

    Args:
        database: the store's file.
        command: what the holder is doing (``run``, ``publish``...), shown to others.
        wait: seconds to wait for a busy lock (None: do not wait; ``float('inf')``: forever).
    """

    def __init__(self, database: Path, command: str, wait: float | None = None) -> None:
        self.path = lock_path(database)
        self.command = command
        self.wait = wait
        self._handle: TextIO | None = None

    def acquire(self) -> StoreLock:
        """Take the lock.

        Raises:
            StoreBusy: another process holds it (after ``wait`` seconds, if given).
            StoreError: its file cannot be made or opened (a folder in the way that is
                a file, one this user may not write, another user's lock file).
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = self.path.open("a+", encoding="utf-8")
        except OSError as exc:
            raise StoreError(f"cannot take the store's lock {self.path}: {exc}") from exc
        give_up = time.monotonic() + (self.wait or 0.0)
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if self.wait is None or time.monotonic() >= give_up:
                    holder = _read(handle)
                    handle.close()
                    raise StoreBusy(self.path, holder, self.command) from None
                time.sleep(POLL)
        since = datetime.now(UTC).isoformat(timespec="seconds")
        with contextlib.suppress(OSError):  # who holds it is only shown to others
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps({"pid": os.getpid(), "command": self.command, "since": since}))
            handle.flush()
        self._handle = handle
        return self

    def release(self) -> None:
        """Give the lock back (the file stays; an empty one means free)."""
        if self._handle is None:
            return
        with contextlib.suppress(OSError):
            self._handle.seek(0)
            self._handle.truncate()
            self._handle.flush()
        fcntl.flock(self._handle, fcntl.LOCK_UN)
        self._handle.close()
        self._handle = None

    def __enter__(self) -> StoreLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
