"""The fake over TLS: only the tenant's own host, a certificate the client can verify."""

from __future__ import annotations

import json
from pathlib import Path

from fakeapi import FakeAuth0, state_from_seed
from fakeapi.tls import connect_through, running_tls


def _fake() -> tuple[FakeAuth0, str]:
    fake = FakeAuth0(state_from_seed({"domain": "acme-dev.eu.auth0.com"}))
    return fake, fake.state.issue_token()


def test_the_tenant_answers_over_tls_under_its_own_name(tmp_path: Path) -> None:
    fake, _ = _fake()
    with running_tls(fake, tmp_path) as endpoint:
        raw = connect_through(endpoint, "/api/v2/resource-servers", "acme-dev.eu.auth0.com")
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 401")  # no token: Auth0's own refusal, through TLS
    assert json.loads(body)["statusCode"] == 401
    assert [e.raw_path for e in fake.exchanges] == ["/api/v2/resource-servers"]


def test_a_tunnel_to_any_other_host_is_refused(tmp_path: Path) -> None:
    fake, _ = _fake()
    with running_tls(fake, tmp_path) as endpoint:
        raw = connect_through(endpoint, "/", "api.pulumi.com")
    assert raw.startswith(b"HTTP/1.1 403")
    assert fake.exchanges == []


def test_the_environment_keeps_loopback_direct(tmp_path: Path) -> None:
    fake, _ = _fake()
    with running_tls(fake, tmp_path) as endpoint:
        env = endpoint.environment()
    assert env["HTTPS_PROXY"].startswith("http://127.0.0.1:")
    assert "127.0.0.1" in env["NO_PROXY"].split(",")
    assert Path(env["SSL_CERT_FILE"]).read_text().startswith("-----BEGIN CERTIFICATE-----")
