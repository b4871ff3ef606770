"""Parity: the offline spec pass and the policy pack find the same things.

For each spec the program can run, the (rule, application, waived) findings of
``check_spec`` must equal those of the pack's policies, each called directly
the way the CrossGuard runtime calls it, on the resources the program registers
under mocks, with the pack config ``tenantcfg policy-config`` derives from the
spec.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from helpers.paths import FIXTURE_WAIVER_DAYS, ROOT, SPECS
from tenantcfg.adapters.resources import Resource, view_of_resources
from tenantcfg.deploy.crossguard import build_policies
from tenantcfg.deploy.program import PROJECT, SPEC_KEY
from tenantcfg.deploy.program import run as program
from tenantcfg.deploy.under_mocks import OfflineRun, Registration, run_offline
from tenantcfg.review.checker import check_program, check_spec
from tenantcfg.rules import RULES, evaluate
from tenantcfg.rules.model import Settings
from tenantcfg.spec.loader import LoadedSpec, load_file
from tenantcfg.stack.naming import applications_by_resource
from tenantcfg.stack.packconfig import UNKNOWN_POLICY, WAIVED_POLICY, pack_config

SPEC_ONLY_RULES = frozenset(
    {
        # Application kind and first-party flag are spec fields: a client grant carries neither,
        # and the program declares no auth0.Client the pack could read them from.
        "MYACC-011",
        # A justification is written in the spec for reviewers; no resource input holds it.
        "MYACC-016",
        # Waivers reach the pack as policy config derived from the spec, one rule's waivers per
        # policy; whether a waiver itself is valid is judged on the spec, where it is written.
        "MYACC-018",
        # Placeholders are spec text (owner, justification, declarations), not resource inputs.
        "MYACC-020",
    }
)
"""Rules left out of the comparison: only a spec can know what they judge."""

Policy = StackValidationPolicy | ResourceValidationPolicy
Key = tuple[str, str, bool]
"""(rule id, spec application or 'my_account_api', waived)."""

FIXTURES = sorted(
    [
        *(SPECS / "rules").glob("*.yaml"),
        *(SPECS / "valid").glob("*.yaml"),
        *(SPECS / "report").glob("*.yaml"),
        ROOT / "stacks" / "dev.yaml",
        ROOT / "stacks" / "prod.yaml",
    ],
)
_TRAILING_RULE = re.compile(r"\((MYACC-\d{3})\)$")


def spec_name(resource: str, loaded: LoadedSpec) -> str:
    """The spec entry a registered resource was declared for."""
    if resource == "my-account-api":
        return "my_account_api"
    apps = applications_by_resource(
        {name: app.client_id for name, app in loaded.spec.applications.items()}
    )
    assert resource in apps, resource
    return apps[resource]


def offline_run(path: Path) -> OfflineRun:
    """The program, under mocks, on one spec file."""
    return run_offline(
        program,
        project=PROJECT,
        stack="parity",
        config={f"{PROJECT}:{SPEC_KEY}": str(path.resolve())},
    )


def policy_resource(reg: Registration) -> PolicyResource:
    """A registration as the CrossGuard runtime hands it to a stack policy."""
    opts = PolicyResourceOptions(
        protect=reg.protect,
        ignore_changes=[],
        delete_before_replace=None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=[],
        parent=reg.parent or None,
    )
    return PolicyResource(
        resource_type=reg.type,
        props=reg.inputs,
        urn=reg.urn,
        name=reg.name,
        opts=opts,
        provider=None,
        parent=None,
        dependencies=[],
        property_dependencies={},
    )


@pytest.fixture(scope="module")
def policies() -> list[Policy]:
    """The pack's policies, built once."""
    return list(build_policies())


@pytest.fixture(scope="module")
def offline_runs() -> Callable[[Path], OfflineRun]:
    """``offline_run``, run once per spec file in this module (the runs are only read)."""
    return functools.cache(offline_run)


