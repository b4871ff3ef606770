"""``tenantcfg report``: the policy-review report of one or more stacks."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import sys
from pathlib import Path

from tenantcfg.cli.findings import findings_for
from tenantcfg.cli.target import add_project_dir, resolve_target
from tenantcfg.cli.values import add_settings_arguments, settings_from, source_date
from tenantcfg.review.report import html, markdown
from tenantcfg.review.report.model import Report, build, stack_report
from tenantcfg.spec.problems import Mark, Problem, SpecError
from tenantcfg.stack.config import find_stacks


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``report`` sub-command."""
    parser = sub.add_parser(
        "report",
        help="write the policy-review report (Markdown, HTML or JSON)",
        description="Settings, applications and their scopes with what each unlocks, an "
        "application x scope matrix, findings and waivers, for one or more stacks.",
    )
    parser.add_argument(
        "--stack", action="append", default=[], help="stack to report on; repeat for several stacks"
    )
    parser.add_argument(
        "--spec",
        action="append",
        type=Path,
        default=[],
        help="spec file to report on (no stack needed); repeatable",
    )
    parser.add_argument(
        "--all-stacks",
        action="store_true",
        help="every stack of the project (each Pulumi.<stack>.yaml), as `tenantcfg stacks` lists",
    )
    add_project_dir(parser)
    parser.add_argument("--format", choices=("md", "html", "json"), default="md")
    add_settings_arguments(parser, token_lifetime=False)
    parser.add_argument("--output", type=Path, help="write to this file instead of stdout")
    parser.add_argument(
        "--spec-only",
        action="store_true",
        help="judge the specs alone, without running the program",
    )
    parser.set_defaults(handler=run)


def _now() -> dt.datetime:
    # SOURCE_DATE_EPOCH makes reports reproducible (golden files, archived reviews); a
    # value that is not a time is refused rather than silently replaced by the clock.
    try:
        fixed = source_date(os.environ.get("SOURCE_DATE_EPOCH"))
    except ValueError as e:
        raise SpecError(
            [Problem("(environment)", Mark(1, 1), "SOURCE_DATE_EPOCH", str(e))]
        ) from None
    return fixed or dt.datetime.now(tz=dt.UTC)


def _stacks(args: argparse.Namespace) -> list[str]:
    if not args.all_stacks:
        return list(args.stack)
    found, problems = find_stacks(args.project_dir)
    if problems or not found:
        why = problems or ["no Pulumi.<stack>.yaml in the project directory"]
        raise SpecError(
            [Problem(str(args.project_dir), Mark(1, 1), "--all-stacks", p) for p in why]
        )
    return [*found, *(s for s in args.stack if s not in found)]


def _targets(args: argparse.Namespace) -> list[argparse.Namespace]:
    one = [
        argparse.Namespace(stack=s, spec=None, project_dir=args.project_dir) for s in _stacks(args)
    ]
    one += [argparse.Namespace(stack=None, spec=p, project_dir=args.project_dir) for p in args.spec]
    return one or [argparse.Namespace(stack=None, spec=None, project_dir=args.project_dir)]


def make_report(args: argparse.Namespace) -> Report:
    """Load every named stack or spec, check it, and build the report."""
    now = _now()
    stacks = []
    names: set[str] = set()
    for ns in _targets(args):
        target = resolve_target(ns)
        findings = findings_for(target, settings_from(args), args.spec_only)
        # Two specs with the same file name (prod/stack.yaml, staging/stack.yaml) would share
        # a column, and their differences vanish: name such a stack by its path instead.
        name = target.stack if target.stack not in names else target.loaded.file
        while name in names:
            name += "'"
        names.add(name)
        stacks.append(stack_report(name, target.loaded, findings, now.date()))
    return build(stacks, now)


def run(args: argparse.Namespace) -> int:
    """Write the report; exit 1 when any stack has a mandatory finding."""
    report = make_report(args)
    if args.format == "json":
        text = json.dumps(dataclasses.asdict(report), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "html":
        text = html.render(report)
    else:
        text = markdown.render(report)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 1 if any(s.counts["mandatory"] for s in report.stacks) else 0
