"""The Pulumi program under mocks: what the engine would receive, resource by resource.

``run_offline`` runs the real program (``tenantcfg.deploy.program.run``) with Pulumi's
mock monitor and records every registration as the engine sees it: camelCase
input keys at every depth, numbers as floats, plus protect, retain-on-delete,
import id and parent. No CLI, no engine, no credentials.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pulumi
import pulumi_auth0 as auth0
import pytest

from helpers.paths import ROOT, SPECS
from tenantcfg.deploy import under_mocks as offline
from tenantcfg.deploy.component import MyAccountApi
from tenantcfg.deploy.program import PROJECT, declare, run
from tenantcfg.deploy.under_mocks import OfflineRun, Registration, run_offline
from tenantcfg.spec.loader import load_file
from tenantcfg.spec.model import Application, Tenant, TenantSpec
from tenantcfg.stack.config import read_stack_config

VALID = SPECS / "valid"
API = "auth0:index/resourceServer:ResourceServer"
GRANT = "auth0:index/clientGrant:ClientGrant"
COMPONENT = "tenantcfg:index:MyAccountApi"

WRITABLE = {
    "identifier",  # the key of the API, sent on creation
    "subjectTypeAuthorization",
    "tokenLifetime",
    "proofOfPossession",
    "skipConsentForVerifiableFirstPartyClients",
    "authorizationPolicy",
}
"""What a system API lets a client write (Auth0 refuses the rest on /me/)."""

READ_ONLY = {
    "name",
    "signingAlg",
    "tokenDialect",
    "scopes",
    "enforcePolicies",
    "allowOfflineAccess",
    "signingSecret",
    "verificationLocation",
}

SAFE_POLICIES = {
    "user": {"policy": "require_client_grant"},
    "client": {"policy": "deny_all"},
}
"""What a spec that sets no policy sends: no anonymousUser (early access, sent only if set)."""


def plan(spec: Path | str, *, stack: str = "test", domain: str | None = None) -> OfflineRun:
    """Run the program for ``spec`` (the stack's spec path in config) and ``auth0:domain``."""
    config = {f"{PROJECT}:spec": str(spec)}
    if domain is not None:
        config["auth0:domain"] = domain
    return run_offline(run, project=PROJECT, stack=stack, config=config)


def only(result: OfflineRun, type_token: str, name: str | None = None) -> Registration:
    """The one registration of a type (and name)."""
    found = [r for r in result.of_type(type_token) if name is None or r.name == name]
    assert len(found) == 1, [r.name for r in found]
    return found[0]


@pytest.fixture(scope="module")
def every_field() -> OfflineRun:
    """The every-field spec planned for a staging tenant, once for the module (only read)."""
    return plan(VALID / "every-field.yaml", domain="acme-staging.us.auth0.com")


@pytest.fixture(scope="module")
def minimal() -> OfflineRun:
    """The minimal spec planned for acme.eu.auth0.com, once for the module (only read)."""
    return plan(VALID / "minimal.yaml", domain="acme.eu.auth0.com")


@pytest.fixture
def monitors(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The recording monitors of the runs, kept even when the program raises."""
    made: list[Any] = []

    class Kept(offline._RecordingMonitor):
        def __init__(self, mocks: Any) -> None:
            super().__init__(mocks)
            made.append(self)

    monkeypatch.setattr(offline, "_RecordingMonitor", Kept)
    return made


# --- every resource, every input ---------------------------------------------------------


def test_every_field_spec_declares_three_resources_under_one_component(
    every_field: OfflineRun,
) -> None:
    result = every_field
    assert [(r.type, r.name) for r in result.registrations] == [
        (COMPONENT, "my-account"),
        (GRANT, "grant-0123456789abcdefghijABCDEFGHIJ01"),
        (GRANT, "grant-Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv"),
        (API, "my-account-api"),
    ]
    component = only(result, COMPONENT)
    assert component.custom is False
    assert component.inputs == {}
    assert component.parent.endswith("::pulumi:pulumi:Stack::auth0-myaccount-test")
    for child in (*result.of_type(GRANT), only(result, API)):
        assert child.custom is True
        assert child.parent == component.urn


def test_the_api_resource_gets_every_setting_camel_cased_with_numbers_as_floats(
    every_field: OfflineRun,
) -> None:
    api = only(every_field, API)
    assert api.name == "my-account-api"
    assert api.inputs == {
        "identifier": "https://acme-staging.us.auth0.com/me/",
        "subjectTypeAuthorization": {
            "user": {"policy": "allow_all"},
            "client": {"policy": "deny_all"},
            "anonymousUser": {"policy": "require_client_grant"},
        },
        "tokenLifetime": 86400.0,
        "skipConsentForVerifiableFirstPartyClients": False,
        "proofOfPossession": {"mechanism": "mtls", "required": True, "requiredFor": "all_clients"},
        "authorizationPolicy": {"policyId": "019b76da-a800-73c9-b656-b349ae415c17"},
    }
    assert isinstance(api.inputs["tokenLifetime"], float)


def test_the_api_resource_is_protected_and_retained_if_removed_from_the_program(
    minimal: OfflineRun,
) -> None:
    result = minimal
    api = only(result, API)
    assert (api.protect, api.retain_on_delete) == (True, True)
    # Nothing else is: a grant removed from the spec must really go.
    others = [r for r in result.registrations if r.type != API]
    assert all((r.protect, r.retain_on_delete) == (False, False) for r in others)


def test_grants_have_subject_type_user_sorted_unique_scopes_and_the_api_as_audience(
    every_field: OfflineRun,
) -> None:
    result = every_field
    api = only(result, API)
    editor = only(result, GRANT, "grant-Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv")
    assert editor.inputs == {
        "audience": "https://acme-staging.us.auth0.com/me/",
        "clientId": "Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv",
        # Written as update, read, consents, read again.
        "scopes": ["read:me:consents", "read:me:profile", "update:me:profile"],
        "subjectType": "user",
    }
    empty = only(result, GRANT, "grant-0123456789abcdefghijABCDEFGHIJ01")
    assert empty.inputs == {
        "audience": "https://acme-staging.us.auth0.com/me/",
        "clientId": "0123456789abcdefghijABCDEFGHIJ01",
        "scopes": [],
        "subjectType": "user",
    }
    for grant in (editor, empty):
        # The audience comes from the API resource, so the grant waits for it.
        assert grant.dependencies == (api.urn,)
        assert grant.import_id == ""


def test_only_writable_fields_of_a_system_api_are_ever_sent(every_field: OfflineRun) -> None:
    runs = [
        every_field,
        plan(VALID / "minimal.yaml"),
        plan(ROOT / "stacks" / "dev.yaml"),
    ]
    for result in runs:
        sent = set(only(result, API).inputs)
        assert sent <= WRITABLE
        assert not sent & READ_ONLY
        for grant in result.of_type(GRANT):
            # No allowAllScopes, no defaultFor: both would widen the grant.
            assert set(grant.inputs) == {"audience", "clientId", "scopes", "subjectType"}
    assert set(only(runs[0], API).inputs) == WRITABLE


def test_the_anonymous_user_policy_is_sent_only_when_the_spec_sets_it(tmp_path: Path) -> None:
    # Early access: Auth0's published subject_type_authorization has only user and
    # client (additionalProperties: false), and providers without the field refuse it.
    unset = only(plan(ROOT / "stacks" / "dev.yaml"), API).inputs["subjectTypeAuthorization"]
    assert set(unset) == {"user", "client"}
    spec = (
        (ROOT / "stacks" / "dev.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "    client: deny_all             # no machine-to-machine access, ever\n",
            "    client: deny_all\n    anonymous_user: deny_all\n",
        )
    )
    (tmp_path / "dev.yaml").write_text(spec, encoding="utf-8")
    set_ = only(plan(tmp_path / "dev.yaml"), API).inputs["subjectTypeAuthorization"]
    assert set_["anonymousUser"] == {"policy": "deny_all"}


def test_grants_are_named_by_client_id_and_keep_their_old_names_as_aliases() -> None:
    # A renamed spec entry keeps its resource (a new name would be a create that adopts
    # the live grant plus a delete that removes it); stacks deployed under the old
    # grant-<application> names move over without a replace.
    result = plan(ROOT / "stacks" / "dev.yaml", stack="dev")
    spec = load_file(ROOT / "stacks" / "dev.yaml").spec
    assert {(r.name, r.alias_names) for r in result.of_type(GRANT)} == {
        (f"grant-{app.client_id}", (f"grant-{name}",)) for name, app in spec.applications.items()
    }


def test_a_client_id_declared_twice_still_reaches_the_rules_as_two_grants(tmp_path: Path) -> None:
    text = (
        (ROOT / "stacks" / "dev.yaml")
        .read_text(encoding="utf-8")
        .replace("Lm3Nb5Vc7Xz9Qw1Er2Ty4Ui6Op8As0Df", "Xq7dJ2mN4pR8sT1vW3yZ5aB6cD9eF0gH")
    )
    (tmp_path / "dev.yaml").write_text(text, encoding="utf-8")
    names = {r.name for r in plan(tmp_path / "dev.yaml").of_type(GRANT)}
    assert names == {
        "grant-Xq7dJ2mN4pR8sT1vW3yZ5aB6cD9eF0gH-account-settings-spa",
        "grant-Xq7dJ2mN4pR8sT1vW3yZ5aB6cD9eF0gH-mobile-app",
        "grant-Gh2Jk4Lm6Np8Qr0St1Uv3Wx5Yz7Ab9Cd",
    }


def test_a_spec_with_no_applications_declares_the_api_alone(minimal: OfflineRun) -> None:
    result = minimal
    assert [r.type for r in result.registrations] == [COMPONENT, API]
    assert only(result, API).inputs == {
        "identifier": "https://acme.eu.auth0.com/me/",
        "subjectTypeAuthorization": SAFE_POLICIES,
        "tokenLifetime": 600.0,
        "skipConsentForVerifiableFirstPartyClients": True,
    }
    assert result.outputs == {"audience": "https://acme.eu.auth0.com/me/", "grants": {}}


# --- adoption, stack config, domain check ------------------------------------------------


def test_the_prod_stack_adopts_the_dashboard_api_by_import(monkeypatch: pytest.MonkeyPatch) -> None:
    # As the CLI runs it: in the project root, with the config of Pulumi.prod.yaml.
    monkeypatch.chdir(ROOT)
    config = read_stack_config(ROOT, "prod").values
    result = run_offline(run, project=PROJECT, stack="prod", config=config)
    adopt_id = load_file(ROOT / "stacks" / "prod.yaml").spec.my_account_api.adopt_id
    assert adopt_id
    assert only(result, API).import_id == adopt_id
    assert only(result, API).protect is True
    assert [r.import_id for r in result.of_type(GRANT)] == [""] * len(result.of_type(GRANT))


def test_without_an_adopt_id_the_api_is_created_not_imported() -> None:
    assert only(plan(VALID / "minimal.yaml"), API).import_id == ""


def test_the_dev_stack_reads_stacks_dev_yaml_when_its_config_names_no_spec(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    result = run_offline(
        run, project=PROJECT, stack="dev", config={"auth0:domain": "acme-dev.eu.auth0.com"}
    )
    spec = load_file(ROOT / "stacks" / "dev.yaml").spec
    grants = {r.name: r.inputs for r in result.of_type(GRANT)}
    assert grants == {
        f"grant-{app.client_id}": {
            "audience": "https://acme-dev.eu.auth0.com/me/",
            "clientId": app.client_id,
            "scopes": sorted(set(app.scopes)),
            "subjectType": "user",
        }
        for name, app in spec.applications.items()
    }


def test_the_spec_path_comes_from_the_stack_config_relative_to_the_project(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "specs").mkdir()
    shutil.copy(VALID / "no-my-account-api-section.yaml", tmp_path / "specs" / "tenant.yaml")
    monkeypatch.chdir(tmp_path)  # no stacks/<stack>.yaml here: only the config can find it
    result = plan("specs/tenant.yaml", stack="dev", domain="acme.eu.auth0.com")
    assert only(result, API).inputs["identifier"] == "https://acme.eu.auth0.com/me/"
    assert [r.name for r in result.of_type(GRANT)] == ["grant-Xq7dJ2mN4pR8sT1vW3yZ5aB6cD9eF0gH"]


def test_an_invalid_spec_stops_the_program_with_every_problem(monitors: list[Any]) -> None:
    bad = SPECS / "invalid" / "duplicate-domain.yaml"
    with pytest.raises(pulumi.RunError) as caught:
        plan(bad)
    assert str(caught.value) == (
        f"invalid spec:\n{bad}:4:3: tenant.domain: duplicate key 'domain' (first at line 3, "
        "column 3); YAML would silently keep only the last one, so remove one of them"
    )
    assert monitors[0].run.registrations == []


def test_a_missing_spec_file_stops_the_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(pulumi.RunError) as caught:
        plan("stacks/nope.yaml")
    assert str(caught.value) == (
        f"invalid spec:\n{tmp_path / 'stacks' / 'nope.yaml'}:1:1: (document): cannot read the "
        "spec file: No such file or directory"
    )


def test_a_spec_for_another_tenant_stops_before_anything_is_declared(
    monitors: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The dev spec pointed at the prod tenant.
    monkeypatch.chdir(ROOT)
    with pytest.raises(pulumi.RunError) as caught:
        plan("stacks/dev.yaml", stack="prod", domain="acme.eu.auth0.com")
    assert str(caught.value) == (
        "stacks/dev.yaml describes tenant 'acme-dev.eu.auth0.com' but this stack's "
        "auth0:domain is 'acme.eu.auth0.com'; nothing was declared. Point the stack at the "
        "right spec (pulumi config set auth0-myaccount:spec stacks/<stack>.yaml) or fix the "
        "domain."
    )
    assert len(monitors) == 1
    assert monitors[0].run.registrations == []
    assert monitors[0].run.outputs == {}


@pytest.mark.parametrize(
    "domain",
    ["acme.eu.auth0.com", "ACME.eu.auth0.com", "https://acme.eu.auth0.com/", " acme.eu.auth0.com "],
)
def test_the_stack_domain_may_be_written_with_a_scheme_or_capitals(domain: str) -> None:
    api = only(plan(VALID / "minimal.yaml", domain=domain), API)
    assert api.inputs["identifier"] == "https://acme.eu.auth0.com/me/"


@pytest.mark.parametrize(
    "domain", ["acme.us.auth0.com", "acme.eu.auth0.com.evil.example", "login.acme.example"]
)
def test_any_other_stack_domain_stops_the_program(domain: str) -> None:
    with pytest.raises(pulumi.RunError, match="nothing was declared"):
        plan(VALID / "minimal.yaml", domain=domain)


# --- outputs -----------------------------------------------------------------------------


def test_stack_outputs_are_the_audience_and_each_grant_id_and_scopes(
    every_field: OfflineRun,
) -> None:
    result = every_field
    ids = {r.name: f"{r.name}-id" for r in result.of_type(GRANT)}  # the mocks' placeholder ids
    assert result.outputs == {
        "audience": "https://acme-staging.us.auth0.com/me/",
        "grants": {
            "profile-editor": {
                "id": ids["grant-Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv"],
                "scopes": ["read:me:consents", "read:me:profile", "update:me:profile"],
            },
            "empty-grant": {"id": ids["grant-0123456789abcdefghijABCDEFGHIJ01"], "scopes": []},
        },
    }


def test_declare_works_on_any_loaded_spec_in_any_project() -> None:
    declared: list[MyAccountApi] = []
    result = run_offline(
        lambda: declared.append(declare(load_file(VALID / "minimal.yaml"))),
        project="tenant-admin",
        stack="eu",
    )
    assert declared[0].grants == {}
    assert only(result, COMPONENT).urn == (
        "urn:pulumi:eu::tenant-admin::pulumi:pulumi:Stack$tenantcfg:index:MyAccountApi::my-account"
    )
    assert result.outputs == {"audience": "https://acme.eu.auth0.com/me/", "grants": {}}


# --- the component on its own ------------------------------------------------------------


def _hand_made_spec() -> TenantSpec:
    return TenantSpec(
        tenant=Tenant(domain="platform.us.auth0.com"),
        applications={
            "support-console": Application(
                client_id="Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp",
                app_type="spa",
                first_party=True,
                owner="support@acme.example",
                scopes=["read:me:factors", "read:me:authentication_methods", "read:me:factors"],
            )
        },
    )


def test_the_component_is_usable_from_another_program() -> None:
    made: list[MyAccountApi] = []

    def program() -> None:
        # The host program asks for no protection: the API resource is protected anyway.
        made.append(
            MyAccountApi(
                "support-tenant", _hand_made_spec(), opts=pulumi.ResourceOptions(protect=False)
            )
        )

    result = run_offline(program, project="platform-infra", stack="staging")
    component = only(result, COMPONENT)
    assert component.name == "support-tenant"
    assert component.urn == (
        "urn:pulumi:staging::platform-infra::pulumi:pulumi:Stack"
        "$tenantcfg:index:MyAccountApi::support-tenant"
    )
    api = only(result, API)
    assert api.parent == component.urn
    assert (api.protect, api.retain_on_delete, api.import_id) == (True, True, "")
    assert api.inputs == {
        "identifier": "https://platform.us.auth0.com/me/",
        "subjectTypeAuthorization": SAFE_POLICIES,
        "tokenLifetime": 600.0,
        "skipConsentForVerifiableFirstPartyClients": True,
    }
    grant = only(result, GRANT)
    assert grant.name == "grant-Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp"
    assert grant.parent == component.urn
    assert grant.inputs == {
        "audience": "https://platform.us.auth0.com/me/",
        "clientId": "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp",
        "scopes": ["read:me:authentication_methods", "read:me:factors"],
        "subjectType": "user",
    }
    # The component exports nothing itself: stack outputs are the host program's choice.
    assert result.outputs == {}
    assert isinstance(made[0].api, auth0.ResourceServer)
    assert sorted(made[0].grants) == ["support-console"]


def test_removing_the_my_account_api_section_never_removes_the_api(tmp_path: Path) -> None:
    without = VALID / "no-my-account-api-section.yaml"
    with_section = tmp_path / "with-section.yaml"
    with_section.write_text(
        without.read_text()
        + (
            "my_account_api:\n"
            "  token_lifetime: 300\n"
            "  proof_of_possession:\n"
            "    mechanism: dpop\n"
            "    required: true\n"
        )
    )
    before = only(plan(with_section, domain="acme.eu.auth0.com"), API)
    after = only(plan(without, domain="acme.eu.auth0.com"), API)
    # Same resource (same URN), so the engine sees an update, never a delete...
    assert after.urn == before.urn
    assert (after.protect, after.retain_on_delete) == (True, True)
    # ...back to the safe settings, not to anything wider.
    assert before.inputs["tokenLifetime"] == 300.0
    assert after.inputs == {
        "identifier": "https://acme.eu.auth0.com/me/",
        "subjectTypeAuthorization": SAFE_POLICIES,
        "tokenLifetime": 600.0,
        "skipConsentForVerifiableFirstPartyClients": True,
    }


def test_without_auth0_domain_the_guard_checks_the_tenant_auth0_domain_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The provider falls back to AUTH0_DOMAIN: the guard must judge that tenant.
    monkeypatch.setenv("AUTH0_DOMAIN", "acme-prod.eu.auth0.com")
    with pytest.raises(
        pulumi.RunError, match=re.escape("this stack's auth0:domain is 'acme-prod.eu.auth0.com'")
    ):
        plan(ROOT / "stacks" / "dev.yaml")
    monkeypatch.setenv("AUTH0_DOMAIN", "acme-dev.eu.auth0.com")
    assert plan(ROOT / "stacks" / "dev.yaml").of_type(GRANT)


@pytest.mark.parametrize(
    ("config", "why"),
    [
        (
            "config:\n  auth0:domain:\n    secure: AAABAGtr0XyZ\n",
            "is a secret, which offline commands cannot decrypt",
        ),
        ("config:\n  auth0-myaccount:spec: stacks/dev.yaml\n", "is not set"),
    ],
)
def test_offline_commands_say_when_they_cannot_check_the_domain(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    config: str,
    why: str,
) -> None:
    from tenantcfg.cli import main

    (tmp_path / "stacks").mkdir()
    shutil.copy(ROOT / "stacks" / "dev.yaml", tmp_path / "stacks" / "dev.yaml")
    (tmp_path / "Pulumi.dev.yaml").write_text(config, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--stack", "dev", "--spec-only"]) == 0
    err = capsys.readouterr().err
    assert (
        f"auth0:domain {why}, so the check that stacks/dev.yaml describes this stack's "
        "tenant did not run here" in err
    )
