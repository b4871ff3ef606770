"""Serve a :class:`FakeAuth0` over HTTPS under the tenant's own domain name, on loopback.

Programs that talk to Auth0 (the Pulumi auth0 provider, any HTTP client) reach the
fake through an ``HTTPS_PROXY`` on a loopback port: they send ``CONNECT
<tenant-domain>:443``, the fake answers ``200`` and then speaks TLS itself with a
certificate for that domain, issued by a throw-away certificate authority that the
client trusts through ``SSL_CERT_FILE``. So the client uses the tenant's real
domain name everywhere (``auth0:domain``, the audience ``https://<domain>/me/``) and
nothing but the fake ever sees its requests: a CONNECT to any other host is refused.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import _SocketWriter  # type: ignore[attr-defined]

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tenantcfg.audit.credentials import is_loopback

from .app import FakeAuth0
from .server import read_request, serving, write_response


@dataclass(frozen=True)
class Certificates:
    """A test certificate authority and one server certificate it issued."""

    ca: Path
    """PEM of the authority: the whole trust store of a client (``SSL_CERT_FILE``)."""
    cert: Path
    key: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_certificates(directory: Path, domain: str) -> Certificates:
    """A fresh authority and a certificate for ``domain`` and 127.0.0.1, valid for 2 days."""
    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("tenantcfg fake Auth0 test CA")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    san = x509.SubjectAlternativeName(
        [x509.DNSName(domain), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(domain))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(san, critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    paths = Certificates(directory / "ca.pem", directory / "server.pem", directory / "server.key")
    paths.ca.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    paths.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def make_tls_server(
    fake: FakeAuth0,
    certs: Certificates,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    verbose: bool = False,
) -> ThreadingHTTPServer:
    """A bound (not yet serving) CONNECT endpoint that answers as the tenant over TLS."""
    if not is_loopback(host):
        raise ValueError(f"the fake only listens on a loopback address, not {host!r}")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certs.cert, certs.key)
    lock = threading.Lock()  # the fake's state is not thread-safe; clients send in parallel
    domain = fake.state.domain

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        tunnelled = False

        def do_CONNECT(self) -> None:
            target, _, tport = self.path.rpartition(":")
            if self.tunnelled or target != domain or tport != "443":
                # Only the tenant's own host is served: nothing may leave the machine.
                self.send_error(403, f"this fake only serves {domain}:443")
                return
            self.send_response(200, "Connection established")
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.wfile.flush()
            try:
                self.connection = context.wrap_socket(self.connection, server_side=True)
            except (ssl.SSLError, OSError):
                self.close_connection = True
                return
            self.rfile = self.connection.makefile("rb", -1)
            self.wfile = _SocketWriter(self.connection)
            self.tunnelled = True

        def _serve(self) -> None:
            if not self.tunnelled:  # a plain proxy request: only CONNECT is spoken here
                self.send_error(405, "send CONNECT <tenant-domain>:443 first")
                return
            request = read_request(self, f"https://{domain}")
            try:
                with lock:
                    response = fake.handle(request)
            except httpx.TimeoutException:
                self.close_connection = True
                return
            write_response(self, response)

        do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _serve

        def finish(self) -> None:
            super().finish()
            if self.tunnelled:  # the server closes only the socket it accepted
                with contextlib.suppress(OSError):
                    self.connection.close()

        def log_message(self, format: str, *args: object) -> None:
            if verbose:
                super().log_message(format, *args)

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


@dataclass(frozen=True)
class Endpoint:
    """How a client reaches a running TLS fake."""

    proxy: str
    """``http://127.0.0.1:PORT``: the client's ``HTTPS_PROXY``."""
    certs: Certificates

    def environment(self) -> dict[str, str]:
        """The variables that send a process's HTTPS requests for the tenant to the fake."""
        # Loopback stays direct: the engine and its plugins talk gRPC on 127.0.0.1, and
        # Python's gRPC, unlike Go, would send that through the proxy too.
        direct = "127.0.0.1,localhost,::1"
        return {
            "HTTPS_PROXY": self.proxy,
            "https_proxy": self.proxy,
            "SSL_CERT_FILE": str(self.certs.ca),
            "NO_PROXY": direct,
            "no_proxy": direct,
        }


@contextmanager
def running_tls(fake: FakeAuth0, directory: Path) -> Iterator[Endpoint]:
    """Serve ``fake`` over TLS behind a loopback CONNECT endpoint, in a background thread."""
    certs = make_certificates(directory, fake.state.domain)
    with serving(make_tls_server(fake, certs)) as server:
        yield Endpoint(f"http://127.0.0.1:{server.server_address[1]}", certs)


def connect_through(endpoint: Endpoint, path: str, domain: str) -> bytes:
    """One raw HTTPS GET through the endpoint (for tests of the tunnel itself)."""
    port = int(endpoint.proxy.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        raw.sendall(f"CONNECT {domain}:443 HTTP/1.1\r\nHost: {domain}:443\r\n\r\n".encode())
        head = raw.recv(4096)
        if not head.startswith(b"HTTP/1.1 200"):
            return head
        context = ssl.create_default_context(cafile=str(endpoint.certs.ca))
        with context.wrap_socket(raw, server_hostname=domain) as tls:
            tls.sendall(
                f"GET {path} HTTP/1.1\r\nHost: {domain}\r\nConnection: close\r\n\r\n".encode()
            )
            chunks = []
            while chunk := tls.recv(65536):
                chunks.append(chunk)
            return b"".join(chunks)
