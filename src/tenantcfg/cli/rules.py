"""``tenantcfg rules``: every rule with its id, level, severity and remediation."""

from __future__ import annotations

import argparse
import json
import sys

from tenantcfg.rules import RULES


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``rules`` sub-command."""
    parser = sub.add_parser("rules", help="list the policy rules")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the rule list."""
    if args.format == "json":
        rows = [
            {
                "id": r.id,
                "name": r.name,
                "title": r.title,
                "level": r.level.value,
                "severity": r.severity.value,
                "remediation": r.remediation,
            }
            for r in RULES
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    for r in RULES:
        sys.stdout.write(
            f"{r.id}  [{r.level.value}, {r.severity.value}]  {r.title}\n"
            f"    policy: {r.name}\n    fix: {r.remediation}\n"
        )
    return 0
