"""The certificates HTTPS is verified with, and a server's missing intermediate fetched
as browsers fetch it.

Many servers (municipal sites among them) send their own certificate without the
intermediate one that links it to a root. Browsers fetch that intermediate from the
address the certificate names (its Authority Information Access, "CA Issuers") and show
the page; Python's TLS does not, and such a source failed at every run with "unable to get
local issuer certificate". On that failure the client reads the server's certificate
(without trusting it), fetches the intermediate it names (DER or PEM, over http as
certificate authorities publish them) and connects again with it among the certificates
chains are built from (:class:`Verifier`).

A fetched certificate is no trust anchor: every chain must still end at one of certifi's
roots (or of the settings' ``ca_file``), partial chains are refused, and a self-signed
certificate (a root) is never taken from a fetch, so one an attacker slipped into it
vouches for nothing.
"""

from __future__ import annotations

import logging
import ssl
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from urllib3 import PoolManager

from tdlc_syndication.pipeline.transport import TRANSPORT_ERRORS, exchange, peer_certificate

log = logging.getLogger(__name__)

# The caIssuers access method (1.3.6.1.5.5.7.48.2) of an Authority Information Access
# extension, in DER; its location follows as a URI (a GeneralName, tag [6]).
_CA_ISSUERS = bytes.fromhex("06082b06010505073002")
_URI = 0x86
_MAX_CHAIN = 2  # intermediates fetched one after another for one server
MAX_CERTIFICATE_BYTES = 65_536
# OpenSSL's words for a chain it could not complete (X509_V_ERR codes 20 and 21).
_MISSING_ISSUER = ("unable to get local issuer certificate", "unable to verify the first cert")


def missing_issuer(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) is a TLS verification that failed for want
    of an intermediate certificate."""
    seen: BaseException | None = error
    for _ in range(8):
        if seen is None:
            return False
        if any(words in str(seen) for words in _MISSING_ISSUER):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def ca_issuers(der: bytes) -> list[str]:
    """The addresses a certificate (DER) names for its issuer's certificate."""
    found = []
    at = der.find(_CA_ISSUERS)
    while at >= 0:
        start = at + len(_CA_ISSUERS)
        if start + 2 <= len(der) and der[start] == _URI:
            length, begin = _length(der, start + 1)
            if length is not None:
                found.append(der[begin : begin + length].decode("ascii", "replace"))
        at = der.find(_CA_ISSUERS, start)
    return found


def as_der(blob: bytes) -> bytes | None:
    """A certificate as DER: ``blob`` in DER, or its first PEM certificate; None for
    anything else."""
    if b"-----BEGIN CERTIFICATE-----" in blob[:4096]:
        text = blob.decode("ascii", "replace")
        begin = text.index("-----BEGIN CERTIFICATE-----")
        end = text.find("-----END CERTIFICATE-----", begin)
        if end < 0:
            return None
        try:
            return ssl.PEM_cert_to_DER_cert(text[begin : end + len("-----END CERTIFICATE-----")])
        except ValueError:
            return None
    return blob if blob[:1] == b"\x30" else None


def self_signed(der: bytes) -> bool:
    """Whether a certificate names itself as its issuer (a root), or cannot be read."""
    names = _issuer_and_subject(der)
    return names is None or names[0] == names[1]


def _length(der: bytes, at: int) -> tuple[int | None, int]:
    """The length of a DER value whose length octets start at ``at``, and where its
    content starts."""
    if at >= len(der):
        return None, at
    first = der[at]
    if first < 0x80:
        return first, at + 1
    count = first & 0x7F
    if not 0 < count <= 4 or at + 1 + count > len(der):
        return None, at
    return int.from_bytes(der[at + 1 : at + 1 + count], "big"), at + 1 + count


def _element(der: bytes, at: int) -> tuple[int, int, int] | None:
    """The tag of the DER element at ``at``, where its content starts and where it ends."""
    if at >= len(der):
        return None
    length, begin = _length(der, at + 1)
    if length is None or begin + length > len(der):
        return None
    return der[at], begin, begin + length


