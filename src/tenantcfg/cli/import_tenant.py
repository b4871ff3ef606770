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

from tenantcfg.audit.credentials import Redactor, from_env
from tenantcfg.audit.errors import AuditFailure
from tenantcfg.audit.findings import assess
from tenantcfg.audit.live import LiveTenant
from tenantcfg.audit.view import application_names, grant_resource
from tenantcfg.cli.target import add_project_dir
from tenantcfg.cli.tenantread import CREDENTIALS_HELP, Runtime, add_read_arguments, read_limits
from tenantcfg.cli.values import add_settings_arguments, settings_from
from tenantcfg.importing.draft import Draft, draft
from tenantcfg.importing.quoting import scalar
from tenantcfg.importing.yamltext import LEFT_OUT_PREFIX, spec_text
from tenantcfg.inert.terminal import one_line
from tenantcfg.output.diff import as_markdown
from tenantcfg.output.findings import finding_lines
from tenantcfg.review.diff import compare
from tenantcfg.rules.placeholders import RULE as PLACEHOLDERS
from tenantcfg.spec.loader import MAX_APPLICATIONS, LoadedSpec, load_bytes, load_file
from tenantcfg.spec.model import Tenant
from tenantcfg.spec.placeholders import find_placeholders
from tenantcfg.spec.problems import Mark, Problem, SpecError
from tenantcfg.stack.config import StackConfig, read_stack_config
from tenantcfg.stack.project import (
    PROJECT,
    SPEC_KEY,
    STACK_NAME,
    default_spec_path,
    normalise_domain,
    spec_outside,
)

if TYPE_CHECKING:
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
    add_project_dir(parser)
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
            f"{args.stack!r} is not a stack name: lower-case letters, digits and hyphens, "
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
    configured = normalise_domain(config.domain) if config and config.domain else None
    if args.domain and configured and args.domain != configured:
        raise _usage(
            f"--domain {args.domain!r}, but {config.file if config else ''} says auth0:domain "
            f"{configured!r}: one stack is one tenant; leave --domain out or fix the config"
        )
    found = args.domain or configured
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
    # httpx and auth0-python (a good part of a second) load only when a tenant is read.
    from tenantcfg.audit.connect import check_endpoint, read_live  # noqa: PLC0415

    redact = Redactor()
    try:
        creds = from_env(rt.env, domain)
        redact = Redactor(creds.secrets())
        check_endpoint(creds, domain, name)
        return read_live(
            creds, redact, f"https://{domain}/me/", read_limits(args), rt.world(redact)
        )
    except AuditFailure as e:
        rt.stderr.write(redact(one_line(f"error: could not import tenant {domain}: {e}")) + "\n")
        return None


def _stack_file(domain: str, spec: str) -> str:
    return (
        "config:\n"
        f"  auth0:domain: {scalar(domain)}\n"
        f"  {PROJECT}:{SPEC_KEY}: {scalar(spec)}\n"
        "  # Credentials of the machine-to-machine application that deploys (see README):\n"
        "  #   pulumi config set auth0:clientId <id>\n"
        "  #   pulumi config set --secret auth0:clientSecret <secret>\n"
    )


def _judged(
    loaded: LoadedSpec, live: LiveTenant, args: argparse.Namespace, rt: Runtime, text: str
) -> list[Located]:
    """The audit's findings on the written spec; those on a left-out grant at its comment."""
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


def _refused(out: Path, imported: LoadedSpec, rt: Runtime) -> int:
    """Show how ``out`` differs from the tenant, and leave it as it is."""
    rt.stdout.write(
        as_markdown(compare(load_file(out).spec, imported.spec, str(out), "the tenant"))
    )
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


def _checked_destination(args: argparse.Namespace, out: Path, writes_config: bool) -> None:
    """Refuse a destination that is a symbolic link, or outside the project when it must not be.

    A checkout can hold planted links (``stacks/`` pointing elsewhere, a dangling
    ``stacks/prod.yaml``): the import writes only regular files it can see are inside.
    """
    project = Path(args.project_dir).resolve()
    stack_file = Path(args.project_dir) / f"Pulumi.{args.stack}.yaml"
    for path in (out, stack_file) if writes_config else (out,):
        if path.is_symlink():
            raise _usage(f"{path} is a symbolic link; the import writes only regular files")
    relative = os.path.relpath(out.absolute(), project)
    inside = spec_outside(relative.replace(os.sep, "/"), project)
    if inside is not None and (writes_config or args.output is None):
        raise _usage(f"{out}: {inside}; write the spec inside the project (stacks/<stack>.yaml)")


def _write(path: Path, text: str, *, replace: bool) -> None:
    """Write ``text`` to ``path`` without following a link there, creating it unless ``replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | (os.O_TRUNC if replace else os.O_EXCL)
    with os.fdopen(os.open(path, flags, 0o644), "w", encoding="utf-8") as f:
        f.write(text)


def _loaded(text: str, name: str) -> LoadedSpec:
    """The written text read back by the strict loader; nothing is written if it refuses."""
    try:
        return load_bytes(text.encode("utf-8"), name)
    except SpecError as e:
        note = Problem(
            name,
            Mark(1, 1),
            "import",
            "the tenant holds a value no spec can hold as it is (above); nothing was written",
        )
        raise SpecError([*e.problems, note]) from e


def execute(args: argparse.Namespace, rt: Runtime) -> int:
    """Read, write, judge; returns the exit code. Bad arguments raise SpecError."""
    config = _stack_config(args)
    out = _destination(args, config)
    writes_config = bool(args.stack) and config is None and out is not None
    if out is not None:
        _checked_destination(args, out, writes_config)
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
    loaded = _loaded(text, name)
    if out is None:
        rt.stdout.write(text)
    elif out.exists() and out.read_bytes() == text.encode("utf-8"):
        rt.stderr.write(one_line(f"{out} already says what the tenant holds; unchanged") + "\n")
    elif out.exists() and not args.force:
        return _refused(out, loaded, rt)
    else:
        _write(out, text, replace=args.force)
        if writes_config:
            stack_file = Path(args.project_dir) / f"Pulumi.{args.stack}.yaml"
            spec = os.path.relpath(out.absolute(), Path(args.project_dir).absolute())
            _write(stack_file, _stack_file(domain, spec.replace(os.sep, "/")), replace=False)
            rt.stderr.write(one_line(f"wrote {stack_file}") + "\n")
    findings = _judged(loaded, live, args, rt, text)
    placeholders = sum(1 for _ in find_placeholders(loaded.source.data))
    report = rt.stderr if out is None else rt.stdout
    for line in finding_lines(findings):
        report.write(line + "\n")
    rt.stderr.write(_summary(d, name, findings, placeholders) + "\n")
    return EXIT_FINDINGS if any(f.blocking for f in findings) else EXIT_OK
