"""``tenantcfg audit`` as a user runs it: real HTTP, the fake on loopback.

The same command a pipeline runs against a real tenant; only AUTH0_DOMAIN points at
the fake (plain http is accepted for a loopback address only). One test runs the
command as a separate process; the others call it in this process.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from fakeapi.harness import AUDIT_SECRET, CREDENTIALS, PROD_SEED, ROOT, prod_fake
from fakeapi.server import running
from helpers.cli import run_cli


def _environment(url: str) -> dict[str, str]:
    env = {**os.environ, **CREDENTIALS, "AUTH0_DOMAIN": url}
    env.pop("AUTH0_API_TOKEN", None)
    return env


def _audit(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("audit", "--stack", "prod", *args, env=_environment(url))


def _audit_process(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tenantcfg", "audit", "--stack", "prod", *args],
        cwd=ROOT,
        env=_environment(url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_drift_made_over_http_is_reported_by_the_command() -> None:
    fake = prod_fake()
    with running(fake) as url:
        clean = _audit_process(url)
        with fake.client() as dashboard:
            dashboard.patch(
                "/api/v2/resource-servers/6643a1f2b7e9c8d4a5f60712",
                json={"subject_type_authorization": {"user": {"policy": "allow_all"}}},
            )
        drifted = _audit_process(url, "--format", "json")
    assert clean.returncode == 0, clean.stderr
    assert clean.stderr == ""
    assert "no drift" in clean.stdout
    assert drifted.returncode == 1, drifted.stderr
    assert [f["rule"] for f in json.loads(drifted.stdout)["findings"]] == ["MYACC-001"]
    for result in (clean, drifted):
        assert AUDIT_SECRET not in result.stdout + result.stderr
        for token in fake.issued:
            assert token not in result.stdout + result.stderr


@pytest.mark.slow
def test_against_python_m_tests_fakeapi_with_a_rate_limit() -> None:
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fakeapi",
            "--seed",
            str(PROD_SEED),
            "--port",
            "0",
            "--rate-limit-first",
            "1",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    ) as server:
        try:
            assert server.stdout is not None
            match = re.search(r"on (http://127\.0\.0\.1:\d+) ", server.stdout.readline())
            assert match
            result = _audit(match.group(1))
        finally:
            server.terminate()
    assert result.returncode == 0, result.stderr
    assert "rate limited reading the My Account API: waiting 1.0 s (Retry-After)" in result.stderr
    assert "no drift" in result.stdout


def test_a_tenant_that_is_not_there() -> None:
    # A loopback port nobody listens on: exit 2 with a message, no traceback.
    with running(prod_fake()) as url:
        pass
    result = _audit(url, "--timeout", "2")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "could not reach http://127.0.0.1:" in result.stderr
    assert "Traceback" not in result.stderr
