"""Each rule on fixtures named by the expected outcome, compared as sets.

Spec fixtures (``tests/specs/rules/``) go through the real loader and the spec
adapter; what a spec cannot express goes through hand-written Pulumi resources
(``tests/resources/``) and the resource adapter. For each rule, the set of
resources it fails must be exactly the set named ``fail-…``.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers.paths import FIXTURE_WAIVER_DAYS, SPECS
from tenantcfg.adapters.resources import Resource, view_of_resources
from tenantcfg.adapters.spec import API_ENTRY, view_of_spec
from tenantcfg.rules import REGISTRY, Finding, Level, evaluate
from tenantcfg.rules.model import Settings, TenantView
from tenantcfg.spec.loader import load_file

RULE_SPECS = SPECS / "rules"
RESOURCES = Path(__file__).resolve().parent / "resources"
TODAY = dt.date(2025, 6, 1)
"""Fixed 'today' for every spec evaluation, so waiver expiry never depends on the clock."""


def failing(findings: Iterable[Finding], rule_id: str) -> set[str]:
    """The resources one rule reported."""
    return {f.resource for f in findings if f.rule.id == rule_id}


def expected_failures(names: Iterable[str]) -> set[str]:
    """The names that say they fail; every name must say pass or fail."""
    names = list(names)
    unnamed = [n for n in names if not n.startswith(("pass-", "fail-"))]
    assert not unnamed, f"fixture names must start with pass- or fail-: {unnamed}"
    assert any(n.startswith("pass-") for n in names), "a fixture needs a passing case too"
    return {n for n in names if n.startswith("fail-")}


def spec_view(name: str, settings: Settings | None = None, today: dt.date = TODAY) -> TenantView:
    """The rules' view of one rule fixture spec."""
    settings = settings or Settings(max_waiver_days=FIXTURE_WAIVER_DAYS)
    return view_of_spec(load_file(RULE_SPECS / name), settings, today)


def load_resources(name: str) -> list[Resource]:
    """Hand-written resources from one fixture file."""
    items: list[dict[str, Any]] = yaml.safe_load((RESOURCES / name).read_text())
    names = [item["name"] for item in items]
    assert len(names) == len(set(names)), f"duplicate resource names in {name}"
    return [
        Resource(
            type=item["type"],
            name=item["name"],
            urn=f"urn:pulumi:test::fixtures::{item['type']}::{item['name']}",
            inputs=item.get("inputs", {}),
            protect=item.get("protect"),
        )
        for item in items
    ]


# --- applications in a spec ---------------------------------------------------------------

SPEC_CASES = [
    ("application-kind.yaml", "MYACC-011"),
    ("empty-scopes.yaml", "MYACC-006"),
    ("planned-scopes.yaml", "MYACC-009"),
    ("duplicate-client.yaml", "MYACC-012"),
    ("sensitive-without-step-up.yaml", "MYACC-015"),
    ("sensitive-with-step-up.yaml", "MYACC-015"),
    ("justification.yaml", "MYACC-016"),
    ("declared-scopes.yaml", "MYACC-019"),
    ("placeholders.yaml", "MYACC-020"),
]


@pytest.mark.parametrize(("fixture", "rule_id"), SPEC_CASES)
def test_spec_applications_fail_exactly_as_named(fixture: str, rule_id: str) -> None:
    view = spec_view(fixture)
    assert failing(evaluate(view), rule_id) == expected_failures(g.resource for g in view.grants)


