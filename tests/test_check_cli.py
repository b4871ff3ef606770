"""``tenantcfg check`` and ``tenantcfg rules`` end to end, as a user runs them.

Each insecure variant is the dev stack's spec with one change; the position a
finding must point at is computed from the text written, not from the code.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from helpers.cli import run_cli
from helpers.paths import ROOT, SPECS
from tenantcfg.rules import REGISTRY

DEV = ROOT / "stacks" / "dev.yaml"
SARIF_SCHEMA = Path(__file__).resolve().parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
FINDING = re.compile(
    r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): \[(?P<level>[a-z ]+)\] "
    r"(?P<resource>[^:]+): .* \((?P<rule>MYACC-\d{3})\)$"
)
PULUMI = {"pulumi", "pulumi_policy", "pulumi_auth0"}

Result = subprocess.CompletedProcess[str]


def environment(github_actions: bool = False) -> dict[str, str]:
    """The caller's environment, inside or outside GitHub Actions."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    if github_actions:
        env["GITHUB_ACTIONS"] = "true"
    return env


def tenantcfg(*args: str, env: Mapping[str, str] | None = None) -> Result:
    """``tenantcfg ARGS`` in the project root, run in this process."""
    return run_cli(*args, env=env or environment())


def tenantcfg_process(*args: str, python: tuple[str, ...] = ()) -> Result:
    """``python [PYTHON] -m tenantcfg ARGS`` in the project root, as a separate process."""
    return subprocess.run(
        [sys.executable, *python, "-m", "tenantcfg", *args],
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def findings(out: str) -> list[tuple[str, int, int, str, str, str]]:
    """(file, line, col, level, resource, rule) of every text finding line."""
    rows = []
    for line in out.splitlines()[:-1]:  # the last line is the summary
        match = FINDING.match(line)
        assert match, f"not a finding line: {line!r}"
        rows.append(
            (
                match["file"],
                int(match["line"]),
                int(match["col"]),
                match["level"],
                match["resource"],
                match["rule"],
            )
        )
    return rows


def positions(text: str, at: str, value: str) -> list[tuple[int, int]]:
    """1-based line and column of ``value`` inside each occurrence of ``at`` in ``text``."""
    found = []
    for match in re.finditer(re.escape(at), text):
        start = match.start() + at.index(value)
        line_start = text.rfind("\n", 0, start) + 1
        found.append((text.count("\n", 0, start) + 1, start - line_start + 1))
    return found


def position(text: str, at: str, value: str) -> tuple[int, int]:
    """Line and column of ``value`` inside ``at``, which must occur once in ``text``."""
    (only,) = positions(text, at, value)
    return only


@dataclass(frozen=True)
class Variant:
    """The dev spec with ``old`` replaced by ``new``, and the one finding it must produce."""

    old: str
    new: str
    at: str
    value: str
    rule: str
    resource: str
    level: str = "mandatory"
    exit_code: int = 1


LONG_WAIVERS = ("--max-waiver-days", "40000")  # the fixture's waivers run to 2099

PARTNER_SCOPES = (
    "    scopes:\n      - read:me:connected_accounts\n      - create:me:connected_accounts\n"
)
VARIANTS = {
    "user-allow-all": Variant(
        "    user: require_client_grant   #",
        "    user: allow_all   #",
        "user: allow_all",
        "allow_all",
        "MYACC-001",
        "my_account_api",
    ),
    "anonymous-user-require-client-grant": Variant(
        "    client: deny_all             # no machine-to-machine access, ever\n",
        "    client: deny_all             # no machine-to-machine access, ever\n"
        "    anonymous_user: require_client_grant\n",
        "anonymous_user: require_client_grant",
        "require_client_grant",
        "MYACC-003",
        "my_account_api",
    ),
    "non-interactive-app": Variant(
        "    app_type: regular_web\n",
        "    app_type: non_interactive\n",
        "app_type: non_interactive",
        "non_interactive",
        "MYACC-011",
        "partner-portal",
    ),
    "third-party-app": Variant(
        "    app_type: regular_web\n    first_party: true\n",
        "    app_type: regular_web\n    first_party: false\n",
        "first_party: false",
        "false",
        "MYACC-011",
        "partner-portal",
    ),
    "planned-scope": Variant(
        "      - create:me:connected_accounts\n",
        "      - create:me:connected_accounts\n      - read:me:consents\n",
        "- read:me:consents",
        "read:me:consents",
        "MYACC-009",
        "partner-portal",
    ),
    "empty-scopes": Variant(
        PARTNER_SCOPES, "    scopes: []\n", "scopes: []", "[]", "MYACC-006", "partner-portal"
    ),
    "expired-waiver": Variant(
        "waivers: []\n",
        "waivers:\n  - rule: MYACC-015\n    application: mobile-app\n"
        "    reason: step-up policy was being rolled out\n    expires: 2020-01-31\n",
        "expires: 2020-01-31",
        "2020-01-31",
        "MYACC-018",
        "waivers[0]",
    ),
    "long-lifetime": Variant(
        "  token_lifetime: 600\n",
        "  token_lifetime: 7200\n",
        "token_lifetime: 7200",
        "7200",
        "MYACC-017",
        "my_account_api",
        level="advisory",
        exit_code=0,
    ),
}


@dataclass(frozen=True)
class VariantRun:
    """One variant written to disk and checked."""

    spec: Path
    text: str
    result: Result


@pytest.fixture(scope="module")
def variant_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, VariantRun]:
    """Every variant checked through the full path (spec and program)."""
    dev = DEV.read_text()
    specs: dict[str, tuple[Path, str]] = {}
    for name, variant in VARIANTS.items():
        assert dev.count(variant.old) == 1, f"{name}: {variant.old!r} must occur once"
        text = dev.replace(variant.old, variant.new)
        spec = tmp_path_factory.mktemp(name) / "dev.yaml"
        spec.write_text(text)
        specs[name] = (spec, text)

    return {
        name: VariantRun(
            spec,
            text,
            tenantcfg("check", "--stack", "dev", "--spec", str(spec), "--format", "text"),
        )
        for name, (spec, text) in specs.items()
    }


