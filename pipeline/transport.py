"""The sockets under the HTTP client: connections that go only to addresses the policy
allows, and a deadline that covers the whole exchange.

* **The address checked is the address connected to.** A connection resolves the host
  name once, drops loopback, private, link-local and other non-public addresses (unless
  the source allows them), and connects to one of the addresses it kept. A name that
  resolves to a public address when checked and a private one when connected (DNS
  rebinding) cannot slip through, and a pooled connection is checked again before it is
  reused.
* **A deadline for the whole exchange.** Timeouts bound each socket wait; a server that
  sends one byte a second would never trip them. Every exchange has a watchdog that
  shuts its sockets down at the deadline, so connecting, the headers and the body
  together never take longer.

Proxies from the environment are not used: every request goes straight to its host.
The client is urllib3's pool manager, without requests' session on top: a conditional
GET answered 304 costs about half the CPU (the session merges settings, cookies and
hooks for every request), and the program starts without importing requests.
"""

from __future__ import annotations

import heapq
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import urllib3.exceptions
from urllib3 import PoolManager
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError


class AddressRefused(NewConnectionError):
    """The host resolves only to addresses the source may not reach."""


# -- what a transport error says ---------------------------------------------------------


def _causes(exc: BaseException) -> list[BaseException]:
    """An exception and what caused it (a wrapped error keeps its cause in ``.reason``)."""
    chain: list[BaseException] = []
    node: BaseException | None = exc
    while node is not None and len(chain) < 12:
        chain.append(node)
        for arg in node.args:
            reason = getattr(arg, "reason", None)
            if isinstance(reason, BaseException):
                chain.append(reason)
        node = node.__cause__ or node.__context__
    return chain


def refusal_of(exc: BaseException) -> str | None:
    """The message of a connection the address policy refused, if that was the cause."""
    for cause in _causes(exc):
        if isinstance(cause, AddressRefused):
            return str(cause).split(": ", 1)[-1]
    return None


def in_plain_words(exc: BaseException, host: str, connect_timeout: float) -> str:
    """What a transport error means, in plain words (never "Max retries exceeded")."""
    chain = _causes(exc)
    text = " ".join(str(e) for e in chain).lower()
    kinds = {type(e).__name__ for e in chain}
    if "ConnectTimeout" in kinds or "ConnectTimeoutError" in kinds:
        return f"could not connect to {host} within {connect_timeout:g}s"
    if "does not resolve" in text or "NameResolutionError" in kinds or "gaierror" in kinds:
        return f"the name {host} does not resolve"
    if "refused" in text:
        return f"{host} refused the connection"
    if "reset" in text:
        return f"the connection to {host} was reset"
    if "IncompleteRead" in kinds or "incomplete" in text:
        return f"the answer from {host} ended before the length it announced"
    if "DecodeError" in kinds or "decompress" in text:
        return f"the answer from {host} says it is compressed but is not valid gzip/deflate"
    if "LineTooLong" in kinds:  # http.client's limits on an answer's head
        return f"the answer from {host} has a header line longer than 65,536 bytes"
    if "got more than" in text and "headers" in text:
        return f"the answer from {host} has more than 100 header lines"
    if "RemoteDisconnected" in kinds or "closed" in text or "aborted" in text:
        return f"{host} closed the connection before answering"
    if "SSLError" in kinds or "ssl" in text or "certificate" in text:
        return f"the TLS connection to {host} failed ({str(chain[-1])[:200]})"
    message = str(chain[-1]) or type(chain[-1]).__name__
    return message if len(message) < 300 else message[:297] + "..."


def is_public(address: str) -> bool:
    """True for a public unicast IP address (IPv4-mapped IPv6 is judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def is_public_address(host: str) -> bool:
    """True when every address ``host`` resolves to is a public unicast address (a name
    that does not resolve counts as public: the request then fails on its own)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return True
    return all(is_public(str(info[4][0])) for info in infos)


PRUNE_AT = 256  # ended exchanges the watchdog may hold before it drops them


class Exchange:
    """One request with its deadline: the sockets it uses are shut down when the deadline
    passes (``expired`` then says so)."""

    def __init__(self, allow_private: bool, deadline: float) -> None:
        self.allow_private = allow_private
        self.deadline = deadline
        self.expired = False
        self.done = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def watch(self, sock: socket.socket) -> None:
        """Put a socket under this exchange's deadline."""
        with self._lock:
            if self.expired:
                _shutdown(sock)
            self._sockets.append(sock)

    def expire(self) -> None:
        """The deadline passed: shut every socket of the exchange down."""
        with self._lock:
            if self.done:
                return
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)