def test_spec_findings_point_at_the_offending_field() -> None:
    findings = evaluate(spec_view("application-kind.yaml"))
    fields = {(f.resource, f.field) for f in findings if f.rule.id == "MYACC-011"}
    assert fields == {
        ("fail-m2m-app", ("applications", "fail-m2m-app", "app_type")),
        ("fail-third-party-spa", ("applications", "fail-third-party-spa", "first_party")),
        ("fail-third-party-m2m-app", ("applications", "fail-third-party-m2m-app", "app_type")),
        ("fail-third-party-m2m-app", ("applications", "fail-third-party-m2m-app", "first_party")),
        ("fail-sso-integration", ("applications", "fail-sso-integration", "app_type")),
        ("fail-express-configuration", ("applications", "fail-express-configuration", "app_type")),
    }
    planned = [f for f in evaluate(spec_view("planned-scopes.yaml")) if f.rule.id == "MYACC-009"]
    assert {f.field for f in planned} == {
        ("applications", "fail-planned-consents", "scopes", 0),
        ("applications", "fail-planned-among-issued", "scopes", 1),
    }


def test_placeholders_are_found_wherever_they_are_written() -> None:
    findings = [f for f in evaluate(spec_view("placeholders.yaml")) if f.rule.id == "MYACC-020"]
    declared = evaluate(spec_view("placeholders-declared.yaml"))
    assert {(f.resource, f.field) for f in declared if f.rule.id == "MYACC-020"} == {
        ("declared scope read:me:sessions", ("declared_scopes", "read:me:sessions", "unlocks")),
    }
    assert {(f.resource, f.field) for f in findings} == {
        ("fail-owner-left-as-imported", ("applications", "fail-owner-left-as-imported", "owner")),
        (
            "fail-justification-left-as-imported",
            ("applications", "fail-justification-left-as-imported", "justification"),
        ),
        ("fail-marker-retyped", ("applications", "fail-marker-retyped", "owner")),
    }


# --- the API itself: one spec per variant ---------------------------------------------------

API_RULES = ("MYACC-001", "MYACC-002", "MYACC-003", "MYACC-013", "MYACC-014", "MYACC-017")
API_VARIANTS = {
    "locked.yaml": set(),
    "user-deny-all.yaml": set(),
    "user-allow-all.yaml": {"MYACC-001"},
    "anonymous-user-require-client-grant.yaml": {"MYACC-003"},
    "lifetime-one-hour.yaml": set(),
    "lifetime-two-hours.yaml": {"MYACC-017"},
}


@pytest.mark.parametrize(("fixture", "fails"), API_VARIANTS.items())
def test_api_variant_fails_exactly_its_rule(fixture: str, fails: set[str]) -> None:
    findings = evaluate(spec_view(fixture))
    for rule_id in API_RULES:
        want = {API_ENTRY} if rule_id in fails else set()
        assert failing(findings, rule_id) == want, rule_id
    # The one application in these fixtures is harmless: nothing else is reported.
    assert {(f.rule.id, f.resource) for f in findings} == {(r, API_ENTRY) for r in fails}


def test_api_findings_carry_the_rule_level() -> None:
    (allow_all,) = evaluate(spec_view("user-allow-all.yaml"))
    assert allow_all.level is Level.MANDATORY
    assert allow_all.blocking
    assert allow_all.field == ("my_account_api", "policies", "user")
    (lifetime,) = evaluate(spec_view("lifetime-two-hours.yaml"))
    assert lifetime.level is Level.ADVISORY
    assert not lifetime.blocking


def test_a_spec_checked_against_another_canonical_domain_fails_the_identifier_rule() -> None:
    view = spec_view("locked.yaml", Settings(canonical_domain="acme-prod.us.auth0.com"))
    assert failing(evaluate(view), "MYACC-013") == {API_ENTRY, "account-page"}
    assert failing(evaluate(spec_view("locked.yaml")), "MYACC-013") == set()


# --- hand-written resources -------------------------------------------------------------------

RESOURCE_CASES = [
    ("user-policy.yaml", "MYACC-001", Settings()),
    ("client-policy.yaml", "MYACC-002", Settings()),
    ("anonymous-policy.yaml", "MYACC-003", Settings()),
    ("subject-type.yaml", "MYACC-004", Settings()),
    ("allow-all-scopes.yaml", "MYACC-005", Settings()),
    ("empty-scopes.yaml", "MYACC-006", Settings()),
    ("unknown-scopes.yaml", "MYACC-007", Settings()),
    ("hyphenated-scopes.yaml", "MYACC-008", Settings()),
    ("default-for.yaml", "MYACC-010", Settings()),
    ("duplicate-grants.yaml", "MYACC-012", Settings()),
    ("identifier.yaml", "MYACC-013", Settings()),
    ("identifier-other-tenant.yaml", "MYACC-013", Settings(canonical_domain="acme.eu.auth0.com")),
    ("protection.yaml", "MYACC-014", Settings()),
    ("token-lifetime.yaml", "MYACC-017", Settings()),
]


