"""``tenantcfg import``: write a stack's spec from what its tenant already holds.

Read-only, exactly as ``audit`` reads (same credentials, retries and deadline). The
written spec adopts the API and every grant a spec can declare exactly, so the first
``pulumi up`` imports them and changes nothing; the rest is left out, commented in
the file and reported with the rule that judges it. Then the file is judged as the
audit would judge it against the tenant, so what is reported is what CI will say.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from tenantcfg.adapters.spec import view_of_spec
from tenantcfg.cli.tenantread import CREDENTIALS_HELP, Runtime, add_read_arguments, read_limits
from tenantcfg.cli.values import add_settings_arguments, settings_from
from tenantcfg.importing.draft import Draft, draft
from tenantcfg.importing.yamltext import LEFT_OUT_PREFIX, spec_text
from tenantcfg.inert.terminal import one_line
from tenantcfg.output.diff import as_markdown
from tenantcfg.output.findings import finding_lines
from tenantcfg.review.diff import compare
from tenantcfg.rules import evaluate
from tenantcfg.rules.placeholders import RULE as PLACEHOLDERS
from tenantcfg.spec.loader import MAX_APPLICATIONS, LoadedSpec, load_bytes, load_file
from tenantcfg.spec.model import Tenant
from tenantcfg.spec.problems import Mark, Problem, SpecError
from tenantcfg.stack.config import StackConfig, read_stack_config
from tenantcfg.stack.project import PROJECT, SPEC_KEY, STACK_NAME, default_spec_path

if TYPE_CHECKING:
    from tenantcfg.audit.live import LiveTenant
    from tenantcfg.review.located import Located

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT = 0, 1, 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``import`` sub-command."""
    parser = sub.add_parser(
        "import",
        help="write a stack's spec from what its tenant already holds (read-only)",
        description="Read the My Account API, its client grants and their applications, and "
        "write stacks/<stack>.yaml adopting them, with owner and justification left as "
        "FILL-IN placeholders; Pulumi.<stack>.yaml too when absent. An existing spec is "
        f"not overwritten without --force: the differences are shown. {CREDENTIALS_HELP} "
        "Exit 0 written and nothing to report, 1 the tenant holds something a rule "
        "rejects or the spec was not overwritten, 2 could not import.",
    )
    parser.add_argument("--stack", help="the stack: writes its spec (and its Pulumi.<stack>.yaml)")
    parser.add_argument(
        "--project-dir",
        type=Path,
        default=Path("."),
        help="directory holding Pulumi.yaml (default: current directory)",
    )
    parser.add_argument("--domain", help="the tenant's canonical domain, for a new stack")
    parser.add_argument(
        "--output", help="where to write the spec (default: the stack's spec path; - for stdout)"
    )
    parser.add_argument("--force", action="store_true", help="replace an existing spec")
    add_read_arguments(parser)
    add_settings_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``import`` against the real network and clock."""
    return execute(args, Runtime(os.environ, sys.stdout, sys.stderr))


def _usage(message: str) -> SpecError:
    return SpecError([Problem("(command line)", Mark(1, 1), "import", message)])


def _stack_config(args: argparse.Namespace) -> StackConfig | None:
    if args.stack is None:
        return None
    if not STACK_NAME.fullmatch(args.stack):
        raise _usage(
            f"{args.stack!r} is not a stack name: letters, digits, '-', '_' and '.', "
            "e.g. --stack prod-eu"
        )
    if not (args.project_dir / f"Pulumi.{args.stack}.yaml").exists():
        return None
    return read_stack_config(args.project_dir, args.stack)


def _destination(args: argparse.Namespace, config: StackConfig | None) -> Path | None:
    """Where the spec goes: None for standard output."""
    if args.output == "-":
        return None
    if args.output:
        return Path(args.output)
    if config is not None:
        return config.spec_path(args.project_dir)
    if args.stack is None:
        raise _usage("name the stack to import (--stack prod) or a file (--output FILE)")
    return Path(args.project_dir) / default_spec_path(args.stack)


def _domain(args: argparse.Namespace, config: StackConfig | None, out: Path | None) -> str:
    found = args.domain or (config.domain if config else None)
    if found is None and out is not None and out.exists():
        found = load_file(out).spec.tenant.domain
    if found is None:
        raise _usage("name the tenant: --domain acme.eu.auth0.com (or set auth0:domain)")
    try:
        return Tenant(domain=found).domain
    except ValidationError as e:
        reason = e.errors()[0]["msg"].removeprefix("Value error, ")
        raise _usage(f"--domain {found!r}: {reason}") from e


def _read(args: argparse.Namespace, rt: Runtime, domain: str, name: str) -> LiveTenant | None:
    from tenantcfg.audit.connect import check_endpoint, read_live
    from tenantcfg.audit.credentials import Redactor, from_env
    from tenantcfg.audit.errors import AuditFailure

    redact = Redactor()
    try:
        creds = from_env(rt.env, domain)
        redact = Redactor(creds.secrets())
        check_endpoint(creds, domain, name)
        return read_live(
            creds, redact, f"https://{domain}/me/", read_limits(args), rt.world(redact)
        )
    except AuditFailure as e:
        rt.stderr.write(redact(f"error: could not import tenant {domain}: {e}\n"))
        return None


def _stack_file(stack: str, domain: str, spec: str) -> str:
    return (
        "config:\n"
        f"  auth0:domain: {domain}\n"
        f"  {PROJECT}:{SPEC_KEY}: {spec}\n"
        "  # Credentials of the machine-to-machine application that deploys (see README):\n"
        "  #   pulumi config set auth0:clientId <id>\n"
        "  #   pulumi config set --secret auth0:clientSecret <secret>\n"
    )


def _judged(
    loaded: LoadedSpec, live: LiveTenant, args: argparse.Namespace, rt: Runtime, text: str
) -> list[Located]:
    """The audit's findings on the written spec; those on a left-out grant at its comment."""
    from tenantcfg.audit.findings import assess
    from tenantcfg.audit.view import application_names, grant_resource

    names = application_names(loaded)
    at: dict[str, Mark] = {}
    grants = {g.id: g for g in live.grants}
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(LEFT_OUT_PREFIX):
            grant = grants.get(line[len(LEFT_OUT_PREFIX) :].partition(",")[0])
            if grant is not None:
                at[grant_resource(names, grant)] = Mark(number, len(LEFT_OUT_PREFIX) + 1)
    return [
        dataclasses.replace(f, mark=at[f.resource]) if f.resource in at else f
        for f in assess(loaded, live, settings_from(args), rt.today)
    ]


