"""Contract: what the fake receives and answers agrees with the published Management API spec.

A scenario drives the fake through the real auth0-python client (the audit's reads,
and the writes a program or a Dashboard user makes); every exchange is then checked:
query parameters and request bodies against the operation's parameters and request
schema, answer bodies against its response schema, errors against the recorded error
shape (the published spec gives error answers no schema). The schemas are copied
into tests/fixtures/openapi/ (see "x-source" there).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from auth0.management import ManagementClient
from auth0.management.core.api_error import ApiError
from auth0.management.types import (
    ResourceServerAuthorizationPolicy,
    ResourceServerSubjectTypeAuthorization,
    ResourceServerSubjectTypeAuthorizationUser,
)
from jsonschema import Draft202012Validator  # type: ignore[import-untyped,unused-ignore]
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from fakeapi import Exchange, FakeAuth0
from fakeapi.harness import PROD_SEED, many_applications, prod_fake, run_audit
from helpers.paths import ROOT
from tenantcfg.audit import applications

SPEC = json.loads(
    (ROOT / "tests" / "fixtures" / "openapi" / "management-api-fragments.json").read_text(
        encoding="utf-8"
    )
)
_BASE = "urn:tenantcfg:management-api"
_REGISTRY = Registry().with_resource(_BASE, DRAFT202012.create_resource(SPEC))

ERROR_SHAPE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["statusCode", "error", "message"],
    "properties": {
        "statusCode": {"type": "integer"},
        "error": {"type": "string"},
        "message": {"type": "string"},
        "errorCode": {"type": "string"},
    },
}
"""Every recorded error answer of the Management API has this shape."""

ME = "https://acme.eu.auth0.com/me/"
SPA = "Pq4Rs6Tu8Vw0Xy2Za3Bc5De7Fg9Hi1Jk"
PORTAL = "Rt5Yu7Io9Pa1Sd3Fg5Hj7Kl9Zx1Cv3Bn"


def _schema(ref: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"{_BASE}{ref}"}, registry=_REGISTRY)


def _named(name: str) -> Draft202012Validator:
    return _schema(f"#/components/schemas/{name}")


def _errors(validator: Draft202012Validator, instance: Any) -> list[str]:
    out = []
    for e in validator.iter_errors(instance):
        where = "/".join(map(str, e.absolute_path))
        out.append(f"{where}: {e.message}" if where else e.message)
    return out


def _operation(exchange: Exchange) -> dict[str, Any]:
    method, path = str(exchange.operation).split(" ", 1)
    return dict(SPEC["paths"][path][method])


def _query_problems(exchange: Exchange, op: dict[str, Any]) -> list[str]:
    params = {p["name"]: p for p in op.get("parameters", []) if p["in"] == "query"}
    problems = []
    for name, values in exchange.query.items():
        if name not in params:
            problems.append(f"query parameter {name!r} is not in the published operation")
            continue
        schema = params[name]["schema"]
        for raw in values:
            value: Any = raw
            kind = schema.get("type")
            if kind == "integer":
                value = int(raw) if raw.lstrip("-").isdigit() else raw
            elif kind == "boolean":
                value = {"true": True, "false": False}.get(raw, raw)
            problems += [f"{name}: {m}" for m in _errors(_schema_of(schema), value)]
    return problems


def _schema_of(schema: dict[str, Any]) -> Draft202012Validator:
    if "$ref" in schema:
        return _schema(schema["$ref"])
    return Draft202012Validator(schema, registry=_REGISTRY)


def _pointer(exchange: Exchange) -> str:
    """Where the schema of an exchange's answer is in the spec, as a JSON pointer."""
    method, path = str(exchange.operation).split(" ", 1)
    escaped = path.replace("~", "~0").replace("/", "~1")
    return (
        f"#/paths/{escaped}/{method}/responses/{exchange.status}/content/application~1json/schema"
    )


def _response_validator(exchange: Exchange, op: dict[str, Any]) -> Draft202012Validator:
    if exchange.status >= 400:
        return Draft202012Validator(ERROR_SHAPE)
    responses = op["responses"]
    # The spec says PATCH /resource-servers/{id} answers 201; Auth0 answers 200 (recorded).
    answer = (
        responses.get(str(exchange.status))
        or responses[
            "201" if exchange.operation == "patch /resource-servers/{id}" else str(exchange.status)
        ]
    )
    # GET /clients has its oneOf inline: resolved in place, where its refs lead.
    ref = answer["content"]["application/json"]["schema"].get("$ref") or _pointer(exchange)
    lists = {"get /client-grants": "ListClientGrant", "get /clients": "ListClients"}
    if exchange.operation in lists:
        # The published schema is a oneOf whose two object forms both accept a page
        # without "next" or totals; the request says which form the answer must have.
        name = lists[str(exchange.operation)]
        if "take" in exchange.query or "from" in exchange.query:
            return _named(f"{name}PaginatedResponseContent")
        if exchange.query.get("include_totals") == ["true"]:
            return _named(f"{name}OffsetPaginatedResponseContent")
        if exchange.operation == "get /clients":
            return _schema(f"{ref}/oneOf/0")  # the bare array
    return _schema(ref)


