"""The real engine: ``pulumi preview --policy-pack``, ``up``, ``refresh``, ``destroy``.

The CLI, the Python language host and the auth0 provider run for real against the
fake tenant, served over TLS under the tenant's own domain (see engine/harness.py
for where the engine comes from; without one these tests skip and say why).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.harness import DEV_CLIENTS, Engine, Project, audit, dev_fake, project
from fakeapi import FakeAuth0, grants, resources

pytestmark = pytest.mark.engine

DEV = {
    "Xq7dJ2mN4pR8sT1vW3yZ5aB6cD9eF0gH": [
        "create:me:authentication_methods",
        "read:me:authentication_methods",
        "read:me:factors",
    ],
    "Lm3Nb5Vc7Xz9Qw1Er2Ty4Ui6Op8As0Df": [
        "create:me:authentication_methods",
        "delete:me:authentication_methods",
        "read:me:authentication_methods",
        "read:me:factors",
    ],
    "Gh2Jk4Lm6Np8Qr0St1Uv3Wx5Yz7Ab9Cd": [
        "create:me:connected_accounts",
        "read:me:connected_accounts",
    ],
}
"""client id -> scopes, as stacks/dev.yaml declares them (read by eye from the file)."""


def test_preview_with_the_policy_pack_passes_on_the_dev_spec(
    tmp_path: Path, engine: Engine
) -> None:
    with project(tmp_path, engine, dev_fake()) as proj:
        result = proj.pulumi("preview", *proj.pack_args())
        assert result.code == 0, result
        assert "tenantcfg-myaccount" in result.out
        assert "+ 6 to create" in result.out
        assert proj.writes() == []  # a preview changes nothing in the tenant


def test_up_makes_the_tenant_what_the_spec_says_and_then_nothing_changes(
    tmp_path: Path, engine: Engine
) -> None:
    fake = dev_fake()
    with project(tmp_path, engine, fake) as proj:
        result = proj.pulumi("up", "--yes", *proj.pack_args())
        assert result.code == 0, result
        assert proj.grants() == DEV
        assert {g["subject_type"] for g in fake.state.grants.values()} == {"user"}
        (api,) = fake.state.resource_servers.values()
        assert api["identifier"] == "https://acme-dev.eu.auth0.com/me/"
        assert api["subject_type_authorization"] == {
            "user": {"policy": "require_client_grant"},
            "client": {"policy": "deny_all"},
        }
        assert api["authorization_policy"] == {"policy_id": "019b76da-a800-73c9-b656-b349ae415c17"}
        writes = len(proj.writes())
        for check in (
            ("preview", "--expect-no-changes"),
            ("refresh", "--yes", "--expect-no-changes"),
        ):
            result = proj.pulumi(*check)
            assert result.code == 0, result
        assert len(proj.writes()) == writes
        code, text = audit(proj)
        assert code == 0, text


def test_a_scope_added_and_one_removed_reach_the_tenant_on_the_next_up(
    tmp_path: Path, engine: Engine
) -> None:
    with project(tmp_path, engine, dev_fake()) as proj:
        assert proj.pulumi("up", "--yes").code == 0
        proj.write_spec(
            proj.spec_text()
            .replace("      - delete:me:authentication_methods\n", "")
            .replace(
                "      - read:me:connected_accounts\n",
                "      - read:me:connected_accounts\n      - delete:me:connected_accounts\n",
            )
        )
        result = proj.pulumi("up", "--yes", *proj.pack_args())
        assert result.code == 0, result
        want = dict(DEV)
        want["Lm3Nb5Vc7Xz9Qw1Er2Ty4Ui6Op8As0Df"] = [
            "create:me:authentication_methods",
            "read:me:authentication_methods",
            "read:me:factors",
        ]
        want["Gh2Jk4Lm6Np8Qr0St1Uv3Wx5Yz7Ab9Cd"] = [
            "create:me:connected_accounts",
            "delete:me:connected_accounts",
            "read:me:connected_accounts",
        ]
        assert proj.grants() == want
        code, text = audit(proj)
        assert code == 0, text


def test_destroy_removes_the_grants_and_leaves_the_api(tmp_path: Path, engine: Engine) -> None:
    fake = dev_fake()
    with project(tmp_path, engine, fake) as proj:
        assert proj.pulumi("up", "--yes").code == 0
        refused = proj.pulumi("destroy", "--yes")
        assert refused.code != 0  # the API is protected: destroy stops until told otherwise
        assert "protect" in refused.out
        unprotect = proj.pulumi("state", "unprotect", "--all", "--yes")
        assert unprotect.code == 0, unprotect
        result = proj.pulumi("destroy", "--yes")
        assert result.code == 0, result
        assert proj.grants() == {}
        (api,) = fake.state.resource_servers.values()  # retained: still switched on
        assert api["identifier"] == "https://acme-dev.eu.auth0.com/me/"


def test_a_spec_for_another_tenant_stops_before_anything_is_declared(
    tmp_path: Path, engine: Engine
) -> None:
    fake = dev_fake()
    with project(tmp_path, engine, fake, domain="acme-prod.eu.auth0.com") as proj:
        result = proj.pulumi("up", "--yes")
        assert result.code != 0
        assert "describes tenant 'acme-dev.eu.auth0.com'" in result.out
        assert "Traceback" not in result.out
        assert fake.exchanges == []


EXPIRED_WAIVER = (
    "waivers: []\n",
    "waivers:\n  - rule: MYACC-015\n    application: mobile-app\n"
    "    reason: step-up rolls out later\n    expires: 2020-01-31\n",
)


@pytest.mark.parametrize(
    ("edit", "rule"),
    [
        (("user: require_client_grant   #", "user: allow_all   #"), "MYACC-001"),
        ((*EXPIRED_WAIVER,), "MYACC-018"),
    ],
    ids=["allow-all", "expired-waiver"],
)
def test_preview_with_the_pack_refuses_a_spec_that_breaks_a_rule(
    tmp_path: Path, engine: Engine, edit: tuple[str, str], rule: str
) -> None:
    with project(tmp_path, engine, dev_fake()) as proj:
        assert edit[0] in proj.spec_text()
        proj.write_spec(proj.spec_text().replace(*edit))
        result = proj.pulumi("preview", *proj.pack_args())
        assert result.code != 0, result
        assert rule in result.out
        assert proj.writes() == []


def test_a_spec_that_opens_the_client_policy_stops_the_program(
    tmp_path: Path, engine: Engine
) -> None:
    # Auth0 refuses it on the My Account API, so the program never asks for it.
    fake = dev_fake()
    with project(tmp_path, engine, fake) as proj:
        proj.write_spec(
            proj.spec_text().replace(
                "client: deny_all             #", "client: require_client_grant #"
            )
        )
        result = proj.pulumi("up", "--yes")
        assert result.code != 0
        assert "stacks/dev.yaml:11:13: my_account_api.policies.client" in result.out, result
        assert "MYACC-002" in result.out
        assert "Traceback" not in result.out
        assert proj.writes() == []


HAND_WRITTEN = """
import pulumi_auth0 as auth0
api = auth0.ResourceServer("my-account-api", identifier="https://acme-dev.eu.auth0.com/me/",
    subject_type_authorization={"user": {"policy": "require_client_grant"},
                                "client": {"policy": "deny_all"}})
