"""``tenantcfg plan``: what the program would declare, with no engine, CLI or credentials."""

from __future__ import annotations

import argparse
import json
import sys

from tenantcfg.cli.target import add_target_arguments, resolve_target


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
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``plan``; returns the exit code."""
    target = resolve_target(args)
    # Imported here so commands that never touch Pulumi stay fast.
    from tenantcfg.offline import run_offline
    from tenantcfg.planview import as_json, render_text
    from tenantcfg.program import PROJECT
    from tenantcfg.program import run as program

    result = run_offline(program, project=PROJECT, stack=target.stack, config=target.config)
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
    sys.stdout.write(render_text(result, header))
    return 0
