"""``tenantcfg plan``: what the program would declare, with no engine, CLI or credentials."""

from __future__ import annotations

import argparse
import json
import sys

from tenantcfg.cli.target import Target, add_target_arguments, resolve_target
from tenantcfg.deploy.program import declare
from tenantcfg.deploy.program import run as program
from tenantcfg.output.plan import as_json, changes_as_json, render_changes, render_text
from tenantcfg.review.sides import read_side
from tenantcfg.spec.loader import LoadedSpec
from tenantcfg.stack.naming import applications_by_resource
from tenantcfg.stack.project import PROJECT
from tenantcfg.stack.registrations import OfflineRun


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``plan`` sub-command."""
    parser = sub.add_parser(
        "plan",
        help="run the Pulumi program offline under mocks and print what it declares",
        description="Run the real Pulumi program under mocks (no CLI, no credentials) with "
        "the stack's config, and print every resource it declares with its key inputs.",
    )
    add_target_arguments(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--base",
        metavar="SPEC",
        help="show changes against this spec instead (a file or GIT_REF:path, "
        "e.g. origin/main:stacks/dev.yaml): creates, updates and deletes",
    )
    parser.set_defaults(handler=run)


def grant_labels(loaded: LoadedSpec) -> dict[str, str]:
    """Grant resource name -> the spec's application name."""
    return applications_by_resource(
        {name: app.client_id for name, app in loaded.spec.applications.items()}
    )


def run(args: argparse.Namespace) -> int:
    """Execute ``plan``; returns the exit code."""
    target = resolve_target(args)
    # Pulumi, imported here so that commands that never touch it stay fast.
    from tenantcfg.deploy.under_mocks import run_offline  # noqa: PLC0415

    result = run_offline(program, project=PROJECT, stack=target.stack, config=target.config)
    if args.base is not None:
        return _run_against_base(args.base, target, result, args.format)
    if args.format == "json":
        json.dump(as_json(result, target.stack, target.loaded.file), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    spec = target.loaded.spec
    header = (
        f"Offline plan of stack {target.stack!r}: spec {target.loaded.file}, tenant "
        f"{spec.tenant.domain}\n(no Pulumi engine, CLI or credentials; ids are placeholders)"
    )
    if target.secure_keys:
        header += f"\nsecure config not decrypted offline: {', '.join(target.secure_keys)}"
    sys.stdout.write(render_text(result, header, grant_labels(target.loaded)))
    return 0


def _run_against_base(base_arg: str, target: Target, head: OfflineRun, form: str) -> int:
    """Print the changes from the base spec's resources to the head's."""
    # Pulumi, as in run().
    from tenantcfg.deploy.under_mocks import run_offline  # noqa: PLC0415

    side = read_side(base_arg)
    base = OfflineRun()
    base_labels: dict[str, str] = {}
    if side.loaded is not None:
        base_labels = grant_labels(side.loaded)
        loaded = side.loaded

        def base_program() -> None:
            declare(loaded)

        base = run_offline(base_program, project=PROJECT, stack=target.stack, config=target.config)
    if form == "json":
        json.dump(
            changes_as_json(
                base,
                head,
                stack=target.stack,
                base_name=side.name,
                spec_file=target.loaded.file,
                base_labels=base_labels,
                head_labels=grant_labels(target.loaded),
            ),
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
        return 0
    header = (
        f"Offline plan of stack {target.stack!r}: changes from {side.name} to "
        f"{target.loaded.file}\n(no Pulumi engine, CLI or credentials)"
    )
    sys.stdout.write(render_changes(base, head, header, base_labels, grant_labels(target.loaded)))
    return 0
