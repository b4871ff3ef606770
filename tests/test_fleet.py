"""A fleet of tenants: one stack each, found from the files, reported on together.

At twenty stacks and more, "where the stacks differ" groups the stacks by value
instead of giving each stack a column.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers.paths import ROOT
from tenantcfg.cli import main

DEV = (ROOT / "stacks" / "dev.yaml").read_text(encoding="utf-8")
FLEET = 24
SLOW_TOKENS = {"tenant-03", "tenant-11", "tenant-17"}
"""Stacks whose token lifetime is 900 s instead of the fleet's 600 s."""


@pytest.fixture
def fleet(tmp_path: Path) -> Path:
    """A project of FLEET stacks made from the dev spec, each on its own tenant."""
    (tmp_path / "stacks").mkdir()
    (tmp_path / "Pulumi.yaml").write_text("name: auth0-myaccount\nruntime: python\n")
    for i in range(FLEET):
        name = f"tenant-{i:02d}"
        domain = f"{name}.eu.auth0.com"
        spec = DEV.replace("acme-dev.eu.auth0.com", domain)
        if name in SLOW_TOKENS:
            spec = spec.replace("token_lifetime: 600", "token_lifetime: 900")
        if i == 5:  # one tenant without the partner portal
            spec = spec[: spec.index("  partner-portal:")] + "waivers: []\n"
        (tmp_path / "stacks" / f"{name}.yaml").write_text(spec, encoding="utf-8")
        (tmp_path / f"Pulumi.{name}.yaml").write_text(
            f"config:\n  auth0:domain: {domain}\n  auth0-myaccount:spec: stacks/{name}.yaml\n"
        )
    return tmp_path


def report(project: Path, capsys: pytest.CaptureFixture[str], form: str) -> tuple[int, str]:
    code = main(
        ["report", "--all-stacks", "--spec-only", "--project-dir", str(project), "--format", form]
    )
    return code, capsys.readouterr().out


def test_every_stack_is_reported_and_differences_are_grouped_by_value(
    fleet: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = report(fleet, capsys, "json")
    assert code == 0
    doc = json.loads(out)
    assert [s["stack"] for s in doc["stacks"]] == [f"tenant-{i:02d}" for i in range(FLEET)]
    groups = {
        d["what"]: [(g["value"], set(g["stacks"]), g["rest"]) for g in d["groups"]]
        for d in doc["differences"]
    }
    everyone = {f"tenant-{i:02d}" for i in range(FLEET)}
    assert groups == {
        "setting: token lifetime (s)": [
            ("600", everyone - SLOW_TOKENS, True),
            ("900", SLOW_TOKENS, False),
        ],
        "application: partner-portal": [
            (
                "create:me:connected_accounts, read:me:connected_accounts",
                everyone - {"tenant-05"},
                True,
            ),
            ("(absent)", {"tenant-05"}, False),
        ],
    }


def test_the_markdown_table_has_three_columns_whatever_the_number_of_stacks(
    fleet: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = report(fleet, capsys, "md")
    section = out.split("## Where the stacks differ\n\n", 1)[1].split("\n\n", 1)[0]
    rows = section.splitlines()
    assert rows[0] == "| what | value | stacks |"
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 4 for row in rows)
    assert "| `setting: token lifetime (s)` | `600` | 21: every other stack |" in section
    assert "|  | `900` | 3: `tenant-03`, `tenant-11`, `tenant-17` |" in section


def test_a_half_added_tenant_stops_the_fleet_report(
    fleet: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (fleet / "stacks" / "tenant-99.yaml").write_text(DEV)
    code = main(["report", "--all-stacks", "--spec-only", "--project-dir", str(fleet)])
    assert code == 2
    assert (
        "stacks/tenant-99.yaml: no Pulumi.<stack>.yaml names this spec" in capsys.readouterr().err
    )
