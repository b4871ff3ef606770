"""``tenantcfg schema``: the JSON Schema of a spec, for editors' completion and checks.

The schema describes shapes only; the loader also checks what JSON Schema
cannot say well (scope spelling hints, duplicate keys, look-alike letters).
"""

from __future__ import annotations

import argparse
import json
import sys

from tenantcfg.spec.model import TenantSpec


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``schema`` sub-command."""
    parser = sub.add_parser("schema", help="print the JSON Schema of stacks/<stack>.yaml")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the schema."""
    del args
    schema = TenantSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "tenantcfg tenant spec"
    sys.stdout.write(json.dumps(schema, indent=2) + "\n")
    return 0