@pytest.mark.parametrize("name", VARIANTS)
def test_each_insecure_variant_fails_with_its_rule_at_its_position(
    name: str, variant_runs: dict[str, VariantRun]
) -> None:
    variant = VARIANTS[name]
    run = variant_runs[name]
    assert run.result.stderr == ""
    assert run.result.returncode == variant.exit_code, run.result.stdout
    line, col = position(run.text, variant.at, variant.value)
    assert findings(run.result.stdout) == [
        (str(run.spec), line, col, variant.level, variant.resource, variant.rule)
    ]
    mandatory = int(variant.level == "mandatory")
    assert run.result.stdout.splitlines()[-1] == (
        f"{mandatory} mandatory, {1 - mandatory} advisory, 0 waived"
    )


def test_positions_are_counted_from_one() -> None:
    text = "a: 1\nbb: [x, y]\n"
    assert position(text, "bb: [x, y]", "y") == (2, 9)
    assert positions(text + "bb: [x, y]\n", "bb: [x, y]", "x") == [(2, 6), (3, 6)]


def test_the_dev_stack_is_clean() -> None:
    result = tenantcfg("check", "--stack", "dev", "--format", "text")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "0 mandatory, 0 advisory, 0 waived\n",
        "",
    )


@pytest.mark.slow
def test_spec_only_does_not_import_pulumi() -> None:
    spec = SPECS / "rules" / "user-allow-all.yaml"
    fast = tenantcfg_process(
        "check", "--spec", str(spec), "--spec-only", "--format", "text", python=("-X", "importtime")
    )
    assert fast.returncode == 1
    assert [row[5] for row in findings(fast.stdout)] == ["MYACC-001"]
    assert imported(fast.stderr) & PULUMI == set()
    # The same probe on the full check sees Pulumi: the probe itself works.
    full = tenantcfg_process(
        "check", "--spec", str(spec), "--format", "text", python=("-X", "importtime")
    )
    assert full.returncode == 1
    # (The pack's evaluation itself is Pulumi-free: the program run brings Pulumi in.)
    assert imported(full.stderr) >= {"pulumi", "pulumi_auth0"}


def imported(importtime: str) -> set[str]:
    """Top-level packages named in ``-X importtime`` output."""
    names = set()
    for line in importtime.splitlines():
        if line.startswith("import time:") and "|" in line:
            module = line.rsplit("|", 1)[1].strip()
            if module != "imported package":  # the header line
                names.add(module.split(".")[0])
    assert "tenantcfg" in names, "no import lines: was -X importtime passed?"
    return names


# --- formats -------------------------------------------------------------------------------------

WAIVERS = SPECS / "rules" / "waivers.yaml"
"""One finding of each kind: mandatory, advisory and waived (the waiver expires in 2099)."""


