"""The real policy pack in ``policies/``, started as the Pulumi CLI starts it and driven over gRPC.

Resources come either from our program run under mocks (the dev stack) or
written by hand, as any Pulumi program could declare them. Expected outcomes
are exact sets of (policy, resource URN, enforcement level).
"""

from __future__ import annotations

import json
import socket
import tomllib
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml

from analyzer import (
    UNKNOWN,
    PackError,
    PackProcess,
    PolicyConfigError,
    Provider,
    Secret,
    StackResource,
    preview,
)
from helpers.paths import ROOT
from tenantcfg.deploy import program
from tenantcfg.deploy.under_mocks import run_offline
from tenantcfg.rules import REGISTRY, RULES
from tenantcfg.spec.loader import load_file
from tenantcfg.stack.packconfig import UNKNOWN_POLICY, WAIVED_POLICY, pack_config

PACK = ROOT / "policies"
DEV_CONFIG = PACK / "dev.json"
DEV_DOMAIN = "acme-dev.eu.auth0.com"

API = "auth0:index/resourceServer:ResourceServer"
GRANT = "auth0:index/clientGrant:ClientGrant"
ME = "https://x.eu.auth0.com/me/"


def policy(rule_id: str) -> str:
    """The pack's policy name for a rule."""
    return REGISTRY[rule_id].name


def provider(project: str, domain: str) -> Provider:
    """The default auth0 provider resource, as the engine sends it with each resource."""
    version = metadata.version("pulumi_auth0")
    name = f"default_{version.replace('.', '_')}"
    return Provider(
        "pulumi:providers:auth0",
        name,
        f"urn:pulumi:dev::{project}::pulumi:providers:auth0::{name}",
        {"domain": domain, "version": version},
    )


HAND = provider("handwritten", "x.eu.auth0.com")


def urn(type_: str, name: str) -> str:
    """A URN in the hand-written program."""
    return f"urn:pulumi:dev::handwritten::{type_}::{name}"


def api(name: str, inputs: dict[str, Any], protect: bool = False) -> StackResource:
    """A hand-written ResourceServer."""
    return StackResource(API, name, urn(API, name), inputs, protect=protect, provider=HAND)


def grant(name: str, **inputs: Any) -> StackResource:
    """A hand-written ClientGrant on the My Account audience unless told otherwise."""
    return StackResource(GRANT, name, urn(GRANT, name), {"audience": ME, **inputs}, provider=HAND)


def dev_stack_resources() -> list[StackResource]:
    """What the engine would send for the dev stack: our program's registrations under mocks."""
    run = run_offline(
        program.run,
        project=program.PROJECT,
        stack="dev",
        config={
            "auth0:domain": DEV_DOMAIN,
            f"{program.PROJECT}:{program.SPEC_KEY}": str(ROOT / "stacks" / "dev.yaml"),
        },
    )
    default = provider(program.PROJECT, DEV_DOMAIN)
    stack_urn = f"urn:pulumi:dev::{program.PROJECT}::pulumi:pulumi:Stack::{program.PROJECT}-dev"
    resources = [
        StackResource("pulumi:pulumi:Stack", f"{program.PROJECT}-dev", stack_urn),
        StackResource(default.type, default.name, default.urn, default.inputs),
    ]
    resources += [
        StackResource(
            r.type,
            r.name,
            r.urn,
            r.inputs,
            protect=r.protect,
            parent=r.parent,
            dependencies=r.dependencies,
            provider=default if r.custom else None,
        )
        for r in run.registrations
    ]
    return resources


@pytest.mark.slow
def test_pack_serves_one_policy_per_rule_at_its_default_level() -> None:
    result = preview(PACK, [])
    expected = {rule.name: rule.level.value for rule in RULES}
    expected |= {WAIVED_POLICY: "advisory", UNKNOWN_POLICY: "advisory"}
    assert {name: info.level for name, info in result.policies.items()} == expected
    assert result.diagnostics == []


