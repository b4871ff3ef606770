"""The ``tenantcfg`` command: what the Pulumi CLI does not do for this project.

Exit codes: 0 clean, 1 policy violations (or drift), 2 invalid input or could
not run. Bad input never produces a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from tenantcfg.cli import audit, check, diff, packconfig, plan, report, rules, schema
from tenantcfg.problems import SpecError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INVALID = 2

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="tenantcfg",
        description="Auth0 My Account API as code: offline plan, policy checks, review.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    plan.register(sub)
    check.register(sub)
    rules.register(sub)
    packconfig.register(sub)
    schema.register(sub)
    report.register(sub)
    diff.register(sub)
    audit.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits 2 on usage errors, 0 on --help
        return int(e.code or 0)
    handler: Handler = args.handler
    try:
        return handler(args)
    except SpecError as e:
        for problem in e.problems:
            print(f"{problem}", file=sys.stderr)
        return EXIT_INVALID
    except _run_errors() as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_INVALID


def _run_errors() -> tuple[type[BaseException], ...]:
    # pulumi.RunError is how the program stops on bad input; only look it up if
    # Pulumi is already imported, so Pulumi-free commands stay Pulumi-free.
    mod = sys.modules.get("pulumi.errors")
    return (mod.RunError,) if mod is not None else ()


if __name__ == "__main__":
    sys.exit(main())
