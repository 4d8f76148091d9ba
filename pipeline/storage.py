"""The SQLite connection under the store: opening and migrating the file, transactions,
chunked ``IN`` queries, and one clear error for anything SQLite refuses.

Every public method of the store is wrapped with :func:`guarded`, so a damaged, foreign
or unwritable file raises :class:`StoreError` with a message that says what to do, never
a raw ``sqlite3`` traceback.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from tdlc_syndication.config.files import is_special
from tdlc_syndication.pipeline.errors import StoreError
from tdlc_syndication.pipeline.schema import MIGRATIONS, SCHEMA_VERSION, TABLES

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound="StoreBase")
CHUNK = 500  # SQLite's default limit on host parameters is 999 (older builds)


def explain_sqlite_error(path: str, exc: sqlite3.Error) -> str:
    """One line saying what an SQLite error means for the store file and what to do."""
    text = str(exc)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return f"the store {path} is busy (another process holds it): {text}; try again"
    if "full" in lowered or "disk i/o" in lowered or "readonly" in lowered:
        return f"cannot write the store {path}: {text}; free disk space or fix its permissions"
    if _is_damage(exc):
        return (
            f"the store {path} is damaged or incomplete ({text}); restore it from a backup, "
            "or move it aside to start a new one (outputs can be rebuilt with `syndicate publish`)"
        )
    return f"the store {path} cannot be used: {text}"


def _is_damage(exc: sqlite3.Error) -> bool:
    """Whether SQLite says the file is damaged or is not a store."""
    lowered = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and any(
        words in lowered
        for words in ("not a database", "malformed", "no such table", "no such column", "corrupt")
    )


def _damage(db: sqlite3.Connection) -> str | None:
    """What SQLite's ``quick_check`` finds wrong in a file (its first finding); None
    when the file is sound."""
    found = [
        line.strip()
        for (row,) in db.execute("PRAGMA quick_check(20)")
        for line in str(row).splitlines()
        if line.strip() and not line.startswith("***")  # "*** in database main ***"
    ]
    if found == ["ok"]:
        return None
    if not found:
        return "SQLite's quick_check failed"
    more = ", and more" if len(found) > 1 else ""
    return f"{found[0]}{more}"


def guarded(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Wrap a store method so that any ``sqlite3.Error`` becomes a :class:`StoreError`."""

    @functools.wraps(method)
    def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise StoreError(explain_sqlite_error(self.path, exc)) from exc

    return wrapper