class Watchdog:
    """One thread that expires exchanges whose deadline passed (a thread per request
    would cost more than the request).

    An exchange that ends stays in the heap until it reaches the top; so that a busy
    client does not keep a deadline's worth of ended exchanges (and their sockets), the
    heap is rid of them whenever it has doubled since it last was."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Exchange]] = []
        self._cond = threading.Condition()
        self._count = 0
        self._thread: threading.Thread | None = None
        self._prune_at = PRUNE_AT

    @property
    def size(self) -> int:
        """Exchanges held: those running, and ended ones not yet dropped."""
        with self._cond:
            return len(self._heap)

    def add(self, current: Exchange) -> None:
        """Watch an exchange until it ends."""
        with self._cond:
            self._count += 1
            if len(self._heap) >= self._prune_at:
                self._heap = [entry for entry in self._heap if not entry[2].done]
                heapq.heapify(self._heap)
                self._prune_at = max(PRUNE_AT, 2 * len(self._heap))
            heapq.heappush(self._heap, (current.deadline, self._count, current))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="deadlines", daemon=True)
                self._thread.start()
            elif self._heap[0][2] is current:
                self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._heap and self._heap[0][2].done:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cond.wait(timeout=5.0)
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._cond.wait(timeout=wait)
                    continue
                _, _, due = heapq.heappop(self._heap)
            due.expire()


_watchdog = Watchdog()


def _shutdown(sock: socket.socket) -> None:
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _Current(threading.local):
    def __init__(self) -> None:
        self.exchange: Exchange | None = None


_current = _Current()


class _GuardedConnection(HTTPConnection):
    """A connection to an allowed address only, watched by the current exchange."""

    def _new_conn(self) -> socket.socket:
        exchange = _current.exchange
        allow_private = exchange.allow_private if exchange is not None else False
        host = self._dns_host
        try:
            # An ASCII name goes as bytes: a str goes through the "idna" codec, whose
            # import costs the first connection of every run a few milliseconds.
            name = host.encode("ascii") if host.isascii() else host
            infos = socket.getaddrinfo(name, self.port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise NewConnectionError(self, f"the name {self.host} does not resolve") from exc
        allowed = [info for info in infos if allow_private or is_public(str(info[4][0]))]
        if not allowed:
            raise AddressRefused(
                self,
                f"{self.host} is a loopback, private or link-local address "
                "(set allow_private = true on the source to permit it)",
            )
        error: OSError | None = None
        for family, kind, proto, _, address in allowed:
            sock = socket.socket(family, kind, proto)
            try:
                if exchange is not None:
                    exchange.watch(sock)
                sock.settimeout(self.timeout if isinstance(self.timeout, (int, float)) else None)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.connect(address)
                return sock
            except OSError as exc:
                error = exc
                sock.close()
        assert error is not None
        if isinstance(error, TimeoutError):
            raise error
        raise NewConnectionError(self, f"cannot connect to {self.host}: {error}") from error

    def request(self, *args: Any, **kwargs: Any) -> None:
        exchange = _current.exchange
        if self.sock is not None and exchange is not None:
            peer = self.sock.getpeername()[0]
            if not exchange.allow_private and not is_public(peer):
                self.close()
                raise AddressRefused(self, f"{self.host} now points at a non-public address")
            exchange.watch(self.sock)
        super().request(*args, **kwargs)


class _GuardedHTTPSConnection(_GuardedConnection, HTTPSConnection):
    pass


class _Pool(HTTPConnectionPool):
    ConnectionCls = _GuardedConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


# What a request can raise: urllib3's errors (connection refused or reset, timeouts, TLS,
# malformed answers, unusable URLs) and the socket's own.
TRANSPORT_ERRORS = (urllib3.exceptions.HTTPError, OSError)


def pool_manager(pool_size: int, context: ssl.SSLContext) -> PoolManager:
    """A pool of keep-alive connections (per host, ``pool_size`` at most) that are
    guarded and watched, verified with ``context`` for HTTPS (one context for every
    connection: its certificates are loaded once, not at each connection)."""
    made = PoolManager(num_pools=64, maxsize=max(4, pool_size), ssl_context=context)
    made.pool_classes_by_scheme = {"http": _Pool, "https": _HTTPSPool}
    return made


def peer_certificate(host: str, port: int, timeout: float) -> bytes:
    """The certificate (DER) a server at ``host`` presents, read without verifying it
    (through a guarded connection, in the current exchange), to see which intermediate it
    names."""
    reader = ssl.create_default_context()
    reader.check_hostname = False
    reader.verify_mode = ssl.CERT_NONE
    connection = _GuardedHTTPSConnection(host, port, timeout=timeout, ssl_context=reader)
    try:
        connection.connect()
        sock = connection.sock
        der = sock.getpeercert(binary_form=True) if isinstance(sock, ssl.SSLSocket) else None
    finally:
        connection.close()
    return der or b""


@contextmanager
def exchange(allow_private: bool, timeout: float) -> Iterator[Exchange]:
    """Run the block as one exchange of the calling thread, under a deadline of
    ``timeout`` seconds."""
    current = Exchange(allow_private, time.monotonic() + max(0.0, timeout))
    previous = _current.exchange
    _current.exchange = current
    _watchdog.add(current)
    try:
        yield current
    finally:
        with current._lock:
            current.done = True
        _current.exchange = previous