def contract_problems(exchange: Exchange) -> list[str]:
    """Everything in one exchange that disagrees with the published spec."""
    if exchange.operation is None:
        return [] if exchange.raw_path == "/oauth/token" else ["unrouted request"]
    op = _operation(exchange)
    problems = _query_problems(exchange, op)
    if exchange.method in ("POST", "PATCH"):
        ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        problems += [f"request {m}" for m in _errors(_schema(ref), exchange.request_body)]
    if exchange.status != 204:
        problems += [
            f"answer {m}"
            for m in _errors(_response_validator(exchange, op), exchange.response_body)
        ]
    elif exchange.response_body is not None:
        problems.append("a 204 with a body")
    return [f"{exchange.operation} -> {exchange.status}: {p}" for p in problems]


def _sdk(fake: FakeAuth0) -> ManagementClient:
    http = httpx.Client(transport=fake.transport())
    return ManagementClient(
        domain="acme.eu.auth0.com", token=fake.state.issue_token(), httpx_client=http, timeout=5
    )


def _program_and_dashboard_writes(fake: FakeAuth0) -> None:
    """What the Pulumi program and a Dashboard user do, through the official client."""
    mgmt = _sdk(fake)
    no_retry: Any = {"max_retries": 0}
    del fake.state.resource_servers["6643a1f2b7e9c8d4a5f60712"]  # start not activated
    me = mgmt.resource_servers.create(
        identifier=ME,
        name="My Account",
        authorization_policy=ResourceServerAuthorizationPolicy(policy_id="p-1"),
    )
    custom = mgmt.resource_servers.create(
        identifier="https://api.acme.example/invoices", name="Invoices"
    )
    mgmt.resource_servers.get(ME)
    opened = ResourceServerSubjectTypeAuthorization(
        user=ResourceServerSubjectTypeAuthorizationUser(policy="allow_all")
    )
    mgmt.resource_servers.update(str(me.id), token_lifetime=900, subject_type_authorization=opened)
    list(mgmt.resource_servers.list(per_page=2))
    grant = mgmt.client_grants.create(
        client_id=PORTAL, audience=ME, scope=["read:me:factors"], subject_type="user"
    )
    mgmt.client_grants.update(
        str(grant.id), scope=["read:me:factors", "read:me:authentication_methods"]
    )
    mgmt.client_grants.update(str(grant.id), allow_all_scopes=True)
    mgmt.client_grants.get(str(grant.id))
    list(mgmt.client_grants.list(audience=ME, take=1))
    mgmt.clients.get(SPA, fields="client_id,app_type", include_fields=True)
    mgmt.clients.update(SPA, app_type="regular_web")
    mgmt.client_grants.delete(str(grant.id))
    mgmt.client_grants.delete(str(grant.id))
    for refused in (
        lambda: mgmt.client_grants.get(str(grant.id), request_options=no_retry),
        lambda: mgmt.client_grants.create(
            client_id=SPA, audience="https://nowhere", request_options=no_retry
        ),
        lambda: mgmt.resource_servers.update(str(me.id), name="x", request_options=no_retry),
    ):
        with pytest.raises(ApiError):
            refused()
    mgmt.resource_servers.delete(str(custom.id))
    with fake.client() as raw:  # the offset form, which the SDK no longer asks for
        raw.get(
            "/api/v2/client-grants", params={"per_page": 1, "page": 0, "include_totals": "true"}
        )
        raw.get("/api/v2/client-grants", params={"client_id": SPA})


def test_program_and_dashboard_traffic_agrees_with_the_published_spec() -> None:
    fake = prod_fake()
    _program_and_dashboard_writes(fake)
    operations = {e.operation for e in fake.exchanges}
    assert len(operations) == 12, operations
    assert [p for e in fake.exchanges for p in contract_problems(e)] == []


def test_audit_traffic_agrees_with_the_published_spec() -> None:
    fake = prod_fake()
    assert run_audit(fake).code == 0
    assert {e.operation for e in fake.exchanges} == {
        None,
        "get /resource-servers/{id}",
        "get /client-grants",
        "get /clients/{id}",
    }
    assert [p for e in fake.exchanges for p in contract_problems(e)] == []


