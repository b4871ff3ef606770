"""``tenantcfg diff BASE HEAD``: risk-tagged changes between two specs, for pull requests.

Each side is a spec file or ``GIT_REF:path`` read from git
(``origin/main:stacks/prod.yaml``). A side whose file does not exist is an
empty stack, so a new stack shows as all added and a deleted one as all removed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tenantcfg.catalogue.scopes import Risk
from tenantcfg.cli.target import add_project_dir
from tenantcfg.output.diff import as_json, as_markdown
from tenantcfg.review.diff import compare
from tenantcfg.review.sides import Side, read_side, stack_sides
from tenantcfg.spec.problems import Mark, Problem, SpecError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``diff`` sub-command."""
    parser = sub.add_parser(
        "diff",
        help="risk-tagged changes between two specs (Markdown for a PR comment, JSON)",
        description="Compare two specs: settings and policies, applications, scopes per "
        "application and waivers, each change tagged with its risk. Exit 0, or 1 with "
        "--fail-on when a change raises risk to that level; 2 invalid input.",
    )
    parser.add_argument(
        "base",
        metavar="BASE",
        nargs="?",
        help="spec file or GIT_REF:path, e.g. origin/main:stacks/prod.yaml",
    )
    parser.add_argument("head", metavar="HEAD", nargs="?", help="spec file or GIT_REF:path")
    parser.add_argument(
        "--stack",
        help="compare the spec this stack's Pulumi.<stack>.yaml "
        "names at --base-ref with the one it names on disk (instead of BASE "
        "and HEAD)",
    )
    parser.add_argument(
        "--base-ref",
        metavar="REF",
        help="with --stack: the git ref to compare with, e.g. origin/main",
    )
    add_project_dir(parser, when="with --stack: ")
    parser.add_argument("--format", choices=("md", "json"), default="md")
    parser.add_argument(
        "--fail-on",
        choices=[r.value for r in Risk],
        metavar="LEVEL",
        help="exit 1 when a change raises risk to LEVEL or above (low, medium, high, critical)",
    )
    parser.add_argument("--output", type=Path, help="write to this file instead of stdout")
    parser.set_defaults(handler=run)


def _read_both(base_arg: str, head_arg: str) -> tuple[Side, Side]:
    """Both sides, with the problems of both reported at once."""
    sides: list[Side] = []
    problems: list[Problem] = []
    for arg in (base_arg, head_arg):
        try:
            sides.append(read_side(arg))
        except SpecError as e:
            problems += e.problems
    if problems:
        raise SpecError(problems)
    base, head = sides
    if base.loaded is None and head.loaded is None:
        raise SpecError(
            [
                Problem(
                    "(command line)",
                    Mark(1, 1),
                    "BASE, HEAD",
                    f"neither {base_arg!r} nor {head_arg!r} exists; check both "
                    "paths (and the git ref)",
                )
            ]
        )
    return base, head


def _sides(args: argparse.Namespace) -> tuple[Side, Side]:
    if args.stack is None:
        if args.base is None or args.head is None or args.base_ref is not None:
            raise SpecError(
                [
                    Problem(
                        "(command line)",
                        Mark(1, 1),
                        "BASE, HEAD",
                        "name two specs (BASE HEAD), or --stack NAME with --base-ref REF",
                    )
                ]
            )
        return _read_both(args.base, args.head)
    if args.base is not None or args.head is not None or args.base_ref is None:
        raise SpecError(
            [
                Problem(
                    "(command line)",
                    Mark(1, 1),
                    "--stack",
                    "--stack takes --base-ref REF and no BASE or HEAD",
                )
            ]
        )
    base, head = stack_sides(args.stack, args.base_ref, args.project_dir)
    if base.loaded is None and head.loaded is None:
        raise SpecError(
            [
                Problem(
                    "(command line)",
                    Mark(1, 1),
                    "--stack",
                    f"stack {args.stack!r} has a spec on neither side",
                )
            ]
        )
    return base, head


def run(args: argparse.Namespace) -> int:
    """Execute ``diff``; 1 only when --fail-on is given and reached."""
    base, head = _sides(args)
    for side in (base, head):
        if side.loaded is None:
            print(f"note: {side.name} does not exist; compared as an empty stack", file=sys.stderr)
    result = compare(base.spec, head.spec, base.name, head.name)
    text = as_json(result) if args.format == "json" else as_markdown(result)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 1 if args.fail_on and result.raises_to(Risk(args.fail_on)) else 0