@pytest.mark.parametrize(("fixture", "rule_id", "settings"), RESOURCE_CASES)
def test_resources_fail_exactly_as_named(fixture: str, rule_id: str, settings: Settings) -> None:
    resources = load_resources(fixture)
    findings = evaluate(view_of_resources(resources, settings).view)
    assert failing(findings, rule_id) == expected_failures(r.name for r in resources)


def test_duplicate_grants_fail_whatever_order_they_arrive_in() -> None:
    resources = load_resources("duplicate-grants.yaml")
    forward = failing(evaluate(view_of_resources(resources).view), "MYACC-012")
    backward = failing(evaluate(view_of_resources(resources[::-1]).view), "MYACC-012")
    assert forward == backward == {"fail-first-user-grant", "fail-second-user-grant"}


def test_the_provider_domain_is_the_canonical_domain_when_config_says_nothing() -> None:
    resources = [
        Resource(
            r.type,
            r.name,
            r.urn,
            r.inputs,
            r.protect,
            provider_inputs={"domain": "acme.eu.auth0.com"},
        )
        for r in load_resources("identifier-other-tenant.yaml")
    ]
    findings = evaluate(view_of_resources(resources).view)
    assert failing(findings, "MYACC-013") == {"fail-other-tenant", "fail-grant-to-other-tenant"}


def test_hand_written_allow_all_is_mandatory() -> None:
    findings = evaluate(view_of_resources(load_resources("user-policy.yaml")).view)
    (allow_all,) = [f for f in findings if f.rule.id == "MYACC-001"]
    assert allow_all.blocking
    assert allow_all.field == ("subjectTypeAuthorization", "user", "policy")


# --- the token lifetime threshold -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("threshold", "fails"),
    [
        (3600, {API_ENTRY}),
        (7199, {API_ENTRY}),
        (7200, set()),
        (86400, set()),
    ],
)
def test_the_lifetime_threshold_is_configurable_on_a_spec(threshold: int, fails: set[str]) -> None:
    view = spec_view("lifetime-two-hours.yaml", Settings(max_token_lifetime=threshold))
    assert failing(evaluate(view), "MYACC-017") == fails


@pytest.mark.parametrize(
    ("threshold", "fails"),
    [
        (3600, {"fail-two-hours"}),
        (600, {"fail-two-hours", "pass-one-hour"}),
        (599, {"fail-two-hours", "pass-one-hour", "pass-auth0-default"}),
        (7200, set()),
    ],
)
def test_the_lifetime_threshold_is_configurable_on_resources(
    threshold: int, fails: set[str]
) -> None:
    view = view_of_resources(
        load_resources("token-lifetime.yaml"), Settings(max_token_lifetime=threshold)
    ).view
    assert failing(evaluate(view), "MYACC-017") == fails


def test_a_threshold_changes_only_the_threshold() -> None:
    view = spec_view("lifetime-two-hours.yaml", Settings(max_token_lifetime=7200))
    assert view.settings == Settings(max_token_lifetime=7200, canonical_domain=None)


def test_a_custom_domain_in_a_spec_is_not_taken_as_canonical(tmp_path: Path) -> None:
    text = (SPECS / "rules" / "lifetime-two-hours.yaml").read_text(encoding="utf-8")
    custom = tmp_path / "custom-domain.yaml"
    custom.write_text(text.replace("acme.eu.auth0.com", "login.acme.example"), encoding="utf-8")
    findings = evaluate(view_of_spec(load_file(custom)))
    assert {f.resource for f in findings if f.rule.id == "MYACC-013"} == {
        "my_account_api",
        "account-page",
    }