def _issuer_and_subject(der: bytes) -> tuple[bytes, bytes] | None:
    """The issuer's and the subject's names of a certificate, as DER (RFC 5280: the
    TBSCertificate's fourth and sixth fields, after an optional version)."""
    certificate = _element(der, 0)
    tbs = _element(der, certificate[1]) if certificate else None
    if tbs is None:
        return None
    fields: list[bytes] = []
    at = tbs[1]
    while at < tbs[2] and len(fields) < 7:
        element = _element(der, at)
        if element is None:
            return None
        if not (fields == [] and element[0] == 0xA0):  # the version
            fields.append(der[at : element[2]])
        at = element[2]
    # serialNumber, signature, issuer, validity, subject
    return (fields[2], fields[4]) if len(fields) >= 5 else None


class Verifier(ssl.SSLContext):
    """The one TLS context of a client: certifi's roots and the settings' ``ca_file``
    (loaded at its first connection: a run of http sources only does not load them), and
    the intermediates learnt from servers that leave theirs out (each server tried once in
    a process)."""

    def __new__(cls, ca_file: Path | None = None) -> Verifier:
        """A client context (TLS 1.2 at least, hostnames checked), of no roots yet."""
        return super().__new__(cls, ssl.PROTOCOL_TLS_CLIENT)

    def __init__(self, ca_file: Path | None = None) -> None:
        super().__init__()
        self.verify_flags &= ~ssl.VERIFY_X509_PARTIAL_CHAIN  # only roots anchor a chain
        self.ca_file = ca_file
        self._loaded = False
        self._tried: set[str] = set()
        self._lock = threading.Lock()

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        """As :meth:`ssl.SSLContext.wrap_socket`, with the roots loaded first."""
        if not self._loaded:
            self._load_roots()
        return super().wrap_socket(*args, **kwargs)

    def _load_roots(self) -> None:
        import certifi  # requests' bundle, as before: the same roots on every machine

        with self._lock:
            if self._loaded:
                return
            self.load_verify_locations(certifi.where())
            if self.ca_file is not None:
                self.load_verify_locations(str(self.ca_file))
            self._loaded = True

    def learn(self, server: str, leaf: Callable[[], bytes], fetch: Callable[[str], bytes]) -> bool:
        """Fetch the intermediates ``server``'s certificate (``leaf()``, DER) names and
        build chains with them from now on; False when it names none that could be used,
        or ``server`` was tried already. ``fetch(url)`` gets a certificate's bytes."""
        with self._lock:
            if server in self._tried:
                return False
            self._tried.add(server)
        der = leaf()
        learnt = False
        for _ in range(_MAX_CHAIN):
            issuer = next(
                (
                    fetched
                    for url in ca_issuers(der)[:2]
                    if url.startswith(("http://", "https://"))
                    and (fetched := as_der(fetch(url))) is not None
                ),
                None,
            )
            if issuer is None or self_signed(issuer):
                break
            try:
                self.load_verify_locations(cadata=issuer)
            except ssl.SSLError:
                break
            log.info("%s leaves out its intermediate certificate: fetched as it names", server)
            learnt, der = True, issuer
        return learnt


INCOMPLETE_CHAIN = (
    "; the server leaves out the intermediate certificate its own needs and names none "
    "that could be fetched: ask its operators to send the whole chain, or add the "
    "intermediate to [http] ca_file"
)


def learn_intermediate(
    verifier: Verifier, pool: PoolManager, url: str, allow_private: bool, timeout: float
) -> bool:
    """Have ``verifier`` learn the intermediate the server of ``url`` leaves out (see
    :meth:`Verifier.learn`), through guarded connections (``allow_private`` as the
    source's) within ``timeout`` seconds; whether it learnt one."""
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 443
    ends = time.monotonic() + timeout

    def leaf() -> bytes:
        with exchange(allow_private, ends - time.monotonic()):
            return peer_certificate(host, port, max(0.1, ends - time.monotonic()))

    def fetch(address: str) -> bytes:
        try:
            with exchange(allow_private, ends - time.monotonic()):
                answer = pool.urlopen(
                    "GET",
                    address,
                    timeout=max(0.1, ends - time.monotonic()),
                    redirect=False,
                    retries=False,
                    preload_content=False,
                )
                try:
                    return answer.read(MAX_CERTIFICATE_BYTES) if answer.status == 200 else b""
                finally:
                    answer.close()
                    answer.release_conn()
        except TRANSPORT_ERRORS:
            return b""

    try:
        return verifier.learn(f"{host}:{port}", leaf, fetch)
    except TRANSPORT_ERRORS:
        return False
