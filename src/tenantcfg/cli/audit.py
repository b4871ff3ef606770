"""``tenantcfg audit``: read a live tenant through the Management API and judge it.

Read-only: it needs ``read:resource_servers``, ``read:client_grants`` and
``read:clients``, and sends nothing but GETs (and the token request). Exit 0 when the
tenant matches the spec and breaks no mandatory rule, 1 on findings, 2 when the
tenant could not be read completely; a partial read is never reported as clean.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tenantcfg.audit.credentials import Credentials, Redactor, from_env
from tenantcfg.audit.errors import AuditFailure
from tenantcfg.audit.findings import assess
from tenantcfg.audit.live import LiveTenant
from tenantcfg.audit.render import Context, render
from tenantcfg.audit.retry import RetryPolicy
from tenantcfg.cli.target import add_target_arguments, resolve_target
from tenantcfg.cli.values import (
    add_settings_arguments,
    count,
    positive_seconds,
    settings_from,
)
from tenantcfg.output.findings import FORMATS
from tenantcfg.spec.loader import LoadedSpec

if TYPE_CHECKING:
    # Only for hints: httpx and auth0-python (a good part of a second to import), and the
    # audit's modules that bring them in (client, reader), are imported by the function
    # that reads the tenant, so that every other command does not pay for ``audit``.
    import httpx

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT_AUDIT = 0, 1, 2


@dataclass(frozen=True)
class Runtime:
    """The outside world the command touches; tests replace the transport and the clock."""

    env: Mapping[str, str]
    stdout: TextIO
    stderr: TextIO
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    today: dt.date | None = None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``audit`` sub-command."""
    parser = sub.add_parser(
        "audit",
        help="read a live tenant (read-only) and report drift from the spec",
        description="Read the My Account API, its client grants and the applications they "
        "name through the Management API, judge them with the policy rules and compare them "
        "with the spec. Credentials: AUTH0_DOMAIN (default: the spec's domain) and "
        "AUTH0_API_TOKEN, or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET; only read:resource_servers, "
        "read:client_grants and read:clients are needed. Exit 0 no drift, 1 findings, "
        "2 could not audit.",
    )
    add_target_arguments(parser)
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--output", type=Path, help="write to this file instead of stdout")
    parser.add_argument(
        "--timeout",
        type=positive_seconds,
        default=30.0,
        metavar="SECONDS",
        help="per request (default 30)",
    )
    parser.add_argument(
        "--deadline",
        type=positive_seconds,
        default=600.0,
        metavar="SECONDS",
        help="the whole audit, every request and wait included (default 600)",
    )
    parser.add_argument(
        "--max-retries",
        type=count,
        default=5,
        metavar="N",
        help="retries of a rate-limited read (default 5)",
    )
    parser.add_argument(
        "--max-wait",
        type=positive_seconds,
        default=120.0,
        metavar="SECONDS",
        help="longest single wait a rate limit may ask for (default 120)",
    )
    add_settings_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``audit`` against the real network and clock."""
    return execute(args, Runtime(os.environ, sys.stdout, sys.stderr))


def _check_domain(creds: Credentials, loaded: LoadedSpec) -> None:
    endpoint, domain = creds.endpoint, loaded.spec.tenant.domain
    if not endpoint.is_loopback and endpoint.hostname != domain:
        raise AuditFailure(
            f"AUTH0_DOMAIN is {endpoint.host} but {loaded.file} describes "
            f"tenant {domain}: one tenant judged against another's spec would "
            f"be all drift. Set AUTH0_DOMAIN={domain} or audit with that "
            "tenant's spec"
        )


def _read(
    args: argparse.Namespace, rt: Runtime, creds: Credentials, redact: Redactor, audience: str
) -> LiveTenant:
    # httpx and auth0-python: see the TYPE_CHECKING block above.
    from tenantcfg.audit.client import Session, TokenSource, http_client, management_client
    from tenantcfg.audit.reader import read_tenant

    def progress(message: str) -> None:
        rt.stderr.write(redact(f"{message}\n"))
        rt.stderr.flush()

    deadline = rt.clock() + args.deadline
    with http_client(creds, args.timeout, rt.transport, deadline=deadline, clock=rt.clock) as http:
        tokens = TokenSource(http, creds, redact)
        session = Session(
            management_client(creds, http, tokens, args.timeout),
            tokens,
            redact,
            creds.endpoint.base_url,
            args.timeout,
            RetryPolicy(args.max_retries, args.max_wait),
            rt.sleep,
            rt.clock,
            progress,
        )
        session.start()
        return read_tenant(session, audience)


def execute(args: argparse.Namespace, rt: Runtime) -> int:
    """Read, judge, report; returns the exit code. Invalid specs raise SpecError."""
    loaded = resolve_target(args).loaded
    redact = Redactor()
    try:
        creds = from_env(rt.env, loaded.spec.tenant.domain)
        redact = Redactor(creds.secrets())
        _check_domain(creds, loaded)
        live = _read(args, rt, creds, redact, loaded.spec.audience)
    except AuditFailure as e:
        rt.stderr.write(redact(f"error: could not audit tenant {loaded.spec.tenant.domain}: {e}\n"))
        return EXIT_CANNOT_AUDIT
    findings = assess(
        loaded,
        live,
        settings_from(args),
        rt.today,
    )
    text = redact(render(Context(creds.endpoint.host, loaded.file, live), findings, args.format))
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        rt.stdout.write(text)
    return EXIT_FINDINGS if any(f.blocking for f in findings) else EXIT_OK
