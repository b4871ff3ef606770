"""The fake behaves like the recorded tenants where the audit and the program depend on it,
and answers what no recording shows the way its code says it is modelled.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import httpx
import pytest

from fakeapi import FakeAuth0, Fault, TenantState
from fakeapi.harness import AUDIT_CLIENT_ID, AUDIT_SECRET, PROD_SEED, ROOT, prod_fake
from fakeapi.server import running

ME = "https://acme.eu.auth0.com/me/"
ME_ID = "6643a1f2b7e9c8d4a5f60712"
SPA = "Pq4Rs6Tu8Vw0Xy2Za3Bc5De7Fg9Hi1Jk"
MARKETPLACE = "Zx9Cv7Bn5Mq3Wl1Ek2Rj4Th6Yg8Uf0Id"
EXPECTED_ERROR_KEYS = {"statusCode", "error", "message"}


def _empty() -> tuple[FakeAuth0, httpx.Client]:
    fake = FakeAuth0(TenantState(domain="acme.eu.auth0.com"))
    return fake, fake.client()


def test_activating_my_account_forces_name_and_secure_defaults() -> None:
    _, api = _empty()
    created = api.post(
        "/api/v2/resource-servers",
        json={
            "name": "whatever I like",
            "identifier": ME,
            "authorization_policy": {"policy_id": "p-1"},
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["name"] == "Auth0 My Account API"
    assert body["is_system"] is True
    assert body["subject_type_authorization"] == {
        "user": {"policy": "require_client_grant"},
        "client": {"policy": "deny_all"},
    }
    assert (body["token_lifetime"], body["proof_of_possession"]) == (
        600,
        {"mechanism": "dpop", "required": False},
    )
    assert body["authorization_policy"] == {"policy_id": "p-1"}
    assert [s["value"] for s in body["scopes"]] == [
        "create:me:connected_accounts",
        "read:me:connected_accounts",
        "delete:me:connected_accounts",
    ]
    again = api.get(f"/api/v2/resource-servers/{body['id']}").json()
    assert len(again["scopes"]) == 8


def test_the_my_account_api_takes_only_its_writable_fields() -> None:
    _, api = _empty()
    rs = api.post("/api/v2/resource-servers", json={"identifier": ME}).json()
    path = f"/api/v2/resource-servers/{rs['id']}"
    named = api.patch(path, json={"name": "mine", "signing_alg": "HS256"})
    assert named.status_code == 400
    assert named.json() == {
        "statusCode": 400,
        "error": "Bad Request",
        "errorCode": "invalid_body",
        "message": "Payload validation error: 'Additional properties not "
        "allowed: name, signing_alg'.",
    }
    fixed = api.patch(path, json={"name": "Auth0 My Account API", "token_lifetime": 300})
    assert fixed.status_code == 200  # the provider sends the fixed name on every update
    assert (fixed.json()["name"], fixed.json()["token_lifetime"]) == ("Auth0 My Account API", 300)
    client = api.patch(
        path, json={"subject_type_authorization": {"client": {"policy": "require_client_grant"}}}
    )
    assert client.status_code == 400
    opened = api.patch(path, json={"subject_type_authorization": {"user": {"policy": "allow_all"}}})
    assert opened.status_code == 200  # what a Dashboard user can do
    assert opened.json()["subject_type_authorization"] == {
        "user": {"policy": "allow_all"},
        "client": {"policy": "deny_all"},
    }


def test_a_new_custom_api_lets_every_user_flow_in() -> None:
    _, api = _empty()
    body = api.post("/api/v2/resource-servers", json={"identifier": "https://api.example"}).json()
    assert body["subject_type_authorization"] == {
        "user": {"policy": "allow_all"},
        "client": {"policy": "require_client_grant"},
    }
    assert "is_system" not in body
    assert (
        api.post("/api/v2/resource-servers", json={"identifier": "https://api.example"}).status_code
        == 409
    )


@pytest.mark.parametrize(
    "key",
    [
        ME_ID,
        "https%3A%2F%2Facme.eu.auth0.com%2Fme%2F",
        "https:%2F%2Facme.eu.auth0.com%2Fme%2F",
        "https:%252F%252Facme.eu.auth0.com%252Fme%252F",
    ],
)
def test_get_by_id_or_url_encoded_identifier(key: str) -> None:
    with prod_fake().client() as api:
        answer = api.get(f"/api/v2/resource-servers/{key}")
    assert answer.status_code == 200
    assert answer.json()["id"] == ME_ID


def test_unknown_things_answer_404_in_the_recorded_shape() -> None:
    with prod_fake().client() as api:
        for path, code in [
            ("/api/v2/resource-servers/nope", "inexistent_resource_server"),
            ("/api/v2/client-grants/cgr_nope", "inexistent_client_grant"),
            ("/api/v2/clients/nope", "inexistent_client"),
        ]:
            answer = api.get(path)
            assert answer.status_code == 404
            assert set(answer.json()) == EXPECTED_ERROR_KEYS | {"errorCode"}
            assert answer.json()["errorCode"] == code


def test_allow_all_scopes_hides_the_scope_list_until_switched_off() -> None:
    with prod_fake().client() as api:
        path = "/api/v2/client-grants/cgr_4pQs8TuV2wXy6ZaB"
        on = api.patch(path, json={"allow_all_scopes": True}).json()
        assert "scope" not in on
        assert on["allow_all_scopes"] is True
        assert "scope" not in api.get(path).json()
        off = api.patch(path, json={"allow_all_scopes": False}).json()
        assert len(off["scope"]) == 3


def test_grants_are_unique_per_client_audience_and_subject_type() -> None:
    with prod_fake().client() as api:
        dup = api.post(
            "/api/v2/client-grants",
            json={
                "client_id": SPA,
                "audience": ME,
                "scope": ["read:me:factors"],
                "subject_type": "user",
            },
        )
        assert dup.status_code == 409
        assert dup.json() == {
            "statusCode": 409,
            "error": "Conflict",
            "message": "client_grant already exists",
        }
        other = api.post(
            "/api/v2/client-grants",
            json={"client_id": SPA, "audience": ME, "scope": ["read:me:factors"]},
        )
        assert other.status_code == 201
        assert other.json()["subject_type"] == "client"  # Auth0's default when absent


def test_system_api_grants_are_refused_to_third_party_and_default_for() -> None:
    with prod_fake().client() as api:
        third = api.post(
            "/api/v2/client-grants",
            json={
                "client_id": MARKETPLACE,
                "audience": ME,
                "scope": ["read:me:factors"],
                "subject_type": "user",
            },
        )
        default = api.post(
            "/api/v2/client-grants",
            json={
                "audience": ME,
                "scope": ["read:me:factors"],
                "default_for": "third_party_clients",
            },
        )
    assert (third.status_code, default.status_code) == (400, 400)


def test_subject_type_cannot_be_patched() -> None:
    with prod_fake().client() as api:
        answer = api.patch(
            "/api/v2/client-grants/cgr_4pQs8TuV2wXy6ZaB", json={"subject_type": "client"}
        )
    assert answer.status_code == 400
    assert "Additional properties not allowed: subject_type" in answer.json()["message"]


def test_deleting_twice_answers_204_and_the_api_takes_its_grants_along() -> None:
    fake = prod_fake()
    with fake.client() as api:
        grant = "/api/v2/client-grants/cgr_7mNb3VcX1zLk5JhG"
        assert [api.delete(grant).status_code, api.delete(grant).status_code] == [204, 204]
        me = f"/api/v2/resource-servers/{ME_ID}"
        assert [api.delete(me).status_code, api.delete(me).status_code] == [204, 204]
        assert api.get(me).status_code == 404
        listed = api.get("/api/v2/client-grants", params={"audience": ME, "take": 50}).json()
    assert listed == {"client_grants": []}


def test_system_apis_other_than_my_account_cannot_be_changed() -> None:
    with prod_fake().client() as api:
        mgmt = "/api/v2/resource-servers/5f1e2d3c4b5a69788796a5b4"
        assert api.patch(mgmt, json={"token_lifetime": 60}).status_code == 400
        assert api.delete(mgmt).status_code == 400


def _many_grants() -> FakeAuth0:
    fake = prod_fake()
    for i in range(5):
        cid = f"C{i:031d}"
        fake.state.clients[cid] = {
            "client_id": cid,
            "name": f"app {i}",
            "app_type": "spa",
            "is_first_party": True,
        }
        with fake.client() as api:
            api.post(
                "/api/v2/client-grants",
                json={
                    "client_id": cid,
                    "audience": ME,
                    "scope": ["read:me:factors"],
                    "subject_type": "user",
                },
            )
    return fake


def test_checkpoint_paging_walks_every_grant_of_the_audience_once() -> None:
    fake = _many_grants()
    seen, cursor, pages = [], None, 0
    with fake.client() as api:
        while True:
            params: dict[str, str | int] = {"audience": ME, "take": 2}
            if cursor:
                params["from"] = cursor
            page = api.get("/api/v2/client-grants", params=params).json()
            pages += 1
            seen += [g["id"] for g in page["client_grants"]]
            cursor = page.get("next")
            if not cursor:
                break
    assert pages == 4
    assert len(seen) == len(set(seen)) == 7
    assert seen == sorted(seen)


def test_offset_paging_and_filters() -> None:
    fake = _many_grants()
    with fake.client() as api:
        page = api.get(
            "/api/v2/client-grants",
            params={"audience": ME, "per_page": 3, "page": 1, "include_totals": "true"},
        ).json()
        bare = api.get("/api/v2/client-grants", params={"client_id": SPA}).json()
        m2m = api.get("/api/v2/client-grants", params={"subject_type": "client"}).json()
        too_many = api.get("/api/v2/client-grants", params={"take": 101})
    assert (page["total"], page["start"], page["limit"], len(page["client_grants"])) == (7, 3, 3, 3)
    assert [g["client_id"] for g in bare] == [SPA]
    assert {g["audience"] for g in m2m} == {
        "https://api.acme.example/orders",
        "https://acme.eu.auth0.com/api/v2/",
    }
    assert too_many.status_code == 400


def test_clients_are_read_with_fields_and_without_key_material() -> None:
    fake = prod_fake()
    fake.state.clients[SPA]["client_secret"] = "very-secret-value"
    reader = fake.state.issue_token({"read:clients"})
    with fake.client(reader) as api:
        full = api.get(f"/api/v2/clients/{SPA}").json()
        some = api.get(
            f"/api/v2/clients/{SPA}",
            params={"fields": "client_id,app_type,is_first_party", "include_fields": "true"},
        ).json()
    assert "client_secret" not in full
    assert full["name"] == "Account Settings"
    assert some == {"client_id": SPA, "app_type": "spa", "is_first_party": True}


def test_the_client_list_pages_projects_and_hides_key_material() -> None:
    fake = prod_fake()
    fake.state.clients[SPA]["client_secret"] = "very-secret-value"
    ids = sorted(fake.state.clients)
    with fake.client(fake.state.issue_token({"read:clients"})) as api:
        page = api.get(
            "/api/v2/clients",
            params={
                "page": 1,
                "per_page": 4,
                "include_totals": "true",
                "fields": "client_id,app_type",
                "include_fields": "true",
            },
        ).json()
        everything = api.get("/api/v2/clients").json()
        too_many = api.get("/api/v2/clients", params={"per_page": 101})
    with fake.client(fake.state.issue_token({"read:client_grants"})) as api:
        refused = api.get("/api/v2/clients")
    assert (page["total"], page["start"], page["limit"]) == (len(ids), 4, 4)
    assert [set(c) for c in page["clients"]] == [{"client_id", "app_type"}] * (len(ids) - 4)
    assert [c["client_id"] for c in page["clients"]] == ids[4:]
    assert [c["client_id"] for c in everything] == ids  # a bare array without totals
    assert all("client_secret" not in c for c in everything)  # read:clients reads no keys
    assert too_many.status_code == 400
    assert refused.status_code == 403


def test_faults_on_the_client_list_follow_its_page_number() -> None:
    fake = prod_fake()
    fake.fail("/api/v2/clients", 503, later_pages_only=True)
    with fake.client() as api:
        first = api.get("/api/v2/clients", params={"page": 0, "per_page": 2})
        second = api.get("/api/v2/clients", params={"page": 1, "per_page": 2})
        again = api.get("/api/v2/clients", params={"page": 1, "per_page": 2})
    assert [r.status_code for r in (first, second, again)] == [200, 503, 200]


def test_tokens_come_from_client_credentials_and_carry_their_scopes() -> None:
    fake = prod_fake()
    with httpx.Client(transport=fake.transport(), base_url="https://acme.eu.auth0.com") as http:
        bad = http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": AUDIT_CLIENT_ID,
                "client_secret": "x",
            },
        )
        good = http.post(
            "/oauth/token",
            json={
                "grant_type": "client_credentials",
                "client_id": AUDIT_CLIENT_ID,
                "client_secret": AUDIT_SECRET,
                "audience": "https://acme.eu.auth0.com/api/v2/",
            },
        )
        token = good.json()["access_token"]
        write = http.patch(
            f"/api/v2/resource-servers/{ME_ID}",
            json={"token_lifetime": 60},
            headers={"Authorization": f"Bearer {token}"},
        )
        anonymous = http.get(f"/api/v2/resource-servers/{ME_ID}")
    assert bad.status_code == 401
    assert bad.json()["error"] == "access_denied"
    assert good.json()["scope"] == "read:client_grants read:clients read:resource_servers"
    assert write.status_code == 403
    assert write.json()["message"] == (
        "Insufficient scope, expected any of: update:resource_servers"
    )
    assert anonymous.status_code == 401


def test_faults_rate_limit_with_headers_a_bounded_number_of_times() -> None:
    fake = prod_fake()
    fake.rate_limit("/api/v2/client-grants", times=2, retry_after="3", reset_in=9)
    with fake.client() as api:
        answers = [api.get("/api/v2/client-grants") for _ in range(3)]
    assert [a.status_code for a in answers] == [429, 429, 200]
    first = answers[0]
    assert first.headers["retry-after"] == "3"
    assert int(first.headers["x-ratelimit-reset"]) == int(fake.clock() + 9)
    assert first.headers["x-ratelimit-remaining"] == "0"
    assert first.json()["statusCode"] == 429


def test_faults_time_out_cut_pages_and_fail_later_pages_only() -> None:
    fake = _many_grants()
    fake.inject(Fault("/api/v2/resource-servers", timeout=True))
    fake.truncate("/api/v2/client-grants")
    with fake.client() as api:
        with pytest.raises(httpx.ReadTimeout):
            api.get(f"/api/v2/resource-servers/{ME_ID}")
        first = api.get("/api/v2/client-grants", params={"take": 2})
        second = api.get("/api/v2/client-grants", params={"take": 2, "from": first.json()["next"]})
    assert first.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        second.json()


def test_served_on_loopback_over_real_http() -> None:
    fake = prod_fake()
    token = fake.state.issue_token()
    with running(fake) as url, httpx.Client(base_url=url) as http:
        answer = http.get(
            "/api/v2/resource-servers/https%3A%2F%2Facme.eu.auth0.com%2Fme%2F",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 200
    assert answer.json()["name"] == "Auth0 My Account API"


@pytest.mark.slow
def test_python_m_tests_fakeapi_serves_the_seed() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "tests.fakeapi", "--seed", str(PROD_SEED), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            match = re.search(r"on (http://127\.0\.0\.1:\d+) ", line)
            assert match, line
            token = httpx.post(
                f"{match.group(1)}/oauth/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": AUDIT_CLIENT_ID,
                    "client_secret": AUDIT_SECRET,
                },
            ).json()["access_token"]
            grants = httpx.get(
                f"{match.group(1)}/api/v2/client-grants",
                params={"audience": ME},
                headers={"Authorization": f"Bearer {token}"},
            )
        finally:
            proc.terminate()
    assert "tenant acme.eu.auth0.com" in line
    assert len(grants.json()) == 2


@pytest.mark.slow
def test_the_server_refuses_to_listen_beyond_loopback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.fakeapi", "--seed", str(PROD_SEED), "--host", "0.0.0.0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "loopback" in result.stderr