def _unchanged_or_refused(out: Path, text: str, rt: Runtime) -> int | None:
    """None when ``out`` may be written; else the exit code, after saying why not."""
    old = out.read_bytes()
    if old == text.encode("utf-8"):
        rt.stderr.write(one_line(f"{out} already says what the tenant holds; unchanged") + "\n")
        return EXIT_OK
    base = load_file(out)
    head = load_bytes(text.encode("utf-8"), f"{out} (imported)")
    rt.stdout.write(as_markdown(compare(base.spec, head.spec, str(out), "the tenant")))
    rt.stderr.write(
        one_line(
            f"{out} exists and differs from the tenant (above); not overwritten: "
            "pass --force to replace it"
        )
        + "\n"
    )
    return EXIT_FINDINGS


def _summary(d: Draft, where: str, findings: list[Located], placeholders: int) -> str:
    return one_line(
        f"{where}: {len(d.apps)} applications adopted, {len(d.left_out)} grants left out, "
        f"{placeholders} values to fill in ({PLACEHOLDERS.id}), "
        f"{sum(f.blocking for f in findings)} findings that block"
    )


def execute(args: argparse.Namespace, rt: Runtime) -> int:
    """Read, write, judge; returns the exit code. Bad arguments raise SpecError."""
    config = _stack_config(args)
    out = _destination(args, config)
    domain = _domain(args, config, out)
    live = _read(args, rt, domain, str(out or "the imported spec"))
    if live is None:
        return EXIT_CANNOT
    d = draft(live, domain)
    if len(d.apps) > MAX_APPLICATIONS:
        raise _usage(
            f"tenant {domain} holds {len(d.apps):,} grants a spec could declare, more than "
            f"one spec may hold ({MAX_APPLICATIONS:,}); nothing was written"
        )
    text = spec_text(d, args.stack or (out.stem if out else domain))
    name = str(out) if out else "(standard output)"
    loaded = load_bytes(text.encode("utf-8"), name)  # never write what the loader refuses
    if out is None:
        rt.stdout.write(text)
    else:
        if out.exists() and not args.force:
            refused = _unchanged_or_refused(out, text, rt)
            if refused is not None:
                return refused
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        if args.stack and config is None:
            stack_file = args.project_dir / f"Pulumi.{args.stack}.yaml"
            spec = os.path.relpath(out, args.project_dir).replace(os.sep, "/")
            stack_file.write_text(_stack_file(args.stack, domain, spec), encoding="utf-8")
            rt.stderr.write(one_line(f"wrote {stack_file}") + "\n")
    findings = _judged(loaded, live, args, rt, text)
    placeholders = sum(f.rule.id == PLACEHOLDERS.id for f in evaluate(view_of_spec(loaded)))
    report = rt.stderr if out is None else rt.stdout
    for line in finding_lines(findings):
        report.write(line + "\n")
    rt.stderr.write(_summary(d, name, findings, placeholders) + "\n")
    return EXIT_FINDINGS if any(f.blocking for f in findings) else EXIT_OK
