"""Replay recorded Auth0 traffic against the fake: same status codes, same parsed bodies.

Each recording starts from a fresh fake holding what the recording shows the tenant
already had; requests go in recorded order, and ids the fake hands out are the
recorded ones (queued before each create), so later requests find what they name.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from fakeapi import FakeAuth0, TenantState
from helpers.paths import ROOT

REPLAY = ROOT / "tests" / "fixtures" / "recordings" / "replay.json"
CASSETTES: list[dict[str, Any]] = json.loads(REPLAY.read_text(encoding="utf-8"))["cassettes"]


def _fake_for(cassette: dict[str, Any]) -> tuple[FakeAuth0, httpx.Client]:
    state = TenantState(domain="tenant.example.auth0.com")
    pre = cassette["preexisting"]
    for body in pre["resource_servers"]:
        state.resource_servers[body["id"]] = dict(body)
    for body in pre["client_grants"]:
        state.grants[body["id"]] = dict(body)
    for body in pre["clients"]:
        state.clients[body["client_id"]] = dict(body)
    fake = FakeAuth0(state)
    return fake, fake.client()


OLDER_DEFAULTS = {"TestAccDataSourceResourceServer.yaml"}
"""Recorded in 2024, when a new custom API came without subject_type_authorization; the
2026 recordings show Auth0 adding the default policies, which is what the fake does.
Bodies of these recordings are compared without that one field."""


def _comparable(status: int, body: Any) -> Any:
    # go-auth0 re-encodes error bodies through its own struct: they read {} in its
    # recordings, whatever Auth0 sent. Only the status can be compared there.
    if status >= 400 and body == {}:
        return None
    return body


def _without_policies(body: Any) -> Any:
    if isinstance(body, dict):
        return {
            k: _without_policies(v) for k, v in body.items() if k != "subject_type_authorization"
        }
    if isinstance(body, list):
        return [_without_policies(v) for v in body]
    return body


def _send(client: httpx.Client, interaction: dict[str, Any]) -> httpx.Response:
    url = interaction["path"] + (f"?{interaction['query']}" if interaction["query"] else "")
    body = interaction["request_body"]
    return client.request(interaction["method"], url, json=body if body is not None else None)


@pytest.mark.parametrize("cassette", CASSETTES, ids=[c["file"] for c in CASSETTES])
def test_recorded_interactions_get_the_recorded_answers(cassette: dict[str, Any]) -> None:
    fake, client = _fake_for(cassette)
    mismatches = []
    for interaction in cassette["interactions"]:
        status, recorded = interaction["status"], interaction["response_body"]
        if interaction["method"] == "POST" and status == 201:
            fake.state.preset_ids.append(recorded["id"])
        answer = _send(client, interaction)
        got = answer.json() if answer.content else None
        expected = _comparable(status, recorded)
        if cassette["file"] in OLDER_DEFAULTS:
            got, expected = _without_policies(got), _without_policies(expected)
        if answer.status_code != status or (expected is not None and got != expected):
            mismatches.append(
                (
                    interaction["index"],
                    interaction["method"],
                    interaction["path"],
                    status,
                    answer.status_code,
                    expected,
                    got,
                )
            )
    assert mismatches == []


def test_the_selection_covers_what_the_audit_and_the_program_rely_on() -> None:
    # The replay is only worth its name if the recordings exercise these answers.
    seen = {
        (i["method"], i["status"], _kind(i, _my_account_ids(c)))
        for c in CASSETTES
        for i in c["interactions"]
    }
    for needed in [
        ("POST", 201, "me"),
        ("GET", 200, "me"),
        ("DELETE", 204, "me"),
        ("POST", 201, "resource-servers"),
        ("GET", 404, "resource-servers/id"),
        ("GET", 200, "resource-servers/identifier"),
        ("PATCH", 200, "client-grants/id"),
        ("DELETE", 204, "client-grants/id"),
        ("GET", 404, "client-grants/id"),
        ("GET", 200, "client-grants?take"),
        ("GET", 200, "client-grants?per_page"),
        ("GET", 404, "clients/id"),
        ("POST", 400, "client-grants"),
    ]:
        assert needed in seen, needed
    deletes_twice = [c["file"] for c in CASSETTES if _deleted_twice(c["interactions"])]
    assert deletes_twice, "no recording deletes the same thing twice"


def _my_account_ids(cassette: dict[str, Any]) -> set[str]:
    return {
        i["response_body"]["id"]
        for i in cassette["interactions"]
        if i["method"] == "POST"
        and i["status"] == 201
        and str(i["response_body"].get("identifier", "")).endswith("/me/")
    }


def _kind(interaction: dict[str, Any], my_account_ids: set[str]) -> str:
    path, query = interaction["path"], interaction["query"]
    body = interaction["request_body"] or interaction["response_body"] or {}
    if (
        "/me/" in json.dumps(body)
        or "%2Fme%2F" in path
        or path.rsplit("/", 1)[-1] in my_account_ids
    ):
        return "me"
    tail = path.removeprefix("/api/v2/")
    if tail == "client-grants" and query:
        return "client-grants?take" if "take=" in query else "client-grants?per_page"
    if "/" in tail:
        head, key = tail.split("/", 1)
        return f"{head}/identifier" if key.startswith("https") else f"{head}/id"
    return str(tail)


def _deleted_twice(interactions: list[dict[str, Any]]) -> bool:
    paths = [i["path"] for i in interactions if i["method"] == "DELETE" and i["status"] == 204]
    return len(paths) != len(set(paths))