def test_levels_override_a_rule_or_switch_it_off() -> None:
    view = spec_view("lifetime-two-hours.yaml")
    (raised,) = evaluate(view, {"MYACC-017": Level.MANDATORY})
    assert raised.blocking
    assert evaluate(view, {"MYACC-017": Level.DISABLED}) == []


# --- waivers ------------------------------------------------------------------------------------


def findings_by(view: TenantView) -> dict[tuple[str, str], Finding]:
    """Findings keyed by (rule, resource); the fixtures hold one of each at most."""
    out: dict[tuple[str, str], Finding] = {}
    for f in evaluate(view):
        assert (f.rule.id, f.resource) not in out
        out[f.rule.id, f.resource] = f
    return out


def test_a_waiver_silences_one_rule_for_one_application_and_is_still_reported() -> None:
    found = findings_by(spec_view("waivers.yaml"))
    waived = found["MYACC-009", "waived-planned-consents"]
    assert waived.waived
    assert not waived.blocking
    assert waived.level is Level.MANDATORY  # reported at its level, marked waived
    assert waived.waiver is not None
    assert waived.waiver.reason == "the consents page ships the day Auth0 issues the scope"
    # The same rule on another application is not silenced ...
    assert found["MYACC-009", "unwaived-planned-consents"].blocking
    # ... nor another rule on the waived application.
    assert not found["MYACC-016", "waived-planned-consents"].waived
    assert set(found) == {
        ("MYACC-009", "waived-planned-consents"),
        ("MYACC-009", "unwaived-planned-consents"),
        ("MYACC-016", "waived-planned-consents"),
    }


@pytest.mark.parametrize(
    ("today", "waived"),
    [
        (dt.date(2099, 6, 29), True),
        (dt.date(2099, 6, 30), True),  # the expiry date is the last day it holds
        (dt.date(2099, 7, 1), False),
    ],
)
def test_a_waiver_holds_until_its_expiry_date(today: dt.date, waived: bool) -> None:
    found = findings_by(spec_view("waivers.yaml", today=today))
    assert found["MYACC-009", "waived-planned-consents"].waived is waived
    expired = found.get(("MYACC-018", "waivers[0]"))
    if waived:
        assert expired is None
    else:
        assert expired is not None
        assert expired.blocking
        assert expired.field == ("waivers", 0, "expires")
        assert "expired on 2099-06-30" in expired.message


def test_invalid_waivers_each_violate_the_waiver_rule_at_their_field() -> None:
    findings = evaluate(spec_view("invalid-waivers.yaml"))
    bad = {f.resource: f for f in findings if f.rule.id == "MYACC-018"}
    assert set(bad) == {f"waivers[{i}]" for i in range(5)}  # waivers[5] is valid
    assert all(f.blocking and not f.waived for f in bad.values())
    assert "expired on 2024-01-31" in bad["waivers[0]"].message
    assert bad["waivers[0]"].field == ("waivers", 0, "expires")
    assert "no reason" in bad["waivers[1]"].message
    assert "'MYACC-099'" in bad["waivers[2]"].message
    assert bad["waivers[2]"].field == ("waivers", 2, "rule")
    assert "'no-such-application'" in bad["waivers[3]"].message
    assert bad["waivers[3]"].field == ("waivers", 3, "application")
    assert "MYACC-018" in bad["waivers[4]"].message
    assert bad["waivers[4]"].field == ("waivers", 4, "rule")


def test_only_a_valid_waiver_silences_anything() -> None:
    found = findings_by(spec_view("invalid-waivers.yaml"))
    planned = {app: f.waived for (rule, app), f in found.items() if rule == "MYACC-009"}
    assert planned == {
        "expired-waiver": False,  # expired
        "reasonless-waiver": False,  # no reason: nothing for a reviewer to check
        "unknown-rule-waiver": False,  # waives MYACC-099 and MYACC-018, not MYACC-009
        "valid-waiver": True,
    }


