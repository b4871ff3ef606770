"""``/api/v2/clients`` and ``/api/v2/clients/{id}``: list and read applications, change one.

Which properties a token may read follows the published description of
``GET /clients`` and ``GET /clients/{id}``: secrets and key material only with
``read:client_keys`` or ``read:client_credentials``; the seeds hold no real secret anyway.
No recording lists clients: the list follows the published operation (see ``listing``).
"""

from __future__ import annotations

import copy

from . import errors
from .state import Body, TenantState

_KEY_MATERIAL = frozenset(
    {"client_secret", "encryption_key", "signing_keys", "client_authentication_methods"}
)
_MAY_READ_KEYS = frozenset({"read:client_keys", "read:client_credentials"})


def visible(stored: Body, scopes: frozenset[str], fields: list[str], include_fields: bool) -> Body:
    """A copy without key material unless the token may read it, projected on ``fields``."""
    body = copy.deepcopy(stored)
    if not scopes & _MAY_READ_KEYS:
        for key in _KEY_MATERIAL:
            body.pop(key, None)
    if fields:
        keep = set(fields)
        body = {k: v for k, v in body.items() if (k in keep) == include_fields}
    return body


def get(
    state: TenantState,
    client_id: str,
    scopes: frozenset[str],
    fields: list[str],
    include_fields: bool,
) -> Body:
    """GET one: the client, without key material unless the token may read it, projected."""
    if client_id not in state.clients:
        raise errors.client_not_found()
    return visible(state.clients[client_id], scopes, fields, include_fields)


def listing(state: TenantState) -> list[Body]:
    """Every stored client, by client id: the paging order (pass each shown through ``visible``).

    Auth0 documents no order for this list; paging needs a stable one. The stored
    bodies are not copied: only the page asked for is, by ``visible``.
    """
    return [state.clients[c] for c in sorted(state.clients)]


def update(state: TenantState, client_id: str, body: Body) -> Body:
    """PATCH: merge the changes (as a Dashboard user changing type or first-party flag)."""
    if client_id not in state.clients:
        raise errors.client_not_found()
    if "client_id" in body:
        raise errors.additional_properties(["client_id"])
    stored = state.clients[client_id]
    for key, value in body.items():
        if value is None:
            stored.pop(key, None)
        else:
            stored[key] = copy.deepcopy(value)
    return get(state, client_id, frozenset(), [], True)