auth0.ClientGrant("everything", client_id="Xq7dJ2mN4pR8sT1vW3yZ5aB6cD9eF0gH",
    audience=api.identifier, subject_type="user", allow_all_scopes=True)
auth0.ClientGrant("hyphens", client_id="Lm3Nb5Vc7Xz9Qw1Er2Ty4Ui6Op8As0Df",
    audience=api.identifier, subject_type="user",
    scopes=["create:me:authentication-methods"])
"""


def test_the_pack_refuses_grants_declared_by_hand_that_no_spec_can_express(
    tmp_path: Path, engine: Engine
) -> None:
    with project(tmp_path, engine, dev_fake()) as proj:
        pack = proj.pack_args()
        (proj.directory / "__main__.py").write_text(HAND_WRITTEN, encoding="utf-8")
        result = proj.pulumi("preview", *pack)
        assert result.code != 0, result
        for rule in ("MYACC-005", "MYACC-008"):
            assert rule in result.out, result
        assert proj.writes() == []


def test_the_dev_clients_are_the_ones_the_spec_names(root: Path) -> None:
    text = (root / "stacks" / "dev.yaml").read_text(encoding="utf-8")
    assert all(cid in text for cid in DEV_CLIENTS)


def _grant_ids(proj: Project) -> dict[str, str]:
    return {g["client_id"]: gid for gid, g in proj.fake.state.grants.items()}


LEGACY_NAMES = (
    "import tenantcfg.deploy.component as c\n"
    "c.grant_resource_names = lambda ids: {a: f'grant-{a}' for a in ids}\n"
)
"""Prepended to the program: grants named grant-<application>, as earlier releases did."""


def _with_legacy_names(proj: Project) -> str:
    """Make the project's program name grants the old way; its current source."""
    main = proj.directory / "__main__.py"
    current = main.read_text(encoding="utf-8")
    main.write_text(LEGACY_NAMES + current, encoding="utf-8")
    return current


