"""The README cannot drift from the code: its rule table and command table are checked."""

from __future__ import annotations

import re

from helpers.paths import ROOT
from tenantcfg.cli import build_parser
from tenantcfg.rules import REGISTRY

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_rule_table_lists_every_rule_with_its_level() -> None:
    rows = re.findall(r"^\| (MYACC-\d{3}) \| (mandatory|advisory) \|", README, re.M)
    assert dict(rows) == {rule_id: rule.level.value for rule_id, rule in REGISTRY.items()}
    assert len(rows) == len(REGISTRY)


def test_the_command_table_lists_every_command() -> None:
    listed = set(re.findall(r"^\| `tenantcfg ([a-z-]+)", README, re.M))
    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert listed == commands


def test_every_command_example_parses() -> None:
    parser = build_parser()
    # In code blocks, and inline: `tenantcfg diff --stack prod --base-ref origin/main`.
    examples = re.findall(r"^\s*tenantcfg ([^\n#`|]+?)\s*(?:#.*)?$", README, re.M)
    examples += re.findall(r"`tenantcfg ([^`|\n]+)`", README)
    examples = [e for e in examples if not re.search(r"[A-Z]{4,}|\.\.\.|\[", e)]  # templates
    assert len(examples) >= 10
    for example in examples:
        args = example.replace("\\", "").split()
        parser.parse_args(args)  # exits 2 (a test error) on an option that does not exist