def waivers_expected() -> dict[tuple[str, str], tuple[int, int]]:
    """Where each finding on waivers.yaml must point, from the fixture's text."""
    text = WAIVERS.read_text()
    waived, unwaived = positions(text, "- read:me:consents", "read:me:consents")
    # No justification: the finding points at the name of the application that lacks one.
    entry = position(text, "  waived-planned-consents:", "waived-planned-consents")
    return {
        ("MYACC-009", "waived-planned-consents"): waived,
        ("MYACC-009", "unwaived-planned-consents"): unwaived,
        ("MYACC-016", "waived-planned-consents"): entry,
    }


def test_json_lists_each_finding_with_position_level_waiver_and_counts(tmp_path: Path) -> None:
    out = tmp_path / "findings.json"
    result = tenantcfg(
        "check", "--spec", str(WAIVERS), *LONG_WAIVERS, "--format", "json", "--output", str(out)
    )
    assert (result.returncode, result.stdout, result.stderr) == (1, "", "")
    doc = json.loads(out.read_text())
    got = {(f["rule"], f["resource"]): (f["line"], f["column"]) for f in doc["findings"]}
    assert got == waivers_expected()
    kinds = {(f["rule"], f["resource"]): (f["level"], f["waived"]) for f in doc["findings"]}
    assert kinds == {
        ("MYACC-009", "waived-planned-consents"): ("mandatory", True),
        ("MYACC-009", "unwaived-planned-consents"): ("mandatory", False),
        ("MYACC-016", "waived-planned-consents"): ("advisory", False),
    }
    assert doc["counts"] == {"mandatory": 1, "advisory": 1, "waived": 1}
    waived = next(f for f in doc["findings"] if f["waived"])
    assert waived["waiver"] == {
        "reason": "the consents page ships the day Auth0 issues the scope",
        "expires": "2099-06-30",
    }
    assert {f["file"] for f in doc["findings"]} == {str(WAIVERS)}