def test_renaming_an_application_keeps_its_grant_in_the_tenant(
    tmp_path: Path, engine: Engine
) -> None:
    with project(tmp_path, engine, dev_fake()) as proj:
        assert proj.pulumi("up", "--yes").code == 0
        before, writes = _grant_ids(proj), len(proj.writes())
        proj.write_spec(proj.spec_text().replace("  mobile-app:\n", "  mobile-banking-app:\n"))
        result = proj.pulumi("up", "--yes")
        assert result.code == 0, result
        assert _grant_ids(proj) == before
        assert proj.grants() == DEV
        assert proj.writes()[writes:] == []


def test_a_stack_deployed_with_grants_named_by_application_moves_without_a_change(
    tmp_path: Path, engine: Engine
) -> None:
    with project(tmp_path, engine, dev_fake()) as proj:
        current = _with_legacy_names(proj)
        assert proj.pulumi("up", "--yes").code == 0
        before, writes = _grant_ids(proj), len(proj.writes())
        (proj.directory / "__main__.py").write_text(current, encoding="utf-8")
        result = proj.pulumi("up", "--yes")
        assert result.code == 0, result
        assert "grant-mobile-app" not in proj.pulumi("stack", "export").out
        assert _grant_ids(proj) == before
        assert proj.writes()[writes:] == []


def test_why_grants_are_named_by_client_id_a_renamed_resource_loses_the_grant(
    tmp_path: Path, engine: Engine
) -> None:
    # The provider's create adopts the live grant of the same client, and the old
    # resource's delete then removes it: the defect naming by client id avoids.
    with project(tmp_path, engine, dev_fake()) as proj:
        _with_legacy_names(proj)
        assert proj.pulumi("up", "--yes").code == 0
        proj.write_spec(proj.spec_text().replace("  mobile-app:\n", "  mobile-banking-app:\n"))
        result = proj.pulumi("up", "--yes")
        assert result.code == 0, result
        assert "Lm3Nb5Vc7Xz9Qw1Er2Ty4Ui6Op8As0Df" not in proj.grants()


ALL_SCOPES = sorted(
    {s for scopes in DEV.values() for s in scopes}
    | {"delete:me:connected_accounts", "update:me:authentication_methods"}
)


def _dashboard_api(fake: FakeAuth0) -> str:
    """Activate the My Account API in the fake as the Dashboard does; its id."""
    state = fake.state
    return str(resources.create(state, {"identifier": f"https://{state.domain}/me/"})["id"])


def _dashboard_grant(fake: FakeAuth0, client_id: str, scopes: list[str]) -> str:
    """A user grant made outside the stack (the Dashboard's guides grant every scope)."""
    state = fake.state
    body = {
        "client_id": client_id,
        "audience": f"https://{state.domain}/me/",
        "scope": scopes,
        "subject_type": "user",
    }
    return str(grants.create(state, body)["id"])


def test_an_adopted_api_whose_settings_differ_ends_as_the_spec_says_in_one_up(
    tmp_path: Path, engine: Engine
) -> None:
    fake = dev_fake()
    api_id = _dashboard_api(fake)
    with project(tmp_path, engine, fake) as proj:
        proj.write_spec(
            proj.spec_text().replace(
                "my_account_api:\n", f"my_account_api:\n  adopt_id: {api_id}\n"
            )
        )
        result = proj.pulumi("up", "--yes", *proj.pack_args())
        assert result.code == 0, result
        (api,) = fake.state.resource_servers.values()
        assert api["id"] == api_id
        assert api["authorization_policy"] == {"policy_id": "019b76da-a800-73c9-b656-b349ae415c17"}
        assert proj.grants() == DEV
        assert proj.pulumi("preview", "--expect-no-changes").code == 0
        code, text = audit(proj)
        assert code == 0, text