def test_audit_traffic_with_many_applications_agrees_with_the_published_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(applications, "PAGE_SIZE", 10)  # several pages of the client list
    fake, target = many_applications(tmp_path, 30)
    assert run_audit(fake, target=target).code == 0
    assert {e.operation for e in fake.exchanges} == {
        None,
        "get /resource-servers/{id}",
        "get /client-grants",
        "get /clients",
    }
    assert [p for e in fake.exchanges for p in contract_problems(e)] == []


def test_every_form_of_the_client_list_agrees_with_the_published_spec() -> None:
    fake = prod_fake()
    fake.state.clients[SPA]["client_secret"] = "spa-secret-0123456789"
    clients = list(
        _sdk(fake).clients.list(per_page=4, fields="client_id,name", include_fields=True)
    )
    assert len(clients) == len(fake.state.clients)  # the SDK's pager went through every page
    with fake.client() as raw:
        bare = raw.get("/api/v2/clients", params={"per_page": 3, "page": 1}).json()
        first = raw.get("/api/v2/clients", params={"take": 4}).json()
        rest = raw.get("/api/v2/clients", params={"take": 4, "from": first["next"]}).json()
        hidden = raw.get(
            "/api/v2/clients",
            params={
                "fields": "client_secret,tenant",
                "include_fields": "false",
                "include_totals": "true",
            },
        ).json()
        everything = raw.get("/api/v2/clients").json()
    ordered = sorted(fake.state.clients)
    assert [c["client_id"] for c in bare] == ordered[3:6]
    assert [c["client_id"] for c in first["clients"] + rest["clients"]] == ordered
    assert "next" not in rest
    assert hidden["total"] == len(ordered)
    assert all("client_secret" not in c and "name" in c for c in hidden["clients"])
    assert [c["client_id"] for c in everything if "client_secret" in c] == [SPA]
    lists = [e for e in fake.exchanges if e.operation == "get /clients"]
    assert len(lists) == 3 + 5  # the SDK stops after an empty page: 4, 2, 0 clients
    assert [p for e in lists for p in contract_problems(e)] == []


def test_the_seed_bodies_agree_with_the_published_spec() -> None:
    seed = json.loads(PROD_SEED.read_text(encoding="utf-8"))
    problems = [
        m
        for b in seed["resource_servers"]
        for m in _errors(_named("GetResourceServerResponseContent"), b)
    ]
    problems += [
        m
        for b in seed["client_grants"]
        for m in _errors(_named("GetClientGrantResponseContent"), b)
    ]
    problems += [m for b in seed["clients"] for m in _errors(_named("GetClientResponseContent"), b)]
    assert problems == []


def test_the_checker_does_catch_a_wrong_body() -> None:
    # The contract is only as good as its ability to fail.
    bad = Exchange(
        "get /client-grants/{id}",
        "GET",
        "/api/v2/client-grants/x",
        {},
        None,
        200,
        {"id": "x", "scope": "read:me:factors", "colour": "red"},
    )
    problems = contract_problems(bad)
    assert any("'read:me:factors' is not of type 'array'" in p for p in problems)
    assert any("'colour' was unexpected" in p for p in problems)
    wrong_query = Exchange(
        "get /client-grants",
        "GET",
        "/api/v2/client-grants",
        {"take": ["500"], "sort": ["id"]},
        None,
        200,
        {"client_grants": []},
    )
    problems = contract_problems(wrong_query)
    assert any("take: 500 is greater than the maximum of 100" in p for p in problems)
    assert any("'sort' is not in the published operation" in p for p in problems)


def test_the_checker_catches_a_wrong_client_list() -> None:
    totals = {"include_totals": ["true"]}
    bare_for_totals = Exchange(
        "get /clients", "GET", "/api/v2/clients", totals, None, 200, [{"client_id": "x"}]
    )
    assert any("is not of type 'object'" in p for p in contract_problems(bare_for_totals))
    wrong_client = Exchange(
        "get /clients",
        "GET",
        "/api/v2/clients",
        {},
        None,
        200,
        [{"client_id": 7, "is_first_party": "yes"}],
    )
    problems = contract_problems(wrong_client)
    assert any("7 is not of type 'string'" in p for p in problems), problems
    too_many = Exchange(
        "get /clients", "GET", "/api/v2/clients", {"per_page": ["101"]}, None, 200, []
    )
    assert any(
        "per_page: 101 is greater than the maximum of 100" in p for p in contract_problems(too_many)
    )
