"""``tenantcfg check``: the rules on the spec and on what the program declares from it."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tenantcfg.cli.findings import findings_for
from tenantcfg.cli.target import add_target_arguments, resolve_target
from tenantcfg.cli.values import add_settings_arguments, settings_from
from tenantcfg.output import findings as fmt
from tenantcfg.output.findings import FORMATS
from tenantcfg.review.located import Located
from tenantcfg.rules import RULES


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``check`` sub-command."""
    parser = sub.add_parser(
        "check",
        help="check the spec and the program's resources against the policy rules",
        description="Validate the spec, evaluate the rules on it with YAML positions, then run "
        "the program under mocks and evaluate the policy pack's rules on the resources it "
        "registers. Exit 0 clean or advisory only, 1 mandatory findings, 2 invalid input.",
    )
    add_target_arguments(parser)
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="output format (default: github under GitHub Actions, else text)",
    )
    parser.add_argument(
        "--spec-only",
        action="store_true",
        help="judge the spec alone, without importing Pulumi (fast path)",
    )
    add_settings_arguments(parser)
    parser.add_argument("--output", type=Path, help="write to this file instead of stdout")
    parser.set_defaults(handler=run)


def render(findings: list[Located], form: str) -> str:
    """Findings in one of FORMATS."""
    return fmt.render(findings, form, RULES)


def run(args: argparse.Namespace) -> int:
    """Execute ``check``; returns the exit code."""
    target = resolve_target(args)
    settings = settings_from(args)
    findings = findings_for(target, settings, args.spec_only)
    form = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    text = render(findings, form)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 1 if any(f.blocking for f in findings) else 0
