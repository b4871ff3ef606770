"""``tenantcfg schema`` and ``tenantcfg policy-config`` as a user runs them.

The schema is for editors: it must be a valid JSON Schema that the bundled stacks
satisfy and that refuses what the loader refuses for its shape. The policy config
is what ``pulumi preview --policy-pack-config`` reads: the dev stack's must be the
checked-in ``policies/dev.json`` without its explicit levels.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from helpers.cli import run_cli
from helpers.paths import ROOT, SPECS
from tenantcfg.rules import REGISTRY
from tenantcfg.spec.loader import load_bytes
from tenantcfg.spec.problems import SpecError
from tenantcfg.stack.packconfig import WAIVED_POLICY

DEV = ROOT / "stacks" / "dev.yaml"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    """The schema ``tenantcfg schema`` prints, checked as a 2020-12 schema."""
    result = run_cli("schema")
    assert (result.returncode, result.stderr) == (0, "")
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def as_json(text: str) -> Any:
    """A YAML spec as JSON data, the way editors and check-jsonschema see it: an
    unquoted date such as a waiver's expiry is the string written, not a date."""
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


def errors(validator: Draft202012Validator, doc: Any) -> list[tuple[str, ...]]:
    """Where the schema finds fault with ``doc``, as paths."""
    return sorted(tuple(str(p) for p in e.absolute_path) for e in validator.iter_errors(doc))


@pytest.mark.parametrize(
    "path",
    [DEV, ROOT / "stacks" / "prod.yaml", *sorted((SPECS / "valid").glob("*.yaml"))],
    ids=lambda p: p.name,
)
def test_the_bundled_and_valid_specs_satisfy_the_schema(
    validator: Draft202012Validator, path: Path
) -> None:
    assert errors(validator, as_json(path.read_text(encoding="utf-8"))) == []


def _dev_with(change: str) -> dict[str, Any]:
    doc: dict[str, Any] = as_json(DEV.read_text(encoding="utf-8"))
    policies = doc["my_account_api"]["policies"]
    if change == "user-allow-all":
        policies["user"] = "allow_all"
    elif change == "client-allow-all":
        policies["client"] = "allow_all"
    elif change == "anonymous-user-allow-all":
        policies["anonymous_user"] = "allow_all"
    elif change == "unknown-top-level-key":
        doc["grants"] = []
    elif change == "no-tenant":
        del doc["tenant"]
    return doc


@pytest.mark.parametrize(
    ("change", "where"),
    [
        # A shape the schema can say: the user policy may be allow_all (MYACC-001 judges it).
        ("user-allow-all", []),
        # The client and anonymous policies have no allow_all at all.
        ("client-allow-all", [("my_account_api", "policies", "client")]),
        ("anonymous-user-allow-all", [("my_account_api", "policies", "anonymous_user")]),
        ("unknown-top-level-key", [()]),
        ("no-tenant", [()]),
    ],
)
def test_the_schema_refuses_what_the_loader_refuses_for_its_shape(
    validator: Draft202012Validator, change: str, where: list[tuple[str, ...]]
) -> None:
    doc = _dev_with(change)
    assert errors(validator, doc) == where
    raw = yaml.safe_dump(doc, sort_keys=False).encode()
    if where:
        with pytest.raises(SpecError):
            load_bytes(raw, "dev.yaml")
    else:
        load_bytes(raw, "dev.yaml")


def test_the_dev_policy_config_is_policies_dev_json_without_its_levels() -> None:
    result = run_cli("policy-config", "--stack", "dev")
    assert (result.returncode, result.stderr) == (0, "")
    checked_in = json.loads((ROOT / "policies" / "dev.json").read_text(encoding="utf-8"))
    for entry in checked_in.values():
        assert entry.pop("enforcementLevel") in {"mandatory", "advisory"}
    assert json.loads(result.stdout) == checked_in


def test_policy_config_writes_the_same_text_to_an_output_file(tmp_path: Path) -> None:
    out = tmp_path / "policy-config.json"
    written = run_cli("policy-config", "--stack", "dev", "--output", str(out))
    assert (written.returncode, written.stdout, written.stderr) == (0, "", "")
    assert out.read_text(encoding="utf-8") == run_cli("policy-config", "--stack", "dev").stdout


def test_policy_config_carries_the_spec_s_waivers_and_the_thresholds() -> None:
    result = run_cli(
        "policy-config",
        "--spec",
        str(SPECS / "rules" / "waivers.yaml"),
        "--max-waiver-days",
        "40000",
        "--max-token-lifetime",
        "7200",
    )
    assert (result.returncode, result.stderr) == (0, "")
    config = json.loads(result.stdout)
    # The fixture's one waiver, on the grant of client ba9361a1fb50e2b598f78743291cc80b.
    waiver = {
        "rule": "MYACC-009",
        "resource": "grant-ba9361a1fb50e2b598f78743291cc80b",
        "reason": "the consents page ships the day Auth0 issues the scope",
        "expires": "2099-06-30",
    }
    with_waivers = {name for name, entry in config.items() if "waivers" in entry}
    assert with_waivers == {REGISTRY["MYACC-009"].name, REGISTRY["MYACC-018"].name, WAIVED_POLICY}
    assert all(config[name]["waivers"] == [waiver] for name in with_waivers)
    assert config[REGISTRY["MYACC-017"].name]["maxTokenLifetime"] == 7200
    assert {entry["maxWaiverDays"] for entry in config.values()} == {40000}


def test_policy_config_refuses_an_invalid_spec_and_writes_nothing() -> None:
    spec = SPECS / "invalid" / "hyphenated-scope.yaml"
    result = run_cli("policy-config", "--spec", str(spec))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"{spec}:")