def test_a_waiver_may_silence_an_api_rule() -> None:
    found = findings_by(spec_view("waived-lifetime.yaml"))
    assert set(found) == {("MYACC-017", API_ENTRY)}
    assert found["MYACC-017", API_ENTRY].waived


def test_no_waiver_silences_allow_all() -> None:
    found = findings_by(spec_view("waived-allow-all.yaml"))
    assert set(found) == {("MYACC-001", API_ENTRY), ("MYACC-018", "waivers[0]")}
    assert found["MYACC-001", API_ENTRY].blocking
    assert found["MYACC-018", "waivers[0]"].field == ("waivers", 0, "rule")


def test_before_its_expiry_the_dated_waiver_is_valid() -> None:
    findings = evaluate(spec_view("invalid-waivers.yaml", today=dt.date(2024, 1, 31)))
    assert failing(findings, "MYACC-018") == {f"waivers[{i}]" for i in range(1, 5)}
    assert {f.resource for f in findings if f.rule.id == "MYACC-009" and f.waived} == {
        "expired-waiver",
        "valid-waiver",
    }


# --- coverage and the import contract -----------------------------------------------------------


def test_every_rule_has_fixtures() -> None:
    covered = {rule for _, rule in SPEC_CASES} | {rule for _, rule, _ in RESOURCE_CASES}
    covered |= set().union(*API_VARIANTS.values()) | {"MYACC-018"}  # waivers: tests above
    assert covered == set(REGISTRY)
    assert len(REGISTRY) == 20


def imported_by(code: str) -> set[str]:
    """Top-level package names imported by ``code`` in a fresh interpreter."""
    probe = (
        f"{code}\nimport json, sys\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


RULES_ALL = """
import importlib, pkgutil
import tenantcfg.rules
names = [m.name for m in pkgutil.iter_modules(tenantcfg.rules.__path__)]
assert len(names) >= 18, names
for name in names:
    importlib.import_module(f"tenantcfg.rules.{name}")
"""
PULUMI = {"pulumi", "pulumi_policy", "pulumi_auth0", "grpc"}


@pytest.mark.slow
def test_rules_import_no_pulumi_yaml_or_http() -> None:
    assert imported_by(RULES_ALL) & (PULUMI | {"yaml", "httpx", "auth0"}) == set()


@pytest.mark.slow
def test_the_spec_adapter_and_checker_import_no_pulumi() -> None:
    code = (
        "import tenantcfg.adapters.spec, tenantcfg.adapters.resources, tenantcfg.review.checker, "
        "tenantcfg.output.findings, tenantcfg.output.sarif"
    )
    assert imported_by(code) & PULUMI == set()


@pytest.mark.slow
def test_the_import_probe_sees_pulumi_when_it_is_imported() -> None:
    # Guards the two tests above against a probe that sees nothing.
    assert {"pulumi", "pulumi_policy"} <= imported_by("import tenantcfg.deploy.crossguard")
    assert "yaml" in imported_by("import tenantcfg.adapters.spec")


def test_a_declared_scope_is_known_and_sensitive_only_in_its_own_spec() -> None:
    view = spec_view("declared-scopes.yaml")
    findings = evaluate(view)
    assert failing(findings, "MYACC-007") == set()
    (declared,) = [f for f in findings if f.rule.id == "MYACC-019"]
    assert declared.field == ("applications", "fail-ends-sessions", "scopes", 1)
    assert "risk high: Sign the user out of one of their sessions." in declared.message
    without_step_up = view_of_spec(load_file(RULE_SPECS / "declared-scopes.yaml"), None, TODAY)
    assert without_step_up.settings.scope("delete:me:sessions") is not None
    # The same grant judged without the spec's declarations: an unknown scope.
    bare = TenantView(view.apis, view.grants, (), Settings(), TODAY)
    assert failing(evaluate(bare), "MYACC-007") == {"fail-ends-sessions"}
