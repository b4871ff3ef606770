"""``/api/v2/client-grants``: create, read, list with filters, patch, delete.

Behaviour taken from the recordings (terraform-provider-auth0 TestAccClientGrant,
TestAccClientGrant_DefaultFor; go-auth0 TestClientGrantManager_*):
- a grant created without ``subject_type`` answers ``subject_type: client``;
- with ``allow_all_scopes: true`` the answer carries no ``scope`` at all; setting it
  back to false shows the scope list again;
- ``DELETE`` answers 204, also the second time;
- lists come sorted by id.
"""

from __future__ import annotations

import copy

from . import errors, resources
from .state import Body, TenantState

# The published CreateClientGrantRequestContent and UpdateClientGrantRequestContent.
_CREATABLE = frozenset(
    {
        "client_id",
        "audience",
        "default_for",
        "organization_usage",
        "allow_any_organization",
        "scope",
        "subject_type",
        "authorization_details_types",
        "allow_all_scopes",
    }
)
_UPDATABLE = frozenset(
    {
        "scope",
        "organization_usage",
        "allow_any_organization",
        "authorization_details_types",
        "allow_all_scopes",
    }
)


def public(stored: Body) -> Body:
    """A grant as the API answers it: no scope list while ``allow_all_scopes`` is on."""
    body = copy.deepcopy(stored)
    if body.get("allow_all_scopes") is True:
        body.pop("scope", None)
    return body


def get(state: TenantState, grant_id: str) -> Body:
    """GET one grant."""
    if grant_id not in state.grants:
        raise errors.grant_not_found()
    return public(state.grants[grant_id])


def _check_create(state: TenantState, body: Body) -> Body:
    """The resource server the grant is for, after every refusal Auth0 makes."""
    extra = [k for k in body if k not in _CREATABLE]
    if extra:
        raise errors.additional_properties(extra)
    audience = body.get("audience")
    if not isinstance(audience, str) or not audience:
        raise errors.invalid_payload("Missing required property: audience")
    api = state.resource_server_by_identifier(audience)
    if api is None:  # modelled on the published spec's 404 "Resource server not found"
        raise errors.ApiFailure(404, "Resource server not found", "inexistent_resource_server")
    client_id = body.get("client_id")
    client = state.clients.get(client_id) if isinstance(client_id, str) else None
    if client_id is not None and client is None:  # spec: 404 "Client not found"
        raise errors.ApiFailure(404, "Client not found", "inexistent_client")
    if client is not None and client.get("app_type") == "express_configuration":
        raise errors.express_configuration_client()
    third_party = client is not None and client.get("is_first_party") is False
    if resources.is_my_account(api) and (body.get("default_for") or third_party):
        raise errors.third_party_on_system_api()
    return api


def create(state: TenantState, body: Body) -> Body:
    """POST: 409 when the (client, audience, subject_type) already has a grant."""
    _check_create(state, body)
    subject_type = body.get("subject_type", "client")
    if "client_id" in body:
        for other in state.grants.values():
            if (other.get("client_id"), other.get("audience"), other.get("subject_type")) == (
                body["client_id"],
                body["audience"],
                subject_type,
            ):
                raise errors.duplicate_grant()
    stored: Body = {"id": state.new_id("grant"), **copy.deepcopy(body)}
    stored["subject_type"] = subject_type
    state.grants[stored["id"]] = stored
    return public(stored)


def update(state: TenantState, grant_id: str, body: Body) -> Body:
    """PATCH: scope, allow_all_scopes and the organization fields; subject_type cannot change."""
    if grant_id not in state.grants:  # published spec: 404 "The client grant does not exist."
        raise errors.ApiFailure(404, "The client grant does not exist.", "inexistent_client_grant")
    extra = [k for k in body if k not in _UPDATABLE]
    if extra:
        raise errors.additional_properties(extra)
    if not body:  # the published schema has minProperties: 1
        raise errors.invalid_payload("Too few properties defined (0), minimum 1")
    stored = state.grants[grant_id]
    for key, value in body.items():
        if value is None:
            stored.pop(key, None)
        else:
            stored[key] = copy.deepcopy(value)
    return public(stored)


def delete(state: TenantState, grant_id: str) -> None:
    """DELETE: 204 whether or not the grant exists."""
    state.grants.pop(grant_id, None)


def matching(
    state: TenantState,
    audience: str | None,
    client_id: str | None,
    subject_type: str | None,
    default_for: str | None,
) -> list[Body]:
    """Stored grants passing every filter given, sorted by id (answer each through ``public``).

    Not copied here: a page copies only the grants it answers with, so paging through
    a large tenant does not copy every grant for every page.
    """
    out = []
    for gid in sorted(state.grants):
        body = state.grants[gid]
        if audience is not None and body.get("audience") != audience:
            continue
        if client_id is not None and body.get("client_id") != client_id:
            continue
        if subject_type is not None and body.get("subject_type") != subject_type:
            continue
        if default_for is not None and body.get("default_for") != default_for:
            continue
        out.append(body)
    return out
