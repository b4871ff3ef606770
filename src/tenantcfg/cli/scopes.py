"""``tenantcfg scopes``: the scope catalogue, with what each scope unlocks and its risk."""

from __future__ import annotations

import argparse
import json
import sys

from tenantcfg.catalogue.scopes import CATALOGUE


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``scopes`` sub-command."""
    parser = sub.add_parser("scopes", help="list the My Account API scope catalogue")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the catalogue, in its own order."""
    if args.format == "json":
        rows = [
            {
                "scope": s.value,
                "risk": s.risk.value,
                "lifecycle": s.lifecycle.value,
                "sensitive": s.sensitive,
                "unlocks": s.unlocks,
            }
            for s in CATALOGUE.values()
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    for s in CATALOGUE.values():
        flags = ", ".join(
            x for x in (s.risk.value, s.lifecycle.value, "sensitive" if s.sensitive else "") if x
        )
        sys.stdout.write(f"{s.value}  [{flags}]\n    {s.unlocks}\n")
    return 0