def test_github_annotations_are_errors_warnings_and_notices_on_their_lines() -> None:
    result = tenantcfg("check", "--spec", str(WAIVERS), *LONG_WAIVERS, "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == "1 mandatory, 1 advisory, 1 waived"
    where = waivers_expected()
    expected = {
        ("error", where["MYACC-009", "unwaived-planned-consents"], "MYACC-009"),
        ("notice", where["MYACC-009", "waived-planned-consents"], "MYACC-009"),
        ("warning", where["MYACC-016", "waived-planned-consents"], "MYACC-016"),
    }
    pattern = re.compile(r"^::(\w+) file=(.+?),line=(\d+),col=(\d+),title=(MYACC-\d{3}) .*::.+$")
    got = set()
    for line in lines[:-1]:
        match = pattern.match(line)
        assert match, line
        assert match[2] == str(WAIVERS)
        got.add((match[1], (int(match[3]), int(match[4])), match[5]))
    assert got == expected


def test_github_is_the_default_format_under_github_actions(
    variant_runs: dict[str, VariantRun],
) -> None:
    run, variant = variant_runs["user-allow-all"], VARIANTS["user-allow-all"]
    spec = str(run.spec)
    line, col = position(run.text, variant.at, variant.value)
    under_actions = tenantcfg(
        "check", "--spec", spec, "--spec-only", env=environment(github_actions=True)
    )
    assert under_actions.returncode == 1
    assert under_actions.stdout.startswith(
        f"::error file={spec},line={line},col={col},title=MYACC-001 "
    )
    elsewhere = tenantcfg("check", "--spec", spec, "--spec-only", env=environment())
    assert elsewhere.stdout.startswith(f"{spec}:{line}:{col}: [mandatory] my_account_api: ")
    chosen = tenantcfg(
        "check",
        "--spec",
        spec,
        "--spec-only",
        "--format",
        "text",
        env=environment(github_actions=True),
    )
    assert chosen.stdout == elsewhere.stdout


def test_sarif_validates_against_the_sarif_2_1_0_schema() -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.fail(
            f"missing {SARIF_SCHEMA.relative_to(ROOT)}: add the official SARIF 2.1.0 "
            "JSON schema (oasis-tcs/sarif-spec, Schemata/sarif-schema-2.1.0.json) with a "
            "note of its source; the SARIF output cannot be validated without it"
        )
    result = tenantcfg("check", "--spec", str(WAIVERS), *LONG_WAIVERS, "--format", "sarif")
    assert result.returncode == 1
    log = json.loads(result.stdout)
    validator = Draft4Validator(json.loads(SARIF_SCHEMA.read_text()))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
    assert errors == []
    (run,) = log["runs"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == sorted(REGISTRY)
    where = waivers_expected()
    got = {}
    for r in run["results"]:
        region = r["locations"][0]["physicalLocation"]["region"]
        resource = r["message"]["text"].split(":", 1)[0]
        got[r["ruleId"], resource] = (
            (region["startLine"], region["startColumn"]),
            r["level"],
            "suppressions" in r,
        )
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
    assert got == {
        ("MYACC-009", "unwaived-planned-consents"): (
            where["MYACC-009", "unwaived-planned-consents"],
            "error",
            False,
        ),
        ("MYACC-009", "waived-planned-consents"): (
            where["MYACC-009", "waived-planned-consents"],
            "warning",
            True,
        ),
        ("MYACC-016", "waived-planned-consents"): (
            where["MYACC-016", "waived-planned-consents"],
            "warning",
            False,
        ),
    }


def test_the_schema_check_catches_a_broken_sarif_log() -> None:
    # Guards the validation above against a schema that accepts anything.
    validator = Draft4Validator(json.loads(SARIF_SCHEMA.read_text()))
    assert not validator.is_valid({"version": "2.1.0", "runs": [{"results": []}]})


# --- exit codes and thresholds -------------------------------------------------------------------


def test_a_higher_lifetime_threshold_makes_the_long_lifetime_clean(
    variant_runs: dict[str, VariantRun],
) -> None:
    spec = str(variant_runs["long-lifetime"].spec)
    result = tenantcfg(
        "check", "--spec", spec, "--spec-only", "--format", "text", "--max-token-lifetime", "7200"
    )
    assert (result.returncode, result.stdout) == (0, "0 mandatory, 0 advisory, 0 waived\n")


def test_an_invalid_spec_exits_2_with_its_position_and_no_traceback() -> None:
    spec = SPECS / "invalid" / "hyphenated-scope.yaml"
    line, col = position(
        spec.read_text(), "create:me:authentication-methods", "create:me:authentication-methods"
    )
    result = tenantcfg("check", "--spec", str(spec), "--format", "text")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"{spec}:{line}:{col}: applications.settings-spa.scopes[1]: ")
    assert "underscores" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("check", "--spec", "stacks/no-such-stack.yaml"), "cannot read the spec file"),
        (("check",), "name a stack (--stack dev) or a spec file (--spec FILE)"),
        (("check", "--stack", "prod", "--spec", "stacks/dev.yaml"), "describes tenant"),
        (("check", "--stack", "dev", "--format", "xml"), "invalid choice: 'xml'"),
    ],
)
def test_bad_input_exits_2(args: tuple[str, ...], says: str) -> None:
    result = tenantcfg(*args)
    assert result.returncode == 2
    assert says in result.stderr
    assert "Traceback" not in result.stderr


# --- tenantcfg rules -----------------------------------------------------------------------------


def test_rules_lists_all_twenty_ids_with_level_and_fix() -> None:
    result = tenantcfg("rules")
    assert result.returncode == 0
    headers = [line for line in result.stdout.splitlines() if line.startswith("MYACC-")]
    assert [h.split()[0] for h in headers] == [f"MYACC-{i:03d}" for i in range(1, 21)]
    assert headers[0].startswith("MYACC-001  [mandatory, critical]  ")
    assert headers[16].startswith("MYACC-017  [advisory, low]  ")
    assert result.stdout.count("    fix: ") == 20
    rows = json.loads(tenantcfg("rules", "--format", "json").stdout)
    assert {r["id"]: r["level"] for r in rows} == {
        rule_id: rule.level.value for rule_id, rule in REGISTRY.items()
    }


def test_scopes_lists_the_catalogue() -> None:
    from tenantcfg.catalogue.scopes import CATALOGUE

    rows = json.loads(tenantcfg("scopes", "--format", "json").stdout)
    assert [r["scope"] for r in rows] == list(CATALOGUE)
    text = tenantcfg("scopes").stdout
    assert "create:me:authentication_methods  [critical, ga, sensitive]" in text


def test_every_command_a_remediation_names_exists() -> None:
    # Remediations ship in SARIF and in the pack's messages: a command they name must exist.
    from tenantcfg.cli import build_parser
    from tenantcfg.rules import RULES

    commands = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    named = {m for r in RULES for m in re.findall(r"'tenantcfg ([a-z-]+)", r.remediation)}
    assert named
    assert named <= commands