def test_an_adopted_wider_grant_is_narrowed_in_the_same_up(tmp_path: Path, engine: Engine) -> None:
    fake = dev_fake()
    mobile = "Lm3Nb5Vc7Xz9Qw1Er2Ty4Ui6Op8As0Df"
    api_id = _dashboard_api(fake)
    grant_id = _dashboard_grant(fake, mobile, ALL_SCOPES)
    with project(tmp_path, engine, fake) as proj:
        proj.write_spec(
            proj.spec_text()
            .replace("my_account_api:\n", f"my_account_api:\n  adopt_id: {api_id}\n")
            .replace(
                f"    client_id: {mobile}\n",
                f"    client_id: {mobile}\n    adopt_grant_id: {grant_id}\n",
            )
        )
        result = proj.pulumi("up", "--yes", *proj.pack_args())
        assert result.code == 0, result
        assert sorted(fake.state.grants[grant_id]["scope"]) == DEV[mobile]
        assert proj.grants() == DEV
        code, text = audit(proj)
        assert code == 0, text


def test_an_undeclared_wider_grant_never_ends_in_a_green_up(tmp_path: Path, engine: Engine) -> None:
    fake = dev_fake()
    mobile = "Lm3Nb5Vc7Xz9Qw1Er2Ty4Ui6Op8As0Df"
    api_id = _dashboard_api(fake)
    grant_id = _dashboard_grant(fake, mobile, ALL_SCOPES)
    with project(tmp_path, engine, fake) as proj:
        proj.write_spec(
            proj.spec_text().replace(
                "my_account_api:\n", f"my_account_api:\n  adopt_id: {api_id}\n"
            )
        )
        result = proj.pulumi("up", "--yes", *proj.pack_args())
        # The provider adopted the grant as it was: the run fails and says what to do.
        assert result.code != 0, result
        assert fake.state.grants[grant_id]["scope"] == ALL_SCOPES
        assert f"adopt_grant_id: {grant_id}" in result.out, result
        assert "delete:me:connected_accounts" in result.out
        assert "Traceback" not in result.out
        again = proj.pulumi("up", "--yes", *proj.pack_args())
        assert again.code == 0, again
        assert sorted(fake.state.grants[grant_id]["scope"]) == DEV[mobile]
        code, text = audit(proj)
        assert code == 0, text


@pytest.mark.parametrize("spec", ["../dev.yaml", "/tmp/tenantcfg-elsewhere.yaml"])
def test_a_stack_config_pointing_outside_the_project_stops_the_program(
    tmp_path: Path, engine: Engine, spec: str
) -> None:
    # A spec outside the repository could change without any pull request showing it.
    with project(tmp_path / "p", engine, dev_fake()) as proj:
        (tmp_path / "dev.yaml").write_text(proj.spec_text(), encoding="utf-8")
        assert proj.pulumi("config", "set", "auth0-myaccount:spec", spec).code == 0
        result = proj.pulumi("preview")
        assert result.code != 0
        assert f"the stack's spec path {spec!r}" in result.out, result
        assert "Traceback" not in result.out


def test_the_built_provider_does_not_know_the_early_access_anonymous_user_policy(
    tmp_path: Path, engine: Engine
) -> None:
    # The one difference between this build (terraform-provider-auth0 v1.57.0) and the
    # pulumi_auth0 3.55.1 SDK that the program can reach: a spec that sets the policy is
    # refused at preview, before any request, which is why it is sent only when set.
    with project(tmp_path, engine, dev_fake()) as proj:
        proj.write_spec(
            proj.spec_text().replace(
                "    client: deny_all             # no machine-to-machine access, ever\n",
                "    client: deny_all\n    anonymous_user: deny_all\n",
            )
        )
        result = proj.pulumi("preview")
        assert result.code != 0
        assert "subjectTypeAuthorization.anonymousUser" in result.out, result
        assert proj.writes() == []
