"""``tenantcfg stacks``: the project's stacks, for a CI matrix or a fleet report.

A stack is a ``Pulumi.<stack>.yaml`` in the project directory: adding a tenant is
adding that file and its spec, and every workflow finds it from here.
"""

from __future__ import annotations

import argparse
import json
import sys

from tenantcfg.cli.target import add_project_dir
from tenantcfg.inert.terminal import one_line
from tenantcfg.stack.config import find_stacks

EXIT_OK, EXIT_INVALID = 0, 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``stacks`` sub-command."""
    parser = sub.add_parser(
        "stacks",
        help="list the project's stacks (one Pulumi.<stack>.yaml each), e.g. as a CI matrix",
        description="List every stack of the project: each Pulumi.<stack>.yaml. Specs in "
        "stacks/ that no stack config names, and config files whose name is not a stack "
        "name, are reported on stderr and make the exit code 2.",
    )
    add_project_dir(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--only", action="append", default=[], metavar="STACK", help="keep only these stacks"
    )
    parser.add_argument(
        "--except",
        dest="leave_out",
        action="append",
        default=[],
        metavar="STACK",
        help="leave these stacks out (e.g. the canary a workflow deploys first)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the stacks; problems go to stderr."""
    stacks, problems = find_stacks(args.project_dir)
    chosen = [s for s in stacks if (not args.only or s in args.only) and s not in args.leave_out]
    for problem in problems:
        print(one_line(f"error: {problem}"), file=sys.stderr)
    if args.format == "json":
        print(json.dumps(chosen))
    else:
        print("\n".join(chosen) if chosen else "(no stacks)")
    return EXIT_INVALID if problems else EXIT_OK
