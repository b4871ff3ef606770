"""What the fake tenant holds: resource servers, client grants, clients, credentials, tokens.

Bodies are stored as the API answers them, so a seed can be copied from recorded
answers. Ids are generated in sequence (or taken from ``preset_ids`` first, which
is how the replay test makes the fake answer with the recorded ids).
"""

from __future__ import annotations

import json
import secrets
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Body = dict[str, Any]

MANAGEMENT_SCOPES = frozenset(
    {
        "read:resource_servers",
        "create:resource_servers",
        "update:resource_servers",
        "delete:resource_servers",
        "read:client_grants",
        "create:client_grants",
        "update:client_grants",
        "delete:client_grants",
        "read:clients",
        "update:clients",
        "read:client_keys",
    }
)
"""Every Management API scope the fake knows; a token has a subset."""


@dataclass(frozen=True)
class Credential:
    """A machine-to-machine application allowed to ask /oauth/token for a Management token."""

    client_secret: str
    scopes: frozenset[str]


@dataclass
class TenantState:
    """The whole fake tenant; mutated only through the endpoint modules."""

    domain: str
    resource_servers: dict[str, Body] = field(default_factory=dict)
    grants: dict[str, Body] = field(default_factory=dict)
    clients: dict[str, Body] = field(default_factory=dict)
    credentials: dict[str, Credential] = field(default_factory=dict)
    tokens: dict[str, frozenset[str]] = field(default_factory=dict)
    preset_ids: deque[str] = field(default_factory=deque)
    _counter: int = 0

    def new_id(self, kind: str) -> str:
        """A fresh id: a preset one if queued, else ``cgr_…`` for grants, hex for APIs."""
        if self.preset_ids:
            return self.preset_ids.popleft()
        self._counter += 1
        if kind == "grant":
            return f"cgr_fake{self._counter:012d}"
        return f"fa4e{self._counter:020x}"

    def issue_token(self, scopes: frozenset[str] | set[str] | None = None) -> str:
        """A new opaque bearer token with ``scopes`` (default: every scope the fake knows)."""
        token = secrets.token_urlsafe(32)
        self.tokens[token] = frozenset(MANAGEMENT_SCOPES if scopes is None else scopes)
        return token

    def add_credential(
        self, client_id: str, client_secret: str, scopes: frozenset[str] | set[str] | None = None
    ) -> None:
        """Let ``client_id`` exchange ``client_secret`` for a token with ``scopes``."""
        self.credentials[client_id] = Credential(
            client_secret, frozenset(MANAGEMENT_SCOPES if scopes is None else scopes)
        )

    def resource_server_by_identifier(self, identifier: str) -> Body | None:
        """The resource server whose identifier is exactly ``identifier``."""
        for body in self.resource_servers.values():
            if body.get("identifier") == identifier:
                return body
        return None


def load_seed(path: str | Path) -> TenantState:
    """A tenant from a seed file (see ``tests/fixtures/recordings/tenant-prod.json``)."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return state_from_seed(raw)


def state_from_seed(raw: dict[str, Any]) -> TenantState:
    """A tenant from seed data: domain, bodies as the API answers them, credentials."""
    state = TenantState(domain=raw["domain"])
    for body in raw.get("resource_servers", []):
        state.resource_servers[body["id"]] = dict(body)
    for body in raw.get("client_grants", []):
        state.grants[body["id"]] = dict(body)
    for body in raw.get("clients", []):
        state.clients[body["client_id"]] = dict(body)
    for cred in raw.get("credentials", []):
        state.add_credential(cred["client_id"], cred["client_secret"], set(cred["scopes"]))
    return state
