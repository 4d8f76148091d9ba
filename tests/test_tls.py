"""HTTPS against a real TLS server on 127.0.0.1 whose certificate chain is made here: a
server that leaves out its intermediate certificate is read once the intermediate its
certificate names is fetched, as browsers do; nothing fetched so is trusted by itself."""

from __future__ import annotations

import datetime as dt
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID
from pytest_httpserver import HTTPServer

from tdlc_syndication.config.errors import ConfigError
from tdlc_syndication.config.loader import DEMO_CONFIG, load_settings
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.intermediates import as_der, ca_issuers, self_signed
from tdlc_syndication.pipeline.ledger import RunReport
from tdlc_syndication.pipeline.run import run_source
from tdlc_syndication.pipeline.store import Store

FEED = (DEMO_CONFIG.parent / "demo" / "feeds" / "tdlc-blog.rss").read_bytes()
MakeContext = Callable[[Path], Context]
_DAY = dt.timedelta(days=1)


@dataclass
class Issued:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def _issue(
    name: str, issuer: Issued | None, *, ca: bool, hosts: tuple[str, ...] = (), aia: str = ""
) -> Issued:
    """A certificate for ``name`` signed by ``issuer`` (itself when None)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _DAY)
        .not_valid_after(now + 30 * _DAY)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        usage = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
        builder = builder.add_extension(usage, critical=True)
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), False
        )
    builder = builder.add_extension(
        x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
    )
    if hosts:
        names = [x509.DNSName(host) for host in hosts]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    if aia:
        access = x509.AccessDescription(
            AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(aia)
        )
        builder = builder.add_extension(x509.AuthorityInformationAccess([access]), False)
    signer = issuer.key if issuer else key
    return Issued(key, builder.sign(signer, hashes.SHA256()))


class _Feed(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(FEED)))
        self.end_headers()
        self.wfile.write(FEED)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Start HTTPS servers on 127.0.0.1 that present ``chain`` (their certificate first);
    each call gives a server's feed address at localhost."""
    servers: list[ThreadingHTTPServer] = []

    def start(leaf: Issued, *chain: Issued) -> str:
        cert = tmp_path / f"server-{len(servers)}.pem"
        cert.write_bytes(b"".join(c.pem() for c in (leaf, *chain)))
        key = tmp_path / f"server-{len(servers)}.key"
        key.write_bytes(
            leaf.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"https://localhost:{server.server_address[1]}/feed"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def root(tmp_path: Path) -> Issued:
    """The test's root, written to ``roots.pem`` (the settings' ``ca_file``)."""
    made = _issue("Test Root", None, ca=True)
    (tmp_path / "roots.pem").write_bytes(made.pem())
    return made


Read = Callable[[str], tuple[Context, RunReport]]


@pytest.fixture
def read(write_config: Callable[..., Path], make_context: MakeContext) -> Read:
    """Run a feed source at ``url`` (on 127.0.0.1) with the test's root as ``ca_file``."""

    def run(url: str) -> tuple[Context, RunReport]:
        source = f'[[sources]]\nid = "src"\nkind = "feed"\nurl = "{url}"\nallow_private = true\n'
        ctx = make_context(write_config(source, http='ca_file = "roots.pem"'))
        store = Store(ctx.settings.site.database)
        return ctx, run_source(ctx, ctx.settings.source("src"), store)

    return run


def test_a_server_that_leaves_out_its_intermediate_is_read_with_the_one_it_names(
    root: Issued,
    server: HTTPServer,
    tls_server: Callable[..., str],
    read: Read,
) -> None:
    """Municipal sites often send their certificate alone: browsers fetch the
    intermediate its Authority Information Access names and show the page; such a source
    failed at every run ("unable to get local issuer certificate")."""
    intermediate = _issue("Test Intermediate", root, ca=True)
    server.expect_request("/ca/intermediate.crt").respond_with_data(
        intermediate.der(), content_type="application/pkix-cert"
    )
    leaf = _issue(
        "localhost", intermediate, ca=False, hosts=("localhost",),
        aia=server.url_for("/ca/intermediate.crt"),
    )  # fmt: skip
    url = tls_server(leaf)  # its certificate alone
    ctx, report = read(url)
    assert report.status == "ok", report.error
    with ctx.open_store() as store:
        assert len(store.items("src")) > 0
    assert [request.path for request, _ in server.log] == ["/ca/intermediate.crt"]


def test_a_server_that_names_no_intermediate_says_what_to_do(
    root: Issued,
    tls_server: Callable[..., str],
    read: Read,
) -> None:
    intermediate = _issue("Test Intermediate", root, ca=True)
    url = tls_server(_issue("localhost", intermediate, ca=False, hosts=("localhost",)))
    _, report = read(url)
    assert report.status == "failed"
    assert "unable to get local issuer certificate" in (report.error or "")
    assert "ask its operators to send the whole chain" in (report.error or "")
    assert "ca_file" in (report.error or "")


def test_a_root_slipped_into_the_fetch_vouches_for_nothing(
    root: Issued,
    server: HTTPServer,
    tls_server: Callable[..., str],
    read: Read,
) -> None:
    """What the certificate names is fetched over http: an attacker in between could
    answer with a root of their own. A self-signed certificate is never taken, and one
    that is not must still chain to a trusted root (no partial chains)."""
    impostor = _issue("Impostor Root", None, ca=True)
    server.expect_request("/ca/root.crt").respond_with_data(impostor.der())
    leaf = _issue(
        "localhost", impostor, ca=False, hosts=("localhost",), aia=server.url_for("/ca/root.crt")
    )
    _, report = read(tls_server(leaf))
    assert report.status == "failed"
    assert "certificate verify failed" in (report.error or "")

    stranger = _issue("Stranger Intermediate", impostor, ca=True)  # not self-signed
    server.expect_request("/ca/stranger.crt").respond_with_data(stranger.der())
    leaf = _issue(
        "localhost", stranger, ca=False, hosts=("localhost",),
        aia=server.url_for("/ca/stranger.crt"),
    )  # fmt: skip
    _, report = read(tls_server(leaf))
    assert report.status == "failed"
    assert "certificate verify failed" in (report.error or "")


def test_the_shared_context_still_checks_the_host_name(
    root: Issued,
    tls_server: Callable[..., str],
    read: Read,
) -> None:
    intermediate = _issue("Test Intermediate", root, ca=True)
    leaf = _issue("elsewhere", intermediate, ca=False, hosts=("elsewhere.example.org",))
    _, report = read(tls_server(leaf, intermediate))
    assert report.status == "failed"
    assert "Hostname mismatch" in (report.error or ""), report.error


def test_certificates_are_read_as_authorities_publish_them(root: Issued) -> None:
    intermediate = _issue("Test Intermediate", root, ca=True)
    leaf = _issue("a", intermediate, ca=False, aia="http://ca.example.org/i.crt")
    assert ca_issuers(leaf.der()) == ["http://ca.example.org/i.crt"]
    assert ca_issuers(intermediate.der()) == []
    assert as_der(intermediate.pem()) == intermediate.der()
    assert as_der(intermediate.der()) == intermediate.der()
    assert as_der(b"<html>not found</html>") is None
    assert self_signed(root.der())
    assert not self_signed(intermediate.der())
    assert self_signed(b"\x30\x03\x02\x01\x00")  # unreadable: never taken


@pytest.mark.parametrize(
    ("content", "words"),
    [(None, "No such file"), (b"not a certificate", "holds no certificate")],
)
def test_a_ca_file_that_cannot_be_used_is_a_settings_error(
    tmp_path: Path, write_config: Callable[..., Path], content: bytes | None, words: str
) -> None:
    if content is not None:
        (tmp_path / "roots.pem").write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        load_settings(write_config(http='ca_file = "roots.pem"'))
    text = "\n".join(caught.value.problems)
    assert "http.ca_file" in text
    assert words.lower() in text.lower()