@pytest.mark.slow
def test_dev_stack_from_the_program_is_clean() -> None:
    resources = dev_stack_resources()
    judged = [r.name for r in resources if r.type in (API, GRANT)]
    assert sorted(judged) == [
        "grant-Gh2Jk4Lm6Np8Qr0St1Uv3Wx5Yz7Ab9Cd",
        "grant-Lm3Nb5Vc7Xz9Qw1Er2Ty4Ui6Op8As0Df",
        "grant-Xq7dJ2mN4pR8sT1vW3yZ5aB6cD9eF0gH",
        "my-account-api",
    ]

    result = preview(
        PACK, resources, config_file=DEV_CONFIG, stack_config={"auth0:domain": DEV_DOMAIN}
    )

    assert result.triples() == set()
    assert result.engine_logs == []
    assert "error" not in result.stderr.lower()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        pytest.param(
            api(
                "me",
                {
                    "identifier": ME,
                    "subjectTypeAuthorization": {
                        "user": {"policy": "allow_all"},
                        "client": {"policy": "deny_all"},
                    },
                },
            ),
            {("MYACC-001", "mandatory"), ("MYACC-014", "advisory")},
            id="api-user-policy-allow_all",
        ),
        pytest.param(
            grant("to-client", clientId="abc123", subjectType="client", scopes=["read:me:factors"]),
            {("MYACC-004", "mandatory")},
            id="grant-subject-client",
        ),
        pytest.param(
            grant("no-subject", clientId="abc123", scopes=["read:me:factors"]),
            {("MYACC-004", "mandatory")},
            id="grant-subject-absent-means-client",
        ),
        pytest.param(
            grant(
                "all-scopes", clientId="abc123", subjectType="user", allowAllScopes=True, scopes=[]
            ),
            {("MYACC-005", "mandatory")},
            id="grant-allow_all_scopes",
        ),
        pytest.param(
            grant(
                "secret-client",
                clientId=Secret("abc123"),
                subjectType="user",
                scopes=["read:me:factors"],
            ),
            set(),
            id="grant-least-privilege-with-secret-client-id",
        ),
    ],
)
def test_hand_written_resources(resource: StackResource, expected: set[tuple[str, str]]) -> None:
    result = preview(PACK, [resource])

    assert result.triples() == {(policy(rule), resource.urn, level) for rule, level in expected}
    # One-resource rules are resource policies: the engine runs them before it creates
    # or updates the resource (also under `pulumi up --skip-preview`), so each of these
    # violations comes back from the per-resource Analyze call, not only at stack end.
    assert {(d.policy, d.urn, d.level) for d in result.resource_diagnostics} == {
        (policy(rule), resource.urn, level) for rule, level in expected
    }


@pytest.mark.slow
def test_unknown_values_during_preview_are_advisory_only() -> None:
    unknown_audience = grant(
        "later-audience",
        clientId="abc123",
        audience=UNKNOWN,
        subjectType="client",
        scopes=["read:me:factors"],
    )
    unknown_scopes = grant("later-scopes", clientId="abc123", subjectType="user", scopes=UNKNOWN)

    result = preview(PACK, [unknown_audience, unknown_scopes])

    assert result.triples() == {
        (UNKNOWN_POLICY, unknown_audience.urn, "advisory"),
        (UNKNOWN_POLICY, unknown_scopes.urn, "advisory"),
    }


@pytest.mark.slow
def test_known_violation_stays_mandatory_next_to_an_unknown_client_id() -> None:
    # The usual case: the grant's application is created in the same program, so its
    # client id is unknown during preview; the subject type is known, and wrong.
    new_app = grant("new-app", clientId=UNKNOWN, subjectType="client", scopes=["read:me:factors"])

    result = preview(PACK, [new_app])

    assert (policy("MYACC-004"), new_app.urn, "mandatory") in result.triples()


