"""What the audit read from a tenant, as plain data: judged and reported without the client."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LiveClient:
    """The parts of an application the rules judge."""

    client_id: str
    name: str | None
    app_type: str | None
    first_party: bool | None


@dataclass(frozen=True)
class LiveApi:
    """The My Account API as the tenant has it."""

    id: str
    identifier: str
    user_policy: str | None
    client_policy: str | None
    anonymous_user_policy: str | None
    token_lifetime: int | None
    step_up_policy_id: str | None
    dpop: tuple[str | None, bool | None, str | None] | None
    """(mechanism, required, required_for) of proof_of_possession, or None."""
    skip_consent: bool | None


@dataclass(frozen=True)
class LiveGrant:
    """One client grant on the My Account audience."""

    id: str
    client_id: str | None
    audience: str
    subject_type: str | None
    scopes: tuple[str, ...] | None
    allow_all_scopes: bool
    default_for: str | None
    extras: tuple[str, ...] = ()
    """Settings the spec has no field for, set away from Auth0's defaults (organizations,
    authorization details): a grant holding them cannot be declared exactly."""


@dataclass(frozen=True)
class LiveTenant:
    """Everything read, in a stable order."""

    audience: str
    api: LiveApi | None
    grants: tuple[LiveGrant, ...]
    clients: dict[str, LiveClient]
    missing_clients: tuple[str, ...]
    """Client ids a grant names but the tenant does not know (404)."""
