"""The service's WebSub side: the callback where hubs check our requests and deliver new
entries, and what the service does with them (:class:`PushIn`).

The listener is on ``[websub] listen`` (behind the reverse proxy that serves
``[websub] callback``). A request's last path segment names the subscription (its token):
``GET`` is a hub's check of intent, ``POST`` a delivery; anything else is refused. It
answers from the store and queues what it heard for the service's work thread
(:class:`pipeline.subscriber.Subscriber`); it writes nothing itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from http import HTTPStatus
from urllib.parse import parse_qsl, urlsplit

from tdlc_syndication.config.models import Settings
from tdlc_syndication.config.sources import SourceConfig
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.ledger import RunReport
from tdlc_syndication.pipeline.logs import source_context
from tdlc_syndication.pipeline.serve import Handler, Server
from tdlc_syndication.pipeline.subscriber import Subscriber

log = logging.getLogger(__name__)
IDLE_TIMEOUT = 30.0  # seconds a hub's connection may stay silent
SUBSCRIPTIONS_EVERY = timedelta(minutes=5)  # how often the subscriptions due are looked at


def _token(path: str) -> str:
    """The last non-empty segment of a request's path."""
    segments = [part for part in urlsplit(path).path.split("/") if part]
    return segments[-1] if segments else ""


def callback_server(address: tuple[str, int], subscriber: Subscriber, max_body: int) -> Server:
    """A threaded server for the hubs' requests (not started: see :func:`start`)."""

    class Hubs(Handler):
        timeout = IDLE_TIMEOUT

        def log_message(self, format: str, *args: object) -> None:
            log.debug("callback: " + format, *args)

        def do_GET(self) -> None:
            with self.server.answering():
                try:
                    query = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
                    status, body = subscriber.verify(_token(self.path), query)
                except ValueError:
                    status, body = 400, b"not a request target\n"
                except Exception:  # the store is busy or damaged: the hub asks again
                    log.exception("callback: a hub's check could not be answered")
                    status, body = 503, b"try again later\n"
                self.answer_text(status, body)

        def do_POST(self) -> None:
            with self.server.answering():
                length = self.headers.get("Content-Length", "")
                if not length.isdigit():
                    self.close_connection = True
                    self.answer_text(HTTPStatus.LENGTH_REQUIRED, b"Content-Length is required\n")
                    return
                if int(length) > max_body:
                    self.close_connection = True
                    self.answer_text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b"too large\n")
                    return
                body = self.rfile.read(int(length))
                headers = {name.lower(): value for name, value in self.headers.items()}
                try:
                    status = subscriber.deliver(_token(self.path), headers, body)
                except Exception:
                    log.exception("callback: a hub's delivery could not be taken")
                    status = 503
                self.answer_text(status, b"")

        def _refuse(self) -> None:
            self.refuse("GET, POST")

        do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _refuse

    return Server(address, Hubs)


class PushIn:
    """The service's WebSub side: the subscriber, its listener, and when each source was
    last polled (a source whose hub pushes waits ``[websub] poll_every`` between polls).

    Args:
        subscriber: the subscriptions' logic.
        server: the listener (started).
    """

    def __init__(self, subscriber: Subscriber, server: Server) -> None:
        self.subscriber = subscriber
        self.server = server
        self.polled: dict[str, datetime] = {}  # by source: when the service last polled it
        self._refreshed: datetime | None = None

    @classmethod
    def listening(
        cls, ctx: Context, wake: Callable[[], None], poll: Callable[[str], None]
    ) -> PushIn:
        """Start listening on ``[websub] listen``. ``wake`` is called when a hub said
        something, ``poll`` with a source to read now (a delivery came before the read in
        full its changed settings owe).

        Raises:
            OSError: the address cannot be taken (in use, not this machine's).
        """
        websub = ctx.settings.websub
        subscriber = Subscriber(ctx, wake, poll)
        server = callback_server(websub.address, subscriber, ctx.settings.http.max_body_bytes)
        thread = threading.Thread(target=server.serve_forever, name="websub", daemon=True)
        thread.start()
        log.info("listening on %s for the hubs (callback %s)", websub.listen, websub.callback)
        return cls(subscriber, server)

    def close(self) -> None:
        """Stop listening; the answers in progress finish."""
        self.server.shutdown()
        self.server.drain()

    def due(self, now: datetime) -> bool:
        """Whether the subscriptions are to be looked at (every ``SUBSCRIPTIONS_EVERY``)."""
        return self._refreshed is None or now - self._refreshed >= SUBSCRIPTIONS_EVERY

    def not_pushed(self, configs: Sequence[SourceConfig], now: datetime) -> list[SourceConfig]:
        """``configs`` less the sources whose hub pushes and that the service polled within
        ``[websub] poll_every`` and since the hub's last delivery. The first poll after a
        start always runs (pushes may have been missed while the service was down), and so
        does the first turn after a delivery: the feed itself holds the pushed entries in
        full (a hub's notice may be thin)."""
        every = timedelta(seconds=self.subscriber.ctx.settings.websub.poll_every)
        with self.subscriber.ctx.open_store() as store:
            records = store.subscriptions()
        kept = []
        for config in configs:
            record, polled = records.get(config.id), self.polled.get(config.id)
            if record is None or polled is None or not record.pushes(now):
                kept.append(config)
            elif now - polled >= every or (record.pushed_at or polled) > polled:
                kept.append(config)  # the safety net's turn, or the feed after a delivery
            else:
                with source_context(config.id):
                    log.debug("not polled: its hub pushes (polled %s)", polled.isoformat())
        return kept

    def after_polls(self, reports: Sequence[RunReport], started: datetime) -> None:
        """Note the sources a sync read (when), and doubt the subscription of one whose
        poll found new entries though its hub pushes (not the first poll after a start:
        that one reads what came while the service was down)."""
        missed = {
            r.source: r.new
            for r in reports
            if r.new and r.status == "ok" and r.source in self.polled
        }
        for report in reports:
            if report.status in ("ok", "not_modified"):  # (read: not waiting, not failed)
                self.polled[report.source] = started
        if missed:
            with self.subscriber.ctx.open_store() as store:
                self.subscriber.doubt(store, missed)

    def work(self, stop: threading.Event) -> bool:
        """Keep what the hubs delivered and record what they said, then send the requests
        due (unless ``stop`` is set). True when a delivery changed what a publish shows."""
        ctx = self.subscriber.ctx
        with ctx.open_store() as store:
            reports = self.subscriber.apply(store)
            for report in reports:
                with source_context(report.source):
                    log.info("pushed %s: %s", report.status, report.said())
            if not stop.is_set():
                self._refreshed = ctx.clock()
                self.subscriber.refresh(store, stop)
        return any(r.asks_publish for r in reports)


def same_listener(running: Settings, settings: Settings) -> Settings:
    """``settings`` with the running service's ``[websub] callback`` and ``listen``: a
    listener moves when the service starts again (the rest of ``[websub]`` applies)."""
    now, was = settings.websub, running.websub
    if (now.callback, now.listen) == (was.callback, was.listen):
        return settings
    log.warning("[websub] callback or listen changed: it applies when the daemon starts again")
    kept = now.model_copy(update={"callback": was.callback, "listen": was.listen})
    return settings.model_copy(update={"websub": kept})
