"""``tenantcfg policy-config``: the policy pack config for a stack, derived from its spec.

Waivers and declared scopes live in the spec, thresholds on the command line; the
pack reads them from this file (``pulumi preview --policy-pack policies
--policy-pack-config FILE``), so the spec stays the only place they are written by
hand. The canonical domain is not in it: the pack takes the auth0 provider's domain.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tenantcfg.cli.target import add_target_arguments, resolve_target
from tenantcfg.cli.values import add_settings_arguments, settings_from
from tenantcfg.stack.packconfig import pack_config


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``policy-config`` sub-command."""
    parser = sub.add_parser(
        "policy-config",
        help="write the policy pack config (waivers, declared scopes, thresholds) for a stack",
        description="Derive the CrossGuard policy pack config from the stack's spec.",
    )
    add_target_arguments(parser)
    add_settings_arguments(parser)
    parser.add_argument("--output", type=Path, help="write to this file instead of stdout")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print or write the pack config."""
    target = resolve_target(args)
    config = pack_config(
        target.loaded.spec,
        settings_from(args),
    )
    text = json.dumps(config, indent=2) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
