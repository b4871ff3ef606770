"""A misbehaving Management API never gets a clean audit, a traceback or a printed token.

Every answer the audit cannot read completely and exactly ends in exit 2 with a
message naming what was being read. Tested by table, one row per kind of answer.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from fakeapi import FakeAuth0, paging
from fakeapi.harness import AUDIT_SECRET, CREDENTIALS, Outcome, prod_fake, run_audit
from tenantcfg.audit import reader
from tenantcfg.audit.client import MAX_ANSWER_BYTES

GRANTS = "/api/v2/client-grants"
CLIENTS = "/api/v2/clients"
ME = "/api/v2/resource-servers/"


def _refused(fake: FakeAuth0, result: Outcome, *words: str) -> None:
    assert result.code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    for secret in (AUDIT_SECRET, *fake.issued):
        assert secret not in result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith("error: could not audit tenant acme.eu.auth0.com: "), last
    for word in words:
        assert word in last, last


Break = Callable[[FakeAuth0], object]

MALFORMED: dict[str, tuple[Break, str]] = {
    "token expires_in not a number": (
        lambda f: f.rewrite("/oauth/token", lambda b: {**b, "expires_in": "soon"}, method="POST"),
        "token",
    ),
    "token not JSON": (lambda f: f.malformed("/oauth/token", b"<html>", method="POST"), "token"),
    "JSON nested past the parser": (lambda f: f.malformed(GRANTS, b"[" * 200_000), "client grants"),
    "invalid UTF-8": (
        lambda f: f.malformed(GRANTS, b'{"client_grants": ["\xff\xfe\xfd"]}'),
        "client grants",
    ),
    "a list instead of a page": (lambda f: f.malformed(GRANTS, b"[]"), "client grants"),
    "a grant without an id": (
        lambda f: f.rewrite(
            GRANTS,
            lambda b: {
                **b,
                "client_grants": [
                    {k: v for k, v in g.items() if k != "id"} for g in b["client_grants"]
                ],
            },
        ),
        "a grant without an id",
    ),
    "the API under another identifier": (
        lambda f: f.rewrite(ME, lambda b: {**b, "identifier": "https://other.example/me/"}),
        "the answer describes 'https://other.example/me/'",
    ),
    "the API without an identifier": (
        lambda f: f.rewrite(ME, lambda b: {k: v for k, v in b.items() if k != "identifier"}),
        "My Account API",
    ),
    "grants of another audience": (
        lambda f: f.rewrite(
            GRANTS,
            lambda b: {
                **b,
                "client_grants": [
                    {**g, "audience": "https://acme.eu.auth0.com/me"} for g in b["client_grants"]
                ],
            },
        ),
        "the filter was not applied",
    ),
    "an application without app_type": (
        lambda f: f.rewrite(CLIENTS, _without("app_type"), times=None),
        "lacks app_type",
    ),
    "an application without is_first_party": (
        lambda f: f.rewrite(CLIENTS, _without("is_first_party"), times=None),
        "lacks is_first_party",
    ),
}


def _without(key: str) -> Callable[[Any], Any]:
    def change(body: Any) -> Any:
        if isinstance(body, dict) and "clients" in body:
            return {
                **body,
                "clients": [{k: v for k, v in c.items() if k != key} for c in body["clients"]],
            }
        return {k: v for k, v in body.items() if k != key}

    return change


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_answer_is_exit_2_naming_what(case: str) -> None:
    fake = prod_fake()
    breaker, named = MALFORMED[case]
    breaker(fake)
    _refused(fake, run_audit(fake), named)


@pytest.mark.parametrize(
    "retry_after",
    [
        "nan",
        "inf",
        "-inf",
        "-1",
        "1e999",
        "",
        "0x10",
        "Thu, 32 Foo 2026 25:61:61 GMT",
        "9" * 400,
        "\u0661",
    ],
)
def test_odd_retry_after_values_never_give_a_traceback(retry_after: str) -> None:
    fake = prod_fake()
    fake.rate_limit(GRANTS, times=None, retry_after=retry_after)
    result = run_audit(fake, "--max-retries", "2")
    _refused(fake, result, "client grants")


def test_an_empty_page_with_a_cursor_does_not_end_the_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "PAGE_SIZE", 1)
    fake = prod_fake()
    # The first page is empty but says where to go on from: before every grant.
    first_page_only = fake.rewrite(
        GRANTS, lambda b: {"client_grants": [], "next": paging.cursor_of("cgr_0")}
    )
    result = run_audit(fake, "--format", "json")
    assert first_page_only.hits == 1
    assert result.code in (0, 1)
    assert len(result.json()["read"]["client_grants"]) == len(
        [g for g in fake.state.grants.values() if g["audience"].endswith("/me/")]
    )


def test_an_answer_larger_than_the_limit_is_refused_before_it_is_read_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("tenantcfg.audit.transport.MAX_ANSWER_BYTES", 64 * 1024)
    fake = prod_fake()
    fake.malformed(GRANTS, b'{"client_grants": [' + b'{"id": "x"},' * 100_000 + b"{}]}")
    _refused(fake, run_audit(fake), "larger than")
    assert MAX_ANSWER_BYTES == 16 * 1024 * 1024


@contextmanager
def _slow_drip(seconds_per_byte: float) -> Iterator[int]:
    """A loopback server that answers every request one byte at a time, forever."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                conn.sendall(head + b"Content-Length: 100000\r\n\r\n")
                while not stop.is_set():
                    try:
                        conn.sendall(b" ")
                    except OSError:
                        break
                    time.sleep(seconds_per_byte)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        server.close()


@pytest.mark.slow
def test_a_slow_drip_answer_is_bounded_by_the_audit_deadline() -> None:
    import io

    from fakeapi.harness import ROOT
    from tenantcfg.cli import build_parser
    from tenantcfg.cli.audit import execute
    from tenantcfg.cli.tenantread import Runtime

    with _slow_drip(0.05) as port:
        argv = [
            "audit",
            "--stack",
            "prod",
            "--project-dir",
            str(ROOT),
            "--timeout",
            "0.5",
            "--deadline",
            "1",
        ]
        out, err = io.StringIO(), io.StringIO()
        env = {**CREDENTIALS, "AUTH0_DOMAIN": f"http://127.0.0.1:{port}"}
        start = time.monotonic()
        code = execute(build_parser().parse_args(argv), Runtime(env, out, err))
        elapsed = time.monotonic() - start
    assert code == 2
    assert elapsed < 10
    assert "ran past its deadline" in err.getvalue()
