"""Logging: one line per event, levelled, as text or JSON, with the source id in every line
logged while a source runs.

Only the project's own loggers (``tdlc_syndication.*``) follow ``-v``/``-q``; libraries
stay at WARNING, so ``-vv`` shows the pipeline's decisions, not urllib3's connection pool.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Literal, TextIO

from tdlc_syndication.pipeline.errors import printable

PROJECT = "tdlc_syndication"
LogFormat = Literal["text", "json"]

current_source: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "current_source", default=None
)


@contextmanager
def source_context(source_id: str) -> Iterator[None]:
    """Tag every log line of the block (in this thread) with ``source_id``."""
    token = current_source.set(source_id)
    try:
        yield
    finally:
        current_source.reset(token)


class SourceTag(logging.Filter):
    """Adds the running source's id (``source_context``) to every record it sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Tag the record (once); never drops it."""
        if not hasattr(record, "source"):
            record.source = current_source.get()
        return True


class _Filter(SourceTag):
    """Keeps libraries at ``floor`` (they may set their own loggers lower) and adds the
    running source's id to every record."""

    def __init__(self, floor: int) -> None:
        super().__init__()
        self.floor = floor

    def filter(self, record: logging.LogRecord) -> bool:
        """False for a library's line below the floor; else tag the record."""
        if record.levelno < self.floor and not record.name.startswith(PROJECT):
            return False
        return super().filter(record)


class TextFormatter(logging.Formatter):
    """``2026-11-30T03:00:00Z WARNING [source] message``; the message is made
    :func:`~tdlc_syndication.pipeline.errors.printable` (it may quote an origin)."""

    def format(self, record: logging.LogRecord) -> str:
        """One line (exception text, if any, follows on the next lines)."""
        when = datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        source = getattr(record, "source", None)
        where = f" [{source}]" if source else ""
        line = f"{when} {record.levelname}{where} {printable(record.getMessage())}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, source, message (and exception)."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "source": getattr(record, "source", None),
            "message": record.getMessage(),
        }
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


# Libraries that log an error with its traceback and then raise it to the caller, which
# handles it: readability, on a page it cannot read (an empty one; the page is read
# without that text). Its log reached standard error at every run, with ``-q`` too.
HANDLED_ERRORS = ("readability.readability",)


def quiet_handled_errors() -> None:
    """Keep the logs of the errors :data:`HANDLED_ERRORS`' libraries raise to us quiet."""
    for name in HANDLED_ERRORS:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def configure(
    verbosity: int = 0, fmt: LogFormat = "text", stream: TextIO | None = None
) -> logging.Handler:
    """Send log lines to ``stream`` (stderr): ``verbosity`` -1 errors only, 0 warnings,
    1 info, 2 debug, for the project's loggers; other libraries log warnings and up.
    Python's warnings (a library's, such as icalendar's on a calendar it reads by a
    guess) are log lines too: printed bare, one reached standard error at every run of
    ``run --once -q``, which is to print errors only, and cron mailed it."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    floor = logging.ERROR if verbosity < 0 else logging.WARNING
    handler.addFilter(_Filter(floor))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(floor)
    logging.captureWarnings(True)
    quiet_handled_errors()
    levels = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}
    logging.getLogger(PROJECT).setLevel(levels.get(verbosity, logging.DEBUG))
    return handler