def run_policies(
    policies: list[Policy], resources: list[PolicyResource], config: Mapping[str, Mapping[str, Any]]
) -> Iterator[tuple[str, str, str | None]]:
    """(policy name, message, urn) for every violation any policy reports.

    Each policy is called as the CrossGuard runtime calls it: a stack policy once
    with every resource, a resource policy once per resource (a violation it
    reports without a URN is on that resource).
    """
    for policy in policies:
        own = config.get(policy.name, {})
        calls: list[tuple[Any, str | None]]
        if isinstance(policy, ResourceValidationPolicy):
            calls = [
                (
                    ResourceValidationArgs(
                        r.resource_type, r.props, r.urn, r.name, r.opts, r.provider, own
                    ),
                    r.urn,
                )
                for r in resources
            ]
        else:
            calls = [(StackValidationArgs(resources, own), None)]
        for args, default_urn in calls:
            reported: list[tuple[str, str | None]] = []

            def report(
                message: str, urn: str | None = None, sink: list[tuple[str, str | None]] = reported
            ) -> None:
                sink.append((message, urn))

            assert policy.validate(args, report) is None, "policies here are synchronous"
            for message, urn in reported:
                yield policy.name, message, urn or default_urn


def pack_keys(
    policies: list[Policy],
    run: OfflineRun,
    loaded: LoadedSpec,
    config: Mapping[str, Mapping[str, Any]] | None = None,
) -> set[Key]:
    """What the pack reports on the program's resources, in spec terms."""
    config = pack_config(loaded.spec, LONG) if config is None else config
    resources = [policy_resource(r) for r in run.registrations]
    names = {r.urn: r.name for r in resources}
    rule_of_policy = {rule.name: rule.id for rule in RULES}
    keys: set[Key] = set()
    for policy_name, message, urn in run_policies(policies, resources, config):
        assert policy_name != UNKNOWN_POLICY, f"nothing is unknown under mocks: {message}"
        if policy_name == WAIVED_POLICY:
            match = _TRAILING_RULE.search(message)
            assert match is not None, message
            rule_id, waived = match.group(1), True
        else:
            rule_id, waived = rule_of_policy[policy_name], False
        if rule_id in SPEC_ONLY_RULES:
            continue
        assert urn in names, f"{policy_name} reported on no resource: {message}"
        keys.add((rule_id, spec_name(names[urn], loaded), waived))
    return keys


LONG = Settings(max_waiver_days=FIXTURE_WAIVER_DAYS)


def spec_keys(loaded: LoadedSpec, settings: Settings = LONG) -> set[Key]:
    """What the offline spec pass reports, minus the spec-only rules."""
    return {
        (f.rule.id, f.resource, f.waiver is not None)
        for f in check_spec(loaded, settings)
        if f.rule.id not in SPEC_ONLY_RULES
    }


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_spec_pass_and_pack_agree(
    path: Path, policies: list[Policy], offline_runs: Callable[[Path], OfflineRun]
) -> None:
    loaded = load_file(path)
    run = offline_runs(path)
    from_spec = spec_keys(loaded)
    from_pack = pack_keys(policies, run, loaded)
    assert from_spec == from_pack
    # The checker's own program pass is the same evaluation as the pack's.
    from_program = {
        (f.rule.id, f.resource, f.waiver is not None)
        for f in check_program(loaded, run, LONG)
        if f.rule.id not in SPEC_ONLY_RULES
    }
    assert from_program == from_pack