@pytest.mark.slow
def test_config_file_changes_enforcement_level_and_threshold(tmp_path: Path) -> None:
    allow_all = api(
        "me",
        {
            "identifier": ME,
            "tokenLifetime": 7200,
            "subjectTypeAuthorization": {"user": {"policy": "allow_all"}},
        },
        protect=True,
    )
    config = json.loads(DEV_CONFIG.read_text(encoding="utf-8"))
    config[policy("MYACC-001")]["enforcementLevel"] = "advisory"
    config[policy("MYACC-017")]["maxTokenLifetime"] = 86400
    for entry in config.values():
        entry["canonicalDomain"] = "x.eu.auth0.com"
    relaxed = tmp_path / "relaxed.json"
    relaxed.write_text(json.dumps(config), encoding="utf-8")

    strict = preview(PACK, [allow_all])
    loose = preview(PACK, [allow_all], config_file=relaxed)

    assert strict.triples() == {
        (policy("MYACC-001"), allow_all.urn, "mandatory"),
        (policy("MYACC-017"), allow_all.urn, "advisory"),
    }
    assert loose.triples() == {(policy("MYACC-001"), allow_all.urn, "advisory")}
    assert loose.config[policy("MYACC-001")].level == "advisory"


def test_dev_config_is_the_spec_s_pack_config_with_explicit_levels() -> None:
    config = json.loads(DEV_CONFIG.read_text(encoding="utf-8"))
    levels = {name: entry.pop("enforcementLevel") for name, entry in config.items()}

    assert config == pack_config(load_file(ROOT / "stacks" / "dev.yaml").spec)
    assert levels == {
        **{r.name: r.level.value for r in RULES},
        WAIVED_POLICY: "advisory",
        UNKNOWN_POLICY: "advisory",
    }


@pytest.mark.slow
def test_config_against_the_pack_schema_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({policy("MYACC-017"): {"maxTokenLifetime": 10}}), encoding="utf-8")

    with pytest.raises(PolicyConfigError, match="myaccount-token-lifetime: 10 is less than"):
        preview(PACK, [], config_file=bad)


@pytest.mark.slow
def test_pack_process_is_killed_and_its_port_freed() -> None:
    with PackProcess(PACK, "127.0.0.1:1") as pack:
        assert pack.running()
        port = pack.port
    assert not pack.running()
    with socket.socket() as s, pytest.raises(ConnectionRefusedError):
        s.connect(("127.0.0.1", port))


@pytest.mark.slow
def test_pack_that_fails_to_start_reports_its_error(tmp_path: Path) -> None:
    (tmp_path / "PulumiPolicy.yaml").write_text("runtime: python\n", encoding="utf-8")
    (tmp_path / "__main__.py").write_text(
        "raise RuntimeError('no policies here')\n", encoding="utf-8"
    )

    with pytest.raises(PackError, match="no policies here"):
        preview(tmp_path, [])


def test_pack_project_runs_in_the_program_s_virtualenv() -> None:
    pack = yaml.safe_load((PACK / "PulumiPolicy.yaml").read_text(encoding="utf-8"))
    project = yaml.safe_load((ROOT / "Pulumi.yaml").read_text(encoding="utf-8"))
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

    # Only keys the CLI's policy pack project knows; a pack has no "name" key.
    assert set(pack) <= {
        "runtime",
        "version",
        "main",
        "description",
        "author",
        "website",
        "license",
    }
    assert pack["runtime"]["name"] == "python"
    venv = PACK / pack["runtime"]["options"]["virtualenv"]
    assert venv.resolve() == (ROOT / project["runtime"]["options"]["virtualenv"]).resolve()
    lines = (PACK / "requirements.txt").read_text(encoding="utf-8").splitlines()
    requirements = [line for line in lines if line and not line.startswith("#")]
    pin = next(d for d in pyproject["project"]["dependencies"] if d.startswith("pulumi-policy"))
    assert requirements == [pin, "-e .."]
