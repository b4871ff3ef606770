"""``tenantcfg audit``: read a live tenant through the Management API and judge it.

Read-only: it needs ``read:resource_servers``, ``read:client_grants`` and
``read:clients``, and sends nothing but GETs (and the token request). Exit 0 when the
tenant matches the spec and breaks no mandatory rule, 1 on findings, 2 when the
tenant could not be read completely; a partial read is never reported as clean.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tenantcfg.audit.credentials import Redactor, from_env
from tenantcfg.audit.errors import AuditFailure
from tenantcfg.audit.findings import assess
from tenantcfg.audit.render import Context, render
from tenantcfg.cli.target import add_target_arguments, resolve_target
from tenantcfg.cli.tenantread import (
    CREDENTIALS_HELP,
    Runtime,
    add_read_arguments,
    read_limits,
)
from tenantcfg.cli.values import add_settings_arguments, settings_from
from tenantcfg.inert.terminal import one_line
from tenantcfg.output.findings import FORMATS

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT_AUDIT = 0, 1, 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``audit`` sub-command."""
    parser = sub.add_parser(
        "audit",
        help="read a live tenant (read-only) and report drift from the spec",
        description="Read the My Account API, its client grants and the applications they "
        "name through the Management API, judge them with the policy rules and compare them "
        f"with the spec. {CREDENTIALS_HELP} Exit 0 no drift, 1 findings, 2 could not audit.",
    )
    add_target_arguments(parser)
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--output", type=Path, help="write to this file instead of stdout")
    add_read_arguments(parser)
    add_settings_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``audit`` against the real network and clock."""
    return execute(args, Runtime(os.environ, sys.stdout, sys.stderr))


def execute(args: argparse.Namespace, rt: Runtime) -> int:
    """Read, judge, report; returns the exit code. Invalid specs raise SpecError."""
    # httpx and auth0-python (a good part of a second) load only when a tenant is read.
    from tenantcfg.audit.connect import check_endpoint, read_live  # noqa: PLC0415

    loaded = resolve_target(args).loaded
    redact = Redactor()
    try:
        creds = from_env(rt.env, loaded.spec.tenant.domain)
        redact = Redactor(creds.secrets())
        check_endpoint(creds, loaded.spec.tenant.domain, loaded.file)
        live = read_live(creds, redact, loaded.spec.audience, read_limits(args), rt.world(redact))
    except AuditFailure as e:
        message = f"error: could not audit tenant {loaded.spec.tenant.domain}: {e}"
        rt.stderr.write(redact(one_line(message)) + "\n")
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
