"""``tenantcfg audit`` fails loudly: every way the tenant cannot be read completely is exit 2.

Never "no findings" on a partial read; a clear message on stderr naming what was
being read and what to do; rate limits waited out as the answer asks, a bounded
number of times; and no secret or token in anything it prints or logs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
import pytest

from fakeapi import FakeAuth0, Fault
from fakeapi.harness import AUDIT_SECRET, CREDENTIALS, NOW, Outcome, prod_fake, run_audit
from tenantcfg.audit import reader

GRANTS = "/api/v2/client-grants"
ME = "/api/v2/resource-servers/https%3A%2F%2Facme.eu.auth0.com%2Fme%2F"


def _failed(result: Outcome, *words: str) -> None:
    assert result.code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""  # nothing that could pass for a report
    last = result.stderr.splitlines()[-1]  # progress lines may come first
    assert last.startswith("error: could not audit tenant acme.eu.auth0.com: ")
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.fixture
def two_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """One grant per page: the two grants of the prod tenant come on two pages."""
    monkeypatch.setattr(reader, "PAGE_SIZE", 1)


def test_wrong_client_secret() -> None:
    result = run_audit(prod_fake(), env={**CREDENTIALS, "AUTH0_CLIENT_SECRET": "not-it-0000"})
    _failed(
        result,
        "token endpoint refused the client credentials (401: Unauthorized)",
        "AUTH0_CLIENT_SECRET",
    )


def test_rejected_static_token() -> None:
    result = run_audit(prod_fake(), env={"AUTH0_API_TOKEN": "expired-token-value-123"})
    _failed(
        result,
        "refused the token reading the My Account API (401 Unauthorized",
        "AUTH0_API_TOKEN (expired?)",
    )


def test_token_without_a_scope_is_refused_before_reading() -> None:
    fake = prod_fake()
    fake.state.add_credential(
        "m2m", "m2m-secret-abcdef", {"read:resource_servers", "read:client_grants"}
    )
    result = run_audit(
        fake, env={"AUTH0_CLIENT_ID": "m2m", "AUTH0_CLIENT_SECRET": "m2m-secret-abcdef"}
    )
    _failed(result, "the Management API token lacks read:clients.")
    assert [e.raw_path for e in fake.exchanges] == ["/oauth/token"]


def test_403_names_the_missing_scope() -> None:
    fake = prod_fake()
    token = fake.state.issue_token({"read:resource_servers", "read:clients"})
    result = run_audit(fake, env={"AUTH0_API_TOKEN": token})
    _failed(
        result,
        "lacks read:client_grants, needed to read client grants (page 1)",
        "403 Forbidden: Insufficient scope, expected any of: read:client_grants",
    )
    assert token not in result.stderr


def test_429_then_success_waits_what_retry_after_asks() -> None:
    fake = prod_fake()
    fake.rate_limit(GRANTS, times=2, retry_after="3")
    result = run_audit(fake)
    assert result.code == 0, result.stderr
    assert result.sleeps == [3.0, 3.0]
    assert (
        "rate limited reading client grants (page 1): waiting 3.0 s (Retry-After), retry 1 of 5"
    ) in result.stderr
    assert "no drift" in result.stdout


def test_429_waits_until_x_ratelimit_reset() -> None:
    fake = prod_fake()
    fake.rate_limit("/api/v2/clients/", reset_in=7)
    result = run_audit(fake)
    assert result.code == 0, result.stderr
    assert result.sleeps == [7.0]
    assert "waiting 7.0 s (X-RateLimit-Reset)" in result.stderr


def test_429_on_the_token_endpoint_is_retried_too() -> None:
    fake = prod_fake()
    fake.inject(Fault("/oauth/token", method="POST", status=429, retry_after="1"))
    result = run_audit(fake)
    assert result.code == 0, result.stderr
    assert result.sleeps == [1.0]


def test_429_forever_gives_up_after_the_bounded_retries() -> None:
    fake = prod_fake()
    fake.rate_limit(ME, times=None, retry_after="2")
    result = run_audit(fake, "--max-retries", "3")
    _failed(result, "still rate limited reading the My Account API after 3 retries")
    assert result.sleeps == [2.0, 2.0, 2.0]


def test_a_rate_limit_asking_for_too_long_a_wait_gives_up_at_once() -> None:
    fake = prod_fake()
    fake.rate_limit(ME, reset_in=3600)
    result = run_audit(fake)
    _failed(result, "asks to wait 3600 s (X-RateLimit-Reset), more than 120 s")
    assert result.sleeps == []


def test_all_pages_are_read(two_pages: None) -> None:
    fake = prod_fake()
    result = run_audit(fake, "--format", "json")
    assert result.code == 0, result.stderr
    assert len(result.json()["read"]["client_grants"]) == 2
    assert "reading client grants: page 2 (1 so far)" in result.stderr
    pages = [e.query for e in fake.exchanges if e.operation == "get /client-grants"]
    assert len(pages) == 2  # the second answers without "next"
    assert all(q["take"] == ["1"] for q in pages)
    assert "from" not in pages[0]
    assert pages[1]["from"]


def test_a_page_that_fails(two_pages: None) -> None:
    fake = prod_fake()
    fake.fail(GRANTS, 500, later_pages_only=True)
    result = run_audit(fake)
    _failed(result, "answered 500 reading client grants (page 2)", "nothing was judged")


def test_a_page_cut_off(two_pages: None) -> None:
    fake = prod_fake()
    fake.truncate(GRANTS)
    result = run_audit(fake)
    _failed(result, "reading client grants (page 2) is not valid JSON (cut off?)")


def test_a_timeout(two_pages: None) -> None:
    fake = prod_fake()
    fake.time_out(GRANTS)
    result = run_audit(fake, "--timeout", "4")
    _failed(result, "timed out after 4 s reading client grants (page 1)", "--timeout")


def test_a_timeout_on_a_later_page(two_pages: None) -> None:
    fake = prod_fake()
    fake.inject(Fault(GRANTS, timeout=True, later_pages_only=True))
    _failed(run_audit(fake), "timed out after 30 s reading client grants (page 2)")


def test_an_unreachable_host(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    fake = prod_fake()
    monkeypatch.setattr(fake, "transport", lambda: httpx.MockTransport(refuse))
    _failed(run_audit(fake), "could not reach https://acme.eu.auth0.com", "(ConnectError)")


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({}, "no credentials: set AUTH0_API_TOKEN, or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET"),
        ({"AUTH0_CLIENT_ID": "x"}, "AUTH0_CLIENT_SECRET is not set"),
        (
            {**CREDENTIALS, "AUTH0_DOMAIN": "acme-dev.eu.auth0.com"},
            "AUTH0_DOMAIN is acme-dev.eu.auth0.com but",
        ),
        ({**CREDENTIALS, "AUTH0_DOMAIN": "http://acme.eu.auth0.com"}, "uses plain http"),
    ],
)
def test_unusable_settings(env: dict[str, str], words: str) -> None:
    fake = prod_fake()
    _failed(run_audit(fake, env=env), words)
    assert fake.exchanges == []  # nothing was sent


SCENARIOS: dict[str, Callable[[FakeAuth0], object]] = {
    "clean": lambda f: None,
    "drift": lambda f: f.client().delete("/api/v2/client-grants/cgr_7mNb3VcX1zLk5JhG"),
    "401": lambda f: f.state.credentials.clear(),
    "403": lambda f: f.fail(GRANTS, 403, message="read:client_grants"),
    "429": lambda f: f.rate_limit(GRANTS, times=None, retry_after="1"),
    "truncated": lambda f: f.truncate(GRANTS, later_pages_only=False),
    "timeout": lambda f: f.time_out("/api/v2/clients/"),
}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=list(SCENARIOS))
@pytest.mark.parametrize("form", ["text", "json", "sarif"])
def test_no_secret_or_token_in_any_output_or_log(
    scenario: str, form: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake: FakeAuth0 = prod_fake()
    SCENARIOS[scenario](fake)
    with caplog.at_level(logging.DEBUG):
        result = run_audit(fake, "--format", form, "--max-retries", "1")
    said = result.stdout + result.stderr + caplog.text
    assert AUDIT_SECRET not in said
    for token in fake.issued:
        assert token not in said
    assert result.code == {"clean": 0, "drift": 1}.get(scenario, 2)


def test_a_static_token_never_shows_even_when_echoed() -> None:
    # Belt and braces: if an answer ever quoted the token, the output would still not.
    fake = prod_fake()
    token = fake.state.issue_token({"read:resource_servers", "read:clients"})
    fake.fail(GRANTS, 403, message=f"read:client_grants (token {token})")
    result = run_audit(fake, env={"AUTH0_API_TOKEN": token})
    assert result.code == 2
    assert token not in result.stderr
    assert "[REDACTED]" in result.stderr


def test_the_fixed_clock_is_shared() -> None:
    # The X-RateLimit-Reset test above relies on both sides seeing NOW.
    fake = prod_fake()
    with fake.client() as dashboard:
        answer = dashboard.get("/api/v2/client-grants")
    assert answer.headers["x-ratelimit-reset"] == str(int(NOW) + 1)
