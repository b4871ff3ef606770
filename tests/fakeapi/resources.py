"""``/api/v2/resource-servers``: custom APIs and the My Account system API.

Behaviour taken from the recordings:
- a new custom API answers with ``allow_offline_access: false``,
  ``skip_consent_for_verifiable_first_party_clients: false``, ``token_lifetime: 86400``,
  ``token_lifetime_for_web: 7200``, ``signing_alg: RS256`` and, when none is sent,
  ``subject_type_authorization: {user: allow_all, client: require_client_grant}``;
- ``POST`` with an identifier ``https://<host>/me/`` activates the My Account API: the
  name sent is ignored (always "Auth0 My Account API"), ``is_system: true``, the secure
  policies (user ``require_client_grant``, client ``deny_all``), 600 s tokens and DPoP
  offered but not required; its creation answer lists only the connected-accounts scopes
  and the next GET all eight (both recorded, terraform-provider-auth0
  TestAccResourceServer_ACR #0 and #1);
- ``PATCH`` answers 200 (the published spec says 201; every recording says 200), and a
  ``null`` value removes the field;
- ``DELETE`` answers 204, also when there is nothing (left) to delete;
- get, patch and delete take the id or the URL-encoded identifier; a doubly encoded
  identifier is found as well (recorded, TestAccDataSourceResourceServer #9).
"""

from __future__ import annotations

import copy
import re
from typing import Any
from urllib.parse import unquote

from . import errors
from .state import Body, TenantState

MY_ACCOUNT_IDENTIFIER = re.compile(r"^https://[^/]+/me/$")
MY_ACCOUNT_NAME = "Auth0 My Account API"

# In the recorded order (TestAccResourceServer_ACR #1).
MY_ACCOUNT_SCOPES: tuple[tuple[str, str], ...] = (
    ("create:me:connected_accounts", "Create Connected Accounts"),
    ("read:me:connected_accounts", "Read Connected Accounts"),
    ("delete:me:connected_accounts", "Delete Connected Accounts"),
    ("read:me:authentication_methods", "Read Authentication Methods"),
    ("delete:me:authentication_methods", "Delete Authentication Methods"),
    ("update:me:authentication_methods", "Update Authentication Methods"),
    ("read:me:factors", "Read Factors"),
    ("create:me:authentication_methods", "Create Authentication Methods"),
)
_SCOPES_AT_CREATION = 3

MY_ACCOUNT_WRITABLE = frozenset(
    {
        "subject_type_authorization",
        "token_lifetime",
        "proof_of_possession",
        "skip_consent_for_verifiable_first_party_clients",
        "authorization_policy",
    }
)
"""The only fields of the My Account API a caller may set (Auth0 documentation)."""

# The published CreateResourceServerRequestContent / UpdateResourceServerRequestContent,
# plus token_lifetime_for_web, which the recorded clients send and Auth0 accepts.
_UPDATABLE = frozenset(
    {
        "name",
        "scopes",
        "signing_alg",
        "signing_secret",
        "allow_offline_access",
        "allow_online_access",
        "allow_online_access_with_ephemeral_sessions",
        "token_lifetime",
        "token_lifetime_for_web",
        "token_dialect",
        "skip_consent_for_verifiable_first_party_clients",
        "enforce_policies",
        "token_encryption",
        "consent_policy",
        "authorization_details",
        "proof_of_possession",
        "subject_type_authorization",
        "authorization_policy",
    }
)
_CREATABLE = _UPDATABLE | {"identifier"}

_CUSTOM_DEFAULTS: dict[str, Any] = {
    "allow_offline_access": False,
    "skip_consent_for_verifiable_first_party_clients": False,
    "token_lifetime": 86400,
    "token_lifetime_for_web": 7200,
    "signing_alg": "RS256",
}


def is_my_account(body: Body) -> bool:
    """Whether a stored resource server is a My Account API."""
    return bool(MY_ACCOUNT_IDENTIFIER.match(str(body.get("identifier", ""))))


def find(state: TenantState, raw_key: str) -> Body:
    """The resource server named by a raw path segment (id or URL-encoded identifier)."""
    key = unquote(raw_key)
    for _ in range(2):  # a doubly encoded identifier is found too (recorded)
        if key in state.resource_servers:
            return state.resource_servers[key]
        body = state.resource_server_by_identifier(key)
        if body is not None:
            return body
        if "%" not in key:
            break
        key = unquote(key)
    raise errors.resource_server_not_found()


def get(state: TenantState, raw_key: str) -> Body:
    """GET one resource server."""
    return copy.deepcopy(find(state, raw_key))


def _refuse_unknown(body: Body, allowed: frozenset[str]) -> None:
    extra = [k for k in body if k not in allowed]
    if extra:
        raise errors.additional_properties(extra)


def _merge(target: Body, changes: Body) -> None:
    for key, value in changes.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = copy.deepcopy(value)


