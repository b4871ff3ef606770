"""The ``tenantcfg`` command: what the Pulumi CLI does not do for this project.

Exit codes: 0 clean, 1 policy violations (or drift), 2 invalid input or could
not run. Bad input never produces a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from tenantcfg.cli import (
    audit,
    check,
    diff,
    import_tenant,
    packconfig,
    plan,
    report,
    rules,
    schema,
    scopes,
    stacks,
)
from tenantcfg.inert.terminal import one_line
from tenantcfg.spec.problems import SpecError

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
    scopes.register(sub)
    packconfig.register(sub)
    schema.register(sub)
    report.register(sub)
    diff.register(sub)
    audit.register(sub)
    import_tenant.register(sub)
    stacks.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits 2 on usage errors, 0 on --help
        return int(e.code or 0)
    handler: Handler = args.handler
    if sys.stdout is None:  # started with stdout closed (cmd >&-)
        print("error: could not write the output: standard output is closed", file=sys.stderr)
        return EXIT_INVALID
    try:
        code = handler(args)
        sys.stdout.flush()
        return code
    except (OSError, ValueError) as e:
        encoding = isinstance(e, UnicodeEncodeError)
        if isinstance(e, ValueError) and not encoding and not sys.stdout.closed:
            raise
        # An --output that cannot be written, a closed or full stdout, a terminal that
        # cannot show a name: 2, not 1 (which means findings), and no traceback.
        _quiet_stdout()
        print(one_line(f"error: {_output_problem(e)}"), file=sys.stderr)
        return EXIT_INVALID
    except SpecError as e:
        for line in e.lines():
            print(one_line(line), file=sys.stderr)
        return EXIT_INVALID
    except _run_errors() as e:
        # A program's message may hold several lines of its own; each stays one line.
        print("\n".join(one_line(line) for line in f"error: {e}".splitlines()), file=sys.stderr)
        return EXIT_INVALID


def _output_problem(e: OSError | ValueError) -> str:
    """What went wrong with the output, naming the file when there is one."""
    if isinstance(e, UnicodeEncodeError):
        return (
            f"could not write the output: its encoding ({e.encoding}) cannot hold every "
            "character; set PYTHONIOENCODING=utf-8"
        )
    reason = (e.strerror if isinstance(e, OSError) else None) or str(e)
    if isinstance(e, OSError) and e.filename:
        return f"cannot use {e.filename}: {reason}"
    return f"could not write the output: {reason}"


def _quiet_stdout() -> None:
    # The interpreter flushes stdout at exit: a broken one would print a traceback then.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def _run_errors() -> tuple[type[BaseException], ...]:
    # pulumi.RunError is how the program stops on bad input; only look it up if
    # Pulumi is already imported, so Pulumi-free commands stay Pulumi-free.
    mod = sys.modules.get("pulumi.errors")
    return (mod.RunError,) if mod is not None else ()


if __name__ == "__main__":
    sys.exit(main())