class StoreBase:
    """A connection to the store file. Open one per thread; close it when done.

    Args:
        path: the SQLite file (created with its folder if missing), or ``":memory:"``.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._tx_depth = 0
        self._lock = threading.RLock()
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        try:
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA busy_timeout=30000")
            self.db.execute("PRAGMA journal_mode=WAL")
            # WAL's usual setting: a commit survives the process dying, and the store stays
            # consistent through a power cut (which may lose the last commits: a refetch).
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.Error as exc:
            self.db.close()
            raise StoreError(explain_sqlite_error(self.path, exc)) from exc
        except StoreError:
            self.db.close()
            raise

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self: S) -> S:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @guarded
    def backup(self, target: Path) -> None:
        """Copy the store to ``target`` with SQLite's online backup (consistent while
        other processes write); the copy appears whole or not at all.

        Raises:
            StoreError: ``target`` is the store itself, or cannot be written (it names
                ``target``; nothing is left beside it).
        """
        if self.path != ":memory:" and _same_file(target, Path(self.path)):
            raise StoreError(f"{target} is the store itself: back it up to another file")
        if not _replaceable(target):
            raise StoreError(
                f"{target} is no SQLite database (another file, a device or a pipe): a "
                "backup replaces only an earlier backup (`syndicate backup syndicate.toml` "
                "replaced the settings); choose another name"
            )
        partial = target.with_name(target.name + ".partial")
        try:
            partial.unlink(missing_ok=True)
            copy = sqlite3.connect(partial)
            try:
                self.db.backup(copy)
                damage = _damage(copy)
            finally:
                copy.close()
            if damage is None:
                os.replace(partial, target)
        except (sqlite3.Error, OSError) as exc:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            if isinstance(exc, sqlite3.DatabaseError) and _is_damage(exc):
                damage = str(exc)
            else:
                raise StoreError(f"cannot write the backup {target}: {exc}") from exc
        if damage is not None:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            raise StoreError(
                f"the store {self.path} is damaged ({damage}), so no backup was written "
                f"and {target} was left as it was: an older backup is worth more than a "
                "copy of the damage. Restore the store from a backup, or move it aside to "
                "start a new one"
            )

    def _migrate(self) -> None:
        if self.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            self._check_tables()
            return
        # Re-read the version inside the write lock: another connection may have migrated.
        self.db.execute("BEGIN IMMEDIATE")
        try:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} has schema version {version}, newer than this program "
                    f"({SCHEMA_VERSION}); upgrade tdlc-syndication"
                )
            for target in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[target](self.db)
                self.db.execute(f"PRAGMA user_version = {target}")
            self.db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _check_tables(self) -> None:
        rows = self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        missing = sorted(TABLES - {row[0] for row in rows})
        if missing:
            raise StoreError(
                f"the store {self.path} is damaged or incomplete (no table {', '.join(missing)}); "
                "restore it from a backup, or move it aside to start a new one (outputs can be "
                "rebuilt with `syndicate publish`)"
            )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block in one write transaction (nested calls join the outer one)."""
        with self._lock:
            if self._tx_depth:
                self._tx_depth += 1
                try:
                    yield
                finally:
                    self._tx_depth -= 1
                return
            try:
                self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(explain_sqlite_error(self.path, exc)) from exc
            self._tx_depth = 1
            try:
                yield
            except BaseException:
                self._rollback()
                raise
            else:
                try:
                    self.db.execute("COMMIT")
                except sqlite3.Error as exc:
                    self._rollback()
                    raise StoreError(explain_sqlite_error(self.path, exc)) from exc
            finally:
                self._tx_depth = 0

    def _rollback(self) -> None:
        """Undo the open transaction, unless SQLite has already: it rolls one back by
        itself when the disk is full or fails (a ROLLBACK then raises "no transaction is
        active", and that error would replace the one that says what happened)."""
        if self.db.in_transaction:
            with contextlib.suppress(sqlite3.Error):  # the first error is the one to report
                self.db.execute("ROLLBACK")

    def insert_rows(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run ``sql`` (an ``INSERT ... VALUES`` with ``{rows}`` where the row placeholders
        go) for ``rows``, several rows a statement: one step of SQLite for many rows, where
        ``executemany`` makes one step (and hands the GIL to other threads and waits to get
        it back) for each."""
        if not rows:
            return
        width = len(rows[0])
        per = max(1, CHUNK // width)
        one = "(" + ",".join("?" * width) + ")"
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            marks = ",".join([one] * len(chunk))
            self.db.execute(sql.format(rows=marks), [v for row in chunk for v in row])

    def execute_in(self, sql: str, values: Iterable[Any], params: Sequence[Any] = ()) -> None:
        """Run ``sql`` for every chunk of ``values`` (``{marks}`` as in :meth:`select_in`)."""
        for marks, chunk in _chunks(values):
            self.db.execute(sql.format(marks=marks), (*params, *chunk))

    def stream(
        self, sql: str, params: Sequence[Any] = (), chunk: int = 500
    ) -> Iterator[sqlite3.Row]:
        """The rows of ``sql``, fetched a chunk at a time, so that reading a whole table
        holds one chunk of it (what SQLite must sort, it sorts in its own cache, spilling
        to a temporary file). Errors as from a :func:`guarded` method."""
        try:
            rows = self.db.execute(sql, params)
            while batch := rows.fetchmany(chunk):
                yield from batch
        except sqlite3.Error as exc:
            raise StoreError(explain_sqlite_error(self.path, exc)) from exc

    def select_in(
        self, sql: str, values: Iterable[Any], params: Sequence[Any] = ()
    ) -> Iterator[sqlite3.Row]:
        """Rows of ``sql`` for every chunk of ``values``; ``sql`` holds ``{marks}`` where the
        ``IN (...)`` placeholders go, after ``params``."""
        for marks, chunk in _chunks(values):
            yield from self.db.execute(sql.format(marks=marks), (*params, *chunk))


def _chunks(values: Iterable[Any]) -> Iterator[tuple[str, list[Any]]]:
    """``values`` in chunks of ``CHUNK`` at most, each with its ``?`` placeholders."""
    wanted = list(values)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        yield ",".join("?" * len(chunk)), chunk


def _replaceable(target: Path) -> bool:
    """Whether a backup may replace ``target``: nothing there, an empty file, or an
    SQLite database (an earlier backup); not a device or a pipe, which read as empty
    (``backup /dev/null`` replaced the device with the copy when run as root)."""
    if is_special(target):
        return False
    try:
        with target.open("rb") as file:
            head = file.read(16)
    except FileNotFoundError:
        return True
    except OSError:
        return True  # a folder or an unreadable file: writing it says what is wrong
    return head in (b"", b"SQLite format 3\x00")


def _same_file(one: Path, other: Path) -> bool:
    """Whether two paths name the same file (or would: neither exists yet)."""
    try:
        return one.resolve() == other.resolve() or one.samefile(other)
    except OSError:
        return False