NOT_VACUOUS: dict[str, set[Key]] = {
    "user-allow-all.yaml": {("MYACC-001", "my_account_api", False)},
    "anonymous-user-require-client-grant.yaml": {("MYACC-003", "my_account_api", False)},
    "lifetime-two-hours.yaml": {("MYACC-017", "my_account_api", False)},
    "empty-scopes.yaml": {("MYACC-006", "fail-no-scopes", False)},
    "planned-scopes.yaml": {
        ("MYACC-009", "fail-planned-consents", False),
        ("MYACC-009", "fail-planned-among-issued", False),
    },
    "duplicate-client.yaml": {
        ("MYACC-012", "fail-web-first", False),
        ("MYACC-012", "fail-web-again", False),
    },
    "sensitive-without-step-up.yaml": {
        ("MYACC-015", f"fail-{name}", False)
        for name in (
            "enrolls-passkeys",
            "renames-methods",
            "removes-methods",
            "links-accounts",
            "unlinks-accounts",
        )
    },
    "waivers.yaml": {
        ("MYACC-009", "waived-planned-consents", True),
        ("MYACC-009", "unwaived-planned-consents", False),
    },
    "waived-lifetime.yaml": {("MYACC-017", "my_account_api", True)},
    "waived-allow-all.yaml": {("MYACC-001", "my_account_api", False)},
    "invalid-waivers.yaml": {
        ("MYACC-009", "expired-waiver", False),
        ("MYACC-009", "reasonless-waiver", False),
        ("MYACC-009", "unknown-rule-waiver", False),
        ("MYACC-009", "valid-waiver", True),
    },
}


@pytest.mark.parametrize(("fixture", "expected"), NOT_VACUOUS.items())
def test_the_agreement_is_about_real_findings(
    fixture: str,
    expected: set[Key],
    policies: list[Policy],
    offline_runs: Callable[[Path], OfflineRun],
) -> None:
    path = SPECS / "rules" / fixture
    loaded = load_file(path)
    assert spec_keys(loaded) == expected
    assert pack_keys(policies, offline_runs(path), loaded) == expected


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        (3600, {("MYACC-017", "my_account_api", False)}),
        (7200, set()),
    ],
)
def test_a_configured_lifetime_threshold_reaches_both(
    threshold: int,
    expected: set[Key],
    policies: list[Policy],
    offline_runs: Callable[[Path], OfflineRun],
) -> None:
    path = SPECS / "rules" / "lifetime-two-hours.yaml"
    loaded = load_file(path)
    settings = Settings(max_token_lifetime=threshold, max_waiver_days=FIXTURE_WAIVER_DAYS)
    assert spec_keys(loaded, settings) == expected
    config = pack_config(loaded.spec, settings)
    assert pack_keys(policies, offline_runs(path), loaded, config) == expected


RESOURCE_FILES = sorted((Path(__file__).resolve().parent / "resources").glob("*.yaml"))
CANONICAL_DOMAIN = {"identifier-other-tenant.yaml": "acme.eu.auth0.com"}
"""Files judged with a configured canonical domain (``canonicalDomain`` in pack config)."""


@pytest.mark.parametrize("path", RESOURCE_FILES, ids=lambda p: p.name)
def test_the_pack_judges_hand_written_resources_like_the_rules(
    path: Path, policies: list[Policy]
) -> None:
    items = yaml.safe_load(path.read_text())
    registrations = [
        Registration(
            type=i["type"],
            name=i["name"],
            urn=f"urn:pulumi:t::p::{i['type']}::{i['name']}",
            parent="",
            custom=True,
            inputs=i.get("inputs", {}),
            protect=bool(i.get("protect", False)),
            retain_on_delete=False,
            import_id="",
        )
        for i in items
    ]
    domain = CANONICAL_DOMAIN.get(path.name)
    resources = [Resource(r.type, r.name, r.urn, r.inputs, r.protect) for r in registrations]
    view = view_of_resources(resources, Settings(canonical_domain=domain)).view
    direct = {(f.rule.id, f.resource) for f in evaluate(view)}
    config = {p.name: {"canonicalDomain": domain} for p in policies} if domain else {}
    pack_resources = [policy_resource(r) for r in registrations]
    names = {r.urn: r.name for r in pack_resources}
    rule_of_policy = {rule.name: rule.id for rule in RULES}
    through_pack = set()
    for name, message, urn in run_policies(policies, pack_resources, config):
        assert urn is not None, f"{name} reported on no resource: {message}"
        through_pack.add((rule_of_policy[name], names[urn]))
    assert direct
    assert through_pack == direct