def _my_account(state: TenantState, body: Body) -> tuple[Body, Body]:
    """The stored body and the creation answer of a newly activated My Account API."""
    # POST was recorded with a name, which Auth0 ignored; anything else not writable is
    # refused like on PATCH (the fake's assumption: no recording sends more).
    _refuse_unknown(body, MY_ACCOUNT_WRITABLE | {"identifier", "name"})
    stored: Body = {
        "id": state.new_id("resource_server"),
        "name": MY_ACCOUNT_NAME,
        "identifier": body["identifier"],
        "allow_offline_access": True,
        "skip_consent_for_verifiable_first_party_clients": True,
        "subject_type_authorization": {
            "user": {"policy": "require_client_grant"},
            "client": {"policy": "deny_all"},
        },
        "token_lifetime": 600,
        "token_lifetime_for_web": 600,
        "signing_alg": "RS256",
        "scopes": [{"value": v, "description": d} for v, d in MY_ACCOUNT_SCOPES],
        "is_system": True,
        "proof_of_possession": {"mechanism": "dpop", "required": False},
    }
    _patch_my_account(stored, {k: v for k, v in body.items() if k in MY_ACCOUNT_WRITABLE})
    answer = copy.deepcopy(stored)
    answer["scopes"] = answer["scopes"][:_SCOPES_AT_CREATION]
    return stored, answer


def _patch_my_account(stored: Body, changes: Body) -> None:
    if changes.get("name") == MY_ACCOUNT_NAME:
        # The unchanged fixed name is accepted: not recorded, modelled on
        # terraform-provider-auth0 v1.57.0, which sends it on every update of this API
        # (internal/auth0/resourceserver/expand.go) and could never update it otherwise.
        # Another name is refused below like every read-only field (a system API's
        # rename was recorded refused: go-auth0 TestResourceServer_ExpressConfiguration #6).
        changes = {k: v for k, v in changes.items() if k != "name"}
    _refuse_unknown(changes, MY_ACCOUNT_WRITABLE)
    sta = changes.get("subject_type_authorization") or {}
    client = (sta.get("client") or {}).get("policy")
    if client not in (None, "deny_all"):
        raise errors.my_account_client_policy()
    if "subject_type_authorization" in changes:
        merged = copy.deepcopy(stored.get("subject_type_authorization") or {})
        merged.update(copy.deepcopy(sta))
        changes = {**changes, "subject_type_authorization": merged}
    _merge(stored, changes)


def create(state: TenantState, body: Body) -> Body:
    """POST: a custom API with Auth0's defaults, or the My Account API activated."""
    identifier = body.get("identifier")
    if not isinstance(identifier, str) or not identifier:
        raise errors.invalid_payload("Missing required property: identifier")
    if state.resource_server_by_identifier(identifier) is not None:
        raise errors.duplicate_identifier()
    if MY_ACCOUNT_IDENTIFIER.match(identifier):
        stored, answer = _my_account(state, body)
        state.resource_servers[stored["id"]] = stored
        return answer
    _refuse_unknown(body, _CREATABLE)
    stored = {"id": state.new_id("resource_server"), **copy.deepcopy(_CUSTOM_DEFAULTS)}
    stored["subject_type_authorization"] = {
        "user": {"policy": "allow_all"},
        "client": {"policy": "require_client_grant"},
    }
    _merge(stored, body)
    state.resource_servers[stored["id"]] = stored
    return copy.deepcopy(stored)


def update(state: TenantState, raw_key: str, body: Body) -> Body:
    """PATCH: only the writable fields of the My Account API; others refused for system APIs."""
    stored = find(state, raw_key)
    if is_my_account(stored):
        _patch_my_account(stored, body)
    elif stored.get("is_system"):
        raise errors.system_api_refused("patched")
    else:
        _refuse_unknown(body, _UPDATABLE)
        _merge(stored, body)
    return copy.deepcopy(stored)


def delete(state: TenantState, raw_key: str) -> None:
    """DELETE: 204 whether or not it existed; the API's client grants go with it.

    The cascade is an assumption (every recording deletes the grants first); it is
    what makes "API deleted in the Dashboard" look like an API never activated.
    """
    try:
        stored = find(state, raw_key)
    except errors.ApiFailure:
        return
    if stored.get("is_system") and not is_my_account(stored):
        raise errors.system_api_refused("deleted")
    del state.resource_servers[stored["id"]]
    for gid in [g for g, b in state.grants.items() if b.get("audience") == stored["identifier"]]:
        del state.grants[gid]


def listing(state: TenantState, identifiers: list[str]) -> list[Body]:
    """Every resource server, or those with one of ``identifiers``, in creation order."""
    bodies = list(state.resource_servers.values())
    if identifiers:
        bodies = [b for b in bodies if b.get("identifier") in identifiers]
    return [copy.deepcopy(b) for b in bodies]
