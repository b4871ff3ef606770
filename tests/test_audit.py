"""``tenantcfg audit`` finds each kind of drift a Dashboard user can introduce, with the right id.

Every case starts from the fake tenant seeded from recorded answers to match
stacks/prod.yaml, changes it the way the Dashboard would (the same PATCH, POST or
DELETE on the Management API), audits it through the real auth0-python client and
compares the *set* of (rule, resource) findings with the expected one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from jsonschema import Draft4Validator  # type: ignore[import-untyped,unused-ignore]

from fakeapi import FakeAuth0
from fakeapi.harness import ROOT, prod_fake, run_audit

ME = "https://acme.eu.auth0.com/me/"
ME_PATH = "/api/v2/resource-servers/6643a1f2b7e9c8d4a5f60712"
SPA_GRANT, MOBILE_GRANT = "cgr_4pQs8TuV2wXy6ZaB", "cgr_7mNb3VcX1zLk5JhG"
SPA, MOBILE = "Pq4Rs6Tu8Vw0Xy2Za3Bc5De7Fg9Hi1Jk", "Mn1Bv3Cx5Zl7Kj9Hg2Fd4Sa6Po8Iu0Yt"
PARTNER_PORTAL, NIGHTLY_JOB = "Rt5Yu7Io9Pa1Sd3Fg5Hj7Kl9Zx1Cv3Bn", "Wq2Er4Ty6Ui8Op0As2Df4Gh6Jk8Lz0Xc"
API = "my_account_api"

Change = Callable[[httpx.Client, FakeAuth0], None]


def _ok(response: httpx.Response) -> None:
    assert response.is_success, response.text


def _patch_api(body: dict[str, object]) -> Change:
    return lambda d, _: _ok(d.patch(ME_PATH, json=body))


def _patch_grant(grant: str, body: dict[str, object]) -> Change:
    return lambda d, _: _ok(d.patch(f"/api/v2/client-grants/{grant}", json=body))


def _patch_client(client: str, body: dict[str, object]) -> Change:
    return lambda d, _: _ok(d.patch(f"/api/v2/clients/{client}", json=body))


def _grant(client: str, scopes: list[str], subject_type: str = "user") -> Change:
    body = {"client_id": client, "audience": ME, "scope": scopes, "subject_type": subject_type}
    return lambda d, _: _ok(d.post("/api/v2/client-grants", json=body))


def _delete(path: str) -> Change:
    return lambda d, _: _ok(d.delete(path))


def _client_policy_opened(dashboard: httpx.Client, fake: FakeAuth0) -> None:
    # Auth0 refuses this change (the client policy of the My Account API is fixed), and
    # so does the fake; the state is set directly to prove the audit would still see it.
    refused = dashboard.patch(
        ME_PATH, json={"subject_type_authorization": {"client": {"policy": "require_client_grant"}}}
    )
    assert refused.status_code == 400
    fake.state.resource_servers["6643a1f2b7e9c8d4a5f60712"]["subject_type_authorization"][
        "client"
    ] = {"policy": "require_client_grant"}


SPA_SCOPES = [
    "read:me:authentication_methods",
    "create:me:authentication_methods",
    "read:me:factors",
]

CASES: dict[str, tuple[Change, set[tuple[str, str]]]] = {
    "user policy flipped to allow_all in the Dashboard": (
        _patch_api({"subject_type_authorization": {"user": {"policy": "allow_all"}}}),
        {("MYACC-001", API)},
    ),
    "client policy not deny_all": (_client_policy_opened, {("MYACC-002", API)}),
    "anonymous users let in": (
        _patch_api(
            {"subject_type_authorization": {"anonymous_user": {"policy": "require_client_grant"}}}
        ),
        {("MYACC-003", API)},
    ),
    "user policy tightened to deny_all (applications break)": (
        _patch_api({"subject_type_authorization": {"user": {"policy": "deny_all"}}}),
        {("AUDIT-008", API)},
    ),
    "grant to an application the spec does not list": (
        _grant(PARTNER_PORTAL, ["read:me:connected_accounts"]),
        {("AUDIT-002", f"client {PARTNER_PORTAL}")},
    ),
    "grant to a machine-to-machine application": (
        _grant(NIGHTLY_JOB, ["read:me:factors"]),
        {("AUDIT-002", f"client {NIGHTLY_JOB}"), ("MYACC-011", f"client {NIGHTLY_JOB}")},
    ),
    "grant deleted": (
        _delete(f"/api/v2/client-grants/{MOBILE_GRANT}"),
        {("AUDIT-003", "mobile-app")},
    ),
    "scope added": (
        _patch_grant(SPA_GRANT, {"scope": [*SPA_SCOPES, "delete:me:authentication_methods"]}),
        {("AUDIT-004", "account-settings-spa")},
    ),
    "scope removed": (
        _patch_grant(SPA_GRANT, {"scope": ["read:me:factors"]}),
        {("AUDIT-005", "account-settings-spa")},
    ),
    "allow_all_scopes switched on": (
        _patch_grant(MOBILE_GRANT, {"allow_all_scopes": True}),
        {("MYACC-005", "mobile-app")},
    ),
    "second grant with subject_type client": (
        _grant(SPA, ["read:me:factors"], subject_type="client"),
        {("MYACC-004", "account-settings-spa")},
    ),
    "application type changed to machine-to-machine": (
        _patch_client(MOBILE, {"app_type": "non_interactive"}),
        {("AUDIT-006", "mobile-app"), ("MYACC-011", "mobile-app")},
    ),
    "application type changed to another user-facing type": (
        _patch_client(MOBILE, {"app_type": "regular_web"}),
        {("AUDIT-006", "mobile-app")},
    ),
    "application made third-party": (
        _patch_client(SPA, {"is_first_party": False}),
        {("AUDIT-007", "account-settings-spa"), ("MYACC-011", "account-settings-spa")},
    ),
    "My Account API deleted (not activated)": (_delete(ME_PATH), {("AUDIT-001", API)}),
    "token lifetime raised": (
        _patch_api({"token_lifetime": 86400}),
        {("AUDIT-009", API), ("MYACC-017", API)},
    ),
    "step-up policy removed": (
        _patch_api({"authorization_policy": None}),
        {("AUDIT-009", API), ("MYACC-015", "account-settings-spa"), ("MYACC-015", "mobile-app")},
    ),
    "DPoP no longer required": (
        _patch_api({"proof_of_possession": {"mechanism": "dpop", "required": False}}),
        {("AUDIT-009", API)},
    ),
}


def test_a_clean_tenant_has_no_findings() -> None:
    fake = prod_fake()
    result = run_audit(fake)
    assert result.code == 0, result.stderr
    assert "no drift: the tenant matches the spec and breaks no policy rule" in result.stdout
    assert "read: My Account API 6643a1f2b7e9c8d4a5f60712; 2 client grant(s)" in result.stdout
    assert result.stderr == ""
    as_json = run_audit(fake, "--format", "json")
    assert as_json.json()["findings"] == []
    assert as_json.json()["read"]["client_grants"] == [SPA_GRANT, MOBILE_GRANT]


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_drift_is_found_with_its_rule(case: str) -> None:
    change, expected = CASES[case]
    fake = prod_fake()
    with fake.client() as dashboard:
        change(dashboard, fake)
    result = run_audit(fake, "--format", "json")
    assert result.findings() == expected, result.stdout
    blocking = any(f["level"] == "mandatory" and not f["waived"] for f in result.json()["findings"])
    assert result.code == (1 if blocking else 0)


def test_the_audit_never_writes() -> None:
    fake = prod_fake()
    with fake.client() as dashboard:
        _grant(NIGHTLY_JOB, ["read:me:factors"])(dashboard, fake)
    before = len(fake.exchanges)
    run_audit(fake)
    methods = {(e.method, e.raw_path.split("?")[0]) for e in fake.exchanges[before:]}
    assert {m for m, _ in methods} == {"GET", "POST"}
    assert [p for m, p in methods if m == "POST"] == ["/oauth/token"]


def test_the_grant_list_is_filtered_by_the_server_and_client_secrets_are_not_asked_for() -> None:
    fake = prod_fake()
    run_audit(fake)
    lists = [e for e in fake.exchanges if e.operation == "get /client-grants"]
    assert [e.query["audience"] for e in lists] == [[ME]]
    reads = [e for e in fake.exchanges if e.operation == "get /clients/{id}"]
    assert {e.raw_path.split("/")[-1].split("?")[0] for e in reads} == {SPA, MOBILE}
    for e in reads:
        assert e.query["fields"] == ["client_id,name,app_type,is_first_party"]
        assert "client_secret" not in e.response_body


def test_a_text_finding_points_at_the_spec_line() -> None:
    fake = prod_fake()
    with fake.client() as dashboard:
        _patch_api({"subject_type_authorization": {"user": {"policy": "allow_all"}}})(
            dashboard, fake
        )
    result = run_audit(fake)
    assert result.code == 1
    spec = (ROOT / "stacks" / "prod.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(spec, 1) if text.strip().startswith("user:"))
    assert (
        f"stacks/prod.yaml:{line}:11: [mandatory] my_account_api: user-flow policy is 'allow_all'"
    ) in result.stdout
    assert result.stdout.rstrip().endswith("1 mandatory, 0 advisory, 0 waived")


def test_a_waiver_in_the_spec_marks_the_live_finding(tmp_path: Path) -> None:
    spec = (ROOT / "stacks" / "prod.yaml").read_text(encoding="utf-8")
    waived = spec.replace("token_lifetime: 600", "token_lifetime: 7200").replace(
        "waivers: []",
        "waivers:\n  - rule: MYACC-017\n"
        "    application: my_account_api\n"
        "    reason: long sessions until the mobile release\n"
        "    expires: 2026-03-31\n",
    )
    path = tmp_path / "prod.yaml"
    path.write_text(waived, encoding="utf-8")
    fake = prod_fake()
    with fake.client() as dashboard:
        _patch_api({"token_lifetime": 7200})(dashboard, fake)
    result = run_audit(fake, "--format", "json", target=("--spec", str(path)))
    assert result.code == 0, result.stdout
    [finding] = result.json()["findings"]
    assert (finding["rule"], finding["waived"]) == ("MYACC-017", True)
    assert finding["waiver"] == {
        "reason": "long sessions until the mobile release",
        "expires": "2026-03-31",
    }


def test_a_waiver_cannot_let_a_machine_to_machine_grant_through(tmp_path: Path) -> None:
    # MYACC-004 (a client-subject grant: machine-to-machine access to /me/) is unwaivable.
    spec = (ROOT / "stacks" / "prod.yaml").read_text(encoding="utf-8")
    waived = spec.replace(
        "waivers: []",
        "waivers:\n  - rule: MYACC-004\n"
        "    application: account-settings-spa\n"
        "    reason: migration to listed scopes\n"
        "    expires: 2026-01-30\n",
    )
    path = tmp_path / "prod.yaml"
    path.write_text(waived, encoding="utf-8")
    fake = prod_fake()
    with fake.client() as dashboard:
        _grant(SPA, ["read:me:factors"], subject_type="client")(dashboard, fake)
    result = run_audit(fake, "--format", "json", target=("--spec", str(path)))
    assert result.code == 1
    assert ("MYACC-004", False) in {(f["rule"], f["waived"]) for f in result.json()["findings"]}


def test_settings_drift_says_what_differs() -> None:
    fake = prod_fake()
    with fake.client() as dashboard:
        _patch_api({"proof_of_possession": {"mechanism": "dpop", "required": False}})(
            dashboard, fake
        )
    result = run_audit(fake)
    assert (
        "[mandatory] my_account_api: proof_of_possession is dpop, required: false in the "
        "tenant, the spec declares dpop, required: true, required_for: public_clients "
        "(AUDIT-009)"
    ) in result.stdout


def test_sarif_lists_policy_and_drift_rules_and_places_results_in_the_spec() -> None:
    fake = prod_fake()
    with fake.client() as dashboard:
        _patch_grant(SPA_GRANT, {"scope": [*SPA_SCOPES, "update:me:authentication_methods"]})(
            dashboard, fake
        )
    result = run_audit(fake, "--format", "sarif")
    assert result.code == 1
    run = result.json()["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "MYACC-001" in ids
    assert [f"AUDIT-{n:03d}" for n in range(1, 11)] == [i for i in ids if i.startswith("AUDIT")]
    [res] = run["results"]
    assert res["ruleId"] == "AUDIT-004"
    assert ids[res["ruleIndex"]] == "AUDIT-004"
    location = res["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("stacks/prod.yaml")
    assert res["message"]["text"] == (
        "account-settings-spa: scopes added in the tenant: "
        "update:me:authentication_methods "
        "(grant cgr_4pQs8TuV2wXy6ZaB)"
    )
    schema = json.loads(
        (ROOT / "tests" / "fixtures" / "sarif" / "sarif-schema-2.1.0.json").read_text(
            encoding="utf-8"
        )
    )
    assert list(Draft4Validator(schema).iter_errors(result.json())) == []


def test_a_grant_left_behind_by_a_deleted_application_is_drift() -> None:
    # Auth0 normally deletes an application's grants with it (then AUDIT-003 reports the
    # missing grant); this is the grant that outlives its application.
    fake = prod_fake()
    del fake.state.clients[MOBILE]
    result = run_audit(fake, "--format", "json")
    assert result.code == 1, result.stdout
    found = {(f["rule"], f["resource"]) for f in result.json()["findings"]}
    assert found == {("AUDIT-010", "mobile-app")}


def test_the_audit_offers_every_format_check_does() -> None:
    # One finding model, one set of renderers: GitHub annotations come with it.
    fake = prod_fake()
    with fake.client() as dashboard:
        _patch_api({"token_lifetime": 7200})(dashboard, fake)
    result = run_audit(fake, "--format", "github")
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("::error file=") and "AUDIT-009" in line for line in lines)
    assert lines[-1].endswith("waived")
